//! Today's intervals and earlier days, scrolled with the mouse or PageUp, PageDown, the arrow
//! keys, Home and End.

use bevy_egui::egui;

use super::Panels;
use crate::day::Day;
use crate::format::clock;
use crate::shell::today::Today;

/// How many earlier days the history shows.
pub const HISTORY_DAYS: usize = 14;
/// How far one arrow key scrolls, in points; PageUp and PageDown scroll most of a page.
const LINE_SCROLL: f32 = 40.0;

/// The earlier days the list shows, newest first.
pub(super) fn earlier_days(today: &Today) -> Vec<Day> {
    let session = today.session();
    let dates = session.store.dates().unwrap_or_default();
    dates
        .into_iter()
        .rev()
        .filter(|d| *d != today.date())
        .take(HISTORY_DAYS)
        .filter_map(|d| session.store.load(d, today.now()).ok().and_then(|(day, _)| day))
        .collect()
}

fn rating_text(iv: &crate::day::Interval) -> &'static str {
    match (&iv.intention, iv.rating) {
        (None, _) => "",
        (Some(_), None) => "unrated",
        (Some(_), Some(r)) => r.name(),
    }
}

/// One row per interval: start, what it is, the intention (cut to fit, whole on hover) and its
/// rating; `current` is marked.
fn day_grid(ui: &mut egui::Ui, id: &str, day: &Day, tz: &jiff::tz::TimeZone, current: Option<usize>) {
    let width = ui.available_width();
    egui::Grid::new(id).num_columns(4).striped(true).max_col_width(width * 0.5).show(ui, |ui| {
        for (i, iv) in day.intervals.iter().enumerate() {
            let here = current == Some(i);
            let mark = if here { "▶" } else { " " };
            let start = egui::RichText::new(format!("{mark} {}", clock(iv.start, tz))).monospace();
            ui.label(if here { start.strong() } else { start });
            let name = egui::RichText::new(day.interval_name(i));
            ui.label(if here { name.strong() } else { name });
            ui.add(egui::Label::new(iv.intention.as_deref().unwrap_or("")).truncate());
            ui.label(rating_text(iv));
            ui.end_row();
        }
    });
}

pub(super) fn list_ui(ui: &mut egui::Ui, panels: &Panels, today: &Today) {
    let tz = &today.session().tz;
    let page = ui.available_height() * 0.8;
    let delta = ui.input(|i| {
        let key = |k| i.key_pressed(k);
        if key(egui::Key::PageDown) {
            -page
        } else if key(egui::Key::PageUp) {
            page
        } else if key(egui::Key::ArrowDown) {
            -LINE_SCROLL
        } else if key(egui::Key::ArrowUp) {
            LINE_SCROLL
        } else if key(egui::Key::End) {
            -1e6
        } else if key(egui::Key::Home) {
            1e6
        } else {
            0.0
        }
    });
    let now = today.now();
    let current = today.day().interval_at(now);
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        if delta != 0.0 {
            ui.scroll_with_delta(egui::vec2(0.0, delta));
        }
        // Room for the scroll bar, so the last column is never drawn under it.
        ui.set_max_width(ui.available_width() - ui.spacing().scroll.bar_width - 8.0);
        ui.heading(today.date().to_string());
        if today.day().intervals.is_empty() {
            ui.label("A free day.");
        }
        day_grid(ui, "today", today.day(), tz, current);
        if !panels.history.is_empty() {
            ui.separator();
            ui.heading("Earlier days");
        }
        for day in &panels.history {
            let end = day.span().map_or(now, |(_, end)| end);
            let score = day.score(end);
            let achieved = day.achieved().count();
            egui::CollapsingHeader::new(format!(
                "{} · score {} of {} · {achieved} achieved",
                day.date, score.score, score.ideal
            ))
            .id_salt(day.date.to_string())
            .show(ui, |ui| {
                if !day.journal.summary.is_empty() {
                    ui.label(egui::RichText::new(&day.journal.summary).italics());
                }
                day_grid(ui, &day.date.to_string(), day, tz, None);
            });
        }
    });
}

//! Today's intervals and earlier days, scrolled with the mouse or PageUp, PageDown, the arrow
//! keys, Home and End.

use bevy_egui::egui;

use super::Panels;
use crate::day::Day;
use crate::format::clock;
use crate::shell::past_days::History;
use crate::shell::today::Today;

/// How many earlier days the list shows (the latest read by the history's reader, which the list
/// asks for as it opens).
pub const LIST_DAYS: usize = 14;
/// How far one arrow key scrolls, in points; PageUp and PageDown scroll most of a page.
const LINE_SCROLL: f32 = 40.0;

/// The earlier days the list shows, newest first.
fn earlier_days<'a>(today: &Today, history: &'a History) -> Vec<&'a Day> {
    let Some(loaded) = history.loaded() else { return Vec::new() };
    loaded.days.values().rev().filter(|d| d.date != today.date()).take(LIST_DAYS).collect()
}

fn rating_text(iv: &crate::day::Interval) -> &'static str {
    match (&iv.intention, iv.rating) {
        (None, _) => "",
        (Some(_), None) => "unrated",
        (Some(_), Some(r)) => r.name(),
    }
}

/// One line per interval: start, what it is, its rating, then the intention, cut to the panel's
/// width (whole on hover), so the rating is never the part cut off; `current` is marked.
fn day_rows(ui: &mut egui::Ui, day: &Day, tz: &jiff::tz::TimeZone, current: Option<usize>, show_current: &mut bool) {
    for (i, iv) in day.intervals.iter().enumerate() {
        let here = current == Some(i);
        let mark = if here { "▶" } else { " " };
        let rating = rating_text(iv);
        let mut line = format!("{mark} {}  {}", clock(iv.start, tz), day.interval_name(i));
        if !rating.is_empty() {
            line.push_str(&format!(" · {rating}"));
        }
        if let Some(text) = &iv.intention {
            line.push_str(&format!(" · {text}"));
        }
        let text = egui::RichText::new(line).monospace();
        let mut label = ui.add(egui::Label::new(if here { text.strong() } else { text }).truncate());
        if let Some(text) = &iv.intention {
            label = label.on_hover_text(text);
        }
        if here && std::mem::take(show_current) {
            label.scroll_to_me(Some(egui::Align::Center));
        }
    }
}

pub(super) fn list_ui(ui: &mut egui::Ui, panels: &mut Panels, today: &Today, history: &History) {
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
        day_rows(ui, today.day(), tz, current, &mut panels.show_current);
        let earlier = earlier_days(today, history);
        if !earlier.is_empty() || history.is_loading() {
            ui.separator();
            ui.heading("Earlier days");
        }
        if earlier.is_empty() && history.is_loading() {
            ui.label("Reading the days behind today…");
        }
        for day in earlier {
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
                day_rows(ui, day, tz, None, &mut false);
            });
        }
    });
}

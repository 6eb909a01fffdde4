//! The history: how the last 7, 30, 90 or 365 days went (score against the day's ideal, the share
//! of pomodoros intended and achieved, streaks), a year's calendar, and one chosen day in detail
//! (its ring, intentions and journal). Left and Right, or a click, choose the day.

use bevy_egui::egui;
use egui_plot::{Bar, BarChart, Plot};
use jiff::civil::Date;
use std::collections::BTreeMap;

use super::Panels;
use crate::day::{Day, DayFigures, DayKind, Journal, JournalField, Kind, Stats, stats};
use crate::shell::past_days::{History, Loaded};
use crate::shell::ring::mesh::{palette, rating_color, segment_style};
use crate::shell::today::Today;

/// The ranges offered, in days up to today.
pub const RANGES: [i32; 4] = [7, 30, 90, 365];
/// A panel narrower than this (the mini view) says so instead of drawing charts nobody could read.
const MIN_WIDTH: f32 = 360.0;
/// The bar chart's height.
const PLOT_HEIGHT: f32 = 150.0;
/// The largest side of a calendar cell.
const MAX_CELL: f32 = 13.0;
/// A free day in the calendar and the charts: plainly not a zero.
const FREE: egui::Color32 = egui::Color32::from_rgb(38, 44, 56);
/// A work day with nothing recorded.
const NOT_RECORDED: egui::Color32 = egui::Color32::from_rgb(60, 64, 72);
/// Outline of the day's ideal in the bar chart.
const IDEAL: egui::Color32 = egui::Color32::from_rgb(136, 148, 166);

/// What the history panel remembers between frames: the range and the day chosen.
#[derive(Debug, Default)]
pub(super) struct HistoryView {
    /// Index into [`RANGES`]; starts at 30 days.
    range: usize,
    selected: Option<Date>,
    /// The figures of the range shown, computed once per read and range: (range, read, figures).
    shown: Option<(usize, u64, Stats)>,
}

impl HistoryView {
    pub(super) fn reopen(&mut self, today: Date) {
        if self.range == 0 && self.shown.is_none() {
            self.range = 1;
        }
        self.selected = Some(today);
        self.shown = None;
    }

    /// The figures of the range chosen, from `loaded` (the history's read number `read`), worked
    /// out once for each read and range: a read that comes while the panel is open (a day rated
    /// from the command line meanwhile) shows at once, in the summary and the bars as in the
    /// calendar.
    fn range_stats(&mut self, loaded: &Loaded, read: u64, now: jiff::Timestamp) -> &Stats {
        let range = self.range;
        if self.shown.as_ref().is_none_or(|(r, n, _)| *r != range || *n != read) {
            let from = (loaded.to - jiff::Span::new().days(RANGES[range] - 1)).max(loaded.from);
            // The same function as `pomodouroboros stats`, over days already in memory.
            let days: BTreeMap<Date, Day> =
                loaded.days.range(from..=loaded.to).map(|(d, day)| (*d, day.clone())).collect();
            let works =
                |date: Date| loaded.year.days.iter().find(|f| f.date == date).is_some_and(|f| f.kind != DayKind::Free);
            self.shown = Some((range, read, stats(from, loaded.to, &days, works, loaded.to, now)));
        }
        &self.shown.as_ref().expect("worked out above").2
    }
}

fn color(c: bevy::color::Srgba) -> egui::Color32 {
    let [r, g, b, _] = bevy::color::ColorToPacked::to_u8_array(c);
    egui::Color32::from_rgb(r, g, b)
}

/// The calendar colour of a day: how much of its ideal it scored, from the colour of a
/// pomodoro gone by unintended to the colour of an achieved one (one hue: readable whatever one's
/// colour vision); free days and days not recorded in colours of their own.
pub fn day_color(f: &DayFigures) -> egui::Color32 {
    match f.kind {
        DayKind::Free => FREE,
        DayKind::NotRecorded => NOT_RECORDED,
        DayKind::Worked => {
            let share = if f.counts.ideal_score > 0.0 {
                (f.counts.score / f.counts.ideal_score).clamp(0.0, 1.0) as f32
            } else {
                0.0
            };
            color(palette::POMODORO_UNINTENDED).lerp_to_gamma(color(palette::ACHIEVED), share)
        }
    }
}

pub(super) fn history_ui(ui: &mut egui::Ui, panels: &mut Panels, today: &Today, history: &History) {
    let Some(loaded) = history.loaded() else {
        ui.label(if history.is_loading() { "Reading the days behind today…" } else { "Nothing read yet." });
        ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
        return;
    };
    if ui.available_width() < MIN_WIDTH {
        ui.label("The history needs a larger window: press m for the normal view.");
        return;
    }
    let view = &mut panels.history_view;
    ui.horizontal(|ui| {
        ui.label("Last");
        for (i, days) in RANGES.into_iter().enumerate() {
            if ui.selectable_label(view.range == i, format!("{days} days")).clicked() {
                view.range = i;
            }
        }
    });
    view.range_stats(loaded, history.read_number(), today.now());
    choose_with_keys(ui, view, loaded);
    let Some((_, _, shown)) = &view.shown else { return };
    summary(ui, shown);
    if let Some(date) = bar_chart(ui, shown, view.selected) {
        view.selected = Some(date);
    }
    ui.add_space(6.0);
    if let Some(date) = calendar(ui, loaded, view.selected) {
        view.selected = Some(date);
    }
    ui.separator();
    if let Some(date) = view.selected {
        day_detail(ui, loaded, date, today);
    }
}

fn summary(ui: &mut egui::Ui, s: &Stats) {
    let t = &s.totals;
    let share = |n: u32| {
        if t.counts.pomodoros == 0 { 0 } else { (f64::from(n) * 100.0 / f64::from(t.counts.pomodoros)).round() as u32 }
    };
    let days = |n: u32| if n == 1 { "1 day".to_owned() } else { format!("{n} days") };
    ui.label(format!(
        "Score {:.2} of an ideal {:.2} · {} % of pomodoros intended, {} % achieved",
        t.counts.score,
        t.counts.ideal_score,
        share(t.counts.intended),
        share(t.counts.achieved)
    ));
    ui.label(format!(
        "Days with an achieved pomodoro in a row: {} now, {} at the longest",
        days(s.streaks.current),
        days(s.streaks.longest)
    ));
}

/// Left and Right move the chosen day through the year.
fn choose_with_keys(ui: &egui::Ui, view: &mut HistoryView, loaded: &Loaded) {
    let step =
        ui.input(|i| i64::from(i.key_pressed(egui::Key::ArrowRight)) - i64::from(i.key_pressed(egui::Key::ArrowLeft)));
    if step != 0 {
        let current = view.selected.unwrap_or(loaded.to);
        if let Ok(next) = current.checked_add(jiff::Span::new().days(step)) {
            view.selected = Some(next.clamp(loaded.from, loaded.to));
        }
    }
}

/// One bar per day: the score, over an outline of the day's ideal. Returns the day clicked.
fn bar_chart(ui: &mut egui::Ui, s: &Stats, selected: Option<Date>) -> Option<Date> {
    let dates: Vec<Date> = s.days.iter().map(|f| f.date).collect();
    let ideal: Vec<Bar> = s
        .days
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == DayKind::Worked)
        .map(|(x, f)| {
            Bar::new(x as f64, f.counts.ideal_score).width(0.8).fill(egui::Color32::TRANSPARENT).stroke((1.0, IDEAL))
        })
        .collect();
    let scores: Vec<Bar> = s
        .days
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == DayKind::Worked)
        .map(|(x, f)| {
            let chosen = Some(f.date) == selected;
            let fill = if chosen { color(palette::CURRENT) } else { color(palette::ACHIEVED) };
            Bar::new(x as f64, f.counts.score).width(0.8).fill(fill).name(f.date.to_string())
        })
        .collect();
    let (labels, starts) = (dates.clone(), month_starts(&dates));
    let response = Plot::new("history-bars")
        .height(PLOT_HEIGHT)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_grid([true, true])
        .include_y(0.0)
        .include_x(-0.5)
        .include_x(dates.len() as f64 - 0.5)
        // Months along the bottom: a mark where each begins, named ("Dec", "Jan 2027").
        .x_grid_spacer(move |_| {
            starts.iter().map(|&i| egui_plot::GridMark { value: i as f64, step_size: 30.0 }).collect()
        })
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() > 1e-6 || i < 0.0 {
                return String::new();
            }
            labels.get(i as usize).map(|d| month_label(*d)).unwrap_or_default()
        })
        .y_axis_label("points")
        .y_axis_min_width(28.0)
        // The score of the day pointed at shows on hover.
        .show_axes([true, true])
        .label_formatter(|hover| match hover {
            egui_plot::HoverPosition::NearDataPoint { plot_name: "score", position, .. } => {
                Some(format!("score {:.2}", position.y))
            }
            egui_plot::HoverPosition::NearDataPoint { position, .. } => Some(format!("ideal {:.2}", position.y)),
            egui_plot::HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("ideal", ideal).color(IDEAL));
            plot.bar_chart(BarChart::new("score", scores).color(color(palette::ACHIEVED)));
            plot.pointer_coordinate()
        });
    crate::shell::ui::report_rect("history-bars", response.response.rect);
    if response.response.clicked()
        && let Some(point) = response.inner
    {
        let i = point.x.round();
        if i >= 0.0 {
            return dates.get(i as usize).copied();
        }
    }
    None
}

/// Where each month begins among `dates` (the first date counts as a beginning).
fn month_starts(dates: &[Date]) -> Vec<usize> {
    (0..dates.len()).filter(|&i| i == 0 || dates[i].day() == 1).collect()
}

/// A month as the axis names it: "Dec", and with its year in January ("Jan 2027").
fn month_label(date: Date) -> String {
    if date.month() == 1 { date.strftime("%b %Y").to_string() } else { date.strftime("%b").to_string() }
}

/// A year as weeks (columns) by weekdays (rows, Monday on top), like a contribution graph.
/// Returns the day clicked.
fn calendar(ui: &mut egui::Ui, loaded: &Loaded, selected: Option<Date>) -> Option<Date> {
    let first = loaded.year.days.first()?.date;
    let offset = i32::from(first.weekday().to_monday_zero_offset());
    let weeks = (offset + loaded.year.days.len() as i32 + 6) / 7;
    let cell = (ui.available_width() / weeks as f32).clamp(4.0, MAX_CELL);
    let size = egui::vec2(cell * weeks as f32, cell * 7.0);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click());
    crate::shell::ui::report_rect("history-calendar", rect);
    let painter = ui.painter_at(rect);
    let place = |n: i32| {
        let (week, weekday) = ((offset + n) / 7, (offset + n) % 7);
        egui::Rect::from_min_size(
            rect.min + egui::vec2(week as f32 * cell, weekday as f32 * cell),
            egui::vec2(cell - 1.0, cell - 1.0),
        )
    };
    let mut clicked = None;
    let pointer = response.interact_pointer_pos().filter(|_| response.clicked());
    for (n, f) in loaded.year.days.iter().enumerate() {
        let r = place(n as i32);
        // A day with nothing recorded is hollow: told apart by shape, not only by colour.
        if f.kind == DayKind::NotRecorded {
            painter.rect_stroke(r.shrink(0.5), 1.0, (1.0, NOT_RECORDED), egui::StrokeKind::Inside);
        } else {
            painter.rect_filled(r, 1.0, day_color(f));
        }
        if Some(f.date) == selected {
            painter.rect_stroke(r.expand(1.0), 1.0, (1.5, color(palette::CURRENT)), egui::StrokeKind::Outside);
        }
        if pointer.is_some_and(|p| r.expand(0.5).contains(p)) {
            clicked = Some(f.date);
        }
    }
    ui.horizontal(|ui| {
        let key = [
            (FREE, "free day"),
            (NOT_RECORDED, "not recorded"),
            (color(palette::POMODORO_UNINTENDED), "none of the ideal"),
            (color(palette::ACHIEVED), "all of it"),
        ];
        for (c, what) in key {
            let (r, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
            if c == NOT_RECORDED {
                ui.painter().rect_stroke(r.shrink(0.5), 1.0, (1.0, c), egui::StrokeKind::Inside);
            } else {
                ui.painter().rect_filled(r, 1.0, c);
            }
            ui.label(egui::RichText::new(what).small());
        }
    });
    clicked
}

/// The chosen day: its ring drawn small with its ratings, its intentions and its journal.
fn day_detail(ui: &mut egui::Ui, loaded: &Loaded, date: Date, today: &Today) {
    let figures = loaded.year.days.iter().find(|f| f.date == date);
    ui.heading(date.strftime("%A %-d %B %Y").to_string());
    let Some(day) = loaded.days.get(&date).filter(|d| !d.intervals.is_empty()) else {
        ui.label(match figures.map(|f| f.kind) {
            Some(DayKind::Free) => "A free day.",
            _ => "Nothing recorded on this day.",
        });
        return;
    };
    if let Some(f) = figures {
        ui.label(format!(
            "{} pomodoros, {} intended, {} achieved · score {:.2} of {:.2}",
            f.counts.pomodoros, f.counts.intended, f.counts.achieved, f.counts.score, f.counts.ideal_score
        ));
    }
    ui.horizontal_top(|ui| {
        small_ring(ui, day, today.now());
        ui.vertical(|ui| {
            let tz = &today.session().tz;
            for iv in day.intervals.iter().filter(|iv| iv.kind == Kind::Pomodoro) {
                let Some(text) = &iv.intention else { continue };
                let rating = iv.rating.map_or("unrated", |r| r.name());
                let c = color(rating_color(iv.rating));
                ui.horizontal_wrapped(|ui| {
                    ui.label(egui::RichText::new(crate::format::clock(iv.start, tz)).weak());
                    ui.label(egui::RichText::new(rating).color(c));
                    ui.label(text);
                });
            }
        });
    });
    journal(ui, &day.journal);
}

/// The ring of a past day, small: each interval in the colour the ring gave it.
fn small_ring(ui: &mut egui::Ui, day: &Day, now: jiff::Timestamp) {
    let side = 110.0;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover());
    let Some((start, end)) = day.span() else { return };
    let painter = ui.painter_at(rect);
    let (center, radius, width) = (rect.center(), side * 0.40, side * 0.12);
    for iv in &day.intervals {
        let (c, share) = segment_style(iv, false, iv.end <= now);
        let a0 = crate::shell::ring::geometry::fraction(iv.start, start, end);
        let a1 = crate::shell::ring::geometry::fraction(iv.end, start, end);
        let steps = ((a1 - a0) * 120.0).ceil().max(1.0) as usize;
        let points: Vec<egui::Pos2> = (0..=steps)
            .map(|k| {
                // Clockwise from twelve o'clock, in screen coordinates (y down).
                let t = (a0 + (a1 - a0) * k as f32 / steps as f32) * std::f32::consts::TAU;
                center + egui::vec2(t.sin(), -t.cos()) * radius
            })
            .collect();
        painter.add(egui::Shape::line(points, (width * share, color(c))));
    }
}

fn journal(ui: &mut egui::Ui, journal: &Journal) {
    let written: Vec<JournalField> = JournalField::ALL.into_iter().filter(|f| !journal.get(*f).is_empty()).collect();
    if written.is_empty() {
        ui.label(egui::RichText::new("No journal that day.").weak());
        return;
    }
    ui.label(egui::RichText::new("Journal (private: shown only here)").strong());
    for field in written {
        ui.label(egui::RichText::new(field.title()).weak());
        ui.label(journal.get(field));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::{RateTarget, Rating};

    /// A read of one work day, `rated` or not.
    fn read_of(date: Date, rated: bool) -> Loaded {
        let mut day = crate::testing::fixture_day(date);
        let start = day.intervals[0].start;
        day.intend(start, "write").unwrap();
        if rated {
            day.rate(start + jiff::SignedDuration::from_mins(1), Rating::Achieved, RateTarget::Index(0)).unwrap();
        }
        let days = BTreeMap::from([(date, day)]);
        let end = date.tomorrow().unwrap().to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp();
        let year = stats(date, date, &days, |_| true, date, end);
        Loaded { from: date, to: date, year, days, took: Default::default(), notices: Vec::new() }
    }

    #[test]
    fn a_new_read_of_the_same_dates_shows_in_the_summary_at_once() {
        let date = jiff::civil::date(2026, 11, 24);
        let now = date.tomorrow().unwrap().to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp();
        let mut view = HistoryView::default();
        view.reopen(date);
        assert_eq!(view.range_stats(&read_of(date, false), 1, now).totals.counts.achieved, 0);
        // Rated from the command line meanwhile: the next read has the same dates.
        assert_eq!(view.range_stats(&read_of(date, true), 2, now).totals.counts.achieved, 1);
    }

    #[test]
    fn months_are_marked_where_they_begin_and_january_names_its_year() {
        let first = jiff::civil::date(2026, 11, 20);
        let dates: Vec<Date> = (0..60).map(|n| first.checked_add(jiff::Span::new().days(n)).unwrap()).collect();
        let starts = month_starts(&dates);
        assert_eq!(starts, [0, 11, 42]);
        let names: Vec<String> = starts.iter().map(|&i| month_label(dates[i])).collect();
        assert_eq!(names, ["Nov", "Dec", "Jan 2027"]);
    }
}

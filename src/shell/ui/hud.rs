//! The text inside the ring (or, while a panel covers the ring, in a bar above the panel) and the
//! key legend along the bottom edge.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

use super::report_rect;
use crate::day::{Day, Kind, Phase};
use crate::format::shorten;
use crate::format::{clock, time_left, wait_words};
use crate::shell::face::{ClockDetail, Countdowns, ShowsAll};
use crate::shell::input::KEYS;
use crate::shell::message_line::MessageLine;
use crate::shell::ring::Layout;
use crate::shell::screen::Areas;
use crate::shell::today::Today;
use crate::shell::window::ViewMode;
use jiff::Timestamp;

/// Text colour for secondary lines.
const DIM: egui::Color32 = egui::Color32::from_rgb(170, 178, 190);
/// Text colour for what asks for the user's attention.
const CALL: egui::Color32 = egui::Color32::from_rgb(240, 228, 66);
/// The smallest text drawn, in points: smaller is not readable.
const MIN_TEXT: f32 = 12.0;
/// The legend is shortened to these keys where the whole one would take more than two lines.
const SHORT_LEGEND: &[(&str, &str)] = &[("i", "intention"), ("1-4", "rate"), ("?", "help & keys"), ("q", "quit")];
/// Space between one key's pair and the next in the legend.
const LEGEND_GAP: f32 = 6.0;
/// A window narrower than this shows the short legend.
const FULL_LEGEND_WIDTH: f32 = 760.0;
/// Below this inner radius of the ring (logical pixels, as in a 300×300 window) the ring holds
/// only the pomodoro's number and the countdown: the rest would wrap into the ring and onto the
/// snake. (The score and the intention are in the list and behind `?`.)
const COMPACT_INNER: f32 = 130.0;

/// The most lines a message wraps to before it is cut (it must leave the countdown in view).
const MESSAGE_LINES: usize = 3;
/// A generous average width of a message character, in points, to size the cut.
const MESSAGE_CHAR_WIDTH: f32 = 7.0;

/// The title over the countdown.
fn title(day: &Day, now: Timestamp, tz: &jiff::tz::TimeZone) -> String {
    match (day.phase_at(now), day.interval_at(now)) {
        (Phase::Interval(kind), Some(i)) => match day.pomodoro_number(i) {
            Some(n) => format!("Pomodoro {n} of {}", day.pomodoro_indices().count()),
            None => kind_title(kind).to_owned(),
        },
        _ => match day.span() {
            None => "Free day".to_owned(),
            // Before work the time of day the work starts, with the wait as a plain duration: a
            // big "10:00" would read like a clock time.
            Some((start, _)) if start > now => format!("Work starts at {}", clock(start, tz)),
            Some(_) => "Day done".to_owned(),
        },
    }
}

/// The title where little room is left: the pomodoro's number alone ("Pomodoro 3"), or the
/// break's kind.
fn short_title(day: &Day, now: Timestamp) -> Option<String> {
    let i = day.interval_at(now)?;
    Some(match day.pomodoro_number(i) {
        Some(n) => format!("Pomodoro {n}"),
        None => kind_title(day.intervals[i].kind).to_owned(),
    })
}

/// Draws the phase, time left, intention and score in the middle of the ring, or in the bar
/// above a panel that covers the ring.
pub(super) fn draw_hud(
    mut contexts: EguiContexts,
    (today, line): (Res<Today>, Res<MessageLine>),
    layout: Res<Layout>,
    view: Res<State<ViewMode>>,
    areas: Res<Areas>,
    (detail, shows_all): (Res<ClockDetail>, Res<ShowsAll>),
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let day = today.day();
    let now = today.now();
    let tz = &today.session().tz;
    let detail = detail.0;
    let title = title(day, now, tz);
    let mini = *view.get() == ViewMode::Mini;
    let shown = Countdowns::of(day, now, today.score(), shows_all.0);
    let left = shown.interval_end.map(|end| time_left(now, end, detail));
    if let Some(bar) = areas.countdown_bar {
        draw_bar(ctx, bar, &title, left);
        return Ok(());
    }
    let big = (layout.0.radius * if mini { 0.30 } else { 0.22 }).clamp(16.0, 64.0);
    let small = |share: f32| (big * share).max(MIN_TEXT);
    let center = layout.0.window_center(areas.window);
    let inner = (layout.0.radius - layout.0.width).max(20.0);
    let compact = mini || inner < COMPACT_INNER;
    let title = if compact { short_title(day, now).unwrap_or(title) } else { title };
    egui::Area::new(egui::Id::new("hud"))
        .fixed_pos(egui::pos2(center.x, center.y))
        .pivot(egui::Align2::CENTER_CENTER)
        .interactable(false)
        .show(ctx, |ui| {
            ui.set_max_width(inner * 1.6);
            ui.vertical_centered(|ui| {
                let title_shown = ui.label(egui::RichText::new(&title).size(small(0.42)).color(DIM));
                report_rect("title", title_shown.rect);
                if let Some(left) = left {
                    let shown = ui.label(egui::RichText::new(left).size(big).strong().monospace());
                    report_rect("countdown", shown.rect);
                } else if let Some(start) = shown.work_start {
                    let wait = format!("in {}", wait_words(now, start));
                    let shown = ui.label(egui::RichText::new(wait).size(small(0.5)).strong());
                    report_rect("countdown", shown.rect);
                }
                if compact {
                    return;
                }
                intention_lines(
                    ui,
                    day,
                    now,
                    shown.grace_end.map(|end| time_left(now, end, detail.secondary())),
                    small(0.4),
                    inner * 1.6,
                );
                let s = today.score();
                ui.add_space(big * 0.2);
                let size = small(0.3);
                ui.label(egui::RichText::new(format!("Score {} · ideal {}", s.score, s.ideal)).size(size).color(DIM));
                if day.span().is_some_and(|(_, end)| now < end) {
                    ui.label(egui::RichText::new(format!("Still possible {}", s.possible)).size(size).color(DIM));
                }
                if s.streak > 1 {
                    ui.label(egui::RichText::new(format!("Streak {}", s.streak)).size(size).color(DIM));
                }
                if let Some(at) = shown.at_risk {
                    let text =
                        format!("Next point at risk {} ({})", clock(at, tz), time_left(now, at, detail.secondary()));
                    let shown = ui.label(egui::RichText::new(text).size(small(0.26)).color(DIM));
                    report_rect("at-risk", shown.rect);
                }
            });
        });
    draw_message(ctx, line.text(), areas.ring);
    Ok(())
}

/// The current pomodoro's intention (at most two lines, cut with an ellipsis, whole on hover) or
/// the call to set one, with the grace period's time left.
fn intention_lines(ui: &mut egui::Ui, day: &Day, now: Timestamp, grace_left: Option<String>, size: f32, width: f32) {
    let Some(i) = day.interval_at(now).filter(|&i| day.intervals[i].kind == Kind::Pomodoro) else { return };
    match &day.intervals[i].intention {
        Some(text) => {
            let mut job = egui::text::LayoutJob::single_section(
                text.clone(),
                egui::TextFormat::simple(egui::FontId::proportional(size), ui.visuals().strong_text_color()),
            );
            job.wrap = egui::text::TextWrapping {
                max_width: width,
                max_rows: 2,
                ..egui::text::TextWrapping::truncate_at_width(width)
            };
            job.halign = egui::Align::Center;
            // Laid out here, as a finished galley, so that the label keeps these wrapping rules.
            let galley = ui.fonts_mut(|f| f.layout_job(job));
            let shown = ui.label(galley);
            report_rect("intention", shown.rect);
        }
        None if let Some(grace) = grace_left => {
            ui.label(
                egui::RichText::new(format!("Press i to set an intention ({grace} left)"))
                    .size(size * 0.85)
                    .color(CALL),
            );
        }
        None => {
            ui.label(egui::RichText::new("No intention this time").size(size * 0.75).color(DIM));
            // The grace period was missed: a fresh pomodoro can start now (the original's "bonus
            // pomodoro").
            let offer = ui.label(egui::RichText::new("n starts a new pomodoro now").size(size * 0.7).color(CALL));
            report_rect("start-now-offer", offer.rect);
        }
    }
}

/// The countdown above a panel that covers the ring.
fn draw_bar(ctx: &egui::Context, bar: bevy::math::Rect, title: &str, left: Option<String>) {
    egui::Area::new(egui::Id::new("countdown-bar"))
        .fixed_pos(egui::pos2(bar.min.x + 8.0, bar.min.y + 4.0))
        .interactable(false)
        .show(ctx, |ui| {
            ui.set_max_width(bar.width() - 16.0);
            ui.horizontal(|ui| {
                if let Some(left) = left {
                    let shown = ui.label(egui::RichText::new(left).size(20.0).strong().monospace());
                    report_rect("countdown", shown.rect);
                }
                ui.add(egui::Label::new(egui::RichText::new(title).color(DIM)).truncate());
            });
        });
}

/// The last refusal or notice, along the top edge, wrapped to at most [`MESSAGE_LINES`] lines of
/// the ring's area (a file's path and what is wrong with it must be readable), cut beyond.
fn draw_message(ctx: &egui::Context, message: Option<&str>, area: bevy::math::Rect) {
    let Some(message) = message else { return };
    let width = (area.width() - 32.0).max(120.0);
    let max_chars = (width / MESSAGE_CHAR_WIDTH) as usize * MESSAGE_LINES;
    egui::Area::new(egui::Id::new("message"))
        .fixed_pos(egui::pos2(area.center().x, area.min.y + 8.0))
        .pivot(egui::Align2::CENTER_TOP)
        .interactable(false)
        .show(ctx, |ui| {
            ui.set_max_width(width);
            ui.label(egui::RichText::new(shorten(message, max_chars)).color(CALL));
        });
}

fn kind_title(kind: Kind) -> &'static str {
    match kind {
        Kind::Pomodoro => "Pomodoro",
        Kind::ShortBreak => "Short break",
        Kind::LongBreak => "Long break",
    }
}

/// Draws the key legend along the bottom edge (hidden in the mini view), wrapped within the
/// window, and shortened where the whole one would not fit in two lines.
pub(super) fn draw_legend(mut contexts: EguiContexts, areas: Res<Areas>) -> Result {
    let Some(band) = areas.bottom else { return Ok(()) };
    let ctx = contexts.ctx_mut()?;
    let keys = if band.width() < FULL_LEGEND_WIDTH { SHORT_LEGEND } else { KEYS };
    egui::Area::new(egui::Id::new("legend"))
        .fixed_pos(egui::pos2(band.center().x, band.max.y - 6.0))
        .pivot(egui::Align2::CENTER_BOTTOM)
        .interactable(false)
        .show(ctx, |ui| {
            let max_width = band.width() - 16.0;
            ui.set_max_width(max_width);
            // Rows packed by measuring each key with what it does, so a pair never splits and no
            // row runs past the band (egui's wrapping cannot see inside a nested row).
            let gap = ui.spacing().item_spacing.x;
            let key_font = egui::TextStyle::Monospace.resolve(ui.style());
            let what_font = egui::TextStyle::Body.resolve(ui.style());
            let width_of = |text: &str, font: &egui::FontId| {
                ui.painter().layout_no_wrap(text.to_owned(), font.clone(), DIM).size().x
            };
            let mut rows: Vec<Vec<(&str, &str)>> = vec![Vec::new()];
            let mut used = 0.0;
            for &(key, what) in keys {
                let width = width_of(key, &key_font) + gap + width_of(what, &what_font) + gap + LEGEND_GAP;
                if used > 0.0 && used + width > max_width {
                    rows.push(Vec::new());
                    used = 0.0;
                }
                used += width;
                rows.last_mut().expect("one row at least").push((key, what));
            }
            let shown = ui.vertical(|ui| {
                for row in rows {
                    ui.horizontal(|ui| {
                        for (key, what) in row {
                            ui.label(egui::RichText::new(key).strong().monospace());
                            ui.label(egui::RichText::new(what).color(DIM));
                            ui.add_space(LEGEND_GAP);
                        }
                    });
                }
            });
            report_rect("legend", shown.response.rect);
        });
    Ok(())
}

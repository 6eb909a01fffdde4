//! The text inside the ring and the key legend along the bottom edge.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

use crate::day::{Kind, Phase};
use crate::format::{clock, mmss, seconds_until};
use crate::shell::input::KEYS;
use crate::shell::ring::Layout;
use crate::shell::today::Today;
use crate::shell::window::{View, ViewMode};

/// Text colour for secondary lines.
const DIM: egui::Color32 = egui::Color32::from_rgb(170, 178, 190);

/// Draws the phase, time left, intention and score in the middle of the ring.
pub(super) fn draw_hud(mut contexts: EguiContexts, today: Res<Today>, layout: Res<Layout>, view: Res<View>) -> Result {
    let ctx = contexts.ctx_mut()?;
    let day = today.day();
    let now = today.now();
    let tz = &today.session().tz;
    let mini = view.0 == ViewMode::Mini;
    let big = (layout.0.radius * if mini { 0.30 } else { 0.22 }).clamp(14.0, 64.0);
    // The ring's centre in egui's coordinates (origin top-left, y down).
    let offset = egui::vec2(layout.0.center.x, -layout.0.center.y);
    egui::Area::new(egui::Id::new("hud")).anchor(egui::Align2::CENTER_CENTER, offset).interactable(false).show(
        ctx,
        |ui| {
            ui.set_max_width(layout.0.radius * 1.5);
            ui.vertical_centered(|ui| {
                let current = day.interval_at(now);
                let (title, left) = match (day.phase_at(now), current) {
                    (Phase::Interval(kind), Some(i)) => (kind_title(kind), seconds_until(now, day.intervals[i].end)),
                    _ => match day.span() {
                        None => ("Free day", 0),
                        Some((start, _)) if start > now => ("Before work", seconds_until(now, start)),
                        Some(_) => ("Day done", 0),
                    },
                };
                ui.label(egui::RichText::new(title).size(big * 0.45).color(DIM));
                if left > 0 {
                    ui.label(egui::RichText::new(mmss(left)).size(big).strong().monospace());
                }
                if mini {
                    return;
                }
                if let Some(i) = current.filter(|&i| day.intervals[i].kind == Kind::Pomodoro) {
                    match &day.intervals[i].intention {
                        Some(text) => {
                            ui.label(egui::RichText::new(text).size(big * 0.4).strong());
                        }
                        None if now < day.grace_end(i) => {
                            let grace = mmss(seconds_until(now, day.grace_end(i)));
                            ui.label(
                                egui::RichText::new(format!("Press i to set an intention ({grace} left)"))
                                    .size(big * 0.34)
                                    .color(egui::Color32::from_rgb(240, 228, 66)),
                            );
                        }
                        None => {
                            ui.label(egui::RichText::new("No intention this time").size(big * 0.3).color(DIM));
                        }
                    }
                }
                let s = today.score();
                ui.add_space(big * 0.2);
                let over = day.span().is_none_or(|(_, end)| now >= end);
                let line = if over {
                    format!("Score {} · ideal {}", s.score, s.ideal)
                } else {
                    format!("Score {} · ideal {} · still possible {}", s.score, s.ideal, s.possible)
                };
                ui.label(egui::RichText::new(line).size(big * 0.3).color(DIM));
                if s.streak > 1 {
                    ui.label(egui::RichText::new(format!("Streak {}", s.streak)).size(big * 0.3).color(DIM));
                }
                if let Some(at) = s.next_loss_at {
                    ui.label(
                        egui::RichText::new(format!(
                            "Next point at risk {} ({})",
                            clock(at, tz),
                            mmss(seconds_until(now, at))
                        ))
                        .size(big * 0.26)
                        .color(DIM),
                    );
                }
            });
        },
    );
    if let Some(message) = today.message() {
        egui::Area::new(egui::Id::new("message"))
            .anchor(egui::Align2::CENTER_TOP, [0.0, 8.0])
            .interactable(false)
            .show(ctx, |ui| {
                ui.label(egui::RichText::new(message).color(egui::Color32::from_rgb(240, 228, 66)));
            });
    }
    Ok(())
}

fn kind_title(kind: Kind) -> &'static str {
    match kind {
        Kind::Pomodoro => "Pomodoro",
        Kind::ShortBreak => "Short break",
        Kind::LongBreak => "Long break",
    }
}

/// Draws the one-line key legend along the bottom edge (hidden in the mini view).
pub(super) fn draw_legend(mut contexts: EguiContexts) -> Result {
    let ctx = contexts.ctx_mut()?;
    egui::Area::new(egui::Id::new("legend")).anchor(egui::Align2::CENTER_BOTTOM, [0.0, -6.0]).interactable(false).show(
        ctx,
        |ui| {
            ui.horizontal(|ui| {
                for (key, what) in KEYS {
                    ui.label(egui::RichText::new(*key).strong().monospace());
                    ui.label(egui::RichText::new(*what).color(DIM));
                    ui.add_space(6.0);
                }
            });
        },
    );
    Ok(())
}

//! Around the ring: the rating strip above the legend, and the lists of planned ("Up next") and
//! achieved ("Done today") intentions, beside the ring or in a band above it.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

use super::report_rect;
use crate::day::Rating;
use crate::format::shorten;
use crate::shell::actions::{Act, DayAction, Origin};
use crate::shell::screen::{Areas, ListsPlace};
use crate::shell::today::Today;

/// The longest intention quoted in the rating strip's question, in characters.
const STRIP_QUOTE_CHARS: usize = 48;
/// An item of the lists in the band above the ring, in characters.
const BAND_ITEM_CHARS: usize = 40;

/// The rating choices shown above the legend while a pomodoro can be rated; they wrap onto more
/// lines rather than run off the window's edges.
pub(super) fn draw_rating_strip(
    mut contexts: EguiContexts,
    today: Res<Today>,
    areas: Res<Areas>,
    mut acts: MessageWriter<Act>,
) -> Result {
    let Some(band) = areas.bottom else { return Ok(()) };
    let ctx = contexts.ctx_mut()?;
    let now = today.now();
    let Some(i) = today.day().rating_target(now) else { return Ok(()) };
    let iv = &today.day().intervals[i];
    let intention = iv.intention.clone().unwrap_or_default();
    let current = iv.rating;
    let mut chosen = None;
    let width = (band.width() - 16.0).max(100.0);
    egui::Area::new(egui::Id::new("rating"))
        .fixed_pos(egui::pos2(band.center().x, band.min.y + 2.0))
        .pivot(egui::Align2::CENTER_TOP)
        .show(ctx, |ui| {
            ui.set_max_width(width);
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("How did “{}” go?", shorten(&intention, STRIP_QUOTE_CHARS))).on_hover_text(&intention);
                for (n, rating) in Rating::ALL.into_iter().enumerate() {
                    let label = format!("{} {}", n + 1, rating.name());
                    let button = ui.selectable_label(current == Some(rating), label);
                    report_rect(["rate-1", "rate-2", "rate-3", "rate-4"][n], button.rect);
                    if button.clicked() {
                        chosen = Some(rating);
                    }
                }
            });
        });
    if let Some(rating) = chosen {
        acts.write(Act::new(DayAction::Rate(rating, crate::day::RateTarget::Index(i)), Origin::Button));
    }
    Ok(())
}

/// Achieved intentions stay in view for the rest of the day; planned ones too. Beside the ring
/// they wrap; in the band above it each takes one line, cut to fit (whole on hover).
pub(super) fn draw_lists(mut contexts: EguiContexts, today: Res<Today>, areas: Res<Areas>) -> Result {
    let ctx = contexts.ctx_mut()?;
    let done: Vec<&str> = today.day().achieved().map(|(_, t)| t).collect();
    let plan = &today.day().plan;
    let lists = [("Up next", "›", plan.iter().map(String::as_str).collect::<Vec<_>>()), ("Done today", "★", done)];
    for (side, (title, mark, items)) in lists.into_iter().enumerate() {
        if items.is_empty() {
            continue;
        }
        let (pos, align, width, band) = match areas.lists {
            ListsPlace::Hidden => return Ok(()),
            ListsPlace::Beside(width) => {
                let x = if side == 0 { areas.ring.min.x + 16.0 } else { areas.ring.max.x - 16.0 };
                (egui::pos2(x, areas.ring.min.y + 16.0), side, width, None)
            }
            ListsPlace::Above(band) => {
                let x = if side == 0 { band.min.x + 8.0 } else { band.max.x - 8.0 };
                (egui::pos2(x, band.min.y + 4.0), side, band.width() / 2.0 - 16.0, Some(band))
            }
        };
        let pivot = if align == 0 { egui::Align2::LEFT_TOP } else { egui::Align2::RIGHT_TOP };
        egui::Area::new(egui::Id::new(title)).fixed_pos(pos).pivot(pivot).interactable(band.is_some()).show(
            ctx,
            |ui| {
                ui.set_max_width(width);
                ui.label(egui::RichText::new(title).strong());
                match band {
                    None => {
                        for text in items {
                            ui.label(format!("{mark} {text}"));
                        }
                    }
                    Some(band) => {
                        // As many lines as the band holds; the rest are counted.
                        let rows = ((band.height() - 22.0) / 16.0).floor().max(1.0) as usize;
                        let shown = if items.len() > rows { rows - 1 } else { items.len() };
                        for text in &items[..shown] {
                            ui.add(egui::Label::new(format!("{mark} {}", shorten(text, BAND_ITEM_CHARS))).truncate())
                                .on_hover_text(*text);
                        }
                        if items.len() > shown {
                            ui.label(format!("and {} more", items.len() - shown));
                        }
                    }
                }
            },
        );
    }
    Ok(())
}

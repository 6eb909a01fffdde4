//! The overlay's caption: every few pulses the current intention (or how to set one) fades in
//! beside the bar or inside the ring, long enough to read, in each overlay's own egui context.

use bevy::prelude::*;
use bevy_egui::{EguiContext, egui};

use super::{CAPTION_STEPS, CaptionBox, Moment, OverlayCamera, OverlayWindow, caption_steps};
use crate::day::overlay::{caption, caption_opacity};
use crate::day::{Edge, OverlayStyle};
use crate::shell::today::Today;

/// The caption's text size, in pixels.
const CAPTION_SIZE: f32 = 17.0;
/// The smallest it gets inside a small ring.
const MIN_CAPTION_SIZE: f32 = 11.0;

/// Runs in the frame's egui pass (between bevy_egui's begin and end of each context's pass): the
/// caption at its opacity this instant, over a dark backing so it reads on any background.
pub(super) fn draw_captions(
    today: Res<Today>,
    moment: Res<Moment>,
    mut overlays: Query<(&OverlayWindow, &mut CaptionBox)>,
    mut contexts: Query<&mut EguiContext, With<OverlayCamera>>,
) {
    let Moment { look, urgency, since, asleep, .. } = *moment;
    let (day, now) = (today.day(), today.now());
    // In a few steps: each is a frame. None while nobody is at the keyboard.
    let alpha = if asleep { 0.0 } else { caption_steps(caption_opacity(urgency, since)) as f32 / CAPTION_STEPS as f32 };
    let in_ring = look.style == OverlayStyle::Ring;
    let text = if alpha > 0.0 { caption(day, now, urgency, in_ring) } else { None };
    // A new overlay's egui context has begun its first pass (and has fonts) once it shows.
    for (overlay, mut drawn_at) in overlays.iter_mut().filter(|(o, _)| o.shown()) {
        let Ok(mut context) = contexts.get_mut(overlay.camera) else { continue };
        let Some(text) = text.as_deref() else {
            drawn_at.set_if_neq(CaptionBox(None));
            continue;
        };
        let ctx = context.get_mut();
        let screen = ctx.content_rect();
        let (anchor, at) = match (look.style, look.edge) {
            (OverlayStyle::Ring, _) => (egui::Align2::CENTER_CENTER, screen.center()),
            (OverlayStyle::Bar, Edge::Bottom) => (egui::Align2::CENTER_BOTTOM, screen.center_bottom()),
            (OverlayStyle::Bar, Edge::Top) => (egui::Align2::CENTER_TOP, screen.center_top()),
            (OverlayStyle::Bar, Edge::Left) => (egui::Align2::RIGHT_CENTER, screen.right_center()),
            (OverlayStyle::Bar, Edge::Right) => (egui::Align2::LEFT_CENTER, screen.left_center()),
        };
        // Beside a bar the caption sits in the band next to it, clear of the bar itself.
        let thickness = match look.edge {
            Edge::Top | Edge::Bottom => screen.height() - crate::day::overlay::CAPTION_BAND as f32,
            Edge::Left | Edge::Right => screen.width() - crate::day::overlay::CAPTION_COLUMN as f32,
        };
        let offset = match (look.style, look.edge) {
            (OverlayStyle::Ring, _) => egui::Vec2::ZERO,
            (_, Edge::Bottom) => egui::vec2(0.0, -thickness - 4.0),
            (_, Edge::Top) => egui::vec2(0.0, thickness + 4.0),
            (_, Edge::Left) => egui::vec2(-8.0, 0.0),
            (_, Edge::Right) => egui::vec2(8.0, 0.0),
        };
        let painter = ctx.layer_painter(egui::LayerId::background());
        // Inside a ring: within its hole, smaller on a small ring, three lines at most; beside a
        // bar: one line in its band. What does not fit ends in an ellipsis.
        let hole = 2.0 * super::shape::ring_hole(screen.width().min(screen.height()));
        let (size, max_width, rows) = match look.style {
            OverlayStyle::Ring => (CAPTION_SIZE.min(hole / 7.0).max(MIN_CAPTION_SIZE), hole * 0.8, 3),
            OverlayStyle::Bar => (CAPTION_SIZE, screen.width() - 16.0, 1),
        };
        let white = egui::Color32::from_white_alpha((alpha * 255.0) as u8);
        let mut job =
            egui::text::LayoutJob::simple(text.to_owned(), egui::FontId::proportional(size), white, max_width);
        job.wrap.max_rows = rows;
        job.wrap.break_anywhere = false;
        let galley = painter.layout_job(job);
        let rect = anchor.anchor_size(at + offset, galley.size());
        let backing = egui::Color32::from_black_alpha((alpha * 170.0) as u8);
        let backed = rect.expand(4.0);
        painter.rect_filled(backed, 4.0, backing);
        painter.galley(rect.min, galley, white);
        drawn_at.set_if_neq(CaptionBox(Some([backed.min.x, backed.min.y, backed.max.x, backed.max.y])));
    }
}

//! egui: the text inside the ring, the key legend, the rating strip, the lists and the panels.

mod beside_ring;
pub mod clipboard;
pub mod fonts;
pub mod hud;
pub mod panels;
pub mod typing;

use bevy::prelude::*;
use bevy_egui::{EguiPrimaryContextPass, egui};
use std::collections::HashMap;
use std::sync::Mutex;

use super::input::panel_open;
use super::window::ViewMode;

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((panels::plugin, typing::plugin, fonts::plugin, clipboard::plugin));
    app.add_systems(
        EguiPrimaryContextPass,
        (
            hud::draw_hud,
            (hud::draw_legend, beside_ring::draw_rating_strip.run_if(not(panel_open)), beside_ring::draw_lists)
                .run_if(not(in_state(ViewMode::Mini))),
            panels::draw_panels,
        )
            .chain(),
    );
}

/// The rectangles last reported, so each change is logged once.
static REPORTED: Mutex<Option<HashMap<&'static str, [i32; 4]>>> = Mutex::new(None);

/// Logs where a named piece of text was drawn (at debug level, when it moved), so that tests of
/// the real window can check by the screenshot's pixels that it is in view and not covered.
/// Enable with `RUST_LOG=pomodouroboros::layout=debug`.
pub fn report_rect(name: &'static str, rect: egui::Rect) {
    if !bevy::log::tracing::enabled!(target: "pomodouroboros::layout", bevy::log::Level::DEBUG) {
        return;
    }
    let r = [rect.min.x, rect.min.y, rect.max.x, rect.max.y].map(|v| v.round() as i32);
    let mut reported = REPORTED.lock().unwrap_or_else(|e| e.into_inner());
    if reported.get_or_insert_default().insert(name, r) != Some(r) {
        debug!(target: "pomodouroboros::layout", "{name} {} {} {} {}", r[0], r[1], r[2], r[3]);
    }
}

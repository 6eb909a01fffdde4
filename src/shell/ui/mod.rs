//! egui: the text inside the ring, the key legend, the rating strip, and the panels.

mod hud;
pub mod panels;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::AppSystems;
use super::input::KeysBlocked;
use super::window::{View, ViewMode};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<panels::Panels>();
    app.add_systems(Update, panels::open_panels.in_set(AppSystems::Update));
    app.add_systems(
        EguiPrimaryContextPass,
        (
            hud::draw_hud,
            (hud::draw_legend, panels::draw_rating_strip, panels::draw_done_list).run_if(not_mini),
            panels::draw_panels,
            block_keys_while_typing,
        )
            .chain(),
    );
}

fn not_mini(view: Res<View>) -> bool {
    view.0 != ViewMode::Mini
}

/// Runs last in the egui pass: while a text box has focus, no key is an action.
fn block_keys_while_typing(mut contexts: EguiContexts, mut blocked: ResMut<KeysBlocked>) -> Result {
    let ctx = contexts.ctx_mut()?;
    let wants = ctx.egui_wants_keyboard_input();
    blocked.set_if_neq(KeysBlocked(wants));
    Ok(())
}

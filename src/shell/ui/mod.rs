//! egui: the text inside the ring, the key legend, and the panels.

mod hud;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::input::KeysBlocked;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        (hud::draw_hud, hud::draw_legend, block_keys_while_typing).chain(),
    );
}

/// Runs last in the egui pass: while a text box has focus, no key is an action.
fn block_keys_while_typing(mut contexts: EguiContexts, mut blocked: ResMut<KeysBlocked>) -> Result {
    let wants = contexts.ctx_mut()?.egui_wants_keyboard_input();
    if blocked.0 != wants {
        blocked.0 = wants;
    }
    Ok(())
}

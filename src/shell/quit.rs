//! Quitting without losing anything. `q`, Ctrl+Q, the window's close button and `window quit` end
//! the app at once when the day is saved; while changes the store refused wait to be saved, the
//! quit panel says so first and the app ends only when asked again (a copy of the day then goes
//! where it can be written: see `persist`). Headless apps quit the same way.

use bevy::prelude::*;
use bevy::window::{PrimaryWindow, WindowCloseRequested};

use super::AppSystems;
use super::input::{Action, Panel, PanelState};
use super::persist::Persist;

pub(super) fn plugin(app: &mut App) {
    // Registered here too, so that a headless app (no window plugin) runs the same systems.
    app.add_message::<WindowCloseRequested>();
    app.add_systems(
        Update,
        close_button_quits
            .in_set(AppSystems::RecordInput)
            .after(super::input::record_keys)
            .before(super::notify::apply_invoked),
    );
    app.add_systems(Update, quit.in_set(AppSystems::Update));
}

/// Runs with the keys: the primary window's close button is a quit, as `q` is.
fn close_button_quits(
    mut closing: MessageReader<WindowCloseRequested>,
    primary: Query<(), With<PrimaryWindow>>,
    mut actions: MessageWriter<Action>,
) {
    if closing.read().any(|c| primary.contains(c.window)) {
        actions.write(Action::Quit);
    }
}

/// Runs after: a quit ends the app when the day is saved (it is saved once more as the app
/// exits); with changes not on disk, the quit panel opens first, and a quit asked while it is open
/// ends the app.
fn quit(
    mut actions: MessageReader<Action>,
    persist: Option<Res<Persist>>,
    state: Res<State<PanelState>>,
    mut next: ResMut<NextState<PanelState>>,
    mut exit: MessageWriter<AppExit>,
) {
    if !actions.read().any(|a| *a == Action::Quit) {
        return;
    }
    let unsaved = persist.as_ref().and_then(|p| p.unsaved());
    if unsaved.is_none() || *state.get() == PanelState::Open(Panel::Quit) {
        exit.write(AppExit::Success);
    } else {
        info!("quit asked with changes not saved; the quit panel asks first");
        next.set(PanelState::Open(Panel::Quit));
    }
}

//! Quitting without losing anything. `q`, Ctrl+Q, the window's close button and `window quit` end
//! the app at once when the day is saved; while changes the store refused wait to be saved, the
//! quit panel says so first and the app ends only when asked again (a copy of the day then goes
//! where it can be written: see `persist`). Headless apps quit the same way.
//! While something else keeps the day in view (a tray host showing the item, the overlay), the
//! close button puts the window away instead (see `visibility::PutAway`), as the original lives on
//! in the menu bar; `q` and the tray's *Quit* still end the app.

use bevy::prelude::*;
use bevy::window::{PrimaryWindow, WindowCloseRequested};

use super::AppSystems;
use super::input::{Action, Panel, PanelState};
use super::persist::Persist;
use super::visibility::PutAway;
use super::window::Raise;

/// What keeps the app running with its window closed: a tray host showing the item, or the
/// overlay keeping the day in view. Each is set by its own feature.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StayOnClose {
    pub tray: bool,
    pub overlay: bool,
}

impl StayOnClose {
    /// Whether closing the window puts it away rather than quitting.
    pub fn any(self) -> bool {
        self.tray || self.overlay
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<StayOnClose>();
    app.add_message::<Raise>();
    // Registered here too, so that a headless app (no window plugin) runs the same systems.
    app.add_message::<WindowCloseRequested>();
    app.add_systems(
        Update,
        close_button_quits
            .in_set(AppSystems::RecordInput)
            .after(super::input::record_keys)
            .before(super::notify::apply_invoked),
    );
    app.add_systems(Update, (quit, show_when_nothing_stays).chain().in_set(AppSystems::Update));
}

/// Runs with the keys: the primary window's close button is a quit, as `q` is, unless the tray or
/// the overlay keeps the app: then the window is put away, the day runs on.
pub(crate) fn close_button_quits(
    mut closing: MessageReader<WindowCloseRequested>,
    mut primary: Query<&mut Window, With<PrimaryWindow>>,
    (stay, mut put_away): (Res<StayOnClose>, ResMut<PutAway>),
    mut actions: MessageWriter<Action>,
) {
    let Some(window) = closing.read().filter(|c| primary.contains(c.window)).map(|c| c.window).last() else {
        return;
    };
    debug!("close button: {}", if stay.any() { "put away" } else { "quit" });
    if !stay.any() {
        actions.write(Action::Quit);
        return;
    }
    if let Ok(mut window) = primary.get_mut(window) {
        info!("window put away: the app runs on in the {}", if stay.tray { "tray" } else { "overlay" });
        super::visibility::put_away(&mut window, &mut put_away);
    }
}

/// Runs with the actions: when nothing keeps the day in view any more (the tray host went, the
/// overlay ended with the work day) a window that was put away shows again, rather than leaving
/// an app nobody can see.
fn show_when_nothing_stays(stay: Res<StayOnClose>, put_away: Res<PutAway>, mut raise: MessageWriter<Raise>) {
    if stay.is_changed() && !stay.any() && put_away.0 {
        info!("window shown again: neither the tray nor the overlay keeps the day in view");
        raise.write(Raise);
    }
}

/// Runs after: a quit ends the app when the day is saved (it is saved once more as the app
/// exits); with changes not on disk, the quit panel opens first (in a window brought back, if it
/// was put away), and a quit asked while it is open ends the app.
fn quit(
    mut actions: MessageReader<Action>,
    persist: Option<Res<Persist>>,
    state: Res<State<PanelState>>,
    mut next: ResMut<NextState<PanelState>>,
    mut exit: MessageWriter<AppExit>,
    mut raise: MessageWriter<Raise>,
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
        raise.write(Raise);
    }
}

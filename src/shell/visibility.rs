//! Whether the window can be seen: a hidden window (minimised, or wholly covered where the
//! platform says so) renders and presents nothing, and the rest of the app may sleep longer.

use bevy::prelude::*;
use bevy::window::{WindowFocused, WindowOccluded};

use super::face::KeepDrawing;

/// The main window's camera (the overlay's windows have cameras of their own).
#[derive(Component, Debug, Default)]
pub struct MainCamera;

/// Whether the window is hidden (minimised, or wholly covered where the platform says so).
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hidden(pub bool);

/// Whether nobody is there to see the window: the user is away from the keyboard (see `afk.rs`).
/// The window then draws as a hidden one does: nothing, waking only for the day's events.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unwatched(pub bool);

/// Whether the window is put away while the tray or the overlay keeps the day in view: minimised
/// and out of the taskbar and pager, until it has the focus again (whatever brought it back: the
/// tray, a second launch, a notification's button all raise and focus it).
///
/// Minimised rather than unmapped: the window manager keeps the window, its frame and its place,
/// as for its own minimise button (a window the app unmaps is let go and taken anew when mapped).
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PutAway(pub bool);

/// Puts the window away (see [`PutAway`]).
pub fn put_away(window: &mut Window, put_away: &mut PutAway) {
    window.set_minimized(true);
    put_away.0 = true;
}

/// Whether drawing the window would be seen by no one.
pub fn unseen(hidden: Hidden, unwatched: Unwatched) -> bool {
    hidden.0 || unwatched.0
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Hidden>();
    app.init_resource::<Unwatched>();
    app.init_resource::<PutAway>();
    // Registered here too, so that a headless app (no window plugin) runs the same systems.
    app.add_message::<WindowOccluded>();
    app.add_message::<WindowFocused>();
    app.add_systems(First, (note_hidden, draw_only_when_shown).chain().after(bevy::ecs::message::MessageUpdateSystems));
}

/// Runs first in the frame, before anything decides what to draw: the platform reports a hidden
/// window as occluded (on X11 when it is fully covered; on Wayland when suspended); a window put
/// away is hidden until it has the focus again.
fn note_hidden(
    (mut occluded, mut focus): (MessageReader<WindowOccluded>, MessageReader<WindowFocused>),
    primary: Query<(), With<bevy::window::PrimaryWindow>>,
    mut was_occluded: Local<bool>,
    (mut put_away, mut hidden): (ResMut<PutAway>, ResMut<Hidden>),
) {
    if let Some(last) = occluded.read().filter(|o| primary.contains(o.window)).last() {
        *was_occluded = last.occluded;
    }
    if focus.read().any(|f| f.focused && primary.contains(f.window)) && put_away.0 {
        put_away.0 = false;
    }
    hidden.set_if_neq(Hidden(*was_occluded || put_away.0));
}

/// Runs right after: a hidden window's camera is switched off, so the frame renders nothing and
/// presents nothing, and back on, in the same frame, when the window shows again.
fn draw_only_when_shown(
    (hidden, unwatched): (Res<Hidden>, Res<Unwatched>),
    keep_drawing: Res<KeepDrawing>,
    mut cameras: Query<&mut Camera, With<MainCamera>>,
) {
    if !hidden.is_changed() && !unwatched.is_changed() {
        return;
    }
    let active = !unseen(*hidden, *unwatched) || keep_drawing.0;
    for mut camera in &mut cameras {
        if camera.is_active != active {
            camera.is_active = active;
        }
    }
}

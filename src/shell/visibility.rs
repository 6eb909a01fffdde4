//! Whether the window can be seen: a hidden window (minimised, or wholly covered where the
//! platform says so) renders and presents nothing, and the rest of the app may sleep longer.

use bevy::prelude::*;
use bevy::window::WindowOccluded;

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

/// Whether drawing the window would be seen by no one.
pub fn unseen(hidden: Hidden, unwatched: Unwatched) -> bool {
    hidden.0 || unwatched.0
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Hidden>();
    app.init_resource::<Unwatched>();
    // Registered here too, so that a headless app (no window plugin) runs the same systems.
    app.add_message::<WindowOccluded>();
    app.add_systems(First, (note_hidden, draw_only_when_shown).chain().after(bevy::ecs::message::MessageUpdateSystems));
}

/// Runs first in the frame, before anything decides what to draw: the platform reports a hidden
/// window as occluded (on X11 when it is minimised or fully covered; on Wayland when suspended),
/// and a window put away in the tray is not visible at all.
fn note_hidden(
    mut occluded: MessageReader<WindowOccluded>,
    primary: Query<(Entity, &Window), With<bevy::window::PrimaryWindow>>,
    mut was_occluded: Local<bool>,
    mut hidden: ResMut<Hidden>,
) {
    let Ok((entity, window)) = primary.single() else { return };
    if let Some(last) = occluded.read().filter(|o| o.window == entity).last() {
        *was_occluded = last.occluded;
    }
    hidden.set_if_neq(Hidden(*was_occluded || !window.visible));
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

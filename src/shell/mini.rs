//! The mini view as a companion: no title bar, moved by dragging anywhere, kept above other
//! windows and on every workspace where the window manager allows it (X11's `_NET_WM_STATE`
//! ABOVE and STICKY; a Wayland compositor decides that itself).

use bevy::diagnostic::FrameCount;
use bevy::prelude::*;
use bevy::window::{PrimaryWindow, RawHandleWrapper};
use bevy_egui::EguiContexts;

use super::AppSystems;
use super::platform::x11::{X11, X11Request};
use super::window::ViewMode;

/// The first frame after which the window is surely mapped: a window manager ignores state
/// changes asked of a window it does not manage yet (which is why `--mini` was not on top).
const MAPPED_BY_FRAME: u32 = 3;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, (drag_mini, pin_mini).in_set(AppSystems::Update));
}

/// Runs with the actions: in the mini view, pressing the left button anywhere egui does not use
/// starts moving the window (it has no title bar to hold).
fn drag_mini(
    view: Res<State<ViewMode>>,
    buttons: Res<ButtonInput<MouseButton>>,
    mut contexts: EguiContexts,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
) {
    if *view.get() != ViewMode::Mini || !buttons.just_pressed(MouseButton::Left) {
        return;
    }
    if contexts.ctx_mut().is_ok_and(|ctx| ctx.is_pointer_over_egui()) {
        return;
    }
    if let Ok(mut window) = windows.single_mut() {
        window.start_drag_move();
    }
}

/// Runs each frame but acts only when the view changes (or the window first shows): entering the
/// mini view asks the window manager to keep the window above others and on every workspace,
/// leaving it takes that back. The X11 client's thread makes the request.
fn pin_mini(
    view: Res<State<ViewMode>>,
    frames: Res<FrameCount>,
    mut pinned: Local<Option<bool>>,
    windows: Query<&RawHandleWrapper, With<PrimaryWindow>>,
    x11: Option<Res<X11>>,
) {
    let want = *view.get() == ViewMode::Mini;
    if frames.0 < MAPPED_BY_FRAME || *pinned == Some(want) {
        return;
    }
    let first = pinned.is_none();
    *pinned = Some(want);
    if first && !want {
        return;
    }
    let Ok(handle) = windows.single() else { return };
    let Some(id) = super::window::x11_id(handle) else {
        return debug!("mini view: above and sticky are the compositor's to decide here");
    };
    match x11.as_deref() {
        Some(x11) => {
            x11.send(X11Request::KeepAbove { window: id, on: want });
        }
        None => warn!("mini view: no X11 client to keep it above and on every workspace"),
    }
}

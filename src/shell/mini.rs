//! The mini view as a companion: no title bar, moved by dragging anywhere, kept above other
//! windows and on every workspace where the window manager allows it (X11's `_NET_WM_STATE`
//! ABOVE and STICKY; a Wayland compositor decides that itself).

use bevy::diagnostic::FrameCount;
use bevy::prelude::*;
use bevy::window::{PrimaryWindow, RawHandleWrapper};
use bevy_egui::EguiContexts;
use raw_window_handle::RawWindowHandle;

use super::AppSystems;
use super::window::{View, ViewMode};

/// The first frame after which the window is surely mapped: a window manager ignores state
/// changes asked of a window it does not manage yet (which is why `--mini` was not on top).
const MAPPED_BY_FRAME: u32 = 3;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, (drag_mini, pin_mini).in_set(AppSystems::Update));
}

/// Runs with the actions: in the mini view, pressing the left button anywhere egui does not use
/// starts moving the window (it has no title bar to hold).
fn drag_mini(
    view: Res<View>,
    buttons: Res<ButtonInput<MouseButton>>,
    mut contexts: EguiContexts,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
) {
    if view.0 != ViewMode::Mini || !buttons.just_pressed(MouseButton::Left) {
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
/// leaving it takes that back. The request goes from a thread of its own.
fn pin_mini(
    view: Res<View>,
    frames: Res<FrameCount>,
    mut pinned: Local<Option<bool>>,
    windows: Query<&RawHandleWrapper, With<PrimaryWindow>>,
) {
    let want = view.0 == ViewMode::Mini;
    if frames.0 < MAPPED_BY_FRAME || *pinned == Some(want) {
        return;
    }
    let first = pinned.is_none();
    *pinned = Some(want);
    if first && !want {
        return;
    }
    let Ok(handle) = windows.single() else { return };
    let id = match handle.get_window_handle() {
        RawWindowHandle::Xlib(h) => h.window as u32,
        RawWindowHandle::Xcb(h) => h.window.get(),
        _ => return debug!("mini view: above and sticky are the compositor's to decide here"),
    };
    let spawned = std::thread::Builder::new().name("window state".into()).spawn(move || {
        if let Err(e) = x11_state(id, want) {
            warn!("mini view: could not ask to keep it above and on every workspace ({e})");
        }
    });
    if let Err(e) = spawned {
        warn!("mini view: no thread ({e})");
    }
}

/// How often, and how many times, the request is made again until the window manager shows it
/// was granted (one that is still starting drops requests; with none at all, nothing will come).
const ASK_AGAIN_AFTER: std::time::Duration = std::time::Duration::from_millis(500);
const ASK_AT_MOST: usize = 10;

/// Asks the window manager (EWMH `_NET_WM_STATE` client messages to the root window) to add or
/// remove ABOVE and STICKY on `window`, and to show it on all desktops or the current one; asks
/// again until the window's state says it was done.
fn x11_state(window: u32, on: bool) -> Result<(), String> {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{AtomEnum, ClientMessageEvent, ConnectionExt, EventMask};
    let (conn, screen) = x11rb::connect(None).map_err(|e| e.to_string())?;
    let root = conn.setup().roots[screen].root;
    let atom = |name: &str| -> Result<u32, String> {
        let cookie = conn.intern_atom(false, name.as_bytes()).map_err(|e| e.to_string())?;
        Ok(cookie.reply().map_err(|e| e.to_string())?.atom)
    };
    let (state, above, sticky, desktop) =
        (atom("_NET_WM_STATE")?, atom("_NET_WM_STATE_ABOVE")?, atom("_NET_WM_STATE_STICKY")?, atom("_NET_WM_DESKTOP")?);
    // Action 1 adds, 0 removes; the source 1 says an application asks.
    let send = |kind: u32, data: [u32; 5]| -> Result<(), String> {
        let event = ClientMessageEvent::new(32, window, kind, data);
        let mask = EventMask::SUBSTRUCTURE_REDIRECT | EventMask::SUBSTRUCTURE_NOTIFY;
        conn.send_event(false, root, mask, event).map_err(|e| e.to_string())?;
        conn.flush().map_err(|e| e.to_string())
    };
    let granted = || -> Result<bool, String> {
        let cookie = conn.get_property(false, window, state, AtomEnum::ATOM, 0, 64).map_err(|e| e.to_string())?;
        let reply = cookie.reply().map_err(|e| e.to_string())?;
        let has_above = reply.value32().is_some_and(|mut atoms| atoms.any(|a| a == above));
        Ok(has_above == on)
    };
    // Leaving, the window stays on the workspace in view.
    let current = conn
        .get_property(false, root, atom("_NET_CURRENT_DESKTOP")?, AtomEnum::CARDINAL, 0, 1)
        .map_err(|e| e.to_string())?
        .reply()
        .ok()
        .and_then(|r| r.value32().and_then(|mut v| v.next()))
        .unwrap_or(0);
    for _ in 0..ASK_AT_MOST {
        send(state, [u32::from(on), above, sticky, 1, 0])?;
        send(desktop, [if on { u32::MAX } else { current }, 1, 0, 0, 0])?;
        std::thread::sleep(ASK_AGAIN_AFTER);
        if granted()? {
            info!("mini view: {} other windows and workspaces", if on { "above" } else { "back among" });
            return Ok(());
        }
    }
    Err("the window manager did not answer (is there one?)".into())
}

//! Requests to the X11 window manager (EWMH), with `x11rb` (pure Rust), on a worker thread of its
//! own: a window manager can take its time to answer, and a frame never waits for it.

use bevy::prelude::*;

use crate::shell::worker::{self, Inbox, LoopWaker, Worker};

/// What the app asks of the window manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum X11Request {
    /// Keep `window` above other windows and on every workspace (`on`), or back among them.
    KeepAbove { window: u32, on: bool },
}

/// The client's thread, as the app holds it.
pub type X11 = Worker<X11Request, ()>;

/// Starts the client's thread (it connects for each request: they are rare).
pub fn start() -> std::io::Result<X11> {
    worker::spawn("x11", LoopWaker::default(), serve)
}

fn serve(inbox: Inbox<X11Request, ()>) {
    while let Some(request) = inbox.next() {
        match request {
            X11Request::KeepAbove { window, on } => {
                if let Err(e) = keep_above(window, on) {
                    warn!("x11: could not ask to keep window {window:#x} above and on every workspace ({e})");
                }
            }
        }
    }
}

/// How often, and how many times, the request is made again until the window manager shows it
/// was granted (one that is still starting drops requests; with none at all, nothing will come).
const ASK_AGAIN_AFTER: std::time::Duration = std::time::Duration::from_millis(500);
const ASK_AT_MOST: usize = 10;

/// Asks the window manager (EWMH `_NET_WM_STATE` client messages to the root window) to add or
/// remove ABOVE and STICKY on `window`, and to show it on all desktops or the current one; asks
/// again until the window's state says it was done.
fn keep_above(window: u32, on: bool) -> Result<(), String> {
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
            info!("x11: window {window:#x} {} other windows and workspaces", if on { "above" } else { "back among" });
            return Ok(());
        }
    }
    Err("the window manager did not answer (is there one?)".into())
}

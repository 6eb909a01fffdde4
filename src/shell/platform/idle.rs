//! How long the keyboard and mouse have been left alone, on X11 (the MIT-SCREEN-SAVER extension's
//! idle time), on a worker thread of its own. It tells the app only when the user goes away (no
//! input for the threshold) and comes back, so the frame's thread is never woken to ask.
//! Elsewhere (a Wayland session without XWayland, no such extension) it says so once and
//! watches nothing.

use bevy::prelude::*;
use std::time::{Duration, Instant};

use crate::shell::worker::{self, Inbox, LoopWaker, Next, Worker};

/// What the app asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleRequest {
    /// Watch with this threshold (`None`: stop watching).
    Watch(Option<Duration>),
}

/// What the watcher tells: each time the user goes away or comes back.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleReply {
    /// No input for `idle` (the threshold or a little more): away since `idle` ago.
    Away { idle: Duration },
    /// Input came `ago` ago, after being away.
    Back { ago: Duration },
}

/// The watcher's thread, as the app holds it.
pub type Idle = Worker<IdleRequest, IdleReply>;

/// While the user is away, how often the watcher looks whether they are back.
const AWAY_LOOK: Duration = Duration::from_secs(1);
/// While present, it looks again when the idle time could first reach the threshold, and at
/// least this often (input resets the idle time between looks).
const PRESENT_LOOK_AT_LEAST: Duration = Duration::from_secs(1);

/// Starts the watcher's thread (it connects when asked to watch).
pub fn start(waker: LoopWaker) -> std::io::Result<Idle> {
    worker::spawn("idle", waker, serve)
}

fn serve(inbox: Inbox<IdleRequest, IdleReply>) {
    let mut threshold: Option<Duration> = None;
    let mut server: Option<Server> = None;
    let mut away = false;
    let mut next: Option<Instant> = None;
    loop {
        match inbox.next_until(next) {
            Next::Stopped => return,
            Next::Request(IdleRequest::Watch(wanted)) => {
                threshold = wanted;
                if threshold.is_some() && server.is_none() {
                    match Server::connect() {
                        Ok(s) => server = Some(s),
                        Err(e) => {
                            info!("idle: not watched here ({e}); away from the keyboard is not told");
                            threshold = None;
                        }
                    }
                }
            }
            Next::Due => {}
        }
        let (Some(limit), Some(s)) = (threshold, server.as_ref()) else {
            next = None;
            continue;
        };
        let idle = match s.idle() {
            Ok(idle) => idle,
            Err(e) => {
                warn!("idle: lost the X server ({e}); away from the keyboard is no longer told");
                server = None;
                next = None;
                continue;
            }
        };
        let reply = match (away, idle >= limit) {
            (false, true) => Some(IdleReply::Away { idle }),
            (true, false) => Some(IdleReply::Back { ago: idle }),
            _ => None,
        };
        if let Some(reply) = reply {
            away = matches!(reply, IdleReply::Away { .. });
            debug!("idle: {reply:?}");
            if !inbox.reply(reply) {
                return;
            }
        }
        let wait = if away { AWAY_LOOK } else { limit.saturating_sub(idle).max(PRESENT_LOOK_AT_LEAST) };
        next = Some(Instant::now() + wait);
    }
}

/// A connection to the X server that has the screen saver extension.
struct Server {
    conn: x11rb::rust_connection::RustConnection,
    root: u32,
}

impl Server {
    fn connect() -> Result<Server, String> {
        use x11rb::connection::{Connection, RequestConnection};
        use x11rb::protocol::screensaver;
        if std::env::var_os("DISPLAY").is_none_or(|d| d.is_empty()) {
            return Err("no X11 display: a Wayland session's idle time is its compositor's".into());
        }
        let (conn, screen) = x11rb::connect(None).map_err(|e| e.to_string())?;
        let known = conn.extension_information(screensaver::X11_EXTENSION_NAME).map_err(|e| e.to_string())?;
        if known.is_none() {
            return Err("the X server has no MIT-SCREEN-SAVER extension".into());
        }
        let root = conn.setup().roots[screen].root;
        Ok(Server { conn, root })
    }

    /// How long since the last keyboard or mouse input.
    fn idle(&self) -> Result<Duration, String> {
        use x11rb::protocol::screensaver::ConnectionExt;
        let info = self.conn.screensaver_query_info(self.root).map_err(|e| e.to_string())?;
        let info = info.reply().map_err(|e| e.to_string())?;
        Ok(Duration::from_millis(u64::from(info.ms_since_user_input)))
    }
}

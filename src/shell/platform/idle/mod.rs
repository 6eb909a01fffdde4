//! Whether the user is at the keyboard, on a worker thread of its own: how long the keyboard and
//! mouse have been left alone (on X11 the MIT-SCREEN-SAVER extension's idle time; on a Wayland
//! session the compositor's `ext-idle-notify-v1` (`wayland.rs`) or GNOME's
//! `org.gnome.Mutter.IdleMonitor`), and whether the screen is locked (the session
//! bus's `org.freedesktop.ScreenSaver` or `org.gnome.ScreenSaver`, logind's `LockedHint` on the
//! system bus), which counts as away at once. It tells the app only when the user goes away and
//! comes back, so the frame's thread is never woken to ask. What this desktop lacks is skipped
//! with one log line; with none of them, nothing is watched.

use bevy::prelude::*;
use std::time::{Duration, Instant};

use crate::shell::worker::{self, Inbox, LoopWaker, Next, Worker};

mod wayland;

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
/// While present, with a screen lock to ask about, it looks at least this often: a locked screen
/// is noticed within this long.
const LOCK_LOOK: Duration = Duration::from_secs(5);
/// The longest a D-Bus question may take before the answer counts as none.
const BUS_TIMEOUT: Duration = Duration::from_secs(2);

/// Starts the watcher's thread (it connects when asked to watch).
pub fn start(waker: LoopWaker) -> std::io::Result<Idle> {
    worker::spawn("idle", waker, serve)
}

fn serve(inbox: Inbox<IdleRequest, IdleReply>) {
    let mut threshold: Option<Duration> = None;
    let mut server: Option<Watch> = None;
    let mut away = false;
    let mut next: Option<Instant> = None;
    loop {
        match inbox.next_until(next) {
            Next::Stopped => return,
            Next::Request(IdleRequest::Watch(wanted)) => {
                threshold = wanted;
                if threshold.is_some() && server.is_none() {
                    match Watch::connect() {
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
                warn!("idle: lost the idle time's source ({e}); away from the keyboard is no longer told");
                server = None;
                next = None;
                continue;
            }
        };
        let locked = s.locked();
        let gone = locked || idle.is_some_and(|idle| idle >= limit);
        let idle = idle.unwrap_or_default();
        let reply = match (away, gone) {
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
        let mut wait = if away { AWAY_LOOK } else { limit.saturating_sub(idle).max(PRESENT_LOOK_AT_LEAST) };
        if !s.locks.is_empty() {
            wait = wait.min(LOCK_LOOK);
        }
        next = Some(Instant::now() + wait);
    }
}

/// What is watched: an idle time, and the screen locks there are.
struct Watch {
    idle: Option<IdleSource>,
    locks: Vec<Lock>,
}

/// Where the idle time comes from.
enum IdleSource {
    /// The X server's MIT-SCREEN-SAVER extension (X11, XWayland).
    X11(Box<Server>),
    /// GNOME's compositor on a Wayland session.
    Mutter(zbus::Connection),
    /// A Wayland compositor with `ext-idle-notify-v1`.
    Wayland(wayland::WaylandIdle),
}

/// A service that says whether the screen is locked.
struct Lock {
    conn: zbus::Connection,
    service: &'static str,
    path: String,
    /// The screen saver's `GetActive`, or logind's `LockedHint` property.
    ask: LockQuestion,
}

#[derive(Clone, Copy)]
enum LockQuestion {
    GetActive(&'static str),
    LockedHint,
}

const MUTTER: &str = "org.gnome.Mutter.IdleMonitor";
const MUTTER_PATH: &str = "/org/gnome/Mutter/IdleMonitor/Core";
/// The screen savers that tell whether the screen is locked: KDE, XFCE and others; GNOME.
const SCREEN_SAVERS: [(&str, &str); 2] = [
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
];
const LOGIND: &str = "org.freedesktop.login1";

impl Watch {
    /// Finds what this desktop offers; an error when it offers nothing.
    fn connect() -> Result<Watch, String> {
        let session = bus(zbus::connection::Builder::session());
        let idle = idle_source(session.as_ref());
        let mut locks = Vec::new();
        if let Some(conn) = &session {
            for (service, path) in SCREEN_SAVERS {
                let lock =
                    Lock { conn: conn.clone(), service, path: path.into(), ask: LockQuestion::GetActive(service) };
                if lock.ask().is_ok() {
                    locks.push(lock);
                }
            }
        }
        if let Some(conn) = bus(zbus::connection::Builder::system()) {
            let lock = Lock {
                conn,
                service: LOGIND,
                path: "/org/freedesktop/login1/session/auto".into(),
                ask: LockQuestion::LockedHint,
            };
            if lock.ask().is_ok() {
                locks.push(lock);
            }
        }
        let names: Vec<&str> = locks.iter().map(|l| l.service).collect();
        match (&idle, names.is_empty()) {
            (None, true) => return Err("no idle time and no screen lock to ask about".into()),
            (_, true) => info!("idle: no screen lock to ask about; a locked screen counts once the idle time does"),
            (_, false) => info!("idle: a locked screen counts as away ({})", names.join(", ")),
        }
        match idle {
            Some(IdleSource::Mutter(_)) => info!("idle: the idle time from {MUTTER}"),
            Some(IdleSource::Wayland(_)) => info!("idle: the idle time from the compositor's ext-idle-notify-v1"),
            _ => {}
        }
        Ok(Watch { idle, locks })
    }

    /// How long since the last keyboard or mouse input, where that is known.
    fn idle(&self) -> Result<Option<Duration>, String> {
        match &self.idle {
            Some(IdleSource::X11(server)) => server.idle().map(Some),
            Some(IdleSource::Mutter(conn)) => mutter_idle(conn).map(Some),
            Some(IdleSource::Wayland(compositor)) => compositor.idle().map(Some),
            None => Ok(None),
        }
    }

    /// Whether any screen lock says the screen is locked (one that stopped answering says no).
    fn locked(&self) -> bool {
        self.locks.iter().any(|lock| lock.ask().unwrap_or(false))
    }
}

/// Where the idle time can come from, first the session's own: on Wayland the compositor
/// (`ext-idle-notify-v1`, then GNOME's), and only then the X server, which under XWayland sees
/// only the input that went to X11 windows; on X11 the X server, then GNOME's.
fn idle_source(session: Option<&zbus::Connection>) -> Option<IdleSource> {
    let on_wayland = std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty());
    let x11 = || Server::connect().map(|server| IdleSource::X11(Box::new(server)));
    let mutter = || match session {
        Some(conn) => mutter_idle(conn)
            .map(|_| IdleSource::Mutter(conn.clone()))
            .map_err(|_| format!("no {MUTTER} on the session bus")),
        None => Err("no session bus".into()),
    };
    let wayland = || wayland::WaylandIdle::connect().map(IdleSource::Wayland);
    let mut tried: Vec<Box<dyn Fn() -> Result<IdleSource, String> + '_>> = Vec::new();
    if on_wayland {
        tried.extend([Box::new(wayland) as Box<dyn Fn() -> _>, Box::new(mutter), Box::new(x11)]);
    } else {
        tried.extend([Box::new(x11) as Box<dyn Fn() -> _>, Box::new(mutter)]);
    }
    let mut missing = Vec::new();
    for source in tried {
        match source() {
            Ok(source) => return Some(source),
            Err(why) => missing.push(why),
        }
    }
    info!("idle: no idle time here ({})", missing.join("; "));
    None
}

/// A bus connection with a short timeout for questions, or none.
fn bus(builder: zbus::connection::Builder<'static>) -> Option<zbus::Connection> {
    zbus::block_on(builder.method_timeout(BUS_TIMEOUT).build()).ok()
}

/// GNOME's idle time.
fn mutter_idle(conn: &zbus::Connection) -> Result<Duration, String> {
    let reply = zbus::block_on(conn.call_method(Some(MUTTER), MUTTER_PATH, Some(MUTTER), "GetIdletime", &()))
        .map_err(|e| e.to_string())?;
    let ms: u64 = reply.body().deserialize().map_err(|e| e.to_string())?;
    Ok(Duration::from_millis(ms))
}

impl Lock {
    /// Whether this service says the screen is locked.
    fn ask(&self) -> Result<bool, String> {
        let path = self.path.as_str();
        let reply = match self.ask {
            LockQuestion::GetActive(interface) => {
                zbus::block_on(self.conn.call_method(Some(self.service), path, Some(interface), "GetActive", &()))
            }
            LockQuestion::LockedHint => zbus::block_on(self.conn.call_method(
                Some(self.service),
                path,
                Some("org.freedesktop.DBus.Properties"),
                "Get",
                &("org.freedesktop.login1.Session", "LockedHint"),
            )),
        }
        .map_err(|e| e.to_string())?;
        let body = reply.body();
        match self.ask {
            LockQuestion::GetActive(_) => body.deserialize::<bool>().map_err(|e| e.to_string()),
            LockQuestion::LockedHint => {
                let value: zbus::OwnedVariant = body.deserialize().map_err(|e| e.to_string())?;
                bool::try_from(value).map_err(|e| e.to_string())
            }
        }
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

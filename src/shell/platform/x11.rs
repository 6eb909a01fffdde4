//! Requests to the X11 window manager (EWMH), with `x11rb` (pure Rust), on a worker thread of its
//! own: a window manager can take its time to answer, and a frame never waits for it.

use bevy::prelude::*;

use jiff::SignedDuration;
use std::collections::HashMap;
use std::time::Instant;

use crate::day::overlay::{next_pulse_change, opacity};
use crate::day::{OverlayLook, Urgency};
use crate::shell::worker::{self, Inbox, LoopWaker, Next, Worker};

/// What the app asks of the window manager.
#[derive(Debug, Clone, PartialEq)]
pub enum X11Request {
    /// Keep `window` above other windows and on every workspace (`on`), or back among them.
    KeepAbove { window: u32, on: bool },
    /// Make the not yet mapped `window` an overlay: above others, on every workspace, out of the
    /// taskbar and pager, never given the keyboard focus. Answered with [`X11Reply::Prepared`].
    PrepareOverlay { window: u32 },
    /// How an overlay window shows: its shape and its opacity, pulses included, which this
    /// thread plays by itself (a compositor blends the window; the app draws no frame for it).
    OverlayLook { window: u32, look: WindowLook },
    /// The overlay window is gone.
    Forget { window: u32 },
    /// Bring a first window, frame included, within the work area (the screen less the panels).
    FitWorkArea { window: u32 },
    /// Keep `window` out of the taskbar and pager (`on`: it is put away in the tray), or back in.
    SkipTaskbar { window: u32, on: bool },
    /// Name `window`'s class for the desktop (`WM_CLASS`: the instance and the class), which
    /// winit leaves with an empty instance.
    Class { window: u32, instance: String, class: String },
}

/// An overlay window's shape and opacity, as the window manager and compositor are told them.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowLook {
    /// The window's visible parts (the bounding shape); empty: the whole window.
    pub shape: Vec<ShapePart>,
    /// The overlay's look and urgency, and since when (at `sent`, on the day's clock, which runs
    /// `speed` times the wall clock's pace) the interval has run: the opacity at any instant is
    /// `day::overlay::opacity` of them.
    pub look: OverlayLook,
    pub urgency: Urgency,
    pub since: SignedDuration,
    pub sent: Instant,
    pub speed: f64,
}

/// A part of an overlay's shape, in window pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapePart {
    Rect {
        x: i16,
        y: i16,
        width: u16,
        height: u16,
    },
    /// A ring between two radii around a centre.
    Annulus {
        x: i16,
        y: i16,
        inner: u16,
        outer: u16,
    },
}

impl WindowLook {
    /// How far into its interval the day is at `at`.
    fn since_at(&self, at: Instant) -> SignedDuration {
        let passed = at.saturating_duration_since(self.sent).as_secs_f64() * self.speed;
        self.since + SignedDuration::from_secs_f64(passed)
    }

    /// The opacity at `at`, in hundredths.
    fn opacity_at(&self, at: Instant) -> u32 {
        (opacity(&self.look, self.urgency, self.since_at(at)) * 100.0).round() as u32
    }

    /// When the opacity next changes, on the wall clock.
    fn next_change(&self, at: Instant) -> Option<Instant> {
        let after = next_pulse_change(self.urgency, self.since_at(at), PULSE_STEP)?;
        at.checked_add(after.div_f64(self.speed.max(1e-3)))
    }
}

/// How often a pulse's opacity steps.
pub const PULSE_STEP: std::time::Duration = std::time::Duration::from_millis(50);

/// What the client tells the app back.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub enum X11Reply {
    /// The window was prepared (or could not be: it shows anyway) and may be mapped now.
    Prepared { window: u32 },
}

/// The client's thread, as the app holds it.
pub type X11 = Worker<X11Request, X11Reply>;

/// Starts the client's thread (it connects for each request: they are rare).
pub fn start(waker: LoopWaker) -> std::io::Result<X11> {
    worker::spawn("x11", waker, serve)
}

fn serve(inbox: Inbox<X11Request, X11Reply>) {
    let mut overlays = Overlays::default();
    loop {
        let request = match inbox.next_until(overlays.due()) {
            Next::Request(request) => request,
            Next::Due => {
                overlays.poll();
                overlays.step();
                continue;
            }
            Next::Stopped => return,
        };
        match request {
            X11Request::SkipTaskbar { window, on } => {
                if let Err(e) = skip_taskbar(window, on) {
                    warn!("x11: could not ask to keep window {window:#x} out of the taskbar ({e})");
                }
            }
            X11Request::KeepAbove { window, on } => {
                if let Err(e) = keep_above(window, on) {
                    warn!("x11: could not ask to keep window {window:#x} above and on every workspace ({e})");
                }
            }
            X11Request::PrepareOverlay { window } => {
                // On the connection kept for the overlays (which also raises them).
                let prepared = if overlays.connected()
                    && let Some((conn, _)) = &overlays.conn
                {
                    prepare_overlay(conn, window)
                } else {
                    Err("no connection to the X server".to_owned())
                };
                match prepared {
                    Ok(()) => {
                        info!("x11: overlay window {window:#x} prepared (above, sticky, no taskbar, no focus)");
                        overlays.keep_above(window);
                    }
                    Err(e) => warn!("x11: overlay window {window:#x} not prepared ({e}); it shows anyway"),
                }
                if !inbox.reply(X11Reply::Prepared { window }) {
                    return;
                }
            }
            X11Request::OverlayLook { window, look } => overlays.set(window, look),
            X11Request::FitWorkArea { window } => match fit_in_work_area(window) {
                Ok(Some([x, y, w, h])) => info!("window: fitted to the work area at {x},{y} {w}x{h} (frame included)"),
                Ok(None) => debug!("window: within the work area"),
                Err(e) => warn!("x11: could not fit the window to the work area ({e})"),
            },
            X11Request::Class { window, instance, class } => {
                if let Err(e) = set_class(window, &instance, &class) {
                    warn!("x11: could not name window {window:#x}'s class ({e})");
                }
            }
            X11Request::Forget { window } => {
                overlays.windows.remove(&window);
                overlays.above.retain(|&w| w != window);
                if overlays.above.is_empty() && overlays.windows.is_empty() {
                    // Nothing to watch: the root's events would pile up unread.
                    overlays.conn = None;
                }
            }
        }
    }
}

/// The overlays' looks as last asked, what was last told the server, and one connection kept
/// for them (a pulse sets the opacity twenty times a second), on which the other windows'
/// restacking is watched.
#[derive(Default)]
struct Overlays {
    conn: Option<(x11rb::rust_connection::RustConnection, Atoms)>,
    windows: HashMap<u32, Told>,
    /// The overlay windows kept above all others.
    above: Vec<u32>,
}

/// How often the X11 thread looks whether another window was raised over the overlays.
const RESTACK_LOOK: std::time::Duration = std::time::Duration::from_millis(250);

struct Told {
    look: WindowLook,
    opacity: Option<u32>,
    shape: Option<Vec<ShapePart>>,
}

#[derive(Clone, Copy)]
struct Atoms {
    opacity: u32,
}

impl Overlays {
    fn set(&mut self, window: u32, look: WindowLook) {
        let told = self.windows.entry(window).or_insert(Told { look: look.clone(), opacity: None, shape: None });
        told.look = look;
        self.step();
    }

    /// The soonest a window's opacity changes, or the stacking is looked at again.
    fn due(&self) -> Option<Instant> {
        let now = Instant::now();
        let look = (!self.above.is_empty()).then(|| now + RESTACK_LOOK);
        self.windows.values().filter_map(|t| t.look.next_change(now)).chain(look).min()
    }

    /// Starts keeping `window` above every other (and watching the root window's children).
    fn keep_above(&mut self, window: u32) {
        if !self.above.contains(&window) {
            self.above.push(window);
        }
        self.connected();
        if let Some((conn, _)) = &self.conn {
            raise(conn, &[window]);
        }
    }

    /// The connection, made if there is none; the root's children's stacking is watched on it.
    fn connected(&mut self) -> bool {
        if self.conn.is_none() {
            match connect() {
                Ok(conn) => self.conn = Some(conn),
                Err(e) => {
                    warn!("x11: no connection for the overlay's opacity, shape and stacking ({e})");
                    self.windows.clear();
                    self.above.clear();
                    return false;
                }
            }
        }
        true
    }

    /// Raises the overlays again when another window was mapped, raised or moved since the last
    /// look (an override-redirect window stays above only as long as nothing is raised over it).
    fn poll(&mut self) {
        use x11rb::connection::Connection;
        use x11rb::protocol::Event;
        let Some((conn, _)) = &self.conn else { return };
        let mut restacked = false;
        while let Ok(Some(event)) = conn.poll_for_event() {
            let other = match event {
                Event::ConfigureNotify(e) => Some(e.window),
                Event::MapNotify(e) => Some(e.window),
                Event::CirculateNotify(e) => Some(e.window),
                _ => None,
            };
            restacked |= other.is_some_and(|w| !self.above.contains(&w));
        }
        if restacked {
            raise(conn, &self.above);
        }
    }

    /// Tells the server each window's opacity now and any new shape.
    fn step(&mut self) {
        if !self.connected() {
            return;
        }
        let Some((conn, atoms)) = &self.conn else { return };
        let now = Instant::now();
        let mut failed = Vec::new();
        for (&window, told) in &mut self.windows {
            let opacity = told.look.opacity_at(now);
            let shape = &told.look.shape;
            let result = (|| -> Result<(), String> {
                if told.shape.as_ref() != Some(shape) {
                    set_shape(conn, window, shape)?;
                    told.shape = Some(shape.clone());
                }
                if told.opacity != Some(opacity) {
                    set_opacity(conn, atoms, window, opacity)?;
                    told.opacity = Some(opacity);
                }
                Ok(())
            })();
            if let Err(e) = result {
                debug!("x11: overlay window {window:#x} not updated ({e}); it is gone");
                failed.push(window);
            }
        }
        for window in failed {
            self.windows.remove(&window);
        }
        use x11rb::connection::Connection;
        if let Err(e) = conn.flush() {
            warn!("x11: lost the connection ({e})");
            self.conn = None;
        }
    }
}

/// Puts `windows` on top of the stack.
fn raise(conn: &impl x11rb::connection::Connection, windows: &[u32]) {
    use x11rb::protocol::xproto::{ConfigureWindowAux, ConnectionExt, StackMode};
    for &window in windows {
        let _ = conn.configure_window(window, &ConfigureWindowAux::new().stack_mode(StackMode::ABOVE));
    }
    let _ = conn.flush();
}

fn connect() -> Result<(x11rb::rust_connection::RustConnection, Atoms), String> {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ChangeWindowAttributesAux, ConnectionExt, EventMask};
    let (conn, screen) = x11rb::connect(None).map_err(|e| e.to_string())?;
    // Every child of the root mapped, raised or moved is told this connection.
    let root = conn.setup().roots[screen].root;
    conn.change_window_attributes(root, &ChangeWindowAttributesAux::new().event_mask(EventMask::SUBSTRUCTURE_NOTIFY))
        .map_err(|e| e.to_string())?;
    let opacity = conn
        .intern_atom(false, b"_NET_WM_WINDOW_OPACITY")
        .map_err(|e| e.to_string())?
        .reply()
        .map_err(|e| e.to_string())?
        .atom;
    Ok((conn, Atoms { opacity }))
}

/// `_NET_WM_WINDOW_OPACITY`: the compositor blends the whole window at this opacity (in
/// hundredths; a 32-bit fraction of fully opaque).
fn set_opacity(
    conn: &impl x11rb::connection::Connection,
    atoms: &Atoms,
    window: u32,
    hundredths: u32,
) -> Result<(), String> {
    use x11rb::protocol::xproto::{AtomEnum, PropMode};
    use x11rb::wrapper::ConnectionExt as _;
    let value = (u64::from(hundredths.min(100)) * u64::from(u32::MAX) / 100) as u32;
    conn.change_property32(PropMode::REPLACE, window, atoms.opacity, AtomEnum::CARDINAL, &[value])
        .map_err(|e| e.to_string())?
        .check()
        .map_err(|e| e.to_string())
}

/// The window's bounding shape (X Shape extension): only these parts of it are drawn at all.
fn set_shape(conn: &impl x11rb::connection::Connection, window: u32, parts: &[ShapePart]) -> Result<(), String> {
    use x11rb::protocol::shape::{ConnectionExt as _, SK, SO};
    use x11rb::protocol::xproto::{Arc, ChangeGCAux, ConnectionExt as _, CreateGCAux, Rectangle};
    let e = |e: x11rb::errors::ConnectionError| e.to_string();
    if parts.is_empty() {
        // The whole window: no bounding shape.
        return conn.shape_mask(SO::SET, SK::BOUNDING, window, 0, 0, x11rb::NONE).map_err(e).map(drop);
    }
    let (width, height) = parts.iter().fold((1u16, 1u16), |(w, h), part| match *part {
        ShapePart::Rect { x, y, width, height } => {
            (w.max((x.max(0) as u16).saturating_add(width)), h.max((y.max(0) as u16).saturating_add(height)))
        }
        ShapePart::Annulus { x, y, outer, .. } => {
            (w.max((x.max(0) as u16).saturating_add(outer)), h.max((y.max(0) as u16).saturating_add(outer)))
        }
    });
    // A one-bit mask: discs set, the rings' holes cleared, rectangles set.
    let mask = conn.generate_id().map_err(|e| e.to_string())?;
    conn.create_pixmap(1, mask, window, width, height).map_err(e)?;
    let gc = conn.generate_id().map_err(|e| e.to_string())?;
    conn.create_gc(gc, mask, &CreateGCAux::new().foreground(0)).map_err(e)?;
    conn.poly_fill_rectangle(mask, gc, &[Rectangle { x: 0, y: 0, width, height }]).map_err(e)?;
    conn.change_gc(gc, &ChangeGCAux::new().foreground(1)).map_err(e)?;
    let disc = |x: i16, y: i16, r: u16| Arc {
        x: x - r as i16,
        y: y - r as i16,
        width: 2 * r,
        height: 2 * r,
        angle1: 0,
        angle2: 360 * 64,
    };
    // The rings first, their holes cleared; then the rectangles, which may lie in a hole (the
    // caption inside a ring).
    for part in parts {
        if let ShapePart::Annulus { x, y, outer, .. } = *part {
            conn.poly_fill_arc(mask, gc, &[disc(x, y, outer)]).map_err(e)?;
        }
    }
    conn.change_gc(gc, &ChangeGCAux::new().foreground(0)).map_err(e)?;
    for part in parts {
        if let ShapePart::Annulus { x, y, inner, .. } = *part {
            conn.poly_fill_arc(mask, gc, &[disc(x, y, inner)]).map_err(e)?;
        }
    }
    conn.change_gc(gc, &ChangeGCAux::new().foreground(1)).map_err(e)?;
    for part in parts {
        if let ShapePart::Rect { x, y, width, height } = *part {
            conn.poly_fill_rectangle(mask, gc, &[Rectangle { x, y, width, height }]).map_err(e)?;
        }
    }
    conn.shape_mask(SO::SET, SK::BOUNDING, window, 0, 0, mask).map_err(e)?;
    conn.free_gc(gc).map_err(e)?;
    conn.free_pixmap(mask).map_err(e)?.check().map_err(|e| e.to_string())
}

/// The window types asked for an overlay, first preferred: a window manager takes the first it
/// knows (a notification is kept above and never focused; openbox knows the utility type).
const OVERLAY_TYPES: [&str; 2] = ["_NET_WM_WINDOW_TYPE_NOTIFICATION", "_NET_WM_WINDOW_TYPE_UTILITY"];
/// The states an overlay starts in (EWMH: set on the window before it is mapped).
const OVERLAY_STATES: [&str; 4] =
    ["_NET_WM_STATE_ABOVE", "_NET_WM_STATE_STICKY", "_NET_WM_STATE_SKIP_TASKBAR", "_NET_WM_STATE_SKIP_PAGER"];

/// Makes an unmapped window an overlay. It is made override-redirect: no window manager frames it
/// (a frame would catch the clicks its empty input shape lets through), moves it or focuses it,
/// and it shows on every workspace and in no taskbar or pager; the X11 thread keeps it above
/// every other window (see [`Overlays::poll`]). Its EWMH type and states and ICCCM's input hint
/// say the same for any window manager or tool that reads them.
fn prepare_overlay(conn: &impl x11rb::connection::Connection, window: u32) -> Result<(), String> {
    use x11rb::protocol::xproto::{AtomEnum, ChangeWindowAttributesAux, ConnectionExt, PropMode};
    use x11rb::wrapper::ConnectionExt as _;
    let atom = |name: &str| -> Result<u32, String> {
        let cookie = conn.intern_atom(false, name.as_bytes()).map_err(|e| e.to_string())?;
        Ok(cookie.reply().map_err(|e| e.to_string())?.atom)
    };
    let types = OVERLAY_TYPES.iter().map(|t| atom(t)).collect::<Result<Vec<_>, _>>()?;
    let states = OVERLAY_STATES.iter().map(|s| atom(s)).collect::<Result<Vec<_>, _>>()?;
    let e = |e: x11rb::errors::ConnectionError| e.to_string();
    conn.change_property32(PropMode::REPLACE, window, atom("_NET_WM_WINDOW_TYPE")?, AtomEnum::ATOM, &types)
        .map_err(e)?;
    conn.change_property32(PropMode::REPLACE, window, atom("_NET_WM_STATE")?, AtomEnum::ATOM, &states).map_err(e)?;
    conn.change_property32(PropMode::REPLACE, window, atom("_NET_WM_DESKTOP")?, AtomEnum::CARDINAL, &[u32::MAX])
        .map_err(e)?;
    // WM_HINTS (ICCCM 4.1.2.4): nine 32-bit fields, the first the flags; flag 1 says the second
    // field, input, is set. The hints the windowing library wrote are kept, input turned off.
    let hints = atom("WM_HINTS")?;
    let old = conn.get_property(false, window, hints, hints, 0, 9).map_err(e)?.reply().map_err(|e| e.to_string())?;
    let mut fields: Vec<u32> = old.value32().map(|v| v.collect()).unwrap_or_default();
    fields.resize(9, 0);
    fields[0] |= 1;
    fields[1] = 0;
    conn.change_property32(PropMode::REPLACE, window, hints, hints, &fields).map_err(e)?;
    conn.change_window_attributes(window, &ChangeWindowAttributesAux::new().override_redirect(1)).map_err(e)?;
    conn.flush().map_err(e)?;
    conn.sync().map_err(|e| e.to_string())?;
    Ok(())
}

/// How often, and how many times, the request is made again until the window manager shows it
/// was granted (one that is still starting drops requests; with none at all, nothing will come).
const ASK_AGAIN_AFTER: std::time::Duration = std::time::Duration::from_millis(500);
const ASK_AT_MOST: usize = 10;

/// Brings `window`, with the frame its window manager gave it, within the work area of the
/// current desktop (EWMH `_NET_WORKAREA`: the screen less the panels and docks), shrinking it if
/// needed and centring it; a window that fits stays. `None` when it fitted, or when no window
/// manager says where the work area is; else the new place, frame included.
fn fit_in_work_area(window: u32) -> Result<Option<[i32; 4]>, String> {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{AtomEnum, ConfigureWindowAux, ConnectionExt};
    let (conn, screen) = x11rb::connect(None).map_err(|e| e.to_string())?;
    let root = conn.setup().roots[screen].root;
    let e = |e: &dyn std::fmt::Display| e.to_string();
    let atom = |name: &str| -> Result<u32, String> {
        Ok(conn.intern_atom(false, name.as_bytes()).map_err(|x| e(&x))?.reply().map_err(|x| e(&x))?.atom)
    };
    let cardinals = |window: u32, name: &str, len: u32| -> Result<Vec<u32>, String> {
        let reply =
            conn.get_property(false, window, atom(name)?, AtomEnum::CARDINAL, 0, len).map_err(|x| e(&x))?.reply();
        Ok(reply.map_err(|x| e(&x))?.value32().map(Iterator::collect).unwrap_or_default())
    };
    let desktop = cardinals(root, "_NET_CURRENT_DESKTOP", 1)?.first().copied().unwrap_or(0) as usize;
    let areas = cardinals(root, "_NET_WORKAREA", 4 * 64)?;
    let Some(area) = areas.get(4 * desktop..4 * desktop + 4) else { return Ok(None) };
    let [ax, ay, aw, ah] = [area[0] as i32, area[1] as i32, area[2] as i32, area[3] as i32];
    let frame = cardinals(window, "_NET_FRAME_EXTENTS", 4)?;
    let [left, right, top, bottom] = match frame.as_slice() {
        [l, r, t, b] => [*l as i32, *r as i32, *t as i32, *b as i32],
        _ => [0; 4],
    };
    // Where the frame is now, and how big the window is.
    let place = || -> Result<(i32, i32, i32, i32), String> {
        let geometry = conn.get_geometry(window).map_err(|x| e(&x))?.reply().map_err(|x| e(&x))?;
        let at = conn.translate_coordinates(window, root, 0, 0).map_err(|x| e(&x))?.reply().map_err(|x| e(&x))?;
        let (x, y) = (i32::from(at.dst_x) - left, i32::from(at.dst_y) - top);
        Ok((x, y, i32::from(geometry.width), i32::from(geometry.height)))
    };
    let (x, y, w, h) = place()?;
    let fits = |x: i32, y: i32, w: i32, h: i32| {
        x >= ax && y >= ay && x + w + left + right <= ax + aw && y + h + top + bottom <= ay + ah
    };
    if fits(x, y, w, h) {
        return Ok(None);
    }
    let (w, h) = (w.min(aw - left - right).max(1), h.min(ah - top - bottom).max(1));
    let (outer_w, outer_h) = (w + left + right, h + top + bottom);
    let (want_x, want_y) = (ax + (aw - outer_w) / 2, ay + (ah - outer_h) / 2);
    // Window managers read the place asked for by the window's gravity (the frame's corner, or
    // the window's own); the first answer shows which, and a second request corrects for it.
    let (mut ask_x, mut ask_y) = (want_x, want_y);
    for _ in 0..FIT_TRIES {
        let aux = ConfigureWindowAux::new().x(ask_x).y(ask_y).width(w as u32).height(h as u32);
        conn.configure_window(window, &aux).map_err(|x| e(&x))?;
        conn.flush().map_err(|x| e(&x))?;
        std::thread::sleep(FIT_SETTLE);
        let (x, y, _, _) = place()?;
        if (x, y) == (want_x, want_y) {
            break;
        }
        (ask_x, ask_y) = (ask_x + want_x - x, ask_y + want_y - y);
    }
    let (x, y, w, h) = place()?;
    Ok(Some([x, y, w + left + right, h + top + bottom]))
}

/// How many times the window is placed until it lies where it was asked, and how long the window
/// manager is given to place it each time.
const FIT_TRIES: usize = 3;
const FIT_SETTLE: std::time::Duration = std::time::Duration::from_millis(120);

/// Sets `window`'s `WM_CLASS` (ICCCM: the instance, then the class, each ended by a NUL).
fn set_class(window: u32, instance: &str, class: &str) -> Result<(), String> {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{AtomEnum, PropMode};
    use x11rb::wrapper::ConnectionExt as _;
    let (conn, _) = x11rb::connect(None).map_err(|e| e.to_string())?;
    let value = format!("{instance}\0{class}\0");
    conn.change_property8(PropMode::REPLACE, window, AtomEnum::WM_CLASS, AtomEnum::STRING, value.as_bytes())
        .map_err(|e| e.to_string())?;
    conn.flush().map_err(|e| e.to_string())?;
    conn.sync().map_err(|e| e.to_string())
}

/// A connection for asking the window manager things (EWMH client messages to the root window).
struct Ewmh {
    conn: x11rb::rust_connection::RustConnection,
    root: u32,
}

impl Ewmh {
    fn connect() -> Result<Ewmh, String> {
        use x11rb::connection::Connection;
        let (conn, screen) = x11rb::connect(None).map_err(|e| e.to_string())?;
        let root = conn.setup().roots[screen].root;
        Ok(Ewmh { conn, root })
    }

    fn atom(&self, name: &str) -> Result<u32, String> {
        use x11rb::protocol::xproto::ConnectionExt;
        let cookie = self.conn.intern_atom(false, name.as_bytes()).map_err(|e| e.to_string())?;
        Ok(cookie.reply().map_err(|e| e.to_string())?.atom)
    }

    /// Sends the window manager a `kind` message about `window`.
    fn send(&self, window: u32, kind: u32, data: [u32; 5]) -> Result<(), String> {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::{ClientMessageEvent, ConnectionExt, EventMask};
        let event = ClientMessageEvent::new(32, window, kind, data);
        let mask = EventMask::SUBSTRUCTURE_REDIRECT | EventMask::SUBSTRUCTURE_NOTIFY;
        self.conn.send_event(false, self.root, mask, event).map_err(|e| e.to_string())?;
        self.conn.flush().map_err(|e| e.to_string())
    }

    /// Whether `window`'s `_NET_WM_STATE` holds `state`.
    fn has_state(&self, window: u32, state: u32) -> Result<bool, String> {
        use x11rb::protocol::xproto::{AtomEnum, ConnectionExt};
        let states = self.atom("_NET_WM_STATE")?;
        let cookie = self.conn.get_property(false, window, states, AtomEnum::ATOM, 0, 64).map_err(|e| e.to_string())?;
        let reply = cookie.reply().map_err(|e| e.to_string())?;
        Ok(reply.value32().is_some_and(|mut atoms| atoms.any(|a| a == state)))
    }

    /// Sends what `ask` sends until `window`'s state has `state` (or has it no more, `on` false),
    /// asking again a few times (a window manager that is still starting drops requests; a
    /// request that crosses the window's minimising can be lost).
    fn ask_until(&self, window: u32, state: u32, on: bool, ask: impl Fn() -> Result<(), String>) -> Result<(), String> {
        for _ in 0..ASK_AT_MOST {
            ask()?;
            std::thread::sleep(ASK_AGAIN_AFTER);
            if self.has_state(window, state)? == on {
                return Ok(());
            }
        }
        Err("the window manager did not answer (is there one?)".into())
    }
}

/// Asks the window manager to add or remove SKIP_TASKBAR and SKIP_PAGER on `window`.
fn skip_taskbar(window: u32, on: bool) -> Result<(), String> {
    let wm = Ewmh::connect()?;
    let (state, taskbar, pager) =
        (wm.atom("_NET_WM_STATE")?, wm.atom("_NET_WM_STATE_SKIP_TASKBAR")?, wm.atom("_NET_WM_STATE_SKIP_PAGER")?);
    // Action 1 adds, 0 removes; the source 1 says an application asks.
    wm.ask_until(window, taskbar, on, || wm.send(window, state, [u32::from(on), taskbar, pager, 1, 0]))?;
    debug!("x11: window {window:#x} {} the taskbar", if on { "out of" } else { "back in" });
    Ok(())
}

/// Asks the window manager to add or remove ABOVE and STICKY on `window`, and to show it on all
/// desktops or the current one.
fn keep_above(window: u32, on: bool) -> Result<(), String> {
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt};
    let wm = Ewmh::connect()?;
    let (state, above, sticky, desktop) = (
        wm.atom("_NET_WM_STATE")?,
        wm.atom("_NET_WM_STATE_ABOVE")?,
        wm.atom("_NET_WM_STATE_STICKY")?,
        wm.atom("_NET_WM_DESKTOP")?,
    );
    // Leaving, the window stays on the workspace in view.
    let current = wm
        .conn
        .get_property(false, wm.root, wm.atom("_NET_CURRENT_DESKTOP")?, AtomEnum::CARDINAL, 0, 1)
        .map_err(|e| e.to_string())?
        .reply()
        .ok()
        .and_then(|r| r.value32().and_then(|mut v| v.next()))
        .unwrap_or(0);
    wm.ask_until(window, above, on, || {
        // Action 1 adds, 0 removes; the source 1 says an application asks.
        wm.send(window, state, [u32::from(on), above, sticky, 1, 0])?;
        wm.send(window, desktop, [if on { u32::MAX } else { current }, 1, 0, 0, 0])
    })?;
    info!("x11: window {window:#x} {} other windows and workspaces", if on { "above" } else { "back among" });
    Ok(())
}

//! The idle time on a Wayland compositor that speaks the staging protocol `ext-idle-notify-v1`
//! (sway 1.8 and later, Hyprland, labwc, niri, KDE Plasma 6 and others built on wlroots or
//! alike): on a connection of its own, read by a thread of its own that blocks on the socket, so
//! the time the compositor says "idle" is taken when it says so, not when the watcher next looks.
//!
//! The compositor only tells "no input for `grain`" and "input again"; the idle time is worked out
//! from when that came, to within the moment the message took to arrive.

use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use wayland_client::globals::{GlobalListContents, registry_queue_init};
use wayland_client::protocol::{wl_registry, wl_seat};
use wayland_client::{Connection, Dispatch, QueueHandle};
use wayland_protocols::ext::idle_notify::v1::client::{ext_idle_notification_v1, ext_idle_notifier_v1};

/// The compositor is asked to tell once there has been no input for this long: the idle time's
/// resolution is this fine, and a user who pauses this long costs the compositor two messages.
pub const GRAIN: Duration = Duration::from_secs(5);

/// What the reading thread has heard.
#[derive(Default)]
struct Heard {
    /// Since when there has been no input (the compositor's "idled", less the grain).
    idle_since: Option<Instant>,
    /// Why the connection ended, once it did.
    lost: Option<String>,
}

/// The idle time as one compositor tells it. Dropping it closes the connection, which ends the
/// reading thread.
pub struct WaylandIdle {
    heard: Arc<Mutex<Heard>>,
    socket: UnixStream,
}

impl WaylandIdle {
    /// Connects to the session's compositor (`WAYLAND_DISPLAY`, as libwayland finds it).
    pub fn connect() -> Result<WaylandIdle, String> {
        let path = socket_path()?;
        let socket = UnixStream::connect(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        WaylandIdle::on(socket, GRAIN)
    }

    /// Asks the compositor at the other end of `socket` to say when there has been no input for
    /// `grain`; an error when it cannot (no `ext_idle_notifier_v1`, no seat).
    pub fn on(socket: UnixStream, grain: Duration) -> Result<WaylandIdle, String> {
        let closer = socket.try_clone().map_err(|e| e.to_string())?;
        let conn = Connection::from_socket(socket).map_err(|e| format!("no Wayland client library: {e}"))?;
        let (globals, mut queue) = registry_queue_init::<Reader>(&conn).map_err(|e| e.to_string())?;
        let qh = queue.handle();
        let notifier: ext_idle_notifier_v1::ExtIdleNotifierV1 =
            globals.bind(&qh, 1..=1, ()).map_err(|e| format!("the compositor has no ext-idle-notify-v1 ({e})"))?;
        let seat: wl_seat::WlSeat =
            globals.bind(&qh, 1..=1, ()).map_err(|e| format!("the compositor has no seat ({e})"))?;
        let ms = u32::try_from(grain.as_millis()).unwrap_or(u32::MAX);
        let notification = notifier.get_idle_notification(ms, &seat, &qh, ());
        conn.flush().map_err(|e| e.to_string())?;
        let heard = Arc::new(Mutex::new(Heard::default()));
        let mut reader = Reader { heard: heard.clone(), grain };
        std::thread::Builder::new()
            .name("idle-wayland".into())
            .spawn(move || {
                // Held by the thread so that the compositor keeps telling.
                let _kept = (notifier, seat, notification);
                let why = loop {
                    if let Err(e) = queue.blocking_dispatch(&mut reader) {
                        break e.to_string();
                    }
                };
                reader.heard().lost = Some(why);
            })
            .map_err(|e| e.to_string())?;
        Ok(WaylandIdle { heard, socket: closer })
    }

    /// How long since the last keyboard or mouse input (zero when less than the grain); an error
    /// once the compositor has gone.
    pub fn idle(&self) -> Result<Duration, String> {
        let heard = self.heard.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(why) = &heard.lost {
            return Err(format!("the Wayland connection ended: {why}"));
        }
        Ok(heard.idle_since.map(|since| since.elapsed()).unwrap_or_default())
    }
}

impl Drop for WaylandIdle {
    fn drop(&mut self) {
        // Wakes the reading thread out of its read with an error, so that it ends.
        let _ = self.socket.shutdown(std::net::Shutdown::Both);
    }
}

/// Where the compositor listens, as libwayland finds it: `WAYLAND_DISPLAY`, under
/// `XDG_RUNTIME_DIR` unless it is a whole path.
fn socket_path() -> Result<PathBuf, String> {
    let name = std::env::var_os("WAYLAND_DISPLAY")
        .filter(|n| !n.is_empty())
        .ok_or("no Wayland display (WAYLAND_DISPLAY is not set)")?;
    let name = PathBuf::from(name);
    if name.is_absolute() {
        return Ok(name);
    }
    let dir = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|d| d.is_absolute())
        .ok_or("XDG_RUNTIME_DIR is not set, so the Wayland display cannot be found")?;
    Ok(dir.join(name))
}

/// The reading thread's state: what it has heard goes to [`Heard`].
struct Reader {
    heard: Arc<Mutex<Heard>>,
    grain: Duration,
}

impl Reader {
    fn heard(&self) -> std::sync::MutexGuard<'_, Heard> {
        self.heard.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Dispatch<ext_idle_notification_v1::ExtIdleNotificationV1, ()> for Reader {
    fn event(
        reader: &mut Self,
        _: &ext_idle_notification_v1::ExtIdleNotificationV1,
        event: ext_idle_notification_v1::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        let now = Instant::now();
        reader.heard().idle_since = match event {
            ext_idle_notification_v1::Event::Idled => Some(now.checked_sub(reader.grain).unwrap_or(now)),
            _ => None,
        };
    }
}

impl Dispatch<wl_registry::WlRegistry, GlobalListContents> for Reader {
    fn event(
        _: &mut Self,
        _: &wl_registry::WlRegistry,
        _: wl_registry::Event,
        _: &GlobalListContents,
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        // Globals that come and go later change nothing: the notifier and seat are bound.
    }
}

wayland_client::delegate_noop!(Reader: ignore wl_seat::WlSeat);
wayland_client::delegate_noop!(Reader: ext_idle_notifier_v1::ExtIdleNotifierV1);

#[cfg(test)]
mod tests {
    //! The test plays a compositor that offers `ext-idle-notify-v1`, speaking the Wayland wire
    //! protocol itself: Debian 12's compositors (weston 10, sway 1.7) predate the protocol, and the
    //! one that has it (wayfire 0.7) needs a GPU's DRM device to start.
    use super::*;
    use std::io::{Read, Write};
    use std::sync::mpsc;

    /// The test's globals: a seat and, unless told otherwise, the notifier.
    const SEAT: u32 = 1;
    const NOTIFIER: u32 = 2;

    /// A message from the client: object, opcode, arguments' bytes.
    struct Message {
        object: u32,
        opcode: u16,
        args: Vec<u8>,
    }

    impl Message {
        fn uint(&self, at: usize) -> u32 {
            u32::from_ne_bytes(self.args[at..at + 4].try_into().unwrap())
        }

        /// The string at `at`, and where the next argument starts.
        fn string(&self, at: usize) -> (String, usize) {
            let len = self.uint(at) as usize;
            let text = String::from_utf8(self.args[at + 4..at + 4 + len - 1].to_vec()).unwrap();
            (text, at + 4 + len.div_ceil(4) * 4)
        }
    }

    fn read(stream: &mut UnixStream) -> Option<Message> {
        let mut head = [0u8; 8];
        stream.read_exact(&mut head).ok()?;
        let object = u32::from_ne_bytes(head[..4].try_into().unwrap());
        let word = u32::from_ne_bytes(head[4..].try_into().unwrap());
        let mut args = vec![0u8; (word >> 16) as usize - 8];
        stream.read_exact(&mut args).ok()?;
        Some(Message { object, opcode: (word & 0xffff) as u16, args })
    }

    fn send(stream: &Mutex<UnixStream>, object: u32, opcode: u16, args: &[u8]) {
        let mut bytes = object.to_ne_bytes().to_vec();
        bytes.extend(((((8 + args.len()) as u32) << 16) | u32::from(opcode)).to_ne_bytes());
        bytes.extend(args);
        let _ = stream.lock().unwrap().write_all(&bytes);
    }

    fn uint(v: u32) -> Vec<u8> {
        v.to_ne_bytes().to_vec()
    }

    fn string(s: &str) -> Vec<u8> {
        let mut bytes = uint(s.len() as u32 + 1);
        bytes.extend(s.as_bytes());
        bytes.push(0);
        bytes.resize(bytes.len().div_ceil(4) * 4, 0);
        bytes
    }

    /// What the played compositor saw the client ask: the timeout in ms, and whether the seat it
    /// named is the one it bound.
    type Asked = (u32, bool);

    /// Plays the compositor on `stream` until the client leaves; returns where to send events
    /// to the client's idle notification once it asked for one.
    fn compositor(stream: UnixStream, offer_notifier: bool) -> (mpsc::Receiver<(Asked, u32)>, Arc<Mutex<UnixStream>>) {
        let writer = Arc::new(Mutex::new(stream.try_clone().unwrap()));
        let (tell, asked) = mpsc::channel();
        let out = writer.clone();
        std::thread::spawn(move || {
            let mut stream = stream;
            let (mut registry, mut seat, mut notifier) = (0, 0, 0);
            while let Some(m) = read(&mut stream) {
                match (m.object, m.opcode) {
                    (1, 0) => {
                        // wl_display.sync: the callback's done, then its id freed.
                        let callback = m.uint(0);
                        send(&out, callback, 0, &uint(0));
                        send(&out, 1, 1, &uint(callback));
                    }
                    (1, 1) => {
                        registry = m.uint(0);
                        send(&out, registry, 0, &[uint(SEAT), string("wl_seat"), uint(7)].concat());
                        if offer_notifier {
                            send(
                                &out,
                                registry,
                                0,
                                &[uint(NOTIFIER), string("ext_idle_notifier_v1"), uint(2)].concat(),
                            );
                        }
                    }
                    (o, 0) if o == registry => {
                        let name = m.uint(0);
                        let (interface, at) = m.string(4);
                        let (version, id) = (m.uint(at), m.uint(at + 4));
                        assert_eq!(version, 1, "{interface} bound at version {version}");
                        match name {
                            SEAT => {
                                assert_eq!(interface, "wl_seat");
                                seat = id;
                                send(&out, seat, 0, &uint(3));
                            }
                            NOTIFIER => {
                                assert_eq!(interface, "ext_idle_notifier_v1");
                                notifier = id;
                            }
                            _ => panic!("bound an unknown global {name}"),
                        }
                    }
                    (o, 1) if o == notifier && notifier != 0 => {
                        let (id, timeout, named) = (m.uint(0), m.uint(4), m.uint(8));
                        tell.send(((timeout, named == seat), id)).unwrap();
                    }
                    _ => {}
                }
            }
        });
        (asked, writer)
    }

    /// Waits until `idle` says what `want` accepts.
    fn until(watch: &WaylandIdle, want: impl Fn(&Result<Duration, String>) -> bool) -> Result<Duration, String> {
        let end = Instant::now() + Duration::from_secs(10);
        loop {
            let idle = watch.idle();
            if want(&idle) || Instant::now() > end {
                return idle;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn the_idle_time_follows_the_compositors_idled_and_resumed_and_its_leaving_is_an_error() {
        let (ours, theirs) = UnixStream::pair().unwrap();
        let (asked, out) = compositor(theirs, true);
        let grain = Duration::from_millis(1500);
        let watch = WaylandIdle::on(ours, grain).expect("the played compositor offers the protocol");
        let ((timeout, on_seat), notification) = asked.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(timeout, 1500, "the timeout asked is the grain in ms");
        assert!(on_seat, "the notification is asked on the seat it bound");
        assert_eq!(watch.idle(), Ok(Duration::ZERO), "input counts as recent until told otherwise");

        send(&out, notification, 0, &[]);
        let idle = until(&watch, |i| i.as_ref().is_ok_and(|d| !d.is_zero())).unwrap();
        assert!(idle >= grain && idle < grain + Duration::from_secs(5), "idle {idle:?} starts at the grain");
        std::thread::sleep(Duration::from_millis(200));
        assert!(watch.idle().unwrap() >= idle + Duration::from_millis(200), "the idle time goes on growing");

        send(&out, notification, 1, &[]);
        assert_eq!(until(&watch, |i| i == &Ok(Duration::ZERO)), Ok(Duration::ZERO), "resumed: no longer idle");

        out.lock().unwrap().shutdown(std::net::Shutdown::Both).unwrap();
        let gone = until(&watch, Result::is_err);
        assert!(gone.as_ref().is_err_and(|e| e.contains("Wayland connection ended")), "{gone:?}");
    }

    #[test]
    fn a_compositor_without_the_protocol_is_said_so() {
        let (ours, theirs) = UnixStream::pair().unwrap();
        let _played = compositor(theirs, false);
        let err = WaylandIdle::on(ours, GRAIN).err().expect("no notifier, no watch");
        assert!(err.contains("no ext-idle-notify-v1"), "{err}");
    }

    #[test]
    fn dropping_the_watch_ends_its_reading_thread() {
        let (ours, theirs) = UnixStream::pair().unwrap();
        let (asked, _out) = compositor(theirs, true);
        let watch = WaylandIdle::on(ours, GRAIN).unwrap();
        asked.recv_timeout(Duration::from_secs(10)).unwrap();
        let heard = watch.heard.clone();
        drop(watch);
        let end = Instant::now() + Duration::from_secs(10);
        while Arc::strong_count(&heard) > 1 && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(Arc::strong_count(&heard), 1, "the thread ended and let go of what it shared");
        assert!(heard.lock().unwrap().lost.is_some(), "having seen the connection end");
    }
}

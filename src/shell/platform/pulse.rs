//! The sound server's client: the PulseAudio protocol (PipeWire's pulse server speaks it too) with
//! a pure-Rust client on a worker thread of its own: building needs no system package, and a slow
//! or missing sound server never delays a frame.

use bevy::prelude::*;
use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

use crate::shell::worker::{self, Inbox, LoopWaker, Worker};
use pulseaudio::protocol;

/// Samples per second of every sound played.
pub const SAMPLE_RATE: u32 = 44_100;
/// How long the client waits for the sound server before giving up on a sound.
const SERVER_TIMEOUT: Duration = Duration::from_secs(5);

/// The sound server's socket: `$PULSE_SERVER` (a `unix:` path), else `$XDG_RUNTIME_DIR/pulse/native`.
pub fn server_socket() -> Option<PathBuf> {
    if let Ok(server) = std::env::var("PULSE_SERVER") {
        return server.strip_prefix("unix:").map(PathBuf::from).filter(|p| p.is_absolute());
    }
    let runtime = PathBuf::from(std::env::var_os("XDG_RUNTIME_DIR")?);
    let socket = runtime.join("pulse").join("native");
    (runtime.is_absolute() && socket.exists()).then_some(socket)
}

/// A sound to play: its mono samples at [`SAMPLE_RATE`], made on the client's thread.
pub struct Sound(pub Box<dyn FnOnce() -> Vec<i16> + Send>);

/// Whether sounds play: `Some(why)` when one could not be played (said once, until one plays
/// again: then `None`).
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct SoundTrouble(pub Option<String>);

/// The client's thread, as the app holds it: sounds go in; a change of trouble comes back.
pub type Player = Worker<Sound, SoundTrouble>;

/// Starts the client's thread, which says at start (one log line) whether a sound server is there.
pub fn start(waker: LoopWaker) -> std::io::Result<Player> {
    worker::spawn("sound", waker, play_all)
}

fn play_all(inbox: Inbox<Sound, SoundTrouble>) {
    match server_socket() {
        Some(socket) => info!("sound: chimes go to {}", socket.display()),
        None => info!("sound: no sound server found (PULSE_SERVER, XDG_RUNTIME_DIR/pulse/native); no chimes"),
    }
    let mut failed = false;
    while let Some(Sound(make)) = inbox.next() {
        let Some(socket) = server_socket() else { continue };
        let samples = make();
        match play(&socket, &samples) {
            Ok(()) if failed => {
                failed = false;
                info!("sound: chimes play again");
                inbox.reply(SoundTrouble(None));
            }
            Ok(()) => {}
            Err(e) if !failed => {
                failed = true;
                warn!("sound: the chime was not played ({e})");
                inbox.reply(SoundTrouble(Some(e)));
            }
            Err(_) => {}
        }
    }
}

/// The cookie the sound server asks of its clients, where it keeps it: the file `PULSE_COOKIE`
/// names, the user's config folder's `pulse/cookie` (`$XDG_CONFIG_HOME`, else `~/.config`),
/// `~/.pulse-cookie`, or the X display's root window property `PULSE_COOKIE` (what the server's
/// X11 module publishes, in hex). None found: an empty one (a server that trusts the user's own
/// processes needs none).
pub fn cookie() -> Vec<u8> {
    let var = |name: &str| std::env::var_os(name).map(PathBuf::from).filter(|p| p.is_absolute());
    let home = var("HOME");
    let config = var("XDG_CONFIG_HOME").or_else(|| home.as_ref().map(|h| h.join(".config")));
    let files = [var("PULSE_COOKIE"), config.map(|c| c.join("pulse/cookie")), home.map(|h| h.join(".pulse-cookie"))];
    files
        .into_iter()
        .flatten()
        .find_map(|path| std::fs::read(path).ok().filter(|bytes| !bytes.is_empty()))
        .or_else(x11_cookie)
        .unwrap_or_default()
}

/// The X display's `PULSE_COOKIE` root window property, decoded from hex.
fn x11_cookie() -> Option<Vec<u8>> {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt};
    std::env::var_os("DISPLAY")?;
    let (conn, screen) = x11rb::connect(None).ok()?;
    let root = conn.setup().roots.get(screen)?.root;
    let atom = conn.intern_atom(true, b"PULSE_COOKIE").ok()?.reply().ok()?.atom;
    let reply = conn.get_property(false, root, atom, AtomEnum::ANY, 0, 1024).ok()?.reply().ok()?;
    from_hex(std::str::from_utf8(&reply.value).ok()?)
}

/// Bytes written as hexadecimal digits (an X property's string may end in NULs).
fn from_hex(text: &str) -> Option<Vec<u8>> {
    let hex = text.trim_end_matches('\0').trim();
    if hex.is_empty() || !hex.len().is_multiple_of(2) || !hex.is_ascii() {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok()).collect()
}

/// Turns a protocol error into a line naming the step that failed.
fn err(what: &'static str) -> impl Fn(protocol::ProtocolError) -> String {
    move |e| format!("{what}: {e}")
}

/// Plays mono samples on the default sink and waits until they have been played.
fn play(socket: &std::path::Path, samples: &[i16]) -> Result<(), String> {
    let stream = UnixStream::connect(socket).map_err(|e| format!("{}: {e}", socket.display()))?;
    stream.set_read_timeout(Some(SERVER_TIMEOUT)).map_err(|e| e.to_string())?;
    stream.set_write_timeout(Some(SERVER_TIMEOUT)).map_err(|e| e.to_string())?;
    let mut sock = BufReader::new(stream);
    let cookie = cookie();
    let refused = |e: protocol::ProtocolError| {
        let found = if cookie.is_empty() { "no cookie was found" } else { "the cookie found was not its own" };
        format!(
            "the sound server refused the connection ({e}): {found} (PULSE_COOKIE, ~/.config/pulse/cookie, \
             ~/.pulse-cookie, the X display's PULSE_COOKIE)"
        )
    };
    let auth = protocol::AuthParams {
        version: protocol::MAX_VERSION,
        supports_shm: false,
        supports_memfd: false,
        cookie: cookie.clone(),
    };
    protocol::write_command_message(sock.get_mut(), 0, &protocol::Command::Auth(auth), protocol::MAX_VERSION)
        .map_err(refused)?;
    let (_, reply) =
        protocol::read_reply_message::<protocol::AuthReply>(&mut sock, protocol::MAX_VERSION).map_err(refused)?;
    let version = protocol::MAX_VERSION.min(reply.version);
    let mut props = protocol::Props::new();
    props.set(protocol::Prop::ApplicationName, c"Pomodouroboros");
    props.set(protocol::Prop::ApplicationId, c"pomodouroboros");
    protocol::write_command_message(sock.get_mut(), 1, &protocol::Command::SetClientName(props), version)
        .map_err(err("client name"))?;
    protocol::read_reply_message::<protocol::SetClientNameReply>(&mut sock, version).map_err(err("client name"))?;
    let params = protocol::PlaybackStreamParams {
        sample_spec: protocol::SampleSpec {
            format: protocol::SampleFormat::S16Le,
            channels: 1,
            sample_rate: SAMPLE_RATE,
        },
        channel_map: protocol::ChannelMap::mono(),
        cvolume: Some(protocol::ChannelVolume::norm(1)),
        sink_name: Some(protocol::DEFAULT_SINK.to_owned()),
        ..Default::default()
    };
    protocol::write_command_message(sock.get_mut(), 2, &protocol::Command::CreatePlaybackStream(params), version)
        .map_err(err("stream"))?;
    let (_, info) = protocol::read_reply_message::<protocol::CreatePlaybackStreamReply>(&mut sock, version)
        .map_err(err("stream"))?;
    let bytes: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    let mut sent = 0;
    let mut send = |sock: &mut BufReader<UnixStream>, want: usize| -> Result<bool, String> {
        let end = (sent + want).min(bytes.len());
        if end > sent {
            protocol::write_memblock(sock.get_mut(), info.channel, &bytes[sent..end], 0).map_err(err("samples"))?;
            sent = end;
        }
        Ok(sent == bytes.len())
    };
    const DRAINED: u32 = 3;
    let drain = |sock: &mut BufReader<UnixStream>| {
        let command = protocol::Command::DrainPlaybackStream(info.channel);
        protocol::write_command_message(sock.get_mut(), DRAINED, &command, version).map_err(err("drain"))
    };
    // The server asks for more as it plays; once all is sent, it is asked to play it out.
    let mut draining = send(&mut sock, info.requested_bytes as usize)?;
    if draining {
        drain(&mut sock)?;
    }
    loop {
        let (seq, message) = protocol::read_command_message(&mut sock, version).map_err(err("playing"))?;
        match message {
            protocol::Command::Request(protocol::Request { length, .. })
                if !draining && send(&mut sock, length as usize)? =>
            {
                draining = true;
                drain(&mut sock)?;
            }
            protocol::Command::Reply if seq == DRAINED => return Ok(()),
            protocol::Command::Error(e) => return Err(format!("the sound server refused: {e:?}")),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_x_displays_cookie_is_read_from_hex() {
        assert_eq!(from_hex("00ff10\0"), Some(vec![0, 255, 16]));
        assert_eq!(from_hex("0f1"), None);
        assert_eq!(from_hex("zz"), None);
        assert_eq!(from_hex(""), None);
    }
}

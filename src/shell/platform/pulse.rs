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

/// The client's thread, as the app holds it: sounds go in; nothing comes back.
pub type Player = Worker<Sound, ()>;

/// Starts the client's thread, which says at start (one log line) whether a sound server is there.
pub fn start() -> std::io::Result<Player> {
    worker::spawn("sound", LoopWaker::default(), play_all)
}

fn play_all(inbox: Inbox<Sound, ()>) {
    match server_socket() {
        Some(socket) => info!("sound: chimes go to {}", socket.display()),
        None => info!("sound: no sound server found (PULSE_SERVER, XDG_RUNTIME_DIR/pulse/native); no chimes"),
    }
    let mut failed = false;
    while let Some(Sound(make)) = inbox.next() {
        let Some(socket) = server_socket() else { continue };
        let samples = make();
        match play(&socket, &samples) {
            Ok(()) => failed = false,
            Err(e) if !failed => {
                failed = true;
                warn!("sound: the chime was not played ({e})");
            }
            Err(_) => {}
        }
    }
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
    let cookie = pulseaudio::cookie_path_from_env().and_then(|p| std::fs::read(p).ok()).unwrap_or_default();
    let auth =
        protocol::AuthParams { version: protocol::MAX_VERSION, supports_shm: false, supports_memfd: false, cookie };
    protocol::write_command_message(sock.get_mut(), 0, &protocol::Command::Auth(auth), protocol::MAX_VERSION)
        .map_err(err("auth"))?;
    let (_, reply) =
        protocol::read_reply_message::<protocol::AuthReply>(&mut sock, protocol::MAX_VERSION).map_err(err("auth"))?;
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

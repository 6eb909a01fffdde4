//! The chime: a short, soft sound made by the program itself when a pomodoro starts (rising) and
//! when a break starts (falling), played through the PulseAudio protocol (PipeWire's pulse server
//! speaks it too) by a pure-Rust client on a thread of its own: building needs no system package,
//! and a slow or missing sound server never delays a frame.

use bevy::prelude::*;
use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use super::AppSystems;
use super::today::{DayEvent, Today};
use crate::day::{Event, Kind};
use pulseaudio::protocol;

/// Samples per second of the chime.
pub const SAMPLE_RATE: u32 = 44_100;
/// The loudest a chime gets at 100 % volume, as a share of full scale: soft, never a blare.
pub const PEAK: f32 = 0.5;
/// How long each note rings on (its exponential decay's time constant), in seconds.
const RING: f32 = 0.22;
/// The time between a chime's notes, in seconds.
const STEP: f32 = 0.13;
/// A note's attack, in seconds: long enough that it starts without a click.
const ATTACK: f32 = 0.006;
/// How long the client waits for the sound server before giving up on a chime.
const SERVER_TIMEOUT: Duration = Duration::from_secs(5);

/// Which chime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chime {
    /// A pomodoro starts: two notes, rising.
    Pomodoro,
    /// A break starts: three notes, falling, softer and longer.
    Break,
}

impl Chime {
    /// The notes' frequencies in Hz, in the order they sound.
    fn notes(self) -> &'static [f32] {
        match self {
            Chime::Pomodoro => &[659.25, 880.0],
            Chime::Break => &[880.0, 739.99, 587.33],
        }
    }

    /// How long each note rings on.
    fn ring(self) -> f32 {
        match self {
            Chime::Pomodoro => RING,
            Chime::Break => RING * 1.6,
        }
    }
}

/// The chime's samples, mono, at [`SAMPLE_RATE`], `volume` from 0 to 1. Each note is a sine with a
/// soft second harmonic, a short attack and an exponential decay; the whole is scaled so that its
/// loudest sample is [`PEAK`] times the volume, and fades to silence at the end.
pub fn synthesize(chime: Chime, volume: f32) -> Vec<i16> {
    let notes = chime.notes();
    let ring = chime.ring();
    let seconds = STEP * (notes.len() - 1) as f32 + ring * 5.0;
    let n = (seconds * SAMPLE_RATE as f32) as usize;
    let wave: Vec<f32> = (0..n)
        .map(|s| {
            let t = s as f32 / SAMPLE_RATE as f32;
            let mut v = 0.0;
            for (k, &f) in notes.iter().enumerate() {
                let u = t - STEP * k as f32;
                if u < 0.0 {
                    continue;
                }
                let envelope = (u / ATTACK).min(1.0) * (-u / ring).exp();
                let phase = std::f32::consts::TAU * f * u;
                v += envelope * (phase.sin() + 0.25 * (2.0 * phase).sin());
            }
            // The last 20 ms fade out, so the sound ends on silence.
            v * ((seconds - t) / 0.02).clamp(0.0, 1.0)
        })
        .collect();
    let loudest = wave.iter().fold(0.0f32, |m, v| m.max(v.abs())).max(f32::EPSILON);
    let gain = PEAK * volume.clamp(0.0, 1.0) / loudest * f32::from(i16::MAX);
    wave.into_iter().map(|v| (v * gain) as i16).collect()
}

/// The sound server's socket: `$PULSE_SERVER` (a `unix:` path), else `$XDG_RUNTIME_DIR/pulse/native`.
pub fn server_socket() -> Option<PathBuf> {
    if let Ok(server) = std::env::var("PULSE_SERVER") {
        return server.strip_prefix("unix:").map(PathBuf::from).filter(|p| p.is_absolute());
    }
    let runtime = PathBuf::from(std::env::var_os("XDG_RUNTIME_DIR")?);
    let socket = runtime.join("pulse").join("native");
    (runtime.is_absolute() && socket.exists()).then_some(socket)
}

/// The player thread's end.
#[derive(Resource)]
pub struct Player(Sender<(Chime, f32)>);

/// The last chimes asked for (at most [`super::notify::KEPT`]), for tests (in order).
#[derive(Resource, Debug, Default)]
pub struct Played(pub Vec<Chime>);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Played>();
    app.add_systems(Startup, start_player);
    app.add_systems(Update, chime.in_set(AppSystems::Update));
}

/// Runs once: starts the player thread, which says at start (one log line) whether a sound
/// server is there.
fn start_player(mut commands: Commands) {
    let (send, queue) = mpsc::channel();
    match std::thread::Builder::new().name("sound".into()).spawn(move || play_all(queue)) {
        Ok(_) => commands.insert_resource(Player(send)),
        Err(e) => warn!("sound: no thread ({e}); no chimes"),
    }
}

fn play_all(queue: Receiver<(Chime, f32)>) {
    match server_socket() {
        Some(socket) => info!("sound: chimes go to {}", socket.display()),
        None => info!("sound: no sound server found (PULSE_SERVER, XDG_RUNTIME_DIR/pulse/native); no chimes"),
    }
    let mut failed = false;
    for (chime, volume) in queue {
        let Some(socket) = server_socket() else { continue };
        let samples = synthesize(chime, volume);
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

/// Runs with the other reactions to the day: the interval that started this frame (the last one,
/// after a jump) gets its chime, if the settings want one.
fn chime(
    mut events: MessageReader<DayEvent>,
    today: Option<Res<Today>>,
    player: Option<Res<Player>>,
    mut played: ResMut<Played>,
) {
    let started = events.read().filter_map(|e| match e.0.event {
        Event::IntervalStarted { kind, .. } => {
            Some(if kind == Kind::Pomodoro { Chime::Pomodoro } else { Chime::Break })
        }
        _ => None,
    });
    let Some(which) = started.last() else { return };
    let Some(today) = today else { return };
    let Some(volume) = today.session().settings.chime_volume() else { return };
    info!("sound: {which:?} chime");
    if let Some(player) = player {
        let _ = player.0.send((which, volume));
    }
    crate::format::push_bounded(&mut played.0, which, super::notify::KEPT);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rms(samples: &[i16]) -> f32 {
        let sum: f64 = samples.iter().map(|&s| (f64::from(s) / f64::from(i16::MAX)).powi(2)).sum();
        (sum / samples.len() as f64).sqrt() as f32
    }

    #[test]
    fn chimes_are_short_soft_distinct_and_end_on_silence() {
        let up = synthesize(Chime::Pomodoro, 1.0);
        let down = synthesize(Chime::Break, 1.0);
        for s in [&up, &down] {
            let secs = s.len() as f32 / SAMPLE_RATE as f32;
            assert!((0.5..2.5).contains(&secs), "{secs} s");
            let peak = s.iter().map(|v| v.unsigned_abs()).max().unwrap();
            assert!(f32::from(peak) <= PEAK * 1.1 * f32::from(i16::MAX), "peak {peak}");
            assert!(rms(s) > 0.02, "audible: {}", rms(s));
            assert_eq!(*s.last().unwrap(), 0, "ends on silence");
            assert!(s[0].unsigned_abs() < 200, "starts without a click");
        }
        assert_ne!(up.len(), down.len());
        let half = synthesize(Chime::Pomodoro, 0.5);
        assert!((rms(&half) / rms(&up) - 0.5).abs() < 0.05);
        assert!(synthesize(Chime::Break, 0.0).iter().all(|&s| s == 0));
    }
}

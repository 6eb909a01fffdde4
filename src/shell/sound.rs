//! The chime: a short, soft sound made by the program itself when a pomodoro starts (rising) and
//! when a break starts (falling). Each becomes a [`Ring`] message; the sound server's client
//! (`platform::pulse`, on a thread of its own, in the windowed app only) synthesises and plays it.

use bevy::prelude::*;

use super::AppSystems;
use super::message_line::Tell;
use super::platform::pulse::{Player, SAMPLE_RATE, Sound, SoundTrouble};
use super::today::{DayEvent, DaySystems, Today};
use crate::day::{Event, Kind};

/// The loudest a chime gets at 100 % volume, as a share of full scale: soft, never a blare.
pub const PEAK: f32 = 0.5;
/// How long each note rings on (its exponential decay's time constant), in seconds.
const RING: f32 = 0.22;
/// The time between a chime's notes, in seconds.
const STEP: f32 = 0.13;
/// A note's attack, in seconds: long enough that it starts without a click.
const ATTACK: f32 = 0.006;

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

/// A chime the day asks for now, at a volume from 0 to 1.
#[derive(Message, Debug, Clone, Copy, PartialEq)]
pub struct Ring {
    pub chime: Chime,
    pub volume: f32,
}

/// Why the last chime could not be played, while none has played since: shown in the settings
/// panel's sound row (and told once).
#[derive(Resource, Debug, Default, Clone, PartialEq, Eq)]
pub struct SoundStatus(pub Option<String>);

pub(super) fn plugin(app: &mut App) {
    app.add_message::<Ring>();
    app.init_resource::<SoundStatus>();
    app.add_systems(Update, (chime, play_chimes).chain().in_set(AppSystems::Update).in_set(DaySystems));
    app.add_systems(Update, follow_player.in_set(super::today::TickSteps::TakeIn));
}

/// Runs with the clock: the sound client's word on whether chimes play becomes the status, and a
/// new trouble is told once.
pub(crate) fn follow_player(
    player: Option<Res<Player>>,
    mut status: ResMut<SoundStatus>,
    mut tell: MessageWriter<Tell>,
) {
    let Some(player) = player else { return };
    for SoundTrouble(trouble) in player.replies() {
        if let Some(why) = &trouble {
            tell.write(Tell::show(format!("The chime could not be played: {why}.")));
        }
        status.0 = trouble;
    }
}

/// Runs with the other reactions to the day: the interval that started this frame (the last one,
/// after a jump) gets its chime, if the settings want one.
fn chime(mut events: MessageReader<DayEvent>, today: Res<Today>, mut out: MessageWriter<Ring>) {
    let started = events.read().filter_map(|e| match e.0.event {
        Event::IntervalStarted { kind, .. } => {
            Some(if kind == Kind::Pomodoro { Chime::Pomodoro } else { Chime::Break })
        }
        _ => None,
    });
    let Some(which) = started.last() else { return };
    let Some(volume) = today.session().settings.alerts.chime_volume() else { return };
    info!("sound: {which:?} chime");
    out.write(Ring { chime: which, volume });
}

/// Runs right after [`chime`]: hands this frame's chimes to the sound server's client, where the
/// windowed app started one (a headless app has none: nothing leaves the process). The client's
/// thread synthesises the samples.
fn play_chimes(mut rings: MessageReader<Ring>, player: Option<Res<Player>>) {
    let Some(player) = player else { return };
    for &Ring { chime, volume } in rings.read() {
        player.send(Sound(Box::new(move || synthesize(chime, volume))));
    }
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

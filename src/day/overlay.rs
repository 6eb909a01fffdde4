//! The overlay's rules, as pure functions of the day and the time: how urgent the moment is, how
//! strongly the overlay shows it (the pulse), when the caption fades in, and where an overlay sits
//! on a monitor. The shell draws what these say; nothing here knows about windows.

use jiff::{SignedDuration, Timestamp};
use std::time::Duration;

use super::interval::Kind;
use super::look::{Edge, MAX_THICKNESS, MIN_THICKNESS, OverlayLook, OverlayStyle, RingPlace};
use super::model::Day;

/// Pulses start this often from the interval's start.
pub const PULSE_EVERY: SignedDuration = SignedDuration::from_secs(15);
/// A pulse's rise and fall.
pub const PULSE_LENGTH: SignedDuration = SignedDuration::from_secs(1);
/// The opacity at a pulse's height.
pub const PULSE_PEAK: f32 = 0.95;
/// The caption fades in on every this-many-th pulse (the first at the interval's start).
pub const CAPTION_EVERY_PULSES: i64 = 4;
/// How long the caption stays, fades included.
pub const CAPTION_LENGTH: SignedDuration = SignedDuration::from_secs(6);
/// How long it takes to fade in, and out.
pub const CAPTION_FADE: SignedDuration = SignedDuration::from_millis(600);

/// How much the moment asks of the user, as the overlay shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Urgency {
    /// Outside work hours: nothing shown.
    Hidden,
    /// A break: dim and grey.
    Break,
    /// A pomodoro with its intention: calm and faint.
    Calm,
    /// A pomodoro in its grace period with no intention: stronger, pulsing.
    Due,
    /// A pomodoro past its grace period with no intention: the warning colour.
    Late,
}

/// The base opacity of `urgency` with `look`, from 0 to 1.
pub fn base_opacity(look: &OverlayLook, urgency: Urgency) -> f32 {
    let percent = match urgency {
        Urgency::Hidden => 0,
        Urgency::Break => look.break_opacity,
        Urgency::Calm => look.calm_opacity,
        Urgency::Due => look.due_opacity,
        Urgency::Late => look.late_opacity,
    };
    percent as f32 / 100.0
}

/// The moment's urgency, and since when the interval it belongs to has run.
pub fn urgency(day: &Day, now: Timestamp) -> (Urgency, Option<Timestamp>) {
    let Some(i) = day.interval_at(now) else { return (Urgency::Hidden, None) };
    let iv = &day.intervals[i];
    let urgency = match iv.kind {
        Kind::ShortBreak | Kind::LongBreak => Urgency::Break,
        Kind::Pomodoro if iv.intention.is_some() => Urgency::Calm,
        // A plan item not yet taken counts as the intention it is about to become.
        Kind::Pomodoro if !day.plan.is_empty() && day.settled_until.is_none_or(|s| s < iv.start) => Urgency::Calm,
        Kind::Pomodoro if now < day.grace_end(i) => Urgency::Due,
        Kind::Pomodoro => Urgency::Late,
    };
    (urgency, Some(iv.start))
}

/// How far into its pulse the moment is: `Some(0..1)` during a pulse, counted from the interval's
/// start in whole [`PULSE_EVERY`]s.
fn pulse_phase(since_start: SignedDuration) -> Option<f32> {
    if since_start.is_negative() {
        return None;
    }
    let into = SignedDuration::from_nanos((since_start.as_nanos() % PULSE_EVERY.as_nanos()) as i64);
    (into < PULSE_LENGTH).then(|| into.as_secs_f32() / PULSE_LENGTH.as_secs_f32())
}

/// The overlay's opacity from 0 to 1: the urgency's base, and while an intention is due, a
/// one-second rise and fall to [`PULSE_PEAK`] every [`PULSE_EVERY`] from the interval's start.
pub fn opacity(look: &OverlayLook, urgency: Urgency, since_start: SignedDuration) -> f32 {
    let base = base_opacity(look, urgency);
    match (urgency, pulse_phase(since_start)) {
        (Urgency::Due, Some(phase)) => {
            let rise = (std::f32::consts::PI * phase).sin();
            base + (PULSE_PEAK.max(base) - base) * rise
        }
        _ => base,
    }
}

/// How visible the caption is, from 0 to 1: it fades in on every [`CAPTION_EVERY_PULSES`]-th pulse
/// (the interval's start included) of a pomodoro, stays, and fades out.
pub fn caption_opacity(urgency: Urgency, since_start: SignedDuration) -> f32 {
    if !matches!(urgency, Urgency::Due | Urgency::Calm) || since_start.is_negative() {
        return 0.0;
    }
    let every = PULSE_EVERY.as_nanos() * i128::from(CAPTION_EVERY_PULSES);
    let into = SignedDuration::from_nanos((since_start.as_nanos() % every) as i64);
    if into >= CAPTION_LENGTH {
        return 0.0;
    }
    let fade = CAPTION_FADE.as_secs_f32();
    let rise = into.as_secs_f32() / fade;
    let fall = (CAPTION_LENGTH - into).as_secs_f32() / fade;
    rise.min(fall).clamp(0.0, 1.0)
}

/// How long from `since_start` until the overlay's opacity next changes by itself: the next
/// frame (`frame` apart) while a pulse plays, else the next pulse's start. `None` outside a due
/// pomodoro (nothing pulses until the day's next event).
pub fn next_pulse_change(urgency: Urgency, since_start: SignedDuration, frame: Duration) -> Option<Duration> {
    if urgency != Urgency::Due || since_start.is_negative() {
        return None;
    }
    if pulse_phase(since_start).is_some() {
        return Some(frame);
    }
    until_next(since_start, PULSE_EVERY)
}

/// How long from `since_start` until the caption next changes by itself: the next frame while it
/// fades, a frame at the end of its stay, else the next caption's start.
pub fn next_caption_change(urgency: Urgency, since_start: SignedDuration, frame: Duration) -> Option<Duration> {
    if !matches!(urgency, Urgency::Due | Urgency::Calm) || since_start.is_negative() {
        return None;
    }
    let every = SignedDuration::from_nanos((PULSE_EVERY.as_nanos() * i128::from(CAPTION_EVERY_PULSES)) as i64);
    let into = SignedDuration::from_nanos((since_start.as_nanos() % every.as_nanos()) as i64);
    if into < CAPTION_FADE || (into >= CAPTION_LENGTH - CAPTION_FADE && into < CAPTION_LENGTH) {
        return Some(frame);
    }
    if into < CAPTION_LENGTH {
        return (CAPTION_LENGTH - CAPTION_FADE - into).try_into().ok();
    }
    until_next(since_start, every)
}

/// The time from `since` to the next whole multiple of `every`.
fn until_next(since: SignedDuration, every: SignedDuration) -> Option<Duration> {
    let into = since.as_nanos() % every.as_nanos();
    SignedDuration::from_nanos((every.as_nanos() - into) as i64).try_into().ok()
}

/// The sooner of [`next_pulse_change`] and [`next_caption_change`].
pub fn next_change(urgency: Urgency, since_start: SignedDuration, frame: Duration) -> Option<Duration> {
    let pulse = next_pulse_change(urgency, since_start, frame);
    let caption = next_caption_change(urgency, since_start, frame);
    pulse.into_iter().chain(caption).min()
}

/// The thinnest bar, in pixels (a thickness below it is raised to it).
pub const MIN_THICKNESS_PX: u32 = super::look::MIN_THICKNESS;

/// A rectangle in a monitor layout's physical pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PixelRect {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

/// A bar's thickness on a monitor `height` pixels tall.
pub fn bar_thickness(look: &OverlayLook, height: u32) -> u32 {
    if look.thickness != 0 {
        return look.thickness;
    }
    (height / 100).clamp(MIN_THICKNESS, MAX_THICKNESS)
}

/// Room beside a bar for its caption, in pixels: a line of text along a top or bottom bar, a
/// column beside a left or right one.
pub const CAPTION_BAND: u32 = 30;
/// The caption column's width beside a left or right bar.
pub const CAPTION_COLUMN: u32 = 360;

/// Where the overlay's window goes on a monitor (`monitor` in the layout's physical pixels): a
/// bar with its caption band along its edge, or the ring's square in its place.
pub fn overlay_rect(look: &OverlayLook, monitor: PixelRect) -> PixelRect {
    let PixelRect { x, y, width, height } = monitor;
    match look.style {
        OverlayStyle::Bar => {
            let t = bar_thickness(look, height);
            let across = (t + CAPTION_BAND).min(height);
            let beside = (t + CAPTION_COLUMN).min(width);
            match look.edge {
                Edge::Top => PixelRect { x, y, width, height: across },
                Edge::Bottom => PixelRect { x, y: y + (height - across) as i32, width, height: across },
                Edge::Left => PixelRect { x, y, width: beside, height },
                Edge::Right => PixelRect { x: x + (width - beside) as i32, y, width: beside, height },
            }
        }
        OverlayStyle::Ring => {
            let side =
                ((width.min(height) as f32 * look.ring_size.share()).round() as u32).clamp(64, width.min(height));
            // A ring in a corner keeps this much from the monitor's edges.
            let margin = (width.min(height) / 40) as i32;
            let (free_x, free_y) = ((width - side) as i32, (height - side) as i32);
            let (dx, dy) = match look.ring_place {
                RingPlace::Center => (free_x / 2, free_y / 2),
                RingPlace::TopLeft => (margin, margin),
                RingPlace::TopRight => (free_x - margin, margin),
                RingPlace::BottomLeft => (margin, free_y - margin),
                RingPlace::BottomRight => (free_x - margin, free_y - margin),
            };
            PixelRect { x: x + dx.max(0), y: y + dy.max(0), width: side, height: side }
        }
    }
}

/// The caption: the intention in a calm pomodoro, the key to set one while one is due. `short`
/// for the little room inside a ring: no pomodoro number, and the key alone.
pub fn caption(day: &Day, now: Timestamp, urgency: Urgency, short: bool) -> Option<String> {
    match urgency {
        Urgency::Due if short => Some("Set an intention: i".into()),
        Urgency::Due => Some("Set an intention: press i in the window, or `pomodouroboros window intend`".into()),
        Urgency::Calm => {
            let i = day.interval_at(now)?;
            let iv = &day.intervals[i];
            let text = iv.intention.clone().or_else(|| day.plan.first().cloned())?;
            Some(if short { text } else { format!("{}: {}", crate::format::capitalised(&day.interval_name(i)), text) })
        }
        _ => None,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::day::Settings;
    use crate::day::look::{MIN_THICKNESS, RingSize};

    /// A two-hour day from 09:00 UTC with the default settings, and its start (the tray's tests
    /// use it too).
    pub(in crate::day) fn day() -> (Day, Timestamp) {
        let start: Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
        let timing = Settings::default().timing().unwrap();
        (Day::new(jiff::civil::date(2026, 12, 1), Some((start, start + SignedDuration::from_hours(2))), &timing), start)
    }

    /// `secs` after `start`.
    pub(in crate::day) fn at(start: Timestamp, secs: i64) -> Timestamp {
        start + SignedDuration::from_secs(secs)
    }

    #[test]
    fn every_state_and_its_boundaries() {
        let (mut day, start) = day();
        assert_eq!(urgency(&day, at(start, -1)).0, Urgency::Hidden);
        assert_eq!(urgency(&day, start), (Urgency::Due, Some(start)));
        // The grace period is 4 minutes: due until its last instant, late from its end.
        assert_eq!(urgency(&day, at(start, 4 * 60 - 1)).0, Urgency::Due);
        assert_eq!(urgency(&day, at(start, 4 * 60)).0, Urgency::Late);
        assert_eq!(urgency(&day, at(start, 25 * 60 - 1)).0, Urgency::Late);
        let brk = at(start, 25 * 60);
        assert_eq!(urgency(&day, brk), (Urgency::Break, Some(brk)));
        day.intend(at(start, 60), "write").unwrap();
        assert_eq!(urgency(&day, at(start, 61)).0, Urgency::Calm);
        assert_eq!(urgency(&day, at(start, 24 * 60)).0, Urgency::Calm);
        // A plan item waiting for the next pomodoro makes it calm from its first instant.
        day.plan(at(start, 61), "read").unwrap();
        assert_eq!(urgency(&day, at(start, 30 * 60)).0, Urgency::Calm);
        let end = day.span().unwrap().1;
        assert_eq!(urgency(&day, end).0, Urgency::Hidden);
        assert_eq!(urgency(&day, at(end, -1)).0, Urgency::Break);
    }

    #[test]
    fn the_pulse_rises_and_falls_in_the_first_second_of_every_fifteen() {
        let look = OverlayLook::default();
        let due = |secs: f64| opacity(&look, Urgency::Due, SignedDuration::from_secs_f64(secs));
        let base = look.due_opacity as f32 / 100.0;
        assert!((due(0.0) - base).abs() < 1e-6);
        assert!((due(0.5) - PULSE_PEAK).abs() < 1e-3, "{}", due(0.5));
        assert!(due(0.25) > base && due(0.25) < PULSE_PEAK);
        assert!((due(1.0) - base).abs() < 1e-6);
        assert!((due(14.99) - base).abs() < 1e-6);
        assert!((due(15.5) - PULSE_PEAK).abs() < 1e-3);
        assert!((due(30.5) - PULSE_PEAK).abs() < 1e-3);
        // No pulse in any other state.
        for u in [Urgency::Calm, Urgency::Break, Urgency::Late] {
            let o = opacity(&look, u, SignedDuration::from_millis(500));
            assert!((o - base_opacity(&look, u)).abs() < 1e-6, "{u:?}");
        }
        assert_eq!(opacity(&look, Urgency::Hidden, SignedDuration::ZERO), 0.0);
        // Faint while calm, dim on a break, stronger when due.
        assert!(base_opacity(&look, Urgency::Break) < base_opacity(&look, Urgency::Calm));
        assert!(base_opacity(&look, Urgency::Calm) < base_opacity(&look, Urgency::Due));
    }

    #[test]
    fn the_caption_fades_in_every_fourth_pulse_and_the_next_change_is_the_next_pulse() {
        let secs = SignedDuration::from_secs_f64;
        assert_eq!(caption_opacity(Urgency::Due, secs(0.0)), 0.0);
        assert_eq!(caption_opacity(Urgency::Due, secs(3.0)), 1.0);
        assert!(caption_opacity(Urgency::Due, secs(0.3)) > 0.0);
        assert_eq!(caption_opacity(Urgency::Due, secs(6.0)), 0.0);
        assert_eq!(caption_opacity(Urgency::Due, secs(15.0 + 3.0)), 0.0);
        assert_eq!(caption_opacity(Urgency::Due, secs(60.0 + 3.0)), 1.0);
        assert_eq!(caption_opacity(Urgency::Calm, secs(63.0)), 1.0);
        assert_eq!(caption_opacity(Urgency::Break, secs(3.0)), 0.0);
        let frame = Duration::from_millis(50);
        assert_eq!(next_change(Urgency::Due, secs(0.5), frame), Some(frame));
        assert_eq!(next_change(Urgency::Due, secs(7.0), frame), Some(Duration::from_secs(8)));
        assert_eq!(next_change(Urgency::Due, secs(16.5), frame), Some(Duration::from_millis(13_500)));
        assert_eq!(next_change(Urgency::Calm, secs(7.0), frame), Some(Duration::from_secs(53)));
        assert_eq!(next_change(Urgency::Break, secs(7.0), frame), None);
        assert_eq!(next_change(Urgency::Late, secs(7.0), frame), None);
        // While the caption stays, nothing until its fade out; the pulse alone is the opacity's.
        assert_eq!(next_caption_change(Urgency::Calm, secs(3.0), frame), Some(Duration::from_millis(2400)));
        assert_eq!(next_pulse_change(Urgency::Calm, secs(3.0), frame), None);
        assert_eq!(next_pulse_change(Urgency::Due, secs(3.0), frame), Some(Duration::from_secs(12)));
        assert_eq!(next_caption_change(Urgency::Due, secs(5.5), frame), Some(frame));
    }

    #[test]
    fn a_bar_lies_along_its_edge_and_a_ring_in_its_place_on_every_monitor() {
        let look = OverlayLook::default();
        let left = PixelRect { x: 0, y: 0, width: 1920, height: 1080 };
        let right = PixelRect { x: 1920, y: 120, width: 1366, height: 768 };
        // 1 % of the height, at least 6 px, with the caption's band above it.
        assert_eq!(bar_thickness(&look, 1080), 10);
        assert_eq!(bar_thickness(&look, 480), MIN_THICKNESS);
        assert_eq!(overlay_rect(&look, left), PixelRect { x: 0, y: 1080 - 40, width: 1920, height: 40 });
        assert_eq!(overlay_rect(&look, right), PixelRect { x: 1920, y: 120 + 768 - 37, width: 1366, height: 37 });
        let top = OverlayLook { edge: Edge::Top, thickness: 20, ..look };
        assert_eq!(overlay_rect(&top, right), PixelRect { x: 1920, y: 120, width: 1366, height: 50 });
        let side = OverlayLook { edge: Edge::Right, ..look };
        assert_eq!(overlay_rect(&side, right), PixelRect { x: 1920 + 1366 - 367, y: 120, width: 367, height: 768 });
        let ring = OverlayLook { style: OverlayStyle::Ring, ring_size: RingSize::Large, ..look };
        let r = overlay_rect(&ring, right);
        assert_eq!((r.width, r.height), (737, 737));
        assert_eq!((r.x, r.y), (1920 + (1366 - 737) / 2, 120 + (768 - 737) / 2));
        let corner = OverlayLook { style: OverlayStyle::Ring, ring_place: RingPlace::BottomRight, ..look };
        let r = overlay_rect(&corner, left);
        assert_eq!(r.width, 238);
        assert_eq!((r.x + r.width as i32, r.y + r.height as i32), (1920 - 27, 1080 - 27));
        // Always inside the monitor.
        for m in [left, right, PixelRect { x: -800, y: 0, width: 800, height: 600 }] {
            for style in [OverlayStyle::Bar, OverlayStyle::Ring] {
                for edge in [Edge::Top, Edge::Bottom, Edge::Left, Edge::Right] {
                    let r = overlay_rect(&OverlayLook { style, edge, ..look }, m);
                    assert!(r.x >= m.x && r.y >= m.y, "{r:?} in {m:?}");
                    assert!(r.x + r.width as i32 <= m.x + m.width as i32, "{r:?} in {m:?}");
                    assert!(r.y + r.height as i32 <= m.y + m.height as i32, "{r:?} in {m:?}");
                }
            }
        }
    }

    #[test]
    fn captions_say_the_intention_or_how_to_set_one() {
        let (mut day, start) = day();
        assert!(caption(&day, start, Urgency::Due, false).unwrap().contains("press i"));
        assert_eq!(caption(&day, start, Urgency::Due, true).unwrap(), "Set an intention: i");
        day.intend(start, "write the report").unwrap();
        assert_eq!(caption(&day, start, Urgency::Calm, false).unwrap(), "Pomodoro 1: write the report");
        assert_eq!(caption(&day, start, Urgency::Calm, true).unwrap(), "write the report");
        assert_eq!(caption(&day, start, Urgency::Break, false), None);
    }
}

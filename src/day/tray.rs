//! What the tray item shows, as pure functions of the day and the time: its title and tooltip (the
//! interval and its countdown, the intention), how far the interval has gone (the icon's arc), its
//! urgency (an intention due asks for attention), and when any of it next changes. The tray is
//! read at a glance: it counts in whole minutes, so it changes at most about once a minute while
//! nothing happens (a test day's intervals of seconds count in seconds).

use jiff::{SignedDuration, Timestamp};

use super::interval::Kind;
use super::model::Day;
use super::overlay::{Urgency, urgency};
use crate::format::{capitalised, clock, shorten};

/// How finely the icon's arc follows the interval: this many steps around the ring at most.
pub const PROGRESS_STEPS: i64 = 48;
/// Intervals this long or longer count in whole minutes; shorter ones (a test day's) in seconds.
pub const MINUTES_FROM: SignedDuration = SignedDuration::from_mins(2);
/// The longest intention the tooltip quotes whole.
pub const DETAIL_CHARS: usize = 120;

/// What the tray item shows at an instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrayLook {
    /// How much the moment asks of the user (the overlay's rule): `Due` asks for attention.
    pub urgency: Urgency,
    /// The interval and its countdown: "Pomodoro 3 · 12 min left".
    pub title: String,
    /// The intention, or what the moment asks for.
    pub detail: String,
    /// How much of the interval has passed, from 0 to [`PROGRESS_STEPS`].
    pub progress: i64,
    /// The pomodoro (its number) that a plain rating (the `1`–`4` keys) would rate now.
    pub rate: Option<usize>,
    /// Whether an intention can be set now (a pomodoro in its grace period).
    pub can_intend: bool,
}

/// The unit an interval of `length` counts in.
fn unit(length: SignedDuration) -> SignedDuration {
    if length >= MINUTES_FROM { SignedDuration::from_mins(1) } else { SignedDuration::from_secs(1) }
}

/// `d` in whole `unit`s, rounded up (a countdown is behind the truth by less than what it says).
fn units_up(d: SignedDuration, unit: SignedDuration) -> i64 {
    let (d, unit) = (d.as_nanos().max(0), unit.as_nanos());
    ((d + unit - 1) / unit) as i64
}

/// A countdown of `left` in `unit`s, in words.
fn countdown(left: SignedDuration, unit: SignedDuration) -> String {
    let n = units_up(left, unit);
    if unit < SignedDuration::from_mins(1) {
        return format!("{n} s left");
    }
    match (n / 60, n % 60) {
        (0, m) => format!("{m} min left"),
        (h, 0) => format!("{h} h left"),
        (h, m) => format!("{h} h {m} min left"),
    }
}

/// What the tray shows for `day` at `now` (times of day in `tz`).
pub fn tray_look(day: &Day, now: Timestamp, tz: &jiff::tz::TimeZone) -> TrayLook {
    let (urgency, _) = urgency(day, now);
    let rate = day.rating_target(now).and_then(|i| day.pomodoro_number(i));
    let outside =
        |title: String| TrayLook { urgency, title, detail: String::new(), progress: 0, rate, can_intend: false };
    let Some(i) = day.interval_at(now) else {
        return match day.span() {
            None => outside("No work hours today".into()),
            Some((start, _)) if now < start => outside(format!("The work day starts at {}", clock(start, tz))),
            Some(_) => outside("The work day is over".into()),
        };
    };
    let iv = &day.intervals[i];
    let unit = unit(iv.length());
    let total = units_up(iv.length(), unit).max(1);
    let passed = (total - units_up(iv.end.duration_since(now), unit)).clamp(0, total);
    let quoted = |text: &str| format!("“{}”", shorten(text, DETAIL_CHARS));
    let detail = match urgency {
        Urgency::Calm => {
            iv.intention.as_deref().or(day.plan.first().map(String::as_str)).map(quoted).unwrap_or_default()
        }
        Urgency::Due => "Set an intention for this pomodoro".into(),
        Urgency::Late => "No intention this time: a new pomodoro can start now".into(),
        Urgency::Break | Urgency::Hidden => match day.intervals.get(i + 1).filter(|next| next.kind == Kind::Pomodoro) {
            Some(_) => format!("{} next", capitalised(&day.interval_name(i + 1))),
            None => String::new(),
        },
    };
    TrayLook {
        urgency,
        title: format!("{} · {}", capitalised(&day.interval_name(i)), countdown(iv.end.duration_since(now), unit)),
        detail,
        progress: passed * PROGRESS_STEPS / total,
        rate,
        can_intend: iv.kind == Kind::Pomodoro && now < day.grace_end(i),
    }
}

/// How long from `now` until what [`tray_look`] says next changes by itself (the countdown's or
/// the arc's next step, or the day's next boundary); `None` when nothing changes until the day's
/// next event would say so (outside work hours).
pub fn next_tray_change(day: &Day, now: Timestamp) -> Option<std::time::Duration> {
    let i = day.interval_at(now)?;
    let iv = &day.intervals[i];
    let unit = unit(iv.length()).as_nanos();
    let left = iv.end.duration_since(now).as_nanos();
    // The countdown turns when what is left crosses a whole unit; the arc when what has passed
    // crosses a whole step (which need not fall on the same instants when the interval is not a
    // whole number of units); the grace period's end changes the urgency.
    let countdown_turns = (left - 1).rem_euclid(unit) + 1;
    let total = ((iv.length().as_nanos() + unit - 1) / unit).max(1);
    let passed = iv.length().as_nanos() - left;
    let step = iv.length().as_nanos() / i128::from(PROGRESS_STEPS.min(total as i64)).max(1);
    let arc_turns = if step > 0 { step - passed.rem_euclid(step) } else { left };
    let mut next = countdown_turns.min(arc_turns).min(left);
    if iv.kind == Kind::Pomodoro {
        let grace = day.grace_end(i).duration_since(now).as_nanos();
        if grace > 0 {
            next = next.min(grace);
        }
    }
    u64::try_from(next.max(1)).ok().map(std::time::Duration::from_nanos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::overlay::tests::{at, day};
    use crate::day::{RateTarget, Rating};

    #[test]
    fn a_pomodoro_counts_down_in_minutes_and_asks_for_an_intention_in_its_grace_period() {
        let (mut day, start) = day();
        let tz = jiff::tz::TimeZone::UTC;
        let look = tray_look(&day, at(start, 30), &tz);
        assert_eq!(look.title, "Pomodoro 1 · 25 min left");
        assert_eq!(look.urgency, Urgency::Due);
        assert_eq!(look.detail, "Set an intention for this pomodoro");
        assert!(look.can_intend);
        assert_eq!(look.progress, 0);
        day.intend(at(start, 60), "write the report").unwrap();
        let look = tray_look(&day, at(start, 12 * 60 + 30), &tz);
        assert_eq!(look.title, "Pomodoro 1 · 13 min left");
        assert_eq!((look.urgency, look.detail.as_str()), (Urgency::Calm, "“write the report”"));
        assert_eq!(look.progress, 12 * PROGRESS_STEPS / 25);
        // Past the grace period: no new intention, but the current one can be rated.
        assert!(!look.can_intend);
        assert_eq!(look.rate, Some(1));
    }

    #[test]
    fn a_break_names_what_comes_next_and_the_finished_pomodoro_is_the_one_rated() {
        let (mut day, start) = day();
        let tz = jiff::tz::TimeZone::UTC;
        day.intend(at(start, 10), "read").unwrap();
        let look = tray_look(&day, at(start, 25 * 60 + 10), &tz);
        assert_eq!(look.title, "Short break · 5 min left");
        assert_eq!((look.urgency, look.detail.as_str()), (Urgency::Break, "Pomodoro 2 next"));
        assert_eq!(look.rate, Some(1));
        day.rate(at(start, 25 * 60 + 20), Rating::Achieved, RateTarget::Default).unwrap();
        assert_eq!(tray_look(&day, at(start, 25 * 60 + 30), &tz).rate, Some(1), "a rating can still be changed");
    }

    #[test]
    fn outside_the_work_day_it_says_so() {
        let (day, start) = day();
        let tz = jiff::tz::TimeZone::UTC;
        assert_eq!(tray_look(&day, at(start, -60), &tz).title, "The work day starts at 09:00");
        assert_eq!(tray_look(&day, at(start, 3 * 3600), &tz).title, "The work day is over");
        assert_eq!(next_tray_change(&day, at(start, 3 * 3600)), None);
    }

    #[test]
    fn it_changes_at_most_once_a_minute_and_exactly_when_it_reads_differently() {
        let (mut day, start) = day();
        let tz = jiff::tz::TimeZone::UTC;
        day.intend(at(start, 1), "x").unwrap();
        // Walk a whole pomodoro from change to change: each step changes what is shown, and no
        // instant in between does.
        let mut now = at(start, 10);
        let mut changes = 0;
        while now < at(start, 25 * 60) {
            let next = next_tray_change(&day, now).unwrap();
            let before = tray_look(&day, now, &tz);
            let just_before = now + SignedDuration::try_from(next).unwrap() - SignedDuration::from_millis(1);
            assert_eq!(tray_look(&day, just_before, &tz), before, "unchanged until {next:?} after {now}");
            now += SignedDuration::try_from(next).unwrap();
            assert_ne!(tray_look(&day, now, &tz), before, "changed {next:?} after the last change");
            changes += 1;
        }
        assert!(changes <= 26, "{changes} changes in 25 minutes");
    }

    #[test]
    fn a_test_days_short_intervals_count_in_seconds() {
        let start: Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
        let timing = crate::day::Timing::TEST_DAY;
        let day = Day::new(
            jiff::civil::date(2026, 12, 1),
            Some((start, start + crate::day::Timing::TEST_DAY_LENGTH)),
            &timing,
        );
        let look = tray_look(&day, at(start, 20), &jiff::tz::TimeZone::UTC);
        assert_eq!(look.title, format!("Pomodoro 1 · {} s left", timing.pomodoro.as_secs() - 20));
    }
}

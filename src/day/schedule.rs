//! Laying a day out as contiguous intervals.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::interval::{Interval, Kind, Timing};
use super::settings::Settings;

/// When a date's work starts and ends, as instants, or `None` on a free day. The local start and end
/// times are resolved in `tz`, so a day that crosses a daylight-saving change still starts and ends at
/// the configured wall-clock times (a time that falls in a gap moves forward, as clocks do).
pub fn day_span(date: Date, settings: &Settings, tz: &TimeZone) -> Option<(Timestamp, Timestamp)> {
    let hours = settings.hours(date.weekday())?;
    let start = tz.to_ambiguous_zoned(date.to_datetime(hours.start)).compatible().ok()?;
    let end = tz.to_ambiguous_zoned(date.to_datetime(hours.end)).compatible().ok()?;
    (start.timestamp() < end.timestamp()).then(|| (start.timestamp(), end.timestamp()))
}

/// Cuts `[start, end)` into pomodoros and breaks: a pomodoro, a break, a pomodoro… with a long break
/// after every `long_break_every`-th pomodoro. The last interval is cut at `end`. Intervals are
/// contiguous and never empty.
pub fn lay_out(start: Timestamp, end: Timestamp, timing: &Timing) -> Vec<Interval> {
    let mut intervals = Vec::new();
    lay_out_after(&mut intervals, start, end, timing);
    intervals
}

/// Continues `intervals` (whose last one ends at or before `end`) up to `end`, or lays a new day
/// out from `start` when there are none, keeping the pomodoro/break rhythm.
pub(super) fn lay_out_after(intervals: &mut Vec<Interval>, start: Timestamp, end: Timestamp, timing: &Timing) {
    let pomodoros = intervals.iter().filter(|iv| iv.kind == Kind::Pomodoro).count() as u32;
    let (at, kind) = match intervals.last() {
        None => (start, Kind::Pomodoro),
        Some(last) if last.kind == Kind::Pomodoro => (
            last.end,
            if pomodoros.is_multiple_of(timing.long_break_every) { Kind::LongBreak } else { Kind::ShortBreak },
        ),
        Some(last) => (last.end, Kind::Pomodoro),
    };
    lay_out_from(intervals, at, end, timing, kind);
}

/// Continues `intervals` from `at` up to `end` with an interval of `kind` first, then the
/// pomodoro/break rhythm (the long break after every `long_break_every`-th pomodoro of the day).
pub(super) fn lay_out_from(
    intervals: &mut Vec<Interval>,
    mut at: Timestamp,
    end: Timestamp,
    timing: &Timing,
    mut kind: Kind,
) {
    let mut pomodoros = intervals.iter().filter(|iv| iv.kind == Kind::Pomodoro).count() as u32;
    while at < end {
        let stop = at.saturating_add(timing.length(kind)).unwrap_or(end).min(end);
        intervals.push(Interval::new(kind, at, stop));
        at = stop;
        kind = match kind {
            Kind::Pomodoro => {
                pomodoros += 1;
                if pomodoros.is_multiple_of(timing.long_break_every) { Kind::LongBreak } else { Kind::ShortBreak }
            }
            Kind::ShortBreak | Kind::LongBreak => Kind::Pomodoro,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;
    use jiff::civil::date;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn default_day_has_sixteen_pomodoros() {
        let tz = TimeZone::get("Europe/Paris").unwrap();
        let (start, end) = day_span(date(2026, 11, 24), &Settings::default(), &tz).unwrap();
        assert_eq!(start, ts("2026-11-24T08:00:00Z"));
        assert_eq!(end, ts("2026-11-24T16:00:00Z"));
        let timing = Settings::default().timing().unwrap();
        let day = lay_out(start, end, &timing);
        let kinds: Vec<Kind> = day.iter().map(|i| i.kind).take(9).collect();
        use Kind::*;
        assert_eq!(
            kinds,
            [Pomodoro, ShortBreak, Pomodoro, ShortBreak, Pomodoro, ShortBreak, Pomodoro, LongBreak, Pomodoro]
        );
        // 2 h cycle (4×25 + 3×5 + 15 = 130 min): 8 h hold 3 full cycles + 90 min.
        assert_eq!(day.iter().filter(|i| i.kind == Pomodoro).count(), 15);
        assert_eq!(day.last().unwrap().end, end);
        assert!(day.windows(2).all(|w| w[0].end == w[1].start));
    }

    #[test]
    fn free_days_have_no_span() {
        let tz = TimeZone::UTC;
        assert_eq!(day_span(date(2026, 11, 28), &Settings::default(), &tz), None);
    }

    #[test]
    fn dst_days_start_and_end_at_local_times() {
        // Europe/Paris leaves summer time at 03:00 on 2026-10-25 (a Sunday): work that day 01:00–05:00.
        let tz = TimeZone::get("Europe/Paris").unwrap();
        let early = jiff::civil::time(1, 0, 0, 0);
        let late = jiff::civil::time(5, 0, 0, 0);
        let settings =
            Settings { sunday: Some(super::super::WorkHours { start: early, end: late }), ..Settings::default() };
        let (start, end) = day_span(date(2026, 10, 25), &settings, &tz).unwrap();
        assert_eq!(start.to_zoned(tz.clone()).time(), early);
        assert_eq!(end.to_zoned(tz.clone()).time(), late);
        assert_eq!(end.duration_since(start), SignedDuration::from_hours(5));
        // And entering summer time on 2026-03-29 the same hours are an hour shorter.
        let settings =
            Settings { sunday: Some(super::super::WorkHours { start: early, end: late }), ..Settings::default() };
        let (start, end) = day_span(date(2026, 3, 29), &settings, &tz).unwrap();
        assert_eq!(end.duration_since(start), SignedDuration::from_hours(3));
        assert_eq!(end.to_zoned(tz).time(), late);
    }

    #[test]
    fn the_last_interval_is_cut() {
        let start = ts("2026-11-24T09:00:00Z");
        let end = start + SignedDuration::from_mins(40);
        let day = lay_out(start, end, &Settings::default().timing().unwrap());
        assert_eq!(day.len(), 3);
        assert_eq!(day[2].kind, Kind::Pomodoro);
        assert_eq!(day[2].end.duration_since(day[2].start), SignedDuration::from_mins(10));
    }
}

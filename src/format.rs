//! Time as people read it, shared by the command line and the window.

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// `mm:ss`, or `h:mm:ss` from an hour up; negative counts as zero.
pub fn mmss(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// Whole seconds from `now` until `at`, rounded up so a countdown reads 00:01 until it is over.
pub fn seconds_until(now: Timestamp, at: Timestamp) -> i64 {
    let d = at.duration_since(now);
    let s = d.as_secs();
    if d.subsec_nanos() > 0 { s + 1 } else { s }
}

/// The local wall-clock time `HH:MM`.
pub fn clock(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%H:%M").to_string()
}

/// Time from `now` until the next whole-second step of a countdown to `anchor` (a second when
/// `now` is on a step): when a seconds display changes next. The window's waker and
/// `status --watch` both sleep this long.
pub fn until_next_second(now: Timestamp, anchor: Timestamp) -> std::time::Duration {
    let nanos = anchor.duration_since(now).as_nanos().rem_euclid(1_000_000_000);
    if nanos == 0 { std::time::Duration::from_secs(1) } else { std::time::Duration::from_nanos(nanos as u64) }
}

/// How finely a countdown is shown: seconds while someone may be watching it tick (the window has
/// focus), whole minutes otherwise, so that a window nobody looks at can sleep a minute at a time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Detail {
    /// `12:34`.
    #[default]
    Seconds,
    /// `12 min`: plainly not a frozen `12:34`. The last minute still counts in seconds.
    Minutes,
    /// Minutes to the end: `12 min`, then `< 1 min` (for secondary lines, which need no seconds
    /// while nobody watches).
    MinutesOnly,
}

impl Detail {
    /// The detail for secondary lines (the grace period's and the next point's time left): no
    /// seconds at all unless the main countdown shows them all the time.
    pub fn secondary(self) -> Detail {
        match self {
            Detail::Minutes => Detail::MinutesOnly,
            other => other,
        }
    }
}

/// The countdown from `now` to `at` as shown with `detail`: `12:34`, or `13 min` (rounded up, as a
/// countdown is: it is behind the truth by less than the minute it says), `1 h 5 min`, and `00:59`
/// in the last minute either way.
pub fn time_left(now: Timestamp, at: Timestamp, detail: Detail) -> String {
    let s = seconds_until(now, at).max(0);
    match detail {
        Detail::Minutes | Detail::MinutesOnly if s > 60 => minutes_words((s + 59) / 60),
        Detail::MinutesOnly => "< 1 min".to_owned(),
        _ => mmss(s),
    }
}

/// A wait in words that cannot be read as a time of day: `40 s` in its last minute, then whole
/// minutes rounded up (`12 min`, `1 h 5 min`). It changes when [`Detail::Minutes`] does.
pub fn wait_words(now: Timestamp, at: Timestamp) -> String {
    let s = seconds_until(now, at).max(0);
    if s > 60 { minutes_words((s + 59) / 60) } else { format!("{s} s") }
}

fn minutes_words(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// Time from `now` until the countdown to `at` reads differently when shown with `detail` (by
/// [`time_left`], or [`wait_words`] for [`Detail::Minutes`]), or until `at` itself, when the
/// countdown ends; `None` once `at` has come. A window sleeps this long and the display is never
/// stale.
pub fn until_left_changes(now: Timestamp, at: Timestamp, detail: Detail) -> Option<std::time::Duration> {
    const SECOND: i128 = 1_000_000_000;
    let left = at.duration_since(now).as_nanos();
    if left <= 0 {
        return None;
    }
    let step = match detail {
        Detail::Minutes if left > 60 * SECOND => 60 * SECOND,
        Detail::MinutesOnly => 60 * SECOND,
        _ => SECOND,
    };
    Some(std::time::Duration::from_nanos(((left - 1) % step + 1) as u64))
}

/// `text` with its first letter in upper case, to start a sentence.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// RFC 3339 with the local offset.
pub fn rfc3339(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Text cut to `max` characters with an ellipsis, for places where space is short.
pub fn shorten(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= max {
        return text.into();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn countdowns_step_on_their_anchor_phase() {
        let anchor = at("2026-11-24T09:00:00.25Z");
        let now = at("2026-11-24T09:00:10Z");
        assert_eq!(until_next_second(now, anchor), std::time::Duration::from_millis(250));
        assert_eq!(until_next_second(anchor, anchor), std::time::Duration::from_secs(1));
        let before = at("2026-11-24T08:59:59.5Z");
        assert_eq!(until_next_second(before, anchor), std::time::Duration::from_millis(750));
    }

    #[test]
    fn minutes_round_up_and_the_last_minute_counts_seconds() {
        let now = at("2026-12-01T09:00:00Z");
        let left = |secs: f64| time_left(now, now + jiff::SignedDuration::from_secs_f64(secs), Detail::Minutes);
        assert_eq!(left(12.0 * 60.0 + 34.0), "13 min");
        assert_eq!(left(13.0 * 60.0), "13 min");
        assert_eq!(left(60.5), "2 min");
        assert_eq!(left(60.0), "01:00");
        assert_eq!(left(0.2), "00:01");
        assert_eq!(left(65.0 * 60.0), "1 h 5 min");
        assert_eq!(left(120.0 * 60.0), "2 h");
        assert_eq!(time_left(now, now + jiff::SignedDuration::from_secs(754), Detail::Seconds), "12:34");
        let only = |secs: i64| time_left(now, now + jiff::SignedDuration::from_secs(secs), Detail::MinutesOnly);
        assert_eq!((only(61), only(60), only(1)), ("2 min".to_owned(), "< 1 min".to_owned(), "< 1 min".to_owned()));
        assert_eq!(wait_words(now, now + jiff::SignedDuration::from_secs(40)), "40 s");
        assert_eq!(wait_words(now, now + jiff::SignedDuration::from_secs(600)), "10 min");
        assert_eq!(wait_words(now, now + jiff::SignedDuration::from_secs(3600 + 5 * 60 + 7)), "1 h 6 min");
    }

    #[test]
    fn a_minutes_countdown_changes_on_the_minutes_of_its_end() {
        let now = at("2026-12-01T09:00:00Z");
        let end = at("2026-12-01T09:12:34.25Z");
        assert_eq!(until_left_changes(now, end, Detail::Minutes), Some(std::time::Duration::from_millis(34_250)));
        assert_eq!(until_left_changes(now, end, Detail::Seconds), Some(std::time::Duration::from_millis(250)));
        let last = at("2026-12-01T09:11:40Z");
        assert_eq!(until_left_changes(last, end, Detail::Minutes), Some(std::time::Duration::from_millis(250)));
        assert_eq!(until_left_changes(end, end, Detail::Minutes), None);
    }

    proptest::proptest! {
        /// Until the instant it names, the text stays as it is; at that instant it changes: a window
        /// that sleeps that long never shows a stale countdown and never draws an unchanged one.
        #[test]
        fn the_text_changes_exactly_when_said(left_ns in 1i64..20_000_000_000_000, which in 0..3usize) {
            let detail = [Detail::Seconds, Detail::Minutes, Detail::MinutesOnly][which];
            let minutes = detail == Detail::Minutes;
            let now = at("2026-12-01T09:00:00Z");
            let end = now + jiff::SignedDuration::from_nanos(left_ns);
            let after = until_left_changes(now, end, detail).unwrap();
            let after = jiff::SignedDuration::try_from(after).unwrap();
            let just_before = now + after - jiff::SignedDuration::from_nanos(1);
            let shown = time_left(now, end, detail);
            proptest::prop_assert_eq!(&time_left(just_before, end, detail), &shown);
            if now + after < end {
                proptest::prop_assert_ne!(&time_left(now + after, end, detail), &shown);
            }
            if minutes {
                let words = wait_words(now, end);
                proptest::prop_assert_eq!(&wait_words(just_before, end), &words);
                proptest::prop_assert_ne!(&wait_words(now + after, end), &words);
            }
        }
    }

    #[test]
    fn shorten_cuts_by_characters_not_bytes() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("日本語のテキストです", 5), "日本語の…");
        assert_eq!(shorten("word   word", 6), "word…");
    }

    #[test]
    fn countdowns() {
        assert_eq!(mmss(0), "00:00");
        assert_eq!(mmss(25 * 60), "25:00");
        assert_eq!(mmss(3725), "1:02:05");
        assert_eq!(mmss(-5), "00:00");
        let t: Timestamp = "2026-11-24T09:00:00Z".parse().unwrap();
        assert_eq!(seconds_until(t, t + jiff::SignedDuration::from_millis(1)), 1);
        assert_eq!(seconds_until(t, t), 0);
        assert_eq!(rfc3339(t, &TimeZone::fixed(jiff::tz::offset(1))), "2026-11-24T10:00:00+01:00");
    }
}

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

/// Appends `item`, keeping only the last `keep`: a record a window running for weeks keeps small.
pub fn push_bounded<T>(list: &mut Vec<T>, item: T, keep: usize) {
    if list.len() >= keep {
        list.drain(..=list.len() - keep);
    }
    list.push(item);
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

    #[test]
    fn a_bounded_record_keeps_the_last_items_in_order() {
        let mut list = Vec::new();
        for i in 0..10 {
            push_bounded(&mut list, i, 4);
        }
        assert_eq!(list, [6, 7, 8, 9]);
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

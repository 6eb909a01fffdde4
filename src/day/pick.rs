//! The intention box's quick pick: the open intentions a user is likely to set next, so that
//! setting one from the keyboard takes two keys (`i`, then `1`–`7`).

use jiff::{Span, Timestamp};
use std::collections::HashSet;

use super::interval::Rating;
use super::model::Day;

/// How many intentions the quick pick offers.
pub const QUICK_PICKS: usize = 7;
/// How many days back it looks for intentions not achieved.
pub const PICK_DAYS: i64 = 7;

/// The open intentions of `today` at `now` and of `past` days (any order; only the
/// [`PICK_DAYS`] before today count): the plan first, in its order, then the intentions of the
/// latest pomodoros first that were neither achieved (there or on any later day) nor abandoned;
/// each text once (case and spaces aside), [`QUICK_PICKS`] at most. The current pomodoro's own
/// intention is not offered.
pub fn quick_picks<'a>(today: &Day, now: Timestamp, past: impl IntoIterator<Item = &'a Day>) -> Vec<String> {
    let first = today.date.checked_sub(Span::new().days(PICK_DAYS)).unwrap_or(today.date);
    let mut days: Vec<&Day> = past.into_iter().filter(|d| d.date >= first && d.date < today.date).collect();
    days.sort_by_key(|d| std::cmp::Reverse(d.date));
    let key = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    // Done or let go anywhere in the window: not offered.
    let mut closed: HashSet<String> = HashSet::new();
    for day in std::iter::once(today).chain(days.iter().copied()) {
        for iv in &day.intervals {
            closed.extend(iv.abandoned.iter().map(|t| key(t)));
            if let (Some(text), Some(Rating::Achieved)) = (&iv.intention, iv.rating) {
                closed.insert(key(text));
            }
        }
    }
    let current = today.interval_at(now);
    let earlier_today =
        today.intervals.iter().enumerate().rev().filter(|&(i, iv)| Some(i) != current && iv.start <= now);
    let recent = earlier_today
        .map(|(_, iv)| iv)
        .chain(days.iter().flat_map(|d| d.intervals.iter().rev()))
        .filter_map(|iv| iv.intention.as_deref());
    let mut seen = HashSet::new();
    let mut picks = Vec::new();
    for text in today.plan.iter().map(String::as_str).chain(recent.filter(|t| !closed.contains(&key(t)))) {
        if picks.len() == QUICK_PICKS {
            break;
        }
        if seen.insert(key(text)) {
            picks.push(text.to_owned());
        }
    }
    picks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::{RateTarget, Settings};
    use jiff::SignedDuration;
    use jiff::civil::date;

    fn day_on(d: jiff::civil::Date, start: &str) -> (Day, Timestamp) {
        let start: Timestamp = start.parse().unwrap();
        let timing = Settings::default().timing().unwrap();
        (Day::new(d, Some((start, start + SignedDuration::from_hours(8))), &timing), start)
    }

    /// Sets an intention in the pomodoro `n` (from 0) of `day` and rates it.
    fn did(day: &mut Day, start: Timestamp, n: i64, text: &str, rating: Option<Rating>) {
        let at = start + SignedDuration::from_mins(30 * n);
        day.intend(at, text).unwrap();
        if let Some(r) = rating {
            day.rate(at + SignedDuration::from_mins(26), r, RateTarget::Default).unwrap();
        }
    }

    #[test]
    fn the_plan_first_then_the_latest_open_intentions_seven_at_most() {
        let (mut two_days_ago, s2) = day_on(date(2026, 11, 29), "2026-11-29T09:00:00Z");
        did(&mut two_days_ago, s2, 0, "read the paper", Some(Rating::Focused));
        did(&mut two_days_ago, s2, 1, "fix the bike", Some(Rating::Achieved));
        did(&mut two_days_ago, s2, 2, "write tests", None);
        did(&mut two_days_ago, s2, 3, "old abandoned", None);
        two_days_ago.abandon(s2 + SignedDuration::from_mins(95), "replacement").unwrap();
        let (mut long_ago, s0) = day_on(date(2026, 11, 20), "2026-11-20T09:00:00Z");
        did(&mut long_ago, s0, 0, "too old to offer", None);
        let (mut yesterday, s1) = day_on(date(2026, 11, 30), "2026-11-30T09:00:00Z");
        did(&mut yesterday, s1, 0, "Write  Tests", Some(Rating::Interrupted));
        did(&mut yesterday, s1, 1, "call mum", Some(Rating::Distracted));
        did(&mut yesterday, s1, 2, "read the paper", Some(Rating::Achieved));
        let (mut today, s) = day_on(date(2026, 12, 1), "2026-12-01T09:00:00Z");
        did(&mut today, s, 0, "morning email", Some(Rating::Focused));
        did(&mut today, s, 1, "current one", None);
        today.plan(s + SignedDuration::from_mins(31), "planned first").unwrap();
        today.plan(s + SignedDuration::from_mins(31), "planned second").unwrap();
        let now = s + SignedDuration::from_mins(31);
        let picks = quick_picks(&today, now, [&long_ago, &two_days_ago, &yesterday]);
        assert_eq!(
            picks,
            ["planned first", "planned second", "morning email", "call mum", "Write  Tests", "replacement"],
            "achieved anywhere (the paper, the bike), abandoned, the current one and older than a week are left out"
        );
        // Seven at most, the plan's order kept.
        for n in 0..10 {
            today.plan(now, &format!("plan {n}")).unwrap();
        }
        let picks = quick_picks(&today, now, [&yesterday]);
        assert_eq!(picks.len(), QUICK_PICKS);
        assert_eq!(picks[..3], ["planned first", "planned second", "plan 0"]);
    }
}

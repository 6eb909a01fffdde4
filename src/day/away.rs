//! "While you were away": what passed in a stretch of the day that no window showed.

use jiff::Timestamp;

use super::interval::Kind;
use super::model::Day;
use super::score::Points;

/// What changed between two instants of a day, for the user who was not looking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Away {
    /// The stretch: from the last instant shown to now.
    pub from: Timestamp,
    pub to: Timestamp,
    /// Intervals that ended in the stretch (the snake ate them).
    pub eaten: usize,
    /// Of those, the pomodoros.
    pub pomodoros: usize,
    /// The pomodoros of the stretch (started in it or ended in it) that had an intention,
    /// set from the command line or taken from the plan: their index and text.
    pub intended: Vec<(usize, String)>,
    /// Points earned in the stretch.
    pub gained: Points,
    /// Points that could still be had at `from` and can no longer be had at `to`.
    pub lost: Points,
    /// The best final score still reachable at `to`.
    pub possible: Points,
    /// The pomodoro that can still be rated: the last one finished, intended, unrated, while its
    /// rating window is open.
    pub to_rate: Option<usize>,
}

/// What passed in `[from, to]`, or `None` when no interval ended after `from` (nothing was
/// missed). What happens at `from` itself is counted as unseen: a pomodoro that starts there
/// takes its planned intention in the stretch. Cost: O(intervals), once per stretch.
pub fn away(day: &Day, from: Timestamp, to: Timestamp) -> Option<Away> {
    if to <= from {
        return None;
    }
    let ended: Vec<usize> =
        (0..day.intervals.len()).filter(|&i| from < day.intervals[i].end && day.intervals[i].end <= to).collect();
    if ended.is_empty() {
        return None;
    }
    let touched = |i: usize| {
        let iv = &day.intervals[i];
        iv.start <= to && iv.end > from && iv.kind == Kind::Pomodoro
    };
    let intended = day
        .pomodoro_indices()
        .filter(|&i| touched(i))
        .filter_map(|i| day.intervals[i].intention.clone().map(|text| (i, text)))
        .collect();
    let (before, after) = (day.score(just_before(from)), day.score(to));
    let to_rate =
        day.pomodoro_indices().rev().find(|&i| day.intervals[i].end <= to).filter(|&i| {
            day.intervals[i].intention.is_some() && day.intervals[i].rating.is_none() && day.can_rate(i, to)
        });
    Some(Away {
        from,
        to,
        eaten: ended.len(),
        pomodoros: ended.iter().filter(|&&i| day.intervals[i].kind == Kind::Pomodoro).count(),
        intended,
        gained: Points(after.score.0.saturating_sub(before.score.0)),
        lost: Points(before.possible.0.saturating_sub(after.possible.0)),
        possible: after.possible,
        to_rate,
    })
}

/// The instant before `at`, where the score does not yet count what happens at `at`.
pub fn just_before(at: Timestamp) -> Timestamp {
    at.checked_sub(jiff::SignedDuration::from_nanos(1)).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::{Settings, day_span};
    use jiff::SignedDuration;

    fn day() -> (Day, Timestamp) {
        let settings = Settings::default();
        let date = jiff::civil::date(2026, 3, 2);
        let tz = jiff::tz::TimeZone::UTC;
        let span = day_span(date, &settings, &tz);
        let day = Day::new(date, span, &settings.timing().unwrap());
        let start = day.span().unwrap().0;
        (day, start)
    }

    fn at(start: Timestamp, minutes: i64) -> Timestamp {
        start + SignedDuration::from_mins(minutes)
    }

    #[test]
    fn nothing_ended_is_nothing_to_tell() {
        let (day, start) = day();
        assert_eq!(away(&day, at(start, -60), at(start, 10)), None);
        assert_eq!(away(&day, at(start, 1), at(start, 24)), None);
        assert_eq!(away(&day, at(start, 30), at(start, 30)), None);
    }

    #[test]
    fn two_intervals_with_a_planned_intention() {
        let (mut day, start) = day();
        day.plan(at(start, -5), "write the intro").unwrap();
        day.settle(at(start, 31));
        let a = away(&day, at(start, -5), at(start, 31)).unwrap();
        assert_eq!((a.eaten, a.pomodoros), (2, 1));
        assert_eq!(a.intended, vec![(0, "write the intro".to_owned())]);
        assert_eq!(a.to_rate, Some(0));
        let (before, after) = (day.score(just_before(at(start, -5))), day.score(at(start, 31)));
        assert_eq!(a.gained.0, after.score.0 - before.score.0);
        assert_eq!(a.lost.0, before.possible.0 - after.possible.0);
        assert_eq!(a.possible, after.possible);
        assert!(a.gained.0 > 0, "an intended pomodoro earns points even unrated");
    }

    #[test]
    fn a_pomodoro_missed_costs_what_it_could_have_earned() {
        let (day, start) = day();
        let a = away(&day, at(start, 1), at(start, 26)).unwrap();
        assert_eq!((a.eaten, a.pomodoros), (1, 1));
        assert!(a.intended.is_empty());
        assert_eq!(a.gained.0, 0);
        assert!(a.lost.0 > 0);
        assert_eq!(a.to_rate, None);
    }
}

//! Time passing on its own: the events a day emits as the clock crosses its boundaries.

use jiff::Timestamp;

use super::interval::Kind;
use super::model::Day;

/// Something that happens at an instant of the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// The first interval starts.
    DayStarted,
    /// An interval starts.
    IntervalStarted { index: usize, kind: Kind },
    /// A pomodoro's intention can no longer be set.
    GraceEnded { index: usize },
    /// An interval ends.
    IntervalEnded { index: usize, kind: Kind },
    /// The last interval ends.
    DayEnded,
}

/// An event and when it happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimedEvent {
    pub at: Timestamp,
    pub event: Event,
}

/// A day with a cursor: [`DayEngine::advance_to`] reports what happened since the last call.
#[derive(Clone, Debug)]
pub struct DayEngine {
    day: Day,
    /// Every event of the day in the order they happen (ties in the order they are listed).
    timeline: Vec<TimedEvent>,
    /// Events at or before this instant have been reported.
    cursor: Timestamp,
}

fn timeline(day: &Day) -> Vec<TimedEvent> {
    let mut events = Vec::with_capacity(day.intervals.len() * 3 + 2);
    for (index, iv) in day.intervals.iter().enumerate() {
        if index == 0 {
            events.push(TimedEvent { at: iv.start, event: Event::DayStarted });
        }
        events.push(TimedEvent { at: iv.start, event: Event::IntervalStarted { index, kind: iv.kind } });
        if iv.kind == Kind::Pomodoro {
            events.push(TimedEvent { at: day.grace_end(index), event: Event::GraceEnded { index } });
        }
        events.push(TimedEvent { at: iv.end, event: Event::IntervalEnded { index, kind: iv.kind } });
    }
    if let Some(last) = day.intervals.last() {
        events.push(TimedEvent { at: last.end, event: Event::DayEnded });
    }
    // Intervals are contiguous, so the list is already in time order except where a grace period
    // is as long as its pomodoro; a stable sort by time keeps the listed order for ties.
    events.sort_by_key(|e| e.at);
    events
}

impl DayEngine {
    /// Wraps `day`; events at or before `seen_until` count as already reported.
    pub fn new(day: Day, seen_until: Timestamp) -> Self {
        Self { timeline: timeline(&day), day, cursor: seen_until }
    }

    /// The day as it stands.
    pub fn day(&self) -> &Day {
        &self.day
    }

    /// Takes the day out.
    pub fn into_day(self) -> Day {
        self.day
    }

    /// Events at or before this instant have been reported.
    pub fn cursor(&self) -> Timestamp {
        self.cursor
    }

    /// Every event of the day, in order.
    pub fn timeline(&self) -> &[TimedEvent] {
        &self.timeline
    }

    /// Moves to `now`: returns, in order, every event in `(last now, now]` and lets pomodoros that
    /// started take their planned intentions. Costs O(log n + events crossed) however much time
    /// passed; an earlier or equal `now` (the clock went back) emits nothing and changes nothing.
    pub fn advance_to(&mut self, now: Timestamp) -> &[TimedEvent] {
        if now <= self.cursor {
            return &[];
        }
        self.day.settle(now);
        let from = self.timeline.partition_point(|e| e.at <= self.cursor);
        let to = from + self.timeline[from..].partition_point(|e| e.at <= now);
        self.cursor = now;
        &self.timeline[from..to]
    }

    /// When the next event after the cursor happens, if any is left today.
    pub fn next_event_at(&self) -> Option<Timestamp> {
        let i = self.timeline.partition_point(|e| e.at <= self.cursor);
        self.timeline.get(i).map(|e| e.at)
    }

    /// Replaces the day (say, with what another process saved), keeping the cursor.
    pub fn replace_day(&mut self, day: Day) {
        if day.intervals != self.day.intervals || day.grace != self.day.grace {
            self.timeline = timeline(&day);
        }
        self.day = day;
    }

    /// Changes the day through `change` (an action such as [`Day::intend`]).
    pub fn change<R>(&mut self, change: impl FnOnce(&mut Day) -> R) -> R {
        let mut day = self.day.clone();
        let result = change(&mut day);
        self.replace_day(day);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::{Settings, Timing};
    use jiff::SignedDuration;
    use jiff::civil::date;

    fn engine() -> (DayEngine, Timestamp) {
        let start: Timestamp = "2026-11-24T09:00:00Z".parse().unwrap();
        let timing: Timing = Settings::default().timing().unwrap();
        let day = Day::new(date(2026, 11, 24), Some((start, start + SignedDuration::from_hours(8))), &timing);
        (DayEngine::new(day, start - SignedDuration::from_secs(1)), start)
    }

    #[test]
    fn first_boundary_emits_day_and_interval_start() {
        let (mut e, t0) = engine();
        let got: Vec<Event> = e.advance_to(t0).iter().map(|e| e.event).collect();
        assert_eq!(got, [Event::DayStarted, Event::IntervalStarted { index: 0, kind: Kind::Pomodoro }]);
        assert!(e.advance_to(t0).is_empty());
    }

    #[test]
    fn a_long_sleep_is_one_step_with_every_event_once() {
        let (mut e, t0) = engine();
        let all = e.timeline().len();
        let got = e.advance_to(t0 + SignedDuration::from_hours(9)).len();
        assert_eq!(got, all);
        assert_eq!(e.timeline().last().unwrap().event, Event::DayEnded);
        assert!(e.advance_to(t0 + SignedDuration::from_hours(10)).is_empty());
        assert_eq!(e.next_event_at(), None);
    }

    #[test]
    fn the_clock_going_back_emits_nothing_twice() {
        let (mut e, t0) = engine();
        let first = e.advance_to(t0 + SignedDuration::from_mins(26)).len();
        assert_eq!(first, 5); // day, start 0, grace 0, end 0, start 1
        assert!(e.advance_to(t0).is_empty());
        let again: Vec<Event> = e.advance_to(t0 + SignedDuration::from_mins(31)).iter().map(|e| e.event).collect();
        assert_eq!(
            again,
            [
                Event::IntervalEnded { index: 1, kind: Kind::ShortBreak },
                Event::IntervalStarted { index: 2, kind: Kind::Pomodoro }
            ]
        );
    }
}

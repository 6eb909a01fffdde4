//! Properties of the day engine over random schedules, clock moves and user actions.

use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};
use pomodouroboros::day::{Day, DayEngine, Kind, RateTarget, Rating, TimedEvent, Timing};
use pomodouroboros::store::{decode_day, encode_day};
use proptest::prelude::*;
use std::collections::HashSet;

#[derive(Debug, Clone)]
enum Op {
    /// Move the clock by this many seconds (negative: the clock went back).
    Move(i64),
    Intend(String),
    Abandon(String),
    Plan(String),
    Rate(usize, Option<usize>),
}

fn timing() -> impl Strategy<Value = Timing> {
    (1i64..=60, 1i64..=30, 1i64..=30, 1u32..=6, 0i64..=100).prop_map(|(p, s, l, every, grace_pct)| Timing {
        pomodoro: SignedDuration::from_mins(p),
        short_break: SignedDuration::from_mins(s),
        long_break: SignedDuration::from_mins(l),
        long_break_every: every,
        grace: SignedDuration::from_secs(p * 60 * grace_pct / 100),
    })
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ]{0,20}",
        "\\PC{0,300}",
        Just(String::new()),
        Just("x".repeat(281)),
        Just("two\nlines".to_owned()),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (-3_600i64..=3_600).prop_map(Op::Move),
        1 => (-86_400i64..=86_400).prop_map(Op::Move),
        1 => text().prop_map(Op::Intend),
        1 => text().prop_map(Op::Abandon),
        1 => text().prop_map(Op::Plan),
        1 => (0usize..4, proptest::option::of(0usize..40)).prop_map(|(r, i)| Op::Rate(r, i)),
    ]
}

fn t0() -> Timestamp {
    "2026-11-24T09:00:00Z".parse().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn intervals_are_contiguous_and_inside_the_day(timing in timing(), minutes in 1i64..=900) {
        let (start, end) = (t0(), t0() + SignedDuration::from_mins(minutes));
        let day = Day::new(date(2026, 11, 24), Some((start, end)), &timing);
        prop_assert_eq!(day.intervals.first().unwrap().start, start);
        prop_assert_eq!(day.intervals.last().unwrap().end, end);
        for w in day.intervals.windows(2) {
            prop_assert_eq!(w[0].end, w[1].start);
        }
        for iv in &day.intervals {
            prop_assert!(iv.start < iv.end && iv.start >= start && iv.end <= end);
            if iv.end < end {
                let want = match iv.kind {
                    Kind::Pomodoro => timing.pomodoro,
                    Kind::ShortBreak => timing.short_break,
                    Kind::LongBreak => timing.long_break,
                };
                prop_assert_eq!(iv.length(), want);
            }
        }
    }

    #[test]
    fn every_event_once_in_order_and_the_score_within_bounds(
        timing in timing(),
        minutes in 1i64..=600,
        ops in proptest::collection::vec(op(), 1..80),
    ) {
        let (start, end) = (t0(), t0() + SignedDuration::from_mins(minutes));
        let mut engine = DayEngine::new(Day::new(date(2026, 11, 24), Some((start, end)), &timing), start - SignedDuration::from_secs(1));
        let first_cursor = engine.cursor();
        let mut now = first_cursor;
        let mut furthest = now;
        let mut seen: Vec<TimedEvent> = Vec::new();
        for op in ops {
            match op {
                Op::Move(secs) => {
                    now += SignedDuration::from_secs(secs);
                    let events = engine.advance_to(now).to_vec();
                    for e in &events {
                        prop_assert!(e.at > furthest, "an event at or before the cursor came again");
                        prop_assert!(e.at <= now);
                    }
                    if let (Some(last), Some(first)) = (seen.last(), events.first()) {
                        prop_assert!(last.at <= first.at, "events out of order");
                    }
                    seen.extend(events);
                    furthest = furthest.max(now);
                }
                Op::Intend(t) => { let _ = engine.change(|d| d.intend(now, &t)); }
                Op::Abandon(t) => { let _ = engine.change(|d| d.abandon(now, &t)); }
                Op::Plan(t) => { let _ = engine.change(|d| d.plan(now, &t)); }
                Op::Rate(r, i) => {
                    let target = i.map_or(RateTarget::Default, RateTarget::Index);
                    let _ = engine.change(|d| d.rate(now, Rating::ALL[r], target));
                }
            }
            let day = engine.day();
            for iv in &day.intervals {
                if let Some(text) = &iv.intention {
                    prop_assert!(!text.is_empty() && text.chars().count() <= 280 && !text.contains('\n'));
                }
            }
            let score = day.score(now);
            prop_assert!(score.score <= score.possible, "{score:?}");
            prop_assert!(score.possible <= score.ideal, "{score:?}");
            if let Some(at) = score.next_loss_at {
                prop_assert!(at > now);
            }
        }
        let expected: Vec<TimedEvent> = engine
            .timeline()
            .iter()
            .copied()
            .filter(|e| e.at > first_cursor && e.at <= furthest)
            .collect();
        prop_assert_eq!(&seen, &expected);
        let unique: HashSet<_> = seen.iter().collect();
        prop_assert_eq!(unique.len(), seen.len());
    }

    #[test]
    fn save_and_load_round_trip(
        timing in timing(),
        minutes in 1i64..=600,
        ops in proptest::collection::vec(op(), 0..40),
    ) {
        let (start, end) = (t0(), t0() + SignedDuration::from_mins(minutes));
        let mut day = Day::new(date(2026, 11, 24), Some((start, end)), &timing);
        let mut now = start;
        for op in ops {
            match op {
                Op::Move(secs) => { now += SignedDuration::from_secs(secs); day.settle(now); }
                Op::Intend(t) => { let _ = day.intend(now, &t); }
                Op::Abandon(t) => { let _ = day.abandon(now, &t); }
                Op::Plan(t) => { let _ = day.plan(now, &t); }
                Op::Rate(r, i) => { let _ = day.rate(now, Rating::ALL[r], i.map_or(RateTarget::Default, RateTarget::Index)); }
            }
        }
        day.journal.summary = "a \"quoted\" line\nand another, with ) and (".to_owned();
        let bytes = encode_day(&day).unwrap();
        let back = decode_day(&bytes, day.date).unwrap();
        prop_assert_eq!(back, day);
    }
}

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

// ---- Merging versions of one day written on several machines (`day::sync`) ----

use pomodouroboros::day::sync::{Stamp, merge, stamp_changes};
use pomodouroboros::day::{JournalField, Settings};

/// What a machine does to its copy of the day, at a second of the morning.
#[derive(Debug, Clone)]
enum Edit {
    Intend(usize, u8),
    Rate(usize, usize),
    Abandon(usize, u8),
    Plan(Vec<u8>),
    Journal(usize, u8),
    StartNow(i64),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0usize..8, 0u8..4).prop_map(|(i, t)| Edit::Intend(i, t)),
        (0usize..8, 0usize..4).prop_map(|(i, r)| Edit::Rate(i, r)),
        (0usize..8, 0u8..4).prop_map(|(i, t)| Edit::Abandon(i, t)),
        proptest::collection::vec(0u8..4, 0..3).prop_map(Edit::Plan),
        (0usize..4, 0u8..4).prop_map(|(f, t)| Edit::Journal(f, t)),
        (0i64..150).prop_map(Edit::StartNow),
    ]
}

/// A short text of a small set, so that machines write the same value now and then.
fn word(t: u8) -> String {
    ["write", "read", "rest", "café ☕"][t as usize % 4].to_owned()
}

/// The fixture: a fresh day from 09:00 to 11:30, as every machine lays it out.
fn fresh() -> Day {
    let start: Timestamp = "2026-12-02T09:00:00Z".parse().unwrap();
    let timing = Settings::default().timing().unwrap();
    Day::new(date(2026, 12, 2), Some((start, start + SignedDuration::from_mins(150))), &timing)
}

/// `machine`'s copy after its edits, each stamped as the store stamps a save; the stamps' seconds
/// come from the edit's place in the list and the machine, so that they differ and interleave.
fn edited(from: &Day, machine: u64, edits: &[(Edit, u16)]) -> Day {
    let mut day = from.clone();
    let start: Timestamp = "2026-12-02T09:00:00Z".parse().unwrap();
    for (save, (edit, at)) in edits.iter().enumerate() {
        let before = day.clone();
        let pomodoros: Vec<usize> =
            day.intervals.iter().enumerate().filter(|(_, iv)| iv.kind == Kind::Pomodoro).map(|(i, _)| i).collect();
        let nth = |n: usize| pomodoros[n % pomodoros.len()];
        match edit {
            Edit::Intend(n, t) => day.intervals[nth(*n)].intention = Some(word(*t)),
            Edit::Rate(n, r) => day.intervals[nth(*n)].rating = Some(Rating::ALL[*r]),
            Edit::Abandon(n, t) => day.intervals[nth(*n)].abandoned.push(word(*t)),
            Edit::Plan(items) => day.plan = items.iter().map(|t| word(*t)).collect(),
            Edit::Journal(f, t) => *day.journal.get_mut(JournalField::ALL[*f]) = word(*t),
            Edit::StartNow(minute) => {
                let timing = Settings::default().timing().unwrap();
                let _ = day.start_now(start + SignedDuration::from_mins(*minute), &timing);
            }
        }
        // Each machine numbers its saves; the common history's machine (9) is not among a, b, c.
        let stamp = Stamp { at: start + SignedDuration::from_secs(i64::from(*at)), machine, save: save as u64 + 1 };
        stamp_changes(Some(&before), &mut day, stamp);
    }
    day
}

fn edits() -> impl Strategy<Value = Vec<(Edit, u16)>> {
    proptest::collection::vec((edit(), any::<u16>()), 0..6)
}

/// Every value a user set in `input` is in `merged`, kept aside, or was knowingly replaced.
fn nothing_lost(input: &Day, merged: &Day) -> Result<(), TestCaseError> {
    use pomodouroboros::day::sync::{intention_key, journal_key};
    let aside = |key: &str, value: &str| merged.sync.aside.iter().any(|a| a.0 == key && a.1 == value);
    // Knowingly replaced: a writer had this machine's value of the field (or a later one) in front
    // of it.
    let gone = |key: &str| {
        let replaced = merged.sync.set.get(key).map(|f| &f.replaced);
        input.sync.stamp(key).is_some_and(|s| {
            replaced
                .and_then(|r| r.get(&s.machine))
                .is_some_and(|saves| saves.iter().any(|&(a, b)| a <= s.save && s.save <= b))
        })
    };
    for iv in input.intervals.iter().chain(&input.sync.orphans) {
        if let Some(text) = &iv.intention {
            let key = intention_key(iv.start);
            let kept = merged
                .intervals
                .iter()
                .chain(&merged.sync.orphans)
                .any(|m| m.start == iv.start && m.kind == iv.kind && m.intention.as_ref() == Some(text));
            prop_assert!(kept || aside(&key, text) || gone(&key), "intention {text:?} at {} lost", iv.start);
        }
    }
    for field in JournalField::ALL {
        let (key, text) = (journal_key(field), input.journal.get(field));
        prop_assert!(
            text.is_empty() || merged.journal.get(field) == text || aside(&key, text) || gone(&key),
            "journal {key}: {text:?} lost"
        );
    }
    for item in &input.plan {
        prop_assert!(merged.plan.contains(item) || aside("plan", item) || gone("plan"), "plan item {item:?} lost");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn merging_is_commutative_associative_and_idempotent(
        ea in edits(), eb in edits(), ec in edits(), shared in edits(),
    ) {
        // Some history in common, then three machines apart.
        let common = edited(&fresh(), 9, &shared);
        let (a, b, c) = (edited(&common, 1, &ea), edited(&common, 2, &eb), edited(&common, 3, &ec));
        prop_assert_eq!(merge(&a, &b), merge(&b, &a));
        prop_assert_eq!(merge(&merge(&a, &b), &c), merge(&a, &merge(&b, &c)));
        let ab = merge(&a, &b);
        prop_assert_eq!(merge(&ab, &ab), ab.clone());
        prop_assert_eq!(merge(&a, &a), a.clone());
        // A copy merged with an older copy of itself is unchanged.
        prop_assert_eq!(merge(&a, &common), a.clone());
        prop_assert_eq!(merge(&ab, &a), ab.clone());
    }

    #[test]
    fn merging_loses_nothing_and_the_result_always_loads(
        ea in edits(), eb in edits(), shared in edits(),
    ) {
        let common = edited(&fresh(), 9, &shared);
        let (a, b) = (edited(&common, 1, &ea), edited(&common, 2, &eb));
        let merged = merge(&a, &b);
        nothing_lost(&a, &merged)?;
        nothing_lost(&b, &merged)?;
        let bytes = encode_day(&merged).unwrap();
        match decode_day(&bytes, merged.date) {
            Ok(loaded) => prop_assert_eq!(loaded, merged),
            Err(why) => prop_assert!(false, "the merged day does not load: {}", why),
        }
    }
}

//! How long one `advance_to` takes: a 1-second step, and an 8-hour step (a suspended laptop).
//! `cargo run --release --example bench_day`; the last line reads `advance_1s_ns=A advance_8h_ns=B`
//! (medians over many runs, in nanoseconds).

use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};
use pomodouroboros::day::{Day, DayEngine, Settings};
use std::hint::black_box;
use std::time::Instant;

const RUNS: usize = 200_000;

fn median(mut samples: Vec<u128>) -> u128 {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn main() {
    let start: Timestamp = "2026-11-24T09:00:00Z".parse().unwrap();
    let timing = Settings::default().timing().unwrap();
    let day = Day::new(date(2026, 11, 24), Some((start, start + SignedDuration::from_hours(8))), &timing);
    println!(
        "a default day: {} intervals, {} events",
        day.intervals.len(),
        DayEngine::new(day.clone(), start).timeline().len()
    );

    // One second at a time, across the whole day, as a running window does.
    let mut engine = DayEngine::new(day.clone(), start - SignedDuration::from_secs(1));
    let mut now = start;
    let mut one_second = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        now += SignedDuration::from_secs(1);
        if now > start + SignedDuration::from_hours(8) {
            engine = DayEngine::new(day.clone(), start - SignedDuration::from_secs(1));
            now = start;
        }
        let t = Instant::now();
        black_box(engine.advance_to(black_box(now)).len());
        one_second.push(t.elapsed().as_nanos());
    }

    // Asleep from the start of the day to its end: every boundary crossed in one call.
    let mut eight_hours = Vec::with_capacity(RUNS / 10);
    let mut crossed = 0;
    for _ in 0..RUNS / 10 {
        let mut engine = DayEngine::new(day.clone(), start - SignedDuration::from_secs(1));
        let wake = start + SignedDuration::from_hours(8);
        let t = Instant::now();
        crossed = black_box(engine.advance_to(black_box(wake)).len());
        eight_hours.push(t.elapsed().as_nanos());
    }
    println!("events crossed by the 8-hour step: {crossed}");
    println!("advance_1s_ns={} advance_8h_ns={}", median(one_second), median(eight_hours));
}

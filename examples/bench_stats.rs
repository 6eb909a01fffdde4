//! How long `stats` takes over a year of day files: writes 365 synthetic days (work days with
//! intentions, ratings and a journal; weekends free) into a temporary folder, then reads and counts
//! them as `pomodouroboros stats --from … --to …` does. Three runs (the files are in the page cache
//! after the first); the last line reads `stats_365_days_ms=MEDIAN (MIN–MAX)`.
//! `cargo run --release --example bench_stats`

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp};
use pomodouroboros::day::{Day, ManualClock, RateTarget, Rating, Settings};
use pomodouroboros::session::Session;
use pomodouroboros::store::{DayStore, FileDayStore, update_with};
use std::sync::Arc;
use std::time::Instant;

const DAYS: i32 = 365;
const RUNS: usize = 3;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Arc::new(FileDayStore::new(dir.path()));
    let settings = Settings::default();
    let tz = TimeZone::UTC;
    let last: Date = "2026-11-30".parse().unwrap();
    let first = last - Span::new().days(DAYS - 1);
    let mut date = first;
    let mut bytes = 0;
    while date <= last {
        let session = Session::with(
            store.clone(),
            Arc::new(ManualClock::new(Timestamp::UNIX_EPOCH)),
            tz.clone(),
            settings.clone(),
        );
        let fresh = || session.fresh_day(date);
        let day = fresh();
        let now = day.span().map_or(date.to_zoned(tz.clone()).unwrap().timestamp(), |(start, _)| start);
        update_with(&*store, date, now, &fresh, |day: &mut Day| {
            for (n, i) in day.pomodoro_indices().collect::<Vec<_>>().into_iter().enumerate() {
                let start = day.intervals[i].start + SignedDuration::from_mins(1);
                day.intend(start, &format!("synthetic intention {n} of {date}"))?;
                let rating = Rating::ALL[n % 4];
                day.rate(day.intervals[i].end, rating, RateTarget::Index(i))?;
            }
            day.journal.summary = format!("a synthetic day, {date}");
            Ok(())
        })
        .expect("a synthetic day saves");
        bytes += std::fs::metadata(store.path(date)).map_or(0, |m| m.len());
        date = date.tomorrow().unwrap();
    }
    println!("{} day files, {} KB in all", store.dates().unwrap().len(), bytes / 1000);

    let now: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
    let mut session = Session::with(store.clone(), Arc::new(ManualClock::new(now)), tz, settings);
    let mut samples = Vec::with_capacity(RUNS);
    let mut achieved = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let stats = session.stats(first, last, now).expect("stats");
        samples.push(t.elapsed().as_secs_f64() * 1000.0);
        achieved = stats.totals.counts.achieved;
    }
    println!("achieved pomodoros counted: {achieved}");
    samples.sort_by(f64::total_cmp);
    println!("stats_365_days_ms={:.1} ({:.1}–{:.1})", samples[RUNS / 2], samples[0], samples[RUNS - 1]);
}

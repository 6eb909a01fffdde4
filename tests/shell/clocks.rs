// Clocks that misbehave, headless with the manual clock: daylight-saving changes both ways in three
// zones (one with a 30-minute shift), midnight while running, the clock set back (NTP) and
// forward a day, an 8-hour suspend. Each: intervals contiguous in real time, every event once, and
// the saved day the same as the one shown.

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, Zoned};
use pomodouroboros::day::{Clock, DayEngine, ManualClock, Settings, TimedEvent, WorkHours};
use pomodouroboros::session::Session;
use pomodouroboros::shell::today::{DayEvent, Today};
use pomodouroboros::store::{DayStore, FileDayStore};
use pomodouroboros::testing::RecordedWhen;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

struct Run {
    app: App,
    clock: ManualClock,
    store: Arc<FileDayStore>,
    _dir: tempfile::TempDir,
}

impl Run {
    fn new(tz: &str, settings: Settings, start: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(FileDayStore::new(dir.path()));
        let tz = TimeZone::get(tz).unwrap();
        let start: Zoned = start.parse::<jiff::civil::DateTime>().unwrap().to_zoned(tz.clone()).unwrap();
        let clock = ManualClock::new(start.timestamp());
        let session = Session::with(store.clone(), Arc::new(clock.clone()), tz, settings);
        let mut app = super::headless_with(session);
        RecordedWhen::<DayEvent>::record(&mut app);
        app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(16)));
        app.update();
        Run { app, clock, store, _dir: dir }
    }

    /// Sets the clock and runs one frame.
    fn at(&mut self, now: Timestamp) {
        self.clock.set(now);
        self.app.update();
    }

    /// Walks the clock forward in steps until `end`.
    fn walk(&mut self, end: Timestamp, step: SignedDuration) {
        let mut now = self.clock.now();
        while now < end {
            now = (now + step).min(end);
            self.at(now);
        }
    }

    fn today(&self) -> &Today {
        self.app.world().resource::<Today>()
    }

    fn seen(&self) -> Vec<(Date, TimedEvent)> {
        RecordedWhen::<DayEvent>::of(&self.app).iter().map(|(_, date, e)| (*date, e.0)).collect()
    }

    /// Every event at most once, in time order within each date; the shown day contiguous and the
    /// same as the saved one.
    fn check(&self) {
        let mut once = HashSet::new();
        for (date, e) in &self.seen() {
            assert!(once.insert((*date, format!("{e:?}"))), "{e:?} on {date} came twice");
        }
        let seen = self.seen();
        for pair in seen.windows(2) {
            if pair[0].0 == pair[1].0 {
                assert!(pair[0].1.at <= pair[1].1.at, "out of order: {pair:?}");
            }
        }
        let day = self.today().day();
        assert!(day.intervals.windows(2).all(|w| w[0].end == w[1].start), "contiguous in real time");
        assert!(day.intervals.iter().all(|iv| iv.start < iv.end));
        let saved = self.store.load(self.today().date(), self.clock.now()).unwrap().0;
        if let Some(saved) = saved {
            assert_eq!(saved.intervals, day.intervals, "the saved day is the one shown");
        }
    }
}

fn local(tz: &str, at: &str) -> Timestamp {
    at.parse::<jiff::civil::DateTime>().unwrap().to_zoned(TimeZone::get(tz).unwrap()).unwrap().timestamp()
}

fn sunday_one_to_five() -> Settings {
    let hours = WorkHours { start: Time::constant(1, 0, 0, 0), end: Time::constant(5, 0, 0, 0) };
    Settings { sunday: Some(hours), ..Settings::default() }
}

fn all_week(start: i8, end: i8) -> Settings {
    let h = Some(WorkHours { start: Time::constant(start, 0, 0, 0), end: Time::constant(end, 0, 0, 0) });
    Settings {
        monday: h,
        tuesday: h,
        wednesday: h,
        thursday: h,
        friday: h,
        saturday: h,
        sunday: h,
        ..Settings::default()
    }
}

/// The whole timeline of the day shown, as the engine lists it.
fn timeline(run: &Run) -> Vec<TimedEvent> {
    let day = run.today().day().clone();
    let (start, end) = day.span().unwrap();
    let mut engine = DayEngine::new(day, start - SignedDuration::from_secs(1));
    engine.advance_to(end).to_vec()
}

#[test]
fn a_work_day_across_a_daylight_saving_change_runs_in_real_time() {
    // (zone, date of the change, real length of a 01:00–05:00 day that day)
    let cases = [
        ("Europe/Berlin", "2026-03-29", 180),
        ("Europe/Berlin", "2026-10-25", 300),
        ("America/New_York", "2026-03-08", 180),
        ("America/New_York", "2026-11-01", 300),
        ("Australia/Lord_Howe", "2026-10-04", 210),
        ("Australia/Lord_Howe", "2026-04-05", 270),
    ];
    for (tz, date, minutes) in cases {
        let mut run = Run::new(tz, sunday_one_to_five(), &format!("{date}T00:30:00"));
        let (start, end) = run.today().day().span().expect("a work day");
        assert_eq!(start, local(tz, &format!("{date}T01:00:00")), "{tz} {date}");
        assert_eq!(end.duration_since(start), SignedDuration::from_mins(minutes), "{tz} {date}");
        let expected = timeline(&run);
        run.walk(local(tz, &format!("{date}T06:00:00")), SignedDuration::from_secs(37));
        run.check();
        let seen: Vec<TimedEvent> = run.seen().iter().map(|(_, e)| *e).collect();
        assert_eq!(seen, expected, "{tz} {date}: every event once, in order");
        let saved = run.store.load(date.parse().unwrap(), run.clock.now()).unwrap().0.unwrap();
        assert_eq!(saved.intervals.last().unwrap().end, end, "{tz} {date}: recorded to its end");
    }
}

#[test]
fn midnight_while_running_starts_the_next_day_without_repeating_this_one() {
    let mut run = Run::new("Europe/Paris", all_week(0, 23), "2026-11-24T22:40:00");
    run.walk(local("Europe/Paris", "2026-11-25T00:40:00"), SignedDuration::from_secs(20));
    run.check();
    assert_eq!(run.today().date(), "2026-11-25".parse().unwrap());
    let dates: Vec<Date> = run.seen().iter().map(|(d, _)| *d).collect();
    assert!(dates.contains(&"2026-11-24".parse().unwrap()) && dates.contains(&"2026-11-25".parse().unwrap()));
    // Both days are on disk and end where they should.
    let first = run.store.load("2026-11-24".parse().unwrap(), run.clock.now()).unwrap().0.unwrap();
    assert_eq!(first.intervals.last().unwrap().end, local("Europe/Paris", "2026-11-24T23:00:00"));
}

#[test]
fn the_clock_set_back_an_hour_repeats_nothing() {
    let tz = "Europe/Paris";
    let mut run = Run::new(tz, Settings::default(), "2026-11-24T08:59:00");
    run.walk(local(tz, "2026-11-24T10:30:00"), SignedDuration::from_secs(30));
    let before = run.seen().len();
    assert!(before > 4);
    // NTP steps the clock back an hour, then time runs forward again over the same stretch.
    run.at(local(tz, "2026-11-24T09:30:00"));
    run.walk(local(tz, "2026-11-24T10:30:00"), SignedDuration::from_secs(30));
    assert_eq!(run.seen().len(), before, "nothing reported twice");
    run.walk(local(tz, "2026-11-24T11:00:00"), SignedDuration::from_secs(30));
    assert!(run.seen().len() > before, "and time goes on");
    run.check();
}

#[test]
fn the_clock_set_forward_a_day_and_an_eight_hour_suspend() {
    let tz = "Europe/Paris";
    let mut run = Run::new(tz, Settings::default(), "2026-11-24T08:59:00");
    // An 8-hour suspend: every event of the day arrives at once, each once, in order.
    run.at(local(tz, "2026-11-24T09:05:00"));
    let expected = timeline(&run);
    run.at(local(tz, "2026-11-24T17:05:00"));
    run.check();
    let seen: Vec<TimedEvent> = run.seen().iter().map(|(_, e)| *e).collect();
    assert_eq!(seen, expected);
    let saved = run.store.load("2026-11-24".parse().unwrap(), run.clock.now()).unwrap().0.unwrap();
    assert_eq!(saved.intervals.last().unwrap().end, local(tz, "2026-11-24T17:00:00"));
    // The clock set forward a day: the next day is shown, laid out from its own hours.
    run.at(local(tz, "2026-11-25T10:00:00"));
    run.check();
    assert_eq!(run.today().date(), "2026-11-25".parse().unwrap());
    assert_eq!(run.today().day().span().unwrap().0, local(tz, "2026-11-25T09:00:00"));
    run.walk(local(tz, "2026-11-25T11:00:00"), SignedDuration::from_secs(60));
    run.check();
}

//! Storage in a temporary folder: atomic replacement, privacy, unreadable files, concurrent writers.

use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp};
use pomodouroboros::day::{Day, Settings};
use pomodouroboros::store::{DayStore, FileDayStore, load_settings, save_settings, settings_path, update_with};
use std::fs;
use std::sync::Arc;

const DATE: Date = date(2026, 11, 24);

fn now() -> Timestamp {
    "2026-11-24T09:02:00Z".parse().unwrap()
}

fn fresh() -> Day {
    let start: Timestamp = "2026-11-24T09:00:00Z".parse().unwrap();
    Day::new(DATE, Some((start, start + SignedDuration::from_hours(8))), &Settings::default().timing().unwrap())
}

#[test]
fn a_saved_day_loads_back_and_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileDayStore::new(dir.path().join("data"));
    assert_eq!(store.load(DATE, now()).unwrap().0, None);
    let (_, saved, _) = update_with(&store, DATE, now(), &fresh, |d| d.intend(now(), "write the store")).unwrap();
    let (loaded, notices) = store.load(DATE, now()).unwrap();
    assert_eq!(loaded.as_ref(), Some(&saved));
    assert!(notices.is_empty());
    assert_eq!(store.dates().unwrap(), [DATE]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&store.path(DATE)), 0o600);
        assert_eq!(mode(store.dir()), 0o700);
    }
    let names: Vec<String> =
        fs::read_dir(store.dir()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn a_refused_action_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileDayStore::new(dir.path());
    let late = now() + SignedDuration::from_mins(10);
    assert!(update_with(&store, DATE, late, &fresh, |d| d.intend(late, "too late")).is_err());
    assert!(!store.path(DATE).exists());
}

#[test]
fn unreadable_files_are_moved_aside_byte_for_byte() {
    for garbage in [&b"(version: 1, day: (date: \"2026-11-24\""[..], b"\x00\xff\xfe garbage", b"(version: 7, day: ())"]
    {
        let dir = tempfile::tempdir().unwrap();
        let store = FileDayStore::new(dir.path());
        fs::write(store.path(DATE), garbage).unwrap();
        let (day, notices) = store.load(DATE, now()).unwrap();
        assert_eq!(day, None);
        assert_eq!(notices.len(), 1);
        let aside: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(".unreadable-"))
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(fs::read(&aside[0]).unwrap(), garbage);
        assert!(notices[0].0.contains(&aside[0].display().to_string()), "{}", notices[0]);
        // The day starts fresh and saving it leaves the moved file alone.
        update_with(&store, DATE, now(), &fresh, |d| d.intend(now(), "fresh start")).unwrap();
        assert_eq!(fs::read(&aside[0]).unwrap(), garbage);
    }
}

#[test]
fn a_file_that_cannot_be_opened_is_an_error_not_a_fresh_start() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileDayStore::new(dir.path());
    fs::create_dir(store.path(DATE)).unwrap();
    assert!(store.load(DATE, now()).is_err());
    assert!(update_with(&store, DATE, now(), &fresh, |d| d.intend(now(), "x")).is_err());
    assert!(store.path(DATE).is_dir(), "left as it was");
}

#[test]
fn concurrent_writers_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(FileDayStore::new(dir.path()));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                for k in 0..10 {
                    update_with(&*store, DATE, now(), &fresh, |d| d.plan(now(), &format!("t{t} k{k}"))).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let day = store.load(DATE, now()).unwrap().0.unwrap();
    assert_eq!(day.plan.len(), 80);
}

#[test]
fn settings_round_trip_validate_and_move_aside() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    assert_eq!(load_settings(&config, now()).unwrap().0, Settings::default());
    let mine = Settings { pomodoro_minutes: 50, grace_minutes: 10, ..Settings::default() };
    save_settings(&config, &mine).unwrap();
    assert_eq!(load_settings(&config, now()).unwrap().0, mine);
    assert!(save_settings(&config, &Settings { pomodoro_minutes: 0, ..Settings::default() }).is_err());
    fs::write(settings_path(&config), "(version: 1, settings: (pomodoro_minutes: 0))").unwrap();
    let err = load_settings(&config, now()).unwrap_err();
    assert!(err.contains("pomodoro_minutes"), "{err}");
    assert!(settings_path(&config).exists(), "a bad value is for the user to fix, not moved");
    fs::write(settings_path(&config), "{ not ron").unwrap();
    let (settings, notices) = load_settings(&config, now()).unwrap();
    assert_eq!(settings, Settings::default());
    assert_eq!(notices.len(), 1);
    assert!(!settings_path(&config).exists());
}

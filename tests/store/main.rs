//! Storage in a temporary folder: atomic replacement, privacy, unreadable files, concurrent writers.

use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp};
use pomodouroboros::day::{Day, Settings};
use pomodouroboros::store::{DayStore, FileDayStore, load_settings, save_settings, settings_path, update_with};
use std::fs;
use std::sync::Arc;

// In this binary, so the crate is linked once: damaged and hostile files, and the kill harness.
mod bad_files;
// Conflict copies from a file-sync engine.
mod conflicts;
mod kill;

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
    let (_, saved) = update_with(&store, DATE, now(), &fresh, |d| d.intend(now(), "write the store")).unwrap();
    let saved = saved.day;
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
    for garbage in [&b"(version: 1, day: (date: \"2026-11-24\""[..], b"\x00\xff\xfe garbage", b"", b"\xc3\x28 invalid"]
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
    fs::write(store.path(DATE).join("keep"), b"mine").unwrap();
    let err = store.load(DATE, now()).unwrap_err().to_string();
    assert!(err.contains("2026-11-24.ron is a folder"), "{err}");
    assert!(update_with(&store, DATE, now(), &fresh, |d| d.intend(now(), "x")).is_err());
    assert_eq!(fs::read(store.path(DATE).join("keep")).unwrap(), b"mine", "left as it was");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileDayStore::new(dir.path().join("data"));
    update_with(&store, DATE, now(), &fresh, |d| d.intend(now(), "mine")).unwrap();
    let target = dir.path().join("elsewhere.ron");
    fs::rename(store.path(DATE), &target).unwrap();
    let before = fs::read(&target).unwrap();
    std::os::unix::fs::symlink(&target, store.path(DATE)).unwrap();
    let err = store.load(DATE, now()).unwrap_err().to_string();
    assert!(err.contains("2026-11-24.ron is a symbolic link"), "{err}");
    let err = update_with(&store, DATE, now(), &fresh, |d| d.plan(now(), "through the link")).unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(fs::read(&target).unwrap(), before, "the target is untouched");
    assert!(fs::symlink_metadata(store.path(DATE)).unwrap().file_type().is_symlink(), "the link stays");
}

#[test]
fn a_huge_file_is_refused_by_its_size_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileDayStore::new(dir.path());
    // Sparse: 100 MB long, nearly nothing on disk. Reading it whole would take 100 MB of memory.
    fs::File::create(store.path(DATE)).unwrap().set_len(100_000_000).unwrap();
    let (day, notices) = store.load(DATE, now()).unwrap();
    assert_eq!(day, None);
    assert_eq!(notices.len(), 1);
    assert!(notices[0].0.contains("100 MB") && notices[0].0.contains("2026-11-24.ron"), "{}", notices[0]);
    let aside: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(aside.len(), 2, "the lock and the file moved aside: {aside:?}");
    assert!(aside.iter().any(|p| fs::metadata(p).unwrap().len() == 100_000_000), "kept whole");
}

#[test]
fn a_day_from_a_newer_version_stays_in_place_and_is_shown_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileDayStore::new(dir.path());
    update_with(&store, DATE, now(), &fresh, |d| d.intend(now(), "written by version 2")).unwrap();
    // What a newer version might write: a new format number and a field this version does not know.
    let (this, newer) = (pomodouroboros::store::DAY_FORMAT_VERSION, pomodouroboros::store::DAY_FORMAT_VERSION + 1);
    let text = fs::read_to_string(store.path(DATE)).unwrap().replacen(
        &format!("version: {this},"),
        &format!("version: {newer},\n    colour: \"teal\","),
        1,
    );
    let text = text.replacen("day: (", "day: (\n        mood: Some(\"calm\"),", 1);
    fs::write(store.path(DATE), &text).unwrap();
    let (day, notices) = store.load(DATE, now()).unwrap();
    let day = day.expect("shown as far as this version understands it");
    assert_eq!(day.intervals[0].intention.as_deref(), Some("written by version 2"));
    assert!(notices[0].0.contains("newer version") && notices[0].0.contains("read-only"), "{}", notices[0]);
    let err = update_with(&store, DATE, now(), &fresh, |d| d.plan(now(), "from the old version")).unwrap_err();
    assert!(err.to_string().contains("never writes to it"), "{err}");
    assert_eq!(fs::read_to_string(store.path(DATE)).unwrap(), text, "untouched");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "only the day and the lock");
    // One this version cannot read at all also stays, and is not replaced by a fresh day.
    fs::write(store.path(DATE), "(version: 7, day: (a_new_shape: []))").unwrap();
    let (day, notices) = store.load(DATE, now()).unwrap();
    assert_eq!(day, None);
    assert!(notices[0].0.contains("not shown"), "{}", notices[0]);
    assert!(update_with(&store, DATE, now(), &fresh, |d| d.plan(now(), "x")).is_err());
    assert_eq!(fs::read_to_string(store.path(DATE)).unwrap(), "(version: 7, day: (a_new_shape: []))");
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
fn settings_round_trip_validate_and_stay_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    assert_eq!(load_settings(&config).unwrap(), Settings::default());
    let mine = Settings { pomodoro_minutes: 50, grace_minutes: 10, ..Settings::default() };
    save_settings(&config, &mine).unwrap();
    assert_eq!(load_settings(&config).unwrap(), mine);
    assert!(save_settings(&config, &Settings { pomodoro_minutes: 0, ..Settings::default() }).is_err());
    fs::write(settings_path(&config), "(version: 1, settings: (pomodoro_minutes: 0))").unwrap();
    let err = load_settings(&config).unwrap_err();
    assert!(err.contains("pomodoro_minutes"), "{err}");
    assert!(settings_path(&config).exists(), "a bad value is for the user to fix, not moved");
    let typo =
        "(\n    version: 1,\n    settings: (\n        pomodoro_minutes: 30\n        grace_minutes: 3,\n    ),\n)\n";
    fs::write(settings_path(&config), typo).unwrap();
    let err = load_settings(&config).unwrap_err();
    assert!(err.contains("line 5, column 9"), "{err}");
    assert_eq!(fs::read_to_string(settings_path(&config)).unwrap(), typo, "left as it is, where it is");
    let names: Vec<String> =
        fs::read_dir(&config).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| n == "settings.ron" || n == ".lock"), "nothing moved aside or added: {names:?}");
}

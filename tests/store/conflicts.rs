//! Conflict copies a file-sync engine leaves beside a day file: merged into the day at the next
//! save, then moved into this machine's cache; a damaged one moved aside, another date's left.

use super::{DATE, fresh, now};
use pomodouroboros::store::{DayStore, FileDayStore, decode_day, encode_day, update_with};
use std::fs;

/// Two machines' stores on one data folder, each with its own state folder (its number) and cache.
fn machines(dir: &std::path::Path) -> [FileDayStore; 2] {
    ["a", "b"].map(|m| {
        FileDayStore::with_state(dir.join("data"), &dir.join(format!("state-{m}")))
            .keeping_merged_in(&dir.join(format!("cache-{m}")))
    })
}

#[test]
fn every_engines_conflict_copy_is_merged_put_away_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let [a, b] = machines(dir.path());
    let data = dir.path().join("data");
    // Machine b's version, as it reached this machine in conflict copies of three engines' names.
    let (_, theirs) = update_with(&b, DATE, now(), &fresh, |d| d.intend(now(), "written on b")).unwrap();
    let theirs = theirs.day;
    fs::remove_file(data.join("2026-11-24.ron")).unwrap();
    let names = [
        "2026-11-24.sync-conflict-20261124-090200-ABCDEF1.ron",
        "2026-11-24 (conflicted copy 2026-11-24 090200).ron",
        "2026-11-24 (Sam's conflicted copy 2026-11-24).ron",
    ];
    let mut other = theirs.clone();
    other.journal.summary = "journal on b".into();
    for (name, day) in names.iter().zip([&theirs, &other, &theirs]) {
        fs::write(data.join(name), encode_day(day).unwrap()).unwrap();
    }
    // A damaged one, and one of another date.
    fs::write(data.join("2026-11-24.sync-conflict-20261124-090300-ABCDEF1.ron"), b"(version: 2, day: (").unwrap();
    let elsewhere = "2026-11-25.sync-conflict-20261125-090200-ABCDEF1.ron";
    fs::write(data.join(elsewhere), b"not looked at").unwrap();

    // This machine plans: the next save merges them all.
    let (_, saved) = update_with(&a, DATE, now(), &fresh, |d| d.plan(now(), "written on a").map(|_| ())).unwrap();
    let day = &saved.day;
    assert_eq!(day.intervals[0].intention.as_deref(), Some("written on b"));
    assert_eq!(day.journal.summary, "journal on b");
    assert_eq!(day.plan, vec!["written on a".to_owned()]);
    let said: Vec<String> = saved.notices.iter().map(|n| n.0.clone()).collect();
    assert!(
        said.iter().any(|n| n.contains("Merged changes from another machine") && n.contains("3 conflict copies")),
        "{said:?}"
    );
    assert!(said.iter().any(|n| n.contains("conflict copy") && n.contains("unreadable")), "{said:?}");
    let mut left: Vec<String> =
        fs::read_dir(&data).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    assert!(left.iter().all(|n| !names.contains(&n.as_str())), "merged copies leave the synced folder: {left:?}");
    assert!(left.iter().any(|n| n == elsewhere), "another date's copy stays: {left:?}");
    assert!(left.iter().any(|n| n.contains(".unreadable-")), "the damaged copy is moved aside: {left:?}");
    for name in names {
        assert!(dir.path().join("cache-a/merged").join(name).exists(), "{name} kept in the cache");
    }
    assert_eq!(day.sync.merged_from.len(), 3, "{:?}", day.sync.merged_from);
    // What was saved is what was merged, and loads.
    let bytes = fs::read(data.join("2026-11-24.ron")).unwrap();
    assert_eq!(&decode_day(&bytes, DATE).unwrap(), day);
    assert_eq!(a.load(DATE, now()).unwrap().0.as_ref(), Some(day));
}

#[test]
fn two_machines_intentions_for_one_pomodoro_both_stay_in_view() {
    let dir = tempfile::tempdir().unwrap();
    let [a, b] = machines(dir.path());
    let data = dir.path().join("data");
    let later = now() + jiff::SignedDuration::from_secs(30);
    let (_, mine) = update_with(&a, DATE, now(), &fresh, |d| d.intend(now(), "on the laptop")).unwrap();
    // Machine b had not seen it: its version of the file, written later, came as a conflict copy.
    let first = fs::read(data.join("2026-11-24.ron")).unwrap();
    fs::remove_file(data.join("2026-11-24.ron")).unwrap();
    let (_, theirs) = update_with(&b, DATE, later, &fresh, |d| d.intend(later, "on the desktop")).unwrap();
    fs::rename(data.join("2026-11-24.ron"), data.join("2026-11-24.sync-conflict-20261124-090230-B.ron")).unwrap();
    fs::write(data.join("2026-11-24.ron"), first).unwrap();
    assert_ne!(mine.day, theirs.day);
    let (_, saved) = update_with(&a, DATE, later, &fresh, |_| Ok(())).unwrap();
    assert_eq!(saved.day.intervals[0].intention.as_deref(), Some("on the desktop"), "the later one");
    let aside: Vec<&str> = saved.day.sync.aside.iter().map(|a| a.1.as_str()).collect();
    assert_eq!(aside, ["on the laptop"], "the other kept aside");
}

#[test]
fn a_data_folder_that_is_a_link_to_the_synced_one_is_used_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let synced = dir.path().join("Sync/pomodouroboros");
    fs::create_dir_all(&synced).unwrap();
    std::os::unix::fs::symlink(&synced, dir.path().join("data")).unwrap();
    let [a, _] = machines(dir.path());
    update_with(&a, DATE, now(), &fresh, |d| d.intend(now(), "through the link").map(|_| ())).unwrap();
    assert!(synced.join("2026-11-24.ron").is_file(), "the day is written in the synced folder");
    assert!(dir.path().join("data").is_symlink(), "and the link stays a link");
    assert_eq!(a.dates().unwrap(), vec![DATE]);
}

//! Until when a window on this machine showed each day: what "while you were away" counts from.
//! It is this machine's own, so it lives in the machine's state folder
//! (`$XDG_STATE_HOME/pomodouroboros/seen-KEY.ron`, one file for each data folder), never in the day
//! files, which a sync engine carries to other machines: there two windows would rewrite the same
//! file at every interval's end for nothing but this.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;

use super::file::{StoreError, lock_folder, read_if_exists, write_atomic};

/// Days further back than this are forgotten at the next save: nothing is told about them.
pub const SEEN_KEPT_DAYS: i64 = 62;

/// The file that holds what this machine showed of the days in `data`.
pub fn seen_path(state_dir: &Path, data: &Path) -> PathBuf {
    state_dir.join(format!("seen-{:016x}.ron", super::paths::folder_key(data)))
}

/// Every day's "shown until" kept at `path`. A missing file is none; a damaged one is none too
/// (it only means some stretch may be told again), and the next save replaces it.
pub fn load_seen(path: &Path) -> BTreeMap<Date, Timestamp> {
    let Ok(Some(bytes)) = read_if_exists(path) else { return BTreeMap::new() };
    std::str::from_utf8(&bytes).ok().and_then(|text| ron::from_str(text).ok()).unwrap_or_default()
}

/// Records that `date` was shown until `at` (a later instant only ever replaces an earlier one),
/// under the state folder's lock, and forgets days long past.
pub fn save_seen(path: &Path, date: Date, at: Timestamp) -> Result<(), StoreError> {
    let dir = path.parent().ok_or_else(|| StoreError::Encode(format!("{} has no folder", path.display())))?;
    let _lock = lock_folder(dir)?;
    let mut seen = load_seen(path);
    if seen.get(&date).is_some_and(|&known| known >= at) {
        return Ok(());
    }
    seen.insert(date, at);
    let oldest = date.checked_sub(jiff::Span::new().days(SEEN_KEPT_DAYS)).unwrap_or(date);
    seen.retain(|&d, _| d >= oldest);
    let text = ron::ser::to_string_pretty(&seen, ron::ser::PrettyConfig::default())
        .map_err(|e| StoreError::Encode(e.to_string()))?;
    write_atomic(path, format!("{text}\n").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn later_instants_replace_earlier_ones_and_old_days_are_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let path = seen_path(&dir.path().join("state"), Path::new("/data"));
        let day = jiff::civil::date(2026, 12, 2);
        assert!(load_seen(&path).is_empty());
        save_seen(&path, day, at("2026-12-02T10:00:00Z")).unwrap();
        save_seen(&path, day, at("2026-12-02T09:00:00Z")).unwrap();
        assert_eq!(load_seen(&path)[&day], at("2026-12-02T10:00:00Z"), "never moves back");
        let long_ago = jiff::civil::date(2026, 9, 1);
        save_seen(&path, long_ago, at("2026-09-01T10:00:00Z")).unwrap();
        save_seen(&path, day, at("2026-12-02T11:00:00Z")).unwrap();
        let seen = load_seen(&path);
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert_eq!(seen[&day], at("2026-12-02T11:00:00Z"));
    }

    #[test]
    fn each_data_folder_has_its_own_file_and_a_damaged_one_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (seen_path(dir.path(), Path::new("/a")), seen_path(dir.path(), Path::new("/b")));
        assert_ne!(a, b);
        std::fs::write(&a, "not ron at all {").unwrap();
        assert!(load_seen(&a).is_empty());
        save_seen(&a, jiff::civil::date(2026, 12, 2), at("2026-12-02T10:00:00Z")).unwrap();
        assert_eq!(load_seen(&a).len(), 1, "the next save replaces it");
    }
}

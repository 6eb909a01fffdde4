//! Conflict copies of day files, as file-sync engines leave them when two machines changed one
//! file before either saw the other's change: found by their names, merged into the day (see
//! `day::sync::merge`), then moved out of the synced folder into this machine's cache, where they
//! are kept for [`KEEP_MERGED_DAYS`] days.
//!
//! The names, for the day file `2026-12-02.ron`:
//! - Syncthing: `2026-12-02.sync-conflict-20261202-101530-ABCDEF1.ron`;
//! - Nextcloud: `2026-12-02 (conflicted copy 2026-12-02 101530).ron`;
//! - Dropbox: `2026-12-02 (Sam's conflicted copy 2026-12-02).ron`, with ` (1)` and so on inside
//!   the brackets for more than one.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::file::{StoreError, ensure_private_dir, io_error};

/// How long a merged conflict copy is kept in the cache folder.
pub const KEEP_MERGED_DAYS: u64 = 30;

/// The date whose day file `name` is a conflict copy of, if it is one.
pub fn conflict_copy_of(name: &str) -> Option<Date> {
    let stem = name.get(..10)?;
    let rest = name.get(10..)?.strip_suffix(".ron")?;
    let date: Date = stem.parse().ok()?;
    let syncthing = rest.starts_with(".sync-conflict-");
    let bracketed = rest.starts_with(" (") && rest.ends_with(')') && rest.contains("conflicted copy");
    (syncthing || bracketed).then_some(date)
}

/// The conflict copies of `date`'s day file in `dir`, in name order.
pub fn conflict_copies(dir: &Path, date: Date) -> Result<Vec<PathBuf>, StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error("list", dir)(e)),
    };
    let mut copies: Vec<PathBuf> = entries
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let is_file = entry.file_type().ok()?.is_file();
            (is_file && conflict_copy_of(entry.file_name().to_str()?) == Some(date)).then(|| entry.path())
        })
        .collect();
    copies.sort();
    Ok(copies)
}

/// Moves a merged copy into `cache` (keeping its name; an older file of that name is replaced),
/// and forgets copies there older than [`KEEP_MERGED_DAYS`].
pub fn put_away(copy: &Path, cache: &Path) -> Result<PathBuf, StoreError> {
    ensure_private_dir(cache)?;
    let name = copy.file_name().unwrap_or_default();
    let kept = cache.join(name);
    if std::fs::rename(copy, &kept).is_err() {
        // Another file system: copy, then remove from the synced folder.
        std::fs::copy(copy, &kept).map_err(io_error("copy", copy))?;
        std::fs::remove_file(copy).map_err(io_error("remove", copy))?;
    }
    forget_old(cache);
    Ok(kept)
}

/// Removes what the cache kept longer than [`KEEP_MERGED_DAYS`] (by the time it was put there).
fn forget_old(cache: &Path) {
    let Ok(entries) = std::fs::read_dir(cache) else { return };
    let limit = std::time::Duration::from_secs(KEEP_MERGED_DAYS * 24 * 3600);
    for entry in entries.flatten() {
        let old = entry.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok());
        if old.is_some_and(|age| age > limit) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_engines_names_are_known_and_nothing_else() {
        let day = jiff::civil::date(2026, 12, 2);
        for name in [
            "2026-12-02.sync-conflict-20261202-101530-ABCDEF1.ron",
            "2026-12-02 (conflicted copy 2026-12-02 101530).ron",
            "2026-12-02 (Sam's conflicted copy 2026-12-02).ron",
            "2026-12-02 (Sam's conflicted copy 2026-12-02 (1)).ron",
        ] {
            assert_eq!(conflict_copy_of(name), Some(day), "{name}");
        }
        for name in [
            "2026-12-02.ron",
            "2026-12-02.ron.unreadable-20261202T101530Z",
            ".2026-12-02.ron.1234.tmp",
            "2026-12-02.sync-conflict-20261202-101530-ABCDEF1.ron.tmp",
            "2026-12-02 (copy).ron",
            "2026-13-02.sync-conflict-x.ron",
            "settings.sync-conflict-20261202-101530-ABCDEF1.ron",
            "2026-12-0",
            "é",
        ] {
            assert_eq!(conflict_copy_of(name), None, "{name}");
        }
    }

    #[test]
    fn copies_are_listed_for_their_date_and_put_away_into_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let (data, cache) = (dir.path().join("data"), dir.path().join("cache"));
        std::fs::create_dir_all(&data).unwrap();
        let day = jiff::civil::date(2026, 12, 2);
        for name in ["2026-12-02.sync-conflict-1.ron", "2026-12-01.sync-conflict-1.ron", "2026-12-02.ron"] {
            std::fs::write(data.join(name), name).unwrap();
        }
        let copies = conflict_copies(&data, day).unwrap();
        assert_eq!(copies, vec![data.join("2026-12-02.sync-conflict-1.ron")]);
        let kept = put_away(&copies[0], &cache).unwrap();
        assert!(!copies[0].exists());
        assert_eq!(std::fs::read_to_string(kept).unwrap(), "2026-12-02.sync-conflict-1.ron");
        assert!(conflict_copies(&data, day).unwrap().is_empty());
        assert!(conflict_copies(&dir.path().join("none"), day).unwrap().is_empty());
    }
}

//! Saving days: the [`DayStore`] seam, its file implementation and an in-memory one for tests.

use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::file::{Notice, StoreError, io_error, lock_folder, move_aside, read_if_exists, write_atomic};
use super::format::{DAY_FORMAT_VERSION, decode_day, decode_newer_day, encode_day, version_of};
use crate::day::sync::{Stamp as FieldStamp, stamp_changes};
use crate::day::{ActionError, Day};

/// Identifies one saved version of a day: when it changes, someone saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp(u64, u64, i128);

/// The stamp of any file (its inode, size and time of change), to notice changes cheaply; `None`
/// when there is no such file.
pub fn file_stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i128);
    Some(Stamp(inode, meta.len(), modified))
}

/// Writes `day` whole, as a day file, into `folder` (made 0700 if missing) under a name of its own,
/// `DATE.unsaved-TIME.ron`: a copy kept where it could be written when its own file could not be.
/// Returns where it went.
pub fn write_day_copy(folder: &Path, day: &Day, now: Timestamp) -> Result<PathBuf, StoreError> {
    let path = folder.join(format!("{}.unsaved-{}.ron", day.date, now.strftime("%Y%m%dT%H%M%SZ")));
    write_atomic(&path, &encode_day(day)?)?;
    Ok(path)
}

/// Why an update did not happen.
#[derive(Debug)]
pub enum UpdateError {
    /// The action was refused; nothing was written.
    Action(ActionError),
    /// Storage failed; nothing was written.
    Store(StoreError),
}

impl fmt::Display for UpdateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Action(e) => write!(f, "{e}"),
            Self::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for UpdateError {}

impl UpdateError {
    /// The error as the user reads it, instants in their time zone.
    pub fn describe(&self, tz: &jiff::tz::TimeZone) -> String {
        match self {
            Self::Action(e) => e.describe(tz),
            Self::Store(e) => e.to_string(),
        }
    }
}

impl From<StoreError> for UpdateError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

/// A day as an update left it on the store.
#[derive(Debug)]
pub struct Saved {
    /// The day as saved.
    pub day: Day,
    /// What the store had to say (a damaged file moved aside).
    pub notices: Vec<Notice>,
    /// The stamp of the saved version, taken under the lock: the writer's own, so that reading it
    /// back can be skipped without missing another process's later change.
    pub stamp: Option<Stamp>,
}

/// A change to apply to a day under the store's lock.
pub type Change<'a> = &'a mut dyn FnMut(&mut Day) -> Result<(), ActionError>;

/// Where days are kept.
pub trait DayStore: Send + Sync {
    /// The saved day for `date`, if any. An unreadable file is moved aside (see the notices) and
    /// reads as none.
    fn load(&self, date: Date, now: Timestamp) -> Result<(Option<Day>, Vec<Notice>), StoreError>;

    /// Reads the day (or takes `fresh`), lets its plan settle at `now`, applies `change` and saves,
    /// all while holding the lock, so no other process's change is lost. Returns the saved day.
    fn update(
        &self,
        date: Date,
        now: Timestamp,
        fresh: &dyn Fn() -> Day,
        change: Change<'_>,
    ) -> Result<Saved, UpdateError>;

    /// A mark of the saved version of `date`, to notice other processes' changes cheaply.
    fn stamp(&self, date: Date) -> Option<Stamp>;

    /// Every date with a saved day, in order.
    fn dates(&self) -> Result<Vec<Date>, StoreError>;

    /// Until when a window on this machine showed `date`, if one did: kept apart from the day
    /// files, which other machines share.
    fn seen_until(&self, date: Date) -> Option<Timestamp>;

    /// Records that a window on this machine showed `date` until `at` (never moving it back).
    fn set_seen_until(&self, date: Date, at: Timestamp) -> Result<(), StoreError>;

    /// How many conflict copies of `date`'s file a file-sync engine left, waiting to be merged
    /// by the next save (none where the store does not look for them).
    fn conflict_copies(&self, _date: Date) -> usize {
        0
    }
}

/// Applies `change` through [`DayStore::update`] and hands back its result too.
pub fn update_with<T>(
    store: &dyn DayStore,
    date: Date,
    now: Timestamp,
    fresh: &dyn Fn() -> Day,
    change: impl FnOnce(&mut Day) -> Result<T, ActionError>,
) -> Result<(T, Saved), UpdateError> {
    let mut change = Some(change);
    let mut output = None;
    let saved = store.update(date, now, fresh, &mut |day| {
        let change = change.take().expect("a store applies a change once");
        output = Some(change(day)?);
        Ok(())
    })?;
    Ok((output.expect("the change ran"), saved))
}

/// How many times a save reads a day file again that a sync engine replaced under it.
const STILL_TRIES: u32 = 5;

/// Days in a folder, one `YYYY-MM-DD.ron` each.
#[derive(Clone, Debug)]
pub struct FileDayStore {
    dir: PathBuf,
    /// The file of what this machine's windows showed of these days (see [`super::seen`]); with
    /// none, it is not kept.
    seen: Option<PathBuf>,
    /// This machine's number, in the stamps of the fields it sets (0: none known).
    machine: u64,
    /// Where the latest stamp this machine gave is kept (see [`super::machine::last_stamp`]).
    clock: Option<PathBuf>,
    /// Where the last version of each day this machine saved is kept, to be merged into every
    /// save: a sync engine may put another machine's file in place of this one's in the instant
    /// between this machine's last look and its write, and that file would replace this
    /// machine's changes everywhere unseen.
    written: Option<PathBuf>,
    /// Where conflict copies go once merged (this machine's cache folder); with none, conflict
    /// copies are not looked for.
    merged: Option<PathBuf>,
}

impl FileDayStore {
    /// Days kept in `dir` (created 0700 on the first save); what a window showed is not kept.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into(), seen: None, machine: 0, clock: None, written: None, merged: None }
    }

    /// Days kept in `dir`, and what this machine's windows showed of them in `state_dir`.
    /// A state folder that cannot be written leaves the machine unnumbered (0) rather than stop
    /// the days from being saved.
    pub fn with_state(dir: impl Into<PathBuf>, state_dir: &Path) -> Self {
        let dir = dir.into();
        let seen = Some(super::seen::seen_path(state_dir, &dir));
        let machine = super::machine::machine_id(state_dir).unwrap_or(0);
        let merged = Some(state_dir.join("merged"));
        let clock = Some(super::machine::clock_path(state_dir));
        let written = Some(state_dir.join("written").join(format!("{:016x}", super::paths::folder_key(&dir))));
        Self { dir, seen, machine, clock, written, merged }
    }

    /// Puts merged conflict copies in `cache` (this machine's cache folder).
    pub fn keeping_merged_in(mut self, cache: &Path) -> Self {
        self.merged = Some(cache.join("merged"));
        self
    }

    /// Merges the conflict copies of `date` that a sync engine left in the folder into `day`;
    /// returns the copies merged (to put away once the day is saved). Call with the lock held. A
    /// damaged copy is moved aside and said; one from a newer version is left for it.
    fn fold_conflicts(
        &self,
        date: Date,
        now: Timestamp,
        day: &mut Option<Day>,
        notices: &mut Vec<Notice>,
    ) -> Result<Vec<PathBuf>, StoreError> {
        if self.merged.is_none() {
            return Ok(Vec::new());
        }
        let mut merged = Vec::new();
        for copy in super::conflicts::conflict_copies(&self.dir, date)? {
            let Some(bytes) = read_if_exists(&copy)? else { continue };
            match decode_day(&bytes, date) {
                Ok(theirs) => {
                    let mut joined = match day.take() {
                        Some(mine) => crate::day::sync::merge(&mine, &theirs),
                        None => theirs,
                    };
                    let name = copy.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    joined.sync.merged_from.insert(name);
                    *day = Some(joined);
                    merged.push(copy);
                }
                Err(_) if version_of(&bytes).is_some_and(|v| v > DAY_FORMAT_VERSION) => {}
                Err(why) => {
                    let aside = move_aside(&copy, now)?;
                    notices.push(Notice(format!(
                        "A conflict copy of the day, {}, is {why}. It was moved, unchanged, to {}; nothing was \
                         merged from it.",
                        copy.display(),
                        aside.display()
                    )));
                }
            }
        }
        Ok(merged)
    }

    /// Keeps the bytes this machine just saved for `date` in its state folder, and, at a day's
    /// first save, forgets days long past. A failure costs only that protection, so it is not an error of the save.
    fn keep_written(&self, own: &Path, bytes: &[u8], date: Date) {
        let Some(dir) = own.parent() else { return };
        let Ok(_lock) = lock_folder(dir) else { return };
        let first_of_the_day = !own.exists();
        if write_atomic(own, bytes).is_err() || !first_of_the_day {
            // Days long past are looked for once a day, not at every save.
            return;
        }
        let oldest = date.checked_sub(jiff::Span::new().days(super::seen::SEEN_KEPT_DAYS)).unwrap_or(date);
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let day = name.to_str().and_then(|n| n.strip_suffix(".ron")).and_then(|n| n.parse::<Date>().ok());
            if day.is_some_and(|d| d < oldest) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Moves merged copies into the cache folder and says so.
    fn put_away(&self, date: Date, copies: Vec<PathBuf>, notices: &mut Vec<Notice>) {
        let (Some(cache), false) = (&self.merged, copies.is_empty()) else { return };
        let mut failed = Vec::new();
        for copy in &copies {
            if let Err(e) = super::conflicts::put_away(copy, cache) {
                failed.push(e.to_string());
            }
        }
        let n = copies.len();
        let copies_word = if n == 1 { "copy" } else { "copies" };
        let mut said = format!(
            "Merged changes from another machine into {date}: {n} conflict {copies_word} left by the file sync, \
             kept for {} days in {}.",
            super::conflicts::KEEP_MERGED_DAYS,
            cache.display()
        );
        if !failed.is_empty() {
            said.push_str(&format!(" Not moved out of the data folder: {}.", failed.join("; ")));
        }
        notices.push(Notice(said));
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of `date`.
    pub fn path(&self, date: Date) -> PathBuf {
        self.dir.join(format!("{date}.ron"))
    }

    /// Reads and decodes; moves an unreadable file aside. Call with the lock held when `locked`.
    /// A file written by a newer version stays where it is: its day comes back as far as this
    /// version understands it, with [`Access::ReadOnly`].
    fn read(&self, date: Date, now: Timestamp, locked: bool) -> Result<Read, StoreError> {
        let path = self.path(date);
        let bytes = match read_if_exists(&path) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(Read::default()),
            Err(StoreError::TooLarge { .. }) if !locked => {
                let _lock = lock_folder(&self.dir)?;
                return self.read(date, now, true);
            }
            Err(e @ StoreError::TooLarge { .. }) => return self.set_aside(&path, &e.to_string(), now),
            Err(e) => return Err(e),
        };
        match decode_day(&bytes, date) {
            Ok(day) => Ok(Read { day: Some(day), ..Read::default() }),
            Err(why) if version_of(&bytes).is_some_and(|v| v > DAY_FORMAT_VERSION) => {
                let (day, shown) = match decode_newer_day(&bytes, date) {
                    Ok(day) => (Some(day), "shown read-only"),
                    Err(_) => (None, "not shown"),
                };
                let notice = format!(
                    "The day file {} was {why}. It is left as it is and {shown}: nothing is saved to it, so \
                     the newer version finds it unchanged.",
                    path.display()
                );
                Ok(Read { day, notices: vec![Notice(notice)], read_only: Some(why) })
            }
            Err(_) if !locked => {
                // Moving aside needs the lock; read again under it, as another process may have
                // replaced the file meanwhile.
                let _lock = lock_folder(&self.dir)?;
                self.read(date, now, true)
            }
            Err(why) => self.set_aside(&path, &why, now),
        }
    }

    fn set_aside(&self, path: &Path, why: &str, now: Timestamp) -> Result<Read, StoreError> {
        let aside = move_aside(path, now)?;
        let notice = format!(
            "The day file {} is {why}. It was moved, unchanged, to {} and the day starts fresh.",
            path.display(),
            aside.display()
        );
        Ok(Read { notices: vec![Notice(notice)], ..Read::default() })
    }
}

/// What reading a day file gave.
#[derive(Default)]
struct Read {
    day: Option<Day>,
    notices: Vec<Notice>,
    /// Why the file must not be written (it is from a newer version), if so.
    read_only: Option<String>,
}

impl DayStore for FileDayStore {
    fn load(&self, date: Date, now: Timestamp) -> Result<(Option<Day>, Vec<Notice>), StoreError> {
        self.read(date, now, false).map(|read| (read.day, read.notices))
    }

    fn update(
        &self,
        date: Date,
        now: Timestamp,
        fresh: &dyn Fn() -> Day,
        change: Change<'_>,
    ) -> Result<Saved, UpdateError> {
        let _lock = lock_folder(&self.dir)?;
        // A sync engine replaces files without taking the lock: read until the file stood still
        // (a few times at most: what changes after is caught before the write, below).
        let mut tries = 0;
        let (Read { day: saved, mut notices, read_only }, mut read_stamp) = loop {
            let before = self.stamp(date);
            let read = self.read(date, now, true)?;
            tries += 1;
            if self.stamp(date) == before || tries == STILL_TRIES {
                break (read, before);
            }
        };
        if let Some(why) = read_only {
            return Err(StoreError::ReadOnly { path: self.path(date), why }.into());
        }
        // What other machines wrote into conflict copies joins the day first, as it stands.
        let mut known = saved.clone();
        let copies = self.fold_conflicts(date, now, &mut known, &mut notices)?;
        // And what this machine saved last, in case the engine replaced it unseen.
        let own = self.written.as_ref().map(|dir| dir.join(format!("{date}.ron")));
        let mine =
            own.as_deref().and_then(|p| read_if_exists(p).ok().flatten()).and_then(|b| decode_day(&b, date).ok());
        if let Some(mine) = mine {
            known = Some(match known.take() {
                Some(day) => crate::day::sync::merge(&day, &mine),
                None => mine,
            });
        }
        let mut day = known.clone().unwrap_or_else(fresh);
        day.settle(now);
        change(&mut day).map_err(UpdateError::Action)?;
        // Later than any stamp this machine gave before, whatever its wall clock did.
        // The store's lock keeps this machine's saves of this folder in order; another folder's
        // share the numbering under the state folder's lock as they are kept.
        let last = self.clock.as_deref().and_then(super::machine::last_stamp);
        let at = last.map_or(now, |(last, _)| now.max(last + jiff::SignedDuration::from_nanos(1)));
        let save = last.map_or(1, |(_, n)| n + 1);
        let issued = stamp_changes(known.as_ref(), &mut day, FieldStamp { at, machine: self.machine, save });
        // Another machine's version put in place by the sync engine since the read joins too,
        // rather than being replaced unseen (the engine would take this write for a newer one).
        let mut on_disk = saved;
        for _ in 0..STILL_TRIES {
            if self.stamp(date) == read_stamp {
                break;
            }
            read_stamp = self.stamp(date);
            let theirs = read_if_exists(&self.path(date))?.and_then(|bytes| decode_day(&bytes, date).ok());
            if let Some(theirs) = theirs {
                day = crate::day::sync::merge(&day, &theirs);
                on_disk = Some(theirs);
            }
        }
        if on_disk.as_ref() != Some(&day) {
            let bytes = encode_day(&day)?;
            write_atomic(&self.path(date), &bytes)?;
            if let Some(own) = &own {
                self.keep_written(own, &bytes, date);
            }
        }
        if let (Some(path), Some(issued)) = (&self.clock, issued) {
            super::machine::keep_last_stamp(path, issued.at, issued.save)?;
        }
        self.put_away(date, copies, &mut notices);
        Ok(Saved { day, notices, stamp: self.stamp(date) })
    }

    fn stamp(&self, date: Date) -> Option<Stamp> {
        file_stamp(&self.path(date))
    }

    fn dates(&self) -> Result<Vec<Date>, StoreError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error("list", &self.dir)(e)),
        };
        let mut dates: Vec<Date> = entries
            .filter_map(|entry| {
                let name = entry.ok()?.file_name();
                name.to_str()?.strip_suffix(".ron")?.parse::<Date>().ok()
            })
            .collect();
        dates.sort();
        Ok(dates)
    }

    fn seen_until(&self, date: Date) -> Option<Timestamp> {
        self.seen.as_deref().and_then(|path| super::seen::load_seen(path).get(&date).copied())
    }

    fn conflict_copies(&self, date: Date) -> usize {
        if self.merged.is_none() {
            return 0;
        }
        super::conflicts::conflict_copies(&self.dir, date).map_or(0, |copies| copies.len())
    }

    fn set_seen_until(&self, date: Date, at: Timestamp) -> Result<(), StoreError> {
        self.seen.as_deref().map_or(Ok(()), |path| super::seen::save_seen(path, date, at))
    }
}

/// Days kept in memory: for tests, and for a window that must not touch the disk.
#[derive(Debug, Default)]
pub struct MemoryDayStore {
    days: Mutex<BTreeMap<Date, (Day, u64)>>,
    seen: Mutex<BTreeMap<Date, Timestamp>>,
}

impl DayStore for MemoryDayStore {
    fn load(&self, date: Date, _now: Timestamp) -> Result<(Option<Day>, Vec<Notice>), StoreError> {
        let days = self.days.lock().unwrap_or_else(|e| e.into_inner());
        Ok((days.get(&date).map(|(d, _)| d.clone()), Vec::new()))
    }

    fn update(
        &self,
        date: Date,
        now: Timestamp,
        fresh: &dyn Fn() -> Day,
        change: Change<'_>,
    ) -> Result<Saved, UpdateError> {
        let mut days = self.days.lock().unwrap_or_else(|e| e.into_inner());
        let saved = days.get(&date).map(|(d, _)| d.clone());
        let (mut day, version) = days.get(&date).cloned().unwrap_or_else(|| (fresh(), 0));
        day.settle(now);
        change(&mut day).map_err(UpdateError::Action)?;
        let _ = stamp_changes(saved.as_ref(), &mut day, FieldStamp { at: now, machine: 0, save: version + 1 });
        days.insert(date, (day.clone(), version + 1));
        Ok(Saved { day, notices: Vec::new(), stamp: Some(Stamp(version + 1, 0, 0)) })
    }

    fn stamp(&self, date: Date) -> Option<Stamp> {
        let days = self.days.lock().unwrap_or_else(|e| e.into_inner());
        days.get(&date).map(|(_, v)| Stamp(*v, 0, 0))
    }

    fn dates(&self) -> Result<Vec<Date>, StoreError> {
        Ok(self.days.lock().unwrap_or_else(|e| e.into_inner()).keys().copied().collect())
    }

    fn seen_until(&self, date: Date) -> Option<Timestamp> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).get(&date).copied()
    }

    fn set_seen_until(&self, date: Date, at: Timestamp) -> Result<(), StoreError> {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let known = seen.entry(date).or_insert(at);
        *known = (*known).max(at);
        Ok(())
    }
}

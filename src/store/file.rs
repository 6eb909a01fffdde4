//! Files: private folders, atomic replacement, locks, and moving unreadable files aside.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Something the user should be told about, such as a file that was moved aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice(pub String);

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A storage failure; nothing was written.
#[derive(Debug)]
pub enum StoreError {
    /// The operating system refused.
    Io { action: &'static str, path: PathBuf, error: io::Error },
    /// A value could not be serialised.
    Encode(String),
    /// The file is kept as it is and never written by this version (it was written by a newer one).
    ReadOnly { path: PathBuf, why: String },
    /// The file is larger than any this program writes; it was not read.
    TooLarge { path: PathBuf, bytes: u64 },
    /// Something other than a plain file (a symbolic link, a folder, a pipe) is where the file
    /// should be: it is neither read through nor written over.
    NotAFile { path: PathBuf, what: &'static str },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { action, path, error } => write!(f, "cannot {action} {}: {error}", path.display()),
            Self::Encode(e) => write!(f, "cannot encode: {e}"),
            Self::ReadOnly { path, why } => {
                write!(f, "{} is {why}: this version only shows it and never writes to it", path.display())
            }
            Self::TooLarge { path, bytes } => write!(
                f,
                "{} is {} MB, far more than this program ever writes (at most {} MB): it was not read",
                path.display(),
                bytes / 1_000_000,
                MAX_FILE_BYTES / 1_000_000
            ),
            Self::NotAFile { path, what } => write!(
                f,
                "{} is {what}, not a file: it is neither followed nor replaced; move it away to go on",
                path.display()
            ),
        }
    }
}

impl std::error::Error for StoreError {}

pub(super) fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> StoreError {
    let path = path.to_path_buf();
    move |error| StoreError::Io { action, path, error }
}

/// Creates `dir` (and missing parents) readable by the owner alone.
pub(super) fn ensure_private_dir(dir: &Path) -> Result<(), StoreError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(io_error("create the folder", dir))
}

fn private_file_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// An exclusive lock on a folder, held until dropped.
pub(super) struct FolderLock(#[allow(dead_code)] File);

/// Takes the folder's exclusive lock (waiting for other processes to let go).
pub(super) fn lock_folder(dir: &Path) -> Result<FolderLock, StoreError> {
    ensure_private_dir(dir)?;
    let path = dir.join(".lock");
    let file = private_file_options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io_error("open the lock file", &path))?;
    file.lock().map_err(io_error("lock", &path))?;
    Ok(FolderLock(file))
}

/// Replaces `path` with `bytes` so that a reader sees the old or the new file, never a mix, and a
/// crash or power cut leaves one of the two on disk. Call with the folder's lock held: temporary
/// files for `path` left by writers that were killed are removed first (no writer is alive).
pub(super) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = path.parent().ok_or_else(|| StoreError::Encode(format!("{} has no folder", path.display())))?;
    ensure_private_dir(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    remove_stale_temporaries(dir, &name);
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    // Errors name the file being saved, which is the one the user knows.
    let result = (|| {
        let mut file =
            private_file_options().write(true).create_new(true).open(&temp).map_err(io_error("save", path))?;
        file.write_all(bytes).map_err(io_error("save", path))?;
        file.sync_all().map_err(io_error("save", path))?;
        fs::rename(&temp, path).map_err(io_error("save", path))?;
        sync_folder(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Removes `.NAME.<pid>.tmp` files: half-written saves of killed processes.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        let is_ours = file_name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
        if is_ours {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn sync_folder(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    File::open(dir).and_then(|d| d.sync_all()).map_err(io_error("flush the folder", dir))?;
    Ok(())
}

/// The largest file read: a day holds at most a few hundred kilobytes (intentions and journal
/// fields have length limits), so anything near this is not ours and is not read into memory.
pub const MAX_FILE_BYTES: u64 = 16_000_000;

/// Reads a whole file; `Ok(None)` when it does not exist. A file over [`MAX_FILE_BYTES`] is refused
/// by its size, before it is read.
pub(super) fn read_if_exists(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    let kind = match fs::symlink_metadata(path) {
        Ok(meta) => meta.file_type(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::Io { action: "read", path: path.to_path_buf(), error: e }),
    };
    let what = if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a folder"
    } else if !kind.is_file() {
        "a special file"
    } else {
        ""
    };
    if !what.is_empty() {
        return Err(StoreError::NotAFile { path: path.to_path_buf(), what });
    }
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::Io { action: "read", path: path.to_path_buf(), error: e }),
    };
    let read = |error| StoreError::Io { action: "read", path: path.to_path_buf(), error };
    let size = file.metadata().map_err(read)?.len();
    if size > MAX_FILE_BYTES {
        return Err(StoreError::TooLarge { path: path.to_path_buf(), bytes: size });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take`: a file growing while it is read still stops at the limit.
    io::Read::read_to_end(&mut io::Read::take(file, MAX_FILE_BYTES + 1), &mut bytes).map_err(read)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(StoreError::TooLarge { path: path.to_path_buf(), bytes: bytes.len() as u64 });
    }
    Ok(Some(bytes))
}

/// Moves an unreadable file aside, next to itself, under a name that says so; never overwrites
/// anything. Call with the folder's lock held. Returns the new path.
pub(super) fn move_aside(path: &Path, now: jiff::Timestamp) -> Result<PathBuf, StoreError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    for n in 0u32.. {
        let suffix = if n == 0 { String::new() } else { format!("-{n}") };
        let aside = path.with_file_name(format!("{name}.unreadable-{stamp}{suffix}"));
        if fs::symlink_metadata(&aside).is_err() {
            fs::rename(path, &aside).map_err(io_error("move aside", path))?;
            sync_folder(aside.parent().unwrap_or(Path::new("/")))?;
            return Ok(aside);
        }
    }
    unreachable!("some suffix is free")
}

/// Moves a machine-local file that an earlier version kept at `old` (the config folder, which
/// people carry between machines with their dotfiles) to `new` (the state folder), unless `new`
/// is already there. A file that cannot be moved stays where it was, and `new` is simply absent:
/// what it held is this machine's convenience, never the user's record.
pub fn adopt_legacy(new: &Path, old: &Path) -> Result<bool, String> {
    if new.exists() || !old.exists() {
        return Ok(false);
    }
    let dir = new.parent().ok_or_else(|| format!("{} has no folder", new.display()))?;
    ensure_private_dir(dir).map_err(|e| e.to_string())?;
    if std::fs::rename(old, new).is_err() {
        // Another file system: copy, then remove the old one.
        std::fs::copy(old, new).map_err(|e| format!("cannot copy {} to {}: {e}", old.display(), new.display()))?;
        std::fs::remove_file(old).map_err(|e| format!("cannot remove {}: {e}", old.display()))?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/x.ron");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
        }
    }

    #[test]
    fn moving_aside_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.ron");
        let now: jiff::Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
        fs::write(&path, b"first").unwrap();
        let a = move_aside(&path, now).unwrap();
        fs::write(&path, b"second").unwrap();
        let b = move_aside(&path, now).unwrap();
        assert_ne!(a, b);
        assert_eq!(fs::read(a).unwrap(), b"first");
        assert_eq!(fs::read(b).unwrap(), b"second");
        assert!(!path.exists());
    }

    #[test]
    fn a_legacy_file_is_moved_once_and_never_over_a_newer_one() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("config/window.ron"), dir.path().join("state/window.ron"));
        assert_eq!(adopt_legacy(&new, &old), Ok(false), "nothing to move");
        std::fs::create_dir_all(old.parent().unwrap()).unwrap();
        std::fs::write(&old, "old").unwrap();
        assert_eq!(adopt_legacy(&new, &old), Ok(true));
        assert_eq!(std::fs::read_to_string(&new).unwrap(), "old");
        assert!(!old.exists());
        std::fs::write(&old, "older still").unwrap();
        assert_eq!(adopt_legacy(&new, &old), Ok(false), "the state folder's own copy wins");
        assert_eq!(std::fs::read_to_string(&new).unwrap(), "old");
    }
}

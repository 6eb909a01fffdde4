//! This machine's number: made once, at random, and kept in the machine's state folder, so that
//! the fields a day's file records as set here are told apart from another machine's set at the
//! same instant (see `day::sync`).

use std::path::{Path, PathBuf};

use super::file::{StoreError, lock_folder, read_if_exists, write_atomic};

/// The file that holds the number, in hexadecimal.
pub fn machine_path(state_dir: &Path) -> PathBuf {
    state_dir.join("machine-id")
}

/// This machine's number: read, or made and kept on first use (under the state folder's lock, so
/// that two processes starting together agree). A damaged file is replaced by a new number.
pub fn machine_id(state_dir: &Path) -> Result<u64, StoreError> {
    let path = machine_path(state_dir);
    if let Some(id) = read_id(&path) {
        return Ok(id);
    }
    let _lock = lock_folder(state_dir)?;
    if let Some(id) = read_id(&path) {
        return Ok(id);
    }
    // Never 0, which stands for "no machine" (a store that keeps nothing of its own).
    let id = rand::random::<u64>().max(1);
    write_atomic(&path, format!("{id:016x}\n").as_bytes())?;
    Ok(id)
}

/// The file that holds the latest stamp this machine gave a field.
pub fn clock_path(state_dir: &Path) -> PathBuf {
    state_dir.join("machine-clock")
}

/// The latest stamp this machine gave a field, and the number of that save (kept so that the
/// next stamp is later, whatever the wall clock did meanwhile, and the next save's number
/// higher); `None` before the first.
pub fn last_stamp(path: &Path) -> Option<(jiff::Timestamp, u64)> {
    let bytes = read_if_exists(path).ok()??;
    let text = std::str::from_utf8(&bytes).ok()?;
    let (at, save) = text.trim().split_once(' ')?;
    Some((at.parse().ok()?, save.parse().ok()?))
}

/// Keeps `at` and `save` as the latest stamp given, unless a later save is kept already.
pub fn keep_last_stamp(path: &Path, at: jiff::Timestamp, save: u64) -> Result<(), StoreError> {
    let dir = path.parent().ok_or_else(|| StoreError::Encode(format!("{} has no folder", path.display())))?;
    let _lock = lock_folder(dir)?;
    if last_stamp(path).is_some_and(|(_, kept)| kept >= save) {
        return Ok(());
    }
    write_atomic(path, format!("{at} {save}\n").as_bytes())
}

fn read_id(path: &Path) -> Option<u64> {
    let bytes = read_if_exists(path).ok()??;
    u64::from_str_radix(std::str::from_utf8(&bytes).ok()?.trim(), 16).ok().filter(|&id| id != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_then_read_back_and_a_damaged_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let id = machine_id(dir.path()).unwrap();
        assert_ne!(id, 0);
        assert_eq!(machine_id(dir.path()).unwrap(), id);
        std::fs::write(machine_path(dir.path()), "not hex").unwrap();
        let again = machine_id(dir.path()).unwrap();
        assert_eq!(machine_id(dir.path()).unwrap(), again);
    }
}

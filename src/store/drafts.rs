//! Drafts of the window's one-line boxes (the intention and the plan entry), kept for each data
//! folder in the machine's own config folder, beside where the windows were left: text typed and
//! not yet set survives a quit, a kill and a relaunch. Nothing of it is a day's record.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use super::file::{read_if_exists, write_atomic};
use super::format::{encode, parse};

/// The version written into the drafts file.
pub const DRAFTS_FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct DraftsFile {
    version: u32,
    drafts: Drafts,
}

/// What was typed in each box and not yet set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Drafts {
    pub intention: String,
    pub plan: String,
}

impl Drafts {
    /// Whether every box is empty.
    pub fn is_empty(&self) -> bool {
        self.intention.trim().is_empty() && self.plan.trim().is_empty()
    }
}

/// The drafts file of the data folder `data` in `config_dir` (one per data folder: a test day's
/// drafts are not a real day's).
pub fn drafts_path(config_dir: &Path, data: &Path) -> PathBuf {
    config_dir.join(format!("drafts-{:016x}.ron", super::paths::folder_key(data)))
}

/// The drafts saved at `path`, or none. A file that cannot be read is an error that names it; it
/// is left as it is.
pub fn load_drafts(path: &Path) -> Result<Drafts, String> {
    match read_if_exists(path).map_err(|e| e.to_string())? {
        None => Ok(Drafts::default()),
        Some(bytes) => parse::<DraftsFile>(&bytes, DRAFTS_FORMAT_VERSION)
            .map(|file| file.drafts)
            .map_err(|why| format!("the drafts file {} is {why}", path.display())),
    }
}

/// Saves the drafts atomically (empty drafts remove the file).
pub fn save_drafts(path: &Path, drafts: &Drafts) -> Result<(), String> {
    if drafts.is_empty() {
        return match std::fs::remove_file(path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(format!("cannot remove {}: {e}", path.display())),
        };
    }
    let bytes =
        encode(&DraftsFile { version: DRAFTS_FORMAT_VERSION, drafts: drafts.clone() }).map_err(|e| e.to_string())?;
    write_atomic(path, &bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_round_trip_and_empty_ones_leave_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = drafts_path(dir.path(), Path::new("/data"));
        assert_ne!(path, drafts_path(dir.path(), Path::new("/data/test")));
        assert_eq!(load_drafts(&path).unwrap(), Drafts::default());
        let drafts = Drafts { intention: "draft intention text".into(), plan: "draft plan text".into() };
        save_drafts(&path, &drafts).unwrap();
        assert_eq!(load_drafts(&path).unwrap(), drafts);
        save_drafts(&path, &Drafts::default()).unwrap();
        assert!(!path.exists());
        std::fs::write(&path, "(version: 1, drafts: (intention: 3))").unwrap();
        assert!(load_drafts(&path).unwrap_err().contains("line 1"));
    }
}

//! The time zone of the window's last run, kept in the machine's config folder: a change of zone
//! between runs (a trip, a `TZ` set differently) is told rather than acted on silently.

use std::path::{Path, PathBuf};

use super::file::{read_if_exists, write_atomic};

/// The file, in `config_dir`.
pub fn last_zone_path(config_dir: &Path) -> PathBuf {
    config_dir.join("last-zone.txt")
}

/// The zone the last run had, if one was kept.
pub fn load_last_zone(config_dir: &Path) -> Option<String> {
    let bytes = read_if_exists(&last_zone_path(config_dir)).ok()??;
    let zone = String::from_utf8(bytes).ok()?.trim().to_owned();
    (!zone.is_empty()).then_some(zone)
}

/// Keeps `zone` as this run's, in a config folder that exists (none is made for it).
pub fn save_last_zone(config_dir: &Path, zone: &str) -> Result<(), String> {
    if !config_dir.is_dir() {
        return Ok(());
    }
    write_atomic(&last_zone_path(config_dir), format!("{zone}\n").as_bytes()).map_err(|e| e.to_string())
}

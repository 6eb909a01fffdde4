//! Reading and writing `settings.ron`.

use std::path::{Path, PathBuf};

use super::file::{Notice, StoreError, lock_folder, move_aside, read_if_exists, write_atomic};
use super::format::{decode_settings, encode_settings};
use crate::day::{SetAside, Settings};

/// The settings file in `config_dir`.
pub fn settings_path(config_dir: &Path) -> PathBuf {
    config_dir.join("settings.ron")
}

/// Reads the settings, or the defaults when there is no file. An unparsable file is moved aside and
/// the defaults are used (see the notices); a parsable file with a bad value is an error naming the
/// field, and the file is left alone for the user to fix.
pub fn load_settings(config_dir: &Path, now: jiff::Timestamp) -> Result<(Settings, Vec<Notice>), String> {
    let path = settings_path(config_dir);
    let Some(bytes) = read_if_exists(&path).map_err(|e| e.to_string())? else {
        return Ok((Settings::default(), Vec::new()));
    };
    match decode_settings(&bytes) {
        Ok(settings) => {
            settings.validate().map_err(|e| format!("{}: {e}", path.display()))?;
            Ok((settings, Vec::new()))
        }
        Err(why) => {
            let _lock = lock_folder(config_dir).map_err(|e| e.to_string())?;
            // Another process may have fixed it meanwhile.
            if let Some(bytes) = read_if_exists(&path).map_err(|e| e.to_string())?
                && let Ok(settings) = decode_settings(&bytes)
            {
                settings.validate().map_err(|e| format!("{}: {e}", path.display()))?;
                return Ok((settings, Vec::new()));
            }
            let aside = move_aside(&path, now).map_err(|e| e.to_string())?;
            let notice = format!(
                "The settings file {} is {why}. It was moved, unchanged, to {}; the default settings are used.",
                path.display(),
                aside.display()
            );
            Ok((Settings::default(), vec![Notice(notice)]))
        }
    }
}

/// Validates and saves the settings.
pub fn save_settings(config_dir: &Path, settings: &Settings) -> Result<(), String> {
    settings.validate().map_err(|e| e.to_string())?;
    let _lock = lock_folder(config_dir).map_err(|e| e.to_string())?;
    let bytes = encode_settings(settings).map_err(|e: StoreError| e.to_string())?;
    write_atomic(&settings_path(config_dir), &bytes).map_err(|e| e.to_string())
}

/// Saves the settings a panel edited from `base`, merged with what is saved now (another process,
/// or a hand edit, may have changed the file meanwhile): fields only the panel changed are
/// written, fields only the file changed are kept, and for fields both changed the panel's value
/// wins and the file's is returned, set aside, for the user to read. Returns the saved settings.
pub fn update_settings(config_dir: &Path, base: &Settings, mine: &Settings) -> Result<(Settings, SetAside), String> {
    mine.validate().map_err(|e| e.to_string())?;
    let _lock = lock_folder(config_dir).map_err(|e| e.to_string())?;
    let path = settings_path(config_dir);
    let theirs = match read_if_exists(&path).map_err(|e| e.to_string())? {
        // A file being edited by hand that does not parse is never written over.
        Some(bytes) => decode_settings(&bytes)
            .map_err(|why| format!("{} is {why}: fix it, then save again (nothing was written)", path.display()))?,
        None => base.clone(),
    };
    let (merged, aside) = Settings::merge(base, mine, &theirs);
    merged.validate().map_err(|e| e.to_string())?;
    let bytes = encode_settings(&merged).map_err(|e: StoreError| e.to_string())?;
    write_atomic(&path, &bytes).map_err(|e| e.to_string())?;
    Ok((merged, aside))
}

//! Reading and writing `settings.ron`.

use std::path::{Path, PathBuf};

use super::file::{StoreError, lock_folder, read_if_exists, write_atomic};
use super::format::{decode_settings, encode_settings};
use crate::day::{SetAside, Settings};

/// The settings file in `config_dir`.
pub fn settings_path(config_dir: &Path) -> PathBuf {
    config_dir.join("settings.ron")
}

/// Reads the settings, or the defaults when there is no file. A file that does not parse, or holds
/// a value out of range, is an error that says what is wrong, with the line and column; the file is
/// left where it is, untouched (the user may have it open in an editor).
pub fn load_settings(config_dir: &Path) -> Result<Settings, String> {
    let path = settings_path(config_dir);
    let Some(bytes) = read_if_exists(&path).map_err(|e| e.to_string())? else {
        return Ok(Settings::default());
    };
    let problem = match decode_settings(&bytes) {
        Ok(settings) => match settings.validate() {
            Ok(()) => return Ok(settings),
            Err(e) => format!("wrong: {e}"),
        },
        Err(why) => why,
    };
    Err(format!("the settings file {} is {problem}. It was left as it is", path.display()))
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

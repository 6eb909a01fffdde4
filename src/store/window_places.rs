//! `window.ron` in the config folder: where the normal window and the mini view were, and their
//! sizes, so that each opens where it was left. Written atomically like the settings; a file that
//! cannot be read only means the windows open where the system puts them.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use super::file::{lock_folder, read_if_exists, write_atomic};

/// The version written into `window.ron`.
const WINDOW_FORMAT_VERSION: u32 = 1;

/// A window's place on the screen, in physical pixels, and its size, in logical pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

/// Where each view was left.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowPlaces {
    #[serde(default)]
    pub windowed: Option<Place>,
    #[serde(default)]
    pub mini: Option<Place>,
}

#[derive(Serialize, Deserialize)]
struct WindowFile {
    version: u32,
    places: WindowPlaces,
}

/// The file in `config_dir`.
pub fn window_places_path(config_dir: &Path) -> PathBuf {
    config_dir.join("window.ron")
}

/// The places saved, or none: a missing, damaged or newer file is the same as no file (and is
/// left as it is until the next save replaces it with what the windows show then).
pub fn load_window_places(config_dir: &Path) -> WindowPlaces {
    let Ok(Some(bytes)) = read_if_exists(&window_places_path(config_dir)) else { return WindowPlaces::default() };
    std::str::from_utf8(&bytes)
        .ok()
        .and_then(|text| ron::from_str::<WindowFile>(text).ok())
        .filter(|file| file.version <= WINDOW_FORMAT_VERSION)
        .map(|file| file.places)
        .unwrap_or_default()
}

/// Saves the places, under the config folder's lock.
pub fn save_window_places(config_dir: &Path, places: &WindowPlaces) -> Result<(), String> {
    let _lock = lock_folder(config_dir).map_err(|e| e.to_string())?;
    let file = WindowFile { version: WINDOW_FORMAT_VERSION, places: *places };
    let text = ron::ser::to_string_pretty(&file, ron::ser::PrettyConfig::new().struct_names(false))
        .map_err(|e| e.to_string())?;
    write_atomic(&window_places_path(config_dir), (text + "\n").as_bytes()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_round_trip_and_bad_files_mean_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load_window_places(dir.path()), WindowPlaces::default());
        let places = WindowPlaces {
            windowed: Some(Place { x: 40, y: 30, width: 900, height: 640 }),
            mini: Some(Place { x: -280, y: 0, width: 280, height: 280 }),
        };
        save_window_places(dir.path(), &places).unwrap();
        assert_eq!(load_window_places(dir.path()), places);
        std::fs::write(window_places_path(dir.path()), "(version: 1, places: (windowed: Some((x: 1").unwrap();
        assert_eq!(load_window_places(dir.path()), WindowPlaces::default());
    }
}

//! Where files live and how they are written: plain Rust, no Bevy.
//!
//! Every file is written atomically (a temporary file in the same folder, fsync, rename, fsync the
//! folder), every read-modify-write happens under an exclusive OS lock on the folder's `.lock` file,
//! folders are created 0700 and files 0600. A file that cannot be parsed is moved aside, never
//! overwritten or deleted, and the caller is told where it went.

mod conflicts;
mod day_store;
mod drafts;
mod file;
mod format;
mod last_zone;
mod machine;
mod paths;
mod seen;
mod settings_store;
mod window_places;

pub use conflicts::{KEEP_MERGED_DAYS, conflict_copy_of};
pub use day_store::{
    Change, DayStore, FileDayStore, MemoryDayStore, Saved, Stamp, UpdateError, file_stamp, update_with, write_day_copy,
};
pub use drafts::{Drafts, drafts_path, load_drafts, save_drafts};
pub use file::{Notice, StoreError, adopt_legacy};
pub use format::{DAY_FORMAT_VERSION, SETTINGS_FORMAT_VERSION, decode_day, encode_day};
pub use last_zone::{last_zone_path, load_last_zone, save_last_zone};
pub use machine::{machine_id, machine_path};
pub use paths::{
    CACHE_DIR_VAR, CONFIG_DIR_VAR, DATA_DIR_VAR, DirFlags, Dirs, PathError, STATE_DIR_VAR, TEST_DAY_DIR, folder_key,
};
pub use seen::{SEEN_KEPT_DAYS, load_seen, save_seen, seen_path};
pub use settings_store::{load_settings, save_settings, settings_path, update_settings};
pub use window_places::{Place, WindowPlaces, load_window_places, save_window_places, window_places_path};

//! Finding the data and config folders, and refusing unsafe ones.
//!
//! Order: the command-line flag, then the environment variable, then the platform folder. An empty
//! environment variable counts as unset (it never means "here"), and a relative path is refused:
//! nothing is ever read from or written to the current directory.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

/// Overrides the data folder.
pub const DATA_DIR_VAR: &str = "POMODOUROBOROS_DATA_DIR";
/// Overrides the config folder.
pub const CONFIG_DIR_VAR: &str = "POMODOUROBOROS_CONFIG_DIR";
/// Overrides the machine's state folder.
pub const STATE_DIR_VAR: &str = "POMODOUROBOROS_STATE_DIR";
/// Overrides the machine's cache folder.
pub const CACHE_DIR_VAR: &str = "POMODOUROBOROS_CACHE_DIR";
/// The sub-folder of the data folder that holds `--test-day` days.
pub const TEST_DAY_DIR: &str = "test";

/// The folders the app uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dirs {
    /// Day files (`YYYY-MM-DD.ron`).
    pub data: PathBuf,
    /// `settings.ron`.
    pub config: PathBuf,
    /// What is this machine's own and never carried to another by a sync engine: until when its
    /// windows showed each day (`$XDG_STATE_HOME/pomodouroboros`; elsewhere the machine-local data
    /// folder).
    pub state: PathBuf,
    /// What this machine may forget after a while: conflict copies once merged
    /// (`$XDG_CACHE_HOME/pomodouroboros`).
    pub cache: PathBuf,
}

/// Folders given on the command line.
#[derive(Clone, Debug, Default)]
pub struct DirFlags {
    pub data_dir: Option<PathBuf>,
    pub config_dir: Option<PathBuf>,
    /// Use the separate `test/` data folder.
    pub test_day: bool,
}

/// A folder that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    /// A relative (or empty) path from `source`.
    NotAbsolute { source: String, path: PathBuf },
    /// No home folder to put the platform folders in.
    NoHome,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAbsolute { source, path } => write!(
                f,
                "{source} is {:?}, which is not an absolute path; relative paths are refused so that \
                 nothing is read from the current directory",
                path.display().to_string()
            ),
            Self::NoHome => write!(
                f,
                "no home folder found for the data and config folders; set {DATA_DIR_VAR} and {CONFIG_DIR_VAR}"
            ),
        }
    }
}

impl std::error::Error for PathError {}

impl Dirs {
    /// Resolves the folders from flags, then `env` (a variable lookup), then the platform folders.
    pub fn resolve(flags: &DirFlags, env: impl Fn(&str) -> Option<OsString>) -> Result<Dirs, PathError> {
        let platform = directories::ProjectDirs::from("", "", "pomodouroboros");
        let data =
            pick(flags.data_dir.as_deref(), "--data-dir", DATA_DIR_VAR, &env, platform.as_ref().map(|p| p.data_dir()))?;
        let config = pick(
            flags.config_dir.as_deref(),
            "--config-dir",
            CONFIG_DIR_VAR,
            &env,
            platform.as_ref().map(|p| p.config_dir()),
        )?;
        let state = pick(
            None,
            "",
            STATE_DIR_VAR,
            &env,
            platform.as_ref().map(|p| p.state_dir().unwrap_or_else(|| p.data_local_dir())),
        )?;
        let cache = pick(None, "", CACHE_DIR_VAR, &env, platform.as_ref().map(|p| p.cache_dir()))?;
        let [data, state, cache] = [data, state, cache].map(|d| if flags.test_day { d.join(TEST_DAY_DIR) } else { d });
        Ok(Dirs { data, config, state, cache })
    }

    /// Takes the `data_dir` setting (`setting`) as the data folder where neither the flag nor the
    /// variable chose one (the settings are read from the config folder, so this comes after
    /// [`Dirs::resolve`]).
    pub fn take_data_setting(
        &mut self,
        flags: &DirFlags,
        env: impl Fn(&str) -> Option<OsString>,
        setting: Option<&Path>,
    ) {
        let chosen = flags.data_dir.is_some() || env(DATA_DIR_VAR).is_some_and(|v| !v.is_empty());
        if let (false, Some(dir)) = (chosen, setting) {
            self.data = if flags.test_day { dir.join(TEST_DAY_DIR) } else { dir.to_path_buf() };
        }
    }

    /// Resolves the folders from flags and the process environment.
    pub fn from_env(flags: &DirFlags) -> Result<Dirs, PathError> {
        Self::resolve(flags, |name| std::env::var_os(name))
    }
}

fn pick(
    flag: Option<&Path>,
    flag_name: &str,
    var: &str,
    env: &impl Fn(&str) -> Option<OsString>,
    platform: Option<&Path>,
) -> Result<PathBuf, PathError> {
    let (source, path) = if let Some(path) = flag {
        (flag_name.to_owned(), path.to_path_buf())
    } else if let Some(value) = env(var).filter(|v| !v.is_empty()) {
        (format!("${var}"), PathBuf::from(value))
    } else {
        ("the platform data folder".to_owned(), platform.ok_or(PathError::NoHome)?.to_path_buf())
    };
    if path.is_absolute() { Ok(path) } else { Err(PathError::NotAbsolute { source, path }) }
}

/// A short, stable key for a folder (FNV-1a of its path: the same in every build), to name what is
/// kept for it elsewhere: its window's socket, its drafts.
pub fn folder_key(folder: &Path) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in folder.as_os_str().as_encoded_bytes() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| OsString::from(v))
    }

    #[test]
    fn flags_beat_variables_beat_platform() {
        let flags = DirFlags { data_dir: Some("/flag/data".into()), ..DirFlags::default() };
        let dirs = Dirs::resolve(&flags, env(&[(DATA_DIR_VAR, "/env/data"), (CONFIG_DIR_VAR, "/env/config")])).unwrap();
        assert_eq!(dirs.data, PathBuf::from("/flag/data"));
        assert_eq!(dirs.config, PathBuf::from("/env/config"));
    }

    #[test]
    fn empty_variables_are_unset_not_here() {
        let dirs = Dirs::resolve(&DirFlags::default(), env(&[(DATA_DIR_VAR, ""), (CONFIG_DIR_VAR, "")]));
        if let Ok(dirs) = dirs {
            assert!(dirs.data.is_absolute() && dirs.config.is_absolute());
            assert_ne!(dirs.data, PathBuf::from(""));
        }
    }

    #[test]
    fn relative_paths_are_refused() {
        let err = Dirs::resolve(&DirFlags::default(), env(&[(DATA_DIR_VAR, "data")])).unwrap_err();
        assert!(matches!(err, PathError::NotAbsolute { .. }));
        assert!(err.to_string().contains(DATA_DIR_VAR), "{err}");
        let flags = DirFlags { config_dir: Some(".".into()), ..DirFlags::default() };
        assert!(Dirs::resolve(&flags, env(&[])).is_err());
        let flags = DirFlags { data_dir: Some("".into()), ..DirFlags::default() };
        assert!(Dirs::resolve(&flags, env(&[])).is_err());
    }

    #[test]
    fn the_data_dir_setting_comes_after_the_flag_and_the_variable() {
        let resolve = |flags: &DirFlags, pairs: &[(&str, &str)]| {
            let mut dirs = Dirs::resolve(flags, env(pairs)).unwrap();
            dirs.take_data_setting(flags, env(pairs), Some(Path::new("/synced")));
            dirs.data
        };
        let plain = DirFlags { config_dir: Some("/c".into()), ..DirFlags::default() };
        let all = [(STATE_DIR_VAR, "/s")];
        assert_eq!(resolve(&plain, &all), PathBuf::from("/synced"));
        assert_eq!(resolve(&plain, &[(STATE_DIR_VAR, "/s"), (DATA_DIR_VAR, "/env")]), PathBuf::from("/env"));
        let flagged = DirFlags { data_dir: Some("/flag".into()), ..plain.clone() };
        assert_eq!(resolve(&flagged, &all), PathBuf::from("/flag"));
        let test = DirFlags { test_day: true, ..plain };
        assert_eq!(resolve(&test, &all), PathBuf::from("/synced/test"));
    }

    #[test]
    fn test_days_live_apart() {
        let flags = DirFlags { data_dir: Some("/d".into()), config_dir: Some("/c".into()), test_day: true };
        let dirs = Dirs::resolve(&flags, env(&[(STATE_DIR_VAR, "/s")])).unwrap();
        assert_eq!((dirs.data, dirs.state), (PathBuf::from("/d/test"), PathBuf::from("/s/test")));
    }
}

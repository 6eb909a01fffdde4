//! `pomodouroboros desktop install [--autostart]`, `desktop autostart on|off` and `desktop
//! uninstall`.
//!
//! Install writes the desktop entry to `$XDG_DATA_HOME/applications`, the icon at the hicolor
//! sizes to `$XDG_DATA_HOME/icons/hicolor/NxN/apps`, and with `--autostart` an entry to
//! `$XDG_CONFIG_HOME/autostart` (without it, an autostart entry an earlier install wrote is
//! removed: the command says what it leaves, and `desktop autostart on|off` changes only that). It records what it wrote and which folders it made in a manifest,
//! so that uninstall removes exactly that and leaves the tree as it was.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::APP_ID;

/// The icon at each hicolor size, drawn by `examples/make_sprites.rs`.
pub const ICONS: [(u32, &[u8]); 8] = [
    (16, include_bytes!("../../assets/icons/pomodouroboros-16.png")),
    (24, include_bytes!("../../assets/icons/pomodouroboros-24.png")),
    (32, include_bytes!("../../assets/icons/pomodouroboros-32.png")),
    (48, include_bytes!("../../assets/icons/pomodouroboros-48.png")),
    (64, include_bytes!("../../assets/icons/pomodouroboros-64.png")),
    (128, include_bytes!("../../assets/icons/pomodouroboros-128.png")),
    (256, include_bytes!("../../assets/icons/pomodouroboros-256.png")),
    (512, include_bytes!("../../assets/icons/pomodouroboros-512.png")),
];

/// Where install writes: the XDG base folders, checked like the data folders (an empty variable
/// is unset; a relative one is refused).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Places {
    pub data_home: PathBuf,
    pub config_home: PathBuf,
}

impl Places {
    /// From `$XDG_DATA_HOME` and `$XDG_CONFIG_HOME`, else `~/.local/share` and `~/.config`.
    pub fn from_env(env: impl Fn(&str) -> Option<std::ffi::OsString>) -> Result<Places, String> {
        let home = env("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
        let pick = |var: &str, fallback: &str| -> Result<PathBuf, String> {
            let path = match env(var).filter(|v| !v.is_empty()) {
                Some(value) => PathBuf::from(value),
                None => home.as_ref().ok_or_else(|| format!("neither ${var} nor $HOME is set"))?.join(fallback),
            };
            if path.is_absolute() {
                Ok(path)
            } else {
                Err(format!(
                    "${var} (or $HOME) is {:?}, which is not an absolute path: refused",
                    path.display().to_string()
                ))
            }
        };
        Ok(Places {
            data_home: pick("XDG_DATA_HOME", ".local/share")?,
            config_home: pick("XDG_CONFIG_HOME", ".config")?,
        })
    }

    fn entry(&self) -> PathBuf {
        self.data_home.join("applications").join(format!("{APP_ID}.desktop"))
    }

    fn autostart(&self) -> PathBuf {
        self.config_home.join("autostart").join(format!("{APP_ID}.desktop"))
    }

    fn icon(&self, size: u32) -> PathBuf {
        self.data_home.join(format!("icons/hicolor/{size}x{size}/apps/{APP_ID}.png"))
    }

    /// The record of what install wrote.
    fn manifest(&self) -> PathBuf {
        self.data_home.join(APP_ID).join("desktop-install.txt")
    }
}

/// Quotes a path for a desktop entry's `Exec` key: in double quotes, with `"`, `` ` ``, `$` and
/// `\` escaped, the backslashes escaped again for the file's string syntax, and `%` doubled.
pub fn exec_quoted(path: &Path) -> String {
    let mut out = String::from("\"");
    for c in path.to_string_lossy().chars() {
        match c {
            '"' | '`' | '$' => out.push_str(&format!("\\\\{c}")),
            '\\' => out.push_str("\\\\\\\\"),
            '%' => out.push_str("%%"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The desktop entry for `exe` (the menu's; the autostart one is the same).
pub fn desktop_entry(exe: &Path) -> String {
    format!(
        "[Desktop Entry]\n\
         Type=Application\n\
         Version=1.4\n\
         Name=Pomodouroboros\n\
         GenericName=Pomodoro timer\n\
         Comment=A pomodoro timer in which an ouroboros snake eats your work day\n\
         Exec={}\n\
         Icon={APP_ID}\n\
         Terminal=false\n\
         Categories=Utility;Clock;\n\
         Keywords=pomodoro;timer;focus;intention;journal;\n\
         StartupNotify=true\n\
         StartupWMClass={APP_ID}\n",
        exec_quoted(exe)
    )
}

/// What install did, one line each: `dir PATH` for a folder it made, `file PATH` for a file it
/// wrote, in the order done.
#[derive(Debug, Default)]
struct Manifest(Vec<(bool, PathBuf)>);

impl Manifest {
    fn read(path: &Path) -> Result<Manifest, String> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Manifest::default()),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let entries = text
            .lines()
            .filter_map(|line| match line.split_once(' ') {
                Some(("dir", p)) => Some((true, PathBuf::from(p))),
                Some(("file", p)) => Some((false, PathBuf::from(p))),
                _ => None,
            })
            .collect();
        Ok(Manifest(entries))
    }

    fn text(&self) -> String {
        self.0.iter().map(|(dir, p)| format!("{} {}\n", if *dir { "dir" } else { "file" }, p.display())).collect()
    }

    /// Makes `dir` and its missing parents (0700), noting each one made.
    fn make_dirs(&mut self, dir: &Path) -> Result<(), String> {
        let missing: Vec<&Path> = dir.ancestors().take_while(|d| !d.exists()).collect();
        for d in missing.into_iter().rev() {
            let mut builder = fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(d).map_err(|e| format!("cannot create {}: {e}", d.display()))?;
            self.0.push((true, d.to_path_buf()));
        }
        Ok(())
    }

    /// Removes a file it wrote earlier, if it did; returns whether it removed one.
    fn remove(&mut self, path: &Path) -> Result<bool, String> {
        let Some(at) = self.0.iter().position(|(dir, p)| !dir && p == path) else { return Ok(false) };
        self.0.remove(at);
        match fs::remove_file(path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(format!("cannot remove {}: {e}", path.display())),
        }
    }

    /// Writes a file (0600), noting it unless it was already noted.
    fn write(&mut self, path: &Path, bytes: &[u8]) -> Result<(), String> {
        self.make_dirs(path.parent().ok_or("a file without a folder")?)?;
        write_private(path, bytes)?;
        if !self.0.iter().any(|(dir, p)| !dir && p == path) {
            self.0.push((false, path.to_path_buf()));
        }
        Ok(())
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    file.write_all(bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// What an install or an autostart change did, for the user.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Done {
    pub wrote: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
}

/// Installs the entry for `exe`, and the autostart entry if `autostart` (removing one an earlier
/// install wrote if not).
pub fn install(places: &Places, exe: &Path, autostart: bool) -> Result<Done, String> {
    let mut manifest = Manifest::read(&places.manifest())?;
    // The manifest's own folder first, so that it is recorded too.
    manifest.make_dirs(places.manifest().parent().ok_or("no folder for the manifest")?)?;
    let entry = desktop_entry(exe);
    let mut done = Done::default();
    manifest.write(&places.entry(), entry.as_bytes())?;
    done.wrote.push(places.entry());
    for (size, png) in ICONS {
        manifest.write(&places.icon(size), png)?;
        done.wrote.push(places.icon(size));
    }
    start_at_login(&mut manifest, places, &entry, autostart, &mut done)?;
    write_private(&places.manifest(), manifest.text().as_bytes())?;
    Ok(done)
}

/// Turns starting at login on or off for `exe`, touching nothing else.
pub fn set_autostart(places: &Places, exe: &Path, on: bool) -> Result<Done, String> {
    let mut manifest = Manifest::read(&places.manifest())?;
    manifest.make_dirs(places.manifest().parent().ok_or("no folder for the manifest")?)?;
    let mut done = Done::default();
    start_at_login(&mut manifest, places, &desktop_entry(exe), on, &mut done)?;
    write_private(&places.manifest(), manifest.text().as_bytes())?;
    Ok(done)
}

fn start_at_login(
    manifest: &mut Manifest,
    places: &Places,
    entry: &str,
    on: bool,
    done: &mut Done,
) -> Result<(), String> {
    if on {
        manifest.write(&places.autostart(), entry.as_bytes())?;
        done.wrote.push(places.autostart());
    } else if manifest.remove(&places.autostart())? {
        done.removed.push(places.autostart());
    }
    Ok(())
}

/// Removes what install wrote, and the folders it made once they are empty; nothing else.
pub fn uninstall(places: &Places) -> Result<Vec<PathBuf>, String> {
    let manifest = Manifest::read(&places.manifest())?;
    if manifest.0.is_empty() {
        return Err(format!("nothing to uninstall: no record of an install in {}", places.data_home.display()));
    }
    let mut removed = Vec::new();
    for (_, file) in manifest.0.iter().filter(|(dir, _)| !dir) {
        match fs::remove_file(file) {
            Ok(()) => removed.push(file.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot remove {}: {e}", file.display())),
        }
    }
    fs::remove_file(places.manifest()).map_err(|e| format!("cannot remove {}: {e}", places.manifest().display()))?;
    // Folders in the reverse order of their making: children before parents. One that is not
    // empty (the user put something there, or the data folder holds days) stays.
    for (_, dir) in manifest.0.iter().rev().filter(|(dir, _)| *dir) {
        let _ = fs::remove_dir(dir);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_paths_are_quoted_for_the_desktop_entry() {
        assert_eq!(exec_quoted(Path::new("/usr/bin/pomodouroboros")), "\"/usr/bin/pomodouroboros\"");
        assert_eq!(exec_quoted(Path::new("/home/a b/100%/$x")), "\"/home/a b/100%%/\\\\$x\"");
    }

    #[test]
    fn places_refuse_relative_variables() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.into())
        };
        let p = Places::from_env(env(&[("HOME", "/home/u"), ("XDG_DATA_HOME", "")])).unwrap();
        assert_eq!(p.data_home, PathBuf::from("/home/u/.local/share"));
        assert_eq!(p.config_home, PathBuf::from("/home/u/.config"));
        assert!(Places::from_env(env(&[("HOME", "/home/u"), ("XDG_CONFIG_HOME", "cfg")])).is_err());
    }
}

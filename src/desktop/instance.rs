//! One window per data folder, steered from the command line: the window holds a lock in the data
//! folder itself (`.window.lock`: two launches with different runtime folders still find each
//! other) and listens on a Unix socket in `$XDG_RUNTIME_DIR/pomodouroboros` (0700; with no
//! runtime folder, the data folder's `run/`). A second launch asks the first to come forward and exits; `pomodouroboros
//! window …` sends it requests. A socket left by a killed window is replaced: the lock, which the
//! system drops with its holder, says whether a window is alive. No Bevy here.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long the command line waits for the window's answer.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(3);

/// What the command line can ask of a running window (`pomodouroboros window REQUEST`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// Come forward (raised, focused, not minimised).
    Show,
    Mini,
    Fullscreen,
    Windowed,
    Quit,
    /// Spawn a snek.
    Snek,
    /// Come forward with the intention box open.
    Intend,
    /// Switch the overlay on or off, or show it as a bar or a ring.
    OverlayOn,
    OverlayOff,
    OverlayBar,
    OverlayRing,
    /// Start a pomodoro now.
    StartNow,
}

impl Request {
    /// Every request, by the word that asks for it.
    pub const ALL: [(&'static str, Request); 12] = [
        ("show", Request::Show),
        ("mini", Request::Mini),
        ("fullscreen", Request::Fullscreen),
        ("windowed", Request::Windowed),
        ("quit", Request::Quit),
        ("snek", Request::Snek),
        ("intend", Request::Intend),
        ("overlay-on", Request::OverlayOn),
        ("overlay-off", Request::OverlayOff),
        ("overlay-bar", Request::OverlayBar),
        ("overlay-ring", Request::OverlayRing),
        ("start-now", Request::StartNow),
    ];

    pub fn word(self) -> &'static str {
        Self::ALL.iter().find(|(_, r)| *r == self).map_or("show", |(w, _)| w)
    }

    pub fn from_word(word: &str) -> Option<Request> {
        Self::ALL.iter().find(|(w, _)| *w == word).map(|(_, r)| *r)
    }
}

/// Why a request did not reach a window.
#[derive(Debug)]
pub enum SendError {
    /// No window runs on this data folder.
    NoWindow,
    /// Something else went wrong on the way.
    Failed(String),
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoWindow => write!(f, "no window is running (start one with `pomodouroboros`)"),
            Self::Failed(why) => write!(f, "the window did not answer: {why}"),
        }
    }
}

/// The folder for the lock and socket of the window on `data`: `$XDG_RUNTIME_DIR/pomodouroboros`
/// when that variable is an absolute path, else `data/run`.
pub fn instance_dir(runtime: Option<std::ffi::OsString>, data: &Path) -> PathBuf {
    match runtime.map(PathBuf::from).filter(|p| p.is_absolute()) {
        Some(runtime) => runtime.join(crate::desktop::APP_ID),
        None => data.join("run"),
    }
}

/// The socket's name: one window per data folder (a test day's folder is another folder), named by
/// a hash of the folder's path (FNV-1a: the same in every build).
pub fn socket_path(dir: &Path, data: &Path) -> PathBuf {
    dir.join(format!("window-{:016x}.sock", crate::store::folder_key(data)))
}

/// The running window's end: the lock it holds while it lives, and its socket.
#[derive(Debug)]
pub struct Instance {
    pub listener: UnixListener,
    _lock: File,
    socket: PathBuf,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.socket);
    }
}

/// The lock a window on `data` holds while it lives.
pub fn lock_path(data: &Path) -> PathBuf {
    data.join(".window.lock")
}

/// Becomes the window for the data folder `data`, listening on `socket`, or finds that one runs:
/// `Ok(None)` when another process holds the folder's lock. A socket left by a killed window is
/// removed and made again.
pub fn claim(socket: &Path, data: &Path) -> Result<Option<Instance>, String> {
    let dir = socket.parent().ok_or("a socket without a folder")?;
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    for folder in [dir, data] {
        builder.create(folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    }
    let lock_path = lock_path(data);
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let lock = options.open(&lock_path).map_err(|e| format!("cannot open {}: {e}", lock_path.display()))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => return Ok(None),
        Err(fs::TryLockError::Error(e)) => return Err(format!("cannot lock {}: {e}", lock_path.display())),
    }
    // We hold the lock, so a socket there is a dead window's.
    let _ = fs::remove_file(socket);
    let listener = UnixListener::bind(socket).map_err(|e| format!("cannot listen on {}: {e}", socket.display()))?;
    Ok(Some(Instance { listener, _lock: lock, socket: socket.to_path_buf() }))
}

/// Sends `request` to the window listening on `socket` and waits for its answer.
pub fn send(socket: &Path, request: Request) -> Result<(), SendError> {
    let mut stream = UnixStream::connect(socket).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused => SendError::NoWindow,
        _ => SendError::Failed(e.to_string()),
    })?;
    let failed = |e: std::io::Error| SendError::Failed(e.to_string());
    stream.set_read_timeout(Some(ANSWER_WITHIN)).map_err(failed)?;
    writeln!(stream, "{}", request.word()).map_err(failed)?;
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer).map_err(failed)?;
    match answer.trim() {
        "ok" => Ok(()),
        other => Err(SendError::Failed(other.to_owned())),
    }
}

/// Reads one request from a connection and answers it: `ok`, or why not. Returns the request.
pub fn receive(stream: UnixStream) -> Option<Request> {
    let _ = stream.set_read_timeout(Some(ANSWER_WITHIN));
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let request = Request::from_word(line.trim());
    let mut stream = reader.into_inner();
    let _ = match request {
        Some(_) => writeln!(stream, "ok"),
        None => writeln!(stream, "unknown request {:?}", line.trim()),
    };
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_window_per_socket_and_a_dead_ones_socket_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let socket = socket_path(dir.path(), &data);
        assert!(matches!(send(&socket, Request::Show), Err(SendError::NoWindow)));
        let first = claim(&socket, &data).unwrap().expect("the first claims it");
        assert!(claim(&socket, &data).unwrap().is_none(), "a second finds it taken");
        let listener = first.listener.try_clone().unwrap();
        let serve = std::thread::spawn(move || receive(listener.accept().unwrap().0));
        send(&socket, Request::Mini).unwrap();
        assert_eq!(serve.join().unwrap(), Some(Request::Mini));
        drop(first);
        assert!(!socket.exists(), "a window that ends removes its socket");
        // A window killed outright leaves its socket file; its lock goes with it.
        drop(UnixListener::bind(&socket).unwrap());
        assert!(socket.exists(), "the dead window's socket is still there");
        assert!(matches!(send(&socket, Request::Show), Err(SendError::NoWindow)));
        assert!(claim(&socket, &data).unwrap().is_some(), "and is replaced");
    }

    #[test]
    fn one_window_per_data_folder_whatever_the_runtime_folder() {
        let (one, data) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let first = claim(&socket_path(one.path(), data.path()), data.path()).unwrap();
        assert!(first.is_some());
        // Launched without XDG_RUNTIME_DIR (or with another): another socket, the same folder.
        let second = claim(&socket_path(&instance_dir(None, data.path()), data.path()), data.path()).unwrap();
        assert!(second.is_none(), "a second window on the same data folder is refused");
    }

    #[test]
    fn sockets_differ_by_data_folder() {
        let dir = Path::new("/run/user/1000/pomodouroboros");
        assert_ne!(socket_path(dir, Path::new("/a")), socket_path(dir, Path::new("/a/test")));
        assert_eq!(instance_dir(Some("relative".into()), Path::new("/d")), PathBuf::from("/d/run"));
    }
}

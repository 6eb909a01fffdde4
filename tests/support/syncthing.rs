//! Two real Syncthing instances on 127.0.0.1 sharing one folder each, for the tests that carry
//! two machines' data folders (discovery, relays and NAT off; a one-second rescan and watcher
//! delay so that a test runs in seconds). Shared by the command-line and window test binaries.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether Syncthing and curl (its REST API's client here) are installed; when they are not and
/// the suite must run everything (`POMODOUROBOROS_REQUIRE_WINDOW_TEST=1`, as `./test.sh` sets),
/// the test fails rather than skip.
pub fn available() -> bool {
    let required = std::env::var("POMODOUROBOROS_REQUIRE_WINDOW_TEST").is_ok_and(|v| v == "1");
    let have = |tool: &str| Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success());
    if have("syncthing") && have("curl") {
        return true;
    }
    assert!(!required, "the sync test needs syncthing and curl: run ./test.sh, which installs them");
    eprintln!("skipped: syncthing or curl not installed (./test.sh installs them)");
    false
}

struct Reap(Child);
impl Drop for Reap {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One machine's engine: its home, the folder it shares, its REST key and device id.
pub struct Engine {
    home: PathBuf,
    folder: PathBuf,
    key: String,
    id: String,
    gui: u16,
    listen: u16,
    _process: Reap,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The text between `open` and `close` in `text`.
fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).unwrap_or_else(|| panic!("no {open} in {text}")) + open.len();
    &text[start..start + text[start..].find(close).unwrap()]
}

/// Two engines, one in `home_a` sharing `folder_a` and one in `home_b` sharing `folder_b`,
/// started, set to share the folder with each other, and connected.
pub fn pair(home_a: &Path, folder_a: &Path, home_b: &Path, folder_b: &Path) -> (Engine, Engine) {
    let (a, b) = (Engine::start(home_a, folder_a), Engine::start(home_b, folder_b));
    let up = Instant::now() + Duration::from_secs(30);
    while [&a, &b].iter().any(|m| m.rest("GET", "/rest/system/ping", None).is_err()) {
        assert!(Instant::now() < up, "the engines did not answer");
        std::thread::sleep(Duration::from_millis(200));
    }
    a.share_with(&b);
    b.share_with(&a);
    let linked = Instant::now() + Duration::from_secs(30);
    while !(a.connected_to(&b) && b.connected_to(&a)) {
        assert!(Instant::now() < linked, "the engines did not connect");
        std::thread::sleep(Duration::from_millis(200));
    }
    (a, b)
}

/// Settles two machines after a test's changes: every 2.5 s each side merges what reached it
/// (`merge_both`), until both hold the same day (`same`) and no conflict copy is left (`copies`),
/// and still do once the engines have had another look (3 s later). Panics after a minute.
/// Returns the rounds it took.
pub fn settle(mut merge_both: impl FnMut(), same: impl Fn() -> bool, copies: impl Fn() -> Vec<String>) -> usize {
    let settled = Instant::now() + Duration::from_secs(60);
    let mut rounds = 0;
    loop {
        std::thread::sleep(Duration::from_millis(2500));
        rounds += 1;
        merge_both();
        if same() && copies().is_empty() {
            std::thread::sleep(Duration::from_millis(3000));
            if same() && copies().is_empty() {
                return rounds;
            }
        }
        assert!(Instant::now() < settled, "not settled after {rounds} rounds: copies {:?}", copies());
    }
}

/// The conflict copies a sync engine left in `folder`.
pub fn conflict_copies(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| pomodouroboros::store::conflict_copy_of(n).is_some())
                .collect()
        })
        .unwrap_or_default()
}

impl Engine {
    /// Makes the engine's keys in `home` and starts it, sharing nothing yet.
    fn start(home: &Path, folder: &Path) -> Engine {
        std::fs::create_dir_all(folder).unwrap();
        let st = home.join("syncthing");
        let made = Command::new("syncthing")
            .args(["generate", "--no-default-folder", "--skip-port-probing", "--home"])
            .arg(&st)
            .env("HOME", home)
            .output()
            .unwrap();
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
        let config = std::fs::read_to_string(st.join("config.xml")).unwrap();
        let key = between(&config, "<apikey>", "</apikey>").to_owned();
        let id = between(&config, "<device id=\"", "\"").to_owned();
        let gui = free_port();
        let process = Command::new("syncthing")
            .args(["serve", "--no-browser", "--no-restart", "--logflags=0", "--home"])
            .arg(&st)
            .arg(format!("--gui-address=http://127.0.0.1:{gui}"))
            .env("HOME", home)
            .env("STNOUPGRADE", "1")
            .env("STNODEFAULTFOLDER", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Engine {
            home: home.to_path_buf(),
            folder: folder.to_path_buf(),
            key,
            id,
            gui,
            listen: free_port(),
            _process: Reap(process),
        }
    }

    /// The folder this engine shares.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The engine's home (its keys and database).
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// A REST call; the reply's body.
    fn rest(&self, method: &str, path: &str, body: Option<&str>) -> Result<String, String> {
        let mut c = Command::new("curl");
        c.args(["-sS", "--fail", "--max-time", "5", "-X", method, "-H"])
            .arg(format!("X-API-Key: {}", self.key))
            .arg(format!("http://127.0.0.1:{}{path}", self.gui));
        if let Some(body) = body {
            c.args(["-H", "Content-Type: application/json", "--data", body]);
        }
        let out = c.output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!("{method} {path}: {}", String::from_utf8_lossy(&out.stderr)))
        }
    }

    /// Shares the folder with `other`, over 127.0.0.1 only.
    fn share_with(&self, other: &Engine) {
        let options = format!(
            r#"{{"globalAnnounceEnabled":false,"localAnnounceEnabled":false,"relaysEnabled":false,"natEnabled":false,"urAccepted":-1,"crashReportingEnabled":false,"listenAddresses":["tcp://127.0.0.1:{}"]}}"#,
            self.listen
        );
        self.rest("PATCH", "/rest/config/options", Some(&options)).unwrap();
        let device = format!(r#"{{"deviceID":"{}","addresses":["tcp://127.0.0.1:{}"]}}"#, other.id, other.listen);
        self.rest("POST", "/rest/config/devices", Some(&device)).unwrap();
        let folder = format!(
            r#"{{"id":"pomodouroboros","label":"pomodouroboros","path":"{}","devices":[{{"deviceID":"{}"}},{{"deviceID":"{}"}}],"rescanIntervalS":1,"fsWatcherEnabled":true,"fsWatcherDelayS":1}}"#,
            self.folder.display(),
            self.id,
            other.id
        );
        self.rest("POST", "/rest/config/folders", Some(&folder)).unwrap();
    }

    fn connected_to(&self, other: &Engine) -> bool {
        self.rest("GET", "/rest/system/connections", None).is_ok_and(|c| {
            c.split(&other.id).nth(1).is_some_and(|rest| between(rest, "\"connected\":", ",").trim() == "true")
        })
    }
}

/// What one side's command line had acknowledged last, field by field, and how many commands it
/// gave.
#[derive(Default, Debug)]
pub struct Acknowledged {
    pub intention: Option<String>,
    pub summary: Option<String>,
    /// The day's first pomodoro's rating, by name.
    pub rating: Option<&'static str>,
    pub planned: Vec<String>,
    pub commands: usize,
}

/// The `n`-th change (from 1) a side's command line makes, in turn: an intention `text` (first: a
/// pomodoro is rated only once it has one), a plan item `text`, the journal's summary `text`, and
/// the first pomodoro's rating `rating`.
pub fn nth_change<'a>(n: usize, text: &'a str, rating: &'a str) -> Vec<&'a str> {
    match n % 4 {
        1 => vec!["intend", text],
        2 => vec!["plan", text],
        3 => vec!["journal", "--summary", text],
        _ => vec!["rate", "--pomodoro", "1", rating],
    }
}

impl Acknowledged {
    /// The `n`-th change (see [`nth_change`]) was acknowledged.
    pub fn acknowledge(&mut self, n: usize, text: String, rating: &'static str) {
        match n % 4 {
            1 => self.intention = Some(text),
            2 => self.planned.push(text),
            3 => self.summary = Some(text),
            _ => self.rating = Some(rating),
        }
    }
}

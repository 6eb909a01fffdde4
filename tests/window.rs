//! The real binary in a real window: Xvfb with Mesa's software Vulkan, keys from xdotool, then the
//! screenshot's pixels and the saved day are checked.
//!
//! Needs `Xvfb`, `xdotool`, ImageMagick's `import` and a Vulkan driver; `./test.sh` installs them.
//! Without them the test is skipped, unless `POMODOUROBOROS_REQUIRE_WINDOW_TEST=1` (as in CI).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const INTENTION: &str = "quietly typed: s, d, h, p, j, q";

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Kills a child process when dropped, so a failing test leaves nothing running.
struct Reaper(Child);

impl Drop for Reaper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_xvfb() -> (Reaper, String) {
    for n in 70..100 {
        if Path::new(&format!("/tmp/.X{n}-lock")).exists() {
            continue;
        }
        let display = format!(":{n}");
        let child = Command::new("Xvfb")
            .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts");
        let mut reaper = Reaper(child);
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            // An Xvfb that exits lost the display to another one: try the next number.
            if reaper.0.try_wait().unwrap().is_some() {
                break;
            }
            if socket.exists() {
                return (reaper, display);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("no free X display");
}

fn xdotool(display: &str, args: &[&str]) -> String {
    let out = Command::new("xdotool").env("DISPLAY", display).args(args).output().expect("xdotool runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wait_for(what: &str, timeout: Duration, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Counts pixels within `tolerance` of `color` on each channel.
fn count(img: &image::RgbImage, color: [u8; 3], tolerance: u8) -> usize {
    img.pixels().filter(|p| p.0.iter().zip(color).all(|(a, b)| a.abs_diff(b) <= tolerance)).count()
}

/// A running app under Xvfb in its own folders.
struct Running {
    app: Reaper,
    display: String,
    window: String,
    dir: tempfile::TempDir,
    _xvfb: Reaper,
    _guard: std::sync::MutexGuard<'static, ()>,
}

static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Running {
    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("app.log")).unwrap_or_default()
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["key", "--delay", "80"];
        args.extend_from_slice(keys);
        xdotool(&self.display, &args);
    }

    fn saved_day(&self) -> String {
        let days: Vec<PathBuf> = std::fs::read_dir(self.data().join("test"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .collect();
        assert_eq!(days.len(), 1, "{days:?}");
        std::fs::read_to_string(&days[0]).unwrap()
    }
}

/// Starts the app on a test day, waits for its first frame and focuses its window; `None` when
/// the tools are missing and the test may be skipped.
fn launch() -> Option<Running> {
    // One window test at a time: they share the machine's displays and its few cores.
    let guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let required = std::env::var("POMODOUROBOROS_REQUIRE_WINDOW_TEST").is_ok_and(|v| v == "1");
    let missing: Vec<&str> = ["Xvfb", "xdotool", "import"].into_iter().filter(|t| !have(t)).collect();
    if !missing.is_empty() {
        assert!(!required, "the window test needs {missing:?}: run ./test.sh, which installs them");
        eprintln!("skipped: {missing:?} not installed (./test.sh installs them)");
        return None;
    }
    let (xvfb, display) = start_xvfb();
    let dir = tempfile::tempdir().unwrap();
    let (data, config, runtime) = (dir.path().join("data"), dir.path().join("config"), dir.path().join("run"));
    std::fs::create_dir_all(&runtime).unwrap();
    let log = std::fs::File::create(dir.path().join("app.log")).unwrap();
    let app = Command::new(env!("CARGO_BIN_EXE_pomodouroboros"))
        .args(["--test-day", "--data-dir"])
        .arg(&data)
        .arg("--config-dir")
        .arg(&config)
        .current_dir(dir.path())
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("WGPU_BACKEND", "vulkan")
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let mut running = Running { app: Reaper(app), display, window: String::new(), dir, _xvfb: xvfb, _guard: guard };
    wait_for("the first frame", Duration::from_secs(60), || {
        assert!(running.app.0.try_wait().unwrap().is_none(), "the app exited early:\n{}", running.log());
        running.log().contains("first frame presented")
    });
    running.window =
        xdotool(&running.display, &["search", "--name", "Pomodouroboros"]).lines().next().unwrap_or("").to_owned();
    assert!(!running.window.is_empty(), "no window");
    xdotool(&running.display, &["windowfocus", &running.window]);
    Some(running)
}

#[test]
fn a_kill_loses_no_journal_text() {
    let Some(mut running) = launch() else { return };
    running.keys(&["j"]);
    std::thread::sleep(Duration::from_millis(600));
    xdotool(&running.display, &["type", "--delay", "30", "a calm day"]);
    // Typing pauses; the draft saves itself; then the process is killed outright.
    std::thread::sleep(Duration::from_millis(2500));
    running.app.0.kill().unwrap();
    running.app.0.wait().unwrap();
    let saved = running.saved_day();
    assert!(saved.contains("summary: \"a calm day\""), "{saved}");
}

#[test]
fn the_window_runs_takes_keys_saves_and_quits() {
    let Some(mut running) = launch() else { return };
    let (display, dir) = (running.display.clone(), running.dir.path().to_path_buf());
    let log_text = || std::fs::read_to_string(dir.join("app.log")).unwrap_or_default();
    // Sneks, a hiccup, then more sneks.
    xdotool(&display, &["key", "--delay", "80", "s", "S", "s", "h", "s", "S"]);
    std::thread::sleep(Duration::from_millis(1500));
    // An intention typed into its box (none of its letters may act as keys), then a rating.
    xdotool(&display, &["key", "i"]);
    std::thread::sleep(Duration::from_millis(600));
    xdotool(&display, &["type", "--delay", "40", INTENTION]);
    xdotool(&display, &["key", "Return"]);
    std::thread::sleep(Duration::from_millis(600));
    xdotool(&display, &["key", "1"]);
    std::thread::sleep(Duration::from_millis(1500));
    let shot = dir.join("shot.png");
    let status = Command::new("import").env("DISPLAY", &display).args(["-window", "root"]).arg(&shot).status().unwrap();
    assert!(status.success());
    // The mini view and fullscreen, there and back, then a panel opened and closed with Escape.
    xdotool(&display, &["key", "--delay", "300", "m", "m", "f", "f", "question", "Escape"]);
    std::thread::sleep(Duration::from_millis(500));
    assert!(running.app.0.try_wait().unwrap().is_none(), "Escape with a panel open only closes it:\n{}", log_text());
    xdotool(&display, &["key", "q"]);
    let start = Instant::now();
    let exit = loop {
        if let Some(status) = running.app.0.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "q did not quit:\n{}", log_text());
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(exit.success(), "exit status {exit}:\n{}", log_text());

    // The saved day holds the typed intention and its rating.
    let saved = running.saved_day();
    assert!(saved.contains(&format!("intention: Some(\"{INTENTION}\")")), "{saved}");
    assert!(saved.contains("rating: Some(achieved)"), "{saved}");
    // The ring, the achieved segment, the snake and the sneks are all on screen.
    let img = image::open(&shot).unwrap().to_rgb8();
    assert_eq!((img.width(), img.height()), (1280, 800));
    let ring_ahead = count(&img, [136, 148, 166], 6);
    let achieved = count(&img, [0, 158, 115], 6);
    let snake = count(&img, [232, 220, 190], 8);
    let sneks: usize =
        [[92, 184, 92], [66, 150, 235], [245, 160, 50], [236, 236, 236]].into_iter().map(|c| count(&img, c, 10)).sum();
    let (w, h) = (img.width(), img.height());
    let saved_shot = std::env::var_os("POMODOUROBOROS_KEEP_SHOT").map(PathBuf::from);
    if let Some(path) = saved_shot {
        std::fs::copy(&shot, path).unwrap();
    }
    assert!(ring_ahead > 20_000, "the ring's upcoming segments: {ring_ahead} px of {w}x{h}");
    assert!(achieved > 2_000, "the achieved segment: {achieved} px");
    assert!(snake > 500, "the ouroboros: {snake} px");
    assert!(sneks > 300, "the sneks: {sneks} px");
    let log = log_text();
    assert!(log.contains("hiccup: stalling the main thread"), "{log}");
}

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
        let reaper = Reaper(child);
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
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

#[test]
fn the_window_runs_takes_keys_saves_and_quits() {
    let required = std::env::var("POMODOUROBOROS_REQUIRE_WINDOW_TEST").is_ok_and(|v| v == "1");
    let missing: Vec<&str> = ["Xvfb", "xdotool", "import"].into_iter().filter(|t| !have(t)).collect();
    if !missing.is_empty() {
        assert!(!required, "the window test needs {missing:?}: run ./test.sh, which installs them");
        eprintln!("skipped: {missing:?} not installed (./test.sh installs them)");
        return;
    }
    let (_xvfb, display) = start_xvfb();
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
    let mut app = Reaper(app);
    let log_text = || std::fs::read_to_string(dir.path().join("app.log")).unwrap_or_default();
    wait_for("the first frame", Duration::from_secs(60), || {
        assert!(app.0.try_wait().unwrap().is_none(), "the app exited early:\n{}", log_text());
        log_text().contains("first frame presented")
    });
    let window = xdotool(&display, &["search", "--name", "Pomodouroboros"]).lines().next().unwrap_or("").to_owned();
    assert!(!window.is_empty(), "no window");
    xdotool(&display, &["windowfocus", &window]);
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
    let shot = dir.path().join("shot.png");
    let status = Command::new("import").env("DISPLAY", &display).args(["-window", "root"]).arg(&shot).status().unwrap();
    assert!(status.success());
    // The mini view and fullscreen, there and back, then a panel opened and closed with Escape.
    xdotool(&display, &["key", "--delay", "300", "m", "m", "f", "f", "question", "Escape"]);
    std::thread::sleep(Duration::from_millis(500));
    assert!(app.0.try_wait().unwrap().is_none(), "Escape with a panel open only closes it:\n{}", log_text());
    xdotool(&display, &["key", "q"]);
    let start = Instant::now();
    let exit = loop {
        if let Some(status) = app.0.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "q did not quit:\n{}", log_text());
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(exit.success(), "exit status {exit}:\n{}", log_text());

    // The saved day holds the typed intention and its rating.
    let days: Vec<PathBuf> = std::fs::read_dir(data.join("test"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    assert_eq!(days.len(), 1, "{days:?}");
    let saved = std::fs::read_to_string(&days[0]).unwrap();
    assert!(saved.contains(&format!("intention: Some(\"{INTENTION}\")")), "{saved}");
    assert!(saved.contains("rating: Some(achieved)"), "{saved}");
    // Snek keys did not leak into the box: the sneks exist, and so no "s" was lost to the text.
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

// The window under a real Wayland compositor: Weston's headless backend, with WAYLAND_DISPLAY set
// and no DISPLAY. Its first frame is presented, away from the keyboard is read from GNOME's idle
// monitor (played by the test on a private session bus), `window quit` closes it with exit status
// 0, and nothing is logged at ERROR level.

use super::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// `org.gnome.Mutter.IdleMonitor` as GNOME's compositor serves it: the idle time in milliseconds.
struct IdleMonitor {
    idle_ms: Arc<AtomicU64>,
}

#[zbus::interface(name = "org.gnome.Mutter.IdleMonitor")]
impl IdleMonitor {
    fn get_idletime(&self) -> u64 {
        self.idle_ms.load(Ordering::SeqCst)
    }
}

#[test]
fn the_window_runs_under_wayland_and_quits_cleanly() {
    let guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    if !companion::tools(&["weston", "dbus-daemon"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_bus, address) = companion::start_bus(dir.path());
    let idle_ms = Arc::new(AtomicU64::new(0));
    let _mutter = zbus::block_on(
        zbus::connection::Builder::address(address.as_str())
            .name("org.gnome.Mutter.IdleMonitor")
            .serve_at("/org/gnome/Mutter/IdleMonitor/Core", IdleMonitor { idle_ms: idle_ms.clone() })
            .build(),
    )
    .expect("the idle monitor on the test's bus");
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(dir.path().join("config/settings.ron"), "(version: 1, settings: (away_minutes: 5))").unwrap();
    let runtime = dir.path().join("run");
    std::fs::create_dir_all(&runtime).unwrap();
    std::fs::set_permissions(&runtime, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let mut weston = Command::new("weston");
    weston
        .args(["--backend=headless-backend.so", "--socket=wl-test", "--width=1280", "--height=800", "--idle-time=0"])
        .env("XDG_RUNTIME_DIR", &runtime)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    let _weston = companion::spawn(weston, &dir.path().join("weston.log"));
    wait_for("weston's socket", Duration::from_secs(15), || runtime.join("wl-test").exists());
    let command = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_pomodouroboros"));
        c.args(["--test-day", "--data-dir"])
            .arg(dir.path().join("data"))
            .arg("--config-dir")
            .arg(dir.path().join("config"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("WAYLAND_DISPLAY", "wl-test")
            .env_remove("DISPLAY")
            .env("WGPU_BACKEND", "vulkan")
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("DBUS_SYSTEM_BUS_ADDRESS", format!("unix:path={}", dir.path().join("no-system-bus").display()))
            .env("RUST_LOG", "info,wgpu=error,naga=warn");
        c
    };
    let log_path = dir.path().join("app.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut app = Reaper(command().stdout(log.try_clone().unwrap()).stderr(log).spawn().unwrap());
    let read_log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    wait_for("the first frame under Wayland", Duration::from_secs(60), || {
        assert!(app.0.try_wait().unwrap().is_none(), "the app exited early:\n{}", read_log());
        read_log().contains("first frame presented")
    });
    // The overlay (on by default) opens too: a window with an alpha channel, clicks passing through.
    wait_for("the overlay under Wayland", Duration::from_secs(15), || read_log().contains("overlay: on monitor"));
    // No X11 here: the idle time is GNOME's. A minute without input is away (6 s on a test day),
    // input again is back.
    wait_for("the idle monitor found", Duration::from_secs(10), || {
        read_log().contains("idle: the idle time from org.gnome.Mutter.IdleMonitor")
    });
    idle_ms.store(60_000, Ordering::SeqCst);
    wait_for("away from the keyboard", Duration::from_secs(10), || read_log().contains("away from the keyboard since"));
    idle_ms.store(0, Ordering::SeqCst);
    wait_for("back at the keyboard", Duration::from_secs(10), || read_log().contains("back at the keyboard"));
    let quit = command().args(["window", "quit"]).output().unwrap();
    assert!(quit.status.success(), "{}", String::from_utf8_lossy(&quit.stderr));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = app.0.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "the window did not quit:\n{}", read_log());
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "exit status {status}:\n{}", read_log());
    let log = read_log();
    assert!(!log.contains(" ERROR "), "nothing at ERROR level:\n{log}");
    assert!(!log.contains("DISPLAY"), "{log}");
    assert!(log.contains("remote: quit"), "quit from the command line:\n{log}");
    drop(guard);
}

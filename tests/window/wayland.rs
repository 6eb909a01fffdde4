// The window under a real Wayland compositor: Weston's headless backend, with WAYLAND_DISPLAY set
// and no DISPLAY. Its first frame is presented, `window quit` closes it with exit status 0, and
// nothing is logged at ERROR level.

use super::*;

#[test]
fn the_window_runs_under_wayland_and_quits_cleanly() {
    let guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    if !companion::tools(&["weston"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
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

// The overlay over a user's other windows, against a real window manager (openbox) and a real
// compositing manager (xcompmgr): above them, clicked through, never taking the focus, blended
// over what is under it, pulsing while an intention is due.

use super::companion::{spawn, start_openbox, tools};
use super::*;

/// The X server's answer for one window's properties.
fn xprop(display: &str, window: &str, names: &[&str]) -> String {
    let out = Command::new("xprop").env("DISPLAY", display).args(["-id", window]).args(names).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn xwininfo(display: &str, args: &[&str]) -> String {
    let out = Command::new("xwininfo").env("DISPLAY", display).args(args).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// An `xmessage` with a white background at `geometry`, and its window once it is mapped.
fn xmessage(display: &str, dir: &Path, text: &str, geometry: &str) -> (Reaper, String) {
    let mut command = Command::new("xmessage");
    command.env("DISPLAY", display).args(["-bg", "white", "-title", text, "-geometry", geometry, text]);
    let reaper = spawn(command, &dir.join(format!("{}.log", text.replace(' ', "-"))));
    let mut window = String::new();
    let name = format!("^{text}$");
    wait_for(text, Duration::from_secs(10), || {
        window =
            xdotool(display, &["search", "--onlyvisible", "--name", &name]).lines().next().unwrap_or("").to_owned();
        !window.is_empty() && xwininfo(display, &["-id", &window]).contains("IsViewable")
    });
    (reaper, window)
}

/// A window's place and size on the screen: x, y, width, height.
fn geometry(display: &str, window: &str) -> [i64; 4] {
    let info = xwininfo(display, &["-id", window]);
    let field = |name: &str| -> i64 {
        info.lines().find_map(|l| l.trim().strip_prefix(name)).and_then(|v| v.trim().parse().ok()).unwrap_or(-1)
    };
    [field("Absolute upper-left X:"), field("Absolute upper-left Y:"), field("Width:"), field("Height:")]
}

fn is_alive(reaper: &mut Reaper) -> bool {
    reaper.0.try_wait().unwrap().is_none()
}

#[test]
fn the_overlay_is_above_every_window_blended_clicked_through_and_never_takes_the_focus() {
    if !tools(&["openbox", "xcompmgr", "xprop", "xwininfo", "xmessage"]) {
        return;
    }
    // A window manager, a compositor, and a white window filling the screen under everything.
    let start = |display: &str, dir: &Path| {
        let wm = start_openbox(display, dir);
        let mut compositor = Command::new("xcompmgr");
        compositor.env("DISPLAY", display);
        let compositor = spawn(compositor, &dir.join("xcompmgr.log"));
        let (white, _) = xmessage(display, dir, "white", "1600x1000+0+0");
        Desktop { daemons: vec![white, compositor, wm], env: Vec::new() }
    };
    // A 40 px bar, so that a button fits under it; a test day twice as fast (a pulse every 7.5 s).
    let folders = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(folders.path().join("config")).unwrap();
    std::fs::write(folders.path().join("config/settings.ron"), "(version: 1, settings: (overlay_thickness: 40))\n")
        .unwrap();
    let Some(mut running) = launch_beside(Some(folders.path()), &["--overlay", "--speed", "2"], "1600x1000", &start)
    else {
        return;
    };
    let display = running.display.clone();
    let mut overlay = String::new();
    wait_for("the overlay window", Duration::from_secs(15), || {
        overlay = xdotool(&display, &["search", "--name", "^Pomodouroboros overlay$"])
            .lines()
            .next()
            .unwrap_or("")
            .to_owned();
        !overlay.is_empty() && xwininfo(&display, &["-id", &overlay]).contains("IsViewable")
    });
    // The first time, one line says what it is and how to turn it off.
    wait_for("the overlay introduced", Duration::from_secs(5), || running.log().contains("is the overlay"));
    // Its caption draws every script the window does: the installed fallback faces (CJK, …) reach
    // the overlay's own egui context too.
    wait_for("the overlay's fallback fonts", Duration::from_secs(10), || {
        running.log().contains("fallback faces handed to another egui context")
    });
    // Along the bottom of the one monitor: the 40 px bar and the caption's band above it; out of
    // the window manager's hands (no frame to catch clicks, never focused, on every workspace).
    let info = xwininfo(&display, &["-id", &overlay, "-all"]);
    assert_eq!(geometry(&display, &overlay), [0, 930, 1600, 70], "{info}");
    assert!(info.contains("Override Redirect State: yes"), "{info}");
    let props = xprop(&display, &overlay, &["_NET_WM_STATE", "_NET_WM_DESKTOP", "WM_HINTS", "_NET_WM_WINDOW_TYPE"]);
    for state in ["ABOVE", "STICKY", "SKIP_TASKBAR", "SKIP_PAGER"] {
        assert!(props.contains(&format!("_NET_WM_STATE_{state}")), "{state}: {props}");
    }
    assert!(props.contains("_NET_WM_DESKTOP(CARDINAL) = 4294967295"), "{props}");
    assert!(props.contains("accepts input or input focus: False"), "{props}");
    // Cut to the bar and, while it shows (at the interval's start), the caption above it; then to
    // the bar alone.
    let shape = || xwininfo(&display, &["-id", &overlay, "-shape"]);
    let caption_shown = shape();
    wait_for("the caption to go", Duration::from_secs(10), || shape().contains("Window shape extents:  1600x40+0+30"));
    assert!(caption_shown.contains("Window shape extents:  1600x"), "{caption_shown}");

    // A window opened later, with its button under the bar: the overlay is raised above it, and a
    // click on the button through the bar reaches it.
    let (mut button, _) = xmessage(&display, running.dir.path(), "click through me", "+100+912");
    std::thread::sleep(Duration::from_millis(600));
    let shot = running.root_shot("overlay-over-a-window");
    // The bar over the white window: neither white nor the bar's own colour, but a blend.
    let p = shot.get_pixel(800, 995).0;
    assert!(p != [255, 255, 255] && p.iter().all(|&c| c > 100), "a blend of the bar and white: {p:?}");
    xdotool(&display, &["mousemove", "125", "980", "click", "1"]);
    wait_for("the click to reach the window under the overlay", Duration::from_secs(5), || !is_alive(&mut button));

    // The focus stays with the user's window through a pulse, which the compositor's opacity shows.
    let (_keeper, keeper) = xmessage(&display, running.dir.path(), "keeps the focus", "+300+300");
    xdotool(&display, &["windowactivate", "--sync", &keeper]);
    let spy_log = running.dir.path().join("opacity.log");
    let mut spy = Command::new("xprop");
    spy.env("DISPLAY", &display).args(["-spy", "-id", &overlay, "_NET_WM_WINDOW_OPACITY"]);
    let spy = spawn(spy, &spy_log);
    let opacities = || -> Vec<f64> {
        let text = std::fs::read_to_string(&spy_log).unwrap_or_default();
        text.lines()
            .filter_map(|l| l.rsplit(" = ").next()?.trim().parse::<u64>().ok())
            .map(|v| v as f64 / u32::MAX as f64)
            .collect()
    };
    // Due (no intention in the first pomodoro): 0.55, rising to 0.95 in the pulse.
    wait_for("a pulse", Duration::from_secs(12), || opacities().iter().any(|&o| o > 0.9));
    drop(spy);
    let seen = opacities();
    assert!(seen.iter().any(|&o| (o - 0.55).abs() < 0.02), "the base opacity: {seen:?}");
    let root = Command::new("xprop").env("DISPLAY", &display).args(["-root", "_NET_ACTIVE_WINDOW"]).output().unwrap();
    let root = String::from_utf8_lossy(&root.stdout).into_owned();
    let keeper_hex = format!("{:#x}", keeper.parse::<u64>().unwrap());
    assert!(root.contains(&keeper_hex), "the focus stayed with {keeper_hex}: {root}");

    // The ring, asked from the command line: a square centred on the monitor, cut to its band.
    running.cli(&["window", "overlay", "ring"]);
    wait_for("the ring", Duration::from_secs(10), || {
        geometry(&display, &overlay) == [690, 390, 220, 220]
            || !xdotool(&display, &["search", "--name", "^Pomodouroboros overlay$"]).contains(&overlay)
    });
    std::thread::sleep(Duration::from_millis(800));
    running.root_shot("overlay-ring");
    let saved = std::fs::read_to_string(running.config().join("settings.ron")).unwrap();
    assert!(saved.contains("overlay_style: ring") && saved.contains("overlay_thickness: 40"), "{saved}");
    running.cli(&["window", "overlay", "off"]);
    wait_for("the overlay to close", Duration::from_secs(10), || {
        xdotool(&display, &["search", "--name", "^Pomodouroboros overlay$"]).trim().is_empty()
    });
    running.cli(&["window", "quit"]);
    wait_for("the window to quit", Duration::from_secs(10), || !running.alive());
}

/// Two monitors, for real: Weston (its X11 backend with two outputs, inside Xvfb) runs XWayland,
/// whose RandR lists both; the app runs on that X display, as a Wayland user keeps the overlay
/// above (see the README). One overlay each, along each monitor's bottom edge.
#[test]
fn two_monitors_under_weston_and_xwayland_get_an_overlay_each() {
    if !tools(&["weston", "Xwayland", "Xvfb"]) {
        return;
    }
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (_xvfb, host) = start_xvfb("2600x1000");
    let dir = tempfile::tempdir().unwrap();
    let runtime = dir.path().join("weston-run");
    std::fs::create_dir_all(&runtime).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    let weston_log = dir.path().join("weston.log");
    let mut weston = Command::new("weston");
    weston
        .args(["--backend=x11-backend.so", "--output-count=2", "--width=1200", "--height=800", "--use-pixman"])
        .args(["--xwayland", "--socket=wl-two", "--idle-time=0"])
        .arg(format!("--log={}", weston_log.display()))
        .env("DISPLAY", &host)
        .env("XDG_RUNTIME_DIR", &runtime);
    let _weston = spawn(weston, &dir.path().join("weston.out"));
    let mut xwayland = String::new();
    wait_for("XWayland's display", Duration::from_secs(20), || {
        let log = std::fs::read_to_string(&weston_log).unwrap_or_default();
        match log.lines().find_map(|l| l.split("xserver listening on display ").nth(1)) {
            Some(d) => {
                xwayland = d.trim().to_owned();
                true
            }
            None => false,
        }
    });
    let app_log = dir.path().join("app.log");
    let log = std::fs::File::create(&app_log).unwrap();
    let mut app = Command::new(env!("CARGO_BIN_EXE_pomodouroboros"));
    app.args(["--test-day", "--overlay", "--data-dir"])
        .arg(dir.path().join("data"))
        .arg("--config-dir")
        .arg(dir.path().join("config"))
        .env("DISPLAY", &xwayland)
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_RUNTIME_DIR", dir.path())
        .env("WGPU_BACKEND", "vulkan")
        .env("RUST_LOG", "info,wgpu=error,naga=warn")
        .stdout(log.try_clone().unwrap())
        .stderr(log);
    let _app = Reaper(app.spawn().unwrap());
    let read = || std::fs::read_to_string(&app_log).unwrap_or_default();
    wait_for("an overlay on each monitor", Duration::from_secs(60), || {
        read().matches("overlay: on monitor").count() == 2 && read().matches("prepared (above").count() == 2
    });
    // Each output is 1200x800: a bar of 8 px (1 %) and the caption's band, along each bottom edge.
    let log = read();
    assert!(log.contains("at 0,762 1200x38") && log.contains("at 1200,762 1200x38"), "{log}");
}

// The window reaching a user who works in other windows, against real components: a session bus
// with a notification server (dbus-daemon, dunst), a sound server with a null sink, recorded
// (pulseaudio, parec), and a window manager (openbox).

use super::*;

/// Whether every tool is installed: when one is missing the test is skipped, except in CI.
pub(super) fn tools(names: &[&str]) -> bool {
    let missing: Vec<&&str> = names.iter().filter(|t| !have(t)).collect();
    if missing.is_empty() {
        return true;
    }
    let required = std::env::var("POMODOUROBOROS_REQUIRE_WINDOW_TEST").is_ok_and(|v| v == "1");
    assert!(!required, "this test needs {missing:?}: run ./test.sh, which installs them");
    eprintln!("skipped: {missing:?} not installed (./test.sh installs them)");
    false
}

pub(super) fn spawn(mut command: Command, log: &Path) -> Reaper {
    let log = std::fs::File::create(log).unwrap();
    Reaper(command.stdout(log.try_clone().unwrap()).stderr(log).spawn().unwrap())
}

fn wait_for_path(path: &Path) {
    wait_for(&path.display().to_string(), Duration::from_secs(10), || path.exists());
}

/// A session bus of the test's own; its address.
pub(super) fn start_bus(dir: &Path) -> (Reaper, String) {
    let socket = dir.join("bus");
    let address = format!("unix:path={}", socket.display());
    let mut c = Command::new("dbus-daemon");
    c.args(["--session", "--nofork", "--nopidfile", "--address", &address]);
    let bus = spawn(c, &dir.join("dbus.log"));
    wait_for_path(&socket);
    (bus, address)
}

/// A PulseAudio server with one null sink, `test`, the default; its socket.
fn start_pulse(dir: &Path) -> (Reaper, PathBuf) {
    let runtime = dir.join("pulse-run");
    std::fs::create_dir_all(&runtime).unwrap();
    std::fs::set_permissions(&runtime, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let mut c = Command::new("pulseaudio");
    c.args(["-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--system=false"])
        .args(["--load=module-native-protocol-unix", "--load=module-null-sink sink_name=test"])
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("HOME", dir);
    let server = spawn(c, &dir.join("pulse.log"));
    let socket = runtime.join("pulse").join("native");
    wait_for_path(&socket);
    let server_env = format!("unix:{}", socket.display());
    let ok = Command::new("pactl").args(["set-default-sink", "test"]).env("PULSE_SERVER", &server_env).status();
    assert!(ok.is_ok_and(|s| s.success()), "pactl: {}", std::fs::read_to_string(dir.join("pulse.log")).unwrap());
    (server, socket)
}

/// Records the null sink's monitor, mono, 16 bits at 44.1 kHz, into `file`.
fn record(socket: &Path, file: &Path) -> Reaper {
    let mut c = Command::new("parec");
    c.args(["-d", "test.monitor", "--raw", "--format=s16le", "--rate=44100", "--channels=1", "--latency-msec=50"])
        .env("PULSE_SERVER", format!("unix:{}", socket.display()));
    Reaper(c.stdout(std::fs::File::create(file).unwrap()).stderr(Stdio::null()).spawn().unwrap())
}

/// The loudest 100 ms of a recording (RMS, full scale 1), measured by `sox` on each slice.
fn loudest_tenth(file: &Path) -> f64 {
    let bytes = std::fs::read(file).unwrap();
    let samples: Vec<i16> = bytes.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect();
    assert!(samples.len() > 44_100, "a second at least was recorded ({} samples)", samples.len());
    let rms = |slice: &[i16]| {
        (slice.iter().map(|&s| (f64::from(s) / 32768.0).powi(2)).sum::<f64>() / slice.len() as f64).sqrt()
    };
    // The whole recording's RMS from sox, as a check of our own arithmetic.
    let out = Command::new("sox")
        .args(["-t", "raw", "-r", "44100", "-e", "signed", "-b", "16", "-c", "1"])
        .arg(file)
        .args(["-n", "stat"])
        .output()
        .unwrap();
    let stat = String::from_utf8_lossy(&out.stderr);
    let sox_rms: f64 = stat
        .lines()
        .find(|l| l.starts_with("RMS     amplitude"))
        .and_then(|l| l.rsplit(':').next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("sox stat: {stat}"));
    assert!((sox_rms - rms(&samples)).abs() < 0.002, "sox {sox_rms} vs {}", rms(&samples));
    samples.chunks(4410).map(rms).fold(0.0, f64::max)
}

/// The notifications the server was asked to show, in order: (summary, body, action keys), as
/// `dbus-monitor` saw the `Notify` calls on the bus.
fn notify_calls(monitor_log: &Path) -> Vec<(String, String, Vec<String>)> {
    let text = std::fs::read_to_string(monitor_log).unwrap_or_default();
    let strings = |block: &str| -> Vec<String> {
        block
            .lines()
            .filter_map(|l| l.trim().strip_prefix("string \""))
            .map(|s| s.trim_end_matches('"').to_owned())
            .collect()
    };
    text.split("method call")
        .filter(|b| b.contains("member=Notify"))
        .map(|block| {
            // app name, icon, summary, body, then the actions' keys and labels, then hint names.
            let s = strings(block);
            let actions = s
                .get(4..)
                .unwrap_or_default()
                .chunks(2)
                .map(|p| p[0].clone())
                .take_while(|k| k != "suppress-sound" && k != "desktop-entry" && k != "sound-name")
                .collect();
            (s[2].clone(), s[3].clone(), actions)
        })
        .collect()
}

#[test]
fn notifications_and_the_chime_reach_real_servers_and_a_button_rates() {
    if !tools(&["dbus-daemon", "dbus-monitor", "dbus-send", "dunst", "pulseaudio", "pactl", "parec", "sox"]) {
        return;
    }
    let start = |display: &str, dir: &Path| {
        let (bus, address) = start_bus(dir);
        let mut dunst = Command::new("dunst");
        dunst.env("DISPLAY", display).env("DBUS_SESSION_BUS_ADDRESS", &address);
        let dunst = spawn(dunst, &dir.join("dunst.log"));
        let mut monitor = Command::new("dbus-monitor");
        monitor.args(["--address", &address, "interface='org.freedesktop.Notifications'"]);
        let monitor = spawn(monitor, &dir.join("monitor.log"));
        let (pulse, socket) = start_pulse(dir);
        let recorder = record(&socket, &dir.join("sound.raw"));
        Desktop {
            daemons: vec![recorder, monitor, dunst, pulse, bus],
            env: vec![("DBUS_SESSION_BUS_ADDRESS", address), ("PULSE_SERVER", format!("unix:{}", socket.display()))],
        }
    };
    // Four times faster than a test day: pomodoros of 7.5 s, breaks of 2.5 s, a grace of 5 s.
    let Some(running) = launch_beside(None, &["--speed", "4"], "1600x1000", &start) else { return };
    let dir = running.dir.path().to_path_buf();
    running.cli(&["intend", "write the notes"]);
    running.cli(&["plan", "read the replies"]);
    // The first break starts while the window has focus: the user is looking, nothing is sent.
    wait_for("the first break", Duration::from_secs(30), || running.log().contains("not sent: Short break starts"));
    assert!(notify_calls(&dir.join("monitor.log")).is_empty(), "{:?}", notify_calls(&dir.join("monitor.log")));
    let root = Command::new("xwininfo").env("DISPLAY", &running.display).arg("-root").output().unwrap();
    let root = String::from_utf8_lossy(&root.stdout);
    let root = root.split_whitespace().skip_while(|w| *w != "id:").nth(1).expect("the root window's id").to_owned();
    xdotool(&running.display, &["windowfocus", &root]);
    // Pomodoro 2 takes the plan; its break asks for the rating.
    wait_for("the second break's notification", Duration::from_secs(40), || {
        notify_calls(&dir.join("monitor.log")).iter().any(|(summary, ..)| summary.starts_with("Short break"))
    });
    let calls = notify_calls(&dir.join("monitor.log"));
    let summaries: Vec<&str> = calls.iter().map(|(s, ..)| s.as_str()).collect();
    assert_eq!(summaries, ["Pomodoro 2 starts", "Short break starts: 10 s"], "{calls:?}");
    assert_eq!(calls[0].1, "Intention from your plan: “read the replies”.");
    assert_eq!(calls[1].1, "How did “read the replies” go?");
    let achieved = calls[1].2.iter().find(|k| k.ends_with(" 2 achieved")).expect("a rating button").clone();
    assert_eq!(calls[1].2.len(), 5, "Show and four ratings: {:?}", calls[1].2);
    // The server shows it: read it back from dunst.
    let shown = Command::new("dunstctl")
        .arg("count")
        .arg("displayed")
        .env("DBUS_SESSION_BUS_ADDRESS", running.app_env("DBUS_SESSION_BUS_ADDRESS"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&shown.stdout).trim(), "1", "one notification at a time");

    // Pressing "Achieved" (the server's ActionInvoked signal) rates pomodoro 2 in the saved file.
    let id = running
        .log()
        .lines()
        .rev()
        .find_map(|l| l.split("notifications: shown as ").nth(1).map(|n| n.trim().to_owned()));
    let id = id.expect("the notification's id");
    let sent = Command::new("dbus-send")
        .arg(format!("--bus={}", running.app_env("DBUS_SESSION_BUS_ADDRESS")))
        .arg("--type=signal")
        .args(["/org/freedesktop/Notifications", "org.freedesktop.Notifications.ActionInvoked"])
        .arg(format!("uint32:{id}"))
        .arg(format!("string:{achieved}"))
        .status()
        .unwrap();
    assert!(sent.success());
    wait_for("the rating saved", Duration::from_secs(10), || running.saved_day().contains("rating: Some(achieved)"));
    assert!(running.log().contains("“read the replies”: achieved."), "told on screen as if typed");

    // The chimes were played: the recording is loud after the first interval change.
    let loudest = loudest_tenth(&dir.join("sound.raw"));
    assert!(loudest > 0.01, "a chime was recorded (loudest 100 ms: RMS {loudest})");
    running.cli(&["window", "quit"]);
}

#[test]
fn with_sound_off_and_no_bus_nothing_is_played_and_the_day_goes_on() {
    if !tools(&["pulseaudio", "pactl", "parec", "sox"]) {
        return;
    }
    let folders = tempfile::tempdir().unwrap();
    let config = folders.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("settings.ron"), "(version: 1, settings: (sound: false))\n").unwrap();
    let start = |_: &str, dir: &Path| {
        let (pulse, socket) = start_pulse(dir);
        let recorder = record(&socket, &dir.join("sound.raw"));
        Desktop {
            daemons: vec![recorder, pulse],
            env: vec![
                ("PULSE_SERVER", format!("unix:{}", socket.display())),
                ("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", dir.join("no-bus").display())),
            ],
        }
    };
    // Thirty times faster: an interval changes every second or less.
    let Some(mut running) = launch_beside(Some(folders.path()), &["--speed", "30"], "1600x1000", &start) else {
        return;
    };
    let dir = running.dir.path().to_path_buf();
    let starts = |log: String| log.lines().filter(|l| l.contains("shell::notify") && l.contains(" starts")).count();
    wait_for("four interval changes", Duration::from_secs(20), || starts(running.log()) >= 4);
    assert!(running.alive());
    let log = running.log();
    assert_eq!(log.matches("no notification server").count(), 1, "one line at start-up:\n{log}");
    assert!(
        !log.contains("Pomodoro chime") && !log.contains("Break chime"),
        "no chime asked for with sound off:\n{log}"
    );
    let recorded = || std::fs::metadata(dir.join("sound.raw")).map_or(0, |m| m.len());
    wait_for("two seconds recorded", Duration::from_secs(10), || recorded() > 2 * 88_200);
    assert_eq!(loudest_tenth(&dir.join("sound.raw")), 0.0, "silence");
    running.cli(&["window", "quit"]);
}

#[test]
fn the_mini_view_is_undecorated_on_top_dragged_and_reopened_where_left() {
    if !tools(&["openbox", "xprop"]) {
        return;
    }
    let start = |display: &str, dir: &Path| {
        let wm = start_openbox(display, dir);
        Desktop { daemons: vec![wm], env: Vec::new() }
    };
    let folders = tempfile::tempdir().unwrap();
    let Some(mut running) = launch_beside(Some(folders.path()), &["--mini"], "1600x1000", &start) else { return };
    let above = || props(&running).contains("_NET_WM_STATE_ABOVE");
    wait_for("the window manager to keep it above", Duration::from_secs(10), above);
    let p = props(&running);
    assert!(p.contains("_NET_FRAME_EXTENTS(CARDINAL) = 0, 0, 0, 0"), "no decorations: {p}");
    // Openbox shows a sticky window on every desktop.
    assert!(p.contains("_NET_WM_STATE_STICKY") || p.contains("_NET_WM_DESKTOP(CARDINAL) = 4294967295"), "{p}");
    let before = place_of(&running);
    // Drag from the ring's middle, 300 px right and 200 px down.
    let (display, w) = (running.display.clone(), running.window.clone());
    xdotool(&display, &["mousemove", "--window", &w, "140", "140", "mousedown", "1", "sleep", "0.3"]);
    xdotool(&display, &["mousemove_relative", "150", "100", "sleep", "0.2", "mousemove_relative", "150", "100"]);
    xdotool(&display, &["sleep", "0.3", "mouseup", "1"]);
    wait_for("the window to move", Duration::from_secs(5), || place_of(&running) != before);
    let moved = place_of(&running);
    running.cli(&["window", "quit"]);
    wait_for("the window to quit", Duration::from_secs(10), || !running.alive());
    drop(running);

    let Some(again) = launch_beside(Some(folders.path()), &["--mini"], "1600x1000", &start) else { return };
    assert_eq!(place_of(&again), moved, "reopened where it was left");
    assert!(props(&again).contains("_NET_FRAME_EXTENTS(CARDINAL) = 0, 0, 0, 0"));
    again.cli(&["window", "quit"]);
}

/// Starts openbox on `display` and waits until it manages the screen.
pub(super) fn start_openbox(display: &str, dir: &Path) -> Reaper {
    let mut wm = Command::new("openbox");
    wm.env("DISPLAY", display);
    let wm = spawn(wm, &dir.join("openbox.log"));
    wait_for("openbox", Duration::from_secs(10), || {
        let out = Command::new("xprop").env("DISPLAY", display).args(["-root", "_NET_SUPPORTING_WM_CHECK"]).output();
        out.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("window id"))
    });
    wm
}

fn props(running: &Running) -> String {
    let out = Command::new("xprop")
        .env("DISPLAY", &running.display)
        .args(["-id", &running.window, "_NET_WM_STATE", "_NET_FRAME_EXTENTS", "_NET_WM_DESKTOP"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn place_of(running: &Running) -> String {
    let g = xdotool(&running.display, &["getwindowgeometry", &running.window]);
    g.lines()
        .find_map(|l| l.trim().strip_prefix("Position: "))
        .map(|p| p.split(' ').next().unwrap().to_owned())
        .unwrap()
}

/// A sound server run by another user (here `nobody`, so root needs it: skipped otherwise) that
/// refuses clients without its cookie. With no cookie anywhere the chime is not played and the
/// window says why; with the cookie on the X display's root window (where the server's X11
/// module publishes it) the chime plays.
#[test]
fn a_sound_server_that_wants_a_cookie_gets_it_from_the_display_or_the_window_says_why_not() {
    if !tools(&["pulseaudio", "pactl", "setpriv", "xprop"]) {
        return;
    }
    if !Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0") {
        eprintln!("skipped: a sound server of another user needs root to start here");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let server_dir = tempfile::tempdir().unwrap();
    let home = server_dir.path().join("home");
    let run = home.join("run");
    std::fs::create_dir_all(&run).unwrap();
    for dir in [server_dir.path(), &home, &run] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    assert!(Command::new("chown").args(["-R", "65534:65534"]).arg(&home).status().unwrap().success());
    let socket = run.join("native");
    let mut c = Command::new("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "pulseaudio", "-n", "--daemonize=no"])
        .args(["--exit-idle-time=-1", "--use-pid-file=no", "--system=false"])
        .arg(format!("--load=module-native-protocol-unix socket={} auth-anonymous=0", socket.display()))
        .arg("--load=module-null-sink sink_name=test")
        .env("HOME", &home)
        .env("XDG_RUNTIME_DIR", &run);
    let _server = spawn(c, &server_dir.path().join("pulse.log"));
    wait_for_path(&socket);
    let cookie_file = home.join(".config/pulse/cookie");
    wait_for_path(&cookie_file);
    let cookie: String = std::fs::read(&cookie_file).unwrap().iter().map(|b| format!("{b:02x}")).collect();
    // The app's own HOME and config folders hold no cookie.
    let empty = tempfile::tempdir().unwrap();
    let env = vec![
        ("PULSE_SERVER", format!("unix:{}", socket.display())),
        ("HOME", empty.path().display().to_string()),
        ("XDG_CONFIG_HOME", empty.path().join(".config").display().to_string()),
    ];
    let refused = "sound: the chime was not played (the sound server refused the connection";
    // Six times faster than a test day: the first break (and its chime) 5 s after the start.
    let no_cookie = |_: &str, _: &Path| Desktop { daemons: Vec::new(), env: env.clone() };
    let Some(mut running) = launch_beside(None, &["--speed", "6"], "1600x1000", &no_cookie) else { return };
    wait_for("the chime refused, and said", Duration::from_secs(20), || running.log().contains(refused));
    wait_for("the window saying it", Duration::from_secs(5), || {
        running.log().contains("The chime could not be played: the sound server refused the connection")
    });
    running.app.0.kill().unwrap();
    drop(running);

    // Published as the server's X11 module does: a STRING property of hex digits on the root window.
    let published = |display: &str, dir: &Path| {
        // A client that stays, as the server's module does: an X server with no client left
        // resets, and its root window's properties go with it.
        let mut stays = Command::new("xprop");
        stays.env("DISPLAY", display).args(["-root", "-spy", "PULSE_COOKIE"]);
        let stays = spawn(stays, &dir.join("xprop.log"));
        std::thread::sleep(Duration::from_millis(300));
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::{AtomEnum, ConnectionExt, PropMode};
        use x11rb::wrapper::ConnectionExt as _;
        let (conn, screen) = x11rb::connect(Some(display)).unwrap();
        let root = conn.setup().roots[screen].root;
        let atom = conn.intern_atom(false, b"PULSE_COOKIE").unwrap().reply().unwrap().atom;
        conn.change_property8(PropMode::REPLACE, root, atom, AtomEnum::STRING, cookie.as_bytes()).unwrap();
        conn.sync().unwrap();
        Desktop { daemons: vec![stays], env: env.clone() }
    };
    let Some(mut running) = launch_beside(None, &["--speed", "6"], "1600x1000", &published) else { return };
    wait_for("a chime", Duration::from_secs(20), || running.log().contains("sound: Break chime"));
    std::thread::sleep(Duration::from_millis(1500));
    let log = running.log();
    assert!(!log.contains("was not played"), "the cookie from the display was used:\n{log}");
    running.app.0.kill().unwrap();
}

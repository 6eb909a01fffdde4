//! The first day, as a newcomer meets it: the welcome on a first launch, a pomodoro that starts
//! now, the plan edited in place, the ring's colours in help, and a tiny window.

use super::*;

impl Running {
    /// Clicks the middle of where the app last drew `name` (plus `dx` pixels to the right).
    fn click(&self, name: &str, dx: i32) {
        wait_for(name, Duration::from_secs(5), || self.rect(name).is_some());
        let [x0, y0, x1, y1] = self.rect(name).unwrap();
        let x = if dx == 0 { (x0 + x1) / 2 } else { x0 + dx };
        let (x, y) = (x.to_string(), ((y0 + y1) / 2).to_string());
        xdotool(&self.display, &["mousemove", "--window", &self.window, &x, &y, "click", "1"]);
    }
}

/// A first launch (four times faster: the first grace period ends 5 s after the day starts)
/// opens the welcome, not a bill; its button starts a pomodoro once the grace period was missed,
/// and that pomodoro takes an intention. The window's title names its data folder, its class is
/// whole, and help shows the welcome again beside the ring's colours.
#[test]
fn a_first_launch_welcomes_and_a_missed_pomodoro_starts_again_now() {
    let Some(running) = launch_with(&[FIRST_LAUNCH, "--speed", "4"]) else { return };
    let opened = "-> Some(Open(Welcome))";
    wait_for("the welcome", Duration::from_secs(10), || running.log().contains(opened));
    assert!(running.config().join("welcomed").exists(), "shown once: the settings folder notes it");
    assert!(!running.log().contains("while you were away"), "{}", running.log());
    let title = xdotool(&running.display, &["getwindowname", &running.window]);
    assert!(title.trim().ends_with(&format!("({})", running.data().join("test").display())), "{title}");
    let class = || {
        let out = Command::new("xprop")
            .env("DISPLAY", &running.display)
            .args(["-id", &running.window, "WM_CLASS"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    wait_for("the window's class", Duration::from_secs(5), || {
        class().contains("\"pomodouroboros\", \"pomodouroboros\"")
    });
    settle();
    running.shot("first-launch-welcome");
    // The grace period passes with no intention: the welcome offers to start one now.
    running.click("start-now", 0);
    wait_for("a pomodoro started now", Duration::from_secs(10), || running.log().contains("starts now"));
    running.shot("started-now");
    running.keys(&["Escape", "i"]);
    std::thread::sleep(Duration::from_millis(600));
    xdotool(&running.display, &["type", "--delay", "20", "a fresh start"]);
    running.keys(&["Return"]);
    wait_for("the intention saved", Duration::from_secs(5), || running.saved_day().contains("\"a fresh start\""));
    // Help: the ring's colours, and the welcome once more.
    running.keys(&["question"]);
    settle();
    running.shot("help-with-colours");
    running.click("welcome-again", 0);
    wait_for("the welcome again", Duration::from_secs(5), || running.log().matches(opened).count() == 2);
    running.cli(&["window", "quit"]);
}

/// The plan panel edits in place: an item chosen with a click moves up with Alt+Up, ✏ edits it
/// (Enter saves), ✕ takes it out. Then a 300×300 window keeps the ring to the countdown and the
/// pomodoro's number, on one line, above the legend.
#[test]
fn the_plan_is_edited_in_place_and_a_tiny_window_keeps_to_the_countdown() {
    let Some(running) = launch() else { return };
    for text in ["alpha", "beta", "gamma"] {
        running.cli(&["plan", text]);
    }
    running.keys(&["p"]);
    wait_for("the third item", Duration::from_secs(10), || running.rect("plan-3").is_some());
    settle();
    running.click("plan-3", 40);
    running.keys(&["alt+Up", "alt+Up"]);
    wait_for("gamma first", Duration::from_secs(5), || running.cli(&["plan"]) == "1. gamma\n2. alpha\n3. beta\n");
    running.click("plan-edit-1", 0);
    std::thread::sleep(Duration::from_millis(400));
    running.keys(&["ctrl+a"]);
    xdotool(&running.display, &["type", "--delay", "20", "gamma, edited"]);
    running.shot("plan-panel-editing");
    running.keys(&["Return"]);
    wait_for("the edit saved", Duration::from_secs(5), || running.cli(&["plan"]).starts_with("1. gamma, edited\n"));
    running.click("plan-remove-1", 0);
    wait_for("the item out", Duration::from_secs(5), || running.cli(&["plan"]) == "1. alpha\n2. beta\n");
    running.keys(&["Escape"]);

    xdotool(&running.display, &["windowsize", &running.window, "300", "300"]);
    settle();
    settle();
    let shot = running.shot("tiny-300x300");
    let (w, h) = shot.dimensions();
    assert!(w <= 320 && h <= 320, "{w}x{h}");
    let title = running.rect("title").unwrap();
    let countdown = running.rect("countdown").unwrap();
    assert!(title[3] - title[1] < 24, "the title on one line: {title:?}");
    assert!(title[3] <= countdown[1] + 2, "the title above the countdown: {title:?} {countdown:?}");
    let legend = running.rect("legend").unwrap();
    assert!(legend[3] <= h as i32 && countdown[3] < legend[1], "{countdown:?} above the legend {legend:?}");
    running.cli(&["window", "quit"]);
}

/// A first window on a 1366×768 screen under openbox, with a 60 px panel along the bottom (a dock
/// window reserving it, as desktop panels do): the window, title bar and border included, lies
/// within the work area the window manager reports.
#[test]
fn the_first_window_fits_the_work_area_frame_and_panel_included() {
    if !companion::tools(&["openbox", "xprop", "xmessage"]) {
        return;
    }
    let start = |display: &str, dir: &Path| {
        let wm = companion::start_openbox(display, dir);
        let panel = Command::new("xmessage")
            .env("DISPLAY", display)
            .args(["-geometry", "1366x60+0+708", "-name", "panel", "a panel"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let panel = Reaper(panel);
        let mut id = String::new();
        wait_for("the panel", Duration::from_secs(10), || {
            id = xdotool(display, &["search", "--classname", "^panel$"]).lines().next().unwrap_or("").to_owned();
            !id.is_empty()
        });
        let set = |args: &[&str]| {
            Command::new("xprop").env("DISPLAY", display).args(["-id", &id]).args(args).status().unwrap();
        };
        set(&["-f", "_NET_WM_STRUT_PARTIAL", "32c", "-set", "_NET_WM_STRUT_PARTIAL", "0,0,0,60,0,0,0,0,0,0,0,1365"]);
        set(&["-f", "_NET_WM_STRUT", "32c", "-set", "_NET_WM_STRUT", "0,0,0,60"]);
        wait_for("the work area to leave the panel out", Duration::from_secs(10), || {
            let out = Command::new("xprop").env("DISPLAY", display).args(["-root", "_NET_WORKAREA"]).output().unwrap();
            String::from_utf8_lossy(&out.stdout).contains("= 0, 0, 1366, 708")
        });
        Desktop { daemons: vec![panel, wm], env: Vec::new() }
    };
    let Some(running) = launch_beside(None, &[], "1366x768", &start) else { return };
    wait_for("the fit", Duration::from_secs(10), || running.log().contains("fitted to the work area"));
    settle();
    let extents = Command::new("xprop")
        .env("DISPLAY", &running.display)
        .args(["-id", &running.window, "_NET_FRAME_EXTENTS"])
        .output()
        .unwrap();
    let extents = String::from_utf8_lossy(&extents.stdout).into_owned();
    let [left, right, top, bottom]: [i32; 4] = extents
        .rsplit('=')
        .next()
        .unwrap()
        .split(',')
        .map(|n| n.trim().parse().unwrap())
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    assert!(top > 0, "openbox draws a title bar: {extents}");
    // xwininfo: the window's own place on the screen (xdotool counts the frame's offset twice).
    let info = Command::new("xwininfo").env("DISPLAY", &running.display).args(["-id", &running.window]).output();
    let info = String::from_utf8_lossy(&info.unwrap().stdout).into_owned();
    let field = |name: &str| -> i32 {
        info.lines().find_map(|l| l.trim().strip_prefix(name)).and_then(|v| v.trim().parse().ok()).unwrap()
    };
    let (x, y) = (field("Absolute upper-left X:"), field("Absolute upper-left Y:"));
    let (w, h) = (field("Width:"), field("Height:"));
    let outer = [x - left, y - top, x + w + right, y + h + bottom];
    assert!(outer[0] >= 0 && outer[1] >= 0 && outer[2] <= 1366 && outer[3] <= 708, "{outer:?} in 1366x708 ({info})");
    running.shot("first-window-1366x768-with-a-panel");
    running.cli(&["window", "quit"]);
}

/// Clear words: Enter saves the settings; a refusal of empty text goes once the box holds text; a
/// box at its 280-character limit says so.
#[test]
fn enter_saves_the_settings_and_the_boxes_say_what_they_take() {
    let Some(running) = launch() else { return };
    running.keys(&["comma"]);
    settle();
    running.keys(&["Return"]);
    wait_for("Enter to save the settings", Duration::from_secs(5), || running.log().contains("Settings saved."));
    running.keys(&["Escape", "p"]);
    settle();
    running.keys(&["Return"]);
    wait_for("the refusal of empty text", Duration::from_secs(5), || running.log().contains("the text is empty"));
    wait_for("the refusal shown", Duration::from_secs(5), || {
        running.rect("panel-message").is_some_and(|r| r != [0; 4])
    });
    running.keys(&["x"]);
    wait_for("the stale refusal gone", Duration::from_secs(5), || running.rect("panel-message") == Some([0; 4]));
    running.keys(&["BackSpace", "Escape", "i"]);
    settle();
    xdotool(&running.display, &["type", "--delay", "0", &"w".repeat(285)]);
    wait_for("the limit said", Duration::from_secs(10), || running.rect("at-the-limit").is_some());
    running.cli(&["window", "quit"]);
}

/// Away from the keyboard for real (no input under Xvfb, read through MIT-SCREEN-SAVER): on a test
/// day the 5-minute threshold is 6 s; a mouse move brings the user back, and the away panel tells
/// the stretch once, with the pomodoro it overlapped to rate.
#[test]
fn a_return_from_a_coffee_break_is_told_once() {
    let folders = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(folders.path().join("config")).unwrap();
    std::fs::write(folders.path().join("config/settings.ron"), "(version: 1, settings: (away_minutes: 5))").unwrap();
    let Some(running) = launch_on(Some(folders.path()), &[]) else { return };
    running.cli(&["intend", "write while nobody watches"]);
    wait_for("away from the keyboard", Duration::from_secs(15), || {
        running.log().contains("away from the keyboard since")
    });
    xdotool(&running.display, &["mousemove", "--window", &running.window, "200", "200"]);
    wait_for("the return told", Duration::from_secs(10), || running.log().contains("back at the keyboard: away"));
    wait_for("the away panel", Duration::from_secs(5), || running.log().contains("-> Some(Open(Away))"));
    settle();
    running.shot("back-from-a-coffee-break");
    assert_eq!(running.log().matches("back at the keyboard").count(), 1, "{}", running.log());
    running.keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(running.log().matches("-> Some(Open(Away))").count(), 1, "told once");
    running.cli(&["window", "quit"]);
}

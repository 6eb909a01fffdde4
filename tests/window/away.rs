// Away from the keyboard through the desktop's own services on a private session bus, played by
// the test (a screen saver that says the screen is locked), under Xvfb; GNOME's idle monitor is
// played in the Wayland test (wayland.rs).

use super::companion::{start_bus, tools};
use super::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// `org.freedesktop.ScreenSaver` as KDE, XFCE and others serve it: whether the screen is locked.
struct ScreenSaver {
    active: Arc<AtomicBool>,
}

#[zbus::interface(name = "org.freedesktop.ScreenSaver")]
impl ScreenSaver {
    fn get_active(&self) -> bool {
        self.active.load(Ordering::SeqCst)
    }
}

/// A locked screen is being away at once, whatever the idle time says (the mouse moves all along
/// here); unlocked and touched, the user is back, and the away panel tells the stretch once.
#[test]
fn a_locked_screen_is_being_away() {
    if !tools(&["dbus-daemon"]) {
        return;
    }
    let folders = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(folders.path().join("config")).unwrap();
    std::fs::write(folders.path().join("config/settings.ron"), "(version: 1, settings: (away_minutes: 5))").unwrap();
    let active = Arc::new(AtomicBool::new(false));
    let saver: std::sync::Mutex<Option<zbus::Connection>> = std::sync::Mutex::new(None);
    let start = |_: &str, dir: &Path| {
        let (bus, address) = start_bus(dir);
        let conn = zbus::block_on(
            zbus::connection::Builder::address(address.as_str())
                .name("org.freedesktop.ScreenSaver")
                .serve_at("/org/freedesktop/ScreenSaver", ScreenSaver { active: active.clone() })
                .build(),
        )
        .expect("the screen saver on the test's bus");
        *saver.lock().unwrap() = Some(conn);
        Desktop { daemons: vec![bus], env: vec![("DBUS_SESSION_BUS_ADDRESS", address)] }
    };
    let Some(running) = launch_beside(Some(folders.path()), &[], "1600x1000", &start) else { return };
    wait_for("the screen lock found", Duration::from_secs(10), || {
        running.log().contains("a locked screen counts as away (org.freedesktop.ScreenSaver)")
    });
    running.cli(&["intend", "read with the screen locked"]);
    // The mouse moves every half second: the idle time never reaches the 6 s of a test day.
    let moving = Arc::new(AtomicBool::new(true));
    let mover = {
        let (moving, display, window) = (moving.clone(), running.display.clone(), running.window.clone());
        std::thread::spawn(move || {
            let mut x = 100;
            while moving.load(Ordering::SeqCst) {
                x = if x == 100 { 140 } else { 100 };
                xdotool(&display, &["mousemove", "--window", &window, &x.to_string(), "100"]);
                std::thread::sleep(Duration::from_millis(500));
            }
        })
    };
    std::thread::sleep(Duration::from_secs(2));
    assert!(!running.log().contains("away from the keyboard since"), "present while the mouse moves");
    active.store(true, Ordering::SeqCst);
    wait_for("away with the screen locked", Duration::from_secs(10), || {
        running.log().contains("away from the keyboard since")
    });
    active.store(false, Ordering::SeqCst);
    wait_for("back once unlocked", Duration::from_secs(10), || running.log().contains("back at the keyboard: away"));
    moving.store(false, Ordering::SeqCst);
    mover.join().unwrap();
    wait_for("the away panel", Duration::from_secs(5), || running.log().contains("-> Some(Open(Away))"));
    assert_eq!(running.log().matches("back at the keyboard").count(), 1, "{}", running.log());
    running.cli(&["window", "quit"]);
}

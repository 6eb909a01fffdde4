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

/// logind's session, as far as a screen lock goes: its `LockedHint` property.
struct Session {
    locked: Arc<AtomicBool>,
}

#[zbus::interface(name = "org.freedesktop.login1.Session")]
impl Session {
    #[zbus(property)]
    fn locked_hint(&self) -> bool {
        self.locked.load(Ordering::SeqCst)
    }
}

/// A locked screen is being away at once, whatever the idle time says (the mouse moves all along
/// here), whether the screen saver or logind says so; unlocked, the user is back, and the away
/// panel tells the stretch.
#[test]
fn a_locked_screen_is_being_away() {
    if !tools(&["dbus-daemon"]) {
        return;
    }
    let folders = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(folders.path().join("config")).unwrap();
    std::fs::write(folders.path().join("config/settings.ron"), "(version: 1, settings: (away_minutes: 5))").unwrap();
    let (active, locked) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicBool::new(false)));
    let services: std::sync::Mutex<Vec<zbus::Connection>> = std::sync::Mutex::new(Vec::new());
    let start = |_: &str, dir: &Path| {
        for bus in ["session", "system"] {
            std::fs::create_dir_all(dir.join(bus)).unwrap();
        }
        let (session, address) = start_bus(&dir.join("session"));
        let (system, system_address) = start_bus(&dir.join("system"));
        let saver = zbus::connection::Builder::address(address.as_str())
            .name("org.freedesktop.ScreenSaver")
            .serve_at("/org/freedesktop/ScreenSaver", ScreenSaver { active: active.clone() });
        let logind = zbus::connection::Builder::address(system_address.as_str())
            .name("org.freedesktop.login1")
            .serve_at("/org/freedesktop/login1/session/auto", Session { locked: locked.clone() });
        for service in [saver, logind] {
            services.lock().unwrap().push(zbus::block_on(service.build()).expect("a service on the test's bus"));
        }
        Desktop {
            daemons: vec![session, system],
            env: vec![("DBUS_SESSION_BUS_ADDRESS", address), ("DBUS_SYSTEM_BUS_ADDRESS", system_address)],
        }
    };
    let Some(running) = launch_beside(Some(folders.path()), &[], "1600x1000", &start) else { return };
    wait_for("the screen lock found", Duration::from_secs(10), || {
        running.log().contains("a locked screen counts as away (org.freedesktop.ScreenSaver, org.freedesktop.login1)")
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
    // Locked, as the screen saver says, then as logind says.
    for (n, lock) in [&active, &locked].into_iter().enumerate() {
        lock.store(true, Ordering::SeqCst);
        wait_for("away with the screen locked", Duration::from_secs(10), || {
            running.log().matches("away from the keyboard since").count() == n + 1
        });
        lock.store(false, Ordering::SeqCst);
        wait_for("back once unlocked", Duration::from_secs(10), || {
            running.log().matches("back at the keyboard: away").count() == n + 1
        });
    }
    moving.store(false, Ordering::SeqCst);
    mover.join().unwrap();
    wait_for("the away panel", Duration::from_secs(5), || running.log().contains("-> Some(Open(Away))"));
    running.cli(&["window", "quit"]);
}

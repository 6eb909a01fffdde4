//! Headless apps never reach a desktop server: the core plugins hand notifications and chimes to
//! messages, and only the windowed app starts the clients that send them on. Here the session bus
//! and the sound server are sockets this test listens on, and a work day's first half hour, full
//! of notifications and chimes, must not open a connection to either. (Its own binary: the
//! environment is set before anything else runs.)

use bevy::prelude::*;
use jiff::SignedDuration;
use jiff::tz::TimeZone;
use pomodouroboros::day::{ManualClock, Settings};
use pomodouroboros::shell::notify::Notify;
use pomodouroboros::shell::sound::Ring;
use pomodouroboros::testing::{Recorded, advance, headless_with, memory_session};
use std::os::unix::net::UnixListener;
use std::time::Duration;

#[test]
fn the_core_plugins_open_no_connection_to_a_bus_or_a_sound_server() {
    let dir = tempfile::tempdir().unwrap();
    let (bus_path, pulse_path) = (dir.path().join("bus"), dir.path().join("pulse"));
    let bus = UnixListener::bind(&bus_path).unwrap();
    let pulse = UnixListener::bind(&pulse_path).unwrap();
    bus.set_nonblocking(true).unwrap();
    pulse.set_nonblocking(true).unwrap();
    // SAFETY: this binary's only test sets them before any thread of its own starts.
    unsafe {
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", bus_path.display()));
        std::env::set_var("PULSE_SERVER", format!("unix:{}", pulse_path.display()));
    }
    let start = "2026-11-24T08:59:59".parse::<jiff::civil::DateTime>().unwrap().to_zoned(TimeZone::UTC).unwrap();
    let clock = ManualClock::new(start.timestamp());
    let mut app = headless_with(memory_session(&clock, Settings::default()));
    Recorded::<Notify>::record(&mut app);
    Recorded::<Ring>::record(&mut app);
    app.update();
    for _ in 0..(31 * 60 / 5) {
        advance(&mut app, &clock, Duration::from_secs(5));
    }
    assert_eq!(clock_now(&clock), start.timestamp() + SignedDuration::from_secs(31 * 60));
    // The day did ask for notifications and chimes…
    assert!(Recorded::<Notify>::of(&app).len() >= 3, "{:?}", Recorded::<Notify>::of(&app));
    assert!(Recorded::<Ring>::of(&app).len() >= 3, "{:?}", Recorded::<Ring>::of(&app));
    drop(app);
    // …and nothing knocked on either door (a client thread would have by now).
    std::thread::sleep(Duration::from_millis(300));
    for (name, listener) in [("session bus", &bus), ("sound server", &pulse)] {
        match listener.accept() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Ok(_) => panic!("a headless app connected to the {name}"),
            Err(e) => panic!("the {name}'s socket: {e}"),
        }
    }
}

fn clock_now(clock: &ManualClock) -> jiff::Timestamp {
    use pomodouroboros::day::Clock;
    clock.now()
}

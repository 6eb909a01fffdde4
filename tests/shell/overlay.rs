// The overlay's windows follow the monitors Bevy lists: one each, placed in its area, added and
// removed as monitors come and go, placed anew when a resolution changes. (Xvfb offers one
// monitor; here the monitors are made up, as the windowing system would report them.)

use bevy::prelude::*;
use bevy::window::{Monitor, Window, WindowPosition};
use jiff::Timestamp;
use pomodouroboros::day::{ManualClock, Settings};
use pomodouroboros::shell::overlay::{OverlayAtLaunch, OverlayWindow, follow_monitors};
use pomodouroboros::testing::{headless_with, memory_session};

fn monitor(name: &str, x: i32, y: i32, width: u32, height: u32) -> Monitor {
    Monitor {
        name: Some(name.into()),
        physical_height: height,
        physical_width: width,
        physical_position: IVec2::new(x, y),
        refresh_rate_millihertz: None,
        scale_factor: 1.0,
        video_modes: Vec::new(),
    }
}

/// Each overlay's monitor name and window place and size, in the monitors' order.
fn overlays(app: &mut App) -> Vec<(IVec2, Vec2)> {
    let mut q = app.world_mut().query::<(&OverlayWindow, &Window)>();
    let mut found: Vec<(IVec2, Vec2)> = q
        .iter(app.world())
        .map(|(_, w)| {
            let at = match w.position {
                WindowPosition::At(at) => at,
                _ => IVec2::splat(-1),
            };
            (at, Vec2::new(w.resolution.physical_width() as f32, w.resolution.physical_height() as f32))
        })
        .collect();
    found.sort_by_key(|(at, _)| (at.x, at.y));
    found
}

#[test]
fn one_overlay_per_monitor_placed_in_its_area_following_changes() {
    let start: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
    let clock = ManualClock::new(start);
    let mut app = headless_with(memory_session(&clock, Settings::default()));
    app.insert_resource(OverlayAtLaunch(Some(true)));
    app.add_systems(Update, follow_monitors);
    let left = app.world_mut().spawn(monitor("left", 0, 0, 1920, 1080)).id();
    let right = app.world_mut().spawn(monitor("right", 1920, 120, 1366, 768)).id();
    app.update();
    // The default bar along each bottom edge: 1 % of the height (at least 6 px) and the caption's band.
    assert_eq!(
        overlays(&mut app),
        [
            (IVec2::new(0, 1080 - 40), Vec2::new(1920.0, 40.0)),
            (IVec2::new(1920, 120 + 768 - 37), Vec2::new(1366.0, 37.0))
        ]
    );
    // A resolution changes: placed anew, nothing added.
    app.world_mut().entity_mut(right).insert(monitor("right", 1920, 0, 2560, 1440));
    app.update();
    assert_eq!(overlays(&mut app)[1], (IVec2::new(1920, 1440 - 44), Vec2::new(2560.0, 44.0)));
    // A monitor goes: its overlay goes; it comes back: so does its overlay.
    app.world_mut().entity_mut(left).despawn();
    app.update();
    app.update();
    assert_eq!(overlays(&mut app).len(), 1);
    app.world_mut().spawn(monitor("left again", 0, 0, 1920, 1080));
    app.update();
    assert_eq!(overlays(&mut app).len(), 2);
}

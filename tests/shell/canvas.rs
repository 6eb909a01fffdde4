//! The sneks' pixel-art canvas in a headless app with images and the sprite sheets (no
//! renderer): it takes over from the sprites at its threshold and gives them back, and after a
//! stall it shows every snek where it would have been, as the sprites do.

use super::{press, step, tick};
use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use bevy::window::PrimaryWindow;
use pomodouroboros::shell::core_plugin;
use pomodouroboros::shell::sneks::canvas::{CanvasFrom, SnekCanvas, canvas_size};
use pomodouroboros::shell::sneks::{Snek, SnekRng, position_of};
use rand::SeedableRng;
use rand::rngs::SmallRng;
use std::time::Duration;

const WINDOW: Vec2 = Vec2::new(1280.0, 800.0);

/// A headless app with images and a 1280×800 primary window, painting sneks from `from` on.
fn app(seed: u64, from: usize) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, bevy::input::InputPlugin, AssetPlugin::default(), ImagePlugin::default()));
    app.world_mut()
        .spawn((Window { resolution: (WINDOW.x as u32, WINDOW.y as u32).into(), ..default() }, PrimaryWindow));
    app.init_asset::<TextureAtlasLayout>();
    app.add_plugins((core_plugin, pomodouroboros::shell::sprites::plugin));
    app.insert_resource(SnekRng(SmallRng::seed_from_u64(seed)));
    app.insert_resource(CanvasFrom(from));
    app.insert_resource(TimeUpdateStrategy::ManualDuration(tick()));
    app.update();
    app
}

/// The canvas's pixels.
fn canvas(app: &App) -> Vec<u8> {
    let handle = &app.world().resource::<SnekCanvas>().image;
    let image = app.world().resource::<Assets<Image>>().get(handle).expect("the canvas's image");
    assert_eq!(image.size(), canvas_size(WINDOW), "the canvas fits the window");
    image.data.clone().expect("the canvas keeps its pixels")
}

/// How many times this update handed the canvas's image to the renderer (changed it).
fn uploads(app: &App) -> usize {
    let id = app.world().resource::<SnekCanvas>().image.id();
    let events = app.world().resource::<Messages<AssetEvent<Image>>>();
    events.iter_current_update_messages().filter(|event| event.is_modified(id)).count()
}

/// Whether the canvas's quad shows in the window.
fn quad_shown(app: &mut App) -> bool {
    let mut quads = app.world_mut().query::<(&Name, &Visibility)>();
    let (_, visibility) =
        quads.iter(app.world()).find(|(name, _)| name.as_str() == "Snek canvas").expect("the canvas's quad");
    *visibility != Visibility::Hidden
}

fn hidden_sprites(app: &mut App) -> usize {
    let mut sneks = app.world_mut().query_filtered::<&Visibility, With<Snek>>();
    sneks.iter(app.world()).filter(|v| **v == Visibility::Hidden).count()
}

#[test]
fn the_canvas_takes_the_sneks_from_its_threshold_on_and_gives_them_back() {
    let mut app = app(11, 3);
    press(&mut app, "s");
    press(&mut app, "s");
    assert!(!app.world().resource::<SnekCanvas>().in_use, "two sneks are sprites");
    assert_eq!(hidden_sprites(&mut app), 0);
    assert!(!quad_shown(&mut app));
    press(&mut app, "s");
    assert!(app.world().resource::<SnekCanvas>().in_use, "the third brings the canvas");
    assert_eq!(hidden_sprites(&mut app), 3, "and hides their sprites");
    assert!(quad_shown(&mut app), "the canvas shows in the window");
    let painted = canvas(&app).chunks_exact(4).filter(|p| p[3] > 0).count();
    assert!(painted > 3 * 50, "three sneks painted: {painted} pixels");
    // Moving sneks are painted and uploaded every frame; still ones are not uploaded again.
    step(&mut app, Duration::from_millis(100));
    assert_eq!(uploads(&app), 1, "the sneks moved: painted again");
    app.world_mut().resource_mut::<Time<Virtual>>().pause();
    for _ in 0..3 {
        step(&mut app, tick());
        assert_eq!(uploads(&app), 0, "nothing moved: nothing uploaded");
    }
    app.world_mut().resource_mut::<Time<Virtual>>().unpause();
    for _ in 0..30 {
        step(&mut app, tick());
    }
    press(&mut app, "d");
    assert!(!app.world().resource::<SnekCanvas>().in_use, "two left: sprites again");
    assert_eq!(hidden_sprites(&mut app), 0);
    assert!(!quad_shown(&mut app));
    // Shown where their sneks are now, in the very frame they show again (not where they were
    // hidden half a second ago).
    let arena = *app.world().resource::<pomodouroboros::shell::sneks::Arena>();
    let mut sneks = app.world_mut().query::<(&Snek, &Transform)>();
    for (snek, transform) in sneks.iter(app.world()) {
        assert_eq!(transform.translation.truncate(), position_of(snek, &arena));
    }
}

#[test]
fn after_a_stall_the_canvas_shows_every_snek_where_it_would_have_been() {
    for ms in [17, 250, 999, 5_000] {
        let mut smooth = app(12, 1);
        let mut stalled = app(12, 1);
        for app in [&mut smooth, &mut stalled] {
            for key in ["s", "S", "s", "S", "s"] {
                press(app, key);
            }
        }
        let stall = Duration::from_millis(ms);
        let ticks = stall.as_nanos().div_ceil(tick().as_nanos()) as u32 + 10;
        for _ in 0..ticks {
            step(&mut smooth, tick());
        }
        step(&mut stalled, stall);
        let left = tick() * ticks - stall;
        if !left.is_zero() {
            step(&mut stalled, left);
        }
        let (a, b) = (canvas(&smooth), canvas(&stalled));
        assert!(a.chunks_exact(4).any(|p| p[3] > 0), "sneks painted");
        assert!(a == b, "after a {ms} ms stall the canvas differs");
    }
}

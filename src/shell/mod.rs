//! The imperative shell: the Bevy app. Each feature is a plugin in its own module with a
//! `plugin(app)` function; the data flows one way, from the wall clock through the day engine to
//! what is drawn and saved, while keys and panels call the engine through [`today::Today`].

pub mod actions;
pub mod afk;
pub mod bench;
pub mod executor;
pub mod face;
pub mod input;
pub mod legacy;
pub mod message_line;
pub mod mini;
pub mod notify;
pub mod overlay;
pub mod past_days;
pub mod persist;
pub mod platform;
pub mod power;
pub mod quit;
pub mod remote;
pub mod ring;
pub mod screen;
pub mod signals;
pub mod sneks;
pub mod sound;
pub mod sprites;
pub mod today;
pub mod tray;
pub mod ui;
pub mod unseen;
pub mod visibility;
pub mod welcome;
pub mod window;
pub mod worker;
pub mod zone;

use bevy::prelude::*;

use crate::session::Session;
pub use window::ViewMode;

/// App-wide system sets, run in this order within `Update`.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppSystems {
    /// Move the day to the wall clock; pick up other processes' changes.
    TickClock,
    /// Turn keys into actions.
    RecordInput,
    /// Apply actions and advance the world.
    Update,
    /// Bring what is drawn up to date.
    Present,
}

/// Everything that does not need a window or a GPU: the day, input and actions. Headless tests
/// add this to `MinimalPlugins` (it brings Bevy's states with it when they are not there yet).
pub fn core_plugin(app: &mut App) {
    if !app.is_plugin_added::<bevy::state::app::StatesPlugin>() {
        app.add_plugins(bevy::state::app::StatesPlugin);
    }
    app.configure_sets(
        Update,
        (AppSystems::TickClock, AppSystems::RecordInput, AppSystems::Update, AppSystems::Present).chain(),
    );
    app.add_systems(Update, apply_state_changes.after(AppSystems::Update).before(AppSystems::Present));
    app.add_plugins((
        face::plugin,
        visibility::plugin,
        today::plugin,
        actions::plugin,
        persist::plugin,
        message_line::plugin,
        unseen::plugin,
        zone::plugin,
        input::plugin,
        sneks::plugin,
        quit::plugin,
        power::plugin,
        past_days::plugin,
        notify::plugin,
        sound::plugin,
    ));
    app.add_plugins(afk::plugin);
}

/// Runs after the actions, before anything is laid out or drawn: the panel or view they asked for
/// is entered now (with its enter and exit work), not at the next frame, so this frame draws it.
pub(crate) fn apply_state_changes(world: &mut World) {
    let _ = world.try_run_schedule(bevy::state::state::StateTransition);
}

/// The whole app on top of Bevy's default plugins.
pub fn plugin(app: &mut App) {
    app.add_plugins(core_plugin);
    app.add_plugins((
        sprites::plugin,
        window::plugin,
        screen::plugin,
        ring::plugin,
        ui::plugin,
        signals::plugin,
        remote::plugin,
        mini::plugin,
        platform::plugin,
        overlay::plugin,
        welcome::plugin,
        tray::plugin,
    ));
}

/// Opens the window and runs until the user quits; `launched` is when the process started.
pub fn run(
    session: Session,
    view: ViewMode,
    overlay: Option<bool>,
    launched: std::time::Instant,
    bench: Option<bench::Bench>,
    claimed: Option<crate::desktop::instance::Instance>,
) -> AppExit {
    let mut app = App::new();
    if let Some(instance) = claimed {
        app.insert_resource(remote::Claimed(instance));
    }
    let dirs = &session.dirs;
    legacy::adopt(&crate::store::window_places_path(&dirs.state), &crate::store::window_places_path(&dirs.config));
    let places = window::Places { state: dirs.state.clone(), places: crate::store::load_window_places(&dirs.state) };
    let usual = crate::store::Dirs::resolve(&crate::store::DirFlags::default(), |_| None)
        .map(|d| vec![d.data.join(crate::store::TEST_DAY_DIR), d.data])
        .unwrap_or_default();
    let home = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
    let title = window::title_for(&session.dirs.data, &usual, home.as_deref());
    let mut window = window::primary_window_plugin(view, &places.places, title);
    if bench.is_some()
        && let Some(w) = window.primary_window.as_mut()
    {
        w.present_mode = bevy::window::PresentMode::AutoNoVsync;
    }
    app.add_plugins(
        DefaultPlugins
            .build()
            // Rendering on the frame's thread: the app's world is small, so a render thread
            // overlaps nothing and only adds a hand-over each frame. Measured (release, 1280×800,
            // three runs each): a 1-snek frame 11.6 against 12.1 ms of the app's CPU (see the
            // README).
            .disable::<bevy::render::pipelined_rendering::PipelinedRenderingPlugin>()
            .set(window)
            .set(ImagePlugin::default_nearest())
            // sctk_adwaita (Wayland's client-side title bar) logs an ERROR whenever no desktop
            // settings portal answers within 100 ms, as under a bare compositor: nothing is wrong.
            .set(bevy::log::LogPlugin { filter: "wgpu=error,naga=warn,sctk_adwaita::config=off".into(), ..default() }),
    );
    app.add_plugins(bevy_egui::EguiPlugin::default());
    // The window's camera carries egui's context (see `window::spawn_camera`), not whichever camera
    // comes first: an overlay's may.
    app.insert_resource(bevy_egui::EguiGlobalSettings { auto_create_primary_context: false, ..default() });
    app.insert_resource(today::Today::new(session));
    app.insert_state(view);
    app.insert_resource(places);
    app.insert_resource(window::Launched(launched));
    app.insert_resource(overlay::OverlayAtLaunch(overlay));
    app.add_plugins(plugin);
    if let Some(bench) = bench {
        app.insert_resource(bench);
        app.add_plugins(bench::plugin);
        // Measure drawing flat out, never asleep.
        app.insert_resource(face::KeepDrawing(true));
    }
    app.add_plugins(executor::SingleThreaded);
    app.run()
}

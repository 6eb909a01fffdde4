//! The window: windowed, fullscreen or a small always-on-top view; quitting.

use bevy::core_pipeline::tonemapping::DebandDither;
use bevy::prelude::*;
use bevy::window::{MonitorSelection, PresentMode, PrimaryWindow, WindowLevel, WindowMode, WindowResolution};

use super::AppSystems;
use super::input::Action;

/// The normal window's size, in logical pixels.
pub const WINDOWED_SIZE: (u32, u32) = (1280, 800);
/// The mini view's size.
pub const MINI_SIZE: (u32, u32) = (280, 280);
/// The window's title.
pub const TITLE: &str = "Pomodouroboros";

/// How the window is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ViewMode {
    #[default]
    Windowed,
    Fullscreen,
    /// Small, always on top, ring only.
    Mini,
}

/// When the process started, to report the time to the first frame.
#[derive(Resource, Debug, Clone, Copy)]
pub struct Launched(pub std::time::Instant);

/// The view the window is in now.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct View(pub ViewMode);

/// The primary window as a view mode wants it.
pub fn primary_window_plugin(view: ViewMode) -> WindowPlugin {
    // The class (X11) and app id (Wayland) match the desktop entry, so docks group the window with it.
    let mut window = Window {
        title: TITLE.into(),
        name: Some(crate::desktop::APP_ID.into()),
        resizable: true,
        present_mode: PresentMode::AutoVsync,
        ..default()
    };
    shape_window(&mut window, view);
    WindowPlugin { primary_window: Some(window), ..default() }
}

fn shape_window(window: &mut Window, view: ViewMode) {
    let (size, level, mode) = match view {
        ViewMode::Windowed => (WINDOWED_SIZE, WindowLevel::Normal, WindowMode::Windowed),
        ViewMode::Fullscreen => {
            (WINDOWED_SIZE, WindowLevel::Normal, WindowMode::BorderlessFullscreen(MonitorSelection::Current))
        }
        ViewMode::Mini => (MINI_SIZE, WindowLevel::AlwaysOnTop, WindowMode::Windowed),
    };
    window.resolution = WindowResolution::new(size.0, size.1);
    window.window_level = level;
    window.mode = mode;
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<View>();
    app.insert_resource(ClearColor(super::ring::mesh::palette::BACKGROUND.into()));
    app.add_systems(Startup, spawn_camera);
    app.add_systems(Last, report_first_frame);
    app.add_systems(Update, switch_view.in_set(AppSystems::Update));
}

/// Quitting needs no window: headless apps quit on `q` too.
pub(super) fn quit_plugin(app: &mut App) {
    app.add_systems(Update, quit.in_set(AppSystems::Update));
}

/// Runs once: one 2D camera, one world unit per logical pixel, origin at the window's centre.
/// No multisampling or dithering: flat colours and pixel art need neither, and on a software
/// rasterizer both are paid for on each pixel of each sprite. (Tone mapping stays, set to none:
/// without the component Bevy's 2D pipelines draw nothing.)
fn spawn_camera(mut commands: Commands) {
    commands.spawn((Name::new("Camera"), Camera2d, Msaa::Off, DebandDither::Disabled));
}

/// Runs with the other actions; the day is saved in `Last` as the app exits.
fn quit(mut actions: MessageReader<Action>, mut exit: MessageWriter<AppExit>) {
    if actions.read().any(|a| *a == Action::Quit) {
        exit.write(AppExit::Success);
    }
}

/// Runs with the other actions: `f` and `m` toggle fullscreen and the mini view.
fn switch_view(
    mut actions: MessageReader<Action>,
    mut view: ResMut<View>,
    mut window: Query<&mut Window, With<PrimaryWindow>>,
) {
    for action in actions.read() {
        let next = match (action, view.0) {
            (Action::ToggleFullscreen, ViewMode::Fullscreen) => ViewMode::Windowed,
            (Action::ToggleFullscreen, _) => ViewMode::Fullscreen,
            (Action::ToggleMini, ViewMode::Mini) => ViewMode::Windowed,
            (Action::ToggleMini, _) => ViewMode::Mini,
            _ => continue,
        };
        view.0 = next;
        if let Ok(mut window) = window.single_mut() {
            shape_window(&mut window, next);
        }
    }
}

/// Runs at the end of each frame until it has reported once: by the third update the first frame
/// has been rendered and presented (rendering runs a frame behind), so that is start-up's end.
fn report_first_frame(
    frames: Res<bevy::diagnostic::FrameCount>,
    launched: Option<Res<Launched>>,
    mut done: Local<bool>,
) {
    if *done || frames.0 < 2 {
        return;
    }
    *done = true;
    if let Some(launched) = launched {
        info!("first frame presented {} ms after launch", launched.0.elapsed().as_millis());
    }
}

//! The window: windowed, fullscreen or a small always-on-top view; quitting.

use bevy::core_pipeline::tonemapping::DebandDither;
use bevy::prelude::*;
use bevy::window::{
    MonitorSelection, PresentMode, PrimaryWindow, WindowLevel, WindowMode, WindowPosition, WindowResolution,
};

use super::AppSystems;
use super::input::Action;
use super::visibility::PutAway;
use crate::store::{Place, WindowPlaces, save_window_places};

/// The normal window's size, in logical pixels.
pub const WINDOWED_SIZE: (u32, u32) = (1280, 800);
/// The mini view's size.
pub const MINI_SIZE: (u32, u32) = (280, 280);
/// The window's title.
pub const TITLE: &str = crate::desktop::APP_NAME;

/// The window's title: the app's name, and the data folder's where it is not the usual one, so
/// that two windows on two folders can be told apart (the home folder written `~`).
pub fn title_for(data: &std::path::Path, usual: &[std::path::PathBuf], home: Option<&std::path::Path>) -> String {
    if usual.iter().any(|u| u == data) {
        return TITLE.to_owned();
    }
    let shown = match home.and_then(|h| data.strip_prefix(h).ok()) {
        Some(rest) => format!("~/{}", rest.display()),
        None => data.display().to_string(),
    };
    // ASCII around the folder: window managers that read the legacy `WM_NAME` (which winit writes
    // as Latin-1) show it as written.
    format!("{TITLE} ({})", crate::day::shown_safely(&shown))
}

/// How the window is shown: a state, entered when the view switches.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
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

/// Where the normal window and the mini view were left (`window.ron` in the machine's state
/// folder: another machine's screens differ).
#[derive(Resource, Debug, Clone)]
pub struct Places {
    pub state: std::path::PathBuf,
    pub places: WindowPlaces,
}

/// The most of a monitor's width and height a first window takes: the rest is for panels, docks
/// and the title bar, which the system does not report to the app.
const WORK_AREA_SHARE: f32 = 0.9;

/// The primary window as a view mode wants it, where it was left if it was.
pub fn primary_window_plugin(view: ViewMode, places: &WindowPlaces, title: String) -> WindowPlugin {
    // The class (X11) and app id (Wayland) match the desktop entry, so docks group the window with it.
    let mut window = Window {
        title,
        name: Some(crate::desktop::APP_ID.into()),
        resizable: true,
        present_mode: PresentMode::AutoVsync,
        ..default()
    };
    shape_window(&mut window, view, places);
    // The close button asks, as `q` does (see `quit.rs`): the window closes only once nothing is lost.
    WindowPlugin { primary_window: Some(window), close_when_requested: false, ..default() }
}

fn shape_window(window: &mut Window, view: ViewMode, places: &WindowPlaces) {
    let (size, level, mode) = match view {
        ViewMode::Windowed => (WINDOWED_SIZE, WindowLevel::Normal, WindowMode::Windowed),
        ViewMode::Fullscreen => {
            (WINDOWED_SIZE, WindowLevel::Normal, WindowMode::BorderlessFullscreen(MonitorSelection::Current))
        }
        ViewMode::Mini => (MINI_SIZE, WindowLevel::AlwaysOnTop, WindowMode::Windowed),
    };
    window.resolution = WindowResolution::new(size.0, size.1);
    window.window_level = level;
    // The mini view has no title bar: it is moved by dragging it anywhere (see `mini.rs`).
    window.decorations = view != ViewMode::Mini;
    window.mode = mode;
    let saved = match view {
        ViewMode::Windowed => places.windowed,
        ViewMode::Mini => places.mini,
        ViewMode::Fullscreen => None,
    };
    if let Some(place) = saved {
        window.resolution = WindowResolution::new(place.width.max(MINI_SIZE.0), place.height.max(MINI_SIZE.1));
        window.position = WindowPosition::At(IVec2::new(place.x, place.y));
    }
}

/// Where the window is on the screen: asked of the windowing system (the window's `position`
/// follows only moves the system reported, which a window never moved by the user lacks).
fn position_of(entity: Entity, window: &Window) -> Option<IVec2> {
    let asked = bevy::winit::WINIT_WINDOWS.with_borrow(|windows| {
        windows.get_window(entity).and_then(|w| w.outer_position().ok()).map(|p| IVec2::new(p.x, p.y))
    });
    asked.or(match window.position {
        WindowPosition::At(at) => Some(at),
        _ => None,
    })
}

/// Brings the window forward: out of the tray or the taskbar, and focused (a request, a
/// notification's or the tray's click).
pub fn raise(window: &mut Window) {
    window.set_minimized(false);
    window.focused = true;
}

/// Asks for the window to come forward (see [`raise`]), from features that do not otherwise touch
/// the window: one system applies it, after the frame's actions.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raise;

/// Runs with the drawing, after every action of the frame: a window asked forward comes forward.
fn raise_when_asked(mut asked: MessageReader<Raise>, mut windows: Query<&mut Window, With<PrimaryWindow>>) {
    if asked.read().count() > 0
        && let Ok(mut window) = windows.single_mut()
    {
        raise(&mut window);
    }
}

/// The X11 id of the window behind `handle`, if it is an X11 window.
pub fn x11_id(handle: &bevy::window::RawHandleWrapper) -> Option<u32> {
    match handle.get_window_handle() {
        raw_window_handle::RawWindowHandle::Xlib(h) => Some(h.window as u32),
        raw_window_handle::RawWindowHandle::Xcb(h) => Some(h.window.get()),
        _ => None,
    }
}

/// Runs with the drawing: a window put away leaves the taskbar and pager, and comes back to them
/// when it shows again (asked of the window manager by the X11 client's thread).
fn keep_put_away_out_of_taskbar(
    put_away: Res<PutAway>,
    mut told: Local<bool>,
    windows: Query<&bevy::window::RawHandleWrapper, With<PrimaryWindow>>,
    x11: Option<Res<super::platform::x11::X11>>,
) {
    if put_away.0 == *told {
        return;
    }
    *told = put_away.0;
    let id = windows.single().ok().and_then(x11_id);
    if let (Some(window), Some(x11)) = (id, x11.as_deref()) {
        x11.send(super::platform::x11::X11Request::SkipTaskbar { window, on: put_away.0 });
    }
}

/// Notes where the window in `view` is now.
fn remember(places: &mut WindowPlaces, view: ViewMode, entity: Entity, window: &Window) {
    let Some(at) = position_of(entity, window) else { return };
    let place =
        Place { x: at.x, y: at.y, width: window.resolution.width() as u32, height: window.resolution.height() as u32 };
    match view {
        ViewMode::Windowed => places.windowed = Some(place),
        ViewMode::Mini => places.mini = Some(place),
        ViewMode::Fullscreen => {}
    }
}

pub(super) fn plugin(app: &mut App) {
    // The view asked for at launch is inserted before this plugin; otherwise, windowed.
    if !app.world().contains_resource::<State<ViewMode>>() {
        app.init_state::<ViewMode>();
    }
    app.insert_resource(ClearColor(super::ring::mesh::palette::BACKGROUND.into()));
    app.add_systems(Startup, spawn_camera);
    app.add_systems(Last, report_first_frame);
    app.add_systems(Update, (switch_view, fit_first_window).in_set(AppSystems::Update));
    app.add_systems(
        Update,
        (name_and_fit_x11_window, keep_put_away_out_of_taskbar, raise_when_asked).in_set(AppSystems::Present),
    );
    app.add_systems(Update, draw_while_starting.in_set(super::face::ReportNextChange));
    // Before the windowing system's windows are dropped on exit (after `ExitSystems`): an
    // ordering left open here once ran after them and saved no place.
    app.add_systems(Last, save_place_on_exit.before(bevy::window::ExitSystems));
    // A new view lays everything out anew.
    app.add_systems(Update, super::face::report_state_change::<ViewMode>.in_set(super::face::ReportNextChange));
}

/// Runs until the monitors are known, once: a first window (no place saved) larger than the work
/// area of its monitor, or a saved place now off every monitor, is brought within the monitor.
fn fit_first_window(
    mut done: Local<bool>,
    view: Res<State<ViewMode>>,
    places: Option<Res<Places>>,
    monitors: Query<&bevy::window::Monitor>,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
) {
    if *done || *view.get() != ViewMode::Windowed {
        return;
    }
    let Ok(mut window) = windows.single_mut() else { return };
    let Some(monitor) = monitors.iter().next() else { return };
    *done = true;
    let scale = monitor.scale_factor as f32;
    let (width, height) = (monitor.physical_width as f32 / scale, monitor.physical_height as f32 / scale);
    let origin = monitor.physical_position;
    let saved = places.and_then(|p| p.places.windowed);
    let on_screen = saved.is_some_and(|p| {
        p.x >= origin.x
            && p.y >= origin.y
            && p.x < origin.x + monitor.physical_width as i32
            && p.y < origin.y + monitor.physical_height as i32
    });
    let (w, h) = (window.resolution.width(), window.resolution.height());
    let (max_w, max_h) = (width * WORK_AREA_SHARE, height * WORK_AREA_SHARE);
    if (saved.is_none() || !on_screen) && (w > max_w || h > max_h || saved.is_some()) {
        let (fit_w, fit_h) = (w.min(max_w).round(), h.min(max_h).round());
        info!("window: {w}x{h} does not fit the {width}x{height} monitor's work area; opening at {fit_w}x{fit_h}");
        window.resolution.set(fit_w, fit_h);
        window.position = WindowPosition::Centered(MonitorSelection::Current);
    }
}

/// For this long after launch the window draws a frame every [`STARTING_FRAME`], whatever it
/// shows: frames presented before the window system has shown the window are not seen, and an
/// unfocused window (autostart, a launch in the background) would otherwise show black until its
/// minute turns.
pub(crate) const STARTING_FOR: std::time::Duration = std::time::Duration::from_secs(2);
const STARTING_FRAME: std::time::Duration = std::time::Duration::from_millis(100);

/// Runs with the other reports of what changes next, for the first [`STARTING_FOR`] only.
fn draw_while_starting(launched: Option<Res<Launched>>, mut next: ResMut<super::face::NextChange>) {
    if launched.is_some_and(|l| l.0.elapsed() < STARTING_FOR) {
        next.within(STARTING_FRAME);
    }
}

/// The frame by which the window is mapped (rendering runs a frame behind the first update).
const MAPPED_BY_FRAME: u32 = 3;

/// Runs each frame until it acts once, when the window is mapped, on X11: its class gets the
/// instance winit leaves empty (`WM_CLASS` "pomodouroboros", "pomodouroboros"), which docks and
/// window rules match; and a first window (no place saved), framed by now, is brought within the
/// work area (the screen less the desktop's panels), which only the window manager knows. The
/// X11 client's thread makes the requests.
fn name_and_fit_x11_window(
    mut done: Local<bool>,
    frames: Res<bevy::diagnostic::FrameCount>,
    view: Res<State<ViewMode>>,
    places: Option<Res<Places>>,
    windows: Query<&bevy::window::RawHandleWrapper, With<PrimaryWindow>>,
    x11: Option<Res<super::platform::x11::X11>>,
) {
    use super::platform::x11::X11Request;
    if *done || frames.0 < MAPPED_BY_FRAME {
        return;
    }
    *done = true;
    let (Ok(handle), Some(x11)) = (windows.single(), x11) else { return };
    let Some(window) = x11_id(handle) else { return };
    let name = crate::desktop::APP_ID.to_owned();
    x11.send(X11Request::Class { window, instance: name.clone(), class: name });
    let first = places.is_none_or(|p| p.places.windowed.is_none());
    if first && *view.get() == ViewMode::Windowed {
        x11.send(X11Request::FitWorkArea { window });
    }
}

/// Runs in `Last` as the app exits: the place of the view it is in is saved for the next start.
fn save_place_on_exit(
    mut exits: MessageReader<AppExit>,
    view: Option<Res<State<ViewMode>>>,
    places: Option<ResMut<Places>>,
    windows: Query<(Entity, &Window), With<PrimaryWindow>>,
    _main_thread: bevy::ecs::system::NonSendMarker,
) {
    let (Some(view), Some(mut places), Ok((entity, window))) = (view, places, windows.single()) else { return };
    if exits.read().next().is_none() {
        return;
    }
    let places = &mut *places;
    remember(&mut places.places, *view.get(), entity, window);
    if let Err(e) = save_window_places(&places.state, &places.places) {
        warn!("window: its place was not saved: {e}");
    }
}

/// Runs once: one 2D camera, one world unit per logical pixel, origin at the window's centre, with
/// egui's primary context.
/// No multisampling or dithering: flat colours and pixel art need neither, and on a software
/// rasterizer both are paid for on each pixel of each sprite. (Tone mapping stays, set to none:
/// without the component Bevy's 2D pipelines draw nothing.)
fn spawn_camera(mut commands: Commands) {
    commands.spawn((
        Name::new("Camera"),
        super::visibility::MainCamera,
        Camera2d,
        Msaa::Off,
        DebandDither::Disabled,
        bevy_egui::PrimaryEguiContext,
    ));
}

/// Runs with the other actions: `f` and `m` toggle fullscreen and the mini view (entered before
/// anything is drawn).
fn switch_view(
    mut actions: MessageReader<Action>,
    (view, mut next_view): (Res<State<ViewMode>>, ResMut<NextState<ViewMode>>),
    mut window: Query<(Entity, &mut Window), With<PrimaryWindow>>,
    mut places: Option<ResMut<Places>>,
    _main_thread: bevy::ecs::system::NonSendMarker,
) {
    let mut current = *view.get();
    for action in actions.read() {
        let next = match (action, current) {
            (Action::ToggleFullscreen, ViewMode::Fullscreen) => ViewMode::Windowed,
            (Action::ToggleFullscreen, _) => ViewMode::Fullscreen,
            (Action::ToggleMini, ViewMode::Mini) => ViewMode::Windowed,
            (Action::ToggleMini, _) => ViewMode::Mini,
            _ => continue,
        };
        let left = current;
        current = next;
        next_view.set(next);
        if let Ok((entity, mut window)) = window.single_mut() {
            // The view left keeps its place; the one entered opens where it was.
            let mut saved = WindowPlaces::default();
            if let Some(places) = places.as_mut() {
                remember(&mut places.places, left, entity, &window);
                saved = places.places;
            }
            shape_window(&mut window, next, &saved);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    #[test]
    fn a_title_names_a_folder_other_than_the_usual_one() {
        let usual = [PathBuf::from("/home/ann/.local/share/pomodouroboros")];
        let home = Some(Path::new("/home/ann"));
        assert_eq!(title_for(&usual[0], &usual, home), "Pomodouroboros");
        assert_eq!(title_for(Path::new("/home/ann/work/timer"), &usual, home), "Pomodouroboros (~/work/timer)");
        assert_eq!(title_for(Path::new("/srv/t"), &usual, home), "Pomodouroboros (/srv/t)");
        // A folder's name cannot turn the title around.
        assert!(!title_for(Path::new("/srv/\u{202e}txt"), &usual, home).contains('\u{202e}'));
    }
}

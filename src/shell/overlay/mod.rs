//! The overlay: one borderless, see-through window per monitor, above every other window and on
//! every workspace, that clicks and the wheel pass through and that never takes the keyboard
//! focus. It shows the day as a bar along an edge or as the ring, calm while an intention is set,
//! pulsing while one can be set and none is, warm past the grace period, grey on a break, and not
//! at all outside work hours (the rules are `day::overlay`'s).
//!
//! Each overlay has its own camera, render layer and mesh; its camera draws only on frames where
//! what it shows changed, so the overlay costs its own frames and no more. On X11 the window is
//! opaque, cut to what it shows (the Shape extension) and blended by the compositor at an opacity
//! the X11 client's thread sets and pulses by itself (`_NET_WM_WINDOW_OPACITY`): a pulse costs no
//! frame at all, and Mesa's software renderer, which cannot present to a window with an alpha
//! channel, draws it too. Elsewhere (Wayland) the window has an alpha channel and the frames blend.

mod caption;
pub mod shape;

use bevy::camera::RenderTarget;
use bevy::camera::visibility::RenderLayers;
use bevy::core_pipeline::tonemapping::DebandDither;
use bevy::prelude::*;
use bevy::window::{
    CompositeAlphaMode, CursorOptions, Monitor, PresentMode, RawHandleWrapper, WindowLevel, WindowPosition, WindowRef,
    WindowResolution,
};
use raw_window_handle::RawWindowHandle;
use std::time::Duration;

use super::AppSystems;
use super::actions::{Act, DayAction, Origin};
use super::face::{NextChange, ReportNextChange};
use super::input::{Action, OverlaySwitch};
use super::message_line::Tell;
use super::platform::x11::{ShapePart, WindowLook, X11, X11Reply, X11Request};
use super::quit::StayOnClose;
use super::today::Today;
use super::visibility::Unwatched;
use crate::day::overlay::{
    PixelRect, caption_opacity, next_caption_change, next_change, opacity, overlay_rect, urgency,
};
use crate::day::{OverlayLook, OverlayStyle, Urgency};

/// How often an overlay draws while its pulse or caption plays: a one-second pulse in five steps.
pub const OVERLAY_FRAME: Duration = Duration::from_millis(200);
/// The overlay windows' title (window managers and `xwininfo` show it; no taskbar does).
pub const OVERLAY_TITLE: &str = "Pomodouroboros overlay";

/// Whether the overlay is up: on (as the settings or the launch say) during work hours.
#[derive(States, Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OverlayShown {
    #[default]
    Off,
    On,
}

/// The overlay's moment this frame: the look in use, how urgent the moment is, and since when its
/// interval has run. Worked out once a frame by `read_moment`, read by the drawing, the caption,
/// the X11 look and the wake report.
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    pub look: OverlayLook,
    pub urgency: Urgency,
    pub started: Option<jiff::Timestamp>,
    /// How long the interval has run (zero outside one).
    pub since: jiff::SignedDuration,
    /// Nobody is at the keyboard: the overlay neither pulses nor fades its caption in (a due
    /// intention shows calm until the user is back), so it draws and asks for nothing.
    pub asleep: bool,
}

impl Default for Moment {
    fn default() -> Self {
        Self {
            look: OverlayLook::default(),
            urgency: Urgency::Hidden,
            started: None,
            since: jiff::SignedDuration::ZERO,
            asleep: false,
        }
    }
}

/// `--overlay` or `--no-overlay` at launch: overrides the setting until the user switches.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct OverlayAtLaunch(pub Option<bool>);

/// An overlay window, on the monitor entity it covers.
#[derive(Component, Debug)]
pub struct OverlayWindow {
    pub monitor: Entity,
    /// Where it is, in the monitors' physical pixels.
    pub rect: PixelRect,
    /// Its render layer (from 1: layer 0 is the main window's).
    pub layer: usize,
    pub camera: Entity,
    pub shape: Entity,
    /// Asked of the window manager to be made an overlay, or shown.
    stage: Stage,
    /// How it is made see-through: known once its window exists.
    blend: Blend,
    /// Frames still drawn whatever changed: a window is mapped a frame or two after it is asked
    /// to show, and what is presented to an unmapped window is lost.
    fresh: u8,
}

/// How an overlay is made see-through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Blend {
    /// Not known yet.
    Unknown,
    /// An opaque X11 window (this id) that the compositor blends at the opacity set on it.
    X11(u32),
    /// A window with an alpha channel: each frame is drawn at the opacity.
    Alpha,
}

/// What an X11 overlay was last told (its shape and look), so it is told again only on a change.
#[derive(Component, Debug, Default)]
pub struct ToldX11(Option<(Vec<ShapePart>, OverlayLook, Urgency, Option<jiff::Timestamp>)>);

/// Where the caption is drawn now in its overlay (window pixels, y down), if it is.
#[derive(Component, Debug, Default, Clone, Copy, PartialEq)]
pub struct CaptionBox(pub Option<[f32; 4]>);

/// Whether new overlay windows get an alpha channel: not on X11 (see the module's note).
fn windows_have_alpha() -> bool {
    std::env::var_os("WAYLAND_DISPLAY").is_some_and(|v| !v.is_empty())
}

/// How many frames a newly shown (or moved) overlay draws, changed or not.
const FRESH_FRAMES: u8 = 3;

impl OverlayWindow {
    /// Whether the window is up (mapped, or asked to be).
    pub fn shown(&self) -> bool {
        self.stage == Stage::Shown
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Created unmapped; waiting for its handle to be prepared.
    Created,
    /// Its properties are being set (X11).
    Preparing,
    Shown,
}

/// An overlay's camera.
#[derive(Component, Debug)]
pub struct OverlayCamera;

/// An overlay's mesh, and what it was last drawn from.
#[derive(Component, Debug, Default)]
pub struct OverlayShape {
    drawn: Option<Drawn>,
}

/// What an overlay shows at a frame: when it differs from the last frame's, the overlay draws.
#[derive(Debug, Clone, PartialEq)]
struct Drawn {
    revision: u64,
    urgency: Urgency,
    /// The opacity in 1/100 steps and the caption's in 1/20: finer steps would not be seen.
    opacity: u32,
    caption: u32,
    /// The head's pixel along the bar or round the ring.
    head: i64,
    rect: PixelRect,
    look: OverlayLook,
}

pub(super) fn plugin(app: &mut App) {
    app.init_state::<OverlayShown>();
    app.init_resource::<OverlayAtLaunch>();
    app.init_resource::<Moment>();
    app.add_systems(Update, switch_overlay.in_set(AppSystems::Update));
    app.add_systems(
        Update,
        (
            read_moment,
            (follow_monitors, prepare_windows, draw_overlays, caption::draw_captions, tell_x11)
                .chain()
                .run_if(in_state(OverlayShown::On)),
        )
            .chain()
            .in_set(AppSystems::Present),
    );
    app.add_systems(OnExit(OverlayShown::On), (close_overlays, let_close_quit));
    app.add_systems(OnEnter(OverlayShown::On), (introduce_overlay, keep_app_on_close));
    app.add_systems(Update, report_overlay_change.in_set(ReportNextChange).run_if(in_state(OverlayShown::On)));
    app.add_systems(Update, super::face::report_state_change::<OverlayShown>.in_set(ReportNextChange));
    app.add_systems(First, give_cameras_egui);
}

/// Runs as the overlay comes up: while it keeps the day in view, closing the window puts it away.
fn keep_app_on_close(mut stay: ResMut<StayOnClose>) {
    stay.overlay = true;
}

/// Runs as the overlay goes down: closing the window quits again (unless the tray keeps the app).
fn let_close_quit(mut stay: ResMut<StayOnClose>) {
    stay.overlay = false;
}

/// The settings' overlay look, as this run uses it.
fn look_of(today: &Today, at_launch: OverlayAtLaunch) -> OverlayLook {
    let mut look = today.session().settings.overlay;
    if let Some(on) = at_launch.0 {
        look.on = on;
    }
    look
}

/// Runs with the actions: `o`, the settings rows and `window overlay …` switch the overlay on or
/// off or change its style. The choice is saved in `settings.ron` (another process's changes to
/// the file are kept) and put in use as any settings change is.
fn switch_overlay(
    mut actions: MessageReader<Action>,
    today: Option<Res<Today>>,
    mut at_launch: ResMut<OverlayAtLaunch>,
    mut acts: MessageWriter<Act>,
    mut tell: MessageWriter<Tell>,
) {
    let Some(today) = today else { return };
    for action in actions.read() {
        let Action::Overlay(switch) = action else { continue };
        let base = today.session().settings.clone();
        let mut mine = base.clone();
        let was = look_of(&today, *at_launch);
        match switch {
            OverlaySwitch::Toggle => mine.overlay.on = !was.on,
            OverlaySwitch::On => mine.overlay.on = true,
            OverlaySwitch::Off => mine.overlay.on = false,
            OverlaySwitch::Bar => (mine.overlay.on, mine.overlay.style) = (true, OverlayStyle::Bar),
            OverlaySwitch::Ring => (mine.overlay.on, mine.overlay.style) = (true, OverlayStyle::Ring),
        }
        at_launch.0 = None;
        let config = today.session().dirs.config.clone();
        match crate::store::update_settings(&config, &base, &mine) {
            Ok((settings, _)) => {
                let look = settings.overlay;
                let said = match (look.on, look.style) {
                    (false, _) => "Overlay off (o turns it on again).".to_owned(),
                    (true, style) => format!("Overlay on: {} (o turns it off).", style_word(style)),
                };
                tell.write(Tell::note(said));
                acts.write(Act { action: DayAction::Relayout(settings), origin: Origin::Keys });
            }
            Err(e) => {
                tell.write(Tell::show(format!("The overlay setting was not saved: {e}")));
            }
        }
    }
}

/// Runs first in the frame: a new overlay camera gets its egui context here, before bevy_egui
/// begins the frame's passes (a context that appeared later in a frame would be ended, and drawn,
/// without having begun).
fn give_cameras_egui(
    mut commands: Commands,
    cameras: Query<Entity, (With<OverlayCamera>, Without<bevy_egui::EguiContext>)>,
) {
    for camera in &cameras {
        commands.entity(camera).insert(bevy_egui::EguiContext::default());
    }
}

/// The edge's name as the settings write it.
pub fn edge_word(edge: crate::day::Edge) -> &'static str {
    match edge {
        crate::day::Edge::Top => "top",
        crate::day::Edge::Bottom => "bottom",
        crate::day::Edge::Left => "left",
        crate::day::Edge::Right => "right",
    }
}

/// The style's name as the settings and the command line write it.
pub fn style_word(style: OverlayStyle) -> &'static str {
    match style {
        OverlayStyle::Bar => "bar",
        OverlayStyle::Ring => "ring",
    }
}

/// Runs after the actions, before anything of the overlay is drawn: this frame's [`Moment`]; the
/// overlay is up when it is switched on and the work day runs.
fn read_moment(
    today: Option<Res<Today>>,
    (at_launch, unwatched): (Res<OverlayAtLaunch>, Res<Unwatched>),
    mut moment: ResMut<Moment>,
    state: Res<State<OverlayShown>>,
    mut next: ResMut<NextState<OverlayShown>>,
) {
    let Some(today) = today else { return };
    let look = look_of(&today, *at_launch);
    let now = today.now();
    let (urgency, started) = urgency(today.day(), now);
    let since = started.map_or(jiff::SignedDuration::ZERO, |s| now.duration_since(s));
    let asleep = unwatched.0;
    let urgency = if asleep && urgency == Urgency::Due { Urgency::Calm } else { urgency };
    moment.set_if_neq(Moment { look, urgency, started, since, asleep });
    let want = if look.on && urgency != Urgency::Hidden { OverlayShown::On } else { OverlayShown::Off };
    if *state.get() != want {
        info!("overlay: {}", if want == OverlayShown::On { "up" } else { "down" });
        next.set(want);
    }
}

/// A monitor's area in the layout's physical pixels.
fn monitor_rect(monitor: &Monitor) -> PixelRect {
    PixelRect {
        x: monitor.physical_position.x,
        y: monitor.physical_position.y,
        width: monitor.physical_width.max(1),
        height: monitor.physical_height.max(1),
    }
}

/// Runs before drawing while the overlay is up: one overlay per monitor Bevy lists, added when a
/// monitor comes, removed when it goes, moved and resized when the monitor or the look changes.
pub fn follow_monitors(
    mut commands: Commands,
    today: Res<Today>,
    at_launch: Res<OverlayAtLaunch>,
    monitors: Query<(Entity, &Monitor)>,
    mut overlays: Query<(Entity, &mut OverlayWindow, &mut Window)>,
    x11: Option<Res<X11>>,
) {
    let look = look_of(&today, *at_launch);
    for (entity, overlay, _) in &overlays {
        if monitors.get(overlay.monitor).is_err() {
            info!("overlay: a monitor went; its overlay is closed");
            despawn(&mut commands, entity, overlay, x11.as_deref());
        }
    }
    let mut used: Vec<usize> = overlays.iter().map(|(_, o, _)| o.layer).collect();
    for (monitor_entity, monitor) in &monitors {
        let rect = overlay_rect(&look, monitor_rect(monitor));
        if let Some((_, mut overlay, mut window)) = overlays.iter_mut().find(|(_, o, _)| o.monitor == monitor_entity) {
            if overlay.rect != rect {
                info!("overlay: placed anew at {rect:?}");
                overlay.rect = rect;
                window.position = WindowPosition::At(IVec2::new(rect.x, rect.y));
                window.resolution.set_physical_resolution(rect.width, rect.height);
                overlay.fresh = FRESH_FRAMES;
            }
            continue;
        }
        let layer = (1..).find(|l| !used.contains(l)).unwrap_or(1);
        used.push(layer);
        spawn_overlay(&mut commands, monitor_entity, monitor, rect, layer);
    }
}

/// A new overlay on a monitor: its window (unmapped until the window manager is told what it
/// is), its camera and its mesh on a render layer of its own.
fn spawn_overlay(commands: &mut Commands, monitor_entity: Entity, monitor: &Monitor, rect: PixelRect, layer: usize) {
    info!(
        "overlay: on monitor {} at {},{} {}x{}",
        monitor.name.as_deref().unwrap_or("?"),
        rect.x,
        rect.y,
        rect.width,
        rect.height
    );
    let alpha = windows_have_alpha();
    let window = commands
        .spawn((
            Window {
                title: OVERLAY_TITLE.into(),
                name: Some(crate::desktop::APP_ID.into()),
                resolution: WindowResolution::new(rect.width, rect.height).with_scale_factor_override(1.0),
                position: WindowPosition::At(IVec2::new(rect.x, rect.y)),
                decorations: false,
                resizable: false,
                // Bevy's default least size (180x120) would make a bar 120 px tall.
                resize_constraints: bevy::window::WindowResizeConstraints {
                    min_width: 1.0,
                    min_height: 1.0,
                    ..default()
                },
                transparent: alpha,
                composite_alpha_mode: if alpha { CompositeAlphaMode::PreMultiplied } else { CompositeAlphaMode::Auto },
                focused: false,
                visible: false,
                skip_taskbar: true,
                window_level: WindowLevel::AlwaysOnTop,
                present_mode: PresentMode::AutoVsync,
                ..default()
            },
            CursorOptions { hit_test: false, ..default() },
        ))
        .id();
    let camera = commands
        .spawn((
            Name::new("Overlay camera"),
            OverlayCamera,
            Camera2d,
            Camera {
                order: layer as isize,
                clear_color: ClearColorConfig::Custom(if alpha { Color::NONE } else { Color::BLACK }),
                is_active: false,
                ..default()
            },
            RenderTarget::Window(WindowRef::Entity(window)),
            RenderLayers::layer(layer),
            Msaa::Off,
            DebandDither::Disabled,
        ))
        .id();
    let shape = commands
        .spawn((Name::new("Overlay shape"), OverlayShape::default(), RenderLayers::layer(layer), Transform::default()))
        .id();
    commands.entity(window).insert(OverlayWindow {
        monitor: monitor_entity,
        rect,
        layer,
        camera,
        shape,
        stage: Stage::Created,
        blend: Blend::Unknown,
        fresh: FRESH_FRAMES,
    });
    commands.entity(window).insert((ToldX11::default(), CaptionBox::default()));
}

/// Closes an overlay: its window, camera and mesh go, and the X11 client stops pulsing it.
fn despawn(commands: &mut Commands, window: Entity, overlay: &OverlayWindow, x11: Option<&X11>) {
    if let (Blend::X11(id), Some(x11)) = (overlay.blend, x11) {
        x11.send(X11Request::Forget { window: id });
    }
    commands.entity(overlay.camera).despawn();
    commands.entity(overlay.shape).despawn();
    commands.entity(window).despawn();
}

/// The file in the config folder whose presence says the overlay was introduced already.
pub const INTRODUCED_FILE: &str = "overlay-introduced";

/// Runs when the overlay comes up: the first time ever, one line says what it is and how to turn
/// it off.
fn introduce_overlay(today: Res<Today>, at_launch: Res<OverlayAtLaunch>, mut tell: MessageWriter<Tell>) {
    let marker = today.session().dirs.config.join(INTRODUCED_FILE);
    if marker.exists() {
        return;
    }
    let look = look_of(&today, *at_launch);
    let what = match (look.style, look.edge) {
        (OverlayStyle::Ring, _) => "The ring on each screen".to_owned(),
        (OverlayStyle::Bar, edge) => format!("The strip along the {} of each screen", edge_word(edge)),
    };
    tell.write(Tell::show(format!(
        "{what} is the overlay: the day over your other windows, which clicks pass through. o turns it off."
    )));
    let written = std::fs::create_dir_all(&today.session().dirs.config).and_then(|()| std::fs::write(&marker, b""));
    if let Err(e) = written {
        debug!("overlay: could not note that it was introduced ({e})");
    }
}

/// Runs when the overlay goes down (switched off, or the work day is over): every overlay closes.
fn close_overlays(mut commands: Commands, overlays: Query<(Entity, &OverlayWindow)>, x11: Option<Res<X11>>) {
    for (entity, overlay) in &overlays {
        despawn(&mut commands, entity, overlay, x11.as_deref());
    }
}

/// Runs once a new overlay's window exists: on X11 the window manager is told what it is before
/// it is mapped (its type, above, sticky, out of the taskbar and pager, no focus), and it shows
/// when that is done; elsewhere it shows at once (a Wayland compositor decides stacking itself;
/// clicks pass through everywhere).
fn prepare_windows(
    mut overlays: Query<(&mut OverlayWindow, &mut Window, Option<&RawHandleWrapper>)>,
    mut replies: MessageReader<X11Reply>,
    x11: Option<Res<X11>>,
) {
    let prepared: Vec<u32> = replies.read().map(|X11Reply::Prepared { window }| *window).collect();
    for (mut overlay, mut window, handle) in &mut overlays {
        let Some(handle) = handle else { continue };
        let id = match handle.get_window_handle() {
            RawWindowHandle::Xlib(h) => Some(h.window as u32),
            RawWindowHandle::Xcb(h) => Some(h.window.get()),
            _ => None,
        };
        if overlay.blend == Blend::Unknown {
            overlay.blend = match (id, x11.as_deref()) {
                (Some(id), Some(_)) if !window.transparent => Blend::X11(id),
                _ => Blend::Alpha,
            };
        }
        match (overlay.stage, id, x11.as_deref()) {
            (Stage::Created, Some(id), Some(x11)) if x11.send(X11Request::PrepareOverlay { window: id }) => {
                overlay.stage = Stage::Preparing;
            }
            (Stage::Created, _, _) => {
                overlay.stage = Stage::Shown;
                window.visible = true;
            }
            (Stage::Preparing, Some(id), _) if prepared.contains(&id) => {
                overlay.stage = Stage::Shown;
                window.visible = true;
            }
            _ => {}
        }
    }
}

/// An overlay's shape entity: what it last drew, and its mesh and material once it has them.
type ShapeParts = (&'static mut OverlayShape, Option<&'static Mesh2d>, Option<&'static MeshMaterial2d<ColorMaterial>>);

/// Runs after the day moved and the actions applied: each overlay's mesh and opacity follow the
/// day, and its camera draws this frame only if what it shows changed.
fn draw_overlays(
    (today, moment): (Res<Today>, Res<Moment>),
    mut overlays: Query<&mut OverlayWindow>,
    mut shapes: Query<ShapeParts>,
    mut cameras: Query<&mut Camera, With<OverlayCamera>>,
    mut commands: Commands,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
) {
    let Moment { look, urgency, since, asleep, .. } = *moment;
    let (day, now) = (today.day(), today.now());
    let opacity_now = opacity(&look, urgency, since);
    let caption = if asleep { 0.0 } else { caption_opacity(urgency, since) };
    for mut overlay in &mut overlays {
        let alpha = opacity_now;
        let Ok(mut camera) = cameras.get_mut(overlay.camera) else { continue };
        let Ok((mut shape, mesh, material)) = shapes.get_mut(overlay.shape) else { continue };
        if overlay.stage != Stage::Shown {
            continue;
        }
        let size = Vec2::new(overlay.rect.width as f32, overlay.rect.height as f32);
        let head = head_pixel(day, now, &look, size);
        // On X11 the compositor applies the opacity: frames do not change with it.
        let x11 = matches!(overlay.blend, Blend::X11(_));
        let alpha = if x11 { 1.0 } else { alpha };
        let drawn = Drawn {
            revision: today.revision(),
            urgency,
            opacity: (alpha * 100.0).round() as u32,
            caption: caption_steps(caption),
            head,
            rect: overlay.rect,
            look,
        };
        let changed = shape.drawn.as_ref() != Some(&drawn) || overlay.fresh > 0;
        overlay.fresh = overlay.fresh.saturating_sub(1);
        if camera.is_active != changed {
            camera.is_active = changed;
        }
        if !changed {
            continue;
        }
        let warning = shape::srgba(look.late_colour);
        let geometry = match look.style {
            OverlayStyle::Bar => {
                let length = shape::bar_length(look.edge, size);
                let thickness = shape::bar_thickness_in(look.edge, size);
                shape::place_bar(&shape::bar_quads(day, now, (urgency, warning), length, thickness), look.edge, size)
            }
            OverlayStyle::Ring => shape::overlay_ring(day, now, (urgency, warning), size.x.min(size.y)),
        };
        debug!("overlay: drawn, {} vertices, opacity {alpha:.2}, {urgency:?}", geometry.positions.len());
        let new_mesh = crate::shell::ring::mesh::to_mesh(geometry);
        let tint = if urgency == Urgency::Break { shape::srgba(look.break_tint) } else { Srgba::WHITE };
        let color = Color::from(tint.with_alpha(alpha));
        match (mesh, material) {
            (Some(mesh), Some(material)) => {
                if let Some(mut m) = meshes.get_mut(&mesh.0) {
                    *m = new_mesh;
                }
                if let Some(mut m) = materials.get_mut(&material.0) {
                    m.color = color;
                }
            }
            _ => {
                let material =
                    ColorMaterial { color, alpha_mode: bevy::sprite_render::AlphaMode2d::Blend, ..default() };
                commands
                    .entity(overlay.shape)
                    .insert((Mesh2d(meshes.add(new_mesh)), MeshMaterial2d(materials.add(material))));
            }
        }
        shape.drawn = Some(drawn);
    }
}

/// How many steps of [`CAPTION_STEPS`] the caption's opacity is: its fade takes that many frames.
pub fn caption_steps(caption: f32) -> u32 {
    (caption * CAPTION_STEPS as f32).round() as u32
}

/// The caption fades in and out in this many steps.
pub const CAPTION_STEPS: u32 = 3;

/// The parts of an overlay window the X11 server shows (window pixels, y down): the bar against
/// its edge or the ring's band, and the caption where it is drawn.
fn visible_parts(look: &OverlayLook, size: Vec2, caption: CaptionBox) -> Vec<ShapePart> {
    let (w, h) = (size.x.round() as u16, size.y.round() as u16);
    let mut parts = match look.style {
        OverlayStyle::Bar => {
            let t = shape::bar_thickness_in(look.edge, size).round() as u16;
            let (x, y, width, height) = match look.edge {
                crate::day::Edge::Bottom => (0, h.saturating_sub(t), w, t),
                crate::day::Edge::Top => (0, 0, w, t),
                crate::day::Edge::Left => (0, 0, t, h),
                crate::day::Edge::Right => (w.saturating_sub(t), 0, t, h),
            };
            vec![ShapePart::Rect { x: x as i16, y: y as i16, width, height }]
        }
        OverlayStyle::Ring => {
            let side = size.x.min(size.y);
            vec![ShapePart::Annulus {
                x: (size.x / 2.0).round() as i16,
                y: (size.y / 2.0).round() as i16,
                inner: shape::ring_hole(side).floor() as u16,
                outer: (side / 2.0).ceil() as u16,
            }]
        }
    };
    if let Some([x0, y0, x1, y1]) = caption.0 {
        parts.push(ShapePart::Rect {
            x: x0.floor() as i16,
            y: y0.floor() as i16,
            width: (x1 - x0).ceil() as u16,
            height: (y1 - y0).ceil() as u16,
        });
    }
    parts
}

/// Runs after the overlays and captions are drawn: an X11 overlay's shape and look are told the
/// X11 client's thread when they change (it sets the shape, and the opacity and its pulses, by
/// itself from then on).
fn tell_x11(
    today: Res<Today>,
    moment: Res<Moment>,
    mut overlays: Query<(&OverlayWindow, &CaptionBox, &mut ToldX11)>,
    x11: Option<Res<X11>>,
) {
    let Some(x11) = x11 else { return };
    let Moment { look, urgency, started, since, .. } = *moment;
    for (overlay, caption, mut told) in &mut overlays {
        let Blend::X11(window) = overlay.blend else { continue };
        if !overlay.shown() {
            continue;
        }
        let size = Vec2::new(overlay.rect.width as f32, overlay.rect.height as f32);
        let parts = visible_parts(&look, size, *caption);
        let now_told = (parts.clone(), look, urgency, started);
        if told.0.as_ref() == Some(&now_told) {
            continue;
        }
        told.0 = Some(now_told);
        let speed = today.session().speed;
        let request = WindowLook { shape: parts, look, urgency, since, sent: std::time::Instant::now(), speed };
        x11.send(X11Request::OverlayLook { window, look: request });
    }
}

/// Which pixel the head is at: along the bar, or round the ring's circumference.
fn head_pixel(day: &crate::day::Day, now: jiff::Timestamp, look: &OverlayLook, size: Vec2) -> i64 {
    let Some((start, end)) = day.span() else { return -1 };
    let share = crate::shell::ring::geometry::fraction(now, start, end);
    let length = match look.style {
        OverlayStyle::Bar => shape::bar_length(look.edge, size),
        OverlayStyle::Ring => std::f32::consts::PI * size.x.min(size.y),
    };
    (share * length).floor() as i64
}

/// Runs with the other reports: a pulse or a caption that plays wants its next frame; otherwise
/// the next one starts at a known instant. The head's pixel is left to the main window's frames
/// (it moves a pixel every few seconds at most, and every frame draws the overlays that changed).
fn report_overlay_change(moment: Res<Moment>, overlays: Query<&OverlayWindow>, mut next: ResMut<NextChange>) {
    let Moment { urgency, started, since, asleep, .. } = *moment;
    if started.is_none() || asleep {
        return;
    }
    // Frames for the opacity only where the frames apply it; the X11 client's thread pulses the rest.
    let blends = overlays.iter().any(|o| o.blend == Blend::Alpha);
    let after = if blends {
        next_change(urgency, since, OVERLAY_FRAME)
    } else {
        next_caption_change(urgency, since, OVERLAY_FRAME)
    };
    if let Some(after) = after {
        next.beside_within(after);
    }
}

//! Sneks, after the DrawSnek demo: `s` spawns one (`S` with a random hue), `d` removes the oldest
//! (or, with none left, spawns a grey ghost), `h` stalls the main thread for up to a second.
//!
//! Motion and animation advance on a fixed timestep. A stall of up to [`MAX_REPLAY`] is caught up by
//! running the missed ticks; anything longer (a suspended laptop) is caught up in one step, which
//! [`motion`] makes exact, so no tick is lost either way.

pub mod canvas;
pub mod motion;

use bevy::app::RunFixedMainLoopSystems;
use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};
use std::time::Duration;

use super::AppSystems;
use super::face::{ClockDetail, NextChange, ReportNextChange, SECONDS_FRAME};
use super::input::Action;
use super::sprites::{SNEK_ROWS, Sprites};
use super::today::{DaySystems, Today};
use crate::format::Detail;
use motion::{Axis, Motion, SUBPIXELS};

/// Fixed ticks per second.
pub const TICK_HZ: u32 = 60;
/// Stalls up to this long are caught up tick by tick; `Time<Virtual>` is allowed to advance this far
/// in one frame (Bevy's default, 250 ms, would drop most of a 1 s hiccup).
pub const MAX_REPLAY: Duration = Duration::from_secs(2);
/// A snek's size on screen, in logical pixels (its sheet frame drawn at 2×).
pub const SNEK_SIZE: Vec2 = Vec2::new(64.0, 32.0);
/// The rows of a 32×16 sheet frame that any frame of any snek paints (rows 2 to 13): only those
/// are drawn, a quad a quarter smaller with the same picture, centred as the whole frame is. On a
/// software rasterizer every pixel of a quad costs, painted or not.
pub const PAINTED_ROWS: std::ops::Range<f32> = 2.0..14.0;
/// Speeds, in pixels per second along the diagonal.
pub const SPEED_RANGE: std::ops::RangeInclusive<f32> = 50.0..=100.0;
/// Animation rates, in frames per second.
pub const FPS_RANGE: std::ops::RangeInclusive<u32> = 5..=35;
/// The longest hiccup `h` injects.
pub const MAX_HICCUP_MS: u64 = 1000;

/// A snek on the screen.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snek {
    pub motion: Motion,
    /// Sprite-sheet row.
    pub row: u32,
    /// The frame and facing last put on the sprite (see [`look_of`]), so the sprite is only
    /// touched when they change.
    pub shown: u32,
    /// Order of birth: the oldest has the smallest.
    pub serial: u64,
}

/// A snek spawned by `d` when none was left: grey and see-through.
#[derive(Component, Debug, Clone, Copy)]
pub struct Ghost;

/// The area sneks bounce in, in world units centred on the origin.
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct Arena(pub Vec2);

impl Default for Arena {
    fn default() -> Self {
        let (w, h) = super::window::WINDOWED_SIZE;
        Self(Vec2::new(w as f32, h as f32))
    }
}

impl Arena {
    /// How far a snek can travel on each axis, in sub-pixels.
    pub fn spans(&self) -> (i64, i64) {
        let free = (self.0 - SNEK_SIZE).max(Vec2::ZERO);
        ((free.x * SUBPIXELS as f32) as i64, (free.y * SUBPIXELS as f32) as i64)
    }
}

/// Counts fixed ticks: how many the sneks have lived, and how many fixed steps actually ran.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SnekClock {
    /// Ticks advanced in total (fixed steps plus one-step resyncs).
    pub ticks: u64,
    /// Fixed steps run (a long stall adds ticks without running steps).
    pub steps_run: u64,
    /// One-step resyncs after long stalls.
    pub resyncs: u64,
}

/// The sneks' dice; seeded in tests so runs can be compared.
#[derive(Resource, Debug, Clone)]
pub struct SnekRng(pub SmallRng);

impl Default for SnekRng {
    fn default() -> Self {
        Self(SmallRng::from_rng(&mut rand::rng()))
    }
}

/// The next serial number.
#[derive(Resource, Debug, Default)]
struct NextSerial(u64);

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(Time::<Fixed>::from_hz(f64::from(TICK_HZ)));
    app.init_resource::<Arena>();
    app.init_resource::<SnekClock>();
    app.init_resource::<SnekRng>();
    app.init_resource::<NextSerial>();
    app.init_resource::<Sprites>();
    app.add_systems(Startup, allow_replay);
    app.add_systems(RunFixedMainLoop, resync_after_long_stall.in_set(RunFixedMainLoopSystems::BeforeFixedMainLoop));
    app.add_systems(FixedUpdate, tick_sneks);
    app.add_systems(
        Update,
        (fit_arena, handle_snek_keys, reward_achievements.in_set(DaySystems), hiccup)
            .chain()
            .in_set(AppSystems::Update),
    );
    app.add_systems(Update, show_sneks.in_set(AppSystems::Present));
    app.add_systems(Update, report_sneks.in_set(ReportNextChange));
    app.add_plugins(canvas::plugin);
}

/// Runs with the other reports of what changes next: sneks move on every frame while someone
/// watches (the clock shows seconds). Unfocused they ask for no frame of their own: the frame-count
/// compensation puts every snek exactly where it belongs on whatever frame comes next.
fn report_sneks(sneks: Query<(), With<Snek>>, detail: Res<ClockDetail>, mut next: ResMut<NextChange>) {
    if !sneks.is_empty() && detail.0 == Detail::Seconds {
        next.within(SECONDS_FRAME);
        next.every_frame = true;
    }
}

/// Runs once: lets virtual time advance up to [`MAX_REPLAY`] in a frame, so hiccups are replayed.
fn allow_replay(mut time: ResMut<Time<Virtual>>) {
    time.set_max_delta(MAX_REPLAY);
}

/// Runs before the fixed steps of a frame: when the frame took longer than [`MAX_REPLAY`], the
/// virtual clock dropped the excess; add its whole ticks to every snek in one step and hand the
/// remainder to the fixed clock, so the tick count stays exactly the real time elapsed.
fn resync_after_long_stall(
    real: Res<Time<Real>>,
    virt: Res<Time<Virtual>>,
    mut fixed: ResMut<Time<Fixed>>,
    mut clock: ResMut<SnekClock>,
    mut sneks: Query<&mut Snek>,
) {
    let lost = real.delta().saturating_sub(virt.delta());
    if lost.is_zero() || virt.is_paused() {
        return;
    }
    let step = fixed.timestep().as_nanos().max(1);
    let whole = (lost.as_nanos() / step) as u64;
    fixed.accumulate_overstep(Duration::from_nanos((lost.as_nanos() % step) as u64));
    if whole > 0 {
        clock.ticks += whole;
        clock.resyncs += 1;
        for mut snek in &mut sneks {
            snek.motion.advance(whole, TICK_HZ);
        }
    }
}

/// The fixed step: every snek moves and animates one tick. Only the sneks' own state changes here;
/// what is drawn follows once a frame, in [`show_sneks`].
fn tick_sneks(mut clock: ResMut<SnekClock>, mut sneks: Query<&mut Snek>) {
    clock.ticks += 1;
    clock.steps_run += 1;
    sneks.par_iter_mut().for_each(|mut snek| snek.motion.advance(1, TICK_HZ));
}

/// Runs once a frame, after the fixed steps caught up: puts each sprite where its snek is now,
/// touching (and so marking changed) only what changed: the transform moves every frame, the
/// animation frame a few times a second. A sprite hidden while its snek is painted on the canvas
/// is left alone (see [`canvas`]).
fn show_sneks(mut sneks: Query<(&mut Snek, &mut Transform, &mut Sprite, &Visibility)>, arena: Res<Arena>) {
    sneks.par_iter_mut().for_each(|(mut snek, mut transform, mut sprite, visibility)| {
        if *visibility == Visibility::Hidden {
            return;
        }
        let at = position_of(&snek, &arena);
        if transform.translation.truncate() != at {
            transform.translation.x = at.x;
            transform.translation.y = at.y;
        }
        let look = look_of(&snek);
        if snek.shown != look {
            snek.shown = look;
            show(&mut sprite, look);
        }
    });
}

/// Where the motion puts a snek's centre, in world units.
pub fn position_of(snek: &Snek, arena: &Arena) -> Vec2 {
    let corner = -arena.0 / 2.0 + SNEK_SIZE / 2.0;
    corner + Vec2::new(snek.motion.x.position() as f32, snek.motion.y.position() as f32) / SUBPIXELS as f32
}

/// The sprite-sheet index and facing, packed: the index, plus the top bit when facing left.
pub fn look_of(snek: &Snek) -> u32 {
    let index = snek.row * motion::FRAMES + snek.motion.frame(TICK_HZ);
    let left = if snek.motion.x.forwards() { 0 } else { 1 << 31 };
    index | left
}

fn show(sprite: &mut Sprite, look: u32) {
    sprite.flip_x = look >> 31 == 1;
    if let Some(atlas) = sprite.texture_atlas.as_mut() {
        atlas.index = (look & !(1 << 31)) as usize;
    }
}

/// Puts a sprite where a snek is, as it looks now (for a new snek, or after a resize).
pub fn place(snek: &mut Snek, arena: &Arena, transform: &mut Transform, sprite: &mut Sprite) {
    let at = position_of(snek, arena);
    transform.translation.x = at.x;
    transform.translation.y = at.y;
    snek.shown = look_of(snek);
    show(sprite, snek.shown);
}

/// Runs before sneks are spawned: follows the window's size (sneks keep their place and heading).
fn fit_arena(
    window: Query<&Window, With<PrimaryWindow>>,
    mut arena: ResMut<Arena>,
    mut sneks: Query<(&mut Snek, &mut Transform, &mut Sprite)>,
) {
    let Ok(window) = window.single() else { return };
    let size = window.size();
    if size == arena.0 || size.min_element() <= 0.0 {
        return;
    }
    arena.0 = size;
    let (sx, sy) = arena.spans();
    for (mut snek, mut transform, mut sprite) in &mut sneks {
        snek.motion.x = snek.motion.x.resized(sx);
        snek.motion.y = snek.motion.y.resized(sy);
        place(&mut snek, &arena, &mut transform, &mut sprite);
    }
}

/// What a new snek looks like.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Look {
    Plain,
    RandomHue,
    Ghost,
}

/// Spawns one snek at a random place, row, speed and animation rate.
pub fn spawn_snek(
    commands: &mut Commands,
    rng: &mut SmallRng,
    arena: &Arena,
    sprites: &Sprites,
    serial: u64,
    look: Look,
) {
    let (sx, sy) = arena.spans();
    let speed = rng.random_range(SPEED_RANGE);
    // Diagonal motion: the same speed on both axes, in sub-pixels per tick.
    let per_axis = (speed / std::f32::consts::SQRT_2 * SUBPIXELS as f32 / TICK_HZ as f32).round() as i64;
    let motion = Motion {
        x: Axis::new(rng.random_range(0..=sx), rng.random(), per_axis, sx),
        y: Axis::new(rng.random_range(0..=sy), rng.random(), per_axis, sy),
        fps: rng.random_range(FPS_RANGE),
        phase: 0,
    };
    let white = SNEK_ROWS - 1;
    let (row, color) = match look {
        Look::Plain => (rng.random_range(0..SNEK_ROWS), Color::WHITE),
        Look::RandomHue => (white, Color::hsl(rng.random_range(0.0..360.0), 0.85, 0.6)),
        Look::Ghost => (white, Color::srgba(0.6, 0.6, 0.62, 0.45)),
    };
    let mut snek = Snek { motion, row, shown: u32::MAX, serial };
    let mut sprite = Sprite::from_atlas_image(
        sprites.sneks.clone(),
        TextureAtlas { layout: sprites.sneks_layout.clone(), index: (row * motion::FRAMES) as usize },
    );
    let (top, bottom) = (PAINTED_ROWS.start, PAINTED_ROWS.end);
    sprite.rect = Some(Rect::new(0.0, top, 32.0, bottom));
    sprite.custom_size = Some(Vec2::new(SNEK_SIZE.x, SNEK_SIZE.y * (bottom - top) / 16.0));
    sprite.color = color;
    // Newer sneks slither over older ones; all of them under the ring.
    let mut transform = Transform::from_xyz(0.0, 0.0, -10.0 + (serial % 8192) as f32 * 0.001);
    place(&mut snek, arena, &mut transform, &mut sprite);
    let mut entity = commands.spawn((Name::new("Snek"), snek, sprite, transform));
    debug!("snek {serial} spawned ({look:?})");
    if look == Look::Ghost {
        entity.insert(Ghost);
    }
}

/// Runs with the other actions: `s`, `S` and `d`.
fn handle_snek_keys(
    mut commands: Commands,
    mut actions: MessageReader<Action>,
    mut rng: ResMut<SnekRng>,
    mut serial: ResMut<NextSerial>,
    arena: Res<Arena>,
    sprites: Res<Sprites>,
    sneks: Query<(Entity, &Snek)>,
) {
    let mut removed = Vec::new();
    for action in actions.read() {
        let look = match action {
            Action::SpawnSnek { random_hue: false } => Look::Plain,
            Action::SpawnSnek { random_hue: true } => Look::RandomHue,
            Action::RemoveSnek => {
                let oldest = sneks.iter().filter(|(e, _)| !removed.contains(e)).min_by_key(|(_, s)| s.serial);
                match oldest {
                    Some((entity, _)) => {
                        commands.entity(entity).despawn();
                        removed.push(entity);
                        continue;
                    }
                    None => Look::Ghost,
                }
            }
            _ => continue,
        };
        serial.0 += 1;
        spawn_snek(&mut commands, &mut rng.0, &arena, &sprites, serial.0, look);
    }
}

/// Runs with the other actions: an achieved pomodoro brings a new snek into the world.
fn reward_achievements(
    mut commands: Commands,
    today: Res<Today>,
    mut seen: Local<Option<(jiff::civil::Date, usize)>>,
    mut rng: ResMut<SnekRng>,
    mut serial: ResMut<NextSerial>,
    arena: Res<Arena>,
    sprites: Res<Sprites>,
) {
    let achieved = today.day().achieved().count();
    let date = today.date();
    if let Some((seen_date, seen_count)) = *seen
        && seen_date == date
    {
        for _ in seen_count..achieved {
            serial.0 += 1;
            spawn_snek(&mut commands, &mut rng.0, &arena, &sprites, serial.0, Look::RandomHue);
        }
    }
    *seen = Some((date, achieved));
}

/// Runs last among the actions: `h` really stalls the main thread, as an overloaded loop would.
fn hiccup(mut actions: MessageReader<Action>, mut rng: ResMut<SnekRng>) {
    for action in actions.read() {
        if *action == Action::Hiccup {
            let ms = rng.0.random_range(0..=MAX_HICCUP_MS);
            info!("hiccup: stalling the main thread for {ms} ms");
            std::thread::sleep(Duration::from_millis(ms));
        }
    }
}

//! The snake that eats the day: its tail where the day starts, its body over what has been eaten,
//! its head at the current moment. It bites as each interval ends, reaches its own tail at the
//! day's end, and sleeps curled outside work hours.

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use jiff::Timestamp;
use std::f32::consts::{FRAC_PI_2, TAU};

use super::Layout;
use super::geometry::RingLayout;
use super::geometry::{angle_of, fraction};
use crate::day::Event;
use crate::format::{Detail, seconds_until};
use crate::shell::face::{ClockDetail, NextChange};
use crate::shell::sprites::{OUROBOROS_CELL, Sprites, cell};
use crate::shell::today::{DayEvent, Today};

/// How long the bite lasts, in seconds.
pub const BITE_SECS: f32 = 0.8;
/// How long a swallowed interval takes to travel down the body, in seconds.
pub const SWALLOW_SECS: f32 = 1.6;
/// While a bite plays and someone watches, a frame this often (about 30 a second).
pub const ANIMATION_FRAME: std::time::Duration = std::time::Duration::from_millis(33);
/// The head moves at most a frame this often, however short the day (a test day's 10 px a second).
const HEAD_FRAME: std::time::Duration = std::time::Duration::from_secs(1);
/// The tongue's frame (0 in, 1 half out, 2 out) by the countdown's seconds left modulo 3, so that
/// it goes in, out, half out as the seconds fall: it moves on the frames that show a new second and
/// never costs a frame of its own.
const TONGUE_BY_SECOND: [usize; 3] = [1, 2, 0];
/// The body's thickness as a share of the ring's width.
const BODY_SHARE: f32 = 0.75;
/// The body band's thickness inside its 32 px cell.
const BODY_BAND_PX: f32 = 18.0;
/// Body pieces follow one another at this share of a piece's length: enough overlap for an unbroken
/// body on the curve, few enough pieces that a software rasterizer does not pay for each pixel three
/// times over.
const SPACING_SHARE: f32 = 0.8;

/// A part of the snake; body pieces are numbered from the tail.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnakePart {
    Head,
    Tail,
    Body(usize),
}

/// The last bite.
#[derive(Resource, Debug, Default)]
pub struct Bite {
    /// When it began, in real seconds since start-up.
    pub started: Option<f32>,
}

/// What the snake is doing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pose {
    /// Before work, or a free day: curled at the top.
    Curled,
    /// During work: the head at this fraction of the day.
    Eating(f32),
    /// After work: a full circle, head on its tail, asleep.
    Full,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Bite>();
}

/// Runs once after the sprites are loaded: head and tail; body pieces come as the day is eaten.
pub(super) fn spawn_snake(mut commands: Commands, sprites: Res<Sprites>) {
    let sprite = |index| {
        Sprite::from_atlas_image(
            sprites.ouroboros.clone(),
            TextureAtlas { layout: sprites.ouroboros_layout.clone(), index },
        )
    };
    commands.spawn((SnakePart::Head, Name::new("Snake head"), sprite(cell::HEAD), Transform::from_xyz(0.0, 0.0, 3.0)));
    commands.spawn((SnakePart::Tail, Name::new("Snake tail"), sprite(cell::TAIL), Transform::from_xyz(0.0, 0.0, 2.0)));
}

/// The pose at this frame's instant.
pub fn pose(today: &Today) -> Pose {
    let now = today.now();
    match today.day().span() {
        Some((_, end)) if now >= end => Pose::Full,
        Some((start, end)) if now >= start => Pose::Eating(fraction(now, start, end)),
        _ => Pose::Curled,
    }
}

/// Runs after the ring is rebuilt: starts a bite when an interval ends.
pub(super) fn start_bite(mut events: MessageReader<DayEvent>, mut bite: ResMut<Bite>, time: Res<Time<Real>>) {
    if events.read().any(|e| matches!(e.0.event, Event::IntervalEnded { .. })) {
        bite.started = Some(time.elapsed_secs());
    }
}

/// Time until the snake's head has moved one physical pixel along the ring, while it moves: the
/// day's length over the ring's circumference (a pixel every 16.5 s on an 8-hour day at
/// 1280×800). A three-minute test day moves it ~10 pixels a second; it then moves once a second.
fn until_head_moves(
    span: Option<(Timestamp, Timestamp)>,
    now: Timestamp,
    radius_px: f32,
) -> Option<std::time::Duration> {
    let (start, end) = span?;
    if now < start || now >= end {
        return None;
    }
    let day = end.duration_since(start).as_secs_f64();
    let circumference = TAU as f64 * f64::from(radius_px.max(1.0));
    Some(std::time::Duration::from_secs_f64(day / circumference).max(HEAD_FRAME))
}

/// Runs with the other reports of what changes next: the head's next physical pixel, and the
/// bite's frames while it plays.
pub(super) fn report_snake_motion(
    today: Res<Today>,
    layout: Res<Layout>,
    bite: Res<Bite>,
    time: Res<Time<Real>>,
    windows: Query<&Window, With<PrimaryWindow>>,
    mut next: ResMut<NextChange>,
) {
    let scale = windows.single().map_or(1.0, |w| w.scale_factor());
    if let Some(step) = until_head_moves(today.day().span(), today.now(), layout.0.radius * scale) {
        next.within(step);
    }
    let t = time.elapsed_secs();
    if bite.started.is_some_and(|start| t - start < BITE_SECS + SWALLOW_SECS) {
        next.animate_within(ANIMATION_FRAME);
    }
}

/// Where one part goes, how it looks, and whether it shows.
struct Placement {
    translation: Vec3,
    rotation: Quat,
    size: Vec2,
    cell: usize,
    visible: bool,
}

/// What the snake looks like this frame, besides where the day has got to: the bite's age (while
/// one plays), the breath (0 or 1), the tongue's frame.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Look {
    bite_age: Option<f32>,
    breath: usize,
    tongue: usize,
}

/// The snake laid along its ring: where each part goes (pure: no sprites, no entities).
struct Laid {
    layout: RingLayout,
    cell_size: Vec2,
    spacing: f32,
    /// Body pieces shown.
    count: usize,
    /// How far a swallowed interval has travelled down the body, while it does (0 to 1).
    swallow: Option<f32>,
    head: Placement,
    tail: Placement,
}

/// Clockwise travel: the heading at angle `a` points a quarter turn behind it.
fn on_ring(layout: &RingLayout, a: f32, z: f32) -> (Vec3, Quat) {
    (layout.point(a, 0.0).extend(z), Quat::from_rotation_z(a - FRAC_PI_2))
}

impl Laid {
    /// Lays the snake in `pose` along `layout`, looking as `look` says.
    fn new(pose: Pose, layout: RingLayout, look: Look) -> Self {
        let thickness = layout.width * BODY_SHARE;
        let cell_size = OUROBOROS_CELL.as_vec2() * (thickness / BODY_BAND_PX);
        let spacing = (cell_size.x * SPACING_SHARE).max(1.0);
        let eaten = match pose {
            Pose::Curled => 0.0,
            Pose::Eating(f) => f,
            Pose::Full => 1.0,
        };
        let awake = pose != Pose::Curled;
        let top = angle_of(0.0);
        let arc = eaten * TAU * layout.radius;
        let count = if awake { (arc / spacing) as usize } else { 0 };
        let swallow = look.bite_age.map(|age| (age - BITE_SECS) / SWALLOW_SECS).filter(|p| (0.0..1.0).contains(p));
        let head = match pose {
            Pose::Curled => {
                // Curled up at the top, breathing.
                let (translation, _) = on_ring(&layout, top, 3.0);
                let cell = cell::CURLED + look.breath;
                Placement { translation, rotation: Quat::IDENTITY, size: cell_size * 1.6, cell, visible: true }
            }
            Pose::Full => {
                let (translation, rotation) = on_ring(&layout, top - 0.02, 3.0);
                let cell = cell::ASLEEP + look.breath;
                Placement { translation, rotation, size: cell_size * 1.5, cell, visible: true }
            }
            Pose::Eating(f) => {
                let (translation, rotation) = on_ring(&layout, angle_of(f), 3.0);
                let cell = match look.bite_age {
                    Some(age) if age < BITE_SECS => cell::BITE + ((age / BITE_SECS * 4.0) as usize).min(3),
                    _ => cell::HEAD + look.tongue,
                };
                Placement { translation, rotation, size: cell_size * 1.5, cell, visible: true }
            }
        };
        let tail = {
            let (translation, rotation) = on_ring(&layout, top - spacing / layout.radius * 0.5, 2.0);
            Placement { translation, rotation, size: cell_size, cell: cell::TAIL, visible: awake }
        };
        Self { layout, cell_size, spacing, count, swallow, head, tail }
    }

    /// Body piece `k`, counted from the tail.
    fn body(&self, k: usize) -> Placement {
        let angle = angle_of(0.0) - (k as f32 + 1.0) * self.spacing / self.layout.radius;
        let (translation, rotation) = on_ring(&self.layout, angle, 2.0 + k as f32 * 1e-4);
        // A bulge travels from the head towards the tail as an interval is swallowed.
        let count = self.count as f32;
        let bulge = self.swallow.map_or(1.0, |p| if (k as f32 - count * (1.0 - p)).abs() < 1.5 { 1.3 } else { 1.0 });
        let cell = if k % 3 == 2 { cell::BODY_STRIPE } else { cell::BODY };
        Placement { translation, rotation, size: self.cell_size * bulge, cell, visible: k < self.count }
    }
}

/// The snake's look at this frame: breathing and the tongue move only while the clock shows
/// seconds (a window showing minutes is drawn a few times a minute, and a frozen half-breath would
/// read as a glitch); the tongue follows the countdown's seconds.
fn look(today: &Today, bite: &Bite, t: f32, seconds: bool) -> Look {
    let now = today.now();
    let end = today.day().interval_at(now).map(|i| today.day().intervals[i].end);
    let tongue = match end {
        Some(end) if seconds => TONGUE_BY_SECOND[seconds_until(now, end).rem_euclid(3) as usize],
        _ => 0,
    };
    let bite_age = bite.started.map(|b| t - b).filter(|age| *age >= 0.0);
    Look { bite_age, breath: if seconds { t as usize % 2 } else { 0 }, tongue }
}

/// Brings one part's sprite to its placement (hidden parts are left as they are).
fn place(placement: &Placement, transform: &mut Transform, sprite: &mut Sprite, mut visibility: Mut<Visibility>) {
    visibility.set_if_neq(if placement.visible { Visibility::Inherited } else { Visibility::Hidden });
    if !placement.visible {
        return;
    }
    transform.translation = placement.translation;
    transform.rotation = placement.rotation;
    sprite.custom_size = Some(placement.size);
    if let Some(atlas) = sprite.texture_atlas.as_mut()
        && atlas.index != placement.cell
    {
        atlas.index = placement.cell;
    }
}

/// A new body piece `k`, where it belongs.
fn spawn_body(commands: &mut Commands, sprites: &Sprites, k: usize, placement: &Placement) {
    let mut sprite = Sprite::from_atlas_image(
        sprites.ouroboros.clone(),
        TextureAtlas { layout: sprites.ouroboros_layout.clone(), index: placement.cell },
    );
    sprite.custom_size = Some(placement.size);
    let transform = Transform { translation: placement.translation, rotation: placement.rotation, ..default() };
    commands.spawn((SnakePart::Body(k), Name::new("Snake body"), sprite, transform));
}

/// Runs last in the frame's update: lays the snake along the eaten arc, body pieces added as more
/// of the day is eaten.
pub(super) fn draw_snake(
    mut commands: Commands,
    today: Res<Today>,
    layout: Res<Layout>,
    sprites: Res<Sprites>,
    bite: Res<Bite>,
    (time, detail): (Res<Time<Real>>, Res<ClockDetail>),
    mut parts: Query<(&SnakePart, &mut Transform, &mut Sprite, &mut Visibility)>,
) {
    let look = look(&today, &bite, time.elapsed_secs(), detail.0 == Detail::Seconds);
    let laid = Laid::new(pose(&today), layout.0, look);
    let mut have = 0;
    for (part, mut transform, mut sprite, visibility) in &mut parts {
        let body;
        let placement = match *part {
            SnakePart::Head => &laid.head,
            SnakePart::Tail => &laid.tail,
            SnakePart::Body(k) => {
                have = have.max(k + 1);
                body = laid.body(k);
                &body
            }
        };
        place(placement, &mut transform, &mut sprite, visibility);
    }
    for k in have..laid.count {
        spawn_body(&mut commands, &sprites, k, &laid.body(k));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    #[test]
    fn the_head_moves_a_pixel_every_few_seconds_of_a_real_day() {
        let start: Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
        let span = Some((start, start + SignedDuration::from_hours(8)));
        let now = start + SignedDuration::from_hours(1);
        // 28,800 s over a circumference of 2π × 278 px.
        let step = until_head_moves(span, now, 278.0).unwrap();
        assert!((16.4..16.6).contains(&step.as_secs_f64()), "{step:?}");
        let test_day = Some((start, start + SignedDuration::from_mins(3)));
        assert_eq!(until_head_moves(test_day, now - SignedDuration::from_mins(59), 278.0), Some(HEAD_FRAME));
        assert_eq!(until_head_moves(span, start - SignedDuration::from_secs(1), 278.0), None);
        assert_eq!(until_head_moves(span, start + SignedDuration::from_hours(8), 278.0), None);
    }
}

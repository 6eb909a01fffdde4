//! The ring as one mesh with vertex colours: a segment per interval, coloured by kind and state and
//! marked by shape, so that no state is told by hue alone.

use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use jiff::Timestamp;

use super::geometry::{RingLayout, angle_of, fraction};
use crate::day::{Day, Interval, Kind, Rating};

/// Radians left empty between segments.
const GAP: f32 = 0.006;
/// Radians per tessellation step along an arc.
const STEP: f32 = 0.02;

/// Okabe–Ito colours (safe for the common kinds of colour blindness), plus neutral greys.
pub mod palette {
    use bevy::color::Srgba;
    pub const ACHIEVED: Srgba = Srgba::rgb(0.0, 0.62, 0.45);
    pub const FOCUSED: Srgba = Srgba::rgb(0.34, 0.71, 0.91);
    pub const INTERRUPTED: Srgba = Srgba::rgb(0.90, 0.62, 0.0);
    pub const DISTRACTED: Srgba = Srgba::rgb(0.80, 0.47, 0.65);
    pub const UNRATED: Srgba = Srgba::rgb(0.94, 0.89, 0.26);
    pub const POMODORO_AHEAD: Srgba = Srgba::rgb(0.53, 0.58, 0.65);
    pub const POMODORO_UNINTENDED: Srgba = Srgba::rgb(0.33, 0.36, 0.42);
    pub const BREAK_AHEAD: Srgba = Srgba::rgb(0.26, 0.29, 0.34);
    pub const BREAK_PAST: Srgba = Srgba::rgb(0.18, 0.20, 0.24);
    pub const CURRENT: Srgba = Srgba::rgb(0.95, 0.96, 0.98);
    pub const BACKGROUND: Srgba = Srgba::rgb(0.07, 0.08, 0.10);
}

/// The colour of a rating (or of an intended, unrated pomodoro).
pub fn rating_color(rating: Option<Rating>) -> Srgba {
    match rating {
        Some(Rating::Achieved) => palette::ACHIEVED,
        Some(Rating::Focused) => palette::FOCUSED,
        Some(Rating::Interrupted) => palette::INTERRUPTED,
        Some(Rating::Distracted) => palette::DISTRACTED,
        None => palette::UNRATED,
    }
}

/// The mark drawn beside a pomodoro: its shape tells its state without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Achieved: a four-pointed star.
    Star,
    /// Focused: a disc.
    Disc,
    /// Interrupted: a square.
    Square,
    /// Distracted: a triangle.
    Triangle,
    /// Intended, not yet rated: a thin bar.
    Bar,
}

/// The mark of an interval, if any.
pub fn mark_of(iv: &Interval) -> Option<Mark> {
    iv.intention.as_ref()?;
    Some(match iv.rating {
        Some(Rating::Achieved) => Mark::Star,
        Some(Rating::Focused) => Mark::Disc,
        Some(Rating::Interrupted) => Mark::Square,
        Some(Rating::Distracted) => Mark::Triangle,
        None => Mark::Bar,
    })
}

/// Vertices and triangles in world space, with a colour per vertex.
#[derive(Default)]
pub struct RingGeometry {
    pub positions: Vec<[f32; 3]>,
    pub colors: Vec<[f32; 4]>,
    pub indices: Vec<u32>,
}

impl RingGeometry {
    fn vertex(&mut self, p: Vec2, color: Srgba) -> u32 {
        self.positions.push([p.x, p.y, 0.0]);
        self.colors.push(LinearRgba::from(color).to_f32_array());
        (self.positions.len() - 1) as u32
    }

    /// An annular sector between two angles (`a0` > `a1`, clockwise) and two radii.
    fn arc(&mut self, center: Vec2, a0: f32, a1: f32, r_in: f32, r_out: f32, color: Srgba) {
        let steps = (((a0 - a1).abs() / STEP).ceil() as u32).max(1);
        let first = self.positions.len() as u32;
        for k in 0..=steps {
            let a = a0 + (a1 - a0) * k as f32 / steps as f32;
            let dir = Vec2::from_angle(a);
            self.vertex(center + dir * r_in, color);
            self.vertex(center + dir * r_out, color);
        }
        for k in 0..steps {
            let i = first + 2 * k;
            self.indices.extend([i, i + 1, i + 2, i + 1, i + 3, i + 2]);
        }
    }

    /// A convex polygon around `center`, from points relative to it.
    fn polygon(&mut self, center: Vec2, points: &[Vec2], color: Srgba) {
        let c = self.vertex(center, color);
        let first = self.positions.len() as u32;
        for p in points {
            self.vertex(center + *p, color);
        }
        let n = points.len() as u32;
        for k in 0..n {
            self.indices.extend([c, first + k, first + (k + 1) % n]);
        }
    }

    fn mark(&mut self, at: Vec2, size: f32, mark: Mark, color: Srgba) {
        let ring = |n: usize, r: f32, turn: f32| -> Vec<Vec2> {
            (0..n).map(|k| Vec2::from_angle(turn + k as f32 * std::f32::consts::TAU / n as f32) * r).collect()
        };
        match mark {
            Mark::Star => {
                let pts: Vec<Vec2> = (0..8)
                    .map(|k| {
                        let r = if k % 2 == 0 { size } else { size * 0.4 };
                        Vec2::from_angle(std::f32::consts::FRAC_PI_2 + k as f32 * std::f32::consts::FRAC_PI_4) * r
                    })
                    .collect();
                // A star is not convex, but it is star-shaped around its centre, which is enough.
                self.polygon(at, &pts, color);
            }
            Mark::Disc => self.polygon(at, &ring(16, size * 0.75, 0.0), color),
            Mark::Square => self.polygon(at, &ring(4, size * 0.8, std::f32::consts::FRAC_PI_4), color),
            Mark::Triangle => self.polygon(at, &ring(3, size * 0.85, std::f32::consts::FRAC_PI_2), color),
            Mark::Bar => {
                let (w, h) = (size * 0.8, size * 0.22);
                self.polygon(at, &[Vec2::new(-w, -h), Vec2::new(w, -h), Vec2::new(w, h), Vec2::new(-w, h)], color);
            }
        }
    }
}

/// How an interval looks: its colour and its radial extent (as shares of half the ring's width).
pub fn segment_style(iv: &Interval, current: bool, past: bool) -> (Srgba, f32) {
    match iv.kind {
        Kind::Pomodoro => {
            let color = if iv.intention.is_some() && (past || current) {
                rating_color(iv.rating)
            } else if past {
                palette::POMODORO_UNINTENDED
            } else {
                palette::POMODORO_AHEAD
            };
            (color, 1.0)
        }
        Kind::ShortBreak | Kind::LongBreak => (if past { palette::BREAK_PAST } else { palette::BREAK_AHEAD }, 0.45),
    }
}

/// Builds the ring of `day` at `now` inside `layout`.
pub fn ring_geometry(day: &Day, now: Timestamp, layout: &RingLayout) -> RingGeometry {
    let mut g = RingGeometry::default();
    let Some((start, end)) = day.span() else {
        // A free day: one quiet circle.
        g.arc(
            layout.center,
            angle_of(0.0),
            angle_of(1.0),
            layout.radius - 2.0,
            layout.radius + 2.0,
            palette::BREAK_AHEAD,
        );
        return g;
    };
    let half = layout.width / 2.0;
    for iv in &day.intervals {
        let a0 = angle_of(fraction(iv.start, start, end)) - GAP / 2.0;
        let a1 = angle_of(fraction(iv.end, start, end)) + GAP / 2.0;
        let current = iv.contains(now);
        let past = iv.end <= now;
        let (color, share) = segment_style(iv, current, past);
        g.arc(layout.center, a0, a1.min(a0), layout.radius - half * share, layout.radius + half * share, color);
        if current {
            // A bright rim outside the current interval.
            let r = layout.radius + half + 3.0;
            g.arc(layout.center, a0, a1.min(a0), r, r + 3.0, palette::CURRENT);
        }
        if let Some(mark) = mark_of(iv) {
            let mid = (a0 + a1) / 2.0;
            let at = layout.point(mid, half + layout.width * 0.55);
            g.mark(at, layout.width * 0.28, mark, rating_color(iv.rating));
        }
    }
    g
}

/// Turns geometry into a Bevy mesh.
pub fn to_mesh(g: RingGeometry) -> Mesh {
    let uvs = vec![[0.0f32, 0.0]; g.positions.len()];
    Mesh::new(PrimitiveTopology::TriangleList, RenderAssetUsages::RENDER_WORLD)
        .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, g.positions)
        .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, uvs)
        .with_inserted_attribute(Mesh::ATTRIBUTE_COLOR, g.colors)
        .with_inserted_indices(Indices::U32(g.indices))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::{RateTarget, Settings};
    use jiff::civil::date;

    #[test]
    fn every_state_has_its_own_shape() {
        let marks = [Mark::Star, Mark::Disc, Mark::Square, Mark::Triangle, Mark::Bar];
        let mut g = RingGeometry::default();
        let mut counts = Vec::new();
        for m in marks {
            let before = g.positions.len();
            g.mark(Vec2::ZERO, 10.0, m, palette::ACHIEVED);
            counts.push(g.positions.len() - before);
        }
        counts.dedup();
        assert_eq!(counts.len(), marks.len(), "vertex counts differ by shape: {counts:?}");
    }

    #[test]
    fn a_day_builds_a_ring_with_marks() {
        let start: Timestamp = "2026-11-24T09:00:00Z".parse().unwrap();
        let timing = Settings::default().timing().unwrap();
        let mut day = Day::new(date(2026, 11, 24), Some((start, start + jiff::SignedDuration::from_hours(8))), &timing);
        day.intend(start, "write").unwrap();
        day.rate(start, Rating::Achieved, RateTarget::Default).unwrap();
        let layout = RingLayout::for_window(Vec2::new(800.0, 600.0));
        let g = ring_geometry(&day, start + jiff::SignedDuration::from_mins(10), &layout);
        assert!(g.indices.len() > 3 * day.intervals.len());
        assert!(g.indices.iter().all(|&i| (i as usize) < g.positions.len()));
        assert_eq!(g.positions.len(), g.colors.len());
    }
}

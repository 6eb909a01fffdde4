//! Where things sit on the ring: pure functions from time and window size to angles and points.

use bevy::math::{Rect, Vec2};
use jiff::Timestamp;
use std::f32::consts::{FRAC_PI_2, TAU};

/// The ring's radius as a share of the shorter side of the area it is drawn in.
pub const RADIUS_SHARE: f32 = 0.36;
/// The ring's width as a share of its radius.
pub const WIDTH_SHARE: f32 = 0.16;
/// Pixels kept free at the bottom of the window for the key legend.
pub const LEGEND_HEIGHT: f32 = 28.0;

/// How far through `[start, end]` the instant `at` is, from 0 to 1.
pub fn fraction(at: Timestamp, start: Timestamp, end: Timestamp) -> f32 {
    let total = end.duration_since(start).as_secs_f64();
    if total <= 0.0 {
        return 0.0;
    }
    (at.duration_since(start).as_secs_f64() / total).clamp(0.0, 1.0) as f32
}

/// The angle (radians, counter-clockwise from the +x axis, as Bevy's 2D world has it) of a
/// fraction of the day: the day starts at twelve o'clock and runs clockwise.
pub fn angle_of(fraction: f32) -> f32 {
    FRAC_PI_2 - fraction * TAU
}

/// The ring's place and size in world units (the 2D camera's units, one per logical pixel).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RingLayout {
    pub center: Vec2,
    /// The radius of the ring's middle line.
    pub radius: f32,
    /// The ring's width.
    pub width: f32,
}

impl RingLayout {
    /// The ring for a window of `size` logical pixels: centred above the legend.
    pub fn for_window(size: Vec2) -> Self {
        Self::in_area(size, Rect::new(0.0, 0.0, size.x, (size.y - LEGEND_HEIGHT).max(1.0)))
    }

    /// The ring centred in `area` of a window of `size`; `area` in window coordinates (origin at the
    /// top-left corner, y down, as egui has them).
    pub fn in_area(size: Vec2, area: Rect) -> Self {
        let radius = (area.width().min(area.height()) * RADIUS_SHARE).max(8.0);
        let c = area.center();
        Self { center: Vec2::new(c.x - size.x / 2.0, size.y / 2.0 - c.y), radius, width: radius * WIDTH_SHARE }
    }

    /// The ring's centre in window coordinates (origin top-left, y down).
    pub fn window_center(&self, size: Vec2) -> Vec2 {
        Vec2::new(self.center.x + size.x / 2.0, size.y / 2.0 - self.center.y)
    }

    /// The point at `angle` on a circle `offset` world units outside the middle line.
    pub fn point(&self, angle: f32, offset: f32) -> Vec2 {
        self.center + Vec2::from_angle(angle) * (self.radius + offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn the_day_runs_clockwise_from_the_top() {
        let (start, end) = (ts("2026-11-24T09:00:00Z"), ts("2026-11-24T17:00:00Z"));
        assert_eq!(fraction(ts("2026-11-24T08:00:00Z"), start, end), 0.0);
        assert_eq!(fraction(ts("2026-11-24T13:00:00Z"), start, end), 0.5);
        assert_eq!(fraction(ts("2026-11-24T18:00:00Z"), start, end), 1.0);
        let top = angle_of(0.0);
        assert!((top - FRAC_PI_2).abs() < 1e-6);
        // A quarter of the day later the head points right (three o'clock): clockwise.
        let quarter = Vec2::from_angle(angle_of(0.25));
        assert!((quarter - Vec2::X).length() < 1e-5, "{quarter}");
        // The end meets the start.
        let (a, b) = (Vec2::from_angle(angle_of(0.0)), Vec2::from_angle(angle_of(1.0)));
        assert!((a - b).length() < 1e-5);
    }

    #[test]
    fn layout_fits_the_window() {
        let l = RingLayout::for_window(Vec2::new(1280.0, 800.0));
        assert!(l.radius + l.width < 400.0);
        assert!((l.point(0.0, 0.0) - l.center - Vec2::new(l.radius, 0.0)).length() < 1e-3);
    }
}

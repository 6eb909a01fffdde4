//! What an overlay draws, as geometry: the bar's segments and head, or the ring with a head. Pure
//! functions of the day, the time and the overlay's size, so every edge and size is tested
//! without a window.

use bevy::color::{ColorToComponents, Srgba};
use bevy::math::Vec2;
use jiff::Timestamp;

use crate::day::overlay::{CAPTION_BAND, CAPTION_COLUMN};
use crate::day::{Day, Edge, Urgency};
use crate::shell::ring::geometry::{RingLayout, angle_of, fraction};
use crate::shell::ring::mesh::{RingGeometry, palette, ring_geometry, segment_style};

/// A colour of the settings as the overlay draws it.
pub fn srgba(colour: crate::day::Rgb) -> Srgba {
    let [r, g, b] = colour.unit();
    Srgba::rgb(r, g, b)
}
/// The gap between two segments of the bar, in pixels.
const BAR_GAP: f32 = 1.0;
/// The ring's middle line as a share of half the overlay's side (room outside it for the marks).
const RING_RADIUS_SHARE: f32 = 0.8;

/// A rectangle along the bar: `u` runs with the day (from the bar's start), `v` across it (from
/// the monitor's edge inwards); both in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BarQuad {
    pub u: (f32, f32),
    pub v: (f32, f32),
    pub color: Srgba,
}

/// The bar of `day` at `now`, `length` pixels long and `thickness` thick: each interval a segment
/// in the ring's colours (breaks thinner), the current one's elapsed part under a bright line,
/// and the head (a notch as thick as the bar) where now is.
pub fn bar_quads(
    day: &Day,
    now: Timestamp,
    (urgency, warning): (Urgency, Srgba),
    length: f32,
    thickness: f32,
) -> Vec<BarQuad> {
    let mut quads = Vec::new();
    let Some((start, end)) = day.span() else { return quads };
    let at = |t: Timestamp| fraction(t, start, end) * length;
    for iv in &day.intervals {
        let (u0, u1) = (at(iv.start), (at(iv.end) - BAR_GAP).max(at(iv.start)));
        let current = iv.contains(now);
        let past = iv.end <= now;
        let (mut color, share) = segment_style(iv, current, past);
        if current && urgency == Urgency::Late {
            color = warning;
        }
        quads.push(BarQuad { u: (u0, u1), v: (0.0, thickness * share), color });
        if current {
            let line = (thickness * 0.25).max(2.0);
            quads.push(BarQuad { u: (u0, at(now).max(u0)), v: (0.0, line), color: palette::CURRENT });
        }
    }
    if now >= start && now < end {
        let head = at(now);
        let half = (thickness * 0.5).max(3.0);
        quads.push(BarQuad { u: (head - half, head + half), v: (0.0, thickness), color: palette::CURRENT });
    }
    quads
}

/// World coordinates (the overlay camera's: origin at the window's centre, y up) of a bar's
/// quads in a window of `size` along `edge`. A top or bottom bar runs left to right; a left or
/// right one top to bottom.
pub fn place_bar(quads: &[BarQuad], edge: Edge, size: Vec2) -> RingGeometry {
    let mut g = RingGeometry::default();
    let (hw, hh) = (size.x / 2.0, size.y / 2.0);
    for q in quads {
        let (x0, x1, y0, y1) = match edge {
            Edge::Bottom => (q.u.0 - hw, q.u.1 - hw, -hh + q.v.0, -hh + q.v.1),
            Edge::Top => (q.u.0 - hw, q.u.1 - hw, hh - q.v.1, hh - q.v.0),
            Edge::Left => (-hw + q.v.0, -hw + q.v.1, hh - q.u.1, hh - q.u.0),
            Edge::Right => (hw - q.v.1, hw - q.v.0, hh - q.u.1, hh - q.u.0),
        };
        let color = bevy::color::LinearRgba::from(q.color).to_f32_array();
        let first = g.positions.len() as u32;
        for (x, y) in [(x0, y0), (x1, y0), (x1, y1), (x0, y1)] {
            g.positions.push([x, y, 0.0]);
            g.colors.push(color);
        }
        g.indices.extend([first, first + 1, first + 2, first, first + 2, first + 3]);
    }
    g
}

/// The bar's length (along the day) in a window of `size` along `edge`.
pub fn bar_length(edge: Edge, size: Vec2) -> f32 {
    match edge {
        Edge::Top | Edge::Bottom => size.x,
        Edge::Left | Edge::Right => size.y,
    }
}

/// The bar's thickness in a window of `size` along `edge` (the window holds the caption's band too).
pub fn bar_thickness_in(edge: Edge, size: Vec2) -> f32 {
    match edge {
        Edge::Top | Edge::Bottom => (size.y - CAPTION_BAND as f32).max(1.0),
        Edge::Left | Edge::Right => (size.x - CAPTION_COLUMN as f32).max(1.0),
    }
}

/// The ring's layout in a square overlay of `side` pixels, centred.
fn ring_layout(side: f32) -> RingLayout {
    let radius = side / 2.0 * RING_RADIUS_SHARE / (1.0 + crate::shell::ring::geometry::WIDTH_SHARE);
    RingLayout { center: Vec2::ZERO, radius, width: radius * crate::shell::ring::geometry::WIDTH_SHARE * 1.6 }
}

/// The radius inside which a square overlay of `side` pixels draws nothing (the ring's hole).
pub fn ring_hole(side: f32) -> f32 {
    let layout = ring_layout(side);
    (layout.radius - layout.width / 2.0 - 2.0).max(0.0)
}

/// The ring of `day` at `now` filling a square overlay of `side` pixels, with a head (a bright
/// dot) where now is; the current pomodoro past its grace period with no intention is warm.
pub fn overlay_ring(day: &Day, now: Timestamp, (urgency, warning): (Urgency, Srgba), side: f32) -> RingGeometry {
    let layout = ring_layout(side);
    let mut g = ring_geometry(day, now, &layout);
    if urgency == Urgency::Late
        && let Some(i) = day.interval_at(now)
    {
        // The current segment's vertices are repainted warm (it is the one whose colour is
        // the unintended pomodoro's and lies under the rim): simplest, an arc over it.
        let (start, end) = day.span().unwrap_or((now, now));
        let iv = &day.intervals[i];
        let a0 = angle_of(fraction(iv.start, start, end));
        let a1 = angle_of(fraction(iv.end, start, end));
        arc_over(&mut g, layout, a0, a1, warning);
    }
    if let Some((start, end)) = day.span()
        && now >= start
        && now < end
    {
        let at = layout.point(angle_of(fraction(now, start, end)), 0.0);
        disc(&mut g, at, layout.width * 0.7, palette::CURRENT);
    }
    g
}

fn push(g: &mut RingGeometry, p: Vec2, color: Srgba) -> u32 {
    g.positions.push([p.x, p.y, 0.0]);
    g.colors.push(bevy::color::LinearRgba::from(color).to_f32_array());
    (g.positions.len() - 1) as u32
}

/// An arc over the ring's full width between two angles (`a0` > `a1`, clockwise).
fn arc_over(g: &mut RingGeometry, layout: RingLayout, a0: f32, a1: f32, color: Srgba) {
    let steps = (((a0 - a1).abs() / 0.05).ceil() as u32).max(1);
    let (r_in, r_out) = (layout.radius - layout.width / 2.0, layout.radius + layout.width / 2.0);
    let first = g.positions.len() as u32;
    for k in 0..=steps {
        let a = a0 + (a1 - a0) * k as f32 / steps as f32;
        let dir = Vec2::from_angle(a);
        push(g, layout.center + dir * r_in, color);
        push(g, layout.center + dir * r_out, color);
    }
    for k in 0..steps {
        let i = first + 2 * k;
        g.indices.extend([i, i + 1, i + 2, i + 1, i + 3, i + 2]);
    }
}

fn disc(g: &mut RingGeometry, at: Vec2, radius: f32, color: Srgba) {
    let c = push(g, at, color);
    let first = g.positions.len() as u32;
    const SIDES: u32 = 20;
    for k in 0..SIDES {
        push(g, at + Vec2::from_angle(k as f32 * std::f32::consts::TAU / SIDES as f32) * radius, color);
    }
    for k in 0..SIDES {
        g.indices.extend([c, first + k, first + (k + 1) % SIDES]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::Settings;
    use jiff::SignedDuration;

    /// The default warning colour, as drawn.
    const WARNING: Srgba = Srgba::rgb(0xe6 as f32 / 255.0, 0x9e as f32 / 255.0, 0.0);

    #[test]
    fn the_settings_colours_are_drawn_as_set() {
        use bevy::color::ColorToPacked;
        assert_eq!(srgba(crate::day::Rgb::WARM), WARNING);
        // The default is the ring's palette orange, to the byte.
        assert_eq!(palette::INTERRUPTED.to_u8_array_no_alpha(), crate::day::Rgb::WARM.0);
    }

    fn day() -> (Day, Timestamp) {
        let start: Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
        let timing = Settings::default().timing().unwrap();
        (Day::new(jiff::civil::date(2026, 12, 1), Some((start, start + SignedDuration::from_hours(8))), &timing), start)
    }

    #[test]
    fn the_bar_has_a_segment_an_interval_and_its_head_where_now_is() {
        let (day, start) = day();
        let now = start + SignedDuration::from_hours(2);
        let quads = bar_quads(&day, now, (Urgency::Due, WARNING), 1920.0, 10.0);
        // Every interval, the current one's elapsed line, the head.
        assert_eq!(quads.len(), day.intervals.len() + 2);
        let head = quads.last().unwrap();
        assert_eq!(head.u, (480.0 - 5.0, 480.0 + 5.0));
        assert!(quads.iter().all(|q| q.u.0 >= 0.0 && q.u.1 <= 1920.0 && q.u.0 <= q.u.1));
        // Late: the current pomodoro turns warm.
        let late = start + SignedDuration::from_mins(10);
        let quads = bar_quads(&day, late, (Urgency::Late, WARNING), 1920.0, 10.0);
        assert_eq!(quads[0].color, WARNING);
        // Outside the work day: the segments, no head.
        let quads = bar_quads(&day, start - SignedDuration::from_mins(1), (Urgency::Hidden, WARNING), 1920.0, 10.0);
        assert_eq!(quads.len(), day.intervals.len());
    }

    #[test]
    fn a_bar_lies_against_its_edge() {
        let q = [BarQuad { u: (0.0, 100.0), v: (0.0, 10.0), color: palette::CURRENT }];
        let size = Vec2::new(1920.0, 40.0);
        let g = place_bar(&q, Edge::Bottom, size);
        assert_eq!(g.positions[0], [-960.0, -20.0, 0.0]);
        assert_eq!(g.positions[2], [-860.0, -10.0, 0.0]);
        let g = place_bar(&q, Edge::Top, size);
        assert_eq!(g.positions[0], [-960.0, 10.0, 0.0]);
        assert_eq!(g.positions[2], [-860.0, 20.0, 0.0]);
        let side = Vec2::new(370.0, 1080.0);
        let g = place_bar(&q, Edge::Left, side);
        assert_eq!(g.positions[0], [-185.0, 440.0, 0.0]);
        assert_eq!(g.positions[2], [-175.0, 540.0, 0.0]);
        let g = place_bar(&q, Edge::Right, side);
        assert_eq!(g.positions[1], [185.0, 440.0, 0.0]);
        assert_eq!((bar_length(Edge::Left, side), bar_thickness_in(Edge::Left, side)), (1080.0, 10.0));
        assert_eq!((bar_length(Edge::Bottom, size), bar_thickness_in(Edge::Bottom, size)), (1920.0, 10.0));
    }

    #[test]
    fn the_ring_fits_its_square() {
        let (day, start) = day();
        let side = 400.0;
        let g = overlay_ring(&day, start + SignedDuration::from_mins(10), (Urgency::Late, WARNING), side);
        assert!(g.indices.iter().all(|&i| (i as usize) < g.positions.len()));
        for p in &g.positions {
            assert!(p[0].abs() <= side / 2.0 && p[1].abs() <= side / 2.0, "{p:?} outside the {side} px square");
        }
    }
}

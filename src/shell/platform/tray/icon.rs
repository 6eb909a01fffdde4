//! The tray icon, drawn from what the tray shows: the ring as a band, the interval's progress as
//! an arc in the moment's colour from twelve o'clock, the dark face inside so that it reads on
//! light and dark panels alike. Pure pixel arithmetic, on the tray's thread, a few sizes at once
//! (hosts pick the one nearest their panel's height).

use serde::Serialize;
use zbus::Type;

use crate::day::Urgency;
use crate::day::tray::{PROGRESS_STEPS, TrayLook};

/// The sizes drawn, in pixels: the usual panel icon sizes.
pub const SIZES: [i32; 5] = [16, 22, 32, 48, 64];
/// Samples per pixel along each axis (so 16 a pixel): smooth edges at 16 px.
const SAMPLES: i32 = 4;
/// The band's inner radius, as a share of its outer one.
const INNER: f32 = 0.56;

/// Colours, as sRGB bytes.
const FACE: [u8; 3] = [18, 20, 26];
const TRACK: [u8; 3] = [84, 92, 107];
const CALM: [u8; 3] = [0, 158, 115];
const DUE: [u8; 3] = [240, 227, 66];
const LATE: [u8; 3] = [230, 158, 0];
const BREAK: [u8; 3] = [179, 179, 184];

/// One picture of the icon, as the StatusNotifierItem spec has it: width, height, and ARGB32
/// pixels in network byte order (the D-Bus type `(iiay)`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
pub struct Pixmap {
    pub width: i32,
    pub height: i32,
    pub argb: Vec<u8>,
}

/// The arc's colour for the moment.
fn arc_colour(urgency: Urgency) -> [u8; 3] {
    match urgency {
        Urgency::Calm => CALM,
        Urgency::Due => DUE,
        Urgency::Late => LATE,
        Urgency::Break | Urgency::Hidden => BREAK,
    }
}

/// The icon at every size in [`SIZES`].
pub fn pixmaps(look: &TrayLook) -> Vec<Pixmap> {
    SIZES.iter().map(|&size| draw(look, size)).collect()
}

/// The icon at `size` × `size` pixels.
pub fn draw(look: &TrayLook, size: i32) -> Pixmap {
    let arc = arc_colour(look.urgency);
    let shown = if look.urgency == Urgency::Hidden { 0.0 } else { look.progress as f32 / PROGRESS_STEPS as f32 };
    // A due intention fills the whole band, so that the icon itself asks.
    let shown = if look.urgency == Urgency::Due { 1.0 } else { shown };
    let centre = size as f32 / 2.0;
    let outer = centre - (size as f32 / 32.0).max(0.5);
    let inner = outer * INNER;
    let mut argb = Vec::with_capacity((size * size * 4) as usize);
    let step = 1.0 / SAMPLES as f32;
    for y in 0..size {
        for x in 0..size {
            // Premultiplied sums of the samples that land on the icon.
            let (mut a, mut r, mut g, mut b) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
            for sy in 0..SAMPLES {
                for sx in 0..SAMPLES {
                    let dx = x as f32 + (sx as f32 + 0.5) * step - centre;
                    let dy = y as f32 + (sy as f32 + 0.5) * step - centre;
                    let d = (dx * dx + dy * dy).sqrt();
                    let colour = if d > outer {
                        continue;
                    } else if d <= inner {
                        FACE
                    } else {
                        // Clockwise from twelve o'clock, from 0 to 1.
                        let turn = (dx.atan2(-dy) / std::f32::consts::TAU).rem_euclid(1.0);
                        if turn < shown { arc } else { TRACK }
                    };
                    a += 1.0;
                    r += f32::from(colour[0]);
                    g += f32::from(colour[1]);
                    b += f32::from(colour[2]);
                }
            }
            let n = (SAMPLES * SAMPLES) as f32;
            if a == 0.0 {
                argb.extend_from_slice(&[0, 0, 0, 0]);
            } else {
                argb.extend_from_slice(&[(a / n * 255.0).round() as u8, (r / a) as u8, (g / a) as u8, (b / a) as u8]);
            }
        }
    }
    Pixmap { width: size, height: size, argb }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look(urgency: Urgency, progress: i64) -> TrayLook {
        TrayLook { urgency, title: String::new(), detail: String::new(), progress, rate: None, can_intend: false }
    }

    /// The pixel at (x, y): alpha, red, green, blue.
    fn pixel(p: &Pixmap, x: i32, y: i32) -> [u8; 4] {
        let at = ((y * p.width + x) * 4) as usize;
        p.argb[at..at + 4].try_into().unwrap()
    }

    #[test]
    fn the_arc_grows_clockwise_from_twelve_in_the_moments_colour() {
        let half = draw(&look(Urgency::Calm, PROGRESS_STEPS / 2), 32);
        assert_eq!((half.width, half.height, half.argb.len()), (32, 32, 32 * 32 * 4));
        // On the band: right of centre is passed (the arc), left is still to come (the track).
        let right = pixel(&half, 28, 16);
        let left = pixel(&half, 3, 16);
        assert_eq!(right, [255, CALM[0], CALM[1], CALM[2]]);
        assert_eq!(left, [255, TRACK[0], TRACK[1], TRACK[2]]);
        // The face is dark, the corners clear.
        assert_eq!(pixel(&half, 16, 16), [255, FACE[0], FACE[1], FACE[2]]);
        assert_eq!(pixel(&half, 0, 0)[0], 0);
    }

    #[test]
    fn a_due_intention_fills_the_band_and_outside_work_hours_there_is_no_arc() {
        let due = draw(&look(Urgency::Due, 0), 22);
        assert_eq!(pixel(&due, 2, 11)[1..], DUE);
        let off = draw(&look(Urgency::Hidden, PROGRESS_STEPS), 22);
        assert_eq!(pixel(&off, 19, 11)[1..], TRACK);
        assert_eq!(pixmaps(&look(Urgency::Break, 3)).iter().map(|p| p.width).collect::<Vec<_>>(), SIZES);
    }
}

//! Draws the sprite sheets into `assets/`: `cargo run --example make_sprites`.
//!
//! Pixel art from signed distances, so the sheets can be re-made and changed in code:
//! - `sneks.png`: 8 frames × 4 rows of 32×16 px slithering sneks (green, blue, orange, white; the
//!   white row takes a tint for random hues and the grey ghost);
//! - `ouroboros.png`: 4 × 4 cells of 32×32 px: the head (tongue), the bite, sleep, the body and tail;
//! - `icons/pomodouroboros-N.png`: the application icon at the hicolor sizes 16–512: the snake
//!   in a ring, head at twelve o'clock biting its tail, one pomodoro of the ring in green.

use image::{Rgba, RgbaImage};
use std::f32::consts::{PI, TAU};
use std::path::Path;

const SNEK_W: u32 = 32;
const SNEK_H: u32 = 16;
const FRAMES: u32 = 8;
const CELL: u32 = 32;

type Rgb = [u8; 3];

const SNEK_COLORS: [Rgb; 4] = [[92, 184, 92], [66, 150, 235], [245, 160, 50], [236, 236, 236]];
const OUTLINE: Rgb = [24, 22, 30];
const EYE: Rgb = [20, 18, 24];
const TONGUE: Rgb = [220, 50, 70];
const IVORY: Rgb = [232, 220, 190];
const IVORY_DARK: Rgb = [150, 120, 80];

fn shade(c: Rgb, f: f32) -> Rgb {
    c.map(|v| (v as f32 * f).clamp(0.0, 255.0) as u8)
}

fn put(img: &mut RgbaImage, x: i32, y: i32, c: Rgb) {
    if x >= 0 && y >= 0 && (x as u32) < img.width() && (y as u32) < img.height() {
        img.put_pixel(x as u32, y as u32, Rgba([c[0], c[1], c[2], 255]));
    }
}

fn dist_to_segment(p: (f32, f32), a: (f32, f32), b: (f32, f32)) -> f32 {
    let (abx, aby) = (b.0 - a.0, b.1 - a.1);
    let t = (((p.0 - a.0) * abx + (p.1 - a.1) * aby) / (abx * abx + aby * aby).max(1e-6)).clamp(0.0, 1.0);
    let (dx, dy) = (p.0 - a.0 - abx * t, p.1 - a.1 - aby * t);
    (dx * dx + dy * dy).sqrt()
}

/// A body along `spine` (points with radii), outlined; returns nothing, draws into the cell at `origin`.
fn draw_body(img: &mut RgbaImage, origin: (u32, u32), size: (u32, u32), spine: &[(f32, f32, f32)], color: Rgb) {
    for y in 0..size.1 {
        for x in 0..size.0 {
            let p = (x as f32 + 0.5, y as f32 + 0.5);
            let mut best = f32::MAX;
            for w in spine.windows(2) {
                let d = dist_to_segment(p, (w[0].0, w[0].1), (w[1].0, w[1].1)) - (w[0].2 + w[1].2) / 2.0;
                best = best.min(d);
            }
            let (gx, gy) = ((origin.0 + x) as i32, (origin.1 + y) as i32);
            if best < -1.0 {
                // Lighter along the belly (lower half), a scale dot pattern on top.
                let belly = spine.iter().min_by(|a, b| (a.0 - p.0).abs().total_cmp(&(b.0 - p.0).abs()));
                let lower = belly.is_some_and(|s| p.1 > s.1 + 0.5);
                let c = if lower {
                    shade(color, 1.15)
                } else if (x + 2 * y) % 5 == 0 {
                    shade(color, 0.8)
                } else {
                    color
                };
                put(img, gx, gy, c);
            } else if best < 0.0 {
                put(img, gx, gy, OUTLINE);
            }
        }
    }
}

fn snek_frame(img: &mut RgbaImage, col: u32, row: u32, color: Rgb) {
    let phase = col as f32 / FRAMES as f32 * TAU;
    let origin = (col * SNEK_W, row * SNEK_H);
    let mid = SNEK_H as f32 / 2.0;
    let spine: Vec<(f32, f32, f32)> = (0..=22)
        .map(|i| {
            let x = 2.0 + i as f32;
            let amp = 2.6 * (x / 24.0);
            let r = 1.2 + 2.6 * (x / 24.0).min(1.0);
            (x, mid + amp * (x * 0.42 - phase).sin(), r)
        })
        .collect();
    draw_body(img, origin, (SNEK_W, SNEK_H), &spine, color);
    let neck = spine.last().copied().unwrap_or((24.0, mid, 3.8));
    // The head: an outlined oval ahead of the neck, an eye, and a tongue on some frames.
    let (hx, hy) = (neck.0 + 3.0, neck.1);
    for y in 0..SNEK_H {
        for x in 0..SNEK_W {
            let (dx, dy) = ((x as f32 + 0.5 - hx) / 4.6, (y as f32 + 0.5 - hy) / 3.8);
            let d = (dx * dx + dy * dy).sqrt();
            let (gx, gy) = ((origin.0 + x) as i32, (origin.1 + y) as i32);
            if d < 0.78 {
                put(img, gx, gy, color);
            } else if d < 1.0 {
                put(img, gx, gy, OUTLINE);
            }
        }
    }
    put(img, (origin.0 as f32 + hx + 1.0) as i32, (origin.1 as f32 + hy - 1.5) as i32, EYE);
    if col % 4 < 2 {
        for k in 0..3 {
            put(img, (origin.0 as f32 + hx + 5.0 + k as f32) as i32, (origin.1 as f32 + hy) as i32, TONGUE);
        }
    }
}

/// The ouroboros head facing +x inside a 32×32 cell: `jaw` opens the mouth (radians), `tongue`
/// from 0 to 1, `asleep` closes the eye.
fn head(img: &mut RgbaImage, cell: (u32, u32), jaw: f32, tongue: f32, asleep: bool) {
    let origin = (cell.0 * CELL, cell.1 * CELL);
    let (cx, cy) = (13.0, 16.0);
    for y in 0..CELL {
        for x in 0..CELL {
            let (px, py) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            let angle = py.atan2(px);
            let in_mouth = px > 2.0 && angle.abs() < jaw;
            let d = ((px / 12.0).powi(2) + (py / 9.5).powi(2)).sqrt();
            let (gx, gy) = ((origin.0 + x) as i32, (origin.1 + y) as i32);
            if in_mouth && d < 1.0 {
                if d < 0.85 {
                    put(img, gx, gy, [120, 30, 40]);
                }
            } else if d < 0.88 {
                let c = if py > 2.0 {
                    shade(IVORY, 1.05)
                } else if (x + y) % 4 == 0 {
                    shade(IVORY, 0.85)
                } else {
                    IVORY
                };
                put(img, gx, gy, c);
            } else if d < 1.0 {
                put(img, gx, gy, IVORY_DARK);
            }
        }
    }
    let (ex, ey) = (origin.0 as i32 + 17, origin.1 as i32 + 11);
    if asleep {
        for k in -1..=1 {
            put(img, ex + k, ey, EYE);
        }
    } else {
        for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            put(img, ex + dx, ey + dy, EYE);
        }
    }
    if tongue > 0.0 && jaw < 0.1 {
        let len = (6.0 * tongue) as i32;
        for k in 0..len {
            put(img, origin.0 as i32 + 25 + k, origin.1 as i32 + 16, TONGUE);
        }
        if len >= 4 {
            put(img, origin.0 as i32 + 25 + len, origin.1 as i32 + 15, TONGUE);
            put(img, origin.0 as i32 + 25 + len, origin.1 as i32 + 17, TONGUE);
        }
    }
}

fn body_cell(img: &mut RgbaImage, cell: (u32, u32), radius_at: impl Fn(f32) -> f32, stripe: bool) {
    let origin = (cell.0 * CELL, cell.1 * CELL);
    let spine: Vec<(f32, f32, f32)> =
        (0..=16).map(|i| i as f32 * 2.0).map(|x| (x, CELL as f32 / 2.0, radius_at(x / CELL as f32))).collect();
    draw_body(img, origin, (CELL, CELL), &spine, if stripe { shade(IVORY, 0.92) } else { IVORY });
}

fn curled(img: &mut RgbaImage, cell: (u32, u32), z: u32) {
    let origin = (cell.0 * CELL, cell.1 * CELL);
    // A coil: a spiral of body around the cell's centre, the head resting on top.
    let spine: Vec<(f32, f32, f32)> = (0..=40)
        .map(|i| {
            let t = i as f32 / 40.0;
            let a = t * 1.7 * TAU + PI / 2.0;
            let r = 11.0 - 6.0 * t;
            (16.0 + r * a.cos(), 17.0 + r * a.sin(), 1.5 + 2.5 * (1.0 - t))
        })
        .collect();
    draw_body(img, origin, (CELL, CELL), &spine, IVORY);
    for (dx, dy) in [(0, 0), (1, 0), (2, 0), (2, 1), (1, 2), (0, 3), (1, 3), (2, 3)] {
        put(img, origin.0 as i32 + 24 + dx + z as i32, origin.1 as i32 + 2 + dy - z as i32, [200, 210, 255]);
    }
}

/// The icon sizes written (the freedesktop hicolor theme's, and 512 for large displays).
const ICON_SIZES: [u32; 8] = [16, 24, 32, 48, 64, 128, 256, 512];
const GREEN: Rgb = [0, 158, 115];

/// The application icon at `size` px: drawn in a unit square from signed distances, 4×4 samples a
/// pixel, so each size is sharp rather than scaled.
fn icon(size: u32) -> RgbaImage {
    const SAMPLES: u32 = 4;
    let mut img = RgbaImage::new(size, size);
    // In unit coordinates, y down: the ring's middle radius and half-width, the head's place.
    let (ring_r, half) = (0.36, 0.085);
    let head = (0.5, 0.5 - ring_r);
    let color_at = |x: f32, y: f32| -> Option<Rgb> {
        let (dx, dy) = (x - 0.5, y - 0.5);
        let r = (dx * dx + dy * dy).sqrt();
        // The angle clockwise from twelve o'clock, 0 to 1.
        let turn = (dx.atan2(-dy) / TAU).rem_euclid(1.0);
        // The head: an ellipse at twelve o'clock, its eye on the outer side.
        let (hx, hy) = ((x - head.0 - 0.03) / 0.13, (y - head.1) / 0.105);
        let in_head = hx * hx + hy * hy;
        if in_head < 1.0 {
            let (ex, ey) = (x - (head.0 + 0.07), y - (head.1 - 0.035));
            if ex * ex + ey * ey < 0.022 * 0.022 {
                return Some(EYE);
            }
            return Some(if in_head > 0.72 { IVORY_DARK } else { IVORY });
        }
        // The body thins to a tail that ends in the mouth.
        let width = if turn > 0.9 { half * (1.0 - (turn - 0.9) / 0.1 * 0.75) } else { half };
        let d = (r - ring_r).abs();
        if d < width {
            let edge = d > width - 0.02;
            // The first pomodoro of the day, eaten and achieved: green under the snake's path.
            return Some(match (edge, (0.04..0.22).contains(&turn)) {
                (true, _) => IVORY_DARK,
                (false, true) => GREEN,
                (false, false) => IVORY,
            });
        }
        None
    };
    for y in 0..size {
        for x in 0..size {
            let mut sum = [0u32; 3];
            let mut hits = 0;
            for sy in 0..SAMPLES {
                for sx in 0..SAMPLES {
                    let u = (x as f32 + (sx as f32 + 0.5) / SAMPLES as f32) / size as f32;
                    let v = (y as f32 + (sy as f32 + 0.5) / SAMPLES as f32) / size as f32;
                    if let Some(c) = color_at(u, v) {
                        for (acc, c) in sum.iter_mut().zip(c) {
                            *acc += u32::from(c);
                        }
                        hits += 1;
                    }
                }
            }
            if hits > 0 {
                let c = sum.map(|v| (v / hits) as u8);
                let alpha = (hits * 255 / (SAMPLES * SAMPLES)) as u8;
                img.put_pixel(x, y, Rgba([c[0], c[1], c[2], alpha]));
            }
        }
    }
    img
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    std::fs::create_dir_all(&assets)?;

    let mut sneks = RgbaImage::new(SNEK_W * FRAMES, SNEK_H * SNEK_COLORS.len() as u32);
    for (row, color) in SNEK_COLORS.iter().enumerate() {
        for col in 0..FRAMES {
            snek_frame(&mut sneks, col, row as u32, *color);
        }
    }
    sneks.save(assets.join("sneks.png"))?;

    let mut ouroboros = RgbaImage::new(CELL * 4, CELL * 4);
    for (col, tongue) in [0.0, 0.5, 1.0, 0.5].into_iter().enumerate() {
        head(&mut ouroboros, (col as u32, 0), 0.0, tongue, false);
    }
    for (col, jaw) in [0.25, 0.55, 0.8, 0.3].into_iter().enumerate() {
        head(&mut ouroboros, (col as u32, 1), jaw, 0.0, false);
    }
    head(&mut ouroboros, (0, 2), 0.0, 0.0, true);
    head(&mut ouroboros, (1, 2), 0.05, 0.0, true);
    curled(&mut ouroboros, (2, 2), 0);
    curled(&mut ouroboros, (3, 2), 2);
    body_cell(&mut ouroboros, (0, 3), |_| 9.0, false);
    body_cell(&mut ouroboros, (1, 3), |t| 2.0 + 7.0 * t, false);
    body_cell(&mut ouroboros, (2, 3), |_| 9.0, true);
    ouroboros.save(assets.join("ouroboros.png"))?;
    std::fs::create_dir_all(assets.join("icons"))?;
    for size in ICON_SIZES {
        icon(size).save(assets.join(format!("icons/pomodouroboros-{size}.png")))?;
    }
    println!("wrote {} and {}", assets.join("sneks.png").display(), assets.join("ouroboros.png").display());
    Ok(())
}

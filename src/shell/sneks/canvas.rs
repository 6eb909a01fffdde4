//! The sneks' pixel-art canvas: from [`CANVAS_FROM`] sneks on, they are painted on the CPU at
//! their sprite sheet's own pixel size into an image [`PIXEL_SCALE`] times smaller than the
//! window, which the window shows scaled up with nearest filtering, under the ring and the text
//! (drawn at full resolution). A snek is then a few hundred byte copies instead of a sprite: on a
//! software rasterizer every fragment of every sprite costs, and Bevy's sprite batching costs per
//! sprite too. The canvas itself costs its upload and one textured quad the window's size, so
//! fewer sneks are drawn as sprites, and their sprites are hidden while the canvas shows them.
//!
//! A grey ghost (see [`super::Ghost`]) stays a sprite: it is see-through, drawn over what lies
//! under it.

use bevy::asset::RenderAssetUsages;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bevy::window::PrimaryWindow;
use std::sync::LazyLock;

use super::motion::{self, SUBPIXELS};
use super::{Ghost, PAINTED_ROWS, Snek};
use crate::shell::AppSystems;
use crate::shell::sprites::{SNEK_CELL, Sprites};

/// How many window pixels (logical) each canvas pixel covers, across and down: the sneks' sheet
/// is drawn at 2× (see [`super::SNEK_SIZE`]).
pub const PIXEL_SCALE: f32 = 2.0;
/// Where the canvas lies among the window's sprites: where sneks always lay, under the ring.
pub const CANVAS_Z: f32 = -10.0;
/// From this many sneks on they are painted on the canvas; fewer are drawn as sprites. The canvas
/// costs a fixed share of every frame (its upload and a quad the window's size, about 4 ms here:
/// 1280×800, Mesa's software Vulkan); a sprite costs about 9 µs of frame, a painted snek under
/// one. Median frames of three runs, canvas against sprites: 300 sneks 13.1 against 11.5 ms, 500
/// sneks 13.2 against 13.2, 700 sneks 13.5 against 14.9, 1,000 13.4 against 17.3.
pub const CANVAS_FROM: usize = 500;

/// From how many sneks on the canvas is used: [`CANVAS_FROM`], or what `--bench-canvas-from`
/// asks (0: always; a count above any: never), to compare the two.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct CanvasFrom(pub usize);

impl Default for CanvasFrom {
    fn default() -> Self {
        Self(CANVAS_FROM)
    }
}

/// The canvas: its image, the quad that shows it, whether it is in use, and the sheet it paints
/// from.
#[derive(Resource, Debug)]
pub struct SnekCanvas {
    pub image: Handle<Image>,
    quad: Entity,
    pub in_use: bool,
    sheet: SnekSheet,
}

/// The sneks' sprite sheet as pixels in this process's memory (the GPU's copy keeps none here).
#[derive(Debug)]
pub struct SnekSheet {
    width: usize,
    pixels: Vec<[u8; 4]>,
}

impl SnekSheet {
    /// The sheet's pixels, sRGB with straight alpha, row by row; `None` unless the image holds
    /// every cell (a placeholder, in an app that loaded no sheets, does not).
    pub fn from_image(image: &Image) -> Option<Self> {
        let cells = UVec2::new(motion::FRAMES, crate::shell::sprites::SNEK_ROWS) * SNEK_CELL;
        if image.size() != cells {
            return None;
        }
        let data = image.data.as_ref()?;
        let pixels = data.chunks_exact(4).map(|p| [p[0], p[1], p[2], p[3]]).collect();
        Some(Self { width: image.width() as usize, pixels })
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<CanvasFrom>();
    app.add_systems(Startup, spawn_canvas);
    app.add_systems(Update, switch_canvas.before(super::show_sneks).in_set(AppSystems::Present));
    app.add_systems(Update, paint_canvas.after(super::show_sneks).in_set(AppSystems::Present));
}

/// Runs once: the canvas's image (a pixel until the window's size is known), the quad that shows
/// it in the window (hidden until enough sneks show), and the pixels of the sneks' sheet the
/// sprites draw with. An app with no images or no sheets loaded (headless) has no canvas.
fn spawn_canvas(mut commands: Commands, images: Option<ResMut<Assets<Image>>>, sprites: Res<Sprites>) {
    let Some(mut images) = images else { return };
    let Some(sheet) = images.get(&sprites.sneks).and_then(SnekSheet::from_image) else { return };
    let image = images.add(blank(UVec2::ONE));
    let quad = commands
        .spawn((
            Name::new("Snek canvas"),
            Sprite::from_image(image.clone()),
            Transform::from_xyz(0.0, 0.0, CANVAS_Z),
            Visibility::Hidden,
        ))
        .id();
    commands.insert_resource(SnekCanvas { image, quad, in_use: false, sheet });
}

/// A transparent image of `size` pixels, kept in this process for painting.
fn blank(size: UVec2) -> Image {
    Image::new_fill(
        Extent3d { width: size.x, height: size.y, depth_or_array_layers: 1 },
        TextureDimension::D2,
        &[0, 0, 0, 0],
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::MAIN_WORLD | RenderAssetUsages::RENDER_WORLD,
    )
}

/// Runs before the sneks' sprites are brought up to date: from [`CanvasFrom`] sneks on (and one
/// at least) the canvas shows them and their sprites are hidden; below, the sprites show. Only
/// what changes is touched, so a hidden sprite is not even moved (see [`super::show_sneks`]).
fn switch_canvas(
    from: Res<CanvasFrom>,
    canvas: Option<ResMut<SnekCanvas>>,
    mut sneks: Query<&mut Visibility, (With<Snek>, Without<Ghost>)>,
    mut quads: Query<&mut Visibility, Without<Snek>>,
) {
    let Some(mut canvas) = canvas else { return };
    let count = sneks.iter().len();
    let show = count > 0 && count >= from.0;
    if canvas.in_use != show {
        canvas.in_use = show;
        if show {
            debug!("{count} sneks painted on the canvas");
        } else {
            debug!("{count} sneks drawn as sprites");
        }
    }
    let (sprite, quad) =
        if show { (Visibility::Hidden, Visibility::Inherited) } else { (Visibility::Inherited, Visibility::Hidden) };
    for mut visibility in &mut sneks {
        if *visibility != sprite {
            *visibility = sprite;
        }
    }
    if let Ok(mut visibility) = quads.get_mut(canvas.quad)
        && *visibility != quad
    {
        *visibility = quad;
    }
}

/// What [`paint`] needs of a snek: where its sheet cell's top-left pixel lands on the canvas,
/// which cell, which way it faces, its tint, and its order of birth (newer over older).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stamp {
    pub left: i32,
    pub top: i32,
    /// The cell's top-left pixel in the sheet.
    pub cell: UVec2,
    pub flip: bool,
    /// The sprite's colour in linear RGB, multiplied in as a sprite's is; `None` for white.
    pub tint: Option<[f32; 3]>,
    pub serial: u64,
}

/// What the canvas's image holds: the stamps last painted, on a canvas of that size.
#[derive(Debug, Default)]
struct Painted {
    size: UVec2,
    stamps: Vec<Stamp>,
}

/// Runs after the sneks' sprites are brought up to date: a canvas in use follows the window's
/// size and is painted afresh with every snek where its motion puts it now (so a stall leaves
/// none behind), then handed to the renderer; when no snek moved a canvas pixel or changed its
/// look since, the image is left as it is and nothing is uploaded.
fn paint_canvas(
    canvas: Option<Res<SnekCanvas>>,
    window: Query<&Window, With<PrimaryWindow>>,
    mut images: If<ResMut<Assets<Image>>>,
    sneks: Query<(&Snek, &Sprite), Without<Ghost>>,
    arena: Res<super::Arena>,
    mut quads: Query<&mut Sprite, Without<Snek>>,
    (mut stamps, mut painted): (Local<Vec<Stamp>>, Local<Painted>),
) {
    let (Some(canvas), Ok(window)) = (canvas, window.single()) else { return };
    if !canvas.in_use || window.size().min_element() <= 0.0 {
        return;
    }
    let size = canvas_size(window.size());
    if let Ok(mut quad) = quads.get_mut(canvas.quad) {
        let shown = size.as_vec2() * PIXEL_SCALE;
        if quad.custom_size != Some(shown) {
            quad.custom_size = Some(shown);
        }
    }
    stamps.clear();
    stamps.extend(sneks.iter().map(|(snek, sprite)| stamp_of(snek, sprite.color, arena.0, size)));
    stamps.sort_unstable_by_key(|stamp| stamp.serial);
    if painted.size == size && painted.stamps == *stamps {
        return;
    }
    let Some(mut image) = images.get_mut(&canvas.image) else { return };
    if image.size() != size {
        *image = blank(size);
    }
    if let Some(data) = image.data.as_mut() {
        paint(data, size, &canvas.sheet, &stamps);
    }
    painted.size = size;
    std::mem::swap(&mut painted.stamps, &mut *stamps);
}

/// Where and how a snek is painted on a canvas of `size` pixels laid centred over an arena (the
/// window) of `arena` logical pixels: its sprite's place (see [`super::position_of`]) in canvas
/// pixels, rounded to the nearest, as a texel is covered when its centre is.
pub fn stamp_of(snek: &Snek, color: Color, arena: Vec2, size: UVec2) -> Stamp {
    let look = super::look_of(snek);
    let index = look & !(1 << 31);
    let cell = UVec2::new(index % motion::FRAMES * SNEK_CELL.x, index / motion::FRAMES * SNEK_CELL.y);
    let half = size.as_vec2() * PIXEL_SCALE / 2.0;
    // The cell's top-left corner in window pixels (y down), then on the canvas.
    let x = snek.motion.x.position() as f32 / SUBPIXELS as f32;
    let y = arena.y - SNEK_CELL.y as f32 * PIXEL_SCALE - snek.motion.y.position() as f32 / SUBPIXELS as f32;
    let left = ((x + half.x - arena.x / 2.0) / PIXEL_SCALE).round() as i32;
    let top = ((y + half.y - arena.y / 2.0) / PIXEL_SCALE).round() as i32;
    let linear = color.to_linear();
    let tint = (color != Color::WHITE).then_some([linear.red, linear.green, linear.blue]);
    Stamp { left, top, cell, flip: look >> 31 == 1, tint, serial: snek.serial }
}

/// An sRGB byte's linear value.
static TO_LINEAR: LazyLock<[f32; 256]> =
    LazyLock::new(|| std::array::from_fn(|i| LinearRgba::from(Srgba::new(i as f32 / 255.0, 0.0, 0.0, 1.0)).red));
/// Steps of the linear-to-sRGB table.
const TO_SRGB_STEPS: usize = 4096;
/// A linear value's sRGB byte, in [`TO_SRGB_STEPS`] steps.
static TO_SRGB: LazyLock<Vec<u8>> = LazyLock::new(|| {
    (0..TO_SRGB_STEPS)
        .map(|i| {
            let srgb = Srgba::from(LinearRgba::new(i as f32 / (TO_SRGB_STEPS - 1) as f32, 0.0, 0.0, 1.0));
            (srgb.red * 255.0).round().clamp(0.0, 255.0) as u8
        })
        .collect()
});

/// An sRGB byte multiplied by a linear factor, as the GPU does it (to linear, multiply, back).
fn tinted(byte: u8, factor: f32) -> u8 {
    let linear = (TO_LINEAR[byte as usize] * factor).clamp(0.0, 1.0);
    TO_SRGB[(linear * (TO_SRGB_STEPS - 1) as f32).round() as usize]
}

/// Clears `canvas` (RGBA, `size` pixels) and paints each stamp in order, later ones over earlier,
/// with the opaque pixels of the painted rows of its cell (sneks' pixels are opaque or empty).
/// Whatever falls outside the canvas is left out.
pub fn paint(canvas: &mut [u8], size: UVec2, sheet: &SnekSheet, stamps: &[Stamp]) {
    canvas.fill(0);
    let (width, height) = (size.x as i32, size.y as i32);
    let cell_width = SNEK_CELL.x as i32;
    for stamp in stamps {
        let first = (-stamp.left).max(0);
        let last = (width - stamp.left).min(cell_width);
        if first >= last {
            continue;
        }
        for row in PAINTED_ROWS.start as i32..PAINTED_ROWS.end as i32 {
            let y = stamp.top + row;
            if !(0..height).contains(&y) {
                continue;
            }
            let source = (stamp.cell.y as usize + row as usize) * sheet.width + stamp.cell.x as usize;
            let Some(cell_row) = sheet.pixels.get(source..source + cell_width as usize) else { continue };
            let line = y as usize * width as usize;
            for x in first..last {
                let from = if stamp.flip { cell_width - 1 - x } else { x };
                let pixel = cell_row[from as usize];
                if pixel[3] == 0 {
                    continue;
                }
                let pixel = match stamp.tint {
                    None => pixel,
                    Some([r, g, b]) => [tinted(pixel[0], r), tinted(pixel[1], g), tinted(pixel[2], b), pixel[3]],
                };
                let at = (line + (stamp.left + x) as usize) * 4;
                canvas[at..at + 4].copy_from_slice(&pixel);
            }
        }
    }
}

/// The canvas's size in its own pixels for a window of `size` logical pixels: the window covered
/// whole (an odd width gets one more canvas pixel, half of it outside the window).
pub fn canvas_size(size: Vec2) -> UVec2 {
    (size / PIXEL_SCALE).ceil().as_uvec2().max(UVec2::ONE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canvas_covers_the_window_whole() {
        assert_eq!(canvas_size(Vec2::new(1280.0, 800.0)), UVec2::new(640, 400));
        assert_eq!(canvas_size(Vec2::new(301.0, 299.0)), UVec2::new(151, 150));
        assert_eq!(canvas_size(Vec2::new(1.0, 0.5)), UVec2::new(1, 1));
    }

    fn sheet() -> SnekSheet {
        SnekSheet::from_image(&crate::shell::sprites::snek_sheet()).expect("the sheet keeps its pixels")
    }

    fn stamp(left: i32, top: i32, cell: UVec2, flip: bool, tint: Option<[f32; 3]>) -> Stamp {
        Stamp { left, top, cell, flip, tint, serial: 0 }
    }

    /// The canvas's pixel at (x, y).
    fn at(canvas: &[u8], size: UVec2, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * size.x + x) * 4) as usize;
        [canvas[i], canvas[i + 1], canvas[i + 2], canvas[i + 3]]
    }

    #[test]
    fn a_snek_is_painted_as_its_cell_row_by_row_and_mirrored_when_it_faces_left() {
        let sheet = sheet();
        let size = UVec2::new(100, 40);
        let mut canvas = vec![7; (size.x * size.y * 4) as usize];
        let cell = UVec2::new(3 * SNEK_CELL.x, 2 * SNEK_CELL.y);
        paint(&mut canvas, size, &sheet, &[stamp(5, 3, cell, false, None), stamp(50, 20, cell, true, None)]);
        let mut opaque = 0;
        for y in 0..SNEK_CELL.y {
            for x in 0..SNEK_CELL.x {
                let source = sheet.pixels[((cell.y + y) * sheet.width as u32 + cell.x + x) as usize];
                let drawn = PAINTED_ROWS.contains(&(y as f32));
                let want = if drawn && source[3] > 0 { source } else { [0; 4] };
                opaque += usize::from(want[3] > 0);
                assert_eq!(at(&canvas, size, 5 + x, 3 + y), want, "({x}, {y})");
                assert_eq!(at(&canvas, size, 50 + SNEK_CELL.x - 1 - x, 20 + y), want, "flipped ({x}, {y})");
            }
        }
        assert!(opaque > 50, "the cell paints something ({opaque} pixels)");
        let painted = canvas.chunks_exact(4).filter(|p| p[3] > 0).count();
        assert_eq!(painted, 2 * opaque, "nothing else is painted: the rest is cleared");
    }

    #[test]
    fn later_stamps_cover_earlier_ones_and_edges_clip() {
        let sheet = sheet();
        let size = UVec2::new(40, 20);
        let mut canvas = vec![0; (size.x * size.y * 4) as usize];
        let red = UVec2::new(0, 0);
        let white = UVec2::new(0, 3 * SNEK_CELL.y);
        paint(&mut canvas, size, &sheet, &[stamp(0, 0, red, false, None), stamp(0, 0, white, false, None)]);
        let mut alone = vec![0; canvas.len()];
        paint(&mut alone, size, &sheet, &[stamp(0, 0, white, false, None)]);
        for (i, (both, white)) in canvas.chunks_exact(4).zip(alone.chunks_exact(4)).enumerate() {
            if white[3] > 0 {
                assert_eq!(both, white, "pixel {i}: the later snek lies on top");
            }
        }
        // Half outside on every side, and wholly outside: what is inside is painted, nothing panics.
        for (left, top) in [(-20, -10), (30, 12), (-40, 0), (40, 0), (0, -16), (0, 20), (i32::MIN / 2, i32::MAX / 2)] {
            paint(&mut canvas, size, &sheet, &[stamp(left, top, white, false, None)]);
        }
        paint(&mut canvas, size, &sheet, &[stamp(-20, -4, white, false, None)]);
        let source = |x: u32, y: u32| sheet.pixels[((white.y + y) * sheet.width as u32 + x) as usize];
        assert_eq!(at(&canvas, size, 0, 0), if source(20, 4)[3] > 0 { source(20, 4) } else { [0; 4] });
    }

    #[test]
    fn a_tint_multiplies_in_linear_light_as_a_sprite_colour_does() {
        assert_eq!(tinted(255, 1.0), 255);
        assert_eq!(tinted(255, 0.0), 0);
        assert_eq!(tinted(0, 1.0), 0);
        // Half the light of white is sRGB 188 (0.7354 × 255).
        assert_eq!(tinted(255, 0.5), 188);
        for byte in 0..=255u8 {
            assert_eq!(tinted(byte, 1.0), byte, "white leaves {byte} as it is");
        }
        let color = Color::hsl(200.0, 0.85, 0.6);
        let linear = color.to_linear();
        let srgb = Srgba::from(LinearRgba::new(linear.red * TO_LINEAR[180], 0.0, 0.0, 1.0));
        assert_eq!(tinted(180, linear.red), (srgb.red * 255.0).round() as u8);
    }

    #[test]
    fn a_painted_snek_lies_where_its_sprite_would_within_a_canvas_pixel() {
        use super::super::motion::{Axis, Motion};
        let arena = Vec2::new(1281.0, 799.0);
        let size = canvas_size(arena);
        let spans = super::super::Arena(arena).spans();
        for (x, y) in [(0, 0), (spans.0, spans.1), (12_345, 67_890), (spans.0 / 3, 7)] {
            let motion =
                Motion { x: Axis::new(x, true, 0, spans.0), y: Axis::new(y, false, 0, spans.1), fps: 5, phase: 0 };
            let snek = Snek { motion, row: 1, shown: 0, serial: 9 };
            let stamp = stamp_of(&snek, Color::WHITE, arena, size);
            // The sprite's cell, top-left corner, in window pixels (y down) from its centre.
            let centre = super::super::position_of(&snek, &super::super::Arena(arena));
            let corner = Vec2::new(centre.x + arena.x / 2.0 - 32.0, arena.y / 2.0 - centre.y - 16.0);
            // The canvas is laid centred over the window.
            let offset = (size.as_vec2() * PIXEL_SCALE - arena) / 2.0;
            let painted = Vec2::new(stamp.left as f32, stamp.top as f32) * PIXEL_SCALE - offset;
            assert!((painted - corner).abs().max_element() <= PIXEL_SCALE / 2.0 + 1e-3, "{painted} against {corner}");
            assert_eq!(stamp.cell, UVec2::new(0, SNEK_CELL.y), "row 1, first frame");
            assert_eq!(stamp.flip, !snek.motion.x.forwards(), "facing the way it goes");
            assert!(stamp.tint.is_none() && stamp.serial == 9);
        }
    }
}

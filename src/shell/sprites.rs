//! The sprite sheets, embedded in the binary so it runs from any folder (and after `cargo install`).
//! `cargo run --example make_sprites` draws them into `assets/`.

use bevy::asset::RenderAssetUsages;
use bevy::image::{CompressedImageFormats, ImageSampler, ImageType};
use bevy::prelude::*;

/// `assets/sneks.png`: 8 frames × 4 rows of 32×16 px.
const SNEKS_PNG: &[u8] = include_bytes!("../../assets/sneks.png");
/// `assets/ouroboros.png`: 4 × 4 cells of 32×32 px.
const OUROBOROS_PNG: &[u8] = include_bytes!("../../assets/ouroboros.png");

/// A snek frame's size in the sheet.
pub const SNEK_CELL: UVec2 = UVec2::new(32, 16);
/// Rows (colours) of sneks; the last is white, for tints and the ghost.
pub const SNEK_ROWS: u32 = 4;
/// An ouroboros cell's size in the sheet.
pub const OUROBOROS_CELL: UVec2 = UVec2::new(32, 32);

/// Cells of the ouroboros sheet (column + 4 × row).
pub mod cell {
    pub const HEAD: usize = 0;
    pub const BITE: usize = 4;
    pub const ASLEEP: usize = 8;
    pub const CURLED: usize = 10;
    pub const BODY: usize = 12;
    pub const TAIL: usize = 13;
    pub const BODY_STRIPE: usize = 14;
}

/// Handles to the sheets and their atlas layouts. Default handles (no image) in headless tests.
#[derive(Resource, Debug, Clone, Default)]
pub struct Sprites {
    pub sneks: Handle<Image>,
    pub sneks_layout: Handle<TextureAtlasLayout>,
    pub ouroboros: Handle<Image>,
    pub ouroboros_layout: Handle<TextureAtlasLayout>,
}

/// Loads the sheets (public for headless tests that draw: they add it with images).
pub fn plugin(app: &mut App) {
    app.add_systems(PreStartup, load_sprites);
}

fn decode(png: &[u8], usage: RenderAssetUsages) -> Image {
    Image::from_buffer(
        png,
        ImageType::Extension("png"),
        CompressedImageFormats::NONE,
        true,
        ImageSampler::nearest(),
        usage,
    )
    .expect("the embedded sprite sheets are valid PNGs")
}

/// The sneks' sheet, its pixels kept in this process too: the snek canvas paints from them (see
/// `sneks::canvas`).
pub fn snek_sheet() -> Image {
    decode(SNEKS_PNG, RenderAssetUsages::MAIN_WORLD | RenderAssetUsages::RENDER_WORLD)
}

/// Runs before everything that spawns a sprite.
fn load_sprites(
    mut commands: Commands,
    mut images: ResMut<Assets<Image>>,
    mut layouts: ResMut<Assets<TextureAtlasLayout>>,
) {
    commands.insert_resource(Sprites {
        sneks: images.add(snek_sheet()),
        sneks_layout: layouts.add(TextureAtlasLayout::from_grid(SNEK_CELL, 8, SNEK_ROWS, None, None)),
        ouroboros: images.add(decode(OUROBOROS_PNG, RenderAssetUsages::RENDER_WORLD)),
        ouroboros_layout: layouts.add(TextureAtlasLayout::from_grid(OUROBOROS_CELL, 4, 4, None, None)),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snek_frames_paint_only_the_rows_drawn() {
        let sheet = snek_sheet();
        let (width, height) = (sheet.width() as usize, sheet.height() as usize);
        let data = sheet.data.expect("decoded pixels");
        let painted = crate::shell::sneks::PAINTED_ROWS;
        let cell = SNEK_CELL.y as usize;
        for y in 0..height {
            let row_in_cell = (y % cell) as f32;
            let painted_row = (0..width).any(|x| data[(y * width + x) * 4 + 3] > 0);
            if !painted.contains(&row_in_cell) {
                assert!(!painted_row, "sheet row {y} is painted but not drawn");
            }
        }
    }
}

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

pub(super) fn plugin(app: &mut App) {
    app.add_systems(PreStartup, load_sprites);
}

fn decode(png: &[u8]) -> Image {
    Image::from_buffer(
        png,
        ImageType::Extension("png"),
        CompressedImageFormats::NONE,
        true,
        ImageSampler::nearest(),
        RenderAssetUsages::RENDER_WORLD,
    )
    .expect("the embedded sprite sheets are valid PNGs")
}

/// Runs before everything that spawns a sprite.
fn load_sprites(
    mut commands: Commands,
    mut images: ResMut<Assets<Image>>,
    mut layouts: ResMut<Assets<TextureAtlasLayout>>,
) {
    commands.insert_resource(Sprites {
        sneks: images.add(decode(SNEKS_PNG)),
        sneks_layout: layouts.add(TextureAtlasLayout::from_grid(SNEK_CELL, 8, SNEK_ROWS, None, None)),
        ouroboros: images.add(decode(OUROBOROS_PNG)),
        ouroboros_layout: layouts.add(TextureAtlasLayout::from_grid(OUROBOROS_CELL, 4, 4, None, None)),
    });
}

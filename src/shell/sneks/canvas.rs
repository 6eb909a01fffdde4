//! The sneks' pixel-art canvas: sneks are drawn at their sprite sheet's own pixel size into a
//! texture [`PIXEL_SCALE`] times smaller than the window, which the window shows scaled up with
//! nearest filtering, under the ring and the text (drawn at full resolution): the usual pixel-art
//! camera arrangement. On a software rasterizer, where every fragment costs, a snek then costs a
//! quarter of the fragments; the canvas costs one textured quad the window's size, so it is used
//! only from [`CANVAS_FROM`] sneks on. Every snek (but a ghost) is on the canvas's layer; below
//! that count the window's camera draws that layer too, and the canvas's camera is off.
//!
//! A grey ghost (see [`super::Ghost`]) stays in the window's own layer: it is see-through, and a
//! canvas cleared to transparent would darken it once more as the canvas is laid over the window.

use bevy::camera::RenderTarget;
use bevy::camera::visibility::RenderLayers;
use bevy::core_pipeline::tonemapping::DebandDither;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureFormat};
use bevy::window::PrimaryWindow;

use super::{Ghost, Snek};
use crate::shell::AppSystems;
use crate::shell::visibility::MainCamera;

/// How many window pixels (logical) each canvas pixel covers, across and down: the sneks' sheet
/// is drawn at 2× (see [`super::SNEK_SIZE`]).
pub const PIXEL_SCALE: f32 = 2.0;
/// The render layer the canvas's camera draws (the main window's is 0, overlays' from 1).
pub const SNEK_LAYER: usize = 31;
/// Where the canvas lies among the window's sprites: where sneks always lay, under the ring.
pub const CANVAS_Z: f32 = -10.0;
/// From this many sneks on they are drawn in the canvas; fewer are drawn straight into the window.
/// The canvas costs a fixed share of every frame (its own clear and copy, and a quad the window's
/// size, blended): measured here at 1280×800 (release build, Mesa's software Vulkan, median of
/// three), 1 snek 13.7 ms a frame with it against 8.6 without, 1,000 sneks 17.4 both ways, 1,500
/// sneks 19.1 against 22.0, 3,000 sneks 26.1 against 35.8: it pays from about 1,000 sneks.
pub const CANVAS_FROM: usize = 1100;

/// From how many sneks on the canvas is used: [`CANVAS_FROM`], or what `--bench-canvas-from`
/// asks (0: always; a count above any: never), to compare the two.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct CanvasFrom(pub usize);

impl Default for CanvasFrom {
    fn default() -> Self {
        Self(CANVAS_FROM)
    }
}

/// The canvas: its texture, the camera that draws sneks into it, and the quad that shows it.
#[derive(Resource, Debug)]
pub struct SnekCanvas {
    pub image: Handle<Image>,
    camera: Entity,
    quad: Entity,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<CanvasFrom>();
    app.add_systems(Startup, spawn_canvas);
    app.add_systems(
        Update,
        (put_sneks_on_canvas, switch_canvas, fit_canvas).chain().after(super::show_sneks).in_set(AppSystems::Present),
    );
}

/// Runs once: the canvas's texture (a pixel until the window's size is known), its camera (off
/// until a snek shows) and the quad that shows it in the window. A headless app (no images, no
/// rendering) has no canvas.
fn spawn_canvas(mut commands: Commands, images: Option<ResMut<Assets<Image>>>) {
    let Some(mut images) = images else { return };
    let image = images.add(Image::new_target_texture(1, 1, TextureFormat::Rgba8UnormSrgb, None));
    let camera = commands
        .spawn((
            Name::new("Snek canvas camera"),
            Camera2d,
            Camera { order: -1, clear_color: ClearColorConfig::Custom(Color::NONE), is_active: false, ..default() },
            RenderTarget::Image(image.clone().into()),
            Projection::Orthographic(OrthographicProjection {
                scale: PIXEL_SCALE,
                ..OrthographicProjection::default_2d()
            }),
            RenderLayers::layer(SNEK_LAYER),
            Msaa::Off,
            DebandDither::Disabled,
        ))
        .id();
    let quad = commands
        .spawn((
            Name::new("Snek canvas"),
            Sprite::from_image(image.clone()),
            Transform::from_xyz(0.0, 0.0, CANVAS_Z),
            Visibility::Hidden,
        ))
        .id();
    commands.insert_resource(SnekCanvas { image, camera, quad });
}

/// Runs after the sneks are placed: each new snek (not a ghost) goes on the canvas's layer.
fn put_sneks_on_canvas(mut commands: Commands, new: Query<Entity, (Added<Snek>, Without<Ghost>)>) {
    for snek in &new {
        commands.entity(snek).insert(RenderLayers::layer(SNEK_LAYER));
    }
}

/// Runs after the sneks are placed: from [`CanvasFrom`] sneks on (and one at least) the canvas's
/// camera draws them and its quad shows them; below, the window's camera draws the sneks' layer
/// itself. Only what changes is touched.
fn switch_canvas(
    mut commands: Commands,
    from: Res<CanvasFrom>,
    canvas: If<Res<SnekCanvas>>,
    sneks: Query<(), (With<Snek>, With<RenderLayers>)>,
    main: Query<(Entity, Option<&RenderLayers>), With<MainCamera>>,
    mut cameras: Query<&mut Camera>,
    mut quads: Query<&mut Visibility, With<Sprite>>,
) {
    let count = sneks.iter().len();
    let show = count > 0 && count >= from.0;
    if let Ok((camera, layers)) = main.single() {
        let want = if show { RenderLayers::layer(0) } else { RenderLayers::from_layers(&[0, SNEK_LAYER]) };
        if layers != Some(&want) {
            commands.entity(camera).insert(want);
        }
    }
    if let Ok(mut camera) = cameras.get_mut(canvas.camera)
        && camera.is_active != show
    {
        camera.is_active = show;
    }
    if let Ok(mut visibility) = quads.get_mut(canvas.quad) {
        let seen = if show { Visibility::Inherited } else { Visibility::Hidden };
        if *visibility != seen {
            *visibility = seen;
        }
    }
}

/// Runs after [`switch_canvas`]: a canvas in use follows the window's size (its texture is
/// reallocated only when that changes).
fn fit_canvas(
    canvas: If<Res<SnekCanvas>>,
    window: Query<&Window, With<PrimaryWindow>>,
    mut images: If<ResMut<Assets<Image>>>,
    cameras: Query<&Camera>,
    mut quads: Query<&mut Sprite>,
) {
    let in_use = cameras.get(canvas.camera).is_ok_and(|camera| camera.is_active);
    let (Ok(window), Ok(mut sprite)) = (window.single(), quads.get_mut(canvas.quad)) else { return };
    if !in_use || window.size().min_element() <= 0.0 {
        return;
    }
    let want = canvas_size(window.size());
    if images.get(&canvas.image).is_some_and(|image| image.size() != want)
        && let Some(mut image) = images.get_mut(&canvas.image)
    {
        image.resize(Extent3d { width: want.x, height: want.y, depth_or_array_layers: 1 });
    }
    let shown = want.as_vec2() * PIXEL_SCALE;
    if sprite.custom_size != Some(shown) {
        sprite.custom_size = Some(shown);
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
}

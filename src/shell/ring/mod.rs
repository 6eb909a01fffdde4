//! The ouroboros: the day's intervals as a ring of segments.

pub mod geometry;
pub mod mesh;
pub mod ouroboros;

use bevy::prelude::*;

use super::AppSystems;
use super::screen::Areas;
use super::today::Today;
use geometry::RingLayout;

/// The entity that draws the ring.
#[derive(Component, Debug)]
pub struct Ring;

/// Where the ring sits in the window now.
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct Layout(pub RingLayout);

impl Default for Layout {
    fn default() -> Self {
        let (w, h) = super::window::WINDOWED_SIZE;
        Self(RingLayout::for_window(Vec2::new(w as f32, h as f32)))
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Layout>();
    app.add_plugins(ouroboros::plugin);
    app.add_systems(Startup, (spawn_ring, ouroboros::spawn_snake));
    app.add_systems(
        Update,
        (fit_layout, rebuild_ring, ouroboros::start_bite, ouroboros::draw_snake)
            .chain()
            .in_set(AppSystems::Present)
            .after(super::screen::fit_areas),
    );
    app.add_systems(Update, ouroboros::report_snake_motion.in_set(super::face::ReportNextChange));
}

/// Runs once at start-up: the ring is one mesh, rebuilt when the day changes.
fn spawn_ring(mut commands: Commands, mut meshes: ResMut<Assets<Mesh>>, mut materials: ResMut<Assets<ColorMaterial>>) {
    commands.spawn((
        Ring,
        Name::new("Ring"),
        Mesh2d(meshes.add(mesh::to_mesh(mesh::RingGeometry::default()))),
        MeshMaterial2d(materials.add(ColorMaterial::from_color(Color::WHITE))),
        Transform::from_xyz(0.0, 0.0, 1.0),
    ));
}

/// Runs before drawing, once the window's areas are known: the ring fills its area.
fn fit_layout(areas: Res<Areas>, mut layout: ResMut<Layout>) {
    let fitted = Layout(RingLayout::in_area(areas.window, areas.ring));
    if *layout != fitted {
        *layout = fitted;
    }
}

/// Runs after the day has moved and actions were applied: rebuilds the mesh only when the day or
/// the layout changed.
fn rebuild_ring(
    today: Res<Today>,
    layout: Res<Layout>,
    ring: Single<&Mesh2d, With<Ring>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut built: Local<Option<u64>>,
) {
    if *built == Some(today.revision()) && !layout.is_changed() {
        return;
    }
    *built = Some(today.revision());
    if let Some(mut mesh) = meshes.get_mut(&ring.0) {
        *mesh = mesh::to_mesh(mesh::ring_geometry(today.day(), today.now(), &layout.0));
    }
}

//! How the overlay looks, as the user sets it (the `overlay*` fields of `settings.ron`). A bottom
//! module: the rules that use these are in `overlay.rs`, their checks in `settings.rs`.

use serde::{Deserialize, Serialize};

/// How the overlay draws the day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverlayStyle {
    /// A strip along one edge of each monitor.
    #[default]
    Bar,
    /// The ouroboros ring on each monitor.
    Ring,
}

/// The monitor edge a bar runs along.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Edge {
    Top,
    #[default]
    Bottom,
    Left,
    Right,
}

/// How much of a monitor the ring takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RingSize {
    #[default]
    Small,
    Medium,
    /// Frames the screen.
    Large,
}

impl RingSize {
    /// The ring's diameter as a share of the monitor's shorter side.
    pub fn share(self) -> f32 {
        match self {
            RingSize::Small => 0.22,
            RingSize::Medium => 0.5,
            RingSize::Large => 0.96,
        }
    }
}

/// Where on the monitor the ring sits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RingPlace {
    #[default]
    Center,
    TopLeft,
    TopRight,
    BottomLeft,
    BottomRight,
}

/// The overlay's settings (`overlay*` fields of `settings.ron`). Opacities are percentages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverlayLook {
    /// Shown at all.
    pub on: bool,
    pub style: OverlayStyle,
    /// Where a bar runs.
    pub edge: Edge,
    /// A bar's thickness in pixels; 0: 1 % of the monitor's height, at least [`crate::day::overlay::MIN_THICKNESS_PX`].
    pub thickness: u32,
    pub ring_size: RingSize,
    pub ring_place: RingPlace,
    /// While the pomodoro has its intention.
    pub calm_opacity: u32,
    /// On a break.
    pub break_opacity: u32,
    /// While an intention can be set and none is (the pulse rises from here to [`crate::day::overlay::PULSE_PEAK`]).
    pub due_opacity: u32,
    /// Past the grace period with no intention.
    pub late_opacity: u32,
}

impl Default for OverlayLook {
    fn default() -> Self {
        Self {
            on: true,
            style: OverlayStyle::Bar,
            edge: Edge::Bottom,
            thickness: 0,
            ring_size: RingSize::Small,
            ring_place: RingPlace::Center,
            calm_opacity: 25,
            break_opacity: 15,
            due_opacity: 55,
            late_opacity: 60,
        }
    }
}

/// A bar is never thinner than this, in pixels.
pub const MIN_THICKNESS: u32 = 6;
/// Nor thicker.
pub const MAX_THICKNESS: u32 = 200;

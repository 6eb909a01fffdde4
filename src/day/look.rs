//! How the overlay looks, as the user sets it (the `overlay*` fields of `settings.ron`). A bottom
//! module: the rules that use these are in `overlay.rs`, their checks in `settings.rs`.

use serde::{Deserialize, Serialize};
use std::fmt;

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
    /// The current pomodoro's colour past its grace period with no intention.
    pub late_colour: Rgb,
    /// What a break's overlay is tinted (multiplied into every colour it draws).
    pub break_tint: Rgb,
}

/// A colour as `settings.ron` writes it: `"#e69e00"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// The palette's warm orange (Okabe–Ito), which reads as a warning to every kind of colour
    /// vision the ring's palette was chosen for.
    pub const WARM: Rgb = Rgb([0xe6, 0x9e, 0x00]);
    /// A light grey: a break's overlay, dimmed.
    pub const GREY: Rgb = Rgb([0xb3, 0xb3, 0xb8]);

    /// The channels from 0 to 1.
    pub fn unit(self) -> [f32; 3] {
        self.0.map(|c| f32::from(c) / 255.0)
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

impl std::str::FromStr for Rgb {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let hex = s.trim().strip_prefix('#').unwrap_or(s.trim());
        let bad = || format!("{s:?} is not a colour like \"#e69e00\"");
        if hex.len() != 6 || !hex.is_ascii() {
            return Err(bad());
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
        Ok(Rgb([channel(0)?, channel(2)?, channel(4)?]))
    }
}

impl TryFrom<String> for Rgb {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl From<Rgb> for String {
    fn from(c: Rgb) -> String {
        c.to_string()
    }
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
            late_colour: Rgb::WARM,
            break_tint: Rgb::GREY,
        }
    }
}

/// A bar is never thinner than this, in pixels.
pub const MIN_THICKNESS: u32 = 6;
/// Nor thicker.
pub const MAX_THICKNESS: u32 = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_read_and_write_as_settings_ron_spells_them() {
        assert_eq!("#e69e00".parse(), Ok(Rgb::WARM));
        assert_eq!("E69E00".parse(), Ok(Rgb::WARM));
        assert_eq!(Rgb::WARM.to_string(), "#e69e00");
        for bad in ["", "#e69f0", "#e69f00ff", "orange", "#gg0000", "#é69f0"] {
            assert!(bad.parse::<Rgb>().unwrap_err().contains("is not a colour"), "{bad}");
        }
    }
}

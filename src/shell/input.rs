//! The key map: keys become [`Action`]s, and no key does anything while a text box has focus.

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;

use super::AppSystems;
use crate::day::Rating;

/// Something the user asked for with a key (or a button).
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    SpawnSnek {
        random_hue: bool,
    },
    RemoveSnek,
    Hiccup,
    Open(Panel),
    Rate(Rating),
    ToggleFullscreen,
    ToggleMini,
    /// Close the open panel.
    Close,
}

/// The egui panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Panel {
    Intention,
    Plan,
    Journal,
    List,
    Settings,
    Help,
}

/// True while a text box (or any egui widget) takes the keyboard; set by the UI each frame.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct KeysBlocked(pub bool);

/// True while a panel is open: Escape closes it rather than quitting.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PanelOpen(pub bool);

/// The keys, as the legend and the help show them.
pub const KEYS: &[(&str, &str)] = &[
    ("i / Enter", "intention"),
    ("1-4", "rate"),
    ("p", "plan"),
    ("j", "journal"),
    ("l", "list"),
    (",", "settings"),
    ("s / S", "snek"),
    ("d", "remove snek"),
    ("h", "hiccup"),
    ("f", "fullscreen"),
    ("m", "mini"),
    ("? / F1", "help"),
    ("q / Esc", "quit"),
];

pub(super) fn plugin(app: &mut App) {
    app.add_message::<Action>();
    app.init_resource::<KeysBlocked>();
    app.init_resource::<PanelOpen>();
    app.add_systems(Update, record_keys.in_set(AppSystems::RecordInput));
}

/// The action a key stands for. Characters are matched as typed (layout-aware), so `S` is shift+s
/// and `?` is whatever produces a question mark.
pub fn action_for(key: &Key, panel_open: bool) -> Option<Action> {
    Some(match key {
        Key::Character(c) => match c.as_str() {
            "q" | "Q" => Action::Quit,
            "s" => Action::SpawnSnek { random_hue: false },
            "S" => Action::SpawnSnek { random_hue: true },
            "d" | "D" => Action::RemoveSnek,
            "h" | "H" => Action::Hiccup,
            "i" | "I" => Action::Open(Panel::Intention),
            "p" | "P" => Action::Open(Panel::Plan),
            "j" | "J" => Action::Open(Panel::Journal),
            "l" | "L" => Action::Open(Panel::List),
            "," => Action::Open(Panel::Settings),
            "?" => Action::Open(Panel::Help),
            "f" | "F" => Action::ToggleFullscreen,
            "m" | "M" => Action::ToggleMini,
            "1" => Action::Rate(Rating::Achieved),
            "2" => Action::Rate(Rating::Focused),
            "3" => Action::Rate(Rating::Interrupted),
            "4" => Action::Rate(Rating::Distracted),
            _ => return None,
        },
        Key::Enter => Action::Open(Panel::Intention),
        Key::F1 => Action::Open(Panel::Help),
        Key::Escape if panel_open => Action::Close,
        Key::Escape => Action::Quit,
        _ => return None,
    })
}

/// Runs after the clock and before anything acts, so an action sees this frame's day. Reads every
/// key message even while typing (and drops them then), so that no key typed into a box fires later.
fn record_keys(
    mut keys: MessageReader<KeyboardInput>,
    blocked: Res<KeysBlocked>,
    panel: Res<PanelOpen>,
    mut actions: MessageWriter<Action>,
) {
    for key in keys.read() {
        if blocked.0 || key.state != ButtonState::Pressed || key.repeat {
            continue;
        }
        if let Some(action) = action_for(&key.logical_key, panel.0) {
            actions.write(action);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_actions() {
        let c = |s: &str| Key::Character(s.into());
        assert_eq!(action_for(&c("S"), false), Some(Action::SpawnSnek { random_hue: true }));
        assert_eq!(action_for(&c("3"), false), Some(Action::Rate(Rating::Interrupted)));
        assert_eq!(action_for(&Key::Escape, false), Some(Action::Quit));
        assert_eq!(action_for(&Key::Escape, true), Some(Action::Close));
        assert_eq!(action_for(&c("x"), false), None);
    }
}

//! The key map: keys become [`Action`]s. While a panel with a text box is open no key is a
//! shortcut (only Escape closes it, and Ctrl+Q quits anywhere), so fast typing can change nothing
//! but the box typed in, even if the box lost focus.

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardFocusLost, KeyboardInput};
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
    /// Switch the overlay on or off, or change its style.
    Overlay(OverlaySwitch),
    /// Start a pomodoro now (the rest of the day laid out again from this moment).
    StartNow,
    /// Close the open panel.
    Close,
}

/// What is asked of the overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverlaySwitch {
    Toggle,
    On,
    Off,
    Bar,
    Ring,
}

/// The egui panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Panel {
    Intention,
    Plan,
    Journal,
    List,
    History,
    Settings,
    Help,
    /// What passed while no window showed the day (opens by itself).
    Away,
    /// Quit asked while changes are not saved (opens by itself).
    Quit,
    /// What a newcomer reads first (opens by itself once; help shows it again).
    Welcome,
}

impl Panel {
    /// Every panel.
    pub const ALL: [Panel; 10] = [
        Panel::Intention,
        Panel::Plan,
        Panel::Journal,
        Panel::List,
        Panel::History,
        Panel::Settings,
        Panel::Help,
        Panel::Away,
        Panel::Quit,
        Panel::Welcome,
    ];

    /// Whether the panel has a box to type in: then every key belongs to it.
    pub fn takes_text(self) -> bool {
        matches!(self, Panel::Intention | Panel::Plan | Panel::Journal | Panel::Settings)
    }
}

/// Which panel is open: a state, so that opening and closing a panel runs its enter and exit work
/// (drafts, focus) once, wherever the request came from.
#[derive(States, Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PanelState {
    #[default]
    Closed,
    Open(Panel),
}

impl PanelState {
    /// The open panel, if one is.
    pub fn panel(self) -> Option<Panel> {
        match self {
            PanelState::Closed => None,
            PanelState::Open(panel) => Some(panel),
        }
    }

    /// The state with `panel` open, or none.
    pub fn of(panel: Option<Panel>) -> Self {
        panel.map_or(PanelState::Closed, PanelState::Open)
    }
}

/// Whether any panel is open (a run condition).
pub fn panel_open(state: Res<State<PanelState>>) -> bool {
    *state.get() != PanelState::Closed
}

/// Which modifier keys are held, as the key messages arrive (in order, not per frame: a fast
/// Ctrl+A can press and release Ctrl within one frame).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Modifiers {
    pub ctrl: bool,
    pub alt: bool,
    pub logo: bool,
    pub shift: bool,
}

impl Modifiers {
    /// Follows one key message; returns true if it was a modifier key.
    pub fn follow(&mut self, key: &KeyboardInput) -> bool {
        let down = key.state == ButtonState::Pressed;
        match key.logical_key {
            Key::Control => self.ctrl = down,
            Key::Alt | Key::AltGraph => self.alt = down,
            Key::Super | Key::Meta | Key::Hyper => self.logo = down,
            Key::Shift => self.shift = down,
            _ => return false,
        }
        true
    }

    /// True when a key pressed now is a command (Ctrl, Alt or the logo key held), not a character.
    pub fn command(self) -> bool {
        self.ctrl || self.alt || self.logo
    }
}

/// The keys, as the legend and the help show them.
pub const KEYS: &[(&str, &str)] = &[
    ("i / Enter", "intention"),
    ("1-4", "rate"),
    ("n", "start now"),
    ("p", "plan"),
    ("j", "journal"),
    ("l", "list"),
    ("y", "history"),
    (",", "settings"),
    ("s / S", "snek"),
    ("d", "remove snek"),
    ("h", "hiccup"),
    ("f", "fullscreen"),
    ("m", "mini"),
    ("o", "overlay"),
    ("? / F1", "help"),
    ("q / Ctrl+Q", "quit"),
];

pub(super) fn plugin(app: &mut App) {
    app.add_message::<Action>();
    app.init_state::<PanelState>();
    app.add_systems(Update, record_keys.in_set(AppSystems::RecordInput));
    // A panel opened or closed is drawn anew.
    app.add_systems(Update, super::face::report_state_change::<PanelState>.in_set(super::face::ReportNextChange));
}

/// The action a key stands for with `modifiers` held and `panel` open. Characters are matched as
/// typed (layout-aware), so `S` is shift+s and `?` is whatever produces a question mark.
pub fn action_for(key: &Key, modifiers: Modifiers, panel: Option<Panel>) -> Option<Action> {
    let is_q = matches!(key, Key::Character(c) if c.eq_ignore_ascii_case("q"));
    if modifiers.ctrl && is_q {
        return Some(Action::Quit);
    }
    if *key == Key::Escape {
        // Escape closes a panel and never quits.
        return panel.map(|_| Action::Close);
    }
    if modifiers.command() || panel.is_some_and(Panel::takes_text) {
        return None;
    }
    Some(match key {
        Key::Character(c) => match c.as_str() {
            // Quitting by a plain key only when nothing is open: a stray `q` while reading a
            // panel does nothing.
            "q" | "Q" if panel.is_none() => Action::Quit,
            "s" => Action::SpawnSnek { random_hue: false },
            "S" => Action::SpawnSnek { random_hue: true },
            "d" | "D" => Action::RemoveSnek,
            "h" | "H" => Action::Hiccup,
            "i" | "I" => Action::Open(Panel::Intention),
            "p" | "P" => Action::Open(Panel::Plan),
            "j" | "J" => Action::Open(Panel::Journal),
            "l" | "L" => Action::Open(Panel::List),
            "y" | "Y" => Action::Open(Panel::History),
            "," => Action::Open(Panel::Settings),
            "?" => Action::Open(Panel::Help),
            "f" | "F" => Action::ToggleFullscreen,
            "m" | "M" => Action::ToggleMini,
            "o" | "O" => Action::Overlay(OverlaySwitch::Toggle),
            "n" | "N" => Action::StartNow,
            "1" => Action::Rate(Rating::Achieved),
            "2" => Action::Rate(Rating::Focused),
            "3" => Action::Rate(Rating::Interrupted),
            "4" => Action::Rate(Rating::Distracted),
            _ => return None,
        },
        Key::Enter => Action::Open(Panel::Intention),
        Key::F1 => Action::Open(Panel::Help),
        _ => return None,
    })
}

/// Runs after the clock and before anything acts, so an action sees this frame's day. Reads every
/// key message in order, following the modifiers and the panel each key opens, so that keys typed
/// in the same frame as the one that opens a text panel are not shortcuts either.
pub(crate) fn record_keys(
    mut keys: MessageReader<KeyboardInput>,
    mut focus_lost: MessageReader<KeyboardFocusLost>,
    panel: Res<State<PanelState>>,
    mut modifiers: Local<Modifiers>,
    mut actions: MessageWriter<Action>,
) {
    if focus_lost.read().count() > 0 {
        *modifiers = Modifiers::default();
    }
    let mut open = panel.get().panel();
    for key in keys.read() {
        if modifiers.follow(key) || key.state != ButtonState::Pressed || key.repeat {
            continue;
        }
        let Some(action) = action_for(&key.logical_key, *modifiers, open) else { continue };
        match action {
            Action::Open(p) => open = Some(p),
            Action::Close => open = None,
            _ => {}
        }
        actions.write(action);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Modifiers = Modifiers { ctrl: false, alt: false, logo: false, shift: false };
    const CTRL: Modifiers = Modifiers { ctrl: true, alt: false, logo: false, shift: false };

    #[test]
    fn keys_map_to_actions() {
        let c = |s: &str| Key::Character(s.into());
        assert_eq!(action_for(&c("S"), NONE, None), Some(Action::SpawnSnek { random_hue: true }));
        assert_eq!(action_for(&c("3"), NONE, None), Some(Action::Rate(Rating::Interrupted)));
        assert_eq!(action_for(&c("q"), NONE, None), Some(Action::Quit));
        assert_eq!(action_for(&c("x"), NONE, None), None);
    }

    #[test]
    fn escape_never_quits_and_q_quits_only_with_nothing_open() {
        let c = |s: &str| Key::Character(s.into());
        assert_eq!(action_for(&Key::Escape, NONE, None), None);
        assert_eq!(action_for(&Key::Escape, NONE, Some(Panel::Help)), Some(Action::Close));
        assert_eq!(action_for(&c("q"), NONE, Some(Panel::Help)), None);
        assert_eq!(action_for(&c("q"), CTRL, Some(Panel::Journal)), Some(Action::Quit));
        assert_eq!(action_for(&c("Q"), CTRL, None), Some(Action::Quit));
    }

    #[test]
    fn held_modifiers_make_no_shortcut_but_ctrl_q() {
        let c = |s: &str| Key::Character(s.into());
        for m in [CTRL, Modifiers { alt: true, ..NONE }, Modifiers { logo: true, ..NONE }] {
            for key in ["s", "a", "i", "1", "m"] {
                assert_eq!(action_for(&c(key), m, None), None, "{key} with {m:?}");
            }
        }
    }
}

//! Keys into egui, in the order they were typed. bevy_egui reads the modifier keys once per frame
//! and applies that state to every key of the frame, so a fast Ctrl+A (Ctrl pressed and released
//! within one frame) reaches a text box as the letter "a". Here each key carries the modifiers held
//! when it was pressed: a key typed with Ctrl, or the logo key, never types.

use bevy::input::keyboard::{Key, KeyboardFocusLost, KeyboardInput};
use bevy::prelude::*;
use bevy_egui::helpers::{bevy_to_egui_key, bevy_to_egui_physical_key};
use bevy_egui::input::EguiInputEvent;
use bevy_egui::{EguiContextSettings, EguiInputSet, PrimaryEguiContext, egui};

use super::clipboard::PendingPaste;
use crate::shell::input::Modifiers;
use crate::shell::platform::clipboard::Clipboard;

pub(super) fn plugin(app: &mut App) {
    app.add_observer(replace_egui_keyboard_reader);
    app.add_systems(PreUpdate, write_keys_to_egui.in_set(EguiInputSet::ReadBevyMessages));
}

/// Runs when the window's egui context appears: this module reads its keys instead.
fn replace_egui_keyboard_reader(added: On<Add, PrimaryEguiContext>, mut settings: Query<&mut EguiContextSettings>) {
    if let Ok(mut settings) = settings.get_mut(added.entity) {
        settings.input_system_settings.run_write_keyboard_input_messages_system = false;
    }
}

/// Whether a key pressed with `m` held may type its character: not with Ctrl or the logo key,
/// except Ctrl+Alt, which is AltGr on some systems.
pub fn may_type(m: Modifiers) -> bool {
    !(m.ctrl || m.logo) || (m.ctrl && m.alt)
}

/// What a key does to the clipboard, with the modifiers held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClipboardKey {
    Copy,
    Cut,
    Paste,
}

/// Ctrl+C, Ctrl+X and Ctrl+V (by the letter the layout gives, or by the key's place when the
/// layout's letter is not Latin), and the keyboard's own Copy, Cut and Paste keys.
pub fn clipboard_key(key: &KeyboardInput, m: Modifiers) -> Option<ClipboardKey> {
    match &key.logical_key {
        Key::Copy => return Some(ClipboardKey::Copy),
        Key::Cut => return Some(ClipboardKey::Cut),
        Key::Paste => return Some(ClipboardKey::Paste),
        _ => {}
    }
    if !m.ctrl || m.alt || m.logo {
        return None;
    }
    let letter = match &key.logical_key {
        Key::Character(c) if c.is_ascii() => c.to_ascii_lowercase(),
        _ => match key.key_code {
            KeyCode::KeyC => "c".to_owned(),
            KeyCode::KeyX => "x".to_owned(),
            KeyCode::KeyV => "v".to_owned(),
            _ => return None,
        },
    };
    match letter.as_str() {
        "c" => Some(ClipboardKey::Copy),
        "x" => Some(ClipboardKey::Cut),
        "v" => Some(ClipboardKey::Paste),
        _ => None,
    }
}

fn egui_modifiers(m: Modifiers) -> egui::Modifiers {
    egui::Modifiers { alt: m.alt, ctrl: m.ctrl, shift: m.shift, mac_cmd: false, command: m.ctrl }
}

/// Runs where bevy_egui reads Bevy's input messages, before egui's pass: each key with the
/// modifiers held when it was pressed; Ctrl+C, Ctrl+X and Ctrl+V through the clipboard, keys typed
/// after a paste held back until the pasted text is in.
#[allow(clippy::too_many_arguments)]
fn write_keys_to_egui(
    mut keys: MessageReader<KeyboardInput>,
    mut focus_lost: MessageReader<KeyboardFocusLost>,
    context: Query<Entity, With<PrimaryEguiContext>>,
    clipboard: Option<Res<Clipboard>>,
    mut held: Local<Modifiers>,
    mut pending: Local<PendingPaste>,
    mut egui_events: MessageWriter<EguiInputEvent>,
) {
    if focus_lost.read().count() > 0 {
        *held = Modifiers::default();
    }
    let Ok(context) = context.single() else {
        keys.clear();
        return;
    };
    let clipboard = clipboard.as_deref();
    let mut out: Vec<egui::Event> = pending.release(clipboard);
    for key in keys.read() {
        held.follow(key);
        let pressed = key.state.is_pressed();
        let mut events = Vec::new();
        if pressed && let Some(action) = clipboard_key(key, *held) {
            match action {
                ClipboardKey::Copy => events.push(egui::Event::Copy),
                ClipboardKey::Cut => events.push(egui::Event::Cut),
                ClipboardKey::Paste => {
                    // Whatever came before goes first; then everything waits for the text.
                    out.append(&mut pending.release(clipboard));
                    flush(&mut out, context, &mut egui_events);
                    pending.start(clipboard);
                    continue;
                }
            }
        } else if pressed && may_type(*held) {
            let text = match &key.logical_key {
                Key::Character(c) if !c.chars().any(char::is_control) => Some(c.to_string()),
                Key::Space => Some(" ".to_owned()),
                _ => None,
            };
            events.extend(text.map(egui::Event::Text));
        }
        let physical_key = bevy_to_egui_physical_key(&key.key_code);
        if let Some(egui_key) = bevy_to_egui_key(&key.logical_key).or(physical_key) {
            events.push(egui::Event::Key {
                key: egui_key,
                physical_key,
                pressed,
                repeat: key.repeat,
                modifiers: egui_modifiers(*held),
            });
        }
        for event in events {
            if pending.waiting() {
                pending.hold(event);
            } else if escape_after_text(&out, &event) {
                // egui drops the keyboard focus as a pass with Escape in it begins, before any
                // box takes that pass's text: Escape would lose the text typed just before it.
                // Its work, closing the panel, is the key map's (it closes once the box took the
                // text), so egui does without it.
            } else {
                out.push(event);
            }
        }
    }
    flush(&mut out, context, &mut egui_events);
}

/// Whether `event` presses Escape after text that `out` is about to give egui in the same pass.
fn escape_after_text(out: &[egui::Event], event: &egui::Event) -> bool {
    matches!(event, egui::Event::Key { key: egui::Key::Escape, pressed: true, .. })
        && out.iter().any(|e| matches!(e, egui::Event::Text(_) | egui::Event::Paste(_)))
}

fn flush(out: &mut Vec<egui::Event>, context: Entity, egui_events: &mut MessageWriter<EguiInputEvent>) {
    egui_events.write_batch(out.drain(..).map(|event| EguiInputEvent { context, event }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_shift_and_altgr_keys_type() {
        let m = Modifiers::default();
        assert!(may_type(m));
        assert!(may_type(Modifiers { shift: true, ..m }));
        assert!(may_type(Modifiers { ctrl: true, alt: true, ..m }));
        assert!(!may_type(Modifiers { ctrl: true, ..m }));
        assert!(!may_type(Modifiers { logo: true, ..m }));
    }
}

//! Keys into egui, in the order they were typed. bevy_egui reads the modifier keys once per frame
//! and applies that state to every key of the frame, so a fast Ctrl+A (Ctrl pressed and released
//! within one frame) reaches a text box as the letter "a". Here each key carries the modifiers held
//! when it was pressed: a key typed with Ctrl, or the logo key, never types.

use bevy::input::keyboard::{Key, KeyboardFocusLost, KeyboardInput};
use bevy::prelude::*;
use bevy_egui::helpers::{bevy_to_egui_key, bevy_to_egui_physical_key};
use bevy_egui::input::EguiInputEvent;
use bevy_egui::{EguiContextSettings, EguiInputSet, PrimaryEguiContext, egui};

use crate::shell::input::Modifiers;

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

fn egui_modifiers(m: Modifiers) -> egui::Modifiers {
    egui::Modifiers { alt: m.alt, ctrl: m.ctrl, shift: m.shift, mac_cmd: false, command: m.ctrl }
}

/// Runs where bevy_egui reads Bevy's input messages, before egui's pass: each key with the
/// modifiers held when it was pressed.
fn write_keys_to_egui(
    mut keys: MessageReader<KeyboardInput>,
    mut focus_lost: MessageReader<KeyboardFocusLost>,
    context: Query<Entity, With<PrimaryEguiContext>>,
    mut held: Local<Modifiers>,
    mut egui_events: MessageWriter<EguiInputEvent>,
) {
    if focus_lost.read().count() > 0 {
        *held = Modifiers::default();
    }
    let Ok(context) = context.single() else {
        keys.clear();
        return;
    };
    for key in keys.read() {
        held.follow(key);
        let pressed = key.state.is_pressed();
        if pressed && may_type(*held) {
            let text = match &key.logical_key {
                Key::Character(c) if !c.chars().any(char::is_control) => Some(c.to_string()),
                Key::Space => Some(" ".to_owned()),
                _ => None,
            };
            if let Some(text) = text {
                egui_events.write(EguiInputEvent { context, event: egui::Event::Text(text) });
            }
        }
        let physical_key = bevy_to_egui_physical_key(&key.key_code);
        let Some(egui_key) = bevy_to_egui_key(&key.logical_key).or(physical_key) else { continue };
        egui_events.write(EguiInputEvent {
            context,
            event: egui::Event::Key {
                key: egui_key,
                physical_key,
                pressed,
                repeat: key.repeat,
                modifiers: egui_modifiers(*held),
            },
        });
    }
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

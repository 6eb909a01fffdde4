//! The quit panel: quitting was asked while changes the store refused wait to be saved. It says
//! why, and offers to keep trying or to quit with a copy of the day written elsewhere.

use bevy_egui::egui;

use super::NOTICE;
use crate::shell::persist::Persist;
use crate::shell::today::Today;

/// Draws the panel; sets `quits` when the user asks to quit all the same.
pub(super) fn quit_ui(ui: &mut egui::Ui, persist: &Persist, today: &Today, quits: &mut bool) {
    let Some(why) = persist.unsaved() else {
        ui.label("Everything is saved now: q quits.");
        return;
    };
    ui.colored_label(NOTICE, format!("Your changes to {} are not saved: {why}.", today.date()));
    ui.label("They stay here, and saving is tried again every few seconds.");
    ui.label(format!(
        "If you quit now, a copy of the day is written to {} (copy it into the data folder once it \
         can be written).",
        persist.elsewhere().display()
    ));
    ui.horizontal_wrapped(|ui| {
        if ui.button("Quit with a copy (Ctrl+Q)").clicked() {
            *quits = true;
        }
        ui.label("Escape: keep trying");
    });
}

//! Help: the keys, and how the day and its points work.

use bevy_egui::egui;

use bevy::color::{ColorToPacked, Srgba};

use crate::shell::input::KEYS;
use crate::shell::ring::mesh::palette;

/// What a new user needs to know beyond the keys.
const HOW_IT_WORKS: &[(&str, &str)] = &[
    (
        "The day runs by itself",
        "Work hours are cut into pomodoros and breaks that pass on the wall clock, whether or not you \
         touch anything. The snake's head moves with the clock and eats each interval as it ends.",
    ),
    (
        "Grace period",
        "An intention can be set during a pomodoro's first minutes (4 by default; see settings). After \
         that the pomodoro stays unintended: shown neutral, never as a failure; n starts a new one \
         at once, with its full grace period. Something planned with \
         p is taken by the next pomodoro that starts without an intention.",
    ),
    (
        "Points",
        "A rated intention earns achieved 1.25, focused 1.00, interrupted 0.20, distracted 0.10 \
         (unrated 0.10). Intended pomodoros in a row add a streak bonus. Nothing is ever taken away.",
    ),
    (
        "Still possible",
        "The best final score you can still reach today: every pomodoro still open to an intention, \
         and every rating still open to change, counted as achieved. \"Next point at risk\" says when \
         that number first drops if you do nothing.",
    ),
    (
        "Sneks",
        "s spawns a snek, S one with a random hue, d removes the oldest. Each achieved pomodoro \
         brings a new snek of its own. h stalls the app for up to a second: afterwards every snek is \
         exactly where it would have been.",
    ),
    (
        "Typing",
        "While a panel with a text box is open every key types into it; Esc closes the panel and \
         keeps what you typed. q quits only when no panel is open; Ctrl+Q quits anywhere. Everything \
         is saved as it changes.",
    ),
];

/// What the ring's colours mean, with the colour itself (Okabe–Ito: safe for the common kinds of
/// colour blindness).
const COLOURS: &[(Srgba, &str)] = &[
    (palette::ACHIEVED, "achieved"),
    (palette::FOCUSED, "focused"),
    (palette::INTERRUPTED, "interrupted"),
    (palette::DISTRACTED, "distracted"),
    (palette::UNRATED, "intended, not rated yet"),
    (palette::POMODORO_AHEAD, "a pomodoro still ahead"),
    (palette::POMODORO_UNINTENDED, "a pomodoro with no intention"),
    (palette::BREAK_AHEAD, "a break"),
    (palette::CURRENT, "now: the interval under way"),
];

/// Draws the help; true when the user asked to see the welcome again.
pub(super) fn help_ui(ui: &mut egui::Ui) -> bool {
    let welcome = ui.button("Welcome: what this app is, in four lines");
    crate::shell::ui::report_rect("welcome-again", welcome.rect);
    let welcome = welcome.clicked();
    ui.separator();
    egui::Grid::new("keys").num_columns(2).striped(true).show(ui, |ui| {
        for (key, what) in KEYS {
            ui.label(egui::RichText::new(*key).monospace().strong());
            ui.label(*what);
            ui.end_row();
        }
    });
    ui.separator();
    ui.label(egui::RichText::new("The ring's colours").strong());
    egui::Grid::new("colours").num_columns(2).show(ui, |ui| {
        for (colour, what) in COLOURS {
            let [r, g, b, _] = colour.to_u8_array();
            let (rect, _) = ui.allocate_exact_size(egui::vec2(28.0, 12.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, egui::Color32::from_rgb(r, g, b));
            ui.label(*what);
            ui.end_row();
        }
    });
    for (heading, text) in HOW_IT_WORKS {
        ui.separator();
        ui.label(egui::RichText::new(*heading).strong());
        ui.label(*text);
    }
    welcome
}

//! The intention box and the plan queue.

use bevy_egui::egui;

use super::{PanelIo, Panels, submitted, track_box};
use crate::day::{Day, INTENTION_MAX_CHARS, Kind};
use crate::shell::actions::{DayAction, Origin};
use crate::shell::today::Today;

/// What Enter in the intention box does now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IntentionMode {
    Set,
    Edit,
    Replace,
    Plan,
}

fn intention_mode(day: &Day, now: jiff::Timestamp) -> IntentionMode {
    match day.interval_at(now) {
        Some(i) if day.intervals[i].kind == Kind::Pomodoro => {
            let in_grace = now < day.grace_end(i);
            match (&day.intervals[i].intention, in_grace) {
                (None, true) => IntentionMode::Set,
                (Some(_), true) => IntentionMode::Edit,
                (Some(_), false) => IntentionMode::Replace,
                (None, false) => IntentionMode::Plan,
            }
        }
        _ => IntentionMode::Plan,
    }
}

/// Editing during the grace period starts from the current text; otherwise the draft left by
/// the last Escape is kept.
pub(super) fn on_open(panels: &mut Panels, today: &Today) {
    let now = today.now();
    panels.too_late = None;
    panels.intention_for = match intention_mode(today.day(), now) {
        IntentionMode::Set | IntentionMode::Edit => today.day().interval_at(now),
        IntentionMode::Replace | IntentionMode::Plan => None,
    };
    if panels.intention.is_empty()
        && intention_mode(today.day(), now) == IntentionMode::Edit
        && let Some(i) = today.day().interval_at(now)
        && let Some(text) = &today.day().intervals[i].intention
    {
        panels.intention = text.clone();
    }
}

/// A one-line box with a fixed id, so that nothing drawn above it can take its focus.
fn one_line(ui: &mut egui::Ui, text: &mut String, id: &str, hint: &'static str) -> egui::Response {
    ui.add(
        egui::TextEdit::singleline(text)
            .id(egui::Id::new(id))
            .hint_text(hint)
            .char_limit(INTENTION_MAX_CHARS)
            .desired_width(f32::INFINITY),
    )
}

/// Draws the intention box; Enter asks for the intention to be set (once it is, the box clears
/// and the panel closes).
pub(super) fn intention_ui(ui: &mut egui::Ui, panels: &mut Panels, today: &Today, io: &mut PanelIo) {
    let now = today.now();
    let mode = intention_mode(today.day(), now);
    ui.label(match mode {
        IntentionMode::Set => "What will you do in this pomodoro?",
        IntentionMode::Edit => "Change this pomodoro's intention (the grace period is still on).",
        IntentionMode::Replace => "Abandon this intention for a new one (the old one is kept as interrupted).",
        IntentionMode::Plan => "No intention can be set now: this goes to the plan for the next pomodoro.",
    });
    let response = one_line(ui, &mut panels.intention, "intention-box", "one line, then Enter");
    track_box(panels, &response, true);
    ui.label(format!("{}/{INTENTION_MAX_CHARS} · Enter to save · Esc to close", panels.intention.chars().count()));
    if submitted(ui, &response) {
        let text = panels.intention.clone();
        let action = match mode {
            IntentionMode::Set | IntentionMode::Edit => DayAction::Intend(text),
            IntentionMode::Replace => DayAction::Abandon(text),
            IntentionMode::Plan => DayAction::Plan(text),
        };
        io.act(action, Origin::IntentionBox);
    }
    if let Some((_, text)) = panels.too_late.clone() {
        let undo = ui.button("Undo: take it out of the plan");
        crate::shell::ui::report_rect("undo", undo.rect);
        if undo.clicked() {
            io.act(DayAction::Unplan(text), Origin::IntentionBox);
        }
    }
    io.show_message(ui);
}

pub(super) fn plan_ui(ui: &mut egui::Ui, panels: &mut Panels, today: &Today, io: &mut PanelIo) {
    if today.day().plan.is_empty() {
        ui.label("Nothing planned. Each pomodoro that starts without an intention takes the next planned one.");
    }
    for (n, text) in today.day().plan.iter().enumerate() {
        ui.label(format!("{}. {text}", n + 1));
    }
    let response = one_line(ui, &mut panels.plan, "plan-box", "add an intention, then Enter");
    track_box(panels, &response, true);
    if submitted(ui, &response) {
        io.act(DayAction::Plan(panels.plan.clone()), Origin::PlanBox);
    }
    ui.label("Enter adds · Esc closes");
    if !today.day().plan.is_empty() && ui.button("Clear the plan").clicked() {
        io.act(DayAction::ClearPlan, Origin::PlanBox);
    }
    io.show_message(ui);
}

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
pub(super) fn intention_ui(ui: &mut egui::Ui, panels: &mut Panels, today: &Today, picks: &[String], io: &mut PanelIo) {
    let now = today.now();
    let mode = intention_mode(today.day(), now);
    // The quick pick: with the box empty, 1-7 takes that intention at once; the arrows put one
    // in the box (Enter sets it, as anything typed).
    let picked = quick_pick_keys(ui, panels, picks);
    ui.label(match mode {
        IntentionMode::Set => "What will you do in this pomodoro?",
        IntentionMode::Edit => "Change this pomodoro's intention (the grace period is still on).",
        IntentionMode::Replace => "Abandon this intention for a new one (the old one is kept as interrupted).",
        IntentionMode::Plan => "No intention can be set now: this goes to the plan for the next pomodoro.",
    });
    let response = one_line(ui, &mut panels.intention, "intention-box", "one line, then Enter");
    track_box(panels, &response, true);
    ui.label(format!("{}/{INTENTION_MAX_CHARS} · Enter to save · Esc to close", panels.intention.chars().count()));
    let taken = picked.or(picks_ui(ui, panels, picks));
    let took = taken.is_some();
    if let Some(text) = taken {
        panels.intention = text;
    }
    if submitted(ui, &response) || took {
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

/// Takes the quick pick's keys out of egui's input before the box sees them: a digit from 1 to
/// the number of picks while the box is empty picks that one (returned); Up and Down step through
/// the picks, putting each in the box.
fn quick_pick_keys(ui: &mut egui::Ui, panels: &mut Panels, picks: &[String]) -> Option<String> {
    if picks.is_empty() {
        return None;
    }
    let empty = panels.intention.is_empty();
    let mut picked = None;
    let mut step: i32 = 0;
    ui.input_mut(|input| {
        input.events.retain(|event| match event {
            egui::Event::Text(t) if empty && picked.is_none() => {
                match t.parse::<usize>().ok().filter(|n| (1..=picks.len()).contains(n)) {
                    Some(n) => {
                        picked = Some(picks[n - 1].clone());
                        false
                    }
                    None => true,
                }
            }
            egui::Event::Key { key: egui::Key::ArrowDown, pressed: true, .. } => {
                step += 1;
                false
            }
            egui::Event::Key { key: egui::Key::ArrowUp, pressed: true, .. } => {
                step -= 1;
                false
            }
            _ => true,
        })
    });
    if step != 0 {
        let n = picks.len() as i32;
        let at = panels.pick.map_or(if step > 0 { -1 } else { n }, |p| p as i32);
        let next = (at + step).rem_euclid(n) as usize;
        panels.pick = Some(next);
        panels.intention = picks[next].clone();
    }
    picked
}

/// The quick pick's list under the box, numbered as its keys; a click takes one.
fn picks_ui(ui: &mut egui::Ui, panels: &Panels, picks: &[String]) -> Option<String> {
    if picks.is_empty() {
        return None;
    }
    ui.label("Or pick one (its number, or ↑ ↓ then Enter):");
    let mut clicked = None;
    for (n, text) in picks.iter().enumerate() {
        let selected = panels.pick == Some(n) && panels.intention == *text;
        let shown = crate::day::shown_safely(text);
        if ui.selectable_label(selected, format!("{}. {shown}", n + 1)).clicked() {
            clicked = Some(text.clone());
        }
    }
    clicked
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

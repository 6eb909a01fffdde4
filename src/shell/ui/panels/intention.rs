//! The intention box and the plan queue.

use bevy_egui::egui;

use super::{PanelIo, Panels, submitted, track_box};
use crate::day::{Day, INTENTION_MAX_CHARS, Kind};
use crate::shell::actions::{DayAction, Origin, PlanChange};
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

/// The line under a box: how many characters it holds of the most it takes (said plainly at the
/// limit, where typing more does nothing), and the keys.
fn count_line(ui: &mut egui::Ui, typed: &str, keys: &str) {
    let count = typed.chars().count();
    if count >= INTENTION_MAX_CHARS {
        let said = ui.colored_label(
            super::NOTICE,
            format!("{count}/{INTENTION_MAX_CHARS}: the most an intention holds; more is not taken · {keys}"),
        );
        crate::shell::ui::report_rect("at-the-limit", said.rect);
    } else {
        ui.label(format!("{count}/{INTENTION_MAX_CHARS} · {keys}"));
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
    count_line(ui, &panels.intention, "Enter to save · Esc to close");
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
    io.show_message_under(ui, &panels.intention);
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

/// The names under which the first rows of the plan report where they were drawn (for tests).
const PLAN_ROWS: [&str; 4] = ["plan-1", "plan-2", "plan-3", "plan-4"];

/// An item of the plan being edited in place: its number (from 1), its text when the edit began,
/// and the text being typed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct PlanEditing {
    pub number: usize,
    pub was: String,
    pub text: String,
}

/// Draws the plan: each item can be edited in place (✏, Enter saves), moved (drag its handle, ↑ ↓,
/// or Alt+↑/↓ for the item chosen last; "top" makes it the next in line) or taken out (✕); the box below adds one.
pub(super) fn plan_ui(ui: &mut egui::Ui, panels: &mut Panels, today: &Today, io: &mut PanelIo) {
    let plan = &today.day().plan;
    if plan.is_empty() {
        ui.label("Nothing planned. Each pomodoro that starts without an intention takes the next planned one.");
    }
    let change = |number: usize, change: PlanChange| DayAction::PlanItem {
        number,
        was: plan.get(number - 1).cloned().unwrap_or_default(),
        change,
    };
    // Alt+Up and Alt+Down move the item chosen last (taken before the box sees the arrows).
    let (up, down) = ui.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::ALT, egui::Key::ArrowUp),
            i.consume_key(egui::Modifiers::ALT, egui::Key::ArrowDown),
        )
    });
    if let Some(n) = panels.plan_chosen.filter(|&n| (1..=plan.len()).contains(&n)) {
        let to = if up {
            n.saturating_sub(1).max(1)
        } else if down {
            (n + 1).min(plan.len())
        } else {
            n
        };
        if to != n {
            io.act(change(n, PlanChange::MoveTo(to)), Origin::PlanBox);
            panels.plan_chosen = Some(to);
        }
    }
    let mut edit_box = None;
    for (at, text) in plan.iter().enumerate() {
        let number = at + 1;
        let row = ui.horizontal(|ui| {
            let handle = ui.dnd_drag_source(egui::Id::new(("plan-item", number)), number, |ui| ui.label("☰"));
            handle.response.on_hover_text("drag to move");
            let editing = panels.plan_editing.as_mut().filter(|e| e.number == number && e.was == *text);
            if let Some(editing) = editing {
                ui.label(format!("{number}."));
                let response = ui.add(
                    egui::TextEdit::singleline(&mut editing.text)
                        .id(egui::Id::new("plan-edit-box"))
                        .char_limit(INTENTION_MAX_CHARS)
                        .desired_width(ui.available_width() - 8.0),
                );
                edit_box = Some(response);
                return;
            }
            let shown = crate::day::shown_safely(text);
            let chosen = panels.plan_chosen == Some(number);
            if ui.selectable_label(chosen, format!("{number}. {shown}")).clicked() {
                panels.plan_chosen = Some(number);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let remove = ui.small_button("✕").on_hover_text("take it out of the plan");
                let edit = ui.small_button("✏").on_hover_text("edit");
                if number == 1 {
                    crate::shell::ui::report_rect("plan-remove-1", remove.rect);
                    crate::shell::ui::report_rect("plan-edit-1", edit.rect);
                }
                if remove.clicked() {
                    io.act(change(number, PlanChange::Remove), Origin::PlanBox);
                }
                if edit.clicked() {
                    panels.plan_editing = Some(PlanEditing { number, was: text.clone(), text: text.clone() });
                }
                if number < plan.len() && ui.small_button("↓").on_hover_text("later (Alt+↓)").clicked() {
                    io.act(change(number, PlanChange::MoveTo(number + 1)), Origin::PlanBox);
                }
                if number > 1 {
                    if ui.small_button("↑").on_hover_text("sooner (Alt+↑)").clicked() {
                        io.act(change(number, PlanChange::MoveTo(number - 1)), Origin::PlanBox);
                    }
                    if ui.small_button("top").on_hover_text("next in line").clicked() {
                        io.act(change(number, PlanChange::MoveTo(1)), Origin::PlanBox);
                    }
                }
            });
        });
        if let Some(name) = PLAN_ROWS.get(at) {
            crate::shell::ui::report_rect(name, row.response.rect);
        }
        if let Some(from) = row.response.dnd_release_payload::<usize>()
            && *from != number
        {
            io.act(change(*from, PlanChange::MoveTo(number)), Origin::PlanBox);
        }
    }
    if let Some(response) = edit_box {
        track_box(panels, &response, false);
        if !response.has_focus() && panels.typing_in != Some(response.id) {
            response.request_focus();
            panels.typing_in = Some(response.id);
        }
        if submitted(ui, &response)
            && let Some(editing) = &panels.plan_editing
        {
            let action = DayAction::PlanItem {
                number: editing.number,
                was: editing.was.clone(),
                change: PlanChange::Edit(editing.text.clone()),
            };
            io.act(action, Origin::PlanBox);
        }
    } else if let Some(editing) = &panels.plan_editing
        && plan.get(editing.number - 1) != Some(&editing.was)
    {
        // The item being edited went (a pomodoro took it, another process changed the plan).
        panels.plan_editing = None;
    }
    let response = one_line(ui, &mut panels.plan, "plan-box", "add an intention, then Enter");
    track_box(panels, &response, panels.plan_editing.is_none());
    if submitted(ui, &response) {
        io.act(DayAction::Plan(panels.plan.clone()), Origin::PlanBox);
    }
    count_line(ui, &panels.plan, "Enter adds · click an item, then Alt+↑ ↓ moves it · Esc closes");
    if !plan.is_empty() && ui.button("Clear the plan").clicked() {
        io.act(DayAction::ClearPlan, Origin::PlanBox);
    }
    kept_aside_ui(ui, today, io);
    io.show_message_under(ui, &panels.plan);
}

/// Intentions and plan items set on another machine that lost to later ones (the day keeps them
/// aside when copies of it are merged), each with a way to plan it or let it go, on every machine.
fn kept_aside_ui(ui: &mut egui::Ui, today: &Today, io: &mut PanelIo) {
    use crate::day::sync::PLAN;
    let day = today.day();
    let tz = &today.session().tz;
    let shown: Vec<(String, String, String)> = crate::day::sync::aside_to_show(day)
        .into_iter()
        .filter_map(|(key, text)| {
            let what = if key == PLAN {
                "a plan item".to_owned()
            } else {
                let (field, start) = key.split_once('@')?;
                let at = start.parse::<jiff::Timestamp>().ok()?;
                let clock = crate::format::clock(at, tz);
                match field {
                    "intention" => format!("the intention of the pomodoro at {clock}"),
                    "abandoned" => format!("an intention abandoned at {clock}"),
                    _ => return None,
                }
            };
            Some((key.to_owned(), text.to_owned(), what))
        })
        .collect();
    if shown.is_empty() {
        return;
    }
    ui.separator();
    ui.colored_label(super::NOTICE, "Set on another machine, and kept aside for a later change:");
    for (key, text, what) in shown {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("“{}” ({what})", crate::day::shown_safely(&text)));
            let plan_it = ui.button("Plan it").clicked();
            if plan_it {
                io.act(DayAction::Plan(text.clone()), Origin::Button);
            }
            if plan_it | ui.button("Let it go").clicked() {
                io.act(DayAction::LetGo { key, value: text }, Origin::Button);
            }
        });
    }
}

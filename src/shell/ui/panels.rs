//! The panels keys open: intention, plan, journal, list and history, settings, help.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};
use jiff::civil::Time;

use crate::day::{Day, INTENTION_MAX_CHARS, Journal, JournalField, Kind, Rating, Settings, clean_journal};
use crate::format::clock;
use crate::shell::input::{Action, KEYS, Panel, PanelOpen};
use crate::shell::today::{DayEvent, Today};
use crate::store::save_settings;

/// A draft of the journal is saved once typing pauses this long.
pub const JOURNAL_AUTOSAVE_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// How many earlier days the history shows.
pub const HISTORY_DAYS: usize = 14;

/// The open panel and its drafts.
#[derive(Resource, Debug, Default)]
pub struct Panels {
    pub open: Option<Panel>,
    /// Focus the panel's first text box on the next draw.
    focus: bool,
    /// The intention or plan being typed.
    pub text: String,
    journal: Journal,
    /// The journal as the panel offered it: unchanged, nothing is saved.
    journal_offered: Journal,
    /// When the journal draft was last changed and not yet saved.
    journal_edited: Option<std::time::Instant>,
    settings: SettingsDraft,
    history: Vec<Day>,
}

/// Settings as the form edits them: times as text until saved.
#[derive(Debug, Default, Clone)]
struct SettingsDraft {
    settings: Settings,
    hours: [(bool, String, String); 7],
    error: Option<String>,
}

impl SettingsDraft {
    fn from(settings: &Settings) -> Self {
        let hours = crate::day::WEEK.map(|day| match settings.hours(day) {
            Some(h) => (true, h.start.strftime("%H:%M").to_string(), h.end.strftime("%H:%M").to_string()),
            None => (false, "09:00".to_owned(), "17:00".to_owned()),
        });
        Self { settings: settings.clone(), hours, error: None }
    }

    /// The settings the form describes, validated.
    fn parse(&self) -> Result<Settings, String> {
        let mut settings = self.settings.clone();
        for (day, (on, start, end)) in crate::day::WEEK.into_iter().zip(&self.hours) {
            let name = settings.hours_field(day).0;
            let time =
                |t: &str| t.trim().parse::<Time>().map_err(|_| format!("{name}: {t:?} is not a time like 09:00"));
            *settings.hours_mut(day) =
                if *on { Some(crate::day::WorkHours { start: time(start)?, end: time(end)? }) } else { None };
        }
        settings.validate().map_err(|e| e.to_string())?;
        Ok(settings)
    }
}

/// Runs with the other actions: opens and closes panels; the journal opens by itself at day's end.
pub(super) fn open_panels(
    mut actions: MessageReader<Action>,
    mut events: MessageReader<DayEvent>,
    mut panels: ResMut<Panels>,
    mut today: ResMut<Today>,
    mut open_flag: ResMut<PanelOpen>,
) {
    let day_ended = events.read().any(|e| e.0.event == crate::day::Event::DayEnded);
    let mut wanted: Vec<Option<Panel>> = actions
        .read()
        .filter_map(|a| match a {
            Action::Open(p) => Some(Some(*p)),
            Action::Close => Some(None),
            _ => None,
        })
        .collect();
    if day_ended && panels.open.is_none() {
        wanted.push(Some(Panel::Journal));
    }
    for next in wanted {
        close(&mut panels, &mut today);
        if let Some(panel) = next {
            open(&mut panels, &today, panel);
        }
    }
    open_flag.set_if_neq(PanelOpen(panels.open.is_some()));
}

fn open(panels: &mut Panels, today: &Today, panel: Panel) {
    panels.open = Some(panel);
    panels.focus = true;
    panels.text.clear();
    match panel {
        Panel::Intention => {
            // Editing during the grace period starts from the current text.
            let now = today.now();
            if let Some(i) = today.day().interval_at(now)
                && now < today.day().grace_end(i)
                && let Some(text) = &today.day().intervals[i].intention
            {
                panels.text = text.clone();
            }
        }
        Panel::Journal => {
            panels.journal = today.day().journal.clone();
            if panels.journal.proud_of.is_empty() {
                panels.journal.proud_of = today.day().proud_suggestion();
            }
            panels.journal_offered = panels.journal.clone();
        }
        Panel::Settings => panels.settings = SettingsDraft::from(&today.session().settings),
        Panel::List => {
            let session = today.session();
            let dates = session.store.dates().unwrap_or_default();
            panels.history = dates
                .into_iter()
                .rev()
                .filter(|d| *d != today.date())
                .take(HISTORY_DAYS)
                .filter_map(|d| session.store.load(d, today.now()).ok().and_then(|(day, _)| day))
                .collect();
        }
        Panel::Plan | Panel::Help => {}
    }
}

/// Closes the open panel; the journal keeps what was written.
fn close(panels: &mut Panels, today: &mut Today) {
    if panels.open == Some(Panel::Journal) && panels.journal != panels.journal_offered {
        save_journal(&panels.journal, today);
    }
    panels.open = None;
}

fn save_journal(draft: &Journal, today: &mut Today) {
    let mut cleaned = Journal::default();
    for field in JournalField::ALL {
        match clean_journal(draft.get(field)) {
            Ok(text) => *cleaned.get_mut(field) = text,
            Err(e) => return today.tell(format!("{}: {e}", field.title())),
        }
    }
    if today.day().journal != cleaned {
        today.act(move |day| {
            day.journal = cleaned;
            Ok(())
        });
    }
}

/// What Enter in the intention box does now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IntentionMode {
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

/// Draws the open panel; runs in the egui pass.
pub(super) fn draw_panels(
    mut contexts: EguiContexts,
    mut panels: ResMut<Panels>,
    mut today: ResMut<Today>,
    mut open_flag: ResMut<PanelOpen>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let Some(panel) = panels.open else { return Ok(()) };
    let title = match panel {
        Panel::Intention => "Intention",
        Panel::Plan => "Plan ahead",
        Panel::Journal => "Journal (private)",
        Panel::List => "Today and earlier days",
        Panel::Settings => "Settings",
        Panel::Help => "Keys",
    };
    let mut keep_open = true;
    let escape = ctx.input(|i| i.key_pressed(egui::Key::Escape));
    egui::Window::new(title)
        .id(egui::Id::new("panel"))
        .open(&mut keep_open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .default_width(460.0)
        .show(ctx, |ui| {
            let panels = &mut *panels;
            match panel {
                Panel::Intention => intention_ui(ui, panels, &mut today),
                Panel::Plan => plan_ui(ui, panels, &mut today),
                Panel::Journal => journal_ui(ui, panels, &mut today),
                Panel::List => list_ui(ui, panels, &today),
                Panel::Settings => settings_ui(ui, panels, &mut today),
                Panel::Help => help_ui(ui),
            }
        });
    if !keep_open || escape {
        close(&mut panels, &mut today);
    }
    open_flag.set_if_neq(PanelOpen(panels.open.is_some()));
    Ok(())
}

fn focus_once(panels: &mut Panels, response: &egui::Response) {
    if panels.focus {
        response.request_focus();
        panels.focus = false;
    }
}

/// The one-line box an intention is typed into, focused when the panel opens.
fn intention_box(ui: &mut egui::Ui, panels: &mut Panels, hint: &'static str) -> egui::Response {
    let response = ui.add(
        egui::TextEdit::singleline(&mut panels.text)
            .hint_text(hint)
            .char_limit(INTENTION_MAX_CHARS)
            .desired_width(f32::INFINITY),
    );
    focus_once(panels, &response);
    response
}

fn submitted(ui: &egui::Ui, response: &egui::Response) -> bool {
    response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
}

fn intention_ui(ui: &mut egui::Ui, panels: &mut Panels, today: &mut Today) {
    let now = today.now();
    let mode = intention_mode(today.day(), now);
    ui.label(match mode {
        IntentionMode::Set => "What will you do in this pomodoro?",
        IntentionMode::Edit => "Change this pomodoro's intention (the grace period is still on).",
        IntentionMode::Replace => "Abandon this intention for a new one (the old one is kept as interrupted).",
        IntentionMode::Plan => "No intention can be set now: this goes to the plan for the next pomodoro.",
    });
    let response = intention_box(ui, panels, "one line, then Enter");
    ui.label(format!("{}/{INTENTION_MAX_CHARS} · Enter to save · Esc to close", panels.text.chars().count()));
    if submitted(ui, &response) {
        let text = panels.text.clone();
        let done = match mode {
            IntentionMode::Set | IntentionMode::Edit => today.act(|d| d.intend(now, &text)).is_some(),
            IntentionMode::Replace => today.act(|d| d.abandon(now, &text)).is_some(),
            IntentionMode::Plan => today.act(|d| d.plan(now, &text)).is_some(),
        };
        if done {
            panels.open = None;
        } else {
            response.request_focus();
        }
    }
    if let Some(message) = today.message() {
        ui.colored_label(egui::Color32::from_rgb(240, 228, 66), message);
    }
}

fn plan_ui(ui: &mut egui::Ui, panels: &mut Panels, today: &mut Today) {
    let now = today.now();
    if today.day().plan.is_empty() {
        ui.label("Nothing planned. Each pomodoro that starts without an intention takes the next planned one.");
    }
    for (n, text) in today.day().plan.iter().enumerate() {
        ui.label(format!("{}. {text}", n + 1));
    }
    let response = intention_box(ui, panels, "add an intention, then Enter");
    if submitted(ui, &response) {
        let text = panels.text.clone();
        if today.act(|d| d.plan(now, &text)).is_some() {
            panels.text.clear();
        }
        response.request_focus();
    }
    if !today.day().plan.is_empty() && ui.button("Clear the plan").clicked() {
        today.act(|d| {
            d.clear_plan(now);
            Ok(())
        });
    }
}

fn journal_ui(ui: &mut egui::Ui, panels: &mut Panels, today: &mut Today) {
    ui.label(format!("{} — only you read this. It saves itself as you write.", today.date()));
    for (k, field) in JournalField::ALL.into_iter().enumerate() {
        ui.label(egui::RichText::new(field.title()).strong());
        let response = ui
            .add(egui::TextEdit::multiline(panels.journal.get_mut(field)).desired_rows(2).desired_width(f32::INFINITY));
        if k == 0 {
            focus_once(panels, &response);
        }
        if response.changed() {
            panels.journal_edited = Some(std::time::Instant::now());
        }
    }
    let mut save_now = false;
    ui.horizontal(|ui| {
        save_now = ui.button("Save").clicked();
        if ui.button("Use today's achievements for “proud of”").clicked() {
            panels.journal.proud_of = today.day().proud_suggestion();
            panels.journal_edited = Some(std::time::Instant::now());
        }
    });
    // A pause in typing saves the draft, so a crash or a kill loses at most a moment of it.
    let paused = panels.journal_edited.is_some_and(|at| at.elapsed() >= JOURNAL_AUTOSAVE_AFTER);
    if save_now || paused {
        save_journal(&panels.journal, today);
        panels.journal_offered = panels.journal.clone();
        panels.journal_edited = None;
    } else if let Some(at) = panels.journal_edited {
        ui.ctx().request_repaint_after(JOURNAL_AUTOSAVE_AFTER.saturating_sub(at.elapsed()));
    }
}

fn rating_text(iv: &crate::day::Interval) -> &'static str {
    match (&iv.intention, iv.rating) {
        (None, _) => "",
        (Some(_), None) => "unrated",
        (Some(_), Some(r)) => r.name(),
    }
}

fn day_grid(ui: &mut egui::Ui, id: &str, day: &Day, tz: &jiff::tz::TimeZone) {
    egui::Grid::new(id).num_columns(4).striped(true).show(ui, |ui| {
        for (i, iv) in day.intervals.iter().enumerate() {
            ui.label(format!("{i:>2} {}", clock(iv.start, tz)));
            ui.label(iv.kind.to_string());
            ui.label(iv.intention.as_deref().unwrap_or(""));
            ui.label(rating_text(iv));
            ui.end_row();
        }
    });
}

fn list_ui(ui: &mut egui::Ui, panels: &Panels, today: &Today) {
    let tz = &today.session().tz;
    egui::ScrollArea::vertical().max_height(460.0).show(ui, |ui| {
        ui.heading(today.date().to_string());
        if today.day().intervals.is_empty() {
            ui.label("A free day.");
        }
        day_grid(ui, "today", today.day(), tz);
        if !panels.history.is_empty() {
            ui.separator();
            ui.heading("Earlier days");
        }
        for day in &panels.history {
            let end = day.span().map_or(today.now(), |(_, end)| end);
            let score = day.score(end);
            let achieved: Vec<&str> = day.achieved().map(|(_, t)| t).collect();
            egui::CollapsingHeader::new(format!(
                "{} · score {} of {} · {} achieved",
                day.date,
                score.score,
                score.ideal,
                achieved.len()
            ))
            .id_salt(day.date.to_string())
            .show(ui, |ui| {
                if !day.journal.summary.is_empty() {
                    ui.label(egui::RichText::new(&day.journal.summary).italics());
                }
                day_grid(ui, &day.date.to_string(), day, tz);
            });
        }
    });
}

fn settings_ui(ui: &mut egui::Ui, panels: &mut Panels, today: &mut Today) {
    let draft = &mut panels.settings;
    egui::Grid::new("hours").num_columns(4).show(ui, |ui| {
        for (day, (on, start, end)) in crate::day::WEEK.into_iter().zip(draft.hours.iter_mut()) {
            ui.checkbox(on, format!("{day:?}"));
            ui.add_enabled(*on, egui::TextEdit::singleline(start).desired_width(60.0));
            ui.label("to");
            ui.add_enabled(*on, egui::TextEdit::singleline(end).desired_width(60.0));
            ui.end_row();
        }
    });
    let s = &mut draft.settings;
    egui::Grid::new("lengths").num_columns(2).show(ui, |ui| {
        for (label, value, range) in [
            ("Pomodoro (minutes)", &mut s.pomodoro_minutes, 1..=240),
            ("Short break (minutes)", &mut s.short_break_minutes, 1..=240),
            ("Long break (minutes)", &mut s.long_break_minutes, 1..=240),
            ("Long break after every … pomodoros", &mut s.long_break_every, 1..=100),
            ("Grace period for intentions (minutes)", &mut s.grace_minutes, 0..=240),
        ] {
            ui.label(label);
            ui.add(egui::DragValue::new(value).range(range));
            ui.end_row();
        }
    });
    ui.label("Saving lays out again the part of today that has not started.");
    if ui.button("Save").clicked() {
        let config = today.session().dirs.config.clone();
        match draft.parse().and_then(|s| save_settings(&config, &s).map(|()| s)) {
            Ok(settings) => match today.apply_settings(settings) {
                Ok(()) => {
                    draft.error = None;
                    today.tell("Settings saved.");
                }
                Err(e) => draft.error = Some(e),
            },
            Err(e) => draft.error = Some(e),
        }
    }
    if let Some(e) = &draft.error {
        ui.colored_label(egui::Color32::from_rgb(240, 228, 66), e);
    }
}

fn help_ui(ui: &mut egui::Ui) {
    egui::Grid::new("keys").num_columns(2).striped(true).show(ui, |ui| {
        for (key, what) in KEYS {
            ui.label(egui::RichText::new(*key).monospace().strong());
            ui.label(*what);
            ui.end_row();
        }
    });
    ui.separator();
    ui.label(
        "Each pomodoro you set an intention for earns points once rated: achieved 1.25, focused 1.00, \
         interrupted 0.20, distracted 0.10, unrated 0.10. Consecutive intended pomodoros add a streak \
         bonus. Nothing is ever taken away.",
    );
}

/// The rating choices shown above the legend while a pomodoro can be rated.
pub(super) fn draw_rating_strip(mut contexts: EguiContexts, mut today: ResMut<Today>, panels: Res<Panels>) -> Result {
    if panels.open.is_some() {
        return Ok(());
    }
    let ctx = contexts.ctx_mut()?;
    let now = today.now();
    let Some(i) = today.day().rating_target(now) else { return Ok(()) };
    let iv = &today.day().intervals[i];
    let intention = iv.intention.clone().unwrap_or_default();
    let current = iv.rating;
    let mut chosen = None;
    egui::Area::new(egui::Id::new("rating")).anchor(egui::Align2::CENTER_BOTTOM, [0.0, -40.0]).show(ctx, |ui| {
        ui.horizontal(|ui| {
            ui.label(format!("How did “{intention}” go?"));
            for (n, rating) in Rating::ALL.into_iter().enumerate() {
                let label = format!("{} {}", n + 1, rating.name());
                if ui.selectable_label(current == Some(rating), label).clicked() {
                    chosen = Some(rating);
                }
            }
        });
    });
    if let Some(rating) = chosen {
        today.act(|d| d.rate(now, rating, crate::day::RateTarget::Index(i)));
    }
    Ok(())
}

/// Achieved intentions stay in view beside the ring for the rest of the day; planned ones too.
pub(super) fn draw_done_list(mut contexts: EguiContexts, today: Res<Today>) -> Result {
    let ctx = contexts.ctx_mut()?;
    let done: Vec<&str> = today.day().achieved().map(|(_, t)| t).collect();
    if !done.is_empty() {
        egui::Area::new(egui::Id::new("done")).anchor(egui::Align2::RIGHT_TOP, [-16.0, 16.0]).show(ctx, |ui| {
            ui.set_max_width(260.0);
            ui.label(egui::RichText::new("Done today").strong());
            for text in done {
                ui.label(format!("★ {text}"));
            }
        });
    }
    if !today.day().plan.is_empty() {
        egui::Area::new(egui::Id::new("planned")).anchor(egui::Align2::LEFT_TOP, [16.0, 16.0]).show(ctx, |ui| {
            ui.set_max_width(260.0);
            ui.label(egui::RichText::new("Up next").strong());
            for text in &today.day().plan {
                ui.label(format!("› {text}"));
            }
        });
    }
    Ok(())
}

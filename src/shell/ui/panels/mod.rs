//! The panels keys open: intention, plan, journal, list, history, settings, help. A panel sits
//! beside the ring, or covers the window below a bar that keeps the countdown in view, and
//! scrolls when it does not fit. While a panel with a text box is open, the box keeps the
//! keyboard: focus returns to it after Enter, a reload or a day event.

mod away;
mod drafts;
mod help;
mod history;
mod intention;
mod journal;
mod list;
mod quit;
mod settings;
mod welcome;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, egui};

use crate::shell::actions::{Act, Applied, DayAction, Origin, Outcome, PlanChange};
use crate::shell::input::{Action, Panel, PanelState};
use crate::shell::message_line::{MessageLine, Tell};
use crate::shell::persist::{ApplyActs, Persist};
use crate::shell::screen::Areas;
use crate::shell::today::{DayEvent, Today};
use crate::shell::unseen::Unseen;

pub use away::{away_lines, keys_left_line};
pub use journal::JOURNAL_AUTOSAVE_AFTER;
pub use list::LIST_DAYS;
pub use welcome::welcome_lines;

/// The colour of messages and warnings in panels.
pub(super) const NOTICE: egui::Color32 = egui::Color32::from_rgb(240, 228, 66);

/// The panels' drafts and what they show (which one is open is [`PanelState`]). Drafts outlive
/// the panel: Escape closes it and keeps them.
#[derive(Resource, Debug, Default)]
pub struct Panels {
    /// The box the user last typed in: focus goes back to it whenever nothing has it.
    typing_in: Option<egui::Id>,
    /// The intention being typed.
    intention: String,
    /// The pomodoro the intention box was opened for, while its grace period was on.
    intention_for: Option<usize>,
    /// An intention typed as its pomodoro's grace period ended, planned instead: the pomodoro
    /// and the text, while the panel offers to take it back.
    too_late: Option<(usize, String)>,
    /// Which of the quick pick's intentions the arrows chose last.
    pick: Option<usize>,
    /// The plan entry being typed.
    plan: String,
    /// The plan's item being edited in place, if one is.
    plan_editing: Option<intention::PlanEditing>,
    /// The plan's item chosen last (a click), which Alt+Up and Alt+Down move.
    plan_chosen: Option<usize>,
    journal: journal::JournalDraft,
    settings: settings::SettingsDraft,
    history_view: history::HistoryView,
    /// The list scrolls the current interval into view once, when it opens.
    show_current: bool,
}

/// What a panel asks for while it is drawn (acts on the day, messages), and the message it shows.
#[derive(Default)]
pub(super) struct PanelIo {
    acts: Vec<Act>,
    tells: Vec<Tell>,
    /// The message shown now, if any.
    message: Option<String>,
    /// Why the chime could not be played, while it cannot.
    sound_trouble: Option<String>,
}

impl PanelIo {
    /// Asks for a change to the day; its answer comes back as an [`Applied`].
    fn act(&mut self, action: DayAction, origin: Origin) {
        self.acts.push(Act::new(action, origin));
    }

    /// Tells the user something.
    fn tell(&mut self, text: impl Into<String>) {
        self.tells.push(Tell::show(text));
    }

    /// Shows the current message, if there is one, in the panel's notice colour.
    fn show_message(&self, ui: &mut egui::Ui) {
        if let Some(message) = &self.message {
            ui.colored_label(NOTICE, message);
        }
    }

    /// [`Self::show_message`] under a box holding `typed`: a refusal of empty text no longer
    /// applies once the box holds some, and is not shown.
    fn show_message_under(&self, ui: &mut egui::Ui, typed: &str) {
        let empty = crate::day::TextError::Empty.to_string();
        let stale = |m: &String| !typed.trim().is_empty() && m.ends_with(&empty);
        match self.message.as_ref().filter(|m| !stale(m)) {
            Some(message) => {
                let shown = ui.colored_label(NOTICE, message);
                crate::shell::ui::report_rect("panel-message", shown.rect);
            }
            None => crate::shell::ui::report_rect("panel-message", egui::Rect::ZERO),
        }
    }
}

impl Panels {
    /// The text of the intention box (for tests and the HUD).
    pub fn intention_draft(&self) -> &str {
        &self.intention
    }
}

/// A panel change asked for while a box had the keyboard, made once the box has taken the text
/// typed in the same frame (see [`open_panels`]).
#[derive(Resource, Debug, Default)]
struct AfterTyping(Option<PanelState>);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Panels>();
    app.init_resource::<AfterTyping>();
    app.add_systems(PostUpdate, change_after_typing.after(bevy_egui::EguiPostUpdateSet::EndPass));
    app.add_plugins(drafts::plugin);
    app.add_systems(Update, (open_panels, open_away).chain().in_set(crate::shell::AppSystems::Update));
    for panel in Panel::ALL {
        app.add_systems(OnEnter(PanelState::Open(panel)), enter_panel);
    }
    app.add_systems(OnExit(PanelState::Open(Panel::Journal)), save_journal);
    app.add_systems(OnExit(PanelState::Open(Panel::Away)), let_unseen_go);
    app.add_systems(PostUpdate, follow_applied.after(ApplyActs));
    app.add_systems(Update, log_panel_changes.after(crate::shell::apply_state_changes));
    app.add_systems(Last, save_drafts_on_exit.before(ApplyActs));
}

/// Runs after the acts of the frame were applied: a box whose text was taken clears (and the
/// intention panel closes), the journal takes in what was set aside, the settings say they saved.
fn follow_applied(
    mut applied: MessageReader<Applied>,
    mut panels: ResMut<Panels>,
    today: Res<Today>,
    mut next: ResMut<NextState<PanelState>>,
    mut tell: MessageWriter<Tell>,
) {
    for Applied { act, result } in applied.read() {
        let Ok(outcome) = result else { continue };
        match act.origin {
            Origin::IntentionBox => match &act.action {
                DayAction::Plan(text) if panels.intention_for.is_some() => {
                    // Typed for a pomodoro whose grace period ended meanwhile: say so, and offer
                    // to take it back, rather than close as if nothing happened.
                    let late = panels.intention_for.take().unwrap_or_default();
                    let name = today.day().interval_name(late);
                    tell.write(Tell::show(format!(
                        "Too late for {name}: its grace period ended. “{text}” was planned for the next pomodoro."
                    )));
                    panels.too_late = Some((late, text.clone()));
                    panels.intention.clear();
                }
                DayAction::Unplan(text) => {
                    tell.write(Tell::note(format!("“{text}” is out of the plan, back in the box.")));
                    panels.intention.clone_from(text);
                    panels.too_late = None;
                }
                _ => {
                    panels.intention.clear();
                    panels.too_late = None;
                    next.set(PanelState::Closed);
                }
            },
            Origin::PlanBox => match &act.action {
                DayAction::Plan(_) => panels.plan.clear(),
                DayAction::PlanItem { change: PlanChange::Edit(_), .. } => {
                    panels.plan_editing = None;
                    panels.typing_in = None;
                }
                DayAction::PlanItem { change: PlanChange::Remove, .. } => panels.plan_chosen = None,
                _ => {}
            },
            Origin::Journal => {
                if let Outcome::Journal { saved, aside } = outcome {
                    panels.journal.saved(saved, aside.clone(), today.now());
                }
            }
            Origin::Settings if panels.settings.said_nothing() => {
                tell.write(Tell::note("Settings saved."));
            }
            _ => {}
        }
    }
}

/// Runs after the frame's state changes: each panel opened or closed is logged (at debug level).
fn log_panel_changes(mut changes: MessageReader<StateTransitionEvent<PanelState>>) {
    for change in changes.read() {
        debug!("panel: {:?} -> {:?}", change.exited, change.entered);
    }
}

/// Runs as the away panel closes: what it told is let go.
fn let_unseen_go(mut unseen: ResMut<Unseen>) {
    unseen.let_go();
}

/// Runs in `Last` as the app exits (`q`, Ctrl+Q, a signal), before the day is saved: the journal's
/// draft is saved even if its autosave has not come yet. (An intention being typed stays a draft:
/// quitting never sets it.)
fn save_drafts_on_exit(
    mut exits: MessageReader<AppExit>,
    state: Res<State<PanelState>>,
    mut panels: ResMut<Panels>,
    (mut acts, mut tell): (MessageWriter<Act>, MessageWriter<Tell>),
) {
    if exits.read().next().is_some() && *state.get() == PanelState::Open(Panel::Journal) {
        let mut io = PanelIo::default();
        panels.journal.save(&mut io);
        acts.write_batch(io.acts);
        tell.write_batch(io.tells);
    }
}

/// Runs as a panel opens (on entering its state): focus goes to its first box, and the panel
/// starts from what it should show (the current intention, the journal and settings as saved, the
/// earlier days, today in the history).
fn enter_panel(state: Res<State<PanelState>>, mut panels: ResMut<Panels>, today: Res<Today>) {
    // (The list's earlier days come from the history's reader, asked when the list opens.)
    let Some(panel) = state.get().panel() else { return };
    let panels = &mut *panels;
    panels.typing_in = None;
    match panel {
        Panel::Intention => intention::on_open(panels, &today),
        Panel::Journal => panels.journal.reopen(today.day()),
        Panel::Settings => panels.settings.reopen(&today.session().settings),
        Panel::List => panels.show_current = true,
        Panel::History => panels.history_view.reopen(today.date()),
        Panel::Plan | Panel::Help | Panel::Away | Panel::Quit | Panel::Welcome => {}
    }
}

/// Runs as the journal closes (on leaving its state): it keeps what was written.
fn save_journal(mut panels: ResMut<Panels>, mut acts: MessageWriter<Act>, mut tell: MessageWriter<Tell>) {
    let mut io = PanelIo::default();
    panels.journal.save(&mut io);
    acts.write_batch(io.acts);
    tell.write_batch(io.tells);
}

/// Runs with the other actions: the panel asked for last this frame opens (or none, after a
/// close); the journal opens by itself at day's end. The change is made before anything is drawn,
/// except while a box has the keyboard: keys typed in the same frame as Escape (or as the key that
/// opens another panel) reach the box first, and the change follows the panel's pass.
fn open_panels(
    mut actions: MessageReader<Action>,
    mut events: MessageReader<DayEvent>,
    state: Res<State<PanelState>>,
    next: ResMut<NextState<PanelState>>,
    mut after_typing: ResMut<AfterTyping>,
) {
    let day_ended = events.read().any(|e| e.0.event == crate::day::Event::DayEnded);
    let mut wanted = actions
        .read()
        .filter_map(|a| match a {
            Action::Open(p) => Some(PanelState::Open(*p)),
            Action::Close => Some(PanelState::Closed),
            _ => None,
        })
        .last();
    if day_ended && *state.get() == PanelState::Closed {
        wanted = Some(PanelState::Open(Panel::Journal));
    }
    let typing = state.get().panel().is_some_and(Panel::takes_text);
    match wanted {
        Some(wanted) if typing => after_typing.0 = Some(wanted),
        Some(wanted) => next.into_inner().set_if_neq(wanted),
        None => {}
    }
}

/// Runs after the panels were drawn (their boxes took this frame's text): a change asked for while
/// typing is made now (entered at the start of the next frame).
fn change_after_typing(mut after_typing: ResMut<AfterTyping>, mut next: ResMut<NextState<PanelState>>) {
    if let Some(wanted) = after_typing.0.take() {
        next.set(wanted);
    }
}

/// Runs after the panels opened or closed by keys: what passed unseen opens the away panel, unless
/// the user is typing in another (it waits until that one closes; a later stretch joins it).
fn open_away(unseen: Res<Unseen>, state: Res<State<PanelState>>, next: ResMut<NextState<PanelState>>) {
    // While the away panel shows, what it tells is let go as it closes (Escape): not opened again.
    if !unseen.is_waiting() || state.get().panel() == Some(Panel::Away) {
        return;
    }
    let open = match &*next {
        NextState::Pending(wanted) | NextState::PendingIfNeq(wanted) => wanted.panel(),
        NextState::Unchanged => state.get().panel(),
    };
    if open.is_some_and(|p| p.takes_text() || p == Panel::Away || p == Panel::Welcome) {
        return;
    }
    next.into_inner().set_if_neq(PanelState::Open(Panel::Away));
}

fn title(panel: Panel) -> &'static str {
    match panel {
        Panel::Intention => "Intention",
        Panel::Plan => "Plan ahead",
        Panel::Journal => "Journal (private)",
        Panel::List => "Today and earlier days",
        Panel::History => "History",
        Panel::Settings => "Settings",
        Panel::Help => "Help",
        Panel::Away => "While you were away",
        Panel::Quit => "Not saved yet",
        Panel::Welcome => "Welcome to Pomodouroboros",
    }
}

/// Draws the open panel in its area; runs in the egui pass.
#[allow(clippy::too_many_arguments)]
pub(super) fn draw_panels(
    mut contexts: EguiContexts,
    mut panels: ResMut<Panels>,
    (today, line, unseen, persist): (Res<Today>, Res<MessageLine>, Res<Unseen>, Res<Persist>),
    sound: Res<crate::shell::sound::SoundStatus>,
    mut actions: MessageWriter<Action>,
    (state, mut next): (Res<State<PanelState>>, ResMut<NextState<PanelState>>),
    (mut acts, mut tell): (MessageWriter<Act>, MessageWriter<Tell>),
    areas: Res<Areas>,
    history: Res<crate::shell::past_days::History>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let (Some(panel), Some(rect)) = (state.get().panel(), areas.panel) else { return Ok(()) };
    let mut keep_open = true;
    let mut io =
        PanelIo { message: line.text().map(str::to_owned), sound_trouble: sound.0.clone(), ..PanelIo::default() };
    let mut quits = false;
    let escape = ctx.input(|i| i.key_pressed(egui::Key::Escape));
    let style = ctx.global_style();
    let frame = egui::Frame::window(&style).fill(style.visuals.panel_fill).corner_radius(0.0);
    let shown = egui::Window::new(title(panel))
        .id(egui::Id::new("panel"))
        .open(&mut keep_open)
        .collapsible(false)
        .resizable(false)
        .frame(frame)
        .order(egui::Order::Foreground)
        .fixed_rect(egui::Rect::from_min_max(egui::pos2(rect.min.x, rect.min.y), egui::pos2(rect.max.x, rect.max.y)))
        .scroll([false, panel != Panel::List])
        .show(ctx, |ui| {
            let panels = &mut *panels;
            match panel {
                Panel::Intention => {
                    let past = history.loaded().map(|l| l.days.values().collect::<Vec<_>>()).unwrap_or_default();
                    let picks = crate::day::quick_picks(today.day(), today.now(), past);
                    intention::intention_ui(ui, panels, &today, &picks, &mut io)
                }
                Panel::Plan => intention::plan_ui(ui, panels, &today, &mut io),
                Panel::Journal => journal::journal_ui(ui, panels, &today, &mut io),
                Panel::List => list::list_ui(ui, panels, &today, &history),
                Panel::History => history::history_ui(ui, panels, &today, &history),
                Panel::Settings => settings::settings_ui(ui, panels, &today, &mut io),
                Panel::Help => {
                    if help::help_ui(ui) {
                        actions.write(Action::Open(Panel::Welcome));
                    }
                }
                Panel::Welcome => welcome::welcome_ui(ui, &today, &mut io),
                Panel::Away => {
                    let told = (unseen.away(today.day()), unseen.keys_left());
                    away::away_ui(ui, (told.0.as_ref(), told.1), &today, &mut io)
                }
                Panel::Quit => quit::quit_ui(ui, &persist, &today, &mut quits),
            }
        });
    if let Some(shown) = shown {
        crate::shell::ui::report_rect("panel", shown.response.rect);
    }
    acts.write_batch(io.acts);
    tell.write_batch(io.tells);
    if quits {
        actions.write(Action::Quit);
    }
    if !keep_open || escape {
        next.set(PanelState::Closed);
    } else if panel.takes_text() {
        keep_focus(ctx, &panels);
    }
    Ok(())
}

/// The keyboard stays with the panel's box: when nothing has focus (a click landed elsewhere,
/// Enter was pressed), focus goes back to the box typed in last.
fn keep_focus(ctx: &egui::Context, panels: &Panels) {
    if let Some(id) = panels.typing_in
        && ctx.memory(|m| m.focused()).is_none()
    {
        ctx.memory_mut(|m| m.request_focus(id));
        ctx.request_repaint();
    }
}

/// Called for each text box as it is drawn (boxes have fixed ids, so that a list that grows
/// above one does not take its focus away): the first box gets the keyboard when the panel
/// opens, and the box that has it is remembered.
fn track_box(panels: &mut Panels, response: &egui::Response, first: bool) {
    if first && panels.typing_in.is_none() {
        response.request_focus();
        panels.typing_in = Some(response.id);
    } else if response.has_focus() {
        panels.typing_in = Some(response.id);
    }
}

/// True when Enter was pressed in the one-line box of `response`.
fn submitted(ui: &egui::Ui, response: &egui::Response) -> bool {
    response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
}

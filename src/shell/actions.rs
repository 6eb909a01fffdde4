//! What the user does to the day, as typed messages: set, abandon or plan an intention, rate,
//! write the journal, change the settings. Keys, panels, notification buttons and the clock write
//! an [`Act`]; the persist plugin applies every act in order, saving each under the store's lock,
//! and answers with an [`Applied`] that names where the act came from.

use bevy::prelude::*;
use jiff::Timestamp;

use super::AppSystems;
use super::input::Action;
use crate::day::{ActionError, Day, Journal, JournalField, RateTarget, Rating, Settings, Timing, day_span};

/// A change to the day.
#[derive(Debug, Clone, PartialEq)]
pub enum DayAction {
    /// Set (or, in the grace period, change) the current pomodoro's intention.
    Intend(String),
    /// Abandon the current intention for a new one.
    Abandon(String),
    /// Queue an intention for the next pomodoros.
    Plan(String),
    /// Empty the plan.
    ClearPlan,
    /// Take the last planned item with this text back out of the plan (an undo).
    Unplan(String),
    /// Change the plan's item `number` (from 1), which read `was` when the user chose it.
    PlanItem { number: usize, was: String, change: PlanChange },
    /// Start a pomodoro now: the rest of the day is laid out again from this instant.
    StartNow,
    /// Rate a pomodoro.
    Rate(Rating, RateTarget),
    /// The journal's fields the user changed from `base`, merged with the saved ones field by field.
    Journal { base: Journal, mine: Journal },
    /// A value that lost to another machine's, seen and let go (or taken in): `key` is its
    /// field's (see `day::sync`).
    LetGo { key: String, value: String },
    /// A text a panel kept aside for the user's own (another process's, saved meanwhile): kept in
    /// the day too, unstamped, so that it outlives the window and reaches every machine.
    KeepAside { key: String, value: String },
    /// New settings (already saved): what has not started yet is laid out again.
    Relayout(Settings),
    /// Nothing changed by hand: record the day as it stands (an interval ended, what was shown).
    /// Only `Live` records bring a day file into being (an interval ended while the window ran);
    /// the others update a day the user already has a file for.
    Record(Record),
}

/// What is done to one item of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanChange {
    /// Take it out.
    Remove,
    /// Move it to this place (from 1).
    MoveTo(usize),
    /// Replace its text.
    Edit(String),
}

/// Why the day is recorded untouched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Record {
    /// An interval ended while the window ran: the day was lived with the window open.
    Live,
    /// What was shown at start (intervals that ended unseen), or as the app exits: recorded only
    /// in a day file the user already has (a launch never invents a day: say, the day before in
    /// another time zone).
    IfSaved,
    /// A file-sync engine left conflict copies of the day: a save folds them in.
    Merge,
}

/// Where an act came from, so that its answer finds its way back (the box that sent it clears).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The clock or the app itself.
    Clock,
    /// A key (`1`–`4`).
    Keys,
    /// The intention box.
    IntentionBox,
    /// The plan box.
    PlanBox,
    /// The journal panel.
    Journal,
    /// The settings panel.
    Settings,
    /// A button in the rating strip, the away panel or a notification.
    Button,
}

/// A change to the day, asked for now.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct Act {
    pub action: DayAction,
    pub origin: Origin,
}

impl Act {
    pub fn new(action: DayAction, origin: Origin) -> Self {
        Self { action, origin }
    }
}

/// What an act that was applied gave back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The interval it changed (an intention, a plan taken, a rating).
    Interval(usize),
    /// The journal as this save wrote it, and the fields whose saved text was set aside for the
    /// user's own. (The day shown may be newer by the time the answer is read: another process's
    /// save, reloaded in between, is not one the panel has seen.)
    Journal { saved: Journal, aside: Vec<(JournalField, String)> },
    /// Done, nothing to give back.
    Done,
}

/// An act, applied (to the day shown, saved or waiting to be) or refused (why, as told).
#[derive(Message, Debug, Clone, PartialEq)]
pub struct Applied {
    pub act: Act,
    pub result: Result<Outcome, String>,
}

impl DayAction {
    /// Applies the change to `day` at `now` (the store calls this under its lock); `timing` is how
    /// the session cuts its days.
    pub fn apply(
        &self,
        day: &mut Day,
        now: Timestamp,
        tz: &jiff::tz::TimeZone,
        timing: &Timing,
    ) -> Result<Outcome, ActionError> {
        Ok(match self {
            DayAction::Intend(text) => Outcome::Interval(day.intend(now, text)?),
            DayAction::Abandon(text) => Outcome::Interval(day.abandon(now, text)?),
            DayAction::Plan(text) => Outcome::Interval(day.plan(now, text)?),
            DayAction::ClearPlan => {
                day.clear_plan(now);
                Outcome::Done
            }
            DayAction::Unplan(text) => {
                let at = day.plan.iter().rposition(|planned| planned == text);
                day.plan.remove(at.ok_or(ActionError::NotPlanned)?);
                Outcome::Done
            }
            DayAction::PlanItem { number, was, change } => {
                let was = Some(was.as_str());
                match change {
                    PlanChange::Remove => drop(day.unplan_item(now, *number, was)?),
                    PlanChange::MoveTo(to) => drop(day.move_plan_item(now, *number, was, *to)?),
                    PlanChange::Edit(text) => day.edit_plan_item(now, *number, was, text)?,
                }
                Outcome::Done
            }
            DayAction::StartNow => Outcome::Interval(day.start_now(now, timing)?),
            DayAction::Rate(rating, target) => Outcome::Interval(day.rate(now, *rating, *target)?),
            DayAction::Journal { base, mine } => {
                let (merged, aside) = Journal::merge(base, mine, &day.journal);
                day.journal = merged;
                // Kept in the day too (unstamped: no later save counts it as replaced), so that
                // it outlives this window and reaches every machine, until the user lets it go.
                for (field, text) in &aside {
                    day.sync.aside.insert((crate::day::sync::journal_key(*field), text.clone(), None));
                }
                Outcome::Journal { saved: day.journal.clone(), aside }
            }
            DayAction::LetGo { key, value } => {
                day.sync.let_go.insert((key.clone(), value.clone()));
                Outcome::Done
            }
            DayAction::KeepAside { key, value } => {
                day.sync.aside.insert((key.clone(), value.clone(), None));
                Outcome::Done
            }
            DayAction::Relayout(settings) => {
                if let Ok(timing) = settings.timing() {
                    day.relayout(now, day_span(day.date, settings, tz), &timing);
                }
                Outcome::Done
            }
            DayAction::Record(_) => Outcome::Done,
        })
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_message::<Act>();
    app.add_message::<Applied>();
    app.add_systems(Update, acts_from_keys.in_set(AppSystems::Update));
}

/// Runs with the other actions: `1`–`4` rate the pomodoro a plain "rate" means now; `n` starts one.
fn acts_from_keys(mut actions: MessageReader<Action>, mut acts: MessageWriter<Act>) {
    for action in actions.read() {
        match *action {
            Action::Rate(rating) => {
                acts.write(Act::new(DayAction::Rate(rating, RateTarget::Default), Origin::Keys));
            }
            Action::StartNow => {
                acts.write(Act::new(DayAction::StartNow, Origin::Keys));
            }
            _ => {}
        }
    }
}

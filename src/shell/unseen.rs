//! "While you were away", as the app keeps it: the stretch of the day that ended unseen (before the
//! window opened, across a suspend or a clock jump), merged in one place however many stretches
//! come before the user reads it; the away panel shows it and lets it go.

use bevy::prelude::*;
use jiff::Timestamp;

use super::actions::{Act, DayAction, Origin, Record};
use super::today::{DaySystems, NewDate, TickSteps, Today, UnseenStretch};
use crate::day::{Away, Day};

/// The stretch of the day that passed unseen and has not been let go yet. What passed in it is
/// worked out from the day as it stands whenever it is shown, so a change another process saved
/// meanwhile (an intention set from the command line during a suspend) is told too.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Unseen {
    stretch: Option<(Timestamp, Timestamp)>,
    /// No window had shown this day before the stretch: what could have been earned in it was
    /// never within the user's reach, so nothing is counted as lost.
    first_sight: bool,
    /// A stretch away from the keyboard (no input), told with what passed in it.
    keys_left: Option<(Timestamp, Timestamp)>,
}

impl Unseen {
    /// Adds the stretch `[from, to]` of `day` if an interval ended in it: it joins the one waiting,
    /// if any, so nothing is told twice or lost.
    pub fn add(&mut self, day: &Day, from: Timestamp, to: Timestamp) {
        let from = self.stretch.map_or(from, |(earlier, _)| earlier.min(from));
        if crate::day::away(day, from, to).is_some() {
            self.stretch = Some((from, to));
        }
    }

    /// Adds a stretch away from the keyboard (it joins one waiting), and what passed in it.
    pub fn add_keys_left(&mut self, day: &Day, from: Timestamp, to: Timestamp) {
        let from = self.keys_left.map_or(from, |(earlier, _)| earlier.min(from));
        self.keys_left = Some((from, to));
        self.add(day, from, to);
    }

    /// The stretch away from the keyboard waiting to be told, if one is.
    pub fn keys_left(&self) -> Option<(Timestamp, Timestamp)> {
        self.keys_left
    }

    /// Whether something waits to be told.
    pub fn is_waiting(&self) -> bool {
        self.stretch.is_some() || self.keys_left.is_some()
    }

    /// What passed in the stretch waiting, as `day` (the day as it stands) tells it.
    pub fn away(&self, day: &Day) -> Option<Away> {
        let mut away = self.stretch.and_then(|(from, to)| crate::day::away(day, from, to))?;
        if self.first_sight {
            away.lost = crate::day::Points(0);
        }
        Some(away)
    }

    /// Takes what passed unseen (as `day` tells it), letting the stretch go.
    pub fn take(&mut self, day: &Day) -> Option<Away> {
        let away = self.away(day);
        self.let_go();
        away
    }

    /// Lets the stretch go (it was told).
    pub fn let_go(&mut self) {
        *self = Self::default();
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Unseen>();
    app.add_systems(
        Update,
        (note_unseen_since_last_shown, add_unseen_stretches).chain().in_set(TickSteps::TakeIn).in_set(DaySystems),
    );
}

/// Runs after the clock, at the first frame and on each new date: intervals that ended since a
/// window last showed this day are unseen; the day is then saved with the instant shown, so they
/// are told once. A day no window showed yet is told only if something was done in it (an
/// intention set from the command line or taken from the plan): the time before the app first
/// showed it is not a bill.
fn note_unseen_since_last_shown(
    mut dates: MessageReader<NewDate>,
    mut first: Local<bool>,
    today: Res<Today>,
    mut unseen: ResMut<Unseen>,
    mut acts: MessageWriter<Act>,
) {
    let new_date = dates.read().count() > 0;
    if *first && !new_date {
        return;
    }
    *first = true;
    let day = today.day();
    let Some((start, _)) = day.span() else { return };
    // This machine's own record; a day file from before it was kept apart may still hold one.
    let seen = today.session().store.seen_until(today.date()).or(day.seen_until);
    let from = seen.unwrap_or(start).max(start);
    if let Some(away) = crate::day::away(day, from, today.now()) {
        let first_sight = seen.is_none();
        if first_sight && away.intended.is_empty() {
            info!("first sight of the day: {} intervals ended before it, nothing done in them", away.eaten);
        } else {
            info!("while you were away: {} intervals ended unseen", away.eaten);
            unseen.add(day, away.from, away.to);
            unseen.first_sight |= first_sight;
        }
        acts.write(Act::new(DayAction::Record(Record::IfSaved), Origin::Clock));
    }
}

/// Runs right after: a stretch that passed between two frames far apart joins what is unseen.
pub(super) fn add_unseen_stretches(
    mut stretches: MessageReader<UnseenStretch>,
    today: Res<Today>,
    mut unseen: ResMut<Unseen>,
) {
    for stretch in stretches.read() {
        unseen.add(today.day(), stretch.from, stretch.to);
    }
}

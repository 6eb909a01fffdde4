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
pub struct Unseen(Option<(Timestamp, Timestamp)>);

impl Unseen {
    /// Adds the stretch `[from, to]` of `day` if an interval ended in it: it joins the one waiting,
    /// if any, so nothing is told twice or lost.
    pub fn add(&mut self, day: &Day, from: Timestamp, to: Timestamp) {
        let from = self.0.map_or(from, |(earlier, _)| earlier.min(from));
        if crate::day::away(day, from, to).is_some() {
            self.0 = Some((from, to));
        }
    }

    /// Whether something waits to be told.
    pub fn is_waiting(&self) -> bool {
        self.0.is_some()
    }

    /// What passed in the stretch waiting, as `day` (the day as it stands) tells it.
    pub fn away(&self, day: &Day) -> Option<Away> {
        self.0.and_then(|(from, to)| crate::day::away(day, from, to))
    }

    /// Takes what passed unseen (as `day` tells it), letting the stretch go.
    pub fn take(&mut self, day: &Day) -> Option<Away> {
        let away = self.away(day);
        self.0 = None;
        away
    }

    /// Lets the stretch go (it was told).
    pub fn let_go(&mut self) {
        self.0 = None;
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
/// window last showed this day (or, never shown, since it began) are unseen; the day is then saved
/// with the instant shown, so they are told once.
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
    let from = day.seen_until.unwrap_or(start).max(start);
    if let Some(away) = crate::day::away(day, from, today.now()) {
        info!("while you were away: {} intervals ended unseen", away.eaten);
        unseen.add(day, away.from, away.to);
        acts.write(Act::new(DayAction::Record(Record::IfSaved), Origin::Clock));
    }
}

/// Runs right after: a stretch that passed between two frames far apart joins what is unseen.
fn add_unseen_stretches(mut stretches: MessageReader<UnseenStretch>, today: Res<Today>, mut unseen: ResMut<Unseen>) {
    for stretch in stretches.read() {
        unseen.add(today.day(), stretch.from, stretch.to);
    }
}

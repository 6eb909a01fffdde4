//! The day as the app shows it at this frame's instant: read by everything, changed by few. One
//! system moves it to the wall clock first thing in the frame and turns what it crossed into
//! messages; saving and reloading belong to `persist`, what the user does to `actions`, the line
//! of messages to `message_line`, what passed unseen to `unseen`.

use bevy::prelude::*;
use jiff::Timestamp;
use jiff::civil::Date;
use std::time::Duration;

use super::AppSystems;
use super::actions::{Act, DayAction, Origin, Record};
use super::face::{ClockDetail, Countdowns, NextChange, ReportNextChange, ShowsAll};
use crate::day::{Day, DayEngine, Score, TimedEvent};
use crate::session::Session;

/// The longest intention quoted in a message, in characters.
pub const QUOTED_CHARS: usize = 60;
/// How long before a grace period ends the user is reminded that no intention is set (at most
/// half the grace period, for short test days).
pub const GRACE_WARNING: jiff::SignedDuration = jiff::SignedDuration::from_mins(1);
/// A gap this long between two frames means the machine slept or the clock jumped: the window
/// wakes at least once a minute otherwise.
pub const AWAY_GAP: jiff::SignedDuration = jiff::SignedDuration::from_secs(90);

/// The current pomodoro's grace period ends soon and it has no intention (sent once, when the
/// clock crosses [`GRACE_WARNING`] before the grace period's end).
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraceEnding {
    pub index: usize,
}

/// An event of the day, crossed this frame.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayEvent(pub TimedEvent);

/// The date changed this frame (midnight, a clock jump): its day was loaded; the previous date's
/// day is the one named.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewDate {
    pub left: Date,
}

/// A stretch of the day that passed between two frames far apart (a suspend, a clock jump),
/// with intervals ending in it: nobody saw them end.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnseenStretch {
    pub from: Timestamp,
    pub to: Timestamp,
}

/// The steps of the clock's tick (within [`AppSystems::TickClock`]), in order: the day moves to the
/// wall clock; its file is followed (saved again, reloaded); what the move crossed is taken in.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TickSteps {
    Advance,
    FollowFile,
    TakeIn,
}

/// The systems that need the day: they run once it is loaded (a headless app without a day runs
/// the rest).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DaySystems;

/// Today's day and the session it lives in, at this frame's instant.
#[derive(Resource)]
pub struct Today {
    session: Session,
    engine: DayEngine,
    date: Date,
    /// The instant of this frame, read once from the clock.
    now: Timestamp,
    score: Score,
    /// Goes up whenever the day changes in a way that shows: an event, an action, a reload.
    revision: u64,
}

impl Today {
    /// Loads today's day (or lays a fresh one out) at the clock's current time. What the store
    /// had to say stays in the session's notices, for the message line.
    pub fn new(mut session: Session) -> Self {
        let now = session.now();
        let date = session.date_at(now);
        let day = load_or_fresh(&mut session, date, now);
        let score = day.score(now);
        Self { engine: DayEngine::new(day, now), session, date, now, score, revision: 0 }
    }

    /// The day as it stands.
    pub fn day(&self) -> &Day {
        self.engine.day()
    }

    /// This frame's instant.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The score at this frame's instant.
    pub fn score(&self) -> &Score {
        &self.score
    }

    /// The session (time zone, settings, folders).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The session, to save through or to change its settings.
    pub(crate) fn session_mut(&mut self) -> &mut Session {
        &mut self.session
    }

    /// Goes up whenever the day changes in a way that shows.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The date shown.
    pub fn date(&self) -> Date {
        self.date
    }

    /// Puts `day` (saved, reloaded or changed in memory) in place of the day shown.
    pub(crate) fn replace_day(&mut self, day: Day) {
        if day != *self.engine.day() {
            self.engine.replace_day(day);
            self.rescore();
            self.revision += 1;
        }
    }

    fn rescore(&mut self) {
        self.score = self.engine.day().score(self.now);
    }

    /// The pomodoro whose grace-period reminder falls in `(from, to]`, if it still has no intention.
    fn grace_warning_between(&self, from: Timestamp, to: Timestamp) -> Option<usize> {
        let (i, at) = self.reminder_at(to)?;
        (from < at && at <= to && to < self.engine.day().grace_end(i)).then_some(i)
    }

    /// The pomodoro running at `at` with no intention yet, and when its reminder is due.
    fn reminder_at(&self, at: Timestamp) -> Option<(usize, Timestamp)> {
        let day = self.engine.day();
        let i = day.interval_at(at)?;
        let iv = &day.intervals[i];
        (iv.kind == crate::day::Kind::Pomodoro && iv.intention.is_none()).then(|| (i, self.grace_warning_at(i)))
    }

    /// When the reminder for pomodoro `i` is due.
    fn grace_warning_at(&self, i: usize) -> Timestamp {
        let day = self.engine.day();
        let lead = GRACE_WARNING.min(day.grace / 2);
        day.grace_end(i).saturating_sub(lead).unwrap_or(day.intervals[i].start)
    }

    /// When the next event of the day happens (or the current pomodoro's grace reminder), if any.
    pub fn next_event_at(&self) -> Option<Timestamp> {
        let next = self.engine.next_event_at();
        let reminder = self.reminder_at(self.now).map(|(_, at)| at).filter(|&at| at > self.now);
        match (next, reminder) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Moves to `now`: the events crossed, or, on a new date, that date's day loaded (a file that
    /// cannot be read is left as it is: the store never writes over it).
    fn advance(&mut self, now: Timestamp) -> Advanced {
        let before = self.now;
        self.now = now;
        let date = self.session.date_at(now);
        if date != self.date {
            let left = std::mem::replace(&mut self.date, date);
            let day = load_or_fresh(&mut self.session, date, now);
            self.engine = DayEngine::new(day, now);
            self.rescore();
            self.revision += 1;
            return Advanced { new_date: Some(left), ..Advanced::default() };
        }
        // The stretch starts where the day was last shown: after the clock went back, the
        // cursor is still at the latest instant shown, so nothing is told twice.
        let shown_until = self.engine.cursor().max(before);
        let events = self.engine.advance_to(now).to_vec();
        let unseen = (!events.is_empty() && now.duration_since(shown_until) >= AWAY_GAP)
            .then_some(UnseenStretch { from: shown_until, to: now });
        // The score moves with time only at boundaries (grace ends, interval ends), which are events.
        if !events.is_empty() {
            self.rescore();
            self.revision += 1;
        }
        Advanced { events, unseen, new_date: None }
    }
}

/// What one step of the clock crossed.
#[derive(Default)]
struct Advanced {
    events: Vec<TimedEvent>,
    unseen: Option<UnseenStretch>,
    new_date: Option<Date>,
}

/// The saved day of `date`, or a fresh one when its file cannot be read: the store leaves that
/// file as it is, and the reason becomes a notice for the screen.
fn load_or_fresh(session: &mut Session, date: Date, now: Timestamp) -> Day {
    session.load_day(date, now).unwrap_or_else(|e| {
        session.notices.push(crate::store::Notice(e));
        session.fresh_day(date)
    })
}

pub(super) fn plugin(app: &mut App) {
    app.add_message::<DayEvent>();
    app.add_message::<GraceEnding>();
    app.add_message::<NewDate>();
    app.add_message::<UnseenStretch>();
    app.configure_sets(Update, DaySystems.run_if(resource_exists::<Today>));
    app.configure_sets(PostUpdate, DaySystems.run_if(resource_exists::<Today>));
    app.configure_sets(Last, DaySystems.run_if(resource_exists::<Today>));
    app.configure_sets(
        Update,
        (TickSteps::Advance, TickSteps::FollowFile, TickSteps::TakeIn).chain().in_set(AppSystems::TickClock),
    );
    app.add_systems(Update, advance_day.in_set(TickSteps::Advance).in_set(DaySystems));
    app.add_systems(Update, report_day_changes.in_set(ReportNextChange).in_set(DaySystems));
}

/// Runs first in the frame so that everything after it sees the same instant and the events it
/// crossed; asks for a save when an interval boundary passed.
fn advance_day(
    mut today: ResMut<Today>,
    mut events: MessageWriter<DayEvent>,
    mut reminders: MessageWriter<GraceEnding>,
    mut dates: MessageWriter<NewDate>,
    mut unseen: MessageWriter<UnseenStretch>,
    mut acts: MessageWriter<Act>,
) {
    let now = today.session.now();
    let before = today.now;
    let crossed = today.advance(now);
    if let Some(left) = crossed.new_date {
        dates.write(NewDate { left });
        return;
    }
    if let Some(index) = today.grace_warning_between(before, now) {
        reminders.write(GraceEnding { index });
    }
    if let Some(stretch) = crossed.unseen {
        info!("while you were away: intervals ended in a gap of {}", stretch.to.duration_since(stretch.from));
        unseen.write(stretch);
    }
    // An interval boundary passed: the day is recorded even if untouched.
    if !crossed.events.is_empty() {
        acts.write(Act::new(DayAction::Record(Record::Live), Origin::Clock));
    }
    events.write_batch(crossed.events.into_iter().map(DayEvent));
}

fn to_std(d: jiff::SignedDuration) -> Duration {
    Duration::try_from(d).unwrap_or(Duration::ZERO)
}

/// Runs with the other reports of what changes next: the day's next event (or reminder), the next
/// change of a countdown as shown (each second focused, each minute unfocused); and whether the
/// day changed this frame.
fn report_day_changes(
    today: Res<Today>,
    detail: Res<ClockDetail>,
    shows_all: Res<ShowsAll>,
    mut last: Local<Option<u64>>,
    mut next: ResMut<NextChange>,
) {
    let now = today.now();
    next.changed |= last.replace(today.revision()).is_some_and(|was| was != today.revision());
    if let Some(at) = today.next_event_at() {
        next.event_within(to_std(at.duration_since(now)));
    }
    let countdowns = Countdowns::of(today.day(), now, today.score(), shows_all.0);
    if let Some(change) = countdowns.until_change(now, detail.0) {
        next.within(change);
    }
}

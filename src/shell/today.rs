//! The day in the app: advance it from the wall clock each frame, turn what it crosses into
//! messages, save, and pick up changes that other processes saved.

use bevy::prelude::*;
use bevy::winit::EventLoopProxyWrapper;
use jiff::Timestamp;
use jiff::civil::Date;
use std::time::{Duration, Instant};

use super::AppSystems;
use super::face::{ClockDetail, Countdowns, NextChange, ReportNextChange, ShowsAll};
use super::input::Action;
use super::worker::{self, Inbox, LoopWaker, Next, Worker};
use crate::day::{ActionError, Day, DayEngine, Score, TimedEvent};
use crate::session::Session;
use crate::store::{Stamp, StoreError, UpdateError};

/// How often the day file is checked for other processes' changes (by the watcher thread in a
/// window, by the frame in a headless app).
pub const RELOAD_PERIOD: Duration = Duration::from_millis(500);
/// The longest intention quoted in a message, in characters.
pub const QUOTED_CHARS: usize = 60;
/// How often a day that could not be saved is saved again.
pub const SAVE_RETRY_PERIOD: Duration = Duration::from_secs(5);
/// How long a message stays on screen.
pub const MESSAGE_SHOWN_FOR: jiff::SignedDuration = jiff::SignedDuration::from_secs(10);

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

/// Today's day and the session it lives in.
#[derive(Resource)]
pub struct Today {
    session: Session,
    engine: DayEngine,
    date: Date,
    /// The instant of this frame, read once from the clock.
    now: Timestamp,
    score: Score,
    /// The saved version last seen; `None` forces a reload.
    stamp: Option<Stamp>,
    /// Goes up whenever the day changes in a way that shows: an event, an action, a reload.
    revision: u64,
    /// The last thing the user should read (a refusal or a notice), and when it came.
    message: Option<(String, Timestamp)>,
    /// Why the day shown holds changes the store refused (a full disk, a folder where the file
    /// should be): they are kept here and saved again every [`SAVE_RETRY_PERIOD`].
    unsaved: Option<String>,
    /// What passed unseen (before the window opened, while the machine slept, across a clock
    /// jump), waiting to be shown.
    away: Option<crate::day::Away>,
}

impl Today {
    /// Loads today's day (or lays a fresh one out) at the clock's current time.
    pub fn new(mut session: Session) -> Self {
        let now = session.now();
        let date = session.date_at(now);
        let day = load_or_fresh(&mut session, date, now);
        let stamp = session.store.stamp(date);
        let score = day.score(now);
        let mut today = Self {
            engine: DayEngine::new(day, now),
            session,
            date,
            now,
            score,
            stamp,
            revision: 0,
            message: None,
            unsaved: None,
            away: None,
        };
        today.show_notices();
        today.note_unseen_since_last_shown();
        today
    }

    /// At start or on a new date: intervals that ended since a window last showed this day (or,
    /// never shown, since it began) are told as "while you were away", once: the day is saved at
    /// once with the instant shown.
    fn note_unseen_since_last_shown(&mut self) {
        let day = self.engine.day();
        let Some((start, _)) = day.span() else { return };
        let from = day.seen_until.unwrap_or(start).max(start);
        if let Some(away) = crate::day::away(day, from, self.now) {
            info!("while you were away: {} intervals ended unseen", away.eaten);
            self.away = Some(away);
            self.save();
        }
    }

    /// Takes what passed unseen, for the panel that tells it.
    pub fn take_away(&mut self) -> Option<crate::day::Away> {
        self.away.take()
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

    /// Shows what the store had to say (a file moved aside, a newer format) as the message, and
    /// logs it: nothing the user should know about is only written to the log.
    fn show_notices(&mut self) {
        let notices = self.session.take_notices().into_iter().map(|n| n.0).reduce(|a, b| a + "\n" + &b);
        if let Some(message) = notices {
            warn!("{message}");
            self.message = Some((message, self.now));
        }
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

    /// Applies a user action to the day and saves it; a refusal becomes the message. When the
    /// store fails, the action is applied to the day shown and kept there until a save succeeds.
    pub fn act<T>(&mut self, action: impl FnMut(&mut Day) -> Result<T, ActionError>) -> Option<T> {
        let out = self.change(action);
        if out.is_some() && self.unsaved.is_none() {
            self.message = None;
        }
        out
    }

    fn change<T>(&mut self, mut action: impl FnMut(&mut Day) -> Result<T, ActionError>) -> Option<T> {
        if self.unsaved.is_some() {
            // Changes are waiting: add this one to them, and try to save all now.
            let out = self.change_in_memory(&mut action);
            self.save_again();
            return out;
        }
        let now = self.now;
        let seen = |day: &mut Day| {
            let out = action(day)?;
            day.seen_until = day.seen_until.max(Some(now));
            Ok(out)
        };
        match self.session.change_day(self.date, self.now, seen) {
            Ok((out, day)) => {
                self.engine.replace_day(day);
                // Read the file back on the next check, so a change saved meanwhile by another
                // process is not missed.
                self.stamp = None;
                self.refresh_score();
                self.show_notices();
                Some(out)
            }
            Err(UpdateError::Action(e)) => {
                self.tell(e.describe(&self.session.tz));
                None
            }
            // A day from a newer version is shown, never changed: waiting would not help.
            Err(UpdateError::Store(e @ StoreError::ReadOnly { .. })) => {
                self.tell(e.to_string());
                None
            }
            Err(UpdateError::Store(e)) => {
                let out = self.change_in_memory(&mut action);
                let why = e.to_string();
                self.tell(format!("Not saved: {why}. Your changes stay here; saving again every few seconds."));
                warn!("not saved: {why}");
                self.unsaved = Some(why);
                out
            }
        }
    }

    /// Applies an action to the day shown only (the store refused it).
    fn change_in_memory<T>(&mut self, action: &mut impl FnMut(&mut Day) -> Result<T, ActionError>) -> Option<T> {
        let mut day = self.engine.day().clone();
        day.settle(self.now);
        match action(&mut day) {
            Ok(out) => {
                if day != *self.engine.day() {
                    self.engine.replace_day(day);
                    self.refresh_score();
                }
                Some(out)
            }
            Err(e) => {
                self.tell(e.describe(&self.session.tz));
                None
            }
        }
    }

    /// Saves the day shown, with changes the store refused before, as it stands: while they
    /// waited no other process could save either, so the day shown is the latest.
    fn save_again(&mut self) {
        let mine = self.engine.day().clone();
        let now = self.now;
        match self.session.change_day(self.date, self.now, |day| {
            *day = mine.clone();
            day.seen_until = day.seen_until.max(Some(now));
            Ok(())
        }) {
            Ok(_) => {
                info!("saved again");
                self.unsaved = None;
                self.stamp = None;
                self.tell("Saved: nothing was lost.");
            }
            Err(e) => {
                let why = e.describe(&self.session.tz);
                if self.unsaved.as_deref() != Some(why.as_str()) {
                    self.tell(format!("Still not saved: {why}. Your changes stay here."));
                    self.unsaved = Some(why);
                }
            }
        }
    }

    /// Rates a pomodoro as the keys, a notification's button or the away panel ask, and says so
    /// with the intention quoted; a refusal becomes the message.
    pub fn rate(&mut self, rating: crate::day::Rating, target: crate::day::RateTarget) {
        let now = self.now;
        if let Some(i) = self.act(|day| day.rate(now, rating, target)) {
            let intention = self.day().intervals[i].intention.clone().unwrap_or_default();
            let quoted = crate::format::shorten(&intention, QUOTED_CHARS);
            self.tell(format!("“{quoted}”: {}.", rating.name()));
        }
    }

    /// Why the day shown is not saved, if it is not.
    pub fn unsaved(&self) -> Option<&str> {
        self.unsaved.as_deref()
    }

    /// Shows the user a message (a refusal, a notice) for a while.
    pub fn tell(&mut self, message: impl Into<String>) {
        let message = message.into();
        info!("{message}");
        self.message = Some((message, self.now));
    }

    /// The message to show now, if it is recent.
    pub fn message(&self) -> Option<&str> {
        self.message
            .as_ref()
            .filter(|(_, at)| self.now.duration_since(*at) < MESSAGE_SHOWN_FOR)
            .map(|(m, _)| m.as_str())
    }

    /// Until when the message shows, while one does: the window wakes then to clear it.
    pub fn message_until(&self) -> Option<Timestamp> {
        self.message.as_ref().map(|(_, at)| *at + MESSAGE_SHOWN_FOR).filter(|&until| until > self.now)
    }

    /// Saves the day as it stands (settled up to now), so that it is recorded even untouched.
    pub fn save(&mut self) {
        self.change(|_| Ok(()));
    }

    /// Replaces the settings (already saved) and lays out again what has not started yet.
    pub fn apply_settings(&mut self, settings: crate::day::Settings) -> Result<(), String> {
        let timing = settings.timing().map_err(|e| e.to_string())?;
        self.session.settings = settings;
        if self.session.test_date.is_some() {
            return Ok(());
        }
        let span = crate::day::day_span(self.date, &self.session.settings, &self.session.tz);
        let now = self.now;
        self.act(|day| {
            day.relayout(now, span, &timing);
            Ok(())
        });
        Ok(())
    }

    fn refresh_score(&mut self) {
        self.score = self.engine.day().score(self.now);
        self.revision += 1;
    }

    /// Goes up whenever the day changes in a way that shows.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Moves to `now`: a new date loads its own day; returns the events crossed. A new date's
    /// file that cannot be read is left as it is (the store never writes over it) and said so.
    fn advance(&mut self, now: Timestamp) -> Vec<TimedEvent> {
        let before = self.now;
        self.now = now;
        let date = self.session.date_at(now);
        if date != self.date {
            if self.unsaved.is_some() {
                // The last try for the old date; after this its changes live only in the log.
                self.save_again();
                if let Some(why) = self.unsaved.take() {
                    error!("the day {} could not be saved: {why}", self.date);
                }
            }
            self.date = date;
            let day = load_or_fresh(&mut self.session, date, now);
            self.engine = DayEngine::new(day, now);
            self.stamp = None;
            self.refresh_score();
            self.show_notices();
            self.note_unseen_since_last_shown();
            return Vec::new();
        }
        // The stretch starts where the day was last shown: after the clock went back, the
        // cursor is still at the latest instant shown, so nothing is told twice.
        let shown_until = self.engine.cursor().max(before);
        let events = self.engine.advance_to(now).to_vec();
        if !events.is_empty()
            && now.duration_since(shown_until) >= AWAY_GAP
            && let Some(away) = crate::day::away(self.engine.day(), shown_until, now)
        {
            info!(
                "while you were away: {} intervals ended in a gap of {}",
                away.eaten,
                now.duration_since(shown_until)
            );
            // Added to a stretch not shown yet, so nothing is told twice or lost.
            self.away = Some(match self.away.take() {
                Some(earlier) => crate::day::away(self.engine.day(), earlier.from, now).unwrap_or(away),
                None => away,
            });
        }
        // The score moves with time only at boundaries (grace ends, interval ends), which are events.
        if !events.is_empty() {
            self.refresh_score();
        }
        events
    }

    /// Reloads the day if another process saved it since we last looked (not while changes of
    /// ours wait to be saved: they would be lost).
    fn reload_if_changed(&mut self) {
        if self.unsaved.is_some() {
            return;
        }
        let stamp = self.session.store.stamp(self.date);
        if stamp == self.stamp && stamp.is_some() {
            return;
        }
        self.stamp = stamp;
        match self.session.load_day(self.date, self.now) {
            Ok(day) => {
                if day != *self.engine.day() {
                    debug!("reloaded the day: another process saved it");
                    self.engine.replace_day(day);
                    self.refresh_score();
                }
                self.show_notices();
            }
            Err(e) => self.tell(e),
        }
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

    /// The date shown.
    pub fn date(&self) -> Date {
        self.date
    }
}

/// The saved day of `date`, or a fresh one when its file cannot be read: the store leaves that
/// file as it is, and the reason becomes a notice for the screen.
fn load_or_fresh(session: &mut Session, date: Date, now: Timestamp) -> Day {
    session.load_day(date, now).unwrap_or_else(|e| {
        session.notices.push(crate::store::Notice(e));
        session.fresh_day(date)
    })
}

/// A worker thread that looks at the day file every [`RELOAD_PERIOD`] and replies (waking the
/// window loop) when another process saved it: the change shows within a period even while the
/// window sleeps, and no frame is spent looking when nothing changed. It is sent the date to watch
/// whenever the date shown changes.
pub type Watcher = Worker<Date, ()>;

pub(super) fn plugin(app: &mut App) {
    app.add_message::<DayEvent>();
    app.add_message::<GraceEnding>();
    app.add_systems(Startup, start_watcher);
    app.add_systems(Update, (advance_day, reload_day, retry_save).chain().in_set(AppSystems::TickClock));
    app.add_systems(Update, rate_from_keys.in_set(AppSystems::Update));
    app.add_systems(Last, save_on_exit);
    app.add_systems(Update, report_day_changes.in_set(ReportNextChange));
}

fn to_std(d: jiff::SignedDuration) -> Duration {
    Duration::try_from(d).unwrap_or(Duration::ZERO)
}

/// Runs with the other reports of what changes next: the day's next event (or reminder), the next
/// change of a countdown as shown (each second focused, each minute unfocused), the end of the
/// message shown; and whether the day or the message changed this frame.
fn report_day_changes(
    today: Option<Res<Today>>,
    detail: Res<ClockDetail>,
    shows_all: Res<ShowsAll>,
    mut last: Local<Option<(u64, Option<Timestamp>)>>,
    mut next: ResMut<NextChange>,
) {
    let Some(today) = today else { return };
    let now = today.now();
    let shown = (today.revision(), today.message_until());
    next.changed |= last.replace(shown).is_some_and(|was| was != shown);
    if let Some(at) = today.next_event_at() {
        next.event_within(to_std(at.duration_since(now)));
    }
    let countdowns = Countdowns::of(today.day(), now, today.score(), shows_all.0);
    if let Some(change) = countdowns.until_change(now, detail.0) {
        next.within(change);
    }
    if let Some(until) = shown.1 {
        next.within(to_std(until.duration_since(now)));
    }
}

/// Runs first in the frame so that everything after it sees the same instant and the events it
/// crossed; saves when an interval boundary passed, so the day is recorded even if untouched.
fn advance_day(
    today: Option<ResMut<Today>>,
    mut events: MessageWriter<DayEvent>,
    mut reminders: MessageWriter<GraceEnding>,
) {
    let Some(mut today) = today else { return };
    let now = today.session.now();
    let before = today.now;
    let crossed = today.advance(now);
    if let Some(index) = today.grace_warning_between(before, now) {
        reminders.write(GraceEnding { index });
    }
    if !crossed.is_empty() {
        events.write_batch(crossed.into_iter().map(DayEvent));
        today.save();
    }
}

/// Runs once when there is a window loop: starts the [`Watcher`] thread.
fn start_watcher(mut commands: Commands, today: Option<Res<Today>>, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let (Some(today), Some(proxy)) = (today, proxy) else { return };
    let store = today.session.store.clone();
    let first = today.date;
    let spawned = worker::spawn("day watcher", LoopWaker::new(&proxy), move |inbox: Inbox<Date, ()>| {
        let (mut date, mut last) = (first, None);
        let mut due = Instant::now() + RELOAD_PERIOD;
        loop {
            match inbox.next_until(Some(due)) {
                Next::Request(watched) => date = watched,
                Next::Stopped => return,
                Next::Due => {
                    due = Instant::now() + RELOAD_PERIOD;
                    let stamp = store.stamp(date).map(|s| (date, s));
                    if stamp != last {
                        last = stamp;
                        if !inbox.reply(()) {
                            return;
                        }
                    }
                }
            }
        }
    });
    match spawned {
        Ok(watcher) => commands.insert_resource(watcher),
        Err(e) => warn!("no day watcher thread ({e}); other processes' changes show at the next frame"),
    }
}

/// Runs after the clock: with a [`Watcher`], when it saw the file change (or after our own save);
/// without one (headless), on a real-time timer. Another process's change shows within a second.
fn reload_day(
    today: Option<ResMut<Today>>,
    watcher: Option<Res<Watcher>>,
    time: Res<Time<Real>>,
    mut since: Local<Duration>,
    mut watched: Local<Option<Date>>,
) {
    let Some(mut today) = today else { return };
    if let Some(watcher) = watcher {
        if watched.replace(today.date) != Some(today.date) {
            watcher.send(today.date);
        }
        let changed = !watcher.replies().is_empty();
        if changed || today.stamp.is_none() {
            today.reload_if_changed();
        }
        return;
    }
    *since += time.delta();
    if *since < RELOAD_PERIOD && today.stamp.is_some() {
        return;
    }
    *since = Duration::ZERO;
    today.reload_if_changed();
}

/// Runs after the clock, on a real-time timer, only while changes wait to be saved: a full disk
/// that gets room, or a folder moved away, ends the wait without the user doing anything.
fn retry_save(today: Option<ResMut<Today>>, time: Res<Time<Real>>, mut since: Local<Duration>) {
    let Some(mut today) = today else { return };
    if today.unsaved.is_none() {
        *since = Duration::ZERO;
        return;
    }
    *since += time.delta();
    if *since >= SAVE_RETRY_PERIOD {
        *since = Duration::ZERO;
        today.save_again();
    }
}

/// Runs in `Last` when the app is about to exit, so that nothing of the day is lost.
pub(crate) fn save_on_exit(today: Option<ResMut<Today>>, mut exits: MessageReader<AppExit>) {
    if exits.read().next().is_some()
        && let Some(mut today) = today
    {
        today.save();
    }
}

/// Runs with the other actions: `1`–`4` rate the pomodoro a plain "rate" means now.
fn rate_from_keys(today: Option<ResMut<Today>>, mut actions: MessageReader<Action>) {
    let Some(mut today) = today else { return };
    for action in actions.read() {
        if let Action::Rate(rating) = *action {
            today.rate(rating, crate::day::RateTarget::Default);
        }
    }
}

//! Every save of the day, and every reload: acts applied under the store's lock in the order they
//! came, a day the store refused kept (in memory and on screen) and saved again every few seconds,
//! other processes' changes picked up, and hand edits of `settings.ron` (a watcher thread looks at
//! both files), and a last save as the
//! app exits. It remembers the stamp of its own writes, so it never reads back what it just wrote.

use bevy::prelude::*;
use bevy::winit::EventLoopProxyWrapper;
use jiff::civil::Date;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::AppSystems;
use super::actions::{Act, Applied, DayAction, Origin, Outcome, Record};
use super::message_line::ShowMessages;
use super::message_line::Tell;
use super::today::{DaySystems, NewDate, QUOTED_CHARS, TickSteps, Today};
use super::worker::{self, Inbox, LoopWaker, Next, Worker};
use crate::day::Day;
use crate::store::{Stamp, StoreError, UpdateError, file_stamp, load_settings, settings_path, write_day_copy};

/// How often the day file is checked for other processes' changes (by the watcher thread in a
/// window, by the frame in a headless app).
pub const RELOAD_PERIOD: Duration = Duration::from_millis(500);
/// How often a day that could not be saved is saved again.
pub const SAVE_RETRY_PERIOD: Duration = Duration::from_secs(5);

/// A day the store refused (a full disk, a folder where the file should be), kept until a save
/// succeeds.
#[derive(Debug, Clone)]
pub struct Unsaved {
    pub date: Date,
    pub day: Day,
    /// Why, as last told.
    pub why: String,
}

/// What the app knows of the day's file.
#[derive(Resource, Debug)]
pub struct Persist {
    /// The saved version last written or read here; `None` forces a read.
    stamp: Option<Stamp>,
    /// Changes the store refused, waiting to be saved.
    unsaved: Option<Unsaved>,
    /// Where a copy of a day that could not be saved goes as the app ends: the machine's state
    /// folder (`$XDG_STATE_HOME/pomodouroboros/unsaved`), else the temporary folder.
    elsewhere: PathBuf,
}

impl Default for Persist {
    fn default() -> Self {
        let state =
            directories::ProjectDirs::from("", "", "pomodouroboros").and_then(|p| p.state_dir().map(Path::to_path_buf));
        let elsewhere = state.unwrap_or_else(|| std::env::temp_dir().join("pomodouroboros")).join("unsaved");
        Self { stamp: None, unsaved: None, elsewhere }
    }
}

impl Persist {
    /// Why the day shown is not saved, if it is not.
    pub fn unsaved(&self) -> Option<&str> {
        self.unsaved.as_ref().map(|u| u.why.as_str())
    }

    /// The folder a copy of a day that could not be saved goes to as the app ends.
    pub fn elsewhere(&self) -> &Path {
        &self.elsewhere
    }

    /// Sends such copies to `folder` instead (tests).
    pub fn set_elsewhere(&mut self, folder: PathBuf) {
        self.elsewhere = folder;
    }

    /// Writes the day that could not be saved, whole, to a file of its own in [`Persist::elsewhere`]
    /// (a day file like any other: `pomodouroboros` reads it once copied into the data folder).
    fn write_elsewhere(&self, now: jiff::Timestamp) -> Result<Option<PathBuf>, String> {
        let Some(unsaved) = &self.unsaved else { return Ok(None) };
        write_day_copy(&self.elsewhere, &unsaved.day, now).map(Some).map_err(|e| e.to_string())
    }
}

/// How far the acts have been applied: one cursor for every place that applies them, so each act
/// is applied once wherever it was written.
#[derive(Resource, Default)]
struct ActsApplied(bevy::ecs::message::MessageCursor<Act>);

/// A worker thread that looks at the day file and `settings.ron` every [`RELOAD_PERIOD`] and
/// replies (waking the window loop) when another process (or an editor) saved one: the change
/// shows within a period even while the window sleeps, and no frame is spent looking when nothing
/// changed. It is sent the date to watch whenever the date shown changes.
pub type Watcher = Worker<Date, Changed>;

/// Which file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    Day,
    Settings,
}

/// The systems that apply acts: after the actions of the frame (and the panels' state changes),
/// and again after the panels were drawn.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApplyActs;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Persist>();
    app.init_resource::<ActsApplied>();
    app.add_systems(Startup, start_watcher);
    app.add_systems(
        Update,
        (follow_new_date, reload_day, retry_save).chain().in_set(TickSteps::FollowFile).in_set(DaySystems),
    );
    app.configure_sets(
        Update,
        ApplyActs
            .after(AppSystems::Update)
            .after(super::apply_state_changes)
            .before(ShowMessages)
            .before(AppSystems::Present),
    );
    app.configure_sets(PostUpdate, ApplyActs.after(bevy_egui::EguiPostUpdateSet::EndPass).before(ShowMessages));
    app.add_systems(Update, apply_acts.in_set(ApplyActs).in_set(DaySystems));
    app.add_systems(PostUpdate, apply_acts.in_set(ApplyActs).in_set(DaySystems));
    app.add_systems(Last, (apply_acts.in_set(ApplyActs), save_on_exit).chain().in_set(DaySystems));
}

/// Runs where acts are applied (see [`ApplyActs`]), and in `Last` before the exit's save: each
/// act is applied and saved in order; the answer names its origin; a refusal is told.
fn apply_acts(
    acts: Res<Messages<Act>>,
    mut cursor: ResMut<ActsApplied>,
    mut today: ResMut<Today>,
    mut persist: ResMut<Persist>,
    mut tell: MessageWriter<Tell>,
    mut applied: MessageWriter<Applied>,
) {
    for act in cursor.0.read(&acts) {
        let result = apply(act, &mut today, &mut persist, &mut tell);
        if act.origin != Origin::Clock || result.is_err() {
            applied.write(Applied { act: act.clone(), result });
        }
    }
}

/// Applies one act (see [`apply_acts`]): saved under the store's lock, or, when the store fails,
/// applied to the day shown and kept there until a save succeeds.
fn apply(
    act: &Act,
    today: &mut Today,
    persist: &mut Persist,
    tell: &mut MessageWriter<Tell>,
) -> Result<Outcome, String> {
    if let DayAction::Relayout(settings) = &act.action {
        today.session_mut().settings = settings.clone();
        if today.session().test_date.is_some() {
            return Ok(Outcome::Done);
        }
    }
    let (now, date) = (today.now(), today.date());
    let tz = today.session().tz.clone();
    let timing = today.session().timing();
    let no_file = || today.session().store.stamp(date).is_none();
    if act.action == DayAction::Record(Record::IfSaved) && persist.unsaved.is_none() && no_file() {
        // Nothing of this day was set by the user, nor lived with the window open: no file.
        return Ok(Outcome::Done);
    }
    let result = if let Some(unsaved) = persist.unsaved.as_mut() {
        // Changes are waiting: add this one to them, and try to save all now.
        let out = change_in_memory(act, today);
        unsaved.day = today.day().clone();
        save_again(today, persist, tell);
        out
    } else {
        let action = &act.action;
        let changed = today.session_mut().change_day_stamped(date, now, |day| action.apply(day, now, &tz, &timing));
        match changed {
            Ok((out, day, stamp)) => {
                today.replace_day(day);
                persist.stamp = stamp;
                // Only records move what was shown: every interval that ends while the window
                // runs brings one, and so do the start and the exit; a write to the state folder
                // for each keystroke's save would add nothing.
                if matches!(act.action, DayAction::Record(_)) {
                    note_seen(today, date, now);
                }
                Ok(out)
            }
            Err(UpdateError::Action(e)) => Err(e.describe(&tz)),
            // A day from a newer version is shown, never changed: waiting would not help.
            Err(UpdateError::Store(e @ StoreError::ReadOnly { .. })) => Err(e.to_string()),
            Err(UpdateError::Store(e)) => {
                let out = change_in_memory(act, today);
                if let Err(refused) = &out {
                    tell.write(Tell::show(refused.clone()));
                }
                let why = e.to_string();
                tell.write(Tell::show(format!(
                    "Not saved: {why}. Your changes stay here; saving again every few seconds."
                )));
                warn!("not saved: {why}");
                persist.unsaved = Some(Unsaved { date, day: today.day().clone(), why });
                return out.inspect(|outcome| tell_done(act, outcome, today, persist, tell));
            }
        }
    };
    match &result {
        Err(why) => {
            tell.write(Tell::show(why.clone()));
        }
        Ok(outcome) => tell_done(act, outcome, today, persist, tell),
    }
    result
}

/// What an act that worked says: a user's act takes an old message down once the day is saved;
/// a rating names what it rated.
fn tell_done(act: &Act, outcome: &Outcome, today: &Today, persist: &Persist, tell: &mut MessageWriter<Tell>) {
    if act.origin == Origin::Clock {
        return;
    }
    if persist.unsaved.is_none() {
        tell.write(Tell::clear());
    }
    if let (DayAction::Rate(rating, _), Outcome::Interval(i)) = (&act.action, outcome) {
        let intention = today.day().intervals[*i].intention.clone().unwrap_or_default();
        let quoted = crate::format::shorten(&intention, QUOTED_CHARS);
        tell.write(Tell::note(format!("“{quoted}”: {}.", rating.name())));
    }
    if let (DayAction::StartNow, Outcome::Interval(i)) = (&act.action, outcome) {
        let (day, tz) = (today.day(), &today.session().tz);
        let said = day.started_now_words(*i, &today.session().timing(), tz, "i").join(" ");
        tell.write(Tell::show(said));
    }
}

/// Records, in this machine's state folder, that the window showed `date` until `now`: what
/// passes after it while no window shows it is told as "while you were away". A failure costs
/// only a stretch told twice, so it is logged, not shown.
fn note_seen(today: &Today, date: Date, now: jiff::Timestamp) {
    if let Err(e) = today.session().store.set_seen_until(date, now) {
        warn!("what the window showed is not kept: {e}");
    }
}

/// Applies an act to the day shown only (the store refused it).
fn change_in_memory(act: &Act, today: &mut Today) -> Result<Outcome, String> {
    let (now, tz, timing) = (today.now(), today.session().tz.clone(), today.session().timing());
    let mut day = today.day().clone();
    day.settle(now);
    let out = act.action.apply(&mut day, now, &tz, &timing).map_err(|e| e.describe(&tz))?;
    today.replace_day(day);
    Ok(out)
}

/// Saves the day the store refused before, as it stands: while it waited no other process could
/// save either, so it is the latest.
fn save_again(today: &mut Today, persist: &mut Persist, tell: &mut MessageWriter<Tell>) {
    let Some(unsaved) = persist.unsaved.as_mut() else { return };
    let now = today.now();
    let mine = unsaved.day.clone();
    let saved = today.session_mut().change_day_stamped(unsaved.date, now, |day| {
        *day = mine.clone();
        Ok(())
    });
    match saved {
        Ok((_, _, stamp)) => {
            info!("saved again");
            let date = unsaved.date;
            note_seen(today, date, now);
            persist.unsaved = None;
            if date == today.date() {
                persist.stamp = stamp;
            }
            tell.write(Tell::note("Saved: nothing was lost."));
        }
        Err(e) => {
            let why = e.describe(&today.session().tz);
            if unsaved.why != why {
                tell.write(Tell::show(format!("Still not saved: {why}. Your changes stay here.")));
                unsaved.why = why;
            }
        }
    }
}

/// Runs after the clock: on a new date, the day left behind gets its last try if it waits to be
/// saved (after that its changes live only in the log), and the new date's file is read afresh.
fn follow_new_date(
    mut dates: MessageReader<NewDate>,
    mut today: ResMut<Today>,
    mut persist: ResMut<Persist>,
    mut tell: MessageWriter<Tell>,
) {
    for NewDate { left } in dates.read() {
        if persist.unsaved.is_some() {
            save_again(&mut today, &mut persist, &mut tell);
            if let Some(unsaved) = persist.unsaved.take() {
                error!("the day {left} could not be saved: {}", unsaved.why);
            }
        }
        persist.stamp = None;
    }
}

/// Runs once when there is a window loop: starts the [`Watcher`] thread.
fn start_watcher(mut commands: Commands, today: Option<Res<Today>>, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let (Some(today), Some(proxy)) = (today, proxy) else { return };
    let store = today.session().store.clone();
    let settings = settings_path(&today.session().dirs.config);
    let first = today.date();
    let spawned = worker::spawn("file watcher", LoopWaker::new(&proxy), move |inbox: Inbox<Date, Changed>| {
        let (mut date, mut last_day) = (first, None);
        let mut last_settings = file_stamp(&settings);
        let mut due = Instant::now() + RELOAD_PERIOD;
        loop {
            match inbox.next_until(Some(due)) {
                Next::Request(watched) => date = watched,
                Next::Stopped => return,
                Next::Due => {
                    due = Instant::now() + RELOAD_PERIOD;
                    // A conflict copy a sync engine leaves counts as a change: it is to be merged.
                    let day = Some((date, store.stamp(date), store.conflict_copies(date)));
                    if day != last_day && (last_day.is_some() || day.is_some_and(|(_, s, n)| s.is_some() || n > 0)) {
                        last_day = day;
                        if !inbox.reply(Changed::Day) {
                            return;
                        }
                    }
                    let settings = file_stamp(&settings);
                    if settings != last_settings {
                        last_settings = settings;
                        if !inbox.reply(Changed::Settings) {
                            return;
                        }
                    }
                }
            }
        }
    });
    match spawned {
        Ok(watcher) => commands.insert_resource(watcher),
        Err(e) => warn!("no file watcher thread ({e}); other processes' changes show at the next frame"),
    }
}

/// The settings file's stamp as last followed (headless apps look at it on a timer).
#[derive(Default)]
struct SettingsSeen(Option<Option<Stamp>>);

/// Runs after the clock: with a [`Watcher`], when it saw a file change; without one (headless),
/// on a real-time timer. Another process's change to the day shows within a second (the window's
/// own writes are known by their stamp and not read back), and so does a hand edit of
/// `settings.ron`.
#[allow(clippy::too_many_arguments)]
fn reload_day(
    mut today: ResMut<Today>,
    mut persist: ResMut<Persist>,
    (mut tell, mut acts): (MessageWriter<Tell>, MessageWriter<Act>),
    watcher: Option<Res<Watcher>>,
    time: Res<Time<Real>>,
    (mut since, mut watched, mut settings_seen): (Local<Duration>, Local<Option<Date>>, Local<SettingsSeen>),
) {
    let (day_changed, settings_changed) = if let Some(watcher) = watcher {
        if watched.replace(today.date()) != Some(today.date()) {
            watcher.send(today.date());
        }
        let changed = watcher.replies();
        (changed.contains(&Changed::Day) || persist.stamp.is_none(), changed.contains(&Changed::Settings))
    } else {
        *since += time.delta();
        if *since < RELOAD_PERIOD && persist.stamp.is_some() {
            return;
        }
        *since = Duration::ZERO;
        let stamp = file_stamp(&settings_path(&today.session().dirs.config));
        let seen = settings_seen.0.replace(stamp);
        (true, seen.is_some_and(|seen| seen != stamp))
    };
    if day_changed {
        reload_if_changed(&mut today, &mut persist, &mut tell);
        if today.session().has_conflict_copies(today.date()) {
            acts.write(Act::new(DayAction::Record(Record::Merge), Origin::Clock));
        }
    }
    if settings_changed {
        follow_settings_file(&today, &mut tell, &mut acts);
    }
}

/// `settings.ron` changed on disk: new settings are put in use (what has not started today is laid
/// out again); a file that cannot be used is told, line and column, and the settings in use stay.
fn follow_settings_file(today: &Today, tell: &mut MessageWriter<Tell>, acts: &mut MessageWriter<Act>) {
    match load_settings(&today.session().dirs.config) {
        Ok(settings) if settings != today.session().settings => {
            info!("settings.ron changed: its settings are in use now");
            acts.write(Act::new(DayAction::Relayout(settings), Origin::Clock));
            tell.write(Tell::note("settings.ron changed: its settings are in use now."));
        }
        Ok(_) => {}
        Err(e) => {
            warn!("{e}");
            tell.write(Tell::show(format!("{e}; the settings in use stay as they were.")));
        }
    }
}

/// Reloads the day if another process saved it since it was last written or read here (not while
/// changes of ours wait to be saved: they would be lost).
fn reload_if_changed(today: &mut Today, persist: &mut Persist, tell: &mut MessageWriter<Tell>) {
    if persist.unsaved.is_some() {
        return;
    }
    let date = today.date();
    let stamp = today.session().store.stamp(date);
    if stamp == persist.stamp && stamp.is_some() {
        return;
    }
    persist.stamp = stamp;
    let now = today.now();
    match today.session_mut().load_day(date, now) {
        Ok(day) => {
            if day != *today.day() {
                debug!("reloaded the day: another process saved it");
                today.replace_day(day);
            }
        }
        Err(e) => {
            tell.write(Tell::show(e));
        }
    }
}

/// Runs after the clock, on a real-time timer, only while changes wait to be saved: a full disk
/// that gets room, or a folder moved away, ends the wait without the user doing anything.
fn retry_save(
    mut today: ResMut<Today>,
    mut persist: ResMut<Persist>,
    mut tell: MessageWriter<Tell>,
    time: Res<Time<Real>>,
    mut since: Local<Duration>,
) {
    if persist.unsaved.is_none() {
        *since = Duration::ZERO;
        return;
    }
    *since += time.delta();
    if *since >= SAVE_RETRY_PERIOD {
        *since = Duration::ZERO;
        save_again(&mut today, &mut persist, &mut tell);
    }
}

/// Runs in `Last` when the app is about to exit, after the last acts: the day is saved as it
/// stands, so that nothing of it is lost; if the store still refuses it (a full disk, a read-only
/// folder, as at a logout's SIGTERM), a copy of it is written where it can be, and the log says
/// where.
pub(crate) fn save_on_exit(
    mut exits: MessageReader<AppExit>,
    mut today: ResMut<Today>,
    mut persist: ResMut<Persist>,
    mut tell: MessageWriter<Tell>,
) {
    if exits.read().next().is_none() {
        return;
    }
    let _ = apply(&Act::new(DayAction::Record(Record::IfSaved), Origin::Clock), &mut today, &mut persist, &mut tell);
    let Some(why) = persist.unsaved().map(str::to_owned) else { return };
    match persist.write_elsewhere(today.now()) {
        Ok(Some(path)) => error!("the day could not be saved ({why}); a copy of it was written to {}", path.display()),
        Ok(None) => {}
        Err(e) => error!("the day could not be saved ({why}), and no copy of it could be written: {e}"),
    }
}

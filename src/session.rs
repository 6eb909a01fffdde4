//! Ties the pure core to the places it runs: a clock, a time zone, the settings and a store. Both the
//! command line and the window work through a [`Session`]. No Bevy here.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use std::sync::Arc;

use crate::day::{
    ActionError, Clock, Day, ManualClock, ScaledClock, Settings, Stats, SystemClock, Timing, day_span, stats,
};
use crate::store::{DayStore, DirFlags, Dirs, FileDayStore, Notice, Stamp, UpdateError, load_settings, update_with};
use std::collections::BTreeMap;

/// How the session was asked to run.
#[derive(Clone, Debug, Default)]
pub struct SessionOptions {
    pub dirs: DirFlags,
    /// Fix the clock at this instant (with its time zone, when one was given).
    pub now: Option<Now>,
    /// Only read: with `--test-day`, join the latest test day instead of starting one.
    pub read_only: bool,
    /// Run the clock this many times faster (test days only: see [`ScaledClock`]).
    pub speed: Option<f64>,
    /// A settings file that cannot be used gives the defaults and a notice instead of an error (the
    /// window, which must start; a command refuses, as command-line tools do).
    pub default_settings_on_error: bool,
}

/// A `--now` value: an instant and perhaps its zone.
#[derive(Clone, Debug)]
pub struct Now {
    pub at: Timestamp,
    pub zone: Option<TimeZone>,
}

impl std::str::FromStr for Now {
    type Err = String;

    /// RFC 9557 with a `[Zone]` (`2026-11-24T09:00:00+01:00[Europe/Paris]`) or RFC 3339
    /// (`2026-11-24T08:00:00Z`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.contains('[') {
            let zoned: Zoned = s.parse().map_err(|e| format!("bad --now {s:?}: {e}"))?;
            Ok(Now { at: zoned.timestamp(), zone: Some(zoned.time_zone().clone()) })
        } else {
            let at: Timestamp = s
                .parse()
                .map_err(|e| format!("bad --now {s:?}: {e} (use RFC 3339 such as 2026-11-24T09:00:00+01:00)"))?;
            Ok(Now { at, zone: None })
        }
    }
}

/// What every command and the window share.
pub struct Session {
    pub dirs: Dirs,
    pub clock: Arc<dyn Clock>,
    pub tz: TimeZone,
    pub settings: Settings,
    pub store: Arc<dyn DayStore>,
    /// Set for `--test-day`: the test day's date (it keeps it even if it runs past midnight).
    pub test_date: Option<Date>,
    /// Things the user must be told (files moved aside, …).
    pub notices: Vec<Notice>,
    /// How many times faster than the wall clock the clock runs (1 but for `--speed`).
    pub speed: f64,
    /// Set by `--now`.
    fixed_clock: bool,
}

/// The fastest `--speed`.
pub const MAX_SPEED: f64 = 100.0;

impl Session {
    /// Opens a session: resolves folders, reads settings, and for `--test-day` starts a new 3-minute
    /// day at launch unless one is still running.
    pub fn open(options: &SessionOptions) -> Result<Session, String> {
        let dirs = Dirs::from_env(&options.dirs).map_err(|e| e.to_string())?;
        if let Some(speed) = options.speed {
            if !options.dirs.test_day || options.now.is_some() {
                return Err("--speed runs a test day faster: it needs --test-day, and no --now".to_owned());
            }
            if !(speed > 0.0 && speed <= MAX_SPEED) {
                return Err(format!("--speed must be more than 0 and at most {MAX_SPEED} (got {speed})"));
            }
        }
        let (clock, tz): (Arc<dyn Clock>, TimeZone) = match &options.now {
            Some(now) => (Arc::new(ManualClock::new(now.at)), now.zone.clone().unwrap_or_else(TimeZone::system)),
            None => (Arc::new(SystemClock), TimeZone::system()),
        };
        let now = clock.now();
        let (settings, notices) = match load_settings(&dirs.config) {
            Ok(settings) => (settings, Vec::new()),
            Err(problem) if options.default_settings_on_error => (
                Settings::default(),
                vec![Notice(format!(
                    "{}; the default settings are used until it is fixed.",
                    crate::format::capitalised(&problem)
                ))],
            ),
            Err(problem) => return Err(format!("{problem}: fix it and run again (nothing was changed).")),
        };
        let mut dirs = dirs;
        dirs.take_data_setting(&options.dirs, |name| std::env::var_os(name), settings.data_dir.as_deref());
        let store: Arc<dyn DayStore> =
            Arc::new(FileDayStore::with_state(dirs.data.clone(), &dirs.state).keeping_merged_in(&dirs.cache));
        let speed = options.speed.unwrap_or(1.0);
        let (clock, now): (Arc<dyn Clock>, Timestamp) = match options.speed {
            Some(speed) => {
                let clock = scaled_test_clock(&*store, speed);
                (Arc::new(clock), clock.now())
            }
            None => (clock, now),
        };
        let fixed_clock = options.now.is_some();
        let mut session = Session { dirs, clock, tz, settings, store, test_date: None, notices, speed, fixed_clock };
        if options.dirs.test_day {
            if options.read_only {
                session.find_test_day(now)?;
            } else {
                session.start_test_day(now)?;
            }
        }
        Ok(session)
    }

    /// A session over any store and clock (tests, benchmarks).
    pub fn with(store: Arc<dyn DayStore>, clock: Arc<dyn Clock>, tz: TimeZone, settings: Settings) -> Session {
        // Under /dev/null nothing can be made, even by root: a headless session writes no file of
        // its own (each test that wants one sets its folder), and no test reads another's.
        let none = std::path::PathBuf::from("/dev/null/pomodouroboros");
        let dirs = Dirs {
            data: none.join("data"),
            config: none.join("config"),
            state: none.join("state"),
            cache: none.join("cache"),
        };
        Session {
            dirs,
            clock,
            tz,
            settings,
            store,
            test_date: None,
            notices: Vec::new(),
            speed: 1.0,
            fixed_clock: false,
        }
    }

    /// Joins the latest test day, running or over, without writing anything; with none saved,
    /// today's date (and nothing is there).
    pub fn find_test_day(&mut self, now: Timestamp) -> Result<(), String> {
        let latest = self.store.dates().map_err(|e| e.to_string())?.last().copied();
        self.test_date = Some(latest.unwrap_or_else(|| now.to_zoned(self.tz.clone()).date()));
        Ok(())
    }

    /// Starts a new 3-minute test day at `now`, unless one is still running. A new test day never
    /// replaces an earlier one: when today's date is taken it goes on the next free date.
    pub fn start_test_day(&mut self, now: Timestamp) -> Result<(), String> {
        let today = now.to_zoned(self.tz.clone()).date();
        let latest = self.store.dates().map_err(|e| e.to_string())?.last().copied();
        if let Some(date) = latest {
            let (saved, notices) = self.store.load(date, now).map_err(|e| e.to_string())?;
            self.notices.extend(notices);
            if saved.and_then(|d| d.span()).is_some_and(|(start, end)| start <= now && now < end) {
                self.test_date = Some(date);
                return Ok(());
            }
        }
        let date = next_test_date(today, latest);
        self.test_date = Some(date);
        let fresh = Self::test_day(date, now);
        update_with(&*self.store, date, now, &|| fresh.clone(), |day| {
            // Another process may have started this date's test day a moment ago: join it.
            if day.span().is_none_or(|(_, end)| now >= end) {
                *day = fresh.clone();
            }
            Ok(())
        })
        .map_err(|e| e.to_string())?;
        Ok(())
    }

    /// A test day of 3 minutes from `start`.
    fn test_day(date: Date, start: Timestamp) -> Day {
        let end = start.saturating_add(Timing::TEST_DAY_LENGTH).unwrap_or(start);
        Day::new(date, Some((start, end)), &Timing::TEST_DAY)
    }

    /// The current instant.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The date whose day is running at `now`.
    pub fn date_at(&self, now: Timestamp) -> Date {
        self.test_date.unwrap_or_else(|| now.to_zoned(self.tz.clone()).date())
    }

    /// How this session's days are cut: the test day's timing, or the settings'.
    pub fn timing(&self) -> Timing {
        if self.test_date.is_some() {
            return Timing::TEST_DAY;
        }
        self.settings.timing().unwrap_or(Timing::TEST_DAY)
    }

    /// A new day for `date`, laid out from the settings (in test mode with no test day started,
    /// an empty one: only starting a test day lays one out).
    pub fn fresh_day(&self, date: Date) -> Day {
        let mut day = self.laid_out(date);
        if self.settings.carry_plan
            && self.test_date.is_none()
            && let Some(earlier) = self.latest_day_before(date)
        {
            day.carry_plan_from(&earlier);
        }
        day
    }

    /// A new day for `date` as the settings lay it out, with an empty plan.
    fn laid_out(&self, date: Date) -> Day {
        if self.test_date.is_some() {
            return Day::new(date, None, &Timing::TEST_DAY);
        }
        match self.settings.timing() {
            Ok(timing) => Day::new(date, day_span(date, &self.settings, &self.tz), &timing),
            // Settings are validated on load; an invalid value here means a free day.
            Err(_) => Day::new(date, None, &Timing::TEST_DAY),
        }
    }

    /// The latest saved day before `date`, if one can be read (an unreadable one is left for
    /// whoever shows it to say so).
    fn latest_day_before(&self, date: Date) -> Option<Day> {
        let dates = self.store.dates().ok()?;
        let earlier = *dates.iter().rev().find(|d| **d < date)?;
        let now = self.clock.now();
        self.store.load(earlier, now).ok()?.0
    }

    /// The day of `date` as saved, or fresh; settled at `now`.
    pub fn load_day(&mut self, date: Date, now: Timestamp) -> Result<Day, String> {
        let (saved, notices) = self.store.load(date, now).map_err(|e| e.to_string())?;
        self.notices.extend(notices);
        let mut day = saved.unwrap_or_else(|| self.fresh_day(date));
        day.settle(now);
        Ok(day)
    }

    /// Applies `change` to the day of `date` under the store's lock, and saves.
    pub fn change_day<T>(
        &mut self,
        date: Date,
        now: Timestamp,
        change: impl FnOnce(&mut Day) -> Result<T, ActionError>,
    ) -> Result<(T, Day), UpdateError> {
        self.change_day_stamped(date, now, change).map(|(out, day, _)| (out, day))
    }

    /// As [`Session::change_day`], with the stamp of the version written (see [`crate::store::Saved`]).
    pub fn change_day_stamped<T>(
        &mut self,
        date: Date,
        now: Timestamp,
        change: impl FnOnce(&mut Day) -> Result<T, ActionError>,
    ) -> Result<(T, Day, Option<Stamp>), UpdateError> {
        // The store calls `fresh` under its lock, where no other day can be read: a new day's
        // carried plan is read before, when no file is there yet.
        let prepared = self.store.stamp(date).is_none().then(|| self.fresh_day(date));
        let fresh = || prepared.clone().unwrap_or_else(|| self.laid_out(date));
        let (out, saved) = update_with(&*self.store, date, now, &fresh, change)?;
        self.notices.extend(saved.notices);
        Ok((out, saved.day, saved.stamp))
    }

    /// The saved days from `from` to `to`: an unreadable file is moved aside and said (see the
    /// notices), the rest kept.
    pub fn days_between(&mut self, from: Date, to: Date, now: Timestamp) -> Result<BTreeMap<Date, Day>, String> {
        let (days, notices) = load_days(&*self.store, from, to, now, &mut DayCache::default())?;
        self.notices.extend(notices);
        Ok(days)
    }

    /// Figures for every date from `from` to `to` (see [`crate::day::stats`]).
    pub fn stats(&mut self, from: Date, to: Date, now: Timestamp) -> Result<Stats, String> {
        let days = self.days_between(from, to, now)?;
        let settings = &self.settings;
        let test = self.test_date.is_some();
        let works = |date: Date| !test && settings.hours(date.weekday()).is_some();
        Ok(stats(from, to, &days, works, self.date_at(now), now))
    }

    /// Whether a file-sync engine left conflict copies of `date`'s day file in the data folder.
    pub fn has_conflict_copies(&self, date: Date) -> bool {
        self.store.conflict_copies(date) > 0
    }

    /// Whether the clock stands still (`--now`).
    pub fn clock_is_fixed(&self) -> bool {
        self.fixed_clock
    }

    /// Takes the notices gathered so far.
    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }
}

/// The clock of `--speed`: it runs from the start of the latest test day if that day is still
/// running at this speed (so a window and the commands that join its day see the same time), else
/// from now (a new test day starts there).
fn scaled_test_clock(store: &dyn DayStore, speed: f64) -> ScaledClock {
    let wall = Timestamp::now();
    let latest = store.dates().ok().and_then(|dates| dates.last().copied());
    let span = latest.and_then(|date| store.load(date, wall).ok()?.0?.span());
    match span {
        Some((start, end)) if start <= wall && ScaledClock::anchored(start, speed).now() < end => {
            ScaledClock::anchored(start, speed)
        }
        _ => ScaledClock::anchored(wall, speed),
    }
}

/// Days read before, by the stamp of the file they came from: a file that has not changed since is
/// not read again.
pub type DayCache = std::collections::HashMap<Date, (Stamp, Day)>;

/// The saved days from `from` to `to`, read through `cache` (no Bevy, no session: the history view
/// runs it on a thread of its own). An unreadable file is moved aside and said in the notices.
pub fn load_days(
    store: &dyn DayStore,
    from: Date,
    to: Date,
    now: Timestamp,
    cache: &mut DayCache,
) -> Result<(BTreeMap<Date, Day>, Vec<Notice>), String> {
    let mut days = BTreeMap::new();
    let mut notices = Vec::new();
    for date in store.dates().map_err(|e| e.to_string())?.into_iter().filter(|d| (from..=to).contains(d)) {
        let stamp = store.stamp(date);
        if let (Some(stamp), Some((seen, day))) = (stamp, cache.get(&date))
            && stamp == *seen
        {
            days.insert(date, day.clone());
            continue;
        }
        match store.load(date, now) {
            Ok((saved, more)) => {
                notices.extend(more);
                if let (Some(day), Some(stamp)) = (&saved, stamp) {
                    cache.insert(date, (stamp, day.clone()));
                }
                days.extend(saved.map(|day| (date, day)));
            }
            Err(e) => notices.push(Notice(e.to_string())),
        }
    }
    Ok((days, notices))
}

/// The date a new test day is saved under: today's, or the day after the latest test day when
/// that is today or later, so no earlier test day is ever replaced.
pub fn next_test_date(today: Date, latest: Option<Date>) -> Date {
    match latest {
        Some(latest) if latest >= today => latest.tomorrow().unwrap_or(latest),
        _ => today,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_test_day_takes_the_next_free_date() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(next_test_date(d("2026-11-25"), None), d("2026-11-25"));
        assert_eq!(next_test_date(d("2026-11-25"), Some(d("2026-11-20"))), d("2026-11-25"));
        assert_eq!(next_test_date(d("2026-11-25"), Some(d("2026-11-25"))), d("2026-11-26"));
        assert_eq!(next_test_date(d("2026-11-25"), Some(d("2026-11-27"))), d("2026-11-28"));
    }
}

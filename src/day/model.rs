//! A day's record and the rules for changing it.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::fmt;

use super::interval::{Interval, Kind, Phase, Rating, Timing};
use super::journal::Journal;
use super::schedule::{lay_out, lay_out_after, lay_out_from};
use super::text::{TextError, clean_intention};

/// Which pomodoro a rating goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateTarget {
    /// The pomodoro the user most likely means (see [`Day::rating_target`]).
    Default,
    /// The interval at this index.
    Index(usize),
}

/// Why an action was refused. Each reads as one clear line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionError {
    /// The text was refused.
    Text(TextError),
    /// Outside work hours.
    NoPomodoroNow,
    /// On a break.
    OnBreak(Kind),
    /// The grace period for setting an intention is over.
    TooLate { grace_ended: Timestamp },
    /// Abandoning needs an intention to abandon.
    NothingToAbandon,
    /// No pomodoro can be rated now.
    NothingToRate,
    /// That interval cannot be rated (a break, unintended, in the future, or its window closed).
    CannotRate { index: usize, reason: &'static str },
    /// The plan queue is full.
    PlanFull,
    /// The day has no pomodoro of that number.
    NoSuchPomodoro,
    /// The planned item to take back is no longer in the plan.
    NotPlanned,
    /// The plan has no item of that number.
    NoSuchPlanItem { number: usize, planned: usize },
    /// Start now: the work day is over (or this is a free day).
    DayOver { ended: Option<Timestamp> },
    /// Start now: the current pomodoro already has an intention.
    AlreadyIntended,
    /// Start now: the current pomodoro is still in its grace period.
    StillOpen { grace_ends: Timestamp },
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(e) => write!(f, "{e}"),
            Self::NoPomodoroNow => {
                write!(f, "no pomodoro now: it is outside work hours (use `plan` to queue an intention)")
            }
            Self::OnBreak(kind) => write!(f, "this is a {kind}, not a pomodoro (use `plan` to queue an intention)"),
            Self::TooLate { grace_ended } => write!(
                f,
                "too late: this pomodoro's grace period ended at {grace_ended}; it stays unintended (no harm done)"
            ),
            Self::NothingToAbandon => write!(f, "this pomodoro has no intention to abandon"),
            Self::NothingToRate => write!(f, "nothing to rate: no intended pomodoro is current or just finished"),
            Self::CannotRate { reason, .. } => write!(f, "that interval cannot be rated: {reason}"),
            Self::PlanFull => write!(f, "the plan already holds {MAX_PLAN} intentions"),
            Self::NoSuchPomodoro => write!(f, "the day has no pomodoro of that number (they count from 1)"),
            Self::NotPlanned => write!(f, "it is no longer in the plan: a pomodoro took it as its intention"),
            Self::NoSuchPlanItem { number, planned: 0 } => write!(f, "the plan is empty: there is no item {number}"),
            Self::NoSuchPlanItem { number, planned } => {
                write!(f, "the plan has no item {number}: its items are numbered 1 to {planned}")
            }
            Self::DayOver { ended: None } => {
                write!(f, "today is a free day: no pomodoro can start (set work hours in the settings)")
            }
            Self::DayOver { ended: Some(ended) } => write!(
                f,
                "the work day ended at {ended}: a pomodoro cannot start after the work hours (change them in the settings)"
            ),
            Self::AlreadyIntended => write!(f, "this pomodoro already has an intention: nothing to start again"),
            Self::StillOpen { grace_ends } => write!(
                f,
                "this pomodoro has just started: set its intention until {grace_ends} (nothing to start again)"
            ),
        }
    }
}

impl std::error::Error for ActionError {}

impl ActionError {
    /// The refusal as the user reads it: instants in their time zone (`Display` has no zone and
    /// writes UTC).
    pub fn describe(&self, tz: &jiff::tz::TimeZone) -> String {
        match self {
            Self::TooLate { grace_ended } => format!(
                "too late: this pomodoro's grace period ended at {}; it stays unintended (no harm done)",
                crate::format::clock(*grace_ended, tz)
            ),
            Self::DayOver { ended: Some(ended) } => format!(
                "the work day ended at {}: a pomodoro cannot start after the work hours (change them in the settings)",
                crate::format::clock(*ended, tz)
            ),
            Self::StillOpen { grace_ends } => format!(
                "this pomodoro has just started: set its intention until {} (nothing to start again)",
                crate::format::clock(*grace_ends, tz)
            ),
            other => other.to_string(),
        }
    }
}

impl From<TextError> for ActionError {
    fn from(e: TextError) -> Self {
        Self::Text(e)
    }
}

/// The most intentions the plan queue holds.
pub const MAX_PLAN: usize = 100;

/// One date's intervals, intentions, ratings, plan and journal: everything that is saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    pub date: Date,
    /// How long after a pomodoro starts its intention may be set.
    pub grace: SignedDuration,
    /// Contiguous, non-empty intervals in time order; empty on a free day.
    pub intervals: Vec<Interval>,
    /// Intentions queued for the next pomodoros, first in line first.
    #[serde(default)]
    pub plan: Vec<String>,
    #[serde(default)]
    pub journal: Journal,
    /// Pomodoros starting at or before this instant have already taken their planned intention.
    #[serde(default)]
    pub settled_until: Option<Timestamp>,
    /// Until when a window showed the day, as files written before this was kept in each
    /// machine's state folder (`DayStore::seen_until`) said: read as a fallback, never written
    /// (other machines share the day file, and a window would rewrite it at every interval's end).
    #[serde(default, skip_serializing)]
    pub seen_until: Option<Timestamp>,
    /// The plan's first items came from an earlier day's plan, left when that day ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried: Option<Carried>,
    /// When and where each field was set, what lost to a later value on another machine, and
    /// what intervals laid out again elsewhere held (see `day::sync`).
    #[serde(default, skip_serializing_if = "super::stamps::Sync::is_empty")]
    pub sync: super::stamps::Sync,
}

/// Plan items carried over from an earlier day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Carried {
    /// The day whose plan they were left in.
    pub from: Date,
    /// How many.
    pub count: usize,
}

impl Day {
    /// A day with intervals laid out over `span` (`None`: a free day).
    pub fn new(date: Date, span: Option<(Timestamp, Timestamp)>, timing: &Timing) -> Self {
        let intervals = span.map(|(start, end)| lay_out(start, end, timing)).unwrap_or_default();
        Self {
            date,
            grace: timing.grace,
            intervals,
            plan: Vec::new(),
            journal: Journal::default(),
            settled_until: None,
            seen_until: None,
            carried: None,
            sync: super::stamps::Sync::default(),
        }
    }

    /// Starts this (fresh) day's plan with what `earlier`'s plan still held, as many as the plan
    /// takes.
    pub fn carry_plan_from(&mut self, earlier: &Day) {
        let room = MAX_PLAN.saturating_sub(self.plan.len());
        let carried: Vec<String> = earlier.plan.iter().take(room).cloned().collect();
        if carried.is_empty() {
            return;
        }
        self.carried = Some(Carried { from: earlier.date, count: carried.len() });
        self.plan.splice(0..0, carried);
    }

    /// Lays out again what has not started by `now` for a new schedule (`span`, `timing`): intervals
    /// already started stay as they were, with what was recorded in them; the rest follows the new
    /// settings, continuing without a gap.
    pub fn relayout(&mut self, now: Timestamp, span: Option<(Timestamp, Timestamp)>, timing: &Timing) {
        let keep = self.intervals.partition_point(|iv| iv.start <= now);
        let dropped = self.intervals.split_off(keep);
        self.grace = timing.grace;
        if let Some((start, end)) = span {
            lay_out_after(&mut self.intervals, start, end, timing);
        }
        self.keep_recorded(dropped);
    }

    /// What intervals that were laid out anew held stays: an interval of the new layout with the
    /// same start and kind is the same pomodoro and takes it back; the rest is kept among the
    /// day's orphans (see `day::sync`), so that a merge with another machine's version can
    /// place it, and nothing is lost.
    fn keep_recorded(&mut self, dropped: Vec<Interval>) {
        for old in dropped {
            if old.intention.is_none() && old.rating.is_none() && old.abandoned.is_empty() {
                continue;
            }
            match self.intervals.iter_mut().find(|iv| iv.start == old.start && iv.kind == old.kind) {
                Some(iv) if iv.intention.is_none() && iv.rating.is_none() && iv.abandoned.is_empty() => {
                    (iv.intention, iv.rating, iv.abandoned) = (old.intention, old.rating, old.abandoned);
                }
                _ => {
                    let orphan = Interval { end: old.start, ..old };
                    let orphans = &mut self.sync.orphans;
                    let at = orphans.partition_point(|o| (o.start, o.kind as u8) < (orphan.start, orphan.kind as u8));
                    orphans.insert(at, orphan);
                }
            }
        }
    }

    /// The index of the interval that contains `at`. O(log n).
    pub fn interval_at(&self, at: Timestamp) -> Option<usize> {
        let i = self.intervals.partition_point(|iv| iv.end <= at);
        (i < self.intervals.len() && self.intervals[i].start <= at).then_some(i)
    }

    /// What is happening at `at`.
    pub fn phase_at(&self, at: Timestamp) -> Phase {
        self.interval_at(at).map_or(Phase::Off, |i| Phase::Interval(self.intervals[i].kind))
    }

    /// When the work day starts and ends, if it is a work day.
    pub fn span(&self) -> Option<(Timestamp, Timestamp)> {
        Some((self.intervals.first()?.start, self.intervals.last()?.end))
    }

    /// How people count pomodoros: interval `i` is the day's n-th pomodoro (from 1), if it is one.
    pub fn pomodoro_number(&self, i: usize) -> Option<usize> {
        let iv = self.intervals.get(i)?;
        (iv.kind == Kind::Pomodoro).then(|| self.intervals[..=i].iter().filter(|iv| iv.kind == Kind::Pomodoro).count())
    }

    /// A name for interval `i` as people read it: "pomodoro 4", "short break", …
    pub fn interval_name(&self, i: usize) -> String {
        match self.pomodoro_number(i) {
            Some(n) => format!("pomodoro {n}"),
            None => self.intervals.get(i).map_or_else(String::new, |iv| iv.kind.to_string()),
        }
    }

    /// When the intention grace period of interval `i` ends (pomodoros only).
    pub fn grace_end(&self, i: usize) -> Timestamp {
        let iv = &self.intervals[i];
        iv.start.saturating_add(self.grace).unwrap_or(iv.end).min(iv.end)
    }

    /// Indices of the pomodoros, in order.
    pub fn pomodoro_indices(&self) -> impl DoubleEndedIterator<Item = usize> + '_ {
        self.intervals.iter().enumerate().filter(|(_, iv)| iv.kind == Kind::Pomodoro).map(|(i, _)| i)
    }

    /// Until when the pomodoro at `i` may be rated: the end of the next pomodoro, or of the day.
    pub fn rating_window_end(&self, i: usize) -> Timestamp {
        self.intervals[i + 1..]
            .iter()
            .find(|iv| iv.kind == Kind::Pomodoro)
            .map_or_else(|| self.intervals.last().map_or(self.intervals[i].end, |l| l.end), |next| next.end)
    }

    /// Lets every pomodoro that has started by `now` take its planned intention, once. Cost follows
    /// the pomodoros started since the last call; an earlier `now` changes nothing.
    ///
    /// The day changes only when there is something to take, and then only as intervals start
    /// (`settled_until` becomes the last start, not `now`): a window left running rewrites no file
    /// for nothing, which matters once a sync engine carries the file. With an empty plan nothing
    /// is recorded; [`Day::plan`] records the instant as the plan gets its first item, so no
    /// pomodoro that started before takes it.
    pub fn settle(&mut self, now: Timestamp) {
        if self.plan.is_empty() || self.settled_until.is_some_and(|s| s >= now) {
            return;
        }
        let first = match self.settled_until {
            Some(s) => self.intervals.partition_point(|iv| iv.start <= s),
            None => 0,
        };
        let started = self.intervals.partition_point(|iv| iv.start <= now).max(first);
        for iv in &mut self.intervals[first..started] {
            if iv.kind == Kind::Pomodoro && iv.intention.is_none() && !self.plan.is_empty() {
                iv.intention = Some(self.plan.remove(0));
            }
        }
        if let Some(last) = started.checked_sub(1) {
            self.settled_until = self.settled_until.max(Some(self.intervals[last].start));
        }
    }

    fn current_pomodoro(&self, now: Timestamp) -> Result<usize, ActionError> {
        let i = self.interval_at(now).ok_or(ActionError::NoPomodoroNow)?;
        match self.intervals[i].kind {
            Kind::Pomodoro => Ok(i),
            kind => Err(ActionError::OnBreak(kind)),
        }
    }

    /// Sets or edits the current pomodoro's intention; allowed during its grace period.
    pub fn intend(&mut self, now: Timestamp, text: &str) -> Result<usize, ActionError> {
        let text = clean_intention(text)?;
        self.settle(now);
        let i = self.current_pomodoro(now)?;
        let grace_ended = self.grace_end(i);
        if now >= grace_ended {
            return Err(ActionError::TooLate { grace_ended });
        }
        self.intervals[i].intention = Some(text);
        Ok(i)
    }

    /// Replaces the current pomodoro's intention at any time during it; the old one is kept and
    /// counts as interrupted.
    pub fn abandon(&mut self, now: Timestamp, text: &str) -> Result<usize, ActionError> {
        let text = clean_intention(text)?;
        self.settle(now);
        let i = self.current_pomodoro(now)?;
        let iv = &mut self.intervals[i];
        let old = iv.intention.replace(text).ok_or(ActionError::NothingToAbandon)?;
        iv.abandoned.push(old);
        iv.rating = None;
        Ok(i)
    }

    /// Queues an intention for the next pomodoro that starts without one.
    pub fn plan(&mut self, now: Timestamp, text: &str) -> Result<usize, ActionError> {
        let text = clean_intention(text)?;
        self.settle(now);
        if self.plan.len() >= MAX_PLAN {
            return Err(ActionError::PlanFull);
        }
        if self.plan.is_empty() {
            // Pomodoros that started before now are past taking it (see `settle`).
            self.settled_until = self.settled_until.max(Some(now));
        }
        self.plan.push(text);
        Ok(self.plan.len())
    }

    /// Empties the plan queue.
    pub fn clear_plan(&mut self, now: Timestamp) {
        self.settle(now);
        self.plan.clear();
    }

    /// The plan item numbered `number` (from 1), as the user saw it: `was` is its text then. When a
    /// pomodoro took an earlier item meanwhile, the item is found by its text.
    fn plan_item(&self, number: usize, was: Option<&str>) -> Result<usize, ActionError> {
        let missing = ActionError::NoSuchPlanItem { number, planned: self.plan.len() };
        let at = number.checked_sub(1).ok_or(missing.clone())?;
        match was {
            None => (at < self.plan.len()).then_some(at).ok_or(missing),
            Some(was) if self.plan.get(at).is_some_and(|p| p == was) => Ok(at),
            Some(was) => self.plan.iter().position(|p| p == was).ok_or(ActionError::NotPlanned),
        }
    }

    /// Takes the plan's item `number` (from 1) out of the plan; returns its text.
    pub fn unplan_item(&mut self, now: Timestamp, number: usize, was: Option<&str>) -> Result<String, ActionError> {
        self.settle(now);
        let at = self.plan_item(number, was)?;
        Ok(self.plan.remove(at))
    }

    /// Moves the plan's item `number` to place `to` (both from 1; a place past the end is the
    /// end); returns its place now.
    pub fn move_plan_item(
        &mut self,
        now: Timestamp,
        number: usize,
        was: Option<&str>,
        to: usize,
    ) -> Result<usize, ActionError> {
        self.settle(now);
        let at = self.plan_item(number, was)?;
        let item = self.plan.remove(at);
        let to = to.saturating_sub(1).min(self.plan.len());
        self.plan.insert(to, item);
        Ok(to + 1)
    }

    /// Replaces the text of the plan's item `number` (from 1).
    pub fn edit_plan_item(
        &mut self,
        now: Timestamp,
        number: usize,
        was: Option<&str>,
        text: &str,
    ) -> Result<(), ActionError> {
        let text = clean_intention(text)?;
        self.settle(now);
        let at = self.plan_item(number, was)?;
        self.plan[at] = text;
        Ok(())
    }

    /// Starts a pomodoro now, for someone who missed one (or arrives mid-day): what has not started
    /// is laid out again from `now`, a pomodoro first, with its full grace period; what has passed
    /// stays as it was (the interval under way ends now). The day still ends at its work hours'
    /// end: the new pomodoro is cut there if less than a pomodoro is left. Returns the new
    /// pomodoro's index.
    pub fn start_now(&mut self, now: Timestamp, timing: &Timing) -> Result<usize, ActionError> {
        self.settle(now);
        let Some((_, end)) = self.span() else { return Err(ActionError::DayOver { ended: None }) };
        if now >= end {
            return Err(ActionError::DayOver { ended: Some(end) });
        }
        let keep = match self.interval_at(now) {
            None => 0,
            Some(i) => {
                let current = &self.intervals[i];
                if current.kind == Kind::Pomodoro && current.intention.is_some() {
                    return Err(ActionError::AlreadyIntended);
                }
                if current.kind == Kind::Pomodoro && now < self.grace_end(i) {
                    return Err(ActionError::StillOpen { grace_ends: self.grace_end(i) });
                }
                self.intervals[i].end = now;
                if self.intervals[i].start < now { i + 1 } else { i }
            }
        };
        let dropped = self.intervals.split_off(keep);
        self.grace = timing.grace;
        let first = self.intervals.len();
        lay_out_from(&mut self.intervals, now, end, timing, Kind::Pomodoro);
        self.keep_recorded(dropped);
        // The new pomodoro takes the plan's next intention, as any pomodoro that starts does
        // (never moving back: after a clock that went back, it may not).
        let before_now = Some(now.checked_sub(SignedDuration::from_nanos(1)).unwrap_or(now));
        self.settled_until = self.settled_until.max(before_now);
        self.settle(now);
        Ok(first)
    }

    /// What a pomodoro [`start_now`](Self::start_now) started says, a sentence each: which one
    /// starts, and until when its intention can be set (`how`: how to set it where the user is)
    /// or the plan's intention it took; and whether the work day's end cut it short.
    pub fn started_now_words(&self, i: usize, timing: &Timing, tz: &jiff::tz::TimeZone, how: &str) -> Vec<String> {
        let Some(iv) = self.intervals.get(i) else { return Vec::new() };
        let name = crate::format::capitalised(&self.interval_name(i));
        let mut said = vec![match &iv.intention {
            Some(text) => format!("{name} starts now, with the plan's next intention: {text}"),
            None => format!(
                "{name} starts now: set its intention until {} ({how}).",
                crate::format::clock(self.grace_end(i), tz)
            ),
        }];
        if iv.length() < timing.pomodoro {
            said.push(format!(
                "The work day ends at {}: this pomodoro is cut to {}.",
                crate::format::clock(iv.end, tz),
                crate::format::wait_words(iv.start, iv.end)
            ));
        }
        said
    }

    /// Why pomodoro `i` cannot be rated at `now`, if it cannot.
    fn rating_refusal(&self, i: usize, now: Timestamp) -> Option<&'static str> {
        let iv = self.intervals.get(i)?;
        if iv.kind != Kind::Pomodoro {
            Some("it is a break")
        } else if iv.start > now {
            Some("it has not started yet")
        } else if iv.intention.is_none() {
            Some("it had no intention")
        } else if now >= self.rating_window_end(i) {
            Some("ratings can change only until the next pomodoro ends")
        } else {
            None
        }
    }

    /// Whether pomodoro `i` can be rated at `now`.
    pub fn can_rate(&self, i: usize, now: Timestamp) -> bool {
        i < self.intervals.len() && self.rating_refusal(i, now).is_none()
    }

    /// The pomodoro a plain "rate" means at `now`: the last finished intended pomodoro if it is still
    /// unrated and ratable, else the current pomodoro if intended, else the last finished one if its
    /// rating may still change.
    pub fn rating_target(&self, now: Timestamp) -> Option<usize> {
        let current = self.interval_at(now).filter(|&i| self.intervals[i].kind == Kind::Pomodoro);
        let last_finished = self.pomodoro_indices().rev().find(|&i| self.intervals[i].end <= now);
        let ratable = |i: &usize| self.can_rate(*i, now);
        last_finished
            .filter(ratable)
            .filter(|&i| self.intervals[i].rating.is_none())
            .or_else(|| current.filter(ratable))
            .or_else(|| last_finished.filter(ratable))
    }

    /// Rates a pomodoro; returns its index.
    pub fn rate(&mut self, now: Timestamp, rating: Rating, target: RateTarget) -> Result<usize, ActionError> {
        self.settle(now);
        let i = match target {
            RateTarget::Default => self.rating_target(now).ok_or(ActionError::NothingToRate)?,
            RateTarget::Index(i) => {
                if i >= self.intervals.len() {
                    return Err(ActionError::CannotRate { index: i, reason: "there is no such interval" });
                }
                if let Some(reason) = self.rating_refusal(i, now) {
                    return Err(ActionError::CannotRate { index: i, reason });
                }
                i
            }
        };
        self.intervals[i].rating = Some(rating);
        Ok(i)
    }

    /// A starting point for the journal's "proud of": the day's achieved intentions, one per line.
    pub fn proud_suggestion(&self) -> String {
        self.achieved().map(|(_, text)| format!("- {text}")).collect::<Vec<_>>().join("\n")
    }

    /// The day's achieved intentions, in order.
    pub fn achieved(&self) -> impl Iterator<Item = (usize, &str)> {
        self.intervals.iter().enumerate().filter_map(|(i, iv)| match (&iv.intention, iv.rating) {
            (Some(text), Some(Rating::Achieved)) => Some((i, text.as_str())),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn mins(m: i64) -> SignedDuration {
        SignedDuration::from_mins(m)
    }

    fn day() -> (Day, Timestamp) {
        let start: Timestamp = "2026-11-24T09:00:00Z".parse().unwrap();
        let timing = crate::day::Settings::default().timing().unwrap();
        (Day::new(date(2026, 11, 24), Some((start, start + mins(8 * 60))), &timing), start)
    }

    #[test]
    fn intentions_only_during_grace() {
        let (mut d, t0) = day();
        assert_eq!(d.intend(t0 - mins(1), "x"), Err(ActionError::NoPomodoroNow));
        assert_eq!(d.intend(t0, "first"), Ok(0));
        assert_eq!(d.intend(t0 + mins(3), "first, edited"), Ok(0));
        assert_eq!(d.intervals[0].intention.as_deref(), Some("first, edited"));
        assert!(matches!(d.intend(t0 + mins(4), "late"), Err(ActionError::TooLate { .. })));
        assert_eq!(d.intend(t0 + mins(26), "break"), Err(ActionError::OnBreak(Kind::ShortBreak)));
        assert!(matches!(d.intend(t0 + mins(31), ""), Err(ActionError::Text(TextError::Empty))));
    }

    #[test]
    fn relayout_keeps_the_past() {
        let (mut d, t0) = day();
        d.intend(t0 + mins(31), "kept").unwrap();
        let timing = Timing { pomodoro: mins(50), ..crate::day::Settings::default().timing().unwrap() };
        d.relayout(t0 + mins(40), Some((t0, t0 + mins(200))), &timing);
        assert_eq!(d.intervals[2].intention.as_deref(), Some("kept"));
        assert_eq!(d.intervals[2].end, t0 + mins(55));
        assert_eq!(d.intervals[3].kind, Kind::ShortBreak);
        assert_eq!(d.intervals[4].length(), mins(50));
        assert_eq!(d.intervals.last().unwrap().end, t0 + mins(200));
        assert!(d.intervals.windows(2).all(|w| w[0].end == w[1].start));
    }

    #[test]
    fn abandon_keeps_the_old_intention() {
        let (mut d, t0) = day();
        assert_eq!(d.abandon(t0, "x"), Err(ActionError::NothingToAbandon));
        d.intend(t0, "old").unwrap();
        d.abandon(t0 + mins(20), "new").unwrap();
        assert_eq!(d.intervals[0].intention.as_deref(), Some("new"));
        assert_eq!(d.intervals[0].abandoned, ["old"]);
    }

    #[test]
    fn plans_are_taken_in_order_by_starting_pomodoros() {
        let (mut d, t0) = day();
        d.plan(t0 - mins(60), "one").unwrap();
        d.plan(t0 - mins(60), "two").unwrap();
        d.settle(t0 + mins(31));
        assert_eq!(d.intervals[0].intention.as_deref(), Some("one"));
        assert_eq!(d.intervals[2].intention.as_deref(), Some("two"));
        assert!(d.plan.is_empty());
        // Going back in time changes nothing.
        let before = d.clone();
        d.settle(t0);
        assert_eq!(d, before);
    }

    #[test]
    fn rating_window_and_target() {
        let (mut d, t0) = day();
        assert_eq!(d.rate(t0, Rating::Achieved, RateTarget::Default), Err(ActionError::NothingToRate));
        d.intend(t0, "a").unwrap();
        assert_eq!(d.rate(t0 + mins(10), Rating::Focused, RateTarget::Default), Ok(0));
        d.intend(t0 + mins(30), "b").unwrap();
        // During pomodoro 2, pomodoro 0 is rated already, so the current one is the target.
        assert_eq!(d.rating_target(t0 + mins(31)), Some(2));
        // Pomodoro 0's rating may change until pomodoro 2 ends (t0 + 55 min).
        assert_eq!(d.rate(t0 + mins(54), Rating::Achieved, RateTarget::Index(0)), Ok(0));
        assert!(d.rate(t0 + mins(55), Rating::Achieved, RateTarget::Index(0)).is_err());
        assert!(matches!(
            d.rate(t0, Rating::Achieved, RateTarget::Index(1)),
            Err(ActionError::CannotRate { index: 1, .. })
        ));
        assert_eq!(d.achieved().map(|(_, t)| t).collect::<Vec<_>>(), ["a"]);
        assert_eq!("Focused".parse::<Rating>(), Ok(Rating::Focused));
        assert!("great".parse::<Rating>().is_err());
    }

    #[test]
    fn start_now_lays_the_rest_out_from_now() {
        let (mut d, t0) = day();
        let timing = crate::day::Settings::default().timing().unwrap();
        let before = d.clone();
        // 11 minutes into the first pomodoro: its grace period (3 min) is over, no intention.
        let now = t0 + mins(11);
        let i = d.start_now(now, &timing).unwrap();
        assert_eq!(i, 1);
        assert_eq!((d.intervals[0].start, d.intervals[0].end), (t0, now), "what passed stays");
        assert_eq!(d.intervals[1].kind, Kind::Pomodoro);
        assert_eq!((d.intervals[1].start, d.intervals[1].end), (now, now + mins(25)));
        assert_eq!(d.intervals[2].kind, Kind::ShortBreak);
        assert_eq!(d.span(), before.span(), "the day still ends at its work hours' end");
        assert!(d.intervals.windows(2).all(|w| w[0].end == w[1].start && w[0].start < w[0].end));
        // Its full grace period: an intention can be set until now + 3 min.
        assert_eq!(d.intend(now + mins(2), "fresh start"), Ok(1));
    }

    #[test]
    fn start_now_cuts_a_break_and_takes_the_plan() {
        let (mut d, t0) = day();
        let timing = crate::day::Settings::default().timing().unwrap();
        d.plan(t0 - mins(5), "first").unwrap();
        d.plan(t0 - mins(5), "second").unwrap();
        d.settle(t0 + mins(27));
        assert_eq!(d.intervals[0].intention.as_deref(), Some("first"));
        let i = d.start_now(t0 + mins(27), &timing).unwrap();
        assert_eq!(d.intervals[1].kind, Kind::ShortBreak);
        assert_eq!(d.intervals[1].end, t0 + mins(27));
        assert_eq!(d.intervals[i].intention.as_deref(), Some("second"), "a pomodoro that starts takes the plan");
        assert!(d.plan.is_empty());
    }

    #[test]
    fn start_now_refuses_what_it_cannot_help() {
        let (mut d, t0) = day();
        let timing = crate::day::Settings::default().timing().unwrap();
        assert!(matches!(d.start_now(t0 + mins(1), &timing), Err(ActionError::StillOpen { .. })));
        d.intend(t0 + mins(1), "busy").unwrap();
        assert_eq!(d.start_now(t0 + mins(10), &timing), Err(ActionError::AlreadyIntended));
        let end = d.span().unwrap().1;
        assert_eq!(d.start_now(end, &timing), Err(ActionError::DayOver { ended: Some(end) }));
        let mut free = Day::new(d.date, None, &timing);
        assert_eq!(free.start_now(t0, &timing), Err(ActionError::DayOver { ended: None }));
        // Before the day starts, it starts now; near its end the pomodoro is cut at the end.
        let i = d.clone().start_now(t0 - mins(30), &timing).unwrap();
        assert_eq!(i, 0);
        let mut late = d.clone();
        let i = late.start_now(end - mins(10), &timing).unwrap();
        assert_eq!(late.intervals[i].length(), mins(10));
        assert_eq!(late.intervals.last().unwrap().end, end);
    }

    #[test]
    fn plan_items_are_removed_moved_and_edited() {
        let (mut d, t0) = day();
        let early = t0 - mins(10);
        for text in ["a", "b", "c"] {
            d.plan(early, text).unwrap();
        }
        assert_eq!(d.move_plan_item(early, 3, Some("c"), 1), Ok(1));
        assert_eq!(d.plan, ["c", "a", "b"]);
        assert_eq!(d.move_plan_item(early, 1, None, 99), Ok(3));
        assert_eq!(d.plan, ["a", "b", "c"]);
        d.edit_plan_item(early, 2, Some("b"), "  bee ").unwrap();
        assert_eq!(d.plan, ["a", "bee", "c"]);
        assert!(matches!(d.edit_plan_item(early, 2, None, " "), Err(ActionError::Text(_))));
        assert_eq!(d.unplan_item(early, 1, Some("a")), Ok("a".to_owned()));
        assert_eq!(d.plan, ["bee", "c"]);
        assert_eq!(d.unplan_item(early, 5, None), Err(ActionError::NoSuchPlanItem { number: 5, planned: 2 }));
        assert_eq!(d.unplan_item(early, 0, None), Err(ActionError::NoSuchPlanItem { number: 0, planned: 2 }));
        // The first pomodoro took "bee" meanwhile: "c", shown as item 2, is found as item 1.
        assert_eq!(d.unplan_item(t0 + mins(1), 2, Some("c")), Ok("c".to_owned()));
        assert_eq!(d.intervals[0].intention.as_deref(), Some("bee"));
        assert_eq!(d.unplan_item(t0 + mins(1), 1, Some("gone")), Err(ActionError::NotPlanned));
    }
}

//! What the clock face shows and when it next changes: how finely countdowns read (seconds when
//! someone watches, minutes otherwise), which countdowns show, and one [`NextChange`] report into
//! which every drawing module writes, each frame, when something it draws changes next. The power
//! plugin reads that report to decide how long the app may sleep; it knows no drawing module.
//! A bottom module: it depends on nothing else of the shell.

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use jiff::Timestamp;
use std::time::Duration;

use crate::day::{Day, Kind, Phase, Score};
use crate::format::{Detail, until_left_changes};

/// Something that shows seconds, or moves on every frame, is drawn at least this often.
pub const SECONDS_FRAME: Duration = Duration::from_secs(1);

/// How finely the countdowns are shown this frame: seconds while the window has focus, minutes
/// otherwise (and in a headless app, which has no window to focus).
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockDetail(pub Detail);

/// Draw every frame whatever the focus (for measuring frame rates): seconds shown, nothing asleep.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeepDrawing(pub bool);

/// Whether the clock face shows all its countdowns (see [`Countdowns::of`]): not in the mini view,
/// nor in the bar above a panel, where only the big countdown shows. Written by the screen layout.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShowsAll(pub bool);

impl Default for ShowsAll {
    fn default() -> Self {
        Self(true)
    }
}

/// When what is drawn changes next, as the drawing modules report it this frame (each in
/// [`ReportNextChange`]); the power plugin takes it after them and plans the sleep from it.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NextChange {
    /// The soonest something drawn changes by itself (a countdown's digit, the head's pixel).
    pub after: Option<Duration>,
    /// The soonest the day itself has something to say (its next event): a hidden window wakes
    /// only for this.
    pub event_after: Option<Duration>,
    /// Something moves on every frame while someone watches (sneks).
    pub every_frame: bool,
    /// What is drawn changed this frame: egui lays new text out in a first, invisible pass, so one
    /// more frame settles it.
    pub changed: bool,
    /// A frame is due this soon for an animation that plays (a bite), if one does.
    pub animation: Option<Duration>,
    /// A frame is due this soon for another window that shows whatever the main window's state
    /// (the overlay's pulse), if one is.
    pub beside: Option<Duration>,
}

impl NextChange {
    /// Something drawn changes in `after`.
    pub fn within(&mut self, after: Duration) {
        self.after = Some(self.after.map_or(after, |a| a.min(after)));
    }

    /// The day has an event (or a reminder) in `after`.
    pub fn event_within(&mut self, after: Duration) {
        self.event_after = Some(self.event_after.map_or(after, |a| a.min(after)));
        self.within(after);
    }

    /// Another window (the overlay) wants a frame in `after`, even while the main one is hidden.
    pub fn beside_within(&mut self, after: Duration) {
        self.beside = Some(self.beside.map_or(after, |a| a.min(after)));
    }

    /// An animation wants its next frame in `after`.
    pub fn animate_within(&mut self, after: Duration) {
        self.animation = Some(self.animation.map_or(after, |a| a.min(after)));
    }
}

/// The systems that write [`NextChange`]: after everything is brought up to date for drawing,
/// before the power plugin plans the sleep.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReportNextChange;

/// The reports may come in any order: each only brings [`NextChange`] closer (a minimum, an "or").
fn reports_commute(app: &mut App) {
    app.configure_sets(Update, ReportNextChange.ambiguous_with(ReportNextChange));
}

/// The countdowns the clock face shows at an instant. Drawing reads them here and so does the
/// report of the next change, which wakes the window exactly when one of them would read
/// differently.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Countdowns {
    /// The end of the current interval: the big countdown.
    pub interval_end: Option<Timestamp>,
    /// The start of the work day, while it is ahead ("in 12 min", always in minutes).
    pub work_start: Option<Timestamp>,
    /// The end of the current pomodoro's grace period, while it has no intention.
    pub grace_end: Option<Timestamp>,
    /// When the next point can no longer be had.
    pub at_risk: Option<Timestamp>,
}

impl Countdowns {
    /// What the face shows of `day` at `now`; `full` as [`ShowsAll`] says.
    pub fn of(day: &Day, now: Timestamp, score: &Score, full: bool) -> Self {
        let current = day.interval_at(now);
        let interval_end = match day.phase_at(now) {
            Phase::Interval(_) => current.map(|i| day.intervals[i].end).filter(|&end| end > now),
            _ => None,
        };
        let work_start = day.span().map(|(start, _)| start).filter(|&start| start > now && interval_end.is_none());
        let grace_end = current
            .filter(|&i| full && day.intervals[i].kind == Kind::Pomodoro && day.intervals[i].intention.is_none())
            .map(|i| day.grace_end(i))
            .filter(|&end| end > now);
        let at_risk = score.next_loss_at.filter(|&at| full && at > now);
        Self { interval_end, work_start, grace_end, at_risk }
    }

    /// How long until one of them reads differently: the interval's with `detail`, the secondary
    /// lines with [`Detail::secondary`], the wait for work in minutes.
    pub fn until_change(&self, now: Timestamp, detail: Detail) -> Option<Duration> {
        let main = self.interval_end.and_then(|at| until_left_changes(now, at, detail));
        let secondary = [self.grace_end, self.at_risk].into_iter().flatten();
        let secondary = secondary.filter_map(|at| until_left_changes(now, at, detail.secondary()));
        let wait = self.work_start.and_then(|at| until_left_changes(now, at, Detail::Minutes));
        main.into_iter().chain(secondary).chain(wait).min()
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<KeepDrawing>();
    app.init_resource::<ShowsAll>();
    app.init_resource::<NextChange>();
    app.insert_resource(ClockDetail(Detail::Minutes));
    app.add_systems(First, choose_clock_detail.after(bevy::ecs::message::MessageUpdateSystems));
    app.add_systems(Update, report_detail.in_set(ReportNextChange));
    reports_commute(app);
}

/// Runs first in the frame, before anything is drawn or planned: seconds for a focused window (or
/// one measured flat out), minutes for the rest. A focus change wakes the window loop, so the
/// detail switches on the very frame the focus does.
fn choose_clock_detail(
    windows: Query<&Window, With<PrimaryWindow>>,
    keep_drawing: Res<KeepDrawing>,
    mut detail: ResMut<ClockDetail>,
) {
    // A headless app has no window: its detail stays as set (minutes, unless a test says otherwise).
    let Ok(window) = windows.single() else { return };
    let next = if window.focused || keep_drawing.0 { Detail::Seconds } else { Detail::Minutes };
    detail.set_if_neq(ClockDetail(next));
}

/// A report for any state that shapes what is drawn (the open panel, the view): when it changes,
/// everything is laid out anew, and one more frame settles it.
pub fn report_state_change<S: States + Copy>(
    state: Res<State<S>>,
    mut last: Local<Option<S>>,
    mut next: ResMut<NextChange>,
) {
    let now = *state.get();
    next.changed |= last.replace(now).is_some_and(|was| was != now);
}

/// Runs with the other reports: seconds shown mean a frame a second (the snake's tongue and breath
/// move on those frames too), and a change of detail redraws every countdown.
fn report_detail(detail: Res<ClockDetail>, mut last: Local<Option<Detail>>, mut next: ResMut<NextChange>) {
    if detail.0 == Detail::Seconds {
        next.within(SECONDS_FRAME);
    }
    next.changed |= last.replace(detail.0).is_some_and(|was| was != detail.0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::Settings;
    use crate::format::Detail;
    use jiff::SignedDuration;

    #[test]
    fn the_countdowns_shown_are_the_ones_that_wake_the_window() {
        let start: Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
        let timing = Settings::default().timing().unwrap();
        let day =
            Day::new(jiff::civil::date(2026, 12, 1), Some((start, start + SignedDuration::from_mins(115))), &timing);
        let before = start - SignedDuration::from_secs(90);
        let shown = Countdowns::of(&day, before, &day.score(before), true);
        assert_eq!(shown.work_start, Some(start));
        assert_eq!(shown.interval_end, None);
        // "in 2 min" becomes "in 60 s" when a minute is left, 30 s from now; so does the next point
        // at risk's "6 min" (the first grace period's end, at 09:05).
        assert_eq!(shown.at_risk, Some(day.grace_end(0)));
        assert_eq!(shown.until_change(before, Detail::Minutes), Some(std::time::Duration::from_secs(30)));
        assert_eq!(shown.until_change(before, Detail::Seconds), Some(std::time::Duration::from_secs(1)));

        let now = start + SignedDuration::from_secs(61);
        let shown = Countdowns::of(&day, now, &day.score(now), true);
        assert_eq!(shown.interval_end, Some(start + SignedDuration::from_mins(25)));
        assert_eq!(shown.grace_end, Some(day.grace_end(0)));
        assert_eq!(shown.until_change(now, Detail::Seconds), Some(std::time::Duration::from_secs(1)));
        // "24 min" left of the pomodoro turns to "23 min" 59 s from now (the grace period's too).
        assert_eq!(shown.until_change(now, Detail::Minutes), Some(std::time::Duration::from_secs(59)));
        let mini = Countdowns::of(&day, now, &day.score(now), false);
        assert_eq!((mini.grace_end, mini.at_risk), (None, None));
    }
}

//! The test kit: what the crate's own tests and its integration tests share to drive the app
//! without a window. An in-memory session on a manual clock, a headless app with the core plugins
//! (it starts no client of a desktop server), a fixture day, a recorder for any message, and one
//! [`advance`] that moves every clock together. Small and plain, so it is built with the crate.

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;
use std::time::Duration;

use crate::day::{Clock, Day, ManualClock, Settings, day_span};
use crate::session::Session;
use crate::shell::actions::{Act, Applied, DayAction, Origin, Outcome};
use crate::shell::message_line::MessageLine;
use crate::store::{DayStore, MemoryDayStore};

/// A session on `store` with the manual `clock`, in UTC, with `settings`.
pub fn session_on(store: Arc<dyn DayStore>, clock: &ManualClock, settings: Settings) -> Session {
    Session::with(store, Arc::new(clock.clone()), TimeZone::UTC, settings)
}

/// A session kept in memory only, with the manual `clock`, in UTC, with `settings`.
pub fn memory_session(clock: &ManualClock, settings: Settings) -> Session {
    session_on(Arc::new(MemoryDayStore::default()), clock, settings)
}

/// A headless app: Bevy's minimal plugins, input, and the app's core plugins, without the day
/// (see [`headless_with`]).
pub fn headless() -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, bevy::input::InputPlugin));
    app.add_plugins(crate::shell::core_plugin);
    app
}

/// A headless app showing the day of `session` (not yet updated).
pub fn headless_with(session: Session) -> App {
    let mut app = headless();
    app.insert_resource(crate::shell::today::Today::new(session));
    app
}

/// `date`'s day laid out by the default settings (09:00–17:00, 25/5-minute intervals) in UTC.
pub fn fixture_day(date: Date) -> Day {
    let settings = Settings::default();
    let timing = settings.timing().expect("the default settings are valid");
    Day::new(date, day_span(date, &settings, &TimeZone::UTC), &timing)
}

/// Moves the day's clock and Bevy's clocks on by `by` together, and runs one frame.
pub fn advance(app: &mut App, clock: &ManualClock, by: Duration) {
    let by_signed = SignedDuration::try_from(by).expect("a step of the test clock fits");
    clock.set(clock.now() + by_signed);
    app.insert_resource(TimeUpdateStrategy::ManualDuration(by));
    app.update();
}

/// Does to the day what a user would (an [`Act`] from the keys), in one frame that moves no clock,
/// and gives back what came of it.
pub fn act(app: &mut App, action: DayAction) -> Result<Outcome, String> {
    let act = Act::new(action, Origin::Keys);
    app.world_mut().write_message(act.clone());
    app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::ZERO));
    app.update();
    let applied = app.world().resource::<Messages<Applied>>();
    let answer = applied.get_cursor().read(applied).filter(|a| a.act == act).last().cloned();
    answer.expect("every act is answered").result
}

/// The message the window shows now, if any.
pub fn message(app: &App) -> Option<String> {
    app.world().resource::<MessageLine>().text().map(str::to_owned)
}

/// Every message of type `T` written since [`Recorded::record`], in order.
#[derive(Resource, Debug)]
pub struct Recorded<T>(pub Vec<T>);

impl<T> Default for Recorded<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T: Message + Clone> Recorded<T> {
    /// Starts recording `T` in `app`: at the end of each frame, that frame's messages are kept.
    pub fn record(app: &mut App) {
        app.init_resource::<Self>();
        app.add_systems(Last, keep::<T>);
    }

    /// What `app` recorded so far.
    pub fn of(app: &App) -> &[T] {
        &app.world().resource::<Self>().0
    }
}

/// Every message of type `T` written since [`RecordedWhen::record`], with the day's instant and
/// date in the frame it came (to check that something came on time, on the right day).
#[derive(Resource, Debug)]
pub struct RecordedWhen<T>(pub Vec<(Timestamp, Date, T)>);

impl<T> Default for RecordedWhen<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T: Message + Clone> RecordedWhen<T> {
    /// Starts recording `T` in `app` (which shows a day), each with its frame's instant and date.
    pub fn record(app: &mut App) {
        app.init_resource::<Self>();
        app.add_systems(Last, keep_when::<T>);
    }

    /// What `app` recorded so far.
    pub fn of(app: &App) -> &[(Timestamp, Date, T)] {
        &app.world().resource::<Self>().0
    }
}

/// Runs last in the frame: this frame's messages of `T` join the record, with the day's instant.
fn keep_when<T: Message + Clone>(
    mut messages: MessageReader<T>,
    today: Option<Res<crate::shell::today::Today>>,
    mut recorded: ResMut<RecordedWhen<T>>,
) {
    let Some(today) = today else { return };
    recorded.0.extend(messages.read().map(|m| (today.now(), today.date(), m.clone())));
}

/// Runs last in the frame: this frame's messages of `T` join the record.
fn keep<T: Message + Clone>(mut messages: MessageReader<T>, mut recorded: ResMut<Recorded<T>>) {
    recorded.0.extend(messages.read().cloned());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_the_day_and_bevy_together() {
        let start: Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
        let clock = ManualClock::new(start);
        let mut app = headless_with(memory_session(&clock, Settings::default()));
        app.update();
        let real = app.world().resource::<Time<Real>>().elapsed();
        advance(&mut app, &clock, Duration::from_secs(5));
        assert_eq!(clock.now(), start + SignedDuration::from_secs(5));
        assert_eq!(app.world().resource::<crate::shell::today::Today>().now(), clock.now());
        assert_eq!(app.world().resource::<Time<Real>>().elapsed() - real, Duration::from_secs(5));
        assert_eq!(fixture_day(start.to_zoned(TimeZone::UTC).date()).span().map(|s| s.0), Some(start));
    }
}

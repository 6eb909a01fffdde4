//! The days behind today, for the history panel: a year of day files read on a worker thread
//! when the panel opens (a file unchanged since the last time is not read again), handed to
//! the frame when ready. Opening the panel never waits for the disk.

use bevy::prelude::*;
use bevy::winit::EventLoopProxyWrapper;
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::AppSystems;
use super::input::{Action, Panel};
use super::message_line::Tell;
use super::today::{DaySystems, Today};
use super::worker::{self, Inbox, LoopWaker, Worker};
use crate::day::{Day, Stats, stats};
use crate::session::{DayCache, load_days};

/// How many days the history reads: a year, for the calendar.
pub const HISTORY_YEAR_DAYS: i32 = 365;

/// A year of days, read and counted.
#[derive(Debug)]
pub struct Loaded {
    /// The first and last date read (the last is today).
    pub from: Date,
    pub to: Date,
    /// Every date's figures, from [`crate::day::stats`].
    pub year: Stats,
    /// The saved days, for the day shown in detail.
    pub days: BTreeMap<Date, Day>,
    /// How long reading and counting took.
    pub took: Duration,
    /// What the store had to say (a damaged file moved aside): told to the user.
    pub notices: Vec<String>,
}

/// The history as last read, and whether a read is in progress.
#[derive(Resource, Default)]
pub struct History {
    loaded: Option<Arc<Loaded>>,
    loading: bool,
    /// How many reads have come: what is worked out from a read is worked out again for the next.
    reads: u64,
}

impl History {
    /// The history as last read, if it was.
    pub fn loaded(&self) -> Option<&Arc<Loaded>> {
        self.loaded.as_ref()
    }

    /// Whether a read is in progress.
    pub fn is_loading(&self) -> bool {
        self.loading
    }

    /// Which read [`History::loaded`] is (counting from 1; 0 before the first).
    pub fn read_number(&self) -> u64 {
        self.reads
    }
}

/// A year to read: the dates, the store, and what decides a work day.
pub struct ReadYear {
    store: Arc<dyn crate::store::DayStore>,
    settings: crate::day::Settings,
    test: bool,
    from: Date,
    to: Date,
    now: jiff::Timestamp,
}

/// The reader's thread, as the app holds it: years go in, read and counted years come back.
pub type Reader = Worker<ReadYear, Result<Loaded, String>>;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<History>();
    app.add_systems(Startup, start_reader);
    app.add_systems(Update, (read_on_open, take_what_was_read).chain().in_set(AppSystems::Update).in_set(DaySystems));
}

/// Runs once: the reader's thread, which keeps the days it read (a file unchanged since is not
/// read again).
fn start_reader(mut commands: Commands, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let spawned = worker::spawn("history", LoopWaker::of(proxy.as_deref()), |inbox: Inbox<ReadYear, _>| {
        let mut cache = DayCache::default();
        while let Some(ReadYear { store, settings, test, from, to, now }) = inbox.next() {
            let started = Instant::now();
            let result = load_days(&*store, from, to, now, &mut cache).map(|(days, notices)| {
                let works = |date: Date| !test && settings.hours(date.weekday()).is_some();
                let year = stats(from, to, &days, works, to, now);
                let notices = notices.into_iter().map(|n| n.0).collect();
                Loaded { from, to, year, days, took: started.elapsed(), notices }
            });
            inbox.reply(result);
        }
    });
    match spawned {
        Ok(reader) => commands.insert_resource(reader),
        Err(e) => warn!("history: no thread to read it on ({e})"),
    }
}

/// Runs with the other actions: opening the history (or the list) starts a read of the year behind
/// it.
fn read_on_open(
    mut actions: MessageReader<Action>,
    mut history: ResMut<History>,
    today: Res<Today>,
    reader: Option<Res<Reader>>,
) {
    let Some(reader) = reader else { return };
    // The list shows the latest of the same days; the intention box offers the last week's open
    // intentions (a file unchanged since the last read is not read again).
    let opened = actions.read().any(|a| matches!(a, Action::Open(Panel::History | Panel::List | Panel::Intention)));
    if opened && !history.is_loading() {
        let session = today.session();
        let to = today.date();
        let from = to - jiff::Span::new().days(HISTORY_YEAR_DAYS - 1);
        history.loading = reader.send(ReadYear {
            store: session.store.clone(),
            settings: session.settings.clone(),
            test: session.test_date.is_some(),
            from,
            to,
            now: today.now(),
        });
    }
}

/// Runs right after: takes a finished read without waiting for one in progress.
fn take_what_was_read(mut history: ResMut<History>, reader: Option<Res<Reader>>, mut tell: MessageWriter<Tell>) {
    let Some(reader) = reader else { return };
    for result in reader.replies() {
        history.loading = false;
        match result {
            Ok(loaded) => {
                info!("history: {} days read and counted in {:?}", loaded.days.len(), loaded.took);
                // A damaged file was moved aside and the rest is shown: the user is told.
                if !loaded.notices.is_empty() {
                    let message = loaded.notices.join("\n");
                    warn!("history: {message}");
                    tell.write(Tell::show(message));
                }
                history.loaded = Some(Arc::new(loaded));
                history.reads += 1;
            }
            Err(e) => {
                tell.write(Tell::show(format!("The history could not be read: {e}")));
            }
        }
    }
}

//! The days behind today, for the history panel: a year of day files read on a thread of their
//! own when the panel opens (a file unchanged since the last time is not read again), handed to
//! the frame when ready. Opening the panel never waits for the disk.

use bevy::prelude::*;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::AppSystems;
use super::input::{Action, Panel};
use super::today::Today;
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

/// The history as last read, and a read in progress.
#[derive(Resource, Default)]
pub struct History {
    loaded: Option<Arc<Loaded>>,
    pending: Option<Mutex<Receiver<Result<Loaded, String>>>>,
    cache: Arc<Mutex<DayCache>>,
}

impl History {
    /// The history as last read, if it was.
    pub fn loaded(&self) -> Option<&Arc<Loaded>> {
        self.loaded.as_ref()
    }

    /// Whether a read is in progress.
    pub fn is_loading(&self) -> bool {
        self.pending.is_some()
    }

    /// Starts reading the year up to today's date on a thread; `wake` is told when it is done.
    fn request(&mut self, today: &Today, wake: Option<Box<dyn FnOnce() + Send>>) {
        let session = today.session();
        let (store, settings, cache) = (session.store.clone(), session.settings.clone(), self.cache.clone());
        let test = session.test_date.is_some();
        let (to, now) = (today.date(), today.now());
        let from = to - jiff::Span::new().days(HISTORY_YEAR_DAYS - 1);
        let (send, receive) = mpsc::channel();
        let spawned = std::thread::Builder::new().name("history".into()).spawn(move || {
            let started = Instant::now();
            let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
            let result = load_days(&*store, from, to, now, &mut cache).map(|(days, notices)| {
                let works = |date: Date| !test && settings.hours(date.weekday()).is_some();
                let year = stats(from, to, &days, works, to, now);
                let notices = notices.into_iter().map(|n| n.0).collect();
                Loaded { from, to, year, days, took: started.elapsed(), notices }
            });
            let _ = send.send(result);
            if let Some(wake) = wake {
                wake();
            }
        });
        match spawned {
            Ok(_) => self.pending = Some(Mutex::new(receive)),
            Err(e) => warn!("history: no thread to read it on ({e})"),
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<History>();
    app.add_systems(Update, (read_on_open, take_what_was_read).chain().in_set(AppSystems::Update));
}

/// Runs with the other actions: opening the history starts a read of the year behind it.
fn read_on_open(
    mut actions: MessageReader<Action>,
    mut history: ResMut<History>,
    today: Option<Res<Today>>,
    proxy: Option<Res<EventLoopProxyWrapper>>,
) {
    let Some(today) = today else { return };
    if actions.read().any(|a| matches!(a, Action::Open(Panel::History))) && !history.is_loading() {
        let wake = proxy.map(|proxy| {
            let proxy = (**proxy).clone();
            Box::new(move || {
                let _ = proxy.send_event(WinitUserEvent::WakeUp);
            }) as Box<dyn FnOnce() + Send>
        });
        history.request(&today, wake);
    }
}

/// Runs right after: takes a finished read without waiting for one in progress.
fn take_what_was_read(mut history: ResMut<History>, today: Option<ResMut<Today>>) {
    let Some(pending) = &history.pending else { return };
    let received = pending.lock().unwrap_or_else(|e| e.into_inner()).try_recv();
    match received {
        Err(TryRecvError::Empty) => {}
        Err(TryRecvError::Disconnected) => history.pending = None,
        Ok(result) => {
            history.pending = None;
            match result {
                Ok(loaded) => {
                    info!("history: {} days read and counted in {:?}", loaded.days.len(), loaded.took);
                    // A damaged file was moved aside and the rest is shown: the user is told.
                    if let (Some(mut today), false) = (today, loaded.notices.is_empty()) {
                        let message = loaded.notices.join("\n");
                        warn!("history: {message}");
                        today.tell(message);
                    }
                    history.loaded = Some(Arc::new(loaded));
                }
                Err(e) => {
                    if let Some(mut today) = today {
                        today.tell(format!("The history could not be read: {e}"));
                    }
                }
            }
        }
    }
}

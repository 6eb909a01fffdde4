//! The clock seam: the app reads the time through [`Clock`] so that tests (and `--now`) can fix it.

use jiff::Timestamp;
use std::sync::{Arc, Mutex};

/// Where "now" comes from.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// The operating system's wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that only moves when told to; clones share one time.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<Mutex<Timestamp>>);

impl ManualClock {
    /// A clock stopped at `at`.
    pub fn new(at: Timestamp) -> Self {
        Self(Arc::new(Mutex::new(at)))
    }

    /// Moves the clock to `at` (forwards or backwards).
    pub fn set(&self, at: Timestamp) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The wall clock run `speed` times faster from an origin: `origin + (wall − origin) × speed`. A
/// test day of 3 minutes passes in 3 / `speed` minutes (`--test-day --speed N`), so end-to-end
/// tests cross interval changes without waiting them out; processes that share the origin (the
/// test day's start) share the time.
#[derive(Clone, Copy, Debug)]
pub struct ScaledClock {
    origin: Timestamp,
    speed: f64,
}

impl ScaledClock {
    /// Runs `speed` times faster than the wall clock from `origin` on.
    pub fn anchored(origin: Timestamp, speed: f64) -> Self {
        Self { origin, speed }
    }
}

impl Clock for ScaledClock {
    fn now(&self) -> Timestamp {
        let wall = Timestamp::now().duration_since(self.origin);
        let scaled = jiff::SignedDuration::try_from_secs_f64(wall.as_secs_f64() * self.speed).unwrap_or(wall);
        self.origin.checked_add(scaled).unwrap_or(self.origin)
    }
}

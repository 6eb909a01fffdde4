//! The day model: plain Rust, no Bevy.
//!
//! A [`Day`] holds one date's intervals (laid out from the [`Settings`] when the day is first seen),
//! what the user intended and how they rated it, the plan queue and the journal. A [`DayEngine`]
//! wraps a day with a cursor so that [`DayEngine::advance_to`] reports every [`Event`] crossed since
//! the last call, in order, at a cost that follows the boundaries crossed and never the time elapsed.
//! Every rule takes the current time as an argument; where that time comes from is the [`Clock`] seam.

mod away;
mod clock;
mod engine;
mod interval;
mod journal;
mod look;
mod merge;
mod model;
pub mod overlay;
mod pick;
mod schedule;
mod score;
mod settings;
pub mod stamps;
mod stats;
pub mod sync;
mod text;
pub mod tray;

pub use away::{Away, away, just_before};
pub use clock::{Clock, ManualClock, ScaledClock, SystemClock};
pub use engine::{DayEngine, Event, TimedEvent};
pub use interval::{Interval, Kind, Phase, Rating, Timing};
pub use journal::{Journal, JournalField};
pub use look::{Edge, OverlayLook, OverlayStyle, Rgb, RingPlace, RingSize};
pub use merge::{SetAside, merge3};
pub use model::{ActionError, Carried, Day, RateTarget};
pub use overlay::Urgency;
pub use pick::{PICK_DAYS, QUICK_PICKS, quick_picks};
pub use schedule::{day_span, lay_out};
pub use score::{Points, Score, points_for};
pub use settings::{Alerts, Settings, SettingsError, WEEK, WorkHours};
pub use stats::{Counts, DayFigures, DayKind, Stats, Streaks, Totals, day_figures, stats};
pub use text::{
    INTENTION_MAX_CHARS, JOURNAL_MAX_CHARS, TextError, clean_intention, clean_journal, is_bidi_control, shown_safely,
};

//! The bottom of the day model: what an interval is, how it went, and how long each kind lasts.
//! Everything else in `day/` builds on these; they depend on nothing of it.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What an interval is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Pomodoro,
    ShortBreak,
    LongBreak,
}

/// What is happening now: an interval's kind, or nothing (outside work hours).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    Interval(Kind),
    Off,
}

impl Phase {
    /// The name used in `status --json`.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Interval(Kind::Pomodoro) => "pomodoro",
            Phase::Interval(Kind::ShortBreak) => "short_break",
            Phase::Interval(Kind::LongBreak) => "long_break",
            Phase::Off => "off",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Pomodoro => "pomodoro",
            Kind::ShortBreak => "short break",
            Kind::LongBreak => "long break",
        })
    }
}

/// How a pomodoro went, in the user's own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Achieved,
    Focused,
    Interrupted,
    Distracted,
}

impl Rating {
    /// All ratings, in the order of the keys `1`–`4`.
    pub const ALL: [Rating; 4] = [Rating::Achieved, Rating::Focused, Rating::Interrupted, Rating::Distracted];

    /// The lowercase name used on the command line and in exports.
    pub fn name(self) -> &'static str {
        match self {
            Rating::Achieved => "achieved",
            Rating::Focused => "focused",
            Rating::Interrupted => "interrupted",
            Rating::Distracted => "distracted",
        }
    }
}

impl std::str::FromStr for Rating {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rating::ALL
            .into_iter()
            .find(|r| r.name() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| format!("no such rating {s:?}: use achieved, focused, interrupted or distracted"))
    }
}

/// One interval of the day, with what the user made of it (for pomodoros).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    pub kind: Kind,
    pub start: Timestamp,
    pub end: Timestamp,
    /// What the user set out to do in this pomodoro.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intention: Option<String>,
    /// Intentions abandoned in this pomodoro, oldest first; each counts as interrupted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub abandoned: Vec<String>,
    /// How the intention went; `None` while unrated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
}

impl Interval {
    /// A fresh interval with nothing recorded.
    pub fn new(kind: Kind, start: Timestamp, end: Timestamp) -> Self {
        Self { kind, start, end, intention: None, abandoned: Vec::new(), rating: None }
    }

    /// How long the interval lasts.
    pub fn length(&self) -> SignedDuration {
        self.end.duration_since(self.start)
    }

    /// Whether `at` lies inside `[start, end)`.
    pub fn contains(&self, at: Timestamp) -> bool {
        self.start <= at && at < self.end
    }
}

/// Interval lengths, checked and ready for arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    pub pomodoro: SignedDuration,
    pub short_break: SignedDuration,
    pub long_break: SignedDuration,
    pub long_break_every: u32,
    pub grace: SignedDuration,
}

impl Timing {
    /// The `--test-day` timing: 30 s pomodoros, 10 s breaks, a 20 s grace period.
    pub const TEST_DAY: Timing = Timing {
        pomodoro: SignedDuration::from_secs(30),
        short_break: SignedDuration::from_secs(10),
        long_break: SignedDuration::from_secs(10),
        long_break_every: 4,
        grace: SignedDuration::from_secs(20),
    };

    /// How long a `--test-day` lasts.
    pub const TEST_DAY_LENGTH: SignedDuration = SignedDuration::from_mins(3);

    /// How long an interval of `kind` lasts.
    pub fn length(&self, kind: Kind) -> SignedDuration {
        match kind {
            Kind::Pomodoro => self.pomodoro,
            Kind::ShortBreak => self.short_break,
            Kind::LongBreak => self.long_break,
        }
    }
}

//! Pomodouroboros: a game-style pomodoro timer in which an ouroboros snake eats the work day.
//!
//! The crate is a functional core under an imperative shell:
//! - [`day`]: the day model (schedule, intervals, events, intentions, ratings, score, journal),
//!   plain Rust driven by an explicit clock;
//! - [`store`]: folders, atomic locked files, file formats;
//! - [`session`]: a clock, a time zone, the settings and a store, shared by the command line and the
//!   window;
//! - [`cli`]: the subcommands;
//! - [`desktop`]: the menu entry, icon and autostart entry;
//! - [`shell`]: the Bevy app, one plugin per feature;
//! - [`testing`]: the test kit (a headless app, an in-memory session, a message recorder).

pub mod cli;
pub mod day;
pub mod desktop;
pub mod format;
pub mod session;
pub mod shell;
pub mod store;
pub mod testing;

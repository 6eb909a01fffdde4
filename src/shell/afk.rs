//! Away from the keyboard: no keyboard or mouse input for `away_minutes` in work hours (the idle
//! client, `platform::idle`, says when it starts and ends). While away, notifications wait and the
//! window draws nothing (as a hidden one does); on return, the "while you were away" panel tells
//! the stretch, what passed in it, and offers to rate the pomodoros it overlapped (nothing is rated
//! for the user).

use bevy::prelude::*;
use jiff::{SignedDuration, Timestamp};
use std::time::Duration;

use super::AppSystems;
use super::platform::idle::{Idle, IdleReply, IdleRequest};
use super::today::{DaySystems, TickSteps, Today};
use super::unseen::Unseen;
use super::visibility::Unwatched;
use crate::day::Kind;

/// Since when the user has been away from the keyboard, while they are.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct AwayFromKeys(pub Option<Timestamp>);

impl AwayFromKeys {
    /// Whether the user is away now.
    pub fn is_away(&self) -> bool {
        self.0.is_some()
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<AwayFromKeys>();
    app.add_systems(Update, draw_nothing_while_away.in_set(AppSystems::Update));
    app.add_message::<IdleReply>();
    app.add_systems(Update, ask_idle_watch.in_set(AppSystems::Update).in_set(DaySystems));
    app.add_systems(
        Update,
        follow_idle.in_set(TickSteps::TakeIn).in_set(DaySystems).after(super::unseen::add_unseen_stretches),
    );
}

/// The idle time that is being away, on the wall clock: `away_minutes` of the day's clock, which
/// a test day may run faster. A test day's intervals are the settings' shrunk to 30 s pomodoros,
/// and so is this (5 minutes of a 25-minute pomodoro: 6 s).
fn threshold(today: &Today) -> Option<Duration> {
    let settings = &today.session().settings;
    let speed = today.session().speed.max(1.0);
    let mut seconds = f64::from(settings.away_minutes) * 60.0;
    if today.session().test_date.is_some() {
        seconds *= crate::day::Timing::TEST_DAY.pomodoro.as_secs_f64() / (f64::from(settings.pomodoro_minutes) * 60.0);
    }
    (settings.away_minutes > 0).then(|| Duration::from_secs_f64(seconds / speed))
}

/// Runs with the actions, acting when the threshold changes (at start, and when the settings
/// change): the idle client is told what to watch for.
fn ask_idle_watch(today: Res<Today>, idle: Option<Res<Idle>>, mut asked: Local<Option<Option<Duration>>>) {
    let Some(idle) = idle else { return };
    let wanted = threshold(&today);
    if *asked != Some(wanted) {
        *asked = Some(wanted);
        idle.send(IdleRequest::Watch(wanted));
    }
}

/// Runs with the actions: while the user is away nobody looks, and the window draws nothing until
/// they are back, once it has drawn its first frames (a window launched while nobody is at the
/// keyboard shows the day, not black).
fn draw_nothing_while_away(
    away: Res<AwayFromKeys>,
    launched: Option<Res<super::window::Launched>>,
    mut unwatched: ResMut<Unwatched>,
) {
    let starting = launched.is_some_and(|l| l.0.elapsed() < super::window::STARTING_FOR);
    unwatched.set_if_neq(Unwatched(away.is_away() && !starting));
}

/// Runs after the clock: the user went away (noted, with when it began) or came back; a stretch
/// that overlapped a pomodoro waits to be told in the away panel.
fn follow_idle(
    mut replies: MessageReader<IdleReply>,
    today: Res<Today>,
    launched: Option<Res<super::window::Launched>>,
    mut away: ResMut<AwayFromKeys>,
    mut unseen: ResMut<Unseen>,
) {
    let speed = today.session().speed.max(1.0);
    let on_day_clock = |wall: Duration| SignedDuration::try_from(wall.mul_f64(speed)).unwrap_or_default();
    for reply in replies.read() {
        let now = today.now();
        match *reply {
            IdleReply::Away { idle } => {
                // Input that stopped before the app started (a launch by autostart, a display
                // left alone) counts from the launch: what came before is the unseen stretch's.
                let running = launched.as_ref().map_or(idle, |l| l.0.elapsed());
                let since = now.checked_sub(on_day_clock(idle.min(running))).unwrap_or(now);
                info!("away from the keyboard since {}", crate::format::clock(since, &today.session().tz));
                away.0 = Some(since);
            }
            IdleReply::Back { ago } => {
                let Some(since) = away.0.take() else { continue };
                let back = now.checked_sub(on_day_clock(ago)).unwrap_or(now).max(since);
                let day = today.day();
                let overlapped =
                    day.intervals.iter().any(|iv| iv.kind == Kind::Pomodoro && iv.start < back && since < iv.end);
                let tz = &today.session().tz;
                let (from, to) = (crate::format::clock(since, tz), crate::format::clock(back, tz));
                if overlapped {
                    info!("back at the keyboard: away {from}–{to}, in a pomodoro");
                    unseen.add_keys_left(day, since, back);
                } else {
                    info!("back at the keyboard: away {from}–{to}, outside the pomodoros");
                }
            }
        }
    }
}

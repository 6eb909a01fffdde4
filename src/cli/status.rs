//! `status`: where the day stands, as text or one JSON object.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use std::fmt::Write as _;

use super::export::json_shown_safely;
use super::{Failure, emit};
use crate::day::{Day, Kind, Phase, Score};
use crate::format::{clock, mmss, rfc3339};
use crate::session::Session;

/// `status --json`.
#[derive(Serialize)]
struct StatusJson {
    date: String,
    now: String,
    phase: &'static str,
    interval_index: Option<usize>,
    interval_start: Option<String>,
    interval_end: Option<String>,
    seconds_left: Option<i64>,
    intention: Option<String>,
    rating: Option<&'static str>,
    grace_seconds_left: Option<i64>,
    score: f64,
    ideal_score: f64,
    points_possible: f64,
    streak: u32,
    next_loss_at: Option<String>,
    planned: Vec<String>,
    pomodoros: usize,
    achieved: Vec<String>,
}

fn report(day: &Day, now: Timestamp, tz: &TimeZone, score: &Score) -> StatusJson {
    let current = day.interval_at(now);
    let iv = current.map(|i| &day.intervals[i]);
    // Off hours: point at the next start today, if the day has not begun.
    let next_start = day.span().map(|(start, _)| start).filter(|&start| start > now);
    let end = iv.map(|iv| iv.end).or(next_start);
    let is_pomodoro = iv.is_some_and(|iv| iv.kind == Kind::Pomodoro);
    let grace_left =
        current.filter(|_| is_pomodoro).map(|i| day.grace_end(i).duration_since(now).as_secs()).filter(|&s| s > 0);
    StatusJson {
        date: day.date.to_string(),
        now: rfc3339(now, tz),
        phase: day.phase_at(now).name(),
        interval_index: current,
        interval_start: iv.map(|iv| rfc3339(iv.start, tz)),
        interval_end: end.map(|t| rfc3339(t, tz)),
        seconds_left: end.map(|t| t.duration_since(now).as_secs()),
        intention: iv.and_then(|iv| iv.intention.clone()),
        rating: iv.and_then(|iv| iv.rating).map(|r| r.name()),
        grace_seconds_left: grace_left,
        score: score.score.as_f64(),
        ideal_score: score.ideal.as_f64(),
        points_possible: score.possible.as_f64(),
        streak: score.streak,
        next_loss_at: score.next_loss_at.map(|t| rfc3339(t, tz)),
        planned: day.plan.clone(),
        pomodoros: day.pomodoro_indices().count(),
        achieved: day.achieved().map(|(_, t)| t.to_owned()).collect(),
    }
}

pub(super) fn print(session: &mut Session, now: Timestamp, json: bool) -> Result<(), Failure> {
    let date = session.date_at(now);
    let day = session.load_day(date, now)?;
    let tz = &session.tz;
    let score = day.score(now);
    let r = report(&day, now, tz, &score);
    if json {
        let json = serde_json::to_string(&r).map_err(|e| e.to_string())?;
        return emit(&(json_shown_safely(json) + "\n"));
    }
    let mut out = String::new();
    let left = r.seconds_left.map(mmss).unwrap_or_default();
    match (day.phase_at(now), r.interval_index) {
        (Phase::Interval(kind), Some(i)) => {
            let until = clock(day.intervals[i].end, tz);
            let what = match day.pomodoro_number(i) {
                Some(n) => format!("pomodoro {n} of {}", r.pomodoros),
                None => kind.to_string(),
            };
            _ = writeln!(out, "{} · {what} · {left} left (until {until})", r.date);
            if kind == Kind::Pomodoro {
                match (&r.intention, r.grace_seconds_left) {
                    (Some(text), _) => {
                        _ = writeln!(out, "Intention: {text} ({})", r.rating.unwrap_or("unrated"));
                    }
                    (None, Some(g)) => {
                        _ = writeln!(out, "No intention yet: {} left to set one (`intend \"…\"`)", mmss(g))
                    }
                    (None, None) => _ = writeln!(out, "No intention this time (that's fine)."),
                }
            }
        }
        _ => match day.span() {
            None => _ = writeln!(out, "{} · a free day: no pomodoros scheduled.", r.date),
            Some((start, _)) if start > now => {
                _ = writeln!(out, "{} · off · the day starts at {} (in {left})", r.date, clock(start, tz))
            }
            Some(_) => _ = writeln!(out, "{} · off · the work day is over.", r.date),
        },
    }
    _ = writeln!(
        out,
        "Score {} · ideal {} · still possible {} · streak {}",
        fmt(r.score),
        fmt(r.ideal_score),
        fmt(r.points_possible),
        r.streak
    );
    if let Some(at) = score.next_loss_at {
        _ = writeln!(out, "Next point at risk at {} (in {})", clock(at, tz), mmss(at.duration_since(now).as_secs()));
    }
    if !r.achieved.is_empty() {
        _ = writeln!(out, "Achieved today: {}", r.achieved.join(" · "));
    }
    if !r.planned.is_empty() {
        _ = writeln!(out, "Planned: {}", r.planned.join(" · "));
    }
    emit(&out)
}

fn fmt(points: f64) -> String {
    format!("{points:.2}")
}

//! `status`: where the day stands, as text or one JSON object.

use clap::Args;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use std::fmt::Write as _;

use super::export::json_shown_safely;
use super::{Failure, emit};
use crate::day::{Day, Kind, Phase, Score};
use crate::format::{clock, mmss, rfc3339, seconds_until, until_next_second};
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
    /// How many conflict copies a file sync left of this day were merged into it.
    merged_from: usize,
    /// How many values that lost to later ones set on another machine are kept aside, not yet
    /// let go.
    kept_aside: usize,
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
        merged_from: day.sync.merged_from.len(),
        kept_aside: crate::day::sync::aside_to_show(day).len(),
    }
}

/// Options of `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print one JSON object.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Print one line made from TEMPLATE, for status bars. Fields: {phase} (pomodoro, short
    /// break, long break, off), {left} (mm:ss), {left_min} (whole minutes, rounded up),
    /// {intention}, {rating}, {pomodoro} (its number, from 1), {pomodoros} (how many today),
    /// {score}, {ideal}, {possible} (still possible), {streak}, {date}; {{ and }} for braces.
    /// Example: --format '{phase} {left} {intention}'
    #[arg(long, value_name = "TEMPLATE", verbatim_doc_comment)]
    pub format: Option<String>,
    /// Print again each time the output would change, sleeping until the next second or event in
    /// between (no busy polling); ends quietly when its reader goes away. For waybar, polybar,
    /// i3blocks and the like.
    #[arg(long)]
    pub watch: bool,
}

/// The fields `--format` knows, in the order `--help` lists them.
pub const FIELDS: [&str; 12] = [
    "phase",
    "left",
    "left_min",
    "intention",
    "rating",
    "pomodoro",
    "pomodoros",
    "score",
    "ideal",
    "possible",
    "streak",
    "date",
];

pub(super) fn run(session: &mut Session, now: Timestamp, args: StatusArgs) -> Result<(), Failure> {
    if let Some(template) = &args.format {
        check_template(template)?;
    }
    if !args.watch {
        return print(session, now, &args);
    }
    if session.clock_is_fixed() {
        return Err("--watch follows the clock; it cannot be used with --now".to_owned().into());
    }
    watch(session, &args)
}

/// Prints whenever the text changes; between prints, sleeps until the next whole second of the
/// countdown or the next event. The day file is read again only when its stamp changes.
fn watch(session: &mut Session, args: &StatusArgs) -> Result<(), Failure> {
    let mut last = String::new();
    let mut seen: Option<(jiff::civil::Date, Option<crate::store::Stamp>, Day)> = None;
    loop {
        let now = session.now();
        let date = session.date_at(now);
        let stamp = session.store.stamp(date);
        let day = match seen.take() {
            Some((d, s, mut day)) if d == date && s == stamp && stamp.is_some() => {
                day.settle(now);
                day
            }
            _ => session.load_day(date, now)?,
        };
        let text = render_status(&day, now, &session.tz, args)?;
        if text != last {
            emit(&text)?;
            last = text;
        }
        let wait = until_next_change(&day, now);
        seen = Some((date, stamp, day));
        std::thread::sleep(wait.div_f64(session.speed));
    }
}

/// How long until what `status` shows may change: the next whole second of the countdown to the
/// current interval's end (or to the day's start), at most a second.
fn until_next_change(day: &Day, now: Timestamp) -> std::time::Duration {
    countdown_target(day, now).map_or(std::time::Duration::from_secs(1), |target| until_next_second(now, target))
}

/// What the countdown counts down to: the current interval's end, or the day's start.
fn countdown_target(day: &Day, now: Timestamp) -> Option<Timestamp> {
    day.interval_at(now).map(|i| day.intervals[i].end).or_else(|| day.span().map(|(s, _)| s).filter(|&s| s > now))
}

fn render_status(day: &Day, now: Timestamp, tz: &TimeZone, args: &StatusArgs) -> Result<String, String> {
    let score = day.score(now);
    let r = report(day, now, tz, &score);
    match &args.format {
        Some(template) => Ok(fill(template, |field| field_value(day, now, &r, field))? + "\n"),
        None if args.json => Ok(json_shown_safely(serde_json::to_string(&r).map_err(|e| e.to_string())?) + "\n"),
        None => Ok(text(day, now, tz, &score, &r)),
    }
}

fn field_value(day: &Day, now: Timestamp, r: &StatusJson, field: &str) -> Option<String> {
    let current = day.interval_at(now);
    let left = countdown_target(day, now).map(|t| seconds_until(now, t));
    Some(match field {
        "phase" => match day.phase_at(now) {
            Phase::Interval(kind) => kind.to_string(),
            Phase::Off => "off".to_owned(),
        },
        // Rounded up, as the window's countdown: 00:10 when a 10-second break starts.
        "left" => left.map(mmss).unwrap_or_default(),
        "left_min" => left.map(|s| ((s + 59) / 60).to_string()).unwrap_or_default(),
        "intention" => r.intention.clone().unwrap_or_default(),
        "rating" => r.rating.unwrap_or_default().to_owned(),
        "pomodoro" => current.and_then(|i| day.pomodoro_number(i)).map(|n| n.to_string()).unwrap_or_default(),
        "pomodoros" => r.pomodoros.to_string(),
        "score" => fmt(r.score),
        "ideal" => fmt(r.ideal_score),
        "possible" => fmt(r.points_possible),
        "streak" => r.streak.to_string(),
        "date" => r.date.clone(),
        _ => return None,
    })
}

/// Checks a `--format` template before anything is printed.
fn check_template(template: &str) -> Result<(), String> {
    fill(template, |field| FIELDS.contains(&field).then(String::new)).map(|_| ())
}

/// Replaces each `{field}` of `template` by `value(field)`; `{{` and `}}` are braces.
fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{") {
            out.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push('}');
            rest = after;
        } else if let Some(after) = tail.strip_prefix('{')
            && let Some(end) = after.find('}')
        {
            let field = &after[..end];
            out.push_str(&value(field).ok_or_else(|| {
                format!(
                    "--format: no field {{{field}}}; the fields are {}",
                    FIELDS.map(|f| format!("{{{f}}}")).join(" ")
                )
            })?);
            rest = &after[end + 1..];
        } else {
            return Err(format!("--format: a lone brace in {template:?} (write {{{{ or }}}} for a brace)"));
        }
    }
    out.push_str(rest);
    Ok(out)
}

fn print(session: &mut Session, now: Timestamp, args: &StatusArgs) -> Result<(), Failure> {
    let date = session.date_at(now);
    let day = session.load_day(date, now)?;
    emit(&render_status(&day, now, &session.tz, args)?)
}

/// The plain text `status` prints.
fn text(day: &Day, now: Timestamp, tz: &TimeZone, score: &Score, r: &StatusJson) -> String {
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
    out
}

fn fmt(points: f64) -> String {
    format!("{points:.2}")
}

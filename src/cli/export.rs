//! `export`: days as CSV or JSON on standard output.

use clap::{Args, ValueEnum};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use std::io::Write;

use super::Failure;
use crate::day::{Day, Journal, Kind, is_bidi_control, points_for, shown_safely};
use crate::format::rfc3339;
use crate::session::Session;

/// Options of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The output format.
    #[arg(long, value_enum)]
    pub format: Format,
    /// The first day (YYYY-MM-DD), inclusive.
    #[arg(long)]
    pub from: Option<Date>,
    /// The last day (YYYY-MM-DD), inclusive.
    #[arg(long)]
    pub to: Option<Date>,
}

/// Export formats.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Serialize)]
struct IntervalRow<'a> {
    index: usize,
    kind: &'static str,
    start: String,
    end: String,
    intention: Option<&'a str>,
    rating: Option<&'static str>,
    points: f64,
    abandoned: &'a [String],
}

#[derive(Serialize)]
struct DayJson<'a> {
    date: String,
    score: f64,
    ideal_score: f64,
    intervals: Vec<IntervalRow<'a>>,
    plan: &'a [String],
    journal: &'a Journal,
}

fn rows<'a>(day: &'a Day, session: &Session) -> Vec<IntervalRow<'a>> {
    day.intervals
        .iter()
        .enumerate()
        .map(|(index, iv)| IntervalRow {
            index,
            kind: match iv.kind {
                Kind::Pomodoro => "pomodoro",
                Kind::ShortBreak => "short_break",
                Kind::LongBreak => "long_break",
            },
            start: rfc3339(iv.start, &session.tz),
            end: rfc3339(iv.end, &session.tz),
            intention: iv.intention.as_deref(),
            rating: iv.rating.map(|r| r.name()),
            points: if iv.intention.is_some() { points_for(iv.rating).as_f64() } else { 0.0 },
            abandoned: &iv.abandoned,
        })
        .collect()
}

/// A CSV field a spreadsheet shows as the text it is: bidirectional controls neutralised, a leading
/// character that would start a formula (`=`, `+`, `-`, `@`, tab, carriage return) escaped with `'`,
/// and quoted when it needs it (RFC 4180).
fn csv_field(text: &str) -> String {
    let mut text = shown_safely(text).into_owned();
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        text.insert(0, '\'');
    }
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// JSON whose strings cannot reorder a terminal: bidirectional controls written as `\uXXXX`
/// escapes (the same text to a JSON reader).
pub(super) fn json_shown_safely(json: String) -> String {
    if !json.contains(is_bidi_control) {
        return json;
    }
    json.chars().fold(String::with_capacity(json.len()), |mut out, c| {
        if is_bidi_control(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
        out
    })
}

pub(super) fn run(session: &mut Session, now: Timestamp, args: ExportArgs) -> Result<(), Failure> {
    if let (Some(from), Some(to)) = (args.from, args.to)
        && from > to
    {
        return Err(format!("--from {from} is after --to {to}").into());
    }
    let dates: Vec<Date> = session
        .store
        .dates()
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|d| args.from.is_none_or(|f| *d >= f) && args.to.is_none_or(|t| *d <= t))
        .collect();
    let mut days = Vec::with_capacity(dates.len());
    for date in dates {
        let (saved, notices) = session.store.load(date, now).map_err(|e| e.to_string())?;
        session.notices.extend(notices);
        days.extend(saved);
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            let json: Vec<DayJson> = days
                .iter()
                .map(|day| {
                    let end = day.span().map_or(now, |(_, end)| end.max(now));
                    let score = day.score(end);
                    DayJson {
                        date: day.date.to_string(),
                        score: score.score.as_f64(),
                        ideal_score: score.ideal.as_f64(),
                        intervals: rows(day, session),
                        plan: &day.plan,
                        journal: &day.journal,
                    }
                })
                .collect();
            let json = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
            writeln!(out, "{}", json_shown_safely(json))?;
            Ok(out.flush()?)
        }
        Format::Csv => (|| {
            writeln!(out, "date,index,kind,start,end,intention,rating,points,abandoned")?;
            for day in &days {
                for row in rows(day, session) {
                    writeln!(
                        out,
                        "{},{},{},{},{},{},{},{},{}",
                        day.date,
                        row.index,
                        row.kind,
                        row.start,
                        row.end,
                        csv_field(row.intention.unwrap_or("")),
                        row.rating.unwrap_or(""),
                        row.points,
                        csv_field(&row.abandoned.join("; "))
                    )?;
                }
            }
            out.flush()
        })()
        .map_err(Failure::from),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_quoting() {
        assert_eq!(super::csv_field("plain"), "plain");
        assert_eq!(super::csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
    }

    #[test]
    fn csv_cells_never_start_a_formula_or_reorder() {
        assert_eq!(super::csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(super::csv_field("+1"), "'+1");
        assert_eq!(super::csv_field("-2"), "'-2");
        assert_eq!(super::csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::csv_field("a\u{202E}b"), "a\u{FFFD}b");
        assert_eq!(super::json_shown_safely("\"a\u{2066}b\"".into()), "\"a\\u2066b\"");
        let back: String = serde_json::from_str(&super::json_shown_safely("\"a\u{2066}b\"".into())).unwrap();
        assert_eq!(back, "a\u{2066}b");
    }
}

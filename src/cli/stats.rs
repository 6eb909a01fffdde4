//! `stats`: each day of a range and the totals, as a table or one JSON object.

use clap::Args;
use jiff::Timestamp;
use jiff::civil::Date;
use std::fmt::Write as _;

use super::export::json_shown_safely;
use super::{Failure, emit};
use crate::day::{DayKind, Stats};
use crate::session::Session;

/// The range `stats` shows when none is given, in days up to today.
pub const DEFAULT_DAYS: i32 = 30;
/// The longest range, in days (ten years).
pub const MAX_DAYS: i32 = 3660;

/// Options of `stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The first day (YYYY-MM-DD), inclusive; default: 29 days before --to.
    #[arg(long)]
    pub from: Option<Date>,
    /// The last day (YYYY-MM-DD), inclusive; default: today.
    #[arg(long)]
    pub to: Option<Date>,
    /// Print one JSON object: `days` (every date of the range, in order: date, kind, pomodoros,
    /// intended, achieved, focused, interrupted, distracted, score, ideal_score), `totals` (the
    /// same counts summed, and days_worked) and `streaks` (current, longest; in days).
    #[arg(long)]
    pub json: bool,
}

/// The range asked for, checked: `(from, to)`.
pub fn range(from: Option<Date>, to: Option<Date>, today: Date) -> Result<(Date, Date), String> {
    let to = to.unwrap_or(today);
    let from = match from {
        Some(from) => from,
        None => to.checked_sub(jiff::Span::new().days(DEFAULT_DAYS - 1)).map_err(|e| e.to_string())?,
    };
    if from > to {
        return Err(format!("--from {from} is after --to {to}"));
    }
    let days = (to - from).get_days() + 1;
    if days > MAX_DAYS {
        return Err(format!("{from} to {to} is {days} days; at most {MAX_DAYS} are shown at once"));
    }
    Ok((from, to))
}

pub(super) fn run(session: &mut Session, now: Timestamp, args: StatsArgs) -> Result<(), Failure> {
    let (from, to) = range(args.from, args.to, session.date_at(now))?;
    let stats = session.stats(from, to, now)?;
    if args.json {
        let json = serde_json::to_string_pretty(&stats).map_err(|e| e.to_string())?;
        return emit(&(json_shown_safely(json) + "\n"));
    }
    emit(&table(&stats))
}

fn table(stats: &Stats) -> String {
    let mut out =
        String::from("date        pomodoros intended achieved focused interrupted distracted  score / ideal\n");
    for d in &stats.days {
        let _ = match d.kind {
            DayKind::Free => writeln!(out, "{}  free day", d.date),
            DayKind::NotRecorded => writeln!(out, "{}  not recorded", d.date),
            DayKind::Worked => writeln!(
                out,
                "{}  {:>9} {:>8} {:>8} {:>7} {:>11} {:>10}  {:>5.2} / {:.2}",
                d.date,
                d.counts.pomodoros,
                d.counts.intended,
                d.counts.achieved,
                d.counts.focused,
                d.counts.interrupted,
                d.counts.distracted,
                d.counts.score,
                d.counts.ideal_score
            ),
        };
    }
    let t = &stats.totals;
    let _ = writeln!(
        out,
        "\n{} days worked: {} pomodoros, {} intended, {} achieved, {} focused, {} interrupted, {} distracted; \
         score {:.2} of an ideal {:.2}",
        t.days_worked,
        t.counts.pomodoros,
        t.counts.intended,
        t.counts.achieved,
        t.counts.focused,
        t.counts.interrupted,
        t.counts.distracted,
        t.counts.score,
        t.counts.ideal_score
    );
    let days = |n: u32| if n == 1 { "1 day".to_owned() } else { format!("{n} days") };
    let _ = writeln!(
        out,
        "Streak of days with an achieved pomodoro: {} now, {} at the longest",
        days(stats.streaks.current),
        days(stats.streaks.longest)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(range(None, None, d("2026-12-01")).unwrap(), (d("2026-11-02"), d("2026-12-01")));
        assert_eq!(range(Some(d("2026-11-30")), None, d("2026-12-01")).unwrap(), (d("2026-11-30"), d("2026-12-01")));
        assert!(range(Some(d("2026-12-02")), Some(d("2026-12-01")), d("2026-12-01")).unwrap_err().contains("after"));
        assert!(range(Some(d("2000-01-01")), None, d("2026-12-01")).unwrap_err().contains("at most"));
    }
}

//! Looking back: each date's figures over a range, their totals, and streaks of days on which
//! something was achieved. One function feeds both `pomodouroboros stats` and the history view.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

use super::interval::{Kind, Rating};
use super::model::Day;
use super::score::Points;

/// What a date was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// Work hours were set and the day was recorded.
    Worked,
    /// No work hours (a free day): neither a success nor a failure.
    Free,
    /// A work day with nothing recorded (no file): not worked, which is not a failure either.
    NotRecorded,
}

/// How many pomodoros there were, how many were intended and how each was rated, and the score
/// against the ideal: for one date, or summed over a range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Counts {
    pub pomodoros: u32,
    pub intended: u32,
    pub achieved: u32,
    pub focused: u32,
    pub interrupted: u32,
    pub distracted: u32,
    pub score: f64,
    pub ideal_score: f64,
}

impl Counts {
    /// Adds `other`'s pomodoros and ratings (the scores are summed apart, exactly, in hundredths).
    fn add_pomodoros(&mut self, other: &Counts) {
        self.pomodoros += other.pomodoros;
        self.intended += other.intended;
        self.achieved += other.achieved;
        self.focused += other.focused;
        self.interrupted += other.interrupted;
        self.distracted += other.distracted;
    }
}

/// One date's figures. A free day or a date with no file has zero pomodoros.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DayFigures {
    pub date: Date,
    pub kind: DayKind,
    #[serde(flatten)]
    pub counts: Counts,
}

/// The same counts, summed over the range, and how many days were worked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    pub days_worked: u32,
    #[serde(flatten)]
    pub counts: Counts,
}

/// Runs of work days with at least one achieved pomodoro, in days. Free days neither extend nor
/// break a run; a work day without an achievement breaks it, except today while it is not over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Streaks {
    pub current: u32,
    pub longest: u32,
}

/// Figures for every date of a range, in order, with totals and streaks.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    pub days: Vec<DayFigures>,
    pub totals: Totals,
    pub streaks: Streaks,
}

/// One date's figures: `day` as saved (if any), `works` whether the settings give it work hours,
/// scored as it stands at `now` (a past day's final score).
pub fn day_figures(date: Date, day: Option<&Day>, works: bool, now: Timestamp) -> DayFigures {
    let mut f = DayFigures { date, kind: DayKind::NotRecorded, counts: Counts::default() };
    let Some(day) = day else {
        f.kind = if works { DayKind::NotRecorded } else { DayKind::Free };
        return f;
    };
    if day.intervals.is_empty() {
        f.kind = DayKind::Free;
        return f;
    }
    f.kind = DayKind::Worked;
    let c = &mut f.counts;
    for iv in day.intervals.iter().filter(|iv| iv.kind == Kind::Pomodoro) {
        c.pomodoros += 1;
        if iv.intention.is_none() {
            continue;
        }
        c.intended += 1;
        match iv.rating {
            Some(Rating::Achieved) => c.achieved += 1,
            Some(Rating::Focused) => c.focused += 1,
            Some(Rating::Interrupted) => c.interrupted += 1,
            Some(Rating::Distracted) => c.distracted += 1,
            None => {}
        }
    }
    let score = day.score(now);
    (c.score, c.ideal_score) = (score.score.as_f64(), score.ideal.as_f64());
    f
}

/// Figures for every date from `from` to `to` (inclusive): `days` holds the saved ones, `works`
/// says whether a date without a file had work hours, `today` is the date still in progress.
pub fn stats(
    from: Date,
    to: Date,
    days: &BTreeMap<Date, Day>,
    works: impl Fn(Date) -> bool,
    today: Date,
    now: Timestamp,
) -> Stats {
    let mut out = Stats::default();
    let mut score = Points(0);
    let mut ideal = Points(0);
    let mut date = from;
    while date <= to {
        let f = day_figures(date, days.get(&date), works(date), now);
        // Back to hundredths (exact: day scores are whole hundredths), so the totals are exact.
        let hundredths = |points: f64| Points((points * 100.0).round() as u32);
        (score, ideal) = (score + hundredths(f.counts.score), ideal + hundredths(f.counts.ideal_score));
        out.totals.days_worked += u32::from(f.kind == DayKind::Worked);
        out.totals.counts.add_pomodoros(&f.counts);
        out.days.push(f);
        match date.tomorrow() {
            Ok(next) => date = next,
            Err(_) => break,
        }
    }
    // Summed in hundredths, so the totals are exactly the sum of the days.
    (out.totals.counts.score, out.totals.counts.ideal_score) = (score.as_f64(), ideal.as_f64());
    out.streaks = streaks(&out.days, today);
    out
}

fn streaks(days: &[DayFigures], today: Date) -> Streaks {
    let mut run = 0;
    let mut longest = 0;
    for f in days {
        match f.kind {
            DayKind::Free => {}
            _ if f.counts.achieved > 0 => {
                run += 1;
                longest = longest.max(run);
            }
            // Today, with nothing achieved yet, does not end the run.
            _ if f.date == today => {}
            _ => run = 0,
        }
    }
    Streaks { current: run, longest }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::{RateTarget, Settings, Timing};
    use jiff::SignedDuration;

    fn timing() -> Timing {
        Settings::default().timing().unwrap()
    }

    /// A 09:00–11:00 UTC day: four pomodoros (25/5, long break after the 4th).
    fn day(date: Date) -> Day {
        let start = date.to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp() + SignedDuration::from_hours(9);
        Day::new(date, Some((start, start + SignedDuration::from_hours(2))), &timing())
    }

    fn at(d: &Day, i: usize, mins: i64) -> Timestamp {
        d.intervals[i].start + SignedDuration::from_mins(mins)
    }

    #[test]
    fn figures_by_hand() {
        let (mon, tue, _wednesday, thu) = (
            jiff::civil::date(2026, 11, 23),
            jiff::civil::date(2026, 11, 24),
            jiff::civil::date(2026, 11, 25),
            jiff::civil::date(2026, 11, 26),
        );
        let sat = jiff::civil::date(2026, 11, 28);
        let mut days = BTreeMap::new();
        // Monday: pomodoro 1 achieved, 2 intended then abandoned for another and rated focused,
        // 3 intended and left unrated, 4 not intended.
        let mut m = day(mon);
        m.intend(at(&m, 0, 1), "one").unwrap();
        m.rate(at(&m, 1, 1), Rating::Achieved, RateTarget::Index(0)).unwrap();
        m.intend(at(&m, 2, 1), "two").unwrap();
        m.abandon(at(&m, 2, 10), "two, better").unwrap();
        m.rate(at(&m, 3, 1), Rating::Focused, RateTarget::Index(2)).unwrap();
        m.intend(at(&m, 4, 1), "three").unwrap();
        days.insert(mon, m);
        // Tuesday: nothing intended. Wednesday: no file. Thursday: one distracted.
        days.insert(tue, day(tue));
        let mut t = day(thu);
        t.intend(at(&t, 0, 1), "x").unwrap();
        t.rate(at(&t, 1, 1), Rating::Distracted, RateTarget::Index(0)).unwrap();
        days.insert(thu, t);
        // Saturday: a free day on file.
        days.insert(sat, Day::new(sat, None, &timing()));
        let now: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        let works = |d: Date| d.weekday().to_monday_zero_offset() < 5;
        let s = stats(mon, jiff::civil::date(2026, 11, 29), &days, works, jiff::civil::date(2026, 12, 1), now);
        assert_eq!(s.days.len(), 7);
        let m = s.days[0];
        assert_eq!(
            (m.kind, m.counts.pomodoros, m.counts.intended, m.counts.achieved, m.counts.focused),
            (DayKind::Worked, 4, 3, 1, 1)
        );
        assert_eq!((m.counts.interrupted, m.counts.distracted), (0, 0));
        // 1.25 + (1.00 + 0.10 streak) + (0.10 unrated + 0.20 streak) = 2.65; ideal 4 x 1.25 + 0.10 + 0.20 + 0.30.
        assert_eq!((m.counts.score, m.counts.ideal_score), (2.65, 5.6));
        assert_eq!((s.days[1].counts.intended, s.days[1].counts.score), (0, 0.0));
        assert_eq!((s.days[2].kind, s.days[2].counts.pomodoros), (DayKind::NotRecorded, 0));
        assert_eq!((s.days[3].counts.distracted, s.days[3].counts.score), (1, 0.1));
        assert_eq!(s.days[4].kind, DayKind::NotRecorded, "Friday, no file");
        assert_eq!((s.days[5].kind, s.days[6].kind), (DayKind::Free, DayKind::Free));
        assert_eq!(s.totals.counts.pomodoros, 12);
        assert_eq!(s.totals.days_worked, 3);
        assert!((s.totals.counts.score - 2.75).abs() < 1e-9);
        // Monday's achievement is a run of one, broken by Tuesday.
        assert_eq!(s.streaks, Streaks { current: 0, longest: 1 });
    }

    #[test]
    fn free_days_and_today_do_not_break_a_streak() {
        // Fri 20 … Mon 30 November: every work day achieved but the last, which is today.
        let dates: Vec<Date> = (0..11).map(|n| jiff::civil::date(2026, 11, 20) + jiff::Span::new().days(n)).collect();
        let today = dates[10];
        let mut days = BTreeMap::new();
        for &date in &dates {
            if date.weekday().to_monday_zero_offset() >= 5 {
                continue;
            }
            let mut d = day(date);
            if date < today {
                d.intend(at(&d, 0, 1), "x").unwrap();
                d.rate(at(&d, 1, 1), Rating::Achieved, RateTarget::Index(0)).unwrap();
            }
            days.insert(date, d);
        }
        let works = |d: Date| d.weekday().to_monday_zero_offset() < 5;
        let now: Timestamp = "2026-11-30T09:10:00Z".parse().unwrap();
        let s = stats(dates[0], today, &days, works, today, now);
        // Fri 20, (weekend), Mon 23 – Fri 27, (weekend), today: six days.
        assert_eq!(s.streaks, Streaks { current: 6, longest: 6 });
        // Seen from the next day, Monday the 30th went by without an achievement.
        let s = stats(dates[0], today, &days, works, today.tomorrow().unwrap(), now);
        assert_eq!(s.streaks, Streaks { current: 0, longest: 6 });
        // Totals are the sum of the days.
        let sum: f64 = s.days.iter().map(|d| d.counts.score).sum();
        assert!((s.totals.counts.score - sum).abs() < 1e-9);
        assert_eq!(s.totals.counts.achieved, s.days.iter().map(|d| d.counts.achieved).sum::<u32>());
    }
}

//! Points: rewards for intentions, never penalties.
//!
//! Points are kept in hundredths so that sums are exact.

use jiff::Timestamp;
use serde::Serialize;
use std::fmt;

use super::interval::Rating;
use super::model::Day;

/// A number of points, in hundredths.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Points(pub u32);

impl Points {
    /// As a float, for JSON and display.
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl std::ops::Add for Points {
    type Output = Points;
    fn add(self, rhs: Points) -> Points {
        Points(self.0 + rhs.0)
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        Points(iter.map(|p| p.0).sum())
    }
}

/// Points for an intended pomodoro rated `rating` (`None`: unrated).
pub const fn points_for(rating: Option<Rating>) -> Points {
    Points(match rating {
        Some(Rating::Achieved) => 125,
        Some(Rating::Focused) => 100,
        Some(Rating::Interrupted) => 20,
        Some(Rating::Distracted) => 10,
        None => 10,
    })
}

/// The most points one pomodoro can earn before its streak bonus.
pub const BEST_POMODORO: Points = points_for(Some(Rating::Achieved));
/// The streak bonus grows by this much with each consecutive intended pomodoro…
pub const STREAK_STEP: Points = Points(10);
/// …up to this much per pomodoro.
pub const STREAK_CAP: Points = Points(50);

/// The bonus of the `k`-th intended pomodoro in a row (`k` from 1).
pub fn streak_bonus(k: u32) -> Points {
    Points((STREAK_STEP.0 * k.saturating_sub(1)).min(STREAK_CAP.0))
}

/// Where the day stands at an instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Points earned by the pomodoros started so far, with their current ratings.
    pub score: Points,
    /// The day's best: every pomodoro intended and achieved.
    pub ideal: Points,
    /// The best final score still reachable today.
    pub possible: Points,
    /// Intended pomodoros in a row up to the latest one started.
    pub streak: u32,
    /// If nothing is done, the next instant at which `possible` drops.
    pub next_loss_at: Option<Timestamp>,
}

/// What one pomodoro contributes: earned now, and at best.
#[derive(Clone, Copy)]
struct Outlook {
    intended: bool,
    earned: Points,
    could_intend: bool,
    best: Points,
}

fn sum_with_streaks(items: impl Iterator<Item = (bool, Points)>) -> Points {
    let mut run = 0;
    let mut total = Points(0);
    for (intended, points) in items {
        run = if intended { run + 1 } else { 0 };
        if intended {
            total = total + points + streak_bonus(run);
        }
    }
    total
}

impl Day {
    fn outlook(&self, i: usize, now: Timestamp) -> Outlook {
        let iv = &self.intervals[i];
        let intended = iv.intention.is_some() && iv.start <= now;
        let earned = if intended { points_for(iv.rating) } else { Points(0) };
        if iv.start > now {
            return Outlook { intended, earned, could_intend: true, best: BEST_POMODORO };
        }
        if intended {
            let best = if now < self.rating_window_end(i) { BEST_POMODORO } else { earned };
            return Outlook { intended, earned, could_intend: true, best };
        }
        let could_intend = now < self.grace_end(i);
        Outlook { intended, earned, could_intend, best: if could_intend { BEST_POMODORO } else { Points(0) } }
    }

    /// The score at `now`. Cost: O(intervals), independent of the time of day.
    pub fn score(&self, now: Timestamp) -> Score {
        let outlooks: Vec<(usize, Outlook)> = self.pomodoro_indices().map(|i| (i, self.outlook(i, now))).collect();
        let score = sum_with_streaks(outlooks.iter().map(|(_, o)| (o.intended, o.earned)));
        let possible = sum_with_streaks(outlooks.iter().map(|(_, o)| (o.could_intend, o.best)));
        let ideal = sum_with_streaks(outlooks.iter().map(|_| (true, BEST_POMODORO)));
        let streak = outlooks
            .iter()
            .rev()
            // The current pomodoro, still open to an intention, neither extends nor breaks the streak.
            .filter(|(i, o)| self.intervals[*i].start <= now && (o.intended || !o.could_intend))
            .take_while(|(_, o)| o.intended)
            .count() as u32;
        Score { score, ideal, possible, streak, next_loss_at: self.next_loss_at(now, &outlooks) }
    }

    /// If the user does nothing, when does the best reachable score first drop? Either a grace period
    /// ends on a pomodoro that will have no intention (the plan queue fills the next ones), or the
    /// rating window closes on an intended pomodoro not yet rated achieved.
    fn next_loss_at(&self, now: Timestamp, outlooks: &[(usize, Outlook)]) -> Option<Timestamp> {
        let mut planned = self.plan.len();
        let mut earliest: Option<Timestamp> = None;
        let mut consider = |t: Timestamp| earliest = Some(earliest.map_or(t, |e| e.min(t)));
        for &(i, o) in outlooks {
            let iv = &self.intervals[i];
            if iv.start > now {
                if planned > 0 {
                    // It will take a planned intention, then lose if never rated.
                    planned -= 1;
                    consider(self.rating_window_end(i));
                } else {
                    consider(self.grace_end(i));
                    break; // later pomodoros start later still
                }
            } else if o.intended {
                if o.best > o.earned {
                    // Rated below achieved (or not yet): the window's close is a loss.
                    consider(self.rating_window_end(i));
                }
            } else if o.could_intend {
                consider(self.grace_end(i));
            }
        }
        earliest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::{RateTarget, Settings};
    use jiff::SignedDuration;
    use jiff::civil::date;

    fn mins(m: i64) -> SignedDuration {
        SignedDuration::from_mins(m)
    }

    /// Four pomodoros: 09:00–10:55.
    fn day() -> (Day, Timestamp) {
        let start: Timestamp = "2026-11-24T09:00:00Z".parse().unwrap();
        let timing = Settings::default().timing().unwrap();
        (Day::new(date(2026, 11, 24), Some((start, start + mins(115))), &timing), start)
    }

    #[test]
    fn streak_bonus_grows_and_caps() {
        assert_eq!(streak_bonus(1), Points(0));
        assert_eq!(streak_bonus(2), Points(10));
        assert_eq!(streak_bonus(6), Points(50));
        assert_eq!(streak_bonus(60), Points(50));
        assert_eq!(Points(125).to_string(), "1.25");
    }

    #[test]
    fn ideal_possible_and_score() {
        let (mut d, t0) = day();
        let ideal = Points(4 * 125 + 10 + 20 + 30);
        let s = d.score(t0 - mins(1));
        assert_eq!((s.score, s.ideal, s.possible), (Points(0), ideal, ideal));
        assert_eq!(s.next_loss_at, Some(t0 + mins(4)));
        d.intend(t0, "a").unwrap();
        let s = d.score(t0 + mins(1));
        assert_eq!(s.score, points_for(None));
        assert_eq!(s.possible, ideal);
        assert_eq!(s.streak, 1);
        // Nothing set for the second pomodoro: its grace end is the next loss.
        assert_eq!(s.next_loss_at, Some(t0 + mins(34)));
        d.rate(t0 + mins(20), Rating::Achieved, RateTarget::Default).unwrap();
        let s = d.score(t0 + mins(40));
        assert_eq!(s.score, Points(125));
        // Pomodoro 2 went by unintended: 3 left, streaks broken after the first.
        assert_eq!(s.possible, Points(125 + 125 + 125 + 10));
        assert_eq!(s.streak, 0);
    }

    #[test]
    fn planned_pomodoros_lose_nothing() {
        let (mut d, t0) = day();
        d.plan(t0 - mins(1), "p1").unwrap();
        d.plan(t0 - mins(1), "p2").unwrap();
        let s = d.score(t0 - mins(1));
        // Pomodoros 0 and 2 take the plan; left unrated, the first one's rating window closes when
        // pomodoro 2 ends, before pomodoro 4 (the first to go unintended) passes its grace period.
        assert_eq!(s.next_loss_at, Some(t0 + mins(55)));
        let mut d = d.clone();
        d.settle(t0);
        d.rate(t0, Rating::Achieved, RateTarget::Index(0)).unwrap();
        assert_eq!(d.score(t0).next_loss_at, Some(t0 + mins(60 + 4)));
    }
}

//! One day on several machines: what each user-set field of a day last was set to, when and on
//! which machine ([`Stamp`]), and [`merge`], which joins two versions of the same day so that every
//! machine reaches the same day whatever order the copies arrive in (it is commutative,
//! associative and idempotent: `tests/day_properties.rs` checks it) and loses nothing a user wrote:
//! the later value of a field wins, and a different value that lost is kept aside in the day.
//!
//! Fields (an interval's intention and rating, the plan, each journal field, the day's layout of
//! intervals) are named by keys such as `intention@2026-12-02T10:30:00Z`; the stamps are given by
//! the store as it saves a change ([`stamp_changes`]), so the day's own rules need not know about
//! machines. Days written before stamps existed have none: between two unstamped values the merge
//! still picks one the same way everywhere (by the values themselves), and keeps the other aside.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;

use super::interval::{Interval, Kind, Rating};
use super::journal::{Journal, JournalField};
use super::model::Day;
use super::stamps::join_replaced;
pub use super::stamps::{Aside, FieldStamp, Saves, Stamp, Sync};

/// The key of the day's layout (its intervals' kinds and times, and the grace period).
pub const LAYOUT: &str = "layout";
/// The key of the plan queue.
pub const PLAN: &str = "plan";

/// The key of the intention of the interval starting at `start`.
pub fn intention_key(start: Timestamp) -> String {
    format!("intention@{start}")
}

/// The key of the rating of the interval starting at `start`.
pub fn rating_key(start: Timestamp) -> String {
    format!("rating@{start}")
}

/// The key of the intentions abandoned in the interval starting at `start`.
pub fn abandoned_key(start: Timestamp) -> String {
    format!("abandoned@{start}")
}

/// The key of a journal field.
pub fn journal_key(field: JournalField) -> String {
    format!("journal {}", field.title())
}

/// A day's layout, comparable: kinds, starts and ends, and the grace period, in nanoseconds.
type Layout = (Vec<(u8, i128, i128)>, i128);

/// An interval's kind as a number, to order by.
fn rank(kind: Kind) -> u8 {
    match kind {
        Kind::Pomodoro => 0,
        Kind::ShortBreak => 1,
        Kind::LongBreak => 2,
    }
}

/// What names an interval across layouts: its start and kind.
type Slot = (Timestamp, u8);

fn slot(iv: &Interval) -> Slot {
    (iv.start, rank(iv.kind))
}

fn layout(day: &Day) -> Layout {
    let intervals =
        day.intervals.iter().map(|iv| (rank(iv.kind), iv.start.as_nanosecond(), iv.end.as_nanosecond())).collect();
    (intervals, day.grace.as_nanos())
}

/// Whether anything was recorded in an interval.
fn holds_something(iv: &Interval) -> bool {
    iv.intention.is_some() || iv.rating.is_some() || !iv.abandoned.is_empty()
}

/// Stamps every field that `after` changed from `before` (the saved day; `None` for a day that
/// had no file) with `stamp` (later, where the value replaced was stamped later still); returns
/// the latest stamp given, if any. A new day's layout is not stamped: two machines that lay out
/// the same day alike agree without it.
///
/// `stamp.at` must be later than every stamp this machine gave before (the store keeps the last
/// one), or a value set here could count as one that a later writer had seen and replaced.
pub fn stamp_changes(before: Option<&Day>, after: &mut Day, stamp: Stamp) -> Option<Stamp> {
    let mut changed = Vec::new();
    let empty = Day { intervals: Vec::new(), ..after.clone() };
    let old = before.unwrap_or(&empty);
    if before.is_some() && layout(old) != layout(after) {
        changed.push(LAYOUT.to_owned());
    }
    let earlier: BTreeMap<Slot, &Interval> = old.intervals.iter().map(|iv| (slot(iv), iv)).collect();
    for iv in &after.intervals {
        let was = earlier.get(&slot(iv));
        if was.map_or(&None, |w| &w.intention) != &iv.intention {
            changed.push(intention_key(iv.start));
        }
        if was.map_or(&None, |w| &w.rating) != &iv.rating {
            changed.push(rating_key(iv.start));
        }
        if was.map_or(&[][..], |w| &w.abandoned[..]) != &iv.abandoned[..] {
            changed.push(abandoned_key(iv.start));
        }
    }
    if before.map_or(!after.plan.is_empty(), |b| b.plan != after.plan) {
        changed.push(PLAN.to_owned());
    }
    for field in JournalField::ALL {
        let was = before.map_or("", |b| b.journal.get(field));
        if was != after.journal.get(field) {
            changed.push(journal_key(field));
        }
    }
    let mut issued = None;
    for key in changed {
        // The writer had the saved version in front of it: whatever that knew is replaced, and
        // the new value is later than it even where this machine's clock is behind.
        let was = old.sync.set.get(&key);
        let last = match was.map(|f| f.last) {
            Some(k) if k >= stamp => Stamp { at: k.at + jiff::SignedDuration::from_nanos(1), ..stamp },
            _ => stamp,
        };
        after.sync.set.insert(key, FieldStamp { last, replaced: was.map(FieldStamp::seen).unwrap_or_default() });
        issued = issued.max(Some(last));
    }
    // What intervals the change laid out anew held is kept, as orphans, and the day is put in
    // the one form a merge gives (orphans a layout holds again folded back, in order).
    let now_held: BTreeSet<Slot> = after.intervals.iter().map(slot).collect();
    let dropped: Vec<Interval> =
        old.intervals.iter().filter(|iv| holds_something(iv) && !now_held.contains(&slot(iv))).cloned().collect();
    if !dropped.is_empty() || !after.sync.orphans.is_empty() {
        after.sync.orphans.extend(dropped);
        *after = merge(after, after);
    }
    issued
}

/// What one version of a day says of one field: its stamp and its value.
type Candidate<T> = (Option<Stamp>, T);

/// The winner among candidates (the latest stamp; between equal stamps, the greater value), and
/// every other candidate whose value differs from it.
fn latest<T: Ord + Clone>(candidates: Vec<Candidate<T>>) -> (Candidate<T>, Vec<Candidate<T>>) {
    let winner = candidates.iter().max().expect("a candidate at least").clone();
    let losers = candidates.into_iter().filter(|(_, v)| *v != winner.1).collect();
    (winner, losers)
}

/// What the versions recorded in one interval, by key (kind and start).
#[derive(Default)]
struct Recorded<'a> {
    intentions: Vec<Candidate<Option<String>>>,
    ratings: Vec<Candidate<Option<&'static str>>>,
    abandoned: Vec<Candidate<&'a [String]>>,
}

/// An interval's recorded fields, merged.
type Filled = (Option<String>, Option<Rating>, Vec<String>);

/// Joins two versions of the same day (see the module's documentation). The result always makes
/// sense as a day: its layout is one of the two.
pub fn merge(a: &Day, b: &Day) -> Day {
    let both = [a, b];
    let stamp = |day: &Day, key: &str| day.sync.stamp(key);
    let mut aside: BTreeSet<Aside> = a.sync.aside.union(&b.sync.aside).cloned().collect();
    let mut set: BTreeMap<String, FieldStamp> = a.sync.set.clone();
    for (key, theirs) in &b.sync.set {
        let known = set.entry(key.clone()).or_insert_with(|| theirs.clone());
        known.last = known.last.max(theirs.last);
        join_replaced(&mut known.replaced, &theirs.replaced);
    }
    let mut lose = |key: &str, stamp: Option<Stamp>, value: String| {
        aside.insert((key.to_owned(), value, stamp));
    };

    // The layout: the later one, or the greater where neither is stamped.
    let base = *both.iter().max_by_key(|d| (stamp(d, LAYOUT), layout(d))).expect("two days");

    // Everything recorded in intervals, in either version's layout or among its orphans.
    let mut recorded: BTreeMap<Slot, (Kind, Recorded)> = BTreeMap::new();
    for day in both {
        for iv in day.intervals.iter().chain(&day.sync.orphans) {
            let (_, r) = recorded.entry(slot(iv)).or_insert_with(|| (iv.kind, Recorded::default()));
            r.intentions.push((stamp(day, &intention_key(iv.start)), iv.intention.clone()));
            r.ratings.push((stamp(day, &rating_key(iv.start)), iv.rating.map(Rating::name)));
            r.abandoned.push((stamp(day, &abandoned_key(iv.start)), &iv.abandoned));
        }
    }
    let mut filled: BTreeMap<Slot, (Kind, Filled)> = BTreeMap::new();
    for ((start, rank), (kind, r)) in recorded {
        let ((_, intention), lost) = latest(r.intentions);
        for (s, text) in lost {
            if let Some(text) = text {
                lose(&intention_key(start), s, text);
            }
        }
        let ((_, rating), lost) = latest(r.ratings);
        for (s, name) in lost {
            if let Some(name) = name {
                lose(&rating_key(start), s, name.to_owned());
            }
        }
        let rating = rating.and_then(|name| name.parse().ok());
        // The list of abandoned intentions, whole, as the plan: the later list; what the other
        // holds and it lacks is kept aside.
        let ((_, abandoned), lost) = latest(r.abandoned);
        for (s, list) in lost {
            for text in list.iter().filter(|t| !abandoned.contains(t)) {
                lose(&abandoned_key(start), s, text.clone());
            }
        }
        let abandoned = abandoned.to_vec();
        filled.insert((start, rank), (kind, (intention, rating, abandoned)));
    }
    let mut intervals = Vec::with_capacity(base.intervals.len());
    for iv in &base.intervals {
        let (intention, rating, abandoned) = filled.remove(&slot(iv)).map(|(_, f)| f).unwrap_or_default();
        intervals.push(Interval { intention, rating, abandoned, ..Interval::new(iv.kind, iv.start, iv.end) });
    }
    let orphans = filled
        .into_iter()
        .map(|((start, _), (kind, (intention, rating, abandoned)))| Interval {
            intention,
            rating,
            abandoned,
            // An orphan is named by its kind and start; how long it was does not matter.
            ..Interval::new(kind, start, start)
        })
        .filter(holds_something)
        .collect();

    // The plan, whole: the later queue; items of the other that it lacks are kept aside.
    let plans = both.map(|d| (stamp(d, PLAN), (d.plan.clone(), d.carried.clone().map(|c| (c.from, c.count)))));
    let ((_, (plan, carried)), lost) = latest(plans.to_vec());
    for (s, (items, _)) in lost {
        for item in items.into_iter().filter(|i| !plan.contains(i)) {
            lose(PLAN, s, item);
        }
    }

    let mut journal = Journal::default();
    for field in JournalField::ALL {
        let key = journal_key(field);
        let texts = both.map(|d| (stamp(d, &key), d.journal.get(field).to_owned()));
        let ((_, text), lost) = latest(texts.to_vec());
        for (s, other) in lost.into_iter().filter(|(_, t)| !t.is_empty()) {
            lose(&key, s, other);
        }
        *journal.get_mut(field) = text;
    }

    let let_go = a.sync.let_go.union(&b.sync.let_go).cloned().collect();
    let merged_from = a.sync.merged_from.union(&b.sync.merged_from).cloned().collect();
    let mut sync = Sync { set, aside: BTreeSet::new(), orphans, let_go, merged_from };
    // One entry for each field and value (the latest stamp it lost with); none for what a writer
    // replaced knowingly (superseded, not lost: a merge that did not know it yet may have kept it
    // aside) nor for what the field holds again now, unless unstamped: a panel keeps a value so
    // while the field still holds it, because the user's text in its box is about to replace it
    // as a change that saw it (see [`aside_to_show`] for what is shown).
    let mut latest_aside: BTreeMap<(String, String), Option<Stamp>> = BTreeMap::new();
    for (key, value, s) in aside {
        // Unstamped (kept by a panel's own merge, or from before stamps) stays unstamped: no save
        // ever counts it as replaced.
        let known = latest_aside.entry((key, value)).or_insert(s);
        *known = known.zip(s).map(|(a, b)| a.max(b));
    }
    let held: BTreeMap<String, Vec<String>> = current_values(&intervals, &sync.orphans, &plan, &journal);
    for ((key, value), s) in latest_aside {
        let holds = held.get(&key).is_some_and(|values| values.contains(&value));
        if (s.is_none() || !holds) && !sync.superseded(&key, s) {
            sync.aside.insert((key, value, s));
        }
    }
    Day {
        date: base.date,
        grace: base.grace,
        intervals,
        plan,
        journal,
        settled_until: a.settled_until.max(b.settled_until),
        seen_until: a.seen_until.max(b.seen_until),
        carried: carried.map(|(from, count)| super::model::Carried { from, count }),
        sync,
    }
}

/// The values kept aside that are still to be shown, as (field key, value), oldest loss first:
/// not let go, and not what their field holds now.
pub fn aside_to_show(day: &Day) -> Vec<(&str, &str)> {
    let held = current_values(&day.intervals, &day.sync.orphans, &day.plan, &day.journal);
    let holds = |key: &str, value: &str| held.get(key).is_some_and(|values| values.iter().any(|v| v == value));
    day.sync.shown_aside_all().filter(|(key, value)| !holds(key, value)).collect()
}

/// What each field holds, by key, as the values an aside entry would show.
fn current_values(
    intervals: &[Interval],
    orphans: &[Interval],
    plan: &[String],
    journal: &Journal,
) -> BTreeMap<String, Vec<String>> {
    let mut held = BTreeMap::new();
    for iv in intervals.iter().chain(orphans) {
        held.insert(intention_key(iv.start), iv.intention.iter().cloned().collect());
        held.insert(rating_key(iv.start), iv.rating.iter().map(|r| r.name().to_owned()).collect());
        held.insert(abandoned_key(iv.start), iv.abandoned.clone());
    }
    held.insert(PLAN.to_owned(), plan.to_vec());
    for field in JournalField::ALL {
        held.insert(journal_key(field), vec![journal.get(field).to_owned()]);
    }
    held
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::Settings;
    use jiff::SignedDuration;

    fn day() -> (Day, Timestamp) {
        let start: Timestamp = "2026-12-02T09:00:00Z".parse().unwrap();
        let timing = Settings::default().timing().unwrap();
        let day =
            Day::new(jiff::civil::date(2026, 12, 2), Some((start, start + SignedDuration::from_hours(2))), &timing);
        (day, start)
    }

    fn stamp(secs: i64, machine: u64) -> Stamp {
        let at = "2026-12-02T09:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_secs(secs);
        Stamp { at, machine, save: secs as u64 }
    }

    /// `change` applied to a copy of `day`, stamped as the store does.
    fn changed(day: &Day, s: Stamp, change: impl FnOnce(&mut Day)) -> Day {
        let mut after = day.clone();
        change(&mut after);
        stamp_changes(Some(day), &mut after, s);
        after
    }

    #[test]
    fn the_later_intention_wins_and_the_other_is_kept_aside() {
        let (base, start) = day();
        let a = changed(&base, stamp(60, 1), |d| d.intervals[0].intention = Some("laptop".into()));
        let b = changed(&base, stamp(90, 2), |d| d.intervals[0].intention = Some("desktop".into()));
        let merged = merge(&a, &b);
        assert_eq!(merged, merge(&b, &a));
        assert_eq!(merged.intervals[0].intention.as_deref(), Some("desktop"));
        assert!(merged.sync.aside.contains(&(intention_key(start), "laptop".to_owned(), Some(stamp(60, 1)))));
        assert_eq!(merged.sync.stamp(&intention_key(start)), Some(stamp(90, 2)));
    }

    #[test]
    fn a_value_replaced_knowingly_is_not_kept_aside_even_after_a_conflict_elsewhere() {
        let (base, start) = day();
        let key = intention_key(start);
        let v1 = changed(&base, stamp(60, 1), |d| d.intervals[0].intention = Some("one".into()));
        let v2 = changed(&v1, stamp(70, 1), |d| d.intervals[0].intention = Some("two".into()));
        let other = changed(&base, stamp(80, 2), |d| d.intervals[0].intention = Some("three".into()));
        assert_eq!(merge(&v2, &v1), v2, "an older copy of itself changes nothing");
        let first = merge(&merge(&v1, &other), &v2);
        assert_eq!(first, merge(&v1, &merge(&other, &v2)));
        let kept: Vec<&str> = first.sync.aside.iter().filter(|a| a.0 == key).map(|a| a.1.as_str()).collect();
        assert_eq!(kept, ["two"], "one was replaced by two on the same machine; two lost to three");
    }

    #[test]
    fn a_value_let_go_on_one_machine_is_not_shown_on_any() {
        let (base, _) = day();
        let key = journal_key(JournalField::Summary);
        let a = changed(&base, stamp(60, 1), |d| d.journal.summary = "on the laptop".into());
        let b = changed(&base, stamp(90, 2), |d| d.journal.summary = "on the desktop".into());
        let merged = merge(&a, &b);
        assert_eq!(merged.sync.shown_aside(&key).collect::<Vec<_>>(), ["on the laptop"]);
        let mut seen = merged.clone();
        seen.sync.let_go.insert((key.clone(), "on the laptop".into()));
        // Whatever order the copies meet in, it stays let go.
        for day in [merge(&seen, &a), merge(&b, &merge(&a, &seen)), merge(&merged, &seen)] {
            assert_eq!(day.sync.shown_aside(&key).count(), 0, "{:?}", day.sync);
            assert_eq!(day.journal.summary, "on the desktop");
        }
    }

    /// The journal panel keeps another machine's text aside (unstamped) while the field still
    /// holds it, because the user's text in the box is about to replace it: it must outlive merges
    /// until then, and show only once the field holds something else.
    #[test]
    fn a_text_a_panel_keeps_aside_while_its_field_holds_it_outlives_merges() {
        let (base, _) = day();
        let key = journal_key(JournalField::Summary);
        let theirs = changed(&base, stamp(60, 2), |d| d.journal.summary = "from the laptop".into());
        let mut kept = theirs.clone();
        kept.sync.aside.insert((key.clone(), "from the laptop".into(), None));
        let mine = changed(&kept, stamp(70, 1), |d| d.journal.summary = "typed here".into());
        for day in [merge(&kept, &theirs), merge(&theirs, &kept), merge(&kept, &kept)] {
            assert!(day.sync.aside.contains(&(key.clone(), "from the laptop".into(), None)), "{:?}", day.sync);
            assert!(aside_to_show(&day).is_empty(), "the field holds it: nothing to show yet");
        }
        // The user's save replaces it as a change that saw it; it is still kept, and now shown.
        for day in [merge(&mine, &theirs), merge(&theirs, &merge(&kept, &mine))] {
            assert_eq!(day.journal.summary, "typed here");
            assert_eq!(aside_to_show(&day), [(key.as_str(), "from the laptop")]);
        }
    }

    #[test]
    fn kept_values_are_shown_oldest_loss_first_whatever_their_field() {
        let (mut day, _) = day();
        let summary = journal_key(JournalField::Summary);
        for (key, value, at) in [(PLAN, "zeta", 10), (summary.as_str(), "alpha", 30), (PLAN, "beta", 20)] {
            day.sync.aside.insert((key.to_owned(), value.to_owned(), Some(stamp(at, 1))));
        }
        let shown: Vec<&str> = aside_to_show(&day).into_iter().map(|(_, value)| value).collect();
        assert_eq!(shown, ["zeta", "beta", "alpha"]);
        assert_eq!(day.sync.shown_aside(PLAN).collect::<Vec<_>>(), ["zeta", "beta"]);
    }

    #[test]
    fn fields_set_on_different_machines_all_arrive() {
        let (base, _) = day();
        let a = changed(&base, stamp(60, 1), |d| {
            d.intervals[0].intention = Some("write".into());
            d.journal.summary = "a good day".into();
        });
        let b = changed(&base, stamp(70, 2), |d| {
            d.intervals[0].rating = Some(Rating::Focused);
            d.plan = vec!["review".into()];
        });
        let merged = merge(&a, &b);
        assert_eq!(merged.intervals[0].intention.as_deref(), Some("write"));
        assert_eq!(merged.intervals[0].rating, Some(Rating::Focused));
        assert_eq!(merged.plan, vec!["review".to_owned()]);
        assert_eq!(merged.journal.summary, "a good day");
        assert!(merged.sync.aside.is_empty(), "{:?}", merged.sync.aside);
    }

    #[test]
    fn a_day_laid_out_again_elsewhere_keeps_what_its_old_intervals_held() {
        let (base, start) = day();
        // Pomodoro 3 (10:00) gets an intention here...
        assert_eq!(base.intervals[4].start, start + SignedDuration::from_mins(60));
        let a = changed(&base, stamp(60, 1), |d| d.intervals[4].intention = Some("third".into()));
        // ...while another machine starts a pomodoro now, at 09:40: from there its layout differs.
        let timing = Settings::default().timing().unwrap();
        let now = start + SignedDuration::from_mins(40);
        let b = changed(&base, stamp(2400, 2), |d| {
            d.start_now(now, &timing).unwrap();
        });
        assert_ne!(layout(&a), layout(&b));
        let merged = merge(&a, &b);
        assert_eq!(merged, merge(&b, &a));
        assert_eq!(layout(&merged), layout(&b), "the later layout");
        assert!(merged.intervals.iter().all(|iv| iv.intention.is_none()), "no interval starts at 10:00 now");
        assert_eq!(merged.sync.orphans.len(), 1, "{merged:#?}");
        assert_eq!(merged.sync.orphans[0].intention.as_deref(), Some("third"));
        // Should a later layout hold 10:00 again, it takes its intention back.
        let c = changed(&merged, stamp(3000, 1), |d| d.intervals = base.intervals.clone());
        let again = merge(&merged, &c);
        assert_eq!(again.intervals[4].intention.as_deref(), Some("third"));
        assert!(again.sync.orphans.is_empty());
    }
}

//! The data a day keeps about its fields' history across machines: stamps, what lost to later
//! values, what relaid intervals held. The operations on it are in [`super::sync`].

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::interval::Interval;

/// When a field was set, on which machine (a number made once per machine), and which of that
/// machine's saves it was (counted from 1 on each machine). Later wins; two machines at the same
/// instant are told apart by their numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Stamp {
    pub at: Timestamp,
    pub machine: u64,
    #[serde(default)]
    pub save: u64,
}

/// Saves of one machine, as ranges `(first, last)` of their numbers: sorted, apart.
pub type Saves = Vec<(u64, u64)>;

/// Adds the saves of `more` to `into`, keeping the ranges sorted and apart.
pub(super) fn join_saves(into: &mut Saves, more: &[(u64, u64)]) {
    into.extend_from_slice(more);
    into.sort_unstable();
    let mut joined: Saves = Vec::with_capacity(into.len());
    for &(first, last) in into.iter() {
        match joined.last_mut() {
            Some(prev) if first <= prev.1.saturating_add(1) => prev.1 = prev.1.max(last),
            _ => joined.push((first, last)),
        }
    }
    *into = joined;
}

/// A field's history as far as this version knows it: the stamp of its value, and exactly which
/// saves' values of this field were in front of a writer who replaced them, by machine. A value
/// among those was superseded, not lost; any other that lost is a conflict, however old (a sync
/// engine can put another machine's file in place of a machine's own before it saves again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldStamp {
    pub last: Stamp,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub replaced: BTreeMap<u64, Saves>,
}

impl FieldStamp {
    /// Every save whose value this version of the field had seen: what it replaced, and its own.
    pub(super) fn seen(&self) -> BTreeMap<u64, Saves> {
        let mut seen = self.replaced.clone();
        join_replaced(&mut seen, &BTreeMap::from([(self.last.machine, vec![(self.last.save, self.last.save)])]));
        seen
    }
}

/// The union of two records of replaced saves, into `into`.
pub(super) fn join_replaced(into: &mut BTreeMap<u64, Saves>, other: &BTreeMap<u64, Saves>) {
    for (machine, saves) in other {
        join_saves(into.entry(*machine).or_default(), saves);
    }
}

/// A value that lost to a later one set elsewhere without knowing it: the field's key, the value
/// as people read it, and its stamp (`None`: from a day written before stamps).
pub type Aside = (String, String, Option<Stamp>);

/// What a day knows of its fields' history: their stamps, the values that lost to later ones, and
/// what was recorded in intervals that another machine's layout no longer has.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sync {
    /// Each field's stamps, by field key.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub set: BTreeMap<String, FieldStamp>,
    /// Values that lost to a later one set without knowing them.
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub aside: BTreeSet<Aside>,
    /// What was recorded in intervals that the day's layout no longer holds (another machine laid
    /// the day out again), by start: kept, and folded back should a layout hold them again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub orphans: Vec<Interval>,
    /// Values kept aside that the user has seen and let go (or taken in): no longer shown, on
    /// any machine.
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub let_go: BTreeSet<(String, String)>,
    /// The names of the conflict copies a file sync left that were merged into the day.
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub merged_from: BTreeSet<String>,
}

impl Sync {
    /// Nothing recorded (a day from before stamps, or one nobody set anything in).
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
            && self.aside.is_empty()
            && self.orphans.is_empty()
            && self.let_go.is_empty()
            && self.merged_from.is_empty()
    }

    /// The values of `key` kept aside that are still to be shown (not let go), oldest loss first.
    pub fn shown_aside<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.shown_aside_all().filter(move |(k, _)| *k == key).map(|(_, value)| value)
    }

    /// Every value kept aside still to be shown (not let go), as (field key, value), oldest loss
    /// first.
    pub fn shown_aside_all(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let mut shown: Vec<&Aside> = self.aside.iter().filter(|(k, v, _)| !self.is_let_go(k, v)).collect();
        shown.sort_by_key(|(_, _, stamp)| *stamp);
        shown.into_iter().map(|(k, v, _)| (k.as_str(), v.as_str()))
    }

    fn is_let_go(&self, key: &str, value: &str) -> bool {
        self.let_go.iter().any(|(k, v)| k == key && v == value)
    }

    /// The stamp of a field's value, if it has one.
    pub fn stamp(&self, key: &str) -> Option<Stamp> {
        self.set.get(key).map(|f| f.last)
    }

    /// Whether a value of `key` stamped `stamp` was knowingly replaced.
    pub(super) fn superseded(&self, key: &str, stamp: Option<Stamp>) -> bool {
        let (Some(stamp), Some(field)) = (stamp, self.set.get(key)) else { return false };
        let saves = field.replaced.get(&stamp.machine).map_or(&[][..], Vec::as_slice);
        saves.iter().any(|&(first, last)| first <= stamp.save && stamp.save <= last)
    }
}

//! Three-way merges of what a panel edits with what another process saved meanwhile: a field the
//! user has not touched takes the saved value; a field both changed keeps the user's value and
//! sets the other one aside, to be shown rather than lost.

use super::journal::{Journal, JournalField};
use super::settings::{Settings, WEEK};

/// Settings fields whose saved value was set aside for the user's own: each field's name (as
/// `settings.ron` spells it) and the saved value, as people read it.
pub type SetAside = Vec<(&'static str, String)>;

/// How a setting of type `T` is reached by name.
type Field<T> = fn(&mut Settings) -> &mut T;

/// The merged value of one field, and the other side's value when both changed it differently.
pub fn merge3<T: PartialEq + Clone>(base: &T, mine: &T, theirs: &T) -> (T, Option<T>) {
    if mine == base || mine == theirs {
        (theirs.clone(), None)
    } else if theirs == base {
        (mine.clone(), None)
    } else {
        (mine.clone(), Some(theirs.clone()))
    }
}

impl Journal {
    /// Merges `mine` (edited from `base`) with `theirs` (saved since `base`); returns the
    /// journal and each field whose saved text was set aside for the user's own.
    pub fn merge(base: &Journal, mine: &Journal, theirs: &Journal) -> (Journal, Vec<(JournalField, String)>) {
        let mut out = Journal::default();
        let mut aside = Vec::new();
        for field in JournalField::ALL {
            let (value, other) = merge3(&base.get(field), &mine.get(field), &theirs.get(field));
            *out.get_mut(field) = value.to_owned();
            if let Some(other) = other.filter(|o| !o.is_empty()) {
                aside.push((field, other.to_owned()));
            }
        }
        (out, aside)
    }
}

impl Settings {
    /// Merges `mine` (edited from `base`) with `theirs` (saved since `base`); returns the settings
    /// and, for each field both changed, its name and the saved value that was set aside.
    pub fn merge(base: &Settings, mine: &Settings, theirs: &Settings) -> (Settings, SetAside) {
        let mut out = theirs.clone();
        let mut aside = Vec::new();
        for day in WEEK {
            let name = base.hours_field(day).0;
            let (value, other) = merge3(&base.hours(day), &mine.hours(day), &theirs.hours(day));
            *out.hours_mut(day) = value;
            if let Some(other) = other {
                let shown = other.map_or("free".to_owned(), |h| format!("{}–{}", h.start, h.end));
                aside.push((name, shown));
            }
        }
        merge_fields(&NUMBERS, [base, mine, theirs], &mut out, &mut aside, |n| n.to_string());
        merge_fields(&SWITCHES, [base, mine, theirs], &mut out, &mut aside, |on| {
            if on { "on" } else { "off" }.to_owned()
        });
        let sides = [base, mine, theirs];
        let word = |v: &dyn std::fmt::Debug| format!("{v:?}").to_lowercase();
        merge_fields(&[("overlay_style", |s| &mut s.overlay.style)], sides, &mut out, &mut aside, |v| word(&v));
        merge_fields(&[("overlay_edge", |s| &mut s.overlay.edge)], sides, &mut out, &mut aside, |v| word(&v));
        merge_fields(&[("overlay_ring_size", |s| &mut s.overlay.ring_size)], sides, &mut out, &mut aside, |v| word(&v));
        merge_fields(&[("overlay_ring_place", |s| &mut s.overlay.ring_place)], sides, &mut out, &mut aside, |v| {
            word(&v)
        });
        let colours: [(&str, Field<super::look::Rgb>); 2] = [
            ("overlay_late_colour", |s| &mut s.overlay.late_colour),
            ("overlay_break_tint", |s| &mut s.overlay.break_tint),
        ];
        merge_fields(&colours, sides, &mut out, &mut aside, |c| c.to_string());
        let (value, other) = merge3(&base.data_dir, &mine.data_dir, &theirs.data_dir);
        out.data_dir = value;
        if let Some(other) = other {
            aside.push(("data_dir", other.map_or("the platform's folder".to_owned(), |d| d.display().to_string())));
        }
        (out, aside)
    }
}

/// Merges each field of a table into `out`; a field both changed sets the saved value aside, as
/// `show` writes it.
fn merge_fields<T: PartialEq + Copy>(
    fields: &[(&'static str, Field<T>)],
    [base, mine, theirs]: [&Settings; 3],
    out: &mut Settings,
    aside: &mut SetAside,
    show: impl Fn(T) -> String,
) {
    for (name, field) in fields {
        // Read through the one accessor table (the settings are small; a save is rare).
        let get = |s: &Settings| *field(&mut s.clone());
        let (value, other) = merge3(&get(base), &get(mine), &get(theirs));
        *field(out) = value;
        if let Some(other) = other {
            aside.push((name, show(other)));
        }
    }
}

/// The numeric settings, by the names `settings.ron` gives them.
const NUMBERS: [(&str, Field<u32>); 12] = [
    ("pomodoro_minutes", |s| &mut s.pomodoro_minutes),
    ("short_break_minutes", |s| &mut s.short_break_minutes),
    ("long_break_minutes", |s| &mut s.long_break_minutes),
    ("long_break_every", |s| &mut s.long_break_every),
    ("grace_minutes", |s| &mut s.grace_minutes),
    ("away_minutes", |s| &mut s.away_minutes),
    ("sound_volume", |s| &mut s.alerts.sound_volume),
    ("overlay_thickness", |s| &mut s.overlay.thickness),
    ("overlay_calm_opacity", |s| &mut s.overlay.calm_opacity),
    ("overlay_break_opacity", |s| &mut s.overlay.break_opacity),
    ("overlay_due_opacity", |s| &mut s.overlay.due_opacity),
    ("overlay_late_opacity", |s| &mut s.overlay.late_opacity),
];

/// The on/off settings, by the names `settings.ron` gives them.
const SWITCHES: [(&str, Field<bool>); 10] = [
    ("notifications", |s| &mut s.alerts.notifications),
    ("notify_pomodoro_start", |s| &mut s.alerts.notify_pomodoro_start),
    ("notify_grace_ending", |s| &mut s.alerts.notify_grace_ending),
    ("notify_break_start", |s| &mut s.alerts.notify_break_start),
    ("notify_day_start", |s| &mut s.alerts.notify_day_start),
    ("notify_day_end", |s| &mut s.alerts.notify_day_end),
    ("sound", |s| &mut s.alerts.sound),
    ("carry_plan", |s| &mut s.carry_plan),
    ("tray", |s| &mut s.tray),
    ("overlay", |s| &mut s.overlay.on),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::{Edge, OverlayLook, OverlayStyle};

    #[test]
    fn untouched_fields_take_the_saved_value_and_both_changed_keep_mine() {
        assert_eq!(merge3(&1, &1, &2), (2, None));
        assert_eq!(merge3(&1, &3, &1), (3, None));
        assert_eq!(merge3(&1, &3, &3), (3, None));
        assert_eq!(merge3(&1, &3, &2), (3, Some(2)));
    }

    #[test]
    fn a_journal_typed_in_keeps_another_process_s_field() {
        let base = Journal::default();
        let mine = Journal { summary: "typed here".into(), ..Journal::default() };
        let theirs = Journal { lucky_because: "the sun is out".into(), ..Journal::default() };
        let (merged, aside) = Journal::merge(&base, &mine, &theirs);
        assert_eq!(merged.summary, "typed here");
        assert_eq!(merged.lucky_because, "the sun is out");
        assert!(aside.is_empty());
        let theirs = Journal { summary: "written elsewhere".into(), ..Journal::default() };
        let (merged, aside) = Journal::merge(&base, &mine, &theirs);
        assert_eq!(merged.summary, "typed here");
        assert_eq!(aside, vec![(JournalField::Summary, "written elsewhere".to_owned())]);
    }

    #[test]
    fn settings_merge_field_by_field() {
        let base = Settings::default();
        let mine = Settings { pomodoro_minutes: 50, saturday: base.monday, ..base.clone() };
        let theirs = Settings { grace_minutes: 2, pomodoro_minutes: 30, ..base.clone() };
        let (merged, aside) = Settings::merge(&base, &mine, &theirs);
        assert_eq!((merged.pomodoro_minutes, merged.grace_minutes, merged.saturday), (50, 2, base.monday));
        assert_eq!(aside, vec![("pomodoro_minutes", "30".to_owned())]);
        // The overlay's fields too: mine turned it to a ring, theirs moved the bar to the top.
        let mine = Settings { overlay: OverlayLook { style: OverlayStyle::Ring, ..base.overlay }, ..base.clone() };
        let theirs = Settings { overlay: OverlayLook { edge: Edge::Top, on: false, ..base.overlay }, ..base.clone() };
        let (merged, aside) = Settings::merge(&base, &mine, &theirs);
        assert_eq!(
            (merged.overlay.style, merged.overlay.edge, merged.overlay.on),
            (OverlayStyle::Ring, Edge::Top, false)
        );
        assert!(aside.is_empty());
    }
}

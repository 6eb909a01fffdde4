//! The day's private journal. The panel edits a draft and saves it as typing pauses; what another
//! process saves meanwhile is merged in field by field, so nothing either side wrote is lost.

use bevy_egui::egui;
use std::time::{Duration, Instant};

use super::{NOTICE, PanelIo, Panels, track_box};
use crate::day::{Day, Journal, JournalField, clean_journal};
use crate::shell::actions::{DayAction, Origin};
use crate::shell::today::Today;

/// A draft of the journal is saved once typing pauses this long.
pub const JOURNAL_AUTOSAVE_AFTER: Duration = Duration::from_secs(1);

/// The journal as the panel edits it.
#[derive(Debug, Default)]
pub(super) struct JournalDraft {
    /// What the user sees and types in.
    text: Journal,
    /// The saved journal the draft was last brought up to date with.
    base: Journal,
    /// When the draft was last changed and not yet saved.
    edited: Option<Instant>,
    /// Text another process saved in a field the user was also changing: set aside, shown.
    kept_aside: Vec<(JournalField, String)>,
    /// When the draft was last saved, for the panel to say so.
    saved_at: Option<jiff::Timestamp>,
}

impl JournalDraft {
    /// The draft of `day`'s journal; an empty "proud of" starts from the day's achievements.
    pub(super) fn new(day: &Day) -> Self {
        let mut text = day.journal.clone();
        if text.proud_of.is_empty() {
            let suggestion = day.proud_suggestion();
            if !suggestion.is_empty() {
                // A new line after the list, so that typing starts below it.
                text.proud_of = suggestion + "\n";
            }
        }
        Self { text, base: day.journal.clone(), ..Self::default() }
    }

    /// A fresh draft of `day`'s journal that still shows what was kept aside before.
    pub(super) fn reopen(&mut self, day: &Day) {
        let kept_aside = std::mem::take(&mut self.kept_aside);
        *self = Self { kept_aside, ..Self::new(day) };
    }

    /// Takes in what was saved elsewhere since the draft was last brought up to date; returns
    /// what it kept aside for the user's own text (to be kept in the day too).
    fn follow(&mut self, saved: &Journal) -> Vec<(JournalField, String)> {
        if *saved == self.base {
            return Vec::new();
        }
        let (merged, aside) = Journal::merge(&self.base, &self.text, saved);
        self.text = merged;
        self.kept_aside.extend(aside.iter().cloned());
        self.base = saved.clone();
        aside
    }

    /// Asks for the fields the user changed to be saved, merged with the file as it is under the
    /// lock (see [`JournalDraft::saved`] for the answer).
    pub(super) fn save(&mut self, io: &mut PanelIo) {
        self.edited = None;
        let mut mine = Journal::default();
        for field in JournalField::ALL {
            match clean_journal(self.text.get(field)) {
                Ok(text) => *mine.get_mut(field) = text,
                Err(e) => return io.tell(format!("{}: {e}", field.title())),
            }
        }
        if mine == self.base {
            return;
        }
        io.act(DayAction::Journal { base: self.base.clone(), mine }, Origin::Journal);
    }

    /// The journal was saved as `saved`: what another process had saved in a field the user
    /// changed too is kept aside, and the draft now follows the journal as that save wrote it. (Not
    /// as the day shows it now: a reload between the save and this answer may have brought
    /// another machine's text, which the next [`JournalDraft::follow`] merges like any other.)
    pub(super) fn saved(&mut self, saved: &Journal, aside: Vec<(JournalField, String)>, at: jiff::Timestamp) {
        self.kept_aside.extend(aside);
        self.base = saved.clone();
        self.saved_at = Some(at);
    }
}

pub(super) fn journal_ui(ui: &mut egui::Ui, panels: &mut Panels, today: &Today, io: &mut PanelIo) {
    let draft = &mut panels.journal;
    for (field, text) in draft.follow(&today.day().journal) {
        // The user's next save replaces that text knowingly in the day's eyes: the day keeps it.
        let key = crate::day::sync::journal_key(field);
        io.act(DayAction::KeepAside { key, value: text }, Origin::Journal);
    }
    let saved = match draft.saved_at {
        Some(at) => format!("saved {}", crate::format::clock(at, &today.session().tz)),
        None => "it saves itself as you write".to_owned(),
    };
    ui.label(format!("{} — only you read this; {saved}.", today.date()));
    let mut first = true;
    for field in JournalField::ALL {
        ui.label(egui::RichText::new(field.title()).strong());
        let draft = &mut panels.journal;
        let response = ui.add(
            egui::TextEdit::multiline(draft.text.get_mut(field))
                .id(egui::Id::new(("journal", field.title())))
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        );
        if response.changed() {
            draft.edited = Some(Instant::now());
        }
        kept_aside_ui(ui, draft, field, io);
        from_other_machines_ui(ui, draft, field, today, io);
        track_box(panels, &response, first);
        first = false;
    }
    let draft = &mut panels.journal;
    if ui.button("Use today's achievements for “proud of”").clicked() {
        draft.text.proud_of = today.day().proud_suggestion() + "\n";
        draft.edited = Some(Instant::now());
    }
    // A pause in typing saves the draft, so a crash or a kill loses at most a moment of it.
    match draft.edited {
        Some(at) if at.elapsed() >= JOURNAL_AUTOSAVE_AFTER => draft.save(io),
        Some(at) => ui.ctx().request_repaint_after(JOURNAL_AUTOSAVE_AFTER.saturating_sub(at.elapsed())),
        None => {}
    }
    io.show_message(ui);
}

/// Shows what another machine set in `field` that lost to a later text (the day keeps it aside
/// when copies of it are merged), with a way to take it in or let it go, on every machine.
fn from_other_machines_ui(
    ui: &mut egui::Ui,
    draft: &mut JournalDraft,
    field: JournalField,
    today: &Today,
    io: &mut PanelIo,
) {
    let key = crate::day::sync::journal_key(field);
    // What this window's own merge keeps aside is shown once, above (`kept_aside_ui`).
    let here = |v: &str| draft.kept_aside.iter().any(|(f, t)| *f == field && t == v);
    let shown: Vec<String> = crate::day::sync::aside_to_show(today.day())
        .into_iter()
        .filter(|(k, v)| *k == key && !here(v))
        .map(|(_, v)| v.to_owned())
        .collect();
    for other in shown {
        ui.group(|ui| {
            ui.colored_label(NOTICE, "Written on another machine, and kept aside for the later text:");
            ui.label(&other);
            ui.horizontal(|ui| {
                let add = ui.button("Add it to mine").clicked();
                if add {
                    let mine = draft.text.get_mut(field);
                    if !mine.is_empty() && !mine.ends_with('\n') {
                        mine.push('\n');
                    }
                    mine.push_str(&other);
                    draft.edited = Some(Instant::now());
                }
                if add | ui.button("Let it go").clicked() {
                    io.act(DayAction::LetGo { key: key.clone(), value: other.clone() }, Origin::Journal);
                }
            });
        });
    }
}

/// Shows what another process saved in `field` while the user was changing it too, with a way
/// to take it in or let it go.
fn kept_aside_ui(ui: &mut egui::Ui, draft: &mut JournalDraft, field: JournalField, io: &mut PanelIo) {
    let mut k = 0;
    while k < draft.kept_aside.len() {
        if draft.kept_aside[k].0 != field {
            k += 1;
            continue;
        }
        let other = draft.kept_aside[k].1.clone();
        let mut done = false;
        ui.group(|ui| {
            ui.colored_label(NOTICE, "Saved elsewhere meanwhile and kept aside (your text was kept):");
            ui.label(&other);
            ui.horizontal(|ui| {
                if ui.button("Add it to mine").clicked() {
                    let mine = draft.text.get_mut(field);
                    if !mine.is_empty() && !mine.ends_with('\n') {
                        mine.push('\n');
                    }
                    mine.push_str(&other);
                    draft.edited = Some(Instant::now());
                    done = true;
                }
                done |= ui.button("Let it go").clicked();
            });
        });
        if done {
            // The day keeps it aside too (see `DayAction::Journal`): let it go there as well.
            let key = crate::day::sync::journal_key(field);
            io.act(DayAction::LetGo { key, value: other.clone() }, Origin::Journal);
            draft.kept_aside.remove(k);
        } else {
            k += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::Settings;
    use crate::shell::actions::Outcome;

    /// The answer to a save is read a frame later, and a reload may come first with another
    /// machine's text: the draft's base is what the save wrote, so that text is merged (kept aside
    /// for the user's) rather than taken as seen and replaced by the next save.
    #[test]
    fn another_machines_text_reloaded_before_the_saves_answer_is_kept_aside() {
        let date = jiff::civil::date(2026, 11, 24);
        let now = date.at(9, 0, 0, 0).to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp();
        let timing = Settings::default().timing().unwrap();
        let mut file = crate::testing::fixture_day(date);
        let mut draft = JournalDraft::new(&file);
        draft.text.summary = "line 1.".into();
        // The autosave, applied under the lock to the file as it is.
        let save = DayAction::Journal { base: draft.base.clone(), mine: draft.text.clone() };
        let Outcome::Journal { saved, aside } = save.apply(&mut file, now, &jiff::tz::TimeZone::UTC, &timing).unwrap()
        else {
            panic!("a journal save answers with the journal saved");
        };
        // Before the answer is read, the day shown is reloaded with the other machine's save.
        let mut shown = file.journal.clone();
        shown.summary = "from the laptop".into();
        draft.saved(&saved, aside, now);
        draft.text.summary.push_str(" line 2.");
        let kept = draft.follow(&shown);
        assert_eq!(kept, [(JournalField::Summary, "from the laptop".to_owned())]);
        assert_eq!(draft.text.summary, "line 1. line 2.", "the user's own text stays in the box");
        // The next save is merged against that text, so it is not counted as seen and replaced.
        assert_eq!(draft.base.summary, "from the laptop");
    }
}

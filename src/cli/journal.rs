//! `journal`: the day's private positivity journal.

use clap::Args;
use jiff::Timestamp;
use jiff::civil::Date;

use std::fmt::Write as _;

use super::{Failure, emit};
use crate::day::{JournalField, clean_journal};
use crate::session::Session;

/// Options of `journal`.
#[derive(Debug, Args)]
pub struct JournalArgs {
    /// The day in one positive sentence.
    #[arg(long)]
    pub summary: Option<String>,
    /// What you are proud of.
    #[arg(long)]
    pub proud: Option<String>,
    /// Who you are grateful to, and why.
    #[arg(long)]
    pub grateful: Option<String>,
    /// What went well for no good reason.
    #[arg(long)]
    pub lucky: Option<String>,
    /// Another day than today (YYYY-MM-DD).
    #[arg(long)]
    pub date: Option<Date>,
}

impl JournalArgs {
    /// True when no field is given: the journal is only shown.
    pub fn is_show(&self) -> bool {
        self.summary.is_none() && self.proud.is_none() && self.grateful.is_none() && self.lucky.is_none()
    }
}

pub(super) fn run(session: &mut Session, now: Timestamp, args: JournalArgs) -> Result<(), Failure> {
    let date = args.date.unwrap_or_else(|| session.date_at(now));
    let edits: Vec<(JournalField, String)> = [
        (JournalField::Summary, args.summary),
        (JournalField::ProudOf, args.proud),
        (JournalField::GratefulTo, args.grateful),
        (JournalField::LuckyBecause, args.lucky),
    ]
    .into_iter()
    .filter_map(|(field, text)| Some((field, text?)))
    .map(|(field, text)| clean_journal(&text).map(|t| (field, t)).map_err(|e| format!("{}: {e}", field.title())))
    .collect::<Result<_, _>>()?;
    let day = if edits.is_empty() {
        session.load_day(date, now)?
    } else {
        session
            .change_day(date, now, |day| {
                for (field, text) in &edits {
                    *day.journal.get_mut(*field) = text.clone();
                }
                Ok(())
            })
            .map_err(|e| e.describe(&session.tz))?
            .1
    };
    let mut out = format!("Journal for {date}\n");
    for field in JournalField::ALL {
        let text = day.journal.get(field);
        let _ = writeln!(out, "\n{}:", field.title());
        if text.is_empty() {
            let hint = if field == JournalField::ProudOf { day.proud_suggestion() } else { String::new() };
            if hint.is_empty() {
                out.push_str("  (empty)\n");
            } else {
                let _ = writeln!(out, "  (empty; today you achieved:)\n{hint}");
            }
        } else {
            let _ = writeln!(out, "{text}");
        }
    }
    emit(&out)
}

//! The private positivity journal: four free-text fields per day.

use serde::{Deserialize, Serialize};

/// The day's journal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Journal {
    /// The day in one positive sentence.
    pub summary: String,
    /// What I achieved through my own skill and work.
    pub proud_of: String,
    /// Who helped, and how.
    pub grateful_to: String,
    /// What went well for no good reason.
    pub lucky_because: String,
}

/// One of the journal's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JournalField {
    Summary,
    ProudOf,
    GratefulTo,
    LuckyBecause,
}

impl JournalField {
    /// All fields, in the order they are shown.
    pub const ALL: [JournalField; 4] =
        [JournalField::Summary, JournalField::ProudOf, JournalField::GratefulTo, JournalField::LuckyBecause];

    /// The heading shown to the user.
    pub fn title(self) -> &'static str {
        match self {
            JournalField::Summary => "Summary",
            JournalField::ProudOf => "I'm proud of",
            JournalField::GratefulTo => "I'm grateful to",
            JournalField::LuckyBecause => "I'm lucky because",
        }
    }
}

impl Journal {
    /// A field's text.
    pub fn get(&self, field: JournalField) -> &str {
        match field {
            JournalField::Summary => &self.summary,
            JournalField::ProudOf => &self.proud_of,
            JournalField::GratefulTo => &self.grateful_to,
            JournalField::LuckyBecause => &self.lucky_because,
        }
    }

    /// A field, to change.
    pub fn get_mut(&mut self, field: JournalField) -> &mut String {
        match field {
            JournalField::Summary => &mut self.summary,
            JournalField::ProudOf => &mut self.proud_of,
            JournalField::GratefulTo => &mut self.grateful_to,
            JournalField::LuckyBecause => &mut self.lucky_because,
        }
    }
}

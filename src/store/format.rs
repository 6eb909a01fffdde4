//! The on-disk formats: RON with a format version in every file.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::file::StoreError;
use crate::day::{Day, Settings};

/// The version written into day files. 2: each user-set field's stamp (when, on which machine),
/// values that lost to another machine's, what relaid intervals held (`day::sync`); version 1
/// files read as days with no stamps.
pub const DAY_FORMAT_VERSION: u32 = 2;
/// The version written into `settings.ron`.
pub const SETTINGS_FORMAT_VERSION: u32 = 1;

#[derive(Deserialize)]
struct Probe {
    version: u32,
}

#[derive(Serialize, Deserialize)]
struct DayFile {
    version: u32,
    day: Day,
}

#[derive(Serialize, Deserialize)]
struct SettingsFile {
    version: u32,
    settings: Settings,
}

/// Why a file's contents were not understood.
pub type Unreadable = String;

/// Parses a file of format version `newest` or older (a newer one is refused, saying so).
pub(super) fn parse<T: DeserializeOwned>(bytes: &[u8], newest: u32) -> Result<T, Unreadable> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 text ({e})"))?;
    let probe: Probe = ron::from_str(text).map_err(|e| format!("not a readable file: {}", at(&e)))?;
    if probe.version > newest {
        return Err(format!("written by a newer version (format {}; this one reads up to {newest})", probe.version));
    }
    ron::from_str(text).map_err(|e| format!("damaged: {}", at(&e)))
}

/// A parse error with where it is, as editors count: "line 3, column 5: Expected comma".
fn at(e: &ron::error::SpannedError) -> String {
    format!("line {}, column {}: {}", e.span.start.line, e.span.start.col, e.code)
}

/// A file's bytes: pretty RON, ending in a new line.
pub(super) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    let config = ron::ser::PrettyConfig::new().struct_names(false);
    ron::ser::to_string_pretty(value, config)
        .map(|s| (s + "\n").into_bytes())
        .map_err(|e| StoreError::Encode(e.to_string()))
}

/// Parses a day file and checks that it makes sense for `date`.
pub fn decode_day(bytes: &[u8], date: jiff::civil::Date) -> Result<Day, Unreadable> {
    let file: DayFile = parse(bytes, DAY_FORMAT_VERSION)?;
    check_day(file.day, date)
}

/// The format version a file says it was written in, when it can be read that far.
pub fn version_of(bytes: &[u8]) -> Option<u32> {
    ron::from_str::<Probe>(std::str::from_utf8(bytes).ok()?).ok().map(|p| p.version)
}

/// Reads a day written by a newer version as far as this one understands it (fields it does not
/// know are skipped), to be shown read-only.
pub fn decode_newer_day(bytes: &[u8], date: jiff::civil::Date) -> Result<Day, Unreadable> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 text ({e})"))?;
    let file: DayFile = ron::from_str(text).map_err(|e| format!("not understood by this version: {}", at(&e)))?;
    check_day(file.day, date)
}

fn check_day(day: Day, date: jiff::civil::Date) -> Result<Day, Unreadable> {
    if day.date != date {
        return Err(format!("it holds the day {} rather than {date}", day.date));
    }
    if day.intervals.iter().any(|iv| iv.start >= iv.end) || day.intervals.windows(2).any(|w| w[0].end != w[1].start) {
        return Err("its intervals are not contiguous".to_owned());
    }
    if day.grace.is_negative() {
        return Err("its grace period is negative".to_owned());
    }
    Ok(day)
}

/// Serialises a day with its format version.
pub fn encode_day(day: &Day) -> Result<Vec<u8>, StoreError> {
    encode(&DayFile { version: DAY_FORMAT_VERSION, day: day.clone() })
}

/// Parses `settings.ron` (validation is separate: a valid file with a bad value is not unreadable).
pub(super) fn decode_settings(bytes: &[u8]) -> Result<Settings, Unreadable> {
    parse::<SettingsFile>(bytes, SETTINGS_FORMAT_VERSION).map(|f| f.settings)
}

/// Serialises settings with their format version.
pub(super) fn encode_settings(settings: &Settings) -> Result<Vec<u8>, StoreError> {
    encode(&SettingsFile { version: SETTINGS_FORMAT_VERSION, settings: settings.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_read_by_hand() {
        let s = Settings::default();
        let bytes = encode_settings(&s).unwrap();
        assert_eq!(decode_settings(&bytes).unwrap(), s);
        let hand =
            b"(version: 1, settings: (pomodoro_minutes: 50, saturday: Some((start: \"10:00\", end: \"12:00\"))))";
        let s = decode_settings(hand).unwrap();
        assert_eq!(s.pomodoro_minutes, 50);
        assert_eq!(s.short_break_minutes, 5);
        assert!(s.saturday.is_some());
    }

    #[test]
    fn a_typo_is_reported_with_its_line_and_column() {
        let text = b"(\n  version: 1,\n  settings: (\n    pomodoro_minutes: 25\n    short_break_minutes: 5,\n  ),\n)\n";
        let why = decode_settings(text).unwrap_err();
        assert!(why.contains("line 5, column 5"), "{why}");
        let negative = b"(version: 1, settings: (pomodoro_minutes: -5))";
        assert!(decode_settings(negative).unwrap_err().contains("line 1, column "), "negative minutes");
    }

    #[test]
    fn newer_and_garbage_files_are_unreadable() {
        assert!(decode_settings(b"(version: 99, settings: ())").unwrap_err().contains("newer"));
        assert!(decode_settings(b"\xff\xfe").is_err());
        assert!(decode_settings(b"(version: 1, settings: (pomodoro_mins: 3))").is_err());
        assert!(decode_day(b"(version: 1", jiff::civil::date(2026, 1, 1)).is_err());
    }
}

// Damaged and hostile files: the loaders never panic, every answer is a day that makes sense or a
// clear reason, and the store keeps what it cannot read byte for byte.

use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp};
use pomodouroboros::day::{Day, Rating, Settings};
use pomodouroboros::store::{DayStore, FileDayStore, decode_day, encode_day, load_settings, settings_path};
use proptest::prelude::*;
use std::fs;

const DATE: Date = date(2026, 11, 24);

fn now() -> Timestamp {
    "2026-11-24T12:00:00Z".parse().unwrap()
}

/// A day with something in every part of the file: intentions, ratings, a plan and a journal.
fn full_day() -> Day {
    let start: Timestamp = "2026-11-24T08:00:00Z".parse().unwrap();
    let timing = Settings::default().timing().unwrap();
    let mut day = Day::new(DATE, Some((start, start + SignedDuration::from_hours(8))), &timing);
    let at = start + SignedDuration::from_mins(1);
    day.intend(at, "écrire « les tests » · 日本語").unwrap();
    day.rate(start + SignedDuration::from_mins(26), Rating::Focused, pomodouroboros::day::RateTarget::Default).unwrap();
    day.plan(at, "then, \"quoted\" (parenthesised)").unwrap();
    day.journal.summary = "a good day\nwith two lines".to_owned();
    day
}

fn valid_bytes() -> Vec<u8> {
    encode_day(&full_day()).unwrap()
}

/// What every loader answer must be: a day that makes sense for the date, or a reason in words.
fn check(result: Result<Day, String>) {
    match result {
        Ok(day) => {
            assert_eq!(day.date, DATE);
            assert!(day.intervals.windows(2).all(|w| w[0].end == w[1].start), "contiguous");
            assert!(day.intervals.iter().all(|iv| iv.start < iv.end));
        }
        Err(why) => assert!(!why.trim().is_empty()),
    }
}

#[test]
fn a_file_cut_at_any_byte_is_refused_not_misread() {
    let bytes = valid_bytes();
    let whole = String::from_utf8(bytes.clone()).unwrap();
    for cut in 0..bytes.len() {
        let result = decode_day(&bytes[..cut], DATE);
        if whole.is_char_boundary(cut) && whole[..cut].trim_end() == whole.trim_end() {
            // Only the trailing line break was cut: still the whole day.
            assert_eq!(result.unwrap(), full_day());
        } else {
            assert!(result.is_err(), "a file cut at byte {cut} of {} was read as a day", bytes.len());
        }
    }
}

#[test]
fn a_cut_file_in_the_store_is_moved_aside_byte_for_byte_and_named() {
    let bytes = valid_bytes();
    // Every 97th cut through the real store (each one moves a file and flushes a folder).
    for cut in (0..bytes.len() - 1).step_by(97) {
        let dir = tempfile::tempdir().unwrap();
        let store = FileDayStore::new(dir.path());
        fs::write(store.path(DATE), &bytes[..cut]).unwrap();
        let (day, notices) = store.load(DATE, now()).unwrap();
        assert_eq!(day, None);
        assert!(notices[0].0.contains("2026-11-24.ron"), "{}", notices[0]);
        let kept: Vec<Vec<u8>> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(".unreadable-"))
            .map(|p| fs::read(p).unwrap())
            .collect();
        assert_eq!(kept, [bytes[..cut].to_vec()], "kept, unchanged");
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Cut { from: usize, len: usize },
    Splice { at: usize, from: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (any::<usize>(), 1usize..64).prop_map(|(from, len)| Mutation::Cut { from, len }),
        (any::<usize>(), any::<usize>(), 1usize..256).prop_map(|(at, from, len)| Mutation::Splice { at, from, len }),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let n = bytes.len().max(1);
        match m {
            Mutation::Flip { at, bit } => {
                if let Some(b) = bytes.get_mut(at % n) {
                    *b ^= 1 << bit;
                }
            }
            Mutation::Cut { from, len } => {
                let from = from % n;
                bytes.drain(from..(from + len).min(bytes.len()));
            }
            Mutation::Splice { at, from, len } => {
                // A piece of the file copied elsewhere in it, as a bad sync or a bad merge would.
                let from = from % n;
                let piece = bytes[from.min(bytes.len())..(from + len).min(bytes.len())].to_vec();
                let at = (at % n).min(bytes.len());
                bytes.splice(at..at, piece);
            }
            Mutation::Insert { at, bytes: new } => {
                let at = (at % n).min(bytes.len());
                bytes.splice(at..at, new.iter().copied());
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic_the_day_loader(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(decode_day(&bytes, DATE));
    }

    #[test]
    fn mutated_day_files_never_panic_and_never_break_the_day(
        mutations in prop::collection::vec(mutation(), 1..6)
    ) {
        check(decode_day(&mutate(valid_bytes(), &mutations), DATE));
    }

    #[test]
    fn arbitrary_and_mutated_settings_are_a_clear_refusal_and_stay_as_they_are(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        mutations in prop::collection::vec(mutation(), 1..4),
        use_random in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let valid = b"(version: 1, settings: (pomodoro_minutes: 50, saturday: Some((start: \"10:00\", end: \"12:00\"))))";
        let bytes = if use_random { bytes } else { mutate(valid.to_vec(), &mutations) };
        fs::write(settings_path(dir.path()), &bytes).unwrap();
        match load_settings(dir.path()) {
            Ok(settings) => prop_assert!(settings.validate().is_ok()),
            Err(why) => prop_assert!(why.contains("settings.ron"), "{}", why),
        }
        prop_assert_eq!(fs::read(settings_path(dir.path())).unwrap(), bytes);
        prop_assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

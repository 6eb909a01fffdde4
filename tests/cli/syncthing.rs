//! Two machines' data folders carried by two real Syncthing instances on 127.0.0.1 (see
//! `tests/support/syncthing.rs`), while the command line on each side changes the same day at the
//! same time. Once the engines have settled and each side merged what reached it: both folders
//! hold byte-identical day files, no conflict copy is left, and every side's last word on each
//! field is in the day or kept aside.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::engines::{Acknowledged, Engine, conflict_copies, nth_change, pair, settle};

/// How long both sides change the day together: 20 s in `./test.sh`, five minutes by hand
/// (`POMODOUROBOROS_SYNC_SECS=300`).
fn together() -> Duration {
    Duration::from_secs(std::env::var("POMODOUROBOROS_SYNC_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(20))
}

/// The instant both sides' commands run at: in pomodoro 1's grace period.
const NOW: &str = "2026-11-24T09:02:00+01:00[Europe/Paris]";

/// One machine: its engine, whose home is the machine's home and whose folder is its data folder.
struct Machine(Engine);

impl Machine {
    /// The app's command line on this machine.
    fn app(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_pomodouroboros"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.0.home())
            .env("TZ", "Europe/Paris")
            .arg("--data-dir")
            .arg(self.0.folder())
            .arg("--config-dir")
            .arg(self.0.home().join("config"))
            .args(["--now", NOW])
            .args(args)
            .output()
            .unwrap()
    }

    fn day_file(&self) -> Option<Vec<u8>> {
        std::fs::read(self.0.folder().join("2026-11-24.ron")).ok()
    }

    fn conflict_copies(&self) -> Vec<String> {
        conflict_copies(self.0.folder())
    }
}

/// Ratings each side gives in turn, by the names the command line takes: two each, never the
/// other side's, so that no side's rating is one the day already holds from the other (a rating
/// that changes nothing is no change: the other side's later one replaces a value it saw).
const RATINGS: [[&str; 2]; 2] = [["achieved", "focused"], ["interrupted", "distracted"]];

/// Both sides' pace: each command is given at the same moment on both sides, and both stop after
/// the same one, so that neither side's last word on a field can be one the other had already
/// received (and so replaced knowingly, which is no loss) when it gave its own.
struct Lockstep {
    barrier: std::sync::Barrier,
    stop: std::sync::atomic::AtomicBool,
    end: Instant,
}

impl Lockstep {
    fn new(end: Instant) -> Self {
        Self { barrier: std::sync::Barrier::new(2), stop: false.into(), end }
    }

    /// Waits for the other side; whether both go on (decided once, for both).
    fn next(&self) -> bool {
        use std::sync::atomic::Ordering::SeqCst;
        if self.barrier.wait().is_leader() && Instant::now() >= self.end {
            self.stop.store(true, SeqCst);
        }
        self.barrier.wait();
        !self.stop.load(SeqCst)
    }
}

/// Changes the day on `m` in step with the other side (see [`nth_change`]), each change with a
/// number; returns what was acknowledged.
fn keep_changing(m: &Machine, side: &str, pace: &Lockstep) -> Acknowledged {
    let mut said = Acknowledged::default();
    while pace.next() {
        said.commands += 1;
        let n = said.commands;
        let text = format!("{side} {n}");
        let rating = RATINGS[usize::from(side == "B")][(n / 4) % 2];
        let args = nth_change(n, &text, rating);
        let out = m.app(&args);
        if out.status.success() {
            said.acknowledge(n, text, rating);
        } else if n % 4 == 0 {
            panic!("{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    said
}

#[test]
fn two_machines_change_one_day_through_syncthing_and_end_with_the_same_day() {
    if !crate::engines::available() {
        return;
    }
    let mut root = tempfile::tempdir().unwrap();
    // By hand: keep both machines' folders to look at afterwards.
    root.disable_cleanup(std::env::var_os("POMODOUROBOROS_KEEP_SYNC").is_some());
    eprintln!("machines in {}", root.path().display());
    let home = |m: &str| root.path().join(m);
    let (a, b) = pair(&home("a"), &home("a").join("Sync"), &home("b"), &home("b").join("Sync"));
    let (a, b) = (Machine(a), Machine(b));

    // Both sides at once.
    let pace = Lockstep::new(Instant::now() + together());
    let (said_a, said_b) = std::thread::scope(|s| {
        let left = s.spawn(|| keep_changing(&a, "A", &pace));
        let right = s.spawn(|| keep_changing(&b, "B", &pace));
        (left.join().unwrap(), right.join().unwrap())
    });
    assert!(said_a.intention.is_some() && said_b.intention.is_some(), "{said_a:?} {said_b:?}");

    // Settle: each side merges what reached it until both hold one day and no copy is left.
    let rounds = settle(
        || {
            for m in [&a, &b] {
                let out = m.app(&["merge"]);
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            }
        },
        || a.day_file().is_some() && a.day_file() == b.day_file(),
        || [a.conflict_copies(), b.conflict_copies()].concat(),
    );
    eprintln!("settled after {rounds} rounds");

    let bytes = a.day_file().unwrap();
    let day = pomodouroboros::store::decode_day(&bytes, jiff::civil::date(2026, 11, 24)).unwrap();
    let aside = |value: &str| day.sync.aside.iter().any(|(_, v, _)| v == value);
    eprintln!(
        "A said {said_a:?}\nB said {said_b:?}\nthe day: intention {:?}, summary {:?}, {} planned, {} kept aside",
        day.intervals[0].intention,
        day.journal.summary,
        day.plan.len(),
        day.sync.aside.len()
    );
    for said in [&said_a, &said_b] {
        let intention = said.intention.as_deref().unwrap();
        assert!(day.intervals[0].intention.as_deref() == Some(intention) || aside(intention), "{intention}: {day:#?}");
        if let Some(summary) = &said.summary {
            assert!(&day.journal.summary == summary || aside(summary), "{summary}: {day:#?}");
        }
        let rating = said.rating.expect("pomodoro 1 was rated");
        let rated = day.intervals[0].rating.map(pomodouroboros::day::Rating::name);
        let key = pomodouroboros::day::sync::rating_key(day.intervals[0].start);
        let rating_aside = day.sync.aside.iter().any(|(k, v, _)| *k == key && v == rating);
        assert!(rated == Some(rating) || rating_aside, "{rating}: {day:#?}");
        // Every item planned on either side is in the plan or kept aside: a plan only ever grows
        // on a side, so none was replaced knowingly.
        for item in &said.planned {
            assert!(day.plan.contains(item) || aside(item), "{item} lost: {day:#?}");
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("seen_until"), "nothing of a machine's own in the shared file");
    // Both sides report the same merges (the day carries the copies' names).
    let merged_from = |m: &Machine| {
        let out = m.app(&["status", "--json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["merged_from"].as_u64().expect("status --json has merged_from")
    };
    assert_eq!(merged_from(&a), merged_from(&b));
    assert_eq!(merged_from(&a), day.sync.merged_from.len() as u64);
    eprintln!("conflict copies merged: {}", day.sync.merged_from.len());
}

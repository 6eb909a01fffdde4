//! Two machines through two real Syncthing instances (see `tests/support/syncthing.rs`): on one, a
//! window whose user types in the journal; on the other, the command line changing the same day
//! at the same time. Once the window has closed and each side merged what reached it, both data
//! folders hold byte-identical days, no conflict copy is left, and nothing either side wrote is
//! lost: the window's last text and the other machine's last word on each field are in the day
//! or kept aside.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{launch, wait_for, xdotool};
use crate::engines::{Acknowledged, conflict_copies, nth_change, pair, settle};

/// How long the window and the other machine change the day together: 20 s in `./test.sh`
/// (`POMODOUROBOROS_SYNC_SECS=300` by hand).
fn together() -> Duration {
    Duration::from_secs(std::env::var("POMODOUROBOROS_SYNC_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(20))
}

/// How long the window's user goes on typing after the other machine's last change.
const TYPING_AFTER: Duration = Duration::from_secs(5);

/// The test day's files in a data folder (conflict copies aside).
fn day_files(data: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(data.join(pomodouroboros::store::TEST_DAY_DIR))
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "ron"))
                .filter(|p| {
                    pomodouroboros::store::conflict_copy_of(&p.file_name().unwrap().to_string_lossy()).is_none()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn day_bytes(data: &Path) -> Option<Vec<u8>> {
    let files = day_files(data);
    (files.len() == 1).then(|| std::fs::read(&files[0]).ok()).flatten()
}

/// The other machine's command line on the test day, in its own home and folders.
fn other_machine(home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pomodouroboros"))
        .args(["--test-day", "--data-dir"])
        .arg(home.join("data"))
        .arg("--config-dir")
        .arg(home.join("config"))
        .args(args)
        .env("HOME", home)
        .env("POMODOUROBOROS_STATE_DIR", home.join("state"))
        .env("POMODOUROBOROS_CACHE_DIR", home.join("cache"))
        .env("XDG_RUNTIME_DIR", home.join("run"))
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_window_typing_in_the_journal_and_another_machine_end_with_the_same_day() {
    if !crate::engines::available() {
        return;
    }
    let Some(mut running) = launch() else { return };
    let other = tempfile::tempdir().unwrap();
    let b = other.path();
    std::fs::create_dir_all(b.join("run")).unwrap();
    std::fs::set_permissions(b.join("run"), std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    // Each machine's locks stay its own, as the README's "Several machines" says.
    for data in [running.data(), b.join("data")] {
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(data.join(".stignore"), ".lock\n.window.lock\n").unwrap();
    }
    let engines = pair(&running.dir.path().join("engine"), &running.data(), b, &b.join("data"));
    wait_for("the test day to reach the other machine", Duration::from_secs(30), || {
        day_bytes(&b.join("data")).is_some()
    });

    running.keys(&["j"]);
    std::thread::sleep(Duration::from_millis(600));
    let end = Instant::now() + together();
    let other_side = std::thread::spawn({
        let b = b.to_path_buf();
        move || {
            let mut said = Acknowledged::default();
            let ratings = ["achieved", "focused", "interrupted", "distracted"];
            while Instant::now() < end {
                said.commands += 1;
                let n = said.commands;
                let text = format!("B {n}");
                let rating = ratings[(n / 4) % ratings.len()];
                // An intention out of a grace period, or a rating before one, is refused: fine.
                if other_machine(&b, &nth_change(n, &text, rating)).status.success() {
                    said.acknowledge(n, text, rating);
                }
                std::thread::sleep(Duration::from_millis(150));
            }
            said
        }
    });
    // Meanwhile this machine's user types in the journal's summary, a word every second and a
    // half; the panel saves itself a second after each pause. The typing goes on a few seconds
    // after the other machine's last change, so that its last summary reaches the window while
    // the user's own text is still being written (the case that lost it once).
    let mut last_word = String::new();
    let mut w = 0;
    while Instant::now() < end + TYPING_AFTER {
        w += 1;
        last_word = format!("w{w}");
        xdotool(&running.display, &["type", "--delay", "30", &format!("{last_word} ")]);
        std::thread::sleep(Duration::from_millis(1500));
    }
    let said = other_side.join().unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(running.alive(), "{}", running.log());
    running.keys(&["Escape", "ctrl+q"]);
    wait_for("the window to quit", Duration::from_secs(20), || running.app.0.try_wait().unwrap().is_some());

    // Settle: each side merges what reached it until both hold one day and no copy is left.
    let (a_data, b_data) = (engines.0.folder().to_path_buf(), engines.1.folder().to_path_buf());
    let copies = || [&a_data, &b_data].map(|d| conflict_copies(&d.join(pomodouroboros::store::TEST_DAY_DIR))).concat();
    let rounds = settle(
        || {
            let here = running.command().arg("merge").output().unwrap();
            assert!(here.status.success(), "{}", String::from_utf8_lossy(&here.stderr));
            let there = other_machine(engines.1.home(), &["merge"]);
            assert!(there.status.success(), "{}", String::from_utf8_lossy(&there.stderr));
        },
        || day_bytes(&a_data).is_some() && day_bytes(&a_data) == day_bytes(&b_data),
        copies,
    );

    let bytes = day_bytes(&a_data).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let date = day_files(&a_data)[0].file_stem().unwrap().to_string_lossy().parse().unwrap();
    let day = pomodouroboros::store::decode_day(&bytes, date).unwrap();
    let summary_key = pomodouroboros::day::sync::journal_key(pomodouroboros::day::JournalField::Summary);
    let summaries: Vec<&str> = std::iter::once(day.journal.summary.as_str())
        .chain(day.sync.aside.iter().filter(|(k, ..)| *k == summary_key).map(|(_, v, _)| v.as_str()))
        .collect();
    println!(
        "together for {} s: the other machine's {} commands ({said:?}); {w} words typed; settled after {rounds} \
         rounds; {} conflict copies merged, {} values kept aside",
        together().as_secs(),
        said.commands,
        day.sync.merged_from.len(),
        day.sync.aside.len()
    );
    // The window's last text (it ends with the last word typed) and the other machine's last
    // summary, each whole, in the day or kept aside.
    assert!(summaries.iter().any(|s| s.trim_end().ends_with(&last_word)), "{last_word}: {summaries:#?}");
    // (Whole, or at the start of the window's text: taken into the journal's box while it held
    // nothing unsaved, then written after by the user, who had it in front of them.)
    let summary = said.summary.as_deref().expect("the other machine wrote the summary");
    let whole_in = |hay: &str| {
        hay.match_indices(summary).any(|(i, _)| !hay[i + summary.len()..].starts_with(|c: char| c.is_ascii_digit()))
    };
    assert!(summaries.iter().any(|s| whole_in(s)), "{summary}: {summaries:#?}");
    // Its last intention and every plan item, whole (a plan item may have become a pomodoro's
    // intention since), and its last rating of the first pomodoro.
    for value in said.intention.iter().chain(&said.planned) {
        assert!(text.contains(&format!("\"{value}\"")), "{value} lost: {text}");
    }
    if let Some(rating) = said.rating {
        let first = day.intervals.iter().find(|iv| iv.kind == pomodouroboros::day::Kind::Pomodoro).unwrap();
        let key = pomodouroboros::day::sync::rating_key(first.start);
        let aside = day.sync.aside.iter().any(|(k, v, _)| *k == key && v == rating);
        assert!(first.rating.map(pomodouroboros::day::Rating::name) == Some(rating) || aside, "{rating}: {day:#?}");
    }
    assert!(day.sync.merged_from.len() + day.sync.aside.len() > 0, "the two sides did meet: {text}");
}

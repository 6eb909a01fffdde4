//! The command line, run as a user would: the real binary in temporary folders with a fixed clock.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Sandbox {
    _root: tempfile::TempDir,
    home: PathBuf,
    cwd: PathBuf,
    data: PathBuf,
    config: PathBuf,
}

impl Sandbox {
    fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let [home, cwd, data, config] = ["home", "cwd", "data", "config"].map(|n| root.path().join(n));
        for d in [&home, &cwd] {
            std::fs::create_dir_all(d).unwrap();
        }
        Sandbox { _root: root, home, cwd, data, config }
    }

    fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_pomodouroboros"));
        c.current_dir(&self.cwd)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("TZ", "Europe/Paris");
        c
    }

    /// Runs with explicit folders and a fixed clock.
    fn run(&self, now: &str, args: &[&str]) -> Output {
        let mut c = self.command();
        c.arg("--data-dir").arg(&self.data).arg("--config-dir").arg(&self.config).arg("--now").arg(now).args(args);
        c.output().unwrap()
    }

    fn cwd_is_empty(&self) -> bool {
        std::fs::read_dir(&self.cwd).unwrap().next().is_none()
    }
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn fails(out: &Output) -> String {
    assert!(!out.status.success(), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(err.lines().filter(|l| l.starts_with("error:")).count(), 1, "{err}");
    err
}

// Tuesday 2026-11-24, Paris (UTC+1): the default day runs 09:00–17:00 local.
const GRACE: &str = "2026-11-24T09:02:00+01:00";
const LATE: &str = "2026-11-24T09:10:00+01:00";
const BREAK: &str = "2026-11-24T09:27:00+01:00";
const NEXT: &str = "2026-11-24T09:31:00+01:00";

#[test]
fn status_json_has_the_documented_keys() {
    let s = Sandbox::new();
    let json: serde_json::Value = serde_json::from_str(&ok(&s.run(GRACE, &["status", "--json"]))).unwrap();
    for key in [
        "date",
        "phase",
        "interval_index",
        "interval_start",
        "interval_end",
        "seconds_left",
        "intention",
        "rating",
        "score",
        "ideal_score",
        "points_possible",
    ] {
        assert!(json.get(key).is_some(), "missing {key} in {json}");
    }
    assert_eq!(json["date"], "2026-11-24");
    assert_eq!(json["phase"], "pomodoro");
    assert_eq!(json["interval_index"], 0);
    assert_eq!(json["interval_start"], "2026-11-24T09:00:00+01:00");
    assert_eq!(json["interval_end"], "2026-11-24T09:25:00+01:00");
    assert_eq!(json["seconds_left"], 23 * 60);
    assert_eq!(json["intention"], serde_json::Value::Null);
    let off =
        serde_json::from_str::<serde_json::Value>(&ok(&s.run("2026-11-24T20:00:00+01:00", &["status", "--json"])))
            .unwrap();
    assert_eq!(off["phase"], "off");
    assert!(s.cwd_is_empty());
}

#[test]
fn a_day_of_intending_rating_and_journaling() {
    let s = Sandbox::new();
    ok(&s.run(GRACE, &["intend", "  write the CLI  "]));
    let err = fails(&s.run(LATE, &["intend", "something else"]));
    assert!(err.contains("too late"), "{err}");
    ok(&s.run(LATE, &["abandon", "fix the store"]));
    fails(&s.run(BREAK, &["intend", "on a break"]));
    fails(&s.run(BREAK, &["rate", "superb"]));
    ok(&s.run(BREAK, &["rate", "achieved"]));
    ok(&s.run(BREAK, &["plan", "review"]));
    let json: serde_json::Value = serde_json::from_str(&ok(&s.run(NEXT, &["status", "--json"]))).unwrap();
    assert_eq!(json["intention"], "review", "the plan fills the next pomodoro");
    assert_eq!(json["score"], 1.45, "achieved 1.25, then unrated 0.10 with a streak bonus of 0.10");
    let journal = ok(&s.run(NEXT, &["journal"]));
    assert!(journal.contains("- fix the store"), "proud-of offers achievements: {journal}");
    ok(&s.run(NEXT, &["journal", "--proud", "shipped", "--lucky", "sunny"]));
    let csv = ok(&s.run(NEXT, &["export", "--format", "csv"]));
    assert!(csv.starts_with("date,index,kind"));
    assert!(csv.contains("fix the store,achieved,1.25,write the CLI"), "{csv}");
    let json: serde_json::Value = serde_json::from_str(&ok(&s.run(NEXT, &["export", "--format", "json"]))).unwrap();
    assert_eq!(json[0]["journal"]["proud_of"], "shipped");
    let none = ok(&s.run(NEXT, &["export", "--format", "json", "--from", "2026-11-25"]));
    assert_eq!(none.trim(), "[]");
    fails(&s.run(NEXT, &["export", "--format", "csv", "--from", "2026-13-01"]));
    assert!(s.cwd_is_empty());
}

#[test]
fn unsafe_folders_are_refused_and_empty_variables_are_unset() {
    let s = Sandbox::new();
    let err = fails(&s.command().args(["--data-dir", "relative", "status"]).output().unwrap());
    assert!(err.contains("absolute"), "{err}");
    let err = fails(&s.command().env("POMODOUROBOROS_CONFIG_DIR", "cfg").arg("status").output().unwrap());
    assert!(err.contains("POMODOUROBOROS_CONFIG_DIR"), "{err}");
    // Empty variables fall back to the platform folders under $HOME, never the current folder.
    let out = s
        .command()
        .env("POMODOUROBOROS_DATA_DIR", "")
        .env("POMODOUROBOROS_CONFIG_DIR", "")
        .args(["--now", GRACE, "intend", "x"])
        .output()
        .unwrap();
    ok(&out);
    assert!(s.cwd_is_empty());
    let saved = walk(&s.home);
    assert!(saved.iter().any(|p| p.ends_with("2026-11-24.ron")), "{saved:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn bad_settings_name_the_field() {
    let s = Sandbox::new();
    std::fs::create_dir_all(&s.config).unwrap();
    std::fs::write(s.config.join("settings.ron"), "(version: 1, settings: (pomodoro_minutes: 0))").unwrap();
    let err = fails(&s.run(GRACE, &["status"]));
    assert!(err.contains("pomodoro_minutes"), "{err}");
    std::fs::write(
        s.config.join("settings.ron"),
        "(version: 1, settings: (monday: None, tuesday: Some((start: \"17:00\", end: \"09:00\"))))",
    )
    .unwrap();
    let err = fails(&s.run(GRACE, &["status"]));
    assert!(err.contains("tuesday"), "{err}");
}

#[test]
fn bad_now_is_one_clear_line() {
    let s = Sandbox::new();
    let out = s.run("yesterday", &["status"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--now"));
    // RFC 9557 with a zone sets the zone too.
    let json: serde_json::Value =
        serde_json::from_str(&ok(&s.run("2026-11-24T09:02:00-05:00[America/New_York]", &["status", "--json"])))
            .unwrap();
    assert_eq!(json["interval_start"], "2026-11-24T09:00:00-05:00");
}

#[test]
fn test_days_are_short_and_apart() {
    let s = Sandbox::new();
    let json: serde_json::Value =
        serde_json::from_str(&ok(&s.run("2026-11-28T12:00:05Z", &["--test-day", "status", "--json"]))).unwrap();
    assert_eq!(json["phase"], "pomodoro", "a test day starts at launch, even on a Saturday");
    assert_eq!(json["seconds_left"], 30);
    ok(&s.run("2026-11-28T12:00:10Z", &["--test-day", "intend", "test"]));
    let json: serde_json::Value =
        serde_json::from_str(&ok(&s.run("2026-11-28T12:00:35Z", &["--test-day", "status", "--json"]))).unwrap();
    assert_eq!(json["phase"], "short_break", "the running test day is reused");
    assert!(s.data.join("test/2026-11-28.ron").exists());
    assert!(!s.data.join("2026-11-28.ron").exists());
}

#[test]
fn two_processes_lose_no_update() {
    let s = Sandbox::new();
    let children: Vec<_> = (0..12)
        .map(|i| {
            let mut c = s.command();
            c.arg("--data-dir").arg(&s.data).arg("--config-dir").arg(&s.config).args(["--now", GRACE, "plan"]);
            c.arg(format!("item {i}")).stdout(std::process::Stdio::null()).spawn().unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let listed = ok(&s.run(GRACE, &["plan"]));
    assert_eq!(listed.lines().count(), 12, "{listed}");
}

// The kill harness: command-line processes that are saving a day are killed (SIGKILL) at random
// moments; after each kill the day file must parse and hold a state that was acknowledged (the
// last command that exited 0) or a later one (the killed command's own change, written whole).
//
// CI runs a small count. At full size, by hand (prints the figures):
//
// ```sh
// POMODOUROBOROS_KILLS=1000 cargo test --test store kill -- --nocapture
// ```

use pomodouroboros::day::Day;
use pomodouroboros::store::decode_day;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Kills in a plain `cargo test` run: enough to land several inside a save, short enough for CI.
const DEFAULT_KILLS: u32 = 60;
const NOW: &str = "2026-11-24T09:02:00+01:00";

struct Harness {
    _root: tempfile::TempDir,
    data: PathBuf,
    config: PathBuf,
    home: PathBuf,
}

impl Harness {
    fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let [data, config, home] = ["data", "config", "home"].map(|n| root.path().join(n));
        std::fs::create_dir_all(&home).unwrap();
        Harness { _root: root, data, config, home }
    }

    fn command(&self, args: &[String]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_pomodouroboros"));
        c.env_clear()
            .env("HOME", &self.home)
            .env("TZ", "Europe/Paris")
            .current_dir(&self.home)
            .arg("--data-dir")
            .arg(&self.data)
            .arg("--config-dir")
            .arg(&self.config)
            .arg("--now")
            .arg(NOW)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    }

    fn day_file(&self) -> PathBuf {
        self.data.join("2026-11-24.ron")
    }
}

/// A small deterministic generator (xorshift), so a failing run can be repeated from its seed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// What the saved day must show for each kind of change: the journal summary and the plan's last
/// item carry a counter that only goes up.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Marks {
    summary: u64,
    plan: u64,
    intention: u64,
}

fn marks(day: &Day) -> Marks {
    let number = |s: &str| s.rsplit(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0);
    Marks {
        summary: number(&day.journal.summary),
        plan: day.plan.last().map_or(0, |p| number(p)),
        intention: day.intervals.first().and_then(|iv| iv.intention.as_deref()).map_or(0, number),
    }
}

fn read_day(path: &Path) -> Result<Option<Day>, String> {
    match std::fs::read(path) {
        Ok(bytes) => decode_day(&bytes, "2026-11-24".parse().unwrap()).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn processes_killed_while_saving_lose_nothing_acknowledged() {
    let kills: u32 = std::env::var("POMODOUROBOROS_KILLS").ok().and_then(|n| n.parse().ok()).unwrap_or(DEFAULT_KILLS);
    let seed = std::env::var("POMODOUROBOROS_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(0x5eed_cafe_u64);
    let h = Harness::new();
    let mut random = Random(seed);

    // How long a save takes here: kills are spread over that span, so many land inside one.
    let started = Instant::now();
    for i in 1..=5 {
        let status = h.command(&["plan".into(), format!("warm-up {i}")]).status().unwrap();
        assert!(status.success());
    }
    let span = started.elapsed() / 5;
    assert!(h.command(&["plan".into(), "--clear".into()]).status().unwrap().success());

    let mut acknowledged = Marks::default();
    let mut attempted = Marks::default();
    let (mut killed, mut finished, mut corrupt, mut lost, mut temporary_left) = (0u32, 0u32, 0u32, 0u32, 0u32);
    let mut counter = 0u64;
    while killed < kills {
        counter += 1;
        let plan_full = marks_in_file(&h).is_some_and(|d| d.plan.len() >= 90);
        let args: Vec<String> = match random.below(4) {
            _ if plan_full => vec!["plan".into(), "--clear".into()],
            0 => vec!["journal".into(), "--summary".into(), format!("saved number {counter}")],
            1 => vec!["plan".into(), format!("item number {counter}")],
            // Within the grace period an intention may be changed, so each one replaces the last.
            2 => vec!["intend".into(), format!("intention number {counter}")],
            _ => vec!["journal".into(), "--proud".into(), format!("a longer field {}", "x".repeat(4096))],
        };
        let mut child = h.command(&args).spawn().unwrap();
        let wait = span.mul_f64(random.below(1000) as f64 / 1000.0 * 1.2);
        std::thread::sleep(wait);
        let _ = child.kill();
        let status = child.wait().unwrap();
        let is_summary = args[1] == "--summary";
        let is_clear = args[1] == "--clear";
        let is_plan_item = args[0] == "plan" && !is_clear;
        let is_intention = args[0] == "intend";
        if is_summary {
            attempted.summary = counter;
        }
        if is_plan_item {
            attempted.plan = counter;
        }
        if is_intention {
            attempted.intention = counter;
        }
        if is_clear {
            attempted.plan = 0;
        }
        if status.success() {
            finished += 1;
            acknowledged = attempted;
        } else {
            killed += 1;
        }
        match read_day(&h.day_file()) {
            Err(why) => {
                corrupt += 1;
                eprintln!("corrupt after {args:?}: {why}");
            }
            Ok(None) => {
                if acknowledged != Marks::default() {
                    lost += 1;
                }
            }
            Ok(Some(day)) => {
                let saved = marks(&day);
                // Acknowledged, or the killed command's own later change; a cleared plan may
                // read 0 if the kill hit a --clear that completed.
                let either =
                    |saved: u64, acknowledged: u64, attempted: u64| saved == acknowledged || saved == attempted;
                let summary_ok = either(saved.summary, acknowledged.summary, attempted.summary);
                let plan_ok = either(saved.plan, acknowledged.plan, attempted.plan);
                let intention_ok = either(saved.intention, acknowledged.intention, attempted.intention);
                if !summary_ok || !plan_ok || !intention_ok {
                    lost += 1;
                    eprintln!("lost after {args:?}: saved {saved:?}, acknowledged {acknowledged:?}");
                }
                // What the file holds is now the state to keep.
                acknowledged = saved;
                attempted = saved;
            }
        }
        temporary_left = leftovers(&h.data);
    }
    // A killed process leaves its temporary file; the next save (under the folder's lock, so no
    // writer is alive) removes it: at most the last kill's is left.
    println!(
        "kills={killed} finished={finished} corrupt={corrupt} lost_acknowledged={lost} \
         temporary_files_left={temporary_left} save_span_ms={:.1} seed={seed:#x}",
        span.as_secs_f64() * 1000.0
    );
    assert_eq!(corrupt, 0);
    assert_eq!(lost, 0);
    assert!(temporary_left <= 1, "{temporary_left} temporary files left");
}

fn marks_in_file(h: &Harness) -> Option<Day> {
    read_day(&h.day_file()).ok().flatten()
}

fn leftovers(dir: &Path) -> u32 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.filter(|e| e.as_ref().is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".tmp"))).count()
                as u32
        })
        .unwrap_or(0)
}

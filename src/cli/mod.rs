//! The command line: global options, subcommands, and one clear line per error.

mod export;
mod journal;
mod stats;
mod status;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::day::{ActionError, RateTarget, Rating, shown_safely};
use crate::format::capitalised;
use crate::session::{Now, Session, SessionOptions};
use crate::store::DirFlags;

/// A pomodoro timer in which an ouroboros snake eats your work day.
#[derive(Debug, Parser)]
#[command(name = "pomodouroboros", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(flatten)]
    pub window: WindowArgs,
    #[command(flatten)]
    pub overlay: OverlayArgs,
    #[command(flatten)]
    pub bench: BenchArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Hidden options for measuring the window (see `scripts/bench_frames.sh`).
#[derive(Debug, Args, Default, Clone, Copy)]
pub struct BenchArgs {
    /// Spawn this many sneks, draw without vsync, print frame statistics and quit.
    #[arg(long, hide = true, value_name = "N")]
    pub bench_sneks: Option<u32>,
    /// How long to measure, in seconds, after a 2 s warm-up.
    #[arg(long, hide = true, value_name = "SECONDS", default_value_t = 10.0)]
    pub bench_seconds: f32,
    /// Draw the sneks in their pixel-art canvas from this many on (0: always), rather than from
    /// the app's own threshold (to compare the two ways).
    #[arg(long, hide = true, value_name = "N")]
    pub bench_canvas_from: Option<usize>,
    /// Keep the sneks still where they were spawned (for screenshots to compare).
    #[arg(long, hide = true)]
    pub bench_still: bool,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Fix the clock: RFC 3339 (2026-11-24T09:00:00+01:00) or RFC 9557 with a zone
    /// (2026-11-24T09:00:00+01:00[Europe/Paris]).
    #[arg(long, global = true, value_name = "TIMESTAMP")]
    pub now: Option<Now>,
    /// Folder for day files (absolute); else $POMODOUROBOROS_DATA_DIR, else the platform's.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Folder for settings.ron (absolute); else $POMODOUROBOROS_CONFIG_DIR, else the platform's.
    #[arg(long, global = true, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    /// A 3-minute day starting now (30 s pomodoros, 10 s breaks), kept apart in a test/ folder.
    #[arg(long, global = true)]
    pub test_day: bool,
    /// With --test-day: run the clock N times faster (a test day in 3 min / N), for tests and
    /// demonstrations.
    #[arg(long, global = true, value_name = "N")]
    pub speed: Option<f64>,
}

/// How the window opens.
#[derive(Debug, Args, Default, Clone, Copy)]
#[group(multiple = false)]
pub struct WindowArgs {
    /// Open fullscreen.
    #[arg(long)]
    pub fullscreen: bool,
    /// Open in a normal window (the default).
    #[arg(long)]
    pub windowed: bool,
    /// Open the small always-on-top view of the ring.
    #[arg(long)]
    pub mini: bool,
}

/// Whether the overlay shows for this run, whatever the settings say.
#[derive(Debug, Args, Default, Clone, Copy)]
pub struct OverlayArgs {
    /// Show the overlay over every monitor for this run.
    #[arg(long, conflicts_with = "no_overlay")]
    pub overlay: bool,
    /// Do not show the overlay for this run.
    #[arg(long)]
    pub no_overlay: bool,
}

impl OverlayArgs {
    /// `Some(on)` when one of the options was given.
    pub fn chosen(self) -> Option<bool> {
        (self.overlay || self.no_overlay).then_some(self.overlay)
    }
}

/// What to do instead of opening the window.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the current interval, time left, intention and score.
    Status(status::StatusArgs),
    /// Set (or, during the grace period, edit) the current pomodoro's intention.
    Intend { text: String },
    /// Replace the current pomodoro's intention; the old one is kept and counts as interrupted.
    Abandon { text: String },
    /// Queue an intention for the next pomodoro that starts without one (no text: list the queue).
    Plan {
        text: Option<String>,
        #[command(flatten)]
        edit: PlanEdit,
    },
    /// Start a pomodoro now, with its full grace period: the rest of the day is laid out again
    /// from this moment (what has passed stays; the day still ends when the work hours end).
    StartNow,
    /// Merge now the conflict copies of today's file that a file-sync engine left in the data
    /// folder (any writing command does it too), and say how many values lost to later ones set on
    /// another machine are kept aside.
    Merge,
    /// Rate the current or the last finished pomodoro.
    Rate {
        rating: RatingArg,
        /// Rate the day's N-th pomodoro instead, counting from 1 as `status` does.
        #[arg(long, value_name = "N", conflicts_with = "index")]
        pomodoro: Option<usize>,
        /// Rate the interval with this index instead (`interval_index` in `status --json`, from 0).
        #[arg(long)]
        index: Option<usize>,
    },
    /// Write in (or, with no option, show) the day's private journal.
    Journal(journal::JournalArgs),
    /// Write days to standard output.
    Export(export::ExportArgs),
    /// Each day of a range (default: the last 30) with totals and streaks.
    Stats(stats::StatsArgs),
    /// Put the app in the desktop's menu (and, with --autostart, start it at login), or take it
    /// out again.
    #[command(subcommand)]
    Desktop(DesktopCommand),
    /// Print the completions for a shell: `pomodouroboros completions bash >
    /// ~/.local/share/bash-completion/completions/pomodouroboros` (zsh: a `_pomodouroboros` file
    /// in `$fpath`; fish: `~/.config/fish/completions/pomodouroboros.fish`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `pomodouroboros man | man -l -`.
    Man,
    /// Steer the running window: show (bring it forward), mini, fullscreen, windowed, quit, snek,
    /// intend (bring it forward with the intention box open: bind it to a desktop shortcut),
    /// overlay on|off|bar|ring, start-now (a pomodoro starts at once).
    Window {
        request: WindowWord,
        /// For `overlay`: on, off, bar or ring.
        #[arg(value_enum)]
        value: Option<OverlayWord>,
    },
}

/// What `plan` does to the queue instead of adding to it (items are numbered from 1, as listed).
#[derive(Debug, Args, Default)]
#[group(multiple = false, conflicts_with = "text")]
pub struct PlanEdit {
    /// Empty the queue.
    #[arg(long)]
    clear: bool,
    /// Take item N out of the queue.
    #[arg(long, value_name = "N")]
    remove: Option<usize>,
    /// Move item N to place M (1 is next in line).
    #[arg(long = "move", value_names = ["N", "M"], num_args = 2)]
    move_to: Option<Vec<usize>>,
    /// Replace the text of item N.
    #[arg(long, value_names = ["N", "TEXT"], num_args = 2)]
    edit: Option<Vec<String>>,
}

impl PlanEdit {
    fn is_none(&self) -> bool {
        !self.clear && self.remove.is_none() && self.move_to.is_none() && self.edit.is_none()
    }
}

/// What `window` asks of the running window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WindowWord {
    Show,
    Mini,
    Fullscreen,
    Windowed,
    Quit,
    Snek,
    Intend,
    Overlay,
    StartNow,
}

/// What `window overlay` asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OverlayWord {
    On,
    Off,
    Bar,
    Ring,
}

/// The request a `window` command line sends: its words as the socket's protocol spells them
/// (`overlay on` is `overlay-on`), read through the protocol's one table of words.
fn window_request(word: WindowWord, value: Option<OverlayWord>) -> Result<crate::desktop::instance::Request, String> {
    let spelled = match (word, value) {
        (WindowWord::Overlay, Some(value)) => format!("overlay-{}", spelling(&value)),
        (WindowWord::Overlay, None) => return Err("`window overlay` needs on, off, bar or ring".into()),
        (_, Some(_)) => return Err("only `window overlay` takes a second word".into()),
        (word, None) => spelling(&word),
    };
    crate::desktop::instance::Request::from_word(&spelled).ok_or_else(|| format!("no such request: {spelled}"))
}

/// A command-line word as it is typed.
fn spelling(word: &impl ValueEnum) -> String {
    word.to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default()
}

/// `desktop install`, `desktop autostart` and `desktop uninstall`.
#[derive(Debug, Subcommand)]
pub enum DesktopCommand {
    /// Write the menu entry and the icon under $XDG_DATA_HOME (and an autostart entry under
    /// $XDG_CONFIG_HOME/autostart); the entry runs this binary, wherever it is.
    Install {
        /// Start the app when you log in (without it, an autostart entry an earlier install
        /// wrote is removed).
        #[arg(long)]
        autostart: bool,
    },
    /// Start the app at login (on) or not (off): the autostart entry only.
    Autostart {
        #[arg(value_parser = ["on", "off"])]
        state: String,
    },
    /// Remove exactly what install wrote, and the folders it made once empty.
    Uninstall,
    /// Print the desktop entry (a package's: `--exec pomodouroboros`, found on the PATH).
    Entry {
        /// What the entry runs (default: this binary, where it is).
        #[arg(long, value_name = "PATH")]
        exec: Option<PathBuf>,
    },
}

/// A rating on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RatingArg {
    Achieved,
    Focused,
    Interrupted,
    Distracted,
}

impl From<RatingArg> for Rating {
    fn from(r: RatingArg) -> Rating {
        match r {
            RatingArg::Achieved => Rating::Achieved,
            RatingArg::Focused => Rating::Focused,
            RatingArg::Interrupted => Rating::Interrupted,
            RatingArg::Distracted => Rating::Distracted,
        }
    }
}

impl Global {
    /// The session options these flags ask for.
    pub fn session_options(&self) -> SessionOptions {
        SessionOptions {
            read_only: false,
            default_settings_on_error: false,
            dirs: DirFlags {
                data_dir: self.data_dir.clone(),
                config_dir: self.config_dir.clone(),
                test_day: self.test_day,
            },
            now: self.now.clone(),
            speed: self.speed,
        }
    }
}

impl Command {
    /// True for the commands that only read: they never write a file.
    pub fn is_read_only(&self) -> bool {
        match self {
            Command::Status(_) | Command::Export(_) | Command::Stats(_) => true,
            Command::Plan { text, edit } => text.is_none() && edit.is_none(),
            Command::Journal(args) => args.is_show(),
            Command::Intend { .. }
            | Command::Abandon { .. }
            | Command::StartNow
            | Command::Merge
            | Command::Rate { .. }
            | Command::Desktop(_)
            | Command::Window { .. } => false,
            Command::Completions { .. } | Command::Man => true,
        }
    }
}

/// Runs a subcommand, printing its output, notices and errors.
pub fn run(global: &Global, command: Command) -> ExitCode {
    let early = match command {
        Command::Completions { shell } => Some(print_completions(shell)),
        Command::Man => Some(print_man()),
        Command::Desktop(ref desktop) => Some(run_desktop(desktop)),
        Command::Window { request, value } => Some(window_request(request, value).and_then(|r| run_window(global, r))),
        _ => None,
    };
    if let Some(result) = early {
        return match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        };
    }
    let options = SessionOptions { read_only: command.is_read_only(), ..global.session_options() };
    let result = Session::open(&options).map_err(Failure::Said).and_then(|mut session| {
        let result = execute(&mut session, command);
        for notice in session.take_notices() {
            eprintln!("note: {notice}");
        }
        result
    });
    match result {
        Ok(()) | Err(Failure::ReaderGone) => ExitCode::SUCCESS,
        Err(Failure::Said(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `window …`: sent to the window on this data folder.
fn run_window(global: &Global, request: crate::desktop::instance::Request) -> Result<(), String> {
    use crate::desktop::instance;
    let dirs = crate::store::Dirs::from_env(&global.session_options().dirs).map_err(|e| e.to_string())?;
    let dir = instance::instance_dir(std::env::var_os("XDG_RUNTIME_DIR"), &dirs.data);
    instance::send(&instance::socket_path(&dir, &dirs.data), request).map_err(|e| e.to_string())
}

/// `completions SHELL`: the shell's completion script, from the command line's definition.
fn print_completions(shell: clap_complete::Shell) -> Result<(), String> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "pomodouroboros", &mut out);
    let text = String::from_utf8(out).map_err(|e| format!("the completions are not text: {e}"))?;
    finish(emit(&text))
}

/// `man`: the manual page, with a section for each subcommand.
fn print_man() -> Result<(), String> {
    finish(emit(&manual()))
}

/// The manual page (roff): the main page, then a COMMANDS section with each subcommand's
/// synopsis, description and options under a heading of its own.
pub fn manual() -> String {
    use clap::CommandFactory;
    let command = Cli::command();
    let mut page = Vec::new();
    // Rendering into memory cannot fail.
    let _ = clap_mangen::Man::new(command.clone()).render(&mut page);
    // The list of subcommands names a page for each (`pomodouroboros-status(1)`); they are all in
    // this one, under COMMANDS.
    let mut page: Vec<u8> = String::from_utf8_lossy(&page)
        .lines()
        .map(|line| match line.strip_prefix("pomodouroboros\\-").and_then(|l| l.strip_suffix("(1)")) {
            Some(sub) => format!("\\fBpomodouroboros {sub}\\fR\n"),
            None => format!("{line}\n"),
        })
        .collect::<String>()
        .into_bytes();
    page.extend_from_slice(b".SH COMMANDS\n");
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("pomodouroboros {}", sub.get_name());
        let man = clap_mangen::Man::new(sub.clone().bin_name(&name));
        let mut section = Vec::new();
        let _ = man.render_synopsis_section(&mut section);
        let _ = man.render_description_section(&mut section);
        let _ = man.render_options_section(&mut section);
        page.extend_from_slice(format!(".SS \"{name}\"\n").as_bytes());
        // The parts' own top-level headings would break the page's outline: the text stays.
        for line in String::from_utf8_lossy(&section).lines() {
            page.extend_from_slice(if line.starts_with(".SH") { b".PP" } else { line.as_bytes() });
            page.push(b'\n');
        }
    }
    String::from_utf8_lossy(&page).into_owned()
}

/// A command's written output, where a closed reader is a quiet success.
fn finish(written: Result<(), Failure>) -> Result<(), String> {
    match written {
        Ok(()) | Err(Failure::ReaderGone) => Ok(()),
        Err(Failure::Said(message)) => Err(message),
    }
}

/// `desktop install` / `uninstall` / `entry`: no day or settings are read.
fn run_desktop(command: &DesktopCommand) -> Result<(), String> {
    use crate::desktop::install;
    let exe = || std::env::current_exe().map_err(|e| format!("cannot tell where this program is: {e}"));
    if let DesktopCommand::Entry { exec } = command {
        let exec = match exec {
            Some(path) => path.clone(),
            None => exe()?,
        };
        return finish(emit(&install::desktop_entry(&exec)));
    }
    let places = install::Places::from_env(|name| std::env::var_os(name))?;
    let done = match command {
        DesktopCommand::Entry { .. } => unreachable!("printed above"),
        &DesktopCommand::Install { autostart } => install::install(&places, &exe()?, autostart)?,
        DesktopCommand::Autostart { state } => install::set_autostart(&places, &exe()?, state == "on")?,
        DesktopCommand::Uninstall => install::Done { removed: install::uninstall(&places)?, ..Default::default() },
    };
    let mut out = String::new();
    for path in &done.wrote {
        out.push_str(&format!("wrote {}\n", path.display()));
    }
    for path in &done.removed {
        out.push_str(&format!("removed {}\n", path.display()));
    }
    if matches!(command, DesktopCommand::Install { autostart: false }) && !done.removed.is_empty() {
        out.push_str("The app no longer starts at login: `pomodouroboros desktop autostart on` turns it back on.\n");
    }
    finish(emit(&out))
}

/// Why a command stopped early.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Something to tell the user; the command exits 1.
    Said(String),
    /// Standard output was closed by its reader (`… | head`): a quiet, successful end, as Unix tools
    /// make it.
    ReaderGone,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self::Said(message)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Self::ReaderGone
        } else {
            Self::Said(format!("cannot write the output: {e}"))
        }
    }
}

/// Writes a command's text to standard output, with bidirectional controls neutralised.
fn emit(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(shown_safely(text).as_bytes())?;
    Ok(out.flush()?)
}

fn execute(session: &mut Session, command: Command) -> Result<(), Failure> {
    let now = session.now();
    let date = session.date_at(now);
    let change = |session: &mut Session, f: &mut dyn FnMut(&mut crate::day::Day) -> Result<String, _>| {
        session.change_day(date, now, f).map(|(msg, _)| msg).map_err(|e| e.describe(&session.tz))
    };
    let session_tz = session.tz.clone();
    let message = match command {
        Command::Status(args) => return status::run(session, now, args),
        Command::Intend { text } => change(session, &mut |day| {
            day.intend(now, &text).map(|i| format!("Intention set for {}: {}", day.interval_name(i), text.trim()))
        })?,
        Command::Abandon { text } => change(session, &mut |day| {
            day.abandon(now, &text)
                .map(|i| format!("{} now intends: {}", capitalised(&day.interval_name(i)), text.trim()))
        })?,
        Command::Plan { text: Some(text), .. } => {
            change(session, &mut |day| day.plan(now, &text).map(|n| format!("Planned ({n} queued): {}", text.trim())))?
        }
        Command::Plan { edit: PlanEdit { clear: true, .. }, .. } => change(session, &mut |day| {
            day.clear_plan(now);
            Ok("The plan is empty.".to_owned())
        })?,
        Command::Plan { edit: PlanEdit { remove: Some(n), .. }, .. } => change(session, &mut |day| {
            day.unplan_item(now, n, None).map(|text| format!("Taken out of the plan: {text}\n{}", listed(&day.plan)))
        })?,
        Command::Plan { edit: PlanEdit { move_to: Some(places), .. }, .. } => {
            change(session, &mut |day| day.move_plan_item(now, places[0], None, places[1]).map(|_| listed(&day.plan)))?
        }
        Command::Plan { edit: PlanEdit { edit: Some(edit), .. }, .. } => {
            let n = edit[0]
                .parse::<usize>()
                .map_err(|_| format!("`--edit N TEXT`: N is an item's number, not “{}”", edit[0]))?;
            change(session, &mut |day| day.edit_plan_item(now, n, None, &edit[1]).map(|()| listed(&day.plan)))?
        }
        Command::StartNow => {
            let timing = session.timing();
            change(session, &mut |day| {
                let i = day.start_now(now, &timing)?;
                Ok(day.started_now_words(i, &timing, &session_tz, "`pomodouroboros intend TEXT`").join("\n"))
            })?
        }
        Command::Merge => {
            if session.store.stamp(date).is_none() && !session.has_conflict_copies(date) {
                "Nothing to merge: no day file for today.".to_owned()
            } else {
                change(session, &mut |day| {
                    let aside = day.sync.aside.len();
                    Ok(format!("The day is merged; {aside} value(s) that lost to later ones are kept aside."))
                })?
            }
        }
        Command::Plan { .. } => {
            let day = session.load_day(date, now)?;
            if day.plan.is_empty() { "Nothing planned.".to_owned() } else { numbered(&day.plan) }
        }
        Command::Rate { rating, index, pomodoro } => {
            let rating = Rating::from(rating);
            change(session, &mut |day| {
                let target = match (pomodoro, index) {
                    (Some(n), _) => RateTarget::Index(
                        n.checked_sub(1)
                            .and_then(|k| day.pomodoro_indices().nth(k))
                            .ok_or(ActionError::NoSuchPomodoro)?,
                    ),
                    (None, index) => index.map_or(RateTarget::Default, RateTarget::Index),
                };
                day.rate(now, rating, target)
                    .map(|i| format!("{} rated {}.", capitalised(&day.interval_name(i)), rating.name()))
            })?
        }
        Command::Journal(args) => return journal::run(session, now, args),
        Command::Export(args) => return export::run(session, now, args),
        Command::Stats(args) => return stats::run(session, now, args),
        Command::Desktop(_) | Command::Window { .. } | Command::Completions { .. } | Command::Man => {
            unreachable!("handled before a session is opened")
        }
    };
    emit(&(message + "\n"))
}

/// The plan after a change: numbered, or said to be empty.
fn listed(plan: &[String]) -> String {
    if plan.is_empty() { "The plan is empty.".to_owned() } else { numbered(plan) }
}

fn numbered(items: &[String]) -> String {
    items.iter().enumerate().map(|(i, t)| format!("{}. {t}", i + 1)).collect::<Vec<_>>().join("\n")
}

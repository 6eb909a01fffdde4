//! The `pomodouroboros` binary: a subcommand, or the window.

use bevy::app::AppExit;
use clap::Parser;
use pomodouroboros::cli::{self, Cli};
use pomodouroboros::desktop::instance;
use pomodouroboros::session::{Session, SessionOptions};
use pomodouroboros::shell::bench::Bench;
use pomodouroboros::shell::{self, ViewMode};

fn main() -> AppExit {
    let launched = std::time::Instant::now();
    let args = Cli::parse();
    if let Some(command) = args.command {
        let code = cli::run(&args.global, command);
        return if code == std::process::ExitCode::SUCCESS { AppExit::Success } else { AppExit::error() };
    }
    if let Some(message) = no_display() {
        eprintln!("error: {message}");
        return AppExit::error();
    }
    let options = SessionOptions { default_settings_on_error: true, ..args.global.session_options() };
    // One window per data folder: a second launch brings the first forward and ends.
    let claimed = if args.bench.bench_sneks.is_some() {
        None
    } else {
        match claim_window(&options) {
            Ok(Claim::Ours(instance)) => Some(instance),
            Ok(Claim::Theirs) => {
                println!("Pomodouroboros is already running: it was brought forward.");
                return AppExit::Success;
            }
            Ok(Claim::Alone) => None,
            Err(message) => {
                eprintln!("error: {message}");
                return AppExit::error();
            }
        }
    };
    let session = match Session::open(&options) {
        Ok(session) => session,
        Err(message) => {
            eprintln!("error: {message}");
            return AppExit::error();
        }
    };
    let view = if args.window.fullscreen {
        ViewMode::Fullscreen
    } else if args.window.mini {
        ViewMode::Mini
    } else {
        ViewMode::Windowed
    };
    let bench = args.bench.bench_sneks.map(|sneks| Bench {
        sneks,
        seconds: args.bench.bench_seconds,
        canvas_from: args.bench.bench_canvas_from,
        still: args.bench.bench_still,
    });
    let overlay = args.overlay.chosen();
    shell::run(session, view, overlay, launched, bench, claimed)
}

enum Claim {
    /// This process is the window; it listens for requests.
    Ours(instance::Instance),
    /// Another window runs on this data folder, and was asked to come forward.
    Theirs,
    /// No socket could be made (it is not needed to run): this window runs unreachable.
    Alone,
}

/// Claims the window's socket for the data folder, or asks the window that holds it to come
/// forward.
fn claim_window(options: &SessionOptions) -> Result<Claim, String> {
    let dirs = pomodouroboros::store::Dirs::from_env(&options.dirs).map_err(|e| e.to_string())?;
    let dir = instance::instance_dir(std::env::var_os("XDG_RUNTIME_DIR"), &dirs.data);
    let socket = instance::socket_path(&dir, &dirs.data);
    match instance::claim(&socket, &dirs.data) {
        Ok(Some(ours)) => Ok(Claim::Ours(ours)),
        Ok(None) => match instance::send(&socket, instance::Request::Show) {
            Ok(()) => Ok(Claim::Theirs),
            Err(e) => Err(format!(
                "another window runs on {} (it holds {}), and it could not be asked to come forward \
                 ({e}); it may have been started with another XDG_RUNTIME_DIR",
                dirs.data.display(),
                instance::lock_path(&dirs.data).display()
            )),
        },
        Err(why) => {
            eprintln!("warning: {why}; this window cannot be reached by `pomodouroboros window …`");
            Ok(Claim::Alone)
        }
    }
}

/// Why no window can open here, if none can: on Linux and the BSDs a window needs an X11 or a
/// Wayland display (the windowing library would otherwise stop with a panic).
fn no_display() -> Option<&'static str> {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return None;
    }
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    (!set("DISPLAY") && !set("WAYLAND_DISPLAY") && !set("WAYLAND_SOCKET")).then_some(
        "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); the \
         subcommands work without one: try `pomodouroboros status`",
    )
}

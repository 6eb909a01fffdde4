//! The `pomodouroboros` binary: a subcommand, or the window.

use bevy::app::AppExit;
use clap::Parser;
use pomodouroboros::cli::{self, Cli};
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
    let bench = args.bench.bench_sneks.map(|sneks| Bench { sneks, seconds: args.bench.bench_seconds });
    shell::run(session, view, launched, bench)
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

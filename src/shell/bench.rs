//! Measuring the real window: `--bench-sneks N --bench-seconds S` spawns N sneks, draws as fast as
//! it can (no vsync), and after a warm-up prints the frame time (median, 99th percentile, longest),
//! the frame rate and the peak resident memory, then each render pass's time in a frame (Bevy's
//! render diagnostics: the time spent recording it, and the time the device took to run it, which
//! on a software renderer is CPU time too), then quits. `scripts/bench_frames.sh` runs it under Xvfb for a table.

use bevy::prelude::*;
use std::time::Duration;

use super::sneks::canvas::CanvasFrom;
use super::sneks::{Arena, Look, SnekRng, spawn_snek};
use super::sprites::Sprites;

/// Frames before this much time has passed are not measured (pipelines compile, caches warm up).
pub const WARM_UP: Duration = Duration::from_secs(2);

/// What to measure.
#[derive(Resource, Debug, Clone, Copy)]
pub struct Bench {
    pub sneks: u32,
    pub seconds: f32,
    /// From how many sneks on they are drawn in their canvas (see `sneks::canvas`), if not the
    /// app's own threshold.
    pub canvas_from: Option<usize>,
    /// Sneks kept where they were spawned.
    pub still: bool,
}

/// The sneks' dice in a measurement: the same sneks in the same places every run.
pub const BENCH_SEED: u64 = 24;

#[derive(Resource, Debug, Default)]
struct FrameTimes(Vec<Duration>);

pub(super) fn plugin(app: &mut App) {
    app.add_plugins(bevy::render::diagnostic::RenderDiagnosticsPlugin);
    app.init_resource::<FrameTimes>();
    app.add_systems(Startup, spawn_bench_sneks);
    app.add_systems(Last, record_frame);
}

/// Runs once after the sprites are loaded.
fn spawn_bench_sneks(
    mut commands: Commands,
    bench: Res<Bench>,
    mut rng: ResMut<SnekRng>,
    arena: Res<Arena>,
    sprites: Res<Sprites>,
    mut canvas: ResMut<CanvasFrom>,
    mut time: ResMut<Time<Virtual>>,
) {
    rng.0 = rand::SeedableRng::seed_from_u64(BENCH_SEED);
    if let Some(from) = bench.canvas_from {
        canvas.0 = from;
    }
    if bench.still {
        // No fixed step runs: every snek keeps its place and its first frame.
        time.pause();
    }
    for serial in 0..u64::from(bench.sneks) {
        spawn_snek(&mut commands, &mut rng.0, &arena, &sprites, serial, Look::Plain);
    }
}

/// Peak resident memory of this process in MiB, where the system says (Linux).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Runs at the end of every frame: records its length, and reports and quits when done.
fn record_frame(
    time: Res<Time<Real>>,
    bench: Res<Bench>,
    mut frames: ResMut<FrameTimes>,
    diagnostics: Res<bevy::diagnostic::DiagnosticsStore>,
    mut exit: MessageWriter<AppExit>,
) {
    if time.elapsed() < WARM_UP {
        return;
    }
    frames.0.push(time.delta());
    if time.elapsed().as_secs_f32() < WARM_UP.as_secs_f32() + bench.seconds {
        return;
    }
    let mut sorted = frames.0.clone();
    sorted.sort();
    let ms = |at: f64| sorted[((sorted.len() - 1) as f64 * at) as usize].as_secs_f64() * 1000.0;
    let (median, p99, max) = (ms(0.5), ms(0.99), ms(1.0));
    let total: Duration = frames.0.iter().sum();
    let fps = frames.0.len() as f64 / total.as_secs_f64().max(1e-9);
    let rss = peak_rss_mib().map_or("unknown".to_owned(), |m| format!("{m:.0}"));
    println!(
        "bench sneks={} frames={} median_frame_ms={median:.2} p99_frame_ms={p99:.2} max_frame_ms={max:.2} fps={fps:.1} peak_rss_mib={rss}",
        bench.sneks,
        frames.0.len()
    );
    println!("{}", passes(&diagnostics));
    exit.write(AppExit::Success);
}

/// Each render pass's time in a frame, averaged over the diagnostics' recent history, as
/// `bench_passes NAME=MS …` (`NAME` is the pass's, then `cpu` or `gpu`: see the module's
/// documentation). Passes of the same name drawn by several cameras in a frame (the window's and
/// an overlay's) are added up: the measurements of one frame share their time.
fn passes(store: &bevy::diagnostic::DiagnosticsStore) -> String {
    let mut line = String::from("bench_passes");
    let mut measured: Vec<(String, f64)> = store
        .iter()
        .filter_map(|d| {
            let name = d.path().as_str().strip_prefix("render/")?;
            let name = name.replace("/elapsed_cpu", ".cpu").replace("/elapsed_gpu", ".gpu");
            let mut frames: Vec<(std::time::Instant, f64)> = Vec::new();
            for m in d.measurements() {
                match frames.last_mut() {
                    Some((time, sum)) if *time == m.time => *sum += m.value,
                    _ => frames.push((m.time, m.value)),
                }
            }
            let mean = frames.iter().map(|(_, v)| v).sum::<f64>() / frames.len().max(1) as f64;
            (!frames.is_empty()).then_some((name, mean))
        })
        .collect();
    measured.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, value) in measured {
        line.push_str(&format!(" {name}={value:.3}"));
    }
    line
}

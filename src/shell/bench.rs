//! Measuring the real window: `--bench-sneks N --bench-seconds S` spawns N sneks, draws as fast as
//! it can (no vsync), and after a warm-up prints the frame-time median, the frame rate and the peak
//! resident memory, then quits. `scripts/bench_frames.sh` runs it under Xvfb for a table.

use bevy::prelude::*;
use std::time::Duration;

use super::sneks::{Arena, Look, SnekRng, spawn_snek};
use super::sprites::Sprites;

/// Frames before this much time has passed are not measured (pipelines compile, caches warm up).
pub const WARM_UP: Duration = Duration::from_secs(2);

/// What to measure.
#[derive(Resource, Debug, Clone, Copy)]
pub struct Bench {
    pub sneks: u32,
    pub seconds: f32,
}

#[derive(Resource, Debug, Default)]
struct FrameTimes(Vec<Duration>);

pub(super) fn plugin(app: &mut App) {
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
) {
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
    let median = sorted[sorted.len() / 2].as_secs_f64() * 1000.0;
    let total: Duration = frames.0.iter().sum();
    let fps = frames.0.len() as f64 / total.as_secs_f64().max(1e-9);
    let rss = peak_rss_mib().map_or("unknown".to_owned(), |m| format!("{m:.0}"));
    println!(
        "bench sneks={} frames={} median_frame_ms={median:.2} fps={fps:.1} peak_rss_mib={rss}",
        bench.sneks,
        frames.0.len()
    );
    exit.write(AppExit::Success);
}

//! The snek update (motion and animation, frame-count compensated) on one core, headless.
//! `cargo run --release --example bench_sneks -- N` runs N sneks (default 100000) for a few
//! hundred fixed ticks; the last line reads `sneks=N ticks=T ns_per_snek_tick=X` (the median fixed
//! tick). The line before gives the whole frame too (the tick plus bringing the sprites up to date).

use bevy::app::{TaskPoolOptions, TaskPoolPlugin};
use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use pomodouroboros::shell::core_plugin;
use pomodouroboros::shell::sneks::{Arena, Look, SnekRng, spawn_snek};
use pomodouroboros::shell::sprites::Sprites;
use rand::SeedableRng;
use rand::rngs::SmallRng;
use std::time::{Duration, Instant};

const TICKS: usize = 300;

fn main() {
    let n: u32 = std::env::args().nth(1).map_or(Ok(100_000), |a| a.parse()).expect("N is a number of sneks");
    let mut app = App::new();
    // One core: a single-threaded task pool.
    app.add_plugins(MinimalPlugins.set(TaskPoolPlugin { task_pool_options: TaskPoolOptions::with_num_threads(1) }));
    app.add_plugins(bevy::input::InputPlugin);
    app.add_plugins(core_plugin);
    app.insert_resource(SnekRng(SmallRng::seed_from_u64(1)));
    let tick = Time::<Fixed>::from_hz(60.0).timestep();
    app.insert_resource(TimeUpdateStrategy::ManualDuration(tick));
    app.add_systems(
        Startup,
        move |mut commands: Commands, mut rng: ResMut<SnekRng>, arena: Res<Arena>, sprites: Res<Sprites>| {
            for serial in 0..u64::from(n) {
                spawn_snek(&mut commands, &mut rng.0, &arena, &sprites, serial, Look::Plain);
            }
        },
    );
    app.update(); // start-up and a zero-length first frame
    app.update();
    // The fixed step alone: what every tick of catch-up costs.
    let mut ticks: Vec<Duration> = Vec::with_capacity(TICKS);
    for _ in 0..TICKS {
        let t = Instant::now();
        app.world_mut().run_schedule(FixedUpdate);
        ticks.push(t.elapsed());
    }
    // A whole frame with one tick: the step, then the sprites brought up to date.
    let mut frames: Vec<Duration> = Vec::with_capacity(TICKS);
    for _ in 0..TICKS {
        let t = Instant::now();
        app.update();
        frames.push(t.elapsed());
    }
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (tick, frame) = (median(ticks), median(frames));
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{n} sneks: fixed tick {:.3} ms, frame with one tick and the sprite update {:.3} ms", ms(tick), ms(frame));
    println!("sneks={n} ticks={TICKS} ns_per_snek_tick={:.2}", tick.as_nanos() as f64 / f64::from(n.max(1)));
}

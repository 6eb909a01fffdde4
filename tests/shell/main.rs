//! Headless Bevy tests of the shell: `MinimalPlugins`, the core plugins, time driven by hand.

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use pomodouroboros::shell::core_plugin;
use pomodouroboros::shell::sneks::{Ghost, MAX_REPLAY, Snek, SnekClock, SnekRng};
use rand::SeedableRng;
use rand::rngs::SmallRng;
use std::time::Duration;

// Clocks that misbehave (daylight saving, jumps, suspend): in this binary, so Bevy is linked once.
mod clocks;
// While you were away: a start after intervals ended unseen, a jump while running.
mod away;
// The overlay's windows follow the monitors.
mod overlay;
// The sneks' pixel-art canvas.
mod canvas;

fn tick() -> Duration {
    Time::<Fixed>::from_hz(60.0).timestep()
}

fn app(seed: u64) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, bevy::input::InputPlugin));
    app.add_plugins(core_plugin);
    app.insert_resource(SnekRng(SmallRng::seed_from_u64(seed)));
    app.insert_resource(TimeUpdateStrategy::ManualDuration(tick()));
    app.update(); // the first update has a zero delta
    app
}

use pomodouroboros::testing::headless_with;

fn press(app: &mut App, text: &str) {
    let window = Entity::PLACEHOLDER;
    app.world_mut().write_message(KeyboardInput {
        key_code: KeyCode::Unidentified(bevy::input::keyboard::NativeKeyCode::Unidentified),
        logical_key: Key::Character(text.into()),
        state: ButtonState::Pressed,
        text: Some(text.into()),
        repeat: false,
        window,
    });
    app.update();
}

fn step(app: &mut App, delta: Duration) {
    app.insert_resource(TimeUpdateStrategy::ManualDuration(delta));
    app.update();
}

/// What a snek is and shows: its state, position, sprite frame and facing.
type Seen = (Snek, Vec3, Option<usize>, bool);

fn sneks(app: &mut App) -> Vec<Seen> {
    let mut q = app.world_mut().query::<(&Snek, &Transform, &Sprite)>();
    let mut all: Vec<_> = q
        .iter(app.world())
        .map(|(s, t, sp)| (*s, t.translation, sp.texture_atlas.as_ref().map(|a| a.index), sp.flip_x))
        .collect();
    all.sort_by_key(|(s, ..)| s.serial);
    all
}

fn spawn_some(app: &mut App) {
    for key in ["s", "S", "s", "s", "S", "s"] {
        press(app, key);
    }
}

#[test]
fn keys_spawn_remove_ghost_and_quit() {
    let mut app = app(1);
    press(&mut app, "s");
    press(&mut app, "S");
    let all = sneks(&mut app);
    assert_eq!(all.len(), 2);
    press(&mut app, "d");
    let left = sneks(&mut app);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].0.serial, all[1].0.serial, "d removes the oldest");
    press(&mut app, "d");
    assert!(sneks(&mut app).is_empty());
    press(&mut app, "d");
    let ghosts = app.world_mut().query::<(&Snek, &Ghost)>().iter(app.world()).count();
    assert_eq!(ghosts, 1, "with none left, d spawns a ghost");
    assert_eq!(app.should_exit(), None);
    press(&mut app, "q");
    assert_eq!(app.should_exit(), Some(AppExit::Success));
}

#[test]
fn sneks_move_and_animate_within_bounds() {
    let mut app = app(2);
    spawn_some(&mut app);
    let before = sneks(&mut app);
    for _ in 0..120 {
        step(&mut app, tick());
    }
    let after = sneks(&mut app);
    for (b, a) in before.iter().zip(&after) {
        assert_ne!(b.1, a.1, "sneks move");
        assert!(a.1.x.abs() <= 640.0 && a.1.y.abs() <= 400.0, "{}", a.1);
    }
    assert!(before.iter().zip(&after).any(|(b, a)| b.2 != a.2), "frames change");
}

/// A run with a hiccup of `ms` and a run without, compared at the same elapsed time.
fn run_with_hiccup(ms: u64) -> (Vec<Seen>, Vec<Seen>) {
    let mut smooth = app(7);
    let mut hiccup = app(7);
    spawn_some(&mut smooth);
    spawn_some(&mut hiccup);
    let frames = 150u32;
    for _ in 0..frames {
        step(&mut smooth, tick());
    }
    // The same wall time, with one frame stalled for `ms` in the middle.
    for _ in 0..10 {
        step(&mut hiccup, tick());
    }
    let stall = Duration::from_millis(ms);
    step(&mut hiccup, stall);
    let mut elapsed = tick() * 10 + stall;
    let total = tick() * frames;
    while elapsed + tick() <= total {
        step(&mut hiccup, tick());
        elapsed += tick();
    }
    if total > elapsed {
        step(&mut hiccup, total - elapsed);
    }
    (sneks(&mut smooth), sneks(&mut hiccup))
}

#[test]
fn hiccups_of_every_size_leave_every_snek_where_it_would_have_been() {
    for ms in (0..=1000).step_by(50).chain([1, 17, 333, 999]) {
        let (smooth, stalled) = run_with_hiccup(ms);
        assert_eq!(smooth.len(), 6);
        assert_eq!(smooth, stalled, "after a {ms} ms hiccup");
    }
}

#[test]
fn a_ten_hour_stall_is_one_step() {
    let mut app = app(3);
    spawn_some(&mut app);
    let before = sneks(&mut app);
    let clock_before = *app.world().resource::<SnekClock>();
    let ten_hours = Duration::from_secs(10 * 3600);
    step(&mut app, ten_hours);
    let clock = *app.world().resource::<SnekClock>();
    let ticks = clock.ticks - clock_before.ticks;
    assert_eq!(ticks, ten_hours.as_nanos() as u64 / tick().as_nanos() as u64);
    let steps = clock.steps_run - clock_before.steps_run;
    assert!(steps <= (MAX_REPLAY.as_nanos() / tick().as_nanos()) as u64 + 1, "{steps} fixed steps replayed");
    assert_eq!(clock.resyncs - clock_before.resyncs, 1);
    // Every snek is where the exact motion puts it after that many ticks.
    for ((b, ..), (a, ..)) in before.iter().zip(sneks(&mut app)) {
        let mut expected = b.motion;
        expected.advance(ticks, pomodouroboros::shell::sneks::TICK_HZ);
        assert_eq!(a.motion, expected);
    }
}

mod low_power {
    use super::*;
    use bevy::window::WindowOccluded;
    use jiff::Timestamp;
    use pomodouroboros::day::{ManualClock, Settings, TimedEvent};
    use pomodouroboros::format::{Detail, time_left};
    use pomodouroboros::shell::face::{ClockDetail, Countdowns};
    use pomodouroboros::shell::power::{HIDDEN_SLEEP, MAX_SLEEP, UNFOCUSED_SLEEP, Wake};
    use pomodouroboros::shell::today::{DayEvent, Today};
    use pomodouroboros::shell::visibility::Hidden;
    use pomodouroboros::testing::{RecordedWhen, advance, memory_session};

    /// A headless app on a three-minute test day starting at `start`, and that day's events.
    fn test_day_app(start: Timestamp, clock: &ManualClock) -> (App, Vec<TimedEvent>) {
        let mut session = memory_session(clock, Settings::default());
        session.start_test_day(start).unwrap();
        let mut app = headless_with(session);
        // As a focused window: the countdown shows seconds.
        app.insert_resource(ClockDetail(Detail::Seconds));
        RecordedWhen::<DayEvent>::record(&mut app);
        app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::ZERO));
        app.update();
        let timeline: Vec<TimedEvent> = {
            let today = app.world().resource::<Today>();
            let (_, end) = today.day().span().unwrap();
            assert_eq!(end.duration_since(start), jiff::SignedDuration::from_mins(3));
            let mut all = Vec::new();
            let mut engine = pomodouroboros::day::DayEngine::new(today.day().clone(), start);
            all.extend_from_slice(engine.advance_to(end));
            all
        };
        (app, timeline)
    }

    /// Sleeps as the app asks, frame after frame, until `end`; returns the number of frames.
    fn sleep_as_asked(app: &mut App, clock: &ManualClock, end: Timestamp, longest: Duration) -> usize {
        let mut frames = 0;
        while clock_now(clock) < end {
            let wake = *app.world().resource::<Wake>();
            assert!(!wake.continuous);
            assert!(wake.after <= longest && !wake.after.is_zero(), "{wake:?}");
            advance(app, clock, wake.after);
            frames += 1;
        }
        frames
    }

    fn assert_all_on_time(app: &App, timeline: &[TimedEvent]) {
        let seen = RecordedWhen::<DayEvent>::of(app);
        let events: Vec<TimedEvent> = seen.iter().map(|(.., e)| e.0).collect();
        assert_eq!(events, timeline, "every event after the start, once, in order");
        for (at, _, e) in seen {
            assert_eq!(*at, e.0.at, "{e:?} came late");
        }
    }

    #[test]
    fn sleeping_between_frames_still_emits_every_interval_change_on_time() {
        let start: Timestamp = "2026-11-24T09:00:00.3Z".parse().unwrap();
        let clock = ManualClock::new(start);
        let (mut app, timeline) = test_day_app(start, &clock);
        let end = start + jiff::SignedDuration::from_secs(181);
        let frames = sleep_as_asked(&mut app, &clock, end, MAX_SLEEP);
        assert_all_on_time(&app, &timeline);
        // About one frame a second plus one per boundary, against 60 a second drawn flat out.
        assert!(frames <= 181 + timeline.len(), "{frames} frames");
    }

    #[test]
    fn a_hidden_window_draws_nothing_and_wakes_only_for_the_days_events() {
        let start: Timestamp = "2026-11-24T09:00:00.3Z".parse().unwrap();
        let clock = ManualClock::new(start);
        let (mut app, timeline) = test_day_app(start, &clock);
        let camera = app.world_mut().spawn((Camera::default(), pomodouroboros::shell::visibility::MainCamera)).id();
        // Another window's camera (an overlay's) is left alone, and its occlusion means nothing.
        let other = app.world_mut().spawn(Camera::default()).id();
        let window = app.world_mut().spawn(bevy::window::PrimaryWindow).id();
        let occluded = |app: &mut App, occluded: bool| {
            app.world_mut().write_message(WindowOccluded { window: Entity::PLACEHOLDER, occluded: !occluded });
            app.world_mut().write_message(WindowOccluded { window, occluded });
            app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::ZERO));
            app.update();
            app.world().get::<Camera>(camera).unwrap().is_active
        };
        assert!(!occluded(&mut app, true), "a hidden window renders nothing");
        assert!(app.world().get::<Camera>(other).unwrap().is_active, "another window's camera is not the main one's");
        assert!(app.world().resource::<Hidden>().0);
        let end = start + jiff::SignedDuration::from_secs(181);
        let frames = sleep_as_asked(&mut app, &clock, end, HIDDEN_SLEEP);
        assert_all_on_time(&app, &timeline);
        // One frame per boundary (and the one after the last), not one a second.
        assert!(frames <= timeline.len() + 1, "{frames} frames for {} events", timeline.len());
        assert!(occluded(&mut app, false), "shown again, it draws in the same frame");
        assert!(app.world().resource::<Wake>().after <= MAX_SLEEP);
    }

    /// An ordinary day (09:00–17:00, 25/5-minute pomodoros) in a window nobody looks at: the
    /// countdowns show minutes, so the window sleeps until one of them turns, the head moves a
    /// pixel or an event comes. Every event still arrives on time, and every countdown text drawn
    /// stays true until the next frame.
    #[test]
    fn an_unfocused_window_on_a_real_day_wakes_a_few_times_a_minute_and_misses_nothing() {
        let start: Timestamp = "2026-12-01T10:00:00.3Z".parse().unwrap();
        let clock = ManualClock::new(start);
        let mut app = headless_with(memory_session(&clock, Settings::default()));
        assert_eq!(app.world().resource::<ClockDetail>().0, Detail::Minutes, "a headless app has no focus");
        RecordedWhen::<DayEvent>::record(&mut app);
        app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::ZERO));
        app.update();
        let end = start + jiff::SignedDuration::from_hours(2);
        let timeline: Vec<TimedEvent> = {
            let today = app.world().resource::<Today>();
            let mut engine = pomodouroboros::day::DayEngine::new(today.day().clone(), start);
            engine.advance_to(end).to_vec()
        };
        assert!(timeline.len() >= 8, "{timeline:?}");
        let mut frames = 0;
        let mut longest = Duration::ZERO;
        while clock_now(&clock) < end {
            let now = clock_now(&clock);
            let wake = *app.world().resource::<Wake>();
            assert!(!wake.continuous && wake.after <= UNFOCUSED_SLEEP, "{wake:?}");
            longest = longest.max(wake.after);
            // What the HUD shows now still reads the same just before the next frame.
            let (shown, texts) = {
                let today = app.world().resource::<Today>();
                let shown = Countdowns::of(today.day(), now, today.score(), true);
                let texts = [
                    (shown.interval_end, Detail::Minutes),
                    (shown.grace_end, Detail::MinutesOnly),
                    (shown.at_risk, Detail::MinutesOnly),
                ]
                .map(|(at, detail)| at.map(|at| (time_left(now, at, detail), at, detail)));
                (shown, texts)
            };
            let next = now + jiff::SignedDuration::try_from(wake.after).unwrap();
            let before_next = next - jiff::SignedDuration::from_nanos(1);
            for (text, at, detail) in texts.into_iter().flatten() {
                if at > before_next {
                    assert_eq!(text, time_left(before_next, at, detail), "stale at {before_next}");
                }
            }
            let _ = shown;
            advance(&mut app, &clock, wake.after);
            assert_eq!(clock_now(&clock), next);
            frames += 1;
        }
        assert_all_on_time(&app, &timeline);
        // The head moves a pixel every 16.5 s (8 hours around a ring of radius 278), minutes turn
        // every 60 s, an interval's last minute counts seconds, and each event brings a bite (12
        // frames) and a frame to settle it: some 1,100 frames in two hours, against 7,200 with a
        // seconds display.
        let ends =
            timeline.iter().filter(|e| matches!(e.event, pomodouroboros::day::Event::IntervalEnded { .. })).count();
        let bound = 7200 / 16 + 120 + 61 * ends + 14 * timeline.len();
        eprintln!("{frames} frames in two hours ({ends} intervals ended, {} events)", timeline.len());
        assert!(frames <= bound, "{frames} frames, more than {bound}");
        assert!(longest >= Duration::from_secs(15), "it never slept long: {longest:?}");
    }

    /// Sneks move on every frame someone watches; unfocused they ask for no frame of their own
    /// (each is put exactly where it belongs on the next frame that comes anyway).
    #[test]
    fn sneks_ask_for_no_frame_of_their_own_while_nobody_watches() {
        let clock = ManualClock::new("2026-12-01T10:00:00.3Z".parse().unwrap());
        let mut app = headless_with(memory_session(&clock, Settings::default()));
        advance(&mut app, &clock, Duration::ZERO);
        let alone = app.world().resource::<Wake>().after;
        for _ in 0..10 {
            press(&mut app, "s");
        }
        assert_eq!(sneks(&mut app).len(), 10);
        advance(&mut app, &clock, Duration::from_millis(10));
        let with_sneks = *app.world().resource::<Wake>();
        assert!(with_sneks.after > MAX_SLEEP, "unfocused, ten sneks: {with_sneks:?} (alone: {alone:?})");
        app.insert_resource(ClockDetail(Detail::Seconds));
        advance(&mut app, &clock, Duration::from_millis(10));
        assert!(app.world().resource::<Wake>().after <= MAX_SLEEP, "watched, they move every frame");
    }

    fn clock_now(clock: &ManualClock) -> Timestamp {
        use pomodouroboros::day::Clock;
        clock.now()
    }
}

#[test]
fn a_change_saved_by_another_process_shows_within_a_second() {
    use jiff::tz::TimeZone;
    use pomodouroboros::session::{Now, Session, SessionOptions};
    use pomodouroboros::shell::today::Today;
    use pomodouroboros::store::DirFlags;

    let dir = tempfile::tempdir().unwrap();
    let options = SessionOptions {
        dirs: DirFlags {
            data_dir: Some(dir.path().join("data")),
            config_dir: Some(dir.path().join("config")),
            test_day: false,
        },
        now: Some(Now { at: "2026-11-24T09:01:00Z".parse().unwrap(), zone: Some(TimeZone::UTC) }),
        read_only: false,
        default_settings_on_error: false,
        speed: None,
    };
    let mut app = app(4);
    app.insert_resource(Today::new(Session::open(&options).unwrap()));
    let frame = Duration::from_millis(100);
    for _ in 0..3 {
        step(&mut app, frame);
    }
    // The command line, another process as far as the window knows, sets an intention.
    let mut other = Session::open(&options).unwrap();
    let now = other.now();
    let date = other.date_at(now);
    other.change_day(date, now, |day| day.intend(now, "from the command line")).unwrap();
    for _ in 0..10 {
        step(&mut app, frame);
    }
    let today = app.world().resource::<Today>();
    assert_eq!(today.day().intervals[0].intention.as_deref(), Some("from the command line"));
}

#[test]
fn an_unreadable_file_for_the_new_date_at_midnight_is_kept_and_said() {
    use pomodouroboros::day::{Clock, ManualClock, Settings};
    use pomodouroboros::shell::today::Today;
    use pomodouroboros::store::FileDayStore;
    use std::sync::Arc;

    let dir = tempfile::tempdir().unwrap();
    let store = FileDayStore::new(dir.path());
    let tomorrow: jiff::civil::Date = "2026-11-25".parse().unwrap();
    let garbage = b"not a day at all \xff\xfe";
    std::fs::create_dir_all(store.path(tomorrow).parent().unwrap()).unwrap();
    std::fs::write(store.path(tomorrow), garbage).unwrap();
    let clock = ManualClock::new("2026-11-24T23:59:59Z".parse().unwrap());
    let session = pomodouroboros::testing::session_on(Arc::new(store), &clock, Settings::default());
    let mut app = app(5);
    app.insert_resource(Today::new(session));
    step(&mut app, Duration::from_millis(100));
    assert_eq!(pomodouroboros::testing::message(&app), None);

    clock.set("2026-11-25T00:00:01Z".parse().unwrap());
    step(&mut app, Duration::from_millis(100));
    let message = pomodouroboros::testing::message(&app).expect("the user is told");
    let today = app.world().resource::<Today>();
    assert_eq!(today.date(), tomorrow);
    assert!(message.contains("unreadable"), "{message}");
    assert_eq!(clock.now(), today.now());
    // The unreadable bytes are still on disk, byte for byte.
    let kept = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("unreadable"))
        .map(|p| std::fs::read(p).unwrap())
        .collect::<Vec<_>>();
    assert_eq!(kept, vec![garbage.to_vec()], "{message}");
}

#[test]
fn egui_draws_live_only_just_after_input_in_a_focused_window_with_a_panel_open() {
    use bevy::window::{PrimaryWindow, RequestRedraw};
    use pomodouroboros::shell::power::{EGUI_LIVE_AFTER_INPUT, EguiLive};

    let mut app = app(6);
    app.add_message::<RequestRedraw>();
    let window = app.world_mut().spawn((Window { focused: true, ..default() }, PrimaryWindow)).id();
    // Keys and redraw requests as egui would send them every frame; `live` reports what passed.
    let frame = |app: &mut App, key: bool| {
        if key {
            press(app, "x");
        }
        app.world_mut().write_message(RequestRedraw);
        step(app, Duration::from_millis(100));
        let live = app.world().resource::<EguiLive>().0;
        let requests = app.world().resource::<Messages<RequestRedraw>>().len();
        (live, requests > 0)
    };
    assert_eq!(frame(&mut app, true), (false, false), "no panel open: egui's requests are dropped");
    open_panel(&mut app, Some(pomodouroboros::shell::input::Panel::Journal));
    assert_eq!(frame(&mut app, true), (true, true), "a panel open and a key just pressed");
    let quiet = EGUI_LIVE_AFTER_INPUT.as_millis() as usize / 100 + 1;
    let after: Vec<_> = (0..quiet).map(|_| frame(&mut app, false)).collect();
    assert_eq!(after.last(), Some(&(false, false)), "a second after the last input: {after:?}");
    app.world_mut().get_mut::<Window>(window).unwrap().focused = false;
    assert_eq!(frame(&mut app, true), (false, false), "unfocused: the journal left open at day's end sleeps");
}

/// Opens `panel` (or closes any) at the next frame, as the panels plugin would.
fn open_panel(app: &mut App, panel: Option<pomodouroboros::shell::input::Panel>) {
    use pomodouroboros::shell::input::PanelState;
    app.world_mut().resource_mut::<NextState<PanelState>>().set(PanelState::of(panel));
}

/// The actions the key map wrote, gathered frame by frame.
#[derive(Resource, Default)]
struct Recorded(Vec<pomodouroboros::shell::input::Action>);

fn record_actions(mut actions: MessageReader<pomodouroboros::shell::input::Action>, mut recorded: ResMut<Recorded>) {
    recorded.0.extend(actions.read().copied());
}

fn key_message(logical_key: Key, state: ButtonState) -> KeyboardInput {
    KeyboardInput {
        key_code: KeyCode::Unidentified(bevy::input::keyboard::NativeKeyCode::Unidentified),
        text: match &logical_key {
            Key::Character(c) => Some(c.clone()),
            _ => None,
        },
        logical_key,
        state,
        repeat: false,
        window: Entity::PLACEHOLDER,
    }
}

#[test]
fn no_key_is_a_shortcut_while_a_text_panel_is_open() {
    use pomodouroboros::shell::AppSystems;
    use pomodouroboros::shell::input::{Action, Panel};

    let mut app = app(8);
    app.init_resource::<Recorded>();
    app.add_systems(Update, record_actions.after(AppSystems::RecordInput).before(AppSystems::Update));
    let mut keys: Vec<Key> = (' '..='~').map(|c| Key::Character(c.to_string().into())).collect();
    keys.extend("日本語éß".chars().map(|c| Key::Character(c.to_string().into())));
    keys.extend([Key::Enter, Key::F1, Key::Tab, Key::Backspace, Key::ArrowUp, Key::PageDown, Key::Space]);
    for panel in [Panel::Intention, Panel::Plan, Panel::Journal, Panel::Settings] {
        open_panel(&mut app, Some(panel));
        app.world_mut().resource_mut::<Recorded>().0.clear();
        for key in &keys {
            app.world_mut().write_message(key_message(key.clone(), ButtonState::Pressed));
            app.world_mut().write_message(key_message(key.clone(), ButtonState::Released));
            step(&mut app, tick());
        }
        assert_eq!(app.world().resource::<Recorded>().0, vec![], "{panel:?}: typed keys acted");
        assert!(sneks(&mut app).is_empty() && app.should_exit().is_none());
        // Escape closes the panel; Ctrl+Q quits from anywhere.
        app.world_mut().write_message(key_message(Key::Escape, ButtonState::Pressed));
        step(&mut app, tick());
        assert_eq!(app.world().resource::<Recorded>().0, vec![Action::Close], "{panel:?}");
    }
    open_panel(&mut app, Some(Panel::Journal));
    app.world_mut().resource_mut::<Recorded>().0.clear();
    for (key, state) in [
        (Key::Control, ButtonState::Pressed),
        (Key::Character("q".into()), ButtonState::Pressed),
        (Key::Control, ButtonState::Released),
    ] {
        app.world_mut().write_message(key_message(key, state));
    }
    step(&mut app, tick());
    assert_eq!(app.world().resource::<Recorded>().0, vec![Action::Quit]);
}

#[test]
fn keys_typed_in_the_frame_that_opens_a_text_panel_are_not_shortcuts() {
    use pomodouroboros::shell::AppSystems;
    use pomodouroboros::shell::input::{Action, Panel};

    let mut app = app(9);
    app.init_resource::<Recorded>();
    app.add_systems(Update, record_actions.after(AppSystems::RecordInput).before(AppSystems::Update));
    for c in ["i", "s", "m", "q"] {
        app.world_mut().write_message(key_message(Key::Character(c.into()), ButtonState::Pressed));
    }
    step(&mut app, tick());
    assert_eq!(app.world().resource::<Recorded>().0, vec![Action::Open(Panel::Intention)]);
    assert!(sneks(&mut app).is_empty());
    // With nothing open, Escape does nothing and q quits.
    open_panel(&mut app, None);
    app.world_mut().write_message(key_message(Key::Escape, ButtonState::Pressed));
    step(&mut app, tick());
    assert_eq!(app.should_exit(), None, "Escape never quits");
}

mod refused_saves {
    use super::*;
    use jiff::Timestamp;
    use jiff::civil::Date;
    use pomodouroboros::day::{Day, ManualClock, Settings};
    use pomodouroboros::shell::actions::DayAction;
    use pomodouroboros::shell::persist::{Persist, SAVE_RETRY_PERIOD};
    use pomodouroboros::shell::today::Today;
    use pomodouroboros::store::{Change, DayStore, FileDayStore, Notice, Saved, Stamp, StoreError, UpdateError};
    use pomodouroboros::testing::{act, message};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    const DATE: Date = jiff::civil::date(2026, 11, 24);

    /// The real file store on a disk that is full while `full` is set: every save fails with the
    /// operating system's ENOSPC, as a full tmpfs gives it.
    struct FullDisk {
        files: FileDayStore,
        full: AtomicBool,
    }

    impl DayStore for FullDisk {
        fn load(&self, date: Date, now: Timestamp) -> Result<(Option<Day>, Vec<Notice>), StoreError> {
            self.files.load(date, now)
        }
        fn update(
            &self,
            date: Date,
            now: Timestamp,
            fresh: &dyn Fn() -> Day,
            change: Change<'_>,
        ) -> Result<Saved, UpdateError> {
            if self.full.load(Ordering::SeqCst) {
                let error = std::io::Error::from_raw_os_error(28);
                return Err(StoreError::Io { action: "write", path: self.files.path(date), error }.into());
            }
            self.files.update(date, now, fresh, change)
        }
        fn stamp(&self, date: Date) -> Option<Stamp> {
            self.files.stamp(date)
        }
        fn dates(&self) -> Result<Vec<Date>, StoreError> {
            self.files.dates()
        }
        fn seen_until(&self, date: Date) -> Option<Timestamp> {
            self.files.seen_until(date)
        }
        fn set_seen_until(&self, date: Date, at: Timestamp) -> Result<(), StoreError> {
            self.files.set_seen_until(date, at)
        }
    }

    fn window(store: Arc<dyn DayStore>) -> App {
        let clock = ManualClock::new("2026-11-24T09:01:00Z".parse().unwrap());
        let session = pomodouroboros::testing::session_on(store, &clock, Settings::default());
        let mut app = app(6);
        app.insert_resource(Today::new(session));
        step(&mut app, Duration::from_millis(100));
        app
    }

    fn intend(app: &mut App, text: &str) -> Option<usize> {
        match act(app, DayAction::Intend(text.into())) {
            Ok(pomodouroboros::shell::actions::Outcome::Interval(i)) => Some(i),
            _ => None,
        }
    }

    fn unsaved(app: &App) -> Option<String> {
        app.world().resource::<Persist>().unsaved().map(str::to_owned)
    }

    fn wait_for_retry(app: &mut App) {
        for _ in 0..(SAVE_RETRY_PERIOD.as_secs() + 1) {
            step(app, Duration::from_secs(1));
        }
    }

    #[test]
    fn a_full_disk_keeps_changes_on_screen_and_saves_them_when_room_comes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(FullDisk { files: FileDayStore::new(dir.path()), full: AtomicBool::new(true) });
        let mut app = window(store.clone());
        assert_eq!(intend(&mut app, "written while the disk is full"), Some(0));
        let today = app.world().resource::<Today>();
        assert_eq!(today.day().intervals[0].intention.as_deref(), Some("written while the disk is full"));
        let message = message(&app).unwrap();
        assert!(message.contains("No space left on device") && message.contains("2026-11-24.ron"), "{message}");
        assert!(unsaved(&app).is_some());
        // Another change while it waits; a refused action is still refused.
        assert!(act(&mut app, DayAction::Plan("and a plan".into())).is_ok());
        assert!(act(&mut app, DayAction::Plan("   ".into())).is_err(), "an empty plan is refused");
        wait_for_retry(&mut app);
        assert!(unsaved(&app).is_some(), "still full: still waiting");
        assert!(!store.files.path(DATE).exists());
        store.full.store(false, Ordering::SeqCst);
        wait_for_retry(&mut app);
        assert_eq!(unsaved(&app), None);
        let today = app.world().resource::<Today>();
        let saved = store.load(DATE, today.now()).unwrap().0.unwrap();
        assert_eq!(saved.intervals[0].intention.as_deref(), Some("written while the disk is full"));
        assert_eq!(saved.plan, ["and a plan"]);
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".tmp"));
        assert_eq!(leftovers.count(), 0);
    }

    /// Quitting with a change the store refused asks first; asked again, the app ends and a copy of
    /// the day is written where it can be (as at a logout's SIGTERM, which does not ask).
    #[test]
    fn quitting_with_changes_not_on_disk_asks_first_and_keeps_a_copy() {
        use pomodouroboros::shell::input::{Action, Panel, PanelState};
        let dir = tempfile::tempdir().unwrap();
        let store =
            Arc::new(FullDisk { files: FileDayStore::new(dir.path().join("data")), full: AtomicBool::new(true) });
        let mut app = window(store);
        let elsewhere = dir.path().join("elsewhere");
        app.world_mut().resource_mut::<Persist>().set_elsewhere(elsewhere.clone());
        assert_eq!(intend(&mut app, "typed while the disk is full"), Some(0));
        assert!(unsaved(&app).is_some());
        app.world_mut().write_message(Action::Quit);
        step(&mut app, Duration::from_millis(100));
        assert_eq!(app.should_exit(), None, "not while a change is not on disk");
        assert_eq!(*app.world().resource::<State<PanelState>>().get(), PanelState::Open(Panel::Quit));
        assert!(!elsewhere.exists(), "nothing written elsewhere while the app runs");
        app.world_mut().write_message(Action::Quit);
        step(&mut app, Duration::from_millis(100));
        assert!(app.should_exit().is_some(), "asked again, it quits");
        let copies: Vec<_> = std::fs::read_dir(&elsewhere).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(copies.len(), 1, "{copies:?}");
        let copy = std::fs::read_to_string(&copies[0]).unwrap();
        assert!(copy.contains("typed while the disk is full"), "{copy}");
    }

    #[test]
    fn a_folder_where_the_day_file_should_be_is_named_kept_and_waited_out() {
        let dir = tempfile::tempdir().unwrap();
        let files = FileDayStore::new(dir.path().join("data"));
        std::fs::create_dir_all(files.path(DATE)).unwrap();
        std::fs::write(files.path(DATE).join("mine.txt"), b"not yours").unwrap();
        let mut app = window(Arc::new(files.clone()));
        assert_eq!(intend(&mut app, "kept on screen"), Some(0));
        let message = message(&app).unwrap();
        assert!(message.contains("2026-11-24.ron is a folder"), "{message}");
        wait_for_retry(&mut app);
        assert_eq!(std::fs::read(files.path(DATE).join("mine.txt")).unwrap(), b"not yours", "nothing deleted");
        // The user moves the folder away: the next try saves.
        std::fs::rename(files.path(DATE), dir.path().join("moved")).unwrap();
        wait_for_retry(&mut app);
        let now = app.world().resource::<Today>().now();
        let saved = files.load(DATE, now).unwrap().0.unwrap();
        assert_eq!(saved.intervals[0].intention.as_deref(), Some("kept on screen"));
    }
}

#[test]
fn the_history_reads_a_year_off_the_frame_and_counts_it() {
    use jiff::tz::TimeZone;
    use jiff::{SignedDuration, Timestamp};
    use pomodouroboros::day::{Day, ManualClock, RateTarget, Rating, Settings};
    use pomodouroboros::shell::input::{Action, Panel};
    use pomodouroboros::shell::past_days::History;
    use pomodouroboros::store::{FileDayStore, encode_day};
    use std::sync::Arc;

    // 400 days on file, each with its first pomodoro achieved.
    let dir = tempfile::tempdir().unwrap();
    let store = FileDayStore::new(dir.path());
    std::fs::create_dir_all(store.dir()).unwrap();
    let settings = Settings::default();
    let timing = settings.timing().unwrap();
    let today: jiff::civil::Date = "2026-12-01".parse().unwrap();
    for n in 1..=400 {
        let date = today - jiff::Span::new().days(n);
        let start = date.to_zoned(TimeZone::UTC).unwrap().timestamp() + SignedDuration::from_hours(9);
        let weekend = date.weekday().to_monday_zero_offset() >= 5;
        let span = (!weekend).then(|| (start, start + SignedDuration::from_hours(8)));
        let mut day = Day::new(date, span, &timing);
        if !weekend {
            day.intend(start + SignedDuration::from_mins(1), "a day of the year").unwrap();
            day.rate(start + SignedDuration::from_mins(26), Rating::Achieved, RateTarget::Index(0)).unwrap();
        }
        std::fs::write(store.path(date), encode_day(&day).unwrap()).unwrap();
    }
    // One damaged file among them: moved aside and said, the rest still shown.
    let damaged = today - jiff::Span::new().days(11);
    std::fs::write(store.path(damaged), b"(version: 1, day: (date: \"cut short").unwrap();
    let now: Timestamp = "2026-12-01T08:00:00Z".parse().unwrap();
    let session = pomodouroboros::testing::session_on(Arc::new(store), &ManualClock::new(now), settings);
    let mut app = headless_with(session);
    app.insert_resource(TimeUpdateStrategy::ManualDuration(tick()));
    app.update();
    app.world_mut().write_message(Action::Open(Panel::History));
    app.update();
    // The frame that opened it did not read it: the read runs on its own thread.
    let history = app.world().resource::<History>();
    assert!(history.is_loading() && history.loaded().is_none());
    let mut frames = 0;
    while app.world().resource::<History>().loaded().is_none() {
        std::thread::sleep(Duration::from_millis(20));
        app.update();
        frames += 1;
        assert!(frames < 500, "the history never came");
    }
    let history = app.world().resource::<History>();
    let loaded = history.loaded().unwrap();
    assert_eq!(loaded.year.days.len(), 365);
    assert_eq!(loaded.days.len(), 363, "a year up to today: 364 days on file, one damaged, today not yet");
    let message = pomodouroboros::testing::message(&app).unwrap_or_default();
    assert!(message.contains(&format!("{damaged}.ron")) && message.contains("moved"), "{message}");
    // 52 weeks before today: 260 work days, each achieved but the damaged one (Friday 20
    // November); weekends free.
    let worked = loaded.year.days.iter().filter(|f| f.counts.achieved == 1).count();
    assert_eq!((worked, loaded.year.totals.counts.achieved), (259, 259));
    // The damaged day reads as not recorded, which breaks the run: 6 work days since (today not
    // over yet), 253 before.
    assert_eq!((loaded.year.streaks.current, loaded.year.streaks.longest), (6, 253));
}

/// Bevy's ambiguity detection over every schedule of the headless app: no two of the app's
/// systems touch the same resource or component (one of them writing) without an order between
/// them, so what a frame does never depends on which of them the executor picks first.
#[test]
fn no_two_systems_of_the_app_touch_the_same_thing_in_no_order() {
    use bevy::ecs::schedule::{LogLevel, ScheduleBuildSettings, ScheduleLabel};
    use pomodouroboros::day::{ManualClock, Settings};
    use pomodouroboros::testing::memory_session;

    let clock = ManualClock::new("2026-11-24T09:01:00Z".parse().unwrap());
    let mut app = headless_with(memory_session(&clock, Settings::default()));
    let warn = ScheduleBuildSettings { ambiguity_detection: LogLevel::Warn, ..default() };
    for label in [First.intern(), PreUpdate.intern(), Update.intern(), PostUpdate.intern(), Last.intern()] {
        app.edit_schedule(label, |schedule| {
            schedule.set_build_settings(warn.clone());
        });
    }
    app.update();
    let world = app.world();
    let mut found = Vec::new();
    for (label, schedule) in world.resource::<Schedules>().iter() {
        let Ok(systems) = schedule.systems() else { continue };
        let names: std::collections::HashMap<_, _> = systems.map(|(key, system)| (key, system.name())).collect();
        for (a, b, on) in schedule.graph().conflicting_systems().iter() {
            let (a, b) = (names[a].to_string(), names[b].to_string());
            if a.starts_with("pomodouroboros::") || b.starts_with("pomodouroboros::") {
                let on: Vec<String> = on
                    .iter()
                    .map(|id| world.components().get_name(*id).map_or_else(String::new, |n| n.to_string()))
                    .collect();
                found.push(format!("{label:?}: {a} and {b} on {on:?}"));
            }
        }
    }
    assert!(found.is_empty(), "unordered pairs:\n{}", found.join("\n"));
}

/// A hand edit of `settings.ron` reaches a running window within a second: the part of the day
/// not started is laid out again; a typo is told with its line and column, and the settings in
/// use stay.
#[test]
fn a_hand_edit_of_settings_ron_is_picked_up_and_a_typo_told() {
    use pomodouroboros::day::{ManualClock, Settings};
    use pomodouroboros::shell::today::Today;
    use pomodouroboros::testing::{advance, memory_session, message};

    let config = tempfile::tempdir().unwrap();
    let clock = ManualClock::new("2026-11-24T08:00:00Z".parse().unwrap());
    let mut session = memory_session(&clock, Settings::default());
    session.dirs.config = config.path().to_path_buf();
    let mut app = headless_with(session);
    for _ in 0..2 {
        advance(&mut app, &clock, Duration::from_millis(600));
    }
    let length = |app: &App| app.world().resource::<Today>().day().intervals[0].length();
    assert_eq!(length(&app), jiff::SignedDuration::from_mins(25));
    let file = config.path().join("settings.ron");
    std::fs::write(&file, "(version: 1, settings: (pomodoro_minutes: 50))\n").unwrap();
    advance(&mut app, &clock, Duration::from_millis(600));
    assert_eq!(app.world().resource::<Today>().session().settings.pomodoro_minutes, 50);
    assert_eq!(length(&app), jiff::SignedDuration::from_mins(50), "the day laid out again");
    std::fs::write(&file, "(version: 1, settings: (pomodoro_minutes: fifty))\n").unwrap();
    advance(&mut app, &clock, Duration::from_millis(600));
    let told = message(&app).unwrap_or_default();
    assert!(told.contains("settings.ron") && told.contains("line"), "{told}");
    assert_eq!(app.world().resource::<Today>().session().settings.pomodoro_minutes, 50, "the settings in use stay");
}

/// A launch in another time zone (the previous evening there) invents no day: nothing is written
/// for a date on which the user did nothing and no interval ended with the window open, and the
/// change of zone is told.
#[test]
fn a_launch_in_another_time_zone_invents_no_day_and_says_so() {
    use jiff::tz::{TimeZone, offset};
    use pomodouroboros::day::{ManualClock, Settings};
    use pomodouroboros::session::Session;
    use pomodouroboros::store::{DayStore, FileDayStore, save_last_zone};
    use pomodouroboros::testing::message;
    use std::sync::Arc;

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    let store = Arc::new(FileDayStore::new(dir.path().join("data")));
    // 10:00 on 25 November in UTC+8: the user plans there; that run's zone is kept.
    let clock = ManualClock::new("2026-11-25T02:00:00Z".parse().unwrap());
    let now = "2026-11-25T02:00:00Z".parse().unwrap();
    let mut there =
        Session::with(store.clone(), Arc::new(clock.clone()), TimeZone::fixed(offset(8)), Settings::default());
    there.change_day(jiff::civil::date(2026, 11, 25), now, |d| d.plan(now, "planned in UTC+8")).unwrap();
    save_last_zone(&config, "UTC+08").unwrap();
    // Launched at the same instant in UTC-5: 21:00 on the 24th there, after work hours.
    let mut here =
        Session::with(store.clone(), Arc::new(clock.clone()), TimeZone::fixed(offset(-5)), Settings::default());
    here.dirs.config = config.clone();
    here.dirs.state = dir.path().join("state");
    let mut app = headless_with(here);
    for _ in 0..3 {
        step(&mut app, Duration::from_millis(600));
    }
    let told = message(&app).unwrap_or_default();
    assert!(told.contains("UTC-05") && told.contains("UTC+08") && told.contains("2026-11-24"), "{told}");
    app.world_mut().write_message(AppExit::Success);
    app.update();
    assert_eq!(store.dates().unwrap(), vec![jiff::civil::date(2026, 11, 25)], "no day invented for the 24th");
}

/// The close button: while the tray (or the overlay) keeps the day in view it puts the window
/// away (minimised, drawn no more) and the app runs on; once nothing keeps it, the window put away
/// is asked forward again and the close button quits.
#[test]
fn the_close_button_puts_the_window_away_while_the_tray_keeps_the_app_and_quits_otherwise() {
    use bevy::window::{PrimaryWindow, WindowCloseRequested};
    use pomodouroboros::shell::quit::StayOnClose;
    use pomodouroboros::shell::visibility::{Hidden, PutAway};
    use pomodouroboros::shell::window::Raise;
    let mut app = app(1);
    let window = app.world_mut().spawn((Window::default(), PrimaryWindow)).id();
    app.world_mut().resource_mut::<StayOnClose>().tray = true;
    app.world_mut().write_message(WindowCloseRequested { window });
    app.update();
    assert_eq!(app.should_exit(), None, "the app runs on in the tray");
    assert!(app.world().resource::<PutAway>().0);
    app.update();
    assert!(app.world().resource::<Hidden>().0, "a window put away is not drawn");
    // The host goes: the window is asked forward, and the close button quits again.
    app.world_mut().resource_mut::<StayOnClose>().tray = false;
    app.update();
    assert_eq!(app.world().resource::<Messages<Raise>>().iter_current_update_messages().count(), 1);
    app.world_mut().write_message(WindowCloseRequested { window });
    app.update();
    assert_eq!(app.should_exit(), Some(AppExit::Success));
}

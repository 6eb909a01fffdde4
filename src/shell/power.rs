//! Power: the app wakes only when something visible is due to change. Focused, the clock shows
//! seconds and the window wakes on each (the snake's tongue and breath move on those same frames),
//! and, with sneks on screen, every frame. Unfocused, nobody watches seconds tick: the clock shows
//! minutes (seconds again in an interval's last minute) and the window wakes when a countdown's
//! minute turns, the snake's head has moved a pixel, or the day's next event comes. The day always
//! follows the wall clock and sneks catch up exactly, so sleeping never costs accuracy.
//! While the window is hidden (minimised or covered) nothing is drawn at all: the app wakes only
//! for the day's next event, and draws again as soon as the window shows.

use bevy::ecs::schedule::SingleThreadedExecutor;
use bevy::input::keyboard::KeyboardInput;
use bevy::input::mouse::{MouseButtonInput, MouseWheel};
use bevy::prelude::*;
use bevy::window::{CursorMoved, PrimaryWindow, RequestRedraw, WindowOccluded};
use bevy::winit::{EventLoopProxyWrapper, UpdateMode, WinitSettings, WinitUserEvent};
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;
use std::time::Instant;

use super::AppSystems;
use super::input::PanelOpen;
use super::ring::Layout;
use super::ring::snake::{BITE_SECS, Bite, SWALLOW_SECS};
use super::screen::Areas;
use super::sneks::Snek;
use super::today::Today;
use super::ui::hud::{Countdowns, shows_all};
use super::window::{View, ViewMode};
use crate::format::Detail;

/// The longest a focused window sleeps (the countdown shows seconds), and the longest any window
/// with sneks on screen sleeps.
pub const MAX_SLEEP: Duration = Duration::from_secs(1);
/// The longest an unfocused window in view sleeps when nothing it shows changes sooner (after the
/// day's end, say): the next date is never shown later than this. (The file watcher, the remote
/// control and the other threads wake the window loop themselves.)
pub const UNFOCUSED_SLEEP: Duration = Duration::from_secs(60);
/// The window loop's own timeout, a safety net only: the waker thread wakes the app on time.
/// (Changing the loop's timeout every frame would itself wake the loop at once.)
pub const SAFETY_SLEEP: Duration = Duration::from_secs(60);
/// The longest a hidden window sleeps when no day event comes sooner (the window loop's own
/// safety net wakes it more often than this anyway).
pub const HIDDEN_SLEEP: Duration = Duration::from_secs(60);
/// The shortest sleep worth asking for.
pub const MIN_SLEEP: Duration = Duration::from_millis(1);
/// How long after the last key or pointer input egui may draw every frame it asks for (its
/// animations are short and start from input; typing wakes the window loop by itself).
pub const EGUI_LIVE_AFTER_INPUT: Duration = Duration::from_secs(1);
/// Sleep while a short animation plays and the window is focused (about 30 frames a second).
const ANIMATION_FRAME: Duration = Duration::from_millis(33);
/// After a frame in which what the window shows changed (a panel, a message, the day), the next
/// one comes this soon: egui lays out new text in a first, invisible pass and shows it in the
/// next, and an unfocused window might otherwise sleep a minute in between.
const SETTLE_FRAME: Duration = Duration::from_millis(50);

/// How the next frame should come: at once (continuous) or after a sleep.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wake {
    /// Draw every frame (sneks on screen and the window focused).
    pub continuous: bool,
    /// Otherwise sleep at most this long.
    pub after: Duration,
}

impl Default for Wake {
    fn default() -> Self {
        Self { continuous: true, after: MIN_SLEEP }
    }
}

/// Draw every frame whatever the focus (for measuring frame rates).
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeepDrawing(pub bool);

/// Sends wake-up deadlines to a thread that wakes the window loop when one is due.
#[derive(Resource)]
pub struct Waker(Sender<Instant>);

/// Whether the window is hidden (minimised, or wholly covered where the platform says so).
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hidden(pub bool);

/// How finely the countdowns are shown this frame: seconds while the window has focus, minutes
/// otherwise (and in a headless app, which has no window to focus).
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockDetail(pub Detail);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Wake>();
    app.init_resource::<KeepDrawing>();
    app.init_resource::<EguiWakes>();
    app.init_resource::<EguiLive>();
    app.init_resource::<Hidden>();
    app.insert_resource(ClockDetail(Detail::Minutes));
    // Window messages, registered here too so that a headless app (input plugin, no window plugin)
    // runs the same systems.
    app.add_message::<WindowOccluded>();
    app.add_message::<CursorMoved>();
    app.add_systems(Startup, start_waker);
    app.add_systems(First, (note_hidden, draw_only_when_shown, choose_clock_detail).chain());
    app.add_systems(Update, (plan_wake, apply_wake).chain().after(AppSystems::Present));
    app.add_systems(Last, (decide_egui_live, drop_idle_redraw_requests, quiet_egui_wakeups).chain());
}

/// Runs every schedule of the app and of its render world on one thread. The app has few, small
/// systems: on two cores with a software rasterizer, waking the task pool's threads for them each
/// frame cost about as much CPU as the systems themselves (an idle unfocused window's CPU share
/// fell by about 40 % with this alone, and frames got faster; see the README). Add it after every
/// other plugin: it acts in `cleanup`, once every plugin has made its schedules.
pub struct SingleThreaded;

impl Plugin for SingleThreaded {
    fn build(&self, _app: &mut App) {}

    fn cleanup(&self, app: &mut App) {
        for sub_app in app.sub_apps_mut().iter_mut() {
            if let Some(mut schedules) = sub_app.world_mut().get_resource_mut::<Schedules>() {
                for (_, schedule) in schedules.iter_mut() {
                    schedule.set_executor(SingleThreadedExecutor::new());
                }
            }
        }
    }
}

/// Runs first in the frame, before anything decides what to draw: the platform reports a hidden
/// window as occluded (on X11 when it is minimised or fully covered; on Wayland when suspended).
fn note_hidden(mut occluded: MessageReader<WindowOccluded>, mut hidden: ResMut<Hidden>) {
    if let Some(last) = occluded.read().last() {
        hidden.set_if_neq(Hidden(last.occluded));
    }
}

/// Runs right after: a hidden window's camera is switched off, so the frame renders nothing and
/// presents nothing, and back on, in the same frame, when the window shows again.
fn draw_only_when_shown(hidden: Res<Hidden>, keep_drawing: Res<KeepDrawing>, mut cameras: Query<&mut Camera>) {
    if !hidden.is_changed() {
        return;
    }
    let active = !hidden.0 || keep_drawing.0;
    for mut camera in &mut cameras {
        if camera.is_active != active {
            camera.is_active = active;
        }
    }
}

/// Runs first in the frame, before anything is drawn or planned: seconds for a focused window (or
/// one measured flat out), minutes for the rest. A focus change wakes the window loop, so the
/// detail switches on the very frame the focus does.
fn choose_clock_detail(
    windows: Query<&Window, With<PrimaryWindow>>,
    keep_drawing: Res<KeepDrawing>,
    mut detail: ResMut<ClockDetail>,
) {
    // A headless app has no window: its detail stays as set (minutes, unless a test says otherwise).
    let Ok(window) = windows.single() else { return };
    let next = if window.focused || keep_drawing.0 { Detail::Seconds } else { Detail::Minutes };
    detail.set_if_neq(ClockDetail(next));
}

/// What egui may ask of the window loop, shared with the repaint callback egui calls.
#[derive(Resource, Debug, Clone, Default)]
pub struct EguiWakes {
    /// Whether egui's "repaint now" requests pass (see [`EguiLive`]).
    now: Arc<AtomicBool>,
    /// The earliest "repaint after a while" egui asked for (a text cursor's blink).
    later: Arc<Mutex<Option<Instant>>>,
}

/// Whether egui draws live this frame: a panel is open, the window is focused and shown, and the
/// user touched a key or the pointer within [`EGUI_LIVE_AFTER_INPUT`]. Otherwise egui is drawn
/// with the rest of the window (once a second), however often it asks.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EguiLive(pub bool);

/// Runs at the end of the frame, after this frame's input: decides whether egui draws live (see
/// [`EguiLive`]), noting when the user last pressed a key, clicked, scrolled or moved the pointer.
#[allow(clippy::too_many_arguments)]
fn decide_egui_live(
    (mut keys, mut buttons, mut wheels, mut moves): (
        MessageReader<KeyboardInput>,
        MessageReader<MouseButtonInput>,
        MessageReader<MouseWheel>,
        MessageReader<CursorMoved>,
    ),
    mut last_input: Local<Option<Duration>>,
    panel: Option<Res<PanelOpen>>,
    hidden: Res<Hidden>,
    windows: Query<&Window, With<PrimaryWindow>>,
    real: Res<Time<Real>>,
    wakes: Res<EguiWakes>,
    mut live: ResMut<EguiLive>,
) {
    if keys.read().count() + buttons.read().count() + wheels.read().count() + moves.read().count() > 0 {
        *last_input = Some(real.elapsed());
    }
    let focused = windows.single().is_ok_and(|w| w.focused);
    let recent = last_input.is_some_and(|at| real.elapsed().saturating_sub(at) < EGUI_LIVE_AFTER_INPUT);
    let next = EguiLive(panel.is_some_and(|p| p.0.is_some()) && focused && !hidden.0 && recent);
    wakes.now.store(next.0, Ordering::Relaxed);
    live.set_if_neq(next);
}

/// Runs at the end of the frame: bevy_egui wakes the window loop whenever egui asks for a repaint,
/// and because it feeds egui a "modifiers changed" event every frame, egui asks every frame. This
/// replaces that wake-up with one that passes only while egui draws live, and keeps egui's delayed
/// requests (a cursor's blink) for [`plan_wake`].
fn quiet_egui_wakeups(
    mut contexts: Query<&mut bevy_egui::EguiContext, Added<bevy_egui::EguiContext>>,
    proxy: Option<Res<EventLoopProxyWrapper>>,
    wakes: Res<EguiWakes>,
) {
    let Some(proxy) = proxy else { return };
    for mut context in &mut contexts {
        let (proxy, wakes) = ((**proxy).clone(), wakes.clone());
        context.get_mut().set_request_repaint_callback(move |info| {
            if info.delay.is_zero() {
                if wakes.now.load(Ordering::Relaxed) {
                    let _ = proxy.send_event(WinitUserEvent::WakeUp);
                }
            } else if let Some(at) = Instant::now().checked_add(info.delay)
                && let Ok(mut later) = wakes.later.lock()
            {
                *later = Some(later.map_or(at, |earlier| earlier.min(at)));
            }
        });
    }
}

/// Runs at the very end of the frame, after egui has asked for its redraw. bevy_egui feeds egui a
/// "modifiers changed" event every frame, so egui asks to be redrawn every frame and the window
/// would never sleep. Unless egui draws live (pointer and keys wake the window loop themselves),
/// those requests are dropped.
fn drop_idle_redraw_requests(
    live: Res<EguiLive>,
    keep_drawing: Res<KeepDrawing>,
    requests: Option<ResMut<Messages<RequestRedraw>>>,
) {
    if let Some(mut requests) = requests
        && !keep_drawing.0
        && !live.0
    {
        requests.clear();
    }
}

/// Runs once when there is a window loop: a thread that holds the latest deadline and sends the
/// loop a wake-up event when it passes. A newer deadline replaces the older one.
fn start_waker(mut commands: Commands, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let Some(proxy) = proxy else { return };
    let proxy = (**proxy).clone();
    let (deadlines, inbox) = mpsc::channel::<Instant>();
    let spawned = std::thread::Builder::new().name("waker".into()).spawn(move || {
        let mut due: Option<Instant> = None;
        loop {
            let next = match due {
                None => inbox.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(at) => inbox.recv_timeout(at.saturating_duration_since(Instant::now())),
            };
            match next {
                Ok(at) => due = Some(at),
                Err(RecvTimeoutError::Timeout) => {
                    due = None;
                    if proxy.send_event(WinitUserEvent::WakeUp).is_err() {
                        return;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    });
    match spawned {
        Ok(_) => commands.insert_resource(Waker(deadlines)),
        Err(e) => warn!("no waker thread ({e}); the window wakes every {SAFETY_SLEEP:?} at least"),
    }
}

fn to_std(d: SignedDuration) -> Duration {
    Duration::try_from(d).unwrap_or(Duration::ZERO)
}

/// Time until the day's next event, if it has one left.
fn until_next_event(today: &Today) -> Option<Duration> {
    today.next_event_at().map(|at| to_std(at.duration_since(today.now())))
}

/// Time until the snake's head has moved one physical pixel along the ring, while it moves: the
/// day's length over the ring's circumference (a pixel every 16.5 s on an 8-hour day at
/// 1280×800). A three-minute test day moves it ~10 pixels a second; it then moves once a second.
fn until_head_moves(span: Option<(Timestamp, Timestamp)>, now: Timestamp, radius_px: f32) -> Option<Duration> {
    let (start, end) = span?;
    if now < start || now >= end {
        return None;
    }
    let day = end.duration_since(start).as_secs_f64();
    let circumference = std::f64::consts::TAU * f64::from(radius_px.max(1.0));
    Some(Duration::from_secs_f64(day / circumference).max(MAX_SLEEP))
}

/// What on screen decides how soon the next frame is due, besides the day.
#[derive(bevy::ecs::system::SystemParam)]
struct OnScreen<'w, 's> {
    sneks: Query<'w, 's, (), With<Snek>>,
    bite: Option<Res<'w, Bite>>,
    layout: Option<Res<'w, Layout>>,
    view: Option<Res<'w, View>>,
    areas: Option<Res<'w, Areas>>,
    panel: Option<Res<'w, PanelOpen>>,
}

/// What shows, in short: when it differs from the last frame's, one more frame settles it.
type Shows = (Option<u64>, Option<Timestamp>, Option<super::input::Panel>, Option<ViewMode>, Detail);

/// Runs after everything is drawn: decides when the next frame is needed, the soonest of: the next
/// change of a countdown as shown (each second focused, each minute unfocused), the day's next
/// event, the head's next pixel, a running animation, egui's own request (a text cursor's blink,
/// focused). A hidden window needs one only for the day's next event.
#[allow(clippy::too_many_arguments)]
fn plan_wake(
    today: Option<Res<Today>>,
    shown: OnScreen,
    windows: Query<&Window, With<PrimaryWindow>>,
    real: Res<Time<Real>>,
    hidden: Res<Hidden>,
    keep_drawing: Res<KeepDrawing>,
    detail: Res<ClockDetail>,
    egui: Res<EguiWakes>,
    mut wake: ResMut<Wake>,
    mut last_shown: Local<Option<Shows>>,
) {
    let shows: Shows = (
        today.as_ref().map(|t| t.revision()),
        today.as_ref().and_then(|t| t.message_until()),
        shown.panel.as_ref().and_then(|p| p.0),
        shown.view.as_ref().map(|v| v.0),
        detail.0,
    );
    let settling = last_shown.replace(shows).is_some_and(|last| last != shows);
    if hidden.0 && !keep_drawing.0 {
        let next = today.as_deref().and_then(until_next_event);
        let after = next.unwrap_or(HIDDEN_SLEEP).min(HIDDEN_SLEEP).max(MIN_SLEEP);
        wake.set_if_neq(Wake { continuous: false, after });
        return;
    }
    let window = windows.single().ok();
    let focused = window.is_some_and(|w| w.focused);
    let t = real.elapsed_secs();
    let animating = shown.bite.and_then(|b| b.0).is_some_and(|start| t - start < BITE_SECS + SWALLOW_SECS);
    // Seconds shown, or sneks on screen (they move on every frame): at least a frame a second.
    let seconds = detail.0 == Detail::Seconds;
    let mut after = if seconds || !shown.sneks.is_empty() { MAX_SLEEP } else { UNFOCUSED_SLEEP };
    if let Some(today) = today {
        let now = today.now();
        let view = shown.view.map_or_else(ViewMode::default, |v| v.0);
        let full = shows_all(view, shown.areas.is_some_and(|a| a.countdown_bar.is_some()));
        let countdowns = Countdowns::of(today.day(), now, today.score(), full);
        if let Some(change) = countdowns.until_change(now, detail.0) {
            after = after.min(change);
        }
        if let Some(next) = until_next_event(&today) {
            after = after.min(next);
        }
        if let Some(until) = today.message_until() {
            after = after.min(to_std(until.duration_since(now)));
        }
        let radius = shown.layout.map_or_else(|| Layout::default().0.radius, |l| l.0.radius);
        let scale = window.map_or(1.0, |w| w.scale_factor());
        if let Some(step) = until_head_moves(today.day().span(), now, radius * scale) {
            after = after.min(step);
        }
        // egui's delayed requests (a text cursor's blink, the journal's autosave after a pause)
        // count while a panel is open; unfocused, at most once a second (no one sees a blink).
        let later = egui.later.lock().ok().and_then(|mut later| later.take());
        if let Some(at) = later
            && shown.panel.is_some_and(|p| p.0.is_some())
        {
            let wait = at.saturating_duration_since(Instant::now());
            after = after.min(if focused { wait } else { wait.max(MAX_SLEEP) });
        }
    }
    if settling {
        after = after.min(SETTLE_FRAME);
    }
    if animating {
        after = after.min(if focused { ANIMATION_FRAME } else { Duration::from_millis(200) });
    }
    let next = Wake { continuous: focused && !shown.sneks.is_empty(), after: after.max(MIN_SLEEP) };
    wake.set_if_neq(next);
}

/// Runs last: hands the plan to the window loop and the waker (both absent in headless apps).
fn apply_wake(
    wake: Res<Wake>,
    keep_drawing: Res<KeepDrawing>,
    settings: Option<ResMut<WinitSettings>>,
    waker: Option<Res<Waker>>,
) {
    let Some(mut settings) = settings else { return };
    if let Some(waker) = waker
        && !wake.continuous
    {
        let _ = waker.0.send(Instant::now() + wake.after);
    }
    let focused_mode =
        if wake.continuous || keep_drawing.0 { UpdateMode::Continuous } else { UpdateMode::reactive(SAFETY_SLEEP) };
    let unfocused_mode =
        if keep_drawing.0 { UpdateMode::Continuous } else { UpdateMode::reactive_low_power(SAFETY_SLEEP) };
    if settings.focused_mode != focused_mode || settings.unfocused_mode != unfocused_mode {
        settings.focused_mode = focused_mode;
        settings.unfocused_mode = unfocused_mode;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_moves_a_pixel_every_few_seconds_of_a_real_day() {
        let start: Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
        let span = Some((start, start + SignedDuration::from_hours(8)));
        let now = start + SignedDuration::from_hours(1);
        // 28,800 s over a circumference of 2π × 278 px.
        let step = until_head_moves(span, now, 278.0).unwrap();
        assert!((16.4..16.6).contains(&step.as_secs_f64()), "{step:?}");
        let test_day = Some((start, start + SignedDuration::from_mins(3)));
        assert_eq!(until_head_moves(test_day, now - SignedDuration::from_mins(59), 278.0), Some(MAX_SLEEP));
        assert_eq!(until_head_moves(span, start - SignedDuration::from_secs(1), 278.0), None);
        assert_eq!(until_head_moves(span, start + SignedDuration::from_hours(8), 278.0), None);
    }
}

//! Power: the app wakes only when something visible is due to change. Focused, the clock shows
//! seconds and the window wakes on each (the snake's tongue and breath move on those same frames),
//! and, with sneks on screen, every frame. Unfocused, nobody watches seconds tick: the clock shows
//! minutes (seconds again in an interval's last minute) and the window wakes when a countdown's
//! minute turns, the snake's head has moved a pixel, or the day's next event comes. The day always
//! follows the wall clock and sneks catch up exactly, so sleeping never costs accuracy.
//! While the window is hidden (minimised or covered) nothing is drawn at all: the app wakes only
//! for the day's next event, and draws again as soon as the window shows.

use bevy::input::keyboard::KeyboardInput;
use bevy::input::mouse::{MouseButtonInput, MouseWheel};
use bevy::prelude::*;
use bevy::window::{CursorMoved, PrimaryWindow, RequestRedraw};
use bevy::winit::{EventLoopProxyWrapper, UpdateMode, WinitSettings, WinitUserEvent};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use std::time::Instant;

use super::AppSystems;
use super::face::{KeepDrawing, NextChange, ReportNextChange, SECONDS_FRAME};
use super::input::PanelState;
use super::visibility::{Hidden, Unwatched, unseen};
use super::worker::{self, Worker};

/// The longest a focused window sleeps (the countdown shows seconds), and the longest any window
/// with sneks on screen sleeps.
pub const MAX_SLEEP: Duration = SECONDS_FRAME;
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
/// The longest an unfocused window waits for an animation's next frame (nobody watches closely).
const UNFOCUSED_ANIMATION_FRAME: Duration = Duration::from_millis(200);
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

/// Sends wake-up deadlines to a thread that wakes the window loop when one is due.
pub type Waker = Worker<Instant, ()>;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Wake>();
    app.init_resource::<EguiWakes>();
    app.init_resource::<EguiLive>();
    // Registered here too, so that a headless app (no window plugin) runs the same systems.
    app.add_message::<CursorMoved>();
    app.configure_sets(Update, ReportNextChange.after(AppSystems::Present));
    app.add_systems(Startup, start_waker);
    app.add_systems(Update, (plan_wake, apply_wake).chain().after(ReportNextChange));
    app.add_systems(Last, (decide_egui_live, drop_idle_redraw_requests, quiet_egui_wakeups).chain());
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
    panel: Option<Res<State<PanelState>>>,
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
    let next = EguiLive(panel.is_some_and(|p| p.get().panel().is_some()) && focused && !hidden.0 && recent);
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

/// Runs once when there is a window loop: a thread that holds the latest deadline and wakes the
/// loop when it passes. A newer deadline replaces the older one.
fn start_waker(mut commands: Commands, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let Some(proxy) = proxy else { return };
    let spawned = worker::spawn("waker", worker::LoopWaker::new(&proxy), |inbox: worker::Inbox<Instant, ()>| {
        let mut due: Option<Instant> = None;
        loop {
            match inbox.next_until(due) {
                worker::Next::Request(at) => due = Some(at),
                worker::Next::Due => {
                    due = None;
                    if !inbox.wake() {
                        return;
                    }
                }
                worker::Next::Stopped => return,
            }
        }
    });
    match spawned {
        Ok(waker) => commands.insert_resource(waker),
        Err(e) => warn!("no waker thread ({e}); the window wakes every {SAFETY_SLEEP:?} at least"),
    }
}

/// Runs after every drawing module reported when it next changes: decides when the next frame is
/// needed, the soonest of what they reported (a countdown's next change, the day's next event,
/// the head's next pixel, an animation), egui's own request (a text cursor's blink), and one frame
/// to settle a change just drawn. A hidden window needs one only for the day's next event.
#[allow(clippy::too_many_arguments)]
fn plan_wake(
    mut reported: ResMut<NextChange>,
    panel: Option<Res<State<PanelState>>>,
    windows: Query<&Window, With<PrimaryWindow>>,
    (hidden, unwatched): (Res<Hidden>, Res<Unwatched>),
    keep_drawing: Res<KeepDrawing>,
    egui: Res<EguiWakes>,
    mut wake: ResMut<Wake>,
) {
    let next = std::mem::take(&mut *reported);
    if unseen(*hidden, *unwatched) && !keep_drawing.0 {
        let soonest = [next.event_after, next.beside].into_iter().flatten().min();
        let after = soonest.unwrap_or(HIDDEN_SLEEP).min(HIDDEN_SLEEP).max(MIN_SLEEP);
        wake.set_if_neq(Wake { continuous: false, after });
        return;
    }
    let focused = windows.single().is_ok_and(|w| w.focused);
    let mut after = next.after.unwrap_or(UNFOCUSED_SLEEP).min(UNFOCUSED_SLEEP);
    // egui's delayed requests (a text cursor's blink, the journal's autosave after a pause)
    // count while a panel is open; unfocused, at most once a second (no one sees a blink).
    let later = egui.later.lock().ok().and_then(|mut later| later.take());
    if let Some(at) = later
        && panel.is_some_and(|p| p.get().panel().is_some())
    {
        let wait = at.saturating_duration_since(Instant::now());
        after = after.min(if focused { wait } else { wait.max(MAX_SLEEP) });
    }
    if next.changed {
        after = after.min(SETTLE_FRAME);
    }
    if let Some(frame) = next.animation {
        after = after.min(if focused { frame } else { frame.max(UNFOCUSED_ANIMATION_FRAME) });
    }
    if let Some(beside) = next.beside {
        after = after.min(beside);
    }
    let next = Wake { continuous: focused && next.every_frame, after: after.max(MIN_SLEEP) };
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
        waker.send(Instant::now() + wake.after);
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

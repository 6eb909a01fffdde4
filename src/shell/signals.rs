//! Clean exits: SIGTERM (logout, `kill`), SIGINT (Ctrl+C in a terminal) and SIGHUP (the terminal
//! closed) end the app as `q` does: what is open is saved (the journal's draft), the day is saved,
//! and the exit status is 0.

use bevy::prelude::*;
use bevy::winit::EventLoopProxyWrapper;

use super::AppSystems;
use super::worker::{self, Inbox, LoopWaker, Worker, drain_into_messages};

/// A signal to end came (its number).
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndSignal(pub i32);

/// The thread that waits for signals, as the app holds it.
type Listener = Worker<(), EndSignal>;

pub(super) fn plugin(app: &mut App) {
    app.add_message::<EndSignal>();
    app.add_systems(Startup, listen_for_signals);
    app.add_systems(Update, (drain_into_messages::<(), EndSignal>, end_on_signal).chain().in_set(AppSystems::Update));
}

/// Runs once: a worker thread waits for the signals (they are blocked from the rest of the process by
/// signal-hook's handler), notes the request and wakes the window loop, which may be asleep.
fn listen_for_signals(mut commands: Commands, proxy: Option<Res<EventLoopProxyWrapper>>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = match signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) {
        Ok(signals) => signals,
        Err(e) => return warn!("signals: not listening ({e}); SIGTERM ends the app without saving drafts"),
    };
    let spawned = worker::spawn("signals", LoopWaker::of(proxy.as_deref()), move |inbox: Inbox<(), _>| {
        if let Some(signal) = signals.forever().next() {
            info!("signal {signal}: saving and quitting");
            inbox.reply(EndSignal(signal));
        }
    });
    match spawned {
        Ok(listener) => commands.insert_resource::<Listener>(listener),
        Err(e) => warn!("signals: no thread to listen on ({e})"),
    }
}

/// Runs with the other actions, after the signal thread's replies became messages: a signal to
/// end is a quit, saved like `q`.
fn end_on_signal(mut signals: MessageReader<EndSignal>, mut exit: MessageWriter<AppExit>) {
    if signals.read().count() > 0 {
        exit.write(AppExit::Success);
    }
}

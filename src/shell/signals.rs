//! Clean exits: SIGTERM (logout, `kill`), SIGINT (Ctrl+C in a terminal) and SIGHUP (the terminal
//! closed) end the app as `q` does: what is open is saved (the journal's draft), the day is saved,
//! and the exit status is 0.

use bevy::prelude::*;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::AppSystems;

/// Set from the signal thread when a signal to end came.
#[derive(Resource, Clone, Default)]
pub struct EndRequested(Arc<AtomicBool>);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<EndRequested>();
    app.add_systems(Startup, listen_for_signals);
    app.add_systems(Update, end_on_signal.in_set(AppSystems::Update));
}

/// Runs once: a thread waits for the signals (they are blocked from the rest of the process by
/// signal-hook's handler), notes the request and wakes the window loop, which may be asleep.
fn listen_for_signals(ended: Res<EndRequested>, proxy: Option<Res<EventLoopProxyWrapper>>) {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let mut signals = match signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) {
            Ok(signals) => signals,
            Err(e) => return warn!("signals: not listening ({e}); SIGTERM ends the app without saving drafts"),
        };
        let flag = ended.0.clone();
        let proxy = proxy.map(|p| (**p).clone());
        let spawned = std::thread::Builder::new().name("signals".into()).spawn(move || {
            if let Some(signal) = signals.forever().next() {
                info!("signal {signal}: saving and quitting");
                flag.store(true, Ordering::Release);
                if let Some(proxy) = &proxy {
                    let _ = proxy.send_event(WinitUserEvent::WakeUp);
                }
            }
        });
        if let Err(e) = spawned {
            warn!("signals: no thread to listen on ({e})");
        }
    }
}

/// Runs with the other actions: a signal to end is a quit, saved like `q`.
fn end_on_signal(ended: Res<EndRequested>, mut exit: MessageWriter<AppExit>) {
    if ended.0.swap(false, Ordering::Acquire) {
        exit.write(AppExit::Success);
    }
}

impl EndRequested {
    /// Asks the app to end as a signal would (for tests).
    pub fn request(&self) {
        self.0.store(true, Ordering::Release);
    }
}

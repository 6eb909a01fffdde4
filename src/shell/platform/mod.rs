//! Clients of the desktop's servers, one file each, every one on a worker thread of its own:
//! notifications (D-Bus), sound (PulseAudio), the clipboard and the window manager (X11), the keyboard's idle time (X11), the tray item (D-Bus), the installed fonts. Features hand them work through messages and the
//! clients' resources; only the windowed app starts them ([`plugin`]), so a headless app (every
//! headless test) never reaches a real server.

pub mod clipboard;
pub mod fonts;
pub mod idle;
pub mod notifications;
pub mod pulse;
pub mod tray;
pub mod x11;

use bevy::prelude::*;
use bevy::winit::EventLoopProxyWrapper;

use super::AppSystems;
use super::worker::{LoopWaker, drain_into_messages};
use notifications::{Notification, NotificationClicked};

/// Starts the real clients, for the windowed app.
pub fn plugin(app: &mut App) {
    app.add_systems(Startup, start_clients);
    app.add_message::<x11::X11Reply>();
    app.add_message::<tray::TrayReply>();
    app.add_systems(
        Update,
        (
            drain_into_messages::<Notification, NotificationClicked>,
            drain_into_messages::<x11::X11Request, x11::X11Reply>,
            drain_into_messages::<idle::IdleRequest, idle::IdleReply>,
            drain_into_messages::<tray::TrayRequest, tray::TrayReply>,
        )
            .in_set(AppSystems::TickClock),
    );
}

/// Runs once: the notification server's, the sound server's, the window manager's, the idle
/// time's and the tray's clients, each on its thread.
fn start_clients(mut commands: Commands, proxy: Option<Res<EventLoopProxyWrapper>>) {
    match notifications::start(LoopWaker::of(proxy.as_deref())) {
        Ok(notifier) => commands.insert_resource(notifier),
        Err(e) => warn!("notifications: no thread ({e}); none will be shown"),
    }
    match pulse::start(LoopWaker::of(proxy.as_deref())) {
        Ok(player) => commands.insert_resource(player),
        Err(e) => warn!("sound: no thread ({e}); no chimes"),
    }
    match x11::start(LoopWaker::of(proxy.as_deref())) {
        Ok(x11) => commands.insert_resource(x11),
        Err(e) => warn!("x11: no thread ({e}); the window manager is asked nothing"),
    }
    match idle::start(LoopWaker::of(proxy.as_deref())) {
        Ok(idle) => commands.insert_resource(idle),
        Err(e) => warn!("idle: no thread ({e}); away from the keyboard is not told"),
    }
    match tray::start(LoopWaker::of(proxy.as_deref())) {
        Ok(tray) => commands.insert_resource(tray),
        Err(e) => warn!("tray: no thread ({e}); no tray item"),
    }
}

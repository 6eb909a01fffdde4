//! Requests from the command line (`pomodouroboros window …`, or a second launch asking to come
//! forward), received on the window's socket by a worker thread and applied in the frame.

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy::winit::EventLoopProxyWrapper;

use super::AppSystems;
use super::input::{Action, OverlaySwitch, Panel};
use super::window::ViewMode;
use super::worker::{self, Inbox, LoopWaker, Worker, drain_into_messages};
use crate::desktop::instance::{Instance, Request, receive};

/// The window's claim on its socket (dropped with the app, which removes the socket).
#[derive(Resource)]
pub struct Claimed(pub Instance);

/// A request received on the window's socket.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received(pub Request);

pub(super) fn plugin(app: &mut App) {
    app.add_message::<Received>();
    app.add_systems(Startup, listen);
    app.add_systems(
        Update,
        (drain_into_messages::<(), Received>, apply_requests).chain().in_set(AppSystems::RecordInput),
    );
}

/// Runs once: a thread accepts connections, reads each request, answers it and wakes the window
/// loop (which may be asleep, or hidden) so the request is applied at once.
fn listen(mut commands: Commands, claimed: Option<Res<Claimed>>, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let Some(claimed) = claimed else { return };
    let listener = match claimed.0.listener.try_clone() {
        Ok(listener) => listener,
        Err(e) => return warn!("remote control: not listening ({e})"),
    };
    let spawned = worker::spawn("remote", LoopWaker::of(proxy.as_deref()), move |inbox: Inbox<(), Received>| {
        for stream in listener.incoming().flatten() {
            if let Some(request) = receive(stream)
                && !inbox.reply(Received(request))
            {
                return;
            }
        }
    });
    match spawned {
        Ok(remote) => commands.insert_resource::<Worker<(), Received>>(remote),
        Err(e) => warn!("remote control: no thread ({e})"),
    }
}

/// Runs with the keys, as if the request were typed: views and quitting go through the same
/// actions; "show" raises and focuses the window.
fn apply_requests(
    mut received: MessageReader<Received>,
    view: Option<Res<State<ViewMode>>>,
    mut actions: MessageWriter<Action>,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
) {
    let mut mode = view.map_or(ViewMode::Windowed, |v| *v.get());
    for &Received(request) in received.read() {
        info!("remote: {}", request.word());
        let wanted = match request {
            Request::Mini => Some(ViewMode::Mini),
            Request::Fullscreen => Some(ViewMode::Fullscreen),
            Request::Windowed => Some(ViewMode::Windowed),
            _ => None,
        };
        if let Some(wanted) = wanted {
            // The toggles lead from any view to the one asked for.
            match (mode, wanted) {
                (a, b) if a == b => {}
                (_, ViewMode::Mini) | (ViewMode::Mini, ViewMode::Windowed) => {
                    actions.write(Action::ToggleMini);
                }
                (ViewMode::Mini, ViewMode::Fullscreen) => {
                    actions.write(Action::ToggleMini);
                    actions.write(Action::ToggleFullscreen);
                }
                _ => {
                    actions.write(Action::ToggleFullscreen);
                }
            }
            mode = wanted;
        }
        match request {
            Request::Quit => {
                actions.write(Action::Quit);
            }
            Request::Snek => {
                actions.write(Action::SpawnSnek { random_hue: false });
            }
            Request::Intend => {
                actions.write(Action::Open(Panel::Intention));
            }
            Request::OverlayOn => {
                actions.write(Action::Overlay(OverlaySwitch::On));
            }
            Request::OverlayOff => {
                actions.write(Action::Overlay(OverlaySwitch::Off));
            }
            Request::OverlayBar => {
                actions.write(Action::Overlay(OverlaySwitch::Bar));
            }
            Request::OverlayRing => {
                actions.write(Action::Overlay(OverlaySwitch::Ring));
            }
            Request::StartNow => {
                actions.write(Action::StartNow);
            }
            _ => {}
        }
        if matches!(request, Request::Show | Request::Intend)
            && let Ok(mut window) = windows.single_mut()
        {
            info!("remote: coming forward");
            super::window::raise(&mut window);
        }
    }
}

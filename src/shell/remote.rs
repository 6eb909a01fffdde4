//! Requests from the command line (`pomodouroboros window …`, or a second launch asking to come
//! forward), received on the window's socket by a thread of their own and applied in the frame.

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver};

use super::AppSystems;
use super::input::{Action, Panel};
use super::window::{View, ViewMode};
use crate::desktop::instance::{Instance, Request, receive};

/// The window's claim on its socket (dropped with the app, which removes the socket).
#[derive(Resource)]
pub struct Claimed(pub Instance);

/// Requests received, waiting for the next frame.
#[derive(Resource)]
struct Inbox(Mutex<Receiver<Request>>);

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, listen);
    app.add_systems(Update, apply_requests.in_set(AppSystems::RecordInput));
}

/// Runs once: a thread accepts connections, reads each request, answers it and wakes the window
/// loop (which may be asleep, or hidden) so the request is applied at once.
fn listen(mut commands: Commands, claimed: Option<Res<Claimed>>, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let Some(claimed) = claimed else { return };
    let listener = match claimed.0.listener.try_clone() {
        Ok(listener) => listener,
        Err(e) => return warn!("remote control: not listening ({e})"),
    };
    let proxy = proxy.map(|p| (**p).clone());
    let (send, inbox) = mpsc::channel();
    let spawned = std::thread::Builder::new().name("remote".into()).spawn(move || {
        for stream in listener.incoming().flatten() {
            if let Some(request) = receive(stream) {
                if send.send(request).is_err() {
                    return;
                }
                if let Some(proxy) = &proxy {
                    let _ = proxy.send_event(WinitUserEvent::WakeUp);
                }
            }
        }
    });
    match spawned {
        Ok(_) => commands.insert_resource(Inbox(Mutex::new(inbox))),
        Err(e) => warn!("remote control: no thread ({e})"),
    }
}

/// Runs with the keys, as if the request were typed: views and quitting go through the same
/// actions; "show" raises and focuses the window.
fn apply_requests(
    inbox: Option<Res<Inbox>>,
    view: Option<Res<View>>,
    mut actions: MessageWriter<Action>,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
) {
    let Some(inbox) = inbox else { return };
    let received: Vec<Request> = inbox.0.lock().map(|r| r.try_iter().collect()).unwrap_or_default();
    let mut mode = view.map_or(ViewMode::Windowed, |v| v.0);
    for request in received {
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

//! The notification server's client: the freedesktop Notifications spec over the session D-Bus,
//! with `notify-rust`'s pure-Rust zbus backend, on a worker thread of its own. Each notification
//! replaces the last; the buttons the user presses come back as [`NotificationClicked`] messages.

use bevy::prelude::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::shell::worker::{self, Inbox, LoopWaker, Worker};

/// The sound-theme name asked for when the app's own chime is off (desktops that play sounds
/// for notifications then do).
pub const SOUND_NAME: &str = "message-new-instant";
/// The action a click on the notification itself sends.
pub const DEFAULT_ACTION: &str = "default";

/// One notification, as the server is asked to show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub summary: String,
    pub body: String,
    /// Buttons: the action's key and its label.
    pub actions: Vec<(String, String)>,
    /// Ask the desktop to play its own sound (the app's chime is off).
    pub sound: bool,
}

/// A button the user pressed on the newest notification (its action's key), or
/// [`DEFAULT_ACTION`] for a click on the notification itself.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct NotificationClicked(pub String);

/// The client's thread, as the app holds it: notifications go in, pressed buttons come out.
pub type Notifier = Worker<Notification, NotificationClicked>;

/// Starts the client's thread, which asks the server what it can do; with no session bus or no
/// server it logs one line and only drains its requests.
pub fn start(waker: LoopWaker) -> std::io::Result<Notifier> {
    worker::spawn("notifications", waker, serve)
}

/// The client's thread: shows each notification, replacing the previous one, and for one with
/// buttons waits (on a thread of its own) for the button the user presses.
fn serve(inbox: Inbox<Notification, NotificationClicked>) {
    // Asked at start (the one log line when there is no server) and again before a notification
    // while none answered: a notification daemon started after the app (as at login) is found then.
    let mut buttons = probe(true);
    // Each notification shown gets a number; a button pressed counts only on the newest (an older
    // notification's waiter sees the replacing one's buttons under the same id).
    let newest = Arc::new(AtomicU64::new(0));
    let mut id = None;
    let mut failed = false;
    while let Some(notice) = inbox.next() {
        if buttons.is_none() {
            buttons = probe(false);
        }
        let Some(with_buttons) = buttons else { continue };
        let mut n = notify_rust::Notification::new();
        n.appname(crate::desktop::APP_NAME)
            .summary(&notice.summary)
            .body(&notice.body)
            .icon(crate::desktop::APP_ID)
            .hint(notify_rust::Hint::DesktopEntry(crate::desktop::APP_ID.into()));
        n.hint(if notice.sound {
            notify_rust::Hint::SoundName(SOUND_NAME.into())
        } else {
            notify_rust::Hint::SuppressSound(true)
        });
        if let Some(id) = id {
            n.id(id);
        }
        if with_buttons {
            n.action(DEFAULT_ACTION, "Show");
            for (key, label) in &notice.actions {
                n.action(key, label);
            }
        }
        let number = newest.fetch_add(1, Ordering::AcqRel) + 1;
        match n.show() {
            Ok(handle) => {
                id = Some(handle.id());
                debug!("notifications: shown as {}", handle.id());
                failed = false;
                if with_buttons {
                    let (newest, replier) = (newest.clone(), inbox.replier());
                    let _ = std::thread::Builder::new().name("notification buttons".into()).spawn(move || {
                        handle.wait_for_action(|action| {
                            if action != "__closed" && newest.load(Ordering::Acquire) == number {
                                replier.reply(NotificationClicked(action.to_owned()));
                            }
                        })
                    });
                }
            }
            Err(e) if !failed => {
                failed = true;
                warn!("notifications: not shown ({e})");
            }
            Err(_) => {}
        }
    }
}

/// Asks the session bus for a notification server: `Some(whether it shows buttons)`, or `None`
/// (logged once, at start).
fn probe(first: bool) -> Option<bool> {
    match notify_rust::get_capabilities() {
        Ok(capabilities) => {
            let buttons = capabilities.iter().any(|c| c == "actions");
            info!("notifications: server found ({}actions)", if buttons { "" } else { "no " });
            Some(buttons)
        }
        Err(e) => {
            if first {
                info!(
                    "notifications: no notification server on the session bus ({e}); none are shown until one starts"
                );
            }
            None
        }
    }
}

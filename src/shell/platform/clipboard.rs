//! The desktop clipboard's client: `arboard`, pure Rust over X11 (on a Wayland desktop through its
//! X11 bridge, XWayland), on a worker thread of its own: asking another program for its text can
//! take a while. Without a clipboard (no X server) it answers every paste with nothing, and says
//! so once.

use bevy::prelude::*;

use crate::shell::worker::{self, Inbox, LoopWaker, Worker};

/// What the app asks of the clipboard.
pub enum Ask {
    /// Put this text on the clipboard (and serve it to other programs).
    Copy(String),
    /// Answer with the clipboard's text: `None` when there is none.
    Paste,
}

/// The client's thread, as the app holds it: each [`Ask::Paste`] is answered with the text.
pub type Clipboard = Worker<Ask, Option<String>>;

/// Starts the client's thread.
pub fn start(waker: LoopWaker) -> std::io::Result<Clipboard> {
    worker::spawn("clipboard", waker, serve)
}

fn serve(inbox: Inbox<Ask, Option<String>>) {
    // The clipboard object stays alive: on X11 it serves what was copied to other programs.
    let mut clipboard = match arboard::Clipboard::new() {
        Ok(c) => Some(c),
        Err(e) => {
            info!("clipboard: none ({e}); copy and paste stay within each text box");
            None
        }
    };
    while let Some(asked) = inbox.next() {
        match (asked, clipboard.as_mut()) {
            (Ask::Copy(text), Some(c)) => {
                if let Err(e) = c.set_text(text) {
                    warn!("clipboard: not copied ({e})");
                }
            }
            (Ask::Paste, c) => {
                let text = c.and_then(|c| c.get_text().ok()).filter(|t| !t.is_empty());
                inbox.reply(text);
            }
            (Ask::Copy(_), None) => {}
        }
    }
}

//! Copy, cut and paste in every text box, through the desktop's clipboard (`arboard`, pure Rust
//! over X11; on a Wayland desktop through its X11 bridge, XWayland). The clipboard lives on a
//! thread of its own: asking another program for its text can take a while, and never a frame.
//! Keys typed after Ctrl+V wait for the pasted text, so they land after it, as typed.

use bevy::prelude::*;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
use bevy_egui::{EguiOutput, EguiPostUpdateSet, PrimaryEguiContext, egui};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

/// The longest keys wait for a paste before it is given up (the clipboard's owner did not answer).
pub const PASTE_WAIT: Duration = Duration::from_millis(500);

/// What the frame asks of the clipboard thread.
enum Ask {
    Copy(String),
    Paste,
}

/// The clipboard thread's end.
#[derive(Resource)]
pub struct Clipboard {
    ask: Sender<Ask>,
    pasted: Mutex<Receiver<Option<String>>>,
}

impl Clipboard {
    /// Asks for the clipboard's text; it comes back through [`Clipboard::take_pasted`].
    pub fn request_paste(&self) {
        let _ = self.ask.send(Ask::Paste);
    }

    /// The answer to the last paste request, if it came: `Some(None)` when there was no text.
    pub fn take_pasted(&self) -> Option<Option<String>> {
        self.pasted.lock().ok().and_then(|r| r.try_recv().ok())
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, start_clipboard);
    app.add_systems(PostUpdate, copy_to_clipboard.in_set(EguiPostUpdateSet::PostProcessOutput));
}

/// Runs once: the clipboard thread. Without a clipboard (no X server) it answers every paste
/// with nothing, and says so once.
fn start_clipboard(mut commands: Commands, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let (ask, asked) = mpsc::channel();
    let (reply, pasted) = mpsc::channel();
    let proxy = proxy.map(|p| (**p).clone());
    let spawned = std::thread::Builder::new().name("clipboard".into()).spawn(move || {
        // The clipboard object stays alive: on X11 it serves what was copied to other programs.
        let mut clipboard = match arboard::Clipboard::new() {
            Ok(c) => Some(c),
            Err(e) => {
                info!("clipboard: none ({e}); copy and paste stay within each text box");
                None
            }
        };
        for asked in asked {
            match (asked, clipboard.as_mut()) {
                (Ask::Copy(text), Some(c)) => {
                    if let Err(e) = c.set_text(text) {
                        warn!("clipboard: not copied ({e})");
                    }
                }
                (Ask::Paste, c) => {
                    let text = c.and_then(|c| c.get_text().ok()).filter(|t| !t.is_empty());
                    let _ = reply.send(text);
                    if let Some(proxy) = &proxy {
                        let _ = proxy.send_event(WinitUserEvent::WakeUp);
                    }
                }
                (Ask::Copy(_), None) => {}
            }
        }
    });
    match spawned {
        Ok(_) => commands.insert_resource(Clipboard { ask, pasted: Mutex::new(pasted) }),
        Err(e) => warn!("clipboard: no thread ({e})"),
    }
}

/// Runs after bevy_egui has read egui's output: text egui copied or cut goes to the clipboard.
fn copy_to_clipboard(clipboard: Option<Res<Clipboard>>, outputs: Query<&EguiOutput, With<PrimaryEguiContext>>) {
    let Some(clipboard) = clipboard else { return };
    for output in &outputs {
        for command in &output.platform_output.commands {
            if let egui::OutputCommand::CopyText(text) = command
                && !text.is_empty()
            {
                let _ = clipboard.ask.send(Ask::Copy(text.clone()));
            }
        }
    }
}

/// Keys held back while a paste is on its way, so that they land after the pasted text.
#[derive(Default)]
pub struct PendingPaste {
    since: Option<Instant>,
    held: Vec<egui::Event>,
}

impl PendingPaste {
    /// Asks the clipboard for its text and starts holding keys back until it comes (an answer
    /// that came too late for an earlier paste is dropped first).
    pub fn start(&mut self, clipboard: Option<&Clipboard>) {
        if let Some(clipboard) = clipboard {
            while clipboard.take_pasted().is_some() {}
            clipboard.request_paste();
        }
        self.since.get_or_insert_with(Instant::now);
    }

    /// Whether events must wait.
    pub fn waiting(&self) -> bool {
        self.since.is_some()
    }

    /// Holds an event until the paste comes.
    pub fn hold(&mut self, event: egui::Event) {
        self.held.push(event);
    }

    /// The events to send now: the pasted text, then what was held, once the paste came or
    /// waited too long; nothing while it is still on its way.
    pub fn release(&mut self, clipboard: Option<&Clipboard>) -> Vec<egui::Event> {
        let Some(since) = self.since else { return Vec::new() };
        let pasted = clipboard.and_then(Clipboard::take_pasted);
        if pasted.is_none() && clipboard.is_some() && since.elapsed() < PASTE_WAIT {
            return Vec::new();
        }
        self.since = None;
        let mut out: Vec<egui::Event> = pasted.flatten().map(egui::Event::Paste).into_iter().collect();
        out.append(&mut self.held);
        out
    }
}

//! Copy, cut and paste in every text box, through the desktop's clipboard (its client, in
//! `platform::clipboard`, lives on a thread of its own: asking another program for its text can
//! take a while, and never a frame). Keys typed after Ctrl+V wait for the pasted text, so they
//! land after it, as typed.

use bevy::prelude::*;
use bevy::winit::EventLoopProxyWrapper;
use bevy_egui::{EguiOutput, EguiPostUpdateSet, PrimaryEguiContext, egui};
use std::time::{Duration, Instant};

use crate::shell::platform::clipboard::{self, Ask, Clipboard};
use crate::shell::worker::LoopWaker;

/// The longest keys wait for a paste before it is given up (the clipboard's owner did not answer).
pub const PASTE_WAIT: Duration = Duration::from_millis(500);

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, start_clipboard);
    app.add_systems(PostUpdate, copy_to_clipboard.in_set(EguiPostUpdateSet::PostProcessOutput));
}

/// Runs once: the clipboard's client, on its thread (only with a window loop: a headless app
/// reaches no desktop server).
fn start_clipboard(mut commands: Commands, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let Some(proxy) = proxy else { return };
    match clipboard::start(LoopWaker::new(&proxy)) {
        Ok(clipboard) => commands.insert_resource(clipboard),
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
                clipboard.send(Ask::Copy(text.clone()));
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
            // An answer that came too late for an earlier paste is dropped.
            clipboard.replies();
            clipboard.send(Ask::Paste);
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
        let pasted = clipboard.and_then(|c| c.replies().pop());
        if pasted.is_none() && clipboard.is_some() && since.elapsed() < PASTE_WAIT {
            return Vec::new();
        }
        self.since = None;
        let mut out: Vec<egui::Event> = pasted.flatten().map(egui::Event::Paste).into_iter().collect();
        out.append(&mut self.held);
        out
    }
}

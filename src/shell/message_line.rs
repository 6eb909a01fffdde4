//! The line of messages under the countdown: a refusal, a notice from the store, "Settings
//! saved." Anything may say something by writing a [`Tell`]; the line shows the latest for
//! [`WARNING_SHOWN_FOR`] (a confirmation for [`NOTE_SHOWN_FOR`]) and logs each, so nothing the
//! user should know is only in the log.

use bevy::prelude::*;
use jiff::Timestamp;

use super::AppSystems;
use super::face::{NextChange, ReportNextChange};
use super::today::{DaySystems, TickSteps, Today};

/// How long a refusal, a warning or an explanation stays on screen: long enough to read twice.
pub const WARNING_SHOWN_FOR: jiff::SignedDuration = jiff::SignedDuration::from_secs(12);
/// How long a confirmation ("Settings saved.") stays: it only says that what was asked was done.
pub const NOTE_SHOWN_FOR: jiff::SignedDuration = jiff::SignedDuration::from_secs(4);

/// Something to tell the user, and for how long (`None`: take the message down, as after an
/// action that worked).
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct Tell(pub Option<(String, jiff::SignedDuration)>);

impl Tell {
    /// A refusal, warning or explanation to show.
    pub fn show(text: impl Into<String>) -> Self {
        Self(Some((text.into(), WARNING_SHOWN_FOR)))
    }

    /// A confirmation to show briefly.
    pub fn note(text: impl Into<String>) -> Self {
        Self(Some((text.into(), NOTE_SHOWN_FOR)))
    }

    /// Takes the message down.
    pub fn clear() -> Self {
        Self(None)
    }
}

/// The message shown now, and until when.
#[derive(Resource, Debug, Default, Clone, PartialEq, Eq)]
pub struct MessageLine(Option<(String, Timestamp)>);

impl MessageLine {
    /// The message to show now, if one is.
    pub fn text(&self) -> Option<&str> {
        self.0.as_ref().map(|(text, _)| text.as_str())
    }

    /// Until when the message shows, while one does.
    pub fn until(&self) -> Option<Timestamp> {
        self.0.as_ref().map(|(_, until)| *until)
    }
}

/// Where what was said this frame reaches the line: after the actions (before anything is drawn),
/// and again after the panels.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShowMessages;

pub(super) fn plugin(app: &mut App) {
    app.add_message::<Tell>();
    app.init_resource::<MessageLine>();
    app.init_resource::<Shown>();
    app.configure_sets(Update, ShowMessages.after(AppSystems::Update).before(AppSystems::Present));
    app.configure_sets(PostUpdate, ShowMessages.after(bevy_egui::EguiPostUpdateSet::EndPass));
    app.add_systems(Update, (tell_store_notices, show_told).chain().in_set(ShowMessages).in_set(DaySystems));
    app.add_systems(PostUpdate, (tell_store_notices, show_told).chain().in_set(ShowMessages).in_set(DaySystems));
    app.add_systems(Update, expire_message.in_set(TickSteps::TakeIn).in_set(DaySystems));
    app.add_systems(Update, report_message_changes.in_set(ReportNextChange).in_set(DaySystems));
}

/// Runs where things are said (after the actions, after the panels): what the store had to say
/// (a file moved aside, a newer format) is told too, and logged as a warning.
fn tell_store_notices(mut today: ResMut<Today>, mut tell: MessageWriter<Tell>) {
    if today.session().notices.is_empty() {
        return;
    }
    let notices = today.session_mut().take_notices().into_iter().map(|n| n.0).reduce(|a, b| a + "\n" + &b);
    if let Some(message) = notices {
        warn!("{message}");
        tell.write(Tell::show(message));
    }
}

/// How far what was said has reached the line: one cursor for both places it is shown from, so
/// each message is shown (and logged) once.
#[derive(Resource, Default)]
struct Shown(bevy::ecs::message::MessageCursor<Tell>);

/// Runs right after: the latest message said replaces the one shown.
fn show_told(told: Res<Messages<Tell>>, mut shown: ResMut<Shown>, today: Res<Today>, mut line: ResMut<MessageLine>) {
    let Some(Tell(last)) = shown.0.read(&told).inspect(|t| log_told(t)).last() else { return };
    line.0 = last.clone().map(|(text, shown_for)| (text, today.now() + shown_for));
}

fn log_told(tell: &Tell) {
    if let Tell(Some((text, _))) = tell {
        info!("{text}");
    }
}

/// Runs after the clock moved: a message past its time comes down.
fn expire_message(today: Res<Today>, mut line: ResMut<MessageLine>) {
    if line.until().is_some_and(|until| until <= today.now()) {
        line.0 = None;
    }
}

/// Runs with the other reports of what changes next: the message's end, and a new message.
fn report_message_changes(
    line: Res<MessageLine>,
    today: Res<Today>,
    mut last: Local<Option<Option<Timestamp>>>,
    mut next: ResMut<NextChange>,
) {
    let until = line.until();
    next.changed |= last.replace(until).is_some_and(|was| was != until);
    if let Some(until) = until {
        next.within(std::time::Duration::try_from(until.duration_since(today.now())).unwrap_or_default());
    }
}

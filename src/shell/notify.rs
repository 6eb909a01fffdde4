//! Desktop notifications (the freedesktop Notifications spec, over the session D-Bus with
//! `notify-rust`'s pure-Rust zbus backend): a pomodoro starts, its grace period is nearly over
//! with no intention, a break starts (rate the pomodoro from the notification), the day starts and
//! ends. One at a time (each replaces the last), none while the window has focus, all sent by a
//! thread of their own: a slow or missing bus never delays a frame.

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use super::AppSystems;
use super::input::{Action, Panel};
use super::today::{DayEvent, GraceEnding, QUOTED_CHARS, Today};
use crate::day::{Day, Event, Kind, RateTarget, Rating, Settings};
use crate::format::{capitalised, clock, shorten};

/// The sound-theme name asked for when the app's own chime is off (desktops that play sounds
/// for notifications then do).
pub const SOUND_NAME: &str = "message-new-instant";
/// The action that brings the window forward with the intention box open.
pub const INTEND_ACTION: &str = "intend";
/// The action a click on the notification itself sends.
pub const DEFAULT_ACTION: &str = "default";

/// What a notification is about; each can be turned off in the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    DayStart,
    PomodoroStart,
    GraceEnding,
    BreakStart,
    DayEnd,
}

impl NoticeKind {
    /// Whether the settings let this kind through.
    pub fn wanted(self, settings: &Settings) -> bool {
        settings.notifications
            && match self {
                NoticeKind::DayStart => settings.notify_day_start,
                NoticeKind::PomodoroStart => settings.notify_pomodoro_start,
                NoticeKind::GraceEnding => settings.notify_grace_ending,
                NoticeKind::BreakStart => settings.notify_break_start,
                NoticeKind::DayEnd => settings.notify_day_end,
            }
    }
}

/// One notification, as the server is asked to show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub summary: String,
    pub body: String,
    /// Buttons: the action's key and its label.
    pub actions: Vec<(String, String)>,
    /// Ask the desktop to play its own sound (the app's chime is off).
    pub sound: bool,
}

/// A length as people say it: whole minutes (rounded up), or seconds under a minute (test days).
fn whole_minutes(d: jiff::SignedDuration) -> String {
    let secs = d.as_secs().max(0);
    if secs < 60 { format!("{secs} s") } else { format!("{} min", (secs + 59) / 60) }
}

/// The key of the action that rates pomodoro `index` of `day`.
pub fn rate_action(day: &Day, index: usize, rating: Rating) -> String {
    format!("rate {} {index} {}", day.date, rating.name())
}

/// What `event` (crossed now) should tell the user, if anything. Pure: the text and buttons only.
pub fn notice_for(day: &Day, event: Event, tz: &jiff::tz::TimeZone) -> Option<Notice> {
    let quoted = |i: usize| day.intervals[i].intention.as_deref().map(|t| shorten(t, QUOTED_CHARS).into_owned());
    let intend = || vec![(INTEND_ACTION.to_owned(), "Set intention".to_owned())];
    let grace_left = |i: usize| whole_minutes(day.grace_end(i).duration_since(day.intervals[i].start));
    let notice = |kind, summary: String, body: String, actions| Notice { kind, summary, body, actions, sound: false };
    match event {
        Event::DayStarted => {
            let (start, end) = day.span()?;
            let pomodoros = day.pomodoro_indices().count();
            let first = match quoted(0) {
                Some(text) => format!("Pomodoro 1: “{text}”."),
                None => format!("Set the first intention within {}: press i.", grace_left(0)),
            };
            let actions = if quoted(0).is_none() { intend() } else { Vec::new() };
            Some(notice(
                NoticeKind::DayStart,
                "The work day begins".to_owned(),
                format!("{pomodoros} pomodoros from {} to {}. {first}", clock(start, tz), clock(end, tz)),
                actions,
            ))
        }
        Event::IntervalStarted { index, kind: Kind::Pomodoro } => {
            let name = capitalised(&day.interval_name(index));
            Some(match quoted(index) {
                Some(text) => notice(
                    NoticeKind::PomodoroStart,
                    format!("{name} starts"),
                    format!("Intention from your plan: “{text}”."),
                    Vec::new(),
                ),
                None => notice(
                    NoticeKind::PomodoroStart,
                    format!("{name} starts"),
                    format!("Set an intention within {}: press i.", grace_left(index)),
                    intend(),
                ),
            })
        }
        Event::GraceEnded { .. } | Event::IntervalEnded { .. } => None,
        Event::IntervalStarted { index, kind } => {
            let length = whole_minutes(day.intervals[index].length());
            let last = index.checked_sub(1).filter(|&i| day.intervals[i].kind == Kind::Pomodoro);
            let summary = format!("{} starts: {length}", capitalised(&kind.to_string()));
            Some(match last.and_then(|i| quoted(i).map(|t| (i, t))) {
                Some((i, text)) if day.intervals[i].rating.is_none() => notice(
                    NoticeKind::BreakStart,
                    summary,
                    format!("How did “{text}” go?"),
                    Rating::ALL.into_iter().map(|r| (rate_action(day, i, r), capitalised(r.name()))).collect(),
                ),
                _ => {
                    notice(NoticeKind::BreakStart, summary, "Time to step away from the screen.".to_owned(), Vec::new())
                }
            })
        }
        Event::DayEnded => {
            let score = day.score(day.span()?.1);
            Some(notice(
                NoticeKind::DayEnd,
                "The work day is over".to_owned(),
                format!("{} points today. The journal is open: what went well?", score.score),
                Vec::new(),
            ))
        }
    }
}

/// The reminder that pomodoro `index`'s grace period is nearly over with no intention.
pub fn grace_notice(day: &Day, index: usize, tz: &jiff::tz::TimeZone) -> Notice {
    Notice {
        kind: NoticeKind::GraceEnding,
        summary: format!("{}: set an intention", capitalised(&day.interval_name(index))),
        body: format!("The chance to set one ends at {}: press i.", clock(day.grace_end(index), tz)),
        actions: vec![(INTEND_ACTION.to_owned(), "Set intention".to_owned())],
        sound: false,
    }
}

/// The notifier thread's end: notices go to it; actions the user invoked come back.
#[derive(Resource)]
pub struct Notifier {
    send: Sender<Notice>,
    invoked: Mutex<Receiver<String>>,
}

/// The last notices sent (at most [`KEPT`]), for tests (in order).
#[derive(Resource, Debug, Default)]
pub struct Sent(pub Vec<Notice>);

/// How many of the last notices and chimes are kept for tests.
pub const KEPT: usize = 64;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Sent>();
    app.add_systems(Startup, start_notifier);
    app.add_systems(Update, (notify, apply_invoked).chain().in_set(AppSystems::Update));
}

/// Runs once: starts the thread that talks to the notification server. It asks the server what
/// it can do; with no session bus or no server it logs one line and only drains the queue.
fn start_notifier(mut commands: Commands, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let (send, queue) = mpsc::channel();
    let (reply, invoked) = mpsc::channel();
    let proxy = proxy.map(|p| (**p).clone());
    let wake = move || {
        if let Some(proxy) = &proxy {
            let _ = proxy.send_event(WinitUserEvent::WakeUp);
        }
    };
    let spawned = std::thread::Builder::new().name("notifications".into()).spawn(move || serve(queue, reply, wake));
    match spawned {
        Ok(_) => commands.insert_resource(Notifier { send, invoked: Mutex::new(invoked) }),
        Err(e) => warn!("notifications: no thread ({e}); none will be shown"),
    }
}

/// The notifier thread: shows each notice, replacing the previous one, and for one with buttons
/// waits (on a thread of its own) for the button the user presses.
fn serve(queue: Receiver<Notice>, reply: Sender<String>, wake: impl Fn() + Send + Sync + 'static) {
    // Asked at start (the one log line when there is no server) and again before a notice while
    // none answered: a notification daemon started after the app (as at login) is found then.
    let mut buttons = probe(true);
    let wake = Arc::new(wake);
    // Each notice shown gets a number; a button pressed counts only on the newest (an older
    // notice's waiter sees the replacing notice's buttons under the same id).
    let newest = Arc::new(AtomicU64::new(0));
    let mut id = None;
    let mut failed = false;
    for notice in queue {
        if buttons.is_none() {
            buttons = probe(false);
        }
        let Some(with_buttons) = buttons else { continue };
        let mut n = notify_rust::Notification::new();
        n.appname(super::window::TITLE)
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
                    let (newest, reply, wake) = (newest.clone(), reply.clone(), wake.clone());
                    let _ = std::thread::Builder::new().name("notification buttons".into()).spawn(move || {
                        handle.wait_for_action(|action| {
                            if action != "__closed" && newest.load(Ordering::Acquire) == number {
                                let _ = reply.send(action.to_owned());
                                wake();
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

/// Runs after the day moved and panels opened: turns this frame's day events into at most one
/// notification (the last one that matters), unless the window has focus or the settings say no.
fn notify(
    mut events: MessageReader<DayEvent>,
    mut reminders: MessageReader<GraceEnding>,
    today: Option<Res<Today>>,
    notifier: Option<Res<Notifier>>,
    windows: Query<&Window, With<PrimaryWindow>>,
    mut sent: ResMut<Sent>,
) {
    let Some(today) = today else { return };
    let tz = &today.session().tz;
    let day = today.day();
    let mut notice = None;
    for e in events.read() {
        let next = notice_for(day, e.0.event, tz);
        // The day's first pomodoro starts with the day: the day's notice says it all.
        if next.is_some() && notice.as_ref().is_none_or(|n: &Notice| n.kind != NoticeKind::DayStart) {
            notice = next;
        }
    }
    for r in reminders.read() {
        notice = Some(grace_notice(day, r.index, tz));
    }
    let Some(mut notice) = notice else { return };
    let settings = &today.session().settings;
    if !notice.kind.wanted(settings) {
        return;
    }
    if windows.single().is_ok_and(|w| w.focused) {
        info!("notifications: the window has focus; not sent: {}", notice.summary);
        return;
    }
    notice.sound = settings.chime_volume().is_none();
    info!("notification: {} — {}", notice.summary, notice.body);
    if let Some(notifier) = notifier {
        let _ = notifier.send.send(notice.clone());
    }
    crate::format::push_bounded(&mut sent.0, notice, KEPT);
}

/// Runs after [`notify`]: a button pressed in a notification acts as if typed. A rating rates the
/// pomodoro it names (of the date it names); "Set intention" and a click bring the window forward.
fn apply_invoked(
    notifier: Option<Res<Notifier>>,
    today: Option<ResMut<Today>>,
    mut actions: MessageWriter<Action>,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
) {
    let (Some(notifier), Some(mut today)) = (notifier, today) else { return };
    let invoked: Vec<String> = notifier.invoked.lock().map(|r| r.try_iter().collect()).unwrap_or_default();
    for action in invoked {
        info!("notification button: {action}");
        let raise = match action.split(' ').collect::<Vec<_>>().as_slice() {
            ["rate", date, index, rating] => {
                let (Ok(index), Ok(rating)) = (index.parse::<usize>(), rating.parse::<Rating>()) else { continue };
                if *date != today.date().to_string() {
                    continue;
                }
                today.rate(rating, RateTarget::Index(index));
                false
            }
            [INTEND_ACTION] => {
                actions.write(Action::Open(Panel::Intention));
                true
            }
            _ => true,
        };
        if raise && let Ok(mut window) = windows.single_mut() {
            super::window::raise(&mut window);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::day::{Settings, day_span};
    use jiff::SignedDuration;

    fn day() -> Day {
        let settings = Settings::default();
        let date = jiff::civil::date(2026, 3, 2);
        Day::new(date, day_span(date, &settings, &jiff::tz::TimeZone::UTC), &settings.timing().unwrap())
    }

    #[test]
    fn a_pomodoro_without_intention_asks_for_one_and_a_break_asks_for_the_rating() {
        let tz = jiff::tz::TimeZone::UTC;
        let mut day = day();
        let start = day.span().unwrap().0;
        let n = notice_for(&day, Event::IntervalStarted { index: 0, kind: Kind::Pomodoro }, &tz).unwrap();
        assert_eq!(n.summary, "Pomodoro 1 starts");
        assert!(n.body.contains("within 4 min"), "{}", n.body);
        assert_eq!(n.actions[0].0, INTEND_ACTION);
        day.intend(start + SignedDuration::from_mins(1), "fix the bug").unwrap();
        let n = notice_for(&day, Event::IntervalStarted { index: 1, kind: Kind::ShortBreak }, &tz).unwrap();
        assert_eq!(n.kind, NoticeKind::BreakStart);
        assert_eq!(n.summary, "Short break starts: 5 min");
        assert_eq!(n.body, "How did “fix the bug” go?");
        let keys: Vec<&str> = n.actions.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "rate 2026-03-02 0 achieved",
                "rate 2026-03-02 0 focused",
                "rate 2026-03-02 0 interrupted",
                "rate 2026-03-02 0 distracted"
            ]
        );
        assert_eq!(notice_for(&day, Event::GraceEnded { index: 0 }, &tz), None);
        let n = notice_for(&day, Event::DayStarted, &tz).unwrap();
        assert_eq!(n.summary, "The work day begins");
        assert!(n.body.starts_with("15 pomodoros from 09:00 to 17:00. Pomodoro 1: “fix the bug”."), "{}", n.body);
    }

    #[test]
    fn each_kind_can_be_turned_off() {
        let all = Settings::default();
        assert!(NoticeKind::BreakStart.wanted(&all));
        assert!(!NoticeKind::BreakStart.wanted(&Settings { notify_break_start: false, ..all.clone() }));
        assert!(!NoticeKind::DayEnd.wanted(&Settings { notifications: false, ..all }));
    }
}

//! What desktop notifications say, and when: a pomodoro starts, its grace period is nearly over
//! with no intention, a break starts (rate the pomodoro from the notification), the day starts and
//! ends. One at a time (each replaces the last), none while the window has focus. Each becomes a
//! [`Notify`] message; the notification server's client (`platform::notifications`, on a thread
//! of its own, in the windowed app only) shows it, and its buttons come back as messages.

use bevy::prelude::*;
use bevy::window::PrimaryWindow;

use super::AppSystems;
use super::actions::{Act, DayAction, Origin};
use super::input::{Action, Panel};
use super::platform::notifications::{Notification, NotificationClicked, Notifier};
use super::today::{DayEvent, DaySystems, GraceEnding, QUOTED_CHARS, Today};
use crate::day::{Alerts, Day, Event, Kind, RateTarget, Rating};
use crate::format::{capitalised, clock, shorten};

/// The action that brings the window forward with the intention box open.
pub const INTEND_ACTION: &str = "intend";
/// The action key of the "Start now" button: a pomodoro starts at once.
pub const START_NOW_ACTION: &str = "start-now";

/// What a notification is about; each can be turned off in the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    DayStart,
    PomodoroStart,
    GraceEnding,
    /// A grace period ended with no intention: a pomodoro can start now instead.
    GraceMissed,
    BreakStart,
    DayEnd,
}

impl NoticeKind {
    /// Whether the user's alerts let this kind through.
    pub fn wanted(self, alerts: &Alerts) -> bool {
        alerts.notifications
            && match self {
                NoticeKind::DayStart => alerts.notify_day_start,
                NoticeKind::PomodoroStart => alerts.notify_pomodoro_start,
                NoticeKind::GraceEnding | NoticeKind::GraceMissed => alerts.notify_grace_ending,
                NoticeKind::BreakStart => alerts.notify_break_start,
                NoticeKind::DayEnd => alerts.notify_day_end,
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
                None => format!("Set the first intention within {}.", grace_left(0)),
            };
            let actions = if quoted(0).is_none() { intend() } else { Vec::new() };
            let mut body = format!("{pomodoros} pomodoros from {} to {}. {first}", clock(start, tz), clock(end, tz));
            if let Some(carried) = &day.carried {
                body.push_str(&format!(" {}", carried_words(carried, day.date)));
            }
            Some(notice(NoticeKind::DayStart, "The work day begins".to_owned(), body, actions))
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
                    format!("Set an intention within {}.", grace_left(index)),
                    intend(),
                ),
            })
        }
        // A grace period missed: nothing is lost, and a fresh pomodoro can start now.
        Event::GraceEnded { index } if day.intervals[index].intention.is_none() => Some(notice(
            NoticeKind::GraceMissed,
            format!("{} goes on without an intention", capitalised(&day.interval_name(index))),
            "No harm done. Start a new pomodoro now, with its full grace period?".to_owned(),
            vec![(START_NOW_ACTION.to_owned(), "Start now".to_owned())],
        )),
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

/// What the plan holds from an earlier day: "2 intentions carried over from Monday's plan."
pub fn carried_words(carried: &crate::day::Carried, today: jiff::civil::Date) -> String {
    let what = if carried.count == 1 { "1 intention".to_owned() } else { format!("{} intentions", carried.count) };
    // Within the week the weekday says it; further back, the date.
    let recent = today.since(carried.from).is_ok_and(|span| span.get_days() < 7);
    let when =
        if recent { carried.from.strftime("%A").to_string() } else { carried.from.strftime("%b %-d").to_string() };
    format!("{what} carried over from {when}'s plan.")
}

/// The reminder that pomodoro `index`'s grace period is nearly over with no intention.
pub fn grace_notice(day: &Day, index: usize, tz: &jiff::tz::TimeZone) -> Notice {
    Notice {
        kind: NoticeKind::GraceEnding,
        summary: format!("{}: set an intention", capitalised(&day.interval_name(index))),
        body: format!("The chance to set one ends at {}.", clock(day.grace_end(index), tz)),
        actions: vec![(INTEND_ACTION.to_owned(), "Set intention".to_owned())],
        sound: false,
    }
}

/// A notification the day asks for now (already past the settings and the focus), in order.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct Notify(pub Notice);

pub(super) fn plugin(app: &mut App) {
    app.add_message::<Notify>();
    app.add_message::<NotificationClicked>();
    app.add_systems(Update, (notify, send_notices).chain().in_set(AppSystems::Update).in_set(DaySystems));
    // A button pressed is input, like a key: its actions come before anything acts.
    app.add_systems(
        Update,
        apply_invoked.in_set(AppSystems::RecordInput).after(super::input::record_keys).in_set(DaySystems),
    );
}

/// Runs after the day moved and panels opened: turns this frame's day events into at most one
/// notification (the last one that matters), unless the window has focus or the settings say no.
fn notify(
    mut events: MessageReader<DayEvent>,
    mut reminders: MessageReader<GraceEnding>,
    today: Res<Today>,
    windows: Query<&Window, With<PrimaryWindow>>,
    away: Res<super::afk::AwayFromKeys>,
    mut out: MessageWriter<Notify>,
) {
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
    let alerts = &today.session().settings.alerts;
    if !notice.kind.wanted(alerts) {
        return;
    }
    if away.is_away() {
        info!("notifications: away from the keyboard; not sent: {}", notice.summary);
        return;
    }
    if windows.single().is_ok_and(|w| w.focused) {
        info!("notifications: the window has focus; not sent: {}", notice.summary);
        return;
    }
    notice.sound = alerts.chime_volume().is_none();
    info!("notification: {} — {}", notice.summary, notice.body);
    out.write(Notify(notice));
}

/// Runs right after [`notify`]: hands this frame's notifications to the server's client, where
/// the windowed app started one (a headless app has none: nothing leaves the process).
fn send_notices(mut notices: MessageReader<Notify>, notifier: Option<Res<Notifier>>) {
    let Some(notifier) = notifier else { return };
    for Notify(notice) in notices.read() {
        let Notice { summary, body, actions, sound, .. } = notice.clone();
        notifier.send(Notification { summary, body, actions, sound });
    }
}

/// Runs with the keys, after them: a button pressed in a notification acts as if typed. A rating rates the
/// pomodoro it names (of the date it names); "Set intention" and a click bring the window forward.
pub(crate) fn apply_invoked(
    mut clicked: MessageReader<NotificationClicked>,
    today: Res<Today>,
    (mut actions, mut acts): (MessageWriter<Action>, MessageWriter<Act>),
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
) {
    for NotificationClicked(action) in clicked.read() {
        info!("notification button: {action}");
        let raise = match action.split(' ').collect::<Vec<_>>().as_slice() {
            ["rate", date, index, rating] => {
                let (Ok(index), Ok(rating)) = (index.parse::<usize>(), rating.parse::<Rating>()) else { continue };
                if *date != today.date().to_string() {
                    continue;
                }
                acts.write(Act::new(DayAction::Rate(rating, RateTarget::Index(index)), Origin::Button));
                false
            }
            [INTEND_ACTION] => {
                actions.write(Action::Open(Panel::Intention));
                true
            }
            [START_NOW_ACTION] => {
                acts.write(Act::new(DayAction::StartNow, Origin::Button));
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
        assert_eq!(notice_for(&day, Event::GraceEnded { index: 0 }, &tz), None, "it had an intention");
        let n = notice_for(&day, Event::GraceEnded { index: 2 }, &tz).unwrap();
        assert_eq!(n.actions, [(START_NOW_ACTION.to_owned(), "Start now".to_owned())]);
        for event in [Event::DayStarted, Event::IntervalStarted { index: 2, kind: Kind::Pomodoro }] {
            let n = notice_for(&day, event, &tz).unwrap();
            assert!(!n.body.contains("press"), "a notification is read in another app: {}", n.body);
        }
        let n = notice_for(&day, Event::DayStarted, &tz).unwrap();
        assert_eq!(n.summary, "The work day begins");
        assert!(n.body.starts_with("15 pomodoros from 09:00 to 17:00. Pomodoro 1: “fix the bug”."), "{}", n.body);
    }

    #[test]
    fn the_day_s_first_notice_says_what_was_carried_over() {
        let tz = jiff::tz::TimeZone::UTC;
        let mut day = day();
        let mut friday = Day::new(jiff::civil::date(2026, 2, 27), None, &Settings::default().timing().unwrap());
        friday.plan = vec!["finish the draft".into(), "call Sam".into()];
        day.carry_plan_from(&friday);
        let n = notice_for(&day, Event::DayStarted, &tz).unwrap();
        assert!(n.body.ends_with(" 2 intentions carried over from Friday's plan."), "{}", n.body);
        let old = crate::day::Carried { from: jiff::civil::date(2026, 2, 2), count: 1 };
        assert_eq!(carried_words(&old, day.date), "1 intention carried over from Feb 2's plan.");
    }

    #[test]
    fn each_kind_can_be_turned_off() {
        let all = Alerts::default();
        assert!(NoticeKind::BreakStart.wanted(&all));
        assert!(!NoticeKind::BreakStart.wanted(&Alerts { notify_break_start: false, ..all.clone() }));
        assert!(!NoticeKind::DayEnd.wanted(&Alerts { notifications: false, ..all }));
    }
}

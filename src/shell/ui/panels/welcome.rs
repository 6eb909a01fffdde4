//! The welcome: what a newcomer needs to read once (the ring, the grace period, points, the three
//! keys that matter), and a pomodoro they can start at once whatever the hour.

use bevy_egui::egui;

use super::PanelIo;
use crate::day::{Day, Timing, Urgency};
use crate::format::{clock, wait_words};
use crate::shell::actions::{DayAction, Origin};
use crate::shell::today::Today;

/// The welcome's lines, plain text (the window test reads them).
pub fn welcome_lines(day: &Day, timing: &Timing, now: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> Vec<String> {
    let hours = match day.span() {
        Some((start, end)) => format!("Today's work hours, {} to {},", clock(start, tz), clock(end, tz)),
        None => "Your work hours (today is free: see the settings, `,`)".to_owned(),
    };
    let mut lines = vec![
        format!(
            "{hours} are cut into {} pomodoros and short breaks that pass on the clock, whether or \
             not you touch anything.",
            length(timing.pomodoro)
        ),
        "The ring is your day. The snake's head is now: it eats each interval as it ends, and reaches \
         its tail when the work day ends."
            .to_owned(),
        format!(
            "In a pomodoro's first {} (its grace period) press i and say what you will do; missed it? n \
             starts a new pomodoro. Rate it afterwards with 1 to 4. Intentions earn points; nothing is \
             ever taken away.",
            wait(timing.grace)
        ),
        "? shows every key, what the ring's colours mean, and how points work.".to_owned(),
    ];
    match crate::day::overlay::urgency(day, now).0 {
        Urgency::Due => lines.push("A pomodoro is open for an intention right now: press i.".to_owned()),
        Urgency::Late | Urgency::Break => {
            lines.push("You can start a pomodoro now, with its full grace period: press n.".to_owned())
        }
        Urgency::Hidden => {
            if let Some((start, _)) = day.span().filter(|(start, _)| now < *start) {
                lines.push(format!(
                    "The work day starts at {} (in {}); n starts it now.",
                    clock(start, tz),
                    wait_words(now, start)
                ));
            }
        }
        Urgency::Calm => {}
    }
    lines
}

/// A length as an adjective: "25-minute", "30-second".
fn length(d: jiff::SignedDuration) -> String {
    let s = d.as_secs();
    if s % 60 == 0 { format!("{}-minute", s / 60) } else { format!("{s}-second") }
}

/// A length as a noun: "4 minutes", "20 seconds".
fn wait(d: jiff::SignedDuration) -> String {
    let s = d.as_secs();
    match (s % 60, s / 60) {
        (0, 1) => "minute".to_owned(),
        (0, m) => format!("{m} minutes"),
        _ => format!("{s} seconds"),
    }
}

pub(super) fn welcome_ui(ui: &mut egui::Ui, today: &Today, io: &mut PanelIo) {
    let (day, now) = (today.day(), today.now());
    for line in welcome_lines(day, &today.session().timing(), now, &today.session().tz) {
        ui.label(line);
        ui.add_space(4.0);
    }
    // Offered exactly when starting would be accepted: the day's own rule, tried on a copy (a few
    // dozen intervals, while this panel is open).
    let can_start = day.clone().start_now(now, &today.session().timing()).is_ok();
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        if can_start {
            let start = ui.button("Start a pomodoro now (n)");
            crate::shell::ui::report_rect("start-now", start.rect);
            if start.clicked() {
                io.act(DayAction::StartNow, Origin::Button);
            }
        }
        ui.label("Escape closes this; ? → “Welcome” shows it again.");
    });
    io.show_message(ui);
}

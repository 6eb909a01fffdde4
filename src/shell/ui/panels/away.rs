//! "While you were away": what passed while no window showed the day, and the rating of the
//! last pomodoro while it can still be given.

use bevy_egui::egui;

use super::PanelIo;
use crate::day::{Away, RateTarget, Rating};
use crate::format::{capitalised, clock, shorten};
use crate::shell::actions::{DayAction, Origin};
use crate::shell::today::{QUOTED_CHARS, Today};

/// The lines the panel shows, plain text (the window test and the headless tests read them).
pub fn away_lines(away: &Away, today: &Today) -> Vec<String> {
    let tz = &today.session().tz;
    let day = today.day();
    let mut lines = vec![format!("From {} to {}:", clock(away.from, tz), clock(away.to, tz))];
    let plural = |n: usize, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    lines.push(format!(
        "The snake ate {} ({}).",
        plural(away.eaten, "interval", "intervals"),
        plural(away.pomodoros, "pomodoro", "pomodoros")
    ));
    if away.intended.is_empty() {
        lines.push("No intention was set in that time.".to_owned());
    }
    for (i, text) in &away.intended {
        lines.push(format!("{}: “{}”", capitalised(&day.interval_name(*i)), shorten(text, QUOTED_CHARS)));
    }
    lines.push(format!("Points gained: {}", away.gained));
    if away.lost.0 > 0 {
        lines.push(format!("Points that can no longer be had: {}", away.lost));
    }
    lines.push(format!("Still possible today: {}", away.possible));
    lines
}

/// The line that tells a stretch away from the keyboard.
pub fn keys_left_line(from: jiff::Timestamp, to: jiff::Timestamp, today: &Today) -> String {
    let tz = &today.session().tz;
    format!("Away from the keyboard {}–{}.", clock(from, tz), clock(to, tz))
}

/// The pomodoros to offer a rating for: the one the stretch's end left to rate, and those the
/// stretch away from the keyboard overlapped, while each is intended, unrated and ratable.
fn to_rate(away: Option<&Away>, keys_left: Option<(jiff::Timestamp, jiff::Timestamp)>, today: &Today) -> Vec<usize> {
    let (day, now) = (today.day(), today.now());
    let overlapped = keys_left.into_iter().flat_map(|(from, to)| {
        day.pomodoro_indices().filter(move |&i| day.intervals[i].start < to && from < day.intervals[i].end)
    });
    let mut chosen: Vec<usize> = away.and_then(|a| a.to_rate).into_iter().chain(overlapped).collect();
    chosen.sort_unstable();
    chosen.dedup();
    chosen.retain(|&i| {
        let iv = &day.intervals[i];
        iv.intention.is_some() && iv.rating.is_none() && day.can_rate(i, now)
    });
    chosen
}

pub(super) fn away_ui(
    ui: &mut egui::Ui,
    (away, keys_left): (Option<&Away>, Option<(jiff::Timestamp, jiff::Timestamp)>),
    today: &Today,
    io: &mut PanelIo,
) {
    if let Some((from, to)) = keys_left {
        ui.label(keys_left_line(from, to, today));
    }
    match away {
        Some(away) => {
            for line in away_lines(away, today) {
                ui.label(line);
            }
        }
        None if keys_left.is_some() => {
            ui.label("No interval ended meanwhile.");
        }
        None => {
            ui.label("Nothing passed unseen.");
            return;
        }
    }
    let now = today.now();
    for i in to_rate(away, keys_left, today) {
        let text = today.day().intervals[i].intention.clone().unwrap_or_default();
        ui.separator();
        ui.label(format!("How did “{}” go?", shorten(&text, QUOTED_CHARS)));
        ui.horizontal_wrapped(|ui| {
            for (key, rating) in Rating::ALL.into_iter().enumerate() {
                if ui.button(format!("{} {}", key + 1, capitalised(rating.name()))).clicked() {
                    io.act(DayAction::Rate(rating, RateTarget::Index(i)), Origin::Button);
                }
            }
        });
    }
    if crate::day::overlay::urgency(today.day(), now).0 == crate::day::Urgency::Late {
        ui.separator();
        ui.label("This pomodoro's grace period is over: you can start a new one now, with its full grace period.");
        if ui.button("Start a pomodoro now (n)").clicked() {
            io.act(DayAction::StartNow, Origin::Button);
        }
    }
    ui.separator();
    ui.label("Escape closes this.");
}

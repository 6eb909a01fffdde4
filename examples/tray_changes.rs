//! How often the tray item changes over an ordinary 8-hour work day (25/5-minute intervals): what
//! it shows (title, tooltip, menu) and its icon, walked from change to change with the same pure
//! functions the app uses, so each count is a message the app sends the tray host.
//! `cargo run --release --example tray_changes`; the last line reads
//! `looks_max_hour=A icons_max_hour=B looks_day=C icons_day=D` (for the day nobody touches).

use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};
use pomodouroboros::day::tray::{next_tray_change, tray_look};
use pomodouroboros::day::{Day, Settings};

/// Changes counted for each hour of the day: what it shows, and its icon.
fn walk(mut day: Day, start: Timestamp, intend: bool) -> Vec<(u32, u32)> {
    let tz = jiff::tz::TimeZone::UTC;
    let end = start + SignedDuration::from_hours(8);
    let mut hours = vec![(0u32, 0u32); 8];
    let mut now = start;
    let mut shown = tray_look(&day, now, &tz);
    while now < end {
        let Some(wait) = next_tray_change(&day, now) else { break };
        now += SignedDuration::try_from(wait).unwrap();
        if intend {
            // The user sets an intention at the first change of each pomodoro (refused elsewhere).
            let _ = day.intend(now, "write");
        }
        let look = tray_look(&day, now, &tz);
        let hour = &mut hours[(now.duration_since(start).as_hours() as usize).min(7)];
        if look != shown {
            hour.0 += 1;
        }
        if (look.urgency, look.progress) != (shown.urgency, shown.progress) {
            hour.1 += 1;
        }
        shown = look;
    }
    hours
}

fn main() {
    let start: Timestamp = "2026-11-24T09:00:00Z".parse().unwrap();
    let timing = Settings::default().timing().unwrap();
    let day = Day::new(date(2026, 11, 24), Some((start, start + SignedDuration::from_hours(8))), &timing);
    let mut last = String::new();
    for (what, intend) in [("intentions set each pomodoro", true), ("nobody touches it", false)] {
        let hours = walk(day.clone(), start, intend);
        println!("{what}: per hour (shown, icon): {hours:?}");
        let looks_max = hours.iter().map(|h| h.0).max().unwrap_or(0);
        let icons_max = hours.iter().map(|h| h.1).max().unwrap_or(0);
        let (looks, icons): (u32, u32) = (hours.iter().map(|h| h.0).sum(), hours.iter().map(|h| h.1).sum());
        last = format!("looks_max_hour={looks_max} icons_max_hour={icons_max} looks_day={looks} icons_day={icons}");
    }
    println!("{last}");
}

//! A time zone that changed between two runs is told, not acted on silently: the date shown (and
//! so the day file written to) follows the zone, and a user who flew, or started the app with
//! another `TZ`, should know which day they are looking at.

use bevy::prelude::*;

use super::message_line::Tell;
use super::today::{DaySystems, TickSteps, Today};
use crate::store::{last_zone_path, load_last_zone, save_last_zone};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        tell_zone_change.in_set(TickSteps::TakeIn).after(super::sound::follow_player).in_set(DaySystems),
    );
}

/// The zone as the user knows it: its name, or its offset now.
fn zone_name(tz: &jiff::tz::TimeZone, now: jiff::Timestamp) -> String {
    tz.iana_name().map_or_else(|| format!("UTC{}", tz.to_offset(now)), str::to_owned)
}

/// Runs once, at the first frame: a zone other than the last run's is told (with the date shown
/// in it), and this run's zone is kept for the next.
fn tell_zone_change(mut done: Local<bool>, today: Res<Today>, mut tell: MessageWriter<Tell>) {
    if std::mem::replace(&mut *done, true) {
        return;
    }
    let zone = zone_name(&today.session().tz, today.now());
    let dirs = &today.session().dirs;
    crate::shell::legacy::adopt(&last_zone_path(&dirs.state), &last_zone_path(&dirs.config));
    let state = &dirs.state;
    let last = load_last_zone(state);
    if let Some(last) = last.as_deref().filter(|last| *last != zone) {
        let date = today.date();
        info!("time zone: {zone} now, {last} at the last run");
        tell.write(Tell::show(format!(
            "The time zone is {zone} now ({last} when Pomodouroboros last ran): the day shown is {date}, as it \
             is in {zone}."
        )));
    }
    if last.as_deref() != Some(zone.as_str())
        && let Err(e) = save_last_zone(state, &zone)
    {
        warn!("time zone: not kept for the next run ({e})");
    }
}

//! The tray item, as the app keeps it: what it shows follows the day (handed to the tray's client,
//! `platform::tray`, only when it changed, and the app wakes for its next change even while the
//! window is put away), and its clicks become the app's own actions. While a tray host shows the
//! item, closing the window puts it away in the tray (see `quit`); a click on the item, a second
//! launch or a notification's button brings it back.

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use std::time::Duration;

use super::AppSystems;
use super::actions::{Act, DayAction, Origin};
use super::face::{NextChange, ReportNextChange};
use super::input::{Action, OverlaySwitch, Panel};
use super::overlay::Moment;
use super::platform::tray::{MenuShows, Tray, TrayCommand, TrayReply, TrayRequest, TrayShows};
use super::quit::StayOnClose;
use super::today::Today;
use super::visibility::Hidden;
use super::visibility::PutAway;
use super::window::ViewMode;
use crate::day::RateTarget;
use crate::day::tray::{next_tray_change, tray_look};

/// Whether a tray host shows the item now (as the tray's client last told).
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hosted(pub bool);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Hosted>();
    app.add_systems(
        Update,
        follow_tray
            .in_set(AppSystems::RecordInput)
            .after(super::input::record_keys)
            .before(super::quit::close_button_quits),
    );
    app.add_systems(Update, show_in_tray.in_set(AppSystems::Present));
    app.add_systems(Update, report_tray_change.in_set(ReportNextChange));
}

/// Runs with the keys, before the close button is handled: a host coming or going changes what
/// closing the window does; a click on the item or its menu becomes the app's own action.
fn follow_tray(
    mut replies: MessageReader<TrayReply>,
    (mut hosted, mut stay): (ResMut<Hosted>, ResMut<StayOnClose>),
    (mut actions, mut acts): (MessageWriter<Action>, MessageWriter<Act>),
    (hidden, mut put_away): (Res<Hidden>, ResMut<PutAway>),
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
) {
    for reply in replies.read() {
        let command = match reply {
            TrayReply::Hosted(on) => {
                hosted.set_if_neq(Hosted(*on));
                stay.tray = *on;
                continue;
            }
            TrayReply::Command(command) => *command,
        };
        info!("tray: {command:?}");
        let Ok(mut window) = windows.single_mut() else { continue };
        match command {
            TrayCommand::ToggleWindow if !hidden.0 => super::visibility::put_away(&mut window, &mut put_away),
            TrayCommand::ToggleWindow => super::window::raise(&mut window),
            TrayCommand::Intend => {
                super::window::raise(&mut window);
                actions.write(Action::Open(Panel::Intention));
            }
            TrayCommand::Plan => {
                super::window::raise(&mut window);
                actions.write(Action::Open(Panel::Plan));
            }
            TrayCommand::Rate(rating) => {
                acts.write(Act::new(DayAction::Rate(rating, RateTarget::Default), Origin::Button));
            }
            TrayCommand::Mini => {
                super::window::raise(&mut window);
                actions.write(Action::ToggleMini);
            }
            TrayCommand::Overlay => {
                actions.write(Action::Overlay(OverlaySwitch::Toggle));
            }
            TrayCommand::Quit => {
                actions.write(Action::Quit);
            }
        }
    }
}

/// How often at most what the tray shows is worked out again while nothing it reads changed (a
/// frame with sneks on screen comes sixty times a second; the tray reads minutes, or seconds on a
/// test day, and the app wakes for each change: half a second keeps a wake from falling just
/// short).
const TRAY_LOOK_EVERY: Duration = Duration::from_millis(500);

/// What the tray's picture is worked out from, besides the time.
#[derive(Clone, Copy, PartialEq, Eq)]
struct TrayInputs {
    revision: u64,
    hidden: bool,
    view: ViewMode,
    overlay: bool,
    on: bool,
}

/// Runs once everything is up to date for drawing: what the tray shows now, handed to its client
/// when it differs from what was handed last (about once a minute while nothing happens), worked
/// out again when what it reads changed or [`TRAY_LOOK_EVERY`] passed; with the tray setting off,
/// the item is withdrawn once.
fn show_in_tray(
    tray: Option<Res<Tray>>,
    today: Res<Today>,
    hidden: Res<Hidden>,
    view: Res<State<ViewMode>>,
    moment: Option<Res<Moment>>,
    mut looked: Local<Option<(TrayInputs, std::time::Instant)>>,
    mut sent: Local<Option<TrayRequest>>,
) {
    let Some(tray) = tray else { return };
    let inputs = TrayInputs {
        revision: today.revision(),
        hidden: hidden.0,
        view: *view.get(),
        overlay: moment.as_ref().is_some_and(|m| m.look.on),
        on: today.session().settings.tray,
    };
    if looked.is_some_and(|(was, when)| was == inputs && when.elapsed() < TRAY_LOOK_EVERY) {
        return;
    }
    *looked = Some((inputs, std::time::Instant::now()));
    if !inputs.on {
        if sent.as_ref() != Some(&TrayRequest::Withdraw) {
            tray.send(TrayRequest::Withdraw);
            *sent = Some(TrayRequest::Withdraw);
        }
        return;
    }
    let (day, now) = (today.day(), today.now());
    let look = tray_look(day, now, &today.session().tz);
    let menu = MenuShows {
        status: look.title.clone(),
        can_intend: look.can_intend,
        rate: look.rate,
        window_shown: !inputs.hidden,
        mini: inputs.view == ViewMode::Mini,
        overlay: inputs.overlay,
    };
    let shows = TrayRequest::Show(TrayShows { look, menu });
    if sent.as_ref() != Some(&shows) {
        tray.send(shows.clone());
        *sent = Some(shows);
    }
}

/// Runs with the other reports: while a host shows the item, the app wakes when what it shows
/// next changes, even with the window put away.
fn report_tray_change(hosted: Res<Hosted>, today: Res<Today>, mut next: ResMut<NextChange>) {
    if !hosted.0 {
        return;
    }
    if let Some(after) = next_tray_change(today.day(), today.now()) {
        // The day's clock may run faster than the wall clock (a test day's `--speed`).
        next.beside_within(after.div_f64(today.session().speed));
    }
}

//! The first launch: the welcome panel opens by itself once per settings folder (help shows it
//! again), before anything else asks for the user's attention.

use bevy::prelude::*;

use super::AppSystems;
use super::input::{Panel, PanelState};
use super::today::Today;

/// The file whose presence in the settings folder says the welcome was shown.
pub const WELCOMED_FILE: &str = "welcomed";

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, welcome_once.in_set(AppSystems::Update).run_if(resource_exists::<Today>));
}

/// Runs with the actions, on the first frame only: on a first launch the welcome opens (it is
/// entered with this frame's state changes, so it is drawn at once) and the settings folder notes
/// that it was shown. A folder that cannot be written shows it again next time, which is harmless.
fn welcome_once(mut done: Local<bool>, today: Res<Today>, mut next: ResMut<NextState<PanelState>>) {
    if std::mem::replace(&mut *done, true) {
        return;
    }
    let config = &today.session().dirs.config;
    let marker = config.join(WELCOMED_FILE);
    if marker.exists() {
        return;
    }
    info!("first launch: welcome");
    next.set(PanelState::Open(Panel::Welcome));
    if let Err(e) = std::fs::create_dir_all(config).and_then(|()| std::fs::write(&marker, b"")) {
        debug!("welcome: could not note that it was shown ({e})");
    }
}

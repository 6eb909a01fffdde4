//! The boxes' drafts kept across a quit, a kill and a relaunch: what is typed in the intention
//! and plan boxes and not yet set is written (on a worker thread, within a second of a change, and
//! as the app exits) to the drafts file of this data folder, and offered again in its box at the
//! next start.

use bevy::prelude::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::Panels;
use crate::shell::face::{NextChange, ReportNextChange};
use crate::shell::input::{Panel, PanelState};
use crate::shell::message_line::Tell;
use crate::shell::today::{DaySystems, Today};
use crate::shell::worker::{self, Inbox, LoopWaker, Worker};
use crate::store::{Drafts, drafts_path, load_drafts, save_drafts};

/// Drafts are written at most this long after they change.
pub const DRAFTS_SAVED_AFTER: Duration = Duration::from_secs(1);

/// The thread that writes drafts files.
type Writer = Worker<(PathBuf, Drafts), ()>;

/// The drafts as last written, and since when the boxes differ from them.
#[derive(Resource, Default)]
struct Kept {
    path: Option<PathBuf>,
    written: Drafts,
    changed_at: Option<Instant>,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Kept>();
    app.add_systems(Startup, start_writer);
    app.add_systems(Update, offer_drafts.in_set(DaySystems));
    app.add_systems(Last, keep_drafts.in_set(DaySystems));
    // Closing a box's panel (Escape keeps a draft) writes at once.
    for panel in [Panel::Intention, Panel::Plan] {
        app.add_systems(OnExit(PanelState::Open(panel)), write_drafts_now);
    }
    app.add_systems(Update, report_drafts_due.in_set(ReportNextChange));
}

/// Runs with the other reports of what changes next: a draft waiting to be written wakes the
/// window when it is due, however long the window would sleep otherwise.
fn report_drafts_due(kept: Res<Kept>, mut next: ResMut<NextChange>) {
    if let Some(since) = kept.changed_at {
        next.within(DRAFTS_SAVED_AFTER.saturating_sub(since.elapsed()));
    }
}

/// Runs once: the thread that writes the drafts file (a failure is logged; the drafts stay on
/// screen).
fn start_writer(mut commands: Commands) {
    let spawned = worker::spawn("drafts", LoopWaker::default(), |inbox: Inbox<(PathBuf, Drafts), ()>| {
        while let Some((path, drafts)) = inbox.next() {
            // Only the latest drafts matter.
            let (path, drafts) = inbox.pending().last().unwrap_or((path, drafts));
            if let Err(e) = save_drafts(&path, &drafts) {
                warn!("drafts: not kept ({e})");
            }
        }
    });
    match spawned {
        Ok(writer) => commands.insert_resource(writer),
        Err(e) => warn!("drafts: no thread to keep them ({e}); they are written as the app exits"),
    }
}

/// Runs once the day is loaded, at the first frame: last time's drafts go back in their boxes,
/// and the user is told where they wait.
fn offer_drafts(
    mut done: Local<bool>,
    today: Res<Today>,
    mut panels: ResMut<Panels>,
    mut kept: ResMut<Kept>,
    mut tell: MessageWriter<Tell>,
) {
    if std::mem::replace(&mut *done, true) {
        return;
    }
    let dirs = &today.session().dirs;
    let path = drafts_path(&dirs.state, &dirs.data);
    crate::shell::legacy::adopt(&path, &drafts_path(&dirs.config, &dirs.data));
    match load_drafts(&path) {
        Ok(drafts) => {
            let boxes: Vec<&str> = [
                (!drafts.intention.is_empty()).then_some("intention (i)"),
                (!drafts.plan.is_empty()).then_some("plan (p)"),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !boxes.is_empty() {
                info!("drafts: last time's text offered again in {}", boxes.join(" and "));
                tell.write(Tell::show(format!(
                    "What you typed last time waits in the {} box.",
                    boxes.join(" and the ")
                )));
            }
            panels.intention.clone_from(&drafts.intention);
            panels.plan.clone_from(&drafts.plan);
            kept.written = drafts;
        }
        Err(e) => {
            warn!("{e}");
            tell.write(Tell::show(e));
        }
    }
    kept.path = Some(path);
}

/// Runs as the intention or plan panel closes: its draft is written now (on the writer's thread).
fn write_drafts_now(panels: Res<Panels>, mut kept: ResMut<Kept>, writer: Option<Res<Writer>>) {
    let Some(path) = kept.path.clone() else { return };
    let now = Drafts { intention: panels.intention.clone(), plan: panels.plan.clone() };
    if now != kept.written {
        write(writer.as_deref(), path, &now);
        kept.written = now;
        kept.changed_at = None;
    }
}

/// Hands the drafts to the writer's thread (or, without one, writes them here).
fn write(writer: Option<&Writer>, path: PathBuf, drafts: &Drafts) {
    match writer {
        Some(writer) => {
            writer.send((path, drafts.clone()));
        }
        None => {
            if let Err(e) = save_drafts(&path, drafts) {
                warn!("drafts: not kept ({e})");
            }
        }
    }
}

/// Runs at the end of each frame: drafts that changed are written within a second (on the
/// writer's thread), and at once, here, as the app exits.
fn keep_drafts(
    panels: Res<Panels>,
    mut kept: ResMut<Kept>,
    writer: Option<Res<Writer>>,
    mut exits: MessageReader<AppExit>,
) {
    let exiting = exits.read().next().is_some();
    if panels.intention == kept.written.intention && panels.plan == kept.written.plan {
        kept.changed_at = None;
        return;
    }
    let Some(path) = kept.path.clone() else { return };
    let now = Drafts { intention: panels.intention.clone(), plan: panels.plan.clone() };
    let since = *kept.changed_at.get_or_insert_with(Instant::now);
    if exiting {
        if let Err(e) = save_drafts(&path, &now) {
            error!("drafts: not kept as the app exits ({e})");
        }
    } else if since.elapsed() >= DRAFTS_SAVED_AFTER {
        write(writer.as_deref(), path, &now);
    } else {
        return;
    }
    kept.written = now;
    kept.changed_at = None;
}

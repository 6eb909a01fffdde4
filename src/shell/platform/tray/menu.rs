//! The tray item's menu, as rows with fixed ids, and what a click on each asks of the app. Pure:
//! the D-Bus side (`com.canonical.dbusmenu`) turns these rows into its layout.

use crate::day::Rating;

/// The rows' ids (0 is the menu itself).
pub const ROOT: i32 = 0;
pub const STATUS: i32 = 1;
pub const INTEND: i32 = 2;
pub const RATE: i32 = 3;
/// The four ratings, in the order of [`Rating::ALL`], from this id on.
pub const RATE_FIRST: i32 = 4;
pub const PLAN: i32 = 8;
pub const WINDOW: i32 = 9;
pub const MINI: i32 = 10;
pub const OVERLAY: i32 = 11;
pub const SEPARATOR: i32 = 12;
pub const QUIT: i32 = 13;

/// What the menu shows besides its fixed rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MenuShows {
    /// The first row, greyed: the interval and its countdown.
    pub status: String,
    /// Whether an intention can be set now.
    pub can_intend: bool,
    /// The pomodoro a rating would rate now (its number), if any.
    pub rate: Option<usize>,
    /// Whether the window is shown (the row then offers to hide it).
    pub window_shown: bool,
    /// Whether the window is in its mini view.
    pub mini: bool,
    /// Whether the overlay is on.
    pub overlay: bool,
}

/// What a row is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// A plain row: a click does something.
    Plain,
    /// A line between groups.
    Separator,
    /// A row with a check mark, checked or not.
    Check(bool),
    /// A row that opens the rows under it.
    Submenu(Vec<Row>),
}

/// One row of the menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: i32,
    pub label: String,
    pub enabled: bool,
    pub kind: RowKind,
}

/// What a click on a row (or on the item itself) asks of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrayCommand {
    /// Show the window, or hide it if it shows (the item's own click).
    ToggleWindow,
    /// Open the intention box.
    Intend,
    /// Rate the pomodoro a plain rating rates now.
    Rate(Rating),
    /// Open the plan.
    Plan,
    /// Switch the mini view on or off.
    Mini,
    /// Switch the overlay on or off.
    Overlay,
    /// End the app.
    Quit,
}

fn row(id: i32, label: impl Into<String>, enabled: bool, kind: RowKind) -> Row {
    Row { id, label: label.into(), enabled, kind }
}

/// The menu's rows, top to bottom. Labels use `_` for an access key, as dbusmenu does.
pub fn rows(shows: &MenuShows) -> Vec<Row> {
    let ratings = Rating::ALL
        .iter()
        .zip(RATE_FIRST..)
        .map(|(rating, id)| row(id, crate::format::capitalised(rating.name()), shows.rate.is_some(), RowKind::Plain))
        .collect();
    let rate = match shows.rate {
        Some(n) => format!("_Rate pomodoro {n}"),
        None => "_Rate".to_owned(),
    };
    vec![
        row(STATUS, shows.status.replace('_', "__"), false, RowKind::Plain),
        row(INTEND, "Set _intention…", shows.can_intend, RowKind::Plain),
        row(RATE, rate, shows.rate.is_some(), RowKind::Submenu(ratings)),
        row(PLAN, "_Plan…", true, RowKind::Plain),
        row(WINDOW, if shows.window_shown { "_Hide window" } else { "_Show window" }, true, RowKind::Plain),
        row(MINI, "_Mini view", true, RowKind::Check(shows.mini)),
        row(OVERLAY, "_Overlay", true, RowKind::Check(shows.overlay)),
        row(SEPARATOR, "", true, RowKind::Separator),
        row(QUIT, "_Quit", true, RowKind::Plain),
    ]
}

/// The row with `id` among `rows` and their submenus.
pub fn find(rows: &[Row], id: i32) -> Option<&Row> {
    rows.iter().find_map(|r| match &r.kind {
        _ if r.id == id => Some(r),
        RowKind::Submenu(children) => find(children, id),
        _ => None,
    })
}

/// What a click on the row `id` asks, if anything.
pub fn command(id: i32) -> Option<TrayCommand> {
    Some(match id {
        INTEND => TrayCommand::Intend,
        PLAN => TrayCommand::Plan,
        WINDOW => TrayCommand::ToggleWindow,
        MINI => TrayCommand::Mini,
        OVERLAY => TrayCommand::Overlay,
        QUIT => TrayCommand::Quit,
        id if (RATE_FIRST..RATE_FIRST + 4).contains(&id) => TrayCommand::Rate(Rating::ALL[(id - RATE_FIRST) as usize]),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_that_acts_has_a_command_and_the_status_row_is_greyed() {
        let shows = MenuShows { status: "Pomodoro 3 · 12 min left".into(), rate: Some(2), ..MenuShows::default() };
        let rows = rows(&shows);
        assert_eq!(rows[0].label, "Pomodoro 3 · 12 min left");
        assert!(!rows[0].enabled);
        assert!(!find(&rows, INTEND).unwrap().enabled, "no intention can be set");
        assert_eq!(find(&rows, RATE).unwrap().label, "_Rate pomodoro 2");
        assert_eq!(find(&rows, RATE_FIRST).unwrap().label, "Achieved");
        assert_eq!(command(RATE_FIRST + 3), Some(TrayCommand::Rate(Rating::Distracted)));
        assert_eq!(find(&rows, WINDOW).unwrap().label, "_Show window");
        for id in [INTEND, PLAN, WINDOW, MINI, OVERLAY, QUIT] {
            assert!(command(id).is_some() && find(&rows, id).is_some(), "row {id}");
        }
        assert_eq!(command(STATUS), None);
        assert_eq!(command(SEPARATOR), None);
    }

    #[test]
    fn an_underscore_in_the_status_is_not_taken_for_an_access_key() {
        let rows = rows(&MenuShows { status: "write snake_case".into(), ..MenuShows::default() });
        assert_eq!(rows[0].label, "write snake__case");
    }
}

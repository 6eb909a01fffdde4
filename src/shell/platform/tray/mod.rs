//! The tray's client: a StatusNotifierItem (the spec KDE, XFCE, waybar and GNOME's AppIndicator
//! extension read) with its menu (`com.canonical.dbusmenu`), served on the session bus by zbus on
//! a worker thread of its own. The app hands it what to show ([`TrayShows`], only when that
//! changed); the thread draws the icon, answers the host's calls and tells the host what changed
//! (`NewIcon`, `NewToolTip`, `NewStatus`, `LayoutUpdated`). Clicks come back as [`TrayReply`]s,
//! and so does whether a tray host is there at all (a watcher that took the item): without one,
//! closing the window quits as it always did.

pub mod icon;
pub mod menu;

use bevy::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use zbus::{Connection, ObjectPath, OwnedObjectPath, Structure, Type, Variant, fdo, interface};

use crate::day::Urgency;
use crate::day::tray::TrayLook;
use crate::shell::worker::{self, Inbox, LoopWaker, Replier, Worker};
pub use icon::Pixmap;
pub use menu::{MenuShows, TrayCommand};
use menu::{Row, RowKind};

/// Where the item and its menu are served.
pub const ITEM_PATH: &str = "/StatusNotifierItem";
pub const MENU_PATH: &str = "/MenuBar";
/// The interfaces, and the watcher that hosts register items with.
pub const ITEM_INTERFACE: &str = "org.kde.StatusNotifierItem";
pub const MENU_INTERFACE: &str = "com.canonical.dbusmenu";
pub const WATCHER: &str = "org.kde.StatusNotifierWatcher";
pub const WATCHER_PATH: &str = "/StatusNotifierWatcher";

/// What the app asks the tray to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrayShows {
    pub look: TrayLook,
    pub menu: MenuShows,
}

/// What the app asks of the tray's client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrayRequest {
    /// Show this (the item comes back first if it was withdrawn).
    Show(TrayShows),
    /// Take the item off the bus (the tray setting is off): hosts drop it.
    Withdraw,
}

/// What comes back from the tray.
#[derive(Message, Clone, Debug, PartialEq, Eq)]
pub enum TrayReply {
    /// Whether a tray host shows the item (a watcher took it), told when that changes.
    Hosted(bool),
    /// A click on the item or a row of its menu.
    Command(TrayCommand),
}

/// The client's thread, as the app holds it.
pub type Tray = Worker<TrayRequest, TrayReply>;

/// Starts the client's thread. With no session bus it logs one line and only drains its requests.
pub fn start(waker: LoopWaker) -> std::io::Result<Tray> {
    worker::spawn("tray", waker, serve)
}

/// What the item and its menu show now: written by the client's thread, read by the interfaces
/// (which zbus answers on its own thread).
#[derive(Default)]
struct Shown {
    look: Option<TrayLook>,
    icon: Vec<Pixmap>,
    rows: Vec<Row>,
    /// The menu layout's revision, raised with each change.
    revision: u32,
}

type Shared = Arc<Mutex<Shown>>;

fn read<T>(shared: &Shared, f: impl FnOnce(&Shown) -> T) -> T {
    f(&shared.lock().unwrap_or_else(PoisonError::into_inner))
}

/// The client's thread: serves the item, registers it with the watcher (again whenever a watcher
/// appears), and brings what it shows up to date; takes it off the bus when asked, and puts it
/// back when asked to show something again.
fn serve(inbox: Inbox<TrayRequest, TrayReply>) {
    let mut served: Option<(Connection, Shared)> = None;
    let mut no_bus = false;
    while let Some(first) = inbox.next() {
        // Only the newest request matters.
        let shows = match inbox.pending().last().unwrap_or(first) {
            TrayRequest::Withdraw => {
                if let Some((conn, _)) = served.take() {
                    let _ = zbus::block_on(conn.close());
                    info!("tray: item withdrawn (the tray setting is off)");
                    inbox.reply(TrayReply::Hosted(false));
                }
                continue;
            }
            TrayRequest::Show(shows) => shows,
        };
        if served.is_none() && !no_bus {
            served = bring_up(&inbox);
            no_bus = served.is_none();
        }
        let Some((conn, shared)) = &served else { continue };
        // The picture follows the urgency and the arc alone: drawn again only when they change
        // (this thread alone writes what is shown, so reading it first is safe).
        let same_picture = read(shared, |s| {
            s.look.as_ref().is_some_and(|w| (w.urgency, w.progress) == (shows.look.urgency, shows.look.progress))
        });
        let icon = (!same_picture).then(|| icon::pixmaps(&shows.look));
        let rows = menu::rows(&shows.menu);
        let (changed, revision) = {
            let mut shown = shared.lock().unwrap_or_else(PoisonError::into_inner);
            let was = shown.look.replace(shows.look.clone());
            let changed = Changed {
                icon: icon.as_ref().is_some_and(|icon| *icon != shown.icon),
                tooltip: was.as_ref().is_none_or(|w| (&w.title, &w.detail) != (&shows.look.title, &shows.look.detail)),
                status: was.as_ref().is_none_or(|w| status(w) != status(&shows.look)),
                menu: rows != shown.rows,
            };
            if let Some(icon) = icon {
                shown.icon = icon;
            }
            if changed.menu {
                shown.rows = rows;
                shown.revision += 1;
            }
            (changed, shown.revision)
        };
        if let Err(e) = zbus::block_on(announce(conn, changed, revision, status(&shows.look))) {
            debug!("tray: a change not announced ({e})");
        }
    }
}

/// Serves the item on the session bus and follows the watcher on a thread of its own; `None`
/// (said once) without a session bus.
fn bring_up(inbox: &Inbox<TrayRequest, TrayReply>) -> Option<(Connection, Shared)> {
    let shared = Shared::default();
    let replies = Arc::new(Mutex::new(inbox.replier()));
    let conn = match zbus::block_on(connect(shared.clone(), replies)) {
        Ok(conn) => conn,
        Err(e) => {
            info!("tray: no session bus ({e}); no tray item");
            return None;
        }
    };
    let watch = (conn.clone(), inbox.replier());
    if let Err(e) = std::thread::Builder::new().name("tray watcher".into()).spawn(move || {
        zbus::block_on(follow_watcher(&watch.0, &watch.1));
    }) {
        warn!("tray: no thread to follow the tray host ({e}); no tray item");
        return None;
    }
    Some((conn, shared))
}

/// What changed since the host last read it.
#[derive(Clone, Copy, Debug)]
struct Changed {
    icon: bool,
    tooltip: bool,
    status: bool,
    menu: bool,
}

/// Tells the host what changed: it reads the new values back.
async fn announce(conn: &Connection, changed: Changed, revision: u32, status: &str) -> zbus::Result<()> {
    let signal = |path, interface, name| conn.emit_signal(None::<&str>, path, interface, name, &());
    if changed.icon {
        signal(ITEM_PATH, ITEM_INTERFACE, "NewIcon").await?;
        signal(ITEM_PATH, ITEM_INTERFACE, "NewAttentionIcon").await?;
    }
    if changed.tooltip {
        signal(ITEM_PATH, ITEM_INTERFACE, "NewTitle").await?;
        signal(ITEM_PATH, ITEM_INTERFACE, "NewToolTip").await?;
    }
    if changed.status {
        conn.emit_signal(None::<&str>, ITEM_PATH, ITEM_INTERFACE, "NewStatus", &(status,)).await?;
    }
    if changed.menu {
        conn.emit_signal(None::<&str>, MENU_PATH, MENU_INTERFACE, "LayoutUpdated", &(revision, menu::ROOT)).await?;
    }
    Ok(())
}

/// The item's status: it asks for attention while an intention is due.
fn status(look: &TrayLook) -> &'static str {
    match look.urgency {
        Urgency::Due => "NeedsAttention",
        _ => "Active",
    }
}

/// Connects to the session bus with the item and its menu served, under the well-known name the
/// spec suggests (`org.kde.StatusNotifierItem-PID-1`).
async fn connect(shared: Shared, replies: Arc<Mutex<Replier<TrayReply>>>) -> zbus::Result<Connection> {
    let name = format!("org.kde.StatusNotifierItem-{}-1", std::process::id());
    zbus::connection::Builder::session()
        .name(name)
        .serve_at(ITEM_PATH, Item { shared: shared.clone(), replies: replies.clone() })
        .serve_at(MENU_PATH, Menu { shared, replies })
        .build()
        .await
}

/// Registers the item with the watcher now and whenever a watcher (a tray host) appears, and
/// tells the app whether one shows it. Runs on a thread of its own, until the bus goes.
async fn follow_watcher(conn: &Connection, replier: &Replier<TrayReply>) {
    use futures_lite::StreamExt;
    let mut hosted = register(conn).await;
    if !hosted {
        info!("tray: no tray host (no {WATCHER} on the session bus); closing the window quits");
    }
    replier.reply(TrayReply::Hosted(hosted));
    let Ok(bus) = fdo::DBusProxy::new(conn).await else { return };
    let Ok(mut changes) = bus.receive_name_owner_changed_with_args(&[(0, WATCHER)]).await else { return };
    while let Some(change) = changes.next().await {
        let Ok(args) = change.args() else { continue };
        let now = args.new_owner().is_some() && register(conn).await;
        if now != hosted {
            hosted = now;
            info!("tray: {}", if hosted { "a tray host took the item" } else { "the tray host is gone" });
            if !replier.reply(TrayReply::Hosted(hosted)) {
                return;
            }
        }
    }
}

/// Registers the item with the watcher: whether one took it.
async fn register(conn: &Connection) -> bool {
    let Some(name) = conn.unique_name().map(|n| n.to_string()) else { return false };
    let proxy = zbus::Proxy::new(conn, WATCHER, WATCHER_PATH, WATCHER).await;
    let Ok(proxy) = proxy else { return false };
    // The unique name: the watcher then finds the item at the spec's default path.
    match proxy.call_method("RegisterStatusNotifierItem", &(name,)).await {
        Ok(_) => {
            info!("tray: item registered with the tray host");
            true
        }
        Err(e) => {
            debug!("tray: not registered ({e})");
            false
        }
    }
}

/// `org.kde.StatusNotifierItem`: the icon, title, tooltip and status, and the item's own clicks.
struct Item {
    shared: Shared,
    replies: Arc<Mutex<Replier<TrayReply>>>,
}

fn reply(replies: &Mutex<Replier<TrayReply>>, command: TrayCommand) {
    replies.lock().unwrap_or_else(PoisonError::into_inner).reply(TrayReply::Command(command));
}

#[interface(name = "org.kde.StatusNotifierItem")]
impl Item {
    #[zbus(property)]
    fn category(&self) -> String {
        "ApplicationStatus".into()
    }

    #[zbus(property)]
    fn id(&self) -> String {
        crate::desktop::APP_NAME.to_lowercase()
    }

    #[zbus(property)]
    fn title(&self) -> String {
        read(&self.shared, |s| s.look.as_ref().map_or_else(|| crate::desktop::APP_NAME.into(), |l| l.title.clone()))
    }

    #[zbus(property)]
    fn status(&self) -> String {
        read(&self.shared, |s| s.look.as_ref().map_or("Active", status).to_owned())
    }

    #[zbus(property)]
    fn window_id(&self) -> i32 {
        0
    }

    #[zbus(property)]
    fn icon_name(&self) -> String {
        String::new()
    }

    #[zbus(property)]
    fn icon_pixmap(&self) -> Vec<Pixmap> {
        read(&self.shared, |s| s.icon.clone())
    }

    #[zbus(property)]
    fn overlay_icon_name(&self) -> String {
        String::new()
    }

    #[zbus(property)]
    fn overlay_icon_pixmap(&self) -> Vec<Pixmap> {
        Vec::new()
    }

    #[zbus(property)]
    fn attention_icon_name(&self) -> String {
        String::new()
    }

    /// The same picture: the icon itself shows the due intention (a full band in yellow).
    #[zbus(property)]
    fn attention_icon_pixmap(&self) -> Vec<Pixmap> {
        read(&self.shared, |s| s.icon.clone())
    }

    #[zbus(property)]
    fn attention_movie_name(&self) -> String {
        String::new()
    }

    /// The icon's name (none), its pictures (none: the item's own show), the title and the text.
    #[zbus(property)]
    fn tool_tip(&self) -> (String, Vec<Pixmap>, String, String) {
        read(&self.shared, |s| match &s.look {
            Some(look) => (String::new(), Vec::new(), look.title.clone(), look.detail.clone()),
            None => (String::new(), Vec::new(), crate::desktop::APP_NAME.into(), String::new()),
        })
    }

    #[zbus(property)]
    fn item_is_menu(&self) -> bool {
        false
    }

    #[zbus(property)]
    fn menu(&self) -> OwnedObjectPath {
        ObjectPath::from_static_str_unchecked(MENU_PATH).into()
    }

    /// A left click: the window shows, or hides if it shows.
    fn activate(&self, _x: i32, _y: i32) {
        reply(&self.replies, TrayCommand::ToggleWindow);
    }

    /// A middle click: the intention box (the thing most often wanted).
    fn secondary_activate(&self, _x: i32, _y: i32) {
        reply(&self.replies, TrayCommand::Intend);
    }

    /// The host shows the menu itself (from `Menu`).
    fn context_menu(&self, _x: i32, _y: i32) {}

    fn scroll(&self, _delta: i32, _orientation: String) {}
}

/// One row of the menu and the rows under it, as dbusmenu lays them out: `(ia{sv}av)`.
#[derive(Debug, Serialize, Type)]
struct Layout {
    id: i32,
    properties: HashMap<String, Variant<'static>>,
    children: Vec<Variant<'static>>,
}

/// The properties of `row` that dbusmenu knows (all of them when `names` is empty).
fn properties(row: &Row, names: &[String]) -> HashMap<String, Variant<'static>> {
    let mut props: Vec<(&str, Variant<'static>)> = Vec::new();
    match &row.kind {
        RowKind::Separator => props.push(("type", Variant::from("separator".to_owned()))),
        RowKind::Check(on) => {
            props.push(("toggle-type", Variant::from("checkmark".to_owned())));
            props.push(("toggle-state", Variant::from(i32::from(*on))));
        }
        RowKind::Submenu(_) => props.push(("children-display", Variant::from("submenu".to_owned()))),
        RowKind::Plain => {}
    }
    if row.kind != RowKind::Separator {
        props.push(("label", Variant::from(row.label.clone())));
    }
    props.push(("enabled", Variant::from(row.enabled)));
    props.push(("visible", Variant::from(true)));
    props
        .into_iter()
        .filter(|(name, _)| names.is_empty() || names.iter().any(|n| n == name))
        .map(|(name, value)| (name.to_owned(), value))
        .collect()
}

/// `row` and, `depth` levels down (all of them when negative), the rows under it.
fn layout(id: i32, children: &[Row], props: HashMap<String, Variant<'static>>, depth: i32, names: &[String]) -> Layout {
    let children = if depth == 0 {
        Vec::new()
    } else {
        children
            .iter()
            .map(|child| {
                let kids: &[Row] = match &child.kind {
                    RowKind::Submenu(kids) => kids,
                    _ => &[],
                };
                let l = layout(child.id, kids, properties(child, names), depth - 1, names);
                Variant::from(Structure::from((l.id, l.properties, l.children)))
            })
            .collect()
    };
    Layout { id, properties: props, children }
}

/// `com.canonical.dbusmenu`: the item's menu.
struct Menu {
    shared: Shared,
    replies: Arc<Mutex<Replier<TrayReply>>>,
}

impl Menu {
    /// A click on row `id`.
    fn clicked(&self, id: i32, event: &str) {
        if event == "clicked"
            && let Some(command) = menu::command(id)
            && read(&self.shared, |s| menu::find(&s.rows, id).is_some_and(|r| r.enabled))
        {
            reply(&self.replies, command);
        }
    }
}

#[interface(name = "com.canonical.dbusmenu")]
impl Menu {
    #[zbus(out_args("revision", "layout"))]
    fn get_layout(
        &self,
        parent_id: i32,
        recursion_depth: i32,
        property_names: Vec<String>,
    ) -> fdo::Result<(u32, Layout)> {
        read(&self.shared, |s| {
            let root_props = HashMap::from([("children-display".to_owned(), Variant::from("submenu".to_owned()))]);
            let l = if parent_id == menu::ROOT {
                layout(menu::ROOT, &s.rows, root_props, recursion_depth, &property_names)
            } else {
                let row = menu::find(&s.rows, parent_id)
                    .ok_or_else(|| fdo::Error::InvalidArgs(format!("no row {parent_id}")))?;
                let kids: &[Row] = match &row.kind {
                    RowKind::Submenu(kids) => kids,
                    _ => &[],
                };
                layout(row.id, kids, properties(row, &property_names), recursion_depth, &property_names)
            };
            Ok((s.revision, l))
        })
    }

    fn get_group_properties(
        &self,
        ids: Vec<i32>,
        property_names: Vec<String>,
    ) -> Vec<(i32, HashMap<String, Variant<'static>>)> {
        read(&self.shared, |s| {
            ids.iter()
                .filter_map(|&id| menu::find(&s.rows, id).map(|row| (id, properties(row, &property_names))))
                .collect()
        })
    }

    fn get_property(&self, id: i32, name: String) -> fdo::Result<Variant<'static>> {
        read(&self.shared, |s| {
            let row = menu::find(&s.rows, id).ok_or_else(|| fdo::Error::InvalidArgs(format!("no row {id}")))?;
            properties(row, std::slice::from_ref(&name))
                .remove(&name)
                .ok_or_else(|| fdo::Error::InvalidArgs(format!("no property {name}")))
        })
    }

    fn event(&self, id: i32, event_id: String, _data: Variant<'_>, _timestamp: u32) {
        self.clicked(id, &event_id);
    }

    /// Several events at once; answers the ids it does not know.
    fn event_group(&self, events: Vec<(i32, String, Variant<'_>, u32)>) -> Vec<i32> {
        let known = |id: i32| read(&self.shared, |s| menu::find(&s.rows, id).is_some());
        let mut unknown = Vec::new();
        for (id, event, ..) in events {
            if known(id) { self.clicked(id, &event) } else { unknown.push(id) }
        }
        unknown
    }

    /// The menu is always up to date: nothing to do before it shows.
    fn about_to_show(&self, _id: i32) -> bool {
        false
    }

    #[zbus(out_args("updates_needed", "id_errors"))]
    fn about_to_show_group(&self, _ids: Vec<i32>) -> (Vec<i32>, Vec<i32>) {
        (Vec::new(), Vec::new())
    }

    #[zbus(property)]
    fn version(&self) -> u32 {
        3
    }

    #[zbus(property)]
    fn text_direction(&self) -> String {
        "ltr".into()
    }

    #[zbus(property)]
    fn status(&self) -> String {
        "normal".into()
    }

    #[zbus(property)]
    fn icon_theme_path(&self) -> Vec<String> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_has_dbusmenus_type_and_holds_every_row() {
        assert_eq!(Layout::SIGNATURE.to_string(), "(ia{sv}av)");
        let rows =
            menu::rows(&MenuShows { status: "Pomodoro 1 · 3 min left".into(), rate: Some(1), ..MenuShows::default() });
        let l = layout(menu::ROOT, &rows, HashMap::new(), -1, &[]);
        assert_eq!(l.children.len(), rows.len());
        // The rating submenu carries its four rows, one level down.
        let rate = Structure::try_from(&l.children[2]).unwrap();
        let fields = rate.fields();
        assert_eq!(fields[0], Variant::from(menu::RATE));
        let Variant::Array(kids) = &fields[2] else { panic!("children: {:?}", fields[2]) };
        assert_eq!(kids.len(), 4);
        // Serialised as the host receives it.
        let ctxt = zbus::wire::serialized::Context::new(zbus::wire::LE, 0);
        let bytes = zbus::wire::to_bytes(ctxt, &(7u32, &l)).unwrap();
        type Node = (i32, HashMap<String, zbus::OwnedVariant>, Vec<zbus::OwnedVariant>);
        let (revision, back): (u32, Node) = bytes.deserialize().unwrap().0;
        assert_eq!((revision, back.0, back.2.len()), (7, 0, rows.len()));
        // Only the properties asked for.
        let only = properties(&rows[0], &["label".to_owned()]);
        assert_eq!(only.keys().collect::<Vec<_>>(), ["label"]);
    }
}

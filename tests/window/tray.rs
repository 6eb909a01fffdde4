// The tray item against a real bus: a private dbus-daemon on which the test itself plays the tray
// host's watcher (`org.kde.StatusNotifierWatcher`, which Debian ships no stand-alone program for),
// and reads the item as a panel would; openbox manages the window.

use super::companion::{start_bus, start_openbox, tools};
use super::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use zbus::{OwnedVariant, Variant};

use pomodouroboros::shell::platform::tray::{
    ITEM_INTERFACE, ITEM_PATH, MENU_INTERFACE, MENU_PATH, WATCHER, WATCHER_PATH,
};

/// The watcher's side of the spec: it records the items that register.
struct Watcher {
    items: Arc<Mutex<Vec<String>>>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    fn register_status_notifier_item(&self, service: String, #[zbus(header)] header: zbus::message::Header<'_>) {
        // A service given as a path means "the sender, at this path".
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        self.items.lock().unwrap().push(if service.starts_with('/') { sender } else { service });
    }

    fn register_status_notifier_host(&self, _service: String) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.lock().unwrap().clone()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

/// Takes the watcher's name on the bus at `address`; the items that register come into `items`.
fn start_watcher(address: &str, items: Arc<Mutex<Vec<String>>>) -> zbus::Connection {
    zbus::block_on(
        zbus::connection::Builder::address(address).name(WATCHER).serve_at(WATCHER_PATH, Watcher { items }).build(),
    )
    .expect("the watcher on the test's bus")
}

/// A proxy on the app's item or menu that reads every property afresh.
fn proxy<'a>(conn: &zbus::Connection, service: &'a str, path: &'a str, interface: &'a str) -> zbus::Proxy<'a> {
    zbus::block_on(async {
        zbus::proxy::Builder::new(conn)
            .destination(service)
            .path(path)
            .interface(interface)
            .cache_properties(zbus::proxy::CacheProperties::No)
            .build()
            .await
    })
    .unwrap()
}

fn property<T: serde::de::DeserializeOwned + zbus::Type>(proxy: &zbus::Proxy<'_>, name: &str) -> T {
    zbus::block_on(proxy.get_property::<T>(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn map_state(display: &str, window: &str) -> String {
    let out = Command::new("xwininfo").env("DISPLAY", display).args(["-id", window]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines().find_map(|l| l.trim().strip_prefix("Map State: ")).unwrap_or("").to_owned()
}

/// What the window's close button does: asked of the window manager (`_NET_CLOSE_WINDOW`, as a
/// taskbar asks), which sends the window its WM_DELETE_WINDOW message.
fn close_window(display: &str, window: &str) {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ClientMessageEvent, ConnectionExt, EventMask};
    let (conn, screen) = x11rb::connect(Some(display)).unwrap();
    let root = conn.setup().roots[screen].root;
    let close = conn.intern_atom(false, b"_NET_CLOSE_WINDOW").unwrap().reply().unwrap().atom;
    let window: u32 = window.parse().unwrap();
    // Source 2: a pager or taskbar, acting for the user.
    let event = ClientMessageEvent::new(32, window, close, [x11rb::CURRENT_TIME, 2, 0, 0, 0]);
    let mask = EventMask::SUBSTRUCTURE_REDIRECT | EventMask::SUBSTRUCTURE_NOTIFY;
    conn.send_event(false, root, mask, event).unwrap();
    conn.flush().unwrap();
}

/// `_NET_WM_STATE` of `window`, as `xprop` prints it.
fn net_wm_state(display: &str, window: &str) -> String {
    let out = Command::new("xprop").env("DISPLAY", display).args(["-id", window, "_NET_WM_STATE"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Closes the window as its close button does, until `done`. Sent again after a while: here
/// (Xvfb, openbox, Mesa's software Vulkan) a window minimised and restored now and then handles
/// no X event for seconds although its frames run (xtrace shows openbox's WM_DELETE_WINDOW
/// delivered; under gdb, winit's `XFilterEvent` and `client_message` are not called at all), and
/// the close sent then is lost. See the README's known problems; it is not what this test is
/// about.
const CLOSES: usize = 12;

fn close_until(display: &str, window: &str, log: &Path, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    for _ in 0..CLOSES {
        close_window(display, window);
        let sent = Instant::now();
        while sent.elapsed() < Duration::from_secs(4) {
            if done() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let log = std::fs::read_to_string(log).unwrap_or_default();
    panic!("{what}: not after {CLOSES} closes in {:?}; the app's log:\n{log}", start.elapsed());
}

/// Waits until the app's frames run again (the item's title, a countdown in seconds on a test day,
/// moves), and says how long that took: a restored window can stall for seconds here (see
/// [`close_until`]), and a close sent meanwhile is lost.
fn live_again(item: &zbus::Proxy<'_>, after: &str) {
    let start = Instant::now();
    let first: String = property(item, "Title");
    while property::<String>(item, "Title") == first {
        assert!(start.elapsed() < Duration::from_secs(60), "the app's frames did not run again after it was {after}");
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!("frames ran again {:?} after the window was {after}", start.elapsed());
}

/// [`wait_for`], telling the app's log when it times out.
fn until(log: &Path, what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        let log = || std::fs::read_to_string(log).unwrap_or_default();
        assert!(start.elapsed() < Duration::from_secs(10), "timed out waiting for {what}; the app's log:\n{}", log());
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An icon's pictures, as the spec sends them: width, height, ARGB32 bytes.
type Pixmaps = Vec<(i32, i32, Vec<u8>)>;
/// The item's tooltip: icon name, pictures, title, text.
type ToolTip = (String, Pixmaps, String, String);

/// One row of the menu's layout: its id, properties and rows under it.
type Node = (i32, HashMap<String, OwnedVariant>, Vec<OwnedVariant>);

fn label(node: &Node) -> String {
    node.1.get("label").and_then(|v| String::try_from(v.try_clone().unwrap()).ok()).unwrap_or_default()
}

#[test]
fn the_tray_item_shows_the_day_its_menu_rates_and_the_window_lives_on_in_it() {
    if !tools(&["dbus-daemon", "openbox", "xprop", "xwininfo"]) {
        return;
    }
    let start = |display: &str, dir: &Path| {
        let wm = start_openbox(display, dir);
        let (bus, address) = start_bus(dir);
        Desktop { daemons: vec![bus, wm], env: vec![("DBUS_SESSION_BUS_ADDRESS", address)] }
    };
    let Some(mut running) = launch_beside(None, &[], "1600x1000", &start) else { return };
    let address = running.app_env("DBUS_SESSION_BUS_ADDRESS");
    let log = running.dir.path().join("app.log");
    // No host yet: the app says so once, and goes on.
    wait_for("the app to look for a tray host", Duration::from_secs(10), || running.log().contains("no tray host"));
    // A host appears (as a panel starting after the app): the item registers with it.
    let items = Arc::new(Mutex::new(Vec::new()));
    let host = start_watcher(&address, items.clone());
    wait_for("the item to register", Duration::from_secs(10), || !items.lock().unwrap().is_empty());
    let service = items.lock().unwrap()[0].clone();
    let item = proxy(&host, &service, ITEM_PATH, ITEM_INTERFACE);

    // The first pomodoro has no intention: the item asks for attention, its tooltip counts down.
    let icons: Pixmaps = property(&item, "IconPixmap");
    assert!(!icons.is_empty() && icons.iter().all(|(w, h, argb)| argb.len() == (w * h * 4) as usize), "{icons:?}");
    let (_, _, title, detail): ToolTip = property(&item, "ToolTip");
    assert!(title.starts_with("Pomodoro 1 · ") && title.ends_with(" s left"), "{title}");
    assert_eq!(detail, "Set an intention for this pomodoro");
    assert_eq!(property::<String>(&item, "Status"), "NeedsAttention");
    assert_eq!(property::<zbus::OwnedObjectPath>(&item, "Menu").as_str(), MENU_PATH);

    // An intention set from the command line: the item is calm and quotes it.
    running.cli(&["intend", "write the tray test"]);
    wait_for("the item to quote the intention", Duration::from_secs(10), || {
        property::<String>(&item, "Status") == "Active"
    });
    let (.., detail): ToolTip = property(&item, "ToolTip");
    assert_eq!(detail, "“write the tray test”");

    // The menu as a panel reads it: the rows, the rating submenu.
    let menu = proxy(&host, &service, MENU_PATH, MENU_INTERFACE);
    let (_, root): (u32, Node) =
        zbus::block_on(menu.call("GetLayout", &(0i32, -1i32, Vec::<String>::new()))).expect("GetLayout");
    let rows: Vec<Node> = root.2.iter().map(|v| Node::try_from(v.try_clone().unwrap()).unwrap()).collect();
    let labels: Vec<String> = rows.iter().map(label).collect();
    assert!(labels[0].starts_with("Pomodoro 1 · "), "{labels:?}");
    assert_eq!(
        labels[1..],
        ["Set _intention…", "_Rate pomodoro 1", "_Plan…", "_Hide window", "_Mini view", "_Overlay", "", "_Quit"]
    );
    let ratings: Vec<Node> = rows[2].2.iter().map(|v| Node::try_from(v.try_clone().unwrap()).unwrap()).collect();
    assert_eq!(ratings.iter().map(label).collect::<Vec<_>>(), ["Achieved", "Focused", "Interrupted", "Distracted"]);

    // A click on Rate → Achieved rates the pomodoro in the saved file.
    let clicked = (ratings[0].0, "clicked", Variant::from(0i32), 0u32);
    zbus::block_on(menu.call::<_, _, ()>("Event", &clicked)).expect("Event");
    wait_for("the rating saved", Duration::from_secs(10), || running.saved_day().contains("rating: Some(achieved)"));

    // A click on the item hides the window, another shows it.
    assert_eq!(map_state(&running.display, &running.window), "IsViewable");
    zbus::block_on(item.call::<_, _, ()>("Activate", &(0i32, 0i32))).expect("Activate");
    until(&log, "the window put away", || map_state(&running.display, &running.window) == "IsUnMapped");
    until(&log, "the window out of the taskbar", || {
        net_wm_state(&running.display, &running.window).contains("_NET_WM_STATE_SKIP_TASKBAR")
    });
    zbus::block_on(item.call::<_, _, ()>("Activate", &(0i32, 0i32))).expect("Activate");
    until(&log, "the window back", || map_state(&running.display, &running.window) == "IsViewable");
    until(&log, "the window back in the taskbar", || {
        !net_wm_state(&running.display, &running.window).contains("_NET_WM_STATE_SKIP_TASKBAR")
    });
    live_again(&item, "restored from the tray");

    // The close button puts it away too; the app and its day run on (the item's countdown moves,
    // the app waking for it with nothing drawn); a second launch brings the window back.
    let (display, window) = (running.display.clone(), running.window.clone());
    close_until(&display, &window, &log, "the window put away", || map_state(&display, &window) == "IsUnMapped");
    let before: String = property(&item, "Title");
    std::thread::sleep(Duration::from_millis(2500));
    assert!(running.alive(), "closing the window kept the app");
    assert_ne!(property::<String>(&item, "Title"), before, "the day goes on while the window is away");
    let second = running.command().output().unwrap();
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    until(&log, "the window back", || map_state(&running.display, &running.window) == "IsViewable");
    // The window shown again draws the day.
    until(&log, "the day drawn again", || {
        // Just mapped again, the window may not be readable yet: try again.
        running
            .try_shot("tray-window-back")
            .is_some_and(|shot| shot.pixels().filter(|p| p.0.iter().any(|&c| c > 60)).count() > 5_000)
    });
    live_again(&item, "shown by a second launch");

    // The tray setting off (a hand edit of settings.ron, as the settings panel's row writes it):
    // the item leaves the bus; on again, it registers anew.
    let settings = running.config().join("settings.ron");
    let edit = |from: &str, to: &str| {
        let text = std::fs::read_to_string(&settings).unwrap();
        let text = if text.contains(from) {
            text.replacen(from, to, 1)
        } else {
            text.replacen("settings: (", &format!("settings: ({to}, "), 1)
        };
        std::fs::write(&settings, text).unwrap();
    };
    let owned = |name: &str| -> bool {
        let bus = zbus::block_on(zbus::fdo::DBusProxy::new(&host)).unwrap();
        zbus::block_on(bus.name_has_owner(name.try_into().unwrap())).unwrap()
    };
    edit("tray: true", "tray: false");
    until(&log, "the item withdrawn", || running.log().contains("tray: item withdrawn") && !owned(&service));
    edit("tray: false", "tray: true");
    until(&log, "the item back", || items.lock().unwrap().len() == 2);
    let service = items.lock().unwrap()[1].clone();
    assert!(owned(&service));

    // The host goes: closing the window quits again, cleanly.
    drop(item);
    drop(menu);
    zbus::block_on(host.close()).unwrap();
    wait_for("the app to see the host go", Duration::from_secs(10), || running.log().contains("the tray host is gone"));
    close_until(&display, &window, &log, "the app to quit", || running.app.0.try_wait().unwrap().is_some());
    assert!(running.app.0.wait().unwrap().success());
}

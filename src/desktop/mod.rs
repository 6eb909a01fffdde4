//! A place on the desktop: the menu entry, the icon and the autostart entry (freedesktop Desktop
//! Entry, Icon Theme and Autostart specifications), installed and uninstalled by the command line.

pub mod install;
pub mod instance;

/// The application's id: the desktop entry's name, the icon's name, the window's class and app id.
pub const APP_ID: &str = "pomodouroboros";
/// The application's name as people read it: the window's title, the notifications' sender.
pub const APP_NAME: &str = "Pomodouroboros";

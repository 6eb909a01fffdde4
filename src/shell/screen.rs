//! Where things go in the window: the ring, the open panel, and the bands for the lists and the
//! legend. One pure function, so the ring and the text are laid out from the same rectangles and
//! every size from the mini view to 4K is tested without a window.

use bevy::math::{Rect, Vec2};
use bevy::prelude::*;

use super::AppSystems;
use super::face::ShowsAll;
use super::input::PanelState;
use super::today::Today;
use super::window::ViewMode;
use crate::shell::ring::geometry::{RADIUS_SHARE, WIDTH_SHARE};

/// A side panel's share of the window's width, within [`PANEL_WIDTH`].
pub const PANEL_SHARE: f32 = 0.4;
/// The narrowest and widest side panel.
pub const PANEL_WIDTH: (f32, f32) = (340.0, 520.0);
/// A panel goes beside the ring only if the ring keeps at least this much width; else it covers
/// the window below a bar that keeps the countdown in view.
pub const RING_BESIDE_PANEL: f32 = 380.0;
/// The bar above a panel that covers the ring: phase and countdown.
pub const COUNTDOWN_BAR: f32 = 34.0;
/// The band along the bottom for the rating strip and the key legend.
pub const BOTTOM_BAND: f32 = 68.0;
/// The band above the ring for "Up next" and "Done today" when there is no room beside it.
pub const TOP_BAND: f32 = 62.0;
/// The lists go beside the ring only when this much width is free on each side.
pub const LISTS_BESIDE: f32 = 170.0;

/// Where the lists of planned and achieved intentions go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ListsPlace {
    /// Not shown (the mini view, or a panel covers them).
    Hidden,
    /// In the top corners beside the ring, each at most this wide.
    Beside(f32),
    /// In a band above the ring, one line an item.
    Above(Rect),
}

/// The window's areas, in window coordinates (origin top-left, y down).
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct Areas {
    pub window: Vec2,
    /// The ring is centred in this.
    pub ring: Rect,
    /// The open panel.
    pub panel: Option<Rect>,
    /// Set when the panel covers the ring: the countdown is shown here instead.
    pub countdown_bar: Option<Rect>,
    pub lists: ListsPlace,
    /// The rating strip and the legend; `None` in the mini view.
    pub bottom: Option<Rect>,
}

impl Default for Areas {
    fn default() -> Self {
        let (w, h) = super::window::WINDOWED_SIZE;
        areas(Vec2::new(w as f32, h as f32), Showing::default())
    }
}

/// The outer diameter of a ring drawn in `area`.
fn ring_diameter(area: Rect) -> f32 {
    let radius = area.width().min(area.height()) * RADIUS_SHARE;
    2.0 * radius * (1.0 + WIDTH_SHARE / 2.0)
}

/// What the window has to show, besides the ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Showing {
    /// The small view: the ring alone.
    pub mini: bool,
    /// A panel is open.
    pub panel: bool,
    /// There are planned or achieved intentions to list.
    pub lists: bool,
}

/// Lays a window of size `window` out for what it is `showing`.
pub fn areas(window: Vec2, showing: Showing) -> Areas {
    let Showing { mini, panel, lists } = showing;
    let (w, h) = (window.x.max(1.0), window.y.max(1.0));
    let bottom = (!mini).then(|| Rect::new(0.0, (h - BOTTOM_BAND).max(0.0), w, h));
    let mut ring = Rect::new(0.0, 0.0, w, bottom.map_or(h, |b| b.min.y).max(1.0));
    let mut out = Areas { window, ring, panel: None, countdown_bar: None, lists: ListsPlace::Hidden, bottom };
    if panel {
        let width = (w * PANEL_SHARE).clamp(PANEL_WIDTH.0, PANEL_WIDTH.1);
        if !mini && w - width >= RING_BESIDE_PANEL {
            out.panel = Some(Rect::new(w - width, 0.0, w, h));
            ring.max.x = w - width;
            if let Some(bottom) = out.bottom.as_mut() {
                bottom.max.x = w - width;
            }
        } else {
            let bar = COUNTDOWN_BAR.min(h / 3.0);
            out.countdown_bar = Some(Rect::new(0.0, 0.0, w, bar));
            out.panel = Some(Rect::new(0.0, bar, w, h));
            out.ring = ring;
            return out;
        }
    }
    if lists && !mini {
        let side = (ring.width() - ring_diameter(ring)) / 2.0;
        if side >= LISTS_BESIDE {
            out.lists = ListsPlace::Beside(side - 24.0);
        } else {
            let band = TOP_BAND.min(ring.height() / 4.0);
            out.lists = ListsPlace::Above(Rect::new(ring.min.x, ring.min.y, ring.max.x, ring.min.y + band));
            ring.min.y += band;
        }
    }
    out.ring = ring;
    out
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Areas>();
    app.add_systems(Update, fit_areas.in_set(AppSystems::Present));
}

/// Runs before anything is drawn, after actions opened or closed panels: the areas for this
/// frame's window size, view, panel and lists.
pub fn fit_areas(
    window: Query<&Window, With<bevy::window::PrimaryWindow>>,
    view: Res<State<ViewMode>>,
    panel: Res<State<PanelState>>,
    today: Option<Res<Today>>,
    mut current: ResMut<Areas>,
    mut shows_all: ResMut<ShowsAll>,
) {
    let Ok(window) = window.single() else { return };
    let lists = today.is_some_and(|t| !t.day().plan.is_empty() || t.day().achieved().next().is_some());
    let mini = *view.get() == ViewMode::Mini;
    let next = areas(window.size(), Showing { mini, panel: panel.get().panel().is_some(), lists });
    if *current != next {
        *current = next;
    }
    // All the countdowns show, except in the mini view and in the bar above a covering panel.
    shows_all.set_if_neq(ShowsAll(!mini && next.countdown_bar.is_none()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(outer: Rect, inner: Rect) -> bool {
        outer.contains(inner.min) && outer.contains(inner.max)
    }

    #[test]
    fn every_size_keeps_the_ring_and_the_panel_apart_and_inside() {
        for (w, h) in [(280.0, 280.0), (500.0, 400.0), (800.0, 600.0), (1280.0, 800.0), (3840.0, 2160.0)] {
            let window = Vec2::new(w, h);
            let whole = Rect::new(0.0, 0.0, w, h);
            for (mini, panel, lists) in [false, true]
                .into_iter()
                .flat_map(|m| [(m, false, false), (m, true, false), (m, false, true), (m, true, true)])
            {
                let a = areas(window, Showing { mini, panel, lists });
                assert!(inside(whole, a.ring), "{w}x{h} {a:?}");
                assert!(a.ring.width() >= 1.0 && a.ring.height() >= 1.0);
                assert_eq!(a.panel.is_some(), panel);
                if let Some(p) = a.panel {
                    assert!(inside(whole, p));
                    // The countdown stays in view: beside the panel in the ring, or in its bar.
                    let covered = a.countdown_bar.is_some();
                    assert!(covered || p.intersect(a.ring).is_empty(), "{w}x{h}: {a:?}");
                    if let Some(bar) = a.countdown_bar {
                        assert!(bar.intersect(p).is_empty() && bar.height() >= 20.0);
                    }
                }
                if let ListsPlace::Above(band) = a.lists {
                    assert!(band.intersect(a.ring).is_empty());
                }
                if let ListsPlace::Beside(width) = a.lists {
                    assert!(width >= LISTS_BESIDE - 24.0 && a.ring.width() - ring_diameter(a.ring) >= 2.0 * width);
                }
            }
        }
    }

    #[test]
    fn a_wide_window_puts_the_panel_beside_the_ring_and_a_small_one_under_a_countdown_bar() {
        let wide = areas(Vec2::new(1280.0, 800.0), Showing { panel: true, ..Showing::default() });
        assert!(wide.countdown_bar.is_none() && wide.panel.unwrap().min.x > 700.0);
        let mini = areas(Vec2::new(280.0, 280.0), Showing { mini: true, panel: true, lists: false });
        assert!(mini.countdown_bar.is_some() && mini.bottom.is_none());
        let small = areas(Vec2::new(500.0, 400.0), Showing { lists: true, ..Showing::default() });
        assert!(matches!(small.lists, ListsPlace::Above(_)), "{small:?}");
    }
}

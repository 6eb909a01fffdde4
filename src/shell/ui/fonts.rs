//! Every script readable. egui's own fonts cover Latin, Greek, Cyrillic and emoji; at start-up the
//! font search (`platform::fonts`, on a thread of its own) looks through the installed fonts for
//! faces that cover the scripts they lack (Chinese, Japanese, Korean, Thai, …), and they are handed
//! to egui as fallbacks. Nothing of this runs on the
//! frame's thread but the hand-over; with no such font installed the text still shows as boxes,
//! and it is saved unharmed either way.

use bevy::prelude::*;
use bevy::winit::EventLoopProxyWrapper;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use std::borrow::Cow;

use crate::shell::platform::fonts::{Search, covers};
use crate::shell::worker::LoopWaker;

/// One character for each script egui's default fonts may lack, checked against them at start-up.
pub const SCRIPTS: &[(&str, char)] = &[
    ("Han", '中'),
    ("Hiragana", 'あ'),
    ("Katakana", 'カ'),
    ("Hangul", '한'),
    ("Thai", 'ก'),
    ("Devanagari", 'क'),
    ("Bengali", 'ক'),
    ("Tamil", 'த'),
    ("Hebrew", 'א'),
    ("Arabic", 'ع'),
    ("Georgian", 'ა'),
    ("Armenian", 'Ա'),
    ("Ethiopic", 'አ'),
];

/// The scripts of [`SCRIPTS`] that none of `fonts` covers.
pub fn missing_scripts(fonts: &egui::FontDefinitions) -> Vec<(&'static str, char)> {
    SCRIPTS.iter().copied().filter(|&(_, c)| !fonts.font_data.values().any(|f| covers(&f.font, f.index, c))).collect()
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, search_fonts);
    app.add_systems(EguiPrimaryContextPass, install_fonts.run_if(resource_exists::<Search>));
}

/// Runs once at start-up: the search (reading the font folders, opening every face) takes a
/// thread of its own, so the first frame does not wait for it; it wakes the window loop when done
/// (an unfocused window may otherwise sleep a minute before showing the faces).
fn search_fonts(mut commands: Commands, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let missing = || missing_scripts(&egui::FontDefinitions::default());
    match crate::shell::platform::fonts::start(LoopWaker::of(proxy.as_deref()), missing) {
        Ok(search) => commands.insert_resource(search),
        Err(e) => warn!("fonts: no thread to search installed fonts: {e}"),
    }
}

/// Runs in the egui pass until the search is done: hands the faces to egui, after its own.
fn install_fonts(
    mut commands: Commands,
    search: Res<Search>,
    mut contexts: EguiContexts,
    proxy: Option<Res<EventLoopProxyWrapper>>,
) -> Result {
    let Some(found) = search.replies().pop() else { return Ok(()) };
    commands.remove_resource::<Search>();
    let ctx = contexts.ctx_mut()?;
    for f in found {
        let data = egui::FontData { font: Cow::Owned(f.data), index: f.index, tweak: Default::default() };
        let families = [egui::FontFamily::Proportional, egui::FontFamily::Monospace].map(|family| {
            egui::epaint::text::InsertFontFamily { family, priority: egui::epaint::text::FontPriority::Lowest }
        });
        ctx.add_font(egui::epaint::text::FontInsert::new(&f.name, data, families.to_vec()));
    }
    // egui takes the faces from its next pass on: one more frame, whatever the window's sleep.
    LoopWaker::of(proxy.as_deref()).wake();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn egui_s_own_fonts_lack_cjk_but_have_latin_and_cyrillic() {
        let fonts = egui::FontDefinitions::default();
        let missing: Vec<&str> = missing_scripts(&fonts).into_iter().map(|(s, _)| s).collect();
        assert!(missing.contains(&"Han") && missing.contains(&"Hiragana"), "{missing:?}");
        assert!(fonts.font_data.values().any(|f| covers(&f.font, f.index, 'Ж')));
        assert!(fonts.font_data.values().any(|f| covers(&f.font, f.index, 'é')));
    }
}

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

/// The faces found, as every egui context takes them: the window's, and each overlay's (made
/// later, one per monitor). Their bytes live as long as the app, shared by every context.
#[derive(Resource, Debug, Default, Clone)]
pub struct FallbackFonts(Vec<(String, &'static [u8], u32)>);

/// Marks an egui context that was given the fallback faces found by its first pass (how many).
#[derive(Component, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct HasFallbackFonts(usize);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<FallbackFonts>();
    app.add_systems(Startup, search_fonts);
    app.add_systems(EguiPrimaryContextPass, install_fonts.run_if(resource_exists::<Search>));
    app.add_systems(
        PreUpdate,
        give_fonts_to_other_contexts
            .after(bevy_egui::EguiPreUpdateSet::InitContexts)
            .before(bevy_egui::EguiPreUpdateSet::BeginPass),
    );
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
    // Kept for the app's life, once, so that every context borrows the same bytes.
    let faces: Vec<(String, &'static [u8], u32)> =
        found.into_iter().map(|f| (f.name, &*Box::leak(f.data.into_boxed_slice()), f.index)).collect();
    let fallback = FallbackFonts(faces);
    fallback.add_to(ctx);
    commands.insert_resource(fallback);
    // egui takes the faces from its next pass on: one more frame, whatever the window's sleep.
    LoopWaker::of(proxy.as_deref()).wake();
    Ok(())
}

impl FallbackFonts {
    /// Adds the faces to `ctx`, after its own.
    fn add_to(&self, ctx: &egui::Context) {
        for (name, bytes, index) in &self.0 {
            let data = egui::FontData { font: Cow::Borrowed(bytes), index: *index, tweak: Default::default() };
            let families = [egui::FontFamily::Proportional, egui::FontFamily::Monospace].map(|family| {
                egui::epaint::text::InsertFontFamily { family, priority: egui::epaint::text::FontPriority::Lowest }
            });
            ctx.add_font(egui::epaint::text::FontInsert::new(name, data, families.to_vec()));
        }
    }

    /// How many faces there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether none was found (yet).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The egui contexts still to be given the fallback faces: every one but the window's.
type WithoutFonts = (Without<bevy_egui::PrimaryEguiContext>, Without<HasFallbackFonts>);

/// Runs before the frame's egui passes begin: every other egui context (an overlay's, made per
/// monitor at any time) gets the faces the window's has before its first pass. A context that
/// began before they were found (the search takes some 30 ms at start-up) keeps egui's own: faces
/// added to a context that has drawn leave its glyph atlas out of step with its texture (seen:
/// Latin and CJK alike drawn as other glyphs), which is worse than boxes for the scripts it lacks.
fn give_fonts_to_other_contexts(
    mut commands: Commands,
    fonts: Res<FallbackFonts>,
    contexts: Query<(Entity, &mut bevy_egui::EguiContext), WithoutFonts>,
) {
    for (entity, mut context) in contexts {
        if !fonts.is_empty() {
            fonts.add_to(context.get_mut());
            info!("fonts: {} fallback faces handed to another egui context", fonts.len());
        }
        commands.entity(entity).insert(HasFallbackFonts(fonts.len()));
    }
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

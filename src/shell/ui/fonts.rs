//! Every script readable. egui's own fonts cover Latin, Greek, Cyrillic and emoji; at start-up a
//! thread looks through the installed fonts for faces that cover the scripts they lack (Chinese,
//! Japanese, Korean, Thai, …) and hands them to egui as fallbacks. Nothing of this runs on the
//! frame's thread but the hand-over; with no such font installed the text still shows as boxes,
//! and it is saved unharmed either way.

use bevy::prelude::*;
use bevy::winit::EventLoopProxyWrapper;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use skrifa::MetadataProvider;
use std::borrow::Cow;

use crate::shell::worker::{self, Inbox, LoopWaker, Worker};

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

/// A face found for some scripts.
pub struct Fallback {
    /// The face's family name.
    pub name: String,
    pub data: Vec<u8>,
    /// The face's index in a collection (`.ttc`).
    pub index: u32,
    /// The scripts it was chosen for.
    pub scripts: Vec<&'static str>,
}

/// True if the face `index` of `data` maps `c` to a glyph.
fn covers(data: &[u8], index: u32, c: char) -> bool {
    skrifa::FontRef::from_index(data, index).is_ok_and(|font| font.charmap().map(c).is_some())
}

/// The scripts of [`SCRIPTS`] that none of `fonts` covers.
pub fn missing_scripts(fonts: &egui::FontDefinitions) -> Vec<(&'static str, char)> {
    SCRIPTS.iter().copied().filter(|&(_, c)| !fonts.font_data.values().any(|f| covers(&f.font, f.index, c))).collect()
}

/// How well a face suits running text, the least best: slanted, off regular weight, serif,
/// monospaced, then the file's size (it is read into memory whole).
type Rank = (bool, u16, bool, bool, u64);

fn rank(face: &fontdb::FaceInfo, size: u64) -> Rank {
    let serif = face.families.iter().any(|(name, _)| name.contains("Serif") || name.contains("Mincho"));
    (face.style != fontdb::Style::Normal, face.weight.0.abs_diff(400), serif, face.monospaced, size)
}

fn path_of(face: &fontdb::FaceInfo) -> Option<&std::path::Path> {
    match &face.source {
        fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => Some(path),
        fontdb::Source::Binary(_) => None,
    }
}

/// Chooses, for each of `missing`, the best face of `db` that covers it, and reads those faces.
pub fn find_fallbacks(db: &fontdb::Database, missing: &[(&'static str, char)]) -> Vec<Fallback> {
    // Per script: the best face so far and its rank.
    let mut best: Vec<Option<(fontdb::ID, Rank)>> = vec![None; missing.len()];
    for face in db.faces() {
        let Some(path) = path_of(face) else { continue };
        let size = std::fs::metadata(path).map_or(u64::MAX, |m| m.len());
        let rank = rank(face, size);
        let covered = db
            .with_face_data(face.id, |data, index| missing.iter().map(|&(_, c)| covers(data, index, c)).collect())
            .unwrap_or_else(|| vec![false; missing.len()]);
        for (slot, yes) in best.iter_mut().zip(covered) {
            if yes && slot.as_ref().is_none_or(|(_, r)| rank < *r) {
                *slot = Some((face.id, rank));
            }
        }
    }
    let mut out: Vec<(fontdb::ID, Fallback)> = Vec::new();
    for ((script, _), slot) in missing.iter().zip(best) {
        let Some((id, _)) = slot else { continue };
        if let Some((_, found)) = out.iter_mut().find(|(known, _)| *known == id) {
            found.scripts.push(script);
            continue;
        }
        let Some(face) = db.face(id) else { continue };
        let Some(Ok(data)) = path_of(face).map(std::fs::read) else { continue };
        let name = face.families.first().map_or_else(|| face.post_script_name.clone(), |(n, _)| n.clone());
        out.push((id, Fallback { name, data, index: face.index, scripts: vec![script] }));
    }
    out.into_iter().map(|(_, f)| f).collect()
}

/// The search's thread, until the fallbacks it found are installed.
type Search = Worker<(), Vec<Fallback>>;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, search_fonts);
    app.add_systems(EguiPrimaryContextPass, install_fonts.run_if(resource_exists::<Search>));
}

/// Runs once at start-up: the search (reading the font folders, opening every face) takes a
/// thread of its own, so the first frame does not wait for it; it wakes the window loop when done
/// (an unfocused window may otherwise sleep a minute before showing the faces).
fn search_fonts(mut commands: Commands, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let spawned = worker::spawn("font search", LoopWaker::of(proxy.as_deref()), |inbox: Inbox<(), _>| {
        let started = std::time::Instant::now();
        let missing = missing_scripts(&egui::FontDefinitions::default());
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let found = find_fallbacks(&db, &missing);
        let covered: Vec<&str> = found.iter().flat_map(|f| f.scripts.iter().copied()).collect();
        let lacking: Vec<&str> = missing.iter().map(|(s, _)| *s).filter(|s| !covered.contains(s)).collect();
        for f in &found {
            info!("fonts: {} for {}", f.name, f.scripts.join(", "));
        }
        if !lacking.is_empty() {
            info!(
                "fonts: no installed font covers {}; such text shows as boxes (and is saved unharmed)",
                lacking.join(", ")
            );
        }
        info!("fonts: searched {} faces in {} ms", db.len(), started.elapsed().as_millis());
        inbox.reply(found);
    });
    match spawned {
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

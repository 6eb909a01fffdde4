//! The installed fonts, searched (`fontdb`, pure Rust, reading fontconfig's folder list) on a
//! worker thread of its own: reading the font folders and opening every face takes a while, and
//! the first frame does not wait for it.

use bevy::prelude::*;
use skrifa::MetadataProvider;

use crate::shell::worker::{self, Inbox, LoopWaker, Worker};

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
pub fn covers(data: &[u8], index: u32, c: char) -> bool {
    skrifa::FontRef::from_index(data, index).is_ok_and(|font| font.charmap().map(c).is_some())
}

/// The search's thread, as the app holds it: it replies once, with the faces it found.
pub type Search = Worker<(), Vec<Fallback>>;

/// Starts the search for faces that cover the scripts `missing` names (each with one of its
/// characters), worked out on the search's thread too.
pub fn start(
    waker: LoopWaker,
    missing: impl FnOnce() -> Vec<(&'static str, char)> + Send + 'static,
) -> std::io::Result<Search> {
    worker::spawn("font search", waker, move |inbox: Inbox<(), _>| {
        let started = std::time::Instant::now();
        let missing = missing();
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
    })
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

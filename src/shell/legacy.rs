//! Files an earlier version kept elsewhere, moved once to where they belong now.

use bevy::prelude::*;
use std::path::Path;

/// Moves a machine-local file an earlier version kept in the config folder to the state folder
/// (see [`crate::store::adopt_legacy`]), saying so in the log.
pub fn adopt(new: &Path, old: &Path) {
    match crate::store::adopt_legacy(new, old) {
        Ok(true) => info!("moved {} to {}: it is this machine's own", old.display(), new.display()),
        Ok(false) => {}
        Err(e) => warn!("left {} where it was: {e}", old.display()),
    }
}

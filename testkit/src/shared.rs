//! Locating the read-only shared corpus (`../shared` beside the repository).

use std::path::{Path, PathBuf};

/// The `shared/` folder: `$WEFKIT_SHARED` when set, else `../shared` beside the workspace root.
///
/// # Panics
/// When the folder does not exist: tests that need the corpus must fail loudly, never skip.
#[expect(
    clippy::panic,
    reason = "test support: a missing corpus must fail the test loudly"
)]
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("WEFKIT_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
        PathBuf::from,
    );
    if !dir.is_dir() {
        panic!(
            "shared corpus not found at {} (set WEFKIT_SHARED or put shared/ beside the repository)",
            dir.display()
        );
    }
    dir
}

/// A path below the shared folder, e.g. `shared_path("vectors/sldc/ab_1400.sldc")`.
pub fn shared_path(rel: &str) -> PathBuf {
    shared_dir().join(rel)
}

/// Reads a file below the shared folder.
///
/// # Panics
/// When the file cannot be read.
#[expect(
    clippy::panic,
    reason = "test support: a missing corpus file must fail the test loudly"
)]
pub fn read_shared(rel: &str) -> Vec<u8> {
    let path = shared_path(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_shared_corpus() {
        assert!(shared_path("corpus/README.md").is_file());
        assert!(!read_shared("vectors/sldc/README.md").is_empty());
    }
}

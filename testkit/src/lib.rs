//! Test support shared by the wefkit crates, the fuzz targets and the examples.
//!
//! - [`shared`]: locates the read-only `../shared` corpus and vectors; a missing folder fails
//!   loudly instead of skipping.
//! - `oracles`: one function per fuzz target, so that `fuzz/fuzz_targets/*.rs` are one-liners and
//!   committed regressions replay under `cargo test` on stable.

pub mod shared;

/// Fuzz oracles: one function per fuzz target (`fuzz/fuzz_targets/<name>.rs`).
pub mod oracles {
    pub mod wsman;
}

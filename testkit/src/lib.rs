//! Test support shared by the wefkit crates, the fuzz targets and the examples.
//!
//! - [`shared`]: locates the read-only `../shared` corpus and vectors; a missing folder fails
//!   loudly instead of skipping.
//! - `oracles`: one function per fuzz target, so that `fuzz/fuzz_targets/*.rs` are one-liners and
//!   committed regressions replay under `cargo test` on stable.

pub mod shared;

pub mod oracles {
    //! One function per fuzz target, so that `fuzz/fuzz_targets/*.rs` are one-liners.
    pub mod evtxml;
    pub mod wsman;
}

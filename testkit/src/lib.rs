//! Test support shared by the wefkit crates, the fuzz targets and the examples.
//!
//! - [`shared`]: locates the read-only `../shared` corpus and vectors; a missing folder fails
//!   loudly instead of skipping.
//! - [`null_security`]: `NullSecurity`, a deterministic crypto-free `SessionSecurity` so tests
//!   and fuzzers reach the code behind decryption.
//! - `oracles`: one function per fuzz target, so that `fuzz/fuzz_targets/*.rs` are one-liners and
//!   committed regressions replay under `cargo test` on stable.

/// Fuzz oracles, one module per area; each function panics when a property fails.
pub mod oracles {
    pub mod auth;
    pub mod evtxml;
    pub mod kerberos;
    pub mod sldc;
    pub mod wsman;
}
pub mod null_security;
pub mod shared;

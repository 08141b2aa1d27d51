//! Programs built on the wefkit crates. The binaries live in `src/bin/`:
//!
//! - `wefkit`: the command-line front door (`wefkit sldc …`, and the subcommands later issues
//!   add).
//!
//! This library part holds only what several binaries share.
//!
//! - [`ntlm_auth`]: a pass-through NTLM verifier through winbind's `ntlm_auth` (for the
//!   collector's NTLM acceptor; the sans-IO core only defines the `NtlmVerifier` trait).

pub mod ntlm_auth;

//! Programs built on the wefkit crates. The binaries live in `src/bin/`:
//!
//! - `wefkit`: the command-line front door (`wefkit sldc …`, and the subcommands later issues
//!   add).
//!
//! This library part holds only what several binaries share.

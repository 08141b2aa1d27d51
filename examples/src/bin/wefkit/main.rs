//! `wefkit`: the command-line front door to the wefkit crates.
//!
//! Exit codes: 0 on success, 1 when the input is wrong or an operation fails (the reason goes to
//! stderr), 2 on a usage error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod decrypt;
mod envelope;
mod events;
mod io;
mod sldc;

/// Windows Event Forwarding toolkit.
#[derive(Debug, Parser)]
#[command(name = "wefkit", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decrypt captured multipart/encrypted bodies offline, given the session keys.
    Decrypt(decrypt::DecryptArgs),
    /// WS-Management envelopes: decode to JSON, render Subscribe envelopes.
    Envelope(envelope::EnvelopeArgs),
    /// Rendered Windows events: normalize them into JSON profiles.
    #[command(subcommand)]
    Events(events::EventsCommand),
    /// SLDC (ECMA-321) compression, as WinRM's `Content-Encoding: SLDC`.
    Sldc(sldc::SldcArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: Result<(), io::CliError> = match cli.command {
        Command::Decrypt(args) => decrypt::run(args),
        Command::Envelope(args) => envelope::run(args),
        Command::Events(cmd) => events::run(cmd),
        Command::Sldc(args) => sldc::run(args),
    };
    io::finish(result)
}

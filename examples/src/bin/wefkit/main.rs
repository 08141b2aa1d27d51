//! `wefkit`: the command-line front door to the wefkit crates.
//!
//! Exit codes: 0 on success, 1 when the input is wrong or an operation fails (the reason goes to
//! stderr), 2 on a usage error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod envelope;
mod events;
mod io;

/// Windows Event Forwarding toolkit.
#[derive(Debug, Parser)]
#[command(name = "wefkit", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// WS-Management envelopes: decode to JSON, render Subscribe envelopes.
    Envelope(envelope::EnvelopeArgs),
    /// Rendered Windows events: normalize them into JSON profiles.
    #[command(subcommand)]
    Events(events::EventsCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: Result<(), io::CliError> = match cli.command {
        Command::Envelope(args) => envelope::run(args),
        Command::Events(cmd) => events::run(cmd),
    };
    io::finish(result)
}

//! Input, output and error reporting shared by every subcommand.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// An error that ends the command with exit code 1 and one line on stderr.
#[derive(Debug)]
pub(crate) struct CliError(pub(crate) String);

impl<E: std::fmt::Display> From<E> for CliError {
    fn from(e: E) -> Self {
        Self(e.to_string())
    }
}

/// Reads INPUT (a path, or stdin when absent or `-`).
pub(crate) fn read_input(input: Option<&Path>) -> Result<Vec<u8>, CliError> {
    match input {
        Some(p) if p != Path::new("-") => {
            fs::read(p).map_err(|e| CliError(format!("cannot read {}: {e}", p.display())))
        }
        _ => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| CliError(format!("cannot read stdin: {e}")))?;
            Ok(buf)
        }
    }
}

/// Writes the result to `-o FILE`, or stdout when absent or `-`.
pub(crate) fn write_output(output: Option<&PathBuf>, bytes: &[u8]) -> Result<(), CliError> {
    match output {
        Some(p) if p.as_path() != Path::new("-") => {
            fs::write(p, bytes).map_err(|e| CliError(format!("cannot write {}: {e}", p.display())))
        }
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .map_err(|e| CliError(format!("cannot write stdout: {e}")))
        }
    }
}

/// Turns a command's result into the process exit code, reporting an error on stderr.
pub(crate) fn finish(result: Result<(), CliError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError(msg)) => {
            #[expect(clippy::print_stderr, reason = "the CLI reports errors on stderr")]
            {
                eprintln!("wefkit: {msg}");
            }
            ExitCode::from(1)
        }
    }
}

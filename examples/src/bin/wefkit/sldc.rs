//! `wefkit sldc …`: SLDC (ECMA-321) compression and decompression of files or stdin.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use crate::io::{CliError, read_input, write_output};

/// Compress or decompress SLDC (ECMA-321), as WinRM uses for `Content-Encoding: SLDC`.
#[derive(Debug, Args)]
pub(crate) struct SldcArgs {
    #[command(subcommand)]
    command: SldcCommand,
}

#[derive(Debug, Subcommand)]
enum SldcCommand {
    /// Decompress an SLDC stream or WEF body.
    Decompress {
        /// Framing of the input.
        #[arg(long, value_enum, default_value_t = Format::Ecma)]
        format: Format,
        /// Fail instead of producing more than this many bytes.
        #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
        max_output: usize,
        /// Write the result here instead of stdout (`-` is stdout).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The compressed input (`-` or absent: stdin).
        input: Option<PathBuf>,
    },
    /// Compress into an SLDC stream or WEF body.
    Compress {
        /// Framing of the output.
        #[arg(long, value_enum, default_value_t = Format::Ecma)]
        format: Format,
        /// Write the result here instead of stdout (`-` is stdout).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The input (`-` or absent: stdin).
        input: Option<PathBuf>,
    },
}

/// SLDC framings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A conforming ECMA-321 stream (records, 32-bit Pads).
    Ecma,
    /// The body Windows WinRM clients send: one record, 16-bit pad, 4-byte LE length.
    Wef,
}

/// Runs `wefkit sldc …`.
pub(crate) fn run(args: SldcArgs) -> Result<(), CliError> {
    match args.command {
        SldcCommand::Decompress {
            format,
            max_output,
            output,
            input,
        } => {
            let data = read_input(input.as_deref())?;
            let plain = match format {
                Format::Ecma => ::sldc::decompress_to_vec(&data, max_output),
                Format::Wef => ::sldc::decompress_wef_body(&data, max_output),
            }
            .map_err(|e| CliError(format!("sldc decompress: {e}")))?;
            write_output(output.as_ref(), &plain)
        }
        SldcCommand::Compress {
            format,
            output,
            input,
        } => {
            let data = read_input(input.as_deref())?;
            let packed = match format {
                Format::Ecma => ::sldc::compress_to_vec(&data),
                Format::Wef => ::sldc::compress_wef_body(&data)
                    .map_err(|e| CliError(format!("sldc compress: {e}")))?,
            };
            write_output(output.as_ref(), &packed)
        }
    }
}

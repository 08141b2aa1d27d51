//! `wefkit decrypt …`: offline decryption of captured `multipart/encrypted` WinRM / WEF bodies
//! given the session keys — the troubleshooting tool admins lack.
//!
//! Each BODY file holds one HTTP body, exactly as sent. Bodies are processed in the order given
//! (NTLM and Kerberos state is per direction: pass the bodies of ONE direction, in order).
//! Plaintext `i` (0-based, in argument order) is written to `DIR/i.bin`. The first body that
//! fails to authenticate stops the run with exit code 1, naming the body and the reason; the
//! plaintexts before it are kept.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use wsman_proto::auth::ntlm::{NegotiateFlags, NtlmSecurity};
use wsman_proto::auth::{AuthError, Role, SessionSecurity};
use wsman_proto::framing::{self, FramingError, Limits, Payload};

use crate::io::CliError;

mod kerberos;

/// `wefkit decrypt`.
#[derive(Debug, Args)]
pub(crate) struct DecryptArgs {
    #[command(subcommand)]
    pub(crate) command: DecryptCommand,
}

/// The mechanisms `wefkit decrypt` knows.
#[derive(Debug, Subcommand)]
pub(crate) enum DecryptCommand {
    /// Decrypt NTLM-sealed bodies (HTTP-SPNEGO-session-encrypted) with the exported session key.
    Ntlm(NtlmArgs),
    /// Decrypt Kerberos-sealed bodies (HTTP-Kerberos- or HTTP-SPNEGO-session-encrypted) with
    /// the wrap-token key.
    Kerberos(kerberos::KerberosArgs),
}

/// Which side sent the bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Sender {
    /// The client: the WEF source (requests).
    Initiator,
    /// The server: the collector (responses).
    Acceptor,
}

/// Options shared by every mechanism.
#[derive(Debug, Args)]
pub(crate) struct CommonArgs {
    /// Which side sent the bodies.
    #[arg(long, value_enum)]
    pub(crate) sender: Sender,
    /// The HTTP Content-Type of the bodies (`multipart/encrypted;protocol="…";boundary="…"`).
    #[arg(long)]
    pub(crate) content_type: String,
    /// Also undo SLDC compression (the requests' `Content-Encoding: SLDC`); bodies that are
    /// not compressed are written as they are and reported.
    #[arg(long)]
    pub(crate) sldc: bool,
    /// Where to write `0.bin`, `1.bin`, … (created if missing).
    #[arg(long)]
    pub(crate) out_dir: PathBuf,
    /// The body files, in the order they were sent (`-` reads one body from stdin).
    #[arg(required = true)]
    pub(crate) bodies: Vec<PathBuf>,
}

/// `wefkit decrypt ntlm`.
#[derive(Debug, Args)]
pub(crate) struct NtlmArgs {
    /// NTLM's ExportedSessionKey, 32 hex digits.
    #[arg(long)]
    session_key: String,
    /// The NegotiateFlags of the AUTHENTICATE message, hex (`e28a8235` or `0xe28a8235`).
    #[arg(long)]
    flags: String,
    /// Sequence number of the first body: 0 for raw NTLM, 1 for SPNEGO (after the mechListMIC).
    /// Without it, the first body says: it is opened at 0, and at 1 when it carries 1 (both
    /// start from a fresh RC4 state, and the signature authenticates the number either way).
    #[arg(long)]
    first_seq: Option<u32>,
    #[command(flatten)]
    common: CommonArgs,
}

/// Runs `wefkit decrypt`.
pub(crate) fn run(args: DecryptArgs) -> Result<(), CliError> {
    match args.command {
        DecryptCommand::Ntlm(a) => run_ntlm(&a),
        DecryptCommand::Kerberos(a) => kerberos::run(&a),
    }
}

fn parse_hex_key(s: &str) -> Result<[u8; 16], CliError> {
    let v = hex::decode(s.trim()).map_err(|_| CliError("--session-key is not hex".into()))?;
    <[u8; 16]>::try_from(v)
        .map_err(|_| CliError("--session-key must be 16 bytes (32 hex digits)".into()))
}

fn run_ntlm(a: &NtlmArgs) -> Result<(), CliError> {
    let key = parse_hex_key(&a.session_key)?;
    let f = a.flags.trim();
    let f = f
        .strip_prefix("0x")
        .or_else(|| f.strip_prefix("0X"))
        .unwrap_or(f);
    let flags =
        u32::from_str_radix(f, 16).map_err(|_| CliError("--flags is not a hex number".into()))?;
    // We hold the receiving side's state: bodies sent by the initiator are opened as acceptor.
    let role = match a.common.sender {
        Sender::Initiator => Role::Acceptor,
        Sender::Acceptor => Role::Initiator,
    };
    let context = |seq| NtlmSecurity::with_sequence(role, NegotiateFlags(flags), &key, seq, seq);
    let first = match a.first_seq {
        Some(n) => n,
        None => first_sequence(&context, &a.common),
    };
    decrypt_bodies(&mut context(first), &a.common)
}

/// The sequence number the first body starts at when `--first-seq` is not given: 1 when a
/// context at 0 refuses the body for carrying 1 and a context at 1 opens it (a SPNEGO
/// session), else 0 (whatever fails is then reported by the real run).
fn first_sequence(context: &dyn Fn(u32) -> NtlmSecurity, common: &CommonArgs) -> u32 {
    // Standard input can be read only once: no probe.
    let Some(path) = common.bodies.first().filter(|p| p.as_os_str() != "-") else {
        return 0;
    };
    let Ok(body) = crate::io::read_input(Some(path)) else {
        return 0;
    };
    let mut out = Vec::new();
    let mut open = |seq| {
        out.clear();
        framing::open_wef(
            &mut context(seq),
            &common.content_type,
            common.sldc.then_some("SLDC"),
            &body,
            &Limits::default(),
            &mut out,
        )
        .map(|_| ())
    };
    match open(0) {
        Err(FramingError::Auth(AuthError::SequenceMismatch { got: 1, .. })) if open(1).is_ok() => 1,
        _ => 0,
    }
}

/// Opens every body in order with `sec` and writes the plaintexts; shared by all mechanisms.
pub(crate) fn decrypt_bodies(
    sec: &mut dyn SessionSecurity,
    common: &CommonArgs,
) -> Result<(), CliError> {
    std::fs::create_dir_all(&common.out_dir)
        .map_err(|e| CliError(format!("cannot create {}: {e}", common.out_dir.display())))?;
    let limits = Limits::default();
    let mut out = Vec::new();
    let mut report = String::new();
    for (i, path) in common.bodies.iter().enumerate() {
        let body = crate::io::read_input(Some(path))
            .map_err(|e| CliError(format!("body {i}: {}", e.0)))?;
        let encoding = common.sldc.then_some("SLDC");
        let (opened, payload) = framing::open_wef(
            sec,
            &common.content_type,
            encoding,
            &body,
            &limits,
            &mut out,
        )
        .map_err(|e| {
            CliError(format!(
                "body {i} ({}) failed: {}",
                path.display(),
                chain(&e)
            ))
        })?;
        write_plain(&common.out_dir, i, &out)?;
        let how = match payload {
            Payload::Decompressed { compressed_len } => {
                format!(", sldc {compressed_len} -> {} bytes", out.len())
            }
            Payload::PassedThrough { reason } => {
                format!(", labelled sldc but not compressed ({reason})")
            }
            _ => String::new(),
        };
        let _ = writeln!(
            report,
            "{i}.bin: {} bytes, charset {}{how}",
            opened.length,
            opened.charset.as_str()
        );
    }
    crate::io::write_output(None, report.as_bytes())
}

/// Writes plaintext `i` to `DIR/i.bin`.
pub(crate) fn write_plain(dir: &Path, i: usize, bytes: &[u8]) -> Result<(), CliError> {
    let p = dir.join(format!("{i}.bin"));
    std::fs::write(&p, bytes).map_err(|e| CliError(format!("cannot write {}: {e}", p.display())))
}

/// An error and its sources, `: `-joined.
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let _ = write!(s, ": {c}");
        cur = c.source();
    }
    s
}

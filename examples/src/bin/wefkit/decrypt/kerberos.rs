//! `wefkit decrypt kerberos`: bodies sealed with Kerberos wrap tokens (RFC 4121 for AES, RFC
//! 4757 for RC4-HMAC), given the key the tokens are protected with.

use clap::Args;
use wsman_proto::auth::Role;
use wsman_proto::auth::kerberos::{Enctype, Key, OfflineConfig, OfflineKerberos};

use super::{CommonArgs, Sender, decrypt_bodies};
use crate::io::CliError;

/// `wefkit decrypt kerberos`.
#[derive(Debug, Args)]
pub(crate) struct KerberosArgs {
    /// The key the wrap tokens are protected with, hex: the acceptor subkey of the AP-REP when
    /// it carried one (Windows and MIT with AES), else the authenticator subkey or the ticket
    /// session key.
    #[arg(long)]
    key: String,
    /// The key's enctype: 17 (aes128-cts-hmac-sha1-96), 18 (aes256-cts-hmac-sha1-96) or 23
    /// (rc4-hmac).
    #[arg(long, value_parser = ["17", "18", "23"])]
    enctype: String,
    /// Sequence number of the first body (default: taken from the first body, then each body
    /// must carry the next one).
    #[arg(long)]
    first_seq: Option<u64>,
    #[command(flatten)]
    common: CommonArgs,
}

/// Runs `wefkit decrypt kerberos`.
pub(crate) fn run(a: &KerberosArgs) -> Result<(), CliError> {
    let number: i32 = a
        .enctype
        .parse()
        .map_err(|_| CliError("--enctype must be 17, 18 or 23".into()))?;
    let enctype = Enctype::from_number(number)
        .ok_or_else(|| CliError("--enctype must be 17, 18 or 23".into()))?;
    let bytes = hex::decode(a.key.trim()).map_err(|_| CliError("--key is not hex".into()))?;
    let key = Key::new(enctype, &bytes).map_err(|_| {
        CliError(format!(
            "--key must be {} bytes ({} hex digits) for enctype {number}",
            enctype.key_len(),
            enctype.key_len().saturating_mul(2)
        ))
    })?;
    // We hold the receiving side's state: bodies sent by the initiator are opened as acceptor.
    let role = match a.common.sender {
        Sender::Initiator => Role::Acceptor,
        Sender::Acceptor => Role::Initiator,
    };
    let mut config = OfflineConfig::new(role);
    config.recv_seq = a.first_seq;
    // Decryption only: nothing is sealed, so no confounder is ever drawn.
    let mut sec = OfflineKerberos::new(key, config, |b: &mut [u8]| b.fill(0))
        .map_err(|e| CliError(format!("--first-seq: {e}")))?;
    decrypt_bodies(&mut sec, &a.common)
}

//! Oracles for the offline Kerberos wrap tokens (`wsman_proto::auth::kerberos`): shared by
//! `fuzz/fuzz_targets/kerberos_unwrap.rs` and the tests.

use wsman_proto::auth::kerberos::{Enctype, Key, OfflineConfig, OfflineKerberos};
use wsman_proto::auth::{Role, SessionSecurity, Wrapped};

const ENCTYPES: [Enctype; 3] = [
    Enctype::Aes256CtsHmacSha196,
    Enctype::Aes128CtsHmacSha196,
    Enctype::Rc4Hmac,
];

fn session(enctype: Enctype, role: Role) -> Option<OfflineKerberos> {
    let key = Key::new(enctype, [0x5a; 32].get(..enctype.key_len())?).ok()?;
    OfflineKerberos::new(key, OfflineConfig::new(role), |b: &mut [u8]| b.fill(0x11)).ok()
}

/// Offline unwrap of arbitrary tokens with a fixed key, for every enctype and both roles:
/// never panics, appends nothing on error; and the same bytes sealed by the peer session
/// unwrap to themselves (in the WinRM split and as one token).
///
/// The first byte picks where the token is split into header and data.
///
/// # Panics
/// When an error appended output, or a sealed message does not unwrap to the original.
pub fn kerberos_unwrap(data: &[u8]) {
    let (split, token) = match data.split_first() {
        Some((s, rest)) => (usize::from(*s), rest),
        None => (0, data),
    };
    let split = split.min(token.len());
    let (header, body) = token.split_at(split);
    for enctype in ENCTYPES {
        for role in [Role::Initiator, Role::Acceptor] {
            let Some(mut receiver) = session(enctype, role) else {
                continue;
            };
            let mut out = Vec::new();
            if receiver.unwrap_winrm(header, body, &mut out).is_err() {
                assert!(out.is_empty(), "output appended on error");
            }
            out.clear();
            if receiver.unwrap_token(token, &mut out).is_err() {
                assert!(out.is_empty(), "output appended on error");
            }
            // Round trip of the input as a message.
            let (Some(mut sender), Some(mut peer)) =
                (session(enctype, role.peer()), session(enctype, role))
            else {
                continue;
            };
            let mut w = Wrapped::new();
            if sender.wrap_winrm(token, &mut w).is_ok() {
                out.clear();
                assert!(
                    peer.unwrap_winrm(&w.header, &w.data, &mut out).is_ok(),
                    "sealed message does not unwrap"
                );
                assert_eq!(out, token, "round trip changed the message");
                // Replaying it is refused.
                let mut again = Vec::new();
                assert!(
                    peer.unwrap_winrm(&w.header, &w.data, &mut again).is_err(),
                    "replay accepted"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oracle_holds_on_simple_inputs() {
        kerberos_unwrap(&[]);
        kerberos_unwrap(&[60; 100]);
        kerberos_unwrap(b"\x10\x05\x04\x06\xff\x00\x00\x00\x1c");
        let mut t = vec![45u8, 0x60, 0x2b, 0x06, 0x09];
        t.extend_from_slice(&[0u8; 60]);
        kerberos_unwrap(&t);
    }
}

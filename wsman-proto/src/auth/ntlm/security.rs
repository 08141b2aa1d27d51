//! NTLM session security (MS-NLMP 3.4): signing and sealing keys, per-direction RC4 state and
//! sequence numbers, `GSS_WrapEx` / `GSS_UnwrapEx` with 16-byte signatures, `GSS_GetMIC` /
//! `GSS_VerifyMIC` for SPNEGO's mechListMIC.

use std::fmt;

use subtle::ConstantTimeEq;

use super::crypto::{Key16, Rc4, crc32, hmac_md5, md5};
use super::kernel;
use super::messages::NegotiateFlags;
use crate::auth::{AuthError, Mechanism, Role, SessionSecurity, Wrapped};

const CLIENT_SIGN: &[u8] = b"session key to client-to-server signing key magic constant\0";
const SERVER_SIGN: &[u8] = b"session key to server-to-client signing key magic constant\0";
const CLIENT_SEAL: &[u8] = b"session key to client-to-server sealing key magic constant\0";
const SERVER_SEAL: &[u8] = b"session key to server-to-client sealing key magic constant\0";

/// Length of an NTLM message signature (NTLMSSP_MESSAGE_SIGNATURE).
pub const SIGNATURE_LEN: usize = 16;

/// The signing and sealing keys of one direction (MS-NLMP 3.4.5.2 / 3.4.5.3).
#[derive(Clone, PartialEq, Eq)]
pub struct DirectionKeys {
    /// SIGNKEY (all zero without extended session security, where it is unused).
    pub sign: Key16,
    /// SEALKEY (5, 7 or 16 bytes).
    pub seal: Vec<u8>,
}

impl fmt::Debug for DirectionKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DirectionKeys(..)")
    }
}

/// Derives the keys of the direction whose sender is `sender`.
#[must_use]
pub fn derive_keys(
    flags: NegotiateFlags,
    exported_session_key: &[u8; 16],
    sender: Role,
) -> DirectionKeys {
    let esk = exported_session_key;
    if flags.has(NegotiateFlags::EXTENDED_SESSIONSECURITY) {
        let (sign_magic, seal_magic) = match sender {
            Role::Initiator => (CLIENT_SIGN, CLIENT_SEAL),
            Role::Acceptor => (SERVER_SIGN, SERVER_SEAL),
        };
        let base: &[u8] = if flags.has(NegotiateFlags::NEGOTIATE_128) {
            esk
        } else if flags.has(NegotiateFlags::NEGOTIATE_56) {
            esk.get(..7).unwrap_or(esk)
        } else {
            esk.get(..5).unwrap_or(esk)
        };
        DirectionKeys {
            sign: Key16(md5(&[esk, sign_magic])),
            seal: md5(&[base, seal_magic]).to_vec(),
        }
    } else {
        let seal = if flags.has(NegotiateFlags::LM_KEY) {
            let mut k = esk.get(..7).unwrap_or(esk).to_vec();
            if flags.has(NegotiateFlags::NEGOTIATE_56) {
                k.push(0xa0);
            } else {
                k.truncate(5);
                k.extend_from_slice(&[0xe5, 0x38, 0xb0]);
            }
            k
        } else {
            esk.to_vec()
        };
        DirectionKeys {
            sign: Key16([0; 16]),
            seal,
        }
    }
}

struct Direction {
    keys: DirectionKeys,
    rc4: Rc4,
    seq: u32,
}

impl Direction {
    fn new(keys: DirectionKeys, seq: u32) -> Self {
        let rc4 = new_rc4(&keys.seal);
        Self { keys, rc4, seq }
    }
}

fn new_rc4(key: &[u8]) -> Rc4 {
    Rc4::new(key)
}

/// An established NTLM context's per-message security, one RC4 state and sequence number per
/// direction. Implements [`SessionSecurity`] in WinRM's layout (16-byte signature header,
/// sealed data of the plaintext's length).
///
/// A message that fails verification (bad signature) desynchronises RC4 and poisons the context;
/// a replayed or out-of-order sequence number is detected before any state changes (with
/// extended session security, where the number travels in clear) and does not poison it.
pub struct NtlmSecurity {
    mechanism: Mechanism,
    role: Role,
    flags: NegotiateFlags,
    send: Direction,
    recv: Direction,
    poisoned: bool,
}

impl fmt::Debug for NtlmSecurity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NtlmSecurity")
            .field("mechanism", &self.mechanism)
            .field("role", &self.role)
            .field("flags", &self.flags)
            .field("send_seq", &self.send.seq)
            .field("recv_seq", &self.recv.seq)
            .field("poisoned", &self.poisoned)
            .finish_non_exhaustive()
    }
}

impl NtlmSecurity {
    /// A context for `role` (the side that holds it) from the negotiated flags (those of the
    /// AUTHENTICATE message) and the exported session key. Both sequence numbers start at 0.
    #[must_use]
    pub fn new(role: Role, flags: NegotiateFlags, exported_session_key: &[u8; 16]) -> Self {
        Self::with_sequence(role, flags, exported_session_key, 0, 0)
    }

    /// Like [`NtlmSecurity::new`] with chosen first sequence numbers (offline decryption of a
    /// capture that starts mid-session, or after SPNEGO's mechListMIC).
    #[must_use]
    pub fn with_sequence(
        role: Role,
        flags: NegotiateFlags,
        exported_session_key: &[u8; 16],
        send_seq: u32,
        recv_seq: u32,
    ) -> Self {
        let send = Direction::new(derive_keys(flags, exported_session_key, role), send_seq);
        let recv = Direction::new(
            derive_keys(flags, exported_session_key, role.peer()),
            recv_seq,
        );
        Self {
            mechanism: Mechanism::Ntlm,
            role,
            flags,
            send,
            recv,
            poisoned: false,
        }
    }

    /// Sets the mechanism reported by [`SessionSecurity::mechanism`] (SPNEGO when the context
    /// was negotiated inside SPNEGO).
    pub fn set_mechanism(&mut self, mechanism: Mechanism) {
        self.mechanism = mechanism;
    }

    /// The negotiated flags.
    #[must_use]
    pub const fn flags(&self) -> NegotiateFlags {
        self.flags
    }

    /// The next sequence number this side will send.
    #[must_use]
    pub const fn send_sequence(&self) -> u32 {
        self.send.seq
    }

    /// The next sequence number this side expects to receive.
    #[must_use]
    pub const fn recv_sequence(&self) -> u32 {
        self.recv.seq
    }

    /// Re-initialises both RC4 states from the sealing keys, keeping the sequence numbers.
    /// SPNEGO does this after the mechListMIC exchange (MS-SPNG 3.3.5.1, as Windows and
    /// pyspnego do), so the first sealed message of each direction uses sequence number 1
    /// with a fresh RC4 state.
    pub fn reset_rc4(&mut self) {
        self.send.rc4 = new_rc4(&self.send.keys.seal);
        self.recv.rc4 = new_rc4(&self.recv.keys.seal);
    }

    /// SPNEGO mechListMIC, sending side (MS-SPNG 3.3.5.1): signs `mech_types_der` with
    /// sequence number 0 on a fresh RC4 state, then re-initialises the send RC4 state and
    /// continues at sequence number 1 — what Windows and pyspnego do.
    ///
    /// # Errors
    /// [`AuthError::Poisoned`].
    pub fn spnego_sign_mech_list(&mut self, mech_types_der: &[u8]) -> Result<[u8; 16], AuthError> {
        self.check_usable()?;
        self.send.rc4 = new_rc4(&self.send.keys.seal);
        self.send.seq = 0;
        let sig = self.mac(mech_types_der)?;
        self.send.rc4 = new_rc4(&self.send.keys.seal);
        self.send.seq = 1;
        Ok(sig)
    }

    /// SPNEGO mechListMIC, receiving side: verifies the peer's signature of `mech_types_der`
    /// (sequence number 0, fresh RC4 state), then re-initialises the receive RC4 state and
    /// expects sequence number 1 next.
    ///
    /// # Errors
    /// [`AuthError::BadSignature`] (the context is then poisoned), [`AuthError::Malformed`].
    pub fn spnego_verify_mech_list(
        &mut self,
        mech_types_der: &[u8],
        sig: &[u8],
    ) -> Result<(), AuthError> {
        self.check_usable()?;
        self.recv.rc4 = new_rc4(&self.recv.keys.seal);
        self.recv.seq = 0;
        if let Err(e) = self.verify(mech_types_der, sig) {
            self.poisoned = true;
            return Err(e);
        }
        self.recv.rc4 = new_rc4(&self.recv.keys.seal);
        self.recv.seq = 1;
        Ok(())
    }

    fn ess(&self) -> bool {
        self.flags.has(NegotiateFlags::EXTENDED_SESSIONSECURITY)
    }

    fn check_usable(&self) -> Result<(), AuthError> {
        if self.poisoned {
            Err(AuthError::Poisoned)
        } else {
            Ok(())
        }
    }

    /// Computes the signature of `msg` with the send state (after the data, when sealing, was
    /// encrypted with the same RC4 state), advancing the sequence number.
    fn mac(&mut self, msg: &[u8]) -> Result<[u8; 16], AuthError> {
        let seq = self.send.seq;
        let next = seq.checked_add(1).ok_or(AuthError::InvalidState {
            what: "ntlm sequence number exhausted",
        })?;
        let sig = signature(self.ess(), self.flags, &mut self.send, seq, msg);
        self.send.seq = next;
        Ok(sig)
    }

    /// `GSS_GetMIC`: the signature of `msg` (no sealing), consuming one send sequence number.
    ///
    /// # Errors
    /// [`AuthError::Poisoned`], or an exhausted sequence number.
    pub fn get_mic(&mut self, msg: &[u8]) -> Result<[u8; 16], AuthError> {
        self.check_usable()?;
        self.mac(msg)
    }

    /// `GSS_VerifyMIC`: checks a signature of `msg` from the peer, consuming one receive
    /// sequence number.
    ///
    /// # Errors
    /// [`AuthError::BadSignature`], [`AuthError::SequenceMismatch`], [`AuthError::Malformed`].
    pub fn verify_mic(&mut self, msg: &[u8], sig: &[u8]) -> Result<(), AuthError> {
        self.check_usable()?;
        let res = self.verify(msg, sig);
        if matches!(res, Err(AuthError::BadSignature { .. })) || (res.is_err() && !self.ess()) {
            self.poisoned = true;
        }
        res
    }

    fn verify(&mut self, plain: &[u8], sig: &[u8]) -> Result<(), AuthError> {
        let sig: &[u8; 16] = sig
            .try_into()
            .map_err(|_| AuthError::malformed("ntlm signature length", 0))?;
        if sig[..4] != [1, 0, 0, 0] {
            return Err(AuthError::malformed("ntlm signature version", 0));
        }
        let expected = self.recv.seq;
        let next = expected.checked_add(1).ok_or(AuthError::InvalidState {
            what: "ntlm sequence number exhausted",
        })?;
        if self.ess() {
            let got = u32::from_le_bytes([sig[12], sig[13], sig[14], sig[15]]);
            if got != expected {
                return Err(AuthError::SequenceMismatch {
                    mechanism: self.mechanism,
                    expected: expected.into(),
                    got: got.into(),
                });
            }
            let want = signature(true, self.flags, &mut self.recv, expected, plain);
            if !bool::from(want.ct_eq(sig)) {
                return Err(AuthError::BadSignature {
                    mechanism: self.mechanism,
                });
            }
        } else {
            // Without ESS the RandomPad, checksum and sequence number are all RC4-encrypted;
            // Windows zeroes the pad after encrypting it, so the pad is not compared.
            let mut tail = [0u8; 12];
            tail.copy_from_slice(&sig[4..]);
            self.recv.rc4.apply(&mut tail);
            let crc = crc32(plain).to_le_bytes();
            let got = u32::from_le_bytes([tail[8], tail[9], tail[10], tail[11]]);
            if !bool::from(crc.ct_eq(&tail[4..8])) {
                return Err(AuthError::BadSignature {
                    mechanism: self.mechanism,
                });
            }
            if got != expected {
                return Err(AuthError::SequenceMismatch {
                    mechanism: self.mechanism,
                    expected: expected.into(),
                    got: got.into(),
                });
            }
        }
        self.recv.seq = next;
        Ok(())
    }
}

/// MS-NLMP 3.4.4: the 16-byte signature of `msg` under `dir`'s keys and RC4 state.
fn signature(
    ess: bool,
    flags: NegotiateFlags,
    dir: &mut Direction,
    seq: u32,
    msg: &[u8],
) -> [u8; 16] {
    let mut sig = [0u8; 16];
    sig[0] = 1;
    let seq_le = seq.to_le_bytes();
    if ess {
        let mac = hmac_md5(&dir.keys.sign.0, &[&seq_le, msg]);
        let mut checksum = [0u8; 8];
        checksum.copy_from_slice(&mac[..8]);
        if flags.has(NegotiateFlags::KEY_EXCH) {
            dir.rc4.apply(&mut checksum);
        }
        sig[4..12].copy_from_slice(&checksum);
        sig[12..].copy_from_slice(&seq_le);
    } else {
        let mut tail = [0u8; 12];
        tail[4..8].copy_from_slice(&crc32(msg).to_le_bytes());
        tail[8..].copy_from_slice(&seq_le);
        dir.rc4.apply(&mut tail);
        // RandomPad: Windows (and pyspnego) send zero after encrypting it.
        tail[..4].fill(0);
        sig[4..].copy_from_slice(&tail);
    }
    sig
}

impl SessionSecurity for NtlmSecurity {
    fn mechanism(&self) -> Mechanism {
        self.mechanism
    }

    fn wrap_winrm(&mut self, plain: &[u8], out: &mut Wrapped) -> Result<(), AuthError> {
        self.check_usable()?;
        let seq = self.send.seq;
        let next = seq.checked_add(1).ok_or(AuthError::InvalidState {
            what: "ntlm sequence number exhausted",
        })?;
        out.clear();
        if self.ess() {
            let mac = kernel::seal(
                &mut self.send.rc4,
                &self.send.keys.sign.0,
                seq,
                plain,
                &mut out.data,
            );
            out.header
                .extend_from_slice(&ess_signature(self.flags, &mut self.send.rc4, &mac, seq));
            self.send.seq = next;
        } else {
            self.send.rc4.apply_to_vec(plain, &mut out.data);
            let sig = self.mac(plain)?;
            out.header.extend_from_slice(&sig);
        }
        Ok(())
    }

    fn unwrap_winrm(
        &mut self,
        header: &[u8],
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), AuthError> {
        self.check_usable()?;
        if header.len() != SIGNATURE_LEN {
            return Err(if header.len() < SIGNATURE_LEN {
                AuthError::truncated("ntlm signature", 0, SIGNATURE_LEN)
            } else {
                AuthError::malformed("ntlm signature length", SIGNATURE_LEN)
            });
        }
        if self.ess() {
            // Reject replays before touching the RC4 state.
            let got = header
                .get(12..16)
                .and_then(|s| <[u8; 4]>::try_from(s).ok())
                .map_or(0, u32::from_le_bytes);
            if got != self.recv.seq {
                return Err(AuthError::SequenceMismatch {
                    mechanism: self.mechanism,
                    expected: self.recv.seq.into(),
                    got: got.into(),
                });
            }
        }
        let start = out.len();
        let res = if self.ess() {
            let seq = self.recv.seq;
            let next = seq.checked_add(1).ok_or(AuthError::InvalidState {
                what: "ntlm sequence number exhausted",
            })?;
            let mac = kernel::unseal(&mut self.recv.rc4, &self.recv.keys.sign.0, seq, data, out);
            let want = ess_signature(self.flags, &mut self.recv.rc4, &mac, seq);
            if bool::from(want.ct_eq(header)) {
                self.recv.seq = next;
                Ok(())
            } else {
                Err(AuthError::BadSignature {
                    mechanism: self.mechanism,
                })
            }
        } else {
            self.recv.rc4.apply_to_vec(data, out);
            self.verify(out.get(start..).unwrap_or(&[]), header)
        };
        if res.is_err() {
            out.truncate(start);
            self.poisoned = true;
        }
        res
    }
}

/// The ESS signature from the HMAC: `1 ‖ checksum ‖ seq`, the checksum RC4-encrypted under
/// KEY_EXCH (MS-NLMP 3.4.4.2).
fn ess_signature(flags: NegotiateFlags, rc4: &mut Rc4, mac: &[u8; 16], seq: u32) -> [u8; 16] {
    let mut sig = [0u8; 16];
    sig[0] = 1;
    let mut checksum = [0u8; 8];
    checksum.copy_from_slice(&mac[..8]);
    if flags.has(NegotiateFlags::KEY_EXCH) {
        rc4.apply(&mut checksum);
    }
    sig[4..12].copy_from_slice(&checksum);
    sig[12..].copy_from_slice(&seq.to_le_bytes());
    sig
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    const PLAIN: [u8; 18] = hex!("50006c00610069006e007400650078007400");

    #[test]
    fn ms_nlmp_4_2_4_4_ntlmv2_wrap() {
        let esk = hex!("55555555555555555555555555555555");
        let flags = NegotiateFlags(0xe28a_8233 | NegotiateFlags::KEY_EXCH);
        let k = derive_keys(flags, &esk, Role::Initiator);
        assert_eq!(k.sign.0, hex!("4788dc861b4782f35d43fd98fe1a2d39"));
        assert_eq!(k.seal, hex!("59f600973cc4960a25480a7c196e4c58"));
        let ks = derive_keys(flags, &esk, Role::Acceptor);
        assert_eq!(ks.sign.0, hex!("d04d6f10741041d1d246d64188d7a8ad"));
        assert_eq!(ks.seal, hex!("9355f3a957c1583d25c4c2f11e40390e"));
        let mut s = NtlmSecurity::new(Role::Initiator, flags, &esk);
        let mut w = Wrapped::new();
        s.wrap_winrm(&PLAIN, &mut w).unwrap();
        assert_eq!(w.data, hex!("54e50165bf1936dc996020c1811b0f06fb5f"));
        assert_eq!(w.header, hex!("010000007fb38ec5c55d497600000000"));
        // Without KEY_EXCH the checksum is not encrypted (pyspnego's vector).
        let mut s = NtlmSecurity::new(
            Role::Initiator,
            NegotiateFlags(flags.0 & !NegotiateFlags::KEY_EXCH),
            &esk,
        );
        s.wrap_winrm(&PLAIN, &mut w).unwrap();
        assert_eq!(w.header, hex!("0100000070352851f256430900000000"));
        // The acceptor opens it.
        let mut a = NtlmSecurity::new(Role::Acceptor, flags, &esk);
        let mut c = NtlmSecurity::new(Role::Initiator, flags, &esk);
        c.wrap_winrm(&PLAIN, &mut w).unwrap();
        let mut out = Vec::new();
        a.unwrap_winrm(&w.header, &w.data, &mut out).unwrap();
        assert_eq!(out, PLAIN);
        // Replay: typed error, context still usable.
        assert_eq!(
            a.unwrap_winrm(&w.header, &w.data, &mut out),
            Err(AuthError::SequenceMismatch {
                mechanism: Mechanism::Ntlm,
                expected: 1,
                got: 0
            })
        );
        c.wrap_winrm(b"second", &mut w).unwrap();
        out.clear();
        a.unwrap_winrm(&w.header, &w.data, &mut out).unwrap();
        assert_eq!(out, b"second");
        // Tampering: bad signature, poisoned afterwards.
        c.wrap_winrm(b"third", &mut w).unwrap();
        w.data[0] ^= 1;
        assert_eq!(
            a.unwrap_winrm(&w.header, &w.data, &mut out),
            Err(AuthError::BadSignature {
                mechanism: Mechanism::Ntlm
            })
        );
        assert_eq!(
            a.unwrap_winrm(&w.header, &w.data, &mut out),
            Err(AuthError::Poisoned)
        );
    }

    #[test]
    fn ms_nlmp_4_2_2_4_ntlmv1_wrap_both_random_pads() {
        let flags = NegotiateFlags(0xe202_8233);
        let key = hex!("55555555555555555555555555555555");
        let mut s = NtlmSecurity::new(Role::Initiator, flags, &key);
        let mut w = Wrapped::new();
        s.wrap_winrm(&PLAIN, &mut w).unwrap();
        assert_eq!(w.data, hex!("56fe04d861f9319af0d7238a2e3b4d457fb8"));
        assert_eq!(w.header, hex!("010000000000000009dcd1df2e459d36"));
        for sig in [
            hex!("010000000000000009dcd1df2e459d36"),
            hex!("0100000045c844e509dcd1df2e459d36"),
        ] {
            let mut a = NtlmSecurity::new(Role::Acceptor, flags, &key);
            let mut out = Vec::new();
            a.unwrap_winrm(&sig, &w.data, &mut out).unwrap();
            assert_eq!(out, PLAIN);
        }
    }
}

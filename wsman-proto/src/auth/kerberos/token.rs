//! GSS-API per-message wrap tokens of the Kerberos mechanism.
//!
//! - RFC 4121 section 4.2.6.2 ("CFX") wrap tokens, used with the AES enctypes.
//! - RFC 4757 section 7.3 wrap tokens, used with RC4-HMAC.
//!
//! Both are always sealed here (WinRM requires confidentiality); integrity-only tokens are
//! refused with [`Refusal::NoSealing`].

use subtle::ConstantTimeEq;

use super::crypto::{
    AES_BLOCK, AES_MAC_LEN, AesUsageKeys, Enctype, Key, hmac_md5_of, rc4_apply, rc4hmac_checksum,
};
use crate::auth::{AuthError, Mechanism, Refusal, Role};

/// RFC 4121 section 2: key usages of sealed wrap tokens.
pub(crate) const KG_USAGE_ACCEPTOR_SEAL: u32 = 22;
/// RFC 4121 section 2.
pub(crate) const KG_USAGE_INITIATOR_SEAL: u32 = 24;

/// CFX token header length.
pub(crate) const CFX_HEADER_LEN: usize = 16;
/// RFC 4121 TOK_ID of wrap tokens.
const CFX_TOK_ID: [u8; 2] = [0x05, 0x04];
/// RFC 4121 section 4.2.2 flags.
const FLAG_SENT_BY_ACCEPTOR: u8 = 0x01;
const FLAG_SEALED: u8 = 0x02;
const FLAG_ACCEPTOR_SUBKEY: u8 = 0x04;
/// The right rotation count Windows uses: the 16-byte encrypted header copy plus the 12-byte
/// HMAC, so that the ciphertext of the payload ends the token (MS-WSMV's header/data split).
pub const WINDOWS_RRC: u16 = 28;

/// DER encoding of the Kerberos mechanism OID 1.2.840.113554.1.2.2 (with tag and length).
const KRB5_OID_TLV: [u8; 11] = [
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02,
];
/// RFC 4757 section 7.3 fixed fields: TOK_ID 02 01, SGN_ALG 11 00 (HMAC), SEAL_ALG 10 00 (RC4),
/// filler ff ff.
const RC4_WRAP_HDR: [u8; 8] = [0x02, 0x01, 0x11, 0x00, 0x10, 0x00, 0xff, 0xff];
/// RFC 4757 token body before the data: 8 fixed + 8 SND_SEQ + 8 SGN_CKSUM + 8 confounder.
const RC4_BODY_HDR_LEN: usize = 32;
/// RFC 4757 section 7.3: the checksum usage of wrap tokens (13 after translation of 23).
const RC4_SEAL_USAGE: u32 = 23;

fn seq_err(expected: u64, got: u64) -> AuthError {
    AuthError::SequenceMismatch {
        mechanism: Mechanism::Kerberos,
        expected,
        got,
    }
}

fn bad_sig() -> AuthError {
    AuthError::BadSignature {
        mechanism: Mechanism::Kerberos,
    }
}

/// Per-direction receive sequence check: strict `expected == got`, or learn the first one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RecvSeq {
    pub(crate) next: Option<u64>,
}

impl RecvSeq {
    /// Checks `got` against the expected number (without advancing).
    fn check(self, got: u64) -> Result<(), AuthError> {
        match self.next {
            Some(expected) if expected != got => Err(seq_err(expected, got)),
            _ => Ok(()),
        }
    }

    /// Records that `got` was accepted.
    fn advance(&mut self, got: u64) {
        self.next = got.checked_add(1);
    }
}

/// State of one RFC 4121 context, given the key that protects the wrap tokens.
#[derive(Clone)]
pub(crate) struct CfxState {
    role: Role,
    acceptor_subkey: bool,
    initiator_seal: AesUsageKeys,
    acceptor_seal: AesUsageKeys,
    send_seq: u64,
    recv: RecvSeq,
}

impl CfxState {
    pub(crate) fn new(
        key: &Key,
        role: Role,
        acceptor_subkey: bool,
        send_seq: u64,
        recv_seq: Option<u64>,
    ) -> Result<Self, AuthError> {
        Ok(Self {
            role,
            acceptor_subkey,
            initiator_seal: AesUsageKeys::new(key, KG_USAGE_INITIATOR_SEAL)?,
            acceptor_seal: AesUsageKeys::new(key, KG_USAGE_ACCEPTOR_SEAL)?,
            send_seq,
            recv: RecvSeq { next: recv_seq },
        })
    }

    pub(crate) const fn next_send_seq(&self) -> u64 {
        self.send_seq
    }

    pub(crate) const fn next_recv_seq(&self) -> Option<u64> {
        self.recv.next
    }

    fn keys_for(&self, sender: Role) -> &AesUsageKeys {
        match sender {
            Role::Initiator => &self.initiator_seal,
            Role::Acceptor => &self.acceptor_seal,
        }
    }

    fn header(&self, ec: u16, rrc: u16, seq: u64) -> [u8; CFX_HEADER_LEN] {
        let mut flags = FLAG_SEALED;
        if self.role == Role::Acceptor {
            flags |= FLAG_SENT_BY_ACCEPTOR;
        }
        if self.acceptor_subkey {
            flags |= FLAG_ACCEPTOR_SUBKEY;
        }
        let mut h = [0u8; CFX_HEADER_LEN];
        let [a, b] = CFX_TOK_ID;
        let [e0, e1] = ec.to_be_bytes();
        let [r0, r1] = rrc.to_be_bytes();
        let s = seq.to_be_bytes();
        h.copy_from_slice(&[
            a, b, flags, 0xff, e0, e1, r0, r1, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7],
        ]);
        h
    }

    /// Seals `plain` into one wrap token in Windows' layout (EC 0, RRC 28), written to `out`
    /// (cleared first). Returns the length of the token header part (everything before the
    /// payload ciphertext, 60 bytes).
    pub(crate) fn wrap(
        &mut self,
        plain: &[u8],
        confounder: &[u8; AES_BLOCK],
        out: &mut Vec<u8>,
    ) -> Result<usize, AuthError> {
        let seq = self.send_seq;
        let next = seq.checked_add(1).ok_or(AuthError::InvalidState {
            what: "kerberos sequence number exhausted",
        })?;
        let header = self.header(0, WINDOWS_RRC, seq);
        // The encrypted copy of the header carries RRC 0 (RFC 4121 section 4.2.4).
        let inner = self.header(0, 0, seq);
        let keys = self.keys_for(self.role);
        // Layout before rotation: header | E(conf | plain | inner) | mac
        out.clear();
        out.reserve(
            plain
                .len()
                .saturating_add(CFX_HEADER_LEN * 2 + AES_BLOCK + AES_MAC_LEN),
        );
        out.extend_from_slice(&header);
        out.extend_from_slice(confounder);
        out.extend_from_slice(plain);
        out.extend_from_slice(&inner);
        keys.seal_in_place(out, CFX_HEADER_LEN)?;
        // Rotate the part after the header right by RRC.
        let body = out
            .get_mut(CFX_HEADER_LEN..)
            .ok_or(AuthError::malformed("cfx token", 0))?;
        let rrc = usize::from(WINDOWS_RRC);
        if body.len() >= rrc {
            body.rotate_right(rrc);
        }
        self.send_seq = next;
        Ok(out.len().saturating_sub(plain.len()))
    }

    /// Verifies and decrypts one token (header and payload parts concatenated in `token`, which
    /// is used as scratch). Appends the plaintext to `out`.
    pub(crate) fn unwrap(&mut self, token: &mut [u8], out: &mut Vec<u8>) -> Result<(), AuthError> {
        let Some((hdr, body)) = token.split_first_chunk_mut::<CFX_HEADER_LEN>() else {
            return Err(AuthError::truncated(
                "kerberos wrap token",
                0,
                CFX_HEADER_LEN,
            ));
        };
        let hdr = *hdr;
        let [
            t0,
            t1,
            flags,
            filler,
            e0,
            e1,
            r0,
            r1,
            s0,
            s1,
            s2,
            s3,
            s4,
            s5,
            s6,
            s7,
        ] = hdr;
        if [t0, t1] != CFX_TOK_ID {
            return Err(AuthError::malformed("kerberos wrap token id", 0));
        }
        if filler != 0xff {
            return Err(AuthError::malformed("kerberos wrap token filler", 3));
        }
        let peer = self.role.peer();
        let from_acceptor = flags & FLAG_SENT_BY_ACCEPTOR != 0;
        if from_acceptor != (peer == Role::Acceptor) {
            return Err(AuthError::malformed(
                "kerberos wrap token direction flag",
                2,
            ));
        }
        if flags & FLAG_SEALED == 0 {
            return Err(AuthError::PolicyRefused(Refusal::NoSealing));
        }
        let ec = usize::from(u16::from_be_bytes([e0, e1]));
        let rrc = usize::from(u16::from_be_bytes([r0, r1]));
        let seq = u64::from_be_bytes([s0, s1, s2, s3, s4, s5, s6, s7]);
        let min = AES_BLOCK
            .saturating_add(CFX_HEADER_LEN)
            .saturating_add(AES_MAC_LEN)
            .saturating_add(ec);
        if body.len() < min {
            return Err(AuthError::truncated(
                "kerberos wrap token",
                CFX_HEADER_LEN,
                min,
            ));
        }
        // Undo the right rotation.
        let len = body.len();
        if let Some(r) = rrc.checked_rem(len) {
            body.rotate_left(r);
        }
        let keys = self.keys_for(peer);
        let plain = keys.decrypt_in_place(body)?;
        // plain = data | EC filler bytes | encrypted header copy
        let data_len = plain
            .len()
            .checked_sub(ec.saturating_add(CFX_HEADER_LEN))
            .ok_or(AuthError::truncated(
                "kerberos wrap token",
                CFX_HEADER_LEN,
                min,
            ))?;
        let (data, rest) = plain.split_at(data_len);
        let copy = rest
            .get(ec..)
            .and_then(|c| c.first_chunk::<CFX_HEADER_LEN>())
            .ok_or(AuthError::malformed("kerberos wrap token header copy", 0))?;
        // RFC 4121 4.2.4: the copy must match the header, except RRC (zero in the copy).
        let same = copy.get(..6) == hdr.get(..6) && copy.get(8..) == hdr.get(8..);
        if !same {
            return Err(AuthError::malformed("kerberos wrap token header copy", 0));
        }
        self.recv.check(seq)?;
        self.recv.advance(seq);
        out.extend_from_slice(data);
        Ok(())
    }
}

/// Appends a DER length.
fn push_der_len(out: &mut Vec<u8>, len: usize) {
    if let Ok(short) = u8::try_from(len)
        && short < 0x80
    {
        out.push(short);
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    let significant = bytes.get(skip..).unwrap_or_default();
    out.push(0x80 | u8::try_from(significant.len()).unwrap_or(0));
    out.extend_from_slice(significant);
}

/// State of one RFC 4757 (RC4-HMAC) context.
#[derive(Clone)]
pub(crate) struct Rc4State {
    role: Role,
    key: [u8; 16],
    send_seq: u32,
    recv: RecvSeq,
}

impl Rc4State {
    pub(crate) fn new(
        key: &Key,
        role: Role,
        send_seq: u32,
        recv_seq: Option<u32>,
    ) -> Result<Self, AuthError> {
        if key.enctype() != Enctype::Rc4Hmac {
            return Err(AuthError::malformed("rc4-hmac key enctype", 0));
        }
        let bytes: [u8; 16] = key
            .as_bytes()
            .try_into()
            .map_err(|_| AuthError::malformed("rc4-hmac key length", key.as_bytes().len()))?;
        Ok(Self {
            role,
            key: bytes,
            send_seq,
            recv: RecvSeq {
                next: recv_seq.map(u64::from),
            },
        })
    }

    pub(crate) fn next_send_seq(&self) -> u64 {
        u64::from(self.send_seq)
    }

    pub(crate) const fn next_recv_seq(&self) -> Option<u64> {
        self.recv.next
    }

    fn direction(sender: Role) -> [u8; 4] {
        match sender {
            Role::Initiator => [0; 4],
            Role::Acceptor => [0xff; 4],
        }
    }

    /// RFC 4757 7.3 `Kcrypt = HMAC(HMAC(K ^ 0xF0.., 0), seq_be)`.
    fn kcrypt(&self, seq_be: &[u8]) -> [u8; 16] {
        let mut klocal = self.key;
        for b in &mut klocal {
            *b ^= 0xf0;
        }
        let k = hmac_md5_of(&klocal, &[&0u32.to_le_bytes()]);
        hmac_md5_of(&k, &[seq_be])
    }

    /// RFC 4757 7.3 `Kseq = HMAC(HMAC(K, 0), checksum)`.
    fn kseq(&self, cksum: &[u8]) -> [u8; 16] {
        let k = hmac_md5_of(&self.key, &[&0u32.to_le_bytes()]);
        hmac_md5_of(&k, &[cksum])
    }

    /// Seals `plain` (plus the 1-byte RC4 padding) into one token written to `out` (cleared
    /// first). Returns the header length (everything before the payload ciphertext).
    pub(crate) fn wrap(
        &mut self,
        plain: &[u8],
        confounder: &[u8; 8],
        out: &mut Vec<u8>,
    ) -> Result<usize, AuthError> {
        let seq = self.send_seq;
        let next = seq.checked_add(1).ok_or(AuthError::InvalidState {
            what: "kerberos sequence number exhausted",
        })?;
        let seq_be = seq.to_be_bytes();
        let body_len = RC4_BODY_HDR_LEN
            .saturating_add(plain.len())
            .saturating_add(1);
        out.clear();
        out.reserve(
            body_len
                .saturating_add(KRB5_OID_TLV.len())
                .saturating_add(6),
        );
        out.push(0x60);
        push_der_len(out, body_len.saturating_add(KRB5_OID_TLV.len()));
        out.extend_from_slice(&KRB5_OID_TLV);
        let body_start = out.len();
        out.extend_from_slice(&RC4_WRAP_HDR);
        out.extend_from_slice(&[0u8; 16]); // SND_SEQ and SGN_CKSUM, filled below
        let conf_start = out.len();
        out.extend_from_slice(confounder);
        out.extend_from_slice(plain);
        out.push(1); // padding: one byte of value 1 (block size 1)
        // Checksum over the 8 fixed header bytes, confounder, data and padding.
        let cksum = {
            let fixed = out
                .get(body_start..body_start.saturating_add(8))
                .unwrap_or_default();
            let rest = out.get(conf_start..).unwrap_or_default();
            rc4_checksum_parts(&self.key, fixed, rest)
        };
        let cksum8: [u8; 8] = *cksum.first_chunk::<8>().unwrap_or(&[0; 8]);
        let kcrypt = self.kcrypt(&seq_be);
        if let Some(region) = out.get_mut(conf_start..) {
            rc4_apply(&kcrypt, &mut [region]);
        }
        let mut snd_seq = [0u8; 8];
        snd_seq[..4].copy_from_slice(&seq_be);
        snd_seq[4..].copy_from_slice(&Self::direction(self.role));
        let kseq = self.kseq(&cksum8);
        rc4_apply(&kseq, &mut [&mut snd_seq]);
        let seq_at = body_start.saturating_add(8);
        if let Some(dst) = out.get_mut(seq_at..seq_at.saturating_add(16)) {
            let (s, c) = dst.split_at_mut(8);
            s.copy_from_slice(&snd_seq);
            c.copy_from_slice(&cksum8);
        }
        self.send_seq = next;
        Ok(out.len().saturating_sub(plain.len()).saturating_sub(1))
    }

    /// Verifies and decrypts one token (`token` is used as scratch). Appends the plaintext
    /// without padding to `out`.
    pub(crate) fn unwrap(&mut self, token: &mut [u8], out: &mut Vec<u8>) -> Result<(), AuthError> {
        let body = parse_gss_framing(token)?;
        if body.len() < RC4_BODY_HDR_LEN.saturating_add(1) {
            return Err(AuthError::truncated(
                "rc4-hmac wrap token",
                0,
                RC4_BODY_HDR_LEN.saturating_add(1),
            ));
        }
        let (fixed_and_seq, rest) = body.split_at_mut(24);
        let (fixed, seq_and_ck) = fixed_and_seq.split_at_mut(8);
        if fixed.get(..4) != RC4_WRAP_HDR.get(..4) {
            return Err(AuthError::malformed("rc4-hmac wrap token id or sgn_alg", 0));
        }
        match (fixed.get(4..6), fixed.get(6..8)) {
            (Some([0x10, 0x00]), Some([0xff, 0xff])) => {}
            (Some([0xff, 0xff]), Some([0xff, 0xff])) => {
                return Err(AuthError::PolicyRefused(Refusal::NoSealing));
            }
            _ => return Err(AuthError::malformed("rc4-hmac wrap token seal_alg", 4)),
        }
        let (snd_seq, cksum) = seq_and_ck.split_at_mut(8);
        let kseq = self.kseq(cksum);
        let mut seq_plain: [u8; 8] = (&*snd_seq)
            .try_into()
            .map_err(|_| AuthError::malformed("rc4-hmac snd_seq", 8))?;
        rc4_apply(&kseq, &mut [&mut seq_plain]);
        let [q0, q1, q2, q3, d0, d1, d2, d3] = seq_plain;
        let peer = self.role.peer();
        if [d0, d1, d2, d3] != Self::direction(peer) {
            // Either a reflected message or a wrong key: both fail like a bad signature would
            // after decryption, but say it precisely.
            return Err(bad_sig());
        }
        let seq = u32::from_be_bytes([q0, q1, q2, q3]);
        let kcrypt = self.kcrypt(&[q0, q1, q2, q3]);
        rc4_apply(&kcrypt, &mut [&mut *rest]);
        let expected = rc4_checksum_parts(&self.key, fixed, rest);
        let ok = expected
            .get(..8)
            .map(|e| bool::from(e.ct_eq(cksum)))
            .unwrap_or(false);
        if !ok {
            return Err(bad_sig());
        }
        // rest = confounder(8) | data | padding
        let data_pad = rest.get(8..).unwrap_or_default();
        let pad = usize::from(data_pad.last().copied().unwrap_or(0));
        let data_len = data_pad
            .len()
            .checked_sub(pad)
            .filter(|_| (1..=8).contains(&pad))
            .ok_or(AuthError::malformed("rc4-hmac wrap token padding", 0))?;
        let (data, padding) = data_pad.split_at(data_len);
        if padding.iter().any(|b| usize::from(*b) != pad) {
            return Err(AuthError::malformed("rc4-hmac wrap token padding", 0));
        }
        self.recv.check(u64::from(seq))?;
        self.recv.advance(u64::from(seq));
        out.extend_from_slice(data);
        Ok(())
    }
}

/// RFC 4757 section 7.3 checksum of wrap tokens: `HMAC(Ksign, MD5(13 | fixed header (8) |
/// confounder | data | padding))` with `Ksign = HMAC(K, "signaturekey\0")` (the RFC 4757 section
/// 4 keyed checksum with usage 23, translated to 13).
fn rc4_checksum_parts(key: &[u8; 16], fixed: &[u8], rest: &[u8]) -> [u8; 16] {
    rc4hmac_checksum(key, RC4_SEAL_USAGE, &[fixed, rest])
}

/// Parses the RFC 2743 section 3.1 framing `0x60 len OID inner` around an RFC 4757 token and
/// returns the inner token. The declared length must cover exactly the rest of the input.
fn parse_gss_framing(token: &mut [u8]) -> Result<&mut [u8], AuthError> {
    let Some((&tag, rest)) = token.split_first() else {
        return Err(AuthError::truncated("rc4-hmac wrap token", 0, 1));
    };
    if tag != 0x60 {
        return Err(AuthError::malformed("rc4-hmac wrap token framing", 0));
    }
    let Some((&l0, rest)) = rest.split_first() else {
        return Err(AuthError::truncated("rc4-hmac wrap token", 1, 1));
    };
    let (declared, len_len) = if l0 < 0x80 {
        (usize::from(l0), 1usize)
    } else {
        let n = usize::from(l0 & 0x7f);
        if n == 0 || n > 4 {
            return Err(AuthError::malformed("rc4-hmac wrap token length", 1));
        }
        let bytes = rest
            .get(..n)
            .ok_or(AuthError::truncated("rc4-hmac wrap token", 2, n))?;
        let mut v: usize = 0;
        for b in bytes {
            v = v
                .checked_mul(256)
                .and_then(|v| v.checked_add(usize::from(*b)))
                .ok_or(AuthError::malformed("rc4-hmac wrap token length", 1))?;
        }
        (v, n.saturating_add(1))
    };
    let start = len_len.saturating_add(1);
    let total = token.len();
    if total.checked_sub(start) != Some(declared) {
        return Err(AuthError::malformed("rc4-hmac wrap token length", 1));
    }
    let inner =
        token
            .get_mut(start..)
            .ok_or(AuthError::truncated("rc4-hmac wrap token", start, 1))?;
    let (oid, body) = inner
        .split_first_chunk_mut::<11>()
        .ok_or(AuthError::truncated("rc4-hmac wrap token", start, 11))?;
    if *oid != KRB5_OID_TLV {
        return Err(AuthError::malformed(
            "rc4-hmac wrap token mechanism oid",
            start,
        ));
    }
    Ok(body)
}

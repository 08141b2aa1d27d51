//! MS-NLMP cryptographic helpers (section 3.3 and 6) on RustCrypto primitives.

use std::fmt;

use des::Des;
use des::cipher::{BlockCipherEncrypt, KeyInit};
use hmac::{Hmac, Mac};
use md4::{Digest, Md4};
use md5::Md5;

/// An NT hash (NTOWFv1: MD4 of the UTF-16LE password). Secret: `Debug` shows nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct NtHash(pub [u8; 16]);

impl NtHash {
    /// `MD4(UTF-16LE(password))` (MS-NLMP 3.3.1 `NTOWFv1`).
    #[must_use]
    pub fn from_password(password: &str) -> Self {
        let mut h = Md4::new();
        for unit in password.encode_utf16() {
            h.update(unit.to_le_bytes());
        }
        Self(h.finalize().into())
    }
}

impl fmt::Debug for NtHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NtHash(..)")
    }
}

/// A 16-byte key (session base key, exported session key, signing or sealing key). Secret:
/// `Debug` shows nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Key16(pub [u8; 16]);

impl fmt::Debug for Key16 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key16(..)")
    }
}

pub(crate) fn md4(data: &[u8]) -> [u8; 16] {
    Md4::digest(data).into()
}

pub(crate) fn md5(parts: &[&[u8]]) -> [u8; 16] {
    let mut h = Md5::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

pub(crate) fn hmac_md5(key: &[u8], parts: &[&[u8]]) -> [u8; 16] {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let Ok(mut mac) = <Hmac<Md5> as KeyInit>::new_from_slice(key) else {
        return [0; 16];
    };
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// UTF-16LE bytes of a string.
pub(crate) fn utf16le(s: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len().saturating_mul(2));
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

/// Decodes UTF-16LE (lossy for unpaired surrogates); odd trailing byte is ignored.
pub(crate) fn from_utf16le(b: &[u8]) -> String {
    let units = b.chunks_exact(2).map(|c| {
        u16::from_le_bytes([
            c.first().copied().unwrap_or(0),
            c.get(1).copied().unwrap_or(0),
        ])
    });
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// `NTOWFv2(Passwd, User, UserDom)` = `HMAC_MD5(NTOWFv1, UNICODE(Uppercase(User) ‖ UserDom))`
/// over the UTF-16LE bytes as given (`user_utf16`/`domain_utf16` are the fields as sent).
pub(crate) fn ntowfv2_raw(nt: &NtHash, user_utf16: &[u8], domain_utf16: &[u8]) -> [u8; 16] {
    let user = from_utf16le(user_utf16).to_uppercase();
    hmac_md5(&nt.0, &[&utf16le(&user), domain_utf16])
}

/// Expands 7 key bytes to a DES key with (ignored) parity bits.
fn des_key(k7: &[u8; 7]) -> [u8; 8] {
    let [a, b, c, d, e, f, g] = *k7;
    [
        a & 0xfe,
        (a << 7) | (b >> 1),
        (b << 6) | (c >> 2),
        (c << 5) | (d >> 3),
        (d << 4) | (e >> 4),
        (e << 3) | (f >> 5),
        (f << 2) | (g >> 6),
        g << 1,
    ]
}

fn des_encrypt(k7: &[u8; 7], data: &[u8; 8]) -> [u8; 8] {
    let key = des_key(k7);
    let Ok(cipher) = <Des as KeyInit>::new_from_slice(&key) else {
        return [0; 8];
    };
    let mut block = (*data).into();
    cipher.encrypt_block(&mut block);
    block.into()
}

fn take7(k: &[u8], from: usize) -> [u8; 7] {
    let mut out = [0u8; 7];
    for (i, o) in out.iter_mut().enumerate() {
        *o = k.get(from.saturating_add(i)).copied().unwrap_or(0);
    }
    out
}

/// `DESL(K, D)` (MS-NLMP 6): three DES encryptions of `D` with the 16-byte key padded to 21.
pub(crate) fn desl(k: &[u8; 16], d: &[u8; 8]) -> [u8; 24] {
    let mut out = [0u8; 24];
    for (i, chunk) in out.chunks_exact_mut(8).enumerate() {
        let c = des_encrypt(&take7(k, i.saturating_mul(7)), d);
        chunk.copy_from_slice(&c);
    }
    out
}

/// `LMOWFv1(password)` (MS-NLMP 3.3.1): DES of "KGS!@#$%" under the upper-cased, 14-byte OEM
/// password halves.
#[cfg(test)]
pub(crate) fn lmowfv1(password: &str) -> [u8; 16] {
    let mut p = [0u8; 14];
    for (o, c) in p.iter_mut().zip(password.to_uppercase().chars()) {
        *o = u8::try_from(u32::from(c)).unwrap_or(b'?');
    }
    let magic = *b"KGS!@#$%";
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&des_encrypt(&take7(&p, 0), &magic));
    out[8..].copy_from_slice(&des_encrypt(&take7(&p, 7), &magic));
    out
}

/// RC4 (MS-NLMP's `RC4Init`/`RC4`), the state kept across messages of one direction.
///
/// Hand-written rather than the `rc4` crate's, for speed on the one hot path of NTLM session
/// security: a `u32` table (word loads and stores avoid partial-register stalls), slices
/// processed in one tight loop, an out-of-place variant that saves a copy of every WinRM body,
/// and a software-pipelined step: the next `S[i]` is loaded before this step's swap is stored
/// (and corrected in the rare case the swap touched it), which takes the load-after-store
/// latency off the `j` dependency chain — about 2x the straightforward loop. The sealing
/// kernel ([`super::kernel`]) runs the same step interleaved with MD5. Cross-checked against
/// the `rc4` crate in the tests, the MS-NLMP 4.2 known answers and pyspnego.
#[derive(Clone)]
pub(crate) struct Rc4 {
    /// The permutation, one entry per `u32` (like OpenSSL's `RC4_INT`).
    pub(super) s: [u32; 256],
    pub(super) i: u8,
    pub(super) j: u8,
}

impl Rc4 {
    /// Key schedule. An empty key is treated as a single zero byte (never used by NTLM, whose
    /// keys are 5, 8 or 16 bytes).
    #[expect(
        clippy::indexing_slicing,
        reason = "u8 indices into a 256-entry table are always in bounds"
    )]
    pub(crate) fn new(key: &[u8]) -> Self {
        let key: &[u8] = if key.is_empty() { &[0] } else { key };
        let mut s = [0u32; 256];
        for (v, i) in s.iter_mut().zip(0u32..) {
            *v = i;
        }
        let mut j = 0u8;
        for (i, &k) in (0u8..=255).zip(key.iter().cycle()) {
            let si = s[usize::from(i)];
            j = j.wrapping_add(Self::low(si)).wrapping_add(k);
            s.swap(usize::from(i), usize::from(j));
        }
        Self { s, i: 0, j: 0 }
    }

    /// The low byte of a table entry (entries are always below 256).
    #[inline(always)]
    pub(super) const fn low(v: u32) -> u8 {
        v.to_le_bytes()[0]
    }

    /// One pipelined keystream byte. `si` holds S[i + 1], loaded one step early; it is
    /// reloaded here for the next step, and corrected when this step's swap stored to it.
    #[inline(always)]
    #[expect(
        clippy::indexing_slicing,
        reason = "u8 indices into a 256-entry table are always in bounds"
    )]
    pub(super) fn step(s: &mut [u32; 256], i: &mut u8, j: &mut u8, si: &mut u32) -> u8 {
        *i = i.wrapping_add(1);
        *j = j.wrapping_add(Self::low(*si));
        let sj = s[usize::from(*j)];
        let next = i.wrapping_add(1);
        let ahead = s[usize::from(next)];
        s[usize::from(*i)] = sj;
        s[usize::from(*j)] = *si;
        let k = Self::low(s[usize::from(Self::low(si.wrapping_add(sj)))]);
        if next != *j {
            *si = ahead;
        }
        k
    }

    /// S[i + 1], the value [`Self::step`] expects in `si` at the start of a run.
    #[inline(always)]
    #[expect(
        clippy::indexing_slicing,
        reason = "u8 indices into a 256-entry table are always in bounds"
    )]
    pub(super) fn ahead(&self) -> u32 {
        self.s[usize::from(self.i.wrapping_add(1))]
    }

    /// XORs the keystream into `src`, writing `dst` (the shorter of the two sets the length).
    pub(crate) fn apply_to(&mut self, src: &[u8], dst: &mut [u8]) {
        let mut si = self.ahead();
        let (s, mut i, mut j) = (&mut self.s, self.i, self.j);
        for (d, &b) in dst.iter_mut().zip(src) {
            *d = b ^ Self::step(s, &mut i, &mut j, &mut si);
        }
        self.i = i;
        self.j = j;
    }

    /// XORs the keystream into `data`.
    pub(crate) fn apply(&mut self, data: &mut [u8]) {
        let mut si = self.ahead();
        let (s, mut i, mut j) = (&mut self.s, self.i, self.j);
        for d in data {
            *d ^= Self::step(s, &mut i, &mut j, &mut si);
        }
        self.i = i;
        self.j = j;
    }

    /// XORs the keystream into `src`, appending the result to `dst`.
    pub(crate) fn apply_to_vec(&mut self, src: &[u8], dst: &mut Vec<u8>) {
        let start = dst.len();
        dst.resize(start.saturating_add(src.len()), 0);
        self.apply_to(src, dst.get_mut(start..).unwrap_or_default());
    }
}

/// In-place RC4 with a fresh key (`RC4K(K, D)`).
pub(crate) fn rc4k(key: &[u8], data: &mut [u8]) {
    Rc4::new(key).apply(data);
}

/// CRC-32 (IEEE, reflected), used by the NTLMv1 signature without extended session security.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffff_u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    #[test]
    fn ms_nlmp_4_2_owfs() {
        assert_eq!(
            NtHash::from_password("Password").0,
            hex!("a4f49c406510bdcab6824ee7c30fd852")
        );
        assert_eq!(
            lmowfv1("Password"),
            hex!("e52cac67419a9a224a3b108f3fa6cb6d")
        );
        let nt = NtHash::from_password("Password");
        assert_eq!(
            ntowfv2_raw(&nt, &utf16le("User"), &utf16le("Domain")),
            hex!("0c868a403bfd7a93a3001ef22ef02e3f")
        );
        assert_eq!(md4(&nt.0), hex!("d87262b0cde4b1cb7499becccdf10784"));
        assert_eq!(crc32(&utf16le("Plaintext")).to_le_bytes(), hex!("7d84aa93"));
    }

    #[test]
    fn ms_nlmp_4_2_2_ntlmv1_response() {
        // NTLMv1 without ESS: NtChallengeResponse = DESL(NTOWFv1, ServerChallenge).
        let nt = NtHash::from_password("Password");
        assert_eq!(
            desl(&nt.0, &hex!("0123456789abcdef")),
            hex!("67c43011f30298a2ad35ece64f16331c44bdbed927841f94")
        );
    }

    #[test]
    fn rc4_matches_the_rc4_crate() {
        use rc4::{KeyInit, StreamCipher};
        for key in [&b"Key"[..], &[0x55; 16], &[1, 2, 3, 4, 5]] {
            let mut a = [0u8; 1000];
            let mut b = [0u8; 1000];
            let mut ours = Rc4::new(key);
            ours.apply(&mut a[..300]);
            ours.apply(&mut a[300..]);
            let mut theirs = <rc4::Rc4 as KeyInit>::new_from_slice(key).unwrap();
            theirs.apply_keystream(&mut b);
            assert_eq!(a, b);
            let mut v = Vec::new();
            Rc4::new(key).apply_to_vec(&[0; 1000], &mut v);
            assert_eq!(v, b);
        }
        // RFC 6229-style check: key "Key", plaintext "Plaintext".
        let mut p = *b"Plaintext";
        rc4k(b"Key", &mut p);
        assert_eq!(p, hex!("bbf316e8d940af0ad3"));
    }

    #[test]
    fn secrets_are_not_debug_printed() {
        assert_eq!(format!("{:?}", NtHash::from_password("x")), "NtHash(..)");
        assert_eq!(format!("{:?}", Key16([1; 16])), "Key16(..)");
    }
}

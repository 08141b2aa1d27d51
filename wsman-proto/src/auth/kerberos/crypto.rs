//! RFC 3961 simplified profile with the RFC 3962 AES enctypes, and the RFC 4757 RC4-HMAC
//! enctype, on RustCrypto primitives.
//!
//! RFC 3961 section 5.3: `DK(Key, Constant) = random-to-key(DR(Key, Constant))`,
//! `DR(Key, Constant) = k-truncate(E(Key, Constant, initial-cipher-state))` where the constant is
//! first n-folded to the cipher block size and `E` is iterated on its own output until enough
//! bits are produced. Encryption is `E(Ke, confounder | plaintext) | H(Ki, confounder |
//! plaintext)` with `Ke = DK(base, usage | 0xAA)`, `Ki = DK(base, usage | 0x55)`; checksums use
//! `Kc = DK(base, usage | 0x99)`. RFC 3962: `E` is AES in CBC mode with ciphertext stealing
//! (CBC-CS3, zero IV), `H` is HMAC-SHA1 truncated to 96 bits, string-to-key is
//! `DK(random-to-key(PBKDF2-HMAC-SHA1(password, salt, iterations, keylen)), "kerberos")`.

use std::fmt;

use aes::{Aes128, Aes256};
use cipher::{
    Array, BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, InnerIvInit,
    KeyInit, StreamCipher,
};
use hmac::{Hmac, Mac};
use md5::Md5;
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

use crate::auth::{AuthError, Mechanism};

/// AES block size, also the confounder length of the AES enctypes.
pub(crate) const AES_BLOCK: usize = 16;
/// Length of the truncated HMAC-SHA1-96 integrity tag.
pub(crate) const AES_MAC_LEN: usize = 12;
/// Default PBKDF2 iteration count of the AES string-to-key (RFC 3962 section 4).
pub const DEFAULT_AES_ITERATIONS: u32 = 4096;
/// Largest PBKDF2 iteration count accepted from `s2kparams` (bounds the work an input can ask for).
pub const MAX_AES_ITERATIONS: u32 = 1 << 24;

/// A Kerberos encryption type this crate implements.
///
/// The numbers are the IANA Kerberos encryption type numbers (RFC 3961 section 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Enctype {
    /// `aes128-cts-hmac-sha1-96` (17, RFC 3962).
    Aes128CtsHmacSha196,
    /// `aes256-cts-hmac-sha1-96` (18, RFC 3962).
    Aes256CtsHmacSha196,
    /// `rc4-hmac` / `arcfour-hmac-md5` (23, RFC 4757).
    Rc4Hmac,
}

impl Enctype {
    /// The enctype for an IANA number, if implemented (17, 18 or 23).
    #[must_use]
    pub const fn from_number(n: i32) -> Option<Self> {
        match n {
            17 => Some(Self::Aes128CtsHmacSha196),
            18 => Some(Self::Aes256CtsHmacSha196),
            23 => Some(Self::Rc4Hmac),
            _ => None,
        }
    }

    /// The IANA number.
    #[must_use]
    pub const fn number(self) -> i32 {
        match self {
            Self::Aes128CtsHmacSha196 => 17,
            Self::Aes256CtsHmacSha196 => 18,
            Self::Rc4Hmac => 23,
        }
    }

    /// Key length in bytes (16, 32 or 16).
    #[must_use]
    pub const fn key_len(self) -> usize {
        match self {
            Self::Aes128CtsHmacSha196 | Self::Rc4Hmac => 16,
            Self::Aes256CtsHmacSha196 => 32,
        }
    }

    /// The MIT name of the enctype.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Aes128CtsHmacSha196 => "aes128-cts-hmac-sha1-96",
            Self::Aes256CtsHmacSha196 => "aes256-cts-hmac-sha1-96",
            Self::Rc4Hmac => "arcfour-hmac",
        }
    }
}

impl fmt::Display for Enctype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A Kerberos protocol key: an enctype and its key bytes.
///
/// `Debug` shows the enctype only, never the key.
#[derive(Clone, PartialEq, Eq)]
pub struct Key {
    enctype: Enctype,
    bytes: Vec<u8>,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("enctype", &self.enctype)
            .finish_non_exhaustive()
    }
}

impl Key {
    /// A key from its raw bytes.
    ///
    /// # Errors
    /// [`AuthError::Malformed`] when the length is not the enctype's key length.
    pub fn new(enctype: Enctype, bytes: &[u8]) -> Result<Self, AuthError> {
        if bytes.len() != enctype.key_len() {
            return Err(AuthError::malformed("kerberos key length", bytes.len()));
        }
        Ok(Self {
            enctype,
            bytes: bytes.to_vec(),
        })
    }

    /// The enctype.
    #[must_use]
    pub const fn enctype(&self) -> Enctype {
        self.enctype
    }

    /// The raw key bytes (secret).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// RFC 3962 section 4 / RFC 4757 section 4 string-to-key.
    ///
    /// AES: PBKDF2-HMAC-SHA1 with `salt` (usually the realm followed by the principal's name
    /// components) and the iteration count in `params` (4 bytes big-endian; 4096 when `None`),
    /// then `DK(tkey, "kerberos")`. RC4-HMAC: MD4 of the UTF-16LE password (salt and params
    /// ignored).
    ///
    /// # Errors
    /// [`AuthError::Malformed`] when `params` is not 4 bytes, [`AuthError::Limit`] when it asks
    /// for more than [`MAX_AES_ITERATIONS`] iterations (or zero).
    pub fn from_password(
        enctype: Enctype,
        password: &str,
        salt: &[u8],
        params: Option<&[u8]>,
    ) -> Result<Self, AuthError> {
        match enctype {
            Enctype::Rc4Hmac => {
                let mut md4 = md4::Md4::new();
                for unit in password.encode_utf16() {
                    md4.update(unit.to_le_bytes());
                }
                Self::new(enctype, &md4.finalize())
            }
            Enctype::Aes128CtsHmacSha196 | Enctype::Aes256CtsHmacSha196 => {
                let iterations = match params {
                    None => DEFAULT_AES_ITERATIONS,
                    Some(p) => {
                        let arr: [u8; 4] = p
                            .try_into()
                            .map_err(|_| AuthError::malformed("aes s2kparams", p.len()))?;
                        u32::from_be_bytes(arr)
                    }
                };
                if iterations == 0 || iterations > MAX_AES_ITERATIONS {
                    return Err(AuthError::Limit {
                        what: "aes string-to-key iterations",
                        limit: usize::try_from(MAX_AES_ITERATIONS).unwrap_or(usize::MAX),
                    });
                }
                let mut tkey = vec![0u8; enctype.key_len()];
                pbkdf2::pbkdf2_hmac::<Sha1>(password.as_bytes(), salt, iterations, &mut tkey);
                let base = AesBase::new(enctype, &tkey)?;
                let bytes = base.derive(b"kerberos");
                Self::new(enctype, &bytes)
            }
        }
    }

    /// RFC 3961 `encrypt` with an explicit confounder (16 bytes for AES, 8 for RC4-HMAC).
    ///
    /// Appends the ciphertext to `out`.
    ///
    /// # Errors
    /// [`AuthError::Malformed`] when the confounder has the wrong length.
    pub fn encrypt(
        &self,
        usage: u32,
        confounder: &[u8],
        plaintext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), AuthError> {
        match self.enctype {
            Enctype::Rc4Hmac => rc4hmac_encrypt(&self.bytes, usage, confounder, plaintext, out),
            _ => AesUsageKeys::new(self, usage)?.encrypt(confounder, plaintext, out),
        }
    }

    /// RFC 3961 `decrypt`: verifies the integrity tag and appends the plaintext (without the
    /// confounder) to `out`. Nothing is appended on error.
    ///
    /// # Errors
    /// [`AuthError::Truncated`] for a ciphertext shorter than confounder plus tag,
    /// [`AuthError::BadSignature`] when the tag does not verify.
    pub fn decrypt(
        &self,
        usage: u32,
        ciphertext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), AuthError> {
        match self.enctype {
            Enctype::Rc4Hmac => rc4hmac_decrypt(&self.bytes, usage, ciphertext, out),
            _ => {
                let mut scratch = ciphertext.to_vec();
                let plain = AesUsageKeys::new(self, usage)?.decrypt_in_place(&mut scratch)?;
                out.extend_from_slice(plain);
                Ok(())
            }
        }
    }

    /// RFC 3961 `get_mic` keyed checksum: HMAC-SHA1-96 with `Kc` for AES (12 bytes),
    /// HMAC-MD5 (RFC 4757 section 4, 16 bytes) for RC4-HMAC.
    #[must_use]
    pub fn checksum(&self, usage: u32, data: &[u8]) -> Vec<u8> {
        match self.enctype {
            Enctype::Rc4Hmac => rc4hmac_checksum(&self.bytes, usage, &[data]).to_vec(),
            _ => {
                let base = AesBase::from_key(self);
                let kc = base.derive(&usage_constant(usage, 0x99));
                let mut mac = hmac_sha1(&kc);
                mac.update(data);
                let tag = mac.finalize().into_bytes();
                tag.get(..AES_MAC_LEN).unwrap_or_default().to_vec()
            }
        }
    }

    /// RFC 3962 section 3 pseudo-random function (AES only): 16 bytes.
    ///
    /// # Errors
    /// [`AuthError::Unavailable`] for RC4-HMAC (not needed by this crate).
    pub fn prf(&self, input: &[u8]) -> Result<[u8; 16], AuthError> {
        if self.enctype == Enctype::Rc4Hmac {
            return Err(AuthError::Unavailable {
                mechanism: Mechanism::Kerberos,
            });
        }
        let base = AesBase::from_key(self);
        let kprf = base.derive(b"prf");
        let cipher = AesCipher::new(self.enctype, &kprf)?;
        let digest = Sha1::digest(input);
        let mut block = [0u8; AES_BLOCK];
        block.copy_from_slice(digest.get(..AES_BLOCK).unwrap_or(&[0u8; AES_BLOCK]));
        cipher.encrypt_block(&mut block);
        Ok(block)
    }

    /// RFC 6113 section 5.1 `KRB-FX-CF2(self, other, pepper1, pepper2)` (AES only, same enctype).
    ///
    /// # Errors
    /// [`AuthError::Unavailable`] for RC4-HMAC, [`AuthError::Malformed`] for mixed enctypes.
    pub fn cf2(&self, other: &Self, pepper1: &[u8], pepper2: &[u8]) -> Result<Self, AuthError> {
        if self.enctype != other.enctype {
            return Err(AuthError::malformed("cf2 enctypes differ", 0));
        }
        let a = self.prf_plus(pepper1)?;
        let b = other.prf_plus(pepper2)?;
        let bytes: Vec<u8> = a.iter().zip(&b).map(|(x, y)| x ^ y).collect();
        Self::new(self.enctype, &bytes)
    }

    /// RFC 6113 `PRF+`: `PRF(K, 1 | pepper) | PRF(K, 2 | pepper) | ...` truncated to the key length.
    fn prf_plus(&self, pepper: &[u8]) -> Result<Vec<u8>, AuthError> {
        let want = self.enctype.key_len();
        let mut out = Vec::with_capacity(want.saturating_add(AES_BLOCK));
        let mut counter: u8 = 1;
        let mut input = Vec::with_capacity(pepper.len().saturating_add(1));
        while out.len() < want {
            input.clear();
            input.push(counter);
            input.extend_from_slice(pepper);
            out.extend_from_slice(&self.prf(&input)?);
            counter = counter.wrapping_add(1);
        }
        out.truncate(want);
        Ok(out)
    }
}

/// The 5-byte derivation constant `usage (4 bytes big-endian) | kind`.
pub(crate) fn usage_constant(usage: u32, kind: u8) -> [u8; 5] {
    let u = usage.to_be_bytes();
    [u[0], u[1], u[2], u[3], kind]
}

pub(crate) type HmacSha1 = Hmac<Sha1>;
type HmacMd5 = Hmac<Md5>;

/// HMAC-SHA1 keyed with `key` (HMAC accepts any key length).
pub(crate) fn hmac_sha1(key: &[u8]) -> HmacSha1 {
    match <HmacSha1 as KeyInit>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => unreachable_hmac(),
    }
}

fn hmac_md5(key: &[u8]) -> HmacMd5 {
    match <HmacMd5 as KeyInit>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => unreachable_hmac(),
    }
}

#[expect(
    clippy::panic,
    reason = "invariant: HMAC accepts keys of every length, new_from_slice cannot fail"
)]
#[cold]
fn unreachable_hmac() -> ! {
    panic!("HMAC rejected a key although it accepts every length")
}

/// HMAC-MD5(key, data) as 16 bytes.
pub(crate) fn hmac_md5_of(key: &[u8], parts: &[&[u8]]) -> [u8; 16] {
    let mut mac = hmac_md5(key);
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// An AES block cipher of either key size, with both key schedules.
#[derive(Clone)]
pub(crate) enum AesCipher {
    A128(Box<Aes128>),
    A256(Box<Aes256>),
}

impl AesCipher {
    pub(crate) fn new(enctype: Enctype, key: &[u8]) -> Result<Self, AuthError> {
        let bad = |_| AuthError::malformed("aes key length", key.len());
        match enctype {
            Enctype::Aes128CtsHmacSha196 => Ok(Self::A128(Box::new(
                <Aes128 as KeyInit>::new_from_slice(key).map_err(bad)?,
            ))),
            Enctype::Aes256CtsHmacSha196 => Ok(Self::A256(Box::new(
                <Aes256 as KeyInit>::new_from_slice(key).map_err(bad)?,
            ))),
            Enctype::Rc4Hmac => Err(AuthError::malformed("aes key for rc4 enctype", 0)),
        }
    }

    pub(crate) fn encrypt_block(&self, block: &mut [u8; AES_BLOCK]) {
        let b: &mut Array<u8, cipher::consts::U16> = block.into();
        match self {
            Self::A128(c) => c.encrypt_block(b),
            Self::A256(c) => c.encrypt_block(b),
        }
    }

    fn decrypt_block(&self, block: &mut [u8; AES_BLOCK]) {
        let b: &mut Array<u8, cipher::consts::U16> = block.into();
        match self {
            Self::A128(c) => c.decrypt_block(b),
            Self::A256(c) => c.decrypt_block(b),
        }
    }

    /// AES-CBC-CS3 encryption in place with a zero IV (RFC 3962 section 5), `buf.len() >= 16`.
    ///
    /// For one block this is plain AES; for more, CBC over the zero-padded input with the last
    /// two ciphertext blocks swapped and the final one truncated to the input length.
    pub(crate) fn cts_encrypt(&self, buf: &mut [u8]) -> Result<(), AuthError> {
        let n = buf.len();
        if n < AES_BLOCK {
            return Err(AuthError::truncated("aes-cts input", 0, AES_BLOCK));
        }
        // Number of blocks (the last may be partial) and where the last two start.
        let blocks = n.div_ceil(AES_BLOCK);
        let mut prev = [0u8; AES_BLOCK];
        if blocks == 1 {
            let blk = first_block_mut(buf)?;
            self.encrypt_block(blk);
            return Ok(());
        }
        let penult_start = blocks.saturating_sub(2).saturating_mul(AES_BLOCK);
        let (head, tail) = buf.split_at_mut(penult_start);
        self.cbc_encrypt_zero_iv(head)?;
        if let Some(last) = head.last_chunk::<AES_BLOCK>() {
            prev = *last;
        }
        // tail = P(n-1) (16 bytes) | P(n) (r bytes, 1..=16)
        let (pn1, pn) = tail.split_at_mut(AES_BLOCK);
        let r = pn.len();
        let mut cn1 = [0u8; AES_BLOCK];
        cn1.copy_from_slice(pn1);
        xor_in_place(&mut cn1, &prev);
        self.encrypt_block(&mut cn1);
        let mut cn = [0u8; AES_BLOCK];
        if let Some(dst) = cn.get_mut(..r) {
            dst.copy_from_slice(pn);
        }
        xor_in_place(&mut cn, &cn1);
        self.encrypt_block(&mut cn);
        pn1.copy_from_slice(&cn);
        if let Some(src) = cn1.get(..r) {
            pn.copy_from_slice(src);
        }
        Ok(())
    }

    /// AES-CBC-CS3 decryption in place with a zero IV, `buf.len() >= 16`.
    pub(crate) fn cts_decrypt(&self, buf: &mut [u8]) -> Result<(), AuthError> {
        let n = buf.len();
        if n < AES_BLOCK {
            return Err(AuthError::truncated("aes-cts input", 0, AES_BLOCK));
        }
        let blocks = n.div_ceil(AES_BLOCK);
        if blocks == 1 {
            let blk = first_block_mut(buf)?;
            self.decrypt_block(blk);
            return Ok(());
        }
        let penult_start = blocks.saturating_sub(2).saturating_mul(AES_BLOCK);
        // The ciphertext block before the last two (IV for them), saved before the head is
        // decrypted in place.
        let mut prev = [0u8; AES_BLOCK];
        if penult_start >= AES_BLOCK {
            let start = penult_start.saturating_sub(AES_BLOCK);
            if let Some(src) = buf.get(start..penult_start) {
                prev.copy_from_slice(src);
            }
        }
        let (head, tail) = buf.split_at_mut(penult_start);
        self.cbc_decrypt_zero_iv(head)?;
        let (cn1_swapped, cn_part) = tail.split_at_mut(AES_BLOCK);
        let r = cn_part.len();
        // cn1_swapped holds C(n) (full); cn_part holds the first r bytes of C(n-1).
        let mut dn = [0u8; AES_BLOCK];
        dn.copy_from_slice(cn1_swapped);
        self.decrypt_block(&mut dn);
        // Dn = D(Cn) = (Pn | 0) ^ C(n-1); rebuild full C(n-1) from cn_part and Dn's tail.
        let mut cn1 = dn;
        if let Some(dst) = cn1.get_mut(..r) {
            dst.copy_from_slice(cn_part);
        }
        // Pn = first r bytes of Dn ^ C(n-1)
        let mut pn = dn;
        xor_in_place(&mut pn, &cn1);
        let mut pn1 = cn1;
        self.decrypt_block(&mut pn1);
        xor_in_place(&mut pn1, &prev);
        cn1_swapped.copy_from_slice(&pn1);
        if let Some(src) = pn.get(..r) {
            cn_part.copy_from_slice(src);
        }
        Ok(())
    }

    /// CBC encryption with a zero IV of whole blocks, in place (one call into the cipher
    /// backend for all blocks).
    fn cbc_encrypt_zero_iv(&self, buf: &mut [u8]) -> Result<(), AuthError> {
        let len = buf.len();
        let (blocks, rest) = Array::<u8, cipher::consts::U16>::slice_as_chunks_mut(buf);
        if !rest.is_empty() {
            return Err(AuthError::malformed("aes-cbc partial block", len));
        }
        let iv = Array::default();
        match self {
            Self::A128(c) => {
                cbc::Encryptor::<Aes128>::inner_iv_init((**c).clone(), &iv).encrypt_blocks(blocks);
            }
            Self::A256(c) => {
                cbc::Encryptor::<Aes256>::inner_iv_init((**c).clone(), &iv).encrypt_blocks(blocks);
            }
        }
        Ok(())
    }

    /// CBC decryption with a zero IV of whole blocks, in place (parallel block decryption).
    fn cbc_decrypt_zero_iv(&self, buf: &mut [u8]) -> Result<(), AuthError> {
        let len = buf.len();
        let (blocks, rest) = Array::<u8, cipher::consts::U16>::slice_as_chunks_mut(buf);
        if !rest.is_empty() {
            return Err(AuthError::malformed("aes-cbc partial block", len));
        }
        let iv = Array::default();
        match self {
            Self::A128(c) => {
                cbc::Decryptor::<Aes128>::inner_iv_init((**c).clone(), &iv).decrypt_blocks(blocks);
            }
            Self::A256(c) => {
                cbc::Decryptor::<Aes256>::inner_iv_init((**c).clone(), &iv).decrypt_blocks(blocks);
            }
        }
        Ok(())
    }
}

fn first_block_mut(buf: &mut [u8]) -> Result<&mut [u8; AES_BLOCK], AuthError> {
    buf.first_chunk_mut::<AES_BLOCK>()
        .ok_or(AuthError::truncated("aes block", 0, AES_BLOCK))
}

fn xor_in_place(a: &mut [u8; AES_BLOCK], b: &[u8; AES_BLOCK]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x ^= y;
    }
}

/// RFC 3961 section 5.1 n-fold: folds `input` to `out.len()` bytes.
///
/// The input is replicated `lcm(in, out) / in` times, each copy rotated right by 13 bits more
/// than the previous, and the result is added in `out.len()`-byte chunks with one's-complement
/// addition (computed byte by byte from the end, as MIT krb5 does).
pub(crate) fn n_fold(input: &[u8], out: &mut [u8]) {
    let inlen = input.len();
    let outlen = out.len();
    out.fill(0);
    if inlen == 0 || outlen == 0 {
        return;
    }
    let inbits = inlen.saturating_mul(8);
    let lcm = lcm(inlen, outlen);
    let mut acc: u32 = 0;
    let mut i = lcm;
    while i > 0 {
        i = i.saturating_sub(1);
        // The bit of the input that becomes the most significant bit of output byte i.
        let msbit = rem(
            inbits
                .saturating_sub(1)
                .saturating_add(inbits.saturating_add(13).saturating_mul(div(i, inlen)))
                .saturating_add(inlen.saturating_sub(rem(i, inlen)).saturating_mul(8)),
            inbits,
        );
        let hi_idx = rem(
            inlen
                .saturating_sub(1)
                .saturating_add(inlen)
                .saturating_sub(msbit >> 3),
            inlen,
        );
        let lo_idx = rem(
            inlen.saturating_add(inlen).saturating_sub(msbit >> 3),
            inlen,
        );
        let hi = u32::from(input.get(hi_idx).copied().unwrap_or(0));
        let lo = u32::from(input.get(lo_idx).copied().unwrap_or(0));
        let shift = u32::try_from((msbit & 7).saturating_add(1)).unwrap_or(8);
        acc = acc.saturating_add((((hi << 8) | lo) >> shift) & 0xff);
        if let Some(o) = out.get_mut(rem(i, outlen)) {
            acc = acc.saturating_add(u32::from(*o));
            *o = acc.to_le_bytes()[0];
        }
        acc >>= 8;
    }
    // End-around carry.
    if acc != 0 {
        for o in out.iter_mut().rev() {
            acc = acc.saturating_add(u32::from(*o));
            *o = acc.to_le_bytes()[0];
            acc >>= 8;
        }
    }
}

/// `a % b`, 0 when `b` is 0.
fn rem(a: usize, b: usize) -> usize {
    a.checked_rem(b).unwrap_or(0)
}

/// `a / b`, 0 when `b` is 0.
fn div(a: usize, b: usize) -> usize {
    a.checked_div(b).unwrap_or(0)
}

fn gcd(mut a: usize, mut b: usize) -> usize {
    while b != 0 {
        let t = rem(a, b);
        a = b;
        b = t;
    }
    a
}

fn lcm(a: usize, b: usize) -> usize {
    div(a, gcd(a, b)).saturating_mul(b)
}

/// A base AES protocol key from which usage keys are derived (RFC 3961 `DK`).
pub(crate) struct AesBase {
    enctype: Enctype,
    cipher: AesCipher,
}

impl AesBase {
    pub(crate) fn new(enctype: Enctype, key: &[u8]) -> Result<Self, AuthError> {
        Ok(Self {
            enctype,
            cipher: AesCipher::new(enctype, key)?,
        })
    }

    fn from_key(key: &Key) -> Self {
        match AesCipher::new(key.enctype, &key.bytes) {
            Ok(cipher) => Self {
                enctype: key.enctype,
                cipher,
            },
            Err(_) => unreachable_key(),
        }
    }

    /// `DK(base, constant)`: n-fold the constant to 16 bytes, then encrypt repeatedly.
    pub(crate) fn derive(&self, constant: &[u8]) -> Vec<u8> {
        let want = self.enctype.key_len();
        let mut block = [0u8; AES_BLOCK];
        n_fold(constant, &mut block);
        let mut out = Vec::with_capacity(want.saturating_add(AES_BLOCK));
        while out.len() < want {
            self.cipher.encrypt_block(&mut block);
            out.extend_from_slice(&block);
        }
        out.truncate(want);
        out
    }
}

#[expect(
    clippy::panic,
    reason = "invariant: a Key always holds bytes of its enctype's key length"
)]
#[cold]
fn unreachable_key() -> ! {
    panic!("Key holds bytes of the wrong length for its enctype")
}

/// The derived encryption and integrity keys of one key usage (cached per session).
#[derive(Clone)]
pub(crate) struct AesUsageKeys {
    ke: AesCipher,
    ki: HmacSha1,
}

impl AesUsageKeys {
    pub(crate) fn new(key: &Key, usage: u32) -> Result<Self, AuthError> {
        let base = AesBase::new(key.enctype, &key.bytes)?;
        let ke = base.derive(&usage_constant(usage, 0xAA));
        let ki = base.derive(&usage_constant(usage, 0x55));
        Ok(Self {
            ke: AesCipher::new(key.enctype, &ke)?,
            ki: hmac_sha1(&ki),
        })
    }

    /// Encrypts `confounder | plaintext` and appends `ciphertext | tag` to `out`.
    fn encrypt(
        &self,
        confounder: &[u8],
        plaintext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), AuthError> {
        if confounder.len() != AES_BLOCK {
            return Err(AuthError::malformed(
                "aes confounder length",
                confounder.len(),
            ));
        }
        let start = out.len();
        out.extend_from_slice(confounder);
        out.extend_from_slice(plaintext);
        self.seal_in_place(out, start)
    }

    /// `buf[start..]` holds `confounder | plaintext`: encrypts it in place and appends the tag.
    pub(crate) fn seal_in_place(&self, buf: &mut Vec<u8>, start: usize) -> Result<(), AuthError> {
        let region = buf
            .get_mut(start..)
            .ok_or(AuthError::malformed("aes seal offset", start))?;
        let mut mac = self.ki.clone();
        mac.update(region);
        let tag = mac.finalize().into_bytes();
        self.ke.cts_encrypt(region)?;
        buf.extend_from_slice(tag.get(..AES_MAC_LEN).unwrap_or_default());
        Ok(())
    }

    /// Decrypts `ciphertext | tag` in place; returns the plaintext after the confounder.
    pub(crate) fn decrypt_in_place<'a>(&self, buf: &'a mut [u8]) -> Result<&'a [u8], AuthError> {
        let n = buf.len();
        let min = AES_BLOCK.saturating_add(AES_MAC_LEN);
        if n < min {
            return Err(AuthError::truncated("aes ciphertext", 0, min));
        }
        let (body, tag) = buf.split_at_mut(n.saturating_sub(AES_MAC_LEN));
        self.ke.cts_decrypt(body)?;
        let mut mac = self.ki.clone();
        mac.update(body);
        let expected = mac.finalize().into_bytes();
        let ok = expected
            .get(..AES_MAC_LEN)
            .map(|e| bool::from(e.ct_eq(tag)))
            .unwrap_or(false);
        if !ok {
            return Err(AuthError::BadSignature {
                mechanism: Mechanism::Kerberos,
            });
        }
        Ok(body.get(AES_BLOCK..).unwrap_or_default())
    }
}

/// RFC 4757 section 3 key usage translation for RC4-HMAC (`3 -> 8`, `23 -> 13`), as MIT krb5.
const fn rc4_usage(usage: u32) -> u32 {
    match usage {
        3 => 8,
        23 => 13,
        u => u,
    }
}

/// RFC 4757 section 4 checksum (HMAC-MD5 with `Ksign = HMAC(K, "signaturekey\0")`).
pub(crate) fn rc4hmac_checksum(key: &[u8], usage: u32, data: &[&[u8]]) -> [u8; 16] {
    let ksign = hmac_md5_of(key, &[b"signaturekey\0"]);
    let mut md5 = Md5::new();
    md5.update(rc4_usage(usage).to_le_bytes());
    for part in data {
        md5.update(part);
    }
    let tmp = md5.finalize();
    hmac_md5_of(&ksign, &[&tmp])
}

/// RC4 keystream applied in place.
pub(crate) fn rc4_apply(key: &[u8], parts: &mut [&mut [u8]]) {
    if let Ok(mut rc4) = <rc4::Rc4 as KeyInit>::new_from_slice(key) {
        for p in parts.iter_mut() {
            rc4.apply_keystream(p);
        }
    }
}

/// RFC 4757 section 5 encryption: `checksum(16) | RC4(K3, confounder(8) | plaintext)`.
fn rc4hmac_encrypt(
    key: &[u8],
    usage: u32,
    confounder: &[u8],
    plaintext: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), AuthError> {
    if confounder.len() != 8 {
        return Err(AuthError::malformed(
            "rc4-hmac confounder length",
            confounder.len(),
        ));
    }
    let k1 = hmac_md5_of(key, &[&rc4_usage(usage).to_le_bytes()]);
    let cksum = hmac_md5_of(&k1, &[confounder, plaintext]);
    let k3 = hmac_md5_of(&k1, &[&cksum]);
    out.extend_from_slice(&cksum);
    let start = out.len();
    out.extend_from_slice(confounder);
    out.extend_from_slice(plaintext);
    if let Some(region) = out.get_mut(start..) {
        rc4_apply(&k3, &mut [region]);
    }
    Ok(())
}

fn rc4hmac_decrypt(
    key: &[u8],
    usage: u32,
    ciphertext: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), AuthError> {
    let Some((cksum, rest)) = ciphertext.split_first_chunk::<16>() else {
        return Err(AuthError::truncated("rc4-hmac ciphertext", 0, 24));
    };
    if rest.len() < 8 {
        return Err(AuthError::truncated("rc4-hmac ciphertext", 16, 8));
    }
    let k1 = hmac_md5_of(key, &[&rc4_usage(usage).to_le_bytes()]);
    let k3 = hmac_md5_of(&k1, &[cksum]);
    let mut plain = rest.to_vec();
    rc4_apply(&k3, &mut [&mut plain]);
    let expected = hmac_md5_of(&k1, &[&plain]);
    if !bool::from(expected.ct_eq(cksum)) {
        return Err(AuthError::BadSignature {
            mechanism: Mechanism::Kerberos,
        });
    }
    out.extend_from_slice(plain.get(8..).unwrap_or_default());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 3961 appendix A.1 n-fold vectors.
    #[test]
    fn n_fold_rfc3961_a1() {
        let cases: &[(&[u8], usize, &str)] = &[
            (b"012345", 8, "be072631276b1955"),
            (b"password", 7, "78a07b6caf85fa"),
            (b"Rough Consensus, and Running Code", 8, "bb6ed30870b7f0e0"),
            (
                b"password",
                21,
                "59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e",
            ),
            (
                b"MASSACHVSETTS INSTITVTE OF TECHNOLOGY",
                24,
                "db3b0d8f0b061e603282b308a50841229ad798fab9540c1b",
            ),
            (b"Q", 21, "518a54a215a8452a518a54a215a8452a518a54a215"),
            (b"ba", 21, "fb25d531ae8974499f52fd92ea9857c4ba24cf297e"),
            (b"kerberos", 8, "6b65726265726f73"),
            (b"kerberos", 16, "6b65726265726f737b9b5b2b93132b93"),
            (
                b"kerberos",
                32,
                "6b65726265726f737b9b5b2b93132b935c9bdcdad95c9899c4cae4dee6d6cae4",
            ),
        ];
        for (input, len, want) in cases {
            let mut out = vec![0u8; *len];
            n_fold(input, &mut out);
            assert_eq!(hex::encode(&out), *want, "n-fold({:?}, {len})", input);
        }
    }

    /// RFC 3962 appendix B: raw AES-CBC-CS3 vectors from the shared corpus.
    #[test]
    fn cts_rfc3962_appendix_b() {
        let json: serde_json::Value = serde_json::from_slice(&testkit::shared::read_shared(
            "corpus/kerberos/crypto-known-answer-vectors.json",
        ))
        .unwrap();
        let set = &json["rfc3962_appendix_b_aes128_cts"];
        let key = hex::decode(set["key_hex"].as_str().unwrap()).unwrap();
        let cipher = AesCipher::new(Enctype::Aes128CtsHmacSha196, &key).unwrap();
        let vectors = set["vectors"].as_array().unwrap();
        assert_eq!(vectors.len(), 6);
        for v in vectors {
            let plain = hex::decode(v["plaintext_hex"].as_str().unwrap()).unwrap();
            let want = v["ciphertext"].as_str().unwrap();
            let mut buf = plain.clone();
            cipher.cts_encrypt(&mut buf).unwrap();
            assert_eq!(hex::encode(&buf), want, "encrypt {} bytes", plain.len());
            cipher.cts_decrypt(&mut buf).unwrap();
            assert_eq!(buf, plain, "decrypt {} bytes", plain.len());
        }
    }

    #[test]
    fn cts_round_trips_every_length() {
        let cipher = AesCipher::new(Enctype::Aes256CtsHmacSha196, &[9; 32]).unwrap();
        for len in 16u8..100 {
            let plain: Vec<u8> = (0..len)
                .map(|i| i.wrapping_mul(7).wrapping_add(3))
                .collect();
            let mut buf = plain.clone();
            cipher.cts_encrypt(&mut buf).unwrap();
            assert_ne!(buf, plain);
            cipher.cts_decrypt(&mut buf).unwrap();
            assert_eq!(buf, plain, "{len}");
        }
        assert!(cipher.cts_encrypt(&mut [0u8; 15]).is_err());
    }

    #[test]
    fn key_debug_hides_bytes() {
        let k = Key::new(Enctype::Rc4Hmac, &[0xAB; 16]).unwrap();
        let d = format!("{k:?}");
        assert!(!d.contains("171") && !d.to_lowercase().contains("ab, "));
        assert!(d.contains("Rc4Hmac"));
    }
}

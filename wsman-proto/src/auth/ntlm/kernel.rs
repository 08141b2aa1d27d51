//! The NTLM sealing kernel: HMAC-MD5 and RC4 over one message in a single pass.
//!
//! With extended session security, every WinRM body costs an HMAC-MD5 over
//! `SeqNum ‖ Message` and an RC4 pass over the message (MS-NLMP 3.4.4.2, 3.4.3). Both are
//! serial: MD5 is bound by the latency of its 64-step dependency chain, RC4 by the latency of
//! its `j` chain through the permutation. Run one after the other, a core sits mostly idle; run
//! interleaved — one MD5 step, then one RC4 byte, 64 times per block — the two chains overlap
//! and the pair costs about as much as MD5 alone (see `benches/auth.rs`). No library offers
//! that fusion, so this module writes the MD5 compression function itself (RFC 1321, the
//! round functions in their usual three-operation forms) and drives the RC4 state of
//! [`Rc4`]. Everything else in NTLM uses the RustCrypto `md-5`/`hmac` crates, and the tests
//! check this kernel against them and against the `rc4` crate for every length around the
//! block boundaries.
//!
//! Both entry points append exactly `input.len()` bytes to `out` and return the full 16-byte
//! HMAC; the caller truncates it to the 8-byte checksum and seals that with the same RC4
//! state, as the specification orders.

use super::crypto::Rc4;

/// MD5's initial chaining value (RFC 1321 3.3).
const INIT: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];

/// Bytes per MD5 block and per fused RC4 chunk.
const BLOCK: usize = 64;

/// The MD5 chaining value of one running hash.
#[derive(Clone, Copy)]
struct Md5 {
    state: [u32; 4],
    /// Bytes compressed so far (whole blocks).
    len: u64,
}

/// One MD5 step: `w = x + ((w + f(x, y, z) + m + c) <<< s)`.
macro_rules! step {
    (F, $w:ident, $x:ident, $y:ident, $z:ident, $m:expr, $c:expr, $s:expr) => {
        $w = $w
            .wrapping_add($m)
            .wrapping_add($c)
            .wrapping_add($z ^ ($x & ($y ^ $z)))
            .rotate_left($s)
            .wrapping_add($x)
    };
    (G, $w:ident, $x:ident, $y:ident, $z:ident, $m:expr, $c:expr, $s:expr) => {
        // (x & z) | (y & !z): the two terms never share a bit, so `+` may replace `|`, which
        // lets the part that does not depend on `x` be added early.
        $w = $w
            .wrapping_add($m)
            .wrapping_add($c)
            .wrapping_add($y & !$z)
            .wrapping_add($x & $z)
            .rotate_left($s)
            .wrapping_add($x)
    };
    (H, $w:ident, $x:ident, $y:ident, $z:ident, $m:expr, $c:expr, $s:expr) => {
        $w = $w
            .wrapping_add($m)
            .wrapping_add($c)
            .wrapping_add($x ^ ($y ^ $z))
            .rotate_left($s)
            .wrapping_add($x)
    };
    (I, $w:ident, $x:ident, $y:ident, $z:ident, $m:expr, $c:expr, $s:expr) => {
        $w = $w
            .wrapping_add($m)
            .wrapping_add($c)
            .wrapping_add($y ^ ($x | !$z))
            .rotate_left($s)
            .wrapping_add($x)
    };
}

/// The 64 steps of the MD5 compression function (RFC 1321 3.4) on the words `$m` and the
/// chaining variables `$a..$d`, calling `$after!(k)` after step `k` (the hook the fused kernel
/// uses to interleave one RC4 byte per step).
macro_rules! md5_rounds {
    ($a:ident, $b:ident, $c:ident, $d:ident, $m:ident, $after:ident) => {
        step!(F, $a, $b, $c, $d, $m[0], 0xd76a_a478, 7);
        $after!(0);
        step!(F, $d, $a, $b, $c, $m[1], 0xe8c7_b756, 12);
        $after!(1);
        step!(F, $c, $d, $a, $b, $m[2], 0x2420_70db, 17);
        $after!(2);
        step!(F, $b, $c, $d, $a, $m[3], 0xc1bd_ceee, 22);
        $after!(3);
        step!(F, $a, $b, $c, $d, $m[4], 0xf57c_0faf, 7);
        $after!(4);
        step!(F, $d, $a, $b, $c, $m[5], 0x4787_c62a, 12);
        $after!(5);
        step!(F, $c, $d, $a, $b, $m[6], 0xa830_4613, 17);
        $after!(6);
        step!(F, $b, $c, $d, $a, $m[7], 0xfd46_9501, 22);
        $after!(7);
        step!(F, $a, $b, $c, $d, $m[8], 0x6980_98d8, 7);
        $after!(8);
        step!(F, $d, $a, $b, $c, $m[9], 0x8b44_f7af, 12);
        $after!(9);
        step!(F, $c, $d, $a, $b, $m[10], 0xffff_5bb1, 17);
        $after!(10);
        step!(F, $b, $c, $d, $a, $m[11], 0x895c_d7be, 22);
        $after!(11);
        step!(F, $a, $b, $c, $d, $m[12], 0x6b90_1122, 7);
        $after!(12);
        step!(F, $d, $a, $b, $c, $m[13], 0xfd98_7193, 12);
        $after!(13);
        step!(F, $c, $d, $a, $b, $m[14], 0xa679_438e, 17);
        $after!(14);
        step!(F, $b, $c, $d, $a, $m[15], 0x49b4_0821, 22);
        $after!(15);

        step!(G, $a, $b, $c, $d, $m[1], 0xf61e_2562, 5);
        $after!(16);
        step!(G, $d, $a, $b, $c, $m[6], 0xc040_b340, 9);
        $after!(17);
        step!(G, $c, $d, $a, $b, $m[11], 0x265e_5a51, 14);
        $after!(18);
        step!(G, $b, $c, $d, $a, $m[0], 0xe9b6_c7aa, 20);
        $after!(19);
        step!(G, $a, $b, $c, $d, $m[5], 0xd62f_105d, 5);
        $after!(20);
        step!(G, $d, $a, $b, $c, $m[10], 0x0244_1453, 9);
        $after!(21);
        step!(G, $c, $d, $a, $b, $m[15], 0xd8a1_e681, 14);
        $after!(22);
        step!(G, $b, $c, $d, $a, $m[4], 0xe7d3_fbc8, 20);
        $after!(23);
        step!(G, $a, $b, $c, $d, $m[9], 0x21e1_cde6, 5);
        $after!(24);
        step!(G, $d, $a, $b, $c, $m[14], 0xc337_07d6, 9);
        $after!(25);
        step!(G, $c, $d, $a, $b, $m[3], 0xf4d5_0d87, 14);
        $after!(26);
        step!(G, $b, $c, $d, $a, $m[8], 0x455a_14ed, 20);
        $after!(27);
        step!(G, $a, $b, $c, $d, $m[13], 0xa9e3_e905, 5);
        $after!(28);
        step!(G, $d, $a, $b, $c, $m[2], 0xfcef_a3f8, 9);
        $after!(29);
        step!(G, $c, $d, $a, $b, $m[7], 0x676f_02d9, 14);
        $after!(30);
        step!(G, $b, $c, $d, $a, $m[12], 0x8d2a_4c8a, 20);
        $after!(31);

        step!(H, $a, $b, $c, $d, $m[5], 0xfffa_3942, 4);
        $after!(32);
        step!(H, $d, $a, $b, $c, $m[8], 0x8771_f681, 11);
        $after!(33);
        step!(H, $c, $d, $a, $b, $m[11], 0x6d9d_6122, 16);
        $after!(34);
        step!(H, $b, $c, $d, $a, $m[14], 0xfde5_380c, 23);
        $after!(35);
        step!(H, $a, $b, $c, $d, $m[1], 0xa4be_ea44, 4);
        $after!(36);
        step!(H, $d, $a, $b, $c, $m[4], 0x4bde_cfa9, 11);
        $after!(37);
        step!(H, $c, $d, $a, $b, $m[7], 0xf6bb_4b60, 16);
        $after!(38);
        step!(H, $b, $c, $d, $a, $m[10], 0xbebf_bc70, 23);
        $after!(39);
        step!(H, $a, $b, $c, $d, $m[13], 0x289b_7ec6, 4);
        $after!(40);
        step!(H, $d, $a, $b, $c, $m[0], 0xeaa1_27fa, 11);
        $after!(41);
        step!(H, $c, $d, $a, $b, $m[3], 0xd4ef_3085, 16);
        $after!(42);
        step!(H, $b, $c, $d, $a, $m[6], 0x0488_1d05, 23);
        $after!(43);
        step!(H, $a, $b, $c, $d, $m[9], 0xd9d4_d039, 4);
        $after!(44);
        step!(H, $d, $a, $b, $c, $m[12], 0xe6db_99e5, 11);
        $after!(45);
        step!(H, $c, $d, $a, $b, $m[15], 0x1fa2_7cf8, 16);
        $after!(46);
        step!(H, $b, $c, $d, $a, $m[2], 0xc4ac_5665, 23);
        $after!(47);

        step!(I, $a, $b, $c, $d, $m[0], 0xf429_2244, 6);
        $after!(48);
        step!(I, $d, $a, $b, $c, $m[7], 0x432a_ff97, 10);
        $after!(49);
        step!(I, $c, $d, $a, $b, $m[14], 0xab94_23a7, 15);
        $after!(50);
        step!(I, $b, $c, $d, $a, $m[5], 0xfc93_a039, 21);
        $after!(51);
        step!(I, $a, $b, $c, $d, $m[12], 0x655b_59c3, 6);
        $after!(52);
        step!(I, $d, $a, $b, $c, $m[3], 0x8f0c_cc92, 10);
        $after!(53);
        step!(I, $c, $d, $a, $b, $m[10], 0xffef_f47d, 15);
        $after!(54);
        step!(I, $b, $c, $d, $a, $m[1], 0x8584_5dd1, 21);
        $after!(55);
        step!(I, $a, $b, $c, $d, $m[8], 0x6fa8_7e4f, 6);
        $after!(56);
        step!(I, $d, $a, $b, $c, $m[15], 0xfe2c_e6e0, 10);
        $after!(57);
        step!(I, $c, $d, $a, $b, $m[6], 0xa301_4314, 15);
        $after!(58);
        step!(I, $b, $c, $d, $a, $m[13], 0x4e08_11a1, 21);
        $after!(59);
        step!(I, $a, $b, $c, $d, $m[4], 0xf753_7e82, 6);
        $after!(60);
        step!(I, $d, $a, $b, $c, $m[11], 0xbd3a_f235, 10);
        $after!(61);
        step!(I, $c, $d, $a, $b, $m[2], 0x2ad7_d2bb, 15);
        $after!(62);
        step!(I, $b, $c, $d, $a, $m[9], 0xeb86_d391, 21);
        $after!(63);
    };
}

/// The sixteen little-endian words of a block.
#[inline(always)]
fn words(block: &[u8; BLOCK]) -> [u32; 16] {
    let mut m = [0u32; 16];
    for (w, c) in m.iter_mut().zip(block.chunks_exact(4)) {
        *w = u32::from_le_bytes([
            c.first().copied().unwrap_or(0),
            c.get(1).copied().unwrap_or(0),
            c.get(2).copied().unwrap_or(0),
            c.get(3).copied().unwrap_or(0),
        ]);
    }
    m
}

impl Md5 {
    const fn new() -> Self {
        Self {
            state: INIT,
            len: 0,
        }
    }

    /// Compresses one block.
    fn compress(&mut self, block: &[u8; BLOCK]) {
        macro_rules! nothing {
            ($k:expr) => {};
        }
        let m = words(block);
        let [mut a, mut b, mut c, mut d] = self.state;
        md5_rounds!(a, b, c, d, m, nothing);
        self.add(a, b, c, d);
    }

    /// Compresses `block` while XORing 64 keystream bytes of `rc4` into `src`, written to
    /// `dst`: one RC4 byte after each MD5 step.
    #[inline(always)]
    fn compress_rc4(
        &mut self,
        block: &[u8; BLOCK],
        rc4: &mut Rc4,
        src: &[u8; BLOCK],
        dst: &mut [u8; BLOCK],
    ) {
        let m = words(block);
        let [mut a, mut b, mut c, mut d] = self.state;
        let mut si = rc4.ahead();
        let (s, mut i, mut j) = (&mut rc4.s, rc4.i, rc4.j);
        macro_rules! rc4_byte {
            ($k:expr) => {
                dst[$k] = src[$k] ^ Rc4::step(s, &mut i, &mut j, &mut si);
            };
        }
        md5_rounds!(a, b, c, d, m, rc4_byte);
        rc4.i = i;
        rc4.j = j;
        self.add(a, b, c, d);
    }

    #[inline(always)]
    fn add(&mut self, a: u32, b: u32, c: u32, d: u32) {
        let [sa, sb, sc, sd] = &mut self.state;
        *sa = sa.wrapping_add(a);
        *sb = sb.wrapping_add(b);
        *sc = sc.wrapping_add(c);
        *sd = sd.wrapping_add(d);
        self.len = self.len.wrapping_add(64);
    }

    /// Pads and compresses the final `tail` (< 64 bytes) and returns the digest.
    fn finish(mut self, tail: &[u8]) -> [u8; 16] {
        let bits = self
            .len
            .wrapping_add(u64::try_from(tail.len()).unwrap_or(0))
            .wrapping_mul(8);
        let mut block = [0u8; BLOCK];
        let n = tail.len().min(BLOCK - 1);
        if let (Some(head), Some(t)) = (block.get_mut(..n), tail.get(..n)) {
            head.copy_from_slice(t);
        }
        if let Some(b) = block.get_mut(n) {
            *b = 0x80;
        }
        if n >= BLOCK - 8 {
            self.compress(&block);
            block = [0; BLOCK];
        }
        if let Some(l) = block.get_mut(BLOCK - 8..) {
            l.copy_from_slice(&bits.to_le_bytes());
        }
        self.compress(&block);
        let mut out = [0u8; 16];
        for (o, w) in out.chunks_exact_mut(4).zip(self.state) {
            o.copy_from_slice(&w.to_le_bytes());
        }
        out
    }
}

/// HMAC-MD5 (RFC 2104) of `SeqNum ‖ message` under a 16-byte key: the inner hash after its
/// key block, and the outer hash's key block.
struct HmacSeq {
    inner: Md5,
    opad: [u8; BLOCK],
}

impl HmacSeq {
    fn new(key: &[u8; 16]) -> Self {
        let mut ipad = [0x36u8; BLOCK];
        let mut opad = [0x5cu8; BLOCK];
        for ((i, o), k) in ipad.iter_mut().zip(opad.iter_mut()).zip(key) {
            *i ^= k;
            *o ^= k;
        }
        let mut inner = Md5::new();
        inner.compress(&ipad);
        Self { inner, opad }
    }

    fn finish(self, tail: &[u8]) -> [u8; 16] {
        let inner = self.inner.finish(tail);
        let mut outer = Md5::new();
        outer.compress(&self.opad);
        outer.finish(&inner)
    }
}

/// The hashed stream is `SeqNum (4 bytes) ‖ message`; its block `k` (of 64 bytes).
/// `None` when the stream does not hold a whole block `k`.
fn stream_block(seq: &[u8; 4], msg: &[u8], k: usize) -> Option<[u8; BLOCK]> {
    let mut block = [0u8; BLOCK];
    if k == 0 {
        let (head, rest) = block.split_first_chunk_mut::<4>()?;
        *head = *seq;
        rest.copy_from_slice(msg.get(..BLOCK - 4)?);
    } else {
        let start = k.checked_mul(BLOCK)?.checked_sub(4)?;
        block.copy_from_slice(msg.get(start..start.checked_add(BLOCK)?)?);
    }
    Some(block)
}

/// The bytes of the hashed stream after its last whole block.
fn stream_tail<'a>(seq: &'a [u8; 4], msg: &'a [u8], tail: &'a mut [u8; BLOCK]) -> &'a [u8] {
    let total = msg.len().saturating_add(4);
    let whole = total.saturating_sub(total % BLOCK);
    if whole == 0 {
        if let Some((head, rest)) = tail.split_first_chunk_mut::<4>() {
            *head = *seq;
            if let Some(r) = rest.get_mut(..msg.len()) {
                r.copy_from_slice(msg);
            }
        }
        tail.get(..total).unwrap_or_default()
    } else {
        msg.get(whole.saturating_sub(4)..).unwrap_or_default()
    }
}

/// A 64-byte chunk of `v` at chunk index `k`.
fn chunk(v: &[u8], k: usize) -> Option<&[u8; BLOCK]> {
    let start = k.checked_mul(BLOCK)?;
    v.get(start..start.checked_add(BLOCK)?)?.try_into().ok()
}

/// The mutable 64-byte chunk of `v` at chunk index `k`.
fn chunk_mut(v: &mut [u8], k: usize) -> Option<&mut [u8; BLOCK]> {
    let start = k.checked_mul(BLOCK)?;
    v.get_mut(start..start.checked_add(BLOCK)?)?.try_into().ok()
}

/// Sealing (wrap): appends `RC4(plain)` to `out` and returns `HMAC_MD5(key, seq ‖ plain)`.
pub(crate) fn seal(
    rc4: &mut Rc4,
    key: &[u8; 16],
    seq: u32,
    plain: &[u8],
    out: &mut Vec<u8>,
) -> [u8; 16] {
    one_pass(rc4, key, seq, plain, out, false)
}

/// Unsealing (unwrap): appends `RC4(cipher)` to `out` and returns
/// `HMAC_MD5(key, seq ‖ plaintext)` over the plaintext it wrote.
pub(crate) fn unseal(
    rc4: &mut Rc4,
    key: &[u8; 16],
    seq: u32,
    cipher: &[u8],
    out: &mut Vec<u8>,
) -> [u8; 16] {
    one_pass(rc4, key, seq, cipher, out, true)
}

/// Appends `RC4(input)` to `out` and returns the HMAC of `seq ‖ input` (sealing) or of
/// `seq ‖ output` (unsealing, `hash_output`). Chunk k of the RC4 pass and block k of the
/// hashed stream run fused; when the hash needs the output, it runs one chunk behind (block
/// k - 1 of the stream ends at byte 64k - 4, inside the chunks already written).
fn one_pass(
    rc4: &mut Rc4,
    key: &[u8; 16],
    seq: u32,
    input: &[u8],
    out: &mut Vec<u8>,
    hash_output: bool,
) -> [u8; 16] {
    let seq = seq.to_le_bytes();
    let start = out.len();
    out.resize(start.saturating_add(input.len()), 0);
    let dst = out.get_mut(start..).unwrap_or_default();
    let mut mac = HmacSeq::new(key);
    let chunks = input.len() / BLOCK;
    let blocks = input.len().saturating_add(4) / BLOCK;
    let lag = usize::from(hash_output);
    for k in 0..lag.min(chunks) {
        if let (Some(src), Some(d)) = (chunk(input, k), chunk_mut(dst, k)) {
            rc4.apply_to(src, d);
        }
    }
    for k in lag..chunks {
        let hashed: &[u8] = if hash_output { dst } else { input };
        let block = stream_block(&seq, hashed, k.saturating_sub(lag));
        if let (Some(block), Some(src), Some(d)) = (block, chunk(input, k), chunk_mut(dst, k)) {
            mac.inner.compress_rc4(&block, rc4, src, d);
        }
    }
    let done = chunks.saturating_mul(BLOCK);
    rc4.apply_to(
        input.get(done..).unwrap_or_default(),
        dst.get_mut(done..).unwrap_or_default(),
    );
    let hashed: &[u8] = if hash_output { dst } else { input };
    for k in chunks.saturating_sub(lag)..blocks {
        if let Some(block) = stream_block(&seq, hashed, k) {
            mac.inner.compress(&block);
        }
    }
    let mut tail = [0u8; BLOCK];
    mac.finish(stream_tail(&seq, hashed, &mut tail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::ntlm::crypto::hmac_md5;
    use proptest::prelude::*;

    fn reference(key: &[u8; 16], rc4_key: &[u8], seq: u32, msg: &[u8]) -> (Vec<u8>, [u8; 16]) {
        use rc4::{KeyInit, StreamCipher};
        let mut c = msg.to_vec();
        let mut r = <rc4::Rc4 as KeyInit>::new_from_slice(rc4_key).unwrap();
        r.apply_keystream(&mut c);
        (c, hmac_md5(key, &[&seq.to_le_bytes(), msg]))
    }

    fn check(key: &[u8; 16], rc4_key: &[u8; 16], seq: u32, msg: &[u8]) {
        let (want_c, want_mac) = reference(key, rc4_key, seq, msg);
        let mut out = vec![0xAA; 3];
        let mac = seal(&mut Rc4::new(rc4_key), key, seq, msg, &mut out);
        assert_eq!(&out[..3], &[0xAA; 3]);
        assert_eq!(&out[3..], &want_c[..], "ciphertext, len {}", msg.len());
        assert_eq!(mac, want_mac, "seal mac, len {}", msg.len());
        let mut back = vec![0x55; 2];
        let mac = unseal(&mut Rc4::new(rc4_key), key, seq, &want_c, &mut back);
        assert_eq!(&back[..2], &[0x55; 2]);
        assert_eq!(&back[2..], msg, "plaintext, len {}", msg.len());
        assert_eq!(mac, want_mac, "unseal mac, len {}", msg.len());
    }

    #[test]
    fn every_length_around_the_block_boundaries() {
        let msg: Vec<u8> = (0..700u32).map(|i| (i * 7 + 3).to_le_bytes()[0]).collect();
        for len in (0..=300).chain([511, 512, 513, 699, 700]) {
            check(&[0x11; 16], &[0x22; 16], 0x0102_0304, &msg[..len]);
        }
    }

    #[test]
    fn the_rc4_state_continues_across_calls() {
        let msg = [0x5a; 150];
        let (mut a, mut b) = (Rc4::new(&[9; 16]), Rc4::new(&[9; 16]));
        let mut ours = Vec::new();
        for part in msg.chunks(70) {
            seal(&mut a, &[1; 16], 0, part, &mut ours);
        }
        let mut theirs = msg.to_vec();
        b.apply(&mut theirs);
        assert_eq!(ours, theirs);
    }

    proptest! {
        #[test]
        fn matches_rustcrypto(
            key in any::<[u8; 16]>(),
            rc4_key in any::<[u8; 16]>(),
            seq in any::<u32>(),
            msg in proptest::collection::vec(any::<u8>(), 0..2000),
        ) {
            check(&key, &rc4_key, seq, &msg);
        }
    }
}

//! The compressor: LZ77 parse with hash chains over the 1024-byte history, then an exact
//! two-state dynamic programme that chooses scheme 1 or scheme 2 for every token.
//!
//! - Match search: a 4096-entry hash of 3 bytes with chains through the last 1024 positions
//!   (at most `MAX_CHAIN` = 12 candidates per position, stopping early at a 32-byte match),
//!   plus a table of the last position of each 2-byte pair for 2-byte matches; one step of
//!   lazy matching for 2-byte matches (the lazy search looks only for a longer match, which is
//!   what can win). Positions inside a match join the tables (the first 8, then one in 4).
//!   Linear time; no input makes the search quadratic. The tables are fixed-size arrays on the
//!   stack (36 KiB).
//!   These settings trade about 3% of size against the reference encoder for speed.
//! - Scheme choice: each token costs 9 bits (literal) or 13..=23 bits (copy) in scheme 1, and
//!   8 bits per byte (9 for `0xFF`) in scheme 2, where a copy is written as its literal bytes;
//!   a switch costs 13 bits. The programme finds the cheapest sequence (counting a copy's
//!   scheme-2 cost without its `0xFF` bits), so the output is never larger than the
//!   all-scheme-2 encoding: the input plus one bit per `0xFF` byte plus a few bytes of control
//!   symbols, Pad and (for a WEF body) length. Copies of 6 or more bytes are scheme 1 in every
//!   cheapest sequence and cut the tokens into independent segments; a running maximum-sum
//!   check during the parse finds the last segment where scheme 2 can pay, and the programme
//!   runs only up to there (on text, usually just the first few dozen tokens).
//! - Copy pointers carry the **absolute** history position of the match (ECMA-321 8.4.2);
//!   distances are 1..=1023 (a distance of 1024 is legal but some decoders mishandle it).

use alloc::vec::Vec;

use crate::error::Error;

const HISTORY: usize = 1024;
const MAX_DIST: usize = HISTORY - 1;
const MIN_MATCH: usize = 2;
const MAX_MATCH: usize = 271;
/// Candidates examined per position.
const MAX_CHAIN: usize = 12;
/// A match this long ends the search.
const GOOD_MATCH: usize = 32;
/// Inside a match, the first this many positions join the hash tables, then one in
/// `INSERT_STEP` (long matches are usually runs or repeats already well indexed).
const INSERT_ALL: usize = 8;
const INSERT_STEP: usize = 4;
/// Matches shorter than this try one step of lazy matching (3: only 2-byte matches; lazy
/// matching of 3-byte matches too saved 0.06% of output for 7% more instructions).
const LAZY_MATCH: usize = 3;
/// Candidates examined for the lazy step.
const LAZY_CHAIN: usize = 12;
/// Added to positions in the match-finder tables so that 0 (empty) is never in reach.
const TAG_OFFSET: u32 = 1024;
const HASH_BITS: u32 = 12;
const HASH_SIZE: usize = 1 << HASH_BITS;

const RESET1: u32 = 0b1_1111_1111_0101;
const RESET2: u32 = 0b1_1111_1111_0110;
const SCHEME1: u32 = 0b1_1111_1111_0001;
const SCHEME2: u32 = 0b1_1111_1111_0010;
const END_OF_RECORD: u32 = 0b1_1111_1111_0100;
/// Length of a control symbol (a scheme switch).
const SWITCH_BITS: u32 = 13;

/// Compresses `input` into a conforming ECMA-321 stream: one record starting with a Reset,
/// an End of Record, and 0-bits to a 32-bit boundary.
///
/// The output is never larger than the input plus one bit per `0xFF` byte plus 8 bytes (a
/// Reset, a possible scheme switch, End of Record and Pad); for text it is usually a third.
///
/// ```
/// let data = b"abcabcabcabcabc, abcabcabcabcabc".repeat(10);
/// let stream = sldc::compress_to_vec(&data);
/// assert!(stream.len() < data.len() / 4);
/// assert_eq!(sldc::decompress_to_vec(&stream, data.len())?, data);
/// # Ok::<(), sldc::Error>(())
/// ```
#[must_use]
pub fn compress_to_vec(input: &[u8]) -> Vec<u8> {
    let mut w = encode_record(input, false);
    w.align(32);
    w.finish()
}

/// Compresses `input` into a WEF body as Windows sends it: one record starting with Reset 1,
/// End of Record, 0-bits to a 16-bit boundary, the input length as 4 bytes little-endian.
///
/// Scheme 2 is used only where it is cheaper (incompressible stretches), so the same size bound
/// as [`compress_to_vec`] holds, plus the 4-byte length.
///
/// # Errors
/// [`Error::OutputLimit`] when the input is 4 GiB or longer (the length field has 32 bits).
///
/// ```
/// let plain = "\u{feff}<s:Envelope/>".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
/// let body = sldc::compress_wef_body(&plain)?;
/// assert_eq!(&body[..2], [0xff, 0xab]); // Reset 1
/// assert_eq!(body[body.len() - 4..], (plain.len() as u32).to_le_bytes());
/// assert_eq!(sldc::decompress_wef_body(&body, 1 << 20)?, plain);
/// # Ok::<(), sldc::Error>(())
/// ```
pub fn compress_wef_body(input: &[u8]) -> Result<Vec<u8>, Error> {
    let Ok(len) = u32::try_from(input.len()) else {
        return Err(Error::OutputLimit {
            limit: usize::try_from(u32::MAX).unwrap_or(usize::MAX),
            bit_offset: 0,
        });
    };
    let mut w = encode_record(input, true);
    w.align(16);
    let mut out = w.finish();
    out.extend_from_slice(&len.to_le_bytes());
    Ok(out)
}

/// A parsed token: a literal byte, or a copy of `len` bytes, with its scheme-1 encoding.
#[derive(Clone, Copy)]
struct Token {
    /// The scheme-1 symbol (Literal 1 or Copy Pointer), right-aligned.
    code: u32,
    /// Its length in bits (9 for a literal, 13..=23 for a copy).
    bits: u8,
    /// 0 for a literal, else the match length.
    len: u16,
}

impl Token {
    fn literal(b: u8) -> Self {
        Self {
            code: u32::from(b),
            bits: 9,
            len: 0,
        }
    }

    /// A copy of `len` bytes from absolute history position `disp`.
    fn copy(len: usize, disp: usize) -> Self {
        let (bits, field) = match_field(len);
        let disp = u32::try_from(disp).unwrap_or(0) & 0x3ff;
        let code = (((1_u32 << bits) | field) << 10) | disp;
        Self {
            code,
            bits: u8::try_from(bits.saturating_add(11)).unwrap_or(23),
            len: u16::try_from(len).unwrap_or(0),
        }
    }
}

/// Reset, tokens with scheme switches, End of Record (no Pad yet).
fn encode_record(input: &[u8], force_reset1: bool) -> BitWriter {
    let (tokens, dp_end) = parse(input);
    write_record(input, &tokens, dp_end, force_reset1)
}

/// Writes the record for `tokens` (the parse of `input`), running the scheme programme on the
/// first `dp_end` tokens.
fn write_record(input: &[u8], tokens: &[Token], dp_end: usize, force_reset1: bool) -> BitWriter {
    // The scheme programme runs only on the tokens up to the end of the last segment where
    // scheme 2 can pay (see `Tokens`); the rest is scheme 1, which the programme's plan for
    // that prefix ends in (its last token is a cut, or it is all the tokens).
    let (head, tail) = tokens.split_at(core::cmp::min(dp_end, tokens.len()));
    let plan = if head.is_empty() {
        None
    } else {
        choose_schemes(head, force_reset1)
    };
    let mut w = BitWriter::with_capacity((input.len() / 2).saturating_add(16));
    let Some(plan) = plan else {
        // Scheme 1 throughout.
        w.put(RESET1, 13);
        for t in tokens {
            w.put(t.code, u32::from(t.bits));
        }
        w.put(END_OF_RECORD, 13);
        return w;
    };
    // The Reset picks the first token's scheme; a WEF body always starts with Reset 1 (the
    // programme charged the Scheme 2 symbol that may follow it).
    let mut scheme = if force_reset1 {
        1
    } else {
        plan.first().copied().unwrap_or(1)
    };
    w.put(if scheme == 2 { RESET2 } else { RESET1 }, 13);
    let mut pos = 0_usize;
    for (t, &s) in head.iter().zip(&plan) {
        if s != scheme {
            w.put(if s == 2 { SCHEME2 } else { SCHEME1 }, 13);
            scheme = s;
        }
        let len = usize::from(t.len).max(1);
        let end = pos.saturating_add(len);
        if s == 2 {
            for &b in input.get(pos..end).unwrap_or_default() {
                put_literal2(&mut w, b);
            }
        } else {
            w.put(t.code, u32::from(t.bits));
        }
        pos = end;
    }
    if !tail.is_empty() && scheme != 1 {
        // Not reached (the plan ends in scheme 1 before a tail), but stays correct if it were.
        w.put(SCHEME1, 13);
    }
    for t in tail {
        w.put(t.code, u32::from(t.bits));
    }
    w.put(END_OF_RECORD, 13);
    w
}

fn put_literal2(w: &mut BitWriter, b: u8) {
    if b == 0xff {
        w.put(0x1fe, 9);
    } else {
        w.put(u32::from(b), 8);
    }
}

/// Match Count Field cost and encoding: (field bits, field value) for a length 2..=271.
fn match_field(len: usize) -> (u32, u32) {
    let l = u32::try_from(len).unwrap_or(2);
    match l {
        0..=3 => (2, l.saturating_sub(2)),
        4..=7 => (4, 0b1000 | l.saturating_sub(4)),
        8..=15 => (6, 0b11_0000 | l.saturating_sub(8)),
        16..=31 => (8, 0b1110_0000 | l.saturating_sub(16)),
        _ => (12, 0b1111_0000_0000 | l.saturating_sub(32)),
    }
}

/// Bits a copy of `len` saves against scheme-1 literals.
fn saving(len: usize) -> i64 {
    let lits = i64::try_from(len.saturating_mul(9)).unwrap_or(i64::MAX);
    lits.saturating_sub(i64::from(copy_cost(len)))
}

fn copy_cost(len: usize) -> u32 {
    match_field(len).0.saturating_add(11)
}

/// Scheme (1 or 2) for each token: the cheapest sequence including 13-bit switches; `None`
/// when that is scheme 1 throughout.
fn choose_schemes(tokens: &[Token], force_reset1: bool) -> Option<Vec<u8>> {
    const INF: u64 = u64::MAX / 4;
    // from[t] bit 0: state 1 at token t came from state 2; bit 1: state 2 came from state 1.
    let mut from = Vec::with_capacity(tokens.len());
    let mut c1: u64 = 0;
    let mut c2: u64 = if force_reset1 { 13 } else { 0 };
    let mut entered1 = 0_u8;
    for t in tokens {
        let len = usize::from(t.len);
        let (s1, s2) = if len == 0 {
            (9_u64, if t.code == 0xff { 9 } else { 8 })
        } else {
            // As scheme-2 literals a copy costs 8 bits a byte plus one per 0xFF byte; the 0xFF
            // bits are left out of the estimate (counting them costs a pass over the bytes).
            // The output still never exceeds the all-scheme-2 encoding: the estimate of that
            // path is low by exactly its 0xFF bits, and no chosen path is low by more.
            let lits = u64::try_from(len.saturating_mul(8)).unwrap_or(INF);
            (u64::from(t.bits), lits)
        };
        let (n1, f1) = if c2.saturating_add(13) < c1 {
            (c2.saturating_add(13), 1_u8)
        } else {
            (c1, 0)
        };
        let (n2, f2) = if c1.saturating_add(13) < c2 {
            (c1.saturating_add(13), 2_u8)
        } else {
            (c2, 0)
        };
        c1 = n1.saturating_add(s1);
        c2 = n2.saturating_add(s2);
        from.push(f1 | f2);
        entered1 |= f1;
    }
    let mut state: u8 = if c2 < c1 { 2 } else { 1 };
    if state == 1 && entered1 == 0 {
        // The best path ends in scheme 1 and scheme 1 was never entered from scheme 2.
        return None;
    }
    // Backtrack.
    let mut plan = alloc::vec![0_u8; tokens.len()];
    for (p, f) in plan.iter_mut().zip(&from).rev() {
        *p = state;
        if state == 1 && f & 1 != 0 {
            state = 2;
        } else if state == 2 && f & 2 != 0 {
            state = 1;
        }
    }
    Some(plan)
}

/// Hash tables of the match finder: heads of the 3-byte hash chains, the chain links through
/// the last 1024 positions, and the last position of each 2-byte pair (all stored as
/// `position + TAG_OFFSET` modulo 2^32; 0 = none, which reads as a position too far back to use).
/// The tables are only hints: every candidate's distance is checked and its bytes compared, so
/// a wrapped tag past 4 GiB of input can at worst propose a wrong (checked) candidate.
/// Fixed-size arrays, so that masked and shifted indices need no bounds checks (36 KiB of
/// stack).
struct Finder {
    head: [u32; HASH_SIZE],
    prev: [u32; HISTORY],
    pair: [u32; HASH_SIZE],
}

impl Finder {
    fn new() -> Self {
        Self {
            head: [0; HASH_SIZE],
            prev: [0; HISTORY],
            pair: [0; HASH_SIZE],
        }
    }

    /// Adds position `p` to the 3-byte hash chains when 3 bytes start there (the 2-byte table
    /// only learns the positions searched from, which is where a 2-byte match is looked for
    /// anyway).
    #[inline(always)]
    fn insert(&mut self, input: &[u8], p: usize) {
        if let Some(&b) = input.get(p..).and_then(|r| r.first_chunk::<3>()) {
            self.insert_bytes(b, p);
        }
    }

    /// Adds position `p`, where `b` starts, to the 3-byte hash chains.
    #[expect(
        clippy::indexing_slicing,
        reason = "hashes are < HASH_SIZE; the slot is masked to HISTORY"
    )]
    #[inline(always)]
    fn insert_bytes(&mut self, [a, b, c]: [u8; 3], p: usize) {
        let h = hash3(u32::from_le_bytes([a, b, c, 0]));
        self.prev[p & (HISTORY - 1)] = self.head[h];
        self.head[h] = tag(p);
    }

    /// The best match at `i` longer than `beat` bytes (length, distance; length 0 when none),
    /// then adds `i`. The chain walk is bounded by `chain` candidates, so this is O(chain).
    #[expect(
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        reason = "i < input.len(); candidates are positions < i taken from the tables"
    )]
    #[inline(always)]
    fn find_insert(&mut self, input: &[u8], i: usize, chain: usize, beat: usize) -> (usize, usize) {
        let n = input.len();
        let max = core::cmp::min(MAX_MATCH, n - i);
        let tag = tag(i);
        if max < MIN_MATCH {
            return (0, 0);
        }
        let mut best = (beat, 0);
        let v = load4(input, i);
        if max >= 3 {
            let h = hash3(v);
            let mut cand = self.head[h];
            self.prev[i & (HISTORY - 1)] = cand;
            self.head[h] = tag;
            // No search when nothing can beat `beat` (this also keeps `i + best.0` in bounds).
            let mut steps = if beat < max { chain } else { 0 };
            // Positions in the tables are all < i, and each chain link points to an older
            // position: a stale link (overwritten slot) can only come from a position more than
            // `HISTORY` back, which the distance test stops at. `steps` bounds the walk anyway.
            while steps > 0 {
                // Tag 0 (empty) reads as a distance of at least `TAG_OFFSET` and ends the walk.
                // Below 4 GiB tags are exact and positions in the tables are < i, so a distance
                // that passes is <= i; past it the distance is < 1024 < i.
                let dist = usize::try_from(tag.wrapping_sub(cand)).unwrap_or(usize::MAX);
                if dist.wrapping_sub(1) >= MAX_DIST {
                    break;
                }
                let c = i - dist;
                // Quick reject on the byte that would extend the best match (best.0 < max).
                if input[c + best.0] == input[i + best.0] {
                    let l = common(input, c, i, max);
                    if l > best.0 {
                        best = (l, dist);
                        if l >= GOOD_MATCH || l == max {
                            break;
                        }
                    }
                }
                cand = self.prev[c & (HISTORY - 1)];
                steps -= 1;
            }
        }
        let p = hash2(v);
        if best.0 < MIN_MATCH {
            let cand = self.pair[p];
            let dist = usize::try_from(tag.wrapping_sub(cand)).unwrap_or(usize::MAX);
            let c = i.wrapping_sub(dist);
            if dist.wrapping_sub(1) < MAX_DIST
                && input[c] == input[i]
                && input[c + 1] == input[i + 1]
            {
                best = (common(input, c, i, max), dist);
            }
        }
        self.pair[p] = tag;
        if best.1 == 0 { (0, 0) } else { best }
    }
}

/// The parsed tokens, and how many of them the scheme programme must look at.
///
/// A copy of 6 or more bytes costs at least 33 bits more in scheme 2 than in scheme 1, more than
/// two 13-bit switches around it, so every cheapest encoding writes it in scheme 1: such copies
/// cut the token list into segments that are independent given scheme 1 at both ends. Writing a
/// run of tokens in scheme 2 costs at least one switch (13 bits), two inside a segment between
/// cuts (26), so a segment whose best run (Kadane's maximum-sum run over the per-token gains
/// `scheme-1 bits - scheme-2 bits`, kept as tokens are added) saves no more than that is
/// cheapest in scheme 1. `dp_end` is the end of the last segment that is not; the programme
/// runs on the tokens before it and the rest is written in scheme 1.
struct Tokens {
    list: Vec<Token>,
    /// Gain of the best run ending at the last token (>= 0).
    run: i64,
    /// Gain of the best run in the current segment.
    seg_best: i64,
    /// Whether a cut was seen (the current segment is not the first).
    cut_seen: bool,
    dp_end: usize,
}

/// Copies at least this long are written in scheme 1 by every cheapest encoding (see
/// [`Tokens`]).
const CUT_LEN: usize = 6;

impl Tokens {
    fn with_capacity(cap: usize) -> Self {
        Self {
            list: Vec::with_capacity(cap),
            run: 0,
            seg_best: 0,
            cut_seen: false,
            dp_end: 0,
        }
    }

    #[inline(always)]
    fn gain(&mut self, g: i64) {
        // |g| <= 8 * CUT_LEN per token and the run restarts at 0: no overflow.
        self.run = core::cmp::max(self.run.wrapping_add(g), 0);
        self.seg_best = core::cmp::max(self.seg_best, self.run);
    }

    /// A literal: 9 bits in scheme 1, 8 in scheme 2 (9 for `0xFF`).
    #[inline(always)]
    fn literal(&mut self, b: u8) {
        self.list.push(Token::literal(b));
        self.gain(i64::from(b != 0xff));
    }

    /// A copy: its scheme-1 bits against 8 bits per byte in scheme 2 (the programme's estimate,
    /// without the `0xFF` bits).
    #[inline(always)]
    fn copy(&mut self, len: usize, disp: usize) {
        let t = Token::copy(len, disp);
        self.list.push(t);
        if len >= CUT_LEN {
            // A run of scheme 2 in the first segment may start with the Reset: one switch.
            let switches = if self.cut_seen { 2 } else { 1 };
            if self.seg_best > i64::from(SWITCH_BITS).wrapping_mul(switches) {
                self.dp_end = self.list.len();
            }
            self.run = 0;
            self.seg_best = 0;
            self.cut_seen = true;
        } else {
            let lits = i64::from(t.len).wrapping_mul(8);
            self.gain(i64::from(t.bits).wrapping_sub(lits));
        }
    }

    /// The tokens and `dp_end`, after the last segment (a run at the end needs one switch; a
    /// single segment may be all scheme 2 with no switch).
    fn finish(mut self) -> (Vec<Token>, usize) {
        let switches = if self.cut_seen { 1 } else { 0 };
        if self.seg_best > i64::from(SWITCH_BITS).wrapping_mul(switches) {
            self.dp_end = self.list.len();
        }
        (self.list, self.dp_end)
    }
}

/// The LZ77 parse: greedy, with one step of lazy matching for short matches.
#[expect(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "i < n when a byte is read; match lengths are bounded by n - i"
)]
fn parse(input: &[u8]) -> (Vec<Token>, usize) {
    let n = input.len();
    let mut tokens = Tokens::with_capacity(n / 4 + 16);
    let mut f = Finder::new();
    let mut i = 0;
    while i < n {
        let mut m = f.find_insert(input, i, MAX_CHAIN, 0);
        if m.0 < MIN_MATCH {
            tokens.literal(input[i]);
            i += 1;
            continue;
        }
        // Lazy step: is a literal followed by the match at i + 1 cheaper?
        while m.0 < LAZY_MATCH && i + 1 < n {
            // A copy saves more the longer it is, so only a longer match at i + 1 can win.
            let next = f.find_insert(input, i + 1, LAZY_CHAIN, m.0);
            if next.0 > m.0 {
                debug_assert!(saving(next.0) > saving(m.0));
                tokens.literal(input[i]);
                i += 1;
                m = next;
            } else {
                // i + 1 is in the tables already; the match covers it (len >= 2).
                break;
            }
        }
        let (len, dist) = m;
        // Copy pointers carry the absolute history position: the stream has one Reset, at
        // position 0, so that is the source position modulo 1024.
        tokens.copy(len, (i - dist) & (HISTORY - 1));
        // Positions inside the match join the tables (i and maybe i + 1 already did): all of
        // the first `INSERT_ALL`, then one in `INSERT_STEP`; only those with 3 bytes ahead.
        let from = if len < LAZY_MATCH { i + 2 } else { i + 1 };
        let to = core::cmp::min(i + len, n.saturating_sub(2));
        let dense = core::cmp::min(i + INSERT_ALL, to);
        let mut p = from;
        if p < dense {
            // Slide over the bytes: the 3 bytes at each position (dense + 2 <= n).
            for w in input.get(p..dense + 2).unwrap_or_default().windows(3) {
                if let [a, b, c] = *w {
                    f.insert_bytes([a, b, c], p);
                }
                p += 1;
            }
        }
        while p < to {
            f.insert(input, p);
            p += INSERT_STEP;
        }
        i += len;
    }
    tokens.finish()
}

/// Up to 4 bytes at `p`, little-endian, zero-padded past the end.
#[inline(always)]
fn load4(input: &[u8], p: usize) -> u32 {
    match input.get(p..).and_then(|r| r.first_chunk::<4>()) {
        Some(c) => u32::from_le_bytes(*c),
        None => {
            let mut b = [0_u8; 4];
            for (d, s) in b.iter_mut().zip(input.get(p..).unwrap_or_default()) {
                *d = *s;
            }
            u32::from_le_bytes(b)
        }
    }
}

/// The table entry for position `p`: `p + TAG_OFFSET` modulo 2^32.
#[inline(always)]
fn tag(p: usize) -> u32 {
    u32::try_from(p & 0xffff_ffff)
        .unwrap_or(0)
        .wrapping_add(TAG_OFFSET)
}

/// Hash of the 3 bytes in the low bits of `v`.
#[inline(always)]
fn hash3(v: u32) -> usize {
    usize::try_from((v & 0x00ff_ffff).wrapping_mul(0x9e37_79b1) >> (32 - HASH_BITS)).unwrap_or(0)
}

/// Hash of the 2 bytes in the low bits of `v`.
#[inline(always)]
fn hash2(v: u32) -> usize {
    usize::try_from((v & 0xffff).wrapping_mul(0x85eb_ca6b) >> (32 - HASH_BITS)).unwrap_or(0)
}

/// Length of the common prefix of `input[a..]` and `input[b..]` (a < b), at most `max`.
#[expect(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "b + max <= input.len() and a < b"
)]
#[inline(always)]
fn common(input: &[u8], a: usize, b: usize, max: usize) -> usize {
    let mut l = 0;
    while l + 8 <= max {
        let x = u64::from_le_bytes(input[a + l..a + l + 8].try_into().unwrap_or([0; 8]));
        let y = u64::from_le_bytes(input[b + l..b + l + 8].try_into().unwrap_or([0; 8]));
        let d = x ^ y;
        if d != 0 {
            return l + usize::try_from(d.trailing_zeros() / 8).unwrap_or(0);
        }
        l += 8;
    }
    while l < max && input[a + l] == input[b + l] {
        l += 1;
    }
    l
}

/// Bits, most significant first.
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    /// Bits in `acc` (at the bottom), < 32 between calls.
    n: u32,
}

impl BitWriter {
    fn with_capacity(cap: usize) -> Self {
        Self {
            out: Vec::with_capacity(cap),
            acc: 0,
            n: 0,
        }
    }

    /// Appends `v`, which has at most `bits` (<= 32) significant bits.
    #[inline(always)]
    fn put(&mut self, v: u32, bits: u32) {
        debug_assert!(bits <= 32 && u64::from(v) >> bits == 0);
        // acc keeps < 32 pending bits, so shifting in <= 32 more loses none.
        self.acc = (self.acc << bits) | u64::from(v);
        self.n = self.n.wrapping_add(bits);
        if self.n >= 32 {
            self.n = self.n.wrapping_sub(32);
            let word = u32::try_from((self.acc >> self.n) & 0xffff_ffff).unwrap_or(0);
            self.out.extend_from_slice(&word.to_be_bytes());
        }
    }

    /// Bits written in total.
    fn total(&self) -> u64 {
        let bytes = u64::try_from(self.out.len()).unwrap_or(u64::MAX);
        bytes.wrapping_mul(8).wrapping_add(u64::from(self.n))
    }

    /// 0-bits up to a multiple of `unit` bits from the start.
    fn align(&mut self, unit: u64) {
        let rem = self.total().checked_rem(unit).unwrap_or(0);
        if rem != 0 {
            let mut pad = unit.wrapping_sub(rem);
            while pad > 0 {
                let k = core::cmp::min(pad, 16);
                self.put(0, u32::try_from(k).unwrap_or(16));
                pad = pad.wrapping_sub(k);
            }
        }
    }

    /// The bytes, with any final partial byte padded with 0-bits.
    fn finish(mut self) -> Vec<u8> {
        while self.n >= 8 {
            self.n = self.n.wrapping_sub(8);
            let b = ((self.acc >> self.n) & 0xff).to_le_bytes();
            self.out.push(b.first().copied().unwrap_or(0));
        }
        if self.n > 0 {
            let b = ((self.acc << (8_u32.wrapping_sub(self.n))) & 0xff).to_le_bytes();
            self.out.push(b.first().copied().unwrap_or(0));
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    /// Deterministic test inputs: text-like runs, random runs, `0xFF` runs, in turn.
    fn inputs() -> Vec<Vec<u8>> {
        let mut x: u32 = 0x1234_5678;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        let mut out = Vec::new();
        for case in 0..200_u32 {
            let mut v = Vec::new();
            let parts = next() % 12;
            for _ in 0..parts {
                let len = usize::try_from(next() % 400).unwrap_or(0);
                match next() % 4 {
                    0 => v.extend((0..len).map(|_| next().to_le_bytes()[0])),
                    1 => v.extend((0..len).map(|k| b"<Data Name='x'>"[k % 15])),
                    2 => v.extend(core::iter::repeat_n(0xff, len)),
                    _ => v.extend((0..len).map(|_| (next() % 5).to_le_bytes()[0])),
                }
            }
            if case % 7 == 0 {
                v.truncate(usize::try_from(case).unwrap_or(0) % 23);
            }
            out.push(v);
        }
        out
    }

    /// Running the scheme programme only up to `dp_end` gives the same size as running it on
    /// every token.
    #[test]
    fn segmented_programme_is_as_small_as_the_full_one() {
        let mut cut = 0;
        let mut mid = 0;
        for input in inputs() {
            let (tokens, dp_end) = super::parse(&input);
            if dp_end < tokens.len() {
                cut += 1;
            }
            if dp_end > 0 && dp_end < tokens.len() {
                mid += 1;
            }
            for force in [false, true] {
                let short = super::write_record(&input, &tokens, dp_end, force).total();
                let full = super::write_record(&input, &tokens, tokens.len(), force).total();
                assert_eq!(
                    short,
                    full,
                    "{} bytes, dp_end {dp_end} of {}",
                    input.len(),
                    tokens.len()
                );
            }
        }
        // The shortcut is taken on some of them.
        assert!(cut > 20, "{cut}");
        // And some of those still run the programme on a prefix.
        assert!(mid > 20, "{mid}");
    }
}

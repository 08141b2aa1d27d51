//! Byte searches eight bytes at a time ("SIMD within a register"), without `unsafe`.
//!
//! `has_zero`/`has_less` may flag false positives only in bytes *above* a true match, so the
//! lowest flagged byte of a little-endian word is always the first real match.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

#[inline]
fn has_zero(x: u64) -> u64 {
    x.wrapping_sub(LO) & !x & HI
}

/// Bytes `< n` (for `n <= 128`).
#[inline]
fn has_less(x: u64, n: u8) -> u64 {
    x.wrapping_sub(LO.wrapping_mul(u64::from(n))) & !x & HI
}

#[inline]
fn splat(b: u8) -> u64 {
    LO.wrapping_mul(u64::from(b))
}

#[inline]
fn word(chunk: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(chunk);
    u64::from_le_bytes(w)
}

/// The `tail` of `hay` (1 to 7 bytes) as a word, zero-padded above: the last eight bytes of
/// `hay` shifted down when there are that many (no copy), else byte by byte.
#[inline(always)]
fn tail_word(hay: &[u8], tail: &[u8]) -> u64 {
    if let Some(last) = hay.last_chunk::<8>() {
        let shift = 8u32.saturating_sub(u32::try_from(tail.len()).unwrap_or(8));
        u64::from_le_bytes(*last)
            .checked_shr(shift.saturating_mul(8))
            .unwrap_or(0)
    } else {
        tail.iter()
            .rev()
            .fold(0u64, |w, &b| w.wrapping_shl(8) | u64::from(b))
    }
}

#[inline]
fn first(mask: u64) -> usize {
    usize::try_from(mask.trailing_zeros() / 8).unwrap_or(0)
}

/// Scans `hay` for the first byte where `hit(word)` flags, sixteen bytes (two words, one
/// branch) at a time, then a last word; the tail is zero-padded into one last word (a flag in
/// the padding is not a match: the lowest flagged byte is always a real match, so a tail match
/// would come first).
#[inline(always)]
fn scan(hay: &[u8], hit: impl Fn(u64) -> u64) -> Option<usize> {
    let pairs = hay.chunks_exact(16);
    let rest = pairs.remainder();
    for (i, c) in pairs.enumerate() {
        let (a, b) = c.split_at(8);
        let (m0, m1) = (hit(word(a)), hit(word(b)));
        if m0 | m1 != 0 {
            let at = if m0 != 0 {
                first(m0)
            } else {
                first(m1).wrapping_add(8)
            };
            return Some(i.wrapping_mul(16).wrapping_add(at));
        }
    }
    let mut base = hay.len().saturating_sub(rest.len());
    let tail = match rest.split_first_chunk::<8>() {
        Some((w, tail)) => {
            let m = hit(u64::from_le_bytes(*w));
            if m != 0 {
                return Some(base.wrapping_add(first(m)));
            }
            base = base.wrapping_add(8);
            tail
        }
        None => rest,
    };
    if tail.is_empty() {
        return None;
    }
    let m = hit(tail_word(hay, tail));
    let at = first(m);
    (m != 0 && at < tail.len()).then(|| base.wrapping_add(at))
}

/// The first occurrence of `b` in `hay`.
#[inline]
pub(crate) fn find_byte(hay: &[u8], b: u8) -> Option<usize> {
    if b == b'<' {
        return scan(hay, |w| has_zero(w ^ LT));
    }
    let s = splat(b);
    scan(hay, move |w| has_zero(w ^ s))
}

/// The first occurrence of `a` or `b` in `hay`.
#[inline]
pub(crate) fn find_either(hay: &[u8], a: u8, b: u8) -> Option<usize> {
    let (sa, sb) = (splat(a), splat(b));
    scan(hay, |w| has_zero(w ^ sa) | has_zero(w ^ sb))
}

// Splatted bytes as constants: the predicates below capture nothing, so they cost no setup
// even where the compiler keeps them out of line.
const QUOTE: u64 = LO.wrapping_mul(0x22);
const APOS: u64 = LO.wrapping_mul(0x27);
const BACKSLASH: u64 = LO.wrapping_mul(0x5C);
const AMP: u64 = LO.wrapping_mul(0x26);
const LT: u64 = LO.wrapping_mul(0x3C);
const EF: u64 = LO.wrapping_mul(0xEF);

const L7F: u64 = 0x7F7F_7F7F_7F7F_7F7F;
const E0: u64 = LO.wrapping_mul(0xE0);
const TAB: u64 = LO.wrapping_mul(0x09);
const LF: u64 = LO.wrapping_mul(0x0A);
const CR: u64 = LO.wrapping_mul(0x0D);

/// The zero bytes of `x`, exactly (no false positives, unlike [`has_zero`]), so that masks can
/// be subtracted from one another.
#[inline(always)]
fn zero_exact(x: u64) -> u64 {
    !((x & L7F).wrapping_add(L7F) | x | L7F)
}

/// Control characters other than TAB, LF and CR (exact).
#[inline(always)]
fn odd_control(w: u64) -> u64 {
    zero_exact(w & E0) & !(zero_exact(w ^ TAB) | zero_exact(w ^ LF) | zero_exact(w ^ CR))
}

/// A control character other than TAB/LF/CR, or 0xEF (exact).
#[inline(always)]
fn suspicious(w: u64) -> u64 {
    odd_control(w) | zero_exact(w ^ EF)
}

/// [`suspicious`] behind a cheap test that no byte is a control character or 0xEF (the
/// usual word: TAB/LF/CR are rare in a word), which decides most words in a few operations.
#[inline(always)]
fn suspicious_filtered(w: u64) -> u64 {
    if has_less(w, 0x20) | has_zero(w ^ EF) == 0 {
        0
    } else {
        suspicious(w)
    }
}

/// The first control character other than TAB/LF/CR, or 0xEF: what may make XML text
/// illegal (TAB/LF/CR never stop this scan, so long multi-line text is one pass).
#[inline]
pub(crate) fn find_suspicious(hay: &[u8]) -> Option<usize> {
    scan(hay, suspicious_filtered)
}

/// [`find_text_end`] where TAB, LF and CR do not stop the scan.
#[inline]
pub(crate) fn find_text_end_multiline(hay: &[u8]) -> Option<usize> {
    scan(hay, |w| {
        has_zero(w ^ LT) | has_zero(w ^ AMP) | suspicious_filtered(w)
    })
}

/// The value of eight hexadecimal digits (either case), the first the most significant;
/// `None` when one is not a hexadecimal digit.
#[inline]
pub(crate) fn hex8(digits: &[u8; 8]) -> Option<u32> {
    let x = u64::from_be_bytes(*digits);
    if x & HI != 0 {
        return None;
    }
    // Bytes below 0x80: `x + (0x80 - n)` sets a byte's high bit exactly when it is >= n, with
    // no carry into the next byte.
    let ge = |v: u64, n: u8| v.wrapping_add(splat(0x80u8.wrapping_sub(n))) & HI;
    let digit = ge(x, b'0') & !ge(x, b'9'.wrapping_add(1));
    let l = x | splat(0x20);
    let alpha = ge(l, b'a') & !ge(l, b'f'.wrapping_add(1));
    if digit | alpha != HI {
        return None;
    }
    // '0'-'9' -> 0-9, 'a'-'f'/'A'-'F' -> 1-6, + 9 for letters (bit 6 set): no carries.
    let nib = (x & splat(0x0F)).wrapping_add((x.wrapping_shr(6) & LO).wrapping_mul(9));
    let v = (nib.wrapping_shr(4) | nib) & 0x00FF_00FF_00FF_00FF;
    let v = (v.wrapping_shr(8) | v) & 0x0000_FFFF_0000_FFFF;
    let v = (v.wrapping_shr(16) | v) & 0xFFFF_FFFF;
    u32::try_from(v).ok()
}

/// `a == b` for short slices (names) without a call to `memcmp`: two overlapping word
/// comparisons up to 16 bytes, the library comparison beyond.
#[inline(always)]
pub(crate) fn eq_short(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() > 16 {
        return a == b;
    }
    if let (Some(a0), Some(b0), Some(a1), Some(b1)) = (
        a.first_chunk::<8>(),
        b.first_chunk::<8>(),
        a.last_chunk::<8>(),
        b.last_chunk::<8>(),
    ) {
        return a0 == b0 && a1 == b1;
    }
    if let (Some(a0), Some(b0), Some(a1), Some(b1)) = (
        a.first_chunk::<4>(),
        b.first_chunk::<4>(),
        a.last_chunk::<4>(),
        b.last_chunk::<4>(),
    ) {
        return a0 == b0 && a1 == b1;
    }
    a.iter().zip(b).all(|(x, y)| x == y)
}

/// How many of the bytes of `w` (in memory order), from the first, are LF or space.
#[inline(always)]
pub(crate) fn lf_space_prefix(w: u64) -> usize {
    const SP: u64 = LO.wrapping_mul(0x20);
    let other = !(zero_exact(w ^ SP) | zero_exact(w ^ LF)) & HI;
    usize::try_from(other.trailing_zeros() / 8).unwrap_or(8)
}

/// `&`, a control character or 0xEF.
#[inline(always)]
fn text_special(w: u64) -> u64 {
    has_less(w, 0x20) | has_zero(w ^ AMP) | has_zero(w ^ EF)
}

/// The first byte a JSON string must escape: `"`, `\` or a control character.
#[inline]
pub(crate) fn find_json_escape(hay: &[u8]) -> Option<usize> {
    scan(hay, |w| {
        has_less(w, 0x20) | has_zero(w ^ QUOTE) | has_zero(w ^ BACKSLASH)
    })
}

/// The offset of the first byte of the eight in `w` that a JSON string must escape, 8 if none.
#[inline(always)]
pub(crate) fn json_escape_in_word(w: [u8; 8]) -> usize {
    let x = u64::from_le_bytes(w);
    let m = has_less(x, 0x20) | has_zero(x ^ QUOTE) | has_zero(x ^ BACKSLASH);
    // No flag: 64 trailing zeros, so 8.
    usize::try_from(m.trailing_zeros() / 8).unwrap_or(8)
}

/// Whether `hay` has no byte a JSON string must escape ([`find_json_escape`] finds none): for
/// up to 32 bytes, two or four overlapping words and no loop (one well-predicted branch for the short
/// keys and values of events).
#[inline(always)]
pub(crate) fn json_plain(hay: &[u8]) -> bool {
    let hit = |w: u64| has_less(w, 0x20) | has_zero(w ^ QUOTE) | has_zero(w ^ BACKSLASH);
    let n = hay.len();
    if n > 32 {
        return find_json_escape(hay).is_none();
    }
    if n > 16 {
        // Up to 32 bytes: the first and the last sixteen, overlapping.
        if let (Some(a), Some(b)) = (hay.first_chunk::<16>(), hay.last_chunk::<16>()) {
            let w = |c: &[u8; 16], i: usize| {
                u64::from_le_bytes(
                    c.get(i..i.wrapping_add(8))
                        .and_then(|s| s.try_into().ok())
                        .unwrap_or([0; 8]),
                )
            };
            return hit(w(a, 0)) | hit(w(a, 8)) | hit(w(b, 0)) | hit(w(b, 8)) == 0;
        }
    }
    if let (Some(a), Some(b)) = (hay.first_chunk::<8>(), hay.last_chunk::<8>()) {
        return hit(u64::from_le_bytes(*a)) | hit(u64::from_le_bytes(*b)) == 0;
    }
    // Four to seven bytes: the first and the last four, overlapping, in one word.
    if let (Some(a), Some(b)) = (hay.first_chunk::<4>(), hay.last_chunk::<4>()) {
        let w = u64::from(u32::from_le_bytes(*a)) | u64::from(u32::from_le_bytes(*b)) << 32;
        return hit(w) == 0;
    }
    // Under four bytes: the first, middle and last bytes cover them all; spaces (which need no
    // escape) fill the rest of the word.
    let (first, mid, last) = (hay.first(), hay.get(n / 2), hay.last());
    let w = [first, mid, last].map(|b| b.copied().unwrap_or(b' '));
    let [a, b, c] = w;
    hit(u64::from_le_bytes([a, b, c, b' ', b' ', b' ', b' ', b' '])) == 0
}

/// The first byte that may need attention in XML text: `&`, a control character (including
/// TAB/LF/CR, which the caller re-checks) or 0xEF (the lead byte of U+FFFE/U+FFFF).
#[cfg(test)]
pub(crate) fn find_text_special(hay: &[u8]) -> Option<usize> {
    scan(hay, text_special)
}

/// The end of simple text content (`<`) or the first byte [`find_text_special`] reports,
/// whichever comes first.
#[inline]
pub(crate) fn find_text_end(hay: &[u8]) -> Option<usize> {
    scan(hay, |w| has_zero(w ^ LT) | text_special(w))
}

/// The first byte below `0`, a `<`, or a non-ASCII byte: a superset of what ends a plain name
/// in double quotes (`"`, `&`, `<`, control characters, 0xEF) in three cheap tests, for
/// names made of letters, digits and `_`. The caller re-checks the byte found.
#[inline]
pub(crate) fn find_name_stop(hay: &[u8]) -> Option<usize> {
    scan(hay, |w| has_less(w, 0x30) | has_zero(w ^ LT) | (w & HI))
}

/// The end of an attribute value (`quote`), a `<`, or the first byte [`find_text_special`]
/// reports, whichever comes first.
#[inline]
pub(crate) fn find_value_end(hay: &[u8], quote: u8) -> Option<usize> {
    match quote {
        b'"' => scan(hay, |w| {
            has_zero(w ^ QUOTE) | has_zero(w ^ LT) | text_special(w)
        }),
        b'\'' => scan(hay, |w| {
            has_zero(w ^ APOS) | has_zero(w ^ LT) | text_special(w)
        }),
        _ => {
            let q = splat(quote);
            scan(hay, move |w| {
                has_zero(w ^ q) | has_zero(w ^ LT) | text_special(w)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Every search agrees with a plain one on any bytes, at every length and alignment
        /// (two-word steps, the last word, the padded tail).
        #[test]
        fn searches_agree_with_plain_ones(
            v in proptest::collection::vec(proptest::sample::select(
                vec![0u8, 5, b'\t', b'\n', b'\r', b' ', b'"', b'&', b'\'', b'<', b'\\', b'a', 0x7f, 0x80, 0xbf, 0xef, 0xff]
            ), 0..80),
            skip in 0usize..8,
        ) {
            let v = v.get(skip.min(v.len())..).unwrap_or_default();
            let odd = |x: u8| (x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r')) || x == 0xEF;
            proptest::prop_assert_eq!(find_byte(v, b'<'), v.iter().position(|&x| x == b'<'));
            proptest::prop_assert_eq!(find_byte(v, b'&'), v.iter().position(|&x| x == b'&'));
            proptest::prop_assert_eq!(
                find_json_escape(v),
                v.iter().position(|&x| x < 0x20 || x == b'"' || x == b'\\')
            );
            if let Some(w) = v.first_chunk::<8>() {
                proptest::prop_assert_eq!(
                    json_escape_in_word(*w),
                    w.iter().position(|&x| x < 0x20 || x == b'"' || x == b'\\').unwrap_or(8)
                );
            }
            proptest::prop_assert_eq!(
                json_plain(v),
                !v.iter().any(|&x| x < 0x20 || x == b'"' || x == b'\\')
            );
            proptest::prop_assert_eq!(
                find_text_end(v),
                v.iter().position(|&x| x < 0x20 || x == b'&' || x == 0xEF || x == b'<')
            );
            proptest::prop_assert_eq!(
                find_text_end_multiline(v),
                v.iter().position(|&x| odd(x) || x == b'&' || x == b'<')
            );
            proptest::prop_assert_eq!(find_suspicious(v), v.iter().position(|&x| odd(x)));
            proptest::prop_assert_eq!(
                find_name_stop(v),
                v.iter().position(|&x| x < 0x30 || x == b'<' || x >= 0x80)
            );
            for q in [b'"', b'\''] {
                proptest::prop_assert_eq!(
                    find_value_end(v, q),
                    v.iter().position(|&x| x < 0x20 || x == b'&' || x == 0xEF || x == b'<' || x == q)
                );
            }
        }
    }

    #[test]
    fn hex8_matches_from_str_radix() {
        for s in [
            "00000000",
            "ffffffff",
            "FFFFFFFF",
            "0123abcd",
            "89ABcdEF",
            "5770385F",
            "0000000g",
            "/0000000",
            ":0000000",
            "@0000000",
            "G0000000",
            "`0000000",
            "0000000\u{7f}",
            " 1234567",
            "+1234567",
            "-1234567",
        ] {
            let b: [u8; 8] = s.as_bytes().try_into().unwrap();
            let want = if s.bytes().all(|c| c.is_ascii_hexdigit()) {
                u32::from_str_radix(s, 16).ok()
            } else {
                None
            };
            assert_eq!(hex8(&b), want, "{s}");
        }
        for c in 0..=255u8 {
            let mut b = *b"12345678";
            for i in 0..8 {
                let saved = b[i];
                b[i] = c;
                let want = if c.is_ascii_hexdigit() {
                    u32::from_str_radix(std::str::from_utf8(&b).unwrap(), 16).ok()
                } else {
                    None
                };
                assert_eq!(hex8(&b), want, "{b:?}");
                b[i] = saved;
            }
        }
    }

    #[test]
    fn eq_short_is_equality() {
        let words: [&[u8]; 9] = [
            b"",
            b"a",
            b"ab",
            b"abc",
            b"Data",
            b"EventID",
            b"Provider",
            b"EventRecordID",
            b"ProcessingErrorData",
        ];
        for a in words {
            for b in words {
                assert_eq!(eq_short(a, b), a == b);
                for i in 0..a.len() {
                    let mut c = a.to_vec();
                    c[i] ^= 1;
                    assert!(!eq_short(&c, a));
                }
            }
        }
    }

    #[test]
    fn lf_space_prefix_counts() {
        for (s, n) in [
            (b"        ", 8),
            (b"\n    <Da", 5),
            (b"<Data Na", 0),
            (b" \t      ", 1),
            (b"\r\n      ", 0),
            (b"\n\n\n\n\n\n\n\xa0", 7),
        ] {
            assert_eq!(lf_space_prefix(u64::from_le_bytes(*s)), n, "{s:?}");
        }
    }

    #[test]
    fn agrees_with_a_plain_search() {
        let samples: [&[u8]; 9] = [
            b"",
            b"abc",
            b"a\tb\r\nc\n\x05d<",
            b"\r\n\r\n\r\n\r\n\r\n\r\n&amp;\x0b",
            b"\x01\x09\x0a\x0d\x0e\x1f\x20\x21\xef\x00",
            b"0123456789abcdef<",
            b"<<<<<<<<<<<<<<<<",
            b"\x01\xff\x80\x7f\"\\&\xef plain text that is long enough",
            "é€\u{1F600}<\"".as_bytes(),
        ];
        for s in samples {
            for b in [b'<', b'"', b'\'', b'&', 0xEF, 0x80, 0x01] {
                assert_eq!(find_byte(s, b), s.iter().position(|&x| x == b), "{s:?} {b}");
                assert_eq!(
                    find_either(s, b, b'<'),
                    s.iter().position(|&x| x == b || x == b'<')
                );
            }
            assert_eq!(
                find_json_escape(s),
                s.iter().position(|&x| x < 0x20 || x == b'"' || x == b'\\')
            );
            assert_eq!(
                find_text_special(s),
                s.iter().position(|&x| x < 0x20 || x == b'&' || x == 0xEF)
            );
            assert_eq!(
                find_text_end(s),
                s.iter()
                    .position(|&x| x < 0x20 || x == b'&' || x == 0xEF || x == b'<')
            );
            let odd = |x: u8| (x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r')) || x == 0xEF;
            assert_eq!(find_suspicious(s), s.iter().position(|&x| odd(x)));
            assert_eq!(
                find_text_end_multiline(s),
                s.iter().position(|&x| odd(x) || x == b'&' || x == b'<')
            );
            for q in [b'"', b'\'', 0x80] {
                assert_eq!(
                    find_value_end(s, q),
                    s.iter().position(|&x| x < 0x20
                        || x == b'&'
                        || x == 0xEF
                        || x == b'<'
                        || x == q)
                );
            }
        }
        // Every position of a match, every byte value around it.
        for len in 0..40 {
            for at in 0..len {
                for other in [0u8, 0x1f, 0x20, 0x7f, 0x80, 0xfe, 0xff] {
                    let mut v = vec![other; len];
                    v[at] = b'<';
                    let want = v.iter().position(|&x| x == b'<');
                    assert_eq!(find_byte(&v, b'<'), want);
                }
            }
        }
    }
}

//! Character set detection, one transcode, and encoding.
//!
//! Windows sends envelopes as UTF-16LE with a byte order mark (`FF FE`) and no XML declaration
//! (`Content-Type: application/soap+xml;charset=UTF-16`); other WinRM peers send UTF-8. The
//! parser (quick-xml) works on UTF-8, so [`decode`] transcodes UTF-16 once into a caller-owned,
//! reusable `String` and borrows straight through when the bytes are already UTF-8. Everything
//! after that borrows from the returned `&str`.
//!
//! Decision order: the byte order mark; else the `charset` of the `Content-Type`; else the first
//! two bytes (`<` followed or preceded by a NUL byte means UTF-16 without BOM); else UTF-8.
//! A charset that contradicts the BOM is an error.

use crate::error::{Error, Limit, LimitError, PeerError};
use crate::limits::Limits;

/// A character encoding of an envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Charset {
    /// UTF-8.
    Utf8,
    /// UTF-16, little-endian (what Windows sends).
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
}

impl Charset {
    /// The name to put in a `Content-Type` `charset` parameter.
    pub const fn content_type_name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf16Le | Self::Utf16Be => "UTF-16",
        }
    }
}

/// What [`decode`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The envelope text, without BOM.
    pub text: &'a str,
    /// The encoding the bytes were in.
    pub charset: Charset,
    /// Whether a byte order mark was present.
    pub bom: bool,
    /// Unpaired UTF-16 surrogates replaced by U+FFFD (Windows is known to send them inside
    /// event payloads; the envelope stays usable and the count says it was repaired).
    pub replaced: usize,
}

/// The charset family named by a `Content-Type` header value, if any.
///
/// ```
/// use wsman_proto::charset::{charset_of_content_type, CharsetName};
/// assert_eq!(
///     charset_of_content_type("application/soap+xml;charset=UTF-16"),
///     Ok(Some(CharsetName::Utf16))
/// );
/// assert_eq!(charset_of_content_type("application/soap+xml"), Ok(None));
/// ```
///
/// # Errors
/// [`PeerError::Charset`] for a charset other than UTF-8 / UTF-16 / UTF-16LE / UTF-16BE.
pub fn charset_of_content_type(content_type: &str) -> Result<Option<CharsetName>, Error> {
    for param in content_type.split(';').skip(1) {
        let Some((k, v)) = param.split_once('=') else {
            continue;
        };
        if !k.trim().eq_ignore_ascii_case("charset") {
            continue;
        }
        let v = v.trim().trim_matches('"');
        let name = if v.eq_ignore_ascii_case("utf-8") || v.eq_ignore_ascii_case("utf8") {
            CharsetName::Utf8
        } else if v.eq_ignore_ascii_case("utf-16") {
            CharsetName::Utf16
        } else if v.eq_ignore_ascii_case("utf-16le") {
            CharsetName::Utf16Le
        } else if v.eq_ignore_ascii_case("utf-16be") {
            CharsetName::Utf16Be
        } else {
            return Err(PeerError::Charset {
                what: "is not supported",
            }
            .into());
        };
        return Ok(Some(name));
    }
    Ok(None)
}

/// A charset as named by a `Content-Type` (UTF-16 without endianness is its own case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetName {
    /// `utf-8`.
    Utf8,
    /// `utf-16`: endianness from the BOM, little-endian without one (Windows' behaviour).
    Utf16,
    /// `utf-16le`.
    Utf16Le,
    /// `utf-16be`.
    Utf16Be,
}

/// Decodes envelope bytes into UTF-8 text: one transcode into `scratch` for UTF-16, a borrow
/// for UTF-8.
///
/// `content_type` is the HTTP `Content-Type` value (or the `OriginalContent` of an encrypted
/// body), when known.
///
/// ```
/// use wsman_proto::charset::{decode, Charset};
/// let mut scratch = String::new();
/// let bytes = b"\xFF\xFE<\0a\0/\0>\0";
/// let d = decode(bytes, None, &Default::default(), &mut scratch)?;
/// assert_eq!((d.text, d.charset, d.bom), ("<a/>", Charset::Utf16Le, true));
/// # Ok::<(), wsman_proto::Error>(())
/// ```
///
/// # Errors
/// [`LimitError`] when the bytes exceed `max_envelope_bytes`; [`PeerError::Encoding`] for bytes
/// invalid in their encoding; [`PeerError::Charset`] for an unsupported or contradictory
/// charset.
pub fn decode<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
    limits: &Limits,
    scratch: &'a mut String,
) -> Result<Decoded<'a>, Error> {
    let Sniffed {
        charset,
        bom,
        skipped,
    } = sniff(bytes, content_type, limits)?;
    let body = bytes.get(skipped..).unwrap_or_default();
    match charset {
        Charset::Utf8 => {
            let text = std::str::from_utf8(body).map_err(|e| PeerError::Encoding {
                encoding: "utf-8",
                offset: e.valid_up_to().saturating_add(skipped),
            })?;
            Ok(Decoded {
                text,
                charset,
                bom,
                replaced: 0,
            })
        }
        Charset::Utf16Le | Charset::Utf16Be => {
            scratch.clear();
            let replaced = utf16_to_string(body, charset == Charset::Utf16Be, skipped, scratch)?;
            Ok(Decoded {
                text: scratch.as_str(),
                charset,
                bom,
                replaced,
            })
        }
    }
}

/// What [`sniff`] decided: the encoding, whether a BOM was there, and how many bytes it took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sniffed {
    pub(crate) charset: Charset,
    pub(crate) bom: bool,
    /// Bytes before the text (the BOM).
    pub(crate) skipped: usize,
}

/// The encoding decision of [`decode`] (size limit, BOM, `Content-Type`, first bytes), without
/// transcoding anything.
pub(crate) fn sniff(
    bytes: &[u8],
    content_type: Option<&str>,
    limits: &Limits,
) -> Result<Sniffed, Error> {
    if bytes.len() > limits.max_envelope_bytes {
        return Err(LimitError {
            limit: Limit::EnvelopeBytes,
            max: limits.max_envelope_bytes,
            offset: limits.max_envelope_bytes,
        }
        .into());
    }
    let declared = match content_type {
        Some(ct) => charset_of_content_type(ct)?,
        None => None,
    };
    let (charset, bom, body) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (Charset::Utf8, true, rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (Charset::Utf16Le, true, rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (Charset::Utf16Be, true, rest)
    } else {
        let sniffed = match bytes {
            [0, b, ..] if *b != 0 => Charset::Utf16Be,
            [a, 0, ..] if *a != 0 => Charset::Utf16Le,
            _ => Charset::Utf8,
        };
        let cs = match declared {
            Some(CharsetName::Utf8) => Charset::Utf8,
            Some(CharsetName::Utf16Le) => Charset::Utf16Le,
            Some(CharsetName::Utf16Be) => Charset::Utf16Be,
            Some(CharsetName::Utf16) => {
                if sniffed == Charset::Utf16Be {
                    Charset::Utf16Be
                } else {
                    Charset::Utf16Le
                }
            }
            None => sniffed,
        };
        (cs, false, bytes)
    };
    if bom {
        let consistent = matches!(
            (declared, charset),
            (None, _)
                | (Some(CharsetName::Utf8), Charset::Utf8)
                | (
                    Some(CharsetName::Utf16),
                    Charset::Utf16Le | Charset::Utf16Be
                )
                | (Some(CharsetName::Utf16Le), Charset::Utf16Le)
                | (Some(CharsetName::Utf16Be), Charset::Utf16Be)
        );
        if !consistent {
            return Err(PeerError::Charset {
                what: "contradicts the byte order mark",
            }
            .into());
        }
    }
    Ok(Sniffed {
        charset,
        bom,
        skipped: bytes.len().saturating_sub(body.len()),
    })
}

/// Appends the UTF-8 form of `body` (UTF-16 in the given byte order) to `out`; unpaired
/// surrogates become U+FFFD. Returns how many were replaced. `skipped` is the offset of `body`
/// in the envelope (for error offsets).
pub(crate) fn utf16_to_string(
    body: &[u8],
    big_endian: bool,
    skipped: usize,
    out: &mut String,
) -> Result<usize, Error> {
    if body.len() % 2 != 0 {
        return Err(PeerError::Encoding {
            encoding: "utf-16",
            offset: body.len().saturating_add(skipped).saturating_sub(1),
        }
        .into());
    }
    // Build the UTF-8 bytes directly (valid by construction), reusing the caller's buffer.
    let mut buf = std::mem::take(out).into_bytes();
    // ASCII-heavy XML: UTF-8 is about half the UTF-16 size.
    buf.reserve((body.len() / 2).saturating_add(16));
    let unit = |pair: &[u8; 2]| {
        if big_endian {
            u16::from_be_bytes(*pair)
        } else {
            u16::from_le_bytes(*pair)
        }
    };
    // Mask of the bits that must be zero for four ASCII units in one 64-bit load.
    let ascii_mask: u64 = if big_endian {
        0xFF80_FF80_FF80_FF80u64.swap_bytes()
    } else {
        0xFF80_FF80_FF80_FF80
    };
    let mut replaced = 0usize;
    let mut pending: Option<u16> = None;
    let mut rest = body;
    loop {
        if pending.is_none() {
            // Fast path: sixteen ASCII units (32 bytes) per step, narrowed with shifts, one
            // append of 16 bytes.
            while let Some((block, tail)) = rest.split_first_chunk::<32>() {
                let (a, b, c, d) = words4(block);
                if (a | b | c | d) & ascii_mask != 0 {
                    break;
                }
                let lo =
                    u64::from(narrow4(a, big_endian)) | (u64::from(narrow4(b, big_endian)) << 32);
                let hi =
                    u64::from(narrow4(c, big_endian)) | (u64::from(narrow4(d, big_endian)) << 32);
                let mut out = [0u8; 16];
                let (l, h) = out.split_at_mut(8);
                l.copy_from_slice(&lo.to_le_bytes());
                h.copy_from_slice(&hi.to_le_bytes());
                buf.extend_from_slice(&out);
                rest = tail;
            }
            // Then eight units (16 bytes) at a time.
            while let Some((block, tail)) = rest.split_first_chunk::<16>() {
                let (a, b) = block.split_at(8);
                let a = a.try_into().map_or(u64::MAX, u64::from_le_bytes);
                let b = b.try_into().map_or(u64::MAX, u64::from_le_bytes);
                if (a | b) & ascii_mask != 0 {
                    break;
                }
                let lo = narrow4(a, big_endian);
                let hi = narrow4(b, big_endian);
                buf.extend_from_slice(&(u64::from(lo) | (u64::from(hi) << 32)).to_le_bytes());
                rest = tail;
            }
        }
        let Some((pair, tail)) = rest.split_first_chunk::<2>() else {
            break;
        };
        rest = tail;
        let u = unit(pair);
        let mut push = |c: char| {
            let mut tmp = [0u8; 4];
            buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
        };
        match (pending.take(), u) {
            (None, 0..=0x7F) => {
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::as_conversions,
                    reason = "u <= 0x7F fits in a byte"
                )]
                buf.push(u as u8);
            }
            (None, 0xD800..=0xDBFF) => pending = Some(u),
            (None, 0xDC00..=0xDFFF) => {
                replaced = replaced.saturating_add(1);
                push(char::REPLACEMENT_CHARACTER);
            }
            (None, _) => push(char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER)),
            (Some(hi), 0xDC00..=0xDFFF) => {
                let c = 0x10000u32
                    .wrapping_add((u32::from(hi).wrapping_sub(0xD800)) << 10)
                    .wrapping_add(u32::from(u).wrapping_sub(0xDC00));
                push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            (Some(_), 0xD800..=0xDBFF) => {
                replaced = replaced.saturating_add(1);
                push(char::REPLACEMENT_CHARACTER);
                pending = Some(u);
            }
            (Some(_), _) => {
                replaced = replaced.saturating_add(1);
                push(char::REPLACEMENT_CHARACTER);
                // Re-process this unit without a pending surrogate.
                match u {
                    0..=0x7F => {
                        #[expect(
                            clippy::cast_possible_truncation,
                            clippy::as_conversions,
                            reason = "u <= 0x7F fits in a byte"
                        )]
                        buf.push(u as u8);
                    }
                    _ => push(char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER)),
                }
            }
        }
    }
    if pending.is_some() {
        replaced = replaced.saturating_add(1);
        let mut tmp = [0u8; 4];
        buf.extend_from_slice(char::REPLACEMENT_CHARACTER.encode_utf8(&mut tmp).as_bytes());
    }
    *out = String::from_utf8(buf).map_err(|_| PeerError::Encoding {
        encoding: "utf-16",
        offset: skipped,
    })?;
    Ok(replaced)
}

/// A 32-byte block as four little-endian words.
#[inline]
fn words4(block: &[u8; 32]) -> (u64, u64, u64, u64) {
    let (a, rest) = block
        .split_first_chunk::<8>()
        .map_or(([0; 8], &[][..]), |(a, r)| (*a, r));
    let (b, rest) = rest
        .split_first_chunk::<8>()
        .map_or(([0; 8], &[][..]), |(a, r)| (*a, r));
    let (c, rest) = rest
        .split_first_chunk::<8>()
        .map_or(([0; 8], &[][..]), |(a, r)| (*a, r));
    let d = rest.first_chunk::<8>().copied().unwrap_or([0; 8]);
    (
        u64::from_le_bytes(a),
        u64::from_le_bytes(b),
        u64::from_le_bytes(c),
        u64::from_le_bytes(d),
    )
}

/// Four ASCII UTF-16 units read as one little-endian `u64` → their four bytes as a `u32`.
#[inline]
fn narrow4(word: u64, big_endian: bool) -> u32 {
    // Little-endian units: [c0,0,c1,0,c2,0,c3,0]; big-endian: [0,c0,0,c1,…] → shift down.
    let w = if big_endian { word >> 8 } else { word };
    let x = (w | (w >> 8)) & 0x0000_FFFF_0000_FFFF;
    let y = (x | (x >> 16)) & 0xFFFF_FFFF;
    u32::try_from(y).unwrap_or(0)
}

/// Encodes `xml` for sending: UTF-16LE with a BOM (what Windows expects from a collector) or
/// UTF-8 (optionally with a BOM). Appends to `out`.
///
/// ```
/// use wsman_proto::charset::{encode, Charset};
/// let mut out = Vec::new();
/// encode("<a/>", Charset::Utf16Le, true, &mut out);
/// assert_eq!(out, b"\xFF\xFE<\0a\0/\0>\0");
/// ```
pub fn encode(xml: &str, charset: Charset, bom: bool, out: &mut Vec<u8>) {
    match charset {
        Charset::Utf8 => {
            if bom {
                out.extend_from_slice(b"\xEF\xBB\xBF");
            }
            out.extend_from_slice(xml.as_bytes());
        }
        Charset::Utf16Le => {
            out.reserve(xml.len().saturating_mul(2).saturating_add(2));
            if bom {
                out.extend_from_slice(b"\xFF\xFE");
            }
            for u in xml.encode_utf16() {
                out.extend_from_slice(&u.to_le_bytes());
            }
        }
        Charset::Utf16Be => {
            out.reserve(xml.len().saturating_mul(2).saturating_add(2));
            if bom {
                out.extend_from_slice(b"\xFE\xFF");
            }
            for u in xml.encode_utf16() {
                out.extend_from_slice(&u.to_be_bytes());
            }
        }
    }
}

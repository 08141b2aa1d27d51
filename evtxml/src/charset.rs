//! Choosing the text encoding of a body and decoding it once.
//!
//! Windows forwarders declare `charset=UTF-16` (little-endian with a BOM in captures), other
//! WinRM peers send UTF-8, and quick-xml parses only ASCII-compatible encodings. The body is
//! therefore transcoded once into a caller-owned, reused `String`; UTF-8 bodies are borrowed.

use std::borrow::Cow;

use crate::error::{Error, Section};

/// The encoding of a body, as declared (`Content-Type` / `OriginalContent` charset) or detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Charset {
    /// Decide from the byte-order mark, else from the position of NUL bytes in the first
    /// character, else UTF-8.
    #[default]
    Auto,
    /// UTF-8 (a BOM is skipped).
    Utf8,
    /// UTF-16 little-endian (a BOM is skipped).
    Utf16Le,
    /// UTF-16 big-endian (a BOM is skipped).
    Utf16Be,
}

impl Charset {
    /// Maps a `charset=` parameter value (`utf-8`, `UTF-16`, `utf-16le`, …) to a hint; unknown
    /// names give [`Charset::Auto`]. Plain `UTF-16` means "look at the BOM".
    pub fn from_label(label: &str) -> Self {
        let l = label.trim().trim_matches('"');
        if l.eq_ignore_ascii_case("utf-8") || l.eq_ignore_ascii_case("utf8") {
            Self::Utf8
        } else if l.eq_ignore_ascii_case("utf-16le") {
            Self::Utf16Le
        } else if l.eq_ignore_ascii_case("utf-16be") {
            Self::Utf16Be
        } else {
            Self::Auto
        }
    }
}

/// Decodes `body` to UTF-8: borrowed when it already is UTF-8, else transcoded into `scratch`
/// (cleared first; its capacity is reused across calls).
///
/// Invalid UTF-16 (unpaired surrogates, an odd trailing byte) is replaced by U+FFFD, as
/// Windows is known to send it (OpenWEC issue #199); invalid UTF-8 is an error.
///
/// ```
/// let mut scratch = String::new();
/// let body = b"\xFF\xFE<\0a\0/\0>\0";
/// assert_eq!(evtxml::to_utf8(body, evtxml::Charset::Auto, &mut scratch).unwrap(), "<a/>");
/// assert_eq!(evtxml::to_utf8(b"<a/>", evtxml::Charset::Auto, &mut scratch).unwrap(), "<a/>");
/// ```
pub fn to_utf8<'a>(
    body: &'a [u8],
    hint: Charset,
    scratch: &'a mut String,
) -> Result<&'a str, Error> {
    let (cs, skip) = match (body, hint) {
        ([0xEF, 0xBB, 0xBF, ..], Charset::Auto | Charset::Utf8) => (Charset::Utf8, 3),
        ([0xFF, 0xFE, ..], Charset::Auto | Charset::Utf16Le) => (Charset::Utf16Le, 2),
        ([0xFE, 0xFF, ..], Charset::Auto | Charset::Utf16Be) => (Charset::Utf16Be, 2),
        ([a, 0, ..], Charset::Auto) if *a != 0 => (Charset::Utf16Le, 0),
        ([0, b, ..], Charset::Auto) if *b != 0 => (Charset::Utf16Be, 0),
        (_, Charset::Auto) => (Charset::Utf8, 0),
        (_, h) => (h, 0),
    };
    let rest = body.get(skip..).unwrap_or_default();
    match cs {
        Charset::Utf16Le | Charset::Utf16Be => {
            let le = cs == Charset::Utf16Le;
            scratch.clear();
            scratch.reserve(rest.len().saturating_add(rest.len() / 2));
            let pairs = rest.chunks_exact(2);
            let tail = pairs.remainder();
            let units = pairs.map(|p| {
                let b = [
                    p.first().copied().unwrap_or(0),
                    p.get(1).copied().unwrap_or(0),
                ];
                if le {
                    u16::from_le_bytes(b)
                } else {
                    u16::from_be_bytes(b)
                }
            });
            scratch.extend(
                char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)),
            );
            if !tail.is_empty() {
                scratch.push(char::REPLACEMENT_CHARACTER);
            }
            Ok(scratch.strip_prefix('\u{FEFF}').unwrap_or(scratch))
        }
        _ => std::str::from_utf8(rest).map_err(|e| Error::Encoding {
            encoding: "utf-8",
            offset: e.valid_up_to().saturating_add(skip),
        }),
    }
}

/// Resolves the five predefined entities and character references of `s`; `None` when `s`
/// holds any other reference (DTD-defined entities are never expanded).
pub(crate) fn unescape(s: &str) -> Option<Cow<'_, str>> {
    if !s.contains('&') {
        return Some(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        let (before, after) = rest.split_at(i);
        out.push_str(before);
        let after = after.get(1..)?;
        let j = after.find(';').filter(|j| *j > 0 && *j <= 32)?;
        let name = after.get(..j)?;
        let c = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            _ => {
                let n = name.strip_prefix('#')?;
                let code = match n.strip_prefix('x') {
                    Some(h) => u32::from_str_radix(h, 16).ok()?,
                    None => crate::parse::dec::<u32>(n)?,
                };
                char::from_u32(code).filter(|c| *c != '\0')?
            }
        };
        out.push(c);
        rest = after.get(j.saturating_add(1)..)?;
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

/// `Section` used for errors of the body iterator.
pub(crate) const BODY: Section = Section::Body;

//! Decoding an envelope from its bytes with the `Events` payloads left in their wire encoding.
//!
//! A Windows `Events` envelope is up to 512 000 bytes of UTF-16LE, nearly all of it event XML
//! in CDATA sections. [`decode`] does not transcode or parse those payloads:
//!
//! 1. It finds the `Events` start tag in the wire encoding, then scans the body items directly
//!    in that encoding (UTF-16LE, UTF-16BE or UTF-8): each `<w:Event Action="…">` tag is decoded
//!    on its own (a tag identical to the previous one is recognised by comparing bytes), and the
//!    end of its payload is found with a byte search — `]]>` for CDATA, the next `<` for escaped
//!    text (which cannot hold a `<`), whose references are checked in place.
//! 2. Only the envelope without the payloads (headers, `Body` and `Events` tags: a few KB) is
//!    transcoded and parsed by the general tree parser, which checks the headers, the structure
//!    and the namespaces exactly as [`Envelope::parse`] does.
//! 3. Each [`WireEvent`] exposes its payload as a borrowed slice of the input
//!    ([`WireEvent::raw`]) in its [`encoding`](WireEvent::encoding), and
//!    [`to_utf8`](WireEvent::to_utf8) gives the UTF-8 text when the caller needs it (a borrow for
//!    UTF-8 input, one transcode into caller scratch for UTF-16).
//!
//! Anything the scan does not recognise as the usual shape — another message, a payload sent as
//! child markup, several CDATA sections, comments between items, attributes other than
//! `Action`, a payload that may exceed a limit, any malformation — takes the general path
//! instead (one transcode of the whole envelope, then [`Envelope::parse`] and
//! [`Message::from_envelope`]). Both paths give the same headers, the same event texts and, for
//! malformed input, the same error (every error comes from the general path). Malformed input
//! can therefore cost one fast attempt plus the general path: at most about twice the general
//! cost, never more.
//!
//! ```
//! use wsman_proto::message::wire::{self, DecodePath, WireMessage};
//! use wsman_proto::charset::{encode, Charset};
//! use wsman_proto::Limits;
//! let xml = concat!(
//!     r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" "#,
//!     r#"xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" "#,
//!     r#"xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"><s:Header>"#,
//!     r#"<a:Action>http://schemas.dmtf.org/wbem/wsman/1/wsman/Events</a:Action></s:Header>"#,
//!     r#"<s:Body><w:Events><w:Event Action="http://schemas.dmtf.org/wbem/wsman/1/wsman/Event">"#,
//!     r#"<![CDATA[<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"/>]]>"#,
//!     r#"</w:Event></w:Events></s:Body></s:Envelope>"#
//! );
//! let mut bytes = Vec::new();
//! encode(xml, Charset::Utf16Le, true, &mut bytes);
//! let mut scratch = wire::Scratch::default();
//! let decoded = wire::decode(&bytes, None, &Limits::default(), &mut scratch)?;
//! assert_eq!(decoded.path, DecodePath::Fast);
//! let WireMessage::Events(batch) = &decoded.message else { panic!() };
//! let mut text = String::new();
//! for ev in &batch.items {
//!     assert_eq!(ev.encoding(), Charset::Utf16Le);
//!     assert!(ev.to_utf8(&mut text).starts_with("<Event "));
//! }
//! # Ok::<(), wsman_proto::Error>(())
//! ```

use std::borrow::Cow;

use memchr::memmem::Finder;

use crate::charset::{self, Charset};
use crate::envelope::{Action, Envelope};
use crate::error::Error;
use crate::limits::Limits;
use crate::message::{Message, PayloadForm};
use crate::ns;

/// Reusable buffers for [`decode`]: keep one per connection or worker and pass it to every call
/// (nothing is allocated once they have grown to the largest envelope seen).
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    /// The envelope text without the event payloads (fast path).
    skeleton: String,
    /// The whole transcoded envelope (general path).
    full: String,
}

impl Scratch {
    /// Empty buffers.
    pub fn new() -> Self {
        Self::default()
    }
}

/// Which path [`decode`] took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecodePath {
    /// Payloads scanned in the wire encoding; only the envelope around them was transcoded
    /// and parsed.
    Fast,
    /// The whole envelope transcoded and parsed ([`Envelope::parse`] and
    /// [`Message::from_envelope`]).
    General,
}

/// An envelope decoded by [`decode`].
#[derive(Debug, Clone)]
pub struct WireEnvelope<'a> {
    /// The parsed envelope: its [`headers`](Envelope::headers) and body. On the fast path the
    /// `Events` element of this tree is empty (its items are in [`message`](Self::message)) and
    /// [`Envelope::text`] is the envelope text without them.
    pub envelope: Envelope<'a>,
    /// The message.
    pub message: WireMessage<'a>,
    /// The encoding of the bytes.
    pub charset: Charset,
    /// Whether a byte order mark was present.
    pub bom: bool,
    /// Unpaired UTF-16 surrogates replaced by U+FFFD in the transcoded text: the whole envelope
    /// on the general path, the envelope without the payloads on the fast path (payloads are
    /// transcoded, and repaired the same way, by [`WireEvent::to_utf8`]).
    pub replaced: usize,
    /// The path taken.
    pub path: DecodePath,
}

/// The message of a [`WireEnvelope`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(
    clippy::large_enum_variant,
    reason = "decoded once per envelope and matched at once; boxing would add an allocation"
)]
pub enum WireMessage<'a> {
    /// A WS-Management `Events` message (action [`Action::EVENTS`]).
    Events(WireEvents<'a>),
    /// Any other message, as [`Message::from_envelope`] reads it (never
    /// [`Message::Events`]).
    Other(Message<'a>),
}

/// The events of an `Events` message, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WireEvents<'a> {
    /// The items.
    pub items: Vec<WireEvent<'a>>,
}

/// One `w:Event` of a batch, its payload borrowed from the input bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireEvent<'a> {
    /// The `Action` attribute (normally [`Action::EVENT`]).
    pub action: Option<Cow<'a, str>>,
    /// How the payload was carried.
    pub form: PayloadForm,
    payload: Payload<'a>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Payload<'a> {
    /// A slice of the input in its encoding: CDATA data, or escaped text with the whitespace
    /// at both ends trimmed (references not yet resolved).
    Wire { bytes: &'a [u8], charset: Charset },
    /// UTF-8 text from the general path, final.
    Text(Cow<'a, str>),
}

impl<'a> WireEvent<'a> {
    /// The payload bytes in [`encoding`](Self::encoding), without copy. For
    /// [`PayloadForm::Cdata`] (what Windows sends) this is the event XML itself. For
    /// [`PayloadForm::Escaped`] it may still hold references (`&lt;…`) when it came from the
    /// fast path: use [`to_utf8`](Self::to_utf8) for the text. On the general path (and for
    /// [`PayloadForm::Markup`]) it is the final UTF-8 text.
    pub fn raw(&self) -> &[u8] {
        match &self.payload {
            Payload::Wire { bytes, .. } => bytes,
            Payload::Text(t) => t.as_bytes(),
        }
    }

    /// The encoding of [`raw`](Self::raw).
    pub fn encoding(&self) -> Charset {
        match &self.payload {
            Payload::Wire { charset, .. } => *charset,
            Payload::Text(_) => Charset::Utf8,
        }
    }

    /// The event XML as UTF-8 text, exactly what [`Message::from_envelope`] gives as
    /// [`EventItem::xml`](crate::message::EventItem::xml): borrowed from the input when it is
    /// UTF-8 and needs no unescaping, otherwise written into `scratch` (cleared first).
    /// Unpaired UTF-16 surrogates become U+FFFD, as in [`charset::decode`].
    pub fn to_utf8<'s>(&'s self, scratch: &'s mut String) -> &'s str {
        let (bytes, cs) = match &self.payload {
            Payload::Text(t) => return t,
            Payload::Wire { bytes, charset } => (*bytes, *charset),
        };
        let escaped = self.form == PayloadForm::Escaped;
        match cs {
            Charset::Utf16Le | Charset::Utf16Be => {
                scratch.clear();
                // Even length by construction (slices start and end on unit boundaries).
                if charset::utf16_to_string(bytes, cs == Charset::Utf16Be, 0, scratch).is_err() {
                    scratch.clear();
                }
                if escaped {
                    if let Some(s) = unescaped(scratch) {
                        *scratch = s;
                    }
                }
                scratch
            }
            _ => {
                // Validated as UTF-8 with the whole envelope.
                let text = std::str::from_utf8(bytes).unwrap_or_default();
                match escaped.then(|| unescaped(text)).flatten() {
                    Some(s) => {
                        *scratch = s;
                        scratch
                    }
                    None => text,
                }
            }
        }
    }
}

/// Escaped text with its references resolved and whitespace trimmed, as the general path gives
/// it; `None` when it holds no reference (references were checked by the scan).
fn unescaped(text: &str) -> Option<String> {
    if !text.contains('&') {
        return None;
    }
    match quick_xml::escape::unescape(text) {
        Ok(Cow::Owned(s)) => {
            let t = s.trim_matches(is_ws);
            Some(if t.len() == s.len() { s } else { t.to_owned() })
        }
        Ok(Cow::Borrowed(_)) | Err(_) => None,
    }
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Decodes an envelope from its bytes: `Events` messages on the fast path (payloads left in the
/// wire encoding), everything else — and any `Events` envelope of an unusual shape — on the
/// general path. See the [module documentation](self).
///
/// `content_type` is the HTTP `Content-Type` (its charset is honoured) as for
/// [`charset::decode`].
///
/// # Errors
/// Exactly those of [`charset::decode`], [`Envelope::parse`] and [`Message::from_envelope`]
/// on the same input.
pub fn decode<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
    limits: &Limits,
    scratch: &'a mut Scratch,
) -> Result<WireEnvelope<'a>, Error> {
    let sniffed = charset::sniff(bytes, content_type, limits)?;
    let Scratch { skeleton, full } = scratch;
    if let Some(fast) = fast(bytes, sniffed, limits, skeleton) {
        return Ok(fast);
    }
    general(bytes, content_type, limits, full)
}

/// The general path: one transcode, the tree parser, the message parser.
fn general<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
    limits: &Limits,
    full: &'a mut String,
) -> Result<WireEnvelope<'a>, Error> {
    let d = charset::decode(bytes, content_type, limits, full)?;
    let envelope = Envelope::parse(d.text, limits)?;
    let message = match Message::from_envelope(&envelope, limits)? {
        Message::Events(batch) => WireMessage::Events(WireEvents {
            items: batch
                .items
                .into_iter()
                .map(|it| WireEvent {
                    action: it.action,
                    form: it.form,
                    payload: Payload::Text(it.xml),
                })
                .collect(),
        }),
        other => WireMessage::Other(other),
    };
    Ok(WireEnvelope {
        envelope,
        message,
        charset: d.charset,
        bom: d.bom,
        replaced: d.replaced,
        path: DecodePath::General,
    })
}

/// The fast path; `None` sends the envelope to the general path.
fn fast<'a>(
    bytes: &'a [u8],
    sniffed: charset::Sniffed,
    limits: &Limits,
    skeleton: &'a mut String,
) -> Option<WireEnvelope<'a>> {
    let body = bytes.get(sniffed.skipped..)?;
    let wire = match sniffed.charset {
        Charset::Utf8 => {
            // The general path validates the whole text too; payloads then borrow as `&str`.
            std::str::from_utf8(body).ok()?;
            Wire::new(body, Charset::Utf8)
        }
        cs => {
            if body.len() % 2 != 0 {
                return None;
            }
            Wire::new(body, cs)
        }
    };
    let scan = Scan::run(wire, limits)?;
    // The skeleton: the envelope up to and including the `Events` start tag, then from the
    // `Events` end tag on. Both cuts are at `<` / `>`, so transcoding the pieces gives exactly
    // the corresponding parts of the whole transcoded text.
    skeleton.clear();
    let mut replaced = 0usize;
    let mut push = |range: (usize, usize), out: &mut String| -> Option<()> {
        let piece = body.get(range.0..range.1)?;
        match wire.cs {
            Charset::Utf8 => out.push_str(std::str::from_utf8(piece).ok()?),
            cs => {
                let r = charset::utf16_to_string(piece, cs == Charset::Utf16Be, 0, out).ok()?;
                replaced = replaced.saturating_add(r);
            }
        }
        Some(())
    };
    push((0, scan.events_start), skeleton)?;
    let events_offset = skeleton.len();
    push((scan.events_start, scan.items_start), skeleton)?;
    push((scan.items_end, body.len()), skeleton)?;
    let text: &'a str = skeleton;
    let envelope = Envelope::parse(text, limits).ok()?;
    // The element found by the scan must be the `Events` element the message parser reads,
    // with the items' element name bound to the WS-Management namespace there.
    let events = envelope.body().child(ns::WSMAN, "Events")?;
    if events.offset() != events_offset || events.children().next().is_some() {
        return None;
    }
    if events.resolve_prefix(&scan.item_prefix)? != ns::WSMAN {
        return None;
    }
    let mut depth = 1usize;
    let mut up = events.parent();
    while let Some(p) = up {
        depth = depth.saturating_add(1);
        up = p.parent();
    }
    if depth.saturating_add(1) > limits.max_depth
        || envelope.element_count().saturating_add(scan.items.len()) > limits.max_elements
    {
        return None;
    }
    match Message::from_envelope(&envelope, limits) {
        Ok(Message::Events(e)) if e.items.is_empty() => {}
        _ => return None,
    }
    Some(WireEnvelope {
        envelope,
        message: WireMessage::Events(WireEvents { items: scan.items }),
        charset: sniffed.charset,
        bom: sniffed.bom,
        replaced,
        path: DecodePath::Fast,
    })
}

/// The body bytes (after any BOM) and their encoding; offsets are relative to the body, so a
/// UTF-16 code unit starts at an even offset.
#[derive(Debug, Clone, Copy)]
struct Wire<'a> {
    b: &'a [u8],
    cs: Charset,
    /// Bytes per code unit: 1 or 2.
    w: usize,
}

const LT: u16 = 0x3C;
const GT: u16 = 0x3E;

impl<'a> Wire<'a> {
    fn new(b: &'a [u8], cs: Charset) -> Self {
        let w = if cs == Charset::Utf8 { 1 } else { 2 };
        Self { b, cs, w }
    }

    /// The code unit at byte offset `i` (a byte for UTF-8).
    #[inline]
    fn unit(self, i: usize) -> Option<u16> {
        let rest = self.b.get(i..)?;
        match self.cs {
            Charset::Utf16Le => rest
                .split_first_chunk::<2>()
                .map(|(p, _)| u16::from_le_bytes(*p)),
            Charset::Utf16Be => rest
                .split_first_chunk::<2>()
                .map(|(p, _)| u16::from_be_bytes(*p)),
            _ => rest.first().map(|b| u16::from(*b)),
        }
    }

    /// The next unit offset.
    #[inline]
    fn next(self, i: usize) -> usize {
        i.saturating_add(self.w)
    }

    /// `ascii` in this encoding.
    fn encode(self, ascii: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(ascii.len().saturating_mul(self.w));
        for &c in ascii {
            match self.cs {
                Charset::Utf16Le => out.extend_from_slice(&[c, 0]),
                Charset::Utf16Be => out.extend_from_slice(&[0, c]),
                _ => out.push(c),
            }
        }
        out
    }

    /// Whether the bytes at `i` start with `pat`.
    #[inline]
    fn at(self, i: usize, pat: &[u8]) -> bool {
        self.b.get(i..).is_some_and(|r| r.starts_with(pat))
    }

    /// The first occurrence of the finder's needle at or after `from`, on a unit boundary.
    #[inline]
    fn find(self, f: &Finder<'_>, from: usize) -> Option<usize> {
        let mut start = from;
        loop {
            let pos = start.checked_add(f.find(self.b.get(start..)?)?)?;
            if pos.checked_rem(self.w) == Some(0) {
                return Some(pos);
            }
            start = pos.checked_add(1)?;
        }
    }

    /// The first unit equal to the ASCII byte `c` at or after `from`: a `memchr` for the byte
    /// (rare in event XML for `]`, absent from escaped text for `<`), then a check of its
    /// alignment and of the other byte of the unit.
    #[inline]
    fn find_ascii(self, c: u8, from: usize) -> Option<usize> {
        self.find_ascii_before(c, from, self.b.len())
    }

    /// As [`find_ascii`](Self::find_ascii), for a unit that starts before `end`.
    #[inline]
    fn find_ascii_before(self, c: u8, from: usize, end: usize) -> Option<usize> {
        // Where the ASCII byte sits inside a unit.
        let key = usize::from(self.cs == Charset::Utf16Be);
        let mut i = from.checked_add(key)?;
        let end = end.checked_add(key)?.min(self.b.len());
        loop {
            let p = i.checked_add(memchr::memchr(c, self.b.get(i..end)?)?)?;
            let unit = p.checked_sub(key)?;
            if unit >= from
                && unit.checked_rem(self.w) == Some(0)
                && self.unit(unit)? == u16::from(c)
            {
                return Some(unit);
            }
            i = p.checked_add(1)?;
        }
    }

    /// The first `]]>` at or after `from` (its `]`).
    #[inline]
    fn find_cdata_end(self, pat: &[u8], from: usize) -> Option<usize> {
        let mut i = from;
        loop {
            let p = self.find_ascii(b']', i)?;
            if self.at(p, pat) {
                return Some(p);
            }
            i = self.next(p);
        }
    }

    /// The offset of the first non-whitespace unit at or after `i`.
    #[inline]
    fn skip_ws(self, mut i: usize) -> usize {
        while matches!(self.unit(i), Some(0x20 | 0x09 | 0x0D | 0x0A)) {
            i = self.next(i);
        }
        i
    }

    /// Units between byte offsets (a count, for text limits).
    fn units(self, from: usize, to: usize) -> usize {
        to.saturating_sub(from).checked_div(self.w).unwrap_or(0)
    }

    /// The longest UTF-8 form of `bytes` bytes of this encoding (UTF-16: three UTF-8 bytes per
    /// two-byte unit at most).
    fn max_utf8(self, bytes: usize) -> usize {
        if self.w == 1 {
            bytes
        } else {
            (bytes / 2).saturating_mul(3)
        }
    }

    /// The bytes `[from, to)` as a string, or `None` when they are not all ASCII.
    fn ascii(self, from: usize, to: usize) -> Option<String> {
        let mut s = String::new();
        let mut i = from;
        while i < to {
            let u = self.unit(i)?;
            s.push(char::from(u8::try_from(u).ok().filter(u8::is_ascii)?));
            i = self.next(i);
        }
        Some(s)
    }

    /// The text of `[from, to)` (an attribute value): borrowed from UTF-8 input, decoded from
    /// UTF-16 with unpaired surrogates replaced (as the whole-envelope transcode does).
    fn text(self, from: usize, to: usize) -> Option<Cow<'a, str>> {
        let bytes = self.b.get(from..to)?;
        match self.cs {
            Charset::Utf16Le | Charset::Utf16Be => {
                let be = self.cs == Charset::Utf16Be;
                let units = bytes.chunks_exact(2).map(|p| {
                    let pair = [
                        p.first().copied().unwrap_or(0),
                        p.get(1).copied().unwrap_or(0),
                    ];
                    if be {
                        u16::from_be_bytes(pair)
                    } else {
                        u16::from_le_bytes(pair)
                    }
                });
                Some(Cow::Owned(
                    char::decode_utf16(units)
                        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                        .collect(),
                ))
            }
            _ => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
        }
    }
}

fn is_name_unit(u: u16) -> bool {
    matches!(u, 0x30..=0x39 | 0x41..=0x5A | 0x61..=0x7A | 0x2D | 0x2E | 0x5F)
}

fn is_ws_unit(u: u16) -> bool {
    matches!(u, 0x20 | 0x09 | 0x0D | 0x0A)
}

/// What the scan of the wire found.
struct Scan<'a> {
    /// Offset of the `Events` start tag's `<`.
    events_start: usize,
    /// Offset just after that tag (the first item or whitespace).
    items_start: usize,
    /// Offset of the `Events` end tag's `<`.
    items_end: usize,
    /// The prefix of the items' element name (`""` when unprefixed).
    item_prefix: String,
    items: Vec<WireEvent<'a>>,
}

/// The byte patterns of the scan, in the wire encoding.
struct Patterns {
    cdata_open: Vec<u8>,
    cdata_end: Vec<u8>,
    events: Finder<'static>,
    end_tag_open: Vec<u8>,
}

impl Patterns {
    fn new(wire: Wire<'_>) -> Self {
        let finder = |s: &[u8]| Finder::new(&wire.encode(s)).into_owned();
        Self {
            cdata_open: wire.encode(b"<![CDATA["),
            cdata_end: wire.encode(b"]]>"),
            events: finder(b"Events"),
            end_tag_open: wire.encode(b"</"),
        }
    }
}

/// A validated item start tag: its bytes (to recognise the same tag again by comparison) and
/// its `Action`.
struct Tag<'a> {
    bytes: &'a [u8],
    action: Option<Cow<'a, str>>,
}

impl<'a> Scan<'a> {
    fn run(wire: Wire<'a>, limits: &Limits) -> Option<Self> {
        let pats = Patterns::new(wire);
        let (events_start, items_start) = find_events_tag(wire, &pats)?;
        let mut items: Vec<WireEvent<'a>> = Vec::new();
        let mut last: Option<Tag<'a>> = None;
        // The items' qualified name (ASCII) and its end tag `</name` in the wire encoding.
        let mut item_name: Option<(String, Vec<u8>)> = None;
        let mut pos = items_start;
        let items_end = loop {
            let lt = wire.skip_ws(pos);
            if wire.units(pos, lt) > limits.max_text_bytes {
                return None;
            }
            if wire.unit(lt)? != LT {
                return None;
            }
            if wire.at(lt, &pats.end_tag_open) {
                break lt;
            }
            if items.len() >= limits.max_events {
                return None;
            }
            // The start tag: the previous one again, or parsed.
            let (tag_end, action) = match &last {
                Some(t) if wire.at(lt, t.bytes) => {
                    (lt.checked_add(t.bytes.len())?, t.action.clone())
                }
                _ => {
                    let (end, name, action) = parse_item_tag(wire, lt, limits)?;
                    match &item_name {
                        Some((n, _)) if *n != name => return None,
                        Some(_) => {}
                        None => {
                            let mut close = b"</".to_vec();
                            close.extend_from_slice(name.as_bytes());
                            item_name = Some((name, wire.encode(&close)));
                        }
                    }
                    last = Some(Tag {
                        bytes: wire.b.get(lt..end)?,
                        action: action.clone(),
                    });
                    (end, action)
                }
            };
            let close_tag = &item_name.as_ref()?.1;
            // The payload: one CDATA section, or escaped text, each with whitespace around.
            let content = wire.skip_ws(tag_end);
            let (payload, form, close) = if wire.at(content, &pats.cdata_open) {
                let data = content.checked_add(pats.cdata_open.len())?;
                let data_end = wire.find_cdata_end(&pats.cdata_end, data)?;
                if wire.max_utf8(data_end.saturating_sub(data)) > limits.max_text_bytes
                    || wire.units(tag_end, content) > limits.max_text_bytes
                {
                    return None;
                }
                let after = data_end.checked_add(wire.w.checked_mul(3)?)?;
                let close = wire.skip_ws(after);
                if wire.units(after, close) > limits.max_text_bytes {
                    return None;
                }
                (wire.b.get(data..data_end)?, PayloadForm::Cdata, close)
            } else {
                // Escaped text holds no `<`: the next one ends it.
                let close = wire.find_ascii(b'<', tag_end)?;
                if wire.max_utf8(close.saturating_sub(tag_end)) > limits.max_text_bytes {
                    return None;
                }
                check_references(wire, tag_end, close)?;
                // Trim whitespace at both ends (the general path trims the text).
                let mut end = close;
                while end > content {
                    let prev = end.checked_sub(wire.w)?;
                    if !is_ws_unit(wire.unit(prev)?) {
                        break;
                    }
                    end = prev;
                }
                (wire.b.get(content..end)?, PayloadForm::Escaped, close)
            };
            // The end tag: `</name`, optional whitespace, `>`.
            if !wire.at(close, close_tag) {
                return None;
            }
            let gt = wire.skip_ws(close.checked_add(close_tag.len())?);
            if wire.unit(gt)? != GT {
                return None;
            }
            items.push(WireEvent {
                action,
                form,
                payload: Payload::Wire {
                    bytes: payload,
                    charset: wire.cs,
                },
            });
            pos = wire.next(gt);
        };
        let item_prefix = match item_name {
            None => String::new(),
            Some((mut n, _)) => {
                n.truncate(n.len().saturating_sub("Event".len()));
                n.pop(); // the `:` (nothing for an unprefixed name)
                n
            }
        };
        Some(Self {
            events_start,
            items_start,
            items_end,
            item_prefix,
            items,
        })
    }
}

/// The first `Events` start tag: the `<` of the first occurrence of `Events` that reads as an
/// element name (after `<` or `<prefix:`, followed by whitespace or `>`), and the offset after
/// its `>`. `None` for an empty element or when the first such occurrence does not close.
fn find_events_tag(wire: Wire<'_>, pats: &Patterns) -> Option<(usize, usize)> {
    let mut from = 0usize;
    loop {
        let hit = wire.find(&pats.events, from)?;
        from = wire.next(hit);
        let after = hit.checked_add(wire.w.checked_mul(6)?)?;
        let next = wire.unit(after)?;
        if !(is_ws_unit(next) || next == GT) {
            continue;
        }
        // Walk back over `prefix:` to the `<`.
        let mut i = hit.checked_sub(wire.w)?;
        let mut u = wire.unit(i)?;
        if u == u16::from(b':') {
            let mut n = 0usize;
            loop {
                i = i.checked_sub(wire.w)?;
                u = wire.unit(i)?;
                if !is_name_unit(u) {
                    break;
                }
                n = n.saturating_add(1);
            }
            if n == 0 {
                continue;
            }
        }
        if u != LT {
            continue;
        }
        // The end of the start tag (attribute values may hold `>`).
        let mut j = after;
        let mut quote: Option<u16> = None;
        let mut prev = 0u16;
        loop {
            let c = wire.unit(j)?;
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == 0x22 || c == 0x27 => quote = Some(c),
                None if c == LT => return None,
                None if c == GT => {
                    if prev == u16::from(b'/') {
                        return None;
                    }
                    return Some((i, wire.next(j)));
                }
                None => {}
            }
            prev = c;
            j = wire.next(j);
        }
    }
}

/// Parses an item start tag at `lt` of the strict shape `<name>` or `<name Action="…">`
/// (either quote, whitespace around `=`), `name` ASCII and ending in `Event`. Returns the
/// offset after `>`, the name and the action. Anything else is for the general path.
fn parse_item_tag<'a>(
    wire: Wire<'a>,
    lt: usize,
    limits: &Limits,
) -> Option<(usize, String, Option<Cow<'a, str>>)> {
    let name_start = wire.next(lt);
    let mut i = name_start;
    while wire.unit(i).is_some_and(|u| is_name_unit(u) || u == 0x3A) {
        i = wire.next(i);
    }
    let name = wire.ascii(name_start, i)?;
    let prefixed = name.len() > ":Event".len() && name.ends_with(":Event");
    if !(name == "Event" || prefixed) || name.matches(':').count() > 1 {
        return None;
    }
    let mut action = None;
    loop {
        let j = wire.skip_ws(i);
        let u = wire.unit(j)?;
        if u == GT {
            return Some((wire.next(j), name, action));
        }
        if j == i || action.is_some() || limits.max_attributes == 0 {
            return None;
        }
        let attr_start = j;
        let mut k = j;
        while wire.unit(k).is_some_and(is_name_unit) {
            k = wire.next(k);
        }
        if wire.ascii(attr_start, k)? != "Action" {
            return None;
        }
        let eq = wire.skip_ws(k);
        if wire.unit(eq)? != u16::from(b'=') {
            return None;
        }
        let q = wire.skip_ws(wire.next(eq));
        let quote = wire.unit(q)?;
        if quote != 0x22 && quote != 0x27 {
            return None;
        }
        let v_start = wire.next(q);
        let mut v_end = v_start;
        loop {
            let c = wire.unit(v_end)?;
            if c == quote {
                break;
            }
            if c == LT || c == u16::from(b'&') {
                return None;
            }
            v_end = wire.next(v_end);
        }
        let value = wire.text(v_start, v_end)?;
        if value.len() > limits.max_attribute_bytes {
            return None;
        }
        action = Some(if value == Action::EVENT.as_str() {
            Action::EVENT.0
        } else {
            value
        });
        i = wire.next(v_end);
    }
}

/// Checks every reference in escaped text `[from, to)`: one of the five predefined entities or
/// a character reference to a non-NUL character, as the general path requires.
fn check_references(wire: Wire<'_>, from: usize, to: usize) -> Option<()> {
    let mut at = from;
    while let Some(a) = wire.find_ascii_before(b'&', at, to) {
        let name_start = wire.next(a);
        let mut i = name_start;
        let mut n = 0usize;
        while wire.unit(i)? != u16::from(b';') {
            i = wire.next(i);
            n = n.saturating_add(1);
            if n > 10 || i >= to {
                return None;
            }
        }
        let name = wire.ascii(name_start, i)?;
        let ok = match name.as_bytes() {
            b"lt" | b"gt" | b"amp" | b"apos" | b"quot" => true,
            [b'#', b'x', hex @ ..] => !hex.is_empty() && char_ref(hex, 16),
            [b'#', dec @ ..] => !dec.is_empty() && char_ref(dec, 10),
            _ => false,
        };
        if !ok {
            return None;
        }
        at = wire.next(i);
    }
    Some(())
}

/// A character reference's digits name a character other than NUL (digits only: no sign).
fn char_ref(digits: &[u8], radix: u32) -> bool {
    digits.iter().all(|d| char::from(*d).is_digit(radix))
        && std::str::from_utf8(digits)
            .ok()
            .and_then(|s| u32::from_str_radix(s, radix).ok())
            .and_then(char::from_u32)
            .is_some_and(|c| c != '\0')
}

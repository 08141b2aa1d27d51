//! The event parser: a recursive-descent reader over [`Lexer`](crate::lexer::Lexer) tokens,
//! matching elements on (namespace, local name).
//!
//! Elements of the event schema are recognised when they are in the event namespace (or in no
//! namespace, for documents that omit the declaration). The parser is iterative where the input
//! controls the nesting (element trees), so `max_depth` bounds memory, not stack use.

use std::borrow::Cow;

use crate::error::{Error, Section};
use crate::event::{
    Attribute, Correlation, DataItem, DebugData, EVENT_NS, Element, Event, EventData, Execution,
    Guid, Node, Num, Payload, ProcessingErrorData, Provider, RenderingInfo, Security, System, Time,
    TimeCreated, UserData,
};
use crate::lexer::{Lex, LexError, Lexer, Resolved, Scratch, StartTag};
use crate::limits::{Limit, Limits};
use crate::normalize::{Repair, RepairKind};

/// The namespace an element resolved to.
#[derive(Debug)]
enum Ns<'a> {
    /// The event schema's namespace (`true`), or no namespace at all (`false`).
    Event(bool),
    /// Another namespace, or an undeclared prefix (`None`).
    Other(Option<Cow<'a, str>>),
}

impl Ns<'_> {
    fn is_event(&self) -> bool {
        matches!(self, Self::Event(_))
    }
}

/// One token of the input, comments/PIs/declarations skipped, references resolved.
enum Tok<'a> {
    Start(StartTag<'a>, Ns<'a>),
    Empty(StartTag<'a>, Ns<'a>),
    End,
    /// Character data (references resolved) or CDATA content.
    Text(Cow<'a, str>),
    Eof,
}

pub(crate) fn parse<'a>(
    xml: &'a str,
    limits: &Limits,
    repairs: &mut Vec<Repair>,
    scratch: &mut Scratch,
) -> Result<Event<'a>, Error> {
    let mut event = Event::default();
    parse_with(xml, limits, repairs, scratch, true, &mut event).map(|()| event)
}

/// [`parse`] into `event` (which must be empty): the caller's slot is filled in place rather
/// than the large record being moved out. On an error `event` holds a partial record.
pub(crate) fn parse_into<'a>(
    xml: &'a str,
    limits: &Limits,
    repairs: &mut Vec<Repair>,
    scratch: &mut Scratch,
    event: &mut Event<'a>,
) -> Result<(), Error> {
    parse_with(xml, limits, repairs, scratch, true, event)
}

/// [`parse`] with the fast paths on (`fast`), or off: every element then goes through the
/// general token-by-token path, the reference the fast paths are tested against.
fn parse_with<'a>(
    xml: &'a str,
    limits: &Limits,
    repairs: &mut Vec<Repair>,
    scratch: &mut Scratch,
    fast: bool,
    event: &mut Event<'a>,
) -> Result<(), Error> {
    if xml.len() > limits.max_event_bytes {
        return Err(Error::Limit {
            limit: Limit::EventBytes,
            offset: limits.max_event_bytes,
        });
    }
    let mut p = Parser {
        xml,
        lx: Lexer::with_scratch(xml, scratch),
        limits: *limits,
        repairs,
        items: 0,
        tok_start: 0,
        fast,
    };
    let result = p.document(event);
    p.lx.into_scratch(scratch);
    result
}

struct Parser<'a, 'r> {
    xml: &'a str,
    lx: Lexer<'a>,
    limits: Limits,
    repairs: &'r mut Vec<Repair>,
    items: usize,
    /// Byte offset where the last token began.
    tok_start: usize,
    /// Whether the fast paths are used (always, but in the tests that compare them with the
    /// general path).
    fast: bool,
}

/// Re-borrows `part` (a slice of `src`) with the lifetime of `src`.
pub(crate) fn rebase<'a>(src: &'a str, part: &str) -> Option<&'a str> {
    let start = part.as_ptr().addr().checked_sub(src.as_ptr().addr())?;
    src.get(start..start.checked_add(part.len())?)
}

/// `true` for characters XML 1.0 does not allow (C0 controls but TAB, LF, CR; U+FFFE/U+FFFF).
fn is_illegal_char(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

fn append<'a>(acc: &mut Option<Cow<'a, str>>, piece: Cow<'a, str>) {
    match acc {
        None => *acc = Some(piece),
        Some(a) => {
            if a.is_empty() {
                *a = piece;
            } else if !piece.is_empty() {
                a.to_mut().push_str(&piece);
            }
        }
    }
}

/// Parses a decimal number of type `T`.
pub(crate) fn dec<T: TryFrom<u64>>(s: &str) -> Option<T> {
    if s.is_empty() {
        return None;
    }
    // Digits only, accumulated with overflow checks: what `str::parse` accepts for unsigned
    // types, in one pass.
    let mut v: u64 = 0;
    for &b in s.as_bytes() {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    T::try_from(v).ok()
}

#[expect(
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    reason = "const table construction, i < 256"
)]
const HEX_VALUE: [u8; 256] = {
    let mut t = [0xFF; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => 0xFF,
        };
        i += 1;
    }
    t
};

/// The value of one hexadecimal digit.
#[inline]
pub(crate) fn hex_digit(b: u8) -> Option<u8> {
    HEX_VALUE.get(usize::from(b)).copied().filter(|&d| d < 16)
}

/// Parses `0x`-prefixed hexadecimal (or plain decimal) into a `u64`.
pub(crate) fn hex64(s: &str) -> Option<u64> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) if !h.is_empty() => {
            // Hex digits only, accumulated with an overflow check (as `from_str_radix`).
            let mut v: u64 = 0;
            for &c in h.as_bytes() {
                let d = u64::from(hex_digit(c)?);
                if v > u64::MAX >> 4 {
                    return None;
                }
                v = v.wrapping_shl(4) | d;
            }
            Some(v)
        }
        Some(_) => None,
        None => dec(s),
    }
}

/// Parses a GUID with or without braces, in any case.
pub(crate) fn guid(s: &str) -> Option<u128> {
    let inner = s
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(s);
    let b: &[u8; 36] = inner.as_bytes().try_into().ok()?;
    // Dashes at 8, 13, 18 and 23; the 32 digits as four words of eight, converted eight at a
    // time.
    if [8, 13, 18, 23].iter().any(|&i| b.get(i) != Some(&b'-')) {
        return None;
    }
    let (first, rest) = b.split_first_chunk::<8>()?;
    let rest = rest.get(1..)?;
    let (g2, rest) = rest.split_first_chunk::<4>()?;
    let rest = rest.get(1..)?;
    let (g3, rest) = rest.split_first_chunk::<4>()?;
    let rest = rest.get(1..)?;
    let (g4, rest) = rest.split_first_chunk::<4>()?;
    let rest = rest.get(1..)?;
    let (g5a, g5b) = rest.split_first_chunk::<4>()?;
    let g5b: &[u8; 8] = g5b.try_into().ok()?;
    let join = |a: &[u8; 4], b: &[u8; 4]| {
        let mut w = [0u8; 8];
        let (lo, hi) = w.split_at_mut(4);
        lo.copy_from_slice(a);
        hi.copy_from_slice(b);
        w
    };
    let hi = u64::from(crate::swar::hex8(first)?).wrapping_shl(32)
        | u64::from(crate::swar::hex8(&join(g2, g3))?);
    let lo = u64::from(crate::swar::hex8(&join(g4, g5a))?).wrapping_shl(32)
        | u64::from(crate::swar::hex8(g5b)?);
    Some(u128::from(hi).wrapping_shl(64) | u128::from(lo))
}

/// The digit-by-digit GUID parser [`guid`] replaced (the reference of its tests).
#[cfg(test)]
pub(crate) fn guid_bytewise(s: &str) -> Option<u128> {
    let inner = s
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(s);
    let b = inner.as_bytes();
    if b.len() != 36 {
        return None;
    }
    // 32 digits in two 64-bit halves, dashes at 8, 13, 18 and 23.
    let (mut hi, mut lo, mut n) = (0u64, 0u64, 0u32);
    for (i, &c) in b.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if c != b'-' {
                return None;
            }
            continue;
        }
        let d = u64::from(hex_digit(c)?);
        if n < 16 {
            hi = hi.wrapping_shl(4) | d;
        } else {
            lo = lo.wrapping_shl(4) | d;
        }
        n = n.wrapping_add(1);
    }
    Some(u128::from(hi).wrapping_shl(64) | u128::from(lo))
}

pub(crate) fn num_dec<'a, T: TryFrom<u64>>(raw: Cow<'a, str>) -> Num<'a, T> {
    let value = dec(&raw);
    Num { raw, value }
}

pub(crate) fn num_hex(raw: Cow<'_, str>) -> Num<'_, u64> {
    let value = hex64(&raw);
    Num { raw, value }
}

pub(crate) fn make_guid(raw: Cow<'_, str>) -> Guid<'_> {
    let value = guid(&raw);
    Guid { raw, value }
}

pub(crate) fn make_time(raw: Cow<'_, str>) -> Time<'_> {
    let value = crate::time::Timestamp::parse(&raw);
    Time { raw, value }
}

impl<'a> Parser<'a, '_> {
    fn offset(&self) -> usize {
        self.lx.position()
    }

    fn repair(&mut self, kind: RepairKind, section: Section) {
        let offset = self.tok_start;
        self.repairs.push(Repair {
            kind,
            section,
            offset,
        });
    }

    fn count_item(&mut self) -> Result<(), Error> {
        self.items = self.items.saturating_add(1);
        if self.items > self.limits.max_items {
            return Err(Error::Limit {
                limit: Limit::Items,
                offset: self.tok_start,
            });
        }
        Ok(())
    }

    fn lex_error(e: LexError, section: Section) -> Error {
        if e.truncated {
            Error::Truncated {
                section,
                offset: e.offset,
            }
        } else {
            Error::Xml {
                section,
                offset: e.offset,
                reason: e.reason,
            }
        }
    }

    fn ns_of(&self, tag: &StartTag<'a>) -> Ns<'a> {
        match self.lx.resolve_tag(tag) {
            Resolved::Unbound => Ns::Event(false),
            Resolved::EventNs => Ns::Event(true),
            Resolved::Bound(uri) => Ns::Other(Some(uri)),
            Resolved::UnknownPrefix => Ns::Other(None),
        }
    }

    /// [`next`](Self::next) where only elements matter: whitespace-only text is skipped by the
    /// lexer (pretty-printed input has it between every element).
    fn snext(&mut self, section: Section) -> Result<Tok<'a>, Error> {
        self.lx.skip_blank = true;
        let t = self.next(section);
        self.lx.skip_blank = false;
        t
    }

    fn next(&mut self, section: Section) -> Result<Tok<'a>, Error> {
        self.tok_start = self.lx.position();
        let t = self.lx.next().map_err(|e| Self::lex_error(e, section))?;
        Ok(match t {
            Lex::Start(s, empty) => {
                let ns = self.ns_of(&s);
                if empty {
                    Tok::Empty(s, ns)
                } else {
                    Tok::Start(s, ns)
                }
            }
            Lex::End => Tok::End,
            // Whitespace between elements (pretty-printed input) needs no resolution.
            Lex::Text(raw) if is_blank(raw) => Tok::Text(Cow::Borrowed(raw)),
            Lex::Text(raw) => Tok::Text(self.resolve(raw, section)),
            Lex::CData(c) => {
                if c.chars().any(is_illegal_char) {
                    self.repair(RepairKind::IllegalCharacter, section);
                }
                Tok::Text(Cow::Borrowed(c))
            }
            Lex::DocType => {
                return Err(Error::Dtd {
                    offset: self.tok_start,
                });
            }
            Lex::Eof => Tok::Eof,
        })
    }

    /// Resolves references in raw text or an attribute value: the five predefined entities and
    /// character references. Reports characters XML forbids and undefined entities (kept as
    /// literal text). Borrows unless a reference had to be resolved.
    fn resolve(&mut self, raw: &'a str, section: Section) -> Cow<'a, str> {
        let bytes = raw.as_bytes();
        // Whether there is a reference, and a byte that may make the text illegal (a control
        // character other than TAB/LF/CR, or 0xEF): one scan each at most.
        let amp = crate::swar::find_byte(bytes, b'&');
        let suspicious = match amp {
            Some(at) => bytes
                .get(..at)
                .and_then(crate::swar::find_suspicious)
                .or_else(|| {
                    bytes
                        .get(at.saturating_add(1)..)
                        .and_then(crate::swar::find_suspicious)
                })
                .is_some(),
            None => crate::swar::find_suspicious(bytes).is_some(),
        };
        let amp = amp.is_some();
        if suspicious && raw.chars().any(is_illegal_char) {
            self.repair(RepairKind::IllegalCharacter, section);
        }
        if !amp {
            return Cow::Borrowed(raw);
        }
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(i) = crate::swar::find_byte(rest.as_bytes(), b'&') {
            out.push_str(rest.get(..i).unwrap_or_default());
            let after = rest.get(i.saturating_add(1)..).unwrap_or_default();
            // The predefined entities (nearly every reference) by their bytes: as resolved below.
            let ab = after.as_bytes();
            let quick = match ab.first_chunk::<3>() {
                Some(b"lt;") => Some((b'<', 3)),
                Some(b"gt;") => Some((b'>', 3)),
                _ => match ab.first_chunk::<4>() {
                    Some(b"amp;") => Some((b'&', 4)),
                    _ => match ab.first_chunk::<5>() {
                        Some(b"quot;") => Some((b'"', 5)),
                        Some(b"apos;") => Some((b'\'', 5)),
                        _ => None,
                    },
                },
            };
            if let Some((c, n)) = quick {
                out.push(char::from(c));
                rest = after.get(n..).unwrap_or_default();
                continue;
            }
            // A reference name longer than 32 bytes is not one: only the first 33 bytes matter.
            let semi = after.as_bytes().iter().take(33).position(|&c| c == b';');
            match semi {
                Some(j) if j > 0 && j <= 32 => {
                    let name = after.get(..j).unwrap_or_default();
                    let resolved = match name {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "apos" => Some('\''),
                        "quot" => Some('"'),
                        _ => name.strip_prefix('#').and_then(|n| {
                            let code = match n.strip_prefix('x') {
                                Some(h) => u32::from_str_radix(h, 16).ok(),
                                None => dec::<u32>(n),
                            };
                            code.filter(|&c| c != 0).and_then(char::from_u32)
                        }),
                    };
                    match resolved {
                        Some(c) => {
                            if is_illegal_char(c) {
                                self.repair(RepairKind::IllegalCharacter, section);
                            }
                            out.push(c);
                        }
                        None => {
                            self.repair(RepairKind::UndefinedEntity, section);
                            out.push('&');
                            out.push_str(name);
                            out.push(';');
                        }
                    }
                    rest = after.get(j.saturating_add(1)..).unwrap_or_default();
                }
                _ => {
                    self.repair(RepairKind::UndefinedEntity, section);
                    out.push('&');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        Cow::Owned(out)
    }

    /// Enforces `max_text_bytes` on a value.
    #[inline]
    fn check_text_len(&self, raw: &str) -> Result<(), Error> {
        if raw.len() > self.limits.max_text_bytes {
            return Err(Error::Limit {
                limit: Limit::TextBytes,
                offset: self.tok_start,
            });
        }
        Ok(())
    }

    /// Resolves an attribute value, enforcing `max_text_bytes`.
    fn attr_value(&mut self, raw: &'a str, section: Section) -> Result<Cow<'a, str>, Error> {
        self.check_text_len(raw)?;
        Ok(self.resolve(raw, section))
    }

    /// Calls `f(local_name, value)` for each attribute of the start tag just read (`xmlns`
    /// declarations skipped); `f` returns `false` for an attribute it does not know.
    fn attributes(
        &mut self,
        _s: &StartTag<'a>,
        section: Section,
        mut f: impl FnMut(&str, Cow<'a, str>) -> bool,
    ) -> Result<(), Error> {
        let attrs = core::mem::take(&mut self.lx.attrs);
        let result = (|| {
            if attrs.len() > self.limits.max_attributes {
                return Err(Error::Limit {
                    limit: Limit::Attributes,
                    offset: self.tok_start,
                });
            }
            for a in &attrs {
                if a.name.starts_with('x') && (a.name == "xmlns" || a.name.starts_with("xmlns:")) {
                    continue;
                }
                let v = if a.clean {
                    self.check_text_len(a.value)?;
                    Cow::Borrowed(a.value)
                } else {
                    self.attr_value(a.value, section)?
                };
                let local = match crate::lexer::colon(a.name) {
                    Some(i) => a.name.get(i.saturating_add(1)..).unwrap_or(a.name),
                    None => a.name,
                };
                if !f(local, v) {
                    self.repair(RepairKind::UnknownAttribute, section);
                }
            }
            Ok(())
        })();
        self.lx.attrs = attrs;
        result
    }

    /// Reads the text content of an element whose start tag was just read, through its end tag.
    fn text(&mut self, section: Section, depth: usize) -> Result<Cow<'a, str>, Error> {
        // Fast path: `<x>text</x>`, the shape of nearly every value.
        self.tok_start = self.lx.position();
        if let Some((raw, clean)) = self.fast.then(|| self.lx.simple_content()).flatten() {
            // Clean text (and blank text, which `resolve` returns as is) needs no resolution.
            // The limit applies to the value, references resolved, as on the general path.
            let value = if clean {
                Cow::Borrowed(raw)
            } else {
                self.resolve(raw, section)
            };
            if value.len() > self.limits.max_text_bytes {
                return Err(Error::Limit {
                    limit: Limit::TextBytes,
                    offset: self.tok_start,
                });
            }
            return Ok(value);
        }
        let content_start = self.tok_start;
        let mut acc: Option<Cow<'a, str>> = None;
        loop {
            match self.next(section)? {
                Tok::Text(t) => append(&mut acc, t),
                Tok::Start(s, ns) => {
                    self.repair(RepairKind::UnknownElement, section);
                    self.tree(s, ns, false, depth.saturating_add(1), section)?;
                }
                Tok::Empty(..) => self.repair(RepairKind::UnknownElement, section),
                Tok::End => break,
                Tok::Eof => {
                    return Err(Error::Truncated {
                        section,
                        offset: self.offset(),
                    });
                }
            }
            if acc
                .as_ref()
                .is_some_and(|a| a.len() > self.limits.max_text_bytes)
            {
                return Err(Error::Limit {
                    limit: Limit::TextBytes,
                    offset: self.tok_start,
                });
            }
        }
        // What the caller reports about the value is located at its start, as on the fast path.
        self.tok_start = content_start;
        Ok(acc.unwrap_or(Cow::Borrowed("")))
    }

    /// Skips the content of an attribute-only element (`<Provider …>\n</Provider>`).
    fn no_content(&mut self, section: Section, depth: usize) -> Result<(), Error> {
        // Fast path: whitespace (pretty-printed input) or nothing, then the end tag.
        if self.fast && self.lx.blank_content(self.limits.max_text_bytes) {
            return Ok(());
        }
        let t = self.text(section, depth)?;
        if !is_blank(&t) {
            self.repair(RepairKind::StrayText, section);
        }
        Ok(())
    }

    fn check_depth(&self, depth: usize) -> Result<(), Error> {
        if depth > self.limits.max_depth {
            return Err(Error::Limit {
                limit: Limit::Depth,
                offset: self.tok_start,
            });
        }
        Ok(())
    }

    fn new_element(
        &mut self,
        s: &StartTag<'a>,
        ns: Ns<'a>,
        section: Section,
    ) -> Result<Element<'a>, Error> {
        self.count_item()?;
        let namespace = match ns {
            Ns::Event(true) => Some(Cow::Borrowed(EVENT_NS)),
            Ns::Event(false) => None,
            Ns::Other(u) => u,
        };
        let attrs = core::mem::take(&mut self.lx.attrs);
        let result = (|| {
            if attrs.len() > self.limits.max_attributes {
                return Err(Error::Limit {
                    limit: Limit::Attributes,
                    offset: self.tok_start,
                });
            }
            let mut attributes = Vec::with_capacity(attrs.len());
            for a in &attrs {
                let value = self.attr_value(a.value, section)?;
                attributes.push(Attribute {
                    name: Cow::Borrowed(a.name),
                    value,
                });
            }
            Ok(attributes)
        })();
        self.lx.attrs = attrs;
        Ok(Element {
            name: Cow::Borrowed(s.name),
            namespace,
            attributes: result?,
            children: Vec::new(),
        })
    }

    /// Reads a whole element tree whose start tag `s` was just read (iteratively).
    fn tree(
        &mut self,
        s: StartTag<'a>,
        ns: Ns<'a>,
        empty: bool,
        depth: usize,
        section: Section,
    ) -> Result<Element<'a>, Error> {
        self.check_depth(depth)?;
        let root = self.new_element(&s, ns, section)?;
        if empty {
            return Ok(root);
        }
        let mut stack: Vec<Element<'a>> = vec![root];
        loop {
            // Fast paths, each doing what the general path below does with the same tokens:
            // whitespace up to the next markup (a new text node), an end tag, and a leaf
            // `<name>text</name>` (no prefix, no attributes, text that needs no resolution).
            if self.fast {
                let start = self.lx.position();
                if let Some(end) = self.lx.blank_before_markup() {
                    let Some(top) = stack.last_mut() else {
                        continue;
                    };
                    if !matches!(top.children.last(), Some(Node::Text(_))) {
                        top.children.push(Node::Text(Cow::Borrowed(
                            self.xml.get(start..end).unwrap_or_default(),
                        )));
                        self.tok_start = start;
                        self.lx.commit_to(end);
                        self.count_item()?;
                        continue;
                    }
                }
                if self.lx.blank_content(0) {
                    self.tok_start = start;
                    let Some(done) = stack.pop() else { continue };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(Node::Element(done)),
                        None => return Ok(done),
                    }
                    continue;
                }
            }
            if let Some((name, text, text_start, end)) =
                self.fast.then(|| self.lx.leaf_element()).flatten()
            {
                self.tok_start = self.lx.position();
                self.check_depth(depth.saturating_add(stack.len()))?;
                self.count_item()?;
                let namespace = match self.ns_of(&StartTag::unprefixed(name)) {
                    Ns::Event(true) => Some(Cow::Borrowed(EVENT_NS)),
                    Ns::Event(false) => None,
                    Ns::Other(u) => u,
                };
                let mut children = Vec::new();
                if !text.is_empty() {
                    self.tok_start = text_start;
                    self.count_item()?;
                    children.push(Node::Text(Cow::Borrowed(text)));
                }
                self.lx.commit_to(end);
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::Element(Element {
                        name: Cow::Borrowed(name),
                        namespace,
                        attributes: Vec::new(),
                        children,
                    }));
                }
                continue;
            }
            match self.next(section)? {
                Tok::Start(s, ns) => {
                    self.check_depth(depth.saturating_add(stack.len()))?;
                    let el = self.new_element(&s, ns, section)?;
                    stack.push(el);
                }
                Tok::Empty(s, ns) => {
                    let el = self.new_element(&s, ns, section)?;
                    if let Some(top) = stack.last_mut() {
                        top.children.push(Node::Element(el));
                    }
                }
                Tok::Text(t) => {
                    let Some(top) = stack.last_mut() else {
                        continue;
                    };
                    if let Some(Node::Text(prev)) = top.children.last_mut() {
                        prev.to_mut().push_str(&t);
                        if prev.len() > self.limits.max_text_bytes {
                            return Err(Error::Limit {
                                limit: Limit::TextBytes,
                                offset: self.tok_start,
                            });
                        }
                    } else {
                        top.children.push(Node::Text(t));
                        self.count_item()?;
                    }
                }
                Tok::End => {
                    let Some(done) = stack.pop() else { continue };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(Node::Element(done)),
                        None => return Ok(done),
                    }
                }
                Tok::Eof => {
                    return Err(Error::Truncated {
                        section,
                        offset: self.offset(),
                    });
                }
            }
        }
    }

    fn document(&mut self, event: &mut Event<'a>) -> Result<(), Error> {
        // Fast path: the usual root start tag, first thing in the input.
        self.tok_start = self.lx.position();
        let fast_root = self.fast && self.limits.max_attributes >= 1 && self.lx.root_event();
        // Prolog: declaration, comments, PIs and whitespace only.
        let (root, root_empty) = if fast_root {
            ((StartTag::unprefixed("Event"), Ns::Event(true)), false)
        } else {
            self.prolog()?
        };
        let (s, ns) = root;
        if !ns.is_event() || s.local() != "Event" {
            return Err(Error::NotAnEvent {
                offset: self.tok_start,
            });
        }
        if !fast_root {
            self.attributes(&s, Section::Document, |_, _| false)?;
        }
        self.document_rest(root_empty, event)
    }

    /// The prolog and the root start tag (see [`document`](Self::document)).
    fn prolog(&mut self) -> Result<((StartTag<'a>, Ns<'a>), bool), Error> {
        Ok(loop {
            match self.snext(Section::Document)? {
                Tok::Start(s, ns) => break ((s, ns), false),
                Tok::Empty(s, ns) => break ((s, ns), true),
                Tok::Text(t) if is_blank(&t) => {}
                Tok::Eof => {
                    return Err(Error::Truncated {
                        section: Section::Document,
                        offset: self.offset(),
                    });
                }
                _ => {
                    return Err(Error::NotAnEvent {
                        offset: self.tok_start,
                    });
                }
            }
        })
    }

    /// Everything after the root start tag (see [`document`](Self::document)).
    fn document_rest(&mut self, root_empty: bool, event: &mut Event<'a>) -> Result<(), Error> {
        if root_empty {
            return Err(Error::NoSystem);
        }
        let mut have_system = false;
        match self.event_children(event, &mut have_system) {
            Ok(()) => {}
            Err(e @ (Error::Limit { .. } | Error::Dtd { .. })) => return Err(e),
            Err(e) if have_system => {
                let offset = match e {
                    Error::Xml { offset, .. } | Error::Truncated { offset, .. } => offset,
                    _ => self.tok_start,
                };
                let section = match e {
                    Error::Xml { section, .. } | Error::Truncated { section, .. } => section,
                    _ => Section::Document,
                };
                self.repairs.push(Repair {
                    kind: RepairKind::Truncated(e),
                    section,
                    offset,
                });
                return Ok(());
            }
            Err(e) => return Err(e),
        }
        if !have_system {
            return Err(Error::NoSystem);
        }
        // Epilog: only whitespace, comments and PIs may follow the root.
        if self.fast && self.lx.rest_is_blank() {
            return Ok(());
        }
        loop {
            match self.snext(Section::Document) {
                Ok(Tok::Eof) => break,
                Ok(Tok::Text(t)) if is_blank(&t) => {}
                Ok(_) | Err(_) => {
                    self.repair(RepairKind::TrailingContent, Section::Document);
                    break;
                }
            }
        }
        Ok(())
    }

    fn event_children(
        &mut self,
        event: &mut Event<'a>,
        have_system: &mut bool,
    ) -> Result<(), Error> {
        loop {
            // Fast paths: `<System>` and `<EventData>` without attributes, `</Event>`.
            if self.fast && self.lx.default_ns().is_some() {
                self.tok_start = self.lx.position();
                if !*have_system && self.lx.open_plain("System") {
                    self.system(&StartTag::unprefixed("System"), false, &mut event.system)?;
                    *have_system = true;
                    continue;
                }
                if matches!(event.payload, Payload::None) && self.lx.open_plain("EventData") {
                    let s = StartTag::unprefixed("EventData");
                    self.payload(Known::EventData, &s, false, &mut event.payload)?;
                    continue;
                }
                if self.lx.blank_content(usize::MAX) {
                    return Ok(());
                }
            }
            let (s, ns, empty) = match self.snext(Section::Document)? {
                Tok::Start(s, ns) => (s, ns, false),
                Tok::Empty(s, ns) => (s, ns, true),
                Tok::End => return Ok(()),
                Tok::Eof => {
                    let section = if *have_system {
                        Section::Document
                    } else {
                        Section::System
                    };
                    return Err(Error::Truncated {
                        section,
                        offset: self.offset(),
                    });
                }
                Tok::Text(t) => {
                    if !is_blank(&t) {
                        self.repair(RepairKind::StrayText, Section::Document);
                    }
                    continue;
                }
            };
            let local = if ns.is_event() {
                s.local().to_owned_if_known()
            } else {
                None
            };
            match local {
                Some(Known::System) if !*have_system => {
                    self.system(&s, empty, &mut event.system)?;
                    *have_system = true;
                }
                Some(Known::RenderingInfo) if event.rendering_info.is_none() => {
                    let ri = event.rendering_info.insert(RenderingInfo::default());
                    self.rendering_info(&s, empty, ri)?;
                }
                Some(
                    k @ (Known::EventData
                    | Known::UserData
                    | Known::DebugData
                    | Known::ProcessingErrorData),
                ) if matches!(event.payload, Payload::None) => {
                    self.payload(k, &s, empty, &mut event.payload)?;
                }
                Some(_) => {
                    self.repair(RepairKind::Duplicate, Section::Other);
                    let el = self.tree(s, ns, empty, 2, Section::Other)?;
                    event.other.push(el);
                }
                None => {
                    self.repair(RepairKind::UnknownElement, Section::Other);
                    let el = self.tree(s, ns, empty, 2, Section::Other)?;
                    event.other.push(el);
                }
            }
        }
    }

    fn system(&mut self, s: &StartTag<'a>, empty: bool, sys: &mut System<'a>) -> Result<(), Error> {
        const SEC: Section = Section::System;
        self.attributes(s, SEC, |_, _| false)?;
        if empty {
            return Ok(());
        }
        // How unprefixed names resolve among the children (the same for all of them: the
        // fast paths declare nothing, the general path's declarations end with their element).
        let default_ns = self.lx.default_ns().filter(|_| self.fast);
        // The index in `SYS_ORDER` of the field expected next.
        let mut expect = 0usize;
        loop {
            // Fastest path: the fields in the order Windows renders them, each checked against
            // the name expected next (or the one after it, for an absent optional field).
            if default_ns.is_some() {
                if let Some(next) = self.system_predicted(sys, expect)? {
                    expect = next;
                    continue;
                }
                if self.lx.blank_content(usize::MAX) {
                    // `</System>`.
                    return Ok(());
                }
            }
            // Fast paths: `<EventID>4624</EventID>` and the other value fields, read in one
            // step; `<Execution ProcessID="4" ThreadID="8"/>` (or with blank content) and the
            // other attribute-only fields, read as the empty element they amount to. Anything
            // they do not cover goes through the general path below.
            let mut fast = None;
            let peeked = default_ns.and_then(|ns| Some((self.lx.peek_element_name()?, ns)));
            if let Some(((name, i), ns)) = peeked {
                let f = name
                    .to_owned_if_system()
                    .filter(|&f| !self.system_field_present(sys, f));
                match f {
                    Some(f) if f.is_value() => {
                        let el = self
                            .lx
                            .value_element_after(name, i)
                            .filter(|el| el.value.len() <= self.limits.max_text_bytes);
                        if let Some(el) = el {
                            self.lx.commit_value(&el);
                            self.tok_start = el.text_start;
                            self.system_value(f, Cow::Borrowed(el.value), sys);
                            continue;
                        }
                    }
                    Some(_) => {
                        fast = self
                            .lx
                            .attr_element_after(name, i, self.limits.max_text_bytes)
                            .map(|(s, end)| (s, end, ns));
                    }
                    None => {}
                }
            }
            let (s, ns, empty) = if let Some((s, end, ns)) = fast {
                self.tok_start = self.lx.position();
                self.lx.commit_to(end);
                (s, Ns::Event(ns), true)
            } else {
                match self.snext(SEC)? {
                    Tok::Start(s, ns) => (s, ns, false),
                    Tok::Empty(s, ns) => (s, ns, true),
                    Tok::End => return Ok(()),
                    Tok::Eof => {
                        return Err(Error::Truncated {
                            section: SEC,
                            offset: self.offset(),
                        });
                    }
                    Tok::Text(t) => {
                        if !is_blank(&t) {
                            self.repair(RepairKind::StrayText, SEC);
                        }
                        continue;
                    }
                }
            };
            let name = if ns.is_event() {
                s.local().to_owned_if_system()
            } else {
                None
            };
            let Some(name) = name else {
                self.repair(RepairKind::UnknownElement, SEC);
                let el = self.tree(s, ns, empty, 3, SEC)?;
                sys.other.push(el);
                continue;
            };
            if self.system_field_present(sys, name) {
                self.repair(RepairKind::Duplicate, SEC);
                let el = self.tree(s, ns, empty, 3, SEC)?;
                sys.other.push(el);
                continue;
            }
            if let Some(k) = SYS_ORDER.iter().position(|&(f, _)| f == name) {
                expect = k.saturating_add(1);
            }
            match name {
                SysField::Provider => {
                    let mut p = Provider::default();
                    self.attributes(&s, SEC, |k, v| {
                        match k {
                            "Name" => p.name = Some(v),
                            "Guid" => p.guid = Some(make_guid(v)),
                            "EventSourceName" => p.event_source_name = Some(v),
                            _ => return false,
                        }
                        true
                    })?;
                    if p.guid
                        .as_ref()
                        .is_some_and(|g| g.value.is_none() && !g.raw.is_empty())
                    {
                        self.repair(RepairKind::InvalidValue, SEC);
                    }
                    sys.provider = Some(p);
                    if !empty {
                        self.no_content(SEC, 3)?;
                    }
                }
                SysField::EventId => {
                    let mut q = None;
                    self.attributes(&s, SEC, |k, v| {
                        if k == "Qualifiers" {
                            q = Some(v);
                            true
                        } else {
                            false
                        }
                    })?;
                    if let Some(q) = q {
                        let n = num_dec(q);
                        self.check_num(&n);
                        sys.qualifiers = Some(n);
                    }
                    let t = self.value(&s, empty, SEC)?;
                    self.system_value(name, t, sys);
                }
                SysField::Version
                | SysField::Level
                | SysField::Task
                | SysField::Opcode
                | SysField::Keywords
                | SysField::EventRecordId
                | SysField::Channel
                | SysField::Computer
                | SysField::Container => {
                    let t = self.value(&s, empty, SEC)?;
                    self.system_value(name, t, sys);
                }
                SysField::TimeCreated => {
                    let mut t = TimeCreated::default();
                    self.attributes(&s, SEC, |k, v| {
                        match k {
                            "SystemTime" => t.system_time = Some(make_time(v)),
                            "RawTime" => t.raw_time = Some(num_dec(v)),
                            _ => return false,
                        }
                        true
                    })?;
                    if t.system_time.as_ref().is_some_and(|x| x.value.is_none())
                        || t.raw_time.as_ref().is_some_and(|x| x.value.is_none())
                    {
                        self.repair(RepairKind::InvalidValue, SEC);
                    }
                    sys.time_created = Some(t);
                    if !empty {
                        self.no_content(SEC, 3)?;
                    }
                }
                SysField::Correlation => {
                    let mut c = Correlation::default();
                    self.attributes(&s, SEC, |k, v| {
                        match k {
                            "ActivityID" => c.activity_id = Some(make_guid(v)),
                            "RelatedActivityID" => c.related_activity_id = Some(make_guid(v)),
                            _ => return false,
                        }
                        true
                    })?;
                    if [&c.activity_id, &c.related_activity_id]
                        .into_iter()
                        .flatten()
                        .any(|g| g.value.is_none())
                    {
                        self.repair(RepairKind::InvalidValue, SEC);
                    }
                    sys.correlation = Some(c);
                    if !empty {
                        self.no_content(SEC, 3)?;
                    }
                }
                SysField::Execution => {
                    let mut x = Execution::default();
                    let mut bad = false;
                    self.attributes(&s, SEC, |k, v| {
                        match k {
                            "ProcessID" => x.process_id = Some(num_dec(v)),
                            "ThreadID" => x.thread_id = Some(num_dec(v)),
                            "ProcessorID" => x.processor_id = Some(num_dec(v)),
                            "SessionID" => x.session_id = Some(num_dec(v)),
                            "KernelTime" => x.kernel_time = Some(num_dec(v)),
                            "UserTime" => x.user_time = Some(num_dec(v)),
                            "ProcessorTime" => x.processor_time = Some(num_dec(v)),
                            _ => return false,
                        }
                        true
                    })?;
                    for n in [&x.process_id, &x.thread_id, &x.processor_id, &x.session_id]
                        .into_iter()
                        .flatten()
                    {
                        bad |= n.value.is_none();
                    }
                    for n in [&x.kernel_time, &x.user_time, &x.processor_time]
                        .into_iter()
                        .flatten()
                    {
                        bad |= n.value.is_none();
                    }
                    if bad {
                        self.repair(RepairKind::InvalidValue, SEC);
                    }
                    sys.execution = Some(x);
                    if !empty {
                        self.no_content(SEC, 3)?;
                    }
                }
                SysField::Security => {
                    let mut sec = Security::default();
                    self.attributes(&s, SEC, |k, v| {
                        if k == "UserID" {
                            sec.user_id = Some(v);
                            true
                        } else {
                            false
                        }
                    })?;
                    sys.security = Some(sec);
                    if !empty {
                        self.no_content(SEC, 3)?;
                    }
                }
            }
        }
    }

    /// The fast path of [`system`](Self::system) for the field expected at `SYS_ORDER[expect]`
    /// (or the next one): a value element `<EventID>4624</EventID>` or an attribute-only element
    /// whose attributes are all known, distinct, within the limits, need no resolution and parse
    /// (so that nothing is reported). Reads it and returns the index after its own, or returns
    /// `None` with nothing consumed, for the general path to read whatever comes.
    fn system_predicted(
        &mut self,
        sys: &mut System<'a>,
        expect: usize,
    ) -> Result<Option<usize>, Error> {
        for k in [expect, expect.wrapping_add(1)] {
            let Some(&(f, name)) = SYS_ORDER.get(k) else {
                break;
            };
            let Some(i) = self.lx.peek_named(name) else {
                continue;
            };
            if self.system_field_present(sys, f) {
                return Ok(None);
            }
            let max = self.limits.max_text_bytes;
            if f.is_value() {
                if self.system_number(f, name, i, sys) {
                    return Ok(Some(k.wrapping_add(1)));
                }
                let Some(el) = self
                    .lx
                    .value_element_after(name, i)
                    .filter(|el| el.value.len() <= max)
                else {
                    return Ok(None);
                };
                self.lx.commit_value(&el);
                self.tok_start = el.text_start;
                self.system_value(f, Cow::Borrowed(el.value), sys);
                return Ok(Some(k.wrapping_add(1)));
            }
            use AttrKind::{Dec, GuidV, Str, TimeV};
            let done = match f {
                SysField::Provider => self.fast_attrs_into(
                    &mut sys.provider,
                    name,
                    i,
                    &[("Name", Str), ("Guid", GuidV), ("EventSourceName", Str)],
                    |p, k, v| match (k, v) {
                        (0, AttrVal::Str(v)) => p.name.replace(Cow::Borrowed(v)).is_none(),
                        (1, AttrVal::Guid(g)) => p.guid.replace(g).is_none(),
                        (2, AttrVal::Str(v)) => {
                            p.event_source_name.replace(Cow::Borrowed(v)).is_none()
                        }
                        _ => false,
                    },
                ),
                SysField::TimeCreated => self.fast_attrs_into(
                    &mut sys.time_created,
                    name,
                    i,
                    &[("SystemTime", TimeV), ("RawTime", Dec)],
                    |t, k, v| match (k, v) {
                        (0, AttrVal::Time(x)) => t.system_time.replace(x).is_none(),
                        (1, AttrVal::Dec(raw, n)) => {
                            t.raw_time.replace(Num::new(raw, Some(n))).is_none()
                        }
                        _ => false,
                    },
                ),
                SysField::Correlation => self.fast_attrs_into(
                    &mut sys.correlation,
                    name,
                    i,
                    &[("ActivityID", GuidV), ("RelatedActivityID", GuidV)],
                    |c, k, v| match (k, v) {
                        (0, AttrVal::Guid(g)) => c.activity_id.replace(g).is_none(),
                        (1, AttrVal::Guid(g)) => c.related_activity_id.replace(g).is_none(),
                        _ => false,
                    },
                ),
                SysField::Execution => self.fast_attrs_into(
                    &mut sys.execution,
                    name,
                    i,
                    &[
                        ("ProcessID", Dec),
                        ("ThreadID", Dec),
                        ("ProcessorID", Dec),
                        ("SessionID", Dec),
                        ("KernelTime", Dec),
                        ("UserTime", Dec),
                        ("ProcessorTime", Dec),
                    ],
                    |x, k, v| {
                        let AttrVal::Dec(raw, n) = v else {
                            return false;
                        };
                        let slot32 = match k {
                            0 => &mut x.process_id,
                            1 => &mut x.thread_id,
                            2 => &mut x.processor_id,
                            3 => &mut x.session_id,
                            _ => {
                                let slot64 = match k {
                                    4 => &mut x.kernel_time,
                                    5 => &mut x.user_time,
                                    6 => &mut x.processor_time,
                                    _ => return false,
                                };
                                return slot64.replace(Num::new(raw, Some(n))).is_none();
                            }
                        };
                        let Ok(n) = u32::try_from(n) else {
                            return false;
                        };
                        slot32.replace(Num::new(raw, Some(n))).is_none()
                    },
                ),
                SysField::Security => self.fast_attrs_into(
                    &mut sys.security,
                    name,
                    i,
                    &[("UserID", Str)],
                    |sec, k, v| match (k, v) {
                        (0, AttrVal::Str(v)) => sec.user_id.replace(Cow::Borrowed(v)).is_none(),
                        _ => false,
                    },
                ),
                _ => None,
            };
            return Ok(done.map(|end| {
                self.tok_start = self.lx.position();
                self.lx.commit_to(end);
                k.wrapping_add(1)
            }));
        }
        Ok(None)
    }

    /// The fast path of [`system_predicted`](Self::system_predicted) for a numeric value
    /// field: `<EventID>4624</EventID>` with plain digits (`0x` + hexadecimal digits for
    /// `Keywords`) that fit the field. `false`, with nothing consumed, for anything else.
    fn system_number(&mut self, f: SysField, name: &str, i: usize, sys: &mut System<'a>) -> bool {
        let hex = f == SysField::Keywords;
        if !matches!(
            f,
            SysField::EventId
                | SysField::Version
                | SysField::Level
                | SysField::Task
                | SysField::Opcode
                | SysField::Keywords
                | SysField::EventRecordId
        ) || self.limits.max_text_bytes < 20
        {
            return false;
        }
        let Some((raw, v, text_start, end)) = self.lx.number_element_after(name, i, hex) else {
            return false;
        };
        fn num<T: TryFrom<u64>>(raw: &str, v: u64) -> Option<Num<'_, T>> {
            Some(Num {
                raw: Cow::Borrowed(raw),
                value: Some(T::try_from(v).ok()?),
            })
        }
        let stored = match f {
            SysField::EventId => num(raw, v).map(|n| sys.event_id = Some(n)),
            SysField::Version => num(raw, v).map(|n| sys.version = Some(n)),
            SysField::Level => num(raw, v).map(|n| sys.level = Some(n)),
            SysField::Task => num(raw, v).map(|n| sys.task = Some(n)),
            SysField::Opcode => num(raw, v).map(|n| sys.opcode = Some(n)),
            SysField::Keywords => num(raw, v).map(|n| sys.keywords = Some(n)),
            SysField::EventRecordId => num(raw, v).map(|n| sys.event_record_id = Some(n)),
            _ => None,
        };
        if stored.is_some() {
            self.tok_start = text_start;
            self.lx.commit_to(end);
        }
        stored.is_some()
    }

    /// [`fast_attrs`](Self::fast_attrs) into a fresh `T` in `slot`, which is left `None` for
    /// the general path when the fast path does not apply.
    #[inline]
    fn fast_attrs_into<T: Default>(
        &self,
        slot: &mut Option<T>,
        name: &str,
        i: usize,
        known: &[(&'static str, AttrKind)],
        mut f: impl FnMut(&mut T, usize, AttrVal<'a>) -> bool,
    ) -> Option<usize> {
        let t = slot.insert(T::default());
        let end = self.fast_attrs(name, i, known, |k, v| f(t, k, v));
        if end.is_none() {
            *slot = None;
        }
        end
    }

    /// Reads the attributes of an attribute-only element whose name ends at `i`, each one of
    /// `known` (name and kind of value, see [`Lexer::known_attr_at`](crate::lexer::Lexer::known_attr_at)),
    /// handing each (by its index in `known`) to `f`, which returns `false` to refuse one
    /// (repeated or out of range). Values are read by kind: a string that needs no resolution,
    /// a GUID, plain decimal digits or a timestamp, each of which must parse (so that it is
    /// clean and nothing is reported). The end offset of the element, or `None` (nothing
    /// consumed) for any other shape or attribute, a value that does not parse, a limit that
    /// would be exceeded or a refused attribute: the general path reads those.
    #[inline]
    fn fast_attrs(
        &self,
        name: &str,
        mut i: usize,
        known: &[(&'static str, AttrKind)],
        mut f: impl FnMut(usize, AttrVal<'a>) -> bool,
    ) -> Option<usize> {
        let max = self.limits.max_text_bytes;
        let mut n = 0usize;
        while let Some((k, vstart, quote)) = self.lx.known_attr_at(i, known) {
            n = n.wrapping_add(1);
            if n > self.limits.max_attributes {
                return None;
            }
            let kind = known.get(k)?.1;
            let (val, vend) = match kind {
                AttrKind::Str => {
                    let vend = self.lx.str_value_end(vstart, quote)?;
                    (AttrVal::Str(self.xml.get(vstart..vend)?), vend)
                }
                AttrKind::GuidV => {
                    let vend = self.lx.guid_value_end(vstart, quote)?;
                    let raw = self.xml.get(vstart..vend)?;
                    let g = guid(raw)?;
                    (AttrVal::Guid(Guid::new_parsed(raw, g)), vend)
                }
                AttrKind::Dec => {
                    let (vend, v) = self.lx.dec_value(vstart, quote)?;
                    (AttrVal::Dec(self.xml.get(vstart..vend)?, v), vend)
                }
                AttrKind::TimeV => {
                    let vend = self.lx.time_value_end(vstart, quote)?;
                    let raw = self.xml.get(vstart..vend)?;
                    let t = crate::time::Timestamp::parse(raw)?;
                    (
                        AttrVal::Time(Time {
                            raw: Cow::Borrowed(raw),
                            value: Some(t),
                        }),
                        vend,
                    )
                }
            };
            if vend.saturating_sub(vstart) > max || !f(k, val) {
                return None;
            }
            i = vend.wrapping_add(1);
        }
        self.lx.attr_element_end(i, name, max)
    }

    /// Stores the text of a value field (see [`SysField::is_value`]).
    fn system_value(&mut self, f: SysField, t: Cow<'a, str>, sys: &mut System<'a>) {
        match f {
            SysField::EventId => sys.event_id = Some(self.checked(num_dec(t))),
            SysField::Version => sys.version = Some(self.checked(num_dec(t))),
            SysField::Level => sys.level = Some(self.checked(num_dec(t))),
            SysField::Task => sys.task = Some(self.checked(num_dec(t))),
            SysField::Opcode => sys.opcode = Some(self.checked(num_dec(t))),
            SysField::Keywords => sys.keywords = Some(self.checked(num_hex(t))),
            SysField::EventRecordId => sys.event_record_id = Some(self.checked(num_dec(t))),
            SysField::Channel => sys.channel = Some(t),
            SysField::Computer => sys.computer = Some(t),
            SysField::Container => sys.container = Some(t),
            SysField::Provider
            | SysField::TimeCreated
            | SysField::Correlation
            | SysField::Execution
            | SysField::Security => {}
        }
    }

    fn system_field_present(&self, sys: &System<'a>, f: SysField) -> bool {
        match f {
            SysField::Provider => sys.provider.is_some(),
            SysField::EventId => sys.event_id.is_some(),
            SysField::Version => sys.version.is_some(),
            SysField::Level => sys.level.is_some(),
            SysField::Task => sys.task.is_some(),
            SysField::Opcode => sys.opcode.is_some(),
            SysField::Keywords => sys.keywords.is_some(),
            SysField::TimeCreated => sys.time_created.is_some(),
            SysField::EventRecordId => sys.event_record_id.is_some(),
            SysField::Correlation => sys.correlation.is_some(),
            SysField::Execution => sys.execution.is_some(),
            SysField::Channel => sys.channel.is_some(),
            SysField::Computer => sys.computer.is_some(),
            SysField::Container => sys.container.is_some(),
            SysField::Security => sys.security.is_some(),
        }
    }

    /// Reports a number that does not parse; an empty (or whitespace-only, as pretty printers
    /// write empty elements) value is simply absent.
    fn check_num<T>(&mut self, n: &Num<'a, T>) {
        if n.value.is_none() && !is_blank(&n.raw) {
            self.repair(RepairKind::InvalidValue, Section::System);
        }
    }

    /// [`Self::check_num`], passing the number through.
    fn checked<T>(&mut self, n: Num<'a, T>) -> Num<'a, T> {
        self.check_num(&n);
        n
    }

    /// The text of a value element (`<X>text</X>` or `<X/>`), attributes other than the
    /// expected ones being reported by the caller.
    fn value(
        &mut self,
        s: &StartTag<'a>,
        empty: bool,
        section: Section,
    ) -> Result<Cow<'a, str>, Error> {
        let _ = s;
        if empty {
            return Ok(Cow::Borrowed(""));
        }
        self.text(section, 3)
    }

    fn payload(
        &mut self,
        kind: Known,
        s: &StartTag<'a>,
        empty: bool,
        payload: &mut Payload<'a>,
    ) -> Result<(), Error> {
        const SEC: Section = Section::Payload;
        match kind {
            Known::EventData => {
                let mut name = None;
                self.attributes(s, SEC, |k, v| {
                    if k == "Name" {
                        name = Some(v);
                        true
                    } else {
                        false
                    }
                })?;
                let d = match payload {
                    Payload::EventData(d) => d,
                    _ => {
                        *payload = Payload::EventData(EventData {
                            name,
                            // 21 items of 48 bytes stay within the allocator's fast
                            // per-thread cache (1,032 bytes in glibc) and hold the items of
                            // 98% of the corpus' EventData events.
                            items: Vec::with_capacity(21),
                            ..EventData::default()
                        });
                        match payload {
                            Payload::EventData(d) => d,
                            _ => return Ok(()),
                        }
                    }
                };
                if !empty {
                    self.event_data(d)?;
                }
            }
            Known::UserData => {
                self.attributes(s, SEC, |_, _| false)?;
                *payload = Payload::UserData(UserData::default());
                let Payload::UserData(u) = payload else {
                    return Ok(());
                };
                if !empty {
                    self.user_data(u)?;
                }
            }
            Known::DebugData => {
                self.attributes(s, SEC, |_, _| false)?;
                *payload = Payload::DebugData(DebugData::default());
                let Payload::DebugData(d) = payload else {
                    return Ok(());
                };
                if !empty {
                    self.fields(&mut d.fields)?;
                }
            }
            Known::ProcessingErrorData => {
                self.attributes(s, SEC, |_, _| false)?;
                let mut fields = Vec::new();
                let res = if empty {
                    Ok(())
                } else {
                    self.fields(&mut fields)
                };
                let mut p = ProcessingErrorData::default();
                for f in fields {
                    match f.name.as_deref() {
                        Some("ErrorCode") if p.error_code.is_none() => {
                            let n = num_dec(f.value);
                            if n.value.is_none() {
                                self.repair(RepairKind::InvalidValue, SEC);
                            }
                            p.error_code = Some(n);
                        }
                        Some("DataItemName") if p.data_item_name.is_none() => {
                            p.data_item_name = Some(f.value);
                        }
                        Some("EventPayload") if p.event_payload.is_none() => {
                            p.event_payload = Some(f.value);
                        }
                        _ => self.repair(RepairKind::UnknownElement, SEC),
                    }
                }
                *payload = Payload::ProcessingErrorData(p);
                res?;
            }
            Known::System | Known::RenderingInfo => {}
        }
        Ok(())
    }

    /// Reads `<Name>value</Name>` children as ordered fields (DebugData, ProcessingErrorData).
    fn fields(&mut self, out: &mut Vec<DataItem<'a>>) -> Result<(), Error> {
        const SEC: Section = Section::Payload;
        loop {
            let (s, empty) = match self.snext(SEC)? {
                Tok::Start(s, _) => (s, false),
                Tok::Empty(s, _) => (s, true),
                Tok::End => return Ok(()),
                Tok::Eof => {
                    return Err(Error::Truncated {
                        section: SEC,
                        offset: self.offset(),
                    });
                }
                Tok::Text(t) => {
                    if !is_blank(&t) {
                        self.repair(RepairKind::StrayText, SEC);
                    }
                    continue;
                }
            };
            self.count_item()?;
            self.attributes(&s, SEC, |_, _| false)?;
            let name: Cow<'a, str> = Cow::Borrowed(s.local());
            let value = if empty {
                Cow::Borrowed("")
            } else {
                self.text(SEC, 3)?
            };
            out.push(DataItem {
                name: Some(name),
                value,
            });
        }
    }

    fn event_data(&mut self, d: &mut EventData<'a>) -> Result<(), Error> {
        const SEC: Section = Section::Payload;
        // Unprefixed names resolve the same way for all items (see `system`).
        let fast_ns = self.fast && self.lx.default_ns().is_some();
        loop {
            // Fast path: a run of the usual `<Data Name="n">text</Data>` items, read in one
            // loop when they need nothing the general path below would report (limits checked
            // the same way; the item that would exceed the item budget is left to the general
            // path, which reports it).
            if fast_ns {
                let n = self.lx.data_items(
                    &mut d.items,
                    self.limits.max_items.saturating_sub(self.items),
                    self.limits.max_text_bytes,
                    self.limits.max_attributes >= 1,
                );
                self.items = self.items.saturating_add(n);
            }
            // `</EventData>`.
            if fast_ns && self.lx.blank_content(usize::MAX) {
                return Ok(());
            }
            let (s, ns, empty) = match self.snext(SEC)? {
                Tok::Start(s, ns) => (s, ns, false),
                Tok::Empty(s, ns) => (s, ns, true),
                Tok::End => return Ok(()),
                Tok::Eof => {
                    return Err(Error::Truncated {
                        section: SEC,
                        offset: self.offset(),
                    });
                }
                Tok::Text(t) => {
                    if !is_blank(&t) {
                        self.repair(RepairKind::StrayText, SEC);
                    }
                    continue;
                }
            };
            let local = s.local();
            match (ns.is_event(), local) {
                (true, "Data") => {
                    self.count_item()?;
                    let mut name = None;
                    self.attributes(&s, SEC, |k, v| {
                        if k == "Name" {
                            name = Some(v);
                            true
                        } else {
                            false
                        }
                    })?;
                    let value = if empty {
                        Cow::Borrowed("")
                    } else {
                        self.text(SEC, 3)?
                    };
                    d.items.push(DataItem { name, value });
                }
                (true, "Binary") if d.binary.is_none() => {
                    self.attributes(&s, SEC, |_, _| false)?;
                    let v = if empty {
                        Cow::Borrowed("")
                    } else {
                        self.text(SEC, 3)?
                    };
                    d.binary = Some(v);
                }
                (true, "ComplexData") => {
                    let el = self.tree(s, ns, empty, 3, SEC)?;
                    d.other.push(el);
                }
                _ => {
                    self.repair(RepairKind::UnknownElement, SEC);
                    let el = self.tree(s, ns, empty, 3, SEC)?;
                    d.other.push(el);
                }
            }
        }
    }

    fn user_data(&mut self, u: &mut UserData<'a>) -> Result<(), Error> {
        const SEC: Section = Section::Payload;
        let inner_start = self.offset();
        loop {
            match self.next(SEC)? {
                Tok::Start(s, ns) => {
                    let el = self.tree(s, ns, false, 3, SEC)?;
                    u.children.push(Node::Element(el));
                }
                Tok::Empty(s, ns) => {
                    let el = self.tree(s, ns, true, 3, SEC)?;
                    u.children.push(Node::Element(el));
                }
                Tok::Text(t) => {
                    if let Some(Node::Text(prev)) = u.children.last_mut() {
                        prev.to_mut().push_str(&t);
                    } else {
                        self.count_item()?;
                        u.children.push(Node::Text(t));
                    }
                }
                Tok::End => {
                    u.raw = self.xml.get(inner_start..self.tok_start);
                    return Ok(());
                }
                Tok::Eof => {
                    return Err(Error::Truncated {
                        section: SEC,
                        offset: self.offset(),
                    });
                }
            }
        }
    }

    fn rendering_info(
        &mut self,
        s: &StartTag<'a>,
        empty: bool,
        ri: &mut RenderingInfo<'a>,
    ) -> Result<(), Error> {
        const SEC: Section = Section::RenderingInfo;
        let mut culture = None;
        self.attributes(s, SEC, |k, v| {
            if k == "Culture" {
                culture = Some(v);
                true
            } else {
                false
            }
        })?;
        ri.culture = culture;
        if empty {
            return Ok(());
        }
        loop {
            let (s, ns, empty) = match self.snext(SEC)? {
                Tok::Start(s, ns) => (s, ns, false),
                Tok::Empty(s, ns) => (s, ns, true),
                Tok::End => return Ok(()),
                Tok::Eof => {
                    return Err(Error::Truncated {
                        section: SEC,
                        offset: self.offset(),
                    });
                }
                Tok::Text(t) => {
                    if !is_blank(&t) {
                        self.repair(RepairKind::StrayText, SEC);
                    }
                    continue;
                }
            };
            let local: &str = if ns.is_event() { s.local() } else { "" };
            let slot = match local {
                "Message" => Some(&mut ri.message),
                "Level" => Some(&mut ri.level),
                "Task" => Some(&mut ri.task),
                "Opcode" => Some(&mut ri.opcode),
                "Channel" => Some(&mut ri.channel),
                "Provider" => Some(&mut ri.provider),
                _ => None,
            };
            if let Some(slot) = slot {
                self.attributes(&s, SEC, |_, _| false)?;
                let v = if empty {
                    Cow::Borrowed("")
                } else {
                    self.text(SEC, 3)?
                };
                if slot.is_some() {
                    self.repair(RepairKind::Duplicate, SEC);
                } else {
                    *slot = Some(v);
                }
                continue;
            }
            if local == "Keywords" && ri.keywords.is_none() {
                self.attributes(&s, SEC, |_, _| false)?;
                let kw = ri.keywords.insert(Vec::new());
                if !empty {
                    self.keywords(kw)?;
                }
                continue;
            }
            // Unknown or repeated: not representable in RenderingInfo; dropped and reported.
            self.repair(RepairKind::UnknownElement, SEC);
            self.tree(s, ns, empty, 3, SEC)?;
        }
    }

    fn keywords(&mut self, kw: &mut Vec<Cow<'a, str>>) -> Result<(), Error> {
        const SEC: Section = Section::RenderingInfo;
        loop {
            match self.snext(SEC)? {
                Tok::Start(s, ns) if ns.is_event() && s.local() == "Keyword" => {
                    self.count_item()?;
                    self.attributes(&s, SEC, |_, _| false)?;
                    kw.push(self.text(SEC, 4)?);
                }
                Tok::Empty(s, ns) if ns.is_event() && s.local() == "Keyword" => {
                    self.count_item()?;
                    kw.push(Cow::Borrowed(""));
                }
                Tok::Start(s, ns) => {
                    self.repair(RepairKind::UnknownElement, SEC);
                    self.tree(s, ns, false, 4, SEC)?;
                }
                Tok::Empty(..) => self.repair(RepairKind::UnknownElement, SEC),
                Tok::Text(t) => {
                    if !is_blank(&t) {
                        self.repair(RepairKind::StrayText, SEC);
                    }
                }
                Tok::End => return Ok(()),
                Tok::Eof => {
                    return Err(Error::Truncated {
                        section: SEC,
                        offset: self.offset(),
                    });
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    System,
    EventData,
    UserData,
    DebugData,
    ProcessingErrorData,
    RenderingInfo,
}

/// How the fast path reads an attribute value (see [`Parser::fast_attrs`]).
#[derive(Debug, Clone, Copy)]
enum AttrKind {
    /// Text that needs no resolution.
    Str,
    /// A GUID, with or without braces.
    GuidV,
    /// Plain decimal digits (at most 19).
    Dec,
    /// A timestamp.
    TimeV,
}

/// An attribute value read by the fast path, parsed by its [`AttrKind`].
enum AttrVal<'a> {
    Str(&'a str),
    Guid(Guid<'a>),
    Dec(&'a str, u64),
    Time(Time<'a>),
}

impl<'a> Guid<'a> {
    /// A GUID whose text `raw` parsed to `value`.
    fn new_parsed(raw: &'a str, value: u128) -> Self {
        Guid {
            raw: Cow::Borrowed(raw),
            value: Some(value),
        }
    }
}

/// The `System` fields in the order Windows renders them (the fast path's prediction).
const SYS_ORDER: [(SysField, &str); 15] = [
    (SysField::Provider, "Provider"),
    (SysField::EventId, "EventID"),
    (SysField::Version, "Version"),
    (SysField::Level, "Level"),
    (SysField::Task, "Task"),
    (SysField::Opcode, "Opcode"),
    (SysField::Keywords, "Keywords"),
    (SysField::TimeCreated, "TimeCreated"),
    (SysField::EventRecordId, "EventRecordID"),
    (SysField::Correlation, "Correlation"),
    (SysField::Execution, "Execution"),
    (SysField::Channel, "Channel"),
    (SysField::Computer, "Computer"),
    (SysField::Container, "Container"),
    (SysField::Security, "Security"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SysField {
    Provider,
    EventId,
    Version,
    Level,
    Task,
    Opcode,
    Keywords,
    TimeCreated,
    EventRecordId,
    Correlation,
    Execution,
    Channel,
    Computer,
    Container,
    Security,
}

impl SysField {
    /// A field whose content is its text (no attributes expected).
    fn is_value(self) -> bool {
        matches!(
            self,
            Self::EventId
                | Self::Version
                | Self::Level
                | Self::Task
                | Self::Opcode
                | Self::Keywords
                | Self::EventRecordId
                | Self::Channel
                | Self::Computer
                | Self::Container
        )
    }
}

trait NameExt {
    fn to_owned_if_known(&self) -> Option<Known>;
    fn to_owned_if_system(&self) -> Option<SysField>;
}

impl NameExt for str {
    fn to_owned_if_known(&self) -> Option<Known> {
        Some(match self {
            "System" => Known::System,
            "EventData" => Known::EventData,
            "UserData" => Known::UserData,
            "DebugData" => Known::DebugData,
            "ProcessingErrorData" => Known::ProcessingErrorData,
            "RenderingInfo" => Known::RenderingInfo,
            _ => return None,
        })
    }

    fn to_owned_if_system(&self) -> Option<SysField> {
        Some(match self {
            "Provider" => SysField::Provider,
            "EventID" => SysField::EventId,
            "Version" => SysField::Version,
            "Level" => SysField::Level,
            "Task" => SysField::Task,
            "Opcode" => SysField::Opcode,
            "Keywords" => SysField::Keywords,
            "TimeCreated" => SysField::TimeCreated,
            "EventRecordID" => SysField::EventRecordId,
            "Correlation" => SysField::Correlation,
            "Execution" => SysField::Execution,
            "Channel" => SysField::Channel,
            "Computer" => SysField::Computer,
            "Container" => SysField::Container,
            "Security" => SysField::Security,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{guid, guid_bytewise, parse_with};
    use crate::Limits;
    use crate::lexer::Scratch;
    use proptest::prelude::*;

    /// Whitespace between elements, as pretty printers and forwarders write it (or none).
    fn ws() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["", "\n    ", "\n  ", " ", "\r\n\t", "\n        "])
    }

    /// A value: usually plain, sometimes what the fast paths must leave to the general path.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[0-9]{1,5}",
            2 => "[A-Za-z0-9 ._-]{0,12}",
            1 => Just("0x8020000000000000".to_owned()),
            1 => Just("18446744073709551616".to_owned()),
            1 => Just("12345678901234567890".to_owned()),
            1 => Just("0012".to_owned()),
            1 => Just("a&amp;b &lt;c&gt; &#x41;".to_owned()),
            1 => Just("&bogus; \u{5}".to_owned()),
            1 => Just("x\"y'z".to_owned()),
            1 => Just("line\nbreak\ttab".to_owned()),
            1 => Just("{54849625-5478-4994-A5BA-3E3B0328C30D}".to_owned()),
            1 => Just("54849625-5478-4994-a5ba-3e3b0328c30d".to_owned()),
            1 => Just("54849625-5478-4994-A5BA-3E3B0328C3".to_owned()),
            1 => Just("2020-10-05T20:43:58.450239Z".to_owned()),
            1 => Just("2022-12-14T17:07:03.324+01:00".to_owned()),
            1 => Just("2022-12-14T17:07:03.1234567890Z".to_owned()),
            1 => Just("2022-13-14T17:07:03Z".to_owned()),
            1 => Just(String::new()),
        ]
    }

    /// An attribute: a known name of some System field (or another), a value, a quote.
    fn attribute() -> impl Strategy<Value = String> {
        let names = prop::sample::select(vec![
            "Name",
            "Guid",
            "EventSourceName",
            "SystemTime",
            "RawTime",
            "ActivityID",
            "RelatedActivityID",
            "ProcessID",
            "ThreadID",
            "ProcessorID",
            "SessionID",
            "KernelTime",
            "UserTime",
            "ProcessorTime",
            "UserID",
            "Qualifiers",
            "Other",
            "xmlns",
            "xmlns:p",
            "p:Name",
        ]);
        (
            names,
            value(),
            prop::sample::select(vec!["\"", "'"]),
            prop::sample::select(vec![" ", "  ", "\n"]),
        )
            .prop_map(|(n, v, q, sp)| {
                let v = if q == "'" {
                    v.replace('\'', "&apos;")
                } else {
                    v.replace('"', "&quot;")
                };
                let v = v.replace('<', "&lt;");
                format!("{sp}{n}={q}{v}{q}")
            })
    }

    /// A child of `System`: a known field (or another element) with attributes and content.
    fn system_child() -> impl Strategy<Value = String> {
        let names = prop::sample::select(vec![
            "Provider",
            "EventID",
            "Version",
            "Level",
            "Task",
            "Opcode",
            "Keywords",
            "TimeCreated",
            "EventRecordID",
            "Correlation",
            "Execution",
            "Channel",
            "Computer",
            "Container",
            "Security",
            "Unknown",
            "p:EventID",
        ]);
        let content = prop_oneof![
            3 => Just(None),
            3 => value().prop_map(|v| Some(v.replace('<', "&lt;"))),
            1 => Just(Some("\n    ".to_owned())),
            1 => Just(Some("<x>1</x>".to_owned())),
            1 => Just(Some("<!-- c -->7".to_owned())),
        ];
        (
            names,
            prop::collection::vec(attribute(), 0..4),
            content,
            any::<bool>(),
        )
            .prop_map(|(n, attrs, content, empty)| match content {
                None if empty => format!("<{n}{}/>", attrs.concat()),
                None => format!("<{n}{}>\n    </{n}>", attrs.concat()),
                Some(c) => format!("<{n}{}>{c}</{n}>", attrs.concat()),
            })
    }

    /// The usual System block, fields in the usual order, values drawn from [`value`].
    fn usual_system() -> impl Strategy<Value = Vec<String>> {
        (
            value(),
            value(),
            value(),
            value(),
            value(),
            value(),
            value(),
        )
            .prop_map(|(a, b, c, d, e, f, g)| {
                let esc = |v: &str| v.replace('<', "&lt;").replace('"', "&quot;");
                vec![
                    format!("<Provider Name=\"{}\" Guid=\"{}\"/>", esc(&a), esc(&b)),
                    format!("<EventID>{}</EventID>", esc(&c)),
                    "<Version>2</Version>".to_owned(),
                    "<Level>0</Level>".to_owned(),
                    format!("<Task>{}</Task>", esc(&d)),
                    "<Opcode>0</Opcode>".to_owned(),
                    "<Keywords>0x8020000000000000</Keywords>".to_owned(),
                    format!("<TimeCreated SystemTime=\"{}\"/>", esc(&e)),
                    "<EventRecordID>57406</EventRecordID>".to_owned(),
                    format!("<Correlation ActivityID=\"{}\"/>", esc(&f)),
                    format!("<Execution ProcessID=\"{}\" ThreadID=\"8\"/>", esc(&g)),
                    "<Channel>Security</Channel>".to_owned(),
                    "<Computer>dc01.example.org</Computer>".to_owned(),
                    "<Security/>".to_owned(),
                ]
            })
    }

    /// An `EventData` child: usually a `Data` item.
    fn data_child() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => ("[A-Za-z]{1,10}", value()).prop_map(|(n, v)| {
                format!("<Data Name=\"{n}\">{}</Data>", v.replace('<', "&lt;"))
            }),
            2 => value().prop_map(|v| format!("<Data>{}</Data>", v.replace('<', "&lt;"))),
            1 => "[A-Za-z]{1,6}".prop_map(|n| format!("<Data Name=\"{n}\"/>")),
            1 => Just("<Data/>".to_owned()),
            1 => Just("<Data Name='single'>q</Data>".to_owned()),
            1 => Just("<Data Name=\"a&amp;b\">v</Data>".to_owned()),
            1 => Just("<Data  Name=\"spaced\">v</Data>".to_owned()),
            1 => Just("<Binary>00FF</Binary>".to_owned()),
            1 => Just("<ComplexData Name=\"c\"><x>1</x></ComplexData>".to_owned()),
            1 => Just("<Other/>".to_owned()),
            1 => Just("stray".to_owned()),
            1 => Just("<A>\n  <B>t</B>\n  <!-- c -->\n  <C/>\n  <D>x&amp;y</D><E></E>\n</A>".to_owned()),
            1 => Just("<L xmlns=\"urn:x\">\n <M>v</M>\n <N a=\"1\">w</N><O>\n</O></L>".to_owned()),
            1 => Just("<p:L xmlns:p=\"urn:p\"><p:M>v</p:M> <M>w</M><q:M>z</q:M></p:L>".to_owned()),
            1 => Just("<R><S><T><U>deep</U></T></S></R>".to_owned()),
            1 => Just("<V>a<!-- c -->b <W>1</W> </V >".to_owned()),
        ]
    }

    /// A whole event document in one of the shapes real input takes, with deviations.
    fn document() -> impl Strategy<Value = String> {
        let root = prop::sample::select(vec![
            "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">",
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>",
            "<Event>",
            "<Event xmlns=\"urn:other\">",
            "<e:Event xmlns:e=\"http://schemas.microsoft.com/win/2004/08/events/event\">",
            "<?xml version=\"1.0\"?><Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">",
        ]);
        let system = prop_oneof![
            3 => usual_system(),
            2 => prop::collection::vec(system_child(), 0..8),
            1 => (usual_system(), prop::collection::vec(system_child(), 0..3), 0usize..14)
                .prop_map(|(mut u, extra, at)| {
                    for (k, e) in extra.into_iter().enumerate() {
                        u.insert(at.saturating_add(k).min(u.len()), e);
                    }
                    u
                }),
        ];
        let payload = prop_oneof![
            4 => prop::collection::vec(data_child(), 0..8).prop_map(|d| Some(("EventData", d))),
            1 => prop::collection::vec(data_child(), 0..3).prop_map(|d| Some(("UserData", d))),
            1 => Just(None),
        ];
        let tail = prop::sample::select(vec!["", "\n", "  \n", "<!-- x -->", "junk", "<Event/>"]);
        let cut = prop_oneof![8 => Just(None), 1 => (0usize..2000).prop_map(Some)];
        (
            root,
            ws(),
            system,
            payload,
            ws(),
            tail,
            cut,
            prop::sample::select(vec![" ", "\n"]),
        )
            .prop_map(|(root, w, system, payload, w2, tail, cut, sysattr)| {
                let end = if root.starts_with("<e:") {
                    "</e:Event>"
                } else {
                    "</Event>"
                };
                let sys_open = if sysattr == " " {
                    "<System>"
                } else {
                    "<System\n>"
                };
                let mut x = format!("{root}{w}{sys_open}");
                for c in system {
                    x.push_str(w);
                    x.push_str(&c);
                }
                x.push_str(w2);
                x.push_str("</System>");
                if let Some((kind, children)) = payload {
                    x.push_str(w);
                    x.push_str(&format!("<{kind}>"));
                    for c in children {
                        x.push_str(w);
                        x.push_str(&c);
                    }
                    x.push_str(w2);
                    x.push_str(&format!("</{kind}>"));
                }
                x.push_str(w);
                x.push_str(end);
                x.push_str(tail);
                if let Some(at) = cut {
                    let mut at = at.min(x.len());
                    while !x.is_char_boundary(at) {
                        at = at.saturating_sub(1);
                    }
                    x.truncate(at);
                }
                x
            })
    }

    /// Limits: the defaults, or small ones that the fast paths must enforce the same way.
    fn limits() -> impl Strategy<Value = Limits> {
        prop_oneof![
            3 => Just(Limits::default()),
            1 => (0usize..6, 0usize..40, 0usize..4, 0usize..6).prop_map(|(depth, items, attrs, text)| {
                Limits {
                    max_depth: depth,
                    max_items: items,
                    max_attributes: attrs,
                    max_text_bytes: [0, 1, 3, 8, 19, 20][text],
                    ..Limits::default()
                }
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The fast paths produce exactly what the general path produces: the same event and
        /// the same repairs (kind, section, offset), or the same error.
        #[test]
        fn fast_paths_agree_with_the_general_path(xml in document(), limits in limits()) {
            let mut scratch = Scratch::default();
            let (mut r1, mut r2) = (Vec::new(), Vec::new());
            let (mut e1, mut e2) = (crate::Event::default(), crate::Event::default());
            let fast = parse_with(&xml, &limits, &mut r1, &mut scratch, true, &mut e1).map(|()| e1);
            let general =
                parse_with(&xml, &limits, &mut r2, &mut scratch, false, &mut e2).map(|()| e2);
            prop_assert_eq!(&fast, &general, "{}", xml);
            // An error discards the repairs (the event is raw-only).
            if fast.is_ok() {
                prop_assert_eq!(&r1, &r2, "{}", xml);
            }
        }
    }

    proptest! {
        /// The word-at-a-time GUID parser agrees with the digit-by-digit one, on GUIDs (any
        /// case, with or without braces) and on near misses.
        #[test]
        fn guid_agrees_with_bytewise(
            g in "\\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\}?",
            at in 0usize..40,
            c in any::<char>(),
        ) {
            prop_assert_eq!(guid(&g), guid_bytewise(&g));
            let mut m: Vec<char> = g.chars().collect();
            if let Some(slot) = m.get_mut(at) {
                *slot = c;
            }
            let m: String = m.into_iter().collect();
            prop_assert_eq!(guid(&m), guid_bytewise(&m));
        }
    }

    #[test]
    fn guid_examples() {
        let g = "{54849625-5478-4994-A5BA-3E3B0328C30D}";
        assert_eq!(guid(g), Some(0x5484_9625_5478_4994_a5ba_3e3b_0328_c30d));
        assert_eq!(guid(g.get(1..37).unwrap()), guid(g));
        assert_eq!(guid("54849625-5478-4994-A5BA-3E3B0328C30"), None);
        assert_eq!(guid("54849625-5478-4994-A5BA-3E3B0328C30DX"), None);
        assert_eq!(guid("54849625_5478-4994-A5BA-3E3B0328C30D"), None);
        assert_eq!(guid("5484962g-5478-4994-A5BA-3E3B0328C30D"), None);
    }
}

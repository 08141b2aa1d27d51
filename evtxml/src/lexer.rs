//! A small XML 1.0 tokenizer specialised for rendered events.
//!
//! quick-xml's `NsReader` spent about half of the normalize time on work an event does not need
//! (re-validating UTF-8 per event, splitting text at every reference, general namespace
//! bookkeeping), which kept the crate near the speed of a DOM parser. This lexer works on an
//! already validated `&str`, finds markup with `str::find` (memchr-based), borrows everything,
//! and keeps only what the parser needs: element names with end-tag matching, attributes as raw
//! slices, namespace declarations in scope, text and CDATA as raw slices.
//!
//! Offsets are positions in the input (at most `isize::MAX` bytes) plus short lengths, so they
//! are added with `wrapping_add`: they cannot wrap, and an offset past the end only makes a
//! `get` return `None`.
//!
//! Well-formedness it enforces: matching end tags, no `<` in attribute values, quoted
//! attribute values, unique attribute names, closed comments/CDATA/PIs/tags, no DTD (reported
//! so the caller can refuse it). References inside text and values are resolved by the caller.

use std::borrow::Cow;

/// A tokenizer error: where, what, and whether the input simply ended too early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LexError {
    pub(crate) offset: usize,
    pub(crate) reason: &'static str,
    /// The input ended inside markup or with open elements.
    pub(crate) truncated: bool,
}

/// A start tag. Its attributes are in [`Lexer::attrs`] until the next token is read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StartTag<'a> {
    /// Qualified name as written.
    pub(crate) name: &'a str,
    /// Its prefix (`""` when there is none), found once when the tag is read.
    prefix: &'a str,
    /// Its local part.
    local: &'a str,
}

impl<'a> StartTag<'a> {
    fn new(name: &'a str) -> Self {
        match colon(name) {
            Some(i) => Self {
                name,
                prefix: name.get(..i).unwrap_or_default(),
                local: name.get(i.wrapping_add(1)..).unwrap_or(name),
            },
            None => Self {
                name,
                prefix: "",
                local: name,
            },
        }
    }

    /// A name known to have no prefix.
    pub(crate) fn unprefixed(name: &'a str) -> Self {
        Self {
            name,
            prefix: "",
            local: name,
        }
    }

    /// The local part of the name.
    #[inline]
    pub(crate) fn local(&self) -> &'a str {
        self.local
    }
}

/// An attribute: qualified name and raw (still escaped) value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawAttr<'a> {
    pub(crate) name: &'a str,
    pub(crate) value: &'a str,
    /// The value has no reference and no control or 0xEF byte: it needs no resolution.
    pub(crate) clean: bool,
}

/// An EventData item read by [`Lexer::peek_data_item`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct DataItemFast<'a> {
    /// The `Name` attribute's value.
    pub(crate) name: Option<&'a str>,
    /// The text.
    pub(crate) value: &'a str,
    /// Offset just after the item.
    end: usize,
}

/// A value element read by [`Lexer::value_element_after`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct ValueElementFast<'a> {
    /// The text.
    pub(crate) value: &'a str,
    /// Offset of the text.
    pub(crate) text_start: usize,
    /// Offset just after the end tag.
    end: usize,
}

/// One token.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Lex<'a> {
    /// `<name …>` (`empty` for `<name …/>`, which has no matching end token).
    Start(StartTag<'a>, bool),
    /// `</name>`.
    End,
    /// Character data, raw: references not yet resolved.
    Text(&'a str),
    /// The content of a CDATA section.
    CData(&'a str),
    /// `<!DOCTYPE`: the rest of the input is skipped.
    DocType,
    /// End of input with no open element.
    Eof,
}

/// How a name resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved<'a> {
    /// No prefix and no default namespace.
    Unbound,
    /// Bound to the event schema's namespace ([`EVENT_NS`](crate::EVENT_NS)).
    EventNs,
    /// Bound to this URI.
    Bound(Cow<'a, str>),
    /// A prefix with no declaration in scope.
    UnknownPrefix,
}

#[derive(Debug)]
pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    /// Open elements: name and the namespace-binding count to restore at their end.
    stack: Vec<(&'a str, usize)>,
    /// Namespace bindings in scope: (prefix, "" for the default; URI, "" to unbind; whether
    /// the URI is the event namespace, decided once per declaration).
    ns: Vec<(&'a str, Cow<'a, str>, bool)>,
    /// Attributes of the last start tag.
    pub(crate) attrs: Vec<RawAttr<'a>>,
    /// The last token was an empty-element tag whose scope must be closed before the next one.
    close_empty: Option<usize>,
    /// Skip whitespace-only text (set by the parser where only elements are meaningful).
    pub(crate) skip_blank: bool,
}

/// Position of the first `:` of a (short) qualified name.
#[inline]
pub(crate) fn colon(name: &str) -> Option<usize> {
    name.bytes().position(|b| b == b':')
}

#[expect(
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    reason = "const table construction, i < 256"
)]
const NAME_END: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = matches!(
            b,
            b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>' | b'=' | b'<' | b'"' | b'\'' | b'&'
        );
        i += 1;
    }
    t
};

#[inline]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

#[inline]
fn is_name_end(b: u8) -> bool {
    NAME_END.get(usize::from(b)).copied().unwrap_or(true)
}

/// The lexer's working buffers, kept between events (by [`Normalizer`](crate::Normalizer)) so
/// that reading an event allocates nothing for them once they have grown.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    stack: Vec<(&'static str, usize)>,
    ns: Vec<(&'static str, Cow<'static, str>, bool)>,
    attrs: Vec<RawAttr<'static>>,
}

impl Clone for Scratch {
    /// Buffers only: a clone starts empty.
    fn clone(&self) -> Self {
        Self::default()
    }
}

/// Empties `v` and reuses its allocation for elements of the same layout (here: the same type
/// with another lifetime; the standard library collects in place).
fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// `v` recycled, or a new vector of `cap` when `v` never allocated.
fn reuse<T, U>(v: Vec<T>, cap: usize) -> Vec<U> {
    if v.capacity() == 0 {
        Vec::with_capacity(cap)
    } else {
        recycle(v)
    }
}

impl<'a> Lexer<'a> {
    #[cfg(test)]
    pub(crate) fn new(src: &'a str) -> Self {
        Self::with_scratch(src, &mut Scratch::default())
    }

    /// A lexer over `src` using the buffers of `scratch` (give them back with
    /// [`into_scratch`](Self::into_scratch)).
    pub(crate) fn with_scratch(src: &'a str, scratch: &mut Scratch) -> Self {
        Self {
            src,
            pos: 0,
            // Sized for a usual event (depth 4, one declaration, up to 7 attributes per tag): no
            // regrowth while it is read.
            stack: reuse(core::mem::take(&mut scratch.stack), 8),
            ns: reuse(core::mem::take(&mut scratch.ns), 2),
            attrs: reuse(core::mem::take(&mut scratch.attrs), 8),
            close_empty: None,
            skip_blank: false,
        }
    }

    /// Returns the buffers to `scratch`.
    pub(crate) fn into_scratch(self, scratch: &mut Scratch) {
        scratch.stack = recycle(self.stack);
        scratch.ns = recycle(self.ns);
        scratch.attrs = recycle(self.attrs);
    }

    /// Byte offset of the next token.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    fn err(&self, offset: usize, reason: &'static str) -> LexError {
        LexError {
            offset,
            reason,
            truncated: false,
        }
    }

    fn eof(&self, reason: &'static str) -> LexError {
        LexError {
            offset: self.src.len(),
            reason,
            truncated: true,
        }
    }

    #[inline]
    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    #[inline]
    fn slice(&self, a: usize, b: usize) -> &'a str {
        self.src.get(a..b).unwrap_or_default()
    }

    /// Finds `pat` at or after `from`; returns its absolute offset.
    fn find(&self, from: usize, pat: &str) -> Option<usize> {
        let hay = self.src.get(from..)?;
        hay.find(pat).and_then(|i| from.checked_add(i))
    }

    /// Finds the byte `b` (ASCII) at or after `from` (memchr-based).
    fn find_byte(&self, from: usize, b: u8) -> Option<usize> {
        let hay = self.bytes().get(from..)?;
        crate::swar::find_byte(hay, b).and_then(|i| from.checked_add(i))
    }

    /// Resolves the prefix of a qualified name against the declarations in scope.
    #[cfg(test)]
    pub(crate) fn resolve(&self, qname: &str) -> Resolved<'a> {
        self.resolve_tag(&StartTag::new(qname))
    }

    /// Resolves the prefix of a start tag's name against the declarations in scope.
    pub(crate) fn resolve_tag(&self, tag: &StartTag<'_>) -> Resolved<'a> {
        let prefix = tag.prefix;
        let found = if prefix.is_empty() {
            self.ns.iter().rev().find(|(p, _, _)| p.is_empty())
        } else {
            self.ns.iter().rev().find(|(p, _, _)| *p == prefix)
        };
        match found {
            Some((_, _, true)) => Resolved::EventNs,
            Some((_, uri, _)) if uri.is_empty() => Resolved::Unbound,
            Some((_, uri, _)) => Resolved::Bound(uri.clone()),
            None if prefix.is_empty() || prefix == "xml" => Resolved::Unbound,
            None => Resolved::UnknownPrefix,
        }
    }

    /// Reads the next token.
    pub(crate) fn next(&mut self) -> Result<Lex<'a>, LexError> {
        if let Some(n) = self.close_empty.take() {
            self.ns.truncate(n);
        }
        let mut start = self.pos;
        let first = loop {
            let Some(&first) = self.bytes().get(start) else {
                return if self.stack.is_empty() {
                    Ok(Lex::Eof)
                } else {
                    Err(self.eof("input ended with open elements"))
                };
            };
            if first == b'<' {
                break first;
            }
            if self.skip_blank {
                // Indentation between elements: skipped without a search.
                let j = self.skip_ws(start);
                if j > start && self.bytes().get(j).is_none_or(|&c| c == b'<') {
                    self.pos = j;
                    start = j;
                    continue;
                }
            }
            let end = self.find_byte(start, b'<').unwrap_or(self.src.len());
            self.pos = end;
            let text = self.slice(start, end);
            if !(self.skip_blank && text.bytes().all(is_ws)) {
                return Ok(Lex::Text(text));
            }
            start = end;
        };
        let _ = first;
        let after = start.wrapping_add(1);
        match self.bytes().get(after) {
            None => Err(self.eof("input ended in markup")),
            Some(b'/') => self.end_tag(start),
            Some(b'!') => {
                let rest = self.slice(after, self.src.len());
                if rest.starts_with("!--") {
                    let body = after.wrapping_add(3);
                    let end = self.find(body, "-->").ok_or(self.eof("unclosed comment"))?;
                    self.pos = end.wrapping_add(3);
                    self.next()
                } else if rest.starts_with("![CDATA[") {
                    let body = after.wrapping_add(8);
                    let end = self.find(body, "]]>").ok_or(self.eof("unclosed cdata"))?;
                    if self.stack.is_empty() {
                        return Err(self.err(start, "cdata outside the root element"));
                    }
                    self.pos = end.wrapping_add(3);
                    Ok(Lex::CData(self.slice(body, end)))
                } else if rest.starts_with("!DOCTYPE") {
                    // Refused by the caller; nothing after it is read.
                    self.pos = self.src.len();
                    self.stack.clear();
                    Ok(Lex::DocType)
                } else if rest.len() < 8 {
                    Err(self.eof("input ended in markup"))
                } else {
                    Err(self.err(start, "invalid markup"))
                }
            }
            Some(b'?') => {
                let end = self
                    .find(after, "?>")
                    .ok_or(self.eof("unclosed processing instruction"))?;
                self.pos = end.wrapping_add(2);
                self.next()
            }
            Some(_) => self.start_tag(start),
        }
    }

    /// Fast path for `<x …>text</x>`: right after the start tag of `x` was returned, reads the
    /// raw text and the matching end tag in one step. Returns `None`, with nothing consumed,
    /// when the content is anything else (child elements, comments, CDATA, no end tag).
    /// The flag tells whether the text is clean: no reference, no control or 0xEF byte, so
    /// nothing to resolve or report.
    pub(crate) fn simple_content(&mut self) -> Option<(&'a str, bool)> {
        if self.close_empty.is_some() {
            return None;
        }
        let &(name, ns_len) = self.stack.last()?;
        let start = self.pos;
        let b = self.bytes();
        let (lt, clean) = self.text_end(start)?;
        if b.get(lt.wrapping_add(1)) != Some(&b'/') {
            return None;
        }
        let name_start = lt.wrapping_add(2);
        let name_end = name_start.checked_add(name.len())?;
        if !crate::swar::eq_short(b.get(name_start..name_end)?, name.as_bytes()) {
            return None;
        }
        let close = self.skip_ws(name_end);
        if b.get(close) != Some(&b'>') {
            return None;
        }
        self.stack.pop();
        self.ns.truncate(ns_len);
        self.pos = close.wrapping_add(1);
        Some((self.slice(start, lt), clean))
    }

    /// How an unprefixed name resolves: `Some(true)` to the event namespace, `Some(false)` to
    /// none, `None` to another namespace.
    pub(crate) fn default_ns(&self) -> Option<bool> {
        match self.ns.iter().rev().find(|(p, _, _)| p.is_empty()) {
            Some((_, _, true)) => Some(true),
            Some((_, uri, _)) => uri.is_empty().then_some(false),
            None => Some(false),
        }
    }

    /// Fast path for an attribute-only element, once
    /// [`peek_element_name`](Self::peek_element_name) found `name` ending at `i`:
    /// `<Name a="v" …/>` or `<Name a="v" …>` + at most `max_blank` bytes of whitespace +
    /// `</Name>`, with ASCII-letter attribute names, one space before each attribute,
    /// double-quoted values that need no resolution, no namespace declaration and distinct
    /// attribute names (the caller checks [`default_ns`](Self::default_ns)). The attributes are left in
    /// [`attrs`](Self::attrs) as a start tag leaves them; the position is not moved:
    /// [`commit_to`](Self::commit_to) the returned end offset to accept the element as read (as
    /// if it were the empty element `<Name a="v" …/>`).
    pub(crate) fn attr_element_after(
        &mut self,
        name: &'a str,
        mut i: usize,
        max_blank: usize,
    ) -> Option<(StartTag<'a>, usize)> {
        let b = self.bytes();
        self.attrs.clear();
        let end = loop {
            match b.get(i)? {
                b' ' => {
                    let astart = i.wrapping_add(1);
                    let mut j = astart;
                    while b.get(j).is_some_and(u8::is_ascii_alphabetic) {
                        j = j.wrapping_add(1);
                    }
                    if j == astart || b.get(j..j.wrapping_add(2))? != b"=\"" {
                        return None;
                    }
                    let aname = self.slice(astart, j);
                    if aname.starts_with("xmlns") || self.attrs.iter().any(|a| a.name == aname) {
                        return None;
                    }
                    let vstart = j.wrapping_add(2);
                    let vend = crate::swar::find_value_end(b.get(vstart..)?, b'"')
                        .map(|k| vstart.wrapping_add(k))?;
                    if b.get(vend) != Some(&b'"') {
                        return None;
                    }
                    self.attrs.push(RawAttr {
                        name: aname,
                        value: self.slice(vstart, vend),
                        clean: true,
                    });
                    i = vend.wrapping_add(1);
                }
                b'/' => {
                    if b.get(i.wrapping_add(1)) != Some(&b'>') {
                        return None;
                    }
                    break i.wrapping_add(2);
                }
                b'>' => {
                    let content = i.wrapping_add(1);
                    let lt2 = self.skip_ws(content);
                    if lt2.saturating_sub(content) > max_blank
                        || b.get(lt2..lt2.wrapping_add(2))? != b"</"
                    {
                        return None;
                    }
                    let name_end = lt2.wrapping_add(2).wrapping_add(name.len());
                    if !crate::swar::eq_short(
                        b.get(lt2.wrapping_add(2)..name_end)?,
                        name.as_bytes(),
                    ) {
                        return None;
                    }
                    let close = self.skip_ws(name_end);
                    if b.get(close) != Some(&b'>') {
                        return None;
                    }
                    break close.wrapping_add(1);
                }
                _ => return None,
            }
        };
        Some((StartTag::unprefixed(name), end))
    }

    /// Accepts what [`attr_element_after`](Self::attr_element_after) returned.
    pub(crate) fn commit_to(&mut self, end: usize) {
        self.pos = end;
    }

    /// Fast path for the usual EventData item, after optional whitespace:
    /// `<Data Name="n">text</Data>`, `<Data Name="n"/>`, `<Data>text</Data>` or `<Data/>`, with
    /// a name and text that need no resolution (see [`simple_content`](Self::simple_content)).
    /// The caller checks that unprefixed names are in the event namespace (or none):
    /// [`default_ns`](Self::default_ns). Nothing is consumed:
    /// [`data_items`](Self::data_items) reads the items it accepts. `None` for anything else, which the general path reads.
    #[inline(always)]
    pub(crate) fn peek_data_item(&self) -> Option<DataItemFast<'a>> {
        if self.close_empty.is_some() {
            return None;
        }
        let b = self.bytes();
        let lt = self.skip_ws(self.pos);
        let rest = b.get(lt..)?;
        let (name, i) = if rest.first_chunk::<12>() == Some(b"<Data Name=\"") {
            let vstart = lt.wrapping_add(12);
            let r = b.get(vstart..)?;
            // A cheap search first (names are letters, digits and `_`); from whatever else it
            // stops at, the full one (nothing before that byte is special).
            let k = crate::swar::find_name_stop(r)?;
            let k = if r.get(k) == Some(&b'"') {
                k
            } else {
                crate::swar::find_value_end(r.get(k..)?, b'"')?.wrapping_add(k)
            };
            if r.get(k) != Some(&b'"') {
                return None;
            }
            let vend = vstart.wrapping_add(k);
            (Some(self.slice(vstart, vend)), vend.wrapping_add(1))
        } else if rest.first_chunk::<5>() == Some(b"<Data")
            && matches!(rest.get(5), Some(b'>' | b'/'))
        {
            (None, lt.wrapping_add(5))
        } else {
            return None;
        };
        match b.get(i)? {
            b'/' => {
                if b.get(i.wrapping_add(1)) != Some(&b'>') {
                    return None;
                }
                return Some(DataItemFast {
                    name,
                    value: "",
                    end: i.wrapping_add(2),
                });
            }
            b'>' => {}
            _ => return None,
        }
        let tstart = i.wrapping_add(1);
        let (tend, clean) = self.text_end(tstart)?;
        if !clean || b.get(tend..)?.first_chunk::<7>() != Some(b"</Data>") {
            return None;
        }
        Some(DataItemFast {
            name,
            value: self.slice(tstart, tend),
            end: tend.wrapping_add(7),
        })
    }

    /// Reads consecutive EventData items of the shape [`peek_data_item`](Self::peek_data_item)
    /// accepts, at most `budget` of them, each with a value (and a name) of at most `max_text`
    /// bytes (and no name when `!named_ok`), appending them to `out`. Returns how many were
    /// read; the first item that does not qualify is left unread.
    pub(crate) fn data_items(
        &mut self,
        out: &mut Vec<crate::event::DataItem<'a>>,
        budget: usize,
        max_text: usize,
        named_ok: bool,
    ) -> usize {
        let mut n = 0usize;
        while n < budget {
            let Some(item) = self.peek_data_item() else {
                break;
            };
            if item.value.len() > max_text
                || item
                    .name
                    .is_some_and(|name| !named_ok || name.len() > max_text)
            {
                break;
            }
            self.pos = item.end;
            out.push(crate::event::DataItem {
                name: item.name.map(Cow::Borrowed),
                value: Cow::Borrowed(item.value),
            });
            n = n.wrapping_add(1);
        }
        n
    }

    /// The start of a fast-path element after optional whitespace: an unprefixed ASCII-letter
    /// name right after `<`, and the offset just after it. Nothing is consumed.
    pub(crate) fn peek_element_name(&self) -> Option<(&'a str, usize)> {
        if self.close_empty.is_some() {
            return None;
        }
        let b = self.bytes();
        let lt = self.skip_ws(self.pos);
        if b.get(lt) != Some(&b'<') {
            return None;
        }
        let nstart = lt.wrapping_add(1);
        let mut i = nstart;
        while b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            i = i.wrapping_add(1);
        }
        if i == nstart {
            return None;
        }
        Some((self.slice(nstart, i), i))
    }

    /// Fast path for the usual root start tag, after optional whitespace:
    /// `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">` (either quote),
    /// read as [`next`](Self::next) would read it (the declaration in scope, the element open,
    /// its attribute in [`attrs`](Self::attrs)). `false`, with nothing consumed, for anything
    /// else.
    pub(crate) fn root_event(&mut self) -> bool {
        const OPEN: &[u8; 13] = b"<Event xmlns=";
        if self.close_empty.is_some() || !self.stack.is_empty() {
            return false;
        }
        let b = self.bytes();
        let lt = self.skip_ws(self.pos);
        let Some(rest) = b.get(lt..) else {
            return false;
        };
        let Some((open, rest)) = rest.split_first_chunk::<13>() else {
            return false;
        };
        let ns = crate::EVENT_NS.as_bytes();
        let Some((&quote, rest)) = rest.split_first() else {
            return false;
        };
        if open != OPEN
            || !matches!(quote, b'"' | b'\'')
            || rest.get(..ns.len()) != Some(ns)
            || rest.get(ns.len()..ns.len().wrapping_add(2)) != Some(&[quote, b'>'])
        {
            return false;
        }
        let name_start = lt.wrapping_add(1);
        let vstart = lt.wrapping_add(14);
        let vend = vstart.wrapping_add(ns.len());
        self.attrs.clear();
        self.attrs.push(RawAttr {
            name: self.slice(name_start.wrapping_add(6), name_start.wrapping_add(11)),
            value: self.slice(vstart, vend),
            clean: true,
        });
        let ns_before = self.ns.len();
        self.ns
            .push(("", Cow::Borrowed(self.slice(vstart, vend)), true));
        self.stack.push((
            self.slice(name_start, name_start.wrapping_add(5)),
            ns_before,
        ));
        self.pos = vend.wrapping_add(2);
        true
    }

    /// Fast path for a start tag without attributes, after optional whitespace: `<name>` (an
    /// unprefixed name), read as [`next`](Self::next) would read it. `false`, with nothing
    /// consumed, for anything else.
    pub(crate) fn open_plain(&mut self, name: &str) -> bool {
        let Some(end) = self.peek_named(name) else {
            return false;
        };
        if self.bytes().get(end) != Some(&b'>') {
            return false;
        }
        let start = end.saturating_sub(name.len());
        self.attrs.clear();
        self.stack.push((self.slice(start, end), self.ns.len()));
        self.pos = end.wrapping_add(1);
        true
    }

    /// Whether only whitespace is left.
    pub(crate) fn rest_is_blank(&self) -> bool {
        self.close_empty.is_none() && self.skip_ws(self.pos) >= self.src.len()
    }

    /// Whether the next element (after optional whitespace) starts with `<` + `name` (an
    /// unprefixed ASCII-letter name): the offset just after the name. The byte there is not
    /// checked: the fast paths that follow require `>`, `/` or a space. Nothing is consumed.
    #[inline]
    pub(crate) fn peek_named(&self, name: &str) -> Option<usize> {
        if self.close_empty.is_some() {
            return None;
        }
        let b = self.bytes();
        let lt = self.skip_ws(self.pos);
        let nstart = lt.checked_add(1)?;
        let nend = nstart.checked_add(name.len())?;
        if b.get(lt) != Some(&b'<') || !crate::swar::eq_short(b.get(nstart..nend)?, name.as_bytes())
        {
            return None;
        }
        Some(nend)
    }

    /// One attribute of an attribute-only element in the shape
    /// [`attr_element_after`](Self::attr_element_after) accepts, at `i`, whose name is one of
    /// `known`: a space, the name, `="`. Returns the index of the name in `known` and the
    /// offset of the value; `None` for anything else.
    #[inline]
    pub(crate) fn known_attr_at<K>(
        &self,
        i: usize,
        known: &[(&str, K)],
    ) -> Option<(usize, usize, u8)> {
        let b = self.bytes();
        if b.get(i) != Some(&b' ') {
            return None;
        }
        let start = i.wrapping_add(1);
        known.iter().enumerate().find_map(|(k, (name, _))| {
            let end = start.checked_add(name.len())?;
            let vstart = end.checked_add(2)?;
            let quote = match b.get(end..vstart)? {
                b"=\"" => b'"',
                b"='" => b'\'',
                _ => return None,
            };
            crate::swar::eq_short(b.get(start..end)?, name.as_bytes()).then_some((k, vstart, quote))
        })
    }

    /// The closing `"` of a double-quoted attribute value starting at `vstart` that needs no
    /// resolution (as in [`attr_element_after`](Self::attr_element_after)).
    #[inline]
    pub(crate) fn str_value_end(&self, vstart: usize, quote: u8) -> Option<usize> {
        let b = self.bytes();
        let vend =
            crate::swar::find_value_end(b.get(vstart..)?, quote).map(|k| vstart.wrapping_add(k))?;
        (b.get(vend) == Some(&quote)).then_some(vend)
    }

    /// The closing `"` of a GUID value starting at `vstart`, where a GUID with (38 bytes) or
    /// without (36 bytes) braces would end. The caller parses the GUID, which rejects
    /// everything else.
    #[inline]
    pub(crate) fn guid_value_end(&self, vstart: usize, quote: u8) -> Option<usize> {
        let b = self.bytes();
        let len = if b.get(vstart) == Some(&b'{') { 38 } else { 36 };
        let vend = vstart.checked_add(len)?;
        (b.get(vend) == Some(&quote)).then_some(vend)
    }

    /// 1 to 19 decimal digits starting at `vstart` and ending at a `"`: its offset and the
    /// value.
    #[inline]
    pub(crate) fn dec_value(&self, vstart: usize, quote: u8) -> Option<(usize, u64)> {
        let b = self.bytes();
        let mut j = vstart;
        let mut v: u64 = 0;
        while let Some(d) = b.get(j).map(|c| c.wrapping_sub(b'0')).filter(|&d| d <= 9) {
            v = v.wrapping_mul(10).wrapping_add(u64::from(d));
            j = j.wrapping_add(1);
        }
        let n = j.saturating_sub(vstart);
        (n > 0 && n <= 19 && b.get(j) == Some(&quote)).then_some((j, v))
    }

    /// The closing `"` of a timestamp value starting at `vstart` where
    /// [`Timestamp::parse`](crate::Timestamp::parse)'s format would end it: 19 bytes, an
    /// optional fraction, then `Z` or an offset. The caller parses the timestamp, which
    /// rejects everything else.
    #[inline]
    pub(crate) fn time_value_end(&self, vstart: usize, quote: u8) -> Option<usize> {
        let b = self.bytes();
        let mut j = vstart.checked_add(19)?;
        if b.get(j) == Some(&b'.') {
            j = j.wrapping_add(1);
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j = j.wrapping_add(1);
            }
        }
        match b.get(j)? {
            b'Z' | b'z' => j = j.wrapping_add(1),
            b'+' | b'-' => j = j.wrapping_add(6),
            _ => return None,
        }
        (b.get(j) == Some(&quote)).then_some(j)
    }

    /// The end of an attribute-only element after its attributes, at `i`: `/>`, or `>` + at
    /// most `max_blank` bytes of whitespace + `</name` + optional whitespace + `>` (as
    /// [`attr_element_after`](Self::attr_element_after) accepts). The offset after it.
    #[inline]
    pub(crate) fn attr_element_end(&self, i: usize, name: &str, max_blank: usize) -> Option<usize> {
        let b = self.bytes();
        match b.get(i)? {
            b'/' => (b.get(i.wrapping_add(1)) == Some(&b'>')).then(|| i.wrapping_add(2)),
            b'>' => {
                let content = i.wrapping_add(1);
                let lt2 = self.skip_ws(content);
                if lt2.saturating_sub(content) > max_blank
                    || b.get(lt2..lt2.wrapping_add(2))? != b"</"
                {
                    return None;
                }
                let name_end = lt2.wrapping_add(2).wrapping_add(name.len());
                if !crate::swar::eq_short(b.get(lt2.wrapping_add(2)..name_end)?, name.as_bytes()) {
                    return None;
                }
                let close = self.skip_ws(name_end);
                (b.get(close) == Some(&b'>')).then(|| close.wrapping_add(1))
            }
            _ => None,
        }
    }

    /// Fast path for a value element with no attributes, once
    /// [`peek_element_name`](Self::peek_element_name) found `name` ending at `i`:
    /// `<Name>text</Name>` with text that needs no resolution (the caller checks
    /// [`default_ns`](Self::default_ns)). Nothing is consumed (see [`peek_data_item`](Self::peek_data_item)).
    pub(crate) fn value_element_after(
        &self,
        name: &'a str,
        i: usize,
    ) -> Option<ValueElementFast<'a>> {
        let b = self.bytes();
        if b.get(i) != Some(&b'>') {
            return None;
        }
        let text_start = i.wrapping_add(1);
        let (tend, clean) = self.text_end(text_start)?;
        let close = b.get(tend.wrapping_add(1)..)?.strip_prefix(b"/")?;
        let after = close.get(name.len()..)?;
        if !crate::swar::eq_short(close.get(..name.len())?, name.as_bytes()) {
            return None;
        }
        if !clean || after.first() != Some(&b'>') {
            return None;
        }
        Some(ValueElementFast {
            value: self.slice(text_start, tend),
            text_start,
            end: tend.wrapping_add(name.len()).wrapping_add(3),
        })
    }

    /// Fast path for a numeric value element, once [`peek_named`](Self::peek_named) found
    /// `name` ending at `i`: `>` + 1 to 19 decimal digits (or, with `hex`, `0x` + 1 to 16
    /// hexadecimal digits) + `</name>`. Returns the digits as written, their value and the
    /// offsets of the text and just after the end tag. Nothing is consumed.
    #[inline]
    pub(crate) fn number_element_after(
        &self,
        name: &str,
        i: usize,
        hex: bool,
    ) -> Option<(&'a str, u64, usize, usize)> {
        let b = self.bytes();
        if b.get(i) != Some(&b'>') {
            return None;
        }
        let text_start = i.wrapping_add(1);
        let mut j = text_start;
        let mut v: u64 = 0;
        if hex {
            if b.get(j..j.wrapping_add(2))? != b"0x" {
                return None;
            }
            j = j.wrapping_add(2);
            let digits = j;
            while let Some(d) = b.get(j).and_then(|&c| crate::parse::hex_digit(c)) {
                v = v.wrapping_shl(4) | u64::from(d);
                j = j.wrapping_add(1);
            }
            if j == digits || j.saturating_sub(digits) > 16 {
                return None;
            }
        } else {
            while let Some(d) = b.get(j).map(|c| c.wrapping_sub(b'0')).filter(|&d| d <= 9) {
                v = v.wrapping_mul(10).wrapping_add(u64::from(d));
                j = j.wrapping_add(1);
            }
            if j == text_start || j.saturating_sub(text_start) > 19 {
                return None;
            }
        }
        let close = b.get(j..)?.strip_prefix(b"</")?;
        let after = close.get(name.len()..)?;
        if !crate::swar::eq_short(close.get(..name.len())?, name.as_bytes())
            || after.first() != Some(&b'>')
        {
            return None;
        }
        Some((
            self.slice(text_start, j),
            v,
            text_start,
            j.wrapping_add(name.len()).wrapping_add(3),
        ))
    }

    /// Whitespace (at least one byte) at the position, followed by `<`: the offset of the `<`,
    /// where the text token [`next`](Self::next) would return ends. Nothing is consumed.
    pub(crate) fn blank_before_markup(&self) -> Option<usize> {
        if self.close_empty.is_some() {
            return None;
        }
        let end = self.skip_ws(self.pos);
        (end > self.pos && self.bytes().get(end) == Some(&b'<')).then_some(end)
    }

    /// Fast path for a leaf element right at the position (no whitespace skipped):
    /// `<name>text</name>` with a name of ASCII letters, digits and `_` (so no prefix), no
    /// attributes, text that needs no resolution (possibly empty) and the exact end tag.
    /// Returns the name, the text, the offset of the text and the offset after the end tag.
    /// Nothing is consumed (see [`commit_to`](Self::commit_to)).
    pub(crate) fn leaf_element(&self) -> Option<(&'a str, &'a str, usize, usize)> {
        if self.close_empty.is_some() {
            return None;
        }
        let b = self.bytes();
        if b.get(self.pos) != Some(&b'<') {
            return None;
        }
        let nstart = self.pos.wrapping_add(1);
        let mut i = nstart;
        while b
            .get(i)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
        {
            i = i.wrapping_add(1);
        }
        if i == nstart
            || b.get(i) != Some(&b'>')
            || !b.get(nstart).is_some_and(u8::is_ascii_alphabetic)
        {
            return None;
        }
        let name = self.slice(nstart, i);
        let text_start = i.wrapping_add(1);
        let (tend, clean) = self.text_end(text_start)?;
        let close = b.get(tend..)?.strip_prefix(b"</")?;
        let after = close.get(name.len()..)?;
        if !clean
            || !crate::swar::eq_short(close.get(..name.len())?, name.as_bytes())
            || after.first() != Some(&b'>')
        {
            return None;
        }
        Some((
            name,
            self.slice(text_start, tend),
            text_start,
            tend.wrapping_add(name.len()).wrapping_add(3),
        ))
    }

    /// Accepts what [`value_element_after`](Self::value_element_after) returned.
    pub(crate) fn commit_value(&mut self, item: &ValueElementFast<'a>) {
        self.pos = item.end;
    }

    /// The `<` ending the text that starts at `from`, and whether that text is clean: TAB, LF
    /// and CR are plain text, so only a reference, another control character or 0xEF make it
    /// need resolution.
    #[inline(always)]
    fn text_end(&self, from: usize) -> Option<(usize, bool)> {
        let b = self.bytes();
        let mut stop = b
            .get(from..)
            .and_then(crate::swar::find_text_end)
            .and_then(|i| from.checked_add(i))?;
        if matches!(b.get(stop), Some(b'\t' | b'\n' | b'\r')) {
            // Multi-line text: the rest in one scan that TAB/LF/CR do not stop.
            let next = stop.wrapping_add(1);
            stop = b
                .get(next..)
                .and_then(crate::swar::find_text_end_multiline)
                .and_then(|i| next.checked_add(i))?;
        }
        Some(if b.get(stop) == Some(&b'<') {
            (stop, true)
        } else {
            (self.find_byte(stop, b'<')?, false)
        })
    }

    /// Fast path for whitespace-only content: right after the start tag of `x` was returned,
    /// reads optional whitespace and the matching `</x>`. `false`, with nothing consumed, for
    /// anything else, or for more than `max_len` bytes of whitespace.
    pub(crate) fn blank_content(&mut self, max_len: usize) -> bool {
        if self.close_empty.is_some() {
            return false;
        }
        let Some(&(name, ns_len)) = self.stack.last() else {
            return false;
        };
        let b = self.bytes();
        let lt = self.skip_ws(self.pos);
        if lt.saturating_sub(self.pos) > max_len
            || b.get(lt.wrapping_add(1)) != Some(&b'/')
            || b.get(lt) != Some(&b'<')
        {
            return false;
        }
        let name_start = lt.wrapping_add(2);
        let Some(name_end) = name_start.checked_add(name.len()) else {
            return false;
        };
        if !b
            .get(name_start..name_end)
            .is_some_and(|n| crate::swar::eq_short(n, name.as_bytes()))
        {
            return false;
        }
        let close = self.skip_ws(name_end);
        if b.get(close) != Some(&b'>') {
            return false;
        }
        self.stack.pop();
        self.ns.truncate(ns_len);
        self.pos = close.wrapping_add(1);
        true
    }

    fn name_at(&self, at: usize) -> Result<(&'a str, usize), LexError> {
        let b = self.bytes();
        let mut i = at;
        while let Some(&c) = b.get(i) {
            if is_name_end(c) {
                break;
            }
            i = i.wrapping_add(1);
        }
        if i >= b.len() {
            return Err(self.eof("input ended in a name"));
        }
        if i == at {
            return Err(self.err(at, "expected a name"));
        }
        Ok((self.slice(at, i), i))
    }

    #[inline]
    fn skip_ws(&self, mut i: usize) -> usize {
        let b = self.bytes();
        if !b.get(i).is_some_and(|c| is_ws(*c)) {
            return i;
        }
        // Indentation (LF and spaces) eight bytes at a time, the rest byte by byte.
        while let Some(w) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
            let n = crate::swar::lf_space_prefix(u64::from_le_bytes(*w));
            i = i.wrapping_add(n);
            if n < 8 {
                break;
            }
        }
        while b.get(i).is_some_and(|c| is_ws(*c)) {
            i = i.wrapping_add(1);
        }
        i
    }

    fn end_tag(&mut self, start: usize) -> Result<Lex<'a>, LexError> {
        let (name, i) = self.name_at(start.wrapping_add(2))?;
        let i = self.skip_ws(i);
        match self.bytes().get(i) {
            Some(b'>') => {}
            None => return Err(self.eof("input ended in an end tag")),
            Some(_) => return Err(self.err(i, "invalid end tag")),
        }
        match self.stack.pop() {
            Some((open, n)) if open == name => {
                self.ns.truncate(n);
                self.pos = i.wrapping_add(1);
                Ok(Lex::End)
            }
            Some(_) => Err(self.err(start, "mismatched end tag")),
            None => Err(self.err(start, "unmatched end tag")),
        }
    }

    fn start_tag(&mut self, start: usize) -> Result<Lex<'a>, LexError> {
        let (name, mut i) = self.name_at(start.wrapping_add(1))?;
        self.attrs.clear();
        let ns_before = self.ns.len();
        let b = self.bytes();
        loop {
            let j = self.skip_ws(i);
            let had_ws = j > i;
            i = j;
            match b.get(i) {
                None => return Err(self.eof("input ended in a start tag")),
                Some(b'>') => {
                    self.stack.push((name, ns_before));
                    self.pos = i.wrapping_add(1);
                    return Ok(Lex::Start(StartTag::new(name), false));
                }
                Some(b'/') => match b.get(i.wrapping_add(1)) {
                    Some(b'>') => {
                        self.close_empty = Some(ns_before);
                        self.pos = i.wrapping_add(2);
                        return Ok(Lex::Start(StartTag::new(name), true));
                    }
                    None => return Err(self.eof("input ended in a start tag")),
                    Some(_) => return Err(self.err(i, "invalid start tag")),
                },
                Some(_) if !had_ws => {
                    return Err(self.err(i, "expected whitespace before an attribute"));
                }
                Some(_) => {
                    let (aname, k) = self.name_at(i)?;
                    let k = self.skip_ws(k);
                    if b.get(k) != Some(&b'=') {
                        return Err(if k >= b.len() {
                            self.eof("input ended in an attribute")
                        } else {
                            self.err(k, "expected '=' after an attribute name")
                        });
                    }
                    let q = self.skip_ws(k.wrapping_add(1));
                    let quote = match b.get(q) {
                        Some(c @ (b'"' | b'\'')) => *c,
                        None => return Err(self.eof("input ended in an attribute")),
                        Some(_) => return Err(self.err(q, "unquoted attribute value")),
                    };
                    let vstart = q.wrapping_add(1);
                    let mut vend = b
                        .get(vstart..)
                        .and_then(|h| crate::swar::find_value_end(h, quote))
                        .and_then(|i| vstart.checked_add(i))
                        .ok_or(self.eof("input ended in an attribute value"))?;
                    let clean = matches!(b.get(vend), Some(&c) if c == quote || c == b'<');
                    if !clean {
                        vend = b
                            .get(vend..)
                            .and_then(|h| crate::swar::find_either(h, quote, b'<'))
                            .and_then(|i| vend.checked_add(i))
                            .ok_or(self.eof("input ended in an attribute value"))?;
                    }
                    if b.get(vend) == Some(&b'<') {
                        return Err(self.err(vend, "'<' in an attribute value"));
                    }
                    let value = self.slice(vstart, vend);
                    if self.attrs.iter().any(|a| a.name == aname) {
                        return Err(self.err(i, "duplicate attribute"));
                    }
                    self.attrs.push(RawAttr {
                        name: aname,
                        value,
                        clean,
                    });
                    let prefix = if !aname.starts_with('x') {
                        None
                    } else if aname == "xmlns" {
                        Some("")
                    } else {
                        aname.strip_prefix("xmlns:")
                    };
                    if let Some(p) = prefix {
                        let uri = crate::charset::unescape(value).unwrap_or(Cow::Borrowed(value));
                        let is_event = uri == crate::EVENT_NS;
                        self.ns.push((p, uri, is_event));
                    }
                    i = vend.wrapping_add(1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &str) -> Result<Vec<String>, LexError> {
        let mut l = Lexer::new(s);
        let mut out = Vec::new();
        loop {
            let t = l.next()?;
            out.push(match t {
                Lex::Start(t, e) => format!(
                    "<{}{}{}>",
                    t.name,
                    if l.attrs.is_empty() { "" } else { " @" },
                    if e { "/" } else { "" }
                ),
                Lex::End => "</>".into(),
                Lex::Text(t) => format!("t:{t}"),
                Lex::CData(t) => format!("c:{t}"),
                Lex::DocType => "doctype".into(),
                Lex::Eof => break,
            });
        }
        Ok(out)
    }

    #[test]
    fn tokens_and_errors() {
        assert_eq!(
            tokens("<?xml version='1.0'?><!-- c --><a x='1'><b/>t&amp;<![CDATA[<x>]]></a>")
                .unwrap(),
            ["<a @>", "<b/>", "t:t&amp;", "c:<x>", "</>"]
        );
        assert!(tokens("<a></b>").is_err());
        assert!(tokens("</a>").is_err());
        assert!(tokens("<a x='<'/>").is_err());
        assert!(tokens("<a x='1' x='2'/>").is_err());
        assert!(tokens("<a x=1/>").is_err());
        assert!(tokens("<a x='1'y='2'/>").is_err());
        assert!(tokens("<a>").unwrap_err().truncated);
        assert!(tokens("<a x='1").unwrap_err().truncated);
        assert!(tokens("<a><!-- x").unwrap_err().truncated);
        assert_eq!(
            tokens("<!DOCTYPE a><a/>").unwrap().first().unwrap(),
            "doctype"
        );
    }

    #[test]
    fn namespaces_are_scoped() {
        let mut l = Lexer::new("<a xmlns='u1' xmlns:p='u2'><p:b xmlns='u3'><c/></p:b><d/></a>");
        let mut seen = Vec::new();
        while let Ok(t) = l.next() {
            match t {
                Lex::Start(t, _) => seen.push((t.name, l.resolve(t.name))),
                Lex::Eof => break,
                _ => {}
            }
        }
        let b = |s: &'static str| Resolved::Bound(Cow::Borrowed(s));
        assert_eq!(
            seen,
            [
                ("a", b("u1")),
                ("p:b", b("u2")),
                ("c", b("u3")),
                ("d", b("u1"))
            ]
        );
        let mut l = Lexer::new(
            "<a xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><b xmlns=''/><q:c/></a>",
        );
        let mut seen = Vec::new();
        while let Ok(t) = l.next() {
            match t {
                Lex::Start(t, _) => seen.push(l.resolve(t.name)),
                Lex::Eof => break,
                _ => {}
            }
        }
        assert_eq!(
            seen,
            [
                Resolved::EventNs,
                Resolved::Unbound,
                Resolved::UnknownPrefix
            ]
        );
    }
}

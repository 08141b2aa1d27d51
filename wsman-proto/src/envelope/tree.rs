//! A compact, borrowed element tree over the transcoded envelope text.
//!
//! Built in one pass with quick-xml's `NsReader`, matching by resolved namespace URI. Every node
//! records byte ranges into the source text, so names, raw attributes, inner XML and (usually)
//! text are borrowed. The contents of `w:Event` items are not expanded into nodes: they are
//! scanned (well-formedness, depth and element-count limits still apply) and kept as one slice.

use std::borrow::Cow;
use std::collections::HashMap;

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use crate::error::{Error, Limit, LimitError, PeerError};
use crate::limits::Limits;
use crate::ns;

const NONE: u32 = u32::MAX;

/// Namespace of a node: index into [`Document::namespaces`], or [`NONE`] for no namespace.
type NsId = u32;

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) ns: NsId,
    /// Range of the local name.
    pub(crate) local: (usize, usize),
    /// Range of the raw attribute text (between the name and `>`/`/>`).
    pub(crate) attrs: (usize, usize),
    /// Offset of `<`.
    pub(crate) start: usize,
    /// Offset just after the start tag (content start).
    pub(crate) content_start: usize,
    /// Offset of the end tag `</` (== content_start for an empty element).
    pub(crate) content_end: usize,
    /// Offset just after the end tag.
    pub(crate) end: usize,
    pub(crate) parent: u32,
    pub(crate) first_child: u32,
    pub(crate) next_sibling: u32,
    /// Content not expanded into nodes (event payloads).
    pub(crate) opaque: bool,
    /// For opaque content made of exactly one CDATA section (and whitespace): its data range.
    pub(crate) cdata: Option<(usize, usize)>,
}

/// A parsed XML document borrowing from its text.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub(crate) text: &'a str,
    pub(crate) nodes: Vec<Node>,
    pub(crate) namespaces: Vec<String>,
}

fn xml_error(e: &quick_xml::Error, offset: usize) -> PeerError {
    use quick_xml::errors::{IllFormedError, SyntaxError};
    match e {
        quick_xml::Error::IllFormed(IllFormedError::MissingEndTag(_))
        | quick_xml::Error::Syntax(
            SyntaxError::UnclosedTag
            | SyntaxError::UnclosedCData
            | SyntaxError::UnclosedComment
            | SyntaxError::UnclosedPI
            | SyntaxError::UnclosedXmlDecl
            | SyntaxError::UnclosedDoctype
            | SyntaxError::UnclosedSingleQuotedAttributeValue
            | SyntaxError::UnclosedDoubleQuotedAttributeValue,
        ) => PeerError::Truncated { offset },
        quick_xml::Error::IllFormed(IllFormedError::MismatchedEndTag { .. }) => PeerError::Xml {
            what: "mismatched end tag",
            offset,
        },
        quick_xml::Error::IllFormed(IllFormedError::UnmatchedEndTag(_)) => PeerError::Xml {
            what: "unmatched end tag",
            offset,
        },
        quick_xml::Error::IllFormed(_) => PeerError::Xml {
            what: "ill-formed markup",
            offset,
        },
        quick_xml::Error::Syntax(_) => PeerError::Xml {
            what: "syntax error",
            offset,
        },
        quick_xml::Error::InvalidAttr(_) => PeerError::Xml {
            what: "invalid attribute",
            offset,
        },
        quick_xml::Error::Escape(_) => PeerError::Entity { offset },
        quick_xml::Error::Namespace(_) => PeerError::Xml {
            what: "invalid namespace declaration",
            offset,
        },
        quick_xml::Error::Encoding(_) => PeerError::Encoding {
            encoding: "utf-8",
            offset,
        },
        _ => PeerError::Xml {
            what: "unreadable xml",
            offset,
        },
    }
}

/// The reader over the text, plus the bytes skipped by hand (fast CDATA path), so positions
/// stay offsets into the text.
struct Src<'a> {
    reader: NsReader<&'a [u8]>,
    skipped: usize,
}

impl Src<'_> {
    fn pos(&self) -> usize {
        usize::try_from(self.reader.buffer_position())
            .unwrap_or(usize::MAX)
            .saturating_add(self.skipped)
    }
}

/// Content that is whitespace, one CDATA section, whitespace, then an end tag: returns
/// (length up to the end tag's `<`, CDATA data start, CDATA data end), relative to `rest`.
/// This is how Windows sends events; anything else takes the general path.
fn single_cdata_content(
    rest: &[u8],
    cdata_end: &memchr::memmem::Finder<'_>,
) -> Option<(usize, usize, usize)> {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let start = rest.iter().position(|b| !ws(b))?;
    let after_open = start.checked_add(9)?;
    if rest.get(start..after_open)? != b"<![CDATA[" {
        return None;
    }
    let data = rest.get(after_open..)?;
    let len = cdata_end.find(data)?;
    let data_end = after_open.checked_add(len)?;
    let tail_start = data_end.checked_add(3)?;
    let tail = rest.get(tail_start..)?;
    let close = tail_start.checked_add(tail.iter().position(|b| !ws(b))?)?;
    (rest.get(close..close.checked_add(2)?)? == b"</").then_some((close, after_open, data_end))
}

fn limit(limit: Limit, max: usize, offset: usize) -> Error {
    LimitError { limit, max, offset }.into()
}

/// True for the five predefined entities (character references are checked by quick-xml).
fn is_predefined_entity(name: &str) -> bool {
    matches!(name, "lt" | "gt" | "amp" | "apos" | "quot")
}

impl<'a> Document<'a> {
    /// Parses `text` into a tree, applying `limits`. `is_opaque(ns, local)` selects elements
    /// whose content is kept as one slice.
    pub(crate) fn parse(text: &'a str, limits: &Limits) -> Result<Self, Error> {
        if text.len() > limits.max_envelope_bytes.saturating_mul(2) {
            // The byte limit is checked on the encoded input; this is a backstop for callers
            // that hand us text directly (UTF-16 → UTF-8 never more than 1.5x).
            return Err(limit(
                Limit::EnvelopeBytes,
                limits.max_envelope_bytes,
                limits.max_envelope_bytes,
            ));
        }
        let mut src = Src {
            reader: NsReader::from_str(text),
            skipped: 0,
        };
        {
            let cfg = src.reader.config_mut();
            cfg.check_end_names = true;
            cfg.expand_empty_elements = false;
            cfg.trim_text(false);
        }
        let mut doc = Document {
            text,
            nodes: Vec::new(),
            namespaces: Vec::new(),
        };
        let mut ns_index: HashMap<String, NsId> = HashMap::new();
        let cdata_end = memchr::memmem::Finder::new(b"]]>");
        let mut stack: Vec<u32> = Vec::new();
        let mut last_child: Vec<u32> = Vec::new();
        let mut root_seen = false;
        loop {
            let before = src.pos();
            let skipped = src.skipped;
            let (resolved, event) = match src.reader.read_resolved_event() {
                Ok(x) => x,
                Err(e) => {
                    let at = usize::try_from(src.reader.error_position())
                        .unwrap_or(usize::MAX)
                        .saturating_add(skipped);
                    return Err(xml_error(&e, at).into());
                }
            };
            let ns_id: Result<NsId, Error> = match (&event, resolved) {
                (Event::Start(_) | Event::Empty(_), ResolveResult::Bound(n)) => {
                    let uri: &str = n.0;
                    // Few namespaces per envelope: a linear scan beats hashing until many.
                    let found = if doc.namespaces.len() <= 16 {
                        doc.namespaces
                            .iter()
                            .position(|u| u == uri)
                            .and_then(|i| u32::try_from(i).ok())
                    } else {
                        ns_index.get(uri).copied()
                    };
                    if let Some(id) = found {
                        Ok(id)
                    } else {
                        match u32::try_from(doc.namespaces.len()) {
                            Ok(id) => {
                                doc.namespaces.push(uri.to_owned());
                                ns_index.insert(uri.to_owned(), id);
                                Ok(id)
                            }
                            Err(_) => Err(limit(Limit::Elements, limits.max_elements, before)),
                        }
                    }
                }
                (Event::Start(_) | Event::Empty(_), ResolveResult::Unknown(_)) => {
                    Err(PeerError::UnboundPrefix { offset: before }.into())
                }
                _ => Ok(NONE),
            };
            let after = usize::try_from(src.reader.buffer_position())
                .unwrap_or(usize::MAX)
                .saturating_add(skipped);
            match event {
                Event::Start(ref s) | Event::Empty(ref s) => {
                    let empty = matches!(event, Event::Empty(_));
                    if stack.is_empty() && root_seen {
                        return Err(PeerError::Xml {
                            what: "content after the root element",
                            offset: before,
                        }
                        .into());
                    }
                    root_seen = true;
                    if doc.nodes.len() >= limits.max_elements {
                        return Err(limit(Limit::Elements, limits.max_elements, before));
                    }
                    let depth = stack.len().saturating_add(1);
                    if depth > limits.max_depth {
                        return Err(limit(Limit::Depth, limits.max_depth, before));
                    }
                    let ns_id = ns_id?;
                    check_attributes(s, limits, before)?;
                    let qlen = s.name().as_ref().len();
                    let name_start = before.saturating_add(1);
                    let name_end = name_start.saturating_add(qlen);
                    let local_start = name_end.saturating_sub(s.local_name().as_ref().len());
                    let attrs_end = if empty {
                        after.saturating_sub(2)
                    } else {
                        after.saturating_sub(1)
                    };
                    let id = u32::try_from(doc.nodes.len())
                        .map_err(|_| limit(Limit::Elements, limits.max_elements, before))?;
                    let parent = stack.last().copied().unwrap_or(NONE);
                    doc.nodes.push(Node {
                        ns: ns_id,
                        local: (local_start, name_end),
                        attrs: (name_end, attrs_end.max(name_end)),
                        start: before,
                        content_start: after,
                        content_end: after,
                        end: after,
                        parent,
                        first_child: NONE,
                        next_sibling: NONE,
                        opaque: false,
                        cdata: None,
                    });
                    if let Some(prev) = last_child.last_mut() {
                        if *prev == NONE {
                            if let Some(p) = doc.nodes.get_mut(idx(parent)) {
                                p.first_child = id;
                            }
                        } else if let Some(p) = doc.nodes.get_mut(idx(*prev)) {
                            p.next_sibling = id;
                        }
                        *prev = id;
                    }
                    if !empty {
                        let opaque = text.get(local_start..name_end) == Some("Event")
                            && doc.namespace(ns_id) == ns::WSMAN;
                        let fast = if opaque {
                            single_cdata_content(src.reader.get_mut(), &cdata_end)
                        } else {
                            None
                        };
                        if let Some((content_len, data_start, data_end)) = fast {
                            // Skip the CDATA by hand (memmem for `]]>`); the end tag is read
                            // normally, so names are still checked and scopes popped.
                            if data_end.saturating_sub(data_start) > limits.max_text_bytes {
                                return Err(limit(Limit::TextBytes, limits.max_text_bytes, after));
                            }
                            let rest: &mut &[u8] = src.reader.get_mut();
                            *rest = rest.get(content_len..).unwrap_or_default();
                            src.skipped = src.skipped.saturating_add(content_len);
                            if let Some(n) = doc.nodes.get_mut(idx(id)) {
                                n.opaque = true;
                                n.cdata = Some((
                                    after.saturating_add(data_start),
                                    after.saturating_add(data_end),
                                ));
                            }
                            stack.push(id);
                            last_child.push(NONE);
                        } else if opaque {
                            let (content_end, end, cdata) = skip_content(&mut src, limits, depth)?;
                            if let Some(n) = doc.nodes.get_mut(idx(id)) {
                                n.content_end = content_end;
                                n.end = end;
                                n.opaque = true;
                                n.cdata = cdata;
                            }
                        } else {
                            stack.push(id);
                            last_child.push(NONE);
                        }
                    }
                }
                Event::End(_) => {
                    let Some(id) = stack.pop() else {
                        return Err(PeerError::Xml {
                            what: "unmatched end tag",
                            offset: before,
                        }
                        .into());
                    };
                    last_child.pop();
                    if let Some(n) = doc.nodes.get_mut(idx(id)) {
                        n.content_end = before;
                        n.end = after;
                    }
                }
                Event::Text(ref t) => {
                    if t.len() > limits.max_text_bytes {
                        return Err(limit(Limit::TextBytes, limits.max_text_bytes, before));
                    }
                    if stack.is_empty() && !t.chars().all(|c| c.is_ascii_whitespace()) {
                        return Err(PeerError::Xml {
                            what: "text outside the root element",
                            offset: before,
                        }
                        .into());
                    }
                }
                Event::CData(ref t) => {
                    if t.len() > limits.max_text_bytes {
                        return Err(limit(Limit::TextBytes, limits.max_text_bytes, before));
                    }
                    if stack.is_empty() {
                        return Err(PeerError::Xml {
                            what: "cdata outside the root element",
                            offset: before,
                        }
                        .into());
                    }
                }
                Event::GeneralRef(ref r) => {
                    if !r.is_char_ref() && !is_predefined_entity(r) {
                        return Err(PeerError::Entity { offset: before }.into());
                    }
                    if r.is_char_ref() && r.resolve_char_ref().is_err() {
                        return Err(PeerError::Entity { offset: before }.into());
                    }
                    if stack.is_empty() {
                        return Err(PeerError::Xml {
                            what: "reference outside the root element",
                            offset: before,
                        }
                        .into());
                    }
                }
                Event::DocType(_) => return Err(PeerError::Dtd { offset: before }.into()),
                Event::Comment(_) | Event::PI(_) => {}
                Event::Decl(_) => {
                    if before != 0 {
                        return Err(PeerError::Xml {
                            what: "misplaced xml declaration",
                            offset: before,
                        }
                        .into());
                    }
                }
                Event::Eof => {
                    if !stack.is_empty() {
                        return Err(PeerError::Truncated { offset: before }.into());
                    }
                    if !root_seen {
                        return Err(PeerError::Missing {
                            element: "root element",
                            offset: before,
                        }
                        .into());
                    }
                    break;
                }
            }
        }
        Ok(doc)
    }

    /// The namespace URI for an id (`""` for none).
    pub(crate) fn namespace(&self, id: NsId) -> &str {
        self.namespaces.get(idx(id)).map_or("", String::as_str)
    }

    pub(crate) fn node(&self, id: u32) -> Option<&Node> {
        self.nodes.get(idx(id))
    }

    /// The root element.
    pub fn root(&self) -> Element<'_, 'a> {
        Element { doc: self, id: 0 }
    }

    /// The source text.
    pub fn text(&self) -> &'a str {
        self.text
    }
}

fn idx(id: u32) -> usize {
    usize::try_from(id).unwrap_or(usize::MAX)
}

fn check_attributes(
    s: &quick_xml::events::BytesStart<'_>,
    limits: &Limits,
    offset: usize,
) -> Result<(), Error> {
    let mut count = 0usize;
    for a in s.attributes().with_checks(true) {
        count = count.saturating_add(1);
        if count > limits.max_attributes {
            return Err(limit(Limit::Attributes, limits.max_attributes, offset));
        }
        let a = a.map_err(|_| PeerError::Xml {
            what: "invalid attribute",
            offset,
        })?;
        if a.value.len() > limits.max_attribute_bytes {
            return Err(limit(
                Limit::AttributeBytes,
                limits.max_attribute_bytes,
                offset,
            ));
        }
        check_attr_entities(a.value.as_bytes(), offset)?;
    }
    Ok(())
}

/// Attribute values are not split into reference events by quick-xml: check them here so a
/// custom entity in an attribute is rejected at parse time like one in text.
fn check_attr_entities(value: &[u8], offset: usize) -> Result<(), Error> {
    let mut rest = value;
    while let Some(amp) = rest.iter().position(|b| *b == b'&') {
        let after = rest.get(amp.saturating_add(1)..).unwrap_or_default();
        let Some(semi) = after.iter().position(|b| *b == b';') else {
            return Err(PeerError::Entity { offset }.into());
        };
        let name = after.get(..semi).unwrap_or_default();
        let ok = match name {
            b"lt" | b"gt" | b"amp" | b"apos" | b"quot" => true,
            [b'#', b'x', hex @ ..] => {
                !hex.is_empty() && hex.len() <= 6 && hex.iter().all(u8::is_ascii_hexdigit)
            }
            [b'#', dec @ ..] => {
                !dec.is_empty() && dec.len() <= 7 && dec.iter().all(u8::is_ascii_digit)
            }
            _ => false,
        };
        if !ok {
            return Err(PeerError::Entity { offset }.into());
        }
        rest = after.get(semi.saturating_add(1)..).unwrap_or_default();
    }
    Ok(())
}

/// (content_end, end, range of the single CDATA section if that is all the content holds).
type Skipped = (usize, usize, Option<(usize, usize)>);

/// Scans the content of an opaque element up to its end tag, checking well-formedness and the
/// depth / element / text limits. Returns (content_end, end, single CDATA data range).
fn skip_content(src: &mut Src<'_>, limits: &Limits, base_depth: usize) -> Result<Skipped, Error> {
    let mut depth = 0usize;
    let mut elements = 0usize;
    // None: nothing but whitespace so far; Some(Some(r)): exactly one CDATA; Some(None): other.
    let mut single: Option<Option<(usize, usize)>> = None;
    loop {
        let before = src.pos();
        let skipped = src.skipped;
        let event = match src.reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = usize::try_from(src.reader.error_position())
                    .unwrap_or(usize::MAX)
                    .saturating_add(skipped);
                return Err(xml_error(&e, at).into());
            }
        };
        let after = usize::try_from(src.reader.buffer_position())
            .unwrap_or(usize::MAX)
            .saturating_add(skipped);
        match &event {
            Event::CData(_) if single.is_none() => {
                // `<![CDATA[` is 9 bytes, `]]>` 3.
                single = Some(Some((before.saturating_add(9), after.saturating_sub(3))));
            }
            Event::Text(t) if t.chars().all(|c| c.is_ascii_whitespace()) => {}
            Event::End(_) if depth == 0 => {}
            _ => single = Some(None),
        }
        match event {
            Event::Start(ref s) | Event::Empty(ref s) => {
                elements = elements.saturating_add(1);
                if elements > limits.max_elements {
                    return Err(limit(Limit::Elements, limits.max_elements, before));
                }
                if base_depth.saturating_add(depth).saturating_add(1) > limits.max_depth {
                    return Err(limit(Limit::Depth, limits.max_depth, before));
                }
                check_attributes(s, limits, before)?;
                if matches!(event, Event::Start(_)) {
                    depth = depth.saturating_add(1);
                }
            }
            Event::End(_) => {
                if depth == 0 {
                    return Ok((before, after, single.flatten()));
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(ref t) if t.len() > limits.max_text_bytes => {
                return Err(limit(Limit::TextBytes, limits.max_text_bytes, before));
            }
            Event::CData(ref t) if t.len() > limits.max_text_bytes => {
                return Err(limit(Limit::TextBytes, limits.max_text_bytes, before));
            }
            Event::GeneralRef(ref r)
                if !(is_predefined_entity(r)
                    || r.is_char_ref() && r.resolve_char_ref().is_ok()) =>
            {
                return Err(PeerError::Entity { offset: before }.into());
            }
            Event::DocType(_) => return Err(PeerError::Dtd { offset: before }.into()),
            Event::Decl(_) => {
                return Err(PeerError::Xml {
                    what: "misplaced xml declaration",
                    offset: before,
                }
                .into());
            }
            Event::Eof => return Err(PeerError::Truncated { offset: before }.into()),
            _ => {}
        }
    }
}

/// A handle on one element of a parsed document.
#[derive(Debug, Clone, Copy)]
pub struct Element<'d, 'a> {
    doc: &'d Document<'a>,
    id: u32,
}

impl<'d, 'a> Element<'d, 'a> {
    fn n(&self) -> Option<&'d Node> {
        self.doc.node(self.id)
    }

    /// The namespace URI (`""` when the element is in no namespace).
    pub fn namespace(&self) -> &'d str {
        self.n().map_or("", |n| self.doc.namespace(n.ns))
    }

    /// The local name.
    pub fn local_name(&self) -> &'a str {
        self.n()
            .and_then(|n| self.doc.text.get(n.local.0..n.local.1))
            .unwrap_or("")
    }

    /// True when the element is `{ns}local`.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.local_name() == local && self.namespace() == ns
    }

    /// Byte offset of the start tag in the document text.
    pub fn offset(&self) -> usize {
        self.n().map_or(0, |n| n.start)
    }

    /// The element's markup from `<` to the end of its end tag, verbatim.
    pub fn outer_xml(&self) -> &'a str {
        self.n()
            .and_then(|n| self.doc.text.get(n.start..n.end))
            .unwrap_or("")
    }

    /// The element's content between its tags, verbatim (empty for `<x/>`).
    pub fn inner_xml(&self) -> &'a str {
        self.n()
            .and_then(|n| self.doc.text.get(n.content_start..n.content_end))
            .unwrap_or("")
    }

    /// The parent element.
    pub fn parent(&self) -> Option<Self> {
        let p = self.n()?.parent;
        (p != NONE).then_some(Self {
            doc: self.doc,
            id: p,
        })
    }

    /// Child elements in document order (none for opaque event payloads).
    pub fn children(&self) -> Children<'d, 'a> {
        Children {
            doc: self.doc,
            next: self.n().map_or(NONE, |n| n.first_child),
        }
    }

    /// The first child `{ns}local`.
    pub fn child(&self, ns: &str, local: &str) -> Option<Self> {
        self.children().find(|c| c.is(ns, local))
    }

    /// For opaque content that is exactly one CDATA section (plus whitespace): its data.
    pub(crate) fn single_cdata(&self) -> Option<&'a str> {
        let (a, b) = self.n()?.cdata?;
        self.doc.text.get(a..b)
    }

    /// Whether the content was kept as one slice (event payloads).
    pub fn is_opaque(&self) -> bool {
        self.n().is_some_and(|n| n.opaque)
    }

    /// Raw attribute text of the start tag.
    fn raw_attrs(&self) -> &'a str {
        self.n()
            .and_then(|n| self.doc.text.get(n.attrs.0..n.attrs.1))
            .unwrap_or("")
    }

    /// Attributes as (qualified name, raw value) pairs, in order.
    pub(crate) fn raw_attributes(&self) -> RawAttrs<'a> {
        RawAttrs {
            rest: self.raw_attrs(),
        }
    }

    /// The in-scope namespace URI bound to `prefix` (`""` = the default namespace), as written
    /// (like element namespaces, URIs are compared without entity expansion).
    pub fn resolve_prefix(&self, prefix: &str) -> Option<&'a str> {
        if prefix == "xml" {
            return Some(ns::XML);
        }
        let mut cur = Some(*self);
        while let Some(e) = cur {
            for (name, value) in e.raw_attributes() {
                let bound = if prefix.is_empty() {
                    name == "xmlns"
                } else {
                    name.strip_prefix("xmlns:") == Some(prefix)
                };
                if bound {
                    return Some(value);
                }
            }
            cur = e.parent();
        }
        None
    }

    /// The value of attribute `{ns}local` (`ns = ""` for an unprefixed attribute), unescaped.
    ///
    /// # Errors
    /// [`PeerError::Entity`] when the value holds an invalid reference.
    pub fn attr(&self, ns: &str, local: &str) -> Result<Option<Cow<'a, str>>, Error> {
        for (name, value) in self.raw_attributes() {
            let (prefix, l) = name.split_once(':').unwrap_or(("", name));
            if l != local || prefix == "xmlns" || name == "xmlns" {
                continue;
            }
            let matches = if prefix.is_empty() {
                ns.is_empty()
            } else {
                self.resolve_prefix(prefix) == Some(ns)
            };
            if matches {
                return unescape(value, self.offset()).map(Some);
            }
        }
        Ok(None)
    }

    /// The text content: character data and CDATA concatenated, references resolved. Borrowed
    /// unless a reference had to be replaced or several pieces joined.
    ///
    /// # Errors
    /// [`PeerError::Unexpected`] when the element has child elements.
    pub fn text(&self) -> Result<Cow<'a, str>, Error> {
        let inner = self.inner_xml();
        if !inner.contains(['<', '&']) {
            return Ok(Cow::Borrowed(inner));
        }
        if self.n().is_some_and(|n| n.first_child != NONE) {
            return Err(PeerError::Unexpected {
                what: "child element in a text value",
                offset: self.offset(),
            }
            .into());
        }
        text_of(inner, self.offset().saturating_add(1))
    }

    /// The text content with XML whitespace trimmed at both ends.
    ///
    /// # Errors
    /// As [`text`](Self::text).
    pub fn trimmed_text(&self) -> Result<Cow<'a, str>, Error> {
        Ok(match self.text()? {
            Cow::Borrowed(s) => Cow::Borrowed(s.trim_matches(is_xml_ws)),
            Cow::Owned(s) => Cow::Owned(s.trim_matches(is_xml_ws).to_owned()),
        })
    }
}

pub(crate) fn is_xml_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Resolves the five predefined entities and character references.
pub(crate) fn unescape(raw: &str, offset: usize) -> Result<Cow<'_, str>, Error> {
    quick_xml::escape::unescape(raw).map_err(|_| PeerError::Entity { offset }.into())
}

/// Text and CDATA pieces of a content slice without child elements (comments skipped).
fn text_of(inner: &str, offset: usize) -> Result<Cow<'_, str>, Error> {
    let mut pieces: Vec<Cow<'_, str>> = Vec::new();
    let mut rest = inner;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").ok_or(PeerError::Truncated { offset })?;
            let (data, tail) = after.split_at(end);
            pieces.push(Cow::Borrowed(data));
            rest = tail.get(3..).unwrap_or_default();
        } else if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").ok_or(PeerError::Truncated { offset })?;
            rest = after.get(end.saturating_add(3)..).unwrap_or_default();
        } else if let Some(after) = rest.strip_prefix("<?") {
            let end = after.find("?>").ok_or(PeerError::Truncated { offset })?;
            rest = after.get(end.saturating_add(2)..).unwrap_or_default();
        } else if rest.starts_with('<') {
            return Err(PeerError::Unexpected {
                what: "child element in a text value",
                offset,
            }
            .into());
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let (t, tail) = rest.split_at(end);
            pieces.push(unescape(t, offset)?);
            rest = tail;
        }
    }
    if pieces.len() <= 1 {
        return Ok(pieces.pop().unwrap_or(Cow::Borrowed("")));
    }
    Ok(Cow::Owned(pieces.concat()))
}

/// Iterator over child elements.
#[derive(Debug, Clone)]
pub struct Children<'d, 'a> {
    doc: &'d Document<'a>,
    next: u32,
}

impl<'d, 'a> Iterator for Children<'d, 'a> {
    type Item = Element<'d, 'a>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.doc.node(id).map_or(NONE, |n| n.next_sibling);
        Some(Element { doc: self.doc, id })
    }
}

/// Iterator over the raw attributes of a start tag already validated by quick-xml.
#[derive(Debug, Clone)]
pub(crate) struct RawAttrs<'a> {
    rest: &'a str,
}

impl<'a> Iterator for RawAttrs<'a> {
    type Item = (&'a str, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        let s = self.rest.trim_start_matches(is_xml_ws);
        let eq = s.find('=')?;
        let (name, after) = s.split_at(eq);
        let after = after.get(1..)?.trim_start_matches(is_xml_ws);
        let quote = after.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let body = after.get(1..)?;
        let close = body.find(quote)?;
        let (value, tail) = body.split_at(close);
        self.rest = tail.get(1..).unwrap_or_default();
        Some((name.trim_end_matches(is_xml_ws), value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPEN: &str = r#"<w:Events xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd">"#;

    fn doc(body: &str) -> Result<(String, Vec<Option<String>>), Error> {
        let text = format!("{OPEN}{body}</w:Events>");
        let d = Document::parse(&text, &Limits::default())?;
        let cdata = d
            .root()
            .children()
            .map(|e| e.single_cdata().map(str::to_owned))
            .collect();
        Ok((text, cdata))
    }

    /// The hand-skipped CDATA path and the general path agree, and the reader still checks
    /// the end tag after a skip.
    #[test]
    fn cdata_fast_path() {
        let (_, c) =
            doc("<w:Event> <![CDATA[<E a='1'>x]]]></w:Event><w:Event><![CDATA[]]></w:Event>")
                .unwrap();
        assert_eq!(c, vec![Some("<E a='1'>x]".to_owned()), Some(String::new())]);
        // Not a single CDATA: general path, no single range.
        let (_, c) = doc("<w:Event><![CDATA[a]]>junk</w:Event>").unwrap();
        assert_eq!(c, vec![None]);
        // Wrong end tag after a skipped CDATA.
        let e = doc("<w:Event><![CDATA[a]]></w:Other>").unwrap_err();
        assert!(matches!(e, Error::Peer(PeerError::Xml { .. })), "{e:?}");
        // Unterminated CDATA.
        let e = doc("<w:Event><![CDATA[a</w:Event>").unwrap_err();
        assert!(
            matches!(e, Error::Peer(PeerError::Truncated { .. })),
            "{e:?}"
        );
        // Offsets after a skip still point into the text.
        let body = "<w:Event><![CDATA[abc]]></w:Event><w:Event><x></w:Event>";
        let e = doc(body).unwrap_err();
        let off = e.offset().unwrap();
        let text = format!("{OPEN}{body}</w:Events>");
        assert!(text.get(off..).unwrap().starts_with("</w:Event>"), "{off}");
    }
}

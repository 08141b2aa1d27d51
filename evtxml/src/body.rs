//! Iterating the events of a WS-Management `Events` body without copying it.

use std::borrow::Cow;

use quick_xml::events::Event as XmlEvent;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::charset::{BODY, unescape};
use crate::error::Error;
use crate::limits::{Limit, Limits};

/// The WS-Management namespace of `<w:Events>`/`<w:Event>`.
pub const WSMAN_NS: &str = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";

/// One `<w:Event>` item of an `Events` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyEvent<'a> {
    /// The `Action=` attribute, if any.
    pub action: Option<Cow<'a, str>>,
    /// The event XML: borrowed from the body when it was carried in CDATA or inline,
    /// unescaped into an owned string when it was carried as escaped text.
    pub xml: Cow<'a, str>,
    /// Byte offset of the item's content in the body.
    pub offset: usize,
}

/// An iterator over the `<w:Event>` items of a WS-Management `Events` body, in order.
///
/// A malformed item yields an `Err` and iteration continues with the next item when the body
/// structure allows it; a body that is not well-formed ends the iteration after its error.
///
/// ```
/// let body = "<s:Envelope xmlns:s='http://www.w3.org/2003/05/soap-envelope' \
///   xmlns:w='http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd'><s:Body><w:Events>\
///   <w:Event Action='urn:a'><![CDATA[<Event>one</Event>]]></w:Event>\
///   <w:Event Action='urn:a'>&lt;Event&gt;two&lt;/Event&gt;</w:Event>\
///   </w:Events></s:Body></s:Envelope>";
/// let xml: Vec<String> = evtxml::events_in_body(body)
///     .map(|e| e.unwrap().xml.into_owned())
///     .collect();
/// assert_eq!(xml, ["<Event>one</Event>", "<Event>two</Event>"]);
/// ```
#[derive(Debug)]
pub struct EventSlices<'a> {
    body: &'a str,
    reader: NsReader<&'a [u8]>,
    limits: Limits,
    done: bool,
    count: usize,
}

/// Iterates the `<w:Event>` items of `body` with the default [`Limits`].
pub fn events_in_body(body: &str) -> EventSlices<'_> {
    events_in_body_with(body, &Limits::default())
}

/// Iterates the `<w:Event>` items of `body`: an item larger than `limits.max_event_bytes`
/// yields a limit error, and at most `limits.max_items` items are returned.
pub fn events_in_body_with<'a>(body: &'a str, limits: &Limits) -> EventSlices<'a> {
    let mut reader = NsReader::from_str(body);
    reader.config_mut().check_end_names = true;
    EventSlices {
        body,
        reader,
        limits: *limits,
        done: false,
        count: 0,
    }
}

fn pos(p: u64) -> usize {
    usize::try_from(p).unwrap_or(usize::MAX)
}

impl<'a> EventSlices<'a> {
    fn fail(&mut self, e: Error) -> Option<Result<BodyEvent<'a>, Error>> {
        self.done = true;
        Some(Err(e))
    }

    /// Extracts the event XML from the content of one item.
    fn content(&self, start: usize, end: usize) -> Result<Cow<'a, str>, Error> {
        let raw = self.body.get(start..end).unwrap_or_default();
        let trimmed = raw.trim_matches(|c: char| c.is_ascii_whitespace());
        if trimmed.starts_with("<![CDATA[") {
            // One or more CDATA sections (possibly separated by whitespace).
            let mut parts: Vec<&'a str> = Vec::new();
            let mut rest = trimmed;
            while let Some(after) = rest.strip_prefix("<![CDATA[") {
                let Some(i) = after.find("]]>") else {
                    return Err(Error::Truncated {
                        section: BODY,
                        offset: start,
                    });
                };
                parts.push(after.get(..i).unwrap_or_default());
                rest = after
                    .get(i.saturating_add(3)..)
                    .unwrap_or_default()
                    .trim_start_matches(|c: char| c.is_ascii_whitespace());
            }
            if !rest.is_empty() {
                return Err(Error::Xml {
                    section: BODY,
                    offset: start,
                    reason: "text beside cdata in an event item",
                });
            }
            return Ok(match parts.as_slice() {
                [one] => Cow::Borrowed(one),
                many => Cow::Owned(many.concat()),
            });
        }
        if trimmed.starts_with('<') {
            // The event element carried inline.
            return Ok(Cow::Borrowed(trimmed));
        }
        unescape(trimmed).ok_or(Error::Entity { offset: start })
    }
}

impl<'a> Iterator for EventSlices<'a> {
    type Item = Result<BodyEvent<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            let at = pos(self.reader.buffer_position());
            let (ns, ev) = match self.reader.read_resolved_event() {
                Ok(x) => x,
                Err(_) => {
                    let offset = pos(self.reader.error_position());
                    return self.fail(Error::Xml {
                        section: BODY,
                        offset,
                        reason: "malformed envelope",
                    });
                }
            };
            let is_item = matches!(&ev, XmlEvent::Start(s) | XmlEvent::Empty(s)
                if s.local_name().as_ref() == "Event")
                && matches!(ns, ResolveResult::Bound(n) if n.0 == WSMAN_NS);
            match ev {
                XmlEvent::Eof => {
                    self.done = true;
                    return None;
                }
                XmlEvent::DocType(_) => return self.fail(Error::Dtd { offset: at }),
                XmlEvent::Start(s) if is_item => {
                    self.count = self.count.saturating_add(1);
                    if self.count > self.limits.max_items {
                        return self.fail(Error::Limit {
                            limit: Limit::Items,
                            offset: at,
                        });
                    }
                    let mut action = None;
                    for a in s.attributes().flatten() {
                        if a.key.local_name().as_ref() == "Action" {
                            action = Some(match crate::parse::rebase(self.body, &a.value) {
                                Some(v) => unescape(v).unwrap_or(Cow::Borrowed(v)),
                                None => Cow::Owned(a.value.into_owned()),
                            });
                        }
                    }
                    let content_start = pos(self.reader.buffer_position());
                    let span = match self.reader.read_to_end(s.name()) {
                        Ok(span) => span,
                        Err(_) => {
                            return self.fail(Error::Truncated {
                                section: BODY,
                                offset: content_start,
                            });
                        }
                    };
                    let (cs, ce) = (pos(span.start), pos(span.end));
                    if ce.saturating_sub(cs) > self.limits.max_event_bytes {
                        return Some(Err(Error::Limit {
                            limit: Limit::EventBytes,
                            offset: cs,
                        }));
                    }
                    return Some(self.content(cs, ce).map(|xml| BodyEvent {
                        action,
                        xml,
                        offset: cs,
                    }));
                }
                XmlEvent::Empty(_) if is_item => {
                    return Some(Ok(BodyEvent {
                        action: None,
                        xml: Cow::Borrowed(""),
                        offset: at,
                    }));
                }
                _ => {}
            }
        }
    }
}

impl core::iter::FusedIterator for EventSlices<'_> {}

//! Total normalization: every input yields a [`Normalized`] value.

use crate::error::{Error, Section};
use crate::event::Event;
use crate::lexer::Scratch;
use crate::limits::Limits;

/// What was repaired while recovering an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RepairKind {
    /// The document ended (or became malformed, see the carried error) before the root closed:
    /// the complete sections were kept and the partial one dropped.
    Truncated(Error),
    /// An element the schema does not define; kept in an `other` list.
    UnknownElement,
    /// An attribute the schema does not define on a known element; dropped.
    UnknownAttribute,
    /// A character XML 1.0 does not allow (e.g. U+0005) inside a value; kept as is.
    IllegalCharacter,
    /// An undefined entity reference (`&foo;`); kept as literal text.
    UndefinedEntity,
    /// A number, time or GUID that does not parse; the raw text is kept.
    InvalidValue,
    /// A known element that occurred twice (e.g. two `EventID`); the first is kept, the
    /// others go to an `other` list.
    Duplicate,
    /// Non-whitespace text where the schema has only elements; dropped.
    StrayText,
    /// Content after the root element was closed; ignored.
    TrailingContent,
}

/// One repair: what, in which section, at which byte offset of the event text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repair {
    /// What was repaired.
    pub kind: RepairKind,
    /// Where.
    pub section: Section,
    /// Byte offset in the event text.
    pub offset: usize,
}

impl Repair {
    /// A short stable identifier of the repair kind.
    pub const fn kind_name(&self) -> &'static str {
        match self.kind {
            RepairKind::Truncated(_) => "truncated",
            RepairKind::UnknownElement => "unknown_element",
            RepairKind::UnknownAttribute => "unknown_attribute",
            RepairKind::IllegalCharacter => "illegal_character",
            RepairKind::UndefinedEntity => "undefined_entity",
            RepairKind::InvalidValue => "invalid_value",
            RepairKind::Duplicate => "duplicate",
            RepairKind::StrayText => "stray_text",
            RepairKind::TrailingContent => "trailing_content",
        }
    }
}

impl core::fmt::Display for Repair {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.kind {
            RepairKind::Truncated(e) => write!(f, "dropped an incomplete part: {e}"),
            _ => write!(
                f,
                "{} in {} at byte {}",
                self.kind_name(),
                self.section,
                self.offset
            ),
        }
    }
}

/// The result of normalizing one event: the degradation is explicit in the type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Normalized<'a> {
    /// Parsed without any repair.
    Clean(Event<'a>),
    /// Parsed, but something had to be repaired (listed in `repairs`, in document order).
    Recovered {
        /// The event as recovered.
        event: Event<'a>,
        /// What was repaired.
        repairs: Vec<Repair>,
        /// The input text (profiles that forward the original content use it).
        raw: &'a str,
    },
    /// Nothing usable could be parsed; the raw text is kept.
    RawOnly {
        /// The input text.
        raw: &'a str,
        /// Why.
        error: Error,
    },
}

impl<'a> Normalized<'a> {
    /// The event, unless this is `RawOnly`.
    pub fn event(&self) -> Option<&Event<'a>> {
        match self {
            Self::Clean(e) | Self::Recovered { event: e, .. } => Some(e),
            Self::RawOnly { .. } => None,
        }
    }

    /// The repairs made (empty when clean or raw-only).
    pub fn repairs(&self) -> &[Repair] {
        match self {
            Self::Recovered { repairs, .. } => repairs,
            _ => &[],
        }
    }

    /// `"clean"`, `"recovered"` or `"raw_only"`.
    pub const fn status(&self) -> &'static str {
        match self {
            Self::Clean(_) => "clean",
            Self::Recovered { .. } => "recovered",
            Self::RawOnly { .. } => "raw_only",
        }
    }
}

/// Normalizes events with fixed limits, reusing its scratch space across calls.
///
/// ```
/// let mut n = evtxml::Normalizer::default();
/// let xml = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>\
///            <System><EventID>4624</EventID></System></Event>";
/// let out = n.normalize(xml);
/// assert_eq!(out.status(), "clean");
/// assert_eq!(out.event().unwrap().event_id(), Some(4624));
/// ```
#[derive(Debug, Default, Clone)]
pub struct Normalizer {
    limits: Limits,
    repairs: Vec<Repair>,
    /// The lexer's buffers, reused from one event to the next.
    scratch: Scratch,
}

impl Normalizer {
    /// A normalizer applying `limits`.
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            repairs: Vec::new(),
            scratch: Scratch::default(),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Normalizes one event document. Never fails and never panics.
    pub fn normalize<'a>(&mut self, xml: &'a str) -> Normalized<'a> {
        self.repairs.clear();
        // The event is parsed in the place it is returned from (it is large: no moves).
        let mut out = Normalized::Clean(Event::default());
        let Normalized::Clean(event) = &mut out else {
            return out;
        };
        match crate::parse::parse_into(
            xml,
            &self.limits,
            &mut self.repairs,
            &mut self.scratch,
            event,
        ) {
            Ok(()) if self.repairs.is_empty() => out,
            Ok(()) => Normalized::Recovered {
                event: core::mem::take(event),
                repairs: core::mem::take(&mut self.repairs),
                raw: xml,
            },
            Err(error) => Normalized::RawOnly { raw: xml, error },
        }
    }
}

/// Parses one event strictly: any repair is an error.
///
/// Use [`Normalizer`] to accept what real forwarders send.
pub fn parse_event<'a>(xml: &'a str, limits: &Limits) -> Result<Event<'a>, Error> {
    let mut repairs = Vec::new();
    let event = crate::parse::parse(xml, limits, &mut repairs, &mut Scratch::default())?;
    match repairs.first() {
        None => Ok(event),
        Some(Repair {
            kind: RepairKind::Truncated(e),
            ..
        }) => Err(*e),
        Some(r) => Err(Error::Xml {
            section: r.section,
            offset: r.offset,
            reason: r.kind_name(),
        }),
    }
}

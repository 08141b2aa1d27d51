//! The crate's error type.

use crate::limits::Limit;

/// Where in the event something went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Section {
    /// Before or at the root element.
    Document,
    /// `System`.
    System,
    /// The payload (`EventData`, `UserData`, `DebugData`, `ProcessingErrorData`).
    Payload,
    /// `RenderingInfo`.
    RenderingInfo,
    /// Another child of `Event`.
    Other,
    /// A WS-Management `Events` body.
    Body,
    /// A canonical JSON document being read back.
    Json,
}

impl core::fmt::Display for Section {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Document => "document",
            Self::System => "System",
            Self::Payload => "payload",
            Self::RenderingInfo => "RenderingInfo",
            Self::Other => "unknown element",
            Self::Body => "Events body",
            Self::Json => "canonical json",
        })
    }
}

/// Everything that can go wrong. Offsets are byte offsets into the parsed `&str`.
///
/// Messages never contain event content (names, values, hosts): only positions and kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The XML is not well-formed.
    #[error("malformed xml in {section} at byte {offset}: {reason}")]
    Xml {
        /// Where.
        section: Section,
        /// Byte offset of the error.
        offset: usize,
        /// What (a fixed description).
        reason: &'static str,
    },
    /// The document ended before the root element was closed.
    #[error("event truncated in {section} at byte {offset}")]
    Truncated {
        /// The section that was open.
        section: Section,
        /// Byte offset of the end of input.
        offset: usize,
    },
    /// A document type declaration: DTDs are refused.
    #[error("dtd refused at byte {offset}")]
    Dtd {
        /// Byte offset.
        offset: usize,
    },
    /// An entity reference other than XML's five predefined ones or a character reference.
    #[error("undefined or invalid entity reference at byte {offset}")]
    Entity {
        /// Byte offset.
        offset: usize,
    },
    /// The root element is not `Event` in the event namespace.
    #[error("root element is not an event at byte {offset}")]
    NotAnEvent {
        /// Byte offset.
        offset: usize,
    },
    /// The `Event` has no (complete) `System` block.
    #[error("event has no complete System block")]
    NoSystem,
    /// A configured limit was exceeded.
    #[error("limit {limit} exceeded at byte {offset}")]
    Limit {
        /// The limit.
        limit: Limit,
        /// Byte offset where it was exceeded.
        offset: usize,
    },
    /// Bytes that are not valid in the declared or detected encoding.
    #[error("invalid {encoding} at byte {offset}")]
    Encoding {
        /// `"utf-8"` or `"utf-16"`.
        encoding: &'static str,
        /// Byte offset into the undecoded input.
        offset: usize,
    },
    /// A canonical JSON document that does not describe an event.
    #[error("invalid canonical json: {reason}")]
    Json {
        /// What was wrong (a fixed description).
        reason: &'static str,
    },
}

impl Error {
    /// A short stable identifier of the error kind (`"xml"`, `"truncated"`, `"limit"`, …), for
    /// machine-readable outputs.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Xml { .. } => "xml",
            Self::Truncated { .. } => "truncated",
            Self::Dtd { .. } => "dtd",
            Self::Entity { .. } => "entity",
            Self::NotAnEvent { .. } => "not_an_event",
            Self::NoSystem => "no_system",
            Self::Limit { .. } => "limit",
            Self::Encoding { .. } => "encoding",
            Self::Json { .. } => "json",
        }
    }
}

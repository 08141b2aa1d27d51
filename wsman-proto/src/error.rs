//! The error type of the message layer, with blame in the type.
//!
//! - [`PeerError`]: the bytes we received are wrong. [`PeerError::soap_fault`] and
//!   [`PeerError::http_status`] give the answer a collector should send.
//! - [`LimitError`]: the input is larger or deeper than the configured [`Limits`](crate::Limits).
//! - [`MisuseError`]: the caller asked for something impossible (e.g. a subscription query that
//!   is not well-formed XML).
//!
//! Messages are one lowercase sentence with no trailing period. They never contain payload
//! text, host names or credentials: only static descriptions and byte offsets.

use std::borrow::Cow;

use crate::message::fault::{Fault, FaultCode, FaultSubcode, QName, WsManFault};

/// An error of the envelope and message layer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The peer sent something invalid.
    #[error("invalid message from peer")]
    Peer(#[from] PeerError),
    /// A configured limit was exceeded.
    #[error("limit exceeded")]
    Limit(#[from] LimitError),
    /// The caller misused the API.
    #[error("invalid use of the api")]
    Misuse(#[from] MisuseError),
}

impl Error {
    /// The SOAP fault a collector should answer with, when the peer is to blame (peer and limit
    /// errors). `None` for caller misuse, which is not the peer's fault.
    pub fn soap_fault(&self) -> Option<Fault<'static>> {
        match self {
            Self::Peer(e) => Some(e.soap_fault()),
            Self::Limit(e) => Some(e.soap_fault()),
            Self::Misuse(_) => None,
        }
    }

    /// The HTTP status to answer with: 400 for sender faults, 500 otherwise (SOAP 1.2 HTTP
    /// binding, table 20).
    pub fn http_status(&self) -> u16 {
        match self {
            Self::Peer(e) => e.http_status(),
            Self::Limit(e) => e.http_status(),
            Self::Misuse(_) => 500,
        }
    }

    /// The byte offset (in the transcoded UTF-8 text, or in the raw bytes for encoding errors)
    /// where the problem was found, when known.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Self::Peer(e) => e.offset(),
            Self::Limit(e) => Some(e.offset),
            Self::Misuse(_) => None,
        }
    }
}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        let kind = match e {
            Error::Misuse(_) => std::io::ErrorKind::InvalidInput,
            Error::Peer(_) | Error::Limit(_) => std::io::ErrorKind::InvalidData,
        };
        Self::new(kind, e)
    }
}

/// What the peer got wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PeerError {
    /// The bytes are not valid in the detected encoding.
    #[error("invalid {encoding} at byte {offset}")]
    Encoding {
        /// `"utf-8"` or `"utf-16"`.
        encoding: &'static str,
        /// Offset in the raw bytes.
        offset: usize,
    },
    /// The `Content-Type` charset is unsupported or contradicts the byte order mark.
    #[error("content-type charset {what}")]
    Charset {
        /// What is wrong with it.
        what: &'static str,
    },
    /// The XML is not well-formed.
    #[error("malformed xml ({what}) at byte {offset}")]
    Xml {
        /// The kind of syntax error.
        what: &'static str,
        /// Offset in the UTF-8 text.
        offset: usize,
    },
    /// The document ends inside an element.
    #[error("document ends inside an element at byte {offset}")]
    Truncated {
        /// Offset in the UTF-8 text.
        offset: usize,
    },
    /// A `<!DOCTYPE>` was present: DTDs are never processed.
    #[error("document type declarations are not allowed (byte {offset})")]
    Dtd {
        /// Offset in the UTF-8 text.
        offset: usize,
    },
    /// An entity reference other than the five predefined ones or a character reference.
    #[error("unknown entity reference at byte {offset}")]
    Entity {
        /// Offset in the UTF-8 text.
        offset: usize,
    },
    /// A namespace prefix is used without a declaration.
    #[error("unbound namespace prefix at byte {offset}")]
    UnboundPrefix {
        /// Offset in the UTF-8 text.
        offset: usize,
    },
    /// The root element is a SOAP 1.1 envelope.
    #[error("soap 1.1 envelope where soap 1.2 is required (byte {offset})")]
    VersionMismatch {
        /// Offset in the UTF-8 text.
        offset: usize,
    },
    /// A required element is missing, or an element is in the wrong namespace.
    #[error("missing {element} at byte {offset}")]
    Missing {
        /// The element, e.g. `"s:Envelope"`.
        element: &'static str,
        /// Offset of the parent element (or where it was expected).
        offset: usize,
    },
    /// A required header is missing.
    #[error("missing {header} header")]
    MissingHeader {
        /// The header, e.g. `"a:Action"`.
        header: &'static str,
    },
    /// A value does not have the required form.
    #[error("invalid {what} at byte {offset}")]
    Invalid {
        /// What was invalid, e.g. `"w:MaxEnvelopeSize value"`.
        what: &'static str,
        /// Offset of the element holding it.
        offset: usize,
    },
    /// A WS-Addressing / WS-Management header has an invalid value (Windows answers
    /// `a:InvalidMessageInformationHeader`, e.g. for `<w:OperationTimeout>PT-1S`).
    #[error("invalid value in the {header} header at byte {offset}")]
    InvalidHeader {
        /// Which header, e.g. `"w:OperationTimeout"`.
        header: &'static str,
        /// Offset of the header element.
        offset: usize,
    },
    /// An element is duplicated or out of place.
    #[error("unexpected {what} at byte {offset}")]
    Unexpected {
        /// What was unexpected.
        what: &'static str,
        /// Offset of the element.
        offset: usize,
    },
    /// A header marked `mustUnderstand="true"` that this implementation does not understand.
    #[error("header marked mustunderstand not understood at byte {offset}")]
    NotUnderstood {
        /// The header's qualified name (schema names, never payload).
        header: Box<QName<'static>>,
        /// Offset of the header element.
        offset: usize,
    },
    /// The `Action` is not one this operation accepts.
    #[error("unsupported action at byte {offset}")]
    UnsupportedAction {
        /// Offset of the `a:Action` header.
        offset: usize,
    },
}

impl PeerError {
    /// The byte offset where the problem was found, when known.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Self::Encoding { offset, .. }
            | Self::Xml { offset, .. }
            | Self::Truncated { offset }
            | Self::Dtd { offset }
            | Self::Entity { offset }
            | Self::UnboundPrefix { offset }
            | Self::VersionMismatch { offset }
            | Self::Missing { offset, .. }
            | Self::Invalid { offset, .. }
            | Self::InvalidHeader { offset, .. }
            | Self::Unexpected { offset, .. }
            | Self::NotUnderstood { offset, .. }
            | Self::UnsupportedAction { offset } => Some(*offset),
            Self::Charset { .. } | Self::MissingHeader { .. } => None,
        }
    }

    /// The SOAP fault a collector should send back (DSP0226 section 14, SOAP 1.2 part 1 5.4).
    pub fn soap_fault(&self) -> Fault<'static> {
        let text: &'static str;
        let mut fault = match self {
            Self::VersionMismatch { .. } => {
                text = "The SOAP envelope version is not supported.";
                Fault::new(FaultCode::VERSION_MISMATCH, None, text)
            }
            Self::NotUnderstood { header, .. } => {
                text = "The WS-Management service cannot process a SOAP header in the request that is marked as mustUnderstand.";
                let mut f = Fault::new(FaultCode::MUST_UNDERSTAND, None, text);
                f.not_understood = Some((**header).clone());
                f
            }
            Self::Encoding { .. } | Self::Charset { .. } => {
                text = "The WS-Management service cannot process the request because the character encoding is not supported.";
                let mut f = Fault::new(FaultCode::SENDER, Some(FaultSubcode::ENCODING_LIMIT), text);
                f.fault_detail = Some(Cow::Borrowed(FaultSubcode::DETAIL_CHARACTER_SET));
                f
            }
            Self::MissingHeader { .. } => {
                text = "A required header was missing.";
                Fault::new(
                    FaultCode::SENDER,
                    Some(FaultSubcode::MESSAGE_INFORMATION_HEADER_REQUIRED),
                    text,
                )
            }
            Self::InvalidHeader { .. } => {
                text = "The WS-Management service cannot process the request. The request contains one or more invalid SOAP headers.";
                let mut f = Fault::new(
                    FaultCode::SENDER,
                    Some(FaultSubcode::INVALID_MESSAGE_INFORMATION_HEADER),
                    text,
                );
                f.wsman_fault = Some(WsManFault {
                    code: WsManFault::ERROR_INVALID_HEADER,
                    machine: None,
                    message: Cow::Borrowed(text),
                });
                f
            }
            Self::UnsupportedAction { .. } => {
                text = "The action is not supported by the service.";
                Fault::new(
                    FaultCode::SENDER,
                    Some(FaultSubcode::ACTION_NOT_SUPPORTED),
                    text,
                )
            }
            Self::Invalid { .. } | Self::Unexpected { .. } | Self::Missing { .. } => {
                text = "The WS-Management service cannot process the request because the XML is invalid.";
                Fault::new(
                    FaultCode::SENDER,
                    Some(FaultSubcode::SCHEMA_VALIDATION_ERROR),
                    text,
                )
            }
            Self::Xml { .. }
            | Self::Truncated { .. }
            | Self::Dtd { .. }
            | Self::Entity { .. }
            | Self::UnboundPrefix { .. } => {
                text = "The WS-Management service cannot process the request because the XML is invalid.";
                Fault::new(
                    FaultCode::SENDER,
                    Some(FaultSubcode::SCHEMA_VALIDATION_ERROR),
                    text,
                )
            }
        };
        fault.lang = Cow::Borrowed("en-US");
        fault
    }

    /// The HTTP status for [`soap_fault`](Self::soap_fault): 400 for sender faults, 500 for
    /// `MustUnderstand` and `VersionMismatch` (SOAP 1.2 part 2, 7.5.1.2).
    pub fn http_status(&self) -> u16 {
        match self {
            Self::VersionMismatch { .. } | Self::NotUnderstood { .. } => 500,
            _ => 400,
        }
    }
}

/// Which limit of [`Limits`](crate::Limits) was exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// `max_envelope_bytes`.
    EnvelopeBytes,
    /// `max_depth`.
    Depth,
    /// `max_elements`.
    Elements,
    /// `max_attributes`.
    Attributes,
    /// `max_attribute_bytes`.
    AttributeBytes,
    /// `max_text_bytes`.
    TextBytes,
    /// `max_events`.
    Events,
}

impl Limit {
    /// The field name in [`Limits`](crate::Limits).
    pub const fn name(self) -> &'static str {
        match self {
            Self::EnvelopeBytes => "max_envelope_bytes",
            Self::Depth => "max_depth",
            Self::Elements => "max_elements",
            Self::Attributes => "max_attributes",
            Self::AttributeBytes => "max_attribute_bytes",
            Self::TextBytes => "max_text_bytes",
            Self::Events => "max_events",
        }
    }
}

/// A limit was exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{} of {max} exceeded at byte {offset}", limit.name())]
pub struct LimitError {
    /// Which limit.
    pub limit: Limit,
    /// The configured maximum.
    pub max: usize,
    /// Where it was exceeded.
    pub offset: usize,
}

impl LimitError {
    /// The SOAP fault to send: `w:EncodingLimit` with the matching fault detail.
    pub fn soap_fault(&self) -> Fault<'static> {
        let (text, detail) = match self.limit {
            Limit::EnvelopeBytes => (
                "The WS-Management service cannot process the request because the envelope size exceeds the maximum.",
                FaultSubcode::DETAIL_MAX_ENVELOPE_SIZE,
            ),
            _ => (
                "The WS-Management service cannot process the request because it exceeds an encoding limit.",
                FaultSubcode::DETAIL_SERVICE_ENVELOPE_LIMIT,
            ),
        };
        let mut f = Fault::new(FaultCode::SENDER, Some(FaultSubcode::ENCODING_LIMIT), text);
        f.fault_detail = Some(Cow::Borrowed(detail));
        f
    }

    /// The HTTP status: 400 (sender fault).
    pub fn http_status(&self) -> u16 {
        400
    }
}

/// The caller asked for something impossible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MisuseError {
    /// A subscription query is not a well-formed `QueryList`.
    #[error("subscription query is not a well-formed querylist ({what}) at byte {offset}")]
    InvalidQuery {
        /// What is wrong.
        what: &'static str,
        /// Offset in the query text.
        offset: usize,
    },
    /// A value given to a builder cannot be rendered.
    #[error("invalid {what}")]
    InvalidValue {
        /// Which value.
        what: &'static str,
    },
}

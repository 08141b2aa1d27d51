//! Resource limits for decoding untrusted envelopes.

/// Limits applied while decoding an envelope. Every limit is checked before the corresponding
/// work is done; exceeding one is a [`LimitError`](crate::LimitError) naming the limit and the
/// byte offset, never a truncation.
///
/// ```
/// let limits = wsman_proto::Limits { max_depth: 32, ..Default::default() };
/// assert_eq!(limits.max_envelope_bytes, 512_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest encoded envelope in bytes (before transcoding). Default 512 000, Windows'
    /// `MaxEnvelopeSize`.
    pub max_envelope_bytes: usize,
    /// Deepest element nesting, counting the `Envelope` as 1. Default 64.
    pub max_depth: usize,
    /// Most elements in one envelope, event payloads included. Default 100 000.
    pub max_elements: usize,
    /// Most attributes on one element. Default 64.
    pub max_attributes: usize,
    /// Longest attribute value in bytes. Default 65 536.
    pub max_attribute_bytes: usize,
    /// Longest single text or CDATA node in bytes. Default 512 000.
    pub max_text_bytes: usize,
    /// Most `w:Event` items in one `Events` message. Default 10 000.
    pub max_events: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_envelope_bytes: 512_000,
            max_depth: 64,
            max_elements: 100_000,
            max_attributes: 64,
            max_attribute_bytes: 65_536,
            max_text_bytes: 512_000,
            max_events: 10_000,
        }
    }
}

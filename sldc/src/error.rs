//! The one error type of the crate.

/// Why a stream could not be decoded (or a body not framed).
///
/// Every variant that comes from the input says where: `bit_offset` counts bits from the first
/// byte given to the decoder (since [`Decompressor::new`](crate::Decompressor::new) or
/// [`Decompressor::reset`](crate::Decompressor::reset)), most significant bit first, so
/// `bit_offset / 8` is the byte and `bit_offset % 8` the bit within it. The messages never
/// contain payload bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input ended before the stream did: inside a symbol, inside a Pad, before an End of
    /// Record, or before the length trailer of a WEF body.
    #[error("input truncated at bit {bit_offset}: expected {expected}")]
    Truncated {
        /// Where the incomplete item starts.
        bit_offset: u64,
        /// What the decoder was reading.
        expected: &'static str,
    },
    /// A control symbol (nine 1-bits and a 4-bit code) whose code ECMA-321 reserves.
    #[error(
        "reserved control symbol code {code:#06b} at bit {bit_offset}: expected flush, scheme 1/2, file mark, end of record, reset 1/2 or end marker"
    )]
    ReservedControl {
        /// Where the control symbol starts.
        bit_offset: u64,
        /// The 4-bit code after the nine 1-bits.
        code: u8,
    },
    /// A control symbol that the framing does not allow here (a File Mark or End Marker inside
    /// a WEF body).
    #[error("unexpected {symbol} at bit {bit_offset}: expected {expected}")]
    UnexpectedControl {
        /// Where the control symbol starts.
        bit_offset: u64,
        /// The symbol found.
        symbol: &'static str,
        /// What the framing allows here.
        expected: &'static str,
    },
    /// A data symbol before any Reset or Scheme control symbol chose a scheme.
    #[error(
        "data symbol at bit {bit_offset} before any scheme was chosen: expected reset 1/2 or scheme 1/2"
    )]
    NoScheme {
        /// Where the data symbol starts.
        bit_offset: u64,
    },
    /// A Pad bit with the wrong value.
    #[error("bad pad bit at bit {bit_offset}: expected {expected}")]
    BadPad {
        /// The offending bit.
        bit_offset: u64,
        /// Which pad was being read.
        expected: &'static str,
    },
    /// The decoded output would exceed the caller's `max_output`.
    #[error("output limit of {limit} bytes exceeded by the symbol at bit {bit_offset}")]
    OutputLimit {
        /// The limit that was set.
        limit: usize,
        /// The symbol (or position) that needed more room.
        bit_offset: u64,
    },
    /// Bytes after the end of the stream (after an End Marker, or after a WEF body's length).
    #[error("unexpected data at bit {bit_offset}: expected {expected}")]
    TrailingData {
        /// Where the unexpected bytes start.
        bit_offset: u64,
        /// What should have been there instead.
        expected: &'static str,
    },
    /// A WEF body whose 4-byte length trailer does not match the decoded record.
    #[error(
        "length trailer at bit {bit_offset} says {declared} bytes but the record decoded to {actual}: expected equal lengths"
    )]
    LengthMismatch {
        /// Where the trailer starts.
        bit_offset: u64,
        /// The length the trailer declares.
        declared: u32,
        /// The length decoded.
        actual: u64,
    },
    /// The body is not SLDC at all: it does not begin with a Reset 1 or Reset 2 control symbol
    /// (see [`starts_with_reset`](crate::starts_with_reset)). A collector may pass such a body
    /// through, and should say that it did.
    #[error("not an sldc body ({reason}): expected a reset 1 or reset 2 control symbol at bit 0")]
    NotSldc {
        /// What the body starts with instead.
        reason: &'static str,
    },
}

impl Error {
    /// The bit offset the error refers to, when it has one.
    #[must_use]
    pub const fn bit_offset(&self) -> Option<u64> {
        match *self {
            Self::Truncated { bit_offset, .. }
            | Self::ReservedControl { bit_offset, .. }
            | Self::UnexpectedControl { bit_offset, .. }
            | Self::NoScheme { bit_offset }
            | Self::BadPad { bit_offset, .. }
            | Self::OutputLimit { bit_offset, .. }
            | Self::TrailingData { bit_offset, .. }
            | Self::LengthMismatch { bit_offset, .. } => Some(bit_offset),
            Self::NotSldc { .. } => Some(0),
        }
    }
}

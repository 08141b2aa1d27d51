//! ECMA-321 Streaming Lossless Data Compression (SLDC), with the body framing Windows WinRM
//! clients send.
//!
//! WinRM clients (Windows Event Forwarding sources) compress request bodies with SLDC and say
//! so with `Content-Encoding: SLDC`. This crate decodes and encodes both:
//!
//! - **ECMA-321 streams**: [`Decompressor`] (streaming over caller buffers, resumable at any byte
//!   boundary) and [`decompress_to_vec`] (one-shot, with an output bound); every control symbol,
//!   both schemes, several records with history carried over, Pads, End Marker.
//! - **WEF bodies** as Windows sends them: [`decompress_wef_body`] — one record, End of Record,
//!   0-bits to a 16-bit boundary, a 4-byte little-endian length that is checked. A body that is
//!   not SLDC at all (Windows labels some uncompressed bodies `SLDC`) gives the distinct
//!   [`Error::NotSldc`], decided by the cheap [`starts_with_reset`] test, so that a collector
//!   can fall back explicitly.
//! - **Compression** for both framings: [`compress_to_vec`] and [`compress_wef_body`].
//!
//! ```
//! let plain = "\u{feff}<s:Envelope><s:Body/></s:Envelope>"
//!     .encode_utf16()
//!     .flat_map(u16::to_le_bytes)
//!     .collect::<Vec<u8>>();
//! let body = sldc::compress_wef_body(&plain)?;
//! assert_eq!(sldc::decompress_wef_body(&body, 64 << 20)?, plain);
//! let stream = sldc::compress_to_vec(&plain);
//! assert_eq!(sldc::decompress_to_vec(&stream, 64 << 20)?, plain);
//! // An uncompressed body is told apart from a corrupt one:
//! assert!(matches!(
//!     sldc::decompress_wef_body(&plain, 64 << 20),
//!     Err(sldc::Error::NotSldc { .. })
//! ));
//! # Ok::<(), sldc::Error>(())
//! ```
//!
//! # Sans-IO contract
//! No I/O, threads, clocks or randomness: bytes in, bytes out. The streaming decoder works on
//! buffers the caller owns and never allocates.
//!
//! # Panics
//! None on any input. A panic would mean a broken internal invariant (a bug); the fuzz targets
//! and property tests enforce this. No unsafe code (`#![forbid(unsafe_code)]`).
//!
//! # Limits
//! The one-shot decoders take `max_output`: producing more is [`Error::OutputLimit`], never a
//! silent truncation, and memory never grows beyond the bound (a 4-byte length trailer cannot
//! make us allocate). The streaming decoder is bounded by the caller's buffers. Every step is
//! linear in its input; the compressor's match search is bounded per position. The compressor
//! uses about 36 KiB of stack for its match-finder tables, and heap for its output and a token
//! list of 8 bytes per token (at most 8 bytes per input byte; about twice the input for text).
//!
//! # Features
//! - `alloc` (default): the one-shot functions and the compressor.
//! - `std`: implies `alloc`; nothing more today.
//!
//! # Format notes
//! Bits are most significant first. Control symbols are nine 1-bits and a 4-bit code. Scheme 1
//! has Literal 1 (`0` + byte) and Copy Pointers (`1`, a Match Count Field for 2..=271, a 10-bit
//! **absolute** history position); scheme 2 has Literal 2 (the byte, `0xFF` followed by a
//! 0-bit). A Reset zeroes the 1024-byte history and moves its write position to 0. Copy
//! pointers into history not written since the last Reset read zeros (the standard's zeroed
//! history) rather than being rejected. After End of Record, File Mark and Flush, 0-bits pad to
//! a 32-bit boundary counted from the start; after End Marker, 1-bits do.
#![no_std]
#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
extern crate alloc;

mod decoder;
#[cfg(feature = "alloc")]
mod encoder;
mod error;
mod wef;

#[cfg(feature = "alloc")]
use alloc::vec::Vec;

pub use decoder::{Decompressor, Progress, Status};
#[cfg(feature = "alloc")]
pub use encoder::{compress_to_vec, compress_wef_body};
pub use error::Error;
#[cfg(feature = "alloc")]
pub use wef::decompress_wef_body;
pub use wef::starts_with_reset;

/// The first output buffer: proportional to the input (SLDC text bodies expand about 3x),
/// never beyond the limit; it doubles when needed, up to the limit.
#[cfg(feature = "alloc")]
pub(crate) fn initial_capacity(input_len: usize, max_output: usize) -> usize {
    core::cmp::min(input_len.saturating_mul(4).saturating_add(4096), max_output).min(1 << 24)
}

/// Decodes a whole ECMA-321 stream into a vector of at most `max_output` bytes.
///
/// The stream must end cleanly: after an End of Record or File Mark and its Pad, or with an
/// End Marker and its Pad (then nothing may follow). All records are concatenated.
///
/// # Errors
/// [`Error::OutputLimit`] when the output would exceed `max_output`; [`Error::Truncated`] when
/// the stream ends inside a record; any other [`Error`] for malformed input;
/// [`Error::TrailingData`] for bytes after an End Marker's Pad.
///
/// ```
/// let stream = [
///     0xff, 0xb3, 0xa3, 0x2b, 0x9b, 0xa1, 0x03, 0x9b, 0xa3, 0x93, 0x4b, 0x73, 0x3f, 0xfd, 0, 0,
/// ];
/// assert_eq!(sldc::decompress_to_vec(&stream, 1024)?, b"test string");
/// assert!(matches!(
///     sldc::decompress_to_vec(&stream, 5),
///     Err(sldc::Error::OutputLimit { limit: 5, .. })
/// ));
/// # Ok::<(), sldc::Error>(())
/// ```
#[cfg(feature = "alloc")]
pub fn decompress_to_vec(input: &[u8], max_output: usize) -> Result<Vec<u8>, Error> {
    let mut out = alloc::vec![0; initial_capacity(input.len(), max_output)];
    let mut written = 0;
    let mut d = Decompressor::new();
    let mut rest = input;
    loop {
        let (consumed, status) =
            decoder::run_into_vec(&mut d, rest, &mut out, &mut written, max_output)?;
        rest = rest.get(consumed..).unwrap_or_default();
        match status {
            Status::EndOfRecord | Status::FileMark => {}
            Status::Finished => {
                out.truncate(written);
                return Ok(out);
            }
            Status::EndMarker => {
                if rest.is_empty() {
                    out.truncate(written);
                    return Ok(out);
                }
                return Err(Error::TrailingData {
                    bit_offset: d.total_in().saturating_mul(8),
                    expected: "the end of the stream after the end marker",
                });
            }
            Status::OutputFull => {
                return Err(Error::OutputLimit {
                    limit: max_output,
                    bit_offset: d.bit_position(),
                });
            }
            Status::NeedsInput => {
                // Not returned with `last = true`; treat defensively as truncation.
                return Err(Error::Truncated {
                    bit_offset: d.bit_position(),
                    expected: "more symbols and an end of record",
                });
            }
        }
    }
}

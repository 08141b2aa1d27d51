//! The body framing Windows WinRM clients send with `Content-Encoding: SLDC`.
//!
//! Observed in real captures (`corpus/sldc/openwec-heartbeat-kerberos`) and the shared
//! `wefbody_*` vectors: one record that starts with a Reset, an End of Record, 0-bits up to the
//! next **16-bit** boundary (counted from the first byte), then the number of uncompressed bytes
//! as a 4-byte little-endian integer. ECMA-321 would pad to a 32-bit boundary; we also accept
//! that longer pad (two more zero bytes before the length), since it is unambiguous.

#[cfg(feature = "alloc")]
use alloc::vec::Vec;

#[cfg(feature = "alloc")]
use crate::error::Error;

/// Whether `input` begins with a Reset 1 or Reset 2 control symbol, i.e. could be SLDC.
///
/// This is the cheap test behind [`Error::NotSldc`]: the first byte is `0xFF` and the top five
/// bits of the second byte are `10101` (Reset 1) or `10110` (Reset 2), i.e. the second byte is
/// in `0xA8..=0xB7`. It looks at two bytes only. A UTF-16LE body (`FF FE`), an XML body (`<`)
/// and a body shorter than two bytes all fail it. Every body Windows compresses starts with a
/// Reset 1, and every stream our compressor writes starts with a Reset.
///
/// ```
/// assert!(sldc::starts_with_reset(&[0xff, 0xab, 0xfd]));
/// assert!(!sldc::starts_with_reset(&[0xff, 0xfe, b'<', 0])); // UTF-16LE BOM
/// assert!(!sldc::starts_with_reset(b"<s:Envelope"));
/// ```
#[must_use]
pub fn starts_with_reset(input: &[u8]) -> bool {
    not_sldc_reason(input).is_none()
}

/// Why `input` is not SLDC, or `None` when it starts with a Reset.
pub(crate) fn not_sldc_reason(input: &[u8]) -> Option<&'static str> {
    match input {
        [] | [_] => Some("shorter than a control symbol"),
        [0xff, 0xfe, ..] => Some("starts with a utf-16le byte-order mark"),
        [0xfe, 0xff, ..] => Some("starts with a utf-16be byte-order mark"),
        [0xef, 0xbb, 0xbf, ..] => Some("starts with a utf-8 byte-order mark"),
        [b'<', ..] => Some("starts with '<'"),
        [0xff, second, ..] if (0xa8..=0xb7).contains(second) => None,
        _ => Some("does not start with a reset control symbol"),
    }
}

/// Decodes a WEF body: one record from a Reset, End of Record, 0-bits to a 16-bit boundary, a
/// 4-byte little-endian length that must equal the decoded length, and nothing after it.
///
/// Inside the record every ECMA-321 data and control symbol is accepted except File Mark and
/// End Marker ([`Error::UnexpectedControl`]). At most `max_output` bytes are produced
/// ([`Error::OutputLimit`] beyond); memory grows with the output, never with the length the
/// trailer claims.
///
/// # Errors
/// [`Error::NotSldc`] when the body does not start with a Reset (see [`starts_with_reset`]):
/// the caller may then treat it as uncompressed. Any other error means a corrupt SLDC body.
///
/// ```
/// // Reset 1, literals "hi", End of Record, 0-bits to bit 48, length 2.
/// let body = [0xff, 0xa9, 0xa0, 0xd3, 0xff, 0x40, 0x02, 0x00, 0x00, 0x00];
/// assert_eq!(sldc::decompress_wef_body(&body, 1 << 20)?, b"hi");
/// let plain = "\u{feff}<s:Envelope/>".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
/// assert!(matches!(sldc::decompress_wef_body(&plain, 1 << 20), Err(sldc::Error::NotSldc { .. })));
/// # Ok::<(), sldc::Error>(())
/// ```
#[cfg(feature = "alloc")]
pub fn decompress_wef_body(input: &[u8], max_output: usize) -> Result<Vec<u8>, Error> {
    use crate::decoder::{Decompressor, Framing, Status, run_into_vec};

    if let Some(reason) = not_sldc_reason(input) {
        return Err(Error::NotSldc { reason });
    }
    let mut out = alloc::vec![0; crate::initial_capacity(input.len(), max_output)];
    let mut written = 0;
    let mut d = Decompressor::with_framing(Framing::WefRecord);
    let (_, status) = run_into_vec(&mut d, input, &mut out, &mut written, max_output)?;
    out.truncate(written);
    let at = d.bit_position();
    match status {
        Status::EndOfRecord => {}
        Status::OutputFull => {
            return Err(Error::OutputLimit {
                limit: max_output,
                bit_offset: at,
            });
        }
        _ => {
            return Err(Error::Truncated {
                bit_offset: at,
                expected: "an end of record in a wef body",
            });
        }
    }
    // 0-bits up to the next 16-bit boundary.
    let end_bits = at.div_ceil(16).saturating_mul(16);
    let mut bit = at;
    while bit < end_bits {
        let byte = usize::try_from(bit / 8)
            .ok()
            .and_then(|i| input.get(i))
            .copied();
        let Some(byte) = byte else {
            return Err(Error::Truncated {
                bit_offset: bit,
                expected: "0-bits up to a 16-bit boundary after the end of record",
            });
        };
        let shift = 7_u32.wrapping_sub(u32::try_from(bit % 8).unwrap_or(0));
        if (byte >> shift) & 1 != 0 {
            return Err(Error::BadPad {
                bit_offset: bit,
                expected: "0-bits up to a 16-bit boundary after the end of record",
            });
        }
        bit = bit.saturating_add(1);
    }
    let start = usize::try_from(end_bits / 8).unwrap_or(usize::MAX);
    let rest = input.get(start..).unwrap_or_default();
    let (trailer_at, trailer) = match rest {
        [a, b, c, d] => (end_bits, [*a, *b, *c, *d]),
        // An ECMA-321 style 32-bit Pad: 16 more 0-bits before the length.
        [0, 0, a, b, c, d] if end_bits % 32 == 16 => {
            (end_bits.saturating_add(16), [*a, *b, *c, *d])
        }
        _ if rest.len() < 4 => {
            return Err(Error::Truncated {
                bit_offset: end_bits,
                expected: "a 4-byte little-endian length after the pad",
            });
        }
        _ => {
            return Err(Error::TrailingData {
                bit_offset: end_bits.saturating_add(32),
                expected: "the end of the body after the 4-byte length",
            });
        }
    };
    let declared = u32::from_le_bytes(trailer);
    let actual = u64::try_from(out.len()).unwrap_or(u64::MAX);
    if u64::from(declared) != actual {
        return Err(Error::LengthMismatch {
            bit_offset: trailer_at,
            declared,
            actual,
        });
    }
    Ok(out)
}

//! Hand-built streams for the corners of ECMA-321 and of the WEF body framing.
#![expect(
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    reason = "test code: a bit-stream builder over small, known values"
)]

use sldc::{Decompressor, Error, Status};
use testkit::shared::read_shared;

/// A most-significant-bit-first stream builder.
#[derive(Default)]
struct Bits {
    bits: Vec<bool>,
}

const FLUSH: u32 = 0b0000;
const SCHEME1: u32 = 0b0001;
const SCHEME2: u32 = 0b0010;
const FILE_MARK: u32 = 0b0011;
const EOR: u32 = 0b0100;
const RESET1: u32 = 0b0101;
const RESET2: u32 = 0b0110;
const END_MARKER: u32 = 0b1111;

impl Bits {
    fn put(mut self, v: u32, n: u32) -> Self {
        for i in (0..n).rev() {
            self.bits.push((v >> i) & 1 == 1);
        }
        self
    }
    fn control(self, code: u32) -> Self {
        self.put(0x1ff, 9).put(code, 4)
    }
    fn lit1(self, b: u8) -> Self {
        self.put(u32::from(b), 9)
    }
    fn lit2(self, b: u8) -> Self {
        if b == 0xff {
            self.put(0x1fe, 9)
        } else {
            self.put(u32::from(b), 8)
        }
    }
    /// A copy pointer of `len` (2..=271) from absolute history position `disp`.
    fn copy(self, len: u32, disp: u32) -> Self {
        let s = self.put(1, 1);
        let s = match len {
            2..=3 => s.put(0, 1).put(len - 2, 1),
            4..=7 => s.put(0b10, 2).put(len - 4, 2),
            8..=15 => s.put(0b110, 3).put(len - 8, 3),
            16..=31 => s.put(0b1110, 4).put(len - 16, 4),
            _ => s.put(0b1111, 4).put(len - 32, 8),
        };
        s.put(disp, 10)
    }
    fn pad(self, unit: usize, one: bool) -> Self {
        let n = (unit - self.bits.len() % unit) % unit;
        let mut s = self;
        s.bits.extend(std::iter::repeat_n(one, n));
        s
    }
    fn bytes(&self) -> Vec<u8> {
        self.bits
            .chunks(8)
            .map(|c| {
                c.iter()
                    .enumerate()
                    .fold(0u8, |a, (i, &b)| a | (u8::from(b) << (7 - i)))
            })
            .collect()
    }
    /// End of Record and its Pad.
    fn eor(self) -> Vec<u8> {
        self.control(EOR).pad(32, false).bytes()
    }
}

fn decode(s: &[u8]) -> Result<Vec<u8>, Error> {
    sldc::decompress_to_vec(s, 1 << 20)
}

#[test]
fn builder_matches_the_known_test_string_stream() {
    let mut b = Bits::default().control(RESET2);
    for &c in b"test string" {
        b = b.lit2(c);
    }
    assert_eq!(
        b.eor(),
        read_shared("corpus/sldc/openwec-test-string/compressed.sldc.bin")
    );
}

/// ECMA-321 8.2: a Reset fills the history with zeros. A copy pointer into history not written
/// since the Reset is decodable and reads those zeros (our documented choice).
#[test]
fn copy_from_never_written_history_reads_zeros() {
    let s = Bits::default()
        .control(RESET1)
        .lit1(b'a')
        .copy(4, 500)
        .eor();
    assert_eq!(decode(&s).unwrap(), b"a\0\0\0\0");
    // Partly written: position 0 holds 'a', 1.. are zeros.
    let s = Bits::default()
        .control(RESET1)
        .lit1(b'a')
        .lit1(b'b')
        .copy(3, 1023)
        .eor();
    // history[1023] = 0, then history[0] = 'a', history[1] = 'b'.
    assert_eq!(decode(&s).unwrap(), b"ab\0ab");
    // After a Reset inside a record the old bytes are gone too, and the write position is 0.
    let s = Bits::default()
        .control(RESET1)
        .lit1(b'x')
        .lit1(b'y')
        .control(RESET1)
        .lit1(b'z')
        .copy(2, 0)
        .copy(2, 5)
        .eor();
    // history[0] = 'z', the first copy repeats it; history[5..7] were never written.
    assert_eq!(decode(&s).unwrap(), b"xyzzz\0\0");
}

#[test]
fn overlapping_copy_repeats_bytes() {
    // "ab" then copy 271 from position 0 with only two bytes written: a period-2 pattern.
    let s = Bits::default()
        .control(RESET1)
        .lit1(b'a')
        .lit1(b'b')
        .copy(271, 0)
        .eor();
    let out = decode(&s).unwrap();
    assert_eq!(out.len(), 273);
    assert!(out.chunks(2).all(|c| c == b"ab" || c == b"a"));
}

/// The displacement is absolute. When it equals the write position, the match starts at the
/// oldest byte of the history (1024 back), which is read before it is overwritten.
#[test]
fn displacement_equal_to_write_position_reads_the_oldest_byte() {
    let mut b = Bits::default().control(RESET2);
    for i in 0..1024_u32 {
        b = b.lit2((i % 251) as u8);
    }
    // Write position is 0 again; history[0] = 0, history[1] = 1.
    let s = b.control(SCHEME1).copy(3, 0).eor();
    let out = decode(&s).unwrap();
    assert_eq!(&out[1024..], [0, 1, 2]);
    // And a copy that wraps around the end of the history buffer.
    let mut b = Bits::default().control(RESET2);
    for i in 0..1100_u32 {
        b = b.lit2((i % 256) as u8);
    }
    // Write position 76; history[1022] = 1022 % 256, [1023], then [0] = byte 1024, [1].
    let s = b.control(SCHEME1).copy(4, 1022).eor();
    let out = decode(&s).unwrap();
    assert_eq!(&out[1100..], [254, 255, 0, 1]);
}

#[test]
fn reserved_control_symbols_are_errors_with_their_position() {
    for code in 0b0111..=0b1110 {
        let s = Bits::default()
            .control(RESET1)
            .lit1(b'a')
            .control(code)
            .eor();
        assert_eq!(
            decode(&s),
            Err(Error::ReservedControl {
                bit_offset: 22,
                code: code as u8
            }),
            "code {code:#06b}"
        );
    }
}

/// A `1111` match-count prefix followed by a value of 240 or more starts with nine 1-bits
/// (counting the copy pointer's leading 1): it is a control symbol.
#[test]
fn match_count_of_240_or_more_is_a_control_symbol() {
    // Value 239 is the longest copy, 271 bytes.
    let s = Bits::default()
        .control(RESET1)
        .lit1(b'q')
        .copy(271, 0)
        .eor();
    assert_eq!(decode(&s).unwrap(), vec![b'q'; 272]);
    // "1 1111 11110100" = nine 1-bits + 0100 = End of Record (then its pad).
    let s = Bits::default()
        .control(RESET1)
        .lit1(b'q')
        .put(1, 1)
        .put(0b1111, 4)
        .put(0b1111_0100, 8)
        .pad(32, false)
        .bytes();
    assert_eq!(decode(&s).unwrap(), b"q");
    // "1 1111 11110111" = a reserved control symbol.
    let s = Bits::default()
        .control(RESET1)
        .lit1(b'q')
        .put(1, 1)
        .put(0b1111, 4)
        .put(0b1111_0111, 8)
        .eor();
    assert_eq!(
        decode(&s),
        Err(Error::ReservedControl {
            bit_offset: 22,
            code: 0b0111
        })
    );
}

#[test]
fn scheme_two_literal_ff_needs_its_zero_bit() {
    let s = Bits::default()
        .control(RESET2)
        .lit2(0xff)
        .lit2(0xfe)
        .lit2(0xff)
        .eor();
    assert_eq!(decode(&s).unwrap(), [0xff, 0xfe, 0xff]);
}

#[test]
fn pads_after_end_of_record_flush_and_file_mark_are_zero_bits() {
    let s = Bits::default()
        .control(RESET1)
        .lit1(b'a')
        .control(FLUSH)
        .pad(32, false)
        .lit1(b'b')
        .control(FILE_MARK)
        .pad(32, false)
        .control(SCHEME2)
        .lit2(b'c')
        .eor();
    assert_eq!(decode(&s).unwrap(), b"abc");
    // A 1-bit in the pad after the Flush (bits 35..64) is an error at that bit.
    let mut bad = s.clone();
    bad[7] |= 0x01; // bit 63
    assert!(matches!(
        decode(&bad),
        Err(Error::BadPad { bit_offset: 63, .. })
    ));
    // The stream may end after a File Mark, too.
    let s = Bits::default()
        .control(RESET1)
        .lit1(b'a')
        .control(FILE_MARK)
        .pad(32, false)
        .bytes();
    assert_eq!(decode(&s).unwrap(), b"a");
    // But not after a Flush: the record is not over.
    let s = Bits::default()
        .control(RESET1)
        .lit1(b'a')
        .control(FLUSH)
        .pad(32, false)
        .bytes();
    assert!(matches!(
        decode(&s),
        Err(Error::Truncated { bit_offset: 64, .. })
    ));
}

#[test]
fn end_marker_is_followed_by_one_bits_and_nothing_else() {
    let s = Bits::default()
        .control(RESET1)
        .lit1(b'a')
        .control(END_MARKER)
        .pad(32, true)
        .bytes();
    assert_eq!(s.len(), 8);
    assert_eq!(decode(&s).unwrap(), b"a");
    // 0-bits in its pad are an error.
    let z = Bits::default()
        .control(RESET1)
        .lit1(b'a')
        .control(END_MARKER)
        .pad(32, false)
        .bytes();
    assert!(matches!(
        decode(&z),
        Err(Error::BadPad { bit_offset: 35, .. })
    ));
    // Bytes after it are not part of the stream: one-shot says so, streaming leaves them.
    let mut t = s.clone();
    t.extend_from_slice(&[0, 0, 0, 0]);
    assert!(matches!(
        decode(&t),
        Err(Error::TrailingData { bit_offset: 64, .. })
    ));
    let mut d = Decompressor::new();
    let mut out = [0u8; 16];
    let p = d.decompress(&t, &mut out, true).unwrap();
    assert_eq!((p.consumed, p.written, p.status), (8, 1, Status::EndMarker));
    let p = d.decompress(&t[8..], &mut out, true).unwrap();
    assert_eq!((p.consumed, p.written, p.status), (0, 0, Status::EndMarker));
}

#[test]
fn several_records_carry_the_history_over() {
    let mut s = Bits::default().control(RESET1).lit1(b'h').lit1(b'i').eor();
    // Record 2 has no Reset: its copy reads record 1's bytes.
    s.extend(Bits::default().copy(2, 0).eor());
    let mut d = Decompressor::new();
    let mut out = [0u8; 16];
    let p = d.decompress(&s, &mut out, true).unwrap();
    assert_eq!(
        (p.consumed, p.written, p.status),
        (8, 2, Status::EndOfRecord)
    );
    let p = d.decompress(&s[8..], &mut out, true).unwrap();
    assert_eq!(
        (p.consumed, &out[..p.written], p.status),
        (4, &b"hi"[..], Status::EndOfRecord)
    );
    let p = d.decompress(&s[12..], &mut out, true).unwrap();
    assert_eq!(p.status, Status::Finished);
    assert_eq!(decode(&s).unwrap(), b"hihi");
}

#[test]
fn data_before_any_scheme_is_an_error() {
    assert!(matches!(
        decode(b"<Envelope"),
        Err(Error::NoScheme { bit_offset: 0 })
    ));
    assert!(matches!(
        decode(&[]),
        Err(Error::Truncated { bit_offset: 0, .. })
    ));
    // A Scheme symbol first is enough: the history starts zeroed.
    let s = Bits::default().control(SCHEME1).lit1(b'k').copy(2, 1).eor();
    assert_eq!(decode(&s).unwrap(), b"k\0\0");
}

/// Cutting a valid single-record stream anywhere gives `Truncated` (with `last = true`), in the
/// one-shot and the streaming decoder alike.
#[test]
fn truncation_at_every_byte_is_an_error() {
    let streams = [
        read_shared("corpus/sldc/openwec-test-string/compressed.sldc.bin"),
        read_shared("vectors/sldc/exact_1500.sldc"),
        read_shared("vectors/sldc/ab_1400.sldc"),
        Bits::default()
            .control(RESET1)
            .lit1(b'a')
            .control(END_MARKER)
            .pad(32, true)
            .bytes(),
    ];
    for s in &streams {
        assert!(decode(s).is_ok());
        for cut in 0..s.len() {
            let r = decode(&s[..cut]);
            assert!(
                matches!(r, Err(Error::Truncated { .. })),
                "cut {cut}: {r:?}"
            );
            let mut d = Decompressor::new();
            let mut out = vec![0u8; 4096];
            let r = d.decompress(&s[..cut], &mut out, true);
            assert!(
                matches!(r, Err(Error::Truncated { .. })),
                "cut {cut}: {r:?}"
            );
            // Without `last`, it is only a chunk boundary.
            let mut d = Decompressor::new();
            let p = d.decompress(&s[..cut], &mut out, false).unwrap();
            assert_eq!(
                (p.consumed, p.status),
                (cut, Status::NeedsInput),
                "cut {cut}"
            );
        }
    }
}

#[test]
fn errors_poison_the_decoder() {
    let s = Bits::default().control(RESET1).control(0b1000).eor();
    let mut d = Decompressor::new();
    let mut out = [0u8; 8];
    let e = d.decompress(&s, &mut out, true).unwrap_err();
    assert_eq!(
        e,
        Error::ReservedControl {
            bit_offset: 13,
            code: 0b1000
        }
    );
    let good = read_shared("corpus/sldc/openwec-test-string/compressed.sldc.bin");
    assert_eq!(d.decompress(&good, &mut out, true), Err(e));
    d.reset();
    assert_eq!(d.decompress(&good, &mut out, true).unwrap().written, 8);
}

#[test]
fn output_limit_is_an_error_never_a_truncation() {
    let s = Bits::default()
        .control(RESET1)
        .lit1(b'a')
        .copy(271, 0)
        .eor();
    assert_eq!(decode(&s).unwrap().len(), 272);
    assert_eq!(sldc::decompress_to_vec(&s, 272).unwrap().len(), 272);
    assert!(matches!(
        sldc::decompress_to_vec(&s, 271),
        Err(Error::OutputLimit { limit: 271, .. })
    ));
    assert!(matches!(
        sldc::decompress_to_vec(&s, 0),
        Err(Error::OutputLimit { limit: 0, .. })
    ));
}

// ---- WEF bodies ----

fn wef(record: Bits, trailer: &[u8]) -> Vec<u8> {
    let mut v = record.control(EOR).pad(16, false).bytes();
    v.extend_from_slice(trailer);
    v
}

#[test]
fn wef_body_framing() {
    let rec = || Bits::default().control(RESET1).lit1(b'o').lit1(b'k');
    assert_eq!(
        sldc::decompress_wef_body(&wef(rec(), &2u32.to_le_bytes()), 100).unwrap(),
        b"ok"
    );
    // A Reset 2 start and scheme switches are fine.
    let r2 = Bits::default()
        .control(RESET2)
        .lit2(0xff)
        .control(SCHEME1)
        .lit1(1);
    assert_eq!(
        sldc::decompress_wef_body(&wef(r2, &2u32.to_le_bytes()), 100).unwrap(),
        [0xff, 1]
    );
    // The length is checked.
    assert!(matches!(
        sldc::decompress_wef_body(&wef(rec(), &3u32.to_le_bytes()), 100),
        Err(Error::LengthMismatch {
            declared: 3,
            actual: 2,
            ..
        })
    ));
    // Missing or short length, extra bytes.
    assert!(matches!(
        sldc::decompress_wef_body(&wef(rec(), &[2, 0, 0]), 100),
        Err(Error::Truncated { .. })
    ));
    assert!(matches!(
        sldc::decompress_wef_body(&wef(rec(), &[2, 0, 0, 0, 0]), 100),
        Err(Error::TrailingData { .. })
    ));
    // No End of Record at all.
    assert!(matches!(
        sldc::decompress_wef_body(&rec().pad(8, false).bytes(), 100),
        Err(Error::Truncated { .. })
    ));
    // A 1-bit in the pad.
    let mut bad = wef(rec(), &2u32.to_le_bytes());
    let pad_byte = bad.len() - 5;
    bad[pad_byte] |= 1;
    assert!(matches!(
        sldc::decompress_wef_body(&bad, 100),
        Err(Error::BadPad { .. })
    ));
    // An ECMA-321 32-bit pad before the length is accepted too.
    let mut long = rec().control(EOR).pad(32, false).bytes();
    long.extend_from_slice(&2u32.to_le_bytes());
    assert_eq!(sldc::decompress_wef_body(&long, 100).unwrap(), b"ok");
    // File Mark and End Marker do not belong in a WEF body.
    assert!(matches!(
        sldc::decompress_wef_body(&wef(rec().control(FILE_MARK), &2u32.to_le_bytes()), 100),
        Err(Error::UnexpectedControl {
            bit_offset: 31,
            symbol: "file mark",
            ..
        })
    ));
}

#[test]
fn not_sldc_is_decided_by_the_first_two_bytes() {
    let utf16 = "\u{feff}<s:Envelope>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect::<Vec<_>>();
    for body in [
        &utf16[..],
        b"<s:Envelope/>",
        b"",
        b"\xff",
        b"\xff\xa7",
        b"\xff\xb8",
        b"\x00\x00",
    ] {
        assert!(
            matches!(
                sldc::decompress_wef_body(body, 100),
                Err(Error::NotSldc { .. })
            ),
            "{body:?}"
        );
    }
    // A body that starts with a Reset but is corrupt is a different error.
    // (Reset 1, literal 0xFF, then an End Marker, which a WEF body cannot hold.)
    assert!(matches!(
        sldc::decompress_wef_body(b"\xff\xab\xff\xff\xff\xff\xff", 100),
        Err(Error::UnexpectedControl {
            bit_offset: 22,
            symbol: "end marker",
            ..
        })
    ));
}

//! The ECMA-321 decoder: a resumable state machine over caller buffers.
//!
//! Design. Decoded bytes go into an internal window (`win`): the 1024-byte History Buffer is
//! the 1024 bytes just before `pos`, so a copy pointer becomes a plain backwards copy inside
//! `win`, and the bytes between `drain` and `pos` are decoded but not yet handed to the caller.
//! A symbol is decoded whole (never half), so a call may stop at any input byte and at any
//! output byte. Bits are read from a 64-bit buffer, most significant bit first; a symbol is only
//! consumed once all its bits are present, which is what makes the decoder resumable at any
//! byte boundary of the input.
//!
//! History semantics (ECMA-321 8.2): a Reset zeroes the history and sets the write position to
//! 0. Instead of zeroing, the decoder remembers how many bytes were written since the Reset
//! (`fill`, saturating at 1024): a copy pointer that reaches further back reads zeros, exactly
//! what a zeroed history holds. Conforming encoders never emit such pointers; we decode them
//! (as zeros) rather than reject them, because the standard defines the history contents.

use crate::error::Error;

/// Size of the ECMA-321 History Buffer.
pub(crate) const HISTORY: usize = 1024;
/// Longest match a copy pointer can describe.
const MAX_MATCH: usize = 271;
/// Room kept after `pos` for one symbol plus the 16-byte over-copy of the fast copy loop.
const MARGIN: usize = MAX_MATCH + 32;
/// Bytes decoded between two drains when the caller has room.
const WORK: usize = 8192;
const WIN: usize = HISTORY + WORK + MARGIN;
/// Longest data symbol: copy pointer with an 8-bit match count extension (1 + 12 + 10).
const MAX_SYMBOL_BITS: u32 = 23;

/// Why [`Decompressor::decompress`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Status {
    /// All input was consumed and the stream is not over; call again with more input
    /// (`last = false` was given).
    NeedsInput,
    /// The output buffer is full; call again with more room (and the unconsumed input).
    OutputFull,
    /// An End of Record and its Pad were decoded and every byte of the record has been written.
    /// Another record may follow: call again to continue.
    EndOfRecord,
    /// A File Mark and its Pad were decoded. Another record may follow.
    FileMark,
    /// An End Marker and its Pad (1-bits) were decoded: the stream is over. Later calls consume
    /// nothing and return `EndMarker` again; unconsumed input is not part of the stream.
    EndMarker,
    /// `last = true` and the input ended cleanly after an End of Record or File Mark (and its
    /// Pad): the stream is complete.
    Finished,
}

/// What one call to [`Decompressor::decompress`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct Progress {
    /// Bytes of `input` consumed. Unconsumed bytes must be passed again at the next call.
    pub consumed: usize,
    /// Bytes written at the start of `output`.
    pub written: usize,
    /// Why the call returned.
    pub status: Status,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    /// No Reset or Scheme symbol seen yet: a data symbol is an error.
    Unset,
    One,
    Two,
}

/// Which framing the engine decodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Framing {
    /// ECMA-321: records with Pads, File Marks, End Marker.
    Ecma,
    /// One record of a WEF body: stops right after the first End of Record (no Pad); File Mark
    /// and End Marker are errors.
    WefRecord,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PadKind {
    Flush,
    EndOfRecord,
    FileMark,
    EndMarker,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Reading symbols. `boundary`: nothing after an End of Record / File Mark has been read,
    /// so the input may end here.
    Data { boundary: bool },
    /// Reading the Pad after a control symbol.
    Pad(PadKind),
    /// Report this status once every decoded byte has been written.
    Report(Status),
    /// After an End Marker.
    Ended,
    /// WEF framing: after the End of Record.
    RecordDone,
}

/// Where decoded bytes go.
pub(crate) trait Sink {
    /// How many more bytes `put` accepts.
    fn room(&self) -> usize;
    /// Appends `bytes` (at most `room()`).
    fn put(&mut self, bytes: &[u8]);
    /// The whole output buffer and the count of bytes written to it, for decoding in place.
    fn direct(&mut self) -> Option<(&mut [u8], &mut usize)> {
        None
    }
}

/// A caller's output slice.
pub(crate) struct SliceSink<'a> {
    pub(crate) buf: &'a mut [u8],
    pub(crate) written: usize,
}

impl Sink for SliceSink<'_> {
    fn room(&self) -> usize {
        self.buf.len().saturating_sub(self.written)
    }
    fn direct(&mut self) -> Option<(&mut [u8], &mut usize)> {
        Some((&mut *self.buf, &mut self.written))
    }
    fn put(&mut self, bytes: &[u8]) {
        let end = self.written.saturating_add(bytes.len());
        if let Some(dst) = self.buf.get_mut(self.written..end) {
            dst.copy_from_slice(bytes);
            self.written = end;
        }
    }
}

/// Decodes from `input` into `out[*written..]`, growing `out` (zero-filled, doubling) up to
/// `max_output` bytes while the decoder reports [`Status::OutputFull`]. Returns the bytes of
/// `input` consumed and the first other status, or `OutputFull` when `max_output` is reached.
#[cfg(feature = "alloc")]
pub(crate) fn run_into_vec(
    d: &mut Decompressor,
    input: &[u8],
    out: &mut alloc::vec::Vec<u8>,
    written: &mut usize,
    max_output: usize,
) -> Result<(usize, Status), Error> {
    let mut consumed = 0;
    loop {
        let rest = input.get(consumed..).unwrap_or_default();
        let mut sink = SliceSink {
            buf: out.as_mut_slice(),
            written: *written,
        };
        let (n, status) = d.run(rest, &mut sink, true)?;
        *written = sink.written;
        consumed = consumed.saturating_add(n);
        if status != Status::OutputFull || out.len() >= max_output {
            return Ok((consumed, status));
        }
        let grown = core::cmp::max(out.len().saturating_mul(2), 4096);
        out.resize(core::cmp::min(grown, max_output), 0);
    }
}

/// Input bytes of one call and how many were loaded into the bit buffer.
struct Cursor<'a> {
    input: &'a [u8],
    at: usize,
}

/// Streaming ECMA-321 decoder over caller-provided buffers.
///
/// Feed input with [`decompress`](Self::decompress) and read the [`Progress`]: pass the
/// unconsumed input again, give more output room on [`Status::OutputFull`], more input on
/// [`Status::NeedsInput`]. The call may stop at any byte of input or output; results do not
/// depend on how the input and output are split. Set `last = true` once the input you pass
/// holds the end of the stream: a stream cut short is then [`Error::Truncated`] instead of
/// `NeedsInput`.
///
/// A fatal error poisons the decoder: every later call returns the same error and does no work
/// (call [`reset`](Self::reset) to start a new stream).
///
/// The decoder holds about 9.5 KiB of state inline (history and output window); box it if it
/// lives in a small stack.
///
/// ```
/// use sldc::{Decompressor, Status};
///
/// // Reset 2, "test string" as scheme-2 literals, End of Record, Pad to 128 bits.
/// let stream = [
///     0xff, 0xb3, 0xa3, 0x2b, 0x9b, 0xa1, 0x03, 0x9b, 0xa3, 0x93, 0x4b, 0x73, 0x3f, 0xfd, 0, 0,
/// ];
/// let mut d = Decompressor::new();
/// let mut out = [0u8; 4]; // a tiny buffer: the decoder resumes where it stopped
/// let mut input = &stream[..];
/// let mut text = Vec::new();
/// loop {
///     let p = d.decompress(input, &mut out, true)?;
///     input = &input[p.consumed..];
///     text.extend_from_slice(&out[..p.written]);
///     match p.status {
///         Status::OutputFull | Status::EndOfRecord => continue,
///         Status::Finished => break,
///         other => panic!("unexpected {other:?}"),
///     }
/// }
/// assert_eq!(text, b"test string");
/// # Ok::<(), sldc::Error>(())
/// ```
#[derive(Clone)]
pub struct Decompressor {
    win: [u8; WIN],
    /// Next write index in `win`; always `>= HISTORY`.
    pos: usize,
    /// Next index to hand to the caller; `HISTORY <= drain <= pos`.
    drain: usize,
    /// Bytes written since the last Reset, saturating at `HISTORY`.
    fill: usize,
    /// The ECMA-321 history write position (0..1024).
    wpos: usize,
    /// Bit buffer, most significant bit first; bits below the top `nbits` are zero at rest.
    bitbuf: u64,
    nbits: u32,
    /// Bytes moved into the bit buffer since the start of the stream.
    loaded: u64,
    total_out: u64,
    scheme: Scheme,
    state: State,
    framing: Framing,
    poisoned: Option<Error>,
}

impl Default for Decompressor {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for Decompressor {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Decompressor")
            .field("total_in", &self.total_in())
            .field("total_out", &self.total_out)
            .field("scheme", &self.scheme)
            .field("state", &self.state)
            .field("poisoned", &self.poisoned)
            .finish_non_exhaustive()
    }
}

/// The top `n` bits (1..=32) of `b`.
#[expect(
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    reason = "a shift of a u64 by 64 - n leaves at most 32 bits"
)]
#[inline(always)]
const fn top(b: u64, n: u32) -> u32 {
    (b >> 64_u32.wrapping_sub(n)) as u32
}

/// The low 8 bits of `v`.
#[inline(always)]
fn low_byte(v: u32) -> u8 {
    v.to_le_bytes()[0]
}

/// Converts a value known to be small (a bit count or a 10-bit field) to `usize`.
#[expect(
    clippy::as_conversions,
    reason = "u32 always fits usize on the targets we support (>= 32-bit)"
)]
#[inline(always)]
const fn us(v: u32) -> usize {
    v as usize
}

impl Decompressor {
    /// A decoder at the start of a stream.
    #[must_use]
    pub const fn new() -> Self {
        Self::with_framing(Framing::Ecma)
    }

    pub(crate) const fn with_framing(framing: Framing) -> Self {
        Self {
            win: [0; WIN],
            pos: HISTORY,
            drain: HISTORY,
            fill: 0,
            wpos: 0,
            bitbuf: 0,
            nbits: 0,
            loaded: 0,
            total_out: 0,
            scheme: Scheme::Unset,
            state: State::Data { boundary: false },
            framing,
            poisoned: None,
        }
    }

    /// Starts a new stream (forgets everything, including a poisoning error).
    pub fn reset(&mut self) {
        *self = Self::with_framing(self.framing);
    }

    /// Bytes consumed since the start of the stream.
    #[must_use]
    pub const fn total_in(&self) -> u64 {
        self.loaded
    }

    /// Bytes written since the start of the stream.
    #[must_use]
    pub const fn total_out(&self) -> u64 {
        self.total_out
    }

    /// Bits consumed since the start of the stream.
    pub(crate) fn bit_position(&self) -> u64 {
        self.loaded
            .wrapping_mul(8)
            .wrapping_sub(u64::from(self.nbits))
    }

    /// Decodes from `input` into `output`.
    ///
    /// `last` says that `input` ends the stream: when it is set, running out of input inside
    /// a record is [`Error::Truncated`]; when it is not, it is [`Status::NeedsInput`].
    ///
    /// Only `output[..written]` is meaningful afterwards: the bytes after it may have been
    /// used as scratch (large buffers are decoded into in place, with 16-byte copies).
    ///
    /// Returns at the first of: input exhausted, output full, End of Record, File Mark,
    /// End Marker (each reported once every byte before it has been written).
    ///
    /// # Errors
    /// Any [`Error`] describing malformed input; after one, the decoder is poisoned and returns
    /// the same error on every call.
    pub fn decompress(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        last: bool,
    ) -> Result<Progress, Error> {
        let mut sink = SliceSink {
            buf: output,
            written: 0,
        };
        let (consumed, status) = self.run(input, &mut sink, last)?;
        Ok(Progress {
            consumed,
            written: sink.written,
            status,
        })
    }

    /// The engine behind every entry point.
    pub(crate) fn run<S: Sink>(
        &mut self,
        input: &[u8],
        sink: &mut S,
        last: bool,
    ) -> Result<(usize, Status), Error> {
        if let Some(e) = self.poisoned {
            return Err(e);
        }
        let mut cur = Cursor { input, at: 0 };
        match self.run_inner(&mut cur, sink, last) {
            Ok(status) => {
                if status != Status::NeedsInput {
                    // Hand back whole bytes loaded in this call but not used, so that
                    // `consumed` ends where the decoded stream does.
                    let back =
                        core::cmp::min(self.nbits / 8, u32::try_from(cur.at).unwrap_or(u32::MAX));
                    self.nbits = self.nbits.saturating_sub(back.saturating_mul(8));
                    cur.at = cur.at.saturating_sub(us(back));
                    self.loaded = self.loaded.saturating_sub(u64::from(back));
                }
                self.bitbuf = if self.nbits == 0 {
                    0
                } else {
                    self.bitbuf & !(u64::MAX >> self.nbits)
                };
                Ok((cur.at, status))
            }
            Err(e) => {
                self.poisoned = Some(e);
                Err(e)
            }
        }
    }

    fn pending(&self) -> usize {
        self.pos.saturating_sub(self.drain)
    }

    /// Hands decoded bytes to the sink.
    fn drain_to<S: Sink>(&mut self, sink: &mut S) {
        let n = core::cmp::min(self.pending(), sink.room());
        if n == 0 {
            return;
        }
        let end = self.drain.saturating_add(n);
        if let Some(bytes) = self.win.get(self.drain..end) {
            sink.put(bytes);
            self.drain = end;
            self.total_out = self
                .total_out
                .saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
        }
    }

    fn run_inner<S: Sink>(
        &mut self,
        cur: &mut Cursor<'_>,
        sink: &mut S,
        last: bool,
    ) -> Result<Status, Error> {
        loop {
            self.drain_to(sink);
            if self.pending() > 0 {
                return Ok(Status::OutputFull);
            }
            match self.state {
                State::Report(status) => {
                    self.state = match status {
                        Status::EndMarker => State::Ended,
                        _ => State::Data { boundary: true },
                    };
                    return Ok(status);
                }
                State::Ended => return Ok(Status::EndMarker),
                State::RecordDone => return Ok(Status::EndOfRecord),
                State::Pad(kind) => {
                    if let Some(status) = self.pad(cur, kind, last)? {
                        return Ok(status);
                    }
                }
                State::Data { boundary } => {
                    if let Some(status) = self.data(cur, sink, last, boundary)? {
                        return Ok(status);
                    }
                }
            }
        }
    }

    /// Moves input bytes into the bit buffer (at least up to 56 bits when input allows).
    #[inline(always)]
    fn refill(&mut self, cur: &mut Cursor<'_>) {
        if let Some(chunk) = cur
            .input
            .get(cur.at..)
            .and_then(|rest| rest.first_chunk::<8>())
        {
            // Branchless refill: OR in eight bytes, keep the whole ones. The extra bits below
            // `nbits` are the true values of the next bytes, so OR-ing them again later is
            // harmless; they are cleared before returning to the caller.
            if self.nbits < 56 {
                self.bitbuf |= u64::from_be_bytes(*chunk) >> self.nbits;
                let k = 63_u32.wrapping_sub(self.nbits) / 8;
                self.nbits = self.nbits.wrapping_add(k.wrapping_mul(8));
                cur.at = cur.at.wrapping_add(us(k));
                self.loaded = self.loaded.wrapping_add(u64::from(k));
            }
        } else {
            while self.nbits <= 56 {
                let Some(&b) = cur.input.get(cur.at) else {
                    break;
                };
                self.bitbuf |= u64::from(b) << 56_u32.wrapping_sub(self.nbits);
                self.nbits = self.nbits.wrapping_add(8);
                cur.at = cur.at.wrapping_add(1);
                self.loaded = self.loaded.wrapping_add(1);
            }
        }
    }

    #[inline(always)]
    fn consume(&mut self, n: u32) {
        // n <= nbits <= 63 here.
        self.bitbuf <<= n;
        self.nbits = self.nbits.wrapping_sub(n);
    }

    /// Reads the Pad after a control symbol.
    fn pad(
        &mut self,
        cur: &mut Cursor<'_>,
        kind: PadKind,
        last: bool,
    ) -> Result<Option<Status>, Error> {
        let at = self.bit_position();
        let rem = u32::try_from(at % 32).unwrap_or(0);
        let len = 32_u32.wrapping_sub(rem) % 32;
        if self.nbits < len {
            self.refill(cur);
        }
        let (ones, expected) = match kind {
            PadKind::EndMarker => (true, "1-bits up to a 32-bit boundary after the end marker"),
            PadKind::Flush => (false, "0-bits up to a 32-bit boundary after a flush"),
            PadKind::FileMark => (false, "0-bits up to a 32-bit boundary after a file mark"),
            PadKind::EndOfRecord => (
                false,
                "0-bits up to a 32-bit boundary after an end of record",
            ),
        };
        if self.nbits < len {
            if last {
                return Err(Error::Truncated {
                    bit_offset: at,
                    expected,
                });
            }
            return Ok(Some(Status::NeedsInput));
        }
        if len > 0 {
            let bits = top(self.bitbuf, len);
            let want = if ones {
                u32::MAX >> 32_u32.wrapping_sub(len)
            } else {
                0
            };
            let bad = bits ^ want;
            if bad != 0 {
                // The first wrong bit, counted from the most significant of the `len` bits.
                let first = bad.leading_zeros().saturating_sub(32_u32.wrapping_sub(len));
                return Err(Error::BadPad {
                    bit_offset: at.saturating_add(u64::from(first)),
                    expected,
                });
            }
            self.consume(len);
        }
        self.state = match kind {
            PadKind::Flush => State::Data { boundary: false },
            PadKind::EndOfRecord => State::Report(Status::EndOfRecord),
            PadKind::FileMark => State::Report(Status::FileMark),
            PadKind::EndMarker => State::Report(Status::EndMarker),
        };
        Ok(None)
    }

    /// Makes room after `pos` by moving the window down. Returns false when the undrained
    /// bytes leave no room (the caller must drain first).
    fn make_room(&mut self) -> bool {
        let shift = self.drain.saturating_sub(HISTORY);
        if shift > 0 {
            self.win.copy_within(shift..self.pos, 0);
            self.pos = self.pos.saturating_sub(shift);
            self.drain = HISTORY;
        }
        self.pos <= WIN - MARGIN
    }

    /// Applies a Reset: history zeroed (logically), write position 0.
    fn reset_history(&mut self) {
        self.fill = 0;
        self.wpos = 0;
    }

    /// Decodes symbols. Returns `Some(status)` to end the call, `None` to let the caller drain
    /// and look at the state again.
    #[expect(
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing,
        reason = "hot loop; invariants: HISTORY <= drain <= pos <= WIN - MARGIN before each \
                  symbol, a symbol writes at most MAX_MATCH (+16 over-copy) bytes, distances are \
                  1..=1024 <= pos, bit counts are <= 63"
    )]
    fn data<S: Sink>(
        &mut self,
        cur: &mut Cursor<'_>,
        sink: &mut S,
        last: bool,
        mut boundary: bool,
    ) -> Result<Option<Status>, Error> {
        loop {
            let room = sink.room();
            let pending = self.pos - self.drain;
            if pending > 0 && pending >= room {
                return Ok(None);
            }
            if self.pos > WIN - MARGIN && !self.make_room() {
                return Ok(None);
            }
            if !boundary && pending == 0 && self.scheme == Scheme::One && self.fill >= HISTORY {
                if let Some((buf, written)) = sink.direct() {
                    self.direct(cur, buf, written);
                }
            }
            let room = sink.room();
            if !boundary {
                // Room for symbols starting below `limit`: the window margin, and the
                // caller's room (a symbol may overshoot it by at most MAX_MATCH - 1 bytes).
                let limit = core::cmp::min(WIN - MARGIN, self.drain.saturating_add(room));
                if self.pos < limit {
                    self.fast(cur, limit);
                    let pending = self.pos - self.drain;
                    if pending > 0 && pending >= room {
                        return Ok(None);
                    }
                    if self.pos > WIN - MARGIN && !self.make_room() {
                        return Ok(None);
                    }
                }
            }
            if self.nbits < MAX_SYMBOL_BITS {
                self.refill(cur);
            }
            let b = self.bitbuf;
            // A control symbol: nine 1-bits and a 4-bit code (ECMA-321 8.5). Nine 1-bits never
            // start a data symbol in either scheme, so this test comes first.
            if top(b, 9) == 0x1ff {
                if self.nbits < 13 {
                    return self.out_of_bits(last, boundary, "a control symbol");
                }
                let at = self.bit_position();
                let code = top(b << 9, 4);
                self.consume(13);
                if boundary {
                    boundary = false;
                    self.state = State::Data { boundary: false };
                }
                match code {
                    0b0000 => {
                        self.state = State::Pad(PadKind::Flush);
                        return Ok(None);
                    }
                    0b0001 => self.scheme = Scheme::One,
                    0b0010 => self.scheme = Scheme::Two,
                    0b0101 => {
                        self.reset_history();
                        self.scheme = Scheme::One;
                    }
                    0b0110 => {
                        self.reset_history();
                        self.scheme = Scheme::Two;
                    }
                    0b0100 => {
                        self.state = match self.framing {
                            Framing::Ecma => State::Pad(PadKind::EndOfRecord),
                            Framing::WefRecord => State::RecordDone,
                        };
                        return Ok(None);
                    }
                    0b0011 | 0b1111 => {
                        let (symbol, kind) = if code == 0b0011 {
                            ("file mark", PadKind::FileMark)
                        } else {
                            ("end marker", PadKind::EndMarker)
                        };
                        if self.framing == Framing::WefRecord {
                            return Err(Error::UnexpectedControl {
                                bit_offset: at,
                                symbol,
                                expected: "data symbols up to an end of record in a wef body",
                            });
                        }
                        self.state = State::Pad(kind);
                        return Ok(None);
                    }
                    _ => {
                        return Err(Error::ReservedControl {
                            bit_offset: at,
                            code: u8::try_from(code).unwrap_or(0xf),
                        });
                    }
                }
                continue;
            }
            match self.scheme {
                Scheme::One => {
                    if b >> 63 == 0 {
                        // Literal 1: a 0-bit and the byte.
                        if self.nbits < 9 {
                            return self.out_of_bits(last, boundary, "a literal");
                        }
                        self.win[self.pos] = low_byte(top(b << 1, 8));
                        self.consume(9);
                        self.pos += 1;
                        self.wpos = (self.wpos + 1) & (HISTORY - 1);
                        if self.fill < HISTORY {
                            self.fill += 1;
                        }
                    } else {
                        // Copy pointer: a 1-bit, the Match Count Field, a 10-bit displacement.
                        let k = core::cmp::min((b << 1).leading_ones(), 4);
                        let (prefix, extra, base) = match k {
                            0 => (1, 1, 2),
                            1 => (2, 2, 4),
                            2 => (3, 3, 8),
                            3 => (4, 4, 16),
                            _ => (4, 8, 32),
                        };
                        let need = 1 + prefix + extra + 10;
                        if self.nbits < need {
                            return self.out_of_bits(last, boundary, "a copy pointer");
                        }
                        let len = us(base + top(b << (1 + prefix), extra));
                        let disp = us(top(b << (1 + prefix + extra), 10));
                        self.consume(need);
                        self.copy(len, disp);
                    }
                }
                Scheme::Two => {
                    // Literal 2: the byte, and a 0-bit after 0xFF.
                    let byte = top(b, 8);
                    let need = if byte == 0xff { 9 } else { 8 };
                    if self.nbits < need {
                        return self.out_of_bits(last, boundary, "a literal");
                    }
                    self.win[self.pos] = low_byte(byte);
                    self.consume(need);
                    self.pos += 1;
                    self.wpos = (self.wpos + 1) & (HISTORY - 1);
                    if self.fill < HISTORY {
                        self.fill += 1;
                    }
                }
                Scheme::Unset => {
                    if self.nbits < 9 {
                        return self.out_of_bits(last, boundary, "a control symbol");
                    }
                    return Err(Error::NoScheme {
                        bit_offset: self.bit_position(),
                    });
                }
            }
            if boundary {
                boundary = false;
                self.state = State::Data { boundary: false };
            }
        }
    }

    /// The input ran out in the middle of (or before) a symbol.
    fn out_of_bits(
        &mut self,
        last: bool,
        boundary: bool,
        expected: &'static str,
    ) -> Result<Option<Status>, Error> {
        if !last {
            return Ok(Some(Status::NeedsInput));
        }
        if boundary && self.nbits == 0 {
            return Ok(Some(Status::Finished));
        }
        let expected = if self.nbits == 0 {
            match self.framing {
                Framing::Ecma => "more symbols and an end of record",
                Framing::WefRecord => "more symbols and an end of record in a wef body",
            }
        } else {
            expected
        };
        Err(Error::Truncated {
            bit_offset: self.bit_position(),
            expected,
        })
    }

    /// Executes a copy pointer: `len` bytes from absolute history position `disp`.
    #[inline(always)]
    fn copy(&mut self, len: usize, disp: usize) {
        let (pos, wpos, fill) =
            copy_match(&mut self.win, self.pos, self.wpos, self.fill, len, disp);
        self.pos = pos;
        self.wpos = wpos;
        self.fill = fill;
    }

    /// The fast path: data symbols while at least 8 input bytes remain (so the bit buffer is
    /// refilled a word at a time) and `pos` stays below `limit` (so the window has room and the
    /// caller's room is not exceeded). Stops before a control symbol and leaves it, and
    /// everything unusual, to the general loop in [`data`](Self::data).
    fn fast(&mut self, cur: &mut Cursor<'_>, limit: usize) {
        if self.scheme == Scheme::One {
            if self.fill < HISTORY {
                // Until the history is full (after a Reset), with `fill` bookkeeping.
                let full_at = self.pos.saturating_add(HISTORY.saturating_sub(self.fill));
                self.fast_partial(cur, core::cmp::min(limit, full_at));
            }
            if self.fill >= HISTORY {
                self.fast_full(cur, limit);
            }
        } else {
            self.fast_partial(cur, limit);
        }
    }

    /// [`fast`](Self::fast) for scheme 1 with a full history: no `fill` bookkeeping, and the
    /// history write position derived from `pos`.
    #[inline(never)]
    fn fast_full(&mut self, cur: &mut Cursor<'_>, limit: usize) {
        let (at, pos) = fast_scheme1(
            &mut self.win,
            cur.input,
            cur.at,
            &mut self.bitbuf,
            &mut self.nbits,
            self.pos,
            self.wpos,
            limit,
        );
        self.loaded = self
            .loaded
            .wrapping_add(u64::try_from(at.wrapping_sub(cur.at)).unwrap_or(0));
        cur.at = at;
        self.wpos = self.wpos.wrapping_add(pos.wrapping_sub(self.pos)) & (HISTORY - 1);
        self.pos = pos;
    }

    /// Decodes scheme-1 symbols straight into the caller's buffer, whose last 1024 written
    /// bytes are the history (so nothing needs copying out afterwards), then puts those 1024
    /// bytes back into the window. Needs a full history, no undrained bytes, at least 1024
    /// bytes already written to `buf`, and room for a symbol and the over-copy after them.
    #[expect(
        clippy::indexing_slicing,
        reason = "HISTORY <= w <= buf.len() is checked before use"
    )]
    fn direct(&mut self, cur: &mut Cursor<'_>, buf: &mut [u8], written: &mut usize) {
        let w0 = *written;
        let Some(limit) = buf.len().checked_sub(MARGIN) else {
            return;
        };
        if w0 < HISTORY || w0 >= limit || cur.input.len() < 8 {
            return;
        }
        let (at, w) = fast_scheme1(
            buf,
            cur.input,
            cur.at,
            &mut self.bitbuf,
            &mut self.nbits,
            w0,
            self.wpos,
            limit,
        );
        if w == w0 && at == cur.at {
            return;
        }
        self.loaded = self
            .loaded
            .wrapping_add(u64::try_from(at.wrapping_sub(cur.at)).unwrap_or(0));
        cur.at = at;
        let n = w.wrapping_sub(w0);
        self.wpos = self.wpos.wrapping_add(n) & (HISTORY - 1);
        self.total_out = self.total_out.wrapping_add(u64::try_from(n).unwrap_or(0));
        *written = w;
        // The window's history becomes the last 1024 bytes written.
        self.win[..HISTORY].copy_from_slice(&buf[w.wrapping_sub(HISTORY)..w]);
        self.pos = HISTORY;
        self.drain = HISTORY;
    }

    #[expect(
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing,
        reason = "hot loop; at + 8 <= input.len() before each refill, pos < limit <= WIN - \
                  MARGIN before each symbol, bit counts <= 63, shifts < 64"
    )]
    #[inline(never)]
    fn fast_partial(&mut self, cur: &mut Cursor<'_>, limit: usize) {
        let input = cur.input;
        if input.len() < 8 {
            return;
        }
        let in_last = input.len() - 8;
        let start_at = cur.at;
        let mut at = cur.at;
        let mut bitbuf = self.bitbuf;
        let mut nbits = self.nbits;
        let mut pos = self.pos;
        let mut wpos = self.wpos;
        let mut fill = self.fill;
        let win = &mut self.win;
        match self.scheme {
            Scheme::One => loop {
                if pos >= limit {
                    break;
                }
                if nbits < MAX_SYMBOL_BITS {
                    if at > in_last {
                        break;
                    }
                    let chunk: [u8; 8] = input[at..at + 8].try_into().unwrap_or([0; 8]);
                    bitbuf |= u64::from_be_bytes(chunk) >> nbits;
                    let k = (63 - nbits) >> 3;
                    at += us(k);
                    nbits += k << 3;
                }
                if bitbuf >> 63 == 0 {
                    win[pos] = low_byte(top(bitbuf << 1, 8));
                    bitbuf <<= 9;
                    nbits -= 9;
                    pos += 1;
                    wpos = (wpos + 1) & (HISTORY - 1);
                    fill += usize::from(fill < HISTORY);
                    continue;
                }
                if top(bitbuf, 9) == 0x1ff {
                    break;
                }
                let entry = MATCH_FIELD[us(top(bitbuf << 1, 12))];
                let len = usize::from(entry & 0x1ff);
                let field = u32::from(entry >> 9);
                let disp = us(top(bitbuf << (1 + field), 10));
                let need = 11 + field;
                bitbuf <<= need;
                nbits -= need;
                (pos, wpos, fill) = copy_match(win, pos, wpos, fill, len, disp);
            },
            Scheme::Two => loop {
                if pos >= limit {
                    break;
                }
                if nbits < MAX_SYMBOL_BITS {
                    if at > in_last {
                        break;
                    }
                    let chunk: [u8; 8] = input[at..at + 8].try_into().unwrap_or([0; 8]);
                    bitbuf |= u64::from_be_bytes(chunk) >> nbits;
                    let k = (63 - nbits) >> 3;
                    at += us(k);
                    nbits += k << 3;
                }
                let byte = top(bitbuf, 8);
                let need = if byte == 0xff {
                    if top(bitbuf, 9) == 0x1ff {
                        break;
                    }
                    9
                } else {
                    8
                };
                win[pos] = low_byte(byte);
                bitbuf <<= need;
                nbits -= need;
                pos += 1;
                wpos = (wpos + 1) & (HISTORY - 1);
                fill += usize::from(fill < HISTORY);
            },
            Scheme::Unset => {}
        }
        self.loaded += u64::try_from(at - start_at).unwrap_or(0);
        cur.at = at;
        self.bitbuf = bitbuf;
        self.nbits = nbits;
        self.pos = pos;
        self.wpos = wpos;
        self.fill = fill;
    }
}

/// The scheme-1 inner loop with a full history: decodes symbols from `input[at..]` into
/// `buf[pos..]` while at least 8 input bytes remain and `pos < limit` (with `limit +
/// MARGIN <= buf.len()`), stopping before a control symbol. `wpos` is the history write
/// position that corresponds to `pos`. Returns the new `(at, pos)`.
#[expect(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::too_many_arguments,
    reason = "hot loop; at + 8 <= input.len() before each refill, HISTORY <= pos < limit <= \
              buf.len() - MARGIN before each symbol, bit counts <= 63, shifts < 64"
)]
#[inline(always)]
fn fast_scheme1(
    buf: &mut [u8],
    input: &[u8],
    mut at: usize,
    bitbuf_ref: &mut u64,
    nbits_ref: &mut u32,
    mut pos: usize,
    wpos: usize,
    limit: usize,
) -> (usize, usize) {
    if input.len() < 8 {
        return (at, pos);
    }
    let in_last = input.len() - 8;
    let mut bitbuf = *bitbuf_ref;
    let mut nbits = *nbits_ref;
    // wpos == (pos + wbias) mod 1024 throughout.
    let wbias = wpos.wrapping_sub(pos);
    // One data symbol (nbits >= 23 on entry); leaves the loop before a control symbol.
    macro_rules! symbol {
        () => {
            if bitbuf >> 63 == 0 {
                buf[pos] = low_byte(top(bitbuf << 1, 8));
                bitbuf <<= 9;
                nbits -= 9;
                pos += 1;
            } else {
                if top(bitbuf, 9) == 0x1ff {
                    break;
                }
                let entry = MATCH_FIELD[us(top(bitbuf << 1, 12))];
                let len = usize::from(entry & 0x1ff);
                let field = u32::from(entry >> 9);
                let disp = us(top(bitbuf << (1 + field), 10));
                let need = 11 + field;
                bitbuf <<= need;
                nbits -= need;
                let dist = ((pos.wrapping_add(wbias).wrapping_sub(disp).wrapping_sub(1))
                    & (HISTORY - 1))
                    + 1;
                copy_back(buf, pos, dist, len);
                pos += len;
            }
        };
    }
    // Two symbols per round: after a refill there are >= 56 bits, enough for two (<= 46).
    // The second may start past `limit - MAX_MATCH` but below `limit`.
    let limit2 = limit.saturating_sub(MAX_MATCH);
    loop {
        if pos >= limit2 || at > in_last {
            break;
        }
        let chunk: [u8; 8] = input[at..at + 8].try_into().unwrap_or([0; 8]);
        bitbuf |= u64::from_be_bytes(chunk) >> nbits;
        let k = (63 - nbits) >> 3;
        at += us(k);
        nbits += k << 3;
        symbol!();
        symbol!();
    }
    // The rest, one symbol at a time.
    loop {
        if pos >= limit {
            break;
        }
        if nbits < MAX_SYMBOL_BITS {
            if at > in_last {
                break;
            }
            let chunk: [u8; 8] = input[at..at + 8].try_into().unwrap_or([0; 8]);
            bitbuf |= u64::from_be_bytes(chunk) >> nbits;
            let k = (63 - nbits) >> 3;
            at += us(k);
            nbits += k << 3;
        }
        symbol!();
    }
    *bitbuf_ref = bitbuf;
    *nbits_ref = nbits;
    (at, pos)
}

/// Match Count Field decoding, indexed by the 12 bits after a copy pointer's leading 1-bit:
/// `length | field_bits << 9`. Entries for `1111` + a value of 240 or more are never used
/// (those bits are a control symbol).
static MATCH_FIELD: [u16; 4096] = match_field_table();

#[expect(
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    reason = "const table construction over 0..4096"
)]
const fn match_field_table() -> [u16; 4096] {
    let mut t = [0_u16; 4096];
    let mut i = 0;
    while i < 4096 {
        let k = {
            let lead = (i << 20) as u32;
            let ones = lead.leading_ones();
            if ones > 4 { 4 } else { ones }
        };
        let (prefix, extra, base) = match k {
            0 => (1, 1, 2),
            1 => (2, 2, 4),
            2 => (3, 3, 8),
            3 => (4, 4, 16),
            _ => (4, 8, 32),
        };
        let e = (i >> (12 - prefix - extra)) & ((1 << extra) - 1);
        let len = base + e;
        t[i] = (len as u16) | (((prefix + extra) as u16) << 9);
        i += 1;
    }
    t
}

/// Copies `len` bytes from absolute history position `disp` to `win[pos..]`, byte by byte in
/// effect (a match may overlap the bytes it produces). Returns the new `(pos, wpos, fill)`.
#[expect(
    clippy::arithmetic_side_effects,
    reason = "HISTORY <= pos <= WIN - MARGIN, 1 <= dist <= 1024 <= pos, len <= 271"
)]
#[inline(always)]
fn copy_match(
    win: &mut [u8; WIN],
    pos: usize,
    wpos: usize,
    fill: usize,
    len: usize,
    disp: usize,
) -> (usize, usize, usize) {
    // Distance back from the write position to history[disp]; 1024 when disp == wpos
    // (the oldest byte, read before the first byte of the match overwrites it).
    let dist = ((wpos.wrapping_sub(disp).wrapping_sub(1)) & (HISTORY - 1)) + 1;
    if dist > fill {
        copy_from_unwritten(win, pos, pos - dist, fill, len);
    } else {
        copy_back(win, pos, dist, len);
    }
    let fill = if fill + len < HISTORY {
        fill + len
    } else {
        HISTORY
    };
    (pos + len, (wpos + len) & (HISTORY - 1), fill)
}

/// Copies `len` bytes from `dist` bytes back to `win[pos..]`, as if byte by byte.
#[expect(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    reason = "HISTORY <= pos <= WIN - MARGIN, 1 <= dist <= 1024, len <= 271: every index \
              below stays in pos - 1024 .. pos + 271 + 16 < WIN"
)]
#[inline(always)]
fn copy_back(win: &mut [u8], pos: usize, dist: usize, len: usize) {
    let src = pos - dist;
    if dist >= len && len <= 16 {
        // One 16-byte move; bytes past `len` are scratch, overwritten later.
        win.copy_within(src..src + 16, pos);
    } else if dist >= 16 {
        let mut i = 0;
        while i < len {
            win.copy_within(src + i..src + i + 16, pos + i);
            i += 16;
        }
    } else {
        // Short distance: byte by byte until a 16-byte step is a whole number of periods
        // back, then 16-byte moves from that far back.
        let step = dist * 16_usize.div_ceil(dist);
        let head = if len < step { len } else { step };
        for i in 0..head {
            win[pos + i] = win[src + i];
        }
        let mut i = head;
        while i < len {
            win.copy_within(pos + i - step..pos + i - step + 16, pos + i);
            i += 16;
        }
    }
}

/// A copy that reaches into history not written since the last Reset: those bytes are zero.
#[cold]
#[inline(never)]
#[expect(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    reason = "same bounds as copy_match"
)]
fn copy_from_unwritten(win: &mut [u8; WIN], pos: usize, src: usize, fill: usize, len: usize) {
    let floor = pos - fill;
    for i in 0..len {
        let s = src + i;
        win[pos + i] = if s < floor { 0 } else { win[s] };
    }
}

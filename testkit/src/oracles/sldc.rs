//! Oracles for the `sldc` crate: each panics when a property fails.
//!
//! Shared by the fuzz targets (`fuzz/fuzz_targets/sldc_*.rs`) and the property tests.

use sldc::{Decompressor, Error, Status};

/// Output bound used when an oracle needs "no limit in practice" (SLDC expands at most
/// 271 bytes per 23 bits, about 95x).
fn generous_limit(input_len: usize) -> usize {
    input_len.saturating_mul(96).saturating_add(1024)
}

/// Decodes an ECMA-321 stream with the streaming API, feeding input in pieces of the sizes
/// `in_sizes` yields (cycled; 0 is read as 1) into output buffers of the sizes `out_sizes`
/// yields, and applies the same end-of-stream rules as [`sldc::decompress_to_vec`]
/// (trailing bytes after an End Marker are [`Error::TrailingData`]).
///
/// # Panics
/// When the decoder breaks its own contract (consumes more than given, makes no progress).
#[expect(clippy::panic, reason = "oracle: a broken contract must fail loudly")]
pub fn stream_decode(
    input: &[u8],
    in_sizes: &[usize],
    out_sizes: &[usize],
    max_output: usize,
) -> Result<Vec<u8>, Error> {
    let mut d = Box::new(Decompressor::new());
    let mut out = Vec::new();
    let mut start = 0_usize;
    let mut k = 0_usize;
    let mut stalls = 0_u32;
    loop {
        let in_size = in_sizes
            .get(k.checked_rem(in_sizes.len()).unwrap_or(0))
            .copied()
            .unwrap_or(usize::MAX)
            .max(1);
        let out_size = out_sizes
            .get(k.checked_rem(out_sizes.len()).unwrap_or(0))
            .copied()
            .unwrap_or(4096)
            .max(1);
        k = k.wrapping_add(1);
        let end = start.saturating_add(in_size).min(input.len());
        let last = end == input.len();
        let chunk = input.get(start..end).unwrap_or_default();
        let mut buf = vec![0_u8; out_size];
        let p = d.decompress(chunk, &mut buf, last)?;
        if p.consumed > chunk.len() || p.written > buf.len() {
            panic!("decoder reported more than it was given: {p:?}");
        }
        out.extend_from_slice(buf.get(..p.written).unwrap_or_default());
        if out.len() > max_output {
            return Err(Error::OutputLimit {
                limit: max_output,
                bit_offset: 0,
            });
        }
        start = start.saturating_add(p.consumed);
        if p.consumed == 0
            && p.written == 0
            && p.status != Status::EndOfRecord
            && p.status != Status::FileMark
        {
            stalls = stalls.saturating_add(1);
            if stalls > 3 {
                panic!("decoder makes no progress: {p:?}");
            }
        } else {
            stalls = 0;
        }
        match p.status {
            Status::Finished => return Ok(out),
            Status::EndMarker => {
                if start == input.len() {
                    return Ok(out);
                }
                return Err(Error::TrailingData {
                    bit_offset: d.total_in().saturating_mul(8),
                    expected: "the end of the stream after the end marker",
                });
            }
            Status::NeedsInput if last => panic!("NeedsInput with last = true"),
            _ => {}
        }
    }
}

/// A deterministic sequence of piece sizes derived from `seed` (1..=max).
fn sizes(seed: &[u8], max: usize) -> Vec<usize> {
    let mut x: u32 = 0x9e37_79b9;
    for &b in seed {
        x = x.rotate_left(5) ^ u32::from(b);
        x = x.wrapping_mul(0x0100_0193);
    }
    (0..16)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            usize::try_from(x)
                .unwrap_or(1)
                .checked_rem(max)
                .unwrap_or(0)
                .saturating_add(1)
        })
        .collect()
}

/// Fuzz oracle `sldc_decompress`: both framings on arbitrary bytes with a bounded output never
/// panic, respect the bound, and agree with the documented `NotSldc` test.
///
/// # Panics
/// When a property fails.
#[expect(clippy::panic, reason = "oracle: a failed property must fail loudly")]
pub fn sldc_decompress(data: &[u8]) {
    let (limit, body) = match data.split_first() {
        Some((&b, rest)) => (usize::from(b).saturating_mul(257), rest),
        None => (0, data),
    };
    match sldc::decompress_to_vec(body, limit) {
        Ok(out) if out.len() > limit => panic!("ecma output {} over the limit {limit}", out.len()),
        Err(Error::NotSldc { .. }) => panic!("the ecma decoder never says NotSldc"),
        _ => {}
    }
    match sldc::decompress_wef_body(body, limit) {
        Ok(out) => {
            if out.len() > limit {
                panic!("wef output {} over the limit {limit}", out.len());
            }
            let n = u32::try_from(out.len()).unwrap_or(u32::MAX).to_le_bytes();
            if !body.ends_with(&n) {
                panic!("wef body accepted without a matching length trailer");
            }
        }
        Err(Error::NotSldc { .. }) => {
            if sldc::starts_with_reset(body) {
                panic!("NotSldc for a body that starts with a reset");
            }
        }
        Err(_) => {
            if !sldc::starts_with_reset(body) {
                panic!("a body without a reset must be NotSldc");
            }
        }
    }
}

/// Fuzz oracle `sldc_roundtrip`: compressing and decompressing gives the input back in both
/// framings, within the documented size bound.
///
/// # Panics
/// When a property fails.
#[expect(clippy::panic, reason = "oracle: a failed property must fail loudly")]
pub fn sldc_roundtrip(data: &[u8]) {
    let ff = data.iter().filter(|&&b| b == 0xff).count();
    let bound = data.len().saturating_add(ff.div_ceil(8));
    let stream = sldc::compress_to_vec(data);
    if stream.len() > bound.saturating_add(8) {
        panic!("ecma stream {} over the bound {} + 8", stream.len(), bound);
    }
    match sldc::decompress_to_vec(&stream, data.len()) {
        Ok(out) if out == data => {}
        other => panic!("ecma round trip failed: {:?}", other.map(|v| v.len())),
    }
    let body = match sldc::compress_wef_body(data) {
        Ok(body) => body,
        Err(e) => panic!("compress_wef_body: {e}"),
    };
    if body.len() > bound.saturating_add(12) {
        panic!("wef body {} over the bound {} + 12", body.len(), bound);
    }
    if !sldc::starts_with_reset(&body) {
        panic!("our wef body does not start with a reset");
    }
    match sldc::decompress_wef_body(&body, data.len()) {
        Ok(out) if out == data => {}
        other => panic!("wef round trip failed: {:?}", other.map(|v| v.len())),
    }
}

/// Fuzz oracle `sldc_chunking`: the streaming decoder gives the one-shot result (output or
/// error) for any split of the input and any output buffer size, on the arbitrary bytes and on
/// their compressed form.
///
/// # Panics
/// When a property fails.
#[expect(clippy::panic, reason = "oracle: a failed property must fail loudly")]
pub fn sldc_chunking(data: &[u8]) {
    let (seed, stream) = data.split_at(data.len().min(4));
    let compressed = sldc::compress_to_vec(data);
    for input in [stream, compressed.as_slice()] {
        let limit = generous_limit(input.len());
        let one_shot = sldc::decompress_to_vec(input, limit);
        for (max_in, max_out) in [(1, 1), (3, 17), (64, 7), (usize::MAX, 300), (40, 1 << 16)] {
            let ins = sizes(seed, max_in.min(input.len().saturating_add(1)));
            let outs = sizes(stream, max_out);
            let streamed = stream_decode(input, &ins, &outs, limit);
            if streamed != one_shot {
                panic!(
                    "streaming ({max_in}/{max_out}) {:?} != one-shot {:?}",
                    streamed.as_ref().map(Vec::len),
                    one_shot.as_ref().map(Vec::len)
                );
            }
        }
    }
}

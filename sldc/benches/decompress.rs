//! Decompression throughput (bytes of plaintext per second) on the shared Events-envelope
//! vectors, against inflating the same plaintext deflated at level 6, measured in the same run
//! with two inflate implementations: `miniz_oxide` (called directly: one-shot to a vector, and
//! its streaming API into one caller buffer) and flate2 with its `zlib-rs` backend (through
//! `flate2::read::DeflateDecoder`; flate2's features unify, so miniz_oxide is called directly).
//!
//! `cargo bench -p sldc --bench decompress -- --warm-up-time 1 --measurement-time 3`
#![expect(
    clippy::unwrap_used,
    clippy::as_conversions,
    reason = "bench code: a failure must stop the bench"
)]

use std::hint::black_box;
use std::io::{Read, Write};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use testkit::shared::read_shared;

fn deflate6(plain: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(plain, 6)
}

fn bench(c: &mut Criterion) {
    for name in ["wef_corpus_250k", "wef_logons_60"] {
        let stream = read_shared(&format!("vectors/sldc/{name}.sldc"));
        let plain = read_shared(&format!("vectors/sldc/{name}.bin"));
        let deflated = deflate6(&plain);
        let mut g = c.benchmark_group(format!("decompress/{name}"));
        g.throughput(Throughput::Bytes(plain.len() as u64));

        assert_eq!(
            sldc::decompress_to_vec(&stream, plain.len()).unwrap(),
            plain
        );
        g.bench_function("sldc_to_vec", |b| {
            b.iter(|| sldc::decompress_to_vec(black_box(&stream), plain.len()).unwrap())
        });
        let mut d = Box::new(sldc::Decompressor::new());
        let mut out = vec![0u8; plain.len()];
        g.bench_function("sldc_streaming_into_slice", |b| {
            b.iter(|| {
                d.reset();
                let p = d.decompress(black_box(&stream), &mut out, true).unwrap();
                assert_eq!(p.written, plain.len());
            })
        });

        assert_eq!(
            miniz_oxide::inflate::decompress_to_vec(&deflated).unwrap(),
            plain
        );
        g.bench_function("inflate_miniz_oxide_to_vec", |b| {
            b.iter(|| miniz_oxide::inflate::decompress_to_vec(black_box(&deflated)).unwrap())
        });
        // The streaming API into a whole caller buffer, like `sldc_streaming_into_slice`.
        let mut state =
            miniz_oxide::inflate::stream::InflateState::new_boxed(miniz_oxide::DataFormat::Raw);
        g.bench_function("inflate_miniz_oxide_streaming_into_slice", |b| {
            b.iter(|| {
                state.reset(miniz_oxide::DataFormat::Raw);
                let r = miniz_oxide::inflate::stream::inflate(
                    &mut state,
                    black_box(&deflated),
                    &mut out,
                    miniz_oxide::MZFlush::Finish,
                );
                assert_eq!(r.bytes_written, plain.len());
            })
        });
        g.bench_function("inflate_flate2_zlib_rs", |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(plain.len());
                flate2::read::DeflateDecoder::new(black_box(&deflated[..]))
                    .read_to_end(&mut out)
                    .unwrap();
                out
            })
        });
        g.finish();
    }
    // Keep the Write import honest: flate2's encoder agrees with miniz_oxide's output format.
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(b"sldc").unwrap();
    assert!(!e.finish().unwrap().is_empty());
}

criterion_group!(benches, bench);
criterion_main!(benches);

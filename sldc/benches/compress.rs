//! Compression throughput (bytes of input per second) on the shared vectors' plaintexts and
//! the real Windows heartbeat, with deflate level 6 (miniz_oxide) in the same run as a
//! reference point.
//!
//! `cargo bench -p sldc --bench compress -- --warm-up-time 1 --measurement-time 3`
#![expect(
    clippy::unwrap_used,
    clippy::as_conversions,
    reason = "bench code: a failure must stop the bench"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use testkit::shared::read_shared;

fn bench(c: &mut Criterion) {
    let inputs = [
        (
            "wef_corpus_250k",
            read_shared("vectors/sldc/wef_corpus_250k.bin"),
        ),
        (
            "wef_logons_60",
            read_shared("vectors/sldc/wef_logons_60.bin"),
        ),
        (
            "heartbeat",
            read_shared("corpus/sldc/openwec-heartbeat-kerberos/plaintext.utf16le.bin"),
        ),
        ("random_4k", read_shared("vectors/sldc/random_4k.bin")),
    ];
    for (name, plain) in &inputs {
        let mut g = c.benchmark_group(format!("compress/{name}"));
        g.throughput(Throughput::Bytes(plain.len() as u64));
        g.bench_function("sldc_ecma", |b| {
            b.iter(|| sldc::compress_to_vec(black_box(plain)))
        });
        g.bench_function("sldc_wef_body", |b| {
            b.iter(|| sldc::compress_wef_body(black_box(plain)).unwrap())
        });
        g.bench_function("deflate6_miniz_oxide", |b| {
            b.iter(|| miniz_oxide::deflate::compress_to_vec(black_box(plain), 6))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

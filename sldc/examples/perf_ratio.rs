//! Interleaved timing (minimum and median of 300 runs each) of SLDC decoding against
//! miniz_oxide inflate of the same plaintext deflated at level 6 (robust ratios on a shared
//! machine). `cargo run --release -p sldc --example perf_ratio`
#![expect(
    clippy::unwrap_used,
    clippy::print_stdout,
    clippy::as_conversions,
    clippy::indexing_slicing,
    reason = "measurement tool"
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

fn time(f: &mut dyn FnMut()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

/// (minimum, median)
fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    (v[0].as_secs_f64(), v[v.len() / 2].as_secs_f64())
}

fn main() {
    for name in ["wef_corpus_250k", "wef_logons_60"] {
        let stream = testkit::shared::read_shared(&format!("vectors/sldc/{name}.sldc"));
        let plain = testkit::shared::read_shared(&format!("vectors/sldc/{name}.bin"));
        let deflated = miniz_oxide::deflate::compress_to_vec(&plain, 6);
        let mut d = Box::new(sldc::Decompressor::new());
        let mut out = vec![0u8; plain.len()];
        let mut state =
            miniz_oxide::inflate::stream::InflateState::new_boxed(miniz_oxide::DataFormat::Raw);
        let (mut a, mut b, mut c, mut e) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..300 {
            a.push(time(&mut || {
                black_box(sldc::decompress_to_vec(black_box(&stream), plain.len()).unwrap());
            }));
            b.push(time(&mut || {
                d.reset();
                let p = d.decompress(black_box(&stream), &mut out, true).unwrap();
                black_box(p.written);
            }));
            c.push(time(&mut || {
                black_box(miniz_oxide::inflate::decompress_to_vec(black_box(&deflated)).unwrap());
            }));
            e.push(time(&mut || {
                state.reset(miniz_oxide::DataFormat::Raw);
                let r = miniz_oxide::inflate::stream::inflate(
                    &mut state,
                    black_box(&deflated),
                    &mut out,
                    miniz_oxide::MZFlush::Finish,
                );
                black_box(r.bytes_written);
            }));
        }
        let (a, b, c, e) = (stats(a), stats(b), stats(c), stats(e));
        let mbs = |t: f64| plain.len() as f64 / t / 1e6;
        println!(
            "{name} (min | median): sldc_to_vec {:.0} MB/s {:.2}x | {:.2}x; sldc_slice {:.0} MB/s {:.2}x | {:.2}x; miniz_oxide {:.0} MB/s",
            mbs(a.0),
            c.0 / a.0,
            c.1 / a.1,
            mbs(b.0),
            c.0 / b.0,
            c.1 / b.1,
            mbs(c.0)
        );
        println!(
            "{name} (min | median): sldc_slice vs miniz_oxide streaming into a slice ({:.0} MB/s): {:.2}x | {:.2}x",
            mbs(e.0),
            e.0 / b.0,
            e.1 / b.1
        );
    }
}

//! Min-of-N compression throughput on the shared vectors.
//! `cargo run --release -p sldc --example compress_speed [VECTOR…]`
//! Environment: `ITERS=N` sets the repetitions (for instruction counts under callgrind, e.g.
//! `ITERS=1 NO_BASELINE=1 valgrind --tool=callgrind … compress_speed wef_logons_60`),
//! `NO_BASELINE=1` skips the miniz_oxide deflate baseline.
#![expect(
    clippy::print_stdout,
    clippy::as_conversions,
    clippy::indexing_slicing,
    reason = "measurement tool"
)]

use std::hint::black_box;
use std::time::Instant;

fn main() {
    let names: Vec<String> = std::env::args().skip(1).collect();
    let all = [
        "wef_corpus_250k",
        "wef_logons_60",
        "random_4k",
        "wef_heartbeat",
    ];
    for name in all
        .iter()
        .filter(|n| names.is_empty() || names.iter().any(|m| m == *n))
    {
        let plain = testkit::shared::read_shared(&format!("vectors/sldc/{name}.bin"));
        let mut times = Vec::new();
        let mut size = 0;
        let iters = std::env::var("ITERS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(if names.is_empty() { 30 } else { 3000 });
        for _ in 0..iters.max(1) {
            let t = Instant::now();
            size = black_box(sldc::compress_to_vec(black_box(&plain))).len();
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let mut base = Vec::new();
        let levels: &[u8] = if std::env::var_os("NO_BASELINE").is_some() {
            &[]
        } else {
            &[1, 6]
        };
        for &level in levels {
            let mut t1 = Vec::new();
            for _ in 0..times.len() {
                let t = Instant::now();
                black_box(miniz_oxide::deflate::compress_to_vec(
                    black_box(&plain),
                    level,
                ));
                t1.push(t.elapsed().as_secs_f64());
            }
            t1.sort_by(f64::total_cmp);
            base.push(plain.len() as f64 / t1[0] / 1e6);
        }
        println!(
            "{name}: {} -> {size} bytes, {:.0} MB/s (min), {:.0} MB/s (median); deflate-1 {:.0} MB/s, deflate-6 {:.0} MB/s (min)",
            plain.len(),
            plain.len() as f64 / times[0] / 1e6,
            plain.len() as f64 / times[times.len() / 2] / 1e6,
            base.first().copied().unwrap_or(0.0),
            base.get(1).copied().unwrap_or(0.0)
        );
    }
}

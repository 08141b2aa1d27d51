//! NTLM session security throughput: wrap + unwrap of 100 KiB WinRM messages (header/data
//! level, and as `multipart/encrypted` bodies), with pyspnego measured in the same run as the
//! baseline (`scripts/bench_python_auth.py`; target: at least 2x).
//!
//! `cargo bench -p wsman-proto --bench auth -- --warm-up-time 1 --measurement-time 3`

#![expect(
    clippy::unwrap_used,
    clippy::print_stdout,
    clippy::expect_used,
    reason = "bench harness"
)]

use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group};
use wsman_proto::auth::ntlm::{DEFAULT_FLAGS, NegotiateFlags, NtlmSecurity};
use wsman_proto::auth::{Role, SessionSecurity, Wrapped};
use wsman_proto::framing::{self, Limits, SealOptions};

const SIZE: usize = 100 * 1024;

fn message() -> Vec<u8> {
    (0..SIZE)
        .map(|i| u8::try_from(i % 251).unwrap().wrapping_mul(31))
        .collect()
}

fn pair() -> (NtlmSecurity, NtlmSecurity) {
    let flags = NegotiateFlags(DEFAULT_FLAGS);
    let key = [0x42; 16];
    (
        NtlmSecurity::new(Role::Initiator, flags, &key),
        NtlmSecurity::new(Role::Acceptor, flags, &key),
    )
}

/// One wrap + unwrap, reusing buffers as a collector would.
fn round(
    tx: &mut NtlmSecurity,
    rx: &mut NtlmSecurity,
    msg: &[u8],
    w: &mut Wrapped,
    out: &mut Vec<u8>,
) {
    tx.wrap_winrm(msg, w).unwrap();
    out.clear();
    rx.unwrap_winrm(&w.header, &w.data, out).unwrap();
}

fn bench_ntlm(c: &mut Criterion) {
    let msg = message();
    let mut g = c.benchmark_group("ntlm_100KiB");
    g.throughput(Throughput::Bytes(u64::try_from(SIZE).unwrap()));
    let (mut tx, mut rx) = pair();
    let (mut w, mut out) = (Wrapped::new(), Vec::with_capacity(SIZE));
    g.bench_function("wrap+unwrap", |b| {
        b.iter(|| round(&mut tx, &mut rx, black_box(&msg), &mut w, &mut out))
    });
    let (mut tx, mut rx) = pair();
    let mut body = Vec::with_capacity(SIZE + 512);
    g.bench_function("seal+open (multipart body)", |b| {
        b.iter(|| {
            body.clear();
            let ct = framing::seal(&mut tx, black_box(&msg), &SealOptions::default(), &mut body)
                .unwrap();
            out.clear();
            framing::open(&mut rx, &ct, &body, &Limits::default(), &mut out).unwrap();
        });
    });
    g.finish();
}

/// Same-run baseline: times our wrap+unwrap (best of 5 x 200) and pyspnego's, prints the ratio.
fn ratio_vs_pyspnego() {
    let msg = message();
    let (mut tx, mut rx) = pair();
    let (mut w, mut out) = (Wrapped::new(), Vec::with_capacity(SIZE));
    for _ in 0..20 {
        round(&mut tx, &mut rx, &msg, &mut w, &mut out);
    }
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..200 {
            round(&mut tx, &mut rx, black_box(&msg), &mut w, &mut out);
        }
        best = best.min(t.elapsed().as_secs_f64() / 200.0);
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scripts/bench_python_auth.py"
    );
    let py = Command::new("python3")
        .arg(script)
        .args(["--size", &SIZE.to_string()])
        .output();
    let mib = |s: f64| f64::from(u32::try_from(SIZE).unwrap()) / s / f64::from(1u32 << 20);
    println!(
        "ntlm wrap+unwrap {SIZE} B: wsman-proto {:.1} us/op ({:.0} MiB/s)",
        best * 1e6,
        mib(best)
    );
    match py {
        Ok(o) if o.status.success() => {
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("baseline json");
            let base = v["seconds_per_op"].as_f64().expect("seconds_per_op");
            println!(
                "ntlm wrap+unwrap {SIZE} B: pyspnego {} {:.1} us/op ({:.0} MiB/s) -> ratio {:.2}x (target >= 2x)",
                v["version"],
                base * 1e6,
                mib(base),
                base / best
            );
        }
        Ok(o) => println!(
            "pyspnego baseline failed: {}",
            String::from_utf8_lossy(&o.stdout)
        ),
        Err(e) => println!("pyspnego baseline not run (python3: {e}); run scripts/setup.sh"),
    }
}

criterion_group!(benches, bench_ntlm);

fn main() {
    benches();
    ratio_vs_pyspnego();
    Criterion::default().configure_from_args().final_summary();
}

//! Kerberos session security throughput: wrap + unwrap of 100 KiB WinRM messages through the
//! offline RFC 4121 / RFC 4757 code and (with the `kerberos` feature) through GSSAPI, with
//! python-gssapi measured in the same run as the baseline (`scripts/bench_python_kerberos.py`).
//! Targets: GSSAPI path no slower than python-gssapi; offline AES at least 3x python-gssapi.
//!
//! `cargo bench -p wsman-proto --features kerberos --bench kerberos -- --warm-up-time 1 --measurement-time 3`
//!
//! With the feature, a throwaway KDC is started on loopback (as in `tests/kerberos_kdc.rs`) and
//! the python baseline runs in the same realm; without it, the script makes its own realm.

#![expect(
    clippy::unwrap_used,
    clippy::print_stdout,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "bench harness"
)]

use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group};
use wsman_proto::auth::kerberos::{Enctype, Key, OfflineConfig, OfflineKerberos};
use wsman_proto::auth::{Role, SessionSecurity, Wrapped};

#[cfg(feature = "kerberos")]
#[expect(
    dead_code,
    reason = "the bench uses the KDC part of the test support only"
)]
#[path = "../tests/kerberos_support/mod.rs"]
mod kerberos_support;

const SIZE: usize = 100 * 1024;

fn message() -> Vec<u8> {
    (0..SIZE)
        .map(|i| u8::try_from(i % 251).unwrap().wrapping_mul(31))
        .collect()
}

fn offline_pair(e: Enctype) -> (OfflineKerberos, OfflineKerberos) {
    let key = Key::new(e, &vec![0x42; e.key_len()]).unwrap();
    let mut n = 0u8;
    let tx = OfflineKerberos::new(
        key.clone(),
        OfflineConfig::new(Role::Initiator),
        move |b: &mut [u8]| {
            n = n.wrapping_add(1);
            b.fill(n);
        },
    )
    .unwrap();
    let rx = OfflineKerberos::new(key, OfflineConfig::new(Role::Acceptor), |b: &mut [u8]| {
        b.fill(0)
    })
    .unwrap();
    (tx, rx)
}

/// One wrap + unwrap, reusing buffers as a collector would.
fn round(
    tx: &mut dyn SessionSecurity,
    rx: &mut dyn SessionSecurity,
    msg: &[u8],
    w: &mut Wrapped,
    out: &mut Vec<u8>,
) {
    tx.wrap_winrm(msg, w).unwrap();
    out.clear();
    rx.unwrap_winrm(&w.header, &w.data, out).unwrap();
}

/// Best of 5 x `n` rounds, seconds per round.
fn best(tx: &mut dyn SessionSecurity, rx: &mut dyn SessionSecurity, n: u32) -> f64 {
    let msg = message();
    let (mut w, mut out) = (Wrapped::new(), Vec::with_capacity(SIZE));
    for _ in 0..10 {
        round(tx, rx, &msg, &mut w, &mut out);
    }
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..n {
            round(tx, rx, black_box(&msg), &mut w, &mut out);
        }
        best = best.min(t.elapsed().as_secs_f64() / f64::from(n));
    }
    best
}

#[cfg(feature = "kerberos")]
struct Gss {
    kdc: kerberos_support::Kdc,
}

#[cfg(feature = "kerberos")]
impl Gss {
    fn start() -> Self {
        let kdc = kerberos_support::Kdc::start();
        kdc.use_conf(None);
        Self { kdc }
    }

    /// An established initiator/acceptor pair of GSSAPI sessions (AES256).
    fn pair(
        &self,
    ) -> (
        wsman_proto::auth::kerberos::GssSession,
        wsman_proto::auth::kerberos::GssSession,
    ) {
        use wsman_proto::auth::kerberos::{
            GssAcceptor, GssInitiator, GssMech, GssStep, InitiatorCred,
        };
        let _ = &self.kdc;
        let (mut ini, token) = GssInitiator::new(
            "HTTP/aes256.wefkit.test@WEFKIT.TEST",
            InitiatorCred::Default { principal: None },
            GssMech::Kerberos,
        )
        .unwrap();
        let mut acc = GssAcceptor::new(None, GssMech::Kerberos).unwrap();
        match acc.step(&token).unwrap() {
            GssStep::Done(Some(rep)) => {
                assert!(matches!(ini.step(&rep).unwrap(), GssStep::Done(_)));
            }
            other => panic!("unexpected acceptor step {other:?}"),
        }
        (ini.into_session().unwrap(), acc.into_session().unwrap())
    }
}

fn bench_kerberos(c: &mut Criterion) {
    let msg = message();
    let mut g = c.benchmark_group("kerberos_100KiB");
    g.throughput(Throughput::Bytes(u64::try_from(SIZE).unwrap()));
    let (mut w, mut out) = (Wrapped::new(), Vec::with_capacity(SIZE));
    for (name, e) in [
        ("offline aes256 wrap+unwrap", Enctype::Aes256CtsHmacSha196),
        ("offline aes128 wrap+unwrap", Enctype::Aes128CtsHmacSha196),
        ("offline rc4-hmac wrap+unwrap", Enctype::Rc4Hmac),
    ] {
        let (mut tx, mut rx) = offline_pair(e);
        g.bench_function(name, |b| {
            b.iter(|| round(&mut tx, &mut rx, black_box(&msg), &mut w, &mut out))
        });
    }
    #[cfg(feature = "kerberos")]
    {
        let gss = Gss::start();
        let (mut tx, mut rx) = gss.pair();
        g.bench_function("gssapi aes256 wrap+unwrap", |b| {
            b.iter(|| round(&mut tx, &mut rx, black_box(&msg), &mut w, &mut out));
        });
    }
    g.finish();
}

/// Same-run baseline: our figures (best of 5 x n) and python-gssapi's, with the ratios.
fn ratio_vs_python_gssapi() {
    let mib = |s: f64| f64::from(u32::try_from(SIZE).unwrap()) / s / f64::from(1u32 << 20);
    let mut ours = Vec::new();
    for (name, e) in [
        ("offline aes256", Enctype::Aes256CtsHmacSha196),
        ("offline aes128", Enctype::Aes128CtsHmacSha196),
        ("offline rc4-hmac", Enctype::Rc4Hmac),
    ] {
        let (mut tx, mut rx) = offline_pair(e);
        ours.push((name, best(&mut tx, &mut rx, 100)));
    }
    #[cfg(feature = "kerberos")]
    let _gss = {
        let gss = Gss::start();
        let (mut tx, mut rx) = gss.pair();
        ours.push(("gssapi aes256", best(&mut tx, &mut rx, 50)));
        gss
    };
    for (name, s) in &ours {
        println!(
            "kerberos wrap+unwrap {SIZE} B: wsman-proto {name} {:.1} us/op ({:.0} MiB/s)",
            s * 1e6,
            mib(*s)
        );
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scripts/bench_python_kerberos.py"
    );
    let py = Command::new("python3")
        .arg(script)
        .args(["--size", &SIZE.to_string(), "--iterations", "50"])
        .output();
    match py {
        Ok(o) if o.status.success() => {
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("baseline json");
            for r in v["results"].as_array().expect("results") {
                let base = r["seconds_per_op"].as_f64().expect("seconds_per_op");
                println!(
                    "kerberos wrap+unwrap {SIZE} B: {} (enctype {}) {:.1} us/op ({:.0} MiB/s)",
                    r["version"],
                    v["enctype"],
                    base * 1e6,
                    mib(base)
                );
                for (name, s) in &ours {
                    println!("  ratio {name} vs {}: {:.2}x", r["impl"], base / s);
                }
            }
            println!("  targets: gssapi >= 1x python-gssapi; offline aes >= 3x python-gssapi");
        }
        Ok(o) => println!(
            "python-gssapi baseline failed: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => println!("python-gssapi baseline not run (python3: {e}); run scripts/setup.sh"),
    }
}

criterion_group!(benches, bench_kerberos);

fn main() {
    benches();
    ratio_vs_python_gssapi();
    Criterion::default().configure_from_args().final_summary();
}

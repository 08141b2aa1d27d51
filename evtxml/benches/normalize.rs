//! Parse + JSON throughput against a DOM baseline measured in the same run.
//!
//! Baseline: roxmltree parses the event, then serde_json serializes all System fields and the
//! Data items (a `serde_json::Value` built from the DOM), which runs at about the speed of
//! OpenWEC's own parser. Ours: `Normalizer::normalize` + the `canonical` or `ecs` profile into a
//! reused buffer.
//!
//! Sets: (a) Security logon events (4624, 4625, 4634, 4647, 4648, 4672, 4768, 4769, 4771,
//! 4776) of the shared corpus, (b) a mix of every corpus event (evtx-rendered bulk + wef-native).
//!
//! `cargo bench -p evtxml --bench normalize -- --warm-up-time 1 --measurement-time 3`
//!
//! On a loaded machine wall time is noisy; `EVTXML_COUNT=<set>/<variant>` (set `logon`/`mix`,
//! variant `none`/`baseline`/`parse`/`canonical`/`ecs`) runs one variant `EVTXML_COUNT_ITERS` (20)
//! times over the set without criterion, for instruction counting (`valgrind --tool=cachegrind
//! --cache-sim=no <bench binary>`, or `perf stat -e instructions:u`), minus the `none` run
//! (corpus loading), divided by iterations × the set size.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "benchmark setup")]

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group};
use evtxml::{Normalizer, Profile, render_normalized};
use serde_json::{Map, Value};
use testkit::shared::shared_path;

const EVENT_NS: &str = "http://schemas.microsoft.com/win/2004/08/events/event";
const LOGON_IDS: [&str; 10] = [
    "4624", "4625", "4634", "4647", "4648", "4672", "4768", "4769", "4771", "4776",
];

fn corpus() -> (Vec<String>, Vec<String>) {
    let mut logon = Vec::new();
    let mut mix = Vec::new();
    let bulk = shared_path("corpus/events/evtx-rendered/bulk");
    let mut files: Vec<_> = std::fs::read_dir(bulk)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        for line in std::fs::read_to_string(f).unwrap().lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            let xml = v.get("xml").and_then(Value::as_str).unwrap().to_owned();
            let id = v
                .get("event_id")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if v.get("channel").and_then(Value::as_str) == Some("Security")
                && LOGON_IDS.contains(&id)
            {
                logon.push(xml.clone());
            }
            mix.push(xml);
        }
    }
    let native = shared_path("corpus/events/wef-native/openwec");
    let mut stack = vec![native];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xml") {
                let xml = std::fs::read_to_string(&p).unwrap();
                if xml.contains("<EventID>4624<") || xml.contains("<EventID>4625<") {
                    logon.push(xml.clone());
                }
                mix.push(xml);
            }
        }
    }
    (logon, mix)
}

/// The DOM baseline: roxmltree + a serde_json object of all System fields and Data items.
fn baseline(xml: &str, out: &mut Vec<u8>) {
    let Ok(doc) = roxmltree::Document::parse(xml) else {
        return;
    };
    let root = doc.root_element();
    let mut system = Map::new();
    let mut data = Map::new();
    for child in root.children().filter(|n| n.is_element()) {
        match child.tag_name().name() {
            "System" => {
                for f in child.children().filter(|n| n.is_element()) {
                    let name = f.tag_name().name();
                    for a in f.attributes() {
                        system.insert(
                            format!("{name}.{}", a.name()),
                            Value::String(a.value().to_owned()),
                        );
                    }
                    if let Some(t) = f.text() {
                        let v = match t.parse::<u64>() {
                            Ok(n) => Value::from(n),
                            Err(_) => Value::String(t.to_owned()),
                        };
                        system.insert(name.to_owned(), v);
                    }
                }
            }
            "EventData" | "UserData" => {
                for (i, d) in child
                    .descendants()
                    .filter(|n| n.is_element())
                    .skip(1)
                    .enumerate()
                {
                    let key = d
                        .attribute("Name")
                        .map_or_else(|| format!("Data{i}"), str::to_owned);
                    data.insert(key, Value::String(d.text().unwrap_or_default().to_owned()));
                }
            }
            _ => {}
        }
    }
    assert!(root.tag_name().namespace() == Some(EVENT_NS) || root.tag_name().namespace().is_none());
    let mut obj = Map::new();
    obj.insert("System".into(), Value::Object(system));
    obj.insert("EventData".into(), Value::Object(data));
    serde_json::to_writer(&mut *out, &Value::Object(obj)).expect("serialize");
}

fn bench(c: &mut Criterion) {
    let (logon, mix) = corpus();
    assert!(logon.len() > 50, "{}", logon.len());
    for (set, events) in [("logon", &logon), ("mix", &mix)] {
        let bytes: usize = events.iter().map(String::len).sum();
        let mut g = c.benchmark_group(format!("normalize/{set}"));
        g.throughput(Throughput::Elements(u64::try_from(events.len()).unwrap()));
        let _ = bytes;
        g.bench_function("baseline_roxmltree_serde_json", |b| {
            let mut out = Vec::with_capacity(1 << 16);
            b.iter(|| {
                for e in events {
                    out.clear();
                    baseline(black_box(e), &mut out);
                    black_box(&out);
                }
            });
        });
        for profile in [Profile::Canonical, Profile::Ecs] {
            g.bench_function(format!("evtxml_{profile}"), |b| {
                let mut n = Normalizer::default();
                let mut out = Vec::with_capacity(1 << 16);
                b.iter(|| {
                    for e in events {
                        out.clear();
                        let normalized = n.normalize(black_box(e));
                        render_normalized(&normalized, profile, None, &mut out);
                        black_box(&out);
                    }
                });
            });
        }
        g.finish();
    }
}

/// Runs one variant a fixed number of times (see the module docs).
fn count(spec: &str) {
    let (logon, mix) = corpus();
    let (set, variant) = spec.split_once('/').expect("EVTXML_COUNT=<set>/<variant>");
    let events = if set == "logon" { &logon } else { &mix };
    let mut n = Normalizer::default();
    let mut out = Vec::with_capacity(1 << 16);
    let iters: usize = std::env::var("EVTXML_COUNT_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    for _ in 0..iters {
        for e in events {
            out.clear();
            match variant {
                "baseline" => baseline(black_box(e), &mut out),
                "parse" => {
                    black_box(n.normalize(black_box(e)));
                }
                "canonical" | "ecs" => {
                    let p = if variant == "ecs" {
                        Profile::Ecs
                    } else {
                        Profile::Canonical
                    };
                    render_normalized(&n.normalize(black_box(e)), p, None, &mut out);
                }
                _ => {}
            }
            black_box(&out);
        }
    }
    #[expect(clippy::print_stderr, reason = "benchmark helper output")]
    {
        eprintln!("{spec}: {} events x {iters}", events.len());
    }
}

/// Interleaved ratios: criterion measures the variants one after the other, several seconds
/// apart, so a change in machine load between them moves the ratio. Here each round times one
/// pass of the baseline and then of each profile over the same set, back to back (each after
/// an untimed warm-up pass), and the best pass of each over all rounds is kept (as `timeit`
/// does), then printed with the ratios. The target is at least 5x for both profiles on both sets.
#[expect(clippy::print_stdout, reason = "benchmark report")]
fn interleaved_ratios() {
    const ROUNDS: usize = 15;
    let (logon, mix) = corpus();
    for (set, events) in [("logon", &logon), ("mix", &mix)] {
        let mut out = Vec::with_capacity(1 << 16);
        let mut n = Normalizer::default();
        let mut best = [f64::INFINITY; 3];
        for _ in 0..ROUNDS {
            // Each variant: one untimed pass (caches and branch history warm for it, as
            // criterion's warm-up gives), then one timed pass.
            let mut t = Instant::now();
            for pass in 0..2 {
                if pass == 1 {
                    t = Instant::now();
                }
                for e in events {
                    out.clear();
                    baseline(black_box(e), &mut out);
                    black_box(&out);
                }
            }
            best[0] = best[0].min(t.elapsed().as_secs_f64());
            for (slot, profile) in [(1, Profile::Canonical), (2, Profile::Ecs)] {
                for pass in 0..2 {
                    if pass == 1 {
                        t = Instant::now();
                    }
                    for e in events {
                        out.clear();
                        render_normalized(&n.normalize(black_box(e)), profile, None, &mut out);
                        black_box(&out);
                    }
                }
                if let Some(b) = best.get_mut(slot) {
                    *b = b.min(t.elapsed().as_secs_f64());
                }
            }
        }
        let rate = |s: f64| f64::from(u32::try_from(events.len()).unwrap()) / s;
        println!(
            "interleaved {set:>5} ({} events, best of {ROUNDS}): baseline {:8.0} ev/s | canonical {:8.0} ev/s ({:.2}x) | ecs {:8.0} ev/s ({:.2}x)",
            events.len(),
            rate(best[0]),
            rate(best[1]),
            best[0] / best[1],
            rate(best[2]),
            best[0] / best[2],
        );
    }
}

criterion_group!(benches, bench);

fn main() {
    if let Ok(spec) = std::env::var("EVTXML_COUNT") {
        count(&spec);
        return;
    }
    benches();
    interleaved_ratios();
    Criterion::default().configure_from_args().final_summary();
}

//! Decoding a UTF-16 `Events` envelope near 500 KB (Windows' `MaxEnvelopeSize`) and iterating
//! its events — next to `evtxml` normalizing the same events in the same run (the baselines).
//! Target: the envelope layer costs at most 20% of the normalization of the same body.
//!
//! - `envelope_decode_iterate`: [`wire::decode`] (the fast path: payloads scanned in UTF-16,
//!   only the envelope around them transcoded and parsed), touching every event payload slice.
//! - `evtxml_normalize`: the strict baseline, evtxml normalizing the same events from UTF-8
//!   strings (already out of the envelope, already transcoded).
//! - `evtxml_normalize_from_wire`: what a collector does after the envelope layer: each
//!   UTF-16 payload slice transcoded ([`WireEvent::to_utf8`]) then normalized.
//! - `general_decode_iterate`: the general path on the same bytes (whole transcode, tree
//!   parse), with its breakdown `transcode_only` and `parse_iterate_only`.
//!
//! The batch is built from real Windows-rendered events (`../shared/corpus/events/wef-native`
//! and the events of the WEF capture), wrapped in CDATA as Windows sends them, with the
//! headers of the captured `Events` envelope.
//!
//! Run: `cargo bench -p wsman-proto --bench envelope -- --warm-up-time 1 --measurement-time 3`
//!
//! Instruction counts (deterministic on a shared machine): `WSMAN_COUNT=<variant>` (`none`,
//! `wire`, `general`, `evtxml`, `evtxml_from_wire`) runs one variant `WSMAN_COUNT_ITERS` (20)
//! times without criterion; run the bench binary under `valgrind --tool=cachegrind
//! --cache-sim=no`, subtract the `none` run (setup) and divide by the iterations.
#![expect(
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    reason = "bench setup: fixed inputs, failures abort the bench"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group};
use testkit::shared::{read_shared, shared_path};
use wsman_proto::charset::{self, Charset};
use wsman_proto::message::wire::{self, DecodePath, WireEvent, WireMessage};
use wsman_proto::message::{EventItem, Events, PayloadForm};
use wsman_proto::{Envelope, Limits, Message};

/// Real event XML documents.
fn real_events() -> Vec<String> {
    let mut out = Vec::new();
    let mut dirs = vec![shared_path("corpus/events/wef-native")];
    while let Some(d) = dirs.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().and_then(|e| e.to_str()) == Some("xml") {
                let s = std::fs::read_to_string(&p).unwrap();
                let s = s.trim().trim_start_matches('\u{feff}');
                if s.starts_with("<Event") && !s.contains("]]>") {
                    out.push(s.to_owned());
                }
            }
        }
    }
    // The events of the captured batch, too.
    let cap = String::from_utf8(read_shared(
        "corpus/wsman/wef-openwec-capture/06-events.doc-verbatim.xml",
    ))
    .unwrap();
    let env = Envelope::parse(&cap, &Limits::default()).unwrap();
    if let Message::Events(b) = Message::from_envelope(&env, &Limits::default()).unwrap() {
        out.extend(b.items.iter().map(|e| e.xml.to_string()));
    }
    out
}

/// A UTF-16LE (BOM) `Events` envelope just under `target` bytes, and its event count.
fn build_batch(target: usize) -> (Vec<u8>, usize) {
    let cap = String::from_utf8(read_shared(
        "corpus/wsman/wef-openwec-capture/06-events.doc-verbatim.xml",
    ))
    .unwrap();
    let env = Envelope::parse(&cap, &Limits::default()).unwrap();
    let headers = env.headers.clone();
    let events = real_events();
    let mut items = Vec::new();
    let mut size = 0usize;
    for ev in events.iter().cycle() {
        // UTF-16: two bytes per UTF-16 unit, plus the w:Event wrapper.
        let cost = (ev.encode_utf16().count() + 120) * 2;
        if size + cost + 6_000 > target {
            break;
        }
        size += cost;
        items.push(EventItem {
            action: Some(wsman_proto::Action::EVENT.0),
            xml: ev.as_str().into(),
            form: PayloadForm::Cdata,
        });
    }
    let n = items.len();
    let mut xml = String::new();
    Message::Events(Events { items }).render(&headers, &mut xml);
    let mut bytes = Vec::new();
    charset::encode(&xml, Charset::Utf16Le, true, &mut bytes);
    (bytes, n)
}

const CT: Option<&str> = Some("application/soap+xml;charset=UTF-16");

/// The envelope layer, fast path: decode, then touch every payload slice.
fn wire_iterate(body: &[u8], limits: &Limits, scratch: &mut wire::Scratch, n: usize) -> usize {
    let d = wire::decode(black_box(body), CT, limits, scratch).unwrap();
    assert_eq!(d.path, DecodePath::Fast);
    let WireMessage::Events(batch) = &d.message else {
        unreachable!()
    };
    let mut total = 0usize;
    for ev in &batch.items {
        total += black_box(ev.raw()).len();
    }
    assert_eq!(batch.items.len(), n);
    total
}

/// The general path: whole transcode, tree parse, then touch every event text.
fn general_iterate(body: &[u8], limits: &Limits, scratch: &mut String, n: usize) -> usize {
    let d = charset::decode(black_box(body), CT, limits, scratch).unwrap();
    let env = Envelope::parse(d.text, limits).unwrap();
    let Message::Events(batch) = Message::from_envelope(&env, limits).unwrap() else {
        unreachable!()
    };
    let mut total = 0usize;
    for ev in &batch.items {
        total += black_box(ev.xml.as_ref()).len();
    }
    assert_eq!(batch.items.len(), n);
    total
}

/// Strict baseline: evtxml normalizing the events from UTF-8 strings.
fn normalize_strings(normalizer: &mut evtxml::Normalizer, events: &[String]) -> usize {
    let mut parsed = 0usize;
    for ev in events {
        if normalizer.normalize(black_box(ev)).event().is_some() {
            parsed += 1;
        }
    }
    parsed
}

/// Collector baseline: each UTF-16 payload slice transcoded, then normalized.
fn normalize_from_wire(
    normalizer: &mut evtxml::Normalizer,
    events: &[WireEvent<'_>],
    text: &mut String,
) -> usize {
    let mut parsed = 0usize;
    for ev in events {
        let xml = black_box(ev).to_utf8(text);
        if normalizer.normalize(xml).event().is_some() {
            parsed += 1;
        }
    }
    parsed
}

/// The batch, its event count, and its events as UTF-8 strings (through the general path).
fn setup() -> (Vec<u8>, usize, Vec<String>) {
    let (body, n) = build_batch(500_000);
    assert!(
        body.len() <= 512_000 && body.len() > 450_000,
        "{}",
        body.len()
    );
    let mut scratch = String::new();
    let limits = Limits::default();
    let d = charset::decode(&body, None, &limits, &mut scratch).unwrap();
    let env = Envelope::parse(d.text, &limits).unwrap();
    let Message::Events(batch) = Message::from_envelope(&env, &limits).unwrap() else {
        unreachable!()
    };
    let events = batch.items.iter().map(|e| e.xml.to_string()).collect();
    (body, n, events)
}

fn bench(c: &mut Criterion) {
    let (body, n, events) = setup();
    let limits = Limits::default();
    let mut g = c.benchmark_group("events_500k_utf16");
    g.throughput(Throughput::Bytes(u64::try_from(body.len()).unwrap()));
    let mut wire_scratch = wire::Scratch::new();
    g.bench_function(format!("envelope_decode_iterate/{n}_events"), |b| {
        b.iter(|| wire_iterate(&body, &limits, &mut wire_scratch, n));
    });
    let mut scratch = String::with_capacity(body.len());
    g.bench_function(format!("general_decode_iterate/{n}_events"), |b| {
        b.iter(|| general_iterate(&body, &limits, &mut scratch, n));
    });
    let mut normalizer = evtxml::Normalizer::new(evtxml::Limits::default());
    g.bench_function(format!("evtxml_normalize/{n}_events"), |b| {
        b.iter(|| normalize_strings(&mut normalizer, &events));
    });
    let mut decode_scratch = wire::Scratch::new();
    let decoded = wire::decode(&body, None, &limits, &mut decode_scratch).unwrap();
    let WireMessage::Events(batch) = &decoded.message else {
        unreachable!()
    };
    let wire_events: &[WireEvent<'_>] = &batch.items;
    assert_eq!(wire_events.len(), events.len());
    let mut text = String::new();
    for (w, e) in wire_events.iter().zip(&events) {
        assert_eq!(w.to_utf8(&mut text), e, "fast and general paths agree");
    }
    g.bench_function(format!("evtxml_normalize_from_wire/{n}_events"), |b| {
        b.iter(|| normalize_from_wire(&mut normalizer, wire_events, &mut text));
    });
    // Breakdown of the general path: the transcode alone, and the parse of the text.
    g.bench_function("transcode_only", |b| {
        b.iter(|| {
            charset::decode(black_box(&body), None, &limits, &mut scratch)
                .unwrap()
                .text
                .len()
        });
    });
    let d = charset::decode(&body, None, &limits, &mut text).unwrap();
    let text = d.text.to_owned();
    g.bench_function("parse_iterate_only", |b| {
        b.iter(|| {
            let env = Envelope::parse(black_box(&text), &limits).unwrap();
            let Message::Events(batch) = Message::from_envelope(&env, &limits).unwrap() else {
                unreachable!()
            };
            batch.items.iter().map(|e| e.xml.len()).sum::<usize>()
        });
    });
    g.finish();
}

/// Runs one variant `WSMAN_COUNT_ITERS` (20) times without criterion (see the module docs).
fn count(variant: &str) {
    let (body, n, events) = setup();
    let limits = Limits::default();
    let iters: usize = std::env::var("WSMAN_COUNT_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let mut wire_scratch = wire::Scratch::new();
    let mut scratch = String::new();
    let mut text = String::new();
    let mut normalizer = evtxml::Normalizer::new(evtxml::Limits::default());
    let mut decode_scratch = wire::Scratch::new();
    let decoded = wire::decode(&body, None, &limits, &mut decode_scratch).unwrap();
    let WireMessage::Events(batch) = &decoded.message else {
        unreachable!()
    };
    for _ in 0..iters {
        black_box(match variant {
            "wire" => wire_iterate(&body, &limits, &mut wire_scratch, n),
            "general" => general_iterate(&body, &limits, &mut scratch, n),
            "evtxml" => normalize_strings(&mut normalizer, &events),
            "evtxml_from_wire" => normalize_from_wire(&mut normalizer, &batch.items, &mut text),
            _ => 0,
        });
    }
    #[expect(clippy::print_stderr, reason = "benchmark helper output")]
    {
        eprintln!("{variant}: {n} events x {iters}");
    }
}

criterion_group!(benches, bench);

fn main() {
    if let Ok(variant) = std::env::var("WSMAN_COUNT") {
        count(&variant);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}

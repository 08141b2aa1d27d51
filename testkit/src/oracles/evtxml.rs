//! Fuzz oracles for `evtxml`.
//!
//! Each checks, on arbitrary bytes, that nothing panics, that every profile writes one valid
//! JSON object, and that the `canonical` profile reads back into the same record. A broken
//! invariant panics: that is how an oracle reports to the fuzzer.
#![expect(
    clippy::panic,
    clippy::expect_used,
    reason = "fuzz oracles report broken invariants by panicking"
)]

use evtxml::{Charset, Limits, Normalizer, Profile, read_canonical, render, render_normalized};

/// Small limits, so that the fuzzer reaches the limit paths too.
const TIGHT: Limits = Limits {
    max_event_bytes: 4096,
    max_depth: 8,
    max_items: 32,
    max_text_bytes: 256,
    max_attributes: 4,
};

fn check_json(bytes: &[u8]) {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(v) => assert!(v.is_object(), "a profile wrote a non-object"),
        Err(e) => panic!("a profile wrote invalid json: {e}"),
    }
}

fn normalize_all(text: &str, n: &mut Normalizer, out: &mut Vec<u8>) {
    let normalized = n.normalize(text);
    for p in Profile::ALL {
        out.clear();
        render_normalized(&normalized, p, None, out);
        check_json(out);
    }
    if let Some(event) = normalized.event() {
        out.clear();
        render(event, Profile::Canonical, None, out);
        let json = std::str::from_utf8(out).expect("json output is UTF-8");
        let back = read_canonical(json).expect("canonical output reads back");
        assert_eq!(&back, event, "canonical round trip changed the record");
    }
}

/// `fuzz_targets/evtxml_normalize.rs`: one event document in any encoding.
pub fn evtxml_normalize(data: &[u8]) {
    let mut scratch = String::new();
    let Ok(text) = evtxml::to_utf8(data, Charset::Auto, &mut scratch) else {
        return;
    };
    let mut out = Vec::new();
    normalize_all(text, &mut Normalizer::default(), &mut out);
    normalize_all(text, &mut Normalizer::new(TIGHT), &mut out);
}

/// `fuzz_targets/evtxml_body.rs`: a WS-Management `Events` body; every item is normalized.
pub fn evtxml_body(data: &[u8]) {
    let mut scratch = String::new();
    let Ok(text) = evtxml::to_utf8(data, Charset::Auto, &mut scratch) else {
        return;
    };
    let mut n = Normalizer::default();
    let mut out = Vec::new();
    for item in evtxml::events_in_body_with(text, &TIGHT).flatten() {
        normalize_all(&item.xml, &mut n, &mut out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::{read_shared, shared_path};

    #[test]
    fn oracles_accept_the_corpus() {
        let dir = shared_path("corpus/events/wef-native/openwec/event-parser-tests/malformed");
        for e in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(e.unwrap().path()).unwrap();
            evtxml_normalize(&bytes);
            // Every prefix of a malformed event (the truncation Windows produces).
            for cut in (0..bytes.len()).step_by(37) {
                evtxml_normalize(&bytes[..cut]);
            }
        }
        evtxml_body(&read_shared(
            "corpus/wsman/wef-openwec-capture/06-events.doc-verbatim.xml",
        ));
        evtxml_body(&read_shared(
            "corpus/wsman/wef-openwec-capture/04-heartbeat.exact.utf16le.bin",
        ));
    }
}

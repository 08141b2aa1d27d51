//! The `openwec` profile reproduces OpenWEC's own `Json` outputs (the `*.expected.openwec-json.json`
//! files of the shared corpus), metadata block included.
#![expect(
    clippy::indexing_slicing,
    reason = "serde_json::Value indexing in a test helper"
)]

use evtxml::{Metadata, Normalized, Normalizer, Profile, render_normalized};
use serde_json::Value;
use testkit::shared::shared_path;

fn s(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// The metadata OpenWEC's test passed to its formatter: the `test-inputs` file, plus the
/// subscription fields it does not list (version, URI, revisions), which are host-supplied
/// strings copied through unchanged and therefore taken from the expected output itself.
fn metadata(inputs: &Value, expected: &Value) -> Metadata {
    let sub = &expected["OpenWEC"]["Subscription"];
    Metadata {
        peer_addr: s(&inputs["peer_addr"]),
        principal: s(&inputs["principal"]),
        client: None,
        node: s(&inputs["node_name"]),
        subscription_name: s(&inputs["subscription_name"]),
        subscription_uuid: s(&inputs["subscription_uuid"]),
        subscription_version: s(&sub["Version"]),
        subscription_uri: s(&sub["Uri"]),
        client_revision: s(&sub["ClientRevision"]),
        server_revision: s(&sub["ServerRevision"]),
        time_received: s(&inputs["time_received"]),
    }
}

#[test]
fn matches_openwec_expected_outputs() {
    let dir = shared_path("corpus/events/wef-native/openwec/openwec-json");
    let mut checked = 0;
    let mut n = Normalizer::default();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".expected.openwec-json.json") else {
            continue;
        };
        let expected: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let inputs: Value = serde_json::from_slice(
            &std::fs::read(dir.join(format!("{stem}.test-inputs.json"))).unwrap(),
        )
        .unwrap();
        let xml = std::fs::read_to_string(dir.join(format!("{stem}.xml"))).unwrap();
        let meta = metadata(&inputs, &expected);
        let normalized = n.normalize(&xml);
        assert!(!matches!(normalized, Normalized::RawOnly { .. }), "{stem}");
        let mut out = Vec::new();
        render_normalized(&normalized, Profile::Openwec, Some(&meta), &mut out);
        let got: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(got, expected, "{stem}\n{}", String::from_utf8_lossy(&out));
        checked += 1;
    }
    assert_eq!(checked, 6);
}

#[test]
fn without_metadata_there_is_no_openwec_block() {
    let dir = shared_path("corpus/events/wef-native/openwec/openwec-json");
    let xml = std::fs::read_to_string(dir.join("event_4688.xml")).unwrap();
    let event = evtxml::parse_event(&xml, &evtxml::Limits::default()).unwrap();
    let mut out = Vec::new();
    evtxml::render(&event, Profile::Openwec, None, &mut out);
    let got: Value = serde_json::from_slice(&out).unwrap();
    assert!(got.get("OpenWEC").is_none());
    assert_eq!(got["EventData"]["CommandLine"], "");
}

#[test]
fn unparseable_events_keep_their_content_in_the_error_block() {
    let path = shared_path(
        "corpus/events/wef-native/openwec/event-parser-tests/malformed/unrecoverable_2.xml",
    );
    let xml = std::fs::read_to_string(path).unwrap();
    let mut n = Normalizer::default();
    let out = n.normalize(&xml);
    let mut buf = Vec::new();
    render_normalized(&out, Profile::Openwec, None, &mut buf);
    let got: Value = serde_json::from_slice(&buf).unwrap();
    assert_eq!(got["OpenWEC"]["Error"]["OriginalContent"], xml.as_str());
    assert_eq!(got["OpenWEC"]["Error"]["Type"], "FailedToRecoverRawContent");
}

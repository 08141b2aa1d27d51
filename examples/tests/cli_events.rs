//! `wefkit events normalize`, run as a program against the shared corpus.
#![expect(clippy::unwrap_used, reason = "test helpers outside #[test] functions")]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use testkit::shared::{read_shared, shared_path};

fn wefkit(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wefkit"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn openwec_profile_with_metadata() {
    let path = shared_path("corpus/events/wef-native/openwec/openwec-json/event_4688.xml");
    let out = wefkit(
        &[
            "events",
            "normalize",
            "--profile",
            "openwec",
            "--meta-ip",
            "192.168.58.100:5985",
            "--meta-identity",
            "WIN10$@WINDOMAIN.LOCAL",
            "--meta-subscription",
            "Test",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success());
    let v = lines(&out);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["System"]["EventID"], 4688);
    assert_eq!(v[0]["OpenWEC"]["IpAddress"], "192.168.58.100");
    assert_eq!(v[0]["OpenWEC"]["Principal"], "WIN10$@WINDOMAIN.LOCAL");
    assert_eq!(v[0]["OpenWEC"]["Subscription"]["Name"], "Test");
}

#[test]
fn jsonl_input_one_line_per_event_in_order() {
    let rel = "corpus/events/evtx-rendered/bulk/EVTX-ATTACK-SAMPLES.part01.jsonl";
    let input = String::from_utf8(read_shared(rel)).unwrap();
    let expected: Vec<Value> = input
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for profile in ["canonical", "openwec", "nxlog", "ecs", "flat"] {
        let out = wefkit(
            &[
                "events",
                "normalize",
                "--profile",
                profile,
                "--input",
                "jsonl",
                "-",
            ],
            Some(input.as_bytes()),
        );
        assert!(out.status.success(), "{profile}");
        let got = lines(&out);
        assert_eq!(got.len(), expected.len(), "{profile}");
        if profile == "canonical" {
            for (g, e) in got.iter().zip(&expected) {
                let id = g["System"]["EventID"].to_string();
                match e["event_id"].as_str() {
                    Some(want) => assert_eq!(id.trim_matches('"'), want),
                    None => assert_eq!(g["Normalization"]["Status"], "recovered"),
                }
            }
        }
    }
}

/// The 21 events Windows sent in the documented batch, wrapped in an `Events` envelope the way
/// Windows does (CDATA items) and encoded as UTF-16LE with a BOM.
fn utf16_envelope() -> Vec<u8> {
    let dir = shared_path("corpus/events/wef-native/openwec/protocol-doc-events-batch");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let mut body = String::from(
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" \
         xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\"><s:Header/><s:Body><w:Events>",
    );
    for p in names {
        body.push_str(
            "<w:Event Action=\"http://schemas.dmtf.org/wbem/wsman/1/wsman/Event\"><![CDATA[",
        );
        body.push_str(&std::fs::read_to_string(p).unwrap());
        body.push_str("]]></w:Event>");
    }
    body.push_str("</w:Events></s:Body></s:Envelope>");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(body.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

#[test]
fn utf16_envelope_auto_detected() {
    let out = wefkit(
        &["events", "normalize", "--profile", "flat"],
        Some(&utf16_envelope()),
    );
    assert!(out.status.success());
    let v = lines(&out);
    assert_eq!(v.len(), 21);
    for (i, line) in v.iter().enumerate() {
        assert_eq!(line["EventRecordID"], 149_141 + i, "{line}");
        assert_eq!(line["Channel"], "Microsoft-Windows-WinRM/Operational");
    }
    let out = wefkit(
        &["events", "normalize", "--input", "envelope", "-"],
        Some(&utf16_envelope()),
    );
    assert_eq!(lines(&out).len(), 21);
}

#[test]
fn documentation_artifacts_still_yield_one_line_each() {
    // The documentation printed `\'` for quotes: the events are not well-formed, and each
    // still yields its line, with the reason.
    let body = read_shared("corpus/wsman/wef-openwec-capture/06-events.doc-verbatim.xml");
    let out = wefkit(&["events", "normalize", "--profile", "flat"], Some(&body));
    assert!(out.status.success());
    let v = lines(&out);
    assert_eq!(v.len(), 21);
    for line in &v {
        assert_eq!(line["Normalization_Status"], "raw_only", "{line}");
    }
}

#[test]
fn unparseable_event_still_yields_a_line() {
    let path = shared_path(
        "corpus/events/wef-native/openwec/event-parser-tests/malformed/unrecoverable_2.xml",
    );
    let out = wefkit(&["events", "normalize", path.to_str().unwrap()], None);
    assert!(out.status.success());
    let v = lines(&out);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["Normalization"]["Status"], "raw_only");
    assert!(
        v[0]["Normalization"]["Error"]["Message"]
            .as_str()
            .unwrap()
            .contains("truncated")
    );
    let path = shared_path(
        "corpus/events/wef-native/openwec/event-parser-tests/malformed/raw_content_recovered.xml",
    );
    let out = wefkit(&["events", "normalize", path.to_str().unwrap()], None);
    let v = lines(&out);
    assert_eq!(v[0]["Normalization"]["Status"], "recovered");
    assert_eq!(v[0]["System"]["EventID"], 4798);
}

#[test]
fn unreadable_input_fails() {
    let out = wefkit(&["events", "normalize", "/nonexistent/wefkit-input"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_jsonl_lines_keep_their_place() {
    let input = "{\"xml\":\"<Event><System><EventID>1</EventID></System></Event>\"}\nnot json\n{\"no\":1}\n";
    let out = wefkit(
        &["events", "normalize", "--input", "jsonl"],
        Some(input.as_bytes()),
    );
    assert!(out.status.success());
    let v = lines(&out);
    assert_eq!(v.len(), 3);
    assert_eq!(v[0]["System"]["EventID"], 1);
    assert_eq!(v[1]["Raw"], "not json");
    assert_eq!(v[2]["Normalization"]["Status"], "raw_only");
}

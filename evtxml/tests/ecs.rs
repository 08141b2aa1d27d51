//! The `ecs` profile on the real events of the shared corpus: every event renders as valid JSON
//! with unique keys; Security events carry the Winlogbeat Security-module enrichments, checked
//! against values read by independent parsers (roxmltree, and the `evtx` crate's JSON for the
//! edge cases); snapshots of representative events.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::string_slice,
    reason = "test code: helpers outside #[test] functions fail loudly on a broken corpus"
)]

mod security_support;

use evtxml::security::{SECURITY_AUDITING_PROVIDER, logon_type_name};
use evtxml::{Limits, Metadata, Normalized, Normalizer, Profile, parse_event};
use security_support::{corpus_events, dom, parse_strict, pretty};
use serde_json::{Value, json};

fn ecs(xml: &str, meta: Option<&Metadata>) -> (Vec<u8>, Value) {
    let mut n = Normalizer::default();
    let normalized = n.normalize(xml);
    let mut out = Vec::new();
    evtxml::render_normalized(&normalized, Profile::Ecs, meta, &mut out);
    let v = parse_strict(&out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)));
    (out, v)
}

fn shared_text(rel: &str) -> String {
    String::from_utf8(testkit::shared::read_shared(rel)).unwrap()
}

fn bulk(pred: impl Fn(&str) -> bool) -> String {
    corpus_events()
        .into_iter()
        .find(|e| e.origin.contains(".jsonl:") && pred(&e.xml))
        .map(|e| e.xml)
        .expect("no such event in the corpus")
}

fn meta() -> Metadata {
    Metadata {
        peer_addr: Some("192.168.58.100:5985".into()),
        principal: Some("WIN10$@WINDOMAIN.LOCAL".into()),
        node: Some("collector-1".into()),
        subscription_name: Some("Security".into()),
        subscription_uuid: Some("6a5f2d8e-2f8c-4a4b-9f58-3f0a9d2c1b7e".into()),
        time_received: Some("2022-12-14T17:07:03.324+01:00".into()),
        ..Default::default()
    }
}

/// Every event of the corpus (malformed ones included) renders one valid JSON object with unique
/// keys and the generic fields; every `EventData` item is in `winlog.event_data` verbatim, as
/// roxmltree reads it.
#[test]
fn every_corpus_event_renders() {
    let mut n = Normalizer::default();
    let mut rendered = 0;
    let mut security = 0;
    for ev in corpus_events() {
        let o = &ev.origin;
        let normalized = n.normalize(&ev.xml);
        let mut out = Vec::new();
        evtxml::render_normalized(&normalized, Profile::Ecs, Some(&meta()), &mut out);
        let v = parse_strict(&out).unwrap_or_else(|e| panic!("{o}: {e}"));
        rendered += 1;
        assert_eq!(v["ecs"]["version"], "8.11.0", "{o}");
        assert_eq!(v["labels"]["wef_subscription_name"], "Security", "{o}");
        assert_eq!(v["log"]["source"]["address"], "192.168.58.100:5985", "{o}");
        assert_eq!(
            v["event"]["created"], "2022-12-14T17:07:03.324+01:00",
            "{o}"
        );
        let Some(event) = normalized.event() else {
            assert_eq!(v["event"]["kind"], "pipeline_error", "{o}");
            assert_eq!(v["event"]["original"], ev.xml.as_str(), "{o}");
            continue;
        };
        assert_eq!(v["event"]["kind"], "event", "{o}");
        if let Some(id) = event.system.event_id.as_ref() {
            assert_eq!(v["event"]["code"], &*id.raw, "{o}");
            assert_eq!(v["winlog"]["event_id"], &*id.raw, "{o}");
        }
        if let Some(c) = event.computer() {
            assert_eq!(v["host"]["name"], c, "{o}");
        }
        if let Some(d) = dom(&ev.xml) {
            let data = &v["winlog"]["event_data"];
            for (i, (name, value)) in d.data.iter().enumerate() {
                let key = name.clone().unwrap_or_else(|| format!("param{}", i + 1));
                let got = &data[&key];
                // roxmltree applies XML's end-of-line normalization (CR LF and CR to LF);
                // evtxml keeps the CR LF Windows wrote.
                let same = |x: &Value| {
                    x.as_str()
                        .is_some_and(|x| x.replace("\r\n", "\n").replace('\r', "\n") == *value)
                };
                let ok = same(got) || got.as_array().is_some_and(|a| a.iter().any(same));
                assert!(ok, "{o}: event_data.{key} = {got}, expected {value:?}");
            }
            if d.provider.eq_ignore_ascii_case(SECURITY_AUDITING_PROVIDER) {
                security += 1;
                assert_eq!(v["event"]["module"], "security", "{o}");
                check_security_enrichments(o, &d, &v);
            }
        }
        // The evtx crate's own JSON of the same record (edge cases): same EventData values.
        if let Some(rs) = &ev.evtx_rs {
            if let Some(Value::Object(m)) = rs["Event"].get("EventData") {
                for (k, x) in m {
                    if k.starts_with('#') || matches!(k.as_str(), "Data" | "Binary") {
                        continue;
                    }
                    if k.starts_with("ComplexData") {
                        // evtx renders `<ComplexData Name="IdleState">01</ComplexData>` as an
                        // object; ecs keys it by its Name.
                        let name = x["#attributes"]["Name"].as_str().unwrap();
                        let text = x.get("#text").and_then(Value::as_str).unwrap_or("");
                        assert_eq!(v["winlog"]["event_data"][name], text, "{o}: {k}");
                        continue;
                    }
                    let got = &v["winlog"]["event_data"][k];
                    let want = match x {
                        Value::String(s) => s.clone(),
                        Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    let ok = got == want.as_str()
                        || got
                            .as_array()
                            .is_some_and(|a| a.iter().any(|y| y == want.as_str()))
                        || x.is_array();
                    assert!(ok, "{o}: {k}: {got} vs evtx {x}");
                }
            }
        }
    }
    assert!(rendered > 3800, "{rendered}");
    assert!(security > 700, "{security}");
}

/// The Security-module enrichments of one Security-Auditing event, from roxmltree's reading.
fn check_security_enrichments(o: &str, d: &security_support::DomEvent, v: &Value) {
    let logon_type = d
        .value("LogonType")
        .and_then(|t| t.parse().ok())
        .and_then(logon_type_name);
    assert_eq!(v["winlog"]["logon"]["type"].as_str(), logon_type, "{o}");
    let pid = if d.event_id == 4688 {
        d.value("NewProcessId")
    } else {
        d.value("ProcessId")
    };
    // Hexadecimal in logon and process events (`0x1d0`), decimal in some others (5158).
    let pid = pid.map(|p| match p.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).unwrap(),
        None => p.parse().unwrap(),
    });
    assert_eq!(
        v["process"]["pid"].as_u64(),
        pid,
        "{o}: ProcessId as a number"
    );
    if let Some(ip) = d.value("IpAddress") {
        let ip = ip.strip_prefix("::ffff:").unwrap_or(ip);
        assert_eq!(v["source"]["ip"], ip, "{o}");
        assert_eq!(v["related"]["ip"], json!([ip]), "{o}");
    } else {
        assert!(v.get("source").and_then(|s| s.get("ip")).is_none(), "{o}");
    }
    if let Some(port) = d.value("IpPort") {
        assert_eq!(v["source"]["port"].as_u64(), port.parse().ok(), "{o}");
    }
    match d.event_id {
        4624 | 4625 | 4634 | 4647 | 4768 | 4771 | 4776 => {
            let name = d.value("TargetUserName");
            let name = name.map(|n| n.split_once('@').map_or(n, |(u, _)| u));
            assert_eq!(v["user"]["name"].as_str(), name, "{o}");
            if let Some(n) = name {
                assert!(
                    v["related"]["user"].as_array().unwrap().contains(&json!(n)),
                    "{o}"
                );
            }
        }
        4672 | 4688 | 4720 | 4722 | 4738 => {
            assert_eq!(
                v["user"]["name"].as_str(),
                d.value("SubjectUserName"),
                "{o}"
            );
        }
        _ => {}
    }
    let (action, outcome) = match d.event_id {
        4624 => ("logged-in", Some("success")),
        4625 => ("logon-failed", Some("failure")),
        4634 | 4647 => ("logged-out", Some("success")),
        4648 => ("logged-in-explicit", Some("success")),
        4672 => ("logged-in-special", Some("success")),
        4688 => ("created-process", Some("success")),
        4720 => ("added-user-account", None),
        4722 => ("enabled-user-account", None),
        4738 => ("modified-user-account", None),
        4768 => ("kerberos-authentication-ticket-requested", None),
        4769 => ("kerberos-service-ticket-requested", None),
        4771 => ("kerberos-preauth-failed", Some("failure")),
        4776 => ("credential-validated", None),
        _ => return,
    };
    assert_eq!(v["event"]["action"], action, "{o}");
    if let Some(outcome) = outcome {
        assert_eq!(v["event"]["outcome"], outcome, "{o}");
    }
    if matches!(d.event_id, 4768 | 4769 | 4776) {
        // Status 0 is a success, anything else a failure (the keywords agree in the corpus).
        let ok = d.value("Status").is_some_and(|s| s == "0x0");
        let want = if ok { "success" } else { "failure" };
        assert_eq!(v["event"]["outcome"], want, "{o}");
        assert_eq!(
            v["winlog"]["logon"]["failure"]["status"].is_string(),
            !ok,
            "{o}"
        );
    }
}

#[test]
fn failed_logon_enrichments() {
    let xml = bulk(|x| x.contains(">4625</EventID>") && x.contains(">49219</Data>"));
    let (_, v) = ecs(&xml, None);
    assert_eq!(v["event"]["action"], "logon-failed");
    assert_eq!(v["event"]["category"], json!(["authentication"]));
    assert_eq!(v["event"]["type"], json!(["start"]));
    assert_eq!(v["event"]["outcome"], "failure");
    assert_eq!(
        v["winlog"]["logon"],
        json!({
            "type": "Network",
            "failure": {
                "status": "This is either due to a bad username or authentication information",
                "sub_status": "User logon with misspelled or bad password",
                "reason": "Unknown user name or bad password."
            }
        })
    );
    assert_eq!(
        v["source"],
        json!({"ip": "192.168.198.149", "port": 49219, "domain": "j19XhmSXK526I8kf"})
    );
    assert_eq!(
        v["user"],
        json!({"name": "Administrator", "domain": ".", "id": "S-1-0-0"})
    );
    assert_eq!(v["process"], json!({"pid": 0}));
    assert_eq!(
        v["winlog"]["event_data"]["FailureReason"], "%%2313",
        "kept verbatim"
    );
    assert_eq!(v["winlog"]["keywords"], json!(["Audit Failure"]));
}

#[test]
fn kerberos_service_ticket_with_mapped_ipv4() {
    let xml = bulk(|x| x.contains(">4769</EventID>") && x.contains("::ffff:172.16.66.19"));
    let (_, v) = ecs(&xml, None);
    assert_eq!(v["event"]["action"], "kerberos-service-ticket-requested");
    assert_eq!(v["event"]["outcome"], "success");
    assert_eq!(v["source"]["ip"], "172.16.66.19");
    assert_eq!(v["source"]["port"], 50612);
    assert_eq!(v["user"]["name"], "lgrove");
    assert_eq!(v["user"]["domain"], "THREEBEESCO.COM");
    assert_eq!(
        v["winlog"]["event_data"]["IpAddress"],
        "::ffff:172.16.66.19"
    );
}

#[test]
fn kerberos_preauth_failure() {
    let xml = bulk(|x| x.contains(">4771</EventID>") && x.contains("55967"));
    let (_, v) = ecs(&xml, None);
    assert_eq!(v["event"]["action"], "kerberos-preauth-failed");
    assert_eq!(v["event"]["outcome"], "failure");
    assert_eq!(
        v["winlog"]["logon"]["failure"]["status"],
        "Pre-authentication information was invalid"
    );
    assert_eq!(
        v["user"]["id"],
        "S-1-5-21-308926384-506822093-3341789130-500"
    );
}

#[test]
fn audit_log_cleared_user_data() {
    let xml = bulk(|x| x.contains(">1102</EventID>") && x.contains("LogFileCleared"));
    let (_, v) = ecs(&xml, None);
    assert_eq!(v["event"]["action"], "audit-log-cleared");
    assert_eq!(v["event"]["category"], json!(["iam"]));
    assert_eq!(v["event"]["type"], json!(["admin", "change"]));
    assert_eq!(v["event"]["module"], "security");
    let ud = &v["winlog"]["user_data"];
    assert_eq!(ud["xml_name"], "LogFileCleared");
    assert!(ud["SubjectUserName"].is_string());
    assert_eq!(v["user"]["name"], ud["SubjectUserName"]);
    assert_eq!(v["user"]["id"], ud["SubjectUserSid"]);
}

#[test]
fn process_creation_from_wef() {
    let xml = shared_text("corpus/events/wef-native/openwec/openwec-json/event_4688.xml");
    let (_, v) = ecs(&xml, None);
    assert_eq!(v["event"]["action"], "created-process");
    assert_eq!(v["event"]["category"], json!(["process"]));
    assert_eq!(
        v["process"],
        json!({
            "pid": 0x3a8,
            "executable": r"C:\Program Files (x86)\Microsoft\EdgeUpdate\MicrosoftEdgeUpdate.exe",
            "name": "MicrosoftEdgeUpdate.exe",
            "parent": {
                "pid": 0x240,
                "executable": r"C:\Windows\System32\services.exe",
                "name": "services.exe"
            }
        })
    );
    assert_eq!(
        v["user"],
        json!({"name": "WIN10$", "domain": "WINDOMAIN", "id": "S-1-5-18"})
    );
    assert_eq!(v["winlog"]["task"], "Process Creation");
    assert_eq!(v["winlog"]["opcode"], "Info");
    assert_eq!(v["winlog"]["keywords"], json!(["Audit Success"]));
    assert_eq!(v["log"]["level"], "information");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with("A new process has been created.")
    );
    assert_eq!(v["winlog"]["logon"]["id"], "0x3e7");
}

#[test]
fn same_id_from_another_provider_is_generic() {
    let xml =
        bulk(|x| x.contains(">4625</EventID>") && x.contains("Microsoft-Windows-EventSystem"));
    let (_, v) = ecs(&xml, None);
    assert_eq!(v["event"]["code"], "4625");
    assert!(v["event"].get("action").is_none());
    assert!(v["event"].get("module").is_none());
    assert!(v["winlog"].get("logon").is_none());
    assert!(v.get("user").is_none());
}

#[test]
fn raw_only_record_keeps_metadata() {
    let xml = shared_text(
        "corpus/events/wef-native/openwec/event-parser-tests/malformed/unrecoverable_2.xml",
    );
    let mut n = Normalizer::default();
    let normalized = n.normalize(&xml);
    assert!(matches!(normalized, Normalized::RawOnly { .. }));
    let (_, v) = ecs(&xml, Some(&meta()));
    assert_eq!(v["event"]["kind"], "pipeline_error");
    assert!(v["error"]["message"].is_string());
    assert_eq!(v["labels"]["wef_principal"], "WIN10$@WINDOMAIN.LOCAL");
}

#[test]
fn key_order_is_stable() {
    let xml = shared_text(
        "corpus/events/wef-native/openwec/event-parser-tests/pretty-printed/event_4624.xml",
    );
    let e = parse_event(&xml, &Limits::default()).unwrap();
    let mut a = Vec::new();
    evtxml::render(&e, Profile::Ecs, Some(&meta()), &mut a);
    let mut b = Vec::new();
    evtxml::render(&e, Profile::Ecs, Some(&meta()), &mut b);
    assert_eq!(a, b);
    let s = String::from_utf8(a).unwrap();
    let pos = |k: &str| s.find(k).unwrap_or_else(|| panic!("{k}"));
    assert!(pos("\"@timestamp\"") < pos("\"event\""));
    assert!(pos("\"event\"") < pos("\"host\""));
    assert!(pos("\"user\"") < pos("\"winlog\""));
    assert!(pos("\"winlog\"") < pos("\"labels\""));
}

// ---- snapshots -------------------------------------------------------------------------

fn snapshot_of(xml: &str, meta: Option<&Metadata>) -> String {
    pretty(&ecs(xml, meta).0)
}

#[test]
fn snapshot_4624_wef_native_with_metadata() {
    let xml = shared_text(
        "corpus/events/wef-native/openwec/event-parser-tests/pretty-printed/event_4624.xml",
    );
    insta::assert_snapshot!(snapshot_of(&xml, Some(&meta())));
}

#[test]
fn snapshot_4625_network_failure() {
    let xml = bulk(|x| x.contains(">4625</EventID>") && x.contains(">49219</Data>"));
    insta::assert_snapshot!(snapshot_of(&xml, None));
}

#[test]
fn snapshot_4648_duplicate_names() {
    let xml = bulk(|x| x.contains(">4648</EventID>") && x.contains(">localhost</Data>"));
    insta::assert_snapshot!(snapshot_of(&xml, None));
}

#[test]
fn snapshot_1102_user_data() {
    let xml = bulk(|x| x.contains(">1102</EventID>") && x.contains("LogFileCleared"));
    insta::assert_snapshot!(snapshot_of(&xml, None));
}

#[test]
fn snapshot_generic_classic_event() {
    let xml = shared_text("corpus/events/wef-native/openwec/openwec-json/event_6013.xml");
    insta::assert_snapshot!(snapshot_of(&xml, None));
}

#[test]
fn account_management_subject_and_target() {
    let xml = bulk(|x| {
        x.contains(">4720</EventID>")
            && x.contains("S-1-5-21-308926384-506822093-3341789130-107103")
    });
    let (_, v) = ecs(&xml, None);
    assert_eq!(v["event"]["action"], "added-user-account");
    assert_eq!(v["event"]["category"], json!(["iam"]));
    assert_eq!(v["event"]["type"], json!(["user", "creation"]));
    assert_eq!(
        v["event"]["outcome"], "success",
        "from the Audit Success keyword"
    );
    assert_eq!(
        v["user"],
        json!({
            "name": "01566S-WIN16-IR$",
            "domain": "3B",
            "id": "S-1-5-18",
            "target": {"name": "$", "domain": "3B", "id": "S-1-5-21-308926384-506822093-3341789130-107103"}
        })
    );
    assert_eq!(v["related"]["user"], json!(["01566S-WIN16-IR$", "$"]));

    let xml = bulk(|x| x.contains(">4728</EventID>") && x.contains("IE8Win7"));
    let (_, v) = ecs(&xml, None);
    assert_eq!(v["event"]["action"], "added-member-to-group");
    assert_eq!(v["event"]["type"], json!(["group", "change"]));
    assert_eq!(
        v["group"],
        json!({"name": "None", "domain": "IE8Win7", "id": "S-1-5-21-3463664321-2923530833-3546627382-513"})
    );
    assert_eq!(
        v["user"]["target"],
        json!({"id": "S-1-5-21-3463664321-2923530833-3546627382-1000"})
    );

    // Microsoft's example of a lockout (Event Viewer copy, wef-native).
    let xml = shared_text("corpus/events/wef-native/microsoft-docs-event-viewer/security_4740.xml");
    let (_, v) = ecs(&xml, None);
    assert_eq!(v["event"]["action"], "locked-out-user-account");
    assert_eq!(v["user"]["name"], "DC01$");
    assert_eq!(
        v["user"]["target"],
        json!({"name": "Auditor", "domain": "WIN81", "id": "S-1-5-21-3457937927-2839227994-823803824-2104"})
    );
}

#[test]
fn timestamps_are_utc() {
    let event = |time: &str| {
        format!(
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
             <Provider Name='P'/><EventID>1</EventID><TimeCreated SystemTime='{time}'/>\
             </System></Event>"
        )
    };
    let (_, v) = ecs(&event("2022-12-14T16:06:51.0643605Z"), None);
    assert_eq!(v["@timestamp"], "2022-12-14T16:06:51.0643605Z");
    assert!(v["winlog"].get("time_created").is_none());
    let (_, v) = ecs(&event("2022-12-14T17:06:51.064+01:00"), None);
    assert_eq!(v["@timestamp"], "2022-12-14T16:06:51.064Z");
    let (_, v) = ecs(&event("yesterday"), None);
    assert!(v.get("@timestamp").is_none());
    assert_eq!(v["winlog"]["time_created"], "yesterday");
}

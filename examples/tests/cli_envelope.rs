//! `wefkit envelope` end to end, on the shared WEF capture.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions: a failure fails the test"
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use testkit::shared::shared_path;

fn wefkit(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wefkit"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

const WEF: &str = "corpus/wsman/wef-openwec-capture";

#[test]
fn decodes_the_utf16_heartbeat() {
    let path = shared_path(&format!("{WEF}/04-heartbeat.exact.utf16le.bin"));
    let v = json(&wefkit(
        &["envelope", "decode", path.to_str().unwrap()],
        None,
    ));
    assert_eq!(v["charset"], "UTF-16LE");
    assert_eq!(v["bom"], true);
    assert_eq!(
        v["action"],
        "http://schemas.dmtf.org/wbem/wsman/1/wsman/Heartbeat"
    );
    assert_eq!(v["message_id"], "uuid:EEC04F74-A27D-4C3A-AEF5-BC5BF54359BA");
    assert_eq!(v["headers"]["machine_id"], "win10.windomain.local");
    assert_eq!(
        v["headers"]["identifier"],
        "219C5353-5F3D-4CD7-A644-F6B69E57C1C1"
    );
    assert_eq!(v["headers"]["ack_requested"], true);
    assert_eq!(v["body"]["type"], "Heartbeat");
}

#[test]
fn decodes_an_events_batch_from_stdin() {
    let bytes = std::fs::read(shared_path(&format!("{WEF}/06-events.doc-verbatim.xml"))).unwrap();
    let v = json(&wefkit(&["envelope", "decode"], Some(&bytes)));
    assert_eq!(
        v["action"],
        "http://schemas.dmtf.org/wbem/wsman/1/wsman/Events"
    );
    let events = v["body"]["events"].as_array().unwrap();
    assert_eq!(v["body"]["count"], events.len());
    assert!(events.len() > 1);
    for e in events {
        assert_eq!(
            e["action"],
            "http://schemas.dmtf.org/wbem/wsman/1/wsman/Event"
        );
        assert!(e["bytes"].as_u64().unwrap() > 500);
    }
    assert!(
        v["headers"]["bookmark"]
            .as_str()
            .unwrap()
            .contains("RecordId=\"149161\"")
    );
}

#[test]
fn decodes_the_enumerate_response() {
    let path = shared_path(&format!("{WEF}/02-enumerate-response.doc-pretty.xml"));
    let v = json(&wefkit(
        &["envelope", "decode", path.to_str().unwrap()],
        None,
    ));
    assert_eq!(v["body"]["type"], "EnumerateResponse");
    assert_eq!(v["body"]["subscriptions"][0]["name"], "Toto");
}

#[test]
fn invalid_envelopes_exit_1_with_a_message() {
    for input in [&b"<x/>"[..], b"", b"<s:Envelope", b"\xFF\xFE<\0"] {
        let out = wefkit(&["envelope", "decode"], Some(input));
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with("wefkit: not a valid envelope"), "{err}");
    }
}

#[test]
fn subscribe_from_the_example_toml() {
    let toml = concat!(env!("CARGO_MANIFEST_DIR"), "/subscriptions/example.toml");
    let out = wefkit(&["envelope", "subscribe", "--config", toml], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Deterministic: the same file gives the same bytes.
    let again = wefkit(&["envelope", "subscribe", "--config", toml], None);
    assert_eq!(out.stdout, again.stdout);
    // And the output decodes as a Subscribe with what the file says.
    let v = json(&wefkit(&["envelope", "decode"], Some(&out.stdout)));
    assert_eq!(
        v["action"],
        "http://schemas.xmlsoap.org/ws/2004/08/eventing/Subscribe"
    );
    assert_eq!(v["body"]["type"], "Subscribe");
    assert_eq!(v["body"]["heartbeats_ms"], 3_600_000);
    assert_eq!(v["body"]["max_time_ms"], 30_000);
    let opts = v["headers"]["options"].as_array().unwrap();
    assert!(
        opts.iter()
            .any(|o| o["name"] == "SubscriptionName" && o["value"] == "Toto")
    );
    // UTF-16 output for Windows.
    let out16 = wefkit(
        &["envelope", "subscribe", "--config", toml, "--utf16"],
        None,
    );
    assert!(out16.stdout.starts_with(b"\xFF\xFE<\0"));
}

#[test]
fn subscribe_rejects_bad_configs() {
    let dir = std::env::temp_dir().join(format!("wefkit-cli-envelope-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, body) in [
        (
            "unknown.toml",
            "name='a'\nquery='<QueryList/>'\nnotify_to='http://x'\nbogus=1\n",
        ),
        (
            "badquery.toml",
            "name='a'\nquery='<QueryList>'\nnotify_to='http://x'\n",
        ),
        ("missing.toml", "name='a'\n"),
        (
            "custom.toml",
            "name='a'\nquery='<QueryList/>'\nnotify_to='http://x'\nmax_items=3\n",
        ),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        let out = wefkit(
            &["envelope", "subscribe", "--config", p.to_str().unwrap()],
            None,
        );
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(!out.stderr.is_empty(), "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

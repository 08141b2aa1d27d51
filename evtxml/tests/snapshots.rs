//! Snapshot tests (insta) pinning the exact output, key order included, of each profile on a
//! representative event and of `canonical` on each payload kind and degradation.
//!
//! The `ecs` profile is pinned by its own tests (`tests/ecs*.rs`).
#![expect(clippy::unwrap_used, reason = "test helpers outside #[test] functions")]

use evtxml::{Metadata, Normalizer, Profile, render_normalized};
use testkit::shared::read_shared;

/// Re-indents compact JSON (keeping key order, unlike a `serde_json::Value` round trip).
fn pretty(json: &[u8]) -> String {
    let s = std::str::from_utf8(json).unwrap();
    let mut out = String::new();
    let mut depth = 0usize;
    let (mut in_str, mut esc) = (false, false);
    let mut chars = s.chars().peekable();
    let nl = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_str {
            out.push(c);
            match (esc, c) {
                (true, _) => esc = false,
                (false, '\\') => esc = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    out.push(chars.next().unwrap());
                } else {
                    depth = depth.saturating_add(1);
                    nl(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                nl(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                nl(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

fn render(rel: &str, profile: Profile, meta: Option<&Metadata>) -> String {
    let bytes = read_shared(rel);
    let mut scratch = String::new();
    let text = evtxml::to_utf8(&bytes, evtxml::Charset::Auto, &mut scratch).unwrap();
    let mut n = Normalizer::default();
    let normalized = n.normalize(text);
    let mut out = Vec::new();
    render_normalized(&normalized, profile, meta, &mut out);
    pretty(&out)
}

fn meta() -> Metadata {
    Metadata {
        peer_addr: Some("192.168.58.100:5985".into()),
        principal: Some("WIN10$@WINDOMAIN.LOCAL".into()),
        node: Some("collector-1".into()),
        subscription_name: Some("Test".into()),
        subscription_uuid: Some("8B18D83D-2964-4F35-AC3B-6F4E6FFA727B".into()),
        time_received: Some("2022-12-14T17:07:03.324+01:00".into()),
        ..Metadata::default()
    }
}

const LOGON_4624: &str =
    "corpus/events/wef-native/openwec/event-parser-tests/pretty-printed/event_4624.xml";
const WEF: &str = "corpus/events/wef-native/openwec/openwec-json/";
const EDGE: &str = "corpus/events/evtx-rendered/edge-cases/";

#[test]
fn each_profile_on_a_security_logon() {
    for p in [
        Profile::Canonical,
        Profile::Openwec,
        Profile::Nxlog,
        Profile::Flat,
    ] {
        insta::assert_snapshot!(format!("logon_4624_{p}"), render(LOGON_4624, p, None));
        insta::assert_snapshot!(
            format!("logon_4624_{p}_meta"),
            render(LOGON_4624, p, Some(&meta()))
        );
    }
}

#[test]
fn each_profile_on_each_payload_kind() {
    let cases = [
        ("eventdata_unnamed_binary_6013", format!("{WEF}event_6013.xml")),
        ("userdata_1100", format!("{WEF}event_1100.xml")),
        ("minimal_system_111", format!("{WEF}event_111.xml")),
        (
            "processing_error_data",
            format!("{EDGE}processing_error_data/EVTX-ATTACK-SAMPLES__LM_winrm_target_wrmlogs_91_wsmanShellStarted_poorLog__rec1.xml"),
        ),
        (
            "truncated_rendering_info",
            "corpus/events/wef-native/openwec/event-parser-tests/malformed/raw_content_recovered.xml".to_owned(),
        ),
        (
            "raw_only",
            "corpus/events/wef-native/openwec/event-parser-tests/malformed/unrecoverable_2.xml".to_owned(),
        ),
    ];
    for (name, rel) in &cases {
        for p in [
            Profile::Canonical,
            Profile::Openwec,
            Profile::Nxlog,
            Profile::Flat,
        ] {
            insta::assert_snapshot!(format!("{name}_{p}"), render(rel, p, None));
        }
    }
}

#[test]
fn debug_data_and_duplicates() {
    // No DebugData event in the corpus: a minimal one shaped after the event schema.
    let xml = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
        <Provider Name='P'/><EventID>7</EventID></System><DebugData><SequenceNumber>12</SequenceNumber>\
        <FlagsName>F</FlagsName><LevelName>L</LevelName><Component>C</Component>\
        <SubComponent>S</SubComponent><FileLine>f.c:1</FileLine><Function>fn</Function>\
        <Message>m</Message></DebugData></Event>";
    let dup = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
        <EventID>1</EventID></System><EventData><Data Name='A'>1</Data><Data>u</Data>\
        <Data Name='A'>2</Data><Data Name='EventID'>x</Data><Data/></EventData></Event>";
    for (name, xml) in [("debug_data", xml), ("duplicate_names", dup)] {
        for p in [
            Profile::Canonical,
            Profile::Openwec,
            Profile::Nxlog,
            Profile::Flat,
        ] {
            let mut n = Normalizer::default();
            let mut out = Vec::new();
            render_normalized(&n.normalize(xml), p, None, &mut out);
            insta::assert_snapshot!(format!("{name}_{p}"), pretty(&out));
        }
    }
}

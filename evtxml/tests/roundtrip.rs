//! `canonical` is lossless: reading it back gives the same record, for every corpus event;
//! and normalization is idempotent (`normalize ∘ render ∘ normalize == normalize`) on
//! generated events.
#![expect(clippy::unwrap_used, reason = "test helpers outside #[test] functions")]

use evtxml::{Event, Normalizer, Profile, read_canonical, render};
use proptest::prelude::*;
use testkit::shared::shared_path;

fn corpus_events() -> Vec<String> {
    let mut out = Vec::new();
    let bulk = shared_path("corpus/events/evtx-rendered/bulk");
    for e in std::fs::read_dir(bulk).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            out.push(v.get("xml").unwrap().as_str().unwrap().to_owned());
        }
    }
    let mut stack = vec![
        shared_path("corpus/events/wef-native"),
        shared_path("corpus/events/evtx-rendered/edge-cases"),
    ];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xml") {
                out.push(std::fs::read_to_string(p).unwrap());
            }
        }
    }
    out
}

fn canonical(e: &Event<'_>) -> String {
    let mut out = Vec::new();
    render(e, Profile::Canonical, None, &mut out);
    String::from_utf8(out).unwrap()
}

#[test]
fn canonical_round_trips_every_corpus_event() {
    let mut n = Normalizer::default();
    let mut count = 0;
    for xml in corpus_events() {
        let out = n.normalize(&xml);
        let Some(event) = out.event() else { continue };
        let json = canonical(event);
        let back = read_canonical(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
        assert_eq!(&back, event, "{json}");
        assert_eq!(canonical(&back), json);
        assert_eq!(&event.clone().into_owned(), event);
        count += 1;
    }
    assert!(count > 3800, "{count}");
}

#[test]
fn every_profile_writes_valid_json_for_every_corpus_event() {
    let mut n = Normalizer::default();
    let meta = evtxml::Metadata {
        peer_addr: Some("192.0.2.7:5985".into()),
        principal: Some("HOST$@EXAMPLE.ORG".into()),
        subscription_name: Some("sub".into()),
        time_received: Some("2024-01-01T00:00:00.000+01:00".into()),
        ..Default::default()
    };
    let mut out = Vec::new();
    for xml in corpus_events() {
        let normalized = n.normalize(&xml);
        for p in Profile::ALL {
            for m in [None, Some(&meta)] {
                out.clear();
                evtxml::render_normalized(&normalized, p, m, &mut out);
                let v: serde_json::Value = serde_json::from_slice(&out)
                    .unwrap_or_else(|e| panic!("{p}: {e}: {}", String::from_utf8_lossy(&out)));
                assert!(v.is_object());
                // No duplicate keys: a strict re-count of top-level members.
                let mut keys: Vec<&str> = Vec::new();
                if let Some(o) = v.as_object() {
                    keys.extend(o.keys().map(String::as_str));
                }
                assert_eq!(
                    keys.len(),
                    count_top_level_keys(&out),
                    "{p}: duplicate keys"
                );
            }
        }
    }
}

/// Counts the members of the top-level object by scanning the JSON text.
fn count_top_level_keys(json: &[u8]) -> usize {
    let (mut depth, mut in_str, mut esc, mut count, mut expect_key) =
        (0i32, false, false, 0usize, false);
    for &b in json {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                if depth == 1 && expect_key {
                    count = count.saturating_add(1);
                    expect_key = false;
                }
                in_str = true;
            }
            b'{' | b'[' => {
                depth = depth.saturating_add(1);
                if depth == 1 {
                    expect_key = true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expect_key = true,
            _ => {}
        }
    }
    count
}

/// Text with the characters that matter: markup, entities, whitespace, CR/LF, non-ASCII.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("  Advapi  ".to_owned()),
        Just("%%1833".to_owned()),
        "[a-zA-Z0-9 <>&'\"\r\n\té€\u{1F600}-]{0,24}",
    ]
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
        .replace('"', "&quot;")
        .replace('\r', "&#13;")
}

prop_compose! {
    fn event_xml()(
        id in prop_oneof![Just("4624".to_owned()), "[0-9]{1,5}", Just("0012".to_owned())],
        qualifiers in proptest::option::of("[0-9]{1,5}"),
        time in prop_oneof![
            Just("2022-12-14T16:05:59.7074374Z".to_owned()),
            Just("2023-02-14T09:14:23.175Z".to_owned()),
            Just("2019-03-18T23:23:52.522462123Z".to_owned()),
        ],
        guid in prop_oneof![
            Just("{54849625-5478-4994-a5ba-3e3b0328c30d}".to_owned()),
            Just("54849625-5478-4994-A5BA-3E3B0328C30D".to_owned()),
        ],
        items in proptest::collection::vec((proptest::option::of("[A-Za-z]{1,8}"), text()), 0..6),
        binary in proptest::option::of("[0-9A-F]{0,16}"),
        message in proptest::option::of(text()),
        keywords in proptest::collection::vec(text(), 0..3),
        userdata in any::<bool>(),
    ) -> String {
        let q = qualifiers.map(|q| format!(" Qualifiers='{q}'")).unwrap_or_default();
        let mut x = format!(
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
             <Provider Name='P' Guid='{guid}'/><EventID{q}>{id}</EventID>\
             <TimeCreated SystemTime='{time}'/><Correlation/><Channel>Security</Channel>\
             <Security UserID='S-1-5-18'/></System>"
        );
        if userdata {
            x.push_str("<UserData><Root xmlns='urn:x' a='1'>");
            for (n, v) in &items {
                let n = n.clone().unwrap_or_else(|| "N".into());
                x.push_str(&format!("<{n}>{}</{n}>", esc(v)));
            }
            x.push_str("</Root></UserData>");
        } else {
            x.push_str("<EventData>");
            for (n, v) in &items {
                match n {
                    Some(n) => x.push_str(&format!("<Data Name='{n}'>{}</Data>", esc(v))),
                    None => x.push_str(&format!("<Data>{}</Data>", esc(v))),
                }
            }
            if let Some(b) = binary {
                x.push_str(&format!("<Binary>{b}</Binary>"));
            }
            x.push_str("</EventData>");
        }
        if let Some(m) = message {
            x.push_str(&format!("<RenderingInfo Culture='en-US'><Message>{}</Message><Keywords>", esc(&m)));
            for k in &keywords {
                x.push_str(&format!("<Keyword>{}</Keyword>", esc(k)));
            }
            x.push_str("</Keywords></RenderingInfo>");
        }
        x.push_str("</Event>");
        x
    }
}

proptest! {
    #[test]
    fn parse_render_is_idempotent(xml in event_xml()) {
        let mut n = Normalizer::default();
        let first = n.normalize(&xml);
        let event = first.event().unwrap();
        prop_assert_eq!(first.status(), "clean");
        let json = canonical(event);
        let back = read_canonical(&json).unwrap();
        prop_assert_eq!(&back, event);
        prop_assert_eq!(canonical(&back), json);
    }

    #[test]
    fn normalize_never_panics(xml in "(<[A-Za-z/!?]{0,3}|[^<]{0,5}|&[a-z#0-9]{0,4};?|'|\"|=|>| ){0,40}") {
        let mut n = Normalizer::default();
        let out = n.normalize(&xml);
        let mut buf = Vec::new();
        for p in Profile::ALL {
            buf.clear();
            evtxml::render_normalized(&out, p, None, &mut buf);
            prop_assert!(serde_json::from_slice::<serde_json::Value>(&buf).is_ok());
        }
    }
}

//! Tolerance, limits and the lossless details the issue lists, on small hand-made events.

use evtxml::{Error, Limit, Limits, Normalized, Normalizer, Payload, RepairKind, parse_event};

fn ev(body: &str) -> String {
    format!(
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
         <Provider Name='P' Guid='{{54849625-5478-4994-A5BA-3E3B0328C30D}}'/><EventID>1</EventID>\
         <TimeCreated SystemTime='2021-01-01T00:00:00.123456789Z'/></System>{body}</Event>"
    )
}

fn kinds(n: &Normalized<'_>) -> Vec<RepairKind> {
    n.repairs().iter().map(|r| r.kind).collect()
}

#[test]
fn dtds_are_refused() {
    let x = format!(
        "<!DOCTYPE Event [<!ENTITY x 'boom'>]>{}",
        ev("<EventData><Data>&x;</Data></EventData>")
    );
    let mut n = Normalizer::default();
    assert!(matches!(
        n.normalize(&x),
        Normalized::RawOnly {
            error: Error::Dtd { .. },
            ..
        }
    ));
}

#[test]
fn only_predefined_entities_and_character_references() {
    let x = ev(
        "<EventData><Data Name='a'>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;</Data><Data Name='b'>&nope;</Data></EventData>",
    );
    let mut n = Normalizer::default();
    let out = n.normalize(&x);
    assert_eq!(kinds(&out), [RepairKind::UndefinedEntity]);
    let e = out.event().unwrap();
    assert_eq!(e.data("a"), Some("<>&'\"AB"));
    assert_eq!(e.data("b"), Some("&nope;"));
    assert!(parse_event(&x, &Limits::default()).is_err());
}

#[test]
fn illegal_characters_are_kept_and_reported() {
    for value in ["a\u{5}b", "a&#5;b"] {
        let x = ev(&format!(
            "<EventData><Data Name='v'>{value}</Data></EventData>"
        ));
        let mut n = Normalizer::default();
        let out = n.normalize(&x);
        assert_eq!(kinds(&out), [RepairKind::IllegalCharacter], "{value}");
        assert_eq!(out.event().unwrap().data("v"), Some("a\u{5}b"));
    }
}

#[test]
fn unknown_elements_are_kept_and_reported() {
    let x = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
             <EventID>1</EventID><Weird a='1'>x</Weird></System><Extra/></Event>";
    let mut n = Normalizer::default();
    let out = n.normalize(x);
    assert_eq!(
        kinds(&out),
        [RepairKind::UnknownElement, RepairKind::UnknownElement]
    );
    let e = out.event().unwrap();
    assert_eq!(e.system.other[0].name, "Weird");
    assert_eq!(e.other[0].name, "Extra");
}

#[test]
fn lossless_values() {
    let x = ev(
        "<EventData><Data Name='ws'>  two  </Data><Data Name='crlf'>a\r\nb&#13;&#10;c</Data>\
         <Data></Data><Data/><Data Name='d'>1</Data><Data Name='d'>2</Data><Binary>00FF</Binary></EventData>",
    );
    let e = parse_event(&x, &Limits::default()).unwrap();
    let Payload::EventData(d) = &e.payload else {
        panic!()
    };
    let items: Vec<(Option<&str>, &str)> = d
        .items
        .iter()
        .map(|i| (i.name.as_deref(), &*i.value))
        .collect();
    assert_eq!(
        items,
        [
            (Some("ws"), "  two  "),
            (Some("crlf"), "a\r\nb\r\nc"),
            (None, ""),
            (None, ""),
            (Some("d"), "1"),
            (Some("d"), "2"),
        ]
    );
    assert_eq!(d.binary.as_deref(), Some("00FF"));
    let t = e
        .system
        .time_created
        .as_ref()
        .unwrap()
        .system_time
        .as_ref()
        .unwrap();
    assert_eq!(t.raw, "2021-01-01T00:00:00.123456789Z");
    assert_eq!(t.value.unwrap().nanos, 123_456_789);
    let g = e.system.provider.as_ref().unwrap().guid.as_ref().unwrap();
    assert_eq!(g.raw, "{54849625-5478-4994-A5BA-3E3B0328C30D}");
    assert_eq!(g.value, Some(0x54849625_5478_4994_a5ba_3e3b0328c30d));
}

#[test]
fn guid_forms() {
    for g in [
        "{54849625-5478-4994-a5ba-3e3b0328c30d}",
        "54849625-5478-4994-A5BA-3E3B0328C30D",
        "54849625-5478-4994-a5BA-3e3b0328C30D",
    ] {
        let x = format!(
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
             <Provider Name='P' Guid='{g}'/></System></Event>"
        );
        let e = parse_event(&x, &Limits::default()).unwrap();
        let v = e.system.provider.unwrap().guid.unwrap();
        assert_eq!(v.raw, g);
        assert_eq!(v.value, Some(0x54849625_5478_4994_a5ba_3e3b0328c30d));
    }
}

#[test]
fn every_limit_is_named() {
    let big = ev(&format!(
        "<EventData><Data>{}</Data></EventData>",
        "x".repeat(300)
    ));
    let deep = ev(&format!(
        "<UserData>{}{}</UserData>",
        "<a>".repeat(20),
        "</a>".repeat(20)
    ));
    let many = ev(&format!(
        "<EventData>{}</EventData>",
        "<Data>1</Data>".repeat(50)
    ));
    let attrs = ev("<UserData><a b='1' c='2' d='3' e='4' f='5'/></UserData>");
    let tight = Limits {
        max_event_bytes: 4096,
        max_depth: 8,
        max_items: 32,
        max_text_bytes: 256,
        max_attributes: 4,
    };
    let huge = "x".repeat(5000);
    for (x, limit) in [
        (big.as_str(), Limit::TextBytes),
        (deep.as_str(), Limit::Depth),
        (many.as_str(), Limit::Items),
        (attrs.as_str(), Limit::Attributes),
        (huge.as_str(), Limit::EventBytes),
    ] {
        let mut n = Normalizer::new(tight);
        match n.normalize(x) {
            Normalized::RawOnly {
                error: Error::Limit { limit: l, .. },
                ..
            } => assert_eq!(l, limit),
            other => panic!("{limit:?}: {}", other.status()),
        }
        // The default limits accept them all (but the 5000-byte non-event).
        if limit != Limit::EventBytes {
            assert_eq!(
                Normalizer::default().normalize(x).status(),
                "clean",
                "{limit:?}"
            );
        }
    }
    assert!(
        Error::Limit {
            limit: Limit::Depth,
            offset: 3
        }
        .to_string()
        .contains("max_depth")
    );
}

#[test]
fn truncation_keeps_complete_sections() {
    let full = ev(
        "<EventData><Data Name='a'>1</Data></EventData><RenderingInfo Culture='en-US'><Message>hello</Message><Level>Information</Level></RenderingInfo>",
    );
    let mut n = Normalizer::default();
    let mut last_status = "";
    for cut in 0..full.len() {
        let Some(prefix) = full.get(..cut) else {
            continue;
        };
        let out = n.normalize(prefix);
        // Once System is complete, every truncation is recovered with System intact.
        if let Some(e) = out.event() {
            assert_eq!(e.event_id(), Some(1));
            assert!(matches!(out, Normalized::Recovered { .. }));
        }
        last_status = out.status();
    }
    assert_eq!(last_status, "recovered");
    assert_eq!(n.normalize(&full).status(), "clean");
}

#[test]
fn utf16_big_endian_event() {
    let x = ev("<EventData><Data Name='a'>é€😀</Data></EventData>");
    let mut be = vec![0xFE, 0xFF];
    be.extend(x.encode_utf16().flat_map(u16::to_be_bytes));
    let mut scratch = String::new();
    let text = evtxml::to_utf8(&be, evtxml::Charset::Auto, &mut scratch).unwrap();
    assert_eq!(
        parse_event(text, &Limits::default()).unwrap().data("a"),
        Some("é€😀")
    );
    // An unpaired surrogate becomes U+FFFD instead of failing the body.
    let bad = [0xFF, 0xFE, 0x3C, 0x00, 0x00, 0xD8, 0x3E, 0x00];
    assert_eq!(
        evtxml::to_utf8(&bad, evtxml::Charset::Auto, &mut scratch).unwrap(),
        "<\u{FFFD}>"
    );
}

//! Hostile and broken inputs each give their typed error, quickly; and the encoding matrix.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions: a failure fails the test"
)]

use std::time::{Duration, Instant};

use testkit::shared::read_shared;
use wsman_proto::charset::{self, Charset};
use wsman_proto::message::fault::{FaultCode, QName};
use wsman_proto::{Envelope, Error, Limit, LimitError, Limits, Message, PeerError};

const HEARTBEAT: &str = "corpus/wsman/wef-openwec-capture/04-heartbeat.exact.xml";

fn heartbeat() -> String {
    String::from_utf8(read_shared(HEARTBEAT)).unwrap()
}

/// Parses envelope + message; returns the error, checking it came quickly.
fn fails(text: &str, limits: &Limits) -> Error {
    let start = Instant::now();
    let r = Envelope::parse(text, limits)
        .and_then(|env| Message::from_envelope(&env, limits).map(|_| ()));
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    r.unwrap_err()
}

const ENV_OPEN: &str = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"><s:Header><a:Action>http://schemas.dmtf.org/wbem/wsman/1/wsman/Events</a:Action></s:Header><s:Body>"#;
const ENV_CLOSE: &str = "</s:Body></s:Envelope>";

#[test]
fn doctype_is_rejected() {
    let text = format!("<!DOCTYPE s:Envelope>{ENV_OPEN}<w:Events/>{ENV_CLOSE}");
    assert_eq!(
        fails(&text, &Limits::default()),
        Error::Peer(PeerError::Dtd { offset: 0 })
    );
}

#[test]
fn entity_bombs_are_rejected() {
    let mut bomb = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        bomb.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    bomb.push_str("]>");
    bomb.push_str(ENV_OPEN);
    bomb.push_str("<w:Events><w:Event>&lol9;</w:Event></w:Events>");
    bomb.push_str(ENV_CLOSE);
    let e = fails(&bomb, &Limits::default());
    assert!(
        matches!(e, Error::Peer(PeerError::Dtd { offset: 22 })),
        "{e:?}"
    );
    // Without the DTD, the reference alone is an unknown entity, in text and in attributes.
    let text = format!("{ENV_OPEN}<w:Events><w:Event>&lol9;</w:Event></w:Events>{ENV_CLOSE}");
    assert!(matches!(
        fails(&text, &Limits::default()),
        Error::Peer(PeerError::Entity { .. })
    ));
    let text = format!("{ENV_OPEN}<w:Events><w:Event Action=\"&lol9;\"/></w:Events>{ENV_CLOSE}");
    assert!(matches!(
        fails(&text, &Limits::default()),
        Error::Peer(PeerError::Entity { .. })
    ));
}

#[test]
fn ten_megabyte_attribute() {
    let big = "A".repeat(10 << 20);
    let text = format!("{ENV_OPEN}<w:Events><w:Event Action=\"{big}\"/></w:Events>{ENV_CLOSE}");
    let mut scratch = String::new();
    let e = charset::decode(text.as_bytes(), None, &Limits::default(), &mut scratch).unwrap_err();
    assert_eq!(
        e,
        Error::Limit(LimitError {
            limit: Limit::EnvelopeBytes,
            max: 512_000,
            offset: 512_000
        })
    );
    assert_eq!(e.http_status(), 400);
    let f = e.soap_fault().unwrap();
    assert_eq!(f.subcode, Some(QName::ENCODING_LIMIT));
    assert_eq!(
        f.fault_detail.as_deref(),
        Some("http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/MaxEnvelopeSize")
    );
    // With a raised envelope limit, the attribute limit names the element.
    let limits = Limits {
        max_envelope_bytes: 64 << 20,
        ..Limits::default()
    };
    let e = fails(&text, &limits);
    let off = ENV_OPEN.len() + "<w:Events>".len();
    assert_eq!(
        e,
        Error::Limit(LimitError {
            limit: Limit::AttributeBytes,
            max: 65_536,
            offset: off
        })
    );
    assert!(e.to_string().contains("limit"));
    assert!(
        format!(
            "{}",
            LimitError {
                limit: Limit::AttributeBytes,
                max: 1,
                offset: 2
            }
        )
        .contains("max_attribute_bytes")
    );
}

#[test]
fn hundred_thousand_nested_elements() {
    let depth = 100_000;
    let mut text = String::from(ENV_OPEN);
    text.push_str(&"<x>".repeat(depth));
    text.push_str(&"</x>".repeat(depth));
    text.push_str(ENV_CLOSE);
    let limits = Limits {
        max_envelope_bytes: 4 << 20,
        ..Limits::default()
    };
    let e = fails(&text, &limits);
    let Error::Limit(LimitError {
        limit: Limit::Depth,
        max: 64,
        offset,
    }) = e
    else {
        panic!("{e:?}")
    };
    assert!(offset > ENV_OPEN.len());
    // The same inside an event payload (kept opaque, still bounded).
    let mut text = String::from(ENV_OPEN);
    text.push_str("<w:Events><w:Event>");
    text.push_str(&"<x>".repeat(depth));
    text.push_str(&"</x>".repeat(depth));
    text.push_str("</w:Event></w:Events>");
    text.push_str(ENV_CLOSE);
    let e = fails(&text, &limits);
    assert!(
        matches!(
            e,
            Error::Limit(LimitError {
                limit: Limit::Depth,
                ..
            })
        ),
        "{e:?}"
    );
    // Flat element floods hit the element count.
    let mut text = String::from(ENV_OPEN);
    text.push_str(&"<x/>".repeat(200_000));
    text.push_str(ENV_CLOSE);
    let e = fails(
        &text,
        &Limits {
            max_envelope_bytes: 4 << 20,
            ..Limits::default()
        },
    );
    assert!(
        matches!(
            e,
            Error::Limit(LimitError {
                limit: Limit::Elements,
                ..
            })
        ),
        "{e:?}"
    );
}

#[test]
fn wrong_namespaces() {
    let hb = heartbeat();
    // SOAP 1.1 envelope: VersionMismatch.
    let soap11 = hb.replace(
        "http://www.w3.org/2003/05/soap-envelope",
        "http://schemas.xmlsoap.org/soap/envelope/",
    );
    let e = fails(&soap11, &Limits::default());
    assert_eq!(e, Error::Peer(PeerError::VersionMismatch { offset: 0 }));
    assert_eq!(e.soap_fault().unwrap().code, FaultCode::VERSION_MISMATCH);
    // An unknown envelope namespace.
    let other = hb.replace("http://www.w3.org/2003/05/soap-envelope", "urn:not-soap");
    assert!(matches!(
        fails(&other, &Limits::default()),
        Error::Peer(PeerError::Missing {
            element: "s:Envelope",
            offset: 0
        })
    ));
    // WS-Addressing 2005/08 instead of 2004/08: no Action we understand, and the
    // mustUnderstand headers of the wrong namespace are refused first.
    let wsa10 = hb.replace(
        "http://schemas.xmlsoap.org/ws/2004/08/addressing",
        "http://www.w3.org/2005/08/addressing",
    );
    let e = fails(&wsa10, &Limits::default());
    let Error::Peer(PeerError::NotUnderstood { header, offset }) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(header.ns, "http://www.w3.org/2005/08/addressing");
    assert!(
        wsa10.get(*offset..).unwrap().starts_with("<a:ReplyTo")
            || wsa10.get(*offset..).unwrap().starts_with("<a:Action")
    );
    // Same prefixes, other prefix letters: still understood (matching is by URI).
    let renamed = hb
        .replace("xmlns:w=", "xmlns:wsman=")
        .replace("<w:", "<wsman:")
        .replace("</w:", "</wsman:");
    let env = Envelope::parse(&renamed, &Limits::default()).unwrap();
    assert_eq!(
        Message::from_envelope(&env, &Limits::default()).unwrap(),
        Message::Heartbeat
    );
}

#[test]
fn missing_action() {
    let hb = heartbeat();
    let start = hb.find("<a:Action").unwrap();
    let end = hb.find("</a:Action>").unwrap() + "</a:Action>".len();
    let text = format!("{}{}", hb.get(..start).unwrap(), hb.get(end..).unwrap());
    let e = fails(&text, &Limits::default());
    assert_eq!(
        e,
        Error::Peer(PeerError::MissingHeader { header: "a:Action" })
    );
    assert_eq!(e.http_status(), 400);
    assert_eq!(
        e.soap_fault().unwrap().subcode,
        Some(QName::MESSAGE_INFORMATION_HEADER_REQUIRED)
    );
    assert!(!e.to_string().is_empty());
}

#[test]
fn every_truncation_of_a_real_heartbeat_is_refused() {
    let hb = heartbeat();
    let body_start = hb.find("<s:Body>").unwrap();
    for cut in 0..hb.len() {
        let Some(prefix) = hb.get(..cut) else {
            continue;
        };
        let e = fails(prefix, &Limits::default());
        if cut > body_start + 12 {
            // A body that stops mid-element.
            assert!(
                matches!(
                    e,
                    Error::Peer(PeerError::Truncated { .. } | PeerError::Xml { .. })
                ),
                "{cut}: {e:?}"
            );
        }
        if let Some(off) = e.offset() {
            assert!(off <= cut, "{cut}: {e:?}");
        }
    }
    let e = fails(hb.get(..hb.len() - 20).unwrap(), &Limits::default());
    assert!(
        matches!(e, Error::Peer(PeerError::Truncated { .. })),
        "{e:?}"
    );
}

#[test]
fn bad_encodings() {
    let limits = Limits::default();
    let mut scratch = String::new();
    // Odd UTF-16 length.
    let e = charset::decode(b"\xFF\xFE<\0a\0/", None, &limits, &mut scratch).unwrap_err();
    assert_eq!(
        e,
        Error::Peer(PeerError::Encoding {
            encoding: "utf-16",
            offset: 6
        })
    );
    // Invalid UTF-8 at a known offset.
    let e = charset::decode(b"<a>\xC3\x28</a>", None, &limits, &mut scratch).unwrap_err();
    assert_eq!(
        e,
        Error::Peer(PeerError::Encoding {
            encoding: "utf-8",
            offset: 3
        })
    );
    // A charset that contradicts the BOM, and an unsupported one.
    let e = charset::decode(
        b"\xFF\xFE<\0a\0/\0>\0",
        Some("text/xml;charset=utf-8"),
        &limits,
        &mut scratch,
    )
    .unwrap_err();
    assert!(matches!(e, Error::Peer(PeerError::Charset { .. })));
    let e = charset::decode(
        b"<a/>",
        Some("text/xml; charset=\"ISO-8859-1\""),
        &limits,
        &mut scratch,
    )
    .unwrap_err();
    assert!(matches!(e, Error::Peer(PeerError::Charset { .. })));
    // Unpaired surrogates (seen from Windows inside event payloads) are replaced and counted.
    let d = charset::decode(
        b"\xFF\xFE<\0a\0>\0\x00\xD8<\0/\0a\0>\0",
        None,
        &limits,
        &mut scratch,
    )
    .unwrap();
    assert_eq!((d.text, d.replaced), ("<a>\u{FFFD}</a>", 1));
}

#[test]
fn encoding_matrix() {
    let hb = heartbeat();
    let reference = Envelope::parse(&hb, &Limits::default()).unwrap().headers;
    for cs in [Charset::Utf16Le, Charset::Utf16Be, Charset::Utf8] {
        for bom in [true, false] {
            for ct in [
                None,
                Some(format!(
                    "application/soap+xml;charset={}",
                    cs.content_type_name()
                )),
                Some(match cs {
                    Charset::Utf16Le => "application/soap+xml; charset=utf-16le".to_owned(),
                    Charset::Utf16Be => "application/soap+xml; charset=\"UTF-16BE\"".to_owned(),
                    _ => "application/soap+xml;charset=utf-8".to_owned(),
                }),
            ] {
                let mut bytes = Vec::new();
                charset::encode(&hb, cs, bom, &mut bytes);
                let mut scratch = String::new();
                let d = charset::decode(&bytes, ct.as_deref(), &Limits::default(), &mut scratch)
                    .unwrap_or_else(|e| panic!("{cs:?} {bom} {ct:?}: {e:?}"));
                assert_eq!((d.charset, d.bom), (cs, bom), "{ct:?}");
                assert_eq!(d.text, hb);
                let env = Envelope::parse(d.text, &Limits::default()).unwrap();
                assert_eq!(env.headers, reference);
            }
        }
    }
}

#[test]
fn xml_declaration_naming_utf16_after_transcoding() {
    let hb = heartbeat();
    let text = format!("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n{hb}");
    let mut bytes = Vec::new();
    charset::encode(&text, Charset::Utf16Le, true, &mut bytes);
    let mut scratch = String::new();
    let d = charset::decode(&bytes, None, &Limits::default(), &mut scratch).unwrap();
    let env = Envelope::parse(d.text, &Limits::default()).unwrap();
    assert_eq!(
        Message::from_envelope(&env, &Limits::default()).unwrap(),
        Message::Heartbeat
    );
    // A declaration anywhere but the start is malformed.
    let late = format!("{hb}<?xml version=\"1.0\"?>");
    assert!(matches!(
        fails(&late, &Limits::default()),
        Error::Peer(PeerError::Xml { .. })
    ));
}

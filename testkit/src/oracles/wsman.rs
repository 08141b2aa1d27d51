//! Fuzz oracles for the `wsman-proto` message layer. Each takes arbitrary bytes and checks that
//! decoding never panics, that errors carry offsets inside the input, and that what parses
//! survives a render → parse round trip where the format guarantees one.
#![expect(
    clippy::expect_used,
    clippy::panic,
    clippy::missing_panics_doc,
    reason = "fuzz oracles panic exactly when a property is violated"
)]

use std::borrow::Cow;

use wsman_proto::bookmark::Bookmark;
use wsman_proto::charset::{self, Charset};
use wsman_proto::message::wire::{self, DecodePath, WireMessage};
use wsman_proto::{Envelope, Error, Headers, Limits, Message};

fn small_limits() -> Limits {
    Limits {
        max_envelope_bytes: 256 << 10,
        max_depth: 32,
        max_elements: 4096,
        ..Limits::default()
    }
}

fn check_offset(e: &Error, len: usize) {
    if let Some(off) = e.offset() {
        assert!(
            off <= len.saturating_mul(2).saturating_add(8),
            "error offset {off} beyond input {len}"
        );
    }
    // Every error has a message, and peer errors a fault to answer with.
    assert!(!e.to_string().is_empty());
    if !matches!(e, Error::Misuse(_)) {
        let f = e.soap_fault().expect("peer and limit errors have a fault");
        let mut xml = String::new();
        wsman_proto::message::render_fault(&f, "uuid:0", None, &mut xml);
        let env = Envelope::parse(&xml, &Limits::default()).expect("our faults parse");
        let back = Message::from_envelope(&env, &Limits::default()).expect("our faults parse");
        assert!(matches!(back, Message::Fault(_)));
    }
}

/// Parses a message from text, then renders what was understood and parses it again: the
/// typed message must be unchanged when it holds no verbatim fragments.
fn parse_and_rerender(text: &str, limits: &Limits) {
    let env = match Envelope::parse(text, limits) {
        Ok(env) => env,
        Err(e) => return check_offset(&e, text.len()),
    };
    if let Some(b) = &env.headers.bookmark {
        let _ = Bookmark::parse(b);
    }
    let msg = match Message::from_envelope(&env, limits) {
        Ok(m) => m,
        Err(e) => return check_offset(&e, text.len()),
    };
    // Re-render with only the typed headers (unknown headers may use the peer's prefixes).
    let headers = Headers {
        unknown: Vec::new(),
        bookmark: None,
        ..env.headers.clone()
    };
    let mut xml = String::new();
    msg.render(&headers, &mut xml);
    let relaxed = Limits {
        max_envelope_bytes: usize::MAX / 4,
        max_elements: usize::MAX,
        max_depth: usize::MAX,
        max_text_bytes: usize::MAX,
        ..*limits
    };
    // Verbatim fragments (raw items, markup events, filters) may rely on namespace prefixes
    // declared by the peer: those may legitimately fail to re-parse on their own.
    if let Ok(env2) = Envelope::parse(&xml, &relaxed) {
        assert_eq!(env2.headers, headers, "headers changed in a round trip");
        if let Ok(back) = Message::from_envelope(&env2, &relaxed) {
            if !has_verbatim(&msg) {
                assert_eq!(back, msg, "message changed in a round trip");
            }
        }
    }
}

fn has_verbatim(m: &Message<'_>) -> bool {
    match m {
        // CDATA and escaped payloads stand alone; markup may use the peer's prefixes.
        Message::Events(e) => e
            .items
            .iter()
            .any(|i| i.form == wsman_proto::message::PayloadForm::Markup),
        Message::EnumerateResponse(r) => !r.items.is_empty(),
        Message::PullResponse(r) => !r.items.is_empty(),
        Message::Enumerate(e) => e.filter.is_some(),
        Message::Subscribe(_) | Message::SubscribeResponse(_) | Message::SubscriptionEnd(_) => true,
        _ => false,
    }
}

/// `wsman_envelope`: arbitrary bytes in any encoding through charset detection, the envelope
/// parser and the message parser.
pub fn envelope_parse(data: &[u8]) {
    let limits = small_limits();
    let (ct, body) = match data.split_first() {
        Some((b, rest)) => (
            match b % 5 {
                0 => Some("application/soap+xml;charset=UTF-16"),
                1 => Some("application/soap+xml;charset=UTF-8"),
                2 => Some("application/soap+xml;charset=utf-16be"),
                _ => None,
            },
            rest,
        ),
        None => (None, data),
    };
    let mut scratch = String::new();
    match charset::decode(body, ct, &limits, &mut scratch) {
        Ok(d) => {
            let text = d.text;
            parse_and_rerender(text, &limits);
        }
        Err(e) => check_offset(&e, body.len()),
    }
}

const OPEN: &str = concat!(
    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"",
    " xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\"",
    " xmlns:e=\"http://schemas.xmlsoap.org/ws/2004/08/eventing\"",
    " xmlns:n=\"http://schemas.xmlsoap.org/ws/2004/09/enumeration\"",
    " xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\"",
    " xmlns:p=\"http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd\"",
    " xmlns:m=\"http://schemas.microsoft.com/wbem/wsman/1/subscription\">",
    "<s:Header><a:Action>"
);

/// Wraps fuzz data as the body of an envelope whose action is picked by the first byte.
fn body_family(data: &[u8], actions: &[&str]) {
    let Some((sel, rest)) = data.split_first() else {
        return;
    };
    let n = actions.len().max(1);
    let idx = usize::from(*sel).checked_rem(n).unwrap_or(0);
    let action = actions.get(idx).copied().unwrap_or_default();
    let body: Cow<'_, str> = String::from_utf8_lossy(rest);
    let text = format!("{OPEN}{action}</a:Action></s:Header><s:Body>{body}</s:Body></s:Envelope>");
    parse_and_rerender(&text, &small_limits());
}

/// `wsman_enumeration`: Enumerate, EnumerateResponse (subscriptions), Pull, PullResponse,
/// Release bodies.
pub fn enumeration_body(data: &[u8]) {
    body_family(
        data,
        &[
            "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate",
            "http://schemas.xmlsoap.org/ws/2004/09/enumeration/EnumerateResponse",
            "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull",
            "http://schemas.xmlsoap.org/ws/2004/09/enumeration/PullResponse",
            "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Release",
            "http://schemas.microsoft.com/wbem/wsman/1/wsman/End",
        ],
    );
}

/// `wsman_eventing`: Subscribe, SubscribeResponse, Renew, RenewResponse, Unsubscribe,
/// SubscriptionEnd bodies.
pub fn eventing_body(data: &[u8]) {
    body_family(
        data,
        &[
            "http://schemas.xmlsoap.org/ws/2004/08/eventing/Subscribe",
            "http://schemas.xmlsoap.org/ws/2004/08/eventing/SubscribeResponse",
            "http://schemas.xmlsoap.org/ws/2004/08/eventing/Renew",
            "http://schemas.xmlsoap.org/ws/2004/08/eventing/RenewResponse",
            "http://schemas.xmlsoap.org/ws/2004/08/eventing/Unsubscribe",
            "http://schemas.xmlsoap.org/ws/2004/08/eventing/SubscriptionEnd",
        ],
    );
}

/// `wsman_events`: Events, Heartbeat and Ack bodies.
pub fn events_body(data: &[u8]) {
    body_family(
        data,
        &[
            "http://schemas.dmtf.org/wbem/wsman/1/wsman/Events",
            "http://schemas.dmtf.org/wbem/wsman/1/wsman/Heartbeat",
            "http://schemas.dmtf.org/wbem/wsman/1/wsman/Ack",
        ],
    );
}

/// `wsman_fault`: fault bodies (any action).
pub fn fault_body(data: &[u8]) {
    body_family(data, &["http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"]);
}

/// Decodes `bytes` on the wire path ([`wire::decode`]) and on the general path (whole
/// transcode, [`Envelope::parse`], [`Message::from_envelope`]) and checks that they agree: the
/// same error, or the same headers, encoding and message, with the same event actions, forms
/// and texts, and (on the fast path) payloads that are slices of the input. Returns the path
/// the wire decoder took, or the error both paths gave.
///
/// # Panics
/// When the paths disagree.
pub fn paths_agree(bytes: &[u8], ct: Option<&str>, limits: &Limits) -> Result<DecodePath, Error> {
    let mut full = String::new();
    let general = charset::decode(bytes, ct, limits, &mut full).and_then(|d| {
        let env = Envelope::parse(d.text, limits)?;
        let msg = Message::from_envelope(&env, limits)?;
        Ok((d, env, msg))
    });
    let mut scratch = wire::Scratch::new();
    let fast = wire::decode(bytes, ct, limits, &mut scratch);
    match (general, fast) {
        (Err(g), Err(f)) => {
            assert_eq!(g, f, "both paths fail, with the same error");
            check_offset(&g, bytes.len());
            Err(g)
        }
        (Ok((d, env, msg)), Ok(w)) => {
            assert_eq!(w.envelope.headers, env.headers, "headers differ");
            assert_eq!((w.charset, w.bom), (d.charset, d.bom), "encoding differs");
            if w.path == DecodePath::General {
                assert_eq!(w.replaced, d.replaced);
            } else {
                assert!(w.replaced <= d.replaced);
            }
            match (msg, &w.message) {
                (Message::Events(g), WireMessage::Events(f)) => {
                    assert_eq!(g.items.len(), f.items.len(), "event count differs");
                    let mut text = String::new();
                    for (i, (g, f)) in g.items.iter().zip(&f.items).enumerate() {
                        assert_eq!(g.action, f.action, "action of event {i} differs");
                        assert_eq!(g.form, f.form, "form of event {i} differs");
                        assert_eq!(f.to_utf8(&mut text), g.xml, "text of event {i} differs");
                        if w.path == DecodePath::Fast {
                            assert_eq!(f.encoding(), d.charset);
                            // The payload is a slice of the input: no copy.
                            let (base, p) = (bytes.as_ptr().addr(), f.raw().as_ptr().addr());
                            assert!(
                                p >= base
                                    && p.saturating_add(f.raw().len())
                                        <= base.saturating_add(bytes.len())
                            );
                        }
                    }
                }
                (m, WireMessage::Other(o)) => {
                    assert_eq!(&m, o, "other messages are the general path's");
                    assert!(!matches!(o, Message::Events(_)));
                    assert_eq!(
                        w.path,
                        DecodePath::General,
                        "only Events take the fast path"
                    );
                }
                (m, f) => panic!("paths disagree: {m:?} vs {f:?}"),
            }
            Ok(w.path)
        }
        (g, f) => panic!(
            "paths disagree on success: general {:?}, wire {:?}",
            g.map(|x| x.2),
            f.map(|x| x.message)
        ),
    }
}

/// [`paths_agree`] without the error: the path the wire decoder took, `None` when both
/// paths failed.
pub fn assert_paths_agree(bytes: &[u8], ct: Option<&str>, limits: &Limits) -> Option<DecodePath> {
    paths_agree(bytes, ct, limits).ok()
}

/// `wsman_events_fast`: the wire decoder's fast path against the general path. The first byte
/// picks the input shape: arbitrary bytes as a whole envelope (with a `Content-Type` picked by
/// the byte); the rest as the content of `w:Events`; or the rest split at `0xFF` bytes into
/// items, each wrapped as a `w:Event` (its first byte picks CDATA or bare text, the `Action`,
/// the quotes and whitespace; the other bytes are inserted as they are, so `]]>`, `<` and `&`
/// come through). The envelope is an `Events` (or `Heartbeat`) message encoded as UTF-16LE,
/// UTF-16BE or UTF-8, with or without BOM. Both paths must agree on success and on the parsed
/// result (see [`assert_paths_agree`]). Returns the path the wire decoder took.
pub fn events_fast(data: &[u8]) -> Option<DecodePath> {
    let limits = small_limits();
    let (sel, rest) = data.split_first()?;
    if sel & 1 == 0 {
        let ct = match (sel >> 1) % 4 {
            0 => Some("application/soap+xml;charset=UTF-16"),
            1 => Some("application/soap+xml;charset=UTF-8"),
            2 => Some("application/soap+xml;charset=utf-16be"),
            _ => None,
        };
        return assert_paths_agree(rest, ct, &limits);
    }
    let action = if sel & 0x42 == 0x42 {
        "http://schemas.dmtf.org/wbem/wsman/1/wsman/Heartbeat"
    } else {
        "http://schemas.dmtf.org/wbem/wsman/1/wsman/Events"
    };
    let (cs, ct) = match (sel >> 2) % 3 {
        0 => (Charset::Utf16Le, None),
        1 => (
            Charset::Utf16Be,
            Some("application/soap+xml;charset=UTF-16BE"),
        ),
        _ => (Charset::Utf8, None),
    };
    let bom = sel & 0x20 != 0;
    let body: String = if sel & 0x80 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        let mut body = String::new();
        for item in rest.split(|b| *b == 0xFF) {
            let (op, payload) = item.split_first().unwrap_or((&0, &[]));
            let payload = String::from_utf8_lossy(payload);
            let q = if op & 4 == 0 { '"' } else { '\'' };
            let ws = if op & 8 == 0 { "" } else { "\r\n " };
            body.push_str(ws);
            match op & 3 {
                0 => body.push_str("<w:Event>"),
                1 => body.push_str(&format!(
                    "<w:Event Action={q}http://schemas.dmtf.org/wbem/wsman/1/wsman/Event{q}>"
                )),
                2 => body.push_str(&format!("<w:Event Action={q}urn:x{q}>")),
                _ => body
                    .push_str("<x:Event xmlns:x='http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd'>"),
            }
            body.push_str(ws);
            if op & 0x10 == 0 {
                body.push_str("<![CDATA[");
                body.push_str(&payload);
                body.push_str("]]>");
            } else {
                body.push_str(&payload);
            }
            body.push_str(ws);
            body.push_str(if op & 3 == 3 {
                "</x:Event>"
            } else {
                "</w:Event>"
            });
        }
        body
    };
    let text = format!(
        "{OPEN}{action}</a:Action><w:AckRequested/></s:Header><s:Body><w:Events>{body}</w:Events></s:Body></s:Envelope>"
    );
    let mut bytes = Vec::new();
    charset::encode(&text, cs, bom, &mut bytes);
    assert_paths_agree(&bytes, ct, &limits)
}

/// `wsman_bookmark`: `BookmarkList` parsing; what parses renders and parses back equal.
pub fn bookmark(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(b) = Bookmark::parse(&text) {
        let again = b.render();
        assert_eq!(Bookmark::parse(&again).expect("our bookmarks parse"), b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The oracles accept the real capture and reject garbage without panicking.
    #[test]
    fn oracles_run_on_real_data() {
        let hb = crate::shared::read_shared(
            "corpus/wsman/wef-openwec-capture/04-heartbeat.exact.utf16le.bin",
        );
        let mut d = vec![3u8];
        d.extend_from_slice(&hb);
        envelope_parse(&d);
        let ev = crate::shared::read_shared(
            "corpus/wsman/wef-openwec-capture/06-events.doc-verbatim.xml",
        );
        let mut d = vec![4u8];
        d.extend_from_slice(&ev);
        envelope_parse(&d);
        events_body(
            b"\x00<w:Events><w:Event Action=\"x\"><![CDATA[<Event/>]]></w:Event></w:Events>",
        );
        fault_body(b"\x00<s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code></s:Fault>");
        enumeration_body(b"\x02<n:Pull><n:EnumerationContext>c</n:EnumerationContext></n:Pull>");
        eventing_body(b"\x02<e:Renew><e:Expires>PT1S</e:Expires></e:Renew>");
        bookmark(
            b"<BookmarkList><Bookmark Channel='a' RecordId='1' IsCurrent='true'/></BookmarkList>",
        );
        // The captured batch takes the fast path, in UTF-16LE as Windows sends it.
        let cap = String::from_utf8(ev).expect("the capture is UTF-8");
        let mut le = Vec::new();
        charset::encode(&cap, Charset::Utf16Le, true, &mut le);
        assert_eq!(
            assert_paths_agree(&le, None, &Limits::default()),
            Some(DecodePath::Fast)
        );
        let mut d = vec![0u8];
        d.extend_from_slice(&le);
        assert_eq!(events_fast(&d), Some(DecodePath::Fast));
        assert_eq!(
            events_fast(
                b"\x01 <w:Event Action='a'><![CDATA[<Event/>]]></w:Event>\n<w:Event>&lt;E/&gt;</w:Event>",
            ),
            Some(DecodePath::Fast)
        );
        assert_eq!(
            events_fast(b"\x25<w:Event><![CDATA[<Event/>]]></w:Event>"),
            Some(DecodePath::Fast)
        );
        assert_eq!(
            events_fast(b"\x81\x01<Event/>\xFF\x11&lt;E/&gt;\xFF\x0D\xFF\x1A&#233;"),
            Some(DecodePath::Fast)
        );
        // Text after the CDATA section (accepted as mixed content), a NUL character
        // reference (refused): the general path decides.
        assert_eq!(events_fast(b"\x81\x01a]]>b"), Some(DecodePath::General));
        assert_eq!(events_fast(b"\x81\x11x&#0;"), None);
        for garbage in [&b""[..], b"\xFF\xFE\x00", b"<<<", b"\x01<!DOCTYPE x>"] {
            events_fast(garbage);
            envelope_parse(garbage);
            events_body(garbage);
            bookmark(garbage);
        }
    }
}

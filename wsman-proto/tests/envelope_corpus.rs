//! Every envelope of `../shared/corpus/wsman/` parses: the real WEF exchange (byte-exact
//! UTF-16LE captures and the documented envelopes) with its typed content checked, and the 700+
//! WinRM recordings (requests from pypsrp, responses from real Windows) as generic envelopes.

use std::borrow::Cow;

use testkit::shared::{read_shared, shared_path};
use wsman_proto::bookmark::Bookmark;
use wsman_proto::charset::{self, Charset};
use wsman_proto::message::{Item, PayloadForm};
use wsman_proto::{Action, Envelope, Limits, Message, XsDuration};

const WEF: &str = "corpus/wsman/wef-openwec-capture";

#[expect(
    clippy::unwrap_used,
    reason = "test helper: a failure must fail the test"
)]
fn parse_text(text: &str) -> (Envelope<'_>, Message<'_>) {
    let limits = Limits::default();
    let env = Envelope::parse(text, &limits).unwrap();
    let msg = Message::from_envelope(&env, &limits).unwrap();
    (env, msg)
}

#[test]
fn exact_utf16_captures_decode_to_the_exact_xml() {
    for name in ["01-enumerate", "04-heartbeat"] {
        let bin = read_shared(&format!("{WEF}/{name}.exact.utf16le.bin"));
        let xml = read_shared(&format!("{WEF}/{name}.exact.xml"));
        let mut scratch = String::new();
        let d = charset::decode(
            &bin,
            Some("application/soap+xml;charset=UTF-16"),
            &Limits::default(),
            &mut scratch,
        )
        .unwrap();
        assert_eq!(d.charset, Charset::Utf16Le);
        assert!(d.bom);
        assert_eq!(d.replaced, 0);
        assert_eq!(d.text.as_bytes(), xml.as_slice(), "{name}");
        // And back: UTF-16LE with BOM, byte for byte.
        let mut out = Vec::new();
        charset::encode(d.text, Charset::Utf16Le, true, &mut out);
        assert_eq!(out, bin, "{name}");
    }
}

#[test]
fn enumerate_from_windows() {
    let bin = read_shared(&format!("{WEF}/01-enumerate.exact.utf16le.bin"));
    let mut scratch = String::new();
    let d = charset::decode(&bin, None, &Limits::default(), &mut scratch).unwrap();
    let (env, msg) = parse_text(d.text);
    let h = &env.headers;
    assert_eq!(h.action, Some(Action::ENUMERATE));
    assert_eq!(
        h.to.as_deref(),
        Some("http://srv.windomain.local:5985/wsman/SubscriptionManager/WEC")
    );
    assert_eq!(
        h.resource_uri.as_deref(),
        Some("http://schemas.microsoft.com/wbem/wsman/1/SubscriptionManager/Subscription")
    );
    assert_eq!(h.machine_id.as_deref(), Some("win10.windomain.local"));
    assert_eq!(
        h.reply_to.as_deref(),
        Some("http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous")
    );
    assert_eq!(h.max_envelope_size.as_ref().map(|m| m.size), Some(512_000));
    assert_eq!(
        h.message_id.as_deref(),
        Some("uuid:E9802257-6A7D-4C0D-BFA4-E81C7B1C447E")
    );
    assert_eq!(h.locale.as_deref(), Some("en-US"));
    assert_eq!(h.data_locale.as_deref(), Some("en-US"));
    assert_eq!(
        h.session_id.as_deref(),
        Some("uuid:D25DD033-C406-44AB-8443-85E1BC794F10")
    );
    assert_eq!(
        h.operation_id.as_deref(),
        Some("uuid:03A3D1BB-9B16-4847-9F04-C9A8ED38E1E4")
    );
    assert_eq!(h.sequence_id, Some(1));
    assert_eq!(h.operation_timeout, Some(XsDuration::from_millis(60_000)));
    assert!(h.unknown.is_empty());
    let Message::Enumerate(e) = msg else {
        panic!("{msg:?}")
    };
    assert!(e.optimize);
    assert_eq!(e.max_elements, Some(32_000));
    // Borrowed, not copied.
    assert!(matches!(h.machine_id, Some(Cow::Borrowed(_))));
}

#[test]
fn heartbeat_from_windows() {
    let bin = read_shared(&format!("{WEF}/04-heartbeat.exact.utf16le.bin"));
    let mut scratch = String::new();
    let d = charset::decode(&bin, None, &Limits::default(), &mut scratch).unwrap();
    let (env, msg) = parse_text(d.text);
    assert_eq!(msg, Message::Heartbeat);
    assert_eq!(env.headers.action, Some(Action::HEARTBEAT));
    assert!(env.headers.ack_requested);
    assert_eq!(
        env.headers.identifier.as_deref(),
        Some("219C5353-5F3D-4CD7-A644-F6B69E57C1C1")
    );
    assert_eq!(
        env.headers.session_id.as_deref(),
        Some("uuid:981C530F-BE2A-4AAB-BACB-6FB4CD1A14AB")
    );
}

#[test]
fn enumerate_response_carries_the_subscription() {
    let xml = String::from_utf8(read_shared(&format!(
        "{WEF}/02-enumerate-response.doc-pretty.xml"
    )))
    .unwrap();
    let (env, msg) = parse_text(&xml);
    assert_eq!(
        env.headers.relates_to.as_deref(),
        Some("uuid:E9802257-6A7D-4C0D-BFA4-E81C7B1C447E")
    );
    let Message::EnumerateResponse(r) = msg else {
        panic!("{msg:?}")
    };
    assert!(r.end_of_sequence);
    assert_eq!(r.context, "");
    let [Item::Subscription(s)] = r.items.as_slice() else {
        panic!("{:?}", r.items)
    };
    assert_eq!(s.version, "uuid:219C5353-5F3D-4CD7-A644-F6B69E57C1C1");
    assert_eq!(s.headers.action, Some(Action::SUBSCRIBE));
    assert_eq!(
        s.headers.resource_uri.as_deref(),
        Some("http://schemas.microsoft.com/wbem/wsman/1/windows/EventLog")
    );
    let opts = s.headers.options.as_ref().unwrap();
    assert_eq!(
        opts.get("SubscriptionName").unwrap().value.as_deref(),
        Some("Toto")
    );
    assert_eq!(
        opts.get("Compression").unwrap().value.as_deref(),
        Some("SLDC")
    );
    assert_eq!(opts.get("CDATA").unwrap().value, None);
    assert_eq!(
        opts.get("ContentFormat").unwrap().value.as_deref(),
        Some("RenderedText")
    );
    let sub = &s.subscribe;
    let d = &sub.delivery;
    assert_eq!(d.mode, "http://schemas.dmtf.org/wbem/wsman/1/wsman/Events");
    assert_eq!(d.heartbeats, Some(XsDuration::from_millis(3_600_000)));
    assert_eq!(d.max_time, Some(XsDuration::from_millis(30_000)));
    let retry = d.connection_retry.unwrap();
    assert_eq!((retry.total, retry.interval.as_millis()), (5, 60_000));
    let me = d.max_envelope_size.as_ref().unwrap();
    assert_eq!((me.size, me.policy.as_deref()), (512_000, Some("Notify")));
    assert_eq!(d.content_encoding.as_deref(), Some("UTF-16"));
    let notify = d.notify_to.as_ref().unwrap();
    assert_eq!(
        notify.identifier.as_deref(),
        Some("219C5353-5F3D-4CD7-A644-F6B69E57C1C1")
    );
    assert_eq!(
        notify.policy.as_ref().unwrap().profile,
        "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/http/spnego-kerberos"
    );
    assert_eq!(
        sub.end_to.as_ref().unwrap().address,
        "HTTP://srv.windomain.local:5985/wsman/subscriptions/B6BDBB59-FB07-4EE5-841F-EBEC9D67CDD4/1"
    );
    let f = sub.filter.as_ref().unwrap();
    assert_eq!(
        f.dialect.as_deref(),
        Some("http://schemas.microsoft.com/win/2004/08/events/eventquery")
    );
    assert!(f.xml.starts_with("<QueryList>") && f.xml.ends_with("</QueryList>"));
    assert!(sub.send_bookmarks);
    let Bookmark::List(b) = Bookmark::parse(sub.bookmark.as_ref().unwrap()).unwrap() else {
        panic!()
    };
    assert_eq!(b[0].record_id, 149_140);
}

#[test]
fn events_batch_from_windows() {
    let xml = String::from_utf8(read_shared(&format!("{WEF}/06-events.doc-verbatim.xml"))).unwrap();
    let (env, msg) = parse_text(&xml);
    assert_eq!(env.headers.action, Some(Action::EVENTS));
    assert!(env.headers.ack_requested);
    let Message::Events(batch) = msg else {
        panic!("{msg:?}")
    };
    assert!(batch.items.len() >= 2, "{}", batch.items.len());
    for ev in &batch.items {
        assert_eq!(ev.action.as_deref(), Some(Action::EVENT.as_str()));
        assert_eq!(ev.form, PayloadForm::Cdata);
        assert!(matches!(ev.xml, Cow::Borrowed(_)));
        assert!(ev.xml.starts_with("<Event"));
        assert!(ev.xml.trim_end().ends_with("</Event>"));
        // The slice points into the envelope text: no copy.
        let base = xml.as_ptr().addr();
        let p = ev.xml.as_ptr().addr();
        assert!(p > base && p < base + xml.len());
    }
    let Bookmark::List(b) = Bookmark::parse(env.headers.bookmark.as_ref().unwrap()).unwrap() else {
        panic!()
    };
    assert_eq!(
        (b[0].channel.as_ref(), b[0].record_id, b[0].is_current),
        ("Microsoft-Windows-WinRM/Operational", 149_161, true)
    );
}

#[test]
fn end_and_acks() {
    for (file, expect) in [
        ("03-end.doc-pretty.xml", Message::End),
        ("05-ack-heartbeat.doc-pretty.xml", Message::Ack),
        ("07-ack-events.doc-pretty.xml", Message::Ack),
    ] {
        let xml = String::from_utf8(read_shared(&format!("{WEF}/{file}"))).unwrap();
        let (_, msg) = parse_text(&xml);
        assert_eq!(msg, expect, "{file}");
    }
}

#[test]
fn every_winrm_recording_parses() {
    let root = shared_path("corpus/wsman/winrm-pypsrp-recorded");
    let mut count = 0;
    let mut faults = 0;
    let mut rejected = 0;
    let mut codes = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().and_then(|e| e.to_str()) != Some("xml") {
                continue;
            }
            let bytes = std::fs::read(&f).unwrap();
            let mut scratch = String::new();
            let limits = Limits::default();
            let d = charset::decode(&bytes, None, &limits, &mut scratch)
                .unwrap_or_else(|e| panic!("{}: {e:?}", f.display()));
            let env = match Envelope::parse(d.text, &limits) {
                Ok(env) => env,
                Err(e) => {
                    // The one request Windows itself rejected: our fault must match its answer.
                    assert!(
                        f.ends_with("test_psrp_is_alive_other_wsman_error/004-request-Get.xml")
                    );
                    let ours = e.soap_fault().unwrap();
                    let resp = std::fs::read_to_string(dir.join("004-response-fault.xml")).unwrap();
                    let renv = Envelope::parse(&resp, &limits).unwrap();
                    let Message::Fault(theirs) = Message::from_envelope(&renv, &limits).unwrap()
                    else {
                        panic!()
                    };
                    assert_eq!(ours.code, theirs.code);
                    assert_eq!(ours.subcode, theirs.subcode);
                    assert_eq!(
                        ours.wsman_fault.as_ref().map(|w| w.code),
                        theirs.wsman_fault.as_ref().map(|w| w.code)
                    );
                    assert_eq!(ours.action(), renv.headers.action.unwrap());
                    rejected += 1;
                    continue;
                }
            };
            env.headers
                .action
                .as_ref()
                .expect("every recording has an Action");
            cross_check_with_roxmltree(d.text, &env);
            let msg = Message::from_envelope(&env, &limits)
                .unwrap_or_else(|e| panic!("{}: {e:?}", f.display()));
            if let Message::Fault(fault) = &msg {
                faults += 1;
                assert!(fault.code.is_known());
                if let Some(w) = &fault.wsman_fault {
                    codes.push(w.code);
                    assert!(!w.message.is_empty());
                }
            }
            count += 1;
        }
    }
    assert_eq!(rejected, 1);
    assert!(count >= 700, "{count}");
    assert!(faults >= 5, "{faults}");
    assert!(codes.contains(&2_150_858_793), "{codes:?}");
}

/// An independent XML parser (roxmltree) must see the same header values.
#[expect(clippy::unwrap_used, reason = "test helper: a failure fails the test")]
fn cross_check_with_roxmltree(text: &str, env: &Envelope<'_>) {
    const SOAP: &str = "http://www.w3.org/2003/05/soap-envelope";
    const WSA: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    const WSMAN: &str = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
    let doc = roxmltree::Document::parse(text).unwrap();
    let header = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name((SOAP, "Header")))
        .unwrap();
    let get = |ns: &str, local: &str| {
        header
            .children()
            .find(|n| n.has_tag_name((ns, local)))
            .map(|n| n.text().unwrap_or("").trim().to_owned())
    };
    let h = &env.headers;
    assert_eq!(
        get(WSA, "Action").as_deref(),
        h.action.as_ref().map(|a| a.as_str())
    );
    assert_eq!(get(WSA, "MessageID").as_deref(), h.message_id.as_deref());
    assert_eq!(get(WSA, "RelatesTo").as_deref(), h.relates_to.as_deref());
    assert_eq!(get(WSA, "To").as_deref(), h.to.as_deref());
    assert_eq!(
        get(WSMAN, "ResourceURI").as_deref(),
        h.resource_uri.as_deref()
    );
    let n_sel = header
        .children()
        .find(|n| n.has_tag_name((WSMAN, "SelectorSet")))
        .map_or(0, |s| {
            s.children().filter(roxmltree::Node::is_element).count()
        });
    assert_eq!(n_sel, h.selectors.len());
    let n_opt = header
        .children()
        .find(|n| n.has_tag_name((WSMAN, "OptionSet")))
        .map_or(0, |s| {
            s.children().filter(roxmltree::Node::is_element).count()
        });
    assert_eq!(n_opt, h.options.as_ref().map_or(0, |o| o.options.len()));
}

#[test]
fn event_slices_match_an_independent_parser() {
    let xml = String::from_utf8(read_shared(&format!("{WEF}/06-events.doc-verbatim.xml"))).unwrap();
    let (_, msg) = parse_text(&xml);
    let Message::Events(batch) = msg else {
        panic!()
    };
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let theirs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name(("http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd", "Event")))
        .map(|n| n.text().unwrap_or("").trim().to_owned())
        .collect();
    let ours: Vec<&str> = batch.items.iter().map(|e| e.xml.trim()).collect();
    assert_eq!(ours, theirs);
}

/// Our Ack to the captured heartbeat / events batch carries what the real collector's did.
#[test]
fn acks_answer_like_the_real_collector() {
    for (request, response) in [
        ("04-heartbeat.exact.xml", "05-ack-heartbeat.doc-pretty.xml"),
        ("06-events.doc-verbatim.xml", "07-ack-events.doc-pretty.xml"),
    ] {
        let req = String::from_utf8(read_shared(&format!("{WEF}/{request}"))).unwrap();
        let resp = String::from_utf8(read_shared(&format!("{WEF}/{response}"))).unwrap();
        let (req_env, _) = parse_text(&req);
        let (their_env, their_msg) = parse_text(&resp);
        let mid = their_env.headers.message_id.clone().unwrap();
        let headers = wsman_proto::Headers::response_to(&req_env.headers, Action::ACK, &mid);
        let mut xml = String::new();
        Message::Ack.render(&headers, &mut xml);
        let (our_env, our_msg) = parse_text(&xml);
        assert_eq!(our_msg, their_msg);
        assert_eq!(our_env.headers, their_env.headers, "{response}");
    }
}

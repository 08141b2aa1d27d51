//! Events bodies: the 21-event WEF batch of OpenWEC's protocol documentation, as UTF-8 and as
//! UTF-16LE with BOM (what Windows sends), and the three ways an item can carry its event.
#![expect(clippy::unwrap_used, reason = "test helpers outside #[test] functions")]

use evtxml::{Charset, Normalizer, events_in_body, to_utf8};
use testkit::shared::{read_shared, shared_path};

/// The doc printed `\'` for `'` and broke the line after `<Event`; the corpus README says the
/// per-event files undo exactly that.
fn undo_doc_artifacts(xml: &str) -> String {
    let fixed = xml.replace("\\'", "'");
    let (head, tail) = fixed.split_once("<Event").unwrap();
    let tail = tail.trim_start();
    format!("{head}<Event {tail}")
}

fn expected_events() -> Vec<String> {
    let dir = shared_path("corpus/events/wef-native/openwec/protocol-doc-events-batch");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

#[test]
fn iterates_the_documented_batch() {
    let body = String::from_utf8(read_shared(
        "corpus/wsman/wef-openwec-capture/06-events.doc-verbatim.xml",
    ))
    .unwrap();
    let items: Vec<_> = events_in_body(&body).map(Result::unwrap).collect();
    let expected = expected_events();
    assert_eq!(items.len(), 21);
    assert_eq!(expected.len(), 21);
    for (item, exp) in items.iter().zip(&expected) {
        assert!(
            matches!(item.xml, std::borrow::Cow::Borrowed(_)),
            "cdata is borrowed"
        );
        assert_eq!(
            item.action.as_deref(),
            Some("http://schemas.dmtf.org/wbem/wsman/1/wsman/Event")
        );
        assert_eq!(&undo_doc_artifacts(&item.xml), exp);
        let mut n = Normalizer::default();
        assert_eq!(n.normalize(exp).status(), "clean");
    }
}

#[test]
fn utf16le_body_with_bom() {
    let body = String::from_utf8(read_shared(
        "corpus/wsman/wef-openwec-capture/06-events.doc-verbatim.xml",
    ))
    .unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(body.encode_utf16().flat_map(u16::to_le_bytes));
    let mut scratch = String::new();
    let text = to_utf8(&bytes, Charset::Auto, &mut scratch).unwrap();
    assert_eq!(text, body);
    assert_eq!(events_in_body(text).count(), 21);
    // Big-endian, declared.
    let be: Vec<u8> = body.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let mut scratch2 = String::new();
    assert_eq!(to_utf8(&be, Charset::Utf16Be, &mut scratch2).unwrap(), body);
}

#[test]
fn real_utf16le_capture_decodes() {
    let bytes = read_shared("corpus/wsman/wef-openwec-capture/04-heartbeat.exact.utf16le.bin");
    let exact = read_shared("corpus/wsman/wef-openwec-capture/04-heartbeat.exact.xml");
    let mut scratch = String::new();
    let text = to_utf8(&bytes, Charset::Auto, &mut scratch).unwrap();
    assert_eq!(
        text.as_bytes(),
        exact.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&exact)
    );
    assert_eq!(events_in_body(text).count(), 0);
}

#[test]
fn escaped_inline_and_cdata_items() {
    let event = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
                 <EventID>1</EventID></System><EventData><Data Name='a'>x &amp; y</Data>\
                 </EventData></Event>";
    let escaped = event
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let body = format!(
        "<s:Envelope xmlns:s='http://www.w3.org/2003/05/soap-envelope' \
         xmlns:w='http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd'><s:Body><w:Events>\
         <w:Event Action='a'>{escaped}</w:Event>\
         <w:Event Action='b'>\n  <![CDATA[{event}]]>\n</w:Event>\
         <w:Event Action='c'>{event}</w:Event>\
         <w:Event Action='d'>&bogus;</w:Event>\
         <w:Event Action='e'><![CDATA[{event}]]></w:Event>\
         </w:Events></s:Body></s:Envelope>"
    );
    let items: Vec<_> = events_in_body(&body).collect();
    assert_eq!(items.len(), 5);
    for (i, item) in items.iter().enumerate() {
        if i == 3 {
            assert!(item.is_err(), "an undefined entity is refused");
            continue;
        }
        let item = item.as_ref().unwrap();
        assert_eq!(item.xml, event, "item {i}");
        let mut n = Normalizer::default();
        let out = n.normalize(&item.xml);
        assert_eq!(out.event().unwrap().data("a"), Some("x & y"));
    }
}

#[test]
fn malformed_body_ends_with_an_error() {
    let body = "<w:Events xmlns:w='http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd'>\
                <w:Event><![CDATA[<Event/>]]></w:Event><w:Event><![CDATA[<Ev";
    let items: Vec<_> = events_in_body(body).collect();
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(items[1].is_err());
}

//! The wire decoder ([`wire::decode`]: `Events` payloads scanned in their wire encoding) against
//! the general path (whole transcode, [`Envelope::parse`], [`Message::from_envelope`]): the same
//! headers, the same event texts and the same errors, on every envelope of the shared corpus in
//! every encoding, on generated `Events` batches (CDATA and escaped, UTF-16LE/BE and UTF-8, with
//! and without BOM, several namespace layouts) and on their malformed mutations and tight limits.
#![expect(
    clippy::string_slice,
    clippy::arithmetic_side_effects,
    reason = "tests: a failure must fail the test"
)]

use proptest::prelude::*;
use testkit::shared::{read_shared, shared_path};
use wsman_proto::charset::{self, Charset};
use wsman_proto::message::PayloadForm;
use wsman_proto::message::wire::{self, DecodePath, WireMessage};
use wsman_proto::{Action, Error, Limits, ns};

/// Decodes `bytes` on both paths and checks they agree (the oracle of the
/// `wsman_events_fast` fuzz target). Returns the wire path taken, or the (common) error.
fn equivalent(bytes: &[u8], ct: Option<&str>, limits: &Limits) -> Result<DecodePath, Error> {
    testkit::oracles::wsman::paths_agree(bytes, ct, limits)
}

const ENCODINGS: [(Charset, bool); 6] = [
    (Charset::Utf16Le, true),
    (Charset::Utf16Le, false),
    (Charset::Utf16Be, true),
    (Charset::Utf16Be, false),
    (Charset::Utf8, true),
    (Charset::Utf8, false),
];

fn encoded(xml: &str, cs: Charset, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    charset::encode(xml, cs, bom, &mut out);
    out
}

/// The content type that makes a BOM-less UTF-16BE body unambiguous.
fn content_type(cs: Charset) -> Option<&'static str> {
    match cs {
        Charset::Utf16Be => Some("application/soap+xml;charset=UTF-16BE"),
        _ => None,
    }
}

#[test]
fn every_corpus_envelope_agrees_in_every_encoding() {
    let mut files = Vec::new();
    let mut dirs = vec![shared_path("corpus/wsman")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().and_then(|e| e.to_str()) == Some("xml") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() > 700, "{}", files.len());
    let limits = Limits::default();
    let mut fast = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let Ok(text) = String::from_utf8(bytes.clone()) else {
            continue;
        };
        let text = text.trim_start_matches('\u{feff}');
        let _ = equivalent(&bytes, None, &limits);
        for (cs, bom) in ENCODINGS {
            if let Ok(DecodePath::Fast) =
                equivalent(&encoded(text, cs, bom), content_type(cs), &limits)
            {
                fast += 1;
            }
        }
    }
    // The captured Events batch takes the fast path in all six encodings.
    assert!(fast >= 6, "{fast}");
}

#[test]
fn the_captured_batch_takes_the_fast_path() {
    let xml = String::from_utf8(read_shared(
        "corpus/wsman/wef-openwec-capture/06-events.doc-verbatim.xml",
    ))
    .unwrap();
    for (cs, bom) in ENCODINGS {
        let bytes = encoded(&xml, cs, bom);
        assert_eq!(
            equivalent(&bytes, content_type(cs), &Limits::default()).unwrap(),
            DecodePath::Fast,
            "{cs:?} {bom}"
        );
        let mut scratch = wire::Scratch::new();
        let d = wire::decode(&bytes, content_type(cs), &Limits::default(), &mut scratch).unwrap();
        assert_eq!(d.envelope.headers.action, Some(Action::EVENTS));
        assert!(d.envelope.headers.ack_requested);
        let WireMessage::Events(batch) = &d.message else {
            panic!()
        };
        assert!(batch.items.len() >= 2);
        for ev in &batch.items {
            assert_eq!(ev.form, PayloadForm::Cdata);
            assert_eq!(ev.action.as_deref(), Some(Action::EVENT.as_str()));
            // UTF-8 input borrows straight through.
            let mut text = String::new();
            let t = ev.to_utf8(&mut text);
            assert!(t.starts_with("<Event"), "{t}");
            if cs == Charset::Utf8 {
                assert!(text.is_empty());
            }
        }
    }
}

/// How the WS-Management namespace reaches the items.
#[derive(Debug, Clone, Copy)]
enum Layout {
    /// `w:` on the envelope root, as Windows sends it.
    Root,
    /// A prefix declared on the `Events` element itself.
    OnEvents,
    /// The default namespace declared on `Events` (unprefixed items).
    Default,
    /// A prefix declared on the `Body`.
    OnBody,
    /// `w:Events` (root declaration) holding items of another prefix it declares itself.
    Mixed,
}

#[derive(Debug, Clone)]
struct Item {
    action: Option<String>,
    text: String,
    cdata: bool,
    /// Whitespace before / after the payload.
    ws: (String, String),
    single_quote: bool,
}

#[derive(Debug, Clone)]
struct Batch {
    layout: Layout,
    items: Vec<Item>,
    sep: String,
    bookmark: bool,
}

fn escape(text: &str, refs: bool) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            'é' if refs => out.push_str("&#233;"),
            '😀' if refs => out.push_str("&#x1F600;"),
            '"' if refs => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

fn build(b: &Batch) -> String {
    let (root_ns, body_ns, events_tag, events_attrs, item) = match b.layout {
        Layout::Root => (
            format!(" xmlns:w=\"{}\"", ns::WSMAN),
            String::new(),
            "w:Events",
            String::new(),
            "w:Event",
        ),
        Layout::OnEvents => (
            String::new(),
            String::new(),
            "ev:Events",
            format!(" xmlns:ev=\"{}\"", ns::WSMAN),
            "ev:Event",
        ),
        Layout::Default => (
            String::new(),
            String::new(),
            "Events",
            format!(" xmlns=\"{}\"", ns::WSMAN),
            "Event",
        ),
        Layout::OnBody => (
            String::new(),
            format!(" xmlns:x=\"{}\"", ns::WSMAN),
            "x:Events",
            String::new(),
            "x:Event",
        ),
        Layout::Mixed => (
            format!(" xmlns:w=\"{}\"", ns::WSMAN),
            String::new(),
            "w:Events",
            format!(" xmlns:y=\"{}\"", ns::WSMAN),
            "y:Event",
        ),
    };
    let mut s = format!(
        "<s:Envelope xmlns:s=\"{}\" xmlns:a=\"{}\"{root_ns}><s:Header>\
         <a:Action s:mustUnderstand=\"true\">{}</a:Action>\
         <a:MessageID>uuid:6D7F1E34-1D5E-4B0A-9E3B-0F9C4E1A2B3C</a:MessageID>",
        ns::SOAP,
        ns::ADDRESSING,
        Action::EVENTS.as_str()
    );
    if b.bookmark {
        s.push_str(&format!(
            "<w2:Bookmark xmlns:w2=\"{}\"><BookmarkList><Bookmark Channel=\"Security\" \
             RecordId=\"7\" IsCurrent=\"true\"/></BookmarkList></w2:Bookmark>\
             <w2:AckRequested xmlns:w2=\"{}\"/>",
            ns::WSMAN,
            ns::WSMAN
        ));
    }
    s.push_str(&format!(
        "</s:Header><s:Body{body_ns}><{events_tag}{events_attrs}>"
    ));
    for it in &b.items {
        s.push_str(&b.sep);
        let q = if it.single_quote { '\'' } else { '"' };
        match &it.action {
            Some(a) => s.push_str(&format!("<{item} Action={q}{a}{q}>")),
            None => s.push_str(&format!("<{item}>")),
        }
        s.push_str(&it.ws.0);
        if it.cdata {
            s.push_str("<![CDATA[");
            s.push_str(&it.text.replace("]]>", "]]]]><![CDATA[>"));
            s.push_str("]]>");
        } else {
            s.push_str(&escape(&it.text, it.single_quote));
        }
        s.push_str(&it.ws.1);
        s.push_str(&format!("</{item}>"));
    }
    s.push_str(&b.sep);
    s.push_str(&format!("</{events_tag}></s:Body></s:Envelope>"));
    s
}

fn payload_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => Just("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>4624</EventID></System></Event>".to_owned()),
        2 => "[ -~]{0,40}",
        1 => Just("]]".to_owned()),
        1 => Just("]]>".to_owned()),
        1 => Just("é😀中文\u{FFFD}".to_owned()),
        1 => Just(" \r\n\t".to_owned()),
        1 => Just("&amp; & < > \" '".to_owned()),
    ];
    proptest::collection::vec(piece, 0..5).prop_map(|v| v.concat())
}

fn ws() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => Just(" ".to_owned()),
        1 => Just("\r\n  ".to_owned()),
        1 => Just("\n\t".to_owned()),
    ]
}

fn item() -> impl Strategy<Value = Item> {
    (
        prop_oneof![
            4 => Just(Some(Action::EVENT.as_str().to_owned())),
            1 => Just(None),
            1 => Just(Some("urn:other:action".to_owned())),
            1 => Just(Some("caf\u{e9} \u{1F600}".to_owned())),
        ],
        payload_text(),
        any::<bool>(),
        (ws(), ws()),
        any::<bool>(),
    )
        .prop_map(|(action, text, cdata, ws, single_quote)| Item {
            action,
            text,
            cdata,
            ws,
            single_quote,
        })
}

fn batch() -> impl Strategy<Value = Batch> {
    (
        prop_oneof![
            Just(Layout::Root),
            Just(Layout::OnEvents),
            Just(Layout::Default),
            Just(Layout::OnBody),
            Just(Layout::Mixed)
        ],
        proptest::collection::vec(item(), 0..8),
        ws(),
        any::<bool>(),
    )
        .prop_map(|(layout, items, sep, bookmark)| Batch {
            layout,
            items,
            sep,
            bookmark,
        })
}

/// Whether the batch is of the shape the fast path must take (one CDATA section per item).
fn fast_shape(b: &Batch) -> bool {
    !b.items.is_empty() && b.items.iter().all(|i| !(i.cdata && i.text.contains("]]>")))
}

#[derive(Debug, Clone)]
enum Mutation {
    None,
    Truncate(usize),
    Remove(usize),
    Insert(usize, &'static str),
    WrongNamespace,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => Just(Mutation::None),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        1 => any::<usize>().prop_map(Mutation::Remove),
        2 => (
            any::<usize>(),
            prop_oneof![
                Just("<x/>"),
                Just("]]>"),
                Just("<w:Event>"),
                Just("</w:Event>"),
                Just("<![CDATA["),
                Just("&bogus;"),
                Just("&#0;"),
                Just("<!--c-->"),
                Just("<!DOCTYPE x>"),
                Just("<w:Events>"),
                Just("'"),
                Just(" Extra='1'"),
            ]
        )
            .prop_map(|(i, s)| Mutation::Insert(i, s)),
        1 => Just(Mutation::WrongNamespace),
    ]
}

fn mutate(xml: &str, m: &Mutation) -> String {
    let at = |i: usize| {
        let n = xml.chars().count().max(1);
        xml.char_indices().nth(i % n).map_or(xml.len(), |(b, _)| b)
    };
    match m {
        Mutation::None => xml.to_owned(),
        Mutation::Truncate(i) => xml[..at(*i)].to_owned(),
        Mutation::Remove(i) => {
            let b = at(*i);
            let mut s = xml.to_owned();
            if b < s.len() {
                s.remove(b);
            }
            s
        }
        Mutation::Insert(i, what) => {
            let mut s = xml.to_owned();
            s.insert_str(at(*i), what);
            s
        }
        // The last declaration: the items' own in the `Mixed` layout.
        Mutation::WrongNamespace => match xml.rfind(ns::WSMAN) {
            Some(i) => format!(
                "{}{}{}",
                &xml[..i],
                ns::MS_WSMAN,
                &xml[i + ns::WSMAN.len()..]
            ),
            None => xml.to_owned(),
        },
    }
}

fn limits() -> impl Strategy<Value = Limits> {
    prop_oneof![
        4 => Just(Limits::default()),
        1 => (1usize..6).prop_map(|n| Limits { max_events: n, ..Limits::default() }),
        1 => (3usize..7).prop_map(|n| Limits { max_depth: n, ..Limits::default() }),
        1 => (4usize..20).prop_map(|n| Limits { max_elements: n, ..Limits::default() }),
        1 => (0usize..300).prop_map(|n| Limits { max_text_bytes: n, ..Limits::default() }),
        1 => (0usize..60).prop_map(|n| Limits { max_attribute_bytes: n, ..Limits::default() }),
        1 => (0usize..2).prop_map(|n| Limits { max_attributes: n, ..Limits::default() }),
        1 => (200usize..2000).prop_map(|n| Limits { max_envelope_bytes: n, ..Limits::default() }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Well-formed generated batches: the fast path is taken whenever the shape allows, and
    /// agrees with the general path in every encoding.
    #[test]
    fn generated_batches_agree(b in batch(), enc in 0usize..6) {
        let (cs, bom) = ENCODINGS[enc];
        let xml = build(&b);
        let path = equivalent(&encoded(&xml, cs, bom), content_type(cs), &Limits::default())
            .unwrap_or_else(|e| panic!("{e:?}\n{xml}"));
        if fast_shape(&b) {
            prop_assert_eq!(path, DecodePath::Fast, "{}", xml);
        }
    }

    /// Malformed mutations and tight limits: both paths fail with the same error or succeed
    /// with the same result.
    #[test]
    fn mutated_batches_agree(b in batch(), enc in 0usize..6, m in mutation(), l in limits()) {
        let (cs, bom) = ENCODINGS[enc];
        let xml = mutate(&build(&b), &m);
        let _ = equivalent(&encoded(&xml, cs, bom), content_type(cs), &l);
    }

    /// Unpaired surrogates inside UTF-16 payloads are repaired the same way on both paths.
    #[test]
    fn lone_surrogates_agree(b in batch(), at in any::<usize>(), unit in 0xD800u16..0xE000, be in any::<bool>()) {
        let xml = build(&b);
        let cs = if be { Charset::Utf16Be } else { Charset::Utf16Le };
        let mut bytes = encoded(&xml, cs, true);
        let units = bytes.len() / 2;
        let i = 1 + at % (units - 1);
        let pair = if be { unit.to_be_bytes() } else { unit.to_le_bytes() };
        bytes[2 * i..2 * i + 2].copy_from_slice(&pair);
        let _ = equivalent(&bytes, None, &Limits::default());
    }
}

/// The hostile inputs of `envelope_hostile.rs`, as bytes through both paths.
#[test]
fn hostile_inputs_fail_alike() {
    let open = format!(
        "<s:Envelope xmlns:s=\"{}\" xmlns:a=\"{}\" xmlns:w=\"{}\"><s:Header><a:Action>{}</a:Action></s:Header><s:Body>",
        ns::SOAP,
        ns::ADDRESSING,
        ns::WSMAN,
        Action::EVENTS.as_str()
    );
    let close = "</s:Body></s:Envelope>";
    let ok = "<w:Event Action=\"x\"><![CDATA[<Event/>]]></w:Event>";
    let mut nested = String::new();
    for _ in 0..100_000 {
        nested.push_str("<a>");
    }
    let cases: Vec<(String, Limits)> = vec![
        // DOCTYPE and entity bombs.
        (
            format!("<!DOCTYPE s:Envelope>{open}<w:Events>{ok}</w:Events>{close}"),
            Limits::default(),
        ),
        (
            format!("{open}<w:Events>{ok}<w:Event>&lol9;</w:Event></w:Events>{close}"),
            Limits::default(),
        ),
        (
            format!("{open}<w:Events><w:Event Action=\"&lol9;\">x</w:Event></w:Events>{close}"),
            Limits::default(),
        ),
        // A big attribute.
        (
            format!(
                "{open}<w:Events><w:Event Action=\"{}\">x</w:Event></w:Events>{close}",
                "a".repeat(70_000)
            ),
            Limits::default(),
        ),
        // Deep nesting inside an event.
        (
            format!("{open}<w:Events>{ok}<w:Event>{nested}</w:Event></w:Events>{close}"),
            Limits {
                max_envelope_bytes: 1 << 20,
                ..Limits::default()
            },
        ),
        // Wrong namespace for the items, for Events, for the envelope.
        (
            format!(
                "{open}<w:Events><m:Event xmlns:m=\"urn:x\"><![CDATA[a]]></m:Event></w:Events>{close}"
            ),
            Limits::default(),
        ),
        (
            format!("{open}<m:Events xmlns:m=\"urn:x\">{ok}</m:Events>{close}"),
            Limits::default(),
        ),
        (
            format!(
                "{open}<w:Events xmlns:x=\"urn:x\"><x:Event><![CDATA[a]]></x:Event></w:Events>{close}"
            ),
            Limits::default(),
        ),
        (
            format!(
                "{open}<w:Events xmlns=\"urn:x\"><Event><![CDATA[a]]></Event></w:Events>{close}"
            ),
            Limits::default(),
        ),
        (
            format!("{open}<w:Events><Event><![CDATA[a]]></Event></w:Events>{close}"),
            Limits::default(),
        ),
        (
            format!(
                "{}<w:Events>{ok}</w:Events>{close}",
                open.replace(ns::SOAP, ns::SOAP11)
            ),
            Limits::default(),
        ),
        // Missing Action.
        (
            format!(
                "{}<w:Events>{ok}</w:Events>{close}",
                open.replace("<a:Action>", "<a:To>")
                    .replace("</a:Action>", "</a:To>")
            ),
            Limits::default(),
        ),
        // A body that stops mid-element, `]]>` missing, a stray element.
        (
            format!("{open}<w:Events>{ok}<w:Event><![CDATA[<Event"),
            Limits::default(),
        ),
        (
            format!("{open}<w:Events><w:Event><![CDATA[<Event/></w:Event></w:Events>{close}"),
            Limits::default(),
        ),
        (
            format!("{open}<w:Events>{ok}<w:Other/></w:Events>{close}"),
            Limits::default(),
        ),
        (
            format!("{open}<w:Events>{ok}</w:Events><w:Extra>{close}"),
            Limits::default(),
        ),
        // Limits: events per batch, envelope size, depth, elements.
        (
            format!("{open}<w:Events>{ok}{ok}{ok}</w:Events>{close}"),
            Limits {
                max_events: 2,
                ..Limits::default()
            },
        ),
        (
            format!("{open}<w:Events>{ok}{ok}{ok}</w:Events>{close}"),
            Limits {
                max_envelope_bytes: 300,
                ..Limits::default()
            },
        ),
        (
            format!("{open}<w:Events>{ok}</w:Events>{close}"),
            Limits {
                max_depth: 3,
                ..Limits::default()
            },
        ),
        (
            format!("{open}<w:Events>{ok}{ok}</w:Events>{close}"),
            Limits {
                max_elements: 6,
                ..Limits::default()
            },
        ),
    ];
    for (i, (xml, limits)) in cases.iter().enumerate() {
        for (cs, bom) in ENCODINGS {
            let r = equivalent(&encoded(xml, cs, bom), content_type(cs), limits);
            assert!(r.is_err(), "case {i} {cs:?}: {r:?}");
        }
    }
}

/// Large batches: the limit on events per batch, and payloads dense in `]` (each one a stop of
/// the `]]>` search) stay on the fast path, linear, and agree with the general path.
#[test]
fn large_batches() {
    let item = |text: &str| Item {
        action: Some(Action::EVENT.as_str().to_owned()),
        text: text.to_owned(),
        cdata: true,
        ws: (String::new(), String::new()),
        single_quote: false,
    };
    let batch = |n: usize, text: &str| Batch {
        layout: Layout::Root,
        items: vec![item(text); n],
        sep: String::new(),
        bookmark: true,
    };
    let limits = Limits {
        max_envelope_bytes: 4 << 20,
        ..Limits::default()
    };
    // 10 000 events (the default limit): fast; one more: the general path's limit error.
    let xml = build(&batch(10_000, "<E/>"));
    let bytes = encoded(&xml, Charset::Utf16Le, true);
    assert_eq!(equivalent(&bytes, None, &limits).unwrap(), DecodePath::Fast);
    let xml = build(&batch(10_001, "<E/>"));
    let e = equivalent(&encoded(&xml, Charset::Utf16Le, true), None, &limits).unwrap_err();
    assert!(
        matches!(e, Error::Limit(l) if l.limit == wsman_proto::Limit::Events),
        "{e:?}"
    );
    // 500 KB of payloads that are mostly `]`.
    let dense = "]] ]".repeat(600);
    let xml = build(&batch(100, &dense));
    for (cs, bom) in ENCODINGS {
        let bytes = encoded(&xml, cs, bom);
        assert_eq!(
            equivalent(&bytes, content_type(cs), &limits).unwrap(),
            DecodePath::Fast
        );
    }
}

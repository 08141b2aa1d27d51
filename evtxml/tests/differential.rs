//! Differential test against an independent XML parser (roxmltree): on every corpus event
//! roxmltree accepts, the values we extract equal the ones it reads from its DOM; where it
//! refuses the document, we never call the event clean.
#![expect(clippy::unwrap_used, reason = "test helpers outside #[test] functions")]

use evtxml::{Normalized, Normalizer, Payload};
use testkit::shared::shared_path;

const NS: &str = "http://schemas.microsoft.com/win/2004/08/events/event";

fn corpus() -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(shared_path("corpus/events/evtx-rendered/bulk")).unwrap() {
        for line in std::fs::read_to_string(e.unwrap().path()).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            out.push(v.get("xml").unwrap().as_str().unwrap().to_owned());
        }
    }
    let mut stack = vec![shared_path("corpus/events/wef-native")];
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

/// XML end-of-line handling (roxmltree applies it to literal CR; we keep the text as written).
fn eol(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Text content of an element as roxmltree sees it (all text children concatenated).
fn text(n: roxmltree::Node<'_, '_>) -> String {
    n.children()
        .filter(|c| c.is_text())
        .map(|c| c.text().unwrap_or_default())
        .collect()
}

#[test]
fn values_match_roxmltree() {
    let mut n = Normalizer::default();
    let (mut compared, mut refused) = (0usize, 0usize);
    for xml in corpus() {
        let ours = n.normalize(&xml);
        let doc = match roxmltree::Document::parse(&xml) {
            Ok(d) => d,
            Err(_) => {
                refused = refused.saturating_add(1);
                assert!(
                    !matches!(ours, Normalized::Clean(_)),
                    "clean but roxmltree refuses: {xml}"
                );
                continue;
            }
        };
        let event = ours
            .event()
            .unwrap_or_else(|| panic!("roxmltree accepts, we do not: {xml}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some(NS));
        let sys = child(root, "System").unwrap();
        if let Some(id) = child(sys, "EventID") {
            assert_eq!(
                event.system.event_id.as_ref().map(|n| &*n.raw),
                Some(&*text(id))
            );
        }
        if let Some(c) = child(sys, "Computer") {
            assert_eq!(event.computer().map(eol), Some(eol(&text(c))));
        }
        if let Some(p) = child(sys, "Provider") {
            assert_eq!(event.provider_name(), p.attribute("Name"));
        }
        if let Some(t) = child(sys, "TimeCreated") {
            assert_eq!(event.time_created(), t.attribute("SystemTime"));
        }
        if let Some(ed) = child(root, "EventData") {
            let theirs: Vec<(Option<&str>, String)> = ed
                .children()
                .filter(|c| c.is_element() && c.tag_name().name() == "Data")
                .map(|d| (d.attribute("Name"), eol(&text(d))))
                .collect();
            let Payload::EventData(d) = &event.payload else {
                panic!("payload kind: {xml}")
            };
            let mine: Vec<(Option<&str>, String)> = d
                .items
                .iter()
                .map(|i| (i.name.as_deref(), eol(&i.value)))
                .collect();
            assert_eq!(mine, theirs);
            if let Some(b) = child(ed, "Binary") {
                assert_eq!(d.binary.as_deref().map(eol), Some(eol(&text(b))));
            }
        }
        if let Some(r) = child(root, "RenderingInfo") {
            let ri = event.rendering_info.as_ref().unwrap();
            if let Some(m) = child(r, "Message") {
                assert_eq!(ri.message.as_deref().map(eol), Some(eol(&text(m))));
            }
        }
        compared = compared.saturating_add(1);
    }
    assert!(compared > 3700, "{compared} compared, {refused} refused");
}

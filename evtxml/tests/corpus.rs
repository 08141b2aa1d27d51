//! Every event of the shared corpus parses; malformed ones degrade as documented.
#![expect(clippy::unwrap_used, reason = "test helpers outside #[test] functions")]

use std::path::{Path, PathBuf};

use evtxml::{Normalized, Normalizer};
use testkit::shared::shared_path;

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, ext, out);
        } else if p.to_string_lossy().ends_with(ext) {
            out.push(p);
        }
    }
}

fn status(n: &Normalized<'_>) -> String {
    match n {
        Normalized::Clean(_) => "clean".into(),
        Normalized::Recovered { repairs, .. } => format!("recovered {repairs:?}"),
        Normalized::RawOnly { error, .. } => format!("raw_only {error}"),
    }
}

#[test]
fn wef_native_events() {
    let mut files = Vec::new();
    files_under(&shared_path("corpus/events/wef-native"), ".xml", &mut files);
    files.sort();
    assert!(files.len() >= 30, "{}", files.len());
    let mut n = Normalizer::default();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let out = n.normalize(&text);
        let st = status(&out);
        let malformed = f.to_string_lossy().contains("/malformed/");
        match name.as_str() {
            "unrecoverable_2.xml" => assert!(matches!(out, Normalized::RawOnly { .. }), "{name}"),
            _ if malformed => assert!(matches!(out, Normalized::Recovered { .. }), "{name}: {st}"),
            // EventForwarder 111 carries SubscriptionBookmarkEvent, which the schema does not define.
            "event_111.xml" => assert!(matches!(out, Normalized::Recovered { .. }), "{name}: {st}"),
            _ => assert!(matches!(out, Normalized::Clean(_)), "{name}: {st}"),
        }
        if let Some(e) = out.event() {
            assert!(e.system.provider.is_some(), "{name}");
        }
    }
}

#[test]
fn evtx_rendered_bulk_events() {
    let mut files = Vec::new();
    files_under(
        &shared_path("corpus/events/evtx-rendered/bulk"),
        ".jsonl",
        &mut files,
    );
    assert!(!files.is_empty());
    let mut n = Normalizer::default();
    let (mut total, mut clean, mut recovered) = (0usize, 0usize, 0usize);
    for f in files {
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let xml = v["xml"].as_str().unwrap();
            let tags: Vec<&str> = v["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            let out = n.normalize(xml);
            total += 1;
            let e = match &out {
                Normalized::Clean(e) => {
                    clean += 1;
                    e
                }
                Normalized::Recovered { event, repairs, .. } => {
                    recovered += 1;
                    assert!(
                        tags.contains(&"parse_error")
                            || tags.iter().any(|t| t.starts_with("other_top")),
                        "{}: unexpected repairs {repairs:?}",
                        f.display()
                    );
                    event
                }
                Normalized::RawOnly { error, .. } => panic!("{}: raw only: {error}", f.display()),
            };
            // The corpus builder could not parse `parse_error` records: its fields are null.
            if !v["event_id"].is_null() {
                let id = v["event_id"].as_str().unwrap();
                assert_eq!(e.system.event_id.as_ref().map(|n| &*n.raw), Some(id));
                assert_eq!(e.channel(), v["channel"].as_str());
                if let Some(p) = v["provider"].as_str() {
                    assert_eq!(e.provider_name(), Some(p));
                }
            }
        }
    }
    assert_eq!(clean + recovered, total);
    // The 25 records with control characters plus the one with an unknown top-level element.
    assert_eq!(
        recovered, 26,
        "{total} events: {clean} clean, {recovered} recovered"
    );
    assert!(total >= 3744, "{total}");
}

#[test]
fn evtx_rendered_edge_cases() {
    let mut files = Vec::new();
    files_under(
        &shared_path("corpus/events/evtx-rendered/edge-cases"),
        ".xml",
        &mut files,
    );
    assert!(files.len() >= 91, "{}", files.len());
    let mut n = Normalizer::default();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let out = n.normalize(&text);
        let tag = f
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        match (tag.as_str(), &out) {
            ("parse_error", Normalized::Recovered { repairs, .. }) => {
                assert!(
                    repairs
                        .iter()
                        .any(|r| r.kind == evtxml::RepairKind::IllegalCharacter),
                    "{}: {repairs:?}",
                    f.display()
                );
            }
            ("other_top_Event", Normalized::Recovered { .. }) => {}
            (_, Normalized::Clean(_)) if tag != "parse_error" => {}
            _ => panic!("{}: {}", f.display(), status(&out)),
        }
    }
}

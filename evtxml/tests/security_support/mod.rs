//! Corpus access and independent checks shared by the `ecs` and `security` tests.

use std::path::{Path, PathBuf};

use testkit::shared::shared_path;

/// One event of the shared corpus.
pub(crate) struct CorpusEvent {
    /// Where it comes from (file, and line or record).
    pub(crate) origin: String,
    /// The event XML.
    pub(crate) xml: String,
    /// The `evtx` crate's JSON rendering of the same record (edge cases only).
    pub(crate) evtx_rs: Option<serde_json::Value>,
}

fn files_under(dir: &Path, suffix: &str, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, suffix, out);
        } else if p.to_string_lossy().ends_with(suffix) {
            out.push(p);
        }
    }
}

/// Every event of the corpus: the evtx-rendered bulk JSON lines, the evtx-rendered edge cases
/// and the wef-native XML files (malformed ones included).
pub(crate) fn corpus_events() -> Vec<CorpusEvent> {
    let mut out = Vec::new();
    let mut files = Vec::new();
    files_under(
        &shared_path("corpus/events/evtx-rendered/bulk"),
        ".jsonl",
        &mut files,
    );
    files.sort();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            if let Some(xml) = v["xml"].as_str() {
                out.push(CorpusEvent {
                    origin: format!("{}:{}", f.file_name().unwrap().to_string_lossy(), i + 1),
                    xml: xml.to_owned(),
                    evtx_rs: None,
                });
            }
        }
    }
    for (dir, with_json) in [
        ("corpus/events/evtx-rendered/edge-cases", true),
        ("corpus/events/wef-native", false),
    ] {
        let mut files = Vec::new();
        files_under(&shared_path(dir), ".xml", &mut files);
        files.sort();
        for f in files {
            let evtx_rs = with_json.then(|| {
                let p = f.to_string_lossy().replace(".xml", ".evtx-rs.json");
                serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
            });
            out.push(CorpusEvent {
                origin: f.to_string_lossy().into_owned(),
                xml: std::fs::read_to_string(&f).unwrap(),
                evtx_rs,
            });
        }
    }
    out
}

/// The System fields and `EventData` of an event, read with roxmltree (an independent parser).
pub(crate) struct DomEvent {
    pub(crate) provider: String,
    pub(crate) event_id: u32,
    pub(crate) data: Vec<(Option<String>, String)>,
}

impl DomEvent {
    /// The first `Data` item named `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.data
            .iter()
            .find(|(n, _)| n.as_deref() == Some(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first `Data` item named `name`, unless it is `-` or empty.
    pub(crate) fn value(&self, name: &str) -> Option<&str> {
        self.get(name)
            .filter(|v| !v.trim().is_empty() && v.trim() != "-")
    }
}

/// `None` when roxmltree refuses the document (the `parse_error` edge cases).
pub(crate) fn dom(xml: &str) -> Option<DomEvent> {
    let doc = roxmltree::Document::parse(xml).ok()?;
    let root = doc.root_element();
    let system = root.children().find(|n| n.has_tag_name("System"))?;
    let provider = system
        .children()
        .find(|n| n.has_tag_name("Provider"))
        .and_then(|p| p.attribute("Name"))
        .unwrap_or("")
        .to_owned();
    let event_id = system
        .children()
        .find(|n| n.has_tag_name("EventID"))
        .and_then(|n| n.text())
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(0);
    let data = root
        .children()
        .find(|n| n.has_tag_name("EventData"))
        .map(|ed| {
            ed.children()
                .filter(|n| n.has_tag_name("Data"))
                .map(|d| {
                    (
                        d.attribute("Name").map(str::to_owned),
                        d.children().filter_map(|c| c.text()).collect::<String>(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Some(DomEvent {
        provider,
        event_id,
        data,
    })
}

/// Parses JSON (serde_json), and fails on a repeated key in any object, which serde_json would
/// silently collapse.
pub(crate) fn parse_strict(json: &[u8]) -> Result<serde_json::Value, String> {
    let v: serde_json::Value = serde_json::from_slice(json).map_err(|e| e.to_string())?;
    let s = std::str::from_utf8(json).map_err(|e| e.to_string())?;
    // A scan of the (now known valid) text: a stack with the keys seen in each open object.
    let mut stack: Vec<Option<std::collections::HashSet<String>>> = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' => stack.push(Some(std::collections::HashSet::new())),
            '[' => stack.push(None),
            '}' | ']' => {
                stack.pop();
            }
            '"' => {
                let mut escaped = false;
                let mut end = i;
                for (j, d) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == '"' {
                        end = j;
                        break;
                    }
                }
                let text = &s[i + 1..end];
                while chars.next_if(|(_, d)| d.is_whitespace()).is_some() {}
                if chars.next_if(|&(_, d)| d == ':').is_some() {
                    if let Some(Some(keys)) = stack.last_mut() {
                        if !keys.insert(text.to_owned()) {
                            return Err(format!("duplicate key {text}"));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(v)
}

/// Re-indents compact JSON without reordering keys (for readable snapshots).
pub(crate) fn pretty(json: &[u8]) -> String {
    let s = std::str::from_utf8(json).unwrap();
    let mut out = String::with_capacity(s.len() * 2);
    let mut indent = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    let newline = |out: &mut String, indent: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(indent));
    };
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if in_str {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
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
                if matches!(chars.peek(), Some('}' | ']')) {
                    out.push(chars.next().unwrap());
                } else {
                    indent += 1;
                    newline(&mut out, indent);
                }
            }
            '}' | ']' => {
                indent = indent.saturating_sub(1);
                newline(&mut out, indent);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, indent);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

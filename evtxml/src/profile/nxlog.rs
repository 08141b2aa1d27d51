//! The `nxlog` profile: a flat record shaped like NXLog's `im_msvistalog` output, as OpenWEC's
//! `Nxlog` format documents it.

use std::borrow::Cow;

use crate::event::{Element, Event, Node, Num, Payload};
use crate::json::JsonWriter;
use crate::metadata::Metadata;

/// `Keywords` bits of the audit keywords (winmeta.xml `WINEVENT_KEYWORD_AUDIT_*`).
const AUDIT_FAILURE: u64 = 0x0010_0000_0000_0000;
const AUDIT_SUCCESS: u64 = 0x0020_0000_0000_0000;

/// Fixed fields; an `EventData` name equal to one of them is written as `EventData.<Name>`.
const FIXED: [&str; 25] = [
    "EventTime",
    "Hostname",
    "Keywords",
    "EventType",
    "SeverityValue",
    "Severity",
    "EventID",
    "SourceName",
    "ProviderGuid",
    "Version",
    "Task",
    "OpcodeValue",
    "RecordNumber",
    "ActivityID",
    "RelatedActivityID",
    "ProcessID",
    "ThreadID",
    "Channel",
    "UserID",
    "Category",
    "Opcode",
    "Message",
    "Data",
    "EventReceivedTime",
    "OpenWEC",
];

/// `(EventType, SeverityValue, Severity)` from the level and audit keywords.
pub(crate) fn event_type(
    level: Option<u8>,
    keywords: Option<u64>,
) -> (&'static str, u64, &'static str) {
    let kw = keywords.unwrap_or(0);
    if kw & AUDIT_FAILURE != 0 {
        return ("AUDIT_FAILURE", 4, "ERROR");
    }
    if kw & AUDIT_SUCCESS != 0 {
        return ("AUDIT_SUCCESS", 2, "INFO");
    }
    match level {
        Some(1) => ("CRITICAL", 5, "CRITICAL"),
        Some(2) => ("ERROR", 4, "ERROR"),
        Some(3) => ("WARNING", 3, "WARNING"),
        Some(5) => ("VERBOSE", 1, "DEBUG"),
        _ => ("INFO", 2, "INFO"),
    }
}

fn num<T: Copy + Into<u64>>(w: &mut JsonWriter<'_>, k: &'static str, n: Option<&Num<'_, T>>) {
    if let Some(v) = n.and_then(|n| n.value) {
        w.lit_field_u64(k, v.into());
    }
}

fn nonempty(w: &mut JsonWriter<'_>, k: &'static str, v: Option<&str>) {
    if let Some(v) = v.filter(|v| !v.is_empty()) {
        w.lit_field_str(k, v);
    }
}

fn data_key<'x>(name: &'x str) -> Cow<'x, str> {
    if FIXED.contains(&name) {
        Cow::Owned(format!("EventData.{name}"))
    } else {
        Cow::Borrowed(name)
    }
}

pub(crate) fn write(event: &Event<'_>, meta: Option<&Metadata>, w: &mut JsonWriter<'_>) {
    let s = &event.system;
    w.begin_object();
    w.lit_field_opt_str("EventTime", event.time_created());
    w.lit_field_opt_str("Hostname", s.computer.as_deref());
    let kw = s.keywords.as_ref().and_then(|k| k.value);
    if let Some(k) = kw {
        // NXLog integers are signed 64-bit: the mask is written as its two's complement.
        w.field_i64("Keywords", i64::from_ne_bytes(k.to_ne_bytes()));
    }
    let (ty, sev_value, sev) = event_type(s.level.as_ref().and_then(|l| l.value), kw);
    w.lit_field_str("EventType", ty);
    w.lit_field_u64("SeverityValue", sev_value);
    w.lit_field_str("Severity", sev);
    num(w, "EventID", s.event_id.as_ref());
    let provider = s.provider.as_ref();
    w.field_opt_str(
        "SourceName",
        provider.and_then(|p| p.event_source_name.as_deref().or(p.name.as_deref())),
    );
    if let Some(g) = provider.and_then(|p| p.guid.as_ref()) {
        w.lit_field_str("ProviderGuid", &g.raw);
    }
    num(w, "Version", s.version.as_ref());
    num(w, "Task", s.task.as_ref());
    num(w, "OpcodeValue", s.opcode.as_ref());
    num(w, "RecordNumber", s.event_record_id.as_ref());
    if let Some(c) = &s.correlation {
        if let Some(g) = &c.activity_id {
            w.lit_field_str("ActivityID", &g.raw);
        }
        if let Some(g) = &c.related_activity_id {
            w.lit_field_str("RelatedActivityID", &g.raw);
        }
    }
    if let Some(x) = &s.execution {
        num(w, "ProcessID", x.process_id.as_ref());
        num(w, "ThreadID", x.thread_id.as_ref());
    }
    w.lit_field_opt_str("Channel", s.channel.as_deref());
    w.field_opt_str(
        "UserID",
        s.security.as_ref().and_then(|x| x.user_id.as_deref()),
    );
    if let Some(r) = &event.rendering_info {
        nonempty(w, "Category", r.task.as_deref());
        nonempty(w, "Opcode", r.opcode.as_deref());
        nonempty(w, "Message", r.message.as_deref());
    }
    let mut pairs: Vec<(Cow<'_, str>, &str)> = Vec::new();
    match &event.payload {
        Payload::EventData(d) => {
            let mut unnamed: Vec<&str> = Vec::new();
            for item in &d.items {
                match item.name.as_deref() {
                    Some(n) => pairs.push((data_key(n), &item.value)),
                    None if !item.value.is_empty() => unnamed.push(&item.value),
                    None => {}
                }
            }
            crate::profile::flat::write_grouped(&pairs, w);
            if !unnamed.is_empty() {
                w.lit_key("Data");
                w.begin_array();
                for v in unnamed {
                    w.str(v);
                }
                w.end_array();
            }
        }
        Payload::UserData(u) => {
            for n in &u.children {
                if let Node::Element(e) = n {
                    user_leaves(e, &mut pairs);
                }
            }
            crate::profile::flat::write_grouped(&pairs, w);
        }
        Payload::DebugData(d) => {
            for f in &d.fields {
                if let Some(n) = f.name.as_deref() {
                    pairs.push((data_key(n), &f.value));
                }
            }
            crate::profile::flat::write_grouped(&pairs, w);
        }
        Payload::ProcessingErrorData(p) => {
            if let Some(c) = &p.error_code {
                w.lit_field_str("ErrorCode", &c.raw);
            }
            w.lit_field_opt_str("DataItemName", p.data_item_name.as_deref());
            w.lit_field_opt_str("EventPayload", p.event_payload.as_deref());
        }
        Payload::None => {}
    }
    if let Some(m) = meta {
        if let Some(t) = m.time_received.as_deref() {
            w.lit_key("EventReceivedTime");
            crate::profile::openwec::write_utc(t, w);
        }
        w.lit_key("OpenWEC");
        crate::profile::openwec::openwec_data(Some(m), None, w);
    }
    w.end_object();
}

/// NXLog exposes the leaves of the `UserData` payload element under their own names.
fn user_leaves<'e>(root: &'e Element<'_>, out: &mut Vec<(Cow<'e, str>, &'e str)>) {
    let mut stack: Vec<&'e Element<'_>> = root
        .children
        .iter()
        .rev()
        .filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
        .collect();
    while let Some(e) = stack.pop() {
        let kids: Vec<&'e Element<'_>> = e
            .children
            .iter()
            .filter_map(|n| match n {
                Node::Element(c) => Some(c),
                Node::Text(_) => None,
            })
            .collect();
        if kids.is_empty() {
            let text = match e.children.first() {
                Some(Node::Text(t)) => t,
                _ => "",
            };
            let name = e.name.rsplit_once(':').map_or(&*e.name, |(_, l)| l);
            out.push((data_key(name), text));
        } else {
            stack.extend(kids.into_iter().rev());
        }
    }
}

pub(crate) fn write_raw(
    raw: &str,
    error: &crate::Error,
    meta: Option<&Metadata>,
    w: &mut JsonWriter<'_>,
) {
    w.begin_object();
    w.lit_field_str("EventType", "ERROR");
    w.lit_key("OpenWEC");
    crate::profile::openwec::openwec_data(
        meta,
        Some((raw, "FailedToRecoverRawContent", &error.to_string())),
        w,
    );
    w.end_object();
}

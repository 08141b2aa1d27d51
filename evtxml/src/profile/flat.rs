//! The `flat` profile: Sigma/Hayabusa field names, one level deep.

use std::borrow::Cow;

use crate::event::{Element, Event, Node, Payload};
use crate::json::JsonWriter;
use crate::metadata::Metadata;
use crate::profile::canonical::num;
use crate::profile::keyset::KeySet;

/// Keys the profile writes itself; an `EventData` name equal to one of them is written as
/// `EventData.<Name>` so that no key repeats.
pub(crate) const FIXED: [&str; 8] = [
    "EventID",
    "Channel",
    "Provider_Name",
    "Computer",
    "EventRecordID",
    "TimeCreated",
    "Level",
    "Keywords",
];

pub(crate) fn write(event: &Event<'_>, meta: Option<&Metadata>, w: &mut JsonWriter<'_>) {
    let s = &event.system;
    w.begin_object();
    if let Some(n) = &s.event_id {
        w.lit_key("EventID");
        num(w, n);
    }
    w.lit_field_opt_str("Channel", s.channel.as_deref());
    w.lit_field_opt_str("Provider_Name", event.provider_name());
    w.lit_field_opt_str("Computer", s.computer.as_deref());
    if let Some(n) = &s.event_record_id {
        w.lit_key("EventRecordID");
        num(w, n);
    }
    w.lit_field_opt_str("TimeCreated", event.time_created());
    if let Some(n) = &s.level {
        w.lit_key("Level");
        num(w, n);
    }
    if let Some(k) = &s.keywords {
        w.lit_field_str("Keywords", &k.raw);
    }
    let mut pairs: Vec<(Cow<'_, str>, &str)> = Vec::new();
    match &event.payload {
        Payload::EventData(d) => {
            for (i, item) in d.items.iter().enumerate() {
                let key = match item.name.as_deref() {
                    Some(n) if FIXED.contains(&n) => Cow::Owned(format!("EventData.{n}")),
                    Some(n) => Cow::Borrowed(n),
                    None => Cow::Owned(format!("param{}", i.saturating_add(1))),
                };
                pairs.push((key, &item.value));
            }
            if let Some(b) = d.binary.as_deref() {
                pairs.push((Cow::Borrowed("Binary"), b));
            }
        }
        Payload::UserData(u) => leaves(&u.children, "UserData", &mut pairs),
        Payload::DebugData(d) => {
            for f in &d.fields {
                let n = f.name.as_deref().unwrap_or_default();
                pairs.push((Cow::Owned(format!("DebugData.{n}")), &f.value));
            }
        }
        Payload::ProcessingErrorData(p) => {
            if let Some(c) = &p.error_code {
                pairs.push((Cow::Borrowed("ProcessingErrorData.ErrorCode"), &c.raw));
            }
            if let Some(v) = p.data_item_name.as_deref() {
                pairs.push((Cow::Borrowed("ProcessingErrorData.DataItemName"), v));
            }
            if let Some(v) = p.event_payload.as_deref() {
                pairs.push((Cow::Borrowed("ProcessingErrorData.EventPayload"), v));
            }
        }
        Payload::None => {}
    }
    write_grouped(&pairs, w);
    if let Some(m) = meta {
        w.lit_field_opt_str("Collector_IpAddress", m.ip());
        w.lit_field_opt_str("Collector_Principal", m.principal.as_deref());
        w.lit_field_opt_str("Collector_Node", m.node.as_deref());
        w.lit_field_opt_str("Collector_Subscription", m.subscription_name.as_deref());
        w.lit_field_opt_str("Collector_SubscriptionId", m.subscription_uuid.as_deref());
        w.lit_field_opt_str("Collector_TimeReceived", m.time_received.as_deref());
    }
    w.end_object();
}

/// Writes `(key, value)` pairs, a key seen several times becoming an array of its values in
/// document order, at the position of its first occurrence.
pub(crate) fn write_grouped(pairs: &[(Cow<'_, str>, &str)], w: &mut JsonWriter<'_>) {
    let mut first = KeySet::default();
    let mut repeated = false;
    for (i, (k, _)) in pairs.iter().enumerate() {
        repeated |= first.insert_first(k, i) != i;
    }
    if !repeated {
        for (k, v) in pairs {
            w.field_str(k, v);
        }
        return;
    }
    // Group the indices of each key (linear: one pass to link, one to write).
    let mut next: Vec<Option<usize>> = vec![None; pairs.len()];
    let mut tail = KeySet::default();
    for (i, (k, _)) in pairs.iter().enumerate() {
        if let Some(prev) = tail.get(k) {
            if let Some(slot) = next.get_mut(prev) {
                *slot = Some(i);
            }
        }
        tail.insert_last(k, i);
    }
    for (i, (k, v)) in pairs.iter().enumerate() {
        if first.get(k) != Some(i) {
            continue;
        }
        w.key(k);
        if next.get(i).copied().flatten().is_none() {
            w.str(v);
            continue;
        }
        w.begin_array();
        let mut j = Some(i);
        while let Some(x) = j {
            if let Some((_, v)) = pairs.get(x) {
                w.str(v);
            }
            j = next.get(x).copied().flatten();
        }
        w.end_array();
    }
}

/// Collects `UserData.<path>` leaves: elements without child elements give their text,
/// attributes (but namespace declarations) give `<path>.<attribute>`.
fn leaves<'e>(nodes: &'e [Node<'_>], prefix: &str, out: &mut Vec<(Cow<'e, str>, &'e str)>) {
    let mut stack: Vec<(&'e Element<'_>, String)> = Vec::new();
    for n in nodes.iter().rev() {
        if let Node::Element(e) = n {
            stack.push((e, format!("{prefix}.{}", local(&e.name))));
        }
    }
    while let Some((e, path)) = stack.pop() {
        for a in &e.attributes {
            if a.name == "xmlns" || a.name.starts_with("xmlns:") {
                continue;
            }
            out.push((Cow::Owned(format!("{path}.{}", local(&a.name))), &a.value));
        }
        let has_child_elements = e.children.iter().any(|c| matches!(c, Node::Element(_)));
        if !has_child_elements {
            let text = match e.children.first() {
                Some(Node::Text(t)) => t,
                _ => "",
            };
            out.push((Cow::Owned(path), text));
            continue;
        }
        for c in e.children.iter().rev() {
            if let Node::Element(c) = c {
                stack.push((c, format!("{path}.{}", local(&c.name))));
            }
        }
    }
}

fn local(qname: &str) -> &str {
    qname.rsplit_once(':').map_or(qname, |(_, l)| l)
}

pub(crate) fn write_raw(
    raw: &str,
    error: &crate::Error,
    meta: Option<&Metadata>,
    w: &mut JsonWriter<'_>,
) {
    w.begin_object();
    w.lit_field_str("Normalization_Status", "raw_only");
    w.lit_field_str("Normalization_Error", &error.to_string());
    w.lit_field_str("Raw", raw);
    if let Some(m) = meta {
        w.lit_field_opt_str("Collector_IpAddress", m.ip());
        w.lit_field_opt_str("Collector_Principal", m.principal.as_deref());
        w.lit_field_opt_str("Collector_Subscription", m.subscription_name.as_deref());
        w.lit_field_opt_str("Collector_TimeReceived", m.time_received.as_deref());
    }
    w.end_object();
}

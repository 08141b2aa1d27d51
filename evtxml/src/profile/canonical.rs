//! The `canonical` profile: lossless, read back by [`read_canonical`](crate::read_canonical).

use crate::event::{DataItem, Element, Event, Guid, Node, Num, Payload, RenderingInfo, System};
use crate::json::JsonWriter;
use crate::metadata::Metadata;
use crate::normalize::{Repair, RepairKind};

/// Writes a number as a JSON number when its text is the plain decimal form of its value, else
/// as the verbatim string (so `"0012"` or `"0x10"` survive a round trip).
pub(crate) fn num<T: Copy + Into<u64>>(w: &mut JsonWriter<'_>, n: &Num<'_, T>) {
    match n.value {
        // Plain decimal text is exactly how the parsed value prints: copied, not reformatted.
        Some(_) if is_plain_decimal(&n.raw) => w.raw(&n.raw),
        _ => w.str(&n.raw),
    }
}

/// `true` when `s` is a decimal number without sign, leading zeros or spaces.
pub(crate) fn is_plain_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    match b {
        [] => false,
        [b'0'] => true,
        [b'0', ..] => false,
        _ => b.len() <= 20 && b.iter().all(u8::is_ascii_digit),
    }
}

fn field_num<T: Copy + Into<u64>>(w: &mut JsonWriter<'_>, k: &'static str, n: Option<&Num<'_, T>>) {
    if let Some(n) = n {
        w.lit_key(k);
        num(w, n);
    }
}

fn field_guid(w: &mut JsonWriter<'_>, k: &'static str, g: Option<&Guid<'_>>) {
    if let Some(g) = g {
        w.lit_field_str(k, &g.raw);
    }
}

pub(crate) fn write(
    event: &Event<'_>,
    meta: Option<&Metadata>,
    repairs: Option<&[Repair]>,
    w: &mut JsonWriter<'_>,
) {
    w.begin_object();
    w.lit_key("System");
    system(&event.system, w);
    match &event.payload {
        Payload::None => {}
        Payload::EventData(d) => {
            w.lit_key_object("EventData");
            w.lit_field_opt_str("Name", d.name.as_deref());
            w.lit_key("Data");
            items(&d.items, w);
            w.lit_field_opt_str("Binary", d.binary.as_deref());
            elements_field("Other", &d.other, w);
            w.end_object();
        }
        Payload::UserData(u) => {
            w.lit_key("UserData");
            nodes(&u.children, w);
        }
        Payload::DebugData(d) => {
            w.lit_key("DebugData");
            items(&d.fields, w);
        }
        Payload::ProcessingErrorData(p) => {
            w.lit_key_object("ProcessingErrorData");
            field_num(w, "ErrorCode", p.error_code.as_ref());
            w.lit_field_opt_str("DataItemName", p.data_item_name.as_deref());
            w.lit_field_opt_str("EventPayload", p.event_payload.as_deref());
            w.end_object();
        }
    }
    if let Some(r) = &event.rendering_info {
        w.lit_key("RenderingInfo");
        rendering_info(r, w);
    }
    elements_field("Other", &event.other, w);
    if let Some(repairs) = repairs {
        w.lit_key_object("Normalization");
        w.lit_field_str("Status", "recovered");
        w.lit_key("Repairs");
        w.begin_array();
        for r in repairs {
            w.begin_object();
            w.lit_field_str("Kind", r.kind_name());
            w.lit_field_str("Section", &r.section.to_string());
            w.lit_field_u64("Offset", u64::try_from(r.offset).unwrap_or(u64::MAX));
            if let RepairKind::Truncated(e) = r.kind {
                w.lit_field_str("Message", &e.to_string());
            }
            w.end_object();
        }
        w.end_array();
        w.end_object();
    }
    if let Some(m) = meta {
        metadata(m, w);
    }
    w.end_object();
}

pub(crate) fn write_raw(
    raw: &str,
    error: &crate::Error,
    meta: Option<&Metadata>,
    w: &mut JsonWriter<'_>,
) {
    w.begin_object();
    w.lit_key_object("Normalization");
    w.lit_field_str("Status", "raw_only");
    w.lit_key_object("Error");
    w.lit_field_str("Kind", error.kind());
    w.lit_field_str("Message", &error.to_string());
    w.end_object();
    w.end_object();
    w.lit_field_str("Raw", raw);
    if let Some(m) = meta {
        metadata(m, w);
    }
    w.end_object();
}

fn system(s: &System<'_>, w: &mut JsonWriter<'_>) {
    w.begin_object();
    if let Some(p) = &s.provider {
        w.lit_key_object("Provider");
        w.lit_field_opt_str("Name", p.name.as_deref());
        field_guid(w, "Guid", p.guid.as_ref());
        w.lit_field_opt_str("EventSourceName", p.event_source_name.as_deref());
        w.end_object();
    }
    field_num(w, "EventID", s.event_id.as_ref());
    field_num(w, "Qualifiers", s.qualifiers.as_ref());
    field_num(w, "Version", s.version.as_ref());
    field_num(w, "Level", s.level.as_ref());
    field_num(w, "Task", s.task.as_ref());
    field_num(w, "Opcode", s.opcode.as_ref());
    if let Some(k) = &s.keywords {
        w.lit_field_str("Keywords", &k.raw);
    }
    if let Some(t) = &s.time_created {
        w.lit_key_object("TimeCreated");
        if let Some(st) = &t.system_time {
            w.lit_field_str("SystemTime", &st.raw);
        }
        field_num(w, "RawTime", t.raw_time.as_ref());
        w.end_object();
    }
    field_num(w, "EventRecordID", s.event_record_id.as_ref());
    if let Some(c) = &s.correlation {
        w.lit_key_object("Correlation");
        field_guid(w, "ActivityID", c.activity_id.as_ref());
        field_guid(w, "RelatedActivityID", c.related_activity_id.as_ref());
        w.end_object();
    }
    if let Some(e) = &s.execution {
        w.lit_key_object("Execution");
        field_num(w, "ProcessID", e.process_id.as_ref());
        field_num(w, "ThreadID", e.thread_id.as_ref());
        field_num(w, "ProcessorID", e.processor_id.as_ref());
        field_num(w, "SessionID", e.session_id.as_ref());
        field_num(w, "KernelTime", e.kernel_time.as_ref());
        field_num(w, "UserTime", e.user_time.as_ref());
        field_num(w, "ProcessorTime", e.processor_time.as_ref());
        w.end_object();
    }
    w.lit_field_opt_str("Channel", s.channel.as_deref());
    w.lit_field_opt_str("Computer", s.computer.as_deref());
    w.lit_field_opt_str("Container", s.container.as_deref());
    if let Some(sec) = &s.security {
        w.lit_key_object("Security");
        w.lit_field_opt_str("UserID", sec.user_id.as_deref());
        w.end_object();
    }
    elements_field("Other", &s.other, w);
    w.end_object();
}

fn items(items: &[DataItem<'_>], w: &mut JsonWriter<'_>) {
    w.begin_array();
    for i in items {
        w.name_value_object(i.name.as_deref(), &i.value);
    }
    w.end_array();
}

fn rendering_info(r: &RenderingInfo<'_>, w: &mut JsonWriter<'_>) {
    w.begin_object();
    w.lit_field_opt_str("Culture", r.culture.as_deref());
    w.lit_field_opt_str("Message", r.message.as_deref());
    w.lit_field_opt_str("Level", r.level.as_deref());
    w.lit_field_opt_str("Task", r.task.as_deref());
    w.lit_field_opt_str("Opcode", r.opcode.as_deref());
    w.lit_field_opt_str("Channel", r.channel.as_deref());
    w.lit_field_opt_str("Provider", r.provider.as_deref());
    if let Some(k) = &r.keywords {
        w.lit_key("Keywords");
        w.begin_array();
        for k in k {
            w.str(k);
        }
        w.end_array();
    }
    w.end_object();
}

fn elements_field(k: &'static str, els: &[Element<'_>], w: &mut JsonWriter<'_>) {
    if els.is_empty() {
        return;
    }
    w.lit_key(k);
    w.begin_array();
    for e in els {
        element(e, w);
    }
    w.end_array();
}

fn nodes(nodes: &[Node<'_>], w: &mut JsonWriter<'_>) {
    w.begin_array();
    for n in nodes {
        match n {
            Node::Element(e) => element(e, w),
            Node::Text(t) => w.str(t),
        }
    }
    w.end_array();
}

fn element(e: &Element<'_>, w: &mut JsonWriter<'_>) {
    w.begin_object();
    w.lit_field_str("Name", &e.name);
    w.lit_field_opt_str("Namespace", e.namespace.as_deref());
    if !e.attributes.is_empty() {
        w.lit_key("Attributes");
        w.begin_array();
        for a in &e.attributes {
            w.begin_object();
            w.lit_field_str("Name", &a.name);
            w.lit_field_str("Value", &a.value);
            w.end_object();
        }
        w.end_array();
    }
    if !e.children.is_empty() {
        w.lit_key("Children");
        nodes(&e.children, w);
    }
    w.end_object();
}

fn metadata(m: &Metadata, w: &mut JsonWriter<'_>) {
    w.lit_key_object("Metadata");
    w.lit_field_opt_str("PeerAddress", m.peer_addr.as_deref());
    w.lit_field_opt_str("Principal", m.principal.as_deref());
    w.lit_field_opt_str("Client", m.client.as_deref());
    w.lit_field_opt_str("Node", m.node.as_deref());
    if m.subscription_name.is_some()
        || m.subscription_uuid.is_some()
        || m.subscription_version.is_some()
        || m.subscription_uri.is_some()
        || m.client_revision.is_some()
        || m.server_revision.is_some()
    {
        w.lit_key_object("Subscription");
        w.lit_field_opt_str("Name", m.subscription_name.as_deref());
        w.lit_field_opt_str("Uuid", m.subscription_uuid.as_deref());
        w.lit_field_opt_str("Version", m.subscription_version.as_deref());
        w.lit_field_opt_str("Uri", m.subscription_uri.as_deref());
        w.lit_field_opt_str("ClientRevision", m.client_revision.as_deref());
        w.lit_field_opt_str("ServerRevision", m.server_revision.as_deref());
        w.end_object();
    }
    w.lit_field_opt_str("TimeReceived", m.time_received.as_deref());
    w.end_object();
}

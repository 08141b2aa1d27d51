//! The `openwec` profile: OpenWEC's `Json` output format (its `doc/formats.md`), matched
//! against OpenWEC's own expected outputs in the shared corpus.

use crate::event::{Event, Num, Payload};
use crate::json::JsonWriter;
use crate::metadata::Metadata;
use crate::profile::keyset::KeySet;

fn num<T: Copy + Into<u64>>(w: &mut JsonWriter<'_>, k: &'static str, n: Option<&Num<'_, T>>) {
    if let Some(v) = n.and_then(|n| n.value) {
        w.lit_field_u64(k, v.into());
    }
}

/// A non-empty string field (OpenWEC omits empty strings in `RenderingInfo`).
fn nonempty(w: &mut JsonWriter<'_>, k: &'static str, v: Option<&str>) {
    if let Some(v) = v.filter(|v| !v.is_empty()) {
        w.lit_field_str(k, v);
    }
}

pub(crate) fn write(event: &Event<'_>, meta: Option<&Metadata>, w: &mut JsonWriter<'_>) {
    write_with_error(event, meta, None, w);
}

/// Writes the event; `error` = (raw, type, message) adds OpenWEC's `Error` block.
pub(crate) fn write_with_error(
    event: &Event<'_>,
    meta: Option<&Metadata>,
    error: Option<(&str, &str, &str)>,
    w: &mut JsonWriter<'_>,
) {
    let s = &event.system;
    w.begin_object();
    w.lit_key("System");
    w.begin_object();
    if let Some(p) = &s.provider {
        w.lit_key("Provider");
        w.begin_object();
        w.lit_field_opt_str("Name", p.name.as_deref());
        if let Some(g) = &p.guid {
            w.lit_field_str("Guid", &g.raw);
        }
        w.lit_field_opt_str("EventSourceName", p.event_source_name.as_deref());
        w.end_object();
    }
    num(w, "EventID", s.event_id.as_ref());
    num(w, "EventIDQualifiers", s.qualifiers.as_ref());
    num(w, "Version", s.version.as_ref());
    num(w, "Level", s.level.as_ref());
    num(w, "Task", s.task.as_ref());
    num(w, "Opcode", s.opcode.as_ref());
    if let Some(k) = &s.keywords {
        w.lit_field_str("Keywords", &k.raw);
    }
    if let Some(t) = s.time_created.as_ref().and_then(|t| t.system_time.as_ref()) {
        w.lit_field_str("TimeCreated", &t.raw);
    }
    num(w, "EventRecordID", s.event_record_id.as_ref());
    if let Some(c) = &s.correlation {
        w.lit_key("Correlation");
        w.begin_object();
        if let Some(g) = &c.activity_id {
            w.lit_field_str("ActivityID", &g.raw);
        }
        if let Some(g) = &c.related_activity_id {
            w.lit_field_str("RelatedActivityID", &g.raw);
        }
        w.end_object();
    }
    if let Some(x) = &s.execution {
        w.lit_key("Execution");
        w.begin_object();
        num(w, "ProcessID", x.process_id.as_ref());
        num(w, "ThreadID", x.thread_id.as_ref());
        num(w, "ProcessorID", x.processor_id.as_ref());
        num(w, "SessionID", x.session_id.as_ref());
        num(w, "KernelTime", x.kernel_time.as_ref());
        num(w, "UserTime", x.user_time.as_ref());
        num(w, "ProcessorTime", x.processor_time.as_ref());
        w.end_object();
    }
    w.lit_field_opt_str("Channel", s.channel.as_deref());
    w.lit_field_opt_str("Computer", s.computer.as_deref());
    w.lit_field_opt_str("Container", s.container.as_deref());
    w.field_opt_str(
        "UserID",
        s.security.as_ref().and_then(|x| x.user_id.as_deref()),
    );
    w.end_object();

    match &event.payload {
        Payload::None => {}
        Payload::EventData(d) => {
            w.lit_key("EventData");
            w.begin_object();
            // Named items become members (a repeated name keeps its last value, as a map
            // insert would); non-empty unnamed items go to "Data" in order.
            let mut last = KeySet::default();
            for (i, item) in d.items.iter().enumerate() {
                if let Some(n) = &item.name {
                    last.insert_last(n, i);
                }
            }
            for (i, item) in d.items.iter().enumerate() {
                if let Some(n) = &item.name {
                    if last.is_last(n, i) {
                        w.field_str(n, &item.value);
                    }
                }
            }
            let mut unnamed = d
                .items
                .iter()
                .filter(|i| i.name.is_none() && !i.value.is_empty())
                .peekable();
            if unnamed.peek().is_some() {
                w.lit_key("Data");
                w.begin_array();
                for i in unnamed {
                    w.str(&i.value);
                }
                w.end_array();
            }
            if let Some(b) = d.binary.as_deref() {
                w.lit_field_str("Binary", b);
            }
            w.end_object();
        }
        Payload::UserData(u) => {
            w.lit_key("UserData");
            match u.raw {
                Some(raw) => w.str(raw),
                None => {
                    let mut s = String::new();
                    crate::profile::xml::write_nodes(&u.children, &mut s);
                    w.str(&s);
                }
            }
        }
        Payload::DebugData(d) => {
            w.lit_key("DebugData");
            w.begin_object();
            for f in &d.fields {
                let Some(name) = f.name.as_deref() else {
                    continue;
                };
                match (name, crate::parse::dec::<u64>(&f.value)) {
                    ("SequenceNumber", Some(n)) => w.field_u64(name, n),
                    _ => w.field_str(name, &f.value),
                }
            }
            w.end_object();
        }
        Payload::ProcessingErrorData(p) => {
            w.lit_key("ProcessingErrorData");
            w.begin_object();
            num(w, "ErrorCode", p.error_code.as_ref());
            w.lit_field_opt_str("DataItemName", p.data_item_name.as_deref());
            w.lit_field_opt_str("EventPayload", p.event_payload.as_deref());
            w.end_object();
        }
    }

    if let Some(r) = &event.rendering_info {
        w.lit_key("RenderingInfo");
        w.begin_object();
        nonempty(w, "Message", r.message.as_deref());
        nonempty(w, "Level", r.level.as_deref());
        nonempty(w, "Task", r.task.as_deref());
        nonempty(w, "Opcode", r.opcode.as_deref());
        nonempty(w, "Channel", r.channel.as_deref());
        nonempty(w, "Provider", r.provider.as_deref());
        if let Some(k) = r.keywords.as_ref().filter(|k| !k.is_empty()) {
            w.lit_key("Keywords");
            w.begin_array();
            for k in k {
                w.str(k);
            }
            w.end_array();
        }
        nonempty(w, "Culture", r.culture.as_deref());
        w.end_object();
    }
    if meta.is_some() || error.is_some() {
        w.lit_key("OpenWEC");
        openwec_data(meta, error, w);
    }
    w.end_object();
}

/// OpenWEC's `openwec_data` block (also used by the `nxlog` profile).
pub(crate) fn openwec_data(
    meta: Option<&Metadata>,
    error: Option<(&str, &str, &str)>,
    w: &mut JsonWriter<'_>,
) {
    w.begin_object();
    if let Some(m) = meta {
        w.lit_field_opt_str("IpAddress", m.ip());
        if let Some(t) = m.time_received.as_deref() {
            w.lit_key("TimeReceived");
            write_utc(t, w);
        }
        w.lit_field_opt_str("Principal", m.principal.as_deref());
        w.lit_field_opt_str("Client", m.client_or_principal());
        w.lit_field_opt_str("Node", m.node.as_deref());
        let any_sub = m.subscription_uuid.is_some()
            || m.subscription_version.is_some()
            || m.subscription_name.is_some()
            || m.subscription_uri.is_some()
            || m.client_revision.is_some()
            || m.server_revision.is_some();
        if any_sub {
            w.lit_key("Subscription");
            w.begin_object();
            w.lit_field_opt_str("Uuid", m.subscription_uuid.as_deref());
            w.lit_field_opt_str("Version", m.subscription_version.as_deref());
            w.lit_field_opt_str("Name", m.subscription_name.as_deref());
            w.lit_field_opt_str("Uri", m.subscription_uri.as_deref());
            w.lit_field_opt_str("ClientRevision", m.client_revision.as_deref());
            w.lit_field_opt_str("ServerRevision", m.server_revision.as_deref());
            w.end_object();
        }
    }
    if let Some((raw, ty, message)) = error {
        w.lit_key("Error");
        w.begin_object();
        w.lit_field_str("OriginalContent", raw);
        w.lit_field_str("Type", ty);
        w.lit_field_str("Message", message);
        w.end_object();
    }
    w.end_object();
}

/// OpenWEC writes the reception time in UTC with millisecond precision and a `+00:00` offset;
/// a host-supplied time that does not parse is written as given.
pub(crate) fn write_utc(t: &str, w: &mut JsonWriter<'_>) {
    match crate::time::Timestamp::parse(t) {
        Some(ts) => {
            let mut s = String::with_capacity(32);
            ts.to_utc().write_with(ts.frac_digits, "+00:00", &mut s);
            w.str(&s);
        }
        None => w.str(t),
    }
}

pub(crate) fn write_raw(
    raw: &str,
    error: &crate::Error,
    meta: Option<&Metadata>,
    w: &mut JsonWriter<'_>,
) {
    w.begin_object();
    w.lit_key("OpenWEC");
    openwec_data(
        meta,
        Some((raw, "FailedToRecoverRawContent", &error.to_string())),
        w,
    );
    w.end_object();
}

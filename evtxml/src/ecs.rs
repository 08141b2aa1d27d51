//! The `ecs` profile: Winlogbeat-compatible `winlog.*` plus ECS fields.
//!
//! Placeholder body (generic `winlog.*` mapping) owned by the security/ECS work; it is replaced
//! by the full mapping with the security enrichments.
//!
//! Write through [`JsonWriter`](crate::json::JsonWriter) (see [`crate::json`] for its API): open
//! the top-level object, write keys in a fixed order, close it. Helpers on
//! [`Event`](crate::Event) (`event_id()`, `data(name)`, `provider_name()`, `channel()`,
//! `computer()`, `time_created()`) and the typed fields of [`System`](crate::System) give access
//! to everything parsed; [`Metadata::ip`](crate::Metadata::ip) and friends to the collector's.

use crate::event::{Event, Payload};
use crate::json::JsonWriter;
use crate::metadata::Metadata;

/// Writes `event` as one ECS JSON object.
pub(crate) fn render_ecs(event: &Event<'_>, meta: Option<&Metadata>, w: &mut JsonWriter<'_>) {
    let sys = &event.system;
    w.begin_object();
    w.field_opt_str("@timestamp", event.time_created());
    w.key("event");
    w.begin_object();
    if let Some(id) = &sys.event_id {
        w.field_str("code", &id.raw);
    }
    w.field_opt_str("provider", event.provider_name());
    w.field_str("kind", "event");
    w.end_object();
    if let Some(c) = event.computer() {
        w.key("host");
        w.begin_object();
        w.field_str("name", c);
        w.end_object();
    }
    if let Some(msg) = event
        .rendering_info
        .as_ref()
        .and_then(|r| r.message.as_deref())
    {
        w.field_str("message", msg);
    }
    w.key("winlog");
    w.begin_object();
    w.field_opt_str("channel", event.channel());
    w.field_opt_str("computer_name", event.computer());
    if let Some(id) = &sys.event_id {
        w.field_str("event_id", &id.raw);
    }
    w.field_opt_str("provider_name", event.provider_name());
    if let Some(n) = sys.event_record_id.as_ref() {
        w.field_str("record_id", &n.raw);
    }
    if let Payload::EventData(d) = &event.payload {
        w.key("event_data");
        w.begin_object();
        for (i, item) in d.items.iter().enumerate() {
            match &item.name {
                Some(n) => w.key(n),
                None => w.key(&format!("param{}", i.saturating_add(1))),
            }
            w.str(&item.value);
        }
        w.end_object();
    }
    w.end_object();
    if let Some(ip) = meta.and_then(Metadata::ip) {
        w.key("source");
        w.begin_object();
        w.field_str("ip", ip);
        w.end_object();
    }
    w.end_object();
}

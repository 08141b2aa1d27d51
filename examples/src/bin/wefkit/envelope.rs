//! `wefkit envelope`: decode any WS-Management envelope to JSON, render Subscribe envelopes.
//!
//! ```text
//! wefkit envelope decode [INPUT] [--content-type CT]
//! wefkit envelope subscribe --config FILE.toml [--message-id ID] [--operation-id ID] [--bookmark XML] [--utf16]
//! ```
//!
//! `decode` reads one envelope (UTF-16LE/BE with or without BOM, UTF-8 with or without BOM; the
//! optional `--content-type` charset is honoured) and prints one JSON object:
//! `charset`, `bom`, `action`, `message_id`, `headers` (every typed header, unknown ones by
//! name), and `body` (`type` plus a summary; for `Events`: `count` and each event's `action`,
//! `bytes` and `form`). Anything that is not a valid envelope exits 1 with the reason on stderr.
//!
//! `subscribe` prints the `Subscribe` envelope a collector embeds in its `EnumerateResponse`
//! for the subscription described by the TOML file. Keys (one per field of
//! `wsman_proto::subscription::Subscription`, see `examples/subscriptions/example.toml`):
//!
//! | key | type | default |
//! |---|---|---|
//! | `name` | string | required |
//! | `description` | string | `""` (not sent, not in the version) |
//! | `query` | string (QueryList XML) | required |
//! | `content_format` | `"RenderedText"` \| `"Events"` | `"RenderedText"` |
//! | `locale`, `data_locale` | string (`""` = omit) | `"en-US"` |
//! | `read_existing_events` | bool | `false` |
//! | `delivery` | `"Normal"` \| `"MinLatency"` \| `"MinBandwidth"` \| `"Custom"` | `"Normal"` |
//! | `max_items`, `max_latency_ms`, `heartbeat_interval_ms` | integers (Custom only) | 5 / 900000 / 900000 |
//! | `connection_retry_count`, `connection_retry_interval_ms` | integers | 5 / 60000 |
//! | `max_envelope_size` | integer | 512000 |
//! | `compression`, `send_bookmarks`, `ignore_channel_error` | bool | `true` |
//! | `transport` | `"http-kerberos"` \| `"http-negotiate"` \| `"https"` | `"http-kerberos"` |
//! | `issuer_thumbprints` | array of strings (https) | `[]` |
//! | `notify_to` | string (URL) | required |
//! | `end_to` | string (URL) | `notify_to` |
//!
//! Message and operation IDs default to UUIDv5 values derived from the subscription version, so
//! the output is deterministic.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::{Map, Value, json};
use wsman_proto::charset::{self, Charset};
use wsman_proto::message::{Item, PayloadForm};
use wsman_proto::subscription::{
    ContentFormat, DeliveryPreset, HttpAuth, RenderIds, Subscription, Transport, UUID_NAMESPACE,
};
use wsman_proto::{Envelope, Headers, Limits, Message, XsDuration};

use crate::io::{CliError, read_input, write_output};

/// Arguments of `wefkit envelope`.
#[derive(Debug, Args)]
pub(crate) struct EnvelopeArgs {
    #[command(subcommand)]
    command: EnvelopeCommand,
}

#[derive(Debug, Subcommand)]
enum EnvelopeCommand {
    /// Decode one envelope (any supported encoding) and print a JSON summary.
    Decode {
        /// Input file (stdin when absent or `-`).
        input: Option<PathBuf>,
        /// HTTP Content-Type of the body (its charset is honoured).
        #[arg(long)]
        content_type: Option<String>,
        /// Raise the envelope size limit (bytes).
        #[arg(long, default_value_t = 512_000)]
        max_envelope_bytes: usize,
    },
    /// Print the Subscribe envelope a collector sends for a subscription (TOML).
    Subscribe {
        /// Subscription description (TOML, see `examples/subscriptions/example.toml`).
        #[arg(long)]
        config: PathBuf,
        /// `a:MessageID` of the envelope (default: derived from the subscription version).
        #[arg(long)]
        message_id: Option<String>,
        /// `p:OperationID` of the envelope (default: derived from the subscription version).
        #[arg(long)]
        operation_id: Option<String>,
        /// Inner XML of a `w:Bookmark` to include (a `BookmarkList`).
        #[arg(long)]
        bookmark: Option<String>,
        /// Write UTF-16LE with BOM (what Windows receives) instead of UTF-8.
        #[arg(long)]
        utf16: bool,
        /// Output file (stdout when absent or `-`).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

pub(crate) fn run(args: EnvelopeArgs) -> Result<(), CliError> {
    match args.command {
        EnvelopeCommand::Decode {
            input,
            content_type,
            max_envelope_bytes,
        } => {
            let bytes = read_input(input.as_deref())?;
            let limits = Limits {
                max_envelope_bytes,
                ..Limits::default()
            };
            let json = decode(&bytes, content_type.as_deref(), &limits)?;
            let mut out = serde_json::to_vec_pretty(&json)?;
            out.push(b'\n');
            write_output(None, &out)
        }
        EnvelopeCommand::Subscribe {
            config,
            message_id,
            operation_id,
            bookmark,
            utf16,
            output,
        } => {
            let text = std::fs::read_to_string(&config)
                .map_err(|e| CliError(format!("cannot read {}: {e}", config.display())))?;
            let sub = subscription_from_toml(&text)?;
            let version = sub.version().map_err(|e| CliError(describe(&e)))?;
            let derived = |what: &str| {
                format!(
                    "uuid:{}",
                    uuid_upper(uuid::Uuid::new_v5(
                        &UUID_NAMESPACE,
                        format!("{version}/{what}").as_bytes()
                    ))
                )
            };
            let message_id = message_id.unwrap_or_else(|| derived("MessageID"));
            let operation_id = operation_id.unwrap_or_else(|| derived("OperationID"));
            let ids = RenderIds {
                message_id: &message_id,
                operation_id: &operation_id,
            };
            let xml = sub
                .subscribe_envelope(&ids, bookmark.as_deref())
                .map_err(|e| CliError(describe(&e)))?;
            let mut out = Vec::new();
            if utf16 {
                charset::encode(&xml, Charset::Utf16Le, true, &mut out);
            } else {
                out.extend_from_slice(xml.as_bytes());
                out.push(b'\n');
            }
            write_output(output.as_ref(), &out)
        }
    }
}

fn uuid_upper(u: uuid::Uuid) -> String {
    u.hyphenated().to_string().to_ascii_uppercase()
}

/// The error and its cause chain, on one line.
fn describe(e: &wsman_proto::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}

fn opt(v: Option<&str>) -> Value {
    v.map_or(Value::Null, |s| Value::String(s.to_owned()))
}

fn decode(bytes: &[u8], content_type: Option<&str>, limits: &Limits) -> Result<Value, CliError> {
    let mut scratch = String::new();
    let d = charset::decode(bytes, content_type, limits, &mut scratch)
        .map_err(|e| CliError(format!("not a valid envelope: {}", describe(&e))))?;
    let env = Envelope::parse(d.text, limits)
        .map_err(|e| CliError(format!("not a valid envelope: {}", describe(&e))))?;
    let msg = Message::from_envelope(&env, limits)
        .map_err(|e| CliError(format!("not a valid envelope: {}", describe(&e))))?;
    let charset = match d.charset {
        Charset::Utf16Le => "UTF-16LE",
        Charset::Utf16Be => "UTF-16BE",
        _ => "UTF-8",
    };
    Ok(json!({
        "charset": charset,
        "bom": d.bom,
        "replaced_characters": d.replaced,
        "action": opt(env.headers.action.as_ref().map(|a| a.as_str())),
        "message_id": opt(env.headers.message_id.as_deref()),
        "headers": headers_json(&env.headers),
        "body": body_json(&env, &msg),
    }))
}

fn headers_json(h: &Headers<'_>) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            m.insert(k.to_owned(), v);
        }
    };
    put("to", opt(h.to.as_deref()));
    put("action", opt(h.action.as_ref().map(|a| a.as_str())));
    put("message_id", opt(h.message_id.as_deref()));
    put("relates_to", opt(h.relates_to.as_deref()));
    put("reply_to", opt(h.reply_to.as_deref()));
    put("from", opt(h.from.as_deref()));
    put("resource_uri", opt(h.resource_uri.as_deref()));
    put("machine_id", opt(h.machine_id.as_deref()));
    if !h.selectors.is_empty() {
        put(
            "selectors",
            Value::Array(
                h.selectors
                    .iter()
                    .map(|s| json!({"name": s.name, "value": s.value}))
                    .collect(),
            ),
        );
    }
    if let Some(o) = &h.options {
        put(
            "options",
            Value::Array(
                o.options
                    .iter()
                    .map(
                        |o| json!({"name": o.name, "value": o.value, "must_comply": o.must_comply}),
                    )
                    .collect(),
            ),
        );
    }
    put(
        "operation_timeout_ms",
        h.operation_timeout
            .map_or(Value::Null, |d| json!(d.as_millis())),
    );
    if let Some(m) = &h.max_envelope_size {
        put("max_envelope_size", json!(m.size));
    }
    put("locale", opt(h.locale.as_deref()));
    put("data_locale", opt(h.data_locale.as_deref()));
    put("session_id", opt(h.session_id.as_deref()));
    put("operation_id", opt(h.operation_id.as_deref()));
    put(
        "sequence_id",
        h.sequence_id.map_or(Value::Null, |s| json!(s)),
    );
    if h.ack_requested {
        put("ack_requested", Value::Bool(true));
    }
    put("bookmark", opt(h.bookmark.as_deref()));
    put("identifier", opt(h.identifier.as_deref()));
    if !h.unknown.is_empty() {
        put(
            "unknown",
            Value::Array(
                h.unknown
                    .iter()
                    .map(|u| {
                        json!({"namespace": u.name.ns, "local": u.name.local, "must_understand": u.must_understand})
                    })
                    .collect(),
            ),
        );
    }
    Value::Object(m)
}

fn form(f: PayloadForm) -> &'static str {
    match f {
        PayloadForm::Cdata => "cdata",
        PayloadForm::Markup => "markup",
        PayloadForm::Escaped => "escaped",
    }
}

fn body_json(env: &Envelope<'_>, msg: &Message<'_>) -> Value {
    match msg {
        Message::Events(batch) => json!({
            "type": "Events",
            "count": batch.items.len(),
            "events": batch.items.iter().map(|e| json!({
                "action": e.action,
                "bytes": e.xml.len(),
                "form": form(e.form),
            })).collect::<Vec<_>>(),
        }),
        Message::Heartbeat => json!({"type": "Heartbeat"}),
        Message::Ack => json!({"type": "Ack"}),
        Message::End => json!({"type": "End"}),
        Message::Unsubscribe => json!({"type": "Unsubscribe"}),
        Message::Enumerate(e) => json!({
            "type": "Enumerate", "optimize": e.optimize, "max_elements": e.max_elements,
        }),
        Message::EnumerateResponse(r) => json!({
            "type": "EnumerateResponse",
            "end_of_sequence": r.end_of_sequence,
            "count": r.items.len(),
            "subscriptions": r.items.iter().filter_map(|i| match i {
                Item::Subscription(s) => Some(json!({
                    "version": s.version,
                    "name": s.headers.options.as_ref()
                        .and_then(|o| o.get("SubscriptionName"))
                        .and_then(|o| o.value.as_deref()),
                    "notify_to": s.subscribe.delivery.notify_to.as_ref().map(|n| &n.address),
                })),
                Item::Raw(_) => None,
            }).collect::<Vec<_>>(),
        }),
        Message::Pull(p) => json!({"type": "Pull", "context": p.context}),
        Message::PullResponse(p) => json!({
            "type": "PullResponse", "count": p.items.len(), "end_of_sequence": p.end_of_sequence,
        }),
        Message::Release(c) => json!({"type": "Release", "context": c}),
        Message::Subscribe(s) => json!({
            "type": "Subscribe",
            "delivery_mode": s.delivery.mode,
            "notify_to": s.delivery.notify_to.as_ref().map(|n| &n.address),
            "heartbeats_ms": s.delivery.heartbeats.map(XsDuration::as_millis),
            "max_time_ms": s.delivery.max_time.map(XsDuration::as_millis),
            "filter_dialect": s.filter.as_ref().and_then(|f| f.dialect.as_deref()),
            "send_bookmarks": s.send_bookmarks,
        }),
        Message::SubscribeResponse(r) => json!({
            "type": "SubscribeResponse", "manager": r.manager.address, "expires": r.expires,
        }),
        Message::Renew(x) => json!({"type": "Renew", "expires": x}),
        Message::RenewResponse(x) => json!({"type": "RenewResponse", "expires": x}),
        Message::SubscriptionEnd(s) => json!({
            "type": "SubscriptionEnd", "status": s.status, "reason": s.reason,
        }),
        Message::Fault(f) => json!({
            "type": "Fault",
            "code": f.code.0,
            "subcode": f.subcode.as_ref().map(|s| json!({"namespace": s.ns, "local": s.local})),
            "reason": f.reason,
            "fault_detail": f.fault_detail,
            "wsman_fault": f.wsman_fault.as_ref().map(|w| json!({"code": w.code, "machine": w.machine, "message": w.message})),
        }),
        _ => json!({
            "type": "Other",
            "element": env.payload().map(|p| json!({"namespace": p.namespace(), "local": p.local_name()})),
        }),
    }
}

fn subscription_from_toml(text: &str) -> Result<Subscription, CliError> {
    let table: toml::Table = text
        .parse()
        .map_err(|e| CliError(format!("invalid subscription toml: {e}")))?;
    const KEYS: &[&str] = &[
        "name",
        "description",
        "query",
        "content_format",
        "locale",
        "data_locale",
        "read_existing_events",
        "delivery",
        "max_items",
        "max_latency_ms",
        "heartbeat_interval_ms",
        "connection_retry_count",
        "connection_retry_interval_ms",
        "max_envelope_size",
        "compression",
        "send_bookmarks",
        "ignore_channel_error",
        "transport",
        "issuer_thumbprints",
        "notify_to",
        "end_to",
    ];
    if let Some(k) = table.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(CliError(format!("unknown subscription key `{k}`")));
    }
    let string = |k: &str| -> Result<Option<String>, CliError> {
        match table.get(k) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(CliError(format!("`{k}` must be a string"))),
        }
    };
    let boolean = |k: &str, d: bool| -> Result<bool, CliError> {
        match table.get(k) {
            None => Ok(d),
            Some(toml::Value::Boolean(b)) => Ok(*b),
            Some(_) => Err(CliError(format!("`{k}` must be true or false"))),
        }
    };
    let int = |k: &str| -> Result<Option<u64>, CliError> {
        match table.get(k) {
            None => Ok(None),
            Some(toml::Value::Integer(i)) => u64::try_from(*i)
                .map(Some)
                .map_err(|_| CliError(format!("`{k}` must not be negative"))),
            Some(_) => Err(CliError(format!("`{k}` must be an integer"))),
        }
    };
    let u32_of = |k: &str| -> Result<Option<u32>, CliError> {
        int(k)?
            .map(|v| u32::try_from(v).map_err(|_| CliError(format!("`{k}` is too large"))))
            .transpose()
    };
    let required =
        |k: &str| string(k)?.ok_or_else(|| CliError(format!("missing subscription key `{k}`")));
    let mut sub = Subscription::new(
        &required("name")?,
        &required("query")?,
        &required("notify_to")?,
    );
    if let Some(d) = string("description")? {
        sub.description = d;
    }
    sub.content_format = match string("content_format")?.as_deref() {
        None | Some("RenderedText") => ContentFormat::RenderedText,
        Some("Events") => ContentFormat::Events,
        Some(_) => {
            return Err(CliError(
                "`content_format` must be RenderedText or Events".into(),
            ));
        }
    };
    if let Some(l) = string("locale")? {
        sub.locale = (!l.is_empty()).then_some(l);
    }
    if let Some(l) = string("data_locale")? {
        sub.data_locale = (!l.is_empty()).then_some(l);
    }
    sub.read_existing_events = boolean("read_existing_events", false)?;
    let custom_keys = ["max_items", "max_latency_ms", "heartbeat_interval_ms"];
    sub.delivery = match string("delivery")?.as_deref() {
        None | Some("Normal") => DeliveryPreset::Normal,
        Some("MinLatency") => DeliveryPreset::MinLatency,
        Some("MinBandwidth") => DeliveryPreset::MinBandwidth,
        Some("Custom") => {
            let (items, latency, heartbeat) = DeliveryPreset::Normal.values();
            DeliveryPreset::Custom {
                max_items: u32_of("max_items")?.or(items),
                max_latency: int("max_latency_ms")?.map_or(latency, XsDuration::from_millis),
                heartbeat: int("heartbeat_interval_ms")?.map_or(heartbeat, XsDuration::from_millis),
            }
        }
        Some(_) => {
            return Err(CliError(
                "`delivery` must be Normal, MinLatency, MinBandwidth or Custom".into(),
            ));
        }
    };
    if !matches!(sub.delivery, DeliveryPreset::Custom { .. }) {
        if let Some(k) = custom_keys.iter().find(|k| table.contains_key(**k)) {
            return Err(CliError(format!("`{k}` needs delivery = \"Custom\"")));
        }
    }
    if let Some(n) = u32_of("connection_retry_count")? {
        sub.connection_retry_count = n;
    }
    if let Some(n) = int("connection_retry_interval_ms")? {
        sub.connection_retry_interval = XsDuration::from_millis(n);
    }
    if let Some(n) = u32_of("max_envelope_size")? {
        sub.max_envelope_size = n;
    }
    sub.compression = boolean("compression", true)?;
    sub.send_bookmarks = boolean("send_bookmarks", true)?;
    sub.ignore_channel_error = boolean("ignore_channel_error", true)?;
    let thumbprints = match table.get("issuer_thumbprints") {
        None => Vec::new(),
        Some(toml::Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| CliError("`issuer_thumbprints` must be strings".into()))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(CliError("`issuer_thumbprints` must be an array".into())),
    };
    sub.transport = match string("transport")?.as_deref() {
        None | Some("http-kerberos") => Transport::Http(HttpAuth::Kerberos),
        Some("http-negotiate") => Transport::Http(HttpAuth::Negotiate),
        Some("https") => Transport::Https {
            issuer_thumbprints: thumbprints.clone(),
        },
        Some(_) => {
            return Err(CliError(
                "`transport` must be http-kerberos, http-negotiate or https".into(),
            ));
        }
    };
    if !thumbprints.is_empty() && !matches!(sub.transport, Transport::Https { .. }) {
        return Err(CliError(
            "`issuer_thumbprints` needs transport = \"https\"".into(),
        ));
    }
    sub.end_to = string("end_to")?;
    Ok(sub)
}

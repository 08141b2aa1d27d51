//! The `ecs` profile: Winlogbeat-compatible `winlog.*` plus ECS fields, with the enrichments of
//! Winlogbeat's Security module.
//!
//! Select it with [`Profile::Ecs`](crate::Profile::Ecs):
//!
//! ```
//! let xml = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
//!   <Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>4624</EventID>\
//!   <Keywords>0x8020000000000000</Keywords><Computer>WIN10</Computer></System><EventData>\
//!   <Data Name='TargetUserName'>alice</Data><Data Name='LogonType'>10</Data>\
//!   <Data Name='ProcessId'>0x1d0</Data><Data Name='IpAddress'>::ffff:10.0.0.5</Data>\
//!   </EventData></Event>";
//! let event = evtxml::parse_event(xml, &evtxml::Limits::default()).unwrap();
//! let mut out = Vec::new();
//! evtxml::render(&event, evtxml::Profile::Ecs, None, &mut out);
//! let json = String::from_utf8(out).unwrap();
//! assert!(json.contains(r#""action":"logged-in","category":["authentication"],"type":["start"],"outcome":"success""#));
//! assert!(json.contains(r#""user":{"name":"alice"}"#));
//! assert!(json.contains(r#""source":{"ip":"10.0.0.5"}"#));
//! assert!(json.contains(r#""process":{"pid":464}"#));
//! assert!(json.contains(r#""logon":{"type":"RemoteInteractive"}"#));
//! ```
//!
//! # Shape
//!
//! One JSON object per event, keys always in this order (absent values are left out):
//!
//! | key | value |
//! |---|---|
//! | `@timestamp` | `TimeCreated SystemTime`: as written when it is UTC with `Z`, else converted to UTC (precision kept); left out when it is not a timestamp (the text is then under `winlog.time_created`) |
//! | `ecs.version` | the ECS version the field set follows (`8.11.0`) |
//! | `event.code` | `EventID` as written (a string, as in Winlogbeat 8) |
//! | `event.kind` | `event` |
//! | `event.provider` | `Provider Name` |
//! | `event.module` | `security` for events of the Security log (channel `Security`, or provider `Microsoft-Windows-Security-Auditing`) |
//! | `event.action`, `event.category`, `event.type` | from [`ecs_categorization`] |
//! | `event.outcome` | `success`/`failure`: what the event id implies (4625, 4771 fail), else the standard audit keywords, else `Status` (0 = success) of 4768/4769/4776 |
//! | `event.created` | collector metadata: time received |
//! | `host.name` | `Computer` |
//! | `log.level` | the rendered level in lower case, else the `Level` number's standard name (`0` and `4`: `information`, `1` `critical`, `2` `error`, `3` `warning`, `5` `verbose`) |
//! | `log.source.address` | collector metadata: the peer address |
//! | `message` | `RenderingInfo/Message` |
//! | `user.*` | `name`, `domain`, `id` of the account the event is about, see below; `user.target.*` and `user.effective.*` for the second account of account-management events and 4648 |
//! | `group.*` | `name`, `domain`, `id` of the group of group-management events (4727-4737, 4754-4758, 4799) |
//! | `source.ip`, `source.port`, `source.domain` | `IpAddress` (IPv4-mapped IPv6 unmapped), `IpPort` (a number), `WorkstationName` (`Workstation` for 4776) |
//! | `process.*` | `pid` (the hexadecimal `ProcessId` as a number), `executable` (`ProcessName`), `name` (its file name); for 4688 the new process (`NewProcessId`, `NewProcessName`, `CommandLine`) with `process.parent.*` from `ProcessId`/`ParentProcessName` |
//! | `related.user`, `related.ip` | every distinct user name and source address above |
//! | `winlog.*` | below |
//! | `labels.*` | collector metadata, below |
//!
//! `user.*` follows the account the event is about: the `Target*` account for logon,
//! logoff and authentication events (4624, 4625, 4634, 4647, 4768, 4769, 4771, 4776; a
//! `user@REALM` name is split into `name` and `domain`), the `Subject*` account for everything
//! else from the Security-Auditing provider (and the `LogFileCleared` subject of 1102), with the
//! target account under `user.target.*` for user-management events and the explicit credentials
//! under `user.effective.*` for 4648.
//!
//! The Security enrichments (`user`, `group`, `source`, `process`, `related`, `winlog.logon`)
//! are only computed for events of the `Microsoft-Windows-Security-Auditing` provider (and the
//! event-log service's 1100/1102): other providers reuse names like `ProcessId` with other
//! meanings.
//!
//! ## `winlog.*`
//!
//! `api` (`wineventlog`: the events were read through the Windows Event Log API on the source),
//! `channel`, `computer_name`, `event_id` (string), `provider_name`, `provider_guid` (as written),
//! `record_id` (number), `version` (number), `task`, `opcode` and `keywords` (the rendered names
//! from `RenderingInfo`; without it, `keywords` lists the standard keyword names of the
//! `Keywords` mask — `Audit Success`, `Audit Failure`, `Classic`, ...), `activity_id`,
//! `related_activity_id`, `process.pid`, `process.thread.id` (from `Execution`),
//! `user.identifier` (`Security UserID`), then the payload:
//!
//! * `event_data`: `EventData` items by `Name`; unnamed items are `param1`, `param2`, ... by
//!   position; `ComplexData` children by their `Name` attribute; `Binary` under `Binary`; a key
//!   that occurs more than once becomes an array of its values in document order;
//! * `user_data`: the `UserData` element as an object: `xml_name` (its local name) then its
//!   children by local name (text for leaves, objects for elements with children, arrays for
//!   repeated names);
//! * `debug_data` (the `DebugData` fields) or `processing_error_data` (`ErrorCode`,
//!   `DataItemName`, `EventPayload`).
//!
//! Finally `logon` (Security module enrichment): `type` (the name of `LogonType`:
//! `Interactive`, `Network`, `RemoteInteractive`, ...), `id` (`TargetLogonId`, else
//! `SubjectLogonId`; `0x0` means none), and `failure.status`, `failure.sub_status` (the meanings of the NTSTATUS or,
//! for 4768/4769/4771, Kerberos `Status`/`SubStatus` codes when they are not 0) and
//! `failure.reason` (`FailureReason` with its `%%nnnn` resolved).
//!
//! ## Collector metadata
//!
//! [`Metadata`] is rendered in ECS terms: `time_received` as `event.created`, `peer_addr` as
//! `log.source.address` (as supplied, `ip:port`), and the WEF facts ECS has no field for as
//! `labels` (ECS's place for custom keyword pairs): `labels.wef_principal`, `labels.wef_client`,
//! `labels.wef_node`, `labels.wef_subscription_name`, `labels.wef_subscription_uuid`,
//! `labels.wef_subscription_version`, `labels.wef_subscription_uri`,
//! `labels.wef_client_revision`, `labels.wef_server_revision`.
//!
//! ## Records that could not be parsed
//!
//! A `RawOnly` result is written as `{"event":{"kind":"pipeline_error","original":RAW,
//! "created":...},"error":{"type":...,"message":...},"log":...,"labels":...}`.

use std::borrow::Cow;

use crate::event::{DataItem, Element, Event, EventData, Node, Payload};
use crate::json::JsonWriter;
use crate::metadata::Metadata;
use crate::security::{
    self, EcsCategorization, Outcome, SECURITY_AUDITING_PROVIDER, ecs_categorization, file_name,
    parse_ip, parse_message_ref, parse_number, parse_port, parse_u32, present,
};

/// The ECS version the field set follows.
const ECS_VERSION: &str = "8.11.0";

/// How deep `winlog.user_data` follows nested elements before writing an element's text only.
const MAX_USER_DATA_DEPTH: usize = 16;

/// Named values of the payload: `EventData` items, or the children of the `UserData` element.
#[derive(Clone, Copy)]
enum Fields<'e, 'a> {
    Data(&'e EventData<'a>),
    User(&'e Element<'a>),
    None,
}

impl<'e> Fields<'e, '_> {
    fn of<'a>(event: &'e Event<'a>) -> Fields<'e, 'a> {
        match &event.payload {
            Payload::EventData(d) => Fields::Data(d),
            Payload::UserData(u) => u
                .children
                .iter()
                .find_map(|n| match n {
                    Node::Element(e) => Some(Fields::User(e)),
                    Node::Text(_) => None,
                })
                .unwrap_or(Fields::None),
            _ => Fields::None,
        }
    }
}

/// The payload values the Security enrichments read, collected in one pass over the payload
/// (first occurrence of each name).
struct Known<'e>([Option<&'e str>; 24]);

#[inline(always)]
fn known_index(name: &str) -> Option<usize> {
    Some(match name {
        "SubjectUserName" => 0,
        "SubjectDomainName" => 1,
        "SubjectUserSid" => 2,
        "SubjectLogonId" => 3,
        "TargetUserName" => 4,
        "TargetDomainName" => 5,
        "TargetUserSid" => 6,
        "TargetSid" => 7,
        "TargetLogonId" => 8,
        "IpAddress" => 9,
        "IpPort" => 10,
        "WorkstationName" => 11,
        "Workstation" => 12,
        "ProcessId" => 13,
        "ProcessName" => 14,
        "NewProcessId" => 15,
        "NewProcessName" => 16,
        "CommandLine" => 17,
        "ParentProcessName" => 18,
        "LogonType" => 19,
        "Status" => 20,
        "SubStatus" => 21,
        "FailureReason" => 22,
        "MemberSid" => 23,
        _ => return None,
    })
}

impl<'e> Known<'e> {
    fn new(f: Fields<'e, '_>) -> Self {
        let mut k = Self([None; 24]);
        let mut put = |name: &str, value: &'e str| {
            if let Some(slot) = known_index(name).and_then(|i| k.0.get_mut(i)) {
                if slot.is_none() {
                    *slot = Some(value);
                }
            }
        };
        match f {
            Fields::Data(d) => {
                for item in &d.items {
                    if let Some(n) = item.name.as_deref() {
                        put(n, &item.value);
                    }
                }
            }
            Fields::User(e) => {
                for n in &e.children {
                    if let Node::Element(c) = n {
                        if let Some(t) = leaf_text(c) {
                            put(local_name(&c.name), t);
                        }
                    }
                }
            }
            Fields::None => {}
        }
        k
    }

    /// The value named `name` (one of the known names), unless absent, empty or `-`.
    #[inline(always)]
    fn get(&self, name: &str) -> Option<&'e str> {
        known_index(name)
            .and_then(|i| self.0.get(i).copied().flatten())
            .and_then(present)
    }
}

fn local_name(qname: &str) -> &str {
    // Names are short: a byte loop from the end, rather than a call to `memrchr`.
    match qname.bytes().rposition(|b| b == b':') {
        Some(i) => qname.get(i.wrapping_add(1)..).unwrap_or(qname),
        None => qname,
    }
}

/// The text of an element that has no child elements (`""` when empty).
fn leaf_text<'e>(e: &'e Element<'_>) -> Option<&'e str> {
    let mut text = None;
    for n in &e.children {
        match n {
            Node::Text(t) if text.is_none() => text = Some(&**t),
            // Two text nodes cannot be told apart from one with a comment in between; keep the
            // first. Child elements make it a non-leaf.
            Node::Text(_) => {}
            Node::Element(_) => return None,
        }
    }
    Some(text.unwrap_or(""))
}

/// One account named by an event.
#[derive(Default, Clone, Copy)]
struct Account<'e> {
    name: Option<&'e str>,
    domain: Option<&'e str>,
    id: Option<&'e str>,
}

impl<'e> Account<'e> {
    fn read(f: &Known<'e>, prefix: &str) -> Self {
        let (name, domain, sid): (&str, &str, &[&str]) = match prefix {
            "Subject" => ("SubjectUserName", "SubjectDomainName", &["SubjectUserSid"]),
            _ => (
                "TargetUserName",
                "TargetDomainName",
                &["TargetUserSid", "TargetSid"],
            ),
        };
        let mut a = Self {
            name: f.get(name),
            domain: f.get(domain),
            id: sid.iter().find_map(|s| f.get(s)),
        };
        // Kerberos events name the client `user@REALM`.
        if let Some((user, realm)) = a.name.and_then(|n| n.split_once('@')) {
            if !user.is_empty() {
                a.name = Some(user);
                if a.domain.is_none() && !realm.is_empty() {
                    a.domain = Some(realm);
                }
            }
        }
        a
    }

    fn is_empty(&self) -> bool {
        self.name.is_none() && self.domain.is_none() && self.id.is_none()
    }

    fn write_fields(&self, w: &mut JsonWriter<'_>) {
        w.lit_field_opt_str("name", self.name);
        w.lit_field_opt_str("domain", self.domain);
        w.lit_field_opt_str("id", self.id);
    }
}

/// Everything the Security enrichments computed for one event.
#[derive(Default)]
struct Enrichment<'e> {
    categorization: Option<&'static EcsCategorization>,
    outcome: Option<Outcome>,
    user: Account<'e>,
    user_target: Account<'e>,
    user_effective: Account<'e>,
    group: Account<'e>,
    source_ip: Option<Cow<'e, str>>,
    source_port: Option<u16>,
    source_domain: Option<&'e str>,
    pid: Option<u64>,
    executable: Option<&'e str>,
    command_line: Option<&'e str>,
    parent_pid: Option<u64>,
    parent_executable: Option<&'e str>,
    logon_type: Option<&'static str>,
    logon_id: Option<&'e str>,
    failure_status: Option<&'static str>,
    failure_sub_status: Option<&'static str>,
    failure_reason: Option<&'e str>,
}

fn is_security_event(provider: Option<&str>) -> bool {
    provider.is_some_and(|p| p.eq_ignore_ascii_case(SECURITY_AUDITING_PROVIDER))
}

fn enrich<'e>(event: &'e Event<'_>, fields: Fields<'e, '_>) -> Enrichment<'e> {
    let provider = event.provider_name();
    let id = event.event_id();
    let categorization = match (provider, id) {
        (Some(p), Some(id)) => ecs_categorization(p, id),
        _ => None,
    };
    let keywords = event.system.keywords.as_ref().and_then(|k| k.value);
    let mut e = Enrichment {
        categorization,
        ..Enrichment::default()
    };
    if !is_security_event(provider) {
        e.outcome = categorization
            .and_then(|c| c.outcome)
            .or_else(|| keywords.and_then(Outcome::from_keywords));
        if categorization.is_some() {
            // 1100/1102: the subject of `LogFileCleared`/`ServiceShutdown`.
            e.user = Account::read(&Known::new(fields), "Subject");
        }
        return e;
    }

    let known = Known::new(fields);
    let f = &known;
    let id = id.unwrap_or(0);
    let kerberos = matches!(id, 4768..=4771);
    let status = f.get("Status").and_then(parse_u32);
    e.outcome = categorization
        .and_then(|c| c.outcome)
        .or_else(|| keywords.and_then(Outcome::from_keywords))
        .or_else(|| {
            matches!(id, 4768 | 4769 | 4776).then_some(())?;
            Some(if status? == 0 {
                Outcome::Success
            } else {
                Outcome::Failure
            })
        });

    // Accounts.
    let subject = Account::read(f, "Subject");
    let target = Account::read(f, "Target");
    use security::events::UserRoles as R;
    match categorization.map_or(R::Subject, |c| c.roles) {
        R::Target => e.user = if target.is_empty() { subject } else { target },
        R::Subject => e.user = subject,
        R::SubjectAsTarget => {
            e.user = subject;
            e.user_effective = target;
        }
        R::SubjectOnTarget => {
            e.user = subject;
            let is_group = categorization.is_some_and(|c| c.kind_type.contains(&"group"));
            if is_group {
                e.group = target;
                e.user_target = Account {
                    id: f.get("MemberSid"),
                    ..Account::default()
                };
            } else {
                e.user_target = target;
            }
        }
    }

    // Network.
    e.source_ip = f.get("IpAddress").and_then(|raw| {
        // Dotted-quad text that parses as is (no spaces, no leading zeros) is already what
        // `Ipv4Addr` displays: borrowed, not formatted again.
        if raw.parse::<std::net::Ipv4Addr>().is_ok() {
            return Some(Cow::Borrowed(raw));
        }
        parse_ip(raw).map(|ip| Cow::Owned(ip.to_string()))
    });
    e.source_port = f.get("IpPort").and_then(parse_port);
    e.source_domain = f.get("WorkstationName").or_else(|| f.get("Workstation"));

    // Process.
    if id == 4688 {
        e.pid = f.get("NewProcessId").and_then(parse_number);
        e.executable = f.get("NewProcessName");
        e.command_line = f.get("CommandLine");
        e.parent_pid = f.get("ProcessId").and_then(parse_number);
        e.parent_executable = f.get("ParentProcessName");
    } else {
        e.pid = f.get("ProcessId").and_then(parse_number);
        e.executable = f.get("ProcessName");
    }

    // Logon.
    e.logon_type = f
        .get("LogonType")
        .and_then(parse_u32)
        .and_then(security::logon_type_name);
    let nonzero = |v: &&str| parse_number(v) != Some(0);
    e.logon_id = f
        .get("TargetLogonId")
        .filter(nonzero)
        .or_else(|| f.get("SubjectLogonId").filter(nonzero));
    let code_text = |name: &str| {
        let code = f.get(name).and_then(parse_u32).filter(|&c| c != 0)?;
        if kerberos {
            security::kerberos_error_text(code)
        } else {
            security::ntstatus_text(code)
        }
    };
    if matches!(id, 4625 | 4768 | 4769 | 4771 | 4776) {
        e.failure_status = code_text("Status");
        e.failure_sub_status = code_text("SubStatus");
    }
    e.failure_reason = f.get("FailureReason").map(|r| {
        parse_message_ref(r)
            .and_then(security::message_id_text)
            .unwrap_or(r)
    });
    e
}

/// Writes `event` as one ECS JSON object; see the [module docs](self).
pub(crate) fn render_ecs(event: &Event<'_>, meta: Option<&Metadata>, w: &mut JsonWriter<'_>) {
    let sys = &event.system;
    let f = Fields::of(event);
    let en = enrich(event, f);
    let provider = event.provider_name();
    let is_security_log = is_security_event(provider)
        || en.categorization.is_some()
        || event
            .channel()
            .is_some_and(|c| c.eq_ignore_ascii_case("Security"));

    w.begin_object();
    let time = event
        .system
        .time_created
        .as_ref()
        .and_then(|t| t.system_time.as_ref());
    if let Some(t) = time {
        match &t.value {
            // Already UTC with `Z`: as written (7 fractional digits from WEF are kept).
            Some(v) if v.offset_minutes == 0 && t.raw.ends_with('Z') => {
                w.lit_field_str("@timestamp", &t.raw);
            }
            Some(v) => {
                let mut s = String::with_capacity(32);
                v.to_utc().write_with(v.frac_digits, "Z", &mut s);
                w.lit_field_str("@timestamp", &s);
            }
            None => {}
        }
    }
    w.lit_key_object("ecs");
    w.lit_field_lit("version", ECS_VERSION);
    w.end_object();

    // event
    w.lit_key_object("event");
    if let Some(id) = &sys.event_id {
        w.lit_field_str("code", &id.raw);
    }
    w.lit_field_lit("kind", "event");
    w.lit_field_opt_str("provider", provider);
    if is_security_log {
        w.lit_field_lit("module", "security");
    }
    if let Some(c) = en.categorization {
        w.lit_field_lit("action", c.action);
        write_str_array(w, "category", c.category);
        write_str_array(w, "type", c.kind_type);
    }
    if let Some(o) = en.outcome {
        w.lit_field_lit("outcome", o.as_str());
    }
    w.lit_field_opt_str("created", meta.and_then(|m| m.time_received.as_deref()));
    w.end_object();

    if let Some(c) = event.computer() {
        w.lit_key_object("host");
        w.lit_field_str("name", c);
        w.end_object();
    }

    // log
    let level = log_level(event);
    let peer = meta.and_then(|m| m.peer_addr.as_deref());
    if level.is_some() || peer.is_some() {
        w.lit_key_object("log");
        match &level {
            Some(Cow::Borrowed(l)) => w.lit_field_lit("level", l),
            Some(Cow::Owned(l)) => w.lit_field_str("level", l),
            None => {}
        }
        if let Some(p) = peer {
            w.lit_key_object("source");
            w.lit_field_str("address", p);
            w.end_object();
        }
        w.end_object();
    }

    if let Some(msg) = event
        .rendering_info
        .as_ref()
        .and_then(|r| r.message.as_deref())
    {
        w.lit_field_str("message", msg);
    }

    write_user(w, &en);
    if !en.group.is_empty() {
        w.lit_key_object("group");
        en.group.write_fields(w);
        w.end_object();
    }
    write_source(w, &en);
    write_process(w, &en);
    write_related(w, &en);
    write_winlog(w, event, f, &en);
    if let Some(m) = meta {
        write_labels(w, m);
    }
    w.end_object();
}

fn write_str_array(w: &mut JsonWriter<'_>, key: &'static str, values: &[&'static str]) {
    w.lit_key(key);
    w.begin_array();
    for v in values {
        w.lit_str(v);
    }
    w.end_array();
}

fn log_level(event: &Event<'_>) -> Option<Cow<'static, str>> {
    if let Some(l) = event
        .rendering_info
        .as_ref()
        .and_then(|r| r.level.as_deref())
        .and_then(present)
    {
        let known = match l {
            "Information" => Some("information"),
            "Warning" => Some("warning"),
            "Error" => Some("error"),
            "Critical" => Some("critical"),
            "Verbose" => Some("verbose"),
            _ => None,
        };
        return Some(known.map_or_else(|| Cow::Owned(l.to_lowercase()), Cow::Borrowed));
    }
    let n = event.system.level.as_ref()?.value?;
    Some(Cow::Borrowed(match n {
        0 | 4 => "information",
        1 => "critical",
        2 => "error",
        3 => "warning",
        5 => "verbose",
        _ => return None,
    }))
}

fn write_user(w: &mut JsonWriter<'_>, en: &Enrichment<'_>) {
    if en.user.is_empty() && en.user_target.is_empty() && en.user_effective.is_empty() {
        return;
    }
    w.lit_key_object("user");
    en.user.write_fields(w);
    for (key, acc) in [
        ("target", &en.user_target),
        ("effective", &en.user_effective),
    ] {
        if !acc.is_empty() {
            w.key(key);
            w.begin_object();
            acc.write_fields(w);
            w.end_object();
        }
    }
    w.end_object();
}

fn write_source(w: &mut JsonWriter<'_>, en: &Enrichment<'_>) {
    if en.source_ip.is_none() && en.source_port.is_none() && en.source_domain.is_none() {
        return;
    }
    w.lit_key_object("source");
    w.lit_field_opt_str("ip", en.source_ip.as_deref());
    w.lit_field_opt_u64("port", en.source_port.map(u64::from));
    w.lit_field_opt_str("domain", en.source_domain);
    w.end_object();
}

fn write_process(w: &mut JsonWriter<'_>, en: &Enrichment<'_>) {
    let has_parent = en.parent_pid.is_some() || en.parent_executable.is_some();
    if en.pid.is_none() && en.executable.is_none() && en.command_line.is_none() && !has_parent {
        return;
    }
    w.lit_key_object("process");
    w.lit_field_opt_u64("pid", en.pid);
    w.lit_field_opt_str("executable", en.executable);
    w.lit_field_opt_str("name", en.executable.and_then(file_name));
    w.lit_field_opt_str("command_line", en.command_line);
    if has_parent {
        w.lit_key_object("parent");
        w.lit_field_opt_u64("pid", en.parent_pid);
        w.lit_field_opt_str("executable", en.parent_executable);
        w.lit_field_opt_str("name", en.parent_executable.and_then(file_name));
        w.end_object();
    }
    w.end_object();
}

fn write_related(w: &mut JsonWriter<'_>, en: &Enrichment<'_>) {
    let mut users: [Option<&str>; 3] = [None; 3];
    let mut n = 0usize;
    for name in [en.user.name, en.user_target.name, en.user_effective.name]
        .into_iter()
        .flatten()
    {
        if !users.iter().flatten().any(|u| *u == name) {
            if let Some(slot) = users.get_mut(n) {
                *slot = Some(name);
                n = n.saturating_add(1);
            }
        }
    }
    if n == 0 && en.source_ip.is_none() {
        return;
    }
    w.lit_key_object("related");
    if n > 0 {
        w.lit_key("user");
        w.begin_array();
        for u in users.iter().flatten() {
            w.str(u);
        }
        w.end_array();
    }
    if let Some(ip) = en.source_ip.as_deref() {
        w.lit_key("ip");
        w.begin_array();
        w.str(ip);
        w.end_array();
    }
    w.end_object();
}

/// The standard keyword bits and their display names (winmeta.xml, as Event Viewer shows them).
const STANDARD_KEYWORDS: [(u64, &str); 8] = [
    (0x0001_0000_0000_0000, "Response Time"),
    (0x0002_0000_0000_0000, "WDI Context"),
    (0x0004_0000_0000_0000, "WDI Diag"),
    (0x0008_0000_0000_0000, "SQM"),
    (0x0010_0000_0000_0000, "Audit Failure"),
    (0x0020_0000_0000_0000, "Audit Success"),
    (0x0040_0000_0000_0000, "Correlation Hint"),
    (0x0080_0000_0000_0000, "Classic"),
];

fn write_winlog(w: &mut JsonWriter<'_>, event: &Event<'_>, f: Fields<'_, '_>, en: &Enrichment<'_>) {
    let sys = &event.system;
    let ri = event.rendering_info.as_ref();
    w.lit_key_object("winlog");
    w.lit_field_lit("api", "wineventlog");
    if let Some(t) = sys
        .time_created
        .as_ref()
        .and_then(|t| t.system_time.as_ref())
        .filter(|t| t.value.is_none())
    {
        w.lit_field_str("time_created", &t.raw);
    }
    w.lit_field_opt_str("channel", event.channel());
    w.lit_field_opt_str("computer_name", event.computer());
    if let Some(id) = &sys.event_id {
        w.lit_field_str("event_id", &id.raw);
    }
    w.lit_field_opt_str("provider_name", event.provider_name());
    if let Some(g) = sys.provider.as_ref().and_then(|p| p.guid.as_ref()) {
        w.lit_field_str("provider_guid", &g.raw);
    }
    w.field_opt_str(
        "event_source_name",
        sys.provider
            .as_ref()
            .and_then(|p| p.event_source_name.as_deref()),
    );
    if let Some(n) = &sys.event_record_id {
        match n.value {
            Some(v) => w.lit_field_u64("record_id", v),
            None => w.lit_field_str("record_id", &n.raw),
        }
    }
    if let Some(v) = sys.version.as_ref().and_then(|v| v.value) {
        w.lit_field_u64("version", u64::from(v));
    }
    w.lit_field_opt_str("task", ri.and_then(|r| r.task.as_deref()).and_then(present));
    w.field_opt_str(
        "opcode",
        ri.and_then(|r| r.opcode.as_deref()).and_then(present),
    );
    match ri.and_then(|r| r.keywords.as_ref()) {
        Some(kw) if !kw.is_empty() => {
            w.lit_key("keywords");
            w.begin_array();
            for k in kw {
                w.str(k);
            }
            w.end_array();
        }
        _ => {
            let mask = sys.keywords.as_ref().and_then(|k| k.value).unwrap_or(0);
            if STANDARD_KEYWORDS.iter().any(|(bit, _)| mask & bit != 0) {
                w.lit_key("keywords");
                w.begin_array();
                for (bit, name) in STANDARD_KEYWORDS {
                    if mask & bit != 0 {
                        w.lit_str(name);
                    }
                }
                w.end_array();
            }
        }
    }
    if let Some(c) = &sys.correlation {
        if let Some(a) = &c.activity_id {
            w.lit_field_str("activity_id", &a.raw);
        }
        if let Some(a) = &c.related_activity_id {
            w.lit_field_str("related_activity_id", &a.raw);
        }
    }
    if let Some(x) = &sys.execution {
        let pid = x.process_id.as_ref().and_then(|n| n.value);
        let tid = x.thread_id.as_ref().and_then(|n| n.value);
        if pid.is_some() || tid.is_some() {
            w.lit_key_object("process");
            w.lit_field_opt_u64("pid", pid.map(u64::from));
            if let Some(t) = tid {
                w.lit_key_object("thread");
                w.lit_field_u64("id", u64::from(t));
                w.end_object();
            }
            w.end_object();
        }
    }
    if let Some(uid) = sys.security.as_ref().and_then(|s| s.user_id.as_deref()) {
        w.lit_key_object("user");
        w.lit_field_str("identifier", uid);
        w.end_object();
    }
    match &event.payload {
        Payload::EventData(d) => {
            w.lit_key("event_data");
            write_event_data(w, d);
        }
        Payload::UserData(_) => {
            if let Fields::User(e) = f {
                w.lit_key_object("user_data");
                w.lit_field_str("xml_name", local_name(&e.name));
                write_children(w, &e.children, 0);
                w.end_object();
            }
        }
        Payload::DebugData(d) => {
            w.lit_key("debug_data");
            write_fields(w, &d.fields);
        }
        Payload::ProcessingErrorData(p) => {
            w.lit_key_object("processing_error_data");
            if let Some(c) = &p.error_code {
                match c.value {
                    Some(v) => w.lit_field_u64("ErrorCode", u64::from(v)),
                    None => w.lit_field_str("ErrorCode", &c.raw),
                }
            }
            w.lit_field_opt_str("DataItemName", p.data_item_name.as_deref());
            w.lit_field_opt_str("EventPayload", p.event_payload.as_deref());
            w.end_object();
        }
        _ => {}
    }
    write_logon(w, en);
    w.end_object();
}

fn write_logon(w: &mut JsonWriter<'_>, en: &Enrichment<'_>) {
    let failure = en.failure_status.is_some()
        || en.failure_sub_status.is_some()
        || en.failure_reason.is_some();
    if en.logon_type.is_none() && en.logon_id.is_none() && !failure {
        return;
    }
    w.lit_key_object("logon");
    w.lit_field_opt_lit("type", en.logon_type);
    w.lit_field_opt_str("id", en.logon_id);
    if failure {
        w.lit_key_object("failure");
        w.lit_field_opt_lit("status", en.failure_status);
        w.lit_field_opt_lit("sub_status", en.failure_sub_status);
        w.lit_field_opt_str("reason", en.failure_reason);
        w.end_object();
    }
    w.end_object();
}

/// A member of a payload object: a text value or an element (written as text when it is a leaf,
/// as an object otherwise).
#[derive(Clone, Copy)]
enum Val<'e, 'a> {
    Text(&'e str),
    Elem(&'e Element<'a>),
}

/// `winlog.event_data`: items by name (`paramN` for unnamed ones, N = 1-based position),
/// `ComplexData` and other children by their `Name` attribute (else their local name), then
/// `Binary`.
fn write_event_data(w: &mut JsonWriter<'_>, d: &EventData<'_>) {
    // Fast path (almost every event): items only, with distinct keys. Unnamed items are keyed
    // `paramN`, which no two share; they can only collide with a named item called `param…`,
    // which sends the event to the general path.
    if d.other.is_empty() {
        let named = d.items.iter().filter_map(|i| i.name.as_deref());
        let n = named
            .clone()
            .count()
            .saturating_add(usize::from(d.binary.is_some()));
        let unnamed = d.items.len() != n.saturating_sub(usize::from(d.binary.is_some()));
        let keys = named.clone().chain(d.binary.as_ref().map(|_| "Binary"));
        if n <= PAIRWISE_MAX
            && !(unnamed && named.clone().any(|k| k.starts_with("param")))
            && !has_duplicate_keys(ExactLen(keys, n))
        {
            w.begin_object();
            for (i, item) in d.items.iter().enumerate() {
                match item.name.as_deref() {
                    Some(name) => w.field_str(name, &item.value),
                    None => {
                        w.param_key(u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1));
                        w.str(&item.value);
                    }
                }
            }
            w.lit_field_opt_str("Binary", d.binary.as_deref());
            w.end_object();
            return;
        }
    }
    write_event_data_general(w, d);
}

/// [`write_event_data`] for any payload: the entries collected, then written by key.
fn write_event_data_general(w: &mut JsonWriter<'_>, d: &EventData<'_>) {
    let mut entries: Vec<(Cow<'_, str>, Val<'_, '_>)> = Vec::with_capacity(
        d.items
            .len()
            .saturating_add(d.other.len())
            .saturating_add(1),
    );
    for (i, item) in d.items.iter().enumerate() {
        let key = match item.name.as_deref() {
            Some(n) => Cow::Borrowed(n),
            None => Cow::Owned(format!("param{}", i.saturating_add(1))),
        };
        entries.push((key, Val::Text(&item.value)));
    }
    for e in &d.other {
        let key = e
            .attributes
            .iter()
            .find(|a| a.name == "Name")
            .map_or_else(|| local_name(&e.name), |a| &*a.value);
        entries.push((Cow::Borrowed(key), Val::Elem(e)));
    }
    if let Some(b) = d.binary.as_deref() {
        entries.push((Cow::Borrowed("Binary"), Val::Text(b)));
    }
    w.begin_object();
    write_entries(w, &entries, 0);
    w.end_object();
}

/// `winlog.debug_data`: the `DebugData` fields by name.
fn write_fields(w: &mut JsonWriter<'_>, fields: &[DataItem<'_>]) {
    let entries: Vec<(Cow<'_, str>, Val<'_, '_>)> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let key = match f.name.as_deref() {
                Some(n) => Cow::Borrowed(n),
                None => Cow::Owned(format!("param{}", i.saturating_add(1))),
            };
            (key, Val::Text(&f.value))
        })
        .collect();
    w.begin_object();
    write_entries(w, &entries, 0);
    w.end_object();
}

/// Writes object members in document order; a key that occurs more than once is written once,
/// at its first occurrence, with an array of its values in document order (so keys stay unique).
fn write_entries(w: &mut JsonWriter<'_>, entries: &[(Cow<'_, str>, Val<'_, '_>)], depth: usize) {
    if !has_duplicate_keys(entries.iter().map(|(k, _)| &**k)) {
        for (key, val) in entries {
            w.key(key);
            write_val(w, *val, depth);
        }
        return;
    }
    if entries.len() <= PAIRWISE_MAX {
        // A handful of entries: each key's occurrences found pairwise, without allocating.
        for (i, (key, val)) in entries.iter().enumerate() {
            let earlier = entries.get(..i).unwrap_or_default();
            if earlier.iter().any(|(k, _)| k == key) {
                continue;
            }
            let later = entries.get(i.saturating_add(1)..).unwrap_or_default();
            w.key(key);
            if later.iter().any(|(k, _)| k == key) {
                w.begin_array();
                write_val(w, *val, depth);
                for (_, v) in later.iter().filter(|(k, _)| k == key) {
                    write_val(w, *v, depth);
                }
                w.end_array();
            } else {
                write_val(w, *val, depth);
            }
        }
        return;
    }
    // Sorted (key, position) pairs find each key's occurrences in O(n log n).
    let mut order: Vec<(&str, usize)> = entries
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (&**k, i))
        .collect();
    order.sort_unstable();
    for (i, (key, val)) in entries.iter().enumerate() {
        let start = order.partition_point(|&(k, _)| k < &**key);
        let mut group = order
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&(k, _)| k == &**key)
            .map(|&(_, p)| p);
        if group.next() != Some(i) {
            continue;
        }
        let rest: Vec<usize> = group.collect();
        w.key(key);
        if rest.is_empty() {
            write_val(w, *val, depth);
        } else {
            w.begin_array();
            write_val(w, *val, depth);
            for p in rest {
                if let Some((_, v)) = entries.get(p) {
                    write_val(w, *v, depth);
                }
            }
            w.end_array();
        }
    }
}

/// Whether a key occurs twice. Up to [`PAIRWISE_MAX`] keys (no allocation): each key's
/// fingerprint picks one of 1024 buckets, and only a key landing in an occupied bucket is compared
/// with the earlier keys (fingerprints first, the strings when those agree), so distinct keys,
/// the usual case, cost a few instructions each. Beyond that, sorted: O(n log n).
fn has_duplicate_keys<'k>(keys: impl ExactSizeIterator<Item = &'k str> + Clone) -> bool {
    if keys.len() <= PAIRWISE_MAX {
        let mut seen = KeySet::new();
        keys.into_iter().any(|k| !seen.insert(k))
    } else {
        let mut sorted: Vec<&str> = keys.collect();
        sorted.sort_unstable();
        sorted.windows(2).any(|p| matches!(p, [a, b] if a == b))
    }
}

/// Up to [`PAIRWISE_MAX`] distinct keys, with their fingerprints and a 1024-bucket filter
/// (see [`has_duplicate_keys`]).
struct KeySet<'k> {
    arr: [&'k str; PAIRWISE_MAX],
    fps: [u64; PAIRWISE_MAX],
    buckets: [u64; 16],
    n: usize,
}

impl<'k> KeySet<'k> {
    fn new() -> Self {
        Self {
            arr: [""; PAIRWISE_MAX],
            fps: [0; PAIRWISE_MAX],
            buckets: [0; 16],
            n: 0,
        }
    }

    /// Adds `k`: `false` when it is already there, or the set is full.
    #[inline]
    fn insert(&mut self, k: &'k str) -> bool {
        let fp = fingerprint(k);
        let h = fp.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54;
        let word = usize::try_from(h >> 6).unwrap_or(0);
        let bit = 1u64 << (h & 63);
        let Some(slot) = self.buckets.get_mut(word) else {
            return false;
        };
        if *slot & bit != 0 && earlier_duplicate(&self.arr, &self.fps, self.n, k, fp) {
            return false;
        }
        *slot |= bit;
        match (self.arr.get_mut(self.n), self.fps.get_mut(self.n)) {
            (Some(a), Some(f)) => {
                *a = k;
                *f = fp;
                self.n = self.n.wrapping_add(1);
                true
            }
            _ => false,
        }
    }
}

/// Whether `k` (fingerprint `fp`) equals one of the first `n` keys of `arr`.
#[cold]
fn earlier_duplicate(arr: &[&str], fps: &[u64], n: usize, k: &str, fp: u64) -> bool {
    arr.iter()
        .zip(fps)
        .take(n)
        .any(|(a, f)| *f == fp && *a == k)
}

/// The pairwise reference for [`has_duplicate_keys`] (tests).
#[cfg(test)]
fn has_duplicate_keys_naive(keys: &[&str]) -> bool {
    keys.iter()
        .enumerate()
        .any(|(i, k)| keys.iter().skip(i.saturating_add(1)).any(|o| o == k))
}

/// Equal keys have equal fingerprints: the length and the last eight bytes (all of them for a
/// shorter key), read as one word without a copy loop.
#[inline]
fn fingerprint(k: &str) -> u64 {
    let b = k.as_bytes();
    let tail = match b.last_chunk::<8>() {
        Some(last) => u64::from_le_bytes(*last),
        None => b
            .iter()
            .fold(0u64, |w, &x| w.wrapping_shl(8) | u64::from(x)),
    };
    tail ^ u64::try_from(b.len()).unwrap_or(u64::MAX).rotate_right(8)
}

/// An iterator of known length (the chain above does not implement `ExactSizeIterator`).
#[derive(Clone)]
struct ExactLen<I>(I, usize);

impl<I: Iterator> Iterator for ExactLen<I> {
    type Item = I::Item;
    fn next(&mut self) -> Option<I::Item> {
        let x = self.0.next()?;
        self.1 = self.1.saturating_sub(1);
        Some(x)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.1, Some(self.1))
    }
}

impl<I: Iterator> ExactSizeIterator for ExactLen<I> {}

/// Up to this many keys, duplicates are looked for pairwise (at most 496 comparisons).
const PAIRWISE_MAX: usize = 32;

fn write_val(w: &mut JsonWriter<'_>, val: Val<'_, '_>, depth: usize) {
    match val {
        Val::Text(t) => w.str(t),
        Val::Elem(e) => {
            if let Some(text) = leaf_text(e) {
                w.str(text);
            } else if depth >= MAX_USER_DATA_DEPTH {
                let mut parts = String::new();
                collect_text(e, &mut parts);
                w.str(&parts);
            } else {
                w.begin_object();
                write_children(w, &e.children, depth.saturating_add(1));
                w.end_object();
            }
        }
    }
}

/// Writes the element children of an element as object members by local name (text nodes
/// between elements are whitespace and dropped).
fn write_children(w: &mut JsonWriter<'_>, children: &[Node<'_>], depth: usize) {
    // Fast path (almost every tree): distinct names, written in order as they come (as
    // `write_entries` writes distinct keys); at a repeated name, or too many, what was written
    // is taken back and the general path groups them.
    let mark = w.mark();
    let mut seen = KeySet::new();
    let mut distinct = true;
    for c in children {
        if let Node::Element(e) = c {
            let key = local_name(&e.name);
            if !seen.insert(key) {
                distinct = false;
                break;
            }
            w.key(key);
            write_val(w, Val::Elem(e), depth);
        }
    }
    if distinct {
        return;
    }
    w.rollback(mark);
    let entries: Vec<(Cow<'_, str>, Val<'_, '_>)> = children
        .iter()
        .filter_map(|n| match n {
            Node::Element(e) => Some((Cow::Borrowed(local_name(&e.name)), Val::Elem(e))),
            Node::Text(_) => None,
        })
        .collect();
    write_entries(w, &entries, depth);
}

/// The concatenated text of an element tree, without recursion.
fn collect_text(e: &Element<'_>, out: &mut String) {
    let mut stack: Vec<std::slice::Iter<'_, Node<'_>>> = vec![e.children.iter()];
    while let Some(top) = stack.last_mut() {
        match top.next() {
            Some(Node::Text(t)) => out.push_str(t),
            Some(Node::Element(c)) => stack.push(c.children.iter()),
            None => {
                stack.pop();
            }
        }
    }
}

fn write_labels(w: &mut JsonWriter<'_>, m: &Metadata) {
    let labels = [
        ("wef_principal", m.principal.as_deref()),
        ("wef_client", m.client.as_deref()),
        ("wef_node", m.node.as_deref()),
        ("wef_subscription_name", m.subscription_name.as_deref()),
        ("wef_subscription_uuid", m.subscription_uuid.as_deref()),
        (
            "wef_subscription_version",
            m.subscription_version.as_deref(),
        ),
        ("wef_subscription_uri", m.subscription_uri.as_deref()),
        ("wef_client_revision", m.client_revision.as_deref()),
        ("wef_server_revision", m.server_revision.as_deref()),
    ];
    if labels.iter().all(|(_, v)| v.is_none()) {
        return;
    }
    w.lit_key_object("labels");
    for (k, v) in labels {
        w.field_opt_str(k, v);
    }
    w.end_object();
}

/// The ECS record of an event that could not be parsed: `event.kind = "pipeline_error"`,
/// `event.original` (the raw text), `error.type`/`error.message`, and the collector metadata.
pub(crate) fn render_raw_ecs(
    raw: &str,
    error: &crate::Error,
    meta: Option<&Metadata>,
    w: &mut JsonWriter<'_>,
) {
    w.begin_object();
    w.lit_key_object("ecs");
    w.lit_field_lit("version", ECS_VERSION);
    w.end_object();
    w.lit_key_object("event");
    w.lit_field_str("kind", "pipeline_error");
    w.lit_field_str("original", raw);
    w.lit_field_opt_str("created", meta.and_then(|m| m.time_received.as_deref()));
    w.end_object();
    w.lit_key_object("error");
    w.lit_field_str("type", error.kind());
    w.lit_key("message");
    w.str(&error.to_string());
    w.end_object();
    if let Some(p) = meta.and_then(|m| m.peer_addr.as_deref()) {
        w.lit_key_object("log");
        w.lit_key_object("source");
        w.lit_field_str("address", p);
        w.end_object();
        w.end_object();
    }
    if let Some(m) = meta {
        write_labels(w, m);
    }
    w.end_object();
}

#[cfg(test)]
mod tests {
    use super::{has_duplicate_keys, has_duplicate_keys_naive};
    use crate::event::{DataItem, EventData};
    use crate::json::JsonWriter;
    use proptest::prelude::*;
    use std::borrow::Cow;

    proptest! {
        /// `UserData` children are written the same by the fast path and the general one, with
        /// repeated names, prefixes, nested elements and text between them.
        #[test]
        fn user_data_fast_path_agrees_with_general(
            names in proptest::collection::vec("[a-c]|p:[a-c]|[a-c][0-9]", 0..40),
            nested in any::<bool>(),
        ) {
            use crate::event::{Element, Node};
            let leaf = |n: &str, t: &str| Element {
                name: Cow::Owned(n.to_owned()),
                children: vec![Node::Text(Cow::Owned(t.to_owned()))],
                ..Element::default()
            };
            let mut children = Vec::new();
            for (i, n) in names.iter().enumerate() {
                children.push(Node::Text(Cow::Borrowed("\n  ")));
                let mut e = leaf(n, &i.to_string());
                if nested && i % 3 == 0 {
                    e.children.push(Node::Element(leaf("a", "x")));
                    e.children.push(Node::Element(leaf("a", "y")));
                }
                children.push(Node::Element(e));
            }
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let mut wa = JsonWriter::new(&mut a);
            wa.begin_object();
            super::write_children(&mut wa, &children, 0);
            wa.end_object();
            let entries: Vec<(Cow<'_, str>, super::Val<'_, '_>)> = children
                .iter()
                .filter_map(|n| match n {
                    Node::Element(e) => Some((Cow::Borrowed(super::local_name(&e.name)), super::Val::Elem(e))),
                    Node::Text(_) => None,
                })
                .collect();
            let mut wb = JsonWriter::new(&mut b);
            wb.begin_object();
            super::write_entries(&mut wb, &entries, 0);
            wb.end_object();
            prop_assert_eq!(String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap());
        }

        /// `winlog.event_data` is written the same by the fast path and the general one, with
        /// named, unnamed, repeated and `param…`-named items and a `Binary`.
        #[test]
        fn event_data_fast_path_agrees_with_general(
            items in proptest::collection::vec(
                (proptest::option::of("param[1-3]|[A-C]|Name\\\\|Binary"), "[a-z\"\\\\]{0,4}"),
                0..40,
            ),
            binary in proptest::option::of("[0-9A-F]{0,4}"),
        ) {
            let d = EventData {
                name: None,
                items: items
                    .iter()
                    .map(|(n, v)| DataItem {
                        name: n.as_deref().map(Cow::Borrowed),
                        value: Cow::Borrowed(v.as_str()),
                    })
                    .collect(),
                binary: binary.as_deref().map(Cow::Borrowed),
                other: Vec::new(),
            };
            let (mut a, mut b) = (Vec::new(), Vec::new());
            super::write_event_data(&mut JsonWriter::new(&mut a), &d);
            super::write_event_data_general(&mut JsonWriter::new(&mut b), &d);
            prop_assert_eq!(String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap());
        }
    }

    proptest! {
        /// The bucketed check agrees with the plain pairwise one, with and without duplicates,
        /// below and above the pairwise limit.
        #[test]
        fn duplicate_check_agrees_with_pairwise(
            keys in proptest::collection::vec("[a-c]{0,3}|[A-Za-z]{5,12}|Key[0-9]{1,2}", 0..40)
        ) {
            let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
            prop_assert_eq!(
                has_duplicate_keys(refs.iter().copied()),
                has_duplicate_keys_naive(&refs)
            );
        }
    }

    #[test]
    fn duplicate_check_examples() {
        let distinct: Vec<String> = (0..32).map(|i| format!("Field{i}")).collect();
        let refs: Vec<&str> = distinct.iter().map(String::as_str).collect();
        assert!(!has_duplicate_keys(refs.iter().copied()));
        let mut dup = refs.clone();
        dup[31] = "Field3";
        assert!(has_duplicate_keys(dup.iter().copied()));
        assert!(has_duplicate_keys(["", "a", ""].into_iter()));
        assert!(!has_duplicate_keys(["", "a"].into_iter()));
    }
}

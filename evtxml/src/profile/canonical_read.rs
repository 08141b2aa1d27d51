//! Reading the `canonical` profile back into an [`Event`].

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::event::{
    Attribute, Correlation, DataItem, DebugData, Element, Event, EventData, Execution, Guid, Node,
    Num, Payload, ProcessingErrorData, Provider, RenderingInfo, Security, System, TimeCreated,
    UserData,
};
use crate::parse::{make_guid, make_time, num_dec, num_hex};

fn bad(reason: &'static str) -> Error {
    Error::Json { reason }
}

type Obj = Map<String, Value>;

fn obj<'v>(v: &'v Value, what: &'static str) -> Result<&'v Obj, Error> {
    v.as_object().ok_or(bad(what))
}

fn opt_str(o: &Obj, k: &str) -> Result<Option<Cow<'static, str>>, Error> {
    match o.get(k) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(Cow::Owned(s.clone()))),
        Some(_) => Err(bad("expected a string")),
    }
}

/// A number written as a JSON number or, when not in plain decimal form, as its text.
fn raw_num(o: &Obj, k: &str) -> Result<Option<Cow<'static, str>>, Error> {
    match o.get(k) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(Cow::Owned(s.clone()))),
        Some(Value::Number(n)) if n.is_u64() => Ok(Some(Cow::Owned(n.to_string()))),
        Some(_) => Err(bad("expected a number or a string")),
    }
}

fn dec_field<T: TryFrom<u64>>(o: &Obj, k: &str) -> Result<Option<Num<'static, T>>, Error> {
    Ok(raw_num(o, k)?.map(num_dec))
}

fn guid_field(o: &Obj, k: &str) -> Result<Option<Guid<'static>>, Error> {
    Ok(opt_str(o, k)?.map(make_guid))
}

/// Reads a document written by the `canonical` profile back into the record it was made from.
///
/// `Normalization` and `Metadata` members are ignored (they are not part of the record). A
/// raw-only document (no `System`) is an error.
///
/// ```
/// let xml = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
///            <EventID>4624</EventID></System><EventData><Data Name='a'>1</Data></EventData></Event>";
/// let event = evtxml::parse_event(xml, &evtxml::Limits::default()).unwrap();
/// let mut json = Vec::new();
/// evtxml::render(&event, evtxml::Profile::Canonical, None, &mut json);
/// let back = evtxml::read_canonical(std::str::from_utf8(&json).unwrap()).unwrap();
/// assert_eq!(back, event);
/// ```
pub fn read_canonical(json: &str) -> Result<Event<'static>, Error> {
    let v: Value = serde_json::from_str(json).map_err(|_| bad("not a json document"))?;
    let root = obj(&v, "not an object")?;
    let sys = obj(
        root.get("System").ok_or(bad("no System"))?,
        "System is not an object",
    )?;
    let mut event = Event {
        system: system(sys)?,
        ..Event::default()
    };
    if let Some(d) = root.get("EventData") {
        let d = obj(d, "EventData is not an object")?;
        event.payload = Payload::EventData(EventData {
            name: opt_str(d, "Name")?,
            items: items(d.get("Data").unwrap_or(&Value::Null))?,
            binary: opt_str(d, "Binary")?,
            other: elements(d.get("Other"))?,
        });
    } else if let Some(u) = root.get("UserData") {
        event.payload = Payload::UserData(UserData {
            children: nodes(u, 0)?,
            raw: None,
        });
    } else if let Some(d) = root.get("DebugData") {
        event.payload = Payload::DebugData(DebugData { fields: items(d)? });
    } else if let Some(p) = root.get("ProcessingErrorData") {
        let p = obj(p, "ProcessingErrorData is not an object")?;
        event.payload = Payload::ProcessingErrorData(ProcessingErrorData {
            error_code: dec_field(p, "ErrorCode")?,
            data_item_name: opt_str(p, "DataItemName")?,
            event_payload: opt_str(p, "EventPayload")?,
        });
    }
    if let Some(r) = root.get("RenderingInfo") {
        let r = obj(r, "RenderingInfo is not an object")?;
        let keywords = match r.get("Keywords") {
            None => None,
            Some(Value::Array(a)) => Some(
                a.iter()
                    .map(|k| {
                        k.as_str()
                            .map(|s| Cow::Owned(s.to_owned()))
                            .ok_or(bad("keyword"))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Some(_) => return Err(bad("Keywords is not an array")),
        };
        event.rendering_info = Some(RenderingInfo {
            culture: opt_str(r, "Culture")?,
            message: opt_str(r, "Message")?,
            level: opt_str(r, "Level")?,
            task: opt_str(r, "Task")?,
            opcode: opt_str(r, "Opcode")?,
            channel: opt_str(r, "Channel")?,
            provider: opt_str(r, "Provider")?,
            keywords,
        });
    }
    event.other = elements(root.get("Other"))?;
    Ok(event)
}

fn system(s: &Obj) -> Result<System<'static>, Error> {
    let provider = match s.get("Provider") {
        None => None,
        Some(p) => {
            let p = obj(p, "Provider is not an object")?;
            Some(Provider {
                name: opt_str(p, "Name")?,
                guid: guid_field(p, "Guid")?,
                event_source_name: opt_str(p, "EventSourceName")?,
            })
        }
    };
    let time_created = match s.get("TimeCreated") {
        None => None,
        Some(t) => {
            let t = obj(t, "TimeCreated is not an object")?;
            Some(TimeCreated {
                system_time: opt_str(t, "SystemTime")?.map(make_time),
                raw_time: dec_field(t, "RawTime")?,
            })
        }
    };
    let correlation = match s.get("Correlation") {
        None => None,
        Some(c) => {
            let c = obj(c, "Correlation is not an object")?;
            Some(Correlation {
                activity_id: guid_field(c, "ActivityID")?,
                related_activity_id: guid_field(c, "RelatedActivityID")?,
            })
        }
    };
    let execution = match s.get("Execution") {
        None => None,
        Some(x) => {
            let x = obj(x, "Execution is not an object")?;
            Some(Execution {
                process_id: dec_field(x, "ProcessID")?,
                thread_id: dec_field(x, "ThreadID")?,
                processor_id: dec_field(x, "ProcessorID")?,
                session_id: dec_field(x, "SessionID")?,
                kernel_time: dec_field(x, "KernelTime")?,
                user_time: dec_field(x, "UserTime")?,
                processor_time: dec_field(x, "ProcessorTime")?,
            })
        }
    };
    let security = match s.get("Security") {
        None => None,
        Some(x) => Some(Security {
            user_id: opt_str(obj(x, "Security is not an object")?, "UserID")?,
        }),
    };
    Ok(System {
        provider,
        event_id: dec_field(s, "EventID")?,
        qualifiers: dec_field(s, "Qualifiers")?,
        version: dec_field(s, "Version")?,
        level: dec_field(s, "Level")?,
        task: dec_field(s, "Task")?,
        opcode: dec_field(s, "Opcode")?,
        keywords: opt_str(s, "Keywords")?.map(num_hex),
        time_created,
        event_record_id: dec_field(s, "EventRecordID")?,
        correlation,
        execution,
        channel: opt_str(s, "Channel")?,
        computer: opt_str(s, "Computer")?,
        container: opt_str(s, "Container")?,
        security,
        other: elements(s.get("Other"))?,
    })
}

fn items(v: &Value) -> Result<Vec<DataItem<'static>>, Error> {
    let Value::Array(a) = v else {
        return Err(bad("expected an array of items"));
    };
    a.iter()
        .map(|i| {
            let i = obj(i, "item is not an object")?;
            Ok(DataItem {
                name: opt_str(i, "Name")?,
                value: opt_str(i, "Value")?.ok_or(bad("item without Value"))?,
            })
        })
        .collect()
}

/// The depth bound of trees read back (the parser's default `max_depth`).
const MAX_DEPTH: usize = 64;

fn elements(v: Option<&Value>) -> Result<Vec<Element<'static>>, Error> {
    let Some(v) = v else {
        return Ok(Vec::new());
    };
    let Value::Array(a) = v else {
        return Err(bad("Other is not an array"));
    };
    a.iter().map(|e| element(e, 0)).collect()
}

fn nodes(v: &Value, depth: usize) -> Result<Vec<Node<'static>>, Error> {
    let Value::Array(a) = v else {
        return Err(bad("expected an array of nodes"));
    };
    a.iter()
        .map(|n| match n {
            Value::String(s) => Ok(Node::Text(Cow::Owned(s.clone()))),
            _ => Ok(Node::Element(element(n, depth)?)),
        })
        .collect()
}

fn element(v: &Value, depth: usize) -> Result<Element<'static>, Error> {
    if depth > MAX_DEPTH {
        return Err(bad("element tree too deep"));
    }
    let e = obj(v, "element is not an object")?;
    let attributes = match e.get("Attributes") {
        None => Vec::new(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|a| {
                let a = obj(a, "attribute is not an object")?;
                Ok(Attribute {
                    name: opt_str(a, "Name")?.ok_or(bad("attribute without Name"))?,
                    value: opt_str(a, "Value")?.ok_or(bad("attribute without Value"))?,
                })
            })
            .collect::<Result<_, Error>>()?,
        Some(_) => return Err(bad("Attributes is not an array")),
    };
    let children = match e.get("Children") {
        None => Vec::new(),
        Some(c) => nodes(c, depth.saturating_add(1))?,
    };
    Ok(Element {
        name: opt_str(e, "Name")?.ok_or(bad("element without Name"))?,
        namespace: opt_str(e, "Namespace")?,
        attributes,
        children,
    })
}

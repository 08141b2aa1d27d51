//! Converting a borrowed record into one that owns its strings (`Event<'static>`).

use std::borrow::Cow;

use crate::event::{
    Attribute, Correlation, DataItem, DebugData, Element, Event, EventData, Execution, Guid, Node,
    Num, Payload, ProcessingErrorData, Provider, RenderingInfo, Security, System, Time,
    TimeCreated, UserData,
};

fn s(c: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(c.into_owned())
}

fn os(c: Option<Cow<'_, str>>) -> Option<Cow<'static, str>> {
    c.map(s)
}

fn num<T>(n: Num<'_, T>) -> Num<'static, T> {
    Num {
        raw: s(n.raw),
        value: n.value,
    }
}

fn onum<T>(n: Option<Num<'_, T>>) -> Option<Num<'static, T>> {
    n.map(num)
}

fn guid(g: Option<Guid<'_>>) -> Option<Guid<'static>> {
    g.map(|g| Guid {
        raw: s(g.raw),
        value: g.value,
    })
}

fn items(v: Vec<DataItem<'_>>) -> Vec<DataItem<'static>> {
    v.into_iter()
        .map(|i| DataItem {
            name: os(i.name),
            value: s(i.value),
        })
        .collect()
}

/// Iterative, so that deep trees cannot exhaust the stack.
fn element(root: Element<'_>) -> Element<'static> {
    fn shell(e: &mut Element<'_>) -> Element<'static> {
        Element {
            name: s(core::mem::take(&mut e.name)),
            namespace: os(e.namespace.take()),
            attributes: core::mem::take(&mut e.attributes)
                .into_iter()
                .map(|a| Attribute {
                    name: s(a.name),
                    value: s(a.value),
                })
                .collect(),
            children: Vec::new(),
        }
    }
    // Stack of (converted shell, remaining children of the source, reversed).
    let mut root = root;
    let mut stack: Vec<(Element<'static>, Vec<Node<'_>>)> = Vec::new();
    let kids: Vec<Node<'_>> = core::mem::take(&mut root.children)
        .into_iter()
        .rev()
        .collect();
    stack.push((shell(&mut root), kids));
    loop {
        let Some((_, pending)) = stack.last_mut() else {
            return Element::default();
        };
        match pending.pop() {
            Some(Node::Text(t)) => {
                if let Some((done, _)) = stack.last_mut() {
                    done.children.push(Node::Text(s(t)));
                }
            }
            Some(Node::Element(mut e)) => {
                let kids: Vec<Node<'_>> =
                    core::mem::take(&mut e.children).into_iter().rev().collect();
                stack.push((shell(&mut e), kids));
            }
            None => {
                let Some((done, _)) = stack.pop() else {
                    return Element::default();
                };
                match stack.last_mut() {
                    Some((parent, _)) => parent.children.push(Node::Element(done)),
                    None => return done,
                }
            }
        }
    }
}

fn elements(v: Vec<Element<'_>>) -> Vec<Element<'static>> {
    v.into_iter().map(element).collect()
}

fn nodes(v: Vec<Node<'_>>) -> Vec<Node<'static>> {
    v.into_iter()
        .map(|n| match n {
            Node::Text(t) => Node::Text(s(t)),
            Node::Element(e) => Node::Element(element(e)),
        })
        .collect()
}

pub(crate) fn event(e: Event<'_>) -> Event<'static> {
    let sys = e.system;
    let system = System {
        provider: sys.provider.map(|p| Provider {
            name: os(p.name),
            guid: guid(p.guid),
            event_source_name: os(p.event_source_name),
        }),
        event_id: onum(sys.event_id),
        qualifiers: onum(sys.qualifiers),
        version: onum(sys.version),
        level: onum(sys.level),
        task: onum(sys.task),
        opcode: onum(sys.opcode),
        keywords: onum(sys.keywords),
        time_created: sys.time_created.map(|t| TimeCreated {
            system_time: t.system_time.map(|x| Time {
                raw: s(x.raw),
                value: x.value,
            }),
            raw_time: onum(t.raw_time),
        }),
        event_record_id: onum(sys.event_record_id),
        correlation: sys.correlation.map(|c| Correlation {
            activity_id: guid(c.activity_id),
            related_activity_id: guid(c.related_activity_id),
        }),
        execution: sys.execution.map(|x| Execution {
            process_id: onum(x.process_id),
            thread_id: onum(x.thread_id),
            processor_id: onum(x.processor_id),
            session_id: onum(x.session_id),
            kernel_time: onum(x.kernel_time),
            user_time: onum(x.user_time),
            processor_time: onum(x.processor_time),
        }),
        channel: os(sys.channel),
        computer: os(sys.computer),
        container: os(sys.container),
        security: sys.security.map(|x| Security {
            user_id: os(x.user_id),
        }),
        other: elements(sys.other),
    };
    let payload = match e.payload {
        Payload::None => Payload::None,
        Payload::EventData(d) => Payload::EventData(EventData {
            name: os(d.name),
            items: items(d.items),
            binary: os(d.binary),
            other: elements(d.other),
        }),
        Payload::UserData(u) => Payload::UserData(UserData {
            children: nodes(u.children),
            raw: None,
        }),
        Payload::DebugData(d) => Payload::DebugData(DebugData {
            fields: items(d.fields),
        }),
        Payload::ProcessingErrorData(p) => Payload::ProcessingErrorData(ProcessingErrorData {
            error_code: onum(p.error_code),
            data_item_name: os(p.data_item_name),
            event_payload: os(p.event_payload),
        }),
    };
    Event {
        system,
        payload,
        rendering_info: e.rendering_info.map(|r| RenderingInfo {
            culture: os(r.culture),
            message: os(r.message),
            level: os(r.level),
            task: os(r.task),
            opcode: os(r.opcode),
            channel: os(r.channel),
            provider: os(r.provider),
            keywords: r.keywords.map(|k| k.into_iter().map(s).collect()),
        }),
        other: elements(e.other),
    }
}

//! Build → render → parse round trips for every message type and for the headers
//! (`parse(render(m)) == m`), over arbitrary values biased toward what Windows sends, in every
//! output encoding.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions: a failure fails the test"
)]

use std::borrow::Cow;

use proptest::prelude::*;
use wsman_proto::charset::{self, Charset};
use wsman_proto::message::fault::{FaultCode, QName};
use wsman_proto::message::{
    AuthPolicy, ConnectionRetry, Delivery, EndpointReference, Enumerate, EnumerateResponse,
    EventItem, Events, Filter, Item, PayloadForm, Pull, PullResponse, Subscribe, SubscribeResponse,
    SubscriptionEnd, SubscriptionItem, Thumbprint, WsManFault,
};
use wsman_proto::{
    Action, Envelope, Fault, Headers, Limits, MaxEnvelopeSize, Message, OptionItem, OptionSet,
    RawHeader, Selector, XsDuration,
};

type S = Cow<'static, str>;

/// Text values: XML specials, non-ASCII, no leading/trailing whitespace (values are trimmed).
fn text() -> impl Strategy<Value = S> {
    prop_oneof![
        Just(Cow::Borrowed("uuid:E9802257-6A7D-4C0D-BFA4-E81C7B1C447E")),
        Just(Cow::Borrowed(
            "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
        )),
        "[a-zA-Z0-9<>&'\"é€:/._-]([a-zA-Z0-9 <>&'\"é€:/._\r-]{0,24}[a-zA-Z0-9<>&'\"é€:/._-])?"
            .prop_map(Cow::Owned),
    ]
}

fn ncname() -> impl Strategy<Value = S> {
    "[A-Za-z][A-Za-z0-9]{0,10}".prop_map(Cow::Owned)
}

fn dur() -> impl Strategy<Value = XsDuration> {
    prop_oneof![
        Just(XsDuration::from_millis(60_000)),
        (0u64..10_000_000_000).prop_map(XsDuration::from_millis)
    ]
}

/// A well-formed XML fragment (kept verbatim by the codec).
fn fragment() -> impl Strategy<Value = S> {
    prop_oneof![
        Just(Cow::Borrowed(
            "<QueryList><Query Id=\"0\"><Select Path=\"Security\">*[System[(Level=1  or Level=2)]]</Select></Query></QueryList>"
        )),
        (ncname(), text()).prop_map(|(n, t)| {
            let mut s = format!("<{n} a=\"1\">");
            s.push_str(
                &t.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('\r', "&#13;"),
            );
            s.push_str(&format!("</{n}>"));
            Cow::Owned(s)
        }),
    ]
}

fn epr() -> impl Strategy<Value = EndpointReference<'static>> {
    (
        text(),
        proptest::option::of(text()),
        proptest::collection::vec(fragment(), 0..2),
        any::<bool>(),
        proptest::option::of((
            prop_oneof![
                Just(Cow::Borrowed(AuthPolicy::PROFILE_HTTP_SPNEGO_KERBEROS)),
                Just(Cow::Borrowed(AuthPolicy::PROFILE_HTTPS_MUTUAL)),
                text()
            ],
            proptest::collection::vec((text(), text()), 0..3),
        )),
    )
        .prop_map(|(address, identifier, other, params, policy)| {
            let has_refs = identifier.is_some() || !other.is_empty();
            EndpointReference {
                address,
                identifier,
                other_references: other,
                reference_parameters: params && has_refs,
                policy: policy.map(|(profile, t)| AuthPolicy {
                    profile,
                    thumbprints: t
                        .into_iter()
                        .map(|(role, value)| Thumbprint { role, value })
                        .collect(),
                }),
            }
        })
}

fn headers() -> impl Strategy<Value = Headers<'static>> {
    let a = (
        proptest::option::of(text()),
        proptest::option::of(prop_oneof![
            Just(Action::EVENTS),
            Just(Action::HEARTBEAT),
            text().prop_map(Action)
        ]),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
    );
    let b = (
        proptest::collection::vec((text(), text()), 0..3),
        proptest::option::of((
            proptest::collection::vec(
                (
                    text(),
                    proptest::option::of(text()),
                    proptest::option::of(any::<bool>()),
                    proptest::option::of(text()),
                ),
                0..4,
            ),
            any::<bool>(),
        )),
        proptest::option::of(dur()),
        proptest::option::of((any::<u32>(), proptest::option::of(text()))),
        proptest::option::of(text()),
        proptest::option::of(text()),
    );
    let c = (
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(any::<u64>()),
        any::<bool>(),
        proptest::option::of(fragment()),
        proptest::option::of(text()),
        proptest::collection::vec((0u32..1000, text(), any::<bool>()), 0..3),
    );
    (a, b, c).prop_map(|(a, b, c)| {
        let (to, action, message_id, relates_to, reply_to, from, resource_uri, machine_id) = a;
        let (selectors, options, operation_timeout, mes, locale, data_locale) = b;
        let (session_id, operation_id, sequence_id, ack_requested, bookmark, identifier, unk) = c;
        Headers {
            to,
            action,
            message_id,
            relates_to,
            reply_to,
            from,
            resource_uri,
            machine_id,
            selectors: selectors
                .into_iter()
                .map(|(name, value)| Selector { name, value })
                .collect(),
            options: options.map(|(opts, mu)| OptionSet {
                options: opts
                    .into_iter()
                    .map(|(name, value, must_comply, type_)| OptionItem {
                        name,
                        value,
                        must_comply,
                        type_,
                    })
                    .collect(),
                must_understand: mu,
            }),
            operation_timeout,
            max_envelope_size: mes.map(|(size, policy)| MaxEnvelopeSize { size, policy }),
            locale,
            data_locale,
            session_id,
            operation_id,
            sequence_id,
            ack_requested,
            bookmark,
            identifier,
            unknown: unk
                .into_iter()
                .map(|(n, t, mu)| {
                    let ns = format!("urn:test:{n}");
                    let mut xml = format!("<x:Ext xmlns:x=\"{ns}\" s:mustUnderstand=\"{mu}\">");
                    xml.push_str(&t.replace('&', "&amp;").replace('<', "&lt;"));
                    xml.push_str("</x:Ext>");
                    RawHeader {
                        name: QName {
                            ns: Cow::Owned(ns),
                            local: Cow::Borrowed("Ext"),
                        },
                        must_understand: mu,
                        xml: Cow::Owned(xml),
                    }
                })
                .collect(),
        }
    })
}

fn subscribe() -> impl Strategy<Value = Subscribe<'static>> {
    (
        proptest::option::of(epr()),
        (
            prop_oneof![Just(Cow::Borrowed(Delivery::MODE_EVENTS)), text()],
            proptest::option::of(dur()),
            proptest::option::of(epr()),
            proptest::option::of((any::<u32>(), dur())),
            proptest::option::of(dur()),
            proptest::option::of(any::<u32>()),
            proptest::option::of((any::<u32>(), proptest::option::of(text()))),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(text()),
        ),
        proptest::option::of(text()),
        proptest::option::of((proptest::option::of(text()), fragment())),
        proptest::option::of(fragment()),
        any::<bool>(),
    )
        .prop_map(
            |(end_to, d, expires, filter, bookmark, send_bookmarks)| Subscribe {
                end_to,
                delivery: Delivery {
                    mode: d.0,
                    heartbeats: d.1,
                    notify_to: d.2,
                    connection_retry: d
                        .3
                        .map(|(total, interval)| ConnectionRetry { total, interval }),
                    max_time: d.4,
                    max_elements: d.5,
                    max_envelope_size: d.6.map(|(size, policy)| MaxEnvelopeSize { size, policy }),
                    locale: d.7,
                    data_locale: d.8,
                    content_encoding: d.9,
                },
                expires,
                filter: filter.map(|(dialect, xml)| Filter { dialect, xml }),
                bookmark,
                send_bookmarks,
            },
        )
}

fn items() -> impl Strategy<Value = Vec<Item<'static>>> {
    proptest::collection::vec(
        prop_oneof![
            fragment().prop_map(Item::Raw),
            (text(), headers(), subscribe()).prop_map(|(version, headers, subscribe)| {
                Item::Subscription(Box::new(SubscriptionItem {
                    version,
                    headers,
                    subscribe,
                }))
            }),
        ],
        0..3,
    )
}

fn event_item() -> impl Strategy<Value = EventItem<'static>> {
    let xml = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>4624</EventID></System><EventData><Data Name='a'>x &amp; y</Data></EventData></Event>";
    (
        proptest::option::of(prop_oneof![
            Just(Cow::Borrowed(Action::EVENT.as_str())),
            text()
        ]),
        prop_oneof![
            Just((Cow::Borrowed(xml), PayloadForm::Cdata)),
            Just((Cow::Borrowed(xml), PayloadForm::Markup)),
            Just((Cow::Borrowed(xml), PayloadForm::Escaped)),
            Just((Cow::Borrowed("<a>]]></a>"), PayloadForm::Cdata)),
            text().prop_map(|t| (t, PayloadForm::Escaped)),
            text().prop_map(|t| (t, PayloadForm::Cdata)),
        ],
    )
        .prop_map(|(action, (xml, form))| EventItem { action, xml, form })
}

fn fault() -> impl Strategy<Value = Fault<'static>> {
    (
        prop_oneof![
            Just(FaultCode::SENDER),
            Just(FaultCode::RECEIVER),
            Just(FaultCode::MUST_UNDERSTAND),
            ncname().prop_map(FaultCode)
        ],
        proptest::option::of(prop_oneof![
            Just(QName::ACCESS_DENIED),
            Just(QName::TIMED_OUT),
            Just(QName::INVALID_ENUMERATION_CONTEXT),
            // Namespace URIs are compared as written (no entity expansion), like quick-xml does.
            ("[a-z]{1,8}:[a-z0-9/._-]{0,20}", ncname()).prop_map(|(ns, local)| QName {
                ns: Cow::Owned(ns),
                local
            })
        ]),
        text(),
        ncname(),
        proptest::option::of(text()),
        proptest::option::of((any::<u32>(), proptest::option::of(text()), text())),
    )
        .prop_map(|(code, subcode, reason, lang, fault_detail, wf)| Fault {
            code,
            subcode,
            reason,
            lang,
            fault_detail,
            wsman_fault: wf.map(|(code, machine, message)| WsManFault {
                code,
                machine,
                message,
            }),
            not_understood: None,
        })
}

fn message() -> impl Strategy<Value = Message<'static>> {
    prop_oneof![
        (
            proptest::option::of(text()),
            proptest::option::of((proptest::option::of(text()), fragment())),
            any::<bool>(),
            proptest::option::of(any::<u32>())
        )
            .prop_map(
                |(expires, filter, optimize, max_elements)| Message::Enumerate(Enumerate {
                    expires,
                    filter: filter.map(|(dialect, xml)| Filter { dialect, xml }),
                    optimize,
                    max_elements,
                })
            ),
        (proptest::option::of(text()), text(), items(), any::<bool>()).prop_map(
            |(expires, context, items, end_of_sequence)| {
                Message::EnumerateResponse(EnumerateResponse {
                    expires,
                    context,
                    items,
                    end_of_sequence,
                })
            }
        ),
        (
            text(),
            proptest::option::of(dur()),
            proptest::option::of(any::<u32>()),
            proptest::option::of(any::<u64>())
        )
            .prop_map(
                |(context, max_time, max_elements, max_characters)| Message::Pull(Pull {
                    context,
                    max_time,
                    max_elements,
                    max_characters,
                })
            ),
        (proptest::option::of(text()), items(), any::<bool>()).prop_map(
            |(context, items, end_of_sequence)| Message::PullResponse(PullResponse {
                context,
                items,
                end_of_sequence,
            })
        ),
        text().prop_map(Message::Release),
        Just(Message::End),
        subscribe().prop_map(|s| Message::Subscribe(Box::new(s))),
        (
            epr(),
            proptest::option::of(text()),
            proptest::option::of(text())
        )
            .prop_map(|(manager, expires, context)| Message::SubscribeResponse(
                SubscribeResponse {
                    manager,
                    expires,
                    context,
                }
            )),
        proptest::option::of(text()).prop_map(Message::Renew),
        proptest::option::of(text()).prop_map(Message::RenewResponse),
        Just(Message::Unsubscribe),
        Just(Message::Heartbeat),
        proptest::collection::vec(event_item(), 0..5)
            .prop_map(|items| Message::Events(Events { items })),
        Just(Message::Ack),
        (epr(), text(), proptest::option::of(text())).prop_map(|(manager, status, reason)| {
            Message::SubscriptionEnd(SubscriptionEnd {
                manager,
                status,
                reason,
            })
        }),
        fault().prop_map(Message::Fault),
    ]
}

fn charset() -> impl Strategy<Value = (Charset, bool)> {
    prop_oneof![
        Just((Charset::Utf16Le, true)),
        Just((Charset::Utf16Le, false)),
        Just((Charset::Utf16Be, true)),
        Just((Charset::Utf16Be, false)),
        Just((Charset::Utf8, true)),
        Just((Charset::Utf8, false)),
    ]
}

/// The composed strategies are deep generic types: debug builds need a larger stack than the
/// default test thread has.
fn run_big(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

fn round_trip(
    msg: Message<'static>,
    mut headers: Headers<'static>,
    (cs, bom): (Charset, bool),
) -> Result<(), TestCaseError> {
    // Unknown headers marked mustUnderstand would (rightly) be refused.
    headers.unknown.retain(|h| !h.must_understand);
    headers.action = msg.action();
    let mut xml = String::new();
    msg.render(&headers, &mut xml);
    // An independent parser accepts what we write.
    if let Err(e) = roxmltree::Document::parse(&xml) {
        prop_assert!(false, "roxmltree rejects our output: {e}\n{xml}");
    }
    let mut bytes = Vec::new();
    charset::encode(&xml, cs, bom, &mut bytes);
    let limits = Limits::default();
    let mut scratch = String::new();
    let ct = format!("application/soap+xml;charset={}", cs.content_type_name());
    let d = charset::decode(&bytes, Some(&ct), &limits, &mut scratch).unwrap();
    prop_assert_eq!(d.text, xml.as_str());
    let env = Envelope::parse(d.text, &limits).unwrap();
    prop_assert_eq!(&env.headers, &headers);
    let back = Message::from_envelope(&env, &limits).unwrap();
    prop_assert_eq!(back, msg);
    Ok(())
}

#[test]
fn every_message_round_trips() {
    run_big(|| {
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::default());
        runner
            .run(&(message(), headers(), charset()), |(m, h, c)| {
                round_trip(m, h, c)
            })
            .unwrap();
    });
}

fn headers_case(headers: Headers<'static>) -> Result<(), TestCaseError> {
    let mut xml = String::new();
    Message::Other.render(&headers, &mut xml);
    let env = Envelope::parse(&xml, &Limits::default()).unwrap();
    prop_assert_eq!(&env.headers, &headers);
    // An unknown mandatory header is refused with a MustUnderstand fault naming it.
    let must = headers.unknown.iter().find(|h| h.must_understand);
    match (env.check_must_understand(), must) {
        (Ok(()), None) => {}
        (Err(e), Some(h)) => {
            let f = e.soap_fault().unwrap();
            prop_assert_eq!(f.code, FaultCode::MUST_UNDERSTAND);
            prop_assert_eq!(f.not_understood.as_ref(), Some(&h.name));
            prop_assert_eq!(e.http_status(), 500);
            let off = e.offset().unwrap();
            prop_assert!(xml.get(off..).unwrap().starts_with("<x:Ext"));
        }
        (r, m) => prop_assert!(false, "{r:?} {m:?}"),
    }
    Ok(())
}

#[test]
fn headers_round_trip_with_any_action() {
    run_big(|| {
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::default());
        runner.run(&headers(), headers_case).unwrap();
    });
}

#[test]
fn fault_response_round_trips_with_not_understood_header() {
    let mut f = Fault::new(FaultCode::MUST_UNDERSTAND, None, "not understood");
    f.not_understood = Some(QName {
        ns: "urn:x".into(),
        local: "Thing".into(),
    });
    let mut xml = String::new();
    wsman_proto::message::render_fault(&f, "uuid:1", Some("uuid:2"), &mut xml);
    let env = Envelope::parse(&xml, &Limits::default()).unwrap();
    assert_eq!(env.headers.action, Some(Action::ADDRESSING_FAULT));
    assert_eq!(env.headers.relates_to.as_deref(), Some("uuid:2"));
    let nu = &env.headers.unknown[0];
    assert_eq!(nu.name.local, "NotUnderstood");
    assert!(nu.xml.contains("qname=\"nu:Thing\""));
    let Message::Fault(back) = Message::from_envelope(&env, &Limits::default()).unwrap() else {
        panic!()
    };
    assert_eq!(back.code, FaultCode::MUST_UNDERSTAND);
    assert_eq!(back.reason, "not understood");
}

#[test]
fn canned_faults_render_and_parse() {
    for (f, action) in [
        (Fault::access_denied(), Action::WSMAN_FAULT),
        (
            Fault::delivery_refused("storage unavailable"),
            Action::WSMAN_FAULT,
        ),
        (Fault::action_not_supported(), Action::ADDRESSING_FAULT),
    ] {
        let mut xml = String::new();
        wsman_proto::message::render_fault(&f, "uuid:3", Some("uuid:4"), &mut xml);
        let env = Envelope::parse(&xml, &Limits::default()).unwrap();
        assert_eq!(env.headers.action.as_ref(), Some(&action));
        let Message::Fault(back) = Message::from_envelope(&env, &Limits::default()).unwrap() else {
            panic!()
        };
        assert_eq!(back, f);
        assert!(back.subcode.as_ref().unwrap().is_known());
    }
}

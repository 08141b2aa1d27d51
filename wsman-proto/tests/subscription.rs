//! Subscriptions render into the `EnumerateResponse` shape a real collector sent (the capture),
//! with deterministic identity and version.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a failure fails the test"
)]

use testkit::shared::read_shared;
use wsman_proto::bookmark::{BOOKMARK_EARLIEST, Bookmark, ChannelBookmark};
use wsman_proto::message::{Item, SubscriptionItem};
use wsman_proto::subscription::{
    ContentFormat, DeliveryPreset, HttpAuth, RenderIds, Subscription, Transport, enumerate_response,
};
use wsman_proto::{Action, Envelope, Error, Limits, Message, MisuseError, XsDuration};

const CAPTURE: &str = "corpus/wsman/wef-openwec-capture/02-enumerate-response.doc-pretty.xml";
const ADDRESS: &str =
    "HTTP://srv.windomain.local:5985/wsman/subscriptions/B6BDBB59-FB07-4EE5-841F-EBEC9D67CDD4/1";
const QUERY: &str = "<QueryList>\n\t\t\t\t\t\t\t\t\t\t<Query Id=\"0\">\n\t\t\t\t\t\t\t\t\t\t\t<Select Path=\"Microsoft-Windows-WinRM/Operational\">*[System[(Level=1  or Level=2 or Level=3 or Level=4 or Level=0 or Level=5)]]</Select>\n\t\t\t\t\t\t\t\t\t\t</Query>\n\t\t\t\t\t\t\t\t\t</QueryList>";

fn captured_item(xml: &str) -> SubscriptionItem<'_> {
    let env = Envelope::parse(xml, &Limits::default()).unwrap();
    let Message::EnumerateResponse(r) = Message::from_envelope(&env, &Limits::default()).unwrap()
    else {
        panic!()
    };
    let Some(Item::Subscription(s)) = r.items.into_iter().next() else {
        panic!()
    };
    *s
}

fn toto() -> Subscription {
    let mut s = Subscription::new("Toto", QUERY, ADDRESS);
    s.delivery = DeliveryPreset::MinLatency;
    s.content_format = ContentFormat::RenderedText;
    s.compression = true;
    s.transport = Transport::Http(HttpAuth::Kerberos);
    s
}

#[test]
fn renders_what_the_real_collector_sent() {
    let capture = String::from_utf8(read_shared(CAPTURE)).unwrap();
    let theirs = captured_item(&capture);
    let sub = toto();
    let ids = RenderIds {
        message_id: theirs.headers.message_id.as_deref().unwrap(),
        operation_id: theirs.headers.operation_id.as_deref().unwrap(),
    };
    let bookmark = theirs.subscribe.bookmark.as_deref();
    let item = sub.to_item(&ids, bookmark).unwrap();
    // Render a complete EnumerateResponse, answering the captured Enumerate.
    let enumerate = read_shared("corpus/wsman/wef-openwec-capture/01-enumerate.exact.xml");
    let enumerate = String::from_utf8(enumerate).unwrap();
    let request = Envelope::parse(&enumerate, &Limits::default()).unwrap();
    let their_env = Envelope::parse(&capture, &Limits::default()).unwrap();
    let mut xml = String::new();
    enumerate_response(
        &request.headers,
        their_env.headers.message_id.as_deref().unwrap(),
        vec![item],
        &mut xml,
    );
    let our_env = Envelope::parse(&xml, &Limits::default()).unwrap();
    assert_eq!(our_env.headers, their_env.headers);
    let mut ours = captured_item(&xml);
    // Version and identifier are ours (derived); everything else must be what Windows got.
    let version = sub
        .version()
        .unwrap()
        .hyphenated()
        .to_string()
        .to_ascii_uppercase();
    assert_eq!(ours.version, format!("uuid:{version}"));
    let d = &mut ours.subscribe.delivery;
    assert_eq!(
        d.notify_to.as_ref().unwrap().identifier.as_deref(),
        Some(version.as_str())
    );
    let their_id = theirs
        .subscribe
        .delivery
        .notify_to
        .as_ref()
        .unwrap()
        .identifier
        .clone();
    d.notify_to.as_mut().unwrap().identifier = their_id.clone();
    ours.subscribe.end_to.as_mut().unwrap().identifier = their_id;
    ours.version = theirs.version.clone();
    assert_eq!(ours, theirs);

    // Element by element, with an independent parser: same names, order, attributes and text
    // (durations compared by value: the capture writes `PT60.0S`, we write `PT60.000S`).
    let their_version = theirs.version.trim_start_matches("uuid:").to_owned();
    let xml = xml
        .replace(&version, &their_version)
        .replace(ids.message_id, "MSGID")
        .replace(ids.operation_id, "OPID");
    let capture = capture
        .replace(ids.message_id, "MSGID")
        .replace(ids.operation_id, "OPID");
    let ours_shape = shape(&subscription_element(&xml));
    assert!(ours_shape.len() > 40, "{}", ours_shape.len());
    assert_eq!(ours_shape, shape(&subscription_element(&capture)));
}

fn subscription_element(xml: &str) -> String {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let node = doc
        .descendants()
        .find(|n| {
            n.has_tag_name((
                "http://schemas.microsoft.com/wbem/wsman/1/subscription",
                "Subscription",
            ))
        })
        .unwrap();
    xml.get(node.range()).unwrap().to_owned()
}

/// (namespace, local name, sorted attributes, trimmed text) of every element in order.
type Shape = (String, String, Vec<(String, String)>, String);

fn shape(xml: &str) -> Vec<Shape> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(roxmltree::Node::is_element)
        .map(|n| {
            let mut attrs: Vec<(String, String)> = n
                .attributes()
                .map(|a| {
                    (
                        format!("{}|{}", a.namespace().unwrap_or(""), a.name()),
                        a.value().to_owned(),
                    )
                })
                .collect();
            attrs.sort();
            let text: String = n
                .children()
                .filter(roxmltree::Node::is_text)
                .map(|t| t.text().unwrap_or(""))
                .collect::<String>()
                .trim()
                .to_owned();
            let text = match text.parse::<XsDuration>() {
                Ok(d) if text.starts_with('P') => d.to_string(),
                _ => text,
            };
            (
                n.tag_name().namespace().unwrap_or("").to_owned(),
                n.tag_name().name().to_owned(),
                attrs,
                text,
            )
        })
        .collect()
}

#[test]
fn identity_and_version_are_deterministic() {
    let a = toto();
    let mut b = toto();
    assert_eq!(a.id(), b.id());
    assert_eq!(a.version().unwrap(), b.version().unwrap());
    assert_eq!(a.id().get_version_num(), 5);
    b.description = "operators' notes".into();
    assert_eq!(a.version().unwrap(), b.version().unwrap());
    for change in [
        |s: &mut Subscription| s.query = s.query.replace("Level=5", "Level=6"),
        |s: &mut Subscription| s.delivery = DeliveryPreset::Normal,
        |s: &mut Subscription| s.compression = false,
        |s: &mut Subscription| s.read_existing_events = true,
        |s: &mut Subscription| s.content_format = ContentFormat::Events,
        |s: &mut Subscription| s.transport = Transport::Http(HttpAuth::Negotiate),
        |s: &mut Subscription| s.connection_retry_interval = XsDuration::from_secs(61),
        |s: &mut Subscription| s.notify_to.push('x'),
    ] {
        let mut c = toto();
        change(&mut c);
        assert_ne!(a.version().unwrap(), c.version().unwrap(), "{c:?}");
        assert_eq!(a.id(), c.id());
    }
    let mut renamed = toto();
    renamed.name = "Other".into();
    assert_ne!(a.id(), renamed.id());
}

#[test]
fn query_must_be_a_well_formed_querylist() {
    for bad in [
        "<QueryList><Query>",
        "<Other/>",
        "<!DOCTYPE x><QueryList/>",
        "",
    ] {
        let s = Subscription::new("x", bad, ADDRESS);
        let e = s.version().unwrap_err();
        assert!(
            matches!(e, Error::Misuse(MisuseError::InvalidQuery { .. })),
            "{bad}: {e:?}"
        );
        assert!(e.soap_fault().is_none());
    }
}

#[test]
fn presets_and_https_policy() {
    let mut s = toto();
    s.delivery = DeliveryPreset::Normal;
    s.read_existing_events = true;
    s.transport = Transport::Https {
        issuer_thumbprints: vec!["0123ABCD".into(), "FFEE".into()],
    };
    let ids = RenderIds {
        message_id: "uuid:1",
        operation_id: "uuid:2",
    };
    let xml = s.subscribe_envelope(&ids, None).unwrap();
    let env = Envelope::parse(&xml, &Limits::default()).unwrap();
    assert_eq!(env.headers.action, Some(Action::SUBSCRIBE));
    let opts = env.headers.options.as_ref().unwrap();
    assert_eq!(opts.get("ReadExistingEvents").unwrap().value, None);
    let Message::Subscribe(sub) = Message::from_envelope(&env, &Limits::default()).unwrap() else {
        panic!()
    };
    assert_eq!(sub.delivery.max_elements, Some(5));
    assert_eq!(
        sub.delivery.max_time,
        Some(XsDuration::from_millis(900_000))
    );
    assert_eq!(
        sub.delivery.heartbeats,
        Some(XsDuration::from_millis(900_000))
    );
    let p = sub
        .delivery
        .notify_to
        .as_ref()
        .unwrap()
        .policy
        .as_ref()
        .unwrap();
    assert_eq!(
        p.profile,
        "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/mutual"
    );
    assert_eq!(p.thumbprints.len(), 2);
    assert_eq!(
        (
            p.thumbprints[0].role.as_ref(),
            p.thumbprints[0].value.as_ref()
        ),
        ("issuer", "0123ABCD")
    );
    assert_eq!(sub.bookmark, None);
}

#[test]
fn bookmarks() {
    let list = Bookmark::List(vec![
        ChannelBookmark {
            channel: "Security".into(),
            record_id: 7,
            is_current: false,
        },
        ChannelBookmark {
            channel: "A&B \"x\"".into(),
            record_id: u64::MAX,
            is_current: true,
        },
    ]);
    assert_eq!(Bookmark::parse(&list.render()).unwrap(), list);
    assert_eq!(
        Bookmark::parse(BOOKMARK_EARLIEST).unwrap(),
        Bookmark::Earliest
    );
    assert_eq!(Bookmark::Earliest.render(), BOOKMARK_EARLIEST);
    assert!(
        Bookmark::parse("<BookmarkList><Bookmark Channel='x' RecordId='-1'/></BookmarkList>")
            .is_err()
    );
}

fn arb_subscription() -> impl proptest::strategy::Strategy<Value = Subscription> {
    use proptest::prelude::*;
    let text = "[a-zA-Z0-9<>&'\"é:/._-]([a-zA-Z0-9 <>&'\"é:/._-]{0,20}[a-zA-Z0-9<>&'\"é:/._-])?";
    (
        (text, text, "[A-Za-z]{1,8}", any::<bool>(), any::<bool>()),
        (
            prop_oneof![
                Just(DeliveryPreset::Normal),
                Just(DeliveryPreset::MinLatency),
                Just(DeliveryPreset::MinBandwidth),
                (proptest::option::of(any::<u32>()), any::<u32>(), any::<u32>()).prop_map(
                    |(max_items, l, h)| DeliveryPreset::Custom {
                        max_items,
                        max_latency: XsDuration::from_millis(u64::from(l)),
                        heartbeat: XsDuration::from_millis(u64::from(h)),
                    }
                ),
            ],
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
        ),
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        prop_oneof![
            Just(Transport::Http(HttpAuth::Kerberos)),
            Just(Transport::Http(HttpAuth::Negotiate)),
            proptest::collection::vec("[0-9A-F]{40}", 0..3)
                .prop_map(|issuer_thumbprints| Transport::Https { issuer_thumbprints }),
        ],
        (text, proptest::option::of(text)),
    )
        .prop_map(|(a, b, c, transport, (notify_to, end_to))| {
            let (name, desc, channel, events, locale) = a;
            let mut s = Subscription::new(
                &name,
                &format!("<QueryList><Query Id=\"0\"><Select Path=\"{channel}\">*</Select></Query></QueryList>"),
                &notify_to,
            );
            s.description = desc;
            if events {
                s.content_format = ContentFormat::Events;
            }
            if !locale {
                s.locale = None;
                s.data_locale = Some("fr-FR".into());
            }
            (s.delivery, s.connection_retry_count, s.max_envelope_size) = (b.0, b.1, b.3);
            s.connection_retry_interval = XsDuration::from_millis(u64::from(b.2));
            (s.read_existing_events, s.compression, s.send_bookmarks, s.ignore_channel_error) = c;
            s.transport = transport;
            s.end_to = end_to;
            s
        })
}

proptest::proptest! {
    /// Any subscription renders into a Subscribe envelope that parses back to the same item.
    #[test]
    fn any_subscription_round_trips(sub in arb_subscription()) {
        let ids = RenderIds { message_id: "uuid:1", operation_id: "uuid:2" };
        let item = sub.to_item(&ids, Some("<BookmarkList/>")).unwrap();
        let request = wsman_proto::Headers::default();
        let mut xml = String::new();
        enumerate_response(&request, "uuid:3", vec![item.clone()], &mut xml);
        proptest::prop_assert!(roxmltree::Document::parse(&xml).is_ok());
        let back = captured_item(&xml);
        proptest::prop_assert_eq!(back, item);
        // The standalone envelope parses as the same Subscribe.
        let env_xml = sub.subscribe_envelope(&ids, Some("<BookmarkList/>")).unwrap();
        let env = Envelope::parse(&env_xml, &Limits::default()).unwrap();
        let Message::Subscribe(s) = Message::from_envelope(&env, &Limits::default()).unwrap() else {
            panic!()
        };
        proptest::prop_assert_eq!(*s, sub.to_item(&ids, Some("<BookmarkList/>")).unwrap().subscribe);
    }
}

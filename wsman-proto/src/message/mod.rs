//! Typed WS-Enumeration, WS-Eventing, WS-Management and MS-WSMV messages, both directions.
//!
//! [`Message::from_envelope`] reads the body of a parsed [`Envelope`] according to its `Action`;
//! [`Message::render`] writes a complete envelope (headers + body) the way Windows does.
//!
//! ```
//! use wsman_proto::{Envelope, Headers, Limits, Message, Action};
//! let headers = Headers {
//!     action: Some(Action::ACK),
//!     message_id: Some("uuid:12AAFC00-5BB5-42B5-BE85-077D7C02B8E9".into()),
//!     relates_to: Some("uuid:EEC04F74-A27D-4C3A-AEF5-BC5BF54359BA".into()),
//!     ..Headers::default()
//! };
//! let mut xml = String::new();
//! Message::Ack.render(&headers, &mut xml);
//! let env = Envelope::parse(&xml, &Limits::default())?;
//! assert_eq!(Message::from_envelope(&env, &Limits::default())?, Message::Ack);
//! assert_eq!(env.headers, headers);
//! # Ok::<(), wsman_proto::Error>(())
//! ```

use std::borrow::Cow;

use crate::envelope::writer::XmlWriter;
use crate::envelope::{
    Action, Element, Envelope, Headers, MaxEnvelopeSize, XsDuration, envelope_parts,
    parse_duration, parse_num, render_envelope, text,
};
use crate::error::{Error, PeerError};
use crate::limits::Limits;
use crate::ns;

pub mod events;
pub mod fault;
pub mod wire;

pub use events::{EventItem, Events, PayloadForm};
pub use fault::{Fault, FaultCode, FaultSubcode, QName, WsManFault};

/// A client-certificate constraint of an HTTPS authentication policy (MS-WSMV 2.2.4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbprint<'a> {
    /// `Role`: `issuer` (a CA the client certificate must chain to) or `certificate`.
    pub role: Cow<'a, str>,
    /// The SHA-1 thumbprint, hex.
    pub value: Cow<'a, str>,
}

/// The `c:Policy` of a `NotifyTo` address: how the source must authenticate when it delivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthPolicy<'a> {
    /// `auth:Authentication/@Profile` (a DSP0226 security profile URI).
    pub profile: Cow<'a, str>,
    /// `auth:ClientCertificate/auth:Thumbprint` constraints (HTTPS only).
    pub thumbprints: Vec<Thumbprint<'a>>,
}

impl AuthPolicy<'static> {
    /// Kerberos / Negotiate over HTTP with message encryption.
    pub const PROFILE_HTTP_SPNEGO_KERBEROS: &'static str =
        "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/http/spnego-kerberos";
    /// HTTPS with client certificates.
    pub const PROFILE_HTTPS_MUTUAL: &'static str =
        "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/mutual";
    /// Kerberos / Negotiate over HTTPS.
    pub const PROFILE_HTTPS_SPNEGO_KERBEROS: &'static str =
        "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/spnego-kerberos";
}

/// A WS-Addressing endpoint reference (`NotifyTo`, `EndTo`, `SubscriptionManager`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndpointReference<'a> {
    /// `a:Address`.
    pub address: Cow<'a, str>,
    /// `e:Identifier` among the reference properties / parameters.
    pub identifier: Option<Cow<'a, str>>,
    /// Other reference properties / parameters, verbatim.
    pub other_references: Vec<Cow<'a, str>>,
    /// `true` when they were `a:ReferenceParameters` rather than `a:ReferenceProperties`
    /// (which Windows uses).
    pub reference_parameters: bool,
    /// `c:Policy` authentication requirement.
    pub policy: Option<AuthPolicy<'a>>,
}

impl<'a> EndpointReference<'a> {
    /// An endpoint reference with only an address.
    pub fn new(address: impl Into<Cow<'a, str>>) -> Self {
        Self {
            address: address.into(),
            ..Self::default()
        }
    }

    /// Reads the children of an EPR element.
    ///
    /// # Errors
    /// [`PeerError::Missing`] without `a:Address`.
    pub fn from_element(e: &Element<'_, 'a>) -> Result<Self, Error> {
        let addr = e
            .child(ns::ADDRESSING, "Address")
            .ok_or(PeerError::Missing {
                element: "a:Address",
                offset: e.offset(),
            })?;
        let mut epr = Self::new(text(&addr)?);
        for c in e.children() {
            let props = c.is(ns::ADDRESSING, "ReferenceProperties");
            let params = c.is(ns::ADDRESSING, "ReferenceParameters");
            if props || params {
                epr.reference_parameters = params;
                for r in c.children() {
                    if r.is(ns::EVENTING, "Identifier") && epr.identifier.is_none() {
                        epr.identifier = Some(text(&r)?);
                    } else {
                        epr.other_references.push(Cow::Borrowed(r.outer_xml()));
                    }
                }
            } else if c.is(ns::POLICY, "Policy") {
                epr.policy = parse_policy(&c)?;
            }
        }
        Ok(epr)
    }

    fn render(&self, w: &mut XmlWriter<'_>, name: &str) {
        w.start(name, &[]);
        w.leaf("a:Address", &[], &self.address);
        if self.identifier.is_some() || !self.other_references.is_empty() {
            let rp = if self.reference_parameters {
                "a:ReferenceParameters"
            } else {
                "a:ReferenceProperties"
            };
            w.start(rp, &[]);
            if let Some(id) = &self.identifier {
                w.leaf("e:Identifier", &[], id);
            }
            for r in &self.other_references {
                w.raw(r);
            }
            w.end(rp);
        }
        if let Some(p) = &self.policy {
            w.start(
                "c:Policy",
                &[("xmlns:c", ns::POLICY), ("xmlns:auth", ns::AUTHENTICATION)],
            );
            w.start("c:ExactlyOne", &[]);
            w.start("c:All", &[]);
            w.start("auth:Authentication", &[("Profile", &p.profile)]);
            if !p.thumbprints.is_empty() {
                w.start("auth:ClientCertificate", &[]);
                for t in &p.thumbprints {
                    w.leaf("auth:Thumbprint", &[("Role", &t.role)], &t.value);
                }
                w.end("auth:ClientCertificate");
            }
            w.end("auth:Authentication");
            w.end("c:All");
            w.end("c:ExactlyOne");
            w.end("c:Policy");
        }
        w.end(name);
    }
}

fn parse_policy<'a>(p: &Element<'_, 'a>) -> Result<Option<AuthPolicy<'a>>, Error> {
    let auth = p
        .child(ns::POLICY, "ExactlyOne")
        .and_then(|x| x.child(ns::POLICY, "All"))
        .and_then(|x| x.child(ns::AUTHENTICATION, "Authentication"));
    let Some(auth) = auth else { return Ok(None) };
    let profile = auth.attr("", "Profile")?.ok_or(PeerError::Missing {
        element: "auth:Authentication/@Profile",
        offset: auth.offset(),
    })?;
    let mut thumbprints = Vec::new();
    for cc in auth
        .children()
        .filter(|c| c.is(ns::AUTHENTICATION, "ClientCertificate"))
    {
        for t in cc
            .children()
            .filter(|c| c.is(ns::AUTHENTICATION, "Thumbprint"))
        {
            thumbprints.push(Thumbprint {
                role: t.attr("", "Role")?.unwrap_or(Cow::Borrowed("certificate")),
                value: text(&t)?,
            });
        }
    }
    Ok(Some(AuthPolicy {
        profile,
        thumbprints,
    }))
}

/// `w:ConnectionRetry Total="n">interval</w:ConnectionRetry>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionRetry {
    /// `Total` attribute: how many retries.
    pub total: u32,
    /// Interval between retries.
    pub interval: XsDuration,
}

/// `e:Delivery` of a `Subscribe`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Delivery<'a> {
    /// `Mode` attribute (see [`Delivery::MODE_EVENTS`] and friends).
    pub mode: Cow<'a, str>,
    /// `w:Heartbeats`.
    pub heartbeats: Option<XsDuration>,
    /// `e:NotifyTo`.
    pub notify_to: Option<EndpointReference<'a>>,
    /// `w:ConnectionRetry`.
    pub connection_retry: Option<ConnectionRetry>,
    /// `w:MaxTime` (batch latency).
    pub max_time: Option<XsDuration>,
    /// `w:MaxElements` (batch size).
    pub max_elements: Option<u32>,
    /// `w:MaxEnvelopeSize` with its `Policy`.
    pub max_envelope_size: Option<MaxEnvelopeSize<'a>>,
    /// `w:Locale/@xml:lang`.
    pub locale: Option<Cow<'a, str>>,
    /// `p:DataLocale/@xml:lang`.
    pub data_locale: Option<Cow<'a, str>>,
    /// `w:ContentEncoding` (`UTF-16` or `UTF-8`).
    pub content_encoding: Option<Cow<'a, str>>,
}

impl Delivery<'static> {
    /// WS-Management batched push with acknowledgement (`…/wsman/Events`): what WEF uses.
    pub const MODE_EVENTS: &'static str = "http://schemas.dmtf.org/wbem/wsman/1/wsman/Events";
    /// WS-Management pull delivery.
    pub const MODE_PULL: &'static str = "http://schemas.dmtf.org/wbem/wsman/1/wsman/Pull";
    /// WS-Management push with acknowledgement.
    pub const MODE_PUSH_WITH_ACK: &'static str =
        "http://schemas.dmtf.org/wbem/wsman/1/wsman/PushWithAck";
    /// WS-Eventing push.
    pub const MODE_PUSH: &'static str =
        "http://schemas.xmlsoap.org/ws/2004/08/eventing/DeliveryModes/Push";
}

/// A `w:Filter` (or `e:Filter`) with its dialect and verbatim content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter<'a> {
    /// `Dialect` attribute.
    pub dialect: Option<Cow<'a, str>>,
    /// The inner XML verbatim (for WEF a `<QueryList>`).
    pub xml: Cow<'a, str>,
}

impl Filter<'static> {
    /// The Windows event query dialect.
    pub const DIALECT_EVENT_QUERY: &'static str =
        "http://schemas.microsoft.com/win/2004/08/events/eventquery";
}

impl<'a> Filter<'a> {
    fn from_element(e: &Element<'_, 'a>) -> Result<Self, Error> {
        Ok(Self {
            dialect: e.attr("", "Dialect")?,
            xml: Cow::Borrowed(e.inner_xml().trim_matches(crate::envelope::tree::is_xml_ws)),
        })
    }
    fn render(&self, w: &mut XmlWriter<'_>) {
        match &self.dialect {
            Some(d) => w.start("w:Filter", &[("Dialect", d)]),
            None => w.start("w:Filter", &[]),
        }
        w.raw(&self.xml);
        w.end("w:Filter");
    }
}

/// The `e:Subscribe` body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subscribe<'a> {
    /// `e:EndTo`: where the source sends `SubscriptionEnd`.
    pub end_to: Option<EndpointReference<'a>>,
    /// `e:Delivery`.
    pub delivery: Delivery<'a>,
    /// `e:Expires`, as written.
    pub expires: Option<Cow<'a, str>>,
    /// `w:Filter`.
    pub filter: Option<Filter<'a>>,
    /// `w:Bookmark` inner XML, verbatim.
    pub bookmark: Option<Cow<'a, str>>,
    /// `w:SendBookmarks` present.
    pub send_bookmarks: bool,
}

fn opt_text<'a>(
    e: &Element<'_, 'a>,
    nsuri: &str,
    local: &str,
) -> Result<Option<Cow<'a, str>>, Error> {
    e.child(nsuri, local).map(|c| text(&c)).transpose()
}

impl<'a> Subscribe<'a> {
    /// Reads an `e:Subscribe` element.
    ///
    /// # Errors
    /// [`PeerError`] for a missing `e:Delivery` or malformed values.
    pub fn from_element(e: &Element<'_, 'a>) -> Result<Self, Error> {
        let d = e
            .child(ns::EVENTING, "Delivery")
            .ok_or(PeerError::Missing {
                element: "e:Delivery",
                offset: e.offset(),
            })?;
        let mut delivery = Delivery {
            mode: d
                .attr("", "Mode")?
                .unwrap_or(Cow::Borrowed(Delivery::MODE_PUSH)),
            ..Delivery::default()
        };
        for c in d.children() {
            match (c.namespace(), c.local_name()) {
                (ns::WSMAN, "Heartbeats") => {
                    delivery.heartbeats = Some(parse_duration(&c, "w:Heartbeats value")?);
                }
                (ns::EVENTING, "NotifyTo") => {
                    delivery.notify_to = Some(EndpointReference::from_element(&c)?);
                }
                (ns::WSMAN, "ConnectionRetry") => {
                    let total = c
                        .attr("", "Total")?
                        .and_then(|t| t.trim().parse().ok())
                        .ok_or(PeerError::Invalid {
                            what: "w:ConnectionRetry/@Total",
                            offset: c.offset(),
                        })?;
                    delivery.connection_retry = Some(ConnectionRetry {
                        total,
                        interval: parse_duration(&c, "w:ConnectionRetry value")?,
                    });
                }
                (ns::WSMAN, "MaxTime") => {
                    delivery.max_time = Some(parse_duration(&c, "w:MaxTime value")?);
                }
                (ns::WSMAN, "MaxElements") => {
                    delivery.max_elements = Some(parse_num(&c, "w:MaxElements value")?);
                }
                (ns::WSMAN, "MaxEnvelopeSize") => {
                    delivery.max_envelope_size = Some(MaxEnvelopeSize {
                        size: parse_num(&c, "w:MaxEnvelopeSize value")?,
                        policy: c.attr("", "Policy")?,
                    });
                }
                (ns::WSMAN, "Locale") => delivery.locale = c.attr(ns::XML, "lang")?,
                (ns::MS_WSMAN, "DataLocale") => delivery.data_locale = c.attr(ns::XML, "lang")?,
                (ns::WSMAN, "ContentEncoding") => delivery.content_encoding = Some(text(&c)?),
                _ => {}
            }
        }
        Ok(Self {
            end_to: e
                .child(ns::EVENTING, "EndTo")
                .map(|c| EndpointReference::from_element(&c))
                .transpose()?,
            delivery,
            expires: opt_text(e, ns::EVENTING, "Expires")?,
            filter: e
                .children()
                .find(|c| c.is(ns::WSMAN, "Filter") || c.is(ns::EVENTING, "Filter"))
                .map(|c| Filter::from_element(&c))
                .transpose()?,
            bookmark: e.child(ns::WSMAN, "Bookmark").map(|b| {
                Cow::Borrowed(b.inner_xml().trim_matches(crate::envelope::tree::is_xml_ws))
            }),
            send_bookmarks: e.child(ns::WSMAN, "SendBookmarks").is_some(),
        })
    }

    pub(crate) fn render(&self, w: &mut XmlWriter<'_>) {
        w.start("e:Subscribe", &[]);
        if let Some(epr) = &self.end_to {
            epr.render(w, "e:EndTo");
        }
        let d = &self.delivery;
        w.start("e:Delivery", &[("Mode", &d.mode)]);
        if let Some(h) = d.heartbeats {
            w.leaf("w:Heartbeats", &[], &h.to_string());
        }
        if let Some(epr) = &d.notify_to {
            epr.render(w, "e:NotifyTo");
        }
        if let Some(r) = d.connection_retry {
            w.leaf(
                "w:ConnectionRetry",
                &[("Total", &r.total.to_string())],
                &r.interval.to_string(),
            );
        }
        if let Some(t) = d.max_time {
            w.leaf("w:MaxTime", &[], &t.to_string());
        }
        if let Some(n) = d.max_elements {
            w.leaf_num("w:MaxElements", &[], u64::from(n));
        }
        if let Some(m) = &d.max_envelope_size {
            match &m.policy {
                Some(p) => w.leaf_num("w:MaxEnvelopeSize", &[("Policy", p)], u64::from(m.size)),
                None => w.leaf_num("w:MaxEnvelopeSize", &[], u64::from(m.size)),
            }
        }
        if let Some(l) = &d.locale {
            w.empty(
                "w:Locale",
                &[("xml:lang", l), ("s:mustUnderstand", "false")],
            );
        }
        if let Some(l) = &d.data_locale {
            w.empty(
                "p:DataLocale",
                &[("xml:lang", l), ("s:mustUnderstand", "false")],
            );
        }
        if let Some(c) = &d.content_encoding {
            w.leaf("w:ContentEncoding", &[], c);
        }
        w.end("e:Delivery");
        if let Some(x) = &self.expires {
            w.leaf("e:Expires", &[], x);
        }
        if let Some(f) = &self.filter {
            f.render(w);
        }
        if let Some(b) = &self.bookmark {
            w.start("w:Bookmark", &[]);
            w.raw(b);
            w.end("w:Bookmark");
        }
        if self.send_bookmarks {
            w.empty("w:SendBookmarks", &[]);
        }
        w.end("e:Subscribe");
    }
}

/// An `m:Subscription` item of an `EnumerateResponse` (MS-WSMV 3.1.4.1.30): a version and the
/// complete `Subscribe` envelope the source is to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionItem<'a> {
    /// `m:Version` (`uuid:…`): the source re-subscribes when it changes.
    pub version: Cow<'a, str>,
    /// Headers of the embedded envelope.
    pub headers: Headers<'a>,
    /// Body of the embedded envelope.
    pub subscribe: Subscribe<'a>,
}

impl<'a> SubscriptionItem<'a> {
    fn from_element(e: &Element<'_, 'a>) -> Result<Self, Error> {
        let version = opt_text(e, ns::SUBSCRIPTION, "Version")?.ok_or(PeerError::Missing {
            element: "m:Version",
            offset: e.offset(),
        })?;
        let env = e.child(ns::SOAP, "Envelope").ok_or(PeerError::Missing {
            element: "s:Envelope",
            offset: e.offset(),
        })?;
        let (header, body) = envelope_parts(&env)?;
        let headers = match header {
            Some(h) => Headers::from_element(&h)?,
            None => Headers::default(),
        };
        let sub = body
            .child(ns::EVENTING, "Subscribe")
            .ok_or(PeerError::Missing {
                element: "e:Subscribe",
                offset: body.offset(),
            })?;
        Ok(Self {
            version,
            headers,
            subscribe: Subscribe::from_element(&sub)?,
        })
    }

    pub(crate) fn render(&self, w: &mut XmlWriter<'_>) {
        w.start("m:Subscription", &[("xmlns:m", ns::SUBSCRIPTION)]);
        w.leaf("m:Version", &[], &self.version);
        w.raw(crate::envelope::ENVELOPE_OPEN);
        w.start("s:Header", &[]);
        self.headers.render(w);
        w.end("s:Header");
        w.start("s:Body", &[]);
        self.subscribe.render(w);
        w.end("s:Body");
        w.end("s:Envelope");
        w.end("m:Subscription");
    }
}

/// An item of an enumeration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item<'a> {
    /// An MS-WSMV subscription.
    Subscription(Box<SubscriptionItem<'a>>),
    /// Anything else, verbatim.
    Raw(Cow<'a, str>),
}

fn items<'a>(e: &Element<'_, 'a>) -> Result<Vec<Item<'a>>, Error> {
    let mut out = Vec::new();
    for c in e.children() {
        if c.is(ns::SUBSCRIPTION, "Subscription") {
            out.push(Item::Subscription(Box::new(
                SubscriptionItem::from_element(&c)?,
            )));
        } else {
            out.push(Item::Raw(Cow::Borrowed(c.outer_xml())));
        }
    }
    Ok(out)
}

fn render_items(w: &mut XmlWriter<'_>, name: &str, items: &[Item<'_>]) {
    w.start(name, &[]);
    for it in items {
        match it {
            Item::Subscription(s) => s.render(w),
            Item::Raw(x) => w.raw(x),
        }
    }
    w.end(name);
}

/// `n:Enumerate`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Enumerate<'a> {
    /// `n:Expires`, as written.
    pub expires: Option<Cow<'a, str>>,
    /// `w:Filter`.
    pub filter: Option<Filter<'a>>,
    /// `w:OptimizeEnumeration` present.
    pub optimize: bool,
    /// `w:MaxElements`.
    pub max_elements: Option<u32>,
}

/// `n:EnumerateResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EnumerateResponse<'a> {
    /// `n:Expires`.
    pub expires: Option<Cow<'a, str>>,
    /// `n:EnumerationContext` (Windows collectors send it empty together with
    /// `EndOfSequence`).
    pub context: Cow<'a, str>,
    /// `w:Items` (optimized enumeration).
    pub items: Vec<Item<'a>>,
    /// `w:EndOfSequence` present.
    pub end_of_sequence: bool,
}

/// `n:Pull`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pull<'a> {
    /// `n:EnumerationContext`.
    pub context: Cow<'a, str>,
    /// `n:MaxTime`.
    pub max_time: Option<XsDuration>,
    /// `n:MaxElements`.
    pub max_elements: Option<u32>,
    /// `n:MaxCharacters`.
    pub max_characters: Option<u64>,
}

/// `n:PullResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PullResponse<'a> {
    /// `n:EnumerationContext` for the next pull.
    pub context: Option<Cow<'a, str>>,
    /// `n:Items`.
    pub items: Vec<Item<'a>>,
    /// `n:EndOfSequence` present.
    pub end_of_sequence: bool,
}

/// `e:SubscribeResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubscribeResponse<'a> {
    /// `e:SubscriptionManager`.
    pub manager: EndpointReference<'a>,
    /// `e:Expires`.
    pub expires: Option<Cow<'a, str>>,
    /// `n:EnumerationContext` (pull delivery).
    pub context: Option<Cow<'a, str>>,
}

/// `e:SubscriptionEnd`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubscriptionEnd<'a> {
    /// `e:SubscriptionManager`.
    pub manager: EndpointReference<'a>,
    /// `e:Status` URI (see [`SubscriptionEnd::STATUS_SOURCE_SHUTTING_DOWN`] and friends).
    pub status: Cow<'a, str>,
    /// `e:Reason`.
    pub reason: Option<Cow<'a, str>>,
}

impl SubscriptionEnd<'static> {
    /// `e:DeliveryFailure`.
    pub const STATUS_DELIVERY_FAILURE: &'static str =
        "http://schemas.xmlsoap.org/ws/2004/08/eventing/DeliveryFailure";
    /// `e:SourceShuttingDown`.
    pub const STATUS_SOURCE_SHUTTING_DOWN: &'static str =
        "http://schemas.xmlsoap.org/ws/2004/08/eventing/SourceShuttingDown";
    /// `e:SourceCancelling`.
    pub const STATUS_SOURCE_CANCELLING: &'static str =
        "http://schemas.xmlsoap.org/ws/2004/08/eventing/SourceCancelling";
}

/// A typed message body. Which variant is decided by the `Action` header.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Message<'a> {
    /// WS-Enumeration `Enumerate` (a WEF source asking for its subscriptions).
    Enumerate(Enumerate<'a>),
    /// WS-Enumeration `EnumerateResponse` (the collector's subscriptions).
    EnumerateResponse(EnumerateResponse<'a>),
    /// WS-Enumeration `Pull`.
    Pull(Pull<'a>),
    /// WS-Enumeration `PullResponse`.
    PullResponse(PullResponse<'a>),
    /// WS-Enumeration `Release` with its context.
    Release(Cow<'a, str>),
    /// MS-WSMV `End` (empty body).
    End,
    /// WS-Eventing `Subscribe`.
    Subscribe(Box<Subscribe<'a>>),
    /// WS-Eventing `SubscribeResponse`.
    SubscribeResponse(SubscribeResponse<'a>),
    /// WS-Eventing `Renew` with the requested expiry.
    Renew(Option<Cow<'a, str>>),
    /// WS-Eventing `RenewResponse` with the granted expiry.
    RenewResponse(Option<Cow<'a, str>>),
    /// WS-Eventing `Unsubscribe`.
    Unsubscribe,
    /// WS-Management `Heartbeat` (empty `w:Events`).
    Heartbeat,
    /// WS-Management `Events`.
    Events(Events<'a>),
    /// WS-Management `Ack` (empty body).
    Ack,
    /// WS-Eventing `SubscriptionEnd`.
    SubscriptionEnd(SubscriptionEnd<'a>),
    /// A SOAP fault.
    Fault(Fault<'a>),
    /// Any other action: the body is left to the caller ([`Envelope::body`]).
    Other,
}

fn require<'d, 'a>(
    body: &Element<'d, 'a>,
    nsuri: &str,
    local: &str,
    what: &'static str,
) -> Result<Element<'d, 'a>, Error> {
    body.child(nsuri, local).ok_or_else(|| {
        PeerError::Missing {
            element: what,
            offset: body.offset(),
        }
        .into()
    })
}

impl<'a> Message<'a> {
    /// Reads the body of `env` according to its `Action`. A `s:Fault` body is read as
    /// [`Message::Fault`] whatever the action. Also enforces `mustUnderstand`.
    ///
    /// # Errors
    /// [`PeerError::MissingHeader`] without `a:Action`; [`PeerError::NotUnderstood`] for an
    /// unknown mandatory header; [`PeerError`] / [`LimitError`](crate::LimitError) for a body
    /// that does not match its action.
    pub fn from_envelope(env: &Envelope<'a>, limits: &Limits) -> Result<Self, Error> {
        env.check_must_understand()?;
        let body = env.body();
        if let Some(f) = body.child(ns::SOAP, "Fault") {
            return Ok(Self::Fault(Fault::from_element(&f)?));
        }
        let action = env.action()?;
        let a = action.as_str();
        let msg = if a == Action::ENUMERATE.as_str() {
            let e = require(&body, ns::ENUMERATION, "Enumerate", "n:Enumerate")?;
            Self::Enumerate(Enumerate {
                expires: opt_text(&e, ns::ENUMERATION, "Expires")?,
                filter: e
                    .children()
                    .find(|c| c.is(ns::WSMAN, "Filter") || c.is(ns::ENUMERATION, "Filter"))
                    .map(|c| Filter::from_element(&c))
                    .transpose()?,
                optimize: e.child(ns::WSMAN, "OptimizeEnumeration").is_some(),
                max_elements: e
                    .child(ns::WSMAN, "MaxElements")
                    .map(|c| parse_num(&c, "w:MaxElements value"))
                    .transpose()?,
            })
        } else if a == Action::ENUMERATE_RESPONSE.as_str() {
            let e = require(
                &body,
                ns::ENUMERATION,
                "EnumerateResponse",
                "n:EnumerateResponse",
            )?;
            Self::EnumerateResponse(EnumerateResponse {
                expires: opt_text(&e, ns::ENUMERATION, "Expires")?,
                context: opt_text(&e, ns::ENUMERATION, "EnumerationContext")?.unwrap_or_default(),
                items: match e.child(ns::WSMAN, "Items") {
                    Some(i) => items(&i)?,
                    None => Vec::new(),
                },
                end_of_sequence: e.child(ns::WSMAN, "EndOfSequence").is_some(),
            })
        } else if a == Action::PULL.as_str() {
            let e = require(&body, ns::ENUMERATION, "Pull", "n:Pull")?;
            Self::Pull(Pull {
                context: opt_text(&e, ns::ENUMERATION, "EnumerationContext")?.unwrap_or_default(),
                max_time: e
                    .child(ns::ENUMERATION, "MaxTime")
                    .map(|c| parse_duration(&c, "n:MaxTime value"))
                    .transpose()?,
                max_elements: e
                    .child(ns::ENUMERATION, "MaxElements")
                    .map(|c| parse_num(&c, "n:MaxElements value"))
                    .transpose()?,
                max_characters: e
                    .child(ns::ENUMERATION, "MaxCharacters")
                    .map(|c| parse_num(&c, "n:MaxCharacters value"))
                    .transpose()?,
            })
        } else if a == Action::PULL_RESPONSE.as_str() {
            let e = require(&body, ns::ENUMERATION, "PullResponse", "n:PullResponse")?;
            Self::PullResponse(PullResponse {
                context: opt_text(&e, ns::ENUMERATION, "EnumerationContext")?,
                items: match e.child(ns::ENUMERATION, "Items") {
                    Some(i) => items(&i)?,
                    None => Vec::new(),
                },
                end_of_sequence: e.child(ns::ENUMERATION, "EndOfSequence").is_some(),
            })
        } else if a == Action::RELEASE.as_str() {
            let e = require(&body, ns::ENUMERATION, "Release", "n:Release")?;
            Self::Release(opt_text(&e, ns::ENUMERATION, "EnumerationContext")?.unwrap_or_default())
        } else if a == Action::END.as_str() {
            Self::End
        } else if a == Action::SUBSCRIBE.as_str() {
            let e = require(&body, ns::EVENTING, "Subscribe", "e:Subscribe")?;
            Self::Subscribe(Box::new(Subscribe::from_element(&e)?))
        } else if a == Action::SUBSCRIBE_RESPONSE.as_str() {
            let e = require(
                &body,
                ns::EVENTING,
                "SubscribeResponse",
                "e:SubscribeResponse",
            )?;
            let m = require(
                &e,
                ns::EVENTING,
                "SubscriptionManager",
                "e:SubscriptionManager",
            )?;
            Self::SubscribeResponse(SubscribeResponse {
                manager: EndpointReference::from_element(&m)?,
                expires: opt_text(&e, ns::EVENTING, "Expires")?,
                context: opt_text(&e, ns::ENUMERATION, "EnumerationContext")?,
            })
        } else if a == Action::RENEW.as_str() {
            let e = require(&body, ns::EVENTING, "Renew", "e:Renew")?;
            Self::Renew(opt_text(&e, ns::EVENTING, "Expires")?)
        } else if a == Action::RENEW_RESPONSE.as_str() {
            let e = require(&body, ns::EVENTING, "RenewResponse", "e:RenewResponse")?;
            Self::RenewResponse(opt_text(&e, ns::EVENTING, "Expires")?)
        } else if a == Action::UNSUBSCRIBE.as_str() {
            require(&body, ns::EVENTING, "Unsubscribe", "e:Unsubscribe")?;
            Self::Unsubscribe
        } else if a == Action::HEARTBEAT.as_str() {
            if let Some(e) = body.child(ns::WSMAN, "Events") {
                if e.children().next().is_some() {
                    return Err(PeerError::Unexpected {
                        what: "event in a heartbeat",
                        offset: e.offset(),
                    }
                    .into());
                }
            }
            Self::Heartbeat
        } else if a == Action::EVENTS.as_str() {
            let e = require(&body, ns::WSMAN, "Events", "w:Events")?;
            Self::Events(Events::from_element(&e, limits)?)
        } else if a == Action::ACK.as_str() {
            Self::Ack
        } else if a == Action::SUBSCRIPTION_END.as_str() {
            let e = require(&body, ns::EVENTING, "SubscriptionEnd", "e:SubscriptionEnd")?;
            let m = require(
                &e,
                ns::EVENTING,
                "SubscriptionManager",
                "e:SubscriptionManager",
            )?;
            Self::SubscriptionEnd(SubscriptionEnd {
                manager: EndpointReference::from_element(&m)?,
                status: opt_text(&e, ns::EVENTING, "Status")?.unwrap_or_default(),
                reason: opt_text(&e, ns::EVENTING, "Reason")?,
            })
        } else {
            Self::Other
        };
        Ok(msg)
    }

    /// The `Action` this message is sent with (`None` for [`Message::Other`]).
    pub fn action(&self) -> Option<Action<'static>> {
        Some(match self {
            Self::Enumerate(_) => Action::ENUMERATE,
            Self::EnumerateResponse(_) => Action::ENUMERATE_RESPONSE,
            Self::Pull(_) => Action::PULL,
            Self::PullResponse(_) => Action::PULL_RESPONSE,
            Self::Release(_) => Action::RELEASE,
            Self::End => Action::END,
            Self::Subscribe(_) => Action::SUBSCRIBE,
            Self::SubscribeResponse(_) => Action::SUBSCRIBE_RESPONSE,
            Self::Renew(_) => Action::RENEW,
            Self::RenewResponse(_) => Action::RENEW_RESPONSE,
            Self::Unsubscribe => Action::UNSUBSCRIBE,
            Self::Heartbeat => Action::HEARTBEAT,
            Self::Events(_) => Action::EVENTS,
            Self::Ack => Action::ACK,
            Self::SubscriptionEnd(_) => Action::SUBSCRIPTION_END,
            Self::Fault(f) => f.action(),
            Self::Other => return None,
        })
    }

    /// Writes the complete envelope: `headers` (the caller sets `Action`, normally to
    /// [`action`](Self::action)), then this body. UTF-8 text; see
    /// [`charset::encode`](crate::charset::encode) for bytes.
    pub fn render(&self, headers: &Headers<'_>, out: &mut String) {
        render_envelope(headers, out, |w| self.render_body(w));
    }

    fn render_body(&self, w: &mut XmlWriter<'_>) {
        match self {
            Self::Enumerate(m) => {
                w.start("n:Enumerate", &[]);
                if let Some(x) = &m.expires {
                    w.leaf("n:Expires", &[], x);
                }
                if let Some(f) = &m.filter {
                    f.render(w);
                }
                if m.optimize {
                    w.empty("w:OptimizeEnumeration", &[]);
                }
                if let Some(n) = m.max_elements {
                    w.leaf_num("w:MaxElements", &[], u64::from(n));
                }
                w.end("n:Enumerate");
            }
            Self::EnumerateResponse(m) => {
                w.start("n:EnumerateResponse", &[]);
                if let Some(x) = &m.expires {
                    w.leaf("n:Expires", &[], x);
                }
                w.leaf("n:EnumerationContext", &[], &m.context);
                if !m.items.is_empty() {
                    render_items(w, "w:Items", &m.items);
                }
                if m.end_of_sequence {
                    w.empty("w:EndOfSequence", &[]);
                }
                w.end("n:EnumerateResponse");
            }
            Self::Pull(m) => {
                w.start("n:Pull", &[]);
                w.leaf("n:EnumerationContext", &[], &m.context);
                if let Some(t) = m.max_time {
                    w.leaf("n:MaxTime", &[], &t.to_string());
                }
                if let Some(n) = m.max_elements {
                    w.leaf_num("n:MaxElements", &[], u64::from(n));
                }
                if let Some(n) = m.max_characters {
                    w.leaf_num("n:MaxCharacters", &[], n);
                }
                w.end("n:Pull");
            }
            Self::PullResponse(m) => {
                w.start("n:PullResponse", &[]);
                if let Some(c) = &m.context {
                    w.leaf("n:EnumerationContext", &[], c);
                }
                if !m.items.is_empty() {
                    render_items(w, "n:Items", &m.items);
                }
                if m.end_of_sequence {
                    w.empty("n:EndOfSequence", &[]);
                }
                w.end("n:PullResponse");
            }
            Self::Release(c) => {
                w.start("n:Release", &[]);
                w.leaf("n:EnumerationContext", &[], c);
                w.end("n:Release");
            }
            Self::Subscribe(s) => s.render(w),
            Self::SubscribeResponse(m) => {
                w.start("e:SubscribeResponse", &[]);
                m.manager.render(w, "e:SubscriptionManager");
                if let Some(x) = &m.expires {
                    w.leaf("e:Expires", &[], x);
                }
                if let Some(c) = &m.context {
                    w.leaf("n:EnumerationContext", &[], c);
                }
                w.end("e:SubscribeResponse");
            }
            Self::Renew(x) | Self::RenewResponse(x) => {
                let name = if matches!(self, Self::Renew(_)) {
                    "e:Renew"
                } else {
                    "e:RenewResponse"
                };
                w.start(name, &[]);
                if let Some(x) = x {
                    w.leaf("e:Expires", &[], x);
                }
                w.end(name);
            }
            Self::Unsubscribe => w.empty("e:Unsubscribe", &[]),
            Self::Heartbeat => w.empty("w:Events", &[]),
            Self::Events(e) => e.render(w),
            Self::SubscriptionEnd(m) => {
                w.start("e:SubscriptionEnd", &[]);
                m.manager.render(w, "e:SubscriptionManager");
                w.leaf("e:Status", &[], &m.status);
                if let Some(r) = &m.reason {
                    w.leaf("e:Reason", &[("xml:lang", "en-US")], r);
                }
                w.end("e:SubscriptionEnd");
            }
            Self::Fault(f) => f.render_body(w),
            Self::End | Self::Ack | Self::Other => {}
        }
    }
}

/// Renders a fault response to a request: `Action` from the fault, `RelatesTo` the request's
/// `MessageID`, `To` anonymous, and the `s:NotUnderstood` header for `MustUnderstand` faults.
pub fn render_fault(
    fault: &Fault<'_>,
    message_id: &str,
    relates_to: Option<&str>,
    out: &mut String,
) {
    let mut headers = Headers {
        action: Some(fault.action()),
        message_id: Some(Cow::Borrowed(message_id)),
        to: Some(Cow::Borrowed(ns::ANONYMOUS)),
        relates_to: relates_to.map(Cow::Borrowed),
        ..Headers::default()
    };
    let nu;
    if let Some(q) = &fault.not_understood {
        let mut s = String::new();
        let mut w = XmlWriter { out: &mut s };
        w.empty(
            "s:NotUnderstood",
            &[("xmlns:nu", &q.ns), ("qname", &format!("nu:{}", q.local))],
        );
        nu = s;
        headers.unknown.push(crate::envelope::RawHeader {
            name: QName {
                ns: Cow::Borrowed(ns::SOAP),
                local: Cow::Borrowed("NotUnderstood"),
            },
            must_understand: false,
            xml: Cow::Borrowed(&nu),
        });
    }
    Message::Fault(fault.clone()).render(&headers, out);
}

//! The SOAP 1.2 envelope: parse from text, typed headers, render.
//!
//! ```
//! use wsman_proto::{Envelope, Limits, Action};
//! let xml = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"
//!     xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing">
//!   <s:Header><a:Action>http://schemas.dmtf.org/wbem/wsman/1/wsman/Ack</a:Action>
//!   <a:MessageID>uuid:1</a:MessageID></s:Header><s:Body/></s:Envelope>"#;
//! let env = Envelope::parse(xml, &Limits::default())?;
//! assert_eq!(env.headers.action, Some(Action::ACK));
//! assert_eq!(env.headers.message_id.as_deref(), Some("uuid:1"));
//! # Ok::<(), wsman_proto::Error>(())
//! ```

use std::borrow::Cow;

use crate::error::{Error, PeerError};
use crate::limits::Limits;
use crate::message::fault::QName;
use crate::ns;

pub(crate) mod duration;
pub(crate) mod tree;
pub(crate) mod writer;

pub use duration::{InvalidDuration, XsDuration};
pub use tree::{Children, Document, Element};
use writer::XmlWriter;

/// A WS-Addressing `Action` URI. A newtype over the raw value: unknown actions are carried, not
/// rejected; [`is_known`](Self::is_known) tells them apart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Action<'a>(pub Cow<'a, str>);

macro_rules! actions {
    ($($(#[$m:meta])* $name:ident = $uri:expr;)*) => {
        impl Action<'static> {
            $($(#[$m])* pub const $name: Action<'static> = Action(Cow::Borrowed($uri));)*
            const KNOWN: &'static [&'static str] = &[$($uri),*];
        }
    };
}

actions! {
    /// WS-Enumeration `Enumerate`.
    ENUMERATE = "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate";
    /// WS-Enumeration `EnumerateResponse`.
    ENUMERATE_RESPONSE = "http://schemas.xmlsoap.org/ws/2004/09/enumeration/EnumerateResponse";
    /// WS-Enumeration `Pull`.
    PULL = "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull";
    /// WS-Enumeration `PullResponse`.
    PULL_RESPONSE = "http://schemas.xmlsoap.org/ws/2004/09/enumeration/PullResponse";
    /// WS-Enumeration `Release`.
    RELEASE = "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Release";
    /// WS-Enumeration `ReleaseResponse`.
    RELEASE_RESPONSE = "http://schemas.xmlsoap.org/ws/2004/09/enumeration/ReleaseResponse";
    /// MS-WSMV `End` (the source closes its enumeration of subscriptions).
    END = "http://schemas.microsoft.com/wbem/wsman/1/wsman/End";
    /// WS-Eventing `Subscribe`.
    SUBSCRIBE = "http://schemas.xmlsoap.org/ws/2004/08/eventing/Subscribe";
    /// WS-Eventing `SubscribeResponse`.
    SUBSCRIBE_RESPONSE = "http://schemas.xmlsoap.org/ws/2004/08/eventing/SubscribeResponse";
    /// WS-Eventing `Renew`.
    RENEW = "http://schemas.xmlsoap.org/ws/2004/08/eventing/Renew";
    /// WS-Eventing `RenewResponse`.
    RENEW_RESPONSE = "http://schemas.xmlsoap.org/ws/2004/08/eventing/RenewResponse";
    /// WS-Eventing `Unsubscribe`.
    UNSUBSCRIBE = "http://schemas.xmlsoap.org/ws/2004/08/eventing/Unsubscribe";
    /// WS-Eventing `UnsubscribeResponse`.
    UNSUBSCRIBE_RESPONSE = "http://schemas.xmlsoap.org/ws/2004/08/eventing/UnsubscribeResponse";
    /// WS-Eventing `SubscriptionEnd`.
    SUBSCRIPTION_END = "http://schemas.xmlsoap.org/ws/2004/08/eventing/SubscriptionEnd";
    /// WS-Management `Heartbeat`.
    HEARTBEAT = "http://schemas.dmtf.org/wbem/wsman/1/wsman/Heartbeat";
    /// WS-Management `Events` (a batch of events).
    EVENTS = "http://schemas.dmtf.org/wbem/wsman/1/wsman/Events";
    /// WS-Management `Event` (the action of one item in a batch).
    EVENT = "http://schemas.dmtf.org/wbem/wsman/1/wsman/Event";
    /// WS-Management `DroppedEvents`.
    DROPPED_EVENTS = "http://schemas.dmtf.org/wbem/wsman/1/wsman/DroppedEvents";
    /// WS-Management `Ack`.
    ACK = "http://schemas.dmtf.org/wbem/wsman/1/wsman/Ack";
    /// WS-Management fault.
    WSMAN_FAULT = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault";
    /// WS-Addressing fault.
    ADDRESSING_FAULT = "http://schemas.xmlsoap.org/ws/2004/08/addressing/fault";
    /// WS-Eventing fault.
    EVENTING_FAULT = "http://schemas.xmlsoap.org/ws/2004/08/eventing/fault";
    /// WS-Enumeration fault.
    ENUMERATION_FAULT = "http://schemas.xmlsoap.org/ws/2004/09/enumeration/fault";
}

impl Action<'_> {
    /// Whether this is one of the associated constants.
    pub fn is_known(&self) -> bool {
        Action::KNOWN.contains(&self.0.as_ref())
    }
    /// The URI.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Whether this is one of the fault actions.
    pub fn is_fault(&self) -> bool {
        self.0.ends_with("/fault")
    }
    /// An owned copy.
    pub fn into_owned(self) -> Action<'static> {
        Action(Cow::Owned(self.0.into_owned()))
    }
}

/// A `w:Selector` of a `w:SelectorSet`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector<'a> {
    /// `Name` attribute.
    pub name: Cow<'a, str>,
    /// Text value.
    pub value: Cow<'a, str>,
}

/// A `w:Option` of a `w:OptionSet`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionItem<'a> {
    /// `Name` attribute.
    pub name: Cow<'a, str>,
    /// Text value; `None` when the option carries `xsi:nil="true"` (a flag set by presence).
    pub value: Option<Cow<'a, str>>,
    /// `MustComply` attribute.
    pub must_comply: Option<bool>,
    /// `Type` attribute (a QName, kept as written).
    pub type_: Option<Cow<'a, str>>,
}

/// `w:OptionSet`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OptionSet<'a> {
    /// The options in order.
    pub options: Vec<OptionItem<'a>>,
    /// `s:mustUnderstand` on the set.
    pub must_understand: bool,
}

impl<'a> OptionSet<'a> {
    /// The option named `name`, if present.
    pub fn get(&self, name: &str) -> Option<&OptionItem<'a>> {
        self.options.iter().find(|o| o.name == name)
    }
}

/// `w:MaxEnvelopeSize` with its optional `Policy` attribute (`CancelSubscription`, `Skip`,
/// `Notify`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxEnvelopeSize<'a> {
    /// Size in bytes.
    pub size: u32,
    /// `Policy` attribute.
    pub policy: Option<Cow<'a, str>>,
}

/// A header this crate does not model, kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawHeader<'a> {
    /// Namespace URI and local name.
    pub name: QName<'a>,
    /// `s:mustUnderstand` value.
    pub must_understand: bool,
    /// The element's markup, verbatim (namespace declarations of ancestors are not included).
    pub xml: Cow<'a, str>,
}

/// The SOAP headers of an envelope. Every field is optional on parse; the
/// [`Message`](crate::Message) parser checks what each message requires.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Headers<'a> {
    /// `a:To`.
    pub to: Option<Cow<'a, str>>,
    /// `a:Action`.
    pub action: Option<Action<'a>>,
    /// `a:MessageID`.
    pub message_id: Option<Cow<'a, str>>,
    /// `a:RelatesTo`.
    pub relates_to: Option<Cow<'a, str>>,
    /// `a:ReplyTo/a:Address`.
    pub reply_to: Option<Cow<'a, str>>,
    /// `a:From/a:Address`.
    pub from: Option<Cow<'a, str>>,
    /// `w:ResourceURI`.
    pub resource_uri: Option<Cow<'a, str>>,
    /// `m:MachineID` (MS-WSMV): the forwarder's fully qualified name, as it claims.
    pub machine_id: Option<Cow<'a, str>>,
    /// `w:SelectorSet`.
    pub selectors: Vec<Selector<'a>>,
    /// `w:OptionSet`.
    pub options: Option<OptionSet<'a>>,
    /// `w:OperationTimeout`.
    pub operation_timeout: Option<XsDuration>,
    /// `w:MaxEnvelopeSize`.
    pub max_envelope_size: Option<MaxEnvelopeSize<'a>>,
    /// `w:Locale/@xml:lang`.
    pub locale: Option<Cow<'a, str>>,
    /// `p:DataLocale/@xml:lang`.
    pub data_locale: Option<Cow<'a, str>>,
    /// `p:SessionId`.
    pub session_id: Option<Cow<'a, str>>,
    /// `p:OperationID`.
    pub operation_id: Option<Cow<'a, str>>,
    /// `p:SequenceId`.
    pub sequence_id: Option<u64>,
    /// `w:AckRequested` present.
    pub ack_requested: bool,
    /// `w:Bookmark`: the inner XML, verbatim (a `BookmarkList` from Windows).
    pub bookmark: Option<Cow<'a, str>>,
    /// `e:Identifier` (the subscription identifier, a reference parameter).
    pub identifier: Option<Cow<'a, str>>,
    /// Every other header, in order, verbatim.
    pub unknown: Vec<RawHeader<'a>>,
}

fn must_understand(e: &Element<'_, '_>) -> Result<bool, Error> {
    Ok(match e.attr(ns::SOAP, "mustUnderstand")?.as_deref() {
        Some("true" | "1") => true,
        Some("false" | "0") | None => false,
        Some(_) => {
            return Err(PeerError::Invalid {
                what: "s:mustUnderstand value",
                offset: e.offset(),
            }
            .into());
        }
    })
}

pub(crate) fn text<'a>(e: &Element<'_, 'a>) -> Result<Cow<'a, str>, Error> {
    e.trimmed_text()
}

pub(crate) fn parse_num<T: std::str::FromStr>(
    e: &Element<'_, '_>,
    what: &'static str,
) -> Result<T, Error> {
    e.trimmed_text()?.parse().map_err(|_| {
        PeerError::Invalid {
            what,
            offset: e.offset(),
        }
        .into()
    })
}

pub(crate) fn parse_duration(e: &Element<'_, '_>, what: &'static str) -> Result<XsDuration, Error> {
    parse_num(e, what)
}

/// Header values that do not parse are `a:InvalidMessageInformationHeader`, as Windows answers.
fn hdr<T>(r: Result<T, Error>) -> Result<T, Error> {
    r.map_err(|e| match e {
        Error::Peer(PeerError::Invalid { what, offset }) => PeerError::InvalidHeader {
            header: what.strip_suffix(" value").unwrap_or(what),
            offset,
        }
        .into(),
        other => other,
    })
}

fn set_once<T>(slot: &mut Option<T>, v: T, what: &'static str, offset: usize) -> Result<(), Error> {
    if slot.is_some() {
        return Err(PeerError::Unexpected { what, offset }.into());
    }
    *slot = Some(v);
    Ok(())
}

fn address_of<'a>(e: &Element<'_, 'a>) -> Result<Cow<'a, str>, Error> {
    let a = e
        .child(ns::ADDRESSING, "Address")
        .ok_or(PeerError::Missing {
            element: "a:Address",
            offset: e.offset(),
        })?;
    text(&a)
}

fn lang<'a>(e: &Element<'_, 'a>) -> Result<Cow<'a, str>, Error> {
    Ok(e.attr(ns::XML, "lang")?.unwrap_or(Cow::Borrowed("")))
}

impl<'a> Headers<'a> {
    /// Reads the children of an `s:Header` element.
    ///
    /// # Errors
    /// [`PeerError`] for duplicated or malformed known headers.
    pub fn from_element(header: &Element<'_, 'a>) -> Result<Self, Error> {
        let mut h = Headers::default();
        for e in header.children() {
            let off = e.offset();
            let local = e.local_name();
            match (e.namespace(), local) {
                (ns::ADDRESSING, "To") => set_once(&mut h.to, text(&e)?, "a:To", off)?,
                (ns::ADDRESSING, "Action") => {
                    set_once(&mut h.action, Action(text(&e)?), "a:Action", off)?;
                }
                (ns::ADDRESSING, "MessageID") => {
                    set_once(&mut h.message_id, text(&e)?, "a:MessageID", off)?;
                }
                (ns::ADDRESSING, "RelatesTo") => {
                    set_once(&mut h.relates_to, text(&e)?, "a:RelatesTo", off)?;
                }
                (ns::ADDRESSING, "ReplyTo") => {
                    set_once(&mut h.reply_to, address_of(&e)?, "a:ReplyTo", off)?;
                }
                (ns::ADDRESSING, "From") => {
                    set_once(&mut h.from, address_of(&e)?, "a:From", off)?;
                }
                (ns::WSMAN, "ResourceURI") => {
                    set_once(&mut h.resource_uri, text(&e)?, "w:ResourceURI", off)?;
                }
                (ns::MACHINE_ID, "MachineID") => {
                    set_once(&mut h.machine_id, text(&e)?, "m:MachineID", off)?;
                }
                (ns::WSMAN, "SelectorSet") => {
                    for s in e.children().filter(|s| s.is(ns::WSMAN, "Selector")) {
                        let name = s.attr("", "Name")?.ok_or(PeerError::Missing {
                            element: "w:Selector/@Name",
                            offset: s.offset(),
                        })?;
                        h.selectors.push(Selector {
                            name,
                            value: s.text()?,
                        });
                    }
                }
                (ns::WSMAN, "OptionSet") => {
                    let mut set = OptionSet {
                        options: Vec::new(),
                        must_understand: must_understand(&e)?,
                    };
                    for o in e.children().filter(|o| o.is(ns::WSMAN, "Option")) {
                        let name = o.attr("", "Name")?.ok_or(PeerError::Missing {
                            element: "w:Option/@Name",
                            offset: o.offset(),
                        })?;
                        let nil = matches!(o.attr(ns::XSI, "nil")?.as_deref(), Some("true" | "1"));
                        let must_comply = match o.attr("", "MustComply")?.as_deref() {
                            Some("true" | "1") => Some(true),
                            Some("false" | "0") => Some(false),
                            None => None,
                            Some(_) => {
                                return Err(PeerError::Invalid {
                                    what: "w:Option/@MustComply",
                                    offset: o.offset(),
                                }
                                .into());
                            }
                        };
                        set.options.push(OptionItem {
                            name,
                            value: if nil { None } else { Some(o.text()?) },
                            must_comply,
                            type_: o.attr("", "Type")?,
                        });
                    }
                    set_once(&mut h.options, set, "w:OptionSet", off)?;
                }
                (ns::WSMAN, "OperationTimeout") => {
                    let d = hdr(parse_duration(&e, "w:OperationTimeout value"))?;
                    set_once(&mut h.operation_timeout, d, "w:OperationTimeout", off)?;
                }
                (ns::WSMAN, "MaxEnvelopeSize") => {
                    let m = MaxEnvelopeSize {
                        size: hdr(parse_num(&e, "w:MaxEnvelopeSize value"))?,
                        policy: e.attr("", "Policy")?,
                    };
                    set_once(&mut h.max_envelope_size, m, "w:MaxEnvelopeSize", off)?;
                }
                (ns::WSMAN, "Locale") => set_once(&mut h.locale, lang(&e)?, "w:Locale", off)?,
                (ns::MS_WSMAN, "DataLocale") => {
                    set_once(&mut h.data_locale, lang(&e)?, "p:DataLocale", off)?;
                }
                (ns::MS_WSMAN, "SessionId") => {
                    set_once(&mut h.session_id, text(&e)?, "p:SessionId", off)?;
                }
                (ns::MS_WSMAN, "OperationID") => {
                    set_once(&mut h.operation_id, text(&e)?, "p:OperationID", off)?;
                }
                (ns::MS_WSMAN, "SequenceId") => {
                    let n = hdr(parse_num(&e, "p:SequenceId value"))?;
                    set_once(&mut h.sequence_id, n, "p:SequenceId", off)?;
                }
                (ns::WSMAN, "AckRequested") => h.ack_requested = true,
                (ns::WSMAN, "Bookmark") => {
                    set_once(
                        &mut h.bookmark,
                        Cow::Borrowed(e.inner_xml().trim_matches(tree::is_xml_ws)),
                        "w:Bookmark",
                        off,
                    )?;
                }
                (ns::EVENTING, "Identifier") => {
                    set_once(&mut h.identifier, text(&e)?, "e:Identifier", off)?;
                }
                (uri, _) => h.unknown.push(RawHeader {
                    name: QName {
                        ns: Cow::Owned(uri.to_owned()),
                        local: Cow::Borrowed(local),
                    },
                    must_understand: must_understand(&e)?,
                    xml: Cow::Borrowed(e.outer_xml()),
                }),
            }
        }
        Ok(h)
    }

    /// The headers of a response to `request`, as Windows writes them: `Action`, a new
    /// `MessageID` (an input: no randomness here), `To` anonymous, `RelatesTo` the request's
    /// `MessageID`, and the request's `OperationID` and `SequenceId` echoed.
    ///
    /// ```
    /// use wsman_proto::{Action, Headers};
    /// let req = Headers { message_id: Some("uuid:1".into()), operation_id: Some("uuid:op".into()), sequence_id: Some(1), ..Headers::default() };
    /// let resp = Headers::response_to(&req, Action::ACK, "uuid:2");
    /// assert_eq!(resp.relates_to.as_deref(), Some("uuid:1"));
    /// assert_eq!(resp.operation_id.as_deref(), Some("uuid:op"));
    /// ```
    pub fn response_to(request: &Headers<'a>, action: Action<'a>, message_id: &'a str) -> Self {
        Headers {
            action: Some(action),
            message_id: Some(Cow::Borrowed(message_id)),
            to: Some(Cow::Borrowed(ns::ANONYMOUS)),
            relates_to: request.message_id.clone(),
            operation_id: request.operation_id.clone(),
            sequence_id: request.sequence_id,
            ..Headers::default()
        }
    }

    /// The first header marked `mustUnderstand="true"` that this crate does not understand.
    /// SOAP 1.2 part 1, 5.2.3: the receiver must then answer with a `MustUnderstand` fault,
    /// which [`PeerError::soap_fault`] builds from the returned error.
    ///
    /// # Errors
    /// [`PeerError::NotUnderstood`].
    pub fn check_must_understand(&self) -> Result<(), Error> {
        match self.unknown.iter().find(|h| h.must_understand) {
            None => Ok(()),
            Some(h) => Err(PeerError::NotUnderstood {
                header: Box::new(h.name.clone().into_owned()),
                offset: 0,
            }
            .into()),
        }
    }

    /// Renders the headers as Windows does (its `mustUnderstand` flags and order).
    pub(crate) fn render(&self, w: &mut XmlWriter<'_>) {
        let is_response = self.relates_to.is_some();
        if let Some(v) = &self.action {
            if is_response {
                w.leaf("a:Action", &[], v.as_str());
            }
        }
        if let Some(v) = &self.to {
            w.leaf("a:To", &[], v);
        }
        if let Some(v) = &self.resource_uri {
            w.leaf("w:ResourceURI", &[("s:mustUnderstand", "true")], v);
        }
        if let Some(v) = &self.machine_id {
            w.leaf(
                "m:MachineID",
                &[("xmlns:m", ns::MACHINE_ID), ("s:mustUnderstand", "false")],
                v,
            );
        }
        if let Some(v) = &self.reply_to {
            w.start("a:ReplyTo", &[]);
            w.leaf("a:Address", &[("s:mustUnderstand", "true")], v);
            w.end("a:ReplyTo");
        }
        if let Some(v) = &self.from {
            w.start("a:From", &[]);
            w.leaf("a:Address", &[], v);
            w.end("a:From");
        }
        if let Some(v) = &self.action {
            if !is_response {
                w.leaf("a:Action", &[("s:mustUnderstand", "true")], v.as_str());
            }
        }
        if let Some(m) = &self.max_envelope_size {
            match &m.policy {
                Some(p) => w.leaf_num("w:MaxEnvelopeSize", &[("Policy", p)], u64::from(m.size)),
                None => w.leaf_num(
                    "w:MaxEnvelopeSize",
                    &[("s:mustUnderstand", "true")],
                    u64::from(m.size),
                ),
            }
        }
        if let Some(v) = &self.message_id {
            w.leaf("a:MessageID", &[], v);
        }
        if let Some(v) = &self.relates_to {
            w.leaf("a:RelatesTo", &[], v);
        }
        if let Some(v) = &self.locale {
            w.empty(
                "w:Locale",
                &[("xml:lang", v), ("s:mustUnderstand", "false")],
            );
        }
        if let Some(v) = &self.data_locale {
            w.empty(
                "p:DataLocale",
                &[("xml:lang", v), ("s:mustUnderstand", "false")],
            );
        }
        if let Some(v) = &self.session_id {
            w.leaf("p:SessionId", &[("s:mustUnderstand", "false")], v);
        }
        if let Some(v) = &self.operation_id {
            w.leaf("p:OperationID", &[("s:mustUnderstand", "false")], v);
        }
        if let Some(v) = self.sequence_id {
            w.leaf_num("p:SequenceId", &[("s:mustUnderstand", "false")], v);
        }
        if !self.selectors.is_empty() {
            w.start("w:SelectorSet", &[]);
            for s in &self.selectors {
                w.leaf("w:Selector", &[("Name", &s.name)], &s.value);
            }
            w.end("w:SelectorSet");
        }
        if let Some(set) = &self.options {
            let mu: &[(&str, &str)] = if set.must_understand {
                &[("xmlns:xsi", ns::XSI), ("s:mustUnderstand", "true")]
            } else {
                &[("xmlns:xsi", ns::XSI)]
            };
            w.start("w:OptionSet", mu);
            for o in &set.options {
                let mut attrs: Vec<(&str, &str)> = vec![("Name", &o.name)];
                if let Some(mc) = o.must_comply {
                    attrs.push(("MustComply", if mc { "true" } else { "false" }));
                }
                if let Some(t) = &o.type_ {
                    attrs.push(("Type", t));
                }
                match &o.value {
                    Some(v) => w.leaf("w:Option", &attrs, v),
                    None => {
                        attrs.push(("xsi:nil", "true"));
                        w.empty("w:Option", &attrs);
                    }
                }
            }
            w.end("w:OptionSet");
        }
        if let Some(d) = self.operation_timeout {
            w.leaf("w:OperationTimeout", &[], &d.to_string());
        }
        if let Some(v) = &self.identifier {
            w.leaf("e:Identifier", &[("xmlns:e", ns::EVENTING)], v);
        }
        if let Some(v) = &self.bookmark {
            w.start("w:Bookmark", &[]);
            w.raw(v);
            w.end("w:Bookmark");
        }
        if self.ack_requested {
            w.empty("w:AckRequested", &[]);
        }
        for u in &self.unknown {
            w.raw(&u.xml);
        }
    }
}

/// A parsed SOAP 1.2 envelope: the element tree, its typed headers and its body.
#[derive(Debug, Clone)]
pub struct Envelope<'a> {
    doc: Document<'a>,
    /// The typed headers.
    pub headers: Headers<'a>,
}

/// The namespace prefixes every envelope we render declares (Windows' choice).
pub(crate) const ENVELOPE_OPEN: &str = concat!(
    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"",
    " xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\"",
    " xmlns:e=\"http://schemas.xmlsoap.org/ws/2004/08/eventing\"",
    " xmlns:n=\"http://schemas.xmlsoap.org/ws/2004/09/enumeration\"",
    " xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\"",
    " xmlns:p=\"http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd\">"
);

/// Checks that `e` is a SOAP 1.2 `Envelope` and returns its `Header` (if any) and `Body`.
pub(crate) fn envelope_parts<'d, 'a>(
    e: &Element<'d, 'a>,
) -> Result<(Option<Element<'d, 'a>>, Element<'d, 'a>), Error> {
    if e.local_name() == "Envelope" && e.namespace() == ns::SOAP11 {
        return Err(PeerError::VersionMismatch { offset: e.offset() }.into());
    }
    if !e.is(ns::SOAP, "Envelope") {
        return Err(PeerError::Missing {
            element: "s:Envelope",
            offset: e.offset(),
        }
        .into());
    }
    let mut header = None;
    let mut body = None;
    for c in e.children() {
        if c.is(ns::SOAP, "Header") && header.is_none() && body.is_none() {
            header = Some(c);
        } else if c.is(ns::SOAP, "Body") && body.is_none() {
            body = Some(c);
        } else {
            return Err(PeerError::Unexpected {
                what: "element in s:Envelope",
                offset: c.offset(),
            }
            .into());
        }
    }
    let body = body.ok_or(PeerError::Missing {
        element: "s:Body",
        offset: e.offset(),
    })?;
    Ok((header, body))
}

impl<'a> Envelope<'a> {
    /// Parses an envelope from UTF-8 text (see [`charset::decode`](crate::charset::decode) for
    /// bytes), applying `limits`.
    ///
    /// # Errors
    /// [`PeerError`] for malformed XML, DTDs, a root other than a SOAP 1.2 `Envelope`, or
    /// malformed known headers; [`LimitError`](crate::LimitError) when a limit is exceeded.
    pub fn parse(text: &'a str, limits: &Limits) -> Result<Self, Error> {
        let doc = Document::parse(text, limits)?;
        let headers = {
            let (header, _) = envelope_parts(&doc.root())?;
            match header {
                Some(h) => Headers::from_element(&h)?,
                None => Headers::default(),
            }
        };
        Ok(Self { doc, headers })
    }

    /// The `s:Body` element.
    pub fn body(&self) -> Element<'_, 'a> {
        self.doc
            .root()
            .children()
            .find(|c| c.is(ns::SOAP, "Body"))
            .unwrap_or_else(|| self.doc.root())
    }

    /// The `s:Header` element, if present.
    pub fn header(&self) -> Option<Element<'_, 'a>> {
        self.doc.root().child(ns::SOAP, "Header")
    }

    /// The root `s:Envelope` element.
    pub fn root(&self) -> Element<'_, 'a> {
        self.doc.root()
    }

    /// The first child element of the body (the payload), if any.
    pub fn payload(&self) -> Option<Element<'_, 'a>> {
        self.body().children().next()
    }

    /// The source text.
    pub fn text(&self) -> &'a str {
        self.doc.text()
    }

    /// How many elements the tree holds (for the element limit of the wire decoder).
    pub(crate) fn element_count(&self) -> usize {
        self.doc.nodes.len()
    }

    /// SOAP 1.2 part 1, 5.2.3: fails on the first header marked `mustUnderstand="true"` that
    /// this crate does not understand, with the offset of that header.
    ///
    /// # Errors
    /// [`PeerError::NotUnderstood`]; its [`soap_fault`](PeerError::soap_fault) is the
    /// `MustUnderstand` fault to answer with.
    pub fn check_must_understand(&self) -> Result<(), Error> {
        let base = self.text().as_ptr().addr();
        match self.headers.unknown.iter().find(|h| h.must_understand) {
            None => Ok(()),
            Some(h) => Err(PeerError::NotUnderstood {
                header: Box::new(h.name.clone().into_owned()),
                offset: h.xml.as_ptr().addr().wrapping_sub(base),
            }
            .into()),
        }
    }

    /// The `a:Action` header if it is one of `allowed`: an endpoint's check before dispatch.
    /// A refusal's [`soap_fault`](PeerError::soap_fault) is `a:ActionNotSupported`.
    ///
    /// ```
    /// use wsman_proto::{Action, Envelope, Limits};
    /// let xml = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"><s:Header><a:Action>urn:other</a:Action></s:Header><s:Body/></s:Envelope>"#;
    /// let env = Envelope::parse(xml, &Limits::default())?;
    /// let e = env.require_action(&[Action::ENUMERATE, Action::END]).unwrap_err();
    /// assert_eq!(e.http_status(), 400);
    /// # Ok::<(), wsman_proto::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`PeerError::MissingHeader`] or [`PeerError::UnsupportedAction`].
    pub fn require_action(&self, allowed: &[Action<'_>]) -> Result<&Action<'a>, Error> {
        let action = self.action()?;
        if allowed.iter().any(|a| a.as_str() == action.as_str()) {
            return Ok(action);
        }
        let offset = self
            .header()
            .and_then(|h| h.child(ns::ADDRESSING, "Action"))
            .map_or(0, |e| e.offset());
        Err(PeerError::UnsupportedAction { offset }.into())
    }

    /// The `a:Action` header, or [`PeerError::MissingHeader`].
    ///
    /// # Errors
    /// When the header is absent.
    pub fn action(&self) -> Result<&Action<'a>, Error> {
        self.headers
            .action
            .as_ref()
            .ok_or_else(|| PeerError::MissingHeader { header: "a:Action" }.into())
    }
}

/// Renders a complete envelope: `headers`, then a body written by `body`.
pub(crate) fn render_envelope(
    headers: &Headers<'_>,
    out: &mut String,
    body: impl FnOnce(&mut XmlWriter<'_>),
) {
    let mut w = XmlWriter { out };
    w.raw(ENVELOPE_OPEN);
    w.start("s:Header", &[]);
    headers.render(&mut w);
    w.end("s:Header");
    w.start("s:Body", &[]);
    body(&mut w);
    w.end("s:Body");
    w.end("s:Envelope");
}

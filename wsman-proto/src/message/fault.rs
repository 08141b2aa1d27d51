//! SOAP 1.2 faults with WS-Management subcodes and the MS-WSMV `WSManFault` detail.
//!
//! Shape (DSP0226 section 14.5, MS-WSMV 2.2.4.43), as Windows writes it:
//!
//! ```xml
//! <s:Fault><s:Code><s:Value>s:Receiver</s:Value>
//!   <s:Subcode><s:Value>w:TimedOut</s:Value></s:Subcode></s:Code>
//!   <s:Reason><s:Text xml:lang="en-US">…</s:Text></s:Reason>
//!   <s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"
//!     Code="2150858793" Machine="…"><f:Message>…</f:Message></f:WSManFault></s:Detail>
//! </s:Fault>
//! ```

use std::borrow::Cow;

use crate::envelope::writer::XmlWriter;
use crate::envelope::{Action, Element, text};
use crate::error::{Error, PeerError};
use crate::ns;

/// A namespace-qualified name (namespace URI, local name).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QName<'a> {
    /// Namespace URI.
    pub ns: Cow<'a, str>,
    /// Local name.
    pub local: Cow<'a, str>,
}

impl QName<'_> {
    /// An owned copy.
    pub fn into_owned(self) -> QName<'static> {
        QName {
            ns: Cow::Owned(self.ns.into_owned()),
            local: Cow::Owned(self.local.into_owned()),
        }
    }
}

/// The SOAP 1.2 fault code (`s:Value` of `s:Code`), by local name in the SOAP namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FaultCode<'a>(pub Cow<'a, str>);

impl FaultCode<'static> {
    /// `s:Sender`: the request was wrong.
    pub const SENDER: Self = Self(Cow::Borrowed("Sender"));
    /// `s:Receiver`: the service failed.
    pub const RECEIVER: Self = Self(Cow::Borrowed("Receiver"));
    /// `s:MustUnderstand`: a mandatory header was not understood.
    pub const MUST_UNDERSTAND: Self = Self(Cow::Borrowed("MustUnderstand"));
    /// `s:VersionMismatch`: not a SOAP 1.2 envelope.
    pub const VERSION_MISMATCH: Self = Self(Cow::Borrowed("VersionMismatch"));
    /// `s:DataEncodingUnknown`.
    pub const DATA_ENCODING_UNKNOWN: Self = Self(Cow::Borrowed("DataEncodingUnknown"));
}

impl FaultCode<'_> {
    /// Whether this is one of the five SOAP 1.2 codes.
    pub fn is_known(&self) -> bool {
        matches!(
            self.0.as_ref(),
            "Sender" | "Receiver" | "MustUnderstand" | "VersionMismatch" | "DataEncodingUnknown"
        )
    }
}

/// A fault subcode: a qualified name such as `w:AccessDenied`. Associated constants for the
/// WS-Management, WS-Addressing, WS-Eventing and WS-Enumeration subcodes.
pub type FaultSubcode<'a> = QName<'a>;

macro_rules! subcodes {
    ($($(#[$m:meta])* $name:ident = ($ns:expr, $local:expr);)*) => {
        impl QName<'static> {
            $($(#[$m])* pub const $name: QName<'static> =
                QName { ns: Cow::Borrowed($ns), local: Cow::Borrowed($local) };)*
        }
        const KNOWN_SUBCODES: &[(&str, &str)] = &[$(($ns, $local)),*];
    };
}

subcodes! {
    /// `w:AccessDenied`.
    ACCESS_DENIED = (ns::WSMAN, "AccessDenied");
    /// `w:AlreadyExists`.
    ALREADY_EXISTS = (ns::WSMAN, "AlreadyExists");
    /// `w:CannotProcessFilter`.
    CANNOT_PROCESS_FILTER = (ns::WSMAN, "CannotProcessFilter");
    /// `w:Concurrency`.
    CONCURRENCY = (ns::WSMAN, "Concurrency");
    /// `w:DeliveryRefused`: the collector refuses events (e.g. subscription removed).
    DELIVERY_REFUSED = (ns::WSMAN, "DeliveryRefused");
    /// `w:EncodingLimit`.
    ENCODING_LIMIT = (ns::WSMAN, "EncodingLimit");
    /// `w:InternalError`.
    INTERNAL_ERROR = (ns::WSMAN, "InternalError");
    /// `w:InvalidBookmark`.
    INVALID_BOOKMARK = (ns::WSMAN, "InvalidBookmark");
    /// `w:InvalidOptions`.
    INVALID_OPTIONS = (ns::WSMAN, "InvalidOptions");
    /// `w:InvalidParameter`.
    INVALID_PARAMETER = (ns::WSMAN, "InvalidParameter");
    /// `w:InvalidSelectors`.
    INVALID_SELECTORS = (ns::WSMAN, "InvalidSelectors");
    /// `w:QuotaLimit`.
    QUOTA_LIMIT = (ns::WSMAN, "QuotaLimit");
    /// `w:SchemaValidationError`.
    SCHEMA_VALIDATION_ERROR = (ns::WSMAN, "SchemaValidationError");
    /// `w:TimedOut`.
    TIMED_OUT = (ns::WSMAN, "TimedOut");
    /// `w:UnsupportedFeature`.
    UNSUPPORTED_FEATURE = (ns::WSMAN, "UnsupportedFeature");
    /// `a:ActionNotSupported`.
    ACTION_NOT_SUPPORTED = (ns::ADDRESSING, "ActionNotSupported");
    /// `a:DestinationUnreachable`.
    DESTINATION_UNREACHABLE = (ns::ADDRESSING, "DestinationUnreachable");
    /// `a:EndpointUnavailable`.
    ENDPOINT_UNAVAILABLE = (ns::ADDRESSING, "EndpointUnavailable");
    /// `a:InvalidMessageInformationHeader`.
    INVALID_MESSAGE_INFORMATION_HEADER = (ns::ADDRESSING, "InvalidMessageInformationHeader");
    /// `a:MessageInformationHeaderRequired`.
    MESSAGE_INFORMATION_HEADER_REQUIRED = (ns::ADDRESSING, "MessageInformationHeaderRequired");
    /// `e:DeliveryModeRequestedUnavailable`.
    DELIVERY_MODE_REQUESTED_UNAVAILABLE = (ns::EVENTING, "DeliveryModeRequestedUnavailable");
    /// `e:EventSourceUnableToProcess`.
    EVENT_SOURCE_UNABLE_TO_PROCESS = (ns::EVENTING, "EventSourceUnableToProcess");
    /// `e:InvalidExpirationTime`.
    INVALID_EXPIRATION_TIME = (ns::EVENTING, "InvalidExpirationTime");
    /// `e:InvalidMessage`.
    INVALID_MESSAGE = (ns::EVENTING, "InvalidMessage");
    /// `e:UnableToRenew`.
    UNABLE_TO_RENEW = (ns::EVENTING, "UnableToRenew");
    /// `n:InvalidEnumerationContext`.
    INVALID_ENUMERATION_CONTEXT = (ns::ENUMERATION, "InvalidEnumerationContext");
    /// `n:TimedOut`.
    ENUMERATION_TIMED_OUT = (ns::ENUMERATION, "TimedOut");
}

impl QName<'static> {
    /// Fault detail URI: the envelope exceeded `MaxEnvelopeSize`.
    pub const DETAIL_MAX_ENVELOPE_SIZE: &'static str =
        "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/MaxEnvelopeSize";
    /// Fault detail URI: the service's own envelope limit was exceeded.
    pub const DETAIL_SERVICE_ENVELOPE_LIMIT: &'static str =
        "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/ServiceEnvelopeLimit";
    /// Fault detail URI: unsupported character set.
    pub const DETAIL_CHARACTER_SET: &'static str =
        "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/CharacterSet";
    /// Fault detail URI: invalid value.
    pub const DETAIL_INVALID_VALUE: &'static str =
        "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidValue";
}

impl QName<'_> {
    /// Whether this is one of the subcode constants.
    pub fn is_known(&self) -> bool {
        KNOWN_SUBCODES
            .iter()
            .any(|(n, l)| *n == self.ns.as_ref() && *l == self.local.as_ref())
    }
}

/// The MS-WSMV `WSManFault` detail that Windows logs (event 102 / 105 on the forwarder): a
/// Win32 / WinRM error code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WsManFault<'a> {
    /// `Code` attribute (e.g. 2150858793 = `ERROR_WSMAN_OPERATION_TIMEDOUT`, 5 = access denied).
    pub code: u32,
    /// `Machine` attribute.
    pub machine: Option<Cow<'a, str>>,
    /// `f:Message` text.
    pub message: Cow<'a, str>,
}

impl WsManFault<'static> {
    /// `ERROR_WSMAN_INVALID_HEADER` (0x8033800F), observed from Windows for an invalid
    /// `OperationTimeout`.
    pub const ERROR_INVALID_HEADER: u32 = 2_150_858_767;
    /// `ERROR_WSMAN_OPERATION_TIMEDOUT` (0x80338029).
    pub const ERROR_OPERATION_TIMEDOUT: u32 = 2_150_858_793;
    /// `ERROR_ACCESS_DENIED`.
    pub const ERROR_ACCESS_DENIED: u32 = 5;
}

/// A SOAP fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault<'a> {
    /// `s:Code/s:Value`.
    pub code: FaultCode<'a>,
    /// `s:Code/s:Subcode/s:Value`.
    pub subcode: Option<FaultSubcode<'a>>,
    /// `s:Reason/s:Text`.
    pub reason: Cow<'a, str>,
    /// `xml:lang` of the reason.
    pub lang: Cow<'a, str>,
    /// `s:Detail/w:FaultDetail` URI.
    pub fault_detail: Option<Cow<'a, str>>,
    /// `s:Detail/f:WSManFault`.
    pub wsman_fault: Option<WsManFault<'a>>,
    /// For `MustUnderstand` faults: the header not understood (`s:NotUnderstood` header block).
    pub not_understood: Option<QName<'a>>,
}

impl<'a> Fault<'a> {
    /// A fault with a code, an optional subcode and an `en-US` reason.
    pub fn new(code: FaultCode<'a>, subcode: Option<FaultSubcode<'a>>, reason: &'a str) -> Self {
        Self {
            code,
            subcode,
            reason: Cow::Borrowed(reason),
            lang: Cow::Borrowed("en-US"),
            fault_detail: None,
            wsman_fault: None,
            not_understood: None,
        }
    }

    /// `s:Sender` / `w:AccessDenied` with the Win32 `ERROR_ACCESS_DENIED` detail: the answer to
    /// a source that is not allowed to enumerate or deliver.
    pub fn access_denied() -> Fault<'static> {
        let text = "Access is denied.";
        let mut f = Fault::new(FaultCode::SENDER, Some(FaultSubcode::ACCESS_DENIED), text);
        f.wsman_fault = Some(WsManFault {
            code: WsManFault::ERROR_ACCESS_DENIED,
            machine: None,
            message: Cow::Borrowed(text),
        });
        f
    }

    /// `s:Receiver` / `w:DeliveryRefused`: the collector refuses a delivery (e.g. the events
    /// could not be stored, or the subscription is gone); the source keeps its bookmark and
    /// retries later.
    pub fn delivery_refused(reason: &'a str) -> Self {
        Fault::new(
            FaultCode::RECEIVER,
            Some(FaultSubcode::DELIVERY_REFUSED),
            reason,
        )
    }

    /// `s:Sender` / `a:ActionNotSupported` for a request whose `Action` the endpoint does not
    /// serve.
    pub fn action_not_supported() -> Fault<'static> {
        Fault::new(
            FaultCode::SENDER,
            Some(FaultSubcode::ACTION_NOT_SUPPORTED),
            "The action is not supported by the service.",
        )
    }

    /// The `Action` a fault with this subcode is sent with (DSP0226 14.5 and the WS-*
    /// specifications: each subcode's specification has its own fault action).
    pub fn action(&self) -> Action<'static> {
        match self.subcode.as_ref().map(|s| s.ns.as_ref()) {
            Some(ns::ADDRESSING) => Action::ADDRESSING_FAULT,
            Some(ns::EVENTING) => Action::EVENTING_FAULT,
            Some(ns::ENUMERATION) => Action::ENUMERATION_FAULT,
            _ if self.code == FaultCode::MUST_UNDERSTAND
                || self.code == FaultCode::VERSION_MISMATCH =>
            {
                Action::ADDRESSING_FAULT
            }
            _ => Action::WSMAN_FAULT,
        }
    }

    /// Parses an `s:Fault` element.
    ///
    /// # Errors
    /// [`PeerError`] when `s:Code/s:Value` is missing or a QName prefix is unbound.
    pub fn from_element(e: &Element<'_, 'a>) -> Result<Self, Error> {
        let code_el = e.child(ns::SOAP, "Code").ok_or(PeerError::Missing {
            element: "s:Code",
            offset: e.offset(),
        })?;
        let value = code_el.child(ns::SOAP, "Value").ok_or(PeerError::Missing {
            element: "s:Value",
            offset: code_el.offset(),
        })?;
        let code_q = resolve_qname(&value)?;
        if code_q.ns != ns::SOAP {
            return Err(PeerError::Invalid {
                what: "fault code namespace",
                offset: value.offset(),
            }
            .into());
        }
        let subcode = match code_el
            .child(ns::SOAP, "Subcode")
            .and_then(|s| s.child(ns::SOAP, "Value"))
        {
            Some(v) => Some(resolve_qname(&v)?),
            None => None,
        };
        let (reason, lang) = match e
            .child(ns::SOAP, "Reason")
            .and_then(|r| r.child(ns::SOAP, "Text"))
        {
            Some(t) => (t.text()?, t.attr(ns::XML, "lang")?.unwrap_or_default()),
            None => (Cow::Borrowed(""), Cow::Borrowed("")),
        };
        let mut fault_detail = None;
        let mut wsman_fault = None;
        if let Some(d) = e.child(ns::SOAP, "Detail") {
            if let Some(fd) = d.child(ns::WSMAN, "FaultDetail") {
                let t = text(&fd)?;
                if !t.is_empty() {
                    fault_detail = Some(t);
                }
            }
            if let Some(wf) = d.child(ns::WSMAN_FAULT, "WSManFault") {
                let code = wf
                    .attr("", "Code")?
                    .and_then(|c| c.trim().parse().ok())
                    .ok_or(PeerError::Invalid {
                        what: "f:WSManFault/@Code",
                        offset: wf.offset(),
                    })?;
                let message = match wf.child(ns::WSMAN_FAULT, "Message") {
                    Some(m) => message_text(&m),
                    None => Cow::Borrowed(""),
                };
                wsman_fault = Some(WsManFault {
                    code,
                    machine: wf.attr("", "Machine")?,
                    message,
                });
            }
        }
        Ok(Self {
            code: FaultCode(code_q.local),
            subcode,
            reason,
            lang,
            fault_detail,
            wsman_fault,
            not_understood: None,
        })
    }

    /// Writes the `s:Fault` element.
    pub(crate) fn render_body(&self, w: &mut XmlWriter<'_>) {
        w.start("s:Fault", &[]);
        w.start("s:Code", &[]);
        w.leaf("s:Value", &[], &format!("s:{}", self.code.0));
        if let Some(sc) = &self.subcode {
            w.start("s:Subcode", &[]);
            w.leaf(
                "s:Value",
                &[("xmlns:sc", &sc.ns)],
                &format!("sc:{}", sc.local),
            );
            w.end("s:Subcode");
        }
        w.end("s:Code");
        w.start("s:Reason", &[]);
        w.leaf("s:Text", &[("xml:lang", &self.lang)], &self.reason);
        w.end("s:Reason");
        if self.fault_detail.is_some() || self.wsman_fault.is_some() {
            w.start("s:Detail", &[]);
            if let Some(fd) = &self.fault_detail {
                w.leaf("w:FaultDetail", &[], fd);
            }
            if let Some(wf) = &self.wsman_fault {
                let code = wf.code.to_string();
                let mut attrs: Vec<(&str, &str)> =
                    vec![("xmlns:f", ns::WSMAN_FAULT), ("Code", &code)];
                if let Some(m) = &wf.machine {
                    attrs.push(("Machine", m));
                }
                w.start("f:WSManFault", &attrs);
                w.leaf("f:Message", &[], &wf.message);
                w.end("f:WSManFault");
            }
            w.end("s:Detail");
        }
        w.end("s:Fault");
    }

    /// An owned copy.
    pub fn into_owned(self) -> Fault<'static> {
        let own = |c: Cow<'_, str>| Cow::Owned(c.into_owned());
        Fault {
            code: FaultCode(own(self.code.0)),
            subcode: self.subcode.map(QName::into_owned),
            reason: own(self.reason),
            lang: own(self.lang),
            fault_detail: self.fault_detail.map(own),
            wsman_fault: self.wsman_fault.map(|w| WsManFault {
                code: w.code,
                machine: w.machine.map(own),
                message: own(w.message),
            }),
            not_understood: self.not_understood.map(QName::into_owned),
        }
    }
}

/// `f:Message` may hold markup (provider faults); keep its text, or its inner XML verbatim.
fn message_text<'a>(m: &Element<'_, 'a>) -> Cow<'a, str> {
    m.text().unwrap_or(Cow::Borrowed(m.inner_xml()))
}

/// Resolves a QName written as element text (`prefix:local`) against the in-scope namespaces.
fn resolve_qname<'a>(e: &Element<'_, 'a>) -> Result<QName<'a>, Error> {
    let t = e.trimmed_text()?;
    let (prefix, local) = match t.split_once(':') {
        Some((p, l)) => (p.to_owned(), Cow::Owned(l.to_owned())),
        None => (String::new(), t.clone()),
    };
    let nsuri = e
        .resolve_prefix(&prefix)
        .ok_or(PeerError::UnboundPrefix { offset: e.offset() })?;
    let local = match (t, local) {
        (Cow::Borrowed(b), _) => Cow::Borrowed(b.rsplit(':').next().unwrap_or(b)),
        (_, l) => l,
    };
    Ok(QName {
        ns: Cow::Borrowed(nsuri),
        local,
    })
}

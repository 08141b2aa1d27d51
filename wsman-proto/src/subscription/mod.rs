//! What a collector offers a source, rendered the way Windows collectors do.
//!
//! A [`Subscription`] becomes one `m:Subscription` item of the `EnumerateResponse` a collector
//! answers a source's `Enumerate` with (MS-WSMV 3.1.4.1.30): a `m:Version` and a complete
//! `Subscribe` envelope (headers with the `OptionSet`, and an `e:Subscribe` body with
//! `EndTo`, `Delivery`, `Filter`, `Bookmark`, `SendBookmarks`).
//!
//! Identity and version are derived from the content with UUIDv5, so replicas of a collector
//! agree without a database: [`Subscription::id`] depends on the name only;
//! [`Subscription::version`] on everything the source acts on (query, delivery, format,
//! transport, …) but not on the description.
//!
//! ```
//! use wsman_proto::subscription::{Subscription, RenderIds};
//! let mut sub = Subscription::new(
//!     "Toto",
//!     "<QueryList><Query Id=\"0\"><Select Path=\"Security\">*</Select></Query></QueryList>",
//!     "HTTP://srv.windomain.local:5985/wsman/subscriptions/B6BDBB59-FB07-4EE5-841F-EBEC9D67CDD4/1",
//! );
//! let v1 = sub.version()?;
//! sub.description = "changed".into();
//! assert_eq!(sub.version()?, v1);
//! sub.query = sub.query.replace("Security", "System");
//! assert_ne!(sub.version()?, v1);
//! let ids = RenderIds { message_id: "uuid:A666D835-B462-465E-ACEE-BA6354EA0E58", operation_id: "uuid:24C4926E-F0EB-4F5A-A75F-5F1FA212F124" };
//! let xml = sub.subscribe_envelope(&ids, None)?;
//! assert!(xml.contains("<w:Option Name=\"SubscriptionName\">Toto</w:Option>"));
//! # Ok::<(), wsman_proto::Error>(())
//! ```

use std::borrow::Cow;

use uuid::Uuid;

use crate::envelope::writer::XmlWriter;
use crate::envelope::{
    Action, Document, Headers, MaxEnvelopeSize, OptionItem, OptionSet, XsDuration, render_envelope,
};
use crate::error::{Error, MisuseError, PeerError};
use crate::limits::Limits;
use crate::message::{
    AuthPolicy, ConnectionRetry, Delivery, EndpointReference, EnumerateResponse, Filter, Item,
    Message, Subscribe, SubscriptionItem, Thumbprint,
};
use crate::ns;

/// UUIDv5 namespace for subscription identities and versions (a fixed, arbitrary value: change
/// it and every replica's subscription versions change).
pub const UUID_NAMESPACE: Uuid = Uuid::from_u128(0x7d3a_1c52_9b0e_4f6a_8e21_5c4b_9a0d_e3f1);

/// The MS-WSMV resource URI of event log subscriptions.
pub const RESOURCE_EVENT_LOG: &str = "http://schemas.microsoft.com/wbem/wsman/1/windows/EventLog";

/// The resource URI a source enumerates to get its subscriptions.
pub const RESOURCE_SUBSCRIPTION: &str =
    "http://schemas.microsoft.com/wbem/wsman/1/SubscriptionManager/Subscription";

/// How events are rendered by the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContentFormat {
    /// `Events`: raw event XML only.
    Events,
    /// `RenderedText`: event XML plus `RenderingInfo` (message, level and task names).
    #[default]
    RenderedText,
}

impl ContentFormat {
    /// The `ContentFormat` option value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Events => "Events",
            Self::RenderedText => "RenderedText",
        }
    }
}

/// Delivery optimisation, as Windows' Event Viewer and `wecutil` define it
/// (`EC_SUBSCRIPTION_CONFIGURATION_MODE`), for source-initiated (push) subscriptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeliveryPreset {
    /// Batches of 5 events, 15 minutes batch timeout, 15 minutes heartbeat.
    #[default]
    Normal,
    /// 30 seconds batch timeout, 1 hour heartbeat (what the reference capture shows).
    MinLatency,
    /// 6 hours batch timeout, 6 hours heartbeat.
    MinBandwidth,
    /// Explicit values.
    Custom {
        /// Largest batch (`w:MaxElements`), `None` for no limit.
        max_items: Option<u32>,
        /// Batch timeout (`w:MaxTime`).
        max_latency: XsDuration,
        /// Heartbeat interval (`w:Heartbeats`).
        heartbeat: XsDuration,
    },
}

impl DeliveryPreset {
    /// (max items, max latency, heartbeat) of the preset.
    pub const fn values(self) -> (Option<u32>, XsDuration, XsDuration) {
        match self {
            Self::Normal => (
                Some(5),
                XsDuration::from_millis(900_000),
                XsDuration::from_millis(900_000),
            ),
            Self::MinLatency => (
                None,
                XsDuration::from_millis(30_000),
                XsDuration::from_millis(3_600_000),
            ),
            Self::MinBandwidth => (
                None,
                XsDuration::from_millis(21_600_000),
                XsDuration::from_millis(21_600_000),
            ),
            Self::Custom {
                max_items,
                max_latency,
                heartbeat,
            } => (max_items, max_latency, heartbeat),
        }
    }
}

/// How the HTTP transport authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HttpAuth {
    /// Kerberos (`Authorization: Kerberos`).
    #[default]
    Kerberos,
    /// Negotiate (SPNEGO: Kerberos or NTLM).
    Negotiate,
}

/// Transport and authentication policy the source must use when delivering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// HTTP with Kerberos or Negotiate and message-level encryption.
    Http(HttpAuth),
    /// HTTPS with client certificates issued by one of these CAs (SHA-1 thumbprints, hex).
    Https {
        /// Issuer CA thumbprints.
        issuer_thumbprints: Vec<String>,
    },
}

impl Default for Transport {
    fn default() -> Self {
        Self::Http(HttpAuth::Kerberos)
    }
}

/// Everything a collector offers in one subscription. Data-only: fields are public; checks
/// happen when rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Name (`SubscriptionName` option); also the identity.
    pub name: String,
    /// Free text for operators; not sent, not part of the version.
    pub description: String,
    /// The `QueryList` XML (checked well-formed when rendering).
    pub query: String,
    /// `ContentFormat` option.
    pub content_format: ContentFormat,
    /// `w:Locale` (e.g. `en-US`).
    pub locale: Option<String>,
    /// `p:DataLocale`.
    pub data_locale: Option<String>,
    /// `ReadExistingEvents` option: a new source sends what its logs already hold.
    pub read_existing_events: bool,
    /// Delivery optimisation (batch size, latency, heartbeat).
    pub delivery: DeliveryPreset,
    /// Connection retries (`w:ConnectionRetry Total=…`).
    pub connection_retry_count: u32,
    /// Interval between connection retries.
    pub connection_retry_interval: XsDuration,
    /// Largest envelope the source may send (`w:MaxEnvelopeSize Policy="Notify"`).
    pub max_envelope_size: u32,
    /// `Compression` option: SLDC.
    pub compression: bool,
    /// `w:SendBookmarks`: the source sends its bookmark with every batch.
    pub send_bookmarks: bool,
    /// `IgnoreChannelError` option: subscribe even if a channel of the query does not exist.
    pub ignore_channel_error: bool,
    /// Transport and authentication policy.
    pub transport: Transport,
    /// `NotifyTo` address: where events go.
    pub notify_to: String,
    /// `EndTo` address: where `SubscriptionEnd` goes (defaults to `notify_to`).
    pub end_to: Option<String>,
}

/// Message identifiers for rendering (no randomness inside the crate).
#[derive(Debug, Clone, Copy)]
pub struct RenderIds<'r> {
    /// `a:MessageID` of the embedded `Subscribe` envelope (`uuid:…`).
    pub message_id: &'r str,
    /// `p:OperationID` of the embedded envelope (`uuid:…`).
    pub operation_id: &'r str,
}

fn upper_uuid(u: Uuid) -> String {
    u.hyphenated().to_string().to_ascii_uppercase()
}

impl Subscription {
    /// A subscription with Windows' defaults: RenderedText, `en-US`, Normal delivery, 5 retries
    /// every 60 s, 512 000-byte envelopes, SLDC, bookmarks, Kerberos over HTTP.
    pub fn new(name: &str, query: &str, notify_to: &str) -> Self {
        Self {
            name: name.to_owned(),
            description: String::new(),
            query: query.to_owned(),
            content_format: ContentFormat::RenderedText,
            locale: Some("en-US".to_owned()),
            data_locale: Some("en-US".to_owned()),
            read_existing_events: false,
            delivery: DeliveryPreset::Normal,
            connection_retry_count: 5,
            connection_retry_interval: XsDuration::from_secs(60),
            max_envelope_size: 512_000,
            compression: true,
            send_bookmarks: true,
            ignore_channel_error: true,
            transport: Transport::default(),
            notify_to: notify_to.to_owned(),
            end_to: None,
        }
    }

    /// The stable identity: UUIDv5 of the name.
    pub fn id(&self) -> Uuid {
        Uuid::new_v5(&UUID_NAMESPACE, self.name.as_bytes())
    }

    /// Checks the query: well-formed XML whose root is `QueryList`.
    ///
    /// # Errors
    /// [`MisuseError::InvalidQuery`].
    pub fn check_query(&self) -> Result<(), Error> {
        let doc = Document::parse(self.query.trim(), &Limits::default()).map_err(|e| {
            let what = match &e {
                Error::Peer(PeerError::Dtd { .. }) => "document type declaration",
                Error::Limit(_) => "too large",
                _ => "not well-formed",
            };
            MisuseError::InvalidQuery {
                what,
                offset: e.offset().unwrap_or(0),
            }
        })?;
        if doc.root().local_name() != "QueryList" {
            return Err(MisuseError::InvalidQuery {
                what: "root is not querylist",
                offset: 0,
            }
            .into());
        }
        Ok(())
    }

    /// The version: UUIDv5 over every field the source acts on (not the description). A
    /// source re-subscribes when it changes. Rendered as `uuid:XXXXXXXX-…` (upper case, as
    /// Windows writes it).
    ///
    /// # Errors
    /// [`MisuseError::InvalidQuery`] when the query is not well-formed.
    pub fn version(&self) -> Result<Uuid, Error> {
        self.check_query()?;
        let mut canon = String::new();
        let mut field = |k: &str, v: &str| {
            canon.push_str(k);
            canon.push('=');
            canon.push_str(&v.len().to_string());
            canon.push(':');
            canon.push_str(v);
            canon.push('\n');
        };
        let (items, latency, heartbeat) = self.delivery.values();
        field("name", &self.name);
        field("query", self.query.trim());
        field("format", self.content_format.as_str());
        field("locale", self.locale.as_deref().unwrap_or(""));
        field("data_locale", self.data_locale.as_deref().unwrap_or(""));
        field("read_existing", bool_str(self.read_existing_events));
        field(
            "max_items",
            &items.map(|n| n.to_string()).unwrap_or_default(),
        );
        field("max_latency", &latency.to_string());
        field("heartbeat", &heartbeat.to_string());
        field("retry_count", &self.connection_retry_count.to_string());
        field(
            "retry_interval",
            &self.connection_retry_interval.to_string(),
        );
        field("max_envelope", &self.max_envelope_size.to_string());
        field("compression", bool_str(self.compression));
        field("send_bookmarks", bool_str(self.send_bookmarks));
        field("ignore_channel_error", bool_str(self.ignore_channel_error));
        match &self.transport {
            Transport::Http(HttpAuth::Kerberos) => field("transport", "http-kerberos"),
            Transport::Http(HttpAuth::Negotiate) => field("transport", "http-negotiate"),
            Transport::Https { issuer_thumbprints } => {
                field("transport", "https");
                for t in issuer_thumbprints {
                    field("issuer", &t.to_ascii_uppercase());
                }
            }
        }
        field("notify_to", &self.notify_to);
        field("end_to", self.end_to.as_deref().unwrap_or(&self.notify_to));
        Ok(Uuid::new_v5(&UUID_NAMESPACE, canon.as_bytes()))
    }

    /// The `m:Subscription` item for an `EnumerateResponse`. `bookmark` is the inner XML of the
    /// source's last bookmark for this subscription, if the collector stored one.
    ///
    /// # Errors
    /// [`MisuseError`] for an invalid query or values.
    pub fn to_item<'s>(
        &'s self,
        ids: &RenderIds<'s>,
        bookmark: Option<&'s str>,
    ) -> Result<SubscriptionItem<'s>, Error> {
        if self.name.is_empty() {
            return Err(MisuseError::InvalidValue {
                what: "subscription name",
            }
            .into());
        }
        if self.notify_to.is_empty() {
            return Err(MisuseError::InvalidValue {
                what: "notify_to address",
            }
            .into());
        }
        let version = upper_uuid(self.version()?);
        let mut options = vec![opt("SubscriptionName", Some(Cow::Borrowed(&self.name)))];
        if self.compression {
            options.push(opt("Compression", Some(Cow::Borrowed("SLDC"))));
        }
        options.push(opt("CDATA", None));
        options.push(opt(
            "ContentFormat",
            Some(Cow::Borrowed(self.content_format.as_str())),
        ));
        if self.ignore_channel_error {
            options.push(opt("IgnoreChannelError", None));
        }
        if self.read_existing_events {
            options.push(opt("ReadExistingEvents", None));
        }
        let headers = Headers {
            to: Some(Cow::Borrowed(ns::ANONYMOUS)),
            resource_uri: Some(Cow::Borrowed(RESOURCE_EVENT_LOG)),
            reply_to: Some(Cow::Borrowed(ns::ANONYMOUS)),
            action: Some(Action::SUBSCRIBE),
            max_envelope_size: Some(MaxEnvelopeSize {
                size: self.max_envelope_size,
                policy: None,
            }),
            message_id: Some(Cow::Borrowed(ids.message_id)),
            locale: self.locale.as_deref().map(Cow::Borrowed),
            data_locale: self.data_locale.as_deref().map(Cow::Borrowed),
            operation_id: Some(Cow::Borrowed(ids.operation_id)),
            sequence_id: Some(1),
            options: Some(OptionSet {
                options,
                must_understand: false,
            }),
            ..Headers::default()
        };
        let policy = match &self.transport {
            Transport::Http(_) => AuthPolicy {
                profile: Cow::Borrowed(AuthPolicy::PROFILE_HTTP_SPNEGO_KERBEROS),
                thumbprints: Vec::new(),
            },
            Transport::Https { issuer_thumbprints } => AuthPolicy {
                profile: Cow::Borrowed(AuthPolicy::PROFILE_HTTPS_MUTUAL),
                thumbprints: issuer_thumbprints
                    .iter()
                    .map(|t| Thumbprint {
                        role: Cow::Borrowed("issuer"),
                        value: Cow::Borrowed(t.as_str()),
                    })
                    .collect(),
            },
        };
        let identifier = version.clone();
        let end_to = EndpointReference {
            address: Cow::Borrowed(self.end_to.as_deref().unwrap_or(&self.notify_to)),
            identifier: Some(Cow::Owned(identifier.clone())),
            ..EndpointReference::default()
        };
        let notify_to = EndpointReference {
            address: Cow::Borrowed(&self.notify_to),
            identifier: Some(Cow::Owned(identifier)),
            policy: Some(policy),
            ..EndpointReference::default()
        };
        let (max_items, max_latency, heartbeat) = self.delivery.values();
        let subscribe = Subscribe {
            end_to: Some(end_to),
            delivery: Delivery {
                mode: Cow::Borrowed(Delivery::MODE_EVENTS),
                heartbeats: Some(heartbeat),
                notify_to: Some(notify_to),
                connection_retry: Some(ConnectionRetry {
                    total: self.connection_retry_count,
                    interval: self.connection_retry_interval,
                }),
                max_time: Some(max_latency),
                max_elements: max_items,
                max_envelope_size: Some(MaxEnvelopeSize {
                    size: self.max_envelope_size,
                    policy: Some(Cow::Borrowed("Notify")),
                }),
                locale: self.locale.as_deref().map(Cow::Borrowed),
                data_locale: self.data_locale.as_deref().map(Cow::Borrowed),
                content_encoding: Some(Cow::Borrowed("UTF-16")),
            },
            expires: None,
            filter: Some(Filter {
                dialect: Some(Cow::Borrowed(Filter::DIALECT_EVENT_QUERY)),
                xml: Cow::Borrowed(self.query.trim()),
            }),
            bookmark: bookmark.map(Cow::Borrowed),
            send_bookmarks: self.send_bookmarks,
        };
        Ok(SubscriptionItem {
            version: Cow::Owned(format!("uuid:{version}")),
            headers,
            subscribe,
        })
    }

    /// The standalone `Subscribe` envelope (what is embedded in the `EnumerateResponse`).
    ///
    /// # Errors
    /// As [`to_item`](Self::to_item).
    pub fn subscribe_envelope(
        &self,
        ids: &RenderIds<'_>,
        bookmark: Option<&str>,
    ) -> Result<String, Error> {
        let item = self.to_item(
            &RenderIds {
                message_id: ids.message_id,
                operation_id: ids.operation_id,
            },
            bookmark,
        )?;
        let mut out = String::new();
        render_envelope(&item.headers, &mut out, |w: &mut XmlWriter<'_>| {
            item.subscribe.render(w);
        });
        Ok(out)
    }
}

/// Renders the `EnumerateResponse` a collector answers a source's `Enumerate` with: response
/// headers per [`Headers::response_to`], the subscription items, an empty enumeration context
/// and `EndOfSequence` (the optimized enumeration Windows sources request).
///
/// ```
/// use wsman_proto::subscription::{enumerate_response, RenderIds, Subscription};
/// use wsman_proto::Headers;
/// let sub = Subscription::new("s", "<QueryList/>", "http://collector:5985/wsman/subscriptions/s");
/// let request = Headers { message_id: Some("uuid:1".into()), ..Headers::default() };
/// let ids = RenderIds { message_id: "uuid:2", operation_id: "uuid:3" };
/// let item = sub.to_item(&ids, None)?;
/// let mut xml = String::new();
/// enumerate_response(&request, "uuid:4", vec![item], &mut xml);
/// assert!(xml.contains("<w:EndOfSequence/>"));
/// # Ok::<(), wsman_proto::Error>(())
/// ```
pub fn enumerate_response(
    request: &Headers<'_>,
    message_id: &str,
    items: Vec<SubscriptionItem<'_>>,
    out: &mut String,
) {
    let headers = Headers::response_to(request, Action::ENUMERATE_RESPONSE, message_id);
    let msg = Message::EnumerateResponse(EnumerateResponse {
        expires: None,
        context: Cow::Borrowed(""),
        items: items
            .into_iter()
            .map(|i| Item::Subscription(Box::new(i)))
            .collect(),
        end_of_sequence: true,
    });
    msg.render(&headers, out);
}

fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

fn opt<'s>(name: &'static str, value: Option<Cow<'s, str>>) -> OptionItem<'s> {
    OptionItem {
        name: Cow::Borrowed(name),
        value,
        must_comply: None,
        type_: None,
    }
}

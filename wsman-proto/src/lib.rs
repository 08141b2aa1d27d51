//! Sans-IO WS-Management for Windows Event Forwarding.
//!
//! This crate reads and writes every envelope of Windows Event Forwarding (MS-WSMV over
//! WS-Management over SOAP 1.2), in both directions, authenticates peers with NTLM, SPNEGO /
//! Negotiate and Kerberos, and seals and opens `multipart/encrypted` session bodies. The
//! collector and source state machines will join it.
//!
//! # Message layer
//!
//! - [`charset`]: UTF-16LE/BE (with or without BOM) and UTF-8 detection, honouring a
//!   `Content-Type` charset; one transcode into a reusable buffer, then everything borrows.
//! - [`Envelope`]: SOAP 1.2 + WS-Addressing + WS-Management headers ([`Headers`]), matched by
//!   namespace URI and local name (never by prefix); unknown headers kept verbatim and
//!   `mustUnderstand` enforced.
//! - [`Message`]: Enumerate, EnumerateResponse (with subscriptions), Pull, PullResponse,
//!   Release, End, Subscribe, SubscribeResponse, Renew, RenewResponse, Unsubscribe, Heartbeat,
//!   Events (event XML as borrowed slices), Ack, SubscriptionEnd and faults — parse and render.
//! - [`message::wire::decode`]: the entry point for received bytes. `Events` envelopes (nearly
//!   all the traffic of a collector) are decoded without transcoding or parsing their payloads:
//!   the items are scanned in the wire encoding and each payload is a borrowed slice of the
//!   input (UTF-16 or UTF-8) with its form, turned into UTF-8 on demand
//!   ([`WireEvent::to_utf8`](message::wire::WireEvent::to_utf8)). Every other message, and
//!   any `Events` envelope of an unusual shape, takes the general path below; both paths give
//!   the same result and the same errors.
//! - [`subscription`]: what a collector offers, with deterministic identity and version.
//! - [`bookmark`]: `BookmarkList` and the `bookmark/earliest` sentinel.
//!
//! ```
//! use wsman_proto::{charset, Envelope, Limits, Message};
//! let bytes = testkit_free_example();
//! let limits = Limits::default();
//! let mut scratch = String::new();
//! let text = charset::decode(&bytes, Some("application/soap+xml;charset=UTF-16"), &limits, &mut scratch)?;
//! let env = Envelope::parse(text.text, &limits)?;
//! match Message::from_envelope(&env, &limits)? {
//!     Message::Events(batch) => for ev in &batch.items { let _xml: &str = &ev.xml; },
//!     Message::Heartbeat => {}
//!     other => println!("{:?}", other.action()),
//! }
//! # fn testkit_free_example() -> Vec<u8> {
//! #   let mut v = Vec::new();
//! #   let xml = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"><s:Header><a:Action>http://schemas.dmtf.org/wbem/wsman/1/wsman/Heartbeat</a:Action></s:Header><s:Body><w:Events/></s:Body></s:Envelope>"#;
//! #   wsman_proto::charset::encode(xml, wsman_proto::charset::Charset::Utf16Le, true, &mut v);
//! #   v
//! # }
//! # Ok::<(), wsman_proto::Error>(())
//! ```
//!
//! # Security layer
//!
//! - [`auth`]: the object-safe [`auth::SessionSecurity`] trait that framing uses; NTLM
//!   ([`auth::ntlm`], both roles, pure Rust), SPNEGO ([`auth::spnego`]) and the
//!   `Authorization: Negotiate | Kerberos` handshake ([`auth::negotiate`]); Kerberos
//!   ([`auth::kerberos`]: offline RFC 3961/4121/4757 crypto always, GSSAPI behind `kerberos`).
//! - [`framing`]: `multipart/encrypted` (`HTTP-SPNEGO-session-encrypted` and
//!   `HTTP-Kerberos-session-encrypted`), both directions, with SLDC after unsealing reported as
//!   an explicit outcome.
//!
//! # What borrows, what copies
//!
//! [`message::wire::decode`] transcodes only the envelope around the event payloads (a few KB
//! of a 500 KB batch) and leaves the payloads as slices of the input bytes.
//!
//! On the general path, after the one transcode, names, header values, attribute values and
//! event payloads are `&str` / `Cow::Borrowed` slices of the text. `Cow::Owned` appears only
//! where an escaped value had to be unescaped (an `&amp;` in a header, an event sent as escaped
//! text rather than CDATA) or several CDATA sections had to be joined. The content of each
//! `w:Event` is scanned (well-formedness, depth, element and text limits) but not expanded into
//! a tree, so a batch of events costs one pass.
//!
//! # Matching and its limits
//!
//! Elements and attributes are matched by namespace URI and local name. Namespace URIs are
//! compared as written (no entity expansion inside `xmlns` values, like quick-xml). Verbatim
//! slices (unknown headers, `Bookmark`, `Filter`, raw items, event markup) are kept as written,
//! so they do not carry namespace declarations made on their ancestors.
//!
//! # Sans-IO contract
//!
//! No sockets, files, threads, clocks or randomness: message IDs and UUIDs are inputs
//! ([`subscription::RenderIds`]); subscription identities are UUIDv5 of their content.
//!
//! # Panic policy
//!
//! No input — bytes, XML, call order — may panic. A panic is a bug in a broken internal
//! invariant. Fuzz targets (`fuzz/fuzz_targets/wsman_*.rs`) and property tests enforce this.
//!
//! # Limits
//!
//! [`Limits`]: envelope size (512 000 bytes by default, Windows' `MaxEnvelopeSize`), depth (64),
//! element count, attributes per element, attribute and text size, events per batch. DTDs are
//! always rejected; only the five predefined entities and character references are accepted.
//! Errors name the limit or the problem and the byte offset ([`Error`]).
//!
//! # Features
//!
//! `kerberos` (off by default): Kerberos through the system GSSAPI (security layer).
#![forbid(unsafe_code)]

pub mod auth;
pub mod bookmark;
pub mod charset;
pub mod envelope;
pub mod error;
pub mod framing;
pub mod limits;
pub mod message;
pub mod ns;
pub mod subscription;

pub use envelope::{
    Action, Envelope, Headers, InvalidDuration, MaxEnvelopeSize, OptionItem, OptionSet, RawHeader,
    Selector, XsDuration,
};
pub use error::{Error, Limit, LimitError, MisuseError, PeerError};
pub use limits::Limits;
pub use message::{Fault, Message};

//! Rendered Windows event XML, parsed losslessly and projected into JSON.
//!
//! `evtxml` parses one rendered `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>`
//! document, or the events carried by a WS-Management `Events` body, into a lossless typed
//! record that borrows from its input ([`Event`]); reports what it had to repair
//! ([`Normalized`]: clean, recovered, or raw only); and projects the record into the JSON shapes
//! downstream tools consume ([`Profile`]), through one fast writer ([`json::JsonWriter`]).
//!
//! ```
//! use evtxml::{Charset, Normalizer, Profile, events_in_body, render_normalized, to_utf8};
//!
//! // A body as Windows sends it: UTF-16LE with a BOM, events in CDATA.
//! let body = "<w:Events xmlns:w='http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd'>\
//!   <w:Event Action='http://schemas.dmtf.org/wbem/wsman/1/wsman/Event'><![CDATA[\
//!   <Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
//!   <Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>4624</EventID>\
//!   <Channel>Security</Channel><Computer>host</Computer></System><EventData>\
//!   <Data Name='LogonType'>3</Data></EventData></Event>]]></w:Event></w:Events>";
//! let mut bytes = vec![0xFF, 0xFE];
//! bytes.extend(body.encode_utf16().flat_map(u16::to_le_bytes));
//!
//! let mut scratch = String::new(); // reused across bodies
//! let text = to_utf8(&bytes, Charset::Auto, &mut scratch)?;
//! let mut normalizer = Normalizer::default();
//! let mut out = Vec::new();
//! for item in events_in_body(text) {
//!     let item = item?;
//!     let event = normalizer.normalize(&item.xml); // never fails
//!     render_normalized(&event, Profile::Flat, None, &mut out);
//!     out.push(b'\n');
//! }
//! assert_eq!(
//!     String::from_utf8(out).unwrap(),
//!     "{\"EventID\":4624,\"Channel\":\"Security\",\"Provider_Name\":\"Microsoft-Windows-Security-Auditing\",\
//!      \"Computer\":\"host\",\"LogonType\":\"3\"}\n"
//! );
//! # Ok::<(), evtxml::Error>(())
//! ```
//!
//! # Sans-IO contract
//!
//! The crate does no I/O, spawns no thread, reads no clock and draws no randomness. Inputs are
//! `&str`/`&[u8]`; outputs are values or bytes appended to a caller-owned `Vec<u8>`. Collector
//! metadata (peer address, identity, subscription, time received) is passed in by the host
//! ([`Metadata`]), never looked up.
//!
//! # Encodings
//!
//! [`to_utf8`] decides the encoding from the BOM or the declared charset ([`Charset`]) and
//! transcodes UTF-16 (LE or BE) once into a reused `String`; UTF-8 is borrowed as is. After that
//! everything borrows: [`events_in_body`] yields each item's event as a `Cow` (borrowed from
//! CDATA or inline XML, unescaped only when the item carried escaped text), and [`Event`]
//! fields are `Cow<'a, str>` borrowed from the event text unless references had to be resolved.
//!
//! # The record
//!
//! [`System`] has every field of the event schema, typed, each number/time/GUID keeping the
//! text exactly as written beside its parsed value ([`Num`], [`Time`], [`Guid`]): precision of
//! 3, 6, 7 or 9 fractional digits, brace style and case survive. The payload ([`Payload`]) is
//! `EventData` (ordered [`DataItem`]s: names optional, duplicates, unnamed and empty items kept,
//! plus `Binary`), `UserData` (an element tree: namespaces, attributes, order kept),
//! `DebugData` or `ProcessingErrorData`. [`RenderingInfo`] holds the `RenderedText` part.
//! Values keep significant whitespace and CR/LF. Elements the schema does not define are kept
//! (in `other` lists) and reported.
//!
//! # Tolerance and errors
//!
//! [`Normalizer::normalize`] is total. Real forwarders send truncated `RenderingInfo`,
//! characters XML 1.0 forbids (U+0005 inside a value), unknown elements: such events come back
//! [`Normalized::Recovered`] with the list of [`Repair`]s (the complete sections are kept; a
//! truncated section keeps the fields that were complete). When no `System` block can be read,
//! the result is [`Normalized::RawOnly`] with the [`Error`] and the raw text, which every
//! profile still renders as one JSON object, so one bad event never loses the others.
//! [`parse_event`] is the strict variant: any repair is an error.
//!
//! DTDs are refused ([`Error::Dtd`]); only XML's five predefined entities and character
//! references are resolved. Errors carry positions and kinds, never event content.
//!
//! # Limits
//!
//! [`Limits`] (`Copy + Default`) bounds the event size (`max_event_bytes`, 1 MiB), element
//! depth (`max_depth`, 64; element trees are parsed iteratively), the number of items
//! (`max_items`, 4096), the length of one text (`max_text_bytes`, 512 KiB) and attributes per
//! element (`max_attributes`, 64). Exceeding one is [`Error::Limit`] naming it; nothing is
//! silently truncated. Work is linear in the input.
//!
//! # Panic policy
//!
//! No input may panic: bytes, XML, limits or call order. The workspace lints forbid indexing,
//! unchecked arithmetic and `as` casts; fuzz oracles (`testkit::oracles::evtxml`) and property
//! tests enforce it. A panic is a bug.
//!
//! # Profiles
//!
//! All profiles write one JSON object with a stable key order (the order listed below; absent
//! values are left out). Metadata, when given, is rendered in each profile's own convention.
//! For a [`Normalized::RawOnly`] result each profile writes an error record carrying the reason
//! and the raw text.
//!
//! ## `canonical` (lossless)
//!
//! Read back by [`read_canonical`] into the same record.
//!
//! ```text
//! { "System": { "Provider": {"Name","Guid","EventSourceName"}, "EventID", "Qualifiers",
//!               "Version", "Level", "Task", "Opcode", "Keywords" (string as written),
//!               "TimeCreated": {"SystemTime","RawTime"}, "EventRecordID",
//!               "Correlation": {"ActivityID","RelatedActivityID"},
//!               "Execution": {"ProcessID","ThreadID","ProcessorID","SessionID","KernelTime",
//!                             "UserTime","ProcessorTime"},
//!               "Channel", "Computer", "Container", "Security": {"UserID"}, "Other": [element] },
//!   "EventData": {"Name", "Data": [{"Name","Value"}], "Binary", "Other": [element]}
//!   | "UserData": [node] | "DebugData": [{"Name","Value"}]
//!   | "ProcessingErrorData": {"ErrorCode","DataItemName","EventPayload"},
//!   "RenderingInfo": {"Culture","Message","Level","Task","Opcode","Channel","Provider","Keywords":[..]},
//!   "Other": [element],
//!   "Normalization": {"Status":"recovered","Repairs":[{"Kind","Section","Offset","Message"}]},
//!   "Metadata": {"PeerAddress","Principal","Client","Node",
//!                "Subscription":{"Name","Uuid","Version","Uri","ClientRevision","ServerRevision"},
//!                "TimeReceived"} }
//! element := {"Name" (qualified, as written), "Namespace", "Attributes":[{"Name","Value"}],
//!             "Children":[node]}      node := element | "text"
//! ```
//!
//! Numbers are JSON numbers when their text is plain decimal, else the verbatim string (so
//! `"0012"` survives). A raw-only result is `{"Normalization":{"Status":"raw_only","Error":
//! {"Kind","Message"}},"Raw":"…","Metadata":{…}}`.
//!
//! ## `openwec`
//!
//! OpenWEC's `Json` format (its `doc/formats.md`), checked against OpenWEC's own outputs:
//! `System` (with `EventIDQualifiers`, `TimeCreated` as a string, `UserID` from `Security`),
//! `EventData` as an object of named items (a repeated name keeps its last value) plus `Data`
//! (non-empty unnamed items) and `Binary`; `UserData` as its XML text; `DebugData`,
//! `ProcessingErrorData`; `RenderingInfo` without empty strings; and, when metadata is given,
//! `"OpenWEC": {"IpAddress","TimeReceived" (UTC, `+00:00`),"Principal","Client","Node",
//! "Subscription":{"Uuid","Version","Name","Uri","ClientRevision","ServerRevision"}}`.
//! A recovered (truncated) event adds `OpenWEC.Error {"OriginalContent","Type":
//! "RawContentRecovered","Message"}`; a raw-only one is `{"OpenWEC":{…,"Error":{…,"Type":
//! "FailedToRecoverRawContent"}}}`.
//!
//! ## `nxlog`
//!
//! A flat record shaped like NXLog `im_msvistalog` (and OpenWEC's `Nxlog` format):
//! `EventTime`, `Hostname`, `Keywords` (a signed 64-bit integer, as NXLog writes it),
//! `EventType` (`AUDIT_SUCCESS`/`AUDIT_FAILURE` from the audit keywords, else `CRITICAL`,
//! `ERROR`, `WARNING`, `INFO`, `VERBOSE` from the level), `SeverityValue` (1–5) and
//! `Severity`, `EventID`, `SourceName` (`EventSourceName` for classic sources, else the
//! provider), `ProviderGuid`, `Version`, `Task`, `OpcodeValue`, `RecordNumber`, `ActivityID`,
//! `RelatedActivityID`, `ProcessID`, `ThreadID`, `Channel`, `UserID`, then `Category`,
//! `Opcode`, `Message` when rendered, then each `EventData` item under its name (a repeated name
//! becomes an array; a name equal to a fixed field is written `EventData.<Name>`; unnamed items
//! go to a `Data` array), `UserData` leaves under their element names. Metadata adds
//! `EventReceivedTime` and OpenWEC's `OpenWEC` block.
//!
//! ## `ecs`
//!
//! Winlogbeat-compatible `winlog.*` plus ECS fields, with the Security-module enrichments; see
//! the [`ecs`] module.
//!
//! ## `flat`
//!
//! Sigma/Hayabusa names, one level: `EventID` (number), `Channel`, `Provider_Name`, `Computer`,
//! `EventRecordID`, `TimeCreated`, `Level`, `Keywords`, then every `EventData` item under its
//! own `Name`, verbatim (a repeated name becomes an array in document order; an unnamed item is
//! `param<N>`, N its 1-based position among the items; a name equal to a fixed key is written
//! `EventData.<Name>`), `Binary`, `UserData.<path>` for each `UserData` leaf (and
//! `UserData.<path>.<attribute>`), `DebugData.<Field>`, `ProcessingErrorData.<Field>`.
//! Metadata adds `Collector_IpAddress`, `Collector_Principal`, `Collector_Node`,
//! `Collector_Subscription`, `Collector_SubscriptionId`, `Collector_TimeReceived`. A raw-only
//! result is `{"Normalization_Status":"raw_only","Normalization_Error","Raw"}`.
//!
//! # Design note: the XML reader
//!
//! Events are tokenized by a small purpose-built lexer over the already-decoded `&str`
//! (memchr/SWAR searches, borrowed slices, namespace declarations resolved once each) rather
//! than quick-xml's `NsReader`: measured on the shared corpus, `NsReader` (UTF-8 re-validation
//! per token, text split at every reference, general namespace bookkeeping) made parse + JSON
//! no faster than the roxmltree DOM baseline. Elements are still matched on (namespace, local
//! name), end tags are checked, DTDs refused. quick-xml still iterates WS-Management bodies
//! ([`events_in_body`]). `tests/differential.rs` pins the lexer to roxmltree on every corpus
//! event, and the fuzz oracles check it never panics.
//!
//! In front of the general token-by-token path sit fast paths for the shapes Windows renders:
//! the `System` fields in their usual order (numbers, GUIDs and timestamps read straight from
//! the bytes), runs of `<Data Name="…">` items, `UserData` leaves, and the root and section
//! tags. Each accepts only input it reads exactly as the general path would, and hands
//! anything else (references to resolve, odd spacing, unknown attributes, values that do not
//! parse, limits about to be hit) to the general path; a property test checks that both paths
//! give the same event, repairs and errors.
//!
//! # Features
//!
//! - `serde` (default): [`read_canonical`], reading `canonical` JSON back (serde_json). Writing
//!   JSON needs no dependency and is always available.
#![forbid(unsafe_code)]

mod body;
mod charset;
pub mod ecs;
mod error;
mod event;
pub mod json;
mod lexer;
mod limits;
mod metadata;
mod normalize;
mod owned;
mod parse;
mod profile;
pub mod security;
mod swar;
mod time;

pub use body::{BodyEvent, EventSlices, WSMAN_NS, events_in_body, events_in_body_with};
pub use charset::{Charset, to_utf8};
pub use error::{Error, Section};
pub use event::{
    Attribute, Correlation, DataItem, DebugData, EVENT_NS, Element, Event, EventData, Execution,
    Guid, Node, Num, Payload, ProcessingErrorData, Provider, RenderingInfo, Security, System, Time,
    TimeCreated, UserData,
};
pub use limits::{Limit, Limits};
pub use metadata::Metadata;
pub use normalize::{Normalized, Normalizer, Repair, RepairKind, parse_event};
#[cfg(feature = "serde")]
pub use profile::canonical_read::read_canonical;
pub use profile::{Profile, UnknownProfile, render, render_normalized};
pub use time::Timestamp;

//! Rendered Windows event XML, parsed losslessly and projected into JSON.
//!
//! This crate parses one rendered `<Event>` document (or the events inside a WS-Management
//! `Events` body) into a lossless typed record that borrows from its input ([`Event`]), reports
//! what it had to repair ([`Normalized`]), and projects the record into JSON profiles
//! ([`Profile`]: `canonical`, `openwec`, `nxlog`, `ecs`, `flat`).
#![forbid(unsafe_code)]

mod body;
mod charset;
pub mod ecs;
mod error;
mod event;
pub mod json;
mod limits;
mod metadata;
mod normalize;
mod parse;
mod profile;
pub mod security;
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

//! JSON projections ("profiles") of an [`Event`], all written through one
//! [`JsonWriter`](crate::json::JsonWriter) with a stable key order.
//!
//! See the crate documentation for the shape of each profile.

use crate::event::Event;
use crate::json::JsonWriter;
use crate::metadata::Metadata;
use crate::normalize::Normalized;

pub(crate) mod canonical;
#[cfg(feature = "serde")]
pub(crate) mod canonical_read;
pub(crate) mod flat;
mod keyset;
pub(crate) mod nxlog;
pub(crate) mod openwec;
pub(crate) mod xml;

/// A JSON projection of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Profile {
    /// wefkit's own lossless shape; [`read_canonical`](crate::read_canonical) reads it back.
    #[default]
    Canonical,
    /// Field-compatible with OpenWEC's `Json` format.
    Openwec,
    /// A flat NXLog `im_msvistalog`-style record.
    Nxlog,
    /// Winlogbeat-compatible `winlog.*` plus ECS fields.
    Ecs,
    /// Sigma/Hayabusa field names, one level deep.
    Flat,
}

impl Profile {
    /// Every profile, in documentation order.
    pub const ALL: [Self; 5] = [
        Self::Canonical,
        Self::Openwec,
        Self::Nxlog,
        Self::Ecs,
        Self::Flat,
    ];

    /// The profile's name as used on the command line (`canonical`, `openwec`, …).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Canonical => "canonical",
            Self::Openwec => "openwec",
            Self::Nxlog => "nxlog",
            Self::Ecs => "ecs",
            Self::Flat => "flat",
        }
    }
}

impl core::fmt::Display for Profile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing a [`Profile`] name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown profile (expected canonical, openwec, nxlog, ecs or flat)")]
pub struct UnknownProfile;

impl core::str::FromStr for Profile {
    type Err = UnknownProfile;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(s))
            .ok_or(UnknownProfile)
    }
}

/// Appends one JSON object (no trailing newline) for `event` in `profile` to `out`.
///
/// ```
/// let xml = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>\
///            <System><EventID>4624</EventID><Channel>Security</Channel></System></Event>";
/// let event = evtxml::parse_event(xml, &evtxml::Limits::default()).unwrap();
/// let mut out = Vec::new();
/// evtxml::render(&event, evtxml::Profile::Flat, None, &mut out);
/// assert_eq!(out, br#"{"EventID":4624,"Channel":"Security"}"#);
/// ```
pub fn render(event: &Event<'_>, profile: Profile, meta: Option<&Metadata>, out: &mut Vec<u8>) {
    let mut w = JsonWriter::new(out);
    write_event(event, profile, meta, &mut w);
}

fn write_event(
    event: &Event<'_>,
    profile: Profile,
    meta: Option<&Metadata>,
    w: &mut JsonWriter<'_>,
) {
    match profile {
        Profile::Canonical => canonical::write(event, meta, None, w),
        Profile::Openwec => openwec::write(event, meta, w),
        Profile::Nxlog => nxlog::write(event, meta, w),
        Profile::Ecs => crate::ecs::render_ecs(event, meta, w),
        Profile::Flat => flat::write(event, meta, w),
    }
}

/// Appends one JSON object for a [`Normalized`] result.
///
/// `Clean` and `Recovered` events are rendered as by [`render`]; `canonical` additionally
/// carries a `"Normalization"` member for recovered events. A `RawOnly` result becomes the
/// profile's error record (see the crate docs): it always carries the reason and the raw text,
/// so no event is lost.
pub fn render_normalized(
    n: &Normalized<'_>,
    profile: Profile,
    meta: Option<&Metadata>,
    out: &mut Vec<u8>,
) {
    let mut w = JsonWriter::new(out);
    match n {
        Normalized::Clean(event) => write_event(event, profile, meta, &mut w),
        Normalized::Recovered {
            event,
            repairs,
            raw,
        } => match profile {
            Profile::Canonical => canonical::write(event, meta, Some(repairs), &mut w),
            Profile::Openwec => match repairs.iter().find_map(|r| match r.kind {
                crate::RepairKind::Truncated(e) => Some(e),
                _ => None,
            }) {
                Some(e) => openwec::write_with_error(
                    event,
                    meta,
                    Some((raw, "RawContentRecovered", &e.to_string())),
                    &mut w,
                ),
                None => openwec::write(event, meta, &mut w),
            },
            _ => write_event(event, profile, meta, &mut w),
        },
        Normalized::RawOnly { raw, error } => match profile {
            Profile::Openwec => openwec::write_raw(raw, error, meta, &mut w),
            Profile::Canonical => canonical::write_raw(raw, error, meta, &mut w),
            Profile::Nxlog => nxlog::write_raw(raw, error, meta, &mut w),
            Profile::Ecs => write_raw_ecs(raw, error, meta, &mut w),
            Profile::Flat => flat::write_raw(raw, error, meta, &mut w),
        },
    }
}

/// The ECS error record: `event.kind = "pipeline_error"`, `error.*`, `event.original`.
fn write_raw_ecs(raw: &str, error: &crate::Error, meta: Option<&Metadata>, w: &mut JsonWriter<'_>) {
    crate::ecs::render_raw_ecs(raw, error, meta, w);
}

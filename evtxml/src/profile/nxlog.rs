//! The `nxlog` profile.

use crate::event::Event;
use crate::json::JsonWriter;
use crate::metadata::Metadata;

pub(crate) fn write(event: &Event<'_>, meta: Option<&Metadata>, w: &mut JsonWriter<'_>) {
    let _ = (event, meta);
    w.begin_object();
    w.end_object();
}

pub(crate) fn write_raw(
    raw: &str,
    error: &crate::Error,
    meta: Option<&Metadata>,
    w: &mut JsonWriter<'_>,
) {
    let _ = (raw, error, meta);
    w.begin_object();
    w.end_object();
}

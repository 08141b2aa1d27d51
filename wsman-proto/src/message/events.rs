//! The `w:Events` body: a batch of events, each with its own `Action`.
//!
//! This is the general path, over an envelope already transcoded and parsed. For received
//! bytes, [`wire::decode`](crate::message::wire::decode) gives the same events without
//! transcoding or parsing their payloads.

use std::borrow::Cow;

use crate::envelope::Element;
use crate::envelope::writer::XmlWriter;
use crate::error::{Error, Limit, LimitError, PeerError};
use crate::limits::Limits;
use crate::ns;

/// How an event's XML was carried inside its `w:Event` element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PayloadForm {
    /// `<![CDATA[<Event …>…</Event>]]>` (the subscription's `CDATA` option): borrowed.
    Cdata,
    /// The event element itself as child markup: borrowed verbatim.
    Markup,
    /// Escaped text (`&lt;Event …`): borrowed when nothing needed unescaping, else owned.
    Escaped,
}

/// One `w:Event` of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventItem<'a> {
    /// The `Action` attribute (normally [`Action::EVENT`](crate::Action::EVENT)).
    pub action: Option<Cow<'a, str>>,
    /// The event XML (`<Event xmlns=…>…</Event>`), borrowed from the envelope text except for
    /// escaped text that contained references.
    pub xml: Cow<'a, str>,
    /// How it was carried.
    pub form: PayloadForm,
}

/// The events of an `Events` message, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Events<'a> {
    /// The items.
    pub items: Vec<EventItem<'a>>,
}

fn payload<'a>(e: &Element<'_, 'a>) -> Result<(Cow<'a, str>, PayloadForm), Error> {
    if let Some(data) = e.single_cdata() {
        return Ok((Cow::Borrowed(data), PayloadForm::Cdata));
    }
    let inner = e.inner_xml();
    let trimmed = inner.trim_matches(crate::envelope::tree::is_xml_ws);
    if let Some(rest) = trimmed.strip_prefix("<![CDATA[") {
        if let Some(body) = rest.strip_suffix("]]>") {
            if !body.contains("]]>") {
                return Ok((Cow::Borrowed(body), PayloadForm::Cdata));
            }
        }
        // Several CDATA sections: join them.
        return Ok((e.text()?, PayloadForm::Cdata));
    }
    if trimmed.starts_with('<') && !trimmed.starts_with("<!--") {
        return Ok((Cow::Borrowed(trimmed), PayloadForm::Markup));
    }
    if !trimmed.contains('&') && !trimmed.contains('<') {
        return Ok((Cow::Borrowed(trimmed), PayloadForm::Escaped));
    }
    let t = e.text()?;
    let t = match t {
        Cow::Borrowed(b) => Cow::Borrowed(b.trim_matches(crate::envelope::tree::is_xml_ws)),
        Cow::Owned(o) => Cow::Owned(o.trim_matches(crate::envelope::tree::is_xml_ws).to_owned()),
    };
    Ok((t, PayloadForm::Escaped))
}

impl<'a> Events<'a> {
    /// Reads a `w:Events` element.
    ///
    /// # Errors
    /// [`LimitError`] beyond `max_events` items; [`PeerError`] for foreign children.
    pub fn from_element(e: &Element<'_, 'a>, limits: &Limits) -> Result<Self, Error> {
        let mut items = Vec::new();
        for c in e.children() {
            if !c.is(ns::WSMAN, "Event") {
                return Err(PeerError::Unexpected {
                    what: "element in w:Events",
                    offset: c.offset(),
                }
                .into());
            }
            if items.len() >= limits.max_events {
                return Err(LimitError {
                    limit: Limit::Events,
                    max: limits.max_events,
                    offset: c.offset(),
                }
                .into());
            }
            let (xml, form) = payload(&c)?;
            items.push(EventItem {
                action: c.attr("", "Action")?,
                xml,
                form,
            });
        }
        Ok(Self { items })
    }

    pub(crate) fn render(&self, w: &mut XmlWriter<'_>) {
        w.start("w:Events", &[]);
        for it in &self.items {
            match &it.action {
                Some(a) => w.start("w:Event", &[("Action", a)]),
                None => w.start("w:Event", &[]),
            }
            match it.form {
                PayloadForm::Cdata => w.cdata(&it.xml),
                PayloadForm::Markup => w.raw(&it.xml),
                PayloadForm::Escaped => w.text(&it.xml),
            }
            w.end("w:Event");
        }
        w.end("w:Events");
    }
}

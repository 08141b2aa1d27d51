//! Bookmarks: where a source is in each channel.
//!
//! Windows sends, in the `w:Bookmark` header of an `Events` message, and the collector sends back
//! in the `Subscribe` of the next `EnumerateResponse`:
//!
//! ```xml
//! <BookmarkList>
//!   <Bookmark Channel="Microsoft-Windows-WinRM/Operational" RecordId="149161" IsCurrent="true"/>
//! </BookmarkList>
//! ```
//!
//! A new subscription that must read existing events starts from the sentinel
//! [`BOOKMARK_EARLIEST`] (DSP0226 10.2.6).

use std::borrow::Cow;

use crate::envelope::Document;
use crate::envelope::writer::escape_attr;
use crate::error::{Error, PeerError};
use crate::limits::Limits;

/// DSP0226: "start from the earliest available event".
pub const BOOKMARK_EARLIEST: &str = "http://schemas.dmtf.org/wbem/wsman/1/wsman/bookmark/earliest";

/// One `<Bookmark>` of a `BookmarkList`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelBookmark<'a> {
    /// `Channel` attribute.
    pub channel: Cow<'a, str>,
    /// `RecordId` attribute.
    pub record_id: u64,
    /// `IsCurrent` attribute: the bookmark of the channel the last event came from.
    pub is_current: bool,
}

/// What a `w:Bookmark` holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bookmark<'a> {
    /// The `…/bookmark/earliest` sentinel.
    Earliest,
    /// A `BookmarkList`.
    List(Vec<ChannelBookmark<'a>>),
}

impl<'a> Bookmark<'a> {
    /// Parses the inner XML of a `w:Bookmark` (as kept in
    /// [`Headers::bookmark`](crate::Headers::bookmark)).
    ///
    /// ```
    /// use wsman_proto::bookmark::Bookmark;
    /// let b = Bookmark::parse(r#"<BookmarkList><Bookmark Channel="Security" RecordId="42" IsCurrent="true"/></BookmarkList>"#)?;
    /// let Bookmark::List(list) = &b else { panic!() };
    /// assert_eq!((list[0].channel.as_ref(), list[0].record_id, list[0].is_current), ("Security", 42, true));
    /// assert_eq!(Bookmark::parse(&b.render())?, b);
    /// # Ok::<(), wsman_proto::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`PeerError`] for malformed XML or attributes.
    pub fn parse(xml: &'a str) -> Result<Self, Error> {
        let t = xml.trim();
        if t == BOOKMARK_EARLIEST {
            return Ok(Self::Earliest);
        }
        let limits = Limits::default();
        let doc = Document::parse(t, &limits)?;
        let root = doc.root();
        if root.local_name() != "BookmarkList" {
            return Err(PeerError::Missing {
                element: "BookmarkList",
                offset: root.offset(),
            }
            .into());
        }
        let mut list = Vec::new();
        for b in root.children().filter(|b| b.local_name() == "Bookmark") {
            let channel = b.attr("", "Channel")?.ok_or(PeerError::Missing {
                element: "Bookmark/@Channel",
                offset: b.offset(),
            })?;
            let record_id = b
                .attr("", "RecordId")?
                .and_then(|r| r.trim().parse().ok())
                .ok_or(PeerError::Invalid {
                    what: "Bookmark/@RecordId",
                    offset: b.offset(),
                })?;
            let is_current = matches!(b.attr("", "IsCurrent")?.as_deref(), Some("true" | "1"));
            // Attribute values borrow from `t`, which borrows from `xml`.
            list.push(ChannelBookmark {
                channel: Cow::Owned(channel.into_owned()),
                record_id,
                is_current,
            });
        }
        Ok(Self::List(list))
    }

    /// Renders the inner XML of a `w:Bookmark`.
    pub fn render(&self) -> String {
        match self {
            Self::Earliest => BOOKMARK_EARLIEST.to_owned(),
            Self::List(list) => {
                let mut s = String::from("<BookmarkList>");
                for b in list {
                    s.push_str("<Bookmark Channel=\"");
                    escape_attr(&b.channel, &mut s);
                    s.push_str("\" RecordId=\"");
                    s.push_str(&b.record_id.to_string());
                    s.push('"');
                    if b.is_current {
                        s.push_str(" IsCurrent=\"true\"");
                    }
                    s.push_str("/>");
                }
                s.push_str("</BookmarkList>");
                s
            }
        }
    }
}

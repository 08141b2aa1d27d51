//! The lossless record of one rendered event.
//!
//! Field names follow the event schema
//! (`http://schemas.microsoft.com/win/2004/08/events/event`, `event.xsd`): an `Event` holds a
//! `System` block, at most one payload (`EventData`, `UserData`, `DebugData` or
//! `ProcessingErrorData`), and optionally `RenderingInfo`.
//!
//! Every textual value is a [`Cow<'a, str>`] that borrows from the parsed input unless the XML
//! carried entity or character references that had to be resolved. Numbers, times and GUIDs keep
//! the text exactly as written ([`Num::raw`], [`Time::raw`], [`Guid::raw`]) beside their parsed
//! form, so nothing (leading zeros, precision, brace style, case) is lost.

use std::borrow::Cow;

/// The namespace of the event schema.
pub const EVENT_NS: &str = "http://schemas.microsoft.com/win/2004/08/events/event";

/// One rendered Windows event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event<'a> {
    /// The `System` block.
    pub system: System<'a>,
    /// The payload: `EventData`, `UserData`, `DebugData`, `ProcessingErrorData`, or none.
    pub payload: Payload<'a>,
    /// `RenderingInfo` when the event was rendered with its message (WEF `RenderedText`).
    pub rendering_info: Option<RenderingInfo<'a>>,
    /// Children of `Event` the schema does not define (or a second payload), kept in order.
    pub other: Vec<Element<'a>>,
}

/// A number as written plus its parsed value.
///
/// `value` is `None` when `raw` is not a number of the expected width (the event is then
/// [`Recovered`](crate::Normalized::Recovered)).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Num<'a, T> {
    /// The text exactly as written.
    pub raw: Cow<'a, str>,
    /// The parsed value.
    pub value: Option<T>,
}

/// A timestamp as written plus its parsed form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Time<'a> {
    /// The text exactly as written (precision kept: 3, 6, 7 or 9 fractional digits occur).
    pub raw: Cow<'a, str>,
    /// The parsed value, `None` when `raw` is not an ISO 8601 UTC timestamp.
    pub value: Option<crate::time::Timestamp>,
}

/// A GUID as written (with or without braces, any case) plus its value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Guid<'a> {
    /// The text exactly as written.
    pub raw: Cow<'a, str>,
    /// The 128-bit value in the textual (big-endian, as printed) order; `None` when malformed.
    pub value: Option<u128>,
}

/// The `System` block: every field of the event schema.
///
/// Elements that were absent are `None`; an element present but empty (`<Task></Task>`) is
/// `Some` with an empty `raw`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct System<'a> {
    /// `Provider`.
    pub provider: Option<Provider<'a>>,
    /// `EventID` text.
    pub event_id: Option<Num<'a, u32>>,
    /// `EventID Qualifiers=` (classic event sources).
    pub qualifiers: Option<Num<'a, u32>>,
    /// `Version`.
    pub version: Option<Num<'a, u8>>,
    /// `Level`.
    pub level: Option<Num<'a, u8>>,
    /// `Task`.
    pub task: Option<Num<'a, u16>>,
    /// `Opcode`.
    pub opcode: Option<Num<'a, u8>>,
    /// `Keywords` (hexadecimal, `0x…`).
    pub keywords: Option<Num<'a, u64>>,
    /// `TimeCreated`.
    pub time_created: Option<TimeCreated<'a>>,
    /// `EventRecordID`.
    pub event_record_id: Option<Num<'a, u64>>,
    /// `Correlation` (present but empty is `Some(Correlation::default())`).
    pub correlation: Option<Correlation<'a>>,
    /// `Execution`.
    pub execution: Option<Execution<'a>>,
    /// `Channel`.
    pub channel: Option<Cow<'a, str>>,
    /// `Computer`.
    pub computer: Option<Cow<'a, str>>,
    /// `Container` (Windows containers).
    pub container: Option<Cow<'a, str>>,
    /// `Security` (present but without `UserID` is `Some(Security { user_id: None })`).
    pub security: Option<Security<'a>>,
    /// Elements in `System` the schema does not define, kept in order.
    pub other: Vec<Element<'a>>,
}

/// `System/Provider`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Provider<'a> {
    /// `Name=`.
    pub name: Option<Cow<'a, str>>,
    /// `Guid=`.
    pub guid: Option<Guid<'a>>,
    /// `EventSourceName=` (classic event sources).
    pub event_source_name: Option<Cow<'a, str>>,
}

/// `System/TimeCreated`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TimeCreated<'a> {
    /// `SystemTime=`.
    pub system_time: Option<Time<'a>>,
    /// `RawTime=` (a FILETIME, rarely rendered).
    pub raw_time: Option<Num<'a, u64>>,
}

/// `System/Correlation`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Correlation<'a> {
    /// `ActivityID=`.
    pub activity_id: Option<Guid<'a>>,
    /// `RelatedActivityID=`.
    pub related_activity_id: Option<Guid<'a>>,
}

/// `System/Execution`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Execution<'a> {
    /// `ProcessID=`.
    pub process_id: Option<Num<'a, u32>>,
    /// `ThreadID=`.
    pub thread_id: Option<Num<'a, u32>>,
    /// `ProcessorID=`.
    pub processor_id: Option<Num<'a, u32>>,
    /// `SessionID=`.
    pub session_id: Option<Num<'a, u32>>,
    /// `KernelTime=`.
    pub kernel_time: Option<Num<'a, u64>>,
    /// `UserTime=`.
    pub user_time: Option<Num<'a, u64>>,
    /// `ProcessorTime=`.
    pub processor_time: Option<Num<'a, u64>>,
}

/// `System/Security`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Security<'a> {
    /// `UserID=` (a SID string).
    pub user_id: Option<Cow<'a, str>>,
}

/// The event payload.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Payload<'a> {
    /// No payload element.
    #[default]
    None,
    /// `EventData`: ordered `Data` items and `Binary`.
    EventData(EventData<'a>),
    /// `UserData`: an element tree in the provider's namespace.
    UserData(UserData<'a>),
    /// `DebugData` (WPP/debug channels).
    DebugData(DebugData<'a>),
    /// `ProcessingErrorData`: the event could not be rendered with its template.
    ProcessingErrorData(ProcessingErrorData<'a>),
}

/// `EventData`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventData<'a> {
    /// `EventData Name=` (some classic events name the message).
    pub name: Option<Cow<'a, str>>,
    /// The `Data` items in document order; duplicates, unnamed and empty items kept.
    pub items: Vec<DataItem<'a>>,
    /// `Binary` (hexadecimal text as written).
    pub binary: Option<Cow<'a, str>>,
    /// Other children (`ComplexData`, unknown elements) in order.
    pub other: Vec<Element<'a>>,
}

/// One `EventData/Data` item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DataItem<'a> {
    /// `Name=`, absent for classic (unnamed) insertion strings.
    pub name: Option<Cow<'a, str>>,
    /// The value, whitespace and CR/LF kept.
    pub value: Cow<'a, str>,
}

/// `UserData`: the payload element(s), as a tree.
#[derive(Debug, Clone, Default)]
pub struct UserData<'a> {
    /// The children of `UserData` (normally one element), in order.
    pub children: Vec<Node<'a>>,
    /// The inner XML of `UserData` exactly as it appeared in the input, when parsed from XML.
    ///
    /// A convenience view for profiles that forward the XML (OpenWEC does); it is not part of
    /// the record's identity and is ignored by `==`.
    pub raw: Option<&'a str>,
}

impl PartialEq for UserData<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.children == other.children
    }
}
impl Eq for UserData<'_> {}

/// A node of an element tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node<'a> {
    /// An element.
    Element(Element<'a>),
    /// Character data (entity references resolved; whitespace kept).
    Text(Cow<'a, str>),
}

/// An XML element, namespaces, attributes and order kept.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element<'a> {
    /// The qualified name as written (`prefix:local` or `local`).
    pub name: Cow<'a, str>,
    /// The namespace URI the name resolves to, if any.
    pub namespace: Option<Cow<'a, str>>,
    /// Attributes in document order, including `xmlns` declarations.
    pub attributes: Vec<Attribute<'a>>,
    /// Children in document order.
    pub children: Vec<Node<'a>>,
}

/// An attribute of an [`Element`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attribute<'a> {
    /// The qualified name as written.
    pub name: Cow<'a, str>,
    /// The value, references resolved.
    pub value: Cow<'a, str>,
}

/// `DebugData`: its child elements as ordered (name, value) fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DebugData<'a> {
    /// `SequenceNumber`, `FlagsName`, `LevelName`, `Component`, `SubComponent`, `FileLine`,
    /// `Function`, `Message`, … in document order.
    pub fields: Vec<DataItem<'a>>,
}

/// `ProcessingErrorData`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProcessingErrorData<'a> {
    /// `ErrorCode` (a Win32 error).
    pub error_code: Option<Num<'a, u32>>,
    /// `DataItemName`.
    pub data_item_name: Option<Cow<'a, str>>,
    /// `EventPayload` (hexadecimal).
    pub event_payload: Option<Cow<'a, str>>,
}

/// `RenderingInfo` (the `RenderedText` part of a forwarded event).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RenderingInfo<'a> {
    /// `Culture=`.
    pub culture: Option<Cow<'a, str>>,
    /// `Message`.
    pub message: Option<Cow<'a, str>>,
    /// `Level` (display name).
    pub level: Option<Cow<'a, str>>,
    /// `Task` (display name).
    pub task: Option<Cow<'a, str>>,
    /// `Opcode` (display name).
    pub opcode: Option<Cow<'a, str>>,
    /// `Channel` (display name).
    pub channel: Option<Cow<'a, str>>,
    /// `Provider` (display name).
    pub provider: Option<Cow<'a, str>>,
    /// `Keywords/Keyword` display names; `Some(vec![])` for `<Keywords/>`.
    pub keywords: Option<Vec<Cow<'a, str>>>,
}

impl<'a> Event<'a> {
    /// The numeric `EventID`, when present and valid.
    pub fn event_id(&self) -> Option<u32> {
        self.system.event_id.as_ref().and_then(|n| n.value)
    }

    /// The `EventData` payload, if that is the payload kind.
    pub fn event_data(&self) -> Option<&EventData<'a>> {
        match &self.payload {
            Payload::EventData(d) => Some(d),
            _ => None,
        }
    }

    /// The value of the first `EventData/Data` item named `name`.
    pub fn data(&self, name: &str) -> Option<&str> {
        self.event_data()?.get(name)
    }

    /// `Provider Name=`.
    pub fn provider_name(&self) -> Option<&str> {
        self.system.provider.as_ref()?.name.as_deref()
    }

    /// `Channel`.
    pub fn channel(&self) -> Option<&str> {
        self.system.channel.as_deref()
    }

    /// `Computer`.
    pub fn computer(&self) -> Option<&str> {
        self.system.computer.as_deref()
    }

    /// `TimeCreated SystemTime=` as written.
    pub fn time_created(&self) -> Option<&str> {
        self.system
            .time_created
            .as_ref()?
            .system_time
            .as_ref()
            .map(|t| &*t.raw)
    }

    /// A copy that owns all its strings, independent of the parsed input (the `UserData`
    /// source view, [`UserData::raw`], is dropped).
    ///
    /// ```
    /// let xml = String::from("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>\
    ///     <System><EventID>7</EventID></System></Event>");
    /// let owned = evtxml::parse_event(&xml, &evtxml::Limits::default()).unwrap().into_owned();
    /// drop(xml);
    /// assert_eq!(owned.event_id(), Some(7));
    /// ```
    pub fn into_owned(self) -> Event<'static> {
        crate::owned::event(self)
    }
}

impl<'a> EventData<'a> {
    /// The value of the first item named `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|i| i.name.as_deref() == Some(name))
            .map(|i| &*i.value)
    }
}

impl<'a, T> Num<'a, T> {
    /// A number whose text is `raw` and value `value`.
    pub fn new(raw: impl Into<Cow<'a, str>>, value: Option<T>) -> Self {
        Self {
            raw: raw.into(),
            value,
        }
    }
}

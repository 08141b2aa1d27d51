//! Limits applied while parsing untrusted event XML.

/// Bounds on the work and memory one event may cost. Exceeding one is an
/// [`Error::Limit`](crate::Error::Limit) naming it; nothing is silently truncated.
///
/// ```
/// let limits = evtxml::Limits { max_depth: 16, ..evtxml::Limits::default() };
/// assert_eq!(limits.max_event_bytes, 1 << 20);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted event document, in bytes of UTF-8 (default 1 MiB; Windows caps a
    /// rendered event far below this, and a WEF envelope at 512 000 bytes).
    pub max_event_bytes: usize,
    /// Deepest element nesting, `Event` being depth 1 (default 64).
    pub max_depth: usize,
    /// Most items in one event: `Data` items, `UserData`/unknown elements and text nodes,
    /// `Keyword`s (default 4096).
    pub max_items: usize,
    /// Longest single text or attribute value, in bytes (default 512 KiB).
    pub max_text_bytes: usize,
    /// Most attributes on one element (default 64).
    pub max_attributes: usize,
}

impl Limits {
    /// The default limits, usable in `const` context.
    pub const DEFAULT: Self = Self {
        max_event_bytes: 1 << 20,
        max_depth: 64,
        max_items: 4096,
        max_text_bytes: 512 << 10,
        max_attributes: 64,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Which limit was exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// [`Limits::max_event_bytes`].
    EventBytes,
    /// [`Limits::max_depth`].
    Depth,
    /// [`Limits::max_items`].
    Items,
    /// [`Limits::max_text_bytes`].
    TextBytes,
    /// [`Limits::max_attributes`].
    Attributes,
}

impl Limit {
    /// The field name in [`Limits`].
    pub const fn name(self) -> &'static str {
        match self {
            Self::EventBytes => "max_event_bytes",
            Self::Depth => "max_depth",
            Self::Items => "max_items",
            Self::TextBytes => "max_text_bytes",
            Self::Attributes => "max_attributes",
        }
    }
}

impl core::fmt::Display for Limit {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

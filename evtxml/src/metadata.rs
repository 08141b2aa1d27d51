//! Collector metadata, supplied by the host next to an event.

/// What the collector knows about where an event came from. All values are host-supplied
/// strings, rendered by each profile in its own convention; `None` fields are omitted.
///
/// ```
/// let meta = evtxml::Metadata {
///     peer_addr: Some("192.168.58.100:5985".into()),
///     principal: Some("WIN10$@WINDOMAIN.LOCAL".into()),
///     subscription_name: Some("Test".into()),
///     ..Default::default()
/// };
/// assert!(meta.time_received.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Peer address as seen by the collector: `ip`, `ip:port` or `[ipv6]:port`.
    pub peer_addr: Option<String>,
    /// Authenticated identity (Kerberos principal, NTLM user, TLS subject).
    pub principal: Option<String>,
    /// Client identity when it differs from `principal` (OpenWEC's `Client`); defaults to it.
    pub client: Option<String>,
    /// Name of the collector node.
    pub node: Option<String>,
    /// Subscription name.
    pub subscription_name: Option<String>,
    /// Subscription identifier (a UUID).
    pub subscription_uuid: Option<String>,
    /// Subscription version (a UUID).
    pub subscription_version: Option<String>,
    /// Subscription URI.
    pub subscription_uri: Option<String>,
    /// Client revision of the subscription.
    pub client_revision: Option<String>,
    /// Server revision of the subscription.
    pub server_revision: Option<String>,
    /// Time the collector received the event, RFC 3339 (`2022-12-14T17:07:03.324+01:00`).
    pub time_received: Option<String>,
}

impl Metadata {
    /// The IP part of [`peer_addr`](Self::peer_addr) (port and IPv6 brackets removed).
    ///
    /// ```
    /// let m = evtxml::Metadata { peer_addr: Some("[::1]:5985".into()), ..Default::default() };
    /// assert_eq!(m.ip(), Some("::1"));
    /// ```
    pub fn ip(&self) -> Option<&str> {
        self.peer_addr
            .as_deref()
            .map(split_host_port)
            .map(|(h, _)| h)
    }

    /// The port part of [`peer_addr`](Self::peer_addr), if any.
    pub fn port(&self) -> Option<u16> {
        self.peer_addr
            .as_deref()
            .map(split_host_port)
            .and_then(|(_, p)| p)
            .and_then(|p| p.parse().ok())
    }

    /// [`client`](Self::client), else [`principal`](Self::principal).
    pub fn client_or_principal(&self) -> Option<&str> {
        self.client.as_deref().or(self.principal.as_deref())
    }
}

fn split_host_port(s: &str) -> (&str, Option<&str>) {
    if let Some(rest) = s.strip_prefix('[') {
        if let Some((host, tail)) = rest.split_once(']') {
            return (host, tail.strip_prefix(':'));
        }
        return (s, None);
    }
    match s.rsplit_once(':') {
        // One colon: host:port. Several colons without brackets: a bare IPv6 address.
        Some((h, p)) if !h.contains(':') => (h, Some(p)),
        _ => (s, None),
    }
}

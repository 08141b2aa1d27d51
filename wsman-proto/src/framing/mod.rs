//! `multipart/encrypted` session framing (MS-WSMV 2.2.9.1), both directions.
//!
//! A sealed WinRM body, as pypsrp/pywinrm and Windows send it:
//!
//! ```text
//! --Encrypted Boundary\r\n
//! \tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n
//! \tOriginalContent: type=application/soap+xml;charset=UTF-16;Length=<n>\r\n
//! --Encrypted Boundary\r\n
//! \tContent-Type: application/octet-stream\r\n
//! <u32 LE header length><header><sealed data>--Encrypted Boundary--\r\n
//! ```
//!
//! with the HTTP `Content-Type: multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"`
//! (`HTTP-Kerberos-session-encrypted` when the HTTP scheme was `Kerberos`).
//!
//! [`open`] accepts the real variations: with or without the tab before the part headers,
//! quoted or bare boundary, CRLF or LF line ends, with or without a CRLF after the data and
//! after the closing boundary. `OriginalContent`'s type, charset and `Length` are checked;
//! `Length` is the length of the plaintext that was sealed (the SLDC-compressed bytes when the
//! request has `Content-Encoding: SLDC`; pypsrp adds the mechanism's padding, which is
//! accepted too). [`open_wef`] adds the SLDC step with an explicit [`Payload`] outcome.
//!
//! The data part is delimited by the *last* closing boundary in the body, so ciphertext that
//! happens to contain the boundary text cannot cut it short.

use std::fmt;

use crate::auth::{AuthError, Mechanism, SessionSecurity, Wrapped};

/// `application/HTTP-SPNEGO-session-encrypted`.
pub const SPNEGO_PROTOCOL: &str = "application/HTTP-SPNEGO-session-encrypted";
/// `application/HTTP-Kerberos-session-encrypted`.
pub const KERBEROS_PROTOCOL: &str = "application/HTTP-Kerberos-session-encrypted";
/// The boundary every known implementation uses.
pub const DEFAULT_BOUNDARY: &str = "Encrypted Boundary";
/// `OriginalContent` type of a SOAP body.
pub const SOAP_TYPE: &str = "application/soap+xml";

/// Which `multipart/encrypted` protocol a body declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// `application/HTTP-SPNEGO-session-encrypted` (Negotiate: SPNEGO, raw NTLM, raw Kerberos).
    Spnego,
    /// `application/HTTP-Kerberos-session-encrypted` (the `Kerberos` HTTP scheme).
    Kerberos,
}

impl Protocol {
    /// The protocol string.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Spnego => SPNEGO_PROTOCOL,
            Self::Kerberos => KERBEROS_PROTOCOL,
        }
    }

    /// The protocol a mechanism's bodies use.
    #[must_use]
    pub const fn for_mechanism(m: Mechanism) -> Self {
        match m {
            Mechanism::Kerberos => Self::Kerberos,
            _ => Self::Spnego,
        }
    }

    fn parse(s: &str) -> Option<Self> {
        if s.eq_ignore_ascii_case(SPNEGO_PROTOCOL) {
            Some(Self::Spnego)
        } else if s.eq_ignore_ascii_case(KERBEROS_PROTOCOL) {
            Some(Self::Kerberos)
        } else {
            None
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `charset` of `OriginalContent`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Charset {
    /// `UTF-8`.
    Utf8,
    /// `UTF-16` (Windows WEF sources; little-endian with a BOM).
    Utf16,
}

impl Charset {
    /// The name written in `OriginalContent`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf16 => "UTF-16",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        let s = s.trim_matches('"');
        if s.eq_ignore_ascii_case("utf-8") || s.eq_ignore_ascii_case("utf8") {
            Some(Self::Utf8)
        } else if s.eq_ignore_ascii_case("utf-16")
            || s.eq_ignore_ascii_case("utf-16le")
            || s.eq_ignore_ascii_case("utf16")
        {
            Some(Self::Utf16)
        } else {
            None
        }
    }
}

/// Framing limits. `Copy + Default`, safe defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest body [`open`] accepts. Default 16 MiB.
    pub max_body_bytes: usize,
    /// Largest plaintext after SLDC decompression. Default 64 MiB.
    pub max_decompressed_bytes: usize,
    /// Largest signature / wrap-token header. Default 1024.
    pub max_header_bytes: usize,
    /// Largest MIME part-header section. Default 4096.
    pub max_part_headers_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 16 << 20,
            max_decompressed_bytes: 64 << 20,
            max_header_bytes: 1024,
            max_part_headers_bytes: 4096,
        }
    }
}

/// Framing errors: the body's shape, its declared lengths, limits, and the security layer's
/// errors (wrapped). No payload bytes in messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FramingError {
    /// The HTTP `Content-Type` is not `multipart/encrypted`.
    #[error("content type is not multipart/encrypted")]
    NotMultipartEncrypted,
    /// A required `Content-Type` parameter is missing.
    #[error("content type has no {0} parameter")]
    MissingParameter(&'static str),
    /// The `protocol` parameter (or the first part's Content-Type) is not a known one.
    #[error("unknown multipart/encrypted protocol")]
    UnknownProtocol,
    /// The body's protocol does not belong to the security context's mechanism.
    #[error("body protocol {found} does not match the {mechanism} security context")]
    ProtocolMismatch {
        /// What the body declared.
        found: Protocol,
        /// The context's mechanism.
        mechanism: Mechanism,
    },
    /// The MIME structure is wrong.
    #[error("malformed multipart body: {what} at offset {offset}")]
    Malformed {
        /// What was expected.
        what: &'static str,
        /// Byte offset in the body.
        offset: usize,
    },
    /// `OriginalContent` is missing or wrong.
    #[error("bad OriginalContent: {0}")]
    OriginalContent(&'static str),
    /// The sealed data's length does not fit `OriginalContent`'s `Length`.
    #[error("OriginalContent length {declared} does not match the {actual} bytes sealed")]
    LengthMismatch {
        /// The declared `Length`.
        declared: usize,
        /// The sealed data's (or plaintext's) length.
        actual: usize,
    },
    /// A limit was exceeded.
    #[error("{what} exceeds the limit of {limit} bytes")]
    Limit {
        /// Which limit.
        what: &'static str,
        /// Its value.
        limit: usize,
    },
    /// The security layer refused the message.
    #[error("session security failed")]
    Auth(#[from] AuthError),
    /// SLDC decompression failed (other than "not SLDC", which is [`Payload::PassedThrough`]).
    #[error("sldc decompression failed")]
    Sldc(#[source] sldc::Error),
    /// `Content-Encoding` other than SLDC.
    #[error("unsupported content encoding")]
    UnsupportedEncoding,
}

impl FramingError {
    /// The HTTP status a collector should answer with.
    #[must_use]
    pub const fn http_status(&self) -> u16 {
        match self {
            Self::Auth(e) => e.http_status(),
            Self::Limit { .. } => 413,
            Self::UnsupportedEncoding | Self::NotMultipartEncrypted => 415,
            _ => 400,
        }
    }
}

/// How [`seal`] lays the body out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SealOptions<'a> {
    /// `OriginalContent`'s charset. Default UTF-16 (what Windows sends).
    pub charset: Charset,
    /// `OriginalContent`'s type. Default `application/soap+xml`.
    pub original_type: &'a str,
    /// Put a tab before the part headers (pypsrp, pywinrm). Default true.
    pub tab: bool,
    /// The MIME boundary. Default `Encrypted Boundary`.
    pub boundary: &'a str,
    /// Count the mechanism's padding in `Length` (pypsrp) rather than not (Windows, pywinrm).
    /// Default false.
    pub length_includes_padding: bool,
}

impl Default for SealOptions<'_> {
    fn default() -> Self {
        Self {
            charset: Charset::Utf16,
            original_type: SOAP_TYPE,
            tab: true,
            boundary: DEFAULT_BOUNDARY,
            length_includes_padding: false,
        }
    }
}

/// Seals `plain` into a `multipart/encrypted` body appended to `out` and returns the HTTP
/// `Content-Type` to send with it.
///
/// ```
/// use wsman_proto::framing::{open, seal, Limits, SealOptions};
/// # use wsman_proto::auth::ntlm::{NtlmSecurity, NegotiateFlags, DEFAULT_FLAGS};
/// # use wsman_proto::auth::Role;
/// let mut client = NtlmSecurity::new(Role::Initiator, NegotiateFlags(DEFAULT_FLAGS), &[7; 16]);
/// let mut server = NtlmSecurity::new(Role::Acceptor, NegotiateFlags(DEFAULT_FLAGS), &[7; 16]);
/// let mut body = Vec::new();
/// let ct = seal(&mut client, b"<s:Envelope/>", &SealOptions::default(), &mut body)?;
/// let mut plain = Vec::new();
/// let opened = open(&mut server, &ct, &body, &Limits::default(), &mut plain)?;
/// assert_eq!(plain, b"<s:Envelope/>");
/// assert_eq!(opened.length, 13);
/// # Ok::<(), wsman_proto::framing::FramingError>(())
/// ```
///
/// # Errors
/// [`FramingError::Auth`] when the context cannot seal; [`FramingError::Malformed`] for a
/// boundary containing CR, LF or `"`.
pub fn seal(
    sec: &mut dyn SessionSecurity,
    plain: &[u8],
    opts: &SealOptions<'_>,
    out: &mut Vec<u8>,
) -> Result<String, FramingError> {
    let mut w = Wrapped::new();
    seal_with(sec, plain, opts, &mut w, out)
}

/// [`seal`] with a caller-owned, reused [`Wrapped`] scratch.
///
/// # Errors
/// As [`seal`].
pub fn seal_with(
    sec: &mut dyn SessionSecurity,
    plain: &[u8],
    opts: &SealOptions<'_>,
    scratch: &mut Wrapped,
    out: &mut Vec<u8>,
) -> Result<String, FramingError> {
    if opts.boundary.is_empty() || opts.boundary.contains(['\r', '\n', '"']) {
        return Err(FramingError::Malformed {
            what: "boundary",
            offset: 0,
        });
    }
    let protocol = Protocol::for_mechanism(sec.mechanism());
    sec.wrap_winrm(plain, scratch)?;
    let header_len = u32::try_from(scratch.header.len()).map_err(|_| FramingError::Limit {
        what: "wrap header",
        limit: usize::try_from(u32::MAX).unwrap_or(usize::MAX),
    })?;
    let length = if opts.length_includes_padding {
        plain.len().saturating_add(scratch.padding_len)
    } else {
        plain.len()
    };
    let tab = if opts.tab { "\t" } else { "" };
    let b = opts.boundary;
    let head = format!(
        "--{b}\r\n{tab}Content-Type: {p}\r\n{tab}OriginalContent: type={t};charset={c};Length={length}\r\n--{b}\r\n{tab}Content-Type: application/octet-stream\r\n",
        p = protocol.as_str(),
        t = opts.original_type,
        c = opts.charset.as_str(),
    );
    out.reserve(
        head.len()
            .saturating_add(scratch.header.len())
            .saturating_add(scratch.data.len())
            .saturating_add(b.len())
            .saturating_add(12),
    );
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(&header_len.to_le_bytes());
    out.extend_from_slice(&scratch.header);
    out.extend_from_slice(&scratch.data);
    out.extend_from_slice(b"--");
    out.extend_from_slice(b.as_bytes());
    out.extend_from_slice(b"--\r\n");
    Ok(format!(
        "multipart/encrypted;protocol=\"{}\";boundary=\"{b}\"",
        protocol.as_str()
    ))
}

/// What [`open`] read from the body's headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    /// The declared protocol.
    pub protocol: Protocol,
    /// `OriginalContent`'s charset.
    pub charset: Charset,
    /// `OriginalContent`'s `Length`.
    pub length: usize,
}

/// The parsed `Content-Type: multipart/encrypted` parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentType<'a> {
    /// `protocol`.
    pub protocol: Protocol,
    /// `boundary`, unquoted.
    pub boundary: &'a str,
}

impl<'a> ContentType<'a> {
    /// Parses `multipart/encrypted;protocol="…";boundary="…"` (parameters in any order,
    /// quoted or bare, optional spaces).
    ///
    /// # Errors
    /// [`FramingError::NotMultipartEncrypted`], [`FramingError::MissingParameter`],
    /// [`FramingError::UnknownProtocol`].
    pub fn parse(ct: &'a str) -> Result<Self, FramingError> {
        let mut parts = ct.split(';');
        let media = parts.next().unwrap_or("").trim();
        if !media.eq_ignore_ascii_case("multipart/encrypted") {
            return Err(FramingError::NotMultipartEncrypted);
        }
        let (mut protocol, mut boundary) = (None, None);
        for p in parts {
            let Some((k, v)) = p.split_once('=') else {
                continue;
            };
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            match k.trim() {
                k if k.eq_ignore_ascii_case("protocol") => {
                    protocol = Some(Protocol::parse(v).ok_or(FramingError::UnknownProtocol)?)
                }
                k if k.eq_ignore_ascii_case("boundary") => boundary = Some(v),
                _ => {}
            }
        }
        let protocol = protocol.ok_or(FramingError::MissingParameter("protocol"))?;
        let boundary = boundary
            .filter(|b| !b.is_empty())
            .ok_or(FramingError::MissingParameter("boundary"))?;
        Ok(Self { protocol, boundary })
    }
}

/// A cursor over the body for line-oriented MIME parsing.
struct Cur<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Cur<'a> {
    /// The next line without its line end (CRLF or LF), or `None` at the end.
    fn line(&mut self, limit: usize) -> Result<&'a [u8], FramingError> {
        let rest = self.b.get(self.pos..).unwrap_or(&[]);
        let window = rest.get(..limit.min(rest.len())).unwrap_or(rest);
        let nl = window
            .iter()
            .position(|&c| c == b'\n')
            .ok_or(FramingError::Malformed {
                what: "line end",
                offset: self.pos,
            })?;
        let line = rest.get(..nl).unwrap_or(&[]);
        self.pos = self.pos.saturating_add(nl).saturating_add(1);
        Ok(line.strip_suffix(b"\r").unwrap_or(line))
    }
}

fn is_boundary(line: &[u8], boundary: &str) -> bool {
    line.strip_prefix(b"--")
        .and_then(|l| l.strip_prefix(boundary.as_bytes()))
        .is_some_and(|rest| rest.iter().all(u8::is_ascii_whitespace))
}

/// A `Name: value` part header with optional leading whitespace.
fn header(line: &[u8]) -> Option<(&str, &str)> {
    let s = std::str::from_utf8(line).ok()?.trim_start();
    let (k, v) = s.split_once(':')?;
    Some((k.trim(), v.trim()))
}

fn parse_original_content(v: &str) -> Result<(Charset, usize), FramingError> {
    let (mut ty, mut charset, mut length) = (None, None, None);
    for p in v.split(';') {
        let Some((k, val)) = p.split_once('=') else {
            continue;
        };
        let k = k.trim();
        let val = val.trim();
        if k.eq_ignore_ascii_case("type") {
            ty = Some(val.trim_matches('"'));
        } else if k.eq_ignore_ascii_case("charset") {
            charset = Some(Charset::parse(val).ok_or(FramingError::OriginalContent(
                "charset is neither UTF-8 nor UTF-16",
            ))?);
        } else if k.eq_ignore_ascii_case("length") {
            length = Some(
                val.parse::<usize>()
                    .map_err(|_| FramingError::OriginalContent("length is not a number"))?,
            );
        }
    }
    let ty = ty.ok_or(FramingError::OriginalContent("no type"))?;
    if !ty.eq_ignore_ascii_case(SOAP_TYPE) {
        return Err(FramingError::OriginalContent(
            "type is not application/soap+xml",
        ));
    }
    Ok((
        charset.ok_or(FramingError::OriginalContent("no charset"))?,
        length.ok_or(FramingError::OriginalContent("no length"))?,
    ))
}

/// Locates the last `--boundary--` in `b` at or after `from`; returns its offset.
fn find_closing(b: &[u8], from: usize, boundary: &str) -> Option<usize> {
    let mut pat = Vec::with_capacity(boundary.len().saturating_add(4));
    pat.extend_from_slice(b"--");
    pat.extend_from_slice(boundary.as_bytes());
    pat.extend_from_slice(b"--");
    let hay = b.get(from..)?;
    let n = pat.len();
    if hay.len() < n {
        return None;
    }
    // Search backwards: the closing boundary is at the end, after at most a few CRLFs.
    (0..=hay.len().saturating_sub(n))
        .rev()
        .find(|&i| hay.get(i..i.saturating_add(n)) == Some(&pat[..]))
        .map(|i| i.saturating_add(from))
}

/// Verifies and decrypts a `multipart/encrypted` body, appending the plaintext (exactly
/// `OriginalContent`'s bytes) to `out`.
///
/// # Errors
/// [`FramingError`]: the shape, the declared lengths, limits, or [`FramingError::Auth`] when
/// the security layer rejects the message (bad signature, replay). On error nothing is
/// appended to `out`.
pub fn open(
    sec: &mut dyn SessionSecurity,
    content_type: &str,
    body: &[u8],
    limits: &Limits,
    out: &mut Vec<u8>,
) -> Result<Opened, FramingError> {
    if body.len() > limits.max_body_bytes {
        return Err(FramingError::Limit {
            what: "body",
            limit: limits.max_body_bytes,
        });
    }
    let ct = ContentType::parse(content_type)?;
    let mechanism = sec.mechanism();
    if ct.protocol != Protocol::for_mechanism(mechanism) {
        return Err(FramingError::ProtocolMismatch {
            found: ct.protocol,
            mechanism,
        });
    }
    let lim = limits.max_part_headers_bytes;
    let mut cur = Cur { b: body, pos: 0 };
    // Some senders put a CRLF before the first boundary.
    let mut first = cur.line(lim)?;
    if first.is_empty() {
        first = cur.line(lim)?;
    }
    if !is_boundary(first, ct.boundary) {
        return Err(FramingError::Malformed {
            what: "opening boundary",
            offset: 0,
        });
    }
    let mut original = None;
    let mut part_protocol = None;
    loop {
        let at = cur.pos;
        let line = cur.line(lim)?;
        if is_boundary(line, ct.boundary) {
            break;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let (k, v) = header(line).ok_or(FramingError::Malformed {
            what: "part header",
            offset: at,
        })?;
        if k.eq_ignore_ascii_case("content-type") {
            part_protocol = Some(Protocol::parse(v).ok_or(FramingError::UnknownProtocol)?);
        } else if k.eq_ignore_ascii_case("originalcontent") {
            original = Some(parse_original_content(v)?);
        }
        if cur.pos > lim {
            return Err(FramingError::Limit {
                what: "part headers",
                limit: lim,
            });
        }
    }
    if part_protocol.is_some_and(|p| p != ct.protocol) {
        return Err(FramingError::UnknownProtocol);
    }
    let (charset, length) = original.ok_or(FramingError::OriginalContent("missing"))?;
    // The data part: one Content-Type header line, then the binary right after its line end.
    let at = cur.pos;
    let line = cur.line(lim)?;
    match header(line) {
        Some((k, v))
            if k.eq_ignore_ascii_case("content-type")
                && v.eq_ignore_ascii_case("application/octet-stream") => {}
        _ => {
            return Err(FramingError::Malformed {
                what: "octet-stream part header",
                offset: at,
            });
        }
    }
    let bin = cur.pos;
    let end = find_closing(body, bin, ct.boundary).ok_or(FramingError::Malformed {
        what: "closing boundary",
        offset: body.len(),
    })?;
    let part = body.get(bin..end).unwrap_or(&[]);
    let (len_bytes, rest) = part
        .split_first_chunk::<4>()
        .ok_or(FramingError::Malformed {
            what: "header length",
            offset: bin,
        })?;
    let hlen = usize::try_from(u32::from_le_bytes(*len_bytes)).unwrap_or(usize::MAX);
    if hlen > limits.max_header_bytes {
        return Err(FramingError::Limit {
            what: "wrap header",
            limit: limits.max_header_bytes,
        });
    }
    let (header, mut data) = rest.split_at_checked(hlen).ok_or(FramingError::Malformed {
        what: "wrap header",
        offset: bin.saturating_add(4),
    })?;
    // Sealed data is `Length` bytes, plus the mechanism's padding (at most a block). A CRLF
    // before the closing boundary is framing, not data, when the lengths say so.
    let fits = |n: usize| n >= length && n <= length.saturating_add(16);
    let stripped = data.strip_suffix(b"\r\n");
    if data.len() != length {
        match stripped {
            Some(d) if d.len() == length => data = d,
            _ if fits(data.len()) => {}
            Some(d) if fits(d.len()) => data = d,
            _ => {
                return Err(FramingError::LengthMismatch {
                    declared: length,
                    actual: data.len(),
                });
            }
        }
    }
    let start = out.len();
    sec.unwrap_winrm(header, data, out)?;
    let plain_len = out.len().saturating_sub(start);
    if plain_len != length && data.len() != length {
        out.truncate(start);
        return Err(FramingError::LengthMismatch {
            declared: length,
            actual: plain_len,
        });
    }
    Ok(Opened {
        protocol: ct.protocol,
        charset,
        length,
    })
}

/// The outcome of the SLDC step of [`open_wef`]. Never a silent fallback: a body labelled SLDC
/// that is not compressed is reported as [`Payload::PassedThrough`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Payload {
    /// No `Content-Encoding`: the plaintext is the SOAP body.
    Plain,
    /// `Content-Encoding: SLDC` and the plaintext was an SLDC WEF body, now decompressed.
    Decompressed {
        /// The compressed length (what `OriginalContent` `Length` counted).
        compressed_len: usize,
    },
    /// `Content-Encoding: SLDC` but the plaintext is not SLDC (Windows does this on `End`):
    /// passed through unchanged.
    PassedThrough {
        /// Why it was judged not compressed (from the SLDC decoder).
        reason: &'static str,
    },
}

/// [`open`], then SLDC decompression when `content_encoding` says `SLDC`, writing the SOAP
/// body to `out` (cleared first).
///
/// # Errors
/// As [`open`]; [`FramingError::Sldc`] for a corrupt SLDC body,
/// [`FramingError::Limit`] above `max_decompressed_bytes`, [`FramingError::UnsupportedEncoding`]
/// for another encoding.
pub fn open_wef(
    sec: &mut dyn SessionSecurity,
    content_type: &str,
    content_encoding: Option<&str>,
    body: &[u8],
    limits: &Limits,
    out: &mut Vec<u8>,
) -> Result<(Opened, Payload), FramingError> {
    let sldc = match content_encoding.map(str::trim) {
        None | Some("") => false,
        Some(e) if e.eq_ignore_ascii_case("sldc") => true,
        Some(_) => return Err(FramingError::UnsupportedEncoding),
    };
    out.clear();
    let opened = open(sec, content_type, body, limits, out)?;
    if !sldc {
        return Ok((opened, Payload::Plain));
    }
    match sldc::decompress_wef_body(out, limits.max_decompressed_bytes) {
        Ok(plain) => {
            let compressed_len = out.len();
            *out = plain;
            Ok((opened, Payload::Decompressed { compressed_len }))
        }
        Err(sldc::Error::NotSldc { reason }) => Ok((opened, Payload::PassedThrough { reason })),
        Err(sldc::Error::OutputLimit { .. }) => Err(FramingError::Limit {
            what: "decompressed body",
            limit: limits.max_decompressed_bytes,
        }),
        Err(e) => Err(FramingError::Sldc(e)),
    }
}

/// Compresses `soap` as an SLDC WEF body and seals it; returns the HTTP `Content-Type`. The
/// request must carry `Content-Encoding: SLDC`. `OriginalContent` `Length` counts the
/// compressed bytes.
///
/// # Errors
/// As [`seal`], or [`FramingError::Sldc`].
pub fn seal_wef_sldc(
    sec: &mut dyn SessionSecurity,
    soap: &[u8],
    opts: &SealOptions<'_>,
    out: &mut Vec<u8>,
) -> Result<String, FramingError> {
    let compressed = sldc::compress_wef_body(soap).map_err(FramingError::Sldc)?;
    seal(sec, &compressed, opts, out)
}

//! Security-log helpers: logon attempts and the code tables Security events refer to.
//!
//! * [`LogonAttempt`] extracts one authentication attempt from the Security events that describe
//!   one: 4624 (logon), 4625 (failed logon), 4648 (logon with explicit credentials), 4771
//!   (Kerberos pre-authentication failed) and 4776 (NTLM credential validation).
//! * The lookups [`ntstatus_text`], [`kerberos_error_text`], [`logon_type_name`] and
//!   [`message_id_text`] turn the numbers those events carry into words. The tables are data in
//!   this crate; each names its source (Microsoft's security auditing reference, [MS-ERREF],
//!   RFC 4120/4556, and the msobjs.dll message table) in the documentation of the function that
//!   reads it.
//! * The parsing helpers ([`present`], [`parse_number`], [`parse_message_ref`], [`parse_ip`],
//!   [`parse_port`]) apply the conventions of Security events: `-` and empty strings mean "no
//!   value", codes are written `0xC000006D`, insertion strings `%%2313`, and IPv4 peers of a
//!   dual-stack listener as `::ffff:a.b.c.d`.
//!
//! The `ecs` profile builds its Winlogbeat-compatible enrichments (`winlog.logon.*`,
//! `event.action`, ...) from the same functions and from [`ecs_categorization`].
//!
//! Everything here is pure: no allocation beyond the returned values, no panics.

mod codes;
pub(crate) mod events;
mod logon;

use std::borrow::Cow;
use std::net::IpAddr;

pub use codes::{CodeInfo, CodeSpace};
pub use events::{EcsCategorization, ecs_categorization};
pub use logon::{FailureCode, LogonAttempt, LogonKind};

/// The name of the provider that writes the Security audit events.
pub const SECURITY_AUDITING_PROVIDER: &str = "Microsoft-Windows-Security-Auditing";

/// The `Keywords` bit of an event that records a successful audited operation ("Audit Success").
pub const KEYWORD_AUDIT_SUCCESS: u64 = 0x0020_0000_0000_0000;
/// The `Keywords` bit of an event that records a failed audited operation ("Audit Failure").
pub const KEYWORD_AUDIT_FAILURE: u64 = 0x0010_0000_0000_0000;

/// Whether an audited operation succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The operation succeeded.
    Success,
    /// The operation failed.
    Failure,
}

impl Outcome {
    /// The ECS `event.outcome` value: `success` or `failure`.
    ///
    /// ```
    /// use evtxml::security::Outcome;
    /// assert_eq!(Outcome::Failure.as_str(), "failure");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
        }
    }

    /// The outcome the standard audit keywords of an event state, if any.
    ///
    /// ```
    /// use evtxml::security::Outcome;
    /// assert_eq!(Outcome::from_keywords(0x8010000000000000), Some(Outcome::Failure));
    /// assert_eq!(Outcome::from_keywords(0x8020000000000000), Some(Outcome::Success));
    /// assert_eq!(Outcome::from_keywords(0x4000000000000000), None);
    /// ```
    pub fn from_keywords(keywords: u64) -> Option<Self> {
        if keywords & KEYWORD_AUDIT_FAILURE != 0 {
            Some(Self::Failure)
        } else if keywords & KEYWORD_AUDIT_SUCCESS != 0 {
            Some(Self::Success)
        } else {
            None
        }
    }
}

/// The meaning of an NTSTATUS value found in a logon failure's `Status` or `SubStatus`.
///
/// The table covers the codes Microsoft documents for events 4625 and 4776 (its "Windows logon
/// status codes" and "Error Code" tables), plus the few [MS-ERREF] codes that appear next to them.
/// Source: learn.microsoft.com, "4625(F): An account failed to log on" (Table 12) and "4776(S, F):
/// The computer attempted to validate the credentials for an account"; [MS-ERREF] 2.3.1.
///
/// ```
/// use evtxml::security::ntstatus_text;
/// assert_eq!(ntstatus_text(0xC000006A), Some("User logon with misspelled or bad password"));
/// assert_eq!(ntstatus_text(0xC0000234), Some("User logon with account locked"));
/// assert_eq!(ntstatus_text(0xC0000001), None);
/// ```
pub fn ntstatus_text(code: u32) -> Option<&'static str> {
    codes::ntstatus(code).map(|c| c.text)
}

/// The symbolic name of an NTSTATUS value of the logon table ([MS-ERREF] 2.3.1).
///
/// ```
/// use evtxml::security::ntstatus_name;
/// assert_eq!(ntstatus_name(0xC000006D), Some("STATUS_LOGON_FAILURE"));
/// ```
pub fn ntstatus_name(code: u32) -> Option<&'static str> {
    codes::ntstatus(code).map(|c| c.name)
}

/// The NTSTATUS table row for `code` (name and meaning), as [`ntstatus_text`] documents.
pub fn ntstatus_info(code: u32) -> Option<&'static CodeInfo> {
    codes::ntstatus(code)
}

/// The meaning of a Kerberos error code, as carried by the `Status` of 4768/4769 and the
/// failure code of 4771.
///
/// Source: RFC 4120 section 7.5.9 (codes 0-69), RFC 4556 section 3.1.3 (PKINIT codes), and the
/// failure-code table of Microsoft's documentation of event 4768.
///
/// ```
/// use evtxml::security::kerberos_error_text;
/// assert_eq!(kerberos_error_text(0x18), Some("Pre-authentication information was invalid"));
/// assert_eq!(kerberos_error_text(0x6), Some("Client not found in Kerberos database"));
/// ```
pub fn kerberos_error_text(code: u32) -> Option<&'static str> {
    codes::kerberos(code).map(|c| c.text)
}

/// The Kerberos error table row for `code` (RFC 4120 name and meaning).
///
/// ```
/// use evtxml::security::kerberos_error_info;
/// assert_eq!(kerberos_error_info(0x25).map(|c| c.name), Some("KRB_AP_ERR_SKEW"));
/// ```
pub fn kerberos_error_info(code: u32) -> Option<&'static CodeInfo> {
    codes::kerberos(code)
}

/// The name of a logon type number (`LogonType` of 4624, 4625, 4634, ...), as Winlogbeat's
/// `winlog.logon.type` spells it.
///
/// Source: "Logon types and descriptions" in Microsoft's documentation of event 4624; 12 and 13
/// from the `SECURITY_LOGON_TYPE` enumeration (ntsecapi.h).
///
/// ```
/// use evtxml::security::logon_type_name;
/// assert_eq!(logon_type_name(2), Some("Interactive"));
/// assert_eq!(logon_type_name(3), Some("Network"));
/// assert_eq!(logon_type_name(10), Some("RemoteInteractive"));
/// assert_eq!(logon_type_name(6), None);
/// ```
pub fn logon_type_name(logon_type: u32) -> Option<&'static str> {
    codes::logon_type(logon_type)
}

/// The text a `%%nnnn` insertion string of a Security event stands for.
///
/// The ids index the parameter message file of the Security auditing provider (msobjs.dll); the
/// table is its Windows 10 message table as published by the libyal winevt-kb project
/// (`MessageFile-msobjs.dll.md`), including its placeholder rows for unused access bits. Other
/// providers' `%%n` references (for example Win32 error numbers in System events) point to other
/// message files and are not resolved here.
///
/// ```
/// use evtxml::security::message_id_text;
/// assert_eq!(message_id_text(2313), Some("Unknown user name or bad password."));
/// assert_eq!(message_id_text(1833), Some("Impersonation"));
/// assert_eq!(message_id_text(1843), Some("No"));
/// assert_eq!(message_id_text(1537), Some("DELETE"));
/// assert_eq!(message_id_text(7), None);
/// ```
pub fn message_id_text(id: u32) -> Option<&'static str> {
    codes::message(id)
}

/// `str::trim`, without its Unicode scan when the first and last bytes are printable ASCII
/// other than a space (nothing to trim then).
#[inline]
fn trim(value: &str) -> &str {
    let b = value.as_bytes();
    let plain = |c: Option<&u8>| c.is_some_and(|&c| c.is_ascii_graphic());
    if plain(b.first()) && plain(b.last()) {
        value
    } else {
        value.trim()
    }
}

/// `value`, unless it is one of the ways Security events write "no value": the empty string,
/// only whitespace, or `-`.
///
/// The value is returned verbatim (no trimming: `LogonProcessName` is `Advapi  ` with two
/// trailing spaces).
///
/// ```
/// use evtxml::security::present;
/// assert_eq!(present("-"), None);
/// assert_eq!(present(""), None);
/// assert_eq!(present(" \r\n"), None);
/// assert_eq!(present("Advapi  "), Some("Advapi  "));
/// ```
pub fn present(value: &str) -> Option<&str> {
    let t = trim(value);
    if t.is_empty() || t == "-" {
        None
    } else {
        Some(value)
    }
}

/// A number written in hexadecimal with a `0x` prefix (`0xC000006D`, `0x3e7`, `0x1d0`) or in
/// decimal (`3`, `49219`); surrounding whitespace ignored.
///
/// ```
/// use evtxml::security::parse_number;
/// assert_eq!(parse_number("0xc000006d"), Some(0xC000006D));
/// assert_eq!(parse_number("0X1D0"), Some(464));
/// assert_eq!(parse_number("49219"), Some(49219));
/// assert_eq!(parse_number("-"), None);
/// assert_eq!(parse_number("0x"), None);
/// assert_eq!(parse_number("0x1ffffffffffffffff"), None);
/// ```
pub fn parse_number(value: &str) -> Option<u64> {
    // `0x`/`0X` and hexadecimal digits, or decimal digits, in one pass with overflow checks.
    crate::parse::hex64(trim(value))
}

/// [`parse_number`] limited to 32 bits (status codes, logon types, ...).
///
/// ```
/// use evtxml::security::parse_u32;
/// assert_eq!(parse_u32("0xc0000064"), Some(0xC0000064));
/// assert_eq!(parse_u32("0x100000000"), None);
/// ```
pub fn parse_u32(value: &str) -> Option<u32> {
    parse_number(value).and_then(|n| u32::try_from(n).ok())
}

/// The id of a `%%nnnn` insertion string, when `value` is exactly one.
///
/// ```
/// use evtxml::security::parse_message_ref;
/// assert_eq!(parse_message_ref("%%2313"), Some(2313));
/// assert_eq!(parse_message_ref(" %%1833 "), Some(1833));
/// assert_eq!(parse_message_ref("%%"), None);
/// assert_eq!(parse_message_ref("%%1537 %%1538"), None);
/// ```
pub fn parse_message_ref(value: &str) -> Option<u32> {
    let digits = trim(value).strip_prefix("%%")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `value` with every `%%nnnn` whose id [`message_id_text`] knows replaced by its text.
///
/// Unknown ids and everything else are kept as written; borrows when there is nothing to
/// replace. Multi-valued fields (`AccessList`) separate their references with whitespace, which
/// is kept.
///
/// ```
/// use evtxml::security::expand_message_refs;
/// assert_eq!(expand_message_refs("%%1537\r\n\t\t\t\t%%1538"), "DELETE\r\n\t\t\t\tREAD_CONTROL");
/// assert_eq!(expand_message_refs("%%2313"), "Unknown user name or bad password.");
/// assert_eq!(expand_message_refs("%%7 and 100%"), "%%7 and 100%");
/// ```
pub fn expand_message_refs(value: &str) -> Cow<'_, str> {
    if !value.contains("%%") {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    let mut changed = false;
    while let Some(pos) = rest.find("%%") {
        let (before, from_marker) = rest.split_at(pos);
        out.push_str(before);
        let after = from_marker.get(2..).unwrap_or("");
        let digits_len = after.bytes().take_while(u8::is_ascii_digit).count();
        let (digits, tail) = after.split_at(digits_len);
        match digits.parse::<u32>().ok().and_then(message_id_text) {
            Some(text) => {
                out.push_str(text);
                changed = true;
            }
            None => {
                out.push_str("%%");
                out.push_str(digits);
            }
        }
        rest = tail;
    }
    out.push_str(rest);
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(value)
    }
}

/// The IP address in an `IpAddress`-style field.
///
/// Accepts IPv4 and IPv6 (with an optional `%zone` suffix, which is dropped), and turns the
/// IPv4-mapped IPv6 form `::ffff:a.b.c.d` that dual-stack listeners log into the IPv4 address.
/// `-`, empty and malformed values give `None`.
///
/// ```
/// use evtxml::security::parse_ip;
/// use std::net::IpAddr;
/// assert_eq!(parse_ip("192.168.198.149"), Some("192.168.198.149".parse::<IpAddr>().unwrap()));
/// assert_eq!(parse_ip("::ffff:172.16.66.19"), Some("172.16.66.19".parse::<IpAddr>().unwrap()));
/// assert_eq!(parse_ip("::1"), Some("::1".parse::<IpAddr>().unwrap()));
/// assert_eq!(parse_ip("fe80::1%12"), Some("fe80::1".parse::<IpAddr>().unwrap()));
/// assert_eq!(parse_ip("-"), None);
/// assert_eq!(parse_ip("WORKSTATION"), None);
/// ```
pub fn parse_ip(value: &str) -> Option<IpAddr> {
    let t = trim(value);
    let t = t
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(t);
    let t = t.split_once('%').map_or(t, |(addr, _zone)| addr);
    match t.parse::<IpAddr>().ok()? {
        IpAddr::V6(v6) => Some(v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4)),
        v4 => Some(v4),
    }
}

/// The port in an `IpPort`-style field (decimal); `-`, empty or out of range give `None`.
///
/// ```
/// use evtxml::security::parse_port;
/// assert_eq!(parse_port("49219"), Some(49219));
/// assert_eq!(parse_port("0"), Some(0));
/// assert_eq!(parse_port("-"), None);
/// assert_eq!(parse_port("70000"), None);
/// ```
pub fn parse_port(value: &str) -> Option<u16> {
    let t = trim(value);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// The file name part of a Windows path (`C:\Windows\System32\svchost.exe` → `svchost.exe`).
///
/// Both separators are accepted; a path ending in a separator has no file name.
///
/// ```
/// use evtxml::security::file_name;
/// assert_eq!(file_name(r"C:\Windows\System32\services.exe"), Some("services.exe"));
/// assert_eq!(file_name("lsass.exe"), Some("lsass.exe"));
/// assert_eq!(file_name(r"C:\dir\"), None);
/// ```
pub fn file_name(path: &str) -> Option<&str> {
    let name = path.rsplit(['\\', '/']).next().unwrap_or(path);
    if name.is_empty() { None } else { Some(name) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_reject_garbage() {
        assert_eq!(parse_number("+5"), None);
        assert_eq!(parse_number("0x-5"), None);
        assert_eq!(parse_number("5 5"), None);
        assert_eq!(parse_number(" 0x10 "), Some(16));
        assert_eq!(parse_number("18446744073709551616"), None);
        assert_eq!(parse_number("٣"), None);
    }

    #[test]
    fn message_refs_expand_in_place() {
        assert_eq!(expand_message_refs("%%"), "%%");
        assert_eq!(expand_message_refs("a%%1842b"), "aYesb");
        assert_eq!(
            expand_message_refs("%%99999999999999999999 %%1843"),
            "%%99999999999999999999 No"
        );
        assert!(matches!(expand_message_refs("%%7"), Cow::Borrowed(_)));
        assert!(matches!(expand_message_refs("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn ips() {
        assert_eq!(parse_ip("[::1]"), Some("::1".parse().unwrap()));
        assert_eq!(
            parse_ip("::ffff:0:1.2.3.4"),
            Some("::ffff:0:1.2.3.4".parse().unwrap())
        );
        assert_eq!(parse_ip(""), None);
        assert_eq!(parse_ip("%"), None);
    }
}

#[cfg(test)]
mod parse_number_tests {
    use super::{parse_number, trim};
    use proptest::prelude::*;

    /// [`parse_number`] as written before it used the parser's one-pass number reader.
    fn parse_number_reference(value: &str) -> Option<u64> {
        let t = trim(value);
        if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            u64::from_str_radix(hex, 16).ok()
        } else {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            t.parse().ok()
        }
    }

    proptest! {
        /// The one-pass reader agrees with the reference on numbers, overflows and near misses.
        #[test]
        fn parse_number_agrees_with_reference(
            s in "[ \\t]{0,2}(0[xX])?[0-9a-fA-F+-]{0,22}[ \\t]{0,2}|[0-9]{18,22}|0x[0-9a-f]{15,18}"
        ) {
            prop_assert_eq!(parse_number(&s), parse_number_reference(&s));
        }
    }
}

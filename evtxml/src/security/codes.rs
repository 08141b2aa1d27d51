//! Code tables used by Security events, as data, with their sources.
//!
//! Every table is a slice sorted by code and searched with a binary search; the unit tests check
//! the order. The texts are written from the documents cited on each table (facts, not code).

/// What a failure code in a `Status`/`SubStatus`/`FailureCode` field belongs to.
///
/// Security events carry two unrelated code spaces: NTSTATUS values (`0xC000006D`) in logon and
/// credential-validation events (4625, 4776), and Kerberos protocol error codes (`0x18`) in the
/// KDC events (4768, 4769, 4771).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CodeSpace {
    /// An NTSTATUS value ([MS-ERREF] 2.3).
    NtStatus,
    /// A Kerberos error code (RFC 4120 7.5.9, RFC 4556 3.1.3).
    Kerberos,
}

/// One row of a code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The numeric code.
    pub code: u32,
    /// The symbolic name (`STATUS_LOGON_FAILURE`, `KDC_ERR_PREAUTH_FAILED`).
    pub name: &'static str,
    /// The meaning, in the words of the cited documentation.
    pub text: &'static str,
}

const fn ci(code: u32, name: &'static str, text: &'static str) -> CodeInfo {
    CodeInfo { code, name, text }
}

fn lookup(table: &'static [CodeInfo], code: u32) -> Option<&'static CodeInfo> {
    table
        .binary_search_by_key(&code, |c| c.code)
        .ok()
        .and_then(|i| table.get(i))
}

/// NTSTATUS values seen in the `Status`/`SubStatus` fields of logon failures (4625) and
/// credential validation (4776).
///
/// Sources: the meanings are those of Microsoft's documentation of event 4625 ("4625(F): An
/// account failed to log on", Table 12 "Windows logon status codes") and of event 4776 ("4776(S,
/// F): The computer attempted to validate the credentials for an account", its "Error Code"
/// table), Windows 10 security auditing reference, learn.microsoft.com. Where those tables are
/// silent (`STATUS_SUCCESS`, `STATUS_ACCESS_DENIED`, `STATUS_PASSWORD_RESTRICTION`,
/// `STATUS_INSUFFICIENT_RESOURCES`) the text is [MS-ERREF] 2.3.1's. Symbolic names are
/// [MS-ERREF] 2.3.1's.
pub(crate) static NTSTATUS: &[CodeInfo] = &[
    ci(
        0x0000_0000,
        "STATUS_SUCCESS",
        "The operation completed successfully.",
    ),
    ci(
        0xC000_0022,
        "STATUS_ACCESS_DENIED",
        "A process has requested access to an object but has not been granted those access rights.",
    ),
    ci(
        0xC000_005E,
        "STATUS_NO_LOGON_SERVERS",
        "There are currently no logon servers available to service the logon request.",
    ),
    ci(
        0xC000_0064,
        "STATUS_NO_SUCH_USER",
        "User logon with misspelled or bad user account",
    ),
    ci(
        0xC000_006A,
        "STATUS_WRONG_PASSWORD",
        "User logon with misspelled or bad password",
    ),
    ci(
        0xC000_006C,
        "STATUS_PASSWORD_RESTRICTION",
        "Unable to update the password. The value provided for the new password does not meet the length, complexity, or history requirements of the domain.",
    ),
    ci(
        0xC000_006D,
        "STATUS_LOGON_FAILURE",
        "This is either due to a bad username or authentication information",
    ),
    ci(
        0xC000_006E,
        "STATUS_ACCOUNT_RESTRICTION",
        "Indicates a referenced user name and authentication information are valid, but some user account restriction has prevented successful authentication (such as time-of-day restrictions).",
    ),
    ci(
        0xC000_006F,
        "STATUS_INVALID_LOGON_HOURS",
        "User logon outside authorized hours",
    ),
    ci(
        0xC000_0070,
        "STATUS_INVALID_WORKSTATION",
        "User logon from unauthorized workstation",
    ),
    ci(
        0xC000_0071,
        "STATUS_PASSWORD_EXPIRED",
        "User logon with expired password",
    ),
    ci(
        0xC000_0072,
        "STATUS_ACCOUNT_DISABLED",
        "User logon to account disabled by administrator",
    ),
    ci(
        0xC000_009A,
        "STATUS_INSUFFICIENT_RESOURCES",
        "Insufficient system resources exist to complete the API.",
    ),
    ci(
        0xC000_00DC,
        "STATUS_INVALID_SERVER_STATE",
        "Indicates the Sam Server was in the wrong state to perform the desired operation.",
    ),
    ci(
        0xC000_0133,
        "STATUS_TIME_DIFFERENCE_AT_DC",
        "Clocks between DC and other computer too far out of sync",
    ),
    ci(
        0xC000_015B,
        "STATUS_LOGON_TYPE_NOT_GRANTED",
        "The user has not been granted the requested logon type (also called the logon right) at this machine",
    ),
    ci(
        0xC000_018C,
        "STATUS_TRUSTED_DOMAIN_FAILURE",
        "The logon request failed because the trust relationship between the primary domain and the trusted domain failed.",
    ),
    ci(
        0xC000_0192,
        "STATUS_NETLOGON_NOT_STARTED",
        "An attempt was made to logon, but the Netlogon service was not started.",
    ),
    ci(
        0xC000_0193,
        "STATUS_ACCOUNT_EXPIRED",
        "User logon with expired account",
    ),
    ci(
        0xC000_0224,
        "STATUS_PASSWORD_MUST_CHANGE",
        "User is required to change password at next logon",
    ),
    ci(
        0xC000_0225,
        "STATUS_NOT_FOUND",
        "Evidently a bug in Windows and not a risk",
    ),
    ci(
        0xC000_0234,
        "STATUS_ACCOUNT_LOCKED_OUT",
        "User logon with account locked",
    ),
    ci(
        0xC000_02EE,
        "STATUS_UNFINISHED_CONTEXT_DELETED",
        "Failure Reason: An Error occurred during Logon",
    ),
    ci(
        0xC000_0371,
        "STATUS_NO_SECRETS",
        "The local account store does not contain secret material for the specified account.",
    ),
    ci(
        0xC000_0413,
        "STATUS_AUTHENTICATION_FIREWALL_FAILED",
        "Logon Failure: The machine you are logging on to is protected by an authentication firewall. The specified account is not allowed to authenticate to the machine.",
    ),
];

/// Kerberos error codes, as carried by the `Status` field of 4768/4769 and the `Status`
/// ("Failure Code") field of 4771.
///
/// Sources: RFC 4120 section 7.5.9 "Error Codes" (names, and meanings as given there), RFC 4556
/// section 3.1.3 for the PKINIT codes 62-66 and 70-76, and the "Kerberos ticket request failure
/// codes" table of Microsoft's documentation of event 4768 for the meanings RFC 4120 leaves out.
pub(crate) static KERBEROS: &[CodeInfo] = &[
    ci(0x00, "KDC_ERR_NONE", "No error"),
    ci(
        0x01,
        "KDC_ERR_NAME_EXP",
        "Client's entry in database has expired",
    ),
    ci(
        0x02,
        "KDC_ERR_SERVICE_EXP",
        "Server's entry in database has expired",
    ),
    ci(
        0x03,
        "KDC_ERR_BAD_PVNO",
        "Requested protocol version number not supported",
    ),
    ci(
        0x04,
        "KDC_ERR_C_OLD_MAST_KVNO",
        "Client's key encrypted in old master key",
    ),
    ci(
        0x05,
        "KDC_ERR_S_OLD_MAST_KVNO",
        "Server's key encrypted in old master key",
    ),
    ci(
        0x06,
        "KDC_ERR_C_PRINCIPAL_UNKNOWN",
        "Client not found in Kerberos database",
    ),
    ci(
        0x07,
        "KDC_ERR_S_PRINCIPAL_UNKNOWN",
        "Server not found in Kerberos database",
    ),
    ci(
        0x08,
        "KDC_ERR_PRINCIPAL_NOT_UNIQUE",
        "Multiple principal entries in database",
    ),
    ci(
        0x09,
        "KDC_ERR_NULL_KEY",
        "The client or server has a null key",
    ),
    ci(
        0x0A,
        "KDC_ERR_CANNOT_POSTDATE",
        "Ticket not eligible for postdating",
    ),
    ci(
        0x0B,
        "KDC_ERR_NEVER_VALID",
        "Requested starttime is later than end time",
    ),
    ci(0x0C, "KDC_ERR_POLICY", "KDC policy rejects request"),
    ci(
        0x0D,
        "KDC_ERR_BADOPTION",
        "KDC cannot accommodate requested option",
    ),
    ci(
        0x0E,
        "KDC_ERR_ETYPE_NOSUPP",
        "KDC has no support for encryption type",
    ),
    ci(
        0x0F,
        "KDC_ERR_SUMTYPE_NOSUPP",
        "KDC has no support for checksum type",
    ),
    ci(
        0x10,
        "KDC_ERR_PADATA_TYPE_NOSUPP",
        "KDC has no support for padata type",
    ),
    ci(
        0x11,
        "KDC_ERR_TRTYPE_NOSUPP",
        "KDC has no support for transited type",
    ),
    ci(
        0x12,
        "KDC_ERR_CLIENT_REVOKED",
        "Clients credentials have been revoked",
    ),
    ci(
        0x13,
        "KDC_ERR_SERVICE_REVOKED",
        "Credentials for server have been revoked",
    ),
    ci(0x14, "KDC_ERR_TGT_REVOKED", "TGT has been revoked"),
    ci(
        0x15,
        "KDC_ERR_CLIENT_NOTYET",
        "Client not yet valid; try again later",
    ),
    ci(
        0x16,
        "KDC_ERR_SERVICE_NOTYET",
        "Server not yet valid; try again later",
    ),
    ci(
        0x17,
        "KDC_ERR_KEY_EXPIRED",
        "Password has expired; change password to reset",
    ),
    ci(
        0x18,
        "KDC_ERR_PREAUTH_FAILED",
        "Pre-authentication information was invalid",
    ),
    ci(
        0x19,
        "KDC_ERR_PREAUTH_REQUIRED",
        "Additional pre-authentication required",
    ),
    ci(
        0x1A,
        "KDC_ERR_SERVER_NOMATCH",
        "Requested server and ticket don't match",
    ),
    ci(
        0x1B,
        "KDC_ERR_MUST_USE_USER2USER",
        "Server principal valid for user2user only",
    ),
    ci(
        0x1C,
        "KDC_ERR_PATH_NOT_ACCEPTED",
        "KDC Policy rejects transited path",
    ),
    ci(
        0x1D,
        "KDC_ERR_SVC_UNAVAILABLE",
        "A service is not available",
    ),
    ci(
        0x1F,
        "KRB_AP_ERR_BAD_INTEGRITY",
        "Integrity check on decrypted field failed",
    ),
    ci(0x20, "KRB_AP_ERR_TKT_EXPIRED", "Ticket expired"),
    ci(0x21, "KRB_AP_ERR_TKT_NYV", "Ticket not yet valid"),
    ci(0x22, "KRB_AP_ERR_REPEAT", "Request is a replay"),
    ci(0x23, "KRB_AP_ERR_NOT_US", "The ticket isn't for us"),
    ci(
        0x24,
        "KRB_AP_ERR_BADMATCH",
        "Ticket and authenticator don't match",
    ),
    ci(0x25, "KRB_AP_ERR_SKEW", "Clock skew too great"),
    ci(0x26, "KRB_AP_ERR_BADADDR", "Incorrect net address"),
    ci(0x27, "KRB_AP_ERR_BADVERSION", "Protocol version mismatch"),
    ci(0x28, "KRB_AP_ERR_MSG_TYPE", "Invalid msg type"),
    ci(0x29, "KRB_AP_ERR_MODIFIED", "Message stream modified"),
    ci(0x2A, "KRB_AP_ERR_BADORDER", "Message out of order"),
    ci(
        0x2C,
        "KRB_AP_ERR_BADKEYVER",
        "Specified version of key is not available",
    ),
    ci(0x2D, "KRB_AP_ERR_NOKEY", "Service key not available"),
    ci(0x2E, "KRB_AP_ERR_MUT_FAIL", "Mutual authentication failed"),
    ci(
        0x2F,
        "KRB_AP_ERR_BADDIRECTION",
        "Incorrect message direction",
    ),
    ci(
        0x30,
        "KRB_AP_ERR_METHOD",
        "Alternative authentication method required",
    ),
    ci(
        0x31,
        "KRB_AP_ERR_BADSEQ",
        "Incorrect sequence number in message",
    ),
    ci(
        0x32,
        "KRB_AP_ERR_INAPP_CKSUM",
        "Inappropriate type of checksum in message",
    ),
    ci(
        0x33,
        "KRB_AP_PATH_NOT_ACCEPTED",
        "Policy rejects transited path",
    ),
    ci(
        0x34,
        "KRB_ERR_RESPONSE_TOO_BIG",
        "Response too big for UDP; retry with TCP",
    ),
    ci(
        0x3C,
        "KRB_ERR_GENERIC",
        "Generic error (description in e-text)",
    ),
    ci(
        0x3D,
        "KRB_ERR_FIELD_TOOLONG",
        "Field is too long for this implementation",
    ),
    ci(
        0x3E,
        "KDC_ERR_CLIENT_NOT_TRUSTED",
        "The client trust failed or is not implemented",
    ),
    ci(
        0x3F,
        "KDC_ERR_KDC_NOT_TRUSTED",
        "The KDC server trust failed or could not be verified",
    ),
    ci(0x40, "KDC_ERR_INVALID_SIG", "The signature is invalid"),
    ci(
        0x41,
        "KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED",
        "The Diffie-Hellman key parameters were not accepted",
    ),
    ci(
        0x42,
        "KDC_ERR_CERTIFICATE_MISMATCH",
        "The certificate does not match the client principal",
    ),
    ci(
        0x43,
        "KRB_AP_ERR_NO_TGT",
        "No TGT available to validate USER-TO-USER",
    ),
    ci(0x44, "KDC_ERR_WRONG_REALM", "Wrong realm"),
    ci(
        0x45,
        "KRB_AP_ERR_USER_TO_USER_REQUIRED",
        "Ticket must be for USER-TO-USER",
    ),
    ci(
        0x46,
        "KDC_ERR_CANT_VERIFY_CERTIFICATE",
        "The client certificate could not be verified",
    ),
    ci(
        0x47,
        "KDC_ERR_INVALID_CERTIFICATE",
        "The client certificate is invalid",
    ),
    ci(
        0x48,
        "KDC_ERR_REVOKED_CERTIFICATE",
        "The client certificate was revoked",
    ),
    ci(
        0x49,
        "KDC_ERR_REVOCATION_STATUS_UNKNOWN",
        "The revocation status of the client certificate is unknown",
    ),
    ci(
        0x4A,
        "KDC_ERR_REVOCATION_STATUS_UNAVAILABLE",
        "The revocation status of the client certificate could not be checked",
    ),
    ci(
        0x4B,
        "KDC_ERR_CLIENT_NAME_MISMATCH",
        "The client name does not match the name in the certificate",
    ),
    ci(
        0x4C,
        "KDC_ERR_KDC_NAME_MISMATCH",
        "The KDC name does not match the name in the certificate",
    ),
];

/// Logon type numbers (`LogonType` of 4624, 4625, 4634, ...) and their names.
///
/// Sources: the "Logon types and descriptions" table of Microsoft's documentation of event 4624
/// ("4624(S): An account was successfully logged on"), whose names are also the values Elastic
/// documents for `winlog.logon.type` (example `RemoteInteractive`, Winlogbeat "Security module
/// fields"); 12 and 13 are the `SECURITY_LOGON_TYPE` enumeration members `CachedRemoteInteractive`
/// and `CachedUnlock` (ntsecapi.h, learn.microsoft.com).
pub(crate) static LOGON_TYPES: &[(u32, &str)] = &[
    (0, "System"),
    (2, "Interactive"),
    (3, "Network"),
    (4, "Batch"),
    (5, "Service"),
    (7, "Unlock"),
    (8, "NetworkCleartext"),
    (9, "NewCredentials"),
    (10, "RemoteInteractive"),
    (11, "CachedInteractive"),
    (12, "CachedRemoteInteractive"),
    (13, "CachedUnlock"),
];

/// The NTSTATUS row for `code`, if the table knows it.
pub(crate) fn ntstatus(code: u32) -> Option<&'static CodeInfo> {
    lookup(NTSTATUS, code)
}

/// The Kerberos error row for `code`, if the table knows it.
pub(crate) fn kerberos(code: u32) -> Option<&'static CodeInfo> {
    lookup(KERBEROS, code)
}

/// The logon type name for `logon_type`.
pub(crate) fn logon_type(logon_type: u32) -> Option<&'static str> {
    LOGON_TYPES
        .binary_search_by_key(&logon_type, |&(n, _)| n)
        .ok()
        .and_then(|i| LOGON_TYPES.get(i))
        .map(|&(_, name)| name)
}

/// The `%%nnnn` parameter message text for `id`.
pub(crate) fn message(id: u32) -> Option<&'static str> {
    MESSAGES
        .binary_search_by_key(&id, |&(n, _)| n)
        .ok()
        .and_then(|i| MESSAGES.get(i))
        .map(|&(_, text)| text)
        .or_else(|| placeholder(id))
}

/// The placeholder rows of the message file: one per unused access bit of each object type.
///
/// They are real message ids (Windows renders e.g. `%%4492`, "Undefined Access (no effect) Bit
/// 12", for process handles opened with that bit) but repetitive, so they are computed: the text
/// depends only on the bit number (`id & 0xf`). Ranges transcribed from the same msobjs.dll
/// table as [`MESSAGES`].
fn placeholder(id: u32) -> Option<&'static str> {
    const UNDEFINED: [&str; 16] = [
        "Undefined Access (no effect) Bit 0",
        "Undefined Access (no effect) Bit 1",
        "Undefined Access (no effect) Bit 2",
        "Undefined Access (no effect) Bit 3",
        "Undefined Access (no effect) Bit 4",
        "Undefined Access (no effect) Bit 5",
        "Undefined Access (no effect) Bit 6",
        "Undefined Access (no effect) Bit 7",
        "Undefined Access (no effect) Bit 8",
        "Undefined Access (no effect) Bit 9",
        "Undefined Access (no effect) Bit 10",
        "Undefined Access (no effect) Bit 11",
        "Undefined Access (no effect) Bit 12",
        "Undefined Access (no effect) Bit 13",
        "Undefined Access (no effect) Bit 14",
        "Undefined Access (no effect) Bit 15",
    ];
    const UNKNOWN_SPECIFIC: [&str; 16] = [
        "Unknown specific access (bit 0)",
        "Unknown specific access (bit 1)",
        "Unknown specific access (bit 2)",
        "Unknown specific access (bit 3)",
        "Unknown specific access (bit 4)",
        "Unknown specific access (bit 5)",
        "Unknown specific access (bit 6)",
        "Unknown specific access (bit 7)",
        "Unknown specific access (bit 8)",
        "Unknown specific access (bit 9)",
        "Unknown specific access (bit 10)",
        "Unknown specific access (bit 11)",
        "Unknown specific access (bit 12)",
        "Unknown specific access (bit 13)",
        "Unknown specific access (bit 14)",
        "Unknown specific access (bit 15)",
    ];
    /// Inclusive ranges of "Undefined Access (no effect) Bit n" rows (hex, as in the source).
    const UNDEFINED_RANGES: &[(u32, u32)] = &[
        (0x0117, 0x0117),
        (0x1109, 0x110f),
        (0x1114, 0x111f),
        (0x1122, 0x112f),
        (0x1149, 0x114f),
        (0x1156, 0x1157),
        (0x115a, 0x115f),
        (0x1161, 0x116f),
        (0x1171, 0x117f),
        (0x118c, 0x118f),
        (0x1191, 0x119f),
        (0x11a5, 0x11af),
        (0x11b2, 0x11bf),
        (0x11c1, 0x11cf),
        (0x11da, 0x11df),
        (0x11e2, 0x11e6),
        (0x11e8, 0x11ef),
        (0x11f9, 0x11ff),
        (0x1201, 0x120f),
        (0x1404, 0x140f),
        (0x1415, 0x141f),
        (0x1506, 0x150f),
        (0x151b, 0x151f),
        (0x1525, 0x152f),
        (0x1535, 0x153f),
        (0x154b, 0x154f),
        (0x1612, 0x161f),
        (0x1625, 0x162f),
        (0x1635, 0x163f),
        (0x1642, 0x164f),
        (0x1e09, 0x1e0f),
    ];
    let bit = usize::try_from(id & 0xf).ok()?;
    if (0x610..=0x61f).contains(&id) {
        return UNKNOWN_SPECIFIC.get(bit).copied();
    }
    UNDEFINED_RANGES
        .iter()
        .any(|&(lo, hi)| (lo..=hi).contains(&id))
        .then(|| UNDEFINED.get(bit).copied())
        .flatten()
}

/// The parameter message file of the Security auditing provider (`%SystemRoot%\System32\msobjs.dll`):
/// the texts that `%%nnnn` insertion strings of Security events stand for (`%%2313` in
/// `FailureReason`, `%%1833` in `ImpersonationLevel`, `%%1537` in `AccessList`, ...).
///
/// Source: the message table of msobjs.dll as shipped with Windows 10 (versions 10.0.17763.1 to
/// 10.0.19041.610), as extracted and published by the libyal "winevt-kb" project
/// (`docs/sources/message-files/MessageFile-msobjs.dll.md`, github.com/libyal/winevt-kb), checked
/// against rendered messages in the shared corpus (`%%1833` Impersonation, `%%1842` Yes, `%%1843`
/// No). Texts are given without their trailing CR LF. The identifiers are decimal, as they appear
/// after `%%`. The placeholder rows the file carries for every unused access bit ("Undefined
/// Access (no effect) Bit n", "Unknown specific access (bit n)") are computed by `placeholder`
/// rather than listed.
pub(crate) static MESSAGES: &[(u32, &str)] = &[
    // 0x600: standard access rights.
    (1536, "Unused message ID"),
    (1537, "DELETE"),
    (1538, "READ_CONTROL"),
    (1539, "WRITE_DAC"),
    (1540, "WRITE_OWNER"),
    (1541, "SYNCHRONIZE"),
    (1542, "ACCESS_SYS_SEC"),
    (1543, "MAX_ALLOWED"),
    // 0x641: privileges.
    (1601, "Not used"),
    (1603, "Assign Primary Token Privilege"),
    (1604, "Lock Memory Privilege"),
    (1605, "Increase Memory Quota Privilege"),
    (1606, "Unsolicited Input Privilege"),
    (1607, "Trusted Computer Base Privilege"),
    (1608, "Security Privilege"),
    (1609, "Take Ownership Privilege"),
    (1610, "Load/Unload Driver Privilege"),
    (1611, "Profile System Privilege"),
    (1612, "Set System Time Privilege"),
    (1613, "Profile Single Process Privilege"),
    (1614, "Increment Base Priority Privilege"),
    (1615, "Create Pagefile Privilege"),
    (1616, "Create Permanent Object Privilege"),
    (1617, "Backup Privilege"),
    (1618, "Restore From Backup Privilege"),
    (1619, "Shutdown System Privilege"),
    (1620, "Debug Privilege"),
    (1621, "View or Change Audit Log Privilege"),
    (1622, "Change Hardware Environment Privilege"),
    (1623, "Change Notify (and Traverse) Privilege"),
    (1624, "Remotely Shut System Down Privilege"),
    // 0x700: values, access reasons, yes/no, impersonation levels.
    (1792, "<value changed, but not displayed>"),
    (1793, "<value not set>"),
    (1794, "<never>"),
    (1795, "Enabled"),
    (1796, "Disabled"),
    (1797, "All"),
    (1798, "None"),
    (1799, "Audit Policy query/set API Operation"),
    (
        1800,
        "<Value change auditing for this registry type is not supported>",
    ),
    (1801, "Granted by"),
    (1802, "Denied by"),
    (1803, "Denied by Integrity Policy check"),
    (1804, "Granted by Ownership"),
    (1805, "Not granted"),
    (1806, "Granted by NULL DACL"),
    (1807, "Denied by Empty DACL"),
    (1808, "Granted by NULL Security Descriptor"),
    (1809, "Unknown or unchecked"),
    (1810, "Not granted due to missing"),
    (1811, "Granted by ACE on parent folder"),
    (1812, "Denied by ACE on parent folder"),
    (1813, "Granted by Central Access Rule "),
    (1814, "NOT Granted by Central Access Rule "),
    (1815, "Granted by parent folder's Central Access Rule "),
    (1816, "NOT Granted by parent folder's Central Access Rule "),
    (1817, "Unknown Type"),
    (1818, "String"),
    (1819, "Unsigned 64-bit Integer"),
    (1820, "64-bit Integer"),
    (1821, "FQBN"),
    (1822, "Blob"),
    (1823, "Sid"),
    (1824, "Boolean"),
    (1825, "True"),
    (1826, "False"),
    (1827, "Invalid"),
    (1828, "an ACE too long to display"),
    (1829, "a Security Descriptor too long to display"),
    (1830, "Not granted to AppContainers"),
    (1831, "..."),
    (1832, "Identification"),
    (1833, "Impersonation"),
    (1840, "Delegation"),
    (1841, "Denied by Process Trust Label ACE"),
    (1842, "Yes"),
    (1843, "No"),
    (1844, "System"),
    (1845, "Not Available"),
    (1846, "Default"),
    (1847, "DisallowMmConfig"),
    (1848, "Off"),
    (1849, "Auto"),
    (1856, "Denied by Access Filter Ace"),
    // 0x750: registry value types.
    (1872, "REG_NONE"),
    (1873, "REG_SZ"),
    (1874, "REG_EXPAND_SZ"),
    (1875, "REG_BINARY"),
    (1876, "REG_DWORD"),
    (1877, "REG_DWORD_BIG_ENDIAN"),
    (1878, "REG_LINK"),
    (
        1879,
        "REG_MULTI_SZ (New lines are replaced with *. A * is replaced with **)",
    ),
    (1880, "REG_RESOURCE_LIST"),
    (1881, "REG_FULL_RESOURCE_DESCRIPTOR"),
    (1882, "REG_RESOURCE_REQUIREMENTS_LIST"),
    (1883, "REG_QWORD"),
    (1904, "New registry value created"),
    (1905, "Existing registry value modified"),
    (1906, "Registry value deleted"),
    // 0x780: days of the week.
    (1920, "Sunday"),
    (1921, "Monday"),
    (1922, "Tuesday"),
    (1923, "Wednesday"),
    (1924, "Thursday"),
    (1925, "Friday"),
    (1926, "Saturday"),
    // 0x790: token elevation types (4688 TokenElevationType).
    (1936, "TokenElevationTypeDefault (1)"),
    (1937, "TokenElevationTypeFull (2)"),
    (1938, "TokenElevationTypeLimited (3)"),
    // 0x800: UserAccountControl changes (4720, 4738, 4742).
    (2048, "Account Enabled"),
    (2049, "'Home Directory Required' - Disabled"),
    (2050, "'Password Not Required' - Disabled"),
    (2051, "'Temp Duplicate Account' - Disabled"),
    (2052, "'Normal Account' - Disabled"),
    (2053, "'MNS Logon Account' - Disabled"),
    (2054, "'Interdomain Trust Account' - Disabled"),
    (2055, "'Workstation Trust Account' - Disabled"),
    (2056, "'Server Trust Account' - Disabled"),
    (2057, "'Don't Expire Password' - Disabled"),
    (2058, "Account Unlocked"),
    (2059, "'Encrypted Text Password Allowed' - Disabled"),
    (2060, "'Smartcard Required' - Disabled"),
    (2061, "'Trusted For Delegation' - Disabled"),
    (2062, "'Not Delegated' - Disabled"),
    (2063, "'Use DES Key Only' - Disabled"),
    (2064, "'Don't Require Preauth' - Disabled"),
    (2065, "'Password Expired' - Disabled"),
    (2066, "'Trusted To Authenticate For Delegation' - Disabled"),
    (2067, "'Exclude Authorization Information' - Disabled"),
    (2068, "'Undefined UserAccountControl Bit 20' - Disabled"),
    (
        2069,
        "'Protect Kerberos Service Tickets with AES Keys' - Disabled",
    ),
    (2070, "'Undefined UserAccountControl Bit 22' - Disabled"),
    (2071, "'Undefined UserAccountControl Bit 23' - Disabled"),
    (2072, "'Undefined UserAccountControl Bit 24' - Disabled"),
    (2073, "'Undefined UserAccountControl Bit 25' - Disabled"),
    (2074, "'Undefined UserAccountControl Bit 26' - Disabled"),
    (2075, "'Undefined UserAccountControl Bit 27' - Disabled"),
    (2076, "'Undefined UserAccountControl Bit 28' - Disabled"),
    (2077, "'Undefined UserAccountControl Bit 29' - Disabled"),
    (2078, "'Undefined UserAccountControl Bit 30' - Disabled"),
    (2079, "'Undefined UserAccountControl Bit 31' - Disabled"),
    (2080, "Account Disabled"),
    (2081, "'Home Directory Required' - Enabled"),
    (2082, "'Password Not Required' - Enabled"),
    (2083, "'Temp Duplicate Account' - Enabled"),
    (2084, "'Normal Account' - Enabled"),
    (2085, "'MNS Logon Account' - Enabled"),
    (2086, "'Interdomain Trust Account' - Enabled"),
    (2087, "'Workstation Trust Account' - Enabled"),
    (2088, "'Server Trust Account' - Enabled"),
    (2089, "'Don't Expire Password' - Enabled"),
    (2090, "Account Locked"),
    (2091, "'Encrypted Text Password Allowed' - Enabled"),
    (2092, "'Smartcard Required' - Enabled"),
    (2093, "'Trusted For Delegation' - Enabled"),
    (2094, "'Not Delegated' - Enabled"),
    (2095, "'Use DES Key Only' - Enabled"),
    (2096, "'Don't Require Preauth' - Enabled"),
    (2097, "'Password Expired' - Enabled"),
    (2098, "'Trusted To Authenticate For Delegation' - Enabled"),
    (2099, "'Exclude Authorization Information' - Enabled"),
    (2100, "'Undefined UserAccountControl Bit 20' - Enabled"),
    (
        2101,
        "'Protect Kerberos Service Tickets with AES Keys' - Enabled",
    ),
    (2102, "'Undefined UserAccountControl Bit 22' - Enabled"),
    (2103, "'Undefined UserAccountControl Bit 23' - Enabled"),
    (2104, "'Undefined UserAccountControl Bit 24' - Enabled"),
    (2105, "'Undefined UserAccountControl Bit 25' - Enabled"),
    (2106, "'Undefined UserAccountControl Bit 26' - Enabled"),
    (2107, "'Undefined UserAccountControl Bit 27' - Enabled"),
    (2108, "'Undefined UserAccountControl Bit 28' - Enabled"),
    (2109, "'Undefined UserAccountControl Bit 29' - Enabled"),
    (2110, "'Undefined UserAccountControl Bit 30' - Enabled"),
    (2111, "'Undefined UserAccountControl Bit 31' - Enabled"),
    // 0x900: logon failure reasons (4625 FailureReason).
    (2304, "An Error occured during Logon."),
    (2305, "The specified user account has expired."),
    (2306, "The NetLogon component is not active."),
    (2307, "Account locked out."),
    (
        2308,
        "The user has not been granted the requested logon type at this machine.",
    ),
    (2309, "The specified account's password has expired."),
    (2310, "Account currently disabled."),
    (2311, "Account logon time restriction violation."),
    (2312, "User not allowed to logon at this computer."),
    (2313, "Unknown user name or bad password."),
    (2314, "Domain sid inconsistent."),
    (2315, "Smartcard logon is required and was not used."),
    // 0x980: cryptographic self tests and operations (5058, 5059, 5061).
    (2432, "Not Available."),
    (2436, "Random number generator failure."),
    (
        2437,
        "Random number generation failed FIPS-140 pre-hash check.",
    ),
    (2438, "Failed to zero secret data."),
    (2439, "Key failed pair wise consistency check."),
    (2448, "Failed to unprotect persistent cryptographic key."),
    (2449, "Key export checks failed."),
    (2450, "Validation of public key failed."),
    (2451, "Signature verification failed."),
    (2456, "Open key file."),
    (2457, "Delete key file."),
    (2458, "Read persisted key from file."),
    (2459, "Write persisted key to file."),
    (2464, "Export of persistent cryptographic key."),
    (2465, "Import of persistent cryptographic key."),
    (2480, "Open Key."),
    (2481, "Create Key."),
    (2482, "Delete Key."),
    (2483, "Encrypt."),
    (2484, "Decrypt."),
    (2485, "Sign hash."),
    (2486, "Secret agreement."),
    (2487, "Domain settings"),
    (2488, "Local settings"),
    (2489, "Add provider."),
    (2490, "Remove provider."),
    (2491, "Add context."),
    (2492, "Remove context."),
    (2493, "Add function."),
    (2494, "Remove function."),
    (2495, "Add function provider."),
    (2496, "Remove function provider."),
    (2497, "Add function property."),
    (2498, "Remove function property."),
    (2499, "Machine key."),
    (2500, "User key."),
    (2501, "Key Derivation."),
    (2502, "Claim Creation."),
    (2503, "Claim Verification."),
    // 0x1100: object-specific access rights.
    (4352, "Device Access Bit 0"),
    (4353, "Device Access Bit 1"),
    (4354, "Device Access Bit 2"),
    (4355, "Device Access Bit 3"),
    (4356, "Device Access Bit 4"),
    (4357, "Device Access Bit 5"),
    (4358, "Device Access Bit 6"),
    (4359, "Device Access Bit 7"),
    (4360, "Device Access Bit 8"),
    (4368, "Query directory"),
    (4369, "Traverse"),
    (4370, "Create object in directory"),
    (4371, "Create sub-directory"),
    (4384, "Query event state"),
    (4385, "Modify event state"),
    (4416, "ReadData (or ListDirectory)"),
    (4417, "WriteData (or AddFile)"),
    (
        4418,
        "AppendData (or AddSubdirectory or CreatePipeInstance)",
    ),
    (4419, "ReadEA"),
    (4420, "WriteEA"),
    (4421, "Execute/Traverse"),
    (4422, "DeleteChild"),
    (4423, "ReadAttributes"),
    (4424, "WriteAttributes"),
    (4432, "Query key value"),
    (4433, "Set key value"),
    (4434, "Create sub-key"),
    (4435, "Enumerate sub-keys"),
    (4436, "Notify about changes to keys"),
    (4437, "Create Link"),
    (4440, "Enable 64(or 32) bit application to open 64 bit key"),
    (4441, "Enable 64(or 32) bit application to open 32 bit key"),
    (4448, "Query mutant state"),
    (4464, "Communicate using port"),
    (4480, "Force process termination"),
    (4481, "Create new thread in process"),
    (4482, "Set process session ID"),
    (4483, "Perform virtual memory operation"),
    (4484, "Read from process memory"),
    (4485, "Write to process memory"),
    (4486, "Duplicate handle into or out of process"),
    (4487, "Create a subprocess of process"),
    (4488, "Set process quotas"),
    (4489, "Set process information"),
    (4490, "Query process information"),
    (4491, "Set process termination port"),
    (4496, "Control profile"),
    (4512, "Query section state"),
    (4513, "Map section for write"),
    (4514, "Map section for read"),
    (4515, "Map section for execute"),
    (4516, "Extend size"),
    (4528, "Query semaphore state"),
    (4529, "Modify semaphore state"),
    (4544, "Use symbolic link"),
    (4560, "Force thread termination"),
    (4561, "Suspend or resume thread"),
    (4562, "Send an alert to thread"),
    (4563, "Get thread context"),
    (4564, "Set thread context"),
    (4565, "Set thread information"),
    (4566, "Query thread information"),
    (4567, "Assign a token to the thread"),
    (4568, "Cause thread to directly impersonate another thread"),
    (4569, "Directly impersonate this thread"),
    (4576, "Query timer state"),
    (4577, "Modify timer state"),
    (4592, "AssignAsPrimary"),
    (4593, "Duplicate"),
    (4594, "Impersonate"),
    (4595, "Query"),
    (4596, "QuerySource"),
    (4597, "AdjustPrivileges"),
    (4598, "AdjustGroups"),
    (4599, "AdjustDefaultDacl"),
    (4600, "AdjustSessionID"),
    (4608, "Create instance of object type"),
    (4864, "Query State"),
    (4865, "Modify State"),
    (5120, "Channel read message"),
    (5121, "Channel write message"),
    (5122, "Channel query information"),
    (5123, "Channel set information"),
    (5136, "Assign process"),
    (5137, "Set Attributes"),
    (5138, "Query Attributes"),
    (5139, "Terminate Job"),
    (5140, "Set Security Attributes"),
    // 0x1500: SAM objects.
    (5376, "ConnectToServer"),
    (5377, "ShutdownServer"),
    (5378, "InitializeServer"),
    (5379, "CreateDomain"),
    (5380, "EnumerateDomains"),
    (5381, "LookupDomain"),
    (5392, "ReadPasswordParameters"),
    (5393, "WritePasswordParameters"),
    (5394, "ReadOtherParameters"),
    (5395, "WriteOtherParameters"),
    (5396, "CreateUser"),
    (5397, "CreateGlobalGroup"),
    (5398, "CreateLocalGroup"),
    (5399, "GetLocalGroupMembership"),
    (5400, "ListAccounts"),
    (5401, "LookupIDs"),
    (5402, "AdministerServer"),
    (5408, "ReadInformation"),
    (5409, "WriteAccount"),
    (5410, "AddMember"),
    (5411, "RemoveMember"),
    (5412, "ListMembers"),
    (5424, "AddMember"),
    (5425, "RemoveMember"),
    (5426, "ListMembers"),
    (5427, "ReadInformation"),
    (5428, "WriteAccount"),
    (5440, "ReadGeneralInformation"),
    (5441, "ReadPreferences"),
    (5442, "WritePreferences"),
    (5443, "ReadLogon"),
    (5444, "ReadAccount"),
    (5445, "WriteAccount"),
    (5446, "ChangePassword (with knowledge of old password)"),
    (5447, "SetPassword (without knowledge of old password)"),
    (5448, "ListGroups"),
    (5449, "ReadGroupMembership"),
    (5450, "ChangeGroupMembership"),
    // 0x1600: LSA policy objects.
    (5632, "View non-sensitive policy information"),
    (5633, "View system audit requirements"),
    (5634, "Get sensitive policy information"),
    (5635, "Modify domain trust relationships"),
    (
        5636,
        "Create special accounts (for assignment of user rights)",
    ),
    (5637, "Create a secret object"),
    (5638, "Create a privilege"),
    (5639, "Set default quota limits"),
    (5640, "Change system audit requirements"),
    (5641, "Administer audit log attributes"),
    (5642, "Enable/Disable LSA"),
    (5643, "Lookup Names/SIDs"),
    (5648, "Change secret value"),
    (5649, "Query secret value"),
    (5664, "Query trusted domain name/SID"),
    (5665, "Retrieve the controllers in the trusted domain"),
    (5666, "Change the controllers in the trusted domain"),
    (
        5667,
        "Query the Posix ID offset assigned to the trusted domain",
    ),
    (
        5668,
        "Change the Posix ID offset assigned to the trusted domain",
    ),
    (5680, "Query account information"),
    (5681, "Change privileges assigned to account"),
    (5682, "Change quotas assigned to account"),
    (5683, "Change logon capabilities assigned to account"),
    (
        5684,
        "Change the Posix ID offset assigned to the accounted domain",
    ),
    (5696, "KeyedEvent Wait"),
    (5697, "KeyedEvent Wake"),
    // 0x1a00: window stations and desktops.
    (6656, "Enumerate desktops"),
    (6657, "Read attributes"),
    (6658, "Access Clipboard"),
    (6659, "Create desktop"),
    (6660, "Write attributes"),
    (6661, "Access global atoms"),
    (6662, "Exit windows"),
    (6663, "Unused Access Flag"),
    (6664, "Include this windowstation in enumerations"),
    (6665, "Read screen"),
    (6672, "Read Objects"),
    (6673, "Create window"),
    (6674, "Create menu"),
    (6675, "Hook control"),
    (6676, "Journal (record)"),
    (6677, "Journal (playback)"),
    (6678, "Include this desktop in enumerations"),
    (6679, "Write objects"),
    (6680, "Switch to this desktop"),
    // 0x1b00: printers.
    (6912, "Administer print server"),
    (6913, "Enumerate printers"),
    (6930, "Full Control"),
    (6931, "Print"),
    (6948, "Administer Document"),
    // 0x1c00: service control manager.
    (7168, "Connect to service controller"),
    (7169, "Create a new service"),
    (7170, "Enumerate services"),
    (7171, "Lock service database for exclusive access"),
    (7172, "Query service database lock state"),
    (7173, "Set last-known-good state of service database"),
    (7184, "Query service configuration information"),
    (7185, "Set service configuration information"),
    (7186, "Query status of service"),
    (7187, "Enumerate dependencies of service"),
    (7188, "Start the service"),
    (7189, "Stop the service"),
    (7190, "Pause or continue the service"),
    (7191, "Query information from service"),
    (7192, "Issue service-specific control commands"),
    // 0x1d00: DDE shares.
    (7424, "DDE Share Read"),
    (7425, "DDE Share Write"),
    (7426, "DDE Share Initiate Static"),
    (7427, "DDE Share Initiate Link"),
    (7428, "DDE Share Request"),
    (7429, "DDE Share Advise"),
    (7430, "DDE Share Poke"),
    (7431, "DDE Share Execute"),
    (7432, "DDE Share Add Items"),
    (7433, "DDE Share List Items"),
    // 0x1e00: directory service objects (4662).
    (7680, "Create Child"),
    (7681, "Delete Child"),
    (7682, "List Contents"),
    (7683, "Write Self"),
    (7684, "Read Property"),
    (7685, "Write Property"),
    (7686, "Delete Tree"),
    (7687, "List Object"),
    (7688, "Control Access"),
    // 0x1f00: audit policy, port sharing, credentials.
    (7936, "Audit Set System Policy"),
    (7937, "Audit Query System Policy"),
    (7938, "Audit Set Per User Policy"),
    (7939, "Audit Query Per User Policy"),
    (7940, "Audit Enumerate Users"),
    (7941, "Audit Set Options"),
    (7942, "Audit Query Options"),
    (8064, "Port sharing (read)"),
    (8065, "Port sharing (write)"),
    (8096, "Default credentials"),
    (8097, "Credentials manager"),
    (8098, "Fresh credentials"),
    (8099, "Read Credential"),
    (8100, "Enumerate Credentials"),
    (8101, "Read Domain Credentials"),
    (8102, "Find Best Credential"),
    (8103, "Read By Token Handle"),
    // 0x2000: IPsec.
    (8192, "Kerberos"),
    (8193, "Preshared key"),
    (8194, "Unknown authentication"),
    (8195, "DES"),
    (8196, "3DES"),
    (8197, "MD5"),
    (8198, "SHA1"),
    (8199, "Local computer"),
    (8200, "Remote computer"),
    (8201, "No state"),
    (8202, "Sent first (SA) payload"),
    (8203, "Sent second (KE) payload"),
    (8204, "Sent third (ID) payload"),
    (8205, "Initiator"),
    (8206, "Responder"),
    (8207, "No state"),
    (8208, "Sent first (SA) payload"),
    (8209, "Sent final payload"),
    (8210, "Complete"),
    (8211, "Unknown"),
    (8212, "Transport"),
    (8213, "Tunnel"),
    (8214, "IKE/AuthIP DoS prevention mode started"),
    (8215, "IKE/AuthIP DoS prevention mode stopped"),
    (8216, "Enabled"),
    (8217, "Not enabled"),
    (8218, "No state"),
    (8219, "Sent first (EM attributes) payload"),
    (8220, "Sent second (SSPI) payload"),
    (8221, "Sent third (hash) payload"),
    (8222, "IKEv1"),
    (8223, "AuthIP"),
    (8224, "Anonymous"),
    (8225, "NTLM V2"),
    (8226, "CGA"),
    (8227, "Certificate"),
    (8228, "SSL"),
    (8229, "None"),
    (8230, "DH group 1"),
    (8231, "DH group 2"),
    (8232, "DH group 14"),
    (8233, "DH group ECP 256"),
    (8234, "DH group ECP 384"),
    (8235, "AES-128"),
    (8236, "AES-192"),
    (8237, "AES-256"),
    (8238, "Certificate ECDSA P256"),
    (8239, "Certificate ECDSA P384"),
    (8240, "SSL ECDSA P256"),
    (8241, "SSL ECDSA P384"),
    (8242, "SHA 256"),
    (8243, "SHA 384"),
    (8244, "IKEv2"),
    (8245, "EAP payload sent"),
    (8246, "Authentication payload sent"),
    (8247, "EAP"),
    (8248, "DH group 24"),
    // 0x2050: audit policy categories (4719 CategoryId).
    (8272, "System"),
    (8273, "Logon/Logoff"),
    (8274, "Object Access"),
    (8275, "Privilege Use"),
    (8276, "Detailed Tracking"),
    (8277, "Policy Change"),
    (8278, "Account Management"),
    (8279, "DS Access"),
    (8280, "Account Logon"),
    // 0x2100: audit policy changes (4719 AuditPolicyChanges).
    (8448, "Success removed"),
    (8449, "Success Added"),
    (8450, "Failure removed"),
    (8451, "Failure added"),
    (8452, "Success include removed"),
    (8453, "Success include added"),
    (8454, "Success exclude removed"),
    (8455, "Success exclude added"),
    (8456, "Failure include removed"),
    (8457, "Failure include added"),
    (8458, "Failure exclude removed"),
    (8459, "Failure exclude added"),
    // 0x3000: audit policy subcategories (4719 SubcategoryId).
    (12288, "Security State Change"),
    (12289, "Security System Extension"),
    (12290, "System Integrity"),
    (12291, "IPsec Driver"),
    (12292, "Other System Events"),
    (12544, "Logon"),
    (12545, "Logoff"),
    (12546, "Account Lockout"),
    (12547, "IPsec Main Mode"),
    (12548, "Special Logon"),
    (12549, "IPsec Quick Mode"),
    (12550, "IPsec Extended Mode"),
    (12551, "Other Logon/Logoff Events"),
    (12552, "Network Policy Server"),
    (12553, "User / Device Claims"),
    (12554, "Group Membership"),
    (12800, "File System"),
    (12801, "Registry"),
    (12802, "Kernel Object"),
    (12803, "SAM"),
    (12804, "Other Object Access Events"),
    (12805, "Certification Services"),
    (12806, "Application Generated"),
    (12807, "Handle Manipulation"),
    (12808, "File Share"),
    (12809, "Filtering Platform Packet Drop"),
    (12810, "Filtering Platform Connection"),
    (12811, "Detailed File Share"),
    (12812, "Removable Storage"),
    (12813, "Central Policy Staging"),
    (13056, "Sensitive Privilege Use"),
    (13057, "Non Sensitive Privilege Use"),
    (13058, "Other Privilege Use Events"),
    (13312, "Process Creation"),
    (13313, "Process Termination"),
    (13314, "DPAPI Activity"),
    (13315, "RPC Events"),
    (13316, "Plug and Play Events"),
    (13317, "Token Right Adjusted Events"),
    (13568, "Audit Policy Change"),
    (13569, "Authentication Policy Change"),
    (13570, "Authorization Policy Change"),
    (13571, "MPSSVC Rule-Level Policy Change"),
    (13572, "Filtering Platform Policy Change"),
    (13573, "Other Policy Change Events"),
    (13824, "User Account Management"),
    (13825, "Computer Account Management"),
    (13826, "Security Group Management"),
    (13827, "Distribution Group Management"),
    (13828, "Application Group Management"),
    (13829, "Other Account Management Events"),
    (14080, "Directory Service Access"),
    (14081, "Directory Service Changes"),
    (14082, "Directory Service Replication"),
    (14083, "Detailed Directory Service Replication"),
    (14336, "Credential Validation"),
    (14337, "Kerberos Service Ticket Operations"),
    (14338, "Other Account Logon Events"),
    (14339, "Kerberos Authentication Service"),
    // 0x3900: filtering platform (5152-5159).
    (14592, "Inbound"),
    (14593, "Outbound"),
    (14594, "Forward"),
    (14595, "Bidirectional"),
    (14596, "IP Packet"),
    (14597, "Transport"),
    (14598, "Forward"),
    (14599, "Stream"),
    (14600, "Datagram Data"),
    (14601, "ICMP Error"),
    (14602, "MAC 802.3"),
    (14603, "MAC Native"),
    (14604, "vSwitch"),
    (14608, "Resource Assignment"),
    (14609, "Listen"),
    (14610, "Receive/Accept"),
    (14611, "Connect"),
    (14612, "Flow Established"),
    (14614, "Resource Release"),
    (14615, "Endpoint Closure"),
    (14616, "Connect Redirect"),
    (14617, "Bind Redirect"),
    (14624, "Stream Packet"),
    (14625, "Accept Redirect"),
    (14640, "ICMP Echo-Request"),
    (14641, "vSwitch Ingress"),
    (14642, "vSwitch Egress"),
    (14643, "Unknown"),
    (14644, "Public"),
    (14645, "Private"),
    (14646, "Domain"),
    // 0x3950: directory service changes (5136).
    (14672, "<Binary>"),
    (14673, "[NULL]"),
    (14674, "Value Added"),
    (14675, "Value Deleted"),
    (14676, "Active Directory Domain Services"),
    (14677, "Active Directory Lightweight Directory Services"),
    (14678, "Yes"),
    (14679, "No"),
    (14680, "Value Added With Expiration Time"),
    (14681, "Value Deleted With Expiration Time"),
    (14688, "Value Auto Deleted With Expiration Time"),
    // 0x4000: filtering platform policy (5440-5450).
    (16384, "Add"),
    (16385, "Delete"),
    (16386, "Boot-time"),
    (16387, "Persistent"),
    (16388, "Not persistent"),
    (16389, "Block"),
    (16390, "Permit"),
    (16391, "Callout"),
    (16392, "MD5"),
    (16393, "SHA-1"),
    (16394, "SHA-256"),
    (16395, "AES-GCM 128"),
    (16396, "AES-GCM 192"),
    (16397, "AES-GCM 256"),
    (16398, "DES"),
    (16399, "3DES"),
    (16400, "AES-128"),
    (16401, "AES-192"),
    (16402, "AES-256"),
    (16403, "Transport"),
    (16404, "Tunnel"),
    (16405, "Responder"),
    (16406, "Initiator"),
    (16407, "AES-GMAC 128"),
    (16408, "AES-GMAC 192"),
    (16409, "AES-GMAC 256"),
    (16416, "AuthNoEncap Transport"),
    // 0x4200: WMI namespaces.
    (16896, "Enable WMI Account"),
    (16897, "Execute Method"),
    (16898, "Full Write"),
    (16899, "Partial Write"),
    (16900, "Provider Write"),
    (16901, "Remote Access"),
    (16902, "Subscribe"),
    (16903, "Publish"),
    (16904, "AES-GSM-128"),
    (16905, "AES-GSM-256"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn strictly_sorted<T, K: Ord>(rows: &[T], key: impl Fn(&T) -> K) -> bool {
        rows.windows(2).all(|w| key(&w[0]) < key(&w[1]))
    }

    #[test]
    fn tables_are_sorted_and_unique() {
        assert!(strictly_sorted(NTSTATUS, |c| c.code));
        assert!(strictly_sorted(KERBEROS, |c| c.code));
        assert!(strictly_sorted(LOGON_TYPES, |r| r.0));
        assert!(strictly_sorted(MESSAGES, |r| r.0));
    }

    #[test]
    fn texts_are_clean() {
        for (id, text) in MESSAGES {
            assert!(!text.is_empty(), "{id}");
            assert!(!text.contains(['\r', '\n']), "{id}");
        }
        for c in NTSTATUS.iter().chain(KERBEROS) {
            assert!(!c.text.is_empty() && !c.name.is_empty(), "{:#x}", c.code);
        }
    }

    #[test]
    fn hex_ranges_match_the_message_file() {
        // The message file numbers its rows in hex; spot-check the decimal transcription at
        // each block boundary.
        assert_eq!(message(0x601), Some("DELETE"));
        assert_eq!(message(0x729), Some("Impersonation"));
        assert_eq!(message(0x790), Some("TokenElevationTypeDefault (1)"));
        assert_eq!(message(0x820), Some("Account Disabled"));
        assert_eq!(message(0x909), Some("Unknown user name or bad password."));
        assert_eq!(message(0x1140), Some("ReadData (or ListDirectory)"));
        assert_eq!(
            message(0x1547),
            Some("SetPassword (without knowledge of old password)")
        );
        assert_eq!(message(0x1e08), Some("Control Access"));
        assert_eq!(message(0x2101), Some("Success Added"));
        assert_eq!(message(0x3100), Some("Logon"));
        assert_eq!(message(0x3803), Some("Kerberos Authentication Service"));
        assert_eq!(message(0x3954), Some("Active Directory Domain Services"));
        assert_eq!(message(0x4209), Some("AES-GSM-256"));
        assert_eq!(message(0x1e09), Some("Undefined Access (no effect) Bit 9"));
        assert_eq!(message(4492), Some("Undefined Access (no effect) Bit 12"));
        assert_eq!(message(0x615), Some("Unknown specific access (bit 5)"));
        assert_eq!(message(0x11e7), None, "a gap in the source");
        assert_eq!(message(0x1e10), None);
    }

    #[test]
    fn lookups() {
        assert_eq!(
            ntstatus(0xC000_006D).map(|c| c.name),
            Some("STATUS_LOGON_FAILURE")
        );
        assert_eq!(
            kerberos(0x18).map(|c| c.name),
            Some("KDC_ERR_PREAUTH_FAILED")
        );
        assert_eq!(kerberos(0x1E), None);
        assert_eq!(logon_type(10), Some("RemoteInteractive"));
        assert_eq!(logon_type(1), None);
        assert_eq!(logon_type(6), None);
    }
}

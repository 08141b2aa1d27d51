//! One authentication attempt, from the Security events that describe one.

use std::net::IpAddr;

use super::codes::{self, CodeInfo, CodeSpace};
use super::{
    Outcome, SECURITY_AUDITING_PROVIDER, file_name, parse_ip, parse_message_ref, parse_number,
    parse_port, parse_u32, present,
};

/// Which Security event a [`LogonAttempt`] was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LogonKind {
    /// 4624: an account was successfully logged on.
    Logon,
    /// 4625: an account failed to log on.
    FailedLogon,
    /// 4648: a logon was attempted using explicit credentials.
    ExplicitCredentials,
    /// 4771: Kerberos pre-authentication failed (domain controller).
    KerberosPreAuthFailed,
    /// 4776: the computer attempted to validate the credentials for an account (NTLM).
    CredentialValidation,
}

impl LogonKind {
    /// The kind of a Security-Auditing event id, for the five logon events.
    ///
    /// ```
    /// use evtxml::security::LogonKind;
    /// assert_eq!(LogonKind::from_event_id(4625), Some(LogonKind::FailedLogon));
    /// assert_eq!(LogonKind::from_event_id(4634), None);
    /// ```
    pub fn from_event_id(event_id: u32) -> Option<Self> {
        Some(match event_id {
            4624 => Self::Logon,
            4625 => Self::FailedLogon,
            4648 => Self::ExplicitCredentials,
            4771 => Self::KerberosPreAuthFailed,
            4776 => Self::CredentialValidation,
            _ => return None,
        })
    }

    /// The event id of this kind.
    pub fn event_id(self) -> u32 {
        match self {
            Self::Logon => 4624,
            Self::FailedLogon => 4625,
            Self::ExplicitCredentials => 4648,
            Self::KerberosPreAuthFailed => 4771,
            Self::CredentialValidation => 4776,
        }
    }
}

/// A status or sub-status code of a logon event, with its meaning when the tables know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureCode {
    /// The code as a number.
    pub code: u32,
    /// Which code space it belongs to: NTSTATUS (4625, 4776) or Kerberos (4771).
    pub space: CodeSpace,
    /// The table row (symbolic name and meaning), `None` for codes the tables do not list.
    pub info: Option<&'static CodeInfo>,
}

impl FailureCode {
    /// The code from its table, for `space`.
    ///
    /// ```
    /// use evtxml::security::{CodeSpace, FailureCode};
    /// let c = FailureCode::new(0xC000006A, CodeSpace::NtStatus);
    /// assert_eq!(c.name(), Some("STATUS_WRONG_PASSWORD"));
    /// assert_eq!(c.text(), Some("User logon with misspelled or bad password"));
    /// assert_eq!(c.to_string(), "0xC000006A");
    /// ```
    pub fn new(code: u32, space: CodeSpace) -> Self {
        let info = match space {
            CodeSpace::NtStatus => codes::ntstatus(code),
            CodeSpace::Kerberos => codes::kerberos(code),
        };
        Self { code, space, info }
    }

    /// The symbolic name (`STATUS_LOGON_FAILURE`, `KDC_ERR_PREAUTH_FAILED`).
    pub fn name(&self) -> Option<&'static str> {
        self.info.map(|i| i.name)
    }

    /// The meaning.
    pub fn text(&self) -> Option<&'static str> {
        self.info.map(|i| i.text)
    }

    /// Whether the code means success (`0`).
    pub fn is_success(&self) -> bool {
        self.code == 0
    }
}

impl std::fmt::Display for FailureCode {
    /// NTSTATUS codes as `0xC000006D`, Kerberos codes as `0x18`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.space {
            CodeSpace::NtStatus => write!(f, "0x{:08X}", self.code),
            CodeSpace::Kerberos => write!(f, "0x{:X}", self.code),
        }
    }
}

/// One authentication attempt, as recorded by a Security event of the
/// `Microsoft-Windows-Security-Auditing` provider.
///
/// | event | kind | target account | status |
/// |---|---|---|---|
/// | 4624 | [`LogonKind::Logon`] | `TargetUserName`, `TargetDomainName`, `TargetUserSid` | — |
/// | 4625 | [`LogonKind::FailedLogon`] | same | `Status`, `SubStatus` (NTSTATUS), `FailureReason` |
/// | 4648 | [`LogonKind::ExplicitCredentials`] | the credentials used (`TargetUserName`, `TargetDomainName`) | — |
/// | 4771 | [`LogonKind::KerberosPreAuthFailed`] | `TargetUserName`, `TargetSid` | `Status` (Kerberos) |
/// | 4776 | [`LogonKind::CredentialValidation`] | `TargetUserName` | `Status` (NTSTATUS) |
///
/// Values written `-` or empty are absent (`None`); strings are otherwise kept verbatim. The
/// source address is parsed (`::ffff:a.b.c.d` becomes IPv4), `ProcessId` is read from its `0x`
/// hexadecimal form, and `%%nnnn` failure reasons are resolved with
/// [`message_id_text`](super::message_id_text).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LogonAttempt {
    /// Which event this was read from.
    pub kind: LogonKind,
    /// `TimeCreated SystemTime` as written.
    pub time: Option<String>,
    /// `Computer`: the machine that logged the event (the one accessed, or the domain
    /// controller for 4771/4776).
    pub computer: Option<String>,
    /// Whether the attempt succeeded: 4624 and 4648 succeed, 4625 and 4771 fail, 4776 fails
    /// unless its `Status` is 0.
    pub outcome: Outcome,
    /// The account the attempt was for.
    pub target_user: Option<String>,
    /// Its domain.
    pub target_domain: Option<String>,
    /// Its SID (`TargetUserSid`, or `TargetSid` for 4771).
    pub target_sid: Option<String>,
    /// The account that requested the logon (`SubjectUserName`; 4624, 4625, 4648).
    pub subject_user: Option<String>,
    /// Its domain.
    pub subject_domain: Option<String>,
    /// Its SID.
    pub subject_sid: Option<String>,
    /// `LogonType` (4624, 4625).
    pub logon_type: Option<u32>,
    /// The name of `logon_type` ([`logon_type_name`](super::logon_type_name)).
    pub logon_type_name: Option<&'static str>,
    /// The logon session created (`TargetLogonId` of 4624) or used (`SubjectLogonId` of 4648),
    /// as written (`0x8dcdc`).
    pub logon_id: Option<String>,
    /// The network address the attempt came from (`IpAddress`).
    pub source_ip: Option<IpAddr>,
    /// Its port (`IpPort`).
    pub source_port: Option<u16>,
    /// The client workstation name (`WorkstationName`; `Workstation` for 4776).
    pub workstation: Option<String>,
    /// The server or service the credentials were for (`TargetServerName` of 4648,
    /// `ServiceName` of 4771).
    pub target_server: Option<String>,
    /// `Status`: NTSTATUS for 4625 and 4776, Kerberos error for 4771.
    pub status: Option<FailureCode>,
    /// `SubStatus` (4625).
    pub sub_status: Option<FailureCode>,
    /// `FailureReason` (4625), its `%%nnnn` reference resolved to text.
    pub failure_reason: Option<String>,
    /// The process that requested the logon (`ProcessId`, read from hex).
    pub process_id: Option<u64>,
    /// Its executable path (`ProcessName`).
    pub process_name: Option<String>,
    /// `AuthenticationPackageName` (4624, 4625) or `PackageName` (4776).
    pub authentication_package: Option<String>,
    /// `LogonProcessName` (4624, 4625), verbatim (`Advapi  ` keeps its trailing spaces).
    pub logon_process: Option<String>,
}

/// What a [`LogonAttempt`] is read from: the System fields it needs and the payload's named
/// values.
pub(crate) struct Source<'s, F> {
    pub(crate) provider: Option<&'s str>,
    pub(crate) event_id: Option<u32>,
    pub(crate) time: Option<&'s str>,
    pub(crate) computer: Option<&'s str>,
    pub(crate) fields: F,
}

impl LogonAttempt {
    /// The logon attempt an event records, or `None` when it is not one of the five logon
    /// events of the `Microsoft-Windows-Security-Auditing` provider (or has no `EventData`).
    ///
    /// ```
    /// use evtxml::security::{LogonAttempt, LogonKind, Outcome};
    /// let xml = r#"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>
    /// <Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>4625</EventID>
    /// <TimeCreated SystemTime='2019-02-02T15:01:02.123456Z'/><Computer>DC01</Computer></System>
    /// <EventData><Data Name='TargetUserName'>Administrator</Data>
    /// <Data Name='Status'>0xc000006d</Data><Data Name='FailureReason'>%%2313</Data>
    /// <Data Name='SubStatus'>0xc000006a</Data><Data Name='LogonType'>3</Data>
    /// <Data Name='ProcessId'>0x0</Data><Data Name='ProcessName'>-</Data>
    /// <Data Name='IpAddress'>::ffff:192.168.198.149</Data><Data Name='IpPort'>49219</Data>
    /// </EventData></Event>"#;
    /// let event = evtxml::parse_event(xml, &evtxml::Limits::default()).unwrap();
    /// let a = LogonAttempt::from_event(&event).unwrap();
    /// assert_eq!(a.kind, LogonKind::FailedLogon);
    /// assert_eq!(a.outcome, Outcome::Failure);
    /// assert_eq!(a.logon_type_name, Some("Network"));
    /// assert_eq!(a.source_ip, Some("192.168.198.149".parse().unwrap()));
    /// assert_eq!(a.sub_status.and_then(|s| s.text()), Some("User logon with misspelled or bad password"));
    /// assert_eq!(a.failure_reason.as_deref(), Some("Unknown user name or bad password."));
    /// assert_eq!(a.process_name, None);
    /// ```
    pub fn from_event(event: &crate::Event<'_>) -> Option<Self> {
        let data = event.event_data()?;
        Self::from_source(&Source {
            provider: event.provider_name(),
            event_id: event.event_id(),
            time: event.time_created(),
            computer: event.computer(),
            fields: |name: &str| data.get(name),
        })
    }

    pub(crate) fn from_source<'v, F>(src: &Source<'_, F>) -> Option<Self>
    where
        F: Fn(&str) -> Option<&'v str>,
    {
        if !src
            .provider?
            .eq_ignore_ascii_case(SECURITY_AUDITING_PROVIDER)
        {
            return None;
        }
        let kind = LogonKind::from_event_id(src.event_id?)?;
        let get = |name: &str| (src.fields)(name).and_then(present);
        let owned = |name: &str| get(name).map(str::to_owned);
        let status_space = match kind {
            LogonKind::KerberosPreAuthFailed => CodeSpace::Kerberos,
            _ => CodeSpace::NtStatus,
        };
        let code = |name: &str| {
            get(name)
                .and_then(parse_u32)
                .map(|c| FailureCode::new(c, status_space))
        };
        let status = match kind {
            LogonKind::FailedLogon
            | LogonKind::KerberosPreAuthFailed
            | LogonKind::CredentialValidation => code("Status"),
            LogonKind::Logon | LogonKind::ExplicitCredentials => None,
        };
        let sub_status = match kind {
            LogonKind::FailedLogon => code("SubStatus"),
            _ => None,
        };
        let outcome = match kind {
            LogonKind::Logon | LogonKind::ExplicitCredentials => Outcome::Success,
            LogonKind::FailedLogon | LogonKind::KerberosPreAuthFailed => Outcome::Failure,
            LogonKind::CredentialValidation => match status {
                Some(s) if s.is_success() => Outcome::Success,
                _ => Outcome::Failure,
            },
        };
        let logon_type = get("LogonType").and_then(parse_u32);
        let failure_reason = get("FailureReason").map(|r| {
            parse_message_ref(r)
                .and_then(codes::message)
                .map_or_else(|| r.to_owned(), str::to_owned)
        });
        let (workstation, target_sid, logon_id, target_server, package) = match kind {
            LogonKind::CredentialValidation => {
                (owned("Workstation"), None, None, None, owned("PackageName"))
            }
            LogonKind::KerberosPreAuthFailed => (
                owned("WorkstationName"),
                owned("TargetSid"),
                None,
                owned("ServiceName"),
                None,
            ),
            LogonKind::ExplicitCredentials => (
                owned("WorkstationName"),
                None,
                owned("SubjectLogonId"),
                owned("TargetServerName"),
                None,
            ),
            LogonKind::Logon | LogonKind::FailedLogon => (
                owned("WorkstationName"),
                owned("TargetUserSid"),
                owned("TargetLogonId").filter(|_| kind == LogonKind::Logon),
                None,
                owned("AuthenticationPackageName"),
            ),
        };
        Some(Self {
            kind,
            time: src.time.and_then(present).map(str::to_owned),
            computer: src.computer.and_then(present).map(str::to_owned),
            outcome,
            target_user: owned("TargetUserName"),
            target_domain: owned("TargetDomainName"),
            target_sid,
            subject_user: owned("SubjectUserName"),
            subject_domain: owned("SubjectDomainName"),
            subject_sid: owned("SubjectUserSid"),
            logon_type,
            logon_type_name: logon_type.and_then(codes::logon_type),
            logon_id,
            source_ip: get("IpAddress").and_then(parse_ip),
            source_port: get("IpPort").and_then(parse_port),
            workstation,
            target_server,
            status,
            sub_status,
            failure_reason,
            process_id: get("ProcessId").and_then(parse_number),
            process_name: owned("ProcessName"),
            authentication_package: package,
            logon_process: owned("LogonProcessName"),
        })
    }

    /// The file name of [`process_name`](Self::process_name) (`C:\Windows\System32\lsass.exe` →
    /// `lsass.exe`).
    pub fn process_file_name(&self) -> Option<&str> {
        self.process_name.as_deref().and_then(file_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(provider: &str, id: u32, fields: &[(&str, &str)]) -> Option<LogonAttempt> {
        LogonAttempt::from_source(&Source {
            provider: Some(provider),
            event_id: Some(id),
            time: Some("2019-03-19T23:34:07.123456Z"),
            computer: Some("DC01"),
            fields: |name: &str| fields.iter().find(|(n, _)| *n == name).map(|(_, v)| *v),
        })
    }

    #[test]
    fn only_security_auditing_logon_events() {
        assert!(attempt("Microsoft-Windows-EventSystem", 4625, &[]).is_none());
        assert!(attempt(SECURITY_AUDITING_PROVIDER, 4634, &[]).is_none());
        assert!(attempt("microsoft-windows-security-auditing", 4624, &[]).is_some());
    }

    #[test]
    fn kerberos_status_is_kerberos() {
        let a = attempt(
            SECURITY_AUDITING_PROVIDER,
            4771,
            &[
                ("Status", "0x18"),
                ("TargetSid", "S-1-5-21-1-500"),
                ("IpPort", "55967"),
            ],
        )
        .unwrap();
        let s = a.status.unwrap();
        assert_eq!(s.space, CodeSpace::Kerberos);
        assert_eq!(s.name(), Some("KDC_ERR_PREAUTH_FAILED"));
        assert_eq!(s.to_string(), "0x18");
        assert_eq!(a.outcome, Outcome::Failure);
        assert_eq!(a.target_sid.as_deref(), Some("S-1-5-21-1-500"));
        assert_eq!(a.source_port, Some(55967));
    }

    #[test]
    fn credential_validation_outcome_follows_status() {
        let ok = attempt(SECURITY_AUDITING_PROVIDER, 4776, &[("Status", "0x0")]).unwrap();
        assert_eq!(ok.outcome, Outcome::Success);
        let bad = attempt(
            SECURITY_AUDITING_PROVIDER,
            4776,
            &[("Status", "0xc0000064")],
        )
        .unwrap();
        assert_eq!(bad.outcome, Outcome::Failure);
        assert_eq!(bad.status.unwrap().to_string(), "0xC0000064");
    }

    #[test]
    fn unknown_reason_is_kept_verbatim() {
        let a = attempt(
            SECURITY_AUDITING_PROVIDER,
            4625,
            &[("FailureReason", "%%9999"), ("Status", "0xdeadbeef")],
        )
        .unwrap();
        assert_eq!(a.failure_reason.as_deref(), Some("%%9999"));
        assert_eq!(a.status.unwrap().info, None);
    }
}

//! `LogonAttempt` and the Security code tables against the real events of the shared corpus,
//! with the expected values read by an independent XML parser (roxmltree).
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::string_slice,
    reason = "test code: helpers outside #[test] functions fail loudly on a broken corpus"
)]

#[expect(
    dead_code,
    reason = "the JSON helpers of the shared support module serve the ecs tests"
)]
mod security_support;

use std::collections::BTreeMap;
use std::net::IpAddr;

use evtxml::security::{
    CodeSpace, LogonAttempt, LogonKind, Outcome, SECURITY_AUDITING_PROVIDER, logon_type_name,
    message_id_text, ntstatus_text,
};
use evtxml::{Limits, Normalizer, parse_event};
use security_support::{corpus_events, dom};

const LOGON_IDS: [u32; 5] = [4624, 4625, 4648, 4771, 4776];

fn is_security(provider: &str) -> bool {
    provider.eq_ignore_ascii_case(SECURITY_AUDITING_PROVIDER)
}

/// Every logon event of the corpus yields a `LogonAttempt` whose fields match what roxmltree
/// reads from the same XML; every other event yields none.
#[test]
fn logon_attempts_match_the_corpus() {
    let mut normalizer = Normalizer::default();
    let mut per_kind: BTreeMap<u32, usize> = BTreeMap::new();
    let mut checked_ips = 0;
    for ev in corpus_events() {
        let normalized = normalizer.normalize(&ev.xml);
        let Some(event) = normalized.event() else {
            continue;
        };
        let attempt = LogonAttempt::from_event(event);
        let Some(d) = dom(&ev.xml) else {
            continue;
        };
        let expected_kind = (is_security(&d.provider) && LOGON_IDS.contains(&d.event_id))
            .then(|| LogonKind::from_event_id(d.event_id).unwrap());
        assert_eq!(
            attempt.as_ref().map(|a| a.kind),
            expected_kind,
            "{}",
            ev.origin
        );
        let Some(a) = attempt else { continue };
        *per_kind.entry(d.event_id).or_default() += 1;
        let o = &ev.origin;

        assert_eq!(a.kind.event_id(), d.event_id, "{o}");
        assert_eq!(a.target_user.as_deref(), d.value("TargetUserName"), "{o}");
        assert_eq!(
            a.target_domain.as_deref(),
            d.value("TargetDomainName"),
            "{o}"
        );
        assert_eq!(
            a.target_sid.as_deref(),
            d.value("TargetUserSid").or(d.value("TargetSid")),
            "{o}"
        );
        assert_eq!(a.subject_user.as_deref(), d.value("SubjectUserName"), "{o}");
        // LogonType: the number and its documented name.
        let lt: Option<u32> = d.value("LogonType").map(|v| v.parse().unwrap());
        assert_eq!(a.logon_type, lt, "{o}");
        assert_eq!(a.logon_type_name, lt.and_then(logon_type_name), "{o}");
        if let Some(t) = lt {
            assert!(
                a.logon_type_name.is_some(),
                "{o}: logon type {t} has no name"
            );
        }
        // The source address, compared with std's parser after removing the IPv4 mapping.
        let ip = d.value("IpAddress").map(|v| {
            let v = v.strip_prefix("::ffff:").unwrap_or(v);
            v.parse::<IpAddr>().unwrap()
        });
        assert_eq!(a.source_ip, ip, "{o}");
        checked_ips += usize::from(ip.is_some());
        assert_eq!(
            a.source_port,
            d.value("IpPort").map(|p| p.parse().unwrap()),
            "{o}"
        );
        // ProcessId is hexadecimal in Security events.
        assert_eq!(
            a.process_id,
            d.value("ProcessId")
                .map(|p| u64::from_str_radix(p.trim_start_matches("0x"), 16).unwrap()),
            "{o}"
        );
        assert_eq!(a.process_name.as_deref(), d.value("ProcessName"), "{o}");
        let ws = if d.event_id == 4776 {
            d.value("Workstation")
        } else {
            d.value("WorkstationName")
        };
        assert_eq!(a.workstation.as_deref(), ws, "{o}");

        // Status codes: every one the corpus carries is in the tables.
        let status = d
            .value("Status")
            .map(|s| u32::from_str_radix(s.trim_start_matches("0x"), 16).unwrap());
        match d.event_id {
            4624 | 4648 => {
                assert_eq!(a.outcome, Outcome::Success, "{o}");
                assert!(a.status.is_none(), "{o}");
            }
            4625 => {
                assert_eq!(a.outcome, Outcome::Failure, "{o}");
                let s = a.status.unwrap();
                assert_eq!(Some(s.code), status, "{o}");
                assert_eq!(s.space, CodeSpace::NtStatus);
                assert!(s.text().is_some(), "{o}: {s} unknown");
                if let Some(sub) = a.sub_status.filter(|s| s.code != 0) {
                    assert!(sub.text().is_some(), "{o}: {sub} unknown");
                }
                // FailureReason is a %% reference the message table resolves.
                let reason = d.value("FailureReason").unwrap();
                let id: u32 = reason.trim_start_matches("%%").parse().unwrap();
                assert_eq!(a.failure_reason.as_deref(), message_id_text(id), "{o}");
            }
            4771 => {
                assert_eq!(a.outcome, Outcome::Failure, "{o}");
                let s = a.status.unwrap();
                assert_eq!(
                    (Some(s.code), s.space),
                    (status, CodeSpace::Kerberos),
                    "{o}"
                );
                assert!(s.text().is_some(), "{o}");
            }
            4776 => {
                let s = a.status.unwrap();
                assert_eq!(Some(s.code), status, "{o}");
                let expected = if s.code == 0 {
                    Outcome::Success
                } else {
                    Outcome::Failure
                };
                assert_eq!(a.outcome, expected, "{o}");
                assert!(s.text().is_some(), "{o}: {s} unknown");
            }
            _ => unreachable!(),
        }
    }
    // The bulk counts of the Security channel (45 + 120 + 49 + 2 + 34), plus the six 4648 of
    // the edge cases (duplicate `LogonGuid` names) and the two 4624 of wef-native (Event
    // Viewer copy, pretty-printed OpenWEC test event).
    assert_eq!(
        per_kind,
        BTreeMap::from([(4624, 47), (4625, 120), (4648, 55), (4771, 2), (4776, 34)])
    );
    assert!(checked_ips >= 140, "{checked_ips}");
}

fn all_bulk(pred: impl Fn(&str) -> bool) -> String {
    for f in [
        "evtx.part01.jsonl",
        "evtx.part02.jsonl",
        "evtx.part03.jsonl",
        "evtx.part04.jsonl",
        "EVTX-ATTACK-SAMPLES.part01.jsonl",
        "EVTX-ATTACK-SAMPLES.part02.jsonl",
        "EVTX-ATTACK-SAMPLES.part03.jsonl",
        "hayabusa-sample-evtx__DeepBlueCLI.part01.jsonl",
        "hayabusa-sample-evtx__DeepBlueCLI.part02.jsonl",
        "hayabusa-sample-evtx__DeepBlueCLI.part03.jsonl",
        "python-evtx.part01.jsonl",
    ] {
        let path = testkit::shared::shared_path(&format!("corpus/events/evtx-rendered/bulk/{f}"));
        let text = std::fs::read_to_string(path).unwrap();
        for l in text.lines() {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            if let Some(x) = v["xml"].as_str().filter(|x| pred(x)) {
                return x.to_owned();
            }
        }
    }
    panic!("no such event in the corpus")
}

/// The brute-force 4625 (bad password for `Administrator` over the network).
#[test]
fn failed_network_logon() {
    let xml = all_bulk(|x| {
        x.contains("<EventID>4625</EventID>") && x.contains("<Data Name=\"IpPort\">49219</Data>")
    });
    let e = parse_event(&xml, &Limits::default()).unwrap();
    let a = LogonAttempt::from_event(&e).unwrap();
    assert_eq!(a.kind, LogonKind::FailedLogon);
    assert_eq!(a.outcome, Outcome::Failure);
    assert_eq!(a.target_user.as_deref(), Some("Administrator"));
    assert_eq!(a.target_domain.as_deref(), Some("."));
    assert_eq!(a.target_sid.as_deref(), Some("S-1-0-0"));
    assert_eq!(a.subject_user, None, "`-` is absent");
    assert_eq!(
        (a.logon_type, a.logon_type_name),
        (Some(3), Some("Network"))
    );
    assert_eq!(a.source_ip, Some("192.168.198.149".parse().unwrap()));
    assert_eq!(a.source_port, Some(49219));
    assert_eq!(a.workstation.as_deref(), Some("j19XhmSXK526I8kf"));
    let s = a.status.unwrap();
    assert_eq!(s.to_string(), "0xC000006D");
    assert_eq!(s.name(), Some("STATUS_LOGON_FAILURE"));
    assert_eq!(
        s.text(),
        Some("This is either due to a bad username or authentication information")
    );
    let sub = a.sub_status.unwrap();
    assert_eq!(sub.code, 0xC000_006A);
    assert_eq!(
        sub.text(),
        Some("User logon with misspelled or bad password")
    );
    assert_eq!(
        a.failure_reason.as_deref(),
        Some("Unknown user name or bad password.")
    );
    assert_eq!((a.process_id, a.process_name.as_deref()), (Some(0), None));
    assert_eq!(a.authentication_package.as_deref(), Some("NTLM"));
    assert_eq!(
        a.logon_process.as_deref(),
        Some("NtLmSsp "),
        "verbatim, trailing space kept"
    );
}

/// Kerberos pre-authentication failure on a domain controller: the status is a Kerberos code.
#[test]
fn kerberos_preauth_failure() {
    let xml = all_bulk(|x| x.contains("<EventID>4771</EventID>") && x.contains("55967"));
    let e = parse_event(&xml, &Limits::default()).unwrap();
    let a = LogonAttempt::from_event(&e).unwrap();
    assert_eq!(a.kind, LogonKind::KerberosPreAuthFailed);
    assert_eq!(a.target_user.as_deref(), Some("Administrator"));
    assert_eq!(
        a.target_sid.as_deref(),
        Some("S-1-5-21-308926384-506822093-3341789130-500")
    );
    assert_eq!(a.target_server.as_deref(), Some("krbtgt/THREEBEESCO.COM"));
    assert_eq!(a.source_ip, Some("172.16.66.1".parse().unwrap()));
    let s = a.status.unwrap();
    assert_eq!((s.code, s.space), (0x18, CodeSpace::Kerberos));
    assert_eq!(s.name(), Some("KDC_ERR_PREAUTH_FAILED"));
    assert_eq!(s.to_string(), "0x18");
}

/// A successful NTLM validation and a failed one (4776).
#[test]
fn credential_validation() {
    let ok = all_bulk(|x| {
        x.contains("<EventID>4776</EventID>") && x.contains("<Data Name=\"Status\">0x0</Data>")
    });
    let a = LogonAttempt::from_event(&parse_event(&ok, &Limits::default()).unwrap()).unwrap();
    assert_eq!(a.outcome, Outcome::Success);
    assert_eq!(a.status.unwrap().name(), Some("STATUS_SUCCESS"));
    assert_eq!(
        a.authentication_package.as_deref(),
        Some("MICROSOFT_AUTHENTICATION_PACKAGE_V1_0")
    );
    let bad = all_bulk(|x| x.contains("<EventID>4776</EventID>") && x.contains("0xc000006a"));
    let a = LogonAttempt::from_event(&parse_event(&bad, &Limits::default()).unwrap()).unwrap();
    assert_eq!(a.outcome, Outcome::Failure);
    assert_eq!(a.status.unwrap().name(), Some("STATUS_WRONG_PASSWORD"));
    assert!(a.workstation.is_some());
}

/// Byte-exact Windows output (OpenWEC's pretty-printed test event) and Microsoft's own example.
#[test]
fn wef_native_logons() {
    let xml = String::from_utf8(testkit::shared::read_shared(
        "corpus/events/wef-native/openwec/event-parser-tests/pretty-printed/event_4624.xml",
    ))
    .unwrap();
    let e = parse_event(&xml, &Limits::default()).unwrap();
    let a = LogonAttempt::from_event(&e).unwrap();
    assert_eq!(a.time.as_deref(), Some("2022-09-23T11:53:47.9077543Z"));
    assert_eq!(a.computer.as_deref(), Some("win10.windomain.local"));
    assert_eq!(a.logon_type_name, Some("Service"));
    assert_eq!(a.logon_process.as_deref(), Some("Advapi  "));
    assert_eq!(a.logon_id.as_deref(), Some("0x3e7"));
    assert_eq!(
        (a.source_ip, a.source_port, a.workstation.as_deref()),
        (None, None, None)
    );
    assert_eq!(a.process_id, Some(0x244));
    assert_eq!(a.process_file_name(), Some("services.exe"));

    let xml = String::from_utf8(testkit::shared::read_shared(
        "corpus/events/wef-native/microsoft-docs-event-viewer/security_4624.xml",
    ))
    .unwrap();
    let a = LogonAttempt::from_event(&parse_event(&xml, &Limits::default()).unwrap()).unwrap();
    assert_eq!(a.logon_type_name, Some("Interactive"));
    assert_eq!(a.source_ip, Some("127.0.0.1".parse().unwrap()));
    assert_eq!(a.source_port, Some(0));
    assert_eq!(a.logon_id.as_deref(), Some("0x8dcdc"));
    assert_eq!(
        a.target_sid.as_deref(),
        Some("S-1-5-21-1377283216-344919071-3415362939-500")
    );
}

/// Microsoft-Windows-EventSystem also logs an event 4625 (in Application): not a logon.
#[test]
fn same_id_other_provider_is_not_a_logon() {
    let xml =
        all_bulk(|x| x.contains(">4625</EventID>") && x.contains("Microsoft-Windows-EventSystem"));
    let e = parse_event(&xml, &Limits::default()).unwrap();
    assert_eq!(e.event_id(), Some(4625));
    assert!(LogonAttempt::from_event(&e).is_none());
}

/// Every `%%nnnn` insertion string in the corpus's Security-Auditing events resolves, and the
/// texts agree with what Windows rendered where the corpus has both (RenderingInfo).
#[test]
fn every_security_message_reference_resolves() {
    let mut refs = BTreeMap::<u32, usize>::new();
    for ev in corpus_events() {
        let Some(d) = dom(&ev.xml) else { continue };
        if !is_security(&d.provider) {
            continue;
        }
        for (_, v) in &d.data {
            let mut rest = v.as_str();
            while let Some(p) = rest.find("%%") {
                rest = &rest[p + 2..];
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let id: u32 = digits.parse().unwrap();
                assert!(
                    message_id_text(id).is_some(),
                    "{}: %%{id} is not in the table",
                    ev.origin
                );
                *refs.entry(id).or_default() += 1;
            }
        }
    }
    assert!(refs.len() >= 40, "{refs:?}");
    // The pretty-printed OpenWEC 4624 carries both the references and Windows's rendering.
    let xml = String::from_utf8(testkit::shared::read_shared(
        "corpus/events/wef-native/openwec/event-parser-tests/pretty-printed/event_4624.xml",
    ))
    .unwrap();
    let e = parse_event(&xml, &Limits::default()).unwrap();
    let msg = e
        .rendering_info
        .as_ref()
        .unwrap()
        .message
        .as_deref()
        .unwrap();
    for (field, label) in [
        ("ImpersonationLevel", "Impersonation Level:\\t\\t"),
        ("VirtualAccount", "Virtual Account:\\t\\t"),
        ("ElevatedToken", "Elevated Token:\\t\\t"),
    ] {
        let id: u32 = e
            .data(field)
            .unwrap()
            .trim_start_matches("%%")
            .parse()
            .unwrap();
        let text = message_id_text(id).unwrap();
        assert!(
            msg.contains(&format!("{label}{text}\\r\\n")),
            "{field} {text}"
        );
    }
}

/// The NTSTATUS table covers every status and sub-status of the corpus's failed logons.
#[test]
fn ntstatus_table_covers_the_corpus() {
    for ev in corpus_events() {
        let Some(d) = dom(&ev.xml) else { continue };
        if !is_security(&d.provider) || !matches!(d.event_id, 4625 | 4776) {
            continue;
        }
        for f in ["Status", "SubStatus"] {
            if let Some(v) = d.value(f) {
                let code = u32::from_str_radix(v.trim_start_matches("0x"), 16).unwrap();
                assert!(ntstatus_text(code).is_some(), "{}: {f} {v}", ev.origin);
            }
        }
    }
}

mod properties {
    use std::net::IpAddr;

    use evtxml::security::{
        LogonAttempt, expand_message_refs, parse_ip, parse_message_ref, parse_number, present,
    };
    use evtxml::{Limits, Profile, parse_event, render};
    use proptest::prelude::*;

    fn escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }

    /// Values biased towards what Security events contain, plus arbitrary text.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("-".to_owned()),
            Just(String::new()),
            Just("::ffff:10.1.2.3".to_owned()),
            Just("%%2313".to_owned()),
            "0x[0-9a-fA-F]{0,17}",
            "[0-9]{0,21}",
            "%%[0-9]{0,12}",
            any::<String>(),
        ]
    }

    proptest! {
        #[test]
        fn numbers_round_trip(n: u64) {
            prop_assert_eq!(parse_number(&format!("0x{n:x}")), Some(n));
            prop_assert_eq!(parse_number(&format!("0X{n:X}")), Some(n));
            prop_assert_eq!(parse_number(&n.to_string()), Some(n));
        }

        #[test]
        fn ips_round_trip(ip: IpAddr) {
            let expected = match ip {
                IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
                v4 => v4,
            };
            prop_assert_eq!(parse_ip(&ip.to_string()), Some(expected));
            if let IpAddr::V4(v4) = ip {
                let mapped = v4.to_ipv6_mapped();
                prop_assert_eq!(parse_ip(&mapped.to_string()), Some(ip));
            }
        }

        #[test]
        fn text_helpers_are_total(s in value()) {
            let expanded = expand_message_refs(&s);
            if !s.contains("%%") {
                prop_assert_eq!(&*expanded, s.as_str());
            }
            if let Some(id) = parse_message_ref(&s) {
                prop_assert_eq!(s.trim()[2..].parse::<u32>().ok(), Some(id));
            }
            prop_assert!(present(&s).is_none_or(|v| v == s));
            let _ = (parse_number(&s), parse_ip(&s));
        }

        /// Any values in a logon event's fields: no panic, and the ecs output stays valid JSON.
        #[test]
        fn logon_events_with_arbitrary_values(
            id in prop_oneof![Just(4624u32), Just(4625), Just(4648), Just(4771), Just(4776), Just(4688), Just(4728)],
            values in proptest::collection::vec(value(), 12),
        ) {
            let names = [
                "TargetUserName", "TargetDomainName", "TargetUserSid", "SubjectUserName",
                "LogonType", "IpAddress", "IpPort", "ProcessId", "ProcessName", "Status",
                "SubStatus", "FailureReason",
            ];
            let data: String = names
                .iter()
                .zip(&values)
                .map(|(n, v)| format!("<Data Name='{n}'>{}</Data>", escape(v)))
                .collect();
            let xml = format!(
                "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
                 <Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>{id}</EventID>\
                 <Keywords>0x8010000000000000</Keywords></System><EventData>{data}</EventData></Event>"
            );
            let Ok(event) = parse_event(&xml, &Limits::default()) else { return Ok(()) };
            let attempt = LogonAttempt::from_event(&event);
            prop_assert_eq!(attempt.is_some(), matches!(id, 4624 | 4625 | 4648 | 4771 | 4776));
            let mut out = Vec::new();
            render(&event, Profile::Ecs, None, &mut out);
            prop_assert!(super::security_support::parse_strict(&out).is_ok());
        }
    }
}

//! How the `ecs` profile categorizes the Security events it knows.

use super::{Outcome, SECURITY_AUDITING_PROVIDER};

/// The provider of the event-log service events (1100 shutdown, 1102 log cleared).
const EVENTLOG_PROVIDER: &str = "Microsoft-Windows-Eventlog";

/// Which accounts of an event the ECS `user.*` fields describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UserRoles {
    /// `user.*` is the `Target*` account (the one that logged on / was authenticated).
    Target,
    /// `user.*` is the `Subject*` account (the one that acted).
    Subject,
    /// `user.*` is the subject, `user.target.*` the account acted upon (account management).
    SubjectOnTarget,
    /// `user.*` is the subject, `user.effective.*` the explicit credentials it used (4648).
    SubjectAsTarget,
}

/// The ECS categorization of one Security event, as the `ecs` profile writes it.
///
/// `action` follows the `event.action` values Winlogbeat's Security module emits for these
/// events (as used in Elastic's published detection rules, e.g. `event.action:"logged-in"`,
/// `"logon-failed"`, `"audit-log-cleared"`); `category` and `kind_type` use the allowed values of
/// ECS's `event.category` and `event.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct EcsCategorization {
    /// The provider the event id belongs to.
    pub provider: &'static str,
    /// The event id.
    pub event_id: u32,
    /// `event.action`.
    pub action: &'static str,
    /// `event.category`.
    pub category: &'static [&'static str],
    /// `event.type`.
    pub kind_type: &'static [&'static str],
    /// The outcome the event id implies by itself (4625 and 4771 always record failures). When
    /// `None`, the outcome comes from the audit keywords or the event's `Status`.
    pub outcome: Option<Outcome>,
    pub(crate) roles: UserRoles,
}

const AUTH: &[&str] = &["authentication"];
const IAM: &[&str] = &["iam"];
const PROCESS: &[&str] = &["process"];
const START: &[&str] = &["start"];
const END: &[&str] = &["end"];
const ADMIN: &[&str] = &["admin"];
const ADMIN_CHANGE: &[&str] = &["admin", "change"];
const USER_CREATION: &[&str] = &["user", "creation"];
const USER_CHANGE: &[&str] = &["user", "change"];
const USER_DELETION: &[&str] = &["user", "deletion"];
const USER_INFO: &[&str] = &["user", "info"];
const GROUP_CREATION: &[&str] = &["group", "creation"];
const GROUP_CHANGE: &[&str] = &["group", "change"];
const GROUP_DELETION: &[&str] = &["group", "deletion"];
const GROUP_INFO: &[&str] = &["group", "info"];

const fn sec(
    event_id: u32,
    action: &'static str,
    category: &'static [&'static str],
    kind_type: &'static [&'static str],
    outcome: Option<Outcome>,
    roles: UserRoles,
) -> EcsCategorization {
    EcsCategorization {
        provider: SECURITY_AUDITING_PROVIDER,
        event_id,
        action,
        category,
        kind_type,
        outcome,
        roles,
    }
}

const S: Option<Outcome> = Some(Outcome::Success);
const F: Option<Outcome> = Some(Outcome::Failure);
const K: Option<Outcome> = None;

use UserRoles::{Subject, SubjectAsTarget, SubjectOnTarget, Target};

/// Sorted by event id (then provider); checked by a unit test.
static TABLE: &[EcsCategorization] = &[
    EcsCategorization {
        provider: EVENTLOG_PROVIDER,
        event_id: 1100,
        action: "logging-service-shutdown",
        category: PROCESS,
        kind_type: END,
        outcome: S,
        roles: Subject,
    },
    EcsCategorization {
        provider: EVENTLOG_PROVIDER,
        event_id: 1102,
        action: "audit-log-cleared",
        category: IAM,
        kind_type: ADMIN_CHANGE,
        outcome: S,
        roles: Subject,
    },
    sec(4624, "logged-in", AUTH, START, S, Target),
    sec(4625, "logon-failed", AUTH, START, F, Target),
    sec(4634, "logged-out", AUTH, END, S, Target),
    sec(4647, "logged-out", AUTH, END, S, Target),
    sec(4648, "logged-in-explicit", AUTH, START, S, SubjectAsTarget),
    sec(4672, "logged-in-special", IAM, ADMIN, S, Subject),
    sec(4688, "created-process", PROCESS, START, S, Subject),
    sec(4689, "exited-process", PROCESS, END, S, Subject),
    sec(
        4720,
        "added-user-account",
        IAM,
        USER_CREATION,
        K,
        SubjectOnTarget,
    ),
    sec(
        4722,
        "enabled-user-account",
        IAM,
        USER_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4723,
        "changed-password",
        IAM,
        USER_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(4724, "reset-password", IAM, USER_CHANGE, K, SubjectOnTarget),
    sec(
        4725,
        "disabled-user-account",
        IAM,
        USER_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4726,
        "deleted-user-account",
        IAM,
        USER_DELETION,
        K,
        SubjectOnTarget,
    ),
    sec(
        4727,
        "added-group-account",
        IAM,
        GROUP_CREATION,
        K,
        SubjectOnTarget,
    ),
    sec(
        4728,
        "added-member-to-group",
        IAM,
        GROUP_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4729,
        "removed-member-from-group",
        IAM,
        GROUP_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4730,
        "deleted-group-account",
        IAM,
        GROUP_DELETION,
        K,
        SubjectOnTarget,
    ),
    sec(
        4731,
        "added-group-account",
        IAM,
        GROUP_CREATION,
        K,
        SubjectOnTarget,
    ),
    sec(
        4732,
        "added-member-to-group",
        IAM,
        GROUP_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4733,
        "removed-member-from-group",
        IAM,
        GROUP_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4734,
        "deleted-group-account",
        IAM,
        GROUP_DELETION,
        K,
        SubjectOnTarget,
    ),
    sec(
        4735,
        "modified-group-account",
        IAM,
        GROUP_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4737,
        "modified-group-account",
        IAM,
        GROUP_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4738,
        "modified-user-account",
        IAM,
        USER_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4740,
        "locked-out-user-account",
        IAM,
        USER_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4754,
        "added-group-account",
        IAM,
        GROUP_CREATION,
        K,
        SubjectOnTarget,
    ),
    sec(
        4755,
        "modified-group-account",
        IAM,
        GROUP_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4756,
        "added-member-to-group",
        IAM,
        GROUP_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4757,
        "removed-member-from-group",
        IAM,
        GROUP_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4758,
        "deleted-group-account",
        IAM,
        GROUP_DELETION,
        K,
        SubjectOnTarget,
    ),
    sec(
        4767,
        "unlocked-user-account",
        IAM,
        USER_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4768,
        "kerberos-authentication-ticket-requested",
        AUTH,
        START,
        K,
        Target,
    ),
    sec(
        4769,
        "kerberos-service-ticket-requested",
        AUTH,
        START,
        K,
        Target,
    ),
    sec(
        4770,
        "kerberos-service-ticket-renewed",
        AUTH,
        START,
        K,
        Target,
    ),
    sec(4771, "kerberos-preauth-failed", AUTH, START, F, Target),
    sec(4776, "credential-validated", AUTH, START, K, Target),
    sec(
        4781,
        "renamed-user-account",
        IAM,
        USER_CHANGE,
        K,
        SubjectOnTarget,
    ),
    sec(
        4798,
        "group-membership-enumerated",
        IAM,
        USER_INFO,
        K,
        SubjectOnTarget,
    ),
    sec(
        4799,
        "user-member-enumerated",
        IAM,
        GROUP_INFO,
        K,
        SubjectOnTarget,
    ),
];

/// The ECS categorization the `ecs` profile gives to event `event_id` of `provider`, if it is
/// one of the Security events it knows (the provider name is compared ASCII case-insensitively).
///
/// Covered: 1100 and 1102 (provider `Microsoft-Windows-Eventlog`), and from
/// `Microsoft-Windows-Security-Auditing` the logon events 4624, 4625, 4634, 4647, 4648, 4672,
/// the process events 4688 and 4689, the user and group management events 4720-4738, 4740,
/// 4754-4758, 4767, 4781, 4798, 4799, and the domain-controller authentication events 4768,
/// 4769, 4770, 4771 and 4776. The same event id from another provider is not a Security event
/// (Microsoft-Windows-EventSystem also logs a 4625) and gets no categorization.
///
/// ```
/// use evtxml::security::{ecs_categorization, Outcome};
/// let c = ecs_categorization("Microsoft-Windows-Security-Auditing", 4625).unwrap();
/// assert_eq!(c.action, "logon-failed");
/// assert_eq!(c.category, &["authentication"]);
/// assert_eq!(c.kind_type, &["start"]);
/// assert_eq!(c.outcome, Some(Outcome::Failure));
/// assert_eq!(ecs_categorization("Microsoft-Windows-Eventlog", 1102).unwrap().action, "audit-log-cleared");
/// assert!(ecs_categorization("Microsoft-Windows-EventSystem", 4625).is_none());
/// ```
pub fn ecs_categorization(provider: &str, event_id: u32) -> Option<&'static EcsCategorization> {
    let start = TABLE.partition_point(|c| c.event_id < event_id);
    TABLE
        .get(start..)?
        .iter()
        .take_while(|c| c.event_id == event_id)
        .find(|c| c.provider.eq_ignore_ascii_case(provider))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted() {
        assert!(TABLE.windows(2).all(|w| w[0].event_id < w[1].event_id));
    }

    #[test]
    fn required_events_are_covered() {
        for id in [
            4624, 4625, 4634, 4647, 4648, 4672, 4688, 4720, 4722, 4725, 4726, 4738, 4740, 4768,
            4769, 4771, 4776,
        ] {
            assert!(
                ecs_categorization(SECURITY_AUDITING_PROVIDER, id).is_some(),
                "{id}"
            );
        }
        assert!(ecs_categorization("microsoft-windows-eventlog", 1102).is_some());
        assert!(ecs_categorization(SECURITY_AUDITING_PROVIDER, 1102).is_none());
        assert!(ecs_categorization(SECURITY_AUDITING_PROVIDER, 4000).is_none());
        assert!(ecs_categorization(SECURITY_AUDITING_PROVIDER, u32::MAX).is_none());
    }
}

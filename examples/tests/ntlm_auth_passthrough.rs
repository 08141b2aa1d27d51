//! The pass-through verifier (`wefkit_examples::ntlm_auth`) speaking the `ntlm_auth`
//! helper protocol, against a stand-in helper that verifies NTLMv2 with pyspnego's primitives
//! (winbind itself needs a domain). Requires python3 + pyspnego (scripts/setup.sh).

use wefkit_examples::ntlm_auth::NtlmAuthHelper;
use wsman_proto::auth::ntlm::{
    AcceptorConfig, AcceptorNonces, InitiatorCredentials, InitiatorNonces, NtHash, NtlmAcceptor,
    NtlmInitiator,
};
use wsman_proto::auth::{AuthError, SessionSecurity, Wrapped};

fn run(password: &str, helper: &mut NtlmAuthHelper) -> Result<(), AuthError> {
    let mut i = NtlmInitiator::new(InitiatorCredentials {
        user: "wefsource".into(),
        domain: "WEF".into(),
        workstation: "SRC".into(),
        nt_hash: NtHash::from_password(password),
    });
    let mut a = NtlmAcceptor::new(AcceptorConfig {
        nb_domain: "WEF".into(),
        ..AcceptorConfig::default()
    });
    let c = a.challenge(
        &i.negotiate()?,
        &AcceptorNonces {
            server_challenge: [0x11; 8],
            now_filetime: 133_000_000_000_000_000,
        },
    )?;
    let au = i.authenticate(
        &c,
        &InitiatorNonces {
            client_challenge: [0x22; 8],
            exported_session_key: [0x33; 16],
            now_filetime: 0,
        },
    )?;
    assert_eq!(a.authenticate(&au, helper)?.user, "wefsource");
    let (mut ci, mut sa) = (i.into_security()?, a.into_security()?);
    let mut w = Wrapped::new();
    ci.wrap_winrm(b"<s:Envelope/>", &mut w)?;
    let mut out = Vec::new();
    sa.unwrap_winrm(&w.header, &w.data, &mut out)?;
    assert_eq!(out, b"<s:Envelope/>");
    Ok(())
}

#[test]
fn passthrough_verifier_accepts_and_refuses() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/fake_ntlm_auth.py");
    let mut helper = NtlmAuthHelper::spawn("python3", &[script, "WEF:wefsource:Right-Pw1"])
        .expect("python3 (run scripts/setup.sh)");
    run("Right-Pw1", &mut helper).expect("right password through the helper");
    assert_eq!(
        run("wrong", &mut helper),
        Err(AuthError::AuthenticationFailed {
            reason: "domain controller refused the response"
        })
    );
    // The helper keeps serving.
    run("Right-Pw1", &mut helper).expect("second session");
}

//! SPNEGO-wrapped NTLM against the shared pyspnego session: token parsing, both mechListMICs,
//! the byte-exact final acceptor token, and the RC4 reset (first sealed message at seq 1).

#![expect(clippy::unwrap_used, reason = "test helpers outside #[test] functions")]

use serde_json::Value;
use testkit::shared::read_shared;
use wsman_proto::auth::negotiate::{
    AcceptStep, NegotiateAcceptor, NegotiateConfig, Scheme, TokenKind, classify, format_header,
    parse_header,
};
use wsman_proto::auth::ntlm::{NegotiateFlags, NtHashStore, NtlmSecurity};
use wsman_proto::auth::spnego::{self, NegState, NegTokenResp, NegotiationToken, OID_NTLM};
use wsman_proto::auth::{AuthError, Role, SessionSecurity};

fn hx(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

#[test]
fn pyspnego_spnego_session() {
    let d: Value =
        serde_json::from_slice(&read_shared("vectors/ntlm/sample-spnego-ntlm.json")).unwrap();
    let h = &d["handshake"];
    let toks: Vec<Vec<u8>> = h["spnego_tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| hx(&t["token_hex"]))
        .collect();
    assert_eq!(toks.len(), 4);
    for t in &toks {
        assert_eq!(classify(t).unwrap(), TokenKind::Spnego);
        let hdr = format_header(Scheme::Negotiate, t);
        assert_eq!(
            parse_header(&hdr, &Default::default()).unwrap(),
            (Scheme::Negotiate, t.clone())
        );
    }
    let NegotiationToken::Init(init) = spnego::decode(&toks[0]).unwrap() else {
        panic!("init")
    };
    assert_eq!(init.mech_types, vec![OID_NTLM]);
    assert_eq!(init.mech_token.unwrap(), hx(&h["negotiate_hex"]));
    let NegotiationToken::Resp(r1) = spnego::decode(&toks[1]).unwrap() else {
        panic!("resp")
    };
    // pyspnego answers request-mic here (Windows: accept-incomplete); both mean "continue".
    assert_eq!(r1.neg_state, Some(NegState::RequestMic));
    assert_eq!(r1.supported_mech, Some(OID_NTLM));
    assert_eq!(r1.response_token.unwrap(), hx(&h["challenge_hex"]));
    let NegotiationToken::Resp(r2) = spnego::decode(&toks[2]).unwrap() else {
        panic!("resp")
    };
    assert_eq!(r2.response_token.unwrap(), hx(&h["authenticate_hex"]));
    let NegotiationToken::Resp(r3) = spnego::decode(&toks[3]).unwrap() else {
        panic!("resp")
    };
    assert_eq!(r3.neg_state, Some(NegState::AcceptCompleted));

    let flags = NegotiateFlags(u32::try_from(h["authenticate_flags"].as_u64().unwrap()).unwrap());
    let esk: [u8; 16] = hx(&d["exported_session_key_hex"]).try_into().unwrap();
    // Acceptor: verify the client's MIC, produce the server's: byte-identical final token.
    let mut acc = NtlmSecurity::new(Role::Acceptor, flags, &esk);
    acc.spnego_verify_mech_list(init.mech_types_der, r2.mech_list_mic.unwrap())
        .unwrap();
    let mic = acc.spnego_sign_mech_list(init.mech_types_der).unwrap();
    assert_eq!(&mic[..], r3.mech_list_mic.unwrap());
    let ours = spnego::encode_resp(&NegTokenResp {
        neg_state: Some(NegState::AcceptCompleted),
        mech_list_mic: Some(&mic),
        ..Default::default()
    });
    assert_eq!(ours, toks[3]);
    // Initiator: our MIC equals pyspnego's, and the server's verifies.
    let mut ini = NtlmSecurity::new(Role::Initiator, flags, &esk);
    assert_eq!(
        &ini.spnego_sign_mech_list(init.mech_types_der).unwrap()[..],
        r2.mech_list_mic.unwrap()
    );
    ini.spnego_verify_mech_list(init.mech_types_der, r3.mech_list_mic.unwrap())
        .unwrap();
    // Then the sealed messages (seq 1, fresh RC4) open on both sides.
    for m in d["messages"].as_array().unwrap() {
        let sec = if m["direction"] == "client_to_server" {
            &mut acc
        } else {
            &mut ini
        };
        let mut out = Vec::new();
        let data = base64_decode(m["sealed_b64"].as_str().unwrap());
        sec.unwrap_winrm(&hx(&m["signature_hex"]), &data, &mut out)
            .unwrap();
        assert_eq!(out, base64_decode(m["plaintext_b64"].as_str().unwrap()));
    }
    // A tampered client MIC is an authentication failure.
    let mut acc = NtlmSecurity::new(Role::Acceptor, flags, &esk);
    let mut bad = r2.mech_list_mic.unwrap().to_vec();
    bad[5] ^= 1;
    assert!(matches!(
        acc.spnego_verify_mech_list(init.mech_types_der, &bad),
        Err(AuthError::BadSignature { .. })
    ));
}

/// The NegotiateAcceptor accepts pyspnego's first SPNEGO token and answers in the same shape.
#[test]
fn acceptor_answers_pyspnego_init() {
    let d: Value =
        serde_json::from_slice(&read_shared("vectors/ntlm/sample-spnego-ntlm.json")).unwrap();
    let t0 = hx(&d["handshake"]["spnego_tokens"][0]["token_hex"]);
    let mut a = NegotiateAcceptor::new(NegotiateConfig::default(), None);
    let nonces = wsman_proto::auth::ntlm::AcceptorNonces {
        server_challenge: [9; 8],
        now_filetime: 0,
    };
    let AcceptStep::Continue { www_authenticate } = a
        .step(
            &format_header(Scheme::Negotiate, &t0),
            &nonces,
            &mut NtHashStore::new(),
        )
        .unwrap()
    else {
        panic!()
    };
    let (_, tok) = parse_header(&www_authenticate, &Default::default()).unwrap();
    let NegotiationToken::Resp(r) = spnego::decode(&tok).unwrap() else {
        panic!()
    };
    assert_eq!(
        (r.neg_state, r.supported_mech),
        (Some(NegState::AcceptIncomplete), Some(OID_NTLM))
    );
    assert!(
        r.response_token
            .unwrap()
            .starts_with(b"NTLMSSP\0\x02\0\0\0")
    );
    for n in 0..t0.len() {
        let mut a = NegotiateAcceptor::new(NegotiateConfig::default(), None);
        assert!(
            a.step(
                &format_header(Scheme::Negotiate, &t0[..n]),
                &nonces,
                &mut NtHashStore::new()
            )
            .is_err()
        );
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

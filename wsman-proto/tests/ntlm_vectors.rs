//! NTLM against the shared known answers: pyspnego sessions (raw and SPNEGO-wrapped) with every
//! key, their HTTP bodies as pypsrp / pywinrm / Windows frame them, and the captured tokens.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions"
)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;
use testkit::shared::read_shared;
use wsman_proto::auth::ntlm::security::derive_keys;
use wsman_proto::auth::ntlm::{
    AcceptorConfig, Authenticate, Challenge, Negotiate, NegotiateFlags, NtHashStore, NtlmAcceptor,
    NtlmSecurity,
};
use wsman_proto::auth::{AuthError, Mechanism, Role, SessionSecurity, Wrapped};
use wsman_proto::framing::{self, FramingError, Limits};

fn load(name: &str) -> Value {
    serde_json::from_slice(&read_shared(&format!("vectors/ntlm/{name}"))).unwrap()
}

fn hx(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

fn b64(v: &Value) -> Vec<u8> {
    B64.decode(v.as_str().unwrap()).unwrap()
}

fn key16(v: &Value) -> [u8; 16] {
    hx(v).try_into().unwrap()
}

const SESSIONS: [&str; 2] = ["sample-raw-ntlm.json", "sample-spnego-ntlm.json"];

fn first_seq(d: &Value) -> u32 {
    u32::try_from(d["messages"][0]["seq_num"].as_u64().unwrap()).unwrap()
}

#[test]
fn derived_keys_match() {
    for name in SESSIONS {
        let d = load(name);
        let flags = NegotiateFlags(
            u32::try_from(d["handshake"]["authenticate_flags"].as_u64().unwrap()).unwrap(),
        );
        let esk = key16(&d["exported_session_key_hex"]);
        let k = &d["derived_keys"];
        let c = derive_keys(flags, &esk, Role::Initiator);
        let s = derive_keys(flags, &esk, Role::Acceptor);
        assert_eq!(c.sign.0.to_vec(), hx(&k["client_sign_key_hex"]), "{name}");
        assert_eq!(c.seal, hx(&k["client_seal_key_hex"]), "{name}");
        assert_eq!(s.sign.0.to_vec(), hx(&k["server_sign_key_hex"]), "{name}");
        assert_eq!(s.seal, hx(&k["server_seal_key_hex"]), "{name}");
    }
}

/// Both directions, in file order: our wrap reproduces pyspnego's signature and sealed bytes,
/// our unwrap recovers the plaintext, and every HTTP body variant opens.
#[test]
fn messages_wrap_unwrap_and_bodies_open() {
    for name in SESSIONS {
        let d = load(name);
        let flags = NegotiateFlags(
            u32::try_from(d["handshake"]["authenticate_flags"].as_u64().unwrap()).unwrap(),
        );
        let esk = key16(&d["exported_session_key_hex"]);
        let seq = first_seq(&d);
        // Senders (to reproduce) and receivers (to verify), per variant of the body.
        let mut client = NtlmSecurity::with_sequence(Role::Initiator, flags, &esk, seq, seq);
        let mut server = NtlmSecurity::with_sequence(Role::Acceptor, flags, &esk, seq, seq);
        let mut rx = [(); 3].map(|()| {
            (
                NtlmSecurity::with_sequence(Role::Acceptor, flags, &esk, seq, seq),
                NtlmSecurity::with_sequence(Role::Initiator, flags, &esk, seq, seq),
            )
        });
        let mut w = Wrapped::new();
        let mut n = 0;
        for m in d["messages"].as_array().unwrap() {
            let plain = b64(&m["plaintext_b64"]);
            let c2s = m["direction"] == "client_to_server";
            let (tx, idx) = if c2s {
                (&mut client, 0)
            } else {
                (&mut server, 1)
            };
            assert_eq!(
                u64::from(tx.send_sequence()),
                m["seq_num"].as_u64().unwrap()
            );
            tx.wrap_winrm(&plain, &mut w).unwrap();
            assert_eq!(w.header, hx(&m["signature_hex"]), "{name} {}", m["name"]);
            assert_eq!(w.data, b64(&m["sealed_b64"]), "{name} {}", m["name"]);
            let bodies = [("pypsrp", 0), ("wef", 1)];
            for (variant, r) in bodies {
                let h = &m["http"][variant];
                let rxs = &mut rx[r];
                let sec: &mut dyn SessionSecurity = if idx == 0 { &mut rxs.0 } else { &mut rxs.1 };
                let mut out = Vec::new();
                let opened = framing::open(
                    sec,
                    h["content_type"].as_str().unwrap(),
                    &b64(&h["body_b64"]),
                    &Limits::default(),
                    &mut out,
                )
                .unwrap_or_else(|e| panic!("{name} {variant} {}: {e:?}", m["name"]));
                assert_eq!(out, plain);
                assert_eq!(opened.length, plain.len());
            }
            // Raw header/data unwrap on the third receiver.
            let sec: &mut dyn SessionSecurity = if idx == 0 { &mut rx[2].0 } else { &mut rx[2].1 };
            let mut out = Vec::new();
            sec.unwrap_winrm(&hx(&m["signature_hex"]), &b64(&m["sealed_b64"]), &mut out)
                .unwrap();
            assert_eq!(out, plain);
            n += 1;
        }
        assert_eq!(n, 10);
    }
}

/// Our acceptor verifies pyspnego's AUTHENTICATE (NTLMv2 + MIC) from the challenge pyspnego's
/// acceptor sent, recovers the exported session key, and decrypts the session.
#[test]
fn acceptor_verifies_captured_handshake() {
    for name in SESSIONS {
        let d = load(name);
        let h = &d["handshake"];
        let cr = &d["credentials"];
        let mut store = NtHashStore::new();
        store.insert_password(
            cr["domain"].as_str().unwrap(),
            cr["username"].as_str().unwrap(),
            cr["password"].as_str().unwrap(),
        );
        let auth = hx(&h["authenticate_hex"]);
        let mut acc = NtlmAcceptor::with_challenge(
            AcceptorConfig::default(),
            &hx(&h["negotiate_hex"]),
            &hx(&h["challenge_hex"]),
        )
        .unwrap();
        let id = acc.authenticate(&auth, &mut store).unwrap().clone();
        assert_eq!(id.user, cr["username"].as_str().unwrap());
        assert!(id.ntlmv2);
        let seq = first_seq(&d);
        let mut sec = acc.into_security().unwrap();
        if seq == 1 {
            // SPNEGO: the mechListMIC consumed seq 0, then RC4 was reset.
            let _ = sec.get_mic(b"x").unwrap();
            sec = NtlmSecurity::with_sequence(
                Role::Acceptor,
                sec.flags(),
                &key16(&d["exported_session_key_hex"]),
                1,
                1,
            );
        }
        for m in d["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["direction"] == "client_to_server")
        {
            let mut out = Vec::new();
            sec.unwrap_winrm(&hx(&m["signature_hex"]), &b64(&m["sealed_b64"]), &mut out)
                .unwrap();
            assert_eq!(out, b64(&m["plaintext_b64"]));
        }

        // Wrong password: typed failure.
        let mut bad = NtHashStore::new();
        bad.insert_password(
            cr["domain"].as_str().unwrap(),
            cr["username"].as_str().unwrap(),
            "not-the-password",
        );
        let mut acc = NtlmAcceptor::with_challenge(
            AcceptorConfig::default(),
            &hx(&h["negotiate_hex"]),
            &hx(&h["challenge_hex"]),
        )
        .unwrap();
        assert!(matches!(
            acc.authenticate(&auth, &mut bad),
            Err(AuthError::AuthenticationFailed { .. })
        ));
        // Tampered MIC.
        let mut t = auth.clone();
        t[75] ^= 0x40;
        let mut acc = NtlmAcceptor::with_challenge(
            AcceptorConfig::default(),
            &hx(&h["negotiate_hex"]),
            &hx(&h["challenge_hex"]),
        )
        .unwrap();
        assert_eq!(
            acc.authenticate(&t, &mut store).unwrap_err(),
            AuthError::AuthenticationFailed {
                reason: "mic does not verify"
            }
        );
        // Truncated AUTHENTICATE: never a panic, always an error.
        for n in 0..auth.len() {
            let mut acc = NtlmAcceptor::with_challenge(
                AcceptorConfig::default(),
                &hx(&h["negotiate_hex"]),
                &hx(&h["challenge_hex"]),
            )
            .unwrap();
            assert!(
                acc.authenticate(&auth[..n], &mut store).is_err(),
                "{name} truncated at {n}"
            );
        }
    }
}

#[test]
fn tampered_replayed_and_reordered_bodies_fail_typed() {
    let d = load("sample-raw-ntlm.json");
    let flags = NegotiateFlags(
        u32::try_from(d["handshake"]["authenticate_flags"].as_u64().unwrap()).unwrap(),
    );
    let esk = key16(&d["exported_session_key_hex"]);
    let msgs: Vec<&Value> = d["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["direction"] == "client_to_server")
        .collect();
    let body = |i: usize| b64(&msgs[i]["http"]["wef"]["body_b64"]);
    let ct = msgs[0]["http"]["wef"]["content_type"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut out = Vec::new();

    // Replay of message 0 after it was accepted.
    let mut s = NtlmSecurity::new(Role::Acceptor, flags, &esk);
    framing::open(&mut s, &ct, &body(0), &Limits::default(), &mut out).unwrap();
    assert_eq!(
        framing::open(&mut s, &ct, &body(0), &Limits::default(), &mut out),
        Err(FramingError::Auth(AuthError::SequenceMismatch {
            mechanism: Mechanism::Ntlm,
            expected: 1,
            got: 0
        }))
    );
    // Out of order: message 2 where 1 is due.
    assert_eq!(
        framing::open(&mut s, &ct, &body(2), &Limits::default(), &mut out),
        Err(FramingError::Auth(AuthError::SequenceMismatch {
            mechanism: Mechanism::Ntlm,
            expected: 1,
            got: 2
        }))
    );
    // Tampered ciphertext (last byte before the closing boundary) and tampered checksum.
    let b3 = body(3);
    let tail = b"--Encrypted Boundary--\r\n".len();
    for pos in [
        b3.len() - tail - 1,
        b3.iter().position(|&c| c == 0x10).unwrap() + 8,
    ] {
        let mut s = NtlmSecurity::with_sequence(Role::Acceptor, flags, &esk, 3, 3);
        let mut t = b3.clone();
        t[pos] ^= 1;
        assert_eq!(
            framing::open(&mut s, &ct, &t, &Limits::default(), &mut out),
            Err(FramingError::Auth(AuthError::BadSignature {
                mechanism: Mechanism::Ntlm
            }))
        );
    }
    // Wrong key.
    let mut s = NtlmSecurity::new(Role::Acceptor, flags, &[0; 16]);
    assert!(matches!(
        framing::open(&mut s, &ct, &body(0), &Limits::default(), &mut out),
        Err(FramingError::Auth(AuthError::BadSignature { .. }))
    ));
    // Truncated bodies never panic.
    let b = body(4);
    for n in 0..b.len() {
        let mut s = NtlmSecurity::with_sequence(Role::Acceptor, flags, &esk, 4, 4);
        assert!(framing::open(&mut s, &ct, &b[..n], &Limits::default(), &mut out).is_err());
    }
}

#[test]
fn captured_tokens_decode() {
    let neg = read_shared("corpus/ntlm/captured-tokens/pyspnego-testdata/ntlm_negotiate.bin");
    let ch = read_shared("corpus/ntlm/captured-tokens/pyspnego-testdata/ntlm_challenge.bin");
    let au = read_shared("corpus/ntlm/captured-tokens/pyspnego-testdata/ntlm_authenticate.bin");
    let parsed: Value = serde_json::from_slice(&read_shared(
        "corpus/ntlm/captured-tokens/pyspnego-testdata/ntlm_authenticate.pyspnego-parse.json",
    ))
    .unwrap();
    let n = Negotiate::decode(&neg).unwrap();
    let c = Challenge::decode(&ch).unwrap();
    let a = Authenticate::decode(&au).unwrap();
    assert!(n.flags.has(NegotiateFlags::UNICODE));
    assert_eq!(c.flags, a.flags);
    assert_eq!(
        u64::from(a.flags.0),
        parsed["Data"]["NegotiateFlags"]["raw"].as_u64().unwrap()
    );
    assert_eq!(a.nt_response.len(), 252);
    // No MIC in this (older) layout: the payload starts at 72.
    assert_eq!(a.mic, None);
    assert_eq!(
        String::from_utf16_lossy(
            &a.user
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect::<Vec<_>>()
        ),
        "vagrant-domain@DOMAIN.LOCAL"
    );
    assert_eq!(
        hex::encode_upper(a.encrypted_session_key),
        parsed["Data"]["Payload"]["EncryptedRandomSessionKey"]
            .as_str()
            .unwrap()
    );
    // Every prefix fails cleanly.
    for tok in [&neg, &ch, &au] {
        for i in 0..tok.len() {
            let _ = Negotiate::decode(&tok[..i]);
            let _ = Challenge::decode(&tok[..i]);
            let _ = Authenticate::decode(&tok[..i]);
        }
    }
}

//! NTLM and SPNEGO against a real, independent peer: pyspnego (pure-Python MS-NLMP) with
//! pypsrp's WinRM `multipart/encrypted` framing, driven through
//! `tests/peers/ntlm_peer.py` over JSON lines. Requires `python3` with `pyspnego` and `pypsrp`
//! (installed by `scripts/setup.sh`); a missing peer fails the tests, it does not skip them.
//!
//! Covered: our acceptor with pyspnego initiating and our initiator against pyspnego's acceptor
//! (`NTLM_USER_FILE`), raw NTLM and SPNEGO-wrapped, messages from 0 bytes to 100 KiB in both
//! directions at the header/data level and as HTTP bodies, wrong passwords, tampering, replay.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test harness helpers"
)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};
use wsman_proto::auth::negotiate::{
    AcceptStep, InitiatorMode, NegotiateAcceptor, NegotiateConfig, NegotiateInitiator, parse_header,
};
use wsman_proto::auth::ntlm::ChannelBindingPolicy;
use wsman_proto::auth::ntlm::{
    AcceptorNonces, InitiatorCredentials, InitiatorNonces, NtHash, NtHashStore,
};
use wsman_proto::auth::{AuthError, ChannelBindings, Refusal, SessionSecurity, Wrapped};
use wsman_proto::framing::{self, Charset, FramingError, Limits, SealOptions};

const SIZES: [usize; 11] = [0, 1, 15, 16, 17, 255, 1000, 4096, 16385, 65536, 102_400];
const USER: &str = "wefsource";
const DOMAIN: &str = "WEF";
const PASSWORD: &str = "Ntlm-Source-Pw1";

struct Peer {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Peer {
    fn spawn() -> Self {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/ntlm_peer.py");
        let mut child = Command::new("python3")
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 is required for the pyspnego peer tests (run scripts/setup.sh)");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut p = Self {
            child,
            stdin,
            stdout,
        };
        let hello = p.read();
        assert_eq!(
            hello["ready"], true,
            "pyspnego peer failed to start: {hello}"
        );
        p
    }

    fn read(&mut self) -> Value {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        assert!(!line.is_empty(), "pyspnego peer exited");
        serde_json::from_str(&line).unwrap()
    }

    fn try_call(&mut self, req: &Value) -> Result<Value, String> {
        writeln!(self.stdin, "{req}").unwrap();
        self.stdin.flush().unwrap();
        let v = self.read();
        match v.get("error") {
            Some(e) => Err(e.as_str().unwrap_or("").to_owned()),
            None => Ok(v),
        }
    }

    fn call(&mut self, req: &Value) -> Value {
        self.try_call(req)
            .unwrap_or_else(|e| panic!("peer error on {}: {e}", req["cmd"]))
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn b64(b: &[u8]) -> String {
    B64.encode(b)
}

fn unb64(v: &Value) -> Vec<u8> {
    B64.decode(v.as_str().unwrap()).unwrap()
}

/// Deterministic, distinct test nonces (no RNG in the crate; tests inject values).
fn nonces(seed: u8) -> (AcceptorNonces, InitiatorNonces) {
    let ft = 133_500_000_000_000_000u64.wrapping_add(u64::from(seed));
    (
        AcceptorNonces {
            server_challenge: [seed.wrapping_add(1); 8],
            now_filetime: ft,
        },
        InitiatorNonces {
            client_challenge: [seed.wrapping_add(2); 8],
            exported_session_key: [seed.wrapping_add(3); 16],
            now_filetime: ft,
        },
    )
}

fn payload(n: usize, salt: u8) -> Vec<u8> {
    (0..n)
        .map(|i| {
            u8::try_from(i % 251)
                .unwrap()
                .wrapping_mul(31)
                .wrapping_add(salt)
        })
        .collect()
}

fn store() -> NtHashStore {
    NtHashStore::parse(&format!("{DOMAIN}:{USER}:{PASSWORD}\n")).unwrap()
}

/// Runs pyspnego's client against our acceptor; returns (peer, our acceptor) after completion.
fn py_client_handshake(
    protocol: &str,
    password: &str,
    seed: u8,
) -> (Peer, Result<NegotiateAcceptor, AuthError>) {
    py_client_handshake_with(protocol, password, seed, NegotiateConfig::default(), None)
}

/// Options of the pyspnego client.
#[derive(Default)]
struct PyClient {
    /// `LM_COMPAT_LEVEL` (1: NTLMv1 with extended session security).
    lm_compat_level: Option<u8>,
    /// The channel bindings' application data.
    channel_bindings: Option<Vec<u8>>,
}

fn py_client_handshake_with(
    protocol: &str,
    password: &str,
    seed: u8,
    config: NegotiateConfig,
    lm_compat_level: Option<u8>,
) -> (Peer, Result<NegotiateAcceptor, AuthError>) {
    let opts = PyClient {
        lm_compat_level,
        ..PyClient::default()
    };
    py_client_handshake_opts(protocol, password, seed, config, &opts)
}

fn py_client_handshake_opts(
    protocol: &str,
    password: &str,
    seed: u8,
    config: NegotiateConfig,
    opts: &PyClient,
) -> (Peer, Result<NegotiateAcceptor, AuthError>) {
    let mut py = Peer::spawn();
    let cb = opts.channel_bindings.as_deref().map(b64);
    py.call(&json!({"cmd": "client", "protocol": protocol, "username": format!("{DOMAIN}\\{USER}"), "password": password, "lm_compat_level": opts.lm_compat_level, "channel_bindings": cb}));
    let (an, _) = nonces(seed);
    let mut acc = NegotiateAcceptor::new(config, None);
    let mut store = store();
    let mut token = py.call(&json!({"cmd": "step", "token": null}))["token"].clone();
    loop {
        let step = match acc.step(
            &format!("Negotiate {}", token.as_str().unwrap()),
            &an,
            &mut store,
        ) {
            Ok(s) => s,
            Err(e) => return (py, Err(e)),
        };
        match step {
            AcceptStep::Continue { www_authenticate } => {
                let (_, t) = parse_header(&www_authenticate, &Default::default()).unwrap();
                token = py.call(&json!({"cmd": "step", "token": b64(&t)}))["token"].clone();
            }
            AcceptStep::Complete { www_authenticate } => {
                if let Some(w) = www_authenticate {
                    let (_, t) = parse_header(&w, &Default::default()).unwrap();
                    let r = py.call(&json!({"cmd": "step", "token": b64(&t)}));
                    assert_eq!(r["token"], Value::Null);
                    assert_eq!(r["complete"], true);
                }
                return (py, Ok(acc));
            }
        }
    }
}

/// Runs our initiator against pyspnego's acceptor (NTLM_USER_FILE).
fn py_server_handshake(
    protocol: &str,
    password: &str,
    seed: u8,
    dir: &std::path::Path,
) -> (Peer, Result<NegotiateInitiator, String>) {
    py_server_handshake_cb(protocol, password, seed, dir, None, None)
}

/// [`py_server_handshake`] with channel bindings (application data) on our side and theirs.
fn py_server_handshake_cb(
    protocol: &str,
    password: &str,
    seed: u8,
    dir: &std::path::Path,
    ours_cb: Option<&[u8]>,
    theirs_cb: Option<&[u8]>,
) -> (Peer, Result<NegotiateInitiator, String>) {
    let user_file = dir.join(format!("ntlm-users-{seed}"));
    std::fs::write(&user_file, format!("{DOMAIN}:{USER}:{PASSWORD}\n")).unwrap();
    let mut py = Peer::spawn();
    let cb = theirs_cb.map(b64);
    py.call(&json!({"cmd": "server", "protocol": protocol, "user_file": user_file, "channel_bindings": cb}));
    let mode = if protocol == "ntlm" {
        InitiatorMode::RawNtlm
    } else {
        InitiatorMode::Spnego
    };
    let creds = InitiatorCredentials {
        user: USER.into(),
        domain: DOMAIN.into(),
        workstation: "SOURCE".into(),
        nt_hash: NtHash::from_password(password),
    };
    let mut ini = NegotiateInitiator::new(creds, mode);
    if let Some(app) = ours_cb {
        ini = ini.with_channel_bindings(ChannelBindings {
            application_data: app.to_vec(),
            ..ChannelBindings::default()
        });
    }
    let (_, inn) = nonces(seed);
    let mut header = ini.initial().unwrap();
    loop {
        let tok = parse_header(&header, &Default::default()).unwrap().1;
        let r = match py.try_call(&json!({"cmd": "step", "token": b64(&tok)})) {
            Ok(r) => r,
            Err(e) => return (py, Err(e)),
        };
        match r["token"].as_str() {
            Some(t) => match ini.step(&format!("Negotiate {t}"), &inn).unwrap() {
                Some(next) => header = next,
                None => {
                    assert_eq!(
                        r["complete"], true,
                        "pyspnego acceptor not complete after its final token"
                    );
                    break;
                }
            },
            None => {
                assert_eq!(r["complete"], true, "pyspnego acceptor not complete");
                break;
            }
        }
    }
    (py, Ok(ini))
}

/// Messages both ways at the header/data level and as pypsrp HTTP bodies.
fn exchange(py: &mut Peer, ours: &mut dyn SessionSecurity, we_are_acceptor: bool) {
    let mut w = Wrapped::new();
    let mut out = Vec::new();
    for (i, &n) in SIZES.iter().enumerate() {
        let salt = u8::try_from(i).unwrap();
        // Peer -> us, raw header/data.
        let plain = payload(n, salt);
        let r = py.call(&json!({"cmd": "wrap", "data": b64(&plain)}));
        assert_eq!(r["padding"], 0);
        out.clear();
        ours.unwrap_winrm(&unb64(&r["header"]), &unb64(&r["data"]), &mut out)
            .unwrap_or_else(|e| panic!("unwrap {n}: {e}"));
        assert_eq!(out, plain, "peer->us {n}");
        // Us -> peer, raw.
        let plain = payload(n, salt.wrapping_add(100));
        ours.wrap_winrm(&plain, &mut w).unwrap();
        let r = py.call(&json!({"cmd": "unwrap", "header": b64(&w.header), "data": b64(&w.data)}));
        assert_eq!(unb64(&r["data"]), plain, "us->peer {n}");
        // Peer -> us as a pypsrp HTTP body.
        let plain = payload(n, salt.wrapping_add(50));
        let r = py.call(&json!({"cmd": "wrap_body", "data": b64(&plain)}));
        out.clear();
        let opened = framing::open(
            ours,
            r["content_type"].as_str().unwrap(),
            &unb64(&r["body"]),
            &Limits::default(),
            &mut out,
        )
        .unwrap_or_else(|e| panic!("open body {n}: {e:?}"));
        assert_eq!(
            (out.as_slice(), opened.length, opened.charset),
            (plain.as_slice(), n, Charset::Utf8)
        );
        // Us -> peer as an HTTP body, pypsrp parses it.
        let plain = payload(n, salt.wrapping_add(150));
        let mut body = Vec::new();
        framing::seal(ours, &plain, &SealOptions::default(), &mut body).unwrap();
        let r = py.call(&json!({"cmd": "unwrap_body", "body": b64(&body)}));
        assert_eq!(unb64(&r["data"]), plain, "us->peer body {n}");
    }
    let _ = we_are_acceptor;
}

#[test]
fn our_acceptor_with_pyspnego_initiator() {
    for (seed, protocol) in [(10, "ntlm"), (20, "negotiate")] {
        let (mut py, acc) = py_client_handshake(protocol, PASSWORD, seed);
        let mut acc = acc.unwrap_or_else(|e| panic!("{protocol}: {e}"));
        assert!(acc.is_complete());
        match acc.identity() {
            Some(wsman_proto::auth::negotiate::Identity::Ntlm(id)) => {
                assert_eq!(
                    (id.user.as_str(), id.domain.as_str(), id.ntlmv2),
                    (USER, DOMAIN, true)
                );
            }
            other => panic!("identity {other:?}"),
        }
        exchange(&mut py, acc.security_mut().unwrap(), true);
    }
}

#[test]
fn our_initiator_with_pyspnego_acceptor() {
    let dir = std::env::temp_dir().join(format!("wefkit-ntlm-peers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (seed, protocol) in [(30, "ntlm"), (40, "negotiate")] {
        let (mut py, ini) = py_server_handshake(protocol, PASSWORD, seed, &dir);
        let mut ini = ini.unwrap_or_else(|e| panic!("{protocol}: {e}"));
        assert!(ini.is_complete(), "{protocol}");
        exchange(&mut py, ini.security_mut().unwrap(), false);
    }
    // Wrong password: pyspnego's acceptor refuses our AUTHENTICATE.
    let (_py, res) = py_server_handshake("ntlm", "wrong-password", 50, &dir);
    assert!(res.is_err(), "pyspnego accepted a wrong password");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn wrong_password_from_pyspnego_is_authentication_failed() {
    for (seed, protocol) in [(60, "ntlm"), (70, "negotiate")] {
        let (_py, acc) = py_client_handshake(protocol, "not-the-password", seed);
        assert!(
            matches!(acc, Err(AuthError::AuthenticationFailed { .. })),
            "{protocol}: {:?}",
            acc.map(|_| ())
        );
    }
}

#[test]
fn tampered_and_replayed_pyspnego_messages_fail_typed() {
    let (mut py, acc) = py_client_handshake("negotiate", PASSWORD, 80);
    let mut acc = acc.unwrap();
    let sec = acc.security_mut().unwrap();
    let mut out = Vec::new();
    let first = py.call(&json!({"cmd": "wrap_body", "data": b64(b"<a/>")}));
    let ct = first["content_type"].as_str().unwrap().to_owned();
    let body = unb64(&first["body"]);
    framing::open(sec, &ct, &body, &Limits::default(), &mut out).unwrap();
    // Replay.
    assert!(matches!(
        framing::open(sec, &ct, &body, &Limits::default(), &mut out),
        Err(FramingError::Auth(AuthError::SequenceMismatch {
            expected: 2,
            got: 1,
            ..
        }))
    ));
    // Tamper with the sealed data of the next one.
    let next =
        unb64(&py.call(&json!({"cmd": "wrap_body", "data": b64(b"<b>payload</b>")}))["body"]);
    let mut t = next.clone();
    let pos = t.len() - b"--Encrypted Boundary--\r\n".len() - 3;
    t[pos] ^= 0x20;
    assert!(matches!(
        framing::open(sec, &ct, &t, &Limits::default(), &mut out),
        Err(FramingError::Auth(AuthError::BadSignature { .. }))
    ));
    // The context is poisoned now.
    assert!(matches!(
        framing::open(sec, &ct, &next, &Limits::default(), &mut out),
        Err(FramingError::Auth(AuthError::Poisoned))
    ));
}

/// NTLMv1 (with extended session security) from pyspnego (`LM_COMPAT_LEVEL=1`): refused by the
/// default policy, accepted — and sealing works — when the policy allows it.
#[test]
fn ntlmv1_only_when_policy_allows() {
    let (_py, acc) =
        py_client_handshake_with("ntlm", PASSWORD, 90, NegotiateConfig::default(), Some(1));
    assert_eq!(acc.err(), Some(AuthError::PolicyRefused(Refusal::NtlmV1)));
    let mut config = NegotiateConfig::default();
    config.ntlm.policy.allow_ntlmv1 = true;
    for (seed, protocol) in [(91, "ntlm"), (92, "negotiate")] {
        let (mut py, acc) =
            py_client_handshake_with(protocol, PASSWORD, seed, config.clone(), Some(1));
        let mut acc = acc.unwrap_or_else(|e| panic!("{protocol}: {e}"));
        match acc.identity() {
            Some(wsman_proto::auth::negotiate::Identity::Ntlm(id)) => {
                assert!(!id.ntlmv2, "expected an NTLMv1 logon")
            }
            other => panic!("identity {other:?}"),
        }
        exchange(&mut py, acc.security_mut().unwrap(), true);
        // Wrong password over NTLMv1 too.
        let (_py, acc) = py_client_handshake_with(protocol, "wrong", seed, config.clone(), Some(1));
        assert!(
            matches!(acc, Err(AuthError::AuthenticationFailed { .. })),
            "{protocol}"
        );
    }
}

/// A certificate hash standing in for the TLS channel's (`tls-server-end-point`).
const CERT_HASH: [u8; 32] = [0x5a; 32];

fn tls_bindings(hash: &[u8]) -> Vec<u8> {
    ChannelBindings::tls_server_end_point(hash).application_data
}

#[test]
fn channel_bindings_from_pyspnego_are_checked() {
    let mut config = NegotiateConfig::default();
    config.ntlm.channel_bindings = Some(ChannelBindings::tls_server_end_point(&CERT_HASH));
    for (seed, protocol) in [(110, "ntlm"), (111, "negotiate")] {
        // Same channel: accepted, and the session works.
        let opts = PyClient {
            channel_bindings: Some(tls_bindings(&CERT_HASH)),
            ..PyClient::default()
        };
        let (mut py, acc) =
            py_client_handshake_opts(protocol, PASSWORD, seed, config.clone(), &opts);
        let mut acc = acc.unwrap_or_else(|e| panic!("{protocol}: {e}"));
        exchange(&mut py, acc.security_mut().unwrap(), true);
        // Another channel (a relay terminating TLS with its own certificate): refused.
        let opts = PyClient {
            channel_bindings: Some(tls_bindings(&[0xA5; 32])),
            ..PyClient::default()
        };
        let (_py, acc) = py_client_handshake_opts(protocol, PASSWORD, seed, config.clone(), &opts);
        assert!(
            matches!(acc, Err(AuthError::AuthenticationFailed { .. })),
            "{protocol}: {:?}",
            acc.map(|_| ())
        );
        // No bindings from the client: accepted when supported, refused when required.
        let (_py, acc) = py_client_handshake_opts(
            protocol,
            PASSWORD,
            seed,
            config.clone(),
            &PyClient::default(),
        );
        assert!(acc.is_ok(), "{protocol}: {:?}", acc.map(|_| ()));
        let mut required = config.clone();
        required.ntlm.policy.channel_bindings = ChannelBindingPolicy::Required;
        let (_py, acc) =
            py_client_handshake_opts(protocol, PASSWORD, seed, required, &PyClient::default());
        assert_eq!(
            acc.err(),
            Some(AuthError::PolicyRefused(Refusal::ChannelBindingsMissing)),
            "{protocol}"
        );
    }
}

#[test]
fn our_channel_bindings_are_checked_by_pyspnego() {
    let dir = std::env::temp_dir().join(format!("wefkit-ntlm-cb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cb = tls_bindings(&CERT_HASH);
    for (seed, protocol) in [(120, "ntlm"), (121, "negotiate")] {
        let (mut py, ini) =
            py_server_handshake_cb(protocol, PASSWORD, seed, &dir, Some(&cb), Some(&cb));
        let mut ini = ini.unwrap_or_else(|e| panic!("{protocol}: {e}"));
        exchange(&mut py, ini.security_mut().unwrap(), false);
        let other = tls_bindings(&[0xA5; 32]);
        let (_py, res) =
            py_server_handshake_cb(protocol, PASSWORD, seed, &dir, Some(&other), Some(&cb));
        let err = res.err().unwrap_or_default();
        assert!(
            err.contains("BadBindings"),
            "{protocol}: pyspnego said {err:?}"
        );
        // pyspnego requires bindings from the client once it has some itself.
        let (_py, res) = py_server_handshake_cb(protocol, PASSWORD, seed, &dir, None, Some(&cb));
        assert!(res.is_err(), "{protocol}: accepted without bindings");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

//! `wefkit decrypt ntlm` on the shared pyspnego sessions: every body of each direction
//! decrypts to the recorded plaintext (0-based `i.bin`); a tampered body stops the run with
//! exit 1 naming it; out-of-order bodies are refused.

#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "test helpers")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine as _;
use serde_json::Value;
use testkit::shared::read_shared;

fn b64(s: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s.as_str().unwrap())
        .unwrap()
}

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wefkit-cli-decrypt-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn wefkit(args: &[&str], bodies: &[PathBuf]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wefkit"))
        .args(args)
        .args(bodies)
        .output()
        .unwrap()
}

struct Session {
    key: String,
    flags: String,
    first_seq: String,
    ct: String,
    /// (direction, body, plaintext)
    msgs: Vec<(String, Vec<u8>, Vec<u8>)>,
}

fn session(name: &str) -> Session {
    let d: Value = serde_json::from_slice(&read_shared(&format!("vectors/ntlm/{name}"))).unwrap();
    let msgs: Vec<_> = d["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["direction"].as_str().unwrap().to_owned(),
                b64(&m["http"]["wef"]["body_b64"]),
                b64(&m["plaintext_b64"]),
            )
        })
        .collect();
    Session {
        key: d["exported_session_key_hex"].as_str().unwrap().to_owned(),
        flags: d["handshake"]["authenticate_flags_hex"]
            .as_str()
            .unwrap()
            .to_owned(),
        first_seq: d["messages"][0]["seq_num"].to_string(),
        ct: d["messages"][0]["http"]["wef"]["content_type"]
            .as_str()
            .unwrap()
            .to_owned(),
        msgs,
    }
}

fn write_bodies(dir: &Path, s: &Session, direction: &str) -> (Vec<PathBuf>, Vec<Vec<u8>>) {
    let mut paths = Vec::new();
    let mut plains = Vec::new();
    for (i, (_, body, plain)) in s.msgs.iter().filter(|m| m.0 == direction).enumerate() {
        let p = dir.join(format!("body-{i}.http"));
        std::fs::write(&p, body).unwrap();
        paths.push(p);
        plains.push(plain.clone());
    }
    (paths, plains)
}

#[test]
fn decrypts_both_directions_of_both_sessions() {
    decrypt_both_sessions(true);
}

/// Without `--first-seq`, the first body's sequence number (0 raw, 1 SPNEGO) is taken.
#[test]
fn the_first_sequence_number_is_detected_when_not_given() {
    decrypt_both_sessions(false);
}

fn decrypt_both_sessions(give_first_seq: bool) {
    for name in ["sample-raw-ntlm.json", "sample-spnego-ntlm.json"] {
        let s = session(name);
        for (direction, sender) in [
            ("client_to_server", "initiator"),
            ("server_to_client", "acceptor"),
        ] {
            let dir = tmpdir(&format!("{}-{sender}-{give_first_seq}", name.len()));
            let (bodies, plains) = write_bodies(&dir, &s, direction);
            let out_dir = dir.join("out");
            let mut args = vec![
                "decrypt",
                "ntlm",
                "--session-key",
                &s.key,
                "--flags",
                &s.flags,
                "--sender",
                sender,
                "--content-type",
                &s.ct,
                "--out-dir",
                out_dir.to_str().unwrap(),
            ];
            if give_first_seq {
                args.extend(["--first-seq", &s.first_seq]);
            }
            let o = wefkit(&args, &bodies);
            assert!(
                o.status.success(),
                "{name} {sender}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            for (i, plain) in plains.iter().enumerate() {
                assert_eq!(
                    &std::fs::read(out_dir.join(format!("{i}.bin"))).unwrap(),
                    plain,
                    "{name} {sender} {i}"
                );
            }
            assert!(String::from_utf8_lossy(&o.stdout).contains("0.bin: "));
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

#[test]
fn tampered_body_stops_with_exit_1_naming_it() {
    let s = session("sample-raw-ntlm.json");
    let dir = tmpdir("tamper");
    let (bodies, _) = write_bodies(&dir, &s, "client_to_server");
    let mut b = std::fs::read(&bodies[2]).unwrap();
    let pos = b.len() - b"--Encrypted Boundary--\r\n".len() - 1;
    b[pos] ^= 1;
    std::fs::write(&bodies[2], &b).unwrap();
    let out_dir = dir.join("out");
    let args = [
        "decrypt",
        "ntlm",
        "--session-key",
        &s.key,
        "--flags",
        &s.flags,
        "--sender",
        "initiator",
        "--content-type",
        &s.ct,
        "--out-dir",
        out_dir.to_str().unwrap(),
    ];
    let o = wefkit(&args, &bodies);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("body 2") && err.contains("signature does not verify"),
        "{err}"
    );
    assert!(out_dir.join("1.bin").exists() && !out_dir.join("2.bin").exists());

    // Out of order: body 1 first.
    let o = wefkit(&args, &[bodies[1].clone(), bodies[0].clone()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("body 0") && err.contains("sequence number 1 where 0 was expected"),
        "{err}"
    );
    // Wrong key.
    let mut bad = args.to_vec();
    bad[3] = "00000000000000000000000000000000";
    let o = wefkit(&bad, &bodies[..1]);
    assert_eq!(o.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

//! `wefkit decrypt kerberos` on bodies sealed by independent peers: pyspnego / python-gssapi
//! on MIT krb5 with pypsrp's WinRM framing, recorded in a throwaway realm by
//! `scripts/kdc-capture.sh` (`tests/data/kerberos/pypsrp-{aes256,aes128,rc4}.json`), and a
//! Windows-layout body (no TAB, `Length` = plaintext) built with the acceptor subkey and
//! sequence number of the real Windows capture in `../shared` (OpenWEC facts). Tampered,
//! reordered and wrongly keyed bodies stop the run with exit 1 naming the body.

#![expect(clippy::unwrap_used, reason = "test helpers")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine as _;
use serde_json::Value;
use testkit::shared::read_shared;
use wsman_proto::auth::Role;
use wsman_proto::auth::kerberos::{Enctype, Key, OfflineConfig, OfflineKerberos};
use wsman_proto::framing::{SealOptions, seal};

fn b64(s: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s.as_str().unwrap())
        .unwrap()
}

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wefkit-cli-krb-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn capture(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/kerberos")
        .join(name);
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn write_bodies(dir: &Path, bodies: &[Vec<u8>]) -> Vec<PathBuf> {
    bodies
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let p = dir.join(format!("body-{i}.http"));
            std::fs::write(&p, b).unwrap();
            p
        })
        .collect()
}

fn decrypt(
    key: &str,
    enctype: &str,
    sender: &str,
    ct: &str,
    out: &Path,
    extra: &[&str],
    bodies: &[PathBuf],
) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wefkit"))
        .args([
            "decrypt",
            "kerberos",
            "--key",
            key,
            "--enctype",
            enctype,
            "--sender",
            sender,
        ])
        .args(["--content-type", ct, "--out-dir", out.to_str().unwrap()])
        .args(extra)
        .args(bodies)
        .output()
        .unwrap()
}

#[test]
fn decrypts_pypsrp_mit_bodies_both_directions() {
    for name in [
        "pypsrp-aes256.json",
        "pypsrp-aes128.json",
        "pypsrp-rc4.json",
    ] {
        let c = capture(name);
        let enctype = c["enctype"].to_string();
        let key = c["key_hex"].as_str().unwrap();
        let ct = c["content_type"].as_str().unwrap();
        for (direction, sender) in [
            ("client_to_server", "initiator"),
            ("server_to_client", "acceptor"),
        ] {
            let msgs = c[direction].as_array().unwrap();
            let bodies: Vec<Vec<u8>> = msgs.iter().map(|m| b64(&m["body_b64"])).collect();
            let plains: Vec<Vec<u8>> = msgs.iter().map(|m| b64(&m["plaintext_b64"])).collect();
            let dir = tmpdir(&format!("{name}-{sender}"));
            let paths = write_bodies(&dir, &bodies);
            let out = dir.join("out");
            let o = decrypt(key, &enctype, sender, ct, &out, &[], &paths);
            assert!(
                o.status.success(),
                "{name} {sender}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            for (i, plain) in plains.iter().enumerate() {
                let got = std::fs::read(out.join(format!("{i}.bin"))).unwrap();
                assert_eq!(&got, plain, "{name} {sender} body {i}");
            }

            // The wrong direction: every token's direction flag / key usage is refused.
            let other = if sender == "initiator" {
                "acceptor"
            } else {
                "initiator"
            };
            let o = decrypt(key, &enctype, other, ct, &dir.join("out2"), &[], &paths);
            assert_eq!(o.status.code(), Some(1), "{name} wrong sender");
            assert!(String::from_utf8_lossy(&o.stderr).contains("body 0"));

            // Out of order: body 1 then body 0.
            let swapped = vec![paths[1].clone(), paths[0].clone()];
            let o = decrypt(key, &enctype, sender, ct, &dir.join("out3"), &[], &swapped);
            assert_eq!(o.status.code(), Some(1), "{name} swapped");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                err.contains("body 1") && err.contains("sequence"),
                "{name}: {err}"
            );
            assert!(
                dir.join("out3/0.bin").is_file(),
                "plaintexts before the failure are kept"
            );

            // Tampered ciphertext in the last body.
            let mut tampered = bodies.clone();
            let last = tampered.len() - 1;
            let n = tampered[last].len();
            tampered[last][n - 30] ^= 0x01;
            let paths = write_bodies(&dir, &tampered);
            let o = decrypt(key, &enctype, sender, ct, &dir.join("out4"), &[], &paths);
            assert_eq!(o.status.code(), Some(1), "{name} tampered");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains(&format!("body {last}")), "{name}: {err}");

            // Wrong key.
            let mut wrong = hex::decode(key).unwrap();
            wrong[0] ^= 1;
            let o = decrypt(
                &hex::encode(wrong),
                &enctype,
                sender,
                ct,
                &dir.join("out5"),
                &[],
                &paths[..1],
            );
            assert_eq!(o.status.code(), Some(1), "{name} wrong key");
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

/// Windows' layout (no TAB before the part headers, `Length` without padding) with the real
/// capture's acceptor subkey and first sequence number; `--first-seq` pins the sequence.
#[test]
fn decrypts_a_windows_layout_body_with_the_capture_subkey() {
    let facts: Value = serde_json::from_slice(&read_shared(
        "corpus/kerberos/openwec-wef-capture-facts.json",
    ))
    .unwrap();
    let subkey = facts["ap_rep"]["first_ap_rep_decrypted"]["subkey"]["keyvalue_hex"]
        .as_str()
        .unwrap();
    let seq = facts["wrap_token_client_to_server_enumerate"]["seq_number"]
        .as_u64()
        .unwrap();
    let key = Key::new(Enctype::Aes256CtsHmacSha196, &hex::decode(subkey).unwrap()).unwrap();
    let mut cfg = OfflineConfig::new(Role::Initiator);
    cfg.send_seq = seq;
    let mut client = OfflineKerberos::new(key, cfg, |b: &mut [u8]| b.fill(0x42)).unwrap();
    let opts = SealOptions {
        tab: false,
        ..SealOptions::default()
    };
    let plains: Vec<Vec<u8>> = (0..3u8)
        .map(|i| vec![b'<' ^ i; 3240 + usize::from(i)])
        .collect();
    let mut bodies = Vec::new();
    let mut ct = String::new();
    for p in &plains {
        let mut body = Vec::new();
        ct = seal(&mut client, p, &opts, &mut body).unwrap();
        bodies.push(body);
    }
    assert!(ct.contains("HTTP-Kerberos-session-encrypted"), "{ct}");
    // 302 bytes of framing around a 4-digit Length, as in the capture's arithmetic.
    assert_eq!(bodies[0].len() - plains[0].len(), 302);
    let dir = tmpdir("windows");
    let paths = write_bodies(&dir, &bodies);
    let out = dir.join("out");
    let o = decrypt(
        subkey,
        "18",
        "initiator",
        &ct,
        &out,
        &["--first-seq", &seq.to_string()],
        &paths,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (i, p) in plains.iter().enumerate() {
        assert_eq!(&std::fs::read(out.join(format!("{i}.bin"))).unwrap(), p);
    }
    // A wrong --first-seq refuses the first body.
    let next = (seq + 1).to_string();
    let o = decrypt(
        subkey,
        "18",
        "initiator",
        &ct,
        &dir.join("o2"),
        &["--first-seq", &next],
        &paths,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("body 0"));
    // Bad arguments.
    let o = decrypt("abcd", "18", "initiator", &ct, &dir.join("o3"), &[], &paths);
    assert_ne!(o.status.code(), Some(0));
    let o = decrypt(subkey, "19", "initiator", &ct, &dir.join("o4"), &[], &paths);
    assert_ne!(o.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

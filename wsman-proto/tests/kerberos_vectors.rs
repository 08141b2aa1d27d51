//! Offline Kerberos crypto and wrap tokens against known answers from the shared corpus:
//! the RFC 3961/3962 profile vectors (impacket / MIT), a real Windows AP-REP decrypted with the
//! ticket session key from the OpenWEC capture facts, and the CFX header fields of that
//! capture. Plus the failure cases: tampering, truncation, replay, reordering, reflection.
#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::arithmetic_side_effects,
    reason = "test code: helpers fail loudly on unexpected data"
)]

use serde_json::Value;
use testkit::shared::read_shared;
use wsman_proto::auth::kerberos::{Enctype, Key, OfflineConfig, OfflineKerberos};
use wsman_proto::auth::{AuthError, Mechanism, Role, SessionSecurity, Wrapped};

fn json(rel: &str) -> Value {
    serde_json::from_slice(&read_shared(rel)).unwrap()
}

fn unhex(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

fn enctype(v: &Value) -> Enctype {
    Enctype::from_number(i32::try_from(v["enctype"].as_i64().unwrap()).unwrap()).unwrap()
}

fn profile_vectors() -> Vec<Value> {
    let j = json("corpus/kerberos/crypto-known-answer-vectors.json");
    j["rfc3961_profile_vectors"]["vectors"]
        .as_array()
        .unwrap()
        .clone()
}

fn vector(name: &str) -> Value {
    profile_vectors()
        .into_iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("vector {name} missing"))
}

fn usage(v: &Value) -> u32 {
    u32::try_from(v["key_usage"].as_u64().unwrap()).unwrap()
}

#[test]
fn rfc3961_encrypt_with_fixed_confounder() {
    let mut seen = 0;
    for v in profile_vectors()
        .iter()
        .filter(|v| v["kind"].as_str().unwrap().starts_with("encrypt"))
    {
        let key = Key::new(enctype(v), &unhex(&v["key"])).unwrap();
        let plain = unhex(&v["plaintext_hex"]);
        let mut out = Vec::new();
        key.encrypt(usage(v), &unhex(&v["confounder"]), &plain, &mut out)
            .unwrap();
        assert_eq!(
            hex::encode(&out),
            v["ciphertext"].as_str().unwrap(),
            "{}",
            v["name"]
        );
        let mut back = Vec::new();
        key.decrypt(usage(v), &out, &mut back).unwrap();
        assert_eq!(back, plain);
        // Wrong usage and a flipped bit both fail the integrity check.
        assert_eq!(
            key.decrypt(usage(v) + 1, &out, &mut back),
            Err(AuthError::BadSignature {
                mechanism: Mechanism::Kerberos
            })
        );
        let mut bad = out.clone();
        bad[20] ^= 1;
        assert!(matches!(
            key.decrypt(usage(v), &bad, &mut back),
            Err(AuthError::BadSignature { .. })
        ));
        assert!(matches!(
            key.decrypt(usage(v), &out[..20], &mut back),
            Err(AuthError::Truncated { .. })
        ));
        seen += 1;
    }
    assert_eq!(seen, 2);
}

#[test]
fn rfc3961_checksums() {
    for name in ["AES128_checksum", "AES256_checksum"] {
        let v = vector(name);
        let key = Key::new(enctype(&v), &unhex(&v["key"])).unwrap();
        let sum = key.checksum(usage(&v), v["plaintext_ascii"].as_str().unwrap().as_bytes());
        assert_eq!(hex::encode(sum), v["checksum"].as_str().unwrap(), "{name}");
    }
}

#[test]
fn rfc3962_string_to_key() {
    for name in ["AES128_string_to_key", "AES256_string_to_key"] {
        let v = vector(name);
        let params = unhex(&v["s2kparams"]);
        let key = Key::from_password(
            enctype(&v),
            v["password"].as_str().unwrap(),
            v["salt_ascii"].as_str().unwrap().as_bytes(),
            Some(&params),
        )
        .unwrap();
        assert_eq!(
            hex::encode(key.as_bytes()),
            v["key"].as_str().unwrap(),
            "{name}"
        );
    }
    // Iteration counts are bounded.
    assert!(matches!(
        Key::from_password(Enctype::Aes128CtsHmacSha196, "p", b"s", Some(&[0xff; 4])),
        Err(AuthError::Limit { .. })
    ));
}

/// The PRF vectors use `string_to_key(17, "key1", "key1")` with input `01 61` and
/// `string_to_key(18, "key2", "key2")` with input `02 62`; the CF2 vectors combine the "key1"
/// and "key2" keys (default parameters, as in MIT's test suite).
#[test]
fn rfc3962_prf_and_rfc6113_cf2() {
    for (name, e, pw, input) in [
        (
            "AES128_prf",
            Enctype::Aes128CtsHmacSha196,
            "key1",
            &[0x01u8, 0x61][..],
        ),
        (
            "AES256_prf",
            Enctype::Aes256CtsHmacSha196,
            "key2",
            &[0x02, 0x62][..],
        ),
    ] {
        let v = vector(name);
        let key = Key::from_password(e, pw, pw.as_bytes(), None).unwrap();
        assert_eq!(
            hex::encode(key.prf(input).unwrap()),
            v["output"].as_str().unwrap(),
            "{name}"
        );
    }
    for (name, e) in [
        ("AES128_cf2", Enctype::Aes128CtsHmacSha196),
        ("AES256_cf2", Enctype::Aes256CtsHmacSha196),
    ] {
        let v = vector(name);
        let k1 = Key::from_password(e, "key1", b"key1", None).unwrap();
        let k2 = Key::from_password(e, "key2", b"key2", None).unwrap();
        let out = k1.cf2(&k2, b"a", b"b").unwrap();
        assert_eq!(
            hex::encode(out.as_bytes()),
            v["output"].as_str().unwrap(),
            "{name}"
        );
    }
}

/// RFC 4757 string-to-key is MD4(UTF-16LE(password)): the NT hash of "Password" is the
/// well-known a4f49c406510bdcab6824ee7c30fd852 (MS-NLMP 4.2.2.1.2 uses the same function).
#[test]
fn rc4_string_to_key_is_the_nt_hash() {
    let key = Key::from_password(Enctype::Rc4Hmac, "Password", b"", None).unwrap();
    assert_eq!(
        hex::encode(key.as_bytes()),
        "a4f49c406510bdcab6824ee7c30fd852"
    );
}

/// Minimal DER walk: returns the contents of the first element with tag `tag` found by
/// descending into constructed elements.
fn der_find(mut data: &[u8], tag: u8) -> Option<&[u8]> {
    while !data.is_empty() {
        let t = data[0];
        let (len, hdr) = match data[1] {
            l if l < 0x80 => (usize::from(l), 2),
            0x81 => (usize::from(data[2]), 3),
            0x82 => (usize::from(data[2]) << 8 | usize::from(data[3]), 4),
            _ => return None,
        };
        let body = &data[hdr..hdr + len];
        if t == tag {
            return Some(body);
        }
        if t & 0x20 != 0 {
            if let Some(found) = der_find(body, tag) {
                return Some(found);
            }
        }
        data = &data[hdr + len..];
    }
    None
}

/// A real Windows Server AP-REP (OpenWEC capture): its enc-part decrypts with the ticket
/// session key and key usage 12 (RFC 4120) to the acceptor subkey and sequence number that
/// Wireshark printed with the collector's keytab.
#[test]
fn windows_ap_rep_decrypts_with_the_ticket_session_key() {
    let facts = json("corpus/kerberos/openwec-wef-capture-facts.json");
    let session_key = unhex(&facts["ap_req"]["ticket_session_key"]["keyvalue_hex"]);
    let key = Key::new(Enctype::Aes256CtsHmacSha196, &session_key).unwrap();
    let want_subkey = unhex(&facts["ap_rep"]["first_ap_rep_decrypted"]["subkey"]["keyvalue_hex"]);
    let want_seq = facts["ap_rep"]["first_ap_rep_decrypted"]["seq_number"]
        .as_u64()
        .unwrap();

    let token = read_shared("corpus/kerberos/captured-tokens/openwec-wef-capture/ap-rep-1.bin");
    // GSS framing 0x60, OID, TOK_ID 02 00, then the AP-REP [APPLICATION 15].
    let ap_rep = der_find(&token, 0x6f).expect("AP-REP");
    let enc_part = der_find(ap_rep, 0xa2).expect("enc-part");
    let cipher = der_find(enc_part, 0x04).expect("cipher");
    let mut plain = Vec::new();
    key.decrypt(12, cipher, &mut plain).unwrap();
    // EncAPRepPart ::= [APPLICATION 27] SEQUENCE { ctime [0], cusec [1], subkey [2], seq-number [3] }
    let subkey = der_find(&plain, 0xa2).expect("subkey");
    let keyvalue = der_find(subkey, 0xa1)
        .and_then(|k| der_find(k, 0x04))
        .expect("keyvalue");
    assert_eq!(keyvalue, want_subkey.as_slice());
    let seq = der_find(&plain, 0xa3)
        .and_then(|s| der_find(s, 0x02))
        .expect("seq-number");
    let seq = seq.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
    assert_eq!(seq, want_seq);

    // Any other usage, or a tampered byte, is refused.
    assert!(key.decrypt(11, cipher, &mut Vec::new()).is_err());
    let mut bad = cipher.to_vec();
    bad[40] ^= 0x80;
    assert!(key.decrypt(12, &bad, &mut Vec::new()).is_err());
}

/// The first client-to-collector wrap token of the capture: 60-byte header
/// `050406ff0000001c000000000fece2a8` (AcceptorSubkey|Sealed, EC 0, RRC 28, sequence number
/// of the authenticator) and a payload exactly as long as the plaintext. Our initiator,
/// given the capture's acceptor subkey and initial sequence number, produces the same header.
#[test]
fn windows_cfx_layout_matches_the_capture() {
    let facts = json("corpus/kerberos/openwec-wef-capture-facts.json");
    let subkey = unhex(&facts["ap_rep"]["first_ap_rep_decrypted"]["subkey"]["keyvalue_hex"]);
    let tok = &facts["wrap_token_client_to_server_enumerate"];
    let key = Key::new(Enctype::Aes256CtsHmacSha196, &subkey).unwrap();
    let mut cfg = OfflineConfig::new(Role::Initiator);
    cfg.send_seq = tok["seq_number"].as_u64().unwrap();
    let mut client = OfflineKerberos::new(key.clone(), cfg, |b: &mut [u8]| b.fill(0x5a)).unwrap();
    let len = usize::try_from(
        facts["multipart_messages"][0]["original_content_length"]
            .as_u64()
            .unwrap(),
    )
    .unwrap();
    let plain = vec![0x41u8; len];
    let mut w = Wrapped::new();
    client.wrap_winrm(&plain, &mut w).unwrap();
    assert_eq!(
        w.header.len(),
        usize::try_from(tok["token_length"].as_u64().unwrap()).unwrap()
    );
    assert_eq!(
        hex::encode(&w.header[..16]),
        tok["header_hex"].as_str().unwrap()
    );
    assert_eq!(w.data.len(), len);
    assert_eq!(w.padding_len, 0);

    // The collector (acceptor) side, learning the sequence number from the first token.
    let mut server =
        OfflineKerberos::new(key, OfflineConfig::new(Role::Acceptor), |b: &mut [u8]| {
            b.fill(1)
        })
        .unwrap();
    let mut out = Vec::new();
    server.unwrap_winrm(&w.header, &w.data, &mut out).unwrap();
    assert_eq!(out, plain);
    assert_eq!(server.next_recv_seq(), Some(cfg.send_seq + 1));
}

fn pair(e: Enctype) -> (OfflineKerberos, OfflineKerberos) {
    let key = Key::new(e, &vec![0x33; e.key_len()]).unwrap();
    let mut counter = 0u8;
    let client = OfflineKerberos::new(
        key.clone(),
        OfflineConfig::new(Role::Initiator),
        move |b: &mut [u8]| {
            counter = counter.wrapping_add(1);
            b.fill(counter);
        },
    )
    .unwrap();
    let mut cfg = OfflineConfig::new(Role::Acceptor);
    cfg.send_seq = 1000;
    cfg.recv_seq = Some(0);
    let server = OfflineKerberos::new(key, cfg, |b: &mut [u8]| b.fill(0xee)).unwrap();
    (client, server)
}

#[test]
fn round_trips_both_directions_all_enctypes_and_sizes() {
    for e in [
        Enctype::Aes128CtsHmacSha196,
        Enctype::Aes256CtsHmacSha196,
        Enctype::Rc4Hmac,
    ] {
        let (mut client, mut server) = pair(e);
        for size in [
            0usize,
            1,
            15,
            16,
            17,
            31,
            32,
            33,
            100,
            1000,
            4096,
            100 * 1024,
        ] {
            let plain: Vec<u8> = (0..size).map(|i| u8::try_from(i % 251).unwrap()).collect();
            let mut w = Wrapped::new();
            client.wrap_winrm(&plain, &mut w).unwrap();
            match e {
                Enctype::Rc4Hmac => {
                    assert_eq!(w.padding_len, 1);
                    assert_eq!(w.data.len(), size + 1);
                }
                _ => {
                    assert_eq!(w.header.len(), 60, "{e} {size}");
                    assert_eq!(w.data.len(), size);
                    assert_eq!(w.padding_len, 0);
                }
            }
            let mut out = Vec::new();
            server.unwrap_winrm(&w.header, &w.data, &mut out).unwrap();
            assert_eq!(out, plain, "{e} {size} client->server");

            server.wrap_winrm(&plain, &mut w).unwrap();
            out.clear();
            client.unwrap_winrm(&w.header, &w.data, &mut out).unwrap();
            assert_eq!(out, plain, "{e} {size} server->client");
        }
    }
}

/// RFC 4757 header length: 0x60, DER length (1 to 4 bytes), OID (11), 32-byte token header.
#[test]
fn rc4_header_length_follows_the_der_length() {
    let (mut client, _) = pair(Enctype::Rc4Hmac);
    let mut w = Wrapped::new();
    for (size, header) in [(10usize, 45usize), (200, 46), (1000, 47), (100 * 1024, 48)] {
        client.wrap_winrm(&vec![0; size], &mut w).unwrap();
        assert_eq!(w.header.len(), header, "{size}");
        assert_eq!(w.header[0], 0x60);
        let total = w.header.len() + w.data.len();
        let declared = match w.header[1] {
            l if l < 0x80 => usize::from(l) + 2,
            0x81 => usize::from(w.header[2]) + 3,
            0x82 => (usize::from(w.header[2]) << 8 | usize::from(w.header[3])) + 4,
            0x83 => {
                (usize::from(w.header[2]) << 16
                    | usize::from(w.header[3]) << 8
                    | usize::from(w.header[4]))
                    + 5
            }
            _ => unreachable!(),
        };
        assert_eq!(declared, total, "{size}");
    }
}

#[test]
fn tampering_truncation_replay_reordering_and_reflection_fail() {
    for e in [
        Enctype::Aes128CtsHmacSha196,
        Enctype::Aes256CtsHmacSha196,
        Enctype::Rc4Hmac,
    ] {
        let (mut client, mut server) = pair(e);
        let mut m = Vec::new();
        for i in 0..3u8 {
            let mut w = Wrapped::new();
            client.wrap_winrm(&[i; 50], &mut w).unwrap();
            m.push(w);
        }
        let mut out = Vec::new();
        // Tampered payload and header.
        let mut bad = m[0].clone();
        bad.data[3] ^= 1;
        assert!(
            matches!(
                server.unwrap_winrm(&bad.header, &bad.data, &mut out),
                Err(AuthError::BadSignature { .. })
            ),
            "{e}"
        );
        let mut bad = m[0].clone();
        let last = bad.header.len() - 1;
        bad.header[last] ^= 1;
        assert!(
            server
                .unwrap_winrm(&bad.header, &bad.data, &mut out)
                .is_err(),
            "{e}"
        );
        // Truncated.
        assert!(
            server
                .unwrap_winrm(&m[0].header[..10], &[], &mut out)
                .is_err()
        );
        assert!(
            server
                .unwrap_winrm(&m[0].header, &m[0].data[..20], &mut out)
                .is_err()
        );
        assert!(out.is_empty());
        // Out of order: message 1 before 0.
        assert!(
            matches!(
                server.unwrap_winrm(&m[1].header, &m[1].data, &mut out),
                Err(AuthError::SequenceMismatch {
                    expected: 0,
                    got: 1,
                    ..
                })
            ),
            "{e}"
        );
        server
            .unwrap_winrm(&m[0].header, &m[0].data, &mut out)
            .unwrap();
        // Replay.
        assert!(
            matches!(
                server.unwrap_winrm(&m[0].header, &m[0].data, &mut out),
                Err(AuthError::SequenceMismatch {
                    expected: 1,
                    got: 0,
                    ..
                })
            ),
            "{e}"
        );
        server
            .unwrap_winrm(&m[1].header, &m[1].data, &mut out)
            .unwrap();
        server
            .unwrap_winrm(&m[2].header, &m[2].data, &mut out)
            .unwrap();
        assert_eq!(out.len(), 150);
        // Reflection: the client's own token sent back to it.
        let mut w = Wrapped::new();
        client.wrap_winrm(b"reflect", &mut w).unwrap();
        assert!(
            client
                .unwrap_winrm(&w.header, &w.data, &mut Vec::new())
                .is_err(),
            "{e}"
        );
        // Wrong key.
        let other = Key::new(e, &vec![0x44; e.key_len()]).unwrap();
        let mut stranger = OfflineKerberos::new(
            other,
            OfflineConfig::new(Role::Acceptor),
            |b: &mut [u8]| b.fill(0),
        )
        .unwrap();
        assert!(
            matches!(
                stranger.unwrap_winrm(&w.header, &w.data, &mut Vec::new()),
                Err(AuthError::BadSignature { .. })
            ),
            "{e}"
        );
    }
}

mod properties {
    use proptest::prelude::*;
    use wsman_proto::auth::kerberos::{Enctype, Key, OfflineConfig, OfflineKerberos};
    use wsman_proto::auth::{Role, SessionSecurity, Wrapped};

    fn enctype() -> impl Strategy<Value = Enctype> {
        prop_oneof![
            Just(Enctype::Aes128CtsHmacSha196),
            Just(Enctype::Aes256CtsHmacSha196),
            Just(Enctype::Rc4Hmac),
        ]
    }

    proptest! {
        /// unwrap(wrap(x)) == x in both directions, and flipping any one bit of the header or
        /// the data makes the message fail without advancing the receiver.
        #[test]
        fn round_trip_and_any_bit_flip_fails(
            e in enctype(),
            key in proptest::collection::vec(any::<u8>(), 32),
            msgs in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 1..4),
            flip in any::<usize>(),
        ) {
            let key = Key::new(e, &key[..e.key_len()]).unwrap();
            let mut a = OfflineKerberos::new(key.clone(), OfflineConfig::new(Role::Initiator), |b: &mut [u8]| b.fill(3)).unwrap();
            let mut b = OfflineKerberos::new(key, OfflineConfig::new(Role::Acceptor), |b: &mut [u8]| b.fill(4)).unwrap();
            let mut w = Wrapped::new();
            for m in &msgs {
                a.wrap_winrm(m, &mut w).unwrap();
                let mut bad = w.clone();
                let total = bad.header.len() + bad.data.len();
                let bit = flip % (total * 8);
                let (byte, mask) = (bit / 8, 1u8 << (bit % 8));
                if byte < bad.header.len() {
                    bad.header[byte] ^= mask;
                } else {
                    bad.data[byte - bad.header.len()] ^= mask;
                }
                let mut out = Vec::new();
                prop_assert!(b.unwrap_winrm(&bad.header, &bad.data, &mut out).is_err());
                prop_assert!(out.is_empty());
                b.unwrap_winrm(&w.header, &w.data, &mut out).unwrap();
                prop_assert_eq!(&out, m);
                b.wrap_winrm(m, &mut w).unwrap();
                out.clear();
                a.unwrap_winrm(&w.header, &w.data, &mut out).unwrap();
                prop_assert_eq!(&out, m);
            }
        }
    }
}

//! `framing` against the body variants seen in the wild, the SLDC path with a real Windows
//! body (Length counts the compressed bytes), limits, and proptest round trips
//! (`open(seal(x)) == x` with `NullSecurity` and with real NTLM keys).

#![expect(clippy::unwrap_used, reason = "test helpers")]

use proptest::prelude::*;
use testkit::null_security::NullSecurity;
use testkit::shared::read_shared;
use wsman_proto::auth::ntlm::{DEFAULT_FLAGS, NegotiateFlags, NtlmSecurity};
use wsman_proto::auth::{Mechanism, Role};
use wsman_proto::framing::{
    self, Charset, ContentType, FramingError, KERBEROS_PROTOCOL, Limits, Payload, Protocol,
    SPNEGO_PROTOCOL, SealOptions,
};

const CT: &str = "multipart/encrypted;protocol=\"application/HTTP-SPNEGO-session-encrypted\";boundary=\"Encrypted Boundary\"";

/// Builds a body by hand in the given style.
#[expect(
    clippy::too_many_arguments,
    reason = "one knob per real-world variation"
)]
fn body(
    tab: &str,
    eol: &str,
    boundary: &str,
    length: usize,
    charset: &str,
    header: &[u8],
    data: &[u8],
    tail: &str,
) -> Vec<u8> {
    let mut b = format!(
        "--{boundary}{eol}{tab}Content-Type: application/HTTP-SPNEGO-session-encrypted{eol}{tab}OriginalContent: type=application/soap+xml;charset={charset};Length={length}{eol}--{boundary}{eol}{tab}Content-Type: application/octet-stream{eol}"
    )
    .into_bytes();
    b.extend_from_slice(&u32::try_from(header.len()).unwrap().to_le_bytes());
    b.extend_from_slice(header);
    b.extend_from_slice(data);
    b.extend_from_slice(tail.replace("B", boundary).as_bytes());
    b
}

fn null_header() -> Vec<u8> {
    let mut h = b"NULL".to_vec();
    h.resize(16, 0);
    h
}

#[test]
fn real_world_variants_open() {
    let data = b"<s:Envelope/>";
    let h = null_header();
    for tab in ["\t", "", " "] {
        for eol in ["\r\n", "\n"] {
            for tail in ["--B--\r\n", "--B--", "\r\n--B--\r\n", "--B--\r\n\r\n"] {
                for (boundary, ct) in [
                    ("Encrypted Boundary", CT.to_owned()),
                    ("Encrypted Boundary", "multipart/encrypted; protocol=application/HTTP-SPNEGO-session-encrypted; boundary=Encrypted Boundary".to_owned()),
                    ("xyz", "Multipart/Encrypted;Boundary=xyz;Protocol=\"application/HTTP-SPNEGO-session-encrypted\"".to_owned()),
                ] {
                    for charset in ["UTF-16", "utf-8", "\"UTF-8\""] {
                        let b = body(tab, eol, boundary, data.len(), charset, &h, data, tail);
                        let mut out = Vec::new();
                        let o = framing::open(&mut NullSecurity::default(), &ct, &b, &Limits::default(), &mut out)
                            .unwrap_or_else(|e| panic!("tab {tab:?} eol {eol:?} tail {tail:?} ct {ct}: {e}"));
                        assert_eq!(out, data);
                        assert_eq!(o.length, data.len());
                        assert_eq!(o.charset, if charset == "UTF-16" { Charset::Utf16 } else { Charset::Utf8 });
                    }
                }
            }
        }
    }
}

#[test]
fn original_content_is_checked() {
    let h = null_header();
    let mut out = Vec::new();
    let mut sec = NullSecurity::default();
    // Length of the wrong size.
    let b = body(
        "\t",
        "\r\n",
        "Encrypted Boundary",
        5,
        "UTF-8",
        &h,
        b"0123456789012345678901234567890",
        "--B--\r\n",
    );
    assert!(matches!(
        framing::open(&mut sec, CT, &b, &Limits::default(), &mut out),
        Err(FramingError::LengthMismatch { declared: 5, .. })
    ));
    // Unknown charset.
    let b = body(
        "\t",
        "\r\n",
        "Encrypted Boundary",
        3,
        "latin1",
        &h,
        b"abc",
        "--B--\r\n",
    );
    assert!(matches!(
        framing::open(&mut sec, CT, &b, &Limits::default(), &mut out),
        Err(FramingError::OriginalContent(_))
    ));
    // Wrong type.
    let b = String::from_utf8(body(
        "\t",
        "\r\n",
        "Encrypted Boundary",
        3,
        "UTF-8",
        &h,
        b"abc",
        "--B--\r\n",
    ))
    .unwrap()
    .replace("soap+xml", "json");
    assert!(matches!(
        framing::open(&mut sec, CT, b.as_bytes(), &Limits::default(), &mut out),
        Err(FramingError::OriginalContent(_))
    ));
    // Protocol of the wrong mechanism.
    let mut krb = NullSecurity::new(Mechanism::Kerberos);
    let b = body(
        "\t",
        "\r\n",
        "Encrypted Boundary",
        3,
        "UTF-8",
        &h,
        b"abc",
        "--B--\r\n",
    );
    assert!(matches!(
        framing::open(&mut krb, CT, &b, &Limits::default(), &mut out),
        Err(FramingError::ProtocolMismatch {
            found: Protocol::Spnego,
            mechanism: Mechanism::Kerberos
        })
    ));
    // Not multipart, no boundary, unknown protocol.
    assert_eq!(
        framing::open(
            &mut sec,
            "application/soap+xml",
            &b,
            &Limits::default(),
            &mut out
        ),
        Err(FramingError::NotMultipartEncrypted)
    );
    assert_eq!(
        ContentType::parse(
            "multipart/encrypted;protocol=\"application/HTTP-SPNEGO-session-encrypted\""
        ),
        Err(FramingError::MissingParameter("boundary"))
    );
    assert_eq!(
        ContentType::parse("multipart/encrypted;protocol=x;boundary=y"),
        Err(FramingError::UnknownProtocol)
    );
    assert_eq!(
        ContentType::parse(&format!(
            "multipart/encrypted;protocol={KERBEROS_PROTOCOL};boundary=b"
        ))
        .unwrap()
        .protocol,
        Protocol::Kerberos
    );
    assert_eq!(Protocol::Spnego.as_str(), SPNEGO_PROTOCOL);
    // Limits.
    let small = Limits {
        max_body_bytes: 10,
        ..Limits::default()
    };
    assert_eq!(
        framing::open(&mut sec, CT, &b, &small, &mut out),
        Err(FramingError::Limit {
            what: "body",
            limit: 10
        })
    );
    let small = Limits {
        max_header_bytes: 8,
        ..Limits::default()
    };
    assert_eq!(
        framing::open(&mut sec, CT, &b, &small, &mut out),
        Err(FramingError::Limit {
            what: "wrap header",
            limit: 8
        })
    );
}

/// A real Windows SLDC body (OpenWEC heartbeat capture): sealed with Length = compressed
/// length, opened with `Content-Encoding: SLDC` → Decompressed; an uncompressed body labelled
/// SLDC → PassedThrough with a reason; a corrupt one → typed error.
#[test]
fn sldc_outcomes_are_explicit() {
    let compressed = read_shared("corpus/sldc/openwec-heartbeat-kerberos/compressed.sldc.bin");
    let plain = read_shared("corpus/sldc/openwec-heartbeat-kerberos/plaintext.utf16le.bin");
    let mut sec = NullSecurity::default();
    let mut b = Vec::new();
    let ct = framing::seal(&mut sec, &compressed, &SealOptions::default(), &mut b).unwrap();
    assert!(String::from_utf8_lossy(&b).contains(&format!("Length={}", compressed.len())));
    let mut out = Vec::new();
    let (opened, payload) = framing::open_wef(
        &mut sec,
        &ct,
        Some("SLDC"),
        &b,
        &Limits::default(),
        &mut out,
    )
    .unwrap();
    assert_eq!(
        payload,
        Payload::Decompressed {
            compressed_len: 1006
        }
    );
    assert_eq!((opened.length, out.as_slice()), (1006, plain.as_slice()));
    // Too small a decompression limit.
    let lim = Limits {
        max_decompressed_bytes: 1000,
        ..Limits::default()
    };
    assert!(matches!(
        framing::open_wef(&mut sec, &ct, Some("sldc"), &b, &lim, &mut out),
        Err(FramingError::Limit { .. })
    ));
    // Windows labels an uncompressed End as SLDC.
    let mut b = Vec::new();
    let ct = framing::seal(&mut sec, &plain, &SealOptions::default(), &mut b).unwrap();
    let (_, payload) = framing::open_wef(
        &mut sec,
        &ct,
        Some("SLDC"),
        &b,
        &Limits::default(),
        &mut out,
    )
    .unwrap();
    assert!(matches!(payload, Payload::PassedThrough { .. }));
    assert_eq!(out, plain);
    // Without the header: plain.
    let (_, payload) =
        framing::open_wef(&mut sec, &ct, None, &b, &Limits::default(), &mut out).unwrap();
    assert_eq!(payload, Payload::Plain);
    // Another encoding.
    assert_eq!(
        framing::open_wef(
            &mut sec,
            &ct,
            Some("gzip"),
            &b,
            &Limits::default(),
            &mut out
        ),
        Err(FramingError::UnsupportedEncoding)
    );
    // Our own compressed seal path round trips.
    let mut b = Vec::new();
    let ct = framing::seal_wef_sldc(&mut sec, &plain, &SealOptions::default(), &mut b).unwrap();
    let (_, payload) = framing::open_wef(
        &mut sec,
        &ct,
        Some("SLDC"),
        &b,
        &Limits::default(),
        &mut out,
    )
    .unwrap();
    assert!(matches!(payload, Payload::Decompressed { .. }));
    assert_eq!(out, plain);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn open_seal_roundtrip_null(
        plain in prop_oneof![proptest::collection::vec(any::<u8>(), 0..2048), Just(b"--Encrypted Boundary--\r\n".repeat(3))],
        tab in any::<bool>(), utf16 in any::<bool>(), pad in 0usize..2, boundary in "[A-Za-z0-9 ]{1,20}",
        kerberos in any::<bool>(),
    ) {
        let boundary = boundary.trim().to_owned();
        prop_assume!(!boundary.is_empty());
        let mech = if kerberos { Mechanism::Kerberos } else { Mechanism::Spnego };
        let mut tx = NullSecurity::new(mech);
        tx.padding = pad;
        let mut rx = NullSecurity::new(mech);
        rx.padding = pad;
        let opts = SealOptions { tab, charset: if utf16 { Charset::Utf16 } else { Charset::Utf8 }, boundary: &boundary, length_includes_padding: pad == 1, ..SealOptions::default() };
        let mut body = Vec::new();
        let ct = framing::seal(&mut tx, &plain, &opts, &mut body).unwrap();
        let mut out = Vec::new();
        let o = framing::open(&mut rx, &ct, &body, &Limits::default(), &mut out).unwrap();
        prop_assert_eq!(out, plain);
        prop_assert_eq!(o.charset, opts.charset);
    }

    #[test]
    fn open_seal_roundtrip_ntlm(msgs in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..1500), 1..6), key in any::<[u8; 16]>()) {
        let flags = NegotiateFlags(DEFAULT_FLAGS);
        let mut tx = NtlmSecurity::new(Role::Initiator, flags, &key);
        let mut rx = NtlmSecurity::new(Role::Acceptor, flags, &key);
        for m in msgs {
            let mut body = Vec::new();
            let ct = framing::seal(&mut tx, &m, &SealOptions::default(), &mut body).unwrap();
            let mut out = Vec::new();
            framing::open(&mut rx, &ct, &body, &Limits::default(), &mut out).unwrap();
            prop_assert_eq!(out, m);
        }
    }

    #[test]
    fn oracles_never_panic(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        testkit::oracles::auth::ntlm_messages(&data);
        testkit::oracles::auth::spnego_token(&data);
        testkit::oracles::auth::framing_open(&data);
    }
}

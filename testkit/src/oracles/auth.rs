//! Oracles for `wsman_proto::auth` and `wsman_proto::framing`: each panics when a property
//! fails (never on a mere decode error). Shared by the fuzz targets
//! (`fuzz/fuzz_targets/{ntlm_*,spnego_*,framing_*}.rs`) and the tests.

use wsman_proto::auth::negotiate::{self, TokenLimits};
use wsman_proto::auth::ntlm::{
    AcceptorConfig, AcceptorNonces, AcceptorPolicy, Authenticate, AvPairs, Challenge, Negotiate,
    NtHashStore, NtlmAcceptor,
};
use wsman_proto::auth::{Mechanism, spnego};
use wsman_proto::framing::{self, Limits, Payload, SealOptions};

use crate::null_security::NullSecurity;

/// NTLM message decoders on arbitrary bytes; decoded messages re-encode to something that
/// decodes to the same fields; the acceptor processes arbitrary NEGOTIATE / AUTHENTICATE bytes
/// without panicking.
///
/// # Panics
/// When a re-encoded message does not decode to the same value.
#[expect(clippy::panic, reason = "oracle: a broken property must fail loudly")]
pub fn ntlm_messages(data: &[u8]) {
    if let Ok(n) = Negotiate::decode(data) {
        let again = n.encode();
        let d = Negotiate::decode(&again)
            .unwrap_or_else(|e| panic!("re-encoded negotiate does not decode: {e}"));
        assert_eq!((d.domain, d.workstation), (n.domain, n.workstation));
    }
    if let Ok(c) = Challenge::decode(data) {
        let again = c.encode();
        let d = Challenge::decode(&again)
            .unwrap_or_else(|e| panic!("re-encoded challenge does not decode: {e}"));
        assert_eq!(
            (d.server_challenge, d.target_info, d.target_name),
            (c.server_challenge, c.target_info, c.target_name)
        );
        for p in AvPairs::new(c.target_info) {
            let _ = p;
        }
    }
    if let Ok(a) = Authenticate::decode(data) {
        let again = a.encode();
        let d = Authenticate::decode(&again)
            .unwrap_or_else(|e| panic!("re-encoded authenticate does not decode: {e}"));
        assert_eq!(
            (d.nt_response, d.lm_response, d.user, d.domain),
            (a.nt_response, a.lm_response, a.user, a.domain)
        );
    }
    // The acceptor, in every policy, on arbitrary NEGOTIATE and AUTHENTICATE bytes.
    let policy = AcceptorPolicy {
        allow_ntlmv1: true,
        allow_anonymous: true,
        require_mic: data.len() % 2 == 0,
        ..AcceptorPolicy::default()
    };
    let config = AcceptorConfig {
        policy,
        nb_domain: "WEF".into(),
        ..AcceptorConfig::default()
    };
    let nonces = AcceptorNonces {
        server_challenge: [1; 8],
        now_filetime: 2,
    };
    let mut acc = NtlmAcceptor::new(config.clone());
    let _ = acc.challenge(data, &nonces);
    let mut store = NtHashStore::new();
    store.insert_password("", "user", "pw");
    let neg = Negotiate {
        flags: wsman_proto::auth::ntlm::NegotiateFlags(wsman_proto::auth::ntlm::DEFAULT_FLAGS),
        domain: &[],
        workstation: &[],
        version: None,
    }
    .encode();
    let mut acc = NtlmAcceptor::new(config);
    if acc.challenge(&neg, &nonces).is_ok() {
        let _ = acc.authenticate(data, &mut store);
    }
}

/// SPNEGO decoding, token classification and header parsing on arbitrary bytes; decoded
/// `NegTokenResp`s re-encode to an equal value.
///
/// # Panics
/// When a round trip differs.
#[expect(clippy::panic, reason = "oracle: a broken property must fail loudly")]
pub fn spnego_token(data: &[u8]) {
    let _ = negotiate::classify(data);
    match spnego::decode(data) {
        Ok(spnego::NegotiationToken::Resp(r)) => {
            let enc = spnego::encode_resp(&r);
            let back = spnego::decode(&enc)
                .unwrap_or_else(|e| panic!("re-encoded negTokenResp does not decode: {e}"));
            assert_eq!(back, spnego::NegotiationToken::Resp(r));
        }
        Ok(spnego::NegotiationToken::Init(i)) => {
            assert!(i.mech_types.len() <= spnego::MAX_MECHS);
            let enc = spnego::encode_init(i.mech_types_der, i.mech_token);
            if let Ok(spnego::NegotiationToken::Init(back)) = spnego::decode(&enc) {
                assert_eq!(back.mech_types, i.mech_types);
                assert_eq!(back.mech_token, i.mech_token);
            } else {
                panic!("re-encoded negTokenInit does not decode");
            }
        }
        Err(_) => {}
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = negotiate::parse_header(
            s,
            &TokenLimits {
                max_token_bytes: 4096,
            },
        );
    }
}

const CONTENT_TYPES: [&str; 4] = [
    "multipart/encrypted;protocol=\"application/HTTP-SPNEGO-session-encrypted\";boundary=\"Encrypted Boundary\"",
    "multipart/encrypted; protocol=application/HTTP-SPNEGO-session-encrypted; boundary=Encrypted Boundary",
    "multipart/encrypted;protocol=\"application/HTTP-Kerberos-session-encrypted\";boundary=\"Encrypted Boundary\"",
    "multipart/encrypted;boundary=\"b\";protocol=\"application/HTTP-SPNEGO-session-encrypted\"",
];

/// `framing::open` / `open_wef` behind [`NullSecurity`] on arbitrary bodies (the first byte
/// picks the content type, mechanism and SLDC flag); whatever opens re-seals and re-opens to
/// the same plaintext, and nothing exceeds the limits.
///
/// # Panics
/// When a re-sealed body does not open to the same plaintext or a limit is not enforced.
#[expect(clippy::panic, reason = "oracle: a broken property must fail loudly")]
pub fn framing_open(data: &[u8]) {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let ct = CONTENT_TYPES
        .get(usize::from(sel & 3))
        .copied()
        .unwrap_or(CONTENT_TYPES[0]);
    let mechanism = if sel & 4 != 0 {
        Mechanism::Kerberos
    } else {
        Mechanism::Spnego
    };
    let sldc = sel & 8 != 0;
    let limits = Limits {
        max_body_bytes: 1 << 16,
        max_decompressed_bytes: 1 << 16,
        max_header_bytes: 64,
        max_part_headers_bytes: 512,
    };
    let mut sec = NullSecurity::new(mechanism);
    let mut out = Vec::new();
    if let Ok((opened, payload)) = framing::open_wef(
        &mut sec,
        ct,
        sldc.then_some("SLDC"),
        body,
        &limits,
        &mut out,
    ) {
        assert!(
            out.len() <= limits.max_decompressed_bytes.max(body.len()),
            "output above the limits"
        );
        if payload == Payload::Plain {
            assert_eq!(opened.length, out.len());
            // Re-seal with the same charset and open again.
            let opts = SealOptions {
                charset: opened.charset,
                tab: sel & 16 != 0,
                ..SealOptions::default()
            };
            let mut sealed = Vec::new();
            let ct2 = framing::seal(&mut sec, &out, &opts, &mut sealed)
                .unwrap_or_else(|e| panic!("seal failed: {e}"));
            let mut again = Vec::new();
            let o2 = framing::open(&mut sec, &ct2, &sealed, &Limits::default(), &mut again)
                .unwrap_or_else(|e| panic!("re-open failed: {e}"));
            assert_eq!(again, out);
            assert_eq!(o2.charset, opened.charset);
        }
    }
}

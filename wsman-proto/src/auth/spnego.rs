//! SPNEGO tokens (RFC 4178, MS-SPNG): a small strict DER reader and writer for
//! `NegTokenInit` / `NegTokenInit2` / `NegTokenResp` and the GSS-API initial-context-token
//! header (RFC 2743 3.1).
//!
//! The reader handles definite lengths of up to 4 length octets and single-octet tags only,
//! checks every length against its enclosing element, bounds the number of mechanisms, and
//! never panics. Unknown context-specific fields are skipped (MS-SPNG's `negHints`).

use crate::auth::AuthError;

/// DER of OID 1.3.6.1.5.5.2 (SPNEGO), content octets.
pub const OID_SPNEGO: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x02];
/// 1.3.6.1.4.1.311.2.2.10 (NTLMSSP).
pub const OID_NTLM: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a];
/// 1.2.840.113554.1.2.2 (Kerberos 5).
pub const OID_KRB5: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02];
/// 1.2.840.48018.1.2.2 (Microsoft's legacy Kerberos 5 OID).
pub const OID_MS_KRB5: &[u8] = &[0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02];
/// 1.3.6.1.4.1.311.2.2.30 (NegoEx).
pub const OID_NEGOEX: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x1e];

/// Most mechanisms accepted in a `mechTypes` list.
pub const MAX_MECHS: usize = 16;

/// Whether an OID (content octets) is one of the Kerberos OIDs.
#[must_use]
pub fn is_kerberos_oid(oid: &[u8]) -> bool {
    oid == OID_KRB5 || oid == OID_MS_KRB5
}

/// One DER element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Tlv<'a> {
    tag: u8,
    content: &'a [u8],
    /// The whole element (tag, length, content).
    whole: &'a [u8],
}

/// A DER reader over `buf`; `base` is `buf`'s offset in the token, for error offsets.
struct Der<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Der<'a> {
    const fn new(buf: &'a [u8], base: usize) -> Self {
        Self { buf, pos: 0, base }
    }

    fn at(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    fn read(&mut self) -> Result<Tlv<'a>, AuthError> {
        let start = self.pos;
        let off = self.at();
        let rest = self.buf.get(start..).unwrap_or(&[]);
        let (&tag, rest) = rest
            .split_first()
            .ok_or(AuthError::truncated("der tag", off, 1))?;
        if tag & 0x1f == 0x1f {
            return Err(AuthError::malformed("der multi-byte tag", off));
        }
        let (&l0, mut rest) = rest.split_first().ok_or(AuthError::truncated(
            "der length",
            off.saturating_add(1),
            1,
        ))?;
        let mut hdr = 2usize;
        let len = if l0 < 0x80 {
            usize::from(l0)
        } else {
            let n = usize::from(l0 & 0x7f);
            if n == 0 {
                return Err(AuthError::malformed(
                    "der indefinite length",
                    off.saturating_add(1),
                ));
            }
            if n > 4 {
                return Err(AuthError::malformed(
                    "der length too long",
                    off.saturating_add(1),
                ));
            }
            let (bytes, r) = rest.split_at_checked(n).ok_or(AuthError::truncated(
                "der length",
                off.saturating_add(2),
                n,
            ))?;
            rest = r;
            hdr = hdr.saturating_add(n);
            bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
        };
        let content = rest.get(..len).ok_or(AuthError::truncated(
            "der content",
            off.saturating_add(hdr),
            len,
        ))?;
        let end = start.saturating_add(hdr).saturating_add(len);
        let whole = self.buf.get(start..end).unwrap_or(&[]);
        self.pos = end;
        Ok(Tlv {
            tag,
            content,
            whole,
        })
    }

    fn expect(&mut self, tag: u8, what: &'static str) -> Result<Tlv<'a>, AuthError> {
        let off = self.at();
        let t = self.read()?;
        if t.tag == tag {
            Ok(t)
        } else {
            Err(AuthError::malformed(what, off))
        }
    }

    /// A reader over the content of `t`, which was read from this reader.
    fn inner(&self, t: &Tlv<'a>) -> Self {
        let hdr = t.whole.len().saturating_sub(t.content.len());
        let off = self
            .base
            .saturating_add(self.pos.saturating_sub(t.whole.len()))
            .saturating_add(hdr);
        Der::new(t.content, off)
    }
}

/// Appends a DER element.
fn put(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    out.push(tag);
    let len = content.len();
    let be = len.to_be_bytes();
    if len < 0x80 {
        out.push(be.last().copied().unwrap_or(0));
    } else {
        let skip = be.iter().take_while(|&&b| b == 0).count();
        let bytes = be.get(skip..).unwrap_or(&[]);
        out.push(0x80 | u8::try_from(bytes.len()).unwrap_or(0));
        out.extend_from_slice(bytes);
    }
    out.extend_from_slice(content);
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(content.len().saturating_add(6));
    put(&mut v, tag, content);
    v
}

/// `negState` (RFC 4178 4.2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NegState {
    /// accept-completed (0).
    AcceptCompleted,
    /// accept-incomplete (1).
    AcceptIncomplete,
    /// reject (2).
    Reject,
    /// request-mic (3).
    RequestMic,
}

impl NegState {
    const fn code(self) -> u8 {
        match self {
            Self::AcceptCompleted => 0,
            Self::AcceptIncomplete => 1,
            Self::Reject => 2,
            Self::RequestMic => 3,
        }
    }
}

/// `NegTokenInit` / `NegTokenInit2` (the fields this crate uses).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NegTokenInit<'a> {
    /// The mechanism OIDs (content octets), in the initiator's order of preference.
    pub mech_types: Vec<&'a [u8]>,
    /// The DER encoding of the `mechTypes` SEQUENCE exactly as received: what mechListMIC
    /// protects.
    pub mech_types_der: &'a [u8],
    /// The optimistic token of the first mechanism.
    pub mech_token: Option<&'a [u8]>,
    /// mechListMIC, when sent here.
    pub mech_list_mic: Option<&'a [u8]>,
}

/// `NegTokenResp`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NegTokenResp<'a> {
    /// negState.
    pub neg_state: Option<NegState>,
    /// supportedMech (content octets).
    pub supported_mech: Option<&'a [u8]>,
    /// responseToken.
    pub response_token: Option<&'a [u8]>,
    /// mechListMIC.
    pub mech_list_mic: Option<&'a [u8]>,
}

/// A SPNEGO token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NegotiationToken<'a> {
    /// The initiator's first token.
    Init(NegTokenInit<'a>),
    /// Any later token.
    Resp(NegTokenResp<'a>),
}

fn octets<'a>(d: &Der<'a>, field: &Tlv<'a>, what: &'static str) -> Result<&'a [u8], AuthError> {
    let mut r = d.inner(field);
    Ok(r.expect(0x04, what)?.content)
}

/// DER (X.690 10.1, and the SEQUENCE definitions of RFC 4178 4.2): the context-tagged fields
/// of a SEQUENCE appear in increasing tag order, each at most once. A repeated or reordered
/// field is refused rather than letting the last occurrence win.
fn check_field_order(last: &mut Option<u8>, tag: u8, at: usize) -> Result<(), AuthError> {
    if last.is_some_and(|prev| tag <= prev) {
        return Err(AuthError::malformed(
            "spnego sequence fields repeated or out of order",
            at,
        ));
    }
    *last = Some(tag);
    Ok(())
}

fn decode_init<'a>(outer: &Der<'a>, t: &Tlv<'a>) -> Result<NegTokenInit<'a>, AuthError> {
    let mut d = outer.inner(t);
    let seq = d.expect(0x30, "spnego negTokenInit sequence")?;
    let mut s = d.inner(&seq);
    let mut init = NegTokenInit {
        mech_types: Vec::new(),
        mech_types_der: &[],
        mech_token: None,
        mech_list_mic: None,
    };
    let mut seen_types = false;
    let mut last_tag = None;
    while !s.is_empty() {
        let at = s.at();
        let f = s.read()?;
        check_field_order(&mut last_tag, f.tag, at)?;
        match f.tag {
            0xa0 => {
                let mut r = s.inner(&f);
                let list = r.expect(0x30, "spnego mechTypes")?;
                init.mech_types_der = list.whole;
                let mut l = r.inner(&list);
                while !l.is_empty() {
                    let at = l.at();
                    let oid = l.expect(0x06, "spnego mech oid")?;
                    if oid.content.is_empty() {
                        return Err(AuthError::malformed("spnego mech oid is empty", at));
                    }
                    if init.mech_types.len() >= MAX_MECHS {
                        return Err(AuthError::Limit {
                            what: "spnego mechTypes",
                            limit: MAX_MECHS,
                        });
                    }
                    init.mech_types.push(oid.content);
                }
                seen_types = true;
            }
            0xa2 => init.mech_token = Some(octets(&s, &f, "spnego mechToken")?),
            // [3] is mechListMIC in RFC 4178 but negHints (a SEQUENCE) in NegTokenInit2.
            0xa3 => {
                let mut r = s.inner(&f);
                let v = r.read()?;
                if v.tag == 0x04 {
                    init.mech_list_mic = Some(v.content);
                }
            }
            0xa4 => init.mech_list_mic = Some(octets(&s, &f, "spnego mechListMIC")?),
            _ => {}
        }
    }
    if !seen_types {
        return Err(AuthError::malformed(
            "spnego negTokenInit without mechTypes",
            t.whole.len(),
        ));
    }
    Ok(init)
}

fn decode_resp<'a>(outer: &Der<'a>, t: &Tlv<'a>) -> Result<NegTokenResp<'a>, AuthError> {
    let mut d = outer.inner(t);
    let seq = d.expect(0x30, "spnego negTokenResp sequence")?;
    let mut s = d.inner(&seq);
    let mut resp = NegTokenResp::default();
    let mut last_tag = None;
    while !s.is_empty() {
        let at = s.at();
        let f = s.read()?;
        check_field_order(&mut last_tag, f.tag, at)?;
        match f.tag {
            0xa0 => {
                let mut r = s.inner(&f);
                let e = r.expect(0x0a, "spnego negState")?;
                resp.neg_state = Some(match e.content {
                    [0] => NegState::AcceptCompleted,
                    [1] => NegState::AcceptIncomplete,
                    [2] => NegState::Reject,
                    [3] => NegState::RequestMic,
                    _ => return Err(AuthError::malformed("spnego negState value", at)),
                });
            }
            0xa1 => {
                let mut r = s.inner(&f);
                resp.supported_mech = Some(r.expect(0x06, "spnego supportedMech")?.content);
            }
            0xa2 => resp.response_token = Some(octets(&s, &f, "spnego responseToken")?),
            0xa3 => resp.mech_list_mic = Some(octets(&s, &f, "spnego mechListMIC")?),
            _ => {}
        }
    }
    Ok(resp)
}

/// Decodes a SPNEGO token: `NegTokenInit` inside the GSS-API `[APPLICATION 0]` header with the
/// SPNEGO OID, or a bare `NegTokenInit` / `NegTokenResp`.
///
/// # Errors
/// [`AuthError::Truncated`], [`AuthError::Malformed`], [`AuthError::Limit`].
pub fn decode(token: &[u8]) -> Result<NegotiationToken<'_>, AuthError> {
    let mut d = Der::new(token, 0);
    let t = d.read()?;
    if !d.is_empty() {
        return Err(AuthError::malformed("spnego trailing bytes", d.at()));
    }
    match t.tag {
        0x60 => {
            let mut g = d.inner(&t);
            let oid = g.expect(0x06, "gss mech oid")?;
            if oid.content != OID_SPNEGO {
                return Err(AuthError::malformed("gss token is not spnego", 2));
            }
            let inner = g.expect(0xa0, "spnego negTokenInit")?;
            Ok(NegotiationToken::Init(decode_init(&g, &inner)?))
        }
        0xa0 => Ok(NegotiationToken::Init(decode_init(&d, &t)?)),
        0xa1 => Ok(NegotiationToken::Resp(decode_resp(&d, &t)?)),
        _ => Err(AuthError::malformed("spnego token tag", 0)),
    }
}

/// The DER of a `mechTypes` list of the given OIDs (what mechListMIC covers).
#[must_use]
pub fn encode_mech_types(oids: &[&[u8]]) -> Vec<u8> {
    let mut inner = Vec::new();
    for o in oids {
        put(&mut inner, 0x06, o);
    }
    tlv(0x30, &inner)
}

/// Encodes the initiator's first token: GSS header, SPNEGO OID, `NegTokenInit { mechTypes,
/// mechToken }`.
#[must_use]
pub fn encode_init(mech_types_der: &[u8], mech_token: Option<&[u8]>) -> Vec<u8> {
    let mut seq = tlv(0xa0, mech_types_der);
    if let Some(t) = mech_token {
        seq.extend_from_slice(&tlv(0xa2, &tlv(0x04, t)));
    }
    let mut inner = tlv(0x06, OID_SPNEGO);
    inner.extend_from_slice(&tlv(0xa0, &tlv(0x30, &seq)));
    tlv(0x60, &inner)
}

/// Encodes a `NegTokenResp`.
#[must_use]
pub fn encode_resp(resp: &NegTokenResp<'_>) -> Vec<u8> {
    let mut seq = Vec::new();
    if let Some(s) = resp.neg_state {
        seq.extend_from_slice(&tlv(0xa0, &tlv(0x0a, &[s.code()])));
    }
    if let Some(m) = resp.supported_mech {
        seq.extend_from_slice(&tlv(0xa1, &tlv(0x06, m)));
    }
    if let Some(t) = resp.response_token {
        seq.extend_from_slice(&tlv(0xa2, &tlv(0x04, t)));
    }
    if let Some(m) = resp.mech_list_mic {
        seq.extend_from_slice(&tlv(0xa3, &tlv(0x04, m)));
    }
    tlv(0xa1, &tlv(0x30, &seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_bounds() {
        let types = encode_mech_types(&[OID_NTLM]);
        let init = encode_init(&types, Some(b"NTLMSSP\0abc"));
        let NegotiationToken::Init(i) = decode(&init).unwrap() else {
            panic!()
        };
        assert_eq!(i.mech_types, vec![OID_NTLM]);
        assert_eq!(i.mech_types_der, &types[..]);
        assert_eq!(i.mech_token, Some(&b"NTLMSSP\0abc"[..]));
        let big = vec![7u8; 300];
        let r = NegTokenResp {
            neg_state: Some(NegState::AcceptIncomplete),
            supported_mech: Some(OID_NTLM),
            response_token: Some(&big),
            mech_list_mic: None,
        };
        let enc = encode_resp(&r);
        assert_eq!(decode(&enc).unwrap(), NegotiationToken::Resp(r));
        for n in 0..enc.len() {
            assert!(decode(&enc[..n]).is_err());
        }
        for n in 0..init.len() {
            assert!(decode(&init[..n]).is_err());
        }
        assert!(matches!(
            decode(&[0xa1, 0x84, 0xff, 0xff, 0xff, 0xff]),
            Err(AuthError::Truncated { .. })
        ));
        assert!(matches!(
            decode(&[0xa1, 0x80, 0, 0]),
            Err(AuthError::Malformed { .. })
        ));
    }

    /// Found by the `spnego_token` fuzz target: a NegTokenInit carrying mechTypes twice (and
    /// empty OIDs) decoded with the OIDs of both lists but the DER of the last one.
    #[test]
    fn repeated_or_reordered_fields_are_refused() {
        let twice = [
            0xa0, 0x10, 0x30, 0x0c, 0xa0, 0x04, 0x30, 0x02, 0x06, 0x00, 0xa0, 0x04, 0x30, 0x02,
            0x06, 0x00, 0x0d, 0x01,
        ];
        assert!(matches!(decode(&twice), Err(AuthError::Malformed { .. })));
        let empty_oid = [0xa0, 0x08, 0x30, 0x06, 0xa0, 0x04, 0x30, 0x02, 0x06, 0x00];
        assert!(matches!(
            decode(&empty_oid),
            Err(AuthError::Malformed { .. })
        ));
        // negTokenResp with responseToken [2] before negState [0].
        let reordered = [
            0xa1, 0x0b, 0x30, 0x09, 0xa2, 0x02, 0x04, 0x00, 0xa0, 0x03, 0x0a, 0x01, 0x00,
        ];
        assert!(matches!(
            decode(&reordered),
            Err(AuthError::Malformed { .. })
        ));
        let in_order = [
            0xa1, 0x0b, 0x30, 0x09, 0xa0, 0x03, 0x0a, 0x01, 0x00, 0xa2, 0x02, 0x04, 0x00,
        ];
        assert!(decode(&in_order).is_ok());
    }
}

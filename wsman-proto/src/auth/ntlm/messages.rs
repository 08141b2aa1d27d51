//! NTLMSSP messages (MS-NLMP 2.2.1): NEGOTIATE, CHALLENGE, AUTHENTICATE, AV pairs and Version.
//!
//! Decoders borrow from the input, check every (length, offset) field against the message
//! bounds and never panic; encoders produce the layout Windows uses (payload after the fixed
//! header, Version present when `NTLMSSP_NEGOTIATE_VERSION` is set).

use std::fmt;

use crate::auth::AuthError;

/// `"NTLMSSP\0"`, the first 8 bytes of every message.
pub const SIGNATURE: [u8; 8] = *b"NTLMSSP\0";

/// NegotiateFlags (MS-NLMP 2.2.2.5), a newtype over the raw value.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct NegotiateFlags(pub u32);

#[expect(missing_docs, reason = "the names are MS-NLMP's NTLMSSP_* flag names")]
impl NegotiateFlags {
    pub const UNICODE: u32 = 0x0000_0001;
    pub const OEM: u32 = 0x0000_0002;
    pub const REQUEST_TARGET: u32 = 0x0000_0004;
    pub const SIGN: u32 = 0x0000_0010;
    pub const SEAL: u32 = 0x0000_0020;
    pub const DATAGRAM: u32 = 0x0000_0040;
    pub const LM_KEY: u32 = 0x0000_0080;
    pub const NTLM: u32 = 0x0000_0200;
    pub const ANONYMOUS: u32 = 0x0000_0800;
    pub const OEM_DOMAIN_SUPPLIED: u32 = 0x0000_1000;
    pub const OEM_WORKSTATION_SUPPLIED: u32 = 0x0000_2000;
    pub const ALWAYS_SIGN: u32 = 0x0000_8000;
    pub const TARGET_TYPE_DOMAIN: u32 = 0x0001_0000;
    pub const TARGET_TYPE_SERVER: u32 = 0x0002_0000;
    pub const EXTENDED_SESSIONSECURITY: u32 = 0x0008_0000;
    pub const IDENTIFY: u32 = 0x0010_0000;
    pub const REQUEST_NON_NT_SESSION_KEY: u32 = 0x0040_0000;
    pub const TARGET_INFO: u32 = 0x0080_0000;
    pub const VERSION: u32 = 0x0200_0000;
    pub const NEGOTIATE_128: u32 = 0x2000_0000;
    pub const KEY_EXCH: u32 = 0x4000_0000;
    pub const NEGOTIATE_56: u32 = 0x8000_0000;

    /// Whether every bit of `mask` is set.
    #[must_use]
    pub const fn has(self, mask: u32) -> bool {
        self.0 & mask == mask
    }
}

impl fmt::Debug for NegotiateFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NegotiateFlags({:#010x})", self.0)
    }
}

/// The VERSION structure (MS-NLMP 2.2.2.10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version {
    /// ProductMajorVersion.
    pub major: u8,
    /// ProductMinorVersion.
    pub minor: u8,
    /// ProductBuild.
    pub build: u16,
    /// NTLMRevisionCurrent (15).
    pub revision: u8,
}

impl Version {
    /// Windows 10 / Server 2016+ (10.0.17763), revision 15: what this crate sends.
    pub const WINDOWS_10: Self = Self {
        major: 10,
        minor: 0,
        build: 17763,
        revision: 15,
    };

    fn encode(self) -> [u8; 8] {
        let b = self.build.to_le_bytes();
        [self.major, self.minor, b[0], b[1], 0, 0, 0, self.revision]
    }

    fn decode(b: &[u8; 8]) -> Self {
        Self {
            major: b[0],
            minor: b[1],
            build: u16::from_le_bytes([b[2], b[3]]),
            revision: b[7],
        }
    }
}

/// AV pair identifiers (MS-NLMP 2.2.2.1).
#[expect(missing_docs, reason = "the names are MS-NLMP's MsvAv* names")]
pub mod av {
    pub const EOL: u16 = 0;
    pub const NB_COMPUTER_NAME: u16 = 1;
    pub const NB_DOMAIN_NAME: u16 = 2;
    pub const DNS_COMPUTER_NAME: u16 = 3;
    pub const DNS_DOMAIN_NAME: u16 = 4;
    pub const DNS_TREE_NAME: u16 = 5;
    pub const FLAGS: u16 = 6;
    pub const TIMESTAMP: u16 = 7;
    pub const SINGLE_HOST: u16 = 8;
    pub const TARGET_NAME: u16 = 9;
    pub const CHANNEL_BINDINGS: u16 = 10;
    /// MsvAvFlags bit: the AUTHENTICATE message carries a MIC.
    pub const FLAG_MIC_PRESENT: u32 = 0x2;
}

/// Iterates over an AV_PAIR list; stops after `MsvAvEOL`.
#[derive(Clone, Debug)]
pub struct AvPairs<'a> {
    buf: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> AvPairs<'a> {
    /// Pairs of `buf` (a TargetInfo field or the tail of an NTLMv2 client blob).
    #[must_use]
    pub const fn new(buf: &'a [u8]) -> Self {
        Self {
            buf,
            pos: 0,
            done: false,
        }
    }

    /// The value of the first pair with `id`, if the list is well formed up to it.
    #[must_use]
    pub fn find(buf: &'a [u8], id: u16) -> Option<&'a [u8]> {
        Self::new(buf)
            .filter_map(Result::ok)
            .find(|(i, _)| *i == id)
            .map(|(_, v)| v)
    }

    /// Checks the whole list: well formed and terminated by `MsvAvEOL`.
    ///
    /// # Errors
    /// [`AuthError::Truncated`] or [`AuthError::Malformed`].
    pub fn validate(buf: &'a [u8]) -> Result<(), AuthError> {
        let mut it = Self::new(buf);
        for p in it.by_ref() {
            p?;
        }
        if it.done {
            Ok(())
        } else {
            Err(AuthError::malformed(
                "av pair list without MsvAvEOL",
                it.pos,
            ))
        }
    }
}

impl<'a> Iterator for AvPairs<'a> {
    type Item = Result<(u16, &'a [u8]), AuthError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.pos >= self.buf.len() {
            return None;
        }
        let at = self.pos;
        let res = (|| {
            let id = u16_at(self.buf, at, "av pair")?;
            let len = usize::from(u16_at(self.buf, at.saturating_add(2), "av pair")?);
            let start = at.saturating_add(4);
            let v = self
                .buf
                .get(start..start.saturating_add(len))
                .ok_or(AuthError::truncated("av pair value", start, len))?;
            Ok((id, v, start.saturating_add(len)))
        })();
        match res {
            Ok((id, v, next)) => {
                self.pos = next;
                if id == av::EOL {
                    self.done = true;
                    None
                } else {
                    Some(Ok((id, v)))
                }
            }
            Err(e) => {
                self.done = true;
                self.pos = self.buf.len();
                Some(Err(e))
            }
        }
    }
}

/// Appends one AV pair.
pub fn push_av(out: &mut Vec<u8>, id: u16, value: &[u8]) {
    let len = u16::try_from(value.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&id.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(value.get(..usize::from(len)).unwrap_or(value));
}

pub(crate) fn u16_at(b: &[u8], at: usize, what: &'static str) -> Result<u16, AuthError> {
    b.get(at..at.saturating_add(2))
        .and_then(|s| s.try_into().ok())
        .map(u16::from_le_bytes)
        .ok_or(AuthError::truncated(what, at, 2))
}

pub(crate) fn u32_at(b: &[u8], at: usize, what: &'static str) -> Result<u32, AuthError> {
    b.get(at..at.saturating_add(4))
        .and_then(|s| s.try_into().ok())
        .map(u32::from_le_bytes)
        .ok_or(AuthError::truncated(what, at, 4))
}

fn array_at<const N: usize>(b: &[u8], at: usize, what: &'static str) -> Result<[u8; N], AuthError> {
    b.get(at..at.saturating_add(N))
        .and_then(|s| s.try_into().ok())
        .ok_or(AuthError::truncated(what, at, N))
}

/// Reads a (Len, MaxLen, BufferOffset) field descriptor at `at` and returns the payload slice
/// and its offset. An empty field may carry any offset.
fn field<'a>(b: &'a [u8], at: usize, what: &'static str) -> Result<(&'a [u8], usize), AuthError> {
    let len = usize::from(u16_at(b, at, what)?);
    let off = usize::try_from(u32_at(b, at.saturating_add(4), what)?).unwrap_or(usize::MAX);
    if len == 0 {
        return Ok((&[], off));
    }
    let s = b
        .get(off..off.saturating_add(len))
        .ok_or(AuthError::truncated(what, off, len))?;
    Ok((s, off))
}

fn check_header(b: &[u8], ty: u32, what: &'static str) -> Result<(), AuthError> {
    let sig: [u8; 8] = array_at(b, 0, what)?;
    if sig != SIGNATURE {
        return Err(AuthError::malformed("ntlmssp signature", 0));
    }
    if u32_at(b, 8, what)? != ty {
        return Err(AuthError::malformed("ntlmssp message type", 8));
    }
    Ok(())
}

/// Writes field descriptors and payloads: `fields` are placed after `header` in order.
fn assemble(mut header: Vec<u8>, descriptor_at: &[usize], fields: &[&[u8]]) -> Vec<u8> {
    let mut payload_off = header.len();
    for (&at, f) in descriptor_at.iter().zip(fields) {
        let len = u16::try_from(f.len()).unwrap_or(u16::MAX);
        let off = u32::try_from(payload_off).unwrap_or(u32::MAX);
        let mut d = [0u8; 8];
        d[..2].copy_from_slice(&len.to_le_bytes());
        d[2..4].copy_from_slice(&len.to_le_bytes());
        d[4..].copy_from_slice(&off.to_le_bytes());
        if let Some(dst) = header.get_mut(at..at.saturating_add(8)) {
            dst.copy_from_slice(&d);
        }
        payload_off = payload_off.saturating_add(f.len());
    }
    for f in fields {
        header.extend_from_slice(f);
    }
    header
}

/// NEGOTIATE_MESSAGE (MS-NLMP 2.2.1.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Negotiate<'a> {
    /// NegotiateFlags.
    pub flags: NegotiateFlags,
    /// DomainName (OEM), usually empty.
    pub domain: &'a [u8],
    /// Workstation (OEM), usually empty.
    pub workstation: &'a [u8],
    /// Version, when `NEGOTIATE_VERSION` is set and the header holds one.
    pub version: Option<Version>,
}

impl<'a> Negotiate<'a> {
    /// Decodes a NEGOTIATE message (at least the 16-byte header; fields past it optional).
    ///
    /// # Errors
    /// [`AuthError::Truncated`]/[`AuthError::Malformed`].
    pub fn decode(b: &'a [u8]) -> Result<Self, AuthError> {
        check_header(b, 1, "ntlm negotiate")?;
        let flags = NegotiateFlags(u32_at(b, 12, "ntlm negotiate flags")?);
        let (domain, workstation) = if b.len() >= 32 {
            (
                field(b, 16, "ntlm negotiate domain")?.0,
                field(b, 24, "ntlm negotiate workstation")?.0,
            )
        } else {
            (&[][..], &[][..])
        };
        let version = if flags.has(NegotiateFlags::VERSION) && b.len() >= 40 {
            Some(Version::decode(&array_at(b, 32, "ntlm version")?))
        } else {
            None
        };
        Ok(Self {
            flags,
            domain,
            workstation,
            version,
        })
    }

    /// Encodes with Version when `version` is `Some` (and sets the flag accordingly).
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut flags = self.flags.0;
        let mut h = Vec::with_capacity(40);
        h.extend_from_slice(&SIGNATURE);
        h.extend_from_slice(&1u32.to_le_bytes());
        if self.version.is_some() {
            flags |= NegotiateFlags::VERSION;
        }
        h.extend_from_slice(&flags.to_le_bytes());
        h.extend_from_slice(&[0; 16]);
        if let Some(v) = self.version {
            h.extend_from_slice(&v.encode());
        }
        assemble(h, &[16, 24], &[self.domain, self.workstation])
    }
}

/// CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge<'a> {
    /// NegotiateFlags chosen by the server.
    pub flags: NegotiateFlags,
    /// TargetName (UTF-16LE when `UNICODE`).
    pub target_name: &'a [u8],
    /// ServerChallenge (a nonce).
    pub server_challenge: [u8; 8],
    /// TargetInfo: an AV pair list.
    pub target_info: &'a [u8],
    /// Version, when present.
    pub version: Option<Version>,
}

impl<'a> Challenge<'a> {
    /// Decodes a CHALLENGE message.
    ///
    /// # Errors
    /// [`AuthError::Truncated`]/[`AuthError::Malformed`] (including a malformed TargetInfo).
    pub fn decode(b: &'a [u8]) -> Result<Self, AuthError> {
        check_header(b, 2, "ntlm challenge")?;
        let target_name = field(b, 12, "ntlm challenge target name")?.0;
        let flags = NegotiateFlags(u32_at(b, 20, "ntlm challenge flags")?);
        let server_challenge = array_at(b, 24, "ntlm server challenge")?;
        let target_info = if b.len() >= 48 {
            field(b, 40, "ntlm challenge target info")?.0
        } else {
            &[][..]
        };
        if !target_info.is_empty() {
            AvPairs::validate(target_info)?;
        }
        let version = if flags.has(NegotiateFlags::VERSION) && b.len() >= 56 {
            Some(Version::decode(&array_at(b, 48, "ntlm version")?))
        } else {
            None
        };
        Ok(Self {
            flags,
            target_name,
            server_challenge,
            target_info,
            version,
        })
    }

    /// Encodes (Version included when `Some`).
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut h = Vec::with_capacity(56);
        h.extend_from_slice(&SIGNATURE);
        h.extend_from_slice(&2u32.to_le_bytes());
        h.extend_from_slice(&[0; 8]);
        let mut flags = self.flags.0;
        if self.version.is_some() {
            flags |= NegotiateFlags::VERSION;
        }
        h.extend_from_slice(&flags.to_le_bytes());
        h.extend_from_slice(&self.server_challenge);
        h.extend_from_slice(&[0; 16]);
        h.extend_from_slice(&self.version.map_or([0; 8], Version::encode));
        assemble(h, &[12, 40], &[self.target_name, self.target_info])
    }
}

/// AUTHENTICATE_MESSAGE (MS-NLMP 2.2.1.3), borrowed from the bytes as received.
#[derive(Clone, PartialEq, Eq)]
pub struct Authenticate<'a> {
    /// NegotiateFlags.
    pub flags: NegotiateFlags,
    /// LmChallengeResponse.
    pub lm_response: &'a [u8],
    /// NtChallengeResponse.
    pub nt_response: &'a [u8],
    /// DomainName (UTF-16LE when `UNICODE`).
    pub domain: &'a [u8],
    /// UserName.
    pub user: &'a [u8],
    /// Workstation.
    pub workstation: &'a [u8],
    /// EncryptedRandomSessionKey.
    pub encrypted_session_key: &'a [u8],
    /// Version, when the header holds one.
    pub version: Option<Version>,
    /// The MIC and its offset in the message, when the header has room for one (payload starts
    /// at or after offset 88). Whether it *must* be checked is decided by MsvAvFlags.
    pub mic: Option<[u8; 16]>,
}

impl fmt::Debug for Authenticate<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Lengths only: names and responses are personal data / credentials material.
        f.debug_struct("Authenticate")
            .field("flags", &self.flags)
            .field("lm_response_len", &self.lm_response.len())
            .field("nt_response_len", &self.nt_response.len())
            .field("version", &self.version)
            .field("has_mic", &self.mic.is_some())
            .finish_non_exhaustive()
    }
}

/// Offset of the MIC in an AUTHENTICATE message that carries one.
pub const MIC_OFFSET: usize = 72;

impl<'a> Authenticate<'a> {
    /// Decodes an AUTHENTICATE message.
    ///
    /// # Errors
    /// [`AuthError::Truncated`]/[`AuthError::Malformed`].
    pub fn decode(b: &'a [u8]) -> Result<Self, AuthError> {
        check_header(b, 3, "ntlm authenticate")?;
        let (lm_response, o1) = field(b, 12, "ntlm lm response")?;
        let (nt_response, o2) = field(b, 20, "ntlm nt response")?;
        let (domain, o3) = field(b, 28, "ntlm domain name")?;
        let (user, o4) = field(b, 36, "ntlm user name")?;
        let (workstation, o5) = field(b, 44, "ntlm workstation")?;
        let (encrypted_session_key, o6) = if b.len() >= 60 {
            field(b, 52, "ntlm session key")?
        } else {
            (&[][..], 0)
        };
        let flags = NegotiateFlags(u32_at(b, 60, "ntlm authenticate flags")?);
        // The payload starts at the smallest offset of a non-empty field; the header may use
        // everything before it.
        let payload_start = [
            (lm_response, o1),
            (nt_response, o2),
            (domain, o3),
            (user, o4),
            (workstation, o5),
            (encrypted_session_key, o6),
        ]
        .iter()
        .filter(|(f, _)| !f.is_empty())
        .map(|&(_, o)| o)
        .min()
        .unwrap_or(b.len());
        if payload_start < 64 {
            return Err(AuthError::malformed(
                "ntlm authenticate payload overlaps header",
                payload_start,
            ));
        }
        let version = if payload_start >= 72 {
            Some(Version::decode(&array_at(b, 64, "ntlm version")?))
        } else {
            None
        };
        let mic = if payload_start >= 88 {
            Some(array_at(b, MIC_OFFSET, "ntlm mic")?)
        } else {
            None
        };
        Ok(Self {
            flags,
            lm_response,
            nt_response,
            domain,
            user,
            workstation,
            encrypted_session_key,
            version,
            mic,
        })
    }

    /// Encodes with Version, and a MIC field (zeroed, to be filled by the caller at
    /// [`MIC_OFFSET`]) when `self.mic` is `Some`.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut h = Vec::with_capacity(88);
        h.extend_from_slice(&SIGNATURE);
        h.extend_from_slice(&3u32.to_le_bytes());
        h.extend_from_slice(&[0; 48]);
        h.extend_from_slice(&self.flags.0.to_le_bytes());
        h.extend_from_slice(&self.version.unwrap_or(Version::WINDOWS_10).encode());
        if let Some(mic) = self.mic {
            h.extend_from_slice(&mic);
        }
        assemble(
            h,
            &[12, 20, 28, 36, 44, 52],
            &[
                self.lm_response,
                self.nt_response,
                self.domain,
                self.user,
                self.workstation,
                self.encrypted_session_key,
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    #[test]
    fn ms_nlmp_4_2_4_challenge_roundtrip() {
        let raw = hex!(
            "4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef00000000000000002400240044000000060070170000000f53006500720076006500720002000c0044006f006d00610069006e0001000c0053006500720076006500720000000000"
        );
        let c = Challenge::decode(&raw).unwrap();
        assert_eq!(c.flags.0, 3_800_728_115);
        assert_eq!(c.server_challenge, hex!("0123456789abcdef"));
        assert_eq!(
            AvPairs::find(c.target_info, av::NB_DOMAIN_NAME).unwrap(),
            hex!("44006f006d00610069006e00")
        );
        assert_eq!(
            c.version,
            Some(Version {
                major: 6,
                minor: 0,
                build: 6000,
                revision: 15
            })
        );
        assert_eq!(c.encode(), raw);
    }

    #[test]
    fn truncated_and_lying_fields_are_errors() {
        let raw = hex!("4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef");
        assert!(matches!(
            Challenge::decode(&raw),
            Err(AuthError::Truncated { .. })
        ));
        let mut raw = hex!("4e544c4d53535000030000000000000048000000fc00fc0048000000").to_vec();
        raw.resize(72, 0);
        assert!(matches!(
            Authenticate::decode(&raw),
            Err(AuthError::Truncated { .. })
        ));
        assert!(matches!(
            Negotiate::decode(b"NTLMSSP\0\x02\0\0\0\0\0\0\0"),
            Err(AuthError::Malformed { .. })
        ));
        for n in 0..40 {
            let _ = Negotiate::decode(
                &b"NTLMSSP\0\x01\0\0\0\x07\x82\x08\xa2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
                    [..n.min(32)],
            );
        }
    }
}

//! Authentication and per-message session security.
//!
//! Every mechanism (NTLM, SPNEGO around NTLM or Kerberos, Kerberos, a host-provided object such
//! as Windows SSPI) ends up as one object-safe [`SessionSecurity`]: the framing code
//! ([`crate::framing`]) seals and opens `multipart/encrypted` bodies through it and never knows
//! what is underneath.
//!
//! The WinRM layout of a sealed message is *header* (the mechanism's signature or wrap-token
//! header, preceded on the wire by its 4-byte little-endian length) followed by *data* (the
//! encrypted payload). [`SessionSecurity::wrap_winrm`] fills a [`Wrapped`] with both parts and
//! the number of padding bytes the mechanism appended to the data (RC4-HMAC Kerberos adds one,
//! which `OriginalContent`'s `Length` counts the way pypsrp does).
//!
//! Errors are [`AuthError`]: typed, cheap, and free of secrets, user names, host names and
//! payloads in both `Display` and `Debug`.
//!
//! Modules:
//! - [`ntlm`]: MS-NLMP in pure Rust (initiator, acceptor, NT-hash store, pass-through
//!   [`ntlm::NtlmVerifier`] hook, session security).
//! - [`spnego`]: the SPNEGO DER tokens (RFC 4178, MS-SPNG).
//! - [`negotiate`]: the HTTP `Negotiate` / `Kerberos` header exchange on top of both, with a
//!   pluggable Kerberos acceptor ([`negotiate::KerberosAcceptor`]).
//! - `kerberos`: Kerberos (offline RFC 3961/4121/4757 crypto; GSSAPI behind the `kerberos`
//!   feature).
//!
//! Sans-IO: randomness (NTLM challenges, client nonces, exported session keys) and time
//! (FILETIME timestamps) are inputs; account secrets come from the host through
//! [`ntlm::NtlmVerifier`].

use std::fmt;
use std::sync::Arc;

mod bindings;
pub mod kerberos;
pub mod negotiate;
pub mod ntlm;
pub mod spnego;

pub use bindings::ChannelBindings;

/// The security mechanism behind a [`SessionSecurity`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mechanism {
    /// Kerberos (RFC 4121 wrap tokens), framed as `HTTP-Kerberos-session-encrypted` when it was
    /// negotiated with `Authorization: Kerberos`, else as SPNEGO.
    Kerberos,
    /// SPNEGO (`Authorization: Negotiate`) around NTLM or Kerberos; framed as
    /// `HTTP-SPNEGO-session-encrypted`.
    Spnego,
    /// Raw NTLM; framed as `HTTP-SPNEGO-session-encrypted`, as Windows does.
    Ntlm,
    /// CredSSP (not implemented by this crate; hosts may provide it).
    CredSsp,
}

impl Mechanism {
    /// A short lowercase name, for logs and error messages.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Kerberos => "kerberos",
            Self::Spnego => "spnego",
            Self::Ntlm => "ntlm",
            Self::CredSsp => "credssp",
        }
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One sealed message in WinRM's layout, filled by [`SessionSecurity::wrap_winrm`].
///
/// The buffers are caller-owned and reused: `wrap_winrm` clears and refills them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Wrapped {
    /// The signature / wrap-token header (16 bytes for NTLM, 60 for AES Kerberos in Windows'
    /// layout). Written on the wire after its 4-byte little-endian length.
    pub header: Vec<u8>,
    /// The encrypted payload.
    pub data: Vec<u8>,
    /// How many bytes of padding the mechanism appended to the plaintext inside `data`
    /// (0 for NTLM and AES Kerberos, 1 for RC4-HMAC Kerberos).
    pub padding_len: usize,
}

impl Wrapped {
    /// Empty buffers.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            header: Vec::new(),
            data: Vec::new(),
            padding_len: 0,
        }
    }

    /// Clears both buffers (keeping their capacity) and the padding length.
    pub fn clear(&mut self) {
        self.header.clear();
        self.data.clear();
        self.padding_len = 0;
    }
}

impl fmt::Debug for Wrapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Lengths only: the data is ciphertext of a payload we do not log.
        f.debug_struct("Wrapped")
            .field("header_len", &self.header.len())
            .field("data_len", &self.data.len())
            .field("padding_len", &self.padding_len)
            .finish()
    }
}

/// Per-message security of an established context, in WinRM's header/data layout.
///
/// Object safe: the framing code takes `&mut dyn SessionSecurity`. Implementations keep the
/// per-direction state (sequence numbers, cipher state); calls must be made in message order.
/// After an error the implementation may be poisoned and refuse further work.
pub trait SessionSecurity {
    /// Which mechanism this is (decides the `multipart/encrypted` protocol string).
    fn mechanism(&self) -> Mechanism;

    /// Seals `plain` for the peer: fills `out.header`, `out.data` and `out.padding_len`
    /// (clearing what was there).
    ///
    /// # Errors
    /// [`AuthError`] when the context cannot seal (not established, poisoned, sequence
    /// number exhausted, mechanism failure).
    fn wrap_winrm(&mut self, plain: &[u8], out: &mut Wrapped) -> Result<(), AuthError>;

    /// Verifies and decrypts one message from the peer, appending the plaintext to `out`.
    ///
    /// On error nothing is appended to `out`.
    ///
    /// # Errors
    /// [`AuthError::BadSignature`] when the MAC does not match, [`AuthError::SequenceMismatch`]
    /// for a replayed or out-of-order message, [`AuthError::Truncated`] /
    /// [`AuthError::Malformed`] for a header of the wrong shape.
    fn unwrap_winrm(
        &mut self,
        header: &[u8],
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), AuthError>;
}

impl<T: SessionSecurity + ?Sized> SessionSecurity for Box<T> {
    fn mechanism(&self) -> Mechanism {
        (**self).mechanism()
    }
    fn wrap_winrm(&mut self, plain: &[u8], out: &mut Wrapped) -> Result<(), AuthError> {
        (**self).wrap_winrm(plain, out)
    }
    fn unwrap_winrm(
        &mut self,
        header: &[u8],
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), AuthError> {
        (**self).unwrap_winrm(header, data, out)
    }
}

/// Which side of a context sent a message (decides the key and sequence state used).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// The client (a WEF source / `Authorization` sender).
    Initiator,
    /// The server (the collector / `WWW-Authenticate` sender).
    Acceptor,
}

impl Role {
    /// The other side.
    #[must_use]
    pub const fn peer(self) -> Self {
        match self {
            Self::Initiator => Self::Acceptor,
            Self::Acceptor => Self::Initiator,
        }
    }
}

/// What the acceptor's policy refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// NTLMv1 (NTLM or LM responses of 24 bytes) while the policy requires NTLMv2.
    NtlmV1,
    /// NTLMv1 without extended session security (always refused: its keys are weak).
    NtlmV1WithoutExtendedSessionSecurity,
    /// Anonymous authentication while the policy forbids it.
    Anonymous,
    /// The peer did not negotiate sealing (confidentiality) which WinRM over HTTP needs.
    NoSealing,
    /// The peer did not negotiate 128-bit keys.
    Weak56BitKeys,
    /// A mechanism the policy does not allow (for example Kerberos with the feature off).
    Mechanism,
    /// The peer offered no mechanism this side accepts.
    NoCommonMechanism,
    /// The channel has bindings (TLS) and the policy requires them, but the peer sent none.
    ChannelBindingsMissing,
}

impl Refusal {
    const fn text(self) -> &'static str {
        match self {
            Self::NtlmV1 => "ntlmv1 not allowed",
            Self::NtlmV1WithoutExtendedSessionSecurity => {
                "ntlmv1 without extended session security"
            }
            Self::Anonymous => "anonymous authentication not allowed",
            Self::NoSealing => "sealing not negotiated",
            Self::Weak56BitKeys => "128-bit keys not negotiated",
            Self::Mechanism => "mechanism not allowed",
            Self::NoCommonMechanism => "no common mechanism",
            Self::ChannelBindingsMissing => "channel bindings required but not sent",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

/// An opaque error from a mechanism library (GSSAPI through cross-krb5, a host verifier).
///
/// Its text is never shown by `Display`/`Debug` of [`AuthError`] (library messages can carry
/// principal names); it is reachable only through [`std::error::Error::source`].
#[derive(Clone)]
pub struct GssError(Arc<dyn std::error::Error + Send + Sync + 'static>);

impl GssError {
    /// Wraps a library error.
    pub fn new(err: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        Self(Arc::from(err.into()))
    }

    /// The wrapped error (may contain names: do not log it where PII matters).
    #[must_use]
    pub fn inner(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

impl fmt::Debug for GssError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("GssError(..)")
    }
}

impl fmt::Display for GssError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("mechanism library error")
    }
}

impl std::error::Error for GssError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

impl PartialEq for GssError {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for GssError {}

/// Authentication and session-security errors.
///
/// Blame: [`AuthError::is_peer_fault`] tells the peer's faults (bad token, bad MAC, wrong
/// password) from the caller's (wrong call order, poisoned context). No variant carries secrets,
/// tokens, user names, host names or payloads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// A message signature / MAC / checksum did not verify (tampered or wrong key).
    #[error("{mechanism} message signature does not verify")]
    BadSignature {
        /// The mechanism that checked it.
        mechanism: Mechanism,
    },
    /// A sequence number other than the next expected one: a replayed, dropped or reordered
    /// message.
    #[error(
        "{mechanism} sequence number {got} where {expected} was expected (replayed or out of order)"
    )]
    SequenceMismatch {
        /// The mechanism that checked it.
        mechanism: Mechanism,
        /// The next sequence number this side expected.
        expected: u64,
        /// The one the message carried.
        got: u64,
    },
    /// The credentials did not verify (wrong password, unknown account, expired ticket). The
    /// reason is deliberately coarse.
    #[error("authentication failed: {reason}")]
    AuthenticationFailed {
        /// Why, without names (e.g. "ntlmv2 response does not match", "unknown account").
        reason: &'static str,
    },
    /// A token or message ended before a field it declares.
    #[error("truncated {what}: need {needed} bytes at offset {offset}")]
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Byte offset in that token where the read started.
        offset: usize,
        /// How many bytes were needed there.
        needed: usize,
    },
    /// A token or message is not well formed.
    #[error("malformed {what} at offset {offset}")]
    Malformed {
        /// What was wrong.
        what: &'static str,
        /// Byte offset in that token.
        offset: usize,
    },
    /// The acceptor's (or initiator's) policy refused what the peer asked for.
    #[error("policy refused: {0}")]
    PolicyRefused(Refusal),
    /// A mechanism that is recognised but not available in this build (e.g. Kerberos without
    /// the `kerberos` feature).
    #[error("{mechanism} is not available in this build")]
    Unavailable {
        /// The mechanism.
        mechanism: Mechanism,
    },
    /// An input exceeded a configured limit.
    #[error("{what} exceeds the limit of {limit}")]
    Limit {
        /// Which limit.
        what: &'static str,
        /// Its value.
        limit: usize,
    },
    /// A call that the context's state does not allow (caller misuse), e.g. sealing before the
    /// handshake completed.
    #[error("invalid call: {what}")]
    InvalidState {
        /// What was attempted.
        what: &'static str,
    },
    /// The context failed earlier and refuses further work.
    #[error("security context is poisoned by an earlier error")]
    Poisoned,
    /// The host's credential store or verifier failed (not a wrong password: an I/O or
    /// back-end problem). Retrying may succeed.
    #[error("credential back end failed")]
    Backend(#[source] GssError),
    /// The mechanism library reported an error (its text only via `source()`).
    #[error("{mechanism} mechanism error: {context}")]
    Gss {
        /// The mechanism.
        mechanism: Mechanism,
        /// Which operation failed.
        context: &'static str,
        /// The library's error.
        #[source]
        source: GssError,
    },
}

impl AuthError {
    /// Whether the peer is to blame (a bad token, MAC or password), as opposed to the caller or
    /// the host.
    #[must_use]
    pub const fn is_peer_fault(&self) -> bool {
        matches!(
            self,
            Self::BadSignature { .. }
                | Self::SequenceMismatch { .. }
                | Self::AuthenticationFailed { .. }
                | Self::Truncated { .. }
                | Self::Malformed { .. }
                | Self::PolicyRefused(_)
                | Self::Unavailable { .. }
                | Self::Limit { .. }
                | Self::Gss { .. }
        )
    }

    /// The HTTP status a collector should answer with: 401 for authentication failures and
    /// refused policies (the client may retry another way), 400 for malformed messages, 500
    /// for back-end failures and caller misuse.
    #[must_use]
    pub const fn http_status(&self) -> u16 {
        match self {
            Self::AuthenticationFailed { .. }
            | Self::PolicyRefused(_)
            | Self::Unavailable { .. }
            | Self::Gss { .. }
            | Self::BadSignature { .. }
            | Self::SequenceMismatch { .. } => 401,
            Self::Truncated { .. } | Self::Malformed { .. } | Self::Limit { .. } => 400,
            Self::InvalidState { .. } | Self::Poisoned | Self::Backend(_) => 500,
        }
    }

    /// Shorthand for [`AuthError::Truncated`].
    #[must_use]
    pub const fn truncated(what: &'static str, offset: usize, needed: usize) -> Self {
        Self::Truncated {
            what,
            offset,
            needed,
        }
    }

    /// Shorthand for [`AuthError::Malformed`].
    #[must_use]
    pub const fn malformed(what: &'static str, offset: usize) -> Self {
        Self::Malformed { what, offset }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trait_is_object_safe() {
        struct Id;
        impl SessionSecurity for Id {
            fn mechanism(&self) -> Mechanism {
                Mechanism::Ntlm
            }
            fn wrap_winrm(&mut self, plain: &[u8], out: &mut Wrapped) -> Result<(), AuthError> {
                out.clear();
                out.data.extend_from_slice(plain);
                Ok(())
            }
            fn unwrap_winrm(
                &mut self,
                _h: &[u8],
                data: &[u8],
                out: &mut Vec<u8>,
            ) -> Result<(), AuthError> {
                out.extend_from_slice(data);
                Ok(())
            }
        }
        let mut boxed: Box<dyn SessionSecurity> = Box::new(Id);
        let mut w = Wrapped::new();
        boxed.wrap_winrm(b"abc", &mut w).unwrap();
        assert_eq!(w.data, b"abc");
        assert_eq!(
            format!("{w:?}"),
            "Wrapped { header_len: 0, data_len: 3, padding_len: 0 }"
        );
    }

    #[test]
    fn messages_are_lowercase_without_secrets() {
        let e = AuthError::SequenceMismatch {
            mechanism: Mechanism::Ntlm,
            expected: 2,
            got: 1,
        };
        assert_eq!(
            e.to_string(),
            "ntlm sequence number 1 where 2 was expected (replayed or out of order)"
        );
        let g = AuthError::Backend(GssError::new("user alice@EXAMPLE not found"));
        assert!(!g.to_string().contains("alice"));
        assert!(!format!("{g:?}").contains("alice"));
        assert_eq!(g.http_status(), 500);
    }
}

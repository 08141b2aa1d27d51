//! [`OfflineKerberos`]: Kerberos session security from a known key, without GSSAPI.

use std::fmt;

use super::crypto::{AES_BLOCK, Enctype, Key};
use super::token::{CfxState, Rc4State};
use crate::auth::{AuthError, Mechanism, Role, SessionSecurity, Wrapped};

/// A source of random bytes (the wrap tokens' confounders). Sans-IO: the host injects it.
pub type FillRandom = Box<dyn FnMut(&mut [u8]) + Send>;

/// Options of an [`OfflineKerberos`] session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OfflineConfig {
    /// Which side of the context this session is (decides the key usage, the
    /// `SentByAcceptor` flag and the sequence direction of the tokens it produces).
    pub role: Role,
    /// Set the RFC 4121 `AcceptorSubkey` flag on tokens this session produces (AES only): true
    /// when the key is the subkey the acceptor sent in its AP-REP, as with Windows and MIT.
    pub acceptor_subkey: bool,
    /// Sequence number of the first token this session sends.
    pub send_seq: u64,
    /// Sequence number expected in the first token from the peer; `None` accepts the first
    /// token's number (for decrypting captures whose handshake is unknown) and then requires
    /// each following token to carry the next number.
    pub recv_seq: Option<u64>,
}

impl OfflineConfig {
    /// A configuration for `role` with the acceptor subkey flag on, sending from 0 and learning
    /// the peer's first sequence number.
    #[must_use]
    pub const fn new(role: Role) -> Self {
        Self {
            role,
            acceptor_subkey: true,
            send_seq: 0,
            recv_seq: None,
        }
    }
}

enum Inner {
    Cfx(Box<CfxState>),
    Rc4(Rc4State),
}

/// Kerberos per-message security from a known key, in pure Rust (no GSSAPI, no KDC).
///
/// RFC 4121 (CFX) wrap tokens for AES128/AES256 and RFC 4757 wrap tokens for RC4-HMAC, in the
/// layout Windows uses for WinRM: AES tokens with EC 0 and RRC 28 so the 60-byte header is
/// followed by exactly the payload ciphertext; RC4-HMAC tokens with their GSS framing in the
/// header and one byte of padding after the payload (reported in [`Wrapped::padding_len`]).
///
/// The key is the one the wrap tokens are protected with: the acceptor subkey from the AP-REP
/// when there was one (Windows and MIT always send one with AES), else the initiator's subkey
/// or the ticket session key. Sequence numbers are checked per direction: a replayed,
/// reordered or dropped message fails with [`AuthError::SequenceMismatch`]. A failed unwrap
/// changes no state.
///
/// ```
/// use wsman_proto::auth::kerberos::{Enctype, Key, OfflineConfig, OfflineKerberos};
/// use wsman_proto::auth::{Role, SessionSecurity, Wrapped};
///
/// let key = Key::new(Enctype::Aes256CtsHmacSha196, &[7; 32])?;
/// let mut client = OfflineKerberos::new(key.clone(), OfflineConfig::new(Role::Initiator), |b: &mut [u8]| b.fill(1))?;
/// let mut server = OfflineKerberos::new(key, OfflineConfig::new(Role::Acceptor), |b: &mut [u8]| b.fill(2))?;
/// let mut sealed = Wrapped::new();
/// client.wrap_winrm(b"<s:Envelope/>", &mut sealed)?;
/// assert_eq!((sealed.header.len(), sealed.data.len()), (60, 13));
/// let mut plain = Vec::new();
/// server.unwrap_winrm(&sealed.header, &sealed.data, &mut plain)?;
/// assert_eq!(plain, b"<s:Envelope/>");
/// # Ok::<(), wsman_proto::auth::AuthError>(())
/// ```
pub struct OfflineKerberos {
    enctype: Enctype,
    role: Role,
    inner: Inner,
    random: FillRandom,
    scratch: Vec<u8>,
}

impl fmt::Debug for OfflineKerberos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OfflineKerberos")
            .field("enctype", &self.enctype)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl OfflineKerberos {
    /// A session protected by `key`, drawing confounders from `random`.
    ///
    /// # Errors
    /// [`AuthError::Malformed`] when a sequence number does not fit RC4-HMAC's 32 bits.
    pub fn new(
        key: Key,
        config: OfflineConfig,
        random: impl FnMut(&mut [u8]) + Send + 'static,
    ) -> Result<Self, AuthError> {
        let inner = match key.enctype() {
            Enctype::Rc4Hmac => {
                let send = u32::try_from(config.send_seq)
                    .map_err(|_| AuthError::malformed("rc4-hmac sequence number", 0))?;
                let recv = config
                    .recv_seq
                    .map(u32::try_from)
                    .transpose()
                    .map_err(|_| AuthError::malformed("rc4-hmac sequence number", 0))?;
                Inner::Rc4(Rc4State::new(&key, config.role, send, recv)?)
            }
            Enctype::Aes128CtsHmacSha196 | Enctype::Aes256CtsHmacSha196 => {
                Inner::Cfx(Box::new(CfxState::new(
                    &key,
                    config.role,
                    config.acceptor_subkey,
                    config.send_seq,
                    config.recv_seq,
                )?))
            }
        };
        Ok(Self {
            enctype: key.enctype(),
            role: config.role,
            inner,
            random: Box::new(random),
            scratch: Vec::new(),
        })
    }

    /// The enctype of the key.
    #[must_use]
    pub const fn enctype(&self) -> Enctype {
        self.enctype
    }

    /// The sequence number the next sealed message will carry.
    #[must_use]
    pub fn next_send_seq(&self) -> u64 {
        match &self.inner {
            Inner::Cfx(s) => s.next_send_seq(),
            Inner::Rc4(s) => s.next_send_seq(),
        }
    }

    /// The sequence number expected in the next message from the peer (`None` before the first
    /// one when it was not configured).
    #[must_use]
    pub const fn next_recv_seq(&self) -> Option<u64> {
        match &self.inner {
            Inner::Cfx(s) => s.next_recv_seq(),
            Inner::Rc4(s) => s.next_recv_seq(),
        }
    }

    /// Seals `plain` into one complete wrap token (header and payload ciphertext together, as
    /// `gss_wrap` returns it), written to `out` (cleared first). Returns the length of the
    /// header part.
    ///
    /// # Errors
    /// [`AuthError::InvalidState`] when the sequence numbers are exhausted.
    pub fn wrap_token(&mut self, plain: &[u8], out: &mut Vec<u8>) -> Result<usize, AuthError> {
        match &mut self.inner {
            Inner::Cfx(s) => {
                let mut conf = [0u8; AES_BLOCK];
                (self.random)(&mut conf);
                s.wrap(plain, &conf, out)
            }
            Inner::Rc4(s) => {
                let mut conf = [0u8; 8];
                (self.random)(&mut conf);
                s.wrap(plain, &conf, out)
            }
        }
    }

    /// Verifies and decrypts one complete wrap token, appending the plaintext to `out`
    /// (nothing is appended on error).
    ///
    /// # Errors
    /// See [`SessionSecurity::unwrap_winrm`].
    pub fn unwrap_token(&mut self, token: &[u8], out: &mut Vec<u8>) -> Result<(), AuthError> {
        self.scratch.clear();
        self.scratch.extend_from_slice(token);
        self.unwrap_scratch(out)
    }

    fn unwrap_scratch(&mut self, out: &mut Vec<u8>) -> Result<(), AuthError> {
        match &mut self.inner {
            Inner::Cfx(s) => s.unwrap(&mut self.scratch, out),
            Inner::Rc4(s) => s.unwrap(&mut self.scratch, out),
        }
    }
}

impl SessionSecurity for OfflineKerberos {
    fn mechanism(&self) -> Mechanism {
        Mechanism::Kerberos
    }

    fn wrap_winrm(&mut self, plain: &[u8], out: &mut Wrapped) -> Result<(), AuthError> {
        out.clear();
        let header_len = self.wrap_token(plain, &mut out.data)?;
        let header = out.data.get(..header_len).ok_or(AuthError::InvalidState {
            what: "kerberos token shorter than its header",
        })?;
        out.header.extend_from_slice(header);
        out.data.drain(..header_len);
        out.padding_len = out.data.len().saturating_sub(plain.len());
        Ok(())
    }

    fn unwrap_winrm(
        &mut self,
        header: &[u8],
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), AuthError> {
        self.scratch.clear();
        self.scratch
            .reserve(header.len().saturating_add(data.len()));
        self.scratch.extend_from_slice(header);
        self.scratch.extend_from_slice(data);
        self.unwrap_scratch(out)
    }
}

//! Kerberos contexts through the system GSSAPI (MIT krb5), via the `libgssapi` crate.
//!
//! `cross-krb5` is not used: its `wrap_iov` always asks for a trailer buffer, which makes MIT
//! put the checksum after the data (RRC 0) instead of in the header, so it cannot produce the
//! header/data split Windows expects. Here the IOV is `HEADER | DATA | PADDING` without a
//! trailer, exactly as pyspnego does: MIT then folds the trailer into the header with RRC 28
//! (AES, 60-byte header) or emits the RFC 4757 header and one byte of padding (RC4-HMAC).
//! Unwrapping uses `HEADER | DATA | DATA(empty)`.
//!
//! Credentials come from the process environment, as with any GSSAPI program: the acceptor
//! reads the keytab named by `KRB5_KTNAME` (or krb5.conf's `default_keytab_name`), the
//! initiator a credential cache (`KRB5CCNAME`), a client keytab (`KRB5_CLIENT_KTNAME`) or a
//! password given to [`InitiatorCred::Password`]. `KRB5_CONFIG` selects the realm
//! configuration.
//!
//! Tested on Linux with MIT krb5 (Debian 12, krb5 1.20) against pyspnego/python-gssapi and a
//! real KDC. Not promised on macOS: Heimdal's `gss_unwrap_iov` handles RC4-HMAC padding
//! differently (pyspnego falls back to `gss_unwrap` there), and it is untested.

use libgssapi::context::{ClientCtx, CtxFlags, SecurityContext, ServerCtx};
use libgssapi::credential::{Cred, CredUsage};
use libgssapi::error::{Error as LibError, MajorFlags};
use libgssapi::name::Name;
use libgssapi::oid::{GSS_MECH_KRB5, GSS_MECH_SPNEGO, GSS_NT_KRB5_PRINCIPAL, Oid, OidSet};
use libgssapi::util::{GssIov, GssIovFake, GssIovType};

use crate::auth::negotiate::{KerberosAccepted, KerberosAcceptor};
use crate::auth::{AuthError, ChannelBindings, GssError, Mechanism, SessionSecurity, Wrapped};

/// The GSSAPI mechanism a context uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GssMech {
    /// Raw Kerberos (`Authorization: Kerberos`, `HTTP-Kerberos-session-encrypted`).
    Kerberos,
    /// Kerberos inside SPNEGO (`Authorization: Negotiate`, `HTTP-SPNEGO-session-encrypted`).
    Spnego,
}

impl GssMech {
    fn oid(self) -> Oid<'static> {
        match self {
            Self::Kerberos => GSS_MECH_KRB5,
            Self::Spnego => GSS_MECH_SPNEGO,
        }
    }

    const fn mechanism(self) -> Mechanism {
        match self {
            Self::Kerberos => Mechanism::Kerberos,
            Self::Spnego => Mechanism::Spnego,
        }
    }
}

/// Credentials of an initiator.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum InitiatorCred<'a> {
    /// The default credentials: the credential cache (`KRB5CCNAME`) or the client keytab
    /// (`KRB5_CLIENT_KTNAME`), for the default or the given principal.
    Default {
        /// The client principal (`user@REALM`), or `None` for the default one.
        principal: Option<&'a str>,
    },
    /// Obtain a ticket with a password (`gss_acquire_cred_with_password`).
    Password {
        /// The client principal (`user@REALM`).
        principal: &'a str,
        /// Its password.
        password: &'a str,
    },
}

impl std::fmt::Debug for InitiatorCred<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Default { .. } => f.write_str("InitiatorCred::Default(..)"),
            Self::Password { .. } => f.write_str("InitiatorCred::Password(..)"),
        }
    }
}

/// One handshake step's outcome.
#[derive(Clone, PartialEq, Eq)]
pub enum GssStep {
    /// Send this token to the peer and feed its answer to `step` again.
    Continue(Vec<u8>),
    /// The context is established; send the token, if any, to the peer (the acceptor's
    /// mutual-authentication AP-REP, in `WWW-Authenticate`).
    Done(Option<Vec<u8>>),
}

impl std::fmt::Debug for GssStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Continue(t) => write!(f, "Continue({} bytes)", t.len()),
            Self::Done(t) => write!(f, "Done({:?} bytes)", t.as_ref().map(Vec::len)),
        }
    }
}

/// RFC 2744 section 5.19: the routine error field of a major status (not a bit set).
const ROUTINE_ERROR_MASK: u32 = 0x00ff_0000;

fn gss_err(mech: Mechanism, context: &'static str, e: LibError) -> AuthError {
    let routine = e.major.bits() & ROUTINE_ERROR_MASK;
    if routine == MajorFlags::GSS_S_BAD_SIG.bits() {
        return AuthError::BadSignature { mechanism: mech };
    }
    AuthError::Gss {
        mechanism: mech,
        context,
        source: GssError::new(e),
    }
}

fn krb5_name(principal: &str, mech: Mechanism) -> Result<Name, AuthError> {
    Name::new(principal.as_bytes(), Some(GSS_NT_KRB5_PRINCIPAL))
        .map_err(|e| gss_err(mech, "import principal name", e))
}

fn mech_set(mech: Mechanism) -> Result<OidSet, AuthError> {
    let mut set = OidSet::new();
    set.add(GSS_MECH_KRB5)
        .map_err(|e| gss_err(mech, "build mechanism set", e))?;
    set.add(GSS_MECH_SPNEGO)
        .map_err(|e| gss_err(mech, "build mechanism set", e))?;
    Ok(set)
}

/// A Kerberos acceptor (the collector's side) being established.
///
/// Accepts tickets for any service principal in the keytab (`HTTP/host` and `HOST/host`:
/// Windows Server 2025 clients ask for `HOST/`) unless a principal is given.
pub struct GssAcceptor {
    ctx: ServerCtx,
    mech: GssMech,
    /// The channel's bindings (application data), when the host gave them.
    bindings: Option<Vec<u8>>,
}

/// The application data of `bindings`: the only part libgssapi passes (all TLS bindings are).
fn application_data(bindings: &ChannelBindings) -> Result<Vec<u8>, AuthError> {
    if bindings.initiator_addrtype != 0
        || bindings.acceptor_addrtype != 0
        || !bindings.initiator_address.is_empty()
        || !bindings.acceptor_address.is_empty()
    {
        return Err(AuthError::InvalidState {
            what: "gssapi channel bindings with addresses are not supported (tls bindings have none)",
        });
    }
    Ok(bindings.application_data.clone())
}

impl std::fmt::Debug for GssAcceptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GssAcceptor")
            .field("mech", &self.mech)
            .finish_non_exhaustive()
    }
}

impl GssAcceptor {
    /// An acceptor for `mech` with the keytab's keys, for `principal` only when given.
    ///
    /// # Errors
    /// [`AuthError::Gss`] when the credentials cannot be acquired (no keytab, unknown principal).
    pub fn new(principal: Option<&str>, mech: GssMech) -> Result<Self, AuthError> {
        let m = mech.mechanism();
        let cred = match principal {
            None => None,
            Some(p) => {
                let name = krb5_name(p, m)?;
                Some(
                    Cred::acquire(Some(&name), None, CredUsage::Accept, Some(&mech_set(m)?))
                        .map_err(|e| gss_err(m, "acquire acceptor credentials", e))?,
                )
            }
        };
        Ok(Self {
            ctx: ServerCtx::new(cred),
            mech,
            bindings: None,
        })
    }

    /// Checks the client's channel bindings against the channel's (TLS: see
    /// [`ChannelBindings::tls_server_end_point`]). MIT Kerberos refuses an authenticator whose
    /// bindings differ (`GSS_S_BAD_BINDINGS`) and accepts one that carries none.
    ///
    /// # Errors
    /// [`AuthError::InvalidState`] for bindings with addresses, which libgssapi cannot pass.
    pub fn with_channel_bindings(mut self, bindings: &ChannelBindings) -> Result<Self, AuthError> {
        self.bindings = Some(application_data(bindings)?);
        Ok(self)
    }

    /// Feeds the initiator's token (from `Authorization: Kerberos|Negotiate <b64>`).
    ///
    /// # Errors
    /// [`AuthError::Gss`] when the token is refused (bad ticket, unknown key version, clock
    /// skew, replayed authenticator...).
    pub fn step(&mut self, token: &[u8]) -> Result<GssStep, AuthError> {
        let m = self.mech.mechanism();
        let out = self
            .ctx
            .step(token, self.bindings.as_deref())
            .map_err(|e| gss_err(m, "accept security context", e))?;
        let out = out.map(|b| b.to_vec());
        if self.ctx.is_complete() {
            Ok(GssStep::Done(out))
        } else {
            out.map(GssStep::Continue).ok_or(AuthError::InvalidState {
                what: "gssapi acceptor needs more but produced no token",
            })
        }
    }

    /// Whether the context is established.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.ctx.is_complete()
    }

    /// The authenticated client principal (`user@REALM`).
    ///
    /// # Errors
    /// [`AuthError::InvalidState`] before the context is established.
    pub fn client_principal(&self) -> Result<String, AuthError> {
        if !self.ctx.is_complete() {
            return Err(AuthError::InvalidState {
                what: "client principal before the context is established",
            });
        }
        let name = self
            .ctx
            .source_name()
            .map_err(|e| gss_err(self.mech.mechanism(), "inquire client name", e))?;
        Ok(name.to_string())
    }

    /// The established context as a [`SessionSecurity`].
    ///
    /// # Errors
    /// [`AuthError::InvalidState`] before the context is established, and
    /// [`AuthError::PolicyRefused`] when the initiator did not ask for confidentiality.
    pub fn into_session(self) -> Result<GssSession, AuthError> {
        GssSession::new(Ctx::Server(Box::new(self.ctx)), self.mech)
    }
}

/// A Kerberos initiator (a source's side) being established.
pub struct GssInitiator {
    ctx: ClientCtx,
    mech: GssMech,
    bindings: Option<Vec<u8>>,
}

impl std::fmt::Debug for GssInitiator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GssInitiator")
            .field("mech", &self.mech)
            .finish_non_exhaustive()
    }
}

impl GssInitiator {
    /// Starts a context to `target` (a Kerberos principal such as `HTTP/collector.example.com`
    /// or `HTTP/collector.example.com@REALM`) with mutual authentication, confidentiality,
    /// integrity, replay and sequence detection. Returns the initiator and its first token
    /// (for `Authorization: Kerberos|Negotiate <b64>`).
    ///
    /// # Errors
    /// [`AuthError::Gss`] when credentials cannot be acquired or no ticket can be obtained.
    pub fn new(
        target: &str,
        cred: InitiatorCred<'_>,
        mech: GssMech,
    ) -> Result<(Self, Vec<u8>), AuthError> {
        Self::with_channel_bindings(target, cred, mech, None)
    }

    /// [`GssInitiator::new`], binding the authentication to the TLS channel it runs in: the
    /// authenticator then carries the hash of `bindings` (RFC 4121 4.1.1.2).
    ///
    /// # Errors
    /// As [`GssInitiator::new`]; [`AuthError::InvalidState`] for bindings with addresses.
    pub fn with_channel_bindings(
        target: &str,
        cred: InitiatorCred<'_>,
        mech: GssMech,
        bindings: Option<&ChannelBindings>,
    ) -> Result<(Self, Vec<u8>), AuthError> {
        let bindings = bindings.map(application_data).transpose()?;
        let m = mech.mechanism();
        let mechs = mech_set(m)?;
        let cred = match cred {
            InitiatorCred::Default { principal: None } => None,
            InitiatorCred::Default { principal: Some(p) } => {
                let name = krb5_name(p, m)?;
                Some(
                    Cred::acquire(Some(&name), None, CredUsage::Initiate, Some(&mechs))
                        .map_err(|e| gss_err(m, "acquire initiator credentials", e))?,
                )
            }
            InitiatorCred::Password {
                principal,
                password,
            } => {
                let name = krb5_name(principal, m)?;
                Some(
                    Cred::acquire_with_password(
                        Some(&name),
                        password,
                        None,
                        CredUsage::Initiate,
                        Some(&mechs),
                    )
                    .map_err(|e| gss_err(m, "acquire initiator credentials with password", e))?,
                )
            }
        };
        let target = krb5_name(target, m)?;
        let flags = CtxFlags::GSS_C_MUTUAL_FLAG
            | CtxFlags::GSS_C_CONF_FLAG
            | CtxFlags::GSS_C_INTEG_FLAG
            | CtxFlags::GSS_C_REPLAY_FLAG
            | CtxFlags::GSS_C_SEQUENCE_FLAG;
        let mut ctx = ClientCtx::new(cred, target, flags, Some(mech.oid()));
        let token = ctx
            .step(None, bindings.as_deref())
            .map_err(|e| gss_err(m, "initiate security context", e))?
            .ok_or(AuthError::InvalidState {
                what: "gssapi initiator produced no first token",
            })?
            .to_vec();
        Ok((
            Self {
                ctx,
                mech,
                bindings,
            },
            token,
        ))
    }

    /// Feeds the acceptor's token (from `WWW-Authenticate`).
    ///
    /// # Errors
    /// [`AuthError::Gss`] when the token does not verify (mutual authentication failed).
    pub fn step(&mut self, token: &[u8]) -> Result<GssStep, AuthError> {
        let m = self.mech.mechanism();
        let out = self
            .ctx
            .step(Some(token), self.bindings.as_deref())
            .map_err(|e| gss_err(m, "initiate security context", e))?;
        let out = out.map(|b| b.to_vec());
        if self.ctx.is_complete() {
            Ok(GssStep::Done(out))
        } else {
            out.map(GssStep::Continue).ok_or(AuthError::InvalidState {
                what: "gssapi initiator needs more but produced no token",
            })
        }
    }

    /// Whether the context is established.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.ctx.is_complete()
    }

    /// The established context as a [`SessionSecurity`].
    ///
    /// # Errors
    /// [`AuthError::InvalidState`] before the context is established, and
    /// [`AuthError::PolicyRefused`] when mutual authentication or confidentiality was not
    /// granted.
    pub fn into_session(self) -> Result<GssSession, AuthError> {
        let m = self.mech.mechanism();
        if self.ctx.is_complete() {
            let flags = self
                .ctx
                .flags()
                .map_err(|e| gss_err(m, "inquire context flags", e))?;
            if !flags.contains(CtxFlags::GSS_C_MUTUAL_FLAG) {
                return Err(AuthError::AuthenticationFailed {
                    reason: "mutual authentication not granted",
                });
            }
        }
        GssSession::new(Ctx::Client(Box::new(self.ctx)), self.mech)
    }
}

enum Ctx {
    Server(Box<ServerCtx>),
    Client(Box<ClientCtx>),
}

impl Ctx {
    fn get(&mut self) -> &mut dyn SecurityContext {
        match self {
            Self::Server(c) => &mut **c,
            Self::Client(c) => &mut **c,
        }
    }

    fn is_complete(&self) -> bool {
        match self {
            Self::Server(c) => c.is_complete(),
            Self::Client(c) => c.is_complete(),
        }
    }
}

/// An established GSSAPI Kerberos context as a [`SessionSecurity`], in Windows' WinRM layout.
///
/// Wrapping uses `gss_wrap_iov` with `HEADER | DATA | PADDING` (no trailer): 60-byte header
/// with RRC 28 and EC 0 for AES, the RFC 4757 header and 1 byte of padding for RC4-HMAC.
/// Unwrapping uses `gss_unwrap_iov` with `HEADER | DATA | DATA`. MIT checks the sequence
/// numbers when the initiator asked for replay/sequence detection; in addition, for RFC 4121
/// tokens this session requires every message to carry the next sequence number.
pub struct GssSession {
    ctx: Ctx,
    mech: GssMech,
    header: Vec<u8>,
    padding: Vec<u8>,
    scratch: Vec<u8>,
    next_recv: Option<u64>,
}

impl std::fmt::Debug for GssSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GssSession")
            .field("mech", &self.mech)
            .finish_non_exhaustive()
    }
}

impl GssSession {
    fn new(mut ctx: Ctx, mech: GssMech) -> Result<Self, AuthError> {
        let m = mech.mechanism();
        if !ctx.is_complete() {
            return Err(AuthError::InvalidState {
                what: "session security before the context is established",
            });
        }
        let flags = ctx
            .get()
            .flags()
            .map_err(|e| gss_err(m, "inquire context flags", e))?;
        if !flags.contains(CtxFlags::GSS_C_CONF_FLAG) {
            return Err(AuthError::PolicyRefused(crate::auth::Refusal::NoSealing));
        }
        Ok(Self {
            ctx,
            mech,
            header: Vec::new(),
            padding: Vec::new(),
            scratch: Vec::new(),
            next_recv: None,
        })
    }

    /// The GSSAPI mechanism of the context.
    #[must_use]
    pub const fn gss_mech(&self) -> GssMech {
        self.mech
    }

    /// Seconds the context remains valid (the ticket's remaining lifetime).
    ///
    /// # Errors
    /// [`AuthError::Gss`] when the context has expired.
    pub fn lifetime_secs(&mut self) -> Result<u64, AuthError> {
        let m = self.mech.mechanism();
        self.ctx
            .get()
            .lifetime()
            .map(|d| d.as_secs())
            .map_err(|e| gss_err(m, "inquire context lifetime", e))
    }
}

/// Removes RFC 1964 section 1.2.2.3 padding (`n` bytes of value `n`, 1 to 8).
fn strip_rfc1964_padding(plain: &[u8]) -> Result<&[u8], AuthError> {
    let pad = usize::from(plain.last().copied().unwrap_or(0));
    let keep = plain
        .len()
        .checked_sub(pad)
        .filter(|_| (1..=8).contains(&pad))
        .ok_or(AuthError::malformed("rc4-hmac wrap token padding", 0))?;
    let (data, padding) = plain.split_at(keep);
    if padding.iter().any(|b| usize::from(*b) != pad) {
        return Err(AuthError::malformed("rc4-hmac wrap token padding", 0));
    }
    Ok(data)
}

/// RFC 4121 header fields of a CFX wrap token: its sequence number.
fn cfx_seq(header: &[u8]) -> Option<u64> {
    let (hdr, _) = header.split_first_chunk::<16>()?;
    if hdr.get(..2) != Some(&[0x05, 0x04][..]) {
        return None;
    }
    let seq = hdr.last_chunk::<8>()?;
    Some(u64::from_be_bytes(*seq))
}

impl SessionSecurity for GssSession {
    fn mechanism(&self) -> Mechanism {
        self.mech.mechanism()
    }

    fn wrap_winrm(&mut self, plain: &[u8], out: &mut Wrapped) -> Result<(), AuthError> {
        let m = self.mech.mechanism();
        out.clear();
        out.data.extend_from_slice(plain);
        let (header_len, padding_len) = {
            let mut lens = [
                GssIovFake::new(GssIovType::Header),
                GssIov::new(GssIovType::Data, &mut out.data).as_fake(),
                GssIovFake::new(GssIovType::Padding),
            ];
            self.ctx
                .get()
                .wrap_iov_length(true, &mut lens)
                .map_err(|e| gss_err(m, "wrap_iov_length", e))?;
            let [h, _, p] = &lens;
            (h.len(), p.len())
        };
        self.header.clear();
        self.header.resize(header_len, 0);
        self.padding.clear();
        self.padding.resize(padding_len, 0);
        {
            let mut iovs = [
                GssIov::new(GssIovType::Header, &mut self.header),
                GssIov::new(GssIovType::Data, &mut out.data),
                GssIov::new(GssIovType::Padding, &mut self.padding),
            ];
            self.ctx
                .get()
                .wrap_iov(true, &mut iovs)
                .map_err(|e| gss_err(m, "wrap_iov", e))?;
        }
        out.header.extend_from_slice(&self.header);
        out.data.extend_from_slice(&self.padding);
        out.padding_len = self.padding.len();
        Ok(())
    }

    fn unwrap_winrm(
        &mut self,
        header: &[u8],
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), AuthError> {
        let m = self.mech.mechanism();
        let seq = cfx_seq(header);
        if let (Some(expected), Some(got)) = (self.next_recv, seq)
            && expected != got
        {
            return Err(AuthError::SequenceMismatch {
                mechanism: m,
                expected,
                got,
            });
        }
        self.header.clear();
        self.header.extend_from_slice(header);
        self.scratch.clear();
        self.scratch.extend_from_slice(data);
        let data_len = {
            let mut empty: [u8; 0] = [];
            let mut iovs = [
                GssIov::new(GssIovType::Header, &mut self.header),
                GssIov::new(GssIovType::Data, &mut self.scratch),
                GssIov::new(GssIovType::Data, &mut empty),
            ];
            self.ctx
                .get()
                .unwrap_iov(&mut iovs)
                .map_err(|e| gss_err(m, "unwrap_iov", e))?;
            let [_, d, _] = &iovs;
            d.len()
        };
        let mut plain = self
            .scratch
            .get(..data_len)
            .ok_or(AuthError::malformed("gssapi unwrapped length", data_len))?;
        // RFC 4757 tokens (GSS-framed, 0x60): MIT leaves the padding in the DATA buffer.
        if header.first() == Some(&0x60) {
            plain = strip_rfc1964_padding(plain)?;
        }
        if let Some(got) = seq {
            self.next_recv = got.checked_add(1);
        }
        out.extend_from_slice(plain);
        Ok(())
    }
}

/// The GSSAPI Kerberos acceptor for [`NegotiateAcceptor`](crate::auth::negotiate::NegotiateAcceptor):
/// accepts the raw (or SPNEGO-carried) Kerberos AP-REQ with the keytab's keys in one step.
#[derive(Clone, Debug, Default)]
pub struct GssKerberos {
    principal: Option<String>,
    bindings: Option<ChannelBindings>,
}

impl GssKerberos {
    /// Accepts tickets for any principal of the keytab (`KRB5_KTNAME`), or for `principal` only.
    #[must_use]
    pub fn new(principal: Option<&str>) -> Self {
        Self {
            principal: principal.map(str::to_owned),
            bindings: None,
        }
    }

    /// Checks each client's channel bindings against these (see
    /// [`GssAcceptor::with_channel_bindings`]); set per TLS connection.
    #[must_use]
    pub fn with_channel_bindings(mut self, bindings: ChannelBindings) -> Self {
        self.bindings = Some(bindings);
        self
    }
}

impl KerberosAcceptor for GssKerberos {
    fn accept(&mut self, token: &[u8]) -> Result<KerberosAccepted, AuthError> {
        let mut acceptor = GssAcceptor::new(self.principal.as_deref(), GssMech::Kerberos)?;
        if let Some(b) = &self.bindings {
            acceptor = acceptor.with_channel_bindings(b)?;
        }
        let response_token = match acceptor.step(token)? {
            GssStep::Done(t) => t,
            GssStep::Continue(_) => {
                return Err(AuthError::InvalidState {
                    what: "kerberos acceptor needs a second round trip",
                });
            }
        };
        let principal = acceptor.client_principal()?;
        let security = Box::new(acceptor.into_session()?);
        Ok(KerberosAccepted {
            response_token,
            principal,
            security,
        })
    }
}

//! HTTP `Negotiate` / `Kerberos` authentication (RFC 4559, MS-WSMV): the `Authorization` and
//! `WWW-Authenticate` header values, token classification (raw NTLMSSP, raw Kerberos, SPNEGO),
//! and the acceptor and initiator state machines on top of NTLM and a pluggable Kerberos
//! mechanism.
//!
//! SPNEGO with NTLM follows Windows and pyspnego: the initiator sends `mechListMIC` with its
//! AUTHENTICATE, the acceptor verifies it and answers `accept-completed` with its own; each MIC
//! is an NTLM signature with sequence number 0 after which that direction's RC4 state is
//! re-initialised, so the first sealed message of each direction uses sequence number 1.

use std::fmt;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::ntlm::{
    AcceptorConfig, AcceptorNonces, InitiatorCredentials, InitiatorNonces, NtlmAcceptor,
    NtlmIdentity, NtlmInitiator, NtlmSecurity, NtlmVerifier,
};
use super::spnego::{self, NegState, NegTokenResp, NegotiationToken, OID_NTLM};
use super::{AuthError, ChannelBindings, Mechanism, Refusal, SessionSecurity, Wrapped};

const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// An HTTP authentication scheme carrying a GSS token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `Negotiate` (RFC 4559): SPNEGO, or raw NTLMSSP / Kerberos tokens.
    Negotiate,
    /// `Kerberos`: raw Kerberos tokens (Windows WEF's Kerberos scheme).
    Kerberos,
    /// `NTLM`: raw NTLMSSP tokens.
    Ntlm,
}

impl Scheme {
    /// The scheme name as written in headers.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Negotiate => "Negotiate",
            Self::Kerberos => "Kerberos",
            Self::Ntlm => "NTLM",
        }
    }
}

/// Header-size limits. `Copy + Default`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenLimits {
    /// Largest decoded token. Default 64 KiB (Kerberos tickets with large PACs reach ~48 KiB).
    pub max_token_bytes: usize,
}

impl Default for TokenLimits {
    fn default() -> Self {
        Self {
            max_token_bytes: 64 << 10,
        }
    }
}

/// Parses an `Authorization` or `WWW-Authenticate` value `<scheme> <base64>`.
///
/// ```
/// use wsman_proto::auth::negotiate::{parse_header, Scheme, TokenLimits};
/// let (s, t) = parse_header("Negotiate TlRMTVNTUAABAAAA", &TokenLimits::default())?;
/// assert_eq!((s, &t[..8]), (Scheme::Negotiate, &b"NTLMSSP\0"[..]));
/// # Ok::<(), wsman_proto::auth::AuthError>(())
/// ```
///
/// # Errors
/// [`AuthError::Malformed`] for an unknown scheme, a missing token or bad base64;
/// [`AuthError::Limit`] for a token above the limit.
pub fn parse_header(value: &str, limits: &TokenLimits) -> Result<(Scheme, Vec<u8>), AuthError> {
    let value = value.trim();
    let (name, rest) = value.split_once([' ', '\t']).unwrap_or((value, ""));
    let scheme = if name.eq_ignore_ascii_case("negotiate") {
        Scheme::Negotiate
    } else if name.eq_ignore_ascii_case("kerberos") {
        Scheme::Kerberos
    } else if name.eq_ignore_ascii_case("ntlm") {
        Scheme::Ntlm
    } else {
        return Err(AuthError::malformed("authorization scheme", 0));
    };
    let b64 = rest.trim();
    if b64.is_empty() {
        return Err(AuthError::malformed(
            "authorization header without token",
            name.len(),
        ));
    }
    if (b64.len() / 4).saturating_mul(3) > limits.max_token_bytes.saturating_add(3) {
        return Err(AuthError::Limit {
            what: "authentication token",
            limit: limits.max_token_bytes,
        });
    }
    let token = B64.decode(b64).map_err(|_| {
        AuthError::malformed("authorization token base64", name.len().saturating_add(1))
    })?;
    if token.len() > limits.max_token_bytes {
        return Err(AuthError::Limit {
            what: "authentication token",
            limit: limits.max_token_bytes,
        });
    }
    Ok((scheme, token))
}

/// Formats `<scheme> <base64(token)>`.
#[must_use]
pub fn format_header(scheme: Scheme, token: &[u8]) -> String {
    format!("{} {}", scheme.as_str(), B64.encode(token))
}

/// What a `Negotiate` token contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A raw NTLMSSP message.
    Ntlm,
    /// A Kerberos token (GSS-framed with a Kerberos OID, or a bare AP-REQ).
    Kerberos,
    /// A SPNEGO token.
    Spnego,
}

/// Classifies a token by its first bytes (and, for a GSS-framed token, its OID).
///
/// # Errors
/// [`AuthError::Malformed`] when it is none of the three.
pub fn classify(token: &[u8]) -> Result<TokenKind, AuthError> {
    if token.starts_with(b"NTLMSSP\0") {
        return Ok(TokenKind::Ntlm);
    }
    match token.first() {
        Some(0x60) => {
            // [APPLICATION 0] { OID, ... }: read the OID without parsing the rest.
            let rest = token.get(1..).unwrap_or(&[]);
            let (&l0, rest) = rest
                .split_first()
                .ok_or(AuthError::truncated("gss token", 1, 1))?;
            let skip = if l0 < 0x80 { 0 } else { usize::from(l0 & 0x7f) };
            let rest = rest
                .get(skip..)
                .ok_or(AuthError::truncated("gss token length", 2, skip))?;
            match rest {
                [0x06, n, oid @ ..] => {
                    let oid = oid.get(..usize::from(*n)).ok_or(AuthError::truncated(
                        "gss mech oid",
                        2,
                        usize::from(*n),
                    ))?;
                    if oid == spnego::OID_SPNEGO {
                        Ok(TokenKind::Spnego)
                    } else if spnego::is_kerberos_oid(oid) {
                        Ok(TokenKind::Kerberos)
                    } else {
                        Err(AuthError::malformed("gss token of an unknown mechanism", 2))
                    }
                }
                _ => Err(AuthError::malformed("gss token without mech oid", 2)),
            }
        }
        Some(0xa0 | 0xa1) => Ok(TokenKind::Spnego),
        // A bare AP-REQ: [APPLICATION 14].
        Some(0x6e) => Ok(TokenKind::Kerberos),
        Some(_) => Err(AuthError::malformed("token of an unknown kind", 0)),
        None => Err(AuthError::truncated("token", 0, 1)),
    }
}

/// What a Kerberos mechanism returns after accepting an AP-REQ.
pub struct KerberosAccepted {
    /// The AP-REP (mutual authentication) to return, GSS-framed as the mechanism produces it.
    pub response_token: Option<Vec<u8>>,
    /// The client principal (`user@REALM`).
    pub principal: String,
    /// The established context's session security.
    pub security: Box<dyn SessionSecurity + Send>,
}

impl fmt::Debug for KerberosAccepted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KerberosAccepted")
            .field("has_response_token", &self.response_token.is_some())
            .finish_non_exhaustive()
    }
}

/// A Kerberos acceptor the host plugs into [`NegotiateAcceptor`] (the `kerberos` module
/// provides one behind the `kerberos` feature). Without one, Kerberos tokens are answered with
/// [`AuthError::Unavailable`].
pub trait KerberosAcceptor {
    /// Accepts a Kerberos token (as received: GSS-framed AP-REQ).
    ///
    /// # Errors
    /// [`AuthError`] from the mechanism.
    fn accept(&mut self, token: &[u8]) -> Result<KerberosAccepted, AuthError>;
}

/// Reports another mechanism than the wrapped context (a Kerberos context negotiated through
/// SPNEGO is framed as `HTTP-SPNEGO-session-encrypted`).
struct AsMechanism<S: ?Sized> {
    mechanism: Mechanism,
    inner: Box<S>,
}

impl<S: SessionSecurity + ?Sized> SessionSecurity for AsMechanism<S> {
    fn mechanism(&self) -> Mechanism {
        self.mechanism
    }
    fn wrap_winrm(&mut self, plain: &[u8], out: &mut Wrapped) -> Result<(), AuthError> {
        self.inner.wrap_winrm(plain, out)
    }
    fn unwrap_winrm(
        &mut self,
        header: &[u8],
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), AuthError> {
        self.inner.unwrap_winrm(header, data, out)
    }
}

/// Who authenticated.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Identity {
    /// Through NTLM (raw or in SPNEGO).
    Ntlm(NtlmIdentity),
    /// Through Kerberos; the client principal.
    Kerberos {
        /// `user@REALM`.
        principal: String,
    },
}

/// Configuration of a [`NegotiateAcceptor`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NegotiateConfig {
    /// NTLM names and policy.
    pub ntlm: AcceptorConfig,
    /// Token limits.
    pub limits: TokenLimits,
    /// Refuse SPNEGO-NTLM completions without a mechListMIC (always required when NTLM was not
    /// the initiator's first choice). Default false.
    pub require_mech_list_mic: bool,
}

/// One step's answer from the acceptor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AcceptStep {
    /// Answer 401 with this `WWW-Authenticate` value and wait for the next `Authorization`.
    Continue {
        /// The `WWW-Authenticate` value.
        www_authenticate: String,
    },
    /// Authenticated. Send this `WWW-Authenticate` (mutual authentication) with the response,
    /// when present.
    Complete {
        /// The `WWW-Authenticate` value, if any.
        www_authenticate: Option<String>,
    },
}

enum AcceptorState {
    Start,
    RawNtlm {
        scheme: Scheme,
        ntlm: NtlmAcceptor,
    },
    SpnegoNtlm {
        ntlm: NtlmAcceptor,
        mech_types_der: Vec<u8>,
        mic_required: bool,
        challenged: bool,
    },
    Done {
        security: Box<dyn SessionSecurity + Send>,
        identity: Identity,
    },
    Failed,
}

impl fmt::Debug for AcceptorState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Start => "Start",
            Self::RawNtlm { .. } => "RawNtlm",
            Self::SpnegoNtlm { .. } => "SpnegoNtlm",
            Self::Done { .. } => "Done",
            Self::Failed => "Failed",
        })
    }
}

/// The collector's side of `Negotiate` / `Kerberos` HTTP authentication.
///
/// Feed each request's `Authorization` value to [`NegotiateAcceptor::step`]; answer 401 with
/// the `WWW-Authenticate` value of [`AcceptStep::Continue`]; after [`AcceptStep::Complete`] the
/// request's body is opened with [`NegotiateAcceptor::security_mut`]. A failed step poisons the
/// acceptor (start a new one for a new handshake).
pub struct NegotiateAcceptor {
    config: NegotiateConfig,
    kerberos: Option<Box<dyn KerberosAcceptor + Send>>,
    state: AcceptorState,
}

impl fmt::Debug for NegotiateAcceptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NegotiateAcceptor")
            .field("state", &self.state)
            .field("kerberos", &self.kerberos.is_some())
            .finish()
    }
}

fn resp_header(scheme: Scheme, resp: &NegTokenResp<'_>) -> String {
    format_header(scheme, &spnego::encode_resp(resp))
}

impl NegotiateAcceptor {
    /// An acceptor for NTLM (raw and SPNEGO), with Kerberos when `kerberos` is given.
    #[must_use]
    pub fn new(
        config: NegotiateConfig,
        kerberos: Option<Box<dyn KerberosAcceptor + Send>>,
    ) -> Self {
        Self {
            config,
            kerberos,
            state: AcceptorState::Start,
        }
    }

    /// Processes one `Authorization` header value.
    ///
    /// `nonces` supply the NTLM server challenge and time; `verifier` checks NTLM responses.
    ///
    /// # Errors
    /// [`AuthError`]: malformed tokens, failed authentication, refused policy,
    /// [`AuthError::Unavailable`] for Kerberos without a Kerberos mechanism.
    pub fn step(
        &mut self,
        authorization: &str,
        nonces: &AcceptorNonces,
        verifier: &mut dyn NtlmVerifier,
    ) -> Result<AcceptStep, AuthError> {
        let (scheme, token) = parse_header(authorization, &self.config.limits)?;
        let state = std::mem::replace(&mut self.state, AcceptorState::Failed);
        let (next, step) = self.advance(state, scheme, &token, nonces, verifier)?;
        self.state = next;
        Ok(step)
    }

    fn kerberos(&mut self, token: &[u8]) -> Result<KerberosAccepted, AuthError> {
        let k = self.kerberos.as_mut().ok_or(AuthError::Unavailable {
            mechanism: Mechanism::Kerberos,
        })?;
        k.accept(token)
    }

    fn advance(
        &mut self,
        state: AcceptorState,
        scheme: Scheme,
        token: &[u8],
        nonces: &AcceptorNonces,
        verifier: &mut dyn NtlmVerifier,
    ) -> Result<(AcceptorState, AcceptStep), AuthError> {
        match state {
            AcceptorState::Start => match (scheme, classify(token)?) {
                (Scheme::Negotiate | Scheme::Ntlm, TokenKind::Ntlm) => {
                    let mut ntlm = NtlmAcceptor::new(self.config.ntlm.clone());
                    let ch = ntlm.challenge(token, nonces)?;
                    Ok((
                        AcceptorState::RawNtlm { scheme, ntlm },
                        AcceptStep::Continue {
                            www_authenticate: format_header(scheme, &ch),
                        },
                    ))
                }
                (Scheme::Negotiate | Scheme::Kerberos, TokenKind::Kerberos) => {
                    let acc = self.kerberos(token)?;
                    let mechanism = if scheme == Scheme::Kerberos {
                        Mechanism::Kerberos
                    } else {
                        Mechanism::Spnego
                    };
                    let security: Box<dyn SessionSecurity + Send> = Box::new(AsMechanism {
                        mechanism,
                        inner: acc.security,
                    });
                    let www = acc
                        .response_token
                        .as_deref()
                        .map(|t| format_header(scheme, t));
                    Ok((
                        AcceptorState::Done {
                            security,
                            identity: Identity::Kerberos {
                                principal: acc.principal,
                            },
                        },
                        AcceptStep::Complete {
                            www_authenticate: www,
                        },
                    ))
                }
                (Scheme::Negotiate, TokenKind::Spnego) => self.spnego_init(token, nonces),
                _ => Err(AuthError::malformed(
                    "token does not fit the authorization scheme",
                    0,
                )),
            },
            AcceptorState::RawNtlm {
                scheme: s,
                mut ntlm,
            } => {
                if s != scheme || classify(token)? != TokenKind::Ntlm {
                    return Err(AuthError::malformed(
                        "expected an ntlm authenticate token",
                        0,
                    ));
                }
                let identity = ntlm.authenticate(token, verifier)?.clone();
                let security = Box::new(ntlm.into_security()?);
                Ok((
                    AcceptorState::Done {
                        security,
                        identity: Identity::Ntlm(identity),
                    },
                    AcceptStep::Complete {
                        www_authenticate: None,
                    },
                ))
            }
            AcceptorState::SpnegoNtlm {
                mut ntlm,
                mech_types_der,
                mic_required,
                challenged,
            } => {
                let NegotiationToken::Resp(resp) = spnego::decode(token)? else {
                    return Err(AuthError::malformed("expected a spnego negTokenResp", 0));
                };
                if resp.neg_state == Some(NegState::Reject) {
                    return Err(AuthError::AuthenticationFailed {
                        reason: "initiator rejected the negotiation",
                    });
                }
                let inner = resp.response_token.ok_or(AuthError::malformed(
                    "spnego negTokenResp without responseToken",
                    0,
                ))?;
                if !challenged {
                    let ch = ntlm.challenge(inner, nonces)?;
                    let www = resp_header(
                        Scheme::Negotiate,
                        &NegTokenResp {
                            neg_state: Some(NegState::AcceptIncomplete),
                            supported_mech: None,
                            response_token: Some(&ch),
                            mech_list_mic: None,
                        },
                    );
                    return Ok((
                        AcceptorState::SpnegoNtlm {
                            ntlm,
                            mech_types_der,
                            mic_required,
                            challenged: true,
                        },
                        AcceptStep::Continue {
                            www_authenticate: www,
                        },
                    ));
                }
                let identity = ntlm.authenticate(inner, verifier)?.clone();
                let mut sec = ntlm.into_security()?;
                sec.set_mechanism(Mechanism::Spnego);
                let our_mic = match resp.mech_list_mic {
                    Some(mic) => {
                        sec.spnego_verify_mech_list(&mech_types_der, mic)
                            .map_err(|e| match e {
                                AuthError::BadSignature { .. }
                                | AuthError::SequenceMismatch { .. } => {
                                    AuthError::AuthenticationFailed {
                                        reason: "spnego mechListMIC does not verify",
                                    }
                                }
                                e => e,
                            })?;
                        Some(sec.spnego_sign_mech_list(&mech_types_der)?)
                    }
                    None if mic_required || self.config.require_mech_list_mic => {
                        return Err(AuthError::AuthenticationFailed {
                            reason: "spnego mechListMIC missing",
                        });
                    }
                    None => None,
                };
                let www = resp_header(
                    Scheme::Negotiate,
                    &NegTokenResp {
                        neg_state: Some(NegState::AcceptCompleted),
                        supported_mech: None,
                        response_token: None,
                        mech_list_mic: our_mic.as_ref().map(|m| &m[..]),
                    },
                );
                Ok((
                    AcceptorState::Done {
                        security: Box::new(sec),
                        identity: Identity::Ntlm(identity),
                    },
                    AcceptStep::Complete {
                        www_authenticate: Some(www),
                    },
                ))
            }
            AcceptorState::Done { .. } | AcceptorState::Failed => Err(AuthError::InvalidState {
                what: "negotiate step after completion or failure",
            }),
        }
    }

    fn spnego_init(
        &mut self,
        token: &[u8],
        nonces: &AcceptorNonces,
    ) -> Result<(AcceptorState, AcceptStep), AuthError> {
        let NegotiationToken::Init(init) = spnego::decode(token)? else {
            return Err(AuthError::malformed("expected a spnego negTokenInit", 0));
        };
        let first = init.mech_types.first().copied().unwrap_or(&[]);
        let has_ntlm = init.mech_types.contains(&OID_NTLM);
        if spnego::is_kerberos_oid(first) && self.kerberos.is_some() {
            if let Some(t) = init.mech_token {
                let acc = self.kerberos(t)?;
                let www = resp_header(
                    Scheme::Negotiate,
                    &NegTokenResp {
                        neg_state: Some(NegState::AcceptCompleted),
                        supported_mech: Some(first),
                        response_token: acc.response_token.as_deref(),
                        mech_list_mic: None,
                    },
                );
                let security: Box<dyn SessionSecurity + Send> = Box::new(AsMechanism {
                    mechanism: Mechanism::Spnego,
                    inner: acc.security,
                });
                return Ok((
                    AcceptorState::Done {
                        security,
                        identity: Identity::Kerberos {
                            principal: acc.principal,
                        },
                    },
                    AcceptStep::Complete {
                        www_authenticate: Some(www),
                    },
                ));
            }
        }
        if !has_ntlm {
            return Err(
                if init.mech_types.iter().any(|m| spnego::is_kerberos_oid(m)) {
                    AuthError::Unavailable {
                        mechanism: Mechanism::Kerberos,
                    }
                } else {
                    AuthError::PolicyRefused(Refusal::NoCommonMechanism)
                },
            );
        }
        let mech_types_der = init.mech_types_der.to_vec();
        let ntlm_first = first == OID_NTLM;
        let mut ntlm = NtlmAcceptor::new(self.config.ntlm.clone());
        match init.mech_token.filter(|_| ntlm_first) {
            Some(neg) => {
                let ch = ntlm.challenge(neg, nonces)?;
                let www = resp_header(
                    Scheme::Negotiate,
                    &NegTokenResp {
                        neg_state: Some(NegState::AcceptIncomplete),
                        supported_mech: Some(OID_NTLM),
                        response_token: Some(&ch),
                        mech_list_mic: None,
                    },
                );
                Ok((
                    AcceptorState::SpnegoNtlm {
                        ntlm,
                        mech_types_der,
                        mic_required: false,
                        challenged: true,
                    },
                    AcceptStep::Continue {
                        www_authenticate: www,
                    },
                ))
            }
            None => {
                // NTLM is not the initiator's first choice (or no optimistic token): select it
                // and ask for its first token; the mechListMIC becomes mandatory.
                let www = resp_header(
                    Scheme::Negotiate,
                    &NegTokenResp {
                        neg_state: Some(NegState::RequestMic),
                        supported_mech: Some(OID_NTLM),
                        response_token: None,
                        mech_list_mic: None,
                    },
                );
                Ok((
                    AcceptorState::SpnegoNtlm {
                        ntlm,
                        mech_types_der,
                        mic_required: true,
                        challenged: false,
                    },
                    AcceptStep::Continue {
                        www_authenticate: www,
                    },
                ))
            }
        }
    }

    /// Whether the handshake is complete.
    #[must_use]
    pub const fn is_complete(&self) -> bool {
        matches!(self.state, AcceptorState::Done { .. })
    }

    /// The authenticated identity, once complete.
    #[must_use]
    pub const fn identity(&self) -> Option<&Identity> {
        match &self.state {
            AcceptorState::Done { identity, .. } => Some(identity),
            _ => None,
        }
    }

    /// The session security, once complete.
    pub fn security_mut(&mut self) -> Option<&mut (dyn SessionSecurity + Send + 'static)> {
        match &mut self.state {
            AcceptorState::Done { security, .. } => Some(&mut **security),
            _ => None,
        }
    }

    /// The identity and session security of the completed handshake.
    ///
    /// # Errors
    /// [`AuthError::InvalidState`] before completion.
    pub fn into_parts(self) -> Result<(Identity, Box<dyn SessionSecurity + Send>), AuthError> {
        match self.state {
            AcceptorState::Done { security, identity } => Ok((identity, security)),
            _ => Err(AuthError::InvalidState {
                what: "negotiate handshake not complete",
            }),
        }
    }
}

/// How a [`NegotiateInitiator`] frames NTLM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitiatorMode {
    /// Raw NTLMSSP tokens under `Negotiate` (pywinrm/pypsrp style).
    RawNtlm,
    /// NTLM inside SPNEGO (Windows style), with mechListMIC.
    Spnego,
}

#[derive(Debug)]
enum InitiatorState {
    Start,
    AwaitChallenge,
    AwaitFinal,
    Done,
    Failed,
}

/// A WEF source's side of `Negotiate` authentication with NTLM (raw or inside SPNEGO).
///
/// `initial()` gives the first `Authorization` value; feed each `WWW-Authenticate` value to
/// `step()`, which returns the next `Authorization` value, if any. After the AUTHENTICATE is
/// produced the context can seal ([`NegotiateInitiator::security_mut`]) — WinRM sends it with
/// the first sealed body — and the acceptor's final SPNEGO token (mutual authentication) is
/// checked by `step()` when the response arrives.
pub struct NegotiateInitiator {
    mode: InitiatorMode,
    ntlm: Option<NtlmInitiator>,
    mech_types_der: Vec<u8>,
    security: Option<NtlmSecurity>,
    state: InitiatorState,
    limits: TokenLimits,
}

impl fmt::Debug for NegotiateInitiator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NegotiateInitiator")
            .field("mode", &self.mode)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl NegotiateInitiator {
    /// An initiator for `creds`.
    #[must_use]
    pub fn new(creds: InitiatorCredentials, mode: InitiatorMode) -> Self {
        Self {
            mode,
            ntlm: Some(NtlmInitiator::new(creds)),
            mech_types_der: spnego::encode_mech_types(&[OID_NTLM]),
            security: None,
            state: InitiatorState::Start,
            limits: TokenLimits::default(),
        }
    }

    /// Binds the NTLM authentication to the TLS channel it runs in (see
    /// [`NtlmInitiator::with_channel_bindings`]).
    #[must_use]
    pub fn with_channel_bindings(mut self, bindings: ChannelBindings) -> Self {
        self.ntlm = self.ntlm.take().map(|n| n.with_channel_bindings(bindings));
        self
    }

    /// The first `Authorization` value.
    ///
    /// # Errors
    /// [`AuthError::InvalidState`] when called twice.
    pub fn initial(&mut self) -> Result<String, AuthError> {
        if !matches!(self.state, InitiatorState::Start) {
            return Err(AuthError::InvalidState {
                what: "negotiate initial token twice",
            });
        }
        self.state = InitiatorState::Failed;
        let ntlm = self.ntlm.as_mut().ok_or(AuthError::InvalidState {
            what: "negotiate initiator consumed",
        })?;
        let neg = ntlm.negotiate()?;
        let token = match self.mode {
            InitiatorMode::RawNtlm => neg,
            InitiatorMode::Spnego => spnego::encode_init(&self.mech_types_der, Some(&neg)),
        };
        self.state = InitiatorState::AwaitChallenge;
        Ok(format_header(Scheme::Negotiate, &token))
    }

    /// Processes a `WWW-Authenticate` value; returns the next `Authorization` value, if any.
    ///
    /// # Errors
    /// Malformed tokens, a rejected negotiation, a server mechListMIC that does not verify
    /// ([`AuthError::AuthenticationFailed`]), or a call out of order.
    pub fn step(
        &mut self,
        www_authenticate: &str,
        nonces: &InitiatorNonces,
    ) -> Result<Option<String>, AuthError> {
        let state = std::mem::replace(&mut self.state, InitiatorState::Failed);
        let (scheme, token) = parse_header(www_authenticate, &self.limits)?;
        if scheme != Scheme::Negotiate {
            return Err(AuthError::malformed("expected a negotiate token", 0));
        }
        match (state, self.mode) {
            (InitiatorState::AwaitChallenge, InitiatorMode::RawNtlm) => {
                let mut ntlm = self.ntlm.take().ok_or(AuthError::InvalidState {
                    what: "negotiate initiator consumed",
                })?;
                let auth = ntlm.authenticate(&token, nonces)?;
                self.security = Some(ntlm.into_security()?);
                self.state = InitiatorState::Done;
                Ok(Some(format_header(Scheme::Negotiate, &auth)))
            }
            (InitiatorState::AwaitChallenge, InitiatorMode::Spnego) => {
                let NegotiationToken::Resp(resp) = spnego::decode(&token)? else {
                    return Err(AuthError::malformed("expected a spnego negTokenResp", 0));
                };
                if resp.neg_state == Some(NegState::Reject) {
                    return Err(AuthError::AuthenticationFailed {
                        reason: "acceptor rejected the negotiation",
                    });
                }
                if resp.supported_mech.is_some_and(|m| m != OID_NTLM) {
                    return Err(AuthError::PolicyRefused(Refusal::NoCommonMechanism));
                }
                let ch = resp.response_token.ok_or(AuthError::malformed(
                    "spnego negTokenResp without responseToken",
                    0,
                ))?;
                let mut ntlm = self.ntlm.take().ok_or(AuthError::InvalidState {
                    what: "negotiate initiator consumed",
                })?;
                let auth = ntlm.authenticate(ch, nonces)?;
                let mut sec = ntlm.into_security()?;
                sec.set_mechanism(Mechanism::Spnego);
                let mic = sec.spnego_sign_mech_list(&self.mech_types_der)?;
                self.security = Some(sec);
                self.state = InitiatorState::AwaitFinal;
                let out = NegTokenResp {
                    neg_state: None,
                    supported_mech: None,
                    response_token: Some(&auth),
                    mech_list_mic: Some(&mic),
                };
                Ok(Some(format_header(
                    Scheme::Negotiate,
                    &spnego::encode_resp(&out),
                )))
            }
            (InitiatorState::AwaitFinal, _) => {
                let NegotiationToken::Resp(resp) = spnego::decode(&token)? else {
                    return Err(AuthError::malformed("expected a spnego negTokenResp", 0));
                };
                if resp.neg_state != Some(NegState::AcceptCompleted) {
                    return Err(AuthError::AuthenticationFailed {
                        reason: "acceptor did not complete the negotiation",
                    });
                }
                let sec = self.security.as_mut().ok_or(AuthError::InvalidState {
                    what: "negotiate initiator without context",
                })?;
                let mic = resp.mech_list_mic.ok_or(AuthError::AuthenticationFailed {
                    reason: "spnego mechListMIC missing",
                })?;
                sec.spnego_verify_mech_list(&self.mech_types_der, mic)
                    .map_err(|_| AuthError::AuthenticationFailed {
                        reason: "spnego mechListMIC does not verify",
                    })?;
                self.state = InitiatorState::Done;
                Ok(None)
            }
            _ => Err(AuthError::InvalidState {
                what: "negotiate step out of order",
            }),
        }
    }

    /// Whether the handshake is complete (for SPNEGO: the acceptor's final token verified).
    #[must_use]
    pub const fn is_complete(&self) -> bool {
        matches!(self.state, InitiatorState::Done)
    }

    /// The session security, available once AUTHENTICATE was produced.
    pub fn security_mut(&mut self) -> Option<&mut NtlmSecurity> {
        self.security.as_mut()
    }

    /// The session security.
    ///
    /// # Errors
    /// [`AuthError::InvalidState`] before AUTHENTICATE was produced.
    pub fn into_security(self) -> Result<NtlmSecurity, AuthError> {
        self.security.ok_or(AuthError::InvalidState {
            what: "negotiate handshake not complete",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::ntlm::{NtHash, NtHashStore};

    fn creds(pw: &str) -> InitiatorCredentials {
        InitiatorCredentials {
            user: "u".into(),
            domain: "D".into(),
            workstation: "W".into(),
            nt_hash: NtHash::from_password(pw),
        }
    }
    const AN: AcceptorNonces = AcceptorNonces {
        server_challenge: [1; 8],
        now_filetime: 1,
    };
    const IN: InitiatorNonces = InitiatorNonces {
        client_challenge: [2; 8],
        exported_session_key: [3; 16],
        now_filetime: 1,
    };

    #[test]
    fn both_modes_end_to_end() {
        for mode in [InitiatorMode::RawNtlm, InitiatorMode::Spnego] {
            let mut store = NtHashStore::parse("D:u:pw").unwrap();
            let mut i = NegotiateInitiator::new(creds("pw"), mode);
            let mut a = NegotiateAcceptor::new(NegotiateConfig::default(), None);
            let h1 = i.initial().unwrap();
            let AcceptStep::Continue { www_authenticate } = a.step(&h1, &AN, &mut store).unwrap()
            else {
                panic!()
            };
            let h3 = i.step(&www_authenticate, &IN).unwrap().unwrap();
            let mut w = Wrapped::new();
            i.security_mut()
                .unwrap()
                .wrap_winrm(b"first", &mut w)
                .unwrap();
            let AcceptStep::Complete { www_authenticate } = a.step(&h3, &AN, &mut store).unwrap()
            else {
                panic!()
            };
            let mut out = Vec::new();
            a.security_mut()
                .unwrap()
                .unwrap_winrm(&w.header, &w.data, &mut out)
                .unwrap();
            assert_eq!(out, b"first");
            if mode == InitiatorMode::Spnego {
                assert_eq!(u32::from_le_bytes(w.header[12..].try_into().unwrap()), 1);
                assert_eq!(i.step(&www_authenticate.unwrap(), &IN).unwrap(), None);
            }
            a.security_mut()
                .unwrap()
                .wrap_winrm(b"answer", &mut w)
                .unwrap();
            out.clear();
            i.security_mut()
                .unwrap()
                .unwrap_winrm(&w.header, &w.data, &mut out)
                .unwrap();
            assert_eq!(out, b"answer");
            assert!(matches!(a.identity(), Some(Identity::Ntlm(id)) if id.user == "u"));
        }
    }

    /// Windows offers Kerberos first with an optimistic AP-REQ; without a Kerberos mechanism the
    /// acceptor selects NTLM (request-mic), and the mechListMIC becomes mandatory.
    #[test]
    fn ntlm_selected_when_kerberos_is_preferred_but_unavailable() {
        use crate::auth::ntlm::NtlmInitiator;
        let mut store = NtHashStore::parse("D:u:pw").unwrap();
        let types = spnego::encode_mech_types(&[spnego::OID_MS_KRB5, spnego::OID_KRB5, OID_NTLM]);
        let init = spnego::encode_init(&types, Some(&[0x60, 0x03, 0x06, 0x01, 0x00]));
        for send_mic in [true, false] {
            let mut a = NegotiateAcceptor::new(NegotiateConfig::default(), None);
            let AcceptStep::Continue { www_authenticate } = a
                .step(&format_header(Scheme::Negotiate, &init), &AN, &mut store)
                .unwrap()
            else {
                panic!()
            };
            let (_, t) = parse_header(&www_authenticate, &TokenLimits::default()).unwrap();
            let NegotiationToken::Resp(r) = spnego::decode(&t).unwrap() else {
                panic!()
            };
            assert_eq!(
                (r.neg_state, r.supported_mech, r.response_token),
                (Some(NegState::RequestMic), Some(OID_NTLM), None)
            );
            let mut ntlm = NtlmInitiator::new(creds("pw"));
            let neg = ntlm.negotiate().unwrap();
            let h = format_header(
                Scheme::Negotiate,
                &spnego::encode_resp(&NegTokenResp {
                    response_token: Some(&neg),
                    ..Default::default()
                }),
            );
            let AcceptStep::Continue { www_authenticate } = a.step(&h, &AN, &mut store).unwrap()
            else {
                panic!()
            };
            let (_, t) = parse_header(&www_authenticate, &TokenLimits::default()).unwrap();
            let NegotiationToken::Resp(r) = spnego::decode(&t).unwrap() else {
                panic!()
            };
            let auth = ntlm.authenticate(r.response_token.unwrap(), &IN).unwrap();
            let mut sec = ntlm.into_security().unwrap();
            let mic = sec.spnego_sign_mech_list(&types).unwrap();
            let resp = NegTokenResp {
                response_token: Some(&auth),
                mech_list_mic: send_mic.then_some(&mic[..]),
                ..Default::default()
            };
            let res = a.step(
                &format_header(Scheme::Negotiate, &spnego::encode_resp(&resp)),
                &AN,
                &mut store,
            );
            if send_mic {
                assert!(matches!(
                    res,
                    Ok(AcceptStep::Complete {
                        www_authenticate: Some(_)
                    })
                ));
            } else {
                assert_eq!(
                    res,
                    Err(AuthError::AuthenticationFailed {
                        reason: "spnego mechListMIC missing"
                    })
                );
            }
        }
    }

    #[test]
    fn kerberos_without_mechanism_is_unavailable() {
        let mut store = NtHashStore::new();
        let mut a = NegotiateAcceptor::new(NegotiateConfig::default(), None);
        let tok = format_header(
            Scheme::Kerberos,
            &[
                0x60, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02,
            ],
        );
        assert_eq!(
            a.step(&tok, &AN, &mut store),
            Err(AuthError::Unavailable {
                mechanism: Mechanism::Kerberos
            })
        );
        let spnego_krb = spnego::encode_init(
            &spnego::encode_mech_types(&[spnego::OID_KRB5]),
            Some(&[0x60, 0]),
        );
        let mut a = NegotiateAcceptor::new(NegotiateConfig::default(), None);
        assert_eq!(
            a.step(
                &format_header(Scheme::Negotiate, &spnego_krb),
                &AN,
                &mut store
            ),
            Err(AuthError::Unavailable {
                mechanism: Mechanism::Kerberos
            })
        );
    }
}

//! The NTLM handshake state machines: [`NtlmInitiator`] (a WEF source) and [`NtlmAcceptor`]
//! (the collector). Randomness and time are inputs.

use std::fmt;

use subtle::ConstantTimeEq;

use super::crypto::{NtHash, hmac_md5, rc4k, utf16le};
use super::messages::{
    Authenticate, AvPairs, Challenge, MIC_OFFSET, Negotiate, NegotiateFlags as F, Version, av,
    push_av,
};
use super::security::NtlmSecurity;
use super::store::{NtlmResponse, NtlmVerifier};
use crate::auth::{AuthError, ChannelBindings, Refusal, Role};

/// Flags this crate asks for (initiator) and offers (acceptor).
pub const DEFAULT_FLAGS: u32 = F::UNICODE
    | F::REQUEST_TARGET
    | F::SIGN
    | F::SEAL
    | F::NTLM
    | F::ALWAYS_SIGN
    | F::EXTENDED_SESSIONSECURITY
    | F::TARGET_INFO
    | F::VERSION
    | F::NEGOTIATE_128
    | F::KEY_EXCH
    | F::NEGOTIATE_56;

/// The MIC over the three messages (MS-NLMP 3.1.5.1.2), the AUTHENTICATE message with its MIC
/// field zeroed.
fn compute_mic(
    esk: &[u8; 16],
    negotiate: &[u8],
    challenge: &[u8],
    authenticate: &[u8],
) -> [u8; 16] {
    let mut zeroed = authenticate.to_vec();
    if let Some(m) = zeroed.get_mut(MIC_OFFSET..MIC_OFFSET.saturating_add(16)) {
        m.fill(0);
    }
    hmac_md5(esk, &[negotiate, challenge, &zeroed])
}

// ---------------------------------------------------------------------------------------------
// Initiator
// ---------------------------------------------------------------------------------------------

/// The initiator's account.
#[derive(Clone)]
pub struct InitiatorCredentials {
    /// User name.
    pub user: String,
    /// Domain (NetBIOS or DNS name); empty for a local account.
    pub domain: String,
    /// The client's workstation name (may be empty).
    pub workstation: String,
    /// The account's NT hash ([`NtHash::from_password`]).
    pub nt_hash: NtHash,
}

impl fmt::Debug for InitiatorCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InitiatorCredentials(..)")
    }
}

/// The random values and time the initiator needs for AUTHENTICATE (injected: the crate draws
/// no randomness and reads no clock).
#[derive(Clone, Copy)]
pub struct InitiatorNonces {
    /// ChallengeFromClient: 8 random bytes.
    pub client_challenge: [u8; 8],
    /// The random ExportedSessionKey sent encrypted under KEY_EXCH: 16 random bytes.
    pub exported_session_key: [u8; 16],
    /// Now as a Windows FILETIME (100 ns since 1601-01-01 UTC), used only when the server's
    /// CHALLENGE has no MsvAvTimestamp.
    pub now_filetime: u64,
}

impl fmt::Debug for InitiatorNonces {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InitiatorNonces(..)")
    }
}

#[derive(Debug)]
enum InitiatorState {
    Start,
    Negotiated { negotiate: Vec<u8> },
    Done,
    Failed,
}

/// NTLMv2 initiator (MS-NLMP 3.1.5): `negotiate()` → (server's CHALLENGE) → `authenticate()`
/// → [`NtlmInitiator::into_security`].
pub struct NtlmInitiator {
    creds: InitiatorCredentials,
    channel_bindings: Option<ChannelBindings>,
    flags: u32,
    state: InitiatorState,
    security: Option<NtlmSecurity>,
}

impl fmt::Debug for NtlmInitiator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NtlmInitiator")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl NtlmInitiator {
    /// An initiator for `creds` asking for [`DEFAULT_FLAGS`].
    #[must_use]
    pub const fn new(creds: InitiatorCredentials) -> Self {
        Self {
            creds,
            channel_bindings: None,
            flags: DEFAULT_FLAGS,
            state: InitiatorState::Start,
            security: None,
        }
    }

    /// Binds the authentication to the TLS channel it runs in: AUTHENTICATE then carries
    /// `MsvAvChannelBindings` = MD5 of `bindings` (without it, the pair is not sent).
    #[must_use]
    pub fn with_channel_bindings(mut self, bindings: ChannelBindings) -> Self {
        self.channel_bindings = Some(bindings);
        self
    }

    /// The NEGOTIATE message (first token).
    ///
    /// # Errors
    /// [`AuthError::InvalidState`] when called twice.
    pub fn negotiate(&mut self) -> Result<Vec<u8>, AuthError> {
        if !matches!(self.state, InitiatorState::Start) {
            return Err(AuthError::InvalidState {
                what: "ntlm negotiate after start",
            });
        }
        let msg = Negotiate {
            flags: F(self.flags),
            domain: &[],
            workstation: &[],
            version: Some(Version::WINDOWS_10),
        }
        .encode();
        self.state = InitiatorState::Negotiated {
            negotiate: msg.clone(),
        };
        Ok(msg)
    }

    /// Processes the server's CHALLENGE and returns the AUTHENTICATE message (NTLMv2, with a MIC
    /// when the server sent a timestamp). Afterwards the context is complete.
    ///
    /// # Errors
    /// Malformed CHALLENGE, or a server that does not offer what WinRM needs (sealing, extended
    /// session security, 128-bit keys).
    pub fn authenticate(
        &mut self,
        challenge: &[u8],
        nonces: &InitiatorNonces,
    ) -> Result<Vec<u8>, AuthError> {
        let InitiatorState::Negotiated { negotiate } =
            std::mem::replace(&mut self.state, InitiatorState::Failed)
        else {
            return Err(AuthError::InvalidState {
                what: "ntlm authenticate before negotiate",
            });
        };
        let ch = Challenge::decode(challenge)?;
        let flags = F(ch.flags.0 & self.flags | F::UNICODE & self.flags);
        if !flags.has(F::SEAL | F::SIGN) {
            return Err(AuthError::PolicyRefused(Refusal::NoSealing));
        }
        if !flags.has(F::EXTENDED_SESSIONSECURITY) {
            return Err(AuthError::PolicyRefused(
                Refusal::NtlmV1WithoutExtendedSessionSecurity,
            ));
        }
        if !flags.has(F::NEGOTIATE_128) {
            return Err(AuthError::PolicyRefused(Refusal::Weak56BitKeys));
        }
        let server_ts =
            AvPairs::find(ch.target_info, av::TIMESTAMP).and_then(|v| <[u8; 8]>::try_from(v).ok());
        let timestamp = server_ts.unwrap_or(nonces.now_filetime.to_le_bytes());
        let with_mic = server_ts.is_some();

        // The client's AV pairs: the server's, with MsvAvFlags (MIC present) when a MIC is sent.
        let mut pairs = Vec::with_capacity(ch.target_info.len().saturating_add(16));
        let mut flags_av = 0u32;
        for p in AvPairs::new(ch.target_info) {
            let (id, v) = p?;
            if id == av::FLAGS {
                flags_av = v.try_into().map(u32::from_le_bytes).unwrap_or(0);
            } else if id == av::CHANNEL_BINDINGS {
                // Ours, if any, is added below; a server has no business sending one.
            } else {
                push_av(&mut pairs, id, v);
            }
        }
        if with_mic {
            flags_av |= av::FLAG_MIC_PRESENT;
        }
        if flags_av != 0 {
            push_av(&mut pairs, av::FLAGS, &flags_av.to_le_bytes());
        }
        if let Some(cb) = &self.channel_bindings {
            push_av(&mut pairs, av::CHANNEL_BINDINGS, &cb.md5());
        }
        push_av(&mut pairs, av::EOL, &[]);

        let user = utf16le(&self.creds.user);
        let domain = utf16le(&self.creds.domain);
        let workstation = utf16le(&self.creds.workstation);
        let key = super::crypto::ntowfv2_raw(&self.creds.nt_hash, &user, &domain);
        let mut blob = Vec::with_capacity(32usize.saturating_add(pairs.len()));
        blob.extend_from_slice(&[1, 1, 0, 0, 0, 0, 0, 0]);
        blob.extend_from_slice(&timestamp);
        blob.extend_from_slice(&nonces.client_challenge);
        blob.extend_from_slice(&[0; 4]);
        blob.extend_from_slice(&pairs);
        blob.extend_from_slice(&[0; 4]);
        let proof = hmac_md5(&key, &[&ch.server_challenge, &blob]);
        let mut nt = proof.to_vec();
        nt.extend_from_slice(&blob);
        let lm = if with_mic {
            vec![0u8; 24]
        } else {
            let mut lm = hmac_md5(&key, &[&ch.server_challenge, &nonces.client_challenge]).to_vec();
            lm.extend_from_slice(&nonces.client_challenge);
            lm
        };
        let session_base_key = hmac_md5(&key, &[&proof]);
        let (esk, enc) = if flags.has(F::KEY_EXCH) {
            let mut enc = nonces.exported_session_key;
            rc4k(&session_base_key, &mut enc);
            (nonces.exported_session_key, enc.to_vec())
        } else {
            (session_base_key, Vec::new())
        };
        let auth = Authenticate {
            flags,
            lm_response: &lm,
            nt_response: &nt,
            domain: &domain,
            user: &user,
            workstation: &workstation,
            encrypted_session_key: &enc,
            version: Some(Version::WINDOWS_10),
            mic: with_mic.then_some([0; 16]),
        };
        let mut msg = auth.encode();
        if with_mic {
            let mic = compute_mic(&esk, &negotiate, challenge, &msg);
            if let Some(m) = msg.get_mut(MIC_OFFSET..MIC_OFFSET.saturating_add(16)) {
                m.copy_from_slice(&mic);
            }
        }
        self.security = Some(NtlmSecurity::new(Role::Initiator, flags, &esk));
        self.state = InitiatorState::Done;
        Ok(msg)
    }

    /// Whether the handshake is complete.
    #[must_use]
    pub const fn is_complete(&self) -> bool {
        matches!(self.state, InitiatorState::Done)
    }

    /// The session security of the completed context.
    ///
    /// # Errors
    /// [`AuthError::InvalidState`] before completion.
    pub fn into_security(self) -> Result<NtlmSecurity, AuthError> {
        self.security.ok_or(AuthError::InvalidState {
            what: "ntlm context not complete",
        })
    }

    /// Mutable access to the session security of the completed context (SPNEGO signs its
    /// mechListMIC with it).
    pub fn security_mut(&mut self) -> Option<&mut NtlmSecurity> {
        self.security.as_mut()
    }
}

// ---------------------------------------------------------------------------------------------
// Acceptor
// ---------------------------------------------------------------------------------------------

/// What the acceptor allows. The defaults refuse NTLMv1 and anonymous logons and require
/// sealing with 128-bit keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AcceptorPolicy {
    /// Accept NTLMv1 responses (always with extended session security). Default false.
    pub allow_ntlmv1: bool,
    /// Accept anonymous logons (a Windows source outside a domain with no credentials
    /// configured). Default false.
    pub allow_anonymous: bool,
    /// Require `NTLMSSP_NEGOTIATE_SEAL` (WinRM over HTTP needs it). Default true.
    pub require_seal: bool,
    /// Require `NTLMSSP_NEGOTIATE_128`. Default true.
    pub require_128: bool,
    /// Require a MIC when the client's MsvAvFlags announce one (always checked when announced;
    /// this refuses clients that never send one). Default false: older clients omit it.
    pub require_mic: bool,
    /// How to treat the client's channel bindings when [`AcceptorConfig::channel_bindings`] is
    /// set (a TLS connection). Default [`ChannelBindingPolicy::WhenSupported`].
    pub channel_bindings: ChannelBindingPolicy,
}

/// Extended Protection for Authentication on the acceptor: what to do with the client's
/// `MsvAvChannelBindings` when the host supplied the channel's bindings (MS-NLMP 3.2.5.1.2;
/// the same three levels as Windows' `ExtendedProtection` setting). A client value that is
/// present, not all zero and different from the channel's is always refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChannelBindingPolicy {
    /// Do not look at the client's value.
    Ignore,
    /// Check the value when the client sends one; accept clients that send none or all zeros
    /// (older or non-TLS-aware clients).
    #[default]
    WhenSupported,
    /// Refuse clients that send none or all zeros ([`Refusal::ChannelBindingsMissing`]), and
    /// NTLMv1 and anonymous logons, which cannot carry them.
    Required,
}

impl Default for AcceptorPolicy {
    fn default() -> Self {
        Self {
            allow_ntlmv1: false,
            allow_anonymous: false,
            require_seal: true,
            require_128: true,
            require_mic: false,
            channel_bindings: ChannelBindingPolicy::WhenSupported,
        }
    }
}

/// The acceptor's names, sent in the CHALLENGE's TargetInfo.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AcceptorConfig {
    /// Policy.
    pub policy: AcceptorPolicy,
    /// NetBIOS domain name (also the TargetName).
    pub nb_domain: String,
    /// NetBIOS computer name.
    pub nb_computer: String,
    /// DNS domain name.
    pub dns_domain: String,
    /// DNS computer name.
    pub dns_computer: String,
    /// The bindings of the channel this handshake runs in (set per TLS connection, for example
    /// [`ChannelBindings::tls_server_end_point`]); `None` over plain HTTP, where the client's
    /// value is not checked.
    pub channel_bindings: Option<ChannelBindings>,
}

/// Checks the client's `MsvAvChannelBindings` (`None`: not sent) against the channel's.
fn check_channel_bindings(config: &AcceptorConfig, got: Option<&[u8]>) -> Result<(), AuthError> {
    let Some(ours) = &config.channel_bindings else {
        return Ok(());
    };
    let policy = config.policy.channel_bindings;
    if policy == ChannelBindingPolicy::Ignore {
        return Ok(());
    }
    match got {
        Some(v) if v.iter().any(|&b| b != 0) => {
            if bool::from(ours.md5().ct_eq(v)) {
                Ok(())
            } else {
                Err(AuthError::AuthenticationFailed {
                    reason: "channel bindings do not match this connection",
                })
            }
        }
        _ if policy == ChannelBindingPolicy::Required => {
            Err(AuthError::PolicyRefused(Refusal::ChannelBindingsMissing))
        }
        _ => Ok(()),
    }
}

/// The server challenge and time for one CHALLENGE (injected).
#[derive(Clone, Copy)]
pub struct AcceptorNonces {
    /// ServerChallenge: 8 random bytes, fresh for every handshake.
    pub server_challenge: [u8; 8],
    /// Now as a Windows FILETIME, sent as MsvAvTimestamp (clients then send a MIC).
    pub now_filetime: u64,
}

impl fmt::Debug for AcceptorNonces {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AcceptorNonces(..)")
    }
}

/// Who authenticated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NtlmIdentity {
    /// User name as sent (empty for anonymous).
    pub user: String,
    /// Domain as sent.
    pub domain: String,
    /// Workstation as sent.
    pub workstation: String,
    /// Anonymous logon.
    pub anonymous: bool,
    /// NTLMv2 (false: NTLMv1 with extended session security, or anonymous).
    pub ntlmv2: bool,
}

#[derive(Debug)]
enum AcceptorState {
    Start,
    Challenged {
        negotiate: Vec<u8>,
        challenge: Vec<u8>,
        server_challenge: [u8; 8],
    },
    Done,
    Failed,
}

/// NTLM acceptor (MS-NLMP 3.2.5): `challenge(NEGOTIATE)` → `authenticate(AUTHENTICATE)` →
/// identity + [`NtlmSecurity`].
pub struct NtlmAcceptor {
    config: AcceptorConfig,
    state: AcceptorState,
    security: Option<NtlmSecurity>,
    identity: Option<NtlmIdentity>,
}

impl fmt::Debug for NtlmAcceptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NtlmAcceptor")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl NtlmAcceptor {
    /// A new acceptor.
    #[must_use]
    pub const fn new(config: AcceptorConfig) -> Self {
        Self {
            config,
            state: AcceptorState::Start,
            security: None,
            identity: None,
        }
    }

    /// An acceptor that already sent `challenge` in answer to `negotiate` (both the exact
    /// bytes): for hosts that keep handshake state outside the acceptor, and for verifying
    /// captured handshakes offline.
    ///
    /// # Errors
    /// Malformed NEGOTIATE or CHALLENGE.
    pub fn with_challenge(
        config: AcceptorConfig,
        negotiate: &[u8],
        challenge: &[u8],
    ) -> Result<Self, AuthError> {
        Negotiate::decode(negotiate)?;
        let ch = Challenge::decode(challenge)?;
        let state = AcceptorState::Challenged {
            negotiate: negotiate.to_vec(),
            challenge: challenge.to_vec(),
            server_challenge: ch.server_challenge,
        };
        Ok(Self {
            config,
            state,
            security: None,
            identity: None,
        })
    }

    /// Processes NEGOTIATE and returns the CHALLENGE.
    ///
    /// # Errors
    /// Malformed NEGOTIATE, a client without extended session security (refused), or a call out
    /// of order.
    pub fn challenge(
        &mut self,
        negotiate: &[u8],
        nonces: &AcceptorNonces,
    ) -> Result<Vec<u8>, AuthError> {
        if !matches!(self.state, AcceptorState::Start) {
            return Err(AuthError::InvalidState {
                what: "ntlm negotiate after start",
            });
        }
        self.state = AcceptorState::Failed;
        let neg = Negotiate::decode(negotiate)?;
        let c = neg.flags.0;
        if c & F::EXTENDED_SESSIONSECURITY == 0 {
            return Err(AuthError::PolicyRefused(
                Refusal::NtlmV1WithoutExtendedSessionSecurity,
            ));
        }
        let mut flags = F::NTLM
            | F::TARGET_INFO
            | F::VERSION
            | F::TARGET_TYPE_DOMAIN
            | F::EXTENDED_SESSIONSECURITY;
        flags |= c
            & (F::UNICODE
                | F::REQUEST_TARGET
                | F::SIGN
                | F::SEAL
                | F::ALWAYS_SIGN
                | F::NEGOTIATE_128
                | F::NEGOTIATE_56
                | F::KEY_EXCH);
        if c & F::UNICODE == 0 {
            flags |= F::OEM;
        }
        let name = |s: &str| {
            if c & F::UNICODE != 0 {
                utf16le(s)
            } else {
                s.as_bytes().to_vec()
            }
        };
        let mut info = Vec::new();
        push_av(
            &mut info,
            av::NB_DOMAIN_NAME,
            &utf16le(&self.config.nb_domain),
        );
        push_av(
            &mut info,
            av::NB_COMPUTER_NAME,
            &utf16le(&self.config.nb_computer),
        );
        push_av(
            &mut info,
            av::DNS_DOMAIN_NAME,
            &utf16le(&self.config.dns_domain),
        );
        push_av(
            &mut info,
            av::DNS_COMPUTER_NAME,
            &utf16le(&self.config.dns_computer),
        );
        push_av(&mut info, av::TIMESTAMP, &nonces.now_filetime.to_le_bytes());
        push_av(&mut info, av::EOL, &[]);
        let target_name = name(&self.config.nb_domain);
        let msg = Challenge {
            flags: F(flags),
            target_name: &target_name,
            server_challenge: nonces.server_challenge,
            target_info: &info,
            version: Some(Version::WINDOWS_10),
        }
        .encode();
        self.state = AcceptorState::Challenged {
            negotiate: negotiate.to_vec(),
            challenge: msg.clone(),
            server_challenge: nonces.server_challenge,
        };
        Ok(msg)
    }

    /// Processes AUTHENTICATE: verifies the response through `verifier` over the bytes as
    /// received, derives the keys, checks the MIC. On success the context is complete.
    ///
    /// # Errors
    /// [`AuthError::AuthenticationFailed`] (wrong password, unknown account, bad MIC),
    /// [`AuthError::PolicyRefused`], malformed messages, or the verifier's error.
    pub fn authenticate(
        &mut self,
        authenticate: &[u8],
        verifier: &mut dyn NtlmVerifier,
    ) -> Result<&NtlmIdentity, AuthError> {
        let AcceptorState::Challenged {
            negotiate,
            challenge,
            server_challenge,
        } = std::mem::replace(&mut self.state, AcceptorState::Failed)
        else {
            return Err(AuthError::InvalidState {
                what: "ntlm authenticate before challenge",
            });
        };
        let msg = Authenticate::decode(authenticate)?;
        let flags = msg.flags;
        let policy = self.config.policy;
        if policy.require_seal && !flags.has(F::SEAL) {
            return Err(AuthError::PolicyRefused(Refusal::NoSealing));
        }
        if policy.require_128 && !flags.has(F::NEGOTIATE_128) {
            return Err(AuthError::PolicyRefused(Refusal::Weak56BitKeys));
        }
        let unicode = flags.has(F::UNICODE);
        let response = NtlmResponse {
            user: msg.user,
            domain: msg.domain,
            workstation: msg.workstation,
            unicode,
            server_challenge,
            lm_response: msg.lm_response,
            nt_response: msg.nt_response,
            extended_session_security: flags.has(F::EXTENDED_SESSIONSECURITY),
        };
        let anonymous = msg.user.is_empty()
            && msg.nt_response.is_empty()
            && matches!(msg.lm_response, [] | [0]);
        let mut mic_required = false;
        let kxkey: [u8; 16] = if anonymous {
            if !policy.allow_anonymous {
                return Err(AuthError::PolicyRefused(Refusal::Anonymous));
            }
            check_channel_bindings(&self.config, None)?;
            // MS-NLMP 3.3: SessionBaseKey is Z(16) for anonymous; KeyExchangeKey follows it.
            [0; 16]
        } else if response.is_v2() {
            let blob = msg.nt_response.get(16..).unwrap_or(&[]);
            if blob.get(..2) != Some(&[1, 1][..]) {
                return Err(AuthError::malformed("ntlmv2 client blob version", 16));
            }
            let pairs = blob.get(28..).unwrap_or(&[]);
            let av_flags = AvPairs::find(pairs, av::FLAGS)
                .and_then(|v| <[u8; 4]>::try_from(v).ok())
                .map_or(0, u32::from_le_bytes);
            mic_required = av_flags & av::FLAG_MIC_PRESENT != 0;
            let key = verifier.verify(&response)?.0;
            // The pairs are covered by NTProofStr, which the verifier just checked.
            check_channel_bindings(&self.config, AvPairs::find(pairs, av::CHANNEL_BINDINGS))?;
            key
        } else if msg.nt_response.len() == 24 {
            if !policy.allow_ntlmv1 {
                return Err(AuthError::PolicyRefused(Refusal::NtlmV1));
            }
            if !flags.has(F::EXTENDED_SESSIONSECURITY) {
                return Err(AuthError::PolicyRefused(
                    Refusal::NtlmV1WithoutExtendedSessionSecurity,
                ));
            }
            let base = verifier.verify(&response)?;
            check_channel_bindings(&self.config, None)?;
            let lm8 =
                msg.lm_response
                    .get(..8)
                    .ok_or(AuthError::truncated("ntlm lm response", 0, 8))?;
            hmac_md5(&base.0, &[&server_challenge, lm8])
        } else {
            return Err(AuthError::malformed("ntlm nt response length", 20));
        };
        let esk: [u8; 16] = if flags.has(F::KEY_EXCH) {
            let mut k: [u8; 16] = msg
                .encrypted_session_key
                .try_into()
                .map_err(|_| AuthError::malformed("ntlm encrypted session key length", 52))?;
            rc4k(&kxkey, &mut k);
            k
        } else {
            kxkey
        };
        if mic_required || (policy.require_mic && !anonymous) {
            let got = msg.mic.ok_or(AuthError::malformed(
                "ntlm authenticate without mic",
                MIC_OFFSET,
            ))?;
            let want = compute_mic(&esk, &negotiate, &challenge, authenticate);
            if !bool::from(want.ct_eq(&got)) {
                return Err(AuthError::AuthenticationFailed {
                    reason: "mic does not verify",
                });
            }
        }
        self.security = Some(NtlmSecurity::new(Role::Acceptor, flags, &esk));
        self.state = AcceptorState::Done;
        Ok(self.identity.insert(NtlmIdentity {
            user: response.user_name(),
            domain: response.domain_name(),
            workstation: response.workstation_name(),
            anonymous,
            ntlmv2: response.is_v2(),
        }))
    }

    /// Whether the handshake is complete.
    #[must_use]
    pub const fn is_complete(&self) -> bool {
        matches!(self.state, AcceptorState::Done)
    }

    /// The authenticated identity, once complete.
    #[must_use]
    pub const fn identity(&self) -> Option<&NtlmIdentity> {
        self.identity.as_ref()
    }

    /// The session security of the completed context.
    ///
    /// # Errors
    /// [`AuthError::InvalidState`] before completion.
    pub fn into_security(self) -> Result<NtlmSecurity, AuthError> {
        self.security.ok_or(AuthError::InvalidState {
            what: "ntlm context not complete",
        })
    }

    /// Mutable access to the completed context's session security (SPNEGO's mechListMIC).
    pub fn security_mut(&mut self) -> Option<&mut NtlmSecurity> {
        self.security.as_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::ntlm::NtHashStore;
    use crate::auth::{SessionSecurity, Wrapped};

    fn pair(password: &str) -> (NtlmInitiator, NtlmAcceptor, NtHashStore) {
        let creds = InitiatorCredentials {
            user: "wefsource".into(),
            domain: "WEF".into(),
            workstation: "SOURCE".into(),
            nt_hash: NtHash::from_password(password),
        };
        let mut store = NtHashStore::new();
        store.insert_password("WEF", "WefSource", "right");
        (
            NtlmInitiator::new(creds),
            NtlmAcceptor::new(AcceptorConfig {
                nb_domain: "WEF".into(),
                ..Default::default()
            }),
            store,
        )
    }

    const AN: AcceptorNonces = AcceptorNonces {
        server_challenge: [7; 8],
        now_filetime: 133_000_000_000_000_000,
    };
    const IN: InitiatorNonces = InitiatorNonces {
        client_challenge: [9; 8],
        exported_session_key: [3; 16],
        now_filetime: 0,
    };

    #[test]
    fn handshake_and_seal_both_ways() {
        let (mut i, mut a, mut store) = pair("right");
        let n = i.negotiate().unwrap();
        let c = a.challenge(&n, &AN).unwrap();
        let au = i.authenticate(&c, &IN).unwrap();
        let id = a.authenticate(&au, &mut store).unwrap().clone();
        assert_eq!((id.user.as_str(), id.ntlmv2), ("wefsource", true));
        let (mut si, mut sa) = (i.into_security().unwrap(), a.into_security().unwrap());
        let mut w = Wrapped::new();
        let mut out = Vec::new();
        si.wrap_winrm(b"hello", &mut w).unwrap();
        sa.unwrap_winrm(&w.header, &w.data, &mut out).unwrap();
        sa.wrap_winrm(b"world", &mut w).unwrap();
        si.unwrap_winrm(&w.header, &w.data, &mut out).unwrap();
        assert_eq!(out, b"helloworld");
    }

    #[test]
    fn wrong_password_and_tampered_mic() {
        let (mut i, mut a, mut store) = pair("wrong");
        let c = a.challenge(&i.negotiate().unwrap(), &AN).unwrap();
        let au = i.authenticate(&c, &IN).unwrap();
        assert!(matches!(
            a.authenticate(&au, &mut store),
            Err(AuthError::AuthenticationFailed { .. })
        ));

        let (mut i, mut a, mut store) = pair("right");
        let c = a.challenge(&i.negotiate().unwrap(), &AN).unwrap();
        let mut au = i.authenticate(&c, &IN).unwrap();
        au[MIC_OFFSET] ^= 1;
        assert_eq!(
            a.authenticate(&au, &mut store).unwrap_err(),
            AuthError::AuthenticationFailed {
                reason: "mic does not verify"
            }
        );
        // Out of order and truncated.
        let (_, mut a, mut store) = pair("right");
        assert!(matches!(
            a.authenticate(&au, &mut store),
            Err(AuthError::InvalidState { .. })
        ));
        for n in 0..au.len() {
            let (mut i, mut a, mut store) = pair("right");
            let c = a.challenge(&i.negotiate().unwrap(), &AN).unwrap();
            let au = i.authenticate(&c, &IN).unwrap();
            assert!(a.authenticate(&au[..n], &mut store).is_err());
        }
    }

    #[test]
    fn anonymous_only_when_allowed() {
        // An anonymous AUTHENTICATE: empty user, empty NT response, LM = Z(1).
        let anon = Authenticate {
            flags: F(DEFAULT_FLAGS | F::ANONYMOUS),
            lm_response: &[0],
            nt_response: &[],
            domain: &[],
            user: &[],
            workstation: &[],
            encrypted_session_key: &[5; 16],
            version: Some(Version::WINDOWS_10),
            mic: None,
        }
        .encode();
        let (mut i, mut a, mut store) = pair("right");
        a.challenge(&i.negotiate().unwrap(), &AN).unwrap();
        assert_eq!(
            a.authenticate(&anon, &mut store).unwrap_err(),
            AuthError::PolicyRefused(Refusal::Anonymous)
        );
        let mut a = NtlmAcceptor::new(AcceptorConfig {
            policy: AcceptorPolicy {
                allow_anonymous: true,
                ..Default::default()
            },
            ..Default::default()
        });
        let mut i2 = pair("right").0;
        a.challenge(&i2.negotiate().unwrap(), &AN).unwrap();
        assert!(a.authenticate(&anon, &mut store).unwrap().anonymous);
        let _ = i.negotiate();
        // An anonymous logon carries no channel bindings: refused when they are required.
        let mut a = NtlmAcceptor::new(AcceptorConfig {
            policy: AcceptorPolicy {
                allow_anonymous: true,
                channel_bindings: ChannelBindingPolicy::Required,
                ..Default::default()
            },
            channel_bindings: Some(ChannelBindings::tls_server_end_point(&[1; 32])),
            ..Default::default()
        });
        a.challenge(&pair("right").0.negotiate().unwrap(), &AN)
            .unwrap();
        assert_eq!(
            a.authenticate(&anon, &mut store).unwrap_err(),
            AuthError::PolicyRefused(Refusal::ChannelBindingsMissing)
        );
    }

    #[test]
    fn channel_bindings_between_our_initiator_and_acceptor() {
        let tls = |h: u8| ChannelBindings::tls_server_end_point(&[h; 32]);
        for (client, server, policy, ok) in [
            (
                Some(tls(1)),
                Some(tls(1)),
                ChannelBindingPolicy::Required,
                true,
            ),
            (
                Some(tls(1)),
                Some(tls(2)),
                ChannelBindingPolicy::WhenSupported,
                false,
            ),
            (
                Some(tls(1)),
                Some(tls(2)),
                ChannelBindingPolicy::Ignore,
                true,
            ),
            (
                None,
                Some(tls(1)),
                ChannelBindingPolicy::WhenSupported,
                true,
            ),
            (None, Some(tls(1)), ChannelBindingPolicy::Required, false),
            (Some(tls(1)), None, ChannelBindingPolicy::Required, true),
        ] {
            let (i, _, mut store) = pair("right");
            let mut i = match client {
                Some(cb) => i.with_channel_bindings(cb),
                None => i,
            };
            let mut a = NtlmAcceptor::new(AcceptorConfig {
                policy: AcceptorPolicy {
                    channel_bindings: policy,
                    ..Default::default()
                },
                channel_bindings: server,
                ..Default::default()
            });
            let ch = a.challenge(&i.negotiate().unwrap(), &AN).unwrap();
            let auth = i.authenticate(&ch, &IN).unwrap();
            assert_eq!(a.authenticate(&auth, &mut store).is_ok(), ok, "{policy:?}");
        }
    }
}

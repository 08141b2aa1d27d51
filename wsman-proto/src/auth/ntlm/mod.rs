//! NTLM (MS-NLMP) in pure Rust: messages, the initiator and acceptor state machines, account
//! verification, and session security.
//!
//! - **Acceptor** ([`NtlmAcceptor`]): NTLMv2 by default; NTLMv1 (always with extended session
//!   security) and anonymous logons only when [`AcceptorPolicy`] allows them; sealing with
//!   128-bit keys required by default. Responses are verified over the bytes exactly as
//!   received (NTProofStr over the client blob as sent), the MIC is checked whenever the
//!   client's MsvAvFlags announce one, all comparisons are constant time. Account secrets come
//!   from an [`NtlmVerifier`]: [`NtHashStore`] (local accounts, passwords or NT hashes) or a
//!   host pass-through to a domain controller (`examples/src/ntlm_auth.rs` speaks winbind's
//!   `ntlm_auth` helper protocol). Anonymous logons use a zero session base key (MS-NLMP 3.3).
//!   Over TLS, the host sets [`AcceptorConfig::channel_bindings`] and the client's
//!   `MsvAvChannelBindings` is checked as [`ChannelBindingPolicy`] says (Extended Protection).
//! - **Initiator** ([`NtlmInitiator`]): NTLMv2 with MIC (when the server sends a timestamp),
//!   key exchange, sealing, channel bindings ([`NtlmInitiator::with_channel_bindings`]).
//! - **Session security** ([`NtlmSecurity`]): per-direction sign/seal keys, RC4 state and
//!   sequence numbers; `GSS_WrapEx` / `GSS_UnwrapEx` with 16-byte signatures (extended session
//!   security, and the NTLMv1 CRC32 form for offline decryption); replayed or out-of-order
//!   sequence numbers are [`crate::auth::AuthError::SequenceMismatch`]; a bad signature
//!   poisons the context.
//! - Randomness and time are inputs ([`AcceptorNonces`], [`InitiatorNonces`]).
//!
//! ```
//! use wsman_proto::auth::ntlm::*;
//! use wsman_proto::auth::{SessionSecurity, Wrapped};
//!
//! let mut store = NtHashStore::parse("WEF:wefsource:secret")?;
//! let mut client = NtlmInitiator::new(InitiatorCredentials {
//!     user: "wefsource".into(), domain: "WEF".into(), workstation: "SRC".into(),
//!     nt_hash: NtHash::from_password("secret"),
//! });
//! let mut server = NtlmAcceptor::new(AcceptorConfig { nb_domain: "WEF".into(), ..Default::default() });
//! let challenge = server.challenge(&client.negotiate()?, &AcceptorNonces { server_challenge: [1; 8], now_filetime: 0 })?;
//! let auth = client.authenticate(&challenge, &InitiatorNonces {
//!     client_challenge: [2; 8], exported_session_key: [3; 16], now_filetime: 0 })?;
//! assert_eq!(server.authenticate(&auth, &mut store)?.user, "wefsource");
//! let (mut c, mut s) = (client.into_security()?, server.into_security()?);
//! let mut w = Wrapped::new();
//! c.wrap_winrm(b"<soap/>", &mut w)?;
//! let mut plain = Vec::new();
//! s.unwrap_winrm(&w.header, &w.data, &mut plain)?;
//! assert_eq!(plain, b"<soap/>");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod context;
pub mod crypto;
mod kernel;
pub mod messages;
pub mod security;
pub mod store;

pub use context::{
    AcceptorConfig, AcceptorNonces, AcceptorPolicy, ChannelBindingPolicy, DEFAULT_FLAGS,
    InitiatorCredentials, InitiatorNonces, NtlmAcceptor, NtlmIdentity, NtlmInitiator,
};
pub use crypto::{Key16, NtHash};
pub use messages::{Authenticate, AvPairs, Challenge, Negotiate, NegotiateFlags, Version};
pub use security::NtlmSecurity;
pub use store::{NtHashStore, NtlmResponse, NtlmVerifier, StoreParseError};

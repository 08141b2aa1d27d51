//! Account secrets for the NTLM acceptor: the [`NtlmVerifier`] host trait, the
//! NTLMv1/NTLMv2 response checks, and [`NtHashStore`], a small in-memory NT-hash store.
//!
//! # `NtHashStore` text format
//!
//! UTF-8, one account per line; empty lines and lines starting with `#` are ignored:
//!
//! ```text
//! DOMAIN:USER:PASSWORD          # a password (pyspnego's NTLM_USER_FILE format)
//! DOMAIN:USER:$NT$<32 hex>      # an NT hash (MD4 of the UTF-16LE password)
//! :USER:...                     # empty domain: matches any domain the client sends
//! ```
//!
//! The password is everything after the second `:` (it may itself contain `:`). User and
//! domain match case-insensitively. The crate does no file I/O: the host reads the file and
//! passes its text to [`NtHashStore::parse`].

use std::collections::HashMap;
use std::fmt;

use subtle::ConstantTimeEq;

use super::crypto::{Key16, NtHash, desl, from_utf16le, hmac_md5, md4, md5, ntowfv2_raw, utf16le};
use crate::auth::AuthError;

/// The client's responses, as received, handed to an [`NtlmVerifier`].
#[derive(Clone, Copy)]
pub struct NtlmResponse<'a> {
    /// UserName field bytes as received (UTF-16LE when `unicode`).
    pub user: &'a [u8],
    /// DomainName field bytes as received.
    pub domain: &'a [u8],
    /// Workstation field bytes as received.
    pub workstation: &'a [u8],
    /// Whether the strings are UTF-16LE (`NTLMSSP_NEGOTIATE_UNICODE`) rather than OEM.
    pub unicode: bool,
    /// The ServerChallenge this acceptor sent.
    pub server_challenge: [u8; 8],
    /// LmChallengeResponse as received.
    pub lm_response: &'a [u8],
    /// NtChallengeResponse as received (24 bytes: NTLMv1; longer: NTLMv2).
    pub nt_response: &'a [u8],
    /// Whether NTLMv1 uses extended session security (the client challenge is then the first 8
    /// bytes of the LM response).
    pub extended_session_security: bool,
}

impl fmt::Debug for NtlmResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NtlmResponse")
            .field("nt_response_len", &self.nt_response.len())
            .finish_non_exhaustive()
    }
}

fn decode_name(b: &[u8], unicode: bool) -> String {
    if unicode {
        from_utf16le(b)
    } else {
        b.iter().map(|&c| char::from(c)).collect()
    }
}

impl NtlmResponse<'_> {
    /// The user name as text.
    #[must_use]
    pub fn user_name(&self) -> String {
        decode_name(self.user, self.unicode)
    }

    /// The domain name as text.
    #[must_use]
    pub fn domain_name(&self) -> String {
        decode_name(self.domain, self.unicode)
    }

    /// The workstation name as text.
    #[must_use]
    pub fn workstation_name(&self) -> String {
        decode_name(self.workstation, self.unicode)
    }

    /// Whether this is an NTLMv2 response.
    #[must_use]
    pub const fn is_v2(&self) -> bool {
        self.nt_response.len() > 24
    }

    /// Verifies the responses against an NT hash and returns the SessionBaseKey.
    ///
    /// NTLMv2 (MS-NLMP 3.3.2): `NTProofStr = HMAC_MD5(NTOWFv2, ServerChallenge ‖ blob)` over the
    /// client blob exactly as received; NTLMv1 with extended session security (3.3.1):
    /// `DESL(NTOWFv1, MD5(ServerChallenge ‖ ClientChallenge)[0..8])`. Comparisons are
    /// constant time.
    ///
    /// # Errors
    /// [`AuthError::AuthenticationFailed`] when the response does not match, or
    /// [`AuthError::Malformed`] for a response of impossible length.
    pub fn verify_with(&self, nt_hash: &NtHash) -> Result<Key16, AuthError> {
        let bad = AuthError::AuthenticationFailed {
            reason: "response does not match the account's password",
        };
        if self.is_v2() {
            let (proof, blob) = self
                .nt_response
                .split_at_checked(16)
                .ok_or(AuthError::malformed("ntlmv2 response", 0))?;
            let user = utf16le(&self.user_name());
            // Windows and pyspnego try the domain as sent; the NT hash does not depend on it.
            let domain = utf16le(&self.domain_name());
            let key = ntowfv2_raw(nt_hash, &user, &domain);
            let want = hmac_md5(&key, &[&self.server_challenge, blob]);
            if bool::from(want.ct_eq(proof)) {
                return Ok(Key16(hmac_md5(&key, &[&want])));
            }
            Err(bad)
        } else if self.nt_response.len() == 24 {
            let challenge: [u8; 8] = if self.extended_session_security {
                let cc = self.lm_response.get(..8).ok_or(AuthError::truncated(
                    "ntlmv1 client challenge",
                    0,
                    8,
                ))?;
                let h = md5(&[&self.server_challenge, cc]);
                let mut c = [0u8; 8];
                c.copy_from_slice(h.get(..8).unwrap_or(&[0; 8]));
                c
            } else {
                self.server_challenge
            };
            let want = desl(&nt_hash.0, &challenge);
            if bool::from(want.ct_eq(self.nt_response)) {
                Ok(Key16(md4(&nt_hash.0)))
            } else {
                Err(bad)
            }
        } else {
            Err(AuthError::malformed("ntlm nt response length", 0))
        }
    }
}

/// Verifies a client's NTLM responses on behalf of the acceptor and returns the
/// SessionBaseKey (the "user session key").
///
/// Implemented by [`NtHashStore`] (local accounts); hosts can implement it to pass the
/// challenge and responses through to a domain controller (for example winbind's
/// `ntlm_auth --helper-protocol=ntlm-server-1`, which answers with the user session key). The
/// call may block: the host decides.
pub trait NtlmVerifier {
    /// Checks the responses.
    ///
    /// # Errors
    /// [`AuthError::AuthenticationFailed`] for a wrong password or unknown account,
    /// [`AuthError::Backend`] when the verifier itself failed.
    fn verify(&mut self, response: &NtlmResponse<'_>) -> Result<Key16, AuthError>;
}

/// Local accounts' NT hashes, keyed by upper-cased (domain, user); an empty domain matches any.
#[derive(Clone, Default)]
pub struct NtHashStore {
    accounts: HashMap<(String, String), NtHash>,
}

impl fmt::Debug for NtHashStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NtHashStore")
            .field("accounts", &self.accounts.len())
            .finish()
    }
}

/// A line of an [`NtHashStore`] text that could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("nt hash store line {line}: {what}")]
pub struct StoreParseError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub what: &'static str,
}

impl NtHashStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an account with its password.
    pub fn insert_password(&mut self, domain: &str, user: &str, password: &str) {
        self.insert_hash(domain, user, NtHash::from_password(password));
    }

    /// Adds an account with its NT hash.
    pub fn insert_hash(&mut self, domain: &str, user: &str, hash: NtHash) {
        self.accounts
            .insert((domain.to_uppercase(), user.to_uppercase()), hash);
    }

    /// Number of accounts.
    #[must_use]
    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    /// Whether the store is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// Parses the text format described in the [module docs](self).
    ///
    /// ```
    /// use wsman_proto::auth::ntlm::NtHashStore;
    /// let store = NtHashStore::parse("WEF:wefsource:Ntlm-Source-Pw1\n:svc:$NT$f05b7cd5cc77ee113283cad15f7dea47\n")?;
    /// assert_eq!(store.len(), 2);
    /// # Ok::<(), wsman_proto::auth::ntlm::StoreParseError>(())
    /// ```
    ///
    /// # Errors
    /// [`StoreParseError`] naming the line.
    pub fn parse(text: &str) -> Result<Self, StoreParseError> {
        let mut store = Self::new();
        for (i, line) in text.lines().enumerate() {
            let n = i.saturating_add(1);
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let mut parts = line.splitn(3, ':');
            let (Some(domain), Some(user), Some(secret)) =
                (parts.next(), parts.next(), parts.next())
            else {
                return Err(StoreParseError {
                    line: n,
                    what: "expected DOMAIN:USER:SECRET",
                });
            };
            if user.is_empty() {
                return Err(StoreParseError {
                    line: n,
                    what: "empty user name",
                });
            }
            if let Some(h) = secret.strip_prefix("$NT$") {
                let mut hash = [0u8; 16];
                hex_decode(h, &mut hash).ok_or(StoreParseError {
                    line: n,
                    what: "nt hash is not 32 hex digits",
                })?;
                store.insert_hash(domain, user, NtHash(hash));
            } else {
                store.insert_password(domain, user, secret);
            }
        }
        Ok(store)
    }

    fn lookup(&self, domain: &str, user: &str) -> Option<&NtHash> {
        let user = user.to_uppercase();
        self.accounts
            .get(&(domain.to_uppercase(), user.clone()))
            .or_else(|| self.accounts.get(&(String::new(), user)))
    }
}

fn hex_decode(s: &str, out: &mut [u8; 16]) -> Option<()> {
    let b = s.trim().as_bytes();
    if b.len() != 32 {
        return None;
    }
    for (o, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
        let s = std::str::from_utf8(pair).ok()?;
        *o = u8::from_str_radix(s, 16).ok()?;
    }
    Some(())
}

impl NtlmVerifier for NtHashStore {
    fn verify(&mut self, response: &NtlmResponse<'_>) -> Result<Key16, AuthError> {
        let hash = self
            .lookup(&response.domain_name(), &response.user_name())
            .ok_or(AuthError::AuthenticationFailed {
                reason: "unknown account",
            })?;
        response.verify_with(hash)
    }
}

impl<T: NtlmVerifier + ?Sized> NtlmVerifier for &mut T {
    fn verify(&mut self, response: &NtlmResponse<'_>) -> Result<Key16, AuthError> {
        (**self).verify(response)
    }
}

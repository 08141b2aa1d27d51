//! A pass-through [`NtlmVerifier`] that asks a domain controller, through Samba winbind's
//! `ntlm_auth --helper-protocol=ntlm-server-1` (the protocol FreeRADIUS and Squid use).
//!
//! The collector's NTLM acceptor hands the verifier the server challenge and the client's
//! responses exactly as received; `ntlm_auth` checks them against the domain (NETLOGON) and
//! answers with the user session key, from which the acceptor derives the sealing keys. This is
//! I/O, so it lives here in `examples/`, not in the sans-IO core.
//!
//! One request (lines, terminated by `.`):
//!
//! ```text
//! Username: <user>
//! NT-Domain: <domain>
//! LANMAN-Challenge: <hex>
//! NT-Response: <hex>
//! LANMAN-Response: <hex>
//! Request-User-Session-Key: Yes
//! .
//! ```
//!
//! Answer: `Authenticated: Yes` and `User-Session-Key: <hex>`, or `Authenticated: No` with
//! `Authentication-Error: <text>`, then `.`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use wsman_proto::auth::ntlm::{Key16, NtlmResponse, NtlmVerifier};
use wsman_proto::auth::{AuthError, GssError};

/// `ntlm_auth` (or a compatible program) as a long-running helper.
pub struct NtlmAuthHelper {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl std::fmt::Debug for NtlmAuthHelper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NtlmAuthHelper")
            .field("pid", &self.child.id())
            .finish()
    }
}

fn backend(msg: String) -> AuthError {
    AuthError::Backend(GssError::new(msg))
}

impl NtlmAuthHelper {
    /// Starts `program args…` (normally `ntlm_auth --helper-protocol=ntlm-server-1`).
    ///
    /// # Errors
    /// When the program cannot be started.
    pub fn spawn(program: &str, args: &[&str]) -> std::io::Result<Self> {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("no stdin"))?;
        let stdout = BufReader::new(
            child
                .stdout
                .take()
                .ok_or_else(|| std::io::Error::other("no stdout"))?,
        );
        Ok(Self {
            child,
            stdin,
            stdout,
        })
    }

    /// Starts winbind's `ntlm_auth` in server mode.
    ///
    /// # Errors
    /// When `ntlm_auth` cannot be started.
    pub fn winbind() -> std::io::Result<Self> {
        Self::spawn("ntlm_auth", &["--helper-protocol=ntlm-server-1"])
    }
}

impl Drop for NtlmAuthHelper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl NtlmVerifier for NtlmAuthHelper {
    fn verify(&mut self, r: &NtlmResponse<'_>) -> Result<Key16, AuthError> {
        let user = r.user_name();
        let domain = r.domain_name();
        if user.contains(['\n', '\r']) || domain.contains(['\n', '\r']) {
            return Err(AuthError::malformed(
                "ntlm user or domain name with a line break",
                0,
            ));
        }
        let req = format!(
            "Username: {user}\nNT-Domain: {domain}\nLANMAN-Challenge: {}\nNT-Response: {}\nLANMAN-Response: {}\nRequest-User-Session-Key: Yes\n.\n",
            hex::encode(r.server_challenge),
            hex::encode(r.nt_response),
            hex::encode(r.lm_response),
        );
        self.stdin
            .write_all(req.as_bytes())
            .and_then(|()| self.stdin.flush())
            .map_err(|e| backend(format!("ntlm_auth write: {e}")))?;
        let (mut ok, mut key, mut error) = (None, None, None);
        loop {
            let mut line = String::new();
            let n = self
                .stdout
                .read_line(&mut line)
                .map_err(|e| backend(format!("ntlm_auth read: {e}")))?;
            if n == 0 {
                return Err(backend("ntlm_auth exited".into()));
            }
            let line = line.trim_end();
            if line == "." {
                break;
            }
            // `Name: value`, or `Name:: base64` (ignored here).
            if let Some((k, v)) = line.split_once(": ") {
                match k {
                    "Authenticated" => ok = Some(v == "Yes"),
                    "User-Session-Key" => {
                        key = hex::decode(v)
                            .ok()
                            .and_then(|k| <[u8; 16]>::try_from(k).ok())
                    }
                    "Authentication-Error" => error = Some(v.to_owned()),
                    _ => {}
                }
            }
        }
        match (ok, key) {
            (Some(true), Some(k)) => Ok(Key16(k)),
            (Some(true), None) => Err(backend("ntlm_auth gave no user session key".into())),
            (Some(false), _) => {
                // The error text can name the account: keep it out of our messages.
                let _ = error;
                Err(AuthError::AuthenticationFailed {
                    reason: "domain controller refused the response",
                })
            }
            (None, _) => Err(backend("ntlm_auth answered without Authenticated".into())),
        }
    }
}

//! Kerberos: RFC 3961/3962/4757 crypto and RFC 4121/4757 wrap tokens in pure Rust, and (with
//! the `kerberos` feature) contexts through the system GSSAPI.
//!
//! # Offline (always built, no C library)
//!
//! - [`Key`] / [`Enctype`]: AES128-CTS-HMAC-SHA1-96 (17), AES256-CTS-HMAC-SHA1-96 (18) and
//!   RC4-HMAC (23): string-to-key, encrypt/decrypt with a key usage, keyed checksums, PRF and
//!   CF2 (RFC 3961 simplified profile, RFC 3962, RFC 4757, RFC 6113).
//! - [`OfflineKerberos`]: a [`SessionSecurity`](crate::auth::SessionSecurity) from a known key
//!   that wraps and unwraps WinRM messages exactly as Windows lays them out, so captured traffic
//!   can be decrypted (`wefkit decrypt kerberos`) and tests run without a KDC.
//!
//! # GSSAPI (`kerberos` feature)
//!
//! `gss` (re-exported here when the feature is on): an acceptor from a keytab, an initiator
//! from a credential cache, client keytab or password, and the established context as a
//! `SessionSecurity` using `gss_wrap_iov` / `gss_unwrap_iov` for the Windows header/data split.
//! This part links the system GSSAPI (MIT krb5) and therefore does I/O (keytab, KDC); it is
//! the one exception to the crate's sans-IO rule and is off by default.

mod crypto;
mod session;
mod token;

#[cfg(feature = "kerberos")]
mod gss;

pub use crypto::{DEFAULT_AES_ITERATIONS, Enctype, Key, MAX_AES_ITERATIONS};
pub use session::{FillRandom, OfflineConfig, OfflineKerberos};
pub use token::WINDOWS_RRC;

#[cfg(feature = "kerberos")]
pub use gss::*;

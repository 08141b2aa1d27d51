//! [`NullSecurity`]: a deterministic, crypto-free [`SessionSecurity`] so property tests and
//! fuzzers reach the code behind decryption (the role rustls's fuzzing provider plays).

use wsman_proto::auth::{AuthError, Mechanism, SessionSecurity, Wrapped};

/// Header magic of a [`NullSecurity`] message.
pub const MAGIC: &[u8; 4] = b"NULL";

/// "Seals" by copying: header = `NULL` ‖ sequence number (u32 LE) ‖ 8 zero bytes (16 bytes, like
/// NTLM), data = the plaintext. Unwrap accepts any 16-byte header starting with `NULL` (it does
/// not check the sequence number, so fuzzers get through) and returns the data.
#[derive(Clone, Debug)]
pub struct NullSecurity {
    mechanism: Mechanism,
    seq: u32,
    /// Padding bytes to report (and append) on wrap, like RC4 Kerberos' 1 byte; 0 by default.
    pub padding: usize,
}

impl NullSecurity {
    /// A null context reporting `mechanism` (decides the multipart protocol).
    #[must_use]
    pub const fn new(mechanism: Mechanism) -> Self {
        Self {
            mechanism,
            seq: 0,
            padding: 0,
        }
    }
}

impl Default for NullSecurity {
    fn default() -> Self {
        Self::new(Mechanism::Spnego)
    }
}

impl SessionSecurity for NullSecurity {
    fn mechanism(&self) -> Mechanism {
        self.mechanism
    }

    fn wrap_winrm(&mut self, plain: &[u8], out: &mut Wrapped) -> Result<(), AuthError> {
        out.clear();
        out.header.extend_from_slice(MAGIC);
        out.header.extend_from_slice(&self.seq.to_le_bytes());
        out.header.extend_from_slice(&[0; 8]);
        out.data.extend_from_slice(plain);
        out.data.resize(plain.len().saturating_add(self.padding), 0);
        out.padding_len = self.padding;
        self.seq = self.seq.wrapping_add(1);
        Ok(())
    }

    fn unwrap_winrm(
        &mut self,
        header: &[u8],
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), AuthError> {
        if header.len() != 16 {
            return Err(AuthError::malformed("null security header length", 0));
        }
        if !header.starts_with(MAGIC) {
            return Err(AuthError::BadSignature {
                mechanism: self.mechanism,
            });
        }
        let keep = data.len().saturating_sub(self.padding);
        out.extend_from_slice(data.get(..keep).unwrap_or(data));
        Ok(())
    }
}

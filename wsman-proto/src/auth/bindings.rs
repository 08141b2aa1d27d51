//! Channel bindings (Extended Protection for Authentication): tying an authentication to the
//! TLS channel it runs in, so a man in the middle who terminates TLS cannot relay it.
//!
//! Over HTTPS a Windows client hashes the GSS-API channel bindings of its TLS connection into
//! the NTLMv2 `MsvAvChannelBindings` AV pair (MS-NLMP 2.2.2.1, 3.1.5.1.2), inside the part of
//! the response its password key protects. For TLS the bindings carry only application data,
//! `tls-server-end-point:` followed by the hash of the server's certificate (RFC 5929 4.1;
//! RFC 5056). The acceptor computes the same value from the certificate it presented and
//! compares (MS-NLMP 3.2.5.1.2); how strictly is the acceptor policy's
//! [`ChannelBindingPolicy`](crate::auth::ntlm::ChannelBindingPolicy). Kerberos carries the same
//! hash in the authenticator's checksum (RFC 4121 4.1.1.2), checked by GSSAPI: with the
//! `kerberos` feature, `GssAcceptor::with_channel_bindings`, `GssKerberos::with_channel_bindings`
//! and `GssInitiator::with_channel_bindings`.

use md5::{Digest, Md5};

/// GSS-API channel bindings (RFC 2744 3.11, flattened as MS-NLMP and RFC 4121 4.1.1.2 hash
/// them). Only `application_data` is used for TLS; the addresses exist for completeness.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelBindings {
    /// `initiator_addrtype`.
    pub initiator_addrtype: u32,
    /// `initiator_address`.
    pub initiator_address: Vec<u8>,
    /// `acceptor_addrtype`.
    pub acceptor_addrtype: u32,
    /// `acceptor_address`.
    pub acceptor_address: Vec<u8>,
    /// `application_data`.
    pub application_data: Vec<u8>,
}

impl ChannelBindings {
    /// The `tls-server-end-point` bindings of RFC 5929 4.1 for a server certificate whose hash
    /// the host computed: SHA-256 of the DER certificate when the certificate's signature
    /// algorithm uses MD5 or SHA-1, else the hash function of its signature algorithm (for
    /// example SHA-384 for `ecdsa-with-SHA384`).
    ///
    /// ```
    /// use wsman_proto::auth::ChannelBindings;
    /// let cb = ChannelBindings::tls_server_end_point(&[0xAB; 32]);
    /// assert!(cb.application_data.starts_with(b"tls-server-end-point:"));
    /// assert_eq!(cb.application_data.len(), 21 + 32);
    /// ```
    #[must_use]
    pub fn tls_server_end_point(certificate_hash: &[u8]) -> Self {
        let mut application_data = b"tls-server-end-point:".to_vec();
        application_data.extend_from_slice(certificate_hash);
        Self {
            application_data,
            ..Self::default()
        }
    }

    /// The flattened structure: each address type as a little-endian `u32`, each buffer as
    /// its little-endian `u32` length followed by its bytes.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            20usize
                .saturating_add(self.initiator_address.len())
                .saturating_add(self.acceptor_address.len())
                .saturating_add(self.application_data.len()),
        );
        out.extend_from_slice(&self.initiator_addrtype.to_le_bytes());
        push_buffer(&mut out, &self.initiator_address);
        out.extend_from_slice(&self.acceptor_addrtype.to_le_bytes());
        push_buffer(&mut out, &self.acceptor_address);
        push_buffer(&mut out, &self.application_data);
        out
    }

    /// MD5 of [`Self::to_bytes`]: the `MsvAvChannelBindings` value NTLM carries.
    #[must_use]
    pub fn md5(&self) -> [u8; 16] {
        Md5::digest(self.to_bytes()).into()
    }
}

/// A buffer of the flattened structure: little-endian `u32` length, then the bytes.
fn push_buffer(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&u32::try_from(b.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(b);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_hash() {
        let cb = ChannelBindings::tls_server_end_point(&[1, 2, 3]);
        let bytes = cb.to_bytes();
        assert_eq!(&bytes[..16], &[0; 16]);
        assert_eq!(&bytes[16..20], &24u32.to_le_bytes());
        assert_eq!(&bytes[20..], b"tls-server-end-point:\x01\x02\x03");
        assert_eq!(cb.md5(), <[u8; 16]>::from(Md5::digest(&bytes)));
        let full = ChannelBindings {
            initiator_addrtype: 2,
            initiator_address: vec![127, 0, 0, 1],
            acceptor_addrtype: 2,
            acceptor_address: vec![10, 0, 0, 1],
            application_data: vec![9],
        };
        assert_eq!(
            full.to_bytes(),
            [
                &[2, 0, 0, 0, 4, 0, 0, 0, 127, 0, 0, 1][..],
                &[2, 0, 0, 0, 4, 0, 0, 0, 10, 0, 0, 1],
                &[1, 0, 0, 0, 9]
            ]
            .concat()
        );
    }
}

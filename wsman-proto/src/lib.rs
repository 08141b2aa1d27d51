//! Sans-IO WS-Management for Windows Event Forwarding.
//!
//! This crate will hold the SOAP 1.2 / WS-Management envelope codec, the typed messages of
//! Windows Event Forwarding (MS-WSMV) in both directions, subscriptions, NTLM / SPNEGO /
//! Kerberos authentication, `multipart/encrypted` session framing, and the collector and source
//! state machines. It does no I/O: bytes and time come in, bytes and events come out.
#![forbid(unsafe_code)]

pub mod auth;
pub mod framing;

//! ECMA-321 Streaming Lossless Data Compression (SLDC).
//!
//! This crate will hold a conforming ECMA-321 decoder (streaming and one-shot, with an output
//! bound), a decoder for the body framing Windows WinRM clients send with
//! `Content-Encoding: SLDC`, and a compressor for both framings. It is sans-IO, `no_std` with an
//! optional `alloc` feature, and has no unsafe code.
#![no_std]
#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
extern crate alloc;

//! Rendered Windows event XML, parsed losslessly.
//!
//! This crate will parse one rendered `<Event>` document (or the events inside a WS-Management
//! `Events` body) into a lossless typed record that borrows from its input, report what it had
//! to repair, and project the record into JSON profiles (`canonical`, `openwec`, `nxlog`, `ecs`,
//! `flat`). It is sans-IO and has no unsafe code.
#![forbid(unsafe_code)]

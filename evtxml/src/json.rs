//! A small, fast JSON writer into a caller-owned `Vec<u8>`.
//!
//! Every profile writes through [`JsonWriter`]; it never builds an intermediate tree. The writer
//! tracks only whether a comma is due, so it is the caller's job to pair `begin_*`/`end_*` and to
//! write a key before each value inside an object. Keys are written in the order of the calls:
//! that is how profiles keep a stable key order.
//!
//! # API (for profile authors)
//!
//! ```
//! use evtxml::json::JsonWriter;
//! let mut out = Vec::new();
//! let mut w = JsonWriter::new(&mut out);
//! w.begin_object();
//! w.key("event");
//! w.begin_object();
//! w.field_str("code", "4624");            // "code":"4624"
//! w.field_u64("pid", 4);                  // "pid":4
//! w.field_opt_str("absent", None);        // nothing written
//! w.key("category");
//! w.begin_array();
//! w.str("authentication");
//! w.end_array();
//! w.end_object();
//! w.field_bool("ok", true);
//! w.key("n");
//! w.null();
//! w.end_object();
//! assert_eq!(
//!     std::str::from_utf8(&out).unwrap(),
//!     r#"{"event":{"code":"4624","pid":4,"category":["authentication"]},"ok":true,"n":null}"#
//! );
//! ```
//!
//! - `begin_object`/`end_object`, `begin_array`/`end_array`: containers.
//! - `key(k)`: an object key (escaped); the next call writes its value.
//! - values: `str`, `u64`, `i64`, `bool`, `null`, `raw` (pre-serialized JSON, written as is).
//! - `field_*(k, v)`: `key(k)` then the value; `field_opt_*` write nothing for `None`.
//! - `str_parts(&[..])`: one string value from several pieces (no concatenation buffer).

/// Writes JSON tokens into a `Vec<u8>`; see the [module docs](self).
#[derive(Debug)]
pub struct JsonWriter<'o> {
    out: &'o mut Vec<u8>,
    comma: bool,
}

impl<'o> JsonWriter<'o> {
    /// A writer appending to `out`.
    pub fn new(out: &'o mut Vec<u8>) -> Self {
        Self { out, comma: false }
    }

    /// Where the writer stands, to [`rollback`](Self::rollback) to.
    pub(crate) fn mark(&self) -> (usize, bool) {
        (self.out.len(), self.comma)
    }

    /// Takes back what was written since `mark`.
    pub(crate) fn rollback(&mut self, mark: (usize, bool)) {
        self.out.truncate(mark.0);
        self.comma = mark.1;
    }

    /// The bytes written so far (including what `out` held before).
    pub fn as_bytes(&self) -> &[u8] {
        self.out
    }

    #[inline]
    fn sep(&mut self) {
        if self.comma {
            self.out.push(b',');
        }
    }

    /// [`sep`](Self::sep) and the opening quote of a key or string, in one write.
    #[inline(always)]
    fn open_quote(&mut self) {
        if self.comma {
            self.out.extend_from_slice(b",\"");
        } else {
            self.out.push(b'"');
        }
    }

    /// `{`.
    #[inline]
    pub fn begin_object(&mut self) {
        if self.comma {
            self.out.extend_from_slice(b",{");
        } else {
            self.out.push(b'{');
        }
        self.comma = false;
    }

    /// `}`.
    #[inline]
    pub fn end_object(&mut self) {
        self.out.push(b'}');
        self.comma = true;
    }

    /// `[`.
    #[inline]
    pub fn begin_array(&mut self) {
        self.sep();
        self.out.push(b'[');
        self.comma = false;
    }

    /// `]`.
    #[inline]
    pub fn end_array(&mut self) {
        self.out.push(b']');
        self.comma = true;
    }

    /// An object key; the next call must write its value.
    #[inline]
    pub fn key(&mut self, k: &str) {
        self.sep();
        escape_into(self.out, k);
        self.out.push(b':');
        self.comma = false;
    }

    /// A string value.
    #[inline]
    pub fn str(&mut self, v: &str) {
        self.sep();
        escape_into(self.out, v);
        self.comma = true;
    }

    /// One string value made of several pieces.
    pub fn str_parts(&mut self, parts: &[&str]) {
        self.sep();
        self.out.push(b'"');
        for p in parts {
            escape_body(self.out, p);
        }
        self.out.push(b'"');
        self.comma = true;
    }

    /// An unsigned number.
    #[inline]
    pub fn u64(&mut self, v: u64) {
        self.sep();
        write_u64(self.out, v);
        self.comma = true;
    }

    /// A signed number.
    pub fn i64(&mut self, v: i64) {
        self.sep();
        if v < 0 {
            self.out.push(b'-');
        }
        write_u64(self.out, v.unsigned_abs());
        self.comma = true;
    }

    /// `true` or `false`.
    pub fn bool(&mut self, v: bool) {
        self.sep();
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        self.comma = true;
    }

    /// `null`.
    pub fn null(&mut self) {
        self.sep();
        self.out.extend_from_slice(b"null");
        self.comma = true;
    }

    /// Pre-serialized JSON (a number literal, a whole object…), written verbatim.
    pub fn raw(&mut self, json: &str) {
        self.sep();
        self.out.extend_from_slice(json.as_bytes());
        self.comma = true;
    }

    /// `"k":"v"`.
    #[inline]
    pub fn field_str(&mut self, k: &str, v: &str) {
        let (kb, vb) = (k.as_bytes(), v.as_bytes());
        if crate::swar::json_plain(kb) {
            // A plain key (the usual case): one reservation, the value copied as is or escaped
            // from the first byte the scan finds.
            let plain = crate::swar::json_plain(vb);
            self.out
                .reserve(kb.len().saturating_add(vb.len()).saturating_add(8));
            self.open_quote();
            append(self.out, kb);
            self.out.extend_from_slice(b"\":\"");
            if plain {
                append(self.out, vb);
            } else {
                escape_rest(self.out, vb);
            }
            self.out.push(b'"');
            self.comma = true;
        } else {
            self.key(k);
            self.str(v);
        }
    }

    /// `"k":"v"` when `v` is `Some`.
    #[inline]
    pub fn field_opt_str(&mut self, k: &str, v: Option<&str>) {
        if let Some(v) = v {
            self.field_str(k, v);
        }
    }

    /// `"k":n`.
    #[inline]
    pub fn field_u64(&mut self, k: &str, v: u64) {
        self.key(k);
        self.u64(v);
    }

    /// `"k":n` when `v` is `Some`.
    #[inline]
    pub fn field_opt_u64(&mut self, k: &str, v: Option<u64>) {
        if let Some(v) = v {
            self.field_u64(k, v);
        }
    }

    /// `"k":n` (signed).
    pub fn field_i64(&mut self, k: &str, v: i64) {
        self.key(k);
        self.i64(v);
    }

    /// `"k":true|false`.
    pub fn field_bool(&mut self, k: &str, v: bool) {
        self.key(k);
        self.bool(v);
    }
}

/// Keys written from string literals that need no escaping (checked in debug builds): the
/// profiles' fixed field names, written without scanning.
impl JsonWriter<'_> {
    #[inline(always)]
    pub(crate) fn lit_key(&mut self, k: &'static str) {
        debug_assert!(
            !k.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'),
            "literal key needs escaping"
        );
        self.lit_key_run(k, b":");
        self.comma = false;
    }

    /// `"k":{` for a literal key that needs no escaping: [`lit_key`](Self::lit_key) and
    /// [`begin_object`](JsonWriter::begin_object) in one write.
    #[inline(always)]
    pub(crate) fn lit_key_object(&mut self, k: &'static str) {
        debug_assert!(
            !k.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'),
            "literal key needs escaping"
        );
        self.lit_key_run(k, b":{");
        self.comma = false;
    }

    /// `,"k"` (the comma when due) + `tail`, for a literal `k`: assembled in a buffer whose
    /// length is known at compile time once inlined, and appended in one write.
    #[inline(always)]
    fn lit_key_run(&mut self, k: &'static str, tail: &'static [u8]) {
        let (kb, n, t) = (k.as_bytes(), k.len(), tail.len());
        let mut buf = [0u8; 64];
        let total = n.wrapping_add(t).wrapping_add(3);
        if let Some((head, Some((body, rest)))) = buf
            .split_at_mut_checked(2)
            .map(|(head, rest)| (head, rest.split_at_mut_checked(n)))
            .filter(|_| total <= 64)
        {
            head.copy_from_slice(b",\"");
            body.copy_from_slice(kb);
            if let Some((q, rest)) = rest.split_first_mut() {
                *q = b'"';
                if let Some(d) = rest.get_mut(..t) {
                    d.copy_from_slice(tail);
                }
            }
            // One copy per branch, each of a length known at compile time once inlined, so
            // neither becomes a call to `memcpy`.
            if self.comma {
                self.out
                    .extend_from_slice(buf.get(..total).unwrap_or_default());
            } else {
                self.out
                    .extend_from_slice(buf.get(1..total).unwrap_or_default());
            }
        } else {
            self.open_quote();
            append(self.out, kb);
            self.out.push(b'"');
            self.out.extend_from_slice(tail);
        }
    }

    #[inline(always)]
    pub(crate) fn lit_field_str(&mut self, k: &'static str, v: &str) {
        debug_assert!(
            !k.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'),
            "literal key needs escaping"
        );
        self.out
            .reserve(k.len().saturating_add(v.len()).saturating_add(6));
        self.lit_key_run(k, b":\"");
        escape_body(self.out, v);
        self.out.push(b'"');
        self.comma = true;
    }

    /// A string value from a literal that needs no escaping (checked in debug builds): copied
    /// without scanning.
    #[inline(always)]
    pub(crate) fn lit_str(&mut self, v: &'static str) {
        debug_assert!(
            !v.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'),
            "literal value needs escaping"
        );
        self.out.reserve(v.len().saturating_add(2));
        self.open_quote();
        append(self.out, v.as_bytes());
        self.out.push(b'"');
        self.comma = true;
    }

    /// `"k":"v"` from a literal key and a literal value, neither needing escaping (checked in
    /// debug builds): copied without scanning.
    #[inline(always)]
    pub(crate) fn lit_field_lit(&mut self, k: &'static str, v: &'static str) {
        debug_assert!(
            !k.bytes()
                .chain(v.bytes())
                .any(|b| b < 0x20 || b == b'"' || b == b'\\'),
            "literal key or value needs escaping"
        );
        self.lit_key_run(k, b":\"");
        append(self.out, v.as_bytes());
        self.out.push(b'"');
        self.comma = true;
    }

    /// [`lit_field_lit`](Self::lit_field_lit) when `v` is `Some`.
    #[inline(always)]
    pub(crate) fn lit_field_opt_lit(&mut self, k: &'static str, v: Option<&'static str>) {
        if let Some(v) = v {
            self.lit_field_lit(k, v);
        }
    }

    #[inline(always)]
    pub(crate) fn lit_field_opt_str(&mut self, k: &'static str, v: Option<&str>) {
        if let Some(v) = v {
            self.lit_field_str(k, v);
        }
    }

    #[inline(always)]
    pub(crate) fn lit_field_u64(&mut self, k: &'static str, v: u64) {
        self.lit_key(k);
        self.u64(v);
    }

    /// `{"Name":"n","Value":"v"}` (`"Name"` left out for `None`), as `begin_object`,
    /// `lit_field_opt_str`, `lit_field_str` and `end_object` would write it.
    #[inline]
    pub(crate) fn name_value_object(&mut self, name: Option<&str>, value: &str) {
        if let Some(n) = name {
            let (nb, vb) = (n.as_bytes(), value.as_bytes());
            if crate::swar::json_plain(nb) {
                // A plain name (the usual case): one reservation, the value copied as is or
                // escaped from the first byte the scan finds.
                let plain = crate::swar::json_plain(vb);
                self.sep();
                self.out
                    .reserve(nb.len().saturating_add(vb.len()).saturating_add(32));
                self.out.extend_from_slice(b"{\"Name\":\"");
                append(self.out, nb);
                self.out.extend_from_slice(b"\",\"Value\":\"");
                if plain {
                    append(self.out, vb);
                } else {
                    escape_rest(self.out, vb);
                }
                self.out.extend_from_slice(b"\"}");
                self.comma = true;
                return;
            }
        }
        self.sep();
        match name {
            Some(n) => {
                self.out.extend_from_slice(b"{\"Name\":");
                escape_into(self.out, n);
                self.out.extend_from_slice(b",\"Value\":");
            }
            None => self.out.extend_from_slice(b"{\"Value\":"),
        }
        escape_into(self.out, value);
        self.out.push(b'}');
        self.comma = true;
    }

    /// The key `paramN` (an unnamed `EventData` item's), written without formatting.
    pub(crate) fn param_key(&mut self, n: u64) {
        self.sep();
        self.out.extend_from_slice(b"\"param");
        write_u64(self.out, n);
        self.out.extend_from_slice(b"\":");
        self.comma = false;
    }

    #[inline(always)]
    pub(crate) fn lit_field_opt_u64(&mut self, k: &'static str, v: Option<u64>) {
        if let Some(v) = v {
            self.lit_field_u64(k, v);
        }
    }
}

/// Appends `b` to `out` like `extend_from_slice`, but for up to 32 bytes with at most two
/// copies of a length fixed at compile time (overlapping when `b` is shorter than twice their
/// size) and a truncation, so that the many short keys and values of an event do not each go
/// through `memcpy`'s size dispatch. Longer slices take `extend_from_slice`.
#[inline(always)]
pub(crate) fn append(out: &mut Vec<u8>, b: &[u8]) {
    let n = b.len();
    let end = out.len().wrapping_add(n);
    if n >= 16 {
        if let (true, Some(h), Some(t)) = (n <= 32, b.first_chunk::<16>(), b.last_chunk::<16>()) {
            out.extend_from_slice(h);
            out.truncate(end.wrapping_sub(16));
            out.extend_from_slice(t);
        } else {
            out.extend_from_slice(b);
        }
    } else if let (Some(h), Some(t)) = (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        out.extend_from_slice(h);
        out.truncate(end.wrapping_sub(8));
        out.extend_from_slice(t);
    } else if let (Some(h), Some(t)) = (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        out.extend_from_slice(h);
        out.truncate(end.wrapping_sub(4));
        out.extend_from_slice(t);
    } else if let Some(&first) = b.first() {
        // 1 to 3 bytes: the first, middle and last bytes cover them all.
        let mid = b.get(n / 2).copied().unwrap_or(first);
        let last = b.last().copied().unwrap_or(first);
        out.extend_from_slice(&[first, mid, last]);
        out.truncate(end);
    }
}

fn write_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i = i.saturating_sub(1);
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0'.wrapping_add(u8::try_from(v % 10).unwrap_or(0));
        }
        v /= 10;
        if v == 0 || i == 0 {
            break;
        }
    }
    append(out, buf.get(i..).unwrap_or_default());
}

/// Appends `s` as a quoted JSON string.
#[inline]
pub fn escape_into(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len().saturating_add(2));
    out.push(b'"');
    if crate::swar::json_plain(bytes) {
        // The usual case: nothing to escape, one copy.
        append(out, bytes);
    } else {
        escape_rest(out, bytes);
    }
    out.push(b'"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends the escaped body of `s` (without quotes).
#[inline]
pub fn escape_body(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if crate::swar::json_plain(bytes) {
        append(out, bytes);
    } else {
        escape_rest(out, bytes);
    }
}

/// Appends `bytes`, which need escaping somewhere, escaped.
#[cold]
fn escape_rest(out: &mut Vec<u8>, bytes: &[u8]) {
    let first = crate::swar::find_json_escape(bytes).unwrap_or(bytes.len());
    escape_from(out, bytes, first);
}

/// Appends `bytes` escaped, `first` being the offset of the first byte that needs escaping.
/// Short values go a word at a time (see [`SHORT_ESCAPED`]); in longer ones, runs of bytes that
/// need escaping (`\r\n\t` in messages) are escaped byte by byte and the plain runs between
/// them are found with one scan each and copied in one piece.
#[cold]
fn escape_from(out: &mut Vec<u8>, bytes: &[u8], first: usize) {
    if bytes.len() <= SHORT_ESCAPED {
        // Short values with escapes (Windows paths: a backslash every few bytes): after each
        // escaped byte, the plain bytes are checked and copied a word at a time, cheaper than a
        // scan per run between backslashes.
        append(out, bytes.get(..first).unwrap_or_default());
        out.reserve(bytes.len().saturating_sub(first).saturating_add(16));
        let mut rest = bytes.get(first..).unwrap_or_default();
        // `rest` starts with a byte to escape: escape it, then copy the plain bytes after it
        // a word at a time, up to the next byte to escape.
        while let Some((&b, tail)) = rest.split_first() {
            escape_byte(out, b);
            rest = tail;
            loop {
                let k = match rest.first_chunk::<8>() {
                    Some(w) => crate::swar::json_escape_in_word(*w),
                    None => rest
                        .iter()
                        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
                        .unwrap_or(rest.len()),
                };
                let (plain, after) = rest.split_at_checked(k).unwrap_or((rest, &[]));
                append(out, plain);
                rest = after;
                if k < 8 {
                    break;
                }
            }
        }
        return;
    }
    let mut start = 0;
    let mut at = first;
    out.reserve(bytes.len().saturating_add(16));
    loop {
        append(out, bytes.get(start..at).unwrap_or_default());
        let mut i = at;
        while let Some(&b) = bytes.get(i) {
            if !(b < 0x20 || b == b'"' || b == b'\\') {
                break;
            }
            escape_byte(out, b);
            i = i.saturating_add(1);
        }
        start = i;
        match bytes.get(start..).and_then(crate::swar::find_json_escape) {
            Some(k) => at = start.saturating_add(k),
            None => break,
        }
    }
    append(out, bytes.get(start..).unwrap_or_default());
}

/// Up to this length, [`escape_from`] checks and copies the plain bytes a word at a time.
const SHORT_ESCAPED: usize = 96;

/// The letter of the two-character escape of a control character (`\n`, `\r`, `\t`,
/// `\b`, `\f`), 0 for those written `\u00XX`.
const SHORT_ESCAPE: [u8; 32] = {
    let mut t = [0u8; 32];
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t
};

/// Appends the escape of one byte that JSON escapes (`"`, `\\` or a control character):
/// a table lookup rather than a jump on the byte.
#[inline]
fn escape_byte(out: &mut Vec<u8>, b: u8) {
    let short = if b == b'"' || b == b'\\' {
        b
    } else {
        SHORT_ESCAPE.get(usize::from(b)).copied().unwrap_or(0)
    };
    if short != 0 {
        out.extend_from_slice(&[b'\\', short]);
    } else {
        out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
            HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0'),
        ]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_serde_json() {
        for s in [
            "",
            "plain",
            "a\"b\\c",
            "\r\n\t\u{5}\u{1f}\u{7f}é",
            "\u{8}\u{c}",
            "C:\\Windows\\System32\\svchost.exe",
            &"C:\\Program Files\\\"x\"\r\n".repeat(8),
        ] {
            let mut out = Vec::new();
            escape_into(&mut out, s);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(s).unwrap()
            );
        }
        for n in [0u64, 9, 10, 4624, u64::MAX] {
            let mut out = Vec::new();
            JsonWriter::new(&mut out).u64(n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
        let mut out = Vec::new();
        JsonWriter::new(&mut out).i64(i64::MIN);
        assert_eq!(String::from_utf8(out).unwrap(), i64::MIN.to_string());
    }

    proptest::proptest! {
        /// `append` writes what `extend_from_slice` writes, at every length (the fixed-size
        /// copies overlap differently at each) and after any existing content; the escapers
        /// built on it agree with serde_json.
        #[test]
        fn append_agrees_with_extend_from_slice(
            prefix in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            b in proptest::collection::vec(proptest::num::u8::ANY, 0..80),
            s in "[a-z\\\\\"\r\n\u{1}é ]{0,120}",
        ) {
            let mut fast = prefix.clone();
            append(&mut fast, &b);
            let mut plain = prefix;
            plain.extend_from_slice(&b);
            proptest::prop_assert_eq!(fast, plain);
            let mut out = Vec::new();
            escape_into(&mut out, &s);
            proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&s).unwrap());
        }
    }
}

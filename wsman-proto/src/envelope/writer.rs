//! A minimal XML writer for the envelopes we produce: fixed prefixes, escaped text and
//! attribute values, verbatim insertion of slices that were kept verbatim.

use std::fmt::Write as _;

/// Appends XML to a `String`.
#[derive(Debug)]
pub(crate) struct XmlWriter<'o> {
    pub(crate) out: &'o mut String,
}

pub(crate) fn escape_text(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
}

pub(crate) fn escape_attr(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            _ => out.push(c),
        }
    }
}

impl XmlWriter<'_> {
    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_attr(v, self.out);
            self.out.push('"');
        }
    }

    /// `<name attrs>`
    pub(crate) fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.open(name, attrs);
        self.out.push('>');
    }

    /// `<name attrs/>`
    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.open(name, attrs);
        self.out.push_str("/>");
    }

    /// `</name>`
    pub(crate) fn end(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// Escaped character data.
    pub(crate) fn text(&mut self, s: &str) {
        escape_text(s, self.out);
    }

    /// Verbatim markup.
    pub(crate) fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// `<name attrs>text</name>`
    pub(crate) fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start(name, attrs);
        self.text(text);
        self.end(name);
    }

    /// `<name attrs>number</name>`
    pub(crate) fn leaf_num(&mut self, name: &str, attrs: &[(&str, &str)], n: u64) {
        self.start(name, attrs);
        let _ = write!(self.out, "{n}");
        self.end(name);
    }

    /// CDATA section; a `]]>` inside the data is split across two sections.
    pub(crate) fn cdata(&mut self, s: &str) {
        self.out.push_str("<![CDATA[");
        self.out.push_str(&s.replace("]]>", "]]]]><![CDATA[>"));
        self.out.push_str("]]>");
    }
}

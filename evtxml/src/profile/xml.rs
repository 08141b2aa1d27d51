//! Serializing element trees back to XML (for records read from canonical JSON, where the
//! source text of `UserData` is not available).

use crate::event::{Element, Node};

fn escape(s: &str, attr: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' if attr => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
}

pub(crate) fn write_nodes(nodes: &[Node<'_>], out: &mut String) {
    // Iterative: the tree depth is bounded by the parser, but keep the stack flat anyway.
    enum Step<'x, 'a> {
        Open(&'x Element<'a>),
        Close(&'x Element<'a>),
        Text(&'x str),
    }
    let mut stack: Vec<Step<'_, '_>> = nodes
        .iter()
        .rev()
        .map(|n| match n {
            Node::Element(e) => Step::Open(e),
            Node::Text(t) => Step::Text(t),
        })
        .collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::Text(t) => escape(t, false, out),
            Step::Close(e) => {
                out.push_str("</");
                out.push_str(&e.name);
                out.push('>');
            }
            Step::Open(e) => {
                out.push('<');
                out.push_str(&e.name);
                for a in &e.attributes {
                    out.push(' ');
                    out.push_str(&a.name);
                    out.push_str("='");
                    escape(&a.value, true, out);
                    out.push('\'');
                }
                out.push('>');
                stack.push(Step::Close(e));
                for n in e.children.iter().rev() {
                    stack.push(match n {
                        Node::Element(c) => Step::Open(c),
                        Node::Text(t) => Step::Text(t),
                    });
                }
            }
        }
    }
}

//! `wefkit events …`: normalizing rendered Windows events into JSON.

use std::borrow::Cow;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use evtxml::{Charset, Error, Metadata, Normalized, Normalizer, Profile};

use crate::io::{CliError, read_input, write_output};

/// `wefkit events`.
#[derive(Debug, Subcommand)]
pub(crate) enum EventsCommand {
    /// Parse events and write one JSON object per event, in input order, to stdout.
    ///
    /// An event that cannot be parsed still yields its line, carrying the reason and the raw
    /// text. The exit code is 0 unless the input itself cannot be read.
    Normalize(NormalizeArgs),
}

/// The JSON shape to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ProfileArg {
    /// wefkit's lossless shape (can be read back).
    Canonical,
    /// OpenWEC's `Json` format.
    Openwec,
    /// NXLog `im_msvistalog`-style flat record.
    Nxlog,
    /// Winlogbeat-compatible `winlog.*` plus ECS.
    Ecs,
    /// Sigma/Hayabusa field names.
    Flat,
}

impl From<ProfileArg> for Profile {
    fn from(p: ProfileArg) -> Self {
        match p {
            ProfileArg::Canonical => Self::Canonical,
            ProfileArg::Openwec => Self::Openwec,
            ProfileArg::Nxlog => Self::Nxlog,
            ProfileArg::Ecs => Self::Ecs,
            ProfileArg::Flat => Self::Flat,
        }
    }
}

/// What the input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum InputKind {
    /// Decide from the content: JSON lines, one `<Event>`, or an envelope/body.
    Auto,
    /// One rendered `<Event>` document (UTF-8 or UTF-16 with BOM).
    Xml,
    /// A WS-Management `Events` envelope or body (UTF-8 or UTF-16 with BOM).
    Envelope,
    /// JSON lines whose `xml` member holds an event.
    Jsonl,
}

/// Arguments of `wefkit events normalize`.
#[derive(Debug, Args)]
pub(crate) struct NormalizeArgs {
    /// Output profile.
    #[arg(long, value_enum, default_value_t = ProfileArg::Canonical)]
    profile: ProfileArg,
    /// Input kind.
    #[arg(long, value_enum, default_value_t = InputKind::Auto)]
    input: InputKind,
    /// Collector metadata: peer address (`ip` or `ip:port`).
    #[arg(long, value_name = "ADDR")]
    meta_ip: Option<String>,
    /// Collector metadata: authenticated identity of the peer.
    #[arg(long, value_name = "PRINCIPAL")]
    meta_identity: Option<String>,
    /// Collector metadata: subscription name.
    #[arg(long, value_name = "NAME")]
    meta_subscription: Option<String>,
    /// Collector metadata: subscription identifier.
    #[arg(long, value_name = "UUID")]
    meta_subscription_id: Option<String>,
    /// Collector metadata: time received (RFC 3339).
    #[arg(long, value_name = "TIME")]
    meta_time_received: Option<String>,
    /// Input file (stdin when absent or `-`).
    input_path: Option<PathBuf>,
}

pub(crate) fn run(cmd: EventsCommand) -> Result<(), CliError> {
    match cmd {
        EventsCommand::Normalize(args) => normalize(&args),
    }
}

fn normalize(args: &NormalizeArgs) -> Result<(), CliError> {
    let bytes = read_input(args.input_path.as_deref())?;
    let meta = Metadata {
        peer_addr: args.meta_ip.clone(),
        principal: args.meta_identity.clone(),
        subscription_name: args.meta_subscription.clone(),
        subscription_uuid: args.meta_subscription_id.clone(),
        time_received: args.meta_time_received.clone(),
        ..Metadata::default()
    };
    let meta = (meta != Metadata::default()).then_some(meta);
    let mut out = Out {
        profile: args.profile.into(),
        meta,
        normalizer: Normalizer::default(),
        buf: Vec::with_capacity(bytes.len().saturating_add(4096)),
    };
    let mut scratch = String::new();
    let text: Cow<'_, str> = match evtxml::to_utf8(&bytes, Charset::Auto, &mut scratch) {
        Ok(t) => Cow::Borrowed(t),
        // Keep going: every event still gets its line (invalid bytes become U+FFFD).
        Err(_) => String::from_utf8_lossy(&bytes),
    };
    let kind = match args.input {
        InputKind::Auto => detect(&text),
        k => k,
    };
    match kind {
        InputKind::Jsonl => {
            for line in text.lines() {
                if line.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<serde_json::Value>(line) {
                    Ok(v) => match v.get("xml").and_then(serde_json::Value::as_str) {
                        Some(xml) => out.event(xml),
                        None => out.failed(
                            line,
                            Error::Json {
                                reason: "no xml member",
                            },
                        ),
                    },
                    Err(_) => out.failed(
                        line,
                        Error::Json {
                            reason: "not a json line",
                        },
                    ),
                }
            }
        }
        InputKind::Xml => out.event(&text),
        InputKind::Envelope | InputKind::Auto => {
            for item in evtxml::events_in_body(&text) {
                match item {
                    Ok(item) => out.event(&item.xml),
                    Err(e) => out.failed("", e),
                }
            }
        }
    }
    write_output(None, &out.buf)
}

/// JSON lines start with `{`; a document whose root element is `Event` is one event; anything
/// else is treated as an envelope or body.
fn detect(text: &str) -> InputKind {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if t.starts_with('{') {
        return InputKind::Jsonl;
    }
    let mut rest = t;
    while let Some(i) = rest.find('<') {
        let after = rest.get(i.saturating_add(1)..).unwrap_or_default();
        if after.starts_with('?') || after.starts_with('!') {
            rest = after;
            continue;
        }
        let name: String = after
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
        let local = name.rsplit_once(':').map_or(name.as_str(), |(_, l)| l);
        return if local == "Event" {
            InputKind::Xml
        } else {
            InputKind::Envelope
        };
    }
    InputKind::Xml
}

/// Accumulates one JSON line per event (written to stdout at the end, in input order).
struct Out {
    profile: Profile,
    meta: Option<Metadata>,
    normalizer: Normalizer,
    buf: Vec<u8>,
}

impl Out {
    fn event(&mut self, xml: &str) {
        let n = self.normalizer.normalize(xml);
        self.write(&n);
    }

    fn failed(&mut self, raw: &str, error: Error) {
        self.write(&Normalized::RawOnly { raw, error });
    }

    fn write(&mut self, n: &Normalized<'_>) {
        evtxml::render_normalized(n, self.profile, self.meta.as_ref(), &mut self.buf);
        self.buf.push(b'\n');
    }
}

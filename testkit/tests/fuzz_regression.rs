//! Replays the fuzz regression inputs on stable, in `cargo test`.
//!
//! Every file under `testkit/fuzz_regression/<target>/` is an input that once made the fuzz
//! target `<target>` fail (minimized with `cargo fuzz tmin`), or one that exercises a bug
//! found by fuzzing and fixed since; it is fed to the target's oracle, which panics when a
//! property breaks. To add one: copy the minimized artifact from `fuzz/artifacts/<target>/`
//! into `testkit/fuzz_regression/<target>/` under a name that says what it exercises.
//!
//! The table below maps each target to its oracle; the tests check that it lists every
//! target in `fuzz/fuzz_targets/` and calls the same oracle the target file calls.

#![expect(clippy::unwrap_used, clippy::panic, reason = "test harness")]

use std::path::{Path, PathBuf};

use testkit::oracles::{auth, evtxml, kerberos, sldc, wsman};

/// Fuzz target name, the oracle path its file calls, the oracle.
type Entry = (&'static str, &'static str, fn(&[u8]));

const TARGETS: &[Entry] = &[
    ("evtxml_body", "evtxml::evtxml_body", evtxml::evtxml_body),
    (
        "evtxml_normalize",
        "evtxml::evtxml_normalize",
        evtxml::evtxml_normalize,
    ),
    ("framing_open", "auth::framing_open", auth::framing_open),
    (
        "kerberos_unwrap",
        "kerberos::kerberos_unwrap",
        kerberos::kerberos_unwrap,
    ),
    ("ntlm_messages", "auth::ntlm_messages", auth::ntlm_messages),
    ("sldc_chunking", "sldc::sldc_chunking", sldc::sldc_chunking),
    (
        "sldc_decompress",
        "sldc::sldc_decompress",
        sldc::sldc_decompress,
    ),
    (
        "sldc_roundtrip",
        "sldc::sldc_roundtrip",
        sldc::sldc_roundtrip,
    ),
    ("spnego_token", "auth::spnego_token", auth::spnego_token),
    ("wsman_bookmark", "wsman::bookmark", wsman::bookmark),
    (
        "wsman_enumeration",
        "wsman::enumeration_body",
        wsman::enumeration_body,
    ),
    (
        "wsman_envelope",
        "wsman::envelope_parse",
        wsman::envelope_parse,
    ),
    (
        "wsman_eventing",
        "wsman::eventing_body",
        wsman::eventing_body,
    ),
    ("wsman_events", "wsman::events_body", wsman::events_body),
    ("wsman_events_fast", "wsman::events_fast", |d| {
        // Which path decoded the input is only for the oracle's own tests.
        let _ = wsman::events_fast(d);
    }),
    ("wsman_fault", "wsman::fault_body", wsman::fault_body),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

#[test]
fn the_table_lists_every_fuzz_target_with_its_oracle() {
    let targets = root().join("fuzz/fuzz_targets");
    let mut names = Vec::new();
    for path in sorted_entries(&targets) {
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let (_, oracle, _) = TARGETS
            .iter()
            .find(|(t, _, _)| *t == name)
            .unwrap_or_else(|| panic!("fuzz target {name} is missing from TARGETS"));
        assert!(
            text.contains(&format!("testkit::oracles::{oracle}(")),
            "fuzz target {name} does not call testkit::oracles::{oracle}"
        );
        names.push(name);
    }
    for (t, _, _) in TARGETS {
        assert!(names.iter().any(|n| n == t), "no fuzz target {t}");
    }
}

#[test]
fn regression_inputs_replay_through_their_oracles() {
    let dir = root().join("testkit/fuzz_regression");
    let mut replayed = 0usize;
    for target_dir in sorted_entries(&dir) {
        let name = target_dir.file_name().unwrap().to_str().unwrap().to_owned();
        let (_, _, oracle) = TARGETS
            .iter()
            .find(|(t, _, _)| *t == name)
            .unwrap_or_else(|| panic!("fuzz_regression/{name}: no such fuzz target"));
        for input in sorted_entries(&target_dir) {
            let data = std::fs::read(&input).unwrap();
            let caught = std::panic::catch_unwind(|| oracle(&data));
            assert!(caught.is_ok(), "{} fails its oracle", input.display());
            replayed += 1;
        }
    }
    assert!(
        replayed > 0,
        "no regression inputs found in {}",
        dir.display()
    );
}

//! `wefkit sldc …` run as a program on the shared corpus.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use testkit::shared::{read_shared, shared_path};

#[expect(
    clippy::unwrap_used,
    reason = "test helper: failing to run the binary fails the test"
)]
fn wefkit(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wefkit"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

const BODY: &str = "corpus/sldc/openwec-heartbeat-kerberos/compressed.sldc.bin";
const PLAIN: &str = "corpus/sldc/openwec-heartbeat-kerberos/plaintext.utf16le.bin";

#[test]
fn decompresses_the_real_windows_body_from_a_file() {
    let path = shared_path(BODY);
    let out = wefkit(
        &[
            "sldc",
            "decompress",
            "--format",
            "wef",
            path.to_str().unwrap(),
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout.len(), 3042);
    assert!(out.stdout == read_shared(PLAIN));
}

#[test]
fn decompresses_from_stdin_into_a_file() {
    let dir = std::env::temp_dir().join(format!("wefkit-cli-sldc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("plain.bin");
    let out = wefkit(
        &[
            "sldc",
            "decompress",
            "--format",
            "wef",
            "-o",
            target.to_str().unwrap(),
            "-",
        ],
        &read_shared(BODY),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert!(std::fs::read(&target).unwrap() == read_shared(PLAIN));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ecma_is_the_default_format() {
    let test_string = read_shared("corpus/sldc/openwec-test-string/compressed.sldc.bin");
    let out = wefkit(&["sldc", "decompress"], &test_string);
    assert!(out.status.success());
    assert_eq!(out.stdout, b"test string");
    // The WEF body is not a conforming ECMA-321 stream: the default format rejects it.
    let out = wefkit(&["sldc", "decompress"], &read_shared(BODY));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bit"));
}

#[test]
fn compress_then_decompress_round_trips_both_formats() {
    let plain = read_shared(PLAIN);
    for format in ["ecma", "wef"] {
        let packed = wefkit(&["sldc", "compress", "--format", format], &plain);
        assert!(packed.status.success());
        assert!(packed.stdout.len() < plain.len() / 2);
        let back = wefkit(&["sldc", "decompress", "--format", format], &packed.stdout);
        assert!(
            back.status.success(),
            "{}",
            String::from_utf8_lossy(&back.stderr)
        );
        assert!(back.stdout == plain, "{format}");
    }
}

#[test]
fn errors_exit_1_and_usage_errors_exit_2() {
    // Over the output limit: an error, not a truncated output.
    let out = wefkit(
        &[
            "sldc",
            "decompress",
            "--format",
            "wef",
            "--max-output",
            "3041",
        ],
        &read_shared(BODY),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("limit"));
    // Not SLDC at all.
    let out = wefkit(
        &["sldc", "decompress", "--format", "wef"],
        &read_shared(PLAIN),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an sldc body"));
    // Missing file.
    let out = wefkit(&["sldc", "decompress", "/nonexistent/wefkit-input"], b"");
    assert_eq!(out.status.code(), Some(1));
    // Usage errors.
    assert_eq!(
        wefkit(&["sldc", "decompress", "--format", "zip"], b"")
            .status
            .code(),
        Some(2)
    );
    assert_eq!(wefkit(&["sldc", "explode"], b"").status.code(), Some(2));
}

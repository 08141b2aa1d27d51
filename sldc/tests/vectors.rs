//! The shared vectors (`vectors/sldc/`, from an independent encoder) and the real Windows
//! bodies (`corpus/sldc/`), decoded with the public API.

use testkit::shared::read_shared;

/// Every ECMA-321 pair of `vectors/sldc/README.md` (all but the `wefbody_*` ones).
const ECMA_PAIRS: &[&str] = &[
    "two_bytes_ff00",
    "ff_run_300",
    "ab_1400",
    "random_4k",
    "exact_1500",
    "scheme_switch",
    "multi_record_2",
    "multi_record_reset",
    "reset_inside_record",
    "wef_heartbeat",
    "wef_logons_60",
    "wef_corpus_250k",
];
const WEF_PAIRS: &[&str] = &["wefbody_logons"];

fn pair(name: &str) -> (Vec<u8>, Vec<u8>) {
    (
        read_shared(&format!("vectors/sldc/{name}.sldc")),
        read_shared(&format!("vectors/sldc/{name}.bin")),
    )
}

#[test]
fn the_vector_list_is_complete() {
    let dir = testkit::shared::shared_path("vectors/sldc");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".sldc").map(str::to_owned)
        })
        .collect();
    names.sort();
    let mut ours: Vec<String> = ECMA_PAIRS
        .iter()
        .chain(WEF_PAIRS)
        .map(|s| (*s).to_owned())
        .collect();
    ours.sort();
    assert_eq!(names, ours, "a vector pair is not covered by this test");
}

#[test]
fn ecma_vectors_decode() {
    for name in ECMA_PAIRS {
        let (sldc, bin) = pair(name);
        let out =
            sldc::decompress_to_vec(&sldc, 64 << 20).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(out == bin, "{name}: output differs");
    }
}

#[test]
fn wef_vectors_decode_as_bodies() {
    for name in WEF_PAIRS {
        let (sldc, bin) = pair(name);
        let out =
            sldc::decompress_wef_body(&sldc, 64 << 20).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(out == bin, "{name}: output differs");
        // A strict ECMA-321 decoder rejects them (16-bit pad, then the length).
        assert!(sldc::decompress_to_vec(&sldc, 64 << 20).is_err(), "{name}");
    }
}

#[test]
fn real_windows_heartbeat_body() {
    let body = read_shared("corpus/sldc/openwec-heartbeat-kerberos/compressed.sldc.bin");
    let plain = read_shared("corpus/sldc/openwec-heartbeat-kerberos/plaintext.utf16le.bin");
    assert_eq!(plain.len(), 3042);
    let out = sldc::decompress_wef_body(&body, 64 << 20).unwrap();
    assert!(out == plain);
    assert!(matches!(
        sldc::decompress_wef_body(&body, 3041),
        Err(sldc::Error::OutputLimit { limit: 3041, .. })
    ));
    assert_eq!(sldc::decompress_wef_body(&body, 3042).unwrap().len(), 3042);
    // The plaintext itself is "not SLDC", and says so distinctly.
    assert!(matches!(
        sldc::decompress_wef_body(&plain, 64 << 20),
        Err(sldc::Error::NotSldc { .. })
    ));
}

#[test]
fn real_test_string_is_a_conforming_stream() {
    let stream = read_shared("corpus/sldc/openwec-test-string/compressed.sldc.bin");
    let plain = read_shared("corpus/sldc/openwec-test-string/plaintext.txt");
    assert_eq!(sldc::decompress_to_vec(&stream, 1024).unwrap(), plain);
    assert_eq!(plain, b"test string");
}

/// Streams `input` through a [`sldc::Decompressor`] in `in_chunk`-byte pieces into an
/// `out_chunk`-byte buffer, until the stream finishes.
#[expect(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "test helper"
)]
fn stream_decode(input: &[u8], in_chunk: usize, out_chunk: usize) -> Result<Vec<u8>, sldc::Error> {
    let mut d = sldc::Decompressor::new();
    let mut out = Vec::new();
    let mut buf = vec![0u8; out_chunk];
    let mut start = 0;
    loop {
        let end = (start + in_chunk).min(input.len());
        let last = end == input.len();
        let p = d.decompress(&input[start..end], &mut buf, last)?;
        out.extend_from_slice(&buf[..p.written]);
        start += p.consumed;
        match p.status {
            sldc::Status::Finished | sldc::Status::EndMarker => return Ok(out),
            _ => {}
        }
    }
}

#[test]
fn ecma_vectors_decode_streaming_in_small_pieces() {
    for name in ECMA_PAIRS {
        let (sldc, bin) = pair(name);
        for (i, o) in [
            (1, 1),
            (1, 7),
            (3, 1000),
            (5000, 1),
            (7, 300),
            (4000, 1 << 16),
            (9, 1 << 20),
        ] {
            if bin.len() > 20_000 && (i < 3 || o < 3) {
                continue;
            }
            let out = stream_decode(&sldc, i, o).unwrap_or_else(|e| panic!("{name} {i}/{o}: {e}"));
            assert!(out == bin, "{name} {i}/{o}: output differs");
        }
    }
}

#[test]
fn our_compressor_round_trips_every_vector_plaintext() {
    for name in ECMA_PAIRS.iter().chain(WEF_PAIRS) {
        let (theirs, bin) = pair(name);
        let stream = sldc::compress_to_vec(&bin);
        let out =
            sldc::decompress_to_vec(&stream, bin.len()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(out == bin, "{name}: ecma round trip differs");
        let body = sldc::compress_wef_body(&bin).unwrap();
        let out =
            sldc::decompress_wef_body(&body, bin.len()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(out == bin, "{name}: wef round trip differs");
        // Within 4% (+ a few bytes) of the independent reference encoder's size (it searches
        // harder; our match finder trades a few percent for speed, see the encoder docs).
        assert!(
            stream.len() * 100 <= theirs.len() * 104 + 1600,
            "{name}: ours {} vs reference {}",
            stream.len(),
            theirs.len()
        );
    }
}

#[test]
fn heartbeat_body_no_larger_than_windows() {
    let windows = read_shared("corpus/sldc/openwec-heartbeat-kerberos/compressed.sldc.bin");
    let plain = read_shared("corpus/sldc/openwec-heartbeat-kerberos/plaintext.utf16le.bin");
    let ours = sldc::compress_wef_body(&plain).unwrap();
    assert!(
        ours.len() <= windows.len(),
        "ours {} > windows {}",
        ours.len(),
        windows.len()
    );
    assert!(ours.len() <= 1006);
    assert_eq!(sldc::decompress_wef_body(&ours, 3042).unwrap(), plain);
}

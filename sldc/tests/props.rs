//! Property tests (cases from `PROPTEST_CASES`, default 256).
#![expect(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    reason = "test code: strategies over small, known values"
)]

use proptest::prelude::*;
use testkit::oracles::sldc::{sldc_chunking, sldc_decompress, sldc_roundtrip, stream_decode};

/// Inputs biased towards what SLDC sees and what stresses it: UTF-16 XML-like text, runs of
/// 0xFF, short repeating patterns, random bytes, and mixtures of them.
fn input() -> impl Strategy<Value = Vec<u8>> {
    let xml = prop::collection::vec(
        prop::sample::select(vec![
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>",
            "<System><Provider Name='Microsoft-Windows-Security-Auditing'/>",
            "<EventID>4624</EventID>",
            "<Data Name='TargetUserName'>",
            "SYSTEM",
            "</Data>",
            "</Event>",
            "WIN-",
            "0x3e7",
            " ",
        ]),
        0..200,
    )
    .prop_map(|parts| {
        let mut v = vec![0xff, 0xfe];
        v.extend(parts.concat().encode_utf16().flat_map(u16::to_le_bytes));
        v
    });
    let ff_runs = prop::collection::vec((any::<u8>(), 0..600_usize), 0..8).prop_map(|runs| {
        runs.into_iter()
            .flat_map(|(b, n)| std::iter::repeat_n(if b < 128 { 0xff } else { b }, n))
            .collect()
    });
    let pattern = (prop::collection::vec(any::<u8>(), 1..20), 0..3000_usize)
        .prop_map(|(p, n)| p.iter().copied().cycle().take(n).collect());
    let random = prop::collection::vec(any::<u8>(), 0..5000);
    let leaf = prop_oneof![xml, ff_runs, pattern, random];
    prop::collection::vec(leaf, 1..4).prop_map(|parts| parts.concat())
}

/// Arbitrary bytes, and valid streams with a few bytes changed or cut.
fn stream_like() -> impl Strategy<Value = Vec<u8>> {
    let mutated = (
        input(),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        any::<prop::sample::Index>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(plain, edits, cut, do_cut, wef)| {
            let mut s = if wef {
                sldc::compress_wef_body(&plain).unwrap()
            } else {
                sldc::compress_to_vec(&plain)
            };
            for (i, b) in edits {
                let i = i.index(s.len());
                s[i] ^= b;
            }
            if do_cut {
                s.truncate(cut.index(s.len() + 1));
            }
            s
        });
    prop_oneof![prop::collection::vec(any::<u8>(), 0..300), mutated]
}

proptest! {
    #[test]
    fn round_trip_both_framings(data in input()) {
        sldc_roundtrip(&data);
    }

    #[test]
    fn random_data_grows_by_at_most_a_tenth_of_a_percent(
        data in prop::collection::vec(any::<u8>(), 0..20_000)
    ) {
        let bound = data.len() + data.len() / 1000 + 16;
        prop_assert!(sldc::compress_to_vec(&data).len() <= bound);
        prop_assert!(sldc::compress_wef_body(&data).unwrap().len() <= bound);
    }

    #[test]
    fn streaming_equals_one_shot_for_any_split(
        data in input(),
        ins in prop::collection::vec(1..400_usize, 1..8),
        outs in prop::collection::vec(prop_oneof![1..600_usize, 1500..70_000_usize], 1..8),
        records in 1..4_usize,
    ) {
        // Several records in one stream: each compressed record ends on a 32-bit boundary.
        let mut parts: Vec<&[u8]> = data.chunks(data.len() / records + 1).collect();
        if parts.is_empty() {
            parts.push(&[]);
        }
        let stream: Vec<u8> = parts.iter().flat_map(|p| sldc::compress_to_vec(p)).collect();
        let one_shot = sldc::decompress_to_vec(&stream, usize::MAX).unwrap();
        prop_assert!(one_shot == data);
        let streamed = stream_decode(&stream, &ins, &outs, usize::MAX).unwrap();
        prop_assert!(streamed == data);
    }

    #[test]
    fn streaming_and_one_shot_agree_on_arbitrary_bytes(
        data in stream_like(),
        ins in prop::collection::vec(1..64_usize, 1..8),
        outs in prop::collection::vec(prop_oneof![1..300_usize, 1500..20_000_usize], 1..8),
    ) {
        let limit = data.len() * 96 + 1024;
        let one_shot = sldc::decompress_to_vec(&data, limit);
        let streamed = stream_decode(&data, &ins, &outs, limit);
        prop_assert_eq!(streamed, one_shot);
    }

    #[test]
    fn oracles_hold_on_stream_like_bytes(data in stream_like()) {
        sldc_decompress(&data);
        sldc_chunking(&data);
    }
}

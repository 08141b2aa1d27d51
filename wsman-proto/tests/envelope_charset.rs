//! The UTF-16 transcoder against the standard library's decoder, on arbitrary code units
//! (unpaired surrogates included), both byte orders, with and without BOM.

use proptest::prelude::*;
use wsman_proto::Limits;
use wsman_proto::charset::{self, Charset};

fn units() -> impl Strategy<Value = Vec<u16>> {
    proptest::collection::vec(
        prop_oneof![
            4 => 0x20u16..0x7F,
            1 => any::<u16>(),
            1 => 0xD800u16..0xE000,
            1 => Just(0xFEFF),
        ],
        0..200,
    )
}

/// Long ASCII runs (the transcoder's 16- and 8-unit fast paths) broken by arbitrary units.
fn ascii_runs() -> impl Strategy<Value = Vec<u16>> {
    proptest::collection::vec(
        (
            proptest::collection::vec(0x00u16..0x80, 0..70),
            any::<u16>(),
        ),
        0..6,
    )
    .prop_map(|runs| {
        runs.into_iter()
            .flat_map(|(mut run, u)| {
                run.push(u);
                run
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn utf16_transcode_matches_std(
        units in prop_oneof![units(), ascii_runs()],
        be in any::<bool>(),
        bom in any::<bool>(),
    ) {
        // A leading U+FEFF *is* a byte order mark.
        prop_assume!(bom || units.first() != Some(&0xFEFF));
        let mut bytes = Vec::new();
        if bom {
            bytes.extend_from_slice(if be { b"\xFE\xFF" } else { b"\xFF\xFE" });
        }
        for u in &units {
            bytes.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        let expected: String = char::decode_utf16(units.iter().copied())
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        let replaced = char::decode_utf16(units.iter().copied()).filter(Result::is_err).count();
        let cs = if be { Charset::Utf16Be } else { Charset::Utf16Le };
        let ct = if be { "text/xml;charset=utf-16be" } else { "text/xml;charset=utf-16le" };
        let mut scratch = String::from("stale content is replaced");
        let d = charset::decode(&bytes, Some(ct), &Limits::default(), &mut scratch).unwrap();
        prop_assert_eq!(d.charset, cs);
        prop_assert_eq!(d.text, expected.as_str());
        prop_assert_eq!(d.replaced, replaced);
        // Encoding back gives the same units when nothing was replaced.
        if replaced == 0 {
            let mut out = Vec::new();
            charset::encode(&expected, cs, bom, &mut out);
            prop_assert_eq!(out, bytes);
        }
    }
}

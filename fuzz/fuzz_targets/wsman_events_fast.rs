#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| { testkit::oracles::wsman::events_fast(data); });

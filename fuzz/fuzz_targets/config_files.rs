//! The variant TOML reader and the baseline JSON reader on arbitrary bytes: no panic, and
//! errors that carry the file's name.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tagbench::baseline::Baseline;
use tagbench::variant::Variant;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = Variant::from_bytes(Path::new("fuzz.toml"), data) {
        assert!(e.to_string().starts_with("fuzz.toml"), "{e}");
    }
    if let Ok(src) = std::str::from_utf8(data) {
        if let Ok(b) = Baseline::parse(src) {
            // What reads writes back, and reads again as the same.
            let json = b.to_json();
            let again = Baseline::parse(&json).expect("our own JSON reads back");
            assert_eq!(again.to_json(), json);
        }
    }
});

//! Fuzz target: the config loader, `config::parse`, on any UTF-8 text
//! (non-UTF-8 bytes are refused by `config::load` before parsing).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(error) = wirecopy::config::parse(text, "sources.toml") {
            // Every refusal says something.
            assert!(!error.to_string().is_empty());
        }
    }
});

//! Fuzz target: the HTML cleaner, `Cleaner::clean(bytes, url)`, on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wirecopy::clean::Cleaner;

fuzz_target!(|data: &[u8]| {
    let _ = Cleaner::default().clean(data, Some("https://news.example/world/story.html"));
});

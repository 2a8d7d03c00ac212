//! Fuzz target: the charset sniffer, `clean::charset::decode`.
//!
//! Input: an optional `Content-Type` header value on the first line (when
//! the input starts with `CT:`), then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wirecopy::clean::charset;

fuzz_target!(|data: &[u8]| {
    let (content_type, body) = match data.strip_prefix(b"CT:") {
        Some(rest) => match rest.iter().position(|&b| b == b'\n') {
            Some(end) => (
                Some(String::from_utf8_lossy(&rest[..end])),
                &rest[end + 1..],
            ),
            None => (Some(String::from_utf8_lossy(rest)), &[][..]),
        },
        None => (None, data),
    };
    let (text, _label, _source) = charset::decode(body, content_type.as_deref());
    // Decoded text is bounded by the input: at most 3 UTF-8 bytes per input byte.
    assert!(text.len() <= body.len().saturating_mul(3).saturating_add(3));
});

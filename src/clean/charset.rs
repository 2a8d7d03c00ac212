//! Bytes in any charset → UTF-8 text.
//!
//! The order follows what browsers do: a byte-order mark wins; then the
//! charset of the HTTP `Content-Type` header, if the caller has one; then a
//! `<meta charset>` or `<meta http-equiv="Content-Type">` in the first 4 KB;
//! then valid UTF-8 is taken as UTF-8; and only then is the encoding guessed
//! from the bytes (chardetng, the detector Firefox uses), which is what
//! rescues the many Russian pages that send windows-1251 or KOI8-R without
//! saying so.

use encoding_rs::{Encoding, UTF_8};

/// How far into the page a `<meta>` charset declaration is looked for.
const PRESCAN_BYTES: usize = 4096;

/// Where the chosen encoding came from (for diagnostics and tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharsetSource {
    /// A UTF-8 or UTF-16 byte-order mark.
    Bom,
    /// The `charset` parameter of the HTTP `Content-Type` header.
    Header,
    /// A `<meta>` declaration in the page.
    Meta,
    /// The bytes were valid UTF-8.
    Utf8,
    /// Guessed from the bytes.
    Detected,
}

/// Decodes `bytes` to text. `content_type` is the HTTP header, if any.
/// Returns the text, the encoding's name and where it was chosen from.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> (String, &'static str, CharsetSource) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), encoding.name(), CharsetSource::Bom);
    }
    let declared = content_type
        .and_then(charset_param)
        .and_then(|label| Encoding::for_label(label.as_bytes()))
        .map(|e| (e, CharsetSource::Header))
        .or_else(|| meta_charset(bytes).map(|e| (e, CharsetSource::Meta)));
    if let Some((encoding, source)) = declared {
        // A page saying "utf-16" in ASCII bytes is not UTF-16 (HTML spec).
        let encoding = if encoding.output_encoding() == UTF_8 {
            UTF_8
        } else {
            encoding
        };
        // Pages often declare one charset and send UTF-8: trust valid UTF-8
        // with non-ASCII bytes over a legacy declaration.
        if encoding != UTF_8 && !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
            return (utf8(bytes), "UTF-8", CharsetSource::Utf8);
        }
        let (text, _, _) = encoding.decode(bytes);
        return (text.into_owned(), encoding.name(), source);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), "UTF-8", CharsetSource::Utf8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, _) = encoding.decode(bytes);
    (text.into_owned(), encoding.name(), CharsetSource::Detected)
}

fn utf8(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Reads `charset=…` from a `Content-Type` value.
fn charset_param(content_type: &str) -> Option<String> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = lower[at + "charset".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let value: String = rest
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| !matches!(c, '"' | '\'' | ';' | ' ' | '>' | '/') || *c == '-')
        .collect();
    (!value.is_empty()).then_some(value)
}

/// Finds the charset a `<meta>` tag declares near the top of the page.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    // The prescan only needs ASCII: charset names and tag names are ASCII.
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut from = 0;
    while let Some(off) = head[from..].find("<meta") {
        let start = from + off;
        let end = head[start..].find('>').map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(label) = charset_param(tag) {
            if let Some(encoding) = Encoding::for_label(label.as_bytes()) {
                return Some(encoding);
            }
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_charset_params() {
        assert_eq!(
            charset_param("text/html; charset=windows-1251").as_deref(),
            Some("windows-1251")
        );
        assert_eq!(
            charset_param("text/html;charset=\"KOI8-R\"").as_deref(),
            Some("koi8-r")
        );
        assert_eq!(charset_param("text/html"), None);
    }

    #[test]
    fn meta_declarations_and_detection() {
        let (cyr, _, _) = encoding_rs::WINDOWS_1251.encode("Москва сегодня объявила о переговорах");
        let mut page = b"<html><head><meta charset=\"windows-1251\"></head><body>".to_vec();
        page.extend_from_slice(&cyr);
        let (text, name, source) = decode(&page, None);
        assert!(text.contains("Москва сегодня"), "{text}");
        assert_eq!((name, source), ("windows-1251", CharsetSource::Meta));

        let mut page =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">".to_vec();
        page.extend_from_slice(&encoding_rs::KOI8_R.encode("Переговоры продолжатся").0);
        let (text, name, _) = decode(&page, None);
        assert!(text.contains("Переговоры продолжатся"));
        assert_eq!(name, "KOI8-R");

        let long =
            "Министр иностранных дел заявил, что переговоры продолжатся в следующем месяце. "
                .repeat(8);
        let (text, _, source) = decode(&encoding_rs::WINDOWS_1251.encode(&long).0, None);
        assert_eq!(text, long);
        assert_eq!(source, CharsetSource::Detected);
    }

    #[test]
    fn bom_and_header_win() {
        let mut page = vec![0xEF, 0xBB, 0xBF];
        page.extend_from_slice("<meta charset=windows-1251>Привет".as_bytes());
        assert_eq!(decode(&page, None).0, "<meta charset=windows-1251>Привет");
        let bytes = encoding_rs::WINDOWS_1251.encode("Привет").0;
        let (text, _, source) = decode(&bytes, Some("text/html; charset=windows-1251"));
        assert_eq!((text.as_str(), source), ("Привет", CharsetSource::Header));
    }
}

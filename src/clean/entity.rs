//! HTML character references: `&amp;`, `&#8212;`, `&#x2014;`, `&nbsp;`.
//!
//! The table holds the Latin-1 names (which cover the accented letters of
//! western European text) and the typographic names news sites use. An
//! unknown name is kept as written, which is what a browser shows too.

/// Names for U+00A0..=U+00FF, in code point order (HTML 4 / HTML5 legacy set).
const LATIN1: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

/// Other names seen in news pages.
const OTHER: [(&str, char); 44] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("ndash", '–'),
    ("mdash", '—'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("sbquo", '‚'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("bdquo", '„'),
    ("hellip", '…'),
    ("bull", '•'),
    ("prime", '′'),
    ("Prime", '″'),
    ("lsaquo", '‹'),
    ("rsaquo", '›'),
    ("euro", '€'),
    ("trade", '™'),
    ("thinsp", '\u{2009}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("zwnj", '\u{200C}'),
    ("zwj", '\u{200D}'),
    ("lrm", '\u{200E}'),
    ("rlm", '\u{200F}'),
    ("dagger", '†'),
    ("Dagger", '‡'),
    ("permil", '‰'),
    ("oelig", 'œ'),
    ("OElig", 'Œ'),
    ("scaron", 'š'),
    ("Scaron", 'Š'),
    ("Yuml", 'Ÿ'),
    ("fnof", 'ƒ'),
    ("circ", 'ˆ'),
    ("tilde", '˜'),
    ("larr", '←'),
    ("rarr", '→'),
    ("minus", '−'),
    ("numero", '№'),
    ("NewLine", '\n'),
];

/// Looks up a named reference (without `&` and `;`).
fn named(name: &str) -> Option<char> {
    if let Some(i) = LATIN1.iter().position(|&n| n == name) {
        return char::from_u32(0xA0 + i as u32);
    }
    OTHER.iter().find(|(n, _)| *n == name).map(|&(_, c)| c)
}

/// Maps the C1 range the way browsers do (windows-1252 code points).
fn numeric(code: u32) -> char {
    const C1: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match code {
        0 => '\u{FFFD}',
        0x80..=0x9F => C1[(code - 0x80) as usize],
        _ => char::from_u32(code).unwrap_or('\u{FFFD}'),
    }
}

/// Appends `raw` to `out` with character references decoded.
pub(crate) fn decode_into(raw: &str, out: &mut String) {
    let bytes = raw.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while let Some(off) = memchr_amp(&bytes[i..]) {
        let amp = i + off;
        out.push_str(&raw[start..amp]);
        match decode_one(&raw[amp + 1..]) {
            Some((c, used)) => {
                out.push(c);
                i = amp + 1 + used;
            }
            None => {
                out.push('&');
                i = amp + 1;
            }
        }
        start = i;
    }
    out.push_str(&raw[start..]);
}

/// Returns the decoded text of `raw` (borrowing nothing).
pub(crate) fn decode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    decode_into(raw, &mut out);
    out
}

fn memchr_amp(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'&')
}

/// Decodes one reference from the text after `&`; returns the char and the
/// number of bytes consumed (including a `;` if present).
fn decode_one(rest: &str) -> Option<(char, usize)> {
    let b = rest.as_bytes();
    if b.first() == Some(&b'#') {
        let (hex, digits_at) = match b.get(1) {
            Some(b'x' | b'X') => (true, 2),
            _ => (false, 1),
        };
        let digits = b[digits_at..]
            .iter()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return None;
        }
        let text = &rest[digits_at..digits_at + digits];
        let code = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(0xFFFD);
        let mut used = digits_at + digits;
        if b.get(used) == Some(&b';') {
            used += 1;
        }
        return Some((numeric(code), used));
    }
    let len = b
        .iter()
        .take(32)
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if len == 0 {
        return None;
    }
    let name = &rest[..len];
    if b.get(len) == Some(&b';') {
        return named(name).map(|c| (c, len + 1));
    }
    // Legacy references without a semicolon, as browsers accept them.
    match name {
        "amp" | "lt" | "gt" | "quot" | "nbsp" | "copy" | "reg" => named(name).map(|c| (c, len)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_named_numeric_and_legacy() {
        assert_eq!(decode("a &amp; b"), "a & b");
        assert_eq!(decode("&laquo;x&raquo; &#8212; &#x2014;"), "«x» — —");
        assert_eq!(decode("caf&eacute;&nbsp;ok"), "café\u{a0}ok");
        assert_eq!(decode("AT&T &ampx &unknown; &"), "AT&T &ampx &unknown; &");
        assert_eq!(decode("&#150;&#0;"), "–\u{FFFD}");
        assert_eq!(decode("&#99999999999;"), "\u{FFFD}");
    }
}

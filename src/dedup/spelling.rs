//! British/American spelling folding for single lowercase words.
//!
//! Owns one pure function, [`spelling_variant`]. It maps both spellings of a word
//! to one form (`colour`/`color` → `color`, `organise`/`organize` →
//! `organize`, `centre` → `center`, `dialogue` → `dialog`, `travelled` →
//! `traveled`). The rules are applied to every word of every text alike, so a
//! rule that also touches an unrelated word ("promise" → "promize") does no
//! harm: it only has to map the two spellings of one word together and never
//! two different words onto one.

/// Word stems written with `our` in British English and `or` in American.
const OUR_STEMS: &[&str] = &[
    "armour",
    "behaviour",
    "candour",
    "clamour",
    "colour",
    "endeavour",
    "favour",
    "fervour",
    "flavour",
    "glamour",
    "harbour",
    "honour",
    "humour",
    "labour",
    "neighbour",
    "odour",
    "parlour",
    "rigour",
    "rumour",
    "saviour",
    "savour",
    "splendour",
    "tumour",
    "valour",
    "vapour",
    "vigour",
];

/// British words with an irregular American form, and that form.
pub(crate) const IRREGULAR: &[(&str, &str)] = &[
    ("programme", "program"),
    ("programmes", "programs"),
    ("grey", "gray"),
    ("judgement", "judgment"),
    ("ageing", "aging"),
    ("tyre", "tire"),
    ("tyres", "tires"),
    ("cheque", "check"),
    ("aluminium", "aluminum"),
    ("sceptical", "skeptical"),
    ("sceptic", "skeptic"),
    ("plough", "plow"),
    ("draught", "draft"),
    ("enrol", "enroll"),
    ("fulfil", "fulfill"),
    ("jewellery", "jewelry"),
    ("defence", "defense"),
    ("offence", "offense"),
    ("licence", "license"),
    ("pretence", "pretense"),
    ("manoeuvre", "maneuver"),
    ("manoeuvres", "maneuvers"),
    ("storey", "story"),
];

/// Returns the American form of a word with an irregular pair.
pub(crate) fn irregular(word: &[u8]) -> Option<&'static str> {
    IRREGULAR
        .iter()
        .find(|(gb, _)| gb.as_bytes() == word)
        .map(|&(_, us)| us)
}

/// `"our"` as the low three bytes of a little-endian integer.
const OUR: u128 = 0x72_756f;

/// The endings [`rule_variant`] rewrites.
const SUFFIXES: [&str; 15] = [
    "ise", "yse", "tre", "logue", "ised", "ysed", "lled", "ises", "yses", "tres", "logues",
    "ising", "lling", "isation", "isations",
];

/// Each ending of [`SUFFIXES`] as `(shift, pattern)`: the last eight bytes
/// of a word, little-endian, shifted right by `shift`, equal `pattern` if
/// and only if the word has that ending.
const SUFFIX_PATTERNS: [(u32, u64); 15] = {
    let mut out = [(0u32, 0u64); 15];
    let mut k = 0;
    while k < SUFFIXES.len() {
        let s = SUFFIXES[k].as_bytes();
        let mut pattern = 0u64;
        let mut i = 0;
        while i < s.len() {
            pattern |= (s[i] as u64) << (8 * i);
            i += 1;
        }
        out[k] = (64 - 8 * s.len() as u32, pattern);
        k += 1;
    }
    out
};

/// Returns false if [`rule_variant`] certainly leaves a word alone, from its
/// first sixteen bytes `head` (zeros after the word's end) and the eight
/// bytes `tail` that end with its last byte (non-letters before its start),
/// both little-endian, and its length `n`. No branches: most words fail
/// every test, and the processor could not guess which ones pass.
#[inline]
pub(crate) fn may_have_rule(head: u128, tail: u64, n: usize) -> bool {
    let mut hit = false;
    // Each "our" stem has it at byte 2 to 6; the zeros after a short word
    // never match.
    for k in 2..=6 {
        hit |= (head >> (8 * k)) & 0xff_ffff == OUR;
    }
    let mut suffix = false;
    for (shift, pattern) in SUFFIX_PATTERNS {
        // A word shorter than the ending brings a non-letter into `tail`,
        // and no ending holds one.
        suffix |= tail >> shift == pattern;
    }
    hit | (suffix & (n >= 6))
}

/// Returns a word's `(head, tail)` as [`may_have_rule`] reads them: its
/// first sixteen bytes with zeros after its end, and its last eight bytes
/// with spaces before its start.
pub(crate) fn pack_word(word: &[u8]) -> (u128, u64) {
    let mut head = [0u8; 16];
    let m = word.len().min(16);
    head[..m].copy_from_slice(&word[..m]);
    let mut tail = [b' '; 8];
    let m = word.len().min(8);
    tail[8 - m..].copy_from_slice(&word[word.len() - m..]);
    (u128::from_le_bytes(head), u64::from_le_bytes(tail))
}

/// Returns the spelling-folded form of one lowercase word, or `None` if it
/// is already folded. The scanner applies the same two parts separately:
/// the rules in place after [`may_have_rule`], the irregular pairs when the
/// word table marks a word.
#[cfg(test)]
pub(crate) fn spelling_variant(word: &str) -> Option<String> {
    if !word.is_ascii() {
        return None;
    }
    irregular(word.as_bytes())
        .map(str::to_owned)
        .or_else(|| rule_variant(word))
}

/// The rule-based part of [`spelling_variant`]: `our` stems and endings,
/// for an ASCII word that has no irregular pair.
pub(crate) fn rule_variant(word: &str) -> Option<String> {
    let b = word.as_bytes();
    let n = b.len();
    if n < 5 {
        return None;
    }
    let tail = [b[n - 2], b[n - 1]];
    // Every stem ends in "our" at byte 2 to 6 ("odour" to "behaviour").
    if (2..=6).any(|k| b.get(k..k + 3) == Some(b"our".as_slice())) {
        if let Some(stem) = OUR_STEMS.iter().find(|s| word.starts_with(*s)) {
            let mut out = String::with_capacity(word.len());
            out.push_str(&stem[..stem.len() - 2]);
            out.push('r');
            out.push_str(&word[stem.len()..]);
            return Some(out);
        }
    }
    // Suffix rewrites (British → American), longest first per ending.
    let suffixes: &[(&str, &str)] = match &tail {
        b"se" => &[("ise", "ize"), ("yse", "yze")],
        b"re" => &[("tre", "ter")],
        b"ue" => &[("logue", "log")],
        b"ed" => &[("ised", "ized"), ("ysed", "yzed"), ("lled", "led")],
        b"es" => &[
            ("ises", "izes"),
            ("yses", "yzes"),
            ("tres", "ters"),
            ("logues", "logs"),
        ],
        b"ng" => &[("ising", "izing"), ("lling", "ling")],
        b"on" => &[("isation", "ization")],
        b"ns" => &[("isations", "izations")],
        _ => &[],
    };
    if n >= 6 {
        for (gb, us) in suffixes {
            if let Some(stem) = word.strip_suffix(gb) {
                let mut out = String::with_capacity(word.len() + 1);
                out.push_str(stem);
                out.push_str(us);
                return Some(out);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(w: &str) -> String {
        spelling_variant(w).unwrap_or_else(|| w.to_owned())
    }

    #[test]
    fn both_spellings_meet() {
        for (gb, us) in [
            ("colour", "color"),
            ("favourite", "favorite"),
            ("honoured", "honored"),
            ("organise", "organize"),
            ("organisation", "organization"),
            ("analysed", "analyzed"),
            ("centre", "center"),
            ("centres", "centers"),
            ("dialogue", "dialog"),
            ("travelled", "traveled"),
            ("cancelling", "canceling"),
            ("defence", "defense"),
            ("programme", "program"),
            ("programmes", "programs"),
            ("grey", "gray"),
            ("judgement", "judgment"),
            ("ageing", "aging"),
            ("tyres", "tires"),
            ("cheque", "check"),
            ("aluminium", "aluminum"),
            ("sceptical", "skeptical"),
            ("plough", "plow"),
            ("draught", "draft"),
            ("enrol", "enroll"),
            ("fulfil", "fulfill"),
            ("jewellery", "jewelry"),
            ("licence", "license"),
            ("manoeuvres", "maneuvers"),
            ("catalogues", "catalogs"),
            ("analyses", "analyzes"),
            ("organisations", "organizations"),
        ] {
            assert_eq!(fold(gb), fold(us), "{gb} / {us}");
        }
    }

    #[test]
    fn the_quick_test_passes_every_word_a_rule_changes() {
        let words = [
            "colour",
            "colours",
            "favourite",
            "honoured",
            "behaviour",
            "odour",
            "organise",
            "organisation",
            "organisations",
            "analysed",
            "analyses",
            "centre",
            "centres",
            "dialogue",
            "catalogues",
            "travelled",
            "cancelling",
            "realising",
            "paralyse",
        ];
        for w in words {
            assert!(rule_variant(w).is_some(), "{w}");
            let (head, tail) = pack_word(w.as_bytes());
            assert!(may_have_rule(head, tail, w.len()), "{w}");
        }
        for w in [
            "the", "court", "source", "lavrov", "raise", "rise", "hour", "dialog",
        ] {
            let (head, tail) = pack_word(w.as_bytes());
            assert!(rule_variant(w).is_none(), "{w}");
            if ["the", "lavrov", "hour", "dialog", "rise"].contains(&w) {
                assert!(!may_have_rule(head, tail, w.len()), "{w}");
            }
        }
    }

    #[test]
    fn short_and_other_words_pass() {
        assert_eq!(fold("the"), "the");
        assert_eq!(fold("lavrov"), "lavrov");
        assert_eq!(fold("москва"), "москва");
    }
}

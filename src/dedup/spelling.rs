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

/// Returns the American form of a word with an irregular pair.
fn irregular(word: &str) -> Option<&'static str> {
    Some(match word {
        "programme" => "program",
        "programmes" => "programs",
        "grey" => "gray",
        "judgement" => "judgment",
        "ageing" => "aging",
        "tyre" => "tire",
        "tyres" => "tires",
        "cheque" => "check",
        "aluminium" => "aluminum",
        "sceptical" => "skeptical",
        "sceptic" => "skeptic",
        "plough" => "plow",
        "draught" => "draft",
        "enrol" => "enroll",
        "fulfil" => "fulfill",
        "jewellery" => "jewelry",
        "defence" => "defense",
        "offence" => "offense",
        "licence" => "license",
        "pretence" => "pretense",
        "manoeuvre" => "maneuver",
        "manoeuvres" => "maneuvers",
        "storey" => "story",
        _ => return None,
    })
}

/// Returns the spelling-folded form of one lowercase word, or `None` if it
/// is already folded (most words: no allocation then).
pub fn spelling_variant(word: &str) -> Option<String> {
    let b = word.as_bytes();
    let n = b.len();
    if n < 4 || !word.is_ascii() {
        return None;
    }
    // Dispatch on the last two letters, so most words cost one match.
    let tail = [b[n - 2], b[n - 1]];
    if matches!(
        &tail,
        b"me"
            | b"es"
            | b"ey"
            | b"nt"
            | b"ng"
            | b"re"
            | b"ue"
            | b"um"
            | b"al"
            | b"ic"
            | b"gh"
            | b"ht"
            | b"ol"
            | b"il"
            | b"ry"
            | b"ce"
    ) {
        if let Some(us) = irregular(word) {
            return Some(us.to_owned());
        }
    }
    // Every stem ends in "our" at byte 2 to 6 ("odour" to "behaviour").
    if n >= 5 && (2..=6).any(|k| b.get(k..k + 3) == Some(b"our".as_slice())) {
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
    fn short_and_other_words_pass() {
        assert_eq!(fold("the"), "the");
        assert_eq!(fold("lavrov"), "lavrov");
        assert_eq!(fold("москва"), "москва");
    }
}

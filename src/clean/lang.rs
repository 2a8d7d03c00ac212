//! Guessing the language of a text that doesn't declare one.
//!
//! Pages usually say (`<html lang>`, `og:locale`, JSON-LD `inLanguage`);
//! this is the fallback. It reads the script first (Cyrillic, Greek, Arabic,
//! Hebrew, CJK, Hangul, Thai, Devanagari), tells Cyrillic languages apart by
//! their own letters, and for Latin-script text counts the most frequent
//! function words of each language. A text too short or too mixed to tell
//! gets `None`, never a guess.

/// Function words of Latin-script languages, most frequent first.
const LATIN: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "of", "to", "in", "is", "that", "for", "was", "with", "on", "said", "it",
            "as", "by", "he", "has", "are", "from", "have",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "auf", "sich", "ein",
            "eine", "dem", "auch", "wird", "nach", "bei", "wurde", "zu",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "et", "des", "est", "une", "du", "que", "dans", "pour", "qui",
            "pas", "sur", "au", "avec", "il", "sont", "ont", "ce",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "de", "que", "los", "las", "en", "por", "una", "con", "del", "para", "es",
            "se", "al", "como", "más", "pero", "su", "fue",
        ],
    ),
    (
        "it",
        &[
            "il", "di", "che", "la", "per", "non", "una", "del", "della", "sono", "con", "gli",
            "le", "nel", "anche", "è", "come", "ha", "si", "dei",
        ],
    ),
    (
        "pt",
        &[
            "de", "que", "não", "uma", "os", "do", "da", "em", "para", "com", "por", "mais", "dos",
            "as", "foi", "ao", "como", "na", "se", "é",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "van", "en", "niet", "dat", "op", "te", "zijn", "voor", "met",
            "die", "is", "ook", "maar", "aan", "werd", "bij", "wordt",
        ],
    ),
    (
        "pl",
        &[
            "nie", "się", "na", "że", "jest", "do", "to", "w", "z", "jak", "ale", "po", "od",
            "przez", "dla", "już", "tak", "być", "oraz", "jego",
        ],
    ),
    (
        "tr",
        &[
            "ve", "bir", "bu", "da", "de", "için", "ile", "olarak", "daha", "çok", "gibi", "olan",
            "en", "ne", "kadar", "ama", "sonra", "ise", "her", "diye",
        ],
    ),
];

/// Guesses the language of `text` as a lowercase ISO 639-1 code.
pub(crate) fn detect(text: &str) -> Option<String> {
    let sample: String = text.chars().take(4000).collect();
    let mut letters = 0usize;
    let (mut cyr, mut latin, mut greek, mut arabic, mut hebrew) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let (mut kana, mut han, mut hangul, mut thai, mut deva) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let (mut ru_only, mut uk_only, mut bg_hint) = (0usize, 0usize, 0usize);
    for c in sample.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        match c {
            'a'..='z' | 'A'..='Z' | '\u{C0}'..='\u{24F}' => latin += 1,
            '\u{400}'..='\u{4FF}' => {
                cyr += 1;
                match c {
                    'ы' | 'Ы' | 'э' | 'Э' | 'ё' | 'Ё' => ru_only += 1,
                    'і' | 'І' | 'ї' | 'Ї' | 'є' | 'Є' | 'ґ' | 'Ґ' => uk_only += 1,
                    'ъ' | 'Ъ' => bg_hint += 1,
                    _ => {}
                }
            }
            '\u{370}'..='\u{3FF}' => greek += 1,
            '\u{600}'..='\u{6FF}' => arabic += 1,
            '\u{590}'..='\u{5FF}' => hebrew += 1,
            '\u{3040}'..='\u{30FF}' => kana += 1,
            '\u{4E00}'..='\u{9FFF}' => han += 1,
            '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' => hangul += 1,
            '\u{E00}'..='\u{E7F}' => thai += 1,
            '\u{900}'..='\u{97F}' => deva += 1,
            _ => {}
        }
    }
    if letters < 20 {
        return None;
    }
    let major = |n: usize| n * 2 > letters;
    if major(cyr) {
        return Some(
            if uk_only > ru_only {
                "uk"
            } else if ru_only == 0 && bg_hint > 0 {
                "bg"
            } else {
                "ru"
            }
            .into(),
        );
    }
    if kana > 0 && major(kana + han) {
        return Some("ja".into());
    }
    for (n, code) in [
        (han, "zh"),
        (hangul, "ko"),
        (greek, "el"),
        (arabic, "ar"),
        (hebrew, "he"),
        (thai, "th"),
        (deva, "hi"),
    ] {
        if major(n) {
            return Some(code.into());
        }
    }
    if !major(latin) {
        return None;
    }
    let words: Vec<String> = sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(600)
        .map(str::to_lowercase)
        .collect();
    let mut scores: Vec<(usize, &str)> = LATIN
        .iter()
        .map(|(code, list)| {
            (
                words.iter().filter(|w| list.contains(&w.as_str())).count(),
                *code,
            )
        })
        .collect();
    scores.sort_by_key(|s| std::cmp::Reverse(s.0));
    let (best, code) = scores[0];
    let second = scores[1].0;
    (best * 100 >= words.len() * 8 && best * 2 > second * 3).then(|| code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_languages_apart() {
        assert_eq!(detect("The minister said on Monday that the talks with the delegation would resume in April, and that both sides have agreed on the agenda.").as_deref(), Some("en"));
        assert_eq!(detect("Der Minister sagte am Montag, dass die Gespräche mit der Delegation im April fortgesetzt werden und die Tagesordnung steht.").as_deref(), Some("de"));
        assert_eq!(detect("Le ministre a déclaré lundi que les négociations avec la délégation reprendront en avril et que les deux parties sont d'accord.").as_deref(), Some("fr"));
        assert_eq!(detect("Министр заявил в понедельник, что переговоры с делегацией возобновятся в апреле, и стороны согласовали повестку.").as_deref(), Some("ru"));
        assert_eq!(detect("Міністр заявив у понеділок, що переговори з делегацією відновляться у квітні, і сторони погодили порядок денний.").as_deref(), Some("uk"));
        assert_eq!(
            detect("大臣は月曜日、代表団との協議が四月に再開されると述べた。").as_deref(),
            Some("ja")
        );
        assert_eq!(detect("short"), None);
        assert_eq!(
            detect("Xyzzy plugh frobozz quux wibble wobble zork grue flathead bozbar."),
            None
        );
    }
}

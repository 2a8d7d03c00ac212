//! Text → comparison tokens: the line filter, datelines, agency credits and
//! character folding.
//!
//! Owns everything that decides *which words* of a page take part in the
//! comparison and *how they are spelled* there. Stateless: every function is a
//! pure map from text to [`Tokens`]. Any change to what comes out here changes
//! fingerprints, so it goes with a bump of [`super::FINGERPRINT_VERSION`].
//!
//! The input is either a cleaned body (paragraphs joined by `\n\n`) or the raw
//! text of a page as a scraper saw it (menus, counters, captions and all), so
//! the first step is a line filter that keeps prose and drops chrome:
//! [`keep_line`]. Datelines are cut from the start of a line
//! ([`strip_dateline`]); agency names and the report verbs next to them are
//! dropped from the token stream ([`drop_credits`]). Characters are folded with
//! NFKD (compatibility decomposition, combining marks dropped), case folding,
//! Cyrillic/Greek look-alike folding and the removal of invisible format
//! characters; words are then folded for British/American spelling.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::spelling::fold_spelling;

/// The words of one text as they take part in comparisons.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tokens {
    /// Folded words in reading order.
    pub words: Vec<String>,
    /// For each word: true if and only if it is a name or a number in the
    /// source (capitalised away from the start of a sentence, or all digits).
    pub anchor: Vec<bool>,
}

/// Words that may start a line filter decision or a stop-word ratio. Short and
/// English-first, with the commonest Russian function words.
pub(crate) const STOPWORDS: &[&str] = &[
    "a", "about", "after", "against", "all", "an", "and", "are", "as", "at", "be", "been",
    "before", "but", "by", "can", "could", "did", "do", "for", "from", "had", "has", "have", "he",
    "her", "his", "i", "if", "in", "into", "is", "it", "its", "more", "no", "not", "of", "on",
    "or", "our", "over", "said", "she", "so", "than", "that", "the", "their", "them", "there",
    "these", "they", "this", "those", "to", "up", "was", "we", "were", "what", "when", "which",
    "while", "who", "will", "with", "would", "you", "и", "в", "на", "с", "что", "по", "не", "к",
    "о", "из", "за", "для", "от", "это", "как", "а", "но",
];

/// Returns true if and only if `word` (already lowercase) is a stop word.
pub(crate) fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&word)
}

/// Line starts (lowercase) that mark inserted or chrome lines.
const CHROME_PREFIXES: &[&str] = &[
    "read also",
    "read more",
    "see also",
    "also read",
    "related:",
    "related articles",
    "related stories",
    "more about",
    "more on this",
    "photo:",
    "photo credit",
    "image:",
    "video:",
    "©",
    "(c)",
    "copyright",
    "advertisement",
    "leave a reply",
    "leave a comment",
    "your email address",
    "required fields",
    "subscribe",
    "sign up",
    "follow us",
    "share this",
    "click here",
    "all rights reserved",
    "tags:",
    "topics:",
];

/// Agency names (folded words) removed from the token stream with the report
/// verbs around them, so an added ", Sputnik reported" changes nothing.
const AGENCIES: &[&str] = &[
    "tass",
    "itar",
    "sputnik",
    "reuters",
    "afp",
    "ap",
    "xinhua",
    "interfax",
    "ria",
    "novosti",
    "bloomberg",
    "dpa",
    "efe",
    "ansa",
    "anadolu",
    "kyodo",
    "yonhap",
    "upi",
    "pti",
    "ians",
    "bernama",
    "antara",
    "irna",
    "prensa",
];

/// Words that attach a credit to an agency name on either side.
const CREDIT_WORDS: &[&str] = &[
    "reported",
    "reports",
    "reporting",
    "writes",
    "wrote",
    "cited",
];

/// Below this many words the strict line filter is not trusted, and every
/// line of the text is used instead: short inputs are taken as they are.
const MIN_FILTERED_WORDS: usize = 15;

/// Returns the comparison tokens of `text` (a cleaned body or raw page text).
pub fn tokens(text: &str) -> Tokens {
    let mut out = Tokens::default();
    let mut kept = 0;
    for line in text.lines() {
        if keep_line(line) {
            kept += 1;
            push_line(strip_dateline(line.trim()), &mut out);
        }
    }
    if kept == 0 || out.words.len() < MIN_FILTERED_WORDS {
        out = Tokens::default();
        for line in text.lines() {
            push_line(strip_dateline(line.trim()), &mut out);
        }
    }
    drop_credits(&mut out);
    out
}

/// Returns true if and only if a line of page text looks like article prose
/// rather than site chrome, a caption, a headline or an inserted link line.
///
/// Prose is a line of at least five words that ends like a sentence, or a
/// long line (20+ words) with a normal share of stop words. Headlines,
/// standfirsts without a full stop, menus, counters ("Read: 1344"), tag lines
/// ("More about: #Lavrov"), captions and credits ("© Name/TASS"), template
/// placeholders and icon-sprite text all fail one of these tests.
pub fn keep_line(line: &str) -> bool {
    let line = line.trim();
    if line.is_empty() || line.contains("{{") || line.contains('©') {
        return false;
    }
    let lower: String = line.chars().take(40).flat_map(char::to_lowercase).collect();
    if CHROME_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return false;
    }
    let mut words = 0usize;
    let mut stop = 0usize;
    for w in line.split_whitespace() {
        if !w.chars().any(char::is_alphanumeric) {
            continue;
        }
        words += 1;
        let w: String = w
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if is_stopword(&w) {
            stop += 1;
        }
    }
    if words < 5 {
        return false;
    }
    if words >= 8 && stop * 100 < words * 12 {
        return false;
    }
    ends_sentence(line) || words >= 20
}

/// Returns true if and only if the line ends with sentence punctuation,
/// possibly followed by closing quotes or brackets.
fn ends_sentence(line: &str) -> bool {
    let last = line
        .trim_end()
        .chars()
        .rev()
        .find(|c| !matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '“' | '‘'));
    matches!(last, Some('.' | '!' | '?' | '…' | ':' | ';'))
}

/// Returns `line` without a leading agency dateline such as
/// `MOSCOW, March 5. /TASS/.`, `LONDON (Reuters) -`, `WASHINGTON, Feb 3 (AP) —`
/// or `KYIV —`. A dateline is a run of words that are capitalised, numbers or
/// in brackets, ended by an agency marker or a dash, within the first 80 bytes
/// and starting with an all-capitals word.
pub fn strip_dateline(line: &str) -> &str {
    let first = line.split_whitespace().next().unwrap_or("");
    let caps = first.trim_end_matches([',', '.']);
    if caps.chars().count() < 2
        || !caps
            .chars()
            .all(|c| c.is_uppercase() || c == '-' || c == '\'')
    {
        return line;
    }
    let mut in_bracket = false;
    for (i, c) in line.char_indices() {
        if i > 80 {
            return line;
        }
        match c {
            '(' => in_bracket = true,
            ')' => in_bracket = false,
            '/' if !in_bracket => {
                // "/TASS/." : find the closing slash and eat a following '.'.
                if let Some(end) = line[i + 1..].find('/') {
                    let agency = &line[i + 1..i + 1 + end];
                    if !agency.is_empty() && agency.len() < 30 && !agency.contains(' ') {
                        let rest = line[i + 2 + end..].trim_start_matches(['.', ' ', ':']);
                        return rest.trim_start_matches(['-', '–', '—', ' ']);
                    }
                }
                return line;
            }
            '-' | '–' | '—' if !in_bracket => {
                let before = line[..i].trim_end();
                let after = &line[i + c.len_utf8()..];
                // A dash inside a word ("Rostov-on-Don") does not end a dateline.
                if before.len() + 1 < i || after.starts_with([' ', '-']) {
                    return after.trim_start_matches(['-', ' ']);
                }
            }
            c if c.is_lowercase() && !in_bracket => {
                // A lowercase word outside brackets: allowed only as a month
                // abbreviation tail ("Feb") or "on" in a place name.
                let word_start = line[..i].rfind(' ').map_or(0, |s| s + 1);
                let prev = line[word_start..i].chars().next();
                if prev.is_none_or(|p| !p.is_uppercase()) {
                    return line;
                }
            }
            _ => {}
        }
    }
    line
}

/// Appends the folded words of one line to `out`.
fn push_line(line: &str, out: &mut Tokens) {
    let mut word = String::new();
    let mut capital = false;
    let mut all_digits = true;
    let mut sentence_start = true;
    let mut chars = line.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        let mut handled = false;
        fold_char(c, &mut |f| {
            handled = true;
            if f.is_alphanumeric() {
                if word.is_empty() {
                    capital = f.is_uppercase();
                    all_digits = true;
                }
                if !f.is_ascii_digit() {
                    all_digits = false;
                }
                if f.is_ascii() {
                    word.push(f.to_ascii_lowercase());
                } else {
                    for l in f.to_lowercase() {
                        word.push(fold_lookalike(l));
                    }
                }
            } else if is_apostrophe(f) && !word.is_empty() {
                // "Moscow’s" and "Moscow's" both become "moscows".
            } else if matches!(f, ',' | '.' | ' ' | '\u{2009}')
                && prev.is_some_and(|p| p.is_ascii_digit())
                && chars.peek().is_some_and(char::is_ascii_digit)
                && !word.is_empty()
            {
                // "100,000", "100 000" and "100000" are one number.
            } else {
                if !word.is_empty() {
                    finish_word(&mut word, capital && !sentence_start, all_digits, out);
                    sentence_start = false;
                }
                if matches!(f, '.' | '!' | '?' | '…' | ':' | '"' | '“' | '«') {
                    sentence_start = true;
                }
            }
        });
        if handled {
            prev = Some(c);
        }
    }
    if !word.is_empty() {
        finish_word(&mut word, capital && !sentence_start, all_digits, out);
    }
}

/// Pushes a finished word (and clears the buffer).
fn finish_word(word: &mut String, capital: bool, digits: bool, out: &mut Tokens) {
    let folded = fold_spelling(word);
    let anchor = digits || (capital && !is_stopword(&folded));
    out.words.push(folded);
    out.anchor.push(anchor);
    word.clear();
}

/// Returns true if and only if `c` is an apostrophe or a mark used for one.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´' | '′')
}

/// Calls `f` with the folded form of `c`: nothing for invisible format
/// characters, the compatibility decomposition without combining marks
/// otherwise (so `ﬁ` → `fi`, `é` → `e`, a no-break space → a space).
fn fold_char(c: char, f: &mut impl FnMut(char)) {
    if c.is_ascii() {
        return f(c);
    }
    match c {
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' => {}
        '\u{2010}'..='\u{2015}' | '\u{2212}' => f('-'),
        _ => decompose_compatible(c, |d| {
            if !is_combining_mark(d) {
                f(d)
            }
        }),
    }
}

/// Folds a lowercase Cyrillic or Greek letter that looks like a Latin one to
/// that Latin letter. Applied after lowercasing, so it commutes with case.
pub(crate) fn fold_lookalike(c: char) -> char {
    match c {
        'а' | 'α' => 'a',
        'в' | 'β' => 'b',
        'с' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'ё' | 'ε' => 'e',
        'һ' | 'н' => 'h',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'к' | 'κ' => 'k',
        'ӏ' => 'l',
        'м' => 'm',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'ԛ' => 'q',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'υ' => 'u',
        'ν' => 'v',
        'ԝ' => 'w',
        'х' | 'χ' => 'x',
        'у' => 'y',
        _ => c,
    }
}

/// Drops agency names from the tokens, with a credit verb next to them
/// (`sputnik reported`, `tass reports`) and a leading `according to`.
pub fn drop_credits(t: &mut Tokens) {
    let n = t.words.len();
    let mut drop = vec![false; n];
    for i in 0..n {
        if !AGENCIES.contains(&t.words[i].as_str()) {
            continue;
        }
        drop[i] = true;
        if i + 1 < n && CREDIT_WORDS.contains(&t.words[i + 1].as_str()) {
            drop[i + 1] = true;
        }
        if i >= 1 && CREDIT_WORDS.contains(&t.words[i - 1].as_str()) {
            drop[i - 1] = true;
        }
        if i >= 2 && t.words[i - 2] == "according" && t.words[i - 1] == "to" {
            drop[i - 2] = true;
            drop[i - 1] = true;
        }
    }
    if !drop.contains(&true) {
        return;
    }
    let mut k = 0;
    t.words.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
    let mut k = 0;
    t.anchor.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> String {
        let mut t = Tokens::default();
        push_line(text, &mut t);
        t.words.join(" ")
    }

    #[test]
    fn folds_typography_and_lookalikes() {
        assert_eq!(
            words("Moscow’s “dialogue” — 100,000"),
            "moscows dialog 100000"
        );
        assert_eq!(
            words("Moscow's \"dialog\" - 100000"),
            "moscows dialog 100000"
        );
        // Cyrillic а, о and е in a Latin word, a zero-width space and a soft hyphen.
        assert_eq!(
            words("L\u{430}vr\u{43e}v s\u{200b}aid\u{ad}s"),
            "lavrov saids"
        );
        assert_eq!(words("ＦＵＬＬ café"), "full cafe");
    }

    #[test]
    fn strips_datelines() {
        assert_eq!(
            strip_dateline("MOSCOW, March 5. /TASS/. Russia is"),
            "Russia is"
        );
        assert_eq!(
            strip_dateline("LONDON (Reuters) - Britain said"),
            "Britain said"
        );
        assert_eq!(strip_dateline("WASHINGTON, Feb 3 (AP) — The US"), "The US");
        assert_eq!(strip_dateline("KYIV — Ukraine said"), "Ukraine said");
        assert_eq!(
            strip_dateline("NATO allies met on Monday - and"),
            "NATO allies met on Monday - and"
        );
        assert_eq!(strip_dateline("US-Russia talks"), "US-Russia talks");
        assert_eq!(strip_dateline("Russia is ready"), "Russia is ready");
    }

    #[test]
    fn line_filter_keeps_prose() {
        assert!(keep_line(
            "Russia is ready to consider ways to improve its relations, Lavrov said."
        ));
        assert!(!keep_line("  12 February 2018    Read: 1344"));
        assert!(!keep_line("More about: #Lavrov"));
        assert!(!keep_line(
            "Moscow names condition for ‘normalizing’ relations with US"
        ));
        assert!(!keep_line("© Stanislav Krasilnikov/TASS"));
        assert!(!keep_line("Read also"));
        assert!(!keep_line("{{item.group_date}}"));
        assert!(!keep_line(
            "Your email address will not be published. Required fields are marked *"
        ));
        assert!(!keep_line(
            "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon chevron lefticon \
             chevron righticon chevron upicon closeicon v-compressicon downloadicon editicon fm"
        ));
    }

    #[test]
    fn drops_agency_credits() {
        let a = tokens(
            "Lavrov said Sunday, Sputnik reported. He added that nothing changed at all here.",
        );
        let b = tokens("Lavrov said Sunday. He added that nothing changed at all here.");
        assert_eq!(a.words, b.words);
        let c =
            tokens("According to TASS, Lavrov said Sunday. He added that nothing changed at all.");
        assert_eq!(c.words[0], "lavrov");
    }

    #[test]
    fn marks_anchors() {
        let t = tokens("The minister met Sergei Lavrov in Sochi on 7 February.");
        let anchors: Vec<&str> = t
            .words
            .iter()
            .zip(&t.anchor)
            .filter(|(_, a)| **a)
            .map(|(w, _)| w.as_str())
            .collect();
        assert_eq!(anchors, ["sergei", "lavrov", "sochi", "7", "february"]);
    }
}

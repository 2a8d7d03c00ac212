//! Word lists the normaliser consults: stop words, chrome line starts,
//! agency names and credit verbs.
//!
//! Owns the lists and their hashed forms ([`WordSet`]s, built once per
//! process). Changing a list changes which words take part in comparisons,
//! so it goes with a bump of [`super::FINGERPRINT_VERSION`].

use super::wordset::WordSet;

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

/// Line starts (lowercase) that mark inserted or chrome lines.
pub(crate) const CHROME_PREFIXES: &[&str] = &[
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
pub(crate) const AGENCIES: &[&str] = &[
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
    "тасс",
    "риа",
    "новости",
    "интерфакс",
    "спутник",
];

/// The stop words as a [`WordSet`].
pub(crate) fn stopwords() -> &'static WordSet {
    static SET: std::sync::OnceLock<WordSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| WordSet::new(STOPWORDS))
}

/// The agency names as a [`WordSet`].
pub(crate) fn agencies() -> &'static WordSet {
    static SET: std::sync::OnceLock<WordSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| WordSet::new(AGENCIES))
}

/// Words that attach a credit to an agency name on either side.
pub(crate) const CREDIT_WORDS: &[&str] = &[
    "reported",
    "reports",
    "reporting",
    "writes",
    "wrote",
    "cited",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::normalize::fold_lookalike;
    use crate::dedup::shingle::word_hash;

    #[test]
    fn agency_and_stop_word_sets() {
        for a in AGENCIES {
            let folded: String = a.chars().map(fold_lookalike).collect();
            assert!(agencies().contains_hash(word_hash(&folded)), "{a}");
        }
        for w in STOPWORDS {
            let folded: String = w.chars().map(fold_lookalike).collect();
            assert!(stopwords().contains_hash(word_hash(&folded)), "{w}");
        }
        assert!(!stopwords().contains_hash(word_hash("lavrov")));
    }
}

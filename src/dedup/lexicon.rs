//! Word lists the normaliser and the skeleton consult: stop words, chrome line
//! starts, agency names, credit verbs and function words.
//!
//! Owns the lists and their hashed form (one [`WordTable`] of word classes,
//! built once per process). Changing a list changes which words take part in comparisons,
//! so it goes with a bump of [`super::FINGERPRINT_VERSION`].

use super::spelling::IRREGULAR;
use super::wordset::{class, WordTable};

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

/// Function words that make up a text's skeleton: what a synonym spinner
/// leaves alone. Not "said" (spinners swap it for "stated", "claimed") and
/// not "also", "actually", "as well as", which they insert.
pub(crate) const SKELETON: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "an", "and", "any", "are", "as",
    "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
    "can", "could", "did", "do", "does", "during", "each", "few", "for", "from", "further", "had",
    "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in",
    "into", "is", "it", "its", "itself", "me", "more", "most", "my", "no", "nor", "not", "of",
    "off", "on", "once", "only", "or", "other", "our", "out", "over", "own", "same", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was",
    "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would", "you", "your", "и", "в", "во", "не", "что", "он", "на", "я", "с", "со", "как", "а",
    "то", "все", "она", "так", "его", "но", "да", "к", "у", "же", "за", "бы", "по", "только", "ее",
    "было", "от", "еще", "нет", "о", "об", "из", "ему", "когда", "даже", "ли", "если", "уже", "или",
    "ни", "быть", "был", "до", "там", "себя", "они", "где", "есть", "для", "мы", "их", "чем",
    "была", "без", "под", "будет", "тогда", "кто", "этот", "того", "потому", "этого", "при",
    "после", "над", "через", "эти", "нас", "про", "перед", "между", "также", "который", "которые",
    "которая", "которых", "это",
];

/// Words that attach a credit to an agency name on either side.
pub(crate) const CREDIT_WORDS: &[&str] = &[
    "reported",
    "reports",
    "reporting",
    "writes",
    "wrote",
    "cited",
];

/// Every word of the lists above with its [`class`] bits.
pub(crate) fn word_classes() -> &'static WordTable {
    static TABLE: std::sync::OnceLock<WordTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let irregular: Vec<&str> = IRREGULAR.iter().map(|&(british, _)| british).collect();
        WordTable::new(&[
            (STOPWORDS, class::STOP),
            (AGENCIES, class::AGENCY),
            (SKELETON, class::SKELETON),
            (CREDIT_WORDS, class::CREDIT),
            (&irregular, class::IRREGULAR),
        ])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::normalize::fold_lookalike;
    use crate::dedup::shingle::word_hash;

    #[test]
    fn every_listed_word_has_its_class() {
        let table = word_classes();
        for (list, bit) in [
            (AGENCIES, class::AGENCY),
            (STOPWORDS, class::STOP),
            (SKELETON, class::SKELETON),
            (CREDIT_WORDS, class::CREDIT),
        ] {
            for w in list {
                let folded: String = w.chars().map(fold_lookalike).collect();
                assert_ne!(table.class(word_hash(&folded)) & bit, 0, "{w}");
            }
        }
        assert_eq!(table.class(word_hash("lavrov")), 0);
        // "the" is a stop word and a function word, not an agency.
        assert_eq!(
            table.class(word_hash("the")),
            class::STOP | class::SKELETON
        );
    }
}

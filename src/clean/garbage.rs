//! The language check: text that is mostly not words is refused.
//!
//! Random bytes served as `text/html` decode (in windows-1252, GBK, …) to
//! "text" with no markup to strip, and would otherwise be kept whole as an
//! article. Text in any script is mostly letters, digits and a little
//! punctuation between whitespace; decoded noise is full of symbols,
//! control characters and U+FFFD. So: among the non-whitespace characters
//! of the extracted text, if fewer than [`MIN_WORDISH`] are letters, marks,
//! digits or common punctuation, the text is not language. Short texts are
//! not judged (a headline of figures is fine).

use super::Error;

/// Share of word characters below which the text is refused.
const MIN_WORDISH: f64 = 0.8;

/// Texts with fewer non-whitespace characters than this are not judged.
const MIN_JUDGED: usize = 200;

/// True for the characters that make up words and sentences.
fn wordish(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(
            c,
            '.' | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | '\''
                | '"'
                | '('
                | ')'
                | '-'
                | '/'
                | '%'
                | '&'
                | '«'
                | '»'
                | '„'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '–'
                | '—'
                | '…'
                | '·'
                | '、'
                | '。'
                | '，'
                | '「'
                | '」'
                | '・'
                | '（'
                | '）'
                | '！'
                | '？'
                | '：'
                | '；'
        )
        || is_mark(c)
}

/// Combining marks, some of which `is_alphanumeric` does not count: the
/// Latin diacritics and the Indic, Thai, Arabic and Hebrew vowel signs.
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670
        | 0x06D6..=0x06ED | 0x0900..=0x0DFF | 0x0E31..=0x0E4E | 0x0EB1..=0x0ECD
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The share of word characters among the non-whitespace ones, and how
/// many non-whitespace characters there are.
fn wordish_share(text: &str) -> (f64, usize) {
    let (mut total, mut words) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        total += 1;
        words += usize::from(wordish(c));
    }
    if total == 0 {
        return (1.0, 0);
    }
    (words as f64 / total as f64, total)
}

/// Refuses text that is mostly not language with [`Error::NoText`].
pub(super) fn check(text: &str) -> Result<(), Error> {
    let (share, judged) = wordish_share(text);
    if judged >= MIN_JUDGED && share < MIN_WORDISH {
        return Err(Error::NoText);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_in_several_scripts_passes() {
        for text in [
            "GENEVA, May 3 (Reuters) - Negotiators met again on Friday, after a pause of almost two years, officials said. The next round is planned for the autumn; 42% of delegates agreed.",
            "МОСКВА, 3 мая. /ТАСС/. Переговоры возобновились в пятницу после почти двухлетнего перерыва, сообщили официальные лица. Следующий раунд запланирован на осень.",
            "東京、5月3日（ロイター） - 両国の交渉担当者は金曜日、約2年ぶりに再び会合を開いた。次回の協議は秋に予定されている。",
            "नई दिल्ली, 3 मई। दोनों देशों के वार्ताकार लगभग दो साल के अंतराल के बाद शुक्रवार को फिर मिले, अधिकारियों ने कहा।",
            "Results: 3-1, 2-0, 1-1 (4-3 pens), 0-2. Table: 1. Ajax 21, 2. PSV 19, 3. Feyenoord 18.",
        ] {
            let text = text.repeat(4);
            assert!(check(&text).is_ok(), "{} {text}", wordish_share(&text).0);
        }
    }

    #[test]
    fn decoded_noise_is_refused() {
        // A fixed pseudo-random byte stream, decoded the way pages are.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let bytes: Vec<u8> = (0..20_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        for ct in [
            None,
            Some("text/html; charset=windows-1252"),
            Some("text/html; charset=gbk"),
            Some("text/html; charset=utf-8"),
            Some("text/html; charset=shift_jis"),
        ] {
            let (text, label, _) = super::super::charset::decode(&bytes, ct);
            let (share, _) = wordish_share(&text);
            assert!(share < 0.7, "{label}: share {share}");
            assert!(check(&text).is_err(), "{label}: share {share}");
        }
        // End to end: noise served as a page is not an article.
        let cleaned = super::super::Cleaner::default().clean(&bytes, None);
        assert!(matches!(cleaned, Err(Error::NoText)), "{cleaned:?}");
    }

    #[test]
    fn short_texts_are_not_judged() {
        assert!(check("#### $$$ ^^^ ~~~").is_ok());
    }
}

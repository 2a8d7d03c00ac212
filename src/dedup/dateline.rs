//! Agency datelines at the start of a line: recognised and cut.
//!
//! Owns [`strip_dateline`] and its month list. Stateless. A changed dateline
//! ("MOSCOW, March 5. /TASS/." on the agency's page, "MOSCOW (Reuters) -" on
//! a reprint) must not make two copies of one story differ.

/// Month names and abbreviations, English and Russian (genitive), lowercase.
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// Returns `line` without a leading agency dateline such as
/// `MOSCOW, March 5. /TASS/.`, `LONDON (Reuters) -`, `WASHINGTON, Feb 3 (AP) —`,
/// `KYIV —`, `МОСКВА, 10 сентября — РИА Новости.` or `Москва, 10.09.2024.`.
///
/// A dateline is at most eight tokens: a capitalised place, then dates
/// (numbers, month names), bracketed agencies, ended by an agency marker
/// (`/TASS/.`), a dash (optionally followed by a short capitalised agency
/// name ending in a full stop) or a full stop after a date. The place must be
/// in capitals or a date must be present, so "Russia - the country said"
/// keeps its first word.
pub fn strip_dateline(line: &str) -> &str {
    let mut caps_place = false;
    let mut has_date = false;
    let mut in_bracket = false;
    let mut toks = line.split_whitespace().peekable();
    let mut n = 0;
    let rest_after = |tok: &str| -> &str {
        // `tok` is a subslice of `line`: return what follows it.
        let end = tok.as_ptr() as usize - line.as_ptr() as usize + tok.len();
        line.get(end..).unwrap_or("").trim_start()
    };
    while let Some(tok) = toks.next() {
        n += 1;
        if n > 8 {
            return line;
        }
        let bare = tok.trim_end_matches([',', ';']);
        if in_bracket {
            in_bracket = !bare.ends_with(')');
            continue;
        }
        if n == 1 {
            let mut letters = bare.chars().filter(|c| c.is_alphabetic());
            if letters.next().is_none_or(|c| !c.is_uppercase()) {
                return line;
            }
            // The first letter is a capital: the place is in capitals if
            // there is another letter and every one is a capital.
            let mut rest = letters.peekable();
            caps_place = rest.peek().is_some() && rest.all(char::is_uppercase);
            continue;
        }
        let valid = caps_place || has_date;
        if matches!(bare, "-" | "--" | "—" | "–") {
            if !valid {
                return line;
            }
            // Optional agency tail: up to three capitalised words ending in '.'.
            let tail: Vec<&str> = toks.clone().take(3).collect();
            for (i, t) in tail.iter().enumerate() {
                if !t.chars().next().is_some_and(char::is_uppercase) {
                    break;
                }
                if t.ends_with('.') && i < 2 {
                    return rest_after(t);
                }
            }
            return rest_after(tok);
        }
        if bare.starts_with('/') && bare.len() > 2 && bare.trim_end_matches('.').ends_with('/') {
            return if valid { rest_after(tok) } else { line };
        }
        if bare.starts_with('(') {
            in_bracket = !bare.ends_with(')');
            continue;
        }
        let word = bare.trim_end_matches(['.', ':']);
        let lower = word.to_lowercase();
        let is_date = word.chars().any(|c| c.is_ascii_digit())
            && word
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '/' | '-'));
        let is_month = MONTHS.contains(&lower.as_str());
        has_date |= is_date || is_month;
        if !(is_date || is_month || word.chars().next().is_some_and(char::is_uppercase)) {
            return line;
        }
        if bare.ends_with(':') {
            // "Moscow, 5 March: Russia is ..."
            return if has_date || caps_place {
                rest_after(tok)
            } else {
                line
            };
        }
        if bare.ends_with('.') && !is_month {
            if let Some(next) = toks.peek() {
                if next.starts_with('/') && next.trim_end_matches('.').ends_with('/') {
                    return rest_after(next);
                }
            }
            return if has_date { rest_after(tok) } else { line };
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(strip_dateline("Moscow, 5 March: Russia is"), "Russia is");
        assert_eq!(
            strip_dateline("Lavrov: Russia is ready"),
            "Lavrov: Russia is ready"
        );
        assert_eq!(strip_dateline("SOCHI, February 7. /TASS/."), "");
        assert_eq!(
            strip_dateline("МОСКВА, 10 сентября — РИА Новости. Россия пока"),
            "Россия пока"
        );
        assert_eq!(
            strip_dateline("Москва, 10.09.2024. Россия пока"),
            "Россия пока"
        );
        assert_eq!(
            strip_dateline("Russia - the country said"),
            "Russia - the country said"
        );
        assert_eq!(
            strip_dateline("Lavrov spoke on 5 March."),
            "Lavrov spoke on 5 March."
        );
    }
}

//! Datelines and agency credits: who the copy comes from.
//!
//! Agencies open their copy with a dateline that names them
//! (`SOCHI, February 7. /TASS/.`, `LONDON (Reuters) -`,
//! `МОСКВА, 5 мар — РИА Новости.`); outlets that reprint it credit the
//! agency in a phrase (`…, Sputnik reported.`, `сообщает ТАСС`) or a
//! source line (`Source: Interfax`). A mere mention ("he told TASS") is not
//! a credit, so phrases are only looked for where credits go: the first and
//! last paragraphs, as a clause of their own.

use std::sync::LazyLock;

use regex::Regex;

/// Spellings of each agency, and the name wirecopy reports.
const AGENCIES: &[(&str, &str)] = &[
    ("TASS", "TASS"),
    ("ТАСС", "TASS"),
    ("ИТАР-ТАСС", "TASS"),
    ("Sputnik", "Sputnik"),
    ("Спутник", "Sputnik"),
    ("RIA Novosti", "RIA Novosti"),
    ("РИА Новости", "RIA Novosti"),
    ("RIA", "RIA Novosti"),
    ("Interfax", "Interfax"),
    ("INTERFAX.RU", "Interfax"),
    ("Интерфакс", "Interfax"),
    ("Reuters", "Reuters"),
    ("Рейтер", "Reuters"),
    ("AP", "AP"),
    ("Associated Press", "AP"),
    ("the Associated Press", "AP"),
    ("AFP", "AFP"),
    ("Agence France-Presse", "AFP"),
    ("Франс Пресс", "AFP"),
    ("Xinhua", "Xinhua"),
    ("Синьхуа", "Xinhua"),
    ("Bloomberg", "Bloomberg"),
    ("UNIAN", "UNIAN"),
    ("Ukrinform", "Ukrinform"),
    ("BelTA", "BelTA"),
];

const NAMES: &str = r"ИТАР-ТАСС|TASS|ТАСС|Sputnik|Спутник|RIA Novosti|РИА Новости|Interfax|INTERFAX\.RU|Интерфакс|Reuters|Рейтер|the Associated Press|Associated Press|AP|AFP|Agence France-Presse|Франс Пресс|Xinhua|Синьхуа|Bloomberg|UNIAN|Ukrinform|BelTA";

/// Openings that are datelines, each capturing the agency as `agency`.
static DATELINES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let place = r"[\p{Lu}][\p{Lu}\p{M}\-'’. ]{1,40}(?:,\s*[\p{Lu}][\p{L}\-. ]{1,30})?";
    [
        // SOCHI, February 7. /TASS/.   МОСКВА, 12 марта. /ТАСС/.
        format!(r"^{place},\s*[^./]{{1,24}}\.?\s*/(?P<agency>{NAMES})/\.?"),
        // LONDON (Reuters) -   PARIS, March 3 (AFP) —
        format!(r"^{place}(?:,\s*[\p{{L}}]+\.?\s+\d{{1,2}})?\s*\((?P<agency>{NAMES})\)\s*[-–—:]"),
        // МОСКВА, 5 мар — РИА Новости.   Москва, 5 марта - Sputnik.
        format!(r"^[\p{{Lu}}][\p{{L}}\-. ]{{1,40}},\s*\d{{1,2}}\s+\p{{L}}+\.?\s*[-–—]\s*(?P<agency>{NAMES})\.?"),
        // Москва. 5 марта. INTERFAX.RU -
        format!(r"^[\p{{Lu}}][\p{{L}}\-. ]{{1,40}}\.\s*\d{{1,2}}\s+\p{{L}}+\.\s*(?P<agency>{NAMES})\s*[-–—]"),
    ]
    .iter()
    .filter_map(|re| Regex::new(re).ok())
    .collect()
});

/// Credit phrases and source lines, each capturing `agency`.
static CREDITS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        format!(r"[,—–-]\s*(?:the\s+)?(?P<agency>{NAMES})\s+(?:news agency\s+)?(?:reported|reports|said|writes|wrote|informs)\s*\.?\s*$"),
        format!(r"(?:сообщает|сообщило|сообщили|передает|передаёт|пишет|сообщает агентство)\s+(?:корреспондент\s+)?(?P<agency>{NAMES})\b"),
        format!(r"(?i:^(?:source|sources|источник|по материалам)\s*:\s*)(?P<agency>{NAMES})\b"),
        format!(r"^[\(\[]?(?:[-–—]\s*)?(?P<agency>{NAMES})[\)\]]?\.?$"),
        format!(r"^(?i:according to)\s+(?P<agency>{NAMES})\s*,"),
    ]
    .iter()
    .filter_map(|re| Regex::new(re).ok())
    .collect()
});

/// Who the copy is credited to, as read from the body text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Credit {
    pub dateline: Option<String>,
    pub agency: Option<String>,
}

/// Maps a spelling to the reported agency name.
fn canonical(name: &str) -> Option<String> {
    AGENCIES
        .iter()
        .find(|(spelling, _)| *spelling == name)
        .map(|(_, canon)| canon.to_string())
}

/// Reads the dateline and agency credit from the body paragraphs.
pub(crate) fn read(text: &str) -> Credit {
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    let mut credit = Credit::default();
    if let Some(first) = paragraphs.first() {
        for re in DATELINES.iter() {
            if let Some(caps) = re.captures(first) {
                credit.dateline = caps.get(0).map(|m| m.as_str().trim().to_string());
                credit.agency = caps.name("agency").and_then(|m| canonical(m.as_str()));
                return credit;
            }
        }
    }
    let n = paragraphs.len();
    let mut places: Vec<&str> = paragraphs.iter().take(2).copied().collect();
    if n > 2 {
        places.extend(paragraphs[n.saturating_sub(2)..].iter().copied());
    }
    for p in places {
        for sentence in clauses(p) {
            for re in CREDITS.iter() {
                if let Some(caps) = re.captures(sentence) {
                    credit.agency = caps.name("agency").and_then(|m| canonical(m.as_str()));
                    if credit.agency.is_some() {
                        return credit;
                    }
                }
            }
        }
    }
    credit
}

/// Splits a paragraph into sentences (keeping their final stop).
fn clauses(p: &str) -> impl Iterator<Item = &str> {
    p.split_inclusive(['.', '!', '?'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credit(text: &str) -> (Option<String>, Option<String>) {
        let c = read(text);
        (c.dateline, c.agency)
    }

    #[test]
    fn reads_datelines() {
        assert_eq!(
            credit("SOCHI, February 7. /TASS/. Russia is ready."),
            (
                Some("SOCHI, February 7. /TASS/.".into()),
                Some("TASS".into())
            )
        );
        assert_eq!(
            credit("LONDON (Reuters) - Shares fell."),
            (Some("LONDON (Reuters) -".into()), Some("Reuters".into()))
        );
        assert_eq!(
            credit("PARIS, March 3 (AFP) — Talks ended."),
            (Some("PARIS, March 3 (AFP) —".into()), Some("AFP".into()))
        );
        assert_eq!(
            credit("МОСКВА, 12 марта. /ТАСС/. Переговоры продолжатся."),
            (
                Some("МОСКВА, 12 марта. /ТАСС/.".into()),
                Some("TASS".into())
            )
        );
        assert_eq!(
            credit("МОСКВА, 5 мар — РИА Новости. Переговоры."),
            (
                Some("МОСКВА, 5 мар — РИА Новости.".into()),
                Some("RIA Novosti".into())
            )
        );
    }

    #[test]
    fn reads_credits_but_not_mentions() {
        assert_eq!(
            credit("Russia is ready to talk, the minister said Sunday, Sputnik reported.\n\nMore."),
            (None, Some("Sputnik".into()))
        );
        assert_eq!(
            credit("Text.\n\nMore text.\n\nSource: Interfax"),
            (None, Some("Interfax".into()))
        );
        assert_eq!(
            credit("Переговоры продолжатся, сообщает РИА Новости."),
            (None, Some("RIA Novosti".into()))
        );
        assert_eq!(
            credit("The diplomat told the news agency TASS on Saturday that talks were off."),
            (None, None)
        );
        assert_eq!(
            credit("The US needs to act, a diplomat has said."),
            (None, None)
        );
    }
}

//! Dates as pages write them → a calendar day, and machine values → RFC 3339.
//!
//! [`exact`] reads the values of meta tags, `datetime` attributes and JSON-LD
//! (ISO 8601 / RFC 3339, RFC 2822 and their common variants). [`scan`] finds
//! the first date written for people in a run of text: "September 4, 2025",
//! "4 Sep 2025", "4. September 2025", "4 de septiembre de 2025",
//! "4 сентября 2025", "04.09.2025", "2025/09/04", "2025年9月4日", "09/04/2025".
//! The compiled pattern is built once and never changes.

use std::ops::Range;
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use regex::Regex;

/// A date found on a page: the day, and the full RFC 3339 value when a time
/// of day was given too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub day: NaiveDate,
    pub exact: Option<String>,
    /// The other reading of a numeric date that reads both ways
    /// (`03/10/2023`: 10 March or 3 October), if it is one.
    pub other: Option<NaiveDate>,
}

impl Stamp {
    /// A day without a time of day.
    pub(crate) fn on(day: NaiveDate) -> Stamp {
        Stamp {
            day,
            exact: None,
            other: None,
        }
    }

    /// The value `Article::published` carries: the full time when known,
    /// else midnight UTC of the day (the representation used before).
    pub(crate) fn rfc3339(&self) -> String {
        match &self.exact {
            Some(e) => e.clone(),
            None => format!("{}T00:00:00+00:00", self.day.format("%Y-%m-%d")),
        }
    }
}

/// Normalises a date or date-time to RFC 3339. A time without an offset is
/// taken as UTC; a bare date as midnight UTC.
#[cfg(test)]
fn rfc3339(raw: &str) -> Option<String> {
    exact(raw).map(|s| s.rfc3339())
}

/// Reads a machine-written value: RFC 3339 and ISO 8601 variants, RFC 2822,
/// else the first human-written date in it (via [`scan`], day-first for
/// ambiguous numbers only when `day_first`).
pub(crate) fn value(raw: &str, day_first: bool) -> Option<Stamp> {
    exact(raw).or_else(|| scan(raw, day_first).map(|(s, _)| s))
}

fn exact(raw: &str) -> Option<Stamp> {
    let s = raw.trim();
    let with_offset = |dt: DateTime<chrono::FixedOffset>| Stamp {
        day: dt.date_naive(),
        exact: Some(dt.to_rfc3339()),
        other: None,
    };
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(with_offset(dt));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%.f%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Some(with_offset(dt));
        }
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(with_offset(dt));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            let dt = dt.and_utc();
            return Some(Stamp {
                day: dt.date_naive(),
                exact: Some(dt.fixed_offset().to_rfc3339()),
                other: None,
            });
        }
    }
    let date_part = s.get(..10).unwrap_or(s);
    let rest_ok = s
        .get(10..)
        .is_none_or(|r| r.is_empty() || r.starts_with(['T', ' ']));
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        .ok()
        .filter(|_| rest_ok)
        .map(Stamp::on)
}

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)
            \b(?P<y1>(?:19|20)\d{2})\s?[-/.年]\s?(?P<m1>\d{1,2})\s?[-/.月]\s?(?P<d1>\d{1,2})(?:日|T|\b)
            | \b(?P<a2>\d{1,2})(?P<s2>[./-])(?P<b2>\d{1,2})[./-](?P<y2>(?:19|20)\d{2})\b
            | \b(?P<mn3>\p{L}{3,10})\.?\s+(?P<d3>\d{1,2})(?:st|nd|rd|th)?\b,?\s*(?P<y3>(?:19|20)\d{2})\b
            | \b(?P<d4>\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+|of\s+)?(?P<mn4>\p{L}{3,10})\.?,?\s+(?:de\s+)?(?P<y4>(?:19|20)\d{2})\b
            | \b(?P<y5>(?:19|20)\d{2}),?\s+(?P<mn5>\p{L}{3,10})\.?\s+(?P<d5>\d{1,2})\b",
        )
        .expect("the date pattern compiles")
    })
}

/// Finds the first date written in `text`, and where it is. Numeric dates
/// with both numbers ≤ 12 are read month-first unless `day_first`; dotted
/// ones (`04.09.2025`) are always day-first.
pub(crate) fn scan(text: &str, day_first: bool) -> Option<(Stamp, Range<usize>)> {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    for c in pattern().captures_iter(text) {
        let whole = c.get(0)?;
        let num = |k: &str| c.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
        let mut other = None;
        let ymd = if let (Some(y), Some(m), Some(d)) = (num("y1"), num("m1"), num("d1")) {
            Some((y, m, d))
        } else if let (Some(a), Some(b), Some(y)) = (num("a2"), num("b2"), num("y2")) {
            let dotted = c.name("s2").is_some_and(|s| s.as_str() == ".");
            if a <= 12 && b <= 12 && a != b {
                other = NaiveDate::from_ymd_opt(
                    y as i32,
                    if dotted || day_first { a } else { b },
                    if dotted || day_first { b } else { a },
                );
            }
            if a > 12 || ((dotted || day_first) && b <= 12) {
                Some((y, b, a))
            } else {
                Some((y, a, b))
            }
        } else if let (Some(mn), Some(d), Some(y)) = (c.name("mn3"), num("d3"), num("y3")) {
            month(mn.as_str()).map(|m| (y, m, d))
        } else if let (Some(d), Some(mn), Some(y)) = (num("d4"), c.name("mn4"), num("y4")) {
            month(mn.as_str()).map(|m| (y, m, d))
        } else if let (Some(y), Some(mn), Some(d)) = (num("y5"), c.name("mn5"), num("d5")) {
            month(mn.as_str()).map(|m| (y, m, d))
        } else {
            None
        };
        if let Some(day) = ymd.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y as i32, m, d)) {
            return Some((
                Stamp {
                    day,
                    exact: None,
                    other,
                },
                whole.range(),
            ));
        }
    }
    None
}

/// Month names and stems: a word is that month when it starts with the
/// stem and is at most a few letters longer (inflections, full names).
const MONTHS: &[(&str, u32)] = &[
    // English, and the stems it shares with German, Dutch, French, Spanish, Italian, Portuguese.
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("may", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    ("mär", 3),
    ("mai", 5),
    ("okt", 10),
    ("dez", 12),
    ("maart", 3),
    ("mei", 5),
    ("janv", 1),
    ("févr", 2),
    ("fevr", 2),
    ("avr", 4),
    ("juin", 6),
    ("juil", 7),
    ("août", 8),
    ("aout", 8),
    ("déc", 12),
    ("ene", 1),
    ("abr", 4),
    ("ago", 8),
    ("set", 9),
    ("dic", 12),
    ("gen", 1),
    ("mag", 5),
    ("giu", 6),
    ("lug", 7),
    ("out", 10),
    ("fev", 2),
    // Russian (nominative and genitive share these stems).
    ("янв", 1),
    ("фев", 2),
    ("мар", 3),
    ("апр", 4),
    ("мая", 5),
    ("май", 5),
    ("июн", 6),
    ("июл", 7),
    ("авг", 8),
    ("сен", 9),
    ("окт", 10),
    ("ноя", 11),
    ("дек", 12),
];

/// Returns the month a word names, if any.
pub(super) fn month(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let chars = w.chars().count();
    MONTHS
        .iter()
        .find(|(stem, _)| w.starts_with(stem) && chars <= stem.chars().count() + 7)
        .map(|&(_, m)| m)
        .filter(|_| !NOT_MONTHS.contains(&w.as_str()))
}

/// Words that start like a month but are not one.
const NOT_MONTHS: &[&str] = &[
    "marks",
    "market",
    "markets",
    "mayor",
    "junior",
    "general",
    "outside",
    "decision",
    "augmented",
    "separate",
    "setting",
    "settings",
    "sets",
    "outlook",
    "output",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<String> {
        scan(s, false).map(|(d, _)| d.day.format("%Y-%m-%d").to_string())
    }

    #[test]
    fn reads_machine_values() {
        assert_eq!(
            rfc3339("2024-03-05T14:20:00+03:00").as_deref(),
            Some("2024-03-05T14:20:00+03:00")
        );
        assert_eq!(
            rfc3339("2024-03-05T14:20:00Z").as_deref(),
            Some("2024-03-05T14:20:00+00:00")
        );
        assert_eq!(
            rfc3339("2024-03-05T14:20+0300").as_deref(),
            Some("2024-03-05T14:20:00+03:00")
        );
        assert_eq!(
            rfc3339("2024-03-05 14:20:00").as_deref(),
            Some("2024-03-05T14:20:00+00:00")
        );
        assert_eq!(
            rfc3339("2024-03-05").as_deref(),
            Some("2024-03-05T00:00:00+00:00")
        );
        assert_eq!(
            rfc3339("Tue, 05 Mar 2024 14:20:00 GMT").as_deref(),
            Some("2024-03-05T14:20:00+00:00")
        );
        assert_eq!(rfc3339("yesterday"), None);
        let v = value("Wed, 03/06/2024 - 11:38", false).expect("a date");
        assert_eq!(v.day.to_string(), "2024-03-06");
    }

    #[test]
    fn scans_dates_written_for_people() {
        assert_eq!(
            day("Posted on March 6, 2024 by Jo").as_deref(),
            Some("2024-03-06")
        );
        assert_eq!(day("Mar 6th, 2024").as_deref(), Some("2024-03-06"));
        assert_eq!(day("Sept. 6, 2024").as_deref(), Some("2024-09-06"));
        assert_eq!(day("6 Mar 2024").as_deref(), Some("2024-03-06"));
        assert_eq!(day("6. März 2024").as_deref(), Some("2024-03-06"));
        assert_eq!(day("6 de marzo de 2024").as_deref(), Some("2024-03-06"));
        assert_eq!(day("6 марта 2024 г.").as_deref(), Some("2024-03-06"));
        assert_eq!(day("6 mai 2024").as_deref(), Some("2024-05-06"));
        assert_eq!(day("06.03.2024").as_deref(), Some("2024-03-06"));
        assert_eq!(day("2024-03-06T08:10+02:00").as_deref(), Some("2024-03-06"));
        assert_eq!(day("2024/03/06").as_deref(), Some("2024-03-06"));
        assert_eq!(day("2024 Mar 6;15(1)").as_deref(), Some("2024-03-06"));
        assert_eq!(day("2024年3月6日").as_deref(), Some("2024-03-06"));
        assert_eq!(day("03/06/2024").as_deref(), Some("2024-03-06"));
        assert_eq!(day("25/03/2024").as_deref(), Some("2024-03-25"));
        assert_eq!(
            scan("03/06/2024", true).map(|(d, _)| d.day.to_string()),
            Some("2024-06-03".to_string())
        );
        let both_ways = scan("03/10/2023", false).map(|(d, _)| (d.day, d.other));
        assert_eq!(
            both_ways,
            Some((
                NaiveDate::from_ymd_opt(2023, 3, 10).expect("a day"),
                NaiveDate::from_ymd_opt(2023, 10, 3)
            ))
        );
        assert_eq!(scan("25/03/2024", false).and_then(|(d, _)| d.other), None);
        assert_eq!(day("Page 2, 2024"), None);
        assert_eq!(day("32/13/2024"), None);
        assert_eq!(day("no digits"), None);
    }
}

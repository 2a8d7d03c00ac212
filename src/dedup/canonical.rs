//! Which member of a cluster is its canonical text.
//!
//! Owns [`CanonicalPolicy`] and the per-document facts it reads
//! ([`DocMeta`]). The policy is a total order, so the canonical can be kept
//! up to date incrementally: a new member replaces the canonical if and only
//! if the policy prefers it. Ties fall to the earlier inserted document.

use serde::{Deserialize, Serialize};

/// How to choose the canonical text of a cluster.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CanonicalPolicy {
    /// The agency's own outlet first, then the earliest published, then the
    /// most complete text (most words). This is the default.
    #[default]
    AgencyFirst,
    /// The earliest published, then the most complete.
    Earliest,
    /// The most complete text, then the earliest published.
    Longest,
}

/// What the canonical policy knows about one document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMeta {
    /// True if and only if the document comes from the agency that wrote the
    /// story (TASS's story on tass.com).
    pub agency: bool,
    /// Publication time as Unix seconds, if known. Unknown sorts last.
    pub published: Option<i64>,
    /// Words after normalisation: how complete the text is.
    pub words: u32,
}

impl CanonicalPolicy {
    /// Returns true if and only if `a` should be canonical rather than `b`.
    /// Equal documents return false, so the incumbent stays.
    pub fn prefers(self, a: &DocMeta, b: &DocMeta) -> bool {
        use std::cmp::Ordering;
        let earliest = |x: &DocMeta, y: &DocMeta| match (x.published, y.published) {
            (Some(p), Some(q)) => p.cmp(&q),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        let longest = |x: &DocMeta, y: &DocMeta| y.words.cmp(&x.words);
        let order = match self {
            CanonicalPolicy::AgencyFirst => b
                .agency
                .cmp(&a.agency)
                .then(earliest(a, b))
                .then(longest(a, b)),
            CanonicalPolicy::Earliest => earliest(a, b).then(longest(a, b)),
            CanonicalPolicy::Longest => longest(a, b).then(earliest(a, b)),
        };
        order == Ordering::Less
    }
}

/// Parses a publication time: RFC 3339, or a bare `YYYY-MM-DD` (midnight
/// UTC). Returns `None` for anything else.
pub fn parse_published(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
}

/// Returns true if and only if `place` (an outlet name or a URL) is the own
/// outlet of `agency` ("TASS" and `https://tass.com/politics/1`).
pub fn is_agency_outlet(agency: &str, place: &str) -> bool {
    let key: String = agency
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let place: String = place
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '.' || *c == '/')
        .flat_map(char::to_lowercase)
        .collect();
    key.len() >= 2 && place.contains(&key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(agency: bool, published: Option<i64>, words: u32) -> DocMeta {
        DocMeta {
            agency,
            published,
            words,
        }
    }

    #[test]
    fn agency_then_earliest_then_longest() {
        let p = CanonicalPolicy::default();
        assert!(p.prefers(&meta(true, Some(9), 10), &meta(false, Some(1), 900)));
        assert!(p.prefers(&meta(false, Some(1), 10), &meta(false, Some(2), 900)));
        assert!(p.prefers(&meta(false, Some(1), 90), &meta(false, Some(1), 10)));
        assert!(p.prefers(&meta(false, Some(1), 90), &meta(false, None, 900)));
        assert!(!p.prefers(&meta(false, Some(1), 10), &meta(false, Some(1), 10)));
        assert!(CanonicalPolicy::Longest.prefers(&meta(false, None, 90), &meta(true, Some(1), 10)));
    }

    #[test]
    fn published_and_outlets() {
        assert_eq!(parse_published("1970-01-02"), Some(86_400));
        assert_eq!(parse_published("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_published("yesterday"), None);
        assert!(is_agency_outlet("TASS", "https://tass.com/politics/1"));
        assert!(is_agency_outlet("Sputnik", "sputniknews.com"));
        assert!(!is_agency_outlet("TASS", "rt.com"));
    }
}

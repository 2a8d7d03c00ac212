//! The date a page's address carries: `/2025/09/04/slug`, `/2025-09-04-slug`,
//! `/2025/september/04/slug`.
//!
//! Blogs and many news sites put the publication day in the path. It is the
//! last resort of the choice and the arbiter of numeric dates that read
//! both ways ([`super::choose`]). The compiled pattern is built once.

use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;

use super::text::Stamp;

/// Reads a `/2025/09/04/`, `2025-09-04` or `/2025/sep/04/` date from a
/// URL's path.
pub(super) fn date(url: &str) -> Option<Stamp> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)[/_-]((?:19|20)\d{2})[/_-](\d{1,2}|[a-z]{3,9})[/_-](\d{1,2})(?:[/_.-]|$)")
            .expect("the URL date pattern compiles")
    });
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let c = re.captures(path)?;
    let n = |i: usize| c.get(i)?.as_str().parse::<u32>().ok();
    let month = n(2).or_else(|| month_name(c.get(2)?.as_str()))?;
    let day = NaiveDate::from_ymd_opt(n(1)? as i32, month, n(3)?)?;
    Some(Stamp::on(day))
}

/// Reads a month named in a path: an abbreviation (`sep`, `sept`) or a
/// full English name. Longer words that start like a month ("marketing")
/// are not months here.
fn month_name(word: &str) -> Option<u32> {
    const FULL: [&str; 12] = [
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
    ];
    let lower = word.to_ascii_lowercase();
    if let Some(at) = FULL.iter().position(|m| *m == lower) {
        return u32::try_from(at + 1).ok();
    }
    (lower.len() <= 4)
        .then(|| super::text::month(&lower))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(url: &str) -> Option<String> {
        date(url).map(|s| s.day.to_string())
    }

    #[test]
    fn reads_dates_in_paths() {
        assert_eq!(
            day("https://news.example/2024/03/05/ferry/").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(
            day("https://news.example/blog/2024-3-5-ferry").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(
            day("https://news.example/blog/2024/march/05/ferry").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(day("https://news.example/2024/13/05/ferry"), None);
        assert_eq!(day("https://news.example/2024/ferry/05/x"), None);
        assert_eq!(day("https://news.example/2024/marketing/05/x"), None);
        assert_eq!(day("https://news.example/ferry-2024"), None);
    }
}

//! The date a page's address carries: `/2025/09/04/slug`, `/2025-09-04-slug`.
//!
//! Blogs and many news sites put the publication day in the path. It is the
//! last resort of the choice and the arbiter of numeric dates that read
//! both ways ([`super::choose`]). The compiled pattern is built once.

use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;

use super::text::Stamp;

/// Reads a `/2025/09/04/` or `2025-09-04` date from a URL's path.
pub(super) fn date(url: &str) -> Option<Stamp> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"[/_-]((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?:[/_.-]|$)")
            .expect("the URL date pattern compiles")
    });
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let c = re.captures(path)?;
    let n = |i: usize| c.get(i)?.as_str().parse::<u32>().ok();
    let day = NaiveDate::from_ymd_opt(n(1)? as i32, n(2)?, n(3)?)?;
    Some(Stamp { day, exact: None })
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
        assert_eq!(day("https://news.example/2024/13/05/ferry"), None);
        assert_eq!(day("https://news.example/ferry-2024"), None);
    }
}

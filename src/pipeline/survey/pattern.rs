//! Inferring an outlet's `article_url` regex from article links it lists,
//! for `wirecopy sources add`. Pure: URLs in, a regex and its counts out.
//!
//! # How it works
//!
//! Each path segment gets a *shape* from its structure alone, never from a
//! site-specific rule: a year (`2024`), a month or day (`05`), a compact
//! date (`20240503`), a month's name (`nov`), a numeric id (`3312875`), an
//! id glued to a slug (`3312875-talks-resume`, `talks-resume-3312875`) or to
//! a short prefix (`PMC9902068`), a slug (words joined by `-` or `_`), or a
//! plain word (`world`), plus a file extension (`.html`) when there is one.
//! Links with the same sequence of shapes form a group; the largest groups,
//! until they cover nine links in ten, become the alternatives of the
//! regex. Inside a group, a word that every link shares is kept literally
//! (`/news/`) once three links or more share it, varied words become
//! `[^/]+`, and the other shapes become their character classes
//! (`(?:19|20)\d\d`, `\d{6,}` with the shortest id seen, a slug with at
//! least as many separators as the shortest seen, up to two).
//!
//! Measured with `cargo run --release --example discover_eval`: leaving
//! each article URL out in turn on the 81 hosts of `../shared/bench` (AEB
//! and WCXB-dev) with two or more, the pattern learnt from the others takes
//! 123 of the 169 held out.
//!
//! The result is then checked against the links it must match and the
//! homepage's other links (sections, tags, authors, static pages). If it
//! matches some of those, the varied words are narrowed to the ones seen
//! (`(?:world|economy)`) when that matches fewer.
//!
//! [`looks_like_article`] is the same shape test for one link: a date, an
//! id, or a slug of three words or more somewhere in its path.

use std::collections::{HashMap, HashSet};

use regex::Regex;
use url::Url;

/// Groups used as alternatives at most.
const MAX_GROUPS: usize = 4;
/// The groups taken cover at least this share of the links.
const COVERAGE: f64 = 0.9;
/// A slug needs at most this many separators to match (article slugs have
/// three words or more; tags and static pages mostly fewer).
const MAX_SLUG_SEPARATORS: usize = 2;
/// Month names and abbreviations, as dated paths write them (`/2019/nov/18/`).
const MONTHS: &[&str] = &[
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
/// A word every link of a group shares is kept literally once this many
/// links share it (fewer: it may be chance, and `[^/]+` is kept).
const MIN_EVIDENCE: usize = 3;
/// Varied words are narrowed to an alternation of at most this many.
const MAX_ALTERNATIVES: usize = 24;

/// An inferred `article_url` and how it fares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InferredPattern {
    /// The regular expression, as it goes into sources.toml.
    pub regex: String,
    /// Article links it matches, of `articles`.
    pub articles_matched: usize,
    /// Article links it was derived from.
    pub articles: usize,
    /// The homepage's other links it matches, of `others`.
    pub others_matched: usize,
    /// The homepage's other links (same site, not found as articles).
    pub others: usize,
    /// Up to three of the other links it matches, for the user to judge.
    pub other_examples: Vec<String>,
}

/// Infers an `article_url` regex from `articles` (links the outlet's feeds,
/// sitemaps or sections list) and checks it against them and against
/// `others` (the homepage's links that are not articles). Links with no
/// path are ignored. `None` when no article link has a path.
pub fn infer_article_url(articles: &[Url], others: &[Url]) -> Option<InferredPattern> {
    let parsed: Vec<(String, Vec<Segment>)> = articles
        .iter()
        .filter_map(|u| Some((host_of(u)?, segments(u))))
        .filter(|(_, segs)| !segs.is_empty())
        .collect();
    if parsed.is_empty() {
        return None;
    }
    let host = host_alternation(parsed.iter().map(|(h, _)| h.as_str()));
    let groups = groups(&parsed);
    let article_set: HashSet<&str> = articles.iter().map(Url::as_str).collect();
    let others: Vec<&Url> = others
        .iter()
        .filter(|u| !article_set.contains(u.as_str()))
        .collect();
    let build = |narrow: bool| {
        let bodies: Vec<String> = groups
            .iter()
            .map(|members| group_regex(members, narrow))
            .collect();
        let body = match bodies.as_slice() {
            [one] => one.clone(),
            many => format!("(?:{})", many.join("|")),
        };
        format!("^https?://{host}/{body}/?(?:[?#]|$)")
    };
    let wide = evaluate(build(false), articles, &others)?;
    if wide.others_matched == 0 {
        return Some(wide);
    }
    match evaluate(build(true), articles, &others) {
        Some(narrow)
            if narrow.others_matched < wide.others_matched
                && narrow.articles_matched >= wide.articles_matched =>
        {
            Some(narrow)
        }
        _ => Some(wide),
    }
}

/// Returns true if and only if `url`'s path has the shape of an article:
/// a date (a year followed by more path, or a compact date), a numeric id
/// of three digits or more, or a slug of three words or more.
///
/// ```
/// use url::Url;
/// use wirecopy::pipeline::looks_like_article;
///
/// let yes = |s: &str| looks_like_article(&Url::parse(s).unwrap());
/// assert!(yes("https://news.example/world/2024/05/03/talks"));
/// assert!(yes("https://news.example/politics/3312875"));
/// assert!(yes("https://news.example/talks-resume-in-geneva.html"));
/// assert!(!yes("https://news.example/world/"));
/// assert!(!yes("https://news.example/tag/geneva-talks"));
/// assert!(!yes("https://news.example/page/2"));
/// ```
pub fn looks_like_article(url: &Url) -> bool {
    let segs = segments(url);
    segs.iter().enumerate().any(|(i, seg)| match seg.shape {
        Shape::Year => i + 1 < segs.len(),
        Shape::Date8 | Shape::Id | Shape::IdFirst | Shape::IdLast => true,
        Shape::Slug => seg.separators >= 2,
        Shape::PrefixId => true,
        Shape::Small | Shape::Month | Shape::Word => false,
    })
}

/// The structural class of one path segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Shape {
    /// Four digits, 1990–2099.
    Year,
    /// One or two digits up to 31: a month or a day.
    Small,
    /// Eight digits reading as a date, `20240503`.
    Date8,
    /// Other digits, three or more: an id.
    Id,
    /// An id of four digits or more, then a separator and more.
    IdFirst,
    /// Something, a separator, then an id of four digits or more.
    IdLast,
    /// A short letter prefix, then an id of four digits or more: `PMC9902068`.
    PrefixId,
    /// A month's English name or abbreviation: `nov`, `December`.
    Month,
    /// Words joined by `-` or `_`.
    Slug,
    /// Anything else.
    Word,
}

/// One path segment, classified.
#[derive(Clone, Debug)]
struct Segment {
    shape: Shape,
    /// The segment without its extension.
    stem: String,
    /// The extension without the dot (`html`), lowercased.
    ext: Option<String>,
    /// The length of its id (for the id shapes).
    digits: usize,
    /// Its `-`/`_` separators.
    separators: usize,
}

/// The non-empty path segments of `url`, classified.
fn segments(url: &Url) -> Vec<Segment> {
    url.path_segments()
        .map(|segs| segs.filter(|s| !s.is_empty()).map(classify).collect())
        .unwrap_or_default()
}

fn classify(segment: &str) -> Segment {
    let (stem, ext) = match segment.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && (2..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && !ext.chars().all(|c| c.is_ascii_digit()) =>
        {
            (stem, Some(ext.to_ascii_lowercase()))
        }
        _ => (segment, None),
    };
    let separators = stem.chars().filter(|c| matches!(c, '-' | '_')).count();
    let lead = stem.chars().take_while(char::is_ascii_digit).count();
    let trail = stem.chars().rev().take_while(char::is_ascii_digit).count();
    let all_digits = lead == stem.len();
    let (shape, digits) = if all_digits {
        (digit_shape(stem), stem.len())
    } else if trail >= 4 && stem[..stem.len() - trail].ends_with(['-', '_']) {
        // Checked first: `2020-audi-e-tron-19600369` is a slug that starts
        // with a year and ends with the id.
        (Shape::IdLast, trail)
    } else if lead >= 4 && stem[lead..].starts_with(['-', '_']) {
        (Shape::IdFirst, lead)
    } else if trail >= 4
        && (1..=4).contains(&(stem.len() - trail))
        && stem[..stem.len() - trail]
            .chars()
            .all(|c| c.is_ascii_alphabetic())
    {
        (Shape::PrefixId, trail)
    } else if MONTHS.contains(&stem.to_ascii_lowercase().as_str()) {
        (Shape::Month, 0)
    } else if separators > 0 {
        (Shape::Slug, 0)
    } else {
        (Shape::Word, 0)
    };
    Segment {
        shape,
        stem: stem.to_owned(),
        ext,
        digits,
        separators,
    }
}

/// The shape of an all-digit segment.
fn digit_shape(digits: &str) -> Shape {
    let value: u64 = digits.parse().unwrap_or(u64::MAX);
    match digits.len() {
        1 | 2 if value <= 31 => Shape::Small,
        4 if (1990..=2099).contains(&value) => Shape::Year,
        8 if (19_900_101..=20_991_231).contains(&value)
            && (1..=12).contains(&(value / 100 % 100))
            && (1..=31).contains(&(value % 100)) =>
        {
            Shape::Date8
        }
        1 | 2 => Shape::Word,
        _ => Shape::Id,
    }
}

/// `host` or `host:port`, lowercased.
fn host_of(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// The hosts as a regex: every host seen when there are at most three,
/// else the most common one.
fn host_alternation<'a>(hosts: impl Iterator<Item = &'a str>) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for host in hosts {
        match counts.iter_mut().find(|(h, _)| *h == host) {
            Some((_, n)) => *n += 1,
            None => counts.push((host, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if counts.len() > 3 {
        counts.truncate(1);
    }
    let escaped: Vec<String> = counts.iter().map(|(h, _)| regex::escape(h)).collect();
    match escaped.as_slice() {
        [one] => one.clone(),
        many => format!("(?:{})", many.join("|")),
    }
}

/// A path's shapes and extensions, segment by segment: what groups links.
type ShapeKey<'a> = Vec<(Shape, Option<&'a str>)>;

/// The largest groups of links with one shape sequence, until they cover
/// [`COVERAGE`] of the links ([`MAX_GROUPS`] at most).
fn groups(parsed: &[(String, Vec<Segment>)]) -> Vec<Vec<&[Segment]>> {
    let mut by_key: HashMap<ShapeKey<'_>, Vec<&[Segment]>> = HashMap::new();
    let mut order = Vec::new();
    for (_, segs) in parsed {
        let key: ShapeKey<'_> = segs.iter().map(|s| (s.shape, s.ext.as_deref())).collect();
        let entry = by_key.entry(key.clone()).or_default();
        if entry.is_empty() {
            order.push(key);
        }
        entry.push(segs);
    }
    // Largest first; ties keep the order links came in (feeds list newest first).
    order.sort_by_key(|key| std::cmp::Reverse(by_key.get(key).map_or(0, Vec::len)));
    let total = parsed.len() as f64;
    let mut covered = 0usize;
    let mut out = Vec::new();
    for key in order {
        let Some(members) = by_key.remove(&key) else {
            continue;
        };
        if !out.is_empty() && (covered as f64 >= COVERAGE * total || members.len() < 2) {
            break;
        }
        covered += members.len();
        out.push(members);
        if out.len() == MAX_GROUPS {
            break;
        }
    }
    out
}

/// The regex of one group's paths (without the leading `/`). `narrow`
/// turns varied words into an alternation of the words seen.
fn group_regex(members: &[&[Segment]], narrow: bool) -> String {
    let Some(first) = members.first() else {
        return String::new();
    };
    let distinctive = first.iter().any(|s| s.shape != Shape::Word);
    let last = first.len().saturating_sub(1);
    let mut pieces = Vec::with_capacity(first.len());
    for (at, seg) in first.iter().enumerate() {
        let column = || members.iter().filter_map(move |m| m.get(at));
        let min_digits = column().map(|s| s.digits).min().unwrap_or(0).max(3);
        let mut piece = match seg.shape {
            Shape::Year => r"(?:19|20)\d\d".to_owned(),
            Shape::Small => r"\d{1,2}".to_owned(),
            Shape::Date8 => r"(?:19|20)\d{6}".to_owned(),
            Shape::Id => format!(r"\d{{{min_digits},}}"),
            Shape::IdFirst => format!(r"\d{{{min_digits},}}[-_][^/]*"),
            Shape::IdLast => format!(r"[^/]*[-_]\d{{{min_digits},}}"),
            Shape::PrefixId => {
                let prefix = |s: &Segment| s.stem[..s.stem.len() - s.digits].to_owned();
                let first = prefix(seg);
                let letters = if column().all(|s| prefix(s) == first) {
                    regex::escape(&first)
                } else {
                    "[A-Za-z]{1,4}".to_owned()
                };
                format!(r"{letters}\d{{{min_digits},}}")
            }
            Shape::Month => "[A-Za-z]{3,9}".to_owned(),
            Shape::Slug => {
                let n = column()
                    .map(|s| s.separators)
                    .min()
                    .unwrap_or(1)
                    .clamp(1, MAX_SLUG_SEPARATORS);
                format!(r"[^/]*(?:[-_][^/]*){{{n}}}")
            }
            Shape::Word => {
                let mut words: Vec<&str> = Vec::new();
                for s in column() {
                    if !words.contains(&s.stem.as_str()) {
                        words.push(&s.stem);
                    }
                }
                let keep_literal = narrow || (!distinctive && at < last);
                // One word shared by a few links is not yet evidence of a
                // site-wide rule; shared by MIN_EVIDENCE links it is.
                let shared = narrow || !distinctive || members.len() >= MIN_EVIDENCE;
                match words.as_slice() {
                    [one] if shared => regex::escape(one),
                    many if keep_literal && many.len() <= MAX_ALTERNATIVES => {
                        let escaped: Vec<String> = many.iter().map(|w| regex::escape(w)).collect();
                        format!("(?:{})", escaped.join("|"))
                    }
                    _ => "[^/]+".to_owned(),
                }
            }
        };
        if let Some(ext) = &seg.ext {
            piece.push_str(r"\.");
            piece.push_str(&regex::escape(ext));
        }
        pieces.push(piece);
    }
    pieces.join("/")
}

/// Compiles `regex` and counts what it matches.
fn evaluate(regex: String, articles: &[Url], others: &[&Url]) -> Option<InferredPattern> {
    let compiled = Regex::new(&regex).ok()?;
    let articles_matched = articles
        .iter()
        .filter(|u| compiled.is_match(u.as_str()))
        .count();
    let matched: Vec<&&Url> = others
        .iter()
        .filter(|u| compiled.is_match(u.as_str()))
        .collect();
    Some(InferredPattern {
        regex,
        articles_matched,
        articles: articles.len(),
        others_matched: matched.len(),
        others: others.len(),
        other_examples: matched.iter().take(3).map(|u| u.to_string()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(paths: &[&str]) -> Vec<Url> {
        paths
            .iter()
            .map(|p| Url::parse(&format!("https://news.example{p}")).expect("valid URL"))
            .collect()
    }

    fn inferred(articles: &[&str], others: &[&str]) -> InferredPattern {
        infer_article_url(&urls(articles), &urls(others)).expect("a pattern")
    }

    #[test]
    fn dates_and_slugs() {
        let p = inferred(
            &[
                "/world/2024/05/03/talks-resume-in-geneva/",
                "/economy/2024/05/02/rouble-falls-again/",
                "/world/2024/04/30/envoys-meet-in-vienna/",
            ],
            &["/world/", "/economy/", "/about/", "/tag/geneva-talks/"],
        );
        assert_eq!(
            p.regex,
            r"^https?://news\.example/[^/]+/(?:19|20)\d\d/\d{1,2}/\d{1,2}/[^/]*(?:[-_][^/]*){2}/?(?:[?#]|$)"
        );
        assert_eq!((p.articles_matched, p.articles), (3, 3));
        assert_eq!((p.others_matched, p.others), (0, 4));
    }

    #[test]
    fn numeric_ids_keep_their_shared_word() {
        let p = inferred(
            &["/news/3312875", "/news/3312801", "/news/998877"],
            &["/news/", "/news/page/2", "/authors/17"],
        );
        assert_eq!(p.regex, r"^https?://news\.example/news/\d{6,}/?(?:[?#]|$)");
        assert_eq!(p.others_matched, 0);
        let re = Regex::new(&p.regex).expect("valid regex");
        assert!(re.is_match("https://news.example/news/3312999?utm=x"));
        assert!(!re.is_match("https://news.example/news/3312999/comments"));
    }

    #[test]
    fn narrows_varied_words_when_the_wide_form_catches_other_links() {
        let p = inferred(
            &[
                "/world/talks-resume-in-geneva",
                "/economy/rouble-falls-again-today",
            ],
            &["/tag/donald-trump-state-visit", "/world/"],
        );
        assert_eq!(
            p.regex,
            r"^https?://news\.example/(?:world|economy)/[^/]*(?:[-_][^/]*){2}/?(?:[?#]|$)"
        );
        assert_eq!(p.others_matched, 0);
    }

    #[test]
    fn groups_become_alternatives_and_odd_ones_out_are_left() {
        let p = inferred(
            &[
                "/20240503/talks-123456.html",
                "/20240502/rouble-123457.html",
                "/20240501/envoys-123458.html",
                "/video/7788991",
                "/video/7788992",
                "/special/one-off",
            ],
            &[],
        );
        assert_eq!(
            p.regex,
            r"^https?://news\.example/(?:(?:19|20)\d{6}/[^/]*[-_]\d{6,}\.html|[^/]+/\d{7,})/?(?:[?#]|$)"
        );
        assert_eq!((p.articles_matched, p.articles), (5, 6));
    }

    #[test]
    fn ports_and_several_hosts() {
        let articles = vec![
            Url::parse("http://127.0.0.1:4100/a/2024/05/03/x").expect("URL"),
            Url::parse("http://127.0.0.1:4100/a/2024/05/04/y").expect("URL"),
        ];
        let p = infer_article_url(&articles, &[]).expect("a pattern");
        assert_eq!(
            p.regex,
            r"^https?://127\.0\.0\.1:4100/[^/]+/(?:19|20)\d\d/\d{1,2}/\d{1,2}/[^/]+/?(?:[?#]|$)",
            "two links sharing /a/ are not yet evidence for it"
        );
        let two = urls(&["/1/2024/talks-resume-x"]);
        let mut both = two.clone();
        both.push(Url::parse("https://m.news.example/1/2024/talks-resume-y").expect("URL"));
        let p = infer_article_url(&both, &[]).expect("a pattern");
        assert!(
            p.regex.contains(r"(?:m\.news\.example|news\.example)"),
            "{}",
            p.regex
        );
        assert!(infer_article_url(&urls(&["/"]), &[]).is_none());
    }

    #[test]
    fn shapes() {
        let shape = |s: &str| classify(s).shape;
        assert_eq!(shape("2024"), Shape::Year);
        assert_eq!(shape("05"), Shape::Small);
        assert_eq!(shape("20240503"), Shape::Date8);
        assert_eq!(shape("20241503"), Shape::Id);
        assert_eq!(shape("331"), Shape::Id);
        assert_eq!(shape("77"), Shape::Word);
        assert_eq!(shape("3312875-talks"), Shape::IdFirst);
        assert_eq!(shape("talks_3312875.shtml"), Shape::IdLast);
        assert_eq!(shape("talks-resume.html"), Shape::Slug);
        assert_eq!(classify("talks-resume.html").ext.as_deref(), Some("html"));
        assert_eq!(shape("v1.2"), Shape::Word);
        assert_eq!(shape("2020-audi-e-tron-19600369"), Shape::IdLast);
        assert_eq!(shape("PMC9902068"), Shape::PrefixId);
        assert_eq!(shape("nov"), Shape::Month);
        assert_eq!(shape("novel"), Shape::Word);
        assert_eq!(shape("новости"), Shape::Word);
    }
}

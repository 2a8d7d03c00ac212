//! The date finder end to end, on invented pages.

use super::*;
use crate::clean::{jsonld, parse};

/// Runs the date finder on an invented page, as of 2025-06-01.
fn date_of(html: &str, url: Option<&str>) -> Option<String> {
    let dom = parse::parse(html);
    let ld = jsonld::read(&dom.json_ld);
    let latest = NaiveDate::from_ymd_opt(2025, 6, 1).expect("a day");
    trace_by(&dom, &ld, url, latest)
        .published
        .map(|d| d.chars().take(10).collect())
}

fn page(head: &str, body: &str) -> String {
    format!("<html><head>{head}</head><body><h1>Ferry timetable changes this spring</h1>{body}<p>The harbour office said the new timetable would apply from Monday.</p></body></html>")
}

#[test]
fn reads_meta_names() {
    for key in [
        r#"property="article:published_time""#,
        r#"property="og:published_time""#,
        r#"name="pubdate""#,
        r#"name="publishdate""#,
        r#"name="sailthru.date""#,
        r#"name="parsely-pub-date""#,
        r#"name="DC.date.issued""#,
        r#"name="citation_publication_date""#,
        r#"itemprop="datePublished""#,
    ] {
        let html = page(
            &format!(r#"<meta {key} content="2024-03-05T10:00:00Z">"#),
            "",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"), "{key}");
    }
    let html = page(
        r#"<meta name="citation_publication_date" content="2024 Mar 5">"#,
        "",
    );
    assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"));
}

#[test]
fn a_date_in_a_code_sample_is_not_the_pages_date() {
    let html = page("", "<pre><code>$ tides --date 2025-03-14</code></pre>");
    assert_eq!(date_of(&html, None), None);
    let html = page("", "<p>Posted March 5, 2024</p><pre>2025-03-14</pre>");
    assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"));
}

#[test]
fn prefers_published_to_modified() {
    let html = page(
        r#"<meta property="article:modified_time" content="2025-01-10T09:00:00Z">
           <meta property="article:published_time" content="2024-03-05T10:00:00Z">"#,
        "",
    );
    assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"));
    let html = page(
        "",
        r#"<p class="meta">Updated on 10 January 2025</p><p>Published 5 March 2024</p>"#,
    );
    assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"));
}

#[test]
fn reads_json_ld_in_a_graph() {
    let html = page(
        r#"<script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"Harbour News"},
           {"@type":"WebPage","datePublished":"2024-03-05T10:00:00+01:00","dateModified":"2025-01-10"}]}</script>"#,
        "",
    );
    assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"));
}

#[test]
fn reads_time_elements_and_shown_dates() {
    let html = page(
        "",
        r#"<p><time datetime="2024-03-05T10:00:00+01:00">Tuesday</time></p>"#,
    );
    assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"));
    for shown in [
        "March 5, 2024",
        "5 Mar 2024",
        "05.03.2024",
        "2024/03/05",
        "5 марта 2024",
        "Posted on Mar 5th, 2024",
    ] {
        let html = page(
            "",
            &format!(r#"<div class="byline">By Ann Lee</div><div>{shown}</div>"#),
        );
        assert_eq!(
            date_of(&html, None).as_deref(),
            Some("2024-03-05"),
            "{shown}"
        );
    }
}

#[test]
fn a_shown_date_beats_the_meta_but_an_update_does_not() {
    let meta = r#"<meta property="article:published_time" content="2024-01-20T10:00:00Z">"#;
    let html = page(meta, "<p>March 5, 2024</p>");
    assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"));
    let html = page(meta, "<p>Last updated:</p><p>March 5, 2024</p>");
    assert_eq!(date_of(&html, None).as_deref(), Some("2024-01-20"));
}

#[test]
fn falls_back_to_the_url_and_keeps_dates_plausible() {
    let html = page("", "");
    let url = Some("https://news.example/2024/03/05/ferry-timetable/");
    assert_eq!(date_of(&html, url).as_deref(), Some("2024-03-05"));
    let html = page(
        r#"<meta property="article:published_time" content="2031-01-01T00:00:00Z">"#,
        "<p>Archive since 1990-01-01</p>",
    );
    assert_eq!(date_of(&html, None), None);
}

#[test]
fn a_shown_update_beats_a_published_date_only_schema_org_states() {
    let ld = r#"<script type="application/ld+json">{"@type":"Article","datePublished":"2019-02-01T10:00:00Z","dateModified":"2024-03-05T10:00:00Z"}</script>"#;
    let updated = r#"<p class="byline">Ann Lee</p><p>Last updated: March 5, 2024</p>"#;
    assert_eq!(
        date_of(&page(ld, updated), None).as_deref(),
        Some("2024-03-05")
    );
    // Open Graph states the first publication on purpose: it stays.
    let og =
        format!(r#"{ld}<meta property="article:published_time" content="2019-02-01T10:00:00Z">"#);
    assert_eq!(
        date_of(&page(&og, updated), None).as_deref(),
        Some("2019-02-01")
    );
    // A published date shown by the headline keeps its place too.
    let both = r#"<p>Published February 1, 2019</p><p>Last updated: March 5, 2024</p>"#;
    assert_eq!(
        date_of(&page(ld, both), None).as_deref(),
        Some("2019-02-01")
    );
}

#[test]
fn a_date_in_a_link_is_another_articles() {
    let meta = r#"<meta property="article:published_time" content="2024-01-20T10:00:00Z">"#;
    let teaser = r#"<p><a href="/other">Harbour reopens, March 5, 2024</a></p>"#;
    assert_eq!(
        date_of(&page(meta, teaser), None).as_deref(),
        Some("2024-01-20")
    );
    // Without a structured date, a linked date is still better than none.
    assert_eq!(
        date_of(&page("", teaser), None).as_deref(),
        Some("2024-03-05")
    );
}

#[test]
fn a_numeric_date_that_reads_both_ways_follows_the_metadata() {
    let ld = r#"<script type="application/ld+json">{"@type":"Article","datePublished":"2024-09-10T16:00:00Z"}</script>"#;
    // Dotted dates read day first, unless the page's own metadata says otherwise.
    assert_eq!(
        date_of(&page(ld, "<p>09.10.2024</p>"), None).as_deref(),
        Some("2024-09-10")
    );
    assert_eq!(
        date_of(&page("", "<p>09.10.2024</p>"), None).as_deref(),
        Some("2024-10-09")
    );
    let url = Some("https://news.example/blog/2023/october/03/ferry/");
    assert_eq!(
        date_of(&page("", "<p>03/10/2023</p>"), url).as_deref(),
        Some("2023-10-03")
    );
}

#[test]
fn of_two_dates_as_near_the_headline_the_one_under_it_wins() {
    let html = "<html><body><p><time datetime=\"2025-01-31\">01/31/2025</time></p>\
        <h1>Ferry timetable changes this spring</h1>\
        <p><time datetime=\"2024-03-05\">03/05/2024</time></p>\
        <p>The harbour office said the new timetable would apply from Monday.</p></body></html>";
    assert_eq!(date_of(html, None).as_deref(), Some("2024-03-05"));
}

#[test]
fn the_trace_names_the_rule_and_every_candidate() {
    let dom = parse::parse(&page(
        r#"<meta property="article:published_time" content="2024-01-20T10:00:00Z">"#,
        "<p>Last updated: March 5, 2024</p>",
    ));
    let ld = jsonld::read(&dom.json_ld);
    let latest = NaiveDate::from_ymd_opt(2025, 6, 1).expect("a day");
    let url = Some("https://news.example/2024/01/20/ferry/");
    let t = trace_by(&dom, &ld, url, latest);
    assert_eq!(t.rule, "structured published");
    assert_eq!(t.published.as_deref(), Some("2024-01-20T10:00:00+00:00"));
    let seen: Vec<(&str, &str, bool)> = t
        .candidates
        .iter()
        .map(|c| (c.day.as_str(), c.source.as_str(), c.modified))
        .collect();
    assert_eq!(
        seen,
        [
            ("2024-01-20", "meta article:published_time", false),
            ("2024-01-20", "url", false),
            ("2024-03-05", "text", true),
        ]
    );
    let none = trace_by(&parse::parse("<p>no date</p>"), &ld, None, latest);
    assert_eq!((none.rule, none.published), ("none", None));
}

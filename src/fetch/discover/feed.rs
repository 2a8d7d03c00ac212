//! Article links from a feed: RSS 0.9x–2.0, RSS 1.0 (RDF), Atom and JSON
//! Feed, all read by feed-rs.

use std::collections::HashSet;

use url::Url;

use super::{resolve, Link};
use crate::fetch::error::DiscoverError;

/// The article links of a feed, resolved against `base` (the feed's URL),
/// deduplicated, in feed order.
///
/// An entry's link is its first `alternate` (or untyped) link; an RSS item
/// without `<link>` falls back to a `<guid>` that is an http(s) URL.
/// Entries with neither are skipped.
///
/// Errors when the bytes are not a feed feed-rs can read, including the
/// inputs on which feed-rs panics (a second XML declaration with an
/// `encoding` panics in quick-xml 0.42, found by fuzzing): that panic is
/// caught and reported as an unreadable feed, so one bad feed cannot take
/// the run down.
///
/// ```
/// use url::Url;
/// use wirecopy::fetch::feed_links;
///
/// let rss = br#"<rss version="2.0"><channel><title>W</title>
///   <item><title>Talks resume</title><link>/world/talks</link>
///   <pubDate>Fri, 03 May 2024 10:00:00 +0300</pubDate></item></channel></rss>"#;
/// let base = Url::parse("https://wire.example/rss").unwrap();
/// let links = feed_links(rss, &base).unwrap();
/// assert_eq!(links[0].url.as_str(), "https://wire.example/world/talks");
/// assert_eq!(links[0].title.as_deref(), Some("Talks resume"));
/// ```
pub fn feed_links(bytes: &[u8], base: &Url) -> Result<Vec<Link>, DiscoverError> {
    let parsed = std::panic::catch_unwind(|| feed_rs::parser::parse(bytes))
        .map_err(|_| DiscoverError::Feed("the feed parser failed on malformed input".to_owned()))?;
    let feed = parsed.map_err(|error| DiscoverError::Feed(error.to_string()))?;
    let mut seen = HashSet::new();
    let mut links = Vec::new();
    for entry in feed.entries {
        let href = entry
            .links
            .iter()
            .find(|link| matches!(link.rel.as_deref(), None | Some("alternate")))
            .map(|link| link.href.as_str())
            .or_else(|| entry.id.starts_with("http").then_some(entry.id.as_str()));
        let Some(url) = href.and_then(|href| resolve(base, href)) else {
            continue;
        };
        if !seen.insert(url.clone()) {
            continue;
        }
        let title = entry
            .title
            .map(|title| title.content.trim().to_owned())
            .filter(|title| !title.is_empty());
        links.push(Link {
            url,
            published: entry.published.or(entry.updated),
            title,
        });
    }
    Ok(links)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn base() -> Url {
        Url::parse("https://wire.example/feeds/main.xml").expect("valid URL")
    }

    fn urls(links: &[Link]) -> Vec<&str> {
        links.iter().map(|link| link.url.as_str()).collect()
    }

    /// Fuzzing (issue 12, item 13): a second XML declaration naming an
    /// encoding made quick-xml panic inside feed-rs ("set_encoding() called
    /// after prefix buffer was drained"). Now an error, not a panic.
    #[test]
    fn r12_fuzz_a_second_xml_declaration_is_an_error_not_a_panic() {
        let crash: &[u8] =
            b"<?xml ve\xe1sion=\"1.0\"\"\r=TU-, 05 sion=\"1.ncodgn=iTU-F\"7\"?>u\"?sie\
            <?xml version=\"1.0\" encoding=\"l2\"?><ftrneed <html><\x0eody><ul><li><&a hre<html>";
        assert!(matches!(
            feed_links(crash, &base()),
            Err(DiscoverError::Feed(_))
        ));
        let plain: &[u8] =
            b"<?xml version=\"1.0\"?><?xml version=\"1.0\" encoding=\"latin2\"?><rss/>";
        assert!(feed_links(plain, &base()).is_err());
    }

    #[test]
    fn rss2_links_dates_titles_guid_fallback_and_dedup() {
        let rss = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>
<item><title>Переговоры возобновились</title><link>https://wire.example/world/1</link>
  <pubDate>Fri, 03 May 2024 10:00:00 +0300</pubDate></item>
<item><title>Relative</title><link>../world/2?a=1&amp;b=2</link></item>
<item><title>Guid only</title><guid isPermaLink="true">https://wire.example/world/3</guid></item>
<item><title>No link</title><guid isPermaLink="false">tag:wire,2024:4</guid></item>
<item><title>Again</title><link>https://wire.example/world/1</link></item>
<item><title>Mail</title><link>mailto:desk@wire.example</link></item>
</channel></rss>"#;
        let links = feed_links(rss.as_bytes(), &base()).expect("RSS 2.0 parses");
        assert_eq!(
            urls(&links),
            [
                "https://wire.example/world/1",
                "https://wire.example/world/2?a=1&b=2",
                "https://wire.example/world/3"
            ]
        );
        assert_eq!(links[0].title.as_deref(), Some("Переговоры возобновились"));
        assert_eq!(
            links[0].published,
            Utc.with_ymd_and_hms(2024, 5, 3, 7, 0, 0).single()
        );
        assert_eq!(links[1].published, None);
    }

    #[test]
    fn rss1_rdf() {
        let rdf = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://agency.example/rss"><title>Agency</title><link>https://agency.example/</link>
    <items><rdf:Seq><rdf:li rdf:resource="https://agency.example/a/1"/></rdf:Seq></items></channel>
  <item rdf:about="https://agency.example/a/1"><title>First</title><link>https://agency.example/a/1</link>
    <dc:date>2024-05-03T08:30:00Z</dc:date></item>
  <item rdf:about="https://agency.example/a/2"><title>Second</title><link>https://agency.example/a/2</link></item>
</rdf:RDF>"#;
        let links = feed_links(rdf.as_bytes(), &base()).expect("RSS 1.0 parses");
        assert_eq!(
            urls(&links),
            ["https://agency.example/a/1", "https://agency.example/a/2"]
        );
        assert_eq!(links[0].title.as_deref(), Some("First"));
        assert_eq!(
            links[0].published,
            Utc.with_ymd_and_hms(2024, 5, 3, 8, 30, 0).single()
        );
    }

    #[test]
    fn atom_prefers_alternate_links_and_falls_back_to_updated() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Daily</title><id>urn:daily</id>
  <updated>2024-05-03T12:00:00Z</updated>
  <entry><title type="html">Talks &amp;amp; more</title><id>urn:1</id>
    <link rel="self" href="https://daily.example/api/1"/>
    <link rel="alternate" type="text/html" href="https://daily.example/news/1"/>
    <published>2024-05-03T09:00:00+02:00</published><updated>2024-05-03T11:00:00Z</updated></entry>
  <entry><title>Untyped</title><id>urn:2</id><link href="/news/2"/>
    <updated>2024-05-02T11:00:00Z</updated></entry>
  <entry><title>Only self</title><id>urn:3</id><link rel="self" href="https://daily.example/api/3"/>
    <updated>2024-05-02T11:00:00Z</updated></entry>
</feed>"#;
        let links = feed_links(atom.as_bytes(), &base()).expect("Atom parses");
        assert_eq!(
            urls(&links),
            [
                "https://daily.example/news/1",
                "https://wire.example/news/2"
            ]
        );
        assert_eq!(
            links[0].published,
            Utc.with_ymd_and_hms(2024, 5, 3, 7, 0, 0).single()
        );
        assert_eq!(
            links[1].published,
            Utc.with_ymd_and_hms(2024, 5, 2, 11, 0, 0).single()
        );
    }

    #[test]
    fn windows_1251_feeds_are_decoded() {
        let rss = r#"<?xml version="1.0" encoding="windows-1251"?>
<rss version="2.0"><channel><title>Вести</title>
<item><title>Новости дня</title><link>https://vesti.example/1</link></item></channel></rss>"#;
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(rss);
        let links = feed_links(&bytes, &base()).expect("windows-1251 RSS parses");
        assert_eq!(links[0].title.as_deref(), Some("Новости дня"));
    }

    #[test]
    fn not_a_feed_is_an_error() {
        assert!(matches!(
            feed_links(b"<html><body>hello</body></html>", &base()),
            Err(DiscoverError::Feed(_))
        ));
        assert!(feed_links(b"", &base()).is_err());
    }
}

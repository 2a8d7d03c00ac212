//! Fuzz target: discovery, `fetch::{feed_links, sitemap_links, page_links}`,
//! all three on the same bytes (a feed, a sitemap, or a section page).
#![no_main]

use libfuzzer_sys::fuzz_target;
use url::Url;
use wirecopy::fetch::{feed_links, page_links, sitemap_links};

fuzz_target!(|data: &[u8]| {
    let Ok(base) = Url::parse("https://news.example/section/index.xml") else {
        return;
    };
    if let Ok(links) = feed_links(data, &base) {
        for link in links {
            assert!(matches!(link.url.scheme(), "http" | "https"));
        }
    }
    let _ = sitemap_links(data, &base);
    for url in page_links(data, &base) {
        assert!(matches!(url.scheme(), "http" | "https"));
    }
});

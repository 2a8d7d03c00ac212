//! Fuzz target: discovery, `fetch::{feed_links, sitemap_links, page_links}`,
//! all three on the same bytes (a feed, a sitemap, or a section page).
//!
//! `feed_links` catches a panic inside feed-rs and reports it as an
//! unreadable feed. libfuzzer-sys's panic hook aborts on every panic, even a
//! caught one, so this target puts the default hook back: a caught panic
//! prints its message and goes on; an uncaught one still reaches
//! libfuzzer-sys, which aborts and saves the input.
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use url::Url;
use wirecopy::fetch::{feed_links, page_links, sitemap_links};

static DEFAULT_HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    DEFAULT_HOOK.call_once(|| drop(std::panic::take_hook()));
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

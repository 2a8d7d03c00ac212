//! WARC records → the [`Page`]s an import cleans: `response` records of
//! HTTP 200 with an HTML content type.
//!
//! [`page_of`] sorts each record into a page or a reason it is not one, so
//! that `wirecopy import` can count what it passed over (requests,
//! `warcinfo`, redirects, images …) without treating it as an error.

use chrono::{DateTime, Utc};
use url::Url;

use super::http::parse_response;
use super::record::{field, Record};
use crate::fetch::{Page, Validators};

/// Why a record is not a page to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAPage {
    /// Not a `response` record (`request`, `warcinfo`, `revisit` …).
    OtherRecord,
    /// A response other than HTTP 200 (redirects, 404s …).
    Status(u16),
    /// A 200 whose content type is not HTML (robots.txt, feeds, images …).
    NotHtml,
    /// A `response` record that cannot be read as a page: what is wrong.
    Broken(String),
}

/// Returns true if and only if a `Content-Type` names HTML.
fn is_html(content_type: &str) -> bool {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(media.as_str(), "text/html" | "application/xhtml+xml")
}

/// The page a record holds, or why it holds none. Bodies that decode past
/// `max_body` bytes are refused.
pub fn page_of(record: &Record, max_body: usize) -> Result<Page, NotAPage> {
    if !record.kind().eq_ignore_ascii_case("response") {
        return Err(NotAPage::OtherRecord);
    }
    let content_type = record.get(field::CONTENT_TYPE).unwrap_or_default();
    if !content_type
        .to_ascii_lowercase()
        .starts_with("application/http")
    {
        // A `response` of dns:, ftp: or a bare resource: not HTTP.
        return Err(NotAPage::OtherRecord);
    }
    let target = record
        .get(field::TARGET_URI)
        .ok_or_else(|| NotAPage::Broken("the record has no WARC-Target-URI".into()))?;
    // WARC 1.0 writers put the URI in angle brackets.
    let target = target.trim_start_matches('<').trim_end_matches('>');
    let url = Url::parse(target)
        .map_err(|error| NotAPage::Broken(format!("bad WARC-Target-URI {target:?}: {error}")))?;
    let response = parse_response(&record.block, max_body).map_err(NotAPage::Broken)?;
    if response.status != 200 {
        return Err(NotAPage::Status(response.status));
    }
    let page_type = response.header("content-type").map(str::to_owned);
    if !page_type.as_deref().is_some_and(is_html) {
        return Err(NotAPage::NotHtml);
    }
    let fetched_at = record
        .get(field::DATE)
        .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
        .map_or_else(Utc::now, |d| d.with_timezone(&Utc));
    let validators = Validators {
        etag: response.header("etag").map(str::to_owned),
        last_modified: response.header("last-modified").map(str::to_owned),
    };
    Ok(Page {
        final_url: url.clone(),
        url,
        status: 200,
        content_type: page_type,
        validators,
        body: response.body,
        fetched_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(block: &[u8]) -> Record {
        Record::new("response", "<urn:uuid:1>", Utc::now())
            .field(field::TARGET_URI, "http://news.example/world/1.html")
            .block("application/http; msgtype=response", block.to_vec())
    }

    #[test]
    fn an_html_200_is_a_page() {
        let record = response(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nETag: \"x\"\r\n\r\n<html></html>");
        let page = page_of(&record, 1 << 20).expect("a page");
        assert_eq!(page.url.as_str(), "http://news.example/world/1.html");
        assert_eq!(page.body, b"<html></html>");
        assert_eq!(page.validators.etag.as_deref(), Some("\"x\""));
    }

    #[test]
    fn redirects_feeds_and_requests_are_not_pages() {
        let redirect = response(b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n");
        assert_eq!(page_of(&redirect, 100).err(), Some(NotAPage::Status(301)));
        let feed = response(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n<rss/>");
        assert_eq!(page_of(&feed, 100).err(), Some(NotAPage::NotHtml));
        let request = Record::new("request", "<urn:uuid:2>", Utc::now());
        assert_eq!(page_of(&request, 100).err(), Some(NotAPage::OtherRecord));
    }
}

//! Article links from a sitemap (`urlset`) and child sitemaps from a
//! sitemap index (`sitemapindex`), as in sitemaps.org 0.9, plain or gzip,
//! with the Google News extension (`news:publication_date`, `news:title`).
//! A plain-text sitemap (one URL a line) is read too.
//!
//! Elements are matched by local name, so any namespace prefix works; a
//! `title` counts only inside `news:news`, not inside `image:image`.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Read;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use quick_xml::events::Event;
use quick_xml::Reader;
use url::Url;

use super::{resolve, Link};
use crate::fetch::error::DiscoverError;

/// The largest sitemap read, decompressed: the protocol's limit is 50 MB.
pub const MAX_SITEMAP_BYTES: usize = 50 * 1024 * 1024;

/// What a sitemap file lists: pages (`urlset`) or other sitemaps
/// (`sitemapindex`). One of the two is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sitemap {
    /// The pages of a `urlset`, with Google News dates and titles.
    pub pages: Vec<Link>,
    /// The child sitemaps of a `sitemapindex`, to fetch in turn.
    pub sitemaps: Vec<Url>,
}

/// Reads a sitemap or sitemap index, plain or gzip (sniffed by the magic
/// bytes `1f 8b`, whatever the URL or Content-Type say), resolving `<loc>`
/// against `base`. Links are deduplicated and kept in file order.
///
/// Errors when gzip data does not decompress, when the result is over
/// [`MAX_SITEMAP_BYTES`], when the XML is malformed before the end, or when
/// its root is neither `urlset` nor `sitemapindex`.
pub fn sitemap_links(bytes: &[u8], base: &Url) -> Result<Sitemap, DiscoverError> {
    let inflated;
    let xml = if bytes.starts_with(&[0x1f, 0x8b]) {
        inflated = gunzip(bytes)?;
        inflated.as_slice()
    } else {
        bytes
    };
    if xml.len() > MAX_SITEMAP_BYTES {
        return Err(DiscoverError::TooLarge {
            limit: MAX_SITEMAP_BYTES,
        });
    }
    let xml = xml.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(xml);
    match xml.iter().find(|byte| !byte.is_ascii_whitespace()) {
        Some(b'<') => parse_xml(&to_utf8(xml), base),
        _ => Ok(parse_text(xml, base)),
    }
}

/// The document as UTF-8: sitemaps must be UTF-8, but a few declare another
/// encoding (`windows-1251` on older Russian sites), which is decoded here;
/// invalid bytes become U+FFFD rather than failing the whole file.
fn to_utf8(xml: &[u8]) -> Cow<'_, [u8]> {
    if std::str::from_utf8(xml).is_ok() {
        return Cow::Borrowed(xml);
    }
    let head = String::from_utf8_lossy(&xml[..xml.len().min(200)]).into_owned();
    let declared = head
        .split_once("encoding=")
        .and_then(|(_, rest)| rest.get(1..))
        .and_then(|rest| rest.split(['"', '\'']).next())
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = declared.decode(xml);
    Cow::Owned(text.into_owned().into_bytes())
}

/// Decompresses gzip (one or more members), refusing output over the cap.
fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, DiscoverError> {
    let mut out = Vec::new();
    let cap = MAX_SITEMAP_BYTES as u64 + 1;
    flate2::read::MultiGzDecoder::new(bytes)
        .take(cap)
        .read_to_end(&mut out)
        .map_err(|error| DiscoverError::Gzip(error.to_string()))?;
    if out.len() > MAX_SITEMAP_BYTES {
        return Err(DiscoverError::TooLarge {
            limit: MAX_SITEMAP_BYTES,
        });
    }
    Ok(out)
}

/// A text sitemap: every line that is an absolute http(s) URL.
fn parse_text(text: &[u8], base: &Url) -> Sitemap {
    let text = String::from_utf8_lossy(text);
    let mut seen = HashSet::new();
    let pages = text
        .lines()
        .filter(|line| line.trim_start().starts_with("http"))
        .filter_map(|line| resolve(base, line))
        .filter(|url| seen.insert(url.clone()))
        .map(|url| Link {
            url,
            published: None,
            title: None,
        })
        .collect();
    Sitemap {
        pages,
        sitemaps: Vec::new(),
    }
}

/// The fields of the `<url>` or `<sitemap>` being read.
#[derive(Default)]
struct Entry {
    loc: Option<String>,
    lastmod: Option<String>,
    news_date: Option<String>,
    news_title: Option<String>,
}

fn parse_xml(xml: &[u8], base: &Url) -> Result<Sitemap, DiscoverError> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let mut buf = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut root: Option<String> = None;
    let mut text = String::new();
    let mut entry = Entry::default();
    let mut seen = HashSet::new();
    let mut sitemap = Sitemap::default();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            // A truncated file still yields the entries read so far.
            Err(_) if root.is_some() && !sitemap_is_empty(&sitemap) => break,
            Err(error) => return Err(DiscoverError::Xml(error.to_string())),
        };
        match event {
            Event::Start(start) => {
                let name = start.local_name().as_ref().to_ascii_lowercase();
                if root.is_none() {
                    if name != "urlset" && name != "sitemapindex" {
                        return Err(DiscoverError::NotSitemap(name));
                    }
                    root = Some(name.clone());
                }
                if stack.len() == 1 {
                    entry = Entry::default();
                }
                stack.push(name);
                text.clear();
            }
            Event::Empty(start) if root.is_none() => {
                let name = start.local_name().as_ref().to_ascii_lowercase();
                return match name.as_str() {
                    "urlset" | "sitemapindex" => Ok(Sitemap::default()),
                    _ => Err(DiscoverError::NotSitemap(name)),
                };
            }
            Event::Text(chunk) => text.push_str(&chunk.xml10_content()),
            Event::CData(chunk) => text.push_str(&chunk),
            Event::GeneralRef(reference) => match reference.resolve_char_ref() {
                Ok(Some(c)) => text.push(c),
                _ => match quick_xml::escape::resolve_xml_entity(&reference) {
                    Some(resolved) => text.push_str(resolved),
                    None => {
                        text.push('&');
                        text.push_str(&reference);
                        text.push(';');
                    }
                },
            },
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let parent = stack.last().map_or("", String::as_str);
                let value = || Some(text.trim().to_owned()).filter(|value| !value.is_empty());
                match (parent, name.as_str()) {
                    ("url" | "sitemap", "loc") => entry.loc = value(),
                    ("url" | "sitemap", "lastmod") => entry.lastmod = value(),
                    ("news", "publication_date") => entry.news_date = value(),
                    ("news", "title") => entry.news_title = value(),
                    ("urlset", "url") | ("sitemapindex", "sitemap") => {
                        let done = std::mem::take(&mut entry);
                        finish(done, &name, base, &mut seen, &mut sitemap);
                    }
                    _ => {}
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    match root {
        Some(_) => Ok(sitemap),
        None => Err(DiscoverError::NotSitemap(String::new())),
    }
}

fn sitemap_is_empty(sitemap: &Sitemap) -> bool {
    sitemap.pages.is_empty() && sitemap.sitemaps.is_empty()
}

/// Adds a finished `<url>` or `<sitemap>` entry.
fn finish(entry: Entry, element: &str, base: &Url, seen: &mut HashSet<Url>, sitemap: &mut Sitemap) {
    let Some(url) = entry.loc.as_deref().and_then(|loc| resolve(base, loc)) else {
        return;
    };
    if !seen.insert(url.clone()) {
        return;
    }
    if element == "sitemap" {
        sitemap.sitemaps.push(url);
        return;
    }
    let date = entry.news_date.as_deref().or(entry.lastmod.as_deref());
    sitemap.pages.push(Link {
        url,
        published: date.and_then(parse_w3c_date),
        title: entry.news_title,
    });
}

/// Parses a W3C datetime as sitemaps use it: a date, or a date and time
/// with or without seconds and fractions, with a zone (or, leniently, without
/// one, taken as UTC).
fn parse_w3c_date(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if let Ok(date) = DateTime::parse_from_rfc3339(value) {
        return Some(date.with_timezone(&Utc));
    }
    if let Ok(date) = DateTime::parse_from_str(value, "%Y-%m-%dT%H:%M%:z") {
        return Some(date.with_timezone(&Utc));
    }
    if let Some(minutes) = value.strip_suffix('Z') {
        if let Ok(naive) = NaiveDateTime::parse_from_str(minutes, "%Y-%m-%dT%H:%M") {
            return Some(naive.and_utc());
        }
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(value, format) {
            return Some(naive.and_utc());
        }
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|naive| naive.and_utc())
}

#[cfg(test)]
#[path = "sitemap_tests.rs"]
mod tests;

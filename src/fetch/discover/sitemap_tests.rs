//! Tests of sitemap parsing: urlsets, indexes, gzip, Google News, broken files.
use std::io::Write;

use chrono::TimeZone;

use super::*;

fn base() -> Url {
    Url::parse("https://wire.example/sitemap.xml").expect("valid URL")
}

fn urls(links: &[Link]) -> Vec<&str> {
    links.iter().map(|link| link.url.as_str()).collect()
}

const URLSET: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://wire.example/a/1?x=1&amp;y=2</loc><lastmod>2024-05-03</lastmod></url>
  <url><loc> /a/2 </loc><lastmod>2024-05-03T10:15+03:00</lastmod><changefreq>daily</changefreq></url>
  <url><loc><![CDATA[https://wire.example/a/3]]></loc></url>
  <url><loc>https://wire.example/a/1?x=1&#38;y=2</loc></url>
  <url><lastmod>2024-05-03</lastmod></url>
</urlset>"#;

#[test]
fn urlset_with_entities_cdata_relative_and_dates() {
    let sitemap = sitemap_links(URLSET.as_bytes(), &base()).expect("urlset parses");
    assert!(sitemap.sitemaps.is_empty());
    assert_eq!(
        urls(&sitemap.pages),
        [
            "https://wire.example/a/1?x=1&y=2",
            "https://wire.example/a/2",
            "https://wire.example/a/3"
        ]
    );
    assert_eq!(
        sitemap.pages[0].published,
        Utc.with_ymd_and_hms(2024, 5, 3, 0, 0, 0).single()
    );
    assert_eq!(
        sitemap.pages[1].published,
        Utc.with_ymd_and_hms(2024, 5, 3, 7, 15, 0).single()
    );
    assert_eq!(sitemap.pages[2].published, None);
}

#[test]
fn sitemap_index() {
    let index = r#"<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://wire.example/sitemap-news.xml</loc><lastmod>2024-05-03T10:00:00Z</lastmod></sitemap>
  <sitemap><loc>https://wire.example/sitemap-2024-05.xml.gz</loc></sitemap>
</sitemapindex>"#;
    let sitemap = sitemap_links(index.as_bytes(), &base()).expect("index parses");
    assert!(sitemap.pages.is_empty());
    let children: Vec<&str> = sitemap.sitemaps.iter().map(Url::as_str).collect();
    assert_eq!(
        children,
        [
            "https://wire.example/sitemap-news.xml",
            "https://wire.example/sitemap-2024-05.xml.gz"
        ]
    );
}

#[test]
fn google_news_sitemap_dates_and_titles_not_image_titles() {
    let news = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
    xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
    xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://wire.example/world/talks</loc>
<image:image><image:loc>https://img.example/1.jpg</image:loc><image:title>A photo</image:title></image:image>
<news:news><news:publication><news:name>Wire</news:name><news:language>ru</news:language></news:publication>
  <news:publication_date>2024-05-03T10:00:00.123+03:00</news:publication_date>
  <news:title>Переговоры &amp; итоги</news:title></news:news>
<lastmod>2024-05-04</lastmod></url>
</urlset>"#;
    let sitemap = sitemap_links(news.as_bytes(), &base()).expect("news sitemap parses");
    assert_eq!(urls(&sitemap.pages), ["https://wire.example/world/talks"]);
    let page = &sitemap.pages[0];
    assert_eq!(page.title.as_deref(), Some("Переговоры & итоги"));
    let published = page.published.expect("publication date");
    assert_eq!(
        published.timestamp(),
        Utc.with_ymd_and_hms(2024, 5, 3, 7, 0, 0)
            .unwrap()
            .timestamp()
    );
}

#[test]
fn gzip_is_sniffed() {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(URLSET.as_bytes())
        .expect("write to memory");
    let gz = encoder.finish().expect("finish gzip");
    let sitemap = sitemap_links(&gz, &base()).expect("gzip urlset parses");
    assert_eq!(sitemap.pages.len(), 3);
    assert!(matches!(
        sitemap_links(&gz[..gz.len() / 2], &base()),
        Err(DiscoverError::Gzip(_))
    ));
}

#[test]
fn text_sitemaps_bom_and_refusals() {
    let text = "\u{feff}https://wire.example/a/1\n\nnot a url\nhttps://wire.example/a/2\r\n";
    let sitemap = sitemap_links(text.as_bytes(), &base()).expect("text sitemap");
    assert_eq!(
        urls(&sitemap.pages),
        ["https://wire.example/a/1", "https://wire.example/a/2"]
    );
    let html = sitemap_links(b"<html><body>404</body></html>", &base());
    assert!(matches!(html, Err(DiscoverError::NotSitemap(root)) if root == "html"));
    let rss = sitemap_links(b"<rss version=\"2.0\"><channel/></rss>", &base());
    assert!(matches!(rss, Err(DiscoverError::NotSitemap(_))));
    let empty = sitemap_links(b"<urlset/>", &base()).expect("empty urlset");
    assert_eq!(empty, Sitemap::default());
    let cut = sitemap_links(
        b"<urlset><url><loc>/a/1</loc></url><url><loc>/a/2</lo",
        &base(),
    );
    assert_eq!(
        urls(&cut.expect("truncated sitemap keeps what it read").pages),
        ["https://wire.example/a/1"]
    );
    let mismatched = sitemap_links(b"<urlset><url></loc></url></urlset>", &base());
    assert!(
        matches!(mismatched, Err(DiscoverError::Xml(_))),
        "{mismatched:?}"
    );
}

#[test]
fn declared_legacy_encodings_are_decoded() {
    let xml = r#"<?xml version="1.0" encoding="windows-1251"?>
<urlset><url><loc>https://wire.example/новости/1</loc><news:news><news:title>Итоги</news:title></news:news></url></urlset>"#;
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(xml);
    let sitemap = sitemap_links(&bytes, &base()).expect("windows-1251 sitemap");
    let page = &sitemap.pages[0];
    assert_eq!(
        page.url.path(),
        "/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/1"
    );
    assert_eq!(page.title.as_deref(), Some("Итоги"));
    let broken = b"<urlset><url><loc>https://wire.example/\xff/2</loc></url></urlset>";
    assert_eq!(
        sitemap_links(broken, &base()).expect("lossy").pages.len(),
        1
    );
}

#[test]
fn w3c_dates() {
    let utc = |y, mo, d, h, mi, s| Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single();
    assert_eq!(parse_w3c_date("2024-05-03"), utc(2024, 5, 3, 0, 0, 0));
    assert_eq!(
        parse_w3c_date("2024-05-03T10:00:00Z"),
        utc(2024, 5, 3, 10, 0, 0)
    );
    assert_eq!(
        parse_w3c_date("2024-05-03T10:00Z"),
        utc(2024, 5, 3, 10, 0, 0)
    );
    assert_eq!(
        parse_w3c_date("2024-05-03T10:00+03:00"),
        utc(2024, 5, 3, 7, 0, 0)
    );
    assert_eq!(
        parse_w3c_date("2024-05-03T10:00:00"),
        utc(2024, 5, 3, 10, 0, 0)
    );
    assert_eq!(parse_w3c_date("yesterday"), None);
}

//! The fixture server (`wirecopy::sites`) over `fixtures/sites/`, spoken to
//! with a raw HTTP/1.1 client on a tokio `TcpStream`.

use std::io::Read;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use wirecopy::sites::{Fault, SiteServer, LAST_MODIFIED};

use crate::util::{fixtures, Dir};

/// One raw response.
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }
}

/// Sends `METHOD TARGET` with extra header lines to `origin` and reads the
/// whole response. `None` when the server closed without answering.
async fn send(origin: &str, method: &str, target: &str, extra: &[(&str, &str)]) -> Option<Resp> {
    let addr = origin.strip_prefix("http://").expect("http origin");
    let mut stream = TcpStream::connect(addr)
        .await
        .expect("connect to the fixture server");
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in extra {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream
        .write_all(req.as_bytes())
        .await
        .expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read response");
    if raw.is_empty() {
        return None;
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of response head");
    let head = std::str::from_utf8(&raw[..split]).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(Resp {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    })
}

async fn get(origin: &str, target: &str) -> Resp {
    send(origin, "GET", target, &[]).await.expect("an answer")
}

async fn start() -> SiteServer {
    SiteServer::start(&fixtures().join("sites"))
        .await
        .expect("start the fixture sites")
}

fn origin(server: &SiteServer, site: &str) -> String {
    server.origin(site).expect("site is served")
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}

#[tokio::test]
async fn one_listener_per_site() {
    let server = start().await;
    let names: Vec<String> = server.sites().into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["dailyblog", "newsline", "ria", "rtlike", "sputnik", "tass"]
    );
    let mut origins: Vec<String> = server.sites().into_iter().map(|(_, o)| o).collect();
    origins.sort();
    origins.dedup();
    assert_eq!(origins.len(), 6);
    assert!(server.origin("nosuchsite").is_none());
    let tass = origin(&server, "tass");
    assert_eq!(
        server.url("tass", "/rss/v2.xml"),
        Some(format!("{tass}/rss/v2.xml"))
    );
    assert_eq!(
        server.substitute("x = '{{site:tass}}/a' {{site:nope}}"),
        format!("x = '{tass}/a' {{{{site:nope}}}}")
    );
}

#[tokio::test]
async fn serves_a_page_with_validators_and_origin() {
    let server = start().await;
    let tass = origin(&server, "tass");
    let resp = get(&tass, "/economy/1801101.html").await;
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        resp.header("Content-Length"),
        Some(resp.body.len().to_string().as_str())
    );
    assert_eq!(resp.header("Last-Modified"), Some(LAST_MODIFIED));
    assert_eq!(resp.header("Connection"), Some("close"));
    let etag = resp.header("ETag").expect("an ETag");
    assert!(etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"));
    let text = resp.text();
    assert!(text.contains(&format!(
        "<link rel=\"canonical\" href=\"{tass}/economy/1801101.html\">"
    )));
    assert!(!text.contains("{{origin}}"));
    // The page's own template placeholders are not ours to touch.
    assert!(text.contains("{{item.group_date}}"));

    // Query strings are ignored; HEAD sends the headers only.
    let tracked = get(
        &tass,
        "/economy/1801101.html?utm_source=rss&utm_medium=feed",
    )
    .await;
    assert_eq!(tracked.body, resp.body);
    let head = send(&tass, "HEAD", "/economy/1801101.html", &[])
        .await
        .expect("an answer");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("Content-Length"), resp.header("Content-Length"));
}

#[tokio::test]
async fn answers_304_to_matching_validators() {
    let server = start().await;
    let tass = origin(&server, "tass");
    let first = get(&tass, "/rss/v2.xml").await;
    let etag = first.header("ETag").expect("an ETag").to_string();

    let again = send(&tass, "GET", "/rss/v2.xml", &[("If-None-Match", &etag)])
        .await
        .expect("an answer");
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("ETag"), Some(etag.as_str()));
    assert_eq!(again.header("Content-Length"), None);

    let since = send(
        &tass,
        "GET",
        "/rss/v2.xml",
        &[("If-Modified-Since", LAST_MODIFIED)],
    )
    .await
    .expect("an answer");
    assert_eq!(since.status, 304);
    let older = send(
        &tass,
        "GET",
        "/rss/v2.xml",
        &[("If-Modified-Since", "Mon, 04 Mar 2024 00:00:00 GMT")],
    )
    .await
    .expect("an answer");
    assert_eq!(older.status, 200);
    let stale = send(
        &tass,
        "GET",
        "/rss/v2.xml",
        &[
            ("If-None-Match", "\"stale\""),
            ("If-Modified-Since", LAST_MODIFIED),
        ],
    )
    .await
    .expect("an answer");
    assert_eq!(
        stale.status, 200,
        "If-None-Match wins over If-Modified-Since"
    );
    assert_eq!(stale.body, first.body);

    let log = server.requests();
    let statuses: Vec<u16> = log.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 304, 304, 200, 200]);
    assert_eq!(log[1].if_none_match.as_deref(), Some(etag.as_str()));
    assert!(log[0].if_none_match.is_none());
    assert_eq!(log[2].if_modified_since.as_deref(), Some(LAST_MODIFIED));
    assert!(log
        .iter()
        .all(|r| r.site == "tass" && r.path == "/rss/v2.xml"));
    assert!(log.windows(2).all(|w| w[0].at <= w[1].at));
}

#[tokio::test]
async fn fills_in_the_origin_in_feeds_sitemaps_and_robots() {
    let server = start().await;
    let tass = origin(&server, "tass");
    let robots = get(&tass, "/robots.txt").await;
    assert_eq!(
        robots.header("Content-Type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(robots.text().contains("Disallow: /private/"));
    assert!(robots
        .text()
        .contains(&format!("Sitemap: {tass}/sitemap.xml")));

    let feed = get(&tass, "/rss/v2.xml").await;
    assert_eq!(
        feed.header("Content-Type"),
        Some("application/xml; charset=utf-8")
    );
    let feed = feed.text();
    assert!(feed.contains(&format!("<link>{tass}/private/1801999.html</link>")));
    assert!(!feed.contains("{{origin}}"));

    let index = get(&tass, "/sitemap.xml").await.text();
    assert!(index.contains(&format!("<loc>{tass}/sitemap-2024.xml.gz</loc>")));
    assert!(index.contains(&format!("<loc>{tass}/sitemap-news.xml</loc>")));

    let atom = get(&origin(&server, "sputnik"), "/export/atom.xml")
        .await
        .text();
    assert!(atom.contains("?utm_source=atom&amp;utm_medium=feed"));
}

#[tokio::test]
async fn gzip_sitemap_decodes_to_its_template() {
    let server = start().await;
    let tass = origin(&server, "tass");
    let gz = get(&tass, "/sitemap-2024.xml.gz").await;
    assert_eq!(gz.status, 200);
    assert_eq!(gz.header("Content-Type"), Some("application/gzip"));
    assert_eq!(gz.header("Content-Encoding"), None);
    let plain = get(&tass, "/sitemap-2024.xml").await;
    assert_eq!(gunzip(&gz.body), plain.body);
    assert!(plain
        .text()
        .contains(&format!("<loc>{tass}/economy/1801101.html</loc>")));
    // The same bytes every time, so the ETag holds across requests.
    let again = get(&tass, "/sitemap-2024.xml.gz").await;
    assert_eq!(again.header("ETag"), gz.header("ETag"));
    assert_eq!(get(&tass, "/nothing.xml.gz").await.status, 404);
}

#[tokio::test]
async fn compresses_text_for_clients_that_accept_gzip() {
    let server = start().await;
    let sputnik = origin(&server, "sputnik");
    let path = "/20240304/pamir-highway-reopens-1117004411.html";
    let plain = get(&sputnik, path).await;
    let gz = send(&sputnik, "GET", path, &[("Accept-Encoding", "gzip, br")])
        .await
        .expect("an answer");
    assert_eq!(gz.header("Content-Encoding"), Some("gzip"));
    assert_eq!(gz.header("Vary"), Some("Accept-Encoding"));
    assert_eq!(gunzip(&gz.body), plain.body);
    assert_ne!(gz.header("ETag"), plain.header("ETag"));
    let tag = gz.header("ETag").expect("an ETag");
    let again = send(
        &sputnik,
        "GET",
        path,
        &[("Accept-Encoding", "gzip"), ("If-None-Match", tag)],
    )
    .await
    .expect("an answer");
    assert_eq!(again.status, 304);
}

#[tokio::test]
async fn declares_windows_1251_for_the_russian_agency() {
    let server = start().await;
    let ria = origin(&server, "ria");
    let page = get(&ria, "/20240305/metro-1931004455.html").await;
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=windows-1251")
    );
    assert!(
        std::str::from_utf8(&page.body).is_err(),
        "the bytes are windows-1251, not UTF-8"
    );
    let (text, _, bad) = encoding_rs::WINDOWS_1251.decode(&page.body);
    assert!(!bad);
    assert!(text.contains("НИЖНИЙ НОВГОРОД, 5 мар — РИА Новости."));
    assert!(text.contains(&format!("href=\"{ria}/20240305/metro-1931004455.html\"")));
    // Only HTML follows `.charset`; the feed is UTF-8, and the file itself is hidden.
    let feed = get(&ria, "/export/rss1/index.xml").await;
    assert_eq!(
        feed.header("Content-Type"),
        Some("application/xml; charset=utf-8")
    );
    assert!(feed.text().contains("РИА Новости"));
    assert_eq!(get(&ria, "/.charset").await.status, 404);
    // Other sites are UTF-8, their Russian pages included.
    let rtlike = get(&origin(&server, "rtlike"), "/russian/583125-nizhny-metro/").await;
    assert_eq!(
        rtlike.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(rtlike.text().contains("Нижний Новгород, 5 марта"));
}

#[tokio::test]
async fn directories_serve_their_index() {
    let server = start().await;
    let blog = origin(&server, "dailyblog");
    let slash = get(&blog, "/2024/03/04/second-ferry-for-the-kaliningrad-line/").await;
    assert_eq!(slash.status, 200);
    assert!(slash
        .text()
        .contains("Second Ferry for the Kaliningrad Line"));
    let bare = get(&blog, "/2024/03/04/second-ferry-for-the-kaliningrad-line").await;
    assert_eq!(bare.body, slash.body);
    let section = get(&origin(&server, "newsline"), "/world/").await;
    assert!(section.text().contains("href=\"/world/41901.html\""));
    assert_eq!(get(&blog, "/").await.status, 200);
}

#[tokio::test]
async fn refuses_paths_outside_the_site() {
    let server = start().await;
    let tass = origin(&server, "tass");
    // fixtures/sites/sources.toml and build.py sit one level above each site's root.
    for target in [
        "/../sources.toml",
        "/economy/../../sources.toml",
        "/%2e%2e/sources.toml",
        "/%2E%2E%2Fsources.toml",
        "/..%2f..%2fCargo.toml",
        "/..\\sources.toml",
        "/%5c..%5csources.toml",
        "/./../build.py",
        "/rss/%00.xml",
        "http://127.0.0.1/../sources.toml",
        "/../ria/.charset",
        "/../../../../../../../../etc/passwd",
        "//etc/passwd",
    ] {
        let resp = send(&tass, "GET", target, &[]).await.expect("an answer");
        assert!(
            resp.status == 404 || resp.status == 400,
            "{target}: {}",
            resp.status
        );
        assert!(!resp.text().contains("[[outlet]]"), "{target}");
    }
    assert_eq!(get(&tass, "/no/such/page.html").await.status, 404);
    let post = send(&tass, "POST", "/rss/v2.xml", &[])
        .await
        .expect("an answer");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET, HEAD"));
}

#[cfg(unix)]
#[tokio::test]
async fn refuses_symlinks_that_leave_the_root() {
    let dir = Dir::new("serve-symlink");
    dir.create("secret.txt", "outside");
    dir.create("site/inside.txt", "inside {{origin}}");
    dir.create("_ignored/x.txt", "not a site");
    std::os::unix::fs::symlink(dir.path.join("secret.txt"), dir.path.join("site/link.txt"))
        .expect("symlink");
    let server = SiteServer::start(&dir.path).await.expect("start");
    assert_eq!(
        server.sites().len(),
        1,
        "directories starting with _ are not sites"
    );
    let site = origin(&server, "site");
    assert_eq!(
        get(&site, "/inside.txt").await.text(),
        format!("inside {site}")
    );
    assert_eq!(get(&site, "/link.txt").await.status, 404);
}

#[tokio::test]
async fn faults_then_recovery() {
    let server = start().await;
    let tass = origin(&server, "tass");
    let path = "/economy/1801142.html";

    server.set_fault(
        "tass",
        path,
        Fault::Status {
            code: 500,
            times: 2,
        },
    );
    assert_eq!(get(&tass, path).await.status, 500);
    assert_eq!(get(&tass, &format!("{path}?retry=1")).await.status, 500);
    assert_eq!(get(&tass, path).await.status, 200);

    server.set_fault(
        "tass",
        path,
        Fault::TooManyRequests {
            retry_after_secs: 2,
            times: 1,
        },
    );
    let limited = get(&tass, path).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("Retry-After"), Some("2"));
    assert_eq!(get(&tass, path).await.status, 200);

    server.set_fault(
        "tass",
        path,
        Fault::Redirect("{{origin}}/economy/1801101.html".into()),
    );
    for _ in 0..2 {
        let moved = get(&tass, path).await;
        assert_eq!(moved.status, 301);
        assert_eq!(
            moved.header("Location"),
            Some(format!("{tass}/economy/1801101.html").as_str())
        );
    }
    server.clear_fault("tass", path);
    assert_eq!(get(&tass, path).await.status, 200);

    server.set_fault("tass", path, Fault::Close { times: 1 });
    assert!(send(&tass, "GET", path, &[]).await.is_none());
    assert_eq!(get(&tass, path).await.status, 200);

    server.set_fault("tass", path, Fault::Delay(Duration::from_millis(300)));
    let started = Instant::now();
    assert_eq!(get(&tass, path).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    server.clear_fault("tass", path);

    // Faults are per site: the same path elsewhere is untouched.
    server.set_fault(
        "sputnik",
        path,
        Fault::Status {
            code: 503,
            times: 5,
        },
    );
    assert_eq!(get(&tass, path).await.status, 200);

    let statuses: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [500, 500, 200, 429, 200, 301, 301, 200, 0, 200, 200, 200]
    );
    assert_eq!(server.requests()[1].query.as_deref(), Some("retry=1"));
    server.clear_requests();
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn logs_the_user_agent() {
    let server = start().await;
    let blog = origin(&server, "dailyblog");
    send(
        &blog,
        "GET",
        "/feed.xml",
        &[("User-Agent", "wirecopy-test/1")],
    )
    .await
    .expect("an answer");
    let log = server.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].site, "dailyblog");
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].user_agent.as_deref(), Some("wirecopy-test/1"));
}

#[tokio::test]
async fn dropping_the_server_stops_the_listeners() {
    let server = start().await;
    let addr = origin(&server, "tass")
        .trim_start_matches("http://")
        .to_string();
    assert!(TcpStream::connect(&addr).await.is_ok());
    server.shutdown();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(TcpStream::connect(&addr).await.is_err());
}

#[tokio::test]
async fn start_reports_a_missing_root() {
    let missing = fixtures().join("no-such-sites");
    let error = SiteServer::start(&missing).await.expect_err("no root");
    assert!(error.to_string().contains("no-such-sites"));
    let empty = Dir::new("serve-empty");
    let error = SiteServer::start(&empty.path).await.expect_err("no sites");
    assert!(error.to_string().contains("no site directories"));
}

/// expected.json, sources.toml and the served files agree: every article is
/// served, and each outlet's `article_url` claims exactly its own articles.
#[tokio::test]
async fn demo_config_matches_the_sites() {
    let server = start().await;
    let sites = fixtures().join("sites");
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(sites.join("expected.json")).expect("expected.json"),
    )
    .expect("valid JSON");
    let toml = std::fs::read_to_string(sites.join("sources.toml")).expect("sources.toml");
    let config = wirecopy::config::parse(&server.substitute(&toml), "fixtures/sites/sources.toml")
        .expect("the demo config parses");
    assert_eq!(config.outlets.len(), 6);

    let articles = expected["articles"].as_array().expect("articles");
    assert_eq!(articles.len(), 37);
    for article in articles {
        let site = article["site"].as_str().expect("site");
        let path = article["path"].as_str().expect("path");
        let url = url::Url::parse(&server.url(site, path).expect("served site")).expect("URL");
        for outlet in &config.outlets {
            assert_eq!(
                outlet.wants(&url),
                outlet.name == site,
                "{} wants {url}?",
                outlet.name
            );
        }
        assert_eq!(
            get(&origin(&server, site), path).await.status,
            200,
            "{site}{path}"
        );
    }
    let agencies: Vec<&str> = config
        .outlets
        .iter()
        .filter(|o| o.agency)
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(agencies, ["tass", "sputnik", "ria"]);
    let disallowed = &expected["disallowed"][0];
    assert_eq!(disallowed["path"], "/private/1801999.html");
}

//! The fetch stage against a loopback HTTP/1.1 server that each test starts
//! on 127.0.0.1:0: robots.txt, pacing, conditional GET, retries, redirects,
//! the body cap, decompression and connect errors. No test leaves the machine.

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;
use wirecopy::fetch::{FetchConfig, FetchErrorKind, Fetcher, Request, Response, Validators};

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    /// Header names lowercased.
    headers: HashMap<String, String>,
    at: Instant,
}

/// What the server answers.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    /// Omit Content-Length and close the connection to end the body.
    no_length: bool,
    /// Wait this long before answering.
    delay: Duration,
}

impl Reply {
    fn new(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
            no_length: false,
            delay: Duration::ZERO,
        }
    }

    fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply::new(200, body).header("Content-Type", "text/html; charset=utf-8")
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

/// The handler gets the request and how many earlier requests had its path.
type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Seen>>>,
    max_in_flight: Arc<AtomicUsize>,
}

impl Server {
    async fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("bound address");
        let log = Arc::new(Mutex::new(Vec::new()));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let (log2, max2) = (Arc::clone(&log), Arc::clone(&max_in_flight));
        let in_flight = Arc::new(AtomicUsize::new(0));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (handler, log, max, in_flight) = (
                    Arc::clone(&handler),
                    Arc::clone(&log2),
                    Arc::clone(&max2),
                    Arc::clone(&in_flight),
                );
                tokio::spawn(async move {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    max.fetch_max(now, Ordering::SeqCst);
                    serve(stream, &*handler, &log).await;
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Server {
            addr,
            log,
            max_in_flight,
        }
    }

    fn url(&self, path: &str) -> Url {
        Url::parse(&format!("http://{}{path}", self.addr)).expect("loopback URL")
    }

    fn hits(&self, path: &str) -> Vec<Seen> {
        let log = self.log.lock().expect("log lock");
        log.iter()
            .filter(|seen| seen.path == path)
            .cloned()
            .collect()
    }

    fn all(&self) -> Vec<Seen> {
        self.log.lock().expect("log lock").clone()
    }
}

/// Answers one request on `stream`, then closes it.
async fn serve(mut stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Seen>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .unwrap_or("/")
        .to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let seen = Seen {
        path,
        headers,
        at: Instant::now(),
    };
    let reply = {
        let mut log = log.lock().expect("log lock");
        let earlier = log.iter().filter(|s| s.path == seen.path).count();
        log.push(seen.clone());
        handler(&seen, earlier)
    };
    tokio::time::sleep(reply.delay).await;
    let mut out = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", reply.status);
    if !reply.no_length {
        out.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    for (name, value) in &reply.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes()).await;
    let _ = stream.write_all(&reply.body).await;
    let _ = stream.shutdown().await;
}

/// A fast configuration: short backoff, robots off unless a test needs them.
fn config() -> FetchConfig {
    FetchConfig {
        user_agent: "wirecopy-test/1.0".to_owned(),
        connect_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(5),
        retries: 2,
        backoff_base: Duration::from_millis(20),
        max_backoff: Duration::from_secs(3),
        obey_robots: false,
        ..FetchConfig::default()
    }
}

fn fetcher(config: FetchConfig) -> Fetcher {
    Fetcher::new(config).expect("fetcher builds")
}

fn page(response: Response) -> wirecopy::fetch::Page {
    match response {
        Response::Page(page) => page,
        other => panic!("expected a page, got {other:?}"),
    }
}

/// The gaps between consecutive requests the server saw.
fn gaps(seen: &[Seen]) -> Vec<Duration> {
    seen.windows(2)
        .map(|w| w[1].at.duration_since(w[0].at))
        .collect()
}

#[tokio::test]
async fn robots_disallow_is_respected_and_robots_fetched_once() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/robots.txt" => Reply::ok(
            "User-agent: *\nDisallow: /private/\n\nUser-agent: wirecopy-test\nDisallow: /mine\n",
        ),
        _ => Reply::ok("<p>hello</p>"),
    })
    .await;
    let fetcher = fetcher(FetchConfig {
        obey_robots: true,
        ..config()
    });
    let (public, mine) = (
        Request::new(server.url("/public/1")),
        Request::new(server.url("/mine/2")),
    );
    let (a, b) = tokio::join!(fetcher.fetch(&public), fetcher.fetch(&mine));
    assert!(matches!(a.expect("public page"), Response::Page(_)));
    assert!(matches!(b.expect("verdict"), Response::Disallowed { .. }));
    // Our own group replaces `*`, so /private/ is allowed for us.
    assert!(matches!(
        fetcher
            .fetch(&Request::new(server.url("/private/3")))
            .await
            .expect("private page"),
        Response::Page(_)
    ));
    assert_eq!(server.hits("/robots.txt").len(), 1);
    assert!(server.hits("/mine/2").is_empty());
    let stats = fetcher.stats();
    assert_eq!((stats.robots_denied, stats.requests), (1, 3));
    assert_eq!(
        server.hits("/public/1")[0].headers["user-agent"],
        "wirecopy-test/1.0"
    );
}

#[tokio::test]
async fn robots_answering_5xx_disallows_everything() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/robots.txt" => Reply::new(503, ""),
        _ => Reply::ok("x"),
    })
    .await;
    let fetcher = fetcher(FetchConfig {
        obey_robots: true,
        retries: 1,
        ..config()
    });
    let response = fetcher
        .fetch(&Request::new(server.url("/a")))
        .await
        .expect("verdict");
    assert!(matches!(response, Response::Disallowed { .. }));
    assert_eq!(
        server.hits("/robots.txt").len(),
        2,
        "robots.txt is retried like any URL"
    );
    assert!(server.hits("/a").is_empty());
}

#[tokio::test]
async fn crawl_delay_spaces_requests() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/robots.txt" => Reply::ok("User-agent: *\nCrawl-delay: 0.25\n"),
        _ => Reply::ok("x"),
    })
    .await;
    let fetcher = fetcher(FetchConfig {
        obey_robots: true,
        ..config()
    });
    for path in ["/a", "/b", "/c"] {
        page(
            fetcher
                .fetch(&Request::new(server.url(path)))
                .await
                .expect("page"),
        );
    }
    // robots.txt counts too: the first page waits the delay after it.
    let all = server.all();
    assert_eq!(all.len(), 4);
    for gap in gaps(&all) {
        assert!(gap >= Duration::from_millis(250), "gap {gap:?}");
    }
}

#[tokio::test]
async fn rate_limit_spaces_requests_one_at_a_time() {
    let server = Server::start(|_, _| Reply {
        delay: Duration::from_millis(20),
        ..Reply::ok("x")
    })
    .await;
    let fetcher = fetcher(config());
    let started = Instant::now();
    let tasks: Vec<_> = (0..5)
        .map(|i| {
            let (fetcher, url) = (fetcher.clone(), server.url(&format!("/story/{i}")));
            tokio::spawn(async move { fetcher.fetch(&Request::new(url).rate(5.0)).await })
        })
        .collect();
    for task in tasks {
        page(task.await.expect("task").expect("page"));
    }
    let elapsed = started.elapsed();
    let seen = server.all();
    assert_eq!(seen.len(), 5);
    assert!(
        elapsed >= Duration::from_millis(800),
        "5 requests at 5/s took {elapsed:?}"
    );
    for gap in gaps(&seen) {
        assert!(gap >= Duration::from_millis(200), "gap {gap:?}");
    }
    assert_eq!(
        server.max_in_flight.load(Ordering::SeqCst),
        1,
        "one request at a time per host"
    );
}

#[tokio::test]
async fn global_concurrency_limit_spans_hosts() {
    let slow = || Reply {
        delay: Duration::from_millis(150),
        ..Reply::ok("x")
    };
    let (one, two) = (
        Server::start(move |_, _| slow()).await,
        Server::start(move |_, _| slow()).await,
    );
    let fetcher = fetcher(FetchConfig {
        concurrency: 1,
        ..config()
    });
    let started = Instant::now();
    let (to_one, to_two) = (Request::new(one.url("/a")), Request::new(two.url("/b")));
    let (a, b) = tokio::join!(fetcher.fetch(&to_one), fetcher.fetch(&to_two));
    page(a.expect("page a"));
    page(b.expect("page b"));
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn hosts_do_not_wait_for_each_other() {
    let slow = || Reply {
        delay: Duration::from_millis(300),
        ..Reply::ok("x")
    };
    let (one, two) = (
        Server::start(move |_, _| slow()).await,
        Server::start(move |_, _| slow()).await,
    );
    let fetcher = fetcher(config());
    let (to_one, to_two) = (Request::new(one.url("/a")), Request::new(two.url("/b")));
    let started = Instant::now();
    let (a, b) = tokio::join!(fetcher.fetch(&to_one), fetcher.fetch(&to_two));
    page(a.expect("page a"));
    page(b.expect("page b"));
    assert!(
        started.elapsed() < Duration::from_millis(550),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn robots_sitemap_lines_are_exposed() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/robots.txt" => Reply::ok("User-agent: *\nAllow: /\nSitemap: /news-sitemap.xml\n"),
        _ => Reply::new(404, ""),
    })
    .await;
    let fetcher = fetcher(config());
    let sitemaps = fetcher.robots_sitemaps(&server.url("/any/page")).await;
    assert_eq!(sitemaps, [server.url("/news-sitemap.xml")]);
    fetcher.robots_sitemaps(&server.url("/other")).await;
    assert_eq!(server.hits("/robots.txt").len(), 1);
}

#[tokio::test]
async fn validators_are_sent_and_304_is_not_modified() {
    const LAST_MODIFIED: &str = "Fri, 03 May 2024 10:00:00 GMT";
    let server = Server::start(|seen, _| {
        let etag_matches = seen.headers.get("if-none-match").map(String::as_str) == Some("\"v1\"");
        let date_matches =
            seen.headers.get("if-modified-since").map(String::as_str) == Some(LAST_MODIFIED);
        if etag_matches || date_matches {
            Reply::new(304, "")
        } else {
            Reply::ok("<p>story</p>")
                .header("ETag", "\"v1\"")
                .header("Last-Modified", LAST_MODIFIED)
        }
    })
    .await;
    let fetcher = fetcher(config());
    let url = server.url("/story");
    let first = page(
        fetcher
            .fetch(&Request::new(url.clone()))
            .await
            .expect("first fetch"),
    );
    assert_eq!(first.validators.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        first.validators.last_modified.as_deref(),
        Some(LAST_MODIFIED)
    );
    assert_eq!(
        first.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    let again = Request::new(url.clone()).validators(first.validators.clone());
    assert!(matches!(
        fetcher.fetch(&again).await.expect("second fetch"),
        Response::NotModified { .. }
    ));
    let by_date = Request::new(url).validators(Validators {
        etag: None,
        last_modified: Some(LAST_MODIFIED.to_owned()),
    });
    assert!(matches!(
        fetcher.fetch(&by_date).await.expect("third fetch"),
        Response::NotModified { .. }
    ));
    let hits = server.hits("/story");
    assert_eq!(
        hits[1].headers.get("if-none-match").map(String::as_str),
        Some("\"v1\"")
    );
    assert_eq!(
        hits[1].headers.get("if-modified-since").map(String::as_str),
        Some(LAST_MODIFIED)
    );
    assert_eq!(fetcher.stats().not_modified, 2);
}

#[tokio::test]
async fn a_500_then_a_200_succeeds_after_one_retry() {
    let server = Server::start(|_, n| {
        if n == 0 {
            Reply::new(500, "oops")
        } else {
            Reply::ok("fine")
        }
    })
    .await;
    let fetcher = fetcher(config());
    let page = page(
        fetcher
            .fetch(&Request::new(server.url("/flaky")))
            .await
            .expect("retried"),
    );
    assert_eq!(page.body, b"fine");
    assert_eq!(server.hits("/flaky").len(), 2);
    let stats = fetcher.stats();
    assert_eq!((stats.requests, stats.retries, stats.bytes), (2, 1, 4));
}

#[tokio::test]
async fn persistent_5xx_gives_up_after_the_retries() {
    let server = Server::start(|_, _| Reply::new(502, "")).await;
    let fetcher = fetcher(config());
    let error = fetcher
        .fetch(&Request::new(server.url("/down")))
        .await
        .expect_err("always 502");
    assert_eq!(error.kind(), &FetchErrorKind::Status(502));
    assert_eq!(error.attempts(), 3);
    assert_eq!(
        error.to_string(),
        format!("{}: HTTP 502 after 3 attempts", server.url("/down"))
    );
    assert_eq!(fetcher.stats().failures, 1);
}

#[tokio::test]
async fn a_429_with_retry_after_waits_before_retrying() {
    let server = Server::start(|_, n| {
        if n == 0 {
            Reply::new(429, "slow down").header("Retry-After", "1")
        } else {
            Reply::ok("ok")
        }
    })
    .await;
    let fetcher = fetcher(config());
    let started = Instant::now();
    page(
        fetcher
            .fetch(&Request::new(server.url("/busy")))
            .await
            .expect("after waiting"),
    );
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let hits = server.hits("/busy");
    assert!(gaps(&hits)[0] >= Duration::from_secs(1));
}

#[tokio::test]
async fn a_host_rests_after_a_failure_even_when_retries_are_spent() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/a" => Reply::new(503, "").header("Retry-After", "1"),
        _ => Reply::ok("b"),
    })
    .await;
    let fetcher = fetcher(FetchConfig {
        retries: 0,
        ..config()
    });
    let error = fetcher
        .fetch(&Request::new(server.url("/a")))
        .await
        .expect_err("503");
    assert_eq!(error.attempts(), 1);
    page(
        fetcher
            .fetch(&Request::new(server.url("/b")))
            .await
            .expect("next URL"),
    );
    let seen = server.all();
    assert!(
        gaps(&seen)[0] >= Duration::from_secs(1),
        "{:?}",
        gaps(&seen)
    );
}

#[tokio::test]
async fn retry_after_beyond_max_backoff_fails_fast_and_rests_the_host() {
    let server = Server::start(|_, _| Reply::new(503, "").header("Retry-After", "3600")).await;
    let fetcher = fetcher(config());
    let started = Instant::now();
    let error = fetcher
        .fetch(&Request::new(server.url("/a")))
        .await
        .expect_err("too long a wait");
    assert!(
        matches!(error.kind(), FetchErrorKind::RetryAfter { status: 503, wait } if wait.as_secs() == 3600)
    );
    let error = fetcher
        .fetch(&Request::new(server.url("/b")))
        .await
        .expect_err("host resting");
    assert!(matches!(error.kind(), FetchErrorKind::RetryAfter { .. }));
    assert_eq!(error.attempts(), 0);
    assert_eq!(server.all().len(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn a_404_is_not_retried() {
    let server = Server::start(|_, _| Reply::new(404, "gone")).await;
    let fetcher = fetcher(config());
    let error = fetcher
        .fetch(&Request::new(server.url("/missing")))
        .await
        .expect_err("404");
    assert_eq!(error.kind(), &FetchErrorKind::Status(404));
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.hits("/missing").len(), 1);
    assert_eq!(fetcher.stats().retries, 0);
}

#[tokio::test]
async fn a_404_after_a_retry_reports_both_attempts() {
    let server = Server::start(|_, n| match n {
        0 => Reply::new(503, ""),
        _ => Reply::new(404, ""),
    })
    .await;
    let error = fetcher(config())
        .fetch(&Request::new(server.url("/gone")))
        .await
        .expect_err("404");
    assert_eq!(error.kind(), &FetchErrorKind::Status(404));
    assert_eq!(error.attempts(), 2);
}

#[tokio::test]
async fn redirects_are_followed_and_limited() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/old" => Reply::new(301, "").header("Location", "/new"),
        "/new" => Reply::ok("moved here"),
        path => {
            let n: u32 = path.trim_start_matches("/loop/").parse().unwrap_or(0);
            Reply::new(302, "").header("Location", format!("/loop/{}", n + 1))
        }
    })
    .await;
    let fetcher = fetcher(FetchConfig {
        max_redirects: 3,
        ..config()
    });
    let page = page(
        fetcher
            .fetch(&Request::new(server.url("/old")))
            .await
            .expect("redirected"),
    );
    assert_eq!(page.url, server.url("/old"));
    assert_eq!(page.final_url, server.url("/new"));
    assert_eq!(page.body, b"moved here");
    let error = fetcher
        .fetch(&Request::new(server.url("/loop/0")))
        .await
        .expect_err("loop");
    assert_eq!(error.kind(), &FetchErrorKind::TooManyRedirects);
    assert_eq!(error.attempts(), 1);
    assert_eq!(
        server
            .all()
            .iter()
            .filter(|s| s.path.starts_with("/loop/"))
            .count(),
        4
    );
}

#[tokio::test]
async fn redirect_hops_pass_robots_and_pacing() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/robots.txt" => Reply::new(301, "").header("Location", "/site/robots.txt"),
        "/site/robots.txt" => Reply::ok("User-agent: *\nDisallow: /private/\n"),
        "/old" => Reply::new(302, "").header("Location", "/private/x"),
        "/short" => Reply::new(307, "").header("Location", "/public/y#frag"),
        "/mail" => Reply::new(302, "").header("Location", "mailto:desk@news.example"),
        _ => Reply::ok("page"),
    })
    .await;
    let fetcher = fetcher(FetchConfig {
        obey_robots: true,
        ..config()
    });
    let response = fetcher
        .fetch(&Request::new(server.url("/old")).rate(20.0))
        .await
        .expect("verdict");
    assert!(
        matches!(&response, Response::Disallowed { url } if *url == server.url("/old")),
        "{response:?}"
    );
    assert!(server.hits("/private/x").is_empty());
    let page = page(
        fetcher
            .fetch(&Request::new(server.url("/short")).rate(20.0))
            .await
            .expect("page"),
    );
    assert_eq!(page.final_url, server.url("/public/y"));
    for gap in gaps(&server.all()) {
        assert!(gap >= Duration::from_millis(50), "gap {gap:?}");
    }
    let error = fetcher
        .fetch(&Request::new(server.url("/mail")))
        .await
        .expect_err("mailto redirect");
    assert_eq!(error.kind(), &FetchErrorKind::InvalidUrl);
    assert_eq!(error.url(), &server.url("/mail"));
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/declared" => Reply::ok(vec![b'x'; 5000]),
        "/streamed" => Reply {
            no_length: true,
            ..Reply::ok(vec![b'x'; 5000])
        },
        _ => Reply::ok(vec![b'x'; 1000]),
    })
    .await;
    let fetcher = fetcher(FetchConfig {
        max_body_bytes: 1000,
        ..config()
    });
    for path in ["/declared", "/streamed"] {
        let error = fetcher
            .fetch(&Request::new(server.url(path)))
            .await
            .expect_err("too large");
        assert_eq!(
            error.kind(),
            &FetchErrorKind::TooLarge { limit: 1000 },
            "{path}"
        );
        assert_eq!(server.hits(path).len(), 1, "not retried");
    }
    let exact = page(
        fetcher
            .fetch(&Request::new(server.url("/exact")))
            .await
            .expect("at the cap"),
    );
    assert_eq!(exact.body.len(), 1000);
}

#[tokio::test]
async fn gzip_bodies_are_decoded_and_capped_decoded() {
    let text = "Переговоры возобновились. ".repeat(200);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(text.as_bytes())
        .expect("compress in memory");
    let gz = encoder.finish().expect("finish gzip");
    let gz_len = gz.len();
    let server =
        Server::start(move |_, _| Reply::ok(gz.clone()).header("Content-Encoding", "gzip")).await;
    let page = page(
        fetcher(config())
            .fetch(&Request::new(server.url("/gz")))
            .await
            .expect("gzip page"),
    );
    assert_eq!(page.body, text.as_bytes());
    assert!(server.hits("/gz")[0].headers["accept-encoding"].contains("gzip"));
    let capped = fetcher(FetchConfig {
        max_body_bytes: gz_len * 2,
        ..config()
    });
    let error = capped
        .fetch(&Request::new(server.url("/gz")))
        .await
        .expect_err("decoded size counts");
    assert!(matches!(error.kind(), FetchErrorKind::TooLarge { .. }));
}

#[tokio::test]
async fn slow_servers_time_out() {
    let server = Server::start(|_, _| Reply {
        delay: Duration::from_secs(3),
        ..Reply::ok("late")
    })
    .await;
    let fetcher = fetcher(FetchConfig {
        total_timeout: Duration::from_millis(200),
        retries: 1,
        ..config()
    });
    let started = Instant::now();
    let error = fetcher
        .fetch(&Request::new(server.url("/slow")))
        .await
        .expect_err("timeout");
    assert_eq!(error.kind(), &FetchErrorKind::Timeout);
    assert_eq!(error.attempts(), 2);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_dead_port_is_a_quick_connect_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.local_addr().expect("bound address").port()
    };
    let url = Url::parse(&format!("http://127.0.0.1:{port}/a")).expect("loopback URL");
    let plain = fetcher(config());
    let polite = fetcher(FetchConfig {
        obey_robots: true,
        retries: 0,
        ..config()
    });
    let started = Instant::now();
    let error = plain
        .fetch(&Request::new(url.clone()))
        .await
        .expect_err("nothing listens");
    assert!(
        matches!(error.kind(), FetchErrorKind::Connect(_)),
        "{error}"
    );
    assert_eq!(error.attempts(), 3);
    let error = polite
        .fetch(&Request::new(url))
        .await
        .expect_err("robots unreachable");
    assert!(
        matches!(error.kind(), FetchErrorKind::Robots(kind) if matches!(**kind, FetchErrorKind::Connect(_)))
    );
    // Two backoffs of at most 20 and 40 ms; the rest is the loopback refusing.
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn non_http_urls_are_refused_without_a_request() {
    let url = Url::parse("ftp://example.com/file").expect("valid URL");
    let error = fetcher(config())
        .fetch(&Request::new(url))
        .await
        .expect_err("ftp");
    assert_eq!(error.kind(), &FetchErrorKind::InvalidUrl);
    assert_eq!(error.attempts(), 0);
}

#[test]
fn a_bad_user_agent_is_refused_at_build_time() {
    let error = Fetcher::new(FetchConfig {
        user_agent: "wirecopy\n0.1".to_owned(),
        ..FetchConfig::default()
    })
    .expect_err("newline in a header");
    assert!(error.to_string().contains("user agent"), "{error}");
}

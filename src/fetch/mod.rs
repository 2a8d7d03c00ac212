//! The fetch stage: URL → [`Response`]; async; the only module that uses
//! reqwest.
//!
//! A [`Fetcher`] fetches one [`Request`] at a time per call, politely
//! (robots.txt, per-host pacing, a global concurrency limit, conditional
//! GET, retries with backoff); many calls run concurrently on one fetcher.
//! The pure functions of [`discover`] turn feeds, sitemaps and section pages
//! into article links, and [`normalize`] makes their URLs comparable.
//!
//! One file per concern:
//!
//! * `fetcher.rs`: [`Fetcher`], which puts the rest together;
//! * `client.rs`: the HTTP client, timeouts, redirects, the body cap;
//! * `robots.rs`: robots.txt, fetched once per origin;
//! * `pace.rs`: per-host pacing and `Retry-After`;
//! * `retry.rs`: exponential backoff with jitter;
//! * `record.rs`: [`Recorder`], the hook that sees every exchange (for WARC);
//! * [`discover`]: links from feeds, sitemaps and section pages (no I/O);
//! * `urls.rs`: [`normalize`];
//! * `error.rs`: [`Error`], [`FetchError`], [`DiscoverError`].

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

mod client;
pub mod discover;
mod error;
mod fetcher;
mod pace;
mod record;
mod retry;
mod robots;
mod urls;

pub use discover::{feed_links, page_links, sitemap_links, Link, Sitemap};
pub use error::{DiscoverError, Error, FetchError, FetchErrorKind};
pub use fetcher::Fetcher;
pub use record::{Exchange, Recorder, OTHER_BODY_CAP};
pub use robots::{robots_answer, RobotsAnswer};
pub use urls::{normalize, same_site, TRACKING_PARAMS};

/// The default cap on a body, in bytes (decoded): 20 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 20 * 1024 * 1024;

/// How a [`Fetcher`] behaves. Per-host rates come with each [`Request`].
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// The `User-Agent` sent with every request; its first word (before `/`)
    /// is the agent matched against robots.txt groups. Default:
    /// `wirecopy/<version>`.
    pub user_agent: String,
    /// How long to wait for a connection (TCP and TLS). Default: 10 s.
    pub connect_timeout: Duration,
    /// How long one attempt may take, from connecting to the end of the
    /// body. Default: 30 s.
    pub total_timeout: Duration,
    /// Bodies larger than this (decoded) fail with
    /// [`FetchErrorKind::TooLarge`]. Default: [`DEFAULT_MAX_BODY_BYTES`].
    pub max_body_bytes: usize,
    /// Redirects followed before failing with
    /// [`FetchErrorKind::TooManyRedirects`]. Default: 5.
    pub max_redirects: usize,
    /// Extra attempts after a retryable failure (timeouts, connect and
    /// transport errors, 429, 5xx); 0 disables retries. Default: 3.
    pub retries: u32,
    /// The nominal delay before the first retry; it doubles with each
    /// retry. Default: 1 s.
    pub backoff_base: Duration,
    /// The longest delay between retries. A `Retry-After` asking for longer
    /// is not waited for: the URL fails with [`FetchErrorKind::RetryAfter`]
    /// and the host is left alone for that long. Default: 60 s.
    pub max_backoff: Duration,
    /// Requests in flight at once across all hosts (at least 1). Default: 16.
    pub concurrency: usize,
    /// Whether robots.txt is fetched and obeyed. This is enabled by default;
    /// turn it off only for one's own servers.
    pub obey_robots: bool,
    /// PEM certificates trusted as roots besides the system's (a private
    /// CA, a test CA). Default: none.
    pub extra_roots: Vec<Vec<u8>>,
}

impl Default for FetchConfig {
    fn default() -> FetchConfig {
        FetchConfig {
            user_agent: concat!("wirecopy/", env!("CARGO_PKG_VERSION")).to_owned(),
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_redirects: 5,
            retries: 3,
            backoff_base: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            concurrency: 16,
            obey_robots: true,
            extra_roots: Vec::new(),
        }
    }
}

/// One URL to fetch, with its host's rate and the validators from the last
/// fetch.
#[derive(Debug, Clone)]
pub struct Request {
    /// The URL to fetch (http or https).
    pub url: Url,
    /// At most this many requests per second to the URL's host: requests
    /// are spaced `1 / rate` seconds from the end of one to the start of the
    /// next. `<= 0` means no limit beyond robots.txt's `Crawl-delay`. The
    /// host's requests are one at a time whatever the rate.
    pub rate: f64,
    /// Sent as `If-None-Match` / `If-Modified-Since`.
    pub validators: Validators,
}

impl Request {
    /// A request for `url` with no rate limit and no validators.
    pub fn new(url: Url) -> Request {
        Request {
            url,
            rate: 0.0,
            validators: Validators::default(),
        }
    }

    /// Sets the host's rate in requests per second (default: unlimited).
    pub fn rate(mut self, rate: f64) -> Request {
        self.rate = rate;
        self
    }

    /// Sets the validators from the last fetch (default: none).
    pub fn validators(mut self, validators: Validators) -> Request {
        self.validators = validators;
        self
    }
}

/// The HTTP validators of a fetched resource, stored per URL and sent back
/// on the next fetch so that an unchanged resource costs a 304.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    /// The `ETag` header, as sent (quotes and `W/` included).
    pub etag: Option<String>,
    /// The `Last-Modified` header, as sent (an HTTP date).
    pub last_modified: Option<String>,
}

impl Validators {
    /// Returns true if and only if there is no validator to send.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// What fetching one URL gave, short of an error.
#[derive(Debug, Clone)]
pub enum Response {
    /// A 2xx reply with its body.
    Page(Page),
    /// A 304: the resource has not changed since the validators were taken.
    NotModified {
        /// The requested URL.
        url: Url,
    },
    /// robots.txt forbids this URL; nothing was sent to it.
    Disallowed {
        /// The requested URL.
        url: Url,
    },
}

/// A fetched resource: bytes and the headers that matter downstream.
#[derive(Debug, Clone)]
pub struct Page {
    /// The requested URL.
    pub url: Url,
    /// The URL after redirects (equal to `url` when there were none).
    pub final_url: Url,
    /// The HTTP status (2xx).
    pub status: u16,
    /// The `Content-Type` header, for the cleaner's charset detection.
    pub content_type: Option<String>,
    /// `ETag` and `Last-Modified` of this reply, to store for the next fetch.
    pub validators: Validators,
    /// The body, decoded from gzip/brotli/deflate, not from its charset.
    pub body: Vec<u8>,
    /// When the reply arrived.
    pub fetched_at: DateTime<Utc>,
}

/// A fetcher's counters, for the run summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FetchStats {
    /// HTTP requests sent, robots.txt and retries included.
    pub requests: u64,
    /// Of those, retries after a retryable failure.
    pub retries: u64,
    /// Fetches answered 304 Not Modified.
    pub not_modified: u64,
    /// Body bytes received in pages (decoded).
    pub bytes: u64,
    /// URLs not fetched because robots.txt disallows them.
    pub robots_denied: u64,
    /// Fetches that ended in a [`FetchError`].
    pub failures: u64,
}

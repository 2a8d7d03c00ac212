//! [`Fetcher`]: one URL fetched politely, putting robots.txt, pacing,
//! the global concurrency limit, conditional GET and retries together.
//!
//! State, shared by every clone of a fetcher: the HTTP client and its
//! connection pool, the global semaphore, per-host pacing ([`pace`](super::pace)),
//! the robots.txt cache ([`robots`](super::robots)), the jitter generator and
//! the counters behind [`FetchStats`]. All of it lives as long as the
//! fetcher; make one fetcher per run.
//!
//! Order of waits for one URL (and again for each redirect hop): robots.txt
//! (fetched on first contact with the origin) → the host's slot (one request
//! at a time per host) → the host's interval → a global permit. The permit is held only while a request is in
//! flight, never during pacing or backoff sleeps, so one slow host cannot
//! starve the others.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::Semaphore;
use url::Url;

use super::client::{self, Overflow, Reply};
use super::error::{is_retryable_status, Error, FetchError, FetchErrorKind};
use super::pace::{self, Pacers};
use super::record::Recorder;
use super::retry::{Backoff, XorShift};
use super::robots::{self, Robots, RobotsCache, Verdict};
use super::urls::{host_key, origin_key};
use super::{FetchConfig, FetchStats, Page, Request, Response, Validators};

/// Fetches URLs politely. Cheap to clone: clones share all state.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use wirecopy::fetch::{FetchConfig, Fetcher, Request, Response};
///
/// let fetcher = Fetcher::new(FetchConfig::default())?;
/// let request = Request::new("https://news.example/world/story".parse()?).rate(1.0);
/// match fetcher.fetch(&request).await? {
///     Response::Page(page) => println!("{} bytes from {}", page.body.len(), page.final_url),
///     Response::NotModified { .. } | Response::Disallowed { .. } => {}
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: FetchConfig,
    client: reqwest::Client,
    global: Semaphore,
    pacers: Pacers,
    robots: RobotsCache,
    rng: Mutex<XorShift>,
    counters: Counters,
    recorder: Option<Arc<dyn Recorder>>,
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    retries: AtomicU64,
    not_modified: AtomicU64,
    bytes: AtomicU64,
    robots_denied: AtomicU64,
    failures: AtomicU64,
}

fn bump(counter: &AtomicU64, by: u64) {
    counter.fetch_add(by, Ordering::Relaxed);
}

impl Fetcher {
    /// A fetcher with this configuration.
    ///
    /// Errors when the HTTP client cannot be built (an invalid user agent,
    /// a TLS backend that fails to initialise).
    pub fn new(config: FetchConfig) -> Result<Fetcher, Error> {
        Fetcher::build(config, None)
    }

    /// A fetcher with this configuration that tells `recorder` about every
    /// exchange it makes (see [`Recorder`]). Errors as [`Fetcher::new`].
    pub fn with_recorder(
        config: FetchConfig,
        recorder: Arc<dyn Recorder>,
    ) -> Result<Fetcher, Error> {
        Fetcher::build(config, Some(recorder))
    }

    fn build(config: FetchConfig, recorder: Option<Arc<dyn Recorder>>) -> Result<Fetcher, Error> {
        let client = client::build(&config)?;
        let global = Semaphore::new(config.concurrency.clamp(1, Semaphore::MAX_PERMITS));
        Ok(Fetcher {
            inner: Arc::new(Inner {
                config,
                client,
                global,
                pacers: Pacers::default(),
                robots: RobotsCache::default(),
                rng: Mutex::new(XorShift::from_time()),
                counters: Counters::default(),
                recorder,
            }),
        })
    }

    /// The configuration this fetcher was built with.
    pub fn config(&self) -> &FetchConfig {
        &self.inner.config
    }

    /// Fetches one URL politely.
    ///
    /// * robots.txt is fetched once per origin per fetcher (when
    ///   [`FetchConfig::obey_robots`] is on); a disallowed URL gives
    ///   [`Response::Disallowed`] without contacting it, and its
    ///   `Crawl-delay` spaces the host's requests;
    /// * at most `request.rate` requests per second to the URL's host, and one
    ///   at a time; at most [`FetchConfig::concurrency`] in flight overall;
    /// * redirects are followed up to [`FetchConfig::max_redirects`], each hop
    ///   checked against its origin's robots.txt and paced by its host;
    /// * the request's validators are sent as `If-None-Match` and
    ///   `If-Modified-Since`; a 304 gives [`Response::NotModified`];
    /// * timeouts, connect and transport errors, 429 and 5xx are retried up
    ///   to [`FetchConfig::retries`] times with exponential backoff and
    ///   jitter, never sooner than `Retry-After` asks; other 4xx are not.
    ///
    /// Errors when the URL is not http(s), when every attempt failed, on a
    /// status other than 2xx and 304, on too many redirects, on a body over
    /// [`FetchConfig::max_body_bytes`], and when the host's robots.txt could
    /// not be reached ([`FetchErrorKind::Robots`]).
    pub async fn fetch(&self, request: &Request) -> Result<Response, FetchError> {
        let result = self.fetch_inner(request).await;
        if result.is_err() {
            bump(&self.inner.counters.failures, 1);
        }
        result
    }

    async fn fetch_inner(&self, request: &Request) -> Result<Response, FetchError> {
        let url = &request.url;
        // Errors name the requested URL, whichever hop they happened on.
        let fail = |kind: FetchErrorKind, attempts| FetchError::new(url.clone(), kind, attempts);
        if !is_http(url) {
            return Err(fail(FetchErrorKind::InvalidUrl, 0));
        }
        let max_body = self.inner.config.max_body_bytes;
        let mut current = url.clone();
        let mut hops = 0;
        // Redirects are followed here, not by reqwest, so that every hop is
        // checked against its origin's robots.txt and paced by its host.
        loop {
            let crawl_delay = match self.verdict(&current, request.rate).await {
                Ok(Verdict::Allowed { crawl_delay }) => crawl_delay,
                Ok(Verdict::Disallowed) => {
                    bump(&self.inner.counters.robots_denied, 1);
                    return Ok(Response::Disallowed { url: url.clone() });
                }
                Ok(Verdict::Unreachable(kind)) => {
                    return Err(fail(FetchErrorKind::Robots(Box::new(kind)), 0))
                }
                Err(error) => return Err(fail(error.kind().clone(), 0)),
            };
            let interval = pace::interval(request.rate, crawl_delay);
            let validators = &request.validators;
            let (reply, attempts) = self
                .attempts(&current, validators, interval, max_body, Overflow::Refuse)
                .await
                .map_err(|error| fail(error.kind().clone(), error.attempts()))?;
            match reply.status {
                200..=299 => {
                    bump(&self.inner.counters.bytes, reply.body.len() as u64);
                    return Ok(Response::Page(Page {
                        url: url.clone(),
                        final_url: current,
                        status: reply.status,
                        content_type: reply.content_type,
                        validators: reply.validators,
                        body: reply.body,
                        fetched_at: reply.received.into(),
                    }));
                }
                304 => {
                    bump(&self.inner.counters.not_modified, 1);
                    return Ok(Response::NotModified { url: url.clone() });
                }
                status => match redirect_target(&current, &reply) {
                    Some(_) if hops >= self.inner.config.max_redirects => {
                        return Err(fail(FetchErrorKind::TooManyRedirects, attempts));
                    }
                    Some(next) if is_http(&next) => {
                        hops += 1;
                        current = next;
                    }
                    Some(_) => return Err(fail(FetchErrorKind::InvalidUrl, attempts)),
                    None => return Err(fail(FetchErrorKind::Status(status), attempts)),
                },
            }
        }
    }

    /// The `Sitemap:` lines of the robots.txt of `url`'s origin, fetching it
    /// if this fetcher has not yet (even when [`FetchConfig::obey_robots`] is
    /// off). Empty when robots.txt is missing or could not be fetched.
    pub async fn robots_sitemaps(&self, url: &Url) -> Vec<Url> {
        match self.robots(url, 0.0).await {
            Ok(robots) => robots.sitemaps(url),
            Err(_) => Vec::new(),
        }
    }

    /// Counters since this fetcher was built, for the run summary.
    pub fn stats(&self) -> FetchStats {
        let counters = &self.inner.counters;
        let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        FetchStats {
            requests: get(&counters.requests),
            retries: get(&counters.retries),
            not_modified: get(&counters.not_modified),
            bytes: get(&counters.bytes),
            robots_denied: get(&counters.robots_denied),
            failures: get(&counters.failures),
        }
    }

    /// What robots.txt says about `url`; everything is allowed when robots
    /// are not obeyed.
    async fn verdict(&self, url: &Url, rate: f64) -> Result<Verdict, FetchError> {
        if !self.inner.config.obey_robots {
            return Ok(Verdict::Allowed { crawl_delay: None });
        }
        Ok(self.robots(url, rate).await?.verdict(url))
    }

    /// The robots.txt of `url`'s origin, fetched on first use and paced at
    /// `rate`, like the request that needed it.
    async fn robots(&self, url: &Url, rate: f64) -> Result<Arc<Robots>, FetchError> {
        let invalid = || FetchError::new(url.clone(), FetchErrorKind::InvalidUrl, 0);
        let origin = origin_key(url).ok_or_else(invalid)?;
        let robots_url = url.join("/robots.txt").map_err(|_| invalid())?;
        let cell = self.inner.robots.cell(&origin);
        let robots = cell
            .get_or_init(|| async {
                let interval = pace::interval(rate, None);
                let limit = robots::MAX_ROBOTS_BYTES;
                // RFC 9309 §2.3.1.2: follow at least five redirects; a longer
                // chain leaves a 3xx, which counts as "unavailable".
                let mut at = robots_url.clone();
                let mut hops = 0;
                let fetched = loop {
                    let result = self
                        .attempts(
                            &at,
                            &Validators::default(),
                            interval,
                            limit,
                            Overflow::Truncate,
                        )
                        .await;
                    if let Ok((reply, _)) = &result {
                        let next = redirect_target(&at, reply).filter(is_http);
                        if let Some(next) = next.filter(|_| hops < ROBOTS_REDIRECTS) {
                            hops += 1;
                            at = next;
                            continue;
                        }
                    }
                    break result;
                };
                let agent = robots::agent_token(&self.inner.config.user_agent);
                Arc::new(match fetched {
                    Ok((reply, _)) => Robots::from_reply(reply.status, &reply.body, agent),
                    Err(error) => match error.kind() {
                        // 5xx after every retry: RFC 9309 says assume complete disallow.
                        FetchErrorKind::Status(status) => Robots::from_reply(*status, &[], agent),
                        FetchErrorKind::RetryAfter { .. } => Robots::DisallowAll,
                        // A file that does not decode counts as unavailable.
                        FetchErrorKind::Body(_) => Robots::AllowAll,
                        kind => Robots::Unreachable(kind.clone()),
                    },
                })
            })
            .await;
        Ok(Arc::clone(robots))
    }

    /// Sends `url` until it succeeds, fails for good, or runs out of
    /// retries, holding the host's slot throughout. Returns the first reply
    /// whose status is not retryable; errors with the last failure.
    async fn attempts(
        &self,
        url: &Url,
        validators: &Validators,
        interval: Duration,
        max_body: usize,
        overflow: Overflow,
    ) -> Result<(Reply, u32), FetchError> {
        let config = &self.inner.config;
        let counters = &self.inner.counters;
        let invalid = || FetchError::new(url.clone(), FetchErrorKind::InvalidUrl, 0);
        let host = self.inner.pacers.host(&host_key(url).ok_or_else(invalid)?);
        let backoff = Backoff {
            base: config.backoff_base,
            max: config.max_backoff,
        };
        let mut slot = host.lock().await;
        let mut attempt = 0u32;
        loop {
            if let Some((status, wait)) = slot.blocked() {
                return Err(FetchError::new(
                    url.clone(),
                    FetchErrorKind::RetryAfter { status, wait },
                    attempt,
                ));
            }
            slot.wait(interval).await;
            attempt += 1;
            let result = {
                // The semaphore is never closed; without a permit the request
                // still goes, paced by its host.
                let _permit = self.inner.global.acquire().await.ok();
                bump(&counters.requests, 1);
                let result = client::get(
                    &self.inner.client,
                    config,
                    url,
                    validators,
                    max_body,
                    overflow,
                    self.inner.recorder.as_deref(),
                )
                .await;
                slot.finished();
                result
            };
            let (kind, retry_after) = match result {
                Ok(reply) if is_retryable_status(reply.status) => {
                    let wait = reply
                        .retry_after
                        .as_deref()
                        .and_then(|value| pace::parse_retry_after(value, reply.received));
                    if let Some(wait) = wait.filter(|wait| *wait > config.max_backoff) {
                        slot.block(reply.status, wait);
                        let kind = FetchErrorKind::RetryAfter {
                            status: reply.status,
                            wait,
                        };
                        return Err(FetchError::new(url.clone(), kind, attempt));
                    }
                    (FetchErrorKind::Status(reply.status), wait)
                }
                Ok(reply) => return Ok((reply, attempt)),
                Err(kind) if kind.is_retryable() => (kind, None),
                Err(kind) => return Err(FetchError::new(url.clone(), kind, attempt)),
            };
            // The host rests before its next request, whether that is this
            // URL's retry or, once retries are spent, its next URL.
            let jittered = {
                let mut rng = self
                    .inner
                    .rng
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                backoff.delay(attempt, &mut rng)
            };
            slot.defer(jittered.max(retry_after.unwrap_or(Duration::ZERO)));
            if attempt > config.retries {
                return Err(FetchError::new(url.clone(), kind, attempt));
            }
            bump(&counters.retries, 1);
        }
    }
}

/// Redirects followed when fetching robots.txt (RFC 9309 §2.3.1.2: at least five).
const ROBOTS_REDIRECTS: usize = 5;

/// Returns true if and only if `url` is an http(s) URL with a host.
fn is_http(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https") && url.host_str().is_some()
}

/// Where a redirect reply points, resolved against the URL that answered;
/// `None` unless the status is a redirect with a usable `Location`.
fn redirect_target(from: &Url, reply: &Reply) -> Option<Url> {
    if !matches!(reply.status, 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let mut next = from.join(reply.location.as_deref()?).ok()?;
    next.set_fragment(None);
    Some(next)
}

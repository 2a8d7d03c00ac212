//! The fetch stage's errors: [`Error`] when a [`Fetcher`](super::Fetcher)
//! cannot be built, [`FetchError`] when one URL cannot be fetched, and
//! [`DiscoverError`] when a feed or sitemap cannot be read.
//!
//! A [`FetchError`] carries the URL and the number of attempts, so that its
//! Display is a whole line for the run's error log:
//! `https://example.com/a: HTTP 503 after 4 attempts`.

use std::fmt;
use std::time::Duration;

use url::Url;

/// The fetcher could not be built from its [`FetchConfig`](super::FetchConfig).
#[derive(Debug, thiserror::Error)]
#[error("cannot build the HTTP client: {message}")]
pub struct Error {
    message: String,
}

impl Error {
    pub(crate) fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
        }
    }
}

/// One URL could not be fetched: where, why, and after how many attempts.
#[derive(Debug, Clone)]
pub struct FetchError {
    url: Url,
    kind: FetchErrorKind,
    attempts: u32,
}

impl FetchError {
    pub(crate) fn new(url: Url, kind: FetchErrorKind, attempts: u32) -> FetchError {
        FetchError {
            url,
            kind,
            attempts,
        }
    }

    /// The URL that was requested.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// What went wrong.
    pub fn kind(&self) -> &FetchErrorKind {
        &self.kind
    }

    /// How many HTTP requests were sent for this URL (0 when none was).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.url, self.kind)?;
        match self.attempts {
            0 => Ok(()),
            1 => write!(f, " after 1 attempt"),
            n => write!(f, " after {n} attempts"),
        }
    }
}

impl std::error::Error for FetchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.kind)
    }
}

/// Why a URL could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchErrorKind {
    /// The URL is not an absolute `http` or `https` URL with a host.
    #[error("not an http(s) URL with a host")]
    InvalidUrl,
    /// The connect or the total timeout expired.
    #[error("timed out")]
    Timeout,
    /// No connection could be made (refused, unreachable, DNS, TLS).
    #[error("connect error: {0}")]
    Connect(String),
    /// The connection broke while sending the request or reading the reply.
    #[error("transport error: {0}")]
    Transport(String),
    /// The server answered with a status that is neither success nor 304.
    #[error("HTTP {0}")]
    Status(u16),
    /// The server asked (`Retry-After`) for a pause longer than
    /// [`FetchConfig::max_backoff`](super::FetchConfig::max_backoff): the host
    /// is left alone until then.
    #[error("HTTP {status}, server asks to wait {} s", wait.as_secs())]
    RetryAfter {
        /// The status that carried `Retry-After` (429 or 503 usually).
        status: u16,
        /// How long the server asked to wait.
        wait: Duration,
    },
    /// The body is larger than [`FetchConfig::max_body_bytes`](super::FetchConfig::max_body_bytes).
    #[error("body over the {limit}-byte limit")]
    TooLarge {
        /// The cap in bytes.
        limit: usize,
    },
    /// More redirects than [`FetchConfig::max_redirects`](super::FetchConfig::max_redirects).
    #[error("too many redirects")]
    TooManyRedirects,
    /// The body could not be decoded (a broken gzip, brotli or deflate stream).
    #[error("bad body: {0}")]
    Body(String),
    /// The host's robots.txt could not be fetched, so the host is not
    /// crawled in this run (RFC 9309 §2.3.1.4: unreachable means disallowed).
    #[error("robots.txt: {0}")]
    Robots(Box<FetchErrorKind>),
}

impl FetchErrorKind {
    /// Returns true if and only if the host did not answer at all: a
    /// timeout, no connection, a broken connection (also for its
    /// robots.txt). A host failing like this again and again is down or
    /// dripping bytes; one answering 404 or 500 is up.
    pub fn is_unreachable(&self) -> bool {
        match self {
            FetchErrorKind::Timeout | FetchErrorKind::Connect(_) | FetchErrorKind::Transport(_) => {
                true
            }
            FetchErrorKind::Robots(inner) => inner.is_unreachable(),
            _ => false,
        }
    }

    /// Returns true if and only if another attempt may succeed: timeouts,
    /// connect and transport errors, 429 and 5xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            FetchErrorKind::Timeout | FetchErrorKind::Connect(_) | FetchErrorKind::Transport(_) => {
                true
            }
            FetchErrorKind::Status(status) => is_retryable_status(*status),
            _ => false,
        }
    }
}

/// Returns true if and only if a reply with this status is worth retrying.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status)
}

/// A feed or sitemap could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoverError {
    /// Not a feed that feed-rs understands (RSS 0.9x–2.0, RSS 1.0, Atom, JSON Feed).
    #[error("not a readable feed: {0}")]
    Feed(String),
    /// Not well-formed XML.
    #[error("bad XML: {0}")]
    Xml(String),
    /// Well-formed XML whose root is neither `urlset` nor `sitemapindex`.
    #[error("not a sitemap: root element is <{0}>")]
    NotSitemap(String),
    /// A gzip-compressed sitemap that does not decompress.
    #[error("bad gzip: {0}")]
    Gzip(String),
    /// A sitemap larger than [`MAX_SITEMAP_BYTES`](super::discover::MAX_SITEMAP_BYTES) once decompressed.
    #[error("sitemap over the {limit}-byte limit")]
    TooLarge {
        /// The cap in bytes.
        limit: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_url_kind_and_attempts() {
        let url = Url::parse("https://x.example/y").expect("valid URL");
        let error = FetchError::new(url.clone(), FetchErrorKind::Status(503), 4);
        assert_eq!(
            error.to_string(),
            "https://x.example/y: HTTP 503 after 4 attempts"
        );
        let error = FetchError::new(url.clone(), FetchErrorKind::Timeout, 1);
        assert_eq!(
            error.to_string(),
            "https://x.example/y: timed out after 1 attempt"
        );
        let error = FetchError::new(url, FetchErrorKind::InvalidUrl, 0);
        assert_eq!(
            error.to_string(),
            "https://x.example/y: not an http(s) URL with a host"
        );
    }

    #[test]
    fn retryable_kinds() {
        assert!(FetchErrorKind::Status(429).is_retryable());
        assert!(FetchErrorKind::Status(502).is_retryable());
        assert!(!FetchErrorKind::Status(404).is_retryable());
        assert!(!FetchErrorKind::Status(410).is_retryable());
        assert!(FetchErrorKind::Timeout.is_retryable());
        assert!(!FetchErrorKind::TooLarge { limit: 1 }.is_retryable());
        assert!(!FetchErrorKind::Robots(Box::new(FetchErrorKind::Timeout)).is_retryable());
    }
}

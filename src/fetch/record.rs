//! The recording hook: every HTTP exchange the fetcher makes, handed to a
//! [`Recorder`] as it completes.
//!
//! The fetcher knows nothing of archives. A caller that wants a record of
//! the traffic (`wirecopy run --warc DIR` writes WARC files with
//! `crate::archive`) gives [`crate::fetch::Fetcher::with_recorder`] an
//! object implementing [`Recorder`]; the fetcher then calls
//! [`Recorder::record`] once per request it sends and answer it gets:
//! pages, robots.txt, feeds and sitemaps, redirects, 304s, and each retry.
//! Requests that got no answer (timeouts, refused connections) are not
//! recorded, since there is nothing to keep.
//!
//! What an [`Exchange`] holds, and how close that is to the wire:
//!
//! * the request line and the headers wirecopy sets (`Host`, `User-Agent`,
//!   `Accept`, `Accept-Encoding`, the conditional headers); the client adds
//!   none besides these on HTTP/1.1;
//! * the status, the HTTP version, and every response header in the order
//!   received, except that the client drops `Content-Encoding` and
//!   `Content-Length` when it decodes a gzip, brotli or deflate body; the
//!   decoded body is what is kept (the encoded bytes never reach
//!   wirecopy, and the client leaves no trace of the coding it removed);
//! * the body: in full for 2xx answers (within the page cap); for other
//!   statuses, which the fetcher otherwise does not read, up to
//!   [`OTHER_BODY_CAP`] bytes, with [`Exchange::truncated`] set when cut.
//!
//! The call is synchronous and made on the fetching task: a recorder should
//! write and return, and keep its own errors (see
//! `crate::archive::WarcWriter`), since a failed record must not fail the
//! fetch.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use url::Url;

/// Bytes read of the body of a non-2xx answer when recording (redirects,
/// errors): 256 KiB.
pub const OTHER_BODY_CAP: usize = 256 * 1024;

/// Receives every exchange a [`crate::fetch::Fetcher`] makes.
pub trait Recorder: Send + Sync + std::fmt::Debug {
    /// Called once per answered request, after its body was read.
    fn record(&self, exchange: &Exchange<'_>);
}

/// One request and its answer, as sent and received.
#[derive(Debug)]
pub struct Exchange<'a> {
    /// The URL requested (this hop's, for a redirect).
    pub url: &'a Url,
    /// The request headers sent, in order.
    pub request_headers: &'a [(String, String)],
    /// The HTTP version of the answer: `HTTP/1.1`, `HTTP/2` …
    pub version: &'static str,
    /// The status code.
    pub status: u16,
    /// The response headers, in the order received (see the module doc for
    /// the two the client drops when it decodes a body).
    pub response_headers: &'a [(String, Vec<u8>)],
    /// The body as wirecopy got it: decoded from its content coding.
    pub body: &'a [u8],
    /// True if and only if the body was cut at a cap.
    pub truncated: bool,
    /// The server's address, when the client knows it.
    pub remote_ip: Option<IpAddr>,
    /// When the request was sent.
    pub sent_at: DateTime<Utc>,
}

/// The request line's HTTP version name for a reqwest version.
pub(crate) fn version_name(version: reqwest::Version) -> &'static str {
    match version {
        reqwest::Version::HTTP_09 => "HTTP/0.9",
        reqwest::Version::HTTP_10 => "HTTP/1.0",
        reqwest::Version::HTTP_2 => "HTTP/2",
        reqwest::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/1.1",
    }
}

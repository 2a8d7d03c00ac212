//! One HTTP attempt: the reqwest client (timeouts, no automatic redirects,
//! transparent gzip/brotli/deflate) and a body read chunk by chunk under a
//! cap.
//!
//! Redirects are not followed here: the fetcher follows them itself, up to
//! [`FetchConfig::max_redirects`], so that each hop passes robots.txt and
//! pacing like any request.
//!
//! No body is ever read whole: a declared `Content-Length` over the cap is
//! refused before reading, and the stream is abandoned as soon as it passes
//! the cap. The cap applies to decoded bytes, so a small compressed body
//! cannot expand past it either.

use std::time::SystemTime;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::redirect::Policy;
use url::Url;

use super::error::{Error, FetchErrorKind};
use super::record::{self, Exchange, Recorder, OTHER_BODY_CAP};
use super::{FetchConfig, Validators};

/// What the fetcher asks servers to send: HTML first, feeds and sitemaps too.
const ACCEPT: &str = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,\
                      application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.8";

/// The content codings the client decodes, sent explicitly so that a
/// recorded request names exactly what was asked (the client would send
/// the same list itself).
const ACCEPT_ENCODING: &str = "gzip, deflate, br";

/// What to do when a body passes the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Overflow {
    /// Fail with [`FetchErrorKind::TooLarge`] (pages, feeds, sitemaps).
    Refuse,
    /// Keep the first bytes up to the cap (robots.txt: RFC 9309 §2.5 says
    /// to parse at least the first 500 KiB).
    Truncate,
}

/// One reply, with the headers the fetcher uses.
#[derive(Debug)]
pub(crate) struct Reply {
    /// The HTTP status.
    pub(crate) status: u16,
    /// `Content-Type`, when present and readable.
    pub(crate) content_type: Option<String>,
    /// `ETag` and `Last-Modified`.
    pub(crate) validators: Validators,
    /// `Retry-After`, raw, when present.
    pub(crate) retry_after: Option<String>,
    /// `Location`, raw, when present.
    pub(crate) location: Option<String>,
    /// The decoded body; read only for 2xx replies, empty otherwise.
    pub(crate) body: Vec<u8>,
    /// When the reply's headers arrived.
    pub(crate) received: SystemTime,
}

/// Builds the HTTP client for `config`.
///
/// Errors when the TLS backend cannot be set up or the user agent is not a
/// valid header value.
pub(crate) fn build(config: &FetchConfig) -> Result<reqwest::Client, Error> {
    let user_agent = HeaderValue::from_str(&config.user_agent).map_err(|_| {
        Error::new(format!(
            "user agent {:?} is not a valid header",
            config.user_agent
        ))
    })?;
    let mut headers = HeaderMap::new();
    headers.insert(header::ACCEPT, HeaderValue::from_static(ACCEPT));
    headers.insert(
        header::ACCEPT_ENCODING,
        HeaderValue::from_static(ACCEPT_ENCODING),
    );
    let mut roots = Vec::with_capacity(config.extra_roots.len());
    for pem in &config.extra_roots {
        let cert = reqwest::Certificate::from_pem(pem).map_err(|error| {
            Error::new(format!("extra root certificate: {}", innermost(&error)))
        })?;
        roots.push(cert);
    }
    reqwest::Client::builder()
        .user_agent(user_agent)
        .default_headers(headers)
        .connect_timeout(config.connect_timeout)
        .timeout(config.total_timeout)
        .redirect(Policy::none())
        .tls_certs_merge(roots)
        .build()
        .map_err(|error| Error::new(innermost(&error)))
}

/// Sends one GET with the given validators and reads the reply; tells
/// `recorder`, if any, about the exchange.
///
/// Errors for transport failures and a 2xx body over
/// `max_body` (with [`Overflow::Refuse`]). Statuses are not errors here.
pub(crate) async fn get(
    client: &reqwest::Client,
    config: &FetchConfig,
    url: &Url,
    validators: &Validators,
    max_body: usize,
    overflow: Overflow,
    recorder: Option<&dyn Recorder>,
) -> Result<Reply, FetchErrorKind> {
    let mut request = client.get(url.clone());
    if let Some(etag) = &validators.etag {
        request = request.header(header::IF_NONE_MATCH, etag);
    }
    if let Some(last_modified) = &validators.last_modified {
        request = request.header(header::IF_MODIFIED_SINCE, last_modified);
    }
    let sent_at = chrono::Utc::now();
    let mut response = request.send().await.map_err(|error| kind_of(&error))?;
    let received = SystemTime::now();
    let status = response.status().as_u16();
    let headers = response.headers();
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    let mut reply = Reply {
        status,
        content_type: text(header::CONTENT_TYPE),
        validators: Validators {
            etag: text(header::ETAG),
            last_modified: text(header::LAST_MODIFIED),
        },
        retry_after: text(header::RETRY_AFTER),
        location: text(header::LOCATION),
        body: Vec::new(),
        received,
    };
    let Some(recorder) = recorder else {
        if (200..300).contains(&status) {
            reply.body = read_body(&mut response, max_body, overflow).await?;
        }
        return Ok(reply);
    };
    let response_headers: Vec<(String, Vec<u8>)> = headers
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
        .collect();
    let version = record::version_name(response.version());
    let remote_ip = response.remote_addr().map(|addr| addr.ip());
    let (body, truncated) = if (200..300).contains(&status) {
        let body = read_body(&mut response, max_body, overflow).await?;
        let truncated = overflow == Overflow::Truncate && body.len() >= max_body;
        (body, truncated)
    } else {
        // Read so that the record is whole; the reply keeps no body.
        let body = read_body(&mut response, OTHER_BODY_CAP, Overflow::Truncate)
            .await
            .unwrap_or_default();
        let truncated = body.len() >= OTHER_BODY_CAP;
        (body, truncated)
    };
    let request_headers = sent_headers(config, url, validators);
    recorder.record(&Exchange {
        url,
        request_headers: &request_headers,
        version,
        status,
        response_headers: &response_headers,
        body: &body,
        truncated,
        remote_ip,
        sent_at,
    });
    if (200..300).contains(&status) {
        reply.body = body;
    }
    Ok(reply)
}

/// Reads a body chunk by chunk under `max_body`.
async fn read_body(
    response: &mut reqwest::Response,
    max_body: usize,
    overflow: Overflow,
) -> Result<Vec<u8>, FetchErrorKind> {
    let declared = response
        .content_length()
        .map(|length| usize::try_from(length).unwrap_or(usize::MAX));
    if overflow == Overflow::Refuse && declared.is_some_and(|length| length > max_body) {
        return Err(FetchErrorKind::TooLarge { limit: max_body });
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(max_body).min(1 << 20));
    while let Some(chunk) = response.chunk().await.map_err(|error| kind_of(&error))? {
        let room = max_body - body.len();
        if chunk.len() > room {
            match overflow {
                Overflow::Refuse => return Err(FetchErrorKind::TooLarge { limit: max_body }),
                Overflow::Truncate => {
                    body.extend_from_slice(&chunk[..room]);
                    break;
                }
            }
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The request headers the client sends for `url` (the defaults of
/// [`build`] and the conditional headers), in the order hyper writes them.
fn sent_headers(config: &FetchConfig, url: &Url, validators: &Validators) -> Vec<(String, String)> {
    let mut host = url.host_str().unwrap_or_default().to_owned();
    if let Some(port) = url.port() {
        host = format!("{host}:{port}");
    }
    let mut sent = Vec::with_capacity(6);
    if let Some(etag) = &validators.etag {
        sent.push(("if-none-match".to_owned(), etag.clone()));
    }
    if let Some(last_modified) = &validators.last_modified {
        sent.push(("if-modified-since".to_owned(), last_modified.clone()));
    }
    sent.push(("user-agent".to_owned(), config.user_agent.clone()));
    sent.push(("accept".to_owned(), ACCEPT.to_owned()));
    sent.push(("accept-encoding".to_owned(), ACCEPT_ENCODING.to_owned()));
    sent.push(("host".to_owned(), host));
    sent
}

/// Classifies a reqwest error.
fn kind_of(error: &reqwest::Error) -> FetchErrorKind {
    if error.is_timeout() {
        FetchErrorKind::Timeout
    } else if error.is_redirect() {
        FetchErrorKind::TooManyRedirects
    } else if error.is_connect() {
        FetchErrorKind::Connect(explain_connect(&innermost(error)))
    } else if error.is_decode() {
        FetchErrorKind::Body(innermost(error))
    } else if error.is_builder() {
        FetchErrorKind::InvalidUrl
    } else {
        FetchErrorKind::Transport(innermost(error))
    }
}

/// Puts a plain reading before the TLS and DNS failures a user can act on;
/// the library's own words follow in parentheses.
fn explain_connect(message: &str) -> String {
    const READINGS: &[(&str, &str)] = &[
        (
            "UnknownIssuer",
            "TLS: the certificate is not trusted (self-signed, or its issuer is unknown)",
        ),
        ("certificate expired", "TLS: the certificate has expired"),
        ("Expired", "TLS: the certificate has expired"),
        (
            "certificate not valid yet",
            "TLS: the certificate is not valid yet (check the clock)",
        ),
        (
            "NotValidYet",
            "TLS: the certificate is not valid yet (check the clock)",
        ),
        (
            "certificate not valid for name",
            "TLS: the certificate is for another host name",
        ),
        (
            "NotValidForName",
            "TLS: the certificate is for another host name",
        ),
        ("Revoked", "TLS: the certificate was revoked"),
        (
            "failed to lookup address",
            "DNS: the host name does not resolve",
        ),
        (
            "Name or service not known",
            "DNS: the host name does not resolve",
        ),
        (
            "No address associated with hostname",
            "DNS: the host name does not resolve",
        ),
        (
            "nodename nor servname",
            "DNS: the host name does not resolve",
        ),
        (
            "Temporary failure in name resolution",
            "DNS: the host name could not be resolved now",
        ),
        ("Connection refused", "nothing listens on that port"),
    ];
    match READINGS.iter().find(|(needle, _)| message.contains(needle)) {
        Some((_, reading)) => format!("{reading} ({message})"),
        None => message.to_string(),
    }
}

/// The message of the deepest error in the chain: reqwest's own message
/// repeats the URL, which the fetch error already names.
fn innermost(error: &(dyn std::error::Error + 'static)) -> String {
    let mut deepest = error;
    while let Some(source) = deepest.source() {
        deepest = source;
    }
    deepest.to_string()
}

//! Misbehaviours a test injects for one path of one site: statuses, rate
//! limits, redirects, delays and dropped connections.
//!
//! The table of faults lives in the server's shared state
//! ([`super::SiteServer::set_fault`]); [`take`] looks a request's path up in
//! it and counts down the faults that expire after a number of requests, and
//! [`Fault::action`] turns a fault into what the connection does.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};

use super::lock;

/// A misbehaviour injected for one path of one site, for tests of retries,
/// redirects and timeouts. The path is matched without its query string.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer `code` (e.g. 500, 503, 404) `times` times, then serve normally.
    Status {
        /// The status code to send.
        code: u16,
        /// How many requests get it.
        times: u32,
    },
    /// Answer `429 Too Many Requests` with `Retry-After: secs`, `times` times.
    TooManyRequests {
        /// The `Retry-After` value, in seconds.
        retry_after_secs: u32,
        /// How many requests get it.
        times: u32,
    },
    /// Answer every request with `301 Moved Permanently` and this `Location`
    /// (`{{origin}}` in it becomes the site's origin).
    Redirect(String),
    /// Wait this long before answering every request (a slow or hung server).
    Delay(Duration),
    /// Close the connection without answering, `times` times.
    Close {
        /// How many requests get it.
        times: u32,
    },
}

/// What the connection does with a request after looking at the faults.
pub(crate) enum Action {
    /// Send this response instead of the file.
    Respond(Response<Body>),
    /// Drop the connection without a byte.
    Close,
    /// Wait, then serve the file.
    Delay(Duration),
}

/// The fault table: `(site, path)` → fault.
pub(crate) type Faults = Mutex<HashMap<(String, String), Fault>>;

/// The fault for a request of `path` on `site`, counting down the ones
/// that expire.
pub(crate) fn take(faults: &Faults, site: &str, path: &str) -> Option<Fault> {
    let mut faults = lock(faults);
    let key = (site.to_string(), path.to_string());
    let fault = faults.get_mut(&key)?;
    let taken = fault.clone();
    let remaining = match fault {
        Fault::Status { times, .. }
        | Fault::TooManyRequests { times, .. }
        | Fault::Close { times } => times,
        Fault::Redirect(_) | Fault::Delay(_) => return Some(taken),
    };
    if *remaining == 0 {
        faults.remove(&key);
        return None;
    }
    *remaining -= 1;
    if *remaining == 0 {
        faults.remove(&key);
    }
    Some(taken)
}

impl Fault {
    /// What to do for this fault on the site at `origin`.
    pub(crate) fn action(self, origin: &str) -> Action {
        match self {
            Fault::Status { code, .. } => {
                Action::Respond(text(code, &format!("injected status {code}\n")))
            }
            Fault::TooManyRequests {
                retry_after_secs, ..
            } => {
                let mut resp = text(429, "slow down\n");
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
                Action::Respond(resp)
            }
            Fault::Redirect(to) => {
                let mut resp = text(301, "moved\n");
                if let Ok(location) = HeaderValue::from_str(&to.replace("{{origin}}", origin)) {
                    resp.headers_mut().insert(header::LOCATION, location);
                }
                Action::Respond(resp)
            }
            Fault::Close { .. } => Action::Close,
            Fault::Delay(pause) => Action::Delay(pause),
        }
    }
}

/// A short plain-text response, e.g. for 404 or an injected 500. A code
/// outside 100–999 becomes 500.
pub(crate) fn text(code: u16, body: &str) -> Response<Body> {
    let mut resp = Response::new(Body::from(body.to_string()));
    *resp.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_faults_expire_and_others_stay() {
        let faults = Faults::default();
        lock(&faults).insert(
            ("s".into(), "/a".into()),
            Fault::Status {
                code: 500,
                times: 2,
            },
        );
        lock(&faults).insert(
            ("s".into(), "/b".into()),
            Fault::Delay(Duration::from_millis(1)),
        );
        assert!(take(&faults, "s", "/a").is_some());
        assert!(take(&faults, "s", "/a").is_some());
        assert_eq!(take(&faults, "s", "/a"), None);
        assert_eq!(take(&faults, "t", "/b"), None, "faults are per site");
        for _ in 0..3 {
            assert!(take(&faults, "s", "/b").is_some());
        }
    }

    #[test]
    fn redirects_fill_in_the_origin() {
        let Action::Respond(resp) =
            Fault::Redirect("{{origin}}/x".into()).action("http://127.0.0.1:9")
        else {
            panic!("a redirect answers");
        };
        assert_eq!(resp.status(), 301);
        assert_eq!(
            resp.headers().get(header::LOCATION).map(|v| v.as_bytes()),
            Some(&b"http://127.0.0.1:9/x"[..])
        );
    }
}

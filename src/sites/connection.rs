//! One connection: hyper's HTTP/1.1 server reads the request; the exchange
//! logs it, applies any injected [`super::Fault`], and otherwise asks the site's
//! axum router for the answer. Each connection carries exactly one request
//! (`Connection: close`), so the request log pairs each request with its
//! own connection.
//!
//! [`super::Fault::Close`] returns an error from the service: hyper then drops the
//! connection before writing anything, which is what a client sees when a
//! server dies mid-request.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpStream;
use tower::ServiceExt;

use super::answer::decoded_path;
use super::faults::{self, Action};
use super::files::Site;
use super::{lock, RequestLog, Shared};

/// How long a client may take to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The error that makes hyper drop the connection without an answer.
#[derive(Debug, thiserror::Error)]
#[error("connection closed by an injected fault")]
struct Dropped;

/// Serves one connection until its one exchange is done.
pub(crate) async fn serve(
    stream: TcpStream,
    site: Arc<Site>,
    router: axum::Router,
    shared: Arc<Shared>,
) {
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let (site, router, shared) = (Arc::clone(&site), router.clone(), Arc::clone(&shared));
        async move { exchange(request, &site, router, &shared).await }
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.keep_alive(false)
        .timer(TokioTimer::new())
        .header_read_timeout(READ_TIMEOUT);
    // A client that goes away, or a dropped connection, is no error of ours.
    let _ = http.serve_connection(TokioIo::new(stream), service).await;
}

/// Answers one request (or drops it), logging it before the answer is written.
async fn exchange(
    request: Request<Incoming>,
    site: &Site,
    router: axum::Router,
    shared: &Shared,
) -> Result<Response<Body>, Dropped> {
    let at = Instant::now();
    let headers = request.headers();
    let header_string = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let path = decoded_path(request.uri()).unwrap_or_else(|| request.uri().path().to_string());
    let mut entry = RequestLog {
        site: site.name.clone(),
        method: request.method().to_string(),
        path,
        query: request.uri().query().map(str::to_string),
        at,
        status: 0,
        if_none_match: header_string(header::IF_NONE_MATCH),
        if_modified_since: header_string(header::IF_MODIFIED_SINCE),
        user_agent: header_string(header::USER_AGENT),
    };
    let fault =
        faults::take(&shared.faults, &site.name, &entry.path).map(|f| f.action(&site.origin));
    let mut resp = match fault {
        Some(Action::Close) => {
            lock(&shared.log).push(entry);
            return Err(Dropped);
        }
        Some(Action::Respond(resp)) => resp,
        Some(Action::Delay(pause)) => {
            tokio::time::sleep(pause).await;
            answer(router, request).await
        }
        None => answer(router, request).await,
    };
    let out = resp.headers_mut();
    out.insert(header::SERVER, HeaderValue::from_static("wirecopy-sites"));
    out.insert(header::CONNECTION, HeaderValue::from_static("close"));
    if resp.status() == StatusCode::NOT_MODIFIED {
        // A 304 has no body; a Content-Length would describe the full file.
        resp.headers_mut().remove(header::CONTENT_LENGTH);
    }
    entry.status = resp.status().as_u16();
    // Log before writing, so a test that has read the response sees the entry.
    lock(&shared.log).push(entry);
    Ok(resp)
}

/// The router's answer; it cannot fail (axum's error type is `Infallible`).
async fn answer(router: axum::Router, request: Request<Incoming>) -> Response<Body> {
    match router.oneshot(request).await {
        Ok(resp) => resp,
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::super::Fault;
    use super::*;

    #[test]
    fn close_maps_to_a_dropped_connection() {
        assert!(matches!(
            Fault::Close { times: 1 }.action("http://x"),
            Action::Close
        ));
        assert_eq!(
            Dropped.to_string(),
            "connection closed by an injected fault"
        );
    }
}

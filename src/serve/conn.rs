//! One connection: read the request, apply any injected [`Fault`], answer
//! from the site's files, log the exchange. Each connection carries exactly
//! one request (`Connection: close`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;

use super::files::{self, Site, LAST_MODIFIED};
use super::http::{self, ReadError, Request, Response};
use super::{lock, Fault, RequestLog, Shared};

/// How long a client may take to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// What to do with a request after looking at the faults.
enum Action {
    Respond(Response),
    Close,
    Serve,
}

pub(crate) async fn serve(mut stream: TcpStream, site: Arc<Site>, shared: Arc<Shared>) {
    let read = tokio::time::timeout(READ_TIMEOUT, http::read_request(&mut stream)).await;
    let at = Instant::now();
    let request = match read {
        Ok(Ok(request)) => request,
        Ok(Err(ReadError::Closed)) | Err(_) => return,
        Ok(Err(error)) => {
            let status = if error == ReadError::TooLarge {
                431
            } else {
                400
            };
            let resp = Response::text(status, "bad request\n");
            let _ = http::write_response(&mut stream, &resp, false).await;
            return;
        }
    };
    let head_only = request.method == "HEAD";
    let mut entry = RequestLog {
        site: site.name.clone(),
        method: request.method.clone(),
        path: request
            .path
            .clone()
            .unwrap_or_else(|| request.raw_path.clone()),
        query: request.query.clone(),
        at,
        status: 0,
        if_none_match: request.header("If-None-Match").map(str::to_string),
        if_modified_since: request.header("If-Modified-Since").map(str::to_string),
        user_agent: request.header("User-Agent").map(str::to_string),
    };
    let action = match take_fault(&shared, &site, &entry.path) {
        Some(Fault::Delay(pause)) => {
            tokio::time::sleep(pause).await;
            Action::Serve
        }
        Some(fault) => fault_action(fault, &site),
        None => Action::Serve,
    };
    let resp = match action {
        Action::Close => {
            lock(&shared.log).push(entry);
            return;
        }
        Action::Respond(resp) => resp,
        Action::Serve => answer(&site, &request),
    };
    entry.status = resp.status;
    // Log before writing, so a test that has read the response sees the entry.
    lock(&shared.log).push(entry);
    let _ = http::write_response(&mut stream, &resp, head_only).await;
}

/// The fault for this request, counting down the ones that expire.
fn take_fault(shared: &Shared, site: &Site, path: &str) -> Option<Fault> {
    let mut faults = lock(&shared.faults);
    let key = (site.name.clone(), path.to_string());
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

fn fault_action(fault: Fault, site: &Site) -> Action {
    match fault {
        Fault::Status { code, .. } => {
            Action::Respond(Response::text(code, &format!("injected status {code}\n")))
        }
        Fault::TooManyRequests {
            retry_after_secs, ..
        } => {
            let mut resp = Response::text(429, "slow down\n");
            resp.headers
                .push(("Retry-After", retry_after_secs.to_string()));
            Action::Respond(resp)
        }
        Fault::Redirect(to) => {
            let mut resp = Response::text(301, "moved\n");
            resp.headers
                .push(("Location", to.replace("{{origin}}", &site.origin)));
            Action::Respond(resp)
        }
        Fault::Close { .. } => Action::Close,
        Fault::Delay(_) => Action::Serve,
    }
}

/// The normal answer: the file, a 304, a 404 or a 405.
fn answer(site: &Site, request: &Request) -> Response {
    if request.method != "GET" && request.method != "HEAD" {
        let mut resp = Response::text(405, "only GET and HEAD\n");
        resp.headers.push(("Allow", "GET, HEAD".to_string()));
        return resp;
    }
    let Some(served) = request.path.as_deref().and_then(|p| site.load(p)) else {
        return Response::text(404, "not found\n");
    };
    let gzip_ok = served.compressible && accepts_gzip(request.header("Accept-Encoding"));
    let body = if gzip_ok {
        files::gzip(&served.body)
    } else {
        served.body
    };
    let tag = files::etag(&body);
    let mut headers = vec![
        ("Content-Type", served.content_type),
        ("ETag", tag.clone()),
        ("Last-Modified", LAST_MODIFIED.to_string()),
    ];
    if served.compressible {
        headers.push(("Vary", "Accept-Encoding".to_string()));
    }
    if gzip_ok {
        headers.push(("Content-Encoding", "gzip".to_string()));
    }
    let fresh = files::not_modified(
        &tag,
        request.header("If-None-Match"),
        request.header("If-Modified-Since"),
    );
    Response {
        status: if fresh { 304 } else { 200 },
        headers,
        body: if fresh { Vec::new() } else { body },
    }
}

/// Returns true if and only if `Accept-Encoding` lists gzip (or `*`) with a
/// non-zero quality.
fn accepts_gzip(header: Option<&str>) -> bool {
    header.is_some_and(|value| {
        value.split(',').any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or_default();
            let zero = parts.any(|p| {
                p.replace(' ', "").starts_with("q=0")
                    && !p.contains(|c: char| ('1'..='9').contains(&c))
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !zero
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_accept_encoding() {
        assert!(accepts_gzip(Some("gzip, deflate, br")));
        assert!(accepts_gzip(Some("br;q=1.0, gzip;q=0.5")));
        assert!(accepts_gzip(Some("*")));
        assert!(!accepts_gzip(Some("gzip;q=0")));
        assert!(!accepts_gzip(Some("br")));
        assert!(!accepts_gzip(None));
    }
}

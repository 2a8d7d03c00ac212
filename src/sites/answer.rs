//! The normal answer to a request: the axum `Router` of one site, whose one
//! handler serves the file a path names, with validators, a `304` when the
//! client holds it already, gzip when the client accepts it, `404` for
//! anything missing or outside the site, and `405` for methods other than
//! GET and HEAD.
//!
//! Stateless beyond the [`Site`] it is built for; axum answers HEAD with the
//! GET response's headers (its `Content-Length` included) and no body.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode, Uri};
use axum::Router;

use super::faults::text;
use super::files::{self, Site, LAST_MODIFIED};

/// The router serving `site`'s files.
pub(crate) fn router(site: Arc<Site>) -> Router {
    Router::new().fallback(answer).with_state(site)
}

/// The request's path, percent-decoded; `None` when it has a bad escape,
/// decodes to invalid UTF-8 or holds a NUL.
pub(crate) fn decoded_path(uri: &Uri) -> Option<String> {
    percent_decode(uri.path())
}

async fn answer(
    State(site): State<Arc<Site>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response<Body> {
    if method != Method::GET && method != Method::HEAD {
        let mut resp = text(405, "only GET and HEAD\n");
        resp.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return resp;
    }
    let Some(served) = decoded_path(&uri).and_then(|p| site.load(&p)) else {
        return text(404, "not found\n");
    };
    let header_str = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let gzip_ok = served.compressible && accepts_gzip(header_str(header::ACCEPT_ENCODING));
    let body = if gzip_ok {
        files::gzip(&served.body)
    } else {
        served.body
    };
    let tag = files::etag(&body);
    let fresh = files::not_modified(
        &tag,
        header_str(header::IF_NONE_MATCH),
        header_str(header::IF_MODIFIED_SINCE),
    );
    let mut resp = if fresh {
        let mut resp = Response::new(Body::empty());
        *resp.status_mut() = StatusCode::NOT_MODIFIED;
        resp
    } else {
        Response::new(Body::from(body))
    };
    let out = resp.headers_mut();
    let mut set = |name: header::HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            out.insert(name, value);
        }
    };
    set(header::CONTENT_TYPE, &served.content_type);
    set(header::ETAG, &tag);
    set(header::LAST_MODIFIED, LAST_MODIFIED);
    if served.compressible {
        set(header::VARY, "Accept-Encoding");
    }
    if gzip_ok {
        set(header::CONTENT_ENCODING, "gzip");
    }
    resp
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

/// Decodes `%XX` escapes; `None` for a bad escape, invalid UTF-8 or a NUL.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    if out.contains(&0) {
        return None;
    }
    String::from_utf8(out).ok()
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

    #[test]
    fn refuses_bad_escapes_and_nul() {
        assert_eq!(percent_decode("/%2"), None);
        assert_eq!(percent_decode("/a%00b"), None);
        assert_eq!(percent_decode("/%ff"), None);
        assert_eq!(percent_decode("/%2e%2e/x").as_deref(), Some("/../x"));
        assert_eq!(
            percent_decode("/a%20b/c.html").as_deref(),
            Some("/a b/c.html")
        );
    }
}

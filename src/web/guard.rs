//! What every request passes before a handler sees it, in this order:
//!
//! 1. **Host**: on a loopback listener, the `Host` header must name the
//!    loopback address (`127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`),
//!    else 403: a web page on another site cannot reach the app by pointing
//!    its own host name at 127.0.0.1 (DNS rebinding).
//! 2. **Session**: the `wc_session` cookie is read, or a new session is
//!    minted and set on the response; handlers find it as a [`Session`]
//!    request extension, with its CSRF token.
//! 3. **Token**, when `--token` is set: `Authorization: Bearer TOKEN` or the
//!    `wc_auth` login cookie of this session, else 401 with the login form
//!    (which itself is reachable without it).
//! 4. **Headers** on every response: the report's Content-Security-Policy
//!    (no script, no external anything, forms only to this origin), no
//!    framing, no sniffing, no referrer, no caching.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::Failure;
use super::session::{self, Keys, AUTH_COOKIE, SESSION_COOKIE};
use super::AppState;

/// The Content-Security-Policy of every page: the report's, plus forms
/// posting only here and no framing.
pub(crate) const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The browser session a request belongs to.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub(crate) id: String,
    /// The CSRF token every form of this session carries.
    pub(crate) csrf: String,
}

/// The value of a request header, when it is text.
pub(crate) fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Runs the checks of the module docs around every request.
pub(crate) async fn guard(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    if let Some(hosts) = &state.hosts {
        let host = header_str(headers, header::HOST).unwrap_or_default();
        if !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return secure(
                Failure::new(
                    StatusCode::FORBIDDEN,
                    format!(
                        "unexpected Host header {host:?}: open the app as http://127.0.0.1:PORT/"
                    ),
                )
                .into_response(),
            );
        }
    }
    let cookies = header_str(headers, header::COOKIE).unwrap_or_default();
    let existing = session::cookie(cookies, SESSION_COOKIE)
        .filter(|s| session::valid_session(s))
        .map(str::to_string);
    let minted = existing.is_none();
    let id = match existing {
        Some(id) => id,
        None => match Keys::new_session() {
            Ok(id) => id,
            Err(error) => {
                return secure(
                    Failure::new(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        format!("cannot make a session: {error}"),
                    )
                    .into_response(),
                )
            }
        },
    };
    let authorised = match &state.token {
        None => true,
        Some(token) => {
            let bearer = header_str(headers, header::AUTHORIZATION)
                .and_then(|v| v.strip_prefix("Bearer "))
                .is_some_and(|given| session::same(given.trim(), token));
            let login = session::cookie(cookies, AUTH_COOKIE)
                .is_some_and(|proof| session::same(proof, &state.keys.auth(&id)));
            bearer || login || request.uri().path() == "/login"
        }
    };
    let session = Session {
        csrf: state.keys.csrf(&id),
        id,
    };
    let mut response = if authorised {
        request.extensions_mut().insert(session.clone());
        next.run(request).await
    } else {
        let mut resp = (
            StatusCode::UNAUTHORIZED,
            axum::response::Html(super::pages::login::page(&session.csrf, None)),
        )
            .into_response();
        resp.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        resp
    };
    if minted {
        if let Ok(cookie) = HeaderValue::from_str(&session_cookie(SESSION_COOKIE, &session.id)) {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
    }
    secure(response)
}

/// A `Set-Cookie` value for this app: the whole site, never readable by
/// script, never sent with a request another site starts.
pub(crate) fn session_cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict")
}

/// Adds the security headers of the module docs.
fn secure(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

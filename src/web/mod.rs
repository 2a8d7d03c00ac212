//! The review app of `wirecopy serve`: the stored clusters in a browser,
//! with the review decisions of `wirecopy review` as HTML forms.
//!
//! # Brief overview
//!
//! [`check_bind`] refuses a non-loopback address without a token;
//! [`ReviewApp::new`] wraps a [`Store`] (one connection behind a mutex) and
//! [`ReviewApp::serve`] answers on a bound listener until the future is
//! dropped. Inside, on axum:
//!
//! * `routes.rs`: the routes, and the handlers that read the store or
//!   apply a decision through [`Store::review`] / [`Store::undo_decision`];
//! * `guard.rs`: what every request passes first: the `Host` check that
//!   stops DNS rebinding on loopback, the session cookie, the token when one
//!   is set, and the security headers (the report's Content-Security-Policy:
//!   no script at all);
//! * `session.rs`: session ids, CSRF tokens and login proofs, from one
//!   secret drawn at start;
//! * `form.rs`: the one extractor of POST bodies, which refuses (403) a body
//!   whose `csrf` field does not match the session;
//! * `pages/`: the HTML, every scraped string through
//!   [`crate::report::html::esc`], the diff from [`crate::report::word_diff`].
//!
//! Store access: the store is used from blocking tasks, one at a time,
//! behind a mutex held only for one read or one decision. Decisions are
//! SQLite `IMMEDIATE` transactions of a few milliseconds: a cron run (which
//! takes the run lock, `store::Lock`, that serve never takes) is never
//! blocked for longer, and a decision made while the run writes waits up to
//! the store's busy timeout, then fails visibly (503) rather than being lost.

mod error;
mod form;
mod guard;
mod pages;
mod routes;
mod session;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

pub use error::WebError;

use crate::dedup::CanonicalPolicy;
use crate::store::Store;

/// Returns an error unless the app may listen on `addr`: any loopback
/// address, or any address when a non-empty `token` is set.
pub fn check_bind(addr: SocketAddr, token: Option<&str>) -> Result<(), WebError> {
    match token {
        Some("") => Err(WebError::EmptyToken),
        Some(_) => Ok(()),
        None if addr.ip().is_loopback() => Ok(()),
        None => Err(WebError::NeedsToken { addr }),
    }
}

/// What every request handler shares.
pub(crate) struct AppState {
    store: Mutex<Box<dyn Store + Send>>,
    pub(crate) keys: session::Keys,
    /// The token `--token` set, if any: then every page needs it.
    pub(crate) token: Option<String>,
    /// The `Host` values accepted, for a loopback listener; `None` accepts any.
    pub(crate) hosts: Option<Vec<String>>,
    pub(crate) policy: CanonicalPolicy,
}

impl AppState {
    /// Locks the store, recovering it if a handler panicked while holding
    /// it (each decision is one transaction, rolled back on drop).
    pub(crate) fn store(&self) -> MutexGuard<'_, Box<dyn Store + Send>> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The review app over one store.
pub struct ReviewApp {
    state: Arc<AppState>,
}

impl std::fmt::Debug for ReviewApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReviewApp")
            .field("token", &self.state.token.is_some())
            .finish()
    }
}

impl ReviewApp {
    /// The app over `store`, for a listener bound to `addr` (with its real
    /// port: the loopback `Host` check names it), with an optional access
    /// token (checked with [`check_bind`]).
    ///
    /// Errors when the address needs a token and has none, or the random
    /// source for the session secret cannot be read.
    pub fn new(
        store: Box<dyn Store + Send>,
        addr: SocketAddr,
        token: Option<String>,
    ) -> Result<ReviewApp, WebError> {
        check_bind(addr, token.as_deref())?;
        let keys = session::Keys::generate().map_err(WebError::Random)?;
        let hosts = addr.ip().is_loopback().then(|| {
            let port = addr.port();
            vec![
                format!("127.0.0.1:{port}"),
                format!("localhost:{port}"),
                format!("[::1]:{port}"),
                addr.to_string(),
            ]
        });
        Ok(ReviewApp {
            state: Arc::new(AppState {
                store: Mutex::new(store),
                keys,
                token,
                hosts,
                policy: CanonicalPolicy::default(),
            }),
        })
    }

    /// The axum router of the app (for tests that drive it in-process).
    pub fn router(&self) -> axum::Router {
        routes::router(Arc::clone(&self.state))
    }

    /// Serves the app on `listener` until the returned future is dropped.
    ///
    /// Errors only when accepting connections fails for good.
    pub async fn serve(self, listener: tokio::net::TcpListener) -> Result<(), WebError> {
        axum::serve(listener, self.router())
            .await
            .map_err(WebError::Serve)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_to_loopback_freely_and_elsewhere_with_a_token() {
        let local: SocketAddr = "127.0.0.1:8077".parse().expect("address");
        let local6: SocketAddr = "[::1]:8077".parse().expect("address");
        let any: SocketAddr = "0.0.0.0:8077".parse().expect("address");
        assert!(check_bind(local, None).is_ok());
        assert!(check_bind(local6, None).is_ok());
        let refused = check_bind(any, None).expect_err("needs a token");
        assert!(refused.to_string().contains("--token"), "{refused}");
        assert!(check_bind(any, Some("s3cret-long-token")).is_ok());
        assert!(matches!(
            check_bind(any, Some("")),
            Err(WebError::EmptyToken)
        ));
    }
}

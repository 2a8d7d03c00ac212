//! The review app's errors: [`WebError`] for starting it (what the CLI
//! prints), and [`Failure`], a request that could not be served, which
//! becomes an HTML error page with its status.

use std::net::SocketAddr;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::report::html::esc;
use crate::store::{Error as StoreError, ReviewError};

/// Why the review app could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebError {
    /// A non-loopback address without `--token`.
    #[error("{addr}: not a loopback address; anyone who can reach it could change the clusters, so pass --token TOKEN (or listen on 127.0.0.1)")]
    NeedsToken {
        /// The address asked for.
        addr: SocketAddr,
    },
    /// An empty token.
    #[error("--token: the token is empty; choose a long random one")]
    EmptyToken,
    /// The address could not be bound.
    #[error("{addr}: cannot listen: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The system's random source (for the session secret) failed.
    #[error("cannot read the system's random source for the session secret: {0}")]
    Random(std::io::Error),
    /// Serving failed.
    #[error("serving failed: {0}")]
    Serve(std::io::Error),
}

/// A request that failed, as the page the browser gets.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn not_found(what: &str) -> Failure {
        Failure::new(StatusCode::NOT_FOUND, format!("{what}: not found"))
    }
}

impl From<StoreError> for Failure {
    /// A decision that does not fit the clusters (a stale tab) is a
    /// conflict the reviewer can act on; a locked database is worth a retry;
    /// anything else is the server's fault.
    fn from(error: StoreError) -> Failure {
        let status = match &error {
            StoreError::Review(ReviewError::NoCluster(_)) => StatusCode::NOT_FOUND,
            StoreError::Review(_) => StatusCode::CONFLICT,
            _ if error.is_busy() => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let mut message = error.to_string();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            message.push_str(" (a run is writing; nothing was changed, try again in a moment)");
        }
        Failure::new(status, message)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = super::pages::layout::page(
            "Error",
            "",
            &format!(
                "<h1>{} {}</h1><p class=\"error\">{}</p><p><a href=\"/\">Back to the clusters</a></p>",
                self.status.as_u16(),
                esc(self.status.canonical_reason().unwrap_or("Error")),
                esc(&self.message)
            ),
        );
        (self.status, Html(body)).into_response()
    }
}

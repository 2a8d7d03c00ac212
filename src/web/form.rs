//! The one way a POST body reaches a handler: [`Posted`], which reads the
//! `application/x-www-form-urlencoded` body (at most [`MAX_BODY`] bytes) and
//! refuses it with 403 unless its `csrf` field is this session's token.
//! Every POST route takes a `Posted`, so no route can forget the check.

use std::collections::HashMap;

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;

use super::error::Failure;
use super::guard::Session;
use super::session;
use crate::store::Id;

/// The largest form body read.
pub(crate) const MAX_BODY: usize = 64 * 1024;

/// A posted form whose CSRF token matched.
#[derive(Debug)]
pub(crate) struct Posted {
    fields: HashMap<String, String>,
    /// The session it came from.
    pub(crate) session: Session,
}

impl Posted {
    /// The field `name`, trimmed, when present and not empty.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.fields
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The id in field `name`.
    ///
    /// Errors (400) naming the field when it is missing or not a number.
    pub(crate) fn id(&self, name: &str) -> Result<Id, Failure> {
        let value = self.text(name).ok_or_else(|| {
            Failure::new(StatusCode::BAD_REQUEST, format!("the form has no {name}"))
        })?;
        value.trim_start_matches('#').parse().map_err(|_| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                format!("{name} {value:?} is not a number"),
            )
        })
    }
}

impl<S: Send + Sync> FromRequest<S> for Posted {
    type Rejection = Failure;

    async fn from_request(request: Request, _state: &S) -> Result<Posted, Failure> {
        let session = request
            .extensions()
            .get::<Session>()
            .cloned()
            .ok_or_else(|| Failure::new(StatusCode::FORBIDDEN, "no session"))?;
        let body = axum::body::to_bytes(request.into_body(), MAX_BODY)
            .await
            .map_err(|_| Failure::new(StatusCode::PAYLOAD_TOO_LARGE, "the form is too large"))?;
        let fields: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
        let token_ok = fields
            .get("csrf")
            .is_some_and(|given| session::same(given, &session.csrf));
        if !token_ok {
            return Err(Failure::new(
                StatusCode::FORBIDDEN,
                "the form's CSRF token is missing or does not match this session; nothing was changed (reload the page and try again)",
            ));
        }
        Ok(Posted { fields, session })
    }
}

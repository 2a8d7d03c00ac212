//! The routes of the review app and their handlers.
//!
//! | route | what |
//! |---|---|
//! | `GET /` | the cluster list (`?outlet=&date=&relation=&page=`) |
//! | `GET /cluster/{id}` | one cluster, its members and diffs, its forms |
//! | `POST /cluster/{id}/split` | `article`: the article leaves for a cluster of its own |
//! | `POST /cluster/{id}/merge` | `other`: that cluster folds into this one |
//! | `POST /cluster/{id}/canonical` | `article`: it becomes the canonical, and stays so |
//! | `POST /cluster/{id}/confirm` | the cluster is right as it is |
//! | `GET /decisions` | recent decisions, undo on the newest |
//! | `POST /decisions/undo` | `decision`: undo it (must be the newest) |
//! | `GET`/`POST /login` | the token form, when `--token` is set |
//!
//! Every POST carries `csrf` (checked by [`Posted`]) and may carry `note`.
//! A decision answers `303 See Other` to the cluster's page, whose notice
//! says what happened (from a fixed set of messages, never echoing input).
//! Handlers do their store work on a blocking thread ([`blocking`]).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Deserialize;

use super::error::Failure;
use super::form::Posted;
use super::guard::{guard, session_cookie, Session};
use super::pages::{cluster, decisions, list, login};
use super::session::{self, AUTH_COOKIE};
use super::AppState;
use crate::store::{Decision, DecisionKind, Id};

/// The longest note kept, in characters.
const MAX_NOTE: usize = 500;

pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(clusters))
        .route("/cluster/{id}", get(cluster_page))
        .route("/cluster/{id}/{action}", post(decide))
        .route("/decisions", get(decisions_page))
        .route("/decisions/undo", post(undo))
        .route("/login", get(login_page).post(login_post))
        .fallback(|| async { Failure::not_found("this page") })
        .layer(middleware::from_fn_with_state(Arc::clone(&state), guard))
        .with_state(state)
}

/// Runs `work` with the state on a blocking thread (the store is sync).
async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&AppState) -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || work(&state))
        .await
        .map_err(|error| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()))?
}

async fn clusters(
    State(state): State<Arc<AppState>>,
    Query(q): Query<list::ListQuery>,
) -> Result<Html<String>, Failure> {
    blocking(&state, move |s| {
        let store = s.store();
        let summaries = store.cluster_summaries()?;
        let outlets = store.outlet_names()?;
        drop(store);
        Ok(Html(list::render(summaries, &outlets, &q)))
    })
    .await
}

/// What the redirect after a decision tells the cluster page.
#[derive(Debug, Default, Deserialize)]
struct Done {
    done: Option<String>,
    new: Option<Id>,
    other: Option<Id>,
}

impl Done {
    /// The notice for the decision just made (fixed texts and numbers only).
    fn flash(&self) -> String {
        let text = match self.done.as_deref() {
            Some("split") => format!(
                "Split recorded: the article is now cluster {}.",
                self.new.map_or_else(
                    || "?".into(),
                    |n| format!("<a href=\"/cluster/{n}\">{n}</a>")
                )
            ),
            Some("merge") => format!(
                "Merge recorded: cluster {} is part of this one now.",
                self.other.map_or_else(|| "?".into(), |o| o.to_string())
            ),
            Some("canonical") => "Canonical recorded: later runs keep it.".into(),
            Some("confirm") => "Confirmed.".into(),
            Some("undo") => "The last decision was undone.".into(),
            _ => return String::new(),
        };
        format!("<p class=\"notice\">{text}</p>")
    }
}

async fn cluster_page(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
    Path(id): Path<Id>,
    Query(done): Query<Done>,
) -> Result<Html<String>, Failure> {
    blocking(&state, move |s| {
        let store = s.store();
        let detail = store.cluster(id)?;
        let last = store.recent_decisions(1)?;
        drop(store);
        let detail = detail.ok_or_else(|| {
            Failure::not_found(&format!(
                "cluster {id} (merged into another, or never made)"
            ))
        })?;
        let flash = done.flash();
        let cx = cluster::Context {
            csrf: &session.csrf,
            flash: &flash,
            last: last.first(),
        };
        Ok(Html(cluster::render(&detail, &cx)))
    })
    .await
}

async fn decide(
    State(state): State<Arc<AppState>>,
    Path((id, action)): Path<(Id, String)>,
    posted: Posted,
) -> Result<Response, Failure> {
    let kind = match action.as_str() {
        "split" => DecisionKind::Split,
        "merge" => DecisionKind::Merge,
        "canonical" => DecisionKind::Canonical,
        "confirm" => DecisionKind::Confirm,
        _ => return Err(Failure::not_found(&format!("decision {action:?}"))),
    };
    let article = match kind {
        DecisionKind::Split | DecisionKind::Canonical => Some(posted.id("article")?),
        _ => None,
    };
    let other = match kind {
        DecisionKind::Merge => Some(posted.id("other")?),
        _ => None,
    };
    let decision = Decision {
        kind,
        cluster: id,
        article,
        other,
        note: posted
            .text("note")
            .map(|n| n.chars().take(MAX_NOTE).collect()),
    };
    let produced = blocking(&state, move |s| {
        let policy = s.policy;
        Ok(s.store().review(&decision, policy)?)
    })
    .await?;
    let to = match kind {
        DecisionKind::Split => format!("/cluster/{id}?done=split&new={produced}"),
        DecisionKind::Merge => format!("/cluster/{id}?done=merge&other={}", other.unwrap_or(0)),
        DecisionKind::Canonical => format!(
            "/cluster/{id}?done=canonical#article-{}",
            article.unwrap_or(0)
        ),
        DecisionKind::Confirm => format!("/cluster/{id}?done=confirm"),
    };
    Ok(Redirect::to(&to).into_response())
}

async fn decisions_page(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
) -> Result<Html<String>, Failure> {
    blocking(&state, move |s| {
        let recent = s.store().recent_decisions(decisions::SHOWN)?;
        Ok(Html(decisions::render(&recent, &session.csrf, "")))
    })
    .await
}

async fn undo(State(state): State<Arc<AppState>>, posted: Posted) -> Result<Response, Failure> {
    let decision = posted.id("decision")?;
    let cluster = blocking(&state, move |s| {
        let policy = s.policy;
        Ok(s.store().undo_decision(decision, policy)?)
    })
    .await?;
    Ok(Redirect::to(&format!("/cluster/{cluster}?done=undo")).into_response())
}

async fn login_page(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<Session>,
) -> Response {
    if state.token.is_none() {
        return Redirect::to("/").into_response();
    }
    Html(login::page(&session.csrf, None)).into_response()
}

async fn login_post(State(state): State<Arc<AppState>>, posted: Posted) -> Response {
    let Some(token) = &state.token else {
        return Redirect::to("/").into_response();
    };
    let given = posted.text("token").unwrap_or_default();
    if !session::same(given, token) {
        let page = login::page(&posted.session.csrf, Some("That is not the token."));
        return (StatusCode::UNAUTHORIZED, Html(page)).into_response();
    }
    let proof = state.keys.auth(&posted.session.id);
    let mut resp = Redirect::to("/").into_response();
    if let Ok(cookie) = HeaderValue::from_str(&session_cookie(AUTH_COOKIE, &proof)) {
        resp.headers_mut().append(header::SET_COOKIE, cookie);
    }
    resp
}

//! The store tests both backends pass: each test is a function over a
//! [`TestStore`], and [`store_tests!`] runs it once on a fresh in-memory
//! SQLite store and once on a fresh database of a throwaway PostgreSQL
//! server (`tests/support/postgres.rs`), as ripgrep's `rgtest!` runs each
//! test per regex engine. Without a PostgreSQL server the PostgreSQL half
//! says `skipped: …` on stderr and returns (under `CI=true` it fails).
//!
//! Tests that only one backend has stay with it: the SQLite file's schema
//! version, its old files, read-only opening and busy timeout in
//! `store/sqlite/tests*.rs`; PostgreSQL's version table and upgrade path in
//! `postgres.rs` here. Concurrent writers and shared outlets are tested end
//! to end in `tests/pg.rs`.

mod basics;
mod index;
mod numbering;
mod postgres;
mod review;
mod undo;

#[path = "../../../tests/support/postgres.rs"]
pub(crate) mod pg_server;

use crate::clean::Article;
use crate::dedup::{sketch, CanonicalPolicy, DocMeta, Relation};
use crate::store::{
    ClusterPlacement, FetchRecord, Id, NewArticle, OutletRow, PostgresStore, SqliteStore, Store,
    UrlKind,
};

/// A store the shared tests can also query directly. SQL is written with
/// `$1`, `$2` … placeholders (in order of first use), which both backends
/// read, and with no integer-for-boolean comparisons.
pub(crate) trait TestStore: Store {
    /// The first column of the first row as an integer (booleans as 0/1,
    /// floats as thousandths); `None` for no row or NULL.
    fn int(&self, sql: &str, args: &[i64]) -> Option<i64>;
    /// The first column of the first row as text.
    fn text(&self, sql: &str, args: &[i64]) -> Option<String>;
    /// Runs statements that change the database.
    fn exec(&self, sql: &str);
    /// Every row of (integer, text), in no particular order.
    fn rows(&self, sql: &str) -> Vec<(i64, String)>;
}

impl TestStore for SqliteStore {
    fn int(&self, sql: &str, args: &[i64]) -> Option<i64> {
        use rusqlite::types::Value;
        let value: Option<Value> = rusqlite::OptionalExtension::optional(
            self.connection()
                .query_row(sql, rusqlite::params_from_iter(args), |r| r.get(0)),
        )
        .unwrap_or_else(|error| panic!("probe {sql}: {error}"));
        match value {
            Some(Value::Integer(i)) => Some(i),
            Some(Value::Real(f)) => Some((f * 1000.0).round() as i64),
            Some(Value::Null) | None => None,
            Some(other) => panic!("probe {sql}: not a number: {other:?}"),
        }
    }
    fn text(&self, sql: &str, args: &[i64]) -> Option<String> {
        rusqlite::OptionalExtension::optional(self.connection().query_row(
            sql,
            rusqlite::params_from_iter(args),
            |r| r.get::<_, Option<String>>(0),
        ))
        .unwrap_or_else(|error| panic!("probe {sql}: {error}"))
        .flatten()
    }
    fn exec(&self, sql: &str) {
        self.connection()
            .execute_batch(sql)
            .unwrap_or_else(|error| panic!("probe {sql}: {error}"));
    }
    fn rows(&self, sql: &str) -> Vec<(i64, String)> {
        let mut stmt = self
            .connection()
            .prepare(sql)
            .unwrap_or_else(|error| panic!("probe {sql}: {error}"));
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .unwrap_or_else(|error| panic!("probe {sql}: {error}"))
    }
}

impl TestStore for PostgresStore {
    fn int(&self, sql: &str, args: &[i64]) -> Option<i64> {
        use ::postgres::types::{ToSql, Type};
        self.on_connection(|c| {
            let params: Vec<&(dyn ToSql + Sync)> =
                args.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
            let Some(r) = c.query_opt(sql, &params)? else {
                return Ok(None);
            };
            Ok(match *r.columns()[0].type_() {
                Type::BOOL => r.try_get::<_, Option<bool>>(0)?.map(i64::from),
                Type::FLOAT8 => r
                    .try_get::<_, Option<f64>>(0)?
                    .map(|f| (f * 1000.0).round() as i64),
                _ => r.try_get::<_, Option<i64>>(0)?,
            })
        })
        .unwrap_or_else(|error| panic!("probe {sql}: {error}"))
    }
    fn text(&self, sql: &str, args: &[i64]) -> Option<String> {
        use ::postgres::types::ToSql;
        self.on_connection(|c| {
            let params: Vec<&(dyn ToSql + Sync)> =
                args.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
            Ok(match c.query_opt(sql, &params)? {
                Some(r) => r.try_get::<_, Option<String>>(0)?,
                None => None,
            })
        })
        .unwrap_or_else(|error| panic!("probe {sql}: {error}"))
    }
    fn exec(&self, sql: &str) {
        self.on_connection(|c| Ok(c.batch_execute(sql)?))
            .unwrap_or_else(|error| panic!("probe {sql}: {error}"))
    }
    fn rows(&self, sql: &str) -> Vec<(i64, String)> {
        self.on_connection(|c| {
            c.query(sql, &[])?
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect()
        })
        .unwrap_or_else(|error| panic!("probe {sql}: {error}"))
    }
}

/// The outlets every shared test saves under: an agency and a blog.
pub(crate) fn with_outlets<S: Store>(mut s: S) -> S {
    s.sync_outlets(&[
        OutletRow {
            name: "tass".into(),
            homepage: "https://tass.com/".into(),
            agency: true,
        },
        OutletRow {
            name: "blog".into(),
            homepage: "https://blog.example/".into(),
            agency: false,
        },
    ])
    .expect("outlets");
    s
}

/// A fresh in-memory SQLite store with the test outlets.
pub(crate) fn sqlite_store() -> SqliteStore {
    with_outlets(SqliteStore::in_memory().expect("in-memory store"))
}

/// A fresh PostgreSQL database with the test outlets, or `None` (said on
/// stderr) when no server could be started.
pub(crate) fn postgres_store() -> Option<PostgresStore> {
    let url = pg_server::database()?;
    Some(with_outlets(
        PostgresStore::open(&url).expect("open the test database"),
    ))
}

/// Runs each named test function on both backends.
macro_rules! store_tests {
    ($module:ident: $($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[test]
                fn $name() {
                    super::$module::$name(super::sqlite_store());
                }
            )*
        }
        mod on_postgres {
            $(
                #[test]
                fn $name() {
                    let Some(store) = super::postgres_store() else {
                        return;
                    };
                    super::$module::$name(store);
                }
            )*
        }
    };
}

/// Runs each named test function on both backends, giving it a maker of
/// fresh stores (for tests that compare several databases).
macro_rules! fresh_store_tests {
    ($module:ident: $($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[test]
                fn $name() {
                    super::$module::$name(&|| Box::new(super::sqlite_store()));
                }
            )*
        }
        mod on_postgres {
            $(
                #[test]
                fn $name() {
                    if super::postgres_store().is_none() {
                        return;
                    }
                    super::$module::$name(&|| {
                        Box::new(super::postgres_store().expect("the server started before"))
                    });
                }
            )*
        }
    };
}

mod run_numbering {
    use super::*;
    fresh_store_tests!(numbering:
        a_runs_new_clusters_are_numbered_the_same_whatever_the_arrival_order,
        a_cluster_with_a_decision_keeps_its_id,
    );
}

mod run_basics {
    use super::*;
    store_tests!(basics:
        saves_articles_with_clusters_in_one_go,
        not_modified_keeps_validators_and_errors_are_logged,
        members_are_restated_against_the_canonical_after_each_decision,
        outlet_states_count_articles_and_keep_the_last_failure,
    );
}

mod run_index {
    use super::*;
    store_tests!(index:
        lookups_follow_keys_the_window_and_the_posting_cap,
        a_split_leaves_both_clusters_with_a_primary_core,
    );
}

mod run_review {
    use super::*;
    store_tests!(review: review_decisions_apply_and_hold_for_later_articles);
}

mod run_undo {
    use super::*;
    store_tests!(undo:
        undoing_canonical_restores_the_earlier_choice_then_the_policy,
        undoing_confirm_restores_the_earlier_confirmation,
        undoing_a_split_of_the_locked_canonical_locks_it_again,
        only_the_newest_decision_can_be_undone_and_a_refusal_changes_nothing,
        a_merge_recorded_without_its_moves_is_not_undone,
    );
}

pub(crate) fn fetch<'a>(run: Id, outlet: &'a str, url: &'a str) -> FetchRecord<'a> {
    FetchRecord {
        run,
        outlet,
        url,
        kind: UrlKind::Article,
        status: Some(200),
        etag: Some("\"v1\""),
        last_modified: None,
        error: None,
        stage: None,
    }
}

/// Saves `text` from `outlet` at `url` as a new article placed after
/// `matched` (a near copy with `similarity`) or founding a cluster.
pub(crate) fn save_text(
    s: &mut dyn Store,
    run: Id,
    (outlet, url): (&str, &str),
    text: &str,
    matched: Option<Id>,
    similarity: f64,
    meta: DocMeta,
) -> (Id, Id) {
    let article = Article {
        text: text.into(),
        ..Article::default()
    };
    let fp = sketch(text).fingerprint;
    s.save_article(&NewArticle {
        fetch: fetch(run, outlet, url),
        final_url: url,
        html: b"<p>x</p>",
        article: &article,
        claimed_canonical: None,
        normalized: "",
        fingerprint: &fp,
        cluster: ClusterPlacement {
            matched,
            relation: if matched.is_some() {
                Relation::Near
            } else {
                Relation::Canonical
            },
            similarity,
            meta,
        },
        policy: CanonicalPolicy::default(),
        index: None,
    })
    .expect("save")
}

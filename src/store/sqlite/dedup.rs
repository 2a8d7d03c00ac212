//! The dedup index in SQLite: filing an article's entry, and the indexed
//! lookups a placement makes ([`crate::store::IndexStore`]).
//!
//! Tables (schema version 3): `dedup_docs` holds one row per article
//! filed, keyed by article id, with the two times the match window reads,
//! the exact-layer key (indexed where present) and, for a core, its flags,
//! root and encoded features; `dedup_bands` and `dedup_postings` map a key
//! to the cores filed under it, clustered by `(key, core)` (`WITHOUT
//! ROWID`), so a lookup is one B-tree range per key, read in core order
//! from the scope's floor and stopped at the posting cap. A lookup joins
//! each hit to its doc by primary key to test the window. No query here
//! reads the `articles` table: a lookup costs what the keys hold, not what
//! the archive holds.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use super::schema::{CORE_PRIMARY, CORE_SECONDARY};
use crate::dedup::{CoreFeatures, DocMeta, StoredCore};
use crate::store::{CandidateScope, Error, Id, IndexEntry, IndexedCore, MatchWindow};

/// The window test on `d`, a `dedup_docs` row, with the window's start as
/// `:ts` (Unix seconds, NULL for no window) and `:at` (RFC 3339): the same
/// test the in-memory rebuild of earlier versions made.
const IN_WINDOW: &str = "(:ts IS NULL OR d.published_ts >= :ts OR d.fetched_at >= :at)";

/// The join that brings each hit's doc row for [`IN_WINDOW`], or nothing
/// when the scope has no window (then a lookup reads the key table alone).
fn window_join(scope: &CandidateScope, core: &str) -> (String, String) {
    if scope.window.is_some() {
        (
            format!("JOIN dedup_docs d ON d.article_id = {core}"),
            format!("AND {IN_WINDOW}"),
        )
    } else {
        (String::new(), String::new())
    }
}

fn window_params(scope: &CandidateScope) -> (Option<i64>, Option<&str>) {
    scope
        .window
        .as_ref()
        .map_or((None, None), |w| (Some(w.since_ts), Some(w.since.as_str())))
}

/// Files an article's index entry (in the caller's transaction). An article
/// filed before (a page fetched again) keeps its entry and only moves its
/// times.
pub(super) fn file(
    tx: &Connection,
    article: Id,
    published_ts: Option<i64>,
    fetched_at: &str,
    entry: &IndexEntry,
) -> Result<(), Error> {
    let moved = tx
        .prepare_cached(
            "UPDATE dedup_docs SET published_ts = ?2, fetched_at = ?3 WHERE article_id = ?1",
        )?
        .execute(params![article, published_ts, fetched_at])?;
    if moved > 0 {
        return Ok(());
    }
    let (kind, root, meta, features) = match &entry.core {
        Some(c) => (
            if c.root.is_some() {
                CORE_SECONDARY
            } else {
                CORE_PRIMARY
            },
            Some(c.root.unwrap_or(article)),
            c.meta,
            Some(c.features.encode()),
        ),
        None => (0, None, DocMeta::default(), None),
    };
    tx.prepare_cached(
        "INSERT INTO dedup_docs (article_id, published_ts, fetched_at, exact_key, core, root, agency,
             words, features)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        article,
        published_ts,
        fetched_at,
        entry.exact_key.as_ref().map(|k| &k[..]),
        kind,
        root,
        meta.agency,
        meta.words,
        features
    ])?;
    if let Some(c) = &entry.core {
        let mut band = tx.prepare_cached(
            "INSERT INTO dedup_bands (key, core) VALUES (?1, ?2)
             ON CONFLICT (key, core) DO UPDATE SET n = n + 1",
        )?;
        for &k in &c.band_keys {
            band.execute(params![k, article])?;
        }
        let mut posting =
            tx.prepare_cached("INSERT OR IGNORE INTO dedup_postings (key, core) VALUES (?1, ?2)")?;
        for &k in &c.postings {
            posting.execute(params![k, article])?;
        }
    }
    Ok(())
}

pub(super) fn candidate_floor(
    conn: &Connection,
    window: Option<&MatchWindow>,
) -> Result<Id, Error> {
    let Some(w) = window else {
        return Ok(0);
    };
    let floor: Option<Id> = conn.query_row(
        "SELECT MIN(m) FROM (
             SELECT MIN(article_id) AS m FROM dedup_docs INDEXED BY dedup_docs_fetched
                 WHERE fetched_at >= ?2
             UNION ALL
             SELECT MIN(article_id) FROM dedup_docs INDEXED BY dedup_docs_published
                 WHERE published_ts >= ?1)",
        params![w.since_ts, w.since],
        |r| r.get(0),
    )?;
    match floor {
        Some(f) => Ok(f),
        None => Ok(conn.query_row(
            "SELECT COALESCE(MAX(article_id), 0) + 1 FROM dedup_docs",
            [],
            |r| r.get(0),
        )?),
    }
}

pub(super) fn exact_candidate(
    conn: &Connection,
    key: &[u8; 16],
    scope: &CandidateScope,
) -> Result<Option<Id>, Error> {
    let (ts, at) = window_params(scope);
    Ok(conn
        .prepare_cached(&format!(
            "SELECT d.article_id FROM dedup_docs d
             WHERE d.exact_key = :key AND d.article_id >= :floor AND {IN_WINDOW}
             ORDER BY d.article_id LIMIT 1"
        ))?
        .query_row(
            rusqlite::named_params! {":key": &key[..], ":floor": scope.floor, ":ts": ts, ":at": at},
            |r| r.get(0),
        )
        .optional()?)
}

pub(super) fn band_hits(
    conn: &Connection,
    keys: &[u32],
    scope: &CandidateScope,
) -> Result<Vec<(Id, u32)>, Error> {
    let (ts, at) = window_params(scope);
    let (join, test) = window_join(scope, "b.core");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT b.core, b.n FROM dedup_bands b {join}
         WHERE b.key = :key AND b.core >= :floor {test}"
    ))?;
    let mut counts: HashMap<Id, u32> = HashMap::new();
    for &key in keys {
        let rows = if scope.window.is_some() {
            stmt.query(
                rusqlite::named_params! {":key": key, ":floor": scope.floor, ":ts": ts, ":at": at},
            )?
        } else {
            stmt.query(rusqlite::named_params! {":key": key, ":floor": scope.floor})?
        };
        let rows = rows.mapped(|r| Ok((r.get::<_, Id>(0)?, r.get::<_, u32>(1)?)));
        for row in rows {
            let (core, n) = row?;
            *counts.entry(core).or_default() += n;
        }
    }
    Ok(counts.into_iter().collect())
}

pub(super) fn posting_hits(
    conn: &Connection,
    keys: &[u32],
    scope: &CandidateScope,
    cap: usize,
) -> Result<Vec<(Id, u32)>, Error> {
    let (ts, at) = window_params(scope);
    let (join, test) = window_join(scope, "p.core");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.core FROM dedup_postings p {join}
         WHERE p.key = :key AND p.core >= :floor {test}
         ORDER BY p.core LIMIT :cap"
    ))?;
    let cap = i64::try_from(cap).unwrap_or(i64::MAX);
    let mut counts: HashMap<Id, u32> = HashMap::new();
    for &key in keys {
        let rows = if scope.window.is_some() {
            stmt.query(rusqlite::named_params! {
                ":key": key, ":floor": scope.floor, ":ts": ts, ":at": at, ":cap": cap
            })?
        } else {
            stmt.query(rusqlite::named_params! {":key": key, ":floor": scope.floor, ":cap": cap})?
        };
        let rows = rows.mapped(|r| r.get::<_, Id>(0));
        for core in rows {
            *counts.entry(core?).or_default() += 1;
        }
    }
    Ok(counts.into_iter().collect())
}

pub(super) fn indexed_cores(conn: &Connection, ids: &[Id]) -> Result<Vec<IndexedCore>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT root, core, agency, words, features FROM dedup_docs
         WHERE article_id = ?1 AND core > 0 AND features IS NOT NULL",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let row: Option<(Id, i64, bool, u32, Vec<u8>)> = stmt
            .query_row([id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        let Some((root, kind, agency, words, bytes)) = row else {
            continue;
        };
        let features =
            CoreFeatures::decode(&bytes).map_err(|cause| Error::Features { article: id, cause })?;
        out.push(IndexedCore {
            id,
            root,
            core: StoredCore {
                features,
                secondary: kind == CORE_SECONDARY,
                meta: DocMeta {
                    agency,
                    published: None,
                    words,
                },
            },
        });
    }
    Ok(out)
}

pub(super) fn secondary_cores(
    conn: &Connection,
    root: Id,
    scope: &CandidateScope,
) -> Result<u32, Error> {
    let (ts, at) = window_params(scope);
    Ok(conn
        .prepare_cached(&format!(
            "SELECT COUNT(*) FROM dedup_docs d
             WHERE d.root = :root AND d.core = {CORE_SECONDARY} AND d.article_id >= :floor AND {IN_WINDOW}"
        ))?
        .query_row(
            rusqlite::named_params! {":root": root, ":floor": scope.floor, ":ts": ts, ":at": at},
            |r| r.get(0),
        )?)
}

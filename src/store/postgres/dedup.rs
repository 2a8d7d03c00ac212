//! The dedup index in PostgreSQL: filing an article's entry, and the
//! indexed lookups a placement makes ([`crate::store::IndexStore`]).
//! Mirrors `store/sqlite/dedup.rs` (same tables and rules).
//!
//! Each lookup sends all its keys in one statement (`unnest` of an array)
//! instead of one query per key: on a server every statement costs a round
//! trip. The posting cap is applied per key with a lateral subquery, so it
//! still reads at most `cap` rows of each key, oldest first.

use std::collections::HashMap;

use postgres::{Client, GenericClient};

use super::statements::{Cached, Statements};

use super::schema::{CORE_PRIMARY, CORE_SECONDARY};
use crate::dedup::{CoreFeatures, DocMeta, StoredCore};
use crate::store::{CandidateScope, Error, Id, IndexEntry, IndexedCore, MatchWindow};

/// The window test on `d`, a `dedup_docs` row, with the window's start as
/// `$2` (Unix seconds, NULL for no window) and `$3` (RFC 3339).
const IN_WINDOW: &str =
    "($2::bigint IS NULL OR d.published_ts >= $2::bigint OR d.fetched_at >= $3::text)";

fn window_params(scope: &CandidateScope) -> (Option<i64>, Option<&str>) {
    scope
        .window
        .as_ref()
        .map_or((None, None), |w| (Some(w.since_ts), Some(w.since.as_str())))
}

fn keys_param(keys: &[u32]) -> Vec<i64> {
    keys.iter().map(|&k| i64::from(k)).collect()
}

/// Files an article's index entry (in the caller's transaction). An article
/// filed before (a page fetched again) keeps its entry and only moves its
/// times.
pub(super) fn file(
    tx: &mut Cached<'_, impl GenericClient>,
    article: Id,
    published_ts: Option<i64>,
    fetched_at: &str,
    entry: &IndexEntry,
) -> Result<(), Error> {
    let moved = tx.execute(
        "UPDATE dedup_docs SET published_ts = $2, fetched_at = $3 WHERE article_id = $1",
        &[&article, &published_ts, &fetched_at],
    )?;
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
    let exact: Option<&[u8]> = entry.exact_key.as_ref().map(|k| &k[..]);
    tx.execute(
        "INSERT INTO dedup_docs (article_id, published_ts, fetched_at, exact_key, core, root, agency,
             words, features)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &article,
            &published_ts,
            &fetched_at,
            &exact,
            &kind,
            &root,
            &meta.agency,
            &i64::from(meta.words),
            &features,
        ],
    )?;
    if let Some(c) = &entry.core {
        // A key given twice counts twice, as SQLite's upsert counts it.
        tx.execute(
            "INSERT INTO dedup_bands (key, core, n)
             SELECT k, $2::bigint, COUNT(*) FROM unnest($1::bigint[]) AS k GROUP BY k
             ON CONFLICT (key, core) DO UPDATE SET n = dedup_bands.n + excluded.n",
            &[&keys_param(&c.band_keys), &article],
        )?;
        tx.execute(
            "INSERT INTO dedup_postings (key, core)
             SELECT DISTINCT k, $2::bigint FROM unnest($1::bigint[]) AS k
             ON CONFLICT DO NOTHING",
            &[&keys_param(&c.postings), &article],
        )?;
    }
    Ok(())
}

pub(super) fn candidate_floor(c: &mut Client, window: Option<&MatchWindow>) -> Result<Id, Error> {
    let Some(w) = window else {
        return Ok(0);
    };
    let floor: Option<Id> = c
        .query_one(
            "SELECT LEAST(
                 (SELECT MIN(article_id) FROM dedup_docs WHERE fetched_at >= $2),
                 (SELECT MIN(article_id) FROM dedup_docs WHERE published_ts >= $1))",
            &[&w.since_ts, &w.since],
        )?
        .try_get(0)?;
    // With no doc in the window, 0: ids come from a sequence, and another
    // host's article committed after this lookup may have an id below the
    // current maximum, so "one past the last" would be no floor at all.
    Ok(floor.unwrap_or(0))
}

pub(super) fn exact_candidate(
    c: &mut Client,
    st: &mut Statements,
    key: &[u8; 16],
    scope: &CandidateScope,
) -> Result<Option<Id>, Error> {
    let mut c = Cached::new(c, st);
    let (ts, at) = window_params(scope);
    let key: &[u8] = &key[..];
    Ok(c.query_opt(
        &format!(
            "SELECT d.article_id FROM dedup_docs d
             WHERE d.exact_key = $1 AND d.article_id >= $4 AND {IN_WINDOW}
             ORDER BY d.article_id LIMIT 1"
        ),
        &[&key, &ts, &at, &scope.floor],
    )?
    .map(|r| r.try_get(0))
    .transpose()?)
}

pub(super) fn band_hits(
    c: &mut Client,
    st: &mut Statements,
    keys: &[u32],
    scope: &CandidateScope,
) -> Result<Vec<(Id, u32)>, Error> {
    let mut c = Cached::new(c, st);
    let (ts, at) = window_params(scope);
    // Each key given counts: the keys are joined as listed, repeats kept.
    let rows = c.query(
        &format!(
            "SELECT b.core, SUM(b.n)::bigint FROM unnest($1::bigint[]) AS k
             JOIN dedup_bands b ON b.key = k
             JOIN dedup_docs d ON d.article_id = b.core
             WHERE b.core >= $4 AND {IN_WINDOW}
             GROUP BY b.core"
        ),
        &[&keys_param(keys), &ts, &at, &scope.floor],
    )?;
    let mut counts: HashMap<Id, u32> = HashMap::new();
    for r in rows {
        let (core, n): (Id, i64) = (r.try_get(0)?, r.try_get(1)?);
        *counts.entry(core).or_default() += n as u32;
    }
    Ok(counts.into_iter().collect())
}

pub(super) fn posting_hits(
    c: &mut Client,
    st: &mut Statements,
    keys: &[u32],
    scope: &CandidateScope,
    cap: usize,
) -> Result<Vec<(Id, u32)>, Error> {
    let mut c = Cached::new(c, st);
    let (ts, at) = window_params(scope);
    let cap = i64::try_from(cap).unwrap_or(i64::MAX);
    let rows = c.query(
        &format!(
            "SELECT hit.core, COUNT(*) FROM unnest($1::bigint[]) AS k
             CROSS JOIN LATERAL (
                 SELECT p.core FROM dedup_postings p JOIN dedup_docs d ON d.article_id = p.core
                 WHERE p.key = k AND p.core >= $4 AND {IN_WINDOW}
                 ORDER BY p.core LIMIT $5) AS hit
             GROUP BY hit.core"
        ),
        &[&keys_param(keys), &ts, &at, &scope.floor, &cap],
    )?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get::<_, i64>(1)? as u32)))
        .collect()
}

pub(super) fn indexed_cores(
    c: &mut Client,
    st: &mut Statements,
    ids: &[Id],
) -> Result<Vec<IndexedCore>, Error> {
    let mut c = Cached::new(c, st);
    let rows = c.query(
        "SELECT article_id, root, core, agency, words, features FROM dedup_docs
         WHERE article_id = ANY($1) AND core > 0 AND features IS NOT NULL",
        &[&ids],
    )?;
    let mut found: HashMap<Id, IndexedCore> = HashMap::with_capacity(rows.len());
    for r in rows {
        let id: Id = r.try_get(0)?;
        let bytes: Vec<u8> = r.try_get(5)?;
        let features =
            CoreFeatures::decode(&bytes).map_err(|cause| Error::Features { article: id, cause })?;
        let kind: i64 = r.try_get(2)?;
        found.insert(
            id,
            IndexedCore {
                id,
                root: r.try_get(1)?,
                core: StoredCore {
                    features,
                    secondary: kind == CORE_SECONDARY,
                    meta: DocMeta {
                        agency: r.try_get(3)?,
                        published: None,
                        words: r.try_get::<_, i64>(4)? as u32,
                    },
                },
            },
        );
    }
    // In the order asked.
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

pub(super) fn secondary_cores(
    c: &mut Client,
    st: &mut Statements,
    root: Id,
    scope: &CandidateScope,
) -> Result<u32, Error> {
    let mut c = Cached::new(c, st);
    let (ts, at) = window_params(scope);
    let n: i64 = c
        .query_one(
            &format!(
                "SELECT COUNT(*) FROM dedup_docs d
                 WHERE d.root = $1 AND d.core = {CORE_SECONDARY} AND d.article_id >= $4 AND {IN_WINDOW}"
            ),
            &[&root, &ts, &at, &scope.floor],
        )?
        .try_get(0)?;
    Ok(n as u32)
}

//! Writes: runs, outlets, URL fetch state, and articles with everything
//! derived from their page (their dedup index entry too) in one
//! transaction. Mirrors `store/sqlite/write.rs`.
//!
//! What differs on a shared server: a run holds its live-run lock from
//! [`begin_run`] to [`finish_run`], and [`close_interrupted_runs`] marks
//! only runs nobody holds (`claims.rs`); `ON CONFLICT` upserts make two
//! hosts meeting the same URL agree on one row.

use postgres::{Client, GenericClient};

use super::statements::{Cached, Statements};

use super::claims;
use crate::dedup::DocMeta;
use crate::store::rules::{deflate, now, takes_over, Incumbent};
use crate::store::{Error, FetchRecord, Id, NewArticle, OutletRow, RunCounts};

pub(super) fn begin_run(c: &mut Client) -> Result<Id, Error> {
    let id: Id = c
        .query_one(
            "INSERT INTO runs (started_at) VALUES ($1) RETURNING id",
            &[&now()],
        )?
        .try_get(0)?;
    claims::hold_run(c, id)?;
    Ok(id)
}

pub(super) fn close_interrupted_runs(c: &mut Client) -> Result<u64, Error> {
    let running: Vec<Id> = c
        .query("SELECT id FROM runs WHERE status = 'running'", &[])?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    let mut marked = 0;
    for run in running {
        if claims::run_is_live(c, run)? {
            continue;
        }
        marked += c.execute(
            "UPDATE runs SET status = 'interrupted',
                 new_articles = (SELECT COUNT(*) FROM articles a WHERE a.run_id = runs.id),
                 new_clusters = (SELECT COUNT(*) FROM clusters c WHERE c.created_run = runs.id),
                 reprints = GREATEST(0, (SELECT COUNT(*) FROM articles a WHERE a.run_id = runs.id)
                     - (SELECT COUNT(*) FROM clusters c WHERE c.created_run = runs.id)),
                 fetched = GREATEST(fetched, (SELECT COUNT(*) FROM articles a WHERE a.run_id = runs.id)),
                 errors = (SELECT COUNT(*) FROM fetch_errors e WHERE e.run_id = runs.id),
                 outlets_failed = (SELECT COUNT(DISTINCT e.outlet_id) FROM fetch_errors e WHERE e.run_id = runs.id),
                 finished_at = COALESCE(
                     (SELECT MAX(t) FROM (SELECT MAX(a.fetched_at) AS t FROM articles a WHERE a.run_id = runs.id
                                          UNION ALL SELECT MAX(e.at) FROM fetch_errors e WHERE e.run_id = runs.id) AS times),
                     started_at)
             WHERE id = $1 AND status = 'running'",
            &[&run],
        )?;
    }
    Ok(marked)
}

pub(super) fn finish_run(
    c: &mut Client,
    run: Id,
    counts: &RunCounts,
    status: &str,
) -> Result<(), Error> {
    let n = |v: u64| v as i64;
    c.execute(
        "UPDATE runs SET finished_at = $2, status = $3, outlets = $4, outlets_failed = $5,
             fetched = $6, not_modified = $7, new_articles = $8, new_clusters = $9,
             reprints = $10, errors = $11
         WHERE id = $1",
        &[
            &run,
            &now(),
            &status,
            &n(counts.outlets),
            &n(counts.outlets_failed),
            &n(counts.fetched),
            &n(counts.not_modified),
            &n(counts.new_articles),
            &n(counts.new_clusters),
            &n(counts.reprints),
            &n(counts.errors),
        ],
    )?;
    claims::release_run(c, run)?;
    Ok(())
}

pub(super) fn sync_outlets(c: &mut Client, outlets: &[OutletRow]) -> Result<(), Error> {
    let mut tx = c.transaction()?;
    let stmt = tx.prepare(
        "INSERT INTO outlets (name, homepage, agency) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET homepage = excluded.homepage, agency = excluded.agency",
    )?;
    for o in outlets {
        tx.execute(&stmt, &[&o.name, &o.homepage, &o.agency])?;
    }
    tx.commit()?;
    Ok(())
}

/// Inserts or updates a URL's fetch state (and logs its error); returns its id.
pub(super) fn upsert_url(
    tx: &mut Cached<'_, impl GenericClient>,
    r: &FetchRecord<'_>,
) -> Result<Id, Error> {
    let at = now();
    let status = r.status.map(i64::from);
    let id: Id = tx
        .query_one(
            "INSERT INTO urls (url, outlet_id, kind, status, etag, last_modified, fetched_at, error, fetches)
             VALUES ($1, (SELECT id FROM outlets WHERE name = $2), $3, $4, $5, $6, $7, $8, 1)
             ON CONFLICT (url) DO UPDATE SET
                 status = COALESCE(excluded.status, urls.status),
                 etag = COALESCE(excluded.etag, urls.etag),
                 last_modified = COALESCE(excluded.last_modified, urls.last_modified),
                 fetched_at = excluded.fetched_at,
                 error = excluded.error,
                 fetches = urls.fetches + 1
             RETURNING id",
            &[
                &r.url,
                &r.outlet,
                &r.kind.as_str(),
                &status,
                &r.etag,
                &r.last_modified,
                &at,
                &r.error,
            ],
        )?
        .try_get(0)?;
    if let Some(message) = r.error {
        tx.execute(
            "INSERT INTO fetch_errors (run_id, outlet_id, url, stage, message, at)
             VALUES ($1, (SELECT id FROM outlets WHERE name = $2), $3, $4, $5, $6)",
            &[
                &r.run,
                &r.outlet,
                &r.url,
                &r.stage.unwrap_or("fetch"),
                &message,
                &at,
            ],
        )?;
    }
    Ok(id)
}

pub(super) fn save_article(
    c: &mut Client,
    st: &mut Statements,
    n: &NewArticle<'_>,
) -> Result<(Id, Id), Error> {
    let html = deflate(n.html)?;
    let mut transaction = c.transaction()?;
    let mut tx = Cached::new(&mut transaction, st);
    // Before any cluster id is read: a renumbering or a review decision in
    // progress (`SHARE ROW EXCLUSIVE`) finishes first (`numbering.rs`).
    tx.execute("LOCK TABLE clusters IN ROW EXCLUSIVE MODE", &[])?;
    let url_id = upsert_url(&mut tx, &n.fetch)?;
    let at = now();
    tx.execute(
        "INSERT INTO pages (url_id, fetched_at, html) VALUES ($1, $2, $3)
         ON CONFLICT (url_id) DO UPDATE SET fetched_at = excluded.fetched_at, html = excluded.html",
        &[&url_id, &at, &html],
    )?;
    let a = n.article;
    let fp = n.fingerprint;
    let p = n.cluster;
    let article_id: Id = tx
        .query_one(
            "INSERT INTO articles (url_id, outlet_id, run_id, url, final_url, canonical_url, title, byline,
                 published, dateline, agency, agency_own, published_ts, lang, text, normalized, words, sha256, simhash,
                 fp_version, fetched_at, claimed_canonical)
             VALUES ($1, (SELECT outlet_id FROM urls WHERE id = $1), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                 $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
             ON CONFLICT (url_id) DO UPDATE SET run_id = excluded.run_id, final_url = excluded.final_url,
                 canonical_url = excluded.canonical_url, title = excluded.title, byline = excluded.byline,
                 published = excluded.published, dateline = excluded.dateline, agency = excluded.agency,
                 agency_own = excluded.agency_own, published_ts = excluded.published_ts, lang = excluded.lang,
                 text = excluded.text, normalized = excluded.normalized, words = excluded.words, sha256 = excluded.sha256,
                 simhash = excluded.simhash, fp_version = excluded.fp_version, fetched_at = excluded.fetched_at,
                 claimed_canonical = excluded.claimed_canonical
             RETURNING id",
            &[
                &url_id,
                &n.fetch.run,
                &n.fetch.url,
                &n.final_url,
                &a.canonical_url,
                &a.title,
                &a.byline,
                &a.published,
                &a.dateline,
                &a.agency,
                &p.meta.agency,
                &p.meta.published,
                &a.lang,
                &a.text,
                &n.normalized,
                &i64::from(p.meta.words),
                &fp.sha256_hex(),
                &(fp.simhash as i64),
                &i64::from(fp.version),
                &at,
                &n.claimed_canonical,
            ],
        )?
        .try_get(0)?;
    if let Some(entry) = n.index {
        super::dedup::file(&mut tx, article_id, p.meta.published, &at, entry)?;
    }
    // A revisited article keeps its place: review decisions about it hold.
    if let Some(cluster) = cluster_of(&mut tx, article_id)? {
        transaction.commit()?;
        return Ok((article_id, cluster));
    }
    // Join the cluster the matched article is in now, or found one.
    let joined = match p.matched {
        Some(m) => cluster_of(&mut tx, m)?,
        None => None,
    };
    let cluster_id: Id = match joined {
        Some(c) => c,
        None => tx
            .query_one(
                "INSERT INTO clusters (canonical_id, created_run, updated_at) VALUES ($1, $2, $3)
                 RETURNING id",
                &[&article_id, &n.fetch.run, &at],
            )?
            .try_get(0)?,
    };
    tx.execute(
        "INSERT INTO members (article_id, cluster_id, relation, similarity, matched_id)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (article_id) DO UPDATE SET cluster_id = excluded.cluster_id,
             relation = excluded.relation, similarity = excluded.similarity,
             matched_id = excluded.matched_id",
        &[
            &article_id,
            &cluster_id,
            &p.relation.as_str(),
            &p.similarity,
            &p.matched,
        ],
    )?;
    if joined.is_some() {
        // Re-choose the canonical unless a reviewer fixed it (the rule is
        // in `store/rules.rs`). The row lock keeps two hosts joining the
        // same cluster from re-choosing it at once.
        let current = tx.query_opt(
            "SELECT a.agency_own, a.published_ts, a.words, c.canonical_locked, a.url, a.claimed_canonical
             FROM clusters c JOIN articles a ON a.id = c.canonical_id WHERE c.id = $1
             FOR UPDATE OF c",
            &[&cluster_id],
        )?;
        if let Some(row) = current {
            let url: String = row.try_get(4)?;
            let claim: Option<String> = row.try_get(5)?;
            let incumbent = Incumbent {
                meta: DocMeta {
                    agency: row.try_get(0)?,
                    published: row.try_get(1)?,
                    words: row.try_get::<_, i64>(2)? as u32,
                },
                locked: row.try_get(3)?,
                url: &url,
                claim: claim.as_deref(),
            };
            if takes_over(n, &incumbent) {
                tx.execute(
                    "UPDATE clusters SET canonical_id = $2 WHERE id = $1",
                    &[&cluster_id, &article_id],
                )?;
                // Members state their relation to the canonical as it is
                // now, not to what each matched when it arrived.
                super::restate::restate(tx.c, cluster_id)?;
            }
        }
    }
    tx.execute(
        "UPDATE clusters SET updated_at = $2, size = (SELECT COUNT(*) FROM members WHERE cluster_id = $1)
         WHERE id = $1",
        &[&cluster_id, &at],
    )?;
    transaction.commit()?;
    Ok((article_id, cluster_id))
}

/// The cluster an article is a member of, if any.
pub(super) fn cluster_of(
    c: &mut Cached<'_, impl GenericClient>,
    article: Id,
) -> Result<Option<Id>, Error> {
    Ok(c.query_opt(
        "SELECT cluster_id FROM members WHERE article_id = $1",
        &[&article],
    )?
    .map(|r| r.try_get(0))
    .transpose()?)
}

//! Writes: runs, outlets, URL fetch state, and articles with everything
//! derived from their page (their dedup index entry too) in one transaction.

use rusqlite::{params, Connection, OptionalExtension};

use crate::dedup::DocMeta;
use crate::store::rules::{takes_over, Incumbent};

use super::{deflate, now};
use crate::store::{Error, FetchRecord, Id, NewArticle, OutletRow, RunCounts};

pub(super) fn begin_run(conn: &Connection) -> Result<Id, Error> {
    conn.execute("INSERT INTO runs (started_at) VALUES (?1)", [now()])?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn close_interrupted_runs(conn: &Connection) -> Result<u64, Error> {
    let marked = conn.execute(
        "UPDATE runs SET status = 'interrupted',
             new_articles = (SELECT COUNT(*) FROM articles a WHERE a.run_id = runs.id),
             new_clusters = (SELECT COUNT(*) FROM clusters c WHERE c.created_run = runs.id),
             reprints = MAX(0, (SELECT COUNT(*) FROM articles a WHERE a.run_id = runs.id)
                 - (SELECT COUNT(*) FROM clusters c WHERE c.created_run = runs.id)),
             fetched = MAX(fetched, (SELECT COUNT(*) FROM articles a WHERE a.run_id = runs.id)),
             errors = (SELECT COUNT(*) FROM fetch_errors e WHERE e.run_id = runs.id),
             outlets_failed = (SELECT COUNT(DISTINCT e.outlet_id) FROM fetch_errors e WHERE e.run_id = runs.id),
             finished_at = COALESCE(
                 (SELECT MAX(t) FROM (SELECT MAX(a.fetched_at) AS t FROM articles a WHERE a.run_id = runs.id
                                      UNION ALL SELECT MAX(e.at) FROM fetch_errors e WHERE e.run_id = runs.id)),
                 started_at)
         WHERE status = 'running'",
        [],
    )?;
    Ok(marked as u64)
}

pub(super) fn finish_run(
    conn: &Connection,
    run: Id,
    c: &RunCounts,
    status: &str,
) -> Result<(), Error> {
    conn.execute(
        "UPDATE runs SET finished_at = ?2, status = ?3, outlets = ?4, outlets_failed = ?5,
             fetched = ?6, not_modified = ?7, new_articles = ?8, new_clusters = ?9,
             reprints = ?10, errors = ?11
         WHERE id = ?1",
        params![
            run,
            now(),
            status,
            c.outlets as i64,
            c.outlets_failed as i64,
            c.fetched as i64,
            c.not_modified as i64,
            c.new_articles as i64,
            c.new_clusters as i64,
            c.reprints as i64,
            c.errors as i64
        ],
    )?;
    Ok(())
}

pub(super) fn sync_outlets(conn: &mut Connection, outlets: &[OutletRow]) -> Result<(), Error> {
    // Savepoints, not transactions, here and below: they nest in a batch
    // (`Store::begin_batch`) and are transactions of their own outside one.
    let tx = conn.savepoint()?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO outlets (name, homepage, agency) VALUES (?1, ?2, ?3)
             ON CONFLICT(name) DO UPDATE SET homepage = excluded.homepage, agency = excluded.agency",
        )?;
        for o in outlets {
            stmt.execute(params![o.name, o.homepage, o.agency])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Inserts or updates a URL's fetch state (and logs its error); returns its id.
pub(super) fn upsert_url(tx: &Connection, r: &FetchRecord<'_>) -> Result<Id, Error> {
    let at = now();
    let id: Id = tx
        .prepare_cached(
            "INSERT INTO urls (url, outlet_id, kind, status, etag, last_modified, fetched_at, error, fetches)
             VALUES (?1, (SELECT id FROM outlets WHERE name = ?2), ?3, ?4, ?5, ?6, ?7, ?8, 1)
             ON CONFLICT(url) DO UPDATE SET
                 status = COALESCE(excluded.status, urls.status),
                 etag = COALESCE(excluded.etag, urls.etag),
                 last_modified = COALESCE(excluded.last_modified, urls.last_modified),
                 fetched_at = excluded.fetched_at,
                 error = excluded.error,
                 fetches = urls.fetches + 1
             RETURNING id",
        )?
        .query_row(
            params![r.url, r.outlet, r.kind.as_str(), r.status, r.etag, r.last_modified, at, r.error],
            |row| row.get(0),
        )?;
    if let Some(message) = r.error {
        tx.prepare_cached(
            "INSERT INTO fetch_errors (run_id, outlet_id, url, stage, message, at)
             VALUES (?1, (SELECT id FROM outlets WHERE name = ?2), ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            r.run,
            r.outlet,
            r.url,
            r.stage.unwrap_or("fetch"),
            message,
            at
        ])?;
    }
    Ok(id)
}

pub(super) fn save_article(conn: &mut Connection, n: &NewArticle<'_>) -> Result<(Id, Id), Error> {
    let html = deflate(n.html)?;
    let tx = conn.savepoint()?;
    let url_id = upsert_url(&tx, &n.fetch)?;
    let at = now();
    tx.prepare_cached(
        "INSERT INTO pages (url_id, fetched_at, html) VALUES (?1, ?2, ?3)
         ON CONFLICT(url_id) DO UPDATE SET fetched_at = excluded.fetched_at, html = excluded.html",
    )?
    .execute(params![url_id, at, html])?;
    let a = n.article;
    let fp = n.fingerprint;
    let p = n.cluster;
    let article_id: Id = tx
        .prepare_cached(
            "INSERT INTO articles (url_id, outlet_id, run_id, url, final_url, canonical_url, title, byline,
                 published, dateline, agency, agency_own, published_ts, lang, text, normalized, words, sha256, simhash,
                 fp_version, fetched_at, claimed_canonical)
             VALUES (?1, (SELECT outlet_id FROM urls WHERE id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,
                 ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
             ON CONFLICT(url_id) DO UPDATE SET run_id = excluded.run_id, final_url = excluded.final_url,
                 canonical_url = excluded.canonical_url, title = excluded.title, byline = excluded.byline,
                 published = excluded.published, dateline = excluded.dateline, agency = excluded.agency,
                 agency_own = excluded.agency_own, published_ts = excluded.published_ts, lang = excluded.lang,
                 text = excluded.text, normalized = excluded.normalized, words = excluded.words, sha256 = excluded.sha256,
                 simhash = excluded.simhash, fp_version = excluded.fp_version, fetched_at = excluded.fetched_at,
                 claimed_canonical = excluded.claimed_canonical
             RETURNING id",
        )?
        .query_row(
            params![
                url_id,
                n.fetch.run,
                n.fetch.url,
                n.final_url,
                a.canonical_url,
                a.title,
                a.byline,
                a.published,
                a.dateline,
                a.agency,
                p.meta.agency,
                p.meta.published,
                a.lang,
                a.text,
                n.normalized,
                p.meta.words,
                fp.sha256_hex(),
                fp.simhash as i64,
                fp.version,
                at,
                n.claimed_canonical
            ],
            |row| row.get(0),
        )?;
    if let Some(entry) = n.index {
        super::dedup::file(&tx, article_id, p.meta.published, &at, entry)?;
    }
    // A revisited article keeps its place: review decisions about it hold.
    let existing: Option<Id> = tx
        .prepare_cached("SELECT cluster_id FROM members WHERE article_id = ?1")?
        .query_row([article_id], |r| r.get(0))
        .optional()?;
    if let Some(cluster) = existing {
        tx.commit()?;
        return Ok((article_id, cluster));
    }
    // Join the cluster the matched article is in now, or found one.
    let joined: Option<Id> = match p.matched {
        Some(m) => tx
            .prepare_cached("SELECT cluster_id FROM members WHERE article_id = ?1")?
            .query_row([m], |r| r.get(0))
            .optional()?,
        None => None,
    };
    let cluster_id = match joined {
        Some(c) => c,
        None => {
            tx.prepare_cached(
                "INSERT INTO clusters (canonical_id, created_run, updated_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![article_id, n.fetch.run, at])?;
            tx.last_insert_rowid()
        }
    };
    tx.prepare_cached(
        "INSERT OR REPLACE INTO members (article_id, cluster_id, relation, similarity, matched_id)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        article_id,
        cluster_id,
        p.relation.as_str(),
        p.similarity,
        p.matched
    ])?;
    if joined.is_some() {
        // Re-choose the canonical unless a reviewer fixed it (the rule is
        // in `store/rules.rs`).
        type CanonicalRow = (Id, bool, Option<i64>, u32, bool, String, Option<String>);
        let current: Option<CanonicalRow> = tx
            .prepare_cached(
                "SELECT a.id, a.agency_own, a.published_ts, a.words, c.canonical_locked, a.url,
                     a.claimed_canonical
                 FROM clusters c JOIN articles a ON a.id = c.canonical_id WHERE c.id = ?1",
            )?
            .query_row([cluster_id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .optional()?;
        if let Some((_, agency, published, words, locked, url, claim)) = current {
            let incumbent = Incumbent {
                meta: DocMeta {
                    agency,
                    published,
                    words,
                },
                locked,
                url: &url,
                claim: claim.as_deref(),
            };
            if takes_over(n, &incumbent) {
                tx.prepare_cached("UPDATE clusters SET canonical_id = ?2 WHERE id = ?1")?
                    .execute(params![cluster_id, article_id])?;
                // Members state their relation to the canonical as it is
                // now, not to what each matched when it arrived.
                super::restate::restate(&tx, cluster_id)?;
            }
        }
    }
    tx.prepare_cached(
        "UPDATE clusters SET updated_at = ?2, size = (SELECT COUNT(*) FROM members WHERE cluster_id = ?1)
         WHERE id = ?1",
    )?
    .execute(params![cluster_id, at])?;
    tx.commit()?;
    Ok((article_id, cluster_id))
}

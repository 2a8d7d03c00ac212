//! Reads: URL state, runs, errors, totals.

use rusqlite::{Connection, OptionalExtension};

use super::report::{article_info, INFO_COLUMNS, INFO_LEN};
use crate::store::{ClusterView, Error, ErrorGroup, Id, OutletState, RunRow, Totals, UrlState};

/// Turns "no row" into `None`.
pub(super) fn optional<T>(r: rusqlite::Result<T>) -> Result<Option<T>, Error> {
    Ok(r.optional()?)
}

pub(super) fn url_state(conn: &Connection, url: &str) -> Result<Option<UrlState>, Error> {
    optional(
        conn.prepare_cached(
            "SELECT u.status, u.etag, u.last_modified, u.fetched_at, u.error,
                 COALESCE((SELECT id FROM articles WHERE url_id = u.id),
                          (SELECT id FROM articles WHERE canonical_url = u.url OR final_url = u.url LIMIT 1))
             FROM urls u WHERE u.url = ?1",
        )?
        .query_row([url], |r| {
            Ok(UrlState {
                status: r
                    .get::<_, Option<i64>>(0)?
                    .and_then(|s| u16::try_from(s).ok()),
                etag: r.get(1)?,
                last_modified: r.get(2)?,
                fetched_at: r.get(3)?,
                error: r.get(4)?,
                article: r.get(5)?,
            })
        }),
    )
}

pub(super) fn outlet_names(conn: &Connection) -> Result<Vec<String>, Error> {
    let mut stmt = conn.prepare("SELECT name FROM outlets ORDER BY name")?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(names)
}

pub(super) fn recent_runs(conn: &Connection, limit: usize) -> Result<Vec<Id>, Error> {
    let mut stmt = conn.prepare("SELECT id FROM runs ORDER BY id DESC LIMIT ?1")?;
    let ids = stmt
        .query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| r.get(0))?
        .collect::<Result<Vec<Id>, _>>()?;
    Ok(ids)
}

pub(super) fn runs(conn: &Connection, limit: usize) -> Result<Vec<RunRow>, Error> {
    let mut stmt = conn.prepare(
        "SELECT id, started_at, finished_at, status, outlets, outlets_failed, fetched, not_modified,
                new_articles, new_clusters, reprints, errors
         FROM runs ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            Ok(RunRow {
                id: r.get(0)?,
                started_at: r.get(1)?,
                finished_at: r.get(2)?,
                status: r.get(3)?,
                outlets: r.get(4)?,
                outlets_failed: r.get(5)?,
                fetched: r.get(6)?,
                not_modified: r.get(7)?,
                new_articles: r.get(8)?,
                new_clusters: r.get(9)?,
                reprints: r.get(10)?,
                errors: r.get(11)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub(super) fn error_groups(conn: &Connection, run: Option<Id>) -> Result<Vec<ErrorGroup>, Error> {
    // The latest failure of each group gives its message, URL and time.
    let mut stmt = conn.prepare(
        "SELECT COALESCE(o.name, ''), e.stage, g.n, e.message, e.url, e.at
         FROM (SELECT outlet_id, stage, COUNT(*) AS n, MAX(id) AS last FROM fetch_errors
               WHERE ?1 IS NULL OR run_id = ?1 GROUP BY outlet_id, stage) AS g
         JOIN fetch_errors e ON e.id = g.last
         LEFT JOIN outlets o ON o.id = g.outlet_id
         ORDER BY g.n DESC, 1, 2",
    )?;
    let rows = stmt
        .query_map([run], |r| {
            Ok(ErrorGroup {
                outlet: r.get(0)?,
                stage: r.get(1)?,
                count: r.get(2)?,
                message: r.get(3)?,
                url: r.get(4)?,
                at: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub(super) fn outlet_states(conn: &Connection) -> Result<Vec<OutletState>, Error> {
    // One grouped pass over each table, not a subquery per outlet.
    let mut stmt = conn.prepare(
        "SELECT o.name, COALESCE(a.n, 0), u.last, e.message, e.at
         FROM outlets o
         LEFT JOIN (SELECT outlet_id, COUNT(*) AS n FROM articles GROUP BY outlet_id) a
                ON a.outlet_id = o.id
         LEFT JOIN (SELECT outlet_id, MAX(fetched_at) AS last FROM urls
                    WHERE error IS NULL AND fetched_at IS NOT NULL GROUP BY outlet_id) u
                ON u.outlet_id = o.id
         LEFT JOIN (SELECT outlet_id, MAX(id) AS last FROM fetch_errors GROUP BY outlet_id) le
                ON le.outlet_id = o.id
         LEFT JOIN fetch_errors e ON e.id = le.last
         ORDER BY o.name",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(OutletState {
                name: r.get(0)?,
                articles: r.get(1)?,
                last_ok: r.get(2)?,
                last_error: r.get(3)?,
                last_error_at: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub(super) fn totals(conn: &Connection) -> Result<Totals, Error> {
    let count = |sql: &str| -> Result<u64, Error> {
        Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
    };
    Ok(Totals {
        articles: count("SELECT COUNT(*) FROM articles")?,
        clusters: count("SELECT COUNT(*) FROM clusters")?,
        clusters_with_reprints: count("SELECT COUNT(*) FROM clusters WHERE size > 1")?,
        urls: count("SELECT COUNT(*) FROM urls")?,
        runs: count("SELECT COUNT(*) FROM runs")?,
    })
}

pub(super) fn clusters_with_reprints(
    conn: &Connection,
    limit: usize,
) -> Result<Vec<ClusterView>, Error> {
    let mut clusters = conn.prepare(
        "SELECT id, canonical_id FROM clusters WHERE size > 1 ORDER BY size DESC, id LIMIT ?1",
    )?;
    let ids: Vec<(Id, Id)> = clusters
        .query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut one = conn.prepare_cached(&format!(
        "SELECT {INFO_COLUMNS} FROM articles a JOIN outlets o ON o.id = a.outlet_id WHERE a.id = ?1"
    ))?;
    let mut members = conn.prepare_cached(&format!(
        "SELECT {INFO_COLUMNS}, m.relation, m.similarity
         FROM members m JOIN articles a ON a.id = m.article_id JOIN outlets o ON o.id = a.outlet_id
         WHERE m.cluster_id = ?1 AND m.article_id != ?2 ORDER BY a.id"
    ))?;
    let mut out = Vec::with_capacity(ids.len());
    for (id, canonical) in ids {
        let canonical = one.query_row([canonical], article_info)?;
        let list = members
            .query_map([id, canonical.id], |r| {
                Ok((article_info(r)?, r.get(INFO_LEN)?, r.get(INFO_LEN + 1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        out.push(ClusterView {
            id,
            canonical,
            members: list,
        });
    }
    Ok(out)
}

pub(super) fn article_at(conn: &Connection, url: &str) -> Result<Option<Id>, Error> {
    optional(conn.prepare_cached(
        "SELECT id FROM articles WHERE url = ?1 OR final_url = ?1 OR canonical_url = ?1 LIMIT 1",
    )?
    .query_row([url], |r| r.get(0)))
}

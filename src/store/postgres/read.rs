//! Reads: URL state, runs, errors, totals. Mirrors `store/sqlite/read.rs`.

use postgres::{Client, Row};

use super::report::{article_info, INFO_COLUMNS, INFO_LEN};
use super::statements::Statements;
use crate::store::{ClusterView, Error, ErrorGroup, Id, OutletState, RunRow, Totals, UrlState};

/// A `usize` limit as PostgreSQL's `LIMIT` takes it.
pub(super) fn limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(super) fn url_state(
    c: &mut Client,
    st: &mut Statements,
    url: &str,
) -> Result<Option<UrlState>, Error> {
    let sql = st.get(
        c,
        "SELECT u.status, u.etag, u.last_modified, u.fetched_at, u.error,
             COALESCE((SELECT id FROM articles WHERE url_id = u.id),
                      (SELECT id FROM articles WHERE canonical_url = u.url OR final_url = u.url LIMIT 1))
         FROM urls u WHERE u.url = $1",
    )?;
    let row = c.query_opt(&sql, &[&url])?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(UrlState {
        status: r
            .try_get::<_, Option<i64>>(0)?
            .and_then(|s| u16::try_from(s).ok()),
        etag: r.try_get(1)?,
        last_modified: r.try_get(2)?,
        fetched_at: r.try_get(3)?,
        error: r.try_get(4)?,
        article: r.try_get(5)?,
    }))
}

pub(super) fn outlet_names(c: &mut Client) -> Result<Vec<String>, Error> {
    Ok(c.query("SELECT name FROM outlets ORDER BY name", &[])?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?)
}

pub(super) fn recent_runs(c: &mut Client, n: usize) -> Result<Vec<Id>, Error> {
    Ok(c.query(
        "SELECT id FROM runs ORDER BY id DESC LIMIT $1",
        &[&limit(n)],
    )?
    .iter()
    .map(|r| r.try_get(0))
    .collect::<Result<_, _>>()?)
}

pub(super) fn runs(c: &mut Client, n: usize) -> Result<Vec<RunRow>, Error> {
    let rows = c.query(
        "SELECT id, started_at, finished_at, status, outlets, outlets_failed, fetched, not_modified,
                new_articles, new_clusters, reprints, errors
         FROM runs ORDER BY id DESC LIMIT $1",
        &[&limit(n)],
    )?;
    rows.iter()
        .map(|r| {
            Ok(RunRow {
                id: r.try_get(0)?,
                started_at: r.try_get(1)?,
                finished_at: r.try_get(2)?,
                status: r.try_get(3)?,
                outlets: r.try_get(4)?,
                outlets_failed: r.try_get(5)?,
                fetched: r.try_get(6)?,
                not_modified: r.try_get(7)?,
                new_articles: r.try_get(8)?,
                new_clusters: r.try_get(9)?,
                reprints: r.try_get(10)?,
                errors: r.try_get(11)?,
            })
        })
        .collect()
}

pub(super) fn error_groups(c: &mut Client, run: Option<Id>) -> Result<Vec<ErrorGroup>, Error> {
    // The latest failure of each group gives its message, URL and time.
    let rows = c.query(
        "SELECT COALESCE(o.name, ''), e.stage, g.n, e.message, e.url, e.at
         FROM (SELECT outlet_id, stage, COUNT(*) AS n, MAX(id) AS last FROM fetch_errors
               WHERE $1::bigint IS NULL OR run_id = $1 GROUP BY outlet_id, stage) AS g
         JOIN fetch_errors e ON e.id = g.last
         LEFT JOIN outlets o ON o.id = g.outlet_id
         ORDER BY g.n DESC, 1, 2",
        &[&run],
    )?;
    rows.iter()
        .map(|r| {
            Ok(ErrorGroup {
                outlet: r.try_get(0)?,
                stage: r.try_get(1)?,
                count: r.try_get(2)?,
                message: r.try_get(3)?,
                url: r.try_get(4)?,
                at: r.try_get(5)?,
            })
        })
        .collect()
}

pub(super) fn outlet_states(c: &mut Client) -> Result<Vec<OutletState>, Error> {
    // One grouped pass over each table, not a subquery per outlet.
    let rows = c.query(
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
        &[],
    )?;
    rows.iter()
        .map(|r| {
            Ok(OutletState {
                name: r.try_get(0)?,
                articles: r.try_get(1)?,
                last_ok: r.try_get(2)?,
                last_error: r.try_get(3)?,
                last_error_at: r.try_get(4)?,
            })
        })
        .collect()
}

pub(super) fn totals(c: &mut Client) -> Result<Totals, Error> {
    let r = c.query_one(
        "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM clusters),
                (SELECT COUNT(*) FROM clusters WHERE size > 1), (SELECT COUNT(*) FROM urls),
                (SELECT COUNT(*) FROM runs)",
        &[],
    )?;
    let count = |i: usize| -> Result<u64, Error> { Ok(r.try_get::<_, i64>(i)? as u64) };
    Ok(Totals {
        articles: count(0)?,
        clusters: count(1)?,
        clusters_with_reprints: count(2)?,
        urls: count(3)?,
        runs: count(4)?,
    })
}

pub(super) fn clusters_with_reprints(c: &mut Client, n: usize) -> Result<Vec<ClusterView>, Error> {
    let ids: Vec<(Id, Id)> = c
        .query(
            "SELECT id, canonical_id FROM clusters WHERE size > 1 ORDER BY size DESC, id LIMIT $1",
            &[&limit(n)],
        )?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_, postgres::Error>>()?;
    let one = c.prepare(&format!(
        "SELECT {INFO_COLUMNS} FROM articles a JOIN outlets o ON o.id = a.outlet_id WHERE a.id = $1"
    ))?;
    let members = c.prepare(&format!(
        "SELECT {INFO_COLUMNS}, m.relation, m.similarity
         FROM members m JOIN articles a ON a.id = m.article_id JOIN outlets o ON o.id = a.outlet_id
         WHERE m.cluster_id = $1 AND m.article_id != $2 ORDER BY a.id"
    ))?;
    let mut out = Vec::with_capacity(ids.len());
    for (id, canonical) in ids {
        let canonical = article_info(&c.query_one(&one, &[&canonical])?)?;
        let list = c
            .query(&members, &[&id, &canonical.id])?
            .iter()
            .map(|r: &Row| {
                Ok((
                    article_info(r)?,
                    r.try_get(INFO_LEN)?,
                    r.try_get(INFO_LEN + 1)?,
                ))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        out.push(ClusterView {
            id,
            canonical,
            members: list,
        });
    }
    Ok(out)
}

pub(super) fn article_at(
    c: &mut Client,
    st: &mut Statements,
    url: &str,
) -> Result<Option<Id>, Error> {
    let sql = st.get(
        c,
        "SELECT id FROM articles WHERE url = $1 OR final_url = $1 OR canonical_url = $1 LIMIT 1",
    )?;
    Ok(c.query_opt(&sql, &[&url])?
        .map(|r| r.try_get(0))
        .transpose()?)
}

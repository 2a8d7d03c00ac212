//! Reads for reports: clusters in scope with their members' text and
//! decisions, and the aggregate figures of the summary.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};

use crate::store::rules::{delay_minutes, flows};
use crate::store::{
    ArticleDetail, ArticleInfo, ClusterDetail, ClusterFilter, DecisionKind, DecisionRecord, Error,
    Figures, Id, MemberDetail, OutletFigures,
};

/// The filter's conditions on a cluster `c`, with parameters ?1 since, ?2 run, ?3 outlet.
const SCOPE: &str = "(?1 IS NULL OR EXISTS (SELECT 1 FROM members m JOIN articles a ON a.id = m.article_id
                         WHERE m.cluster_id = c.id AND a.fetched_at >= ?1))
     AND (?2 IS NULL OR EXISTS (SELECT 1 FROM members m JOIN articles a ON a.id = m.article_id
                         WHERE m.cluster_id = c.id AND a.run_id = ?2))
     AND (?3 IS NULL OR EXISTS (SELECT 1 FROM members m JOIN articles a ON a.id = m.article_id
                         JOIN outlets o ON o.id = a.outlet_id WHERE m.cluster_id = c.id AND o.name = ?3))";

/// The columns [`article_info`] reads, from `articles a` joined with `outlets o`.
pub(super) const INFO_COLUMNS: &str =
    "a.id, o.name, o.agency, a.url, a.title, a.published, a.fetched_at, a.agency, a.dateline, a.words, a.claimed_canonical, a.byline, a.lang";
/// How many columns [`INFO_COLUMNS`] names: the first column after them.
pub(super) const INFO_LEN: usize = 13;

/// Reads [`INFO_COLUMNS`] from a row.
pub(super) fn article_info(r: &rusqlite::Row<'_>) -> rusqlite::Result<ArticleInfo> {
    Ok(ArticleInfo {
        id: r.get(0)?,
        outlet: r.get(1)?,
        outlet_is_agency: r.get(2)?,
        url: r.get(3)?,
        title: r.get(4)?,
        published: r.get(5)?,
        fetched_at: r.get(6)?,
        agency: r.get(7)?,
        dateline: r.get(8)?,
        words: r.get(9)?,
        claims_canonical: r.get(10)?,
        byline: r.get(11)?,
        lang: r.get(12)?,
    })
}

/// Reads [`INFO_COLUMNS`] and then the text.
fn article(r: &rusqlite::Row<'_>) -> rusqlite::Result<ArticleDetail> {
    Ok(ArticleDetail {
        info: article_info(r)?,
        text: r.get(INFO_LEN)?,
    })
}

/// Returns the ids of the clusters in scope, largest first.
pub(super) fn cluster_ids(conn: &Connection, f: &ClusterFilter) -> Result<Vec<Id>, Error> {
    let sql = format!(
        "SELECT c.id FROM clusters c WHERE c.size >= ?4 AND {SCOPE} ORDER BY c.size DESC, c.id LIMIT ?5"
    );
    let limit = f.limit.map_or(-1, |l| l as i64);
    let mut stmt = conn.prepare(&sql)?;
    let ids: Vec<Id> = stmt
        .query_map(
            params![f.since, f.run, f.outlet, f.min_size.max(1) as i64, limit],
            |r| r.get(0),
        )?
        .collect::<Result<_, _>>()?;
    Ok(match &f.ids {
        Some(only) => ids.into_iter().filter(|id| only.contains(id)).collect(),
        None => ids,
    })
}

/// Returns one cluster in full, if it exists.
pub(super) fn cluster(conn: &Connection, id: Id) -> Result<Option<ClusterDetail>, Error> {
    let head: Option<(Id, bool, Option<String>)> = conn
        .prepare_cached(
            "SELECT canonical_id, canonical_locked, confirmed_at FROM clusters WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((canonical_id, canonical_locked, confirmed_at)) = head else {
        return Ok(None);
    };
    let canonical = conn
        .prepare_cached(&format!(
            "SELECT {INFO_COLUMNS}, a.text FROM articles a JOIN outlets o ON o.id = a.outlet_id WHERE a.id = ?1"
        ))?
        .query_row([canonical_id], article)?;
    let members = conn
        .prepare_cached(&format!(
            "SELECT {INFO_COLUMNS}, a.text, m.relation, m.similarity
             FROM members m JOIN articles a ON a.id = m.article_id JOIN outlets o ON o.id = a.outlet_id
             WHERE m.cluster_id = ?1 AND m.article_id != ?2 ORDER BY a.id"
        ))?
        .query_map([id, canonical_id], |r| {
            Ok(MemberDetail {
                article: article(r)?,
                relation: r.get(INFO_LEN + 1)?,
                similarity: r.get(INFO_LEN + 2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let decisions = conn
        .prepare_cached(
            "SELECT kind, article_id, other_id, note, at FROM decisions
             WHERE cluster_id = ?1 OR other_id = ?1 ORDER BY id",
        )?
        .query_map([id], |r| {
            let kind: String = r.get(0)?;
            let kind = match kind.as_str() {
                "split" => DecisionKind::Split,
                "merge" => DecisionKind::Merge,
                "canonical" => DecisionKind::Canonical,
                _ => DecisionKind::Confirm,
            };
            Ok(DecisionRecord {
                kind,
                article: r.get(1)?,
                other: r.get(2)?,
                note: r.get(3)?,
                at: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(ClusterDetail {
        id,
        canonical,
        canonical_locked,
        confirmed_at,
        members,
        decisions,
    }))
}

/// Aggregate figures over the filter's scope (all cluster sizes).
pub(super) fn figures(conn: &Connection, f: &ClusterFilter) -> Result<Figures, Error> {
    let scope = format!(
        "WITH scope AS (SELECT c.id, c.canonical_id, c.size FROM clusters c WHERE {SCOPE})"
    );
    let p = params![f.since, f.run, f.outlet];
    let (clusters, with_reprints, singletons, reprints): (i64, i64, i64, i64) = conn.query_row(
        &format!(
            "{scope} SELECT COUNT(*), COALESCE(SUM(size > 1), 0), COALESCE(SUM(size = 1), 0),
                 COALESCE(SUM(size - 1), 0) FROM scope"
        ),
        p,
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let mut stmt = conn.prepare(&format!(
        "{scope} SELECT o.name, o.agency, COUNT(*), SUM(a.id != s.canonical_id)
         FROM scope s JOIN members m ON m.cluster_id = s.id JOIN articles a ON a.id = m.article_id
         JOIN outlets o ON o.id = a.outlet_id GROUP BY o.name ORDER BY o.name"
    ))?;
    let outlets = stmt
        .query_map(p, |r| {
            Ok(OutletFigures {
                outlet: r.get(0)?,
                agency: r.get(1)?,
                articles: r.get::<_, i64>(2)? as u64,
                reprints: r.get::<_, i64>(3)? as u64,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut stmt = conn.prepare(&format!(
        "{scope} SELECT o.name, co.name, a.published_ts, ca.published_ts, a.fetched_at, ca.fetched_at
         FROM scope s JOIN articles ca ON ca.id = s.canonical_id JOIN outlets co ON co.id = ca.outlet_id
         JOIN members m ON m.cluster_id = s.id JOIN articles a ON a.id = m.article_id
         JOIN outlets o ON o.id = a.outlet_id
         WHERE co.agency = 1 AND a.id != ca.id AND o.id != co.id"
    ))?;
    let mut delays: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    let rows = stmt.query_map(p, |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, Option<i64>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    for row in rows {
        let (outlet, agency, pub_a, pub_c, fetched_a, fetched_c) = row?;
        delays
            .entry((outlet, agency))
            .or_default()
            .push(delay_minutes((pub_a, pub_c), (&fetched_a, &fetched_c)));
    }
    let flows = flows(delays);
    Ok(Figures {
        clusters: clusters as u64,
        clusters_with_reprints: with_reprints as u64,
        reprints: reprints as u64,
        singletons: singletons as u64,
        outlets,
        flows,
    })
}

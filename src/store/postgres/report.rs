//! Reads for reports: clusters in scope with their members' text and
//! decisions, and the aggregate figures of the summary. Mirrors
//! `store/sqlite/report.rs`; the reprint delays add up by the rules in
//! `store/rules.rs`, shared with it.

use std::collections::BTreeMap;

use postgres::{Client, Row};

use crate::store::rules::decision_kind;
use crate::store::rules::{delay_minutes, flows};
use crate::store::{
    ArticleDetail, ArticleInfo, ClusterDetail, ClusterFilter, DecisionKind, DecisionRecord, Error,
    Figures, Id, MemberDetail, OutletFigures,
};

/// The filter's conditions on a cluster `c`, with parameters $1 since, $2 run, $3 outlet.
const SCOPE: &str = "($1::text IS NULL OR EXISTS (SELECT 1 FROM members m JOIN articles a ON a.id = m.article_id
                         WHERE m.cluster_id = c.id AND a.fetched_at >= $1::text))
     AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM members m JOIN articles a ON a.id = m.article_id
                         WHERE m.cluster_id = c.id AND a.run_id = $2::bigint))
     AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM members m JOIN articles a ON a.id = m.article_id
                         JOIN outlets o ON o.id = a.outlet_id WHERE m.cluster_id = c.id AND o.name = $3::text))";

/// The columns [`article_info`] reads, from `articles a` joined with `outlets o`.
pub(super) const INFO_COLUMNS: &str =
    "a.id, o.name, o.agency, a.url, a.title, a.published, a.fetched_at, a.agency, a.dateline, a.words, a.claimed_canonical, a.byline, a.lang";
/// How many columns [`INFO_COLUMNS`] names: the first column after them.
pub(super) const INFO_LEN: usize = 13;

/// Reads [`INFO_COLUMNS`] from a row.
pub(super) fn article_info(r: &Row) -> Result<ArticleInfo, Error> {
    Ok(ArticleInfo {
        id: r.try_get(0)?,
        outlet: r.try_get(1)?,
        outlet_is_agency: r.try_get(2)?,
        url: r.try_get(3)?,
        title: r.try_get(4)?,
        published: r.try_get(5)?,
        fetched_at: r.try_get(6)?,
        agency: r.try_get(7)?,
        dateline: r.try_get(8)?,
        words: r.try_get::<_, i64>(9)? as u32,
        claims_canonical: r.try_get(10)?,
        byline: r.try_get(11)?,
        lang: r.try_get(12)?,
    })
}

/// Reads [`INFO_COLUMNS`] and then the text.
fn article(r: &Row) -> Result<ArticleDetail, Error> {
    Ok(ArticleDetail {
        info: article_info(r)?,
        text: r.try_get(INFO_LEN)?,
    })
}

/// Returns the ids of the clusters in scope, largest first.
pub(super) fn cluster_ids(c: &mut Client, f: &ClusterFilter) -> Result<Vec<Id>, Error> {
    let sql = format!(
        "SELECT c.id FROM clusters c WHERE c.size >= $4 AND {SCOPE} ORDER BY c.size DESC, c.id LIMIT $5::bigint"
    );
    let limit: Option<i64> = f.limit.map(|l| l as i64);
    let ids: Vec<Id> = c
        .query(
            &sql,
            &[
                &f.since,
                &f.run,
                &f.outlet,
                &(f.min_size.max(1) as i64),
                &limit,
            ],
        )?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    Ok(match &f.ids {
        Some(only) => ids.into_iter().filter(|id| only.contains(id)).collect(),
        None => ids,
    })
}

/// Returns one cluster in full, if it exists.
pub(super) fn cluster(c: &mut Client, id: Id) -> Result<Option<ClusterDetail>, Error> {
    let Some(head) = c.query_opt(
        "SELECT canonical_id, canonical_locked, confirmed_at FROM clusters WHERE id = $1",
        &[&id],
    )?
    else {
        return Ok(None);
    };
    let canonical_id: Id = head.try_get(0)?;
    let canonical = article(&c.query_one(
        &format!(
            "SELECT {INFO_COLUMNS}, a.text FROM articles a JOIN outlets o ON o.id = a.outlet_id WHERE a.id = $1"
        ),
        &[&canonical_id],
    )?)?;
    let members = c
        .query(
            &format!(
                "SELECT {INFO_COLUMNS}, a.text, m.relation, m.similarity
                 FROM members m JOIN articles a ON a.id = m.article_id JOIN outlets o ON o.id = a.outlet_id
                 WHERE m.cluster_id = $1 AND m.article_id != $2 ORDER BY a.id"
            ),
            &[&id, &canonical_id],
        )?
        .iter()
        .map(|r| {
            Ok(MemberDetail {
                article: article(r)?,
                relation: r.try_get(INFO_LEN + 1)?,
                similarity: r.try_get(INFO_LEN + 2)?,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let decisions = c
        .query(
            "SELECT kind, article_id, other_id, note, at FROM decisions
             WHERE cluster_id = $1 OR other_id = $1 ORDER BY id",
            &[&id],
        )?
        .iter()
        .map(|r| {
            let kind: String = r.try_get(0)?;
            Ok(DecisionRecord {
                kind: decision_kind(&kind).unwrap_or(DecisionKind::Confirm),
                article: r.try_get(1)?,
                other: r.try_get(2)?,
                note: r.try_get(3)?,
                at: r.try_get(4)?,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Some(ClusterDetail {
        id,
        canonical,
        canonical_locked: head.try_get(1)?,
        confirmed_at: head.try_get(2)?,
        members,
        decisions,
    }))
}

/// Aggregate figures over the filter's scope (all cluster sizes).
pub(super) fn figures(c: &mut Client, f: &ClusterFilter) -> Result<Figures, Error> {
    let scope = format!(
        "WITH scope AS (SELECT c.id, c.canonical_id, c.size FROM clusters c WHERE {SCOPE})"
    );
    let p: [&(dyn postgres::types::ToSql + Sync); 3] = [&f.since, &f.run, &f.outlet];
    let r = c.query_one(
        &format!(
            "{scope} SELECT COUNT(*), COUNT(*) FILTER (WHERE size > 1), COUNT(*) FILTER (WHERE size = 1),
                 COALESCE(SUM(size - 1), 0)::bigint FROM scope"
        ),
        &p,
    )?;
    let (clusters, with_reprints, singletons, reprints): (i64, i64, i64, i64) =
        (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
    let outlets = c
        .query(
            &format!(
                "{scope} SELECT o.name, o.agency, COUNT(*), COUNT(*) FILTER (WHERE a.id <> s.canonical_id)
                 FROM scope s JOIN members m ON m.cluster_id = s.id JOIN articles a ON a.id = m.article_id
                 JOIN outlets o ON o.id = a.outlet_id GROUP BY o.name, o.agency ORDER BY o.name"
            ),
            &p,
        )?
        .iter()
        .map(|r| {
            Ok(OutletFigures {
                outlet: r.try_get(0)?,
                agency: r.try_get(1)?,
                articles: r.try_get::<_, i64>(2)? as u64,
                reprints: r.try_get::<_, i64>(3)? as u64,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let rows = c.query(
        &format!(
            "{scope} SELECT o.name, co.name, a.published_ts, ca.published_ts, a.fetched_at, ca.fetched_at
             FROM scope s JOIN articles ca ON ca.id = s.canonical_id JOIN outlets co ON co.id = ca.outlet_id
             JOIN members m ON m.cluster_id = s.id JOIN articles a ON a.id = m.article_id
             JOIN outlets o ON o.id = a.outlet_id
             WHERE co.agency AND a.id <> ca.id AND o.id <> co.id"
        ),
        &p,
    )?;
    let mut delays: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for r in rows {
        let (outlet, agency): (String, String) = (r.try_get(0)?, r.try_get(1)?);
        let (pub_a, pub_c): (Option<i64>, Option<i64>) = (r.try_get(2)?, r.try_get(3)?);
        let (fetched_a, fetched_c): (String, String) = (r.try_get(4)?, r.try_get(5)?);
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

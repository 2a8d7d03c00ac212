//! Reads for the review app: the summaries of every cluster with reprints,
//! and the most recent decisions. Read-only; one query each.

use rusqlite::Connection;

use crate::store::rules::decision_kind;
use crate::store::{
    ClusterSummary, DecisionKind, DecisionRecord, Error, Id, MemberSummary, RecentDecision,
};

/// Returns every cluster of two or more members, by id, with its members
/// by article id. The query walks the members by the `members_cluster`
/// index (no sort in SQLite); members are ordered here, per cluster.
pub(super) fn cluster_summaries(conn: &Connection) -> Result<Vec<ClusterSummary>, Error> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.canonical_id, c.canonical_locked, c.confirmed_at,
                a.id, o.name, a.title, COALESCE(a.published, a.fetched_at), m.relation, m.similarity
         FROM clusters c
         JOIN members m ON m.cluster_id = c.id
         JOIN articles a ON a.id = m.article_id
         JOIN outlets o ON o.id = a.outlet_id
         WHERE c.size >= 2
         ORDER BY m.cluster_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out: Vec<ClusterSummary> = Vec::new();
    // Members read before their cluster's canonical row comes up.
    let mut pending: Vec<MemberSummary> = Vec::new();
    let mut canonical: Option<MemberSummary> = None;
    let mut current: Option<(Id, Id, bool, Option<String>)> = None;
    let mut flush = |current: Option<(Id, Id, bool, Option<String>)>,
                     canonical: &mut Option<MemberSummary>,
                     pending: &mut Vec<MemberSummary>| {
        if let (Some((id, _, locked, confirmed)), Some(canonical)) = (current, canonical.take()) {
            pending.sort_by_key(|m| m.article);
            out.push(ClusterSummary {
                id,
                canonical_locked: locked,
                confirmed_at: confirmed,
                canonical,
                members: std::mem::take(pending),
            });
        }
        pending.clear();
    };
    while let Some(r) = rows.next()? {
        let cluster: Id = r.get(0)?;
        if current.as_ref().map(|c| c.0) != Some(cluster) {
            flush(current.take(), &mut canonical, &mut pending);
            current = Some((cluster, r.get(1)?, r.get(2)?, r.get(3)?));
        }
        let member = MemberSummary {
            article: r.get(4)?,
            outlet: r.get(5)?,
            title: r.get(6)?,
            date: r.get(7)?,
            relation: r.get(8)?,
            similarity: r.get(9)?,
        };
        if current.as_ref().map(|c| c.1) == Some(member.article) {
            canonical = Some(member);
        } else {
            pending.push(member);
        }
    }
    flush(current, &mut canonical, &mut pending);
    Ok(out)
}

/// Returns the most recent decisions over all clusters, newest first.
pub(super) fn recent_decisions(
    conn: &Connection,
    limit: usize,
) -> Result<Vec<RecentDecision>, Error> {
    let mut stmt = conn.prepare(
        "SELECT id, cluster_id, kind, article_id, other_id, note, at FROM decisions
         ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| {
        let kind: String = r.get(2)?;
        Ok((
            kind,
            RecentDecision {
                id: r.get(0)?,
                cluster: r.get(1)?,
                record: DecisionRecord {
                    kind: DecisionKind::Confirm,
                    article: r.get(3)?,
                    other: r.get(4)?,
                    note: r.get(5)?,
                    at: r.get(6)?,
                },
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, mut decision) = row?;
        // A kind written by a newer build is left out rather than misnamed.
        if let Some(kind) = decision_kind(&kind) {
            decision.record.kind = kind;
            out.push(decision);
        }
    }
    Ok(out)
}

//! Reads for the review app: the summaries of every cluster with reprints,
//! and the most recent decisions. Mirrors `store/sqlite/queue.rs`.

use postgres::Client;

use super::read::limit;
use crate::store::rules::decision_kind;
use crate::store::{ClusterSummary, DecisionRecord, Error, Id, MemberSummary, RecentDecision};

/// Returns every cluster of two or more members, by id, with its members
/// by article id.
pub(super) fn cluster_summaries(c: &mut Client) -> Result<Vec<ClusterSummary>, Error> {
    let rows = c.query(
        "SELECT c.id, c.canonical_id, c.canonical_locked, c.confirmed_at,
                a.id, o.name, a.title, COALESCE(a.published, a.fetched_at), m.relation, m.similarity
         FROM clusters c
         JOIN members m ON m.cluster_id = c.id
         JOIN articles a ON a.id = m.article_id
         JOIN outlets o ON o.id = a.outlet_id
         WHERE c.size >= 2
         ORDER BY c.id, a.id",
        &[],
    )?;
    let mut out: Vec<ClusterSummary> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let cluster: Id = rows[i].try_get(0)?;
        let canonical_id: Id = rows[i].try_get(1)?;
        let locked: bool = rows[i].try_get(2)?;
        let confirmed: Option<String> = rows[i].try_get(3)?;
        let mut canonical = None;
        let mut members = Vec::new();
        while i < rows.len() && rows[i].try_get::<_, Id>(0)? == cluster {
            let r = &rows[i];
            let member = MemberSummary {
                article: r.try_get(4)?,
                outlet: r.try_get(5)?,
                title: r.try_get(6)?,
                date: r.try_get(7)?,
                relation: r.try_get(8)?,
                similarity: r.try_get(9)?,
            };
            if member.article == canonical_id {
                canonical = Some(member);
            } else {
                members.push(member);
            }
            i += 1;
        }
        if let Some(canonical) = canonical {
            out.push(ClusterSummary {
                id: cluster,
                canonical_locked: locked,
                confirmed_at: confirmed,
                canonical,
                members,
            });
        }
    }
    Ok(out)
}

/// Returns the most recent decisions over all clusters, newest first.
pub(super) fn recent_decisions(c: &mut Client, n: usize) -> Result<Vec<RecentDecision>, Error> {
    let rows = c.query(
        "SELECT id, cluster_id, kind, article_id, other_id, note, at FROM decisions
         ORDER BY id DESC LIMIT $1",
        &[&limit(n)],
    )?;
    let mut out = Vec::new();
    for r in rows {
        let kind: String = r.try_get(2)?;
        // A kind written by a newer build is left out rather than misnamed.
        let Some(kind) = decision_kind(&kind) else {
            continue;
        };
        out.push(RecentDecision {
            id: r.try_get(0)?,
            cluster: r.try_get(1)?,
            record: DecisionRecord {
                kind,
                article: r.try_get(3)?,
                other: r.try_get(4)?,
                note: r.try_get(5)?,
                at: r.try_get(6)?,
            },
        });
    }
    Ok(out)
}

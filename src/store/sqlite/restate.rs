//! Members restated against their cluster's canonical.
//!
//! Owns the one definition of a member's relation and similarity in the
//! store: how the member relates to the cluster's *current* canonical text
//! (`wirecopy::dedup::compare`, then the partial-reuse alignment), not to
//! whichever article it happened to match when it arrived. Called whenever
//! a cluster's canonical or membership changes (a review decision, a new
//! article that takes the canonical's place), so a report never shows a
//! score against a text that is no longer the canonical. A member that no
//! rule relates to the canonical (two stories a reviewer merged) is stated
//! as `merged`, with the aligned share of the shorter text as its score.

use rusqlite::{params, Connection};

use crate::dedup::align::align;
use crate::dedup::compare::{compare, pair_numbers_agree, partial, Source};
use crate::dedup::sketch;
use crate::store::{Error, Id};

/// The relation of a member a reviewer put in a cluster that no rule relates
/// to its canonical.
pub const MERGED: &str = "merged";

/// Restates every member of `cluster` against its canonical.
pub(super) fn restate(tx: &Connection, cluster: Id) -> Result<(), Error> {
    let canonical: Option<(Id, String)> = tx
        .query_row(
            "SELECT a.id, a.text FROM clusters c JOIN articles a ON a.id = c.canonical_id WHERE c.id = ?1",
            [cluster],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    let Some((canonical_id, canonical_text)) = canonical else {
        return Ok(());
    };
    let members: Vec<(Id, String)> = tx
        .prepare_cached(
            "SELECT a.id, a.text FROM members m JOIN articles a ON a.id = m.article_id
             WHERE m.cluster_id = ?1 AND a.id <> ?2",
        )?
        .query_map(params![cluster, canonical_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    let of_canonical = sketch(&canonical_text);
    let mut update = tx.prepare_cached(
        "UPDATE members SET relation = ?2, similarity = ?3, matched_id = ?4 WHERE article_id = ?1",
    )?;
    tx.prepare_cached(
        "UPDATE members SET relation = 'canonical', similarity = 1.0, matched_id = NULL WHERE article_id = ?1",
    )?
    .execute([canonical_id])?;
    for (id, text) in members {
        let s = sketch(&text);
        let (relation, similarity) = if s.fingerprint.sha256 == of_canonical.fingerprint.sha256 {
            ("exact", 1.0)
        } else if let Some(m) = compare(&s, &of_canonical) {
            (m.relation.as_str(), m.similarity)
        } else {
            let al = align(&s.sequence, &of_canonical.sequence);
            let shorter = s.fingerprint.words.min(of_canonical.fingerprint.words);
            // The member is the text that reuses the canonical's.
            let c = &of_canonical;
            let numbers = pair_numbers_agree(
                &s.numbers,
                s.fingerprint.words,
                &c.numbers,
                c.fingerprint.words,
            );
            match partial(&al, s.fingerprint.words, Source::Agency, numbers) {
                Some(m) => (m.relation.as_str(), m.similarity),
                None => (MERGED, f64::from(al.spanned) / f64::from(shorter.max(1))),
            }
        };
        update.execute(params![id, relation, similarity.min(1.0), canonical_id])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{save_text, store};
    use super::*;
    use crate::dedup::{CanonicalPolicy, DocMeta};
    use crate::store::{Decision, DecisionKind, SqliteStore, Store};

    const STORY: &str = "The harbour authority will close the old northern pier to ferries from next month after divers found cracks in three of its columns, officials said on Monday.\n\nFerries to the islands will sail from the southern terminal instead, adding about twenty minutes to each crossing, the authority said in a statement.";
    const OTHER: &str = "The city orchestra will tour four countries next spring with a programme of new works by local composers, its director told a news conference on Tuesday.\n\nTickets for the opening concerts go on sale at the end of the month, and the orchestra hopes to record the programme during the tour.";

    fn save(
        s: &mut SqliteStore,
        url: &str,
        text: &str,
        matched: Option<Id>,
        agency: bool,
    ) -> (Id, Id) {
        let run = s.begin_run().expect("run");
        let outlet = if agency { "tass" } else { "blog" };
        let meta = DocMeta {
            agency,
            published: None,
            words: sketch(text).fingerprint.words,
        };
        // A score as stale as the one the trial saw.
        save_text(s, run, (outlet, url), text, matched, 1.0, meta)
    }

    fn member(s: &SqliteStore, article: Id) -> (String, f64, Option<Id>) {
        s.connection()
            .query_row(
                "SELECT relation, similarity, matched_id FROM members WHERE article_id = ?1",
                [article],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .expect("member")
    }

    #[test]
    fn members_are_restated_against_the_canonical_after_each_decision() {
        let mut s = store();
        let cut = STORY.split("\n\n").next().expect("first paragraph");
        let (blog, c1) = save(&mut s, "https://blog.example/1", cut, None, false);
        // The agency's full story arrives and takes the canonical's place:
        // the blog's cut is restated as an excerpt of it.
        let (tass, c) = save(&mut s, "https://tass.example/1", STORY, Some(blog), true);
        assert_eq!(c, c1);
        let (rel, sim, matched) = member(&s, blog);
        assert_eq!((rel.as_str(), matched), ("excerpt", Some(tass)));
        assert!(sim > 0.7 && sim <= 1.0, "{sim}");

        // A reviewer merges an unrelated story in: it is not called "near 1.00".
        let (other, c2) = save(&mut s, "https://blog.example/2", OTHER, None, false);
        let decision = |kind, other_cluster| Decision {
            kind,
            cluster: c1,
            article: None,
            other: other_cluster,
            note: None,
        };
        s.review(
            &decision(DecisionKind::Merge, Some(c2)),
            CanonicalPolicy::default(),
        )
        .expect("merge");
        let (rel, sim, matched) = member(&s, other);
        assert_eq!((rel.as_str(), matched), (MERGED, Some(tass)));
        assert!(sim < 0.2, "{sim}");

        // The reviewer makes the cut canonical: the agency's story now states
        // its relation to the cut, and the cut is the canonical.
        s.review(
            &Decision {
                kind: DecisionKind::Canonical,
                cluster: c1,
                article: Some(blog),
                other: None,
                note: None,
            },
            CanonicalPolicy::default(),
        )
        .expect("canonical");
        assert_eq!(member(&s, blog), ("canonical".to_string(), 1.0, None));
        let (rel, _, matched) = member(&s, tass);
        assert_eq!((rel.as_str(), matched), ("excerpt", Some(blog)));
    }
}

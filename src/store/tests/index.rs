//! Tests of the dedup index tables: filing, the windowed, capped lookups,
//! and the cores a split leaves.

use super::{fetch, TestStore};
use crate::clean::Article;
use crate::dedup::{sketch, CanonicalPolicy, CoreFeatures, DocMeta, Relation};
use crate::store::{CandidateScope, ClusterPlacement, CoreEntry, Id, IndexEntry, NewArticle};

/// The `dedup_docs.core` value of a primary core.
const CORE_PRIMARY: i64 = 1;

/// Saves `text` at `url` with an index entry: a primary core filed under
/// `bands` and `postings`, or a plain doc.
fn save_filed(s: &mut dyn TestStore, url: &str, text: &str, core: Option<(&[u32], &[u32])>) -> Id {
    save_placed(s, url, text, core, None)
}

/// [`save_filed`], placed after `matched` when given.
fn save_placed(
    s: &mut dyn TestStore,
    url: &str,
    text: &str,
    core: Option<(&[u32], &[u32])>,
    matched: Option<Id>,
) -> Id {
    let run = s.begin_run().expect("run");
    let article = Article {
        text: text.into(),
        ..Article::default()
    };
    let sk = sketch(text);
    let meta = DocMeta {
        agency: false,
        published: None,
        words: sk.fingerprint.words,
    };
    let entry = IndexEntry {
        exact_key: Some(crate::dedup::place::exact_key(&sk)),
        core: core.map(|(bands, postings)| CoreEntry {
            root: None,
            features: CoreFeatures::of(&sk),
            meta,
            band_keys: bands.to_vec(),
            postings: postings.to_vec(),
        }),
    };
    s.save_article(&NewArticle {
        fetch: fetch(run, "blog", url),
        final_url: url,
        html: b"<p>x</p>",
        article: &article,
        claimed_canonical: None,
        normalized: "",
        fingerprint: &sk.fingerprint,
        cluster: ClusterPlacement {
            matched,
            relation: if matched.is_some() {
                Relation::Near
            } else {
                Relation::Canonical
            },
            similarity: if matched.is_some() { 0.9 } else { 1.0 },
            meta,
        },
        policy: CanonicalPolicy::default(),
        index: Some(&entry),
    })
    .expect("save")
    .0
}

pub(super) fn lookups_follow_keys_the_window_and_the_posting_cap(mut s: impl TestStore) {
    let a = save_filed(
        &mut s,
        "https://blog.example/a",
        "First text here.",
        Some((&[7, 7, 9], &[100, 200])),
    );
    let b = save_filed(
        &mut s,
        "https://blog.example/b",
        "Second text here.",
        Some((&[9], &[100])),
    );
    let c = save_filed(&mut s, "https://blog.example/c", "Third text here.", None);
    let all = CandidateScope::default();
    let mut hits = s.band_hits(&[7, 9, 9], &all).expect("bands");
    hits.sort_unstable();
    // a filed 7 twice and 9 once; asked 7 once and 9 twice.
    assert_eq!(hits, [(a, 4), (b, 2)]);
    let mut hits = s.posting_hits(&[100, 200], &all, 1).expect("postings");
    hits.sort_unstable();
    assert_eq!(hits, [(a, 2)], "one core per key: the oldest");
    let key = crate::dedup::place::exact_key(&sketch("Third text here."));
    assert_eq!(s.exact_candidate(&key, &all).expect("exact"), Some(c));
    let cores = s.indexed_cores(&[b, c, a]).expect("cores");
    assert_eq!(
        cores.iter().map(|x| (x.id, x.root)).collect::<Vec<_>>(),
        [(b, b), (a, a)]
    );
    assert_eq!(
        cores[0].core.features,
        CoreFeatures::of(&sketch("Second text here."))
    );
    // a falls out of the window.
    s.exec(&format!(
        "UPDATE dedup_docs SET fetched_at = '2020-01-01T00:00:00.000Z' WHERE article_id = {a}"
    ));
    let window = crate::store::MatchWindow::days(30, chrono::Utc::now());
    let floor = s.candidate_floor(window.as_ref()).expect("floor");
    assert_eq!(floor, b);
    let recent = CandidateScope { window, floor };
    assert_eq!(s.band_hits(&[7], &recent).expect("bands"), []);
    assert_eq!(
        s.posting_hits(&[100], &recent, 1).expect("postings"),
        [(b, 1)]
    );
    // Without the floor the window alone still decides.
    let unfloored = CandidateScope { floor: 0, ..recent };
    assert_eq!(
        s.posting_hits(&[100], &unfloored, 1).expect("postings"),
        [(b, 1)]
    );
}

pub(super) fn a_split_leaves_both_clusters_with_a_primary_core(mut s: impl TestStore) {
    use crate::store::{Decision, DecisionKind};

    let founder = save_filed(
        &mut s,
        "https://blog.example/founder",
        "The ferry line to the islands reopened on Monday after repairs to its pier.",
        Some((&[11, 12], &[21])),
    );
    let member = save_placed(
        &mut s,
        "https://blog.example/member",
        "The ferry line to the islands reopened on Monday after repairs, its operator said.",
        None,
        Some(founder),
    );
    let cluster_of = |s: &dyn TestStore, a: Id| -> Id {
        s.int("SELECT cluster_id FROM members WHERE article_id = $1", &[a])
            .expect("member")
    };
    let old = cluster_of(&s, founder);
    assert_eq!(cluster_of(&s, member), old);
    let core_kind = |s: &dyn TestStore, a: Id| -> i64 {
        s.int("SELECT core FROM dedup_docs WHERE article_id = $1", &[a])
            .expect("filed")
    };
    assert_eq!(core_kind(&s, member), 0);
    // The founder, the old cluster's only core, is split out.
    let new = s
        .review(
            &Decision {
                kind: DecisionKind::Split,
                cluster: old,
                article: Some(founder),
                other: None,
                note: None,
            },
            CanonicalPolicy::default(),
        )
        .expect("split");
    assert_ne!(new, old);
    assert_eq!(cluster_of(&s, member), old);
    // The member left behind is now the old cluster's core, filed under its
    // own band keys, so a later copy of it can find the old cluster.
    assert_eq!(core_kind(&s, member), CORE_PRIMARY);
    let bands = s
        .int(
            "SELECT COUNT(*) FROM dedup_bands WHERE core = $1",
            &[member],
        )
        .expect("bands");
    assert!(bands > 0);
    assert_eq!(core_kind(&s, founder), CORE_PRIMARY);
}

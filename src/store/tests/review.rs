//! Review decisions apply, and hold for articles stored later.

use super::{save_text, TestStore};
use crate::dedup::{CanonicalPolicy, DocMeta};
use crate::store::Id;

/// Saves a placeholder text from `outlet` as a new article placed after `matched`.
fn save(
    s: &mut dyn TestStore,
    run: Id,
    outlet: &str,
    url: &str,
    matched: Option<Id>,
    meta: DocMeta,
) -> (Id, Id) {
    let text = format!("Text of {url}, long enough to be stored as an article.");
    save_text(s, run, (outlet, url), &text, matched, 0.9, meta)
}

fn canonical_of(s: &dyn TestStore, cluster: Id) -> Id {
    s.int(
        "SELECT canonical_id FROM clusters WHERE id = $1",
        &[cluster],
    )
    .expect("cluster")
}

pub(super) fn review_decisions_apply_and_hold_for_later_articles(mut s: impl TestStore) {
    use crate::store::{Decision, DecisionKind};

    let run = s.begin_run().expect("run");
    let late = DocMeta {
        agency: false,
        published: Some(200),
        words: 40,
    };
    let (blog1, c1) = save(&mut s, run, "blog", "https://blog.example/1", None, late);
    let (tass, c) = save(
        &mut s,
        run,
        "tass",
        "https://tass.com/1",
        Some(blog1),
        DocMeta {
            agency: true,
            published: Some(100),
            words: 40,
        },
    );
    assert_eq!(c, c1);
    assert_eq!(
        canonical_of(&s, c1),
        tass,
        "the agency's copy becomes canonical"
    );
    let (blog2, _) = save(
        &mut s,
        run,
        "blog",
        "https://blog.example/2",
        Some(tass),
        late,
    );

    // Split: blog2 leaves; an article matching blog2 later follows it, not the old cluster.
    let d = |kind, cluster, article, other| Decision {
        kind,
        cluster,
        article,
        other,
        note: Some("checked".into()),
    };
    let policy = CanonicalPolicy::default();
    let c2 = s
        .review(&d(DecisionKind::Split, c1, Some(blog2), None), policy)
        .expect("split");
    assert_ne!(c2, c1);
    let (blog3, c3) = save(
        &mut s,
        run,
        "blog",
        "https://blog.example/3",
        Some(blog2),
        late,
    );
    assert_eq!(c3, c2, "follows the split article");
    assert_eq!(canonical_of(&s, c2), blog2);

    // Canonical: a reviewer's choice stays even when the policy would prefer another.
    s.review(&d(DecisionKind::Canonical, c1, Some(blog1), None), policy)
        .expect("canonical");
    save(
        &mut s,
        run,
        "tass",
        "https://tass.com/2",
        Some(tass),
        DocMeta {
            agency: true,
            published: Some(1),
            words: 99,
        },
    );
    assert_eq!(canonical_of(&s, c1), blog1, "locked canonical stays");

    // Merge: c2 folds into c1; later articles matching blog3 land in c1.
    assert_eq!(
        s.review(&d(DecisionKind::Merge, c1, None, Some(c2)), policy)
            .expect("merge"),
        c1
    );
    let (_, c4) = save(
        &mut s,
        run,
        "blog",
        "https://blog.example/4",
        Some(blog3),
        late,
    );
    assert_eq!(c4, c1);
    let size = s
        .int("SELECT size FROM clusters WHERE id = $1", &[c1])
        .expect("size");
    assert_eq!(size, 6);

    s.review(&d(DecisionKind::Confirm, c1, None, None), policy)
        .expect("confirm");
    let decisions = s
        .int("SELECT COUNT(*) FROM decisions WHERE note = 'checked'", &[])
        .expect("count");
    assert_eq!(decisions, 4);

    // Refusals name what is wrong.
    let e = s
        .review(&d(DecisionKind::Split, 999, Some(tass), None), policy)
        .expect_err("no cluster");
    assert!(e.to_string().contains("there is no cluster 999"), "{e}");
    let e = s
        .review(&d(DecisionKind::Canonical, c1, Some(123_456), None), policy)
        .expect_err("not a member");
    assert!(e.to_string().contains("is not in cluster"), "{e}");
    let e = s
        .review(&d(DecisionKind::Merge, c1, None, Some(c1)), policy)
        .expect_err("self merge");
    assert!(e.to_string().contains("with itself"), "{e}");
}

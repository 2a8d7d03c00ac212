use super::tests::{save_text, store};
use super::*;
use crate::dedup::{CanonicalPolicy, DocMeta};

/// Saves a placeholder text from `outlet` as a new article placed after `matched`.
fn save(
    s: &mut SqliteStore,
    run: Id,
    outlet: &str,
    url: &str,
    matched: Option<Id>,
    meta: DocMeta,
) -> (Id, Id) {
    let text = format!("Text of {url}, long enough to be stored as an article.");
    save_text(s, run, (outlet, url), &text, matched, 0.9, meta)
}

fn canonical_of(s: &SqliteStore, cluster: Id) -> Id {
    s.connection()
        .query_row(
            "SELECT canonical_id FROM clusters WHERE id = ?1",
            [cluster],
            |r| r.get(0),
        )
        .expect("cluster")
}

#[test]
fn review_decisions_apply_and_hold_for_later_articles() {
    use crate::store::{Decision, DecisionKind};
    let mut s = store();
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
    let size: i64 = s
        .connection()
        .query_row("SELECT size FROM clusters WHERE id = ?1", [c1], |r| {
            r.get(0)
        })
        .expect("size");
    assert_eq!(size, 6);

    s.review(&d(DecisionKind::Confirm, c1, None, None), policy)
        .expect("confirm");
    let decisions: i64 = s
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM decisions WHERE note = 'checked'",
            [],
            |r| r.get(0),
        )
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

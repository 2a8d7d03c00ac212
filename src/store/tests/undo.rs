//! Undoing review decisions, newest first.

use super::{save_text, TestStore};
use crate::dedup::{CanonicalPolicy, DocMeta};
use crate::store::{Decision, DecisionKind, Error, Id, ReviewError};

fn meta(agency: bool, published: i64) -> DocMeta {
    DocMeta {
        agency,
        published: Some(published),
        words: 40,
    }
}

fn decide(s: &mut dyn TestStore, kind: DecisionKind, cluster: Id, article: Option<Id>) -> Id {
    s.review(
        &Decision {
            kind,
            cluster,
            article,
            other: None,
            note: None,
        },
        CanonicalPolicy::default(),
    )
    .expect("decision applies")
}

fn last_decision(s: &dyn TestStore) -> Id {
    s.recent_decisions(1).expect("read")[0].id
}

fn undo(s: &mut dyn TestStore) -> Result<Id, Error> {
    let last = last_decision(s);
    s.undo_decision(last, CanonicalPolicy::default())
}

/// An agency story with two reprints: (cluster, agency, blog1, blog2).
fn story(s: &mut dyn TestStore) -> (Id, Id, Id, Id) {
    let run = s.begin_run().expect("run");
    let text = "The ferry line reopened on Monday after repairs, the operator said.";
    let (tass, c) = save_text(
        s,
        run,
        ("tass", "https://tass.com/1"),
        text,
        None,
        1.0,
        meta(true, 100),
    );
    let (b1, _) = save_text(
        s,
        run,
        ("blog", "https://blog.example/1"),
        text,
        Some(tass),
        1.0,
        meta(false, 200),
    );
    let (b2, _) = save_text(
        s,
        run,
        ("blog", "https://blog.example/2"),
        text,
        Some(tass),
        1.0,
        meta(false, 300),
    );
    (c, tass, b1, b2)
}

pub(super) fn undoing_canonical_restores_the_earlier_choice_then_the_policy(mut s: impl TestStore) {
    let (c, tass, b1, b2) = story(&mut s);
    decide(&mut s, DecisionKind::Canonical, c, Some(b1));
    decide(&mut s, DecisionKind::Canonical, c, Some(b2));
    let detail = |s: &dyn TestStore| s.cluster(c).expect("read").expect("cluster");
    assert_eq!(detail(&s).canonical.info.id, b2);
    undo(&mut s).expect("undo the second choice");
    assert_eq!(
        detail(&s).canonical.info.id,
        b1,
        "the first choice holds again"
    );
    assert!(detail(&s).canonical_locked);
    undo(&mut s).expect("undo the first choice");
    assert_eq!(
        detail(&s).canonical.info.id,
        tass,
        "the policy chooses again"
    );
    assert!(!detail(&s).canonical_locked);
    assert!(detail(&s).decisions.is_empty());
}

pub(super) fn undoing_confirm_restores_the_earlier_confirmation(mut s: impl TestStore) {
    let (c, ..) = story(&mut s);
    decide(&mut s, DecisionKind::Confirm, c, None);
    let first = s.cluster(c).expect("read").expect("cluster").confirmed_at;
    assert!(first.is_some());
    decide(&mut s, DecisionKind::Confirm, c, None);
    undo(&mut s).expect("undo");
    assert_eq!(
        s.cluster(c).expect("read").expect("cluster").confirmed_at,
        first
    );
    undo(&mut s).expect("undo");
    assert_eq!(
        s.cluster(c).expect("read").expect("cluster").confirmed_at,
        None
    );
}

pub(super) fn undoing_a_split_of_the_locked_canonical_locks_it_again(mut s: impl TestStore) {
    let (c, tass, b1, _) = story(&mut s);
    decide(&mut s, DecisionKind::Canonical, c, Some(b1));
    let new = decide(&mut s, DecisionKind::Split, c, Some(b1));
    assert_ne!(new, c);
    let detail = s.cluster(c).expect("read").expect("cluster");
    assert_eq!(detail.canonical.info.id, tass);
    assert!(!detail.canonical_locked, "the locked canonical left");
    undo(&mut s).expect("undo the split");
    let detail = s.cluster(c).expect("read").expect("cluster");
    assert_eq!(detail.canonical.info.id, b1);
    assert!(detail.canonical_locked);
    assert_eq!(detail.members.len(), 2);
    assert!(
        s.cluster(new).expect("read").is_none(),
        "the emptied cluster is gone"
    );
}

pub(super) fn only_the_newest_decision_can_be_undone_and_a_refusal_changes_nothing(
    mut s: impl TestStore,
) {
    let error = s
        .undo_decision(1, CanonicalPolicy::default())
        .expect_err("nothing to undo");
    assert!(error.to_string().contains("there are none"), "{error}");
    let (c, _, b1, _) = story(&mut s);
    decide(&mut s, DecisionKind::Confirm, c, None);
    let older = last_decision(&s);
    decide(&mut s, DecisionKind::Split, c, Some(b1));
    let error = s
        .undo_decision(older, CanonicalPolicy::default())
        .expect_err("not the newest");
    assert!(matches!(
        error,
        Error::Review(ReviewError::NotLast { asked, .. }) if asked == older
    ));
    assert_eq!(s.recent_decisions(10).expect("read").len(), 2);
    assert_eq!(
        s.cluster(c).expect("read").expect("cluster").members.len(),
        1
    );
}

pub(super) fn a_merge_recorded_without_its_moves_is_not_undone(mut s: impl TestStore) {
    let (c, ..) = story(&mut s);
    let run = s.begin_run().expect("run");
    let (_, other) = save_text(
        &mut s,
        run,
        ("blog", "https://blog.example/other"),
        "A different story about wheat duties and their second cut this month.",
        None,
        1.0,
        meta(false, 400),
    );
    s.review(
        &Decision {
            kind: DecisionKind::Merge,
            cluster: c,
            article: None,
            other: Some(other),
            note: None,
        },
        CanonicalPolicy::default(),
    )
    .expect("merge");
    // As a build before undo existed would have left it.
    s.exec("DELETE FROM review_undo");
    let error = undo(&mut s).expect_err("nothing to move back");
    assert!(error.to_string().contains("cannot be undone"), "{error}");
    assert_eq!(s.recent_decisions(10).expect("read").len(), 1);
}

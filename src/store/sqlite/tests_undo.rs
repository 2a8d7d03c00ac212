//! Review decisions against SQLite's write lock (the undo tests both
//! backends pass are in `store/tests/undo.rs`).

use super::*;
use crate::dedup::{CanonicalPolicy, DocMeta};
use crate::store::tests::save_text;
use crate::store::DecisionKind;

/// A decision made while a run holds the write lock past the busy timeout
/// fails as busy (the review app answers 503) and changes nothing.
#[test]
fn a_decision_against_a_held_write_lock_is_busy_and_changes_nothing() {
    let dir = std::env::temp_dir().join(format!("wirecopy-busy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("w.db");
    let mut s = SqliteStore::open(&path).expect("open");
    s.sync_outlets(&[OutletRow {
        name: "tass".into(),
        homepage: "https://tass.com/".into(),
        agency: true,
    }])
    .expect("outlets");
    let run = s.begin_run().expect("run");
    let text = "The ferry line reopened on Monday after repairs, the operator said.";
    let (_, c) = save_text(
        &mut s,
        run,
        ("tass", "https://tass.com/1"),
        text,
        None,
        1.0,
        DocMeta {
            agency: true,
            published: Some(1),
            words: 40,
        },
    );
    let writer = rusqlite::Connection::open(&path).expect("second connection");
    writer
        .execute_batch("BEGIN IMMEDIATE")
        .expect("the run's write lock");
    s.conn
        .busy_timeout(std::time::Duration::from_millis(1))
        .expect("short timeout");
    let error = s
        .review(
            &Decision {
                kind: DecisionKind::Confirm,
                cluster: c,
                article: None,
                other: None,
                note: None,
            },
            CanonicalPolicy::default(),
        )
        .expect_err("the write lock is held");
    assert!(error.is_busy(), "{error}");
    writer.execute_batch("ROLLBACK").expect("release");
    assert!(s.recent_decisions(10).expect("read").is_empty());
    assert!(s
        .cluster(c)
        .expect("read")
        .expect("cluster")
        .confirmed_at
        .is_none());
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);
}

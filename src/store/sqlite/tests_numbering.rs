//! The ids of a run's new clusters: fixed by their earliest member, not by
//! the order the articles arrived in (`numbering.rs`).

use super::tests::{save_text, store};
use super::*;
use crate::dedup::DocMeta;
use crate::store::{Decision, DecisionKind};

/// Three one-article clusters saved in `order` (indices into the stories),
/// numbered at the run's end: each story's URL by cluster id.
fn numbered(order: [usize; 3], decided: Option<usize>) -> Vec<(Id, String)> {
    let stories = [
        (
            "https://tass.com/a/ferry",
            "The ferry pier of Keldmouth closes for a year of repairs to its supports.",
        ),
        (
            "https://blog.example/b/snow",
            "Snow closed the mountain pass above Ardvale for the third time this winter.",
        ),
        (
            "https://tass.com/c/bridge",
            "Freight over the river bridge at Nolsk doubled in the first month of the year.",
        ),
    ];
    let mut s = store();
    let run = s.begin_run().expect("run");
    let mut clusters = Vec::new();
    for i in order {
        let (url, text) = stories[i];
        let outlet = if url.contains("tass") { "tass" } else { "blog" };
        let (_, cluster) = save_text(
            &mut s,
            run,
            (outlet, url),
            text,
            None,
            1.0,
            DocMeta::default(),
        );
        clusters.push((i, cluster));
    }
    if let Some(i) = decided {
        let cluster = clusters.iter().find(|(j, _)| *j == i).expect("saved").1;
        s.review(
            &Decision {
                kind: DecisionKind::Confirm,
                cluster,
                article: None,
                other: None,
                note: None,
            },
            crate::dedup::CanonicalPolicy::default(),
        )
        .expect("confirm");
    }
    s.number_run_clusters(run).expect("number");
    let mut out: Vec<(Id, String)> = s
        .connection()
        .prepare("SELECT m.cluster_id, a.url FROM members m JOIN articles a ON a.id = m.article_id")
        .expect("query")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("read");
    out.sort();
    out
}

#[test]
fn a_runs_new_clusters_are_numbered_the_same_whatever_the_arrival_order() {
    let first = numbered([0, 1, 2], None);
    assert_eq!(first, numbered([2, 1, 0], None));
    assert_eq!(first, numbered([1, 2, 0], None));
    // Without publication times: by outlet name, then URL path.
    let urls: Vec<&str> = first.iter().map(|(_, u)| u.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://blog.example/b/snow",
            "https://tass.com/a/ferry",
            "https://tass.com/c/bridge"
        ]
    );
}

#[test]
fn a_cluster_with_a_decision_keeps_its_id() {
    // Saved first, the bridge story founds cluster 1, which a reviewer
    // confirms during the run: it keeps 1 (by its outlet and path it would
    // come last), and the other two trade 2 and 3.
    let out = numbered([2, 1, 0], Some(2));
    assert_eq!(out[0], (1, "https://tass.com/c/bridge".to_string()));
    assert_eq!(out[1], (2, "https://blog.example/b/snow".to_string()));
}

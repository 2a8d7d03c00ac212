//! Cluster ids: a fresh run over the same pages numbers its clusters the
//! same way, however the concurrent outlets' pages happened to arrive.

use std::collections::BTreeMap;

use crate::demo_sites::members_by_cluster;
use crate::util::{fixtures, Dir};

/// Each cluster id of a database with the URL paths of its members (the
/// hosts are loopback ports that change from run to run).
fn clusters_by_id(db: &std::path::Path) -> BTreeMap<i64, Vec<String>> {
    members_by_cluster(db)
        .into_iter()
        .map(|(id, urls)| {
            let mut paths: Vec<String> = urls
                .iter()
                .map(|u| url::Url::parse(u).expect("stored URL").path().to_string())
                .collect();
            paths.sort();
            (id, paths)
        })
        .collect()
}

#[test]
fn two_fresh_demo_runs_give_every_cluster_the_same_id() {
    let dir = Dir::new("ids");
    let sites = fixtures().join("sites");
    let sites = sites.to_str().expect("path");
    let mut runs = Vec::new();
    for out in ["first", "second", "third"] {
        dir.command()
            .args(["demo", "--quiet", "--sites", sites, "--out", out])
            .stdout();
        runs.push(clusters_by_id(&dir.path.join(out).join("wirecopy.db")));
    }
    assert_eq!(runs[0].len(), 22, "{:?}", runs[0]);
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0], runs[2]);
    // In the order of their earliest article: the first cluster holds the
    // fixtures' earliest story.
    let first = runs[0].values().next().expect("a cluster");
    assert!(first[0].starts_with("/2024/03/02/"), "{first:?}");
}

use super::*;
use crate::dedup::sketch::sketch;

const STORY: &str = "The regional parliament approved a budget of 412 million roubles for road repairs on Wednesday, its speaker said after the vote.\n\n\
    Deputies said the money would go first to the bridge over the river, which was closed to lorries in the spring after engineers found cracks in two of its supports.\n\n\
    The opposition voted against the plan, saying the region had promised the same repairs three years ago and spent the money on offices instead.";

const OTHER: &str = "A court in the regional capital fined a construction company 3 million roubles on Thursday for delays in building a school that was due to open in September.\n\n\
    Parents said their children had been taught in a sports hall for a term, and the company blamed the rising price of steel and a shortage of workers.\n\n\
    The company said it would appeal against the fine and expected to finish the building before the end of the year.";

#[test]
fn founders_reprints_and_exact_copies() {
    let mut index = Index::new(IndexConfig::default());
    let a = index.insert(&sketch(STORY), DocMeta::default());
    let b = index.insert(&sketch(OTHER), DocMeta::default());
    let c = index.insert(
        &sketch(&format!("MOSCOW, May 3. /TASS/. {STORY}")),
        DocMeta::default(),
    );
    let d = index.insert(
        &sketch(&STORY.replace("Wednesday", "Wednesday evening")),
        DocMeta::default(),
    );
    assert_eq!(a.relation, Relation::Canonical);
    assert_ne!(a.cluster, b.cluster);
    assert_eq!(
        (c.cluster, c.relation, c.matched),
        (a.cluster, Relation::Exact, Some(0))
    );
    assert_eq!((d.cluster, d.relation), (a.cluster, Relation::Near));
    assert_eq!(index.len(), 4);
    assert_eq!(index.cluster_count(), 2);
    assert!(index.heap_bytes() > 0);
    let clusters = index.clusters();
    assert_eq!(clusters[0].members.len(), 3);
    assert_eq!(clusters[0].members[0].relation, Relation::Canonical);
}

#[test]
fn canonical_follows_the_policy() {
    let mut index = Index::new(IndexConfig::default());
    index.insert(&sketch(STORY), DocMeta::default());
    let agency = DocMeta {
        agency: true,
        ..DocMeta::default()
    };
    index.insert(&sketch(&format!("{STORY}\n\nRead also: roads")), agency);
    assert_eq!(index.clusters()[0].canonical, 1);
    // The founder takes the canonical's relation.
    assert_eq!(index.clusters()[0].members[1].relation, Relation::Exact);
}

#[test]
fn band_keys_are_stable_per_sketch() {
    let s = sketch(STORY);
    assert_eq!(Index::band_keys(&s), Index::band_keys(&s));
    assert_eq!(Index::band_keys(&s).len(), 32);
}

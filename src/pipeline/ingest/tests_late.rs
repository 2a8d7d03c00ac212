//! The agency's copy stored after a newspaper's story built on part of it:
//! it joins that story's cluster as the original and becomes its
//! canonical, and the newspaper's story is restated as its partial reprint.

use super::tests::{outlets, page};
use super::*;
use crate::clean::Article;
use crate::store::SqliteStore;

/// An invented agency story, a paragraph a line.
const STORY: [&str; 6] = [
    "The water board of Lennick will replace the town's oldest main under the high street this summer, closing the road to traffic for eight weeks from the first of June, the board said on Tuesday.",
    "The cast iron main, laid in 1896, burst four times last winter and flooded the cellars of a dozen shops, the board's chief engineer, Orla Denby, told a meeting of traders.",
    "Buses will be diverted along the river road while the work goes on, and deliveries to the high street will be allowed before nine in the morning only.",
    "\"We know the timing is hard for the shops, but the main will not survive another winter like the last one,\" Denby said, adding that the board would pay for signs directing visitors to the shops.",
    "The work is expected to cost 3.1 million crowns, of which the regional government will pay a third under its programme for ageing water networks.",
    "Traders said they would ask the council to waive parking charges in the two car parks nearest the high street for as long as the road is closed.",
];

#[test]
fn the_agencys_copy_stored_after_a_partial_reprint_becomes_its_canonical() {
    let paper = Article {
        text: [
            "Shopkeepers on Lennick's high street are bracing for a quiet summer after the water board announced that the road will be dug up for two months.",
            STORY[1],
            STORY[3],
            STORY[0],
            "At the baker's on the corner, where water poured through the ceiling of the storeroom in January, the owner said she was relieved the work was finally being done, whatever the cost to trade.",
            "Others were less forgiving. The owner of the hardware shop opposite said eight weeks without passing traffic could finish off businesses that had barely survived the floods.",
        ]
        .join("\n\n"),
        ..Article::default()
    };
    let wire = Article {
        text: STORY.join("\n\n"),
        ..Article::default()
    };
    let mut store = SqliteStore::in_memory().expect("store");
    outlets(&mut store);
    let mut ingest = Ingest::load(Box::new(store), IndexConfig::default(), None).expect("load");
    let run = ingest.store().begin_run().expect("run");
    let (paper_id, founded) = ingest
        .add(&page(
            run,
            ("blog", "https://blog.example/high-street"),
            &paper,
        ))
        .expect("the newspaper's story");
    assert_eq!(founded, Relation::Canonical);
    let (wire_id, relation) = ingest
        .add(&page(run, ("tass", "https://tass.com/lennick-main"), &wire))
        .expect("the agency's copy");
    assert_eq!(relation, Relation::Partial, "joined as the original");
    let store = ingest.store();
    let ids = store.cluster_ids(&Default::default()).expect("clusters");
    assert_eq!(ids.len(), 1, "one story");
    let cluster = store.cluster(ids[0]).expect("read").expect("the cluster");
    assert_eq!(
        cluster.canonical.info.id, wire_id,
        "the agency's copy leads"
    );
    let member = cluster
        .members
        .iter()
        .find(|m| m.article.info.id == paper_id)
        .expect("the newspaper's story is a member");
    assert_eq!(member.relation, Relation::Partial.as_str());
}

//! Clustering a whole set of documents at once, independent of input order.
//!
//! Owns [`cluster_batch`]: it inserts the documents into an [`Index`] in the
//! canonical policy's order (the agency's own copy first, then the earliest,
//! then the longest; ties by key), so that cores are the most complete
//! originals and the result does not depend on the order the caller gave.
//! Then it restates each member's relation against its cluster's canonical
//! where the two verify directly. Stateless.

use super::canonical::DocMeta;
use super::compare::{compare, Relation};
use super::index::{Cluster, Index, IndexConfig, Member};
use super::sketch::Sketch;

/// One document of a batch.
#[derive(Clone, Debug)]
pub struct BatchDoc {
    /// A unique key (file path or JSONL id): the last tie-break of the order.
    pub key: String,
    /// The document's sketch.
    pub sketch: Sketch,
    /// What the canonical policy needs.
    pub meta: DocMeta,
}

/// Clusters `docs`. Member and canonical numbers are positions in `docs`.
/// Clusters come largest first, then by canonical key; members canonical
/// first, then by relation, similarity (descending) and key.
pub fn cluster_batch(docs: &[BatchDoc], config: IndexConfig) -> Vec<Cluster> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&docs[a], &docs[b]);
        if config.policy.prefers(&x.meta, &y.meta) {
            std::cmp::Ordering::Less
        } else if config.policy.prefers(&y.meta, &x.meta) {
            std::cmp::Ordering::Greater
        } else {
            x.key.cmp(&y.key)
        }
    });
    let mut index = Index::new(config);
    for &i in &order {
        index.insert(&docs[i].sketch, docs[i].meta);
    }
    let mut clusters = index.clusters();
    for c in &mut clusters {
        c.canonical = order[c.canonical as usize] as u32;
        for m in &mut c.members {
            m.doc = order[m.doc as usize] as u32;
        }
        let canonical = &docs[c.canonical as usize].sketch;
        for m in c.members.iter_mut().skip(1) {
            let sketch = &docs[m.doc as usize].sketch;
            if sketch.fingerprint.sha256 == canonical.fingerprint.sha256 {
                m.relation = Relation::Exact;
                m.similarity = 1.0;
                continue;
            }
            if let Some(direct) = compare(sketch, canonical) {
                m.relation = direct.relation;
                m.similarity = direct.similarity;
            }
        }
        c.members[1..].sort_by(|a, b| member_order(a, b, docs));
    }
    clusters.sort_by(|a, b| {
        b.members.len().cmp(&a.members.len()).then_with(|| {
            docs[a.canonical as usize]
                .key
                .cmp(&docs[b.canonical as usize].key)
        })
    });
    for (i, c) in clusters.iter_mut().enumerate() {
        c.id = i as u32;
    }
    clusters
}

fn member_order(a: &Member, b: &Member, docs: &[BatchDoc]) -> std::cmp::Ordering {
    a.relation
        .strength()
        .cmp(&b.relation.strength())
        .then(b.similarity.total_cmp(&a.similarity))
        .then_with(|| docs[a.doc as usize].key.cmp(&docs[b.doc as usize].key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::sketch::sketch;

    fn doc(key: &str, text: &str, published: Option<i64>) -> BatchDoc {
        let s = sketch(text);
        BatchDoc {
            key: key.into(),
            meta: DocMeta {
                agency: false,
                published,
                words: s.fingerprint.words,
            },
            sketch: s,
        }
    }

    const TEXT: &str = "The city council voted on Tuesday to close the old market hall for two years of repairs, the mayor's office said in a statement.\n\n\
        Traders will move to a temporary site near the railway station, and the council promised to keep rents at their current level until the hall reopens.";

    #[test]
    fn order_does_not_matter_and_earliest_is_canonical() {
        let docs = vec![
            doc("late", &format!("{TEXT}\n\nShare this"), Some(20)),
            doc("early", TEXT, Some(10)),
            doc("alone", "Something else entirely happened in another town on another day, said nobody at all.", None),
        ];
        let mut reversed = docs.clone();
        reversed.reverse();
        for set in [&docs, &reversed] {
            let clusters = cluster_batch(set, IndexConfig::default());
            assert_eq!(clusters.len(), 2);
            assert_eq!(set[clusters[0].canonical as usize].key, "early");
            assert_eq!(clusters[0].members[1].relation, Relation::Exact);
            assert_eq!(clusters[1].members.len(), 1);
        }
    }
}

//! Reading an [`Index`] out: its clusters, its size, its band keys (for the
//! benchmark's candidate-recall measurement).

use super::*;

impl Index {
    /// Returns every cluster with its canonical and members.
    ///
    /// A member's relation and similarity are those of its match on insert,
    /// against the cluster's founding core. When the canonical is not the
    /// founder (the policy preferred a later member), the founder takes the
    /// canonical's relation, and other members keep theirs to the founder;
    /// callers holding all sketches can refine them with [`crate::dedup::compare()`].
    pub fn clusters(&self) -> Vec<Cluster> {
        let mut out: Vec<Cluster> = (0..self.cluster_canonical.len())
            .map(|id| {
                let canonical = self.cluster_canonical[id];
                Cluster {
                    id: id as u32,
                    canonical,
                    members: vec![Member {
                        doc: canonical,
                        relation: Relation::Canonical,
                        similarity: 1.0,
                    }],
                }
            })
            .collect();
        for (doc, &cluster) in self.doc_cluster.iter().enumerate() {
            let c = &mut out[cluster as usize];
            if doc as u32 == c.canonical {
                continue;
            }
            let (mut relation, mut similarity) = (self.doc_relation[doc], self.doc_similarity[doc]);
            if relation == Relation::Canonical {
                relation = self.doc_relation[c.canonical as usize];
                similarity = self.doc_similarity[c.canonical as usize];
            }
            c.members.push(Member {
                doc: doc as u32,
                relation,
                similarity: f64::from(similarity),
            });
        }
        out
    }

    /// Returns the bytes the index holds on the heap (capacities, not
    /// lengths; the exact-layer map is estimated from its capacity).
    pub fn heap_bytes(&self) -> usize {
        fn v<T>(x: &Vec<T>) -> usize {
            x.capacity() * std::mem::size_of::<T>()
        }
        let exact = self.exact.capacity() * (std::mem::size_of::<([u8; 16], u32)>() + 1);
        exact
            + self.table.heap_bytes()
            + v(&self.doc_cluster)
            + v(&self.doc_relation)
            + v(&self.doc_similarity)
            + v(&self.doc_meta)
            + v(&self.cluster_canonical)
            + v(&self.cluster_secondaries)
            + v(&self.core_doc)
            + v(&self.core_words)
            + v(&self.core_full)
            + v(&self.core_secondary)
            + v(&self.core_lead)
            + v(&self.shingle_off)
            + v(&self.shingles)
            + v(&self.anchor_off)
            + v(&self.anchors)
            + v(&self.number_off)
            + v(&self.numbers)
            + v(&self.skeleton_off)
            + v(&self.skeleton)
            + v(&self.sequence_off)
            + v(&self.sequence)
            + self.postings.heap_bytes()
    }

    /// Returns the band keys under which a sketch is filed and looked up:
    /// two documents are candidates for each other if and only if they share
    /// one. For measuring candidate recall; the index itself keys on the top
    /// 32 bits.
    pub fn band_keys(s: &Sketch) -> Vec<u64> {
        band_keys(&s.minhash, BAND_ROWS, SALT_MAIN)
            .chain(band_keys(&s.lead_minhash, BAND_ROWS, SALT_LEAD))
            .chain(band_keys(&s.anchor_minhash, BAND_ROWS, SALT_ANCHOR))
            .collect()
    }

    /// Returns the number of band-table entries (cores × bands).
    pub fn band_entries(&self) -> usize {
        self.table.len()
    }
}

//! The incremental clustering index: [`Index::insert`] places one sketch in
//! a cluster and returns its [`Assignment`].
//!
//! State: for every document its cluster, relation, similarity and
//! [`DocMeta`]; for every cluster its canonical; for every *core* (the
//! document that founded a cluster) its LSH band keys in one
//! [`BandTable`] and a compact copy of its features in flat arenas. It only
//! grows: an insert never moves an earlier document to another cluster.
//!
//! Chaining resistance: a new document is compared with cores only, never
//! with other members, so a chain A≈B≈C of small steps cannot pull an
//! unrelated C into A's cluster. The founder of a cluster is its primary
//! core. A member that joined as a rewrite or a distant near copy (Jaccard
//! below [`SECONDARY_FROM_JACCARD`]), or that is a fuller text of which
//! its core is an excerpt, becomes a *secondary* core (at most
//! [`MAX_SECONDARY_CORES`] per cluster): later documents may join through it
//! only by a literal match (near with Jaccard ≥ [`SECONDARY_NEAR_JACCARD`],
//! or excerpt), never by another rewrite, so chains stop after one weak hop.
//! The agency's own copy of a story whose core is a reprint of it (the
//! reprint was inserted first) also becomes a secondary core, so later
//! copies can match the original itself.
//!
//! Bands (measured on the corpus and the synthetic benchmark, see
//! `docs/dedup.md`): 24 bands of 2 rows on the 48-permutation whole-text
//! signature catch Jaccard 0.4 with probability 0.985 and 0.5 with 0.999;
//! 4 bands of 2 rows on the lead signature catch excerpts cut from the top,
//! whose whole-text Jaccard is only their share of the story; 4 bands of 2
//! rows on the anchor-pair signature catch synonym-spun rewrites.

use std::collections::HashMap;

use super::canonical::{CanonicalPolicy, DocMeta};
pub use super::cluster::{Assignment, Cluster, Member};
use super::compare::{sampled, Relation, View, FULL_SHINGLES, SAMPLE_MOD, SKELETON_SAMPLE_MOD};
use super::minhash::band_keys;
use super::place::{exact_key, place, CoreRef, CoreSource, Placement};
use super::sketch::{Sketch, LEAD_PERMUTATIONS};
use super::table::BandTable;

mod listing;
pub mod partial;
pub(crate) mod takes;

/// Rows per band, for every signature kind.
pub const BAND_ROWS: usize = 2;
/// At most this many candidates (those sharing the most bands) are verified.
pub const MAX_CANDIDATES: usize = 64;
/// An excerpt of a text more than this many times longer must share its
/// lead (except between two of the agency's own texts, see [`takes`]).
pub const EXCERPT_LEAD_RATIO: u32 = 2;
/// Minimum lead-signature agreement for such an excerpt.
pub const EXCERPT_LEAD_AGREEMENT: f64 = 0.25;

/// At most this many secondary cores per cluster.
pub const MAX_SECONDARY_CORES: u8 = 4;
/// A near match against a secondary core needs at least this Jaccard (not
/// just [`super::compare::NEAR_JACCARD`]): a text that is half one story and
/// half another must not join through a secondary core.
pub const SECONDARY_NEAR_JACCARD: f64 = 0.6;

/// A member that joined as near with a Jaccard below this becomes a
/// secondary core (its wording is far enough from the core's to matter).
pub const SECONDARY_FROM_JACCARD: f64 = 0.7;

const SALT_MAIN: u64 = 0;
const SALT_LEAD: u64 = 1 << 16;
const SALT_ANCHOR: u64 = 2 << 16;

/// Options of an [`Index`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IndexConfig {
    /// How each cluster's canonical is chosen. Default: agency first.
    pub policy: CanonicalPolicy,
}

/// The incremental clustering index. See the module docs.
#[derive(Debug, Default)]
pub struct Index {
    config: IndexConfig,
    exact: HashMap<[u8; 16], u32>,
    table: BandTable,
    // Per document.
    doc_cluster: Vec<u32>,
    doc_relation: Vec<Relation>,
    doc_similarity: Vec<f32>,
    doc_meta: Vec<DocMeta>,
    // Per cluster.
    cluster_canonical: Vec<u32>,
    cluster_secondaries: Vec<u8>,
    // Per core, with arenas indexed by offsets (len + 1 entries each).
    core_doc: Vec<u32>,
    core_words: Vec<u32>,
    core_full: Vec<bool>,
    core_secondary: Vec<bool>,
    core_lead: Vec<u32>,
    shingle_off: Vec<u32>,
    shingles: Vec<u32>,
    anchor_off: Vec<u32>,
    anchors: Vec<u16>,
    number_off: Vec<u32>,
    numbers: Vec<u32>,
    skeleton_off: Vec<u32>,
    skeleton: Vec<u32>,
    /// Word ids in text order (see [`partial`]), cut at
    /// [`partial::MAX_SEQUENCE`] words.
    sequence_off: Vec<u32>,
    sequence: Vec<u16>,
    /// Sampled shingle id → cores holding it (see [`partial`]).
    postings: BandTable,
    aligner: super::align::Aligner,
}

impl Index {
    /// Returns an empty index.
    pub fn new(config: IndexConfig) -> Index {
        Index {
            config,
            shingle_off: vec![0],
            anchor_off: vec![0],
            number_off: vec![0],
            skeleton_off: vec![0],
            sequence_off: vec![0],
            ..Index::default()
        }
    }

    /// Returns the number of documents inserted.
    pub fn len(&self) -> usize {
        self.doc_cluster.len()
    }

    /// Returns true if and only if nothing was inserted.
    pub fn is_empty(&self) -> bool {
        self.doc_cluster.is_empty()
    }

    /// Returns the number of clusters.
    pub fn cluster_count(&self) -> usize {
        self.cluster_canonical.len()
    }

    /// Places one document. It joins the cluster of the best-matching core
    /// (strongest relation, then highest similarity, then oldest core) or
    /// founds a new cluster. Earlier documents never move. The rules are
    /// [`super::place::place`]'s.
    pub fn insert(&mut self, sketch: &Sketch, meta: DocMeta) -> Assignment {
        let doc = u32::try_from(self.doc_cluster.len()).unwrap_or(u32::MAX - 1);
        let keys: Vec<u32> = Index::band_keys(sketch)
            .into_iter()
            .map(|k| (k >> 32) as u32)
            .collect();
        let mut aligner = std::mem::take(&mut self.aligner);
        let placed = place(sketch, &keys, &meta, self, &mut aligner);
        self.aligner = aligner;
        let placed = match placed {
            Ok(p) => p,
            Err(never) => match never {},
        };
        if let Placement::Exact(first) = placed {
            let cluster = self.doc_cluster[first as usize];
            return self.record(doc, cluster, Relation::Exact, 1.0, Some(first), meta);
        }
        self.exact.insert(exact_key(sketch), doc);
        match placed {
            Placement::Joined {
                core,
                found: m,
                secondary,
            } => {
                let c = core as usize;
                let cluster = self.doc_cluster[self.core_doc[c] as usize];
                let matched = Some(self.core_doc[c]);
                let secondaries = &mut self.cluster_secondaries[cluster as usize];
                if secondary && *secondaries < MAX_SECONDARY_CORES {
                    *secondaries += 1;
                    self.add_core(doc, sketch, &keys, true);
                }
                self.record(doc, cluster, m.relation, m.similarity, matched, meta)
            }
            Placement::Exact(_) | Placement::Founds => {
                let cluster = u32::try_from(self.cluster_canonical.len()).unwrap_or(u32::MAX);
                self.cluster_canonical.push(doc);
                self.cluster_secondaries.push(0);
                self.add_core(doc, sketch, &keys, false);
                self.record(doc, cluster, Relation::Canonical, 1.0, None, meta)
            }
        }
    }

    fn record(
        &mut self,
        doc: u32,
        cluster: u32,
        relation: Relation,
        similarity: f64,
        matched: Option<u32>,
        meta: DocMeta,
    ) -> Assignment {
        self.doc_cluster.push(cluster);
        self.doc_relation.push(relation);
        self.doc_similarity.push(similarity as f32);
        self.doc_meta.push(meta);
        let canonical = &mut self.cluster_canonical[cluster as usize];
        // A partial reprint is the story plus other material: never the
        // story's canonical version. The agency's own copy joining as the
        // original of an earlier partial reprint is ([`partial`]).
        if (relation != Relation::Partial || meta.agency)
            && *canonical != doc
            && self
                .config
                .policy
                .prefers(&meta, &self.doc_meta[*canonical as usize])
        {
            *canonical = doc;
        }
        Assignment {
            doc,
            cluster,
            relation,
            similarity,
            matched,
        }
    }

    fn core_view(&self, core: usize) -> View<'_> {
        let r = |off: &[u32]| off[core] as usize..off[core + 1] as usize;
        View {
            shingles: &self.shingles[r(&self.shingle_off)],
            full: self.core_full[core],
            words: self.core_words[core],
            anchors: &self.anchors[r(&self.anchor_off)],
            numbers: &self.numbers[r(&self.number_off)],
            skeleton: &self.skeleton[r(&self.skeleton_off)],
        }
    }

    fn add_core(&mut self, doc: u32, s: &Sketch, keys: &[u32], secondary: bool) {
        let core = u32::try_from(self.core_doc.len()).unwrap_or(u32::MAX - 1);
        self.core_doc.push(doc);
        self.core_words.push(s.fingerprint.words);
        let full = s.shingles.len() <= FULL_SHINGLES;
        self.core_full.push(full);
        self.core_secondary.push(secondary);
        extend(&mut self.core_lead, s.lead_minhash.iter().copied());
        if full {
            extend(&mut self.shingles, s.shingles.iter().copied());
            extend(&mut self.skeleton, s.skeleton.iter().copied());
        } else {
            extend_sampled(&mut self.shingles, &s.shingles, SAMPLE_MOD);
            extend_sampled(&mut self.skeleton, &s.skeleton, SKELETON_SAMPLE_MOD);
        }
        self.skeleton_off.push(offset(self.skeleton.len()));
        self.shingle_off.push(offset(self.shingles.len()));
        extend(&mut self.anchors, s.anchors.iter().copied());
        self.anchor_off.push(offset(self.anchors.len()));
        extend(&mut self.numbers, s.numbers.iter().copied());
        self.number_off.push(offset(self.numbers.len()));
        for &k in keys {
            self.table.insert(k, core);
        }
        self.add_partial_features(core, s);
    }

    /// Returns the cluster of a document, if it was inserted.
    pub fn cluster_of(&self, doc: u32) -> Option<u32> {
        self.doc_cluster.get(doc as usize).copied()
    }

    /// Returns the current canonical document of a cluster, if it exists.
    pub fn canonical_of(&self, cluster: u32) -> Option<u32> {
        self.cluster_canonical.get(cluster as usize).copied()
    }
}

/// The in-memory index answers [`super::place::place`] from its arenas.
impl CoreSource for Index {
    type Core = u32;
    type Doc = u32;
    type Error = std::convert::Infallible;

    fn exact(&mut self, key: &[u8; 16]) -> Result<Option<u32>, Self::Error> {
        Ok(self.exact.get(key).copied())
    }

    fn band_candidates(&mut self, keys: &[u32]) -> Result<Vec<u32>, Self::Error> {
        let mut hits = Vec::new();
        for &k in keys {
            self.table.get(k, |core| hits.push(core));
        }
        Ok(most_shared(hits, 1, MAX_CANDIDATES))
    }

    fn posting_candidates(&mut self, ids: &[u32], min_hits: u32) -> Result<Vec<u32>, Self::Error> {
        let mut hits: Vec<u32> = Vec::new();
        for &id in ids {
            self.postings.get(id, |core| hits.push(core));
        }
        Ok(most_shared(hits, min_hits, partial::MAX_ALIGNED))
    }

    fn core(&self, core: u32) -> CoreRef<'_> {
        let c = core as usize;
        let r = |off: &[u32]| off[c] as usize..off[c + 1] as usize;
        CoreRef {
            view: self.core_view(c),
            secondary: self.core_secondary[c],
            lead: &self.core_lead[c * LEAD_PERMUTATIONS..(c + 1) * LEAD_PERMUTATIONS],
            sequence: &self.sequence[r(&self.sequence_off)],
            meta: self.doc_meta[self.core_doc[c] as usize],
        }
    }
}

/// Returns the distinct cores of `hits` that occur at least `min` times,
/// most frequent first (ties: oldest core first), at most `max` of them.
fn most_shared(mut hits: Vec<u32>, min: u32, max: usize) -> Vec<u32> {
    hits.sort_unstable();
    let mut counted: Vec<(u32, u32)> = Vec::new();
    for core in hits {
        match counted.last_mut() {
            Some((c, n)) if *c == core => *n += 1,
            _ => counted.push((core, 1)),
        }
    }
    counted.retain(|&(_, n)| n >= min);
    counted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counted.truncate(max);
    counted.into_iter().map(|(c, _)| c).collect()
}

/// Appends to an arena, growing it by half its size rather than doubling:
/// the arenas are most of the index, and doubling wastes a third on average.
fn extend<T>(v: &mut Vec<T>, items: impl Iterator<Item = T>) {
    let n = items.size_hint().1.unwrap_or(0);
    if v.len() + n > v.capacity() {
        v.reserve_exact((v.capacity() / 2).max(n).max(1024));
    }
    v.extend(items);
}

/// Appends the ids of `ids` in the MOD-`modulus` sample to `v`. Whether a
/// hash is sampled is a coin flip to the processor, so every id is written
/// and the end only moves on for sampled ones, without a branch.
fn extend_sampled(v: &mut Vec<u32>, ids: &[u32], modulus: u32) {
    let start = v.len();
    extend(v, std::iter::repeat_n(0, ids.len()));
    let mut end = start;
    for &id in ids {
        // `end` never passes the ids written so far, so it stays in bounds.
        v[end] = id;
        end += usize::from(sampled(id, modulus));
    }
    v.truncate(end);
}

fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;

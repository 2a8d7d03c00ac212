//! The dedup stage: article text → [`Sketch`] → clusters of reprints.
//!
//! Sync and free of I/O. The layers, each in its own file:
//!
//! * [`normalize`]: the line filter for raw page text, agency credits,
//!   NFKD/case/look-alike/spelling folding → words; [`dateline`] cuts
//!   agency datelines;
//! * [`shingle`]: fixed hashes of words, 3-word shingles, the lead,
//!   names-and-numbers anchors;
//! * [`mod@sketch`]: the exact layer (SHA-256 of the normalised words), the near
//!   layer (64-bit [`simhash`]) and the [`minhash`] signatures, pinned by
//!   [`FINGERPRINT_VERSION`]; a [`Sketcher`] sketches text after text with
//!   the same buffers;
//! * [`mod@compare`]: verification of a candidate pair (Jaccard, containment,
//!   anchors, the numbers rule) → [`Relation`];
//! * [`index`]: the incremental, chaining-resistant [`Index`] over LSH bands
//!   ([`table`]), with the [`CanonicalPolicy`] of [`canonical`]; it answers
//!   with the types of [`cluster`];
//! * [`place`]: the matching rules of one insert, over any
//!   [`CoreSource`] (the in-memory arenas, or the store's key tables);
//!   [`mod@core`] and [`codec`] give a core's features a stored form;
//! * [`batch`]: clustering a whole set at once, independent of input order;
//! * [`eval`]: pairwise and B-cubed scores against labels.
//!
//! # Example
//!
//! ```
//! use wirecopy::dedup::{sketch, DocMeta, Index, IndexConfig, Relation};
//!
//! let story = "Russia is ready to continue its security dialogue with the United States \
//!     and NATO, Foreign Minister Sergei Lavrov told President Vladimir Putin on Monday. \
//!     Lavrov said Russia's response to the US proposals was set out in a 10-page document.";
//! let reprint = format!("MOSCOW, Feb 14. /TASS/. {story}\n\nRead also: Putin meets Lavrov");
//! let mut index = Index::new(IndexConfig::default());
//! let a = index.insert(&sketch(story), DocMeta::default());
//! let b = index.insert(&sketch(&reprint), DocMeta::default());
//! assert_eq!(a.cluster, b.cluster);
//! assert_eq!(b.relation, Relation::Exact);
//! ```

pub mod align;
pub mod batch;
pub mod canonical;
pub mod cluster;
pub mod codec;
pub mod compare;
pub mod core;
pub mod dateline;
mod distinct;
pub mod eval;
pub mod index;
mod lexicon;
pub mod minhash;
pub mod normalize;
pub mod place;
mod radix;
pub mod shingle;
pub mod simhash;
pub mod sketch;
mod spelling;
pub mod table;
mod wordset;

pub use batch::{cluster_batch, BatchDoc};
pub use canonical::{CanonicalPolicy, DocMeta};
pub use compare::{compare, Match, Relation};
pub use core::{CoreFeatures, StoredCore};
pub use index::{Assignment, Cluster, Index, IndexConfig, Member};
pub use place::{place, CoreRef, CoreSource, Placement};
pub use sketch::{sketch, Fingerprint, Sketch, Sketcher, FINGERPRINT_VERSION};

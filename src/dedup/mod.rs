//! The dedup stage: articles → fingerprints → clusters of reprints.

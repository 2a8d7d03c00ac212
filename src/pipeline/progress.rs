//! The run's progress for a terminal line: article pages fetched out of
//! those found so far, with the run's counts.
//!
//! A [`Tally`] is shared by the outlet tasks of one run. Each adds the
//! article links it will fetch once its discovery is done (so the total
//! grows while outlets are still discovering), and one per page fetched;
//! the [`Progress`] callback then gets a [`RunProgress`] after every article.
//! Counting the links costs one store look-up each, so it is done only when
//! a callback is set.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::store::RunCounts;

/// What a progress callback is told after every article.
#[derive(Clone, Copy, Debug)]
pub struct RunProgress<'a> {
    /// The run's counts so far.
    pub counts: &'a RunCounts,
    /// Article pages fetched so far.
    pub done: u64,
    /// Article pages to fetch found so far, over the outlets discovered yet.
    pub total: u64,
}

/// Called after every article (for a progress line).
pub type Progress = Arc<dyn Fn(&RunProgress<'_>) + Send + Sync>;

/// Pages found and fetched, shared by the outlet tasks of one run.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    found: AtomicU64,
    done: AtomicU64,
}

impl Tally {
    /// Adds `n` article pages to fetch.
    pub(crate) fn found(&self, n: u64) {
        self.found.fetch_add(n, Ordering::Relaxed);
    }

    /// Counts one page fetched; returns `(done, total)`.
    pub(crate) fn fetched(&self) -> (u64, u64) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        // A page can be fetched before a slower outlet's links are added;
        // the total never reads below what is done.
        (done, self.found.load(Ordering::Relaxed).max(done))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pages_against_the_links_found() {
        let tally = Tally::default();
        tally.found(3);
        assert_eq!(tally.fetched(), (1, 3));
        tally.found(2);
        assert_eq!(tally.fetched(), (2, 5));
        let empty = Tally::default();
        assert_eq!(empty.fetched(), (1, 1), "never below done");
    }
}

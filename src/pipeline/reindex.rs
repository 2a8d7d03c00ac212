//! `wirecopy reindex`: the dedup index rebuilt from the stored texts, an
//! explicit, resumable migration instead of a hidden cost of the next run.
//!
//! Needed when [`crate::dedup::FINGERPRINT_VERSION`] changes (stored keys
//! and features would no longer compare with new ones) and once for a
//! database from before the index lived in the store. [`reindex`] empties
//! the index, then re-files every article in id order, as the runs that
//! stored them filed them: each article is sketched again, placed against
//! the articles re-filed before it that were published or fetched within
//! the match window *ending at its own fetch time*, and its new fingerprint
//! columns and index entry are written in one transaction with the
//! reindex's position. Killed anywhere, it resumes after the last article
//! it finished; runs refuse to match until it is done.
//!
//! Clusters are not touched: membership, canonicals and review decisions
//! are the store's, and reindexing only rebuilds what future articles are
//! matched against.

use crate::dedup::align::Aligner;
use crate::dedup::{DocMeta, Sketcher};
use crate::store::{
    CandidateScope, Error as StoreError, MatchWindow, ReindexProgress, Reindexed, Store,
};

use super::lookup::place_stored;

/// How to reindex.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReindexOptions {
    /// `match_window_days`: how far back each article looks (0: no window).
    pub window_days: u32,
    /// Start over even if a reindex of this version is under way or done.
    pub restart: bool,
    /// Articles read from the store at a time.
    pub batch: usize,
}

impl Default for ReindexOptions {
    fn default() -> ReindexOptions {
        ReindexOptions {
            window_days: 30,
            restart: false,
            batch: 500,
        }
    }
}

/// Rebuilds the store's dedup index (see the module docs), calling
/// `progress` after every batch. Returns where it ended.
///
/// Errors if the store fails; what was re-filed stays, and calling it again
/// resumes.
pub fn reindex(
    store: &mut dyn Store,
    options: &ReindexOptions,
    progress: &mut dyn FnMut(&ReindexProgress),
) -> Result<ReindexProgress, StoreError> {
    let mut at = store.begin_reindex(options.restart)?;
    progress(&at);
    let mut sketcher = Sketcher::new();
    let mut aligner = Aligner::new();
    loop {
        let batch = store.reindex_batch(at.after, options.batch.max(1))?;
        if batch.is_empty() {
            break;
        }
        let window_of = |fetched_at: &str| {
            let end = chrono::DateTime::parse_from_rfc3339(fetched_at)
                .map(|t| t.with_timezone(&chrono::Utc))
                .unwrap_or_else(|_| chrono::Utc::now());
            MatchWindow::days(options.window_days, end)
        };
        // The earliest window of the batch bounds the others from below.
        let earliest = batch.iter().map(|a| a.fetched_at.as_str()).min();
        let floor = store.candidate_floor(earliest.and_then(window_of).as_ref())?;
        for a in &batch {
            let s = sketcher.sketch(&a.text);
            let meta = DocMeta {
                agency: a.agency_own,
                published: a.published_ts,
                words: s.fingerprint.words,
            };
            let scope = CandidateScope {
                window: window_of(&a.fetched_at),
                floor,
            };
            let placed = place_stored(&*store, &scope, &s, meta, &mut aligner)?;
            store.save_reindexed(&Reindexed {
                article: a.id,
                normalized: sketcher.tokens().joined(),
                fingerprint: &s.fingerprint,
                entry: &placed.entry,
            })?;
            at.after = a.id;
            at.done += 1;
        }
        progress(&at);
    }
    store.finish_reindex()?;
    at.total = at.total.max(at.done);
    Ok(at)
}

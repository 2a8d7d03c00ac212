//! How two texts of the agency itself relate: takes, substitutes and
//! write-throughs of one story, or the next day's follow-up.
//!
//! An agency sends a story in parts and versions: a first take, a second
//! take that opens with a one-sentence recap and goes on with the later
//! paragraphs, a substitute with a correction, a write-through that puts it
//! all together. These hold most of one another, so the excerpt and near
//! rules of [`crate::dedup::compare`] join them, with one exception made
//! here: a second take does not start with the first take's lead, so the
//! lead rule for short excerpts of long texts ([`super::EXCERPT_LEAD_RATIO`]:
//! other short texts taken from the middle of a long one are left to the
//! partial rule, which flags them for review) does not apply between two of
//! the agency's own texts.
//!
//! The next morning the agency may send a follow-up that repeats the whole
//! of the earlier copy with "today" turned into "yesterday" and new
//! paragraphs added. That is another story (the METER corpus counts it as
//! one, and a monitor wants the day's new item apart from the day before's).
//! The alignment of the two texts shows the shift of day inside a shared
//! passage ([`crate::dedup::align::Alignment::day_shifts`]), and the pair is
//! then not joined. A newspaper that prints the copy the next morning makes
//! the same change, which is why the rule is kept to the agency's own texts.
//!
//! Since the follow-up retells the earlier copy, a newspaper's story built
//! on that copy aligns with both, and best with the follow-up, which holds
//! the whole story. It joins the earlier text's cluster when it shares a
//! reprint's length of passages with it ([`original_of`]): the copy it took
//! was the day's story first.

use crate::dedup::align::{Aligner, Alignment};
use crate::dedup::canonical::DocMeta;
use crate::dedup::compare::Match;
use crate::dedup::place::{CoreRef, CoreSource};
use crate::dedup::sketch::Sketch;

/// Returns true if and only if `meta` and the document of `core` are both
/// the agency's own copy.
pub(crate) fn own_copies(meta: &DocMeta, core: &CoreRef<'_>) -> bool {
    meta.agency && core.meta.agency
}

/// Returns true if and only if `s` and `core` share a passage in which one
/// says "today" where the other says "yesterday".
pub(crate) fn written_a_day_apart(s: &Sketch, core: &CoreRef<'_>, aligner: &mut Aligner) -> bool {
    aligner.align(&s.sequence, core.sequence).day_shifts > 0
}

/// An agency text a new text shares passages with: its place among the
/// candidates aligned, the core, and the partial match their passages
/// describe (decided or not).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shared<C> {
    pub(crate) at: usize,
    pub(crate) core: C,
    pub(crate) found: Match,
    /// True if and only if the new text is the later of the two: it says
    /// "yesterday" where the agency text says "today".
    pub(crate) later: bool,
}

/// Returns the agency text a reprint should join instead of the agency
/// text it matched best (`later`, the `at`-th candidate), when `later` is
/// the next day's follow-up of a text it also shares passages with.
///
/// The follow-up repeats the earlier copy, so a reprint of that copy
/// shares passages with both, and with the follow-up most, since that one
/// holds the whole story told again. The copy came first, though: the
/// reprint belongs with the day's story, and the follow-up, which the
/// rule above keeps apart from it, is the next day's story. A copy of the
/// follow-up itself, which has the follow-up's "yesterday" where the
/// earlier copy says "today", stays with it. Of the
/// texts in `shared` (each sharing at least as many words as a partial reprint
/// with the reprint, [`crate::dedup::compare::PARTIAL_MIN_WORDS`]), the one with the most is returned whose alignment
/// with `later` shows the shift of day with `later` as the later text.
pub(crate) fn original_of<S: CoreSource>(
    at: usize,
    later: S::Core,
    shared: &[Shared<S::Core>],
    source: &S,
    aligner: &mut Aligner,
) -> Option<Shared<S::Core>> {
    let later = source.core(later).sequence;
    let mut earlier: Option<Shared<S::Core>> = None;
    // A text that says "yesterday" where the earlier copy says "today" took
    // the follow-up's wording: it is a copy of the follow-up, and stays.
    for candidate in shared.iter().filter(|c| c.at != at && !c.later) {
        if earlier.is_some_and(|e| e.found.similarity >= candidate.found.similarity) {
            continue;
        }
        let first = source.core(candidate.core).sequence;
        if second_is_later(first, later, aligner) {
            earlier = Some(*candidate);
        }
    }
    earlier
}

/// Returns true if and only if `first` and `second` share a passage in
/// which `second` says "yesterday" where `first` says "today", and no
/// more passages the other way round.
fn second_is_later(first: &[u16], second: &[u16], aligner: &mut Aligner) -> bool {
    let al = aligner.align(first, second);
    let (first_later, second_later) = later_counts(&al, first.len(), second.len());
    second_later > first_later
}

/// Returns how many passages show each text as the later one (saying
/// "yesterday" where the other says "today"): `(first, second)`, for `al`
/// the alignment `align(first, second)` of texts of these lengths. The
/// aligner measures the shorter text, and of two of one length the first.
pub(crate) fn later_counts(al: &Alignment, first: usize, second: usize) -> (u32, u32) {
    let shorter_later = al.shorter_later;
    let longer_later = al.day_shifts - shorter_later;
    if first <= second {
        (shorter_later, longer_later)
    } else {
        (longer_later, shorter_later)
    }
}

#[cfg(test)]
mod tests {
    use crate::dedup::canonical::DocMeta;
    use crate::dedup::compare::Relation;
    use crate::dedup::index::{Index, IndexConfig};
    use crate::dedup::sketch::sketch;

    /// An invented agency story of eight paragraphs.
    const PARAGRAPHS: [&str; 8] = [
        "The harbour board of Keldmouth voted on Monday to close the old ferry pier for a year of repairs, it was announced today.",
        "Engineers found cracks in three of the pier's twelve supports during an inspection in the spring, the board said in a statement.",
        "Ferries to the islands will use the cargo quay on the north side of the harbour from the first of next month.",
        "The board's chairman said the repairs would cost about 9 million crowns and that the pier would reopen before next summer.",
        "Islanders have asked for a shuttle bus between the cargo quay and the town centre, which is a twenty minute walk away.",
        "The pier was built in 1911 and last repaired in the nineteen seventies, when its wooden deck was replaced with concrete.",
        "Local traders said they feared losing the visitors who walk past their shops on the way to the boats every morning.",
        "The board promised to put up signs and to keep the footpath along the harbour wall open while the work goes on.",
    ];

    fn agency() -> DocMeta {
        DocMeta {
            agency: true,
            ..DocMeta::default()
        }
    }

    #[test]
    fn a_second_take_joins_the_story_though_it_skips_the_lead() {
        let story = PARAGRAPHS.join("\n\n");
        let take2 = format!(
            "The Keldmouth harbour board will close the old ferry pier for repairs.\n\n{}",
            PARAGRAPHS[5..].join("\n\n")
        );
        let mut index = Index::new(IndexConfig::default());
        let first = index.insert(&sketch(&story), agency());
        let second = index.insert(&sketch(&take2), agency());
        assert_eq!(
            (second.cluster, second.relation),
            (first.cluster, Relation::Excerpt)
        );
        // Of two texts not known to be the agency's, the short one that
        // skips the long one's lead is not an excerpt; the partial rule
        // decides it.
        let mut index = Index::new(IndexConfig::default());
        index.insert(&sketch(&story), DocMeta::default());
        let second = index.insert(&sketch(&take2), DocMeta::default());
        assert_eq!(second.relation, Relation::Partial);
    }

    #[test]
    fn a_reprint_of_the_days_copy_joins_it_not_the_next_days_follow_up() {
        let day_one = PARAGRAPHS[..4].join("\n\n");
        let next_day = format!(
            "{}\n\n{}",
            day_one.replace("it was announced today", "it was announced yesterday"),
            PARAGRAPHS[4..].join("\n\n")
        );
        // A newspaper's story: its own lead and close around two of the
        // day's paragraphs and one that only the follow-up carries.
        let paper = format!(
            "Keldmouth will lose its ferry pier for a year, and islanders are not pleased.\n\n{}\n\n{}\n\n{}\n\n\
             Our reporter spent a morning on the quay, where the mood among the waiting passengers was grim.",
            PARAGRAPHS[1], PARAGRAPHS[3], PARAGRAPHS[6]
        );
        let mut index = Index::new(IndexConfig::default());
        let first = index.insert(&sketch(&day_one), agency());
        let follow_up = index.insert(&sketch(&next_day), agency());
        assert_ne!(follow_up.cluster, first.cluster);
        let reprint = index.insert(&sketch(&paper), DocMeta::default());
        assert_eq!(
            (reprint.cluster, reprint.relation),
            (first.cluster, Relation::Partial)
        );
        // A story that took the follow-up's wording ("it was announced
        // yesterday" where the day's copy says "today") stays with it.
        let follow_up_paper = format!(
            "Keldmouth will lose its ferry pier for a year, and islanders are not pleased.\n\n{}\n\n{}\n\n{}\n\n\
             Our reporter spent a morning on the quay, where the mood among the waiting passengers was grim.",
            PARAGRAPHS[0].replace("it was announced today", "it was announced yesterday"),
            PARAGRAPHS[1],
            PARAGRAPHS[6]
        );
        let reprint = index.insert(&sketch(&follow_up_paper), DocMeta::default());
        assert_eq!(
            (reprint.cluster, reprint.relation),
            (follow_up.cluster, Relation::Partial)
        );
        // Without the day's copy in the index, the follow-up is its source.
        let mut index = Index::new(IndexConfig::default());
        let follow_up = index.insert(&sketch(&next_day), agency());
        let reprint = index.insert(&sketch(&paper), DocMeta::default());
        assert_eq!(
            (reprint.cluster, reprint.relation),
            (follow_up.cluster, Relation::Partial)
        );
        // Nor is a same-day version of the copy passed over for another.
        let mut index = Index::new(IndexConfig::default());
        let first = index.insert(&sketch(&day_one), agency());
        let substitute = index.insert(&sketch(&next_day.replace("yesterday", "today")), agency());
        let reprint = index.insert(&sketch(&paper), DocMeta::default());
        assert_eq!(substitute.cluster, first.cluster);
        assert_eq!(reprint.cluster, first.cluster);
    }

    #[test]
    fn the_agencys_next_day_follow_up_is_another_story_but_a_reprint_is_not() {
        let day_one = PARAGRAPHS[..4].join("\n\n");
        let next_day = format!(
            "{}\n\n{}\n\nThe board will meet the islanders' council on Thursday to discuss the timetable.",
            day_one.replace("it was announced today", "it was announced yesterday"),
            PARAGRAPHS[4..].join("\n\n")
        );
        let mut index = Index::new(IndexConfig::default());
        let first = index.insert(&sketch(&day_one), agency());
        let follow_up = index.insert(&sketch(&next_day), agency());
        assert_ne!(follow_up.cluster, first.cluster);

        // The same change in a newspaper's copy of the story is routine.
        let mut index = Index::new(IndexConfig::default());
        let first = index.insert(&sketch(&day_one), agency());
        let paper = day_one.replace("it was announced today", "it was announced yesterday");
        let reprint = index.insert(&sketch(&paper), DocMeta::default());
        assert_eq!(reprint.cluster, first.cluster);
        // And the same copy sent again the same day joins.
        let mut index = Index::new(IndexConfig::default());
        let first = index.insert(&sketch(&day_one), agency());
        let again = format!("{day_one}\n\n{}", PARAGRAPHS[4]);
        let substitute = index.insert(&sketch(&again), agency());
        assert_eq!(substitute.cluster, first.cluster);
    }
}

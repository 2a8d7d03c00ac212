//! Day words, and the day shift between two aligned texts.
//!
//! Copy written for the day's news says "today" and "tonight"; the same copy
//! rewritten the next morning says "yesterday". So when two texts share a
//! passage and, in the gaps inside it, one says "today" where the other says
//! "yesterday", one of them was written a day after the other.
//! [`super::Alignment::day_shifts`] counts such passages.
//!
//! What the shift means depends on who wrote the two texts. A newspaper
//! prints agency copy the next morning and turns its "today" into
//! "yesterday" as a matter of routine, so between a reprint and its source
//! the shift says nothing. Between two texts of the agency itself it marks
//! the next day's follow-up, which repeats the earlier copy and is another
//! story; the index uses it there only ([`crate::dedup::index`]).
//!
//! Only words that name the day alone are listed, in the languages whose
//! agencies wirecopy is used on most; a word that is also common with
//! another meaning in another language (French "hier", German "here") is
//! left out. The ids are computed with the normaliser itself, so they fold
//! exactly as the texts' words do.

use super::sequence_id;
use crate::dedup::normalize::tokens;

/// Words that say the event is of the day the text was written.
const TODAY: &[&str] = &[
    "today",
    "tonight",
    "сегодня",
    "heute",
    "aujourd'hui",
    "hoy",
    "oggi",
];

/// Words that say the event was the day before.
const YESTERDAY: &[&str] = &["yesterday", "вчера", "gestern", "ayer", "ieri"];

/// Which days a stretch of words names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Days {
    today: bool,
    yesterday: bool,
}

impl Days {
    /// Returns the days named by either stretch.
    pub(super) fn or(self, other: Days) -> Days {
        Days {
            today: self.today || other.today,
            yesterday: self.yesterday || other.yesterday,
        }
    }

    /// Returns true if one stretch says "today" where the other says
    /// "yesterday".
    pub(super) fn shifted_from(self, other: Days) -> bool {
        (self.today && other.yesterday) || (self.yesterday && other.today)
    }

    /// Returns true if this stretch says "yesterday" where the other says
    /// "today": it was written the day after.
    pub(super) fn later_than(self, other: Days) -> bool {
        self.yesterday && other.today
    }
}

/// The sequence ids of the day words.
#[derive(Clone, Debug)]
pub(super) struct DayWords {
    today: Vec<u16>,
    yesterday: Vec<u16>,
}

impl Default for DayWords {
    fn default() -> DayWords {
        let ids = |words: &[&str]| -> Vec<u16> {
            words
                .iter()
                .filter_map(|w| match tokens(w).items() {
                    [one] => Some(sequence_id(one)),
                    _ => None,
                })
                .collect()
        };
        DayWords {
            today: ids(TODAY),
            yesterday: ids(YESTERDAY),
        }
    }
}

impl DayWords {
    /// Returns the days that the words with sequence ids `ids` name.
    pub(super) fn named_in(&self, ids: &[u16]) -> Days {
        Days {
            today: ids.iter().any(|id| self.today.contains(id)),
            yesterday: ids.iter().any(|id| self.yesterday.contains(id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_word_is_one_word_after_normalisation() {
        let days = DayWords::default();
        assert_eq!(days.today.len(), TODAY.len());
        assert_eq!(days.yesterday.len(), YESTERDAY.len());
        for id in &days.today {
            assert!(!days.yesterday.contains(id));
        }
    }

    #[test]
    fn case_and_script_fold_as_in_the_texts() {
        let days = DayWords::default();
        let ids =
            |text: &str| -> Vec<u16> { tokens(text).items().iter().map(sequence_id).collect() };
        assert_eq!(
            days.named_in(&ids("It was announced TODAY")),
            Days {
                today: true,
                yesterday: false
            }
        );
        assert!(days.named_in(&ids("Вчера в Москве")).yesterday);
        assert_eq!(days.named_in(&ids("the band said")), Days::default());
        let today = days.named_in(&ids("today"));
        assert!(today.shifted_from(days.named_in(&ids("yesterday"))));
        assert!(!today.shifted_from(today));
        assert!(!today.or(Days::default()).shifted_from(Days::default()));
    }
}

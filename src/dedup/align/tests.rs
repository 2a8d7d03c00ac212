//! Tests of the alignment: tiles, passages, number changes, day shifts.
use super::*;

fn ids(text: &str) -> Vec<u16> {
    text.split_whitespace()
        .map(|w| (crate::dedup::shingle::word_hash(w) >> 49) as u16)
        .collect()
}

#[test]
fn a_copy_is_one_passage() {
    let t = ids("the council voted on tuesday to close the old market hall for two years of repairs said the mayor");
    let a = align(&t, &t);
    assert_eq!((a.tiled, a.longest, a.passages), (19, 19, 1));
    assert!((a.coverage() - 1.0).abs() < 1e-9);
}

#[test]
fn substitutions_stay_inside_one_passage() {
    let x = ids("the council voted on tuesday to close the old market hall for two years of repairs said the mayor of the town");
    let y = ids("the council voted yesterday to close the old market hall for two years of building work said the mayor of the town");
    let a = align(&x, &y);
    assert_eq!(a.passages, 1, "{a:?}");
    assert!(a.longest >= 15, "{a:?}");
    assert!(a.tiled < a.longest);
}

#[test]
fn reordered_paragraphs_are_separate_passages() {
    let p1 = "the council voted on tuesday to close the old market hall for two years";
    let p2 = "traders will move to a temporary site near the railway station in the spring";
    let x = ids(&format!("{p1} {p2}"));
    let y = ids(&format!("{p2} and then {p1}"));
    let a = align(&x, &y);
    assert_eq!(a.passages, 2, "{a:?}");
    assert_eq!(a.tiled as usize, x.len());
}

#[test]
fn numbers_that_differ_at_a_tiles_end_are_counted_and_void_the_passage() {
    let number = |id: u16| id | NUMBER_BIT;
    let words = ids("the index rose points to close at a record level on tuesday");
    // "... rose 14 points ... at 2318 ..." against "... rose 9 points ... at 2327 ...".
    let with = |a: u16, b: u16| {
        let mut v = words[..3].to_vec();
        v.push(number(a));
        v.extend_from_slice(&words[3..7]);
        v.push(number(b));
        v.extend_from_slice(&words[7..]);
        v
    };
    let (x, y) = (with(14, 2318), with(9, 2327));
    let a = align(&x, &y);
    // "the index rose" is a tile too now: four tile ends at a changed figure.
    assert_eq!(a.number_changes, 4, "{a:?}");
    // One passage across the changed figures, and it does not count.
    assert_eq!((a.passages, a.spanned), (0, 0), "{a:?}");
    let same = align(&x, &x);
    assert_eq!((same.number_changes, same.passages), (0, 1));
}

#[test]
fn shared_words_out_of_order_are_not_a_passage() {
    let x = ids("lavrov met blinken in geneva on friday to discuss security guarantees and troops");
    let y = ids(
        "troops and security guarantees were discussed when blinken met lavrov on friday in geneva",
    );
    let a = align(&x, &y);
    assert_eq!((a.tiled, a.passages), (0, 0), "{a:?}");
    assert_eq!(
        align(&[], &x),
        Alignment {
            first: u32::MAX,
            long_words: x.len() as u32,
            ..Alignment::default()
        }
    );
}

#[test]
fn today_against_yesterday_inside_a_passage_is_a_day_shift() {
    let day = |when: &str| {
        crate::dedup::sketch::sketch(&format!(
            "The harbour board of Keldmouth voted to close the old ferry pier for a year of repairs, it was announced {when}. \
             Engineers found cracks in three of the pier's twelve supports during an inspection in the spring, the board said."
        ))
        .sequence
    };
    let a = align(&day("today"), &day("yesterday"));
    assert_eq!((a.passages, a.day_shifts), (1, 1), "{a:?}");
    // Of two texts of one length the first is measured as the shorter.
    assert_eq!(a.shorter_later, 0, "{a:?}");
    assert_eq!(align(&day("yesterday"), &day("today")).shorter_later, 1);
    assert_eq!(align(&day("today"), &day("today")).day_shifts, 0);
    assert_eq!(align(&day("today"), &day("on monday")).day_shifts, 0);
}

#[test]
fn chance_phrases_a_gap_apart_do_not_hide_a_verbatim_run() {
    // Three-word phrases both texts happen to share, each 18 words from the
    // next with other words between, then a 25-word run copied word for
    // word. Chained together they would be mostly gaps and dropped, the
    // copied run with them.
    let mut next = 100u16;
    let mut fresh = |n: usize| -> Vec<u16> {
        (0..n)
            .map(|_| {
                next += 1;
                next
            })
            .collect()
    };
    let phrases: Vec<Vec<u16>> = (0..3).map(|_| fresh(3)).collect();
    let run = fresh(25);
    let mut a = Vec::new();
    let mut b = Vec::new();
    for p in &phrases {
        a.extend(p);
        a.extend(fresh(18));
        b.extend(p);
        b.extend(fresh(18));
    }
    a.extend(&run);
    b.extend(&run);
    a.extend(fresh(30));
    b.extend(fresh(30));
    let al = align(&a, &b);
    assert!(al.longest >= 25 && al.spanned >= 25, "{al:?}");
}

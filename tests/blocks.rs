//! The learned block decision (`src/clean/model/`): what a model may change
//! and what it may not, with hand-written models over the invented pages of
//! `fixtures/blocks/` (no benchmark figure is asserted here).

use wirecopy::clean::{BlockModel, Cleaner, FEATURE_NAMES};

use crate::util::fixtures;

fn page(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("blocks").join(name)).expect("fixtures/blocks page")
}

/// A model of one stump whose two leaves are `left` and `right` log-odds.
fn stump(feature: &str, threshold: f32, left: f32, right: f32) -> BlockModel {
    let f = FEATURE_NAMES
        .iter()
        .position(|&n| n == feature)
        .expect("a known feature");
    let text = format!(
        "wirecopy-block-model 1\nfeatures {}\ndepth 1\ncut 0.5 0.5\nbase 0\ntree {f}:{threshold} | {left} {right}\n",
        FEATURE_NAMES.join(" ")
    );
    BlockModel::parse(&text).expect("a valid stump")
}

const CARD: &str = "Dutch hoe with a hardened steel head";
const INTRO: &str = "Hand tools for digging, pruning and weeding";
const HEADING: &str = "Garden tools";

#[test]
fn no_model_is_set_by_default() {
    let html = page("card_catalogue.html");
    let default = Cleaner::default().clean(&html, None).expect("text").text;
    let hand = Cleaner::default()
        .block_model(None)
        .clean(&html, None)
        .expect("text")
        .text;
    assert_eq!(default, hand);
    // The hand rules keep the intro and the cards, not the page's heading.
    assert!(hand.contains(INTRO), "{hand}");
    assert!(hand.contains(CARD), "{hand}");
    assert!(!hand.contains(HEADING), "{hand}");
}

#[test]
fn a_model_can_take_back_blocks_the_hand_rules_dropped() {
    // Keep every block whose link density is at most 1: all of them.
    let keep_all = stump("link_density", 1.0, 9.0, -9.0);
    let text = Cleaner::default()
        .block_model(Some(keep_all))
        .clean(&page("card_catalogue.html"), None)
        .expect("the page has text")
        .text;
    assert!(text.starts_with(HEADING), "{text}");
    assert!(text.contains(INTRO), "{text}");
    assert!(text.contains(CARD), "{text}");
    // Navigation and the footer are chrome by their tags: no block of theirs
    // reaches the model.
    assert!(!text.contains("Basket"), "{text}");
    assert!(!text.contains("Company no."), "{text}");
}

#[test]
fn a_model_can_drop_blocks_the_hand_rules_kept() {
    // Drop every block of fewer than e^3 ≈ 20 words: the cards go and the
    // intro (22 words) stays.
    let long_only = stump("log_words", 3.0, -9.0, 9.0);
    let text = Cleaner::default()
        .block_model(Some(long_only))
        .clean(&page("card_catalogue.html"), None)
        .expect("the page has text")
        .text;
    assert_eq!(text.split("\n\n").count(), 1, "{text}");
    assert!(text.starts_with(INTRO), "{text}");
}

#[test]
fn a_model_never_decides_a_declared_article() {
    let html = page("declared_article.html");
    let hand = Cleaner::default()
        .block_model(None)
        .clean(&html, None)
        .expect("text")
        .text;
    let keep_all = stump("link_density", 1.0, 9.0, -9.0);
    let model = Cleaner::default()
        .block_model(Some(keep_all))
        .clean(&html, None)
        .expect("text")
        .text;
    assert_eq!(hand, model);
    assert!(Cleaner::default()
        .block_samples(&html, None)
        .expect("samples")
        .is_empty());
}

#[test]
fn a_model_that_keeps_nothing_leaves_the_hand_text() {
    let html = page("card_catalogue.html");
    let hand = Cleaner::default()
        .block_model(None)
        .clean(&html, None)
        .expect("text")
        .text;
    let drop_all = stump("link_density", 1.0, -9.0, -9.0);
    let text = Cleaner::default()
        .block_model(Some(drop_all))
        .clean(&html, None)
        .expect("text")
        .text;
    assert_eq!(hand, text);
}

#[test]
fn block_samples_mark_what_the_hand_rules_kept() {
    let samples = Cleaner::default()
        .block_model(None)
        .block_samples(&page("card_catalogue.html"), None)
        .expect("samples");
    let kept = FEATURE_NAMES
        .iter()
        .position(|&n| n == "hand_kept")
        .expect("a hand_kept feature");
    let intro = samples
        .iter()
        .find(|s| s.text.starts_with(INTRO))
        .expect("the intro is a block");
    let card = samples
        .iter()
        .find(|s| s.text == CARD)
        .expect("a card is a block");
    let heading = samples
        .iter()
        .find(|s| s.text == HEADING)
        .expect("the heading is a block");
    assert_eq!(intro.features[kept], 1.0);
    assert_eq!(card.features[kept], 1.0);
    assert_eq!(heading.features[kept], 0.0);
    assert!(!samples.iter().any(|s| s.text.contains("Basket")));
}

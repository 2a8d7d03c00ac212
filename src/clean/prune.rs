//! Pruning: which subtrees of a page are chrome by their markup alone,
//! before any text is scored ([`Pruning`] sets how far class/id words are
//! trusted). Chrome tags, hidden elements, landmark roles, comment areas and
//! chrome class/id words ([`super::hints`]) are removed, except on a
//! container that holds a large share of the page's text and little of it
//! in links (a site that wraps everything in `<form>` or names its body
//! `content-with-sidebar`). No state.

use super::dom::{Dom, NodeId, Tag};
use super::hints::{self, Hint};
use super::score::Stats;

/// How much the pruning trusts markup. The cascade starts strict and eases
/// off when the strict body is short against the page's visible prose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pruning {
    /// Chrome tags, hidden elements, landmark roles, comment areas and
    /// chrome class/id words.
    Strict,
    /// Chrome tags, hidden elements, landmark roles, comment areas and the
    /// class/id words that name chrome on any page (`cookie`, `share`);
    /// words such as `widget`, `next` or `meta` no longer prune.
    Light,
    /// As [`Pruning::Light`], and reader-comment areas are kept: on a forum
    /// or Q&A thread the replies are the content.
    Thread,
}

/// Marks chrome subtrees as removed, guarding containers that hold most of
/// the page's text (a site that wraps everything in `<form>` or names its
/// body `content-with-sidebar`).
pub(crate) fn prune(dom: &Dom, raw: &[Stats], removed: &mut [bool], pruning: Pruning) {
    let total = raw[0].text.max(1);
    for id in 1..dom.nodes.len() {
        let node = &dom.nodes[id];
        if node.tag == Tag::Text {
            continue;
        }
        if removed[node.parent as usize] {
            removed[id] = true;
            continue;
        }
        if removed[id] {
            continue;
        }
        let st = raw[id];
        // Holds a large share of the page's text, and little of it links.
        let big = st.text * 10 >= total * 3 && st.link * 10 < st.text * 3;
        let tag = node.tag;
        if matches!(tag, Tag::Html | Tag::Body | Tag::Article | Tag::Main) {
            continue;
        }
        let h: Hint = hints::hint(dom, id as NodeId);
        let drop = if hints::is_chrome_tag(tag) {
            true
        } else if tag == Tag::Header {
            st.text < 1000 || st.link * 10 > st.text * 4
        } else if h.comments && !h.positive {
            pruning != Pruning::Thread
        } else if tag == Tag::Form {
            st.text * 10 < total * 3
        } else if h.hidden || h.chrome_role {
            !big
        } else if h.negative && (!h.positive || h.negative_element) {
            match pruning {
                Pruning::Strict => !big,
                // Only names that are chrome on any page prune here; a
                // dialog does whatever its size (a cookie dialog can hold
                // more text than a short page's body).
                Pruning::Light | Pruning::Thread => {
                    h.hard_negative && !h.positive && (h.overlay || !big)
                }
            }
        } else {
            false
        };
        removed[id] = drop;
    }
}

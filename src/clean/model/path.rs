//! What every element's tag path says, summed top-down in one pass over the
//! page ([`paths`]): how deep it sits, which of its ancestors carry article
//! or chrome class/id words ([`super::super::hints`]), which landmark tags
//! hold it, whether it lies in the strictly pruned chrome or in the body the
//! hand rules chose, and the best hand score among its ancestors.
//!
//! Nodes are stored parent before child, so one forward walk over the node
//! indices sees each parent's summary before its children need it. No state
//! outlives the page.

use super::super::dom::{Dom, NodeId, Tag, NONE};
use super::super::hints;
use super::super::score::Analysis;

/// The tag path of one node, summed over it and its ancestors.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Path {
    /// Elements above the node.
    pub depth: u16,
    /// Ancestors (or the node) with a positive class/id word.
    pub positive: u8,
    /// Ancestors with a chrome class/id word.
    pub negative: u8,
    /// Ancestors with a word that is chrome on any page (`share`, `cookie`).
    pub hard_negative: u8,
    /// Levels up to the nearest positive ancestor (255: none).
    pub positive_up: u8,
    /// Levels up to the nearest chrome-named ancestor (255: none).
    pub negative_up: u8,
    /// Under a reader-comment area.
    pub comments: bool,
    /// Under a hidden element or a landmark role that is never the article.
    pub hidden: bool,
    /// Under `<article>` or `<main>`.
    pub article: bool,
    /// Under a chrome tag (`nav`, `aside`, `footer`, a form control).
    pub chrome_tag: bool,
    /// Under `<header>`.
    pub header: bool,
    /// Under `<form>`.
    pub form: bool,
    /// Under `<li>` (or `dd`/`dt`).
    pub list: bool,
    /// Under a table cell.
    pub cell: bool,
    /// Under `<a>`.
    pub link: bool,
    /// Pruned as chrome by strict pruning.
    pub strict_removed: bool,
    /// Pruned as chrome by light pruning.
    pub light_removed: bool,
    /// Inside the body the strict scoring chose.
    pub strict_body: bool,
    /// The best content score of the node or an ancestor (light pruning).
    pub score: f32,
}

/// Sums the tag path of every node of the page.
pub(crate) fn paths(dom: &Dom, strict: &Analysis, light: &Analysis) -> Vec<Path> {
    let n = dom.nodes.len();
    let mut out = vec![Path::default(); n];
    let mut in_body = vec![false; n];
    for &b in &strict.body {
        in_body[b as usize] = true;
    }
    for id in 0..n {
        let node = &dom.nodes[id];
        let mut p = if node.parent == NONE {
            Path {
                positive_up: u8::MAX,
                negative_up: u8::MAX,
                ..Path::default()
            }
        } else {
            let mut p = out[node.parent as usize];
            p.depth = p.depth.saturating_add(1);
            p.positive_up = p.positive_up.saturating_add(1);
            p.negative_up = p.negative_up.saturating_add(1);
            p
        };
        if node.parent != NONE && in_body[node.parent as usize] {
            in_body[id] = true;
        }
        p.strict_body = in_body[id];
        p.strict_removed |= strict.removed[id];
        p.light_removed |= light.removed[id];
        p.score = p.score.max(light.scores[id]);
        let tag = node.tag;
        if tag != Tag::Text {
            let h = hints::hint(dom, id as NodeId);
            if h.positive {
                p.positive = p.positive.saturating_add(1);
                p.positive_up = 0;
            }
            if h.negative {
                p.negative = p.negative.saturating_add(1);
                p.negative_up = 0;
            }
            if h.hard_negative {
                p.hard_negative = p.hard_negative.saturating_add(1);
            }
            p.comments |= h.comments;
            p.hidden |= h.hidden || h.chrome_role;
            p.article |= matches!(tag, Tag::Article | Tag::Main);
            p.chrome_tag |= hints::is_chrome_tag(tag);
            p.header |= tag == Tag::Header;
            p.form |= tag == Tag::Form;
            p.list |= matches!(tag, Tag::Li | Tag::Dd | Tag::Dt);
            p.cell |= matches!(tag, Tag::Td | Tag::Th);
            p.link |= tag == Tag::A;
        }
        out[id] = p;
    }
    out
}

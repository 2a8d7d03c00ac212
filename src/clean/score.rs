//! Finding the article body: prune chrome, score text blocks, pick the
//! container that holds the most and best prose.
//!
//! The scoring follows Arc90 Readability, as later refined in Mozilla's
//! readability.js: every run of text between block boundaries that is long
//! enough to be prose gives points (one, plus one a comma, plus one a
//! hundred characters up to three) to the block that holds it, half to that
//! block's parent and a third or less to the levels above; a container's
//! total is scaled down by its share of link text. Unlike readability.js
//! this runs over an immutable tree in three linear passes and keeps its
//! per-node state in plain vectors.

use super::dom::{Dom, NodeId, Tag, NONE};
use super::hints;
use super::prune::prune;
pub(crate) use super::prune::Pruning;

/// Per-node text statistics, computed bottom-up.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Stats {
    /// One past the last node of this subtree.
    pub end: u32,
    /// Non-whitespace bytes of text in this subtree (kept nodes only).
    pub text: u32,
    /// Of those, bytes inside links.
    pub link: u32,
}

/// The outcome of analysing one page.
pub(crate) struct Analysis {
    /// Per node: true if the node and everything below it is chrome.
    pub removed: Vec<bool>,
    /// Per node: text statistics over kept nodes.
    pub stats: Vec<Stats>,
    /// The roots of the article body, in document order.
    pub body: Vec<NodeId>,
    /// Per node: its content score (0.0 if it holds no prose).
    pub scores: Vec<f32>,
    /// Per node: bytes of prose runs below it (the root's is the page's).
    pub prose: Vec<u32>,
}

/// A parent that holds clearly more prose is climbed to when it scores at
/// least this share of the child's score. 1.0 (the parent must score as
/// well) kept one part of a body made of several on WCXB dev; 0.7 helped 31
/// of its pages and hurt 7, and AEB lost 0.002 F1 (3 pages worse, 1 better).
const CLIMB_SCORE: f32 = 0.7;

/// Minimum bytes for a text run to count as prose when scoring.
const MIN_PROSE: u32 = 25;

/// Analyses a page: what is chrome, and where the article is.
/// `forced_drop` nodes (from outlet overrides) are removed up front.
pub(crate) fn analyse(dom: &Dom, forced_drop: &[NodeId], pruning: Pruning) -> Analysis {
    let n = dom.nodes.len();
    let mut removed = vec![false; n];
    for &id in forced_drop {
        removed[id as usize] = true;
    }
    let raw = stats(dom, &removed);
    prune(dom, &raw, &mut removed, pruning);
    let stats = stats(dom, &removed);
    let (scores, prose) = score_blocks(dom, &removed, &stats);
    if std::env::var_os("WIRECOPY_DEBUG").is_some() {
        let mut top: Vec<usize> = (0..n).filter(|&i| scores[i] > 0.0).collect();
        top.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
        for &i in top.iter().take(8) {
            eprintln!(
                "cand {:?}.{:?}#{:?} score {:.1} text {} links {}",
                dom.tag(i as NodeId),
                dom.attr(i as NodeId, "class").unwrap_or(""),
                dom.attr(i as NodeId, "id").unwrap_or(""),
                scores[i],
                stats[i].text,
                stats[i].link
            );
        }
    }
    let body = select(dom, &removed, &stats, &scores, &prose);
    Analysis {
        removed,
        stats,
        body,
        scores,
        prose,
    }
}

fn non_ws_len(s: &str) -> u32 {
    s.bytes().filter(|b| !b.is_ascii_whitespace()).count() as u32
}

/// Computes per-node statistics over nodes not marked removed.
pub(crate) fn stats(dom: &Dom, removed: &[bool]) -> Vec<Stats> {
    let n = dom.nodes.len();
    let mut st = vec![Stats::default(); n];
    for id in (0..n).rev() {
        let node = &dom.nodes[id];
        let s = &mut st[id];
        if s.end == 0 {
            s.end = id as u32 + 1;
        }
        if node.tag == Tag::Text && !removed[id] {
            s.text = non_ws_len(dom.text(id as NodeId));
        }
        if node.tag == Tag::A {
            s.link = s.text;
        }
        let (end, text, link) = (s.end, s.text, s.link);
        let parent = node.parent;
        if parent != NONE && !removed[id] {
            let p = &mut st[parent as usize];
            p.end = p.end.max(end);
            p.text += text;
            p.link += link;
        } else if parent != NONE {
            let p = &mut st[parent as usize];
            p.end = p.end.max(end);
        }
    }
    st
}

/// Per-node content scores; 0.0 for nodes that are not candidates.
fn score_blocks(dom: &Dom, removed: &[bool], st: &[Stats]) -> (Vec<f32>, Vec<u32>) {
    let n = dom.nodes.len();
    let mut score = vec![0f32; n];
    let mut prose = vec![0u32; n];
    let mut touched = vec![false; n];
    let mut stack: Vec<NodeId> = Vec::with_capacity(64);
    let mut links_open = 0u32;
    let mut run = Run::default();

    let flush = |run: &mut Run,
                 stack: &[NodeId],
                 score: &mut [f32],
                 touched: &mut [bool],
                 prose: &mut [u32]| {
        if run.bytes >= MIN_PROSE && run.link * 2 <= run.bytes {
            let owner = stack
                .iter()
                .rev()
                .copied()
                .find(|&s| dom.tag(s).is_block())
                .unwrap_or(0);
            let mut points = 1.0 + run.commas as f32 + (run.bytes as f32 / 100.0).min(3.0);
            if dom.tag(owner) == Tag::Li {
                points *= 0.5;
            }
            for &s in stack {
                prose[s as usize] += run.bytes;
            }
            let mut at = owner;
            let mut level = 0u32;
            while at != NONE && at != 0 && level < 5 {
                if !touched[at as usize] {
                    touched[at as usize] = true;
                    score[at as usize] += initial_score(dom, at, st[at as usize].text);
                }
                let divider = match level {
                    0 => 1.0,
                    1 => 2.0,
                    l => l as f32 * 3.0,
                };
                score[at as usize] += points / divider;
                at = dom.node(at).parent;
                level += 1;
            }
        }
        *run = Run::default();
    };

    let mut i = 0usize;
    while i < n {
        while let Some(&top) = stack.last() {
            if st[top as usize].end as usize > i {
                break;
            }
            stack.pop();
            let tag = dom.tag(top);
            if tag == Tag::A {
                links_open -= 1;
            }
            if tag.is_block() {
                flush(&mut run, &stack, &mut score, &mut touched, &mut prose);
            }
        }
        if removed[i] {
            i = st[i].end as usize;
            continue;
        }
        let tag = dom.nodes[i].tag;
        if tag == Tag::Text {
            let text = dom.text(i as NodeId);
            let len = st[i].text;
            run.bytes += len;
            if links_open > 0 {
                run.link += len;
            }
            run.commas += text.matches([',', '，', '、']).count() as u32;
        } else {
            if tag.is_block() {
                flush(&mut run, &stack, &mut score, &mut touched, &mut prose);
            }
            if tag == Tag::A {
                links_open += 1;
            }
            stack.push(i as NodeId);
        }
        i += 1;
    }
    flush(&mut run, &stack, &mut score, &mut touched, &mut prose);

    for id in 0..n {
        if touched[id] {
            let s = st[id];
            let density = if s.text == 0 {
                0.0
            } else {
                s.link as f32 / s.text as f32
            };
            score[id] *= 1.0 - density;
        }
    }
    (score, prose)
}

#[derive(Default)]
struct Run {
    bytes: u32,
    link: u32,
    commas: u32,
}

/// A container's score before any text is counted: its tag and names.
fn initial_score(dom: &Dom, id: NodeId, text: u32) -> f32 {
    let tag = dom.tag(id);
    let mut s = match tag {
        Tag::Div | Tag::Article | Tag::Main => 5.0,
        Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
        Tag::Address | Tag::Ol | Tag::Ul | Tag::Dl | Tag::Dd | Tag::Dt | Tag::Li | Tag::Form => {
            -3.0
        }
        Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 | Tag::Th => -5.0,
        _ => 0.0,
    };
    let h = hints::hint(dom, id);
    // A promising name counts in full only on a container with some text:
    // `<div class="content-title">` must not outscore the body.
    if h.positive {
        s += 25.0 * (text as f32 / 1000.0).min(1.0);
    }
    if h.negative {
        s -= 25.0;
    }
    s
}

/// Picks the body: the best container, possibly its parent, plus siblings
/// that score nearly as well.
fn select(dom: &Dom, removed: &[bool], st: &[Stats], score: &[f32], prose: &[u32]) -> Vec<NodeId> {
    let mut top = NONE;
    let mut best = 0f32;
    for (id, &s) in score.iter().enumerate() {
        if s > best {
            best = s;
            top = id as NodeId;
        }
    }
    if top == NONE {
        return vec![body_or_root(dom)];
    }
    // Climb to an ancestor that holds clearly more prose (the body is split
    // over several children that each score less than their common parent),
    // passing wrappers that add nothing, and stopping at one that adds only a
    // little: a standfirst, a date line, a sidebar teaser.
    let threshold = best / 3.0;
    let mut parent = dom.node(top).parent;
    while parent != NONE && parent != 0 && dom.tag(parent) != Tag::Body {
        let (mine, theirs) = (prose[top as usize] as f32, prose[parent as usize] as f32);
        if theirs >= mine * 1.3
            && score[parent as usize] >= score[top as usize].max(threshold) * CLIMB_SCORE
        {
            top = parent;
        } else if theirs > mine * 1.05 {
            break;
        }
        parent = dom.node(parent).parent;
    }
    if std::env::var_os("WIRECOPY_DEBUG").is_some() {
        eprintln!(
            "after climb: {:?}.{:?}",
            dom.tag(top),
            dom.attr(top, "class")
        );
    }
    // A lone child gives no siblings to look at: look from its parent.
    loop {
        let p = dom.node(top).parent;
        if p == NONE || p == 0 || matches!(dom.tag(p), Tag::Body | Tag::Html) {
            break;
        }
        let kept = dom
            .children(p)
            .filter(|&c| !removed[c as usize] && st[c as usize].text > 0);
        if kept.count() != 1 {
            break;
        }
        top = p;
    }
    if std::env::var_os("WIRECOPY_DEBUG").is_some() {
        eprintln!(
            "after lone: {:?}.{:?}",
            dom.tag(top),
            dom.attr(top, "class")
        );
    }
    let top_score = score[top as usize].max(best);
    let parent = dom.node(top).parent;
    if parent == NONE {
        return vec![top];
    }
    let sibling_threshold = (top_score * 0.2).max(10.0);
    let mut out = Vec::new();
    for c in dom.children(parent) {
        if removed[c as usize] {
            continue;
        }
        if c == top {
            out.push(c);
            continue;
        }
        let s = st[c as usize];
        if s.text == 0 {
            continue;
        }
        let density = s.link as f32 / s.text as f32;
        if score[c as usize] >= sibling_threshold {
            out.push(c);
        } else if dom.tag(c) == Tag::P || dom.tag(c) == Tag::Text {
            let text = dom.text_content(c);
            let t = text.trim();
            if (s.text > 80 && density < 0.25)
                || (s.text > 0 && density == 0.0 && (t.ends_with(". ") || t.ends_with('.')))
            {
                out.push(c);
            }
        }
    }
    out
}

fn body_or_root(dom: &Dom) -> NodeId {
    (0..dom.nodes.len() as NodeId)
        .find(|&i| dom.tag(i) == Tag::Body)
        .unwrap_or(0)
}

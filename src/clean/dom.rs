//! A light, read-only document tree built by [`super::parse`].
//!
//! Nodes live in one `Vec` in document order (a parent always comes before
//! its children), so a reverse walk over the indices visits children before
//! parents: the scorer uses that to sum text lengths bottom-up without
//! recursion. Every string (text and attribute values) lives in one buffer.

use std::ops::Range;

pub(crate) use super::tag::Tag;

/// Index of a node in [`Dom::nodes`].
pub(crate) type NodeId = u32;

/// Marks "no node" in the links of a [`Node`].
pub(crate) const NONE: NodeId = u32::MAX;

/// One node: an element or a run of text.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    /// The element name, or [`Tag::Text`].
    pub tag: Tag,
    /// Parent, [`NONE`] for the root.
    pub parent: NodeId,
    /// First child, or [`NONE`].
    pub first_child: NodeId,
    /// Last child, or [`NONE`].
    pub last_child: NodeId,
    /// Next sibling, or [`NONE`].
    pub next_sibling: NodeId,
    /// Text nodes: the decoded text in [`Dom::strings`]. Elements: the range
    /// of their attributes in [`Dom::attrs`].
    pub span: Range<u32>,
}

/// One attribute: a lowercase name and a decoded value, both in [`Dom::strings`].
#[derive(Clone, Debug)]
pub(crate) struct Attr {
    pub name: Range<u32>,
    pub value: Range<u32>,
}

/// The parsed document. Node 0 is the root.
#[derive(Debug, Default)]
pub(crate) struct Dom {
    pub nodes: Vec<Node>,
    pub attrs: Vec<Attr>,
    pub strings: String,
    /// The raw contents of every `<script type="application/ld+json">`.
    pub json_ld: Vec<String>,
    /// The raw contents of every `<noscript>` long enough to hold prose:
    /// some sites put the whole page there for clients without JavaScript.
    pub noscript: Vec<String>,
    /// The text of the first `<title>`.
    pub title: Option<String>,
}

impl Dom {
    /// Returns the node with this id.
    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// Returns the tag of this node.
    pub(crate) fn tag(&self, id: NodeId) -> Tag {
        self.nodes[id as usize].tag
    }

    /// Returns the text of a text node ("" for elements).
    pub(crate) fn text(&self, id: NodeId) -> &str {
        let node = self.node(id);
        if node.tag != Tag::Text {
            return "";
        }
        &self.strings[node.span.start as usize..node.span.end as usize]
    }

    fn slice(&self, r: &Range<u32>) -> &str {
        &self.strings[r.start as usize..r.end as usize]
    }

    /// Returns the value of the attribute `name` (lowercase) of an element.
    pub(crate) fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        let node = self.node(id);
        if node.tag == Tag::Text {
            return None;
        }
        self.attrs[node.span.start as usize..node.span.end as usize]
            .iter()
            .find(|a| self.slice(&a.name) == name)
            .map(|a| self.slice(&a.value))
    }

    /// Iterates over the children of a node.
    pub(crate) fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.node(id).first_child,
        }
    }

    /// Iterates over a node and everything below it, in document order.
    /// Because nodes are stored in document order, the subtree of `id` is
    /// the index range from `id` to the end of its last descendant.
    pub(crate) fn subtree(&self, id: NodeId) -> Range<u32> {
        let mut last = id;
        loop {
            let lc = self.node(last).last_child;
            if lc == NONE {
                break;
            }
            last = lc;
        }
        id..last + 1
    }

    /// Returns true if and only if `ancestor` is `id` or above it.
    pub(crate) fn is_within(&self, id: NodeId, ancestor: NodeId) -> bool {
        let range = self.subtree(ancestor);
        range.contains(&id)
    }

    /// Collects the text below `id`, with block boundaries as spaces.
    pub(crate) fn text_content(&self, id: NodeId) -> String {
        let mut out = String::new();
        for n in self.subtree(id) {
            let node = self.node(n);
            if node.tag == Tag::Text {
                out.push_str(self.text(n));
            } else if node.tag.is_block() {
                out.push(' ');
            }
        }
        out
    }
}

/// Iterator over the children of a node.
pub(crate) struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.node(id).next_sibling;
        Some(id)
    }
}

//! A light, read-only document tree built by [`super::parse`].
//!
//! Nodes live in one `Vec` in document order (a parent always comes before
//! its children), so a reverse walk over the indices visits children before
//! parents: the scorer uses that to sum text lengths bottom-up without
//! recursion. Every string (text and attribute values) lives in one buffer.

use std::ops::Range;

/// Index of a node in [`Dom::nodes`].
pub(crate) type NodeId = u32;

/// Marks "no node" in the links of a [`Node`].
pub(crate) const NONE: NodeId = u32::MAX;

/// The element names the cleaner tells apart; everything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub(crate) enum Tag {
    Text,
    Root,
    Html,
    Head,
    Body,
    Title,
    Meta,
    Link,
    Base,
    Script,
    Style,
    Noscript,
    Template,
    Div,
    P,
    Span,
    A,
    Br,
    Hr,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Table,
    Thead,
    Tbody,
    Tfoot,
    Tr,
    Td,
    Th,
    Caption,
    Blockquote,
    Pre,
    Code,
    Article,
    Main,
    Section,
    Header,
    Footer,
    Nav,
    Aside,
    Figure,
    Figcaption,
    Form,
    Input,
    Button,
    Select,
    Option,
    Textarea,
    Label,
    Iframe,
    Img,
    Picture,
    Source,
    Svg,
    Time,
    Em,
    Strong,
    B,
    I,
    U,
    Small,
    Sup,
    Sub,
    Font,
    Center,
    Address,
    Details,
    Summary,
    Dialog,
    Menu,
    Object,
    Embed,
    Canvas,
    Video,
    Audio,
    Wbr,
    Area,
    Map,
    Col,
    Colgroup,
    Param,
    Track,
    Hgroup,
    Mark,
    Cite,
    Q,
    Abbr,
    Ins,
    Del,
    S,
    Strike,
    Tt,
    Big,
    Math,
    Other,
}

impl Tag {
    /// Looks up a lowercase element name.
    pub(crate) fn from_name(name: &str) -> Tag {
        use Tag::*;
        match name {
            "html" => Html,
            "head" => Head,
            "body" => Body,
            "title" => Title,
            "meta" => Meta,
            "link" => Link,
            "base" => Base,
            "script" => Script,
            "style" => Style,
            "noscript" => Noscript,
            "template" => Template,
            "div" => Div,
            "p" => P,
            "span" => Span,
            "a" => A,
            "br" => Br,
            "hr" => Hr,
            "h1" => H1,
            "h2" => H2,
            "h3" => H3,
            "h4" => H4,
            "h5" => H5,
            "h6" => H6,
            "ul" => Ul,
            "ol" => Ol,
            "li" => Li,
            "dl" => Dl,
            "dt" => Dt,
            "dd" => Dd,
            "table" => Table,
            "thead" => Thead,
            "tbody" => Tbody,
            "tfoot" => Tfoot,
            "tr" => Tr,
            "td" => Td,
            "th" => Th,
            "caption" => Caption,
            "blockquote" => Blockquote,
            "pre" => Pre,
            "code" => Code,
            "article" => Article,
            "main" => Main,
            "section" => Section,
            "header" => Header,
            "footer" => Footer,
            "nav" => Nav,
            "aside" => Aside,
            "figure" => Figure,
            "figcaption" => Figcaption,
            "form" => Form,
            "input" => Input,
            "button" => Button,
            "select" => Select,
            "option" => Option,
            "textarea" => Textarea,
            "label" => Label,
            "iframe" => Iframe,
            "img" => Img,
            "picture" => Picture,
            "source" => Source,
            "svg" => Svg,
            "time" => Time,
            "em" => Em,
            "strong" => Strong,
            "b" => B,
            "i" => I,
            "u" => U,
            "small" => Small,
            "sup" => Sup,
            "sub" => Sub,
            "font" => Font,
            "center" => Center,
            "address" => Address,
            "details" => Details,
            "summary" => Summary,
            "dialog" => Dialog,
            "menu" => Menu,
            "object" => Object,
            "embed" => Embed,
            "canvas" => Canvas,
            "video" => Video,
            "audio" => Audio,
            "wbr" => Wbr,
            "area" => Area,
            "map" => Map,
            "col" => Col,
            "colgroup" => Colgroup,
            "param" => Param,
            "track" => Track,
            "hgroup" => Hgroup,
            "mark" => Mark,
            "cite" => Cite,
            "q" => Q,
            "abbr" => Abbr,
            "ins" => Ins,
            "del" => Del,
            "s" => S,
            "strike" => Strike,
            "tt" => Tt,
            "big" => Big,
            "math" => Math,
            _ => Other,
        }
    }

    /// Returns true if and only if the element never has children.
    pub(crate) fn is_void(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Meta | Link
                | Base
                | Br
                | Hr
                | Input
                | Img
                | Source
                | Wbr
                | Area
                | Col
                | Param
                | Track
                | Embed
        )
    }

    /// Returns true if and only if the element starts a new line of text
    /// (a block in CSS terms), so its text never runs into its neighbour's.
    pub(crate) fn is_block(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Html | Body
                | Div
                | P
                | Br
                | Hr
                | H1
                | H2
                | H3
                | H4
                | H5
                | H6
                | Ul
                | Ol
                | Li
                | Dl
                | Dt
                | Dd
                | Table
                | Thead
                | Tbody
                | Tfoot
                | Tr
                | Td
                | Th
                | Caption
                | Blockquote
                | Pre
                | Article
                | Main
                | Section
                | Header
                | Footer
                | Nav
                | Aside
                | Figure
                | Figcaption
                | Form
                | Center
                | Address
                | Details
                | Summary
                | Dialog
                | Menu
                | Hgroup
                | Option
                | Select
                | Textarea
                | Iframe
                | Video
                | Audio
                | Canvas
                | Object
                | Picture
                | Img
        )
    }

    /// Returns true if and only if this is `h1`…`h6`.
    pub(crate) fn is_heading(self) -> bool {
        use Tag::*;
        matches!(self, H1 | H2 | H3 | H4 | H5 | H6)
    }
}

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

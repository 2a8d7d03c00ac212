//! The chosen body subtrees → paragraphs of text.
//!
//! Text is cut into blocks at every block-level element and at a double
//! `<br>`; whitespace (including no-break spaces) collapses to one space.
//! Each block remembers what kind of element held it and how much of it was
//! link text, so that teaser lists and inline chrome can be dropped here.
//!
//! Text inside `<pre>` keeps its line breaks and indentation (code stays
//! code). A table of data comes out a row a block, its cells joined by
//! ` | `; a cell that holds paragraphs of its own (a layout table) stays a
//! block boundary.

use super::chrome;
use super::dom::{Dom, NodeId, Tag};
use super::score::Stats;

/// What kind of element a block of text came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BlockKind {
    /// A paragraph or any other run of text.
    Paragraph,
    /// An `h1`…`h6` heading.
    Heading(u8),
    /// A list item or definition.
    ListItem,
    /// Text inside a `<blockquote>`.
    Quote,
}

/// One block of text from the body.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub text: String,
    pub kind: BlockKind,
    /// Bytes of link text in `text`.
    pub link: usize,
    /// The first text node of the block: its ancestors are the block's
    /// tag path (the block model reads its features from them).
    pub node: NodeId,
}

impl Block {
    /// Returns the share of the text inside links (0.0–1.0).
    pub(crate) fn link_density(&self) -> f32 {
        if self.text.is_empty() {
            return 0.0;
        }
        self.link as f32 / self.text.len() as f32
    }
}

/// Collects the blocks of text below `roots`, skipping removed nodes.
pub(crate) fn collect(dom: &Dom, roots: &[NodeId], removed: &[bool], st: &[Stats]) -> Vec<Block> {
    let mut w = Writer::default();
    for &root in roots {
        let end = st[root as usize].end as usize;
        let mut stack: Vec<NodeId> = Vec::with_capacity(32);
        let mut i = root as usize;
        while i < end {
            while let Some(&top) = stack.last() {
                if st[top as usize].end as usize > i {
                    break;
                }
                stack.pop();
                let tag = dom.tag(top);
                if tag == Tag::A {
                    w.links_open -= 1;
                }
                if tag == Tag::Pre {
                    w.pre = w.pre.saturating_sub(1);
                }
                if is_cell(tag) {
                    w.cell_end(dom, &stack);
                } else if tag.is_block() {
                    w.flush(dom, &stack);
                }
            }
            if removed[i] {
                i = st[i].end as usize;
                continue;
            }
            match dom.nodes[i].tag {
                Tag::Text => w.text(i as NodeId, dom.text(i as NodeId)),
                Tag::Br => w.pending_br += 1,
                tag => {
                    if is_cell(tag) {
                        w.cells.push(w.blocks.len());
                    } else if tag.is_block() {
                        w.flush(dom, &stack);
                    }
                    if tag == Tag::A {
                        w.links_open += 1;
                    }
                    if tag == Tag::Pre {
                        w.pre += 1;
                    }
                    if !tag.is_void() {
                        stack.push(i as NodeId);
                    }
                }
            }
            i += 1;
        }
        while let Some(top) = stack.pop() {
            if dom.tag(top) == Tag::A {
                w.links_open -= 1;
            }
        }
        w.pre = 0;
        w.cells.clear();
        w.flush(dom, &stack);
    }
    w.blocks
}

#[derive(Default)]
struct Writer {
    blocks: Vec<Block>,
    buf: String,
    link: usize,
    links_open: u32,
    pending_br: u32,
    /// The last char written was a space (or nothing was written yet).
    space: bool,
    /// Open `<pre>` elements: whitespace is kept as written.
    pre: u32,
    /// Per open table cell: the number of blocks when it opened.
    cells: Vec<usize>,
    /// The first text node written into `buf`, if any.
    first: Option<NodeId>,
}

/// Returns true if and only if the tag is a table cell.
fn is_cell(tag: Tag) -> bool {
    matches!(tag, Tag::Td | Tag::Th)
}

/// A cell whose text is longer than this is a layout cell: it ends a block.
const LONG_CELL: usize = 300;

/// Joins the cells of a table row.
const CELL_SEPARATOR: &str = " | ";

impl Writer {
    fn text(&mut self, node: NodeId, text: &str) {
        if !text.chars().any(|c| !c.is_whitespace()) {
            if !text.is_empty() && !self.buf.is_empty() {
                self.space_once();
            }
            return;
        }
        if self.pending_br >= 2 {
            self.flush_plain();
        } else if self.pending_br == 1 {
            self.space_once();
        }
        self.pending_br = 0;
        if self.first.is_none() || self.buf.is_empty() {
            self.first = Some(node);
        }
        let before = self.buf.len();
        if self.pre > 0 {
            self.preformatted(text);
        } else {
            self.inline(text);
        }
        if self.links_open > 0 {
            self.link += self.buf.len() - before;
        }
    }

    /// Writes text inside `<pre>`: line breaks and indentation stay, but
    /// never a blank line, which would split the block into paragraphs.
    fn preformatted(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '\r' => {}
                '\n' => {
                    if !self.buf.is_empty() && !self.buf.ends_with('\n') {
                        self.buf.push('\n');
                    }
                }
                '\u{200b}' | '\u{feff}' | '\u{ad}' => {}
                c => self.buf.push(c),
            }
        }
        self.space = self.buf.ends_with([' ', '\n']);
    }

    /// Writes flowing text: any run of whitespace becomes one space.
    fn inline(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() || c == '\u{a0}' {
                self.space_once();
            } else if !matches!(c, '\u{200b}' | '\u{feff}' | '\u{ad}') {
                self.buf.push(c);
                self.space = false;
            }
        }
    }

    /// Closes a table cell: a data cell's text is followed by the cell
    /// separator, a layout cell's ends its block.
    fn cell_end(&mut self, dom: &Dom, stack: &[NodeId]) {
        let opened = self.cells.pop().unwrap_or(0);
        if self.blocks.len() > opened || self.buf.len() > LONG_CELL || self.pending_br >= 2 {
            self.flush(dom, stack);
        } else if !self.buf.trim().is_empty() && !self.buf.ends_with(CELL_SEPARATOR) {
            let trimmed = self.buf.trim_end().len();
            self.buf.truncate(trimmed);
            self.buf.push_str(CELL_SEPARATOR);
            self.space = true;
        }
    }

    fn space_once(&mut self) {
        if !self.space && !self.buf.is_empty() {
            self.buf.push(' ');
            self.space = true;
        }
    }

    fn flush(&mut self, dom: &Dom, stack: &[NodeId]) {
        let kind = kind_of(dom, stack);
        self.finish(kind);
    }

    fn flush_plain(&mut self) {
        self.finish(BlockKind::Paragraph);
    }

    fn finish(&mut self, kind: BlockKind) {
        self.pending_br = 0;
        let text = self
            .buf
            .trim()
            .trim_end_matches(CELL_SEPARATOR.trim())
            .trim_end();
        if !text.is_empty() {
            let link = self.link.min(text.len());
            self.blocks.push(Block {
                text: text.to_string(),
                kind,
                link,
                node: self.first.unwrap_or(0),
            });
        }
        self.first = None;
        self.buf.clear();
        self.link = 0;
        self.space = true;
    }
}

/// The kind of the block being closed, from the open elements around it.
fn kind_of(dom: &Dom, stack: &[NodeId]) -> BlockKind {
    for &id in stack.iter().rev() {
        match dom.tag(id) {
            Tag::H1 => return BlockKind::Heading(1),
            Tag::H2 => return BlockKind::Heading(2),
            Tag::H3 => return BlockKind::Heading(3),
            Tag::H4 | Tag::H5 | Tag::H6 => return BlockKind::Heading(4),
            Tag::Li | Tag::Dd | Tag::Dt => return BlockKind::ListItem,
            Tag::Blockquote => return BlockKind::Quote,
            _ => {}
        }
    }
    BlockKind::Paragraph
}

/// Drops chrome blocks and joins the rest into the article text.
pub(crate) fn to_text(blocks: Vec<Block>, title: Option<&str>) -> String {
    let title_key = title.map(key);
    let mut kept: Vec<Block> = Vec::with_capacity(blocks.len());
    for mut b in blocks {
        chrome::strip_placeholders(&mut b.text);
        let trimmed = b.text.trim();
        if trimmed.len() != b.text.len() {
            b.text = trimmed.to_string();
        }
        if b.text.is_empty() || b.kind == BlockKind::Heading(1) {
            continue;
        }
        if b.link_density() > 0.5 || chrome::is_chrome_line(&b.text) {
            continue;
        }
        if title_key.as_deref() == Some(key(&b.text).as_str()) {
            continue;
        }
        kept.push(b);
    }
    // Stubs at either end are leftovers of chrome: a date, a section name,
    // a heading that introduces the link list after the article.
    while kept.last().is_some_and(is_stub) {
        kept.pop();
    }
    let lead = kept
        .iter()
        .take_while(|b| is_stub(b) || is_date_line(b))
        .count();
    let mut out = String::new();
    for b in kept.into_iter().skip(lead) {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&b.text);
    }
    out
}

/// A short block that does not read as a sentence.
fn is_stub(b: &Block) -> bool {
    if matches!(b.kind, BlockKind::Heading(_)) {
        return true;
    }
    let words = b.text.split_whitespace().count();
    words < 5
        && b.text.chars().count() < 40
        && !b
            .text
            .ends_with(['.', '!', '?', '"', '»', '”', ':', '。', '！', '？', '」'])
}

/// A short line with figures and no sentence end, such as
/// "World > Europe  Friday, June 2, 2023 · 18:47": a date or section line.
fn is_date_line(b: &Block) -> bool {
    b.text.split_whitespace().count() < 12
        && b.text.chars().any(|c| c.is_ascii_digit())
        && !b.text.ends_with(['.', '!', '?', '"', '»', '”', '。'])
}

/// Comparison key for titles: lowercase letters and digits only.
pub(crate) fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

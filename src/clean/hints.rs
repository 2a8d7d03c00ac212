//! What an element's markup says about it, before its text is read:
//! `class`/`id` words, `role`, `hidden`, and the tag itself.
//!
//! Class and id values are split into lowercase words at every
//! non-alphanumeric character and at camelCase humps
//! (`articleBody__text` → `article`, `body`, `text`), so the lists below
//! match whole words: `ad` matches `ad-slot` but not `header` or `lead`.

use super::class_words::{CHROME_ROLES, COMMENTS, HARD_NEGATIVE, NEGATIVE, OVERLAY, POSITIVE};
use super::dom::{Dom, NodeId, Tag};

/// What the markup of one element suggests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Hint {
    /// Names that say "this is the article" (`article-body`, `entry-content`).
    pub positive: bool,
    /// Names that say "this is chrome" (`share`, `related`, `sidebar`).
    pub negative: bool,
    /// A BEM element name that says chrome (`entry__meta`): this outweighs
    /// a positive block name, since the element is the specific part.
    pub negative_element: bool,
    /// A name from [`NEGATIVE`](super::class_words::NEGATIVE) that is chrome on every kind of page
    /// (`cookie`, `share`, `newsletter`), unlike words that builders and
    /// app frameworks also give to content wrappers (`widget`, `next`).
    pub hard_negative: bool,
    /// A name of a dialog over the page (`cookie`, `consent`, `modal`):
    /// chrome however much text it holds.
    pub overlay: bool,
    /// Names of reader comments (`comments`, `disqus`, `respond`): never the
    /// article, however much text they hold.
    pub comments: bool,
    /// Hidden from readers (`hidden`, `display:none`, `aria-hidden`).
    pub hidden: bool,
    /// A landmark role that is never the article (`navigation`, `banner`).
    pub chrome_role: bool,
}

/// Reads the hints of one element.
pub(crate) fn hint(dom: &Dom, id: NodeId) -> Hint {
    let mut h = Hint::default();
    for name in ["class", "id"] {
        if let Some(value) = dom.attr(id, name) {
            for_each_word(value, |w| {
                if NEGATIVE.contains(&w) {
                    h.negative = true;
                    if HARD_NEGATIVE.contains(&w) {
                        h.hard_negative = true;
                    }
                    if OVERLAY.contains(&w) {
                        h.overlay = true;
                    }
                }
                if COMMENTS.contains(&w) {
                    h.comments = true;
                }
                if POSITIVE.contains(&w) {
                    h.positive = true;
                }
            });
        }
    }
    if let Some(class) = dom.attr(id, "class") {
        for name in class.split_whitespace() {
            if let Some((_, element)) = name.rsplit_once("__") {
                for_each_word(element, |w| {
                    if NEGATIVE.contains(&w) {
                        h.negative_element = true;
                    }
                });
            }
        }
    }
    if dom
        .attr(id, "itemprop")
        .is_some_and(|v| v.contains("articleBody"))
    {
        h.positive = true;
    }
    if let Some(role) = dom.attr(id, "role") {
        h.chrome_role = CHROME_ROLES.contains(&role.trim().to_ascii_lowercase().as_str());
    }
    if dom.attr(id, "hidden").is_some()
        || dom
            .attr(id, "aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        h.hidden = true;
    }
    if let Some(style) = dom.attr(id, "style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            h.hidden = true;
        }
    }
    h
}

/// Calls `f` with each lowercase word of a class or id value.
fn for_each_word(value: &str, mut f: impl FnMut(&str)) {
    let mut word = String::with_capacity(24);
    let mut prev_lower = false;
    for c in value.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !word.is_empty() {
                f(&word);
                word.clear();
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            word.push(c.to_ascii_lowercase());
        } else {
            if !word.is_empty() {
                f(&word);
                word.clear();
            }
            prev_lower = false;
        }
    }
    if !word.is_empty() {
        f(&word);
    }
}

/// Returns true if and only if an element with this tag is chrome wherever
/// it appears (forms, navigation, embedded media, captions, and the reading
/// aids of `<ruby>`: `<rt>`, `<rp>`).
pub(crate) fn is_chrome_tag(tag: Tag) -> bool {
    use Tag::*;
    matches!(
        tag,
        Nav | Aside
            | Footer
            | Button
            | Select
            | Option
            | Input
            | Textarea
            | Label
            | Figcaption
            | Dialog
            | Menu
            | Object
            | Embed
            | Canvas
            | Video
            | Audio
            | Picture
            | Img
            | Head
            | Title
            | Meta
            | Link
            | Base
            | Map
            | Area
            | Address
            | Rt
            | Rp
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(s, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn splits_class_names_into_words() {
        assert_eq!(
            words("articleBody__text js-share"),
            ["article", "body", "text", "js", "share"]
        );
        assert_eq!(words("header  lead-in"), ["header", "lead", "in"]);
        assert_eq!(words("HTML5Player"), ["html5", "player"]);
    }

    #[test]
    fn reads_hints() {
        let dom = super::super::parse::parse(
            r#"<div class="share-tools"></div><div id="articleBody"></div><p style="display: none"></p><nav role="navigation"></nav>"#,
        );
        let h: Vec<Hint> = (1..5).map(|i| hint(&dom, i)).collect();
        assert!(h[0].negative && !h[0].positive);
        assert!(h[1].positive && !h[1].negative);
        assert!(h[2].hidden);
        assert!(h[3].chrome_role);
    }
}

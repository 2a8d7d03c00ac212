//! The CSS selectors outlets use in `body_selector` and `drop_selectors`.
//!
//! A deliberately small subset, enough to name a page region: type
//! (`article`), class (`.story-body`), id (`#content`), attribute
//! (`[itemprop]`, `[itemprop=articleBody]`, `[class*=share]`), compounds of
//! those (`div.story#main`), the descendant (` `) and child (`>`)
//! combinators, and comma-separated lists. Anything else is refused with an
//! error naming the part that is not supported, so a typo in sources.toml
//! is caught when the config loads, not silently ignored.

use super::dom::{Dom, NodeId, Tag, NONE};

/// A parsed selector list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selector {
    alternatives: Vec<Vec<(Combinator, Compound)>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Combinator {
    Descendant,
    Child,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Compound {
    tag: Option<String>,
    ids: Vec<String>,
    classes: Vec<String>,
    attrs: Vec<(String, AttrOp, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AttrOp {
    Exists,
    Equals,
    Contains,
    StartsWith,
    Word,
}

/// Why a selector was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unsupported CSS selector {selector:?}: {reason}")]
pub struct SelectorError {
    selector: String,
    reason: String,
}

impl Selector {
    /// Parses a selector list such as `article .body, #main > div.text`.
    ///
    /// Errors name the selector and say which part is not supported.
    pub fn parse(input: &str) -> Result<Selector, SelectorError> {
        let err = |reason: &str| SelectorError {
            selector: input.to_string(),
            reason: reason.to_string(),
        };
        let mut alternatives = Vec::new();
        for alt in input.split(',') {
            let alt = alt.trim();
            if alt.is_empty() {
                return Err(err("empty selector in a comma-separated list"));
            }
            let mut chain = Vec::new();
            let mut comb = Combinator::Descendant;
            for part in alt.replace('>', " > ").split_whitespace() {
                if part == ">" {
                    if chain.is_empty() {
                        return Err(err("'>' needs a selector on its left"));
                    }
                    comb = Combinator::Child;
                    continue;
                }
                chain.push((comb, compound(part).map_err(|r| err(&r))?));
                comb = Combinator::Descendant;
            }
            if comb == Combinator::Child {
                return Err(err("'>' needs a selector on its right"));
            }
            alternatives.push(chain);
        }
        Ok(Selector { alternatives })
    }

    /// Returns every element that matches, in document order.
    pub(crate) fn select(&self, dom: &Dom) -> Vec<NodeId> {
        (0..dom.nodes.len() as NodeId)
            .filter(|&id| dom.tag(id) != Tag::Text && dom.tag(id) != Tag::Root)
            .filter(|&id| {
                self.alternatives
                    .iter()
                    .any(|chain| matches_chain(dom, id, chain))
            })
            .collect()
    }
}

fn compound(part: &str) -> Result<Compound, String> {
    let mut c = Compound::default();
    let mut rest = part;
    let name_len = rest.find(['.', '#', '[']).unwrap_or(rest.len());
    if name_len > 0 {
        let name = &rest[..name_len];
        if name != "*" {
            if !name
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
            {
                return Err(format!("{name:?} is not a tag name (pseudo-classes and other combinators are not supported)"));
            }
            c.tag = Some(name.to_ascii_lowercase());
        }
        rest = &rest[name_len..];
    }
    while !rest.is_empty() {
        let (kind, body) = rest.split_at(1);
        match kind {
            "." | "#" => {
                let len = body.find(['.', '#', '[']).unwrap_or(body.len());
                let name = &body[..len];
                if name.is_empty() || name.contains(':') {
                    return Err(format!("bad name after {kind:?} in {part:?}"));
                }
                if kind == "." {
                    c.classes.push(name.to_string());
                } else {
                    c.ids.push(name.to_string());
                }
                rest = &body[len..];
            }
            "[" => {
                let close = body
                    .find(']')
                    .ok_or_else(|| format!("unclosed '[' in {part:?}"))?;
                let inner = &body[..close];
                let (name, op, value) = attr_test(inner);
                c.attrs
                    .push((name.to_ascii_lowercase(), op, value.to_string()));
                rest = &body[close + 1..];
            }
            _ => return Err(format!("unexpected {kind:?} in {part:?}")),
        }
    }
    Ok(c)
}

fn attr_test(inner: &str) -> (&str, AttrOp, &str) {
    for (token, op) in [
        ("*=", AttrOp::Contains),
        ("^=", AttrOp::StartsWith),
        ("~=", AttrOp::Word),
        ("=", AttrOp::Equals),
    ] {
        if let Some(at) = inner.find(token) {
            let value = &inner[at + token.len()..];
            return (
                inner[..at].trim(),
                op,
                value.trim().trim_matches(['"', '\'']),
            );
        }
    }
    (inner.trim(), AttrOp::Exists, "")
}

fn matches_compound(dom: &Dom, id: NodeId, c: &Compound) -> bool {
    if dom.tag(id) == Tag::Text || dom.tag(id) == Tag::Root {
        return false;
    }
    if let Some(tag) = &c.tag {
        if Tag::from_name(tag) != dom.tag(id) || (dom.tag(id) == Tag::Other) {
            return false;
        }
    }
    let has_word = |attr: &str, w: &str| {
        dom.attr(id, attr)
            .is_some_and(|v| v.split_whitespace().any(|x| x == w))
    };
    if !c.ids.iter().all(|i| dom.attr(id, "id") == Some(i.as_str())) {
        return false;
    }
    if !c.classes.iter().all(|cl| has_word("class", cl)) {
        return false;
    }
    c.attrs
        .iter()
        .all(|(name, op, value)| match (dom.attr(id, name), op) {
            (None, _) => false,
            (Some(_), AttrOp::Exists) => true,
            (Some(v), AttrOp::Equals) => v == value,
            (Some(v), AttrOp::Contains) => v.contains(value.as_str()),
            (Some(v), AttrOp::StartsWith) => v.starts_with(value.as_str()),
            (Some(v), AttrOp::Word) => v.split_whitespace().any(|x| x == value),
        })
}

/// Matches a chain right to left, backtracking over descendant steps.
fn matches_chain(dom: &Dom, id: NodeId, chain: &[(Combinator, Compound)]) -> bool {
    let Some(((comb, last), rest)) = chain.split_last() else {
        return false;
    };
    if !matches_compound(dom, id, last) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    let mut up = dom.node(id).parent;
    while up != NONE {
        if matches_chain(dom, up, rest) {
            return true;
        }
        if *comb == Combinator::Child {
            return false;
        }
        up = dom.node(up).parent;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::parse::parse;

    #[test]
    fn selects_by_compound_and_combinators() {
        let dom = parse(
            r#"<div id="main"><article class="story big"><p class="x">a</p><div><p>b</p></div></article></div><p itemprop="articleBody">c</p>"#,
        );
        let texts = |sel: &str| -> Vec<String> {
            Selector::parse(sel)
                .expect("valid")
                .select(&dom)
                .iter()
                .map(|&n| dom.text_content(n).trim().to_string())
                .collect()
        };
        assert_eq!(texts("article.story p"), ["a", "b"]);
        assert_eq!(texts("article > p"), ["a"]);
        assert_eq!(texts("#main .x, [itemprop=articleBody]"), ["a", "c"]);
        assert_eq!(texts("[class*=bi]").len(), 1);
    }

    #[test]
    fn refuses_unsupported_syntax() {
        assert!(Selector::parse("p:first-child").is_err());
        assert!(Selector::parse("a + b").is_err());
        assert!(Selector::parse("div,").is_err());
        assert!(Selector::parse("> p").is_err());
    }
}

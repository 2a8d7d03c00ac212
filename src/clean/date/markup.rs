//! The dates a page's markup states, in one walk over the tree.
//!
//! - `<meta>` tags whose key names a date ([`key_role`]: `article:published_time`,
//!   `pubdate`, `dc.date`, `sailthru.date`, any key with "date", "publish" or
//!   "created"; "modified" and "updated" keys are changes);
//! - elements with a date `itemprop` (`datePublished`, `dateModified`), read
//!   from their `datetime` or `content`;
//! - `<time>` elements (their `datetime`), shown to readers;
//! - short runs of text (≤ 120 bytes) holding a date written for people.
//!
//! A shown date is a change ([`Role::Modified`]) when its label (the text
//! before it, or one of the two short texts just before), its `<time>`'s
//! class or text, or the class of one of its two parents says so ("Last
//! updated:", `class="updated"`, "обновлено"). Dates in `<pre>`/`<code>` are
//! data, not the page's date, and are skipped.

use super::super::dom::{Dom, NodeId, Tag, NONE};
use super::super::meta::meta_entry;
use super::text;
use super::{Found, Role, Seen};

/// Longer runs of text are prose, not a dateline or a byline.
const MAX_DATE_TEXT: usize = 120;

/// Walks the page once, noting every date it states.
pub(super) fn collect(dom: &Dom, day_first: bool) -> Found {
    let mut f = Found {
        day_first,
        ..Found::default()
    };
    let mut texts = 0usize;
    let mut recent: [&str; 2] = ["", ""];
    for id in 0..dom.nodes.len() as NodeId {
        match dom.tag(id) {
            Tag::Text => {
                let t = dom.text(id).trim();
                if t.is_empty() || in_code(dom, id) {
                    continue;
                }
                texts += 1;
                let mut dated = false;
                if t.len() <= MAX_DATE_TEXT {
                    if let Some((stamp, at)) = text::scan(t, day_first) {
                        let before = t.get(..at.start).unwrap_or("");
                        let label = format!("{} {} {}", recent[0], recent[1], before);
                        let parents = parent_classes(dom, id);
                        let role = if says_modified(&label) || says_modified(&parents) {
                            Role::Modified
                        } else {
                            Role::Published
                        };
                        f.visible.push(Seen {
                            stamp,
                            role,
                            at: texts,
                            source: "text".to_string(),
                            label: format!("{} | {parents}", label.trim()),
                            in_link: in_link(dom, id),
                        });
                        dated = true;
                    }
                }
                // Short undated texts are the labels of the dates after them.
                recent = [recent[1], if t.len() <= 40 && !dated { t } else { "" }];
            }
            Tag::H1 if f.h1_at.is_none() && !dom.text_content(id).trim().is_empty() => {
                f.h1_at = Some(texts);
            }
            Tag::Meta => {
                let Some((key, content)) = meta_entry(dom, id) else {
                    continue;
                };
                if let (Some(role), Some(stamp)) = (key_role(&key), text::value(content, day_first))
                {
                    f.structured.push(Seen {
                        stamp,
                        role,
                        at: texts,
                        source: format!("meta {key}"),
                        label: key,
                        in_link: false,
                    });
                }
            }
            _ => element(dom, id, texts, &recent, &mut f),
        }
    }
    f
}

/// Notes the date of an element with a date `itemprop` or a `<time>`.
fn element(dom: &Dom, id: NodeId, texts: usize, recent: &[&str; 2], f: &mut Found) {
    let prop = dom.attr(id, "itemprop").map(str::to_ascii_lowercase);
    let prop_role = prop.as_deref().and_then(key_role);
    if prop_role.is_none() && dom.tag(id) != Tag::Time {
        return;
    }
    let value = dom.attr(id, "datetime").or_else(|| dom.attr(id, "content"));
    let Some(stamp) = value.and_then(|v| text::value(v, f.day_first)) else {
        return;
    };
    if let (Some(role), Some(prop)) = (prop_role, &prop) {
        f.structured.push(Seen {
            stamp: stamp.clone(),
            role,
            at: texts,
            source: format!("itemprop {prop}"),
            label: prop.clone(),
            in_link: false,
        });
    }
    if dom.tag(id) == Tag::Time {
        let label = format!(
            "{} {} {} | {}",
            recent[0],
            recent[1],
            dom.text_content(id).trim(),
            dom.attr(id, "class").unwrap_or(""),
        );
        let role = if says_modified(&label) || prop.as_deref().is_some_and(says_modified) {
            Role::Modified
        } else {
            Role::Published
        };
        f.visible.push(Seen {
            stamp,
            role,
            at: texts + 1,
            source: "<time>".to_string(),
            label,
            in_link: in_link(dom, id),
        });
    }
}

/// Returns the role of a date-bearing meta or itemprop key, or None when
/// the key is not about the page's own date.
pub(super) fn key_role(key: &str) -> Option<Role> {
    const NOT_OURS: &[&str] = &[
        "expir",
        "birth",
        "start",
        "end",
        "event",
        "valid",
        "format",
        "copyright",
        "review",
    ];
    if NOT_OURS.iter().any(|w| key.contains(w)) {
        return None;
    }
    if says_modified(key) || key == "last-modified" {
        return Some(Role::Modified);
    }
    const PUBLISHED: &[&str] = &[
        "date", "publish", "pubdate", "pub-date", "created", "issued",
    ];
    (PUBLISHED.iter().any(|w| key.contains(w))
        || key == "article:published_time"
        || key == "og:published_time")
        .then_some(Role::Published)
}

/// Returns true if and only if a label or class says "changed since".
pub(super) fn says_modified(label: &str) -> bool {
    const WORDS: &[&str] = &[
        "updat",
        "modif",
        "revis",
        "edited",
        "обновл",
        "изменен",
        "aktualisiert",
        "mis à jour",
        "actualiz",
        "bijgewerkt",
        "aggiornat",
        "atualiz",
    ];
    let lower = label.to_lowercase();
    WORDS.iter().any(|w| lower.contains(w))
}

/// Returns true if and only if a text node sits in `<pre>` or `<code>`.
fn in_code(dom: &Dom, id: NodeId) -> bool {
    above(dom, id, 4).any(|n| matches!(dom.tag(n), Tag::Pre | Tag::Code))
}

/// Returns true if and only if a link holds the node (within four levels).
fn in_link(dom: &Dom, id: NodeId) -> bool {
    above(dom, id, 4).any(|n| dom.tag(n) == Tag::A)
}

/// The classes of the two elements above a text node, space-separated.
fn parent_classes(dom: &Dom, id: NodeId) -> String {
    above(dom, id, 2)
        .filter_map(|n| dom.attr(n, "class"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first `levels` ancestors of a node, nearest first.
fn above(dom: &Dom, id: NodeId, levels: usize) -> impl Iterator<Item = NodeId> + '_ {
    let parent = |n: NodeId| Some(dom.node(n).parent).filter(|&p| p != NONE);
    std::iter::successors(parent(id), move |&n| parent(n)).take(levels)
}

/// Returns true if and only if the page's language writes the day first in
/// numeric dates (everyone but US English and pages that do not say).
pub(super) fn day_first(dom: &Dom) -> bool {
    let lang = (0..dom.nodes.len().min(4) as NodeId)
        .find(|&id| dom.tag(id) == Tag::Html)
        .and_then(|id| dom.attr(id, "lang"))
        .map(str::to_ascii_lowercase);
    match lang.as_deref() {
        None | Some("") => false,
        Some(l) => !(l == "en" || l.starts_with("en-us") || l.starts_with("en_us")),
    }
}

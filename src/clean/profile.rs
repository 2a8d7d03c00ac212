//! What a page says it is, read from its markup and address before the
//! cascade runs: an article or another kind of page ([`Profile`]), and
//! whether it is a discussion thread ([`is_thread`]). No state.

use super::dom::{Dom, NodeId, Tag};

/// What the page's markup says it is, which sets how readily the cascade
/// leaves the scored body (rs-trafilatura's page-type profiles, reduced to
/// the one split the measurements supported).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Profile {
    /// The page declares an article: `og:type` article, an
    /// `article:published_time`, or schema.org `Article`/`NewsArticle`/
    /// `BlogPosting` in JSON-LD or microdata. One container is the body.
    Article,
    /// Anything else (service, product, listing, documentation pages):
    /// the content is often several parts, so the prose region is taken
    /// more readily.
    Page,
}

impl Profile {
    pub(crate) fn of(dom: &Dom) -> Profile {
        const LD_TYPES: [&str; 7] = [
            "\"Article\"",
            "\"NewsArticle\"",
            "\"BlogPosting\"",
            "\"BlogArticle\"",
            "\"ReportArticle\"",
            "\"Posting\"",
            "\"NewsPosting\"",
        ];
        if dom
            .json_ld
            .iter()
            .any(|j| LD_TYPES.iter().any(|t| j.contains(t)))
        {
            return Profile::Article;
        }
        let declared = (0..dom.nodes.len() as NodeId).any(|i| match dom.tag(i) {
            Tag::Meta => {
                let prop = dom.attr(i, "property").or_else(|| dom.attr(i, "name"));
                match prop.map(str::to_ascii_lowercase).as_deref() {
                    Some("og:type") => dom
                        .attr(i, "content")
                        .is_some_and(|c| c.trim().to_ascii_lowercase().starts_with("article")),
                    Some("article:published_time") => true,
                    _ => false,
                }
            }
            Tag::Text => false,
            _ => dom.attr(i, "itemtype").is_some_and(|t| {
                t.ends_with("/Article")
                    || t.ends_with("/NewsArticle")
                    || t.ends_with("/BlogPosting")
            }),
        });
        if declared {
            Profile::Article
        } else {
            Profile::Page
        }
    }
}

/// Returns true if and only if the page says it is a discussion thread:
/// schema.org markup of a forum posting or a Q&A page (JSON-LD or
/// microdata), or an address whose path names a thread, topic or question.
pub(crate) fn is_thread(dom: &Dom, url: Option<&str>) -> bool {
    const TYPES: [&str; 3] = ["DiscussionForumPosting", "QAPage", "\"Question\""];
    if dom
        .json_ld
        .iter()
        .any(|j| TYPES.iter().any(|t| j.contains(t)))
    {
        return true;
    }
    let microdata = (0..dom.nodes.len() as NodeId).any(|i| {
        dom.attr(i, "itemtype").is_some_and(|t| {
            t.contains("DiscussionForumPosting") || t.contains("QAPage") || t.ends_with("/Question")
        })
    });
    if microdata {
        return true;
    }
    let Some(path) = url
        .and_then(|u| u.split_once("://"))
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(_, path)| path.to_ascii_lowercase())
    else {
        return false;
    };
    path.split(['/', '?', '#']).any(|seg| {
        matches!(
            seg,
            "t" | "thread"
                | "threads"
                | "topic"
                | "topics"
                | "forum"
                | "forums"
                | "questions"
                | "comments"
                | "boards"
                | "discussion"
                | "discussions"
                | "viewtopic.php"
                | "showthread.php"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    #[test]
    fn profiles_follow_declared_article_markup() {
        for page in [
            r#"<meta property="og:type" content="article">"#,
            r#"<meta property="article:published_time" content="2025-01-01">"#,
            r#"<script type="application/ld+json">{"@type":"NewsArticle"}</script>"#,
            r#"<div itemtype="https://schema.org/BlogPosting"></div>"#,
        ] {
            assert_eq!(Profile::of(&parse::parse(page)), Profile::Article, "{page}");
        }
        for page in [
            r#"<meta property="og:type" content="website">"#,
            r#"<script type="application/ld+json">{"@type":"Product"}</script>"#,
            "<article><p>Text</p></article>",
        ] {
            assert_eq!(Profile::of(&parse::parse(page)), Profile::Page, "{page}");
        }
    }

    #[test]
    fn threads_are_known_by_markup_or_address() {
        let plain = parse::parse("<p>Hello</p>");
        assert!(is_thread(&plain, Some("https://forum.example/t/slug/12")));
        assert!(is_thread(
            &plain,
            Some("https://x.example/r/a/comments/1/b")
        ));
        assert!(!is_thread(
            &plain,
            Some("https://news.example/2025/05/story")
        ));
        assert!(!is_thread(&plain, None));
        let qa = parse::parse(r#"<script type="application/ld+json">{"@type":"QAPage"}</script>"#);
        assert!(is_thread(&qa, None));
    }
}

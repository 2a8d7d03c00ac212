//! Schema.org article data from `<script type="application/ld+json">`.
//!
//! News sites describe their article for search engines as a `NewsArticle`
//! (or `Article`, `BlogPosting`, `ReportageNewsArticle` …), sometimes inside
//! an `@graph` or an array. We read the first such object's headline, dates,
//! author, language, URL and, when present, its `articleBody`, which serves
//! as the body of pages that render their text with JavaScript.

use serde_json::Value;

/// What the page's JSON-LD says about its article.
#[derive(Clone, Debug, Default)]
pub(crate) struct LinkedData {
    pub headline: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub author: Option<String>,
    pub body: Option<String>,
    pub lang: Option<String>,
    pub url: Option<String>,
}

/// Reads the article object out of the page's JSON-LD blocks.
pub(crate) fn read(blocks: &[String]) -> LinkedData {
    let mut out = LinkedData::default();
    for raw in blocks {
        let Ok(value) = serde_json::from_str::<Value>(raw.trim()) else {
            continue;
        };
        if let Some(article) = find_article(&value, 0) {
            fill(&mut out, article);
        }
        if out.body.is_some() && out.headline.is_some() {
            break;
        }
    }
    // A page whose article object carries no date may date its `WebPage`
    // or another object of the same graph instead.
    for raw in blocks {
        if out.published.is_some() && out.modified.is_some() {
            break;
        }
        let Ok(value) = serde_json::from_str::<Value>(raw.trim()) else {
            continue;
        };
        if out.published.is_none() {
            out.published = any_text(&value, &["datePublished", "dateCreated", "uploadDate"], 0);
        }
        if out.modified.is_none() {
            out.modified = any_text(&value, &["dateModified"], 0);
        }
    }
    out
}

/// Finds the first string value under one of `keys`, anywhere in `v`.
fn any_text(v: &Value, keys: &[&str], depth: usize) -> Option<String> {
    if depth > 6 {
        return None;
    }
    match v {
        Value::Object(map) => keys
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .or_else(|| map.values().find_map(|x| any_text(x, keys, depth + 1))),
        Value::Array(items) => items.iter().find_map(|x| any_text(x, keys, depth + 1)),
        _ => None,
    }
}

fn is_article_type(v: &Value) -> bool {
    let check = |s: &str| {
        matches!(
            s,
            "NewsArticle"
                | "Article"
                | "BlogPosting"
                | "ReportageNewsArticle"
                | "AnalysisNewsArticle"
                | "OpinionNewsArticle"
                | "BackgroundNewsArticle"
                | "Report"
                | "LiveBlogPosting"
                | "TechArticle"
                | "ScholarlyArticle"
                | "WebPage"
        )
    };
    match v.get("@type") {
        Some(Value::String(s)) => check(s),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(check),
        _ => false,
    }
}

/// Finds the most article-like object: an article type beats `WebPage`.
fn find_article(v: &Value, depth: usize) -> Option<&Value> {
    if depth > 6 {
        return None;
    }
    match v {
        Value::Array(items) => {
            let found: Vec<&Value> = items
                .iter()
                .filter_map(|i| find_article(i, depth + 1))
                .collect();
            found
                .iter()
                .copied()
                .find(|f| f.get("@type").and_then(Value::as_str) != Some("WebPage"))
                .or_else(|| found.first().copied())
        }
        Value::Object(map) => {
            if let Some(graph) = map.get("@graph") {
                if let Some(found) = find_article(graph, depth + 1) {
                    return Some(found);
                }
            }
            if is_article_type(v) {
                return Some(v);
            }
            map.get("mainEntity")
                .and_then(|m| find_article(m, depth + 1))
        }
        _ => None,
    }
}

fn fill(out: &mut LinkedData, a: &Value) {
    let text = |k: &str| {
        a.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    if out.headline.is_none() {
        out.headline = text("headline").or_else(|| text("name")).map(String::from);
    }
    if out.published.is_none() {
        out.published = text("datePublished")
            .or_else(|| text("dateCreated"))
            .map(String::from);
    }
    if out.modified.is_none() {
        out.modified = text("dateModified").map(String::from);
    }
    if out.body.is_none() {
        out.body = text("articleBody").map(String::from);
    }
    if out.lang.is_none() {
        out.lang = text("inLanguage").map(String::from);
    }
    if out.url.is_none() {
        out.url = text("url").map(String::from).or_else(|| {
            a.get("mainEntityOfPage")
                .and_then(|m| m.as_str().or_else(|| m.get("@id").and_then(Value::as_str)))
                .map(String::from)
        });
    }
    if out.author.is_none() {
        out.author = a.get("author").and_then(author_name);
    }
}

/// Names the author(s): a string, a `Person`, or a list of them.
fn author_name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Object(o) => {
            if o.get("@type").and_then(Value::as_str) == Some("Organization") {
                return None;
            }
            o.get("name").and_then(author_name)
        }
        Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(author_name).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_graph_and_authors() {
        let ld = read(&[r#"{"@context":"https://schema.org","@graph":[
            {"@type":"WebPage","name":"Page"},
            {"@type":["NewsArticle"],"headline":"Talks resume","datePublished":"2024-03-05T14:20:00+03:00",
             "author":[{"@type":"Person","name":"Jane Roe"},{"@type":"Person","name":"Ivan Petrov"}],
             "articleBody":"First.\n\nSecond."}]}"#
            .to_string()]);
        assert_eq!(ld.headline.as_deref(), Some("Talks resume"));
        assert_eq!(ld.author.as_deref(), Some("Jane Roe, Ivan Petrov"));
        assert_eq!(ld.body.as_deref(), Some("First.\n\nSecond."));
        assert_eq!(ld.published.as_deref(), Some("2024-03-05T14:20:00+03:00"));
    }

    #[test]
    fn survives_garbage() {
        let ld = read(&["{not json".to_string(), "[]".to_string(), "42".to_string()]);
        assert!(ld.headline.is_none());
    }
}

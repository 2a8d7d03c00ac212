//! The cluster list: every cluster with reprints, those with doubtful
//! members that nobody has confirmed first, then the largest; filtered by
//! outlet, day and relation (a GET form, so a filtered list is a link), and
//! paged.

use serde::Deserialize;

use super::layout::{day, page, similarity};
use crate::report::html::esc;
use crate::report::{counted, is_doubtful};
use crate::store::ClusterSummary;

/// Clusters on one page of the list.
pub(crate) const PAGE_SIZE: usize = 25;

/// The relations a member can have, for the filter.
const RELATIONS: [&str; 6] = ["exact", "near", "excerpt", "rewrite", "partial", "merged"];

/// The list's query string: every field optional, empty meaning "any".
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    /// Only clusters with an article from this outlet.
    pub(crate) outlet: Option<String>,
    /// Only clusters with an article of this day (`YYYY-MM-DD`), by
    /// publication date, else fetch date.
    pub(crate) date: Option<String>,
    /// Only clusters with a member of this relation.
    pub(crate) relation: Option<String>,
    /// The page, from 1.
    pub(crate) page: Option<usize>,
}

impl ListQuery {
    fn get(field: &Option<String>) -> Option<&str> {
        field.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }

    /// Returns true if and only if `c` passes every filter.
    fn selects(&self, c: &ClusterSummary) -> bool {
        Self::get(&self.outlet).is_none_or(|o| c.articles().any(|a| a.outlet == o))
            && Self::get(&self.date).is_none_or(|d| c.articles().any(|a| day(&a.date) == d))
            && Self::get(&self.relation).is_none_or(|r| c.members.iter().any(|m| m.relation == r))
    }

    /// This query's string for `page`, every filter kept.
    fn href(&self, page: usize) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("outlet", &self.outlet),
            ("date", &self.date),
            ("relation", &self.relation),
        ] {
            if let Some(v) = Self::get(v) {
                q.append_pair(k, v);
            }
        }
        q.append_pair("page", &page.to_string());
        format!("/?{}", q.finish())
    }
}

fn doubtful(c: &ClusterSummary) -> usize {
    c.members
        .iter()
        .filter(|m| is_doubtful(&m.relation, m.similarity))
        .count()
}

/// Orders clusters for review: doubtful and unconfirmed first, then by size
/// (largest first), then by id.
pub(crate) fn order(clusters: &mut [ClusterSummary]) {
    clusters.sort_by_key(|c| {
        let needs_look = doubtful(c) > 0 && c.confirmed_at.is_none();
        (!needs_look, std::cmp::Reverse(c.members.len()), c.id)
    });
}

/// The list page.
pub(crate) fn render(
    mut clusters: Vec<ClusterSummary>,
    outlets: &[String],
    q: &ListQuery,
) -> String {
    clusters.retain(|c| q.selects(c));
    order(&mut clusters);
    let pages = clusters.len().div_ceil(PAGE_SIZE).max(1);
    let current = q.page.unwrap_or(1).clamp(1, pages);
    let mut body = format!(
        "<h1>Clusters</h1><p class=\"meta\">{} with reprints match; those with doubtful members nobody has confirmed come first.</p>",
        counted(clusters.len() as u64, "cluster", "clusters")
    );
    body.push_str(&filters(outlets, q));
    body.push_str("<table><tr><th>#</th><th>story (canonical)</th><th>outlets</th><th class=\"n\">articles</th><th>relations</th><th class=\"n\">lowest similarity</th><th>date</th><th>status</th></tr>");
    for c in clusters
        .iter()
        .skip((current - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
    {
        body.push_str(&row(c));
    }
    body.push_str("</table>");
    if clusters.is_empty() {
        body.push_str("<p>No cluster matches these filters.</p>");
    }
    body.push_str("<nav class=\"pager\">");
    if current > 1 {
        body.push_str(&format!(
            "<a href=\"{}\">← previous</a>",
            esc(&q.href(current - 1))
        ));
    }
    body.push_str(&format!(
        "<span class=\"meta\">page {current} of {pages}</span>"
    ));
    if current < pages {
        body.push_str(&format!(
            "<a href=\"{}\">next →</a>",
            esc(&q.href(current + 1))
        ));
    }
    body.push_str("</nav>");
    page("Clusters", "", &body)
}

fn filters(outlets: &[String], q: &ListQuery) -> String {
    let select = |name: &str, options: &mut dyn Iterator<Item = &str>, chosen: Option<&str>| {
        let mut s = format!("<select name=\"{name}\"><option value=\"\">any</option>");
        for o in options {
            let sel = if chosen == Some(o) { " selected" } else { "" };
            s.push_str(&format!("<option value=\"{0}\"{sel}>{0}</option>", esc(o)));
        }
        s.push_str("</select>");
        s
    };
    format!(
        "<form class=\"filters\" method=\"get\" action=\"/\"><label>Outlet {}</label><label>Day <input type=\"date\" name=\"date\" value=\"{}\"></label><label>Relation {}</label><button type=\"submit\">Filter</button> <a href=\"/\">clear</a></form>",
        select("outlet", &mut outlets.iter().map(String::as_str), ListQuery::get(&q.outlet)),
        esc(ListQuery::get(&q.date).unwrap_or_default()),
        select("relation", &mut RELATIONS.into_iter(), ListQuery::get(&q.relation)),
    )
}

fn row(c: &ClusterSummary) -> String {
    let doubts = doubtful(c);
    let mut outlets: Vec<&str> = c.articles().map(|a| a.outlet.as_str()).collect();
    outlets.sort_unstable();
    outlets.dedup();
    let mut relations: Vec<&str> = c.members.iter().map(|m| m.relation.as_str()).collect();
    relations.sort_unstable();
    relations.dedup();
    let lowest = c
        .members
        .iter()
        .map(|m| m.similarity)
        .fold(f64::INFINITY, f64::min);
    let mut status = Vec::new();
    if doubts > 0 {
        status.push(format!("<span class=\"flag\">⚠ {doubts} doubtful</span>"));
    }
    if c.confirmed_at.is_some() {
        status.push("<span class=\"ok\">confirmed</span>".to_string());
    }
    if c.canonical_locked {
        status.push("canonical chosen".to_string());
    }
    format!(
        "<tr{}><td>{}</td><td><a href=\"/cluster/{}\">{}</a></td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
        if doubts > 0 && c.confirmed_at.is_none() { " class=\"doubt\"" } else { "" },
        c.id,
        c.id,
        esc(c.canonical.title.as_deref().unwrap_or("(untitled)")),
        esc(&outlets.join(", ")),
        c.members.len() + 1,
        esc(&relations.join(", ")),
        if lowest.is_finite() { similarity(lowest) } else { String::new() },
        esc(day(&c.canonical.date)),
        status.join(" · "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemberSummary;

    fn member(article: i64, outlet: &str, relation: &str, similarity: f64) -> MemberSummary {
        MemberSummary {
            article,
            outlet: outlet.into(),
            title: Some(format!("<b>story {article}</b>")),
            date: "2024-03-05T10:00:00Z".into(),
            relation: relation.into(),
            similarity,
        }
    }

    fn cluster(id: i64, members: Vec<MemberSummary>) -> ClusterSummary {
        ClusterSummary {
            id,
            canonical_locked: false,
            confirmed_at: None,
            canonical: member(id * 10, "tass", "canonical", 1.0),
            members,
        }
    }

    #[test]
    fn doubtful_unconfirmed_clusters_come_first() {
        let sure = cluster(
            1,
            vec![member(11, "a", "exact", 1.0), member(12, "b", "exact", 1.0)],
        );
        let doubt = cluster(2, vec![member(21, "a", "near", 0.5)]);
        let mut confirmed = cluster(3, vec![member(31, "a", "near", 0.5)]);
        confirmed.confirmed_at = Some("2024-03-06T00:00:00Z".into());
        let mut all = vec![sure, confirmed, doubt];
        order(&mut all);
        let ids: Vec<i64> = all.iter().map(|c| c.id).collect();
        assert_eq!(ids, [2, 1, 3]);
    }

    #[test]
    fn filters_escape_and_page() {
        let clusters: Vec<ClusterSummary> = (1..=30)
            .map(|i| {
                cluster(
                    i,
                    vec![member(
                        i * 10 + 1,
                        if i % 2 == 0 { "even" } else { "odd" },
                        "near",
                        0.9,
                    )],
                )
            })
            .collect();
        let q = ListQuery {
            outlet: Some("even".into()),
            ..ListQuery::default()
        };
        let html = render(clusters.clone(), &["even".into(), "odd".into()], &q);
        assert!(html.contains("15 clusters with reprints match"));
        assert!(html.contains("&lt;b&gt;story 20&lt;/b&gt;"));
        assert!(!html.contains("<b>story"));
        assert!(html.contains("<option value=\"even\" selected>"));
        let all = render(clusters, &[], &ListQuery::default());
        assert!(all.contains("page 1 of 2"));
        assert!(all.contains("href=\"/?page=2\""));
        let q = ListQuery {
            date: Some("2024-03-06".into()),
            ..ListQuery::default()
        };
        assert!(
            render(vec![cluster(1, vec![member(2, "a", "near", 0.9)])], &[], &q)
                .contains("No cluster matches")
        );
    }
}

//! A cluster's page: its canonical and each member with outlet, URL, time,
//! relation and similarity, the side-by-side diff of each member against
//! the canonical, the forms that act on the cluster (split a member out,
//! make it the canonical, confirm, merge another cluster in, undo the last
//! decision when it was about this cluster), and its decision history.

use super::diff_view;
use super::layout::{form, hidden, link, page, similarity};
use crate::report::html::esc;
use crate::report::{counted, is_doubtful, word_diff};
use crate::store::{ArticleInfo, ClusterDetail, RecentDecision};

/// What the page needs besides the cluster.
pub(crate) struct Context<'a> {
    /// The session's CSRF token, for the forms.
    pub(crate) csrf: &'a str,
    /// A notice about the decision just made (HTML).
    pub(crate) flash: &'a str,
    /// The newest decision over all clusters, if any (undo is offered here
    /// when it is about this cluster).
    pub(crate) last: Option<&'a RecentDecision>,
}

fn article_meta(a: &ArticleInfo) -> String {
    let mut parts = vec![format!(
        "<b>{}</b>{}",
        esc(&a.outlet),
        if a.outlet_is_agency { " (agency)" } else { "" }
    )];
    parts.push(format!(
        "published {}",
        esc(a.published.as_deref().unwrap_or("(no date)"))
    ));
    parts.push(format!("fetched {}", esc(&a.fetched_at)));
    parts.extend(a.agency.as_deref().map(|g| format!("credits {}", esc(g))));
    parts.extend(a.dateline.as_deref().map(esc));
    if let Some(claim) = &a.claims_canonical {
        parts.push(format!("claims canonical: {}", esc(claim)));
    }
    parts.push(format!("article {}", a.id));
    parts.join(" · ")
}

/// The page of cluster `c`.
pub(crate) fn render(c: &ClusterDetail, cx: &Context<'_>) -> String {
    let title = c.canonical.info.title.as_deref().unwrap_or("(untitled)");
    let action = |what: &str| format!("/cluster/{}/{what}", c.id);
    let mut body = format!(
        "<p class=\"meta\"><a href=\"/\">← all clusters</a></p><h1>Cluster {}: {}</h1><p class=\"meta\">{}{}{}</p>",
        c.id,
        esc(title),
        counted(c.members.len() as u64 + 1, "article", "articles"),
        if c.canonical_locked { " · canonical chosen by a reviewer" } else { "" },
        c.confirmed_at
            .as_deref()
            .map(|t| format!(" · <span class=\"ok\">confirmed {}</span>", esc(t)))
            .unwrap_or_default(),
    );
    let note =
        "<input type=\"text\" name=\"note\" placeholder=\"note (optional)\" maxlength=\"500\"> ";
    body.push_str("<div class=\"actions\">");
    body.push_str(&form(
        &action("confirm"),
        cx.csrf,
        note,
        "Confirm: every member belongs here",
    ));
    body.push_str(&form(
        &action("merge"),
        cx.csrf,
        &format!("<label>Merge cluster <input type=\"number\" name=\"other\" min=\"1\" required placeholder=\"#\"></label> into this one {note}"),
        "Merge",
    ));
    body.push_str("</div>");
    if let Some(last) = cx
        .last
        .filter(|d| d.cluster == c.id || d.record.other == Some(c.id))
    {
        body.push_str(&format!(
            "<p>The last decision was about this cluster ({} at {}). {}</p>",
            last.record.kind.as_str(),
            esc(&last.record.at),
            form(
                "/decisions/undo",
                cx.csrf,
                &hidden("decision", &last.id.to_string()),
                "Undo it"
            )
        ));
    }
    body.push_str(&format!(
        "<h2>Canonical</h2><div class=\"member\"><p>{}<br><span class=\"meta\">{}</span></p></div>",
        link(title, &c.canonical.info.url),
        article_meta(&c.canonical.info)
    ));
    body.push_str(&format!("<h2>Members ({})</h2>", c.members.len()));
    let mut members: Vec<_> = c.members.iter().collect();
    members.sort_by_key(|m| (!is_doubtful(&m.relation, m.similarity), m.article.info.id));
    for m in members {
        let a = &m.article.info;
        let doubt = is_doubtful(&m.relation, m.similarity);
        let diff = word_diff(&c.canonical.text, &m.article.text);
        let article_field = hidden("article", &a.id.to_string());
        body.push_str(&format!(
            "<section class=\"member{}\" id=\"article-{}\"><p>{}{}<br><span class=\"meta\">{}</span></p><p>relation <b>{}</b> · similarity <b>{}</b> · +{} −{} words{}</p><p>{} {}</p>{}</section>",
            if doubt { " doubt" } else { "" },
            a.id,
            if doubt { "<span class=\"flag\">⚠ doubtful</span> " } else { "" },
            link(a.title.as_deref().unwrap_or("(untitled)"), &a.url),
            article_meta(a),
            esc(&m.relation),
            similarity(m.similarity),
            diff.inserted,
            diff.deleted,
            if diff.cut_tail > 0 { format!(" · tail cut: {} words", diff.cut_tail) } else { String::new() },
            form(&action("split"), cx.csrf, &article_field, "Split out: not a reprint of this story"),
            form(&action("canonical"), cx.csrf, &article_field, "Make this the canonical"),
            if diff.inserted + diff.deleted == 0 {
                "<p class=\"meta\">Word for word the canonical's text.</p>".to_string()
            } else {
                diff_view::render(&diff.spans, &c.canonical.info.outlet, &a.outlet)
            },
        ));
    }
    if !c.decisions.is_empty() {
        body.push_str("<h2>Decisions</h2><table><tr><th>when</th><th>decision</th><th>article</th><th>other cluster</th><th>note</th></tr>");
        for d in &c.decisions {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&d.at),
                d.kind.as_str(),
                d.article.map(|a| a.to_string()).unwrap_or_default(),
                d.other.map(|o| o.to_string()).unwrap_or_default(),
                esc(d.note.as_deref().unwrap_or_default()),
            ));
        }
        body.push_str("</table>");
    }
    page(&format!("Cluster {}", c.id), cx.flash, &body)
}

//! Recent decisions over all clusters, newest first, with an undo form on
//! the newest one (decisions undo as a stack: see `store::sqlite::undo`).

use super::layout::{form, hidden, page};
use crate::report::html::esc;
use crate::store::RecentDecision;

/// How many decisions the page lists.
pub(crate) const SHOWN: usize = 50;

/// The recent decisions page.
pub(crate) fn render(decisions: &[RecentDecision], csrf: &str, flash: &str) -> String {
    let mut body = String::from("<h1>Recent decisions</h1>");
    if decisions.is_empty() {
        body.push_str("<p>No decision yet. Open a cluster to split, merge, choose the canonical or confirm.</p>");
        return page("Recent decisions", flash, &body);
    }
    body.push_str("<p class=\"meta\">Only the newest decision can be undone; undo it, and the one before becomes the newest.</p>");
    body.push_str("<table><tr><th>#</th><th>when</th><th>decision</th><th>cluster</th><th>article</th><th>other cluster</th><th>note</th><th></th></tr>");
    for (i, d) in decisions.iter().enumerate() {
        let undo = if i == 0 {
            form(
                "/decisions/undo",
                csrf,
                &hidden("decision", &d.id.to_string()),
                "Undo",
            )
        } else {
            String::new()
        };
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><a href=\"/cluster/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{undo}</td></tr>",
            d.id,
            esc(&d.record.at),
            d.record.kind.as_str(),
            d.cluster,
            d.cluster,
            d.record.article.map(|a| a.to_string()).unwrap_or_default(),
            d.record.other.map(|o| o.to_string()).unwrap_or_default(),
            esc(d.record.note.as_deref().unwrap_or_default()),
        ));
    }
    body.push_str("</table>");
    page("Recent decisions", flash, &body)
}

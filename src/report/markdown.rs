//! The report as Markdown, for mail and chat. Scraped text is escaped so it
//! cannot break the tables or inject links.

use std::io::Write;

use crate::store::ArticleInfo;

use super::{counted, similarity, ClusterReport, Report, Span};

/// Escapes text for Markdown tables and prose.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A link to an http(s) URL, or the escaped text of anything else.
fn link(label: &str, url: &str) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        let safe: String = url
            .chars()
            .map(|c| match c {
                '(' => "%28".to_string(),
                ')' => "%29".to_string(),
                ' ' => "%20".to_string(),
                '<' => "%3C".to_string(),
                '>' => "%3E".to_string(),
                c => c.to_string(),
            })
            .collect();
        format!("[{}]({safe})", esc(label))
    } else {
        esc(label)
    }
}

fn title(a: &ArticleInfo) -> String {
    esc(a.title.as_deref().unwrap_or("(untitled)"))
}

/// Writes the report as Markdown.
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let f = &report.figures;
    writeln!(out, "# wirecopy report\n")?;
    writeln!(
        out,
        "Generated {} · {}\n",
        report.generated_at,
        esc(&report.scope)
    )?;
    writeln!(out, "## Summary\n")?;
    writeln!(
        out,
        "{}: {} with reprints, {}; {} in all.\n",
        counted(f.clusters, "cluster", "clusters"),
        f.clusters_with_reprints,
        counted(f.singletons, "single article", "single articles"),
        counted(f.reprints, "reprint", "reprints")
    )?;
    if !f.outlets.is_empty() {
        writeln!(out, "Reprints by outlet:\n")?;
        writeln!(
            out,
            "| outlet | articles | reprints | reprint rate |\n|---|---:|---:|---:|"
        )?;
        for o in &f.outlets {
            let rate = 100.0 * o.reprint_rate();
            let kind = if o.agency { " (agency)" } else { "" };
            writeln!(
                out,
                "| {}{kind} | {} | {} | {rate:.0}% |",
                esc(&o.outlet),
                o.articles,
                o.reprints
            )?;
        }
        writeln!(out)?;
    }
    if !f.flows.is_empty() {
        writeln!(out, "Who reprints which agency, and how soon:\n")?;
        writeln!(
            out,
            "| outlet | reprints agency | reprints | median delay |\n|---|---|---:|---:|"
        )?;
        for fl in &f.flows {
            let delay = fl.median_minutes.map_or("?".to_string(), minutes);
            writeln!(
                out,
                "| {} | {} | {} | {delay} |",
                esc(&fl.outlet),
                esc(&fl.agency),
                fl.reprints
            )?;
        }
        writeln!(out)?;
    }
    for c in &report.clusters {
        cluster(c, report.database.as_deref(), out)?;
    }
    Ok(())
}

/// "45 min", "3 h 5 min", "2 d 4 h".
pub(crate) fn minutes(m: f64) -> String {
    let m = m.round() as i64;
    match m {
        m if m < 60 => format!("{m} min"),
        m if m < 24 * 60 => format!("{} h {} min", m / 60, m % 60),
        m => format!("{} d {} h", m / (24 * 60), (m % (24 * 60)) / 60),
    }
}

/// The first inserted run, shortened: usually the attribution or the new lead.
fn first_insert(spans: &[Span]) -> Option<String> {
    spans.iter().find_map(|s| match s {
        Span::Insert(t) if !t.trim().is_empty() => {
            let words: Vec<&str> = t.split_whitespace().collect();
            let mut short = words[..words.len().min(8)].join(" ");
            if words.len() > 8 {
                short.push_str(" …");
            }
            Some(short)
        }
        _ => None,
    })
}

fn cluster(c: &ClusterReport, db: Option<&str>, out: &mut dyn Write) -> std::io::Result<()> {
    let doubtful = c.doubtful();
    let flag = if doubtful > 0 {
        format!(" — ⚠ {doubtful} doubtful")
    } else {
        String::new()
    };
    writeln!(
        out,
        "## Cluster {} · {} ({}){flag}\n",
        c.id,
        title(&c.canonical),
        counted(c.members.len() as u64 + 1, "article", "articles")
    )?;
    let a = &c.canonical;
    let locked = if c.canonical_locked {
        " (chosen by a reviewer)"
    } else {
        ""
    };
    writeln!(
        out,
        "Canonical{locked}: {} — {}{}, {} · {}\n",
        link(a.title.as_deref().unwrap_or("(untitled)"), &a.url),
        esc(&a.outlet),
        if a.outlet_is_agency { " (agency)" } else { "" },
        a.published.as_deref().unwrap_or("no date"),
        [a.agency.as_deref(), a.dateline.as_deref()]
            .into_iter()
            .flatten()
            .map(esc)
            .chain(
                a.claims_canonical
                    .as_deref()
                    .map(|c| format!("claims canonical: {}", esc(c))),
            )
            .collect::<Vec<_>>()
            .join(" · "),
    )?;
    if let Some(at) = &c.confirmed_at {
        writeln!(out, "Confirmed {at}.\n")?;
    }
    writeln!(
        out,
        "| | article | outlet | relation | similarity | changes |\n|---|---|---|---|---:|---|"
    )?;
    for m in &c.members {
        let d = &m.diff;
        let tail = if d.cut_tail > 0 {
            format!(", tail cut {}", d.cut_tail)
        } else {
            String::new()
        };
        let added = first_insert(&d.spans)
            .map(|t| format!(", added «{}»", esc(&t)))
            .unwrap_or_default();
        let claim = m
            .article
            .claims_canonical
            .as_deref()
            .map(|c| format!(" · claims canonical: {}", esc(c)))
            .unwrap_or_default();
        writeln!(
            out,
            "| {} | {} {} | {} {}{claim} | {} | {} | +{} −{}{tail}{added} |",
            if m.doubtful { "⚠" } else { "" },
            m.article.id,
            link(
                m.article.title.as_deref().unwrap_or("(untitled)"),
                &m.article.url
            ),
            esc(&m.article.outlet),
            m.article.published.as_deref().unwrap_or(""),
            m.relation,
            similarity(m.similarity),
            d.inserted,
            d.deleted,
        )?;
    }
    for d in &c.decisions {
        let note = d
            .note
            .as_deref()
            .map(|n| format!(": {}", esc(n)))
            .unwrap_or_default();
        writeln!(out, "\n- {} {}{note}", d.at, d.kind.as_str())?;
    }
    writeln!(out, "\nReview:\n\n```sh")?;
    for line in super::actions::review_commands(c, db) {
        // Outlet names are the config's, but a backtick must never end the block.
        writeln!(out, "{}", line.replace('`', "'"))?;
    }
    writeln!(out, "```\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_scraped_text_and_urls() {
        assert_eq!(esc("a|b *c* <script>"), "a\\|b \\*c\\* \\<script\\>");
        assert_eq!(link("t", "javascript:alert(1)"), "t");
        assert_eq!(
            link("x](evil)", "https://a.example/p(1)"),
            "[x\\](evil)](https://a.example/p%281%29)"
        );
        assert_eq!(minutes(45.0), "45 min");
        assert_eq!(minutes(185.0), "3 h 5 min");
    }
}

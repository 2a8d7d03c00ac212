//! The report as one self-contained HTML file: inline CSS, no scripts, no
//! external assets, readable on a laptop and a phone.
//!
//! Safety: every scraped string goes through [`esc`]; links are written only
//! for `http(s)` URLs; and a Content-Security-Policy that allows no script
//! at all stands behind the escaping, so even a mistake here could not run
//! a page's `<script>` or `onerror=` in a reviewer's browser.

use std::io::Write;

use crate::store::ArticleInfo;

use super::markdown::minutes;
use super::{counted, similarity, ClusterReport, Report, Span};

/// Words kept at each end of a long unchanged run in a diff.
const CONTEXT_WORDS: usize = 12;

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A link to an http(s) URL; anything else is shown as text.
fn link(label: &str, url: &str) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            esc(url),
            esc(label)
        )
    } else {
        esc(label)
    }
}

const STYLE: &str = "
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.meta{color:#666;font-size:.9rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}
th,td{border-bottom:1px solid #e5e5e5;padding:.3rem .4rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}
caption{text-align:left;font-weight:600;padding:.3rem 0}
pre.review{font-size:.8rem;overflow-x:auto;background:#f6f6f6;padding:.4rem}
details.cluster{border:1px solid #ddd;border-radius:8px;margin:.6rem 0;padding:.2rem .8rem}
details.cluster>summary{cursor:pointer;padding:.4rem 0;font-weight:600}
details.doubt{border-color:#e0a100;background:#fffaf0}
.flag{color:#a15c00;font-weight:600}
.diff{font-size:.88rem;background:#fafafa;border-radius:6px;padding:.5rem;margin:.3rem 0;overflow-wrap:anywhere}
ins{background:#d6f5d6;text-decoration:none}del{background:#fbd3d3}
.gap{color:#999}
a{color:#0b57d0;overflow-wrap:anywhere}
@media (max-width:40rem){body{padding:.5rem;font-size:14px}.wide{display:none}}
";

/// Writes the report as one HTML document.
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
         <title>wirecopy report</title><style>{STYLE}</style></head><body>\n"
    )?;
    let f = &report.figures;
    writeln!(
        out,
        "<h1>wirecopy report</h1><p class=\"meta\">Generated {} · {}</p>",
        esc(&report.generated_at),
        esc(&report.scope)
    )?;
    writeln!(
        out,
        "<h2>Summary</h2><p>{}: <b>{}</b> with reprints, {}; <b>{}</b> in all.</p>",
        counted(f.clusters, "cluster", "clusters"),
        f.clusters_with_reprints,
        counted(f.singletons, "single article", "single articles"),
        counted(f.reprints, "reprint", "reprints")
    )?;
    if !f.outlets.is_empty() {
        writeln!(out, "<table><caption>Reprints by outlet</caption><tr><th>outlet</th><th class=\"n\">articles</th><th class=\"n\">reprints</th><th class=\"n\">reprint rate</th></tr>")?;
        for o in &f.outlets {
            let rate = 100.0 * o.reprint_rate();
            writeln!(
                out,
                "<tr><td>{}{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{rate:.0}%</td></tr>",
                esc(&o.outlet),
                if o.agency { " <span class=\"meta\">agency</span>" } else { "" },
                o.articles,
                o.reprints
            )?;
        }
        writeln!(out, "</table>")?;
    }
    if !f.flows.is_empty() {
        writeln!(out, "<table><caption>Who reprints which agency, and how soon</caption><tr><th>outlet</th><th>reprints agency</th><th class=\"n\">reprints</th><th class=\"n\">median delay</th></tr>")?;
        for fl in &f.flows {
            writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&fl.outlet),
                esc(&fl.agency),
                fl.reprints,
                fl.median_minutes.map_or("?".to_string(), minutes)
            )?;
        }
        writeln!(out, "</table>")?;
    }
    writeln!(out, "<h2>Clusters</h2>")?;
    if report.clusters.is_empty() {
        writeln!(out, "<p>No cluster matches.</p>")?;
    }
    for c in &report.clusters {
        cluster(c, report.database.as_deref(), out)?;
    }
    writeln!(out, "</body></html>")
}

fn article_line(a: &ArticleInfo) -> String {
    let mut parts = vec![esc(&a.outlet) + if a.outlet_is_agency { " (agency)" } else { "" }];
    parts.extend(a.agency.as_deref().map(esc));
    parts.extend(a.dateline.as_deref().map(esc));
    parts.push(esc(a.published.as_deref().unwrap_or("no date")));
    if let Some(claim) = &a.claims_canonical {
        parts.push(format!("claims canonical: {}", link(claim, claim)));
    }
    parts.join(" · ")
}

fn cluster(c: &ClusterReport, db: Option<&str>, out: &mut dyn Write) -> std::io::Result<()> {
    let doubtful = c.doubtful();
    let title = c.canonical.title.as_deref().unwrap_or("(untitled)");
    writeln!(
        out,
        "<details class=\"cluster{}\"{}><summary>#{} {} <span class=\"meta\">· {}{}{}</span></summary>",
        if doubtful > 0 { " doubt" } else { "" },
        if doubtful > 0 { " open" } else { "" },
        c.id,
        esc(title),
        counted(c.members.len() as u64 + 1, "article", "articles"),
        if doubtful > 0 { format!(" · <span class=\"flag\">{doubtful} doubtful</span>") } else { String::new() },
        if c.confirmed_at.is_some() { " · confirmed" } else { "" },
    )?;
    writeln!(
        out,
        "<p>Canonical{}: {} (article {})<br><span class=\"meta\">{}</span></p>",
        if c.canonical_locked {
            " (chosen by a reviewer)"
        } else {
            ""
        },
        link(title, &c.canonical.url),
        c.canonical.id,
        article_line(&c.canonical)
    )?;
    writeln!(out, "<table><tr><th></th><th>article</th><th>relation</th><th class=\"n\">similarity</th><th class=\"n wide\">changes</th></tr>")?;
    for m in &c.members {
        let d = &m.diff;
        writeln!(
            out,
            "<tr><td class=\"flag\">{}</td><td>{} <span class=\"meta\">(article {})<br>{}</span></td><td>{}</td><td class=\"n\">{}</td><td class=\"n wide\">+{} −{}{}</td></tr>",
            if m.doubtful { "⚠" } else { "" },
            link(m.article.title.as_deref().unwrap_or("(untitled)"), &m.article.url),
            m.article.id,
            article_line(&m.article),
            esc(&m.relation),
            similarity(m.similarity),
            d.inserted,
            d.deleted,
            if d.cut_tail > 0 { format!("<br>tail cut: {} words", d.cut_tail) } else { String::new() },
        )?;
    }
    writeln!(out, "</table>")?;
    for m in &c.members {
        if m.diff.inserted + m.diff.deleted == 0 {
            continue;
        }
        writeln!(
            out,
            "<details><summary class=\"meta\">What {} changed (article {})</summary><div class=\"diff\">{}</div></details>",
            esc(&m.article.outlet),
            m.article.id,
            diff_html(&m.diff.spans)
        )?;
    }
    for d in &c.decisions {
        let note = d
            .note
            .as_deref()
            .map(|n| format!(": {}", esc(n)))
            .unwrap_or_default();
        writeln!(
            out,
            "<p class=\"meta\">{} — {}{note}</p>",
            esc(&d.at),
            d.kind.as_str()
        )?;
    }
    let commands: Vec<String> = super::actions::review_commands(c, db)
        .iter()
        .map(|l| esc(l))
        .collect();
    writeln!(
        out,
        "<details><summary class=\"meta\">Review this cluster</summary><pre class=\"review\">{}</pre></details>",
        commands.join("\n")
    )?;
    writeln!(out, "</details>")
}

/// Renders diff spans, eliding the middle of long unchanged runs.
fn diff_html(spans: &[Span]) -> String {
    let mut html = String::new();
    for s in spans {
        match s {
            Span::Insert(t) => html.push_str(&format!("<ins>{}</ins>", esc(t))),
            Span::Delete(t) => html.push_str(&format!("<del>{}</del>", esc(t))),
            Span::Same(t) => {
                let words: Vec<&str> = t.split_whitespace().collect();
                if words.len() > 3 * CONTEXT_WORDS {
                    let lead = if t.starts_with(char::is_whitespace) {
                        " "
                    } else {
                        ""
                    };
                    let trail = if t.ends_with(char::is_whitespace) {
                        " "
                    } else {
                        ""
                    };
                    html.push_str(&format!(
                        "{lead}{} <span class=\"gap\">… {} words …</span> {}{trail}",
                        esc(&words[..CONTEXT_WORDS].join(" ")),
                        words.len() - 2 * CONTEXT_WORDS,
                        esc(&words[words.len() - CONTEXT_WORDS..].join(" "))
                    ));
                } else {
                    html.push_str(&esc(t));
                }
            }
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_scraped() {
        assert_eq!(
            esc("<img src=x onerror=\"alert(1)\">&'"),
            "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;"
        );
        assert_eq!(link("<b>", "javascript:alert(1)"), "&lt;b&gt;");
        assert!(link("t", "https://a.example/?q=\"><script>")
            .contains("href=\"https://a.example/?q=&quot;&gt;&lt;script&gt;\""));
    }

    #[test]
    fn elides_long_unchanged_runs() {
        let long = "word ".repeat(100);
        let html = diff_html(&[Span::Same(long), Span::Insert("new <b>".into())]);
        assert!(html.contains("… 76 words …"), "{html}");
        assert!(html.ends_with("<ins>new &lt;b&gt;</ins>"), "{html}");
    }
}

//! `wirecopy export`: the data product, one record per story.
//!
//! Owns the export formats (documented in `docs/export.md`). Every stored
//! article selected by the filter appears exactly once: as a story's
//! canonical version or as one of its reprints. Records are written as they
//! are read, one cluster at a time, so memory stays flat whatever the size
//! of the database (only the list of cluster ids is held).
//!
//! - JSON Lines: `{"cluster", "canonical": {url, outlet, title, byline,
//!   published, agency, dateline, lang, text}, "reprints": [{url, outlet,
//!   title, published, relation, similarity, decision}]}`;
//! - CSV: one row per article, the canonical first, with the story's id.

use std::io::Write;

use serde::Serialize;

use crate::store::{ClusterDetail, ClusterFilter, DecisionKind, Error, Id, Store};

/// The version of the export's shape.
pub const EXPORT_VERSION: u32 = 1;

/// How to write the export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// One JSON object per story and line.
    JsonLines,
    /// One row per article, with a header row.
    Csv,
}

/// What went wrong exporting.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] Error),
    /// The output could not be written.
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
}

#[derive(Serialize)]
struct Canonical<'a> {
    url: &'a str,
    outlet: &'a str,
    title: Option<&'a str>,
    byline: Option<&'a str>,
    published: Option<&'a str>,
    agency: Option<&'a str>,
    dateline: Option<&'a str>,
    lang: Option<&'a str>,
    text: &'a str,
}

#[derive(Serialize)]
struct Reprint<'a> {
    url: &'a str,
    outlet: &'a str,
    title: Option<&'a str>,
    published: Option<&'a str>,
    relation: &'a str,
    similarity: f64,
    decision: Option<&'static str>,
}

#[derive(Serialize)]
struct Story<'a> {
    cluster: Id,
    canonical: Canonical<'a>,
    reprints: Vec<Reprint<'a>>,
}

/// Writes every story the filter selects (singletons included, whatever
/// its `min_size`), returning how many stories and articles were written.
pub fn export(
    store: &dyn Store,
    filter: &ClusterFilter,
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<(u64, u64), ExportError> {
    let filter = ClusterFilter {
        min_size: 1,
        limit: None,
        ..filter.clone()
    };
    if format == ExportFormat::Csv {
        writeln!(
            out,
            "cluster,role,url,outlet,title,byline,published,agency,dateline,lang,relation,similarity,decision,text"
        )?;
    }
    let (mut stories, mut articles) = (0, 0);
    for id in store.cluster_ids(&filter)? {
        let Some(c) = store.cluster(id)? else {
            continue;
        };
        stories += 1;
        articles += 1 + c.members.len() as u64;
        match format {
            ExportFormat::JsonLines => {
                serde_json::to_writer(&mut *out, &story(&c)).map_err(std::io::Error::from)?;
                writeln!(out)?;
            }
            ExportFormat::Csv => csv_rows(&c, out)?,
        }
    }
    out.flush()?;
    Ok((stories, articles))
}

fn story(c: &ClusterDetail) -> Story<'_> {
    let a = &c.canonical.info;
    Story {
        cluster: c.id,
        canonical: Canonical {
            url: &a.url,
            outlet: &a.outlet,
            title: a.title.as_deref(),
            byline: a.byline.as_deref(),
            published: a.published.as_deref(),
            agency: a.agency.as_deref(),
            dateline: a.dateline.as_deref(),
            lang: a.lang.as_deref(),
            text: &c.canonical.text,
        },
        reprints: c
            .members
            .iter()
            .map(|m| Reprint {
                url: &m.article.info.url,
                outlet: &m.article.info.outlet,
                title: m.article.info.title.as_deref(),
                published: m.article.info.published.as_deref(),
                relation: &m.relation,
                similarity: m.similarity,
                decision: decision(c, m.article.info.id),
            })
            .collect(),
    }
}

/// Returns the latest review decision that names `article` in `c`, else
/// `confirm` when the cluster was confirmed.
fn decision(c: &ClusterDetail, article: Id) -> Option<&'static str> {
    c.decisions
        .iter()
        .rev()
        .find(|d| d.article == Some(article))
        .map(|d| d.kind.as_str())
        .or_else(|| {
            c.confirmed_at
                .as_ref()
                .map(|_| DecisionKind::Confirm.as_str())
        })
}

fn csv_rows(c: &ClusterDetail, out: &mut dyn Write) -> std::io::Result<()> {
    let a = &c.canonical.info;
    let row = |out: &mut dyn Write, fields: &[&str]| -> std::io::Result<()> {
        let cells: Vec<String> = fields.iter().map(|f| csv_cell(f)).collect();
        writeln!(out, "{}", cells.join(","))
    };
    let id = c.id.to_string();
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    row(
        out,
        &[
            &id,
            "canonical",
            &a.url,
            &a.outlet,
            &opt(&a.title),
            &opt(&a.byline),
            &opt(&a.published),
            &opt(&a.agency),
            &opt(&a.dateline),
            &opt(&a.lang),
            "canonical",
            "1",
            "",
            &c.canonical.text,
        ],
    )?;
    for m in &c.members {
        let i = &m.article.info;
        row(
            out,
            &[
                &id,
                "reprint",
                &i.url,
                &i.outlet,
                &opt(&i.title),
                &opt(&i.byline),
                &opt(&i.published),
                &opt(&i.agency),
                &opt(&i.dateline),
                &opt(&i.lang),
                &m.relation,
                &format!("{:.3}", m.similarity),
                decision(c, i.id).unwrap_or(""),
                &m.article.text,
            ],
        )?;
    }
    Ok(())
}

/// Quotes a CSV cell (RFC 4180) when it holds a comma, a quote or a line
/// break; a cell that a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@` first) gets a leading apostrophe, since scraped titles are untrusted.
fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a, \"b\"\nc"), "\"a, \"\"b\"\"\nc\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }
}

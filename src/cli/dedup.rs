//! `wirecopy dedup`: local files → clusters of reprints.
//!
//! Reads HTML pages (cleaned with [`wirecopy::clean::Cleaner`]), `.txt` files
//! (raw page text), directories (recursively, in sorted order) and JSON Lines
//! files (`id`, `text` or `html`, optional `url`, `title`, `outlet`,
//! `published`, `agency`), clusters them with [`wirecopy::dedup`] and prints
//! every document exactly once. A file or line that cannot be read is
//! reported on stderr and skipped; the run goes on and exits with status 1.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use wirecopy::clean::Cleaner;
use wirecopy::dedup::canonical::{is_agency_outlet, parse_published};
use wirecopy::dedup::{cluster_batch, BatchDoc, CanonicalPolicy, DocMeta, IndexConfig, Sketcher};
use wirecopy::report::{counted, similarity};

/// Flags of `wirecopy dedup`.
#[derive(Debug, clap::Args)]
pub struct DedupArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// How to choose each cluster's canonical document.
    #[arg(long, value_enum, default_value_t = Policy::AgencyFirst)]
    policy: Policy,
    /// HTML, .txt or .jsonl files, or directories of them.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A readable listing.
    Text,
    /// `{"clusters": [{"id", "canonical", "members": [{"doc", "relation", "similarity"}]}]}`.
    Json,
}

/// Canonical policies, as flag values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Policy {
    /// The agency's own outlet, then the earliest, then the longest.
    AgencyFirst,
    /// The earliest, then the longest.
    Earliest,
    /// The longest, then the earliest.
    Longest,
}

/// One JSON Lines record.
#[derive(Debug, Deserialize)]
struct Record {
    id: serde_json::Value,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    html: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    outlet: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    agency: Option<bool>,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    clusters: Vec<JsonCluster<'a>>,
}

#[derive(Serialize)]
struct JsonCluster<'a> {
    id: u32,
    canonical: &'a str,
    members: Vec<JsonMember<'a>>,
}

#[derive(Serialize)]
struct JsonMember<'a> {
    doc: &'a str,
    relation: &'static str,
    similarity: f64,
}

/// Collects documents and the errors met on the way.
struct Loader {
    cleaner: Cleaner,
    sketcher: Sketcher,
    docs: Vec<BatchDoc>,
    errors: usize,
}

impl Loader {
    fn error(&mut self, error: anyhow::Error) {
        eprintln!("wirecopy: {error:#}");
        self.errors += 1;
    }

    fn path(&mut self, path: &Path) {
        if path.is_dir() {
            match dir_files(path) {
                Ok(files) => {
                    for f in files {
                        if let Err(error) = self.file(&f) {
                            self.error(error);
                        }
                    }
                }
                Err(error) => self.error(error),
            }
        } else if let Err(error) = self.file(path) {
            self.error(error);
        }
    }

    fn file(&mut self, path: &Path) -> anyhow::Result<()> {
        let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
        let key = path.display().to_string();
        match kind_of(path, &bytes) {
            Kind::Jsonl => self.jsonl(&key, &bytes),
            Kind::Html => {
                let (text, meta) = self
                    .clean(&bytes, None, None)
                    .with_context(|| key.clone())?;
                self.push(key, &text, meta);
            }
            Kind::Text => {
                let text = String::from_utf8_lossy(&bytes);
                self.push(key, &text, DocMeta::default());
            }
        }
        Ok(())
    }

    fn jsonl(&mut self, key: &str, bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes);
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            if let Err(error) = self.record(line) {
                self.error(error.context(format!("{key}:{}", n + 1)));
            }
        }
    }

    fn record(&mut self, line: &str) -> anyhow::Result<()> {
        let r: Record = serde_json::from_str(line).context("not a JSON object with an \"id\"")?;
        let id = match &r.id {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let published = r.published.as_deref().and_then(parse_published);
        let place = r.outlet.as_deref().or(r.url.as_deref());
        let (text, mut meta) = match (r.text, r.html) {
            (Some(text), _) => (text, DocMeta::default()),
            (None, Some(html)) => self
                .clean(html.as_bytes(), r.url.as_deref(), place)
                .with_context(|| format!("record {id:?}"))?,
            (None, None) => anyhow::bail!("record {id:?} has neither \"text\" nor \"html\""),
        };
        meta.published = published.or(meta.published);
        if let Some(agency) = r.agency {
            meta.agency = agency;
        }
        self.push(id, &text, meta);
        Ok(())
    }

    fn clean(
        &self,
        bytes: &[u8],
        url: Option<&str>,
        place: Option<&str>,
    ) -> anyhow::Result<(String, DocMeta)> {
        let article = self.cleaner.clean(bytes, url)?;
        let place = place.or(article.canonical_url.as_deref());
        let agency = match (article.agency.as_deref(), place) {
            (Some(a), Some(p)) => is_agency_outlet(a, p),
            _ => false,
        };
        let meta = DocMeta {
            agency,
            published: article.published.as_deref().and_then(parse_published),
            words: 0,
        };
        Ok((article.text, meta))
    }

    fn push(&mut self, key: String, text: &str, mut meta: DocMeta) {
        let sketch = self.sketcher.sketch(text);
        meta.words = sketch.fingerprint.words;
        self.docs.push(BatchDoc { key, sketch, meta });
    }
}

enum Kind {
    Jsonl,
    Html,
    Text,
}

fn kind_of(path: &Path, bytes: &[u8]) -> Kind {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "jsonl" | "ndjson" => Kind::Jsonl,
        "html" | "htm" | "xhtml" => Kind::Html,
        "txt" | "text" => Kind::Text,
        _ => {
            let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(512)])
                .trim_start()
                .chars()
                .take(200)
                .collect::<String>()
                .to_ascii_lowercase();
            if head.starts_with("<!doctype html") || head.starts_with("<html") {
                Kind::Html
            } else {
                Kind::Text
            }
        }
    }
}

/// Returns the files under `dir` that dedup reads, recursively, sorted.
fn dir_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            out.extend(dir_files(&p)?);
        } else {
            let ext = p
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            if matches!(
                ext.as_str(),
                "html" | "htm" | "xhtml" | "txt" | "text" | "jsonl" | "ndjson"
            ) {
                out.push(p);
            }
        }
    }
    Ok(out)
}

pub fn run(args: DedupArgs) -> anyhow::Result<ExitCode> {
    let mut loader = Loader {
        cleaner: Cleaner::default(),
        sketcher: Sketcher::new(),
        docs: Vec::new(),
        errors: 0,
    };
    for p in &args.paths {
        loader.path(p);
    }
    let policy = match args.policy {
        Policy::AgencyFirst => CanonicalPolicy::AgencyFirst,
        Policy::Earliest => CanonicalPolicy::Earliest,
        Policy::Longest => CanonicalPolicy::Longest,
    };
    let docs = &loader.docs;
    let clusters = cluster_batch(docs, IndexConfig { policy });
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Json => {
            let json = JsonOut {
                clusters: clusters
                    .iter()
                    .map(|c| JsonCluster {
                        // Numbered from 1, as in the text output.
                        id: c.id + 1,
                        canonical: &docs[c.canonical as usize].key,
                        members: c
                            .members
                            .iter()
                            .map(|m| JsonMember {
                                doc: &docs[m.doc as usize].key,
                                relation: m.relation.as_str(),
                                similarity: (m.similarity * 1000.0).round() / 1000.0,
                            })
                            .collect(),
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        Format::Text => {
            let multi = clusters.iter().filter(|c| c.members.len() > 1).count();
            writeln!(
                out,
                "{}, {} ({} with reprints, {} single)",
                counted(docs.len() as u64, "document", "documents"),
                counted(clusters.len() as u64, "cluster", "clusters"),
                multi,
                clusters.len() - multi
            )?;
            for c in &clusters {
                writeln!(out)?;
                writeln!(
                    out,
                    "cluster {} · {} document{} · canonical {}",
                    c.id + 1,
                    c.members.len(),
                    if c.members.len() == 1 { "" } else { "s" },
                    docs[c.canonical as usize].key
                )?;
                for m in &c.members {
                    writeln!(
                        out,
                        "  {:<9} {:>5}  {}",
                        m.relation.as_str(),
                        similarity(m.similarity),
                        docs[m.doc as usize].key
                    )?;
                }
            }
        }
    }
    out.flush()?;
    if loader.errors > 0 {
        eprintln!("wirecopy: {} input(s) could not be read", loader.errors);
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

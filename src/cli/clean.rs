//! `wirecopy clean`: HTML files → article text or JSON.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;
use wirecopy::clean::{Article, Cleaner, Overrides, Selector};

use super::inputs;

/// Flags of `wirecopy clean`.
#[derive(Debug, clap::Args)]
pub struct CleanArgs {
    /// HTML files (gzip-compressed ones too, e.g. page.html.gz), directories
    /// (every *.html/*.htm/*.html.gz/*.htm.gz below, sorted), or - for
    /// standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The address the page came from (resolves relative canonical links).
    /// Only with a single input.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Output format. Default: text for one input, jsonl for several.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// CSS selector of the article body, as an outlet's `body_selector`.
    #[arg(long, value_name = "SELECTOR")]
    body_selector: Option<String>,
    /// CSS selector of elements to drop first, as `drop_selectors` (repeatable).
    #[arg(long = "drop-selector", value_name = "SELECTOR")]
    drop_selectors: Vec<String>,
    /// Instead of cleaning, show how the element holding TEXT was judged:
    /// its ancestors, which of them were pruned as chrome, and the body root.
    #[arg(long, value_name = "TEXT")]
    explain: Option<String>,
    /// Largest page accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = wirecopy::clean::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// The title, a blank line, then the paragraphs separated by blank lines.
    Text,
    /// One JSON object (one input only).
    Json,
    /// One JSON object a line.
    Jsonl,
}

/// One line of `json`/`jsonl` output: the article fields plus where it came from.
#[derive(Serialize)]
struct Record<'a> {
    path: String,
    url: Option<&'a str>,
    title: Option<&'a str>,
    byline: Option<&'a str>,
    published: Option<&'a str>,
    dateline: Option<&'a str>,
    agency: Option<&'a str>,
    lang: Option<&'a str>,
    canonical_url: Option<&'a str>,
    text: Option<&'a str>,
    /// Which step of the cleaner's cascade produced `text`.
    extraction: Option<&'static str>,
    error: Option<String>,
}

pub fn run(args: CleanArgs) -> anyhow::Result<ExitCode> {
    let files = inputs::expand(&args.paths, &["html", "htm"])?;
    if files.is_empty() {
        anyhow::bail!("no *.html, *.htm or *.html.gz files found under the given paths");
    }
    let format = args.format.unwrap_or(if files.len() == 1 {
        Format::Text
    } else {
        Format::Jsonl
    });
    if format == Format::Json && files.len() > 1 {
        anyhow::bail!(
            "--format json takes one input, got {}; use --format jsonl",
            files.len()
        );
    }
    if args.url.is_some() && files.len() > 1 {
        anyhow::bail!("--url applies to a single input, got {}", files.len());
    }
    let mut overrides = Overrides::default();
    if let Some(sel) = &args.body_selector {
        overrides.body = Some(Selector::parse(sel).context("--body-selector")?);
    }
    let overrides_body = overrides.body.clone();
    for sel in &args.drop_selectors {
        overrides
            .drop
            .push(Selector::parse(sel).context("--drop-selector")?);
    }
    let cleaner = Cleaner::default()
        .max_bytes(args.max_bytes)
        .overrides(overrides);

    if let Some(needle) = &args.explain {
        let mut missing = 0usize;
        for path in &files {
            let bytes = read_input(path, args.max_bytes).with_context(|| display(path))?;
            println!("==> {} <==", display(path));
            let explanation = cleaner.explain(&bytes, needle);
            for line in &explanation.lines {
                println!("{line}");
            }
            missing += usize::from(!explanation.found);
        }
        if missing > 0 {
            eprintln!(
                "wirecopy: the text {needle:?} is not in {missing} of {} input(s); \
                 copy a phrase from the page's source, without markup",
                files.len()
            );
            return Ok(ExitCode::from(1));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    for (i, path) in files.iter().enumerate() {
        let shown = display(path);
        let result = read_input(path, args.max_bytes).and_then(|bytes| {
            if let (Some(sel), Some(text)) = (&overrides_body, &args.body_selector) {
                if !cleaner.selector_matches(&bytes, sel) {
                    eprintln!(
                        "wirecopy: {shown}: --body-selector {text:?} matches no element; \
                         the text below is the cleaner's own choice of body"
                    );
                }
            }
            cleaner
                .clean(&bytes, args.url.as_deref())
                .map_err(anyhow::Error::from)
        });
        match format {
            Format::Text => match &result {
                Ok(article) => {
                    if files.len() > 1 {
                        writeln!(out, "{}==> {shown} <==", if i > 0 { "\n" } else { "" })?;
                    }
                    write_text(&mut out, article)?;
                }
                Err(error) => {
                    out.flush()?;
                    eprintln!("wirecopy: {shown}: {error:#}");
                }
            },
            Format::Json | Format::Jsonl => {
                let record = record(shown, args.url.as_deref(), &result);
                if format == Format::Json {
                    serde_json::to_writer_pretty(&mut out, &record)?;
                } else {
                    serde_json::to_writer(&mut out, &record)?;
                }
                writeln!(out)?;
            }
        }
        if result.is_err() {
            failed += 1;
        }
    }
    out.flush()?;
    if failed > 0 && format != Format::Text {
        eprintln!("wirecopy: {failed} of {} inputs failed", files.len());
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn display(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// Reads a file or standard input, refusing more than `limit` bytes
/// without reading them all into memory. Gzip-compressed input (known by
/// its magic bytes, whatever the name) is decompressed on the way, and the
/// limit applies to the decompressed page.
fn read_input(path: &Path, limit: usize) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let cap = limit as u64 + 1;
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(cap)
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
    } else {
        let file = std::fs::File::open(path)?;
        file.take(cap).read_to_end(&mut bytes)?;
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut page = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes.as_slice())
            .take(cap)
            .read_to_end(&mut page)
            .context("decompressing gzip input")?;
        bytes = page;
    }
    if bytes.len() > limit {
        anyhow::bail!("page is over the {limit}-byte limit; pass --max-bytes to raise it");
    }
    Ok(bytes)
}

fn write_text(out: &mut impl Write, article: &Article) -> std::io::Result<()> {
    if let Some(title) = &article.title {
        writeln!(out, "{title}\n")?;
    }
    writeln!(out, "{}", article.text)
}

fn record<'a>(
    path: String,
    url: Option<&'a str>,
    result: &'a anyhow::Result<Article>,
) -> Record<'a> {
    match result {
        Ok(a) => Record {
            path,
            url,
            title: a.title.as_deref(),
            byline: a.byline.as_deref(),
            published: a.published.as_deref(),
            dateline: a.dateline.as_deref(),
            agency: a.agency.as_deref(),
            lang: a.lang.as_deref(),
            canonical_url: a.canonical_url.as_deref(),
            text: Some(&a.text),
            extraction: Some(a.extraction.as_str()),
            error: None,
        },
        Err(error) => Record {
            path,
            url,
            title: None,
            byline: None,
            published: None,
            dateline: None,
            agency: None,
            lang: None,
            canonical_url: None,
            text: None,
            extraction: None,
            error: Some(format!("{error:#}")),
        },
    }
}

//! `wirecopy export`: every stored story as JSON Lines or CSV (see
//! `docs/export.md`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use wirecopy::report::counted;
use wirecopy::report::export::{export, ExportFormat};
use wirecopy::store::{ClusterFilter, Id};

use super::report::{nothing_selected, open_db, since, unknown_filter, DbArg};

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Format {
    Jsonl,
    Csv,
}

/// Arguments of `wirecopy export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    db: DbArg,
    /// Only stories with an article fetched in this window: 90m, 24h, 7d, 2w.
    #[arg(long, value_name = "DURATION", conflicts_with = "run")]
    since: Option<String>,
    /// Only stories with an article stored by this run.
    #[arg(long, value_name = "ID")]
    run: Option<Id>,
    /// Only stories with an article from this outlet.
    #[arg(long, value_name = "NAME")]
    outlet: Option<String>,
    /// One JSON object per story, or one CSV row per article.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Streams the export; says on stderr how many stories and articles it wrote.
pub fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let store = open_db(&args.db)?;
    if let Some(why) = unknown_filter(store.as_ref(), args.outlet.as_deref(), args.run)? {
        return Ok(nothing_selected(&why));
    }
    let filter = ClusterFilter {
        since: args.since.as_deref().map(since).transpose()?,
        run: args.run,
        outlet: args.outlet,
        ..ClusterFilter::default()
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("{}: cannot create", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let format = match args.format {
        Format::Jsonl => ExportFormat::JsonLines,
        Format::Csv => ExportFormat::Csv,
    };
    let (stories, articles) = export(store.as_ref(), &filter, format, &mut out)?;
    if let Some(path) = &args.output {
        eprintln!(
            "{}: {}, {}",
            path.display(),
            counted(stories, "story", "stories"),
            counted(articles, "article", "articles")
        );
    }
    Ok(ExitCode::SUCCESS)
}

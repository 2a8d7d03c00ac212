//! `wirecopy run`: the cron job. One summary line on stdout, logs on stderr.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use wirecopy::archive::WarcWriter;
use wirecopy::config::Sources;
use wirecopy::fetch::Recorder;
use wirecopy::pipeline::{self, Ingest, RunOptions, RunProgress, RunReport};
use wirecopy::report::counted;
use wirecopy::store::{Database, RunCounts, SqliteStore, Store};

/// Flags of `wirecopy run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The outlets file.
    #[arg(long, value_name = "FILE", default_value = "sources.toml")]
    pub config: PathBuf,
    /// The database: a SQLite file, or postgres://user@host/db (default:
    /// [storage] url or path, else wirecopy.db next to the config).
    #[arg(long, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    /// Only this outlet (repeatable).
    #[arg(long = "outlet", value_name = "NAME")]
    pub outlets: Vec<String>,
    /// Read feeds and sitemaps and say how many articles would be fetched;
    /// fetch no article and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write every fetched response, with its request, as WARC files into
    /// DIR (default: [defaults] warc_dir; none).
    #[arg(long, value_name = "DIR")]
    pub warc: Option<PathBuf>,
}

/// Exit status for a run: 0 all outlets worked; 1 some failed (a fetch, a
/// source, a page that would not clean or store); 2 the store stopped
/// taking writes, so the run stopped fetching.
pub fn exit_code(report: &RunReport) -> ExitCode {
    if report.store_failed.is_some() {
        ExitCode::from(2)
    } else if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Tells stderr what went wrong, one line each: every failed outlet with
/// its first error (unless `quiet`), then a store that stopped taking
/// writes (always).
pub fn tell_failures(report: &RunReport, quiet: bool) {
    if !quiet {
        for (outlet, error) in &report.failed {
            eprintln!("wirecopy: outlet \"{outlet}\" failed: {error}");
        }
    }
    if let Some(error) = &report.store_failed {
        eprintln!("wirecopy: {error}");
    }
}

/// The one summary line a run prints.
pub fn summary(report: &RunReport, dry_run: bool) -> String {
    let c: &RunCounts = &report.counts;
    if dry_run {
        return format!(
            "dry run: {}, {}, {} not modified, {} to fetch, {}",
            counted(c.outlets, "outlet", "outlets"),
            counted(c.fetched, "page read", "pages read"),
            c.not_modified,
            counted(report.would_fetch, "new article URL", "new article URLs"),
            counted(c.errors, "error", "errors")
        );
    }
    let failed = if c.outlets_failed > 0 {
        format!(
            " ({} failed: {})",
            c.outlets_failed,
            report
                .failed
                .iter()
                .map(|f| f.0.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        String::new()
    };
    let left = match (report.out_of_time, report.left) {
        (true, n) => format!(
            "; stopped at max_run_secs, {} left for the next run",
            counted(n, "article page", "article pages")
        ),
        (false, 0) => String::new(),
        (false, n) => format!(
            "; {} of given-up hosts left for the next run",
            counted(n, "article page", "article pages")
        ),
    };
    // Each part is "N WORDS", singular when N is 1 (README, "the summary line").
    format!(
        "{}{failed}, {}, {} not modified, {}, {}, {}, {}{left}",
        counted(c.outlets, "outlet", "outlets"),
        counted(c.fetched, "page fetched", "pages fetched"),
        c.not_modified,
        counted(c.new_articles, "new article", "new articles"),
        counted(c.new_clusters, "new cluster", "new clusters"),
        counted(c.reprints, "reprint joined", "reprints joined"),
        counted(c.errors, "error", "errors")
    )
}

/// The progress line: pages fetched of those found so far, and the counts.
fn progress_line(p: &RunProgress<'_>) -> String {
    let c = p.counts;
    format!(
        "{} of {} article pages, {}, {}, {}",
        p.done,
        p.total,
        counted(c.new_articles, "new article", "new articles"),
        counted(c.reprints, "reprint", "reprints"),
        counted(c.errors, "error", "errors")
    )
}

/// Loads the config, printing every problem; `None` means exit 2.
pub fn load_config(path: &Path) -> anyhow::Result<Sources> {
    wirecopy::config::load(path).map_err(|error| anyhow::anyhow!("{error}"))
}

/// The database: the flag (a path or a PostgreSQL URL), else `[storage]
/// url`, else `[storage] path` relative to the config's directory, else
/// `wirecopy.db` there.
pub fn database(flag: Option<&Path>, sources: &Sources, config: &Path) -> Database {
    if let Some(p) = flag {
        return Database::from_arg(p);
    }
    if let Some(url) = &sources.storage.url {
        return Database::Postgres(url.clone());
    }
    let base = config
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Database::Sqlite(base.join(sources.storage.path.as_deref().unwrap_or("wirecopy.db")))
}

pub fn run(args: RunArgs, verbosity: i8) -> anyhow::Result<ExitCode> {
    let sources = load_config(&args.config)?;
    pipeline::select(&sources, &args.outlets)?;
    let db = database(args.db.as_deref(), &sources, &args.config);
    let runtime = super::runtime()?;
    if args.dry_run {
        // The real database, read-only, so the count is what a run would
        // fetch; none yet means everything is new. (A PostgreSQL database
        // is opened as for a run: the pipeline writes nothing in a dry run.)
        let store: Box<dyn Store + Send> = match &db {
            Database::Sqlite(path) if path.exists() => Box::new(SqliteStore::open_read_only(path)?),
            Database::Sqlite(_) => Box::new(SqliteStore::in_memory()?),
            Database::Postgres(_) => db.open()?,
        };
        let report = run_with(&runtime, &sources, store, &args.outlets, true, None)?;
        println!("{}", summary(&report, true));
        tell_failures(&report, verbosity < 0);
        return Ok(exit_code(&report));
    }
    let _lock = db.lock()?;
    let store = db.open()?;
    let warc = match warc_dir(args.warc.as_deref(), &sources, &args.config) {
        Some(dir) => {
            let max_bytes = sources.defaults.warc_max_mb.saturating_mul(1024 * 1024);
            let writer = WarcWriter::create(&dir, max_bytes)
                .with_context(|| format!("{}: cannot write WARC files", dir.display()))?;
            Some(Arc::new(writer))
        }
        None => None,
    };
    let recorder = warc.clone().map(|w| w as Arc<dyn Recorder>);
    let report = run_with(&runtime, &sources, store, &args.outlets, false, recorder)?;
    println!("{}", summary(&report, false));
    tell_failures(&report, verbosity < 0);
    let mut code = exit_code(&report);
    if let Some(writer) = warc {
        match writer.finish() {
            Ok(written) => tracing::info!(
                files = written.files.len(),
                records = written.records,
                "Wrote WARC records."
            ),
            Err(error) => {
                eprintln!("wirecopy: WARC: {error}; the run's records are incomplete");
                if code == ExitCode::SUCCESS {
                    code = ExitCode::from(1);
                }
            }
        }
    }
    Ok(code)
}

/// The WARC directory: the flag, else `[defaults] warc_dir` relative to
/// the config's directory, else none.
fn warc_dir(flag: Option<&Path>, sources: &Sources, config: &Path) -> Option<PathBuf> {
    if let Some(dir) = flag {
        return Some(dir.to_path_buf());
    }
    let base = config
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    sources
        .defaults
        .warc_dir
        .as_deref()
        .map(|dir| base.join(dir))
}

/// Runs the pipeline on a store; shared by `run`, `demo`. A `recorder`
/// sees every HTTP exchange (`--warc`).
pub fn run_with(
    runtime: &tokio::runtime::Runtime,
    sources: &Sources,
    store: Box<dyn wirecopy::store::Store + Send>,
    outlets: &[String],
    dry_run: bool,
    recorder: Option<Arc<dyn Recorder>>,
) -> anyhow::Result<RunReport> {
    let location = store.location();
    let window =
        wirecopy::store::MatchWindow::days(sources.defaults.match_window_days, chrono::Utc::now());
    let ingest = Ingest::load(
        store,
        wirecopy::dedup::IndexConfig::default(),
        window.as_ref(),
    )
    .with_context(|| format!("{location}: opening the dedup index"))?;
    let fetcher = super::recording_fetcher(sources, recorder)?;
    // A terminal only: never under cron, never into a log file.
    let progress: Option<pipeline::Progress> = if std::io::stderr().is_terminal() {
        Some(Arc::new(|p: &RunProgress<'_>| {
            eprint!("\r{}   ", progress_line(p));
        }))
    } else {
        None
    };
    let options = RunOptions {
        outlets: outlets.to_vec(),
        dry_run,
        progress: progress.clone(),
    };
    let report = runtime.block_on(pipeline::run(sources, ingest, &fetcher, &options))?;
    if progress.is_some() {
        eprint!("\r\x1b[2K");
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_counts_pages_against_the_total() {
        let counts = RunCounts {
            new_articles: 1,
            reprints: 2,
            ..RunCounts::default()
        };
        let line = progress_line(&RunProgress {
            counts: &counts,
            done: 46,
            total: 58,
        });
        assert_eq!(
            line,
            "46 of 58 article pages, 1 new article, 2 reprints, 0 errors"
        );
    }
}

//! `wirecopy import`: the pages of WARC files → clean → dedup → store, as
//! one run. One summary line on stdout; each broken record on stderr as
//! `wirecopy: FILE: at offset N: what is wrong`, and the files are read on.
//!
//! Records stream from [`wirecopy::archive::WarcReader`] one at a time into
//! [`wirecopy::pipeline::Import`], so memory does not grow with the files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use wirecopy::archive::{page_of, NotAPage, WarcReader};
use wirecopy::pipeline::{Import, Imported, Ingest, RunReport};
use wirecopy::report::counted;
use wirecopy::store::{Database, MatchWindow};

/// Room for a record's HTTP headers and a compressed body beyond the page
/// cap: a record's block may be this much larger than the page it holds.
const BLOCK_SLACK: u64 = 1024 * 1024;

/// Flags of `wirecopy import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// WARC files, compressed per record (.warc.gz) or not (.warc).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The outlets file whose homepage hosts records map to (default:
    /// sources.toml when it exists; without one, every host is a new outlet).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The database: a SQLite file, or postgres://user@host/db (default:
    /// [storage] url or path, else wirecopy.db next to the config).
    #[arg(long, value_name = "PATH|URL")]
    db: Option<PathBuf>,
    /// The outlet for pages whose host matches no outlet of the config
    /// (default: a new outlet named after each host).
    #[arg(long = "outlet", value_name = "NAME")]
    outlet: Option<String>,
}

/// What the files held, besides what the pipeline counts.
#[derive(Debug, Default)]
struct Tally {
    files: u64,
    records: u64,
    pages: u64,
    known: u64,
    not_articles: u64,
}

pub fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let (sources, config_path) = match &args.config {
        Some(path) => (Some(super::run::load_config(path)?), path.clone()),
        None => {
            let path = PathBuf::from("sources.toml");
            let sources = if path.is_file() {
                Some(super::run::load_config(&path)?)
            } else {
                None
            };
            (sources, path)
        }
    };
    if let Some(name) = &args.outlet {
        if name.trim().is_empty() {
            anyhow::bail!("--outlet: the name is empty; give a name such as --outlet archive");
        }
    }
    // A file that is not there is a mistake in the command, found before a
    // database is opened (or created) for nothing.
    for file in &args.files {
        if let Err(error) = std::fs::metadata(file) {
            anyhow::bail!(
                "{}: {error}; give the path of a .warc or .warc.gz file",
                file.display()
            );
        }
    }
    let defaults = sources
        .as_ref()
        .map(|s| s.defaults.clone())
        .unwrap_or_default();
    let db = match &sources {
        Some(sources) => super::run::database(args.db.as_deref(), sources, &config_path),
        None => Database::from_arg(args.db.as_deref().unwrap_or(Path::new("wirecopy.db"))),
    };
    let _lock = db.lock()?;
    let store = db.open()?;
    let location = db.to_string();
    let window = MatchWindow::days(defaults.match_window_days, chrono::Utc::now());
    let ingest = Ingest::load(
        store,
        wirecopy::dedup::IndexConfig::default(),
        window.as_ref(),
    )
    .with_context(|| format!("{location}: opening the dedup index"))?;
    let mut import = Import::begin(sources.as_ref(), ingest, args.outlet.clone())?;
    let mut tally = Tally::default();
    let max_body = defaults.max_page_bytes;
    for file in &args.files {
        if !import_file(&mut import, file, max_body, &mut tally) {
            break;
        }
    }
    tally.known = import.known();
    let report = import.finish()?;
    println!("{}", summary(&tally, &report));
    if let Some(error) = &report.store_failed {
        eprintln!("wirecopy: {error}; stopped importing");
        return Ok(ExitCode::from(2));
    }
    Ok(if report.counts.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Imports one file; returns false if the store stopped taking writes.
fn import_file(import: &mut Import, file: &Path, max_body: usize, tally: &mut Tally) -> bool {
    let max_block = u64::try_from(max_body)
        .unwrap_or(u64::MAX)
        .saturating_add(BLOCK_SLACK);
    let reader = match WarcReader::open(file, max_block) {
        Ok(reader) => reader,
        Err(error) => {
            eprintln!("wirecopy: {error}");
            import.note_error();
            return true;
        }
    };
    tally.files += 1;
    for entry in reader {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                eprintln!("wirecopy: {error}");
                import.note_error();
                continue;
            }
        };
        tally.records += 1;
        let page = match page_of(&entry.record, max_body) {
            Ok(page) => page,
            Err(NotAPage::Broken(message)) => {
                eprintln!(
                    "wirecopy: {}: at offset {}: {message}",
                    file.display(),
                    entry.offset
                );
                import.note_error();
                continue;
            }
            Err(_) => continue,
        };
        tally.pages += 1;
        match import.page(&page) {
            Imported::Stored { .. } | Imported::Known => {}
            Imported::NotAnArticle => tally.not_articles += 1,
            Imported::Failed(message) => {
                tracing::warn!(file = %file.display(), offset = entry.offset, error = %message, "Page not imported.");
            }
            Imported::Halted => return false,
        }
    }
    true
}

/// The one summary line an import prints.
fn summary(tally: &Tally, report: &RunReport) -> String {
    let c = &report.counts;
    format!(
        "{}, {}, {} (HTML 200), {} not articles, {} already stored, {}, {}, {}, {}",
        counted(tally.files, "file", "files"),
        counted(tally.records, "record", "records"),
        counted(tally.pages, "page", "pages"),
        tally.not_articles,
        tally.known,
        counted(c.new_articles, "new article", "new articles"),
        counted(c.new_clusters, "new cluster", "new clusters"),
        counted(c.reprints, "reprint joined", "reprints joined"),
        counted(c.errors, "error", "errors"),
    )
}

//! `wirecopy sources list`: every outlet of sources.toml with its state
//! from the database, when there is one: enabled, sources, articles
//! stored, last successful fetch, last error. Text for people, JSON for
//! scripts. The database is opened read-only and never created.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use wirecopy::config::Outlet;
use wirecopy::store::{Database, OutletState, SqliteStore, Store};

/// Flags of `wirecopy sources list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// The outlets file.
    #[arg(long, value_name = "FILE", default_value = "sources.toml")]
    config: PathBuf,
    /// The database: a SQLite file, or postgres://user@host/db (default:
    /// [storage] url or path, else wirecopy.db next to the config).
    #[arg(long, value_name = "PATH|URL")]
    db: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One line per outlet under a header.
    Text,
    /// One JSON document: the config, the database and the outlets.
    Json,
}

/// One outlet in the JSON output.
#[derive(Serialize)]
struct Row<'a> {
    name: &'a str,
    homepage: &'a str,
    enabled: bool,
    agency: bool,
    feeds: Vec<&'a str>,
    sitemaps: Vec<&'a str>,
    sections: Vec<&'a str>,
    /// Articles stored; `null` without a database.
    articles: Option<i64>,
    last_ok: Option<&'a str>,
    last_error: Option<&'a str>,
    last_error_at: Option<&'a str>,
}

/// The JSON document.
#[derive(Serialize)]
struct Listing<'a> {
    config: String,
    database: Option<String>,
    outlets: Vec<Row<'a>>,
    /// Outlets the database has and the config no longer names.
    not_in_config: Vec<&'a str>,
}

/// Runs `sources list`.
pub fn run(args: ListArgs) -> anyhow::Result<ExitCode> {
    let sources = super::run::load_config(&args.config)?;
    let db = super::run::database(args.db.as_deref(), &sources, &args.config);
    let states: Option<HashMap<String, OutletState>> = if db.exists() {
        let store: Box<dyn Store> = match &db {
            Database::Sqlite(path) => Box::new(SqliteStore::open_read_only(path)?),
            Database::Postgres(_) => db.open()?,
        };
        Some(
            store
                .outlet_states()?
                .into_iter()
                .map(|s| (s.name.clone(), s))
                .collect(),
        )
    } else {
        None
    };
    let rows: Vec<Row<'_>> = sources
        .outlets
        .iter()
        .map(|o| row(o, states.as_ref().map(|s| s.get(&o.name))))
        .collect();
    let mut gone: Vec<&str> = states
        .iter()
        .flat_map(|s| s.keys())
        .map(String::as_str)
        .filter(|name| !sources.outlets.iter().any(|o| o.name == *name))
        .collect();
    gone.sort_unstable();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Json => {
            let listing = Listing {
                config: args.config.display().to_string(),
                database: states.as_ref().map(|_| db.to_string()),
                outlets: rows,
                not_in_config: gone,
            };
            serde_json::to_writer_pretty(&mut out, &listing)?;
            writeln!(out)?;
        }
        Format::Text => {
            text(&mut out, &rows)?;
            if !gone.is_empty() {
                writeln!(
                    out,
                    "\nin the database, no longer in {}: {}",
                    args.config.display(),
                    gone.join(", ")
                )?;
            }
            if states.is_none() {
                writeln!(out, "\n{db}: no database yet; `wirecopy run` fills it",)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One outlet's row; `state` is `None` without a database, `Some(None)`
/// for an outlet the database has not seen.
fn row<'a>(o: &'a Outlet, state: Option<Option<&'a OutletState>>) -> Row<'a> {
    let urls = |list: &'a [url::Url]| list.iter().map(url::Url::as_str).collect();
    let known = state.flatten();
    Row {
        name: &o.name,
        homepage: o.homepage.as_str(),
        enabled: o.enabled,
        agency: o.agency,
        feeds: urls(&o.feeds),
        sitemaps: urls(&o.sitemaps),
        sections: urls(&o.sections),
        articles: state.map(|s| s.map_or(0, |s| s.articles)),
        last_ok: known.and_then(|s| s.last_ok.as_deref()),
        last_error: known.and_then(|s| s.last_error.as_deref()),
        last_error_at: known.and_then(|s| s.last_error_at.as_deref()),
    }
}

/// The text table: one line per outlet, the last error on a line below.
fn text(out: &mut impl Write, rows: &[Row<'_>]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<20}  {:<7}  {:<28}  {:>8}  {:<20}",
        "outlet", "enabled", "sources", "articles", "last ok (UTC)"
    )?;
    for r in rows {
        let mut sources = Vec::new();
        for (n, one, many) in [
            (r.feeds.len(), "feed", "feeds"),
            (r.sitemaps.len(), "sitemap", "sitemaps"),
            (r.sections.len(), "section", "sections"),
        ] {
            if n > 0 {
                sources.push(wirecopy::report::counted(n as u64, one, many));
            }
        }
        let sources = if sources.is_empty() {
            "none".to_owned()
        } else {
            sources.join(", ")
        };
        writeln!(
            out,
            "{:<20}  {:<7}  {:<28}  {:>8}  {:<20}",
            r.name,
            if r.enabled { "yes" } else { "no" },
            sources,
            r.articles.map_or("-".to_owned(), |n| n.to_string()),
            r.last_ok.map_or("-".to_owned(), short_time),
        )?;
        if let Some(error) = r.last_error {
            writeln!(
                out,
                "{:<20}  last error {}: {error}",
                "",
                r.last_error_at.map_or("-".to_owned(), short_time)
            )?;
        }
    }
    Ok(())
}

/// `2026-12-01T14:05:09.123Z` → `2026-12-01 14:05:09`.
fn short_time(at: &str) -> String {
    at.get(..19).unwrap_or(at).replacen('T', " ", 1)
}

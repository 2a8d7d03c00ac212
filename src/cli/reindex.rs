//! `wirecopy reindex`: rebuild the dedup index the store keeps, with a
//! progress line on a terminal and one summary line on stdout.
//!
//! Needed after a change of the fingerprint version and once for a
//! database from before the index lived in the store; `wirecopy run`
//! refuses (exit 2) until it is done. It holds the run lock, commits after
//! every article, and resumes where it stopped when run again. Exit codes:
//! 0 done, 2 could not run (config, lock, database).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use wirecopy::pipeline::{reindex, ReindexOptions};
use wirecopy::store::{Database, ReindexProgress};

/// Flags of `wirecopy reindex`.
#[derive(Debug, clap::Args)]
pub struct ReindexArgs {
    /// The outlets file (for `match_window_days` and `[storage] path`;
    /// defaults apply when it does not exist).
    #[arg(long, value_name = "FILE", default_value = "sources.toml")]
    pub config: PathBuf,
    /// The database: a SQLite file, or postgres://user@host/db (default:
    /// [storage] url or path, else wirecopy.db next to the config).
    #[arg(long, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    /// Start over, even if a reindex is under way or the index is current.
    #[arg(long)]
    pub restart: bool,
}

pub fn run(args: ReindexArgs) -> anyhow::Result<ExitCode> {
    let sources = if args.config.exists() || args.db.is_none() {
        Some(super::run::load_config(&args.config)?)
    } else {
        None
    };
    let db = match (&args.db, &sources) {
        (Some(db), _) => Database::from_arg(db),
        (None, Some(s)) => super::run::database(None, s, &args.config),
        (None, None) => Database::Sqlite(PathBuf::from("wirecopy.db")),
    };
    if !db.exists() {
        anyhow::bail!("{db}: no such database; pass --db PATH or run `wirecopy run` first");
    }
    let window_days = sources
        .as_ref()
        .map_or(30, |s| s.defaults.match_window_days);
    let _lock = db.lock()?;
    let mut store = db.open()?;
    let location = store.location();
    let terminal = std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut show = |p: &ReindexProgress| {
        if terminal {
            let share = if p.total == 0 {
                100.0
            } else {
                100.0 * p.done as f64 / p.total as f64
            };
            eprint!(
                "\r{} of {} articles re-filed ({share:.0}%), {:.0} s   ",
                p.done,
                p.total,
                started.elapsed().as_secs_f64()
            );
        }
    };
    let options = ReindexOptions {
        window_days,
        restart: args.restart,
        ..ReindexOptions::default()
    };
    let done = reindex(store.as_mut(), &options, &mut show)
        .with_context(|| format!("{location}: reindexing (run it again to resume)"))?;
    if terminal {
        eprint!("\r\x1b[2K");
    }
    println!(
        "wirecopy: {location}: dedup index current (fingerprint version {}): {} articles, {:.1} s",
        wirecopy::dedup::FINGERPRINT_VERSION,
        done.total,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

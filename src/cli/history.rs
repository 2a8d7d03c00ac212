//! `wirecopy runs list` and `wirecopy errors`: what the cron job did, read
//! from the database, for the people who look after it.

use std::io::Write;
use std::process::ExitCode;

use wirecopy::store::Id;

use super::report::{open_db, DbArg};

/// Arguments of `wirecopy runs`.
#[derive(Debug, clap::Args)]
pub struct RunsArgs {
    #[command(flatten)]
    db: DbArg,
    #[command(subcommand)]
    command: RunsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum RunsCommand {
    /// The latest runs: id, start, duration, status and counts.
    List {
        /// At most this many runs, newest first.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

/// Arguments of `wirecopy errors`.
#[derive(Debug, clap::Args)]
pub struct ErrorsArgs {
    #[command(flatten)]
    db: DbArg,
    /// Only the failures of this run (default: all stored).
    #[arg(long, value_name = "ID")]
    run: Option<Id>,
}

/// Lists runs.
pub fn runs(args: RunsArgs) -> anyhow::Result<ExitCode> {
    let store = open_db(&args.db)?;
    let RunsCommand::List { limit } = args.command;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "{:>5}  {:<20}  {:>8}  {:<11}  {:>14}  {:>7}  {:>8}  {:>8}  {:>8}  {:>6}",
        "run",
        "started (UTC)",
        "took",
        "status",
        "outlets",
        "fetched",
        "articles",
        "clusters",
        "reprints",
        "errors"
    )?;
    for r in store.runs(limit)? {
        let took = r
            .finished_at
            .as_deref()
            .and_then(|f| seconds_between(&r.started_at, f))
            .map_or("-".to_string(), |s| format!("{s} s"));
        let outlets = if r.outlets_failed > 0 {
            format!("{} ({} failed)", r.outlets, r.outlets_failed)
        } else {
            r.outlets.to_string()
        };
        writeln!(
            out,
            "{:>5}  {:<20}  {:>8}  {:<11}  {:>14}  {:>7}  {:>8}  {:>8}  {:>8}  {:>6}",
            r.id,
            r.started_at
                .get(..19)
                .unwrap_or(&r.started_at)
                .replace('T', " "),
            took,
            r.status,
            outlets,
            r.fetched,
            r.new_articles,
            r.new_clusters,
            r.reprints,
            r.errors
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Lists failures grouped by outlet and stage.
pub fn errors(args: ErrorsArgs) -> anyhow::Result<ExitCode> {
    let store = open_db(&args.db)?;
    if let Some(id) = args.run {
        if !store.recent_runs(usize::MAX)?.contains(&id) {
            eprintln!(
                "wirecopy: {}: no run {id} in this database",
                store.location()
            );
            return Ok(ExitCode::from(1));
        }
    }
    let groups = store.error_groups(args.run)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if groups.is_empty() {
        writeln!(out, "no failures recorded")?;
    }
    for g in groups {
        let outlet = if g.outlet.is_empty() {
            "(no outlet)"
        } else {
            g.outlet.as_str()
        };
        writeln!(
            out,
            "{outlet} · {} · {} time(s), last at {}",
            g.stage, g.count, g.at
        )?;
        writeln!(out, "    {}: {}", g.url, g.message)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Returns the whole seconds from `a` to `b` (RFC 3339), if both parse.
fn seconds_between(a: &str, b: &str) -> Option<i64> {
    let a = chrono::DateTime::parse_from_rfc3339(a).ok()?;
    let b = chrono::DateTime::parse_from_rfc3339(b).ok()?;
    Some((b - a).num_seconds())
}

//! `wirecopy report`, `wirecopy review`, `wirecopy clusters`: reading and
//! correcting the stored clusters.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use wirecopy::dedup::CanonicalPolicy;
use wirecopy::report::{self, counted, similarity, Report};
use wirecopy::store::{ClusterFilter, Database, Decision, DecisionKind, Id, Store};

/// Which database; never created by these commands.
#[derive(Debug, clap::Args)]
pub(super) struct DbArg {
    /// The database written by `wirecopy run`: a SQLite file, or
    /// postgres://user@host/db (default: the one `wirecopy run` uses:
    /// `[storage] url` or `path` of the config, else wirecopy.db beside it).
    #[arg(long, value_name = "PATH|URL", global = true)]
    db: Option<PathBuf>,
    /// The outlets file whose `[storage] path` names the database when
    /// --db is not given; read only if it exists.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "sources.toml",
        global = true
    )]
    config: PathBuf,
}

impl DbArg {
    /// Returns the database these commands read: `--db`, else the one
    /// `wirecopy run` would write with the same config, else `wirecopy.db`.
    ///
    /// Errors if the config exists but cannot be read: a report of another
    /// database than the cron job's would mislead.
    fn database(&self) -> anyhow::Result<Database> {
        if let Some(db) = &self.db {
            return Ok(Database::from_arg(db));
        }
        if !self.config.is_file() {
            return Ok(Database::Sqlite(PathBuf::from("wirecopy.db")));
        }
        let sources = super::run::load_config(&self.config).with_context(|| {
            format!(
                "{}: reading [storage] path (or pass --db PATH)",
                self.config.display()
            )
        })?;
        Ok(super::run::database(None, &sources, &self.config))
    }
}

/// Opens the existing database `db` names.
pub(super) fn open_db(db: &DbArg) -> anyhow::Result<Box<dyn Store + Send>> {
    open(&db.database()?)
}

/// Opens an existing database.
fn open(db: &Database) -> anyhow::Result<Box<dyn Store + Send>> {
    if !db.exists() {
        anyhow::bail!("{db}: no database here; run `wirecopy run` first, or pass --db PATH");
    }
    Ok(db.open()?)
}

/// Parses "90m", "24h", "7d", "2w" into a cut-off time.
/// Returns why a filter can select nothing, naming what exists instead: an
/// outlet the database does not know, a run it never had. `None` when both
/// exist (or are not given).
pub(super) fn unknown_filter(
    store: &dyn Store,
    outlet: Option<&str>,
    run: Option<Id>,
) -> anyhow::Result<Option<String>> {
    if let Some(name) = outlet {
        let names = store.outlet_names()?;
        if !names.iter().any(|n| n == name) {
            let shown: Vec<&str> = names.iter().take(10).map(String::as_str).collect();
            let more = names.len().saturating_sub(shown.len());
            let list = if names.is_empty() {
                "it has none yet".to_string()
            } else if more > 0 {
                format!("it has {} … and {more} more", shown.join(", "))
            } else {
                format!("it has {}", shown.join(", "))
            };
            return Ok(Some(format!(
                "{}: no outlet \"{name}\" in this database ({list})",
                store.location()
            )));
        }
    }
    if let Some(id) = run {
        let runs = store.recent_runs(10)?;
        if !store.recent_runs(usize::MAX)?.contains(&id) {
            let list = if runs.is_empty() {
                "it has no run yet".to_string()
            } else {
                let ids: Vec<String> = runs.iter().map(Id::to_string).collect();
                format!("its latest runs are {}", ids.join(", "))
            };
            return Ok(Some(format!(
                "{}: no run {id} in this database ({list})",
                store.location()
            )));
        }
    }
    Ok(None)
}

/// Prints `message` as the command's error and returns exit status 1.
pub(super) fn nothing_selected(message: &str) -> ExitCode {
    eprintln!("wirecopy: {message}");
    ExitCode::from(1)
}

pub(super) fn since(duration: &str) -> anyhow::Result<String> {
    let d = duration.trim();
    let (number, unit) = d.split_at(d.find(|c: char| !c.is_ascii_digit()).unwrap_or(d.len()));
    let n: i64 = number
        .parse()
        .with_context(|| format!("--since {d:?}: expected a number and a unit, e.g. 24h or 7d"))?;
    let minutes = match unit {
        "m" | "min" => n,
        "h" => n * 60,
        "d" => n * 24 * 60,
        "w" => n * 7 * 24 * 60,
        _ => anyhow::bail!("--since {d:?}: unknown unit {unit:?}; use m, h, d or w (e.g. 24h)"),
    };
    let t = chrono::Utc::now() - chrono::Duration::minutes(minutes);
    Ok(t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Html,
    Markdown,
    Json,
}

/// Flags of `wirecopy report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    db: DbArg,
    /// Only clusters with an article fetched within this time (90m, 24h, 7d, 2w).
    #[arg(long, value_name = "DURATION", conflicts_with = "run")]
    since: Option<String>,
    /// Only clusters with an article stored by this run.
    #[arg(long, value_name = "ID")]
    run: Option<Id>,
    /// Only clusters with an article from this outlet.
    #[arg(long, value_name = "NAME")]
    outlet: Option<String>,
    /// Only clusters with at least this many articles.
    #[arg(long, value_name = "N", default_value_t = 2)]
    min_size: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "html")]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn report(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let db = args.db.database()?;
    let store = open(&db)?;
    if let Some(why) = unknown_filter(store.as_ref(), args.outlet.as_deref(), args.run)? {
        return Ok(nothing_selected(&why));
    }
    let filter = ClusterFilter {
        since: args.since.as_deref().map(since).transpose()?,
        run: args.run,
        outlet: args.outlet,
        min_size: args.min_size,
        ..ClusterFilter::default()
    };
    let mut report = Report::build(store.as_ref(), &filter)?;
    if !db.is_default() {
        report.database = Some(db.to_string());
    }
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("{}: cannot create", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        Format::Html => report::html::write(&report, &mut out)?,
        Format::Markdown => report::markdown::write(&report, &mut out)?,
        Format::Json => report::json::write(&report, &mut out)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Flags of `wirecopy review`.
#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    #[command(flatten)]
    db: DbArg,
    /// Why (kept with the decision and shown in reports).
    #[arg(long, value_name = "TEXT", global = true)]
    note: Option<String>,
    #[command(subcommand)]
    decision: ReviewCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ReviewCommand {
    /// This article is not a reprint of this story: move it to a cluster of its own.
    Split { cluster: Id, article: Id },
    /// These two clusters are one story: fold the second into the first.
    Merge { cluster: Id, other: Id },
    /// This member is the canonical version, and stays so.
    Canonical { cluster: Id, article: Id },
    /// This cluster is right as it is.
    Confirm { cluster: Id },
}

pub fn review(args: ReviewArgs) -> anyhow::Result<ExitCode> {
    let mut store = open(&args.db.database()?)?;
    let (kind, cluster, article, other) = match args.decision {
        ReviewCommand::Split { cluster, article } => {
            (DecisionKind::Split, cluster, Some(article), None)
        }
        ReviewCommand::Merge { cluster, other } => {
            (DecisionKind::Merge, cluster, None, Some(other))
        }
        ReviewCommand::Canonical { cluster, article } => {
            (DecisionKind::Canonical, cluster, Some(article), None)
        }
        ReviewCommand::Confirm { cluster } => (DecisionKind::Confirm, cluster, None, None),
    };
    let decision = Decision {
        kind,
        cluster,
        article,
        other,
        note: args.note,
    };
    let result = store.review(&decision, CanonicalPolicy::default())?;
    match kind {
        DecisionKind::Split => println!(
            "article {} left cluster {cluster} for new cluster {result}",
            article.unwrap_or(0)
        ),
        DecisionKind::Merge => println!(
            "cluster {} merged into cluster {cluster}",
            other.unwrap_or(0)
        ),
        DecisionKind::Canonical => println!(
            "article {} is now the canonical of cluster {cluster}",
            article.unwrap_or(0)
        ),
        DecisionKind::Confirm => println!("cluster {cluster} confirmed"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Flags of `wirecopy clusters`.
#[derive(Debug, clap::Args)]
pub struct ClustersArgs {
    #[command(flatten)]
    db: DbArg,
    /// `text` for people, `json` for scripts (list: an array; show: the cluster as the JSON report has it).
    #[arg(long, value_enum, default_value = "text", global = true)]
    format: ListFormat,
    #[command(subcommand)]
    command: ClustersCommand,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Subcommand)]
enum ClustersCommand {
    /// List clusters, largest first.
    List {
        /// Only clusters with at least this many articles.
        #[arg(long, value_name = "N", default_value_t = 2)]
        min_size: usize,
        /// Only clusters with an article from this outlet.
        #[arg(long, value_name = "NAME")]
        outlet: Option<String>,
        /// Only clusters with an article fetched within this time (24h, 7d…).
        #[arg(long, value_name = "DURATION")]
        since: Option<String>,
        /// At most this many.
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: usize,
    },
    /// Show one cluster: canonical, members, changes, decisions.
    Show { id: Id },
}

pub fn clusters(args: ClustersArgs) -> anyhow::Result<ExitCode> {
    let store = open(&args.db.database()?)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.command {
        ClustersCommand::List {
            min_size,
            outlet,
            since: s,
            limit,
        } => {
            if let Some(why) = unknown_filter(store.as_ref(), outlet.as_deref(), None)? {
                return Ok(nothing_selected(&why));
            }
            let filter = ClusterFilter {
                min_size,
                outlet,
                since: s.as_deref().map(since).transpose()?,
                limit: Some(limit),
                ..ClusterFilter::default()
            };
            let mut listed = Vec::new();
            for id in store.cluster_ids(&filter)? {
                let Some(c) = store.cluster(id)? else {
                    continue;
                };
                let doubtful = c
                    .members
                    .iter()
                    .filter(|m| report::is_doubtful(&m.relation, m.similarity))
                    .count();
                if args.format == ListFormat::Json {
                    listed.push(serde_json::json!({
                        "id": id,
                        "articles": c.members.len() + 1,
                        "outlet": c.canonical.info.outlet,
                        "title": c.canonical.info.title,
                        "doubtful": doubtful,
                    }));
                    continue;
                }
                writeln!(
                    out,
                    "{id:>6}  {:>3} articles  {:<12} {}{}",
                    c.members.len() + 1,
                    c.canonical.info.outlet,
                    c.canonical.info.title.as_deref().unwrap_or("(untitled)"),
                    if doubtful > 0 {
                        format!("  [{doubtful} doubtful]")
                    } else {
                        String::new()
                    }
                )?;
            }
            if args.format == ListFormat::Json {
                serde_json::to_writer_pretty(&mut out, &listed)?;
                writeln!(out)?;
            }
        }
        ClustersCommand::Show { id } => {
            let filter = ClusterFilter {
                ids: Some(vec![id]),
                min_size: 1,
                ..ClusterFilter::default()
            };
            let report = Report::build(store.as_ref(), &filter)?;
            let Some(c) = report.clusters.first() else {
                anyhow::bail!("there is no cluster {id}; `wirecopy clusters list` shows them");
            };
            if args.format == ListFormat::Json {
                serde_json::to_writer_pretty(&mut out, c)?;
                writeln!(out)?;
                out.flush()?;
                return Ok(ExitCode::SUCCESS);
            }
            let a = &c.canonical;
            writeln!(
                out,
                "cluster {} · {}{}",
                c.id,
                counted(c.members.len() as u64 + 1, "article", "articles"),
                if c.confirmed_at.is_some() {
                    " · confirmed"
                } else {
                    ""
                }
            )?;
            writeln!(
                out,
                "canonical{}: article {} · {} · {}",
                if c.canonical_locked {
                    " (reviewer's choice)"
                } else {
                    ""
                },
                a.id,
                a.outlet,
                a.title.as_deref().unwrap_or("(untitled)")
            )?;
            writeln!(
                out,
                "    {} · {}",
                a.published.as_deref().unwrap_or("no date"),
                a.url
            )?;
            for m in &c.members {
                let d = &m.diff;
                writeln!(
                    out,
                    "{} article {} · {} · {} {} · +{} −{}{} words",
                    if m.doubtful { "⚠" } else { " " },
                    m.article.id,
                    m.article.outlet,
                    m.relation,
                    similarity(m.similarity),
                    d.inserted,
                    d.deleted,
                    if d.cut_tail > 0 {
                        format!(" (tail cut {})", d.cut_tail)
                    } else {
                        String::new()
                    }
                )?;
                writeln!(
                    out,
                    "    {} · {}",
                    m.article.title.as_deref().unwrap_or("(untitled)"),
                    m.article.url
                )?;
            }
            for d in &c.decisions {
                writeln!(
                    out,
                    "decision {} {}{}",
                    d.at,
                    d.kind.as_str(),
                    d.note
                        .as_deref()
                        .map(|n| format!(": {n}"))
                        .unwrap_or_default()
                )?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

//! `wirecopy demo`: the whole job, offline, against invented outlets served
//! from `fixtures/sites/` on loopback ports.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use wirecopy::report::{counted, similarity};
use wirecopy::sites::SiteServer;
use wirecopy::store::{SqliteStore, Store};

/// How many clusters of reprints the demo prints (the largest first).
const DEMO_CLUSTERS: usize = 10;

/// Flags of `wirecopy demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// The fixture sites (one directory per outlet, plus sources.toml).
    #[arg(long, value_name = "DIR")]
    sites: Option<PathBuf>,
    /// Where to put the demo's config and database (replaced if present).
    #[arg(long, value_name = "DIR", default_value = "wirecopy-demo")]
    out: PathBuf,
}

/// The repository's fixture sites: next to the working directory, else
/// where this binary was built from.
fn default_sites() -> PathBuf {
    let local = PathBuf::from("fixtures/sites");
    if local.join("sources.toml").is_file() {
        return local;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/sites")
}

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let sites = args.sites.unwrap_or_else(default_sites);
    let template_path = sites.join("sources.toml");
    let template = std::fs::read_to_string(&template_path).with_context(|| {
        format!(
            "{}: cannot read the demo config (run from the repository, or pass --sites DIR)",
            template_path.display()
        )
    })?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create", args.out.display()))?;
    let db = args.out.join("wirecopy.db");
    for stale in ["wirecopy.db", "wirecopy.db-wal", "wirecopy.db-shm"] {
        let _ = std::fs::remove_file(args.out.join(stale));
    }
    let runtime = super::runtime()?;
    let server = runtime
        .block_on(SiteServer::start(&sites))
        .with_context(|| format!("{}: cannot serve the fixture sites", sites.display()))?;
    let config_path = args.out.join("sources.toml");
    std::fs::write(&config_path, server.substitute(&template))
        .with_context(|| format!("{}: cannot write", config_path.display()))?;
    let sources = super::run::load_config(&config_path)?;
    let store = SqliteStore::open(&db)?;
    let report = super::run::run_with(&runtime, &sources, Box::new(store), &[], false, None)?;
    println!("{}", super::run::summary(&report, false));
    let store = SqliteStore::open(&db)?;
    let shown = store.clusters_with_reprints(DEMO_CLUSTERS)?;
    for c in &shown {
        println!();
        let title = c.canonical.title.as_deref().unwrap_or("(untitled)");
        println!(
            "cluster {} · {} · canonical: {} {}",
            c.id, title, c.canonical.outlet, c.canonical.url
        );
        for (a, relation, score) in &c.members {
            println!(
                "    {relation:<8} {}  {:<10} {}",
                similarity(*score),
                a.outlet,
                a.url
            );
        }
    }
    let all = store.totals()?.clusters_with_reprints;
    if all > shown.len() as u64 {
        println!();
        println!(
            "… and {} (the smallest): wirecopy clusters list --db {} shows all {all}.",
            counted(all - shown.len() as u64, "more cluster", "more clusters"),
            db.display()
        );
    }
    println!();
    println!(
        "Served {} from {} on loopback.",
        counted(
            server.sites().len() as u64,
            "invented outlet",
            "invented outlets"
        ),
        sites.display()
    );
    println!(
        "Database: {}   config: {}",
        db.display(),
        config_path.display()
    );
    println!(
        "Review it: wirecopy serve --db {0} (then open http://127.0.0.1:8077/), wirecopy report --db {0} -o report.html, or wirecopy clusters list --db {0}",
        db.display()
    );
    drop(server);
    Ok(super::run::exit_code(&report))
}

//! Subcommands: one file each. Only this layer prints or uses anyhow.

mod clean;
mod completions;
mod dedup;
mod demo;
mod export;
mod history;
mod import;
mod init;
mod inputs;
mod reindex;
mod report;
mod run;
mod serve;
mod sources;
mod sources_add;
mod sources_list;

use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use wirecopy::config::Sources;
use wirecopy::fetch::{FetchConfig, Fetcher};

/// Find each news story once, with the list of outlets that reprinted it.
#[derive(Debug, Parser)]
#[command(name = "wirecopy", version, about)]
pub struct Args {
    /// Say less on stderr: no line per failed outlet, only what stops a command.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Say more on stderr: -v each stored article and failed URL, -vv debugging detail.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

impl Args {
    /// -1 for `-q`, 0 by default, 1 for `-v`, 2 for `-vv` …
    pub fn verbosity(&self) -> i8 {
        if self.quiet {
            -1
        } else {
            i8::try_from(self.verbose).unwrap_or(i8::MAX)
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Fetch every outlet in sources.toml, cluster reprints, store them (the cron job).
    Run(run::RunArgs),
    /// Check, add and list outlets (sources check | add | list).
    Sources(sources::SourcesArgs),
    /// Run the whole job offline against invented outlets on loopback.
    Demo(demo::DemoArgs),
    /// Write a review report of the stored clusters (html, markdown, json).
    Report(report::ReportArgs),
    /// Record a review decision: split, merge, canonical, confirm.
    Review(report::ReviewArgs),
    /// Review the clusters in a browser: a web app on loopback.
    Serve(serve::ServeArgs),
    /// List clusters or show one.
    Clusters(report::ClustersArgs),
    /// Export every stored story with its reprints (JSON Lines or CSV).
    Export(export::ExportArgs),
    /// Cluster the pages of WARC files (.warc, .warc.gz) as a run would.
    Import(import::ImportArgs),
    /// Rebuild the dedup index after a fingerprint version change (resumable).
    Reindex(reindex::ReindexArgs),
    /// List the latest runs with their status and counts.
    Runs(history::RunsArgs),
    /// Show the recorded failures, grouped by outlet and cause.
    Errors(history::ErrorsArgs),
    /// Clean HTML pages to article text and metadata.
    Clean(clean::CleanArgs),
    /// Cluster reprints of the same story among local files.
    Dedup(dedup::DedupArgs),
    /// Write a commented sources.toml to start from.
    Init(init::InitArgs),
    /// Write a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
}

/// Runs one subcommand and returns the process exit code.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let verbosity = args.verbosity();
    match args.command {
        Command::Run(a) => run::run(a, verbosity),
        Command::Sources(a) => sources::run(a),
        Command::Demo(a) => demo::run(a),
        Command::Report(a) => report::report(a),
        Command::Review(a) => report::review(a),
        Command::Serve(a) => serve::run(a),
        Command::Clusters(a) => report::clusters(a),
        Command::Export(a) => export::run(a),
        Command::Import(a) => import::run(a),
        Command::Reindex(a) => reindex::run(a),
        Command::Runs(a) => history::runs(a),
        Command::Errors(a) => history::errors(a),
        Command::Clean(a) => clean::run(a),
        Command::Dedup(a) => dedup::run(a),
        Command::Init(a) => init::run(a),
        Command::Completions(a) => completions::run(a),
    }
}

/// The async runtime for commands that fetch: two worker threads suit the
/// I/O-bound work and the machines wirecopy runs on.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// A fetcher configured from `[defaults]`.
fn fetcher(sources: &Sources) -> anyhow::Result<Fetcher> {
    recording_fetcher(sources, None)
}

/// A fetcher configured from `[defaults]`, telling `recorder` (if any)
/// about every exchange.
fn recording_fetcher(
    sources: &Sources,
    recorder: Option<std::sync::Arc<dyn wirecopy::fetch::Recorder>>,
) -> anyhow::Result<Fetcher> {
    let d = &sources.defaults;
    let config = FetchConfig {
        user_agent: d.user_agent.clone(),
        connect_timeout: d.connect_timeout,
        total_timeout: d.timeout,
        max_body_bytes: d.max_page_bytes,
        retries: d.retries,
        concurrency: d.concurrency,
        ..FetchConfig::default()
    };
    match recorder {
        Some(recorder) => Fetcher::with_recorder(config, recorder),
        None => Fetcher::new(config),
    }
    .context("cannot set up the HTTP client")
}

//! `wirecopy sources`: try, add and list outlets. `check` lives here with
//! the sample printer that `add` shares; `add` is `sources_add.rs`, `list`
//! is `sources_list.rs`.

use std::path::PathBuf;
use std::process::ExitCode;

use wirecopy::pipeline::{self, Sample};

/// Flags of `wirecopy sources`.
#[derive(Debug, clap::Args)]
pub struct SourcesArgs {
    #[command(subcommand)]
    command: SourcesCommand,
}

#[derive(Debug, clap::Subcommand)]
enum SourcesCommand {
    /// Validate the config, read each outlet's feeds/sitemaps/sections, and
    /// clean three of its articles to show whether it needs selectors.
    Check(CheckArgs),
    /// Find a site's feeds, sitemaps or sections, infer its article_url, try
    /// three articles, and append an [[outlet]] table to sources.toml.
    Add(super::sources_add::AddArgs),
    /// List the outlets with their state from the database: enabled,
    /// sources, articles stored, last successful fetch, last error.
    List(super::sources_list::ListArgs),
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// The outlets file.
    #[arg(long, value_name = "FILE", default_value = "sources.toml")]
    config: PathBuf,
    /// How many articles to fetch and clean per outlet.
    #[arg(long, value_name = "N", default_value_t = 3)]
    samples: usize,
    /// Outlets to check (default: every enabled outlet).
    #[arg(value_name = "NAME")]
    names: Vec<String>,
}

pub fn run(args: SourcesArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        SourcesCommand::Check(args) => check(args),
        SourcesCommand::Add(args) => super::sources_add::run(args),
        SourcesCommand::List(args) => super::sources_list::run(args),
    }
}

fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let sources = super::run::load_config(&args.config)?;
    let outlets = pipeline::select(&sources, &args.names)?;
    let enabled = sources.outlets.iter().filter(|o| o.enabled).count();
    println!(
        "{}: valid ({}, {} enabled)",
        args.config.display(),
        wirecopy::report::counted(sources.outlets.len() as u64, "outlet", "outlets"),
        enabled
    );
    let runtime = super::runtime()?;
    let fetcher = super::fetcher(&sources)?;
    let mut ok = true;
    for outlet in outlets {
        let check = runtime.block_on(pipeline::check(outlet, &fetcher, args.samples))?;
        println!();
        println!(
            "== {}{} ==",
            check.name,
            if outlet.agency { " (agency)" } else { "" }
        );
        for error in &check.errors {
            println!("  error: {error}");
        }
        println!("  found {} article URLs", check.links);
        if check.links == 0 || !check.errors.is_empty() {
            ok = false;
        }
        for sample in &check.samples {
            ok &= print_sample(sample);
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Prints one sample article as `sources check` shows it: title, date,
/// agency, length, first lines and warnings. Returns true if and only if it
/// cleaned without warnings.
pub(super) fn print_sample(sample: &Sample) -> bool {
    println!("  {}", sample.url);
    match &sample.article {
        Ok(a) => {
            let paragraphs = a.paragraphs().count();
            let first: String = a.text.chars().take(160).collect();
            println!("    title:     {}", a.title.as_deref().unwrap_or("(none)"));
            println!(
                "    published: {}",
                a.published.as_deref().unwrap_or("(none)")
            );
            if let Some(agency) = &a.agency {
                println!(
                    "    agency:    {agency}{}",
                    a.dateline
                        .as_deref()
                        .map(|d| format!(" (dateline {d:?})"))
                        .unwrap_or_default()
                );
            }
            println!(
                "    length:    {} characters, {paragraphs} paragraphs",
                a.text.chars().count()
            );
            println!("    begins:    {}", first.replace("\n\n", " ¶ "));
            if sample.warnings.is_empty() {
                println!("    warnings:  none");
                true
            } else {
                for w in &sample.warnings {
                    println!("    warning:   {w}");
                }
                false
            }
        }
        Err(error) => {
            println!("    error:     {error}");
            false
        }
    }
}

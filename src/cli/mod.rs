//! Subcommands: one file each. Only this layer prints or uses anyhow.

mod clean;
mod dedup;
mod inputs;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Find each news story once, with the list of outlets that reprinted it.
#[derive(Debug, Parser)]
#[command(name = "wirecopy", version, about)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Clean HTML pages to article text and metadata.
    Clean(clean::CleanArgs),
    /// Cluster reprints of the same story among local files.
    Dedup(dedup::DedupArgs),
}

/// Runs one subcommand and returns the process exit code.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Clean(a) => clean::run(a),
        Command::Dedup(a) => dedup::run(a),
    }
}

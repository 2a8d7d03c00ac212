//! `wirecopy dedup`: local files → clusters of reprints.

use std::process::ExitCode;

/// Flags of `wirecopy dedup`.
#[derive(Debug, clap::Args)]
pub struct DedupArgs {
    /// Files or directories to cluster.
    #[arg(required = true)]
    paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: DedupArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet wired")
}

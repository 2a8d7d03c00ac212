//! `wirecopy clean`: HTML files → article text or JSON.

use std::process::ExitCode;

/// Flags of `wirecopy clean`.
#[derive(Debug, clap::Args)]
pub struct CleanArgs {
    /// HTML files, directories, or - for standard input.
    #[arg(required = true)]
    paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: CleanArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet wired")
}

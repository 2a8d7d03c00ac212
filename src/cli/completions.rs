//! `wirecopy completions SHELL`: shell completion scripts, from clap's own
//! description of the command line (`clap_complete`), so they never drift
//! from the flags.

use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

/// Arguments of `wirecopy completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to write completions for (bash, zsh, fish, elvish, powershell).
    #[arg(value_enum)]
    shell: Shell,
}

/// Writes the completion script for the shell to standard output.
///
/// For bash: `wirecopy completions bash > ~/.local/share/bash-completion/completions/wirecopy`.
pub fn run(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut command = super::Args::command();
    clap_complete::generate(args.shell, &mut command, "wirecopy", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}

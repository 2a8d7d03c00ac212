//! `wirecopy init`: writes a commented `sources.toml` to start from.
//!
//! The template (`templates/sources.toml`) lists every `[defaults]` key with
//! its default and two example outlets, disabled, so that `wirecopy run`
//! on a fresh file says what to do rather than fetching example hosts. A
//! test parses it, so it cannot drift from the config loader.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

/// The file `wirecopy init` writes.
pub const TEMPLATE: &str = include_str!("templates/sources.toml");

/// Arguments of `wirecopy init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to write it.
    #[arg(default_value = "sources.toml")]
    path: PathBuf,
    /// Replace an existing file.
    #[arg(long)]
    force: bool,
}

/// Writes the template; refuses to replace a file unless `--force`.
pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    if args.path.exists() && !args.force {
        anyhow::bail!(
            "{}: already exists; edit it, or pass --force to replace it",
            args.path.display()
        );
    }
    std::fs::write(&args.path, TEMPLATE)
        .with_context(|| format!("{}: cannot write", args.path.display()))?;
    println!(
        "Wrote {}: fill in an outlet, set enabled = true, then `wirecopy sources check NAME`.",
        args.path.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::TEMPLATE;

    #[test]
    fn the_template_parses_with_its_outlets_disabled() {
        let sources =
            wirecopy::config::parse(TEMPLATE, "sources.toml").expect("the template parses");
        assert_eq!(sources.outlets.len(), 2);
        assert!(sources.outlets.iter().all(|o| !o.enabled));
        assert_eq!(sources.storage.path.as_deref(), Some("wirecopy.db"));
        assert_eq!(sources.defaults.match_window_days, 30);
    }
}

//! The `wirecopy` command line: parse flags, call the library, set the exit code.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    init_logging(args.verbosity());
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            eprintln!("wirecopy: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Logs go to stderr: errors only by default, `-v` adds each stored article
/// and failed URL, `-vv` debugging detail, `-q` nothing; `RUST_LOG`, when
/// set, decides instead. Colour only on a terminal, and never with
/// `NO_COLOR` set (<https://no-color.org>), so log files get plain text.
fn init_logging(verbosity: i8) {
    let level = match verbosity {
        i8::MIN..=-1 => "off",
        0 => "error",
        1 => "wirecopy=info,error",
        _ => "wirecopy=debug,error",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(use_colour())
        .with_target(false)
        .try_init();
}

/// Returns true if and only if stderr is a terminal and `NO_COLOR` is unset
/// or empty.
fn use_colour() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Returns true if and only if the error chain ends in a closed stdout
/// (`wirecopy clean dir | head`), which is not a failure.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

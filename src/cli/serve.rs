//! `wirecopy serve`: the review app in a browser (see `docs/serve.md`).
//!
//! Opens the database `--db` (or the config's `[storage] path`) names, binds
//! `--listen` (loopback by default; any other address needs `--token`),
//! prints the URL on standard output and serves until interrupted.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context;
use wirecopy::web::{check_bind, ReviewApp};

use super::report::{open_db, DbArg};

/// Flags of `wirecopy serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    db: DbArg,
    /// The address to listen on. Anything but loopback needs --token.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8077")]
    listen: SocketAddr,
    /// A secret every request must carry (as `Authorization: Bearer TOKEN`,
    /// or once through the login form). Required off loopback.
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    // Refuse a bad address before touching the database.
    check_bind(args.listen, args.token.as_deref())?;
    let store = open_db(&args.db)?;
    let location = store.location();
    let runtime = super::runtime()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| {
                format!(
                    "{}: cannot listen (is the port taken? pass --listen ADDR:PORT)",
                    args.listen
                )
            })?;
        let addr = listener.local_addr().context("reading the bound address")?;
        let app = ReviewApp::new(store, addr, args.token)?;
        println!("wirecopy: reviewing {location} at http://{addr}/ (Ctrl-C stops)");
        use std::io::Write;
        std::io::stdout()
            .flush()
            .context("writing to standard output")?;
        tokio::select! {
            served = app.serve(listener) => served?,
            _ = tokio::signal::ctrl_c() => {}
        }
        Ok(ExitCode::SUCCESS)
    })
}

//! A throwaway PostgreSQL server for tests, one per test process, and a
//! fresh database on it per test.
//!
//! `WIRECOPY_TEST_PG_BINDIR` names another directory of PostgreSQL
//! programs (a build of another version).
//!
//! Used by the store's unit tests (`src/store/tests/`, through `#[path]`)
//! and by the integration tests (`tests/pg.rs`): one harness, two users.
//!
//! How it starts: Debian's `postgresql` package puts `initdb` and
//! `postgres` in `/usr/lib/postgresql/<version>/bin` (or they are on
//! `PATH`). [`database`] makes a data directory under the system's temp
//! directory, runs `initdb` (trust login for the user `wirecopy`, no fsync),
//! and starts `postgres` on a free loopback port with its socket in the
//! data directory. PostgreSQL refuses to run as root, so under root both
//! run as `nobody` through `setpriv` (util-linux), which also sets the
//! server's parent-death signal: the server shuts down when the test
//! process ends, however it ends. (It is started from a thread that lives
//! as long as the process, because that signal follows the thread that
//! started it.) Data directories of test processes that are gone are
//! removed by the next one.
//!
//! When the server cannot be started, [`database`] prints `skipped:
//! PostgreSQL could not be started: <reason>` to stderr and returns `None`,
//! so the test returns at once: never a silent pass. Under `CI=true` (set
//! by `.ci/run`, which installs PostgreSQL) it panics instead: there a
//! skip would hide a broken setup.

#![allow(dead_code)]

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The running server: its port on 127.0.0.1.
#[derive(Debug)]
pub struct Server {
    /// Its loopback TCP port.
    pub port: u16,
    /// Its data directory.
    pub dir: PathBuf,
}

/// The login every test database belongs to.
const USER: &str = "wirecopy";

/// The server of this test process, started on first use.
fn server() -> &'static Result<Server, String> {
    static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
    SERVER.get_or_init(start)
}

/// Returns the URL of a new, empty database on the test server, or `None`
/// (after saying why on stderr) when no server could be started.
///
/// # Panics
///
/// Under `CI=true` when the server cannot be started, or when a database
/// cannot be created on a running server.
pub fn database() -> Option<String> {
    let server = match server() {
        Ok(server) => server,
        Err(reason) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("PostgreSQL could not be started (CI=true, so this fails): {reason}");
            }
            // Straight to the stream, past the test harness's capture of
            // `eprintln!`: a skip is seen even when the test passes.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: PostgreSQL could not be started: {reason}"
            );
            return None;
        }
    };
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "t{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let admin = format!("postgres://{USER}@127.0.0.1:{}/postgres", server.port);
    let sql = format!("CREATE DATABASE {name}");
    // The driver runs its own runtime: off any tokio thread.
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut client = postgres::Client::connect(&admin, postgres::NoTls)
                .unwrap_or_else(|e| panic!("connecting to the test server: {e}"));
            client
                .batch_execute(&sql)
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        })
        .join()
        .expect("creating the test database")
    });
    Some(format!(
        "postgres://{USER}@127.0.0.1:{}/{name}",
        server.port
    ))
}

/// Finds the directory holding `initdb` and `postgres`:
/// `WIRECOPY_TEST_PG_BINDIR` when set, else the newest Debian version,
/// else `PATH`.
fn bin_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("WIRECOPY_TEST_PG_BINDIR") {
        let dir = PathBuf::from(dir);
        return if dir.join("initdb").is_file() {
            Ok(dir)
        } else {
            Err(format!(
                "WIRECOPY_TEST_PG_BINDIR={}: no initdb there",
                dir.display()
            ))
        };
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .into_iter()
        .find(|d| d.join("initdb").is_file() && d.join("postgres").is_file())
        .ok_or_else(|| {
            "no initdb in /usr/lib/postgresql/*/bin or on PATH (install Debian's postgresql package)"
                .to_string()
        })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A command run as the server's user: `nobody` through `setpriv` under
/// root, ourselves otherwise.
fn as_server_user(program: &Path, root: bool) -> Command {
    if root {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "--pdeathsig=INT",
            "--",
        ]);
        c.arg(program);
        c
    } else {
        Command::new(program)
    }
}

/// Removes the data directories of test processes that are gone.
fn remove_stale(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix("wirecopy-pg-")) else {
            continue;
        };
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free loopback port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

fn start() -> Result<Server, String> {
    let bin = bin_dir()?;
    let root = is_root();
    let base = std::env::temp_dir();
    remove_stale(&base);
    let dir = base.join(format!("wirecopy-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if root {
        let chown = Command::new("chown")
            .arg("nobody:nogroup")
            .arg(&dir)
            .status()
            .map_err(|e| format!("chown: {e}"))?;
        if !chown.success() {
            return Err(format!("chown nobody {} failed", dir.display()));
        }
    }
    let data = dir.join("data");
    let init = as_server_user(&bin.join("initdb"), root)
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            USER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        ])
        .current_dir(&dir)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            format!(
                "running initdb{}: {e}",
                if root { " through setpriv" } else { "" }
            )
        })?;
    if !init.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&init.stderr).trim()
        ));
    }
    let port = free_port()?;
    let log = dir.join("server.log");
    let log_file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut server = as_server_user(&bin.join("postgres"), root);
    server
        .arg("-D")
        .arg(&data)
        .args(["-p", &port.to_string(), "-k"])
        .arg(&dir)
        .args([
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "max_connections=100",
        ])
        .current_dir(&dir)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file);
    // The parent-death signal follows the thread that started the child:
    // this thread lives as long as the process.
    let (sent, spawned) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("test-postgres".into())
        .spawn(move || {
            let child = server.spawn();
            let failed = child.as_ref().err().map(|e| e.to_string());
            let _ = sent.send(failed);
            if let Ok(mut child) = child {
                let _ = child.wait();
            }
            loop {
                std::thread::park();
            }
        })
        .map_err(|e| format!("starting the server thread: {e}"))?;
    if let Ok(Some(error)) = spawned.recv() {
        return Err(format!("running postgres: {error}"));
    }
    let url = format!("postgres://{USER}@127.0.0.1:{port}/postgres");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let tried = std::thread::scope(|s| {
            s.spawn(|| postgres::Client::connect(&url, postgres::NoTls).map(drop))
                .join()
        });
        match tried {
            Ok(Ok(())) => return Ok(Server { port, dir }),
            _ if Instant::now() > deadline => {
                let tail = std::fs::read_to_string(&log).unwrap_or_default();
                return Err(format!(
                    "the server did not accept connections within 60 s; its log: {}",
                    tail.trim()
                ));
            }
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

//! The fixture sites: a static web server for the demo, tests and
//! benchmarks, one loopback listener per invented outlet under
//! `fixtures/sites/`, on the same axum/hyper stack as `wirecopy serve`.
//!
//! # Brief overview
//!
//! [`SiteServer::start`] binds `127.0.0.1:0` once per subdirectory of a root
//! (sorted by name; names starting with `.` or `_` are skipped) and serves that
//! directory as the site's web root until the server is dropped or
//! [`SiteServer::shutdown`] is called. What it does with the files
//! (`fixtures/sites/README.md` has the same list for fixture authors):
//!
//! * `{{origin}}` in `.html`, `.htm`, `.xml`, `.txt`, `.rss`, `.atom` files
//!   and `robots.txt` becomes the listener's origin, `http://127.0.0.1:PORT`;
//! * `NAME.gz` with no such file serves the gzip of the sibling `NAME`
//!   (after substitution) as `application/gzip`;
//! * a directory serves its `index.html`; query strings are ignored;
//! * a `.charset` file in the site root (e.g. `windows-1251`) is declared in
//!   the `Content-Type` of the site's `.html`/`.htm` files; other text files
//!   are `charset=utf-8`;
//! * every response carries a strong `ETag` (a hash of the bytes served) and
//!   a fixed `Last-Modified` ([`LAST_MODIFIED`]; file mtimes are not stable in
//!   git), and `If-None-Match` / `If-Modified-Since` get `304 Not Modified`;
//! * text files are sent with `Content-Encoding: gzip` when the request's
//!   `Accept-Encoding` allows it (the ETag then names the gzipped bytes);
//! * GET and HEAD only, `Connection: close` after each response, 404 for
//!   missing files and for any path that would leave the site's root.
//!
//! # How it is built
//!
//! Each listener's accept loop hands every connection to hyper's HTTP/1.1
//! server (`connection.rs`), which parses the request and calls one service
//! per exchange: it logs the request, applies any injected [`Fault`]
//! (`faults.rs`), and otherwise passes the request to an axum `Router`
//! whose one handler answers from the site's files (`answer.rs`, with
//! `files.rs`). Faults live below axum on purpose: an axum handler must
//! answer, while [`Fault::Close`] must drop the connection without a byte,
//! which hyper does when the service returns an error.
//!
//! The server keeps two pieces of state, both behind short-lived mutexes: the
//! log of every request ([`SiteServer::requests`], appended as each one is
//! answered) and the faults that tests inject ([`SiteServer::set_fault`]).
//!
//! ```
//! # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
//! # rt.block_on(async {
//! let server = wirecopy::sites::SiteServer::start(std::path::Path::new("fixtures/sites")).await.unwrap();
//! let tass = server.origin("tass").unwrap();
//! assert!(tass.starts_with("http://127.0.0.1:"));
//! let config = server.substitute("homepage = \"{{site:tass}}/\"");
//! assert_eq!(config, format!("homepage = \"{tass}/\""));
//! # });
//! ```

mod answer;
mod connection;
mod faults;
mod files;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

pub use faults::Fault;
pub use files::LAST_MODIFIED;

/// An error starting the server.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The root directory could not be listed.
    #[error("{}: {source}", path.display())]
    ReadRoot {
        /// The root that was given.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The root holds no site directories.
    #[error("{}: no site directories to serve", path.display())]
    NoSites {
        /// The root that was given.
        path: PathBuf,
    },
    /// A loopback port could not be bound.
    #[error("site {site}: cannot listen on 127.0.0.1: {source}")]
    Bind {
        /// The site's name.
        site: String,
        /// What went wrong.
        source: std::io::Error,
    },
}

/// One request the server answered (or closed without an answer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestLog {
    /// The site's name (its directory under the root).
    pub site: String,
    /// `GET`, `HEAD`, or whatever else the client sent.
    pub method: String,
    /// The path, percent-decoded, without the query string.
    pub path: String,
    /// The query string, without the `?`, when there was one.
    pub query: Option<String>,
    /// When the request head had been read.
    pub at: Instant,
    /// The status sent; 0 when the connection was closed without an answer
    /// ([`Fault::Close`]) or the request could not be read.
    pub status: u16,
    /// The `If-None-Match` header, when sent.
    pub if_none_match: Option<String>,
    /// The `If-Modified-Since` header, when sent.
    pub if_modified_since: Option<String>,
    /// The `User-Agent` header, when sent.
    pub user_agent: Option<String>,
}

/// State shared by every listener task and the [`SiteServer`] handle.
#[derive(Debug, Default)]
struct Shared {
    log: Mutex<Vec<RequestLog>>,
    faults: Mutex<HashMap<(String, String), Fault>>,
}

/// Locks a mutex, recovering the data if a task panicked while holding it
/// (the log and fault table stay usable).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Loopback listeners serving each site directory; see the module docs.
/// Dropping it stops every listener and in-flight connection.
#[derive(Debug)]
pub struct SiteServer {
    sites: Vec<(String, String)>,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl SiteServer {
    /// Starts one listener on `127.0.0.1:0` per subdirectory of `root`
    /// (sorted by name), serving it as that site's web root. The listeners
    /// run as tasks of the calling tokio runtime: with a current-thread
    /// runtime they answer only while that thread is awaiting something, so a
    /// caller that blocks (sync pipeline stages) should use a multi-thread one.
    ///
    /// Errors when `root` cannot be listed, holds no site directory, or a
    /// port cannot be bound.
    ///
    /// # Panics
    ///
    /// Panics when called outside a tokio runtime.
    pub async fn start(root: &Path) -> Result<SiteServer, ServeError> {
        let read_root = |source| ServeError::ReadRoot {
            path: root.to_path_buf(),
            source,
        };
        let mut dirs = Vec::new();
        for entry in std::fs::read_dir(root).map_err(read_root)? {
            let entry = entry.map_err(read_root)?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with('.') || name.starts_with('_') || !entry.path().is_dir() {
                continue;
            }
            dirs.push((name, entry.path()));
        }
        if dirs.is_empty() {
            return Err(ServeError::NoSites {
                path: root.to_path_buf(),
            });
        }
        dirs.sort();
        let shared = Arc::new(Shared::default());
        let mut server = SiteServer {
            sites: Vec::new(),
            shared: Arc::clone(&shared),
            tasks: Vec::new(),
        };
        for (name, dir) in dirs {
            let bind = |source| ServeError::Bind {
                site: name.clone(),
                source,
            };
            let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(bind)?;
            let origin = format!("http://{}", listener.local_addr().map_err(bind)?);
            let site = Arc::new(files::Site::open(&name, &dir, &origin));
            let router = answer::router(Arc::clone(&site));
            server.sites.push((name, origin));
            server.tasks.push(tokio::spawn(accept_loop(
                listener,
                site,
                router,
                Arc::clone(&shared),
            )));
        }
        Ok(server)
    }

    /// The origin of `site`'s listener, `http://127.0.0.1:PORT`, if it is served.
    pub fn origin(&self, site: &str) -> Option<String> {
        self.sites
            .iter()
            .find(|(name, _)| name == site)
            .map(|(_, origin)| origin.clone())
    }

    /// The absolute URL of `path` (starting with `/`) on `site`.
    pub fn url(&self, site: &str, path: &str) -> Option<String> {
        self.origin(site).map(|origin| format!("{origin}{path}"))
    }

    /// Every site as `(name, origin)`, sorted by name.
    pub fn sites(&self) -> Vec<(String, String)> {
        self.sites.clone()
    }

    /// Replaces each `{{site:NAME}}` in `text` with that site's origin (as in
    /// `fixtures/sites/sources.toml`); unknown names are left as they are.
    pub fn substitute(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (name, origin) in &self.sites {
            out = out.replace(&format!("{{{{site:{name}}}}}"), origin);
        }
        out
    }

    /// A copy of the log of every request so far, in the order they were answered.
    pub fn requests(&self) -> Vec<RequestLog> {
        lock(&self.shared.log).clone()
    }

    /// Forgets the requests logged so far (e.g. between two runs of a test).
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// Injects `fault` for requests of `path` (without query) on `site`,
    /// replacing any fault already set there.
    pub fn set_fault(&self, site: &str, path: &str, fault: Fault) {
        lock(&self.shared.faults).insert((site.to_string(), path.to_string()), fault);
    }

    /// Removes the fault set for `path` on `site`, if any.
    pub fn clear_fault(&self, site: &str, path: &str) {
        lock(&self.shared.faults).remove(&(site.to_string(), path.to_string()));
    }

    /// Stops every listener and in-flight connection. Dropping the server
    /// does the same.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        for task in self.tasks.drain(..) {
            task.abort();
        }
    }
}

impl Drop for SiteServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Accepts connections for one site until aborted. Connection tasks live in a
/// `JoinSet` owned by this task, so aborting it ends them too.
async fn accept_loop(
    listener: TcpListener,
    site: Arc<files::Site>,
    router: axum::Router,
    shared: Arc<Shared>,
) {
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        match listener.accept().await {
            Ok((stream, _)) => {
                connections.spawn(connection::serve(
                    stream,
                    Arc::clone(&site),
                    router.clone(),
                    Arc::clone(&shared),
                ));
            }
            // Out of file descriptors and the like: back off instead of spinning.
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

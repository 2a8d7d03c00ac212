//! The demo's fixture sites (`fixtures/sites/`) served on loopback for one
//! test, with the demo config written for their ports: the harness of every
//! test that runs the whole job against them (runs, WARC, PostgreSQL, ids).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use wirecopy::sites::SiteServer;
use wirecopy::store::SqliteStore;

use crate::util::{fixtures, Dir};

/// The sites, their runtime, a test directory and the config in it.
pub struct DemoSites {
    pub server: SiteServer,
    _runtime: tokio::runtime::Runtime,
    pub dir: Dir,
    pub config: PathBuf,
}

impl DemoSites {
    /// Serves the fixture sites and writes `sources.toml` for their ports
    /// into a fresh test directory named `name`.
    pub fn start(name: &str) -> DemoSites {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let root = fixtures().join("sites");
        let server = runtime
            .block_on(SiteServer::start(&root))
            .expect("serve fixture sites");
        let dir = Dir::new(name);
        let template = std::fs::read_to_string(root.join("sources.toml")).expect("demo config");
        let config = dir.create("sources.toml", server.substitute(&template));
        DemoSites {
            server,
            _runtime: runtime,
            dir,
            config,
        }
    }

    /// The config's path as a command-line argument.
    pub fn config_arg(&self) -> &str {
        self.config.to_str().expect("utf-8 path")
    }

    /// `wirecopy run` with this config into `db`, with `extra` flags;
    /// asserts exit code `code` and returns stdout.
    pub fn run(&self, db: &str, extra: &[&str], code: i32) -> String {
        let mut args = vec!["run", "--config", self.config_arg(), "--db", db];
        args.extend(extra);
        self.dir.command().args(args).assert_exit_code(code)
    }

    /// `wirecopy import` into `db`, with `extra` flags; returns the output.
    pub fn import(&self, db: &str, extra: &[&str]) -> std::process::Output {
        let mut args = vec!["import", "--db", db];
        args.extend(extra);
        self.dir.command().args(args).output()
    }
}

/// Each cluster id of a SQLite database with its members' URLs.
pub fn members_by_cluster(db: &Path) -> BTreeMap<i64, BTreeSet<String>> {
    let store = SqliteStore::open(db).expect("open database");
    let mut statement = store
        .connection()
        .prepare("SELECT m.cluster_id, a.url FROM members m JOIN articles a ON a.id = m.article_id")
        .expect("query");
    let rows: Vec<(i64, String)> = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    let mut by_cluster: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    for (cluster, url) in rows {
        by_cluster.entry(cluster).or_default().insert(url);
    }
    by_cluster
}

/// The clusters of a SQLite database as sets of article URLs.
pub fn clusters(db: &Path) -> BTreeSet<BTreeSet<String>> {
    members_by_cluster(db).into_values().collect()
}

//! The harness for loopback sites built per test (issue 12's cases): a
//! directory per site served by `wirecopy::sites::SiteServer`, pages made
//! from the labelled reprint corpus, and readers of the results.

use std::path::PathBuf;

use serde_json::Value;
use wirecopy::sites::SiteServer;
use wirecopy::store::SqliteStore;

use crate::util::{fixtures, Dir};

/// Loopback sites made for one test: a directory per site under
/// `<dir>/sites`, served while the value lives. Files may be written after
/// the server started (it reads them on every request), so pages can name
/// other sites' origins.
pub struct Loopback {
    pub server: SiteServer,
    _runtime: tokio::runtime::Runtime,
    pub dir: Dir,
}

impl Loopback {
    pub fn start(name: &str, sites: &[&str]) -> Loopback {
        let dir = Dir::new(name);
        for site in sites {
            dir.create(
                &format!("sites/{site}/robots.txt"),
                "User-agent: *\nAllow: /\n",
            );
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let server = runtime
            .block_on(SiteServer::start(&dir.path.join("sites")))
            .expect("serve test sites");
        Loopback {
            server,
            _runtime: runtime,
            dir,
        }
    }

    pub fn origin(&self, site: &str) -> String {
        self.server.origin(site).expect("known site")
    }

    /// Writes a file of `site`.
    pub fn page(&self, site: &str, path: &str, body: &str) {
        self.dir.create(&format!("sites/{site}{path}"), body);
    }

    /// Writes `site`'s RSS feed listing `paths`.
    pub fn feed(&self, site: &str, paths: &[String]) {
        let items: String = paths
            .iter()
            .map(|p| format!("<item><title>{p}</title><link>{{{{origin}}}}{p}</link></item>"))
            .collect();
        self.page(
            site,
            "/rss.xml",
            &format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{site}</title>{items}</channel></rss>"),
        );
    }

    /// An `[[outlet]]` table for `site`, reading its feed.
    pub fn outlet(&self, site: &str, extra: &str) -> String {
        let origin = self.origin(site);
        format!(
            "[[outlet]]\nname = \"{site}\"\nhomepage = \"{origin}/\"\nfeeds = [\"{origin}/rss.xml\"]\n\
             article_url = '^{origin}/news/'\n{extra}\n"
        )
    }

    /// Writes sources.toml with fast defaults and these outlet tables.
    pub fn config(&self, outlets: &[String]) -> PathBuf {
        self.config_with("timeout_secs = 5\n", outlets)
    }

    /// Writes sources.toml with fast defaults plus `defaults` (TOML lines
    /// of the [defaults] table) and these outlet tables.
    pub fn config_with(&self, defaults: &str, outlets: &[String]) -> PathBuf {
        let mut text =
            format!("[defaults]\nrate = 50\nconnect_timeout_secs = 2\nretries = 0\n{defaults}\n");
        for o in outlets {
            text.push_str(o);
        }
        self.dir.create("sources.toml", text)
    }

    /// Runs `wirecopy run --config sources.toml --db DB` plus `extra`.
    pub fn run(&self, db: &str, extra: &[&str]) -> std::process::Output {
        let mut args = vec!["run", "--config", "sources.toml", "--db", db];
        args.extend(extra);
        self.dir.command().args(args).output()
    }
}

/// An article page of our own making.
pub fn html_page(title: &str, text: &str, canonical: Option<&str>) -> String {
    let paragraphs: String = text
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", escape(p)))
        .collect();
    let link = canonical
        .map(|c| format!("<link rel=\"canonical\" href=\"{c}\">"))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{t}</title>{link}</head>\
         <body><nav><a href=\"/\">Home</a></nav><article><h1>{t}</h1>{paragraphs}</article>\
         <footer>© Outlet</footer></body></html>",
        t = escape(title)
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Six stories of the labelled corpus, each as (original text, title,
/// a reprint's text): the reprint of the first is an excerpt.
pub fn six_stories() -> Vec<(String, String, String)> {
    let corpus = std::fs::read_to_string(fixtures().join("reprints/stories_a.jsonl"))
        .expect("reprint corpus");
    let rows: Vec<Value> = corpus
        .lines()
        .map(|l| serde_json::from_str(l).expect("corpus line"))
        .collect();
    let text = |row: &Value| -> String {
        if let Some(t) = row["text"].as_str() {
            return t.to_string();
        }
        let html = row["html"].as_str().expect("text or html");
        wirecopy::clean::Cleaner::default()
            .clean(html.as_bytes(), row["url"].as_str())
            .expect("corpus page cleans")
            .text
    };
    let mut out = Vec::new();
    for original in rows.iter().filter(|r| r["kind"] == "original") {
        let story = original["story"].as_str().expect("story");
        let want = if out.is_empty() { "excerpt" } else { "chrome" };
        let Some(reprint) = rows
            .iter()
            .find(|r| r["story"] == story && r["kind"] == want)
        else {
            continue;
        };
        let title = original["title"].as_str().unwrap_or("Untitled").to_string();
        out.push((text(original), title, text(reprint)));
        if out.len() == 6 {
            break;
        }
    }
    assert_eq!(out.len(), 6, "six stories with a reprint in the corpus");
    out
}

/// Texts of the labelled corpus, in file order (reprints of one story
/// follow each other), as (title, text).
fn corpus_texts(n: usize) -> Vec<(String, String)> {
    six_stories()
        .into_iter()
        .flat_map(|(original, title, reprint)| [(title.clone(), original), (title, reprint)])
        .take(n)
        .collect()
}

/// Writes `n` article pages on `site` under /news/ and its feed; returns their paths.
pub fn articles(sites: &Loopback, site: &str, n: usize) -> Vec<String> {
    let paths: Vec<String> = corpus_texts(n)
        .iter()
        .enumerate()
        .map(|(i, (title, text))| {
            let path = format!("/news/{i}.html");
            sites.page(site, &path, &html_page(title, text, None));
            path
        })
        .collect();
    sites.feed(site, &paths);
    paths
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Each cluster as the sorted URLs of its members, sorted.
pub fn partition(db: &std::path::Path) -> Vec<Vec<String>> {
    let store = SqliteStore::open(db).expect("database");
    let mut stmt = store
        .connection()
        .prepare("SELECT m.cluster_id, a.url FROM members m JOIN articles a ON a.id = m.article_id")
        .expect("query");
    let mut by: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
    for row in stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .expect("rows")
    {
        let (cluster, url) = row.expect("row");
        by.entry(cluster).or_default().push(url);
    }
    let mut out: Vec<Vec<String>> = by
        .into_values()
        .map(|mut v| {
            v.sort();
            v
        })
        .collect();
    out.sort();
    out
}

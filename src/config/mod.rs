//! The config stage: `sources.toml` → [`Sources`].
//!
//! A user adds an outlet by editing one `[[outlet]]` table. Everything is
//! checked when the file loads, before any fetch: unknown keys (with the
//! nearest valid key suggested), wrong types, bad URLs, regexes and CSS
//! selectors, duplicate names. All problems are reported at once, each as
//! `FILE:LINE: outlet "NAME": what is wrong, and what to do`.
//!
//! ```
//! let sources = wirecopy::config::parse(r#"
//! [defaults]
//! rate = 0.5
//!
//! [[outlet]]
//! name = "tass"
//! homepage = "https://tass.com/"
//! feeds = ["https://tass.com/rss/v2.xml"]
//! agency = true
//! "#, "sources.toml").unwrap();
//! assert_eq!(sources.outlets[0].name, "tass");
//! assert_eq!(sources.outlets[0].rate, 0.5);
//! ```

mod append;
mod locate;
mod parse;
mod suggest;
mod values;

use std::path::Path;
use std::time::Duration;

pub use append::{
    appended, check_new, settings, slug_of_host, toml_string, with_outlet, NewOutlet,
};
pub(crate) use suggest::nearest as nearest_name;

use regex::Regex;
use url::Url;

use crate::clean::Selector;

/// The whole configuration: defaults, storage and outlets.
#[derive(Clone, Debug)]
pub struct Sources {
    /// Settings every outlet inherits.
    pub defaults: Defaults,
    /// Where results are stored.
    pub storage: Storage,
    /// The outlets, in file order (disabled ones included, `enabled = false`).
    pub outlets: Vec<Outlet>,
}

/// `[defaults]`: settings shared by all outlets.
#[derive(Clone, Debug, PartialEq)]
pub struct Defaults {
    /// The User-Agent sent with every request. Default: `wirecopy/VERSION (+https://github.com/wirecopy)`.
    pub user_agent: String,
    /// Requests per second to one host. Default: 1.0.
    pub rate: f64,
    /// Connect timeout. Default: 10 s.
    pub connect_timeout: Duration,
    /// Whole-request timeout. Default: 30 s.
    pub timeout: Duration,
    /// Most article pages fetched per outlet per run. Default: 200.
    pub max_pages: usize,
    /// Days to keep raw HTML; 0 keeps none. Default: 30.
    pub retention_days: u32,
    /// Requests in flight across all hosts. Default: 8.
    pub concurrency: usize,
    /// Largest page accepted, in bytes. Default: 10 MiB.
    pub max_page_bytes: usize,
    /// Retries of a failed request (timeouts, 429, 5xx). Default: 3.
    pub retries: u32,
    /// After this many timeouts or connection failures in a row on one
    /// host, the host's remaining pages are left for the next run.
    /// Default: 5.
    pub max_host_failures: usize,
    /// A run starts no new request after this long: it finishes what is in
    /// flight, stores it, and leaves the rest for the next run. Default:
    /// none.
    pub max_run: Option<Duration>,
    /// Only articles published or fetched within this many days are
    /// candidates for new reprints to match; older clusters stay in the
    /// store and in reports. 0: no window. Default: 30.
    pub match_window_days: u32,
    /// Write every fetched response, with its request, as WARC records
    /// into this directory (relative to the config file's directory); `run
    /// --warc DIR` overrides it. Default: none (no WARC is written).
    pub warc_dir: Option<String>,
    /// Start a new WARC file once one would pass this many MiB. Default:
    /// 1024.
    pub warc_max_mb: u64,
}

impl Default for Defaults {
    fn default() -> Defaults {
        Defaults {
            user_agent: concat!(
                "wirecopy/",
                env!("CARGO_PKG_VERSION"),
                " (news reprint monitor)"
            )
            .to_string(),
            rate: 1.0,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_pages: 200,
            retention_days: 30,
            concurrency: 8,
            max_page_bytes: 10 * 1024 * 1024,
            retries: 3,
            max_host_failures: 5,
            max_run: None,
            match_window_days: 30,
            warc_dir: None,
            warc_max_mb: 1024,
        }
    }
}

/// `[storage]`: where the results go.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Storage {
    /// The SQLite database file. Default: `wirecopy.db` in the working directory.
    pub path: Option<String>,
    /// A PostgreSQL database instead (`postgres://user@host/db`), shared by
    /// runs on many hosts. Not with `path`. Default: none.
    pub url: Option<String>,
}

/// One `[[outlet]]`: a site to watch.
#[derive(Clone, Debug)]
pub struct Outlet {
    /// A short unique name (`tass`), used in reports and `--outlet`.
    pub name: String,
    /// The site's home page.
    pub homepage: Url,
    /// RSS 2.0, RSS 1.0 or Atom feeds listing new articles.
    pub feeds: Vec<Url>,
    /// Sitemaps (plain, index, gzip, Google News).
    pub sitemaps: Vec<Url>,
    /// Listing pages scanned for article links.
    pub sections: Vec<Url>,
    /// Only links matching this regex are articles (default: every link on the site's host).
    pub article_url: Option<Regex>,
    /// Links matching any of these are skipped.
    pub exclude: Vec<Regex>,
    /// CSS selector of the article body, when the generic cleaner needs help.
    pub body_selector: Option<Selector>,
    /// CSS selectors of elements to remove before cleaning.
    pub drop_selectors: Vec<Selector>,
    /// This outlet is a news agency: its copy is preferred as canonical.
    pub agency: bool,
    /// The outlet's language, when pages don't say.
    pub lang: Option<String>,
    /// Charset to assume, overriding what pages and servers declare.
    pub charset: Option<&'static encoding_rs::Encoding>,
    /// Requests per second to this outlet's hosts.
    pub rate: f64,
    /// Fetch known article URLs again on every run (for outlets that update stories).
    pub revisit: bool,
    /// Disabled outlets are kept in the file but not fetched.
    pub enabled: bool,
    /// The line of its `[[outlet]]` header, for messages.
    pub line: usize,
}

impl Outlet {
    /// Returns true if and only if `url` looks like one of this outlet's
    /// articles: on one of its hosts, matching `article_url`, not `exclude`d.
    pub fn wants(&self, url: &Url) -> bool {
        let s = url.as_str();
        if let Some(re) = &self.article_url {
            if !re.is_match(s) {
                return false;
            }
        } else if url.host_str() != self.homepage.host_str() {
            return false;
        }
        !self.exclude.iter().any(|re| re.is_match(s))
    }
}

/// One thing wrong with the config, located in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

/// Every problem found in a config file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(.path, .problems))]
pub struct ConfigError {
    /// The file, as given.
    pub path: String,
    /// What is wrong, in file order.
    pub problems: Vec<Problem>,
}

fn render(path: &str, problems: &[Problem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| match p.line {
            Some(line) => format!("{path}:{line}: {}", p.message),
            None => format!("{path}: {}", p.message),
        })
        .collect();
    lines.join("\n")
}

/// Reads and checks a config file.
///
/// Errors list every problem found, or say the file can't be read.
pub fn load(path: &Path) -> Result<Sources, ConfigError> {
    let shown = path.display().to_string();
    let refuse = |line, message| ConfigError {
        path: shown.clone(),
        problems: vec![Problem { line, message }],
    };
    let bytes = std::fs::read(path).map_err(|error| {
        let hint = match error.kind() {
            std::io::ErrorKind::NotFound => " (create it, or pass --config PATH)",
            _ => "",
        };
        refuse(None, format!("cannot read: {error}{hint}"))
    })?;
    let text = String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        refuse(
            Some(line),
            format!(
                "not UTF-8 (byte offset {offset}, byte 0x{:02x}); save the file as UTF-8",
                bytes.get(offset).copied().unwrap_or(0)
            ),
        )
    })?;
    parse(&text, &shown)
}

/// Checks config text; `path` names it in messages.
///
/// Errors list every problem found.
pub fn parse(text: &str, path: &str) -> Result<Sources, ConfigError> {
    parse::parse(text).map_err(|problems| ConfigError {
        path: path.to_string(),
        problems,
    })
}

#[cfg(test)]
mod tests;

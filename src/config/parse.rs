//! TOML tables → typed [`Sources`], collecting every problem on the way.

use std::collections::HashSet;
use std::time::Duration;

use toml::{Table, Value};

use super::locate::{Locator, Section};
use super::values::{
    boolean, count, rate, regex, seconds, selector, string, strings, url, urls, Checker,
};
use super::{Defaults, Outlet, Problem, Sources, Storage};

const TOP_KEYS: &[&str] = &["defaults", "storage", "outlet"];
const DEFAULT_KEYS: &[&str] = &[
    "user_agent",
    "rate",
    "timeout_secs",
    "connect_timeout_secs",
    "max_pages",
    "retention_days",
    "concurrency",
    "max_page_bytes",
    "retries",
    "max_host_failures",
    "max_run_secs",
    "match_window_days",
    "warc_dir",
    "warc_max_mb",
];
const STORAGE_KEYS: &[&str] = &["path", "url"];
const OUTLET_KEYS: &[&str] = &[
    "name",
    "homepage",
    "feeds",
    "sitemaps",
    "sections",
    "article_url",
    "exclude",
    "body_selector",
    "drop_selectors",
    "agency",
    "lang",
    "charset",
    "rate",
    "revisit",
    "enabled",
];

/// Parses and checks the config text.
pub(super) fn parse(text: &str) -> Result<Sources, Vec<Problem>> {
    let table: Table = match text.parse() {
        Ok(t) => t,
        Err(error) => {
            let line = error
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            return Err(vec![Problem {
                line,
                message: format!("not valid TOML: {}", error.message()),
            }]);
        }
    };
    let mut c = Checker {
        at: Locator::new(text),
        problems: Vec::new(),
    };
    c.unknown_keys(&table, TOP_KEYS, Section::Top, "");
    let defaults = match table.get("defaults") {
        None => Defaults::default(),
        Some(Value::Table(t)) => defaults(&mut c, t),
        Some(_) => {
            let line = c.at.key(Section::Top, "defaults");
            c.problem(
                line,
                "\"defaults\" must be a table: write it as [defaults]".into(),
            );
            Defaults::default()
        }
    };
    let storage = match table.get("storage") {
        None => Storage::default(),
        Some(Value::Table(t)) => {
            c.unknown_keys(t, STORAGE_KEYS, Section::Table("storage"), "[storage]: ");
            let section = Section::Table("storage");
            let path = string(&mut c, t, "path", section, "[storage]: ");
            let url = string(&mut c, t, "url", section, "[storage]: ");
            if let Some(u) = &url {
                if !(u.starts_with("postgres://") || u.starts_with("postgresql://")) {
                    let line = c.at.key(section, "url");
                    c.problem(
                        line,
                        format!("[storage]: url must be a PostgreSQL URL (postgres://user@host/db), got \"{u}\"; a SQLite file goes in path"),
                    );
                } else if path.is_some() {
                    let line = c.at.key(section, "url");
                    c.problem(
                        line,
                        "[storage]: path and url are mutually exclusive; keep path for a SQLite file or url for PostgreSQL".into(),
                    );
                }
            }
            Storage { path, url }
        }
        Some(_) => {
            let line = c.at.key(Section::Top, "storage");
            c.problem(
                line,
                "\"storage\" must be a table: write it as [storage]".into(),
            );
            Storage::default()
        }
    };
    let mut outlets = Vec::new();
    match table.get("outlet") {
        None => {}
        Some(Value::Array(items)) => {
            let mut names = HashSet::new();
            for (i, item) in items.iter().enumerate() {
                let section = Section::Array("outlet", i);
                let Value::Table(t) = item else {
                    let line = c.at.section(section);
                    c.problem(
                        line,
                        "each outlet must be a table: write it as [[outlet]]".into(),
                    );
                    continue;
                };
                if let Some(o) = outlet(&mut c, t, i, &defaults) {
                    if !names.insert(o.name.clone()) {
                        let line = c.at.key(section, "name");
                        c.problem(
                            line,
                            format!(
                                "outlet \"{}\": the name is used twice; names must be unique",
                                o.name
                            ),
                        );
                    }
                    outlets.push(o);
                }
            }
        }
        Some(_) => {
            let line = c.at.key(Section::Top, "outlet");
            c.problem(
                line,
                "\"outlet\" must be an array of tables: write each as [[outlet]]".into(),
            );
        }
    }
    if c.problems.is_empty() && outlets.is_empty() {
        // A truncated or emptied file must not turn the cron job into one
        // that silently does nothing.
        c.problem(
            None,
            "no outlet: add an [[outlet]] table with a name, a homepage and feeds, sitemaps or sections".into(),
        );
    }
    if c.problems.is_empty() {
        Ok(Sources {
            defaults,
            storage,
            outlets,
        })
    } else {
        c.problems.sort_by_key(|p| p.line.unwrap_or(0));
        Err(c.problems)
    }
}

fn defaults(c: &mut Checker<'_>, t: &Table) -> Defaults {
    let s = Section::Table("defaults");
    let w = "[defaults]: ";
    c.unknown_keys(t, DEFAULT_KEYS, s, w);
    let d = Defaults::default();
    Defaults {
        user_agent: string(c, t, "user_agent", s, w).unwrap_or(d.user_agent),
        rate: rate(c, t, s, w).unwrap_or(d.rate),
        connect_timeout: seconds(c, t, "connect_timeout_secs", s, w).unwrap_or(d.connect_timeout),
        timeout: seconds(c, t, "timeout_secs", s, w).unwrap_or(d.timeout),
        max_pages: count(c, t, "max_pages", s, w, 1).unwrap_or(d.max_pages),
        retention_days: count(c, t, "retention_days", s, w, 0)
            .map_or(d.retention_days, |v| v as u32),
        concurrency: count(c, t, "concurrency", s, w, 1).unwrap_or(d.concurrency),
        max_page_bytes: count(c, t, "max_page_bytes", s, w, 1024).unwrap_or(d.max_page_bytes),
        retries: count(c, t, "retries", s, w, 0).map_or(d.retries, |v| v as u32),
        max_host_failures: count(c, t, "max_host_failures", s, w, 1).unwrap_or(d.max_host_failures),
        max_run: count(c, t, "max_run_secs", s, w, 1)
            .map(|secs| Duration::from_secs(secs as u64))
            .or(d.max_run),
        match_window_days: count(c, t, "match_window_days", s, w, 0)
            .map_or(d.match_window_days, |v| {
                u32::try_from(v).unwrap_or(u32::MAX)
            }),
        warc_dir: warc_dir(c, t, s, w),
        warc_max_mb: count(c, t, "warc_max_mb", s, w, 1).map_or(d.warc_max_mb, |v| v as u64),
    }
}

/// `warc_dir`: a non-empty path.
fn warc_dir(c: &mut Checker<'_>, t: &Table, s: Section<'_>, w: &str) -> Option<String> {
    let dir = string(c, t, "warc_dir", s, w)?;
    if dir.trim().is_empty() {
        let line = c.at.key(s, "warc_dir");
        c.problem(
            line,
            format!("{w}\"warc_dir\" is empty; name a directory, e.g. warc_dir = \"warc\", or remove the key"),
        );
        return None;
    }
    Some(dir)
}

fn outlet(c: &mut Checker<'_>, t: &Table, index: usize, defaults: &Defaults) -> Option<Outlet> {
    let s = Section::Array("outlet", index);
    let header = c.at.section(s).unwrap_or(0);
    let name = match t.get("name") {
        Some(Value::String(n)) if valid_name(n) => n.clone(),
        Some(Value::String(n)) => {
            let line = c.at.key(s, "name");
            c.problem(
                line,
                format!("outlet name \"{n}\" must be 1-40 letters, digits, '-', '_' or '.'"),
            );
            n.clone()
        }
        _ => {
            c.problem(
                Some(header),
                "outlet has no \"name\"; add e.g. name = \"tass\"".into(),
            );
            format!("#{}", index + 1)
        }
    };
    let w = format!("outlet \"{name}\": ");
    c.unknown_keys(t, OUTLET_KEYS, s, &w);
    let homepage = match t.get("homepage") {
        None => {
            c.problem(
                Some(header),
                format!("{w}missing \"homepage\"; add e.g. homepage = \"https://example.com/\""),
            );
            None
        }
        Some(_) => url(c, t, "homepage", s, &w),
    };
    let feeds = urls(c, t, "feeds", s, &w);
    let sitemaps = urls(c, t, "sitemaps", s, &w);
    let sections = urls(c, t, "sections", s, &w);
    let enabled = boolean(c, t, "enabled", s, &w).unwrap_or(true);
    // A list written as a string has its own message already.
    let mistyped = ["feeds", "sitemaps", "sections"]
        .iter()
        .any(|k| t.get(*k).is_some_and(|v| !v.is_array()));
    if enabled
        && !mistyped
        && feeds.is_empty()
        && sitemaps.is_empty()
        && sections.is_empty()
        && homepage.is_some()
    {
        c.problem(
            Some(header),
            format!("{w}nothing to read: give at least one of feeds, sitemaps or sections"),
        );
    }
    let article_url =
        string(c, t, "article_url", s, &w).and_then(|re| regex(c, &re, "article_url", s, &w));
    let exclude = strings(c, t, "exclude", s, &w)
        .into_iter()
        .filter_map(|re| regex(c, &re, "exclude", s, &w))
        .collect();
    let body_selector = string(c, t, "body_selector", s, &w)
        .and_then(|sel| selector(c, &sel, "body_selector", s, &w));
    let drop_selectors = strings(c, t, "drop_selectors", s, &w)
        .into_iter()
        .filter_map(|sel| selector(c, &sel, "drop_selectors", s, &w))
        .collect();
    let charset = string(c, t, "charset", s, &w).and_then(|label| {
        let found = encoding_rs::Encoding::for_label(label.trim().as_bytes());
        if found.is_none() {
            let line = c.at.key(s, "charset");
            c.problem(line, format!("{w}unknown charset \"{label}\"; use a WHATWG label such as \"windows-1251\", \"koi8-r\", \"utf-8\""));
        }
        found
    });
    let lang = string(c, t, "lang", s, &w);
    let agency = boolean(c, t, "agency", s, &w).unwrap_or(false);
    let rate = rate(c, t, s, &w).unwrap_or(defaults.rate);
    let revisit = boolean(c, t, "revisit", s, &w).unwrap_or(false);
    Some(Outlet {
        name,
        homepage: homepage?,
        feeds,
        sitemaps,
        sections,
        article_url,
        exclude,
        body_selector,
        drop_selectors,
        agency,
        lang,
        charset,
        rate,
        revisit,
        enabled,
        line: header,
    })
}

fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 40
        && n.chars()
            .all(|ch| ch.is_alphanumeric() || matches!(ch, '-' | '_' | '.'))
}

//! TOML tables → typed [`Sources`], collecting every problem on the way.

use std::collections::HashSet;
use std::time::Duration;

use regex::Regex;
use toml::{Table, Value};
use url::Url;

use super::locate::{Locator, Section};
use super::suggest::nearest;
use super::{Defaults, Outlet, Problem, Sources, Storage};
use crate::clean::Selector;

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
];
const STORAGE_KEYS: &[&str] = &["path"];
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

/// Collects problems with their lines.
struct Checker<'a> {
    at: Locator<'a>,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn problem(&mut self, line: Option<usize>, message: String) {
        self.problems.push(Problem { line, message });
    }

    /// Reports keys of `table` not in `known`, suggesting the nearest.
    fn unknown_keys(&mut self, table: &Table, known: &[&str], section: Section<'_>, what: &str) {
        for key in table.keys() {
            if known.contains(&key.as_str()) {
                continue;
            }
            let hint = match nearest(key, known) {
                Some(near) => format!("; did you mean \"{near}\"?"),
                None => format!("; valid keys are: {}", known.join(", ")),
            };
            let line = self.at.key(section, key);
            self.problem(line, format!("{what}unknown key \"{key}\"{hint}"));
        }
    }
}

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
            Storage {
                path: string(&mut c, t, "path", Section::Table("storage"), "[storage]: "),
            }
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
    }
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
    if enabled
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

fn wrong_type(c: &mut Checker<'_>, s: Section<'_>, w: &str, key: &str, want: &str, got: &Value) {
    let line = c.at.key(s, key);
    c.problem(
        line,
        format!("{w}\"{key}\" must be {want}, not {}", got.type_str()),
    );
}

fn string(c: &mut Checker<'_>, t: &Table, key: &str, s: Section<'_>, w: &str) -> Option<String> {
    match t.get(key)? {
        Value::String(v) => Some(v.clone()),
        other => {
            wrong_type(c, s, w, key, "a string", other);
            None
        }
    }
}

fn strings(c: &mut Checker<'_>, t: &Table, key: &str, s: Section<'_>, w: &str) -> Vec<String> {
    match t.get(key) {
        None => Vec::new(),
        Some(Value::String(v)) => vec![v.clone()],
        Some(Value::Array(items)) if items.iter().all(Value::is_str) => items
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        Some(other) => {
            wrong_type(c, s, w, key, "a list of strings", other);
            Vec::new()
        }
    }
}

fn boolean(c: &mut Checker<'_>, t: &Table, key: &str, s: Section<'_>, w: &str) -> Option<bool> {
    match t.get(key)? {
        Value::Boolean(b) => Some(*b),
        other => {
            wrong_type(c, s, w, key, "true or false", other);
            None
        }
    }
}

fn rate(c: &mut Checker<'_>, t: &Table, s: Section<'_>, w: &str) -> Option<f64> {
    let v = match t.get("rate")? {
        Value::Float(f) => *f,
        Value::Integer(i) => *i as f64,
        other => {
            wrong_type(c, s, w, "rate", "a number of requests per second", other);
            return None;
        }
    };
    if !(v > 0.0 && v <= 1000.0) {
        let line = c.at.key(s, "rate");
        c.problem(
            line,
            format!("{w}\"rate\" must be between 0 and 1000 requests per second, got {v}"),
        );
        return None;
    }
    Some(v)
}

fn count(
    c: &mut Checker<'_>,
    t: &Table,
    key: &str,
    s: Section<'_>,
    w: &str,
    min: i64,
) -> Option<usize> {
    match t.get(key)? {
        Value::Integer(i) if *i >= min => Some(*i as usize),
        Value::Integer(i) => {
            let line = c.at.key(s, key);
            c.problem(
                line,
                format!("{w}\"{key}\" must be at least {min}, got {i}"),
            );
            None
        }
        other => {
            wrong_type(c, s, w, key, "a whole number", other);
            None
        }
    }
}

fn seconds(c: &mut Checker<'_>, t: &Table, key: &str, s: Section<'_>, w: &str) -> Option<Duration> {
    let secs = match t.get(key)? {
        Value::Integer(i) => *i as f64,
        Value::Float(f) => *f,
        other => {
            wrong_type(c, s, w, key, "a number of seconds", other);
            return None;
        }
    };
    if !(secs > 0.0 && secs <= 3600.0) {
        let line = c.at.key(s, key);
        c.problem(
            line,
            format!("{w}\"{key}\" must be between 0 and 3600 seconds, got {secs}"),
        );
        return None;
    }
    Some(Duration::from_secs_f64(secs))
}

fn url(c: &mut Checker<'_>, t: &Table, key: &str, s: Section<'_>, w: &str) -> Option<Url> {
    let text = string(c, t, key, s, w)?;
    check_url(c, &text, key, s, w)
}

fn urls(c: &mut Checker<'_>, t: &Table, key: &str, s: Section<'_>, w: &str) -> Vec<Url> {
    strings(c, t, key, s, w)
        .into_iter()
        .filter_map(|text| check_url(c, &text, key, s, w))
        .collect()
}

fn check_url(c: &mut Checker<'_>, text: &str, key: &str, s: Section<'_>, w: &str) -> Option<Url> {
    match Url::parse(text.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Some(u),
        Ok(u) => {
            let line = c.at.key(s, key);
            c.problem(
                line,
                format!(
                    "{w}\"{key}\": {text:?} is a {} URL; only http and https are fetched",
                    u.scheme()
                ),
            );
            None
        }
        Err(error) => {
            let line = c.at.key(s, key);
            c.problem(line, format!("{w}\"{key}\": {text:?} is not a URL ({error}); write it in full, e.g. \"https://example.com/rss\""));
            None
        }
    }
}

fn regex(c: &mut Checker<'_>, pattern: &str, key: &str, s: Section<'_>, w: &str) -> Option<Regex> {
    match Regex::new(pattern) {
        Ok(re) => Some(re),
        Err(error) => {
            let line = c.at.key(s, key);
            let first = error
                .to_string()
                .lines()
                .last()
                .unwrap_or("invalid")
                .trim()
                .to_string();
            c.problem(
                line,
                format!("{w}\"{key}\": bad regex {pattern:?}: {first}"),
            );
            None
        }
    }
}

fn selector(
    c: &mut Checker<'_>,
    sel: &str,
    key: &str,
    s: Section<'_>,
    w: &str,
) -> Option<Selector> {
    match Selector::parse(sel) {
        Ok(parsed) => Some(parsed),
        Err(error) => {
            let line = c.at.key(s, key);
            c.problem(line, format!("{w}\"{key}\": {error}"));
            None
        }
    }
}

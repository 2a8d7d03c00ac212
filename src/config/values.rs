//! Reading one TOML value with its check: each reader records a located
//! problem (file line, outlet, what to do) instead of failing, so every
//! mistake in the file is reported in one pass.

use std::time::Duration;

use regex::Regex;
use toml::{Table, Value};
use url::Url;

use super::locate::{Locator, Section};
use super::suggest::nearest;
use super::Problem;
use crate::clean::Selector;

/// Collects problems with their lines.
pub(super) struct Checker<'a> {
    pub(super) at: Locator<'a>,
    pub(super) problems: Vec<Problem>,
}

impl Checker<'_> {
    pub(super) fn problem(&mut self, line: Option<usize>, message: String) {
        self.problems.push(Problem { line, message });
    }

    /// Reports keys of `table` not in `known`, suggesting the nearest.
    pub(super) fn unknown_keys(
        &mut self,
        table: &Table,
        known: &[&str],
        section: Section<'_>,
        what: &str,
    ) {
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

pub(super) fn wrong_type(
    c: &mut Checker<'_>,
    s: Section<'_>,
    w: &str,
    key: &str,
    want: &str,
    got: &Value,
) {
    let line = c.at.key(s, key);
    c.problem(
        line,
        format!("{w}\"{key}\" must be {want}, not {}", got.type_str()),
    );
}

pub(super) fn string(
    c: &mut Checker<'_>,
    t: &Table,
    key: &str,
    s: Section<'_>,
    w: &str,
) -> Option<String> {
    match t.get(key)? {
        Value::String(v) => Some(v.clone()),
        other => {
            wrong_type(c, s, w, key, "a string", other);
            None
        }
    }
}

pub(super) fn strings(
    c: &mut Checker<'_>,
    t: &Table,
    key: &str,
    s: Section<'_>,
    w: &str,
) -> Vec<String> {
    match t.get(key) {
        None => Vec::new(),
        Some(Value::String(v)) => {
            let line = c.at.key(s, key);
            c.problem(
                line,
                format!(
                    "{w}\"{key}\" must be a list of strings, not a string: write {key} = [{v:?}]"
                ),
            );
            Vec::new()
        }
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

pub(super) fn boolean(
    c: &mut Checker<'_>,
    t: &Table,
    key: &str,
    s: Section<'_>,
    w: &str,
) -> Option<bool> {
    match t.get(key)? {
        Value::Boolean(b) => Some(*b),
        other => {
            wrong_type(c, s, w, key, "true or false", other);
            None
        }
    }
}

pub(super) fn rate(c: &mut Checker<'_>, t: &Table, s: Section<'_>, w: &str) -> Option<f64> {
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

pub(super) fn count(
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

pub(super) fn seconds(
    c: &mut Checker<'_>,
    t: &Table,
    key: &str,
    s: Section<'_>,
    w: &str,
) -> Option<Duration> {
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

pub(super) fn url(
    c: &mut Checker<'_>,
    t: &Table,
    key: &str,
    s: Section<'_>,
    w: &str,
) -> Option<Url> {
    let text = string(c, t, key, s, w)?;
    check_url(c, &text, key, s, w)
}

pub(super) fn urls(c: &mut Checker<'_>, t: &Table, key: &str, s: Section<'_>, w: &str) -> Vec<Url> {
    strings(c, t, key, s, w)
        .into_iter()
        .filter_map(|text| check_url(c, &text, key, s, w))
        .collect()
}

pub(super) fn check_url(
    c: &mut Checker<'_>,
    text: &str,
    key: &str,
    s: Section<'_>,
    w: &str,
) -> Option<Url> {
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

pub(super) fn regex(
    c: &mut Checker<'_>,
    pattern: &str,
    key: &str,
    s: Section<'_>,
    w: &str,
) -> Option<Regex> {
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

pub(super) fn selector(
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

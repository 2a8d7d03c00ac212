//! The per-page account of the date: for every page with a gold date, what
//! we found, the rule that chose it ([`wirecopy::clean::DateTrace`]), which
//! of the page's dates equal the gold day, and where the gold day is written
//! in the HTML, if anywhere.
//!
//! Writes `target/meta_eval_dates.tsv` (the misses, one a line, to classify
//! by cause) and `target/meta_eval_dates.jsonl` (every page's trace, to try
//! a new order of preference on before writing it in Rust).

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use wirecopy::clean::DateTrace;

/// One page's date, as the eval saw it.
pub struct DateRow<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub gold: &'a str,
    pub ok: bool,
    pub html: &'a str,
    pub trace: &'a DateTrace,
}

/// The header of `meta_eval_dates.tsv`.
pub const HEADER: &str =
    "id\ttype\tgold\tours\trule\tgold_among_candidates\tgold_in_html\tcandidates\n";

/// Appends one TSV line for a miss (nothing for a hit).
pub fn miss_line(out: &mut String, r: &DateRow) {
    if r.ok {
        return;
    }
    let gold_day = r.gold.get(..10).unwrap_or(r.gold);
    let among: Vec<String> = r
        .trace
        .candidates
        .iter()
        .filter(|c| c.day.starts_with(gold_day))
        .map(describe)
        .collect();
    let all: Vec<String> = r
        .trace
        .candidates
        .iter()
        .map(|c| format!("{} {}", c.day, describe(c)))
        .collect();
    let _ = writeln!(
        out,
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        r.id,
        r.kind,
        r.gold,
        r.trace.published.as_deref().unwrap_or(""),
        r.trace.rule,
        among.join("; "),
        where_written(r.gold, r.html),
        all.join("; ").replace(['\t', '\n', '\r'], " "),
    );
}

/// Appends one JSON line with the page's gold date and whole trace.
pub fn json_line(out: &mut String, r: &DateRow) {
    let v = serde_json::json!({
        "id": r.id, "type": r.kind, "gold": r.gold, "ok": r.ok, "trace": r.trace,
    });
    let _ = writeln!(out, "{v}");
}

fn describe(c: &wirecopy::clean::DateCandidate) -> String {
    format!(
        "{}{}{}@{}",
        c.source,
        if c.modified { " (modified)" } else { "" },
        if c.in_link { " (link)" } else { "" },
        c.at
    )
}

/// Says where the gold day is first written in the page (`meta`, `script`
/// or `markup`, with the text just before it), or `nowhere`.
fn where_written(gold: &str, html: &str) -> String {
    let Some(day) = gold
        .get(..10)
        .and_then(|g| NaiveDate::parse_from_str(g, "%Y-%m-%d").ok())
    else {
        return "gold is a month".to_string();
    };
    let lower = html.to_lowercase();
    let hit = spellings(day)
        .iter()
        .filter_map(|s| lower.find(s.as_str()))
        .min();
    let Some(at) = hit else {
        return "nowhere".to_string();
    };
    let before = &lower[..at];
    let in_tag = |tag: &str, close: &str| {
        before
            .rfind(tag)
            .is_some_and(|open| before.rfind(close).is_none_or(|c| c < open))
    };
    let place = if in_tag("<script", "</script") {
        "script"
    } else if in_tag("<meta", ">") {
        "meta"
    } else {
        "markup"
    };
    let start = (at.saturating_sub(60)..at)
        .find(|&i| html.is_char_boundary(i))
        .unwrap_or(at);
    let context: String = html
        .get(start..at)
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    format!("{place} at {at}/{}: …{context}", html.len())
}

/// The ways pages commonly write a day, lowercased.
fn spellings(d: NaiveDate) -> Vec<String> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let (y, m, dd) = (d.year(), d.month(), d.day());
    let name = MONTHS[(m - 1) as usize];
    let short = &name[..3];
    vec![
        format!("{y}-{m:02}-{dd:02}"),
        format!("{y}/{m:02}/{dd:02}"),
        format!("{dd:02}.{m:02}.{y}"),
        format!("{m:02}/{dd:02}/{y}"),
        format!("{dd:02}/{m:02}/{y}"),
        format!("{m}/{dd}/{y}"),
        format!("{dd}/{m}/{y}"),
        format!("{name} {dd}, {y}"),
        format!("{short} {dd}, {y}"),
        format!("{short}. {dd}, {y}"),
        format!("{dd} {name} {y}"),
        format!("{dd} {short} {y}"),
    ]
}

//! Loading the two benchmark sets from `../shared/bench` (relative to the
//! crate root): AEB (`aeb/html/ID.html` + `aeb/ground-truth.json`) and WCXB
//! dev (`wcxb-dev/html/ID.html.gz` + `wcxb-dev/ground-truth/ID.json`).

use std::io::Read;
use std::path::Path;

use serde_json::Value;

/// One benchmark page: its bytes, its address, its type and gold text.
pub struct Page {
    pub id: String,
    pub url: Option<String>,
    pub kind: String,
    pub html: Vec<u8>,
    pub gold: String,
}

/// Which measure a set is scored with.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Aeb,
    Wcxb,
}

/// A loaded set.
pub struct Set {
    pub name: &'static str,
    pub measure: Measure,
    pub pages: Vec<Page>,
}

/// Loads AEB, or says why not.
pub fn aeb(bench: &Path) -> Result<Set, String> {
    let dir = bench.join("aeb");
    let truth_path = dir.join("ground-truth.json");
    let text = std::fs::read_to_string(&truth_path)
        .map_err(|e| format!("{}: {e}", truth_path.display()))?;
    let truth: serde_json::Map<String, Value> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", truth_path.display()))?;
    let mut pages = Vec::new();
    for (id, v) in truth {
        let path = dir.join("html").join(format!("{id}.html"));
        let html = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        pages.push(Page {
            url: v.get("url").and_then(Value::as_str).map(String::from),
            kind: "article".into(),
            gold: v
                .get("articleBody")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            id,
            html,
        });
    }
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Set {
        name: "aeb",
        measure: Measure::Aeb,
        pages,
    })
}

/// Loads the WCXB dev split, or says why not. The page type is
/// `_internal.page_type.primary` ("category" counts as "collection", as the
/// benchmark's scorer has it).
pub fn wcxb(bench: &Path) -> Result<Set, String> {
    let dir = bench.join("wcxb-dev");
    let gt = dir.join("ground-truth");
    let entries = std::fs::read_dir(&gt).map_err(|e| format!("{}: {e}", gt.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let mut pages = Vec::new();
    for name in names {
        let id = name.trim_end_matches(".json").to_string();
        let path = gt.join(&name);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let v: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let kind = match v.pointer("/_internal/page_type") {
            Some(Value::Object(o)) => o
                .get("primary")
                .and_then(Value::as_str)
                .unwrap_or("article")
                .to_string(),
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => "article".to_string(),
        };
        let kind = if kind == "category" {
            "collection".to_string()
        } else {
            kind
        };
        let gold = v
            .pointer("/ground_truth/main_content")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let html_path = dir.join("html").join(format!("{id}.html.gz"));
        let html = match std::fs::File::open(&html_path) {
            Ok(file) => {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(file)
                    .read_to_end(&mut out)
                    .map_err(|e| format!("{}: {e}", html_path.display()))?;
                out
            }
            // The scorer counts a page without HTML as an empty prediction.
            Err(_) => Vec::new(),
        };
        pages.push(Page {
            url: v.get("url").and_then(Value::as_str).map(String::from),
            id,
            kind,
            html,
            gold,
        });
    }
    Ok(Set {
        name: "wcxb-dev",
        measure: Measure::Wcxb,
        pages,
    })
}

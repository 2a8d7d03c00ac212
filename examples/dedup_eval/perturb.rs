//! Real agency copy, edited by machine: how much editing the index still
//! joins.
//!
//! The originals are texts no one here wrote: the Press Association copy of
//! the METER showbiz half and the five seed stories (`../shared`, read at
//! run time; skipped when absent). Each original of at least
//! [`MIN_WORDS`] words is edited in the ways crude spinners and copy
//! editors edit, with a fixed seed:
//!
//! * `subN`: each word replaced, with probability N%, by a word drawn from
//!   the whole corpus's vocabulary (words of letters only): function words
//!   change as often as content words, as with the crudest spinners (a
//!   synonym spinner that leaves function words alone is gentler); figures
//!   stay, as spinners leave them;
//! * `cutN`: the first N% of the words, to the end of that sentence;
//! * `cut60+sub20`: both.
//!
//! All originals go into one index as the agency's own copy, then every
//! edited copy as a text of unknown origin, in that order and reversed
//! (copies first). Prints, per kind, the share of copies that end in their
//! original's cluster, and how many end with another story's copy: those
//! are false merges. `DEDUP_EVAL_EDITS_TRACE=1` names each of them.

use std::collections::HashMap;
use std::path::Path;

use wirecopy::dedup::{sketch, DocMeta, Index, IndexConfig, Sketch};

// Shared with the benches, which use all of it.
#[allow(dead_code)]
#[path = "../../benches/common/splitmix.rs"]
mod splitmix;
use splitmix::Rng;

/// Originals shorter than this are left out: a 40-word brief cut to 30%
/// is a headline.
pub const MIN_WORDS: usize = 100;

/// The edits, by name.
const KINDS: [&str; 7] = [
    "sub10",
    "sub20",
    "sub30",
    "sub40",
    "cut60",
    "cut30",
    "cut60+sub20",
];

/// Replaces each word with probability `percent`, keeping the punctuation
/// around it, the line breaks and the capital of a first letter.
fn substitute(text: &str, percent: u64, vocab: &[String], rng: &mut Rng) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut first = true;
        for token in line.split(' ') {
            if !first {
                out.push(' ');
            }
            first = false;
            let start = token.find(char::is_alphanumeric);
            let end = token.rfind(char::is_alphanumeric);
            let (Some(start), Some(end)) = (start, end) else {
                out.push_str(token);
                continue;
            };
            // Spinners leave figures alone.
            if token.contains(|c: char| c.is_ascii_digit()) || rng.below(100) as u64 >= percent {
                out.push_str(token);
                continue;
            }
            let mut word = vocab[rng.below(vocab.len())].clone();
            if token[start..].starts_with(char::is_uppercase) {
                let mut chars = word.chars();
                word = chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default();
            }
            let end = end + token[end..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&token[..start]);
            out.push_str(&word);
            out.push_str(&token[end..]);
        }
    }
    out
}

/// The first `percent` of the words, on to the end of that sentence.
fn cut(text: &str, percent: usize) -> String {
    let keep = text.split_whitespace().count() * percent / 100;
    let mut out = String::new();
    let mut seen = 0;
    for piece in text.split_inclusive(char::is_whitespace) {
        out.push_str(piece);
        if !piece.trim().is_empty() {
            seen += 1;
        }
        if seen >= keep && piece.trim_end().ends_with(['.', '"', '!', '?']) {
            break;
        }
    }
    out
}

/// Runs the edits over the originals under `shared`, if they are there.
pub fn run(shared: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut originals: Vec<(String, String)> = Vec::new();
    if let Ok(body) = std::fs::read_to_string(shared.join("bench/meter-showbiz/docs.jsonl")) {
        for line in body.lines().filter(|l| !l.trim().is_empty()) {
            let d: serde_json::Value = serde_json::from_str(line)?;
            if d["source"] == "pa" {
                let story = d["story"].as_str().unwrap_or_default().to_string();
                originals.push((story, d["text"].as_str().unwrap_or_default().to_string()));
            }
        }
    }
    if let Ok(dir) = std::fs::read_dir(shared.join("seeds")) {
        let mut seeds: Vec<_> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        seeds.sort();
        for path in seeds
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        {
            originals.push((path.display().to_string(), std::fs::read_to_string(path)?));
        }
    }
    originals.retain(|(_, t)| t.split_whitespace().count() >= MIN_WORDS);
    if originals.is_empty() {
        println!(
            "\n== machine edits: no METER or seed texts under {}, skipped",
            shared.display()
        );
        return Ok(());
    }
    let mut vocab: Vec<String> = originals
        .iter()
        .flat_map(|(_, t)| t.split_whitespace())
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty() && w.chars().all(char::is_alphabetic))
        .collect();
    vocab.sort();
    vocab.dedup();
    let mut rng = Rng(0x5eed);
    let originals_sketched: Vec<Sketch> = originals.iter().map(|(_, t)| sketch(t)).collect();
    // (original, kind, sketch)
    let mut copies: Vec<(usize, usize, Sketch)> = Vec::new();
    for (o, (_, text)) in originals.iter().enumerate() {
        for (k, kind) in KINDS.iter().enumerate() {
            let edited = match *kind {
                "cut60" => cut(text, 60),
                "cut30" => cut(text, 30),
                "cut60+sub20" => substitute(&cut(text, 60), 20, &vocab, &mut rng),
                sub => {
                    let percent = sub.trim_start_matches("sub").parse().unwrap_or(0);
                    substitute(text, percent, &vocab, &mut rng)
                }
            };
            copies.push((o, k, sketch(&edited)));
        }
    }
    println!(
        "\n== machine edits of {} real agency texts of {MIN_WORDS}+ words (METER PA copy, seeds)",
        originals.len()
    );
    for reversed in [false, true] {
        let mut index = Index::new(IndexConfig::default());
        let meta = |s: &Sketch, agency: bool| DocMeta {
            agency,
            published: None,
            words: s.fingerprint.words,
        };
        let mut original_cluster = vec![0u32; originals.len()];
        let mut copy_cluster = vec![0u32; copies.len()];
        let place_originals = |index: &mut Index, out: &mut Vec<u32>| {
            for (o, s) in originals_sketched.iter().enumerate() {
                out[o] = index.insert(s, meta(s, true)).cluster;
            }
        };
        if !reversed {
            place_originals(&mut index, &mut original_cluster);
        }
        for (c, (_, _, s)) in copies.iter().enumerate() {
            copy_cluster[c] = index.insert(s, meta(s, false)).cluster;
        }
        if reversed {
            place_originals(&mut index, &mut original_cluster);
        }
        // Which stories each cluster holds an original of.
        let mut stories: HashMap<u32, Vec<&str>> = HashMap::new();
        for (o, &c) in original_cluster.iter().enumerate() {
            stories.entry(c).or_default().push(&originals[o].0);
        }
        let mut line = String::new();
        for (k, kind) in KINDS.iter().enumerate() {
            let (mut joined, mut false_joins, mut total) = (0, 0, 0);
            for (c, (o, _, _)) in copies.iter().enumerate().filter(|(_, x)| x.1 == k) {
                total += 1;
                let held = stories.get(&copy_cluster[c]).map_or(&[][..], Vec::as_slice);
                if held.contains(&originals[*o].0.as_str()) {
                    joined += 1;
                }
                if held.iter().any(|s| *s != originals[*o].0) {
                    false_joins += 1;
                    if std::env::var_os("DEDUP_EVAL_EDITS_TRACE").is_some() {
                        println!("  false: {kind} of {} with {held:?}", originals[*o].0);
                    }
                }
            }
            line.push_str(&format!(
                " · {kind} {:.2}{}",
                f64::from(joined) / f64::from(total.max(1)),
                if false_joins > 0 {
                    format!(" ({false_joins} false)")
                } else {
                    String::new()
                }
            ));
        }
        let order = if reversed {
            "copies first"
        } else {
            "originals first"
        };
        println!("{order}:{line}");
    }
    Ok(())
}

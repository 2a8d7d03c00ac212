//! What the evaluation prints and writes: per-type figures, counts of empty
//! and starved pages, cascade steps, the per-page TSV and the comparison
//! with the previous run's TSV.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use crate::score::{self, Prf};

/// One scored page.
pub struct Row {
    pub id: String,
    pub kind: String,
    pub prf: Prf,
    pub words_out: usize,
    pub words_gold: usize,
    pub step: String,
    /// AEB only: the page's normalised (tp, fp, fn), for the set's figure.
    pub triple: Option<(f64, f64, f64)>,
}

/// Prints the figures of one set.
pub fn summary(set: &str, rows: &[Row]) {
    let mut by: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        by.entry(r.kind.as_str()).or_default().push(r);
    }
    if rows.iter().all(|r| r.triple.is_some()) {
        let t: Vec<_> = rows.iter().filter_map(|r| r.triple).collect();
        let p = score::mean(
            t.iter()
                .filter(|x| x.0 + x.1 > 0.0)
                .map(|&x| score::aeb_prec(x)),
        );
        let r = score::mean(
            t.iter()
                .filter(|x| x.0 + x.2 > 0.0)
                .map(|&x| score::aeb_rec(x)),
        );
        println!(
            "{set}: {} pages  F1 {:.4}  precision {:.4}  recall {:.4}  (aeb_score.py measure)",
            rows.len(),
            score::f1(p, r),
            p,
            r
        );
    } else {
        let all: Vec<&Row> = rows.iter().collect();
        line(set, "all", &all);
        for (kind, rs) in &by {
            line(set, kind, rs);
        }
    }
    let empty = rows.iter().filter(|r| r.words_out == 0).count();
    let starved: Vec<&Row> = rows
        .iter()
        .filter(|r| r.words_gold >= 100 && r.words_out < 20)
        .collect();
    let half = rows.iter().filter(|r| r.prf.r < 0.5).count();
    println!(
        "{set}: empty results {empty}; gold ≥ 100 words but < 20 out: {}{}; recall < 0.5: {half}",
        starved.len(),
        if starved.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                starved
                    .iter()
                    .take(12)
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
    );
    let mut steps: BTreeMap<&str, (usize, f64)> = BTreeMap::new();
    for r in rows {
        let e = steps.entry(r.step.as_str()).or_default();
        e.0 += 1;
        e.1 += r.prf.f1;
    }
    let steps: Vec<String> = steps
        .iter()
        .map(|(s, (n, f))| format!("{s} {n} (F1 {:.3})", f / *n as f64))
        .collect();
    println!("{set}: steps: {}", steps.join(", "));
}

fn line(set: &str, kind: &str, rows: &[&Row]) {
    let n = rows.len();
    println!(
        "{set}: {kind:<14} n={n:<5} P {:.3} R {:.3} F1 {:.3}",
        score::mean(rows.iter().map(|r| r.prf.p)),
        score::mean(rows.iter().map(|r| r.prf.r)),
        score::mean(rows.iter().map(|r| r.prf.f1)),
    );
}

/// Writes the per-page TSV: id, type, P, R, F1, words out, words gold, step.
pub fn write_tsv(path: &Path, rows: &[Row]) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "id\ttype\tP\tR\tF1\twords_out\twords_gold\tstep")?;
    for r in rows {
        writeln!(
            out,
            "{}\t{}\t{:.4}\t{:.4}\t{:.4}\t{}\t{}\t{}",
            r.id, r.kind, r.prf.p, r.prf.r, r.prf.f1, r.words_out, r.words_gold, r.step
        )?;
    }
    out.flush()
}

/// Reads a TSV written by [`write_tsv`]: id → (F1, step).
pub fn read_tsv(path: &Path) -> std::io::Result<BTreeMap<String, (f64, String)>> {
    let text = std::fs::read_to_string(path)?;
    let mut out = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() >= 8 {
            if let Ok(f) = cols[4].parse::<f64>() {
                out.insert(cols[0].to_string(), (f, cols[7].to_string()));
            }
        }
    }
    Ok(out)
}

/// Prints how this run differs, page by page, from the previous one.
pub fn compare(set: &str, old: &BTreeMap<String, (f64, String)>, rows: &[Row]) {
    let mut moved: Vec<(f64, &Row, f64)> = rows
        .iter()
        .filter_map(|r| old.get(&r.id).map(|(f, _)| (r.prf.f1 - f, r, *f)))
        .filter(|(d, _, _)| d.abs() >= 0.01)
        .collect();
    if moved.is_empty() {
        println!("{set}: vs previous run: no page moved by 0.01 F1 or more");
        return;
    }
    let better = moved.iter().filter(|m| m.0 > 0.0).count();
    let sum: f64 = moved.iter().map(|m| m.0).sum();
    println!(
        "{set}: vs previous run: {better} pages better, {} worse (by ≥ 0.01 F1); mean change {:+.4}",
        moved.len() - better,
        sum / rows.len().max(1) as f64
    );
    moved.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (d, r, f) in moved.iter().filter(|m| m.0 < 0.0).take(8) {
        println!(
            "  worse {d:+.3}  {} {:<12} {f:.3} → {:.3} ({})",
            r.id, r.kind, r.prf.f1, r.step
        );
    }
    for (d, r, f) in moved.iter().rev().filter(|m| m.0 > 0.0).take(5) {
        println!(
            "  better {d:+.3} {} {:<12} {f:.3} → {:.3} ({})",
            r.id, r.kind, r.prf.f1, r.step
        );
    }
}

/// Prints the `n` lowest-scoring pages, of one type if given.
pub fn worst(rows: &[Row], n: usize, kind: Option<&str>) {
    let mut list: Vec<&Row> = rows
        .iter()
        .filter(|r| kind.is_none_or(|k| r.kind == k))
        .collect();
    list.sort_by(|a, b| a.prf.f1.total_cmp(&b.prf.f1));
    for r in list.iter().take(n) {
        println!(
            "  {:.3}  P {:.3} R {:.3}  {} {:<12} out {} gold {} ({})",
            r.prf.f1, r.prf.p, r.prf.r, r.id, r.kind, r.words_out, r.words_gold, r.step
        );
    }
}

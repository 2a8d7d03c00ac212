//! Command-line inputs: files, directories and `-` expanded to a file list.

use std::path::{Path, PathBuf};

use anyhow::Context;

/// Expands `paths`: a file stays as given, `-` (standard input) too, and a
/// directory becomes every file below it whose extension is in `exts`
/// (case-insensitive), or is one of those followed by `.gz` (`page.html.gz`),
/// sorted by path. A missing path is an error naming it.
pub fn expand(paths: &[PathBuf], exts: &[&str]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(path.clone());
            continue;
        }
        let meta = std::fs::metadata(path)
            .with_context(|| format!("{}: cannot read (does it exist?)", path.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, exts, &mut found)?;
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot list directory", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("{}: cannot list directory", dir.display()))?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, exts, out)?;
        } else if matches_ext(&path, exts) {
            out.push(path);
        }
    }
    Ok(())
}

/// Returns true if and only if the file name ends in `.EXT` or `.EXT.gz`
/// for one of `exts` (case-insensitive).
fn matches_ext(path: &Path, exts: &[&str]) -> bool {
    let ext_of = |p: &Path| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.iter().any(|x| x.eq_ignore_ascii_case(e)))
    };
    let gz = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    if gz {
        path.file_stem().is_some_and(|stem| ext_of(Path::new(stem)))
    } else {
        ext_of(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_plain_and_gzipped_names() {
        let exts = ["html", "htm"];
        for yes in ["a.html", "b.HTM", "c.html.gz", "d.htm.GZ"] {
            assert!(matches_ext(Path::new(yes), &exts), "{yes}");
        }
        for no in ["a.txt", "b.gz", "c.txt.gz", "html", "d.html.zip"] {
            assert!(!matches_ext(Path::new(no), &exts), "{no}");
        }
    }
}

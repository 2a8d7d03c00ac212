//! Line numbers for config messages: where a table or key was written.
//!
//! The TOML parser gives values without positions, so messages find their
//! line by scanning the text the way a reader would: table headers start a
//! section (`[defaults]`, the n-th `[[outlet]]`), and `key =` lines inside
//! it hold keys.

use std::collections::HashMap;

/// A table of the config file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Section<'a> {
    /// Keys before any header.
    Top,
    /// `[name]`.
    Table(&'a str),
    /// The `index`-th (0-based) `[[name]]`.
    Array(&'a str, usize),
}

/// Line numbers of sections and keys in one config text.
///
/// The headers are found once, when the text is indexed, so finding a
/// section costs a lookup and finding a key a scan of that section's lines
/// only: a file of 16,000 outlets is located in linear time (it was
/// quadratic when every lookup scanned the file from the top).
pub(crate) struct Locator<'a> {
    lines: Vec<&'a str>,
    /// Every header as (line index, name, is `[[array]]`), in file order.
    headers: Vec<(usize, &'a str, bool)>,
    /// For each `[[name]]`, the positions in `headers` of its tables.
    arrays: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Locator<'a> {
    /// Indexes `text`.
    pub(crate) fn new(text: &'a str) -> Locator<'a> {
        let lines: Vec<&str> = text.lines().collect();
        let mut headers = Vec::new();
        let mut arrays: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim();
            let header = if let Some(rest) = t.strip_prefix("[[") {
                rest.split("]]").next().map(|n| (n.trim(), true))
            } else if let Some(rest) = t.strip_prefix('[') {
                rest.split(']').next().map(|n| (n.trim(), false))
            } else {
                None
            };
            if let Some((name, is_array)) = header {
                if is_array {
                    arrays.entry(name).or_default().push(headers.len());
                }
                headers.push((i, name, is_array));
            }
        }
        Locator {
            lines,
            headers,
            arrays,
        }
    }

    /// The 1-based line of a section's header (1 for [`Section::Top`]).
    pub(crate) fn section(&self, section: Section<'_>) -> Option<usize> {
        self.range(section).map(|(start, _)| start + 1)
    }

    /// The 1-based line where `key` is set in `section`, else the section's
    /// header line.
    pub(crate) fn key(&self, section: Section<'_>, key: &str) -> Option<usize> {
        let (start, end) = self.range(section)?;
        for (i, line) in self.lines[start..end].iter().enumerate() {
            let t = line.trim_start();
            let name = t
                .split(['=', ' ', '\t'])
                .next()
                .unwrap_or("")
                .trim_matches(['"', '\'']);
            if name == key
                && t[t.find(name).unwrap_or(0) + name.len()..]
                    .trim_start()
                    .starts_with(['=', '"', '\''])
            {
                return Some(start + i + 1);
            }
        }
        Some(start + 1)
    }

    /// Line index range `[header, next header)` of a section.
    fn range(&self, section: Section<'_>) -> Option<(usize, usize)> {
        let position = match section {
            Section::Top => {
                let end = self.headers.first().map_or(self.lines.len(), |h| h.0);
                return Some((0, end));
            }
            Section::Table(want) => self
                .headers
                .iter()
                .position(|&(_, name, is_array)| !is_array && name == want)?,
            Section::Array(want, index) => *self.arrays.get(want)?.get(index)?,
        };
        let start = self.headers[position].0;
        let end = self
            .headers
            .get(position + 1)
            .map_or(self.lines.len(), |h| h.0);
        Some((start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sections_and_keys() {
        let text = "top = 1\n[defaults]\nrate = 1\n\n[[outlet]]\nname = \"a\"\n[[outlet]]\nname = \"b\"\nfeeds = []\n";
        let l = Locator::new(text);
        assert_eq!(l.key(Section::Top, "top"), Some(1));
        assert_eq!(l.key(Section::Table("defaults"), "rate"), Some(3));
        assert_eq!(l.section(Section::Array("outlet", 1)), Some(7));
        assert_eq!(l.key(Section::Array("outlet", 1), "feeds"), Some(9));
        assert_eq!(l.key(Section::Array("outlet", 0), "feeds"), Some(5));
        assert_eq!(l.section(Section::Array("outlet", 2)), None);
    }
}

//! Line numbers for config messages: where a table or key was written.
//!
//! The TOML parser gives values without positions, so messages find their
//! line by scanning the text the way a reader would: table headers start a
//! section (`[defaults]`, the n-th `[[outlet]]`), and `key =` lines inside
//! it hold keys.

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
pub(crate) struct Locator<'a> {
    lines: Vec<&'a str>,
}

impl<'a> Locator<'a> {
    /// Indexes `text`.
    pub(crate) fn new(text: &'a str) -> Locator<'a> {
        Locator {
            lines: text.lines().collect(),
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
        let mut start = match section {
            Section::Top => Some(0),
            _ => None,
        };
        let mut seen = 0usize;
        for (i, line) in self.lines.iter().enumerate() {
            let t = line.trim();
            let header = if let Some(rest) = t.strip_prefix("[[") {
                rest.split("]]").next().map(|n| (n.trim(), true))
            } else if let Some(rest) = t.strip_prefix('[') {
                rest.split(']').next().map(|n| (n.trim(), false))
            } else {
                None
            };
            let Some((name, is_array)) = header else {
                continue;
            };
            if let Some(s) = start {
                if i > s || matches!(section, Section::Top) {
                    return Some((s, i));
                }
            }
            match section {
                Section::Table(want) if !is_array && name == want => start = Some(i),
                Section::Array(want, index) if is_array && name == want => {
                    if seen == index {
                        start = Some(i);
                    }
                    seen += 1;
                }
                _ => {}
            }
        }
        start.map(|s| (s, self.lines.len()))
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

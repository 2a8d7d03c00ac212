//! The `wirecopy review` commands a reviewer can run on one cluster.
//!
//! Owns the suggestions that the HTML and Markdown reports print under each
//! cluster, so a reader sees how to act on what the report shows: confirm
//! the cluster, split out each doubtful member, or make a member the
//! canonical. Stateless: the commands are built from the report's ids.

use super::ClusterReport;

/// Returns the review commands for `c`: split each doubtful member, make
/// the first member canonical (when there is one), confirm the cluster.
/// `db` is added as `--db DB` when the report was not read from the
/// default database.
pub fn review_commands(c: &ClusterReport, db: Option<&str>) -> Vec<String> {
    let db = db
        .map(|d| format!(" --db {}", shell_word(d)))
        .unwrap_or_default();
    let mut out: Vec<String> = c
        .members
        .iter()
        .filter(|m| m.doubtful)
        .map(|m| {
            format!(
                "wirecopy review split{db} {} {}   # {} is not a reprint of this story",
                c.id, m.article.id, m.article.outlet
            )
        })
        .collect();
    if let Some(m) = c.members.first() {
        out.push(format!(
            "wirecopy review canonical{db} {} {}   # {}'s version is the canonical one",
            c.id, m.article.id, m.article.outlet
        ));
    }
    out.push(format!(
        "wirecopy review confirm{db} {}   # every member belongs here",
        c.id
    ));
    out
}

/// Quotes `s` for a POSIX shell when it holds anything but plain path
/// characters.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_for_the_shell_only_when_needed() {
        assert_eq!(
            shell_word("wirecopy-demo/wirecopy.db"),
            "wirecopy-demo/wirecopy.db"
        );
        assert_eq!(shell_word("my db's/w.db"), "'my db'\\''s/w.db'");
    }
}

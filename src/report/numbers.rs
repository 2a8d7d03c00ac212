//! How numbers read in text, in one place: a count with its noun ("1
//! article", "2 articles") and a similarity score (two decimals). Every
//! human-facing output uses these: the run's summary line, the reports,
//! `clusters`, `dedup`, the demo and the review app. Data formats (JSON,
//! CSV) carry their own precision.

/// `n` followed by `one` when `n` is 1, else by `many`: `counted(1,
/// "article", "articles")` is "1 article".
pub fn counted(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A similarity (0–1) as text shows it: two decimals.
pub fn similarity(score: f64) -> String {
    format!("{score:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(counted(1u64, "article", "articles"), "1 article");
        assert_eq!(counted(0u64, "article", "articles"), "0 articles");
        assert_eq!(counted(2u32, "story", "stories"), "2 stories");
        assert_eq!(similarity(0.9549), "0.95");
        assert_eq!(similarity(1.0), "1.00");
    }
}

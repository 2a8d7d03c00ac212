//! "Did you mean …?": the nearest valid name to a misspelt one.

/// Returns the candidate closest to `word` by edit distance, if it is close
/// enough to be a plausible typo (at most a third of the longer name, and
/// never more than 3 edits).
pub(crate) fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|&c| (edit_distance(&word, c), c))
        .filter(|&(d, c)| d <= 3 && d * 3 <= c.len().max(word.len()))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Levenshtein distance with transpositions counted as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let keys = ["feeds", "sitemaps", "sections", "article_url", "exclude"];
        assert_eq!(nearest("feds", &keys), Some("feeds"));
        assert_eq!(nearest("sitemap", &keys), Some("sitemaps"));
        assert_eq!(nearest("artcile_url", &keys), Some("article_url"));
        assert_eq!(nearest("Feeds", &keys), Some("feeds"));
        assert_eq!(nearest("colour", &keys), None);
    }
}

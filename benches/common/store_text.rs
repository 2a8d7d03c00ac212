//! Storing invented text through the pipeline's [`Ingest`] as a run stores
//! a fetched page (fetch record, page, article, placement), without
//! fetching: the setup of the benches and tests that write many articles.

use wirecopy::clean::Article;
use wirecopy::dedup::Relation;
use wirecopy::pipeline::{Cleaned, Ingest};
use wirecopy::store::{FetchRecord, Id, UrlKind};

/// Stores `text` as the article at `url` of `outlet` (an agency's own copy
/// when `agency`), fetched by `run` with a 200; returns its id and how it
/// was placed. Panics if the store fails: this is setup.
pub fn store_text(
    ingest: &mut Ingest,
    run: Id,
    (outlet, url): (&str, &str),
    text: &str,
    agency: bool,
) -> (Id, Relation) {
    let article = Article {
        text: text.to_string(),
        ..Article::default()
    };
    ingest
        .add(&Cleaned {
            fetch: FetchRecord {
                run,
                outlet,
                url,
                kind: UrlKind::Article,
                status: Some(200),
                etag: None,
                last_modified: None,
                error: None,
                stage: None,
            },
            final_url: url,
            html: text.as_bytes(),
            article: &article,
            outlet_is_agency: agency,
            outlet_name: outlet,
            outlet_homepage: "https://example/",
            claimed_canonical: None,
            claimed: None,
        })
        .expect("store an article")
}

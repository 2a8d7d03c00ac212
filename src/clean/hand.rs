//! The hand rules' pass over one page ([`Handled`]): size and format
//! checks, charset, parse, outlet drops, metadata, the cascade, and JSON-LD
//! when the page's markup holds much less; and the block samples that the
//! block model is trained on ([`Cleaner::block_samples`]), read after that
//! pass. No state.

use super::{
    binary_kind, blocks, cascade, charset, dom, entity, jsonld, meta, model, parse, score,
    BlockSample, Cleaner, Error, Extraction,
};

/// A page decoded and parsed, with what the cascade needs besides the tree.
pub(crate) struct Prepared {
    pub dom: dom::Dom,
    pub forced_drop: Vec<dom::NodeId>,
    pub ld: jsonld::LinkedData,
    pub page: meta::PageMeta,
    pub title: Option<String>,
}

/// A page parsed and run through the hand rules' cascade.
pub(crate) struct Handled {
    pub dom: dom::Dom,
    pub forced_drop: Vec<dom::NodeId>,
    pub ld: jsonld::LinkedData,
    pub page: meta::PageMeta,
    pub title: Option<String>,
    pub text: String,
    pub extraction: Extraction,
}

impl Cleaner {
    /// Every block of a page with the features the block model reads, as
    /// the hand rules leave them (the page is cleaned without a model). For
    /// training a [`BlockModel`] (`examples/train_blocks`); empty when the
    /// model would not decide this page (its text came from `<noscript>`,
    /// JSON-LD or the meta description, or an outlet body selector is set).
    ///
    /// Errors as [`Cleaner::clean`] does before it reads any text.
    pub fn block_samples(
        &self,
        bytes: &[u8],
        url: Option<&str>,
    ) -> Result<Vec<BlockSample>, Error> {
        let handled = self.hand(bytes, url, None)?;
        if self.overrides.body.is_some() || !model::applies(&handled.dom, handled.extraction) {
            return Ok(Vec::new());
        }
        let hand = model::Hand {
            text: &handled.text,
            step: handled.extraction,
            title: handled.title.as_deref(),
            url,
        };
        Ok(model::samples(&handled.dom, &handled.forced_drop, &hand))
    }

    /// Decodes and parses a page, applies the outlet's drop selectors and
    /// reads its JSON-LD, meta tags and title: what every pass over a page
    /// starts with ([`Cleaner::hand`], [`Cleaner::explain`]).
    pub(crate) fn prepare(&self, bytes: &[u8], content_type: Option<&str>) -> Prepared {
        let (html, _, _) = charset::decode(bytes, content_type);
        let dom = parse::parse(&html);
        let mut forced_drop = Vec::new();
        for sel in &self.overrides.drop {
            forced_drop.extend(sel.select(&dom));
        }
        let ld = jsonld::read(&dom.json_ld);
        let page = meta::read(&dom);
        let title = meta::title(&dom, &page, &ld);
        Prepared {
            dom,
            forced_drop,
            ld,
            page,
            title,
        }
    }

    /// Parses a page and runs the hand rules: the cascade, then JSON-LD when
    /// the page's markup holds much less.
    pub(crate) fn hand(
        &self,
        bytes: &[u8],
        url: Option<&str>,
        content_type: Option<&str>,
    ) -> Result<Handled, Error> {
        if bytes.len() > self.max_bytes {
            return Err(Error::TooLarge {
                size: bytes.len(),
                limit: self.max_bytes,
            });
        }
        if let Some(kind) = binary_kind(bytes) {
            return Err(Error::NotHtml(kind));
        }
        let Prepared {
            dom,
            forced_drop,
            ld,
            page,
            title,
        } = self.prepare(bytes, content_type);
        let outcome = cascade::extract(
            &dom,
            &forced_drop,
            self.overrides.body.as_ref(),
            title.as_deref(),
            url,
        );
        let mut text = outcome.text;
        let mut extraction = outcome.extraction;
        if let Some(body) = &ld.body {
            if prefers_linked_data(&text, body) {
                text = paragraphs_of(body);
                extraction = Extraction::LinkedData;
            }
        }
        Ok(Handled {
            dom,
            forced_drop,
            ld,
            page,
            title,
            text,
            extraction,
        })
    }
}

/// Returns true if and only if the JSON-LD body is a better answer than
/// what the DOM gave: the DOM found little, and JSON-LD has much more.
fn prefers_linked_data(dom_text: &str, ld_body: &str) -> bool {
    let dom_words = dom_text.split_whitespace().count();
    let ld_words = ld_body.split_whitespace().count();
    ld_words >= 30 && dom_words * 2 < ld_words
}

/// Splits a JSON-LD `articleBody` into paragraphs joined by `\n\n`.
fn paragraphs_of(body: &str) -> String {
    let decoded = if body.contains('<') {
        let dom = parse::parse(body);
        let analysis = score::analyse(&dom, &[], score::Pruning::Strict);
        let root = vec![0];
        blocks::to_text(
            blocks::collect(&dom, &root, &analysis.removed, &analysis.stats),
            None,
        )
    } else {
        entity::decode(body)
    };
    decoded
        .split('\n')
        .map(meta::collapse)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

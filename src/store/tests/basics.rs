//! Runs, URL state, saving articles into clusters, raw HTML, and members
//! restated against their canonical.

use super::{fetch, save_text, TestStore};
use crate::clean::Article;
use crate::dedup::{sketch, CanonicalPolicy, DocMeta, Relation};
use crate::store::rules::MERGED;
use crate::store::{
    ClusterPlacement, Decision, DecisionKind, FetchRecord, Id, NewArticle, RunCounts, UrlKind,
};

pub(super) fn saves_articles_with_clusters_in_one_go(mut s: impl TestStore) {
    let run = s.begin_run().expect("run");
    let original = Article {
        title: Some("Talks resume".into()),
        text: "MOSCOW, May 3. /TASS/. Talks resumed on Friday after a pause of two years, officials said.".into(),
        agency: Some("TASS".into()),
        ..Article::default()
    };
    let fp = sketch(&original.text).fingerprint;
    let html = b"<html><body><p>Talks resumed</p></body></html>";
    let (a, ca) = s
        .save_article(&NewArticle {
            fetch: fetch(run, "tass", "https://tass.com/politics/1"),
            final_url: "https://tass.com/politics/1",
            html,
            article: &original,
            claimed_canonical: None,
            normalized: "",
            fingerprint: &fp,
            cluster: ClusterPlacement {
                matched: None,
                relation: Relation::Canonical,
                similarity: 1.0,
                meta: DocMeta {
                    agency: true,
                    published: Some(100),
                    words: 15,
                },
            },
            policy: CanonicalPolicy::default(),
            index: None,
        })
        .expect("save original");
    let (b, cb) = s
        .save_article(&NewArticle {
            fetch: fetch(run, "blog", "https://blog.example/talks"),
            final_url: "https://blog.example/talks",
            html,
            article: &original,
            claimed_canonical: None,
            normalized: "",
            fingerprint: &fp,
            cluster: ClusterPlacement {
                matched: Some(a),
                relation: Relation::Exact,
                similarity: 1.0,
                meta: DocMeta {
                    agency: false,
                    published: Some(50),
                    words: 15,
                },
            },
            policy: CanonicalPolicy::default(),
            index: None,
        })
        .expect("save reprint");
    assert_eq!(ca, cb, "the reprint joins the original's cluster");
    let size = s.int("SELECT size FROM clusters WHERE id = 1", &[]);
    let canonical = s.int("SELECT canonical_id FROM clusters WHERE id = 1", &[]);
    let (size, canonical) = (size.expect("cluster row"), canonical.expect("cluster row"));
    assert_eq!((size, canonical), (2, a));
    let relation = s
        .text("SELECT relation FROM members WHERE article_id = $1", &[b])
        .expect("member");
    assert_eq!(relation, "exact");
    assert_eq!(s.raw_html(a).expect("raw").as_deref(), Some(&html[..]));
    let state = s
        .url_state("https://tass.com/politics/1")
        .expect("state")
        .expect("known");
    assert_eq!(
        (state.status, state.etag.as_deref(), state.article),
        (Some(200), Some("\"v1\""), Some(a))
    );
    let indexed = s.reindex_batch(0, 10).expect("indexed");
    assert_eq!(
        indexed
            .iter()
            .map(|i| (i.id, i.agency_own))
            .collect::<Vec<_>>(),
        [(a, true), (b, false)]
    );
    assert_eq!(
        s.article_at("https://tass.com/politics/1").expect("lookup"),
        Some(a)
    );
    assert_eq!(
        s.article_at("https://tass.com/politics/2").expect("lookup"),
        None
    );
    let views = s.clusters_with_reprints(10).expect("views");
    assert_eq!(views.len(), 1);
    assert_eq!(
        (
            views[0].id,
            views[0].canonical.id,
            views[0].canonical.outlet.as_str()
        ),
        (1, a, "tass")
    );
    assert_eq!(
        views[0]
            .members
            .iter()
            .map(|m| (m.0.id, m.1.as_str()))
            .collect::<Vec<_>>(),
        [(b, "exact")]
    );
    assert_eq!(s.prune_raw_html(0).expect("prune"), 2);
    assert_eq!(s.raw_html(a).expect("raw"), None);
    let t = s.totals().expect("totals");
    assert_eq!(
        (t.articles, t.clusters, t.clusters_with_reprints),
        (2, 1, 1)
    );
}

pub(super) fn not_modified_keeps_validators_and_errors_are_logged(mut s: impl TestStore) {
    let run = s.begin_run().expect("run");
    let mut r = fetch(run, "tass", "https://tass.com/rss");
    r.kind = UrlKind::Feed;
    s.record_fetch(&r).expect("first fetch");
    r.status = Some(304);
    r.etag = None;
    s.record_fetch(&r).expect("304");
    let st = s
        .url_state("https://tass.com/rss")
        .expect("state")
        .expect("known");
    assert_eq!((st.status, st.etag.as_deref()), (Some(304), Some("\"v1\"")));
    r.status = None;
    r.error = Some("connection refused");
    r.stage = Some("fetch");
    s.record_fetch(&r).expect("error");
    let st = s
        .url_state("https://tass.com/rss")
        .expect("state")
        .expect("known");
    assert_eq!(
        (st.error.as_deref(), st.etag.as_deref()),
        (Some("connection refused"), Some("\"v1\""))
    );
    let logged = s
        .int(
            "SELECT COUNT(*) FROM fetch_errors WHERE run_id = $1",
            &[run],
        )
        .expect("count");
    assert_eq!(logged, 1);
    s.finish_run(
        run,
        &RunCounts {
            errors: 1,
            ..RunCounts::default()
        },
        "partial",
    )
    .expect("finish");
    let status = s.text("SELECT status FROM runs", &[]).expect("run");
    assert_eq!(status, "partial");
}

const STORY: &str = "The harbour authority will close the old northern pier to ferries from next month after divers found cracks in three of its columns, officials said on Monday.\n\nFerries to the islands will sail from the southern terminal instead, adding about twenty minutes to each crossing, the authority said in a statement.";
const OTHER: &str = "The city orchestra will tour four countries next spring with a programme of new works by local composers, its director told a news conference on Tuesday.\n\nTickets for the opening concerts go on sale at the end of the month, and the orchestra hopes to record the programme during the tour.";

fn save(
    s: &mut dyn TestStore,
    url: &str,
    text: &str,
    matched: Option<Id>,
    agency: bool,
) -> (Id, Id) {
    let run = s.begin_run().expect("run");
    let outlet = if agency { "tass" } else { "blog" };
    let meta = DocMeta {
        agency,
        published: None,
        words: sketch(text).fingerprint.words,
    };
    // A score as stale as the one the trial saw.
    save_text(s, run, (outlet, url), text, matched, 1.0, meta)
}

fn member(s: &dyn TestStore, article: Id) -> (String, f64, Option<Id>) {
    let relation = s
        .text(
            "SELECT relation FROM members WHERE article_id = $1",
            &[article],
        )
        .expect("member");
    let thousandths = s
        .int(
            "SELECT similarity FROM members WHERE article_id = $1",
            &[article],
        )
        .expect("member");
    let matched = s.int(
        "SELECT matched_id FROM members WHERE article_id = $1",
        &[article],
    );
    (relation, thousandths as f64 / 1000.0, matched)
}

pub(super) fn members_are_restated_against_the_canonical_after_each_decision(
    mut s: impl TestStore,
) {
    let cut = STORY.split("\n\n").next().expect("first paragraph");
    let (blog, c1) = save(&mut s, "https://blog.example/1", cut, None, false);
    // The agency's full story arrives and takes the canonical's place:
    // the blog's cut is restated as an excerpt of it.
    let (tass, c) = save(&mut s, "https://tass.example/1", STORY, Some(blog), true);
    assert_eq!(c, c1);
    let (rel, sim, matched) = member(&s, blog);
    assert_eq!((rel.as_str(), matched), ("excerpt", Some(tass)));
    assert!(sim > 0.7 && sim <= 1.0, "{sim}");

    // A reviewer merges an unrelated story in: it is not called "near 1.00".
    let (other, c2) = save(&mut s, "https://blog.example/2", OTHER, None, false);
    let decision = |kind, other_cluster| Decision {
        kind,
        cluster: c1,
        article: None,
        other: other_cluster,
        note: None,
    };
    s.review(
        &decision(DecisionKind::Merge, Some(c2)),
        CanonicalPolicy::default(),
    )
    .expect("merge");
    let (rel, sim, matched) = member(&s, other);
    assert_eq!((rel.as_str(), matched), (MERGED, Some(tass)));
    assert!(sim < 0.2, "{sim}");

    // The reviewer makes the cut canonical: the agency's story now states
    // its relation to the cut, and the cut is the canonical.
    s.review(
        &Decision {
            kind: DecisionKind::Canonical,
            cluster: c1,
            article: Some(blog),
            other: None,
            note: None,
        },
        CanonicalPolicy::default(),
    )
    .expect("canonical");
    assert_eq!(member(&s, blog), ("canonical".to_string(), 1.0, None));
    let (rel, _, matched) = member(&s, tass);
    assert_eq!((rel.as_str(), matched), ("excerpt", Some(blog)));
}

/// `sources list`'s figures: articles, last good fetch, last failure.
pub(super) fn outlet_states_count_articles_and_keep_the_last_failure(mut s: impl TestStore) {
    let run = s.begin_run().expect("run");
    save_text(
        &mut s,
        run,
        ("tass", "https://tass.com/world/1"),
        "Talks resumed in Geneva on Friday after a pause of two years.",
        None,
        1.0,
        DocMeta::default(),
    );
    for error in ["HTTP 500", "HTTP 404"] {
        s.record_fetch(&FetchRecord {
            kind: UrlKind::Feed,
            status: None,
            etag: None,
            error: Some(error),
            stage: Some("fetch"),
            ..fetch(run, "blog", "https://blog.example/feed")
        })
        .expect("failure recorded");
    }
    let states = s.outlet_states().expect("states");
    let names: Vec<&str> = states.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["blog", "tass"]);
    let (blog, tass) = (&states[0], &states[1]);
    assert_eq!((tass.articles, tass.last_error.as_deref()), (1, None));
    assert!(tass.last_ok.is_some());
    assert_eq!((blog.articles, blog.last_ok.as_deref()), (0, None));
    assert_eq!(blog.last_error.as_deref(), Some("HTTP 404"));
    assert!(blog.last_error_at.is_some());
}

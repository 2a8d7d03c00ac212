//! `wirecopy report` on a database of 100,000 articles: seconds to build
//! and render, for the whole database and for one run's scope; then the
//! pages of `wirecopy serve` on the same database (the cluster list, a
//! filtered and a far page of it, one cluster), answered in-process by the
//! review app's router, best of three.
//!
//! The database (synthetic articles of about 3 KB in clusters of one to
//! four, ten outlets, two of them agencies) is written once under the
//! target directory and reused.
//!
//! ```text
//! cargo bench --bench report
//! WIRECOPY_BENCH_ARTICLES=20000 cargo bench --bench report
//! ```

// Shared with the benches that serve pages, which use all of it.
#[allow(dead_code)]
mod common;

use std::path::PathBuf;
use std::time::Instant;

use wirecopy::clean::Article;
use wirecopy::dedup::{CanonicalPolicy, DocMeta, Fingerprint, Relation, FINGERPRINT_VERSION};
use wirecopy::report::{html, json, markdown, Report};
use wirecopy::store::{
    ClusterFilter, ClusterPlacement, FetchRecord, NewArticle, OutletRow, SqliteStore, Store,
    UrlKind,
};

fn build(path: &std::path::Path, n: usize) -> SqliteStore {
    let marker = path.with_extension(format!("ready-{n}"));
    if marker.exists() {
        return SqliteStore::open(path).expect("open bench database");
    }
    for ext in ["db", "db-wal", "db-shm"] {
        let _ = std::fs::remove_file(path.with_extension(ext));
    }
    let mut store = SqliteStore::open(path).expect("create bench database");
    let outlets: Vec<OutletRow> = (0..10)
        .map(|i| OutletRow {
            name: format!("outlet{i}"),
            homepage: format!("https://outlet{i}.example/"),
            agency: i < 2,
        })
        .collect();
    store.sync_outlets(&outlets).expect("outlets");
    let first_run = store.begin_run().expect("run");
    let last_run = store.begin_run().expect("run");
    let start = Instant::now();
    let mut story_head = 0i64;
    for i in 0..n {
        let position = i % 4; // 0: an agency original, 1..3: reprints of it (some cut short)
        let story = (i / 4) as u64;
        let words = if position == 3 { 150 } else { 450 };
        let mut body = common::prose(story, words);
        if position == 2 {
            body.push_str(" Sputnik reported.");
        }
        let outlet = if position == 0 {
            (story % 2) as usize
        } else {
            2 + (i % 8)
        };
        let url = format!("https://outlet{outlet}.example/news/{i}");
        let article = Article {
            title: Some(format!("Story {story}: {}", &body[..40.min(body.len())])),
            published: Some("2024-03-05T10:00:00+00:00".into()),
            text: body,
            ..Article::default()
        };
        let fp = Fingerprint {
            version: FINGERPRINT_VERSION,
            sha256: [(i % 251) as u8; 32],
            simhash: i as u64,
            words: words as u32,
        };
        let matched = (position > 0 && story % 5 != 4).then_some(story_head);
        let (id, _) = store
            .save_article(&NewArticle {
                fetch: FetchRecord {
                    run: if i + 1000 >= n { last_run } else { first_run },
                    outlet: &outlets[outlet].name,
                    url: &url,
                    kind: UrlKind::Article,
                    status: Some(200),
                    etag: None,
                    last_modified: None,
                    error: None,
                    stage: None,
                },
                final_url: &url,
                html: article.text.as_bytes(),
                article: &article,
                claimed_canonical: None,
                normalized: "",
                fingerprint: &fp,
                cluster: ClusterPlacement {
                    matched,
                    relation: if matched.is_some() {
                        Relation::Near
                    } else {
                        Relation::Canonical
                    },
                    similarity: 0.5 + (i % 50) as f64 / 100.0,
                    meta: DocMeta {
                        agency: position == 0,
                        published: Some(1_709_632_800 + i as i64),
                        words: words as u32,
                    },
                },
                policy: CanonicalPolicy::default(),
                index: None,
            })
            .expect("save");
        if position == 0 {
            story_head = id;
        }
    }
    println!(
        "report bench: wrote {n} articles in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    std::fs::write(&marker, "").expect("marker");
    store
}

fn main() {
    let n: usize = std::env::var("WIRECOPY_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("report-bench-{n}.db"));
    let store = build(&path, n);
    let totals = store.totals().expect("totals");
    serve_pages(&path, n);
    for (what, filter) in [
        (
            "whole database, clusters of 2+",
            ClusterFilter {
                min_size: 2,
                ..ClusterFilter::default()
            },
        ),
        (
            "one run of 1,000 articles",
            ClusterFilter {
                min_size: 2,
                run: Some(2),
                ..ClusterFilter::default()
            },
        ),
    ] {
        let start = Instant::now();
        let report = Report::build(&store, &filter).expect("report");
        let built = start.elapsed().as_secs_f64();
        let mut sizes = Vec::new();
        for (format, write) in [
            (
                "html",
                html::write as fn(&Report, &mut dyn std::io::Write) -> std::io::Result<()>,
            ),
            ("markdown", markdown::write),
            ("json", json::write),
        ] {
            let t = Instant::now();
            let mut out = Vec::new();
            write(&report, &mut out).expect("render");
            sizes.push(format!(
                "{format} {:.2} s / {:.1} MB",
                t.elapsed().as_secs_f64(),
                out.len() as f64 / 1e6
            ));
        }
        println!(
            "report/{n} articles ({} clusters): {what}: {} clusters, build {built:.2} s; {}",
            totals.clusters,
            report.clusters.len(),
            sizes.join("; ")
        );
    }
}

/// Times the review app's pages over the bench database.
fn serve_pages(path: &std::path::Path, n: usize) {
    use tower::ServiceExt;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let addr: std::net::SocketAddr = "127.0.0.1:8077".parse().expect("address");
    let store = SqliteStore::open(path).expect("open bench database");
    let app = wirecopy::web::ReviewApp::new(Box::new(store), addr, None).expect("app");
    let router = app.router();
    for (what, uri) in [
        ("cluster list, page 1", "/"),
        ("cluster list, one outlet", "/?outlet=outlet3"),
        ("cluster list, page 200", "/?page=200"),
        ("one cluster (4 articles, 3 diffs)", "/cluster/1"),
    ] {
        let mut best = f64::INFINITY;
        let mut bytes = 0;
        for _ in 0..3 {
            let request = axum::http::Request::get(uri)
                .header("Host", "127.0.0.1:8077")
                .body(axum::body::Body::empty())
                .expect("request");
            let start = Instant::now();
            let body = runtime.block_on(async {
                let resp = router.clone().oneshot(request).await.expect("answer");
                assert_eq!(resp.status(), 200, "{uri}");
                axum::body::to_bytes(resp.into_body(), usize::MAX)
                    .await
                    .expect("body")
            });
            best = best.min(start.elapsed().as_secs_f64());
            bytes = body.len();
        }
        println!(
            "serve/{n} articles: {what}: {:.0} ms, {:.0} KB",
            best * 1000.0,
            bytes as f64 / 1e3
        );
    }
}

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use wirecopy::clean::Article;
use wirecopy::dedup::{sketch, CanonicalPolicy, DocMeta, Relation};
use wirecopy::store::{
    ClusterPlacement, FetchRecord, NewArticle, OutletRow, SqliteStore, Store, UrlKind,
};

use crate::util::Dir;

/// A claimed canonical as a hostile page could write it (the pipeline
/// normalises real ones, but the report must not trust the column).
const HOSTILE_CLAIM: &str = "javascript:alert(2)\"><script>document.title='claim'</script>";
const HOSTILE_TITLE: &str = "Talks resume <script>document.title='pwned'</script>";
const HOSTILE_TEXT: &str =
    "GENEVA, May 3. /TASS/. Talks resumed on Friday after a pause of two years. \
    <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> Both delegations \
    said the next round would follow in June, officials said.";

/// A database with an agency story, a reprint of it carrying hostile
/// markup, and a single unrelated article. Returns the path and the ids.
fn hostile_db(dir: &Dir) -> (PathBuf, i64, i64) {
    let db = dir.path.join("wirecopy.db");
    let mut store = SqliteStore::open(&db).expect("database");
    store
        .sync_outlets(&[
            OutletRow {
                name: "tass".into(),
                homepage: "https://tass.example/".into(),
                agency: true,
            },
            OutletRow {
                name: "blog<b>".into(),
                homepage: "https://blog.example/".into(),
                agency: false,
            },
        ])
        .expect("outlets");
    let run = store.begin_run().expect("run");
    let mut save = |outlet: &str,
                    url: &str,
                    title: &str,
                    text: &str,
                    matched: Option<i64>,
                    agency: bool,
                    published: i64| {
        let article = Article {
            title: Some(title.into()),
            text: text.into(),
            published: Some("2024-05-03T10:00:00+00:00".into()),
            ..Article::default()
        };
        let s = sketch(text);
        store
            .save_article(&NewArticle {
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
                html: b"<p>page</p>",
                article: &article,
                claimed_canonical: (outlet != "tass").then_some(HOSTILE_CLAIM),
                normalized: "",
                fingerprint: &s.fingerprint,
                cluster: ClusterPlacement {
                    matched,
                    relation: if matched.is_some() {
                        Relation::Near
                    } else {
                        Relation::Canonical
                    },
                    similarity: 0.55,
                    meta: DocMeta {
                        agency,
                        published: Some(published),
                        words: s.fingerprint.words,
                    },
                },
                policy: CanonicalPolicy::default(),
                index: None,
            })
            .expect("save")
            .0
    };
    let original = save(
        "tass",
        "https://tass.example/1",
        "Talks resume in Geneva",
        "GENEVA, May 3. /TASS/. Talks resumed on Friday after a pause of two years. Both delegations said the next round would follow in June, officials said. The agenda was not disclosed.",
        None,
        true,
        1_714_730_400,
    );
    let reprint = save(
        "blog<b>",
        "javascript:alert(1)",
        HOSTILE_TITLE,
        HOSTILE_TEXT,
        Some(original),
        false,
        1_714_737_600,
    );
    save(
        "tass",
        "https://tass.example/2",
        "Wheat duty falls",
        "The wheat export duty fell for a second week, the ministry said on Friday.",
        None,
        true,
        1_714_730_400,
    );
    (db, original, reprint)
}

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// Loads the file in headless Chromium; returns the DOM after scripts would have run.
fn render(chromium: &Path, page: &Path, screenshot: &Path) -> String {
    let profile = page.with_extension("profile");
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    let url = format!("file://{}", page.display());
    let dom = Command::new(chromium)
        .args(common)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--virtual-time-budget=2000", "--dump-dom", &url])
        .output()
        .expect("run chromium");
    assert!(
        dom.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let shot = Command::new(chromium)
        .args(common)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args([
            "--window-size=1200,1600",
            &format!("--screenshot={}", screenshot.display()),
            &url,
        ])
        .output()
        .expect("run chromium");
    assert!(shot.status.success(), "chromium screenshot failed");
    String::from_utf8_lossy(&dom.stdout).into_owned()
}

#[test]
fn html_report_escapes_hostile_pages_and_runs_nothing() {
    let dir = Dir::new("report-html");
    let (db, original, reprint) = hostile_db(&dir);
    dir.command()
        .args([
            "report",
            "--db",
            db.to_str().expect("path"),
            "--format",
            "html",
            "-o",
            "report.html",
        ])
        .stdout();
    let page = dir.path.join("report.html");
    let html = std::fs::read_to_string(&page).expect("report written");
    assert!(
        !html.contains("<script"),
        "a raw <script> reached the report"
    );
    assert!(
        !html.contains("<img src=x"),
        "a raw <img> reached the report"
    );
    assert!(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"));
    assert!(!html.contains("href=\"javascript:"), "a javascript: link");
    assert!(
        html.contains("claims canonical: javascript:alert(2)&quot;&gt;&lt;script&gt;"),
        "the claim is shown, escaped and not a link"
    );
    assert!(html.contains("Content-Security-Policy"));
    assert!(
        !html.contains("http://") || !html.contains("src=\"http"),
        "no external assets"
    );
    assert!(
        html.contains(&format!("(article {original})"))
            && html.contains(&format!("(article {reprint})"))
    );
    assert!(
        html.contains("⚠"),
        "a similarity near the threshold is flagged"
    );
    assert!(
        html.contains("<details class=\"cluster doubt\" open>"),
        "doubtful clusters open first"
    );

    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium (.ci/run installs it)"
        );
        eprintln!("chromium not installed: skipping the browser check");
        return;
    };
    let screenshot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png");
    let dom = render(&chromium, &page, &screenshot);
    assert!(
        dom.contains("<title>wirecopy report</title>"),
        "title changed: a script ran\n{dom}"
    );
    assert!(!dom.contains("data-pwned=\"1\""), "an onerror handler ran");
    assert!(
        !dom.contains("<script"),
        "a script element exists in the DOM"
    );
    assert!(
        dom.contains("Talks resume &lt;script&gt;"),
        "the hostile title shows as text"
    );
    let png = std::fs::read(&screenshot).expect("screenshot written");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "screenshot is a real picture"
    );
    println!("report screenshot: {}", screenshot.display());
}

#[test]
fn markdown_and_json_reports() {
    let dir = Dir::new("report-md-json");
    let (db, original, reprint) = hostile_db(&dir);
    let db = db.to_str().expect("path");
    let md = dir
        .command()
        .args(["report", "--db", db, "--format", "markdown"])
        .stdout();
    assert!(md.starts_with("# wirecopy report"), "{md}");
    assert!(
        md.contains("2 clusters: 1 with reprints, 1 single article; 1 reprint in all."),
        "{md}"
    );
    assert!(md.contains("\\<script\\>"), "{md}");
    assert!(!md.contains("](javascript:"), "{md}");
    assert!(
        md.contains("claims canonical: javascript:alert(2)\"\\>\\<script\\>"),
        "{md}"
    );
    assert!(
        md.contains("| blog\\<b\\> | tass | 1 | 2 h 0 min |"),
        "{md}"
    );

    let json = dir
        .command()
        .args(["report", "--db", db, "--format", "json", "--min-size", "1"])
        .stdout();
    let v: Value = serde_json::from_str(&json).expect("json report parses");
    assert_eq!(v["version"], 1);
    assert_eq!(v["figures"]["clusters"], 2);
    assert_eq!(v["figures"]["singletons"], 1);
    assert_eq!(v["clusters"].as_array().expect("clusters").len(), 2);
    let c = &v["clusters"][0];
    assert_eq!(c["canonical"]["id"], original);
    let m = &c["members"][0];
    assert_eq!(m["article"]["id"], reprint);
    assert_eq!(m["relation"], "near");
    assert_eq!(m["article"]["claims_canonical"], HOSTILE_CLAIM);
    assert_eq!(c["canonical"]["claims_canonical"], Value::Null);
    assert_eq!(m["doubtful"], true);
    assert!(m["diff"]["inserted"].as_u64().expect("inserted") > 0);
    assert!(
        m["diff"]["cut_tail"].as_u64().expect("cut tail") >= 5,
        "{m}"
    );
    assert!(m["diff"]["spans"]
        .as_array()
        .expect("spans")
        .iter()
        .any(|s| s["op"] == "insert"));

    // Each cluster says how to act on it, against the database it came from.
    let cluster = c["id"].as_i64().expect("cluster id");
    let split = format!("wirecopy review split --db {db} {cluster} {reprint}");
    assert!(md.contains(&split), "{md}");
    assert!(
        md.contains(&format!("wirecopy review confirm --db {db} {cluster}")),
        "{md}"
    );
    let html = dir.command().args(["report", "--db", db]).stdout();
    assert!(html.contains(&split), "{html}");
    assert!(
        html.contains("<caption>Reprints by outlet</caption>"),
        "{html}"
    );
}

#[test]
fn review_decisions_show_in_reports_and_clusters() {
    let dir = Dir::new("report-review");
    let (db, original, reprint) = hostile_db(&dir);
    let db = db.to_str().expect("path");
    let list = dir
        .command()
        .args(["clusters", "list", "--db", db])
        .stdout();
    let cluster: i64 = list
        .split_whitespace()
        .next()
        .and_then(|t| t.parse().ok())
        .expect("a cluster id");
    assert!(list.contains("[1 doubtful]"), "{list}");

    let out = dir
        .command()
        .args([
            "review",
            "canonical",
            &cluster.to_string(),
            &reprint.to_string(),
            "--note",
            "the blog ran it first",
            "--db",
            db,
        ])
        .stdout();
    assert!(
        out.contains(&format!(
            "article {reprint} is now the canonical of cluster {cluster}"
        )),
        "{out}"
    );
    let show = dir
        .command()
        .args(["clusters", "show", &cluster.to_string(), "--db", db])
        .stdout();
    assert!(
        show.contains(&format!("canonical (reviewer's choice): article {reprint}")),
        "{show}"
    );
    assert!(show.contains("canonical: the blog ran it first"), "{show}");

    let out = dir
        .command()
        .args([
            "review",
            "split",
            &cluster.to_string(),
            &original.to_string(),
            "--db",
            db,
        ])
        .stdout();
    assert!(
        out.contains(&format!("article {original} left cluster {cluster}")),
        "{out}"
    );
    let md = dir
        .command()
        .args([
            "report",
            "--db",
            db,
            "--format",
            "markdown",
            "--min-size",
            "1",
        ])
        .stdout();
    assert!(
        md.contains("3 clusters: 0 with reprints, 3 single articles"),
        "{md}"
    );

    let bad = dir
        .command()
        .args(["review", "merge", "999", &cluster.to_string(), "--db", db])
        .output();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("there is no cluster 999"));
    let missing = dir.command().args(["report", "--db", "nope.db"]).output();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("run `wirecopy run` first"));
    assert!(!dir.path.join("nope.db").exists());
}

#[test]
fn filters_that_select_nothing_say_why_and_exit_1() {
    let dir = Dir::new("report-empty-filters");
    let (db, _, _) = hostile_db(&dir);
    let db = db.to_str().expect("path");
    for args in [
        vec!["report", "--db", db, "--outlet", "nosuch"],
        vec!["clusters", "list", "--db", db, "--outlet", "nosuch"],
    ] {
        let stderr = fails_with_1(dir.command().args(&args));
        assert!(
            stderr.contains("no outlet \"nosuch\" in this database (it has blog<b>, tass)"),
            "{stderr}"
        );
    }
    let stderr = fails_with_1(dir.command().args(["report", "--db", db, "--run", "99"]));
    assert!(stderr.contains("no run 99 in this database"), "{stderr}");
    // A known outlet still reports.
    dir.command()
        .args([
            "report", "--db", db, "--outlet", "tass", "--format", "markdown",
        ])
        .stdout();
}

/// Runs a command that must exit 1 with nothing on stdout; returns stderr.
fn fails_with_1(cmd: &mut crate::util::TestCommand) -> String {
    let out = cmd.output();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn reports_read_the_database_the_config_names() {
    let dir = Dir::new("report-config-db");
    let (db, _, _) = hostile_db(&dir);
    std::fs::create_dir_all(dir.path.join("store")).expect("dir");
    std::fs::rename(&db, dir.path.join("store/w.db")).expect("move the database");
    dir.create(
        "sources.toml",
        "[storage]\npath = \"store/w.db\"\n\n[[outlet]]\nname = \"tass\"\nhomepage = \"https://tass.example/\"\nfeeds = [\"https://tass.example/rss\"]\n",
    );
    // No --db: the cron job's database, as `wirecopy run` would use it.
    let md = dir
        .command()
        .args(["report", "--format", "markdown"])
        .stdout();
    assert!(md.contains("2 clusters: 1 with reprints"), "{md}");
    let list = dir.command().args(["clusters", "list"]).stdout();
    assert!(list.contains("tass"), "{list}");
    // A config that cannot be read is an error, not another database.
    dir.create("broken.toml", "[storage\n");
    let out = dir
        .command()
        .args(["report", "--config", "broken.toml"])
        .output();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("broken.toml"),
        "{out:?}"
    );
}

#[test]
fn runs_and_errors_show_what_the_cron_job_did() {
    let dir = Dir::new("runs-errors");
    let (db, _, _) = hostile_db(&dir);
    {
        let mut store = SqliteStore::open(&db).expect("database");
        let run = store.begin_run().expect("run");
        for n in 0..3 {
            let url = format!("https://tass.example/dead/{n}");
            store
                .record_fetch(&FetchRecord {
                    run,
                    outlet: "tass",
                    url: &url,
                    kind: UrlKind::Article,
                    status: Some(503),
                    etag: None,
                    last_modified: None,
                    error: Some("HTTP 503 after 3 retries"),
                    stage: Some("fetch"),
                })
                .expect("record a failure");
        }
    }
    let db = db.to_str().expect("path");
    let runs = dir.command().args(["runs", "list", "--db", db]).stdout();
    let lines: Vec<&str> = runs.lines().collect();
    assert!(lines[0].contains("status"), "{runs}");
    // The newest run first: the one with the failures is still running.
    assert!(lines[1].contains("running"), "{runs}");
    assert_eq!(lines.len(), 3, "{runs}");
    let errors = dir.command().args(["errors", "--db", db]).stdout();
    assert!(errors.contains("tass · fetch · 3 time(s)"), "{errors}");
    assert!(
        errors.contains("https://tass.example/dead/2: HTTP 503 after 3 retries"),
        "{errors}"
    );
    let run = lines[1].split_whitespace().next().expect("run id");
    let one = dir
        .command()
        .args(["errors", "--db", db, "--run", run])
        .stdout();
    assert_eq!(one, errors);
    let none = dir
        .command()
        .args(["errors", "--db", db, "--run", "1"])
        .stdout();
    assert!(none.contains("no failures recorded"), "{none}");
    let out = dir
        .command()
        .args(["errors", "--db", db, "--run", "99"])
        .output();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[test]
fn export_lists_every_article_once_as_canonical_or_reprint() {
    let dir = Dir::new("export");
    let (db, original, reprint) = hostile_db(&dir);
    let db = db.to_str().expect("path");
    let jsonl = dir.command().args(["export", "--db", db]).stdout();
    let stories: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    // The story with a reprint, and the single article: every article once.
    assert_eq!(stories.len(), 2, "{jsonl}");
    let mut urls: Vec<String> = Vec::new();
    for s in &stories {
        urls.push(s["canonical"]["url"].as_str().expect("url").into());
        for r in s["reprints"].as_array().expect("reprints") {
            urls.push(r["url"].as_str().expect("url").into());
        }
    }
    let total = urls.len();
    urls.sort();
    urls.dedup();
    assert_eq!((urls.len(), total), (3, 3), "{urls:?}");
    let story = stories
        .iter()
        .find(|s| !s["reprints"].as_array().expect("reprints").is_empty())
        .expect("the story with a reprint");
    assert_eq!(story["canonical"]["outlet"], "tass");
    assert!(story["canonical"]["text"]
        .as_str()
        .expect("text")
        .contains("Talks resumed"));
    assert_eq!(story["reprints"][0]["relation"], "near");
    assert_eq!(story["cluster"], stories[0]["cluster"]);
    let _ = (original, reprint);

    let csv = dir
        .command()
        .args(["export", "--db", db, "--format", "csv"])
        .stdout();
    let header = csv.lines().next().expect("header");
    assert!(
        header.starts_with("cluster,role,url,outlet,title"),
        "{header}"
    );
    let role = |r: &str| {
        csv.lines()
            .filter(|l| l.split(',').nth(1) == Some(r))
            .count()
    };
    assert_eq!((role("canonical"), role("reprint")), (2, 1), "{csv}");
    // Quotes inside a cell are doubled, and the cell quoted.
    assert!(
        csv.contains("<img src=x onerror=\"\"document.body"),
        "{csv}"
    );

    // The outlet filter keeps whole stories; an unknown outlet is named.
    let only = dir
        .command()
        .args(["export", "--db", db, "--outlet", "blog<b>"])
        .stdout();
    assert_eq!(only.lines().count(), 1, "{only}");
    let out = dir
        .command()
        .args(["export", "--db", db, "--outlet", "nosuch"])
        .output();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[test]
fn clusters_list_and_show_speak_json_for_scripts() {
    let dir = Dir::new("clusters-json");
    let (db, original, reprint) = hostile_db(&dir);
    let db = db.to_str().expect("path");
    let list = dir
        .command()
        .args(["clusters", "list", "--db", db, "--format", "json"])
        .stdout();
    let list: Value = serde_json::from_str(&list).expect("a JSON array");
    let first = &list[0];
    assert_eq!(first["articles"], 2, "{list}");
    assert_eq!(first["outlet"], "tass");
    let id = first["id"].as_i64().expect("id").to_string();
    let show = dir
        .command()
        .args(["clusters", "show", &id, "--db", db, "--format", "json"])
        .stdout();
    let show: Value = serde_json::from_str(&show).expect("a JSON object");
    assert_eq!(show["canonical"]["id"], original);
    assert_eq!(show["members"][0]["article"]["id"], reprint);
}

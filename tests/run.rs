use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use wirecopy::sites::{Fault, SiteServer};
use wirecopy::store::{Lock, SqliteStore};

use crate::demo_sites::DemoSites;
use crate::util::{fixtures, Dir};

/// The fixture sites served on loopback for one test ([`DemoSites`]), with
/// the test's database and the sites' expected outcome.
struct Sites {
    demo: DemoSites,
    db: PathBuf,
    expected: Value,
}

impl std::ops::Deref for Sites {
    type Target = DemoSites;
    fn deref(&self) -> &DemoSites {
        &self.demo
    }
}

impl Sites {
    fn start(name: &str) -> Sites {
        let demo = DemoSites::start(name);
        let root = fixtures().join("sites");
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(root.join("expected.json")).expect("expected.json"),
        )
        .expect("expected.json parses");
        let db = demo.dir.path.join("wirecopy.db");
        Sites { demo, db, expected }
    }

    /// Runs `wirecopy run` with this config and database plus `extra` flags.
    fn run(&self, extra: &[&str], code: i32) -> String {
        self.demo
            .run(self.db.to_str().expect("utf-8 path"), extra, code)
    }

    fn url(&self, site: &str, path: &str) -> String {
        self.server.url(site, path).expect("known site")
    }

    fn store(&self) -> SqliteStore {
        SqliteStore::open(&self.db).expect("open database")
    }
}

fn query_i64(store: &SqliteStore, sql: &str) -> i64 {
    store
        .connection()
        .query_row(sql, [], |r| r.get(0))
        .expect(sql)
}

/// Cluster id of the article fetched from `url`.
fn cluster_of(store: &SqliteStore, url: &str) -> Option<i64> {
    store
        .connection()
        .query_row(
            "SELECT m.cluster_id FROM members m JOIN articles a ON a.id = m.article_id WHERE a.url = ?1",
            [url],
            |r| r.get(0),
        )
        .ok()
}

fn summary_numbers(line: &str) -> HashMap<String, u64> {
    // "6 outlets, 52 pages fetched, 0 not modified, 37 new articles, …";
    // a part whose count is 1 is singular ("1 new article"): keyed as plural.
    line.split(", ")
        .filter_map(|part| {
            let (n, what) = part.split_once(' ')?;
            let n: u64 = n.parse().ok()?;
            let key = match (n, what.split_once(' ')) {
                (1, Some(("new", noun))) => format!("new {noun}s"),
                (1, Some((noun, rest))) if rest != "modified" => format!("{noun}s {rest}"),
                (1, None) => format!("{what}s"),
                _ => what.to_string(),
            };
            Some((key, n))
        })
        .collect()
}

#[test]
fn the_summary_line_is_singular_for_one() {
    let n = summary_numbers("1 outlet, 1 page fetched, 1 not modified, 1 new article, 1 new cluster, 0 reprints joined, 1 error");
    for key in [
        "outlets",
        "pages fetched",
        "not modified",
        "new articles",
        "new clusters",
        "reprints joined",
        "errors",
    ] {
        assert!(n.contains_key(key), "{key} in {n:?}");
    }
}

#[test]
fn run_discovers_cleans_clusters_and_stores_then_revalidates() {
    let sites = Sites::start("run-e2e");
    let started = Instant::now();
    let out = sites.run(&[], 0);
    let first_secs = started.elapsed().as_secs_f64();
    assert_eq!(out.lines().count(), 1, "one summary line on stdout: {out}");
    let n = summary_numbers(out.trim());
    let articles = sites.expected["articles"].as_array().expect("articles");
    assert_eq!(
        n.get("new articles").copied(),
        Some(articles.len() as u64),
        "{out}"
    );
    assert_eq!(n.get("errors").copied(), Some(0), "{out}");

    let store = sites.store();
    assert_eq!(
        query_i64(&store, "SELECT COUNT(*) FROM articles"),
        articles.len() as i64
    );
    assert_eq!(
        query_i64(&store, "SELECT COUNT(*) FROM runs WHERE status = 'ok'"),
        1
    );

    // Every labelled story is one cluster; different labels never share one.
    let mut by_label: HashMap<&str, Vec<i64>> = HashMap::new();
    let mut label_of_cluster: HashMap<i64, &str> = HashMap::new();
    for a in articles {
        let url = sites.url(
            a["site"].as_str().expect("site"),
            a["path"].as_str().expect("path"),
        );
        let cluster = cluster_of(&store, &url).unwrap_or_else(|| panic!("{url} not stored"));
        let label = a["label"].as_str().expect("label");
        by_label.entry(label).or_default().push(cluster);
        if let Some(other) = label_of_cluster.insert(cluster, label) {
            assert_eq!(other, label, "cluster {cluster} merges {other} and {label}");
        }
    }
    for (label, clusters) in &by_label {
        assert!(
            clusters.windows(2).all(|w| w[0] == w[1]),
            "{label} split over {clusters:?}"
        );
    }

    // The agency's own copy is the canonical of each reprinted story.
    for a in articles.iter().filter(|a| a["role"] == "reprint") {
        let url = sites.url(
            a["site"].as_str().expect("site"),
            a["path"].as_str().expect("path"),
        );
        let canonical_outlet: String = store
            .connection()
            .query_row(
                "SELECT o.name FROM clusters c JOIN articles a ON a.id = c.canonical_id
                 JOIN outlets o ON o.id = a.outlet_id
                 WHERE c.id = (SELECT m.cluster_id FROM members m JOIN articles x ON x.id = m.article_id WHERE x.url = ?1)",
                [&url],
                |r| r.get(0),
            )
            .expect("canonical");
        assert!(
            ["tass", "sputnik", "ria"].contains(&canonical_outlet.as_str()),
            "{url}: canonical from {canonical_outlet}"
        );
    }

    // windows-1251 pages come out as Cyrillic, however they declare it.
    for w in sites.expected["windows_1251"]
        .as_array()
        .expect("windows_1251")
    {
        let url = sites.url(
            w["site"].as_str().expect("site"),
            w["path"].as_str().expect("path"),
        );
        let text: String = store
            .connection()
            .query_row("SELECT text FROM articles WHERE url = ?1", [&url], |r| {
                r.get(0)
            })
            .expect("stored");
        let cyrillic = text.chars().filter(|c| ('а'..='я').contains(c)).count();
        assert!(cyrillic > 100, "{url}: {text}");
        assert!(!text.contains('\u{FFFD}'), "{url}: replacement characters");
    }

    // robots.txt: the disallowed page was never requested.
    let log = sites.server.requests();
    for d in sites.expected["disallowed"].as_array().expect("disallowed") {
        let path = d["path"].as_str().expect("path");
        assert!(
            !log.iter().any(|r| r.path == path),
            "{path} was fetched despite robots.txt"
        );
    }

    // Politeness: sputnik asks for 1 s between requests (Crawl-delay), and
    // dailyblog's rate is 5 requests a second.
    for (site, min_gap) in [("sputnik", 0.95), ("dailyblog", 0.19)] {
        let times: Vec<Instant> = log
            .iter()
            .filter(|r| r.site == site)
            .map(|r| r.at)
            .collect();
        assert!(times.len() >= 3, "{site}: {} requests", times.len());
        for w in times.windows(2) {
            let gap = w[1].duration_since(w[0]).as_secs_f64();
            assert!(
                gap >= min_gap,
                "{site}: requests {gap:.3} s apart, want >= {min_gap}"
            );
        }
    }
    assert!(log.iter().all(|r| r
        .user_agent
        .as_deref()
        .is_some_and(|ua| ua.starts_with("wirecopy-demo/"))));

    // Second run: feeds and sitemaps answer 304, nothing new, no article fetched again.
    sites.server.clear_requests();
    let out = sites.run(&[], 0);
    let n = summary_numbers(out.trim());
    assert_eq!(n.get("new articles").copied(), Some(0), "{out}");
    assert!(n.get("not modified").copied().unwrap_or(0) >= 6, "{out}");
    let log = sites.server.requests();
    let article_paths: Vec<&str> = articles.iter().filter_map(|a| a["path"].as_str()).collect();
    for r in &log {
        assert!(
            !article_paths.contains(&r.path.as_str()) || r.status == 304,
            "second run fetched {} {}",
            r.site,
            r.path
        );
    }
    assert!(
        log.iter()
            .any(|r| r.status == 304 && r.if_none_match.is_some()),
        "conditional GET sent"
    );
    assert_eq!(
        query_i64(&sites.store(), "SELECT COUNT(*) FROM articles"),
        articles.len() as i64
    );
    assert!(first_secs < 60.0);
}

#[test]
fn retries_a_500_and_follows_a_redirect() {
    let sites = Sites::start("run-faults");
    let articles = sites.expected["articles"].as_array().expect("articles");
    let tass: Vec<&str> = articles
        .iter()
        .filter(|a| a["site"] == "tass")
        .filter_map(|a| a["path"].as_str())
        .collect();
    sites.server.set_fault(
        "tass",
        tass[0],
        Fault::Status {
            code: 500,
            times: 1,
        },
    );
    sites.server.set_fault(
        "tass",
        "/rss/v2.xml",
        Fault::Status {
            code: 503,
            times: 1,
        },
    );
    let out = sites.run(&["--outlet", "tass"], 0);
    assert!(out.contains("0 errors"), "{out}");
    let log = sites.server.requests();
    let statuses: Vec<u16> = log
        .iter()
        .filter(|r| r.path == tass[0])
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [500, 200]);
    let store = sites.store();
    assert!(
        cluster_of(&store, &sites.url("tass", tass[0])).is_some(),
        "stored after the retry"
    );

    // A moved feed: the redirect is followed.
    let sites = Sites::start("run-redirect");
    sites.server.set_fault(
        "dailyblog",
        "/old-feed.xml",
        Fault::Redirect("{{origin}}/feed.xml".into()),
    );
    let config = std::fs::read_to_string(&sites.config)
        .expect("config")
        .replace("/feed.xml\"]", "/old-feed.xml\"]");
    std::fs::write(&sites.config, config).expect("write config");
    let out = sites.run(&["--outlet", "dailyblog"], 0);
    let n = summary_numbers(out.trim());
    assert!(n.get("new articles").copied().unwrap_or(0) >= 3, "{out}");
    let log = sites.server.requests();
    assert!(log
        .iter()
        .any(|r| r.path == "/old-feed.xml" && r.status == 301));
}

#[test]
fn a_dead_outlet_fails_alone() {
    let sites = Sites::start("run-dead");
    let mut config = std::fs::read_to_string(&sites.config).expect("config");
    config.push_str("\n[[outlet]]\nname = \"gone\"\nhomepage = \"http://127.0.0.1:9/\"\nfeeds = [\"http://127.0.0.1:9/rss\"]\n");
    std::fs::write(&sites.config, config).expect("write config");
    let out = sites.run(&["--outlet", "gone", "--outlet", "newsline"], 1);
    assert!(out.contains("2 outlets (1 failed: gone)"), "{out}");
    let n = summary_numbers(out.trim());
    assert!(n.get("new articles").copied().unwrap_or(0) >= 3, "{out}");
    let store = sites.store();
    let error: String = store
        .connection()
        .query_row(
            "SELECT message FROM fetch_errors WHERE url LIKE 'http://127.0.0.1:9/%'",
            [],
            |r| r.get(0),
        )
        .expect("error recorded");
    assert!(error.contains("connect"), "{error}");
    assert_eq!(
        query_i64(&store, "SELECT COUNT(*) FROM runs WHERE status = 'partial'"),
        1
    );
}

#[test]
fn overlapping_runs_and_bad_configs_exit_2() {
    let sites = Sites::start("run-lock");
    let lock = Lock::acquire(&sites.db).expect("hold the lock");
    let started = Instant::now();
    let out = sites
        .dir
        .command()
        .args([
            "run",
            "--config",
            sites.config.to_str().expect("path"),
            "--db",
            sites.db.to_str().expect("path"),
        ])
        .output();
    assert_eq!(out.status.code(), Some(2));
    assert!(started.elapsed() < Duration::from_secs(5), "exits at once");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("locked by another run")
            && stderr.contains(&std::process::id().to_string()),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    drop(lock);

    let bad = sites.dir.create("bad.toml", "[[outlet]]\nname = \"x\"\nhomepage = \"https://x.example/\"\nfeds = [\"https://x.example/rss\"]\n");
    let out = sites
        .dir
        .command()
        .args(["run", "--config", bad.to_str().expect("path")])
        .output();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.toml:4: outlet \"x\": unknown key \"feds\"; did you mean \"feeds\"?"),
        "{stderr}"
    );
    assert!(
        !sites.dir.path.join("wirecopy.db").exists(),
        "nothing written"
    );
}

#[test]
fn dry_run_writes_nothing_and_sources_check_reports() {
    let sites = Sites::start("run-dry");
    let out = sites.run(&["--dry-run", "--outlet", "tass"], 0);
    assert!(out.starts_with("dry run: 1 outlet, "), "{out}");
    assert!(
        !Path::new(&sites.db).exists(),
        "dry run created the database"
    );

    let out = sites
        .dir
        .command()
        .args([
            "sources",
            "check",
            "--config",
            sites.config.to_str().expect("path"),
            "tass",
            "rtlike",
        ])
        .output();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    let out = String::from_utf8(out.stdout).expect("utf-8");
    assert!(out.contains("== tass (agency) =="), "{out}");
    assert!(out.contains("== rtlike =="), "{out}");
    assert!(
        out.contains("found ") && out.contains("title:") && out.contains("published:"),
        "{out}"
    );
    assert!(
        !Path::new(&sites.db).exists(),
        "sources check created the database"
    );
}

#[test]
fn demo_runs_the_whole_job_offline() {
    let dir = Dir::new("demo");
    let out = dir
        .command()
        .args([
            "demo",
            "--sites",
            fixtures().join("sites").to_str().expect("path"),
            "--out",
            "demo-out",
        ])
        .stdout();
    let first = out.lines().next().unwrap_or("");
    assert!(first.starts_with("6 outlets, "), "{out}");
    assert!(
        first.contains(" 37 new articles, 22 new clusters, 15 reprints joined, 0 errors"),
        "{out}"
    );
    assert!(out.contains("canonical: tass "), "{out}");
    assert!(out.contains("Database: demo-out/wirecopy.db"), "{out}");
    let store = SqliteStore::open(&dir.path.join("demo-out/wirecopy.db")).expect("demo database");
    // Issue 14: the clusters it leaves out are counted, so the numbers agree
    // with `clusters list`.
    let all = wirecopy::store::Store::totals(&store)
        .expect("totals")
        .clusters_with_reprints;
    let printed = out.lines().filter(|l| l.starts_with("cluster ")).count() as u64;
    assert!(
        printed < all,
        "the fixtures have more clusters than the demo prints: {out}"
    );
    let rest = all - printed;
    let noun = if rest == 1 { "cluster" } else { "clusters" };
    assert!(
        out.contains(&format!("… and {rest} more {noun} (the smallest)"))
            && out.contains(&format!("shows all {all}.")),
        "{out}"
    );
    assert!(out.contains("Served 6 invented outlets"), "{out}");
    assert_eq!(query_i64(&store, "SELECT COUNT(*) FROM articles"), 37);
    assert_eq!(
        query_i64(&store, "SELECT COUNT(*) FROM pages"),
        37,
        "raw HTML kept within retention"
    );
}

#[test]
fn review_decisions_hold_in_later_runs() {
    let sites = Sites::start("run-review");
    let articles = sites.expected["articles"].as_array().expect("articles");
    let path_of = |site: &str, label: &str| -> String {
        let a = articles
            .iter()
            .find(|a| a["site"] == site && a["label"] == label)
            .unwrap_or_else(|| panic!("{site} {label}"));
        sites.url(site, a["path"].as_str().expect("path"))
    };
    sites.run(&["--outlet", "tass", "--outlet", "newsline"], 0);
    let store = sites.store();
    let id_of = |url: &str| -> i64 {
        store
            .connection()
            .query_row("SELECT id FROM articles WHERE url = ?1", [url], |r| {
                r.get(0)
            })
            .expect("stored")
    };
    let tass = id_of(&path_of("tass", "tass-ferry"));
    let newsline = id_of(&path_of("newsline", "tass-ferry"));
    let cluster = cluster_of(&store, &path_of("tass", "tass-ferry")).expect("clustered");
    assert_eq!(
        cluster_of(&store, &path_of("newsline", "tass-ferry")),
        Some(cluster)
    );
    let db = sites.db.to_str().expect("path").to_string();
    let review = |args: &[&str]| {
        let mut all = vec!["review"];
        all.extend(args);
        all.extend(["--db", &db]);
        sites.dir.command().args(all).stdout()
    };
    review(&[
        "split",
        &cluster.to_string(),
        &newsline.to_string(),
        "--note",
        "wrong story",
    ]);
    review(&["canonical", &cluster.to_string(), &tass.to_string()]);

    // The blog's copy of the same story arrives in a later run: it joins the
    // agency's cluster, the split article stays apart, the canonical stays.
    sites.run(&["--outlet", "dailyblog"], 0);
    let store = sites.store();
    assert_eq!(
        cluster_of(&store, &path_of("dailyblog", "tass-ferry")),
        Some(cluster)
    );
    assert_ne!(
        cluster_of(&store, &path_of("newsline", "tass-ferry")),
        Some(cluster),
        "split article rejoined"
    );
    let canonical: i64 = store
        .connection()
        .query_row(
            "SELECT canonical_id FROM clusters WHERE id = ?1",
            [cluster],
            |r| r.get(0),
        )
        .expect("cluster");
    assert_eq!(canonical, tass);
}

#[test]
fn feed_dates_fill_in_pages_without_one() {
    let dir = Dir::new("run-feed-dates");
    let article = "<html><head><title>Port reopens</title></head><body><article><h1>Port reopens</h1>\
        <p>The northern port reopened on Monday after a week of repairs to its main pier, the harbour master said.</p>\
        <p>Ferries to the islands will run to the winter timetable from Wednesday, the operator added.</p></article></body></html>";
    dir.create("sites/wire/news/1.html", article);
    dir.create(
        "sites/wire/rss.xml",
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>\
         <item><title>Port reopens</title><link>{{origin}}/news/1.html</link>\
         <pubDate>Mon, 04 Mar 2024 09:30:00 +0000</pubDate></item></channel></rss>",
    );
    dir.create("sites/wire/robots.txt", "User-agent: *\nAllow: /\n");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime
        .block_on(SiteServer::start(&dir.path.join("sites")))
        .expect("serve");
    let config = dir.create(
        "sources.toml",
        server.substitute("[[outlet]]\nname = \"wire\"\nhomepage = \"{{site:wire}}/\"\nfeeds = [\"{{site:wire}}/rss.xml\"]\n"),
    );
    let out = dir
        .command()
        .args(["run", "--config", config.to_str().expect("path")])
        .stdout();
    assert!(out.contains(" 1 new article,"), "{out}");
    assert!(out.starts_with("1 outlet, "), "one outlet, said so: {out}");
    let store =
        SqliteStore::open(&dir.path.join("wirecopy.db")).expect("database next to the config");
    let published: String = store
        .connection()
        .query_row("SELECT published FROM articles", [], |r| r.get(0))
        .expect("stored");
    assert_eq!(published, "2024-03-04T09:30:00+00:00");
}

#[test]
fn completions_cover_every_subcommand_and_are_valid_bash() {
    let dir = Dir::new("completions");
    let script = dir.command().args(["completions", "bash"]).stdout();
    for word in [
        "run", "report", "review", "clusters", "clean", "dedup", "--db", "--since",
    ] {
        assert!(script.contains(word), "{word} missing");
    }
    let path = dir.create("wirecopy.bash", &script);
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
        .expect("bash runs");
    assert!(syntax.success(), "bash -n rejects the script");
    let out = dir.command().args(["completions", "tcsh"]).output();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

#[test]
fn init_writes_a_config_that_run_explains_and_never_overwrites() {
    let dir = Dir::new("init");
    let said = dir.command().args(["init"]).stdout();
    assert!(said.contains("Wrote sources.toml"), "{said}");
    let written = std::fs::read_to_string(dir.path.join("sources.toml")).expect("written");
    assert!(written.contains("[[outlet]]"));
    // Fresh from init, the outlets are disabled: run says what to do, fetches nothing.
    let out = dir.command().args(["run"]).output();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("enabled = false"),
        "{out:?}"
    );
    assert!(!dir.path.join("wirecopy.db").exists(), "nothing created");
    // A second init refuses to replace the file, unless --force.
    std::fs::write(dir.path.join("sources.toml"), "# mine\n").expect("edit");
    let out = dir.command().args(["init"]).output();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("already exists"),
        "{out:?}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path.join("sources.toml")).expect("kept"),
        "# mine\n"
    );
    dir.command().args(["init", "--force"]).stdout();
}

/// Issue 14: the progress line ("46 of 58 article pages, …") is drawn on a
/// terminal only: never into a pipe or a cron log.
#[test]
fn the_progress_line_shows_on_a_terminal_only() {
    let sites = Sites::start("run-progress");
    let config = sites.config.to_str().expect("utf-8 path");
    let piped = sites
        .dir
        .command()
        .args(["run", "--config", config, "--db", "piped.db"])
        .output();
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(
        !stderr.contains("article pages") && !stderr.contains('\r'),
        "{stderr}"
    );
    // A terminal, through util-linux `script` where it exists.
    if !Path::new("/usr/bin/script").exists() {
        eprintln!("no /usr/bin/script: skipping the terminal half");
        return;
    }
    let db = sites.dir.path.join("tty.db");
    let line = format!(
        "'{}' run --config '{config}' --db '{}'",
        env!("CARGO_BIN_EXE_wirecopy"),
        db.display()
    );
    let tty = std::process::Command::new("/usr/bin/script")
        .args(["-qec", &line, "/dev/null"])
        .env_remove("RUST_LOG")
        .output()
        .expect("run script");
    let shown = String::from_utf8_lossy(&tty.stdout);
    let articles = sites.expected["articles"]
        .as_array()
        .expect("articles")
        .len();
    // The last frame before the line is erased: every page found was fetched.
    let last = shown
        .split("\r\x1b[2K")
        .next()
        .and_then(|frames| frames.rsplit('\r').next())
        .unwrap_or_default();
    let (done, rest) = last.split_once(" of ").unwrap_or_default();
    assert!(
        rest.starts_with(&format!("{done} article pages, {articles} new articles, ")),
        "{shown:?}"
    );
    assert!(
        shown.contains("\r1 of "),
        "drawn from the first page: {shown:?}"
    );
}

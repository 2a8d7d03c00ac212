//! Issue 12 (reliability): `wirecopy run` against loopback sites built for
//! each case: syndicated canonicals, failures that must be loud, stores that
//! cannot write, locks, crash bookkeeping and config refusals.
//! See: docs/reliability.md, one line per case.

use wirecopy::store::SqliteStore;

use crate::loopback::{articles, html_page, partition, six_stories, stderr, Loopback};
use crate::util::Dir;

// See: issue 12, item 1. A reprint whose rel=canonical names the agency's
// stored page was taken for that page: never stored, no error, URL done.
#[test]
fn r12_syndicated_canonicals_are_stored_and_clustered_with_their_claim() {
    let sites = Loopback::start("r12-canonical", &["agency", "reprints"]);
    let agency = sites.origin("agency");
    let mut agency_paths = Vec::new();
    let mut reprint_paths = Vec::new();
    for (i, (original, title, reprint)) in six_stories().iter().enumerate() {
        let a = format!("/news/{}.html", 100 + i);
        let r = format!("/news/story-{i}.html");
        let claim = format!("{agency}{a}");
        sites.page("agency", &a, &html_page(title, original, Some(&claim)));
        sites.page("reprints", &r, &html_page(title, reprint, Some(&claim)));
        agency_paths.push(a);
        reprint_paths.push(r);
    }
    sites.feed("agency", &agency_paths);
    sites.feed("reprints", &reprint_paths);
    sites.config(&[
        sites.outlet("agency", "agency = true"),
        sites.outlet("reprints", ""),
    ]);
    let check = |db: &str| {
        let store = SqliteStore::open(&sites.dir.path.join(db)).expect("database");
        for (a, r) in agency_paths.iter().zip(&reprint_paths) {
            let (a, r) = (format!("{agency}{a}"), sites.origin("reprints") + r);
            let row = store.connection().query_row(
                "SELECT a.claimed_canonical, a.canonical_url, m.cluster_id FROM articles a
                 JOIN members m ON m.article_id = a.id WHERE a.url = ?1",
                [&r],
                |row| {
                    Ok((
                        row.get::<_, Option<String>>(0)?,
                        row.get::<_, Option<String>>(1)?,
                        row.get::<_, i64>(2)?,
                    ))
                },
            );
            let (claimed, canonical, cluster) =
                row.unwrap_or_else(|e| panic!("{db}: reprint {r} not stored: {e}"));
            assert_eq!(claimed.as_deref(), Some(a.as_str()), "{r}");
            assert_eq!(canonical, None, "{r}: the claim is no address of it");
            let original: i64 = store
                .connection()
                .query_row(
                    "SELECT m.cluster_id FROM articles a JOIN members m ON m.article_id = a.id
                     WHERE a.url = ?1",
                    [&a],
                    |row| row.get(0),
                )
                .unwrap_or_else(|e| panic!("{db}: original {a} not stored: {e}"));
            assert_eq!(cluster, original, "{r} joins the cluster of {a}");
            let canonical: String = store
                .connection()
                .query_row(
                    "SELECT a.url FROM clusters c JOIN articles a ON a.id = c.canonical_id
                     WHERE c.id = ?1",
                    [cluster],
                    |row| row.get(0),
                )
                .expect("canonical");
            assert_eq!(canonical, a, "{db}: the claimed original is the canonical");
        }
    };

    // The agency first, then the reprints: every reprint is stored.
    let out = sites.run("first.db", &["--outlet", "agency"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = sites.run("first.db", &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(" 6 new articles,"), "{stdout}");
    check("first.db");

    // The reprints first, then the agency: the originals join them.
    let out = sites.run("reversed.db", &["--outlet", "reprints"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = sites.run("reversed.db", &["--outlet", "agency"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    check("reversed.db");

    // Both in one run, in whatever order the tasks go, three times.
    for n in 0..3 {
        let db = format!("both-{n}.db");
        let out = sites.run(&db, &[]);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(" 12 new articles,"), "{stdout}");
        check(&db);
    }

    // The report shows the claim on the member.
    let report = sites
        .dir
        .command()
        .args(["report", "--db", "first.db", "--format", "markdown"])
        .stdout();
    assert!(
        report.contains(&format!("claims canonical: {agency}/news/101.html"))
            && report.contains(&format!("({agency}/news/101.html)")),
        "{report}"
    );
}

// See: issue 12, items 2 and 5. A database that cannot be written made the
// run fail with an error that said its cause twice (`unable to open
// database file: dbdir: unable to open database file: dbdir: Error code
// 14`) or never named the file (read-only).
#[test]
fn r12_unusable_databases_exit_2_naming_the_file_once() {
    let sites = Loopback::start("r12-readonly", &["wire"]);
    articles(&sites, "wire", 3);
    sites.config(&[sites.outlet("wire", "")]);
    std::fs::create_dir_all(sites.dir.path.join("dbdir")).expect("dir");
    let out = sites.run("dbdir", &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "said once: {err}");
    assert!(
        err.starts_with("wirecopy: dbdir: cannot open the database: ")
            && err.contains("is it a directory"),
        "{err}"
    );

    let out = sites.run("w.db", &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    articles(&sites, "wire", 6);
    let db = sites.dir.path.join("w.db");
    let mut perms = std::fs::metadata(&db).expect("db").permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&db, perms).expect("chmod");
    if std::fs::OpenOptions::new().append(true).open(&db).is_ok() {
        // Root writes to read-only files: nothing to test here.
        return;
    }
    let out = sites.run("w.db", &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "said once: {err}");
    assert!(
        err.contains("w.db: ") && err.matches("read-only").count() == 1,
        "names the file and the cause, once: {err}"
    );
}

// See: issue 12, item 2. With the database's disk full, a run fetched every
// remaining page, printed a line per page, and recorded itself as ok.
#[test]
fn r12_a_full_store_stops_the_run_and_says_so_once() {
    use wirecopy::pipeline::{self, Ingest, RunOptions};
    let sites = Loopback::start("r12-full", &["wire"]);
    let paths = articles(&sites, "wire", 12);
    let config = sites.config(&[sites.outlet("wire", "")]);
    let sources = wirecopy::config::load(&config).expect("config");
    let db = sites.dir.path.join("full.db");
    let store = SqliteStore::open(&db).expect("database");
    // A disk with room for a few pages more: SQLite refuses to grow the
    // file past max_page_count with SQLITE_FULL, as on a full disk.
    let pages: i64 = store
        .connection()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .expect("page count");
    store
        .connection()
        .pragma_update(None, "max_page_count", pages + 6)
        .expect("cap the file");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let ingest = Ingest::load(Box::new(store), Default::default(), None).expect("load");
    let fetcher = wirecopy::fetch::Fetcher::new(wirecopy::fetch::FetchConfig {
        user_agent: "wirecopy-test/1.0".into(),
        ..Default::default()
    })
    .expect("fetcher");
    let report = runtime
        .block_on(pipeline::run(
            &sources,
            ingest,
            &fetcher,
            &RunOptions::default(),
        ))
        .expect("the run itself returns a report");
    let failed = report.store_failed.expect("the store failure is reported");
    assert!(
        failed.contains("full.db") && failed.contains("no space left"),
        "{failed}"
    );
    assert!(failed.contains("stopped fetching"), "{failed}");
    let fetched = sites
        .server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/news/"))
        .count();
    assert!(
        fetched < paths.len(),
        "stopped fetching: {fetched} of {} pages fetched",
        paths.len()
    );
    assert!(report.counts.new_articles < paths.len() as u64);
    let store = SqliteStore::open(&db).expect("reopen");
    let ok: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM runs WHERE status = 'ok'", [], |r| {
            r.get(0)
        })
        .expect("runs");
    assert_eq!(ok, 0, "the run is not recorded as ok");
    let integrity: String = store
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(integrity, "ok");
}

// See: issue 12, items 2, 3 and 4. A dead outlet wrote nothing to stderr
// without RUST_LOG; a PDF served as text/html did not count toward the
// exit status; log lines carried ANSI colour into files.
#[test]
fn r12_failed_outlets_are_named_on_stderr_and_clean_failures_count() {
    let sites = Loopback::start("r12-loud", &["wire", "pdfs"]);
    articles(&sites, "wire", 2);
    sites.page(
        "pdfs",
        "/news/1.html",
        "%PDF-1.4\n%\u{e2}\u{e3}\n1 0 obj\n<<>>\nendobj\n",
    );
    sites.feed("pdfs", &["/news/1.html".to_string()]);
    let dead = "[[outlet]]\nname = \"gone\"\nhomepage = \"http://127.0.0.1:9/\"\nfeeds = [\"http://127.0.0.1:9/rss\"]\n".to_string();
    sites.config(&[sites.outlet("wire", ""), sites.outlet("pdfs", ""), dead]);
    let out = sites.run("w.db", &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "one line per failed outlet: {err}");
    assert!(
        lines[0].starts_with("wirecopy: outlet \"gone\" failed: http://127.0.0.1:9/rss: ")
            && lines[0].contains("nothing listens on that port"),
        "{err}"
    );
    assert_eq!(
        lines[0].matches("127.0.0.1:9/rss").count(),
        1,
        "the URL once: {err}"
    );
    assert!(
        lines[1].starts_with("wirecopy: outlet \"pdfs\" failed: ") && lines[1].contains("PDF"),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}'),
        "no ANSI codes off a terminal: {err:?}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("(2 failed: gone, pdfs)"), "{stdout}");

    let out = sites.run("w.db", &["-q"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "", "-q: nothing on stderr");

    let out = sites.run("q.db", &["-v", "--outlet", "wire"]);
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(err.contains("Stored article"), "-v: each article: {err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

// See: issue 12, item 10. `--dry-run` used an empty scratch database, so it
// counted every known article as one to fetch.
#[test]
fn r12_dry_run_reads_the_real_database_and_writes_nothing() {
    let sites = Loopback::start("r12-dry", &["wire"]);
    articles(&sites, "wire", 4);
    sites.config(&[sites.outlet("wire", "")]);
    let out = sites.run("w.db", &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    articles(&sites, "wire", 6);
    let db = sites.dir.path.join("w.db");
    let before = std::fs::read(&db).expect("db");
    let out = sites.run("w.db", &["--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(" 2 new article URLs to fetch"), "{stdout}");
    assert_eq!(std::fs::read(&db).expect("db"), before, "nothing written");
    let out = sites.run("none.db", &["--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(" 6 new article URLs to fetch"), "{stdout}");
    assert!(!sites.dir.path.join("none.db").exists());
}

// See: issue 12, item 11. An empty sources.toml, or one whose outlets are
// all disabled, created a database and did nothing, exit 0.
#[test]
fn r12_nothing_to_run_exits_2_and_creates_nothing() {
    let dir = Dir::new("r12-empty");
    for (text, want) in [
        ("", "sources.toml: no outlet: add an [[outlet]]"),
        (
            "[[outlet]]\nname = \"a\"\nhomepage = \"https://a.example/\"\nfeeds = [\"https://a.example/rss\"]\nenabled = false\n",
            "every outlet has enabled = false",
        ),
    ] {
        dir.create("sources.toml", text);
        let out = dir.command().args(["run"]).output();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{text:?}: {err}");
        assert!(err.contains(want), "{err}");
        assert!(!dir.path.join("wirecopy.db").exists(), "nothing created");
    }
}

// See: issue 12, item 7. A sitemap index listing itself was fetched 4
// times in one run: the loop guard counted depth, not repeats.
#[test]
fn r12_a_sitemap_index_listing_itself_is_read_once() {
    let sites = Loopback::start("r12-sitemap-loop", &["wire"]);
    let paths = articles(&sites, "wire", 2);
    let index = "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
        <sitemap><loc>{{origin}}/sitemap.xml</loc></sitemap>\
        <sitemap><loc>{{origin}}/sitemap.xml?page=1#top</loc></sitemap>\
        <sitemap><loc>{{origin}}/pages.xml</loc></sitemap></sitemapindex>";
    sites.page("wire", "/sitemap.xml", index);
    let urls: String = paths
        .iter()
        .map(|p| format!("<url><loc>{{{{origin}}}}{p}</loc></url>"))
        .collect();
    sites.page(
        "wire",
        "/pages.xml",
        &format!("<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{urls}\
         <sitemap><loc>{{{{origin}}}}/sitemap.xml</loc></sitemap></urlset>"),
    );
    let origin = sites.origin("wire");
    sites.config(&[format!(
        "[[outlet]]\nname = \"wire\"\nhomepage = \"{origin}/\"\nsitemaps = [\"{origin}/sitemap.xml\"]\narticle_url = '^{origin}/news/'\n"
    )]);
    let out = sites.run("w.db", &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(" 2 new articles,"), "{stdout}");
    let log = sites.server.requests();
    let reads = log
        .iter()
        .filter(|r| r.path == "/sitemap.xml" && r.query.is_none())
        .count();
    assert_eq!(reads, 1, "the index is read once");
    assert_eq!(log.iter().filter(|r| r.path == "/pages.xml").count(), 1);
}

// See: issue 12, item 9, and the kill -9 result the issue asks to keep.
// Runs killed by kill -9 stayed `running` with zero counters; after the
// kills, a final run must give what a clean run gives, with no duplicate
// URL and integrity ok.
#[test]
fn r12_killed_runs_are_marked_interrupted_and_the_store_stays_whole() {
    use wirecopy::sites::Fault;
    let sites = Loopback::start("r12-kill", &["wire"]);
    let paths = articles(&sites, "wire", 12);
    sites.config(&[sites.outlet("wire", "")]);
    let db = sites.dir.path.join("killed.db");
    for path in &paths {
        sites.server.set_fault(
            "wire",
            path,
            Fault::Delay(std::time::Duration::from_millis(150)),
        );
    }
    let stored = |db: &std::path::Path| -> i64 {
        SqliteStore::open_read_only(db)
            .ok()
            .and_then(|s| {
                s.connection()
                    .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))
                    .ok()
            })
            .unwrap_or(0)
    };
    for kill in 1..=2 {
        let mut child = sites
            .dir
            .command()
            .args(["run", "--config", "sources.toml", "--db", "killed.db"])
            .spawn();
        // Wait (boundedly) until this run has stored two more articles.
        let before = stored(&db);
        for _ in 0..400 {
            if stored(&db) >= before + 2 || child.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        let ended = child.try_wait().ok().flatten();
        child.kill().expect("kill -9");
        let _ = child.wait();
        assert!(
            stored(&db) > before,
            "kill {kill}: the run stored something (it ended by itself: {ended:?})"
        );
    }
    for path in &paths {
        sites.server.clear_fault("wire", path);
    }
    let out = sites.run("killed.db", &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = sites.run("clean.db", &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    let store = SqliteStore::open(&db).expect("database");
    let q = |sql: &str| -> i64 {
        store
            .connection()
            .query_row(sql, [], |r| r.get(0))
            .expect(sql)
    };
    assert_eq!(q("SELECT COUNT(*) FROM runs WHERE status = 'running'"), 0);
    assert_eq!(
        q("SELECT COUNT(*) FROM runs WHERE status = 'interrupted'"),
        2
    );
    assert_eq!(
        q("SELECT COUNT(*) FROM runs r WHERE r.status = 'interrupted'
           AND r.new_articles = (SELECT COUNT(*) FROM articles a WHERE a.run_id = r.id)
           AND r.new_articles > 0 AND r.finished_at IS NOT NULL"),
        2,
        "interrupted runs keep the counts their rows tell"
    );
    assert_eq!(
        q("SELECT COUNT(*) FROM articles"),
        q("SELECT COUNT(DISTINCT url) FROM articles")
    );
    let integrity: String = store
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(integrity, "ok");
    assert_eq!(q("SELECT COUNT(*) FROM articles"), paths.len() as i64);
    assert_eq!(
        partition(&db),
        partition(&sites.dir.path.join("clean.db")),
        "the same clusters as a clean run"
    );
}

// See: issue 12, item 6. A host that drips bytes held the run (and the
// lock) for (retries + 1) × timeout per page, one page after another.
#[test]
fn r12_a_host_that_keeps_timing_out_is_left_for_the_next_run() {
    use wirecopy::sites::Fault;
    let sites = Loopback::start("r12-budget", &["slow", "wire"]);
    let slow = articles(&sites, "slow", 6);
    articles(&sites, "wire", 2);
    for path in &slow {
        sites.server.set_fault(
            "slow",
            path,
            Fault::Delay(std::time::Duration::from_secs(5)),
        );
    }
    let outlets = [sites.outlet("slow", ""), sites.outlet("wire", "")];
    sites.config_with("timeout_secs = 1\nmax_host_failures = 2\n", &outlets);
    let out = sites.run("w.db", &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("(1 failed: slow)"), "{stdout}");
    assert!(
        stdout.contains(" 2 new articles,"),
        "the other outlet goes on: {stdout}"
    );
    assert!(
        stdout.contains("; 4 article pages of given-up hosts left for the next run"),
        "{stdout}"
    );
    let store = SqliteStore::open(&sites.dir.path.join("w.db")).expect("db");
    let timeouts: i64 = store
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM fetch_errors WHERE stage = 'fetch' AND message LIKE '%timed out%'",
            [],
            |r| r.get(0),
        )
        .expect("errors");
    assert_eq!(timeouts, 2, "two timeouts, then the host is left alone");
    let why: String = store
        .connection()
        .query_row(
            "SELECT message FROM fetch_errors WHERE stage = 'budget'",
            [],
            |r| r.get(0),
        )
        .expect("the reason is recorded");
    assert!(
        why.contains("given up after 2 timeouts or connection failures in a row")
            && why.contains("left for the next run"),
        "{why}"
    );
    drop(store);
    for path in &slow {
        sites.server.clear_fault("slow", path);
    }
    let out = sites.run("w.db", &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(" 6 new articles,"),
        "the next run fetches them: {stdout}"
    );
}

// See: issue 12, item 6. There was no deadline: a slow run overlapped the
// next cron runs, which all exited on the lock.
#[test]
fn r12_max_run_secs_stops_new_requests_and_the_next_run_goes_on() {
    use wirecopy::sites::Fault;
    let sites = Loopback::start("r12-deadline", &["wire"]);
    let paths = articles(&sites, "wire", 12);
    for path in &paths {
        sites.server.set_fault(
            "wire",
            path,
            Fault::Delay(std::time::Duration::from_millis(400)),
        );
    }
    let outlets = [sites.outlet("wire", "")];
    sites.config_with("timeout_secs = 5\nmax_run_secs = 1\n", &outlets);
    let out = sites.run("w.db", &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let n = |what: &str| -> u64 {
        stdout
            .split([',', ';'])
            .find_map(|part| {
                let part = part.trim();
                // "1 new article" is singular.
                let n = part
                    .strip_suffix(what)
                    .or_else(|| part.strip_suffix(what.strip_suffix('s')?))?;
                n.trim().parse().ok()
            })
            .unwrap_or_else(|| panic!("{what} in {stdout}"))
    };
    let stored = n("new articles");
    let left: u64 = stdout
        .split("max_run_secs, ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("stopped at max_run_secs in {stdout}"));
    assert!(stored < paths.len() as u64, "{stdout}");
    assert_eq!(stored + left, paths.len() as u64, "{stdout}");
    let store = SqliteStore::open(&sites.dir.path.join("w.db")).expect("db");
    let status: String = store
        .connection()
        .query_row("SELECT status FROM runs", [], |r| r.get(0))
        .expect("run");
    assert_eq!(status, "partial");
    drop(store);
    for path in &paths {
        sites.server.clear_fault("wire", path);
    }
    sites.config_with("timeout_secs = 5\n", &outlets);
    let out = sites.run("w.db", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!(
            " {},",
            wirecopy::report::counted(left, "new article", "new articles")
        )),
        "the rest in the next run: {stdout}"
    );
}

//! Issue 15: `wirecopy sources add` and `sources list` against loopback
//! outlets, one per discovery path (a declared feed, a sitemap named only
//! by robots.txt, a Google News sitemap index, section pages only, a feed
//! robots.txt forbids), a commented sources.toml that must survive byte
//! for byte, and discovery's robots.txt step over the real files of
//! `../shared/bench/robots/` (skipped when absent).

use url::Url;

use crate::loopback::{html_page, six_stories, stderr, Loopback};

/// The `[defaults]` every test config starts with: fast, no retries.
const DEFAULTS: &str =
    "[defaults]\nrate = 50\nconnect_timeout_secs = 2\ntimeout_secs = 5\nretries = 0\n";

/// Writes six article pages of `site` at `paths` (from the project's own
/// reprint corpus) and returns their paths.
fn articles(lb: &Loopback, site: &str, paths: &[String]) {
    for (path, (text, title, _)) in paths.iter().zip(six_stories()) {
        lb.page(site, path, &html_page(&title, &text, None));
    }
}

/// Six dated slug paths under `section`.
fn dated(section: &str) -> Vec<String> {
    let slugs = [
        "talks-resume-in-geneva",
        "rouble-falls-for-third-day",
        "envoys-meet-in-vienna-again",
        "grain-deal-extended-by-months",
        "new-bridge-opens-to-traffic",
        "storm-closes-northern-ports",
    ];
    slugs
        .iter()
        .enumerate()
        .map(|(i, slug)| format!("/{section}/2024/05/{:02}/{slug}.html", 10 - i))
        .collect()
}

/// A homepage: `head` inside <head>, a navigation, `links` in the body, and
/// the usual non-article links (tags, authors, static pages).
fn homepage(head: &str, links: &[String]) -> String {
    let body: String = links
        .iter()
        .map(|l| format!("<li><a href=\"{l}\">story</a></li>"))
        .collect();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Outlet</title>{head}</head><body>\
         <header><nav><a href=\"/\">Home</a><a href=\"/world/\">World</a><a href=\"/economy/\">Economy</a>\
         <a href=\"/about/\">About</a></nav></header><main><ul>{body}</ul></main>\
         <aside><a href=\"/tag/geneva/\">Geneva</a><a href=\"/tag/grain-deal/\">Grain deal</a>\
         <a href=\"/authors/ivanova/\">I. Ivanova</a><a href=\"/contact/\">Contact</a></aside></body></html>"
    )
}

fn rss(paths: &[String]) -> String {
    let items: String = paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "<item><title>Story {i}</title><link>{{{{origin}}}}{p}</link>\
                 <pubDate>{:02} May 2024 10:00:00 +0000</pubDate></item>",
                10 - i
            )
        })
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Outlet</title>{items}</channel></rss>")
}

fn urlset(paths: &[String], news: bool) -> String {
    let entries: String = paths
        .iter()
        .map(|p| {
            let extra = if news {
                "<news:news><news:publication><news:name>Outlet</news:name><news:language>en</news:language>\
                 </news:publication><news:publication_date>2024-05-10T10:00:00Z</news:publication_date>\
                 <news:title>A story</news:title></news:news>"
            } else {
                ""
            };
            format!("<url><loc>{{{{origin}}}}{p}</loc>{extra}</url>")
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">{entries}</urlset>"
    )
}

/// Runs `sources add` with `extra` flags on the site's homepage.
fn add(lb: &Loopback, site: &str, extra: &[&str]) -> std::process::Output {
    let home = format!("{}/", lb.origin(site));
    let mut args = vec!["sources", "add", "--config", "sources.toml"];
    args.extend(extra);
    args.push(&home);
    lb.dir.command().args(args).output()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn config_text(lb: &Loopback) -> String {
    std::fs::read_to_string(lb.dir.path.join("sources.toml")).expect("sources.toml")
}

#[test]
fn f15_a_declared_feed_is_found_written_and_listed() {
    let lb = Loopback::start("add-declared", &["daily"]);
    let paths = dated("world");
    articles(&lb, "daily", &paths);
    // The main feed, an archive feed a year old, a feed repeating the main
    // one's items, and an Atom feed of a section: the newest first.
    lb.page("daily", "/feeds/main.xml", &rss(&paths));
    lb.page(
        "daily",
        "/feeds/archive.xml",
        &rss(&paths[3..]).replace("2024", "2023"),
    );
    lb.page("daily", "/feeds/again.xml", &rss(&paths[..2]));
    lb.page("daily", "/feeds/empty.xml", &rss(&[]));
    let head: String = ["archive", "main", "again", "empty"]
        .iter()
        .map(|f| {
            format!("<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feeds/{f}.xml\">")
        })
        .collect();
    lb.page("daily", "/index.html", &homepage(&head, &paths[..3]));
    lb.dir.create("sources.toml", DEFAULTS);
    let out = add(&lb, "daily", &["--agency"]);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}\n{}", stderr(&out));
    let origin = lb.origin("daily");
    assert!(shown.contains("declared on the homepage"), "{shown}");
    let verdict = |feed: &str| {
        shown
            .split_once(&format!("/feeds/{feed}.xml ["))
            .and_then(|(_, rest)| rest.lines().nth(1))
            .map(str::trim)
            .unwrap_or_default()
            .to_owned()
    };
    assert!(verdict("main").starts_with("kept: 6 entries"), "{shown}");
    assert!(
        verdict("archive").starts_with("passed over (older: newest item 2023-05-10)"),
        "{shown}"
    );
    assert!(
        verdict("again").starts_with("passed over (adds no article the kept feeds lack)"),
        "{shown}"
    );
    assert_eq!(
        verdict("empty"),
        "rejected: a feed with no items",
        "{shown}"
    );
    // Shown in the order tried (the homepage's order).
    let at = |feed: &str| {
        shown
            .find(&format!("/feeds/{feed}.xml ["))
            .unwrap_or(usize::MAX)
    };
    assert!(
        at("archive") < at("main") && at("main") < at("again"),
        "{shown}"
    );
    assert!(
        shown.contains("matches 6 of the 6 article links found, and 0 of the homepage's"),
        "{shown}"
    );
    assert!(shown.contains("warnings:  none"), "{shown}");
    assert!(!shown.contains("look like site chrome"), "{shown}");
    let text = config_text(&lb);
    assert!(text.starts_with(DEFAULTS), "{text}");
    assert!(
        text.contains("# discovered by `wirecopy sources add` on "),
        "{text}"
    );
    assert!(text.contains("\nname = \"127-0-0-1-"), "{text}");
    assert!(
        text.contains(&format!("feeds = [\"{origin}/feeds/main.xml\"]")),
        "{text}"
    );
    assert!(!text.contains("sitemaps ="), "{text}");
    assert!(
        text.contains("article_url = '^https?://127\\.0\\.0\\.1:"),
        "{text}"
    );
    assert!(text.contains("\nagency = true\n"), "{text}");
    let sources = wirecopy::config::parse(&text, "sources.toml").expect("the result loads");
    let outlet = &sources.outlets[0];
    for p in &paths {
        assert!(
            outlet.wants(&Url::parse(&format!("{origin}{p}")).expect("URL")),
            "{p}"
        );
    }
    for p in ["/world/", "/tag/geneva/", "/authors/ivanova/", "/about/"] {
        assert!(
            !outlet.wants(&Url::parse(&format!("{origin}{p}")).expect("URL")),
            "{p}"
        );
    }

    // `sources list` before and after a run, with an outlet that fails.
    let name = outlet.name.clone();
    let broken = format!(
        "\n[[outlet]]\nname = \"broken\"\nhomepage = \"{origin}/b/\"\nfeeds = [\"{origin}/b/missing.xml\"]\n\
         article_url = '^{origin}/b/'\nenabled = true\n"
    );
    lb.dir.create("sources.toml", format!("{text}{broken}"));
    let listed = lb
        .dir
        .command()
        .args(["sources", "list", "--config", "sources.toml"])
        .stdout();
    assert!(
        listed.contains(&name) && listed.contains("1 feed"),
        "{listed}"
    );
    assert!(listed.contains("no database yet"), "{listed}");
    let run = lb.run("wirecopy.db", &[]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let listed = lb
        .dir
        .command()
        .args(["sources", "list", "--config", "sources.toml"])
        .stdout();
    assert!(
        listed.contains("last error") && listed.contains("HTTP 404"),
        "{listed}"
    );
    assert!(!listed.contains("no database yet"), "{listed}");
    let json = lb
        .dir
        .command()
        .args([
            "sources",
            "list",
            "--config",
            "sources.toml",
            "--format",
            "json",
        ])
        .stdout();
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let row = &v["outlets"][0];
    assert_eq!(row["name"], name.as_str());
    assert_eq!(row["enabled"], true);
    assert_eq!(row["articles"], 6);
    assert!(
        row["last_ok"].as_str().is_some_and(|t| t.starts_with("20")),
        "{json}"
    );
    assert_eq!(row["last_error"], serde_json::Value::Null);
    assert_eq!(row["feeds"][0], format!("{origin}/feeds/main.xml").as_str());
    let row = &v["outlets"][1];
    assert_eq!(
        (row["name"].as_str(), row["articles"].as_i64()),
        (Some("broken"), Some(0))
    );
    assert!(
        row["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("HTTP 404")),
        "{json}"
    );
    assert!(
        v["database"]
            .as_str()
            .is_some_and(|d| d.ends_with("wirecopy.db")),
        "{json}"
    );
    assert_eq!(v["not_in_config"], serde_json::json!([]));
    // An outlet dropped from the file is still named, its articles kept.
    lb.dir.create("sources.toml", format!("{DEFAULTS}{broken}"));
    let listed = lb
        .dir
        .command()
        .args(["sources", "list", "--config", "sources.toml"])
        .stdout();
    assert!(
        listed.contains(&format!(
            "in the database, no longer in sources.toml: {name}"
        )),
        "{listed}"
    );
}

#[test]
fn f15_a_sitemap_named_only_by_robots_txt() {
    let lb = Loopback::start("add-robots-sitemap", &["wire"]);
    let paths: Vec<String> = (0..6)
        .map(|i| format!("/news/{}.html", 4_410_200 + i))
        .collect();
    articles(&lb, "wire", &paths);
    let mut listed = paths.clone();
    listed.extend(["/world/".to_string(), "/about/".to_string()]);
    lb.page("wire", "/maps/content-2024.xml", &urlset(&listed, false));
    lb.page(
        "wire",
        "/robots.txt",
        "User-agent: *\nAllow: /\n\nSitemap: {{origin}}/maps/content-2024.xml\n",
    );
    lb.page("wire", "/index.html", &homepage("", &paths[..2]));
    lb.dir.create("sources.toml", DEFAULTS);
    let out = add(&lb, "wire", &["--name", "wire"]);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}\n{}", stderr(&out));
    assert!(shown.contains("[robots.txt Sitemap: line]"), "{shown}");
    assert!(shown.contains("/rss [usual feed path]"), "{shown}");
    let origin = lb.origin("wire");
    let text = config_text(&lb);
    assert!(
        text.contains(&format!("sitemaps = [\"{origin}/maps/content-2024.xml\"]")),
        "{text}"
    );
    assert!(!text.contains("feeds ="), "{text}");
    assert!(text.contains(r"/news/\d{7,}\.html/?(?:[?#]|$)'"), "{text}");
    // The usual sitemap paths are not probed once robots.txt named a good one.
    let probed: Vec<String> = lb.server.requests().into_iter().map(|r| r.path).collect();
    assert!(!probed.iter().any(|p| p == "/sitemap.xml"), "{probed:?}");
}

#[test]
fn f15_a_google_news_sitemap_index_is_preferred() {
    let lb = Loopback::start("add-news-index", &["agency"]);
    let paths: Vec<String> = (0..6)
        .map(|i| format!("/2024051{i}/talks-{}.html", 700_100 + i))
        .collect();
    articles(&lb, "agency", &paths);
    lb.page(
        "agency",
        "/news-sitemap.xml",
        "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
         <sitemap><loc>{{origin}}/news-sitemap-today.xml</loc></sitemap></sitemapindex>",
    );
    lb.page("agency", "/news-sitemap-today.xml", &urlset(&paths, true));
    let mut general = vec!["/world/".to_string(), "/economy/".to_string()];
    general.extend(paths[..2].iter().cloned());
    lb.page("agency", "/sitemap.xml", &urlset(&general, false));
    lb.page("agency", "/index.html", &homepage("", &paths[..1]));
    lb.dir.create("sources.toml", DEFAULTS);
    let out = add(&lb, "agency", &["--dry-run"]);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}\n{}", stderr(&out));
    let origin = lb.origin("agency");
    assert!(shown.contains("Google News"), "{shown}");
    assert!(
        shown.contains("passed over (a Google News sitemap is preferred)"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("sitemaps = [\"{origin}/news-sitemap.xml\"]")),
        "{shown}"
    );
    assert!(
        shown.contains("--dry-run: sources.toml not changed"),
        "{shown}"
    );
    assert_eq!(config_text(&lb), DEFAULTS, "a dry run writes nothing");
}

#[test]
fn f15_section_pages_when_there_is_no_feed_or_sitemap() {
    let lb = Loopback::start("add-sections", &["local"]);
    let world: Vec<String> = (0..3)
        .map(|i| format!("/world/{}-story.html", 5_501_000 + i))
        .collect();
    let economy: Vec<String> = (0..3)
        .map(|i| format!("/economy/{}-story.html", 5_502_000 + i))
        .collect();
    let all: Vec<String> = world.iter().chain(&economy).cloned().collect();
    articles(&lb, "local", &all);
    let section = |links: &[String]| homepage("", links);
    lb.page("local", "/world/index.html", &section(&world));
    lb.page("local", "/economy/index.html", &section(&economy));
    lb.page(
        "local",
        "/about/index.html",
        "<html><body><p>Who we are.</p></body></html>",
    );
    lb.page("local", "/index.html", &homepage("", &[]));
    lb.dir.create("sources.toml", DEFAULTS);
    let out = add(&lb, "local", &["--name", "local"]);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}\n{}", stderr(&out));
    assert!(shown.contains("/about/ [main navigation]"), "{shown}");
    assert!(
        shown.contains("0 of its 0 links look like articles"),
        "{shown}"
    );
    let origin = lb.origin("local");
    let text = config_text(&lb);
    assert!(
        text.contains(&format!(
            "sections = [\"{origin}/world/\", \"{origin}/economy/\"]"
        )),
        "{text}"
    );
    assert!(text.contains(r"/[^/]+/\d{7,}[-_][^/]*\.html"), "{text}");
}

#[test]
fn f15_a_feed_robots_txt_forbids_is_not_used_and_the_output_says_so() {
    let lb = Loopback::start("add-forbidden", &["guarded", "closed"]);
    let paths = dated("politics");
    for site in ["guarded", "closed"] {
        articles(&lb, site, &paths);
        lb.page(site, "/rss/main.xml", &rss(&paths));
        lb.page(site, "/robots.txt", "User-agent: *\nDisallow: /rss/\n");
        let head = "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/rss/main.xml\">";
        // "closed" links no article from its homepage either.
        let listed = if site == "guarded" { &paths[..2] } else { &[] };
        lb.page(site, "/index.html", &homepage(head, listed));
    }
    lb.page("guarded", "/sitemap.xml", &urlset(&paths, false));
    lb.dir.create("sources.toml", DEFAULTS);
    let out = add(&lb, "guarded", &["--name", "guarded"]);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}\n{}", stderr(&out));
    assert!(
        shown.contains("rejected: robots.txt forbids fetching it, so it is not used"),
        "{shown}"
    );
    let text = config_text(&lb);
    assert!(!text.contains("feeds ="), "{text}");
    assert!(text.contains("/sitemap.xml\"]"), "{text}");
    let fetched_feed = lb
        .server
        .requests()
        .iter()
        .any(|r| r.path.starts_with("/rss/"));
    assert!(!fetched_feed, "the forbidden feed was requested");

    // With nothing else, nothing is usable: exit 1, and why.
    let out = add(&lb, "closed", &["--name", "closed"]);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}\n{}", stderr(&out));
    assert!(shown.contains("nothing usable found"), "{shown}");
    assert!(shown.contains("robots.txt forbids fetching it"), "{shown}");
    assert!(
        shown.contains("/sitemap.xml [usual sitemap path]"),
        "{shown}"
    );
    assert!(!config_text(&lb).contains("\"closed\""));
}

#[test]
fn f15_a_commented_config_survives_byte_for_byte() {
    let lb = Loopback::start("add-comments", &["daily"]);
    let paths = dated("world");
    articles(&lb, "daily", &paths);
    lb.page("daily", "/rss.xml", &rss(&paths));
    lb.page("daily", "/index.html", &homepage("", &paths[..2]));
    let origin = lb.origin("daily");
    // Comments, odd spacing and quoting, a CRLF line, no final newline.
    let before = format!(
        "# My outlets — hand-kept.\n{DEFAULTS}user_agent   =  'wirecopy-test/1 (ops@example.org)'   # who we are\r\n\n\
         [[outlet]] # the agency\nname='tass'\nhomepage = \"https://tass.example/\"\n\
         feeds = [\n  \"https://tass.example/rss\",  # main\n]\nenabled = false\n\n# trailing words"
    );
    lb.dir.create("sources.toml", &before);
    let out = add(&lb, "daily", &["--name", "daily"]);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}\n{}", stderr(&out));
    assert!(shown.contains("/rss.xml [usual feed path]"), "{shown}");
    let after = config_text(&lb);
    assert!(
        after.starts_with(&before),
        "the file's bytes changed:\n{after}"
    );
    let table = &after[before.len()..];
    assert!(
        table.starts_with("\n\n# discovered by `wirecopy sources add` on "),
        "{table}"
    );
    assert!(table.contains(&format!("\n[[outlet]]\nname = \"daily\"\nhomepage = \"{origin}/\"\nfeeds = [\"{origin}/rss.xml\"]\n")), "{table}");
    assert_eq!(table.matches("[[outlet]]").count(), 1);
    // The requests carried the configured User-Agent.
    assert!(lb
        .server
        .requests()
        .iter()
        .all(|r| r.user_agent.as_deref() == Some("wirecopy-test/1 (ops@example.org)")));

    // The same site again: refused, naming the line, file unchanged.
    for extra in [&["--name", "daily"][..], &["--name", "daily-2"][..]] {
        let out = add(&lb, "daily", extra);
        assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains("sources.toml:"), "{err}");
        assert!(err.contains("\"daily\""), "{err}");
        assert_eq!(config_text(&lb), after);
    }
    let out = add(&lb, "daily", &["--name", "tass"]);
    assert!(
        stderr(&out).contains("sources.toml:10: outlet \"tass\" is already in the file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn f15_samples_that_look_like_chrome_are_called_so() {
    let lb = Loopback::start("add-chrome", &["portal"]);
    let paths = dated("world");
    let menu: String = (0..12)
        .map(|i| format!("<div class=\"item\"><a href=\"/topic/{i}/\">Topic number {i}</a></div>"))
        .collect();
    for (i, path) in paths.iter().enumerate() {
        lb.page(
            "portal",
            path,
            &format!(
                "<html><head><title>Portal story {i}</title></head><body><div>{menu}</div>\
                 <div><p>Read more on the portal today.</p></div><div>{menu}</div></body></html>"
            ),
        );
    }
    lb.page("portal", "/rss.xml", &rss(&paths));
    lb.page("portal", "/index.html", &homepage("", &paths[..2]));
    lb.dir.create("sources.toml", DEFAULTS);
    let out = add(&lb, "portal", &["--name", "portal", "--dry-run"]);
    let shown = stdout(&out);
    assert!(
        shown.contains("look like site chrome, not article text"),
        "{shown}"
    );
    assert!(
        shown.contains("--explain")
            && shown.contains("body_selector")
            && shown.contains("drop_selectors"),
        "{shown}"
    );
}

/// A missing sources.toml is created holding just the new table (fetched
/// at the default rate, one request a second: this test takes ~10 s).
#[test]
fn f15_a_missing_config_is_created() {
    let lb = Loopback::start("add-new-file", &["fresh"]);
    let paths = dated("world");
    articles(&lb, "fresh", &paths);
    lb.page("fresh", "/rss.xml", &rss(&paths));
    let head = "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/rss.xml\">";
    lb.page("fresh", "/index.html", &homepage(head, &[]));
    let home = format!("{}/", lb.origin("fresh"));
    let out = lb
        .dir
        .command()
        .args([
            "sources",
            "add",
            "--config",
            "conf/new.toml",
            "--name",
            "fresh",
            &home,
        ])
        .output();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("conf/new.toml: cannot create it: conf is not a directory"),
        "{}",
        stderr(&out)
    );
    assert!(
        lb.server.requests().is_empty(),
        "nothing is fetched before the config can be written"
    );
    std::fs::create_dir_all(lb.dir.path.join("conf")).expect("conf directory");
    let out = lb
        .dir
        .command()
        .args([
            "sources",
            "add",
            "--config",
            "conf/new.toml",
            "--name",
            "fresh",
            "--samples",
            "1",
            &home,
        ])
        .output();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    let text = std::fs::read_to_string(lb.dir.path.join("conf/new.toml")).expect("created");
    assert!(
        text.starts_with("# discovered by `wirecopy sources add` on "),
        "{text}"
    );
    let sources = wirecopy::config::load(&lb.dir.path.join("conf/new.toml")).expect("loads");
    assert_eq!(sources.outlets.len(), 1);
    assert_eq!(
        sources.outlets[0].feeds[0].as_str(),
        format!("{home}rss.xml")
    );
}

#[test]
fn f15_bad_input_and_dead_hosts_are_named() {
    let dir = crate::util::Dir::new("add-errors");
    dir.create("sources.toml", DEFAULTS);
    let out = dir
        .command()
        .args(["sources", "add", "ftp://files.example/"])
        .output();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("\"ftp://files.example/\": not an http(s) URL"),
        "{}",
        stderr(&out)
    );
    let out = dir
        .command()
        .args(["sources", "add", "http://exa mple/"])
        .output();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("\"http://exa mple/\": not a URL"),
        "{}",
        stderr(&out)
    );
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let home = format!("http://127.0.0.1:{port}/");
    let out = dir.command().args(["sources", "add", &home]).output();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("sources add {home}")) && err.contains("cannot fetch the homepage"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path.join("sources.toml")).expect("config"),
        DEFAULTS
    );
}

/// Discovery's robots.txt step over 4,231 real files: no panic, and every
/// absolute `Sitemap:` line becomes a sitemap candidate ahead of the usual paths.
#[test]
fn f15_robots_sitemap_lines_of_real_files_become_candidates() {
    let Some(shared) = crate::util::shared() else {
        println!("skipped: ../shared is absent");
        return;
    };
    let dir = shared.join("bench/robots/files");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: {} does not exist", dir.display());
        return;
    };
    let home = Url::parse("https://news.example/").expect("URL");
    let (mut files, mut with_lines, mut candidates) = (0, 0, 0);
    for entry in entries.flatten() {
        let Ok(body) = std::fs::read(entry.path()) else {
            continue;
        };
        files += 1;
        let answer = wirecopy::fetch::robots_answer(200, &body, "wirecopy/0.1", &home);
        let found = wirecopy::pipeline::sitemap_candidates(&home, &answer.sitemaps);
        let from_robots = found
            .iter()
            .filter(|(_, by)| by.starts_with("robots.txt"))
            .count();
        let text = String::from_utf8_lossy(&body);
        let has_line = text.lines().any(|line| {
            let line = line.trim();
            line.get(..8)
                .is_some_and(|k| k.eq_ignore_ascii_case("sitemap:"))
                && line
                    .get(8..)
                    .and_then(|u| Url::parse(u.trim()).ok())
                    .is_some_and(|u| matches!(u.scheme(), "http" | "https"))
        });
        if has_line && body.len() <= 512 * 1024 {
            with_lines += 1;
            assert!(
                from_robots > 0,
                "{:?}: Sitemap line not found",
                entry.file_name()
            );
        }
        candidates += from_robots;
        assert!(found.len() > from_robots, "the usual paths follow");
    }
    println!("{files} robots.txt files, {with_lines} with Sitemap lines, {candidates} sitemap candidates");
    assert!(files == 0 || with_lines > 0);
}

/// Every invented outlet of `fixtures/sites/` (feeds, sitemaps, sections,
/// windows-1251, Crawl-delay) is found from its homepage alone, and the
/// inferred `article_url` takes each of its articles and none of its
/// homepage, about or privacy pages.
#[test]
fn f15_each_fixture_site_is_found_from_its_homepage() {
    let dir = crate::util::Dir::new("add-fixture-sites");
    dir.create("sources.toml", DEFAULTS);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime
        .block_on(wirecopy::sites::SiteServer::start(
            &crate::util::fixtures().join("sites"),
        ))
        .expect("serve the fixture sites");
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::util::fixtures().join("sites/expected.json"))
            .expect("expected.json"),
    )
    .expect("JSON");
    for (site, origin) in server.sites() {
        let out = dir
            .command()
            .args(["sources", "add", "--dry-run", &format!("{origin}/")])
            .output();
        let shown = stdout(&out);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{site}:\n{shown}\n{}",
            stderr(&out)
        );
        let table = shown
            .split_once("the table would be:\n")
            .map(|(_, t)| t)
            .expect("the table is printed");
        let parsed: toml::Table = table.parse().expect("the table is TOML");
        let re = parsed["outlet"][0]["article_url"]
            .as_str()
            .and_then(|r| regex::Regex::new(r).ok())
            .expect("an article_url regex");
        let articles = expected["articles"].as_array().expect("articles");
        let mut checked = 0;
        for a in articles.iter().filter(|a| a["site"] == site.as_str()) {
            let url = format!("{origin}{}", a["path"].as_str().expect("path"));
            assert!(re.is_match(&url), "{site}: {re} misses {url}");
            checked += 1;
        }
        assert!(checked >= 3, "{site}: {checked} articles");
        for path in ["/", "/about/", "/privacy/", "/contacts/"] {
            assert!(
                !re.is_match(&format!("{origin}{path}")),
                "{site}: {re} takes {path}"
            );
        }
    }
}

#[test]
fn f15_completions_know_sources_add_and_list() {
    let dir = crate::util::Dir::new("add-completions");
    let bash = dir.command().args(["completions", "bash"]).stdout();
    for needed in [
        "wirecopy__subcmd__sources__subcmd__add",
        "wirecopy__subcmd__sources__subcmd__list",
        "--agency",
        "--dry-run",
    ] {
        assert!(bash.contains(needed), "{needed}");
    }
    let fish = dir.command().args(["completions", "fish"]).stdout();
    assert!(
        fish.contains("__fish_seen_subcommand_from check add list"),
        "{fish}"
    );
}

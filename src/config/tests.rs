use super::*;

fn problems(text: &str) -> Vec<String> {
    match parse(text, "sources.toml") {
        Ok(_) => Vec::new(),
        Err(error) => error.to_string().lines().map(String::from).collect(),
    }
}

const GOOD: &str = r#"
[defaults]
rate = 2
max_pages = 10

[[outlet]]
name = "tass"
homepage = "https://tass.com/"
feeds = ["https://tass.com/rss/v2.xml"]
sitemaps = ["https://tass.com/sitemap.xml"]
article_url = '^https://tass\.com/[a-z-]+/\d+$'
exclude = ['/video/']
body_selector = "div.text-content"
drop_selectors = [".read-also", "aside"]
agency = true
charset = "utf-8"

[[outlet]]
name = "blog"
homepage = "https://blog.example/"
sections = ["https://blog.example/news/"]
rate = 0.2
enabled = false
"#;

#[test]
fn reads_a_full_config() {
    let s = parse(GOOD, "sources.toml").expect("valid config");
    assert_eq!(s.defaults.rate, 2.0);
    assert_eq!(s.defaults.max_pages, 10);
    assert_eq!(s.outlets.len(), 2);
    let tass = &s.outlets[0];
    assert!(tass.agency && tass.enabled);
    assert_eq!(tass.rate, 2.0, "inherits the default rate");
    assert_eq!(tass.line, 6);
    assert_eq!(tass.drop_selectors.len(), 2);
    assert!(tass.wants(&Url::parse("https://tass.com/politics/1790455").expect("url")));
    assert!(!tass.wants(&Url::parse("https://tass.com/video/1790455").expect("url")));
    let blog = &s.outlets[1];
    assert!(!blog.enabled && !blog.agency);
    assert_eq!(blog.rate, 0.2);
    assert!(blog.wants(&Url::parse("https://blog.example/2024/post").expect("url")));
    assert!(!blog.wants(&Url::parse("https://elsewhere.example/post").expect("url")));
}

#[test]
fn unknown_keys_name_line_and_nearest_key() {
    let text = "[[outlet]]\nname = \"tass\"\nhomepage = \"https://tass.com/\"\nfeds = [\"https://tass.com/rss\"]\n";
    let p = problems(text);
    assert!(
        p.iter().any(|l| l
            == "sources.toml:4: outlet \"tass\": unknown key \"feds\"; did you mean \"feeds\"?"),
        "{p:?}"
    );
    let p = problems("[defaults]\nrte = 1\n");
    assert_eq!(
        p,
        ["sources.toml:2: [defaults]: unknown key \"rte\"; did you mean \"rate\"?"]
    );
    let p = problems("[defualts]\n");
    assert!(p[0].contains("did you mean \"defaults\""), "{p:?}");
}

#[test]
fn bad_values_are_refused_before_any_fetch() {
    let text = r#"
[[outlet]]
name = "x"
homepage = "tass.com"
feeds = ["ftp://tass.com/rss"]
article_url = "(unclosed"
drop_selectors = ["p:first-child"]
charset = "klingon"
rate = -1
agency = "yes"
"#;
    let p = problems(text);
    let has = |needle: &str| p.iter().any(|l| l.contains(needle));
    assert!(
        has("sources.toml:4: outlet \"x\": \"homepage\": \"tass.com\" is not a URL"),
        "{p:?}"
    );
    assert!(
        has("sources.toml:5: outlet \"x\": \"feeds\": \"ftp://tass.com/rss\" is a ftp URL"),
        "{p:?}"
    );
    assert!(
        has("sources.toml:6: outlet \"x\": \"article_url\": bad regex"),
        "{p:?}"
    );
    assert!(
        has("sources.toml:7: outlet \"x\": \"drop_selectors\": unsupported CSS selector"),
        "{p:?}"
    );
    assert!(
        has("sources.toml:8: outlet \"x\": unknown charset \"klingon\""),
        "{p:?}"
    );
    assert!(
        has("sources.toml:9: outlet \"x\": \"rate\" must be between 0 and 1000"),
        "{p:?}"
    );
    assert!(
        has("sources.toml:10: outlet \"x\": \"agency\" must be true or false, not string"),
        "{p:?}"
    );
}

#[test]
fn structural_problems() {
    let text = "[[outlet]]\nhomepage = \"https://a.example/\"\nfeeds = [\"https://a.example/rss\"]\n[[outlet]]\nname = \"b\"\n[[outlet]]\nname = \"c\"\nhomepage = \"https://c.example/\"\nfeeds = [\"https://c.example/rss\"]\n[[outlet]]\nname = \"c\"\nhomepage = \"https://c.example/\"\nsections = [\"https://c.example/\"]\n";
    let p = problems(text);
    assert!(
        p.iter()
            .any(|l| l == "sources.toml:1: outlet has no \"name\"; add e.g. name = \"tass\""),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|l| l.starts_with("sources.toml:4: outlet \"b\": missing \"homepage\"")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|l| l.starts_with("sources.toml:11: outlet \"c\": the name is used twice")),
        "{p:?}"
    );
}

#[test]
fn syntax_errors_give_a_line() {
    let p = problems("[defaults]\nrate = = 1\n");
    assert_eq!(p.len(), 1);
    assert!(p[0].starts_with("sources.toml:2: not valid TOML"), "{p:?}");
}

#[test]
fn outlet_with_nothing_to_read() {
    let p = problems("[[outlet]]\nname = \"a\"\nhomepage = \"https://a.example/\"\n");
    assert_eq!(p, ["sources.toml:1: outlet \"a\": nothing to read: give at least one of feeds, sitemaps or sections"]);
}

#[test]
fn the_repository_sources_toml_is_valid() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sources.toml");
    let sources = load(&path).unwrap_or_else(|error| panic!("{error}"));
    let names: Vec<&str> = sources.outlets.iter().map(|o| o.name.as_str()).collect();
    for required in ["tass", "sputnik", "rt"] {
        assert!(names.contains(&required), "{names:?}");
    }
    assert!(sources.outlets.iter().filter(|o| o.agency).count() >= 3);
}

#[test]
fn missing_file_says_what_to_do() {
    let error = load(std::path::Path::new("/nonexistent/sources.toml")).expect_err("missing");
    assert!(error.to_string().contains("pass --config PATH"), "{error}");
}

// See: issue 12, item 11. An empty file was accepted, and the cron job
// silently did nothing.
#[test]
fn r12_a_config_without_outlets_is_refused() {
    for text in ["", "# nothing yet\n", "[defaults]\nrate = 2\n"] {
        let p = problems(text);
        assert_eq!(p.len(), 1, "{text:?}: {p:?}");
        assert!(
            p[0].starts_with("sources.toml: no outlet: add an [[outlet]]"),
            "{p:?}"
        );
    }
}

// See: issue 12, item 11. `feeds = "url"` was taken as a list of one.
#[test]
fn r12_a_string_where_a_list_belongs_names_the_key() {
    let text = "[[outlet]]\nname = \"a\"\nhomepage = \"https://a.example/\"\nfeeds = \"https://a.example/rss\"\n";
    let p = problems(text);
    assert_eq!(
        p,
        ["sources.toml:4: outlet \"a\": \"feeds\" must be a list of strings, not a string: write feeds = [\"https://a.example/rss\"]"]
    );
}

// See: issue 12, item 11. A non-UTF-8 file was "cannot read: stream did
// not contain valid UTF-8 (create it, or pass --config PATH)".
#[test]
fn r12_a_non_utf8_config_gets_its_offset_and_line() {
    let dir = std::env::temp_dir().join(format!("wirecopy-cfg-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("sources.toml");
    std::fs::write(&path, b"[[outlet]]\nname = \"\xcf\xf0\xe0\xe2\xe4\xe0\"\n").expect("write");
    let message = load(&path).expect_err("refused").to_string();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        message.ends_with(
            "sources.toml:2: not UTF-8 (byte offset 19, byte 0xcf); save the file as UTF-8"
        ),
        "{message}"
    );
}

// See: issue 12, item 12. Locating lines scanned the file from the top for
// every outlet: 16,000 outlets took 10.5 s. The last one's problem is still
// found on its line.
#[test]
fn r12_many_outlets_are_located_in_one_pass() {
    let n = 16_000;
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "[[outlet]]\nname = \"o{i}\"\nhomepage = \"https://o{i}.example/\"\nfeeds = [\"https://o{i}.example/rss\"]\n\n"
        ));
    }
    assert_eq!(parse(&text, "s.toml").expect("valid").outlets.len(), n);
    text.push_str("[[outlet]]\nname = \"last\"\nhomepage = \"https://l.example/\"\nfeds = []\n");
    let p = problems(&text);
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(
        p[0].starts_with(&format!("sources.toml:{}: outlet \"last\"", 5 * n + 1)),
        "{p:?}"
    );
}

#[test]
fn storage_url_names_a_postgres_database_and_excludes_path() {
    let with = |storage: &str| format!("{storage}\n{GOOD}");
    let s = parse(
        &with("[storage]\nurl = \"postgres://wirecopy@db.example/news\""),
        "sources.toml",
    )
    .expect("valid config");
    assert_eq!(
        s.storage.url.as_deref(),
        Some("postgres://wirecopy@db.example/news")
    );
    assert_eq!(s.storage.path, None);
    let p = problems(&with("[storage]\nurl = \"news.db\""));
    assert!(
        p.iter()
            .any(|m| m.contains("sources.toml:2:") && m.contains("a SQLite file goes in path")),
        "{p:?}"
    );
    let p = problems(&with(
        "[storage]\npath = \"w.db\"\nurl = \"postgresql://db.example/news\"",
    ));
    assert!(p.iter().any(|m| m.contains("mutually exclusive")), "{p:?}");
}

#[test]
fn f16_warc_keys_are_read_with_their_defaults() {
    let sources = parse(GOOD, "sources.toml").expect("valid");
    assert_eq!(sources.defaults.warc_dir, None);
    assert_eq!(sources.defaults.warc_max_mb, 1024);
    let text = GOOD.replace(
        "[defaults]\n",
        "[defaults]\nwarc_dir = \"archive\"\nwarc_max_mb = 5\n",
    );
    let sources = parse(&text, "sources.toml").expect("valid");
    assert_eq!(sources.defaults.warc_dir.as_deref(), Some("archive"));
    assert_eq!(sources.defaults.warc_max_mb, 5);
}

#[test]
fn f16_bad_warc_keys_name_their_lines() {
    let text = GOOD.replace(
        "[defaults]\n",
        "[defaults]\nwarc_dir = \"\"\nwarc_max_mb = 0\n",
    );
    let got = problems(&text);
    assert!(
        got.iter()
            .any(|p| p.starts_with("sources.toml:3: [defaults]: \"warc_dir\" is empty")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|p| p == "sources.toml:4: [defaults]: \"warc_max_mb\" must be at least 1, got 0"),
        "{got:?}"
    );
}

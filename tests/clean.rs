use std::path::Path;

use serde_json::Value;
use wirecopy::clean::{Cleaner, Error, Extraction, Overrides, Selector};

use crate::eqnice;
use crate::util::{fixtures, Dir};

/// Every `fixtures/pages/NAME.html` with its `NAME.expected.json`.
fn fixture_pages() -> Vec<(String, Vec<u8>, Value)> {
    let dir = fixtures().join("pages");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures/pages exists")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .filter_map(|n| n.strip_suffix(".html").map(String::from))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let html = std::fs::read(dir.join(format!("{name}.html"))).expect("read fixture page");
            let expected = std::fs::read_to_string(dir.join(format!("{name}.expected.json")))
                .expect("every fixture page has an .expected.json");
            let expected: Value = serde_json::from_str(&expected).expect("expected.json parses");
            (name, html, expected)
        })
        .collect()
}

fn field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

#[test]
fn fixture_pages_cover_the_required_kinds() {
    let names: Vec<String> = fixture_pages().into_iter().map(|p| p.0).collect();
    assert!(names.len() >= 8, "{names:?}");
    for required in [
        "agency_menus",
        "icon_sprite_header",
        "reprint_counters",
        "blog_comment_form",
        "cp1251_page",
        "koi8r_page",
        "jsonld_only",
        "read_also_inserts",
        "forum_thread",
        "nextjs_wrappers",
        "service_sections",
        "furigana_ruby",
        "code_and_table",
    ] {
        assert!(
            names.iter().any(|n| n == required),
            "missing fixture {required}"
        );
    }
}

#[test]
fn fixture_pages_give_exact_text_and_metadata() {
    let cleaner = Cleaner::default();
    for (name, html, expected) in fixture_pages() {
        let article = cleaner
            .clean(&html, None)
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        eqnice!(
            field(&expected, "text").unwrap_or(""),
            article.text,
            format!("{name}: text")
        );
        for (key, got) in [
            ("title", &article.title),
            ("byline", &article.byline),
            ("published", &article.published),
            ("dateline", &article.dateline),
            ("agency", &article.agency),
            ("lang", &article.lang),
            ("canonical_url", &article.canonical_url),
        ] {
            assert_eq!(field(&expected, key), got.as_deref(), "{name}: {key}");
        }
    }
}

#[test]
fn fixture_pages_leave_no_chrome_in_text() {
    let cleaner = Cleaner::default();
    for (name, html, expected) in fixture_pages() {
        let article = cleaner.clean(&html, None).expect("fixture cleans");
        let absent = expected["absent"].as_array().expect("absent list");
        assert!(absent.len() >= 5, "{name}: too few chrome items listed");
        for item in absent.iter().filter_map(Value::as_str) {
            assert!(
                !article.text.contains(item),
                "{name}: chrome {item:?} reached the text"
            );
        }
    }
}

/// Feeds the same Russian page in several encodings, with and without a
/// declaration, and expects the same article each time.
#[test]
fn charsets_decode_to_the_same_article() {
    let html = std::fs::read(fixtures().join("pages/cp1251_page.html")).expect("fixture");
    let reference = Cleaner::default()
        .clean(&html, None)
        .expect("cp1251 page cleans");
    assert!(
        reference
            .text
            .chars()
            .filter(|c| ('а'..='я').contains(c))
            .count()
            > 200
    );
    let (utf8, _, _) = encoding_rs::WINDOWS_1251.decode(&html);
    let undeclared = utf8
        .replace("charset=\"windows-1251\"", "")
        .replace("charset=windows-1251", "");
    let variants: Vec<(&str, Vec<u8>)> = vec![
        (
            "utf-8 with a stale windows-1251 declaration",
            utf8.as_bytes().to_vec(),
        ),
        ("utf-8, undeclared", undeclared.as_bytes().to_vec()),
        (
            "windows-1251, undeclared",
            encoding_rs::WINDOWS_1251.encode(&undeclared).0.into_owned(),
        ),
        (
            "koi8-r, undeclared",
            encoding_rs::KOI8_R.encode(&undeclared).0.into_owned(),
        ),
        (
            "utf-8 with BOM",
            [&[0xEF, 0xBB, 0xBF][..], undeclared.as_bytes()].concat(),
        ),
    ];
    for (what, bytes) in variants {
        let article = Cleaner::default()
            .clean(&bytes, None)
            .expect("variant cleans");
        eqnice!(reference.text, article.text, what);
        assert_eq!(reference.title, article.title, "{what}");
    }
}

#[test]
fn http_header_charset_wins_over_the_page() {
    let page = "<html><head><meta charset=\"utf-8\"></head><body><article><p>Министр заявил, что переговоры продолжатся в апреле, а делегации обменяются проектами документов.</p></article></body></html>";
    let bytes = encoding_rs::WINDOWS_1251.encode(page).0;
    let article = Cleaner::default()
        .clean_with_type(&bytes, None, Some("text/html; charset=windows-1251"))
        .expect("cleans");
    assert!(
        article.text.starts_with("Министр заявил"),
        "{}",
        article.text
    );
}

#[test]
fn hostile_input_errors_or_degrades_without_panicking() {
    let cleaner = Cleaner::default();
    assert!(matches!(cleaner.clean(b"", None), Err(Error::NoText)));
    assert!(matches!(
        cleaner.clean(b"   \n\t ", None),
        Err(Error::NoText)
    ));
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    assert!(matches!(
        cleaner.clean(png, None),
        Err(Error::NotHtml("a PNG image"))
    ));
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
    assert!(matches!(
        cleaner.clean(pdf, None),
        Err(Error::NotHtml("a PDF document"))
    ));

    let plain = "The committee met on Tuesday and agreed to publish its findings in May, officials said.\n\nA second meeting is planned for the summer.";
    let article = cleaner
        .clean(plain.as_bytes(), None)
        .expect("plain text is best-effort cleaned");
    assert!(article.text.contains("The committee met on Tuesday"));

    let truncated = "<html><body><article><p>The council approved the budget on Monday after a long debate, the chairman said.</p><p>Spending on roads will rise by a tenth next y";
    let article = cleaner
        .clean(truncated.as_bytes(), None)
        .expect("truncated HTML cleans");
    assert!(article.text.contains("will rise by a tenth next y"));

    let garbage = "<<<>>><//a b=\"<p>\n<!-- <p>unclosed <script>x</scr <div <p>Text & more &#xZZ; &#99999999; </";
    let _ = cleaner.clean(garbage.as_bytes(), None);
}

#[test]
fn deep_nesting_is_linear_and_keeps_the_text() {
    let depth = 100_000;
    let mut page = String::with_capacity(depth * 12);
    page.push_str("<html><body>");
    for _ in 0..depth {
        page.push_str("<div>");
    }
    page.push_str("<p>The deepest paragraph of the page still carries the article, the editors said on Friday.</p>");
    for _ in 0..depth {
        page.push_str("</div>");
    }
    let article = Cleaner::default()
        .clean(page.as_bytes(), None)
        .expect("cleans");
    assert!(
        article.text.contains("The deepest paragraph"),
        "{}",
        article.text
    );
}

#[test]
fn oversized_input_is_refused_with_a_clear_error() {
    let big = vec![b'a'; 50 * 1024 * 1024];
    let error = Cleaner::default()
        .clean(&big, None)
        .expect_err("50 MB is over the cap");
    assert!(matches!(error, Error::TooLarge { size, .. } if size == big.len()));
    assert!(error.to_string().contains("over the"), "{error}");
}

#[test]
fn outlet_overrides_choose_and_drop() {
    let page = br#"<html><body><div class="story"><p>The port reopened on Monday after a week of repairs, the harbour master said.</p><p class="promo">Subscribe to our morning digest for the best stories of the day.</p></div><div class="other"><p>A completely different text sits in this long block about gardening and roses and tulips.</p><p>Another paragraph on gardening in spring, with more words about roses and tulips and soil.</p></div></body></html>"#;
    let overrides = Overrides {
        body: Some(Selector::parse("div.story").expect("valid selector")),
        drop: vec![Selector::parse(".promo").expect("valid selector")],
    };
    let article = Cleaner::default()
        .overrides(overrides)
        .clean(page, None)
        .expect("cleans");
    assert_eq!(
        article.text,
        "The port reopened on Monday after a week of repairs, the harbour master said."
    );
}

#[test]
fn structure_survives_in_the_body() {
    let page = br#"<html lang="en"><body><article>
      <p>First paragraph of the report, which is long enough to count as prose for the scorer.</p>
      <h2>What comes next</h2>
      <ul><li>Talks resume in April, both sides confirmed on Monday.</li><li>A summit may follow in the summer.</li></ul>
      <blockquote><p>We are ready to continue, the envoy said.</p></blockquote>
      <p>Old style<br><br>paragraphs split by double breaks, and a single<br>break is a space.</p>
    </article></body></html>"#;
    let article = Cleaner::default().clean(page, None).expect("cleans");
    let paragraphs: Vec<&str> = article.paragraphs().collect();
    assert_eq!(
        paragraphs,
        [
            "First paragraph of the report, which is long enough to count as prose for the scorer.",
            "What comes next",
            "Talks resume in April, both sides confirmed on Monday.",
            "A summit may follow in the summer.",
            "We are ready to continue, the envoy said.",
            "Old style",
            "paragraphs split by double breaks, and a single break is a space.",
        ]
    );
}

/// Copies `fixtures/pages/<file name of name>` to `name` in `dir`.
fn write_fixture(dir: &Dir, name: &str) -> std::path::PathBuf {
    let file = Path::new(name).file_name().expect("file name");
    let bytes = std::fs::read(fixtures().join("pages").join(file)).expect("fixture");
    dir.create(name, bytes)
}

#[test]
fn cli_text_json_and_jsonl() {
    let dir = Dir::new("cli-clean");
    write_fixture(&dir, "agency_menus.html");
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("pages/agency_menus.expected.json"))
            .expect("fixture"),
    )
    .expect("json");
    let title = field(&expected, "title").expect("title");

    let text = dir.command().args(["clean", "agency_menus.html"]).stdout();
    assert!(text.starts_with(&format!("{title}\n\n")), "{text}");
    assert!(text.trim_end().ends_with(
        field(&expected, "text")
            .expect("text")
            .rsplit("\n\n")
            .next()
            .expect("para")
    ));

    let json = dir
        .command()
        .args([
            "clean",
            "--format",
            "json",
            "--url",
            "https://tass.com/x",
            "agency_menus.html",
        ])
        .stdout();
    let v: Value = serde_json::from_str(&json).expect("json output parses");
    for key in [
        "path",
        "url",
        "title",
        "byline",
        "published",
        "dateline",
        "agency",
        "lang",
        "canonical_url",
        "text",
        "error",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {json}");
    }
    assert_eq!(v["url"], "https://tass.com/x");
    assert_eq!(v["agency"], expected["agency"]);
    assert!(v["error"].is_null());
}

#[test]
fn cli_batch_reports_bad_files_and_goes_on() {
    let dir = Dir::new("cli-batch");
    write_fixture(&dir, "pages/agency_menus.html");
    write_fixture(&dir, "pages/blog_comment_form.html");
    dir.create("pages/empty.html", "");
    dir.create("pages/image.htm", b"\x89PNG\r\n\x1a\n\0\0\0\0");
    dir.create("pages/notes.txt", "not picked up: wrong extension");
    let out = dir.command().args(["clean", "pages"]).assert_exit_code(1);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl line"))
        .collect();
    let paths: Vec<&str> = lines.iter().filter_map(|v| v["path"].as_str()).collect();
    assert_eq!(
        paths,
        [
            "pages/agency_menus.html",
            "pages/blog_comment_form.html",
            "pages/empty.html",
            "pages/image.htm"
        ]
    );
    assert!(lines[0]["error"].is_null() && lines[1]["error"].is_null());
    assert_eq!(lines[2]["error"], "no article text found");
    assert!(lines[3]["error"]
        .as_str()
        .is_some_and(|e| e.contains("PNG")));
    assert!(lines[3]["text"].is_null());
}

#[test]
fn cli_reads_stdin_and_names_missing_paths() {
    let dir = Dir::new("cli-stdin");
    let out = dir.command().args(["clean", "missing.html"]).output();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("missing.html"), "{stderr}");

    let page = fixtures().join("pages/reprint_counters.html");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wirecopy"))
        .args(["clean", "--format", "jsonl", "-"])
        .stdin(std::fs::File::open(&page).expect("fixture"))
        .output()
        .expect("run");
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).expect("json line");
    assert_eq!(v["path"], "<stdin>");
    assert!(Path::new(&page).exists());
}

#[test]
fn cli_caps_input_size_without_reading_it_all() {
    let dir = Dir::new("cli-cap");
    dir.create(
        "big.html",
        format!("<html><body><p>{}</p></body></html>", "word ".repeat(1000)),
    );
    let out = dir
        .command()
        .args([
            "clean",
            "--max-bytes",
            "1000",
            "--format",
            "jsonl",
            "big.html",
        ])
        .assert_exit_code(1);
    let v: Value = serde_json::from_str(out.trim()).expect("json line");
    let error = v["error"].as_str().expect("an error");
    assert!(
        error.contains("1000-byte limit") && error.contains("--max-bytes"),
        "{error}"
    );
}

#[test]
fn long_comment_threads_never_become_the_article() {
    let comment = "<li class=\"comment\"><p>I have read this twice and I still think the council is wrong about the budget, \
        because the roads in our district have not been repaired for years, and nobody answers our letters.</p></li>";
    let page = format!(
        "<html><body><article><h1>Council approves budget</h1>\
         <p>The city council approved next year's budget on Tuesday after a debate that lasted most of the night, officials said.</p>\
         <p>Spending on roads will rise by a tenth, while the parks department faces cuts, the finance committee said.</p></article>\
         <div id=\"comments\"><h3>42 comments</h3><ol class=\"comment-list\">{}</ol></div></body></html>",
        comment.repeat(40)
    );
    let article = Cleaner::default()
        .clean(page.as_bytes(), None)
        .expect("cleans");
    assert!(
        article.text.starts_with("The city council approved"),
        "{}",
        article.text
    );
    assert!(
        !article.text.contains("I have read this twice"),
        "{}",
        article.text
    );
}

/// Gzip-compresses `bytes` as a `.gz` file on disk would hold them.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("gzip in memory");
    enc.finish().expect("gzip in memory")
}

#[test]
fn cli_reads_gzipped_pages_and_directories_of_them() {
    let dir = Dir::new("cli-gz");
    let html = std::fs::read(fixtures().join("pages/agency_menus.html")).expect("fixture");
    write_fixture(&dir, "agency_menus.html");
    let plain = dir
        .command()
        .args(["clean", "--format", "jsonl", "agency_menus.html"])
        .stdout();
    let plain: Value = serde_json::from_str(plain.trim()).expect("json line");
    dir.create("archive/a/one.html.gz", gzip(&html));
    dir.create("archive/two.HTM.GZ", gzip(&html));
    dir.create("archive/skip.txt.gz", gzip(b"not a page"));
    let one = dir
        .command()
        .args(["clean", "--format", "jsonl", "archive/a/one.html.gz"])
        .stdout();
    let one: Value = serde_json::from_str(one.trim()).expect("json line");
    assert_eq!(one["text"], plain["text"]);
    assert_eq!(one["title"], plain["title"]);
    let out = dir.command().args(["clean", "archive"]).stdout();
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl line"))
        .collect();
    let paths: Vec<&str> = lines.iter().filter_map(|v| v["path"].as_str()).collect();
    assert_eq!(paths, ["archive/a/one.html.gz", "archive/two.HTM.GZ"]);
    assert!(lines.iter().all(|v| v["text"] == plain["text"]));
}

/// Cleans `fixtures/pages/NAME.html`.
fn clean_fixture(name: &str) -> wirecopy::clean::Article {
    let html = std::fs::read(fixtures().join(format!("pages/{name}.html"))).expect("fixture");
    Cleaner::default()
        .clean(&html, None)
        .expect("fixture cleans")
}

// See: issue 10 (the cleaner on pages it has never seen).
#[test]
fn f10_forum_posts_are_the_content() {
    let article = clean_fixture("forum_thread");
    for post in [
        "Does anyone know when the winter timetable",
        "It changes on the seventeenth",
        "Thank you, that is a great help.",
        "Worth knowing as well",
    ] {
        assert!(article.text.contains(post), "{post}: {}", article.text);
    }
    assert!(
        !article.text.contains("Suggested topics"),
        "{}",
        article.text
    );
}

#[test]
fn f10_app_wrappers_with_chrome_names_do_not_hide_the_article() {
    // `#__next` reads as "next" (pagination) and `widget` as a sidebar
    // widget; under strict pruning they hide everything.
    let article = clean_fixture("nextjs_wrappers");
    assert_eq!(article.extraction, Extraction::LightPruning);
    assert!(article.text.starts_with("When the river burst its banks"));
    assert!(article
        .text
        .ends_with("keeps the grass short and the soil open to the water."));
}

#[test]
fn f10_every_section_of_a_service_page_is_kept() {
    let article = clean_fixture("service_sections");
    for part in [
        "Our engineers service and repair",
        "What an annual service covers",
        "We quote a fixed price",
        "We cover the towns and villages",
    ] {
        assert!(article.text.contains(part), "{part}: {}", article.text);
    }
    assert!(!article.text.contains("Book a service now"));
}

#[test]
fn f10_ruby_readings_are_dropped() {
    let article = clean_fixture("furigana_ruby");
    assert!(
        article
            .text
            .starts_with("港町の中心部に、新しい図書館が開館しました。"),
        "{}",
        article.text
    );
    assert!(!article.text.contains('('), "{}", article.text);
}

#[test]
fn f10_pre_keeps_its_lines_and_tables_come_out_as_rows() {
    let article = clean_fixture("code_and_table");
    let paragraphs: Vec<&str> = article.paragraphs().collect();
    assert!(paragraphs.contains(
        &"$ tidekit table --station \"North Pier\" --date 2025-03-14\n  high  04:12  5.1 m\n  low   10:31  0.9 m"
    ), "{paragraphs:#?}");
    for row in [
        "Column | Meaning",
        "kind | high or low water",
        "height | metres above chart datum",
    ] {
        assert!(paragraphs.contains(&row), "{row}: {paragraphs:#?}");
    }
}

#[test]
fn f10_a_page_of_prose_is_never_empty() {
    // Every wrapper carries a chrome word and the prose is split into
    // short parts: the strict pass finds nothing, the cascade must.
    let para = "<div class=\"widget meta\"><div class=\"caption\">The harbour board met on Monday and agreed, after a long debate, to rebuild the old sea wall before the winter storms.</div></div>";
    let page = format!(
        "<html><body><div class=\"sidebar-layout\"><div class=\"teaser-grid\">{}</div></div></body></html>",
        para.repeat(6)
    );
    let article = Cleaner::default()
        .clean(page.as_bytes(), None)
        .expect("a page of prose gives text");
    assert!(article.extraction.is_fallback(), "{:?}", article.extraction);
    assert!(article.text.contains("The harbour board met on Monday"));

    // A page whose only text is a list of links still gives its links.
    let links: String = (0..8)
        .map(|i| format!("<li><a href=\"/s/{i}\">Harbour story number {i} of the week</a></li>"))
        .collect();
    let page = format!("<html><body><div class=\"list\"><ul>{links}</ul></div></body></html>");
    let article = Cleaner::default()
        .clean(page.as_bytes(), None)
        .expect("a page of links gives text");
    assert!(
        article.text.contains("Harbour story number 7"),
        "{}",
        article.text
    );
}

#[test]
fn f10_replies_are_content_on_a_thread_and_chrome_on_an_article() {
    let reply = |who: &str| {
        format!(
            "<div class=\"comment reply\"><p>{who} here: I had the same trouble with the night ferry last winter, \
             and the only thing that helped was booking the earlier sailing and waiting at the harbour cafe.</p></div>"
        )
    };
    let replies: String = ["Ann", "Bo", "Cy", "Di", "Ed"]
        .iter()
        .map(|w| reply(w))
        .collect();
    let question = "<div class=\"question\"><p>Which sailing should I take to reach the island before the clinic opens at nine? The winter timetable has changed, and the operator's page still shows the summer times.</p></div>";
    let thread = format!(
        "<html><head><script type=\"application/ld+json\">{{\"@type\":\"QAPage\"}}</script></head>\
         <body><main>{question}<div id=\"comments\">{replies}</div></main></body></html>"
    );
    let article = Cleaner::default()
        .clean(thread.as_bytes(), None)
        .expect("thread cleans");
    assert_eq!(article.extraction, Extraction::Thread);
    assert!(
        article.text.contains("Which sailing should I take"),
        "{}",
        article.text
    );
    assert!(article.text.contains("Ed here:"), "{}", article.text);

    // The same page at a thread's address, without the markup.
    let plain = thread.replace("{\"@type\":\"QAPage\"}", "{}");
    let article = Cleaner::default()
        .clean(
            plain.as_bytes(),
            Some("https://forum.example/t/night-ferry/42"),
        )
        .expect("thread cleans");
    assert!(article.text.contains("Ed here:"), "{}", article.text);
    // And as a news article: the replies stay out.
    let article = Cleaner::default()
        .clean(
            plain.as_bytes(),
            Some("https://news.example/2025/ferry-times"),
        )
        .expect("article cleans");
    assert!(!article.text.contains("Ed here:"), "{}", article.text);
}

#[test]
fn f10_explain_names_the_cascade_step() {
    let dir = Dir::new("cli-explain-step");
    write_fixture(&dir, "nextjs_wrappers.html");
    let out = dir
        .command()
        .args([
            "clean",
            "--explain",
            "When the river burst",
            "nextjs_wrappers.html",
        ])
        .stdout();
    assert!(out.contains("text produced by: light-pruning"), "{out}");
    let json = dir
        .command()
        .args(["clean", "--format", "json", "nextjs_wrappers.html"])
        .stdout();
    let v: Value = serde_json::from_str(&json).expect("json output parses");
    assert_eq!(v["extraction"], "light-pruning");
}

#[test]
fn f10_explain_of_text_not_on_the_page_exits_1() {
    let dir = Dir::new("cli-explain-missing");
    write_fixture(&dir, "nextjs_wrappers.html");
    let out = dir
        .command()
        .args([
            "clean",
            "--explain",
            "a sentence this page never had",
            "nextjs_wrappers.html",
        ])
        .output();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("is not in 1 of 1 input"), "{err}");
}

#[test]
fn f10_a_body_selector_that_matches_nothing_says_so() {
    let dir = Dir::new("cli-selector-nothing");
    write_fixture(&dir, "nextjs_wrappers.html");
    let out = dir
        .command()
        .args([
            "clean",
            "--body-selector",
            "div.no-such-wrapper",
            "nextjs_wrappers.html",
        ])
        .output();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("--body-selector \"div.no-such-wrapper\" matches no element"),
        "{err}"
    );
    let out = dir
        .command()
        .args(["clean", "--body-selector", "body", "nextjs_wrappers.html"])
        .output();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("matches no element"),
        "a matching selector is not reported"
    );
}

// ---------------------------------------------------------------------------
// Metadata: publication date, title and byline (src/clean/date.rs, meta.rs).
// Invented pages; each pins one source of the date end to end.
// ---------------------------------------------------------------------------

/// An invented article page with `head` in its `<head>` and `header` between
/// its headline and its text.
fn meta_page(head: &str, header: &str) -> Vec<u8> {
    format!(
        "<html lang=\"en\"><head><title>Ferry timetable changes this spring | Harbour News</title>{head}</head>\
         <body><article><h1>Ferry timetable changes this spring</h1>{header}\
         <p>The harbour office said on Tuesday that the new ferry timetable would apply from Monday, \
         with two extra crossings in the morning and one fewer late in the evening.</p>\
         <p>Passengers with season tickets do not need to renew them, the office added.</p></article></body></html>"
    )
    .into_bytes()
}

fn published_of(page: &[u8], url: Option<&str>) -> Option<String> {
    let article = Cleaner::default().clean(page, url).expect("cleans");
    article.published.map(|p| p.chars().take(10).collect())
}

#[test]
fn meta_date_from_each_source() {
    let meta = meta_page(
        r#"<meta property="article:published_time" content="2024-03-05T10:00:00+01:00">"#,
        "",
    );
    assert_eq!(published_of(&meta, None).as_deref(), Some("2024-03-05"));
    let ld = meta_page(
        r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-03-05","dateModified":"2024-04-01"}</script>"#,
        "",
    );
    assert_eq!(published_of(&ld, None).as_deref(), Some("2024-03-05"));
    let time = meta_page(
        "",
        r#"<time datetime="2024-03-05T08:00:00Z">5 March</time>"#,
    );
    assert_eq!(published_of(&time, None).as_deref(), Some("2024-03-05"));
    let shown = meta_page(
        "",
        r#"<div class="byline">By Ann Lee · March 5, 2024</div>"#,
    );
    assert_eq!(published_of(&shown, None).as_deref(), Some("2024-03-05"));
    let url = meta_page("", "");
    assert_eq!(
        published_of(&url, Some("https://harbour.example/2024/03/05/ferry")).as_deref(),
        Some("2024-03-05")
    );
    assert_eq!(published_of(&url, None), None);
}

#[test]
fn meta_date_keeps_the_original_over_the_update() {
    let page = meta_page(
        r#"<meta property="article:published_time" content="2024-03-05T10:00:00Z">
           <meta property="article:modified_time" content="2024-06-01T10:00:00Z">"#,
        r#"<p class="updated">Last updated: June 1, 2024</p>"#,
    );
    let article = Cleaner::default().clean(&page, None).expect("cleans");
    assert_eq!(
        article.published.as_deref(),
        Some("2024-03-05T10:00:00+00:00")
    );
    assert_eq!(
        article.title.as_deref(),
        Some("Ferry timetable changes this spring")
    );
}

#[test]
fn meta_byline_loses_labels_and_dates() {
    let page = meta_page(
        "",
        r#"<div class="byline">By Ann Lee · March 5, 2024 · 3 min read</div>"#,
    );
    let article = Cleaner::default().clean(&page, None).expect("cleans");
    assert_eq!(article.byline.as_deref(), Some("Ann Lee"));
}

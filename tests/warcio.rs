//! Issue 16: interop with warcio, the Python WARC library Common Crawl's
//! tools use. `warcio check` and `warcio index` read every file `run
//! --warc` writes; a WARC that warcio writes of the demo outlets' pages
//! imports to the clusters of a live run.
//!
//! warcio lives in a throwaway venv under the target directory
//! (`target/tmp/warcio-venv`, made once with `python3 -m venv` and `pip
//! install warcio==1.8.1`). Without Python, venv or PyPI the tests print
//! why and pass; under `CI=true` they fail instead, so CI cannot skip them
//! silently.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use crate::archive::{clusters, warc_files, Demo};

/// The warcio version the tests install.
const WARCIO: &str = "warcio==1.8.1";

/// Writes a gzipped WARC of the given URLs with warcio: each is fetched
/// with urllib and written as a `response` record with its request, as
/// warcio's own writer lays them out.
const WRITE_WARC: &str = r#"
import sys, urllib.request
from io import BytesIO
from warcio.warcwriter import WARCWriter
from warcio.statusandheaders import StatusAndHeaders

urls_file, out = sys.argv[1], sys.argv[2]
with open(out, "wb") as stream:
    writer = WARCWriter(stream, gzip=True)
    for url in open(urls_file).read().split():
        with urllib.request.urlopen(url) as reply:
            body = reply.read()
            headers = StatusAndHeaders(
                "%d %s" % (reply.status, reply.reason),
                list(reply.headers.items()),
                protocol="HTTP/1.1",
            )
        record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers)
        writer.write_record(record)
"#;

/// The venv's `bin/` directory, or why there is none.
fn venv() -> &'static Result<PathBuf, String> {
    static VENV: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    VENV.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("warcio-venv");
        let bin = dir.join("bin");
        if bin.join("warcio").is_file() {
            return Ok(bin);
        }
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&dir)
            .output()
            .map_err(|error| format!("python3 is not available ({error})"))?;
        if !made.status.success() {
            return Err(format!(
                "python3 -m venv failed: {}",
                String::from_utf8_lossy(&made.stderr).trim()
            ));
        }
        let pip = Command::new(bin.join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", WARCIO])
            .output()
            .map_err(|error| format!("pip did not start ({error})"))?;
        if !pip.status.success() {
            return Err(format!(
                "pip install {WARCIO} failed: {}",
                String::from_utf8_lossy(&pip.stderr).trim()
            ));
        }
        Ok(bin)
    })
}

/// The venv's `bin/`, or `None` after printing why the test is skipped.
/// Panics instead under `CI=true`.
fn warcio_or_skip(test: &str) -> Option<PathBuf> {
    match venv() {
        Ok(bin) => Some(bin.clone()),
        Err(reason) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{test}: warcio is required under CI=true: {reason}")
        }
        Err(reason) => {
            eprintln!("skipping {test}: {reason}");
            None
        }
    }
}

#[test]
fn f16_warcio_checks_and_indexes_every_file_a_run_writes() {
    let Some(bin) = warcio_or_skip("f16_warcio_checks_and_indexes_every_file_a_run_writes") else {
        return;
    };
    let demo = Demo::start("warcio-check");
    // A small cap, so the run rotates and every file is checked; then a
    // second run, with its 304s as revisit records.
    let text = std::fs::read_to_string(&demo.config).expect("config");
    let text = text.replacen("[defaults]\n", "[defaults]\nwarc_max_mb = 1\n", 1);
    std::fs::write(&demo.config, text).expect("config");
    demo.run("run.db", &["--warc", "warc"], 0);
    demo.run("run.db", &["--warc", "warc"], 0);
    let files = warc_files(&demo.dir.path.join("warc"));
    assert!(files.len() >= 2, "{files:?}");
    for file in &files {
        let check = Command::new(bin.join("warcio"))
            .args(["check", "-v"])
            .arg(file)
            .output()
            .expect("warcio check");
        let said = String::from_utf8_lossy(&check.stdout);
        assert!(
            check.status.success(),
            "warcio check {}:\n{said}{}",
            file.display(),
            String::from_utf8_lossy(&check.stderr)
        );
        assert!(!said.contains("digest failed"), "{said}");
        let index = Command::new(bin.join("warcio"))
            .args(["index", "-f", "warc-type,warc-target-uri,offset,length"])
            .arg(file)
            .output()
            .expect("warcio index");
        assert!(index.status.success(), "warcio index {}", file.display());
        let lines = String::from_utf8_lossy(&index.stdout);
        assert!(
            lines.lines().next().is_some_and(|l| l.contains("warcinfo")),
            "{lines}"
        );
        let ours = wirecopy::archive::WarcReader::open(file, 1 << 24)
            .expect("opens")
            .count();
        assert_eq!(lines.lines().count(), ours, "warcio sees every record");
    }
}

#[test]
fn f16_a_warcio_written_warc_of_the_demo_pages_imports_to_the_live_clusters() {
    let Some(bin) =
        warcio_or_skip("f16_a_warcio_written_warc_of_the_demo_pages_imports_to_the_live_clusters")
    else {
        return;
    };
    let demo = Demo::start("warcio-import");
    demo.run("live.db", &[], 0);
    let live = clusters(&demo.dir.path.join("live.db"));
    let urls: Vec<String> = live.iter().flatten().cloned().collect();
    assert_eq!(urls.len(), 37);
    let list = demo.dir.create("urls.txt", urls.join("\n"));
    let script = demo.dir.create("write_warc.py", WRITE_WARC);
    let warc = demo.dir.path.join("warcio.warc.gz");
    let wrote = Command::new(bin.join("python"))
        .arg(&script)
        .arg(&list)
        .arg(&warc)
        .output()
        .expect("python");
    assert!(
        wrote.status.success(),
        "{}",
        String::from_utf8_lossy(&wrote.stderr)
    );
    let config = demo.config.to_str().expect("utf-8 path");
    let out = demo.import(
        "import.db",
        &["--config", config, warc.to_str().expect("path")],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("37 pages (HTML 200)"), "{stdout}");
    assert_eq!(clusters(&demo.dir.path.join("import.db")), live);
}

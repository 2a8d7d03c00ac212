//! Issue 16: `run --warc` writes what a run fetched; `import` clusters the
//! pages of WARC files as a run would. Interop with warcio is in
//! `tests/warcio.rs`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use wirecopy::archive::{field, WarcReader};
use wirecopy::store::SqliteStore;

pub use crate::demo_sites::{clusters, DemoSites as Demo};
use crate::util::Dir;

/// Every WARC file under `dir`, sorted by name (so by time).
pub fn warc_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("WARC directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    files.sort();
    files
}

/// (type, target URI, HTTP status line) of every record of a file.
fn records(path: &Path) -> Vec<(String, String, String)> {
    WarcReader::open(path, 1 << 24)
        .expect("opens")
        .map(|entry| {
            let record = entry.expect("every record is valid").record;
            let status = String::from_utf8_lossy(&record.block)
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned();
            (
                record.kind().to_owned(),
                record.get(field::TARGET_URI).unwrap_or_default().to_owned(),
                status,
            )
        })
        .collect()
}

#[test]
fn f16_run_warc_records_every_exchange_and_a_second_run_starts_a_new_file() {
    let demo = Demo::start("warc-run");
    demo.run("run.db", &["--warc", "warc"], 0);
    let files = warc_files(&demo.dir.path.join("warc"));
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().expect("name").to_string_lossy();
    assert!(name.starts_with("wirecopy-2"), "{name}");
    let got = records(&files[0]);
    assert_eq!(got[0].0, "warcinfo");
    let responses = got.iter().filter(|r| r.0 == "response").count();
    let requests = got.iter().filter(|r| r.0 == "request").count();
    assert_eq!(requests, responses, "a request for every response");
    assert!(
        got.iter()
            .any(|r| r.0 == "response" && r.1.ends_with("/robots.txt") && r.2.contains(" 200 ")),
        "robots.txt is recorded"
    );
    // Every stored article's page is in the archive, as a 200.
    let stored: BTreeSet<String> = clusters(&demo.dir.path.join("run.db"))
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(stored.len(), 37);
    for url in &stored {
        assert!(
            got.iter()
                .any(|r| r.0 == "response" && &r.1 == url && r.2.contains(" 200 ")),
            "{url} recorded"
        );
    }
    // The second run revalidates its feeds: 304s, recorded as revisits, in
    // a new file; the first file is left as it was.
    let first = std::fs::read(&files[0]).expect("first file");
    demo.run("run.db", &["--warc", "warc"], 0);
    let files = warc_files(&demo.dir.path.join("warc"));
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(std::fs::read(&files[0]).expect("first file"), first);
    let second = records(&files[1]);
    assert!(
        second
            .iter()
            .any(|r| r.0 == "revisit" && r.2.contains(" 304 ")),
        "{second:?}"
    );
}

#[test]
fn f16_warc_dir_in_defaults_is_relative_to_the_config() {
    let demo = Demo::start("warc-defaults");
    let text = std::fs::read_to_string(&demo.config).expect("config");
    let text = text.replacen("[defaults]\n", "[defaults]\nwarc_dir = \"archive\"\n", 1);
    std::fs::write(&demo.config, text).expect("config");
    demo.run("run.db", &[], 0);
    assert_eq!(warc_files(&demo.dir.path.join("archive")).len(), 1);
}

#[test]
fn f16_importing_a_runs_warc_gives_its_clusters_and_a_second_import_adds_nothing() {
    let demo = Demo::start("warc-import");
    demo.run("run.db", &["--warc", "warc"], 0);
    let files = warc_files(&demo.dir.path.join("warc"));
    let file = files[0].to_str().expect("utf-8 path");
    let config = demo.config.to_str().expect("utf-8 path");
    let out = demo.import("import.db", &["--config", config, file]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("37 new articles, 22 new clusters, 15 reprints joined, 0 errors"),
        "{stdout}"
    );
    let live = clusters(&demo.dir.path.join("run.db"));
    assert_eq!(clusters(&demo.dir.path.join("import.db")), live);
    // Outlets come from the config by host.
    let store = SqliteStore::open(&demo.dir.path.join("import.db")).expect("db");
    let outlets: i64 = store
        .connection()
        .query_row("SELECT COUNT(DISTINCT outlet_id) FROM articles", [], |r| {
            r.get(0)
        })
        .expect("outlets");
    assert_eq!(outlets, 6);
    let runs: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM runs", [], |r| r.get(0))
        .expect("runs");
    assert_eq!(runs, 1, "the import is recorded as a run");
    drop(store);
    let again = demo.import("import.db", &["--config", config, file]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(again.status.success(), "{stdout}");
    assert!(
        stdout.contains(", 37 already stored, 0 new articles,"),
        "{stdout}"
    );
}

#[test]
fn f16_a_corrupt_record_is_named_by_file_and_offset_and_the_rest_is_imported() {
    let demo = Demo::start("warc-corrupt");
    demo.run("run.db", &["--warc", "warc"], 0);
    let path = warc_files(&demo.dir.path.join("warc")).remove(0);
    let entries: Vec<_> = WarcReader::open(&path, 1 << 24)
        .expect("opens")
        .map(|e| e.expect("valid"))
        .collect();
    // Garble one article's response member.
    let (i, target) = entries
        .iter()
        .enumerate()
        .find(|(_, e)| {
            e.record.kind() == "response"
                && e.record
                    .get(field::TARGET_URI)
                    .is_some_and(|u| u.ends_with(".html"))
        })
        .map(|(i, e)| {
            (
                i,
                e.record
                    .get(field::TARGET_URI)
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .expect("an article response");
    let (start, end) = (entries[i].offset as usize, entries[i + 1].offset as usize);
    let mut bytes = std::fs::read(&path).expect("read");
    for b in &mut bytes[start + 30..end - 30] {
        *b = !*b;
    }
    std::fs::write(&path, &bytes).expect("write");
    let config = demo.config.to_str().expect("utf-8 path");
    let out = demo.import(
        "import.db",
        &["--config", config, path.to_str().expect("path")],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let named = format!("{}: at offset {start}: ", path.display());
    assert!(stderr.contains(&named), "{named} in {stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("36 new articles"), "{stdout}");
    let imported: BTreeSet<String> = clusters(&demo.dir.path.join("import.db"))
        .into_iter()
        .flatten()
        .collect();
    assert!(!imported.contains(&target));
}

#[test]
fn f16_unknown_hosts_become_outlets_unless_outlet_names_one() {
    let demo = Demo::start("warc-hosts");
    demo.run("run.db", &["--warc", "warc"], 0);
    let file = warc_files(&demo.dir.path.join("warc")).remove(0);
    let file = file.to_str().expect("path");
    // No config: one outlet per host and port, named after it.
    std::fs::rename(&demo.config, demo.dir.path.join("elsewhere.toml")).expect("move config");
    let out = demo.import("hosts.db", &[file]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names = |db: &str| -> BTreeSet<String> {
        let store = SqliteStore::open(&demo.dir.path.join(db)).expect("db");
        let mut st = store
            .connection()
            .prepare("SELECT DISTINCT o.name FROM articles a JOIN outlets o ON o.id = a.outlet_id")
            .expect("query");
        let names = st
            .query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        names
    };
    let tass = demo.server.origin("tass").expect("tass");
    let tass_host = tass.trim_start_matches("http://").to_owned();
    let got = names("hosts.db");
    assert_eq!(got.len(), 6, "{got:?}");
    assert!(got.contains(&tass_host), "{got:?}");
    let out = demo.import("one.db", &["--outlet", "archive", file]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(names("one.db"), BTreeSet::from(["archive".to_owned()]));
}

#[test]
fn f16_a_killed_run_leaves_a_readable_warc_and_the_next_run_starts_a_new_file() {
    let demo = Demo::start("warc-killed");
    // Sputnik's feed hangs, so the run is still going when it is killed,
    // with the other outlets' pages recorded.
    let feed = "/export/atom.xml";
    demo.server.set_fault(
        "sputnik",
        feed,
        wirecopy::sites::Fault::Delay(std::time::Duration::from_secs(60)),
    );
    let config = demo.config.to_str().expect("utf-8 path");
    let mut child = demo
        .dir
        .command()
        .args([
            "run", "--config", config, "--db", "run.db", "--warc", "warc",
        ])
        .spawn();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let log = demo.server.requests();
        // The log has answered requests only: the hung feed is not in it.
        let articles = log.iter().filter(|r| r.path.ends_with(".html")).count();
        if articles >= 10 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the run never got going: {:?}",
            log.iter()
                .map(|r| format!("{} {}", r.site, r.path))
                .collect::<Vec<_>>()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        child.try_wait().expect("child state").is_none(),
        "the run ended before it was killed"
    );
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    let files = warc_files(&demo.dir.path.join("warc"));
    assert_eq!(files.len(), 1);
    let read: Vec<_> = WarcReader::open(&files[0], 1 << 24)
        .expect("opens")
        .collect();
    let broken = read.iter().filter(|e| e.is_err()).count();
    assert!(broken <= 1, "at most the last record is cut: {read:?}");
    assert!(read.last().is_some_and(|e| e.is_ok()) || broken == 1);
    let pages = read
        .iter()
        .filter_map(|e| e.as_ref().ok())
        .filter(|e| e.record.kind() == "response")
        .count();
    assert!(pages >= 10, "{pages} responses recorded before the kill");
    demo.server.clear_fault("sputnik", feed);
    demo.run("run.db", &["--warc", "warc"], 0);
    let files = warc_files(&demo.dir.path.join("warc"));
    assert_eq!(files.len(), 2, "the next run starts a new file");
    assert!(WarcReader::open(&files[1], 1 << 24)
        .expect("opens")
        .all(|e| e.is_ok()));
}

#[test]
fn f16_a_missing_file_is_named_and_no_database_is_created() {
    let dir = Dir::new("warc-missing");
    let out = dir
        .command()
        .args(["import", "--db", "never.db", "no-such.warc.gz"])
        .output();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no-such.warc.gz"), "{stderr}");
    assert!(!dir.path.join("never.db").exists());
}

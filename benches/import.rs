//! `wirecopy import` over generated WARC files: pages a second on one core
//! and peak resident memory, per file size.
//!
//! Generates one gzip-per-record WARC per size under
//! `target/tmp/bench-import/` (article pages of about 9 KB of invented
//! words, see [`story`], five outlets, a third of the pages reprints of
//! outlet 0's story, each page a `request` + `response` pair as `run
//! --warc` writes them), then runs the release `wirecopy import` binary on
//! each file as a child process pinned to CPU 0 (`taskset -c 0`, when
//! present) into a fresh database. The child's peak RSS and CPU time come
//! from `wait4`'s `rusage`, so each size's figures are its own; pages per
//! CPU second is the one-core speed on a machine other jobs share, where
//! wall time also counts waiting for the core. The cleaner's
//! own speed on the same pages (clean only, in this process, one thread)
//! is printed for comparison: import speed cannot pass it. So is the peak
//! RSS of the reader alone (the bench binary as a child that streams the
//! file through `WarcReader` and `page_of` and stores nothing), which
//! separates the archive's memory from the store's page cache.
//!
//! ```text
//! cargo bench --bench import                          # 1,000, 10,000 and 30,000 pages
//! WIRECOPY_BENCH_SIZES=1000,10000,30000 cargo bench --bench import
//! ```

use std::fmt::Write as _;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

#[allow(dead_code)]
mod common;

use common::{article_page as page, Rng};
use wirecopy::archive::{field, Record, WarcWriter};
use wirecopy::clean::Cleaner;

const OUTLETS: usize = 5;

// Children are reaped by `wait_with_rusage` (wait4), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn main() {
    if let Ok(path) = std::env::var("WIRECOPY_BENCH_READ") {
        read_only(Path::new(&path));
        return;
    }
    let sizes = std::env::var("WIRECOPY_BENCH_SIZES").unwrap_or_else(|_| "1000,10000,30000".into());
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-import");
    let pinned = Command::new("taskset")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    for size in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
    {
        let file = generate(&root, size).expect("generate the WARC");
        let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        let db = root.join(format!("import-{size}.db"));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        let mut command = if pinned {
            let mut c = Command::new("taskset");
            c.args(["-c", "0", env!("CARGO_BIN_EXE_wirecopy")]);
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_wirecopy"))
        };
        command
            .arg("import")
            .arg("--db")
            .arg(&db)
            .arg(&file)
            .current_dir(&root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let start = Instant::now();
        let child = command.spawn().expect("start wirecopy import");
        let (status, max_rss_kib, cpu) = wait_with_rusage(child.id());
        let secs = start.elapsed().as_secs_f64();
        let mut child = child;
        let mut summary = String::new();
        if let Some(out) = child.stdout.as_mut() {
            use std::io::Read;
            let _ = out.read_to_string(&mut summary);
        }
        if status != 0 {
            eprintln!("import bench: size {size} exited {status}: {summary}");
            std::process::exit(1);
        }
        let reader = Command::new(std::env::current_exe().expect("bench executable"))
            .env("WIRECOPY_BENCH_READ", &file)
            .stdout(Stdio::null())
            .spawn()
            .expect("start the read-only child");
        let (_, read_rss_kib, _) = wait_with_rusage(reader.id());
        println!(
            "import/read-only: {size} pages  peak RSS {:.1} MiB (the archive reader and page_of alone, no store)",
            read_rss_kib as f64 / 1024.0
        );
        println!(
            "import/warc: {size} pages  {:.1} MB file  {:.1} s wall, {:.0} pages/s  {:.1} s CPU, {:.0} pages per CPU second  peak RSS {:.1} MiB{}  ({})",
            bytes as f64 / 1e6,
            secs,
            size as f64 / secs,
            cpu,
            size as f64 / cpu,
            max_rss_kib as f64 / 1024.0,
            if pinned { "  one core" } else { "  (not pinned)" },
            summary.trim()
        );
    }
    clean_speed();
}

/// Streams a file through the reader and `page_of`, storing nothing.
fn read_only(path: &Path) {
    let mut pages = 0usize;
    for entry in wirecopy::archive::WarcReader::open(path, 11 << 20).expect("open") {
        let entry = entry.expect("valid record");
        if wirecopy::archive::page_of(&entry.record, 10 << 20).is_ok() {
            pages += 1;
        }
    }
    println!("{pages}");
}

/// What a child used: exit code, peak RSS in KiB, CPU seconds (user +
/// system).
fn wait_with_rusage(pid: u32) -> (i32, i64, f64) {
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = libc::pid_t::try_from(pid).expect("pid fits");
    // SAFETY: pid is our own child, the pointers are to live locals.
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(got, pid, "wait4");
    let code = std::process::ExitStatus::from_raw(status)
        .code()
        .unwrap_or(-1);
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    (code, usage.ru_maxrss, cpu)
}

/// The cleaner alone over 2,000 of the generated pages, one thread.
fn clean_speed() {
    let pages: Vec<String> = (0..2000)
        .map(|i| {
            let (title, paragraphs) = story(i as u64);
            page(i % OUTLETS, &title, &paragraphs)
        })
        .collect();
    let cleaner = Cleaner::default();
    let start = Instant::now();
    for (i, html) in pages.iter().enumerate() {
        let url = format!("http://outlet{}.bench.example/news/{i}.html", i % OUTLETS);
        cleaner
            .clean_with_type(
                html.as_bytes(),
                Some(&url),
                Some("text/html; charset=utf-8"),
            )
            .expect("clean");
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "import/clean-only: 2000 pages  {:.2} s  {:.0} pages/s (the cleaner's own speed, one thread)",
        secs,
        2000.0 / secs
    );
}

/// A story: a title and paragraphs of invented words.
///
/// `common::prose` draws from 39 words, so any two of its stories share
/// most of their word triples and every page is a dedup candidate of every
/// other: fine for a parser, not for an index. News text has a vocabulary
/// of thousands, so this draws half its words from common English
/// function words and half from about 9,000 invented words built from
/// syllables, with a skew toward the first ones (as word frequencies are).
fn story(seed: u64) -> (String, Vec<String>) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let title = words(&mut rng, 9);
    let paragraphs = (0..12)
        .map(|_| {
            (0..3)
                .map(|_| {
                    let n = 14 + (rng.next() % 12) as usize;
                    let mut s = words(&mut rng, n);
                    s.push('.');
                    s
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    (title, paragraphs)
}

/// `n` words, the first capitalised.
fn words(rng: &mut Rng, n: usize) -> String {
    const FUNCTION: &[&str] = &[
        "the", "of", "and", "to", "in", "a", "said", "on", "for", "that", "with", "was", "by",
        "at", "from", "its", "has", "will", "after", "over",
    ];
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mer", "tis", "van", "dro", "pel", "su", "rin", "gor", "ba", "net", "hu",
        "zel", "or", "mi", "tan", "ve", "sko", "lar", "di", "pra", "um", "cho", "fen",
    ];
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        if rng.next().is_multiple_of(2) {
            out.push_str(rng.pick(FUNCTION));
            continue;
        }
        // A skewed draw: the smaller of two uniform ones.
        let a = rng.next() % 9000;
        let b = rng.next() % 9000;
        let mut id = a.min(b) as usize;
        let len = 2 + id % 2;
        for _ in 0..len {
            out.push_str(SYLLABLES[id % SYLLABLES.len()]);
            id /= SYLLABLES.len();
        }
        if i == n / 2 && rng.next().is_multiple_of(3) {
            let _ = write!(out, " {}", rng.next() % 1000);
        }
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

/// Writes (once) a WARC of `pages` article pages over [`OUTLETS`] hosts
/// and returns its path.
fn generate(root: &Path, pages: usize) -> std::io::Result<PathBuf> {
    let dir = root.join(format!("warc-v2-{pages}"));
    let ready = dir.join("ready");
    if ready.exists() {
        if let Some(file) = std::fs::read_dir(&dir)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().ends_with(".warc.gz"))
        {
            return Ok(file);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let writer = WarcWriter::create(&dir, u64::MAX).map_err(std::io::Error::other)?;
    let date = chrono::Utc::now();
    for n in 0..pages {
        let (outlet, i) = (n % OUTLETS, n / OUTLETS);
        let seed = if outlet > 0 && i % 3 == 0 {
            (i as u64) << 8
        } else {
            ((i as u64) << 8) | outlet as u64
        };
        let (title, paragraphs) = story(seed);
        let body = page(outlet, &title, &paragraphs);
        let url = format!("http://outlet{outlet}.bench.example/news/{i}.html");
        let request = format!(
            "GET /news/{i}.html HTTP/1.1\r\nuser-agent: wirecopy-bench\r\nhost: outlet{outlet}.bench.example\r\n\r\n"
        );
        let mut response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(body.as_bytes());
        let id = |kind: u64| {
            format!(
                "<urn:uuid:00000000-0000-4000-8000-{:012x}>",
                (n as u64) * 2 + kind
            )
        };
        let records = [
            Record::new("request", &id(0), date)
                .field(field::TARGET_URI, &url)
                .block("application/http; msgtype=request", request.into_bytes()),
            Record::new("response", &id(1), date)
                .field(field::TARGET_URI, &url)
                .block("application/http; msgtype=response", response),
        ];
        writer.write(&records).map_err(std::io::Error::other)?;
    }
    let file = writer
        .finish()
        .map_err(std::io::Error::other)?
        .files
        .remove(0);
    std::fs::write(ready, "")?;
    Ok(file)
}

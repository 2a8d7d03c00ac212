//! `wirecopy sources add HOMEPAGE`: discover a site's sources, infer its
//! `article_url`, try three articles as `sources check` does, and append one
//! `[[outlet]]` table to sources.toml (or print it, with `--dry-run`).
//!
//! Exit status: 0 when the outlet was written (or, with `--dry-run`,
//! would be); 1 when nothing usable was found, with every candidate tried
//! and why it was rejected; 2 when the command could not run (a bad URL, a
//! dead host, a name or homepage already in the file, a config that does
//! not load).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use url::Url;
use wirecopy::config::{self, NewOutlet};
use wirecopy::pipeline::{self, InferredPattern, SiteDiscovery, SourceKind, Verdict};

/// Flags of `wirecopy sources add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The outlets file to append to (created if missing).
    #[arg(long, value_name = "FILE", default_value = "sources.toml")]
    config: PathBuf,
    /// The outlet's name (default: a slug of the host, `news-example` for news.example.com).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Mark the outlet as a news agency (its copy is preferred as canonical).
    #[arg(long)]
    agency: bool,
    /// Print the table instead of writing it.
    #[arg(long)]
    dry_run: bool,
    /// How many articles to fetch and clean as a trial.
    #[arg(long, value_name = "N", default_value_t = 3)]
    samples: usize,
    /// The site's homepage (https:// is assumed when no scheme is given).
    #[arg(value_name = "HOMEPAGE_URL")]
    homepage: String,
}

/// Runs `sources add`.
pub fn run(args: AddArgs) -> anyhow::Result<ExitCode> {
    let homepage = parse_homepage(&args.homepage)?;
    let shown = args.config.display().to_string();
    let text = read_config(&args.config)?;
    let sources = config::settings(&text, &shown).map_err(|error| anyhow::anyhow!("{error}"))?;
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| config::slug_of_host(&homepage));
    config::check_new(&text, &shown, &name, homepage.as_str())
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    if !args.dry_run {
        writable(&args.config)?;
    }
    let runtime = super::runtime()?;
    let fetcher = super::fetcher(&sources)?;
    let rate = sources.defaults.rate;
    println!(
        "discovering {homepage} as {:?} (robots.txt first)",
        sources.defaults.user_agent
    );
    let found = runtime
        .block_on(pipeline::discover_site(&fetcher, &homepage, rate))
        .with_context(|| format!("sources add {}", args.homepage))?;
    print_candidates(&found);
    if !found.usable() {
        println!();
        println!(
            "nothing usable found at {}: no feed, sitemap or section page listing articles (see above)",
            found.homepage
        );
        return Ok(ExitCode::from(1));
    }
    let links = found.article_links();
    let pattern = pipeline::infer_article_url(&links, &found.home_links);
    print_pattern(pattern.as_ref(), links.len());
    let new = NewOutlet {
        name: name.clone(),
        homepage: found.homepage.to_string(),
        feeds: strings(found.kept(SourceKind::Feed)),
        sitemaps: strings(found.kept(SourceKind::Sitemap)),
        sections: strings(found.kept(SourceKind::Section)),
        article_url: pattern.map(|p| p.regex),
        agency: args.agency,
    };
    let table = new.to_toml(&comment(&found));
    let (joined, with_new) = config::with_outlet(&text, &shown, &new, &table)
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let outlet = with_new
        .outlets
        .last()
        .context("the new outlet is missing after loading")?;
    println!();
    println!(
        "trying {} articles, as `wirecopy sources check` does:",
        args.samples
    );
    let check = runtime.block_on(pipeline::check(outlet, &fetcher, args.samples))?;
    for error in &check.errors {
        println!("  error: {error}");
    }
    println!("  found {} article URLs", check.links);
    let mut cleaned = 0;
    let mut chrome = 0;
    for sample in &check.samples {
        super::sources::print_sample(sample);
        cleaned += usize::from(sample.article.is_ok());
        chrome += usize::from(looks_like_chrome(sample));
    }
    if check.links == 0 || (cleaned == 0 && args.samples > 0) {
        println!();
        println!(
            "not written: {}; nothing usable",
            if check.links == 0 {
                "the outlet as inferred finds no article links"
            } else {
                "no sample article could be fetched and cleaned"
            }
        );
        return Ok(ExitCode::from(1));
    }
    if chrome > 0 {
        println!();
        println!(
            "  {chrome} of the {} samples look like site chrome, not article text: save one page and run\n  \
             `wirecopy clean --explain \"a sentence of the article\" PAGE.html` to see what was\n  \
             taken as chrome, then add `body_selector` or `drop_selectors` to the table",
            check.samples.len()
        );
    }
    println!();
    if args.dry_run {
        println!("--dry-run: {} not changed; the table would be:", shown);
        println!();
        print!("{table}");
        return Ok(ExitCode::SUCCESS);
    }
    write(&args.config, &text, &joined)?;
    let line = outlet.line;
    println!(
        "added outlet \"{name}\" to {shown} (line {line}); next: `wirecopy sources check {name}`, then `wirecopy run`"
    );
    Ok(ExitCode::SUCCESS)
}

/// Returns true if and only if a sample's warnings point at chrome or a
/// lost body (a fallback step, a short text, menu lines, repeats, chrome
/// lines), not merely at missing metadata (no title, no date).
fn looks_like_chrome(sample: &pipeline::Sample) -> bool {
    // The prefixes of clean::warnings' metadata warnings.
    const METADATA: [&str; 2] = ["no title", "no publication time"];
    sample
        .warnings
        .iter()
        .any(|w| !METADATA.iter().any(|m| w.starts_with(m)))
}

/// The homepage argument as an http(s) URL; `https://` is assumed when the
/// input has no scheme.
fn parse_homepage(input: &str) -> anyhow::Result<Url> {
    let trimmed = input.trim();
    let parsed = match Url::parse(trimmed) {
        Ok(url) => Ok(url),
        Err(url::ParseError::RelativeUrlWithoutBase) => Url::parse(&format!("https://{trimmed}")),
        Err(error) => Err(error),
    };
    match parsed {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => Ok(url),
        Ok(url) => anyhow::bail!(
            "{input:?}: not an http(s) URL (scheme {:?}); give the homepage as https://HOST/",
            url.scheme()
        ),
        Err(error) => {
            anyhow::bail!("{input:?}: not a URL ({error}); give the homepage as https://HOST/")
        }
    }
}

/// The config text, or empty when the file does not exist yet.
fn read_config(path: &Path) -> anyhow::Result<String> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("{}: not UTF-8; save the file as UTF-8", path.display())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(error) => Err(error).with_context(|| format!("{}: cannot read", path.display())),
    }
}

/// Fails early, before any fetch, when the config cannot be written: a
/// missing directory, a read-only file.
fn writable(path: &Path) -> anyhow::Result<()> {
    let shown = path.display();
    if path.exists() {
        std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .with_context(|| format!("{shown}: cannot open for writing"))?;
        return Ok(());
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        anyhow::bail!(
            "{shown}: cannot create it: {} is not a directory; create it, or pass --config PATH",
            parent.display()
        );
    }
    Ok(())
}

/// Appends the new table to the file, leaving its bytes as they were, then
/// loads the file again; a file that no longer loads is put back.
fn write(path: &Path, before: &str, joined: &str) -> anyhow::Result<()> {
    let shown = path.display();
    let created = !path.exists();
    let suffix = &joined.as_bytes()[before.len()..];
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .with_context(|| format!("{shown}: cannot open for writing"))?;
    file.write_all(suffix)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("{shown}: cannot append the new outlet"))?;
    drop(file);
    if let Err(error) = config::load(path) {
        let restored = if created {
            std::fs::remove_file(path)
        } else {
            std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .and_then(|f| f.set_len(before.len() as u64))
        };
        let note = match restored {
            Ok(()) => "the file was put back as it was",
            Err(_) => "and it could not be put back: remove the last [[outlet]] table by hand",
        };
        anyhow::bail!("{error}\n{shown}: the file did not load after adding the outlet; {note}");
    }
    Ok(())
}

fn strings(urls: Vec<&Url>) -> Vec<String> {
    urls.into_iter().map(Url::to_string).collect()
}

/// The comment line above the new table: when and how it was discovered.
fn comment(found: &SiteDiscovery) -> String {
    let how: Vec<String> = found
        .candidates
        .iter()
        .filter(|c| matches!(c.verdict, Verdict::Kept(_)))
        .map(|c| format!("{} ({})", c.kind.as_str(), c.found_by))
        .collect();
    format!(
        "discovered by `wirecopy sources add` on {}: {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        how.join(", ")
    )
}

/// Lists every candidate tried with its verdict.
fn print_candidates(found: &SiteDiscovery) {
    println!(
        "homepage: {} ({} links on the site)",
        found.homepage,
        found.home_links.len()
    );
    println!("tried:");
    if found.candidates.is_empty() {
        println!("  nothing: no feed declared or at a usual path, no sitemap, no navigation");
    }
    for c in &found.candidates {
        let verdict = match &c.verdict {
            Verdict::Kept(l) => format!("kept: {}", listing(l)),
            Verdict::Passed(l, why) => format!("passed over ({why}): {}", listing(l)),
            Verdict::Rejected(why) => format!("rejected: {why}"),
        };
        println!(
            "  {:<8} {} [{}]\n           {verdict}",
            c.kind.as_str(),
            c.url,
            c.found_by
        );
    }
}

fn listing(l: &pipeline::Listing) -> String {
    let newest = l
        .newest
        .map(|d| format!(", newest {}", d.format("%Y-%m-%d %H:%M")))
        .unwrap_or_default();
    format!(
        "{} entries, {} article links{}{newest}",
        l.entries,
        l.links.len(),
        if l.news { ", Google News" } else { "" }
    )
}

/// Shows the inferred `article_url` and both counts.
fn print_pattern(pattern: Option<&InferredPattern>, links: usize) {
    println!();
    let Some(p) = pattern else {
        println!(
            "article_url: none inferred from {links} links; every link on the homepage's host counts"
        );
        return;
    };
    println!("article_url = {}", config::toml_string(&p.regex));
    println!(
        "  matches {} of the {} article links found, and {} of the homepage's {} other links",
        p.articles_matched, p.articles, p.others_matched, p.others
    );
    for example in &p.other_examples {
        println!("  also matches {example} (an article missing from the sources, or a pattern too wide?)");
    }
}

//! wirecopy's one integration test binary; each module covers one area.

// The harness: temp dirs, the binary runner, fixture paths.
mod util;

// The demo's fixture sites on loopback with their config, for end-to-end tests.
mod demo_sites;

// Storing invented text through the pipeline's ingest, shared with the benches.
#[path = "../benches/common/store_text.rs"]
mod store_text;

// The clean stage and `wirecopy clean`: fixtures, charsets, hostile input.
mod clean;

// The fixture server (wirecopy::sites) over fixtures/sites/: files, validators, charsets, traversal, faults.
mod sites;

// The learned block decision: what a block model may change and what it may not.
mod blocks;

// The fetch stage against a loopback server: robots, pacing, 304s, retries, caps.
mod fetch;

// The dedup stage and `wirecopy dedup`: seeds, reprint kinds, corpus targets, inputs and errors.
mod dedup;

// Edited wire copy: hard-wrapped text, partial reprints and their traps.
mod wire;

// Issue 15: `sources add` per discovery path, `sources list`, robots.txt Sitemap lines of real files.
mod sources;

// `wirecopy run`, `sources check` and `demo` end to end against the fixture sites.
mod run;

// Cluster ids that stay the same from one fresh run to the next.
mod ids;

// `wirecopy report`, `review` and `clusters`: escaping (checked in headless Chromium), formats, decisions.
mod report;

// Loopback sites built per test, for the reliability cases.
mod loopback;

// Issue 12: syndicated canonicals, honest exit codes, locks, crash bookkeeping, config refusals.
mod reliability;

// Issue 12: TLS and DNS faults against an HTTPS listener on loopback.
mod tls;

// The review app's harness: a review database, a loopback app, a cookie-keeping tab.
mod webtab;

// `wirecopy serve` over plain HTTP: CSRF, token, Host check, decisions and undo, binding.
mod web;

// `wirecopy serve` in headless Chromium: the list renders, a form posts, scraped script never runs.
mod browser;

// Issue 13: the dedup index in the store: a second run as one run, reindex resumed, stale indexes refused.
mod scale;

// The throwaway PostgreSQL server of the store tests and these (shared with src/store/tests/).
#[path = "support/postgres.rs"]
mod pg_server;

// Issue 13: many cron hosts on one PostgreSQL: concurrent writers, shared outlets, two runs as one.
mod pg;

// Issue 16: `run --warc` and `import`: records, rotation, offsets of broken records, re-imports.
mod archive;

// Issue 16: interop with warcio (check, index, a warcio-written import), in a throwaway venv.
mod warcio;

//! The SQLite schema and its migrations.
//!
//! The schema version lives in `PRAGMA user_version`. Each entry of
//! [`MIGRATIONS`] takes the database from version `i` to `i + 1`, in one
//! transaction; a database newer than this build is refused, never touched.

/// Migration `i` upgrades from version `i` to `i + 1`.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
    CREATE TABLE outlets (
        id        INTEGER PRIMARY KEY,
        name      TEXT NOT NULL UNIQUE,
        homepage  TEXT NOT NULL,
        agency    INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE runs (
        id             INTEGER PRIMARY KEY,
        started_at     TEXT NOT NULL,
        finished_at    TEXT,
        status         TEXT NOT NULL DEFAULT 'running',
        outlets        INTEGER NOT NULL DEFAULT 0,
        outlets_failed INTEGER NOT NULL DEFAULT 0,
        fetched        INTEGER NOT NULL DEFAULT 0,
        not_modified   INTEGER NOT NULL DEFAULT 0,
        new_articles   INTEGER NOT NULL DEFAULT 0,
        new_clusters   INTEGER NOT NULL DEFAULT 0,
        reprints       INTEGER NOT NULL DEFAULT 0,
        errors         INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE urls (
        id            INTEGER PRIMARY KEY,
        url           TEXT NOT NULL UNIQUE,
        outlet_id     INTEGER NOT NULL REFERENCES outlets(id),
        kind          TEXT NOT NULL,
        status        INTEGER,
        etag          TEXT,
        last_modified TEXT,
        fetched_at    TEXT,
        error         TEXT,
        fetches       INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE pages (
        url_id     INTEGER PRIMARY KEY REFERENCES urls(id),
        fetched_at TEXT NOT NULL,
        html       BLOB NOT NULL
    );
    CREATE TABLE articles (
        id            INTEGER PRIMARY KEY,
        url_id        INTEGER NOT NULL UNIQUE REFERENCES urls(id),
        outlet_id     INTEGER NOT NULL REFERENCES outlets(id),
        run_id        INTEGER REFERENCES runs(id),
        url           TEXT NOT NULL,
        final_url     TEXT NOT NULL,
        canonical_url TEXT,
        title         TEXT,
        byline        TEXT,
        published     TEXT,
        dateline      TEXT,
        agency        TEXT,
        agency_own    INTEGER NOT NULL DEFAULT 0,
        published_ts  INTEGER,
        lang          TEXT,
        text          TEXT NOT NULL,
        normalized    TEXT NOT NULL DEFAULT '',
        words         INTEGER NOT NULL,
        sha256        TEXT NOT NULL,
        simhash       INTEGER NOT NULL,
        fp_version    INTEGER NOT NULL,
        fetched_at    TEXT NOT NULL
    );
    CREATE INDEX articles_sha256 ON articles(sha256);
    CREATE INDEX articles_canonical_url ON articles(canonical_url);
    CREATE INDEX articles_final_url ON articles(final_url);
    CREATE INDEX articles_run ON articles(run_id);
    CREATE INDEX articles_fetched_at ON articles(fetched_at);
    CREATE TABLE clusters (
        id             INTEGER PRIMARY KEY,
        canonical_id   INTEGER NOT NULL REFERENCES articles(id),
        created_run    INTEGER REFERENCES runs(id),
        updated_at     TEXT NOT NULL,
        size           INTEGER NOT NULL DEFAULT 1,
        canonical_locked INTEGER NOT NULL DEFAULT 0,
        confirmed_at   TEXT
    );
    CREATE TABLE members (
        article_id  INTEGER PRIMARY KEY REFERENCES articles(id),
        cluster_id  INTEGER NOT NULL REFERENCES clusters(id),
        relation    TEXT NOT NULL,
        similarity  REAL NOT NULL,
        matched_id  INTEGER REFERENCES articles(id)
    );
    CREATE INDEX members_cluster ON members(cluster_id);
    CREATE INDEX clusters_size ON clusters(size);
    CREATE TABLE fetch_errors (
        id        INTEGER PRIMARY KEY,
        run_id    INTEGER REFERENCES runs(id),
        outlet_id INTEGER REFERENCES outlets(id),
        url       TEXT NOT NULL,
        stage     TEXT NOT NULL,
        message   TEXT NOT NULL,
        at        TEXT NOT NULL
    );
    CREATE INDEX fetch_errors_run ON fetch_errors(run_id);
    CREATE TABLE decisions (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL,
        cluster_id  INTEGER NOT NULL,
        article_id  INTEGER,
        other_id    INTEGER,
        note        TEXT,
        at          TEXT NOT NULL
    );
    CREATE INDEX decisions_cluster ON decisions(cluster_id);
    "#,
    // 2: a canonical URL on another site is a claim of syndication, kept
    // apart from `canonical_url` (which only names twins on the page's own
    // site); see `move_claims`.
    r#"
    ALTER TABLE articles ADD COLUMN claimed_canonical TEXT;
    CREATE INDEX articles_claimed_canonical ON articles(claimed_canonical);
    "#,
    // 3: the dedup index lives in the store (`store::IndexStore`,
    // docs/scaling.md). A doc per article saved through the index; cores
    // carry their features; band and posting keys point at cores. Filled by
    // `wirecopy reindex` for articles stored before (see `after`).
    r#"
    CREATE TABLE dedup_docs (
        article_id   INTEGER PRIMARY KEY REFERENCES articles(id),
        published_ts INTEGER,
        fetched_at   TEXT NOT NULL,
        exact_key    BLOB,
        core         INTEGER NOT NULL DEFAULT 0,
        root         INTEGER,
        agency       INTEGER NOT NULL DEFAULT 0,
        words        INTEGER NOT NULL DEFAULT 0,
        features     BLOB
    );
    CREATE INDEX dedup_docs_exact ON dedup_docs(exact_key) WHERE exact_key IS NOT NULL;
    CREATE INDEX dedup_docs_fetched ON dedup_docs(fetched_at);
    CREATE INDEX dedup_docs_published ON dedup_docs(published_ts);
    CREATE INDEX dedup_docs_root ON dedup_docs(root) WHERE core = 2;
    CREATE TABLE dedup_bands (
        key  INTEGER NOT NULL,
        core INTEGER NOT NULL,
        n    INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (key, core)
    ) WITHOUT ROWID;
    CREATE TABLE dedup_postings (
        key  INTEGER NOT NULL,
        core INTEGER NOT NULL,
        PRIMARY KEY (key, core)
    ) WITHOUT ROWID;
    CREATE TABLE dedup_state (
        id        INTEGER PRIMARY KEY CHECK (id = 1),
        version   INTEGER NOT NULL,
        reindexed INTEGER
    );
    -- Every run prunes raw HTML past retention: a range, not a scan.
    CREATE INDEX pages_fetched_at ON pages(fetched_at);
    "#,
    // 4: the articles each merge decision moved, so that it can be undone
    // (`undo.rs`). A build before this migration created the table on first
    // use, hence IF NOT EXISTS.
    r#"
    CREATE TABLE IF NOT EXISTS review_undo (
        decision_id INTEGER NOT NULL,
        article_id  INTEGER NOT NULL,
        PRIMARY KEY (decision_id, article_id)
    );
    "#,
];

/// Values of `dedup_docs.core`.
pub(super) const CORE_PRIMARY: i64 = 1;
/// See [`CORE_PRIMARY`].
pub(super) const CORE_SECONDARY: i64 = 2;

/// What a migration needs besides its SQL, run in the same transaction
/// right after it: `version` is the version the migration reached.
///
/// Errors if the database can't be read or written.
pub(super) fn after(tx: &rusqlite::Transaction<'_>, version: i64) -> rusqlite::Result<()> {
    if version == 2 {
        move_claims(tx)?;
    }
    if version == 3 {
        // An empty database has a current (empty) index; one with articles
        // has none until `wirecopy reindex` files them.
        tx.execute(
            "INSERT INTO dedup_state (id, version, reindexed)
             VALUES (1, CASE WHEN EXISTS (SELECT 1 FROM articles) THEN 0 ELSE ?1 END, NULL)",
            [crate::dedup::FINGERPRINT_VERSION],
        )?;
    }
    Ok(())
}

/// Moves every stored canonical URL that names another site than its
/// article's URL into `claimed_canonical`: before version 2 such a URL made
/// the agency's own page look stored already.
fn move_claims(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let rows: Vec<(i64, String, String)> = tx
        .prepare("SELECT id, url, canonical_url FROM articles WHERE canonical_url IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut update = tx.prepare(
        "UPDATE articles SET claimed_canonical = canonical_url, canonical_url = NULL WHERE id = ?1",
    )?;
    for (id, url, canonical) in rows {
        let own = match (url::Url::parse(&url), url::Url::parse(&canonical)) {
            (Ok(u), Ok(c)) => crate::fetch::same_site(&u, &c),
            _ => false,
        };
        if !own {
            update.execute([id])?;
        }
    }
    Ok(())
}

/// The schema version this build writes.
pub(super) const VERSION: i64 = MIGRATIONS.len() as i64;

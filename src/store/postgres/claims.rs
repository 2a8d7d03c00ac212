//! Advisory locks: how runs on many hosts share one PostgreSQL.
//!
//! PostgreSQL's advisory locks are named by two 32-bit integers; the first
//! says what kind of thing is locked (one of the consts below), the second
//! which one. Session-level locks last until they are released or the
//! connection ends, so a host that dies (crash, `kill -9`, lost network)
//! frees everything it held without anybody cleaning up.
//!
//! * [`OUTLET`]: a run claims each outlet it fetches
//!   (`pg_try_advisory_lock`, never waiting) and another run skips an outlet
//!   held, as Media Cloud's crawler shares its queue out. The key is a
//!   hash of the outlet's name, so two names may collide and then never run
//!   at the same time: harmless.
//! * [`RUN`]: a run holds the lock of its own id while it lives. Closing
//!   interrupted runs marks only the `running` runs whose lock it can take:
//!   their host is gone.
//! * [`BAND`]: while an article is placed and saved, its run holds the
//!   locks of its band keys, taken in sorted order (no deadlock) in one
//!   statement. Two runs placing copies of one story share a band key, so
//!   one of them places and commits first and the other, looking its
//!   candidates up only after it got the locks, sees it: one cluster, not
//!   two.
//! * [`SCHEMA`]: a transaction-level lock held while the schema migrates.

use postgres::GenericClient;

use super::statements::Statements;
use xxhash_rust::xxh3::xxh3_64;

/// The first key of the schema migration lock.
pub(super) const SCHEMA: i32 = 0x7763_0001;
/// The first key of outlet claims.
pub(super) const OUTLET: i32 = 0x7763_0002;
/// The first key of live-run locks.
pub(super) const RUN: i32 = 0x7763_0003;
/// The first key of band-key placement locks.
pub(super) const BAND: i32 = 0x7763_0004;

/// The second key of an outlet's claim.
fn outlet_key(name: &str) -> i32 {
    xxh3_64(name.as_bytes()) as u32 as i32
}

/// Claims the outlet `name` for this connection without waiting. Returns
/// true if and only if no other connection holds it.
pub(super) fn claim_outlet(
    c: &mut impl GenericClient,
    name: &str,
) -> Result<bool, postgres::Error> {
    c.query_one(
        "SELECT pg_try_advisory_lock($1, $2)",
        &[&OUTLET, &outlet_key(name)],
    )?
    .try_get(0)
}

/// Releases a claim [`claim_outlet`] took.
pub(super) fn release_outlet(
    c: &mut impl GenericClient,
    name: &str,
) -> Result<(), postgres::Error> {
    c.execute(
        "SELECT pg_advisory_unlock($1, $2)",
        &[&OUTLET, &outlet_key(name)],
    )?;
    Ok(())
}

/// The second key of a run's lock.
fn run_key(run: i64) -> i32 {
    run as i32
}

/// Marks run `run` as live for as long as this connection holds it.
pub(super) fn hold_run(c: &mut impl GenericClient, run: i64) -> Result<(), postgres::Error> {
    c.execute("SELECT pg_advisory_lock($1, $2)", &[&RUN, &run_key(run)])?;
    Ok(())
}

/// Releases the lock [`hold_run`] took.
pub(super) fn release_run(c: &mut impl GenericClient, run: i64) -> Result<(), postgres::Error> {
    c.execute("SELECT pg_advisory_unlock($1, $2)", &[&RUN, &run_key(run)])?;
    Ok(())
}

/// Returns true if and only if a connection (this one included) holds the
/// lock of run `run`: the run is live.
pub(super) fn run_is_live(c: &mut impl GenericClient, run: i64) -> Result<bool, postgres::Error> {
    c.query_one(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
             AND objsubid = 2 AND classid::bigint = $1 AND objid::bigint = $2)",
        &[&i64::from(RUN), &i64::from(run_key(run))],
    )?
    .try_get(0)
}

/// The band keys as lock keys: the same bits, sorted, each once.
fn band_lock_keys(keys: &[u32]) -> Vec<i32> {
    let mut keys: Vec<i32> = keys.iter().map(|&k| k as i32).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Waits for and takes the placement locks of `keys`, in sorted order.
pub(super) fn lock_bands(
    c: &mut impl GenericClient,
    st: &mut Statements,
    keys: &[u32],
) -> Result<(), postgres::Error> {
    // The sort runs below the aggregate, so the locks are taken in key
    // order: two runs never hold parts of each other's sets and wait.
    let lock = st.get(
        c,
        "SELECT count(pg_advisory_lock($1, k))
         FROM (SELECT k FROM unnest($2::int4[]) AS k ORDER BY k) AS sorted",
    )?;
    c.execute(&lock, &[&BAND, &band_lock_keys(keys)])?;
    Ok(())
}

/// Releases what [`lock_bands`] took.
pub(super) fn unlock_bands(
    c: &mut impl GenericClient,
    st: &mut Statements,
    keys: &[u32],
) -> Result<(), postgres::Error> {
    let unlock = st.get(
        c,
        "SELECT count(pg_advisory_unlock($1, k)) FROM unnest($2::int4[]) AS k",
    )?;
    c.execute(&unlock, &[&BAND, &band_lock_keys(keys)])?;
    Ok(())
}

//! Outlets shared out between runs on one database: before a run fetches
//! anything it claims each outlet it covers ([`crate::store::Store::claim_outlet`]),
//! and leaves out those another run holds (a cron host on the same
//! PostgreSQL that started first). That is logged, not an error: the other
//! run fetches them. The claims are released when the run is over. A
//! SQLite store grants every claim (its run lock keeps other runs out).

use std::sync::Mutex;

use super::{lock, Error};
use crate::config::Outlet;
use crate::pipeline::Ingest;

/// Claims `outlets` for this run. Returns those claimed and the names of
/// those another run holds.
///
/// Errors if the store fails.
pub(super) fn claim<'a>(
    state: &Mutex<Ingest>,
    outlets: Vec<&'a Outlet>,
) -> Result<(Vec<&'a Outlet>, Vec<String>), Error> {
    let mut st = lock(state);
    let store = st.store();
    let mut claimed = Vec::with_capacity(outlets.len());
    let mut held = Vec::new();
    for outlet in outlets {
        match store.claim_outlet(&outlet.name) {
            Ok(true) => claimed.push(outlet),
            Ok(false) => {
                tracing::info!(
                    outlet = %outlet.name,
                    "Outlet skipped: another run on this database is fetching it."
                );
                held.push(outlet.name.clone());
            }
            Err(error) => {
                return Err(Error::Store {
                    location: store.location(),
                    error,
                })
            }
        }
    }
    Ok((claimed, held))
}

/// Releases the claims [`claim`] took. A failure is only logged: the
/// claims end with the connection anyway.
pub(super) fn release(state: &Mutex<Ingest>, outlets: &[String]) {
    let mut st = lock(state);
    for name in outlets {
        if let Err(error) = st.store().release_outlet(name) {
            tracing::debug!(outlet = %name, %error, "Could not release the outlet's claim.");
        }
    }
}

//! [`Statements`]: the prepared statements of one connection, by SQL text.
//!
//! Sending a statement's text costs a round trip to prepare it and another
//! to run it, and the server plans it each time. The statements a run sends
//! for every page (the lookups, the save, the URL state) are prepared once
//! per connection and kept here; rarer ones go as text. A prepared statement
//! lives as long as its session, so one prepared inside a transaction that
//! rolls back stays usable.

use std::collections::HashMap;

use postgres::{GenericClient, Statement};

/// Prepared statements by their SQL text.
#[derive(Default)]
pub(super) struct Statements(HashMap<String, Statement>);

impl Statements {
    /// Returns the statement for `sql`, preparing it on first use.
    ///
    /// Errors if the server refuses to prepare it.
    pub(super) fn get(
        &mut self,
        c: &mut impl GenericClient,
        sql: &str,
    ) -> Result<Statement, postgres::Error> {
        if let Some(s) = self.0.get(sql) {
            return Ok(s.clone());
        }
        let s = c.prepare(sql)?;
        self.0.insert(sql.to_string(), s.clone());
        Ok(s)
    }
}

/// A client whose statements are prepared once: the same calls as
/// [`postgres::GenericClient`]'s, each preparing its SQL on first use.
pub(super) struct Cached<'a, C: GenericClient> {
    /// The connection or transaction the statements run on.
    pub(super) c: &'a mut C,
    st: &'a mut Statements,
}

type Params<'p> = &'p [&'p (dyn postgres::types::ToSql + Sync)];

impl<'a, C: GenericClient> Cached<'a, C> {
    pub(super) fn new(c: &'a mut C, st: &'a mut Statements) -> Cached<'a, C> {
        Cached { c, st }
    }

    pub(super) fn execute(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<u64, postgres::Error> {
        let s = self.st.get(self.c, sql)?;
        self.c.execute(&s, params)
    }

    pub(super) fn query(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Vec<postgres::Row>, postgres::Error> {
        let s = self.st.get(self.c, sql)?;
        self.c.query(&s, params)
    }

    pub(super) fn query_opt(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Option<postgres::Row>, postgres::Error> {
        let s = self.st.get(self.c, sql)?;
        self.c.query_opt(&s, params)
    }

    pub(super) fn query_one(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<postgres::Row, postgres::Error> {
        let s = self.st.get(self.c, sql)?;
        self.c.query_one(&s, params)
    }
}

/// Runs `f` with a [`Cached`] client that keeps its statements for this
/// call only (for rare paths: review decisions, repairs).
pub(super) fn uncached<C: GenericClient, R>(
    c: &mut C,
    f: impl FnOnce(&mut Cached<'_, C>) -> R,
) -> R {
    let mut st = Statements::default();
    f(&mut Cached::new(c, &mut st))
}

//! [`Database`]: which store a command opens, from `--db` or `[storage]`.
//!
//! A `postgres://` or `postgresql://` URL names a PostgreSQL database
//! ([`PostgresStore`]); anything else is the path of a SQLite file
//! ([`SqliteStore`], the embedded default). The commands call
//! [`Database::open`] and get a `Box<dyn Store + Send>`, so nothing past
//! this file knows which backend it talks to, except for the one thing
//! that differs: a SQLite file allows one run at a time ([`Lock`]), a
//! PostgreSQL database any number, which share the outlets out.

use std::path::{Path, PathBuf};

use super::{is_postgres_url, Error, Lock, LockError, PostgresStore, SqliteStore, Store};

/// Where the store lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (`postgres://user@host/db`).
    Postgres(String),
}

impl Database {
    /// Reads `--db`: a PostgreSQL URL, or a SQLite path.
    pub fn from_arg(given: &Path) -> Database {
        match given.to_str() {
            Some(s) if is_postgres_url(s) => Database::Postgres(s.to_string()),
            _ => Database::Sqlite(given.to_path_buf()),
        }
    }

    /// Returns true if and only if there is something to open: the SQLite
    /// file exists, or it is a server (which the connection will tell).
    pub fn exists(&self) -> bool {
        match self {
            Database::Sqlite(path) => path.is_file(),
            Database::Postgres(_) => true,
        }
    }

    /// Returns true if and only if this is the default SQLite file name.
    pub fn is_default(&self) -> bool {
        matches!(self, Database::Sqlite(p) if p == Path::new("wirecopy.db"))
    }

    /// Opens the store, creating and migrating it as needed.
    ///
    /// Errors if the file can't be opened, the server can't be reached, or
    /// the schema is newer than this build.
    pub fn open(&self) -> Result<Box<dyn Store + Send>, Error> {
        Ok(match self {
            Database::Sqlite(path) => Box::new(SqliteStore::open(path)?),
            Database::Postgres(url) => Box::new(PostgresStore::open(url)?),
        })
    }

    /// Takes the one-run-at-a-time lock of a SQLite file; `None` for
    /// PostgreSQL, where runs share the database (see `pipeline/claim.rs`).
    ///
    /// Errors if another run holds the file.
    pub fn lock(&self) -> Result<Option<Lock>, LockError> {
        match self {
            Database::Sqlite(path) => Lock::acquire(path).map(Some),
            Database::Postgres(_) => Ok(None),
        }
    }
}

impl std::fmt::Display for Database {
    /// The path, or the URL without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => f.write_str(&super::postgres::shown(url)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_names_postgres_and_anything_else_a_file() {
        assert_eq!(
            Database::from_arg(Path::new("postgres://wc@db.example/news")),
            Database::Postgres("postgres://wc@db.example/news".into())
        );
        assert!(matches!(
            Database::from_arg(Path::new("postgresql://db.example/news")),
            Database::Postgres(_)
        ));
        assert_eq!(
            Database::from_arg(Path::new("data/postgres.db")),
            Database::Sqlite("data/postgres.db".into())
        );
        assert_eq!(
            Database::Postgres("postgres://wc:secret@db.example/news".into()).to_string(),
            "postgres://wc@db.example/news"
        );
    }
}

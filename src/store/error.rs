//! [`Error`]: what went wrong talking to the database.
//!
//! Each variant's message carries its cause's text and does not also expose
//! the cause as [`std::error::Error::source`]: an error chain printed with
//! `{:#}` then says each thing once (`…: attempt to write a readonly
//! database`, not the same words twice), and SQLite's result codes the
//! user acts on (read-only, disk full, cannot open) get a plain reading.
//! PostgreSQL errors read as the server's message, detail and hint.

use postgres::error::SqlState;
use rusqlite::ErrorCode;

/// What went wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database could not be opened or created.
    #[error("{path}: cannot open the database: {}", describe(.cause))]
    Open {
        /// The database file.
        path: String,
        /// The cause.
        cause: rusqlite::Error,
    },
    /// The database was written by a newer wirecopy.
    #[error("{path}: schema version {found} is newer than this wirecopy understands ({supported}); upgrade wirecopy")]
    TooNew {
        /// The database file.
        path: String,
        /// Version in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// The dedup index is not current: built by another fingerprint
    /// version, missing (a database from before it lived in the store), or
    /// half rebuilt.
    #[error("{}; run `wirecopy reindex --db {path}` (it shows its progress, and can be stopped and run again to resume)", stale(*.state))]
    IndexStale {
        /// The database file.
        path: String,
        /// What the index holds.
        state: super::IndexState,
    },
    /// A stored core can't be read.
    #[error("article {article}: stored dedup features unreadable: {cause}")]
    Features {
        /// The article.
        article: super::Id,
        /// Why.
        cause: crate::dedup::codec::CodecError,
    },
    /// A query failed.
    #[error("{}", describe(.0))]
    Sql(rusqlite::Error),
    /// A review decision does not fit the clusters.
    #[error(transparent)]
    Review(#[from] super::ReviewError),
    /// Compressing or decompressing raw HTML failed.
    #[error("raw HTML (de)compression failed: {0}")]
    Compression(std::io::Error),
    /// The PostgreSQL server could not be reached or refused the login.
    #[error("{location}: cannot connect to PostgreSQL: {}", describe_pg(.cause))]
    Connect {
        /// The server and database, without the password.
        location: String,
        /// The cause.
        cause: postgres::Error,
    },
    /// A PostgreSQL query failed.
    #[error("{}", describe_pg(.0))]
    Postgres(postgres::Error),
    /// The store's connection thread stopped (it panicked).
    #[error("the PostgreSQL connection thread stopped; run again")]
    Worker,
}

impl From<postgres::Error> for Error {
    fn from(error: postgres::Error) -> Error {
        Error::Postgres(error)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Error {
        Error::Sql(error)
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Error {
        Error::Compression(error)
    }
}

impl Error {
    /// Returns true if and only if the database refused a write for a
    /// reason that will not go away during the run: it is read-only, the
    /// disk (or its quota) is full, or the file can no longer be opened.
    pub fn is_unwritable(&self) -> bool {
        matches!(
            self.code(),
            Some(
                ErrorCode::ReadOnly
                    | ErrorCode::DiskFull
                    | ErrorCode::CannotOpen
                    | ErrorCode::SystemIoFailure
                    | ErrorCode::PermissionDenied
            )
        ) || matches!(self, Error::Compression(_))
            || matches!(
                self.pg_code(),
                Some(c) if *c == SqlState::DISK_FULL
                    || *c == SqlState::READ_ONLY_SQL_TRANSACTION
                    || *c == SqlState::INSUFFICIENT_PRIVILEGE
            )
            || matches!(self, Error::Postgres(e) if e.is_closed())
    }

    /// Returns true if and only if another connection held the database
    /// past the busy timeout (a run writing): nothing was changed, and the
    /// same call may succeed a moment later.
    pub fn is_busy(&self) -> bool {
        matches!(
            self.code(),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
        ) || matches!(
            self.pg_code(),
            Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE || *c == SqlState::T_R_SERIALIZATION_FAILURE
        )
    }

    fn pg_code(&self) -> Option<&SqlState> {
        match self {
            Error::Postgres(cause) | Error::Connect { cause, .. } => cause.code(),
            _ => None,
        }
    }

    fn code(&self) -> Option<ErrorCode> {
        match self {
            Error::Open { cause, .. } | Error::Sql(cause) => cause.sqlite_error_code(),
            _ => None,
        }
    }
}

/// Why a dedup index is not current, for [`Error::IndexStale`].
fn stale(state: super::IndexState) -> String {
    let wanted = crate::dedup::FINGERPRINT_VERSION;
    match state.reindexed_to {
        Some(at) if state.version == wanted => {
            format!("the dedup index is being rebuilt (`wirecopy reindex` stopped after article {at})")
        }
        _ if state.version == 0 => {
            "the dedup index is not built yet (the database comes from an older wirecopy)".into()
        }
        _ => format!(
            "the dedup index holds fingerprint version {}, this wirecopy matches with version {wanted}",
            state.version
        ),
    }
}

/// A PostgreSQL error as the user reads it: the server's message (with its
/// detail and hint when it gives them), or the client's own words.
fn describe_pg(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => {
            let mut text = db.message().to_string();
            if let Some(detail) = db.detail() {
                text.push_str(": ");
                text.push_str(detail);
            }
            if let Some(hint) = db.hint() {
                text.push_str(" (");
                text.push_str(hint);
                text.push(')');
            }
            text
        }
        None => {
            let own = error.to_string();
            match std::error::Error::source(error) {
                Some(cause) => format!("{own}: {cause}"),
                None => own,
            }
        }
    }
}

/// A SQLite error as the user reads it: what to check for the result codes
/// that mean the file or the disk, SQLite's own words otherwise.
fn describe(error: &rusqlite::Error) -> String {
    match error.sqlite_error_code() {
        Some(ErrorCode::ReadOnly) => {
            "the database is read-only (check the permissions of the file and its directory)".into()
        }
        Some(ErrorCode::DiskFull) => "no space left for the database (disk or quota full)".into(),
        Some(ErrorCode::CannotOpen) => {
            "cannot open the file (is it a directory, or is its directory missing or not writable?)"
                .into()
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "the database is locked by another connection".into()
        }
        Some(ErrorCode::NotADatabase) => "the file is not a wirecopy (SQLite) database".into(),
        _ => error.to_string(),
    }
}

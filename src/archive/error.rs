//! The archive's errors: [`ReadError`] names the file and the byte offset
//! of the record (or gzip member) that failed; [`WriteError`] names the
//! file or directory.

use std::path::{Path, PathBuf};

/// A WARC file could not be opened, or one of its records could not be
/// read. After a record error the reader goes on with the next record it
/// can find.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// A record is truncated, corrupt, or too large.
    #[error("{}: at offset {offset}: {message}", path.display())]
    Record {
        /// The file.
        path: PathBuf,
        /// Where the record starts: the offset of its gzip member in a
        /// compressed file (what CDX indexes call the offset), of its
        /// version line in an uncompressed one.
        offset: u64,
        /// What is wrong.
        message: String,
    },
}

impl ReadError {
    /// The offset of the failed record, for record errors.
    pub fn offset(&self) -> Option<u64> {
        match self {
            ReadError::Record { offset, .. } => Some(*offset),
            ReadError::Io { .. } => None,
        }
    }
}

/// A WARC file or directory could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}; check that the directory exists, is writable and has room", path.display())]
pub struct WriteError {
    /// The file or directory.
    pub path: PathBuf,
    /// What failed.
    pub source: std::io::Error,
}

impl WriteError {
    pub(crate) fn new(path: &Path, source: std::io::Error) -> WriteError {
        WriteError {
            path: path.to_path_buf(),
            source,
        }
    }
}

//! One run at a time per database: an advisory lock on `<db>.lock`.
//!
//! The lock is an OS file lock (`flock`), so it is released when the
//! process ends, even by a crash or `kill -9`: there are no stale locks to
//! clean up. The file holds the owner's pid, for the message a second run
//! prints.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Held while a run uses the database; released on drop.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds it.
    #[error("{db}: locked by another run (pid {pid}); wait for it to finish or pass --db PATH")]
    Held {
        /// The database the lock guards.
        db: String,
        /// The holder's pid, as written in the lock file ("unknown" if unreadable).
        pid: String,
    },
    /// The lock file could not be created or locked.
    #[error("{path}: cannot create the lock file: {cause}")]
    Io {
        /// The lock file.
        path: String,
        /// The cause (its text is in the message, so it is not a `source`).
        cause: std::io::Error,
    },
}

impl Lock {
    /// Takes the lock for the database at `db`, without waiting.
    ///
    /// Errors at once if another process holds it.
    pub fn acquire(db: &Path) -> Result<Lock, LockError> {
        let mut name = db.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        let io = |cause| LockError::Io {
            path: path.display().to_string(),
            cause,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut pid = String::new();
                let _ = file.read_to_string(&mut pid);
                let pid = pid.trim();
                return Err(LockError::Held {
                    db: db.display().to_string(),
                    pid: if pid.is_empty() {
                        "unknown".into()
                    } else {
                        pid.to_string()
                    },
                });
            }
            Err(TryLockError::Error(error)) => return Err(io(error)),
        }
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        write!(file, "{}", std::process::id()).map_err(io)?;
        Ok(Lock { file, path })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_fails_until_the_first_is_dropped() {
        let dir = std::env::temp_dir().join(format!("wirecopy-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let db = dir.join("w.db");
        let first = Lock::acquire(&db).expect("first lock");
        let error = Lock::acquire(&db).expect_err("second lock must fail");
        let message = error.to_string();
        assert!(
            message.contains(&std::process::id().to_string()),
            "{message}"
        );
        assert!(message.contains("pass --db PATH"), "{message}");
        drop(first);
        Lock::acquire(&db).expect("lock again after release");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

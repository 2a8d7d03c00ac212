//! One run at a time per database: an advisory lock on the database file
//! itself, plus `<db>.lock` beside its real path for the owner's pid.
//!
//! The locks are OS file locks (`flock`), so they are released when the
//! process ends, even by a crash or `kill -9`: there are no stale locks to
//! clean up. The lock that guards is the one on the database file: every
//! path to it (a symlink, a relative path, `..`, a hard link) opens the same
//! file, so no path can bypass it. (Linux and the BSDs keep `flock` locks
//! apart from the `fcntl` locks SQLite takes, and the file stays open until
//! the lock is dropped, after the store, so SQLite's locks are not
//! disturbed.) `<db>.lock` is named after the canonical path (symlinks and
//! `..` resolved) and holds the owner's pid, for the message a second run
//! prints.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Held while a run uses the database; released on drop.
#[derive(Debug)]
pub struct Lock {
    /// `<db>.lock`, holding our pid.
    file: File,
    path: PathBuf,
    /// The database file itself, locked.
    db: File,
    /// The database's path, when this lock created the file: it is
    /// removed again on drop if nothing was written to it.
    created: Option<PathBuf>,
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
    /// The database or its lock file could not be opened or locked.
    #[error("{path}: cannot open for locking: {cause}")]
    Io {
        /// The lock file.
        path: String,
        /// The cause (its text is in the message, so it is not a `source`).
        cause: std::io::Error,
    },
}

impl Lock {
    /// Takes the lock for the database at `db`, without waiting. Creates
    /// the database file (empty, which SQLite takes for a new database)
    /// when there is none yet, and removes it on drop if it is still empty.
    ///
    /// Errors at once if another process holds it, through whatever path.
    pub fn acquire(db: &Path) -> Result<Lock, LockError> {
        let io_at = |path: &Path| {
            let path = path.display().to_string();
            move |cause| LockError::Io {
                path: path.clone(),
                cause,
            }
        };
        let created = (!db.exists()).then(|| db.to_path_buf());
        let db_file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(db)
            .or_else(|_| File::open(db))
            .map_err(io_at(db))?;
        let real = canonical(db);
        let mut name = real.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        let io = io_at(&path);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(&io)?;
        let held = |file: &mut File| {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            let pid = pid.trim();
            LockError::Held {
                db: db.display().to_string(),
                pid: if pid.is_empty() {
                    "unknown".into()
                } else {
                    pid.to_string()
                },
            }
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(held(&mut file)),
            Err(TryLockError::Error(error)) => return Err(io(error)),
        }
        match db_file.try_lock() {
            Ok(()) => {}
            // Reached through another name (a hard link): its owner's pid
            // is in another lock file.
            Err(TryLockError::WouldBlock) => {
                return Err(LockError::Held {
                    db: db.display().to_string(),
                    pid: "unknown, through another path to the same file".into(),
                })
            }
            Err(TryLockError::Error(error)) => return Err(io_at(db)(error)),
        }
        file.set_len(0).map_err(&io)?;
        file.rewind().map_err(&io)?;
        write!(file, "{}", std::process::id()).map_err(&io)?;
        Ok(Lock {
            file,
            path,
            db: db_file,
            created,
        })
    }
}

/// The path with symlinks, `.` and `..` resolved, relative to the working
/// directory made absolute; as given when it cannot be resolved.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Drop for Lock {
    fn drop(&mut self) {
        // The pid file goes first, while the database lock still keeps
        // other runs out.
        let _ = std::fs::remove_file(&self.path);
        if let Some(db) = &self.created {
            if self.db.metadata().is_ok_and(|m| m.len() == 0) {
                let _ = std::fs::remove_file(db);
            }
        }
        let _ = self.file.unlock();
        let _ = self.db.unlock();
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

    #[cfg(unix)]
    // See: issue 12, item 8. The lock was per path: the same database
    // reached through a symlink ran two runs at once.
    #[test]
    fn r12_no_other_path_to_the_database_bypasses_the_lock() {
        let dir = std::env::temp_dir().join(format!("wirecopy-lock-paths-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).expect("temp dir");
        let db = dir.join("w.db");
        let first = Lock::acquire(&db).expect("first lock");
        let link = dir.join("link.db");
        std::os::unix::fs::symlink(&db, &link).expect("symlink");
        let dir_link = dir.join("dirlink");
        std::os::unix::fs::symlink(&dir, &dir_link).expect("symlink");
        let hard = dir.join("sub/hard.db");
        std::fs::hard_link(&db, &hard).expect("hard link");
        for other in [
            link,
            dir_link.join("w.db"),
            dir.join("sub/../w.db"),
            dir.join("./w.db"),
            hard,
        ] {
            let error = Lock::acquire(&other)
                .expect_err(&format!("{} must be locked too", other.display()));
            assert!(
                matches!(error, LockError::Held { .. }),
                "{}: {error}",
                other.display()
            );
        }
        drop(first);
        Lock::acquire(&dir.join("sub/../link.db")).expect("free again");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

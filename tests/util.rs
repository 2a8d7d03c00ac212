//! The test harness: fresh temporary directories and a runner for the
//! `wirecopy` binary with a scrubbed environment.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT_DIR: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty directory under the target directory, unique per test.
pub struct Dir {
    pub path: PathBuf,
}

impl Dir {
    /// Creates `target/tests/<name>-<n>`, emptied if it exists.
    pub fn new(name: &str) -> Dir {
        let n = NEXT_DIR.fetch_add(1, Ordering::SeqCst);
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create test directory");
        Dir { path }
    }

    /// Writes a file (creating parent directories) and returns its path.
    pub fn create(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent directory");
        }
        std::fs::write(&path, contents).expect("write test file");
        path
    }

    /// A `wirecopy` command running in this directory.
    pub fn command(&self) -> TestCommand {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wirecopy"));
        cmd.current_dir(&self.path);
        for (key, _) in std::env::vars() {
            if key.starts_with("WIRECOPY_") || key == "RUST_LOG" || key == "NO_COLOR" {
                cmd.env_remove(key);
            }
        }
        TestCommand { cmd }
    }
}

/// A command under test.
pub struct TestCommand {
    cmd: Command,
}

impl TestCommand {
    /// Adds arguments.
    pub fn args<I, S>(&mut self, args: I) -> &mut TestCommand
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    /// Starts the command without waiting for it (output discarded).
    pub fn spawn(&mut self) -> std::process::Child {
        self.cmd
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start wirecopy")
    }

    /// Pipes the command's standard output, for [`TestCommand::spawn_raw`].
    pub fn stdout_piped(&mut self) -> &mut TestCommand {
        self.cmd.stdout(std::process::Stdio::piped());
        self
    }

    /// Starts the command as set up (stderr discarded), without waiting.
    pub fn spawn_raw(&mut self) -> std::process::Child {
        self.cmd
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start wirecopy")
    }

    /// Runs the command and returns its output.
    pub fn output(&mut self) -> Output {
        self.cmd.output().expect("run wirecopy")
    }

    /// Runs the command, asserts exit code `code`, returns stdout.
    pub fn assert_exit_code(&mut self, code: i32) -> String {
        let out = self.output();
        assert_eq!(
            out.status.code(),
            Some(code),
            "exit code of {:?}\nstdout:\n{}\nstderr:\n{}",
            self.cmd,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }

    /// Runs the command, asserts success, returns stdout.
    pub fn stdout(&mut self) -> String {
        self.assert_exit_code(0)
    }
}

/// The repository's `fixtures/` directory.
pub fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
}

/// The `../shared` directory beside the repository, when present.
pub fn shared() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    path.is_dir().then_some(path)
}

/// Asserts two texts are equal, printing both in full when they are not.
#[macro_export]
macro_rules! eqnice {
    ($expected:expr, $got:expr, $what:expr) => {{
        let expected: &str = &$expected;
        let got: &str = &$got;
        if expected != got {
            panic!(
                "\n{} differs\n===== expected =====\n{}\n===== got =====\n{}\n====================\n",
                $what, expected, got
            );
        }
    }};
}

//! [`Budget`]: what a run may still spend, shared by every outlet's task.
//!
//! Two limits keep one bad host from holding the run (and its lock) for
//! hours: a per-host count of consecutive failures to get any answer
//! (timeouts, refused or broken connections), after which that host's
//! remaining pages are left for the next run, and a run deadline
//! (`max_run_secs`), after which no new request starts. The count of a host
//! goes back to zero when it answers; a host given up stays given up for
//! the rest of the run. The state is one map behind a mutex, held only for
//! a lookup, never across an `.await`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use url::Url;

/// What the run may still spend; see the module docs.
#[derive(Debug)]
pub(super) struct Budget {
    /// Consecutive failures after which a host is given up.
    max_host_failures: usize,
    /// No new request starts after this.
    deadline: Option<Instant>,
    /// Consecutive failures per host (`host:port`).
    hosts: Mutex<HashMap<String, usize>>,
}

impl Budget {
    /// A budget of `max_host_failures` per host and an optional deadline.
    pub(super) fn new(max_host_failures: usize, deadline: Option<Instant>) -> Budget {
        Budget {
            max_host_failures: max_host_failures.max(1),
            deadline,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// No limit but a generous failure count (for `sources check`).
    pub(super) fn unlimited() -> Budget {
        Budget::new(usize::MAX, None)
    }

    /// Returns true if and only if the run's deadline has passed.
    pub(super) fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Returns true if and only if `url`'s host failed too often in a row
    /// to be asked again in this run.
    pub(super) fn given_up(&self, url: &Url) -> bool {
        let failures = self.hosts().get(&key(url)).copied().unwrap_or(0);
        failures >= self.max_host_failures
    }

    /// Notes how a request to `url`'s host went: `reached` when the host
    /// answered (whatever the status). Returns true if and only if this
    /// failure is the one that gives the host up.
    pub(super) fn note(&self, url: &Url, reached: bool) -> bool {
        let mut hosts = self.hosts();
        let failures = hosts.entry(key(url)).or_insert(0);
        if reached {
            if *failures < self.max_host_failures {
                *failures = 0;
            }
            return false;
        }
        *failures = failures.saturating_add(1);
        *failures == self.max_host_failures
    }

    /// The host limit, for messages.
    pub(super) fn max_host_failures(&self) -> usize {
        self.max_host_failures
    }

    fn hosts(&self) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
        self.hosts
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

/// The host and port a budget is kept under.
pub(super) fn key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or("").to_ascii_lowercase(),
        url.port_or_known_default().unwrap_or(0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_is_given_up_after_consecutive_failures_only() {
        let b = Budget::new(2, None);
        let a = Url::parse("http://a.example/1").expect("url");
        let other = Url::parse("http://b.example/1").expect("url");
        assert!(!b.note(&a, false));
        assert!(!b.note(&a, true), "an answer resets the count");
        assert!(!b.note(&a, false));
        assert!(!b.given_up(&a));
        assert!(b.note(&a, false), "the second failure in a row gives up");
        assert!(b.given_up(&a));
        assert!(!b.note(&a, true));
        assert!(b.given_up(&a), "given up for the rest of the run");
        assert!(!b.given_up(&other));
        assert!(!b.expired());
        assert!(Budget::new(1, Some(Instant::now())).expired());
    }
}

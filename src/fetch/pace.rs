//! Per-host pacing: one request at a time per host, spaced by the host's
//! interval, and pauses that a server asks for with `Retry-After`.
//!
//! State: [`Pacers`] keeps one [`Host`] per `host:port`, created on first use
//! and kept for the fetcher's life (a run touches a few hundred hosts at
//! most). A [`Host`] is an async mutex over the instant the last request
//! finished, the instant before which no retry may leave (backoff and
//! `Retry-After`) and, after a `Retry-After` too long to wait for, the
//! instant before which the host is not asked again. Whoever holds the lock
//! ([`Slot`]) is the one request in flight to that host; retries keep the
//! lock, so the host's other URLs wait out the backoff too.
//!
//! The interval is `max(1 / rate, Crawl-delay)`, measured from the end of
//! one request (its body read, or its failure) to the start of the next.
//! Measuring from the end rather than the start costs a little throughput
//! but guarantees what the server sees: no two requests closer than the
//! interval, whatever connection or scheduling delays held the first one
//! back on its way out. Each request brings its own interval, so a
//! robots.txt fetched before its `Crawl-delay` was known still counts for
//! spacing the next request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, NaiveDateTime, Utc};
use tokio::time::Instant;

/// The spacing between two requests to one host: `1 / rate` (no spacing
/// when `rate <= 0` or not finite), at least `crawl_delay`.
pub(crate) fn interval(rate: f64, crawl_delay: Option<Duration>) -> Duration {
    let from_rate = if rate.is_finite() && rate > 0.0 {
        Duration::try_from_secs_f64(1.0 / rate).unwrap_or(Duration::MAX)
    } else {
        Duration::ZERO
    };
    from_rate.max(crawl_delay.unwrap_or(Duration::ZERO))
}

/// Every host's pacing state, created on first use.
#[derive(Debug, Default)]
pub(crate) struct Pacers {
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

impl Pacers {
    /// The state of the host with this key (see `urls::host_key`).
    pub(crate) fn host(&self, key: &str) -> Arc<Host> {
        // A poisoned map is still a valid map: nothing panics while holding it.
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(hosts.entry(key.to_owned()).or_default())
    }
}

/// One host's pacing state.
#[derive(Debug, Default)]
pub(crate) struct Host {
    state: tokio::sync::Mutex<HostState>,
}

#[derive(Debug, Default)]
struct HostState {
    /// When the last request finished.
    last: Option<Instant>,
    /// No request leaves before this instant (backoff, `Retry-After`).
    not_before: Option<Instant>,
    /// The host asked not to be contacted before this instant (with the
    /// status that asked, and the wait it asked for).
    blocked: Option<(Instant, u16, Duration)>,
}

impl Host {
    /// Waits until no other request to this host is in flight, then returns
    /// the slot that lets this one go.
    pub(crate) async fn lock(&self) -> Slot<'_> {
        Slot {
            state: self.state.lock().await,
        }
    }
}

/// The right to send requests to one host, held for one URL's attempts.
pub(crate) struct Slot<'a> {
    state: tokio::sync::MutexGuard<'a, HostState>,
}

impl Slot<'_> {
    /// When the host asked for a pause that is still running, returns the
    /// status that asked for it and the wait it asked for.
    pub(crate) fn blocked(&self) -> Option<(u16, Duration)> {
        let (until, status, wait) = self.state.blocked?;
        (Instant::now() < until).then_some((status, wait))
    }

    /// Sleeps until a request spaced `interval` after the host's last one,
    /// and past any deferral, may leave.
    pub(crate) async fn wait(&self, interval: Duration) {
        let spaced = self
            .state
            .last
            .map(|last| last.checked_add(interval).unwrap_or(last));
        if let Some(at) = spaced.max(self.state.not_before) {
            tokio::time::sleep_until(at).await;
        }
    }

    /// Records that a request has just finished (answered or failed).
    pub(crate) fn finished(&mut self) {
        self.state.last = Some(Instant::now());
    }

    /// Holds the host's next request back until at least `delay` from now.
    pub(crate) fn defer(&mut self, delay: Duration) {
        let now = Instant::now();
        let at = now.checked_add(delay).unwrap_or(now);
        self.state.not_before = Some(self.state.not_before.map_or(at, |before| before.max(at)));
    }

    /// Marks the host as asking (with `status`) not to be contacted for `wait`.
    pub(crate) fn block(&mut self, status: u16, wait: Duration) {
        let now = Instant::now();
        self.state.blocked = Some((now.checked_add(wait).unwrap_or(now), status, wait));
    }
}

/// Parses a `Retry-After` value: delay seconds or an HTTP date (RFC 9110
/// §10.2.3), relative to `now`. A date in the past means no wait. Returns
/// `None` when the value is neither.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value)?;
    let now: DateTime<Utc> = now.into();
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

/// Parses the three HTTP date formats: IMF-fixdate, RFC 850 and asctime.
fn parse_http_date(value: &str) -> Option<DateTime<Utc>> {
    if let Ok(date) = DateTime::parse_from_rfc2822(value) {
        return Some(date.with_timezone(&Utc));
    }
    ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
        .map(|naive| naive.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_from_rate_and_crawl_delay() {
        assert_eq!(interval(5.0, None), Duration::from_millis(200));
        assert_eq!(interval(0.0, None), Duration::ZERO);
        assert_eq!(interval(-1.0, None), Duration::ZERO);
        assert_eq!(interval(f64::NAN, None), Duration::ZERO);
        assert_eq!(interval(f64::INFINITY, None), Duration::ZERO);
        assert_eq!(
            interval(5.0, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            interval(0.5, Some(Duration::from_secs(1))),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21 07:28:00 UTC
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wednesday, 21-Oct-15 07:29:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_retry_after("Wed Oct 21 07:28:05 2015", now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            parse_retry_after("Tue, 20 Oct 2015 07:28:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    #[tokio::test]
    async fn slot_spacing_defer_and_block() {
        let pacers = Pacers::default();
        let host = pacers.host("example.com:443");
        let start = Instant::now();
        {
            let mut slot = host.lock().await;
            slot.wait(Duration::from_secs(60)).await; // nothing sent yet: no wait
            slot.finished();
            assert!(slot.blocked().is_none());
        }
        {
            let same = pacers.host("example.com:443");
            let mut slot = same.lock().await;
            slot.wait(Duration::from_millis(60)).await;
            assert!(start.elapsed() >= Duration::from_millis(60));
            assert!(start.elapsed() < Duration::from_secs(30));
            slot.finished();
            slot.defer(Duration::from_millis(40));
            slot.defer(Duration::from_millis(10)); // never pulls it earlier
            slot.block(429, Duration::from_secs(60));
        }
        let slot = host.lock().await;
        slot.wait(Duration::ZERO).await;
        assert!(start.elapsed() >= Duration::from_millis(100));
        assert_eq!(slot.blocked(), Some((429, Duration::from_secs(60))));
    }
}

//! robots.txt: what a fetched file means (RFC 9309), and the cache that
//! makes each origin's file fetched once per [`Fetcher`](super::Fetcher).
//!
//! State: [`RobotsCache`] maps each origin (`scheme://host:port`) to a cell
//! filled by the first request to that origin; requests that arrive while it
//! is being fetched wait for it. Entries never change after that, so a run
//! sees one consistent robots.txt per origin.
//!
//! Parsing and matching are texting_robots', which lowercases the agent and
//! falls back to the `*` group. What a reply means follows RFC 9309 §2.3.1:
//! 2xx is parsed, 4xx means no restrictions, 5xx means complete disallow,
//! and a host that could not be reached at all is not crawled this run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use texting_robots::Robot;
use tokio::sync::OnceCell;
use url::Url;

use super::error::FetchErrorKind;

/// robots.txt bodies are read up to this size and the rest ignored
/// (RFC 9309 §2.5 asks parsers to read at least 500 KiB).
pub(crate) const MAX_ROBOTS_BYTES: usize = 512 * 1024;

/// What one origin's robots.txt says.
#[derive(Debug)]
pub(crate) enum Robots {
    /// A parsed file.
    Rules(Box<Robot>),
    /// No restrictions (a 4xx, or a file that does not parse).
    AllowAll,
    /// Nothing may be fetched (the server answered 5xx).
    DisallowAll,
    /// The file could not be fetched (connect error, timeout ...).
    Unreachable(FetchErrorKind),
}

/// The verdict on one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// May be fetched, no sooner than the crawl delay after the host's last request.
    Allowed {
        /// The `Crawl-delay` of the matching group, if any.
        crawl_delay: Option<Duration>,
    },
    /// robots.txt forbids it.
    Disallowed,
    /// robots.txt could not be fetched, so the host is left alone.
    Unreachable(FetchErrorKind),
}

impl Robots {
    /// Reads a robots.txt reply with this status and body, for the agent
    /// token `agent` (e.g. `wirecopy`).
    pub(crate) fn from_reply(status: u16, body: &[u8], agent: &str) -> Robots {
        match status {
            200..=299 => match Robot::new(agent, body) {
                Ok(robot) => Robots::Rules(Box::new(robot)),
                // texting_robots is forgiving; a file it still refuses is
                // treated like a missing one rather than blocking the site.
                Err(_) => Robots::AllowAll,
            },
            500..=599 => Robots::DisallowAll,
            // 4xx ("unavailable") and anything else unexpected.
            _ => Robots::AllowAll,
        }
    }

    /// The verdict on `url`.
    pub(crate) fn verdict(&self, url: &Url) -> Verdict {
        match self {
            Robots::Rules(robot) => {
                if robot.allowed(url.as_str()) {
                    Verdict::Allowed {
                        crawl_delay: robot
                            .delay
                            .and_then(|delay| Duration::try_from_secs_f32(delay).ok()),
                    }
                } else {
                    Verdict::Disallowed
                }
            }
            Robots::AllowAll => Verdict::Allowed { crawl_delay: None },
            Robots::DisallowAll => Verdict::Disallowed,
            Robots::Unreachable(kind) => Verdict::Unreachable(kind.clone()),
        }
    }

    /// The `Sitemap:` lines, resolved against `base`; empty unless parsed.
    pub(crate) fn sitemaps(&self, base: &Url) -> Vec<Url> {
        match self {
            Robots::Rules(robot) => robot
                .sitemaps
                .iter()
                .filter_map(|line| base.join(line).ok())
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The product token of a User-Agent string, which robots.txt groups name:
/// `wirecopy` for `wirecopy/0.1 (+https://example.org/bot)`.
pub(crate) fn agent_token(user_agent: &str) -> &str {
    let end = user_agent
        .find(|c: char| c == '/' || c.is_whitespace())
        .unwrap_or(user_agent.len());
    match &user_agent[..end] {
        "" => "*",
        token => token,
    }
}

/// What one robots.txt reply means for one URL, as the fetcher reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RobotsAnswer {
    /// Whether `url` may be fetched.
    pub allowed: bool,
    /// The `Crawl-delay` of the matching group, if any and allowed.
    pub crawl_delay: Option<Duration>,
    /// The `Sitemap:` lines, resolved against `url`.
    pub sitemaps: Vec<Url>,
}

/// Reads a robots.txt reply (`status`, `body`) the way the fetcher does,
/// with the agent token of `user_agent`, and judges `url` by it: the same
/// body cap, status meanings and matching, without a server. For tests,
/// tools and fuzzing.
pub fn robots_answer(status: u16, body: &[u8], user_agent: &str, url: &Url) -> RobotsAnswer {
    let body = &body[..body.len().min(MAX_ROBOTS_BYTES)];
    let robots = Robots::from_reply(status, body, agent_token(user_agent));
    let (allowed, crawl_delay) = match robots.verdict(url) {
        Verdict::Allowed { crawl_delay } => (true, crawl_delay),
        Verdict::Disallowed | Verdict::Unreachable(_) => (false, None),
    };
    RobotsAnswer {
        allowed,
        crawl_delay,
        sitemaps: robots.sitemaps(url),
    }
}

/// Each origin's robots.txt, fetched once.
#[derive(Debug, Default)]
pub(crate) struct RobotsCache {
    origins: Mutex<HashMap<String, Arc<OnceCell<Arc<Robots>>>>>,
}

impl RobotsCache {
    /// The cell for this origin key (see `urls::origin_key`), empty until
    /// its robots.txt has been fetched.
    pub(crate) fn cell(&self, origin: &str) -> Arc<OnceCell<Arc<Robots>>> {
        // A poisoned map is still a valid map: nothing panics while holding it.
        let mut origins = self.origins.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(origins.entry(origin.to_owned()).or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(path: &str) -> Url {
        Url::parse("https://news.example")
            .and_then(|base| base.join(path))
            .expect("valid URL")
    }

    const TXT: &[u8] = b"# comment\n\
        User-agent: wirecopy\n\
        Disallow: /private/\n\
        Allow: /private/open\n\
        Crawl-delay: 2.5\n\
        \n\
        User-agent: *\n\
        Disallow: /\n\
        \n\
        Sitemap: https://news.example/sitemap.xml\n\
        Sitemap: /news-sitemap.xml.gz\n";

    #[test]
    fn our_group_rules_and_crawl_delay() {
        let robots = Robots::from_reply(200, TXT, "wirecopy");
        let allowed = Verdict::Allowed {
            crawl_delay: Some(Duration::from_millis(2500)),
        };
        assert_eq!(robots.verdict(&url("/world/story")), allowed);
        assert_eq!(robots.verdict(&url("/private/x")), Verdict::Disallowed);
        assert_eq!(robots.verdict(&url("/private/open/x")), allowed);
        assert_eq!(robots.verdict(&url("/robots.txt")), allowed);
    }

    #[test]
    fn other_agents_fall_back_to_star() {
        let robots = Robots::from_reply(200, TXT, "otherbot");
        assert_eq!(robots.verdict(&url("/world/story")), Verdict::Disallowed);
        let robots = Robots::from_reply(200, b"User-agent: *\nDisallow: /search\n", "WireCopy");
        assert_eq!(robots.verdict(&url("/search?q=x")), Verdict::Disallowed);
        assert_eq!(
            robots.verdict(&url("/")),
            Verdict::Allowed { crawl_delay: None }
        );
    }

    #[test]
    fn status_meanings() {
        let any = url("/a");
        let allowed = Verdict::Allowed { crawl_delay: None };
        assert_eq!(Robots::from_reply(404, b"", "w").verdict(&any), allowed);
        assert_eq!(Robots::from_reply(403, b"", "w").verdict(&any), allowed);
        assert_eq!(
            Robots::from_reply(503, b"", "w").verdict(&any),
            Verdict::Disallowed
        );
        assert_eq!(Robots::from_reply(200, b"", "w").verdict(&any), allowed);
        assert_eq!(
            Robots::Unreachable(FetchErrorKind::Timeout).verdict(&any),
            Verdict::Unreachable(FetchErrorKind::Timeout)
        );
    }

    #[test]
    fn sitemap_lines_resolve() {
        let robots = Robots::from_reply(200, TXT, "wirecopy");
        let sitemaps: Vec<String> = robots
            .sitemaps(&url("/"))
            .iter()
            .map(Url::to_string)
            .collect();
        assert_eq!(
            sitemaps,
            [
                "https://news.example/sitemap.xml",
                "https://news.example/news-sitemap.xml.gz"
            ]
        );
    }

    #[test]
    fn agent_tokens() {
        assert_eq!(
            agent_token("wirecopy/0.1 (+https://example.org/bot)"),
            "wirecopy"
        );
        assert_eq!(agent_token("Mozilla/5.0"), "Mozilla");
        assert_eq!(agent_token("plainbot"), "plainbot");
        assert_eq!(agent_token(""), "*");
    }

    /// The rules of the `*` groups of a robots.txt, read naively (a group is
    /// a run of `User-agent` lines and the rules after them), lowercased.
    fn star_rules(text: &str) -> Vec<(String, String)> {
        let mut rules = Vec::new();
        let (mut star, mut in_agents) = (false, false);
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        star = false;
                    }
                    in_agents = true;
                    star |= value == "*";
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if star {
                        rules.push((key, value.to_string()));
                    }
                }
                // Any other line (`Crawl-delay` ...) also ends the agent lines.
                _ => in_agents = false,
            }
        }
        rules
    }

    /// Issue 12: robots.txt handling over the 4,231 real files of
    /// `../shared/bench/robots/files` (not in the repository): no panic, a
    /// file whose `*` group only says `Disallow: /` refuses `/x` to an
    /// unlisted agent, and absolute `Sitemap:` lines are found.
    #[test]
    fn r12_real_robots_files_are_read_sanely() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/robots/files");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            println!("skipped: {} does not exist", dir.display());
            return;
        };
        let (mut files, mut refusing, mut with_sitemaps) = (0, 0, 0);
        for entry in entries.flatten() {
            let Ok(body) = std::fs::read(entry.path()) else {
                continue;
            };
            files += 1;
            let name = entry.file_name().to_string_lossy().into_owned();
            let page = url("/x");
            let started = std::time::Instant::now();
            let ours = robots_answer(200, &body, "wirecopy/0.1", &page);
            // Generous for a debug build; release reads the largest in milliseconds.
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "{name}: took {:?}",
                started.elapsed()
            );
            let text = String::from_utf8_lossy(&body);
            let rules = star_rules(&text);
            if !text.to_ascii_lowercase().contains("zzunlistedbot")
                && rules.iter().any(|(k, v)| k == "disallow" && v == "/")
                && rules.iter().all(|(k, _)| k == "disallow")
            {
                refusing += 1;
                let unlisted = robots_answer(200, &body, "zzunlistedbot", &page);
                assert_eq!(ours.sitemaps, unlisted.sitemaps, "{name}");
                assert!(!unlisted.allowed, "{name}: `Disallow: /` for * allows /x");
            }
            let absolute = text.lines().any(|line| {
                let line = line.trim();
                line.get(..8)
                    .is_some_and(|key| key.eq_ignore_ascii_case("sitemap:"))
                    && line
                        .get(8..)
                        .and_then(|u| Url::parse(u.trim()).ok())
                        .is_some_and(|u| u.scheme().starts_with("http"))
            });
            if absolute && body.len() <= MAX_ROBOTS_BYTES {
                with_sitemaps += 1;
                assert!(!ours.sitemaps.is_empty(), "{name}: Sitemap line not found");
            }
        }
        println!(
            "{files} robots.txt files, {refusing} refuse all to *, {with_sitemaps} name a sitemap"
        );
        assert!(files == 0 || (refusing > 0 && with_sitemaps > 0));
    }
}

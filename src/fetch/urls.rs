//! URL normalisation, so that one article reached through a feed, a sitemap
//! and a section page is stored once.
//!
//! [`normalize`] keeps what names the resource and drops what only tracks
//! the reader. It is conservative: path case, parameter order and
//! parameter encoding stay as the outlet wrote them, because servers may
//! treat them as significant. The page's own `<link rel="canonical">`,
//! read later by the cleaner, has the last word.

use url::Url;

/// Query parameters removed by [`normalize`], compared case-insensitively.
/// Any parameter starting with `utm_` is removed as well.
pub const TRACKING_PARAMS: &[&str] = &[
    // Ad and social click ids.
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "igshid",
    "ttclid",
    // Mailchimp, Google Analytics, HubSpot.
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    // Referral tags used by Twitter/X, news aggregators and AT Internet.
    "ref_src",
    "ref_url",
    "__twitter_impression",
    "at_medium",
    "at_campaign",
    "at_source",
];

/// Returns true if and only if `key` names a tracking parameter.
fn is_tracking(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower.starts_with("utm_") || TRACKING_PARAMS.contains(&lower.as_str())
}

/// Returns `url` without what does not name the resource.
///
/// * scheme and host lowercased, default ports dropped (the `url` crate does
///   both when parsing `http` and `https` URLs; this function relies on it);
/// * the fragment dropped;
/// * tracking parameters dropped: `utm_*` and [`TRACKING_PARAMS`]; an empty
///   query is removed with its `?`.
///
/// Everything else (path case, trailing slashes, the order and encoding of
/// the other parameters) is kept.
///
/// ```
/// use url::Url;
/// use wirecopy::fetch::normalize;
///
/// let url = Url::parse("HTTPS://News.Example:443/World/Story?id=7&utm_source=rss#top").unwrap();
/// assert_eq!(normalize(&url).as_str(), "https://news.example/World/Story?id=7");
/// ```
pub fn normalize(url: &Url) -> Url {
    let mut out = url.clone();
    out.set_fragment(None);
    if let Some(query) = url.query() {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .filter(|pair| {
                let key = pair.split_once('=').map_or(*pair, |(key, _)| key);
                !is_tracking(key)
            })
            .collect();
        if kept.is_empty() {
            out.set_query(None);
        } else {
            out.set_query(Some(&kept.join("&")));
        }
    }
    out
}

/// The key under which per-host state (pacing) is kept: the lowercased host
/// and the port. Returns `None` for URLs without a host.
pub(crate) fn host_key(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    let port = url.port_or_known_default().unwrap_or(0);
    Some(format!("{}:{port}", host.to_ascii_lowercase()))
}

/// The key under which robots.txt is cached: scheme, host and port, as
/// RFC 9309 §2.3 scopes a robots.txt to one origin.
pub(crate) fn origin_key(url: &Url) -> Option<String> {
    host_key(url).map(|host| format!("{}://{host}", url.scheme()))
}

/// Host prefixes that name another view of the same site, not another site.
const VIEW_PREFIXES: &[&str] = &["www.", "amp.", "m.", "mobile."];

/// Returns true if and only if `a` and `b` are on the same site: the same
/// host once a `www.`, `amp.`, `m.` or `mobile.` prefix is set aside, and
/// the same port (a scheme's default port counts as no port, so an `http`
/// page and its `https` twin are one site).
///
/// A page's `rel=canonical` may only name a twin on its own site (an AMP
/// page, a tracking variant). A canonical on another site is a claim of
/// syndication, never a reason to take the page for a stored one.
///
/// ```
/// use url::Url;
/// use wirecopy::fetch::same_site;
///
/// let page = Url::parse("https://amp.news.example/story/1").unwrap();
/// assert!(same_site(&page, &Url::parse("http://www.news.example/story/1").unwrap()));
/// assert!(!same_site(&page, &Url::parse("https://agency.example/story/1").unwrap()));
/// ```
pub fn same_site(a: &Url, b: &Url) -> bool {
    fn site(url: &Url) -> Option<(String, Option<u16>)> {
        let mut host = url.host_str()?.to_ascii_lowercase();
        while let Some(prefix) = VIEW_PREFIXES.iter().find(|p| host.starts_with(**p)) {
            host.drain(..prefix.len());
        }
        // `Url::port` is `None` for the scheme's default port.
        Some((host, url.port()))
    }
    match (site(a), site(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_site_ignores_view_prefixes_and_default_ports_not_other_ports() {
        let u = |s: &str| Url::parse(s).expect("valid URL");
        assert!(same_site(&u("https://e.com/a"), &u("https://www.e.com/b")));
        assert!(same_site(&u("http://m.e.com:80/a"), &u("https://e.com/b")));
        assert!(!same_site(
            &u("https://e.com/a"),
            &u("https://agency.com/a")
        ));
        assert!(!same_site(
            &u("http://127.0.0.1:4000/a"),
            &u("http://127.0.0.1:4001/a")
        ));
        assert!(!same_site(
            &u("https://news.e.com/a"),
            &u("https://e.com/a")
        ));
    }

    fn norm(input: &str) -> String {
        normalize(&Url::parse(input).expect("valid URL")).to_string()
    }

    #[test]
    fn lowercases_scheme_and_host_and_drops_default_ports() {
        assert_eq!(
            norm("HTTP://WWW.Example.COM:80/A/b"),
            "http://www.example.com/A/b"
        );
        assert_eq!(norm("https://example.com:443/"), "https://example.com/");
        assert_eq!(
            norm("https://example.com:8443/x"),
            "https://example.com:8443/x"
        );
    }

    #[test]
    fn drops_fragment_and_tracking_params_keeps_the_rest_in_order() {
        assert_eq!(
            norm("https://e.com/a?z=1&utm_source=rss&UTM_Medium=x&a=2&fbclid=abc#frag"),
            "https://e.com/a?z=1&a=2"
        );
        assert_eq!(
            norm("https://e.com/a?gclid=1&yclid=2&mc_cid=3&mc_eid=4&_ga=5&ref_src=6"),
            "https://e.com/a"
        );
        assert_eq!(norm("https://e.com/a?#x"), "https://e.com/a");
        assert_eq!(norm("https://e.com/a?&&id=3&"), "https://e.com/a?id=3");
    }

    #[test]
    fn keeps_path_case_and_parameter_encoding() {
        assert_eq!(
            norm("https://e.com/News/2024/Story.HTML?q=a%20b&page=2"),
            "https://e.com/News/2024/Story.HTML?q=a%20b&page=2"
        );
        assert_eq!(
            norm("https://e.com/a?reference=1"),
            "https://e.com/a?reference=1"
        );
    }

    #[test]
    fn cyrillic_hosts_and_paths_survive() {
        let url = norm("https://ТАСС.РФ/новости?utm_campaign=x");
        assert!(url.starts_with("https://xn--"), "{url}");
        assert!(
            url.ends_with(".xn--p1ai/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8"),
            "{url}"
        );
    }

    #[test]
    fn keys() {
        let url = Url::parse("https://Example.com/a").expect("valid URL");
        assert_eq!(host_key(&url).as_deref(), Some("example.com:443"));
        assert_eq!(origin_key(&url).as_deref(), Some("https://example.com:443"));
    }
}

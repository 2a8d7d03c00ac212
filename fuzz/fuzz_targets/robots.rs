//! Fuzz target: robots.txt handling, `fetch::robots_answer`, on any body,
//! for our agent and an unlisted one, on a few paths.
#![no_main]

use libfuzzer_sys::fuzz_target;
use url::Url;
use wirecopy::fetch::robots_answer;

const PATHS: [&str; 5] = [
    "/",
    "/x",
    "/news/2024/story.html?id=1",
    "/%E2%82%AC/a*b$",
    "/private/",
];

fuzz_target!(|data: &[u8]| {
    let Ok(base) = Url::parse("https://news.example/") else {
        return;
    };
    for path in PATHS {
        let Ok(url) = base.join(path) else {
            continue;
        };
        for agent in ["wirecopy/0.1 (+https://example.org/bot)", "unlistedbot"] {
            let answer = robots_answer(200, data, agent, &url);
            if !answer.allowed {
                assert_eq!(answer.crawl_delay, None);
            }
        }
    }
});

//! The review app's test harness: a review database made through the store
//! API as a run would make it, an app started on a loopback port, and
//! [`Tab`], a client that keeps its cookies as one browser tab does.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use wirecopy::clean::Article;
use wirecopy::dedup::{sketch, CanonicalPolicy, DocMeta, Relation};
use wirecopy::store::{
    ClusterPlacement, FetchRecord, NewArticle, OutletRow, SqliteStore, Store, UrlKind,
};
use wirecopy::web::ReviewApp;

use crate::util::Dir;

/// A scraped headline and text that try to run script in the reviewer's browser.
pub const HOSTILE_TITLE: &str = "Ferry line reopens <script>document.title='pwned'</script>";
pub const HOSTILE_TEXT: &str = "KALININGRAD, March 4. /TASS/. The ferry line to Ust-Luga reopened on Monday after repairs. \
    <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> A second ferry joins it in April, the operator said. \
    <script>document.body.setAttribute('data-pwned','2')</script> Tickets went on sale at noon.";

/// The ids of the review database: two clusters with reprints and a single.
pub struct ReviewDb {
    pub path: PathBuf,
    /// The ferry story: agency original, a hostile near reprint, an exact reprint.
    pub ferry: i64,
    pub ferry_original: i64,
    pub ferry_hostile: i64,
    pub ferry_exact: i64,
    /// The wheat story: agency original and one reprint.
    pub wheat: i64,
    /// A single article.
    pub single: i64,
}

/// Builds the review database in `dir` through the store API, as a run would.
pub fn review_db(dir: &Dir) -> ReviewDb {
    let path = dir.path.join("wirecopy.db");
    let mut store = SqliteStore::open(&path).expect("database");
    let outlets = [("tass", true), ("blog<b>", false), ("daily", false)];
    store
        .sync_outlets(&outlets.map(|(name, agency)| OutletRow {
            name: name.into(),
            homepage: format!("https://{name}.example/"),
            agency,
        }))
        .expect("outlets");
    let run = store.begin_run().expect("run");
    let ferry_text = "KALININGRAD, March 4. /TASS/. The ferry line to Ust-Luga reopened on Monday after repairs. A second ferry joins it in April, the operator said. Tickets went on sale at noon.";
    let (ferry_original, ferry) = save(
        &mut store,
        run,
        "tass",
        "https://tass.example/ferry",
        "Ferry line reopens",
        ferry_text,
        None,
        4,
    );
    let (ferry_hostile, _) = save(
        &mut store,
        run,
        "blog<b>",
        "javascript:alert(1)",
        HOSTILE_TITLE,
        HOSTILE_TEXT,
        Some((ferry_original, Relation::Near, 0.55)),
        4,
    );
    let (ferry_exact, _) = save(
        &mut store,
        run,
        "daily",
        "https://daily.example/ferry",
        "Ferry line reopens",
        ferry_text,
        Some((ferry_original, Relation::Exact, 1.0)),
        5,
    );
    let wheat_text = "MOSCOW, March 5. /TASS/. The wheat export duty fell for a second week, the ministry said on Tuesday. Traders expect a further cut.";
    let (wheat_original, wheat) = save(
        &mut store,
        run,
        "tass",
        "https://tass.example/wheat",
        "Wheat duty falls",
        wheat_text,
        None,
        5,
    );
    save(
        &mut store,
        run,
        "daily",
        "https://daily.example/wheat",
        "Wheat duty falls again",
        wheat_text,
        Some((wheat_original, Relation::Exact, 1.0)),
        5,
    );
    let (_, single) = save(
        &mut store,
        run,
        "tass",
        "https://tass.example/metro",
        "Metro opens",
        "The new metro station opened on Wednesday.",
        None,
        6,
    );
    ReviewDb {
        path,
        ferry,
        ferry_original,
        ferry_hostile,
        ferry_exact,
        wheat,
        single,
    }
}

/// Starts the app over `db` on a loopback port; returns its origin.
pub async fn start(db: &Path, token: Option<&str>) -> String {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("bind loopback");
    let addr: SocketAddr = listener.local_addr().expect("bound address");
    let store = SqliteStore::open(db).expect("open database");
    let app = ReviewApp::new(Box::new(store), addr, token.map(str::to_string)).expect("app");
    tokio::spawn(app.serve(listener));
    format!("http://{addr}")
}

/// A client that keeps cookies, as one browser tab would, and never follows redirects.
pub struct Tab {
    origin: String,
    client: reqwest::Client,
    pub cookies: HashMap<String, String>,
    pub bearer: Option<String>,
}

/// One answer.
pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    /// The value of the hidden `csrf` field of the page's forms.
    pub fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .expect("a form with a csrf field");
        let rest = &self.body[at + 19..];
        rest[..rest.find('"').expect("end of value")].to_string()
    }

    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .expect("a Location header")
    }
}

impl Tab {
    pub fn new(origin: &str) -> Tab {
        Tab {
            origin: origin.to_string(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            cookies: HashMap::new(),
            bearer: None,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let mut request = request.header("Cookie", self.cookie_header());
        if let Some(token) = &self.bearer {
            request = request.bearer_auth(token);
        }
        let resp = request.send().await.expect("the app answers");
        for value in resp.headers().get_all("set-cookie") {
            let value = value.to_str().expect("ASCII cookie");
            let pair = value.split(';').next().expect("name=value");
            let (k, v) = pair.split_once('=').expect("name=value");
            self.cookies.insert(k.to_string(), v.to_string());
        }
        Page {
            status: resp.status().as_u16(),
            headers: resp.headers().clone(),
            body: resp.text().await.expect("body"),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let url = format!("{}{path}", self.origin);
        let request = self.client.get(url);
        self.send(request).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let url = format!("{}{path}", self.origin);
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let request = self
            .client
            .post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }
}

/// Saves one article as a run would, placed after `matched` (id, relation,
/// similarity) or founding a cluster; `day` is its day of March 2024.
/// Returns the article's id and its cluster's.
#[allow(clippy::too_many_arguments)]
pub fn save(
    store: &mut SqliteStore,
    run: i64,
    outlet: &str,
    url: &str,
    title: &str,
    text: &str,
    matched: Option<(i64, Relation, f64)>,
    day: u32,
) -> (i64, i64) {
    let published = format!("2024-03-0{day}T10:00:00+00:00");
    let article = Article {
        title: Some(title.into()),
        text: text.into(),
        published: Some(published),
        ..Article::default()
    };
    let s = sketch(text);
    store
        .save_article(&NewArticle {
            fetch: FetchRecord {
                run,
                outlet,
                url,
                kind: UrlKind::Article,
                status: Some(200),
                etag: None,
                last_modified: None,
                error: None,
                stage: None,
            },
            final_url: url,
            html: b"<p>page</p>",
            article: &article,
            claimed_canonical: None,
            normalized: "",
            fingerprint: &s.fingerprint,
            cluster: ClusterPlacement {
                matched: matched.map(|m| m.0),
                relation: matched.map_or(Relation::Canonical, |m| m.1),
                similarity: matched.map_or(1.0, |m| m.2),
                meta: DocMeta {
                    agency: outlet == "tass",
                    published: Some(1_709_546_400 + i64::from(day) * 86_400),
                    words: s.fingerprint.words,
                },
            },
            policy: CanonicalPolicy::default(),
            index: None,
        })
        .expect("save")
}

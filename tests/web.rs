//! `wirecopy serve` (`wirecopy::web`) over plain HTTP: pages, CSRF, the
//! token, the Host check, decisions and undo through the store, use from
//! two tabs beside a cron run, and the command's binding rules. The browser
//! checks are in `browser.rs`; the harness in `webtab.rs`.

use std::net::SocketAddr;
use std::path::Path;

use wirecopy::store::{SqliteStore, Store};
use wirecopy::web::ReviewApp;

use crate::util::Dir;
use crate::webtab::{review_db, start, Tab};

fn reopen(db: &Path) -> SqliteStore {
    SqliteStore::open(db).expect("reopen database")
}

#[tokio::test]
async fn the_list_shows_doubtful_clusters_first_with_filters_and_safe_headers() {
    let dir = Dir::new("web-list");
    let db = review_db(&dir);
    let origin = start(&db.path, None).await;
    let mut tab = Tab::new(&origin);
    let list = tab.get("/").await;
    assert_eq!(list.status, 200);
    let csp = list.headers["content-security-policy"]
        .to_str()
        .expect("CSP");
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    let cookie = list.headers["set-cookie"].to_str().expect("cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let ferry = list
        .body
        .find(&format!("href=\"/cluster/{}\"", db.ferry))
        .expect("ferry listed");
    let wheat = list
        .body
        .find(&format!("href=\"/cluster/{}\"", db.wheat))
        .expect("wheat listed");
    assert!(ferry < wheat, "the doubtful cluster comes first");
    assert!(
        !list
            .body
            .contains(&format!("href=\"/cluster/{}\"", db.single)),
        "singles are not listed"
    );
    assert!(list.body.contains("2 clusters with reprints match"));
    assert!(
        list.body.contains("blog&lt;b&gt;"),
        "outlet names are escaped"
    );

    let near = tab.get("/?relation=near").await.body;
    assert!(
        near.contains("1 cluster with reprints match")
            && near.contains(&format!("/cluster/{}", db.ferry))
    );
    let blog = tab.get("/?outlet=blog%3Cb%3E&date=").await.body;
    assert!(blog.contains("1 cluster with reprints match"));
    let day = tab.get("/?date=2024-03-05").await.body;
    assert!(
        day.contains("2 clusters with reprints match"),
        "the ferry has a reprint of the 5th"
    );
    assert!(tab
        .get("/?date=2024-03-09")
        .await
        .body
        .contains("No cluster matches"));
    assert_eq!(tab.get("/cluster/99999").await.status, 404);
    assert_eq!(tab.get("/no/such/page").await.status, 404);
}

#[tokio::test]
async fn a_post_without_the_csrf_token_is_refused_and_changes_nothing() {
    let dir = Dir::new("web-csrf");
    let db = review_db(&dir);
    let origin = start(&db.path, None).await;
    let mut tab = Tab::new(&origin);
    let page = tab.get(&format!("/cluster/{}", db.ferry)).await;
    assert_eq!(page.status, 200);
    let token = page.csrf();
    let confirm = format!("/cluster/{}/confirm", db.ferry);
    let split = format!("/cluster/{}/split", db.ferry);
    let hostile = db.ferry_hostile.to_string();

    assert_eq!(tab.post(&confirm, &[]).await.status, 403, "no token");
    // Every action, each with the fields it needs but no token.
    let (wheat, article) = (db.wheat.to_string(), db.ferry_exact.to_string());
    for (path, fields) in [
        (
            format!("/cluster/{}/split", db.ferry),
            vec![("article", article.as_str())],
        ),
        (
            format!("/cluster/{}/merge", db.ferry),
            vec![("other", wheat.as_str())],
        ),
        (
            format!("/cluster/{}/canonical", db.ferry),
            vec![("article", article.as_str())],
        ),
        (
            format!("/cluster/{}/confirm", db.ferry),
            vec![("note", "x")],
        ),
        ("/decisions/undo".to_string(), vec![("decision", "1")]),
        ("/login".to_string(), vec![("token", "x")]),
    ] {
        let page = tab.post(&path, &fields).await;
        assert_eq!(page.status, 403, "{path}");
        assert!(
            page.body.contains("nothing was changed"),
            "{path}: {}",
            page.body
        );
    }
    assert_eq!(
        tab.post(&split, &[("article", &hostile), ("csrf", "")])
            .await
            .status,
        403
    );
    // Another session's token does not fit this session.
    let mut other = Tab::new(&origin);
    let theirs = other.get(&format!("/cluster/{}", db.ferry)).await.csrf();
    assert_ne!(theirs, token);
    assert_eq!(
        tab.post(&split, &[("article", &hostile), ("csrf", &theirs)])
            .await
            .status,
        403
    );
    // A token without its session cookie is refused too.
    let mut cookieless = Tab::new(&origin);
    assert_eq!(
        cookieless.post(&confirm, &[("csrf", &token)]).await.status,
        403
    );

    let store = reopen(&db.path);
    let ferry = store.cluster(db.ferry).expect("read").expect("cluster");
    assert!(ferry.confirmed_at.is_none() && ferry.decisions.is_empty());
    assert_eq!(ferry.members.len(), 2, "nothing was split");
    assert!(store.recent_decisions(10).expect("read").is_empty());

    let done = tab
        .post(
            &confirm,
            &[("csrf", &token), ("note", "checked <b>by hand</b>")],
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(
        done.location(),
        format!("/cluster/{}?done=confirm", db.ferry)
    );
    let ferry = reopen(&db.path)
        .cluster(db.ferry)
        .expect("read")
        .expect("cluster");
    assert!(ferry.confirmed_at.is_some());
    assert_eq!(
        ferry.decisions[0].note.as_deref(),
        Some("checked <b>by hand</b>")
    );
    let shown = tab.get(done.location()).await.body;
    assert!(shown.contains("Confirmed.") && shown.contains("checked &lt;b&gt;by hand&lt;/b&gt;"));
}

#[tokio::test]
async fn decisions_go_through_the_store_and_undo_as_a_stack() {
    let dir = Dir::new("web-decide");
    let db = review_db(&dir);
    let origin = start(&db.path, None).await;
    let mut tab = Tab::new(&origin);
    let csrf = tab.get(&format!("/cluster/{}", db.ferry)).await.csrf();

    // Split the hostile reprint out: it becomes a cluster of its own.
    let split = tab
        .post(
            &format!("/cluster/{}/split", db.ferry),
            &[("csrf", &csrf), ("article", &db.ferry_hostile.to_string())],
        )
        .await;
    assert_eq!(split.status, 303, "{}", split.body);
    let store = reopen(&db.path);
    let ferry = store.cluster(db.ferry).expect("read").expect("cluster");
    assert_eq!(ferry.members.len(), 1);
    let decisions = store.recent_decisions(10).expect("read");
    assert_eq!(decisions.len(), 1);
    assert!(split.location().contains("done=split&new="));

    // Merge the wheat cluster into the ferry one, then make the exact reprint canonical.
    let merged = tab
        .post(
            &format!("/cluster/{}/merge", db.ferry),
            &[("csrf", &csrf), ("other", &db.wheat.to_string())],
        )
        .await;
    assert_eq!(merged.status, 303);
    assert!(reopen(&db.path).cluster(db.wheat).expect("read").is_none());
    let canonical = tab
        .post(
            &format!("/cluster/{}/canonical", db.ferry),
            &[("csrf", &csrf), ("article", &db.ferry_exact.to_string())],
        )
        .await;
    assert_eq!(canonical.status, 303);
    let ferry = reopen(&db.path)
        .cluster(db.ferry)
        .expect("read")
        .expect("cluster");
    assert_eq!(ferry.canonical.info.id, db.ferry_exact);
    assert!(ferry.canonical_locked);
    assert_eq!(ferry.members.len(), 3);

    // A decision that does not fit (the article left already) is a conflict, and changes nothing.
    let stale = tab
        .post(
            &format!("/cluster/{}/split", db.ferry),
            &[("csrf", &csrf), ("article", &db.ferry_hostile.to_string())],
        )
        .await;
    assert_eq!(stale.status, 409);
    assert!(stale.body.contains("is not in cluster"));

    // The recent decisions, newest first, with undo on the newest only.
    let recent = tab.get("/decisions").await.body;
    assert_eq!(recent.matches("action=\"/decisions/undo\"").count(), 1);
    let ids: Vec<i64> = reopen(&db.path)
        .recent_decisions(10)
        .expect("read")
        .iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids.len(), 3);
    // Undoing an older one (a second tab's stale page) is refused.
    let older = tab
        .post(
            "/decisions/undo",
            &[("csrf", &csrf), ("decision", &ids[1].to_string())],
        )
        .await;
    assert_eq!(older.status, 409, "{}", older.body);
    assert!(older.body.contains("only the last decision can be undone"));

    // Undo canonical, merge, split: back where we started.
    for id in &ids {
        let undone = tab
            .post(
                "/decisions/undo",
                &[("csrf", &csrf), ("decision", &id.to_string())],
            )
            .await;
        assert_eq!(undone.status, 303, "{}", undone.body);
    }
    let store = reopen(&db.path);
    assert!(store.recent_decisions(10).expect("read").is_empty());
    let ferry = store.cluster(db.ferry).expect("read").expect("cluster");
    assert_eq!(ferry.canonical.info.id, db.ferry_original);
    assert!(!ferry.canonical_locked);
    let mut members: Vec<i64> = ferry.members.iter().map(|m| m.article.info.id).collect();
    members.sort_unstable();
    assert_eq!(members, [db.ferry_hostile, db.ferry_exact]);
    let wheat = store
        .cluster(db.wheat)
        .expect("read")
        .expect("the wheat cluster is back under its id");
    assert_eq!(wheat.members.len(), 1);
    assert_eq!(
        store.cluster_summaries().expect("read").len(),
        2,
        "the split-out cluster is gone"
    );
}

#[tokio::test]
async fn a_token_is_required_when_set_by_header_or_login_form() {
    let dir = Dir::new("web-token");
    let db = review_db(&dir);
    let origin = start(&db.path, Some("correct-horse-battery")).await;
    let mut anonymous = Tab::new(&origin);
    let refused = anonymous.get("/").await;
    assert_eq!(refused.status, 401);
    assert!(refused.body.contains("action=\"/login\"") && !refused.body.contains("/cluster/"));
    assert_eq!(
        anonymous
            .get(&format!("/cluster/{}", db.ferry))
            .await
            .status,
        401
    );

    let mut script = Tab::new(&origin);
    script.bearer = Some("wrong".into());
    assert_eq!(script.get("/").await.status, 401);
    script.bearer = Some("correct-horse-battery".into());
    assert_eq!(script.get("/").await.status, 200);

    let mut person = Tab::new(&origin);
    let login = person.get("/login").await;
    assert_eq!(login.status, 200);
    let csrf = login.csrf();
    assert_eq!(
        person
            .post("/login", &[("csrf", &csrf), ("token", "guess")])
            .await
            .status,
        401
    );
    assert_eq!(
        person
            .post("/login", &[("token", "correct-horse-battery")])
            .await
            .status,
        403,
        "login needs the CSRF token too"
    );
    let ok = person
        .post(
            "/login",
            &[("csrf", &csrf), ("token", "correct-horse-battery")],
        )
        .await;
    assert_eq!(ok.status, 303);
    assert!(ok.headers["set-cookie"]
        .to_str()
        .expect("cookie")
        .contains("SameSite=Strict"));
    assert_eq!(person.get("/").await.status, 200);
    // The login cookie belongs to its session: carried to another one, it is refused.
    let mut thief = Tab::new(&origin);
    thief.get("/login").await;
    thief
        .cookies
        .insert("wc_auth".into(), person.cookies["wc_auth"].clone());
    assert_eq!(thief.get("/").await.status, 401);
}

#[tokio::test]
async fn another_host_name_is_refused_on_loopback() {
    let dir = Dir::new("web-host");
    let db = review_db(&dir);
    let origin = start(&db.path, None).await;
    let client = reqwest::Client::new();
    let resp = client
        .get(format!("{origin}/"))
        .header("Host", "attacker.example")
        .send()
        .await
        .expect("answer");
    assert_eq!(resp.status().as_u16(), 403);
    let port = origin.rsplit(':').next().expect("port");
    let local = client
        .get(format!("{origin}/"))
        .header("Host", format!("localhost:{port}"))
        .send()
        .await
        .expect("answer");
    assert_eq!(local.status().as_u16(), 200);
}

#[test]
fn serve_refuses_a_public_address_without_a_token() {
    let dir = Dir::new("web-bind");
    let db = review_db(&dir);
    for listen in ["0.0.0.0:0", "192.0.2.1:8077", "[::]:0"] {
        let out = dir
            .command()
            .args([
                "serve",
                "--db",
                db.path.to_str().expect("path"),
                "--listen",
                listen,
            ])
            .output();
        assert_eq!(out.status.code(), Some(2), "{listen}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--token") && stderr.contains("not a loopback address"),
            "{stderr}"
        );
    }
    let empty = dir
        .command()
        .args([
            "serve",
            "--db",
            db.path.to_str().expect("path"),
            "--listen",
            "0.0.0.0:0",
            "--token",
            "",
        ])
        .output();
    assert_eq!(empty.status.code(), Some(2));
    let addr: SocketAddr = "0.0.0.0:0".parse().expect("address");
    let store = SqliteStore::open(&db.path).expect("open");
    assert!(ReviewApp::new(Box::new(store), addr, None).is_err());
}

/// Off loopback with a token: served, to the token only.
#[tokio::test]
async fn a_public_address_with_a_token_serves_the_token_holder() {
    let dir = Dir::new("web-public");
    let db = review_db(&dir);
    let listener = tokio::net::TcpListener::bind(("0.0.0.0", 0))
        .await
        .expect("bind every address");
    let addr = listener.local_addr().expect("bound address");
    let store = SqliteStore::open(&db.path).expect("open");
    let app = ReviewApp::new(Box::new(store), addr, Some("long-random-token".into())).expect("app");
    tokio::spawn(app.serve(listener));
    let origin = format!("http://127.0.0.1:{}", addr.port());
    let mut anonymous = Tab::new(&origin);
    assert_eq!(anonymous.get("/").await.status, 401);
    let mut holder = Tab::new(&origin);
    holder.bearer = Some("long-random-token".into());
    let list = holder.get("/").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains(&format!("/cluster/{}", db.ferry)));
}

/// `serve` reads the database `[storage] path` names when --db is absent.
#[tokio::test]
async fn serve_follows_the_config_and_prints_its_address() {
    use std::io::BufRead;
    let dir = Dir::new("web-config");
    let db = review_db(&dir);
    std::fs::rename(&db.path, dir.path.join("reviewed.db")).expect("move the database");
    dir.create("sources.toml", "[storage]\npath = \"reviewed.db\"\n\n[[outlet]]\nname = \"tass\"\nhomepage = \"https://tass.example/\"\nfeeds = [\"https://tass.example/rss\"]\n");
    let mut child = dir
        .command()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout_piped()
        .spawn_raw();
    let stdout = child.stdout.take().expect("stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the address line");
        line
    })
    .await
    .expect("reader");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .map(str::to_string);
    let body = match &url {
        Some(url) => Tab::new(url.trim_end_matches('/')).get("/").await.body,
        None => String::new(),
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("reviewed.db"), "{line}");
    assert!(body.contains(&format!("/cluster/{}", db.ferry)), "{body}");
}

/// Issue 14: two tabs deciding at once while a cron run writes: serve
/// leaves the run lock free, every decision is stored, every article too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tabs_beside_a_cron_run_lose_nothing() {
    let dir = Dir::new("web-concurrent");
    let db = review_db(&dir);
    let origin = start(&db.path, None).await;
    let mut first = Tab::new(&origin);
    let mut second = Tab::new(&origin);
    let (ferry, wheat) = (db.ferry, db.wheat);
    let csrf_first = first.get(&format!("/cluster/{ferry}")).await.csrf();
    let csrf_second = second.get(&format!("/cluster/{wheat}")).await.csrf();

    // The cron run: it takes the run lock (serve holds none) and stores articles.
    let path = db.path.clone();
    let cron = tokio::task::spawn_blocking(move || {
        let _lock = wirecopy::store::Lock::acquire(&path).expect("serve leaves the run lock free");
        let mut store = SqliteStore::open(&path).expect("open");
        let run = store.begin_run().expect("run");
        for i in 0..20 {
            crate::webtab::save(
                &mut store,
                run,
                "daily",
                &format!("https://daily.example/cron/{i}"),
                "Another story",
                &format!("Story number {i} of the cron run, about nothing in particular, told at length."),
                None,
                6,
            );
        }
    });
    const ROUNDS: usize = 8;
    let tab_one = async {
        let mut statuses = Vec::new();
        for _ in 0..ROUNDS {
            let path = format!("/cluster/{ferry}/confirm");
            statuses.push(first.post(&path, &[("csrf", &csrf_first)]).await.status);
        }
        statuses
    };
    let tab_two = async {
        let mut statuses = Vec::new();
        for _ in 0..ROUNDS {
            let path = format!("/cluster/{wheat}/confirm");
            statuses.push(second.post(&path, &[("csrf", &csrf_second)]).await.status);
        }
        statuses
    };
    let (one, two) = tokio::join!(tab_one, tab_two);
    cron.await.expect("the cron run");
    assert!(one.iter().chain(&two).all(|&s| s == 303), "{one:?} {two:?}");
    let store = reopen(&db.path);
    let decisions = store.recent_decisions(100).expect("read");
    assert_eq!(decisions.len(), 2 * ROUNDS, "no decision lost");
    assert_eq!(
        decisions.iter().filter(|d| d.cluster == ferry).count(),
        ROUNDS
    );
    assert_eq!(
        store.totals().expect("totals").articles,
        6 + 20,
        "no article lost"
    );
}

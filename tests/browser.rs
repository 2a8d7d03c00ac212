//! `wirecopy serve` in headless Chromium: the list renders, a form is
//! clicked and posts, the decision is stored, and a scraped `<script>` or
//! `onerror=` in an article never runs.
//!
//! Chromium is driven over the DevTools protocol on a pipe
//! (`--remote-debugging-pipe`: commands on fd 3, answers on fd 4, each JSON
//! message ended by a NUL byte), using DOM and Input commands only: no
//! script runs in the page, so the page's own "no script" policy is what is
//! tested, and the click is a real mouse click on the rendered button.
//! Screenshots go to `target/tmp/serve-*.png`.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};
use wirecopy::store::{SqliteStore, Store};

use crate::util::Dir;
use crate::webtab::{review_db, start};

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// How long to wait for one answer before calling Chromium stuck (a guard
/// against hanging the test run, not a timing check).
const STUCK: Duration = Duration::from_secs(90);

/// A headless Chromium and one attached page.
struct Browser {
    child: Child,
    commands: std::io::PipeWriter,
    answers: mpsc::Receiver<Value>,
    events: VecDeque<Value>,
    next_id: u64,
    session: String,
}

impl Browser {
    fn launch(chromium: &Path, profile: &Path) -> Browser {
        let (their_commands, commands) = std::io::pipe().expect("pipe");
        let (answers_in, their_answers) = std::io::pipe().expect("pipe");
        let (r, w) = (their_commands.as_raw_fd(), their_answers.as_raw_fd());
        let mut cmd = Command::new(chromium);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-pipe",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        // SAFETY: only async-signal-safe calls (fcntl, dup2) between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                // Move both ends above 10 first, so neither is clobbered by the other's dup2.
                let r = libc::fcntl(r, libc::F_DUPFD, 10);
                let w = libc::fcntl(w, libc::F_DUPFD, 10);
                if r < 0 || w < 0 || libc::dup2(r, 3) < 0 || libc::dup2(w, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("start chromium");
        drop(their_commands);
        drop(their_answers);
        let (tx, answers) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(answers_in);
            loop {
                let mut message = Vec::new();
                match reader.read_until(0, &mut message) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        message.pop();
                        if let Ok(value) = serde_json::from_slice::<Value>(&message) {
                            if tx.send(value).is_err() {
                                break;
                            }
                        }
                    }
                }
            }
        });
        let mut browser = Browser {
            child,
            commands,
            answers,
            events: VecDeque::new(),
            next_id: 0,
            session: String::new(),
        };
        let target = browser.call(None, "Target.createTarget", json!({"url": "about:blank"}));
        let target = target["targetId"].as_str().expect("targetId").to_string();
        let attached = browser.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        );
        browser.session = attached["sessionId"]
            .as_str()
            .expect("sessionId")
            .to_string();
        browser.page("Page.enable", json!({}));
        browser.page(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 1200, "height": 1500, "deviceScaleFactor": 1, "mobile": false}),
        );
        browser
    }

    fn next(&mut self, what: &str) -> Value {
        self.answers
            .recv_timeout(STUCK)
            .unwrap_or_else(|_| panic!("chromium did not answer {what}"))
    }

    /// Sends a command and returns its result, keeping events that arrive meanwhile.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message).expect("JSON");
        bytes.push(0);
        self.commands.write_all(&bytes).expect("send to chromium");
        loop {
            let answer = self.next(method);
            if answer["id"] == json!(id) {
                assert!(answer.get("error").is_none(), "{method}: {answer}");
                return answer["result"].clone();
            }
            self.events.push_back(answer);
        }
    }

    fn page(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.call(Some(&session), method, params)
    }

    fn wait_for(&mut self, event: &str) {
        if let Some(i) = self.events.iter().position(|e| e["method"] == event) {
            self.events.drain(..=i);
            return;
        }
        loop {
            let message = self.next(event);
            if message["method"] == event {
                return;
            }
        }
    }

    fn open(&mut self, url: &str) {
        self.events.clear();
        self.page("Page.navigate", json!({"url": url}));
        self.wait_for("Page.loadEventFired");
    }

    fn dom(&mut self) -> String {
        let root = self.page("DOM.getDocument", json!({"depth": -1}))["root"]["nodeId"].clone();
        let html = self.page("DOM.getOuterHTML", json!({"nodeId": root}));
        html["outerHTML"].as_str().expect("outerHTML").to_string()
    }

    /// Clicks the centre of the element `selector` selects, as a mouse would.
    fn click(&mut self, selector: &str) {
        let root = self.page("DOM.getDocument", json!({"depth": 0}))["root"]["nodeId"].clone();
        let node = self.page(
            "DOM.querySelector",
            json!({"nodeId": root, "selector": selector}),
        )["nodeId"]
            .clone();
        assert_ne!(node, json!(0), "no element {selector}");
        self.page("DOM.scrollIntoViewIfNeeded", json!({"nodeId": node}));
        let model = self.page("DOM.getBoxModel", json!({"nodeId": node}));
        let quad: Vec<f64> = model["model"]["content"]
            .as_array()
            .expect("content quad")
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        let x = (quad[0] + quad[4]) / 2.0;
        let y = (quad[1] + quad[5]) / 2.0;
        for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
            self.page(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }

    fn screenshot(&mut self, path: &Path) {
        let shot = self.page(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        );
        let png = base64(shot["data"].as_str().expect("PNG data"));
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "a real picture"
        );
        std::fs::write(path, png).expect("write screenshot");
        println!("screenshot: {}", path.display());
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    digits
        .chunks(4)
        .flat_map(|c| {
            let n = c.iter().fold(0u32, |acc, &d| (acc << 6) | u32::from(d)) << (6 * (4 - c.len()));
            let bytes = n.to_be_bytes();
            bytes[1..c.len()].to_vec()
        })
        .collect()
}

#[test]
fn decodes_base64() {
    assert_eq!(base64("aGVsbG8="), b"hello");
    assert_eq!(base64("aGk="), b"hi");
    assert_eq!(base64("YWJj"), b"abc");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_review_app_in_chromium_posts_a_form_and_runs_no_scraped_script() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium (.ci/run installs it)"
        );
        eprintln!("chromium not installed: skipping the browser check");
        return;
    };
    let dir = Dir::new("serve-browser");
    let db = review_db(&dir);
    let origin = start(&db.path, None).await;
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let profile = dir.path.join("profile");
    let (ferry, hostile) = (db.ferry, db.ferry_hostile);
    let db_path = db.path.clone();
    // The browser is driven synchronously, off the runtime that serves the app.
    tokio::task::spawn_blocking(move || {
        let mut browser = Browser::launch(&chromium, &profile);
        browser.open(&format!("{origin}/"));
        let list = browser.dom();
        assert!(
            list.contains("<title>Clusters · wirecopy review</title>"),
            "{list}"
        );
        assert!(list.contains(&format!("href=\"/cluster/{ferry}\"")));
        assert!(list.contains("⚠ 1 doubtful"));
        browser.screenshot(&shots.join("serve-list.png"));

        browser.events.clear();
        browser.click(&format!("a[href=\"/cluster/{ferry}\"]"));
        browser.wait_for("Page.loadEventFired");
        let page = browser.dom();
        assert!(
            page.contains(&format!("<title>Cluster {ferry} · wirecopy review</title>")),
            "a script changed the title:\n{page}"
        );
        assert!(
            !page.contains("data-pwned=\""),
            "an onerror handler or a script ran"
        );
        assert!(
            page.contains("setAttribute('data-pwned'"),
            "the hostile markup shows as text"
        );
        assert!(
            !page.contains("<script"),
            "a script element exists in the DOM"
        );
        assert!(
            page.contains("Ferry line reopens &lt;script&gt;"),
            "the hostile title shows as text"
        );
        assert!(
            page.contains("<ins>") && page.contains("class=\"sbs\""),
            "the side-by-side diff"
        );
        browser.screenshot(&shots.join("serve-cluster.png"));

        // Type a note and click "Confirm"; the 303 lands back on the page.
        browser.click("form[action$=\"/confirm\"] input[name=note]");
        browser.page("Input.insertText", json!({"text": "checked in chromium"}));
        browser.events.clear();
        browser.click("form[action$=\"/confirm\"] button");
        browser.wait_for("Page.loadEventFired");
        let after = browser.dom();
        assert!(after.contains("Confirmed."), "{after}");
        assert!(after.contains("checked in chromium"));
        browser.screenshot(&shots.join("serve-confirmed.png"));

        // Split the hostile reprint out with its own button.
        browser.events.clear();
        browser.click(&format!(
            "#article-{hostile} form[action$=\"/split\"] button"
        ));
        browser.wait_for("Page.loadEventFired");
        assert!(browser.dom().contains("Split recorded"));

        // The recent decisions, and Undo on the newest: the split.
        browser.open(&format!("{origin}/decisions"));
        let decisions = browser.dom();
        assert!(
            decisions.contains("<td>split</td>") && decisions.contains("<td>confirm</td>"),
            "{decisions}"
        );
        browser.screenshot(&shots.join("serve-decisions.png"));
        browser.events.clear();
        browser.click("form[action=\"/decisions/undo\"] button");
        browser.wait_for("Page.loadEventFired");
        assert!(browser.dom().contains("The last decision was undone."));
    })
    .await
    .expect("browser steps");

    let store = SqliteStore::open(&db_path).expect("reopen");
    let cluster = store.cluster(ferry).expect("read").expect("cluster");
    assert!(cluster.confirmed_at.is_some(), "the click was stored");
    assert_eq!(
        cluster.decisions[0].note.as_deref(),
        Some("checked in chromium")
    );
    // The split was stored (the page said so), then undone from the decisions page.
    assert!(
        cluster.members.iter().any(|m| m.article.info.id == hostile),
        "the undo was stored"
    );
    let decisions = store.recent_decisions(10).expect("read");
    assert_eq!(decisions.len(), 1, "the confirmation stays");
}

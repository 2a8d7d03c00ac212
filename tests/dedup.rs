//! The dedup stage and `wirecopy dedup`: the seeds, reprints of seed-like
//! stories, the labelled corpus, input order, and the command's inputs,
//! output and errors.

use std::collections::HashSet;

use wirecopy::dedup::eval::{score, LabelledDoc};
use wirecopy::dedup::{
    cluster_batch, sketch, BatchDoc, DocMeta, Index, IndexConfig, Relation, FINGERPRINT_VERSION,
};

use crate::util::{fixtures, shared, Dir};

/// Five invented same-topic stories (Russia–US dialogue), written for these
/// tests: distinct stories that share people, places and vocabulary.
const STORIES: [&str; 5] = [
    "MOSCOW, March 3. /TASS/. Russia is prepared to resume consultations with the United States on strategic stability if Washington drops its preconditions, Deputy Foreign Minister Sergei Ryabkov said on Thursday.\n\n\
     \"We have told our American colleagues many times that the door remains open, but a dialogue cannot be built on ultimatums,\" Ryabkov told reporters after a meeting of the Federation Council.\n\n\
     He said Moscow had sent Washington a four-page note in January proposing expert talks in Geneva, and that no written answer had arrived.\n\n\
     The diplomat added that the two countries still exchanged notifications about missile launches under the 1988 agreement, which he called one of the few working channels left.",
    "Foreign Minister Sergei Lavrov said on Monday that Moscow saw no sign that the new US administration wanted to repair relations, despite its public statements about predictability.\n\n\
     Speaking at a news conference with his Egyptian counterpart in Cairo, Lavrov said Russia would judge Washington by deeds rather than words.\n\n\
     \"Our American partners talk about guardrails, but every week brings a new package of sanctions,\" he said, adding that 14 Russian diplomats had been expelled since the autumn.\n\n\
     Lavrov said Russia remained ready for contacts at any level and pointed to the prisoner exchange in August as proof that agreements were still possible.",
    "The Kremlin said on Friday that a telephone call between President Vladimir Putin and US President Donald Trump had lasted more than two hours and covered Ukraine, the Middle East and energy.\n\n\
     Presidential aide Yuri Ushakov told journalists the leaders had agreed to instruct their teams to prepare a possible meeting, but that no date or venue had been discussed.\n\n\
     Ushakov said Putin had thanked Trump for his efforts on a ceasefire and had set out Moscow's position on the root causes of the conflict.\n\n\
     The two presidents also discussed the restoration of direct flights and the return of diplomatic property seized in 2016, Ushakov added.",
    "Russia's ambassador to Washington, Anatoly Antonov, said on Tuesday that the embassy had again asked the State Department to stop harassing Russian journalists working in the United States.\n\n\
     In a statement posted on the embassy's Telegram channel, Antonov said three correspondents had been denied visa extensions this year without explanation.\n\n\
     \"This is a deliberate attempt to squeeze Russian media out of the American information space,\" the ambassador wrote, warning that Moscow would respond in kind.\n\n\
     The embassy said it had raised the issue at a meeting with officials in Washington on 12 November, and that the American side promised to look into it.",
    "Russia and the United States held a new round of talks in Istanbul on Thursday on the work of their embassies, the Russian Foreign Ministry said.\n\n\
     The delegations discussed staffing levels, banking services for diplomats and the procedure for issuing visas, spokeswoman Maria Zakharova told a weekly briefing.\n\n\
     Zakharova said the six-hour meeting was businesslike and that both sides agreed to continue the dialogue, although she declined to say when the next round would take place.\n\n\
     She said Moscow had also raised the return of six diplomatic properties in Maryland and New York that the US authorities seized eight years ago.",
];

/// Site chrome a scraper leaves around a story (menus, counters, links).
fn chrome(story: &str) -> String {
    format!(
        "World\nPolitics\nBusiness\nSelect the city\nLoading\n\nRussia says something about the United States\n\n  5 March    Read: 2210\n\n{story}\n\nMore about: #Russia #USA\n\nShare\nMost read\n1\nSome other headline about the weather in Moscow\n2\nAnother headline about football results"
    )
}

/// A synonym-spun copy, in the manner of seed 004.
fn spin(story: &str) -> String {
    let swaps = [
        ("said", "stated"),
        ("prepared", "ready"),
        ("resume", "return to"),
        ("consultations", "examinations"),
        ("told", "informed"),
        ("meeting", "conference"),
        ("proposing", "suggesting"),
        ("arrived", "gotten here"),
        ("still", "yet"),
        ("called", "referred to as"),
        ("despite", "regardless of"),
        ("repair", "fix"),
        ("judge", "evaluate"),
        ("week", "week or so"),
        ("remained", "stayed"),
        ("proof", "evidence"),
        ("possible", "feasible"),
        ("lasted", "took"),
        ("covered", "dealt with"),
        ("agreed", "accepted"),
        ("prepare", "get ready"),
        ("discussed", "gone over"),
        ("efforts", "initiatives"),
        ("position", "setting"),
        ("restoration", "repair"),
        ("asked", "requested"),
        ("stop", "quit"),
        ("explanation", "description"),
        ("deliberate", "intentional"),
        ("attempt", "effort"),
        ("warning", "cautioning"),
        ("respond", "react"),
        ("promised", "vowed"),
        ("held", "had"),
        ("work", "job"),
        ("levels", "degrees"),
        ("procedure", "treatment"),
        ("issuing", "providing"),
        ("businesslike", "professional"),
        ("continue", "proceed with"),
        ("declined", "decreased"),
        ("raised", "elevated"),
        ("seized", "took"),
    ];
    story
        .split(' ')
        .map(|w| {
            let bare = w.trim_end_matches([',', '.']);
            match swaps.iter().find(|(a, _)| *a == bare) {
                Some((_, b)) => w.replacen(bare, b, 1),
                None if w == "and" => "and also".to_owned(),
                None => w.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The kinds of reprint each story gets, by name.
fn variants(story: &str) -> Vec<(&'static str, String)> {
    let paras: Vec<&str> = story.split("\n\n").collect();
    vec![
        ("chrome", chrome(story)),
        ("excerpt", paras[..2].join("\n\n")),
        (
            "attribution",
            story.replacen(".\n\n", ", Sputnik reported.\n\n", 1),
        ),
        (
            "dateline",
            format!(
                "WASHINGTON, March 4 (Reuters) - {}",
                story.replacen("MOSCOW, March 3. /TASS/. ", "", 1)
            ),
        ),
        (
            "readalso",
            story.replacen(
                "\n\n",
                "\n\nRead also: Kremlin comments on the talks\n\n",
                1,
            ),
        ),
        (
            "caption",
            story.replacen(
                "\n\n",
                "\n\nRussian diplomats in Geneva\n© Ivan Petrov/TASS\n\n",
                1,
            ),
        ),
        (
            "typography",
            story
                .replace('"', "\u{201c}")
                .replace('\'', "\u{2019}")
                .replace(" - ", " — "),
        ),
        (
            "homoglyph",
            story.replace('a', "\u{430}").replace('o', "\u{43e}"),
        ),
        (
            "spelling",
            story
                .replace("dialogue", "dialog")
                .replace("organize", "organise"),
        ),
        ("spin", spin(story)),
    ]
}

fn doc(key: &str, text: &str) -> BatchDoc {
    let s = sketch(text);
    let meta = DocMeta {
        words: s.fingerprint.words,
        ..DocMeta::default()
    };
    BatchDoc {
        key: key.to_owned(),
        sketch: s,
        meta,
    }
}

/// Runs a clustering test with the documents in the given order and reversed.
macro_rules! both_orders {
    ($docs:expr, |$clusters:ident, $ds:ident| $body:block) => {{
        let forward: Vec<BatchDoc> = $docs;
        let mut backward = forward.clone();
        backward.reverse();
        for $ds in [&forward, &backward] {
            let $clusters = cluster_batch($ds, IndexConfig::default());
            $body
        }
    }};
}

#[test]
fn f3_seeds_are_five_clusters() {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared is absent");
        return;
    };
    let dir = shared.join("seeds");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("read seeds")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "seed files");
    let docs: Vec<BatchDoc> = files
        .iter()
        .map(|p| {
            doc(
                &p.display().to_string(),
                &std::fs::read_to_string(p).expect("read seed"),
            )
        })
        .collect();
    both_orders!(docs, |clusters, _ds| {
        assert_eq!(clusters.len(), 5, "{clusters:?}");
    });
    // And through the command line.
    let out = Dir::new("dedup-seeds")
        .command()
        .args(["dedup", "--format", "json"])
        .args([&dir])
        .stdout();
    let json: serde_json::Value = serde_json::from_str(&out).expect("json output");
    assert_eq!(json["clusters"].as_array().map(Vec::len), Some(5));
}

#[test]
fn f3_reprints_of_seed_like_stories_join() {
    let mut docs = Vec::new();
    for (i, story) in STORIES.iter().enumerate() {
        docs.push(doc(&format!("s{i}-original"), story));
        for (kind, text) in variants(story) {
            docs.push(doc(&format!("s{i}-{kind}"), &text));
        }
    }
    both_orders!(docs, |clusters, ds| {
        assert_eq!(clusters.len(), STORIES.len(), "{:#?}", names(&clusters, ds));
        for c in &clusters {
            let stories: HashSet<&str> = c
                .members
                .iter()
                .map(|m| ds[m.doc as usize].key.split('-').next().unwrap_or(""))
                .collect();
            assert_eq!(stories.len(), 1, "{:#?}", names(&clusters, ds));
            assert_eq!(c.members.len(), 11);
        }
    });
}

fn names(clusters: &[wirecopy::dedup::Cluster], ds: &[BatchDoc]) -> Vec<Vec<String>> {
    clusters
        .iter()
        .map(|c| {
            c.members
                .iter()
                .map(|m| {
                    format!(
                        "{} {:?} {:.2}",
                        ds[m.doc as usize].key, m.relation, m.similarity
                    )
                })
                .collect()
        })
        .collect()
}

#[test]
fn f3_relations_to_the_canonical() {
    let story = STORIES[2];
    let paras: Vec<&str> = story.split("\n\n").collect();
    let docs = vec![
        doc("orig", story),
        doc("copy", &chrome(story)),
        doc(
            "near",
            &story.replacen("had lasted more than", "took over", 1),
        ),
        doc("excerpt", &paras[..1].join("\n\n")),
        doc("spin", &spin(story)),
    ];
    let mut docs = docs;
    // The original is the earliest, so it is canonical (the spin is longer).
    docs[0].meta.published = Some(0);
    let clusters = cluster_batch(&docs, IndexConfig::default());
    assert_eq!(clusters.len(), 1);
    let rel = |key: &str| {
        clusters[0]
            .members
            .iter()
            .find(|m| docs[m.doc as usize].key == key)
            .map(|m| m.relation)
    };
    assert_eq!(rel("orig"), Some(Relation::Canonical));
    assert_eq!(rel("copy"), Some(Relation::Exact));
    assert_eq!(rel("near"), Some(Relation::Near));
    assert_eq!(rel("excerpt"), Some(Relation::Excerpt));
    assert_eq!(rel("spin"), Some(Relation::Rewrite));
}

#[test]
fn f3_templated_stories_stay_apart() {
    let template = |points: &str, pct: &str, close: &str| {
        format!(
            "The benchmark index fell {points} points, or {pct} percent, to close at {close} on Tuesday as energy shares slid for a third session.\n\n\
             Traders said the decline reflected worries about demand after weak factory data from Europe and Asia, while the rouble was little changed against the dollar.\n\n\
             Turnover on the exchange was below its monthly average, and analysts expected the market to stay volatile ahead of the central bank meeting next week."
        )
    };
    let docs = vec![
        doc("monday", &template("23", "1.2", "2,841")),
        doc("tuesday", &template("17", "0.6", "2,824")),
        doc("monday-copy", &chrome(&template("23", "1.2", "2,841"))),
    ];
    both_orders!(docs, |clusters, _ds| {
        assert_eq!(clusters.len(), 2);
    });
}

#[test]
fn f3_incremental_index_never_moves_a_document() {
    let mut index = Index::new(IndexConfig::default());
    let a = index.insert(&sketch(STORIES[1]), DocMeta::default());
    let b = index.insert(&sketch(STORIES[2]), DocMeta::default());
    let c = index.insert(&sketch(&chrome(STORIES[1])), DocMeta::default());
    assert_ne!(a.cluster, b.cluster);
    assert_eq!(c.cluster, a.cluster);
    assert_eq!(c.matched, Some(a.doc));
    assert_eq!(index.cluster_of(b.doc), Some(b.cluster));
    assert_eq!(index.cluster_count(), 2);
}

#[test]
fn f3_fingerprint_version_is_pinned() {
    // Stored fingerprints carry this; see the golden tests in src/dedup/sketch.rs.
    assert_eq!(FINGERPRINT_VERSION, 4);
    assert_eq!(
        sketch("anything at all").fingerprint.version,
        FINGERPRINT_VERSION
    );
}

#[test]
fn f3_corpus_meets_its_targets() {
    let dir = fixtures().join("reprints");
    let mut labels = Vec::new();
    let mut docs = Vec::new();
    let cleaner = wirecopy::clean::Cleaner::default();
    for name in ["stories_a.jsonl", "stories_b.jsonl"] {
        let Ok(body) = std::fs::read_to_string(dir.join(name)) else {
            continue;
        };
        for line in body.lines().filter(|l| !l.trim().is_empty()) {
            let d: LabelledDoc = serde_json::from_str(line).expect("corpus line parses");
            let text = match (&d.text, &d.html) {
                (Some(t), _) => t.clone(),
                (None, Some(h)) => cleaner
                    .clean(h.as_bytes(), d.url.as_deref())
                    .map(|a| a.text)
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let mut b = doc(&d.id, &text);
            b.meta.agency = d.agency.unwrap_or(false);
            b.meta.published = d
                .published
                .as_deref()
                .and_then(wirecopy::dedup::canonical::parse_published);
            docs.push(b);
            labels.push(d);
        }
    }
    if docs.is_empty() {
        eprintln!("skipped: no corpus in fixtures/reprints");
        return;
    }
    let predict = |docs: &[BatchDoc]| {
        let mut p = vec![0u32; docs.len()];
        for c in cluster_batch(docs, IndexConfig::default()) {
            for m in c.members {
                p[m.doc as usize] = c.id;
            }
        }
        p
    };
    let predicted = predict(&docs);
    let s = score(&labels, &predicted);
    assert!(s.pairwise.f1 >= 0.98, "pairwise {:?}", s.pairwise);
    assert!(
        s.hard_negative_merges.is_empty(),
        "{:?}",
        s.hard_negative_merges
    );
    // The batch result does not depend on input order.
    let mut rev = docs.clone();
    rev.reverse();
    let mut back = predict(&rev);
    back.reverse();
    let same = |a: &[u32], b: &[u32]| {
        (0..a.len()).all(|i| (0..a.len()).all(|j| (a[i] == a[j]) == (b[i] == b[j])))
    };
    assert!(same(&predicted, &back), "clusters depend on input order");
    // The raw incremental index, fed in file order and reversed, also meets
    // the targets.
    for reversed in [false, true] {
        let mut order: Vec<usize> = (0..docs.len()).collect();
        if reversed {
            order.reverse();
        }
        let mut index = Index::new(IndexConfig::default());
        let mut pred = vec![0u32; docs.len()];
        for i in order {
            pred[i] = index.insert(&docs[i].sketch, docs[i].meta).cluster;
        }
        let s = score(&labels, &pred);
        assert!(
            s.pairwise.f1 >= 0.98,
            "incremental, reversed {reversed}: {:?}",
            s.pairwise
        );
        assert!(
            s.hard_negative_merges.is_empty(),
            "{:?}",
            s.hard_negative_merges
        );
    }
}

#[test]
fn f3_command_lists_every_document_once() {
    let dir = Dir::new("dedup-cli");
    dir.create("a/orig.txt", STORIES[3]);
    dir.create("a/copy.txt", chrome(STORIES[3]));
    dir.create("b/other.txt", STORIES[4]);
    let lines = [
        serde_json::json!({"id": "j1", "text": STORIES[0], "outlet": "TASS", "agency": true, "published": "2024-03-03T10:00:00Z"}),
        serde_json::json!({"id": "j2", "text": chrome(STORIES[0]), "published": "2024-03-03T09:00:00Z"}),
        serde_json::json!({"id": "j3", "html": format!("<html><body><p>{}</p></body></html>", STORIES[1])}),
    ];
    let jsonl: String = lines.iter().map(|l| format!("{l}\n")).collect();
    dir.create("docs.jsonl", jsonl);
    let out = dir
        .command()
        .args(["dedup", "--format", "json", "a", "b", "docs.jsonl"])
        .stdout();
    let json: serde_json::Value = serde_json::from_str(&out).expect("json output");
    let clusters = json["clusters"].as_array().expect("clusters");
    // Numbered from 1 in JSON as in the text output.
    let ids: Vec<i64> = clusters.iter().filter_map(|c| c["id"].as_i64()).collect();
    assert_eq!(ids, (1..=clusters.len() as i64).collect::<Vec<_>>());
    let mut seen = Vec::new();
    for c in clusters {
        for m in c["members"].as_array().expect("members") {
            seen.push(m["doc"].as_str().expect("doc").to_owned());
        }
    }
    seen.sort();
    let want = ["a/copy.txt", "a/orig.txt", "b/other.txt", "j1", "j2", "j3"];
    assert_eq!(seen, want);
    assert_eq!(clusters.len(), 4, "{out}");
    let tass = clusters.iter().find(|c| {
        c["members"]
            .as_array()
            .is_some_and(|m| m.len() == 2 && m.iter().any(|m| m["doc"] == "j1"))
    });
    // The agency's own copy is canonical although the reprint is earlier.
    assert_eq!(
        tass.map(|c| c["canonical"].clone()),
        Some(serde_json::json!("j1"))
    );

    let text = dir.command().args(["dedup", "a"]).stdout();
    assert!(text.contains("canonical"), "{text}");
}

#[test]
fn f3_bad_inputs_are_reported_and_skipped() {
    let dir = Dir::new("dedup-bad");
    dir.create("good.txt", STORIES[2]);
    dir.create(
        "bad.jsonl",
        "{\"id\": \"x\", \"text\": \"fine text here\"}\nnot json\n{\"text\": \"no id\"}\n",
    );
    let out = dir
        .command()
        .args([
            "dedup",
            "--format",
            "json",
            "good.txt",
            "bad.jsonl",
            "missing.txt",
        ])
        .output();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.jsonl:2"), "{stderr}");
    assert!(stderr.contains("bad.jsonl:3"), "{stderr}");
    assert!(stderr.contains("missing.txt"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    assert_eq!(json["clusters"].as_array().map(Vec::len), Some(2));
}

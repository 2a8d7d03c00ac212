//! Speed and scale of `wirecopy::dedup`, printed as plain figures.
//!
//! ```text
//! cargo bench --bench dedup                 # throughput, 10k and 100k, candidate recall
//! WIRECOPY_BENCH_1M=1 cargo bench --bench dedup   # also 1M articles (about two minutes)
//! ```
//!
//! Articles are synthetic and deterministic (a fixed splitmix64 stream):
//! ~3 KB of English-like text (function words, a Zipf-like vocabulary with
//! per-topic words, capitalised names, numbers) in paragraphs. One in four is
//! a planted near-duplicate of an earlier article: a light edit with a
//! dateline and chrome line, an excerpt of its first paragraphs, or a
//! synonym-spun copy (a third of its content words replaced).
//!
//! `WIRECOPY_BENCH_PHASES=N` prints only the cost of each part of sketching
//! on N articles (10,000 if N is not a number); with `PROFILE_SKETCH=1` as
//! well it then sketches ten more rounds and prints nothing, for `perf`.
//! `WIRECOPY_BENCH_INSERT=N` sketches 10k articles first and then only
//! times inserting them into a fresh index, N times (twenty if N is not a
//! number): run it under `valgrind --tool=callgrind` with N=1 to count
//! where an insert's instructions go.
//!
//! Prints: sketch + insert articles/s on one core (best of three rounds:
//! this shared machine's speed varies by a third from minute to minute); per scale the articles/s,
//! index heap bytes and peak RSS (`VmHWM` from `/proc/self/status`); on 10k
//! articles, the share of near-duplicate pairs found by exhaustive all-pairs
//! verification that share an LSH band (candidate recall) and that end in
//! one cluster.

use std::time::Instant;

use wirecopy::dedup::{compare, DocMeta, Index, IndexConfig, Sketch, Sketcher};

const FUNCTION: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "that", "is", "was", "for", "on", "with", "as", "by",
    "at", "from", "it", "his", "have", "has", "be", "not", "but", "are", "which", "this", "its",
    "their", "an", "or", "were", "had", "after", "over", "into", "would", "they", "will", "been",
    "more",
];

#[path = "common/splitmix.rs"]
mod splitmix;
use splitmix::Rng;

struct Generator {
    rng: Rng,
    vocab: Vec<String>,
    names: Vec<String>,
    recent: Vec<String>,
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "tor", "sa", "vel", "di", "na", "pre", "con", "ist", "ment", "ga",
    "ber", "os", "ul", "tri", "pan", "de", "ro", "li", "ve", "que", "sto", "mar", "ex", "ion",
];

fn word(rng: &mut Rng, syllables: usize) -> String {
    (0..syllables)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

impl Generator {
    fn new(seed: u64) -> Generator {
        let mut rng = Rng(seed);
        let vocab = (0..30_000).map(|i| word(&mut rng, 2 + i % 3)).collect();
        let names = (0..3_000)
            .map(|_| {
                let syllables = 2 + rng.below(2);
                let mut w = word(&mut rng, syllables);
                w[..1].make_ascii_uppercase();
                w
            })
            .collect();
        Generator {
            rng,
            vocab,
            names,
            recent: Vec::new(),
        }
    }

    fn content_word(&mut self, topic: usize) -> &str {
        let i = if self.rng.chance(0.3) {
            (topic * 97 + self.rng.below(300)) % self.vocab.len()
        } else {
            // Log-uniform rank: a Zipf-like frequency curve.
            let u = (self.rng.next() >> 11) as f64 / (1u64 << 53) as f64;
            ((self.vocab.len() as f64).powf(u) as usize).min(self.vocab.len() - 1)
        };
        &self.vocab[i]
    }

    fn original(&mut self) -> String {
        let topic = self.rng.below(500);
        let mut text = String::with_capacity(3300);
        while text.len() < 3000 {
            for _ in 0..3 + self.rng.below(2) {
                let len = 14 + self.rng.below(12);
                for w in 0..len {
                    let r = self.rng.below(100);
                    let tok: String = if r < 42 {
                        FUNCTION[self.rng.below(FUNCTION.len())].to_owned()
                    } else if r < 48 && w > 0 {
                        self.names[self.rng.below(self.names.len())].clone()
                    } else if r < 50 {
                        (1 + self.rng.below(9999)).to_string()
                    } else {
                        self.content_word(topic).to_owned()
                    };
                    if w == 0 {
                        let mut t = tok;
                        t[..1].make_ascii_uppercase();
                        text.push_str(&t);
                    } else {
                        text.push(' ');
                        text.push_str(&tok);
                    }
                }
                text.push_str(". ");
            }
            text.push_str("\n\n");
        }
        text
    }

    /// Returns the next article and whether it is a planted near-duplicate.
    fn next(&mut self) -> (String, bool) {
        if !self.recent.is_empty() && self.rng.chance(0.25) {
            let src = self.recent[self.rng.below(self.recent.len())].clone();
            return (self.variant(&src), true);
        }
        let a = self.original();
        if self.recent.len() < 2000 {
            self.recent.push(a.clone());
        } else {
            let i = self.rng.below(self.recent.len());
            self.recent[i] = a.clone();
        }
        (a, false)
    }

    fn variant(&mut self, src: &str) -> String {
        match self.rng.below(4) {
            3 => {
                // A newspaper story built on the source: its own paragraphs
                // with about half of the source's, in order.
                let own = self.original();
                let mine: Vec<&str> = own.split("\n\n").collect();
                let theirs: Vec<&str> = src.split("\n\n").collect();
                let mut out: Vec<&str> = vec![mine[0]];
                for (i, p) in theirs.iter().enumerate() {
                    if i % 2 == 0 {
                        out.push(p);
                    } else if let Some(m) = mine.get(1 + i / 2) {
                        out.push(m);
                    }
                }
                out.join("\n\n")
            }
            0 => {
                let mut out = String::from("LONDON (Reuters) - ");
                for w in src.split(' ') {
                    if self.rng.chance(0.03) {
                        out.push_str(self.content_word(0));
                    } else {
                        out.push_str(w);
                    }
                    out.push(' ');
                }
                out.push_str("\n\nRead also: more news from the region\n\nShare");
                out
            }
            1 => {
                let paras: Vec<&str> = src.split("\n\n").collect();
                let keep = (paras.len() * (3 + self.rng.below(4)) / 10).max(1);
                paras[..keep].join("\n\n")
            }
            _ => src
                .split(' ')
                .map(|w| {
                    let plain = w.chars().all(|c| c.is_ascii_lowercase());
                    if plain && !FUNCTION.contains(&w) && self.rng.chance(0.33) {
                        self.content_word(1).to_owned()
                    } else {
                        w.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mib(bytes: f64) -> f64 {
    bytes / (1024.0 * 1024.0)
}

/// Sketches and inserts `n` generated articles; returns (articles/s over
/// sketch + insert, the index).
fn run(n: usize, seed: u64) -> (f64, f64, Index, usize) {
    let mut g = Generator::new(seed);
    let mut index = Index::new(IndexConfig::default());
    let mut sketcher = Sketcher::new();
    let mut spent = 0.0;
    let mut bytes = 0usize;
    for _ in 0..n {
        let (text, _) = g.next();
        bytes += text.len();
        let t = Instant::now();
        let s = sketcher.sketch(&text);
        index.insert(&s, DocMeta::default());
        spent += t.elapsed().as_secs_f64();
    }
    (n as f64 / spent, bytes as f64 / n as f64, index, n)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    println!(
        "wirecopy dedup benchmark (one thread; FINGERPRINT_VERSION {})",
        wirecopy::dedup::FINGERPRINT_VERSION
    );

    if let Some(n) = std::env::var_os("WIRECOPY_BENCH_PHASES") {
        let n = n.to_str().and_then(|n| n.parse().ok()).unwrap_or(10_000);
        let mut g = Generator::new(1);
        let texts: Vec<String> = (0..n).map(|_| g.next().0).collect();
        phases(&texts);
        return;
    }

    // 1. Throughput split into its parts, on 10k articles.
    let mut g = Generator::new(1);
    let texts: Vec<String> = (0..10_000).map(|_| g.next().0).collect();
    if let Some(rounds) = std::env::var_os("WIRECOPY_BENCH_INSERT") {
        let rounds = rounds.to_str().and_then(|r| r.parse().ok()).unwrap_or(20);
        let mut sketcher = Sketcher::new();
        let sketches: Vec<Sketch> = texts.iter().map(|t| sketcher.sketch(t)).collect();
        for _ in 0..rounds {
            let t = Instant::now();
            let mut index = Index::new(IndexConfig::default());
            for s in &sketches {
                index.insert(s, DocMeta::default());
            }
            let per = t.elapsed().as_secs_f64() * 1e6 / sketches.len() as f64;
            println!("insert + lookup + verify into a fresh index: {per:.2} µs per article");
        }
        return;
    }
    let avg = texts.iter().map(String::len).sum::<usize>() as f64 / texts.len() as f64;
    // As the pipeline works: sketch an article, insert it, drop the sketch
    // (the index keeps its own copy of what it needs). Best of three rounds,
    // each with a fresh index: the figure of a quiet machine.
    let mut best = (f64::INFINITY, 0.0, 0.0);
    for _ in 0..3 {
        let mut sketcher = Sketcher::new();
        let mut index = Index::new(IndexConfig::default());
        let (mut sketch_s, mut insert_s) = (0.0, 0.0);
        for text in &texts {
            let t = Instant::now();
            let s = sketcher.sketch(text);
            let t2 = Instant::now();
            index.insert(&s, DocMeta::default());
            sketch_s += (t2 - t).as_secs_f64();
            insert_s += t2.elapsed().as_secs_f64();
        }
        if sketch_s + insert_s < best.0 {
            best = (sketch_s + insert_s, sketch_s, insert_s);
        }
    }
    let (total_s, sketch_s, insert_s) = best;
    let n = texts.len() as f64;
    println!(
        "throughput, {} articles of {:.0} bytes (best of 3): sketch {:.0}/s ({:.1} µs), insert+lookup {:.0}/s ({:.1} µs), together {:.0} articles/s",
        texts.len(),
        avg,
        n / sketch_s,
        sketch_s * 1e6 / n,
        n / insert_s,
        insert_s * 1e6 / n,
        n / total_s
    );
    let mut sketcher = Sketcher::new();
    let sketches: Vec<Sketch> = texts.iter().map(|t| sketcher.sketch(t)).collect();
    let mut index = Index::new(IndexConfig::default());
    for s in &sketches {
        index.insert(s, DocMeta::default());
    }
    alignment_cost();

    // 2. Candidate recall against exhaustive all-pairs verification.
    candidate_recall(&sketches, &index);
    drop((texts, sketches, index));

    // 3. Scale.
    let mut scales = vec![10_000usize, 100_000];
    if std::env::var_os("WIRECOPY_BENCH_1M").is_some() || std::env::args().any(|a| a == "--1m") {
        scales.push(1_000_000);
    }
    for n in scales {
        let (rate, avg, index, _) = run(n, 7);
        let heap = index.heap_bytes() as f64;
        println!(
            "scale {:>9} articles ({:.0} B avg): {:.0} articles/s, {} clusters, {} band entries, index {:.1} MiB ({:.0} B/article), peak RSS {:.1} MiB",
            n,
            avg,
            rate,
            index.cluster_count(),
            index.band_entries(),
            mib(heap),
            heap / n as f64,
            vm_hwm_kib().map_or(f64::NAN, |k| k as f64 / 1024.0)
        );
    }
}

/// Prints the cost of aligning one candidate pair (a source and a planted
/// reprint of each kind, about 3 KB each), best of five rounds.
fn alignment_cost() {
    let mut g = Generator::new(3);
    let mut sketcher = Sketcher::new();
    let pairs: Vec<(Sketch, Sketch)> = (0..2_000)
        .map(|_| {
            let src = g.original();
            let copy = g.variant(&src);
            (sketcher.sketch(&src), sketcher.sketch(&copy))
        })
        .collect();
    let mut aligner = wirecopy::dedup::align::Aligner::new();
    let mut best = f64::INFINITY;
    let mut spanned = 0u64;
    for _ in 0..5 {
        let t = Instant::now();
        spanned = 0;
        for (a, b) in &pairs {
            spanned += u64::from(aligner.align(&a.sequence, &b.sequence).spanned);
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "alignment per candidate pair ({} pairs, ~{:.0} words each): {:.1} µs (best of 5; {:.0} words aligned per pair)",
        pairs.len(),
        pairs.iter().map(|p| p.0.sequence.len()).sum::<usize>() as f64 / pairs.len() as f64,
        best * 1e6 / pairs.len() as f64,
        spanned as f64 / pairs.len() as f64
    );
}

/// Prints the best of five rounds of each part of sketching, per article.
fn phases(texts: &[String]) {
    use std::hint::black_box;
    use wirecopy::dedup::{minhash, normalize, shingle, simhash, sketch};
    /// µs per item of the fastest of five rounds of `f` over `items`.
    fn best<T>(items: &[T], mut f: impl FnMut(&T)) -> f64 {
        (0..5)
            .map(|_| {
                let t = Instant::now();
                items.iter().for_each(&mut f);
                t.elapsed().as_secs_f64() * 1e6 / items.len() as f64
            })
            .fold(f64::INFINITY, f64::min)
    }
    let toks: Vec<_> = texts.iter().map(|t| normalize::tokens(t)).collect();
    let feats: Vec<_> = toks.iter().map(shingle::features).collect();
    let mut sketcher = Sketcher::new();
    let whole = best(texts, |t| {
        black_box(sketcher.sketch(t));
    });
    if std::env::var_os("PROFILE_SKETCH").is_some() {
        // For `perf record`: sketching only, ten more rounds.
        for _ in 0..10 {
            texts.iter().for_each(|t| {
                black_box(sketcher.sketch(t));
            });
        }
        return;
    }
    let tokens = best(texts, |t| {
        black_box(normalize::tokens(t));
    });
    let features = best(&toks, |t| {
        black_box(shingle::features(t));
    });
    let from_tokens = best(&toks, |t| {
        black_box(sketch::sketch_tokens(t));
    });
    let oph = best(&feats, |f| {
        black_box(minhash::one_permutation(&f.shingles, 48));
    });
    let sim = best(&feats, |f| {
        black_box(simhash::simhash(&f.shingles));
    });
    println!(
        "phases, µs per article (best of 5): sketch {whole:.1} = tokens {tokens:.1} + from tokens {from_tokens:.1} (features {features:.1}: minhash {oph:.1}, simhash {sim:.1})"
    );
}

fn candidate_recall(sketches: &[Sketch], index: &Index) {
    let t = Instant::now();
    let keys: Vec<Vec<u64>> = sketches
        .iter()
        .map(|s| {
            let mut k = Index::band_keys(s);
            k.sort_unstable();
            k
        })
        .collect();
    let n = sketches.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, |p| p.get())
        .min(4);
    let results: Vec<(u64, u64, u64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|tid| {
                let keys = &keys;
                scope.spawn(move || {
                    let (mut pairs, mut found, mut clustered) = (0u64, 0u64, 0u64);
                    for i in (tid..n).step_by(threads) {
                        for j in i + 1..n {
                            if compare(&sketches[i], &sketches[j]).is_none() {
                                continue;
                            }
                            pairs += 1;
                            if shares(&keys[i], &keys[j]) {
                                found += 1;
                            }
                            if index.cluster_of(i as u32) == index.cluster_of(j as u32) {
                                clustered += 1;
                            }
                        }
                    }
                    (pairs, found, clustered)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let (pairs, found, clustered) = results
        .iter()
        .fold((0, 0, 0), |a, r| (a.0 + r.0, a.1 + r.1, a.2 + r.2));
    println!(
        "candidate recall on {n} articles: {found}/{pairs} near-duplicate pairs of exhaustive verification share a band ({:.4}); {clustered}/{pairs} end in one cluster ({:.4}); all-pairs took {:.0} s on {threads} threads",
        found as f64 / pairs.max(1) as f64,
        clustered as f64 / pairs.max(1) as f64,
        t.elapsed().as_secs_f64()
    );
}

fn shares(a: &[u64], b: &[u64]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

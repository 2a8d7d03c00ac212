//! Gradient-boosted trees for a yes/no label, small enough to read: binned
//! features, complete trees of a fixed depth, Newton steps on the weighted
//! logistic loss (as XGBoost and LightGBM grow theirs, without their
//! refinements), a random half of the rows per tree.
//!
//! Features are cut into at most [`BINS`] bins at their quantiles, so a
//! tree level is one pass over the rows that sums gradients per node,
//! feature and bin. The model is written in the text form that
//! `wirecopy::clean::BlockModel::parse` reads.

use wirecopy::clean::{FEATURE_COUNT, FEATURE_NAMES};

/// Bins per feature.
pub const BINS: usize = 48;

/// Training settings.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub trees: usize,
    pub depth: u32,
    pub rate: f64,
    /// L2 penalty on leaf values.
    pub lambda: f64,
    /// Least hessian (weighted p(1−p)) a child may hold.
    pub min_child: f64,
    /// Share of rows each tree sees.
    pub rows: f64,
}

/// The training rows, binned.
pub struct Binned {
    /// Per feature: the bin edges; bin `b` holds values ≤ `edges[b]`.
    pub edges: Vec<Vec<f32>>,
    /// Row-major bins, `FEATURE_COUNT` a row.
    pub bins: Vec<u8>,
}

/// Bin edges per feature at the quantiles of `rows`.
pub fn edges(rows: &[[f32; FEATURE_COUNT]]) -> Vec<Vec<f32>> {
    let step = (rows.len() / 200_000).max(1);
    (0..FEATURE_COUNT)
        .map(|f| {
            let mut v: Vec<f32> = rows.iter().step_by(step).map(|r| r[f]).collect();
            v.sort_by(f32::total_cmp);
            v.dedup();
            if v.len() <= BINS {
                // Few values: cut between each pair.
                return v.windows(2).map(|w| w[0] + (w[1] - w[0]) / 2.0).collect();
            }
            let mut e: Vec<f32> = (1..BINS).map(|b| v[b * v.len() / BINS]).collect();
            e.dedup();
            e
        })
        .collect()
}

/// Bins `rows` at `edges`.
pub fn bin(rows: &[[f32; FEATURE_COUNT]], edges: &[Vec<f32>]) -> Binned {
    let mut bins = Vec::with_capacity(rows.len() * FEATURE_COUNT);
    for r in rows {
        for f in 0..FEATURE_COUNT {
            bins.push(edges[f].partition_point(|&e| e < r[f]) as u8);
        }
    }
    Binned {
        edges: edges.to_vec(),
        bins,
    }
}

/// One tree: breadth-first `(feature, threshold)` splits, then its leaves.
type Tree = (Vec<(usize, f32)>, Vec<f64>);

/// A trained model.
pub struct Model {
    depth: u32,
    base: f64,
    trees: Vec<Tree>,
}

/// Trains on the rows listed in `train` (indices into `data`).
pub fn train(data: &Binned, y: &[f32], w: &[f32], train: &[usize], s: &Settings) -> Model {
    let (mut pos, mut all) = (0f64, 0f64);
    for &i in train {
        pos += f64::from(w[i] * y[i]);
        all += f64::from(w[i]);
    }
    let p0 = (pos / all.max(1e-9)).clamp(1e-4, 1.0 - 1e-4);
    let base = (p0 / (1.0 - p0)).ln();
    let mut margin = vec![base; y.len()];
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut trees = Vec::with_capacity(s.trees);
    let inner = (1usize << s.depth) - 1;
    let mut g = vec![0f64; y.len()];
    let mut h = vec![0f64; y.len()];
    let mut node = vec![0u32; y.len()];
    for _ in 0..s.trees {
        let rows: Vec<usize> = train
            .iter()
            .copied()
            .filter(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                ((rng >> 11) as f64 / (1u64 << 53) as f64) < s.rows
            })
            .collect();
        for &i in &rows {
            let p = 1.0 / (1.0 + (-margin[i]).exp());
            g[i] = f64::from(w[i]) * (p - f64::from(y[i]));
            h[i] = f64::from(w[i]) * (p * (1.0 - p)).max(1e-6);
            node[i] = 0;
        }
        let mut splits = vec![(0usize, f32::MAX); inner];
        // Per split: the last bin that goes left (`usize::MAX`: all do).
        let mut cut_bin = vec![usize::MAX; inner];
        for level in 0..s.depth {
            let first = (1usize << level) - 1;
            let width = 1usize << level;
            let mut hist = vec![(0f64, 0f64); width * FEATURE_COUNT * BINS];
            for &i in &rows {
                let at = node[i] as usize - first;
                let row = &data.bins[i * FEATURE_COUNT..(i + 1) * FEATURE_COUNT];
                let base_at = at * FEATURE_COUNT * BINS;
                for (f, &b) in row.iter().enumerate() {
                    let cell = &mut hist[base_at + f * BINS + b as usize];
                    cell.0 += g[i];
                    cell.1 += h[i];
                }
            }
            for at in 0..width {
                let mut best = (0f64, 0usize, f32::MAX, usize::MAX);
                for f in 0..FEATURE_COUNT {
                    let cells =
                        &hist[(at * FEATURE_COUNT + f) * BINS..(at * FEATURE_COUNT + f + 1) * BINS];
                    let (gt, ht): (f64, f64) =
                        cells.iter().fold((0.0, 0.0), |a, c| (a.0 + c.0, a.1 + c.1));
                    let parent = gt * gt / (ht + s.lambda);
                    let (mut gl, mut hl) = (0f64, 0f64);
                    for (b, &edge) in data.edges[f].iter().enumerate() {
                        gl += cells[b].0;
                        hl += cells[b].1;
                        let (gr, hr) = (gt - gl, ht - hl);
                        if hl < s.min_child || hr < s.min_child {
                            continue;
                        }
                        let gain = gl * gl / (hl + s.lambda) + gr * gr / (hr + s.lambda) - parent;
                        if gain > best.0 {
                            best = (gain, f, edge, b);
                        }
                    }
                }
                splits[first + at] = (best.1, best.2);
                cut_bin[first + at] = best.3;
            }
            for &i in &rows {
                let at = node[i] as usize;
                let f = splits[at].0;
                let right = (data.bins[i * FEATURE_COUNT + f] as usize) > cut_bin[at];
                node[i] = (2 * at + 1 + usize::from(right)) as u32;
            }
        }
        let mut sums = vec![(0f64, 0f64); inner + 1];
        for &i in &rows {
            let leaf = node[i] as usize - inner;
            sums[leaf].0 += g[i];
            sums[leaf].1 += h[i];
        }
        let leaves: Vec<f64> = sums
            .iter()
            .map(|&(gs, hs)| -gs / (hs + s.lambda) * s.rate)
            .collect();
        for &i in train {
            margin[i] += leaves[leaf_of(&splits, &cut_bin, data, i, s.depth)];
        }
        trees.push((splits, leaves));
    }
    Model {
        depth: s.depth,
        base,
        trees,
    }
}

/// The leaf a binned row reaches in one tree.
fn leaf_of(
    splits: &[(usize, f32)],
    cut_bin: &[usize],
    data: &Binned,
    i: usize,
    depth: u32,
) -> usize {
    let inner = (1usize << depth) - 1;
    let mut at = 0usize;
    while at < inner {
        let right = (data.bins[i * FEATURE_COUNT + splits[at].0] as usize) > cut_bin[at];
        at = 2 * at + 1 + usize::from(right);
    }
    at - inner
}

impl Model {
    /// The probability of a raw (unbinned) row, as the library computes it.
    pub fn probability(&self, x: &[f32; FEATURE_COUNT]) -> f64 {
        let inner = (1usize << self.depth) - 1;
        let mut sum = self.base;
        for (splits, leaves) in &self.trees {
            let mut at = 0usize;
            while at < inner {
                let (f, t) = splits[at];
                at = 2 * at + 1 + usize::from(x[f] > t);
            }
            sum += leaves[at - inner];
        }
        1.0 / (1.0 + (-sum).exp())
    }

    /// The model as `BlockModel::parse` reads it.
    pub fn to_text(&self, cut: (f64, f64), comment: &str) -> String {
        let mut out = String::new();
        for line in comment.lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
        out.push_str("wirecopy-block-model 1\n");
        out.push_str(&format!("features {}\n", FEATURE_NAMES.join(" ")));
        out.push_str(&format!("depth {}\n", self.depth));
        out.push_str(&format!("cut {} {}\n", cut.0, cut.1));
        out.push_str(&format!("base {}\n", self.base as f32));
        for (splits, leaves) in &self.trees {
            out.push_str("tree");
            for &(f, t) in splits {
                out.push_str(&format!(" {f}:{t}"));
            }
            out.push_str(" |");
            for &l in leaves {
                out.push_str(&format!(" {}", l as f32));
            }
            out.push('\n');
        }
        out
    }
}

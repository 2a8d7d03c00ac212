//! The store's rules that are not SQL, shared by both backends: how a
//! member relates to its cluster's canonical, when a new member takes the
//! canonical's place, what a cluster's repaired core files, how decision
//! kinds are read back, how reprint delays add up in the summary, in which
//! order a run's new clusters are numbered, and how raw HTML is packed. Each backend runs its
//! own queries and calls these, so SQLite and PostgreSQL decide alike.

use std::io::{Read, Write};

use crate::dedup::align::align;
use crate::dedup::compare::{compare, pair_numbers_agree, partial, Source};
use crate::dedup::index::partial::posting_ids;
use crate::dedup::{sketch, CoreFeatures, DocMeta, Index, Relation, Sketch};

use super::{CoreEntry, DecisionKind, Error, Id, IndexEntry, NewArticle, ReprintFlow};

/// The relation of a member a reviewer put in a cluster that no rule relates
/// to its canonical.
pub const MERGED: &str = "merged";

/// Returns how the member with sketch `s` relates to the canonical with
/// sketch `canonical`: the relation's name and its score (at most 1).
pub(crate) fn relation_to_canonical(s: &Sketch, canonical: &Sketch) -> (&'static str, f64) {
    let (relation, similarity) = if s.fingerprint.sha256 == canonical.fingerprint.sha256 {
        ("exact", 1.0)
    } else if let Some(m) = compare(s, canonical) {
        (m.relation.as_str(), m.similarity)
    } else {
        let al = align(&s.sequence, &canonical.sequence);
        let shorter = s.fingerprint.words.min(canonical.fingerprint.words);
        // The member is the text that reuses the canonical's.
        let c = canonical;
        let numbers = pair_numbers_agree(
            &s.numbers,
            s.fingerprint.words,
            &c.numbers,
            c.fingerprint.words,
        );
        match partial(&al, s.fingerprint.words, Source::Agency, numbers) {
            Some(m) => (m.relation.as_str(), m.similarity),
            None => (MERGED, f64::from(al.spanned) / f64::from(shorter.max(1))),
        }
    };
    (relation, similarity.min(1.0))
}

/// The canonical a new member meets in the cluster it joins.
pub(crate) struct Incumbent<'a> {
    /// What the policy knows about it.
    pub meta: DocMeta,
    /// True if and only if a reviewer fixed it.
    pub locked: bool,
    /// Its URL.
    pub url: &'a str,
    /// The canonical URL on another site it claims, if any.
    pub claim: Option<&'a str>,
}

/// Returns true if and only if the new article `n` takes the canonical's
/// place. A publisher's claim settles it before the policy does: a page
/// claiming the canonical as its original never takes its place, and the
/// page a canonical claims as its original takes it over. A partial
/// reprint is the story plus other material, never its canonical version;
/// the agency's copy joining as the original of an earlier partial reprint
/// is (`dedup::index::partial`).
pub(crate) fn takes_over(n: &NewArticle<'_>, incumbent: &Incumbent<'_>) -> bool {
    let p = &n.cluster;
    let claims_incumbent = n.claimed_canonical == Some(incumbent.url);
    let claimed_by_incumbent = incumbent
        .claim
        .is_some_and(|c| c == n.fetch.url || c == n.final_url);
    let may_lead = p.relation != Relation::Partial || p.meta.agency;
    let take_over = claimed_by_incumbent
        || (!claims_incumbent && may_lead && n.policy.prefers(&p.meta, &incumbent.meta));
    !incumbent.locked && take_over
}

/// The entry a cluster's canonical files when it is made the cluster's
/// primary core again (see `sqlite/cores.rs`), sketched from its text.
pub(crate) fn primary_core_entry(text: &str, agency: bool, exact: Option<&[u8]>) -> IndexEntry {
    let s = sketch(text);
    IndexEntry {
        exact_key: exact.and_then(|k| <[u8; 16]>::try_from(k).ok()),
        core: Some(CoreEntry {
            root: None,
            features: CoreFeatures::of(&s),
            meta: DocMeta {
                agency,
                published: None,
                words: s.fingerprint.words,
            },
            band_keys: Index::band_keys(&s)
                .into_iter()
                .map(|k| (k >> 32) as u32)
                .collect(),
            postings: posting_ids(&s).collect(),
        }),
    }
}

/// The delay of a reprint after its agency's canonical, in minutes (0 at
/// least): by publication times when both are known, else by fetch times;
/// NaN when neither pair reads.
pub(crate) fn delay_minutes(published: (Option<i64>, Option<i64>), fetched: (&str, &str)) -> f64 {
    let seconds = |t: &str| {
        chrono::DateTime::parse_from_rfc3339(t)
            .ok()
            .map(|t| t.timestamp())
    };
    let minutes = match published {
        (Some(a), Some(c)) => Some((a - c) as f64 / 60.0),
        _ => match (seconds(fetched.0), seconds(fetched.1)) {
            (Some(a), Some(c)) => Some((a - c) as f64 / 60.0),
            _ => None,
        },
    };
    minutes.map_or(f64::NAN, |m| m.max(0.0))
}

/// The reprint flows of the summary from each (outlet, agency) pair's
/// delays ([`delay_minutes`]): how many reprints, and the median of the
/// delays known; the most reprints first.
pub(crate) fn flows(
    delays: std::collections::BTreeMap<(String, String), Vec<f64>>,
) -> Vec<ReprintFlow> {
    let mut flows: Vec<ReprintFlow> = delays
        .into_iter()
        .map(|((outlet, agency), mut ds)| {
            let reprints = ds.len() as u64;
            ds.retain(|d| !d.is_nan());
            ds.sort_by(f64::total_cmp);
            let median_minutes = (!ds.is_empty()).then(|| {
                let mid = ds.len() / 2;
                if ds.len() % 2 == 1 {
                    ds[mid]
                } else {
                    (ds[mid - 1] + ds[mid]) / 2.0
                }
            });
            ReprintFlow {
                outlet,
                agency,
                reprints,
                median_minutes,
            }
        })
        .collect();
    flows.sort_by(|a, b| b.reprints.cmp(&a.reprints).then(a.outlet.cmp(&b.outlet)));
    flows
}

/// The id moves that number a run's new clusters (`sqlite/numbering.rs`
/// explains why): `members` holds each member of those clusters as
/// (cluster, publication time, outlet name, URL), grouped by cluster. The
/// clusters keep their set of ids, handed out in the order of each one's
/// earliest member: publication time (none last), outlet name, URL path
/// and query (the host and port left out). Returns (old id, new id) pairs
/// for the clusters whose id changes.
pub(crate) fn renumbering(members: &[(Id, Option<i64>, String, String)]) -> Vec<(Id, Id)> {
    type Key = (bool, i64, String, String);
    let path_of = |url: &str| match url::Url::parse(url) {
        Ok(u) => u[url::Position::BeforePath..].to_string(),
        Err(_) => url.to_string(),
    };
    let mut earliest: Vec<(Id, Key)> = Vec::new();
    for (cluster, published, outlet, url) in members {
        let key = (
            published.is_none(),
            published.unwrap_or(0),
            outlet.clone(),
            path_of(url),
        );
        match earliest.last_mut() {
            Some((c, k)) if c == cluster => {
                if key < *k {
                    *k = key;
                }
            }
            _ => earliest.push((*cluster, key)),
        }
    }
    let ids: Vec<Id> = earliest.iter().map(|(c, _)| *c).collect();
    earliest.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    earliest
        .iter()
        .zip(&ids)
        .map(|((old, _), &new)| (*old, new))
        .filter(|(old, new)| old != new)
        .collect()
}

/// Reads a stored decision kind; `None` for a name this build does not know.
pub(crate) fn decision_kind(name: &str) -> Option<DecisionKind> {
    match name {
        "split" => Some(DecisionKind::Split),
        "merge" => Some(DecisionKind::Merge),
        "canonical" => Some(DecisionKind::Canonical),
        "confirm" => Some(DecisionKind::Confirm),
        _ => None,
    }
}

/// Compresses raw HTML for storage (deflate; pages shrink ~5×).
pub(crate) fn deflate(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes)?;
    Ok(enc.finish()?)
}

/// Decompresses what [`deflate`] stored.
pub(crate) fn inflate(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

/// The current time as RFC 3339, as every timestamp column holds it.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

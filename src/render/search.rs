//! The search index: `Site` → small JSON files under `search/` that `static/search.js`
//! fetches piece by piece, so a query loads only the parts it needs, at any archive size.
//!
//! - `search/index.json`: the shard keys, the years (as ranges of briefing ids, which run
//!   newest first) and every person, organisation, place and tag with its aliases (facets).
//! - `search/terms/N.json`: the postings of a run of terms in sorted order, about 48 KB;
//!   `index.json` lists each shard's first term.
//! - `search/docs/N.json`: title, link, date, summary and entities of 32 briefings.
//! - `search/entities/N.json`: the briefings of 64 entities, for filters.
//!
//! A posting is one number: the gap from the previous briefing id, times 8, plus a weight
//! 0–7 (log₂ of the term's score in that briefing: title ×4, summary ×2, an entity's names
//! and aliases ×3, body ×1). Every alias of an entity is indexed with the briefings that name
//! it, so `Zelenskiy` and `Зеленський` find them. Tokens are Unicode letters and digits,
//! lower-cased, as `search.js` splits them.

use std::collections::HashMap;
use std::fmt::Write;
use std::hash::{BuildHasherDefault, Hasher};

use pulldown_cmark::{Event, Parser};
use rayon::prelude::*;
use serde_json::json;

use super::jsonld::script_safe_text;
use crate::content::Kind;
use crate::model::{Briefing, BriefingId, Site};
use crate::urls::path;

/// Briefings per `search/docs/N.json` (about 14 KB at 10,000 briefings): a page of ten
/// results touches at most ten small files.
pub const DOCS_PER_SHARD: usize = 32;
/// Entities per `search/entities/N.json`.
pub const ENTITIES_PER_SHARD: usize = 64;
/// About how big a term shard grows before the next one starts.
const SHARD_BYTES: usize = 48 * 1024;
const MAX_TOKEN_CHARS: usize = 40;

/// Common English words that would make the biggest shards and never narrow a search.
/// `search.js` drops the same list.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with",
];

/// The term shards and the index file, built once per build. Docs and entities shards are
/// read straight from the `Site` when their routes render.
pub struct SearchIndex {
    pub index: Vec<u8>,
    pub terms: Vec<Vec<u8>>,
}

impl SearchIndex {
    pub fn doc_shards(site: &Site) -> usize {
        site.briefings.len().div_ceil(DOCS_PER_SHARD)
    }

    pub fn entity_shards(site: &Site) -> usize {
        site.entities.len().div_ceil(ENTITIES_PER_SHARD)
    }
}

/// Postings by term, before they are written out.
type Postings = HashMap<String, Vec<(u32, u8)>, BuildHasherDefault<FxHasher>>;

/// Builds the inverted index of every briefing and splits it into shards.
pub fn build(site: &Site) -> SearchIndex {
    // Each rayon job indexes a run of briefings into its own map; the maps are then merged,
    // so a term's text is allocated once per job, not once per briefing.
    let postings: Postings = site
        .briefings
        .par_iter()
        .fold(Postings::default, |mut postings, briefing| {
            add_briefing(site, briefing, &mut postings);
            postings
        })
        .reduce(Postings::default, merge);
    let mut entries: Vec<(String, String)> = postings
        .into_par_iter()
        .map(|(term, mut list)| {
            list.sort_unstable();
            let text = entry(&term, &list);
            (term, text)
        })
        .collect();
    entries.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let groups = shard(&entries);
    let terms = groups
        .iter()
        .map(|(_, range)| {
            let mut out = String::from("{");
            for (i, (_, text)) in entries[range.clone()].iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(text);
            }
            out.push('}');
            out.into_bytes()
        })
        .collect();
    let keys: Vec<&str> = groups.iter().map(|(key, _)| key.as_str()).collect();
    SearchIndex {
        index: index_json(site, &keys).into_bytes(),
        terms,
    }
}

fn merge(mut into: Postings, from: Postings) -> Postings {
    let (mut into, from) = if into.len() >= from.len() {
        (into, from)
    } else {
        (from, std::mem::take(&mut into))
    };
    for (term, mut list) in from {
        into.entry(term).or_default().append(&mut list);
    }
    into
}

/// Adds every term of a briefing, with its weight, to `postings`.
fn add_briefing(site: &Site, briefing: &Briefing, postings: &mut Postings) {
    let mut body = String::with_capacity(briefing.body().len());
    for event in Parser::new(briefing.body()) {
        if let Event::Text(text) | Event::Code(text) = event {
            body.push_str(&text);
            body.push(' ');
        }
    }
    let mut names = String::new();
    for &id in briefing.entities.iter().flatten() {
        let entity = site.entity(id);
        names.push_str(&entity.name);
        names.push(' ');
        for alias in entity.profile.iter().flat_map(|p| &p.aliases) {
            names.push_str(alias);
            names.push(' ');
        }
    }
    let fields = [
        (briefing.title.to_lowercase(), 4),
        (briefing.summary.to_lowercase(), 2),
        (body.to_lowercase(), 1),
        (names.to_lowercase(), 3),
    ];
    let mut scores: HashMap<&str, u32, BuildHasherDefault<FxHasher>> = HashMap::default();
    for (text, weight) in &fields {
        for word in words(text) {
            *scores.entry(word).or_default() += weight;
        }
    }
    let doc = briefing.id.0;
    for (term, score) in scores {
        let weight = score.ilog2().min(7) as u8;
        match postings.get_mut(term) {
            Some(list) => list.push((doc, weight)),
            None => {
                postings.insert(term.to_string(), vec![(doc, weight)]);
            }
        }
    }
}

/// Lower-cased runs of letters and digits, without stop words or one-letter words.
pub fn tokens(text: &str) -> Vec<String> {
    words(&text.to_lowercase()).map(str::to_string).collect()
}

/// The indexed words of text already in lower case.
fn words(lowered: &str) -> impl Iterator<Item = &str> {
    lowered.split(|c: char| !c.is_alphanumeric()).filter(|w| {
        w.len() >= 2 && {
            let n = w.chars().count();
            (2..=MAX_TOKEN_CHARS).contains(&n) && !STOP_WORDS.contains(w)
        }
    })
}

/// FxHash (rustc's): terms are short and not attacker-chosen, so a fast hash is safe and
/// halves the time spent counting words.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(n as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// `"term":[packed postings]`, ids ascending (newest first).
fn entry(term: &str, postings: &[(u32, u8)]) -> String {
    let mut out = serde_json::to_string(term).unwrap_or_default();
    out.push_str(":[");
    let mut last = 0;
    for (i, &(doc, weight)) in postings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}", (doc - last) * 8 + weight as u32);
        last = doc;
    }
    out.push(']');
    out
}

/// Cuts the sorted entries into runs of about `SHARD_BYTES`; each shard is known by its
/// first term, so a reader finds a term's shard by binary search over those keys, and the
/// words starting with a prefix in that shard and the few after it.
fn shard(entries: &[(String, String)]) -> Vec<(String, std::ops::Range<usize>)> {
    let mut groups = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, (_, text)) in entries.iter().enumerate() {
        if i > start && bytes + text.len() > SHARD_BYTES {
            groups.push((entries[start].0.clone(), start..i));
            start = i;
            bytes = 0;
        }
        bytes += text.len() + 1;
    }
    if start < entries.len() {
        groups.push((entries[start].0.clone(), start..entries.len()));
    }
    groups
}

/// `search/index.json`.
fn index_json(site: &Site, keys: &[&str]) -> String {
    let mut years = Vec::new();
    let mut start = 0usize;
    for year in &site.archive {
        let count = year.count();
        years.push(json!([year.year, start, start + count]));
        start += count;
    }
    let entities: Vec<_> = site
        .entities
        .iter()
        .map(|e| {
            let aliases = e
                .profile
                .as_ref()
                .map(|p| p.aliases.clone())
                .unwrap_or_default();
            json!([e.kind.index(), e.name, e.slug, e.briefings.len(), aliases])
        })
        .collect();
    let index = json!({
        "version": 1,
        "count": site.briefings.len(),
        "docsPerShard": DOCS_PER_SHARD,
        "entitiesPerShard": ENTITIES_PER_SHARD,
        "kinds": Kind::ALL.map(Kind::plural),
        "stopWords": STOP_WORDS,
        "keys": keys,
        "years": years,
        "entities": entities,
    });
    script_safe_text(&index.to_string())
}

/// `search/docs/N.json`: `[title, path, date, summary, [entity ids]]` per briefing.
pub fn docs_shard(
    site: &Site,
    shard: usize,
    display_date: impl Fn(&Briefing) -> String,
) -> Vec<u8> {
    let start = shard * DOCS_PER_SHARD;
    let end = (start + DOCS_PER_SHARD).min(site.briefings.len());
    let docs: Vec<_> = site.briefings[start.min(end)..end]
        .iter()
        .map(|b| {
            let ids: Vec<u32> = b.entities.iter().flatten().map(|id| id.0).collect();
            json!([
                b.title,
                path::briefing(&b.slug),
                display_date(b),
                b.summary,
                ids
            ])
        })
        .collect();
    script_safe_text(&serde_json::to_string(&docs).unwrap_or_default()).into_bytes()
}

/// `search/entities/N.json`: per entity, its briefing ids as gaps (newest first).
pub fn entities_shard(site: &Site, shard: usize) -> Vec<u8> {
    let start = shard * ENTITIES_PER_SHARD;
    let end = (start + ENTITIES_PER_SHARD).min(site.entities.len());
    let lists: Vec<Vec<u32>> = site.entities[start.min(end)..end]
        .iter()
        .map(|e| gaps(&e.briefings))
        .collect();
    script_safe_text(&serde_json::to_string(&lists).unwrap_or_default()).into_bytes()
}

fn gaps(ids: &[BriefingId]) -> Vec<u32> {
    let mut last = 0;
    ids.iter()
        .map(|id| {
            let gap = id.0 - last;
            last = id.0;
            gap
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_lowercase_words_of_any_script() {
        assert_eq!(
            tokens("Zelenskiy met Володимир ЗЕЛЕНСЬКИЙ in Kyiv, 2025-05-16; a I"),
            [
                "zelenskiy",
                "met",
                "володимир",
                "зеленський",
                "kyiv",
                "2025",
                "05",
                "16"
            ]
        );
    }

    #[test]
    fn postings_are_gaps_times_eight_plus_weight() {
        assert_eq!(
            entry("kyiv", &[(0, 3), (5, 0), (6, 7)]),
            "\"kyiv\":[3,40,15]"
        );
    }

    #[test]
    fn shards_are_runs_of_sorted_terms_keyed_by_their_first() {
        let big = "1,".repeat(SHARD_BYTES / 6);
        let entries: Vec<(String, String)> = [
            ("ka", "x"),
            ("ze", big.as_str()),
            ("zel", big.as_str()),
            ("zelensky", big.as_str()),
            ("zen", "x"),
        ]
        .map(|(t, p)| (t.to_string(), p.to_string()))
        .to_vec();
        let groups = shard(&entries);
        let keys: Vec<(&str, usize)> = groups.iter().map(|(k, r)| (k.as_str(), r.len())).collect();
        assert_eq!(keys, [("ka", 3), ("zelensky", 2)]);
        assert!(shard(&[]).is_empty());
    }
}

//! The index's files, written from what `build` found: term shards (words, names and words
//! of names), typo buckets, `index.json`, each entity's mentions, the filter menus and each
//! briefing's doc. The formats are described in `search.rs`.

use std::collections::HashMap;
use std::fmt::Write;

use rayon::prelude::*;
use serde_json::json;

use super::names::{Mention, Names};
use super::{plain_text, title_in, tokens};
use crate::content::Kind;
use crate::model::{Briefing, EntityId, Site};
use crate::render::jsonld::script_safe_text;
use crate::urls::path;

/// About how big a term shard grows before the next one starts: a query fetches one shard
/// per word, so smaller shards mean fewer bytes per query and more files.
pub(super) const SHARD_BYTES: usize = 24 * 1024;
/// The same for name shards: a query fetches one for each run of words that may be a
/// name, and names are small.
pub(super) const NAME_SHARD_BYTES: usize = 8 * 1024;
/// Words per typo bucket, about: each bucket is a few KB.
const NEAR_PER_BUCKET: usize = 400;
/// The shortest word a typo is looked for in (the two-ends rule needs five letters); the
/// words it may be a typo of are one letter shorter at least.
const NEAR_MIN_CHARS: usize = 4;
/// The plain text kept for snippets and phrases: enough for any briefing of normal length,
/// and bounded for a very large one (its file says it was cut).
const TEXT_LIMIT: usize = 32 * 1024;
/// Names shown under a result.
const RESULT_NAMES: usize = 6;
pub(super) const NAME_MARK: char = '\u{1}';
pub(super) const NAME_WORD_MARK: char = '\u{2}';

pub(super) fn json_string(text: &str) -> String {
    script_safe_text(&serde_json::to_string(text).unwrap_or_default())
}

/// `"term":[packed postings]`, ids ascending (newest first).
pub(super) fn word_entry(term: &str, postings: &[(u32, u8)]) -> String {
    let mut out = json_string(term);
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

/// The name keys (`"w1 w2\u0001":[ids]`) and name-word keys (`"w\u0002":[[id, kind, name,
/// slug, briefings]…]`) of every entity.
pub(super) fn name_entries(site: &Site, names: &Names) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = names
        .keys()
        .map(|(key, ids)| {
            let key = format!("{key}{NAME_MARK}");
            let ids: Vec<u32> = ids.iter().map(|id| id.0).collect();
            let text = format!("{}:{}", json_string(&key), json!(ids));
            (key, text)
        })
        .collect();
    let mut by_word: HashMap<String, Vec<EntityId>> = HashMap::new();
    for entity in &site.entities {
        for name in &names.written[entity.id.0 as usize] {
            tokens::scan(name, |w, _| {
                if tokens::is_indexed(w) {
                    let ids = by_word.entry(w.to_string()).or_default();
                    if ids.last() != Some(&entity.id) {
                        ids.push(entity.id);
                    }
                }
            });
        }
    }
    for (word, mut ids) in by_word {
        ids.sort();
        ids.dedup();
        let list: Vec<_> = ids
            .iter()
            .map(|&id| {
                let e = site.entity(id);
                json!([id.0, e.kind.index(), e.name, e.slug, e.briefings.len()])
            })
            .collect();
        let key = format!("{word}{NAME_WORD_MARK}");
        let text = format!(
            "{}:{}",
            json_string(&key),
            script_safe_text(&serde_json::Value::from(list).to_string())
        );
        entries.push((key, text));
    }
    entries
}

/// Cuts the sorted entries into runs of about `limit` bytes; each shard is known by its
/// first key, so a reader finds a key's shard by binary search over those keys, and the
/// words starting with a prefix in that shard and the few after it.
pub(super) fn shard(
    entries: &[(String, String)],
    limit: usize,
) -> Vec<(String, std::ops::Range<usize>)> {
    let mut groups = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, (_, text)) in entries.iter().enumerate() {
        if i > start && bytes + text.len() > limit {
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

/// FNV-1a over the UTF-16 code units of `text`; `search.js` hashes the same way.
pub(super) fn fnv(text: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for unit in text.encode_utf16() {
        hash ^= unit as u32;
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// The two bucket keys of a word: its first two letters and its last two.
pub(super) fn near_keys(word: &str) -> [String; 2] {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    let head: String = chars[..2.min(n)].iter().collect();
    let tail: String = chars[n.saturating_sub(2)..].iter().collect();
    [format!("<{head}"), format!(">{tail}")]
}

/// `near/N.json`: every word of four letters or more (not a number) in the bucket of its
/// first two letters and in that of its last two, sorted.
pub(super) fn near_buckets(vocabulary: &[&String]) -> Vec<Vec<u8>> {
    let words: Vec<&str> = vocabulary
        .iter()
        .map(|w| w.as_str())
        .filter(|w| w.chars().count() >= NEAR_MIN_CHARS && !w.chars().all(|c| c.is_numeric()))
        .collect();
    let count = (2 * words.len()).div_ceil(NEAR_PER_BUCKET).max(1);
    let mut buckets: Vec<Vec<&str>> = vec![Vec::new(); count];
    for word in words {
        let [head, tail] = near_keys(word);
        let (a, b) = (fnv(&head) as usize % count, fnv(&tail) as usize % count);
        buckets[a].push(word);
        if b != a {
            buckets[b].push(word);
        }
    }
    buckets
        .into_iter()
        .map(|mut list| {
            list.sort_unstable();
            script_safe_text(&serde_json::to_string(&list).unwrap_or_default()).into_bytes()
        })
        .collect()
}

/// `index.json`.
pub(super) fn index_json(
    site: &Site,
    keys: &[String],
    name_keys: &[String],
    near: usize,
) -> String {
    let mut years = Vec::new();
    let mut months = Vec::new();
    let mut start = 0usize;
    for year in &site.archive {
        years.push(json!([year.year, start, start + year.count()]));
        for month in &year.months {
            let count = month.briefings.len();
            months.push(json!([year.year, month.month, start, start + count]));
            start += count;
        }
    }
    // Where each first letter starts in each A–Z index, for a query of one letter.
    let mut letters = Vec::new();
    for kind in Kind::ALL {
        for letter in crate::render::letters::letters(site, &site.by_kind[kind.index()]) {
            let page = letter.start / site.config.per_page + 1;
            let at = format!("{}#{}", path::entity_index(kind, page), letter.anchor);
            letters.push(json!([
                kind.index(),
                letter.letter,
                at,
                crate::render::kind_label(&site.words, kind)
            ]));
        }
    }
    let index = json!({
        "version": 2,
        "count": site.briefings.len(),
        "kinds": Kind::ALL.map(Kind::plural),
        "stopWords": tokens::STOP_WORDS,
        "keys": keys,
        "nameKeys": name_keys,
        "near": near,
        "nearMin": NEAR_MIN_CHARS + 1,
        "years": years,
        "months": months,
        "letters": letters,
    });
    script_safe_text(&index.to_string())
}

/// `mentions/ID.json` of every entity: `[names, postings]`, from `mentions` sorted by
/// entity and briefing.
pub(super) fn mention_files(
    site: &Site,
    names: &Names,
    mentions: &[(EntityId, u32, Mention)],
) -> Vec<Vec<u8>> {
    let mut lists: Vec<&[(EntityId, u32, Mention)]> = vec![&[]; site.entities.len()];
    for run in mentions.chunk_by(|a, b| a.0 == b.0) {
        lists[run[0].0.0 as usize] = run;
    }
    lists
        .par_iter()
        .enumerate()
        .map(|(id, list)| {
            let mut packed = String::from("[");
            let mut last = 0;
            for (i, (_, doc, mention)) in list.iter().enumerate() {
                if i > 0 {
                    packed.push(',');
                }
                let weight = mention.score().max(1).ilog2().min(7);
                let flag = if mention.front_matter { 8 } else { 0 };
                let _ = write!(packed, "{}", (doc - last) * 16 + flag + weight);
                last = *doc;
            }
            packed.push(']');
            let written = serde_json::to_string(&names.written[id]).unwrap_or_default();
            script_safe_text(&format!("[{written},{packed}]")).into_bytes()
        })
        .collect()
}

/// `filters/KIND.json`: `[id, name, slug, briefings]` of each entity of `kind`, A–Z.
pub(super) fn filter_file(site: &Site, kind: Kind) -> Vec<u8> {
    let list: Vec<_> = site.by_kind[kind.index()]
        .iter()
        .map(|&id| {
            let e = site.entity(id);
            json!([id.0, e.name, e.slug, e.briefings.len()])
        })
        .collect();
    script_safe_text(&serde_json::Value::from(list).to_string()).into_bytes()
}

/// `docs/ID.json`: `[title, path, date, summary, names, text, cut]`, where `cut` is 1 when
/// the text was cut at `TEXT_LIMIT`.
pub fn doc(site: &Site, briefing: &Briefing, display_date: &str) -> Vec<u8> {
    let mut text = plain_text(briefing.body(), title_in(site));
    let cut = text.len() > TEXT_LIMIT;
    if cut {
        let mut end = TEXT_LIMIT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    let names: Vec<&str> = briefing.entities[..3]
        .iter()
        .flatten()
        .take(RESULT_NAMES)
        .map(|&id| site.entity(id).name.as_str())
        .collect();
    let doc = json!([
        briefing.title,
        path::briefing(&briefing.slug),
        display_date,
        briefing.summary,
        names,
        text.trim_end(),
        cut as u8,
    ]);
    script_safe_text(&doc.to_string()).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_are_gaps_times_eight_plus_weight() {
        assert_eq!(
            word_entry("kyiv", &[(0, 3), (5, 0), (6, 7)]),
            "\"kyiv\":[3,40,15]"
        );
    }
    #[test]
    fn shards_are_runs_of_sorted_keys_known_by_their_first() {
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
        let groups = shard(&entries, SHARD_BYTES);
        let keys: Vec<(&str, usize)> = groups.iter().map(|(k, r)| (k.as_str(), r.len())).collect();
        assert_eq!(keys, [("ka", 3), ("zelensky", 2)]);
        assert!(shard(&[], SHARD_BYTES).is_empty());
    }
    #[test]
    fn one_typo_keeps_the_first_two_letters_or_the_last_two() {
        // Medinsky → Medinksy (two letters swapped), Medinsky → Medisky (one left out)…
        for (word, typo) in [
            ("medinsky", "medinksy"),
            ("medinsky", "medisky"),
            ("medinsky", "emdinsky"),
            ("medinsky", "medinskj"),
            ("kyiv", "kyivv"),
        ] {
            let [a, b] = near_keys(word);
            let [c, d] = near_keys(typo);
            assert!(a == c || b == d, "{word} / {typo}");
        }
        assert_eq!(near_keys("зеленськ"), ["<зе", ">ьк"]);
    }
    #[test]
    fn buckets_hash_like_search_js() {
        let all: serde_json::Value = serde_json::from_str(tokens::tests::CASES).unwrap();
        let cases: Vec<(String, u32)> = serde_json::from_value(all["fnv"].clone()).unwrap();
        for (text, hash) in cases {
            assert_eq!(fnv(&text), hash, "{text:?}");
        }
    }
}

//! The search index: `Site` → small JSON files that `static/search.js` fetches piece by
//! piece, so a query loads only what it needs, at any archive size. Reads only the `Site`.
//!
//! All paths are relative to the index's folder (`search/`), and the paths inside it to the
//! site's home, so another index (a language's, under `/<code>/search/`) is one more
//! instance of the same files. The files:
//!
//! - `index.json`: the first key of each term shard, the years and months (as ranges of
//!   briefing ids, which run newest first), the briefing count and the stop words.
//! - `terms/N.json`: a run of keys in sorted order, about 24 KB. Three kinds of key:
//!   a word (`"kyiv"`) with its postings; a name (`"volodymyr zelensky\u0001"`, folded words
//!   joined by spaces) with the ids of the entities it names; and a word of a name
//!   (`"zelensky\u0002"`) with the entities whose names hold it, to show as profiles. A name's
//!   keys sort beside its first word, so the shard a query fetches for that word has them.
//! - `mentions/ID.json`: an entity's names and every briefing that mentions it, in its front
//!   matter or by any of its names anywhere in the text. A query that is one of its names is
//!   answered from here, so every spelling finds the same briefings, ranked the same.
//! - `docs/ID.json`: one briefing's title, link, date, summary, names and plain text (for
//!   snippets and phrases).
//! - `filters/KIND.json`: every entity of a kind A–Z, for the filter menus.
//! - `near/N.json`: the words of the index in buckets by their first two letters and by their
//!   last two, for one-typo matches (one edit never changes both ends of a word of five
//!   letters or more).
//!
//! A word's posting is one number: the gap from the previous briefing id, times 8, plus a
//! weight 0–7 (log₂ of the word's score in that briefing: title ×4, summary ×2, names of the
//! entities it mentions ×3, body ×1). A mention's posting is the gap times 16, plus 8 when
//! the front matter names the entity, plus the weight of the mention.

mod names;
pub mod tokens;

use std::collections::HashMap;
use std::fmt::Write;
use std::hash::{BuildHasherDefault, Hasher};

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use serde_json::json;

use super::jsonld::script_safe_text;
use crate::content::Kind;
use crate::model::{Briefing, EntityId, Site};
use crate::urls::path;
use names::{Mention, Names};

/// About how big a term shard grows before the next one starts: a query fetches one shard
/// per word, so smaller shards mean fewer bytes per query and more files.
const SHARD_BYTES: usize = 24 * 1024;
/// Words per typo bucket, about: each bucket is a few KB.
const NEAR_PER_BUCKET: usize = 400;
/// The shortest word a typo is looked for in (the two-ends rule needs five letters); the
/// words it may be a typo of are one letter shorter at least.
const NEAR_MIN_CHARS: usize = 4;
/// The plain text kept for snippets and phrases: enough for any briefing of normal length,
/// and bounded for a very large one (its file says it was cut).
const TEXT_LIMIT: usize = 32 * 1024;
/// The most text read into words at once (see `pieces`).
const PIECE_BYTES: usize = 64 * 1024;
/// Names shown under a result.
const RESULT_NAMES: usize = 6;

const NAME_MARK: char = '\u{1}';
const NAME_WORD_MARK: char = '\u{2}';

/// The files of the index that are made in one pass over the archive. `docs/ID.json` are
/// made one at a time when their routes render (`doc`), from the `Site`.
pub struct SearchIndex {
    pub index: Vec<u8>,
    pub terms: Vec<Vec<u8>>,
    pub mentions: Vec<Vec<u8>>,
    pub filters: [Vec<u8>; 4],
    pub near: Vec<Vec<u8>>,
}

/// Postings by word, before they are written out.
type Postings = HashMap<String, Vec<(u32, u8)>, BuildHasherDefault<FxHasher>>;

/// What indexing one run of briefings gives: word postings, and mentions as
/// (entity, briefing, mention).
#[derive(Default)]
struct Found {
    postings: Postings,
    mentions: Vec<(EntityId, u32, Mention)>,
    /// Scratch space, reused from briefing to briefing.
    words: tokens::Words,
    scores: HashMap<String, u32, BuildHasherDefault<FxHasher>>,
}

/// Builds the index of every briefing.
pub fn build(site: &Site) -> SearchIndex {
    let names = Names::new(site);
    // Each rayon job indexes a run of briefings into its own map; the maps are then merged,
    // so a word's text is allocated once per job, not once per briefing.
    let found = site
        .briefings
        .par_iter()
        .fold(Found::default, |mut found, briefing| {
            add_briefing(site, &names, briefing, &mut found);
            found
        })
        .reduce(Found::default, merge);
    let Found {
        postings, mentions, ..
    } = found;
    let near = near_buckets(&postings.keys().collect::<Vec<_>>());
    let mut entries: Vec<(String, String)> = postings
        .into_par_iter()
        .map(|(term, mut list)| {
            list.sort_unstable();
            let text = word_entry(&term, &list);
            (term, text)
        })
        .collect();
    entries.extend(name_entries(site, &names));
    entries.par_sort_unstable_by(|a, b| utf16_cmp(&a.0, &b.0));
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
        index: index_json(site, &keys, near.len()).into_bytes(),
        terms,
        mentions: mention_files(site, &names, mentions),
        filters: Kind::ALL.map(|kind| filter_file(site, kind)),
        near,
    }
}

fn merge(mut into: Found, mut from: Found) -> Found {
    if into.postings.len() < from.postings.len() {
        std::mem::swap(&mut into, &mut from);
    }
    for (term, mut list) in from.postings {
        into.postings.entry(term).or_default().append(&mut list);
    }
    into.mentions.append(&mut from.mentions);
    into
}

/// The Markdown options the pages use, so the text is the text the reader sees.
fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// A briefing's body as plain text, as the page reads: blocks on lines of their own, markup
/// and raw HTML left out, and a bare `[[slug]]` as the title of the briefing it links to
/// (`title_of`).
pub fn plain_text<'t>(markdown: &str, title_of: impl Fn(&str) -> Option<&'t str>) -> String {
    let mut text = String::with_capacity(markdown.len());
    let mut in_titled_link = false;
    for event in Parser::new_ext(markdown, markdown_options()) {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole: false },
                dest_url,
                ..
            }) => {
                if let Some(title) = title_of(dest_url.trim()) {
                    text.push_str(title);
                    in_titled_link = true;
                }
            }
            Event::End(TagEnd::Link) => in_titled_link = false,
            Event::Text(_) | Event::Code(_) if in_titled_link => {}
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::FootnoteDefinition,
            ) => text.push('\n'),
            Event::End(TagEnd::TableCell) => text.push_str(" · "),
            _ => {}
        }
    }
    text
}

/// The title of the briefing `slug` names, for `plain_text`.
fn title_in<'s>(site: &'s Site) -> impl Fn(&str) -> Option<&'s str> {
    move |slug| {
        site.briefing_by_slug
            .get(slug)
            .map(|&id| site.briefing(id).title.as_str())
    }
}

/// Adds every word and mention of a briefing to `found`.
fn add_briefing(site: &Site, names: &Names, briefing: &Briefing, found: &mut Found) {
    let body = plain_text(briefing.body(), title_in(site));
    let mut mentions: Vec<(EntityId, Mention)> = briefing
        .entities
        .iter()
        .flatten()
        .map(|&id| {
            let mention = Mention {
                front_matter: true,
                ..Mention::default()
            };
            (id, mention)
        })
        .collect();
    let fields = [
        (briefing.title.as_str(), 4),
        (briefing.summary.as_str(), 2),
        (body.as_str(), 1),
    ];
    let Found {
        postings,
        mentions: all_mentions,
        words,
        scores,
    } = found;
    scores.clear();
    let mut count = |word: &str, weight: u32| {
        if !tokens::is_indexed(word) {
            return;
        }
        match scores.get_mut(word) {
            Some(score) => *score += weight,
            None => {
                scores.insert(word.to_string(), weight);
            }
        }
    };
    for (field, (text, weight)) in fields.iter().enumerate() {
        for text in pieces(text) {
            words.read(text);
            for i in 0..words.len() {
                count(words.get(i), *weight);
            }
            names.find(words, text, |id| {
                let at = match mentions.iter().position(|(e, _)| *e == id) {
                    Some(at) => at,
                    None => {
                        mentions.push((id, Mention::default()));
                        mentions.len() - 1
                    }
                };
                let m = &mut mentions[at].1;
                match field {
                    0 => m.title += 1,
                    1 => m.summary += 1,
                    _ => m.body += 1,
                }
            });
        }
    }
    // Every name of every entity it mentions, so a word of any spelling finds it.
    for (id, _) in &mentions {
        for word in &names.words[id.0 as usize] {
            count(word, 3);
        }
    }
    let doc = briefing.id.0;
    for (term, score) in scores.drain() {
        let weight = score.ilog2().min(7) as u8;
        match postings.get_mut(&term) {
            Some(list) => list.push((doc, weight)),
            None => {
                postings.insert(term, vec![(doc, weight)]);
            }
        }
    }
    all_mentions.extend(mentions.into_iter().map(|(id, m)| (id, doc, m)));
}

/// `text` in pieces of about `PIECE_BYTES`, cut after a line (a block of the body) where
/// there is one, else after a space: the words of a very large briefing are read a piece
/// at a time, in bounded memory, and a name never spans two blocks.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len();
        if end > PIECE_BYTES {
            end = PIECE_BYTES;
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            let head = &rest[..end];
            end = head
                .rfind('\n')
                .or_else(|| head.rfind(' '))
                .map_or(end, |at| at + 1);
        }
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

/// Compares as JavaScript does (UTF-16 code units), so `search.js` can binary-search the
/// shard keys with `<`.
fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// FxHash (rustc's): words are short and not attacker-chosen, so a fast hash is safe and
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

fn json_string(text: &str) -> String {
    script_safe_text(&serde_json::to_string(text).unwrap_or_default())
}

/// `"term":[packed postings]`, ids ascending (newest first).
fn word_entry(term: &str, postings: &[(u32, u8)]) -> String {
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
fn name_entries(site: &Site, names: &Names) -> Vec<(String, String)> {
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

/// Cuts the sorted entries into runs of about `SHARD_BYTES`; each shard is known by its
/// first key, so a reader finds a key's shard by binary search over those keys, and the
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

/// FNV-1a over the UTF-16 code units of `text`; `search.js` hashes the same way.
fn fnv(text: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for unit in text.encode_utf16() {
        hash ^= unit as u32;
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// The two bucket keys of a word: its first two letters and its last two.
fn near_keys(word: &str) -> [String; 2] {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    let head: String = chars[..2.min(n)].iter().collect();
    let tail: String = chars[n.saturating_sub(2)..].iter().collect();
    [format!("<{head}"), format!(">{tail}")]
}

/// `near/N.json`: every word of four letters or more (not a number) in the bucket of its
/// first two letters and in that of its last two, sorted.
fn near_buckets(vocabulary: &[&String]) -> Vec<Vec<u8>> {
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
fn index_json(site: &Site, keys: &[&str], near: usize) -> String {
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
        let mut last = None;
        for (i, &id) in site.by_kind[kind.index()].iter().enumerate() {
            let letter = site
                .entity(id)
                .slug
                .chars()
                .next()
                .map(|c| c.to_ascii_uppercase());
            if letter.is_none() || letter == last {
                continue;
            }
            last = letter;
            let letter = letter.unwrap_or('#');
            let page = i / site.config.per_page + 1;
            let at = format!(
                "{}#letter-{}",
                path::entity_index(kind, page),
                letter.to_ascii_lowercase()
            );
            letters.push(json!([
                kind.index(),
                letter.to_string(),
                at,
                super::kind_label(kind)
            ]));
        }
    }
    let index = json!({
        "version": 2,
        "count": site.briefings.len(),
        "kinds": Kind::ALL.map(Kind::plural),
        "stopWords": tokens::STOP_WORDS,
        "keys": keys,
        "near": near,
        "nearMin": NEAR_MIN_CHARS + 1,
        "years": years,
        "months": months,
        "letters": letters,
    });
    script_safe_text(&index.to_string())
}

/// `mentions/ID.json` of every entity: `[names, postings]`.
fn mention_files(
    site: &Site,
    names: &Names,
    mut mentions: Vec<(EntityId, u32, Mention)>,
) -> Vec<Vec<u8>> {
    mentions.par_sort_unstable_by_key(|&(entity, doc, _)| (entity, doc));
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
fn filter_file(site: &Site, kind: Kind) -> Vec<u8> {
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
        let groups = shard(&entries);
        let keys: Vec<(&str, usize)> = groups.iter().map(|(k, r)| (k.as_str(), r.len())).collect();
        assert_eq!(keys, [("ka", 3), ("zelensky", 2)]);
        assert!(shard(&[]).is_empty());
    }

    #[test]
    fn names_sort_beside_their_first_word_in_javascript_order() {
        let mut keys = vec![
            "volodymyrs".to_string(),
            format!("volodymyr zelensky{NAME_MARK}"),
            "volodymyr".to_string(),
            format!("volodymyr{NAME_WORD_MARK}"),
            "\u{ff41}".to_string(),
            "\u{1d400}".to_string(),
        ];
        keys.sort_by(|a, b| utf16_cmp(a, b));
        assert_eq!(
            keys,
            [
                "volodymyr".to_string(),
                format!("volodymyr{NAME_WORD_MARK}"),
                format!("volodymyr zelensky{NAME_MARK}"),
                "volodymyrs".to_string(),
                // A surrogate pair sorts before U+FF41 in UTF-16, as in JavaScript.
                "\u{1d400}".to_string(),
                "\u{ff41}".to_string(),
            ]
        );
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

    #[test]
    fn a_long_text_is_read_in_pieces_cut_between_blocks() {
        let text = format!(
            "{}\n{}\n",
            "a ".repeat(PIECE_BYTES / 4),
            "b".repeat(PIECE_BYTES)
        );
        let cut: Vec<&str> = pieces(&text).collect();
        assert_eq!(cut.concat(), text);
        assert!(cut[0].ends_with('\n') && cut[0].len() == PIECE_BYTES / 2 + 1);
        assert!(cut.iter().all(|p| p.len() <= PIECE_BYTES));
        assert_eq!(pieces("").count(), 0);
    }

    #[test]
    fn plain_text_keeps_words_whole_across_markup() {
        let text = plain_text(
            "## Who *came*\n\nThe **Kyiv**'s [talks](https://x.org) went on.\nNext line.\n\n- one\n- two\n\n<b>raw</b> [[known]], [[known|own words]], [[unknown]]",
            |slug| (slug == "known").then_some("Talks open"),
        );
        assert_eq!(
            text,
            "Who came\nThe Kyiv's talks went on. Next line.\none\ntwo\nraw Talks open, own words, unknown\n"
        );
    }
}

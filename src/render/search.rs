//! The search index: `Site` → small JSON files that `static/search.js` fetches piece by
//! piece, so a query loads only what it needs, at any archive size. Reads only the `Site`.
//!
//! All paths are relative to the index's folder (`search/`), and the paths inside it to the
//! site's home, so another index (a language's, under `/<code>/search/`) is one more
//! instance of the same files. The files:
//!
//! - `index.json`: the first key of each term shard and name shard, the years and months (as ranges of
//!   briefing ids, which run newest first), the briefing count and the stop words.
//! - `terms/N.json`: a run of words in sorted order with their postings, about 24 KB.
//! - `name-keys/N.json`: a run of names in sorted order, about 8 KB, with `index.json`
//!   listing each shard's first key like the terms'. Two kinds of key: a name (`"volodymyr
//!   zelensky\u0001"`, folded words joined by spaces) with the ids of the entities it names,
//!   and a word of a name (`"zelensky\u0002"`) with the entities whose names hold it, to
//!   show as profiles. A query looks its words up here first: a name needs no postings of
//!   its words, and a name's shard is small where a common word's postings are not.
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

mod files;
mod kept;
mod names;
pub mod tokens;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::content::Kind;
use crate::model::{Briefing, EntityId, Site};
pub use files::doc;
use files::{
    NAME_SHARD_BYTES, SHARD_BYTES, filter_file, index_json, mention_files, name_entries,
    near_buckets, shard, word_entry,
};
pub use kept::Kept;
use names::{Mention, Names};

/// The most text read into words at once (see `pieces`).
const PIECE_BYTES: usize = 64 * 1024;

/// The files of the index that are made in one pass over the archive. `docs/ID.json` are
/// made one at a time when their routes render (`doc`), from the `Site`.
pub struct SearchIndex {
    pub index: Vec<u8>,
    pub terms: Vec<Vec<u8>>,
    pub names: Vec<Vec<u8>>,
    pub mentions: Vec<Vec<u8>>,
    pub filters: [Vec<u8>; 4],
    pub near: Vec<Vec<u8>>,
    /// What it was made from, to keep for the next build (when asked for, `Memory`).
    pub kept: Option<Kept>,
}

/// What a build that keeps the index's analysis gives `build`: the digest of what each
/// briefing says, and the analysis the last build kept for a site of the same shape.
pub struct Memory {
    pub says: Vec<u64>,
    pub kept: Option<Kept>,
}

/// Postings by word, before they are written out.
type Postings = HashMap<String, Vec<(u32, u8)>, BuildHasherDefault<FxHasher>>;

/// What indexing one run of briefings gives: word postings, mentions as
/// (entity, briefing, mention), and the links each briefing's text showed the title of.
#[derive(Default)]
struct Found {
    postings: Postings,
    mentions: Vec<(EntityId, u32, Mention)>,
    links: Vec<(u32, kept::Links)>,
    /// Scratch space, reused from briefing to briefing.
    words: tokens::Words,
    scores: HashMap<String, u32, BuildHasherDefault<FxHasher>>,
}

/// Builds the index of every briefing; with `memory`, reads anew only the briefings whose
/// part the kept analysis does not hold, and keeps the new analysis in the index.
pub fn build(site: &Site, memory: Option<Memory>) -> SearchIndex {
    let names = Names::new(site);
    let (says, earlier) = match memory {
        Some(Memory { says, kept }) => (Some(says), kept),
        None => (None, None),
    };
    let reused = match (&earlier, &says) {
        (Some(kept), Some(says)) => kept.reusable(site, says),
        _ => vec![false; site.briefings.len()],
    };
    let read_anew = earlier.is_none() || reused.iter().any(|r| !r);
    // Each rayon job indexes a run of briefings into its own map; the maps are then merged,
    // so a word's text is allocated once per job, not once per briefing.
    let mut found = site
        .briefings
        .par_iter()
        .filter(|b| !reused[b.id.0 as usize])
        .fold(Found::default, |mut found, briefing| {
            add_briefing(site, &names, briefing, &mut found);
            found
        })
        .reduce(Found::default, merge);
    // The earlier analysis is let go once merged: the new one is about as big.
    if let Some(kept) = earlier {
        add_reused(&kept, &reused, &mut found);
    }
    let Found {
        mut postings,
        mut mentions,
        links,
        ..
    } = found;
    postings
        .par_iter_mut()
        .for_each(|(_, list)| list.sort_unstable());
    mentions.par_sort_unstable_by_key(|&(entity, doc, _)| (entity, doc));
    let kept = says.map(|says| {
        let mut by_doc = vec![Vec::new(); site.briefings.len()];
        for (doc, list) in links {
            by_doc[doc as usize] = list;
        }
        Kept {
            says,
            links: by_doc,
            postings: postings
                .iter()
                .map(|(t, l)| (t.clone(), l.clone()))
                .collect(),
            mentions: mentions.clone(),
            fresh: read_anew,
        }
    });
    let near = near_buckets(&postings.keys().collect::<Vec<_>>());
    let entries: Vec<(String, String)> = postings
        .into_par_iter()
        .map(|(term, list)| {
            let text = word_entry(&term, &list);
            (term, text)
        })
        .collect();
    let (terms, keys) = shards(entries, SHARD_BYTES);
    let (names_files, name_keys) = shards(name_entries(site, &names), NAME_SHARD_BYTES);
    SearchIndex {
        index: index_json(site, &keys, &name_keys, near.len()).into_bytes(),
        terms,
        names: names_files,
        mentions: mention_files(site, &names, &mentions),
        filters: Kind::ALL.map(|kind| filter_file(site, kind)),
        near,
        kept,
    }
}

/// Adds the kept parts of the briefings `reused` to `found`.
fn add_reused(kept: &Kept, reused: &[bool], found: &mut Found) {
    let is_reused = |doc: u32| reused.get(doc as usize).copied().unwrap_or(false);
    for (term, list) in &kept.postings {
        let list: Vec<(u32, u8)> = list.iter().copied().filter(|p| is_reused(p.0)).collect();
        if !list.is_empty() {
            found.postings.entry(term.clone()).or_default().extend(list);
        }
    }
    found
        .mentions
        .extend(kept.mentions.iter().copied().filter(|m| is_reused(m.1)));
    found.links.extend(
        (0..reused.len() as u32)
            .filter(|&doc| is_reused(doc))
            .map(|doc| (doc, kept.links[doc as usize].clone())),
    );
}

/// `entries` sorted (as JavaScript sorts) and cut into shards of about `bytes`: each shard's
/// JSON object, and the first key of each.
fn shards(mut entries: Vec<(String, String)>, bytes: usize) -> (Vec<Vec<u8>>, Vec<String>) {
    entries.par_sort_unstable_by(|a, b| utf16_cmp(&a.0, &b.0));
    let groups = shard(&entries, bytes);
    let files = groups
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
    (files, groups.into_iter().map(|(key, _)| key).collect())
}

fn merge(mut into: Found, mut from: Found) -> Found {
    if into.postings.len() < from.postings.len() {
        std::mem::swap(&mut into, &mut from);
    }
    for (term, mut list) in from.postings {
        into.postings.entry(term).or_default().append(&mut list);
    }
    into.mentions.append(&mut from.mentions);
    into.links.append(&mut from.links);
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
pub fn plain_text<'t>(markdown: &str, mut title_of: impl FnMut(&str) -> Option<&'t str>) -> String {
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
    let mut links = Vec::new();
    let body = plain_text(briefing.body(), |slug| {
        links.push((slug.to_string(), kept::title_digest(site, slug)));
        title_in(site)(slug)
    });
    found.links.push((briefing.id.0, links));
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
        ..
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

#[cfg(test)]
mod tests {
    use super::files::{NAME_MARK, NAME_WORD_MARK};
    use super::*;

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

    /// A site of three briefings in a temp dir, the second linking to the first.
    fn site_with(root: &std::path::Path, first_title: &str, third_body: &str) -> Site {
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        };
        write("site.yaml", "title: T\nbase_url: https://example.org/\n");
        let briefing = |title: &str, day: u8, body: &str| {
            format!(
                "---\ntitle: {title}\ndate: 2025-05-0{day}\npeople: [Kaja Kallas]\n---\n{body}\n"
            )
        };
        write(
            "content/briefings/a.md",
            &briefing(first_title, 1, "Talks in Kyiv."),
        );
        write(
            "content/briefings/b.md",
            &briefing("Second", 2, "After [[a]], Kallas spoke."),
        );
        write("content/briefings/c.md", &briefing("Third", 3, third_body));
        crate::load_site(&crate::BuildOptions::new(root)).expect("a site")
    }

    fn memory(site: &Site, kept: Option<Kept>) -> Memory {
        Memory {
            says: crate::pipeline::edits::Record::of(site)
                .says
                .iter()
                .map(|s| s.0)
                .collect(),
            kept,
        }
    }

    /// The index's files, as one comparable value.
    fn files(index: &SearchIndex) -> Vec<Vec<u8>> {
        let mut all = vec![index.index.clone()];
        for list in [&index.terms, &index.names, &index.mentions, &index.near] {
            all.extend(list.iter().cloned());
        }
        all.extend(index.filters.iter().cloned());
        all
    }

    #[test]
    fn a_kept_analysis_is_reused_for_unchanged_briefings_only() {
        let root = tempfile::tempdir().expect("temp dir");
        let site = site_with(root.path(), "First", "Quiet day.");
        let first = build(&site, Some(memory(&site, None)));
        let kept = first.kept.clone().expect("kept");
        assert!(kept.is_fresh());
        // The same site again: nothing is read, and the files are the same.
        let again = build(&site, Some(memory(&site, Some(kept.clone()))));
        assert!(!again.kept.as_ref().expect("kept").is_fresh());
        assert_eq!(files(&again), files(&first));
        // A kept part is trusted: a word planted in the kept postings of an unchanged
        // briefing shows, and one planted in those of an edited briefing does not.
        let edited = site_with(root.path(), "First", "Kallas in Tallinn.");
        let mut planted = kept;
        planted
            .postings
            .push(("planted".into(), vec![(0, 1), (1, 1), (2, 1)]));
        let index = build(&edited, Some(memory(&edited, Some(planted))));
        let terms = String::from_utf8(index.terms.concat()).expect("utf-8");
        assert!(terms.contains("\"planted\":[9,9]"), "{terms}");
        assert!(terms.contains("tallinn"));
        // And what it gives is what a fresh build gives.
        let fresh = build(&edited, None);
        let reused = build(&edited, Some(memory(&edited, first.kept.clone())));
        assert_eq!(files(&reused), files(&fresh));
        // A retitled briefing changes the text of those linking to it: they are read again
        // (ids run newest first: `b` is 1, its link to `a` shows the new title).
        let retitled = site_with(root.path(), "Renamed", "Kallas in Tallinn.");
        let reused = build(&retitled, Some(memory(&retitled, first.kept)));
        assert_eq!(files(&reused), files(&build(&retitled, None)));
        let terms = String::from_utf8(reused.terms.concat()).expect("utf-8");
        assert!(terms.contains("\"renamed\":[8,10]"), "{terms}");
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

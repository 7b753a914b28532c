//! Names in text: every name and alias of every entity as a run of folded words, and the
//! briefings' mentions of them wherever they are, front matter or body. This is what makes a
//! search for any spelling of an entity find the same briefings: a query that is one of its
//! names is answered by the entity's mentions, not by the words of the spelling typed.
//!
//! Every word of every briefing is looked at, so the look must be cheap: words carry a
//! hash (`tokens::Words`), and a bit per hash says whether any name starts with that word;
//! most words stop there.

use std::collections::HashMap;

use super::tokens::{self, Words};
use crate::content::Kind;
use crate::model::{EntityId, Site};

/// The entities a name key names, each with the exact text its mentions need, if any.
type Named = Vec<(EntityId, Option<String>)>;

/// Every name that resolves to an entity: profiles' names and aliases (an alias two
/// profiles claim belongs to the first, as it does everywhere), stubs' and tags' names.
pub struct Names {
    /// Per key: the key (folded words joined by spaces), and the entities it names, each
    /// with the exact text a mention must have when the name is a short all-capital one
    /// (`NATO`, `US`), as auto-links require, so `told us` does not mention the United States.
    keys: Vec<(String, Named)>,
    /// Per key: its words' hashes and its words.
    key_words: Vec<Vec<(u64, String)>>,
    /// By the hash of the first word: the keys starting with it, longest first.
    by_first: HashMap<u64, Vec<usize>>,
    /// One bit per value of a first word's hash, low bits: set when some key may start so.
    starts: Vec<u64>,
    /// Per entity (by id): its names as written, canonical first, without repeats.
    pub written: Vec<Vec<String>>,
    /// Per entity (by id): the words of all its names that have postings, once each.
    pub words: Vec<Vec<String>>,
}

/// How often one briefing mentions one entity, per field.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Mention {
    pub front_matter: bool,
    pub title: u32,
    pub summary: u32,
    pub body: u32,
}

impl Mention {
    /// The score a posting's weight is made from: front matter counts like a name in the
    /// names field (×3), then title ×4, summary ×2, body ×1, as words do.
    pub fn score(&self) -> u32 {
        3 * self.front_matter as u32 + 4 * self.title + 2 * self.summary + self.body
    }
}

impl Names {
    pub fn new(site: &Site) -> Names {
        let mut all: Vec<(&str, EntityId)> =
            site.names.iter().map(|(n, id)| (n.as_str(), *id)).collect();
        // Stubs and tags are known by the name the briefings gave them.
        all.extend(
            site.entities
                .iter()
                .filter(|e| e.profile.is_none() || e.kind == Kind::Tag)
                .map(|e| (e.name.as_str(), e.id)),
        );
        let mut written: Vec<Vec<String>> =
            site.entities.iter().map(|e| vec![e.name.clone()]).collect();
        for &(name, id) in &all {
            let list = &mut written[id.0 as usize];
            if !list.iter().any(|n| n == name) {
                list.push(name.to_string());
            }
        }
        Names::of(&all, written)
    }

    /// The names in `all`, with `written` (per entity) as they are shown.
    fn of(all: &[(&str, EntityId)], written: Vec<Vec<String>>) -> Names {
        let mut keys: Vec<(String, Named)> = Vec::new();
        let mut by_key = std::collections::HashMap::new();
        for &(name, entity) in all {
            let key = tokens::words(name).join(" ");
            if key.is_empty() {
                continue;
            }
            let at = *by_key.entry(key.clone()).or_insert_with(|| {
                keys.push((key, Vec::new()));
                keys.len() - 1
            });
            let exact = is_acronym(name).then(|| name.trim().to_string());
            let list = &mut keys[at].1;
            match list.iter_mut().find(|(e, _)| *e == entity) {
                // Any spelling of the entity without capitals frees it from them.
                Some((_, old)) => {
                    if exact.is_none() {
                        *old = None;
                    }
                }
                None => list.push((entity, exact)),
            }
        }
        for (_, list) in &mut keys {
            list.sort_by_key(|(e, _)| *e);
        }
        let key_words: Vec<Vec<(u64, String)>> = keys
            .iter()
            .map(|(k, _)| {
                k.split(' ')
                    .map(|w| (tokens::hash(w), w.to_string()))
                    .collect()
            })
            .collect();
        let mut by_first: HashMap<u64, Vec<usize>> = HashMap::new();
        let mut starts = vec![0u64; FILTER_BITS / 64];
        for (i, words) in key_words.iter().enumerate() {
            let first = words[0].0;
            by_first.entry(first).or_default().push(i);
            let bit = first as usize % FILTER_BITS;
            starts[bit / 64] |= 1 << (bit % 64);
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|&i| std::cmp::Reverse(key_words[i].len()));
        }
        let words = written
            .iter()
            .map(|names| {
                let mut list: Vec<String> = Vec::new();
                for name in names {
                    for w in tokens::words(name) {
                        if tokens::is_indexed(&w) && !list.contains(&w) {
                            list.push(w);
                        }
                    }
                }
                list
            })
            .collect();
        Names {
            keys,
            key_words,
            by_first,
            starts,
            written,
            words,
        }
    }

    /// Every name key with the entities it names, for the index: a query that is one of
    /// these is a search for those entities.
    pub fn keys(&self) -> impl Iterator<Item = (&str, Vec<EntityId>)> {
        self.keys
            .iter()
            .map(|(key, list)| (key.as_str(), list.iter().map(|(e, _)| *e).collect()))
    }

    /// Calls `each(entity)` for every mention of a name in `text` (whose words are
    /// `words`), whole words only, the longest name at each place; a name two entities
    /// share mentions both.
    pub fn find(&self, words: &Words, text: &str, mut each: impl FnMut(EntityId)) {
        let mut at = 0;
        while at < words.len() {
            let first = words.hash(at);
            let bit = first as usize % FILTER_BITS;
            let mut step = 1;
            if self.starts[bit / 64] & (1 << (bit % 64)) != 0
                && let Some(candidates) = self.by_first.get(&first)
            {
                for &key in candidates {
                    let name = &self.key_words[key];
                    let n = name.len();
                    if at + n > words.len()
                        || !name.iter().enumerate().all(|(k, (hash, word))| {
                            words.hash(at + k) == *hash && words.get(at + k) == word
                        })
                    {
                        continue;
                    }
                    let mut any = false;
                    for (entity, exact) in &self.keys[key].1 {
                        if let Some(exact) = exact {
                            let span = &text[words.range(at).start..words.range(at + n - 1).end];
                            if span != exact {
                                continue;
                            }
                        }
                        any = true;
                        each(*entity);
                    }
                    if any {
                        step = n;
                        break;
                    }
                }
            }
            at += step;
        }
    }
}

/// Bits in the first-word filter: a few KB, and few false hits among a text's words.
const FILTER_BITS: usize = 1 << 16;

/// The rule auto-links use: up to five letters, none lower case.
fn is_acronym(name: &str) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    letters > 0 && letters <= 5 && !name.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[(&str, u32)]) -> Names {
        let all: Vec<(&str, EntityId)> = list.iter().map(|&(n, id)| (n, EntityId(id))).collect();
        Names::of(&all, Vec::new())
    }

    fn found(names: &Names, text: &str) -> Vec<u32> {
        let mut words = Words::default();
        words.read(text);
        let mut out = Vec::new();
        names.find(&words, text, |id| out.push(id.0));
        out
    }

    #[test]
    fn finds_every_spelling_as_whole_words_longest_first() {
        let n = names(&[
            ("Volodymyr Zelensky", 0),
            ("Zelenskyy", 0),
            ("Володимир Зеленський", 0),
            ("Kyiv", 1),
            ("Kyiv Oblast", 2),
            ("NATO", 3),
            ("US", 4),
        ]);
        assert_eq!(
            found(
                &n,
                "President VOLODYMYR Zelensky, or Zelenskyy (Володимир Зеленський)"
            ),
            [0, 0, 0]
        );
        assert_eq!(found(&n, "Kyiv Oblast and Kyiv; Kyivan"), [2, 1]);
        assert_eq!(found(&n, "Kyiv Oblasts"), [1]);
        assert_eq!(found(&n, "Nato told us; NATO and the US"), [3, 4]);
        assert_eq!(found(&n, "Zelenskyyi and Türkiye"), Vec::<u32>::new());
    }

    #[test]
    fn a_name_two_entities_share_mentions_both() {
        let n = names(&[("Georgia", 1), ("Georgia", 2), ("Georgia Meloni", 3)]);
        assert_eq!(found(&n, "Georgia and Georgia Meloni"), [1, 2, 3]);
        assert_eq!(
            n.keys().collect::<Vec<_>>(),
            [
                ("georgia", vec![EntityId(1), EntityId(2)]),
                ("georgia meloni", vec![EntityId(3)])
            ]
        );
    }
}

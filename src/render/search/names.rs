//! Names in text: every name and alias of every entity as a run of folded words, and the
//! briefings' mentions of them wherever they are, front matter or body. This is what makes a
//! search for any spelling of an entity find the same briefings: a query that is one of its
//! names is answered by the entity's mentions, not by the words of the spelling typed.

use std::collections::HashMap;

use super::tokens;
use crate::content::Kind;
use crate::model::{EntityId, Site};

/// One name of an entity, as folded words.
struct Name {
    words: Vec<String>,
    entity: EntityId,
    /// For short all-capital names (`NATO`, `US`): the text must be in capitals too, as
    /// auto-links require, so `told us` does not mention the United States.
    exact: Option<String>,
}

/// Every name that resolves to an entity: profiles' names and aliases (an alias two
/// profiles claim belongs to the first, as it does everywhere), stubs' and tags' names.
pub struct Names {
    /// By first word; longest names first, so the longest mention wins.
    by_first: HashMap<String, Vec<Name>>,
    /// Per entity (by id): its names as written, canonical first, without repeats.
    pub written: Vec<Vec<String>>,
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
        let mut written: Vec<Vec<String>> =
            site.entities.iter().map(|e| vec![e.name.clone()]).collect();
        let mut all: Vec<(&str, EntityId)> =
            site.names.iter().map(|(n, id)| (n.as_str(), *id)).collect();
        // Stubs and tags are known by the name the briefings gave them.
        all.extend(
            site.entities
                .iter()
                .filter(|e| e.profile.is_none() || e.kind == Kind::Tag)
                .map(|e| (e.name.as_str(), e.id)),
        );
        let mut by_first: HashMap<String, Vec<Name>> = HashMap::new();
        for (name, entity) in all {
            let words = tokens::words(name);
            let Some(first) = words.first().cloned() else {
                continue;
            };
            let list = &mut written[entity.0 as usize];
            if !list.iter().any(|n| n == name) {
                list.push(name.to_string());
            }
            let candidates = by_first.entry(first).or_default();
            if candidates
                .iter()
                .any(|n| n.entity == entity && n.words == words)
            {
                continue;
            }
            candidates.push(Name {
                exact: is_acronym(name).then(|| name.trim().to_string()),
                words,
                entity,
            });
        }
        for candidates in by_first.values_mut() {
            candidates.sort_by(|a, b| {
                b.words
                    .len()
                    .cmp(&a.words.len())
                    .then(a.entity.cmp(&b.entity))
            });
        }
        Names { by_first, written }
    }

    /// Every name key (folded words joined by spaces) with the entities it names, for the
    /// index: a query that is one of these is a search for those entities.
    pub fn keys(&self) -> Vec<(String, Vec<EntityId>)> {
        let mut keys: HashMap<String, Vec<EntityId>> = HashMap::new();
        for name in self.by_first.values().flatten() {
            let ids = keys.entry(name.words.join(" ")).or_default();
            if !ids.contains(&name.entity) {
                ids.push(name.entity);
            }
        }
        let mut keys: Vec<_> = keys.into_iter().collect();
        for (_, ids) in &mut keys {
            ids.sort();
        }
        keys.sort();
        keys
    }

    /// Calls `each(entity)` for every mention of a name in `text`, longest name first at
    /// each place, whole words only.
    pub fn find(&self, text: &str, mut each: impl FnMut(EntityId)) {
        let mut words: Vec<(String, std::ops::Range<usize>)> = Vec::new();
        tokens::scan(text, |w, r| words.push((w.to_string(), r)));
        let mut at = 0;
        while at < words.len() {
            let mut step = 1;
            if let Some(candidates) = self.by_first.get(&words[at].0) {
                // Names of the same length may name different entities (a place and a
                // person called Georgia): all of them are mentioned.
                let mut matched_len = 0;
                for name in candidates {
                    let n = name.words.len();
                    if matched_len > n {
                        break;
                    }
                    let Some(run) = words.get(at..at + n) else {
                        continue;
                    };
                    if !run.iter().zip(&name.words).all(|((w, _), n)| w == n) {
                        continue;
                    }
                    if let Some(exact) = &name.exact {
                        let span = &text[run[0].1.start..run[n - 1].1.end];
                        if span != exact {
                            continue;
                        }
                    }
                    matched_len = n;
                    each(name.entity);
                }
                step = matched_len.max(1);
            }
            at += step;
        }
    }
}

/// The rule auto-links use: up to five letters, none lower case.
fn is_acronym(name: &str) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    letters > 0 && letters <= 5 && !name.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[(&str, u32)]) -> Names {
        let mut by_first: HashMap<String, Vec<Name>> = HashMap::new();
        for &(name, id) in list {
            let words = tokens::words(name);
            by_first.entry(words[0].clone()).or_default().push(Name {
                exact: is_acronym(name).then(|| name.to_string()),
                words,
                entity: EntityId(id),
            });
        }
        for candidates in by_first.values_mut() {
            candidates.sort_by_key(|n| std::cmp::Reverse(n.words.len()));
        }
        Names {
            by_first,
            written: Vec::new(),
        }
    }

    fn found(names: &Names, text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        names.find(text, |id| out.push(id.0));
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
        assert_eq!(found(&n, "Nato told us; NATO and the US"), [3, 4]);
        assert_eq!(found(&n, "Zelenskyyi and Türkiye"), Vec::<u32>::new());
    }

    #[test]
    fn a_name_two_entities_share_mentions_both() {
        let n = names(&[("Georgia", 1), ("Georgia", 2), ("Georgia Meloni", 3)]);
        assert_eq!(found(&n, "Georgia and Georgia Meloni"), [1, 2, 3]);
    }
}

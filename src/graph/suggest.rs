//! The nearest known name for a name that has no profile: the help of a stub warning.
//! Compares the whole name with every profile name and alias (a typo: `Rustem Umerow`),
//! then each of its words with each word of the known names, transliterated, so that a
//! surname or another spelling (`Zelenskiy`, `President Zelensky`) finds the person
//! (#11). Pure, and run once per resolve over all stubs, on all cores (#5).

use std::collections::HashMap;

use rayon::prelude::*;

use crate::content::Kind;
use crate::slug;

/// A profile name or alias, as the stubs are compared with it.
pub struct KnownName<'a> {
    lower: String,
    letters: Letters,
    pub name: &'a str,
    /// The profile's own name, when `name` is one of its aliases.
    pub canonical: &'a str,
}

impl<'a> KnownName<'a> {
    pub fn new(name: &'a str, canonical: &'a str) -> KnownName<'a> {
        let lower = name.to_lowercase();
        KnownName {
            letters: Letters::of(&lower),
            lower,
            name,
            canonical,
        }
    }
}

/// Words shorter than this are not compared alone: `of`, `the`, `EU` match too much.
const MIN_WORD: usize = 4;
/// A word that this many different profiles share (`union`, `ministry`) tells nothing.
const COMMON_WORD: usize = 3;
/// Two words must be at least this alike (Jaro-Winkler), stricter than whole names.
const WORD_AT: f64 = 0.9;

/// The known names of one kind, with their words indexed for the comparison by word.
pub struct Known<'a> {
    names: Vec<KnownName<'a>>,
    /// Each distinctive word of the known names, once, with the names (by index) it is in.
    words: Vec<(String, Letters, Vec<usize>)>,
}

impl<'a> Known<'a> {
    pub fn new(names: Vec<KnownName<'a>>) -> Known<'a> {
        let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, known) in names.iter().enumerate() {
            for word in words(known.name) {
                let list = by_word.entry(word).or_default();
                if list.last() != Some(&index) {
                    list.push(index);
                }
            }
        }
        let mut words: Vec<(String, Letters, Vec<usize>)> = by_word
            .into_iter()
            .filter(|(_, list)| {
                let mut owners: Vec<&str> = list.iter().map(|&i| names[i].canonical).collect();
                owners.sort_unstable();
                owners.dedup();
                owners.len() < COMMON_WORD
            })
            .map(|(word, list)| {
                let letters = Letters::of(&word);
                (word, letters, list)
            })
            .collect();
        words.sort_by(|a, b| a.0.cmp(&b.0));
        Known { names, words }
    }
}

/// The help of each stub warning: (index into the problems, help), for every stub given
/// as (index, kind, name). `known` holds the known names of each kind.
pub fn helps(stubs: &[(usize, Kind, String)], known: &[Known<'_>]) -> Vec<(usize, String)> {
    // Many stubs share a word (a first name, a surname written two ways): look each word
    // up once.
    let mut unique: Vec<(Kind, String)> = stubs
        .iter()
        .flat_map(|(_, kind, name)| words(name).into_iter().map(|w| (*kind, w)))
        .collect();
    unique.sort();
    unique.dedup();
    let matches: HashMap<(Kind, String), Option<(f64, usize)>> = unique
        .into_par_iter()
        .map(|(kind, word)| {
            let found = nearest_word(&word, &known[kind.index()]);
            ((kind, word), found)
        })
        .collect();
    stubs
        .par_iter()
        .map(|(index, kind, name)| {
            let known = &known[kind.index()];
            let by_word = words(name)
                .into_iter()
                .filter_map(|w| matches.get(&(*kind, w)).copied().flatten())
                .max_by(|a, b| {
                    a.0.total_cmp(&b.0)
                        .then_with(|| known.names[b.1].name.cmp(known.names[a.1].name))
                })
                .map(|(_, i)| &known.names[i]);
            (
                *index,
                help(*kind, name, nearest(name, &known.names), by_word),
            )
        })
        .collect()
}

fn help(
    kind: Kind,
    name: &str,
    whole: Option<&KnownName<'_>>,
    word: Option<&KnownName<'_>>,
) -> String {
    match (whole, word) {
        (Some(near), _) if near.canonical == near.name => {
            format!("the nearest known name is `{}`", near.name)
        }
        (Some(near), _) => format!(
            "the nearest known name is `{}` (an alias of `{}`)",
            near.name, near.canonical
        ),
        (None, Some(near)) => format!(
            "the nearest known name is `{}`; add `{name}` to its `aliases` if it is the same {}",
            near.canonical,
            kind.singular()
        ),
        (None, None) => format!(
            "add `content/{}/{}.md` to give it a profile",
            kind.plural(),
            slug::slugify(name)
        ),
    }
}

/// The words of a name worth comparing alone: transliterated, lower case, `MIN_WORD` letters
/// or more (`Зеленський` → `zelenskii`).
fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = slug::slugify(name)
        .split('-')
        .filter(|w| w.len() >= MIN_WORD)
        .map(str::to_string)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// The known word most like `word` and the first known name (by index) that has it.
fn nearest_word(word: &str, known: &Known<'_>) -> Option<(f64, usize)> {
    let letters = Letters::of(word);
    known
        .words
        .iter()
        .filter(|(w, l, _)| letters.may_reach(l, word, w, WORD_AT))
        .map(|(w, _, names)| (strsim::jaro_winkler(word, w), names[0]))
        .filter(|(score, _)| *score >= WORD_AT)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
}

/// The known name most like `wrong`, as `diagnostics::suggest` ranks them (Jaro-Winkler on
/// lower case, at least 0.85, ties to the first in A–Z order), with the lower-casing of
/// candidates done once per build instead of once per stub, and most candidates ruled out
/// by a cheap upper bound before the costly comparison (#5).
fn nearest<'k, 'a>(wrong: &str, known: &'k [KnownName<'a>]) -> Option<&'k KnownName<'a>> {
    let wrong = wrong.to_lowercase();
    let letters = Letters::of(&wrong);
    known
        .iter()
        .filter(|k| letters.may_reach(&k.letters, &wrong, &k.lower, SUGGEST_AT))
        .map(|k| (strsim::jaro_winkler(&wrong, &k.lower), k))
        .filter(|(score, _)| *score >= SUGGEST_AT)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.name.cmp(a.1.name)))
        .map(|(_, k)| k)
}

/// The least Jaro-Winkler similarity worth suggesting (as in `diagnostics::suggest`).
const SUGGEST_AT: f64 = 0.85;

/// How many of each character a name has (characters folded into 64 buckets), and its
/// length: enough to bound how similar two names can possibly be.
struct Letters {
    counts: [u16; 64],
    len: usize,
}

impl Letters {
    fn of(text: &str) -> Letters {
        let mut counts = [0u16; 64];
        let mut len = 0;
        for c in text.chars() {
            let bucket = &mut counts[c as usize % 64];
            *bucket = bucket.saturating_add(1);
            len += 1;
        }
        Letters { counts, len }
    }

    /// Whether the Jaro-Winkler similarity of `a` and `b` could reach `threshold`. Jaro
    /// counts matching characters, and no more can match than the two names share by
    /// bucket, so (shared/|a| + shared/|b| + 1) / 3 bounds it; Winkler's prefix boost is
    /// then added for the prefix the two really share. Never rules out a name that
    /// would have passed.
    fn may_reach(&self, other: &Letters, a: &str, b: &str, threshold: f64) -> bool {
        if self.len == 0 || other.len == 0 {
            return true;
        }
        let shared: u32 = self
            .counts
            .iter()
            .zip(&other.counts)
            .map(|(x, y)| u32::from(*x.min(y)))
            .sum();
        if shared == 0 {
            return false;
        }
        let shared = f64::from(shared);
        let jaro = ((shared / self.len as f64 + shared / other.len as f64 + 1.0) / 3.0).min(1.0);
        let prefix = a
            .chars()
            .take(4)
            .zip(b.chars())
            .take_while(|(x, y)| x == y)
            .count();
        let best = jaro + 0.1 * prefix as f64 * (1.0 - jaro);
        best >= threshold - 1e-9
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &[
        "Rustem Umerov",
        "Rustem Umerow",
        "Olena White",
        "Olena Hrytsenko",
        "Klaus Fischer",
        "Klaus Fisher",
        "NATO",
        "Nato",
        "Володимир Зеленський",
        "Володимир Зеленский",
        "Zelenskyy",
        "Zelensky",
        "Mariia Orlov",
        "Maria Orlova",
        "Istanbul",
        "Ankara",
        "a",
        "ab",
    ];

    fn known<'a>(names: &'a [&'a str]) -> Vec<KnownName<'a>> {
        names
            .iter()
            .map(|name| KnownName::new(name, name))
            .collect()
    }

    fn help_for(name: &str, profiles: &[&str]) -> String {
        let known = Known::new(known(profiles));
        let empty = || Known::new(Vec::new());
        let all = [known, empty(), empty(), empty()];
        let helps = helps(&[(0, Kind::Person, name.to_string())], &all);
        helps[0].1.clone()
    }

    #[test]
    fn issue_11_a_surname_or_another_spelling_finds_the_person() {
        let profiles = ["Volodymyr Zelensky", "Rustem Umerov", "Kaja Kallas"];
        for wrong in [
            "Zelenskiy",
            "Zelenskyy",
            "Zelensky",
            "President Zelensky",
            "Зеленський",
        ] {
            assert_eq!(
                help_for(wrong, &profiles),
                format!(
                    "the nearest known name is `Volodymyr Zelensky`; add `{wrong}` to its `aliases` if it is the same person"
                ),
                "{wrong}"
            );
        }
        // A typo of the whole name is still a typo.
        assert_eq!(
            help_for("Rustem Umerow", &profiles),
            "the nearest known name is `Rustem Umerov`"
        );
        assert_eq!(
            help_for("Nobody Atall", &profiles),
            "add `content/people/nobody-atall.md` to give it a profile"
        );
    }

    #[test]
    fn a_word_many_names_share_suggests_nothing() {
        let profiles = ["African Union", "Soviet Union", "Customs Union"];
        assert_eq!(
            help_for("Eurasian Union", &profiles),
            "add `content/people/eurasian-union.md` to give it a profile"
        );
    }

    #[test]
    fn the_bound_never_rules_out_a_close_name() {
        for a in NAMES {
            for b in NAMES {
                let (la, lb) = (a.to_lowercase(), b.to_lowercase());
                let score = strsim::jaro_winkler(&la, &lb);
                let may = Letters::of(&la).may_reach(&Letters::of(&lb), &la, &lb, SUGGEST_AT);
                assert!(may || score < SUGGEST_AT, "{a} / {b}: {score}");
            }
        }
        // And it does rule out names with little in common.
        let (a, b) = ("klaus fischer", "mariia orlov");
        assert!(!Letters::of(a).may_reach(&Letters::of(b), a, b, SUGGEST_AT));
    }

    #[test]
    fn nearest_agrees_with_the_plain_suggestion() {
        let candidates: Vec<&str> = NAMES.iter().copied().filter(|n| n.len() > 3).collect();
        let known = known(&candidates);
        for wrong in [
            "Rustem Umerof",
            "Klaus Fishcer",
            "Zelenskiy",
            "nato",
            "Nobody Atall",
        ] {
            let others: Vec<&str> = candidates.iter().copied().filter(|c| *c != wrong).collect();
            let expected = crate::diagnostics::suggest(wrong, others.iter().copied());
            let found = nearest(wrong, &known).map(|k| k.name);
            assert_eq!(found, expected, "{wrong}");
        }
    }
}

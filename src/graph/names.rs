//! Names → entities: profiles claim their name and aliases, briefings' names are looked up
//! by key (case, accents and script ignored), and unknown names become stubs. Slugs must
//! stay unique within a kind, because each becomes a folder.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::content::{Kind, ProfileSource};
use crate::diagnostics::Diagnostic;
use crate::model::{Entity, EntityId, Profile};
use crate::slug;

/// The entities being built, with the lookups that name resolution needs.
#[derive(Default)]
pub struct Registry {
    pub entities: Vec<Entity>,
    /// (kind, name key) → entity, for names and aliases.
    by_key: HashMap<(Kind, String), EntityId>,
    /// (kind, slug) → entity, to catch two names that would share a page.
    by_slug: HashMap<(Kind, String), EntityId>,
    /// Every profile name and alias as written, per kind, for "did you mean" help.
    known_names: [Vec<(String, EntityId)>; 4],
    pub problems: Vec<Diagnostic>,
    /// Stub warnings still waiting for their "nearest known name" help: (index into
    /// `problems`, kind, name). Comparing every stub with every known name is the costly
    /// part of resolution, so it is done once at the end, on all cores (#5).
    stubs: Vec<(usize, Kind, String)>,
}

impl Registry {
    /// Registers one profile under its name; two profiles of one kind may not share a name
    /// or a slug, because each becomes a page. Aliases come later (`add_aliases`), so that a
    /// name always wins over another profile's alias.
    pub fn add_profile(&mut self, source: ProfileSource) {
        let ProfileSource {
            kind,
            path,
            slug,
            name,
            aliases,
            role,
            country,
            affiliations: _,
            wikidata,
            text,
            body_start,
            body_line,
        } = source;
        if let Some(&other) = self.by_slug.get(&(kind, slug.clone())) {
            let other_path = self.profile_path(other);
            self.problems.push(
                Diagnostic::error(
                    &path,
                    format!("two {} share the slug `{slug}`", kind.plural()),
                )
                .with_help(format!("rename this file or `{other_path}`")),
            );
            return;
        }
        let id = EntityId(self.entities.len() as u32);
        let key = slug::name_key(&name);
        if let Some(&other) = self.by_key.get(&(kind, key.clone())) {
            let other_path = self.profile_path(other);
            self.problems.push(
                Diagnostic::error(
                    &path,
                    format!("`{name}` already names another {}", kind.singular()),
                )
                .at_line_of(&text, line_of(&text, "name"), 1)
                .with_help(format!(
                    "`{other_path}` has the same name; merge the two profiles"
                )),
            );
            return;
        }
        self.by_key.insert((kind, key), id);
        self.known_names[kind.index()].push((name.clone(), id));
        self.by_slug.insert((kind, slug.clone()), id);
        self.entities.push(Entity {
            id,
            kind,
            name,
            slug,
            profile: Some(Profile {
                path,
                aliases,
                role,
                country,
                wikidata,
                text,
                body_start,
                body_line,
            }),
            briefings: Vec::new(),
            appears_with: Default::default(),
            affiliations: Vec::new(),
            members: Vec::new(),
        });
    }

    /// Registers every profile's aliases. An alias another profile already claims (as name or
    /// alias) stays with the first claimant, by file path, and gets a warning: editors do
    /// write the same short form (`Smith`) for two people.
    pub fn add_aliases(&mut self) {
        let mut claims = Vec::new();
        for entity in &self.entities {
            if let Some(profile) = &entity.profile {
                claims.extend(
                    profile
                        .aliases
                        .iter()
                        .map(|alias| (entity.id, alias.clone())),
                );
            }
        }
        for (id, alias) in claims {
            let kind = self.entities[id.0 as usize].kind;
            let key = slug::name_key(&alias);
            if key.is_empty() {
                continue;
            }
            match self.by_key.get(&(kind, key.clone())) {
                Some(&other) if other != id => {
                    let other_name = self.entities[other.0 as usize].name.clone();
                    let other_path = self.profile_path(other);
                    let profile = self.entities[id.0 as usize]
                        .profile
                        .as_ref()
                        .expect("aliases come from profiles");
                    let d = Diagnostic::warning(
                        &profile.path,
                        format!("the alias `{alias}` already names `{other_name}`, so it will not find this {}", kind.singular()),
                    )
                    .at_line_of(&profile.text, line_of(&profile.text, "aliases"), 1)
                    .with_help(format!("`{other_path}` claims it first; remove it from one of the profiles"));
                    self.problems.push(d);
                }
                Some(_) => {}
                None => {
                    self.by_key.insert((kind, key), id);
                    self.known_names[kind.index()].push((alias, id));
                }
            }
        }
    }

    /// The entity a name refers to, making a stub (and a warning for people, organisations and
    /// places) when no profile claims it. `at` locates the name for messages.
    pub fn resolve(&mut self, kind: Kind, name: &str, at: &NameSite<'_>) -> Option<EntityId> {
        let key = slug::name_key(name);
        if key.is_empty() {
            self.problems.push(
                at.diagnostic(
                    Diagnostic::error(
                        at.path,
                        format!("`{name}` has no letter or digit to make a page from"),
                    )
                    .with_help("write the name in letters, or remove it"),
                    name,
                ),
            );
            return None;
        }
        if let Some(&id) = self.by_key.get(&(kind, key.clone())) {
            return Some(id);
        }
        if let Some(&taken) = self.by_slug.get(&(kind, key.clone())) {
            // Another name already has this page: a profile whose file slug differs from its name.
            let owner = &self.entities[taken.0 as usize].name;
            self.problems.push(
                at.diagnostic(
                    Diagnostic::error(
                        at.path,
                        format!(
                            "`{name}` would share the page `/{}/{key}/` with `{owner}`",
                            kind.plural()
                        ),
                    )
                    .with_help(format!("write `{owner}`, or add `{name}` to its aliases")),
                    name,
                ),
            );
            return None;
        }
        if kind != Kind::Tag {
            self.stubs
                .push((self.problems.len(), kind, name.to_string()));
            self.problems.push(stub_warning(name, at));
        }
        let id = EntityId(self.entities.len() as u32);
        self.by_key.insert((kind, key.clone()), id);
        self.by_slug.insert((kind, key.clone()), id);
        self.entities.push(Entity {
            id,
            kind,
            name: name.to_string(),
            slug: key,
            profile: None,
            briefings: Vec::new(),
            appears_with: Default::default(),
            affiliations: Vec::new(),
            members: Vec::new(),
        });
        Some(id)
    }

    /// Gives every stub warning its help: the nearest known name, or where a profile would go.
    /// Call once, after every name has been resolved.
    pub fn suggest_for_stubs(&mut self) {
        let known: Vec<Vec<KnownName<'_>>> = self
            .known_names
            .iter()
            .map(|names| {
                names
                    .iter()
                    .map(|(name, id)| KnownName {
                        letters: Letters::of(&name.to_lowercase()),
                        lower: name.to_lowercase(),
                        name,
                        canonical: &self.entities[id.0 as usize].name,
                    })
                    .collect()
            })
            .collect();
        let helps: Vec<(usize, String)> = self
            .stubs
            .par_iter()
            .map(|(index, kind, name)| (*index, stub_help(*kind, name, &known[kind.index()])))
            .collect();
        for (index, help) in helps {
            self.problems[index].help = Some(help);
        }
        self.stubs.clear();
    }

    /// Every name and alias of people, organisations and places, for auto-links.
    pub fn all_names(&self) -> Vec<(String, EntityId)> {
        self.known_names[..3].iter().flatten().cloned().collect()
    }

    fn profile_path(&self, id: EntityId) -> String {
        self.entities[id.0 as usize]
            .profile
            .as_ref()
            .map_or_else(String::new, |p| p.path.display().to_string())
    }
}

/// A profile name or alias, lower-cased once for comparison with every stub.
struct KnownName<'a> {
    lower: String,
    letters: Letters,
    name: &'a str,
    /// The profile's own name, when `name` is one of its aliases.
    canonical: &'a str,
}

fn stub_warning(name: &str, at: &NameSite<'_>) -> Diagnostic {
    let d = Diagnostic::warning(
        at.path,
        format!("`{name}` has no profile; a stub page will be made"),
    );
    at.diagnostic(d, name)
}

fn stub_help(kind: Kind, name: &str, known: &[KnownName<'_>]) -> String {
    match nearest(name, known) {
        Some(near) if near.canonical == near.name => {
            format!("the nearest known name is `{}`", near.name)
        }
        Some(near) => format!(
            "the nearest known name is `{}` (an alias of `{}`)",
            near.name, near.canonical
        ),
        None => format!(
            "add `content/{}/{}.md` to give it a profile",
            kind.plural(),
            slug::slugify(name)
        ),
    }
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

/// Where a name was written: the file and the front-matter key, to point at its line.
pub struct NameSite<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub key: &'a str,
}

impl NameSite<'_> {
    /// Locates `d` at the name inside the `key:` entry (or the lines below it).
    fn diagnostic(&self, d: Diagnostic, name: &str) -> Diagnostic {
        let mut in_key = false;
        for (index, line) in self.text.lines().enumerate() {
            if line.starts_with(self.key) && line[self.key.len()..].trim_start().starts_with(':') {
                in_key = true;
            } else if in_key && !line.starts_with([' ', '\t', '-']) {
                break;
            }
            if in_key && let Some(byte) = line.find(name) {
                let column = line[..byte].chars().count() + 1;
                return d.at_line_of(self.text, index + 1, column);
            }
        }
        d
    }
}

/// The 1-based line of a top-level front-matter key in a file, or 0.
fn line_of(text: &str, key: &str) -> usize {
    crate::content::front_matter::key_line(text, key).unwrap_or(0)
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
            .map(|name| KnownName {
                lower: name.to_lowercase(),
                letters: Letters::of(&name.to_lowercase()),
                name,
                canonical: name,
            })
            .collect()
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

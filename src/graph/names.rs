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
/// candidates done once per build instead of once per stub.
fn nearest<'k, 'a>(wrong: &str, known: &'k [KnownName<'a>]) -> Option<&'k KnownName<'a>> {
    let wrong = wrong.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&wrong, &k.lower), k))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.name.cmp(a.1.name)))
        .map(|(_, k)| k)
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

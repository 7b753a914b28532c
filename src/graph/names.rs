//! Names → entities: profiles claim their name and aliases, briefings' names are looked up
//! by key (case, accents and script ignored), and unknown names become stubs. Slugs must
//! stay unique within a kind, because each becomes a folder.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::suggest::{self, Known, KnownName};
use crate::content::{FileKind, Kind, Position, ProfileSource, Spanned, Unreadable};
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
    /// Each profile's aliases with where they were written, until `add_aliases`.
    aliases: Vec<(EntityId, Spanned<String>)>,
    /// (kind, name key) of every name and slug of a profile that could not be read this
    /// run: a briefing naming it gets no stub warning, as its profile is only broken (#11).
    unreadable: HashSet<(Kind, String)>,
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
            media,
            keys: _,
            text,
            body_start,
            body_line,
            names,
            language: _,
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
                    format!("`{}` already names another {}", name.value, kind.singular()),
                )
                .at_line_of(&text, name.at.line, name.at.column)
                .with_help(format!(
                    "`{other_path}` has the same name; merge the two profiles"
                )),
            );
            return;
        }
        self.by_key.insert((kind, key), id);
        self.known_names[kind.index()].push((name.value.clone(), id));
        self.by_slug.insert((kind, slug.clone()), id);
        self.aliases
            .extend(aliases.iter().map(|alias| (id, alias.clone())));
        // The entity's names in the site's other languages find it as aliases do, though
        // the page lists them under no "Also known as".
        self.aliases
            .extend(names.into_iter().map(|(_, name)| (id, name)));
        self.entities.push(Entity {
            id,
            kind,
            name: name.value,
            slug,
            profile: Some(Profile {
                path,
                aliases: aliases.into_iter().map(|a| a.value).collect(),
                role,
                country,
                wikidata,
                media,
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

    /// Remembers the names of a profile that could not be read, so that names pointing at
    /// it are not reported as stubs while its own errors are being fixed.
    pub fn add_unreadable(&mut self, file: &Unreadable) {
        let FileKind::Profile(kind) = file.kind else {
            return;
        };
        for name in file.names.iter().chain(&file.slug) {
            self.unreadable.insert((kind, slug::name_key(name)));
        }
    }

    /// Registers every profile's aliases. An alias another profile already claims (as name or
    /// alias) stays with the first claimant, by file path, and gets a warning: editors do
    /// write the same short form (`Smith`) for two people.
    pub fn add_aliases(&mut self) {
        for (id, alias) in std::mem::take(&mut self.aliases) {
            let kind = self.entities[id.0 as usize].kind;
            let key = slug::name_key(&alias);
            if key.is_empty() {
                continue;
            }
            match self.by_key.get(&(kind, key.clone())) {
                Some(&other) if other != id => {
                    let other_name = self.entities[other.0 as usize].name.clone();
                    let other_path = self.profile_path(other);
                    let Some(profile) = self.entities[id.0 as usize].profile.as_ref() else {
                        continue;
                    };
                    let d = Diagnostic::warning(
                        &profile.path,
                        format!("the alias `{}` already names `{other_name}`, so it will not find this {}", alias.value, kind.singular()),
                    )
                    .at_line_of(&profile.text, alias.at.line, alias.at.column)
                    .with_help(format!("`{other_path}` claims it first; remove it from one of the profiles"));
                    self.problems.push(d);
                }
                Some(_) => {}
                None => {
                    self.by_key.insert((kind, key), id);
                    self.known_names[kind.index()].push((alias.value, id));
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
                ),
            );
            return None;
        }
        if kind != Kind::Tag && !self.unreadable.contains(&(kind, key.clone())) {
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
    pub fn suggest_for_stubs(&mut self, kept: &mut super::Memo<Vec<(usize, String)>>) {
        let mut digest = xxhash_rust::xxh3::Xxh3::new();
        for (index, kind, name) in &self.stubs {
            digest.update(format!("{index}\0{kind:?}\0{name}\0").as_bytes());
        }
        for (name, id) in self.known_names.iter().flatten() {
            let shown = &self.entities[id.0 as usize].name;
            digest.update(format!("{name}\0{}\0{shown}\0", id.0).as_bytes());
        }
        let helps = kept.get_or(digest.digest(), || self.helps());
        for (index, help) in helps {
            self.problems[index].help = Some(help);
        }
        self.stubs.clear();
    }

    /// "Did you mean" for each stub, by the problem's index.
    fn helps(&self) -> Vec<(usize, String)> {
        let known: Vec<Known<'_>> = self
            .known_names
            .iter()
            .map(|names| {
                Known::new(
                    names
                        .iter()
                        .map(|(name, id)| KnownName::new(name, &self.entities[id.0 as usize].name))
                        .collect(),
                )
            })
            .collect();
        suggest::helps(&self.stubs, &known)
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

fn stub_warning(name: &str, at: &NameSite<'_>) -> Diagnostic {
    let d = Diagnostic::warning(
        at.path,
        format!("`{name}` has no profile; a stub page will be made"),
    );
    at.diagnostic(d)
}

/// Where a name was written: the file (for the source line) and the name's position.
pub struct NameSite<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub at: Position,
}

impl NameSite<'_> {
    fn diagnostic(&self, d: Diagnostic) -> Diagnostic {
        d.at_line_of(self.text, self.at.line, self.at.column)
    }
}

//! Resolve: `Content` → `Site`. Names become entities (aliases, stubs, unique slugs),
//! briefings are ordered and linked (previous/next, related), entities learn their briefings
//! and who appears with them, and the archive is grouped by year and month.
//! Reads no file and never calls back into `content`. Errors do not stop it: the `Site`
//! carries them, so render can still run over everything that was read (#11).

mod languages;
mod names;
mod related;
mod suggest;

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::content::{BriefingSource, Content, Kind, PageSource, Spanned};
use crate::diagnostics::{self, Diagnostic};
use crate::i18n::Words;
use crate::model::{Briefing, BriefingId, EntityId, Month, Page, Site, Year};
use names::{NameSite, Registry};

/// Paths at the site root that a free page's slug must not take.
const RESERVED: &[&str] = &[
    "briefings",
    "people",
    "organisations",
    "places",
    "tags",
    "archive",
    "search",
    "page",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "404.html",
    "style.css",
    "highlight.css",
];

/// What resolve derives from parts of the archive that most edits leave as they were, each
/// kept with the digest of what it was derived from. serve keeps one between rebuilds
/// (#14) and build one in `.sitroom-cache/`, so that an edit of what a briefing says ranks
/// no related briefings and looks for no "did you mean" again. Only the default
/// language's parts are kept.
#[derive(Default, Serialize, Deserialize)]
pub struct Derived {
    /// Each briefing's related briefings: from its entities, their briefings and every
    /// briefing's date (`related::related_reusing`).
    related: Parts<Vec<BriefingId>>,
    /// Each entity's company: from its briefings and whom they name
    /// (`related::appears_with_reusing`).
    company: Parts<Company>,
    /// "Did you mean" for stub names: from the stubs and every known name.
    helps: Memo<Vec<(usize, String)>>,
}

/// Who appears with an entity most: people, organisations and places, with counts.
type Company = [Vec<(EntityId, u32)>; 3];

/// A value derived from inputs known by their digest, kept for the next run.
#[derive(Serialize, Deserialize)]
pub struct Memo<T>(Option<(u64, T)>);

impl<T> Default for Memo<T> {
    fn default() -> Memo<T> {
        Memo(None)
    }
}

impl<T: Clone> Memo<T> {
    /// The kept value if it was derived from inputs with this digest, else `derive`'s,
    /// kept in its place.
    pub fn get_or(&mut self, digest: u64, derive: impl FnOnce() -> T) -> T {
        match &self.0 {
            Some((kept, value)) if *kept == digest => value.clone(),
            _ => {
                let value = derive();
                self.0 = Some((digest, value.clone()));
                value
            }
        }
    }
}

/// Values derived part by part (per briefing, per entity), each kept with the digest of
/// its own inputs, so that an edit of whom one briefing names derives again only the parts
/// that edit reaches.
#[derive(Serialize, Deserialize)]
pub struct Parts<T>(Vec<(u64, T)>);

impl<T> Default for Parts<T> {
    fn default() -> Parts<T> {
        Parts(Vec::new())
    }
}

impl<T: Clone + Send + Sync> Parts<T> {
    /// For each part, by place, the kept value if it was derived from inputs with its
    /// digest in `digests`, else `derive`'s (given scratch space from `init`, one per
    /// thread); these are then what is kept.
    pub fn get_or<S>(
        &mut self,
        digests: &[u64],
        init: impl Fn() -> S + Sync + Send,
        derive: impl Fn(&mut S, usize) -> T + Sync + Send,
    ) -> Vec<T> {
        use rayon::prelude::*;
        let kept = &self.0;
        let values: Vec<T> = digests
            .par_iter()
            .enumerate()
            .map_init(init, |scratch, (i, digest)| match kept.get(i) {
                Some((was, value)) if was == digest => value.clone(),
                _ => derive(scratch, i),
            })
            .collect();
        self.0 = digests
            .iter()
            .copied()
            .zip(values.iter().cloned())
            .collect();
        values
    }
}

/// Resolves the content into the archive; any error fails it, and comes back with every
/// other problem.
pub fn resolve(content: Content, config: Config) -> Result<Site, Vec<Diagnostic>> {
    let words = built_in_words(&config);
    resolve_with(content, config, words)
}

/// `resolve` with each language's words (`i18n::load`), the default language's first.
pub fn resolve_with(
    content: Content,
    config: Config,
    words: Vec<Words>,
) -> Result<Site, Vec<Diagnostic>> {
    let site = resolve_languages(content, config, words);
    if site.errors.is_empty() {
        return Ok(site);
    }
    let mut all = site.errors;
    all.extend(site.warnings);
    diagnostics::sort(&mut all);
    Err(all)
}

/// The built-in words of each of the site's languages.
fn built_in_words(config: &Config) -> Vec<Words> {
    config
        .all_languages()
        .iter()
        .map(|language| Words::new(language, None).0)
        .collect()
}

/// Resolves the site in every language: the default one's `Site` holds the others in
/// `translations`, each resolved from the files of its language, and all their problems.
/// `words` are the words of each language, the default one first (`Config::all_languages`).
pub fn resolve_languages(content: Content, config: Config, words: Vec<Words>) -> Site {
    resolve_reusing(content, config, words, &mut Derived::default())
}

/// `resolve_languages`, taking from `derived` what was derived from the same parts.
pub fn resolve_reusing(
    content: Content,
    config: Config,
    words: Vec<Words>,
    derived: &mut Derived,
) -> Site {
    let files_read = content.files_read();
    let split = languages::split(content, &config);
    let mut words = words.into_iter();
    let fallback = || Words::new(&config.default_language(), None).0;
    let default_words = words.next().unwrap_or_else(fallback);
    let mut translations = Vec::new();
    for (language, content) in config.languages.iter().zip(split.others) {
        let mut own = config.clone();
        own.title = language.title.clone();
        own.description = language.description.clone();
        own.language = language.language.code().to_string();
        let words = words
            .next()
            .unwrap_or_else(|| Words::new(&language.language, None).0);
        let prefix = format!("{}/", language.language.code());
        let derived = &mut Derived::default();
        translations.push(resolve_one(content, own, words, prefix, derived));
    }
    let mut site = resolve_one(split.default, config, default_words, String::new(), derived);
    site.files_read = files_read;
    for translation in &mut translations {
        site.errors.append(&mut translation.errors);
        site.warnings.append(&mut translation.warnings);
    }
    for problems in [&mut site.errors, &mut site.warnings] {
        diagnostics::sort(problems);
        problems.dedup();
    }
    site.translations = translations;
    site
}

/// Resolves the content of one language into its `Site`, under `prefix` (`uk/`).
fn resolve_one(
    content: Content,
    config: Config,
    words: Words,
    prefix: String,
    derived: &mut Derived,
) -> Site {
    let files_read = content.files_read();
    let Content {
        mut briefings,
        profiles,
        pages,
        unreadable,
        drafts: _,
        templates,
        static_files,
        errors,
        warnings,
    } = content;
    let mut registry = Registry::default();
    let mut affiliations = Vec::new();
    for profile in profiles {
        let listed = Affiliations {
            person: EntityId(registry.entities.len() as u32),
            path: profile.path.clone(),
            text: profile.text.clone(),
            organisations: profile.affiliations.clone(),
        };
        registry.add_profile(profile);
        if registry.entities.len() > listed.person.0 as usize && !listed.organisations.is_empty() {
            affiliations.push(listed);
        }
    }
    for file in &unreadable {
        registry.add_unreadable(file);
    }
    registry.add_aliases();

    sort_newest_first(&mut briefings);
    let mut problems = warnings;
    problems.extend(errors);
    check_unique_slugs(&briefings, &mut problems);
    let mut resolved: Vec<Briefing> = briefings
        .into_iter()
        .enumerate()
        .map(|(index, source)| link_names(source, BriefingId(index as u32), &mut registry))
        .collect();
    resolve_affiliations(&mut registry, affiliations);
    registry.suggest_for_stubs(&mut derived.helps);
    let names = registry.all_names();
    let Registry {
        mut entities,
        problems: name_problems,
        ..
    } = registry;
    problems.extend(name_problems);

    for briefing in &resolved {
        for &entity in briefing.entities.iter().flatten() {
            entities[entity.0 as usize].briefings.push(briefing.id);
        }
    }
    link_neighbours(&mut resolved);
    let related = related::related_reusing(&resolved, &entities, &mut derived.related);
    let appears_with = related::appears_with_reusing(&resolved, &entities, &mut derived.company);
    for (briefing, related) in resolved.iter_mut().zip(related) {
        briefing.related = related;
    }
    for (entity, with) in entities.iter_mut().zip(appears_with) {
        entity.appears_with = with;
    }

    let pages = check_pages(pages, &config, &mut problems);
    diagnostics::sort(&mut problems);
    let (errors, warnings) = problems.into_iter().partition(Diagnostic::is_error);
    let by_kind = if prefix.is_empty() {
        sort_by(&entities, by_slug)
    } else {
        sort_by(&entities, by_name(words.collation()))
    };
    let archive = group_by_month(&resolved);
    let briefing_by_slug = resolved.iter().map(|b| (b.slug.clone(), b.id)).collect();
    Site {
        config,
        words,
        prefix,
        translations: Vec::new(),
        briefings: resolved,
        entities,
        by_kind,
        pages,
        archive,
        briefing_by_slug,
        names,
        templates,
        static_files,
        unreadable,
        files_read,
        errors,
        warnings,
    }
}

/// Newest first; on the same day, by slug, so the order never depends on the file system.
fn sort_newest_first(briefings: &mut [BriefingSource]) {
    briefings.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| b.published.cmp(&a.published))
            .then_with(|| a.slug.cmp(&b.slug))
    });
}

fn check_unique_slugs(briefings: &[BriefingSource], problems: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &BriefingSource> = HashMap::new();
    for briefing in briefings {
        if let Some(first) = seen.insert(&briefing.slug, briefing) {
            let (a, b) = if first.path < briefing.path {
                (first, briefing)
            } else {
                (briefing, first)
            };
            problems.push(
                Diagnostic::error(&b.path, format!("two briefings have the slug `{}`", b.slug))
                    .with_help(format!(
                        "`{}` has it too; give one of them its own `slug:` or rename the file",
                        a.path.display()
                    )),
            );
        }
    }
}

/// Turns a briefing's names into entity ids, dropping repeats of the same entity.
fn link_names(source: BriefingSource, id: BriefingId, registry: &mut Registry) -> Briefing {
    let BriefingSource {
        path,
        slug,
        title,
        date,
        published,
        updated,
        summary,
        names,
        authors,
        sources,
        draft: _,
        autolink,
        media,
        keys,
        text,
        body_start,
        body_line,
        language: _,
        own_slug: _,
    } = source;
    let mut entities: [Vec<EntityId>; 4] = Default::default();
    for kind in Kind::ALL {
        for name in &names[kind.index()] {
            let site = NameSite {
                path: &path,
                text: &text,
                at: name.at,
            };
            if let Some(entity) = registry.resolve(kind, name, &site)
                && !entities[kind.index()].contains(&entity)
            {
                entities[kind.index()].push(entity);
            }
        }
    }
    Briefing {
        id,
        path,
        slug,
        title,
        date,
        published,
        updated,
        summary,
        authors,
        entities,
        sources,
        autolink,
        media,
        keys,
        text,
        body_start,
        body_line,
        related: Vec::new(),
        previous: None,
        next: None,
    }
}

/// A person's `affiliations` as written in their profile, until they are resolved.
struct Affiliations {
    person: EntityId,
    path: PathBuf,
    text: String,
    organisations: Vec<Spanned<String>>,
}

/// Links people to their organisations both ways; an unknown organisation becomes a stub.
fn resolve_affiliations(registry: &mut Registry, affiliations: Vec<Affiliations>) {
    for listed in affiliations {
        let Affiliations {
            person,
            path,
            text,
            organisations,
        } = listed;
        let index = person.0 as usize;
        for name in organisations {
            let site = NameSite {
                path: &path,
                text: &text,
                at: name.at,
            };
            if let Some(org) = registry.resolve(Kind::Organisation, &name, &site)
                && !registry.entities[index].affiliations.contains(&org)
            {
                registry.entities[index].affiliations.push(org);
                registry.entities[org.0 as usize].members.push(person);
            }
        }
    }
}

fn link_neighbours(briefings: &mut [Briefing]) {
    let count = briefings.len();
    for (index, briefing) in briefings.iter_mut().enumerate() {
        briefing.next = index.checked_sub(1).map(|i| BriefingId(i as u32));
        briefing.previous = (index + 1 < count).then(|| BriefingId(index as u32 + 1));
    }
}

fn check_pages(
    pages: Vec<PageSource>,
    config: &Config,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let mut resolved = Vec::new();
    for page in pages {
        let PageSource {
            path,
            slug,
            title,
            summary,
            keys: _,
            text,
            body_start,
            body_line,
            language: _,
        } = page;
        // `/uk/` is the Ukrainian site's home on a site with `languages: { uk: … }`.
        if RESERVED.contains(&slug.as_str()) || config.other_language(&slug).is_some() {
            problems.push(
                Diagnostic::error(
                    &path,
                    format!("the page slug `{slug}` clashes with the site's own `/{slug}/`"),
                )
                .with_help(format!("choose another slug, like `slug: about-{slug}`")),
            );
            continue;
        }
        if let Some(other) = seen.insert(slug.clone(), path.clone()) {
            problems.push(
                Diagnostic::error(&path, format!("two pages have the slug `{slug}`")).with_help(
                    format!("`{}` has it too; rename one of them", other.display()),
                ),
            );
            continue;
        }
        resolved.push(Page {
            path,
            slug,
            title,
            summary,
            text,
            body_start,
            body_line,
        });
    }
    resolved.sort_by(|a, b| a.slug.cmp(&b.slug));
    resolved
}

/// Each kind's entities in index order, by `order`.
fn sort_by(
    entities: &[crate::model::Entity],
    order: impl Fn(&crate::model::Entity, &crate::model::Entity) -> std::cmp::Ordering,
) -> [Vec<EntityId>; 4] {
    let mut by_kind: [Vec<EntityId>; 4] = Default::default();
    for entity in entities {
        by_kind[entity.kind.index()].push(entity.id);
    }
    for list in &mut by_kind {
        list.sort_by(|a, b| order(&entities[a.0 as usize], &entities[b.0 as usize]));
    }
    by_kind
}

/// A–Z by slug (so case and accents do not reorder names), then name: the default
/// language's order, as it was before there were languages, so its pages build as they did.
fn by_slug(x: &crate::model::Entity, y: &crate::model::Entity) -> std::cmp::Ordering {
    (&x.slug, &x.name).cmp(&(&y.slug, &y.name))
}

/// By the names a language shows, in its collation (`Володимир Зеленський` under В, not
/// under the slug's V); equal names by slug. Languages beside the default one only.
fn by_name<'c>(
    collation: &'c crate::i18n::Collation,
) -> impl Fn(&crate::model::Entity, &crate::model::Entity) -> std::cmp::Ordering + 'c {
    move |x, y| {
        collation
            .compare(&x.name, &y.name)
            .then_with(|| x.slug.cmp(&y.slug))
    }
}

fn group_by_month(briefings: &[Briefing]) -> Vec<Year> {
    let mut years: Vec<Year> = Vec::new();
    for briefing in briefings {
        let (year, month) = (briefing.date.year(), briefing.date.month());
        if years.last().is_none_or(|y| y.year != year) {
            years.push(Year {
                year,
                months: Vec::new(),
            });
        }
        let current = years.last_mut().expect("a year was just pushed");
        if current.months.last().is_none_or(|m| m.month != month) {
            current.months.push(Month {
                month,
                briefings: Vec::new(),
            });
        }
        current
            .months
            .last_mut()
            .expect("a month was just pushed")
            .briefings
            .push(briefing.id);
    }
    years
}

#[cfg(test)]
mod tests {
    use super::{Memo, Parts};

    #[test]
    fn a_memo_derives_again_only_for_other_inputs() {
        let mut memo = Memo::default();
        let mut runs = 0;
        let mut derive = |value: u32| {
            runs += 1;
            value
        };
        assert_eq!(memo.get_or(1, || derive(10)), 10);
        assert_eq!(
            memo.get_or(1, || derive(11)),
            10,
            "kept for the same inputs"
        );
        assert_eq!(
            memo.get_or(2, || derive(12)),
            12,
            "derived again for others"
        );
        assert_eq!(memo.get_or(1, || derive(13)), 13, "only the last is kept");
        assert_eq!(runs, 3);
    }

    #[test]
    fn parts_are_derived_again_only_where_their_inputs_changed() {
        let mut parts = Parts::default();
        let runs = std::sync::atomic::AtomicUsize::new(0);
        let derive = |offset: u64| {
            let runs = &runs;
            move |_: &mut (), i: usize| {
                runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                i as u64 + offset
            }
        };
        assert_eq!(parts.get_or(&[7, 8, 9], || (), derive(0)), vec![0, 1, 2]);
        assert_eq!(parts.get_or(&[7, 5, 9], || (), derive(10)), vec![0, 11, 2]);
        assert_eq!(runs.load(std::sync::atomic::Ordering::Relaxed), 4);
        assert_eq!(
            parts.get_or(&[7, 5, 9, 4], || (), derive(20)),
            vec![0, 11, 2, 23],
            "a new part is derived, the others kept"
        );
    }
}

//! What an edit touched, decided here for `build` and `serve` alike (#14).
//!
//! From two records of a resolved site, the one the last run kept and this run's: a
//! record is one digest of everything but what briefings say, and, per briefing, a digest
//! of what it says and one of its title. When the first is the same, every name, list,
//! count, order and address of the archive is as before, and the edit changed only what
//! some briefings say: their pages, the lists showing their cards, the pages that may
//! link a new title and the search index are all that can differ (`touched`, `to_render`).
//!
//! From the outline of the last site (`Outline`: its addresses, lists and names, without
//! what its files say; serve keeps it in memory, a build beside its record) and this
//! run's site: when every address is as before but whom briefings name changed, perhaps
//! with names new to the archive or stubs gone from it (`comparable`), the pages those
//! names reach (`between`).
//!
//! Anything else (a date, a new file, a profile's image, a template, a setting) renders
//! every page.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::content::Kind;
use crate::model::{Briefing, BriefingId, EntityId, Site};
use crate::render::Route;
use crate::render::search::Kept;

/// A resolved site, as digests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Everything in the site but what its briefings say.
    pub shape: u64,
    /// Per briefing, by id: what it says, and its title (shown wherever it is linked).
    pub says: Vec<(u64, u64)>,
}

impl Record {
    pub fn of(site: &Site) -> Record {
        let Site {
            config,
            briefings,
            entities,
            by_kind,
            pages,
            archive,
            // Derived from `briefings`.
            briefing_by_slug: _,
            names,
            templates,
            static_files,
            unreadable,
            // Messages, which every build makes anew.
            files_read: _,
            errors: _,
            warnings: _,
            words,
            prefix,
            // A site in several languages is never rendered in part (`pipeline::render`).
            translations,
        } = site;
        let mut shape = Xxh3::new();
        hash(
            &mut shape,
            &(
                config,
                entities,
                by_kind,
                pages,
                archive,
                names,
                templates,
                static_files,
                unreadable,
                words.inputs(),
                prefix,
                translations.len(),
            ),
        );
        let each: Vec<(u64, (u64, u64))> = briefings
            .par_iter()
            .map(|b| {
                let mut place = Xxh3::new();
                hash(&mut place, &Shape(b));
                (place.digest(), (says(b), xxh3_64(b.title.as_bytes())))
            })
            .collect();
        for (place, _) in &each {
            shape.update(&place.to_le_bytes());
        }
        Record {
            shape: shape.digest(),
            says: each.into_iter().map(|(_, says)| says).collect(),
        }
    }
}

/// The briefings whose words changed from `old` to `new`, each with whether its title
/// changed; `None` when anything else changed, so that every page may differ.
pub fn touched(old: &Record, new: &Record) -> Option<Vec<(BriefingId, bool)>> {
    if old.shape != new.shape || old.says.len() != new.says.len() {
        return None;
    }
    Some(
        old.says
            .iter()
            .zip(&new.says)
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(i, (a, b))| (BriefingId(i as u32), a.1 != b.1))
            .collect(),
    )
}

/// The routes among `all` whose pages may differ after the words of the briefings
/// `edited` changed (and nothing else): the pages showing them (`pages_showing`), the search document of each briefing whose page is
/// among them (a document shows the titles its `[[links]]` name, as the page does), and
/// the rest of the search index, whose words and snippets come from every briefing.
pub fn to_render(site: &Site, edited: &[(BriefingId, bool)], all: &[Route]) -> Vec<Route> {
    with_search(pages_showing(site, edited, all), all)
}

/// A resolved site as the next run compares with it (`comparable`, `between`): its
/// addresses, lists and names, with digests standing for what its files say. serve keeps
/// the last one in memory, a build beside its record (`pipeline::Previous`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outline {
    /// Every setting, template, word, free page and static file; `None` for a site of
    /// several languages, which is never rendered in part.
    addresses: Option<u64>,
    briefings: Vec<BriefingOutline>,
    entities: Vec<EntityOutline>,
    /// Every name and alias with the entity it names, sorted.
    names: Vec<(String, EntityId)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct BriefingOutline {
    /// Its slug, date and media: its address, and what lists show of it beyond its file.
    place: u64,
    /// What it says (`Record::says`: its file's whole text and what was read from it).
    says: u64,
    title: String,
    related: Vec<BriefingId>,
    entities: [Vec<EntityId>; 4],
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct EntityOutline {
    kind: Kind,
    slug: String,
    name: String,
    /// Its profile's media and text; `None` for a stub.
    media: Option<u64>,
    profile: Option<u64>,
    briefings: Vec<BriefingId>,
    appears_with: [Vec<(EntityId, u32)>; 3],
    affiliations: Vec<EntityId>,
    members: Vec<EntityId>,
}

impl Outline {
    /// The outline of `site`, whose `record` stands for what its briefings say.
    pub fn of(site: &Site, record: &Record) -> Outline {
        let addresses = site.translations.is_empty().then(|| {
            let mut addresses = Xxh3::new();
            hash(
                &mut addresses,
                &(
                    &site.config,
                    &site.templates,
                    &site.static_files,
                    site.words.inputs(),
                ),
            );
            for page in &site.pages {
                for text in [&page.slug, &page.text] {
                    addresses.update(&(text.len() as u64).to_le_bytes());
                    addresses.update(text.as_bytes());
                }
            }
            addresses.digest()
        });
        let briefings = site
            .briefings
            .par_iter()
            .zip(&record.says)
            .map(|(b, (says, _))| {
                let mut place = Xxh3::new();
                hash(&mut place, &(&b.slug, &b.date, &b.media));
                BriefingOutline {
                    place: place.digest(),
                    says: *says,
                    title: b.title.clone(),
                    related: b.related.clone(),
                    entities: b.entities.clone(),
                }
            })
            .collect();
        let entities = site
            .entities
            .iter()
            .map(|e| EntityOutline {
                kind: e.kind,
                slug: e.slug.clone(),
                name: e.name.clone(),
                media: e.profile.as_ref().map(|p| {
                    let mut media = Xxh3::new();
                    hash(&mut media, &p.media);
                    media.digest()
                }),
                profile: e.profile.as_ref().map(|p| xxh3_64(p.text.as_bytes())),
                briefings: e.briefings.clone(),
                appears_with: e.appears_with.clone(),
                affiliations: e.affiliations.clone(),
                members: e.members.clone(),
            })
            .collect();
        let mut names = site.names.clone();
        names.extend(site.entities.iter().map(|e| (e.name.clone(), e.id)));
        names.sort_unstable();
        names.dedup();
        Outline {
            addresses,
            briefings,
            entities,
            names,
        }
    }
}

/// The routes of `site` whose pages may differ from those of the site `old` outlines,
/// when the two are `comparable` (`ids` says where `old`'s entities are in `new`, which
/// outlines `site`): a tag or a name added to a briefing or taken from it, on top of any
/// edit of words.
pub fn between(old: &Outline, new: &Outline, site: &Site, ids: &Ids, all: &[Route]) -> Vec<Route> {
    let changed: Vec<bool> = old
        .briefings
        .iter()
        .zip(&new.briefings)
        .map(|(a, b)| a.says != b.says)
        .collect();
    let mut entities = touched_entities(old, new, ids, &changed);
    let mut whole_entities = vec![false; new.entities.len()];
    for &id in &ids.added {
        entities[id.0 as usize] = true;
        whole_entities[id.0 as usize] = true;
    }
    for (a, id) in ids.kept(old) {
        let b = &new.entities[id.0 as usize];
        whole_entities[id.0 as usize] = entities[id.0 as usize]
            && (a.briefings != b.briefings
                || !ids.same_company(&a.appears_with, &b.appears_with)
                || a.profile != b.profile);
    }
    let mut briefings = briefing_pages(old, new, site, ids, &changed, &entities);
    for (page, may_link) in briefings.iter_mut().zip(ids.reached()) {
        *page |= may_link;
    }
    let touched = Touched {
        index: entities.clone(),
        changed,
        entities,
        whole_entities,
        briefings,
        pages: vec![false; site.pages.len()],
    };
    let mut chosen = pick(site, &touched, all);
    // An entity new or gone moves every later one in its kind's A–Z pages, and may
    // leave them empty.
    let kinds = ids.added_or_gone_kinds(old, new);
    chosen.extend(
        all.iter()
            .filter(|r| matches!(r, Route::EntityIndex { kind, .. } if kinds.contains(kind))),
    );
    // A new title shows wherever a `[[link]]` names the briefing.
    let retitled: Vec<(BriefingId, bool)> = old
        .briefings
        .iter()
        .zip(&new.briefings)
        .enumerate()
        .filter(|(_, (a, b))| a.title != b.title)
        .map(|(i, _)| (BriefingId(i as u32), true))
        .collect();
    if !retitled.is_empty() {
        chosen.extend(pages_showing(site, &retitled, all));
    }
    // The sitemap lists entity pages in the order of their ids.
    if ids.moved() {
        chosen.extend(all.iter().filter(|r| matches!(r, Route::Sitemap { .. })));
    }
    with_search(chosen, all)
}

/// Where the entities of the site `old` outlines are in the one `new` outlines (`site`),
/// if the two have the same shape but for which briefings name which entities (and what
/// briefings say): every address, setting, template, word and image as before, every
/// entity with a profile and every name still there (perhaps with another id), stubs that
/// no briefing names any more gone, and perhaps new ones. `None` when anything else
/// changed, so that every page may differ.
pub fn comparable(old: &Outline, new: &Outline, site: &Site) -> Option<Ids> {
    let same_addresses = old.addresses.is_some()
        && old.addresses == new.addresses
        && old.briefings.len() == new.briefings.len()
        && old
            .briefings
            .iter()
            .zip(&new.briefings)
            .all(|(a, b)| a.place == b.place);
    if !same_addresses {
        return None;
    }
    let mut ids = same_entities(old, new)?;
    ids.reached = mentioning(site, &ids);
    Some(ids)
}

/// Each entity of one site's id in another, where the other has the same entities, but
/// perhaps for stubs no briefing names any more, and perhaps more: a name first written
/// in another briefing than before takes another place among the stubs, and a name new to
/// the archive adds one.
pub struct Ids {
    /// By the first's id; `None` for a stub the other does not have.
    new_of: Vec<Option<EntityId>>,
    /// The other's entities that the first does not have.
    added: Vec<EntityId>,
    /// The names and aliases one has and the other does not, in lower case, as the
    /// auto-links look for them, and as HTML escapes them.
    changed_names: Vec<String>,
    /// By the other's id: whether the entity has a name the first did not have (the
    /// search index finds a briefing by every name of every entity it names).
    renamed: Vec<bool>,
    /// By the other's briefing id: whether a name new or gone may reach it (`mentioning`).
    reached: Vec<bool>,
}

impl Ids {
    /// The id in the new site of the old site's entity `old`; `None` if it is gone.
    pub fn of(&self, old: EntityId) -> Option<EntityId> {
        self.new_of[old.0 as usize]
    }

    /// Each of `old`'s entities that the new site has, with its id there.
    fn kept<'a>(
        &'a self,
        old: &'a Outline,
    ) -> impl Iterator<Item = (&'a EntityOutline, EntityId)> + 'a {
        old.entities
            .iter()
            .zip(&self.new_of)
            .filter_map(|(a, id)| Some((a, (*id)?)))
    }

    /// Whether the old site's list `old` is the new site's `new`.
    fn same(&self, old: &[EntityId], new: &[EntityId]) -> bool {
        old.len() == new.len() && old.iter().zip(new).all(|(a, b)| self.of(*a) == Some(*b))
    }

    fn same_company(
        &self,
        old: &[Vec<(EntityId, u32)>; 3],
        new: &[Vec<(EntityId, u32)>; 3],
    ) -> bool {
        old.iter().zip(new).all(|(old, new)| {
            old.len() == new.len()
                && old
                    .iter()
                    .zip(new)
                    .all(|((a, m), (b, n))| m == n && self.of(*a) == Some(*b))
        })
    }

    /// The kinds that gained or lost an entity.
    fn added_or_gone_kinds(&self, old: &Outline, new: &Outline) -> Vec<Kind> {
        let gone = old
            .entities
            .iter()
            .zip(&self.new_of)
            .filter(|(_, id)| id.is_none())
            .map(|(a, _)| a.kind);
        let added = self.added.iter().map(|id| new.entities[id.0 as usize].kind);
        let mut kinds: Vec<Kind> = gone.chain(added).collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds
    }

    /// Per briefing of the new site, whether a name new to the archive or gone from it
    /// may reach it: its page may link the name (or no longer), and its part of the
    /// search index must be read again.
    pub fn reached(&self) -> &[bool] {
        &self.reached
    }

    /// The search index's analysis of the old site, for the new one: its mentions at the
    /// new ids (those of a gone stub dropped), and the briefings a name new or gone may
    /// reach to be read again.
    pub fn carry(&self, kept: Kept) -> Kept {
        kept.with_entities(|e| self.of(e))
            .forgetting(self.reached())
    }

    /// Whether any entity has another id, is new or is gone.
    fn moved(&self) -> bool {
        !self.added.is_empty()
            || self
                .new_of
                .iter()
                .enumerate()
                .any(|(i, id)| *id != Some(EntityId(i as u32)))
    }
}

/// Per briefing of `site`, whether a name new to the archive or gone from it may reach
/// it: its text may hold the name (its page may then link it, or no longer, and its part
/// of the search index mention it), or it names an entity with a new name (the search
/// index finds it by every name of the entities it names). Any text holding the name in
/// any case, as written or as HTML escapes it, may (the auto-links look for the escaped
/// name in lower case).
fn mentioning(site: &Site, ids: &Ids) -> Vec<bool> {
    if ids.changed_names.is_empty() {
        return vec![false; site.briefings.len()];
    }
    site.briefings
        .par_iter()
        .map(|b| {
            let names_renamed = b
                .entities
                .iter()
                .flatten()
                .any(|id| ids.renamed[id.0 as usize]);
            let text = b.text.to_lowercase();
            names_renamed
                || ids
                    .changed_names
                    .iter()
                    .any(|name| text.contains(name.as_str()))
        })
        .collect()
}

/// The ids in `new` of `old`'s entities, if `new` has all of them but stubs: by kind and
/// slug, each with the same name and the same profile image or none; and the names `new`
/// adds and those it no longer has.
fn same_entities(old: &Outline, new: &Outline) -> Option<Ids> {
    let by_slug: std::collections::HashMap<(Kind, &str), (EntityId, &EntityOutline)> = new
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.kind, e.slug.as_str()), (EntityId(i as u32), e)))
        .collect();
    let new_of = old
        .entities
        .iter()
        .map(|a| match by_slug.get(&(a.kind, a.slug.as_str())) {
            Some((id, b)) => (a.name == b.name && a.media == b.media).then_some(Some(*id)),
            // A stub no briefing names any more.
            None => a.profile.is_none().then_some(None),
        })
        .collect::<Option<Vec<Option<EntityId>>>>()?;
    let mut kept = vec![false; new.entities.len()];
    for id in new_of.iter().flatten() {
        kept[id.0 as usize] = true;
    }
    let added: Vec<EntityId> = (0..new.entities.len())
        .filter(|&i| !kept[i])
        .map(|i| EntityId(i as u32))
        .collect();
    // Every name the old site had still names the same entity, or named a stub now gone.
    let (mut before, gone): (Vec<_>, Vec<_>) = old
        .names
        .iter()
        .map(|(name, id)| (name, new_of[id.0 as usize]))
        .partition(|(_, id)| id.is_some());
    before.sort_unstable();
    let after: Vec<(&String, Option<EntityId>)> = new
        .names
        .iter()
        .map(|(name, id)| (name, Some(*id)))
        .collect();
    if before.iter().any(|name| after.binary_search(name).is_err()) {
        return None;
    }
    let new_names: Vec<&(&String, Option<EntityId>)> = after
        .iter()
        .filter(|name| before.binary_search(name).is_err())
        .collect();
    let mut renamed = vec![false; new.entities.len()];
    for (_, id) in &new_names {
        renamed[id.expect("a name of the new site").0 as usize] = true;
    }
    // As written, and as HTML writes it (`AT&amp;T`), which a body may hold too.
    let mut changed_names: Vec<String> = new_names
        .iter()
        .map(|(name, _)| *name)
        .chain(gone.iter().map(|(name, _)| *name))
        .flat_map(|name| {
            let name = name.trim();
            [
                name.to_lowercase(),
                crate::render::markdown::escape(name).to_lowercase(),
            ]
        })
        .filter(|name| !name.is_empty())
        .collect();
    changed_names.sort_unstable();
    changed_names.dedup();
    Some(Ids {
        new_of,
        added,
        changed_names,
        renamed,
        reached: Vec::new(),
    })
}

/// `chosen` with the search index: the document of each briefing whose page is among them
/// (a document shows the titles its `[[links]]` name, as the page does), and the rest of
/// the index, whose words and snippets come from every briefing.
fn with_search(mut chosen: Vec<Route>, all: &[Route]) -> Vec<Route> {
    let pages: std::collections::HashSet<BriefingId> = chosen
        .iter()
        .filter_map(|route| match route {
            Route::Briefing(id) => Some(*id),
            _ => None,
        })
        .collect();
    chosen.extend(all.iter().copied().filter(|route| match route {
        Route::SearchDoc(id) => pages.contains(id),
        Route::SearchIndex
        | Route::SearchTerms(_)
        | Route::SearchNameKeys(_)
        | Route::SearchMentions(_)
        | Route::SearchFilters(_)
        | Route::SearchNear(_)
        | Route::SearchNames => true,
        _ => false,
    }));
    chosen.sort_unstable();
    chosen.dedup();
    chosen
}

/// The routes of `site` that show briefings `edited` in place: what they say changed (title,
/// summary, body, sources), not their names, date or slug, so every list and count stays.
/// Each edit is the briefing and whether its title changed.
fn pages_showing(site: &Site, edited: &[(BriefingId, bool)], all: &[Route]) -> Vec<Route> {
    let mut changed = vec![false; site.briefings.len()];
    let mut entities = vec![false; site.entities.len()];
    for &(id, _) in edited {
        changed[id.0 as usize] = true;
        for entity in site.briefing(id).entities.iter().flatten() {
            entities[entity.0 as usize] = true;
        }
    }
    // A new title shows wherever a `[[link]]` names the briefing: in briefings, profiles
    // and free pages. Any text holding `[[` and the slug may be one, however it is spaced.
    let retitled: Vec<&str> = edited
        .iter()
        .filter(|(_, retitled)| *retitled)
        .map(|(id, _)| site.briefing(*id).slug.as_str())
        .collect();
    let may_link = |text: &str| {
        !retitled.is_empty()
            && text.contains("[[")
            && retitled.iter().any(|slug| text.contains(slug))
    };
    let is_changed = |id: &BriefingId| changed[id.0 as usize];
    let briefings = site
        .briefings
        .par_iter()
        .map(|b| {
            changed[b.id.0 as usize]
                || b.related.iter().any(is_changed)
                || b.previous.iter().chain(&b.next).any(is_changed)
                || may_link(b.body())
        })
        .collect();
    let whole_entities = site
        .entities
        .iter()
        .map(|e| e.profile.as_ref().is_some_and(|p| may_link(p.body())))
        .collect();
    let pages: Vec<bool> = site.pages.iter().map(|p| may_link(p.body())).collect();
    let touched = Touched {
        index: vec![false; site.entities.len()],
        whole_entities,
        changed,
        entities,
        briefings,
        pages,
    };
    pick(site, &touched, all)
}

/// What an edit touched, each indexed by briefing or entity id.
struct Touched {
    /// Briefings whose file changed: their cards change wherever they are listed.
    changed: Vec<bool>,
    /// Briefing pages to render again.
    briefings: Vec<bool>,
    /// Entities whose pages and feed list a changed briefing.
    entities: Vec<bool>,
    /// Entities all of whose pages change (their briefings or company changed).
    whole_entities: Vec<bool>,
    /// Entities whose line in the A–Z index may change.
    index: Vec<bool>,
    /// Free pages that may link a retitled briefing.
    pages: Vec<bool>,
}

/// The routes among `all` that show something `touched` marks.
fn pick(site: &Site, touched: &Touched, all: &[Route]) -> Vec<Route> {
    let per_page = site.config.per_page;
    let changed = &touched.changed;
    let page_of = |list: &[BriefingId], page: usize| {
        list.iter()
            .enumerate()
            .any(|(i, id)| changed[id.0 as usize] && i / per_page + 1 == page)
    };
    let home: Vec<BriefingId> = site.briefings.iter().map(|b| b.id).collect();
    all.iter()
        .copied()
        .filter(|&route| match route {
            Route::Home { page } => page_of(&home, page),
            Route::Briefing(id) => touched.briefings[id.0 as usize],
            Route::EntityIndex { kind, page } => site.by_kind[kind.index()]
                .iter()
                .enumerate()
                .any(|(i, id)| touched.index[id.0 as usize] && i / per_page + 1 == page),
            Route::Entity { id, page } => {
                touched.whole_entities[id.0 as usize]
                    || (touched.entities[id.0 as usize]
                        && page_of(&site.entity(id).briefings, page))
            }
            Route::EntityFeed(id) => touched.entities[id.0 as usize],
            Route::ArchiveMonth { year, month, page } => {
                page_of(&site.archive[year].months[month].briefings, page)
            }
            Route::Page(index) => touched.pages[index],
            Route::Feed => true,
            // The archive index and years show counts by date, the sitemap lists paths, and
            // search is one fixed page: with the same shape none of them change.
            _ => false,
        })
        .collect()
}

/// Entities whose pages may show a change: those a changed briefing names (before or
/// after), and those whose briefings, company, members or profile changed.
fn touched_entities(old: &Outline, new: &Outline, ids: &Ids, changed: &[bool]) -> Vec<bool> {
    let mut touched = vec![false; new.entities.len()];
    for (a, id) in ids.kept(old) {
        let b = &new.entities[id.0 as usize];
        touched[id.0 as usize] = a.briefings != b.briefings
            || !ids.same_company(&a.appears_with, &b.appears_with)
            || !ids.same(&a.affiliations, &b.affiliations)
            || !ids.same(&a.members, &b.members)
            || a.profile != b.profile;
    }
    let changed_briefings = |outline: &'_ Outline| {
        outline
            .briefings
            .iter()
            .zip(changed)
            .filter(|(_, changed)| **changed)
            .flat_map(|(b, _)| b.entities.iter().flatten().copied())
            .collect::<Vec<EntityId>>()
    };
    for id in changed_briefings(old)
        .into_iter()
        .filter_map(|id| ids.of(id))
    {
        touched[id.0 as usize] = true;
    }
    for id in changed_briefings(new) {
        touched[id.0 as usize] = true;
    }
    touched
}

/// Briefing pages of `site` (which `new` outlines) that may show a change: the changed
/// ones, those whose related briefings, neighbours or names changed, and those that show a
/// changed briefing's card or title.
fn briefing_pages(
    old: &Outline,
    new: &Outline,
    site: &Site,
    ids: &Ids,
    changed: &[bool],
    touched: &[bool],
) -> Vec<bool> {
    let is_changed = |id: &BriefingId| changed[id.0 as usize];
    // A site's own briefing template may show how many briefings name each entity.
    let counts_shown = site
        .templates
        .iter()
        .any(|(name, _)| name == "briefing.html");
    // `[[slug]]` shows the linked briefing's title.
    let retitled: Vec<String> = old
        .briefings
        .iter()
        .zip(&new.briefings)
        .zip(&site.briefings)
        .filter(|((a, b), _)| a.title != b.title)
        .map(|(_, briefing)| format!("[[{}", briefing.slug))
        .collect();
    old.briefings
        .par_iter()
        .zip(&new.briefings)
        .zip(&site.briefings)
        .map(|((a, b), briefing)| {
            changed[briefing.id.0 as usize]
                || a.related != b.related
                || a.entities
                    .iter()
                    .zip(&b.entities)
                    .any(|(a, b)| !ids.same(a, b))
                || b.related.iter().any(is_changed)
                || briefing
                    .previous
                    .iter()
                    .chain(&briefing.next)
                    .any(is_changed)
                || (counts_shown && b.entities.iter().flatten().any(|e| touched[e.0 as usize]))
                || retitled
                    .iter()
                    .any(|link| briefing.body().contains(link.as_str()))
        })
        .collect()
}

/// Feeds `value`'s debug text to `hasher` without making the text.
fn hash(hasher: &mut Xxh3, value: &impl std::fmt::Debug) {
    struct Feed<'a>(&'a mut Xxh3);
    impl std::fmt::Write for Feed<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.update(s.as_bytes());
            Ok(())
        }
    }
    use std::fmt::Write as _;
    let _ = write!(Feed(hasher), "{value:?}");
}

/// A briefing's place in the archive: its address, date, names, byline and neighbours.
struct Shape<'a>(&'a Briefing);

impl std::fmt::Debug for Shape<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Briefing {
            id,
            path,
            slug,
            title: _,
            date,
            published,
            // Shown in feeds and pages as the entry's date: kept with the shape, so that
            // changing it renders everything.
            updated,
            summary: _,
            authors,
            entities,
            sources: _,
            autolink: _,
            // Its lead image and bundle (files by hash): shown on many pages.
            media,
            keys: _,
            text: _,
            body_start: _,
            body_line: _,
            related,
            previous,
            next,
        } = self.0;
        write!(
            f,
            "{id:?}{path:?}{slug:?}{date:?}{published:?}{updated:?}{authors:?}{entities:?}{related:?}{previous:?}{next:?}{media:?}"
        )
    }
}

/// What a briefing says: its file's whole text (front matter and body) and what was read
/// from it that is not its shape.
fn says(b: &Briefing) -> u64 {
    let mut hasher = Xxh3::new();
    for text in [&b.title, &b.summary, &b.text] {
        hasher.update(&(text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    hash(&mut hasher, &(&b.sources, b.autolink));
    hasher.digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `text` at `path` under the archive `root`, making its folders.
    fn write_file(root: &std::path::Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// An archive of briefings that name people, for what a name reaches.
    struct Naming(tempfile::TempDir);

    impl Naming {
        fn new() -> Naming {
            let root = tempfile::tempdir().expect("temp dir");
            write_file(
                root.path(),
                "site.yaml",
                "title: T\nbase_url: https://example.org/\n",
            );
            Naming(root)
        }

        fn briefing(&self, slug: &str, date: &str, people: &str, body: &str) {
            write_file(
                self.0.path(),
                &format!("content/briefings/{slug}.md"),
                &format!("---\ntitle: {slug}\ndate: {date}\npeople: [{people}]\n---\n{body}\n"),
            );
        }

        fn load(&self) -> Site {
            crate::load_site(&crate::BuildOptions::new(self.0.path())).expect("a site")
        }
    }

    fn outline(site: &Site) -> Outline {
        Outline::of(site, &Record::of(site))
    }

    fn record(shape: u64, says: &[(u64, u64)]) -> Record {
        Record {
            shape,
            says: says.to_vec(),
        }
    }

    #[test]
    fn nothing_changed_touches_nothing() {
        let a = record(1, &[(10, 20), (11, 21)]);
        assert_eq!(touched(&a, &a), Some(Vec::new()));
    }

    #[test]
    fn words_changed_touch_those_briefings_and_say_which_have_a_new_title() {
        let old = record(1, &[(10, 20), (11, 21), (12, 22)]);
        let new = record(1, &[(10, 20), (99, 21), (98, 22)]);
        assert_eq!(
            touched(&old, &new),
            Some(vec![(BriefingId(1), false), (BriefingId(2), false)])
        );
        let retitled = record(1, &[(10, 20), (99, 21), (98, 97)]);
        assert_eq!(
            touched(&old, &retitled),
            Some(vec![(BriefingId(1), false), (BriefingId(2), true)])
        );
    }

    #[test]
    fn any_other_change_touches_everything() {
        let old = record(1, &[(10, 20)]);
        assert_eq!(touched(&old, &record(2, &[(10, 20)])), None);
        assert_eq!(touched(&old, &record(1, &[(10, 20), (11, 21)])), None);
    }

    #[test]
    fn a_record_sees_words_apart_from_shape() {
        let root = tempfile::tempdir().expect("temp dir");
        let write = |path: &str, text: &str| write_file(root.path(), path, text);
        write("site.yaml", "title: T\nbase_url: https://example.org/\n");
        let briefing = |body: &str, people: &str, title: &str| {
            format!("---\ntitle: {title}\ndate: 2025-05-01\npeople: [{people}]\n---\n{body}\n")
        };
        let site_with = |body: &str, people: &str, title: &str| {
            write("content/briefings/a.md", &briefing(body, people, title));
            write(
                "content/briefings/b.md",
                &briefing("Other.", "Kaja Kallas", "B"),
            );
            crate::load_site(&crate::BuildOptions::new(root.path())).expect("a site")
        };
        let first = Record::of(&site_with("One.", "Kaja Kallas", "A"));
        let body = Record::of(&site_with("Two.", "Kaja Kallas", "A"));
        let retitled = Record::of(&site_with("Two.", "Kaja Kallas", "A2"));
        let names = Record::of(&site_with("Two.", "Kaja Kallas, Rustem Umerov", "A2"));
        let edited = touched(&first, &body).expect("words only");
        assert_eq!(edited.len(), 1);
        assert!(!edited[0].1);
        assert_eq!(touched(&body, &retitled), Some(vec![(BriefingId(0), true)]));
        assert_eq!(touched(&retitled, &names), None);
    }

    #[test]
    fn a_new_title_reaches_every_page_that_may_link_it_and_no_other() {
        let root = tempfile::tempdir().expect("temp dir");
        let write = |path: &str, text: &str| write_file(root.path(), path, text);
        write(
            "site.yaml",
            "title: T\nbase_url: https://example.org/\nper_page: 1\n",
        );
        let briefing = |slug: &str, date: &str, body: &str| {
            write(
                &format!("content/briefings/{slug}.md"),
                &format!("---\ntitle: {slug}\ndate: {date}\ntags: [t{slug}]\n---\n{body}\n"),
            );
        };
        briefing("talks", "2025-05-01", "Talks.");
        briefing("linking", "2025-03-01", "See [[ talks ]].");
        briefing("apart", "2025-01-01", "Nothing.");
        write(
            "content/people/kaja-kallas.md",
            "---\nname: Kaja Kallas\n---\nShe spoke at [[talks|the talks]].\n",
        );
        write(
            "content/pages/about.md",
            "---\ntitle: About\n---\nSee [[talks]].\n",
        );
        write(
            "content/pages/method.md",
            "---\ntitle: Method\n---\nPlain.\n",
        );
        let site = crate::load_site(&crate::BuildOptions::new(root.path())).expect("a site");
        let renderer = crate::render::Renderer::new(&site).expect("renderer");
        let all = renderer.page_routes();
        let talks = site.briefing_by_slug["talks"];
        let path = |route: &Route| renderer.url_path(*route);
        let chosen: Vec<String> = to_render(&site, &[(talks, true)], &all)
            .iter()
            .map(path)
            .collect();
        for shows in [
            "briefings/talks/",
            "briefings/linking/",
            "people/kaja-kallas/",
            "about/",
        ] {
            assert!(
                chosen.iter().any(|p| p.ends_with(shows)),
                "{shows} in {chosen:?}"
            );
        }
        for apart in ["briefings/apart/", "method/"] {
            assert!(
                !chosen.iter().any(|p| p.ends_with(apart)),
                "{apart} in {chosen:?}"
            );
        }
        let words_only: Vec<String> = to_render(&site, &[(talks, false)], &all)
            .iter()
            .map(path)
            .collect();
        assert!(
            !words_only.iter().any(|p| p.ends_with("about/")),
            "{words_only:?}"
        );
    }

    #[test]
    fn a_new_name_reaches_the_briefings_whose_text_may_hold_it() {
        let archive = Naming::new();
        let briefing = |slug: &str, date: &str, people: &str, body: &str| {
            archive.briefing(slug, date, people, body)
        };
        briefing("naming", "2025-05-03", "Kaja Kallas", "Talks.");
        briefing(
            "shouting",
            "2025-05-02",
            "Kaja Kallas",
            "Met ZED AT&amp;T NEWPERSON.",
        );
        briefing("apart", "2025-05-01", "Kaja Kallas", "Nothing.");
        let load = || archive.load();
        let old = load();
        briefing(
            "naming",
            "2025-05-03",
            "Kaja Kallas, Zed AT&T Newperson",
            "Talks.",
        );
        let new = load();
        let ids = comparable(&outline(&old), &outline(&new), &new).expect("the same addresses");
        let by_slug = |slug: &str| new.briefing_by_slug[slug].0 as usize;
        let reached = ids.reached();
        assert!(reached[by_slug("naming")], "it names the new person");
        assert!(
            reached[by_slug("shouting")],
            "its text holds the name, escaped, in capitals"
        );
        assert!(!reached[by_slug("apart")]);
    }

    #[test]
    fn a_stub_no_briefing_names_any_more_is_gone_and_its_name_reaches_the_texts_holding_it() {
        let archive = Naming::new();
        let briefing = |slug: &str, date: &str, people: &str, body: &str| {
            archive.briefing(slug, date, people, body)
        };
        briefing("naming", "2025-05-03", "Kaja Kallas, Zed Gone", "Talks.");
        briefing("holding", "2025-05-02", "Kaja Kallas", "Met ZED GONE.");
        briefing("apart", "2025-05-01", "Kaja Kallas", "Nothing.");
        let load = || archive.load();
        let old = load();
        briefing("naming", "2025-05-03", "Kaja Kallas", "Talks.");
        let new = load();
        let (before, after) = (outline(&old), outline(&new));
        let ids = comparable(&before, &after, &new).expect("the same addresses, one stub gone");
        let gone = old
            .entities
            .iter()
            .find(|e| e.slug == "zed-gone")
            .expect("the stub");
        assert_eq!(ids.of(gone.id), None);
        let by_slug = |slug: &str| new.briefing_by_slug[slug].0 as usize;
        assert!(ids.reached()[by_slug("holding")], "its text holds the name");
        assert!(!ids.reached()[by_slug("apart")]);
        let renderer = crate::render::Renderer::new(&new).expect("renderer");
        let chosen: Vec<String> = between(&before, &after, &new, &ids, &renderer.page_routes())
            .iter()
            .map(|route| renderer.url_path(*route))
            .collect();
        for reached in [
            "briefings/naming/",
            "briefings/holding/",
            "people/",
            "sitemap.xml",
        ] {
            assert!(
                chosen.iter().any(|p| p.ends_with(reached)),
                "{reached} in {chosen:?}"
            );
        }
    }
}

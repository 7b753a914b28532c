//! What an edit touched, decided here for `build` and `serve` alike (#14).
//!
//! From two records of a resolved site, the one the last run kept and this run's: a
//! record is one digest of everything but what briefings say, and, per briefing, a digest
//! of what it says and one of its title. When the first is the same, every name, list,
//! count, order and address of the archive is as before, and the edit changed only what
//! some briefings say: their pages, the lists showing their cards, the pages that may
//! link a new title and the search index are all that can differ (`touched`, `to_render`).
//!
//! From two resolved sites (serve keeps the last one; a build keeps only its record): when
//! every address is as before but whom briefings name changed, perhaps with names new to
//! the archive (`comparable`), the pages those names reach (`between`).
//!
//! Anything else (a date, a new file, a profile's image, a template, a setting) renders
//! every page.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::model::{Briefing, BriefingId, EntityId, Site};
use crate::render::Route;

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

/// The routes of `new` whose pages may differ from `old`'s, when the two are `comparable`
/// (`ids` says where `old`'s entities are in `new`): a tag or a name added to a briefing
/// or taken from it, on top of any edit of words. Only serve has the last site
/// to compare with; a build has its record.
pub fn between(old: &Site, new: &Site, ids: &Ids, all: &[Route]) -> Vec<Route> {
    let changed: Vec<bool> = old
        .briefings
        .iter()
        .zip(&new.briefings)
        .map(|(a, b)| a.text != b.text)
        .collect();
    let mut entities = touched_entities(old, new, ids, &changed);
    let mut whole_entities = vec![false; new.entities.len()];
    for &id in &ids.added {
        entities[id.0 as usize] = true;
        whole_entities[id.0 as usize] = true;
    }
    for o in &old.entities {
        let e = &new.entities[ids.of(o.id).0 as usize];
        whole_entities[e.id.0 as usize] = entities[e.id.0 as usize]
            && (e.briefings != o.briefings
                || e.appears_with != ids.company(&o.appears_with)
                || profile_text(o) != profile_text(e));
    }
    let mut briefings = briefing_pages(old, new, ids, &changed, &entities);
    for (page, may_link) in briefings.iter_mut().zip(ids.reached()) {
        *page |= may_link;
    }
    // A new entity moves every later one in its kind's A–Z pages.
    let mut index = entities.clone();
    for &added in &ids.added {
        let kind = new.entity(added).kind;
        for id in &new.by_kind[kind.index()] {
            index[id.0 as usize] = true;
        }
    }
    let touched = Touched {
        index,
        changed,
        entities,
        whole_entities,
        briefings,
        pages: vec![false; new.pages.len()],
    };
    let mut chosen = pick(new, &touched, all);
    // A new title shows wherever a `[[link]]` names the briefing.
    let retitled: Vec<(BriefingId, bool)> = old
        .briefings
        .iter()
        .zip(&new.briefings)
        .filter(|(a, b)| a.title != b.title)
        .map(|(_, b)| (b.id, true))
        .collect();
    if !retitled.is_empty() {
        chosen.extend(pages_showing(new, &retitled, all));
    }
    // The sitemap lists entity pages in the order of their ids.
    if ids.moved() {
        chosen.extend(all.iter().filter(|r| matches!(r, Route::Sitemap { .. })));
    }
    with_search(chosen, all)
}

/// Where `old`'s entities are in `new`, if the two sites have the same shape but for which
/// briefings name which entities (and what briefings say): every address, setting,
/// template, word and image as before, every entity and name still there (perhaps with
/// another id), and perhaps new ones. `None` when anything else changed, so that every
/// page may differ.
pub fn comparable(old: &Site, new: &Site) -> Option<Ids> {
    let mut ids = same_entities(old, new)?;
    if !same_addresses(old, new) {
        return None;
    }
    ids.reached = mentioning(new, &ids);
    Some(ids)
}

/// Each entity of one site's id in another, where the other has the same entities and
/// perhaps more: a name first written in another briefing than before takes another
/// place among the stubs, and a name new to the archive adds one.
pub struct Ids {
    new_of: Vec<EntityId>,
    /// The other's entities that the first does not have.
    added: Vec<EntityId>,
    /// The names and aliases the other has and the first does not, in lower case, as the
    /// auto-links look for them.
    added_names: Vec<String>,
    /// By the other's id: whether the entity has such a name (the search index finds a
    /// briefing by every name of every entity it names).
    renamed: Vec<bool>,
    /// By the other's briefing id: whether a new name may reach it (`mentioning`).
    reached: Vec<bool>,
}

impl Ids {
    /// The id in the new site of the old site's entity `old`.
    pub fn of(&self, old: EntityId) -> EntityId {
        self.new_of[old.0 as usize]
    }

    fn all(&self, old: &[EntityId]) -> Vec<EntityId> {
        old.iter().map(|&id| self.of(id)).collect()
    }

    fn company(&self, old: &[Vec<(EntityId, u32)>; 3]) -> [Vec<(EntityId, u32)>; 3] {
        old.clone()
            .map(|list| list.into_iter().map(|(id, n)| (self.of(id), n)).collect())
    }

    /// Per briefing of the new site, whether a name new to the archive may reach it: its
    /// page may link the name, and its part of the search index must be read again.
    pub fn reached(&self) -> &[bool] {
        &self.reached
    }

    /// Whether any entity has another id, or is new.
    fn moved(&self) -> bool {
        !self.added.is_empty()
            || self
                .new_of
                .iter()
                .enumerate()
                .any(|(i, id)| id.0 as usize != i)
    }
}

/// Per briefing of `new`, whether a name new to the archive may reach it: its text may
/// hold the name (its page may then link it, and its part of the search index mention
/// it), or it names an entity with the new name (the search index finds it by every name
/// of the entities it names). Any text holding the name in any case, as written or as
/// HTML escapes it, may (the auto-links look for the escaped name in lower case).
fn mentioning(new: &Site, ids: &Ids) -> Vec<bool> {
    if ids.added_names.is_empty() {
        return vec![false; new.briefings.len()];
    }
    new.briefings
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
                    .added_names
                    .iter()
                    .any(|name| text.contains(name.as_str()))
        })
        .collect()
}

/// The ids in `new` of `old`'s entities, if `new` has all of them: by kind and slug, each
/// with the same name and the same profile image or none; and the names `new` adds.
fn same_entities(old: &Site, new: &Site) -> Option<Ids> {
    let by_slug: std::collections::HashMap<(crate::content::Kind, &str), &crate::model::Entity> =
        new.entities
            .iter()
            .map(|e| ((e.kind, e.slug.as_str()), e))
            .collect();
    let media = |e: &crate::model::Entity| e.profile.as_ref().map(|p| p.media.clone());
    let new_of = old
        .entities
        .iter()
        .map(|a| {
            let b = by_slug.get(&(a.kind, a.slug.as_str()))?;
            (a.name == b.name && media(a) == media(b)).then_some(b.id)
        })
        .collect::<Option<Vec<_>>>()?;
    let mut kept = vec![false; new.entities.len()];
    for id in &new_of {
        kept[id.0 as usize] = true;
    }
    let added: Vec<EntityId> = new
        .entities
        .iter()
        .filter(|e| !kept[e.id.0 as usize])
        .map(|e| e.id)
        .collect();
    // Every name the old site had still names the same entity.
    let names = |site: &Site, map: &dyn Fn(EntityId) -> EntityId| {
        let mut names: Vec<(String, EntityId)> = site
            .names
            .iter()
            .map(|(n, id)| (n.clone(), map(*id)))
            .collect();
        names.extend(site.entities.iter().map(|e| (e.name.clone(), map(e.id))));
        names.sort_unstable();
        names.dedup();
        names
    };
    let before = names(old, &|id| new_of[id.0 as usize]);
    let after = names(new, &|id| id);
    if before.iter().any(|name| after.binary_search(name).is_err()) {
        return None;
    }
    let new_names: Vec<&(String, EntityId)> = after
        .iter()
        .filter(|name| before.binary_search(name).is_err())
        .collect();
    // As written, and as HTML writes it (`AT&amp;T`), which a body may hold too.
    let mut added_names: Vec<String> = new_names
        .iter()
        .flat_map(|(name, _)| {
            let name = name.trim();
            [
                name.to_lowercase(),
                crate::render::markdown::escape(name).to_lowercase(),
            ]
        })
        .filter(|name| !name.is_empty())
        .collect();
    added_names.sort_unstable();
    added_names.dedup();
    let mut renamed = vec![false; new.entities.len()];
    for (_, id) in new_names {
        renamed[id.0 as usize] = true;
    }
    Some(Ids {
        new_of,
        added,
        added_names,
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

/// Whether every page address, setting, template, word and image is as before, so routes
/// keep their meaning and every page differs only by what it lists (names: `same_entities`).
fn same_addresses(old: &Site, new: &Site) -> bool {
    // An edit in a site of several languages renders every page again.
    old.translations.is_empty()
        && new.translations.is_empty()
        && old.config == new.config
        && old.templates == new.templates
        && old.static_files == new.static_files
        && old.words.inputs() == new.words.inputs()
        && old.briefings.len() == new.briefings.len()
        && old.pages.len() == new.pages.len()
        && old
            .briefings
            .iter()
            .zip(&new.briefings)
            .all(|(a, b)| a.slug == b.slug && a.date == b.date && a.media == b.media)
        && old
            .pages
            .iter()
            .zip(&new.pages)
            .all(|(a, b)| a.text == b.text && a.slug == b.slug)
}

fn profile_text(entity: &crate::model::Entity) -> Option<&str> {
    entity.profile.as_ref().map(|p| p.text.as_str())
}

/// Entities whose pages may show a change: those a changed briefing names (before or
/// after), and those whose briefings, company, members or profile changed.
fn touched_entities(old: &Site, new: &Site, ids: &Ids, changed: &[bool]) -> Vec<bool> {
    let mut touched = vec![false; new.entities.len()];
    for a in &old.entities {
        let b = &new.entities[ids.of(a.id).0 as usize];
        touched[b.id.0 as usize] = a.briefings != b.briefings
            || ids.company(&a.appears_with) != b.appears_with
            || ids.all(&a.affiliations) != b.affiliations
            || ids.all(&a.members) != b.members
            || profile_text(a) != profile_text(b);
    }
    for (site, in_new) in [(old, false), (new, true)] {
        for briefing in site.briefings.iter().filter(|b| changed[b.id.0 as usize]) {
            for &id in briefing.entities.iter().flatten() {
                let id = if in_new { id } else { ids.of(id) };
                touched[id.0 as usize] = true;
            }
        }
    }
    touched
}

/// Briefing pages that may show a change: the changed ones, those whose related briefings,
/// neighbours or names changed, and those that show a changed briefing's card or title.
fn briefing_pages(
    old: &Site,
    new: &Site,
    ids: &Ids,
    changed: &[bool],
    touched: &[bool],
) -> Vec<bool> {
    let is_changed = |id: &BriefingId| changed[id.0 as usize];
    // A site's own briefing template may show how many briefings name each entity.
    let counts_shown = new
        .templates
        .iter()
        .any(|(name, _)| name == "briefing.html");
    // `[[slug]]` shows the linked briefing's title.
    let retitled: Vec<String> = old
        .briefings
        .iter()
        .zip(&new.briefings)
        .filter(|(a, b)| a.title != b.title)
        .map(|(_, b)| format!("[[{}", b.slug))
        .collect();
    old.briefings
        .iter()
        .zip(&new.briefings)
        .map(|(a, b)| {
            changed[b.id.0 as usize]
                || a.related != b.related
                || a.entities
                    .iter()
                    .map(|list| ids.all(list))
                    .ne(b.entities.iter().cloned())
                || b.related.iter().any(is_changed)
                || b.previous.iter().chain(&b.next).any(is_changed)
                || (counts_shown && b.entities.iter().flatten().any(|e| touched[e.0 as usize]))
                || retitled.iter().any(|link| b.body().contains(link.as_str()))
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
        let root = tempfile::tempdir().expect("temp dir");
        let write = |path: &str, text: &str| write_file(root.path(), path, text);
        write("site.yaml", "title: T\nbase_url: https://example.org/\n");
        let briefing = |slug: &str, date: &str, people: &str, body: &str| {
            write(
                &format!("content/briefings/{slug}.md"),
                &format!("---\ntitle: {slug}\ndate: {date}\npeople: [{people}]\n---\n{body}\n"),
            );
        };
        briefing("naming", "2025-05-03", "Kaja Kallas", "Talks.");
        briefing(
            "shouting",
            "2025-05-02",
            "Kaja Kallas",
            "Met ZED AT&amp;T NEWPERSON.",
        );
        briefing("apart", "2025-05-01", "Kaja Kallas", "Nothing.");
        let load = || crate::load_site(&crate::BuildOptions::new(root.path())).expect("a site");
        let old = load();
        briefing(
            "naming",
            "2025-05-03",
            "Kaja Kallas, Zed AT&T Newperson",
            "Talks.",
        );
        let new = load();
        let ids = comparable(&old, &new).expect("the same addresses");
        let by_slug = |slug: &str| new.briefing_by_slug[slug].0 as usize;
        let reached = ids.reached();
        assert!(reached[by_slug("naming")], "it names the new person");
        assert!(
            reached[by_slug("shouting")],
            "its text holds the name, escaped, in capitals"
        );
        assert!(!reached[by_slug("apart")]);
    }
}

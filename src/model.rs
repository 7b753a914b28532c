//! The resolved archive: `Site`, `Briefing`, `Entity` and their ids. `graph::resolve` makes
//! it once; after that nothing changes it, and render only reads it.

use std::collections::HashMap;
use std::path::PathBuf;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::content::bundle::Media;
use crate::content::{CitedSource, FilesRead, Keys, Kind, Unreadable};
use crate::diagnostics::Diagnostic;
use crate::i18n::Words;

/// Index into `Site::briefings`. Briefings are stored newest first, so a smaller id is newer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BriefingId(pub u32);

/// Index into `Site::entities`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EntityId(pub u32);

/// The whole archive, resolved.
#[derive(Debug)]
pub struct Site {
    /// For a language beside the default one, `title`, `description` and `language` are
    /// that language's.
    pub config: Config,
    /// The theme's words and dates in this site's language.
    pub words: Words,
    /// The folder this language's pages are under: empty for the default language, `uk/`.
    pub prefix: String,
    /// The site in each of its other languages (`languages:` order); empty in those.
    pub translations: Vec<Site>,
    /// Newest first: by date descending, then slug ascending.
    pub briefings: Vec<Briefing>,
    pub entities: Vec<Entity>,
    /// The entities of each kind (indexed by `Kind::index`), A–Z: by slug in the default
    /// language, by shown name in the collation of each other one (`Site::collates_names`).
    pub by_kind: [Vec<EntityId>; 4],
    pub pages: Vec<Page>,
    /// Years newest first, each with its months newest first.
    pub archive: Vec<Year>,
    pub briefing_by_slug: HashMap<String, BriefingId>,
    /// Every name and alias of every person, organisation and place, for body auto-links.
    pub names: Vec<(String, EntityId)>,
    /// The site's own templates, which replace the embedded defaults of the same name.
    pub templates: Vec<(String, String)>,
    /// Files under `static/`, relative to it.
    pub static_files: Vec<PathBuf>,
    /// Files with errors, left out of this run but known by slug and name, so that links
    /// and names pointing at them are not reported as missing too.
    pub unreadable: Vec<Unreadable>,
    /// How many files of each kind the site was read from.
    pub files_read: FilesRead,
    /// Problems that stop a build (`graph::resolve` returns them as its `Err`).
    pub errors: Vec<Diagnostic>,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
}

impl Site {
    /// The briefing with `slug` that could not be read this run, if there is one.
    pub fn unreadable_briefing(&self, slug: &str) -> Option<&Unreadable> {
        self.unreadable.iter().find(|u| {
            u.kind == crate::content::FileKind::Briefing && u.slug.as_deref() == Some(slug)
        })
    }

    /// Whether the A–Z indexes follow the names shown, in the language's collation and
    /// lettered by their first letter: in every language beside the default one. The
    /// default language's stay by slug, as they were before there were languages.
    pub fn collates_names(&self) -> bool {
        !self.prefix.is_empty()
    }

    pub fn briefing(&self, id: BriefingId) -> &Briefing {
        &self.briefings[id.0 as usize]
    }

    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.0 as usize]
    }
}

/// One briefing after resolution: names have become entity ids.
#[derive(Debug)]
pub struct Briefing {
    pub id: BriefingId,
    pub path: PathBuf,
    pub slug: String,
    pub title: String,
    pub date: Date,
    pub published: Timestamp,
    pub updated: Option<Timestamp>,
    pub summary: String,
    /// The byline: who wrote it, as written.
    pub authors: Vec<String>,
    /// People, organisations, places and tags (indexed by `Kind::index`), as listed, without repeats.
    pub entities: [Vec<EntityId>; 4],
    pub sources: Vec<CitedSource>,
    pub autolink: bool,
    /// Its bundle's files and lead image (`content::bundle`).
    pub media: Media,
    /// Where each front-matter key and value was written, for messages.
    pub keys: Keys,
    /// The whole source file and where its Markdown body starts (for line numbers in messages).
    pub text: String,
    pub body_start: usize,
    pub body_line: usize,
    /// Most related first.
    pub related: Vec<BriefingId>,
    /// The next older briefing.
    pub previous: Option<BriefingId>,
    /// The next newer briefing.
    pub next: Option<BriefingId>,
}

impl Briefing {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// A person, organisation, place or tag, with or without a profile.
#[derive(Debug)]
pub struct Entity {
    pub id: EntityId,
    pub kind: Kind,
    pub name: String,
    pub slug: String,
    /// `None` for a stub: a name briefings use that has no profile file.
    pub profile: Option<Profile>,
    /// Newest first (ascending ids).
    pub briefings: Vec<BriefingId>,
    /// Who and what appears with this entity most: people, organisations, places, with counts.
    pub appears_with: [Vec<(EntityId, u32)>; 3],
    /// For a person: their organisations.
    pub affiliations: Vec<EntityId>,
    /// For an organisation: the people who list it among their affiliations.
    pub members: Vec<EntityId>,
}

/// What a profile file says beyond the name.
#[derive(Debug)]
pub struct Profile {
    pub path: PathBuf,
    pub aliases: Vec<String>,
    pub role: Option<String>,
    pub country: Option<String>,
    pub wikidata: Option<String>,
    /// Its bundle's files, portrait or logo, and a place's coordinates.
    pub media: Media,
    pub text: String,
    pub body_start: usize,
    pub body_line: usize,
}

impl Profile {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// A free page from `content/pages/`.
#[derive(Debug)]
pub struct Page {
    pub path: PathBuf,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub text: String,
    pub body_start: usize,
    pub body_line: usize,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

#[derive(Debug)]
pub struct Year {
    pub year: i16,
    pub months: Vec<Month>,
}

#[derive(Debug)]
pub struct Month {
    pub month: i8,
    /// Newest first.
    pub briefings: Vec<BriefingId>,
}

impl Year {
    pub fn count(&self) -> usize {
        self.months.iter().map(|m| m.briefings.len()).sum()
    }
}

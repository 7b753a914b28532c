//! The languages of one site as render sees them: each language's folder, name and the
//! set of page paths it has. A page's translations are the languages that have a page at
//! the same path (slugs are equal across languages), so every kind of page finds its
//! alternates the same way: `hreflang` links, the language switcher and the sitemap.

use std::collections::HashSet;

use serde::Serialize;

use super::routes::{self, Route};
use crate::model::Site;
use crate::urls::Urls;

/// Every language of the site, the default one first.
pub struct Family {
    members: Vec<Member>,
}

struct Member {
    /// As `hreflang` and `<html lang>` write it.
    code: String,
    /// The language's own name, for the switcher: `Українська`.
    name: String,
    urls: Urls,
    /// The page paths this language has (`briefings/x/`), without its folder.
    paths: HashSet<String>,
}

/// One translation of a page, for `hreflang` links and the language switcher.
#[derive(Serialize, Clone)]
pub struct Alternate {
    /// `uk`.
    pub lang: String,
    /// `Українська`.
    pub name: String,
    /// Its absolute URL, for `<link rel="alternate">` and the sitemap.
    pub url: String,
    /// Its link, as the switcher writes it (`/repo/uk/briefings/x/`).
    pub link: String,
    /// Whether it is the page being shown.
    pub current: bool,
}

impl Family {
    /// The languages of `site` (the default language's `Site`, which holds the others).
    /// A single-language site has one member and no alternates anywhere.
    pub fn of(site: &Site) -> Family {
        let several = !site.translations.is_empty();
        let members = std::iter::once(site)
            .chain(&site.translations)
            .map(|language| Member {
                code: language.config.language.clone(),
                name: language.words.autonym().into_owned(),
                urls: Urls::in_language(&language.config.base_url, &language.prefix),
                paths: if several {
                    page_paths(language)
                } else {
                    HashSet::new()
                },
            })
            .collect();
        Family { members }
    }

    pub fn is_single(&self) -> bool {
        self.members.len() < 2
    }

    /// The translations of the page at `path` shown in language `current` (an index into
    /// the family), itself included; empty when no other language has that page.
    pub fn alternates(&self, path: &str, current: usize) -> Vec<Alternate> {
        if self.is_single() {
            return Vec::new();
        }
        let found: Vec<Alternate> = self
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.paths.contains(path))
            .map(|(i, m)| Alternate {
                lang: m.code.clone(),
                name: m.name.clone(),
                url: m.urls.absolute(path),
                link: m.urls.link(path),
                current: i == current,
            })
            .collect();
        if found.len() < 2 {
            return Vec::new();
        }
        found
    }

    /// The absolute URL of `path` in the language numbered `language`.
    pub fn absolute(&self, language: usize, path: &str) -> String {
        self.members[language].urls.absolute(path)
    }

    /// The default language's URL of the page at `path`, for `hreflang="x-default"`,
    /// when it has one and the page has translations.
    pub fn x_default(&self, path: &str) -> Option<String> {
        let default = self.members.first()?;
        (!self.is_single() && default.paths.contains(path)).then(|| default.urls.absolute(path))
    }
}

/// The path of every HTML page of one language that a reader may switch to.
fn page_paths(site: &Site) -> HashSet<String> {
    routes::all(site, 0)
        .into_iter()
        .filter(|route| is_page(*route))
        .map(|route| routes::url_path(site, route))
        .collect()
}

/// Whether a route is an HTML page with a place in the language switcher.
pub fn is_page(route: Route) -> bool {
    matches!(
        route,
        Route::Home { .. }
            | Route::Briefing(_)
            | Route::EntityIndex { .. }
            | Route::Entity { .. }
            | Route::Archive
            | Route::ArchiveYear { .. }
            | Route::ArchiveMonth { .. }
            | Route::Page(_)
            | Route::Search
    )
}

/// Whether a route is a file every language shares, written once at the root.
pub fn is_shared(route: Route) -> bool {
    matches!(
        route,
        Route::Sitemap { .. }
            | Route::Robots
            | Route::NoJekyll
            | Route::Cname
            | Route::Stylesheet
            | Route::Highlight
            | Route::Favicon
            | Route::SearchScript
    )
}

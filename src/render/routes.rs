//! Every page of the site as a `Route`: a small value naming what to render, not the
//! rendered bytes. Listing routes is cheap, so the whole list can be rendered in parallel
//! and a rebuild can pick just the routes a change touches.

use crate::content::Kind;
use crate::model::{BriefingId, EntityId, Site};
use crate::urls::path;

/// One output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Route {
    Home {
        page: usize,
    },
    Briefing(BriefingId),
    EntityIndex {
        kind: Kind,
        page: usize,
    },
    Entity {
        id: EntityId,
        page: usize,
    },
    EntityFeed(EntityId),
    Archive,
    ArchiveYear {
        year: usize,
    },
    ArchiveMonth {
        year: usize,
        month: usize,
        page: usize,
    },
    Page(usize),
    Search,
    NotFound,
    Feed,
    /// `sitemap.xml`, or with more than 50,000 URLs its index (chunk 0) and its parts (1…).
    Sitemap {
        chunk: usize,
    },
    Robots,
    NoJekyll,
    Cname,
    Stylesheet,
    Highlight,
    /// `favicon.svg`, unless the site's `static/` has an icon of its own.
    Favicon,
    /// `search/names/`: every name and alias with its page, for readers without JavaScript.
    SearchNames,
    /// `search/index.json`: shard keys, years, months.
    SearchIndex,
    /// `search/terms/N.json`.
    SearchTerms(u32),
    /// `search/name-keys/N.json`.
    SearchNameKeys(u32),
    /// `search/docs/ID.json`: one briefing.
    SearchDoc(BriefingId),
    /// `search/mentions/ID.json`: one entity's mentions.
    SearchMentions(EntityId),
    /// `search/filters/KIND.json`.
    SearchFilters(Kind),
    /// `search/near/N.json`: a bucket of words for typo matches.
    SearchNear(u32),
    /// `search.js`, the search page's script.
    SearchScript,
    /// A page of another language of the site: the route numbered `index` among that
    /// language's own (`Renderer::url_path` gives its path), and what it is.
    Translated {
        language: u8,
        index: u32,
        category: Category,
    },
}

/// Where the search page's script is written, beside `style.css`.
pub const SEARCH_SCRIPT: &str = "search.js";

/// The folder of the search index, relative to the site's home.
pub const SEARCH_INDEX: &str = "search/";

/// The default icon, and the icons a site's `static/` may give instead (the first found
/// wins), with their types.
pub const FAVICON: &str = "favicon.svg";
pub const FAVICONS: &[(&str, &str)] = &[
    ("favicon.svg", "image/svg+xml"),
    ("favicon.png", "image/png"),
    ("favicon.ico", "image/x-icon"),
];

/// The site's own icon in `static/`, if it has one, with its type.
pub fn own_favicon(site: &Site) -> Option<(&'static str, &'static str)> {
    FAVICONS
        .iter()
        .copied()
        .find(|(file, _)| site.static_files.iter().any(|f| f.as_os_str() == *file))
}

/// What a route is, for the build's summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Home,
    Briefing,
    Entity(Kind),
    Archive,
    Page,
    Feed,
    Other,
}

impl Route {
    pub fn category(&self, site: &Site) -> Category {
        match self {
            Route::Home { .. } => Category::Home,
            Route::Briefing(_) => Category::Briefing,
            Route::EntityIndex { kind, .. } => Category::Entity(*kind),
            Route::Entity { id, .. } => Category::Entity(site.entity(*id).kind),
            Route::EntityFeed(_) | Route::Feed => Category::Feed,
            Route::Archive | Route::ArchiveYear { .. } | Route::ArchiveMonth { .. } => {
                Category::Archive
            }
            Route::Page(_) => Category::Page,
            Route::Translated { category, .. } => *category,
            _ => Category::Other,
        }
    }
}

/// How many pages a list of `count` items takes at `per_page` (at least one).
pub fn page_count(count: usize, per_page: usize) -> usize {
    count.div_ceil(per_page).max(1)
}

/// Every route of the site, in a stable order.
pub fn all(site: &Site, sitemap_chunks: usize) -> Vec<Route> {
    let per_page = site.config.per_page;
    let mut routes = Vec::new();
    routes
        .extend((1..=page_count(site.briefings.len(), per_page)).map(|page| Route::Home { page }));
    routes.extend(site.briefings.iter().map(|b| Route::Briefing(b.id)));
    for kind in Kind::ALL {
        let count = site.by_kind[kind.index()].len();
        routes.extend(
            (1..=page_count(count, per_page)).map(|page| Route::EntityIndex { kind, page }),
        );
    }
    for entity in &site.entities {
        let pages = page_count(entity.briefings.len(), per_page);
        routes.extend((1..=pages).map(|page| Route::Entity {
            id: entity.id,
            page,
        }));
        routes.push(Route::EntityFeed(entity.id));
    }
    routes.push(Route::Archive);
    for (y, year) in site.archive.iter().enumerate() {
        routes.push(Route::ArchiveYear { year: y });
        for (m, month) in year.months.iter().enumerate() {
            let pages = page_count(month.briefings.len(), per_page);
            routes.extend((1..=pages).map(|page| Route::ArchiveMonth {
                year: y,
                month: m,
                page,
            }));
        }
    }
    routes.extend((0..site.pages.len()).map(Route::Page));
    routes.extend([
        Route::Search,
        Route::SearchNames,
        Route::NotFound,
        Route::Feed,
        Route::Robots,
        Route::NoJekyll,
    ]);
    routes.extend((0..sitemap_chunks).map(|chunk| Route::Sitemap { chunk }));
    if site.config.cname.is_some() {
        routes.push(Route::Cname);
    }
    // A site's own static/style.css replaces the theme's, as its templates replace ours.
    if !site
        .static_files
        .iter()
        .any(|f| f.as_os_str() == path::STYLESHEET)
    {
        routes.push(Route::Stylesheet);
    }
    routes.push(Route::Highlight);
    if own_favicon(site).is_none() {
        routes.push(Route::Favicon);
    }
    routes
}

/// The site-relative path of the page a route makes (`people/x/`, `feed.xml`), in the
/// language of `site`, without its folder. A `Translated` route's path is its language's
/// to give: `Renderer::url_path`.
pub fn url_path(site: &Site, route: Route) -> String {
    match route {
        Route::Home { page } => path::home(page),
        Route::Briefing(id) => path::briefing(&site.briefing(id).slug),
        Route::EntityIndex { kind, page } => path::entity_index(kind, page),
        Route::Entity { id, page } => {
            let e = site.entity(id);
            path::entity(e.kind, &e.slug, page)
        }
        Route::EntityFeed(id) => {
            let e = site.entity(id);
            path::entity_feed(e.kind, &e.slug)
        }
        Route::Archive => path::archive(),
        Route::ArchiveYear { year } => path::archive_year(site.archive[year].year),
        Route::ArchiveMonth { year, month, page } => {
            let y = &site.archive[year];
            path::archive_month(y.year, y.months[month].month, page)
        }
        Route::Page(index) => path::page(&site.pages[index].slug),
        Route::Search => path::search(),
        Route::NotFound => "404.html".into(),
        Route::Feed => path::FEED.into(),
        Route::Sitemap { chunk: 0 } => path::SITEMAP.into(),
        Route::Sitemap { chunk } => format!("sitemap-{chunk}.xml"),
        Route::Robots => "robots.txt".into(),
        Route::NoJekyll => ".nojekyll".into(),
        Route::Cname => "CNAME".into(),
        Route::Stylesheet => path::STYLESHEET.into(),
        Route::Highlight => path::HIGHLIGHT.into(),
        Route::Favicon => FAVICON.into(),
        Route::SearchNames => format!("{SEARCH_INDEX}names/"),
        Route::SearchIndex => format!("{SEARCH_INDEX}index.json"),
        Route::SearchTerms(n) => format!("{SEARCH_INDEX}terms/{n}.json"),
        Route::SearchNameKeys(n) => format!("{SEARCH_INDEX}name-keys/{n}.json"),
        Route::SearchDoc(id) => format!("{SEARCH_INDEX}docs/{}.json", id.0),
        Route::SearchMentions(id) => format!("{SEARCH_INDEX}mentions/{}.json", id.0),
        Route::SearchFilters(kind) => format!("{SEARCH_INDEX}filters/{}.json", kind.plural()),
        Route::SearchNear(n) => format!("{SEARCH_INDEX}near/{n}.json"),
        Route::SearchScript => SEARCH_SCRIPT.into(),
        Route::Translated { .. } => String::new(),
    }
}

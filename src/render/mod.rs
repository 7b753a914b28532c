//! Render: `Site` → pages. Lists every route, then renders each to bytes (in parallel)
//! and hands it to a sink; the sink decides whether bytes are written (build) or dropped
//! (check). Reads only the `Site`; a broken `[[link]]` or template is a diagnostic.

pub mod autolink;
pub mod chart;
pub mod feeds;
pub mod highlight;
pub mod jsonld;
pub mod languages;
pub(crate) mod letters;
mod lookup;
pub mod markdown;
mod media;
mod pager;
mod pages;
pub mod routes;
pub mod sanitize;
pub mod search;
mod sentences;
pub mod templates;
pub mod views;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::content::Kind;
use crate::diagnostics::{self, Diagnostic};
use crate::i18n::{Key, Words};
use crate::model::{Briefing, BriefingId, Entity, EntityId, Site};
use crate::urls::{Urls, path};
pub use media::MediaView;
pub use routes::{Category, Route};
use templates::Templates;
use views::*;

/// One rendered output file.
pub struct Page {
    /// Site-relative file path: `people/x/index.html`, `feed.xml`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Everything needed to render any route of one site.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub urls: Urls,
    templates: Templates,
    sitemap_chunks: usize,
    /// One automaton over every name and alias, shared by all briefings.
    autolinker: std::sync::Arc<autolink::Autolinker>,
    /// The term shards of the search index, built on first use: a whole-archive pass that
    /// serve's partial rebuilds (which render only `page_routes`) should not pay for.
    search: std::sync::OnceLock<search::SearchIndex>,
    /// What the last build kept of the search index's analysis (`with_search_memory`).
    /// Taken when the index is built.
    search_memory: std::sync::Mutex<Option<search::Memory>>,
    /// Every briefing's card, by id, made once: a briefing is listed on many pages (home,
    /// archive, each entity it names, related), and formatting its date and URL anew on each
    /// was a measurable part of rendering (#5).
    cards: Vec<BriefingCard>,
    /// Every entity's link (with its briefing count), by id, made once for the same reason.
    entity_links: Vec<EntityLink>,
    /// The images and files the media stage published (`with_media`); none by default.
    media: &'a crate::media::publish::Published,
    /// Every language of the site, for alternates; shared by the renderers of all of them.
    family: std::sync::Arc<languages::Family>,
    /// This renderer's language: its index in `family`.
    language: usize,
    /// The default language's site, where a `[[slug]]` with no translation leads.
    home: &'a Site,
    /// The renderers of the site's other languages (on the default language's only).
    translations: Vec<Translation<'a>>,
}

/// Another language of the site, with the routes of its own pages (shared files left out).
struct Translation<'a> {
    renderer: Renderer<'a>,
    pages: Vec<Route>,
    search: std::sync::OnceLock<Vec<Route>>,
}

impl Translation<'_> {
    /// Its route numbered `index`: its pages first, then its search index's files.
    fn route(&self, index: u32) -> Route {
        let index = index as usize;
        match self.pages.get(index) {
            Some(&route) => route,
            None => self.search_routes()[index - self.pages.len()],
        }
    }

    fn search_routes(&self) -> &[Route] {
        self.search.get_or_init(|| {
            self.renderer
                .search_routes()
                .filter(|r| !languages::is_shared(*r))
                .collect()
        })
    }
}

impl<'a> Renderer<'a> {
    /// Compiles the templates for `site`; a broken template stops here.
    pub fn new(site: &'a Site) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        Renderer::reusing(site, None)
    }

    /// Like `new`, reusing the auto-link automaton of an earlier renderer. Only for a site
    /// with the same names, entities and base URL (serve, after an edit that changed only
    /// what briefings say): building the automaton is most of a small rebuild's cost.
    pub fn reusing(
        site: &'a Site,
        autolinker: Option<std::sync::Arc<autolink::Autolinker>>,
    ) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let family = std::sync::Arc::new(languages::Family::of(site));
        let mut renderer =
            Renderer::one(site, site, autolinker, std::sync::Arc::clone(&family), 0)?;
        for (i, other) in site.translations.iter().enumerate() {
            let sub = Renderer::one(other, site, None, std::sync::Arc::clone(&family), i + 1)?;
            let pages = routes::all(other, 0)
                .into_iter()
                .filter(|r| !languages::is_shared(*r))
                .collect();
            renderer.translations.push(Translation {
                renderer: sub,
                pages,
                search: std::sync::OnceLock::new(),
            });
        }
        renderer.sitemap_chunks = feeds::sitemap_chunks(renderer.sitemap_count());
        Ok(renderer)
    }

    /// The renderer of one language of the site.
    fn one(
        site: &'a Site,
        home: &'a Site,
        autolinker: Option<std::sync::Arc<autolink::Autolinker>>,
        family: std::sync::Arc<languages::Family>,
        language: usize,
    ) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let urls = Urls::in_language(&site.config.base_url, &site.prefix);
        let templates = Templates::new(&site.templates, &site_view(site, &urls))?;
        let autolinker = autolinker.unwrap_or_else(|| {
            std::sync::Arc::new(autolink::Autolinker::new(site, |id| {
                let e = site.entity(id);
                urls.link(&path::entity(e.kind, &e.slug, 1))
            }))
        });
        let cards = site
            .briefings
            .par_iter()
            .map(|b| make_card(b, &urls, &site.words))
            .collect();
        let entity_links = site
            .entities
            .par_iter()
            .map(|e| make_entity_link(e, &urls))
            .collect();
        Ok(Renderer {
            site,
            urls,
            templates,
            sitemap_chunks: 1,
            autolinker,
            search: std::sync::OnceLock::new(),
            search_memory: std::sync::Mutex::new(None),
            cards,
            entity_links,
            media: &media::NO_MEDIA,
            family,
            language,
            home,
            translations: Vec::new(),
        })
    }

    /// How many URLs the sitemap lists, in every language.
    fn sitemap_count(&self) -> usize {
        let own = self.sitemap_routes().count();
        own + self
            .translations
            .iter()
            .map(|t| t.renderer.sitemap_routes().count())
            .sum::<usize>()
    }

    /// The auto-link automaton, for `reusing`.
    pub fn autolinker(&self) -> std::sync::Arc<autolink::Autolinker> {
        std::sync::Arc::clone(&self.autolinker)
    }

    /// Every route of the site, the search index's files included.
    pub fn routes(&self) -> Vec<Route> {
        let mut all = self.page_routes();
        all.extend(self.search_routes());
        all
    }

    /// Every route but the search index's files, which listing would build the index.
    pub fn page_routes(&self) -> Vec<Route> {
        let mut all = routes::all(self.site, self.sitemap_chunks);
        for (language, t) in self.translations.iter().enumerate() {
            all.extend(
                t.pages
                    .iter()
                    .enumerate()
                    .map(|(i, &route)| Route::Translated {
                        language: language as u8,
                        index: i as u32,
                        category: route.category(t.renderer.site),
                    }),
            );
        }
        all
    }

    /// The output path of a route's page, as `render` writes it: `uk/briefings/x/` for a
    /// page in Ukrainian.
    pub fn url_path(&self, route: Route) -> String {
        match route {
            Route::Translated {
                language, index, ..
            } => {
                let t = &self.translations[language as usize];
                t.renderer.url_path(t.route(index))
            }
            route => format!(
                "{}{}",
                self.urls.folder(),
                routes::url_path(self.site, route)
            ),
        }
    }

    fn search(&self) -> &search::SearchIndex {
        self.search.get_or_init(|| {
            let memory = self
                .search_memory
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            search::build(self.site, memory)
        })
    }

    /// This renderer, building its search index from `memory` (the default language's
    /// index only): the briefings whose part is kept there are not read again (#14).
    pub fn with_search_memory(mut self, memory: search::Memory) -> Renderer<'a> {
        self.search_memory = std::sync::Mutex::new(Some(memory));
        self
    }

    /// The search index's analysis to keep for the next build, once the index is built
    /// (`with_search_memory`).
    pub fn kept_search(&self) -> Option<&search::Kept> {
        self.search.get()?.kept.as_ref()
    }

    /// The search index's analysis, for the next run to reuse (`with_search_memory`).
    pub fn into_kept_search(self) -> Option<search::Kept> {
        self.search.into_inner()?.kept
    }

    /// The search index's files and script (a site's own `static/search.js` wins).
    pub fn search_routes(&self) -> impl Iterator<Item = Route> {
        let site = self.site;
        let own_script = site
            .static_files
            .iter()
            .any(|f| f.as_os_str() == routes::SEARCH_SCRIPT);
        let index = self.search();
        let terms = (0..index.terms.len() as u32).map(Route::SearchTerms);
        let names = (0..index.names.len() as u32).map(Route::SearchNameKeys);
        let near = (0..index.near.len() as u32).map(Route::SearchNear);
        let docs = site.briefings.iter().map(|b| Route::SearchDoc(b.id));
        let mentions = site.entities.iter().map(|e| Route::SearchMentions(e.id));
        [Route::SearchIndex]
            .into_iter()
            .chain((!own_script).then_some(Route::SearchScript))
            .chain(terms)
            .chain(names)
            .chain(near)
            .chain(docs)
            .chain(mentions)
            .chain(Kind::ALL.map(Route::SearchFilters))
            .chain(self.translated_search_routes())
    }

    /// The search index files of the other languages.
    fn translated_search_routes(&self) -> Vec<Route> {
        let mut all = Vec::new();
        for (language, t) in self.translations.iter().enumerate() {
            let first = t.pages.len();
            let search = t.search_routes().iter().enumerate();
            all.extend(search.map(|(i, &route)| Route::Translated {
                language: language as u8,
                index: (first + i) as u32,
                category: route.category(t.renderer.site),
            }));
        }
        all
    }

    /// Renders every route and passes each page to `sink`, in parallel. Returns all content
    /// problems found (broken links, template errors); the first sink failure stops early.
    pub fn render_all<E: Send>(
        &self,
        routes: &[Route],
        sink: impl Fn(Page) -> Result<(), E> + Sync,
    ) -> Result<Vec<Diagnostic>, E> {
        let problems: Vec<Vec<Diagnostic>> = routes
            .par_iter()
            .map(|&route| match self.render(route) {
                Ok(page) => sink(page).map(|()| Vec::new()),
                Err(problems) => Ok(problems),
            })
            .collect::<Result<_, E>>()?;
        let mut problems: Vec<Diagnostic> = problems.into_iter().flatten().collect();
        problems.dedup();
        diagnostics::sort(&mut problems);
        problems.dedup();
        Ok(problems)
    }

    /// Renders one route to its page.
    pub fn render(&self, route: Route) -> Result<Page, Vec<Diagnostic>> {
        if let Route::Translated {
            language, index, ..
        } = route
        {
            let t = &self.translations[language as usize];
            return t.renderer.render(t.route(index));
        }
        let url_path = routes::url_path(self.site, route);
        let bytes = match route {
            Route::Home { page } => self.home(page, &url_path)?,
            Route::Briefing(id) => self.briefing(self.site.briefing(id), &url_path)?,
            Route::EntityIndex { kind, page } => self.entity_index(kind, page, &url_path)?,
            Route::Entity { id, page } => self.entity(self.site.entity(id), page, &url_path)?,
            Route::EntityFeed(id) => feeds::entity_feed(self, self.site.entity(id)),
            Route::Archive => self.archive(None, &url_path)?,
            Route::ArchiveYear { year } => self.archive(Some((year, None)), &url_path)?,
            Route::ArchiveMonth { year, month, page } => {
                self.archive(Some((year, Some((month, page)))), &url_path)?
            }
            Route::Page(index) => self.free_page(index, &url_path)?,
            Route::Search => {
                let title = self.site.words.text(Key::Search);
                self.plain("search.html", &title, "search", &url_path)?
            }
            Route::NotFound => {
                let title = self.site.words.text(Key::NotFound);
                self.plain("404.html", &title, "", &url_path)?
            }
            Route::Feed => feeds::site_feed(self),
            Route::Sitemap { chunk } => feeds::sitemap(self, &self.sitemap_paths(), chunk),
            Route::Robots => feeds::robots(self),
            Route::NoJekyll => Vec::new(),
            Route::Cname => self
                .site
                .config
                .cname
                .clone()
                .unwrap_or_default()
                .into_bytes(),
            Route::Stylesheet => include_bytes!("../../static/style.css").to_vec(),
            Route::Highlight => highlight::stylesheet().into_bytes(),
            Route::Favicon => include_bytes!("../../static/favicon.svg").to_vec(),
            Route::SearchNames => self.search_names(&url_path)?,
            Route::SearchIndex => self.search().index.clone(),
            Route::SearchTerms(n) => self.search().terms[n as usize].clone(),
            Route::SearchNameKeys(n) => self.search().names[n as usize].clone(),
            Route::SearchDoc(id) => search::doc(
                self.site,
                self.site.briefing(id),
                &self.cards[id.0 as usize].date,
            ),
            Route::SearchMentions(id) => self.search().mentions[id.0 as usize].clone(),
            Route::SearchFilters(kind) => self.search().filters[kind.index()].clone(),
            Route::SearchNear(n) => self.search().near[n as usize].clone(),
            Route::SearchScript => include_bytes!("../../static/search.js").to_vec(),
            Route::Translated { .. } => unreachable!("rendered by its language's renderer"),
        };
        Ok(Page {
            path: format!("{}{}", self.urls.folder(), path::file(&url_path)),
            bytes,
        })
    }

    /// Every HTML page worth listing in the sitemap, in every language: each page's
    /// path without its language's folder, and that language's index in the family.
    fn sitemap_paths(&self) -> Vec<(usize, String)> {
        let own = self
            .sitemap_routes()
            .map(|route| (self.language, routes::url_path(self.site, route)));
        let others = self.translations.iter().flat_map(|t| {
            t.renderer.sitemap_routes().map(|route| {
                (
                    t.renderer.language,
                    routes::url_path(t.renderer.site, route),
                )
            })
        });
        own.chain(others).collect()
    }

    /// The routes the sitemap lists; counting them is cheap, formatting their paths is not,
    /// and serve needs only the count on every rebuild.
    fn sitemap_routes(&self) -> impl Iterator<Item = Route> {
        routes::all(self.site, 0)
            .into_iter()
            .filter(|route| match route {
                Route::Home { page }
                | Route::EntityIndex { page, .. }
                | Route::Entity { page, .. } => *page == 1,
                Route::ArchiveMonth { page, .. } => *page == 1,
                Route::Briefing(_)
                | Route::Archive
                | Route::ArchiveYear { .. }
                | Route::Page(_)
                | Route::Search => true,
                _ => false,
            })
    }

    pub fn card(&self, id: BriefingId) -> BriefingCard {
        self.cards[id.0 as usize].clone()
    }

    fn entity_link(&self, id: EntityId, count: Option<usize>) -> EntityLink {
        let mut link = self.entity_links[id.0 as usize].clone();
        if let Some(count) = count {
            link.count = count;
        }
        link
    }
}

impl markdown::LinkTargets for Renderer<'_> {
    fn briefing(&self, slug: &str) -> Option<(String, String)> {
        // A briefing not translated into this language: its original.
        if !self.site.briefing_by_slug.contains_key(slug)
            && let Some(&id) = self.home.briefing_by_slug.get(slug)
        {
            let urls = Urls::new(&self.home.config.base_url);
            let original = self.home.briefing(id);
            return Some((urls.link(&path::briefing(slug)), original.title.clone()));
        }
        let Some(&id) = self.site.briefing_by_slug.get(slug) else {
            // A briefing with errors this run: its own errors are reported, not the link (#11).
            return self
                .site
                .unreadable_briefing(slug)
                .map(|_| (self.urls.link(&path::briefing(slug)), slug.to_string()));
        };
        let briefing = self.site.briefing(id);
        Some((
            self.urls.link(&path::briefing(&briefing.slug)),
            briefing.title.clone(),
        ))
    }

    fn base_path(&self) -> &str {
        &self.site.config.base_url.path
    }
}

fn make_card(b: &Briefing, urls: &Urls, words: &Words) -> BriefingCard {
    BriefingCard {
        title: b.title.clone(),
        url: urls.link(&path::briefing(&b.slug)),
        date: words.date(b.date),
        date_iso: b.date.to_string(),
        summary: b.summary.clone(),
    }
}

fn make_entity_link(e: &Entity, urls: &Urls) -> EntityLink {
    EntityLink {
        name: e.name.clone(),
        url: urls.link(&path::entity(e.kind, &e.slug, 1)),
        count: e.briefings.len(),
        has_profile: e.profile.is_some(),
    }
}

/// The `site` variable of every template.
fn site_view(site: &Site, urls: &Urls) -> SiteView {
    let config = &site.config;
    let words = &site.words;
    let mut nav = vec![NavItem {
        label: words.text(Key::Briefings).into_owned(),
        url: urls.link(&path::home(1)),
        section: "briefings".into(),
    }];
    for kind in Kind::ALL {
        nav.push(NavItem {
            label: kind_label(words, kind),
            url: urls.link(&path::entity_index(kind, 1)),
            section: kind.plural().into(),
        });
    }
    nav.push(NavItem {
        label: words.text(Key::Archive).into_owned(),
        url: urls.link(&path::archive()),
        section: "archive".into(),
    });
    for page in &site.pages {
        nav.push(NavItem {
            label: page.title.clone(),
            url: urls.link(&path::page(&page.slug)),
            section: page.slug.clone(),
        });
    }
    let (favicon, favicon_type) = routes::own_favicon(site).unwrap_or(routes::FAVICONS[0]);
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        dir: site
            .words
            .language()
            .is_right_to_left()
            .then_some(site.words.language().direction().as_str()),
        words: site.words.plain_texts(),
        base_url: config.base_url.full(),
        home_url: urls.link(""),
        stylesheet_url: urls.shared(path::STYLESHEET),
        highlight_url: urls.shared(path::HIGHLIGHT),
        feed_url: urls.link(path::FEED),
        search_url: urls.link(&path::search()),
        favicon_url: urls.shared(favicon),
        favicon_type: favicon_type.into(),
        print_origin: css_string(&config.base_url.origin),
        nav,
    }
}

/// `text` as a CSS string literal, quotes included.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `People`, `Люди`: the heading of a kind's index, in the site's language.
pub fn kind_label(words: &Words, kind: Kind) -> String {
    let key = match kind {
        Kind::Person => Key::People,
        Kind::Organisation => Key::Organisations,
        Kind::Place => Key::Places,
        Kind::Tag => Key::Tags,
    };
    words.text(key).into_owned()
}

/// `16 May 2025`: a date as English pages show it (the site's language: `Words::date`).
pub fn display_date(date: Date) -> String {
    date.strftime("%-d %B %Y").to_string()
}

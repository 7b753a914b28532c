//! Render: `Site` → pages. Lists every route, then renders each to bytes (in parallel)
//! and hands it to a sink; the sink decides whether bytes are written (build) or dropped
//! (check). Reads only the `Site`; a broken `[[link]]` or template is a diagnostic.

pub mod autolink;
pub mod chart;
pub mod feeds;
pub mod highlight;
pub mod jsonld;
pub mod markdown;
pub mod routes;
pub mod sanitize;
pub mod search;
pub mod templates;
pub mod views;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::content::Kind;
use crate::diagnostics::{self, Diagnostic};
use crate::model::{Briefing, BriefingId, Entity, EntityId, Site};
use crate::urls::{Urls, path};
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
    /// Every briefing's card, by id, made once: a briefing is listed on many pages (home,
    /// archive, each entity it names, related), and formatting its date and URL anew on each
    /// was a measurable part of rendering (#5).
    cards: Vec<BriefingCard>,
    /// Every entity's link (with its briefing count), by id, made once for the same reason.
    entity_links: Vec<EntityLink>,
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
        let urls = Urls::new(&site.config.base_url);
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
            .map(|b| make_card(b, &urls))
            .collect();
        let entity_links = site
            .entities
            .par_iter()
            .map(|e| make_entity_link(e, &urls))
            .collect();
        let mut renderer = Renderer {
            site,
            urls,
            templates,
            sitemap_chunks: 1,
            autolinker,
            search: std::sync::OnceLock::new(),
            cards,
            entity_links,
        };
        renderer.sitemap_chunks = feeds::sitemap_chunks(renderer.sitemap_routes().count());
        Ok(renderer)
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
        routes::all(self.site, self.sitemap_chunks)
    }

    fn search(&self) -> &search::SearchIndex {
        self.search.get_or_init(|| search::build(self.site))
    }

    /// The search index's files and script (a site's own `static/search.js` wins).
    fn search_routes(&self) -> impl Iterator<Item = Route> {
        let site = self.site;
        let own_script = site
            .static_files
            .iter()
            .any(|f| f.as_os_str() == routes::SEARCH_SCRIPT);
        let terms = (0..self.search().terms.len() as u32).map(Route::SearchTerms);
        let docs = (0..search::SearchIndex::doc_shards(site) as u32).map(Route::SearchDocs);
        let entities =
            (0..search::SearchIndex::entity_shards(site) as u32).map(Route::SearchEntities);
        [Route::SearchIndex]
            .into_iter()
            .chain((!own_script).then_some(Route::SearchScript))
            .chain(terms)
            .chain(docs)
            .chain(entities)
    }

    /// A hash of everything the pages are made from: the resolved site, the bytes of the
    /// site's `static/` files, and the running sitroom binary (its built-in templates and
    /// theme, known by the binary's size and modification time). Equal fingerprints mean equal output, so a rebuild whose fingerprint matches
    /// the last build's can skip rendering (#5). `None` when an input cannot be read.
    pub fn fingerprint(&self, static_dir: &std::path::Path) -> Option<u64> {
        let Site {
            config,
            briefings,
            entities,
            by_kind,
            pages,
            archive,
            // Derived from `briefings`, and a hash map prints in no fixed order.
            briefing_by_slug: _,
            names,
            templates,
            static_files,
            // Messages only; no page shows them.
            warnings: _,
        } = self.site;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        // The binary by its size and modification time: a new sitroom renders again.
        let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
        hasher.update(&exe.len().to_le_bytes());
        hasher.update(format!("{:?}", exe.modified().ok()?).as_bytes());
        for file in static_files {
            hasher.update(file.to_string_lossy().as_bytes());
            hasher.update(&std::fs::read(static_dir.join(file)).ok()?);
        }
        let mut writer = HashWriter(hasher);
        use std::fmt::Write as _;
        write!(
            writer,
            "{config:?}{briefings:?}{entities:?}{by_kind:?}{pages:?}{archive:?}{names:?}{templates:?}"
        )
        .ok()?;
        Some(writer.0.digest())
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
            Route::Search => self.plain("search.html", "Search", "search", &url_path)?,
            Route::NotFound => self.plain("404.html", "Page not found", "", &url_path)?,
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
            Route::SearchIndex => self.search().index.clone(),
            Route::SearchTerms(n) => self.search().terms[n as usize].clone(),
            Route::SearchDocs(n) => {
                search::docs_shard(self.site, n as usize, |b| display_date(b.date))
            }
            Route::SearchEntities(n) => search::entities_shard(self.site, n as usize),
            Route::SearchScript => include_bytes!("../../static/search.js").to_vec(),
        };
        Ok(Page {
            path: path::file(&url_path),
            bytes,
        })
    }

    /// The site-relative paths of every HTML page worth listing in the sitemap.
    fn sitemap_paths(&self) -> Vec<String> {
        self.sitemap_routes()
            .map(|route| routes::url_path(self.site, route))
            .collect()
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

    fn page_html(
        &self,
        template: &str,
        view: &impl serde::Serialize,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        self.templates
            .render(template, view)
            .map(String::into_bytes)
            .map_err(|d| vec![d])
    }

    fn meta(&self, title: String, description: String, url_path: &str, section: &str) -> Meta {
        Meta {
            title,
            description,
            canonical_url: self.urls.absolute(url_path),
            feed_url: None,
            section: section.to_string(),
            has_code: false,
        }
    }

    fn home(&self, page: usize, url_path: &str) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let site = self.site;
        let (slice, pager) = self.paginate(&site.briefings, page, path::home);
        let title = if page == 1 {
            site.config.title.clone()
        } else {
            format!("Briefings, page {page}")
        };
        let view = HomeView {
            meta: self.meta(
                title,
                site.config.description.clone(),
                url_path,
                "briefings",
            ),
            briefings: slice.iter().map(|b| self.card(b.id)).collect(),
            pager,
        };
        self.page_html("home.html", &view)
    }

    fn briefing(&self, briefing: &Briefing, url_path: &str) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let rendered = markdown::render(briefing.body(), self);
        if !rendered.broken_links.is_empty() {
            let problems = rendered
                .broken_links
                .iter()
                .map(|(target, line, column)| {
                    broken_link(
                        &briefing.path,
                        &briefing.text,
                        briefing.body_line,
                        target,
                        *line,
                        *column,
                        self,
                    )
                })
                .collect();
            return Err(problems);
        }
        let links = |kind: Kind| -> Vec<EntityLink> {
            briefing.entities[kind.index()]
                .iter()
                .map(|&id| self.entity_link(id, None))
                .collect()
        };
        let mut meta = self.meta(
            briefing.title.clone(),
            briefing.summary.clone(),
            url_path,
            "briefings",
        );
        meta.has_code = rendered.html.contains("<pre class=\"hl\"");
        let view = BriefingView {
            meta,
            briefing: BriefingDetail {
                title: briefing.title.clone(),
                date: display_date(briefing.date),
                date_iso: briefing.date.to_string(),
                updated: briefing
                    .updated
                    .map(|u| display_date(u.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())),
                updated_iso: briefing.updated.map(|u| u.to_string()),
                summary: briefing.summary.clone(),
                body: self.clean(if briefing.autolink {
                    self.autolinker.link(&rendered.html)
                } else {
                    rendered.html
                }),
                people: links(Kind::Person),
                organisations: links(Kind::Organisation),
                places: links(Kind::Place),
                tags: links(Kind::Tag),
                sources: briefing
                    .sources
                    .iter()
                    .map(|s| SourceView {
                        title: s.title.clone(),
                        publisher: s.publisher.clone(),
                        url: s.url.clone(),
                        date: s.date.clone(),
                    })
                    .collect(),
                related: briefing.related.iter().map(|&id| self.card(id)).collect(),
                previous: briefing.previous.map(|id| self.card(id)),
                next: briefing.next.map(|id| self.card(id)),
                archive_url: self.urls.link(&path::archive_month(
                    briefing.date.year(),
                    briefing.date.month(),
                    1,
                )),
                json_ld: jsonld::briefing(self.site, &self.urls, briefing),
            },
        };
        self.page_html("briefing.html", &view)
    }

    fn entity_index(
        &self,
        kind: Kind,
        page: usize,
        url_path: &str,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let ids = &self.site.by_kind[kind.index()];
        let (slice, mut pager) = self.paginate(ids, page, |p| path::entity_index(kind, p));
        // An A–Z list has no newer or older.
        pager.previous_label = "← Previous";
        pager.next_label = "Next →";
        let label = kind_label(kind);
        let title = if page == 1 {
            label.to_string()
        } else {
            format!("{label}, page {page}")
        };
        let description = format!(
            "All {} named in {}, A–Z.",
            kind.plural(),
            self.site.config.title
        );
        let view = EntitiesView {
            meta: self.meta(title, description, url_path, kind.plural()),
            kind: kind.singular().to_string(),
            kind_label: label.to_string(),
            entities: slice.iter().map(|&id| self.entity_link(id, None)).collect(),
            letters: self.letters(ids, kind),
            total: ids.len(),
            pager,
        };
        self.page_html("entities.html", &view)
    }

    /// The first letter of each stretch of the A–Z list, with the page it starts on.
    fn letters(&self, ids: &[EntityId], kind: Kind) -> Vec<PagerLinkLetter> {
        let mut letters: Vec<PagerLinkLetter> = Vec::new();
        for (index, &id) in ids.iter().enumerate() {
            let letter = self
                .site
                .entity(id)
                .slug
                .chars()
                .next()
                .unwrap_or('#')
                .to_ascii_uppercase()
                .to_string();
            if letters.last().is_none_or(|l| l.letter != letter) {
                let page = index / self.site.config.per_page + 1;
                letters.push(PagerLinkLetter {
                    letter,
                    url: self.urls.link(&path::entity_index(kind, page)),
                });
            }
        }
        letters
    }

    fn entity(
        &self,
        entity: &Entity,
        page: usize,
        url_path: &str,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let kind = entity.kind;
        let (slice, pager) = self.paginate(&entity.briefings, page, |p| {
            path::entity(kind, &entity.slug, p)
        });
        let profile = entity.profile.as_ref();
        let profile_html = match profile {
            Some(p) if page == 1 => self.clean(markdown::render(p.body(), self).html),
            _ => String::new(),
        };
        let description = match profile.and_then(|p| p.role.as_ref()) {
            Some(role) => format!("{}: {role}. Briefings that name them.", entity.name),
            None => format!("Briefings that name {}.", entity.name),
        };
        let title = if page == 1 {
            entity.name.clone()
        } else {
            format!("{}, page {page}", entity.name)
        };
        let mut meta = self.meta(title, description, url_path, kind.plural());
        meta.feed_url = Some(self.urls.link(&path::entity_feed(kind, &entity.slug)));
        meta.has_code = profile_html.contains("<pre class=\"hl\"");
        let links = |ids: &[EntityId]| ids.iter().map(|&id| self.entity_link(id, None)).collect();
        let counted = |list: &[(EntityId, u32)]| {
            list.iter()
                .map(|&(id, n)| self.entity_link(id, Some(n as usize)))
                .collect()
        };
        let dates =
            |id: Option<&BriefingId>| id.map(|&id| display_date(self.site.briefing(id).date));
        let view = EntityView {
            meta,
            entity: EntityDetail {
                name: entity.name.clone(),
                kind: kind.singular().to_string(),
                kind_label: kind_label(kind).to_string(),
                index_url: self.urls.link(&path::entity_index(kind, 1)),
                feed_url: self.urls.link(&path::entity_feed(kind, &entity.slug)),
                has_profile: profile.is_some(),
                aliases: profile.map(|p| p.aliases.clone()).unwrap_or_default(),
                role: profile.and_then(|p| p.role.clone()),
                country: profile.and_then(|p| p.country.clone()),
                wikidata_url: profile
                    .and_then(|p| p.wikidata.as_ref())
                    .map(|q| format!("https://www.wikidata.org/wiki/{q}")),
                profile: profile_html,
                count: entity.briefings.len(),
                first_seen: dates(entity.briefings.last()),
                last_seen: dates(entity.briefings.first()),
                affiliations: links(&entity.affiliations),
                members: links(&entity.members),
                appears_with_people: counted(&entity.appears_with[0]),
                appears_with_organisations: counted(&entity.appears_with[1]),
                appears_with_places: counted(&entity.appears_with[2]),
                activity: (page == 1)
                    .then(|| {
                        let dates = entity
                            .briefings
                            .iter()
                            .map(|&id| self.site.briefing(id).date);
                        chart::activity(dates, &format!("briefings naming {}", entity.name))
                    })
                    .flatten(),
                json_ld: jsonld::entity(&self.urls, entity),
                search_url: format!(
                    "{}?{}={}",
                    self.urls.link(&path::search()),
                    kind.singular(),
                    entity.slug
                ),
            },
            briefings: slice.iter().map(|&id| self.card(id)).collect(),
            pager,
        };
        self.page_html("entity.html", &view)
    }

    /// The archive index (`None`), a year (`Some((y, None))`) or a month's page.
    fn archive(
        &self,
        at: Option<(usize, Option<(usize, usize)>)>,
        url_path: &str,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let archive = &self.site.archive;
        let year_view = |y: usize| {
            let year = &archive[y];
            YearView {
                year: format!("{:04}", year.year),
                url: self.urls.link(&path::archive_year(year.year)),
                count: year.count(),
                months: year
                    .months
                    .iter()
                    .map(|m| MonthView {
                        name: month_name(year.year, m.month),
                        url: self.urls.link(&path::archive_month(year.year, m.month, 1)),
                        count: m.briefings.len(),
                    })
                    .collect(),
            }
        };
        let (level, heading, years, briefings, pager, up_url) = match at {
            None => (
                "all",
                "Archive".to_string(),
                (0..archive.len()).map(year_view).collect(),
                Vec::new(),
                None,
                None,
            ),
            Some((y, None)) => {
                let heading = format!("Archive: {:04}", archive[y].year);
                (
                    "year",
                    heading,
                    vec![year_view(y)],
                    Vec::new(),
                    None,
                    Some(self.urls.link(&path::archive())),
                )
            }
            Some((y, Some((m, page)))) => {
                let (year, month) = (archive[y].year, archive[y].months[m].month);
                let (slice, pager) = self.paginate(&archive[y].months[m].briefings, page, |p| {
                    path::archive_month(year, month, p)
                });
                let cards = slice.iter().map(|&id| self.card(id)).collect();
                let heading = format!("Archive: {}", month_name(year, month));
                let up = Some(self.urls.link(&path::archive_year(year)));
                ("month", heading, Vec::new(), cards, Some(pager), up)
            }
        };
        let description = format!("{} of {}, by date.", heading, self.site.config.title);
        let view = ArchiveView {
            meta: self.meta(heading.clone(), description, url_path, "archive"),
            level: level.to_string(),
            heading,
            years,
            briefings,
            pager,
            up_url,
            activity: at
                .is_none()
                .then(|| chart::activity(self.site.briefings.iter().map(|b| b.date), "briefings"))
                .flatten(),
        };
        self.page_html("archive.html", &view)
    }

    fn free_page(&self, index: usize, url_path: &str) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let page = &self.site.pages[index];
        let rendered = markdown::render(page.body(), self);
        if !rendered.broken_links.is_empty() {
            let problems = rendered
                .broken_links
                .iter()
                .map(|(target, line, column)| {
                    broken_link(
                        &page.path,
                        page.text.as_str(),
                        page.body_line,
                        target,
                        *line,
                        *column,
                        self,
                    )
                })
                .collect();
            return Err(problems);
        }
        let mut meta = self.meta(
            page.title.clone(),
            page.summary.clone(),
            url_path,
            &page.slug,
        );
        meta.has_code = rendered.html.contains("<pre class=\"hl\"");
        let view = PageView {
            meta,
            page: PageDetail {
                title: page.title.clone(),
                summary: page.summary.clone(),
                body: self.clean(rendered.html),
            },
        };
        self.page_html("page.html", &view)
    }

    fn plain(
        &self,
        template: &str,
        title: &str,
        section: &str,
        url_path: &str,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let link = |kind: Kind| self.urls.link(&path::entity_index(kind, 1));
        let view = PlainView {
            meta: self.meta(
                title.to_string(),
                self.site.config.description.clone(),
                url_path,
                section,
            ),
            people_url: link(Kind::Person),
            organisations_url: link(Kind::Organisation),
            places_url: link(Kind::Place),
            tags_url: link(Kind::Tag),
            archive_url: self.urls.link(&path::archive()),
            search: (template == "search.html").then(|| SearchView {
                base: self.urls.link(""),
                script_url: self.urls.link(routes::SEARCH_SCRIPT),
            }),
        };
        self.page_html(template, &view)
    }

    /// Raw HTML in bodies passes through unless the site asks for it to be cleaned.
    fn clean(&self, html: String) -> String {
        if self.site.config.sanitize_html {
            sanitize::clean(&html)
        } else {
            html
        }
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

    /// The items of page `page` and the pager linking all pages (made by `path_of`).
    fn paginate<'s, T>(
        &self,
        items: &'s [T],
        page: usize,
        path_of: impl Fn(usize) -> String,
    ) -> (&'s [T], Pager) {
        let per_page = self.site.config.per_page;
        let total = routes::page_count(items.len(), per_page);
        let start = ((page - 1) * per_page).min(items.len());
        let end = (start + per_page).min(items.len());
        let link = |n: usize| self.urls.link(&path_of(n));
        let pager = Pager {
            current: page,
            total,
            previous_url: (page > 1).then(|| link(page - 1)),
            next_url: (page < total).then(|| link(page + 1)),
            previous_label: "← Newer",
            next_label: "Older →",
            pages: shown_pages(page, total)
                .into_iter()
                .map(|number| match number {
                    Some(number) => PagerLink {
                        number,
                        url: link(number),
                        gap: false,
                    },
                    None => PagerLink {
                        number: 0,
                        url: String::new(),
                        gap: true,
                    },
                })
                .collect(),
        };
        (&items[start..end], pager)
    }
}

/// The page numbers a pager shows: the first, the last and two either side of the current,
/// with `None` where pages are left out. Listing every page would make each page of a list
/// as long as the list: quadratic in an entity with thousands of pages (#5).
fn shown_pages(current: usize, total: usize) -> Vec<Option<usize>> {
    if total <= 1 {
        return Vec::new();
    }
    let near = current.saturating_sub(2).max(1)..=(current + 2).min(total);
    let mut numbers: Vec<usize> = [1, total].into_iter().chain(near).collect();
    numbers.sort_unstable();
    numbers.dedup();
    let mut shown = Vec::with_capacity(numbers.len() + 2);
    for (i, &number) in numbers.iter().enumerate() {
        match i.checked_sub(1).map(|j| number - numbers[j]) {
            // One page left out is shown rather than hidden behind a gap.
            Some(2) => shown.push(Some(number - 1)),
            Some(gap) if gap > 2 => shown.push(None),
            _ => {}
        }
        shown.push(Some(number));
    }
    shown
}

/// Feeds formatted text straight into a hash, so the site is never printed to memory whole.
struct HashWriter(xxhash_rust::xxh3::Xxh3);

impl std::fmt::Write for HashWriter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

impl markdown::LinkTargets for Renderer<'_> {
    fn briefing(&self, slug: &str) -> Option<(String, String)> {
        let briefing = self.site.briefing(*self.site.briefing_by_slug.get(slug)?);
        Some((
            self.urls.link(&path::briefing(&briefing.slug)),
            briefing.title.clone(),
        ))
    }
}

fn broken_link(
    path: &std::path::Path,
    text: &str,
    body_line: usize,
    target: &str,
    line: usize,
    column: usize,
    renderer: &Renderer<'_>,
) -> Diagnostic {
    let slugs = renderer.site.briefing_by_slug.keys().map(String::as_str);
    let help = match diagnostics::suggest(target, slugs) {
        Some(near) => format!("did you mean `[[{near}]]`?"),
        None => {
            "write the slug of an existing briefing (its file name without `.md`, or its `slug:`)"
                .into()
        }
    };
    Diagnostic::error(path, format!("`[[{target}]]` links to no briefing"))
        .at_line_of(text, body_line + line - 1, column)
        .with_help(help)
}

fn make_card(b: &Briefing, urls: &Urls) -> BriefingCard {
    BriefingCard {
        title: b.title.clone(),
        url: urls.link(&path::briefing(&b.slug)),
        date: display_date(b.date),
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
    let mut nav = vec![NavItem {
        label: "Briefings".into(),
        url: urls.link(&path::home(1)),
        section: "briefings".into(),
    }];
    for kind in Kind::ALL {
        nav.push(NavItem {
            label: kind_label(kind).into(),
            url: urls.link(&path::entity_index(kind, 1)),
            section: kind.plural().into(),
        });
    }
    nav.push(NavItem {
        label: "Archive".into(),
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
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        base_url: config.base_url.full(),
        home_url: urls.link(""),
        stylesheet_url: urls.link(path::STYLESHEET),
        highlight_url: urls.link(path::HIGHLIGHT),
        feed_url: urls.link(path::FEED),
        search_url: urls.link(&path::search()),
        nav,
    }
}

pub fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "People",
        Kind::Organisation => "Organisations",
        Kind::Place => "Places",
        Kind::Tag => "Tags",
    }
}

/// `16 May 2025`.
pub fn display_date(date: Date) -> String {
    date.strftime("%-d %B %Y").to_string()
}

fn month_name(year: i16, month: i8) -> String {
    Date::new(year, month, 1)
        .map(|d| d.strftime("%B %Y").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::shown_pages;

    #[test]
    fn a_pager_shows_the_ends_and_the_neighbourhood_of_the_current_page() {
        assert!(shown_pages(1, 1).is_empty());
        assert_eq!(shown_pages(1, 3), [Some(1), Some(2), Some(3)]);
        assert_eq!(
            shown_pages(1, 500),
            [Some(1), Some(2), Some(3), None, Some(500)]
        );
        // A single page between the ends and the neighbourhood is shown, not hidden.
        assert_eq!(
            shown_pages(5, 9),
            [
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                Some(9)
            ]
        );
        assert_eq!(
            shown_pages(250, 500),
            [
                Some(1),
                None,
                Some(248),
                Some(249),
                Some(250),
                Some(251),
                Some(252),
                None,
                Some(500)
            ]
        );
        assert_eq!(
            shown_pages(500, 500),
            [Some(1), None, Some(498), Some(499), Some(500)]
        );
    }
}

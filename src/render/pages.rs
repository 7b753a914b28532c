//! The page builders: one method per kind of HTML page, each making the typed view its
//! template gets (`views.rs`) from the `Site` and rendering it. Reads only the `Site`.

use super::letters::{self, Letter};
use super::views::*;
use super::{Renderer, chart, jsonld, kind_label, markdown, routes, sanitize};
use crate::content::Kind;
use crate::diagnostics::{self, Diagnostic};
use crate::i18n::Key;
use crate::media::publish::Owner;
use crate::model::{Briefing, BriefingId, Entity, EntityId};
use crate::urls::path;

impl Renderer<'_> {
    pub(super) fn page_html(
        &self,
        template: &str,
        url_path: &str,
        view: &impl serde::Serialize,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        self.templates
            .render(template, url_path, view)
            .map(String::into_bytes)
            .map_err(|d| vec![d])
    }

    pub(super) fn meta(
        &self,
        title: String,
        description: String,
        url_path: &str,
        section: &str,
    ) -> Meta {
        Meta {
            title,
            description,
            canonical_url: self.urls.absolute(url_path),
            url: self.urls.link(url_path),
            feed_url: None,
            section: section.to_string(),
            has_code: false,
            image: None,
            alternates: self.family.alternates(url_path, self.language),
            x_default: self.family.x_default(url_path),
        }
    }

    pub(super) fn home(&self, page: usize, url_path: &str) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let site = self.site;
        let (slice, pager) = self.paginate(&site.briefings, page, path::home);
        let title = if page == 1 {
            site.config.title.clone()
        } else {
            self.titled_page(&site.words.text(Key::Briefings), page)
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
        self.page_html("home.html", url_path, &view)
    }

    pub(super) fn briefing(
        &self,
        briefing: &Briefing,
        url_path: &str,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let owner = Owner::Briefing(briefing.id);
        let rendered = markdown::render(briefing.body(), &self.targets(owner));
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
        meta.image = self.lead_url(owner);
        let view = BriefingView {
            meta,
            briefing: BriefingDetail {
                title: briefing.title.clone(),
                date: self.site.words.date(briefing.date),
                date_iso: briefing.date.to_string(),
                updated: briefing.updated.map(|u| {
                    let day = u.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
                    self.site.words.date(day)
                }),
                updated_iso: briefing.updated.map(|u| u.to_string()),
                summary: briefing.summary.clone(),
                authors: briefing.authors.clone(),
                byline_html: self.byline_html(&briefing.authors),
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
                    .map(|s| {
                        // A source's date is kept as written; shown like the page's own when
                        // it is one (#15). Parsing it belongs in `content` (#11).
                        let parsed = s
                            .date
                            .as_deref()
                            .and_then(|d| d.trim().parse::<jiff::civil::Date>().ok());
                        SourceView {
                            title: s.title.clone(),
                            publisher: s.publisher.clone(),
                            url: s.url.clone(),
                            date: parsed
                                .map(|d| self.site.words.date(d))
                                .or_else(|| s.date.clone()),
                            date_iso: parsed.map(|d| d.to_string()),
                        }
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
                json_ld: jsonld::briefing(self.site, &self.urls, briefing, self.lead_json(owner)),
                media: self.briefing_media(briefing),
            },
        };
        self.page_html("briefing.html", url_path, &view)
    }

    pub(super) fn entity_index(
        &self,
        kind: Kind,
        page: usize,
        url_path: &str,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let ids = &self.site.by_kind[kind.index()];
        let letters = letters::letters(self.site, ids);
        let (_, mut pager) = self.paginate(ids, page, |p| path::entity_index(kind, p));
        let words = &self.site.words;
        // An A–Z list has no newer or older.
        pager.previous_label = words.text(Key::PagerPrevious).into_owned();
        pager.next_label = words.text(Key::PagerNext).into_owned();
        let label = kind_label(words, kind);
        let title = if page == 1 {
            label.clone()
        } else {
            self.titled_page(&label, page)
        };
        let described = match kind {
            Kind::Person => Key::IndexDescriptionPeople,
            Kind::Organisation => Key::IndexDescriptionOrganisations,
            Kind::Place => Key::IndexDescriptionPlaces,
            Kind::Tag => Key::IndexDescriptionTags,
        };
        let description = words.format(described, &[("site", &self.site.config.title)]);
        let hint = match kind {
            Kind::Tag => words.text(Key::IndexHintTag).into_owned(),
            _ => format!(
                "{} {}",
                words.text(Key::IndexHintEntry),
                words.text(Key::IndexHintStub)
            ),
        };
        let view = EntitiesView {
            meta: self.meta(title, description, url_path, kind.plural()),
            kind: kind.singular().to_string(),
            letters_label: words.format(Key::LettersLabel, &[("kind", &label)]),
            hint,
            kind_label: label,
            entities: self.index_entries(ids, &letters, page),
            letters: self.letter_links(&letters, kind),
            total: ids.len(),
            pager,
            map: (kind == Kind::Place && page == 1)
                .then(|| self.overview_map())
                .flatten(),
        };
        self.page_html("entities.html", url_path, &view)
    }

    /// The first letter of each stretch of the A–Z list, with the page it starts on and the
    /// anchor of its first entry there.
    fn letter_links(&self, letters: &[Letter], kind: Kind) -> Vec<PagerLinkLetter> {
        letters
            .iter()
            .map(|l| {
                let page = l.start / self.site.config.per_page + 1;
                PagerLinkLetter {
                    url: format!(
                        "{}#{}",
                        self.urls.link(&path::entity_index(kind, page)),
                        l.anchor
                    ),
                    letter: l.letter.clone(),
                }
            })
            .collect()
    }

    /// The entries of one page of an A–Z index; the first of each letter carries its anchor.
    fn index_entries(&self, ids: &[EntityId], letters: &[Letter], page: usize) -> Vec<IndexEntry> {
        let per_page = self.site.config.per_page;
        let start = (page - 1) * per_page;
        ids.iter()
            .enumerate()
            .skip(start)
            .take(per_page)
            .map(|(i, &id)| IndexEntry {
                link: self.entity_link(id, None),
                anchor: letters
                    .binary_search_by_key(&i, |l| l.start)
                    .ok()
                    .map(|at| letters[at].anchor.clone()),
            })
            .collect()
    }

    pub(super) fn entity(
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
            Some(p) if page == 1 => {
                self.clean(markdown::render(p.body(), &self.targets(Owner::Entity(entity.id))).html)
            }
            _ => String::new(),
        };
        let words = &self.site.words;
        let name = entity.name.as_str();
        let description = match profile.and_then(|p| p.role.as_ref()) {
            Some(role) => words.format(
                Key::EntityDescriptionRole,
                &[("name", name), ("role", role)],
            ),
            None => words.format(Key::EntityDescription, &[("name", name)]),
        };
        let title = if page == 1 {
            entity.name.clone()
        } else {
            self.titled_page(name, page)
        };
        let count = entity.briefings.len();
        let no_profile = match kind {
            Kind::Person => Key::NoProfilePerson,
            Kind::Organisation => Key::NoProfileOrganisation,
            Kind::Place => Key::NoProfilePlace,
            Kind::Tag => Key::NoProfilePlace,
        };
        let named = |key: Key| words.format(key, &[("name", name)]);
        let mut meta = self.meta(title, description, url_path, kind.plural());
        meta.feed_url = Some(self.urls.link(&path::entity_feed(kind, &entity.slug)));
        meta.has_code = profile_html.contains("<pre class=\"hl\"");
        meta.image = self.lead_url(Owner::Entity(entity.id));
        let links = |ids: &[EntityId]| ids.iter().map(|&id| self.entity_link(id, None)).collect();
        let counted = |list: &[(EntityId, u32)]| {
            list.iter()
                .map(|&(id, n)| self.entity_link(id, Some(n as usize)))
                .collect()
        };
        let dates = |id: Option<&BriefingId>| id.map(|&id| words.date(self.site.briefing(id).date));
        let view = EntityView {
            meta,
            entity: EntityDetail {
                name: entity.name.clone(),
                kind: kind.singular().to_string(),
                kind_label: kind_label(words, kind),
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
                count,
                count_label: words.count(Key::BriefingCount, count as u64, &[]),
                named_in: words
                    .text(if kind == Kind::Tag {
                        Key::UsedIn
                    } else {
                        Key::NamedIn
                    })
                    .into_owned(),
                no_profile: named(no_profile),
                wikidata_label: named(Key::OnWikidata),
                with_hint: named(Key::WithHint),
                briefings_heading: named(Key::BriefingsNaming),
                no_briefings: named(Key::NoBriefingsNaming),
                search_label: named(Key::SearchNaming),
                feed_label: named(Key::FeedNaming),
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
                        chart::activity(dates, chart::Subject::Naming(name), words)
                    })
                    .flatten(),
                json_ld: jsonld::entity(
                    &self.urls,
                    entity,
                    self.lead_json(Owner::Entity(entity.id)),
                ),
                search_url: format!(
                    "{}?{}={}",
                    self.urls.link(&path::search()),
                    kind.singular(),
                    entity.slug
                ),
                media: match page {
                    1 => self.entity_media(entity),
                    _ => MediaView::default(),
                },
            },
            briefings: slice.iter().map(|&id| self.card(id)).collect(),
            pager,
        };
        self.page_html("entity.html", url_path, &view)
    }

    /// The archive index (`None`), a year (`Some((y, None))`) or a month's page.
    pub(super) fn archive(
        &self,
        at: Option<(usize, Option<(usize, usize)>)>,
        url_path: &str,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let archive = &self.site.archive;
        let words = &self.site.words;
        let year_view = |y: usize| {
            let year = &archive[y];
            let shown = format!("{:04}", year.year);
            let count = year.count() as u64;
            YearView {
                url: self.urls.link(&path::archive_year(year.year)),
                count: year.count(),
                count_label: words.count(Key::BriefingCount, count, &[]),
                in_year: words.count(Key::BriefingsInYear, count, &[("year", &shown)]),
                year: shown,
                months: year
                    .months
                    .iter()
                    .map(|m| MonthView {
                        name: words.month_heading(year.year, m.month),
                        url: self.urls.link(&path::archive_month(year.year, m.month, 1)),
                        count: m.briefings.len(),
                    })
                    .collect(),
            }
        };
        let (level, heading, years, briefings, pager, up_url) = match at {
            None => (
                "all",
                words.text(Key::Archive).into_owned(),
                (0..archive.len()).map(year_view).collect(),
                Vec::new(),
                None,
                None,
            ),
            Some((y, None)) => {
                let year = format!("{:04}", archive[y].year);
                let heading = words.format(Key::ArchiveYear, &[("year", &year)]);
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
                let month = words.month_heading(year, month);
                let heading = words.format(Key::ArchiveMonth, &[("month", &month)]);
                let up = Some(self.urls.link(&path::archive_year(year)));
                ("month", heading, Vec::new(), cards, Some(pager), up)
            }
        };
        let description = words.format(
            Key::ArchiveDescription,
            &[("heading", &heading), ("site", &self.site.config.title)],
        );
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
                .then(|| {
                    let dates = self.site.briefings.iter().map(|b| b.date);
                    chart::activity(dates, chart::Subject::Archive, words)
                })
                .flatten(),
        };
        self.page_html("archive.html", url_path, &view)
    }

    pub(super) fn free_page(
        &self,
        index: usize,
        url_path: &str,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
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
        self.page_html("page.html", url_path, &view)
    }

    pub(super) fn plain(
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
            browse_html: if template == "404.html" {
                self.browse_html()
            } else {
                String::new()
            },
            noscript_html: if template == "search.html" {
                self.noscript_html()
            } else {
                String::new()
            },
            search: (template == "search.html").then(|| SearchView {
                base: self.urls.link(""),
                index_url: self.urls.link(routes::SEARCH_INDEX),
                names_url: self
                    .urls
                    .link(&routes::url_path(self.site, routes::Route::SearchNames)),
                script_url: self.urls.shared(routes::SEARCH_SCRIPT),
                words: self.script_words(),
            }),
        };
        self.page_html(template, url_path, &view)
    }

    /// Raw HTML in bodies passes through unless the site asks for it to be cleaned.
    pub(super) fn clean(&self, html: String) -> String {
        if self.site.config.sanitize_html {
            sanitize::clean(&html)
        } else {
            html
        }
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

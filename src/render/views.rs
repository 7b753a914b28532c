//! The typed values templates see. Each template gets one struct; its fields are the
//! template's variables (listed in the README). Values are finished: URLs are joined to
//! `base_url` and dates are formatted, so templates never build paths.

use serde::Serialize;

pub use super::chart::ActivityView;
pub use super::languages::Alternate;
pub use super::media::MediaView;

/// `site` — available in every template.
#[derive(Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    /// `rtl` for a language written right to left; `None` (no `dir`) otherwise.
    pub dir: Option<&'static str>,
    /// The theme's words in the page's language, by key (`site.words.latest_briefings`);
    /// words that count or take values come ready-made in each view.
    pub words: std::collections::BTreeMap<&'static str, String>,
    /// Full base URL, ending in `/`.
    pub base_url: String,
    pub home_url: String,
    pub stylesheet_url: String,
    pub highlight_url: String,
    pub feed_url: String,
    pub search_url: String,
    /// The site's icon: its own `static/favicon.svg` (or `.png`, `.ico`), or the default.
    pub favicon_url: String,
    pub favicon_type: String,
    /// The scheme and host as a CSS string (`"https://example.org"`), which print styles
    /// put before internal links' paths.
    pub print_origin: String,
    /// Briefings, People, Organisations, Places, Tags, Archive and each free page.
    pub nav: Vec<NavItem>,
}

#[derive(Serialize)]
pub struct NavItem {
    pub label: String,
    pub url: String,
    /// Matches `meta.section` on the pages of this section, which show it as current
    /// (`aria-current="page"` goes only on the link to the page itself: `url == meta.url`).
    pub section: String,
}

/// `meta` — what the `<head>` needs on every page.
#[derive(Serialize)]
pub struct Meta {
    pub title: String,
    pub description: String,
    pub canonical_url: String,
    /// This page's link, as nav links are written (`/repo/people/`), to tell which one is it.
    pub url: String,
    /// An Atom feed for this page (the archive's, or an entity's).
    pub feed_url: Option<String>,
    /// Which nav item is current: `briefings`, `people`, …, or a page slug.
    pub section: String,
    /// Whether the page shows highlighted code and needs its stylesheet.
    pub has_code: bool,
    /// The absolute URL of the page's lead image, portrait or logo (`og:image`).
    pub image: Option<String>,
    /// This page in each language that has it, itself included (`current`); empty when
    /// it has no translation. For `hreflang` links and the language switcher.
    pub alternates: Vec<Alternate>,
    /// The default language's version, for `hreflang="x-default"`, on a page with translations.
    pub x_default: Option<String>,
}

/// A briefing in a list: home, entity pages, archive, related.
#[derive(Serialize, Clone)]
pub struct BriefingCard {
    pub title: String,
    pub url: String,
    /// For display: `16 May 2025`.
    pub date: String,
    /// For `<time datetime>`: `2025-05-16`.
    pub date_iso: String,
    pub summary: String,
}

/// A link to a person, organisation, place or tag, with how often it counts where it is shown.
#[derive(Serialize, Clone)]
pub struct EntityLink {
    pub name: String,
    pub url: String,
    pub count: usize,
    /// `false` for a stub (no profile).
    pub has_profile: bool,
}

/// Links between the pages of a paginated list.
#[derive(Serialize)]
pub struct Pager {
    pub current: usize,
    pub total: usize,
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
    /// The numbered links to show: the first page, the last, and two either side of the
    /// current; a `gap` item stands for the pages left out between them.
    pub pages: Vec<PagerLink>,
    /// `← Newer` / `Older →` on lists by date, `← Previous` / `Next →` on A–Z lists.
    pub previous_label: String,
    pub next_label: String,
    /// `page 2`, for titles.
    pub page_n: String,
    /// `page 2 of 5`, for headings.
    pub page_of: String,
}

#[derive(Serialize)]
pub struct PagerLink {
    pub number: usize,
    pub url: String,
    /// Stands for pages left out (`number` 0, no `url`); the template prints `…`.
    pub gap: bool,
}

/// `home.html`: `meta`, `briefings`, `pager`.
#[derive(Serialize)]
pub struct HomeView {
    pub meta: Meta,
    pub briefings: Vec<BriefingCard>,
    pub pager: Pager,
}

/// `briefing.html`: `meta`, `briefing`.
#[derive(Serialize)]
pub struct BriefingView {
    pub meta: Meta,
    pub briefing: BriefingDetail,
}

#[derive(Serialize)]
pub struct BriefingDetail {
    pub title: String,
    pub date: String,
    pub date_iso: String,
    pub updated: Option<String>,
    pub updated_iso: Option<String>,
    pub summary: String,
    /// The byline: who wrote it (front matter `authors`), in the order written; may be empty.
    pub authors: Vec<String>,
    /// The byline as HTML, in the page's language (`By <span class="author">…</span>`);
    /// print it with `| safe`. Empty without authors.
    pub byline_html: String,
    /// The body as HTML: print it with `{{ briefing.body | safe }}`.
    pub body: String,
    pub people: Vec<EntityLink>,
    pub organisations: Vec<EntityLink>,
    pub places: Vec<EntityLink>,
    pub tags: Vec<EntityLink>,
    pub sources: Vec<SourceView>,
    pub related: Vec<BriefingCard>,
    /// The next older briefing.
    pub previous: Option<BriefingCard>,
    /// The next newer briefing.
    pub next: Option<BriefingCard>,
    pub archive_url: String,
    /// schema.org `NewsArticle` JSON-LD, safe inside `<script>`: print it with `| safe`.
    pub json_ld: String,
    /// The lead image and the map of its places.
    pub media: MediaView,
}

#[derive(Serialize)]
pub struct SourceView {
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    /// As the page's dates are shown (`16 May 2025`) when it is a date, else as written.
    pub date: Option<String>,
    /// For `<time datetime>`, when `date` is a date.
    pub date_iso: Option<String>,
}

/// `entity.html`: `meta`, `entity`, `briefings` (this page's), `pager`.
#[derive(Serialize)]
pub struct EntityView {
    pub meta: Meta,
    pub entity: EntityDetail,
    pub briefings: Vec<BriefingCard>,
    pub pager: Pager,
}

#[derive(Serialize)]
pub struct EntityDetail {
    pub name: String,
    /// `person`, `organisation`, `place` or `tag`.
    pub kind: String,
    /// `People`, `Organisations`, `Places` or `Tags`.
    pub kind_label: String,
    pub index_url: String,
    pub feed_url: String,
    /// `false` for a stub: a name briefings use that has no profile.
    pub has_profile: bool,
    pub aliases: Vec<String>,
    pub role: Option<String>,
    pub country: Option<String>,
    pub wikidata_url: Option<String>,
    /// The profile body as HTML: print it with `| safe`.
    pub profile: String,
    /// How many briefings name this entity.
    pub count: usize,
    /// The same as words, in the plural form the language gives it: `5 брифінгів`.
    pub count_label: String,
    /// `Named in` (`Used in` for a tag).
    pub named_in: String,
    /// For a stub: that it has no profile yet.
    pub no_profile: String,
    /// `Volodymyr Zelensky on Wikidata`.
    pub wikidata_label: String,
    /// `Numbers count the briefings shared with …`.
    pub with_hint: String,
    /// `Briefings naming …`.
    pub briefings_heading: String,
    /// `No briefings name … yet.`
    pub no_briefings: String,
    /// `Search the briefings naming …`.
    pub search_label: String,
    /// `Atom feed of briefings naming …`.
    pub feed_label: String,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub affiliations: Vec<EntityLink>,
    pub members: Vec<EntityLink>,
    pub appears_with_people: Vec<EntityLink>,
    pub appears_with_organisations: Vec<EntityLink>,
    pub appears_with_places: Vec<EntityLink>,
    /// Briefings naming this entity per month, on page 1 (none for an entity never named).
    pub activity: Option<ActivityView>,
    /// schema.org `Person`/`Organization`/`Place` JSON-LD (none for tags): print with `| safe`.
    pub json_ld: Option<String>,
    /// The search page, filtered to briefings naming this entity.
    pub search_url: String,
    /// A portrait or logo, and a place's map (on page 1).
    pub media: MediaView,
}

/// `entities.html`: `meta`, `kind_label`, `kind`, `entities` (this page's, A–Z), `letters`, `pager`.
#[derive(Serialize)]
pub struct EntitiesView {
    pub meta: Meta,
    pub kind: String,
    pub kind_label: String,
    pub entities: Vec<IndexEntry>,
    /// First letters A–Z with the URL of the page where each begins and the anchor of its
    /// first entry (`…/people/page/3/#letter-m`).
    pub letters: Vec<PagerLinkLetter>,
    pub total: usize,
    pub pager: Pager,
    /// On the first page of the places index: a map of every place with coordinates.
    pub map: Option<String>,
    /// `People by first letter`.
    pub letters_label: String,
    /// The note under the list: what the numbers count.
    pub hint: String,
}

/// One line of an A–Z index: an entity link (`name`, `url`, `count`, `has_profile`) and,
/// on the first entry of each letter, the `anchor` the letter links to.
#[derive(Serialize)]
pub struct IndexEntry {
    #[serde(flatten)]
    pub link: EntityLink,
    pub anchor: Option<String>,
}

#[derive(Serialize)]
pub struct PagerLinkLetter {
    pub letter: String,
    pub url: String,
}

/// `archive.html`: `meta`, `level` (`all`, `year` or `month`), `heading`, `years`,
/// `briefings` (a month's, on month pages), `pager`, `up_url`.
#[derive(Serialize)]
pub struct ArchiveView {
    pub meta: Meta,
    pub level: String,
    pub heading: String,
    pub years: Vec<YearView>,
    pub briefings: Vec<BriefingCard>,
    pub pager: Option<Pager>,
    pub up_url: Option<String>,
    /// Briefings per month over the whole archive, on the `all` level only.
    pub activity: Option<ActivityView>,
}

#[derive(Serialize)]
pub struct YearView {
    pub year: String,
    pub url: String,
    pub count: usize,
    /// `3 briefings`.
    pub count_label: String,
    /// `3 briefings in 2025.`
    pub in_year: String,
    pub months: Vec<MonthView>,
}

#[derive(Serialize)]
pub struct MonthView {
    /// `May 2025`.
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// `page.html`: `meta`, `page`.
#[derive(Serialize)]
pub struct PageView {
    pub meta: Meta,
    pub page: PageDetail,
}

#[derive(Serialize)]
pub struct PageDetail {
    pub title: String,
    pub summary: String,
    /// HTML: print it with `| safe`.
    pub body: String,
}

/// `search.html` and `404.html`: `meta`, plus the index URLs a reader can browse instead.
#[derive(Serialize)]
pub struct PlainView {
    pub meta: Meta,
    pub people_url: String,
    pub organisations_url: String,
    pub places_url: String,
    pub tags_url: String,
    pub archive_url: String,
    /// On the 404 page: the sentence of index links, as HTML (`| safe`).
    pub browse_html: String,
    /// On the search page: what a reader without JavaScript can do, as HTML (`| safe`).
    pub noscript_html: String,
    /// On the search page only: where the index and its script are.
    pub search: Option<SearchView>,
}

/// What `search.html` gives `static/search.js`.
#[derive(Serialize)]
pub struct SearchView {
    /// The site's base path (`/repo/`), which the links in the index are relative to.
    pub base: String,
    /// The index's folder (`/repo/search/`).
    pub index_url: String,
    /// The list of every name and alias, where the form goes without JavaScript.
    pub names_url: String,
    pub script_url: String,
    /// The script's words in the page's language, as JSON (`data-words`); `None` in
    /// English, which the script speaks by itself.
    pub words: Option<String>,
}

//! One file's text → its `…Source` struct. Dates become dates and slugs are checked here,
//! at the edge, so no later stage sees a date as a string or a slug that could leave a folder.
//! Each key is checked on its own and every problem of the file is returned together; a
//! file with problems comes back as `Unreadable`, which keeps what later stages need to
//! know about it (its slug, its names) so they report nothing false about it.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Kind;
use super::bundle::{self, Media};
use super::front_matter::{self, Fields, Hints, Split};
use super::position::{Keys, Spanned};
pub use super::values::{MAX_NAMES, MAX_SLUG, file_language, is_safe_url, parse_date};
use super::values::{
    checked_date, checked_slug, checked_wikidata, cited_sources, file_slug, listed_names, non_empty,
};
use crate::diagnostics::Diagnostic;

/// A briefing as the editor wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BriefingSource {
    /// Relative to the site root, for messages.
    pub path: PathBuf,
    pub slug: String,
    pub title: String,
    pub date: Date,
    /// The moment of publication: the RFC 3339 `date`, or midnight UTC of a plain date.
    pub published: Timestamp,
    pub updated: Option<Timestamp>,
    pub summary: String,
    /// Names as written, in the order written, each with its position, one list per kind
    /// (people, organisations, places, tags).
    pub names: [Vec<Spanned<String>>; 4],
    /// Who wrote it, as the byline names them.
    pub authors: Vec<String>,
    pub sources: Vec<CitedSource>,
    pub draft: bool,
    /// Whether body mentions of known names become links (front matter `autolink: false` turns it off).
    pub autolink: bool,
    /// Its bundle's files and its lead image.
    #[serde(default)]
    pub media: Media,
    /// Where each front-matter key and its value were written.
    pub keys: Keys,
    /// The whole file, so later stages can show a line of it under a message.
    pub text: String,
    /// Byte offset of the body in `text`.
    pub body_start: usize,
    /// File line on which the body starts.
    pub body_line: usize,
    /// The language code of a translation (`talks.uk.md`); `None` in the default language.
    #[serde(default)]
    pub language: Option<String>,
    /// Whether the slug was written as `slug:` rather than taken from the file name.
    #[serde(default)]
    pub own_slug: bool,
}

impl BriefingSource {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// One entry of a briefing's `sources`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedSource {
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
}

/// A profile of a person, organisation or place as the editor wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileSource {
    pub kind: Kind,
    pub path: PathBuf,
    /// From the file name.
    pub slug: String,
    pub name: Spanned<String>,
    pub aliases: Vec<Spanned<String>>,
    pub role: Option<String>,
    pub country: Option<String>,
    pub affiliations: Vec<Spanned<String>>,
    pub wikidata: Option<String>,
    /// Its bundle's files, its portrait or logo, a place's coordinates.
    #[serde(default)]
    pub media: Media,
    pub keys: Keys,
    pub text: String,
    pub body_start: usize,
    pub body_line: usize,
    /// The entity's name in other languages (`names: { uk: Володимир Зеленський }`), by code.
    #[serde(default)]
    pub names: Vec<(String, Spanned<String>)>,
    /// The language code of a translated profile (`people/x.uk.md`).
    #[serde(default)]
    pub language: Option<String>,
}

impl ProfileSource {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// A free page (`content/pages/<slug>.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageSource {
    pub path: PathBuf,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub keys: Keys,
    pub text: String,
    pub body_start: usize,
    pub body_line: usize,
    /// The language code of a translated page (`pages/about.uk.md`).
    #[serde(default)]
    pub language: Option<String>,
}

impl PageSource {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// What a content file was meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    Briefing,
    Profile(Kind),
    Page,
}

/// A content file with errors: left out of the archive for this run, but known, so that
/// a `[[link]]` or a name that points at it is not reported as missing as well (#11).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unreadable {
    pub path: PathBuf,
    pub kind: FileKind,
    /// The slug it would have: its `slug:` if that could be read, else from the file name.
    pub slug: Option<String>,
    /// A profile's `name` and `aliases`, as far as they could be read.
    pub names: Vec<String>,
    pub text: String,
    /// Where the body starts (the end of `text` when the front matter has no end).
    pub body_start: usize,
    pub body_line: usize,
}

impl Unreadable {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// Why a file could not be read: every problem in it, and what is known about it.
#[derive(Debug, Clone)]
pub struct Failed {
    pub problems: Vec<Diagnostic>,
    pub unreadable: Box<Unreadable>,
}

pub const BRIEFING_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "summary",
    "people",
    "organisations",
    "places",
    "tags",
    "authors",
    "sources",
    "draft",
    "slug",
    "autolink",
    "image",
];

/// What Hugo and Jekyll call what sitroom calls otherwise (#11).
const BRIEFING_HINTS: Hints = &[
    ("description", "sitroom calls it `summary`"),
    ("categories", "sitroom calls them `tags`"),
    ("keywords", "sitroom calls them `tags`"),
    (
        "author",
        "sitroom calls it `authors`, a list: `authors: [Olena Kovalenko]`",
    ),
    (
        "aliases",
        "a briefing's address comes from its file name or `slug`; `aliases` are the other names of a person, organisation or place, written in its profile",
    ),
    (
        "images",
        "sitroom calls it `image`, one lead image: `image:` with `src:`, `alt:`, `caption:` and `credit:` below it",
    ),
    ("lastmod", "sitroom calls it `updated`"),
    ("publishDate", "sitroom calls it `date`"),
    (
        "permalink",
        "sitroom calls it `slug`: the last part of the address, like `slug: istanbul-talks`",
    ),
    (
        "url",
        "sitroom calls it `slug`: the last part of the address, like `slug: istanbul-talks`",
    ),
    (
        "layout",
        "sitroom picks the template by the kind of file; briefings use `templates/briefing.html`",
    ),
];

/// Reads a briefing; `Err` lists every problem in it.
pub fn briefing(text: String, path: PathBuf) -> Result<BriefingSource, Vec<Diagnostic>> {
    read_briefing(text, path).map_err(|failed| failed.problems)
}

/// Reads a briefing; a briefing with problems comes back with what is known of it.
pub fn read_briefing(text: String, path: PathBuf) -> Result<BriefingSource, Failed> {
    let split = match front_matter::split(&text, &path) {
        Ok(split) => split,
        Err(d) => return Err(unsplit(FileKind::Briefing, &path, text, d)),
    };
    let mut fields = fields(&split, &path, &text, BRIEFING_KEYS, BRIEFING_HINTS);
    let title = fields.required_text("title", "Talks resume in Istanbul");
    let date = fields
        .required_text("date", "2025-05-16")
        .and_then(|date| checked_date(&mut fields, "date", &date));
    let updated = fields
        .text("updated")
        .and_then(|u| checked_date(&mut fields, "updated", &u))
        .map(|(_, stamp)| stamp);
    let summary = fields.text("summary").map(|s| s.value).unwrap_or_default();
    let names = Kind::ALL.map(|kind| listed_names(&mut fields, kind.plural()));
    let authors = listed_names(&mut fields, "authors");
    let sources = fields
        .node("sources")
        .map(|node| cited_sources(&mut fields, node))
        .unwrap_or_default();
    let draft = fields.flag("draft").unwrap_or(false);
    let autolink = fields.flag("autolink").unwrap_or(true);
    let media = Media {
        image: bundle::lead_image(&mut fields, "image"),
        ..Media::default()
    };
    let slug_field = fields.text("slug");
    let own_slug = slug_field.is_some();
    let slug = checked_slug(&mut fields, slug_field.as_ref(), &path);
    let keys = fields.keys();
    let problems = fields.finish();
    let body_start = text.len() - split.body.len();
    let body_line = split.body_line;
    match (title, date, slug) {
        (Some(title), Some((date, published)), Some(slug)) if problems.is_empty() => {
            Ok(BriefingSource {
                slug,
                title: title.trim().to_string(),
                date,
                published,
                updated,
                summary: summary.trim().to_string(),
                names,
                authors: authors.into_iter().map(|a| a.value).collect(),
                sources,
                draft,
                autolink,
                media,
                keys,
                text,
                body_start,
                body_line,
                language: file_language(&path),
                own_slug,
                path,
            })
        }
        (_, _, slug) => Err(Failed {
            problems,
            unreadable: Box::new(Unreadable {
                slug: slug.or_else(|| file_slug(&path)),
                path,
                kind: FileKind::Briefing,
                names: Vec::new(),
                text,
                body_start,
                body_line,
            }),
        }),
    }
}

pub const PROFILE_KEYS: &[&str] = &[
    "name",
    "aliases",
    "role",
    "country",
    "affiliations",
    "wikidata",
    "image",
    "coordinates",
    "names",
];

const PROFILE_HINTS: Hints = &[
    ("title", "a profile's name goes in `name`"),
    (
        "description",
        "write about them below the closing `---`, in Markdown",
    ),
    (
        "summary",
        "write about them below the closing `---`, in Markdown",
    ),
];

/// Reads a profile; `Err` lists every problem in it.
pub fn profile(kind: Kind, text: String, path: PathBuf) -> Result<ProfileSource, Vec<Diagnostic>> {
    read_profile(kind, text, path).map_err(|failed| failed.problems)
}

/// Reads a profile; a profile with problems comes back with the names it could be read to have.
pub fn read_profile(kind: Kind, text: String, path: PathBuf) -> Result<ProfileSource, Failed> {
    let split = match front_matter::split(&text, &path) {
        Ok(split) => split,
        Err(d) => return Err(unsplit(FileKind::Profile(kind), &path, text, d)),
    };
    let mut fields = fields(&split, &path, &text, PROFILE_KEYS, PROFILE_HINTS);
    let name = fields
        .required_text("name", "Volodymyr Zelensky")
        .filter(|name| {
            let empty = name.trim().is_empty();
            if empty {
                fields.problem(name.at, "the name is empty", "write the name readers know");
            }
            !empty
        });
    let aliases = listed_names(&mut fields, "aliases");
    let role = fields.text("role").and_then(|r| non_empty(r.value));
    let country = fields.text("country").and_then(|c| non_empty(c.value));
    let affiliations_at = fields.keys().key("affiliations");
    let affiliations = listed_names(&mut fields, "affiliations");
    if let Some(at) = affiliations_at
        && kind != Kind::Person
        && !affiliations.is_empty()
    {
        fields.problem(
            at,
            "only people have `affiliations`",
            "list an organisation's people in their own profiles",
        );
    }
    let wikidata = fields
        .text("wikidata")
        .and_then(|w| checked_wikidata(&mut fields, &w));
    let media = profile_media(&mut fields, kind);
    let names = fields
        .node("names")
        .map(|node| language_names(&mut fields, node))
        .unwrap_or_default();
    let slug = checked_slug(&mut fields, None, &path);
    let keys = fields.keys();
    let problems = fields.finish();
    let body_start = text.len() - split.body.len();
    let body_line = split.body_line;
    match (name, slug) {
        (Some(name), Some(slug)) if problems.is_empty() => Ok(ProfileSource {
            kind,
            language: file_language(&path),
            names,
            path,
            slug,
            name: Spanned::new(name.trim().to_string(), name.at),
            aliases,
            role,
            country,
            affiliations,
            wikidata,
            media,
            keys,
            text,
            body_start,
            body_line,
        }),
        (name, slug) => Err(Failed {
            problems,
            unreadable: Box::new(Unreadable {
                slug: slug.or_else(|| file_slug(&path)),
                path,
                kind: FileKind::Profile(kind),
                names: name.into_iter().chain(aliases).map(|n| n.value).collect(),
                text,
                body_start,
                body_line,
            }),
        }),
    }
}

/// A profile's `names:`: language code → the name in that language. The codes are
/// checked against `languages:` where the site is resolved.
fn language_names(
    fields: &mut Fields<'_>,
    node: front_matter::Node,
) -> Vec<(String, Spanned<String>)> {
    let front_matter::Value::Map(entries) = node.value else {
        fields.problem(
            node.at,
            format!("`names` is {}, not names by language", node.describe()),
            "write it like `names: { uk: Володимир Зеленський }`",
        );
        return Vec::new();
    };
    let mut names = Vec::new();
    for entry in entries {
        let code = entry.key.value.clone();
        match entry
            .value
            .text()
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        {
            Some(name) if !name.is_empty() => {
                names.push((code, Spanned::new(name, entry.value.at)));
            }
            _ => fields.problem(
                entry.value.at,
                format!("the `{code}` name is {}", entry.value.describe()),
                format!("write the name readers of `{code}` know: `{code}: …`"),
            ),
        }
    }
    names
}

pub const PAGE_KEYS: &[&str] = &["title", "summary", "slug"];

const PAGE_HINTS: Hints = &[
    ("description", "sitroom calls it `summary`"),
    (
        "permalink",
        "sitroom calls it `slug`: the page's address, like `slug: methodology`",
    ),
    (
        "url",
        "sitroom calls it `slug`: the page's address, like `slug: methodology`",
    ),
    ("layout", "free pages use `templates/page.html`"),
];

/// Reads a free page; `Err` lists every problem in it.
pub fn page(text: String, path: PathBuf) -> Result<PageSource, Vec<Diagnostic>> {
    read_page(text, path).map_err(|failed| failed.problems)
}

pub fn read_page(text: String, path: PathBuf) -> Result<PageSource, Failed> {
    let split = match front_matter::split(&text, &path) {
        Ok(split) => split,
        Err(d) => return Err(unsplit(FileKind::Page, &path, text, d)),
    };
    let mut fields = fields(&split, &path, &text, PAGE_KEYS, PAGE_HINTS);
    let title = fields.required_text("title", "Methodology");
    let summary = fields.text("summary").map(|s| s.value).unwrap_or_default();
    let slug_field = fields.text("slug");
    let slug = checked_slug(&mut fields, slug_field.as_ref(), &path);
    let keys = fields.keys();
    let problems = fields.finish();
    let body_start = text.len() - split.body.len();
    let body_line = split.body_line;
    match (title, slug) {
        (Some(title), Some(slug)) if problems.is_empty() => Ok(PageSource {
            language: file_language(&path),
            path,
            slug,
            title: title.trim().to_string(),
            summary: summary.trim().to_string(),
            keys,
            text,
            body_start,
            body_line,
        }),
        (_, slug) => Err(Failed {
            problems,
            unreadable: Box::new(Unreadable {
                slug: slug.or_else(|| file_slug(&path)),
                path,
                kind: FileKind::Page,
                names: Vec::new(),
                text,
                body_start,
                body_line,
            }),
        }),
    }
}

/// A profile's `image` (a portrait, a logo) and a place's `coordinates`.
fn profile_media(fields: &mut Fields<'_>, kind: Kind) -> Media {
    let image = bundle::lead_image(fields, "image");
    let coordinates_at = fields.keys().key("coordinates");
    let coordinates = bundle::coordinates(fields);
    if let Some(at) = coordinates_at
        && kind != Kind::Place
        && coordinates.is_some()
    {
        fields.problem(
            at,
            "only places have `coordinates`",
            "put the coordinates in the profile of the place",
        );
    }
    Media {
        bundle: None,
        image,
        coordinates: coordinates.filter(|_| kind == Kind::Place),
    }
}

fn fields<'a>(
    split: &Split<'_>,
    path: &'a Path,
    text: &'a str,
    known: &[&str],
    hints: Hints,
) -> Fields<'a> {
    Fields::read(split.yaml, split.yaml_offset + 1, path, text, known, hints)
}

/// A file that has no front matter to read: all that is known is its name.
fn unsplit(kind: FileKind, path: &Path, text: String, problem: Diagnostic) -> Failed {
    Failed {
        problems: vec![problem],
        unreadable: Box::new(Unreadable {
            path: path.to_path_buf(),
            kind,
            slug: file_slug(path),
            names: Vec::new(),
            body_start: text.len(),
            body_line: text.lines().count() + 1,
            text,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Position;

    fn parse(text: &str) -> Result<BriefingSource, Vec<Diagnostic>> {
        briefing(text.to_string(), PathBuf::from("content/briefings/a.md"))
    }

    fn at(d: &Diagnostic) -> (usize, usize) {
        (d.line, d.column)
    }

    #[test]
    fn parses_a_briefing() {
        let b = parse(
            "---\ntitle: T\ndate: 2025-05-16\npeople: Putin\ntags: [a, b]\nauthors: [Olena K]\n---\nHello\n",
        )
        .unwrap();
        assert_eq!(b.slug, "a");
        assert_eq!(b.date, Date::constant(2025, 5, 16));
        assert_eq!(b.names[0][0].value, "Putin");
        assert_eq!(b.names[0][0].at, Position::new(4, 9));
        assert_eq!(b.names[3][1].at, Position::new(5, 11));
        assert_eq!(b.authors, ["Olena K"]);
        assert_eq!(b.keys.value("date"), Some(Position::new(3, 7)));
        assert_eq!(b.body(), "Hello\n");
        assert_eq!(b.body_line, 8);
    }

    #[test]
    fn rfc3339_dates_keep_the_written_day() {
        let (date, _) = parse_date("2025-05-16T23:30:00-05:00").unwrap();
        assert_eq!(date, Date::constant(2025, 5, 16));
        assert!(parse_date("yesterday").is_none());
        assert!(parse_date("2025-02-30").is_none());
    }

    #[test]
    fn unknown_keys_are_all_reported_with_lines() {
        let errors =
            parse("---\ntitle: T\ndate: 2025-05-16\norganizations: [NATO]\nplace: [Kyiv]\n---\n")
                .unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            (errors[0].line, errors[0].message.as_str()),
            (4, "unknown key `organizations`")
        );
        assert_eq!(
            errors[0].help.as_deref(),
            Some("did you mean `organisations`?")
        );
        assert_eq!(errors[1].line, 5);
    }

    #[test]
    fn issue_11_an_unknown_key_does_not_hide_a_bad_date() {
        let errors =
            parse("---\ntitle: T\ndate: 2025-13-01\norganizations: [NATO]\n---\n").unwrap_err();
        let found: Vec<_> = errors.iter().map(at).collect();
        assert_eq!(found, [(4, 1), (3, 7)], "{errors:?}");
        assert!(errors[1].message.contains("2025-13-01"));
    }

    #[test]
    fn issue_11_hugo_keys_say_what_sitroom_calls_them() {
        let errors = parse(
            "---\ntitle: T\ndate: 2025-05-16\ndescription: x\ncategories: [a]\nauthor: Me\n---\n",
        )
        .unwrap_err();
        let helps: Vec<_> = errors.iter().filter_map(|e| e.help.as_deref()).collect();
        assert_eq!(helps[0], "sitroom calls it `summary`");
        assert_eq!(helps[1], "sitroom calls them `tags`");
        assert!(helps[2].contains("`authors`"));
    }

    #[test]
    fn a_broken_briefing_keeps_its_slug() {
        let failed = read_briefing(
            "---\ntitle: T\ndate: 2025-05-16\nslug: kept\norganizations: x\n---\n".into(),
            PathBuf::from("content/briefings/a.md"),
        )
        .unwrap_err();
        assert_eq!(failed.unreadable.slug.as_deref(), Some("kept"));
        let failed = read_briefing(
            "no front matter".into(),
            PathBuf::from("content/briefings/b.md"),
        )
        .unwrap_err();
        assert_eq!(failed.unreadable.slug.as_deref(), Some("b"));
    }

    #[test]
    fn a_bad_date_points_at_its_value() {
        let errors = parse("---\ntitle: T\ndate: yesterday\n---\n").unwrap_err();
        assert_eq!(at(&errors[0]), (3, 7));
        assert!(errors[0].message.contains("yesterday"));
    }

    #[test]
    fn missing_and_mistyped_values_are_reported_together() {
        let errors = parse("---\ndraft: perhaps\npeople: {a: b}\n---\n").unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the front matter has no `title`",
                "the front matter has no `date`",
                "`people` is a set of `key: value` pairs, not a list of names",
                "`draft` is `perhaps`, not `true` or `false`",
            ]
        );
    }

    #[test]
    fn path_slugs_and_script_urls_are_refused() {
        let errors =
            parse("---\ntitle: T\ndate: 2025-05-16\nslug: ../../etc/passwd\n---\n").unwrap_err();
        assert!(errors[0].message.contains("slug"));
        assert_eq!(at(&errors[0]), (4, 7));
        let errors = parse(
            "---\ntitle: T\ndate: 2025-05-16\nsources:\n  - title: x\n    url: javascript:alert(1)\n---\n",
        )
        .unwrap_err();
        assert!(errors[0].message.contains("javascript:"));
        assert_eq!(at(&errors[0]), (6, 10));
    }

    #[test]
    fn issue_16_a_name_too_long_for_a_folder_is_refused_early() {
        let long = "a".repeat(10_000);
        let errors = parse(&format!(
            "---\ntitle: T\ndate: 2025-05-16\ntags: [{long}]\n---\n"
        ))
        .unwrap_err();
        assert!(errors[0].message.contains("too long"), "{errors:?}");
        assert!(errors[0].message.len() < 200);
        assert_eq!(at(&errors[0]), (4, 8));
    }
}

//! One file's text → its `…Source` struct. Dates become dates and slugs are checked here,
//! at the edge, so no later stage sees a date as a string or a slug that could leave a folder.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;

use super::Kind;
use super::front_matter::{self, Split, one_or_many};
use crate::diagnostics::Diagnostic;
use crate::slug;

/// A briefing as the editor wrote it.
#[derive(Debug, Clone)]
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
    /// Names as written, in the order written, one list per kind (people, organisations, places, tags).
    pub names: [Vec<String>; 4],
    pub sources: Vec<CitedSource>,
    pub draft: bool,
    /// Whether body mentions of known names become links (front matter `autolink: false` turns it off).
    pub autolink: bool,
    /// The whole file, so later stages can point at a line in it.
    pub text: String,
    /// Byte offset of the body in `text`.
    pub body_start: usize,
    /// File line on which the body starts.
    pub body_line: usize,
}

impl BriefingSource {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// One entry of a briefing's `sources`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CitedSource {
    pub title: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "optional_text")]
    pub date: Option<String>,
}

/// A profile of a person, organisation or place as the editor wrote it.
#[derive(Debug, Clone)]
pub struct ProfileSource {
    pub kind: Kind,
    pub path: PathBuf,
    /// From the file name.
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub role: Option<String>,
    pub country: Option<String>,
    pub affiliations: Vec<String>,
    pub wikidata: Option<String>,
    pub text: String,
    pub body_start: usize,
    pub body_line: usize,
}

impl ProfileSource {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// A free page (`content/pages/<slug>.md`).
#[derive(Debug, Clone)]
pub struct PageSource {
    pub path: PathBuf,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub text: String,
    pub body_start: usize,
    pub body_line: usize,
}

impl PageSource {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
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
    "sources",
    "draft",
    "slug",
    "autolink",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BriefingFront {
    title: String,
    #[serde(deserialize_with = "text")]
    date: String,
    #[serde(default, deserialize_with = "optional_text")]
    updated: Option<String>,
    #[serde(default)]
    summary: String,
    #[serde(default, deserialize_with = "one_or_many")]
    people: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    organisations: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    places: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    tags: Vec<String>,
    #[serde(default)]
    sources: Vec<CitedSource>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default = "yes")]
    autolink: bool,
}

fn yes() -> bool {
    true
}

/// Reads a scalar as text whatever YAML typed it as, so `date: 2025-05-16` and a quoted date agree.
fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let value = serde_yaml::Value::deserialize(d)?;
    scalar_text(&value).ok_or_else(|| serde::de::Error::custom("expected a date like `2025-05-16`"))
}

fn optional_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = serde_yaml::Value::deserialize(d)?;
    if value.is_null() {
        return Ok(None);
    }
    scalar_text(&value)
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom("expected a date like `2025-05-16`"))
}

fn scalar_text(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn briefing(text: String, path: PathBuf) -> Result<BriefingSource, Vec<Diagnostic>> {
    let split = front_matter::split(&text, &path).map_err(|d| vec![d])?;
    let front: BriefingFront =
        front_matter::parse_yaml(split.yaml, split.yaml_offset, &path, BRIEFING_KEYS)
            .map_err(|ds| with_source_lines(ds, &text))?;
    let BriefingFront {
        title,
        date,
        updated,
        summary,
        people,
        organisations,
        places,
        tags,
        sources,
        draft,
        slug: slug_field,
        autolink,
    } = front;
    let mut problems = Vec::new();
    let at_key = |key: &str, d: Diagnostic| locate_key(d, &text, &split, key);

    let (date, published) = match parse_date(&date) {
        Some(parsed) => parsed,
        None => {
            problems.push(at_key("date", bad_date("date", &date, &path)));
            (Date::constant(1970, 1, 1), Timestamp::UNIX_EPOCH)
        }
    };
    let updated = updated.and_then(|u| match parse_date(&u) {
        Some((_, stamp)) => Some(stamp),
        None => {
            problems.push(at_key("updated", bad_date("updated", &u, &path)));
            None
        }
    });
    if title.trim().is_empty() {
        problems.push(at_key(
            "title",
            Diagnostic::error(&path, "the title is empty").with_help("give the briefing a title"),
        ));
    }
    for source in &sources {
        if let Some(url) = &source.url
            && !is_safe_url(url)
        {
            problems.push(at_key(
                    "sources",
                    Diagnostic::error(&path, format!("source URL `{url}` is not an http(s) link"))
                        .with_help("link sources with `https://…` addresses; `javascript:` and `data:` URLs are refused"),
                ));
        }
    }
    for (key, names) in [
        ("people", &people),
        ("organisations", &organisations),
        ("places", &places),
        ("tags", &tags),
    ] {
        if let Some(d) = too_many_names(key, names, &path) {
            problems.push(at_key(key, d));
        }
    }
    let slug = match checked_slug(slug_field.as_deref(), &path) {
        Ok(slug) => slug,
        Err(d) => {
            problems.push(at_key("slug", d));
            String::new()
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let body_start = text.len() - split.body.len();
    let body_line = split.body_line;
    Ok(BriefingSource {
        path,
        slug,
        title: title.trim().to_string(),
        date,
        published,
        updated,
        summary: summary.trim().to_string(),
        names: [people, organisations, places, tags].map(clean_names),
        sources,
        draft,
        autolink,
        text,
        body_start,
        body_line,
    })
}

pub const PROFILE_KEYS: &[&str] = &[
    "name",
    "aliases",
    "role",
    "country",
    "affiliations",
    "wikidata",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFront {
    name: String,
    #[serde(default, deserialize_with = "one_or_many")]
    aliases: Vec<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    affiliations: Vec<String>,
    #[serde(default)]
    wikidata: Option<String>,
}

pub fn profile(kind: Kind, text: String, path: PathBuf) -> Result<ProfileSource, Vec<Diagnostic>> {
    let split = front_matter::split(&text, &path).map_err(|d| vec![d])?;
    let front: ProfileFront =
        front_matter::parse_yaml(split.yaml, split.yaml_offset, &path, PROFILE_KEYS)
            .map_err(|ds| with_source_lines(ds, &text))?;
    let ProfileFront {
        name,
        aliases,
        role,
        country,
        affiliations,
        wikidata,
    } = front;
    let mut problems = Vec::new();
    if name.trim().is_empty() {
        problems.push(locate_key(
            Diagnostic::error(&path, "the name is empty").with_help("write the name readers know"),
            &text,
            &split,
            "name",
        ));
    }
    if kind != Kind::Person && !affiliations.is_empty() {
        problems.push(locate_key(
            Diagnostic::error(&path, "only people have `affiliations`")
                .with_help("list an organisation's people in their own profiles"),
            &text,
            &split,
            "affiliations",
        ));
    }
    let wikidata = wikidata
        .map(|w| w.trim().to_string())
        .filter(|w| !w.is_empty());
    if let Some(id) = &wikidata {
        let digits = id.strip_prefix('Q').unwrap_or("");
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            problems.push(locate_key(
                Diagnostic::error(&path, format!("`{id}` is not a Wikidata id"))
                    .with_help("write the item id, like `wikidata: Q3874799`"),
                &text,
                &split,
                "wikidata",
            ));
        }
    }
    for (key, names) in [("aliases", &aliases), ("affiliations", &affiliations)] {
        if let Some(d) = too_many_names(key, names, &path) {
            problems.push(locate_key(d, &text, &split, key));
        }
    }
    let slug = checked_slug(None, &path).map_err(|d| vec![d])?;
    if !problems.is_empty() {
        return Err(problems);
    }
    let body_start = text.len() - split.body.len();
    let body_line = split.body_line;
    Ok(ProfileSource {
        kind,
        path,
        slug,
        name: name.trim().to_string(),
        aliases: clean_names(aliases),
        role: non_empty(role),
        country: non_empty(country),
        affiliations: clean_names(affiliations),
        wikidata,
        text,
        body_start,
        body_line,
    })
}

pub const PAGE_KEYS: &[&str] = &["title", "summary", "slug"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFront {
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    slug: Option<String>,
}

pub fn page(text: String, path: PathBuf) -> Result<PageSource, Vec<Diagnostic>> {
    let split = front_matter::split(&text, &path).map_err(|d| vec![d])?;
    let front: PageFront =
        front_matter::parse_yaml(split.yaml, split.yaml_offset, &path, PAGE_KEYS)
            .map_err(|ds| with_source_lines(ds, &text))?;
    let PageFront {
        title,
        summary,
        slug,
    } = front;
    let slug = checked_slug(slug.as_deref(), &path)
        .map_err(|d| vec![locate_key(d, &text, &split, "slug")])?;
    let body_start = text.len() - split.body.len();
    let body_line = split.body_line;
    Ok(PageSource {
        path,
        slug,
        title: title.trim().to_string(),
        summary: summary.trim().to_string(),
        text,
        body_start,
        body_line,
    })
}

/// The most names one front-matter list may hold. Far above any real briefing, and low
/// enough that a pasted or generated list of 100,000 names is refused at once instead of
/// making 100,000 stub pages (issue 6).
pub const MAX_NAMES: usize = 1_000;

fn too_many_names(key: &str, names: &[String], path: &Path) -> Option<Diagnostic> {
    (names.len() > MAX_NAMES).then(|| {
        Diagnostic::error(
            path,
            format!(
                "`{key}` lists {} names; at most {MAX_NAMES} are allowed",
                names.len()
            ),
        )
        .with_help("name only who and what the text is about; tags can group the rest")
    })
}

/// Parses `YYYY-MM-DD` or an RFC 3339 timestamp into the day and the moment.
pub fn parse_date(text: &str) -> Option<(Date, Timestamp)> {
    let text = text.trim();
    if let Ok(date) = text.parse::<Date>()
        && text.len() == 10
    {
        let stamp = date
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp();
        return Some((date, stamp));
    }
    let stamp: Timestamp = text.parse().ok()?;
    // The day as the editor wrote it, not as it falls in UTC.
    let date: Date = text.get(..10)?.parse().ok()?;
    Some((date, stamp))
}

fn bad_date(key: &str, value: &str, path: &Path) -> Diagnostic {
    Diagnostic::error(path, format!("`{key}` is `{value}`, which is not a date"))
        .with_help(format!(
            "write the date as YYYY-MM-DD, like `{key}: 2025-05-16`, or as RFC 3339, like `2025-05-16T09:30:00Z`"
        ))
}

/// Only web links may be cited: a `javascript:` or `data:` URL would run in a reader's browser.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// The slug from front matter or, without one, from the file name; either must be URL- and
/// path-safe, so `slug: ../../etc/passwd` is an error rather than a path.
fn checked_slug(written: Option<&str>, path: &Path) -> Result<String, Diagnostic> {
    match written {
        Some(slug) if slug::is_valid(slug) => Ok(slug.to_string()),
        Some(slug) => Err(Diagnostic::error(
            path,
            format!("slug `{slug}` may only hold lowercase letters, digits and hyphens"),
        )
        .with_help(format!("write `slug: {}`", slug::slugify(slug)))),
        None => {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let slug = slug::slugify(stem);
            if slug.is_empty() {
                Err(
                    Diagnostic::error(path, "the file name gives no usable slug").with_help(
                        "rename the file with letters or digits, like `istanbul-talks.md`",
                    ),
                )
            } else {
                Ok(slug)
            }
        }
    }
}

fn locate_key(d: Diagnostic, text: &str, split: &Split<'_>, key: &str) -> Diagnostic {
    match front_matter::key_line(split.yaml, key) {
        Some(line) => d.at_line_of(text, line + split.yaml_offset, 1),
        None => d.at(1, 0),
    }
}

/// Fills in the source line of diagnostics that a YAML error located.
fn with_source_lines(diagnostics: Vec<Diagnostic>, text: &str) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .map(|d| {
            if d.line > 0 && d.source_line.is_none() {
                let (line, column) = (d.line, d.column);
                d.at_line_of(text, line, column)
            } else {
                d
            }
        })
        .collect()
}

fn clean_names(names: Vec<String>) -> Vec<String> {
    names
        .into_iter()
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|n| !n.is_empty())
        .collect()
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<BriefingSource, Vec<Diagnostic>> {
        briefing(text.to_string(), PathBuf::from("content/briefings/a.md"))
    }

    #[test]
    fn parses_a_briefing() {
        let b = parse("---\ntitle: T\ndate: 2025-05-16\npeople: Putin\ntags: [a, b]\n---\nHello\n")
            .unwrap();
        assert_eq!(b.slug, "a");
        assert_eq!(b.date, Date::constant(2025, 5, 16));
        assert_eq!(b.names[0], vec!["Putin"]);
        assert_eq!(b.names[3], vec!["a", "b"]);
        assert_eq!(b.body(), "Hello\n");
        assert_eq!(b.body_line, 7);
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
    fn a_bad_date_points_at_its_line() {
        let errors = parse("---\ntitle: T\ndate: yesterday\n---\n").unwrap_err();
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].message.contains("yesterday"));
    }

    #[test]
    fn path_slugs_and_script_urls_are_refused() {
        let errors =
            parse("---\ntitle: T\ndate: 2025-05-16\nslug: ../../etc/passwd\n---\n").unwrap_err();
        assert!(errors[0].message.contains("slug"));
        let errors = parse(
            "---\ntitle: T\ndate: 2025-05-16\nsources:\n  - title: x\n    url: javascript:alert(1)\n---\n",
        )
        .unwrap_err();
        assert!(errors[0].message.contains("javascript:"));
    }
}

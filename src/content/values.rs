//! One front-matter value at a time, checked where it was written: lists of names (how
//! many, how long), dates, cited sources, Wikidata ids and slugs. Each problem is reported
//! through `Fields` at the value's own line and column; nothing here stops the reading.

use std::path::Path;

use jiff::Timestamp;
use jiff::civil::Date;

use super::front_matter::{Fields, Node, Value};
use super::parse::CitedSource;
use super::position::{Position, Spanned};
use crate::slug;

/// The most names one front-matter list may hold. Far above any real briefing, and low
/// enough that a pasted or generated list of 100,000 names is refused at once instead of
/// making 100,000 stub pages (issue 6).
pub const MAX_NAMES: usize = 1_000;

/// The most bytes a name's page address may take: a name that makes a longer slug would
/// fail late, when its folder is made (`File name too long`), so it is refused here.
pub const MAX_SLUG: usize = 200;

/// A list of names with repeats of blank space folded and blank names dropped; too many
/// names, or a name too long to make a page of, is a problem.
pub(super) fn listed_names(fields: &mut Fields<'_>, key: &str) -> Vec<Spanned<String>> {
    let at = fields.keys().key(key);
    let names = clean_names(fields.names(key));
    if names.len() > MAX_NAMES {
        fields.problem(
            at.unwrap_or(Position::new(1, 1)),
            format!(
                "`{key}` lists {} names; at most {MAX_NAMES} are allowed",
                names.len()
            ),
            "name only who and what the text is about; tags can group the rest",
        );
        return Vec::new();
    }
    for name in &names {
        if slug::slugify(name).len() > MAX_SLUG {
            let shown: String = name.chars().take(40).collect();
            fields.problem(
                name.at,
                format!(
                    "the name `{shown}…` is {} letters long, too long to make a page of",
                    name.chars().count()
                ),
                format!("shorten it: a name may make an address of at most {MAX_SLUG} letters"),
            );
        }
    }
    names
}

/// The day and moment of a `date` or `updated`, or a problem at the value.
pub(super) fn checked_date(
    fields: &mut Fields<'_>,
    key: &str,
    written: &Spanned<String>,
) -> Option<(Date, Timestamp)> {
    let parsed = parse_date(written);
    if parsed.is_none() {
        fields.problem(
            written.at,
            format!("`{key}` is `{}`, which is not a date", written.value),
            format!(
                "write the date as YYYY-MM-DD, like `{key}: 2025-05-16`, or as RFC 3339, like `2025-05-16T09:30:00Z`"
            ),
        );
    }
    parsed
}

/// A briefing's `sources`: a list of `title`, `publisher`, `url`, `date`.
pub(super) fn cited_sources(fields: &mut Fields<'_>, node: Node) -> Vec<CitedSource> {
    let items = match node.value {
        Value::List(items) => items,
        Value::Null => return Vec::new(),
        _ => {
            fields.problem(
                node.at,
                "`sources` should be a list",
                "write each source on its own `- title: …` line, with `url:` and `publisher:` below it",
            );
            return Vec::new();
        }
    };
    let mut sources = Vec::with_capacity(items.len());
    for item in items {
        if let Some(source) = cited_source(fields, item) {
            sources.push(source);
        }
    }
    sources
}

const SOURCE_KEYS: &[&str] = &["title", "publisher", "url", "date"];

pub(super) fn cited_source(fields: &mut Fields<'_>, item: Node) -> Option<CitedSource> {
    let Value::Map(entries) = item.value else {
        fields.problem(
            item.at,
            "a source should have a `title` and a `url`",
            "write it as `- title: …` with `url: https://…` on the line below, indented",
        );
        return None;
    };
    let (mut title, mut publisher, mut url, mut date) = (None, None, None, None);
    for entry in entries {
        let key = entry.key.as_str();
        let value = match entry.value.value {
            Value::Text { text, .. } => Some(Spanned::new(text, entry.value.at)),
            Value::Null => None,
            _ => {
                fields.problem(
                    entry.value.at,
                    format!("a source's `{key}` should be text"),
                    format!("write it on one line, like `{key}: …`"),
                );
                continue;
            }
        };
        match key {
            "title" => title = value,
            "publisher" => publisher = value,
            "url" => url = value,
            "date" => date = value,
            _ => {
                let help = match crate::diagnostics::suggest(key, SOURCE_KEYS.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "a source has `title`, `publisher`, `url` and `date`".to_string(),
                };
                fields.problem(
                    entry.key.at,
                    format!("unknown key `{key}` in a source"),
                    help,
                );
            }
        }
    }
    if let Some(url) = &url
        && !is_safe_url(url)
    {
        fields.problem(
            url.at,
            format!("source URL `{}` is not an http(s) link", url.value),
            "link sources with `https://…` addresses; `javascript:` and `data:` URLs are refused",
        );
    }
    let Some(title) = title else {
        fields.problem(
            item.at,
            "this source has no `title`",
            "give it the cited article's headline: `- title: …`",
        );
        return None;
    };
    Some(CitedSource {
        title: title.value,
        publisher: publisher.map(|p| p.value),
        url: url.map(|u| u.value),
        date: date.map(|d| d.value),
    })
}

pub(super) fn checked_wikidata(
    fields: &mut Fields<'_>,
    written: &Spanned<String>,
) -> Option<String> {
    let id = written.trim();
    if id.is_empty() {
        return None;
    }
    let digits = id.strip_prefix('Q').unwrap_or("");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        fields.problem(
            written.at,
            format!("`{id}` is not a Wikidata id"),
            "write the item id, like `wikidata: Q3874799`",
        );
        return None;
    }
    Some(id.to_string())
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

/// Only web links may be cited: a `javascript:` or `data:` URL would run in a reader's browser.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// The slug from front matter or, without one, from the file name; either must be URL- and
/// path-safe, so `slug: ../../etc/passwd` is a problem rather than a path.
pub(super) fn checked_slug(
    fields: &mut Fields<'_>,
    written: Option<&Spanned<String>>,
    path: &Path,
) -> Option<String> {
    match written {
        Some(slug) if slug::is_valid(slug) => Some(slug.value.clone()),
        Some(slug) => {
            let better: String = slug::slugify(slug).chars().take(MAX_SLUG).collect();
            let better = better.trim_end_matches('-');
            fields.problem(
                slug.at,
                if slug.len() > MAX_SLUG {
                    format!(
                        "slug `{}…` is longer than {MAX_SLUG} letters",
                        slug.chars().take(40).collect::<String>()
                    )
                } else {
                    format!(
                        "slug `{}` may only hold lowercase letters, digits and hyphens",
                        slug.value
                    )
                },
                format!("write `slug: {better}`"),
            );
            None
        }
        None => {
            let slug = file_slug(path);
            if slug.is_none() {
                fields.problem(
                    Position::new(0, 0),
                    "the file name gives no usable slug",
                    format!(
                        "rename the file with at most {MAX_SLUG} letters or digits, like `istanbul-talks.md`"
                    ),
                );
            }
            slug
        }
    }
}

/// The slug a file name gives, if it gives a usable one: a translation's language
/// suffix is not part of it (`talks.uk.md` is `talks`).
pub(super) fn file_slug(path: &Path) -> Option<String> {
    // A bundle's `index.md` (or `index.uk.md`) takes its folder's name.
    let stem = match super::bundle::is_index(path) {
        true => path.parent().and_then(|p| p.file_name()),
        false => path.file_stem(),
    };
    let stem = stem.and_then(|s| s.to_str()).unwrap_or("");
    let stem = match super::bundle::is_index(path) {
        true => stem,
        false => language_suffix(stem).map_or(stem, |(base, _)| base),
    };
    Some(slug::slugify(stem)).filter(|s| slug::is_valid(s))
}

/// The language a file is written in, by its name: `talks.uk.md` (or `index.uk.md`) is
/// `uk`; `None` for a file in the default language.
pub fn file_language(path: &Path) -> Option<String> {
    let stem = path.file_stem().and_then(|s| s.to_str())?;
    language_suffix(stem).map(|(_, code)| code.to_string())
}

/// `talks.uk` → (`talks`, `uk`): a last dot-part that is a language code. Only a code
/// of two or three letters (and an optional region or script, `pt-BR`) counts, so a
/// name like `report.final` or `2025.05` keeps its dot.
fn language_suffix(stem: &str) -> Option<(&str, &str)> {
    let (base, code) = stem.rsplit_once('.')?;
    let language = code.split('-').next().unwrap_or("");
    let plausible = (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_lowercase())
        && !base.is_empty();
    (plausible && crate::i18n::Language::parse(code).is_ok()).then_some((base, code))
}

pub(super) fn clean_names(names: Vec<Spanned<String>>) -> Vec<Spanned<String>> {
    names
        .into_iter()
        .map(|n| Spanned::new(n.split_whitespace().collect::<Vec<_>>().join(" "), n.at))
        .filter(|n| !n.is_empty())
        .collect()
}

pub(super) fn non_empty(value: String) -> Option<String> {
    Some(value.trim().to_string()).filter(|v| !v.is_empty())
}

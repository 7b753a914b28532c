//! What a briefing or profile brings beyond its text: the files of its bundle (a folder
//! with `index.md` and the files beside it), its lead image (`image: {src, alt, caption,
//! credit}`) and, for a place, its `coordinates: [lat, lon]`. Read and checked here, at the
//! edge; the media stage decides what is published.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::front_matter::{Fields, Node, Value};
use super::position::{Position, Spanned};
use crate::media::Coordinates;

/// The file that makes a folder a bundle.
pub const INDEX: &str = "index.md";

/// A page's media as written. Empty (the default) for a page without any.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Media {
    /// The files beside `index.md`, when the page is a bundle.
    pub bundle: Option<Bundle>,
    pub image: Option<LeadImage>,
    /// `[lat, lon]`, known to be in range.
    pub coordinates: Option<[f64; 2]>,
}

impl Media {
    pub fn is_empty(&self) -> bool {
        self.bundle.is_none() && self.image.is_none() && self.coordinates.is_none()
    }
}

/// The files of one bundle, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
    /// Sorted by name.
    pub files: Vec<BundleFile>,
}

impl Bundle {
    pub fn file(&self, name: &str) -> Option<&BundleFile> {
        self.files.iter().find(|f| f.name == name)
    }
}

/// One file beside a bundle's `index.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleFile {
    /// As Markdown refers to it: `statement.pdf`.
    pub name: String,
    /// Relative to the site root, for reading and for messages.
    pub path: PathBuf,
    /// xxh3 of its bytes, so that a changed file changes the site's fingerprint.
    pub hash: u64,
}

/// A lead image, a portrait or a logo, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadImage {
    /// A file of the bundle, or a path under `static/`.
    pub src: Spanned<String>,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Where `image:` was written.
    pub at: Position,
}

/// Whether `path` is a bundle's `index.md`, or a translation of it (`index.uk.md`).
pub fn is_index(path: &Path) -> bool {
    let index = path.file_name().is_some_and(|n| n == INDEX);
    let translated = path.extension().is_some_and(|e| e == "md")
        && path
            .file_stem()
            .and_then(|s| s.to_str())
            .is_some_and(|stem| {
                stem.starts_with("index.") && super::values::file_language(path).is_some()
            });
    index || translated
}

const IMAGE_KEYS: &[&str] = &["src", "alt", "caption", "credit"];

/// `image: {src, alt, caption, credit}`; `image: photo.jpg` is the `src` alone.
pub(super) fn lead_image(fields: &mut Fields<'_>, key: &str) -> Option<LeadImage> {
    let at = fields.keys().key(key)?;
    let node = fields.node(key)?;
    let entries = match node.value {
        Value::Null => return None,
        Value::Text { text, .. } => {
            return Some(LeadImage {
                src: Spanned::new(text, node.at),
                alt: None,
                caption: None,
                credit: None,
                at,
            });
        }
        Value::Map(entries) => entries,
        Value::List(_) => {
            fields.problem(
                node.at,
                format!("`{key}` is a list; a page has one lead image"),
                format!("write `{key}:` with `src:`, `alt:`, `caption:` and `credit:` below it, indented"),
            );
            return None;
        }
    };
    let (mut src, mut alt, mut caption, mut credit) = (None, None, None, None);
    for entry in entries {
        let name = entry.key.as_str().to_string();
        let value = match text_value(fields, key, &name, entry.value) {
            Ok(value) => value,
            Err(()) => continue,
        };
        match name.as_str() {
            "src" => src = value,
            "alt" => alt = value.map(|v| v.value),
            "caption" => caption = value.map(|v| v.value),
            "credit" => credit = value.map(|v| v.value),
            _ => {
                let help = match crate::diagnostics::suggest(&name, IMAGE_KEYS.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("`{key}` has `src`, `alt`, `caption` and `credit`"),
                };
                fields.problem(
                    entry.key.at,
                    format!("unknown key `{name}` in `{key}`"),
                    help,
                );
            }
        }
    }
    let Some(src) = src else {
        fields.problem(
            at,
            format!("`{key}` has no `src`"),
            format!("name the file, like `src: delegations.jpg` under `{key}:`"),
        );
        return None;
    };
    let trim = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    Some(LeadImage {
        src: Spanned::new(src.value.trim().to_string(), src.at),
        alt: trim(alt),
        caption: trim(caption),
        credit: trim(credit),
        at,
    })
}

/// A text value inside `image`; `Err` when it is a list or mapping (reported).
fn text_value(
    fields: &mut Fields<'_>,
    key: &str,
    name: &str,
    node: Node,
) -> Result<Option<Spanned<String>>, ()> {
    match node.value {
        Value::Text { text, .. } => Ok(Some(Spanned::new(text, node.at))),
        Value::Null => Ok(None),
        _ => {
            fields.problem(
                node.at,
                format!("`{name}` in `{key}` should be text"),
                format!("write it on one line, like `{name}: …`"),
            );
            Err(())
        }
    }
}

/// `coordinates: [lat, lon]`, checked to be a place on Earth.
pub(super) fn coordinates(fields: &mut Fields<'_>) -> Option<[f64; 2]> {
    let node = fields.node("coordinates")?;
    let example = "write `coordinates: [41.0082, 28.9784]`: latitude, then longitude, in degrees";
    let items = match node.value {
        Value::Null => return None,
        Value::List(items) => items,
        _ => {
            fields.problem(
                node.at,
                "`coordinates` should be a list of two numbers",
                example,
            );
            return None;
        }
    };
    let numbers: Vec<Option<f64>> = items
        .iter()
        .map(|item| item.text().and_then(|t| t.trim().parse::<f64>().ok()))
        .collect();
    let [Some(lat), Some(lon)] = numbers[..] else {
        fields.problem(
            node.at,
            "`coordinates` should be two numbers, latitude and longitude",
            example,
        );
        return None;
    };
    match Coordinates::new(lat, lon) {
        Ok(_) => Some([lat, lon]),
        Err(error) => {
            let at = match error {
                crate::media::CoordinateError::Latitude(_) => items[0].at,
                crate::media::CoordinateError::Longitude(_) => items[1].at,
            };
            fields.problem(at, format!("`coordinates`: {error}"), error.help(lat, lon));
            None
        }
    }
}

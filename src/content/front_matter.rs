//! Splits a Markdown file into YAML front matter and body, and parses YAML into typed
//! structs with errors that point at the line in the *file*. The only YAML reader for
//! content (with `config`, which borrows `parse_yaml`), so serde_yaml can be swapped here.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::diagnostics::{Diagnostic, suggest};

/// A file cut in two. Line numbers are 1-based lines of the whole file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// How many lines of the file come before the YAML (the opening `---`, and nothing else).
    pub yaml_offset: usize,
    pub body: &'a str,
    /// File line on which the body starts.
    pub body_line: usize,
}

/// Cuts `text` at the `---` fences. A byte-order mark and CRLF line endings are fine.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, "the file is empty").with_help(
            "start it with front matter between `---` lines, e.g. `---\\ntitle: …\\ndate: 2025-05-16\\n---`",
        ));
    }
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Err(
            Diagnostic::error(path, "the file does not start with front matter")
                .at_line_of(text, 1, 1)
                .with_help("put the front matter between two `---` lines at the top of the file"),
        );
    }
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let fence = text[offset..end].trim_end();
        if fence == "---" || fence == "..." {
            return Ok(Split {
                yaml: &text[first_end..offset],
                yaml_offset: 1,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(Diagnostic::error(path, "the front matter is not closed")
        .at_line_of(text, 1, 1)
        .with_help("add a line with only `---` after the last front-matter key"))
}

/// Parses YAML into `T`, reporting every unknown key (with the nearest known one) and
/// otherwise the first type error, located in the file by `line_offset`.
pub fn parse_yaml<T: DeserializeOwned>(
    yaml: &str,
    line_offset: usize,
    path: &Path,
    known_keys: &[&str],
) -> Result<T, Vec<Diagnostic>> {
    if let Some(line) = too_deep(yaml) {
        return Err(vec![
            Diagnostic::error(
                path,
                format!("the YAML nests more than {MAX_FLOW_DEPTH} brackets deep"),
            )
            .at(line + line_offset, 0)
            .with_help("the YAML nests or repeats too deeply; write plain values"),
        ]);
    }
    match serde_yaml::from_str::<T>(yaml) {
        Ok(value) => Ok(value),
        Err(error) => {
            let unknown = unknown_keys(yaml, line_offset, path, known_keys);
            if !unknown.is_empty() {
                return Err(unknown);
            }
            Err(vec![yaml_error(&error, line_offset, path)])
        }
    }
}

/// Deeper `[`/`{` nesting than any front matter needs. serde_yaml would refuse it too, but
/// only after its scanner has read the whole document, which takes time quadratic in the
/// depth: 100,000 `[` took minutes (issue 6).
const MAX_FLOW_DEPTH: usize = 64;

/// The 1-based line on which `[`/`{` nesting first passes `MAX_FLOW_DEPTH`, if it does.
/// Brackets inside quotes and comments do not count; a plain scalar with brackets in it
/// (`title: a [b]`) counts, which can only make the limit stricter, never let more through.
fn too_deep(yaml: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (index, line) in yaml.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '#') if previous.is_whitespace() => break,
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some(index + 1);
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
            previous = c;
        }
    }
    None
}

/// Every top-level key that is not in `known_keys`, each as its own diagnostic.
fn unknown_keys(yaml: &str, line_offset: usize, path: &Path, known: &[&str]) -> Vec<Diagnostic> {
    let Ok(serde_yaml::Value::Mapping(map)) = serde_yaml::from_str::<serde_yaml::Value>(yaml)
    else {
        return Vec::new();
    };
    map.keys()
        .filter_map(|key| key.as_str())
        .filter(|key| !known.contains(key))
        .map(|key| {
            let line = key_line(yaml, key).unwrap_or(0);
            let help = match suggest(key, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the keys allowed here are {}", quoted_list(known)),
            };
            Diagnostic::error(path, format!("unknown key `{key}`"))
                .at(line + line_offset, 1)
                .with_help(help)
        })
        .collect()
}

/// Turns a serde_yaml error into a diagnostic located in the file, with advice.
fn yaml_error(error: &serde_yaml::Error, line_offset: usize, path: &Path) -> Diagnostic {
    let message = error.to_string();
    // serde_yaml appends " at line L column C"; the location is shown our own way.
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let (line, column) = error
        .location()
        .map_or((0, 0), |l| (l.line() + line_offset, l.column()));
    let help = if message.starts_with("missing field") {
        "add the key to the front matter".to_string()
    } else if message.contains("invalid type") {
        "check the value's type: lists are written `[a, b]`, dates `2025-05-16`, true/false without quotes".to_string()
    } else if message.contains("recursion limit") || message.contains("repetition limit") {
        "the YAML nests or repeats too deeply; write plain values".to_string()
    } else {
        "check the YAML syntax on this line: quote values that contain `:` or start with `[`, `{`, `*` or `&`".to_string()
    };
    Diagnostic::error(path, message)
        .at(line, column)
        .with_help(help)
}

/// The 1-based line of `text` on which top-level `key:` is written.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

fn quoted_list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Accepts `people: Putin` as well as `people: [Putin]`: editors write a single name bare.
pub fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(deserializer)? {
        None => Vec::new(),
        Some(OneOrMany::One(name)) => vec![name],
        Some(OneOrMany::Many(names)) => names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("a.md")
    }

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split("---\ntitle: x\n---\nbody\n", p()).unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn bom_and_crlf_work() {
        let s = split("\u{feff}---\r\ntitle: x\r\n---\r\nbody\r\n", p()).unwrap();
        assert_eq!(s.yaml, "title: x\r\n");
        assert_eq!(s.body, "body\r\n");
    }

    #[test]
    fn unclosed_and_empty_are_errors() {
        assert!(
            split("---\ntitle: x\n", p())
                .unwrap_err()
                .message
                .contains("not closed")
        );
        assert!(split("  \n", p()).unwrap_err().message.contains("empty"));
        assert!(
            split("# hello\n", p())
                .unwrap_err()
                .message
                .contains("does not start")
        );
    }

    #[test]
    fn deep_brackets_are_refused_before_parsing() {
        let deep = format!("tags: {}{}\n", "[".repeat(65), "]".repeat(65));
        assert_eq!(too_deep(&deep), Some(1));
        assert_eq!(
            too_deep("tags: [[a], {b: [c]}]\ntitle: \"[[[[\" # [[[\n"),
            None
        );
        let shallow = format!("tags: {}{}\n", "[".repeat(64), "]".repeat(64));
        assert_eq!(too_deep(&shallow), None);
    }

    #[test]
    fn key_line_finds_top_level_keys() {
        assert_eq!(key_line("title: a\ndate: b\n", "date"), Some(2));
        assert_eq!(key_line("title: a\n  date: b\n", "date"), None);
    }
}

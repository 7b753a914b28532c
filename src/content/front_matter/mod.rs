//! Splits a Markdown file into YAML front matter and body (`split`), reads the YAML once
//! into values that carry the line and column of every key and value (`yaml`), and hands
//! the keys one by one to the parser of each kind of file (`fields`), so every problem is
//! reported where it was written. The only YAML reader of the project (`config` reads
//! `site.yaml` through it): saphyr-parser is used in `yaml.rs` and nowhere else.

mod fields;
mod yaml;

use std::path::Path;

use crate::diagnostics::Diagnostic;
pub use fields::{Fields, Hints};
pub use yaml::{Document, Entry, Node, Value, read};

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
    let first = text[..first_end].trim_end();
    if first == "+++" {
        return Err(toml_front_matter(text, path));
    }
    if first != "---" {
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

/// Hugo's TOML front matter (`+++`, `key = value`): sitroom reads YAML, so show the first
/// lines as they would be written in YAML.
fn toml_front_matter(text: &str, path: &Path) -> Diagnostic {
    let converted: Vec<String> = text
        .lines()
        .skip(1)
        .take_while(|line| line.trim_end() != "+++")
        .filter(|line| !line.trim().is_empty())
        .take(4)
        .map(
            |line| match line.split_once(" = ").or_else(|| line.split_once('=')) {
                Some((key, value)) if !key.trim().is_empty() => {
                    format!("{}: {}", key.trim(), value.trim())
                }
                _ => line.to_string(),
            },
        )
        .collect();
    let mut help = String::from("write the front matter as YAML between `---` lines:\n---\n");
    for line in &converted {
        help.push_str(line);
        help.push('\n');
    }
    help.push_str("---");
    Diagnostic::error(
        path,
        "the front matter is TOML (`+++`); sitroom reads YAML between `---` lines",
    )
    .at_line_of(text, 1, 1)
    .with_help(help)
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
    fn unclosed_empty_and_toml_are_errors() {
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
        let toml = split("+++\ntitle = \"Talks\"\ndate = 2025-05-16\n+++\n", p()).unwrap_err();
        assert!(toml.message.contains("TOML"), "{toml}");
        assert_eq!(
            toml.help.as_deref(),
            Some(
                "write the front matter as YAML between `---` lines:\n---\ntitle: \"Talks\"\ndate: 2025-05-16\n---"
            )
        );
    }
}

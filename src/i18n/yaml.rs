//! Reads a string table's YAML into entries with the line and column of each key and
//! value, through `content::front_matter`'s reader (the only YAML reader), so a table's
//! syntax errors look and recover like a briefing's: a broken entry costs only itself.

use std::path::Path;

use crate::content::front_matter::{self, Node, Value};
use crate::diagnostics::Diagnostic;

/// One top-level `key: value` of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub at: Position,
    pub value: EntryValue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryValue {
    Text(Scalar),
    /// `key:` followed by indented `category: text` lines.
    Forms(Vec<Form>),
    /// Anything else: a number, a list, nothing at all. Named for the message.
    Wrong(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub category: String,
    pub at: Position,
    pub value: Result<Scalar, &'static str>,
}

/// A text and where it starts: the column of its first character inside any quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    pub text: String,
    pub at: Position,
}

/// 1-based line and column (in characters) of the file; 0 when unknown.
pub type Position = crate::content::position::Position;

/// The entries of `text` that could be read, in the order written, and the problems of
/// those that could not. An empty file is an empty table.
pub fn read(path: &Path, text: &str) -> (Vec<Entry>, Vec<Diagnostic>) {
    let document = front_matter::read(text, 1, path, text);
    let entries = document
        .entries
        .into_iter()
        .map(|entry| {
            let value = match entry.value.value {
                Value::Map(forms) => EntryValue::Forms(
                    forms
                        .into_iter()
                        .map(|form| Form {
                            category: form.key.value,
                            at: form.key.at,
                            value: scalar(&form.value, text).ok_or(kind_of(&form.value)),
                        })
                        .collect(),
                ),
                _ => match scalar(&entry.value, text) {
                    Some(scalar) => EntryValue::Text(scalar),
                    None => EntryValue::Wrong(kind_of(&entry.value)),
                },
            };
            Entry {
                key: entry.key.value,
                at: entry.key.at,
                value,
            }
        })
        .collect();
    (entries, document.problems)
}

/// The node's text, placed on its first character inside any opening quote. Only
/// strings are texts: `comma: ", "` must be quoted to keep its space anyway, and a bare
/// `yes` or `12` is more likely a slip than a word.
fn scalar(node: &Node, text: &str) -> Option<Scalar> {
    let Value::Text { text: value, plain } = &node.value else {
        return None;
    };
    if *plain && (value.parse::<f64>().is_ok() || matches!(value.as_str(), "true" | "false")) {
        return None;
    }
    let mut at = node.at;
    let quoted = text
        .lines()
        .nth(at.line.saturating_sub(1))
        .and_then(|line| line.chars().nth(at.column.saturating_sub(1)))
        .is_some_and(|c| c == '"' || c == '\'');
    if quoted {
        at.column += 1;
    }
    Some(Scalar {
        text: value.clone(),
        at,
    })
}

fn kind_of(node: &Node) -> &'static str {
    match &node.value {
        Value::Null => "empty",
        Value::Text { text, .. } if matches!(text.as_str(), "true" | "false") => "true or false",
        Value::Text { .. } => "a number",
        Value::List(_) => "a list",
        Value::Map(_) => "a map",
    }
}

/// The first line from `from` on that starts at the margin with something other than a
/// comment: where a key's indented block ends.
fn next_top_level(lines: &[&str], from: usize) -> usize {
    (from..lines.len())
        .find(|&i| {
            let line = lines[i];
            !line.is_empty() && !line.starts_with([' ', '#'])
        })
        .unwrap_or(lines.len())
}

/// The 1-based line and column of `needle` in `text`, searching from `from` (a position
/// from `read`) to the end of that entry, if it is written there literally.
pub fn locate(text: &str, from: Position, needle: &str) -> Option<Position> {
    let lines: Vec<&str> = text.lines().collect();
    let start = from.line.checked_sub(1)?;
    let end = next_top_level(&lines, start + 1);
    (start..end).find_map(|i| {
        let line = lines[i];
        let skip = if i == start {
            line.char_indices()
                .nth(from.column.saturating_sub(1))
                .map_or(line.len(), |(b, _)| b)
        } else {
            0
        };
        line[skip..].find(needle).map(|b| Position {
            line: i + 1,
            column: line[..skip + b].chars().count() + 1,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries of `text`, which must read without a problem.
    fn entries(text: &str) -> Vec<Entry> {
        let (entries, problems) = read(Path::new("i18n/uk.yaml"), text);
        assert!(problems.is_empty(), "{problems:?}");
        entries
    }

    #[test]
    fn keys_and_values_have_positions() {
        let text = "# comment\nsources: Джерела\nbriefing_count:\n  one: \"{count} брифінг\"\n  few: '{count} брифінги'\n\"comma\": \", \"\n";
        let entries = entries(text);
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].key, "sources");
        assert_eq!(entries[0].at, Position { line: 2, column: 1 });
        let EntryValue::Text(sources) = &entries[0].value else {
            panic!("{:?}", entries[0].value)
        };
        assert_eq!(sources.text, "Джерела");
        assert_eq!(sources.at.column, 10);
        let EntryValue::Forms(forms) = &entries[1].value else {
            panic!("{:?}", entries[1].value)
        };
        assert_eq!(forms[1].category, "few");
        assert_eq!(forms[1].at, Position { line: 5, column: 3 });
        let few = forms[1].value.as_ref().unwrap();
        assert_eq!(few.text, "{count} брифінги");
        assert_eq!(few.at.column, 9);
        assert_eq!(entries[2].key, "comma");
        assert_eq!(entries[2].at.line, 6);
    }

    #[test]
    fn wrong_kinds_are_named() {
        let entries = entries("a: 12\nb:\nc: [x]\nd:\n  one: [x]\n");
        assert_eq!(entries[0].value, EntryValue::Wrong("a number"));
        assert_eq!(entries[1].value, EntryValue::Wrong("empty"));
        assert_eq!(entries[2].value, EntryValue::Wrong("a list"));
        let EntryValue::Forms(forms) = &entries[3].value else {
            panic!()
        };
        assert_eq!(forms[0].value, Err("a list"));
    }

    #[test]
    fn broken_yaml_and_empty_files() {
        assert_eq!(entries(""), Vec::new());
        assert_eq!(entries("# only a comment\n"), Vec::new());
        let path = Path::new("i18n/uk.yaml");
        let (kept, broken) = read(path, "a: x\nb: \"open\n");
        assert_eq!(kept.len(), 1, "the entry before the broken one is kept");
        assert!(broken[0].line >= 2, "{broken:?}");
        assert!(!read(path, "- a\n- b\n").1.is_empty());
    }

    #[test]
    fn locate_finds_text_inside_an_entry() {
        let text =
            "a: \"x {cuont}\"\nb:\n  one: \"{count}\"\n  other: \"{cuont}s\"\nc: \"{cuont}\"\n";
        let at = locate(text, Position { line: 1, column: 5 }, "{cuont}").unwrap();
        assert_eq!(at, Position { line: 1, column: 7 });
        let at = locate(
            text,
            Position {
                line: 4,
                column: 11,
            },
            "{cuont}",
        )
        .unwrap();
        assert_eq!(
            at,
            Position {
                line: 4,
                column: 11
            }
        );
        assert_eq!(
            locate(text, Position { line: 3, column: 1 }, "{none}"),
            None
        );
    }
}

//! Reads a string table's YAML into entries with the line and column of each key and
//! value. The one place in `i18n` that knows YAML.
//!
//! serde_yaml gives no positions, so they are found again in the text: a top-level key
//! starts a line, a plural form's key is indented under it. This belongs in
//! `content::front_matter`'s reader, which records positions as it parses; when that
//! reader can hand over keys with their positions, this file becomes a call to it.

use serde_yaml::Value;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Why a file is not a table at all, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub message: String,
    pub at: Position,
}

/// The entries of `text`, in the order written. An empty file is an empty table.
pub fn read(text: &str) -> Result<Vec<Entry>, Unreadable> {
    let value: Value = serde_yaml::from_str(text).map_err(|error| {
        let message = error.to_string();
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        let at = error.location().map_or(Position::default(), |l| Position {
            line: l.line(),
            column: l.column(),
        });
        Unreadable { message, at }
    })?;
    let map = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Mapping(map) => map,
        _ => {
            return Err(Unreadable {
                message: "a string table is a list of `key: text` lines".into(),
                at: Position { line: 1, column: 1 },
            });
        }
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut entries = Vec::new();
    let mut search_from = 0;
    for (key, value) in map {
        let key = match key {
            Value::String(key) => key,
            other => scalar_text(&other).unwrap_or_default(),
        };
        let line = key_line(&lines, &key, search_from, 0);
        if let Some(line) = line {
            search_from = line + 1;
        }
        let at = Position {
            line: line.map_or(0, |l| l + 1),
            column: line.map_or(0, |_| 1),
        };
        let value = match value {
            Value::Mapping(forms) => {
                let block_end = next_top_level(&lines, line.map_or(lines.len(), |l| l + 1));
                let forms = forms
                    .into_iter()
                    .map(|(category, value)| {
                        let category = scalar_text(&category).unwrap_or_default();
                        let found =
                            line.and_then(|l| key_line(&lines[..block_end], &category, l + 1, 1));
                        let at = found.map_or(Position::default(), |l| Position {
                            line: l + 1,
                            column: indent(lines[l]) + 1,
                        });
                        let value = match scalar_text(&value) {
                            Some(text) => Ok(Scalar {
                                at: found.map_or(at, |l| value_start(&lines, l)),
                                text,
                            }),
                            None => Err(kind_of(&value)),
                        };
                        Form {
                            category,
                            at,
                            value,
                        }
                    })
                    .collect();
                EntryValue::Forms(forms)
            }
            value => match scalar_text(&value) {
                Some(text) => EntryValue::Text(Scalar {
                    at: line.map_or(at, |l| value_start(&lines, l)),
                    text,
                }),
                None => EntryValue::Wrong(kind_of(&value)),
            },
        };
        entries.push(Entry { key, at, value });
    }
    Ok(entries)
}

/// Only strings are texts: `comma: ", "` must be quoted to keep its space anyway, and a
/// bare `yes` or `12` is more likely a slip than a word.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        _ => None,
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::String(_) => "text",
        Value::Tagged(_) => "a tagged value",
    }
}

/// The 0-based index of the first line from `from` on that writes `key:` (bare or quoted)
/// indented by at least `min_indent` (0 means exactly at the margin).
fn key_line(lines: &[&str], key: &str, from: usize, min_indent: usize) -> Option<usize> {
    (from..lines.len()).find(|&i| {
        let line = lines[i];
        let depth = indent(line);
        if (min_indent == 0) != (depth == 0) {
            return false;
        }
        let rest = &line[depth..];
        [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
            .iter()
            .any(|written| {
                rest.strip_prefix(written.as_str())
                    .is_some_and(|after| after.trim_start().starts_with(':'))
            })
    })
}

/// The first line from `from` on that starts at the margin with something other than a
/// comment: where a key's indented block ends.
fn next_top_level(lines: &[&str], from: usize) -> usize {
    (from..lines.len())
        .find(|&i| {
            let line = lines[i];
            !line.is_empty() && indent(line) == 0 && !line.starts_with('#')
        })
        .unwrap_or(lines.len())
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Where the value of the `key: value` line at index `at` begins, inside its opening
/// quote if it has one.
fn value_start(lines: &[&str], at: usize) -> Position {
    let line = lines[at];
    let Some(colon) = line.find(':') else {
        return Position::default();
    };
    let after = &line[colon + 1..];
    let spaces = after.len() - after.trim_start().len();
    let quote = usize::from(after.trim_start().starts_with(['"', '\'']));
    let byte = colon + 1 + spaces + quote;
    Position {
        line: at + 1,
        column: line[..byte.min(line.len())].chars().count() + 1,
    }
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

    #[test]
    fn keys_and_values_have_positions() {
        let text = "# comment\nsources: Джерела\nbriefing_count:\n  one: \"{count} брифінг\"\n  few: '{count} брифінги'\n\"comma\": \", \"\n";
        let entries = read(text).unwrap();
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
        let entries = read("a: 12\nb:\nc: [x]\nd:\n  one: [x]\n").unwrap();
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
        assert_eq!(read("").unwrap(), Vec::new());
        assert_eq!(read("# only a comment\n").unwrap(), Vec::new());
        let broken = read("a: x\nb: \"open\n").unwrap_err();
        assert!(broken.at.line >= 2, "{broken:?}");
        assert!(read("- a\n- b\n").is_err());
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

//! The keys of one front matter, taken one at a time by the parser of that kind of file,
//! each checked on its own: unknown keys (with what sitroom calls them), values of the wrong
//! kind and missing keys are all collected, none stops the reading.

use std::path::Path;

use super::yaml::{Document, Entry, Node, Value, read};
use crate::content::position::{KeyAt, Keys, Position, Spanned};
use crate::diagnostics::{Diagnostic, suggest};

/// The top-level keys of one front matter, taken one by one by the parser of that kind of
/// file. Every problem is collected, none stops the reading: an unknown key, a value of the
/// wrong kind, a missing key, each at its own line and column.
pub struct Fields<'a> {
    path: &'a Path,
    text: &'a str,
    entries: Vec<Entry>,
    broken: Vec<String>,
    keys: Keys,
    problems: Vec<Diagnostic>,
}

/// How a key another tool uses is written in sitroom: (their key, what to say).
pub type Hints = &'static [(&'static str, &'static str)];

impl<'a> Fields<'a> {
    /// Reads `yaml` (line `first_line` of the file `text`) and reports every key that is not
    /// in `known`, with a hint for keys of other tools (`hints`) or the nearest known key.
    pub fn read(
        yaml: &str,
        first_line: usize,
        path: &'a Path,
        text: &'a str,
        known: &[&str],
        hints: Hints,
    ) -> Fields<'a> {
        let Document {
            entries,
            broken,
            mut problems,
        } = read(yaml, first_line, path, text);
        let keys = Keys(
            entries
                .iter()
                .map(|e| KeyAt {
                    name: e.key.value.clone(),
                    key: e.key.at,
                    value: e.value.at,
                })
                .collect(),
        );
        let mut known_entries = Vec::with_capacity(entries.len());
        for entry in entries {
            if known.contains(&entry.key.as_str()) {
                known_entries.push(entry);
                continue;
            }
            let name = entry.key.as_str();
            let help = match hints.iter().find(|(theirs, _)| *theirs == name) {
                Some((_, hint)) => hint.to_string(),
                None => match suggest(name, known.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the keys allowed here are {}", quoted_list(known)),
                },
            };
            problems.push(
                Diagnostic::error(path, format!("unknown key `{name}`"))
                    .at_line_of(text, entry.key.at.line, entry.key.at.column)
                    .with_help(help),
            );
        }
        Fields {
            path,
            text,
            entries: known_entries,
            broken,
            keys,
            problems,
        }
    }

    /// Where every key and value was written.
    pub fn keys(&self) -> Keys {
        self.keys.clone()
    }

    /// Whether `key` was written on lines that could not be read.
    pub fn is_broken(&self, key: &str) -> bool {
        self.broken.iter().any(|k| k == key)
    }

    /// Whether any problem was found so far.
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    /// Every problem found, in the order found.
    pub fn finish(self) -> Vec<Diagnostic> {
        self.problems
    }

    /// Reports a problem at `at`, with the source line under it.
    /// Reports a problem at `at` (line 0: the file as a whole), with the source line under it.
    pub fn problem(&mut self, at: Position, message: impl Into<String>, help: impl Into<String>) {
        let d = Diagnostic::error(self.path, message).with_help(help);
        self.problems.push(match at.line {
            0 => d,
            line => d.at_line_of(self.text, line, at.column),
        });
    }

    /// The value of `key`, taken out; `None` when it was not written.
    pub fn node(&mut self, key: &str) -> Option<Node> {
        let index = self.entries.iter().position(|e| e.key.value == key)?;
        Some(self.entries.remove(index).value)
    }

    /// A value written as text (any scalar: `title: 1984` is the text `1984`); `None` when
    /// the key is missing or empty, and a problem when it holds a list or mapping.
    pub fn text(&mut self, key: &str) -> Option<Spanned<String>> {
        let node = self.node(key)?;
        self.text_of(key, node)
    }

    fn text_of(&mut self, key: &str, node: Node) -> Option<Spanned<String>> {
        match node.value {
            Value::Text { text, .. } => Some(Spanned::new(text, node.at)),
            Value::Null => None,
            _ => {
                let what = Node {
                    at: node.at,
                    value: node.value,
                }
                .describe();
                self.problem(
                    node.at,
                    format!("`{key}` is {what}, not text"),
                    format!("write it on one line, like `{key}: …`"),
                );
                None
            }
        }
    }

    /// Like `text`, but a missing key is a problem too (unless its lines were broken,
    /// which was reported already).
    pub fn required_text(&mut self, key: &str, example: &str) -> Option<Spanned<String>> {
        let written = self.keys.key(key);
        let value = self.text(key);
        if value.is_none() && !self.is_broken(key) {
            match written {
                Some(at) => self.problem(
                    at,
                    format!("`{key}` is empty"),
                    format!("write it after the colon, like `{key}: {example}`"),
                ),
                None => self.problem(
                    Position::new(1, 1),
                    format!("the front matter has no `{key}`"),
                    format!("add `{key}: {example}` between the `---` lines"),
                ),
            }
        }
        value
    }

    /// `true` or `false`; anything else is a problem at the value.
    pub fn flag(&mut self, key: &str) -> Option<bool> {
        let node = self.node(key)?;
        match node.text().map(str::to_ascii_lowercase).as_deref() {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ if node.value == Value::Null => None,
            _ => {
                let shown = node.text().unwrap_or(node.describe()).to_string();
                self.problem(
                    node.at,
                    format!("`{key}` is `{shown}`, not `true` or `false`"),
                    format!("write `{key}: true` or `{key}: false`"),
                );
                None
            }
        }
    }

    /// A whole number; anything else is a problem at the value.
    pub fn number(&mut self, key: &str) -> Option<i64> {
        let node = self.node(key)?;
        match node.text().map(|t| t.trim().parse::<i64>()) {
            Some(Ok(n)) => Some(n),
            _ if node.value == Value::Null => None,
            _ => {
                let shown = node.text().unwrap_or(node.describe()).to_string();
                self.problem(
                    node.at,
                    format!("`{key}` is `{shown}`, not a whole number"),
                    format!("write a number, like `{key}: 20`"),
                );
                None
            }
        }
    }

    /// A list of names, each with where it was written. `people: Putin` is a list of one,
    /// because editors write a single name bare.
    pub fn names(&mut self, key: &str) -> Vec<Spanned<String>> {
        let Some(node) = self.node(key) else {
            return Vec::new();
        };
        match node.value {
            Value::Null => Vec::new(),
            Value::Text { text, .. } => vec![Spanned::new(text, node.at)],
            Value::List(items) => {
                let mut names = Vec::with_capacity(items.len());
                for item in items {
                    match item.value {
                        Value::Text { text, .. } => names.push(Spanned::new(text, item.at)),
                        Value::Null => {}
                        _ => {
                            let what = Node {
                                at: item.at,
                                value: item.value,
                            }
                            .describe();
                            self.problem(
                                item.at,
                                format!("`{key}` holds {what} where a name should be"),
                                format!("list names only, like `{key}: [A, B]`"),
                            );
                        }
                    }
                }
                names
            }
            Value::Map(_) => {
                self.problem(
                    node.at,
                    format!("`{key}` is a set of `key: value` pairs, not a list of names"),
                    format!("list names only, like `{key}: [A, B]`"),
                );
                Vec::new()
            }
        }
    }
}

fn quoted_list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

//! Splits a Markdown file into YAML front matter and body, and reads the YAML once into
//! `Node`s that carry the line and column of every key and value, so that each key can be
//! checked on its own and every problem is reported where it was written. The only YAML
//! reader of the project (`config` reads `site.yaml` through it): saphyr-parser is used
//! here and nowhere else. Aliases, tags and deep nesting are refused here, before any value
//! is built, because the parser itself does not bound them.

use std::path::Path;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use super::position::{KeyAt, Keys, Position, Spanned};
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

/// A YAML value and where it starts in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub at: Position,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing written, `~` or `null`.
    Null,
    /// A scalar; `plain` when it was written without quotes (only then is `true` a flag).
    Text {
        text: String,
        plain: bool,
    },
    List(Vec<Node>),
    Map(Vec<Entry>),
}

/// One `key: value` of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Spanned<String>,
    pub value: Node,
}

impl Node {
    /// The scalar's text; `None` for a list, a mapping or nothing.
    pub fn text(&self) -> Option<&str> {
        match &self.value {
            Value::Text { text, .. } => Some(text),
            _ => None,
        }
    }

    /// What the value is, in an editor's words, for messages.
    pub fn describe(&self) -> &'static str {
        match self.value {
            Value::Null => "empty",
            Value::Text { .. } => "text",
            Value::List(_) => "a list",
            Value::Map(_) => "a set of `key: value` pairs",
        }
    }
}

/// Deeper nesting than any front matter needs. Refused before parsing for brackets (the
/// scanner's work grows with the square of their depth: 100,000 `[` took minutes with the
/// last parser, issue 6) and while parsing for indentation.
const MAX_DEPTH: usize = 64;

/// A problem in the YAML itself, before any key is looked at.
#[derive(Debug)]
struct Syntax {
    at: Position,
    message: String,
    help: String,
}

impl Syntax {
    fn new(at: Position, message: impl Into<String>, help: impl Into<String>) -> Syntax {
        Syntax {
            at,
            message: message.into(),
            help: help.into(),
        }
    }

    fn diagnostic(self, path: &Path, text: &str) -> Diagnostic {
        Diagnostic::error(path, self.message)
            .at_line_of(text, self.at.line, self.at.column)
            .with_help(self.help)
    }
}

/// The top-level keys of a YAML document, read as far as they can be.
#[derive(Debug, Default)]
pub struct Document {
    pub entries: Vec<Entry>,
    /// Keys whose lines hold a syntax error: written, but their value is unknown.
    pub broken: Vec<String>,
    pub problems: Vec<Diagnostic>,
}

/// Reads `yaml`, whose first line is line `first_line` of the file `text`. A syntax error
/// costs only the key whose lines hold it: the other top-level keys are read on their own.
pub fn read(yaml: &str, first_line: usize, path: &Path, text: &str) -> Document {
    let mut document = match parse_map(yaml, first_line) {
        Ok(entries) => Document {
            entries,
            ..Document::default()
        },
        Err(whole) => recover(yaml, first_line, path, text, whole),
    };
    refuse_repeated_keys(&mut document, path, text);
    document
}

/// Reads each top-level entry of a document that failed as a whole on its own, so one
/// broken line hides nothing else.
fn recover(yaml: &str, first_line: usize, path: &Path, text: &str, whole: Syntax) -> Document {
    let mut document = Document::default();
    for chunk in chunks(yaml, first_line) {
        match parse_map(chunk.text, chunk.line) {
            Ok(entries) => document.entries.extend(entries),
            Err(syntax) => {
                document.problems.push(syntax.diagnostic(path, text));
                document.broken.extend(chunk.key);
            }
        }
    }
    if document.problems.is_empty() {
        // Each entry reads alone but not together: say what the whole document tripped on.
        document.problems.push(whole.diagnostic(path, text));
    }
    document
}

/// A top-level entry's lines: the `key:` line and every line below it that is indented,
/// a comment, a list item or the rest of a bracket.
struct Chunk<'a> {
    text: &'a str,
    line: usize,
    key: Option<String>,
}

fn chunks(yaml: &str, first_line: usize) -> Vec<Chunk<'_>> {
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut offset = 0;
    for (index, line) in yaml.split_inclusive('\n').enumerate() {
        if index == 0 || starts_entry(line) {
            starts.push((offset, first_line + index));
        }
        offset += line.len();
    }
    let mut chunks = Vec::with_capacity(starts.len());
    for (i, &(start, line)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(yaml.len(), |&(next, _)| next);
        let text = &yaml[start..end];
        chunks.push(Chunk {
            text,
            line,
            key: chunk_key(text),
        });
    }
    chunks
}

/// Whether a line starts a new top-level `key:` entry.
fn starts_entry(line: &str) -> bool {
    let Some(first) = line.chars().next() else {
        return false;
    };
    !first.is_whitespace() && !matches!(first, '#' | '-' | ']' | '}' | ',') && line.contains(':')
}

fn chunk_key(text: &str) -> Option<String> {
    let (key, _) = text.lines().next()?.split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty()).then(|| key.to_string())
}

/// Parses one YAML document that must be a mapping (or nothing at all).
fn parse_map(yaml: &str, first_line: usize) -> Result<Vec<Entry>, Syntax> {
    if let Some(line) = too_deep(yaml) {
        return Err(Syntax::new(
            Position::new(first_line + line - 1, 0),
            format!("the YAML nests more than {MAX_DEPTH} brackets deep"),
            "the YAML nests or repeats too deeply; write plain values",
        ));
    }
    match parse_node(yaml, first_line)? {
        None => Ok(Vec::new()),
        Some(Node {
            value: Value::Map(entries),
            ..
        }) => Ok(entries),
        Some(Node {
            value: Value::Null, ..
        }) => Ok(Vec::new()),
        Some(other) => Err(Syntax::new(
            other.at,
            format!(
                "the front matter is {}, not `key: value` lines",
                other.describe()
            ),
            "write one `key: value` a line, like `title: Talks resume`",
        )),
    }
}

/// A collection being read: where it started, whether it is `[…]`/`{…}`, what it holds.
enum Open {
    List {
        at: Position,
        flow: bool,
        items: Vec<Node>,
    },
    Map {
        at: Position,
        flow: bool,
        entries: Vec<Entry>,
        key: Option<Spanned<String>>,
    },
}

impl Open {
    fn flow_start(&self) -> Option<(Position, char)> {
        match self {
            Open::List { at, flow: true, .. } => Some((*at, '[')),
            Open::Map { at, flow: true, .. } => Some((*at, '{')),
            _ => None,
        }
    }
}

/// Builds the value tree from the parser's events, refusing aliases, tags and nesting
/// past `MAX_DEPTH` as they come.
fn parse_node(yaml: &str, first_line: usize) -> Result<Option<Node>, Syntax> {
    let mut parser = Parser::new_from_str(yaml);
    let mut stack: Vec<Open> = Vec::new();
    let mut root = None;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| scan_error(&e, &stack, yaml, first_line))?;
        let at = Position::new(first_line + span.start.line() - 1, span.start.col() + 1);
        let node = match event {
            Event::Alias(_) => {
                return Err(Syntax::new(
                    at,
                    "YAML aliases (`*name`) are not read",
                    "write the value itself instead of referring to another one",
                ));
            }
            Event::Scalar(_, _, _, Some(tag))
            | Event::SequenceStart(_, Some(tag))
            | Event::MappingStart(_, Some(tag)) => {
                return Err(Syntax::new(
                    at,
                    format!("the YAML tag `{tag}` is not read"),
                    "write a plain value, without a `!` tag",
                ));
            }
            Event::Scalar(text, style, _, None) => Node {
                at,
                value: scalar(text.into_owned(), style),
            },
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Syntax::new(
                        at,
                        format!("the YAML nests more than {MAX_DEPTH} levels deep"),
                        "the YAML nests or repeats too deeply; write plain values",
                    ));
                }
                // A bracket has a width; a block collection starts where its first item does.
                let flow = !span.is_empty();
                stack.push(match event {
                    Event::SequenceStart(..) => Open::List {
                        at,
                        flow,
                        items: Vec::new(),
                    },
                    _ => Open::Map {
                        at,
                        flow,
                        entries: Vec::new(),
                        key: None,
                    },
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::List { at, items, .. }) => Node {
                    at,
                    value: Value::List(items),
                },
                Some(Open::Map { at, entries, .. }) => Node {
                    at,
                    value: Value::Map(entries),
                },
                None => continue,
            },
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => continue,
        };
        match stack.last_mut() {
            None => root = root.or(Some(node)),
            Some(Open::List { items, .. }) => items.push(node),
            Some(Open::Map { entries, key, .. }) => match key.take() {
                Some(key) => entries.push(Entry { key, value: node }),
                None => *key = Some(key_of(node)?),
            },
        }
    }
    Ok(root)
}

fn scalar(text: String, style: ScalarStyle) -> Value {
    match style {
        ScalarStyle::Plain if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL") => {
            Value::Null
        }
        ScalarStyle::Plain => Value::Text { text, plain: true },
        _ => Value::Text { text, plain: false },
    }
}

fn key_of(node: Node) -> Result<Spanned<String>, Syntax> {
    match node.value {
        Value::Text { text, .. } => Ok(Spanned::new(text, node.at)),
        Value::Null => Err(Syntax::new(
            node.at,
            "a `:` with no key before it",
            "write the key before the colon, like `title: Talks resume`",
        )),
        _ => Err(Syntax::new(
            node.at,
            "a key must be a plain word",
            "write one `key: value` a line, like `title: Talks resume`",
        )),
    }
}

/// Turns the parser's error into what an editor can act on.
fn scan_error(error: &ScanError, stack: &[Open], yaml: &str, first_line: usize) -> Syntax {
    let marker = error.marker();
    let line = first_line + marker.line().saturating_sub(1);
    let at = Position::new(line, marker.col() + 1);
    let info = error.info();
    let written = yaml
        .lines()
        .nth(marker.line().saturating_sub(1))
        .unwrap_or("");
    let indent = &written[..written.len() - written.trim_start().len()];
    if info.contains("tab") || indent.contains('\t') {
        let column = written
            .find('\t')
            .map_or(at.column, |byte| written[..byte].chars().count() + 1);
        let message = if indent.contains('\t') {
            "this line is indented with a tab"
        } else {
            "a tab where YAML needs a space"
        };
        return Syntax::new(
            Position::new(line, column),
            message,
            "indent with spaces, not tabs",
        );
    }
    if let Some((open, bracket)) = stack.iter().rev().find_map(Open::flow_start)
        && (line > open.line || info.contains("flow"))
    {
        let (what, close, example) = match bracket {
            '[' => ("list", ']', "`places: [Odesa, Kyiv]`"),
            _ => (
                "mapping",
                '}',
                "`{title: Report, url: https://example.org/}`",
            ),
        };
        return Syntax::new(
            open,
            format!("the {what} opened with `{bracket}` is not closed"),
            format!(
                "end it with `{close}` on the same line, like {example}; a {what} that goes on over several lines needs those lines indented"
            ),
        );
    }
    if info.contains("anchor") {
        return Syntax::new(
            at,
            "YAML aliases (`*name`) are not read",
            "write the value itself instead of referring to another one",
        );
    }
    if info.contains("quoted scalar") {
        return Syntax::new(
            at,
            "the quoted value that starts here is not closed",
            "end the value with the same quote mark on the same line; write `\\\"` for a quote inside double quotes",
        );
    }
    if info.contains("mapping values are not allowed") {
        return Syntax::new(
            at,
            "a `: ` inside a value",
            "put a value that holds `: ` in quotes, like `title: \"Talks: day 2\"`; a key starts at the beginning of its line",
        );
    }
    Syntax::new(
        at,
        format!("the YAML cannot be read here ({info})"),
        "keys start at the beginning of a line and are followed by `: `; quote values that contain `: ` or ` #`, or that start with `[`, `{`, `*`, `&`, `!`, `%`, `@` or a backquote",
    )
}

/// The 1-based line on which `[`/`{` nesting first passes `MAX_DEPTH`, if it does.
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
                    if depth > MAX_DEPTH {
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

/// A key written twice keeps its first value; the second is an error.
fn refuse_repeated_keys(document: &mut Document, path: &Path, text: &str) {
    let mut seen: Vec<(String, Position)> = Vec::new();
    let mut kept = Vec::with_capacity(document.entries.len());
    for entry in std::mem::take(&mut document.entries) {
        match seen.iter().find(|(name, _)| *name == entry.key.value) {
            Some((name, first)) => document.problems.push(
                Diagnostic::error(path, format!("`{name}` is written twice"))
                    .at_line_of(text, entry.key.at.line, entry.key.at.column)
                    .with_help(format!(
                        "keep one of the two; the first is on line {}",
                        first.line
                    )),
            ),
            None => {
                seen.push((entry.key.value.clone(), entry.key.at));
                kept.push(entry);
            }
        }
    }
    document.entries = kept;
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("a.md")
    }

    /// Reads YAML that starts on line 2 of a file, as front matter does.
    fn doc(yaml: &str) -> Document {
        let text = format!("---\n{yaml}---\n");
        read(yaml, 2, p(), &text)
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
        let d = doc("title: x\r\ndate: 2025-05-16\r\n");
        assert!(d.problems.is_empty());
        assert_eq!(d.entries[1].value.text(), Some("2025-05-16"));
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

    #[test]
    fn every_key_and_value_has_its_position() {
        let d = doc("title: T\ndate:   2025-05-16\npeople:\n  - A\n  - B\n");
        assert!(d.problems.is_empty());
        let positions: Vec<_> = d.entries.iter().map(|e| (e.key.at, e.value.at)).collect();
        assert_eq!(positions[0], (Position::new(2, 1), Position::new(2, 8)));
        assert_eq!(positions[1], (Position::new(3, 1), Position::new(3, 9)));
        let Value::List(items) = &d.entries[2].value.value else {
            panic!("a list")
        };
        assert_eq!(items[1].at, Position::new(6, 5));
    }

    #[test]
    fn a_syntax_error_costs_only_its_own_key() {
        let d = doc("title: T\ndate: 2025-05-16\nplaces: [Odesa\ntags: [a]\norganizations: x\n");
        assert_eq!(d.problems.len(), 1, "{:?}", d.problems);
        let p = &d.problems[0];
        assert_eq!((p.line, p.column), (4, 9), "{p}");
        assert!(p.message.contains("not closed"), "{p}");
        assert_eq!(d.broken, ["places"]);
        let keys: Vec<&str> = d.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["title", "date", "tags", "organizations"]);
    }

    #[test]
    fn a_tab_says_so_and_hides_nothing() {
        let d = doc("title: T\npeople:\n\t- Putin\norganizations: [NATO]\n");
        assert_eq!(d.problems.len(), 1);
        let p = &d.problems[0];
        assert_eq!((p.line, p.column), (4, 1), "{p}");
        assert_eq!(p.help.as_deref(), Some("indent with spaces, not tabs"));
        assert!(d.entries.iter().any(|e| e.key.value == "organizations"));
    }

    #[test]
    fn aliases_tags_and_deep_nesting_are_refused() {
        let d = doc("a: &x [1]\nb: *x\n");
        assert!(
            d.problems[0].message.contains("aliases"),
            "{:?}",
            d.problems
        );
        let d = doc("a: !foo bar\n");
        assert!(d.problems[0].message.contains("tag"));
        let deep = format!("tags: {}{}\n", "[".repeat(65), "]".repeat(65));
        assert!(doc(&deep).problems[0].message.contains("nests"));
        let nested: String = (0..100)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect();
        assert!(
            doc(&format!("tags:\n{nested}")).problems[0]
                .message
                .contains("nests")
        );
    }

    #[test]
    fn deep_brackets_are_counted_before_parsing() {
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
    fn a_repeated_key_is_an_error() {
        let d = doc("title: A\ntitle: B\n");
        assert_eq!(d.entries.len(), 1);
        assert_eq!(d.problems[0].line, 3);
    }

    #[test]
    fn a_colon_in_a_value_asks_for_quotes() {
        let d = doc("title: Talks: day 2\ndate: 2025-05-16\n");
        assert_eq!(d.problems.len(), 1);
        assert!(
            d.problems[0]
                .help
                .as_deref()
                .unwrap_or("")
                .contains("quotes")
        );
        assert_eq!(d.entries.len(), 1);
        assert_eq!(d.broken, ["title"]);
    }
}

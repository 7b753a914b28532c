//! YAML text → `Node`s that know where each key and value was written. A syntax error
//! costs only the top-level key whose lines hold it: the document is then read again one
//! top-level entry at a time. Aliases, tags and nesting past `MAX_DEPTH` are refused here,
//! as the events come, because the parser itself does not bound them.

use std::path::Path;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use crate::content::position::{Position, Spanned};
use crate::diagnostics::Diagnostic;

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
                    format!("the YAML tag `{}` is not read", written_tag(&tag)),
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

/// A tag as the editor wrote it: `!!binary`, `!custom`.
fn written_tag(tag: &saphyr_parser::Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else if tag.handle == "!" {
        format!("!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
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
    fn crlf_line_endings_read_alike() {
        let d = doc("title: x\r\ndate: 2025-05-16\r\n");
        assert!(d.problems.is_empty());
        assert_eq!(d.entries[1].value.text(), Some("2025-05-16"));
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

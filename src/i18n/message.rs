//! One string of a table, parsed: plain text with `{name}` placeholders (`{{` and `}}`
//! write braces), or a set of such texts by CLDR plural category. Formatting substitutes
//! the caller's values; the result is plain text that the templates escape like any other.

use icu_plurals::PluralCategory;

/// A parsed text: literal pieces and placeholders, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Slot(String),
}

/// A placeholder as written, with its byte offset in the text, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub name: String,
    pub offset: usize,
}

/// Why a text does not parse: a brace that opens no placeholder, or one never closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub offset: usize,
}

impl Message {
    /// The empty text.
    pub const fn empty() -> Message {
        Message { pieces: Vec::new() }
    }

    /// A text taken as it is, braces and all.
    pub fn literal(text: &str) -> Message {
        let pieces = match text {
            "" => Vec::new(),
            text => vec![Piece::Text(text.to_string())],
        };
        Message { pieces }
    }

    pub fn parse(text: &str) -> Result<Message, SyntaxError> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = text.char_indices().peekable();
        while let Some((offset, c)) = rest.next() {
            match c {
                '{' if rest.peek().is_some_and(|&(_, n)| n == '{') => {
                    rest.next();
                    literal.push('{');
                }
                '}' if rest.peek().is_some_and(|&(_, n)| n == '}') => {
                    rest.next();
                    literal.push('}');
                }
                '{' => {
                    let Some(close) = text[offset..].find('}') else {
                        return Err(SyntaxError {
                            message: "`{` opens a placeholder that is never closed".into(),
                            offset,
                        });
                    };
                    let name = &text[offset + 1..offset + close];
                    if !is_name(name) {
                        return Err(SyntaxError {
                            message: format!(
                                "`{{{name}}}` is not a placeholder: names are lower-case letters, digits and `_`"
                            ),
                            offset,
                        });
                    }
                    if !literal.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Slot(name.to_string()));
                    while rest.peek().is_some_and(|&(i, _)| i <= offset + close) {
                        rest.next();
                    }
                }
                '}' => {
                    return Err(SyntaxError {
                        message: "`}` closes no placeholder; write `}}` for a brace".into(),
                        offset,
                    });
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(Message { pieces })
    }

    /// The placeholders written in the text, in order, with where each starts.
    pub fn placeholders(&self, text: &str) -> Vec<Placeholder> {
        let mut found = Vec::new();
        for piece in &self.pieces {
            if let Piece::Slot(name) = piece {
                let written = format!("{{{name}}}");
                let from = found.last().map_or(0, |p: &Placeholder| p.offset + 1);
                let offset = text[from..].find(&written).map_or(0, |i| from + i);
                found.push(Placeholder {
                    name: name.clone(),
                    offset,
                });
            }
        }
        found
    }

    /// The names of its placeholders.
    pub fn slots(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Slot(name) => Some(name.as_str()),
            Piece::Text(_) => None,
        })
    }

    /// The text itself when it has no placeholders.
    pub fn as_plain(&self) -> Option<&str> {
        match self.pieces.as_slice() {
            [] => Some(""),
            [Piece::Text(text)] => Some(text),
            _ => None,
        }
    }

    /// The text with each placeholder replaced by its value in `args`. A placeholder with
    /// no value is left as written, so a missing argument shows on the page and in tests.
    pub fn format(&self, args: &[(&str, &str)]) -> String {
        self.write(args, |text, out| out.push_str(text))
    }

    /// Like `format`, but for HTML: the text is escaped and `args` are HTML already
    /// (links built by the caller), so a sentence can carry links in any word order.
    pub fn format_html(&self, args: &[(&str, &str)]) -> String {
        self.write(args, escape_html)
    }

    fn write(&self, args: &[(&str, &str)], text: impl Fn(&str, &mut String)) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(literal) => text(literal, &mut out),
                Piece::Slot(name) => match args.iter().find(|(n, _)| n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
        }
        out
    }

    /// The text as a table would write it, braces doubled and placeholders restored.
    pub fn source(&self) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(literal) => {
                    out.push_str(&literal.replace('{', "{{").replace('}', "}}"));
                }
                Piece::Slot(name) => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            }
        }
        out
    }
}

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The texts of a string with plural forms, one per CLDR category present.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Forms {
    by_category: [Option<Message>; 6],
}

impl Forms {
    pub fn insert(&mut self, category: PluralCategory, message: Message) {
        self.by_category[category as usize] = Some(message);
    }

    pub fn get(&self, category: PluralCategory) -> Option<&Message> {
        self.by_category[category as usize].as_ref()
    }

    /// The text for `category`, or `other`'s when the table has none for it: English
    /// forms stand in for a language that is not built in, and English has only two.
    pub fn select(&self, category: PluralCategory) -> Option<&Message> {
        self.get(category)
            .or_else(|| self.get(PluralCategory::Other))
            .or_else(|| self.by_category.iter().flatten().next())
    }

    /// The categories present, in CLDR's order (zero, one, two, few, many, other).
    pub fn categories(&self) -> impl Iterator<Item = PluralCategory> + '_ {
        CATEGORIES
            .iter()
            .copied()
            .filter(|&category| self.get(category).is_some())
    }

    pub fn messages(&self) -> impl Iterator<Item = &Message> {
        self.by_category.iter().flatten()
    }
}

/// CLDR's categories in its own order, which is how messages and help list them.
pub const CATEGORIES: [PluralCategory; 6] = [
    PluralCategory::Zero,
    PluralCategory::One,
    PluralCategory::Two,
    PluralCategory::Few,
    PluralCategory::Many,
    PluralCategory::Other,
];

/// A category as the tables write it.
pub fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Message {
        Message::parse(text).unwrap()
    }

    #[test]
    fn placeholders_are_substituted_and_braces_escaped() {
        let message = m("{name} on Wikidata");
        assert_eq!(message.format(&[("name", "Kyiv")]), "Kyiv on Wikidata");
        assert_eq!(message.slots().collect::<Vec<_>>(), ["name"]);
        assert_eq!(m("{{literal}} {x}").format(&[("x", "1")]), "{literal} 1");
        assert_eq!(m("a }} b").as_plain(), Some("a } b"));
        assert_eq!(m("plain").as_plain(), Some("plain"));
        assert_eq!(m("").as_plain(), Some(""));
        assert_eq!(m("{x}").as_plain(), None);
    }

    #[test]
    fn a_missing_value_stays_visible() {
        assert_eq!(m("Map of {name}").format(&[]), "Map of {name}");
    }

    #[test]
    fn values_are_inserted_as_given() {
        // Substitution is not a second template pass: a value with braces stays as it is.
        assert_eq!(m("{a}{b}").format(&[("a", "{b}"), ("b", "x")]), "{b}x");
    }

    #[test]
    fn html_formatting_escapes_the_text_only() {
        let message = m("Browse <{people}> & \"{tags}\"");
        let html = message.format_html(&[("people", "<a href=\"/p/\">people</a>"), ("tags", "t")]);
        assert_eq!(
            html,
            "Browse &lt;<a href=\"/p/\">people</a>&gt; &amp; &quot;t&quot;"
        );
    }

    #[test]
    fn bad_braces_are_errors_with_offsets() {
        let open = Message::parse("x {count").unwrap_err();
        assert_eq!(open.offset, 2);
        assert!(open.message.contains("never closed"));
        let close = Message::parse("a } b").unwrap_err();
        assert_eq!(close.offset, 2);
        let bad_name = Message::parse("{Count} and {}").unwrap_err();
        assert!(
            bad_name.message.contains("`{Count}`"),
            "{}",
            bad_name.message
        );
        assert!(Message::parse("{}").is_err());
        assert!(Message::parse("{a b}").is_err());
    }

    #[test]
    fn placeholders_know_where_they_are() {
        let text = "Знайдено {count} з {count}: {name}";
        let found = m(text).placeholders(text);
        let offsets: Vec<usize> = found.iter().map(|p| p.offset).collect();
        assert_eq!(
            offsets,
            [
                text.find("{count}").unwrap(),
                text.rfind("{count}").unwrap(),
                text.find("{name}").unwrap()
            ]
        );
    }

    #[test]
    fn source_round_trips() {
        for text in ["{name}: {{x}}", "a }} b", "plain", "{a}{b}"] {
            assert_eq!(m(text).source(), text);
        }
    }

    #[test]
    fn forms_fall_back_to_other() {
        let mut forms = Forms::default();
        forms.insert(PluralCategory::One, m("{count} briefing"));
        forms.insert(PluralCategory::Other, m("{count} briefings"));
        let few = forms.select(PluralCategory::Few).unwrap();
        assert_eq!(few.format(&[("count", "3")]), "3 briefings");
        assert_eq!(
            forms.categories().collect::<Vec<_>>(),
            [PluralCategory::One, PluralCategory::Other]
        );
    }
}

//! A string table (built in, or a site's `i18n/<code>.yaml`) → its texts by key, checked
//! like every other file the editor writes: an unknown key, a placeholder the string does
//! not take, a plural form the language lacks or needs, each is a diagnostic at its line
//! and column. English's table decides which keys exist, which are plural and which
//! placeholders each may use.

use std::path::Path;

use icu_plurals::{PluralCategory, PluralRules};

use super::keys::Key;
use super::message::{CATEGORIES, Forms, Message, category_name};
use super::yaml::{self, EntryValue, Position, Scalar};
use crate::diagnostics::{Diagnostic, suggest};

/// One key's text: plain, or one text per plural category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Plain(Message),
    Forms(Forms),
}

/// The texts of a table, indexed by `Key::index`; `None` where the table is silent.
pub type Texts = Vec<Option<Text>>;

/// What English says a key is: plural or not, and the placeholders it may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub plural: bool,
    pub slots: Vec<String>,
}

impl Shape {
    pub fn of(text: &Text) -> Shape {
        let mut slots: Vec<String> = match text {
            Text::Plain(message) => message.slots().map(str::to_string).collect(),
            Text::Forms(forms) => forms
                .messages()
                .flat_map(|m| m.slots().map(str::to_string))
                .collect(),
        };
        slots.sort();
        slots.dedup();
        Shape {
            plural: matches!(text, Text::Forms(_)),
            slots,
        }
    }
}

/// A language's plural categories as a table must write them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plurals {
    /// The language code, for messages.
    pub code: String,
    /// Every category CLDR gives the language (`other` included, even where only
    /// fractions reach it, as in Ukrainian).
    pub allowed: Vec<PluralCategory>,
    /// The categories some whole number falls in: a count of briefings can reach them, so
    /// a table must write each.
    pub required: Vec<PluralCategory>,
}

impl Plurals {
    pub fn new(code: &str, rules: Option<&PluralRules>) -> Plurals {
        let Some(rules) = rules else {
            return Plurals {
                code: code.to_string(),
                allowed: vec![PluralCategory::Other],
                required: vec![PluralCategory::Other],
            };
        };
        let present: Vec<PluralCategory> = rules.categories().collect();
        let allowed = CATEGORIES
            .iter()
            .copied()
            .filter(|c| present.contains(c))
            .collect();
        let reached: Vec<PluralCategory> = samples().map(|n| rules.category_for(n)).collect();
        let required = CATEGORIES
            .iter()
            .copied()
            .filter(|c| reached.contains(c))
            .collect();
        Plurals {
            code: code.to_string(),
            allowed,
            required,
        }
    }

    /// Whole numbers that fall in `category`, for help text: `2, 3, 4, 22, …`.
    pub fn examples(category: PluralCategory, rules: Option<&PluralRules>) -> String {
        let Some(rules) = rules else {
            return String::new();
        };
        let found: Vec<String> = samples()
            .filter(|&n| rules.category_for(n) == category)
            .take(5)
            .map(|n| n.to_string())
            .collect();
        match found.len() {
            0 => String::new(),
            _ => format!(" (for {}, …)", found.join(", ")),
        }
    }
}

/// Enough whole numbers to meet every category CLDR's rules give integers: its rules
/// look at the last two or three digits, and at millions (`many` in French, Italian).
fn samples() -> impl Iterator<Item = u64> {
    (0..=1100).chain([1_000_000, 2_000_000, 1_000_000_000])
}

/// What a table is read against.
pub struct Against<'a> {
    /// English's shapes by key index; `None` while reading English itself.
    pub shapes: Option<&'a [Shape]>,
    pub plurals: &'a Plurals,
    pub rules: Option<&'a PluralRules>,
}

/// Reads and checks one table. Entries with problems are left out, so what comes back is
/// always safe to use; the diagnostics say what was left out and why.
pub fn read(path: &Path, source: &str, against: &Against<'_>) -> (Texts, Vec<Diagnostic>) {
    let mut texts: Texts = vec![None; Key::ALL.len()];
    let (entries, mut problems) = yaml::read(path, source);
    let reader = Reader {
        path,
        source,
        against,
    };
    for entry in entries {
        let Some(key) = Key::from_name(&entry.key) else {
            problems.push(reader.unknown_key(&entry.key, entry.at));
            continue;
        };
        let shape = against.shapes.map(|shapes| &shapes[key.index()]);
        let text = match entry.value {
            EntryValue::Text(scalar) => reader.plain(key, shape, &scalar, entry.at),
            EntryValue::Forms(forms) => reader.forms(key, shape, forms, entry.at),
            EntryValue::Wrong(kind) => Err(vec![reader.wrong_kind(key, kind, entry.at)]),
        };
        match text {
            Ok(text) => texts[key.index()] = Some(text),
            Err(mut found) => problems.append(&mut found),
        }
    }
    (texts, problems)
}

struct Reader<'a> {
    path: &'a Path,
    source: &'a str,
    against: &'a Against<'a>,
}

impl Reader<'_> {
    fn error(&self, message: String, at: Position, help: String) -> Diagnostic {
        Diagnostic::error(self.path, message)
            .at_line_of(self.source, at.line, at.column)
            .with_help(help)
    }

    fn unknown_key(&self, key: &str, at: Position) -> Diagnostic {
        let names = Key::ALL.iter().map(|k| k.name());
        let help = match suggest(key, names) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "a table may set only the theme's own strings, such as `sources` or `briefing_count`; the README lists them".to_string(),
        };
        self.error(format!("unknown string key `{key}`"), at, help)
    }

    fn wrong_kind(&self, key: Key, kind: &str, at: Position) -> Diagnostic {
        self.error(
            format!("`{}` is {kind}, not text", key.name()),
            at,
            "write the text after the colon, in quotes if it has `: ` or `#` in it".into(),
        )
    }

    /// A text written on the key's own line.
    fn plain(
        &self,
        key: Key,
        shape: Option<&Shape>,
        scalar: &Scalar,
        at: Position,
    ) -> Result<Text, Vec<Diagnostic>> {
        let message = self.message(key, shape, scalar)?;
        match shape {
            Some(shape) if shape.plural => {
                // A language with one form for every count may write it bare.
                if self.against.plurals.required == [PluralCategory::Other] {
                    let mut forms = Forms::default();
                    forms.insert(PluralCategory::Other, message);
                    return Ok(Text::Forms(forms));
                }
                Err(vec![self.error(
                    format!(
                        "`{}` needs plural forms for `{}`",
                        key.name(),
                        self.against.plurals.code
                    ),
                    at,
                    format!(
                        "write each form on its own indented line under the key: {}",
                        self.form_list(&self.against.plurals.required)
                    ),
                )])
            }
            _ => Ok(Text::Plain(message)),
        }
    }

    fn forms(
        &self,
        key: Key,
        shape: Option<&Shape>,
        forms: Vec<yaml::Form>,
        at: Position,
    ) -> Result<Text, Vec<Diagnostic>> {
        if shape.is_some_and(|s| !s.plural) {
            return Err(vec![self.error(
                format!("`{}` is one text, not plural forms", key.name()),
                at,
                format!("write it on one line: `{}: …`", key.name()),
            )]);
        }
        let plurals = self.against.plurals;
        let mut problems = Vec::new();
        let mut result = Forms::default();
        for form in forms {
            let Some(category) = PluralCategory::get_for_cldr_string(&form.category) else {
                let names = CATEGORIES.iter().map(|&c| category_name(c));
                let help = match suggest(&form.category, names) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!(
                        "plural forms are CLDR's categories; `{}` uses {}",
                        plurals.code,
                        self.form_list(&plurals.allowed)
                    ),
                };
                problems.push(self.error(
                    format!("`{}` is not a plural category", form.category),
                    form.at,
                    help,
                ));
                continue;
            };
            if !plurals.allowed.contains(&category) {
                problems.push(self.error(
                    format!(
                        "`{}` is not a plural form of `{}`",
                        form.category, plurals.code
                    ),
                    form.at,
                    format!(
                        "`{}` uses {}; remove this line",
                        plurals.code,
                        self.form_list(&plurals.allowed)
                    ),
                ));
                continue;
            }
            match form.value {
                Ok(scalar) => match self.message(key, shape, &scalar) {
                    Ok(message) => result.insert(category, message),
                    Err(mut found) => problems.append(&mut found),
                },
                Err(kind) => problems.push(self.error(
                    format!(
                        "the `{}` form of `{}` is {kind}, not text",
                        form.category,
                        key.name()
                    ),
                    form.at,
                    "write the text after the colon, in quotes if it has `: ` or `#` in it".into(),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let missing: Vec<PluralCategory> = plurals
            .required
            .iter()
            .copied()
            .filter(|&c| result.get(c).is_none())
            .collect();
        if let Some(&first) = missing.first() {
            let names: Vec<String> = missing
                .iter()
                .map(|&c| format!("`{}`", category_name(c)))
                .collect();
            return Err(vec![self.error(
                format!(
                    "`{}` lacks the {} form{} that `{}` needs",
                    key.name(),
                    names.join(", "),
                    if missing.len() == 1 { "" } else { "s" },
                    plurals.code
                ),
                at,
                format!(
                    "add `{}:`{}",
                    category_name(first),
                    Plurals::examples(first, self.against.rules)
                ),
            )]);
        }
        Ok(Text::Forms(result))
    }

    /// Parses one text and checks its placeholders against English's for the key.
    fn message(
        &self,
        key: Key,
        shape: Option<&Shape>,
        scalar: &Scalar,
    ) -> Result<Message, Vec<Diagnostic>> {
        let message =
            Message::parse(&scalar.text).map_err(|syntax| {
                let column_offset = scalar.text[..syntax.offset].chars().count();
                let at = Position {
                    line: scalar.at.line,
                    column: scalar.at.column + column_offset,
                };
                vec![self.error(
                syntax.message,
                at,
                "a placeholder is a name in braces, `{name}`; write `{{` and `}}` for braces"
                    .into(),
            )]
            })?;
        let Some(shape) = shape else {
            return Ok(message);
        };
        let problems: Vec<Diagnostic> = message
            .placeholders(&scalar.text)
            .into_iter()
            .filter(|p| !shape.slots.contains(&p.name))
            .map(|p| {
                let written = format!("{{{}}}", p.name);
                let at = yaml::locate(self.source, scalar.at, &written).unwrap_or(scalar.at);
                let help = match suggest(&p.name, shape.slots.iter().map(String::as_str)) {
                    Some(near) => format!("did you mean `{{{near}}}`?"),
                    None if shape.slots.is_empty() => {
                        format!("`{}` takes no placeholders", key.name())
                    }
                    None => format!(
                        "the placeholders of `{}` are {}",
                        key.name(),
                        shape
                            .slots
                            .iter()
                            .map(|s| format!("`{{{s}}}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                self.error(
                    format!("`{written}` is not a placeholder of `{}`", key.name()),
                    at,
                    help,
                )
            })
            .collect();
        if problems.is_empty() {
            Ok(message)
        } else {
            Err(problems)
        }
    }

    /// `` `one:`, `few:`, `many:` `` for help text.
    fn form_list(&self, categories: &[PluralCategory]) -> String {
        categories
            .iter()
            .map(|&c| format!("`{}:`", category_name(c)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

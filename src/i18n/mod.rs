//! The theme's words and dates in each language of the site. Takes a checked `Language`
//! and, if the site has one, its `i18n/<code>.yaml`; returns `Words`, which every page of
//! that language reads and nothing changes. Built in: English, Ukrainian, Russian and
//! Arabic (`words/*.yaml`). Plural rules and dates are CLDR's, through ICU4X's compiled
//! data, so no month name or plural rule is written by hand here.
//!
//! A site's table adds or overrides strings; it is checked like any file the editor
//! writes. A language that is not built in may be given whole; whatever it leaves out is
//! shown in English, with a warning.

mod collation;
mod dates;
mod keys;
mod language;
mod message;
mod table;
mod yaml;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use icu_locale::Locale;
use icu_plurals::{PluralCategory, PluralRules};

pub use collation::{Collation, initial};
pub use dates::Dates;
pub use keys::Key;
pub use language::{CodeError, Direction, Language};
use message::{Message, category_name};
use table::{Against, Plurals, Shape, Text};

use crate::diagnostics::{self, Diagnostic};
use crate::error::Error;

/// The built-in tables, by language subtag. English is first: it is the list of keys.
const BUILT_IN: &[(&str, &str)] = &[
    ("en", include_str!("words/en.yaml")),
    ("uk", include_str!("words/uk.yaml")),
    ("ru", include_str!("words/ru.yaml")),
    ("ar", include_str!("words/ar.yaml")),
];

/// The codes of the languages sitroom has words for without a site table.
pub fn built_in() -> impl Iterator<Item = &'static str> {
    BUILT_IN.iter().map(|(code, _)| *code)
}

/// A site's own table, as read from `i18n/<code>.yaml`.
#[derive(Debug, Clone, Copy)]
pub struct SiteTable<'a> {
    /// Relative to the site root, as messages name it.
    pub path: &'a Path,
    pub text: &'a str,
}

/// One language's words, plural rules and date formatters, ready for every page.
#[derive(Debug)]
pub struct Words {
    language: Language,
    /// One text per `Key`, in `Key::ALL`'s order; complete after fallback.
    texts: Vec<Text>,
    rules: Option<PluralRules>,
    dates: Dates,
    collation: Collation,
}

impl Words {
    /// The words of `language`: its built-in table (or English's), under the site's own.
    /// Problems in the site's table come back as diagnostics; the entries they concern
    /// are left out, so the words are usable either way.
    pub fn new(language: &Language, site: Option<SiteTable<'_>>) -> (Words, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let (english, shapes) = english(&mut problems);
        let rules = plural_rules(language);
        let plurals = Plurals::new(language.code(), rules.as_ref());
        let against = Against {
            shapes: Some(&shapes),
            plurals: &plurals,
            rules: rules.as_ref(),
        };
        let built_in = BUILT_IN
            .iter()
            .find(|(code, _)| *code == language.base())
            .map(|(code, source)| {
                let path = built_in_path(code);
                let (texts, mut found) = table::read(&path, source, &against);
                problems.append(&mut found);
                texts
            });
        let default_path = PathBuf::from("i18n").join(format!("{}.yaml", language.code()));
        let (site_texts, site_path) = match site {
            Some(site) => {
                let (texts, mut found) = table::read(site.path, site.text, &against);
                problems.append(&mut found);
                (Some(texts), site.path.to_path_buf())
            }
            None => (None, default_path),
        };

        let mut missing = Vec::new();
        let texts = Key::ALL
            .iter()
            .map(|&key| {
                let i = key.index();
                let own = site_texts.as_ref().and_then(|t| t[i].clone());
                let own = own.or_else(|| built_in.as_ref().and_then(|t| t[i].clone()));
                if key == Key::LanguageName {
                    return own.unwrap_or_else(|| {
                        let name = language.autonym().unwrap_or(language.code());
                        Text::Plain(plain(name))
                    });
                }
                own.unwrap_or_else(|| {
                    missing.push(key.name());
                    english[i].clone()
                })
            })
            .collect();
        if !missing.is_empty() && language.base() != "en" {
            problems.push(english_shown(
                language,
                &site_path,
                &missing,
                site.is_some(),
            ));
        }
        let words = Words {
            language: language.clone(),
            texts,
            rules,
            dates: Dates::new(language),
            collation: Collation::new(language),
        };
        (words, problems)
    }

    /// How the language orders names, for the A–Z indexes.
    pub fn collation(&self) -> &Collation {
        &self.collation
    }

    pub fn language(&self) -> &Language {
        &self.language
    }

    /// What the words are made from, as text: the language and every string as written
    /// (not the compiled formatters), for the build's fingerprint.
    pub fn inputs(&self) -> String {
        format!("{:?}{:?}", self.language, self.texts)
    }

    /// The language's own name, for a language switcher: `Українська`.
    pub fn autonym(&self) -> Cow<'_, str> {
        self.text(Key::LanguageName)
    }

    /// A string with no values to fill in. Placeholders, if it has any, stay as written;
    /// a plural string gives its `other` form.
    pub fn text(&self, key: Key) -> Cow<'_, str> {
        let message = self.message(key, PluralCategory::Other);
        match message.as_plain() {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(message.format(&[])),
        }
    }

    /// A string with its placeholders filled in: `format(Key::OnWikidata, &[("name", n)])`.
    pub fn format(&self, key: Key, args: &[(&str, &str)]) -> String {
        self.message(key, PluralCategory::Other).format(args)
    }

    /// A string as HTML: its text escaped, `args` inserted as the HTML they are. For a
    /// sentence with links in it (`not_found_browse`), whose word order is the language's.
    pub fn format_html(&self, key: Key, args: &[(&str, &str)]) -> String {
        self.message(key, PluralCategory::Other).format_html(args)
    }

    /// A string about `count` things, in the plural form the language gives that number,
    /// with `{count}` and `args` filled in: `5 брифінгів`, `21 брифінг`.
    pub fn count(&self, key: Key, count: u64, args: &[(&str, &str)]) -> String {
        let number = count.to_string();
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(("count", number.as_str()));
        all.extend_from_slice(args);
        self.message(key, self.category(count)).format(&all)
    }

    /// `count` as HTML: the plural form for `count`, its text escaped, `args` inserted as
    /// the HTML they are (a byline whose names are already marked up).
    pub fn count_html(&self, key: Key, count: u64, args: &[(&str, &str)]) -> String {
        let number = count.to_string();
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(("count", number.as_str()));
        all.extend_from_slice(args);
        self.message(key, self.category(count)).format_html(&all)
    }

    /// The CLDR plural category of `count` in this language: `one`, `few`, `many`, ….
    pub fn plural_category(&self, count: u64) -> &'static str {
        category_name(self.category(count))
    }

    /// A plural string's forms as written, by category, for code that chooses the form
    /// itself (the search script, with the browser's `Intl.PluralRules`). A plain string
    /// gives one form, `other`.
    pub fn forms(&self, key: Key) -> Vec<(&'static str, String)> {
        match &self.texts[key.index()] {
            Text::Plain(message) => vec![("other", message.source())],
            Text::Forms(forms) => forms
                .categories()
                .filter_map(|c| forms.get(c).map(|m| (category_name(c), m.source())))
                .collect(),
        }
    }

    /// Every string that is not plural, as written, by key name: a template variable for
    /// themes that want a word this crate's views do not pass ready-made.
    pub fn plain_texts(&self) -> BTreeMap<&'static str, String> {
        Key::ALL
            .iter()
            .filter_map(|&key| match &self.texts[key.index()] {
                Text::Plain(message) => Some((key.name(), message.source())),
                Text::Forms(_) => None,
            })
            .collect()
    }

    /// A day in this language: `16 травня 2025 р.`.
    pub fn date(&self, date: jiff::civil::Date) -> String {
        self.dates.day(date)
    }

    /// A month as in running text: `травень 2025 р.`.
    pub fn month(&self, year: i16, month: i8) -> String {
        self.dates.month(year, month)
    }

    /// A month at the start of a heading or list item: `Травень 2025 р.`.
    pub fn month_heading(&self, year: i16, month: i8) -> String {
        self.dates.month_heading(year, month)
    }

    /// A year alone, as CLDR writes it: `2025`.
    pub fn year(&self, year: i16) -> String {
        self.dates.year(year)
    }

    fn category(&self, count: u64) -> PluralCategory {
        self.rules
            .as_ref()
            .map_or(PluralCategory::Other, |rules| rules.category_for(count))
    }

    fn message(&self, key: Key, category: PluralCategory) -> &Message {
        match &self.texts[key.index()] {
            Text::Plain(message) => message,
            // `select` has a text for every table that passed `table::read`: a plural
            // string is only kept with at least its language's required forms.
            Text::Forms(forms) => forms.select(category).unwrap_or(&EMPTY),
        }
    }
}

static EMPTY: Message = Message::empty();

/// Reads the site's `i18n/<code>.yaml` for each language and makes its words. A table for
/// a language the site does not list is a warning; so is a file that is not a table.
pub fn load(root: &Path, languages: &[Language]) -> Result<(Vec<Words>, Vec<Diagnostic>), Error> {
    let folder = root.join("i18n");
    let mut problems = Vec::new();
    let mut all = Vec::with_capacity(languages.len());
    for language in languages {
        let path = folder.join(format!("{}.yaml", language.code()));
        let relative = diagnostics::relative(root, &path);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                problems.push(
                    Diagnostic::error(&relative, "the file is not UTF-8 text")
                        .with_help("save it as UTF-8"),
                );
                None
            }
            Err(e) => return Err(Error::io("reading", &path, e)),
        };
        let site = text.as_deref().map(|text| SiteTable {
            path: &relative,
            text,
        });
        let (words, mut found) = Words::new(language, site);
        problems.append(&mut found);
        all.push(words);
    }
    problems.extend(strays(root, &folder, languages)?);
    diagnostics::sort(&mut problems);
    Ok((all, problems))
}

/// Files in `i18n/` that no listed language reads.
fn strays(root: &Path, folder: &Path, languages: &[Language]) -> Result<Vec<Diagnostic>, Error> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("reading", folder, e)),
    };
    let mut problems = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io("reading", folder, e))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let Some(name) = name.filter(|n| !n.starts_with('.')) else {
            continue;
        };
        let relative = diagnostics::relative(root, &path);
        let listed = |code: &str| languages.iter().any(|l| l.code() == code);
        match name.strip_suffix(".yaml") {
            Some(code) if listed(code) => {}
            Some(code) => problems.push(
                Diagnostic::warning(
                    &relative,
                    format!(
                        "`{code}` is not one of the site's languages, so this table is not used"
                    ),
                )
                .with_help(format!(
                    "add `{code}` to `languages:` in `site.yaml`, or remove the file"
                )),
            ),
            None => problems.push(
                Diagnostic::warning(
                    &relative,
                    "this file is not a string table, so it is not used",
                )
                .with_help("name a language's table `i18n/<code>.yaml`, such as `i18n/uk.yaml`"),
            ),
        }
    }
    Ok(problems)
}

/// English's texts and, from them, every key's shape. English is complete (a test says
/// so); a key it lacked would read as an empty plain string rather than fail a build.
fn english(problems: &mut Vec<Diagnostic>) -> (Vec<Text>, Vec<Shape>) {
    let english = Language::parse("en").ok();
    let rules = english.as_ref().and_then(plural_rules);
    let plurals = Plurals::new("en", rules.as_ref());
    let against = Against {
        shapes: None,
        plurals: &plurals,
        rules: rules.as_ref(),
    };
    let (texts, mut found) = table::read(&built_in_path("en"), BUILT_IN[0].1, &against);
    problems.append(&mut found);
    let texts: Vec<Text> = texts
        .into_iter()
        .map(|t| t.unwrap_or_else(|| Text::Plain(plain(""))))
        .collect();
    let shapes = texts.iter().map(Shape::of).collect();
    (texts, shapes)
}

fn plural_rules(language: &Language) -> Option<PluralRules> {
    let locale = Locale::from(language.id().clone());
    PluralRules::try_new_cardinal((&locale).into()).ok()
}

fn built_in_path(code: &str) -> PathBuf {
    PathBuf::from(format!("src/i18n/words/{code}.yaml"))
}

/// A message of literal text, braces and all.
fn plain(text: &str) -> Message {
    Message::literal(text)
}

/// The warning for a language whose words are partly or wholly English.
fn english_shown(language: &Language, path: &Path, missing: &[&str], has_file: bool) -> Diagnostic {
    let code = language.code();
    let message = if has_file {
        let shown: Vec<String> = missing.iter().take(5).map(|k| format!("`{k}`")).collect();
        let more = match missing.len().saturating_sub(5) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        format!(
            "this table does not give {}{more}; pages in `{code}` show them in English",
            shown.join(", ")
        )
    } else {
        format!(
            "sitroom has no built-in words for `{code}`; its pages show the theme's words in English"
        )
    };
    Diagnostic::warning(path, message).with_help(format!(
        "write the missing strings in `i18n/{code}.yaml`; sitroom's English table lists every key (README, Languages)"
    ))
}

#[cfg(test)]
mod tests;

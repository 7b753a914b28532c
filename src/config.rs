//! `site.yaml` → `Config`, checked once: `base_url` is absolute and split into origin and
//! sub-path, `per_page` is positive, unknown keys are errors with a suggestion. Read through
//! `content::front_matter`, the one YAML reader, so every problem shows its line.

use std::path::Path;

use crate::content::front_matter::Fields;
use crate::content::front_matter::{Node, Value};
use crate::diagnostics::{Diagnostic, suggest};
use crate::i18n::Language;

const CONFIG_KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "per_page",
    "cname",
    "sanitize_html",
    "languages",
];

/// The keys of one entry of `languages:`.
const LANGUAGE_KEYS: &[&str] = &["title", "description"];

/// The checked site settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub title: String,
    pub base_url: BaseUrl,
    pub description: String,
    pub language: String,
    pub per_page: usize,
    pub cname: Option<String>,
    pub sanitize_html: bool,
    /// The languages beside the default one (`languages:`), in the order written; empty
    /// for a single-language archive.
    pub languages: Vec<SiteLanguage>,
}

/// A language beside the default one: its pages live under `/<code>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLanguage {
    pub language: Language,
    /// The site's title and description in that language.
    pub title: String,
    pub description: String,
}

/// An absolute base URL, split so pages can link by path (`/repo/people/`) and feeds by URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://user.github.io` — scheme and host, no trailing slash.
    pub origin: String,
    /// `/repo/` — always starts and ends with `/`.
    pub path: String,
}

impl BaseUrl {
    /// Parses `https://host[:port][/sub/path]`, adding the trailing slash editors often forget.
    pub fn parse(url: &str) -> Result<BaseUrl, String> {
        let url = url.trim();
        let rest = url
            .strip_prefix("https://")
            .map(|r| ("https://", r))
            .or_else(|| url.strip_prefix("http://").map(|r| ("http://", r)));
        let Some((scheme, rest)) = rest else {
            return Err(format!(
                "`{url}` is not an absolute http(s) URL; write it like `https://user.github.io/repo/`"
            ));
        };
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() || host.contains(['?', '#', ' ']) || path.contains(['?', '#']) {
            return Err(format!(
                "`{url}` has no host or has a query or fragment; write it like `https://user.github.io/repo/`"
            ));
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl {
            origin: format!("{scheme}{host}"),
            path,
        })
    }

    /// The full URL, ending in `/`.
    pub fn full(&self) -> String {
        format!("{}{}", self.origin, self.path)
    }
}

/// Reads and checks `site.yaml` under `root`; an unreadable file is a diagnostic too.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join("site.yaml");
    let display = Path::new("site.yaml");
    let text = std::fs::read_to_string(&path).map_err(|err| {
        vec![
            Diagnostic::error(display, format!("cannot read `site.yaml`: {err}"))
                .with_help("run `sitroom init DIR` to make a new archive, or pass `--root DIR`"),
        ]
    })?;
    parse(&text, display)
}

/// Parses the text of a `site.yaml`; `display` is the path used in messages. Every key is
/// checked on its own, so all of its problems come back together.
pub fn parse(text: &str, display: &Path) -> Result<Config, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut fields = Fields::read(text, 1, display, text, CONFIG_KEYS, &[]);
    let title = fields.required_text("title", "Conflict Briefings");
    let base_url = fields
        .required_text("base_url", "https://user.github.io/repo/")
        .and_then(|url| match BaseUrl::parse(&url) {
            Ok(base) => Some(base),
            Err(message) => {
                fields.problem(
                    url.at,
                    message,
                    "the address the site is published at, sub-path included",
                );
                None
            }
        });
    let description = fields
        .text("description")
        .map(|d| d.value)
        .unwrap_or_default();
    let language = fields
        .text("language")
        .map(|l| l.value)
        .unwrap_or_else(|| "en".to_string());
    let per_page_at = fields.keys().value("per_page");
    let per_page = fields.number("per_page").unwrap_or(20);
    if per_page < 1 {
        fields.problem(
            per_page_at.unwrap_or_default(),
            format!("`per_page` is {per_page}"),
            "use a whole number of 1 or more, like `per_page: 20`",
        );
    }
    let cname = fields.text("cname").and_then(|c| {
        let domain = c.trim();
        if domain.contains(['/', ':', ' ']) {
            fields.problem(
                c.at,
                format!("`cname` is `{domain}`, not a bare domain"),
                "write only the domain, like `cname: briefings.example.org`",
            );
        }
        Some(domain.to_string()).filter(|d| !d.is_empty())
    });
    let sanitize_html = fields.flag("sanitize_html").unwrap_or(false);
    let language_at = fields.keys().value("language").unwrap_or_default();
    let default = match Language::parse(&language) {
        Ok(default) => Some(default),
        // Checked only where it names a folder: a single-language site has always
        // taken any `language:` as its `<html lang>`.
        Err(_) if !fields.keys().0.iter().any(|k| k.name == "languages") => None,
        Err(e) => {
            fields.problem(language_at, e.message, e.help);
            None
        }
    };
    let languages = match fields.node("languages") {
        Some(node) => read_languages(&mut fields, node, default.as_ref()),
        None => Vec::new(),
    };
    let problems = fields.finish();
    match (title, base_url) {
        (Some(title), Some(base_url)) if problems.is_empty() => Ok(Config {
            title: title.value,
            base_url,
            description,
            language,
            per_page: per_page as usize,
            cname,
            sanitize_html,
            languages,
        }),
        _ => Err(problems),
    }
}

impl Config {
    /// Settings to check the content with while `site.yaml` has errors, so that the
    /// content's own problems are reported in the same run.
    pub fn placeholder() -> Config {
        Config {
            title: String::new(),
            base_url: BaseUrl {
                origin: "https://example.org".into(),
                path: "/".into(),
            },
            description: String::new(),
            language: "en".into(),
            per_page: 20,
            cname: None,
            sanitize_html: false,
            languages: Vec::new(),
        }
    }

    /// The default language, checked; `en` when `language:` is not a code sitroom knows
    /// (a single-language site may write any, as it always could).
    pub fn default_language(&self) -> Language {
        Language::parse(&self.language)
            .or_else(|_| Language::parse("en"))
            .expect("`en` is a language code")
    }

    /// The default language, then each listed one: the languages whose words the site needs.
    pub fn all_languages(&self) -> Vec<Language> {
        std::iter::once(self.default_language())
            .chain(self.languages.iter().map(|l| l.language.clone()))
            .collect()
    }

    /// The listed language with `code`, if the site has it.
    pub fn other_language(&self, code: &str) -> Option<&SiteLanguage> {
        self.languages.iter().find(|l| l.language.code() == code)
    }

    /// The same settings with another base URL (`--base-url`, or serve's local address).
    pub fn with_base_url(mut self, url: &str) -> Result<Config, String> {
        self.base_url = BaseUrl::parse(url)?;
        Ok(self)
    }
}

/// Reads `languages:`: a map from language code to `{ title, description }`. Every entry is
/// checked on its own; a bad one is left out with its problem.
fn read_languages(
    fields: &mut Fields<'_>,
    node: Node,
    default: Option<&Language>,
) -> Vec<SiteLanguage> {
    let example = "write it like `languages: { uk: { title: Брифінги, description: … } }`";
    let entries = match node.value {
        Value::Map(entries) => entries,
        Value::Null => return Vec::new(),
        _ => {
            fields.problem(
                node.at,
                format!("`languages` is {}, not a set of languages", node.describe()),
                example,
            );
            return Vec::new();
        }
    };
    let mut languages: Vec<SiteLanguage> = Vec::new();
    for entry in entries {
        let code = entry.key.value.as_str();
        let language = match Language::parse(code) {
            Ok(language) => language,
            Err(e) => {
                fields.problem(entry.key.at, e.message, e.help);
                continue;
            }
        };
        if default.is_some_and(|d| d == &language) {
            fields.problem(
                entry.key.at,
                format!("`{code}` is the site's default `language`"),
                "list only the languages beside it; the default one's pages stay at the root",
            );
            continue;
        }
        if languages.iter().any(|l| l.language == language) {
            continue; // the YAML reader reports a repeated key
        }
        if let Some(settings) = language_settings(fields, code, entry.value) {
            let (title, description) = settings;
            languages.push(SiteLanguage {
                language,
                title,
                description,
            });
        }
    }
    languages
}

/// One language's `{ title, description }`; `title` is required.
fn language_settings(fields: &mut Fields<'_>, code: &str, node: Node) -> Option<(String, String)> {
    let help = format!("write it like `{code}: {{ title: …, description: … }}`");
    let entries = match node.value {
        Value::Map(entries) => entries,
        _ => {
            fields.problem(
                node.at,
                format!(
                    "the settings of `{code}` are {}, not `title` and `description`",
                    node.describe()
                ),
                help,
            );
            return None;
        }
    };
    let (mut title, mut description) = (None, String::new());
    for entry in entries {
        let key = entry.key.value.as_str();
        let text = entry.value.text().map(|t| t.trim().to_string());
        match (key, text) {
            ("title", Some(text)) if !text.is_empty() => title = Some(text),
            ("description", Some(text)) => description = text,
            ("title" | "description", _) => fields.problem(
                entry.value.at,
                format!(
                    "`{key}` of `{code}` is {}, not text",
                    entry.value.describe()
                ),
                help.clone(),
            ),
            _ => {
                let near = suggest(key, LANGUAGE_KEYS.iter().copied()).map_or_else(
                    || "a language has `title` and `description`".to_string(),
                    |k| format!("did you mean `{k}`?"),
                );
                fields.problem(
                    entry.key.at,
                    format!("unknown key `{key}` in `{code}`"),
                    near,
                );
            }
        }
    }
    if title.is_none() {
        fields.problem(
            node.at,
            format!("`{code}` has no `title`"),
            format!("give the site's title in that language: `{code}: {{ title: … }}`"),
        );
    }
    title.map(|title| (title, description))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_the_sub_path() {
        let url = BaseUrl::parse("https://user.github.io/repo").unwrap();
        assert_eq!(url.origin, "https://user.github.io");
        assert_eq!(url.path, "/repo/");
        assert_eq!(url.full(), "https://user.github.io/repo/");
        assert_eq!(BaseUrl::parse("http://127.0.0.1:1111").unwrap().path, "/");
        assert!(BaseUrl::parse("example.org").is_err());
    }

    #[test]
    fn unknown_key_suggests_the_known_one() {
        let text = "title: T\nbase_url: https://x.org/\nper_pages: 3\n";
        let errors = parse(text, Path::new("site.yaml")).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].message.contains("per_pages"), "{}", errors[0]);
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `per_page`?"));
        assert_eq!(errors[0].source_line.as_deref(), Some("per_pages: 3"));
    }

    #[test]
    fn issue_11_every_problem_of_site_yaml_shows_its_line() {
        let text = "title: T\nbase_url: example.org\nper_page: 0\nsanitize_html: maybe\n";
        let errors = parse(text, Path::new("site.yaml")).unwrap_err();
        let found: Vec<_> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(found, [(2, 11), (3, 11), (4, 16)], "{errors:?}");
        assert!(errors.iter().all(|e| e.source_line.is_some()));
    }

    #[test]
    fn languages_are_read_and_checked_with_positions() {
        let text = "title: T\nbase_url: https://x.org/\nlanguages:\n  uk: { title: Брифінги, description: Коротко. }\n  ar: { title: موجزات }\n";
        let config = parse(text, Path::new("site.yaml")).unwrap();
        let codes: Vec<&str> = config.languages.iter().map(|l| l.language.code()).collect();
        assert_eq!(codes, ["uk", "ar"]);
        assert_eq!(config.languages[0].title, "Брифінги");
        assert!(config.languages[1].language.is_right_to_left());

        let text = "title: T\nbase_url: https://x.org/\nlanguages:\n  english: { title: E }\n  uk: { titel: Б }\n";
        let errors = parse(text, Path::new("site.yaml")).unwrap_err();
        let found: Vec<_> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(found, [(4, 3), (5, 9), (5, 7)], "{errors:?}");
        assert_eq!(errors[1].help.as_deref(), Some("did you mean `title`?"));
    }
}

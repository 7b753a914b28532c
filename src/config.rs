//! `site.yaml` → `Config`, checked once: `base_url` is absolute and split into origin and
//! sub-path, `per_page` is positive, unknown keys are errors with a suggestion.
//! This module and `content::front_matter` are the only YAML readers.

use std::path::Path;

use serde::Deserialize;

use crate::content::front_matter;
use crate::diagnostics::Diagnostic;

/// `site.yaml` as the editor wrote it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigSource {
    title: String,
    base_url: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_per_page")]
    per_page: i64,
    #[serde(default)]
    cname: Option<String>,
    #[serde(default)]
    sanitize_html: bool,
}

const CONFIG_KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "per_page",
    "cname",
    "sanitize_html",
];

fn default_language() -> String {
    "en".to_string()
}

fn default_per_page() -> i64 {
    20
}

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

/// Parses the text of a `site.yaml`; `display` is the path used in messages.
pub fn parse(text: &str, display: &Path) -> Result<Config, Vec<Diagnostic>> {
    let source: ConfigSource = front_matter::parse_yaml(text, 0, display, CONFIG_KEYS)?;
    check(source, text, display)
}

fn check(source: ConfigSource, text: &str, display: &Path) -> Result<Config, Vec<Diagnostic>> {
    let ConfigSource {
        title,
        base_url,
        description,
        language,
        per_page,
        cname,
        sanitize_html,
    } = source;
    let mut problems = Vec::new();
    let locate = |key: &str, d: Diagnostic| {
        let line = front_matter::key_line(text, key).unwrap_or(0);
        d.at_line_of(text, line, 1)
    };
    let base_url = BaseUrl::parse(&base_url).unwrap_or_else(|message| {
        problems.push(locate("base_url", Diagnostic::error(display, message)));
        BaseUrl {
            origin: String::new(),
            path: "/".into(),
        }
    });
    if per_page < 1 {
        problems.push(locate(
            "per_page",
            Diagnostic::error(display, format!("`per_page` is {per_page}"))
                .with_help("use a whole number of 1 or more, like `per_page: 20`"),
        ));
    }
    let cname = cname
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    if let Some(c) = &cname
        && c.contains(['/', ':', ' '])
    {
        problems.push(locate(
            "cname",
            Diagnostic::error(display, format!("`cname` is `{c}`, not a bare domain"))
                .with_help("write only the domain, like `cname: briefings.example.org`"),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Config {
        title,
        base_url,
        description,
        language,
        per_page: per_page as usize,
        cname,
        sanitize_html,
    })
}

impl Config {
    /// The same settings with another base URL (`--base-url`, or serve's local address).
    pub fn with_base_url(mut self, url: &str) -> Result<Config, String> {
        self.base_url = BaseUrl::parse(url)?;
        Ok(self)
    }
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
    }
}

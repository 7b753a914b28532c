//! `site.yaml` → `Config`, checked once: `base_url` is absolute and split into origin and
//! sub-path, `per_page` is positive, unknown keys are errors with a suggestion. Read through
//! `content::front_matter`, the one YAML reader, so every problem shows its line.

use std::path::Path;

use crate::content::front_matter::Fields;
use crate::diagnostics::Diagnostic;

const CONFIG_KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "per_page",
    "cname",
    "sanitize_html",
];

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
        }
    }

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
}

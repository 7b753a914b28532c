//! Every output path and URL of the contract, in one place. A page links by path from the
//! site root (`/repo/people/x/`), so a site built for a GitHub Pages sub-path works there;
//! feeds, sitemap and canonical links use the full URL.

use crate::config::BaseUrl;
use crate::content::Kind;

/// Builds links for one base URL and one language of the site.
#[derive(Debug, Clone)]
pub struct Urls {
    origin: String,
    /// Always starts and ends with `/`.
    base: String,
    /// The language's folder: empty for the default language, `uk/` for another.
    language: String,
}

impl Urls {
    /// The default language's links.
    pub fn new(base_url: &BaseUrl) -> Urls {
        Urls::in_language(base_url, "")
    }

    /// The links of a language whose pages are under `folder` (`uk/`; empty for the
    /// default language, whose pages are at the root).
    pub fn in_language(base_url: &BaseUrl, folder: &str) -> Urls {
        Urls {
            origin: base_url.origin.clone(),
            base: base_url.path.clone(),
            language: folder.to_string(),
        }
    }

    /// The link for a page's path (`people/x/` → `/repo/people/x/`, or `/repo/uk/people/x/`
    /// in Ukrainian).
    pub fn link(&self, path: &str) -> String {
        format!("{}{}{}", self.base, self.language, path)
    }

    /// The absolute URL for a page's path, for feeds, sitemaps and canonical links.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}{}{}", self.origin, self.base, self.language, path)
    }

    /// The link of a file every language shares (`style.css`, `search.js`): at the root.
    pub fn shared(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The absolute URL of a shared file (the sitemap, for `robots.txt`).
    pub fn shared_absolute(&self, path: &str) -> String {
        format!("{}{}{}", self.origin, self.base, path)
    }

    /// The language's folder, as output paths start: empty, or `uk/`.
    pub fn folder(&self) -> &str {
        &self.language
    }
}

/// Site-relative paths (no leading `/`) of every page. A path ending in `/` is a folder
/// whose `index.html` holds the page.
pub mod path {
    use super::Kind;

    pub fn home(page: usize) -> String {
        paged("", page)
    }

    pub fn briefing(slug: &str) -> String {
        format!("briefings/{slug}/")
    }

    pub fn entity_index(kind: Kind, page: usize) -> String {
        paged(&format!("{}/", kind.plural()), page)
    }

    pub fn entity(kind: Kind, slug: &str, page: usize) -> String {
        paged(&format!("{}/{slug}/", kind.plural()), page)
    }

    pub fn entity_feed(kind: Kind, slug: &str) -> String {
        format!("{}/{slug}/feed.xml", kind.plural())
    }

    pub fn archive() -> String {
        "archive/".to_string()
    }

    pub fn archive_year(year: i16) -> String {
        format!("archive/{year:04}/")
    }

    pub fn archive_month(year: i16, month: i8, page: usize) -> String {
        paged(&format!("archive/{year:04}/{month:02}/"), page)
    }

    pub fn page(slug: &str) -> String {
        format!("{slug}/")
    }

    pub fn search() -> String {
        "search/".to_string()
    }

    pub const FEED: &str = "feed.xml";
    pub const SITEMAP: &str = "sitemap.xml";
    pub const STYLESHEET: &str = "style.css";
    pub const HIGHLIGHT: &str = "highlight.css";

    /// Page 1 is the folder itself; page N is `page/N/` below it.
    fn paged(folder: &str, page: usize) -> String {
        if page <= 1 {
            folder.to_string()
        } else {
            format!("{folder}page/{page}/")
        }
    }

    /// The file a path is written to: folders get `index.html`.
    pub fn file(path: &str) -> String {
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_sub_path() {
        let urls = Urls::new(&BaseUrl::parse("https://u.github.io/repo/").unwrap());
        assert_eq!(
            urls.link(&path::entity(Kind::Person, "x", 1)),
            "/repo/people/x/"
        );
        assert_eq!(urls.link(&path::home(2)), "/repo/page/2/");
        assert_eq!(
            urls.absolute(path::FEED),
            "https://u.github.io/repo/feed.xml"
        );
        assert_eq!(path::file(""), "index.html");
        assert_eq!(path::file("feed.xml"), "feed.xml");
        assert_eq!(path::archive_month(2025, 5, 1), "archive/2025/05/");
    }

    #[test]
    fn another_language_lives_in_its_folder_and_shares_the_theme() {
        let base = BaseUrl::parse("https://u.github.io/repo/").unwrap();
        let uk = Urls::in_language(&base, "uk/");
        assert_eq!(uk.link(&path::briefing("x")), "/repo/uk/briefings/x/");
        assert_eq!(uk.link(&path::home(2)), "/repo/uk/page/2/");
        assert_eq!(
            uk.absolute(path::FEED),
            "https://u.github.io/repo/uk/feed.xml"
        );
        assert_eq!(uk.shared(path::STYLESHEET), "/repo/style.css");
    }
}

//! The sentences of the theme that take values, in the page's language: titles past page
//! one, the byline, the 404 page's and the search page's sentences of links, and the
//! words `search.js` says. Each takes the `Site`'s `Words`; the word order is the
//! language's, so links go in as HTML arguments rather than being glued around the text.

use super::{Renderer, markdown, routes};
use crate::content::Kind;
use crate::i18n::Key;
use crate::urls::path;

impl Renderer<'_> {
    /// What `search.js` says, in the page's language; `None` for English.
    pub(super) fn script_words(&self) -> Option<String> {
        let words = &self.site.words;
        if words.language().base() == "en" {
            return None;
        }
        let mut all = serde_json::Map::new();
        for key in [
            Key::SearchPrompt,
            Key::SearchSearching,
            Key::SearchFailed,
            Key::SearchUnavailable,
            Key::SearchNoMatch,
            Key::SearchMore,
            Key::SearchProfiles,
            Key::SearchNames,
            Key::SearchQuote,
            Key::SearchFixed,
            Key::SearchSome,
            Key::SearchPhrasesNone,
            Key::SearchSpelling,
            Key::SearchCheckMore,
            Key::SearchTooShort,
            Key::SearchLetter,
            Key::Comma,
        ] {
            all.insert(key.name().into(), words.text(key).into_owned().into());
        }
        for key in [Key::SearchMatches, Key::SearchPhrases, Key::SearchTooCommon] {
            let forms: serde_json::Map<String, serde_json::Value> = words
                .forms(key)
                .into_iter()
                .map(|(category, text)| (category.to_string(), text.into()))
                .collect();
            all.insert(key.name().into(), forms.into());
        }
        Some(serde_json::Value::Object(all).to_string())
    }

    /// `Briefings, page 2`: the title of a list's page past the first.
    pub(super) fn titled_page(&self, title: &str, page: usize) -> String {
        let page = page.to_string();
        self.site
            .words
            .format(Key::TitlePage, &[("title", title), ("page", &page)])
    }

    /// `By <span class="author">A</span>, <span class="author">B</span> and …`.
    pub(super) fn byline_html(&self, authors: &[String]) -> String {
        if authors.is_empty() {
            return String::new();
        }
        let words = &self.site.words;
        let mut joined = String::new();
        for (i, author) in authors.iter().enumerate() {
            if i > 0 {
                joined.push_str(&if i + 1 == authors.len() {
                    words.text(Key::ListAnd)
                } else {
                    words.text(Key::Comma)
                });
            }
            joined.push_str("<span class=\"author\">");
            joined.push_str(&markdown::escape(author));
            joined.push_str("</span>");
        }
        let args = [("authors", joined.as_str())];
        // Plural by how many wrote it; `count_html` fills `{authors}` in as HTML.
        words.count_html(Key::Byline, authors.len() as u64, &args)
    }

    /// The search page's note for readers without JavaScript, with its links.
    pub(super) fn noscript_html(&self) -> String {
        let words = &self.site.words;
        let link = |url: String, key: Key| link_html(&url, &words.text(key));
        let index = |kind: Kind| self.urls.link(&path::entity_index(kind, 1));
        let names = self
            .urls
            .link(&routes::url_path(self.site, routes::Route::SearchNames));
        let args = [
            ("names", link(names, Key::SearchNoscriptNames)),
            (
                "people",
                link(index(Kind::Person), Key::SearchNoscriptPeople),
            ),
            (
                "organisations",
                link(index(Kind::Organisation), Key::SearchNoscriptOrganisations),
            ),
            (
                "places",
                link(index(Kind::Place), Key::SearchNoscriptPlaces),
            ),
            ("tags", link(index(Kind::Tag), Key::SearchNoscriptTags)),
            (
                "archive",
                link(self.urls.link(&path::archive()), Key::SearchNoscriptArchive),
            ),
        ];
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        words.format_html(Key::SearchNoscript, &args)
    }

    /// The 404 page's sentence of links to the indexes, in the language's word order.
    pub(super) fn browse_html(&self) -> String {
        let words = &self.site.words;
        let link = |url: String, key: Key| link_html(&url, &words.text(key));
        let index = |kind: Kind| self.urls.link(&path::entity_index(kind, 1));
        let args = [
            ("people", link(index(Kind::Person), Key::NotFoundPeople)),
            (
                "organisations",
                link(index(Kind::Organisation), Key::NotFoundOrganisations),
            ),
            ("places", link(index(Kind::Place), Key::NotFoundPlaces)),
            ("tags", link(index(Kind::Tag), Key::NotFoundTags)),
            (
                "archive",
                link(self.urls.link(&path::archive()), Key::NotFoundArchive),
            ),
        ];
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        words.format_html(Key::NotFoundBrowse, &args)
    }
}

/// `<a href="url">text</a>`, both escaped: a link inside one of the theme's sentences.
fn link_html(url: &str, text: &str) -> String {
    format!(
        "<a href=\"{}\">{}</a>",
        markdown::escape(url),
        markdown::escape(text)
    )
}

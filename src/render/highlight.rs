//! The only syntect user: fenced code becomes HTML with CSS classes (`hl-…`), and the
//! theme's stylesheet is made once for the whole site. The syntax and theme sets are loaded
//! once per process; they never change, so sharing them across threads is safe.

use std::sync::LazyLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// `code` as highlighted HTML inside `<pre><code>`, or `None` when the language is unknown
/// (the caller then writes the code plain).
pub fn highlight(code: &str, language: &str) -> Option<String> {
    let syntax = SYNTAXES.find_syntax_by_token(language)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    let class = crate::render::markdown::escape(language);
    Some(format!(
        "<pre class=\"hl\"><code class=\"language-{class}\">{}</code></pre>\n",
        generator.finalize()
    ))
}

/// The stylesheet for highlighted code: a light theme, and a dark one for readers whose
/// system prefers it.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    format!(
        "{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css("InspiredGitHub"),
        css("base16-ocean.dark")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes() {
        let html = highlight("fn main() {}\n", "rust").unwrap();
        assert!(html.contains("hl-"), "{html}");
        assert!(highlight("x", "no-such-language").is_none());
        assert!(stylesheet().contains(".hl-"));
    }
}

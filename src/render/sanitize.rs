//! `sanitize_html: true`: rendered bodies go through ammonia, which keeps what Markdown
//! makes (text, links, tables, code, footnotes, task lists) and drops what could run in a
//! reader's browser (`<script>`, `<iframe>`, `on…=` handlers, `javascript:` URLs).
//! The only ammonia user. Off by default, because editors are trusted to write raw HTML.

use std::sync::LazyLock;

/// Built once: the allow-list never changes during a run.
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    // Highlighted code is styled by class, and heading anchors and footnotes link by id.
    builder.add_generic_attributes(["class", "id"]);
    // Task lists are disabled checkboxes.
    builder.add_tags(["input"]);
    builder.add_tag_attributes("input", ["type", "checked", "disabled"]);
    // A bundle's images: the variants in `srcset`, their size, and lazy loading (#13).
    builder.add_tags(["picture", "source"]);
    builder.add_tag_attributes("source", ["type", "srcset", "sizes"]);
    builder.add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"]);
    builder
});

/// The same HTML with everything that could run script removed.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_go_markup_stays() {
        let html = clean(
            "<p onclick=\"x()\">Hi <a href=\"javascript:x()\">a</a><a href=\"https://e.org/\">b</a></p><script>x()</script><pre class=\"hl\"><code><span class=\"k\">fn</span></code></pre>",
        );
        assert!(
            !html.contains("onclick") && !html.contains("script"),
            "{html}"
        );
        assert!(html.contains("href=\"https://e.org/\""), "{html}");
        assert!(html.contains("<span class=\"k\">fn</span>"), "{html}");
    }
}

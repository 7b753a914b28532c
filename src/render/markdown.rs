//! Markdown → HTML with pulldown-cmark: tables, footnotes, strikethrough, task lists,
//! heading anchors, fenced code through `highlight`, `[[slug]]` links to briefings, and
//! root-relative links (`/briefings/x/`, `![](/img/m.png)`) moved under the site's sub-path.
//! Pure: a link it cannot resolve is returned as a problem, not printed.

use std::collections::HashSet;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

use super::highlight;

/// The HTML of one body, and the `[[links]]` whose target is unknown.
pub struct Rendered {
    pub html: String,
    /// (target as written, 1-based line in the body, 1-based column).
    pub broken_links: Vec<(String, usize, usize)>,
}

/// What a body's links resolve against.
pub trait LinkTargets {
    /// The URL and title of the briefing with this slug.
    fn briefing(&self, slug: &str) -> Option<(String, String)>;

    /// The path the site lives under (`/` or `/repo/`), which root-relative links get.
    fn base_path(&self) -> &str {
        "/"
    }

    /// The URL of a file of the page's bundle, by the name the body gives it.
    fn bundle_link(&self, _name: &str) -> Option<String> {
        None
    }

    /// The markup of an image of the page's bundle (a `<picture>` of its variants).
    fn bundle_image(&self, _name: &str, _alt: &str) -> Option<String> {
        None
    }
}

/// A link or image URL: a bundle file's own URL when it names one, else as written.
fn link_url<'a>(url: CowStr<'a>, targets: &dyn LinkTargets) -> CowStr<'a> {
    match crate::media::publish::bundle_name(&url).and_then(|name| targets.bundle_link(name)) {
        Some(own) => own.into(),
        None => under_base(url, targets.base_path()),
    }
}

/// A root-relative URL (`/briefings/x/`) under the site's sub-path (`/repo/briefings/x/`),
/// as an editor means it: on GitHub Pages the site is not at the root of its host (#11).
/// Other URLs, and those that already start with the sub-path, stay as written.
fn under_base<'a>(url: CowStr<'a>, base: &str) -> CowStr<'a> {
    if base == "/" || !url.starts_with('/') || url.starts_with("//") || url.starts_with(base) {
        return url;
    }
    format!("{}{}", base.trim_end_matches('/'), url).into()
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// Renders a body. Headings get ids from their text (unique within the body) so readers can
/// link to a section; `[[slug]]` becomes a link to that briefing.
pub fn render(body: &str, targets: &dyn LinkTargets) -> Rendered {
    let mut broken_links = Vec::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut code: Option<(String, String)> = None;
    let mut heading: Option<usize> = None;
    let mut used_ids = HashSet::new();
    // The title that replaces a bare `[[slug]]`'s text, until the link ends.
    let mut wiki_title: Option<String> = None;
    // A bundle image being read: its name and its alt text so far.
    let mut picture: Option<(String, String)> = None;

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Text(text) | Event::Code(text) if picture.is_some() => {
                if let Some((_, alt)) = picture.as_mut() {
                    alt.push_str(&text);
                }
            }
            Event::End(TagEnd::Image) if picture.is_some() => {
                if let Some((name, alt)) = picture.take() {
                    let html = targets.bundle_image(&name, &alt).unwrap_or_default();
                    events.push(Event::InlineHtml(html.into()));
                }
            }
            _ if picture.is_some() => {}
            Event::Start(Tag::Image { ref dest_url, .. })
                if crate::media::publish::bundle_name(dest_url)
                    .is_some_and(|name| targets.bundle_image(name, "").is_some()) =>
            {
                let name = crate::media::publish::bundle_name(dest_url).unwrap_or("");
                picture = Some((name.to_string(), String::new()));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((language, String::new()));
            }
            Event::Text(text) if code.is_some() => {
                if let Some((_, buffer)) = code.as_mut() {
                    buffer.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((language, buffer)) = code.take() {
                    events.push(Event::Html(code_block(&buffer, &language).into()));
                }
            }
            Event::Start(Tag::Heading { .. }) => {
                heading = Some(events.len());
                events.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(start) = heading.take() {
                    add_heading_id(&mut events, start, &mut used_ids);
                }
                events.push(event);
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                title,
                id,
            }) => {
                let target = dest_url.trim().to_string();
                let url = match targets.briefing(&target) {
                    Some((url, title)) => {
                        // `[[slug]]` reads better as the briefing's title; `[[slug|text]]` keeps its text.
                        if !has_pothole {
                            wiki_title = Some(title);
                        }
                        url
                    }
                    None => {
                        let (line, column) = line_and_column(body, range.start);
                        broken_links.push((target, line, column));
                        String::new()
                    }
                };
                events.push(Event::Start(Tag::Link {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url: url.into(),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => events.push(Event::Start(Tag::Link {
                link_type,
                dest_url: link_url(dest_url, targets),
                title,
                id,
            })),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => events.push(Event::Start(Tag::Image {
                link_type,
                dest_url: link_url(dest_url, targets),
                title,
                id,
            })),
            Event::Text(_) if wiki_title.is_some() => {}
            Event::End(TagEnd::Link) if wiki_title.is_some() => {
                if let Some(title) = wiki_title.take() {
                    events.push(Event::Text(title.into()));
                }
                events.push(event);
            }
            other => events.push(other),
        }
    }
    let mut output = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut output, events.into_iter());
    Rendered {
        html: output,
        broken_links,
    }
}

/// Gives the heading starting at `events[start]` an id made from its text, unless the
/// editor wrote one with `{#id}`.
fn add_heading_id<'a>(events: &mut [Event<'a>], start: usize, used: &mut HashSet<String>) {
    let text: String = events[start + 1..]
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
        if id.is_some() {
            return;
        }
        let base = match crate::slug::slugify(&text) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let mut candidate = base.clone();
        let mut n = 1;
        while !used.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        *id = Some(CowStr::from(candidate));
    }
}

fn code_block(code: &str, language: &str) -> String {
    if !language.is_empty()
        && let Some(html) = highlight::highlight(code, language)
    {
        return html;
    }
    let class = if language.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(language))
    };
    format!("<pre><code{class}>{}</code></pre>\n", escape(code))
}

/// 1-based line and column of a byte offset.
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Known;
    impl LinkTargets for Known {
        fn briefing(&self, slug: &str) -> Option<(String, String)> {
            (slug == "known")
                .then(|| ("/briefings/known/".to_string(), "Known <title>".to_string()))
        }
    }

    #[test]
    fn wiki_links_resolve_or_are_reported() {
        let r = render("See [[known]] and\n[[missing]].", &Known);
        assert!(
            r.html
                .contains(r#"<a href="/briefings/known/">Known &lt;title&gt;</a>"#),
            "{}",
            r.html
        );
        assert_eq!(r.broken_links, vec![("missing".to_string(), 2, 1)]);
        let r = render("[[known|own words]]", &Known);
        assert!(r.html.contains(">own words</a>"), "{}", r.html);
    }

    struct SubPath;
    impl LinkTargets for SubPath {
        fn briefing(&self, _: &str) -> Option<(String, String)> {
            None
        }
        fn base_path(&self) -> &str {
            "/myarchive/"
        }
    }

    #[test]
    fn issue_11_root_relative_links_get_the_sub_path() {
        let r = render(
            "[earlier](/briefings/kherson/) ![map](/img/map.png) [same](/myarchive/x/) \
             [far](https://example.org/a) [near](../b/) [cdn](//cdn.example/x)",
            &SubPath,
        );
        for expected in [
            r#"href="/myarchive/briefings/kherson/""#,
            r#"src="/myarchive/img/map.png""#,
            r#"href="/myarchive/x/""#,
            r#"href="https://example.org/a""#,
            r#"href="../b/""#,
            r#"href="//cdn.example/x""#,
        ] {
            assert!(r.html.contains(expected), "{expected} in {}", r.html);
        }
        let r = render("[earlier](/briefings/kherson/)", &Known);
        assert!(r.html.contains(r#"href="/briefings/kherson/""#));
    }

    struct Bundle;
    impl LinkTargets for Bundle {
        fn briefing(&self, _: &str) -> Option<(String, String)> {
            None
        }
        fn bundle_link(&self, name: &str) -> Option<String> {
            (name == "statement.pdf" || name == "chart.png").then(|| format!("/sub/b/{name}"))
        }
        fn bundle_image(&self, name: &str, alt: &str) -> Option<String> {
            (name == "chart.png").then(|| format!("<picture alt=\"{alt}\"></picture>"))
        }
    }

    #[test]
    fn bundle_files_get_their_own_urls_and_images_their_markup() {
        let r = render(
            "![The *chart*](chart.png) [statement](./statement.pdf) ![other](other.png) [x](/y/)",
            &Bundle,
        );
        assert!(
            r.html.contains(r#"<picture alt="The chart"></picture>"#),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(r#"href="/sub/b/statement.pdf""#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"src="other.png""#), "{}", r.html);
        assert!(r.html.contains(r#"href="/y/""#), "{}", r.html);
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = render(
            "## The front line\n\n## The front line\n\n## Own {#mine}\n",
            &Known,
        );
        assert!(r.html.contains(r#"<h2 id="the-front-line">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="the-front-line-2">"#));
        assert!(r.html.contains(r#"<h2 id="mine">"#));
    }

    #[test]
    fn tables_footnotes_tasks_and_code() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~[^1]\n\n[^1]: note\n\n```rust\nfn x() {}\n```\n\n```\n<b>\n```\n",
            &Known,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("checkbox"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("footnote"));
        assert!(r.html.contains("hl-"));
        assert!(r.html.contains("<pre><code>&lt;b&gt;\n</code></pre>"));
    }
}

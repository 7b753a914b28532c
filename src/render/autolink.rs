//! Auto-links: the first mention of each known person, organisation or place in a
//! briefing's body becomes a link to its page. Takes the body's rendered HTML and returns it
//! with links added; text inside links, code, headings and scripts is never touched.
//!
//! One Aho-Corasick automaton over every name and alias is built once per build and shared
//! by all pages (one regex per name would be thousands of passes over each body).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::content::Kind;
use crate::model::{EntityId, Site};

use super::markdown::escape;

/// Finds known names in body HTML and links their first mention.
pub struct Autolinker {
    /// Over the names as they appear in HTML (escaped), in lower case.
    automaton: Option<AhoCorasick>,
    /// Per pattern: the entity, and the exact escaped text when case must match too.
    patterns: Vec<(EntityId, Option<String>)>,
    /// Per entity (by id): the link to its page.
    urls: Vec<String>,
}

/// Elements whose text is never linked: links can't nest, code is code, headings are
/// navigation (their ids come from the text), and scripts/styles aren't prose.
const SKIPPED: &[&str] = &[
    "a", "code", "pre", "kbd", "samp", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style",
    "svg", "button", "textarea", "title",
];

impl Autolinker {
    /// Builds the automaton over `site.names` and the stubs' names; `url` links each entity.
    pub fn new(site: &Site, url: impl Fn(EntityId) -> String) -> Autolinker {
        let mut needles = Vec::new();
        let mut patterns = Vec::new();
        // Stubs have pages too, under the name the briefings gave them.
        let stubs = site
            .entities
            .iter()
            .filter(|e| e.profile.is_none() && e.kind != Kind::Tag)
            .map(|e| (e.name.clone(), e.id));
        let names: Vec<(String, EntityId)> = site.names.iter().cloned().chain(stubs).collect();
        for (name, id) in &names {
            let escaped = escape(name.trim());
            if escaped.chars().count() < 2 {
                continue;
            }
            needles.push(lower(&escaped));
            patterns.push((*id, is_acronym(name).then_some(escaped)));
        }
        // A DFA: thousands of names defeat the prefilter, and the DFA scans about twice as
        // fast as the default NFA for a few MB of memory, built once.
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&needles)
            .ok()
            .filter(|_| !needles.is_empty());
        Autolinker {
            automaton,
            patterns,
            urls: site.entities.iter().map(|e| url(e.id)).collect(),
        }
    }

    /// Returns `html` with the first mention of each known entity linked.
    pub fn link(&self, html: &str) -> String {
        let Some(automaton) = &self.automaton else {
            return html.to_string();
        };
        // The entities linked so far: a briefing links a few dozen at most.
        let mut linked: Vec<EntityId> = Vec::new();
        let mut out = String::with_capacity(html.len() + 256);
        let mut skip_depth = 0usize;
        let mut rest = html;
        while !rest.is_empty() {
            let text_end = rest.find('<').unwrap_or(rest.len());
            let (text, after) = rest.split_at(text_end);
            if skip_depth == 0 {
                self.link_text(automaton, text, &mut linked, &mut out);
            } else {
                out.push_str(text);
            }
            if after.is_empty() {
                break;
            }
            let tag_end = tag_end(after);
            let tag = &after[..tag_end];
            skip_depth = track_skipped(tag, skip_depth);
            out.push_str(tag);
            rest = &after[tag_end..];
        }
        out
    }

    fn link_text(
        &self,
        automaton: &AhoCorasick,
        text: &str,
        linked: &mut Vec<EntityId>,
        out: &mut String,
    ) {
        let lowered = Lowered::new(text);
        let mut copied = 0;
        for found in automaton.find_iter(lowered.text.as_str()) {
            let (start, end) = (
                lowered.original(found.start()),
                lowered.original(found.end()),
            );
            let (id, exact) = &self.patterns[found.pattern().as_usize()];
            let words = is_word_start(text, start) && is_word_end(text, end);
            let case_ok = exact.as_deref().is_none_or(|e| &text[start..end] == e);
            if linked.contains(id) || !words || !case_ok || start < copied {
                continue;
            }
            linked.push(*id);
            out.push_str(&text[copied..start]);
            out.push_str("<a class=\"autolink\" href=\"");
            out.push_str(&self.urls[id.0 as usize]);
            out.push_str("\">");
            out.push_str(&text[start..end]);
            out.push_str("</a>");
            copied = end;
        }
        out.push_str(&text[copied..]);
    }
}

/// Lower case, char by char, so the same function serves names and text; keeps where each
/// lowered byte came from, because a few letters change length when lowered (`İ`).
struct Lowered {
    text: String,
    /// Original byte offset of each lowered byte, plus the end. Empty when lengths match.
    origin: Vec<usize>,
    len: usize,
}

impl Lowered {
    fn new(text: &str) -> Lowered {
        if text.is_ascii() {
            return Lowered {
                text: text.to_ascii_lowercase(),
                origin: Vec::new(),
                len: text.len(),
            };
        }
        let mut lowered = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len() + 1);
        for (at, c) in text.char_indices() {
            for l in c.to_lowercase() {
                lowered.push(l);
                origin.resize(lowered.len(), at);
            }
        }
        origin.push(text.len());
        Lowered {
            text: lowered,
            origin,
            len: text.len(),
        }
    }

    fn original(&self, lowered_offset: usize) -> usize {
        if self.origin.is_empty() {
            lowered_offset.min(self.len)
        } else {
            self.origin[lowered_offset.min(self.origin.len() - 1)]
        }
    }
}

fn lower(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// `NATO`, `EU`, `UN`, `US`: short all-capital names match only in capitals, or `us` and
/// `un` in ordinary prose would become links.
fn is_acronym(name: &str) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    letters > 0 && letters <= 5 && !name.chars().any(char::is_lowercase)
}

fn is_word_start(text: &str, at: usize) -> bool {
    !text[..at].chars().next_back().is_some_and(is_word_char)
}

fn is_word_end(text: &str, at: usize) -> bool {
    !text[at..].chars().next().is_some_and(is_word_char)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The length of the tag (or comment) at the start of `html`, through its `>`.
fn tag_end(html: &str) -> usize {
    if html.starts_with("<!--") {
        return html.find("-->").map_or(html.len(), |i| i + 3);
    }
    html.find('>').map_or(html.len(), |i| i + 1)
}

/// The new count of open skipped elements after `tag`.
fn track_skipped(tag: &str, depth: usize) -> usize {
    let inner = tag.trim_start_matches('<');
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_end = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    if !SKIPPED.contains(&name.as_str()) || tag.ends_with("/>") {
        return depth;
    }
    if closing {
        depth.saturating_sub(1)
    } else {
        depth + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linker(names: &[(&str, u32)]) -> Autolinker {
        let count = names.iter().map(|(_, id)| *id + 1).max().unwrap_or(0);
        let patterns_and_needles: Vec<(String, EntityId)> = names
            .iter()
            .map(|(n, id)| (n.to_string(), EntityId(*id)))
            .collect();
        let needles: Vec<String> = patterns_and_needles
            .iter()
            .map(|(n, _)| lower(&escape(n)))
            .collect();
        Autolinker {
            automaton: AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&needles)
                .ok(),
            patterns: patterns_and_needles
                .iter()
                .map(|(n, id)| (*id, is_acronym(n).then(|| escape(n))))
                .collect(),
            urls: (0..count).map(|i| format!("/e/{i}/")).collect(),
        }
    }

    #[test]
    fn first_mention_only_whole_words_any_case() {
        let l = linker(&[("Volodymyr Zelensky", 0), ("Zelenskyy", 0), ("Kyiv", 1)]);
        let html = l.link("<p>ZELENSKYY met in Kyivan Kyiv. Volodymyr Zelensky left Kyiv.</p>");
        assert_eq!(
            html,
            "<p><a class=\"autolink\" href=\"/e/0/\">ZELENSKYY</a> met in Kyivan <a class=\"autolink\" href=\"/e/1/\">Kyiv</a>. Volodymyr Zelensky left Kyiv.</p>"
        );
    }

    #[test]
    fn longest_name_wins_and_cyrillic_matches() {
        let l = linker(&[
            ("Zelensky", 0),
            ("Volodymyr Zelensky", 1),
            ("Володимир Зеленський", 2),
        ]);
        let html = l.link("<p>Volodymyr Zelensky; володимир зеленський.</p>");
        assert!(
            html.contains("href=\"/e/1/\">Volodymyr Zelensky</a>"),
            "{html}"
        );
        assert!(
            html.contains("href=\"/e/2/\">володимир зеленський</a>"),
            "{html}"
        );
        assert!(!html.contains("/e/0/"), "{html}");
    }

    #[test]
    fn code_links_and_headings_are_left_alone() {
        let l = linker(&[("Kyiv", 0)]);
        let html = "<h2 id=\"kyiv\">Kyiv</h2><p><a href=\"/x\">Kyiv</a> <code>Kyiv</code></p><pre><code>Kyiv</code></pre><!-- Kyiv --><p>Kyiv</p>";
        let linked = l.link(html);
        assert_eq!(linked.matches("autolink").count(), 1, "{linked}");
        assert!(
            linked.ends_with("<p><a class=\"autolink\" href=\"/e/0/\">Kyiv</a></p>"),
            "{linked}"
        );
    }

    #[test]
    fn acronyms_match_only_in_capitals() {
        let l = linker(&[("US", 0), ("AT&T", 1)]);
        let html = l.link("<p>Tell us about the US and AT&amp;T.</p>");
        assert!(
            html.contains("Tell us about the <a class=\"autolink\" href=\"/e/0/\">US</a>"),
            "{html}"
        );
        assert!(html.contains("href=\"/e/1/\">AT&amp;T</a>"), "{html}");
    }

    #[test]
    fn broken_html_does_not_panic() {
        let l = linker(&[("Kyiv", 0)]);
        assert_eq!(
            l.link("<p>Kyiv <b"),
            "<p><a class=\"autolink\" href=\"/e/0/\">Kyiv</a> <b"
        );
        assert_eq!(
            l.link("İİ Kyiv"),
            "İİ <a class=\"autolink\" href=\"/e/0/\">Kyiv</a>"
        );
    }
}

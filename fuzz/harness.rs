//! What the fuzz targets run, shared with `tests/fuzz_corpus.rs` so that stable `cargo test`
//! replays every committed corpus file through exactly the same code. Each function takes
//! any bytes, must never panic, and asserts the promises that hostile input must not break.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use sitroom::content::parse::{briefing, page, profile};
use sitroom::content::{Content, Kind, front_matter};
use sitroom::render::markdown::{self, LinkTargets};
use sitroom::slug;

/// Resolves `[[known]]` only, so both the found and the broken link paths run.
struct Targets;

impl LinkTargets for Targets {
    fn briefing(&self, slug: &str) -> Option<(String, String)> {
        (slug == "known").then(|| ("/briefings/known/".into(), "Known <b>\"title\"</b>".into()))
    }
}

/// One content file: split, parsed as each kind of file, its body rendered, and every
/// diagnostic printed (printing slices the source line by the reported column).
pub fn one_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("content/briefings/2025/05/fuzz.md");
    if let Ok(split) = front_matter::split(text, path) {
        assert!(
            text.ends_with(split.body),
            "the body is the end of the file"
        );
        assert!(split.body_line >= 3, "the body starts after two fences");
    }
    match briefing(text.to_string(), path.to_path_buf()) {
        Ok(b) => {
            assert!(
                slug::is_valid(&b.slug),
                "briefing slug `{}` is not path-safe",
                b.slug
            );
            for name in b.names.iter().flatten() {
                assert!(!name.trim().is_empty(), "an empty name was kept");
            }
            for source in &b.sources {
                if let Some(url) = &source.url {
                    let lower = url.trim().to_ascii_lowercase();
                    assert!(lower.starts_with("http://") || lower.starts_with("https://"));
                }
            }
            render(b.body());
        }
        Err(problems) => print_all(&problems),
    }
    for kind in [Kind::Person, Kind::Organisation, Kind::Place] {
        let path = PathBuf::from(format!("content/{}/fuzz.md", kind.plural()));
        if let Err(problems) = profile(kind, text.to_string(), path) {
            print_all(&problems);
        }
    }
    match page(text.to_string(), PathBuf::from("content/pages/fuzz.md")) {
        Ok(p) => assert!(slug::is_valid(&p.slug)),
        Err(problems) => print_all(&problems),
    }
    render(text);
}

fn render(body: &str) {
    let rendered = markdown::render(body, &Targets);
    for (target, line, column) in &rendered.broken_links {
        assert!(
            *line >= 1 && *column >= 1,
            "broken link `{target}` at {line}:{column}"
        );
    }
    assert!(
        !rendered.html.contains("<script>alert") || body.contains("<script>alert"),
        "the renderer made up a script"
    );
}

fn print_all(problems: &[sitroom::diagnostics::Diagnostic]) {
    for problem in problems {
        let shown = problem.to_string();
        // Printed with control characters escaped, so the terminal shows them inert (#16).
        let message = sitroom::diagnostics::escape_controls(&problem.message);
        assert!(shown.contains(&*message));
        assert!(
            !shown
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
        );
    }
}

/// Names, one a line. A line `P name|alias|alias` (or `O`, `L` for organisations and places)
/// is a profile; any other line is a name that a briefing mentions, in every kind. Slugs and
/// keys are checked on every name, then the whole set is resolved into a site.
pub fn names(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut profiles = Vec::new();
    let mut mentioned = Vec::new();
    for line in text.lines().take(64) {
        let (kind, rest) = match line.split_at_checked(2) {
            Some(("P ", rest)) => (Some(Kind::Person), rest),
            Some(("O ", rest)) => (Some(Kind::Organisation), rest),
            Some(("L ", rest)) => (Some(Kind::Place), rest),
            _ => (None, line),
        };
        for name in rest.split('|') {
            check_slug(name);
        }
        match kind {
            Some(kind) => profiles.push((kind, rest.to_string())),
            None => mentioned.push(line.to_string()),
        }
    }
    resolve(&profiles, &mentioned);
}

/// A slug is ASCII, path-safe (valid or empty) and stable: slugging it again changes nothing.
pub fn check_slug(name: &str) {
    let s = slug::slugify(name);
    assert!(s.is_ascii(), "`{s}` is not ASCII");
    assert!(
        s.is_empty() || slug::is_valid(&s) || s.len() > 200,
        "`{s}` is not path-safe"
    );
    assert!(!s.contains(['/', '\\', '.']), "`{s}` could name a path");
    assert_eq!(slug::slugify(&s), s, "slugs are stable");
    assert_eq!(
        slug::name_key(name),
        slug::name_key(&name.to_ascii_uppercase()),
        "case matters"
    );
}

fn resolve(profiles: &[(Kind, String)], mentioned: &[String]) {
    let mut content = Content::default();
    let mut files = HashSet::new();
    for (kind, line) in profiles {
        let mut parts = line.split('|');
        let name = parts.next().unwrap_or_default();
        let file_slug = slug::slugify(name);
        if file_slug.is_empty()
            || file_slug.len() > 200
            || !files.insert((*kind, file_slug.clone()))
        {
            continue;
        }
        let aliases: Vec<String> = parts.map(quote).collect();
        let text = format!(
            "---\nname: {}\naliases: [{}]\n---\n",
            quote(name),
            aliases.join(", ")
        );
        let path = PathBuf::from(format!("content/{}/{file_slug}.md", kind.plural()));
        match profile(*kind, text, path) {
            Ok(p) => content.profiles.push(p),
            Err(problems) => print_all(&problems),
        }
    }
    let list: Vec<String> = mentioned.iter().map(|n| quote(n)).collect();
    let list = list.join(", ");
    let text = format!(
        "---\ntitle: Fuzz\ndate: 2025-05-16\npeople: [{list}]\norganisations: [{list}]\nplaces: [{list}]\ntags: [{list}]\n---\nBody.\n"
    );
    match briefing(text, PathBuf::from("content/briefings/fuzz.md")) {
        Ok(b) => content.briefings.push(b),
        Err(problems) => print_all(&problems),
    }
    let config = sitroom::config::parse(
        "title: Fuzz\nbase_url: https://example.org/\n",
        Path::new("site.yaml"),
    )
    .expect("a valid config");
    match sitroom::graph::resolve(content, config) {
        Ok(site) => {
            let mut seen = HashSet::new();
            for entity in &site.entities {
                assert!(
                    slug::is_valid(&entity.slug),
                    "entity slug `{}`",
                    entity.slug
                );
                assert!(
                    seen.insert((entity.kind, entity.slug.clone())),
                    "slug `{}` twice",
                    entity.slug
                );
            }
            print_all(&site.warnings);
        }
        Err(problems) => print_all(&problems),
    }
}

/// A YAML double-quoted scalar holding exactly `text`, whatever characters it has.
pub fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            ' '..='~' => quoted.push(c),
            c if (c as u32) >= 0xa0
                && !matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                quoted.push(c)
            }
            c => quoted.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    quoted.push('"');
    quoted
}

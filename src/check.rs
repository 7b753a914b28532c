//! `sitroom check`: everything a build checks, writing nothing, plus the editorial checks a
//! build does not make: broken relative links, missing static files, images without alt text,
//! implausible dates, duplicate titles and briefings without sources. Takes the resolved
//! `Site`; the media stage reads its images and keeps their variants in the image cache,
//! as a build does, so that a broken image is found here; nothing else is read or written.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::content::{FileKind, Keys, Unreadable};
use crate::diagnostics::{self, Diagnostic, count, suggest};
use crate::model::{Briefing, Site};
use crate::render::Renderer;
use crate::render::markdown::line_and_column;
use crate::{BuildOptions, Error};

/// A briefing dated this many days before every other one is probably a typo in the year.
const OUTLIER_DAYS: i32 = 365;

/// What `check` found.
#[derive(Debug)]
pub struct Checked {
    /// Every problem, sorted by file and position: errors and warnings together.
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were read and checked: content, templates and static files.
    pub files: usize,
    /// Of those, the Markdown files by kind: briefings, profiles, free pages.
    pub briefings: usize,
    pub profiles: usize,
    pub pages: usize,
    pub elapsed: Duration,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn has_warnings(&self) -> bool {
        self.diagnostics.iter().any(|d| !d.is_error())
    }

    /// `checked 7 files (4 briefings, 2 profiles, 1 free page) in 0.02 s`: the files read,
    /// not the pages they would make (#11).
    pub fn summary(&self) -> String {
        format!(
            "checked {} ({}, {}, {}) in {:.2} s",
            count(self.files, "file", "files"),
            count(self.briefings, "briefing", "briefings"),
            count(self.profiles, "profile", "profiles"),
            count(self.pages, "free page", "free pages"),
            self.elapsed.as_secs_f64()
        )
    }
}

/// Loads, resolves and renders the archive without writing, then runs the editorial checks.
/// Errors in some files do not stop it: everything that could be read is still resolved,
/// rendered and checked, so every problem comes back from one run (#11). `today` decides
/// what is in the future. Fails only when there is no archive to check.
pub fn check(options: &BuildOptions, today: Date) -> Result<Checked, Error> {
    let started = Instant::now();
    let site = crate::load_site(options)?;
    let mut all = site.errors.clone();
    all.extend(site.warnings.iter().cloned());
    let mut known: HashSet<String> = HashSet::new();
    // Images go through the cache as in a build, so a bad one is found here too (#13); a
    // cache that cannot be written (a read-only checkout) is done without.
    let (media, media_problems) = crate::media::publish::prepare_to_check(&site, &options.root)?;
    all.extend(media_problems);
    known.extend(media.files.iter().map(|f| f.path.clone()));
    known.extend(crate::media::publish::bundle_paths(&site));
    match Renderer::new(&site).map(|r| r.with_media(&media)) {
        Ok(renderer) => {
            let routes = renderer.routes();
            all.extend(renderer.render_all(&routes, |_page| Ok::<(), Error>(()))?);
            known.extend(routes.iter().map(|&route| renderer.url_path(route)));
        }
        Err(problems) => all.extend(problems),
    }
    // Pages that files with errors would make: links to them are not broken, only waiting.
    known.extend(site.unreadable.iter().filter_map(unreadable_page));
    all.extend(editorial(&site, &known, today));
    for translation in &site.translations {
        all.extend(editorial(translation, &known, today));
    }
    all.extend(unreadable_links(&site));
    diagnostics::sort(&mut all);
    all.dedup();
    let read = site.files_read;
    Ok(Checked {
        diagnostics: all,
        // site.yaml is read and checked too.
        files: read.total() + 1,
        briefings: read.briefings,
        profiles: read.profiles,
        pages: read.pages,
        elapsed: started.elapsed(),
    })
}

/// The site-relative path of the page a file with errors would make.
fn unreadable_page(file: &Unreadable) -> Option<String> {
    let slug = file.slug.as_deref()?;
    Some(match file.kind {
        FileKind::Briefing => crate::urls::path::briefing(slug),
        FileKind::Profile(kind) => crate::urls::path::entity(kind, slug, 1),
        FileKind::Page => crate::urls::path::page(slug),
    })
}

/// The `[[links]]` in the bodies of files with errors, which render does not see: a
/// broken one is as much an error there as anywhere (#11).
pub fn unreadable_links(site: &Site) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for file in &site.unreadable {
        if matches!(file.kind, FileKind::Profile(_)) {
            continue;
        }
        let body = file.body();
        for (event, range) in Parser::new_ext(body, Options::ENABLE_WIKILINKS).into_offset_iter() {
            let Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) = event
            else {
                continue;
            };
            let target = dest_url.trim();
            if site.briefing_by_slug.contains_key(target)
                || site.unreadable_briefing(target).is_some()
            {
                continue;
            }
            let (line, column) = line_and_column(body, range.start);
            let slugs = site.briefing_by_slug.keys().map(String::as_str);
            let help = match suggest(target, slugs) {
                Some(near) => format!("did you mean `[[{near}]]`?"),
                None => "write the slug of an existing briefing (its file name without `.md`, or its `slug:`)".into(),
            };
            problems.push(
                Diagnostic::error(&file.path, format!("`[[{target}]]` links to no briefing"))
                    .at_line_of(&file.text, file.body_line + line - 1, column)
                    .with_help(help),
            );
        }
    }
    problems
}

/// The checks a build does not make. `known` holds the site-relative path of every page.
pub fn editorial(site: &Site, known: &HashSet<String>, today: Date) -> Vec<Diagnostic> {
    let targets = Targets::new(site, known);
    let mut problems = Vec::new();
    for briefing in &site.briefings {
        let page = format!(
            "{}{}",
            site.prefix,
            crate::urls::path::briefing(&briefing.slug)
        );
        let body = Body {
            path: &briefing.path,
            text: &briefing.text,
            start: briefing.body_start,
            line: briefing.body_line,
        };
        problems.extend(check_body(&body, &page, &targets));
        problems.extend(check_dates(briefing, today));
        if briefing.sources.is_empty() {
            problems.push(no_sources(briefing));
        }
    }
    for page in &site.pages {
        let body = Body {
            path: &page.path,
            text: &page.text,
            start: page.body_start,
            line: page.body_line,
        };
        let path = format!("{}{}", site.prefix, crate::urls::path::page(&page.slug));
        problems.extend(check_body(&body, &path, &targets));
    }
    for file in &site.unreadable {
        let (Some(page), false) = (
            unreadable_page(file),
            matches!(file.kind, FileKind::Profile(_)),
        ) else {
            continue;
        };
        let body = Body {
            path: &file.path,
            text: &file.text,
            start: file.body_start,
            line: file.body_line,
        };
        problems.extend(check_body(&body, &page, &targets));
    }
    problems.extend(check_outliers(site));
    problems.extend(check_duplicate_titles(site));
    problems
}

/// A Markdown body inside its file, so positions can be given as file lines.
struct Body<'a> {
    path: &'a Path,
    text: &'a str,
    start: usize,
    line: usize,
}

impl Body<'_> {
    /// A diagnostic at a byte offset of the body, located in the whole file.
    fn at(&self, mut d: Diagnostic, offset: usize) -> Diagnostic {
        d.path = self.path.to_path_buf();
        let body = &self.text[self.start..];
        let (line, column) = line_and_column(body, offset);
        d.at_line_of(self.text, self.line + line - 1, column)
    }
}

/// What a relative link may point at: every page of the site and every static file.
struct Targets<'a> {
    pages: &'a HashSet<String>,
    files: HashSet<String>,
    /// The base URL's path (`/repo/`), which a root-relative link must start with.
    base: &'a str,
    /// The pages that are bundles (`briefings/x/`), whose files the media stage checks.
    bundles: HashSet<String>,
}

impl<'a> Targets<'a> {
    fn new(site: &'a Site, pages: &'a HashSet<String>) -> Targets<'a> {
        let files = site
            .static_files
            .iter()
            .map(|f| f.to_string_lossy().replace('\\', "/"))
            .collect();
        // The folders of pages that are bundles, as the pages checked name them (under
        // the language's folder in a translation).
        let briefings = site
            .briefings
            .iter()
            .filter(|b| b.media.bundle.is_some())
            .map(|b| crate::urls::path::briefing(&b.slug));
        let profiles = site
            .entities
            .iter()
            .filter(|e| e.profile.as_ref().is_some_and(|p| p.media.bundle.is_some()))
            .map(|e| crate::urls::path::entity(e.kind, &e.slug, 1));
        let bundles = briefings
            .chain(profiles)
            .map(|folder| format!("{}{folder}", site.prefix))
            .collect();
        Targets {
            pages,
            files,
            base: &site.config.base_url.path,
            bundles,
        }
    }

    /// Whether the site-relative path `target` is a page, a page's `index.html` or a file.
    fn exists(&self, target: &str) -> bool {
        let folder = target.strip_suffix("index.html").unwrap_or(target);
        self.pages.contains(target)
            || self.pages.contains(folder)
            || self.pages.contains(&format!("{target}/"))
            || self.files.contains(target)
    }
}

/// Broken relative links, links to missing static files and images without alt text.
fn check_body(body: &Body<'_>, page: &str, targets: &Targets<'_>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // The image being read: where it starts, its URL and its alt text so far.
    let mut image: Option<(usize, String, String)> = None;
    let text = &body.text[body.start..];
    for (event, range) in Parser::new_ext(text, Options::ENABLE_WIKILINKS).into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if !matches!(link_type, LinkType::WikiLink { .. } | LinkType::Email) => {
                if let Some(d) = check_link(&dest_url, page, targets, false) {
                    problems.push(body.at(d, range.start));
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((range.start, dest_url.to_string(), String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, alt)) = image.as_mut() {
                    alt.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => {
                let Some((start, url, alt)) = image.take() else {
                    continue;
                };
                if let Some(d) = check_link(&url, page, targets, true) {
                    problems.push(body.at(d, start));
                }
                if alt.trim().is_empty() {
                    problems.push(body.at(no_alt_text(&url), start));
                }
            }
            _ => {}
        }
    }
    problems
}

/// A problem with one link, if it is relative and leads nowhere.
fn check_link(url: &str, page: &str, targets: &Targets<'_>, image: bool) -> Option<Diagnostic> {
    // A bundle's own files are checked by the media stage, as errors (#13).
    if targets.bundles.contains(page) && crate::media::publish::bundle_name(url).is_some() {
        return None;
    }
    let target = site_path(url, page, targets.base)?;
    if targets.exists(&target) {
        return None;
    }
    let is_file = image
        || target
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.') && !last.ends_with(".html"));
    let d = if is_file {
        Diagnostic::warning(
            "",
            format!("`{url}` links to `static/{target}`, which does not exist"),
        )
        .with_help("add the file under `static/`, or correct the link")
    } else {
        let d = Diagnostic::warning(
            "",
            format!("broken link `{url}`: the site has no `/{target}`"),
        );
        match suggest(&target, targets.pages.iter().map(String::as_str)) {
            Some(near) => d.with_help(format!("did you mean `/{near}`?")),
            None => d.with_help("correct the link, or link to a briefing with `[[slug]]`"),
        }
    };
    Some(d)
}

/// The site-relative path a link leads to, or `None` for links that leave the site
/// (`https:`, `mailto:`, `//host`) or stay on the page (`#section`).
fn site_path(url: &str, page: &str, base: &str) -> Option<String> {
    let url = url.trim();
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let url = &url[..end];
    let has_scheme = url.find(':').is_some_and(|i| {
        url[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    if url.is_empty() || has_scheme || url.starts_with("//") {
        return None;
    }
    let joined = match url.strip_prefix('/') {
        // Root-relative links carry the base path on a GitHub Pages sub-path site.
        Some(rest) => {
            let base = base.trim_start_matches('/');
            rest.strip_prefix(base).unwrap_or(rest).to_string()
        }
        None => format!("{page}{url}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let mut path = parts.join("/");
    if joined.ends_with('/') && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

fn no_alt_text(url: &str) -> Diagnostic {
    Diagnostic::warning("", format!("the image `{url}` has no alt text"))
        .with_help("describe it between the brackets, like `![Map of the front line](…)`, for readers who cannot see it")
}

/// Locates `d` at the value of front-matter `key`, as recorded when the file was read.
fn at_value(d: Diagnostic, text: &str, keys: &Keys, key: &str) -> Diagnostic {
    match keys.value(key) {
        Some(at) => d.at_position(text, at),
        None => d.at_line_of(text, 1, 1),
    }
}

/// A date in the future, and an `updated` before the `date`.
fn check_dates(briefing: &Briefing, today: Date) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if briefing.date > today {
        let d = Diagnostic::warning(
            &briefing.path,
            format!("`date` is {}, which is in the future", briefing.date),
        )
        .with_help("check the year and month; to hold a briefing back, mark it `draft: true`");
        problems.push(at_value(d, &briefing.text, &briefing.keys, "date"));
    }
    if let Some(updated) = briefing.updated
        && updated < briefing.published
    {
        let day = updated.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
        let d = Diagnostic::warning(
            &briefing.path,
            format!("`updated` ({day}) is before `date` ({})", briefing.date),
        )
        .with_help("an update comes after publication: correct one of the two dates");
        problems.push(at_value(d, &briefing.text, &briefing.keys, "updated"));
    }
    problems
}

/// The oldest briefings, when one stands more than a year before all the rest: most often
/// a typo in the year (`2015` for `2025`). The archive's first date is where its briefings
/// start in earnest, so only the three oldest are looked at, and only in an archive of four
/// or more.
fn check_outliers(site: &Site) -> Vec<Diagnostic> {
    let oldest_first: Vec<&Briefing> = site.briefings.iter().rev().collect();
    if oldest_first.len() < 4 {
        return Vec::new();
    }
    let mut problems = Vec::new();
    for pair in oldest_first.windows(2).take(3) {
        let (old, next) = (pair[0], pair[1]);
        let gap = old.date.until(next.date).map_or(0, |span| span.get_days());
        if gap > OUTLIER_DAYS {
            // Everything before this gap is an outlier; the briefing after it starts the archive.
            for &outlier in oldest_first.iter().take_while(|b| b.date <= old.date) {
                let d = Diagnostic::warning(
                    &outlier.path,
                    format!(
                        "`date` is {}, more than a year before the archive's first date ({})",
                        outlier.date, next.date
                    ),
                )
                .with_help("check the year; if the archive really starts this early, ignore this");
                problems.push(at_value(d, &outlier.text, &outlier.keys, "date"));
            }
            break;
        }
    }
    problems
}

/// Two briefings on the same day with the same title: usually one story filed twice.
fn check_duplicate_titles(site: &Site) -> Vec<Diagnostic> {
    let mut groups: HashMap<(Date, String), Vec<&Briefing>> = HashMap::new();
    for briefing in &site.briefings {
        let key = (briefing.date, briefing.title.trim().to_lowercase());
        groups.entry(key).or_default().push(briefing);
    }
    let mut problems = Vec::new();
    for mut group in groups.into_values().filter(|g| g.len() > 1) {
        group.sort_by(|a, b| a.path.cmp(&b.path));
        let first = group[0];
        for other in &group[1..] {
            let d = Diagnostic::warning(
                &other.path,
                format!(
                    "another briefing on {} has the title `{}`",
                    other.date, other.title
                ),
            )
            .with_help(format!(
                "`{}` has it too; merge the two if they tell one story, or make the titles differ",
                first.path.display()
            ));
            problems.push(at_value(d, &other.text, &other.keys, "title"));
        }
    }
    problems
}

/// Points at the closing `---` of the front matter, where `sources:` would go.
fn no_sources(briefing: &Briefing) -> Diagnostic {
    let fence = briefing.body_line.saturating_sub(1).max(1);
    Diagnostic::warning(&briefing.path, "this briefing cites no sources")
        .at_line_of(&briefing.text, fence, 1)
        .with_help("add `sources:` before this line, each with a `title` and a `url`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_against_the_page() {
        let page = "briefings/a/";
        assert_eq!(site_path("../b/", page, "/"), Some("briefings/b/".into()));
        assert_eq!(site_path("/people/x/", page, "/"), Some("people/x/".into()));
        assert_eq!(
            site_path("/repo/people/x/", page, "/repo/"),
            Some("people/x/".into())
        );
        assert_eq!(
            site_path("map.png", page, "/"),
            Some("briefings/a/map.png".into())
        );
        assert_eq!(
            site_path("/img/m.png?x=1#y", page, "/"),
            Some("img/m.png".into())
        );
        assert_eq!(site_path("https://example.org/", page, "/"), None);
        assert_eq!(site_path("mailto:a@b.c", page, "/"), None);
        assert_eq!(site_path("#top", page, "/"), None);
        assert_eq!(site_path("//cdn.example/x", page, "/"), None);
    }
}

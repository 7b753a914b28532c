//! `sitroom new` and `sitroom init`: write the editor's new files, ready to edit, at the
//! paths the contract names. They never overwrite a file and never touch the built site;
//! this module and `output.rs` are the only places that write.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::Error;
use crate::content::Kind;
use crate::slug;

/// What `new` can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Briefing,
    Profile(Kind),
    /// A free page (`content/pages/<slug>.md`): About, Methodology, …
    Page,
}

/// Writes a new briefing, profile or free page under `root` and returns its path. A
/// briefing is dated `today` (the editor's day, or `--date`) and starts as a draft, so
/// that nothing half-written is published by the next build (#11).
/// Refuses to overwrite an existing file and to make a file name from a title with no
/// letters (`!!!`).
pub fn new(root: &Path, kind: NewKind, title: &str, today: Date) -> Result<PathBuf, Error> {
    let title = title.trim();
    let slug = slug::slugify(title);
    if slug.is_empty() || title.contains(['\n', '\r']) {
        return Err(Error::Usage(format!(
            "`{title}` cannot name a file: write it on one line, with letters or digits"
        )));
    }
    if !root.join("site.yaml").is_file() {
        return Err(Error::Usage(format!(
            "`{}` holds no `site.yaml`; run this inside an archive, give `--root`, or start one with `sitroom init`",
            root.display()
        )));
    }
    let (relative, text) = match kind {
        NewKind::Briefing => (briefing_path(&slug, today), briefing(title, today)),
        NewKind::Profile(kind) => (
            format!("content/{}/{slug}.md", kind.plural()),
            profile(kind, title),
        ),
        NewKind::Page => (format!("content/pages/{slug}.md"), page(title)),
    };
    // Printed for the editor to open: `content/…` reads better than `./content/…`.
    let path = if root == Path::new(".") {
        PathBuf::from(&relative)
    } else {
        root.join(&relative)
    };
    create(&path, &text)?;
    Ok(path)
}

/// `content/briefings/YYYY/MM/YYYY-MM-DD-slug.md`: sorted by date in any file browser.
pub fn briefing_path(slug: &str, today: Date) -> String {
    format!(
        "content/briefings/{:04}/{:02}/{today}-{slug}.md",
        today.year(),
        today.month()
    )
}

/// Makes a new archive in `dir` (which must be missing or empty) that builds as it is.
/// Returns the files written, relative to `dir`.
pub fn init(dir: &Path, today: Date) -> Result<Vec<String>, Error> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| Error::io("reading", dir, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "`{}` is not empty; give `init` a new or empty folder",
                dir.display()
            )));
        }
    }
    let files = starter_files(dir, today);
    for (relative, text) in &files {
        create(&dir.join(relative), text)?;
    }
    Ok(files.into_iter().map(|(relative, _)| relative).collect())
}

/// The files of a new archive: settings, `.gitignore`, the Pages workflow, one briefing,
/// one profile, an About page, and `static/` kept in git by a hidden file (hidden files
/// are never published).
fn starter_files(dir: &Path, today: Date) -> Vec<(String, String)> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !slug::slugify(n).is_empty())
        .unwrap_or("briefings");
    vec![
        ("site.yaml".into(), site_yaml(name)),
        (".gitignore".into(), GITIGNORE.into()),
        (".github/workflows/pages.yml".into(), pages_workflow()),
        (briefing_path("welcome", today), example_briefing(today)),
        (
            "content/people/volodymyr-zelensky.md".into(),
            EXAMPLE_PERSON.into(),
        ),
        ("content/places/kyiv.md".into(), EXAMPLE_PLACE.into()),
        ("content/pages/about.md".into(), ABOUT.into()),
        ("static/.gitkeep".into(), String::new()),
    ]
}

/// What `init`'s archive keeps out of git: the built site, sitroom's state folder beside
/// it (lock, manifests, spare folder), and processed images.
const GITIGNORE: &str = "\
# The built site, and what sitroom keeps beside it to rebuild it quickly (never published)
/public/
.*.sitroom-state/
# Processed images, kept between builds (the Pages workflow caches them)
/.sitroom-cache/
";

/// The GitHub Actions workflow that publishes the archive on GitHub Pages, pinned to the
/// sitroom that writes it (#10).
pub fn pages_workflow() -> String {
    include_str!("scaffold/pages.yml").replace("{{version}}", env!("CARGO_PKG_VERSION"))
}

/// What to do once `init` has written the archive in `dir`, for the editor to read.
pub fn next_steps(dir: &Path) -> String {
    format!(
        "a new archive is ready; try `sitroom serve --root {dir}`\n\
         to publish it on GitHub Pages:\n  \
         1. push the folder to a GitHub repository, on its branch `main`\n  \
         2. there, choose Settings → Pages → Build and deployment → Source: GitHub Actions\n\
         {workflow} then builds and deploys every push, with the Pages URL as `base_url`",
        dir = crate::diagnostics::shown_path(dir),
        workflow = crate::diagnostics::shown_path(&dir.join(".github/workflows/pages.yml")),
    )
}

/// Writes a new file, refusing to replace one that exists.
fn create(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::Usage(format!(
                "`{}` already exists; edit it, or choose another title",
                path.display()
            )),
            _ => Error::io("creating", path, e),
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io("writing", path, e))
}

/// A YAML double-quoted string, so a title with `:` or `#` stays one value.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn briefing(title: &str, today: Date) -> String {
    format!(
        "---\n\
         title: {title}\n\
         date: {today}\n\
         draft: true                      # builds only with --drafts; remove this line to publish\n\
         # updated: {today}\n\
         # summary: One or two sentences for cards, feeds and search.\n\
         # people: [Volodymyr Zelensky]  # names or aliases; a name with no profile gets a stub page\n\
         # organisations: [NATO]\n\
         # places: [Kyiv]\n\
         # tags: [negotiations]\n\
         # authors: [Your Name]           # the byline\n\
         # sources:\n\
         #   - title: Headline of the cited article\n\
         #     publisher: AFP\n\
         #     url: https://example.org/article\n\
         #     date: {today}\n\
         # slug: short-name               # default: from the file name\n\
         ---\n",
        title = quoted(title)
    )
}

fn page(title: &str) -> String {
    format!(
        "---\n\
         title: {title}\n\
         # summary: One sentence for search engines and link previews.\n\
         # slug: short-name               # the page's address, /short-name/; default: from the file name\n\
         ---\n",
        title = quoted(title)
    )
}

fn profile(kind: Kind, name: &str) -> String {
    let affiliations = if kind == Kind::Person {
        "# affiliations: [Government of Ukraine]   # organisations\n"
    } else {
        ""
    };
    format!(
        "---\n\
         name: {name}\n\
         # aliases: [Other spelling, Native-script name]   # briefings may use any of these\n\
         # role: What they are or do\n\
         # country: Ukraine\n\
         {affiliations}\
         # wikidata: Q0000000\n\
         ---\n\
         A short profile of this {kind} in Markdown.\n",
        name = quoted(name),
        kind = kind.singular()
    )
}

fn site_yaml(name: &str) -> String {
    format!(
        "title: Conflict Briefings\n\
         base_url: https://example.github.io/{slug}/   # where the site will be published\n\
         description: Short daily briefings.\n\
         language: en\n\
         per_page: 20\n\
         # cname: briefings.example.org   # a custom domain on GitHub Pages\n\
         sanitize_html: false\n",
        slug = slug::slugify(name)
    )
}

fn example_briefing(today: Date) -> String {
    format!(
        "---\n\
         title: Welcome to the archive\n\
         date: {today}\n\
         summary: An example briefing; edit or delete it.\n\
         people: [Volodymyr Zelensky]\n\
         places: [Kyiv]\n\
         tags: [example]\n\
         sources:\n  \
           - title: The sitroom README\n    \
             url: https://example.org/\n\
         ---\n\
         This is an example. Add your own with `sitroom new briefing \"Title\"`.\n"
    )
}

const EXAMPLE_PERSON: &str = "---\n\
name: Volodymyr Zelensky\n\
aliases: [Zelenskyy, Zelenskiy]\n\
role: President of Ukraine\n\
country: Ukraine\n\
---\n\
An example profile; edit or delete it.\n";

const EXAMPLE_PLACE: &str = "---\n\
name: Kyiv\n\
aliases: [Kiev, Київ]\n\
country: Ukraine\n\
---\n\
The capital of Ukraine.\n";

const ABOUT: &str = "---\n\
title: About\n\
summary: What this archive is.\n\
---\n\
Say here who writes these briefings, and how.\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn briefing_paths_sort_by_date() {
        let day = Date::constant(2025, 5, 6);
        assert_eq!(
            briefing_path("istanbul-talks", day),
            "content/briefings/2025/05/2025-05-06-istanbul-talks.md"
        );
    }

    #[test]
    fn titles_are_quoted_for_yaml() {
        assert_eq!(
            quoted(r#"Talks: "day 1" \ 2"#),
            r#""Talks: \"day 1\" \\ 2""#
        );
    }
}

//! sitroom builds a static site from an archive of conflict briefings.
//!
//! The data flows one way through five stages, each taking the last one's value:
//!
//! ```text
//! config::load ─┐
//! content::load ┴→ graph::resolve → render::Renderer → output::Staging
//!   (files → Content)  (Content → Site)  (Site → pages)   (pages → disk, atomically)
//! ```
//!
//! Between resolve and render, `media::publish::prepare` turns the images that pages bring
//! into variants (through the image cache), so that render reads no file.
//!
//! `build` runs them all; `check::check` runs all but the last (plus the editorial checks),
//! so it can never write the site (only the image cache); `serve` runs the same stages
//! (`pipeline::prepare`, `pipeline::render`) into memory after every save
//! (`serve::Session`). `pipeline` keeps what a run read and made, in `.sitroom-cache/` for
//! build and in memory for serve, so that a build with nothing changed does nothing, and a
//! run after an edit parses only the files that changed, derives again only what was
//! derived from parts that changed, renders (in a site of one language) only the pages the
//! edit of words reaches, and reads only the edited briefings into the search index.

pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod error;
pub mod graph;
pub mod i18n;
pub mod media;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod urls;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use content::LoadOptions;
use diagnostics::Diagnostic;
pub use error::Error;
use model::Site;
use render::{Category, Renderer};

/// What `build` and `check` read.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub out: Option<PathBuf>,
    /// Replaces `base_url` from `site.yaml` (previews, serve).
    pub base_url: Option<String>,
    pub drafts: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            out: None,
            base_url: None,
            drafts: false,
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build or check did.
#[derive(Debug)]
pub struct Report {
    /// Files by what they are (briefings, people, feeds, …).
    pub counts: BTreeMap<Category, usize>,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// Where a build wrote the site (`None` for a check).
    pub out: Option<PathBuf>,
    /// Whether the output was already up to date, so that nothing was written (#5).
    pub unchanged: bool,
    /// How many pages a build rendered, when it kept every other page of the last build
    /// as it was (#14); `None` when it rendered them all, or none.
    pub rendered: Option<usize>,
    /// The images encoded by this build, because the cache had none of them (#13): none
    /// when no image changed since the last build.
    pub encoded_images: Vec<PathBuf>,
}

impl Report {
    /// One line: what was made, where, and how long it took.
    pub fn summary(&self, verb: &str) -> String {
        let names: Vec<String> = self
            .counts
            .iter()
            .filter_map(|(category, n)| {
                category_name(*category).map(|(one, many)| diagnostics::count(*n, one, many))
            })
            .collect();
        let files = diagnostics::count(self.files, "file", "files");
        let seconds = self.elapsed.as_secs_f64();
        match &self.out {
            Some(out) if self.unchanged => format!(
                "nothing changed since the last build: `{}` is up to date ({files}) in {seconds:.2} s",
                diagnostics::shown_path(&folder(out))
            ),
            Some(out) => format!(
                "{verb} {files} ({}) into `{}` in {seconds:.2} s{}",
                names.join(", "),
                diagnostics::shown_path(&folder(out)),
                match self.rendered {
                    Some(n) => format!(
                        ", {} again (the others as they were)",
                        diagnostics::count(n, "page rendered", "pages rendered")
                    ),
                    None => String::new(),
                }
            ),
            None => format!("{verb} {files} ({}) in {seconds:.2} s", names.join(", ")),
        }
    }
}

/// A folder as the editor would type it: `public/`.
fn folder(path: &Path) -> PathBuf {
    let shown = path.strip_prefix(".").unwrap_or(path);
    let mut text = shown.as_os_str().to_os_string();
    if !text.to_string_lossy().ends_with('/') {
        text.push("/");
    }
    PathBuf::from(text)
}

fn category_name(category: Category) -> Option<(&'static str, &'static str)> {
    use content::Kind;
    Some(match category {
        Category::Home => ("home page", "home pages"),
        Category::Briefing => ("briefing", "briefings"),
        Category::Entity(Kind::Person) => ("people page", "people pages"),
        Category::Entity(Kind::Organisation) => ("organisation page", "organisation pages"),
        Category::Entity(Kind::Place) => ("place page", "place pages"),
        Category::Entity(Kind::Tag) => ("tag page", "tag pages"),
        Category::Archive => ("archive page", "archive pages"),
        Category::Page => ("free page", "free pages"),
        Category::Feed => ("feed", "feeds"),
        Category::Other => return None,
    })
}

/// The archive's folder for a command run in `start` without `--root`: the nearest folder
/// holding `site.yaml`, looking upward as git and cargo do, written relative to `start`
/// (`.`, `..`, `../..`). `None` when no folder up to the root of the disk has one.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    let absolute = std::fs::canonicalize(start).ok()?;
    for (up, folder) in absolute.ancestors().enumerate() {
        if folder.join("site.yaml").is_file() {
            let mut root = PathBuf::from(".");
            for _ in 0..up {
                root.push("..");
            }
            return Some(match up {
                0 => PathBuf::from("."),
                _ => root
                    .strip_prefix(".")
                    .map(Path::to_path_buf)
                    .unwrap_or(root),
            });
        }
    }
    None
}

/// Refuses a `--root` that holds no archive, naming the path it tried (#11).
pub fn require_archive(root: &Path) -> Result<(), Error> {
    let shown = diagnostics::shown_path(root);
    if !root.is_dir() {
        return Err(Error::Usage(format!(
            "`{shown}` is not a folder; give `--root` the archive's folder, the one holding `site.yaml`"
        )));
    }
    if !root.join("site.yaml").is_file() {
        return Err(Error::Usage(format!(
            "`{shown}` holds no `site.yaml`; run this inside an archive, give `--root DIR`, or start one with `sitroom init DIR`"
        )));
    }
    Ok(())
}

/// Reads `site.yaml` and the content; problems in either come back together, and any
/// error fails it (serve uses this; build and check go on past errors with `load_site`).
pub fn load_inputs(options: &BuildOptions) -> Result<(config::Config, content::Content), Error> {
    require_archive(&options.root)?;
    let config = config::load(&options.root);
    let content = content::load(&options.root, load_options(options));
    match config {
        Ok(config) if content.errors.is_empty() => Ok((config, content)),
        config => {
            let mut all = config.err().unwrap_or_default();
            all.extend(content.errors);
            all.extend(content.warnings);
            diagnostics::sort(&mut all);
            Err(Error::Content(all))
        }
    }
}

fn load_options(options: &BuildOptions) -> LoadOptions {
    LoadOptions {
        drafts: options.drafts,
    }
}

/// Loads and resolves the site. Errors in `site.yaml` or in any file do not stop it: they
/// are in `Site::errors`, and everything that could be read is resolved, so the stages
/// after this can report their problems in the same run (#11).
pub fn load_site(options: &BuildOptions) -> Result<Site, Error> {
    load_site_reusing(options, &mut pipeline::Reuse::default())
}

/// `load_site`, parsing again only the files whose bytes changed since `reuse` was filled,
/// and deriving again only what was derived from parts that changed (serve keeps it
/// between rebuilds).
pub fn load_site_reusing(
    options: &BuildOptions,
    reuse: &mut pipeline::Reuse,
) -> Result<Site, Error> {
    require_archive(&options.root)?;
    let (config, config_errors) = match config::load(&options.root) {
        Ok(config) => (config, Vec::new()),
        Err(problems) => (config::Config::placeholder(), problems),
    };
    let mut content =
        content::load_reusing(&options.root, load_options(options), &mut reuse.parses);
    content.errors.extend(config_errors);
    let config = match &options.base_url {
        Some(url) => config
            .with_base_url(url)
            .map_err(|why| Error::Usage(format!("--base-url: {why}")))?,
        None => config,
    };
    let (words, problems) = i18n::load(&options.root, &config.all_languages())?;
    let (errors, warnings): (Vec<_>, Vec<_>) = problems.into_iter().partition(|d| d.is_error());
    content.errors.extend(errors);
    content.warnings.extend(warnings);
    Ok(graph::resolve_reusing(
        content,
        config,
        words,
        &mut reuse.derived,
    ))
}

/// Builds the site into `--out`, replacing the last output only if everything succeeded.
pub fn build(options: &BuildOptions) -> Result<Report, Error> {
    let started = Instant::now();
    require_archive(&options.root)?;
    // The same inputs as the last build, whose output is untouched: its report again (#14).
    let previous = pipeline::Previous::scan(options);
    if let Some(report) = previous.replay(options, started)? {
        return Ok(report);
    }
    let (mut reuse, last) = previous.reuse();
    let built = build_anew(options, &previous, &mut reuse, last.as_ref(), started)?;
    previous.record(&built.report, built.output, Some(built.record.clone()));
    previous.keep_reuse(&reuse, (&built.record, &built.outline));
    Ok(built.report)
}

/// What a build made: its report, the snapshot of the output it left, and its site as
/// the next build compares with it.
struct Built {
    report: Report,
    output: output::Snapshots,
    record: pipeline::edits::Record,
    outline: pipeline::edits::Outline,
}

/// Loads, resolves, renders and writes the site, rendering only the pages an edit
/// reached when the last build (`previous`, which kept `last`: its site's record and
/// outline) tells which.
fn build_anew(
    options: &BuildOptions,
    previous: &pipeline::Previous,
    reuse: &mut pipeline::Reuse,
    last: Option<&(pipeline::edits::Record, pipeline::edits::Outline)>,
    started: Instant,
) -> Result<Built, Error> {
    // Images are encoded before anything is written, so a bad one leaves the last output.
    let pipeline::Prepared {
        site,
        media,
        media_problems,
    } = pipeline::prepare(options, reuse)?;
    let record = pipeline::edits::Record::of(&site);
    let outline = pipeline::edits::Outline::of(&site, &record);
    // What changed since the last build: only what some briefings say (`touched`), or
    // also whom they name (`comparable`); anything else renders every page.
    let edited = previous.touched(&record);
    let compared = match edited {
        Some(_) => None,
        None => previous.comparable(last, &outline, &site),
    };
    let renderer = Renderer::new(&site)?
        .with_media(&media)
        .with_search_memory(previous.search_memory(&record, compared.as_ref().map(|(_, ids)| ids)));
    let routes = renderer.routes();
    // Kept only once the output is accepted: a refused `--out` writes nothing anywhere.
    let keep_search = || {
        if let Some(kept) = renderer.kept_search() {
            previous.keep_search(&record, kept);
        }
    };
    let out = options.out_dir();
    let mut staging = output::Staging::begin(&options.root, &out)?;
    staging.trust(&previous.snapshots());
    let finish = |mut report: Report, unchanged: bool| {
        report.out = Some(out.clone());
        report.unchanged = unchanged;
        report.files += media.files.len();
        report.warnings.extend(media_problems.iter().cloned());
        report.encoded_images = media.encoded.clone();
        report
    };
    // The same inputs as the last build, whose output is untouched: nothing to redo (#5).
    if staging.is_current(pipeline::fingerprint(
        &site,
        &record,
        &options.root.join("static"),
    )) {
        keep_search();
        return Ok(Built {
            report: finish(report(&site, &routes, started), true),
            output: staging.snapshot(),
            record,
            outline,
        });
    }
    let chosen = match (edited, compared) {
        (Some(edited), _) => Some(pipeline::edits::to_render(&site, &edited, &routes)),
        (None, Some((last, ids))) => Some(pipeline::edits::between(
            last, &outline, &site, &ids, &routes,
        )),
        (None, None) => None,
    };
    let rendered = pipeline::render(&renderer, &routes, chosen, &staging)?;
    // Raster images under static/ are among the media files, re-encoded.
    let as_is: Vec<PathBuf> = media::publish::static_as_is(&site).cloned().collect();
    staging.copy_static(&options.root.join("static"), &as_is)?;
    media::publish::write(&media, site.config.sanitize_html, |path, bytes| {
        staging.write(path, bytes)
    })?;
    let (_, output) = staging.commit_and_snapshot()?;
    keep_search();
    let mut report = finish(report(&site, &routes, started), false);
    report.rendered = rendered;
    Ok(Built {
        report,
        output,
        record,
        outline,
    })
}

/// The report of a build or check that rendered `routes`.
pub(crate) fn report(site: &Site, routes: &[render::Route], started: Instant) -> Report {
    let mut counts = BTreeMap::new();
    for route in routes {
        *counts.entry(route.category(site)).or_insert(0) += 1;
    }
    Report {
        counts,
        files: routes.len() + media::publish::static_as_is(site).count(),
        warnings: site.warnings.clone(),
        elapsed: started.elapsed(),
        out: None,
        unchanged: false,
        rendered: None,
        encoded_images: Vec::new(),
    }
}

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
//! `build` runs them all; `check::check` runs all but the last (plus the editorial checks),
//! so it can never write; `serve` keeps the site in memory and re-renders what an edit touches.

pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod error;
pub mod graph;
pub mod media;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod urls;

use std::collections::BTreeMap;
use std::path::PathBuf;
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
}

impl Report {
    /// One line: what was made, and how long it took.
    pub fn summary(&self, verb: &str) -> String {
        let names: Vec<String> = self
            .counts
            .iter()
            .filter_map(|(category, n)| category_name(*category).map(|name| format!("{n} {name}")))
            .collect();
        format!(
            "{verb} {} files ({}) in {:.2} s",
            self.files,
            names.join(", "),
            self.elapsed.as_secs_f64()
        )
    }
}

fn category_name(category: Category) -> Option<&'static str> {
    use content::Kind;
    Some(match category {
        Category::Home => "home pages",
        Category::Briefing => "briefings",
        Category::Entity(Kind::Person) => "people pages",
        Category::Entity(Kind::Organisation) => "organisation pages",
        Category::Entity(Kind::Place) => "place pages",
        Category::Entity(Kind::Tag) => "tag pages",
        Category::Archive => "archive pages",
        Category::Page => "free pages",
        Category::Feed => "feeds",
        Category::Other => return None,
    })
}

/// Reads `site.yaml` and the content; problems in either come back together.
pub fn load_inputs(options: &BuildOptions) -> Result<(config::Config, content::Content), Error> {
    let config = config::load(&options.root);
    let content = content::load(
        &options.root,
        LoadOptions {
            drafts: options.drafts,
        },
    );
    match (config, content) {
        (Ok(config), Ok(content)) => Ok((config, content)),
        (config, content) => {
            let mut all = config.err().unwrap_or_default();
            all.extend(content.err().unwrap_or_default());
            Err(Error::Content(all))
        }
    }
}

/// Loads and resolves the site: every problem in every file comes back together.
pub fn load_site(options: &BuildOptions) -> Result<Site, Error> {
    let (config, content) = load_inputs(options)?;
    let config = match &options.base_url {
        Some(url) => config
            .with_base_url(url)
            .map_err(|why| Error::Usage(format!("--base-url: {why}")))?,
        None => config,
    };
    Ok(graph::resolve(content, config)?)
}

/// Builds the site into `--out`, replacing the last output only if everything succeeded.
pub fn build(options: &BuildOptions) -> Result<Report, Error> {
    let started = Instant::now();
    let site = load_site(options)?;
    let renderer = Renderer::new(&site)?;
    let routes = renderer.routes();
    let mut staging = output::Staging::begin(&options.root, &options.out_dir())?;
    // The same inputs as the last build, whose output is untouched: nothing to redo (#5).
    if staging.is_current(renderer.fingerprint(&options.root.join("static"))) {
        return Ok(report(&site, &routes, started));
    }
    let problems = renderer.render_all(&routes, |page| staging.write(&page.path, &page.bytes))?;
    fail_on_errors(problems, &site)?;
    staging.copy_static(&options.root.join("static"), &site.static_files)?;
    staging.commit()?;
    Ok(report(&site, &routes, started))
}

fn fail_on_errors(problems: Vec<Diagnostic>, site: &Site) -> Result<(), Error> {
    if problems.iter().any(Diagnostic::is_error) {
        let mut all = problems;
        all.extend(site.warnings.iter().cloned());
        diagnostics::sort(&mut all);
        return Err(Error::Content(all));
    }
    Ok(())
}

/// The report of a build or check that rendered `routes`.
pub(crate) fn report(site: &Site, routes: &[render::Route], started: Instant) -> Report {
    let mut counts = BTreeMap::new();
    for route in routes {
        *counts.entry(route.category(site)).or_insert(0) += 1;
    }
    Report {
        counts,
        files: routes.len() + site.static_files.len(),
        warnings: site.warnings.clone(),
        elapsed: started.elapsed(),
    }
}
